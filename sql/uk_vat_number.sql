-- UK VAT numbers: pactoria.validate_uk_vat_number and normalise_uk_vat_number, walked
-- rule by rule.  With S = 8*d1 + 7*d2 + ... + 2*d7 and C = d8d9 (00 to 96): valid in
-- the original series when (S + C) mod 97 = 0, in the 9755 series when
-- (S + C + 55) mod 97 = 0.  The numbers below were built with the right check digits
-- for each edge of each range.
-- result(): the normalised number, or the message of the error it raises.
CREATE FUNCTION pg_temp.result(input text, OUT result text) LANGUAGE plpgsql AS $$
BEGIN result := pactoria.normalise_uk_vat_number(input);
EXCEPTION WHEN invalid_parameter_value THEN GET STACKED DIAGNOSTICS result = MESSAGE_TEXT; END $$;

-- Prefix: GB, XI or none (GB is added); whitespace anywhere, any case.
SELECT typed, pactoria.validate_uk_vat_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('980780684', '980780684'), ('GB980780684', 'GB980780684'), ('XI980780684', 'XI980780684'),
             ('gb 980 7806 84', 'gb 980 7806 84'), ('xi980780684', 'xi980780684'),
             ('spaces, tab', E'  GB 980\t7806 84  '), ('GB only', 'GB'), ('XI only', 'XI'),
             ('Irish', 'IE6388047V'), ('EU prefix', 'EU372000041'), ('GBGB', 'GBGB980780684'),
             ('G + digits', 'G980780684')) AS numbers (typed, input);

-- Nothing but whitespace is stripped.
SELECT input, pg_temp.result(input)
FROM (VALUES ('GB980-7806-84'), ('GB 980.7806.84'), ('GB:980780684'), ('(GB)980780684'))
     AS numbers (input);

-- Lengths: 9 digits, or 12 for a branch trader (the first 9 are checked).
SELECT input, pg_temp.result(input)
FROM (VALUES ('98078068'), ('9807806840'), ('98078068412'), ('980780684001'), ('980780684999'),
             ('980780685001'), ('9807806840012'), ('GB9807806840012')) AS numbers (input);

-- Check digits: compared exactly, 00 to 96.
SELECT input, pactoria.validate_uk_vat_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('980780684'), ('980780685'), ('980780683'), ('000489900'), ('000489997'),
             ('100006800'), ('100006897'), ('100389896'), ('980780699')) AS numbers (input);

-- Original (modulus 97) series: d1...d7 never 0100000-0999999, 9490001-9700000,
-- 9990001-9999999.  Each edge, inside and outside.
SELECT input, pactoria.validate_uk_vat_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('000000195'), ('009999914'), ('010000090'), ('099999948'), ('100000089'),
             ('949000040'), ('949000138'), ('970000073'), ('970000171'),
             ('999000005'), ('999000103'), ('999999973')) AS numbers (input);

-- 9755 series: d1...d7 above 1000000; the original series' gaps do not apply.
SELECT input, pactoria.validate_uk_vat_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('010000035'), ('099999990'), ('100000034'), ('100000132'), ('949000180'),
             ('999999918')) AS numbers (input);

-- The all-zero number, with and without prefix or branch.
SELECT input, pg_temp.result(input)
FROM (VALUES ('000000000'), ('GB000000000'), ('XI 000 0000 00'), ('000000000000'), ('000000000123'))
     AS numbers (input);

-- Government departments GD000-GD499, health authorities HA500-HA999.
SELECT input, pactoria.validate_uk_vat_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('GD000'), ('gd 100'), ('GBGD499'), ('GD500'), ('GD999'), ('XIGD001'),
             ('HA499'), ('HA500'), ('gbha999'), ('HA000'), ('GD12'), ('GD1234'), ('HA50A'),
             ('GDABC')) AS numbers (input);

-- Bad input: NULL is NULL; empty, whitespace, 1 MB and non-ASCII are false, never an
-- error, and normalise names the rule.
SELECT pactoria.validate_uk_vat_number(NULL) IS NULL AS validate_null,
       pactoria.normalise_uk_vat_number(NULL) IS NULL AS normalise_null;
SELECT typed, pactoria.validate_uk_vat_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('empty', ''), ('spaces', '   '),
             ('full-width digits', U&'GB\FF19\FF18\FF10\FF17\FF18\FF10\FF16\FF18\FF14'),
             ('Cyrillic B', U&'G\0412980780684'), ('NBSP', U&'GB\00A0980780684'),
             ('zero-width space', U&'GB980780684\200B')) AS numbers (typed, input);
SELECT pactoria.validate_uk_vat_number(repeat('9', 1024 * 1024)) AS one_megabyte,
       pactoria.validate_uk_vat_number(repeat(' ', 1024 * 1024) || 'gb980780684') AS spaces_then_number;
SELECT pg_temp.result(repeat('GB980780684 ', 87382)) AS error_quotes_64_bytes;
SELECT pactoria.validate_uk_vat_number(980780684);

-- The error itself: SQLSTATE 22023, the value and the first rule broken, and a hint.
SELECT pactoria.normalise_uk_vat_number('GB 980 7806 85');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
