
-- 10_uk_validators.sql: UK company numbers, postcodes and VAT numbers.
--
-- Three base types, pactoria.uk_company_number, pactoria.uk_postcode and
-- pactoria.uk_vat_number: their input function normalises what the user typed
-- ('sw1a1aa' is stored as 'SW1A 1AA') and refuses an invalid value with SQLSTATE
-- 22023 naming the rule it breaks.  A value is a varlena holding the canonical
-- ASCII text, laid out exactly as text, so each type
--   * outputs and sends like text (textout, textsend),
--   * compares and hashes its bytes like bytea (byteacmp, hashvarlena ...): the
--     canonical forms are ASCII, so byte order is the natural order and needs no
--     collation,
--   * is binary-coercible to text, implicitly, so LIKE, || and every text
--     function work on it, and to_jsonb() gives the canonical string,
--   * is cast from text and varchar by its normalise function, on assignment,
--     so an INSERT or UPDATE of a text parameter normalises it or fails.
-- The functions validate_*(text) and normalise_*(text) run the same C rules.

-- The parts that are the same for the three types, created for each in turn:
--   type pactoria.T with functions T_in, T_out, T_recv, T_send;
--   functions T_eq, T_ne, T_lt, T_le, T_gt, T_ge, T_cmp, T_sortsupport,
--   T_hash, T_hash_extended; operators = <> < <= > >= on (T, T);
--   default operator classes T_ops for btree and hash.
-- Operator names and selectivity estimators come from the VALUES lists below,
-- never from input, so they are written into the statements with %s.
DO $install$
DECLARE
	type_name text;
	noun text;
	comparison record;
BEGIN
	FOR type_name, noun IN
		VALUES ('uk_company_number', 'UK company number'),
			   ('uk_postcode', 'UK postcode'),
			   ('uk_vat_number', 'UK VAT number')
	LOOP
		EXECUTE format('CREATE TYPE pactoria.%I', type_name);

		EXECUTE format($sql$
			CREATE FUNCTION pactoria.%2$I(cstring) RETURNS pactoria.%1$I
			AS 'MODULE_PATHNAME', %3$L LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE$sql$,
			type_name, type_name || '_in', 'pactoria_' || type_name || '_in');
		EXECUTE format($sql$
			COMMENT ON FUNCTION pactoria.%2$I(cstring) IS
			%3$L$sql$, type_name, type_name || '_in',
			'Input function of pactoria.' || type_name || ': normalises the ' || noun
			|| ' typed, or raises 22023 naming the rule it breaks.');

		EXECUTE format($sql$
			CREATE FUNCTION pactoria.%2$I(pactoria.%1$I) RETURNS cstring
			AS 'textout' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE$sql$,
			type_name, type_name || '_out');
		EXECUTE format($sql$
			COMMENT ON FUNCTION pactoria.%2$I(pactoria.%1$I) IS %3$L$sql$,
			type_name, type_name || '_out',
			'Output function of pactoria.' || type_name || ': the canonical form, as text.');

		EXECUTE format($sql$
			CREATE FUNCTION pactoria.%2$I(internal) RETURNS pactoria.%1$I
			AS 'MODULE_PATHNAME', %3$L LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE$sql$,
			type_name, type_name || '_recv', 'pactoria_' || type_name || '_recv');
		EXECUTE format($sql$
			COMMENT ON FUNCTION pactoria.%2$I(internal) IS %3$L$sql$,
			type_name, type_name || '_recv',
			'Binary receive function of pactoria.' || type_name
			|| ': text''s binary form, normalised and checked like the text form.');

		EXECUTE format($sql$
			CREATE FUNCTION pactoria.%2$I(pactoria.%1$I) RETURNS bytea
			AS 'textsend' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE$sql$,
			type_name, type_name || '_send');
		EXECUTE format($sql$
			COMMENT ON FUNCTION pactoria.%2$I(pactoria.%1$I) IS %3$L$sql$,
			type_name, type_name || '_send',
			'Binary send function of pactoria.' || type_name || ': text''s binary form.');

		EXECUTE format($sql$
			CREATE TYPE pactoria.%1$I (
				INPUT = pactoria.%2$I, OUTPUT = pactoria.%3$I,
				RECEIVE = pactoria.%4$I, SEND = pactoria.%5$I,
				LIKE = pg_catalog.text, CATEGORY = 'S')$sql$,
			type_name, type_name || '_in', type_name || '_out',
			type_name || '_recv', type_name || '_send');

		FOR comparison IN
			SELECT * FROM (VALUES
				('eq', '=', 'byteaeq', '=', '<>', 'eqsel', 'eqjoinsel', 'equal to'),
				('ne', '<>', 'byteane', '<>', '=', 'neqsel', 'neqjoinsel', 'not equal to'),
				('lt', '<', 'bytealt', '>', '>=', 'scalarltsel', 'scalarltjoinsel', 'less than'),
				('le', '<=', 'byteale', '>=', '>', 'scalarlesel', 'scalarlejoinsel', 'less than or equal to'),
				('gt', '>', 'byteagt', '<', '<=', 'scalargtsel', 'scalargtjoinsel', 'greater than'),
				('ge', '>=', 'byteage', '<=', '<', 'scalargesel', 'scalargejoinsel', 'greater than or equal to')
			) AS operators (suffix, operator_name, internal_function, commutator, negator,
							restrict_estimator, join_estimator, meaning)
		LOOP
			EXECUTE format($sql$
				CREATE FUNCTION pactoria.%2$I(pactoria.%1$I, pactoria.%1$I) RETURNS boolean
				AS %3$L LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF$sql$,
				type_name, type_name || '_' || comparison.suffix, comparison.internal_function);
			EXECUTE format($sql$
				COMMENT ON FUNCTION pactoria.%2$I(pactoria.%1$I, pactoria.%1$I) IS %3$L$sql$,
				type_name, type_name || '_' || comparison.suffix,
				'Operator ' || comparison.operator_name || ' of pactoria.' || type_name
				|| ': is the first canonical form ' || comparison.meaning
				|| ' the second, byte by byte?');
			EXECUTE format($sql$
				CREATE OPERATOR pactoria.%3$s (
					LEFTARG = pactoria.%1$I, RIGHTARG = pactoria.%1$I,
					FUNCTION = pactoria.%2$I,
					COMMUTATOR = OPERATOR(pactoria.%4$s), NEGATOR = OPERATOR(pactoria.%5$s),
					RESTRICT = pg_catalog.%6$I, JOIN = pg_catalog.%7$I %8$s)$sql$,
				type_name, type_name || '_' || comparison.suffix, comparison.operator_name,
				comparison.commutator, comparison.negator,
				comparison.restrict_estimator, comparison.join_estimator,
				CASE comparison.operator_name WHEN '=' THEN ', HASHES, MERGES' ELSE '' END);
		END LOOP;

		EXECUTE format($sql$
			CREATE FUNCTION pactoria.%2$I(pactoria.%1$I, pactoria.%1$I) RETURNS integer
			AS 'byteacmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF$sql$,
			type_name, type_name || '_cmp');
		EXECUTE format($sql$
			COMMENT ON FUNCTION pactoria.%2$I(pactoria.%1$I, pactoria.%1$I) IS %3$L$sql$,
			type_name, type_name || '_cmp',
			'B-tree comparison of pactoria.' || type_name
			|| ': -1, 0 or 1 as the canonical forms compare byte by byte.');

		EXECUTE format($sql$
			CREATE FUNCTION pactoria.%1$I(internal) RETURNS void
			AS 'bytea_sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE$sql$,
			type_name || '_sortsupport');
		EXECUTE format($sql$
			COMMENT ON FUNCTION pactoria.%1$I(internal) IS %2$L$sql$,
			type_name || '_sortsupport',
			'B-tree sort support of pactoria.' || type_name || ': bytea''s, for fast sorts.');

		EXECUTE format($sql$
			CREATE FUNCTION pactoria.%2$I(pactoria.%1$I) RETURNS integer
			AS 'hashvarlena' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE$sql$,
			type_name, type_name || '_hash');
		EXECUTE format($sql$
			COMMENT ON FUNCTION pactoria.%2$I(pactoria.%1$I) IS %3$L$sql$,
			type_name, type_name || '_hash',
			'Hash of pactoria.' || type_name || ': hash of the canonical bytes.');

		EXECUTE format($sql$
			CREATE FUNCTION pactoria.%2$I(pactoria.%1$I, bigint) RETURNS bigint
			AS 'hashvarlenaextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE$sql$,
			type_name, type_name || '_hash_extended');
		EXECUTE format($sql$
			COMMENT ON FUNCTION pactoria.%2$I(pactoria.%1$I, bigint) IS %3$L$sql$,
			type_name, type_name || '_hash_extended',
			'Seeded 64-bit hash of pactoria.' || type_name
			|| ': hash of the canonical bytes (hash partitioning).');

		EXECUTE format($sql$
			CREATE OPERATOR CLASS pactoria.%2$I DEFAULT FOR TYPE pactoria.%1$I USING btree AS
				OPERATOR 1 pactoria.<, OPERATOR 2 pactoria.<=, OPERATOR 3 pactoria.=,
				OPERATOR 4 pactoria.>=, OPERATOR 5 pactoria.>,
				FUNCTION 1 pactoria.%3$I(pactoria.%1$I, pactoria.%1$I),
				FUNCTION 2 pactoria.%4$I(internal)$sql$,
			type_name, type_name || '_ops', type_name || '_cmp', type_name || '_sortsupport');
		EXECUTE format($sql$
			CREATE OPERATOR CLASS pactoria.%2$I DEFAULT FOR TYPE pactoria.%1$I USING hash AS
				OPERATOR 1 pactoria.=,
				FUNCTION 1 pactoria.%3$I(pactoria.%1$I),
				FUNCTION 2 pactoria.%4$I(pactoria.%1$I, bigint)$sql$,
			type_name, type_name || '_ops', type_name || '_hash', type_name || '_hash_extended');
	END LOOP;
END
$install$;

COMMENT ON TYPE pactoria.uk_company_number IS
'UK company registration number, stored canonical: 8 digits (00644831), a prefix and 6 digits (SC123456), or a registered-society number (IP00141R).';
COMMENT ON TYPE pactoria.uk_postcode IS
'UK postcode, stored canonical: upper case, one space before the inward code (SW1A 1AA).';
COMMENT ON TYPE pactoria.uk_vat_number IS
'UK VAT registration number, stored canonical: GB or XI and the number (GB980780684, XI980780684, GBGD100).';

-- Company numbers.

CREATE FUNCTION pactoria.validate_uk_company_number(company_number text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_validate_uk_company_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.validate_uk_company_number(text) IS
'Is the text, as a user typed it, a valid UK company number? Never raises an error for bad input.';

CREATE FUNCTION pactoria.normalise_uk_company_number(company_number text)
RETURNS pactoria.uk_company_number
AS 'MODULE_PATHNAME', 'pactoria_normalise_uk_company_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.normalise_uk_company_number(text) IS
'Canonical form of a UK company number as typed (whitespace removed, upper case, all-digit numbers padded to 8); raises 22023 naming the first rule an invalid one breaks.';

CREATE FUNCTION pactoria.uk_company_number_info(
	company_number text,
	OUT normalised pactoria.uk_company_number,
	OUT prefix text,
	OUT jurisdiction text,
	OUT entity_type text)
RETURNS record
AS 'MODULE_PATHNAME', 'pactoria_uk_company_number_info'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.uk_company_number_info(text) IS
'A UK company number explained: canonical form, prefix (NULL when all digits), jurisdiction (england_wales, scotland, northern_ireland, uk) and entity type; raises 22023 for an invalid number.';

CREATE CAST (text AS pactoria.uk_company_number)
	WITH FUNCTION pactoria.normalise_uk_company_number(text) AS ASSIGNMENT;
CREATE CAST (varchar AS pactoria.uk_company_number)
	WITH FUNCTION pactoria.normalise_uk_company_number(text) AS ASSIGNMENT;
CREATE CAST (pactoria.uk_company_number AS text) WITHOUT FUNCTION AS IMPLICIT;

-- Postcodes.

CREATE FUNCTION pactoria.validate_uk_postcode(postcode text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_validate_uk_postcode'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.validate_uk_postcode(text) IS
'Is the text, as a user typed it, a valid UK postcode? Never raises an error for bad input.';

CREATE FUNCTION pactoria.normalise_uk_postcode(postcode text)
RETURNS pactoria.uk_postcode
AS 'MODULE_PATHNAME', 'pactoria_normalise_uk_postcode'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.normalise_uk_postcode(text) IS
'Canonical form of a UK postcode as typed (whitespace removed, upper case, one space before the inward code); raises 22023 naming the first rule an invalid one breaks.';

CREATE FUNCTION pactoria.uk_postcode_parts(
	postcode text,
	OUT area text,
	OUT district text,
	OUT sector text,
	OUT unit text,
	OUT outward text,
	OUT inward text)
RETURNS record
AS 'MODULE_PATHNAME', 'pactoria_uk_postcode_parts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.uk_postcode_parts(text) IS
'A UK postcode split as Royal Mail names its parts: area (SW), district (SW1A), sector (SW1A 1), unit (SW1A 1AA), outward (SW1A) and inward (1AA) code; raises 22023 for an invalid postcode.';

CREATE CAST (text AS pactoria.uk_postcode)
	WITH FUNCTION pactoria.normalise_uk_postcode(text) AS ASSIGNMENT;
CREATE CAST (varchar AS pactoria.uk_postcode)
	WITH FUNCTION pactoria.normalise_uk_postcode(text) AS ASSIGNMENT;
CREATE CAST (pactoria.uk_postcode AS text) WITHOUT FUNCTION AS IMPLICIT;

-- VAT numbers.

CREATE FUNCTION pactoria.validate_uk_vat_number(vat_number text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_validate_uk_vat_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.validate_uk_vat_number(text) IS
'Is the text, as a user typed it, a valid UK VAT number (format, check digits, issued ranges)? Never raises an error for bad input.';

CREATE FUNCTION pactoria.normalise_uk_vat_number(vat_number text)
RETURNS pactoria.uk_vat_number
AS 'MODULE_PATHNAME', 'pactoria_normalise_uk_vat_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.normalise_uk_vat_number(text) IS
'Canonical form of a UK VAT number as typed (whitespace removed, upper case, GB added when no GB or XI prefix); raises 22023 naming the first rule an invalid one breaks.';

CREATE CAST (text AS pactoria.uk_vat_number)
	WITH FUNCTION pactoria.normalise_uk_vat_number(text) AS ASSIGNMENT;
CREATE CAST (varchar AS pactoria.uk_vat_number)
	WITH FUNCTION pactoria.normalise_uk_vat_number(text) AS ASSIGNMENT;
CREATE CAST (pactoria.uk_vat_number AS text) WITHOUT FUNCTION AS IMPLICIT;
