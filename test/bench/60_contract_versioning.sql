-- Benchmark of contract versioning (issue 8).
--
-- 1. 100,000 content updates (one UPDATE statement, 100,000 contracts) with
--      floor    no trigger at all: the bare UPDATE of the real table;
--      C        pactoria's triggers: the lifecycle trigger (status rules, content
--               comparison, version + 1) and the AFTER trigger recording the version
--               through a kept SPI plan, plus the history guard on contract_versions;
--      PL/pgSQL the same job as a user would write it: a BEFORE trigger with the
--               same rules and an AFTER trigger doing INSERT INTO contract_versions
--               (no history guard: the baseline is spared that work).
--    Every variant updates its own 100,000 rows, in its own transactions, with only
--    its own triggers enabled (ALTER TABLE ... DISABLE TRIGGER USER first), so other
--    concerns' triggers (updated_at, audit) weigh on none of them.  Content is short
--    (about 200 bytes) so the rows, not TOAST, are what is measured; the table's
--    generated search_vector and its GIN index are part of every variant, floor too.
-- 2. The diff of two 10,000-line versions (about 5% of the lines edited):
--      floor    splitting both texts into lines (string_to_table), nothing more;
--      C        pactoria.diff_text: an exact line diff (Myers);
--      SQL      the set-based formulation a user can write in SQL: number each
--               line's occurrences, FULL JOIN old and new on (line, occurrence).
--               It is cheaper than a diff and answers less: which lines were added
--               or removed as a multiset, with no order, so a moved clause is
--               "unchanged" and line pairs are not aligned.
--    and an order-aware SQL baseline: the longest-common-subsequence dynamic
--    programme in PL/pgSQL (O(N*M) time, two rows of memory, length only, no
--    backtracking), timed on the first 500 lines of both versions and set against
--    C on the same 500 lines; its cost grows as N*M, so at 10,000 lines it would be
--    (10000/500)^2 = 400 times the 500-line time (printed as an extrapolation, not
--    measured).

\echo '--- setup: a company, a user, 3 x 100,000 draft contracts (each records version 1)'
INSERT INTO pactoria.companies (id, name, subscription_tier)
VALUES ('00000000-0000-7000-8000-00000000b001', 'Bench Contracts Ltd', 'business');
SET pactoria.company_id = '00000000-0000-7000-8000-00000000b001';
INSERT INTO pactoria.users (company_id, id, email, full_name, role)
VALUES ('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0a1',
		'bench.author@example.co.uk', 'Bench Author', 'contract_manager');
SET pactoria.user_id = '00000000-0000-7000-8000-00000000b0a1';

INSERT INTO pactoria.contracts (company_id, title, contract_type, final_content)
SELECT '00000000-0000-7000-8000-00000000b001', format('Services agreement %s', g), 'bench_' || variant,
	   format('Clause %s. The Supplier shall provide the Services with reasonable skill and care '
			  'and in accordance with Good Industry Practice, from the Start Date until the End Date.', g)
FROM unnest(ARRAY['floor', 'c', 'plpgsql']) AS variant, generate_series(1, 100000) AS g;
VACUUM ANALYZE pactoria.contracts;
VACUUM ANALYZE pactoria.contract_versions;

-- The PL/pgSQL baseline: the same rules and recording as the C triggers.
CREATE FUNCTION bench.plpgsql_contract_lifecycle()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.version IS DISTINCT FROM OLD.version THEN
		RAISE EXCEPTION 'column "version" of contract % cannot be set directly', OLD.id
			USING ERRCODE = 'generated_always';
	END IF;
	IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
		(OLD.status = 'draft' AND NEW.status IN ('pending_review', 'cancelled'))
		OR (OLD.status = 'pending_review' AND NEW.status IN ('approved', 'draft', 'cancelled'))
		OR (OLD.status = 'approved' AND NEW.status IN ('active', 'draft'))
		OR (OLD.status = 'active' AND NEW.status IN ('expired', 'terminated'))) THEN
		RAISE EXCEPTION 'contract % cannot go from status "%" to "%"', OLD.id, OLD.status, NEW.status
			USING ERRCODE = 'check_violation';
	END IF;
	IF (NEW.final_content, NEW.generated_content, NEW.plain_english_input)
	   IS DISTINCT FROM (OLD.final_content, OLD.generated_content, OLD.plain_english_input) THEN
		IF NOT (OLD.status IN ('draft', 'pending_review') AND NEW.status IN ('draft', 'pending_review')) THEN
			RAISE EXCEPTION 'content of contract % cannot change while its status is "%"', OLD.id, OLD.status
				USING ERRCODE = 'check_violation';
		END IF;
		NEW.version := OLD.version + 1;
	END IF;
	IF NEW.status = 'active' AND NEW.start_date IS NULL THEN
		RAISE EXCEPTION 'contract % cannot be active without a start date', OLD.id
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;

CREATE FUNCTION bench.plpgsql_record_contract_version()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO pactoria.contract_versions (company_id, contract_id, version_number, plain_english_input,
											generated_content, final_content, change_summary, created_by)
	VALUES (NEW.company_id, NEW.id, NEW.version, NEW.plain_english_input, NEW.generated_content,
			NEW.final_content, nullif(current_setting('pactoria.change_summary'), ''),
			coalesce(pactoria.current_user_id(), NEW.created_by));
	RETURN NULL;
END
$$;

CREATE TRIGGER bench_plpgsql_lifecycle BEFORE UPDATE ON pactoria.contracts
	FOR EACH ROW EXECUTE FUNCTION bench.plpgsql_contract_lifecycle();
CREATE TRIGGER bench_plpgsql_record_version AFTER UPDATE ON pactoria.contracts
	FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
	EXECUTE FUNCTION bench.plpgsql_record_contract_version();

\echo '--- 1. 100,000 content updates (best of 2; each run one UPDATE of 100,000 rows)'
ALTER TABLE pactoria.contracts DISABLE TRIGGER USER;
ALTER TABLE pactoria.contract_versions DISABLE TRIGGER USER;
SELECT bench.time_ms($$UPDATE pactoria.contracts SET final_content = final_content || ' '
					   WHERE contract_type = 'bench_floor'$$, 2) AS floor_ms \gset

ALTER TABLE pactoria.contracts ENABLE TRIGGER trg_contracts_enforce_lifecycle;
ALTER TABLE pactoria.contracts ENABLE TRIGGER trg_contracts_record_version;
ALTER TABLE pactoria.contract_versions ENABLE TRIGGER trg_contract_versions_guard_history;
SELECT bench.time_ms($$UPDATE pactoria.contracts SET final_content = final_content || ' '
					   WHERE contract_type = 'bench_c'$$, 2) AS c_ms \gset

ALTER TABLE pactoria.contracts DISABLE TRIGGER USER;
ALTER TABLE pactoria.contract_versions DISABLE TRIGGER USER;
ALTER TABLE pactoria.contracts ENABLE TRIGGER bench_plpgsql_lifecycle;
ALTER TABLE pactoria.contracts ENABLE TRIGGER bench_plpgsql_record_version;
SELECT bench.time_ms($$UPDATE pactoria.contracts SET final_content = final_content || ' '
					   WHERE contract_type = 'bench_plpgsql'$$, 2) AS plpgsql_ms \gset

DROP TRIGGER bench_plpgsql_lifecycle ON pactoria.contracts;
DROP TRIGGER bench_plpgsql_record_version ON pactoria.contracts;
ALTER TABLE pactoria.contracts ENABLE TRIGGER USER;
ALTER TABLE pactoria.contract_versions ENABLE TRIGGER USER;

-- Each variant did what it should: 2 runs, so versions 1..3 for the C and
-- PL/pgSQL rows and no new versions for the floor's.
SELECT c.contract_type, count(*) AS contracts, min(c.version) AS min_version, max(c.version) AS max_version,
	   sum((SELECT count(*) FROM pactoria.contract_versions AS v
			WHERE v.company_id = c.company_id AND v.contract_id = c.id)) AS versions_recorded
FROM pactoria.contracts AS c
GROUP BY c.contract_type ORDER BY c.contract_type;

SELECT 'floor: no trigger' AS variant, :floor_ms AS best_ms, 1.00 AS ratio_to_floor, NULL::numeric AS ratio_to_c
UNION ALL
SELECT 'C: pactoria triggers', :c_ms, round(:c_ms / :floor_ms, 2), 1.00
UNION ALL
SELECT 'PL/pgSQL baseline', :plpgsql_ms, round(:plpgsql_ms / :floor_ms, 2), round(:plpgsql_ms / :c_ms, 2);

SELECT round((:c_ms - :floor_ms) / 100.0, 2) AS c_overhead_us_per_update,
	   round((:plpgsql_ms - :floor_ms) / 100.0, 2) AS plpgsql_overhead_us_per_update,
	   round((:plpgsql_ms - :floor_ms) / nullif(:c_ms - :floor_ms, 0), 2) AS plpgsql_overhead_over_c_overhead;

\echo '--- 2. diff of two 10,000-line versions (about 5% of the lines changed, added or removed)'
CREATE TABLE bench.diff_texts AS
WITH old_lines AS (
	SELECT g, format('%s. The Supplier shall deliver the Goods described in Schedule %s within %s Business Days of the Order.',
					 g, g % 97, g % 30) AS line
	FROM generate_series(1, 10000) AS g
), new_lines AS (
	SELECT g, 1 AS part, CASE WHEN g % 50 = 7 THEN format('%s. The Supplier shall deliver the Goods within 10 Business Days.', g)
							  ELSE line END AS line
	FROM old_lines WHERE g % 67 <> 3
	UNION ALL
	SELECT g, 2, format('%sA. The Customer may inspect the Goods on delivery.', g)
	FROM old_lines WHERE g % 71 = 5
)
SELECT (SELECT string_agg(line, E'\n' ORDER BY g) FROM old_lines) AS old_text,
	   (SELECT string_agg(line, E'\n' ORDER BY g, part) FROM new_lines) AS new_text;

SELECT (SELECT count(*) FROM bench.diff_texts, string_to_table(old_text, E'\n')) AS old_lines,
	   (SELECT count(*) FROM bench.diff_texts, string_to_table(new_text, E'\n')) AS new_lines,
	   (SELECT count(*) FILTER (WHERE operation = 'unchanged') || ' unchanged, '
			   || count(*) FILTER (WHERE operation = 'removed') || ' removed, '
			   || count(*) FILTER (WHERE operation = 'added') || ' added'
		FROM bench.diff_texts, pactoria.diff_text(old_text, new_text)) AS c_diff;

SELECT * FROM bench.compare(
	ARRAY['floor: split both into lines', 'C: pactoria.diff_text', 'SQL: multiset FULL JOIN'],
	ARRAY[
		$$SELECT count(*) FROM bench.diff_texts,
			LATERAL (SELECT string_to_table(old_text, E'\n') UNION ALL SELECT string_to_table(new_text, E'\n')) AS lines$$,
		$$SELECT count(*) FROM bench.diff_texts, pactoria.diff_text(old_text, new_text)$$,
		$$WITH old_lines AS (
			SELECT t.line, row_number() OVER (PARTITION BY t.line ORDER BY t.n) AS occurrence
			FROM bench.diff_texts, string_to_table(old_text, E'\n') WITH ORDINALITY AS t(line, n)
		), new_lines AS (
			SELECT t.line, row_number() OVER (PARTITION BY t.line ORDER BY t.n) AS occurrence
			FROM bench.diff_texts, string_to_table(new_text, E'\n') WITH ORDINALITY AS t(line, n)
		)
		SELECT count(*) FROM old_lines FULL JOIN new_lines
			ON new_lines.line = old_lines.line AND new_lines.occurrence = old_lines.occurrence$$],
	5);

-- The order-aware baseline: LCS length by dynamic programming in PL/pgSQL.
CREATE FUNCTION bench.lcs_length(old_text text, new_text text)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	a text[] := string_to_array(old_text, E'\n');
	b text[] := string_to_array(new_text, E'\n');
	n integer := coalesce(array_length(a, 1), 0);
	m integer := coalesce(array_length(b, 1), 0);
	previous integer[] := array_fill(0, ARRAY[m + 1], ARRAY[0]);
	current integer[];
BEGIN
	FOR i IN 1..n LOOP
		current := array_fill(0, ARRAY[m + 1], ARRAY[0]);
		FOR j IN 1..m LOOP
			IF a[i] = b[j] THEN
				current[j] := previous[j - 1] + 1;
			ELSE
				current[j] := greatest(previous[j], current[j - 1]);
			END IF;
		END LOOP;
		previous := current;
	END LOOP;
	RETURN previous[m];
END
$$;

CREATE TABLE bench.diff_texts_500 AS
SELECT array_to_string((string_to_array(old_text, E'\n'))[1:500], E'\n') AS old_text,
	   array_to_string((string_to_array(new_text, E'\n'))[1:500], E'\n') AS new_text
FROM bench.diff_texts;

-- Both find the same number of unchanged lines (the C diff is minimal here).
SELECT (SELECT bench.lcs_length(old_text, new_text) FROM bench.diff_texts_500) AS plpgsql_lcs,
	   (SELECT count(*) FROM bench.diff_texts_500, pactoria.diff_text(old_text, new_text)
		WHERE operation = 'unchanged') AS c_unchanged;

SELECT * FROM bench.compare(
	ARRAY['C: pactoria.diff_text, 500 lines', 'PL/pgSQL LCS, 500 lines'],
	ARRAY[$$SELECT count(*) FROM bench.diff_texts_500, pactoria.diff_text(old_text, new_text)$$,
		  $$SELECT bench.lcs_length(old_text, new_text) FROM bench.diff_texts_500$$],
	3);

SELECT bench.time_ms($$SELECT bench.lcs_length(old_text, new_text) FROM bench.diff_texts_500$$, 1) AS lcs_500_ms \gset
SELECT bench.time_ms($$SELECT count(*) FROM bench.diff_texts, pactoria.diff_text(old_text, new_text)$$, 5) AS c_10000_ms \gset
SELECT :lcs_500_ms * 400 AS plpgsql_lcs_10000_lines_extrapolated_ms, :c_10000_ms AS c_10000_lines_ms,
	   round(:lcs_500_ms * 400 / :c_10000_ms) AS extrapolated_ratio;

\echo '--- 3. the worst case: two unrelated 10,000-line texts of four distinct lines (the cost limit at work)'
CREATE TABLE bench.pathological AS
SELECT (SELECT string_agg(chr(97 + (hashint4(g) & 3)), E'\n') FROM generate_series(1, 10000) AS g) AS old_text,
	   (SELECT string_agg(chr(97 + (hashint4(-g) & 3)), E'\n') FROM generate_series(1, 10000) AS g) AS new_text;
SELECT * FROM bench.compare(
	ARRAY['C: 10,000 lines, 5% edits', 'C: 10,000 lines, pathological'],
	ARRAY[$$SELECT count(*) FROM bench.diff_texts, pactoria.diff_text(old_text, new_text)$$,
		  $$SELECT count(*) FROM bench.pathological, pactoria.diff_text(old_text, new_text)$$],
	3);
