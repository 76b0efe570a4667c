\echo
\echo '=== pactoria: UK validators ========================================================'
\echo 'Company numbers, postcodes and VAT numbers as people type them: checked, normalised,'
\echo 'explained, and refused with the rule they break.'

\echo
\echo '--- Messy input, validated and normalised'
SELECT typed, pactoria.validate_uk_postcode(typed) AS valid,
       CASE WHEN pactoria.validate_uk_postcode(typed) THEN pactoria.normalise_uk_postcode(typed) END AS stored_as
FROM (VALUES ('sw1a1aa'), (' EC1A  1BB '), ('gir 0aa'), ('SW1A OAA'), ('BT47 3OT')) AS typed (typed);

SELECT typed, pactoria.validate_uk_company_number(typed) AS valid,
       CASE WHEN pactoria.validate_uk_company_number(typed)
            THEN pactoria.normalise_uk_company_number(typed) END AS stored_as
FROM (VALUES ('644831'), ('sc 123 456'), ('ip00141r'), ('SC1234'), ('BR000170')) AS typed (typed);

SELECT typed, pactoria.validate_uk_vat_number(typed) AS valid,
       CASE WHEN pactoria.validate_uk_vat_number(typed) THEN pactoria.normalise_uk_vat_number(typed) END AS stored_as
FROM (VALUES ('gb 980 7806 84'), ('XI980780684'), ('gd100'), ('GB980780685')) AS typed (typed);

\echo
\echo '--- Explained: what a company number says, and a postcode''s parts'
SELECT typed, info.*
FROM (VALUES ('644831'), ('SC123456'), ('oc301540'), ('NI000123'), ('IP00141R'), ('FC012345')) AS typed (typed),
     pactoria.uk_company_number_info(typed) AS info;

SELECT typed, parts.*
FROM (VALUES ('sw1a1aa'), ('m11ae'), ('BT47 3PT')) AS typed (typed),
     pactoria.uk_postcode_parts(typed) AS parts;

\echo
\echo '--- Columns of these types store the canonical form whatever was typed'
CREATE TEMP TABLE supplier (
	name text PRIMARY KEY,
	registration_number pactoria.uk_company_number UNIQUE,
	vat_number pactoria.uk_vat_number,
	postcode pactoria.uk_postcode
);
INSERT INTO supplier VALUES
	('Harbour Lane Supplies Ltd', '06448310', 'gb 980 7806 84', 'ec1a1bb'),
	('Glasgow Print Co Ltd', 'sc 123 456', '100000132', ' g1 1aa ');
SELECT name, registration_number, vat_number, postcode, to_jsonb(postcode) AS as_json FROM supplier;

\echo
\echo '--- An invalid number is refused, naming the rule it breaks (SQLSTATE 22023)'
\set ON_ERROR_STOP 0
INSERT INTO supplier VALUES ('Severn Freight Ltd', 'SC1234', NULL, 'RG1 1AA');
UPDATE supplier SET postcode = 'SW1A OAA' WHERE name = 'Harbour Lane Supplies Ltd';
\set ON_ERROR_STOP 1
SELECT name, registration_number, postcode FROM supplier ORDER BY name;
