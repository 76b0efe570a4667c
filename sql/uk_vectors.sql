-- Real data (test/vectors, see its README): 41,000 real postcodes, 8,217 postcodes
-- as employers typed them, 9,654 company numbers as employers typed them.  Every
-- expected value must match; only counts are shown, and the list of mismatching rows,
-- which must be empty.  Rows classed 'edge' are counted, not checked.
\getenv abs_srcdir PG_ABS_SRCDIR
\cd :abs_srcdir
CREATE TEMP TABLE vector_postcodes (source text, input text, expected text);
CREATE TEMP TABLE vector_file (input text, expected text, note text);

-- Canonical real postcodes: valid, and normalising leaves them as they are.
\copy vector_file (input) FROM 'test/vectors/postcodes_real_gb_codepoint2014.txt'
INSERT INTO vector_postcodes SELECT 'Code-Point Open 2014 (GB)', input, input FROM vector_file;
TRUNCATE vector_file;
\copy vector_file (input) FROM 'test/vectors/postcodes_real_ni_fhrs.txt'
INSERT INTO vector_postcodes SELECT 'FHRS Northern Ireland (BT)', input, input FROM vector_file;
TRUNCATE vector_file;
-- Code-Point's fixed-width 7-character form and its canonical form.
\copy vector_file (input, expected) FROM 'test/vectors/postcodes_real_gb_codepoint2014_raw7_normalised.tsv' WITH (HEADER)
INSERT INTO vector_postcodes SELECT 'Code-Point 7-character form', input, expected FROM vector_file;
TRUNCATE vector_file;
-- Real entries that break the rules: all invalid.
\copy vector_file (input, note, expected) FROM 'test/vectors/postcodes_real_world_typos.tsv' WITH (HEADER)
INSERT INTO vector_postcodes SELECT 'real typos', input, 'INVALID' FROM vector_file;
TRUNCATE vector_file;
-- Raw entries as typed, with their canonical form or INVALID.
\copy vector_file (input, expected) FROM 'test/vectors/postcodes_real_world_inputs_gpg.tsv' WITH (HEADER)
INSERT INTO vector_postcodes SELECT 'Gender Pay Gap entries', input, expected FROM vector_file;
TRUNCATE vector_file;

-- The answer of both functions for every row; the error of normalise_* is caught
-- per row and answered 'INVALID'.
CREATE FUNCTION pg_temp.normalised_or_invalid(kind text, input text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE kind WHEN 'postcode' THEN pactoria.normalise_uk_postcode(input)::text
	                 ELSE pactoria.normalise_uk_company_number(input)::text END;
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN 'INVALID';
END
$$;
CREATE TEMP TABLE postcode_answers AS
SELECT source, input, expected,
       pactoria.validate_uk_postcode(input) AS valid,
       pg_temp.normalised_or_invalid('postcode', input) AS normalised
FROM vector_postcodes;

SELECT source, count(*) AS rows_checked,
       count(*) FILTER (WHERE expected <> 'INVALID') AS expected_valid,
       count(*) FILTER (WHERE normalised IS DISTINCT FROM expected
                           OR valid IS DISTINCT FROM (expected <> 'INVALID')) AS mismatches
FROM postcode_answers GROUP BY source ORDER BY source;
SELECT count(*) AS postcode_rows_checked FROM postcode_answers;
-- Mismatching rows (none).
SELECT source, input, expected, valid, normalised FROM postcode_answers
WHERE normalised IS DISTINCT FROM expected OR valid IS DISTINCT FROM (expected <> 'INVALID')
ORDER BY source, input LIMIT 20;

-- Company numbers: 'valid' rows are canonical 8-character numbers, 'invalid' rows are
-- refused, 'edge' rows (BR establishment numbers, placeholders ...) are not checked
-- (the accepted column shows how the rules classed them: none is a company number).
\copy vector_file (input, expected, note) FROM 'test/vectors/company_numbers_real_gpg.tsv' WITH (HEADER)
CREATE TEMP TABLE company_number_answers AS
SELECT input, expected AS class,
       CASE expected WHEN 'valid' THEN input WHEN 'invalid' THEN 'INVALID' END AS expected,
       pactoria.validate_uk_company_number(input) AS valid,
       pg_temp.normalised_or_invalid('company_number', input) AS normalised
FROM vector_file;

SELECT class, count(*) AS rows_read,
       count(*) FILTER (WHERE class <> 'edge') AS rows_checked,
       count(*) FILTER (WHERE valid) AS accepted,
       count(*) FILTER (WHERE class <> 'edge'
                          AND (normalised IS DISTINCT FROM expected
                               OR valid IS DISTINCT FROM (class = 'valid'))) AS mismatches
FROM company_number_answers GROUP BY class ORDER BY class;
-- Mismatching rows (none).
SELECT input, class, valid, normalised FROM company_number_answers
WHERE class <> 'edge' AND (normalised IS DISTINCT FROM expected OR valid IS DISTINCT FROM (class = 'valid'))
ORDER BY input LIMIT 20;
-- The real prefixes seen, each recognised (valid rows only).
SELECT (pactoria.uk_company_number_info(input)).prefix, count(*) AS numbers
FROM company_number_answers WHERE class = 'valid'
GROUP BY 1 ORDER BY 1 NULLS FIRST;
