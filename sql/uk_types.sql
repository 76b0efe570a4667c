-- The types pactoria.uk_company_number, pactoria.uk_postcode and pactoria.uk_vat_number:
-- input normalises or refuses, casts, operators, indexes, joins, JSON, binary I/O.

-- Input normalises whatever was typed; output is the canonical form.
SELECT 'sw1a1aa'::pactoria.uk_postcode AS postcode,
       ' sc 123 456 '::pactoria.uk_company_number AS company_number,
       '644831'::pactoria.uk_company_number AS padded,
       'gb 980 7806 84'::pactoria.uk_vat_number AS vat_number,
       '980780684'::pactoria.uk_vat_number AS vat_number_without_prefix;
-- Invalid input is refused with the normalise functions' error, SQLSTATE 22023.
SELECT 'SW1A OAA'::pactoria.uk_postcode;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT 'SC1234'::pactoria.uk_company_number;
SELECT 'GB980780685'::pactoria.uk_vat_number;
SELECT ''::pactoria.uk_postcode;
SELECT NULL::pactoria.uk_postcode IS NULL AS null_stays_null;

-- normalise_* returns the type; the type is text underneath: implicitly cast to text,
-- so text functions, LIKE, || and JSON see the canonical string.
SELECT pg_typeof(pactoria.normalise_uk_postcode('sw1a1aa')) AS normalise_returns,
       pactoria.normalise_uk_postcode('sw1a1aa') LIKE 'SW1A %' AS like_works,
       left(pactoria.normalise_uk_postcode('sw1a1aa'), 4) AS left_works,
       pactoria.normalise_uk_postcode('sw1a1aa') || ', London' AS concatenation,
       length('sc123456'::pactoria.uk_company_number) AS length_works,
       upper('gb980780684'::pactoria.uk_vat_number) AS upper_works;
SELECT to_jsonb('sw1a1aa'::pactoria.uk_postcode) AS to_jsonb,
       to_json('sc123456'::pactoria.uk_company_number) AS to_json,
       jsonb_build_object('vat_number', 'gb980780684'::pactoria.uk_vat_number) AS jsonb_build_object,
       row_to_json(row('m11ae'::pactoria.uk_postcode)) AS row_to_json;
-- A function-style or explicit cast from text normalises too.
SELECT 'sw1a1aa'::text::pactoria.uk_postcode AS from_text,
       CAST('oc301540'::varchar AS pactoria.uk_company_number) AS from_varchar;
-- Casts as declared: to text implicit and binary-coercible, from text and varchar on
-- assignment through the normalise function.
SELECT castsource::regtype, casttarget::regtype, castfunc::regproc, castcontext, castmethod
FROM pg_cast
WHERE castsource IN ('pactoria.uk_company_number'::regtype, 'pactoria.uk_postcode'::regtype,
                     'pactoria.uk_vat_number'::regtype)
   OR casttarget IN ('pactoria.uk_company_number'::regtype, 'pactoria.uk_postcode'::regtype,
                     'pactoria.uk_vat_number'::regtype)
ORDER BY castsource::regtype::text, casttarget::regtype::text;
-- Text does not turn into a postcode inside an expression: no implicit cast that way.
SELECT pactoria.uk_postcode_hash('SW1A 1AA'::text);

-- Comparisons: byte order of the canonical forms.  The operators live in schema
-- pactoria, so a bare = finds them only when pactoria is on the search_path; then a
-- literal on the other side is read as the type, and normalised.  A text value on the
-- other side always compares as text (through the implicit cast).
SET search_path = public, pactoria;
SELECT 'SW1A 1AA'::pactoria.uk_postcode = 'sw1a1aa' AS literal_normalised,
       'SW1A 1AA'::pactoria.uk_postcode = 'sw1a1aa'::text AS text_compares_as_text,
       'SW1A 1AA'::pactoria.uk_postcode = 'SW1A 1AA'::text AS canonical_text_equal,
       'SW1A 1AA'::pactoria.uk_postcode <> 'SW1A 2AA' AS ne,
       'M1 1AE'::pactoria.uk_postcode < 'M11 1AE' AS lt,
       'M1 1AE'::pactoria.uk_postcode <= 'm11ae' AS le,
       'SC123456'::pactoria.uk_company_number > '644831' AS gt,
       'GB980780684'::pactoria.uk_vat_number >= '980780684' AS ge,
       'XI980780684'::pactoria.uk_vat_number = 'GB980780684' AS different_prefix;
RESET search_path;
-- Without pactoria on the search_path, = is text's: a canonical literal matches, a
-- messy one does not (see the README).
SELECT 'SW1A 1AA'::pactoria.uk_postcode = 'SW1A 1AA' AS canonical_literal,
       'SW1A 1AA'::pactoria.uk_postcode = 'sw1a1aa' AS messy_literal,
       'SW1A 1AA'::pactoria.uk_postcode OPERATOR(pactoria.=) 'sw1a1aa' AS qualified_operator;
SELECT pactoria.uk_postcode_cmp('A1 1AA', 'A1 1AB') AS cmp_less,
       pactoria.uk_postcode_cmp('a11aa', 'A1 1AA') AS cmp_equal,
       pactoria.uk_company_number_cmp('SC123456', '00644831') > 0 AS cmp_greater,
       pactoria.uk_vat_number_hash('GB980780684') = pactoria.uk_vat_number_hash('980780684') AS hash_equal,
       pactoria.uk_postcode_hash_extended('SW1A 1AA', 7) = pactoria.uk_postcode_hash_extended('sw1a1aa', 7)
           AS hash_extended_equal;

-- A scratch table with the three column types, as companies will declare them.
CREATE TEMP TABLE scratch_companies (
	id integer PRIMARY KEY,
	registration_number pactoria.uk_company_number NOT NULL UNIQUE,
	vat_number pactoria.uk_vat_number UNIQUE,
	postcode pactoria.uk_postcode
);
-- Messy text is stored canonical: literals, text values, a prepared text parameter.
INSERT INTO scratch_companies VALUES (1, '644831', 'gb 980 7806 84', 'sw1a1aa');
INSERT INTO scratch_companies SELECT 2, 'sc 123 456'::text, 'XI 100 0001 32'::text, ' EH1  1YZ '::text;
PREPARE insert_company (integer, text, text, text) AS
	INSERT INTO scratch_companies VALUES ($1, $2, $3, $4);
EXECUTE insert_company (3, 'oc301540', 'gd100', 'm11ae');
PREPARE insert_company_varchar (integer, varchar, varchar, varchar) AS
	INSERT INTO scratch_companies VALUES ($1, $2, $3, $4);
EXECUTE insert_company_varchar (4, 'ip00141r', 'ha500', 'bt1 1aa');
INSERT INTO scratch_companies VALUES (5, 'NI123456', NULL, 'GIR 0AA');
SELECT * FROM scratch_companies ORDER BY id;
-- Invalid values are refused, and nothing is written.
INSERT INTO scratch_companies VALUES (6, 'SC1234', NULL, NULL);
EXECUTE insert_company (6, '12345678', 'GB980780685', NULL);
EXECUTE insert_company (6, '12345678', NULL, 'SW1A OAA');
UPDATE scratch_companies SET postcode = 'Q1 1AA' WHERE id = 1;
SELECT count(*) AS rows_after_refusals FROM scratch_companies;
-- UPDATE with text normalises as INSERT does.
UPDATE scratch_companies SET postcode = 'ec1a1bb'::text WHERE id = 5 RETURNING postcode;
-- The unique index sees the same number however it was typed.
INSERT INTO scratch_companies VALUES (7, '00644831', NULL, NULL);
INSERT INTO scratch_companies VALUES (7, '12345678', '980780684', NULL);
INSERT INTO scratch_companies VALUES (7, 'SC 123456', NULL, NULL) ON CONFLICT (registration_number) DO NOTHING;
SELECT count(*) AS rows_after_duplicates FROM scratch_companies;
-- With pactoria on the search_path, a lookup by a messy literal uses the index.
SET search_path = public, pactoria;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM scratch_companies WHERE registration_number = 'sc123456';
SELECT id FROM scratch_companies WHERE registration_number = 'sc123456';
-- and so does a parameter normalised by the normalise function.
EXPLAIN (COSTS OFF) SELECT id FROM scratch_companies
WHERE vat_number = pactoria.normalise_uk_vat_number('xi 100 0001 32'::text);
SELECT id FROM scratch_companies WHERE vat_number = pactoria.normalise_uk_vat_number('xi 100 0001 32'::text);
RESET enable_seqscan;
-- LIKE through the implicit text cast.
SELECT id, postcode FROM scratch_companies WHERE postcode LIKE 'M%' OR vat_number LIKE 'XI%' ORDER BY id;

-- ORDER BY, GROUP BY, DISTINCT: byte order, which is C-collation text order.
CREATE TEMP TABLE scratch_postcodes AS
SELECT postcode::pactoria.uk_postcode AS postcode
FROM (VALUES ('M1 1AE'), ('m11 1ae'), ('M1 1AE'), ('AB10 1AP'), ('B1 1AA'), ('b11aa'), ('W1A 0AX'),
             ('W10 6AA'), ('GIR 0AA'), ('E1 6AN'), ('E16 1AA'), ('EC1A 1BB')) AS typed (postcode);
SELECT string_agg(postcode, ', ' ORDER BY postcode) AS ordered FROM scratch_postcodes;
SELECT array_agg(postcode::text ORDER BY postcode) = array_agg(postcode::text ORDER BY postcode::text COLLATE "C")
       AS byte_order_is_c_order
FROM scratch_postcodes;
SELECT postcode, count(*) FROM scratch_postcodes GROUP BY postcode HAVING count(*) > 1 ORDER BY postcode;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT postcode, count(*) FROM scratch_postcodes GROUP BY postcode;
SELECT count(*) AS groups FROM (SELECT postcode FROM scratch_postcodes GROUP BY postcode) AS grouped;
RESET enable_sort;
SELECT count(DISTINCT postcode) AS distinct_postcodes FROM scratch_postcodes;
-- Hash and merge joins (pactoria still on the search_path).
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM scratch_postcodes p JOIN scratch_companies c USING (postcode);
SELECT count(*) AS hash_joined FROM scratch_postcodes p JOIN scratch_companies c USING (postcode);
SET enable_hashjoin = off;
SET enable_mergejoin = on;
EXPLAIN (COSTS OFF) SELECT count(*) FROM scratch_postcodes p JOIN scratch_companies c USING (postcode);
SELECT count(*) AS merge_joined FROM scratch_postcodes p JOIN scratch_companies c USING (postcode);
RESET enable_nestloop;
RESET enable_mergejoin;
RESET enable_hashjoin;
-- Hash partitioning uses the extended hash function.
CREATE TEMP TABLE scratch_partitioned (postcode pactoria.uk_postcode) PARTITION BY HASH (postcode);
CREATE TEMP TABLE scratch_partition_0 PARTITION OF scratch_partitioned FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TEMP TABLE scratch_partition_1 PARTITION OF scratch_partitioned FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO scratch_partitioned SELECT postcode FROM scratch_postcodes;
SELECT count(*) AS rows_partitioned,
       count(*) FILTER (WHERE postcode = 'm11ae') AS found_by_messy_literal
FROM scratch_partitioned;

RESET search_path;

-- Binary COPY: send writes the canonical text; receive normalises and checks like input.
\getenv abs_builddir PG_ABS_BUILDDIR
\cd :abs_builddir
\copy (SELECT registration_number, vat_number, postcode FROM scratch_companies ORDER BY id) TO 'results/uk_types_companies.copy' WITH (FORMAT binary)
CREATE TEMP TABLE received (registration_number pactoria.uk_company_number,
                            vat_number pactoria.uk_vat_number, postcode pactoria.uk_postcode);
\copy received FROM 'results/uk_types_companies.copy' WITH (FORMAT binary)
SELECT (SELECT count(*) FROM received) AS received_back,
       (SELECT count(*) FROM (SELECT * FROM received
                              EXCEPT SELECT registration_number, vat_number, postcode FROM scratch_companies)
                             AS differences) AS differences;
TRUNCATE received;
\copy (SELECT 'sc123456'::text, 'gb 980 7806 84'::text, 'sw1a1aa'::text) TO 'results/uk_types_messy.copy' WITH (FORMAT binary)
\copy received FROM 'results/uk_types_messy.copy' WITH (FORMAT binary)
SELECT * FROM received;
\copy (SELECT 'SC123456'::text, 'GB980780684'::text, 'SW1A OAA'::text) TO 'results/uk_types_invalid.copy' WITH (FORMAT binary)
\copy received FROM 'results/uk_types_invalid.copy' WITH (FORMAT binary)
SELECT count(*) AS rows_after_invalid_binary FROM received;

-- The catalog says what each function is: every function of the feature IMMUTABLE,
-- STRICT, PARALLEL SAFE and commented.
SELECT p.oid::regprocedure AS function, provolatile, proisstrict, proparallel,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc AS p
WHERE pronamespace = 'pactoria'::regnamespace AND proname ~ 'uk_'
ORDER BY p.oid::regprocedure::text COLLATE "C";
SELECT opcmethod::regclass::text AS method, opcname, opcintype::regtype, opcdefault
FROM pg_opclass WHERE opcnamespace = 'pactoria'::regnamespace ORDER BY opcname, method;
SELECT oprname, oprleft::regtype, oprcanhash, oprcanmerge, oprcom::regoperator, oprnegate::regoperator
FROM pg_operator WHERE oprnamespace = 'pactoria'::regnamespace AND oprleft = 'pactoria.uk_postcode'::regtype
ORDER BY oprname;
SELECT typname, typcategory, typlen, typalign, typstorage, typcollation <> 0 AS collatable,
       obj_description(oid, 'pg_type') IS NOT NULL AS commented
FROM pg_type WHERE typnamespace = 'pactoria'::regnamespace AND typname LIKE 'uk\_%' ORDER BY typname;
