-- Benchmark of contract versioning (issue 8).
--
-- 1. Updates of contracts with
--      floor    no trigger at all: the bare UPDATE;
--      C        pactoria's triggers: the lifecycle trigger (status rules, content
--               comparison, version + 1) and the AFTER trigger recording the version
--               through a kept SPI plan, plus the history guard on contract_versions;
--      PL/pgSQL the same job as a user would write it: a BEFORE trigger with the
--               same rules and an AFTER trigger doing INSERT INTO contract_versions
--               (no history guard: the baseline is spared that work).
--    a. 100,000 content updates per variant, each making a version: 5 UPDATE
--       statements of the same 20,000 contracts of pactoria.contracts.  Content is
--       short (about 200 bytes) so rows, not TOAST, are measured; the generated
--       search_vector and the GIN indexes of the real table are part of every
--       variant, floor too, and weigh heavily.
--    b. the check alone, which every UPDATE of a contract pays, content or not:
--       updates of another column (no version), on an unindexed copy of contracts.
--    Only the variant's own triggers are enabled (ALTER TABLE ... DISABLE TRIGGER
--    USER first), so other concerns' triggers (updated_at, audit) weigh on none.
--    Each UPDATE runs in its own transaction after a VACUUM (autovacuum off); the
--    variants take turns, in alternating order, and each keeps its best statement:
--    the machine is shared.
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

\echo '--- setup: a company, a user, 20,000 draft contracts (each records version 1)'
INSERT INTO pactoria.companies (id, name, subscription_tier)
VALUES ('00000000-0000-7000-8000-00000000b001', 'Bench Contracts Ltd', 'business');
SET pactoria.company_id = '00000000-0000-7000-8000-00000000b001';
INSERT INTO pactoria.users (company_id, id, email, full_name, role)
VALUES ('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0a1',
		'bench.author@example.co.uk', 'Bench Author', 'contract_manager');
SET pactoria.user_id = '00000000-0000-7000-8000-00000000b0a1';

INSERT INTO pactoria.contracts (company_id, title, contract_type, final_content)
SELECT '00000000-0000-7000-8000-00000000b001', format('Services agreement %s', g), 'services',
	   format('Clause %s. The Supplier shall provide the Services with reasonable skill and care '
			  'and in accordance with Good Industry Practice, from the Start Date until the End Date.', g)
FROM generate_series(1, 20000) AS g;
-- Steady conditions for the timings: no autovacuum starting mid-run, a VACUUM
-- before each timed UPDATE.
ALTER TABLE pactoria.contracts SET (autovacuum_enabled = false);
ALTER TABLE pactoria.contract_versions SET (autovacuum_enabled = false);
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

-- Only one variant's triggers are enabled at a time.
CREATE PROCEDURE bench.use_triggers(variant text)
LANGUAGE plpgsql AS $$
BEGIN
	ALTER TABLE pactoria.contracts DISABLE TRIGGER USER;
	ALTER TABLE pactoria.contract_versions DISABLE TRIGGER USER;
	IF variant = 'c' THEN
		ALTER TABLE pactoria.contracts ENABLE TRIGGER trg_contracts_enforce_lifecycle;
		ALTER TABLE pactoria.contracts ENABLE TRIGGER trg_contracts_record_version;
		ALTER TABLE pactoria.contract_versions ENABLE TRIGGER trg_contract_versions_guard_history;
	ELSIF variant = 'plpgsql' THEN
		ALTER TABLE pactoria.contracts ENABLE TRIGGER bench_plpgsql_lifecycle;
		ALTER TABLE pactoria.contracts ENABLE TRIGGER bench_plpgsql_record_version;
	END IF;
END
$$;

-- The timed UPDATE statements (20,000 rows each), one row per statement run.
CREATE TABLE bench.timings (section text, variant text, best_ms numeric);

\echo '--- 1a. 100,000 content updates per variant: 5 UPDATE statements of 20,000 rows, variants in turn'
\echo '---     (each makes a version: the lifecycle check, version + 1, the history INSERT)'
SELECT statement
FROM generate_series(1, 5) AS round,
	 unnest(ARRAY['floor', 'c', 'plpgsql']) WITH ORDINALITY AS v(variant, position),
	 LATERAL (VALUES
		(1, format('CALL bench.use_triggers(%L)', variant)),
		(2, 'VACUUM pactoria.contracts'),
		(3, format('INSERT INTO bench.timings SELECT %L, %L, bench.time_ms(%L, 1)', 'a. content updates', variant,
				   'UPDATE pactoria.contracts SET final_content = final_content || '' '''))) AS steps(step, statement)
ORDER BY round, CASE WHEN round % 2 = 1 THEN position ELSE -position END, step \gexec

-- 1b. The check alone.  An UPDATE of another column makes no version: all it costs
-- is the lifecycle trigger's check of status, version and content.  On contracts
-- itself (the C trigger refuses any table it was not made for, so no lean copy),
-- with every other trigger off: 20,000 rows, 10 rounds.
\echo '--- 1b. the lifecycle check every UPDATE pays: 20,000 updates of another column, 10 rounds'
SELECT statement
FROM generate_series(1, 10) AS round,
	 unnest(ARRAY['floor', 'c', 'plpgsql']) WITH ORDINALITY AS v(variant, position),
	 LATERAL (VALUES
		(1, 'ALTER TABLE pactoria.contracts DISABLE TRIGGER USER'),
		(2, CASE variant WHEN 'c' THEN 'ALTER TABLE pactoria.contracts ENABLE TRIGGER trg_contracts_enforce_lifecycle'
						 WHEN 'plpgsql' THEN 'ALTER TABLE pactoria.contracts ENABLE TRIGGER bench_plpgsql_lifecycle' END),
		(3, 'VACUUM pactoria.contracts'),
		(4, format('INSERT INTO bench.timings SELECT %L, %L, bench.time_ms(%L, 1)', 'b. the check alone', variant,
				   'UPDATE pactoria.contracts SET contract_value = coalesce(contract_value, 0) + 1'))) AS steps(step, statement)
WHERE statement IS NOT NULL
ORDER BY round, CASE WHEN round % 2 = 1 THEN position ELSE -position END, step \gexec

DROP TRIGGER bench_plpgsql_lifecycle ON pactoria.contracts;
DROP TRIGGER bench_plpgsql_record_version ON pactoria.contracts;
ALTER TABLE pactoria.contracts ENABLE TRIGGER USER;
ALTER TABLE pactoria.contract_versions ENABLE TRIGGER USER;

-- Each variant did what it should: the five content updates of C and the five of
-- PL/pgSQL each made a version, the floor's none, so every contract is at version
-- 11 with versions 1..11.
SELECT count(*) AS contracts, min(c.version) AS min_version, max(c.version) AS max_version,
	   sum((SELECT count(*) FROM pactoria.contract_versions AS v
			WHERE v.company_id = c.company_id AND v.contract_id = c.id)) AS versions_recorded
FROM pactoria.contracts AS c;

WITH best AS (
	SELECT section, variant, min(best_ms) AS best_ms FROM bench.timings GROUP BY section, variant
)
SELECT b.section, CASE b.variant WHEN 'floor' THEN 'floor: no trigger' WHEN 'c' THEN 'C: pactoria triggers'
					  ELSE 'PL/pgSQL baseline' END AS variant,
	   b.best_ms, round(b.best_ms / f.best_ms, 2) AS ratio_to_floor,
	   round((b.best_ms - f.best_ms) / 20.0, 2) AS overhead_us_per_update,
	   round((b.best_ms - f.best_ms) / nullif(c.best_ms - f.best_ms, 0), 2) AS overhead_ratio_to_c
FROM best AS b
JOIN best AS f ON f.section = b.section AND f.variant = 'floor'
JOIN best AS c ON c.section = b.section AND c.variant = 'c'
ORDER BY b.section, b.best_ms;

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
