-- UK company numbers: pactoria.validate_uk_company_number, normalise_uk_company_number
-- and uk_company_number_info, walked rule by rule.
-- result(): the normalised number, or the message of the error it raises.
CREATE FUNCTION pg_temp.result(input text, OUT result text) LANGUAGE plpgsql AS $$
BEGIN result := pactoria.normalise_uk_company_number(input);
EXCEPTION WHEN invalid_parameter_value THEN GET STACKED DIAGNOSTICS result = MESSAGE_TEXT; END $$;

-- All digits: 1 to 8 digits, left-padded with zeros to 8.
SELECT input, pactoria.validate_uk_company_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('1'), ('644831'), ('0644831'), ('00644831'), ('12345678'), ('99999999'),
             ('123456789'), ('000644831')) AS numbers (input);

-- Every prefix, each followed by 6 digits, and what it denotes.
SELECT input, info.*
FROM (VALUES ('AC123456'), ('ZC123456'), ('FC123456'), ('GE123456'), ('LP123456'), ('OC123456'),
             ('SE123456'), ('SA123456'), ('SZ123456'), ('SF123456'), ('GS123456'), ('SL123456'),
             ('SO123456'), ('SC123456'), ('ES123456'), ('NA123456'), ('NZ123456'), ('NF123456'),
             ('GN123456'), ('NL123456'), ('NC123456'), ('R0123456'), ('NI123456'), ('EN123456'),
             ('IP123456'), ('SP123456'), ('IC123456'), ('SI123456'), ('NP123456'), ('NV123456'),
             ('RC123456'), ('SR123456'), ('NR123456'), ('NO123456'), ('CE123456'), ('CS123456'),
             ('SG123456'), ('PC123456'), ('OE123456'), ('RS123456'), ('FE123456'), ('00644831'))
     AS numbers (input),
     pactoria.uk_company_number_info(input) AS info;

-- No other two-character prefix: of all 1,296 pairs of letters and digits that are
-- not both digits, exactly the 41 above are accepted before 6 digits.
SELECT count(*) AS accepted_prefixes, string_agg(prefix, ' ' ORDER BY prefix) AS prefixes
FROM regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS first,
     regexp_split_to_table('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') AS second,
     LATERAL (SELECT first || second AS prefix) AS pair
WHERE (first || second) !~ '^[0-9]{2}$'
  AND pactoria.validate_uk_company_number(prefix || '123456');

-- Normalising: whitespace anywhere, any case; nothing else is removed.
SELECT typed, pg_temp.result(input)
FROM (VALUES ('sc123456', 'sc123456'), ('spaced', 'SC 123 456'), ('around', '  oc301540  '),
             ('tab, newline', E'SC\t123456\n'), ('digits spaced', '0064 4831'), ('short, spaced', '644 831'),
             ('hyphen', 'SC-123456'), ('hyphen inside', 'SC12-456'), ('dot', '0644831.'),
             ('slash', 'SC/12345')) AS numbers (typed, input);

-- Digits after a prefix are never padded; a prefix takes exactly 6 digits.
SELECT input, pg_temp.result(input)
FROM (VALUES ('SC1234'), ('SC12345'), ('SC'), ('S'), ('SC1234567'), ('SC12345A'), ('OC30154A'))
     AS numbers (input);

-- Registered societies: IP, SP and RS take 6 digits, or 5 digits and a letter.
SELECT input, pactoria.validate_uk_company_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('IP00141R'), ('ip00480f'), ('SP02398R'), ('RS007123'), ('RS00712C'), ('IP1234R'),
             ('IP0014R1'), ('SP1692RS'), ('SC12345R'), ('NP12345R')) AS numbers (input);

-- A number part of all zeros is invalid, with or without a prefix.
SELECT input, pg_temp.result(input)
FROM (VALUES ('0'), ('000'), ('00000000'), ('SC000000'), ('R0000000'), ('IP00000R'), ('SC000001'))
     AS numbers (input);

-- Not company numbers: branch (UK establishment) numbers, mutuals numbers, unknown prefixes.
SELECT input, pg_temp.result(input)
FROM (VALUES ('BR000170'), ('MUT00001'), ('MUT0148B'), ('XX123456'), ('S1234567'), ('0030950R'),
             ('406U6024'), ('BPAH7TQL')) AS numbers (input);

-- Bad input: NULL is NULL; empty, whitespace, 1 MB and non-ASCII are false, never an
-- error, and normalise names the rule.
SELECT pactoria.validate_uk_company_number(NULL) IS NULL AS validate_null,
       pactoria.normalise_uk_company_number(NULL) IS NULL AS normalise_null,
       pactoria.uk_company_number_info(NULL) IS NULL AS info_null;
SELECT typed, pactoria.validate_uk_company_number(input) AS valid, pg_temp.result(input)
FROM (VALUES ('empty', ''), ('spaces', '   '), ('full-width digits', U&'\FF10\FF10\FF16\FF14\FF14\FF18\FF13\FF11'),
             ('Cyrillic S and C', U&'\0405\0421123456'), ('NBSP', U&'SC\00A0123456'),
             ('zero-width space', U&'SC123456\200B'), ('superscript digit', U&'SC12345\00B9'))
     AS numbers (typed, input);
SELECT pactoria.validate_uk_company_number(repeat('1', 1024 * 1024)) AS one_megabyte,
       pactoria.validate_uk_company_number(repeat(' ', 1024 * 1024) || 'sc123456') AS spaces_then_number;
SELECT pg_temp.result(repeat('SC123456', 131072)) AS error_quotes_64_bytes;
SELECT pactoria.validate_uk_company_number(644831);

-- The error itself: SQLSTATE 22023, the value and the first rule broken, and a hint.
SELECT pactoria.normalise_uk_company_number('SC1234');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT * FROM pactoria.uk_company_number_info('BR000170');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
