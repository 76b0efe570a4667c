-- Differential test: the C validators against a PL/pgSQL reference of the same rules,
-- written independently (regular expressions instead of position checks), on generated
-- input: exhaustive short shapes, random strings, and valid values made messy the way
-- users type them.  Only counts are shown; the lists of disagreements must be empty.
SET max_parallel_workers_per_gather = 0;
CREATE SCHEMA uk_reference;

-- The reference rules: the canonical form, or NULL when the input is invalid.
CREATE FUNCTION uk_reference.compact(input text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	-- Non-ASCII characters take more than one byte in UTF-8: refuse them (NULL).
	SELECT CASE WHEN octet_length(input) = length(input)
	            THEN upper(regexp_replace(input, '[ \t\n\r\v\f]', '', 'g')) END
$$;

CREATE FUNCTION uk_reference.postcode(input text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	compact text := uk_reference.compact(input);
BEGIN
	IF compact = 'GIR0AA' THEN
		RETURN 'GIR 0AA';
	END IF;
	-- Area letters: first never Q V X, second never I J Z; A9A third and AA9A fourth
	-- from their lists; inward letters never C I K M O V.
	IF compact ~ ('^(' || '[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|'
	              || '[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]'
	              || ')[0-9][ABD-HJLNP-UW-Z]{2}$') THEN
		RETURN left(compact, -3) || ' ' || right(compact, 3);
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION uk_reference.company_number(input text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	compact text := uk_reference.compact(input);
BEGIN
	IF compact ~ '^[0-9]{1,8}$' THEN
		compact := lpad(compact, 8, '0');
		RETURN CASE WHEN compact <> '00000000' THEN compact END;
	END IF;
	IF compact ~ ('^(AC|ZC|FC|GE|LP|OC|SE|SA|SZ|SF|GS|SL|SO|SC|ES|NA|NZ|NF|GN|NL|NC|R0|NI|EN|'
	              || 'IP|SP|IC|SI|NP|NV|RC|SR|NR|NO|CE|CS|SG|PC|OE|RS|FE)[0-9]{6}$')
	   AND right(compact, 6) <> '000000' THEN
		RETURN compact;
	END IF;
	IF compact ~ '^(IP|SP|RS)[0-9]{5}[A-Z]$' AND substr(compact, 3, 5) <> '00000' THEN
		RETURN compact;
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION uk_reference.vat_number(input text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	compact text := uk_reference.compact(input);
	country text := 'GB';
	first_seven integer;
	check_digits integer;
	weighted integer := 0;
BEGIN
	IF compact ~ '^(GB|XI)' THEN
		country := left(compact, 2);
		compact := substr(compact, 3);
	END IF;
	IF compact ~ '^(GD[0-4][0-9]{2}|HA[5-9][0-9]{2})$' THEN
		RETURN country || compact;
	END IF;
	IF compact !~ '^([0-9]{9}|[0-9]{12})$' THEN
		RETURN NULL;
	END IF;
	first_seven := left(compact, 7)::integer;
	check_digits := substr(compact, 8, 2)::integer;
	FOR position IN 1..7 LOOP
		weighted := weighted + (9 - position) * substr(compact, position, 1)::integer;
	END LOOP;
	IF first_seven = 0 AND check_digits = 0 OR check_digits > 96 THEN
		RETURN NULL;
	END IF;
	IF (weighted + check_digits) % 97 = 0
	   AND first_seven NOT BETWEEN 100000 AND 999999
	   AND first_seven NOT BETWEEN 9490001 AND 9700000
	   AND first_seven < 9990001 THEN
		RETURN country || compact;
	END IF;
	IF (weighted + check_digits + 55) % 97 = 0 AND first_seven > 1000000 THEN
		RETURN country || compact;
	END IF;
	RETURN NULL;
END
$$;

-- Generators.  pick(): one random character of the alphabet.  mess(): the value as a
-- user might type it: random lower case, spaces and tabs, now and then a stray
-- character, a lost character or a non-ASCII look-alike.
CREATE FUNCTION uk_reference.pick(alphabet text) RETURNS text
LANGUAGE sql AS $$ SELECT substr(alphabet, 1 + floor(random() * length(alphabet))::integer, 1) $$;

CREATE FUNCTION uk_reference.mess(canonical text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	typed text := '';
	character text;
BEGIN
	FOREACH character IN ARRAY regexp_split_to_array(canonical, '') LOOP
		IF random() < 0.15 THEN
			typed := typed || uk_reference.pick(E'  \t');
		END IF;
		IF random() < 0.02 THEN
			CONTINUE;
		END IF;
		IF random() < 0.02 THEN
			character := uk_reference.pick('-./,O0I1' || U&'\00A0\FF11\0410');
		END IF;
		typed := typed || CASE WHEN random() < 0.3 THEN lower(character) ELSE character END;
	END LOOP;
	RETURN typed || CASE WHEN random() < 0.05 THEN ' ' ELSE '' END;
END
$$;

SELECT setseed(0.2024);
CREATE TABLE uk_reference.inputs (kind text, input text);

-- Postcodes: every outward code of 2 or 3 characters (first character a letter or a
-- digit), every inward code of 3 characters, random 4-character outward codes, and
-- random valid-shaped postcodes typed messily.
INSERT INTO uk_reference.inputs
SELECT 'postcode', outward || ' 1AA'
FROM (SELECT a || b AS outward
      FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS a,
           regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS b
      UNION ALL
      SELECT a || b || c
      FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS a,
           regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS b,
           regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS c) AS outward_codes;
INSERT INTO uk_reference.inputs
SELECT 'postcode', 'EC1A ' || a || b || c
FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS a,
     regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS b,
     regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS c;
INSERT INTO uk_reference.inputs
SELECT 'postcode', uk_reference.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ') || uk_reference.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ')
                   || uk_reference.pick('0123456789') || uk_reference.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
                   || ' ' || uk_reference.pick('0123456789') || uk_reference.pick('ABDEFGHJLNPQRSTUWXYZ')
                   || uk_reference.pick('ABDEFGHJLNPQRSTUWXYZ')
FROM generate_series(1, 30000);
INSERT INTO uk_reference.inputs
SELECT 'postcode', uk_reference.mess(
           uk_reference.pick('ABCDEFGHJKLMNOPRSTUWYZ')
           || CASE WHEN random() < 0.6 THEN uk_reference.pick('ABCDEFGHKLMNOPQRSTUVWXY') ELSE '' END
           || uk_reference.pick('0123456789')
           || CASE WHEN random() < 0.5 THEN uk_reference.pick('0123456789ABEHMNPRVWXY') ELSE '' END
           || ' ' || uk_reference.pick('0123456789') || uk_reference.pick('ABDEFGHJLNPQRSTUWXYZ')
           || uk_reference.pick('ABDEFGHJLNPQRSTUWXYZ'))
FROM generate_series(1, 30000);

-- Company numbers: every pair of characters before 6 digits, 5 digits and a letter,
-- all zeros, or too few digits; digit strings of 0 to 9 digits; messy valid numbers.
INSERT INTO uk_reference.inputs
SELECT 'company_number', a || b || suffix
FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS a,
     regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS b,
     unnest(ARRAY['123456', '00141R', '000000', '00000R', '12345', '1234567', '12345%']) AS suffix;
INSERT INTO uk_reference.inputs
SELECT 'company_number', left(floor(random() * 1e9)::bigint::text, floor(random() * 10)::integer)
FROM generate_series(1, 20000);
INSERT INTO uk_reference.inputs
SELECT 'company_number', uk_reference.mess(
           CASE floor(random() * 3)::integer
               WHEN 0 THEN lpad(floor(random() * 1e8)::bigint::text, 8, '0')
               WHEN 1 THEN (ARRAY['SC', 'OC', 'NI', 'R0', 'FC', 'LP', 'SO', 'CE', 'OE', 'ZC'])[1 + floor(random() * 10)::integer]
                           || lpad(floor(random() * 1e6)::integer::text, 6, '0')
               ELSE (ARRAY['IP', 'SP', 'RS'])[1 + floor(random() * 3)::integer]
                    || lpad(floor(random() * 1e5)::integer::text, 5, '0') || uk_reference.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ')
           END)
FROM generate_series(1, 20000);

-- VAT numbers: random 9- and 12-digit numbers; numbers given the check digits of each
-- series (and one more, and 97 more); every first-seven edge of every range with every
-- check digit; every GD and HA number; all of it with and without prefixes and mess.
INSERT INTO uk_reference.inputs
SELECT 'vat_number', lpad(floor(random() * 1e9)::bigint::text, 9, '0')
                     || CASE WHEN random() < 0.2 THEN lpad(floor(random() * 1e3)::integer::text, 3, '0') ELSE '' END
FROM generate_series(1, 30000);
INSERT INTO uk_reference.inputs
SELECT 'vat_number', (ARRAY['', 'GB', 'XI', 'gb ', ' xi'])[1 + floor(random() * 5)::integer]
                     || first_seven || lpad(((97 - (weighted + series) % 97) % 97 + shift)::text, 2, '0')
FROM (SELECT lpad(floor(random() * 1e7)::integer::text, 7, '0') AS first_seven,
             (ARRAY[0, 55])[1 + floor(random() * 2)::integer] AS series,
             (ARRAY[0, 0, 0, 1, 97])[1 + floor(random() * 5)::integer] AS shift
      FROM generate_series(1, 30000)) AS drawn,
     LATERAL (SELECT sum((9 - position) * substr(first_seven, position, 1)::integer)::integer AS weighted
              FROM generate_series(1, 7) AS position) AS sums
WHERE (97 - (weighted + series) % 97) % 97 + shift < 100;
INSERT INTO uk_reference.inputs
SELECT 'vat_number', lpad((edge + offset_from_edge)::text, 7, '0') || lpad(check_digits::text, 2, '0')
FROM unnest(ARRAY[0, 100000, 999999, 1000000, 9490001, 9700000, 9990001, 9999999]) AS edge,
     generate_series(-2, 2) AS offset_from_edge,
     generate_series(0, 99) AS check_digits
WHERE edge + offset_from_edge BETWEEN 0 AND 9999999;
INSERT INTO uk_reference.inputs
SELECT 'vat_number', prefix || kind || lpad(number::text, 3, '0')
FROM unnest(ARRAY['', 'GB', 'XI']) AS prefix, unnest(ARRAY['GD', 'HA']) AS kind,
     generate_series(0, 999) AS number;
INSERT INTO uk_reference.inputs
SELECT 'vat_number', uk_reference.mess(input) FROM uk_reference.inputs WHERE kind = 'vat_number' AND random() < 0.3;

-- Both implementations answer every input.
CREATE TABLE uk_reference.answers AS
SELECT kind, input,
       CASE kind WHEN 'postcode' THEN uk_reference.postcode(input)
                 WHEN 'company_number' THEN uk_reference.company_number(input)
                 ELSE uk_reference.vat_number(input) END AS reference,
       CASE kind WHEN 'postcode' THEN pactoria.validate_uk_postcode(input)
                 WHEN 'company_number' THEN pactoria.validate_uk_company_number(input)
                 ELSE pactoria.validate_uk_vat_number(input) END AS valid
FROM uk_reference.inputs;
-- normalise_* on every valid input; on invalid ones it must raise 22023 (a sample:
-- catching an error per row is slow).
CREATE FUNCTION uk_reference.normalised(kind text, input text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE kind WHEN 'postcode' THEN pactoria.normalise_uk_postcode(input)::text
	                 WHEN 'company_number' THEN pactoria.normalise_uk_company_number(input)::text
	                 ELSE pactoria.normalise_uk_vat_number(input)::text END;
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN NULL;
END
$$;
ALTER TABLE uk_reference.answers ADD COLUMN normalised text, ADD COLUMN normalise_checked boolean;
UPDATE uk_reference.answers
SET normalised = uk_reference.normalised(kind, input), normalise_checked = true
WHERE valid OR reference IS NOT NULL OR random() < 0.05;

SELECT kind, count(*) AS inputs,
       count(*) FILTER (WHERE reference IS NOT NULL) AS valid_by_reference,
       count(*) FILTER (WHERE valid IS DISTINCT FROM (reference IS NOT NULL)) AS validate_disagrees,
       count(*) FILTER (WHERE normalise_checked) AS normalise_checked,
       count(*) FILTER (WHERE normalise_checked AND normalised IS DISTINCT FROM reference) AS normalise_disagrees
FROM uk_reference.answers GROUP BY kind ORDER BY kind;
-- Enough of each side to mean something: at least 10,000 valid and 10,000 invalid
-- inputs of each kind, and messy input among the valid ones.
SELECT kind,
       count(*) FILTER (WHERE reference IS NOT NULL) >= 10000 AS many_valid,
       count(*) FILTER (WHERE reference IS NULL) >= 10000 AS many_invalid,
       count(*) FILTER (WHERE reference IS NOT NULL AND input <> reference) >= 1000 AS many_normalised
FROM uk_reference.answers GROUP BY kind ORDER BY kind;
-- Disagreements (none).
SELECT kind, input, reference, valid, normalised FROM uk_reference.answers
WHERE valid IS DISTINCT FROM (reference IS NOT NULL)
   OR (normalise_checked AND normalised IS DISTINCT FROM reference)
ORDER BY kind, input LIMIT 20;

SET client_min_messages = warning;
DROP SCHEMA uk_reference CASCADE;
