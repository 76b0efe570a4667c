-- UK postcodes: pactoria.validate_uk_postcode, normalise_uk_postcode and
-- uk_postcode_parts, walked rule by rule.
-- result(): the normalised postcode, or the message of the error it raises.
CREATE FUNCTION pg_temp.result(input text, OUT result text) LANGUAGE plpgsql AS $$
BEGIN result := pactoria.normalise_uk_postcode(input);
EXCEPTION WHEN invalid_parameter_value THEN GET STACKED DIAGNOSTICS result = MESSAGE_TEXT; END $$;

-- The six outward shapes, and GIR 0AA.
SELECT input, pactoria.validate_uk_postcode(input) AS valid, pg_temp.result(input)
FROM (VALUES ('M1 1AE'), ('M60 1NW'), ('CR2 6XH'), ('DN55 1PT'), ('W1A 0AX'), ('EC1A 1BB'),
             ('GIR 0AA'), ('N1P 1AA')) AS postcodes (input);

-- Channel Islands and Isle of Man postcodes follow the same scheme.
SELECT input, pactoria.validate_uk_postcode(input) AS valid
FROM (VALUES ('GY1 1AA'), ('JE2 3AB'), ('IM1 1AA'), ('IM99 1PS')) AS postcodes (input);

-- Normalising: whitespace of every ASCII kind anywhere, any case.
SELECT typed, pg_temp.result(input)
FROM (VALUES ('sw1a1aa', 'sw1a1aa'), ('Sw1A 1aA', 'Sw1A 1aA'), ('spaces around', '  SW1A 1AA  '),
             ('three spaces', 'SW1A   1AA'), ('spaced out', 'S W 1 A 1 A A'),
             ('tab', E'SW1A\t1AA'), ('newlines, CR', E'\nSW1A 1AA\r\n'),
             ('vertical tab, form feed', 'SW1A' || chr(11) || chr(12) || '1AA'),
             ('m11ae', 'm11ae'), ('gir0aa', 'gir0aa')) AS postcodes (typed, input);

-- Length, spaces not counted: 5 to 7 characters.
SELECT input, pg_temp.result(input)
FROM (VALUES ('M1 1A'), ('M11AE'), ('EC1A 1BB'), ('EC1AB 1BB'), ('EC1A1BBX')) AS postcodes (input);

-- Shapes that are not postcodes.
SELECT input, pg_temp.result(input)
FROM (VALUES ('1A 1AA'), ('AA 1AA'), ('AAA 1AA'), ('A9AA 1AA'), ('A99A 1AA'), ('AA9AA 1A'),
             ('W1- 1AA'), ('SWIA 1AA'), ('SW1A 1A1'), ('SW1A A1A'), ('SW1A 11A'), ('SW1A-1AA'))
     AS postcodes (input);

-- First letter: never Q, V or X, whatever the shape.
SELECT string_agg(letter, '' ORDER BY letter) AS accepted_first_letters
FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') AS letter
WHERE pactoria.validate_uk_postcode(letter || '1 1AA');
SELECT input, pg_temp.result(input)
FROM (VALUES ('Q1 1AA'), ('V1A 1AA'), ('XA1 1AA'), ('QW12 1AA')) AS postcodes (input);

-- Second letter of a two-letter area: never I, J or Z.
SELECT string_agg(letter, '' ORDER BY letter) AS accepted_second_letters
FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') AS letter
WHERE pactoria.validate_uk_postcode('A' || letter || '1 1AA');
SELECT input, pg_temp.result(input)
FROM (VALUES ('AI1 1AA'), ('AJ12 1AA'), ('ZZ99 3WZ')) AS postcodes (input);

-- Third character of A9A: A B C D E F G H J K P S T U W (P included: N1P is real).
SELECT string_agg(letter, '' ORDER BY letter) AS accepted_a9a_letters
FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') AS letter
WHERE pactoria.validate_uk_postcode('W1' || letter || ' 1AA');
SELECT pg_temp.result('W1I 1AA');

-- Fourth character of AA9A: A B E H M N P R V W X Y.
SELECT string_agg(letter, '' ORDER BY letter) AS accepted_aa9a_letters
FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') AS letter
WHERE pactoria.validate_uk_postcode('EC1' || letter || ' 1AA');
SELECT pg_temp.result('EC1C 1AA');

-- District digits: any digit; the inward digit: any digit.
SELECT string_agg(digit, '' ORDER BY digit) AS accepted_district_digits
FROM regexp_split_to_table('0123456789', '') AS digit
WHERE pactoria.validate_uk_postcode('SW' || digit || 'A 1AA')
  AND pactoria.validate_uk_postcode('M' || digit || ' 1AA')
  AND pactoria.validate_uk_postcode('DN5' || digit || ' 1AA');
SELECT string_agg(digit, '' ORDER BY digit) AS accepted_inward_digits
FROM regexp_split_to_table('0123456789', '') AS digit
WHERE pactoria.validate_uk_postcode('SW1A ' || digit || 'AA');

-- Inward letters: never C, I, K, M, O or V, in either position.
SELECT string_agg(letter, '' ORDER BY letter) AS accepted_inward_letters
FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') AS letter
WHERE pactoria.validate_uk_postcode('SW1A 1' || letter || 'A')
  AND pactoria.validate_uk_postcode('SW1A 1A' || letter);
SELECT input, pg_temp.result(input)
FROM (VALUES ('SW1A 1CA'), ('SW1A 1AI'), ('SW1A 1KA'), ('SW1A 1AM'), ('SW1A 1OA'), ('SW1A 1AV'))
     AS postcodes (input);

-- No silent fixing of O/0 or I/1; not postcodes under these rules: BFPO numbers,
-- overseas-territory codes, NHS pseudo-postcodes.
SELECT input, pg_temp.result(input)
FROM (VALUES ('SW1A OAA'), ('SWIA 1AA'), ('S023 9NA'), ('BFPO 1234'), ('ASCN 1ZZ'), ('STHL 1ZZ'),
             ('TDCU 1ZZ'), ('ZZ99 3CZ'), ('GIR OAA')) AS postcodes (input);

-- Bad input: NULL is NULL; empty, whitespace, punctuation, 1 MB and non-ASCII are false,
-- never an error, and normalise names the rule.
SELECT pactoria.validate_uk_postcode(NULL) IS NULL AS validate_null,
       pactoria.normalise_uk_postcode(NULL) IS NULL AS normalise_null,
       pactoria.uk_postcode_parts(NULL) IS NULL AS parts_null;
SELECT typed, pactoria.validate_uk_postcode(input) AS valid, pg_temp.result(input)
FROM (VALUES ('empty', ''), ('one space', ' '), ('tab and newline', E'\t\n'), ('.', '.'),
             ('SW1A 1AA.', 'SW1A 1AA.'), ('SW1A_1AA', 'SW1A_1AA'), ('SW1A\1AA', 'SW1A\1AA'),
             ('control character', 'SW1A' || chr(1) || '1AA'))
     AS postcodes (typed, input);
SELECT pactoria.validate_uk_postcode(repeat('A', 1024 * 1024)) AS one_megabyte,
       pactoria.validate_uk_postcode(repeat('SW1A 1AA', 131072)) AS one_megabyte_of_postcodes,
       pactoria.validate_uk_postcode(repeat(' ', 1024 * 1024) || 'sw1a1aa') AS spaces_then_postcode;
SELECT pg_temp.result(repeat('SW1A 1AA', 131072)) AS error_quotes_64_bytes;
-- Full-width letters and digits, Cyrillic A, NBSP, zero-width space, e acute, thin space.
SELECT input, pactoria.validate_uk_postcode(input) AS valid, pg_temp.result(input)
FROM (VALUES (U&'\FF33\FF37\FF11\FF21 \FF11\FF21\FF21'), (U&'SW1\0410 1AA'), (U&'SW1A\00A01AA'),
             (U&'SW1A\200B1AA'), (U&'SW1A 1A\00C9'), (U&'SW1A\20091AA')) AS postcodes (input);
-- The wrong type is refused by the parser.
SELECT pactoria.validate_uk_postcode(12345);
SELECT pactoria.validate_uk_postcode(ARRAY['SW1A 1AA']);

-- The error itself: SQLSTATE 22023, the value and the first rule broken, and a hint.
SELECT pactoria.normalise_uk_postcode('sw1a oaa');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;

-- Parts, as Royal Mail names them.
SELECT input, parts.*
FROM (VALUES ('sw1a1aa'), ('M1 1AE'), ('B33 8TH'), ('CR2 6XH'), ('DN55 1PT'), ('W1A 0AX'),
             ('GIR 0AA')) AS postcodes (input),
     pactoria.uk_postcode_parts(input) AS parts;
SELECT * FROM pactoria.uk_postcode_parts('SW1A OAA');
