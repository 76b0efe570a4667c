-- Benchmark: the UK validators on 1,000,000 rows of values typed the way users type
-- them (canonical, lower case without spaces, extra spaces), all valid.  For each of
-- postcodes, company numbers and VAT numbers, the best of several runs of:
--   floor           octet_length(col) > 0: the bare per-row call, no extension logic
--   floor, new text col || col: the cheapest built-in call that returns a new text, as
--                   normalise must for input that is not already canonical
--   validate (C)    pactoria.validate_uk_*(col)
--   normalise (C)   pactoria.normalise_uk_*(col), the canonical form
--   PL/pgSQL        the seed's way: a PL/pgSQL function around a regular expression
--   PL/pgSQL normalise  the same way of normalising
-- Ratios are to the floor; the last table gives how many times faster C is than PL/pgSQL.
-- The floor is timed in the same run, so the ratios hold on a busy machine better than
-- the milliseconds do.
-- One backend, no parallel workers and no JIT, so every variant does the same work.
SET max_parallel_workers_per_gather = 0;
SET jit = off;

-- The seed's way (its company-number regex is the seed's, wrong as the issue says).
CREATE FUNCTION bench.seed_validate_uk_postcode(postcode text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN upper(postcode) ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$';
END
$$;
CREATE FUNCTION bench.seed_normalise_uk_postcode(postcode text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	compact text := upper(regexp_replace(postcode, '\s', '', 'g'));
BEGIN
	IF compact !~ '^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$' THEN
		RAISE EXCEPTION 'invalid UK postcode: %', postcode;
	END IF;
	RETURN left(compact, -3) || ' ' || right(compact, 3);
END
$$;
CREATE FUNCTION bench.seed_validate_uk_company_number(company_number text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN upper(regexp_replace(company_number, '\s', '', 'g')) ~ '^([A-Z]{2,3})?[0-9]{8}$';
END
$$;
CREATE FUNCTION bench.seed_normalise_uk_company_number(company_number text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	compact text := upper(regexp_replace(company_number, '\s', '', 'g'));
BEGIN
	IF compact ~ '^[0-9]{1,8}$' THEN
		RETURN lpad(compact, 8, '0');
	END IF;
	IF compact !~ '^[A-Z]{2}[0-9]{6}$' THEN
		RAISE EXCEPTION 'invalid UK company number: %', company_number;
	END IF;
	RETURN compact;
END
$$;
CREATE FUNCTION bench.seed_validate_uk_vat_number(vat_number text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	digits text := regexp_replace(upper(regexp_replace(vat_number, '\s', '', 'g')), '^(GB|XI)', '');
	total integer := 0;
BEGIN
	IF digits !~ '^[0-9]{9}$' THEN
		RETURN false;
	END IF;
	FOR position IN 1..7 LOOP
		total := total + (9 - position) * substr(digits, position, 1)::integer;
	END LOOP;
	total := total + substr(digits, 8, 2)::integer;
	RETURN total % 97 = 0 OR (total + 55) % 97 = 0;
END
$$;
CREATE FUNCTION bench.seed_normalise_uk_vat_number(vat_number text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	compact text := upper(regexp_replace(vat_number, '\s', '', 'g'));
BEGIN
	IF NOT bench.seed_validate_uk_vat_number(compact) THEN
		RAISE EXCEPTION 'invalid UK VAT number: %', vat_number;
	END IF;
	RETURN CASE WHEN compact ~ '^(GB|XI)' THEN compact ELSE 'GB' || compact END;
END
$$;

-- 1,000,000 rows, each typed one of three ways.
CREATE TABLE bench.uk_identifiers AS
SELECT CASE i % 3
           WHEN 0 THEN postcode
           WHEN 1 THEN lower(replace(postcode, ' ', ''))
           ELSE ' ' || replace(postcode, ' ', '  ') END AS postcode,
       CASE i % 4
           WHEN 0 THEN lpad(number::text, 8, '0')
           WHEN 1 THEN number::text
           WHEN 2 THEN 'SC' || lpad((number % 1000000 + 1)::text, 6, '0')
           ELSE 'oc ' || lpad((number % 1000000 + 1)::text, 6, '0') END AS company_number,
       CASE i % 3
           WHEN 0 THEN 'GB' || vat_digits
           WHEN 1 THEN 'gb ' || substr(vat_digits, 1, 3) || ' ' || substr(vat_digits, 4, 4) || ' ' || substr(vat_digits, 8)
           ELSE vat_digits END AS vat_number
FROM generate_series(1, 1000000) AS i,
     LATERAL (SELECT (ARRAY['SW1A', 'EC1A', 'M1', 'B33', 'CR2', 'DN55', 'W1A', 'N1P', 'BT47', 'EH1'])[1 + i % 10]
                     || ' ' || (i / 10 % 10)::text
                     || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + i / 100 % 20, 1)
                     || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + i / 2000 % 20, 1) AS postcode,
                     (i::bigint * 7919 % 99999999 + 1) AS number,
                     lpad((i::bigint * 7919 % 8000000 + 1000001)::text, 7, '0') AS first_seven) AS parts,
     LATERAL (SELECT first_seven || lpad(((97 - sum((9 - position) * substr(first_seven, position, 1)::integer) % 97) % 97)::text, 2, '0')
                     AS vat_digits
              FROM generate_series(1, 7) AS position) AS vat;
VACUUM ANALYZE bench.uk_identifiers;
-- Every row is valid, so normalise_* never raises.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE pactoria.validate_uk_postcode(postcode)) AS valid_postcodes,
       count(*) FILTER (WHERE pactoria.validate_uk_company_number(company_number)) AS valid_company_numbers,
       count(*) FILTER (WHERE pactoria.validate_uk_vat_number(vat_number)) AS valid_vat_numbers
FROM bench.uk_identifiers;

-- The variants, and their timings taken round-robin: round 1 runs every variant once,
-- then round 2, ..., so a burst of load elsewhere on the machine hits all variants alike.
-- Best of 7 rounds for the floor and C, of 3 for PL/pgSQL (ten times slower).
CREATE TEMP TABLE variants AS
SELECT concern, concern_position, position, variant, runs,
       format(statement, function_name, concern) AS statement
FROM unnest(ARRAY['postcode', 'company_number', 'vat_number']) WITH ORDINALITY
         AS concerns (concern, concern_position),
     LATERAL (VALUES
         (1, 'floor', 'SELECT count(*) FROM bench.uk_identifiers WHERE octet_length(%2$I) > 0', NULL, 7),
         (2, 'floor, new text', 'SELECT count(*) FROM bench.uk_identifiers WHERE (%2$I || %2$I) IS NOT NULL', NULL, 7),
         (3, 'validate (C)', 'SELECT count(*) FROM bench.uk_identifiers WHERE pactoria.%I(%I)',
          'validate_uk_' || concern, 7),
         (4, 'normalise (C)', 'SELECT count(*) FROM bench.uk_identifiers WHERE pactoria.%I(%I) IS NOT NULL',
          'normalise_uk_' || concern, 7),
         (5, 'PL/pgSQL validate', 'SELECT count(*) FROM bench.uk_identifiers WHERE bench.%I(%I)',
          'seed_validate_uk_' || concern, 3),
         (6, 'PL/pgSQL normalise', 'SELECT count(*) FROM bench.uk_identifiers WHERE bench.%I(%I) IS NOT NULL',
          'seed_normalise_uk_' || concern, 3)
     ) AS variant_list (position, variant, statement, function_name, runs);
CREATE TEMP TABLE timings (concern text, position integer, ms numeric);
DO $$
DECLARE
	v record;
BEGIN
	FOR round IN 1..7 LOOP
		FOR v IN SELECT * FROM variants WHERE runs >= round ORDER BY concern_position, position LOOP
			INSERT INTO timings VALUES (v.concern, v.position, bench.time_ms(v.statement, 1));
		END LOOP;
	END LOOP;
END
$$;
CREATE TEMP TABLE results AS
SELECT v.concern, v.concern_position, v.position, v.variant, min(t.ms) AS best_ms
FROM variants AS v JOIN timings AS t USING (concern, position)
GROUP BY v.concern, v.concern_position, v.position, v.variant;

\echo 'UK validators, 1,000,000 rows: best of 7 rounds (PL/pgSQL: of 3); ratio = time / floor'
SELECT r.concern, r.variant, r.best_ms, round(r.best_ms / greatest(f.best_ms, 0.1), 2) AS ratio_to_floor
FROM results AS r JOIN results AS f ON f.concern = r.concern AND f.position = 1
ORDER BY r.concern_position, r.position;
\echo 'Goal: C within 1.5 x the floor, and at least 10 x faster than PL/pgSQL'
SELECT c.concern,
       round(c.best_ms / greatest(f.best_ms, 0.1), 2) AS validate_to_floor,
       round(n.best_ms / greatest(f.best_ms, 0.1), 2) AS normalise_to_floor,
       round(pv.best_ms / greatest(c.best_ms, 0.1), 1) AS validate_times_faster_than_plpgsql,
       round(pn.best_ms / greatest(n.best_ms, 0.1), 1) AS normalise_times_faster_than_plpgsql
FROM results AS c
JOIN results AS f ON f.concern = c.concern AND f.position = 1
JOIN results AS n ON n.concern = c.concern AND n.variant = 'normalise (C)'
JOIN results AS pv ON pv.concern = c.concern AND pv.variant = 'PL/pgSQL validate'
JOIN results AS pn ON pn.concern = c.concern AND pn.variant = 'PL/pgSQL normalise'
WHERE c.variant = 'validate (C)'
ORDER BY c.concern_position;
