-- pactoria install script, built by the Makefile from src/sql/[0-9]*.sql in order.
-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pactoria CASCADE" to load this file. \quit

-- 00_extension.sql: the module itself.

CREATE FUNCTION pactoria.version()
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.version() IS
'Version of the loaded pactoria shared library; calling it proves the library loads.';

-- 02_core.sql: ids, tenant context, the updated_at trigger and tenant isolation,
-- the building blocks every table of the data model uses.

CREATE FUNCTION pactoria.uuid_generate_v7()
RETURNS uuid
AS 'MODULE_PATHNAME', 'pactoria_uuid_generate_v7'
LANGUAGE C VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.uuid_generate_v7() IS
'A new RFC 9562 version-7 UUID: millisecond timestamp, 12 bits of sub-millisecond precision, 62 random bits; strictly increasing within a session.';

CREATE FUNCTION pactoria.uuid_v7_time(uuid)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'pactoria_uuid_v7_time'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.uuid_v7_time(uuid) IS
'When a version-7 UUID was generated (to about 0.25 ms); NULL for a UUID of another version.';

CREATE FUNCTION pactoria.current_company_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'pactoria_current_company_id'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.current_company_id() IS
'The company (tenant) in the tenant context (setting pactoria.company_id), or NULL when there is none.';

CREATE FUNCTION pactoria.current_user_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'pactoria_current_user_id'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.current_user_id() IS
'The user in the tenant context (setting pactoria.user_id), or NULL when there is none.';

CREATE FUNCTION pactoria.require_company_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'pactoria_require_company_id'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.require_company_id() IS
'The company in the tenant context; raises insufficient_privilege (42501) when no tenant context is set.';

CREATE FUNCTION pactoria.set_updated_at()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_set_updated_at'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.set_updated_at() IS
'BEFORE UPDATE row trigger: sets the timestamptz column named by its argument (default updated_at) to now().';

-- Refuses UPDATE ... SET company_id: a row never moves to another tenant.
CREATE FUNCTION pactoria.refuse_company_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	RAISE EXCEPTION 'cannot move a row of %.% to another company', TG_TABLE_SCHEMA, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege',
			  DETAIL = CASE WHEN OLD.company_id IS NULL
							THEN 'The row is shared by all companies; company_id never changes.'
							ELSE format('The row belongs to company %s; company_id never changes.', OLD.company_id) END,
			  HINT = 'Copy the data into the other company instead.';
END
$$;

COMMENT ON FUNCTION pactoria.refuse_company_change() IS
'BEFORE UPDATE OF company_id row trigger: refuses to move a row to another tenant.';

CREATE FUNCTION pactoria.require_tenant_context()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_require_tenant_context'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.require_tenant_context() IS
'BEFORE INSERT OR UPDATE OR DELETE statement trigger: refuses (42501) a write to a tenant table without tenant context by a role row-level security applies to, instead of letting it touch no row.';

-- Tenant isolation for one table with a company_id column: row-level security
-- enabled and forced (the owner obeys it too, unless a superuser), one policy per
-- command with an explicit WITH CHECK, a trigger refusing to change company_id and
-- a statement trigger refusing writes without tenant context.  The tenant
-- expression is a sub-select so it runs once per query as an InitPlan and the
-- (company_id, ...) indexes stay usable.  Applications can call it for their own
-- tables.
CREATE FUNCTION pactoria.enable_tenant_isolation(table_name regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	relation_name name;
BEGIN
	IF table_name IS NULL THEN
		RAISE EXCEPTION 'table to isolate must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT relname INTO relation_name FROM pg_class WHERE oid = table_name;
	IF NOT EXISTS (SELECT 1 FROM pg_attribute
				   WHERE attrelid = table_name AND attname = 'company_id' AND NOT attisdropped
					 AND atttypid = 'uuid'::regtype) THEN
		RAISE EXCEPTION 'table % has no company_id column of type uuid', table_name
			USING ERRCODE = 'undefined_column';
	END IF;

	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', table_name);
	EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', table_name);
	EXECUTE format('CREATE POLICY tenant_isolation_select ON %s FOR SELECT'
				   ' USING (company_id = (SELECT pactoria.current_company_id()))', table_name);
	EXECUTE format('CREATE POLICY tenant_isolation_insert ON %s FOR INSERT'
				   ' WITH CHECK (company_id = (SELECT pactoria.require_company_id()))', table_name);
	EXECUTE format('CREATE POLICY tenant_isolation_update ON %s FOR UPDATE'
				   ' USING (company_id = (SELECT pactoria.current_company_id()))'
				   ' WITH CHECK (company_id = (SELECT pactoria.require_company_id()))', table_name);
	EXECUTE format('CREATE POLICY tenant_isolation_delete ON %s FOR DELETE'
				   ' USING (company_id = (SELECT pactoria.current_company_id()))', table_name);
	EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF company_id ON %s FOR EACH ROW'
				   ' WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id)'
				   ' EXECUTE FUNCTION pactoria.refuse_company_change()',
				   left('trg_' || relation_name, 40) || '_refuse_company_change', table_name);
	EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE ON %s FOR EACH STATEMENT'
				   ' EXECUTE FUNCTION pactoria.require_tenant_context()',
				   left('trg_' || relation_name, 39) || '_require_tenant_context', table_name);
END
$$;

COMMENT ON FUNCTION pactoria.enable_tenant_isolation(regclass) IS
'Puts a table with a company_id column under pactoria''s tenant isolation: forced row-level security with per-command policies on pactoria.current_company_id(), company_id made unchangeable, and writes without tenant context refused.';

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

-- 15_config.sql: system configuration.
--
-- Two tables, so that pg_dump keeps every value a user set and a restore never
-- collides with what the install script ships:
--   system_config_defaults  shipped with the extension (filled by this script and
--                           later ones), never dumped, re-created by CREATE EXTENSION;
--   system_config           the values a deployment sets, dumped with its data.
-- pactoria.get_config(key) reads the set value or else the default.

CREATE TABLE pactoria.system_config_defaults (
	key text NOT NULL,
	value jsonb NOT NULL,
	description text NOT NULL,
	CONSTRAINT system_config_defaults_pkey PRIMARY KEY (key),
	CONSTRAINT chk_system_config_defaults_key CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' AND length(key) <= 100)
);

COMMENT ON TABLE pactoria.system_config_defaults IS
'Default value of every configuration key, shipped with the extension; override a key in pactoria.system_config.';

CREATE TABLE pactoria.system_config (
	key text NOT NULL,
	value jsonb NOT NULL,
	description text,
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT system_config_pkey PRIMARY KEY (key),
	CONSTRAINT system_config_key_fkey FOREIGN KEY (key) REFERENCES pactoria.system_config_defaults (key),
	CONSTRAINT chk_system_config_description CHECK (length(description) <= 1000)
);

COMMENT ON TABLE pactoria.system_config IS
'Configuration values set for this deployment; a key absent here takes its value from pactoria.system_config_defaults.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.system_config', '');

CREATE TRIGGER trg_system_config_set_updated_at
	BEFORE UPDATE ON pactoria.system_config
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at();

-- A value set for a key must have the JSON type of its default (an object stays
-- an object, a number a number), so the functions reading it can rely on it.
CREATE FUNCTION pactoria.check_system_config_value()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	expected_type text;
BEGIN
	SELECT jsonb_typeof(value) INTO expected_type
	FROM pactoria.system_config_defaults WHERE key = NEW.key;
	IF expected_type IS NOT NULL AND jsonb_typeof(NEW.value) IS DISTINCT FROM expected_type THEN
		RAISE EXCEPTION 'configuration value for "%" must be a JSON %, not %', NEW.key, expected_type, jsonb_typeof(NEW.value)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = format('The default is %s.', (SELECT value FROM pactoria.system_config_defaults WHERE key = NEW.key));
	END IF;
	RETURN NEW;
END
$$;

COMMENT ON FUNCTION pactoria.check_system_config_value() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_config: the value must have the JSON type of the key''s default.';

CREATE TRIGGER trg_system_config_check_value
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW EXECUTE FUNCTION pactoria.check_system_config_value();

CREATE FUNCTION pactoria.get_config(config_key text)
RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	result jsonb;
BEGIN
	SELECT coalesce(s.value, d.value) INTO result
	FROM pactoria.system_config_defaults AS d
	LEFT JOIN pactoria.system_config AS s ON s.key = d.key
	WHERE d.key = config_key;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown configuration key "%"', config_key
			USING ERRCODE = 'undefined_object',
				  HINT = 'The keys are listed in pactoria.system_config_defaults.';
	END IF;
	RETURN result;
END
$$;

COMMENT ON FUNCTION pactoria.get_config(text) IS
'Value of a configuration key: the one set in pactoria.system_config, else the shipped default; unknown keys are an error.';

CREATE VIEW pactoria.effective_config
WITH (security_invoker = true) AS
SELECT d.key,
	   coalesce(s.value, d.value) AS value,
	   s.key IS NULL AS is_default,
	   d.value AS default_value,
	   d.description,
	   s.description AS change_note,
	   s.updated_at
FROM pactoria.system_config_defaults AS d
LEFT JOIN pactoria.system_config AS s ON s.key = d.key;

COMMENT ON VIEW pactoria.effective_config IS
'Every configuration key with the value in force, whether it is the default, and why it was changed.';

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('subscription_tier_max_users', '{"starter": 5, "professional": 25, "business": 100}',
	 'Active users a company may have on each subscription tier; companies.max_users takes it when the company is created or changes tier.');

-- 20_tables.sql: the tables of the data model.
--
-- Keys and tenancy: every tenant-owned table has company_id, which leads its primary
-- key (company_id, id) and every unique key, and every foreign key between tenant
-- tables is composite, so a row can never point at another tenant's row and the
-- schema can be distributed by company_id (Citus).  companies, users and templates
-- (which also holds the system templates shipped with the extension) stay whole:
-- reference tables.  Ids are time-ordered version-7 UUIDs.
--
-- Behaviour that belongs to other concerns (row-level security, audit, versioning,
-- lifecycle, scoring) is added by their own files; this file has the tables, their
-- constraints, indexes and updated_at triggers.

-- Formats shared by several checks.  IMMUTABLE: they only look at their argument.
CREATE FUNCTION pactoria.is_valid_email(address text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN length(address) <= 254
	AND address ~ '^[A-Za-z0-9.!#$%&''*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$'
	AND address !~ '\.\.';

COMMENT ON FUNCTION pactoria.is_valid_email(text) IS
'Whether a text is a plausible e-mail address: local@domain.tld in ASCII, at most 254 characters (RFC 5321), no consecutive dots.';

CREATE FUNCTION pactoria.is_valid_identifier(value text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN value ~ '^[a-z][a-z0-9_]{1,62}$';

COMMENT ON FUNCTION pactoria.is_valid_identifier(text) IS
'Whether a text is a lower-case snake_case code of 2 to 63 characters (contract types, categories, field names).';

------------------------------------------------------------------------------------
-- companies: the tenants.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.companies (
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	name text NOT NULL,
	registration_number pactoria.uk_company_number,
	vat_number pactoria.uk_vat_number,
	address text,
	postcode pactoria.uk_postcode,
	subscription_tier text NOT NULL DEFAULT 'starter',
	max_users integer NOT NULL,
	active_user_count integer NOT NULL DEFAULT 0,
	settings jsonb NOT NULL DEFAULT '{}',
	is_active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT companies_pkey PRIMARY KEY (id),
	CONSTRAINT chk_companies_name CHECK (length(btrim(name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_companies_address CHECK (length(address) <= 1000),
	CONSTRAINT chk_companies_subscription_tier CHECK (subscription_tier IN ('starter', 'professional', 'business')),
	CONSTRAINT chk_companies_max_users CHECK (max_users BETWEEN 1 AND 100000),
	CONSTRAINT chk_companies_active_user_count CHECK (active_user_count BETWEEN 0 AND max_users),
	CONSTRAINT chk_companies_settings CHECK (jsonb_typeof(settings) = 'object')
);

COMMENT ON TABLE pactoria.companies IS 'The tenants: one row per customer company.';
COMMENT ON COLUMN pactoria.companies.registration_number IS 'UK company registration number, stored canonical (644831 is stored as 00644831).';
COMMENT ON COLUMN pactoria.companies.vat_number IS 'UK VAT registration number, stored canonical (GB980780684).';
COMMENT ON COLUMN pactoria.companies.postcode IS 'UK postcode, stored canonical (sw1a1aa is stored as SW1A 1AA).';
COMMENT ON COLUMN pactoria.companies.max_users IS
'Active users allowed; taken from system_config subscription_tier_max_users when the company is created or changes tier, unless given.';
COMMENT ON COLUMN pactoria.companies.active_user_count IS
'Active users right now, kept by the users trigger; the seat limit is checked against it atomically.';

CREATE INDEX idx_companies_registration_number ON pactoria.companies (registration_number);

------------------------------------------------------------------------------------
-- users: people of a company.  A whole (reference) table: e-mail addresses and
-- invitation tokens are unique across the whole system.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.users (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	email text NOT NULL,
	full_name text NOT NULL,
	hashed_password text,
	role text NOT NULL DEFAULT 'contract_manager',
	is_admin boolean NOT NULL GENERATED ALWAYS AS (role = 'admin') STORED,
	is_active boolean NOT NULL DEFAULT true,
	department text,
	invitation_token text,
	invited_at timestamptz,
	invited_by uuid,
	timezone text NOT NULL DEFAULT 'Europe/London',
	notification_preferences jsonb NOT NULL DEFAULT '{}',
	failed_login_attempts integer NOT NULL DEFAULT 0,
	locked_until timestamptz,
	last_login_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT users_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT users_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT users_invited_by_fkey FOREIGN KEY (company_id, invited_by)
		REFERENCES pactoria.users (company_id, id) ON DELETE SET NULL (invited_by),
	CONSTRAINT chk_users_email CHECK (pactoria.is_valid_email(email)),
	CONSTRAINT chk_users_full_name CHECK (length(btrim(full_name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_users_hashed_password CHECK (length(hashed_password) BETWEEN 20 AND 500),
	CONSTRAINT chk_users_role CHECK (role IN ('admin', 'contract_manager', 'legal_reviewer', 'viewer')),
	CONSTRAINT chk_users_department CHECK (length(department) <= 200),
	CONSTRAINT chk_users_invitation_token CHECK (length(invitation_token) BETWEEN 16 AND 200),
	CONSTRAINT chk_users_invitation CHECK (invited_by IS NULL OR invited_at IS NOT NULL),
	CONSTRAINT chk_users_invited_by CHECK (invited_by <> id),
	CONSTRAINT chk_users_timezone CHECK (timezone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$' AND length(timezone) <= 64),
	CONSTRAINT chk_users_notification_preferences CHECK (jsonb_typeof(notification_preferences) = 'object'),
	CONSTRAINT chk_users_failed_login_attempts CHECK (failed_login_attempts >= 0)
);

COMMENT ON TABLE pactoria.users IS 'People of a company; e-mail addresses are unique across all companies.';
COMMENT ON COLUMN pactoria.users.hashed_password IS 'Password hash (e.g. bcrypt from pgcrypto''s crypt()); never the password. NULL until an invitation is accepted.';
COMMENT ON COLUMN pactoria.users.is_admin IS 'Derived from role: true exactly when role is admin.';

CREATE UNIQUE INDEX idx_users_lower_email ON pactoria.users (lower(email));
CREATE UNIQUE INDEX idx_users_invitation_token ON pactoria.users (invitation_token)
	WHERE invitation_token IS NOT NULL;
CREATE INDEX idx_users_company_id_invited_by ON pactoria.users (company_id, invited_by)
	WHERE invited_by IS NOT NULL;

------------------------------------------------------------------------------------
-- user_sessions: login sessions; only a hash of the session token is stored.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.user_sessions (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	user_id uuid NOT NULL,
	token_hash bytea NOT NULL,
	status text NOT NULL DEFAULT 'active',
	expires_at timestamptz NOT NULL,
	ip_address inet,
	user_agent text,
	last_activity timestamptz NOT NULL DEFAULT now(),
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT user_sessions_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT user_sessions_company_id_token_hash_key UNIQUE (company_id, token_hash),
	CONSTRAINT user_sessions_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT user_sessions_user_id_fkey FOREIGN KEY (company_id, user_id)
		REFERENCES pactoria.users (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_user_sessions_token_hash CHECK (octet_length(token_hash) BETWEEN 32 AND 64),
	CONSTRAINT chk_user_sessions_status CHECK (status IN ('active', 'expired', 'revoked')),
	CONSTRAINT chk_user_sessions_expires_at CHECK (expires_at > created_at),
	CONSTRAINT chk_user_sessions_user_agent CHECK (length(user_agent) <= 1000)
);

COMMENT ON TABLE pactoria.user_sessions IS 'Login sessions. token_hash is a SHA-256 (or longer) digest of the session token; the token itself is never stored.';

CREATE INDEX idx_user_sessions_token_hash ON pactoria.user_sessions (token_hash);
CREATE INDEX idx_user_sessions_company_id_user_id ON pactoria.user_sessions (company_id, user_id);
CREATE INDEX idx_user_sessions_expires_at ON pactoria.user_sessions (expires_at);

------------------------------------------------------------------------------------
-- templates: the contract template catalogue.  company_id NULL marks a system
-- template shipped with the extension (src/sql/21_system_templates.sql), readable
-- by every tenant; otherwise the template is the company's own.  A whole table.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.templates (
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	company_id uuid,
	name text NOT NULL,
	category text NOT NULL,
	contract_type text NOT NULL,
	description text NOT NULL,
	template_content text NOT NULL,
	compliance_features jsonb NOT NULL DEFAULT '[]',
	legal_notes text NOT NULL,
	version integer NOT NULL DEFAULT 1,
	is_active boolean NOT NULL DEFAULT true,
	suitable_for jsonb NOT NULL DEFAULT '[]',
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT templates_pkey PRIMARY KEY (id),
	CONSTRAINT templates_company_id_name_category_key UNIQUE NULLS NOT DISTINCT (company_id, name, category),
	CONSTRAINT templates_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT templates_created_by_fkey FOREIGN KEY (company_id, created_by) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_templates_name CHECK (length(btrim(name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_templates_category CHECK (pactoria.is_valid_identifier(category)),
	CONSTRAINT chk_templates_contract_type CHECK (pactoria.is_valid_identifier(contract_type)),
	CONSTRAINT chk_templates_description CHECK (length(description) <= 2000),
	CONSTRAINT chk_templates_template_content CHECK (length(template_content) BETWEEN 1 AND 1000000),
	CONSTRAINT chk_templates_compliance_features CHECK (jsonb_typeof(compliance_features) = 'array'),
	CONSTRAINT chk_templates_suitable_for CHECK (jsonb_typeof(suitable_for) = 'array'),
	CONSTRAINT chk_templates_version CHECK (version > 0),
	CONSTRAINT chk_templates_created_by CHECK (company_id IS NOT NULL OR created_by IS NULL)
);

COMMENT ON TABLE pactoria.templates IS 'Contract templates: company_id NULL for the system templates shipped with pactoria, else the company''s own.';
COMMENT ON COLUMN pactoria.templates.template_content IS 'Template text with {{placeholder}} markers (lower snake_case names).';

CREATE INDEX idx_templates_company_id_contract_type ON pactoria.templates (company_id, contract_type);

------------------------------------------------------------------------------------
-- ai_generations: one AI model call that drafted contract content.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.ai_generations (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	model_name text NOT NULL,
	model_version text,
	provider text NOT NULL,
	input_prompt text NOT NULL,
	generated_content text,
	processing_time_ms integer,
	token_usage jsonb NOT NULL DEFAULT '{}',
	cost numeric(12, 6),
	currency text NOT NULL DEFAULT 'GBP',
	confidence numeric(5, 4),
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT ai_generations_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT ai_generations_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT ai_generations_created_by_fkey FOREIGN KEY (company_id, created_by) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_ai_generations_model_name CHECK (length(btrim(model_name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_ai_generations_model_version CHECK (length(model_version) <= 100),
	CONSTRAINT chk_ai_generations_provider CHECK (length(btrim(provider)) BETWEEN 1 AND 100),
	CONSTRAINT chk_ai_generations_input_prompt CHECK (length(input_prompt) >= 1),
	CONSTRAINT chk_ai_generations_processing_time_ms CHECK (processing_time_ms >= 0),
	CONSTRAINT chk_ai_generations_token_usage CHECK (
		jsonb_typeof(token_usage) = 'object'
		AND NOT jsonb_path_exists(token_usage, '$.* ? (@.type() != "number" || @ < 0 || @ != @.floor())')
		AND token_usage - ARRAY['prompt', 'completion', 'total'] = '{}'::jsonb
		AND (NOT token_usage ?& ARRAY['prompt', 'completion', 'total']
			 OR (token_usage ->> 'total')::bigint = (token_usage ->> 'prompt')::bigint + (token_usage ->> 'completion')::bigint)),
	CONSTRAINT chk_ai_generations_cost CHECK (cost >= 0),
	CONSTRAINT chk_ai_generations_currency CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT chk_ai_generations_confidence CHECK (confidence BETWEEN 0 AND 1)
);

COMMENT ON TABLE pactoria.ai_generations IS 'AI model calls that drafted contract content, with their token usage and cost.';
COMMENT ON COLUMN pactoria.ai_generations.token_usage IS 'Object with non-negative integer prompt, completion and total tokens (total = prompt + completion when all three are given).';
COMMENT ON COLUMN pactoria.ai_generations.cost IS 'Cost of the call in currency; six decimals, as model calls cost fractions of a penny.';

CREATE INDEX idx_ai_generations_company_id_created_at ON pactoria.ai_generations (company_id, created_at);

------------------------------------------------------------------------------------
-- contracts
------------------------------------------------------------------------------------
CREATE TABLE pactoria.contracts (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	title text NOT NULL,
	contract_type text NOT NULL,
	status text NOT NULL DEFAULT 'draft',
	plain_english_input text,
	generated_content text,
	final_content text,
	client_name text,
	client_email text,
	supplier_name text,
	supplier_email text,
	contract_value numeric(12, 2),
	currency text NOT NULL DEFAULT 'GBP',
	start_date date,
	end_date date,
	version integer NOT NULL DEFAULT 1,
	is_current_version boolean NOT NULL DEFAULT true,
	template_id uuid,
	created_by uuid NOT NULL DEFAULT pactoria.current_user_id(),
	ai_generation_id uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	search_vector tsvector NOT NULL GENERATED ALWAYS AS (
		setweight(to_tsvector('pg_catalog.english', coalesce(title, '')), 'A')
		|| setweight(to_tsvector('pg_catalog.english', coalesce(client_name, '') || ' ' || coalesce(supplier_name, '')), 'B')
		|| setweight(to_tsvector('pg_catalog.english', coalesce(final_content, generated_content, '')), 'C')
		|| setweight(to_tsvector('pg_catalog.english', coalesce(plain_english_input, '')), 'D')
	) STORED,
	CONSTRAINT contracts_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT contracts_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT contracts_created_by_fkey FOREIGN KEY (company_id, created_by) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT contracts_template_id_fkey FOREIGN KEY (template_id) REFERENCES pactoria.templates (id),
	CONSTRAINT contracts_ai_generation_id_fkey FOREIGN KEY (company_id, ai_generation_id)
		REFERENCES pactoria.ai_generations (company_id, id) ON DELETE SET NULL (ai_generation_id),
	CONSTRAINT chk_contracts_title CHECK (length(btrim(title)) BETWEEN 1 AND 500),
	CONSTRAINT chk_contracts_contract_type CHECK (pactoria.is_valid_identifier(contract_type)),
	CONSTRAINT chk_contracts_status CHECK (status IN ('draft', 'pending_review', 'approved', 'active', 'expired', 'terminated', 'cancelled')),
	CONSTRAINT chk_contracts_client_name CHECK (length(client_name) <= 300),
	CONSTRAINT chk_contracts_supplier_name CHECK (length(supplier_name) <= 300),
	CONSTRAINT chk_contracts_client_email CHECK (pactoria.is_valid_email(client_email)),
	CONSTRAINT chk_contracts_supplier_email CHECK (pactoria.is_valid_email(supplier_email)),
	CONSTRAINT chk_contracts_contract_value CHECK (contract_value >= 0),
	CONSTRAINT chk_contracts_currency CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT chk_contracts_dates CHECK (end_date > start_date),
	CONSTRAINT chk_contracts_version CHECK (version > 0)
);

COMMENT ON TABLE pactoria.contracts IS 'Contracts of a company, from plain-English input through AI-generated to final content.';
COMMENT ON COLUMN pactoria.contracts.template_id IS 'A system template or one of the same company''s templates.';
COMMENT ON COLUMN pactoria.contracts.search_vector IS 'Full-text search document (english): title, parties, content, plain-English input, by weight.';

CREATE INDEX idx_contracts_company_id_created_at ON pactoria.contracts (company_id, created_at DESC);
CREATE INDEX idx_contracts_company_id_status ON pactoria.contracts (company_id, status);
CREATE INDEX idx_contracts_company_id_end_date_active ON pactoria.contracts (company_id, end_date)
	WHERE status = 'active';
CREATE INDEX idx_contracts_company_id_created_by ON pactoria.contracts (company_id, created_by);
CREATE INDEX idx_contracts_template_id ON pactoria.contracts (template_id) WHERE template_id IS NOT NULL;
CREATE INDEX idx_contracts_company_id_ai_generation_id ON pactoria.contracts (company_id, ai_generation_id)
	WHERE ai_generation_id IS NOT NULL;
CREATE INDEX idx_contracts_search_vector ON pactoria.contracts USING gin (search_vector);
CREATE INDEX idx_contracts_title_trigram ON pactoria.contracts USING gin (title gin_trgm_ops);

-- A contract's template is a system template or one of its own company's: the
-- foreign key alone cannot say so, as system templates have no company.  An
-- unknown template gets the same error as another company's, so that the error
-- never tells a tenant that another company's template id exists.
CREATE FUNCTION pactoria.check_contract_template()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	template_company uuid;
BEGIN
	IF NEW.template_id IS NULL THEN
		RETURN NEW;
	END IF;
	SELECT company_id INTO template_company FROM pactoria.templates WHERE id = NEW.template_id;
	IF NOT FOUND OR template_company <> NEW.company_id THEN
		RAISE EXCEPTION 'template % is not available to this company', NEW.template_id
			USING ERRCODE = 'foreign_key_violation',
				  DETAIL = 'A contract can use a system template or a template of its own company.';
	END IF;
	RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.check_contract_template() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.check_contract_template() IS
'BEFORE INSERT OR UPDATE OF template_id trigger of contracts: the template is a system template or the same company''s.';

CREATE TRIGGER trg_contracts_check_template
	BEFORE INSERT OR UPDATE OF template_id ON pactoria.contracts
	FOR EACH ROW EXECUTE FUNCTION pactoria.check_contract_template();

------------------------------------------------------------------------------------
-- contract_versions: the full content of every version of a contract.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.contract_versions (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	contract_id uuid NOT NULL,
	version_number integer NOT NULL,
	plain_english_input text,
	generated_content text,
	final_content text,
	content text GENERATED ALWAYS AS (coalesce(final_content, generated_content, plain_english_input)) STORED,
	change_summary text,
	created_by uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT contract_versions_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT contract_versions_company_id_contract_id_version_number_key
		UNIQUE (company_id, contract_id, version_number),
	CONSTRAINT contract_versions_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT contract_versions_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id),
	CONSTRAINT contract_versions_created_by_fkey FOREIGN KEY (company_id, created_by)
		REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_contract_versions_version_number CHECK (version_number > 0),
	CONSTRAINT chk_contract_versions_change_summary CHECK (length(change_summary) <= 2000)
);

COMMENT ON TABLE pactoria.contract_versions IS 'Every version of every contract, with its full content.';
COMMENT ON COLUMN pactoria.contract_versions.content IS 'The document of this version: final content, else generated content, else the plain-English input.';

CREATE INDEX idx_contract_versions_company_id_created_by ON pactoria.contract_versions (company_id, created_by);

------------------------------------------------------------------------------------
-- compliance_scores: UK compliance analyses of a contract.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.compliance_scores (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	contract_id uuid NOT NULL,
	overall_score numeric(5, 4) NOT NULL,
	gdpr_compliance numeric(5, 4),
	employment_law_compliance numeric(5, 4),
	consumer_rights_compliance numeric(5, 4),
	commercial_terms_compliance numeric(5, 4),
	risk_score smallint,
	risk_factors jsonb NOT NULL DEFAULT '[]',
	recommendations jsonb NOT NULL DEFAULT '[]',
	analysis_date timestamptz NOT NULL DEFAULT now(),
	analysis_version text,
	analysis_raw jsonb,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT compliance_scores_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT compliance_scores_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT compliance_scores_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_compliance_scores_overall_score CHECK (overall_score BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_gdpr_compliance CHECK (gdpr_compliance BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_employment_law_compliance CHECK (employment_law_compliance BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_consumer_rights_compliance CHECK (consumer_rights_compliance BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_commercial_terms_compliance CHECK (commercial_terms_compliance BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_risk_score CHECK (risk_score BETWEEN 1 AND 10),
	CONSTRAINT chk_compliance_scores_risk_factors CHECK (jsonb_typeof(risk_factors) = 'array'),
	CONSTRAINT chk_compliance_scores_recommendations CHECK (jsonb_typeof(recommendations) = 'array'),
	CONSTRAINT chk_compliance_scores_analysis_version CHECK (length(analysis_version) <= 100)
);

COMMENT ON TABLE pactoria.compliance_scores IS 'UK compliance analyses of contracts: scores 0-1 per area and overall, contract risk 1-10.';

CREATE INDEX idx_compliance_scores_company_id_contract_id_analysis_date
	ON pactoria.compliance_scores (company_id, contract_id, analysis_date DESC);

------------------------------------------------------------------------------------
-- extractions, extraction_fields, corrections: AI field extraction from a
-- contract and the human review of it.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.extractions (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	contract_id uuid NOT NULL,
	model_name text NOT NULL,
	model_version text,
	provider text NOT NULL,
	status text NOT NULL DEFAULT 'pending_review',
	overall_confidence numeric(5, 2),
	token_count integer,
	cost numeric(12, 6),
	currency text NOT NULL DEFAULT 'GBP',
	reviewed_by uuid,
	reviewed_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT extractions_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT extractions_company_id_contract_id_key UNIQUE (company_id, contract_id),
	CONSTRAINT extractions_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT extractions_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id) ON DELETE CASCADE,
	CONSTRAINT extractions_reviewed_by_fkey FOREIGN KEY (company_id, reviewed_by)
		REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_extractions_model_name CHECK (length(btrim(model_name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_extractions_model_version CHECK (length(model_version) <= 100),
	CONSTRAINT chk_extractions_provider CHECK (length(btrim(provider)) BETWEEN 1 AND 100),
	CONSTRAINT chk_extractions_status CHECK (status IN ('pending_review', 'approved', 'rejected')),
	CONSTRAINT chk_extractions_overall_confidence CHECK (overall_confidence BETWEEN 0 AND 100),
	CONSTRAINT chk_extractions_token_count CHECK (token_count >= 0),
	CONSTRAINT chk_extractions_cost CHECK (cost >= 0),
	CONSTRAINT chk_extractions_currency CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT chk_extractions_review CHECK (
		(status = 'pending_review' AND reviewed_at IS NULL)
		OR (status <> 'pending_review' AND reviewed_by IS NOT NULL AND reviewed_at IS NOT NULL))
);

COMMENT ON TABLE pactoria.extractions IS 'AI field extraction from a contract (one per contract), and its review status.';

CREATE INDEX idx_extractions_company_id_created_at ON pactoria.extractions (company_id, created_at);
CREATE INDEX idx_extractions_company_id_reviewed_by ON pactoria.extractions (company_id, reviewed_by)
	WHERE reviewed_by IS NOT NULL;

CREATE TABLE pactoria.extraction_fields (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	extraction_id uuid NOT NULL,
	field_name text NOT NULL,
	value text NOT NULL,
	confidence numeric(5, 2),
	source_page integer,
	source_text text,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT extraction_fields_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT extraction_fields_company_id_extraction_id_field_name_key UNIQUE (company_id, extraction_id, field_name),
	CONSTRAINT extraction_fields_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT extraction_fields_extraction_id_fkey FOREIGN KEY (company_id, extraction_id)
		REFERENCES pactoria.extractions (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_extraction_fields_field_name CHECK (pactoria.is_valid_identifier(field_name)),
	CONSTRAINT chk_extraction_fields_value CHECK (length(value) <= 100000),
	CONSTRAINT chk_extraction_fields_confidence CHECK (confidence BETWEEN 0 AND 100),
	CONSTRAINT chk_extraction_fields_source_page CHECK (source_page > 0),
	CONSTRAINT chk_extraction_fields_source_text CHECK (length(source_text) <= 100000)
);

COMMENT ON TABLE pactoria.extraction_fields IS 'One row per field the AI extracted (a field it did not find has no row), with its confidence 0-100 and where in the document it was found.';

CREATE TABLE pactoria.corrections (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	extraction_id uuid NOT NULL,
	field_name text NOT NULL,
	original_value text,
	corrected_value text,
	correction_type text NOT NULL,
	corrected_by uuid NOT NULL,
	reason text,
	created_at timestamptz NOT NULL DEFAULT now(),
	extracted_field_name text GENERATED ALWAYS AS (
		CASE WHEN correction_type <> 'missing' THEN field_name END) STORED,
	CONSTRAINT corrections_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT corrections_company_id_extraction_id_field_name_key UNIQUE (company_id, extraction_id, field_name),
	CONSTRAINT corrections_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT corrections_extraction_id_fkey FOREIGN KEY (company_id, extraction_id)
		REFERENCES pactoria.extractions (company_id, id) ON DELETE CASCADE,
	CONSTRAINT corrections_extracted_field_fkey FOREIGN KEY (company_id, extraction_id, extracted_field_name)
		REFERENCES pactoria.extraction_fields (company_id, extraction_id, field_name) ON DELETE CASCADE,
	CONSTRAINT corrections_corrected_by_fkey FOREIGN KEY (company_id, corrected_by)
		REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_corrections_field_name CHECK (pactoria.is_valid_identifier(field_name)),
	CONSTRAINT chk_corrections_correction_type CHECK (correction_type IN ('wrong_value', 'missing', 'not_in_document')),
	CONSTRAINT chk_corrections_values CHECK (
		(correction_type = 'wrong_value' AND original_value IS NOT NULL AND corrected_value IS NOT NULL
			AND original_value <> corrected_value)
		OR (correction_type = 'missing' AND original_value IS NULL AND corrected_value IS NOT NULL)
		OR (correction_type = 'not_in_document' AND original_value IS NOT NULL AND corrected_value IS NULL)),
	CONSTRAINT chk_corrections_original_value CHECK (length(original_value) <= 100000),
	CONSTRAINT chk_corrections_corrected_value CHECK (length(corrected_value) <= 100000),
	CONSTRAINT chk_corrections_reason CHECK (length(reason) <= 2000)
);

COMMENT ON TABLE pactoria.corrections IS 'A reviewer''s correction of one extracted field: wrong_value (extracted, but wrong), missing (in the document, not extracted), not_in_document (extracted, but not in the document).';
COMMENT ON COLUMN pactoria.corrections.extracted_field_name IS 'field_name unless the field was missing: wrong_value and not_in_document corrections must name a field the AI extracted.';

CREATE INDEX idx_corrections_company_id_corrected_by ON pactoria.corrections (company_id, corrected_by);

------------------------------------------------------------------------------------
-- extraction_metrics: daily roll-up per company and model.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.extraction_metrics (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	metric_date date NOT NULL,
	model_name text NOT NULL,
	extraction_count integer NOT NULL DEFAULT 0,
	field_count integer NOT NULL DEFAULT 0,
	correction_count integer NOT NULL DEFAULT 0,
	accuracy numeric(5, 4),
	average_confidence numeric(5, 2),
	token_count bigint NOT NULL DEFAULT 0,
	cost numeric(12, 6) NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT extraction_metrics_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT extraction_metrics_company_id_metric_date_model_name_key UNIQUE (company_id, metric_date, model_name),
	CONSTRAINT extraction_metrics_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT chk_extraction_metrics_model_name CHECK (length(btrim(model_name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_extraction_metrics_counts CHECK (extraction_count >= 0 AND field_count >= 0
		AND correction_count >= 0 AND token_count >= 0),
	CONSTRAINT chk_extraction_metrics_accuracy CHECK (accuracy BETWEEN 0 AND 1),
	CONSTRAINT chk_extraction_metrics_average_confidence CHECK (average_confidence BETWEEN 0 AND 100),
	CONSTRAINT chk_extraction_metrics_cost CHECK (cost >= 0)
);

COMMENT ON TABLE pactoria.extraction_metrics IS 'Daily extraction statistics per company and model (filled by pactoria.refresh_extraction_metrics).';

------------------------------------------------------------------------------------
-- chat_messages: conversations with the AI assistant, optionally about a contract.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.chat_messages (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	conversation_id uuid NOT NULL,
	user_id uuid,
	contract_id uuid,
	role text NOT NULL,
	content text NOT NULL,
	token_count integer,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT chat_messages_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT chat_messages_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT chat_messages_user_id_fkey FOREIGN KEY (company_id, user_id) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chat_messages_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id) ON DELETE SET NULL (contract_id),
	CONSTRAINT chk_chat_messages_role CHECK (role IN ('user', 'assistant', 'system')),
	CONSTRAINT chk_chat_messages_user CHECK (role <> 'user' OR user_id IS NOT NULL),
	CONSTRAINT chk_chat_messages_content CHECK (length(content) BETWEEN 1 AND 1000000),
	CONSTRAINT chk_chat_messages_token_count CHECK (token_count >= 0)
);

COMMENT ON TABLE pactoria.chat_messages IS 'Messages of conversations with the AI assistant; user messages name their user.';

CREATE INDEX idx_chat_messages_company_id_conversation_id_created_at
	ON pactoria.chat_messages (company_id, conversation_id, created_at);
CREATE INDEX idx_chat_messages_company_id_user_id ON pactoria.chat_messages (company_id, user_id);
CREATE INDEX idx_chat_messages_company_id_contract_id ON pactoria.chat_messages (company_id, contract_id)
	WHERE contract_id IS NOT NULL;

------------------------------------------------------------------------------------
-- risk_assessments: the risk register.  risk_score is always likelihood x impact.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.risk_assessments (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	contract_id uuid,
	risk_name text NOT NULL,
	risk_category text NOT NULL,
	description text,
	likelihood smallint NOT NULL,
	impact smallint NOT NULL,
	risk_score smallint NOT NULL GENERATED ALWAYS AS (likelihood * impact) STORED,
	risk_level text NOT NULL,
	owner_id uuid,
	status text NOT NULL DEFAULT 'open',
	mitigation_plan text,
	contingency_plan text,
	last_review_date date,
	next_review_date date,
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT risk_assessments_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT risk_assessments_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT risk_assessments_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id) ON DELETE SET NULL (contract_id),
	CONSTRAINT risk_assessments_owner_id_fkey FOREIGN KEY (company_id, owner_id) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT risk_assessments_created_by_fkey FOREIGN KEY (company_id, created_by) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_risk_assessments_risk_name CHECK (length(btrim(risk_name)) BETWEEN 1 AND 300),
	CONSTRAINT chk_risk_assessments_risk_category CHECK (pactoria.is_valid_identifier(risk_category)),
	CONSTRAINT chk_risk_assessments_likelihood CHECK (likelihood BETWEEN 1 AND 5),
	CONSTRAINT chk_risk_assessments_impact CHECK (impact BETWEEN 1 AND 5),
	CONSTRAINT chk_risk_assessments_risk_level CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT chk_risk_assessments_status CHECK (status IN ('open', 'mitigated', 'accepted', 'closed')),
	CONSTRAINT chk_risk_assessments_review_dates CHECK (next_review_date >= last_review_date)
);

COMMENT ON TABLE pactoria.risk_assessments IS 'The risk register: likelihood and impact 1-5, score = likelihood x impact (1-25), level from the score.';

CREATE INDEX idx_risk_assessments_company_id_contract_id ON pactoria.risk_assessments (company_id, contract_id)
	WHERE contract_id IS NOT NULL;
CREATE INDEX idx_risk_assessments_company_id_owner_id ON pactoria.risk_assessments (company_id, owner_id);
CREATE INDEX idx_risk_assessments_company_id_next_review_date ON pactoria.risk_assessments (company_id, next_review_date)
	WHERE status = 'open';

------------------------------------------------------------------------------------
-- updated_at, tenant isolation and pg_dump, table by table.
------------------------------------------------------------------------------------
DO $$
DECLARE
	table_name text;
BEGIN
	FOREACH table_name IN ARRAY ARRAY['companies', 'users', 'templates', 'contracts', 'extractions',
									  'extraction_metrics', 'risk_assessments'] LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON pactoria.%I'
					   ' FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at()',
					   'trg_' || table_name || '_set_updated_at', table_name);
	END LOOP;

	FOREACH table_name IN ARRAY ARRAY['users', 'user_sessions', 'ai_generations', 'contracts',
									  'contract_versions', 'compliance_scores', 'extractions',
									  'extraction_fields', 'corrections', 'extraction_metrics',
									  'chat_messages', 'risk_assessments'] LOOP
		PERFORM pactoria.enable_tenant_isolation(format('pactoria.%I', table_name)::regclass);
	END LOOP;

	FOREACH table_name IN ARRAY ARRAY['companies', 'users', 'user_sessions', 'ai_generations', 'contracts',
									  'contract_versions', 'compliance_scores', 'extractions',
									  'extraction_fields', 'corrections', 'extraction_metrics',
									  'chat_messages', 'risk_assessments'] LOOP
		PERFORM pg_catalog.pg_extension_config_dump(format('pactoria.%I', table_name)::regclass, '');
	END LOOP;
END
$$;

-- System templates are re-created by CREATE EXTENSION; only companies' own are dumped.
SELECT pg_catalog.pg_extension_config_dump('pactoria.templates', 'WHERE company_id IS NOT NULL');
-- 21_system_templates.sql: the UK contract template catalogue shipped with pactoria.
--
-- System templates are rows of pactoria.templates with company_id NULL: every
-- tenant can read them, none owns them.  Each has a FIXED id, written here as a
-- literal, because contracts reference templates by id and a pg_dump/restore
-- re-creates these rows from this install script rather than from the dump (the
-- table's pg_extension_config_dump filter keeps only tenant rows).  Never change
-- an id, never reuse one for a different document: to revise a template, an
-- upgrade script UPDATEs its row by id and increments version; to retire one, it
-- sets is_active = false.  created_at and updated_at are fixed too (the date of
-- this catalogue version, which is also the time in the version-7 ids), not the
-- time of CREATE EXTENSION, so the shipped rows are identical in every database
-- and a dump restored into a fresh database reproduces them exactly.
--
-- Each template is a complete short-form document under the law of England and
-- Wales (legal_notes says where Scotland or Northern Ireland differ), written for
-- this project.  Placeholders are {{lower_snake_case}} in double braces; the
-- same placeholder may recur and is filled with the same value everywhere.
-- legal_notes names the statutes the text follows and says it is a starting
-- point, not legal advice.
--
-- The file is plain ASCII (GBP, not the pound sign) so that CREATE EXTENSION
-- reads it identically in any database encoding; long texts are dollar-quoted
-- with $template$ so apostrophes need no escaping.  test/pgtap/21_system_templates.sql
-- checks the catalogue.

INSERT INTO pactoria.templates (id, company_id, name, category, contract_type, description,
	template_content, compliance_features, legal_notes, version, is_active, suitable_for,
	created_at, updated_at)
VALUES
-- 1. Service Agreement (business to business)
('01954f00-b000-755a-924f-87b17ee14c87', NULL, 'Service Agreement', 'commercial', 'service_agreement',
$template$A business-to-business agreement for the supply of services, with service levels, charges, intellectual property, confidentiality, data protection and a liability cap. For UK companies buying or selling professional, managed or maintenance services.$template$,
$template$SERVICE AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{supplier_name}}, a company incorporated in England and Wales with company number {{supplier_company_number}}, whose registered office is at {{supplier_address}} (the "Supplier").
(2) {{customer_name}}, a company incorporated in England and Wales with company number {{customer_company_number}}, whose registered office is at {{customer_address}} (the "Customer").

BACKGROUND
The Customer wishes to obtain, and the Supplier wishes to provide, the services described in the Schedule on the terms of this Agreement.

1. DEFINITIONS AND INTERPRETATION
1.1 In this Agreement: "Business Day" means a day other than a Saturday, Sunday or public holiday in England; "Charges" means the charges set out in the Schedule; "Deliverables" means the documents, products and materials developed by the Supplier for the Customer as part of the Services; "Intellectual Property Rights" means patents, copyright and related rights, trade marks, business names and domain names, rights in designs, database rights, rights in confidential information and all other intellectual property rights, registered or unregistered, anywhere in the world; "Services" means the services described in the Schedule, including the Deliverables.
1.2 Headings do not affect interpretation. "Including" means including without limitation. A reference to legislation is to it as amended or re-enacted from time to time. "Writing" includes email.

2. COMMENCEMENT AND TERM
2.1 This Agreement starts on {{start_date}} and continues for {{initial_term}} (the "Initial Term"). It then continues until either party gives the other at least {{termination_notice_period}} written notice, which may not expire before the end of the Initial Term.

3. SUPPLY OF SERVICES
3.1 The Supplier shall provide the Services to the Customer in accordance with this Agreement and the service levels in the Schedule.
3.2 The Supplier shall: (a) perform the Services with reasonable care and skill and in accordance with good industry practice; (b) use reasonable endeavours to meet the performance dates in the Schedule, although time is not of the essence; (c) appoint {{supplier_contact_name}} as its manager for the Services; (d) comply with all applicable laws and with the Customer's reasonable site rules notified to it in advance; and (e) hold all licences and consents the Services require.
3.3 The Supplier is not liable for any delay or failure to the extent it is caused by the Customer's failure to perform its obligations under clause 4 (a "Customer Default"), and may recover its reasonable additional costs arising from a Customer Default.

4. CUSTOMER OBLIGATIONS
4.1 The Customer shall: (a) co-operate with the Supplier in all matters relating to the Services and appoint {{customer_contact_name}} as its contact; (b) give the Supplier, in good time, the access to premises, systems, information and materials that the Supplier reasonably requires; and (c) ensure that the information it provides is complete and accurate in all material respects.

5. CHARGES AND PAYMENT
5.1 In consideration of the Services the Customer shall pay the Charges of {{charges}}.
5.2 The Supplier shall invoice the Customer {{invoice_frequency}}. The Customer shall pay each valid invoice within {{payment_terms_days}} days of receipt, to the bank account the Supplier nominates in writing.
5.3 The Charges exclude VAT, which the Customer shall pay at the applicable rate on receipt of a valid VAT invoice.
5.4 If the Customer disputes an invoice in good faith it shall notify the Supplier in writing within 10 Business Days of receipt, giving reasons, and shall pay the undisputed part by the due date.
5.5 If the Customer fails to pay an undisputed sum by its due date, the Supplier may charge interest and compensation under the Late Payment of Commercial Debts (Interest) Act 1998 and, after giving at least 10 Business Days' further written notice, suspend the Services until payment is made.

6. INTELLECTUAL PROPERTY
6.1 The Supplier and its licensors keep all Intellectual Property Rights in materials that existed before this Agreement or were developed independently of it ("Supplier Materials").
6.2 On payment in full of the Charges for them, the Supplier assigns to the Customer with full title guarantee all Intellectual Property Rights in the Deliverables, other than Supplier Materials.
6.3 The Supplier grants the Customer a non-exclusive, royalty-free, perpetual licence to use Supplier Materials incorporated in the Deliverables for the purpose of using the Services and the Deliverables.
6.4 The Customer grants the Supplier a non-exclusive, royalty-free licence during the term to use materials supplied by the Customer solely to provide the Services.

7. CONFIDENTIALITY
7.1 Each party shall keep confidential all information of a confidential nature about the other party's business, affairs, customers, clients or suppliers that it receives under this Agreement, and shall use it only to perform this Agreement.
7.2 A party may disclose such information (a) to its employees, officers, advisers and subcontractors who need to know it, provided they are bound by equivalent obligations; and (b) as required by law, a court or a regulator.
7.3 This clause 7 continues for {{confidentiality_period}} after this Agreement ends.

8. DATA PROTECTION
8.1 Each party shall comply with the UK GDPR and the Data Protection Act 2018 in performing this Agreement.
8.2 Where the Supplier processes personal data on behalf of the Customer, the parties shall, before the processing begins, sign processor terms that meet Article 28(3) of the UK GDPR, which form part of this Agreement.

9. LIMITATION OF LIABILITY
9.1 Nothing in this Agreement limits or excludes liability for (a) death or personal injury caused by negligence; (b) fraud or fraudulent misrepresentation; (c) breach of the terms implied by section 2 of the Supply of Goods and Services Act 1982; or (d) any other liability that cannot lawfully be limited or excluded.
9.2 Subject to clause 9.1, neither party is liable, whether in contract, tort (including negligence), breach of statutory duty or otherwise, for any loss of profits, sales, business, agreements or contracts, anticipated savings or goodwill, or for any indirect or consequential loss.
9.3 Subject to clause 9.1, each party's total liability arising under or in connection with this Agreement in each year from the start date shall not exceed {{liability_cap}}.
9.4 Except as expressly set out in this Agreement, all terms implied by statute or common law are excluded to the fullest extent permitted by law.

10. TERMINATION
10.1 Either party may terminate this Agreement immediately by written notice if the other party (a) commits a material breach that cannot be remedied, or that it fails to remedy within 30 days of written notice requiring it to do so; (b) suspends payment of its debts, is unable to pay its debts as they fall due, or becomes subject to any insolvency procedure; or (c) ceases or threatens to cease to carry on business.
10.2 The Supplier may terminate this Agreement immediately by written notice if the Customer fails to pay any undisputed amount within 30 days after its due date.
10.3 On termination the Customer shall pay all outstanding invoices and, for Services supplied but not yet invoiced, the Supplier's invoice on receipt; each party shall return the other's property and confidential information; and clauses 6, 7, 9 and 13, and any accrued rights, survive.

11. FORCE MAJEURE
11.1 Neither party is in breach of this Agreement or liable for delay or failure in performing its obligations if the delay or failure results from events beyond its reasonable control. If such an event prevents performance for more than {{force_majeure_period}}, the party not affected may terminate this Agreement by written notice.

12. ANTI-BRIBERY AND MODERN SLAVERY
12.1 Each party shall comply with the Bribery Act 2010, shall not do anything that would be an offence under sections 1, 2 or 6 of that Act, and shall maintain adequate procedures to prevent bribery by persons associated with it.
12.2 The Supplier shall comply with the Modern Slavery Act 2015 and take reasonable steps to ensure that there is no slavery or human trafficking in its business or supply chains.

13. GENERAL
13.1 Neither party may assign or subcontract its rights or obligations without the other's prior written consent, not to be unreasonably withheld; the Supplier remains responsible for its subcontractors.
13.2 This Agreement is the entire agreement between the parties about its subject matter. Each party acknowledges that it has not relied on any statement, promise or representation not set out in it; nothing in this clause limits liability for fraud.
13.3 A variation is effective only if it is in writing and signed by both parties. A failure or delay in exercising a right is not a waiver of it. If any provision is invalid, the rest of this Agreement is unaffected.
13.4 Notices shall be in writing and delivered by hand, pre-paid first-class post or email to the addresses above (or as notified).
13.5 No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce any term of this Agreement. Nothing in it creates a partnership, agency or employment relationship. It may be signed in counterparts.

14. GOVERNING LAW AND JURISDICTION
14.1 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SCHEDULE - SERVICES, SERVICE LEVELS AND CHARGES
Services: {{services_description}}
Deliverables and performance dates: {{deliverables}}
Service levels: {{service_levels}}
Charges: {{charges}}, invoiced {{invoice_frequency}}

SIGNED for and on behalf of {{supplier_name}} by {{supplier_signatory_name}}, {{supplier_signatory_title}}: ____________________  Date: ________
SIGNED for and on behalf of {{customer_name}} by {{customer_signatory_name}}, {{customer_signatory_title}}: ____________________  Date: ________
$template$,
'["Supply of Goods and Services Act 1982 duty of reasonable care and skill", "Unfair Contract Terms Act 1977 liability carve-outs (death, personal injury, fraud)", "Late Payment of Commercial Debts (Interest) Act 1998 interest", "UK GDPR Article 28 processor terms required", "Bribery Act 2010 adequate procedures", "Modern Slavery Act 2015 supply-chain undertaking", "Contracts (Rights of Third Parties) Act 1999 exclusion", "Entire agreement with fraud carve-out"]'::jsonb,
$template$Business-to-business only, governed by the law of England and Wales. The Supply of Goods and Services Act 1982 implies a term that a business supplier of services uses reasonable care and skill; clause 3.2 states it expressly. The liability clause must satisfy the reasonableness test of the Unfair Contract Terms Act 1977, which also makes liability for death or personal injury caused by negligence impossible to exclude; set the cap (clause 9.3) at a level you can justify, usually by reference to the charges and available insurance. Statutory interest under the Late Payment of Commercial Debts (Interest) Act 1998 applies unless the contract provides a substantial remedy instead. Where the Customer may enter an insolvency procedure, section 233B of the Insolvency Act 1986 (inserted by the Corporate Insolvency and Governance Act 2020) can stop a supplier terminating or suspending for that reason, so clause 10.1(b) may be unenforceable in that case. If personal data is processed for the Customer, attach the Article 28 data processing agreement. Suppliers with a UK turnover of GBP 36 million or more also publish a slavery and human trafficking statement under section 54 of the Modern Slavery Act 2015. For a consumer customer use the consumer services terms instead (Consumer Rights Act 2015). For Scotland or Northern Ireland change clause 14 and the company descriptions; Scots law has no consideration requirement and different execution rules. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "startup", "enterprise"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 2. Mutual Non-Disclosure Agreement
('01954f00-b3e8-7fb1-aad9-65491646c94c', NULL, 'Mutual Non-Disclosure Agreement', 'confidentiality', 'nda_mutual',
$template$A two-way confidentiality agreement for two businesses sharing confidential information while they explore a project, partnership, investment or acquisition.$template$,
$template$MUTUAL NON-DISCLOSURE AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{first_party_name}}, a company incorporated in England and Wales with company number {{first_party_company_number}}, whose registered office is at {{first_party_address}}.
(2) {{second_party_name}}, a company incorporated in England and Wales with company number {{second_party_company_number}}, whose registered office is at {{second_party_address}}.

BACKGROUND
The parties intend to exchange confidential information for the purpose of {{purpose}} (the "Purpose"). Each party may disclose information (as "Discloser") and receive information (as "Recipient").

1. DEFINITIONS
1.1 "Confidential Information" means all information of a confidential nature, in any form or medium, disclosed by or on behalf of the Discloser to the Recipient or its Representatives, before, on or after the date of this Agreement, in connection with the Purpose, including trade secrets, know-how, technical data, software, business plans, prices, financial information, customer and supplier lists, and the fact that discussions are taking place and their terms.
1.2 "Representatives" means a party's group companies and its and their officers, employees, professional advisers, contractors and (in the case of a potential investor) financiers.

2. OBLIGATIONS OF CONFIDENTIALITY
2.1 The Recipient shall: (a) keep the Discloser's Confidential Information secret and confidential; (b) use it only for the Purpose; (c) not disclose it to any person except as permitted by clauses 3 and 4; (d) protect it with at least the security measures and degree of care it uses for its own confidential information, and in any event no less than reasonable care; (e) not copy it except as necessary for the Purpose; and (f) notify the Discloser promptly on becoming aware of any unauthorised use or disclosure.
2.2 The Recipient may disclose Confidential Information to those of its Representatives who need to know it for the Purpose, provided that it first informs them of its confidential nature and ensures that they comply with obligations equivalent to this Agreement. The Recipient is responsible for any breach by its Representatives.

3. EXCEPTIONS
3.1 The obligations in clause 2 do not apply to information that the Recipient can show (a) is or becomes generally available to the public other than through a breach of this Agreement; (b) was lawfully in its possession free of any duty of confidence before the Discloser disclosed it; (c) is lawfully received from a third party who is free to disclose it; (d) was developed independently without use of the Discloser's Confidential Information; or (e) the Discloser has agreed in writing may be disclosed.

4. DISCLOSURE REQUIRED BY LAW AND PROTECTED REPORTING
4.1 The Recipient may disclose Confidential Information to the extent required by law, by a court or governmental or regulatory authority, or by the rules of a stock exchange, provided that, to the extent it is legally permitted, it gives the Discloser as much notice as possible and takes account of the Discloser's reasonable requests about the content and timing of the disclosure.
4.2 Nothing in this Agreement prevents any person from reporting a suspected offence to the police or another law enforcement agency, co-operating with a regulator, or making a protected disclosure within the meaning of Part IVA of the Employment Rights Act 1996.

5. RETURN AND DESTRUCTION
5.1 On the Discloser's written request, or if the parties decide not to proceed with the Purpose, the Recipient shall within 10 business days return or destroy all documents and materials containing the Discloser's Confidential Information and erase it from its systems so far as reasonably practicable, and confirm in writing that it has done so.
5.2 The Recipient may keep a copy to the extent required by law or regulation, or held in automatic electronic back-ups, provided it remains subject to this Agreement.

6. PERSONAL DATA
6.1 The parties shall share personal data under this Agreement only to the extent necessary for the Purpose, and each shall comply with the UK GDPR and the Data Protection Act 2018 in relation to it.

7. NO LICENCE, WARRANTY OR OBLIGATION
7.1 All Confidential Information remains the property of the Discloser. No licence of any intellectual property right is granted by this Agreement.
7.2 Confidential Information is provided "as is". The Discloser gives no warranty as to its accuracy or completeness, and has no liability for the Recipient's use of it, except in the case of fraud.
7.3 Nothing in this Agreement obliges either party to continue discussions or to enter into any further agreement.

8. DURATION
8.1 The obligations in this Agreement continue for {{confidentiality_period_years}} years from the date of this Agreement, except that obligations relating to trade secrets continue for as long as the information remains a trade secret.

9. REMEDIES
9.1 Each party acknowledges that damages alone may not be an adequate remedy for a breach of this Agreement, and that the Discloser may seek an injunction, specific performance or other equitable relief for any threatened or actual breach, in addition to any other remedy.

10. GENERAL
10.1 Neither party may assign its rights under this Agreement without the other's prior written consent.
10.2 This Agreement is the entire agreement between the parties about its subject matter. A variation is effective only if it is in writing and signed by both parties. A failure or delay in exercising a right is not a waiver of it. If any provision is invalid, the rest of this Agreement is unaffected.
10.3 Notices shall be in writing and sent to the addresses above, or by email to {{first_party_notice_email}} and {{second_party_notice_email}}.
10.4 No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce any term of this Agreement. This Agreement may be signed in counterparts.

11. GOVERNING LAW AND JURISDICTION
11.1 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SIGNED for and on behalf of {{first_party_name}} by {{first_party_signatory_name}}, {{first_party_signatory_title}}: ____________________  Date: ________
SIGNED for and on behalf of {{second_party_name}} by {{second_party_signatory_name}}, {{second_party_signatory_title}}: ____________________  Date: ________
$template$,
'["Common-law duty of confidence made contractual", "Trade Secrets (Enforcement, etc.) Regulations 2018 alignment (trade secrets protected indefinitely)", "Compelled disclosure by law or regulator", "Protected disclosures and reporting to police and regulators preserved", "UK GDPR data minimisation for shared personal data", "Return or destruction with back-up carve-out", "Contracts (Rights of Third Parties) Act 1999 exclusion", "Injunctive relief"]'::jsonb,
$template$Governed by the law of England and Wales. Confidential information is protected by the common-law (equitable) duty of confidence; trade secrets also have statutory remedies under the Trade Secrets (Enforcement, etc.) Regulations 2018, and this Agreement makes the duty contractual and defines its scope. A confidentiality clause cannot stop a worker making a protected disclosure under Part IVA of the Employment Rights Act 1996 (section 43J makes such a term void), and clause 4.2 says so expressly; keep it. Check that the Purpose is drawn narrowly enough to be meaningful, that the duration suits the information (trade secrets may need indefinite protection), and whether any personal data will be shared (if so, a data sharing or processing agreement under the UK GDPR and the Data Protection Act 2018 may also be needed). If one party only is disclosing, use the one-way NDA. Competition law (Competition Act 1998) restricts exchanging competitively sensitive information between competitors; take advice before sharing prices or strategy with a competitor. For Scotland or Northern Ireland change clause 11. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "sole_trader", "charity"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 3. One-Way Non-Disclosure Agreement
('01954f00-b7d0-71de-b93d-ff690d25208b', NULL, 'One-Way Non-Disclosure Agreement', 'confidentiality', 'nda_one_way',
$template$A unilateral confidentiality agreement under which only one party discloses confidential information, for example to a potential supplier, contractor, investor or buyer.$template$,
$template$ONE-WAY NON-DISCLOSURE AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{discloser_name}} of {{discloser_address}} (the "Discloser").
(2) {{recipient_name}} of {{recipient_address}} (the "Recipient").

BACKGROUND
The Discloser is willing to disclose Confidential Information to the Recipient for the purpose of {{purpose}} (the "Purpose"), on the terms of this Agreement. In consideration of the Discloser making that information available, the Recipient agrees as follows.

1. DEFINITIONS
1.1 "Confidential Information" means all information of a confidential nature, in any form or medium, disclosed by or on behalf of the Discloser to the Recipient or its Representatives in connection with the Purpose, whether before, on or after the date of this Agreement, including trade secrets, know-how, designs, source code, business and marketing plans, prices, financial information, customer and supplier information, and the existence and terms of the discussions between the parties, together with all notes, analyses and other material the Recipient prepares that contain or reflect it.
1.2 "Representatives" means the Recipient's officers, employees and professional advisers who need to know the Confidential Information for the Purpose.

2. UNDERTAKINGS OF THE RECIPIENT
2.1 The Recipient shall: (a) keep the Confidential Information secret and confidential; (b) use it only for the Purpose and not for any other purpose, including to compete with the Discloser; (c) not disclose it to any person other than its Representatives, and only to the extent that they need to know it for the Purpose; (d) ensure that each Representative is told of its confidential nature and complies with this Agreement as if bound by it, and be liable for any Representative's breach; (e) keep it secure, with at least the care it uses for its own confidential information and no less than reasonable care; (f) not copy, reverse engineer or analyse any sample, prototype or software supplied to it, except as necessary for the Purpose; and (g) notify the Discloser immediately on becoming aware of any actual or suspected unauthorised use, disclosure or loss.

3. EXCEPTIONS
3.1 Clause 2 does not apply to information that the Recipient can show by written records (a) is or becomes public other than through a breach of this Agreement; (b) was lawfully in its possession, free of any duty of confidence, before the Discloser disclosed it; (c) is lawfully received from a third party who is free to disclose it; or (d) was developed independently by persons who had no access to the Confidential Information.

4. REQUIRED DISCLOSURE AND PROTECTED REPORTING
4.1 The Recipient may disclose Confidential Information to the extent required by law, by a court, or by a governmental or regulatory authority, provided that, so far as it is legally permitted, it first notifies the Discloser, discloses no more than is required, and co-operates with any lawful steps the Discloser takes to protect the information.
4.2 Nothing in this Agreement prevents the Recipient from reporting a suspected offence to a law enforcement agency, co-operating with a regulator, or making a protected disclosure within the meaning of Part IVA of the Employment Rights Act 1996.

5. RETURN OF INFORMATION
5.1 At any time on the Discloser's written request, and in any event if the Purpose ends, the Recipient shall within 5 business days return to the Discloser or destroy all Confidential Information in its possession or control, permanently erase it from its computers and systems so far as technically practicable, and certify in writing, signed by a director or the Recipient personally, that it has done so.
5.2 The Recipient may keep Confidential Information only to the extent required by law or held in routine electronic back-ups that are not readily accessible; it remains bound by this Agreement in respect of it.

6. DATA PROTECTION
6.1 If the Confidential Information includes personal data, the Recipient shall process it only for the Purpose, keep it secure and comply with the UK GDPR and the Data Protection Act 2018.

7. OWNERSHIP AND NO WARRANTY
7.1 The Confidential Information and all intellectual property rights in it remain the property of the Discloser. No licence or other right is granted to the Recipient except the right to use the Confidential Information for the Purpose.
7.2 The Discloser gives no warranty as to the accuracy or completeness of the Confidential Information, and is not obliged to disclose any particular information or to enter into any further agreement.

8. DURATION
8.1 The Recipient's obligations continue for {{confidentiality_period_years}} years from the date of this Agreement or, for any trade secret, for as long as it remains a trade secret, whichever is longer.

9. REMEDIES
9.1 The Recipient acknowledges that damages alone may not be an adequate remedy for a breach of this Agreement and that the Discloser is entitled to seek an injunction, specific performance or other equitable relief for any threatened or actual breach, without proof of special damage. The Recipient shall indemnify the Discloser against losses and reasonable costs arising from any breach by it or its Representatives.

10. GENERAL
10.1 The Recipient may not assign its rights or obligations under this Agreement. The Discloser may assign its rights to any member of its group or to a buyer of the relevant business.
10.2 This Agreement is the entire agreement between the parties about its subject matter. A variation is effective only if it is in writing and signed by both parties. A failure or delay in exercising a right is not a waiver of it. If any provision is invalid, the rest of this Agreement is unaffected.
10.3 No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce any term of this Agreement.

11. GOVERNING LAW AND JURISDICTION
11.1 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SIGNED by or on behalf of the Discloser, {{discloser_name}}, by {{discloser_signatory_name}}: ____________________  Date: ________
SIGNED by or on behalf of the Recipient, {{recipient_name}}, by {{recipient_signatory_name}}: ____________________  Date: ________
$template$,
'["Common-law duty of confidence made contractual", "Trade Secrets (Enforcement, etc.) Regulations 2018 alignment (trade secrets protected indefinitely)", "Protected disclosures and reporting to police and regulators preserved", "Recipient liable for its Representatives", "Return, erasure and certification of destruction", "UK GDPR handling of shared personal data", "Contracts (Rights of Third Parties) Act 1999 exclusion", "Injunctive relief"]'::jsonb,
$template$Governed by the law of England and Wales. The Recipient's promise is given in return for the Discloser making the information available, which is consideration under English law; if there is any doubt (for example the Recipient is an individual and nothing passes to them), sign it as a deed. Confidential information is protected by the equitable duty of confidence and, for trade secrets, by the Trade Secrets (Enforcement, etc.) Regulations 2018. If the Recipient is an individual worker or job candidate, remember that section 43J of the Employment Rights Act 1996 makes void any term that stops a protected disclosure; clause 4.2 preserves reporting rights and should stay. The indemnity in clause 9.1 widens the Recipient's exposure beyond ordinary damages; expect a Recipient to ask for it to be removed or capped. Check the Purpose, the duration and whether personal data will be disclosed (UK GDPR and Data Protection Act 2018). For Scotland or Northern Ireland change clause 11; Scots law does not require consideration, so the deed point does not arise there. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "sole_trader", "charity"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 4. Employment Contract (written statement of particulars)
('01954f00-bbb8-7604-b4ab-a8b9781ea374', NULL, 'Employment Contract', 'employment', 'employment_contract',
$template$A contract of employment for a permanent employee that also serves as the written statement of particulars required from day one by section 1 of the Employment Rights Act 1996. For UK employers of any size.$template$,
$template$CONTRACT OF EMPLOYMENT AND WRITTEN STATEMENT OF PARTICULARS

This document is your contract of employment and contains the written statement of employment particulars required by Part I of the Employment Rights Act 1996 ("ERA"). It is dated {{agreement_date}}.

PARTIES
(1) {{employer_name}}, a company incorporated in England and Wales with company number {{employer_company_number}}, whose registered office is at {{employer_address}} (the "Employer", "we", "us").
(2) {{employee_name}} of {{employee_address}} (the "Employee", "you").

1. START OF EMPLOYMENT
1.1 Your employment starts on {{start_date}}. Your period of continuous employment began on {{continuous_employment_start_date}}. No employment with a previous employer counts towards it unless that date says otherwise.
1.2 Your employment is permanent, subject to the probationary period and to termination in accordance with clause 14.
1.3 Your employment is conditional on you providing, before you start, evidence of your right to work in the United Kingdom acceptable under the Immigration, Asylum and Nationality Act 2006, and on that right continuing.

2. JOB TITLE AND DUTIES
2.1 You are employed as {{job_title}}, reporting to {{line_manager_title}}. Your main duties are: {{job_description}}.
2.2 You shall perform those duties, and any other reasonable duties consistent with your role that we assign to you, faithfully and diligently, and comply with our lawful and reasonable instructions and policies.

3. PROBATIONARY PERIOD
3.1 The first {{probation_period}} of your employment is a probationary period. We may extend it once, by up to the same length, by telling you in writing before it ends. During it, either party may end your employment by giving one week's written notice.

4. PLACE OF WORK
4.1 Your normal place of work is {{place_of_work}}, or such other place within reasonable daily travelling distance as we may reasonably require. {{hybrid_working_arrangements}}
4.2 You will not be required to work outside the United Kingdom for more than one month at a time unless we agree the terms with you in writing beforehand.

5. HOURS OF WORK
5.1 Your normal working hours are {{normal_working_hours}} on {{working_days}}, with an unpaid break of {{lunch_break}} each day. You may be required to work additional hours when reasonably necessary for the business; {{overtime_terms}}.
5.2 We will comply with the Working Time Regulations 1998, including the limit of an average of 48 hours' work a week, the daily rest period of 11 consecutive hours, the weekly rest period, and a rest break of at least 20 minutes when you work more than six hours. You may agree in a separate signed document to work more than an average of 48 hours a week; you may withdraw that agreement by giving us {{opt_out_notice_period}} written notice.

6. PAY
6.1 Your salary is {{annual_salary}} a year, accruing from day to day and paid in equal monthly instalments in arrears on or about the {{pay_day}} of each month by credit transfer, less income tax and National Insurance contributions. It will be reviewed each year; there is no obligation to increase it.
6.2 You agree that we may deduct from your pay any sum you owe us, including any overpayment of pay or expenses, any loan or advance, payment for holiday taken in excess of your accrued entitlement, and the value of our property not returned. This clause is your written agreement to such deductions for the purposes of Part II of the ERA.

7. HOLIDAYS
7.1 Our holiday year runs from {{holiday_year_start}}. You are entitled to {{annual_holiday_days}} working days' paid holiday in each holiday year in addition to the usual public holidays in England and Wales (pro rata for part-time work and for part years). This includes your statutory entitlement of 5.6 weeks under the Working Time Regulations 1998.
7.2 You must give at least twice as much notice as the length of holiday you wish to take, and obtain approval before booking. We may require you to take holiday on particular days, including during any notice period, by giving notice as provided by the Working Time Regulations 1998.
7.3 Holiday not taken by the end of the holiday year is lost without payment, except where you could not take it because of sickness or family-related leave, or where the law otherwise allows or requires it to be carried forward.
7.4 On termination you will be paid for accrued but untaken holiday for the current holiday year. If you have taken more than your accrued entitlement, the excess will be deducted from your final pay. Holiday pay is calculated in accordance with the Working Time Regulations 1998.

8. SICKNESS ABSENCE AND SICK PAY
8.1 If you are unable to work because of sickness or injury you must tell {{absence_reporting_contact}} by {{sickness_notification_time}} on the first day of absence. For absence of up to seven calendar days you must complete a self-certification form; for longer absence you must provide a fit note from a doctor or other authorised healthcare professional.
8.2 You will receive statutory sick pay when you qualify for it; your qualifying days are your normal working days. In addition we will pay company sick pay as follows: {{company_sick_pay}}. Company sick pay includes any statutory sick pay due.
8.3 We may ask you to attend a medical examination by a doctor we nominate, at our cost, subject to your rights under the Access to Medical Reports Act 1988.

9. OTHER LEAVE
9.1 You are entitled to statutory family-related leave and pay (including maternity, paternity, adoption, shared parental, parental bereavement and parental leave), time off for dependants and other statutory time off, in accordance with the law in force from time to time and our policies. Other paid leave: {{other_paid_leave}}.

10. PENSION AND BENEFITS
10.1 We will comply with our automatic enrolment duties under the Pensions Act 2008. If you are eligible, we will enrol you in {{pension_scheme_name}} and pay employer contributions of at least the statutory minimum; you may opt out as the scheme rules allow.
10.2 You are entitled to the following other benefits, subject to the rules of each scheme or policy in force from time to time: {{benefits}}.

11. TRAINING
11.1 You must complete the following training, which we will pay for: {{mandatory_training}}. Training we provide otherwise: {{training_entitlement}}. We do not require you to complete any training at your own cost unless stated here: {{training_at_employee_cost}}.

12. DISCIPLINARY AND GRIEVANCE PROCEDURES
12.1 Our disciplinary rules and disciplinary and grievance procedures are in the staff handbook, which is available at {{staff_handbook_location}}. They follow the Acas Code of Practice on Disciplinary and Grievance Procedures and do not form part of your contract.
12.2 If you are dissatisfied with a disciplinary decision or a decision to dismiss you, you may appeal in writing to {{appeal_contact}}. If you have a grievance about your employment, raise it in writing with {{grievance_contact}}.
12.3 We may suspend you on full pay while we investigate an allegation of misconduct.

13. CONFIDENTIALITY, INTELLECTUAL PROPERTY AND DATA
13.1 You shall not, during or after your employment, use or disclose any of our confidential information except in the proper performance of your duties, as required by law, or as permitted by clause 13.2.
13.2 Nothing in this contract prevents you from making a protected disclosure under Part IVA of the ERA, reporting a suspected offence to the police, or co-operating with a regulator or a criminal investigation.
13.3 Intellectual property rights in work you create in the course of your employment belong to us, as provided by the Copyright, Designs and Patents Act 1988 and the Patents Act 1977. You waive your moral rights in such work to the extent the law permits.
13.4 We process your personal data as described in our employee privacy notice, in accordance with the UK GDPR and the Data Protection Act 2018.

14. TERMINATION
14.1 After the probationary period, you must give us {{employee_notice_period}} written notice to end your employment. We must give you {{employer_notice_period}} written notice, or if greater the statutory minimum notice under section 86 of the ERA (one week for each complete year of continuous employment, up to twelve weeks).
14.2 We may end your employment at any time with immediate effect by paying you basic salary in lieu of all or part of your notice period, less deductions.
14.3 During all or part of your notice period we may require you not to attend work or contact clients and colleagues (garden leave), while continuing to pay your salary and benefits.
14.4 We may dismiss you without notice or payment in lieu for gross misconduct or other serious breach of this contract.
14.5 On termination, or earlier on request, you must return all our property, documents and data, and delete any copies held on your own devices.

15. POST-EMPLOYMENT RESTRICTIONS
15.1 For {{restriction_period_months}} months after your employment ends (reduced by any period of garden leave), you shall not, in competition with us, solicit or deal with any client with whom you had material dealings in the last 12 months of your employment, or solicit any senior employee with whom you worked in that period to leave us.

16. GENERAL
16.1 There are no collective agreements that directly affect your terms and conditions, unless stated here: {{collective_agreements}}.
16.2 We will notify you in writing of any change to the particulars in this document at the earliest opportunity and in any event within one month after the change takes effect.
16.3 We are committed to equality of opportunity and to preventing discrimination, harassment (including sexual harassment) and victimisation, in accordance with the Equality Act 2010.
16.4 This contract is governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction, without affecting your right to bring a claim in an employment tribunal.

SIGNED for and on behalf of {{employer_name}} by {{employer_signatory_name}}, {{employer_signatory_title}}: ____________________  Date: ________
I confirm that I have received and accept these terms. SIGNED by {{employee_name}}: ____________________  Date: ________
$template$,
'["Employment Rights Act 1996 section 1 written statement on or before day one", "Working Time Regulations 1998: 48-hour average, opt-out, rest breaks, 5.6 weeks holiday", "Statutory minimum notice under ERA 1996 section 86", "Written authority for deductions under ERA 1996 Part II", "Statutory sick pay and fit notes", "Pensions Act 2008 automatic enrolment", "Right to work check (Immigration, Asylum and Nationality Act 2006)", "Acas Code of Practice on disciplinary and grievance procedures", "Protected disclosures preserved (ERA 1996 Part IVA)", "Equality Act 2010 and duty to prevent sexual harassment", "Notification of changes within one month (ERA 1996 section 4)"]'::jsonb,
$template$Follows the law of England and Wales (and, for employment statutes, Great Britain). Section 1 of the Employment Rights Act 1996 requires a written statement of particulars on or before the first day of employment for employees and workers; this template covers the particulars (names, start and continuous employment dates, pay, hours and days, holiday, sickness and sick pay, other paid leave, pensions and benefits, notice, job title, duration, probation, place of work, collective agreements, training, disciplinary and grievance procedures, work abroad) and section 4 requires changes to be notified within one month. Working time, rest and holiday follow the Working Time Regulations 1998; for irregular-hours and part-year workers, holiday for leave years starting on or after 1 April 2024 may be calculated as 12.07% of hours worked and rolled-up holiday pay is permitted, so adapt clause 7 for them. Check pay against the National Minimum Wage Act 1998, pension duties under the Pensions Act 2008, right-to-work checks under the Immigration, Asylum and Nationality Act 2006 and equality duties under the Equality Act 2010 (including the duty to take reasonable steps to prevent sexual harassment). Post-employment restrictions are enforceable only if they protect a legitimate interest and go no further than reasonably necessary; keep clause 15 narrow. UK employment law is being reformed (the Employment Rights Bill introduced in October 2024 and its commencement regulations, affecting for example statutory sick pay, probation and unfair dismissal); check which changes are in force before use. Scotland applies the same employment statutes, with Scots law governing the contract if chosen. Northern Ireland has its own employment legislation (including the Employment Rights (Northern Ireland) Order 1996 and its own working time regulations), so adapt the references there. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "charity"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 5. Consultancy Agreement
('01954f00-bfa0-7731-a44c-d8718c59bb4b', NULL, 'Consultancy Agreement', 'commercial', 'consultancy_agreement',
$template$An agreement engaging a consultancy company (often a personal service company) to provide a named individual's services as an independent contractor, with off-payroll working (IR35) provisions. For businesses engaging interim managers, advisers and contractors.$template$,
$template$CONSULTANCY AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{client_name}}, a company incorporated in England and Wales with company number {{client_company_number}}, whose registered office is at {{client_address}} (the "Client").
(2) {{consultancy_name}}, a company incorporated in England and Wales with company number {{consultancy_company_number}}, whose registered office is at {{consultancy_address}} (the "Consultancy").

1. DEFINITIONS
1.1 "Consultant" means {{consultant_name}}, or any substitute provided under clause 4; "Services" means the services described as follows: {{services_description}}; "Works" means all materials, documents, software, inventions and other work created by the Consultancy or the Consultant in providing the Services; "Intellectual Property Rights" means all patents, copyright, database rights, design rights, trade marks, rights in confidential information and other intellectual property rights anywhere in the world; "Off-payroll Rules" means Chapters 8 and 10 of Part 2 of the Income Tax (Earnings and Pensions) Act 2003 and the corresponding National Insurance legislation.

2. TERM
2.1 The engagement starts on {{start_date}} and continues until {{end_date}} unless ended earlier under clause 12.

3. PROVISION OF SERVICES
3.1 The Consultancy shall provide the Services through the Consultant with reasonable care, skill and diligence. The Consultancy decides how, when and where the Services are performed, subject to meeting the agreed deliverables and the Client's reasonable requirements for security and access to its premises and systems.
3.2 The Client is not obliged to offer, and the Consultancy is not obliged to accept, any work beyond the Services. The Consultancy may provide services to others during the engagement provided this does not create a conflict of interest or breach clause 8.
3.3 The Consultancy shall provide its own equipment, except where the Client's security policies require use of the Client's systems.

4. SUBSTITUTION
4.1 The Consultancy may provide a substitute for the Consultant, at its own cost, if the substitute has the necessary skills, qualifications and security clearances. The Client may object only on those grounds. The Consultancy remains responsible for the Services and shall ensure the substitute is bound by clauses 8, 9 and 10.

5. FEES AND EXPENSES
5.1 The Client shall pay fees of {{fee_rate}} per {{fee_basis}}, plus VAT if applicable. The Consultancy shall invoice monthly in arrears with a record of time spent, and the Client shall pay each valid invoice within {{payment_terms_days}} days of receipt.
5.2 The Client shall reimburse reasonable expenses approved in advance in writing, on production of receipts.
5.3 Interest on late payment is payable under the Late Payment of Commercial Debts (Interest) Act 1998.

6. TAX STATUS AND OFF-PAYROLL WORKING
6.1 The Consultancy is an independent contractor. Nothing in this Agreement makes the Consultant an employee or worker of the Client. The Consultancy is responsible for all income tax, National Insurance contributions, corporation tax and VAT arising from the fees and from its payments to the Consultant.
6.2 Where the Client is not a small company for the purposes of the Off-payroll Rules, the Client shall, before the Services start, give the Consultancy and the Consultant a status determination statement with its reasons, take reasonable care in reaching it, and deal with any disagreement within 45 days as the Off-payroll Rules require. If the statement concludes that the rules apply, the fee-payer shall deduct tax and National Insurance as the law requires.
6.3 Where the Client is a small company, the Consultancy shall decide whether the Off-payroll Rules apply and shall account for any tax due.
6.4 The Consultancy shall indemnify the Client against any tax, National Insurance, interest and penalties (and reasonable costs) payable by the Client in respect of the Consultant's fees or remuneration, except to the extent they arise from the Client's own failure to comply with clause 6.2.

7. OTHER OBLIGATIONS OF THE CONSULTANCY
7.1 The Consultancy shall ensure that the Consultant complies with the Client's reasonable policies on health and safety, information security, anti-bribery and equality while on its premises or using its systems, and shall maintain professional indemnity insurance of at least {{professional_indemnity_cover}} and public liability insurance of at least {{public_liability_cover}} during the engagement and for 6 years after it ends.
7.2 The Consultancy shall comply with the Bribery Act 2010 and the Modern Slavery Act 2015, and shall not facilitate tax evasion within the meaning of Part 3 of the Criminal Finances Act 2017.

8. CONFIDENTIALITY
8.1 The Consultancy shall, and shall ensure that the Consultant shall, keep confidential all information of a confidential nature about the Client's business, customers and affairs obtained during the engagement, and use it only to provide the Services, except as required by law. Nothing in this Agreement prevents a protected disclosure under Part IVA of the Employment Rights Act 1996 or reporting to a regulator or the police.

9. INTELLECTUAL PROPERTY
9.1 The Consultancy assigns to the Client, with full title guarantee and by way of present assignment of future rights, all Intellectual Property Rights in the Works, effective on creation. The Consultancy shall procure that the Consultant waives all moral rights in the Works under the Copyright, Designs and Patents Act 1988.
9.2 Materials owned by the Consultancy before the engagement remain its property; the Consultancy grants the Client a perpetual, royalty-free, non-exclusive licence to use any of them incorporated in the Works.
9.3 The Consultancy shall, at the Client's cost, sign all documents and do all acts the Client reasonably requires to perfect its rights under this clause.

10. DATA PROTECTION
10.1 Where the Consultancy processes personal data on the Client's behalf, it shall do so only on the Client's documented instructions and in accordance with processor terms meeting Article 28 of the UK GDPR, and shall otherwise comply with the UK GDPR and the Data Protection Act 2018.

11. LIABILITY
11.1 Nothing in this Agreement limits liability for death or personal injury caused by negligence, for fraud, or for any liability that cannot lawfully be limited. Subject to that, neither party is liable for indirect or consequential loss or loss of profit, and each party's total liability under this Agreement is limited to {{liability_cap}}.

12. TERMINATION
12.1 Either party may end this Agreement by giving {{termination_notice_period}} written notice.
12.2 The Client may end this Agreement immediately by written notice if the Consultancy or the Consultant commits a serious or persistent breach, is guilty of dishonesty or serious misconduct, or the Consultancy becomes insolvent.
12.3 On termination the Consultancy shall return all Client property and information, and the Client shall pay fees properly due up to the termination date. Clauses 6, 8, 9, 10 and 11 survive.

13. GENERAL
13.1 The Consultancy may not assign or subcontract this Agreement except under clause 4. This Agreement is the entire agreement between the parties about its subject matter; variations must be in writing and signed by both parties. No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it.
13.2 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SIGNED for and on behalf of {{client_name}} by {{client_signatory_name}}: ____________________  Date: ________
SIGNED for and on behalf of {{consultancy_name}} by {{consultancy_signatory_name}}: ____________________  Date: ________
Acknowledged by the Consultant, {{consultant_name}}, as to clauses 8 and 9: ____________________  Date: ________
$template$,
'["Off-payroll working rules (ITEPA 2003 Part 2 Chapters 8 and 10) with status determination statement", "Independent contractor status: control, substitution, no mutuality of obligation", "Tax indemnity from the consultancy", "Copyright, Designs and Patents Act 1988 assignment of future rights and moral rights waiver", "UK GDPR Article 28 processor terms where applicable", "Late Payment of Commercial Debts (Interest) Act 1998", "Bribery Act 2010, Modern Slavery Act 2015 and Criminal Finances Act 2017 compliance", "Protected disclosures preserved"]'::jsonb,
$template$Business-to-business, governed by the law of England and Wales. The off-payroll working rules in Chapters 8 and 10 of Part 2 of the Income Tax (Earnings and Pensions) Act 2003 decide whether the Consultant is taxed as a deemed employee: where the Client is a public authority or a medium or large company (the small company test comes from the Companies Act 2006), the Client must issue a status determination statement and deal with disagreements; where it is small, the Consultancy decides. The written terms help but do not decide status: HMRC and the tribunals look at how the engagement works in practice (control, a genuine right of substitution, mutuality of obligation, financial risk), so do not use this template for someone who will in reality work as an employee. The Agency Workers Regulations 2010 and the Conduct of Employment Agencies and Employment Businesses Regulations 2003 matter if an agency is involved. An assignment of copyright must be in writing and signed by the assignor (section 90 of the Copyright, Designs and Patents Act 1988); future copyright can be assigned in advance (section 91). The liability cap must be reasonable under the Unfair Contract Terms Act 1977. For Scotland or Northern Ireland change clause 13.2. This template is a starting point, not legal advice: take advice from a qualified lawyer or tax adviser before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "charity"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 6. Freelancer Agreement
('01954f00-c388-79e0-83f8-10fc18796532', NULL, 'Freelancer Agreement', 'commercial', 'freelancer_agreement',
$template$A project agreement between a business and a self-employed individual freelancer (designer, developer, writer, photographer), with milestones, revisions, acceptance, fees and transfer of rights on payment.$template$,
$template$FREELANCER AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{client_name}} of {{client_address}} (the "Client").
(2) {{freelancer_name}}, a self-employed individual trading as {{freelancer_trading_name}}, of {{freelancer_address}} (the "Freelancer").

1. THE PROJECT
1.1 The Freelancer will carry out the following project (the "Project"): {{project_description}}.
1.2 The Freelancer will deliver the following deliverables (the "Deliverables") by the dates shown: {{deliverables_and_milestones}}. The dates are estimates; the Freelancer will tell the Client promptly of any expected delay.
1.3 The Client will provide the following materials and information by {{client_materials_date}}: {{client_materials}}. Any delay by the Client in providing them extends the delivery dates accordingly.

2. HOW THE WORK IS DONE
2.1 The Freelancer will perform the Project with reasonable care and skill. The Freelancer decides how, when and where the work is done, uses their own equipment, and may engage assistants at their own cost, remaining responsible for their work.
2.2 The Freelancer is self-employed and free to work for other clients. Nothing in this Agreement creates employment, a worker relationship, partnership or agency. The Client is not obliged to offer further work and the Freelancer is not obliged to accept it.

3. REVISIONS AND ACCEPTANCE
3.1 The fee includes {{included_revision_rounds}} rounds of revisions to each Deliverable. Further revisions or changes of scope will be charged at {{additional_work_rate}} and agreed in writing (email is enough) before the work is done.
3.2 The Client will review each Deliverable and either accept it or give written reasons why it does not meet the Project description within {{acceptance_period_days}} days of delivery. If the Client does neither, the Deliverable is treated as accepted.

4. FEES AND PAYMENT
4.1 The Client will pay the Freelancer {{project_fee}} for the Project, payable as follows: {{payment_schedule}}. If the Freelancer is registered for VAT, VAT is added at the applicable rate.
4.2 The Freelancer will invoice on the dates in the payment schedule and the Client will pay each invoice within {{payment_terms_days}} days of receipt to the account shown on the invoice.
4.3 If the Client pays late, the Freelancer may claim statutory interest and fixed-sum compensation (GBP 40, GBP 70 or GBP 100 depending on the size of the debt) under the Late Payment of Commercial Debts (Interest) Act 1998, and may pause work until payment is made.
4.4 Pre-approved expenses will be reimbursed at cost on production of receipts.

5. TAX
5.1 The Freelancer is responsible for their own income tax (through self assessment), National Insurance contributions and VAT, and for any insurance they need. The Client will not deduct tax from payments unless required by law.

6. OWNERSHIP OF WORK
6.1 When the Client has paid all fees due for a Deliverable in full, the Freelancer assigns to the Client, with full title guarantee, all copyright and other intellectual property rights in that Deliverable. Until then, the Client has a licence to use the Deliverables for review purposes only.
6.2 The Freelancer keeps ownership of their pre-existing tools, templates, code libraries and know-how ("Background Materials") and grants the Client a perpetual, non-exclusive, royalty-free licence to use any Background Materials included in the Deliverables as part of them.
6.3 The Freelancer waives their moral rights in the Deliverables under the Copyright, Designs and Patents Act 1988, except the right to be credited where the parties agree credit: {{credit_arrangements}}.
6.4 Unless the Client objects in writing, the Freelancer may show the final Deliverables in their portfolio after the Client has published them.
6.5 The Freelancer confirms that the Deliverables will be their original work (or properly licensed) and will not, to the Freelancer's knowledge, infringe anyone else's rights. The Client confirms the same for the Client materials.

7. CONFIDENTIALITY AND DATA PROTECTION
7.1 Each party will keep the other's confidential information confidential and use it only for the Project, except as required by law.
7.2 If the Freelancer processes personal data for the Client, the Freelancer will act only on the Client's documented instructions, keep the data secure, and sign processor terms meeting Article 28 of the UK GDPR. Each party will comply with the Data Protection Act 2018.

8. CANCELLATION AND TERMINATION
8.1 The Client may cancel the Project at any time by written notice. It will then pay for work done up to cancellation at {{additional_work_rate}} (up to the full fee) plus a cancellation fee of {{cancellation_fee}}, and the Freelancer will deliver the work in progress once paid.
8.2 Either party may end this Agreement immediately by written notice if the other commits a serious breach and does not put it right within 14 days of being asked to.
8.3 Clauses 4, 6 and 7 continue after this Agreement ends.

9. LIABILITY
9.1 Nothing in this Agreement limits liability for death or personal injury caused by negligence, for fraud, or for anything else that cannot lawfully be limited. Otherwise, neither party is liable for loss of profit or indirect loss, and the Freelancer's total liability is limited to the total fees payable under this Agreement.

10. GENERAL
10.1 Neither party may transfer this Agreement without the other's written consent. This Agreement is the entire agreement about the Project; changes must be agreed in writing. No one else has rights under the Contracts (Rights of Third Parties) Act 1999 to enforce it.
10.2 This Agreement is governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SIGNED by or for the Client, {{client_name}}: ____________________  Date: ________
SIGNED by the Freelancer, {{freelancer_name}}: ____________________  Date: ________
$template$,
'["Self-employed status: control, own equipment, right to use assistants", "Late Payment of Commercial Debts (Interest) Act 1998 interest and fixed-sum compensation", "Copyright assignment in writing on payment (Copyright, Designs and Patents Act 1988)", "Moral rights waiver with agreed credit", "Deemed acceptance and revision limits", "UK GDPR Article 28 processor terms where applicable", "Contracts (Rights of Third Parties) Act 1999 exclusion"]'::jsonb,
$template$For a business engaging an individual sole trader directly (not through a limited company; use the consultancy agreement for that), under the law of England and Wales. Employment status is decided by the reality of the relationship, not the label: if the Client controls how the work is done, supplies the equipment and expects the freelancer to work personally and continuously, the freelancer may be a worker (with rights to holiday pay and the minimum wage) or an employee for tax purposes; HMRC's Check Employment Status for Tax tool helps test this. The off-payroll rules for intermediaries do not apply to a sole trader engaged directly, but PAYE may if the freelancer is in substance an employee. Statutory interest and the fixed compensation sums come from the Late Payment of Commercial Debts (Interest) Act 1998, which applies because both parties act in the course of business. Copyright stays with the freelancer unless assigned in writing signed by them (section 90 of the Copyright, Designs and Patents Act 1988); here it passes on payment, which is the usual freelancer position; a client who needs rights from creation should use an assignment of future rights instead. The liability cap must be reasonable under the Unfair Contract Terms Act 1977. For Scotland or Northern Ireland change clause 10.2. This template is a starting point, not legal advice: take advice from a qualified lawyer or tax adviser before relying on it.$template$,
1, true, '["sole_trader", "sme", "startup", "charity"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 7. Terms and Conditions for the Supply of Goods (business to business)
('01954f00-c770-7a1e-882a-d462d0ec44ed', NULL, 'Terms and Conditions for the Supply of Goods', 'commercial', 'supply_of_goods',
$template$Standard terms of sale for a manufacturer, wholesaler or trader selling goods to business customers, with delivery, warranty, retention of title, payment and liability provisions.$template$,
$template$TERMS AND CONDITIONS FOR THE SUPPLY OF GOODS

These terms apply to all sales of goods by {{supplier_name}}, a company incorporated in England and Wales with company number {{supplier_company_number}}, whose registered office is at {{supplier_address}} (the "Supplier"), to business customers. Version {{terms_version}}, effective from {{effective_date}}.

1. INTERPRETATION
1.1 In these Conditions: "Business Day" means a day other than a Saturday, Sunday or public holiday in England; "Contract" means the contract between the Supplier and the Customer for the sale of Goods, formed under clause 2; "Customer" means the business that buys Goods from the Supplier; "Goods" means the goods set out in the Order; "Order" means the Customer's order for Goods; "Specification" means any specification for the Goods agreed in writing by the Supplier.
1.2 "Writing" includes email. A reference to legislation is to it as amended or re-enacted.

2. BASIS OF CONTRACT
2.1 These Conditions apply to the Contract to the exclusion of any other terms that the Customer seeks to impose or incorporate, or which are implied by trade, custom, practice or course of dealing.
2.2 The Order is an offer by the Customer to buy the Goods on these Conditions. The Order is accepted only when the Supplier issues a written acceptance or dispatches the Goods, whichever happens first, at which point the Contract is formed.
2.3 Samples, drawings, descriptions and advertising are for illustration only and do not form part of the Contract. A quotation is not an offer and is valid for {{quotation_validity_days}} days from its date.
2.4 The Customer confirms that it is buying in the course of its business and not as a consumer.

3. GOODS
3.1 The Goods are described in the Supplier's catalogue or the Specification. The Supplier may amend the Specification if required by law, notifying the Customer.

4. DELIVERY
4.1 The Supplier shall deliver the Goods to {{delivery_location}} (or the Customer shall collect them from the Supplier's premises if so agreed) after the Supplier notifies the Customer that the Goods are ready. Delivery is complete when the Goods are unloaded at the delivery location or collected.
4.2 Delivery dates are approximate and time of delivery is not of the essence. The Supplier is not liable for delay caused by events outside its reasonable control or by the Customer's failure to give adequate delivery instructions.
4.3 If the Supplier fails to deliver, its liability is limited to the costs and expenses the Customer reasonably incurs in obtaining replacement goods of similar description and quality in the cheapest market available, less the price of the Goods.
4.4 If the Customer fails to take delivery within 3 Business Days of notification, the Goods are treated as delivered, risk passes to the Customer, and the Supplier may store them at the Customer's cost and, after a further 10 Business Days, resell them and account to the Customer for the net proceeds after deducting its charges.
4.5 The Supplier may deliver the Goods by instalments, each invoiced and paid for separately. The Customer may not reject the Goods if the Supplier delivers up to {{delivery_tolerance_percent}} per cent more or less than the quantity ordered; the price is adjusted pro rata.

5. QUALITY AND WARRANTY
5.1 The Supplier warrants that on delivery, and for {{warranty_period_months}} months from delivery (the "Warranty Period"), the Goods will conform in all material respects with their description and any Specification, be free from material defects in design, material and workmanship, and be of satisfactory quality within the meaning of the Sale of Goods Act 1979.
5.2 If the Customer gives written notice within a reasonable time of discovering that some or all of the Goods do not comply with clause 5.1, gives the Supplier a reasonable opportunity to examine them, and (if asked) returns them at the Supplier's cost, the Supplier shall at its option repair or replace the defective Goods or refund their price in full.
5.3 The Supplier is not liable under clause 5.1 if the defect arises from fair wear and tear, wilful damage, negligence, abnormal storage or working conditions, failure to follow the Supplier's instructions, alteration or repair without the Supplier's consent, or the Supplier following a drawing, design or Specification supplied by the Customer.
5.4 Except as set out in these Conditions, the terms implied by sections 13 to 15 of the Sale of Goods Act 1979 are excluded to the fullest extent permitted by law. These Conditions apply to any repaired or replacement Goods.

6. TITLE AND RISK
6.1 Risk in the Goods passes to the Customer on completion of delivery.
6.2 Title to the Goods does not pass to the Customer until the Supplier has received payment in full, in cleared funds, for the Goods and for all other goods or services that the Supplier has supplied to the Customer and for which payment has become due.
6.3 Until title passes the Customer shall: (a) hold the Goods as the Supplier's bailee; (b) store them separately from other goods so that they remain readily identifiable as the Supplier's property; (c) not remove or alter any identifying mark or packaging; (d) keep them in satisfactory condition and insured against all risks for their full price; and (e) notify the Supplier immediately if it becomes subject to any insolvency event. The Customer may resell or use the Goods in the ordinary course of its business before title passes.
6.4 If, before title passes, the Customer becomes subject to an insolvency event, or fails to pay when due, the Supplier may require the Customer to deliver up the Goods and, if it fails to do so promptly, enter any premises of the Customer or of any third party where the Goods are stored to recover them.

7. PRICE AND PAYMENT
7.1 The price of the Goods is the price in the Supplier's acceptance of the Order or, if none, its price list in force at the date of delivery. Prices exclude VAT and, unless stated otherwise, the costs of packaging, insurance and carriage, which are invoiced in addition.
7.2 The Supplier may invoice the Customer on or at any time after delivery. The Customer shall pay each invoice within {{payment_terms_days}} days of the date of the invoice, in full and in cleared funds, to the account nominated by the Supplier. Time for payment is of the essence.
7.3 If the Customer fails to pay on the due date, the Supplier may charge interest and compensation under the Late Payment of Commercial Debts (Interest) Act 1998 and suspend further deliveries.
7.4 The Customer shall pay all amounts due in full without any set-off, counterclaim, deduction or withholding, except as required by law.

8. LIMITATION OF LIABILITY
8.1 Nothing in these Conditions limits or excludes the Supplier's liability for (a) death or personal injury caused by its negligence; (b) fraud or fraudulent misrepresentation; (c) breach of the terms implied by section 12 of the Sale of Goods Act 1979; (d) defective products under the Consumer Protection Act 1987; or (e) any matter for which it would be unlawful to exclude or restrict liability.
8.2 Subject to clause 8.1, the Supplier is not liable to the Customer, whether in contract, tort (including negligence), breach of statutory duty or otherwise, for any loss of profit, loss of sales or business, loss of agreements or contracts, loss of anticipated savings, loss of goodwill, or any indirect or consequential loss.
8.3 Subject to clause 8.1, the Supplier's total liability in respect of all other losses arising under or in connection with the Contract shall not exceed {{liability_cap}}.

9. TERMINATION AND SUSPENSION
9.1 The Supplier may terminate the Contract, or suspend delivery, by written notice if the Customer commits a material breach, fails to pay any amount on the due date, or suspends or threatens to suspend payment of its debts, becomes unable to pay its debts, or ceases to carry on business. On termination all sums due become immediately payable.

10. FORCE MAJEURE
10.1 The Supplier is not in breach of the Contract or liable for delay or failure in performance resulting from events, circumstances or causes beyond its reasonable control.

11. COMPLIANCE
11.1 Each party shall comply with the Bribery Act 2010, the Modern Slavery Act 2015 and applicable sanctions and export control laws in connection with the Contract.

12. GENERAL
12.1 The Supplier may assign or subcontract the Contract; the Customer may not without the Supplier's written consent. The Contract is the entire agreement between the parties and the Customer acknowledges that it has not relied on any statement not set out in it (without limiting liability for fraud). No variation is effective unless agreed in writing by the Supplier. A waiver must be in writing. If a provision is invalid the rest of the Contract is unaffected.
12.2 No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce any term of the Contract.
12.3 The Contract and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

Contact for orders and notices: {{supplier_contact_email}}
$template$,
'["Sale of Goods Act 1979 implied terms (section 12 title preserved; sections 13 to 15 excluded where reasonable)", "Unfair Contract Terms Act 1977 reasonableness and non-excludable liabilities", "Consumer Protection Act 1987 product liability preserved", "Retention of title (all-monies) with bailee obligations", "Risk passing on delivery", "Late Payment of Commercial Debts (Interest) Act 1998", "Battle-of-the-forms priority clause", "Contracts (Rights of Third Parties) Act 1999 exclusion", "Bribery Act 2010 and Modern Slavery Act 2015 compliance"]'::jsonb,
$template$Business-to-business sales only, under the law of England and Wales; never use these terms with consumers, whose rights under the Consumer Rights Act 2015 cannot be excluded (use the consumer terms of sale instead). The Sale of Goods Act 1979 implies terms as to title (section 12), description (section 13), satisfactory quality and fitness for purpose (section 14) and sample (section 15); under section 6 of the Unfair Contract Terms Act 1977 the title term cannot be excluded and the others can be excluded against a business buyer only so far as reasonable, so clause 5 gives an express warranty in their place. Liability for death or personal injury caused by negligence cannot be excluded (section 2 of the 1977 Act), nor can liability under Part I of the Consumer Protection Act 1987. Make sure these terms are incorporated before the contract is formed (quote them on quotations and order acknowledgements) or the customer's terms may prevail. An all-monies retention of title clause is generally valid in England and Wales; claims to proceeds of sale or to goods mixed into other products usually need registration as a charge (Companies Act 2006) to bind an administrator or liquidator, so this template claims neither. Statutory interest arises under the Late Payment of Commercial Debts (Interest) Act 1998. Section 233B of the Insolvency Act 1986 may prevent termination or suspension under clause 9 because the customer has entered an insolvency procedure. The Sale of Goods Act 1979 and the Unfair Contract Terms Act 1977 (Part II) also apply in Scotland, where retention of title is also recognised (section 19 of the 1979 Act), but change clause 12.3 and replace "bailee" with wording that the Customer holds the Goods on the Supplier's behalf. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "enterprise", "startup"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 8. SaaS Subscription Agreement
('01954f00-cb58-7857-b9ab-4daeb7a0bcfb', NULL, 'SaaS Subscription Agreement', 'technology', 'saas_subscription',
$template$A business-to-business subscription agreement for cloud software (software as a service), covering user subscriptions, availability and support, customer data, fees, renewal and liability.$template$,
$template$SOFTWARE AS A SERVICE SUBSCRIPTION AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{provider_name}}, a company incorporated in England and Wales with company number {{provider_company_number}}, whose registered office is at {{provider_address}} (the "Provider").
(2) {{customer_name}}, a company incorporated in England and Wales with company number {{customer_company_number}}, whose registered office is at {{customer_address}} (the "Customer").

1. DEFINITIONS
1.1 "Authorised Users" means the Customer's employees and contractors whom it authorises to use the Services, up to the number of User Subscriptions; "Customer Data" means the data entered by or for the Customer or its Authorised Users, or generated by the Services from it; "Documentation" means the user documentation for the Services made available by the Provider; "Services" means the subscription service known as {{service_name}} provided through {{service_url}}; "Subscription Term" means the Initial Subscription Term together with any Renewal Periods; "User Subscriptions" means the {{number_of_users}} user subscriptions purchased by the Customer; "Normal Business Hours" means 9.00 am to 5.00 pm UK time on a business day.

2. USER SUBSCRIPTIONS
2.1 The Provider grants the Customer a non-exclusive, non-transferable right, without the right to sublicense, to permit the Authorised Users to use the Services and the Documentation during the Subscription Term solely for the Customer's internal business operations.
2.2 Each User Subscription may be used by one individual only; log-in details may not be shared, but may be reassigned to a new Authorised User who replaces one who no longer needs access.
2.3 The Customer shall not, and shall ensure its Authorised Users do not: (a) access, store, distribute or transmit any virus or material that is unlawful, harmful, threatening, defamatory, obscene, infringing, harassing or discriminatory; (b) copy, modify, frame or create derivative works of the Services, or decompile or reverse engineer them, except to the extent the law allows and cannot be excluded; (c) use the Services to build a competing product or service; (d) make the Services available to third parties; or (e) attempt to gain unauthorised access to the Services, an offence under the Computer Misuse Act 1990.
2.4 The Provider may suspend an Authorised User's access if it reasonably believes clause 2.3 has been breached, notifying the Customer promptly.
2.5 The Customer may buy additional User Subscriptions at the Provider's then-current prices, pro-rated for the rest of the current period.

3. SERVICES, AVAILABILITY AND SUPPORT
3.1 The Provider shall provide the Services substantially in accordance with the Documentation and use commercially reasonable endeavours to make them available {{availability_target_percent}} per cent of each calendar month, excluding planned maintenance notified at least {{maintenance_notice_hours}} hours in advance and carried out outside Normal Business Hours where practicable, and urgent unscheduled maintenance.
3.2 The Provider shall provide support during Normal Business Hours by {{support_channel}}, responding to incidents according to the service levels in the Schedule. If availability falls below the target in a month, the Customer is entitled to the service credits in the Schedule, which are a price adjustment reflecting reduced value and not a penalty.
3.3 The Provider does not warrant that the Services will be uninterrupted or error-free, or that they will meet the Customer's particular requirements beyond the Documentation.

4. CUSTOMER DATA
4.1 The Customer owns all rights in the Customer Data and is responsible for its legality, reliability, integrity and accuracy. The Provider may use the Customer Data only to provide the Services.
4.2 The Provider shall back up the Customer Data {{backup_frequency}} and, if Customer Data is lost or damaged, use reasonable endeavours to restore it from the latest back-up; that is the Customer's sole remedy for loss or damage to Customer Data except where caused by the Provider's breach of clause 4.4.
4.3 The Customer Data is hosted in {{data_hosting_location}}. The Provider shall not transfer personal data outside the United Kingdom except in accordance with the data processing agreement.
4.4 Where the Provider processes personal data on behalf of the Customer, it does so as processor under the data processing agreement signed with this Agreement, which meets Article 28 of the UK GDPR; each party shall comply with the UK GDPR and the Data Protection Act 2018. The Provider shall maintain appropriate technical and organisational security measures, including encryption of data in transit and at rest.
4.5 For {{data_export_period_days}} days after this Agreement ends the Customer may export its Customer Data in a commonly used machine-readable format; the Provider shall then delete it, except as the law requires it to be retained.

5. CUSTOMER OBLIGATIONS
5.1 The Customer shall co-operate with the Provider, provide information the Provider reasonably requires, comply with all applicable laws in its use of the Services, keep log-in details secure, and be responsible for its Authorised Users' acts and omissions and for its own network connections.

6. FEES AND PAYMENT
6.1 The Customer shall pay subscription fees of {{subscription_fee}} per {{billing_period}}, invoiced in advance, plus VAT. Invoices are payable within {{payment_terms_days}} days of the invoice date.
6.2 If an undisputed invoice remains unpaid 14 days after the Provider has given written notice of late payment, the Provider may suspend access to the Services until it is paid. Interest on overdue sums accrues under the Late Payment of Commercial Debts (Interest) Act 1998.
6.3 The Provider may increase the fees with effect from the start of any Renewal Period by giving at least {{price_increase_notice_days}} days' written notice.

7. INTELLECTUAL PROPERTY
7.1 The Provider and its licensors own all intellectual property rights in the Services and the Documentation. Except as expressly stated, this Agreement grants the Customer no rights in them. The Provider may use feedback the Customer gives to improve the Services.
7.2 The Provider shall defend the Customer against any claim that the Customer's use of the Services in accordance with this Agreement infringes the United Kingdom intellectual property rights of a third party, and pay any damages and costs finally awarded, provided the Customer notifies the Provider promptly, gives it sole conduct of the claim and co-operates. If such a claim is made, the Provider may procure the right to continue using the Services, modify them so they no longer infringe, or terminate this Agreement and refund prepaid fees for the unexpired period.

8. CONFIDENTIALITY
8.1 Each party shall keep the other's confidential information confidential, use it only to perform this Agreement, and disclose it only to its employees, agents and subcontractors who need to know it and are bound by equivalent obligations, or as required by law or a regulator. This clause survives termination.

9. LIMITATION OF LIABILITY
9.1 Nothing in this Agreement limits or excludes liability for death or personal injury caused by negligence, fraud or fraudulent misrepresentation, or any liability that cannot lawfully be limited or excluded.
9.2 Subject to clause 9.1, neither party is liable for loss of profits, loss of business, depletion of goodwill, loss of anticipated savings, or any indirect or consequential loss, and the Provider's total aggregate liability in contract, tort (including negligence), breach of statutory duty or otherwise arising under or in connection with this Agreement in any 12-month period is limited to the total fees paid for the User Subscriptions during the 12 months immediately before the event giving rise to the claim.
9.3 Except as expressly stated, all warranties, representations, conditions and other terms implied by statute or common law are excluded to the fullest extent permitted by law.

10. TERM AND TERMINATION
10.1 This Agreement starts on {{start_date}} and continues for {{initial_subscription_term}} (the "Initial Subscription Term"). It then renews automatically for successive periods of {{renewal_period}} (each a "Renewal Period") unless either party gives written notice of non-renewal at least {{non_renewal_notice_days}} days before the end of the current term.
10.2 Either party may terminate this Agreement immediately by written notice if the other commits a material breach that is irremediable or is not remedied within 30 days of written notice, or becomes insolvent or ceases to trade.
10.3 On termination all licences end, the Customer shall stop using the Services, clause 4.5 applies, and accrued rights are unaffected.

11. FORCE MAJEURE
11.1 Neither party is liable for delay or failure caused by events beyond its reasonable control, including failure of a public network or a utility, provided it notifies the other party and uses reasonable efforts to mitigate the effect.

12. GENERAL
12.1 Neither party may assign this Agreement without the other's prior written consent, except that the Provider may assign it to a buyer of its business. The Provider may use subcontractors and remains responsible for them.
12.2 This Agreement (with its Schedule and the data processing agreement) is the entire agreement between the parties about its subject matter. Variations must be in writing and signed by both parties. No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it. Each party shall comply with the Bribery Act 2010.
12.3 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SCHEDULE - SUBSCRIPTION DETAILS AND SERVICE LEVELS
Service: {{service_name}}; User Subscriptions: {{number_of_users}}; Fees: {{subscription_fee}} per {{billing_period}}
Support response times: {{support_response_times}}
Service credits: {{service_credits}}

SIGNED for and on behalf of {{provider_name}} by {{provider_signatory_name}}: ____________________  Date: ________
SIGNED for and on behalf of {{customer_name}} by {{customer_signatory_name}}: ____________________  Date: ________
$template$,
'["UK GDPR Article 28 data processing agreement incorporated", "Data Protection Act 2018 compliance and UK data hosting", "International transfer restriction (UK GDPR Chapter V)", "Data export and deletion on exit", "Computer Misuse Act 1990 acceptable use", "Unfair Contract Terms Act 1977 liability carve-outs and reasonable cap", "Late Payment of Commercial Debts (Interest) Act 1998", "Automatic renewal with advance notice of non-renewal and price increases", "Service credits framed as price adjustment", "Contracts (Rights of Third Parties) Act 1999 exclusion"]'::jsonb,
$template$Business-to-business, under the law of England and Wales. A SaaS provider hosting personal data for its customer is a processor, so sign the Article 28 data processing agreement (UK GDPR and Data Protection Act 2018) alongside this Agreement and check any transfers outside the United Kingdom against Chapter V of the UK GDPR. Caps and exclusions must be reasonable under the Unfair Contract Terms Act 1977 where the Provider contracts on its standard terms; liability for death or personal injury caused by negligence and for fraud cannot be excluded. Late payment interest follows the Late Payment of Commercial Debts (Interest) Act 1998. Cloud computing providers that are not small or micro businesses may have duties under the Network and Information Systems Regulations 2018. For consumers, do not use this template: digital content and services supplied to consumers are governed by the Consumer Rights Act 2015 and the Consumer Contracts (Information, Cancellation and Additional Charges) Regulations 2013, and the subscription contract rules in the Digital Markets, Competition and Consumers Act 2024 will add renewal reminders and easy-exit requirements once commenced. Check the availability target, service credits and data hosting location against what you can deliver. For Scotland or Northern Ireland change clause 12.3. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "startup", "enterprise"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 9. UK GDPR Article 28 Data Processing Agreement
('01954f00-cf40-789d-951c-7c69087df6cf', NULL, 'Data Processing Agreement (UK GDPR Article 28)', 'data_protection', 'data_processing_agreement',
$template$Controller-to-processor terms meeting Article 28(3) of the UK GDPR, for any supplier (IT, payroll, cloud, marketing, outsourcing) that processes personal data on a customer's behalf.$template$,
$template$DATA PROCESSING AGREEMENT

This Agreement is dated {{agreement_date}} and supplements the {{main_agreement_name}} dated {{main_agreement_date}} (the "Main Agreement").

PARTIES
(1) {{controller_name}}, company number {{controller_company_number}}, of {{controller_address}} (the "Controller").
(2) {{processor_name}}, company number {{processor_company_number}}, of {{processor_address}} (the "Processor").

1. DEFINITIONS AND INTERPRETATION
1.1 "Data Protection Legislation" means the UK GDPR (as defined in the Data Protection Act 2018), the Data Protection Act 2018, the Privacy and Electronic Communications (EC Directive) Regulations 2003, and any other law relating to personal data that applies to a party. "Controller", "processor", "data subject", "personal data", "personal data breach", "processing" and "supervisory authority" have the meanings given in the UK GDPR; the supervisory authority is the Information Commissioner. "Sub-processor" means another processor engaged by the Processor. "Restricted Transfer" means a transfer of personal data to a country outside the United Kingdom or to an international organisation.
1.2 If this Agreement conflicts with the Main Agreement on the processing of personal data, this Agreement prevails.

2. SCOPE AND DETAILS OF PROCESSING
2.1 The Processor processes personal data on behalf of the Controller in connection with the Main Agreement. As required by Article 28(3) of the UK GDPR, the processing is as follows:
(a) subject-matter of the processing: {{processing_subject_matter}};
(b) duration of the processing: {{processing_duration}};
(c) nature and purpose of the processing: {{processing_nature_and_purpose}};
(d) type of personal data: {{personal_data_types}};
(e) special category or criminal offence data (if any): {{special_category_data}};
(f) categories of data subjects: {{data_subject_categories}}.
2.2 The obligations and rights of the Controller are those set out in this Agreement and the Data Protection Legislation. The Controller shall ensure that it has a lawful basis for the processing and has given data subjects the information required by Articles 13 and 14 of the UK GDPR.

3. INSTRUCTIONS (ARTICLE 28(3)(a))
3.1 The Processor shall process the personal data only on documented instructions from the Controller, including with regard to transfers of personal data to a third country or an international organisation, unless required to do so by domestic law to which the Processor is subject; in that case the Processor shall inform the Controller of that legal requirement before processing, unless that law prohibits such information on important grounds of public interest. The Main Agreement and this Agreement are the Controller's documented instructions at the date of signature; further instructions shall be given in writing.
3.2 The Processor shall immediately inform the Controller if, in its opinion, an instruction infringes the Data Protection Legislation.

4. CONFIDENTIALITY OF PERSONNEL (ARTICLE 28(3)(b))
4.1 The Processor shall ensure that persons authorised to process the personal data have committed themselves to confidentiality or are under an appropriate statutory obligation of confidentiality, that access is limited to those who need it to perform the Main Agreement, and that they are trained in data protection.

5. SECURITY (ARTICLE 28(3)(c))
5.1 The Processor shall take all measures required pursuant to Article 32 of the UK GDPR. Taking into account the state of the art, the costs of implementation and the nature, scope, context and purposes of processing, and the risks to data subjects, it shall implement appropriate technical and organisational measures to ensure a level of security appropriate to the risk, including as appropriate pseudonymisation and encryption, the ability to ensure the ongoing confidentiality, integrity, availability and resilience of processing systems, the ability to restore availability and access to personal data in a timely manner after an incident, and regular testing of those measures. The minimum measures are set out in Annex 1.

6. SUB-PROCESSORS (ARTICLE 28(3)(d), 28(2) AND 28(4))
6.1 The Processor shall not engage another processor without the prior specific or general written authorisation of the Controller. The Controller gives general written authorisation for the Sub-processors listed in Annex 2.
6.2 The Processor shall inform the Controller of any intended changes concerning the addition or replacement of Sub-processors at least {{subprocessor_notice_days}} days in advance, giving the Controller the opportunity to object. If the Controller objects on reasonable data protection grounds, the parties shall discuss the objection in good faith; if it is not resolved, the Controller may terminate the affected part of the Main Agreement without penalty.
6.3 Where the Processor engages a Sub-processor, it shall impose on it, by a written contract, the same data protection obligations as are set out in this Agreement, providing sufficient guarantees to implement appropriate technical and organisational measures so that the processing meets the requirements of the Data Protection Legislation. The Processor remains fully liable to the Controller for the performance of each Sub-processor's obligations.

7. DATA SUBJECT RIGHTS (ARTICLE 28(3)(e))
7.1 Taking into account the nature of the processing, the Processor shall assist the Controller by appropriate technical and organisational measures, insofar as this is possible, for the fulfilment of the Controller's obligation to respond to requests for exercising the data subject's rights laid down in Chapter III of the UK GDPR.
7.2 The Processor shall notify the Controller within {{data_subject_request_notice_days}} business days if it receives a request from a data subject, and shall not respond to it except on the Controller's documented instructions or as required by law.

8. ASSISTANCE WITH COMPLIANCE (ARTICLE 28(3)(f))
8.1 The Processor shall assist the Controller in ensuring compliance with the obligations pursuant to Articles 32 to 36 of the UK GDPR (security of processing, notification of a personal data breach to the Information Commissioner and communication to data subjects, data protection impact assessments and prior consultation), taking into account the nature of processing and the information available to the Processor.
8.2 The Processor shall notify the Controller without undue delay, and in any event within {{breach_notification_hours}} hours, after becoming aware of a personal data breach affecting the personal data, giving so far as available the information described in Article 33(3) of the UK GDPR, and shall co-operate with the Controller and take reasonable steps to contain and remedy the breach. The Processor shall not notify the Information Commissioner or data subjects itself unless the Controller instructs it to or the law requires it.

9. DELETION OR RETURN (ARTICLE 28(3)(g))
9.1 At the choice of the Controller, the Processor shall delete or return all the personal data to the Controller after the end of the provision of services relating to processing, and delete existing copies unless domestic law requires storage of the personal data. The Processor shall do so within {{return_or_deletion_days}} days after the end of the services and certify in writing that it has done so.

10. INFORMATION AND AUDITS (ARTICLE 28(3)(h))
10.1 The Processor shall make available to the Controller all information necessary to demonstrate compliance with the obligations laid down in Article 28 of the UK GDPR and shall allow for and contribute to audits, including inspections, conducted by the Controller or another auditor mandated by the Controller.
10.2 The Controller shall give at least {{audit_notice_days}} days' notice of an audit (except after a personal data breach or where the Information Commissioner requires it), carry it out during normal business hours with minimum disruption, and ensure its auditors are bound by confidentiality. Audits are limited to once in any 12-month period unless a breach of this Agreement is reasonably suspected.

11. INTERNATIONAL TRANSFERS
11.1 The Processor shall not make a Restricted Transfer, or allow a Sub-processor to make one, except on the Controller's documented instructions and in compliance with Chapter V of the UK GDPR: to a country covered by UK adequacy regulations, or subject to appropriate safeguards such as the International Data Transfer Agreement or the International Data Transfer Addendum to the European Commission's standard contractual clauses issued by the Information Commissioner under section 119A of the Data Protection Act 2018, together with a transfer risk assessment.

12. RECORDS AND CO-OPERATION
12.1 The Processor shall maintain a record of processing activities carried out on behalf of the Controller as required by Article 30(2) of the UK GDPR and co-operate, on request, with the Information Commissioner. Its data protection contact is {{processor_privacy_contact}}.

13. LIABILITY, TERM AND LAW
13.1 Each party's liability under this Agreement is subject to the limitations in the Main Agreement, except that nothing limits either party's liability to data subjects under Article 82 of the UK GDPR or for fines imposed on it by the Information Commissioner.
13.2 This Agreement continues for as long as the Processor processes personal data on behalf of the Controller, and clauses 9, 10 and 13 survive its end.
13.3 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

ANNEX 1 - TECHNICAL AND ORGANISATIONAL SECURITY MEASURES
{{security_measures}}

ANNEX 2 - AUTHORISED SUB-PROCESSORS (name, location, processing performed)
{{approved_subprocessors}}

SIGNED for and on behalf of {{controller_name}} by {{controller_signatory_name}}: ____________________  Date: ________
SIGNED for and on behalf of {{processor_name}} by {{processor_signatory_name}}: ____________________  Date: ________
$template$,
'["UK GDPR Article 28(3) processing details: subject-matter, duration, nature and purpose, data types, data subject categories", "Article 28(3)(a) documented instructions including transfers, and notice of infringing instructions", "Article 28(3)(b) confidentiality of authorised persons", "Article 28(3)(c) Article 32 security measures", "Article 28(3)(d), 28(2) and 28(4) sub-processor authorisation, flow-down and liability", "Article 28(3)(e) assistance with data subject rights", "Article 28(3)(f) assistance with Articles 32 to 36 including breach notification", "Article 28(3)(g) deletion or return at end of services", "Article 28(3)(h) information and audits including inspections", "Chapter V international transfers: IDTA or UK Addendum (Data Protection Act 2018 section 119A)", "Article 30(2) processor records"]'::jsonb,
$template$Written for the UK GDPR and the Data Protection Act 2018, which apply throughout the United Kingdom, with English law governing the contract. Article 28(1) requires a controller to use only processors giving sufficient guarantees, and Article 28(3) requires a binding written contract setting out the subject-matter and duration, nature and purpose, type of personal data, categories of data subjects and the controller's obligations and rights, and containing the processor obligations in Article 28(3)(a) to (h); each is in a separately numbered clause here. Article 28(2) and (4) govern sub-processors, Article 33(2) requires the processor to notify the controller of a breach without undue delay, and Article 30(2) requires processor records. A processor that determines purposes and means itself becomes a controller for that processing (Article 28(10)). Transfers outside the United Kingdom need a Chapter V mechanism: UK adequacy regulations (including the UK extension to the EU-US Data Privacy Framework for certified US organisations), the International Data Transfer Agreement, or the UK Addendum to the EU standard contractual clauses. Fill in Annexes 1 and 2 before signing; a blank annex does not meet Article 28. Check the amendments made by the Data (Use and Access) Act 2025 as they are commenced, and add the EU GDPR Article 28 wording if EU data subjects are involved. To use Scots or Northern Irish law change clause 13.3; the data protection law is the same. This template is a starting point, not legal advice: take advice from a qualified lawyer or data protection specialist before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "charity"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 10. Software Licence Agreement (on-premises)
('01954f00-d328-7f20-b040-6d4ea3b4dfd6', NULL, 'Software Licence Agreement', 'technology', 'software_licence',
$template$A business-to-business licence of installed (on-premises) software, with licence scope, restrictions respecting the statutory permitted acts, warranty, support, audit, escrow and export control terms.$template$,
$template$SOFTWARE LICENCE AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{licensor_name}}, a company incorporated in England and Wales with company number {{licensor_company_number}}, whose registered office is at {{licensor_address}} (the "Licensor").
(2) {{licensee_name}}, a company incorporated in England and Wales with company number {{licensee_company_number}}, whose registered office is at {{licensee_address}} (the "Licensee").

1. DEFINITIONS
1.1 "Software" means the computer program known as {{software_name}}, version {{software_version}}, in object code form, and any updates and maintenance releases supplied under this Agreement; "Documentation" means the operating manuals and user guides for the Software supplied by the Licensor; "Licence Fee" means {{licence_fee}}; "Permitted Purpose" means the Licensee's internal business purposes; "Site" means {{licensed_site}}.

2. LICENCE
2.1 In return for the Licence Fee the Licensor grants the Licensee a non-exclusive, non-transferable licence, for {{licence_term}}, to install the Software on up to {{permitted_installations}} computers at the Site and to allow up to {{permitted_users}} named users to use the Software and the Documentation for the Permitted Purpose.
2.2 The Licensee may make such back-up copies of the Software as are necessary for its lawful use, and shall keep a record of the number and location of all copies.

3. RESTRICTIONS
3.1 Except as expressly permitted by this Agreement or by law, the Licensee shall not: (a) copy the Software; (b) modify, translate, adapt or create derivative works of it; (c) rent, lease, sub-license, loan, sell or otherwise transfer it, or make it available to third parties on a bureau, hosting or software-as-a-service basis; (d) remove any proprietary notice; or (e) use it in breach of any law.
3.2 The Licensee may decompile the Software only where this is permitted by section 50B of the Copyright, Designs and Patents Act 1988 to obtain information necessary to create an independent program that interoperates with it, and only after first asking the Licensor in writing for that information and the Licensor failing to provide it within a reasonable time on reasonable terms.
3.3 Nothing in this Agreement prevents the Licensee from making a back-up copy, decompiling, or observing, studying or testing the Software, to the extent those acts are permitted by sections 50A, 50B and 50BA of the Copyright, Designs and Patents Act 1988 and cannot be restricted by contract (section 296A of that Act).

4. DELIVERY AND ACCEPTANCE
4.1 The Licensor shall deliver the Software electronically by {{delivery_date}}. The Licensee may test the Software for {{acceptance_period_days}} days after delivery and shall notify any material non-conformity with the Documentation within that period; the Licensor shall correct it and re-deliver. Otherwise the Software is accepted.

5. FEES
5.1 The Licensee shall pay the Licence Fee {{licence_fee_payment_terms}} and the annual support fee of {{annual_support_fee}} in advance on each anniversary of delivery, plus VAT, within 30 days of invoice. Interest on late payment accrues under the Late Payment of Commercial Debts (Interest) Act 1998.

6. SUPPORT AND MAINTENANCE
6.1 While the support fee is paid the Licensor shall provide telephone and email support during business hours, use reasonable endeavours to correct reported errors according to their severity, and supply maintenance releases when generally available. Support does not cover errors caused by modification of the Software by anyone other than the Licensor, use in breach of this Agreement, or use with equipment or software not specified in the Documentation.

7. AUDIT
7.1 The Licensor may, no more than once in any 12 months and on at least {{audit_notice_days}} days' written notice, audit the Licensee's use of the Software during business hours. If the audit shows use beyond this Agreement, the Licensee shall pay for the excess at the Licensor's list prices and, if the excess is more than 5 per cent, the reasonable cost of the audit.

8. WARRANTY
8.1 The Licensor warrants that for {{warranty_period_days}} days after delivery the Software will perform substantially in accordance with the Documentation when properly used, and that it has the right to grant this licence. If the Licensee notifies a breach of this warranty within that period, the Licensor shall at its option correct the Software, replace it, or terminate this Agreement and refund the Licence Fee; this is the Licensee's sole remedy for breach of this warranty.
8.2 The Licensor does not warrant that the Software will be error-free or that its use will be uninterrupted. All other warranties and conditions, express or implied by statute or common law, are excluded to the fullest extent permitted by law.

9. INTELLECTUAL PROPERTY AND INDEMNITY
9.1 The Licensee acknowledges that all intellectual property rights in the Software and Documentation belong to the Licensor or its licensors and that it has no rights in them other than the right to use them under this Agreement.
9.2 The Licensor shall defend the Licensee against any claim that use of the Software in accordance with this Agreement infringes a third party's United Kingdom intellectual property rights, and pay damages and costs finally awarded, provided the Licensee notifies the claim promptly, makes no admission, and gives the Licensor conduct of it. The Licensor may modify or replace the Software, procure a licence, or terminate and refund the Licence Fee less depreciation over {{depreciation_years}} years.

10. LIMITATION OF LIABILITY
10.1 Nothing in this Agreement limits liability for death or personal injury caused by negligence, fraud or fraudulent misrepresentation, or any liability that cannot lawfully be limited.
10.2 Subject to clause 10.1, neither party is liable for loss of profits, revenue, business, data (except the cost of restoring data from the Licensee's latest back-up), goodwill or anticipated savings, or for indirect or consequential loss; and the Licensor's total liability is limited to {{liability_cap}}.

11. SOURCE CODE ESCROW
11.1 {{escrow_arrangements}} Where escrow applies, the Licensor shall deposit the source code of the Software and each maintenance release with {{escrow_agent}} under a separate escrow agreement, and the Licensee may obtain it only on the release events set out in that agreement.

12. CONFIDENTIALITY
12.1 The Licensee shall treat the Software, the Documentation and the terms of this Agreement as confidential. Each party shall keep the other's confidential information confidential, except as required by law.

13. TERM AND TERMINATION
13.1 Either party may terminate this Agreement immediately by written notice if the other commits a material breach that is irremediable or not remedied within 30 days of notice, or becomes insolvent.
13.2 On termination the Licensee shall stop using the Software, delete all copies from its systems, return the Documentation, and certify in writing that it has done so. Accrued rights are unaffected.

14. EXPORT CONTROL AND COMPLIANCE
14.1 The Licensee shall not export or re-export the Software in breach of the Export Control Order 2008, United Kingdom sanctions regulations or any other applicable export control law. Each party shall comply with the Bribery Act 2010.

15. GENERAL
15.1 The Licensee may not assign this Agreement without the Licensor's written consent. This Agreement is the entire agreement about its subject matter; variations must be in writing and signed by both parties. No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it.
15.2 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SIGNED for and on behalf of {{licensor_name}} by {{licensor_signatory_name}}: ____________________  Date: ________
SIGNED for and on behalf of {{licensee_name}} by {{licensee_signatory_name}}: ____________________  Date: ________
$template$,
'["Copyright, Designs and Patents Act 1988 permitted acts preserved (sections 50A, 50B, 50BA and 296A)", "Decompilation limited to interoperability", "Licence scope: installations, users and site", "Audit of use with true-up", "Intellectual property infringement indemnity", "Unfair Contract Terms Act 1977 liability carve-outs", "Export Control Order 2008 and sanctions compliance", "Source code escrow option", "Late Payment of Commercial Debts (Interest) Act 1998"]'::jsonb,
$template$Business-to-business, under the law of England and Wales. Software is protected as a literary work under the Copyright, Designs and Patents Act 1988; the lawful user's rights to make a necessary back-up copy (section 50A), to decompile for interoperability (section 50B) and to observe, study and test the program (section 50BA) cannot be taken away by contract (section 296A), so clause 3 preserves them. Exclusions and caps are subject to the reasonableness test of the Unfair Contract Terms Act 1977 where the Licensor contracts on standard terms; note that the exception in Schedule 1 to that Act for contracts creating or transferring intellectual property rights does not necessarily cover the whole of a software supply contract. Check export classification (the Export Control Order 2008) for software with encryption, and set the licence metric (installations, users, site) to match how the Software is sold. For hosted software use the SaaS subscription agreement; for consumers, the digital content rules of the Consumer Rights Act 2015 apply instead. For Scotland or Northern Ireland change clause 15.2. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "startup", "enterprise"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 11. Distribution Agreement
('01954f00-d710-7d0d-86fc-8a13c0720598', NULL, 'Distribution Agreement', 'commercial', 'distribution_agreement',
$template$An agreement appointing a distributor that buys products from a supplier and resells them in a territory on its own account, with exclusivity, targets, pricing freedom and trade mark use, drafted to sit within the UK vertical agreements block exemption.$template$,
$template$DISTRIBUTION AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{supplier_name}}, a company incorporated in England and Wales with company number {{supplier_company_number}}, whose registered office is at {{supplier_address}} (the "Supplier").
(2) {{distributor_name}}, a company incorporated in {{distributor_jurisdiction}} with company number {{distributor_company_number}}, whose registered office is at {{distributor_address}} (the "Distributor").

1. DEFINITIONS
1.1 "Products" means {{products}}; "Territory" means {{territory}}; "Trade Marks" means the trade marks listed in the Schedule; "Contract Year" means each period of 12 months from the date of this Agreement; "Minimum Purchase Target" means the target for each Contract Year set out in the Schedule.

2. APPOINTMENT
2.1 The Supplier appoints the Distributor as its {{exclusivity}} distributor for the resale of the Products in the Territory, and the Distributor accepts the appointment.
2.2 If the appointment is exclusive, the Supplier shall not, during this Agreement, appoint any other distributor of the Products in the Territory, but the Supplier may itself sell the Products to customers in the Territory who approach it directly {{supplier_reserved_customers}}.
2.3 The Distributor buys and resells the Products in its own name and for its own account. It is not the Supplier's agent and has no authority to bind the Supplier.

3. DISTRIBUTOR'S OBLIGATIONS
3.1 The Distributor shall: (a) use its best endeavours to promote and sell the Products throughout the Territory; (b) keep sufficient stock to meet customer demand; (c) not make any promise or warranty about the Products beyond the Supplier's published specifications; (d) comply with all laws applicable to the sale of the Products in the Territory, including product safety, labelling and recall requirements; (e) give the Supplier a written sales and market report every {{reporting_frequency}}; and (f) keep accurate records of its sales and make them available to the Supplier on reasonable notice.
3.2 The Distributor shall not actively seek customers for the Products in any territory or customer group that the Supplier has allocated exclusively to another distributor or reserved to itself, as notified in writing. The Distributor remains free to respond to unsolicited orders from any customer (passive sales), and to sell online, without restriction.
3.3 During this Agreement, and for no more than five years from its date, the Distributor shall not manufacture or sell in the Territory goods that compete with the Products, without the Supplier's written consent.

4. SUPPLIER'S OBLIGATIONS
4.1 The Supplier shall supply the Products ordered by the Distributor in accordance with clause 5, provide marketing materials, product information and reasonable sales training free of charge, and tell the Distributor promptly of any change to the Products or their specifications.

5. ORDERS, PRICES AND PAYMENT
5.1 Each order is a separate contract, governed by this Agreement and, so far as consistent with it, the Supplier's terms and conditions for the supply of goods. An order is binding only when the Supplier accepts it in writing. The Distributor shall give a non-binding rolling {{forecast_period_months}}-month forecast each month.
5.2 The Distributor shall pay the Supplier's list price in force at the date of the order less a discount of {{distributor_discount_percent}} per cent, plus VAT and any applicable duties. Delivery is {{delivery_terms}}.
5.3 The Distributor shall pay each invoice within {{payment_terms_days}} days of its date. Interest on late payment accrues under the Late Payment of Commercial Debts (Interest) Act 1998.
5.4 The Distributor is free to determine its own resale prices. The Supplier may recommend resale prices or impose a maximum resale price, but shall not fix, or impose a minimum for, the Distributor's resale prices, directly or indirectly.

6. MINIMUM PURCHASE TARGETS
6.1 The Distributor shall purchase at least the Minimum Purchase Target of Products in each Contract Year. If it fails to do so, the Supplier may, by written notice given within three months after the end of that Contract Year, either make the appointment non-exclusive or terminate this Agreement on {{target_failure_notice_period}} notice. This is the Supplier's only remedy for that failure.

7. TRADE MARKS
7.1 The Supplier grants the Distributor a non-exclusive, royalty-free licence during this Agreement to use the Trade Marks in the Territory solely to promote and sell the Products. The Distributor shall not alter the Products, their packaging or the Trade Marks, register or use any confusingly similar mark or domain name, or challenge the Supplier's rights, and shall notify the Supplier promptly of any infringement it becomes aware of.

8. PRODUCT WARRANTY AND LIABILITY
8.1 The Supplier warrants to the Distributor that the Products will on delivery conform to their specifications and be free from material defects, and shall repair, replace or credit defective Products notified within {{warranty_period_months}} months of delivery.
8.2 Nothing in this Agreement limits liability for death or personal injury caused by negligence, fraud, liability under the Consumer Protection Act 1987, or any liability that cannot lawfully be limited. Subject to that, neither party is liable for loss of profit or indirect loss, and each party's total liability in each Contract Year is limited to {{liability_cap}}.

9. CONFIDENTIALITY AND DATA PROTECTION
9.1 Each party shall keep the other's confidential information confidential and use it only for this Agreement. Each party is a separate controller of customer personal data it holds and shall comply with the UK GDPR and the Data Protection Act 2018.

10. TERM AND TERMINATION
10.1 This Agreement starts on the date above and continues for {{initial_term}}, then continues until either party gives at least {{termination_notice_period}} written notice.
10.2 Either party may terminate immediately by written notice if the other commits a material breach not remedied within 30 days of notice, becomes insolvent, or undergoes a change of control in favour of a competitor of the terminating party.
10.3 On termination the Distributor shall stop using the Trade Marks and pay all outstanding invoices; the Supplier may (but need not) buy back the Distributor's saleable stock at the price the Distributor paid. The Distributor is not entitled to any compensation or indemnity for loss of goodwill or clientele on termination, except as required by mandatory local law.

11. COMPLIANCE
11.1 Each party shall comply with the Bribery Act 2010, the Modern Slavery Act 2015, and applicable sanctions, export control and competition laws.

12. GENERAL
12.1 The Distributor may not assign or sub-contract its rights without the Supplier's written consent. This Agreement is the entire agreement between the parties about its subject matter; variations must be in writing and signed by both. No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it.
12.2 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SCHEDULE
Trade Marks: {{trade_marks}}
Minimum Purchase Targets: {{minimum_purchase_target}}

SIGNED for and on behalf of {{supplier_name}} by {{supplier_signatory_name}}: ____________________  Date: ________
SIGNED for and on behalf of {{distributor_name}} by {{distributor_signatory_name}}: ____________________  Date: ________
$template$,
'["Competition Act 1998 Chapter I: no resale price maintenance", "Vertical Agreements Block Exemption Order 2022: active-sales restriction only, passive and online sales free", "Non-compete obligation limited to five years", "Buy-sell distributor status (outside the Commercial Agents Regulations 1993)", "Trade mark licence and protection", "Consumer Protection Act 1987 product liability preserved", "Late Payment of Commercial Debts (Interest) Act 1998", "Bribery Act 2010 and Modern Slavery Act 2015 compliance"]'::jsonb,
$template$Governed by the law of England and Wales. Distribution agreements are vertical agreements under the Chapter I prohibition of the Competition Act 1998; the Competition Act 1998 (Vertical Agreements Block Exemption) Order 2022 exempts them where the supplier's and the distributor's market shares are each 30 per cent or less and there are no hardcore restrictions. This template avoids the hardcore restrictions: resale prices are not fixed or given a minimum, passive sales and online sales are not restricted, and only active sales into territories allocated exclusively or reserved are restricted; the non-compete obligation is limited to five years. The Order is due to expire on 31 May 2028; check the current position and the CMA guidance, and check Chapter II of the 1998 Act if the Supplier may be dominant. A buy-sell distributor is not a commercial agent, so the Commercial Agents (Council Directive) Regulations 1993 do not apply and no termination compensation is due under English law, but some overseas laws give distributors compensation or require registration; if the Territory is outside Great Britain (including the EU, where Article 101 TFEU and Regulation (EU) 2022/720 apply), take local advice. The liability cap must be reasonable under the Unfair Contract Terms Act 1977. For Scotland or Northern Ireland change clause 12.2. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "enterprise", "startup"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 12. Commercial Agency Agreement
('01954f00-daf8-72bc-934e-16d498e95328', NULL, 'Commercial Agency Agreement', 'commercial', 'commercial_agency_agreement',
$template$An agreement appointing a self-employed sales agent to negotiate sales of goods on behalf of a principal, with commission, notice and termination indemnity or compensation as the Commercial Agents (Council Directive) Regulations 1993 require.$template$,
$template$COMMERCIAL AGENCY AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{principal_name}}, a company incorporated in England and Wales with company number {{principal_company_number}}, whose registered office is at {{principal_address}} (the "Principal").
(2) {{agent_name}} of {{agent_address}} (the "Agent").

1. DEFINITIONS
1.1 "Products" means {{products}}; "Territory" means {{territory}}; "Customers" means customers and prospective customers for the Products in the Territory; "Regulations" means the Commercial Agents (Council Directive) Regulations 1993; "Net Invoice Value" means the invoiced price of Products less VAT, delivery charges, and credits for returns.

2. APPOINTMENT
2.1 The Principal appoints the Agent as its {{exclusivity}} commercial agent to negotiate the sale of the Products to Customers in the Territory on behalf of and in the name of the Principal. The Agent has no authority to conclude contracts, accept orders, make promises or incur liabilities on the Principal's behalf unless the Principal authorises it in writing: {{agent_authority_to_conclude}}.
2.2 The Agent acts as an independent self-employed contractor and is responsible for its own tax, National Insurance, premises, staff and expenses.

3. DUTIES OF THE AGENT
3.1 In accordance with regulation 3 of the Regulations, the Agent shall look after the interests of the Principal and act dutifully and in good faith. In particular the Agent shall: (a) make proper efforts to negotiate and, where authorised, conclude the transactions it is instructed to take care of; (b) communicate to the Principal all the necessary information available to it; and (c) comply with reasonable instructions given by the Principal.
3.2 The Agent shall also: (a) report to the Principal every {{reporting_frequency}} on its activities, market conditions and competitor activity; (b) refer to the Principal all enquiries from outside the Territory; (c) make no statement about the Products beyond the Principal's published materials; and (d) not, during this Agreement, represent or sell goods that compete with the Products without the Principal's written consent.

4. DUTIES OF THE PRINCIPAL
4.1 In accordance with regulation 4 of the Regulations, the Principal shall act dutifully and in good faith towards the Agent. In particular it shall: (a) provide the Agent with the necessary documentation relating to the Products, including samples and price lists; (b) obtain for the Agent the information necessary for the performance of this Agreement, and notify the Agent within a reasonable period once it anticipates that the volume of transactions will be significantly lower than the Agent could normally have expected; and (c) inform the Agent within a reasonable period of its acceptance or refusal of, and of any non-execution by it of, a transaction the Agent has procured.

5. COMMISSION
5.1 The Principal shall pay the Agent commission at {{commission_rate_percent}} per cent of the Net Invoice Value of all transactions concluded during this Agreement (a) as a result of the Agent's action; (b) with a Customer previously acquired by the Agent for transactions of the same kind; or (c) if the Agent has an exclusive Territory, with any Customer in the Territory.
5.2 The Agent is also entitled to commission on a transaction concluded after this Agreement ends if it is mainly attributable to the Agent's efforts during this Agreement and is concluded within a reasonable period after it ends, or if the order reached the Principal or the Agent before it ended, in each case as provided by regulation 8 of the Regulations.
5.3 Commission becomes due when, and to the extent that, the Customer has paid for the transaction, and in any event no later than when the Customer has executed or should have executed its part of the transaction. Commission shall be paid no later than the last day of the month following the quarter in which it became due.
5.4 The right to commission is extinguished only if it is established that the contract between the Principal and the Customer will not be executed, and that this is due to a reason for which the Principal is not to blame; any commission already paid on it shall then be refunded.
5.5 The Principal shall give the Agent a statement of the commission due, setting out its main components, no later than the last day of the month following the quarter in which it became due. The Agent is entitled to all information, including an extract from the Principal's books, that the Principal has and the Agent needs to check the amount of commission due.

6. EXPENSES
6.1 The Agent shall bear its own expenses of performing this Agreement unless the Principal agrees in writing in advance to reimburse a particular expense.

7. TERM AND TERMINATION
7.1 This Agreement starts on {{start_date}} and continues until ended by either party giving written notice of at least one month during the first year, two months during the second year, and three months during the third year and any later year, in each case expiring at the end of a calendar month. The Principal's notice period shall not be shorter than the Agent's.
7.2 Either party may terminate this Agreement immediately by written notice if the other fails to carry out all or part of its obligations in a way that justifies immediate termination, or in exceptional circumstances, in each case as permitted by regulation 16 of the Regulations, or if the other becomes insolvent.

8. INDEMNITY OR COMPENSATION ON TERMINATION
8.1 On termination of this Agreement the Agent shall be entitled to {{indemnity_or_compensation}} in accordance with regulation 17 of the Regulations, including where the Agreement ends on the Agent's death. No indemnity or compensation is payable in the circumstances set out in regulation 18 of the Regulations, including termination by the Principal for a default by the Agent that justifies immediate termination, or termination by the Agent (unless justified by circumstances attributable to the Principal, or on grounds of the Agent's age, infirmity or illness as a result of which the Agent cannot reasonably be required to continue).
8.2 The Agent loses its entitlement under clause 8.1 if it does not notify the Principal within one year after termination that it intends to pursue it.

9. RESTRICTIONS AFTER TERMINATION
9.1 For {{restraint_period_months}} months after this Agreement ends (which shall not exceed two years), the Agent shall not, in the Territory and in relation to the Customers with whom it dealt in the last 12 months of this Agreement, act as agent for or sell goods of the same kind as the Products. This restraint is agreed in writing as required by regulation 20 of the Regulations.

10. CONFIDENTIALITY AND DATA PROTECTION
10.1 The Agent shall keep the Principal's confidential information, including price lists and Customer information, confidential during and after this Agreement. Each party shall comply with the UK GDPR and the Data Protection Act 2018 in relation to Customer personal data.

11. COMPLIANCE
11.1 The Agent shall comply with the Bribery Act 2010 and shall not offer or give any bribe or improper payment to any Customer or official. Each party shall comply with the Modern Slavery Act 2015.

12. GENERAL
12.1 Each party is entitled to receive from the other, on request, a signed written document setting out the terms of this Agreement, as regulation 13 of the Regulations provides. The Agent may not assign or sub-contract this Agreement. This Agreement is the entire agreement between the parties about its subject matter; variations must be in writing and signed by both. No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it.
12.2 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SIGNED for and on behalf of {{principal_name}} by {{principal_signatory_name}}: ____________________  Date: ________
SIGNED by or on behalf of the Agent, {{agent_name}}: ____________________  Date: ________
$template$,
'["Commercial Agents (Council Directive) Regulations 1993: duties of agent and principal (regulations 3 and 4)", "Commission entitlement, timing, extinction and quarterly statements (regulations 7 to 12)", "Minimum notice periods of one, two and three months (regulation 15)", "Immediate termination only for serious default or exceptional circumstances (regulation 16)", "Termination indemnity or compensation, one-year notification and exclusions (regulations 17 and 18)", "Post-termination restraint limited to two years, in writing (regulation 20)", "Right to signed written terms (regulation 13)", "Bribery Act 2010 compliance"]'::jsonb,
$template$Governed by the law of England and Wales. The Commercial Agents (Council Directive) Regulations 1993 apply to self-employed intermediaries with continuing authority to negotiate (or negotiate and conclude) the sale or purchase of goods on behalf of a principal in Great Britain; they do not apply to agents for services only, or where commercial agency is a secondary activity. Their key rules cannot be excluded to the agent's detriment: minimum notice (regulation 15), and indemnity or compensation on termination (regulations 17 to 19). Choose in clause 8.1 between an indemnity (capped at one year's average annual remuneration over the preceding five years, or the period of the agency if shorter) and compensation (the default if the contract says nothing, valued as the price of the agency business); compensation can be substantial even after a short agency. A restraint of trade clause is valid only if in writing, limited to the agent's territory or customer group and the kind of goods, and for no more than two years (regulation 20). The Supreme Court has held that software supplied electronically under a perpetual licence can be goods for these Regulations, so software sales agents may be covered. The Regulations apply to Great Britain (England, Wales and Scotland); Northern Ireland has parallel regulations, so check them there, and change clause 12.2 for Scots or Northern Irish law. If the agent acts in an EU member state, that state's implementation of Directive 86/653/EEC will apply. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "enterprise", "sole_trader"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 13. Loan Agreement (unsecured, to a company)
('01954f00-dee0-7b5d-8381-d3505d9a8608', NULL, 'Loan Agreement', 'finance', 'loan_agreement',
$template$An unsecured term loan to a company from a shareholder, director, related company or private lender, with interest, repayment, prepayment, representations, undertakings and events of default.$template$,
$template$LOAN AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{lender_name}} of {{lender_address}} (the "Lender").
(2) {{borrower_name}}, a company incorporated in England and Wales with company number {{borrower_company_number}}, whose registered office is at {{borrower_address}} (the "Borrower").

1. DEFINITIONS
1.1 "Business Day" means a day (other than a Saturday or Sunday) on which banks are open for general business in London; "Event of Default" means any event in clause 9; "Loan" means the principal amount lent under this Agreement, or the amount of it outstanding; "Repayment Date" means {{repayment_date}}; "Interest Period" means each period of {{interest_period}} ending on an Interest Payment Date, the first starting on the Drawdown Date.

2. THE LOAN
2.1 The Lender agrees to lend the Borrower {{loan_amount}} (GBP) on the terms of this Agreement.
2.2 The Borrower shall use the Loan only for {{loan_purpose}}, being a purpose of its business. The Lender is not obliged to monitor its use.
2.3 The Lender shall advance the Loan on {{drawdown_date}} (the "Drawdown Date") by transfer to the Borrower's account {{borrower_bank_account}}, provided that no Event of Default has occurred and the Lender has received a certified copy of the board resolution of the Borrower approving this Agreement.

3. INTEREST
3.1 The Loan bears interest at {{interest_rate_percent}} per cent a year, accruing daily on the basis of a 365-day year, and payable in arrears on the last day of each Interest Period (each an "Interest Payment Date") and on the date the Loan is repaid in full.
3.2 If the Borrower is required by law to deduct tax from a payment of interest, it shall make the deduction, pay the amount deducted to HM Revenue and Customs within the time allowed, and give the Lender a certificate of deduction. The Borrower is not required to increase the payment to compensate for the deduction.

4. REPAYMENT AND PREPAYMENT
4.1 The Borrower shall repay the Loan {{repayment_schedule}}, and in any event in full, with all accrued interest and other sums due, on the Repayment Date.
4.2 The Borrower may prepay all or part of the Loan (in a minimum amount of {{minimum_prepayment}}) on any Business Day by giving the Lender at least {{prepayment_notice_days}} days' written notice, without premium or penalty, together with accrued interest on the amount prepaid. Amounts prepaid or repaid may not be re-borrowed.

5. PAYMENTS
5.1 All payments by the Borrower shall be made in sterling, in cleared funds, to the account the Lender designates, without set-off, counterclaim or deduction (except as required by law). A payment due on a day that is not a Business Day shall be made on the next Business Day.
5.2 Payments are applied first to costs, then to default interest, then to interest, then to principal.

6. DEFAULT INTEREST
6.1 If the Borrower fails to pay any amount when due, interest accrues on the overdue amount from the due date until the date of actual payment (after as well as before judgment) at {{default_interest_margin_percent}} per cent a year above the rate in clause 3.1, which the parties agree reflects the Lender's increased credit risk and cost of funds and is not a penalty.

7. REPRESENTATIONS
7.1 The Borrower represents to the Lender on the date of this Agreement and on each Interest Payment Date that: (a) it is a company duly incorporated and validly existing under the law of England and Wales; (b) it has the power to enter into and perform this Agreement and has taken all necessary corporate action to authorise it; (c) its obligations under this Agreement are legal, valid, binding and enforceable; (d) entering into and performing this Agreement does not breach any law, its articles of association or any agreement binding on it; (e) no Event of Default is continuing; (f) no litigation, arbitration or insolvency proceedings are current or, to its knowledge, threatened against it that could reasonably be expected to have a material adverse effect on its ability to perform this Agreement; and (g) the financial and other information it has given the Lender is true and accurate in all material respects.

8. UNDERTAKINGS
8.1 While any amount is outstanding the Borrower shall: (a) send the Lender its annual accounts within {{accounts_delivery_days}} days after the end of each financial year, and such other financial information as the Lender reasonably requests; (b) notify the Lender promptly of any Event of Default; (c) comply with all laws applicable to it; (d) not sell, transfer or otherwise dispose of all or substantially all of its assets or undertaking; (e) not create any security over its assets, other than liens arising by operation of law, without the Lender's written consent; and (f) keep its business and assets adequately insured.

9. EVENTS OF DEFAULT
9.1 Each of the following is an Event of Default: (a) the Borrower fails to pay any sum when due, unless payment is made within {{grace_period_days}} Business Days of the due date; (b) the Borrower fails to comply with any other obligation in this Agreement and (if capable of remedy) does not remedy it within 20 Business Days of the Lender's notice; (c) any representation is incorrect or misleading in any material respect when made or repeated; (d) the Borrower is unable, or admits inability, to pay its debts as they fall due, or is deemed unable to pay its debts within the meaning of section 123 of the Insolvency Act 1986, or begins negotiations with its creditors for the rescheduling of its debts; (e) any step is taken for the winding up, administration or dissolution of the Borrower, a moratorium, or the appointment of a liquidator, administrator, receiver or similar officer, other than a winding-up petition that is frivolous or vexatious and is discharged within 14 days; (f) the Borrower ceases, or threatens to cease, to carry on all or substantially all of its business; (g) {{additional_event_of_default}}.
9.2 At any time after an Event of Default has occurred and while it is continuing, the Lender may by written notice declare the Loan, together with accrued interest and all other amounts due, immediately due and payable.

10. COSTS
10.1 Each party bears its own costs of negotiating this Agreement. The Borrower shall pay on demand the Lender's reasonable costs of enforcing its rights after an Event of Default.

11. ASSIGNMENT
11.1 The Lender may assign its rights under this Agreement by giving written notice to the Borrower. The Borrower may not assign or transfer any of its rights or obligations.

12. GENERAL
12.1 Notices shall be in writing and delivered by hand, by pre-paid first-class post or by email to {{lender_notice_email}} (Lender) and {{borrower_notice_email}} (Borrower). A certificate of the Lender as to any amount due is, in the absence of manifest error, conclusive evidence of it.
12.2 No failure or delay by the Lender in exercising any right is a waiver of it. If any provision is invalid, the rest of this Agreement is unaffected. This Agreement is the entire agreement between the parties about the Loan; variations must be in writing and signed by both. No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it. It may be signed in counterparts.
12.3 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SIGNED by or on behalf of the Lender, {{lender_name}}: ____________________  Date: ________
SIGNED for and on behalf of {{borrower_name}} by {{borrower_signatory_name}}, director: ____________________  Date: ________
$template$,
'["Borrower is a company, so the loan is outside Consumer Credit Act 1974 regulation", "Business purpose stated", "Tax deduction from interest (Income Tax Act 2007) with certificate", "Default interest justified as not a penalty", "Insolvency events by reference to Insolvency Act 1986 section 123", "Negative pledge and disposals undertaking", "Contracts (Rights of Third Parties) Act 1999 exclusion"]'::jsonb,
$template$For an unsecured loan to a company incorporated in England and Wales, governed by English law. Because the borrower is a body corporate, the loan is not a regulated credit agreement under the Consumer Credit Act 1974 and the lender does not need authorisation under the Financial Services and Markets Act 2000 for it; do not use this template to lend to an individual, a sole trader, a partnership of two or three partners or an unincorporated association, where consumer credit regulation (and its exemptions, for example for business-purpose credit over GBP 25,000) must be checked. A company lending to its own director, or to a person connected with a director, generally needs members' approval under section 197 of the Companies Act 2006. If the loan is later secured, register the charge at Companies House within 21 days (Companies Act 2006, Part 25). A company paying yearly interest to an individual must usually deduct basic-rate income tax under the Income Tax Act 2007 and account for it to HMRC (clause 3.2). Default interest must be proportionate to the lender's legitimate interest or it may be an unenforceable penalty. Clause 9.1(d) uses the test of inability to pay debts in section 123 of the Insolvency Act 1986. In Scotland, change clause 12.3 and the signing blocks; execution follows the Requirements of Writing (Scotland) Act 1995. This template is a starting point, not legal advice: take advice from a qualified lawyer or accountant before relying on it.$template$,
1, true, '["sme", "startup", "enterprise"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 14. Partnership Agreement (general partnership)
('01954f00-e2c8-73d2-8dba-6fd906ba48e3', NULL, 'Partnership Agreement', 'corporate', 'partnership_agreement',
$template$An agreement between the partners of a general partnership, replacing the default rules of the Partnership Act 1890 on capital, profit shares, decision-making, retirement, death, expulsion and continuation of the firm.$template$,
$template$PARTNERSHIP AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{partner_one_name}} of {{partner_one_address}}.
(2) {{partner_two_name}} of {{partner_two_address}}.
(each a "Partner", together the "Partners", which includes any person later admitted as a partner).

1. THE PARTNERSHIP
1.1 The Partners carry on business in partnership as {{business_description}} (the "Business") under the name {{firm_name}} (the "Firm") from {{principal_place_of_business}}, and from such other places as they agree.
1.2 The partnership began (or begins) on {{commencement_date}} and continues until dissolved under clause 13. It is not a partnership at will, and no Partner may dissolve it by notice except as this Agreement provides.

2. CAPITAL
2.1 The Partners shall contribute capital as follows: {{capital_contributions}}. Capital belongs to the Partners in the proportions in which it is contributed. Further capital is contributed only by unanimous agreement.
2.2 Interest on capital: {{capital_interest}}. No Partner may withdraw capital except on leaving the Firm or with the agreement of all the Partners.

3. PROFITS, LOSSES AND DRAWINGS
3.1 The net profits of the Firm, and any losses (including losses of capital), belong to and are borne by the Partners in the following shares: {{profit_sharing_ratio}}.
3.2 Each Partner may draw {{monthly_drawings}} a month on account of their share of profits. If the annual accounts show that a Partner has drawn more than their share, the excess shall be repaid within 30 days.
3.3 The Firm's accounting date is {{accounting_reference_date}}. Annual accounts shall be prepared by {{accountants_name}} and, once signed by all the Partners, are binding on them except for manifest error discovered within three months.

4. BANKING AND RECORDS
4.1 The Firm's bank account is with {{bank_name}}. All income of the Business shall be paid into it. Payments require the authority of {{bank_signing_authority}}.
4.2 Proper books of account shall be kept at the Firm's principal place of business, and each Partner may inspect and copy them at any time.

5. MANAGEMENT AND DECISIONS
5.1 Each Partner is entitled to take part in the management of the Business. Ordinary matters are decided by a majority of the Partners.
5.2 The following require the agreement of all the Partners: (a) admitting a new partner; (b) changing the nature or name of the Business; (c) borrowing, or giving any guarantee or security, above {{borrowing_limit}}; (d) entering into any contract with a value above {{contract_value_limit}} or lasting more than 12 months; (e) employing or dismissing staff; (f) buying, selling or leasing land; and (g) any matter this Agreement says requires unanimity.

6. DUTIES OF PARTNERS
6.1 Each Partner shall: (a) devote their whole working time and attention to the Business, except during holidays and incapacity; (b) act in good faith towards the other Partners and render true accounts and full information about all things affecting the Firm; (c) account to the Firm for any benefit derived without the consent of the other Partners from any transaction concerning the Firm or from any use of its property, name or business connection; (d) not carry on any business competing with the Firm without the consent of the other Partners; and (e) not use the Firm's name or credit except for the Business.
6.2 Each Partner is an agent of the Firm, but shall not, without the consent required by clause 5, enter into any transaction outside the limits of clause 5. A Partner who does so shall indemnify the Firm and the other Partners against any resulting loss.

7. HOLIDAYS AND INCAPACITY
7.1 Each Partner may take {{annual_holiday_weeks}} weeks' holiday a year at times agreed with the other Partners. If a Partner is unable to work through illness or injury for more than {{incapacity_period_months}} months in any 12, the other Partners may require that Partner to retire under clause 10.

8. INSURANCE
8.1 The Firm shall maintain professional indemnity, public liability, employer's liability and other insurance appropriate to the Business.

9. RETIREMENT
9.1 A Partner may retire by giving the other Partners at least {{retirement_notice_months}} months' written notice. Retirement does not dissolve the partnership among the continuing Partners.

10. DEATH, BANKRUPTCY AND EXPULSION
10.1 The death or bankruptcy of a Partner does not dissolve the partnership among the other Partners; that Partner leaves the Firm on that date.
10.2 The other Partners, acting unanimously, may by written notice expel a Partner who: (a) commits a serious or persistent breach of this Agreement; (b) is guilty of conduct likely to have a serious adverse effect on the Business; (c) becomes bankrupt or makes an arrangement with creditors; or (d) is required to retire under clause 7.

11. OUTGOING PARTNERS
11.1 A Partner who leaves for any reason (the "Outgoing Partner") ceases to be a Partner on the leaving date, and the continuing Partners shall acquire the Outgoing Partner's share in the Firm.
11.2 The price is the Outgoing Partner's capital and current account balances shown by accounts drawn up to the leaving date, plus their share of the value of the Firm's goodwill calculated as follows: {{valuation_method}}. The price is payable in {{payment_instalments}}, with interest at {{outgoing_partner_interest_rate}} per cent a year on the unpaid balance, and this clause applies instead of any other right to a share of profits or interest after the leaving date.
11.3 The continuing Partners shall indemnify the Outgoing Partner (or their estate) against all debts and liabilities of the Firm incurred after the leaving date and, so far as the Firm's assets allow, before it, and shall give notice of the change to the Firm's clients and suppliers and, where appropriate, in the London Gazette.
11.4 For {{restriction_period_months}} months after the leaving date, the Outgoing Partner shall not solicit or act for any person who was a client of the Firm in the 12 months before that date, within {{restricted_area}}.

12. DISPUTES
12.1 The Partners shall try to resolve any dispute by negotiation and then by mediation. A dispute not resolved within 30 days of a mediator being appointed shall be referred to a single arbitrator agreed by the Partners or, failing agreement, appointed by {{arbitrator_appointing_body}}, under the Arbitration Act 1996, seated in England.

13. DISSOLUTION
13.1 The partnership is dissolved if all the Partners agree, or if only one Partner remains. On dissolution the Firm's assets shall be realised and applied in paying the Firm's debts and liabilities, then in repaying advances and capital to the Partners, and any surplus divided in the profit-sharing shares.

14. TAX
14.1 Each Partner is responsible for the income tax and National Insurance on their share of profits. {{nominated_partner_name}} is the nominated partner for the Firm's partnership tax return.

15. GENERAL
15.1 This Agreement may be varied only in writing signed by all the Partners. No one other than the Partners has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it. Where this Agreement is silent, the Partnership Act 1890 applies.
15.2 This Agreement is governed by the law of England and Wales.

SIGNED by {{partner_one_name}}: ____________________  Date: ________
SIGNED by {{partner_two_name}}: ____________________  Date: ________
$template$,
'["Partnership Act 1890 default rules replaced where needed (profit shares, capital interest, management, admission)", "Continuation on retirement, death or bankruptcy (overriding the 1890 Act dissolution rules)", "Express power of expulsion", "Partners duties of good faith, accounts, secret profits and non-competition", "Outgoing partner valuation and indemnity", "Notice of change of partners", "Arbitration Act 1996 dispute resolution", "Partnership tax return nominated partner"]'::jsonb,
$template$For a general partnership under the Partnership Act 1890, in England and Wales. Without a written agreement the 1890 Act's default rules apply: partners share profits equally (section 24), receive no interest on capital or salary, need unanimity to admit a partner or change the nature of the business, cannot expel a partner without an express power (section 25), and the firm is dissolved by notice if it is a partnership at will (sections 26 and 32) or on a partner's death or bankruptcy (section 33); this Agreement replaces those rules. Partners are agents of the firm (section 5) and have unlimited personal liability for its debts (section 9) and for wrongs of co-partners in the course of business (sections 10 to 12); consider a limited liability partnership under the Limited Liability Partnerships Act 2000 or a company if that risk is not acceptable. Give notice of a change in the firm to protect an outgoing partner (section 36). The firm name must comply with the business names rules in Part 41 of the Companies Act 2006. Restrictive covenants on outgoing partners must be reasonable. In Scotland a partnership has legal personality separate from its partners (section 4(2) of the 1890 Act) and partners are jointly and severally liable, so adapt the Agreement for Scots law; the 1890 Act also applies in Northern Ireland. This template is a starting point, not legal advice: take advice from a qualified lawyer or accountant before relying on it.$template$,
1, true, '["partnership", "sme", "sole_trader"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 15. Shareholders' Agreement
('01954f00-e6b0-78d3-890e-6abe01732ef9', NULL, 'Shareholders'' Agreement', 'corporate', 'shareholders_agreement',
$template$An agreement between the shareholders of a private limited company (and the company) on board appointments, reserved matters, new share issues, transfers, drag and tag rights, leavers, deadlock and restrictive covenants. For founders, co-owners and early investors.$template$,
$template$SHAREHOLDERS' AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) The persons whose names and addresses are set out in Schedule 1 (the "Shareholders").
(2) {{company_name}}, a private company limited by shares incorporated in England and Wales with company number {{company_number}}, whose registered office is at {{company_address}} (the "Company").

BACKGROUND
The Shareholders hold the shares in the Company shown in Schedule 1 and agree to regulate their relationship as shareholders, and certain aspects of the Company's affairs, on the terms of this Agreement.

1. DEFINITIONS
1.1 "Articles" means the Company's articles of association; "Board" means the board of directors of the Company; "Business" means {{business_description}}; "Shareholder Majority" means Shareholders together holding more than {{shareholder_majority_percent}} per cent of the issued shares; "Shares" means shares in the Company; "Deed of Adherence" means a deed in the form of Schedule 3; "Fair Value" means the value determined under clause 10.4.

2. BUSINESS OF THE COMPANY
2.1 The Shareholders shall exercise their rights so that the Company carries on the Business in accordance with the business plan approved by the Board from time to time and on sound commercial principles.

3. THE BOARD
3.1 The Board shall consist of no more than {{max_directors}} directors. Each Shareholder holding at least {{director_appointment_threshold_percent}} per cent of the Shares may appoint one director and remove and replace that director, by written notice to the Company.
3.2 The Board shall meet at least {{board_meeting_frequency}}. The quorum is two directors, including (where they have been appointed) each director appointed under clause 3.1. If a quorum is not present, the meeting is adjourned for five business days, and at the adjourned meeting the directors present form a quorum.
3.3 The chair has no casting vote.

4. RESERVED MATTERS
4.1 The Company shall not, and the Shareholders shall procure that it does not, do any of the matters listed in Schedule 2 without the prior written consent of a Shareholder Majority.
4.2 The Company is a party to this Agreement only to give the undertakings in clauses 4.1 and 5. Nothing in this Agreement obliges the Company to do, or not to do, anything that would be an unlawful fetter on its statutory powers; any such undertaking is given by the Shareholders alone.

5. INFORMATION
5.1 The Company shall give each Shareholder holding at least {{information_rights_threshold_percent}} per cent of the Shares monthly management accounts within {{management_accounts_days}} days after the end of each month, the annual budget before the start of each financial year, and its annual accounts within four months after the end of each financial year.

6. NEW SHARES
6.1 Unless a Shareholder Majority agrees otherwise, any new Shares (or rights to subscribe for or convert into Shares) shall first be offered to the Shareholders in proportion to their existing holdings, on the same terms, for acceptance within 20 business days; Shares not taken up may be offered to other Shareholders and then to third parties on no more favourable terms.
6.2 The Shareholders shall vote to give the directors any authority needed to allot Shares under sections 550 or 551 of the Companies Act 2006, and to disapply the statutory pre-emption rights under section 561 of that Act so far as they conflict with clause 6.1.

7. TRANSFERS OF SHARES
7.1 No Shareholder shall transfer, charge or otherwise dispose of any Share or interest in a Share except as permitted by this Agreement and the Articles.
7.2 A Shareholder wishing to sell Shares (the "Seller") shall first offer them to the other Shareholders in proportion to their holdings at the price and on the terms the Seller proposes (or, if no price is agreed within 20 business days, at Fair Value). If the other Shareholders do not buy all of them within 30 business days, the Seller may sell the remaining Shares to a bona fide third party within the following 60 business days at a price no lower and on terms no more favourable than those offered.
7.3 No person may become a Shareholder unless they first sign a Deed of Adherence.

8. DRAG ALONG
8.1 If Shareholders holding at least {{drag_along_threshold_percent}} per cent of the Shares (the "Dragging Shareholders") wish to sell all their Shares to a bona fide purchaser at arm's length, they may require all the other Shareholders to sell their Shares to that purchaser on the same terms and at the same price per Share.

9. TAG ALONG
9.1 No sale of Shares that would result in a person (together with persons connected with them) holding more than 50 per cent of the Shares may be completed unless the purchaser has offered to buy all the other Shareholders' Shares on the same terms and at the same price per Share.

10. LEAVERS
10.1 If a Shareholder who is an employee or director of the Company ceases to be one (a "Leaver"), the Board may within six months require the Leaver to offer all their Shares for sale to the Company (subject to the Companies Act 2006) or to the other Shareholders.
10.2 A Good Leaver (a Leaver who leaves because of death, permanent incapacity, retirement at normal age, dismissal that is found to be unfair or wrongful, or whom the Board designates a Good Leaver) shall receive Fair Value.
10.3 A Bad Leaver (any other Leaver, including one dismissed for gross misconduct or who resigns within {{bad_leaver_period_months}} months of the date of this Agreement) shall receive the lower of Fair Value and the nominal value of the Shares.
10.4 Fair Value is the price agreed between the Leaver and the Board or, failing agreement within 20 business days, the value certified by an independent chartered accountant appointed by the parties (or, failing agreement, by the President of the Institute of Chartered Accountants in England and Wales), as the value of the Shares on a sale between a willing buyer and a willing seller, without any premium or discount for the size of the holding.

11. DEADLOCK
11.1 If the Board or the Shareholders cannot agree on a matter of material importance at two consecutive meetings held at least {{deadlock_period_days}} days apart, any Shareholder may refer the matter to the Shareholders' chief representatives, who shall meet within 10 business days, and then to mediation under a recognised model mediation procedure.
11.2 If the deadlock is not resolved within 30 days after the mediator is appointed, {{deadlock_resolution}}.

12. DIVIDENDS
12.1 Subject to the Company having profits available for distribution under Part 23 of the Companies Act 2006 and to its working capital needs, the Shareholders intend the Company to distribute {{dividend_policy}}.

13. RESTRICTIVE COVENANTS
13.1 Each Shareholder agrees that, while a Shareholder and for {{restrictive_covenant_months}} months after ceasing to be one, they shall not (a) carry on, or be concerned in, a business in competition with the Business within {{restricted_territory}}; (b) solicit any customer of the Company with whom they had dealings in the previous 12 months; or (c) solicit any senior employee of the Company to leave its employment. Each restriction is separate and the Shareholders consider them reasonable.

14. CONFIDENTIALITY
14.1 Each Shareholder shall keep confidential the terms of this Agreement and all confidential information about the Company, except as required by law or to their professional advisers.

15. CONFLICT WITH THE ARTICLES
15.1 If this Agreement conflicts with the Articles, this Agreement prevails as between the Shareholders, and the Shareholders shall vote to amend the Articles (by special resolution under section 21 of the Companies Act 2006) to remove the conflict.

16. DURATION
16.1 This Agreement ends when the Company's shares are admitted to trading on a stock exchange, when the Company is wound up, or when one Shareholder holds all the Shares. A Shareholder who ceases to hold Shares ceases to have rights under it, but remains bound by clauses 13 and 14 and liable for earlier breaches.

17. GENERAL
17.1 Nothing in this Agreement creates a partnership between the Shareholders. Each party bears its own costs. Variations must be in writing and signed by all the parties. No one other than the parties (and persons who adhere by Deed of Adherence) has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce this Agreement.
17.2 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SCHEDULE 1 - SHAREHOLDERS AND SHAREHOLDINGS
{{shareholder_details}}

SCHEDULE 2 - RESERVED MATTERS
Altering the Articles; changing the share capital or rights attached to Shares; issuing or redeeming Shares or buying back Shares; changing the nature of the Business; borrowing above {{borrowing_threshold}}; capital expenditure above {{capital_expenditure_threshold}}; declaring a dividend; acquiring or disposing of any business, shares or material asset; entering into any transaction with a Shareholder, director or connected person; appointing or removing auditors; agreeing or changing any director's service contract or remuneration; starting or settling material litigation; passing any resolution to wind up the Company.

SCHEDULE 3 - DEED OF ADHERENCE
By this deed {{new_shareholder_name}} agrees with the parties to the Shareholders' Agreement dated {{agreement_date}} to be bound by it as a Shareholder.

Each Shareholder SIGNED: {{shareholder_signature_blocks}}
SIGNED for and on behalf of {{company_name}} by a director: ____________________  Date: ________
$template$,
'["Companies Act 2006 sections 550, 551 and 561: allotment authority and pre-emption", "Company party only for lawful undertakings (no fetter on statutory powers)", "Companies Act 2006 Part 23: dividends only from distributable profits", "Section 21 special resolution to align the Articles", "Board appointment rights and quorum protection", "Drag-along and tag-along rights", "Good and bad leaver provisions with independent valuation", "Deadlock resolution with mediation", "Contracts (Rights of Third Parties) Act 1999 limited to adhering shareholders"]'::jsonb,
$template$For a private company limited by shares incorporated in England and Wales, governed by the Companies Act 2006 and English law. The Companies Act 2006 gives existing shareholders statutory pre-emption rights on allotments of equity securities for cash (section 561), which a private company may exclude in its articles (section 567) or disapply (sections 569 and 570); directors need authority to allot (section 550 for a private company with one class of shares, otherwise section 551). A shareholder can always remove a director by ordinary resolution (section 168), and a company cannot contract out of its statutory powers, which is why clause 4.2 limits the Company's own undertakings (following the House of Lords in Russell v Northern Bank Development Corporation). Compulsory transfer and drag-along provisions are normally also written into the Articles so they bind future shareholders; check whether any provision must be filed at Companies House (sections 29 and 30) and keep the register of people with significant control (Part 21A) up to date. Share transfers may attract stamp duty, and employee shareholders may face employment-related securities tax charges under the Income Tax (Earnings and Pensions) Act 2003; sensitive businesses may need clearance under the National Security and Investment Act 2021 for acquisitions. Restrictive covenants must be no wider than reasonably necessary. Company law is UK-wide, but for a Scottish company adapt execution and clause 17.2. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["startup", "sme", "enterprise"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 16. Settlement Agreement (employment)
('01954f00-ea98-77cf-aa45-8fc62d9c5d5c', NULL, 'Settlement Agreement', 'employment', 'settlement_agreement',
$template$An agreement ending an employment relationship on agreed terms, under which the employee waives statutory and contractual claims in return for a payment, meeting the conditions of section 203 of the Employment Rights Act 1996 and section 147 of the Equality Act 2010.$template$,
$template$WITHOUT PREJUDICE AND SUBJECT TO CONTRACT (until signed by both parties and the Adviser's certificate is given)

SETTLEMENT AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{employer_name}}, a company incorporated in England and Wales with company number {{employer_company_number}}, whose registered office is at {{employer_address}} (the "Employer").
(2) {{employee_name}} of {{employee_address}} (the "Employee").

1. TERMINATION OF EMPLOYMENT
1.1 The Employee's employment with the Employer will terminate, or terminated, on {{termination_date}} (the "Termination Date").
1.2 The Employer shall pay the Employee's salary and contractual benefits up to the Termination Date in the usual way, together with pay in lieu of {{accrued_holiday_days}} days' accrued but untaken holiday, less income tax and National Insurance contributions.
1.3 The Employer shall pay the Employee {{pilon_amount}} in lieu of notice, less income tax and National Insurance contributions, as post-employment notice pay.

2. SETTLEMENT PAYMENT
2.1 Subject to the Employee's compliance with this Agreement, the Employer shall, within {{payment_days}} days after the later of the Termination Date and the date on which it receives a copy of this Agreement signed by the Employee together with the Adviser's certificate in the Schedule, pay the Employee {{settlement_payment_amount}} as compensation for loss of employment (the "Settlement Payment").
2.2 The parties believe that the first GBP 30,000 of the Settlement Payment may be paid without deduction of income tax under sections 401 and 403 of the Income Tax (Earnings and Pensions) Act 2003. The Employer shall deduct tax at the applicable rate from any excess. The Employee is responsible for any further tax or employee National Insurance due on the payments under this Agreement (other than on amounts the Employer has deducted) and shall indemnify the Employer against it, excluding any interest or penalty arising from the Employer's delay or default and excluding employer's National Insurance contributions.

3. LEGAL FEES
3.1 The Employer shall pay up to {{legal_fees_contribution}} plus VAT towards the Employee's legal fees for advice on the termination of employment and this Agreement, directly to the Adviser on receipt of an invoice addressed to the Employee and marked payable by the Employer.

4. SETTLEMENT OF CLAIMS
4.1 The Employee accepts the terms of this Agreement in full and final settlement of all claims, whether or not they are in the contemplation of the parties at the date of this Agreement, that the Employee has or may have against the Employer, any group company, or any of their officers or employees, arising out of or in connection with the Employee's employment or its termination, whether under statute, common law or otherwise and in any jurisdiction.
4.2 This includes, without limitation, the following particular complaints, which the Employee has raised with the Employer or which the parties have identified: (a) unfair dismissal under Part X of the Employment Rights Act 1996; (b) a statutory redundancy payment under Part XI of that Act; (c) unauthorised deductions from wages under Part II of that Act; (d) discrimination, harassment or victimisation related to any protected characteristic, and equality of terms, under the Equality Act 2010; (e) claims under the Working Time Regulations 1998; (f) claims under the National Minimum Wage Act 1998; (g) breach of contract or wrongful dismissal; and (h) {{other_particular_claims}}.
4.3 This Agreement does not waive: (a) any claim for personal injury of which the Employee is not aware, and could not reasonably be aware, at the date of this Agreement (other than a claim under the Equality Act 2010); (b) accrued pension rights; or (c) any claim to enforce this Agreement.
4.4 The Employee shall withdraw any employment tribunal or court claim already begun (reference {{tribunal_claim_reference}}) within 7 days after receiving the Settlement Payment, and consents to its dismissal.

5. STATUTORY CONDITIONS (INDEPENDENT ADVICE)
5.1 The Employee confirms that, before signing this Agreement, the Employee received advice from {{adviser_name}} of {{adviser_firm}}, {{adviser_address}} (the "Adviser"), a relevant independent adviser within section 203(3A) of the Employment Rights Act 1996 and an independent adviser within section 147 of the Equality Act 2010, as to the terms and effect of this Agreement and in particular its effect on the Employee's ability to pursue the Employee's rights before an employment tribunal.
5.2 The Adviser is a qualified lawyer (a solicitor holding a current practising certificate) and is not acting in the matter for the Employer or an associated employer.
5.3 There was in force, when the Adviser gave the advice, a contract of insurance, or an indemnity provided for members of a profession or professional body, covering the risk of a claim by the Employee in respect of loss arising in consequence of the advice.
5.4 The conditions regulating settlement agreements under section 203(3) of the Employment Rights Act 1996, section 147 of the Equality Act 2010, regulation 35 of the Working Time Regulations 1998, section 49 of the National Minimum Wage Act 1998 and section 288 of the Trade Union and Labour Relations (Consolidation) Act 1992 are satisfied.

6. EMPLOYEE WARRANTIES
6.1 The Employee warrants, as a condition of receiving the Settlement Payment, that: (a) the claims in clause 4.2 are all the claims the Employee believes they have; (b) the Employee is not aware of any circumstances that could give rise to a personal injury claim; (c) the Employee has not committed any act or omission that would have entitled the Employer to dismiss them without notice; and (d) save as stated in clause 4.4, the Employee has not begun any proceedings against the Employer.
6.2 If the Employee breaches these warranties or clause 4, the Settlement Payment (less GBP 100, which the Employee keeps in any event as consideration for clause 4) shall be repayable on demand as a debt.

7. PROPERTY AND INFORMATION
7.1 By the Termination Date the Employee shall return all property of the Employer, and delete all the Employer's confidential information from personal devices and accounts, and confirm in writing that they have done so.

8. CONFIDENTIALITY
8.1 The parties shall keep the terms of this Agreement and the circumstances of the termination confidential, except to the Employee's immediate family, to professional advisers, to HM Revenue and Customs, or as required by law.
8.2 Nothing in this Agreement prevents the Employee from: (a) making a protected disclosure within the meaning of section 43A of the Employment Rights Act 1996; (b) reporting a criminal offence to a law enforcement agency, or co-operating with a criminal investigation or prosecution; (c) reporting to, or co-operating with, a regulator; (d) disclosing information to a medical or legal professional, or to a victim support or counselling service, on a confidential basis; or (e) disclosing information where required by law.

9. REFERENCE AND ANNOUNCEMENT
9.1 The Employer shall provide a reference in the form set out in the Schedule in response to any request from a prospective employer addressed to {{reference_contact}}. The departure shall be announced using the agreed wording: {{agreed_announcement}}.
9.2 The Employee shall not make any derogatory statement about the Employer or its officers or employees. The Employer shall instruct {{named_individuals}} not to make any derogatory statement about the Employee.

10. RESTRICTIVE COVENANTS AND OFFICES
10.1 The Employee reaffirms the post-termination restrictions in their contract of employment, which continue in force. The Employee shall resign from any office held in the Employer or any group company with effect from the Termination Date.

11. GENERAL
11.1 Although marked "without prejudice and subject to contract", this Agreement becomes binding and open when it has been dated and signed by both parties and the Adviser has signed the certificate.
11.2 This Agreement is the entire agreement between the parties about its subject matter. Each group company and officer or employee of the Employer may enforce clause 4 under the Contracts (Rights of Third Parties) Act 1999; otherwise no third party has any right to enforce this Agreement, and the parties may vary it without their consent.
11.3 This Agreement is governed by the law of England and Wales, and the courts and employment tribunals of England and Wales have exclusive jurisdiction.

SIGNED for and on behalf of {{employer_name}} by {{employer_signatory_name}}: ____________________  Date: ________
SIGNED by the Employee, {{employee_name}}: ____________________  Date: ________

SCHEDULE - ADVISER'S CERTIFICATE
I, {{adviser_name}}, of {{adviser_firm}}, confirm that: (1) I have given {{employee_name}} advice as to the terms and effect of the above Agreement, and in particular its effect on their ability to pursue their rights before an employment tribunal; (2) I am a relevant independent adviser within section 203(3A) of the Employment Rights Act 1996 and an independent adviser within section 147 of the Equality Act 2010, being a qualified lawyer; (3) I am not acting in the matter for the Employer or an associated employer; and (4) when I gave the advice there was in force a contract of insurance, or an indemnity provided for members of a profession or professional body, covering the risk of a claim by the Employee in respect of loss arising in consequence of that advice.
Signed: ____________________  Date: ________

SCHEDULE - AGREED REFERENCE
{{agreed_reference}}
$template$,
'["Employment Rights Act 1996 section 203(3): writing, particular complaints, relevant independent adviser, insurance, adviser identified, statement that conditions are satisfied", "Equality Act 2010 section 147 qualifying settlement agreement", "Working Time Regulations 1998, National Minimum Wage Act 1998 and TULRCA 1992 contracting-out conditions", "Adviser certificate with independence and insurance confirmation", "ITEPA 2003 GBP 30,000 termination payment threshold and post-employment notice pay", "Protected disclosures and reporting to police and regulators preserved (ERA 1996 Part IVA)", "Accrued pension rights and unknown personal injury claims excluded", "Contracts (Rights of Third Parties) Act 1999 limited third-party enforcement"]'::jsonb,
$template$For employment in England, Wales or Scotland, with the contract governed here by the law of England and Wales. Most statutory employment rights cannot be waived by contract (section 203(1) of the Employment Rights Act 1996); a settlement agreement is the exception only if it meets every condition of section 203(3): it is in writing, relates to particular proceedings or complaints, the employee has received advice from a relevant independent adviser (section 203(3A): for example a qualified lawyer, or a certified trade union official or advice centre worker) on its terms and effect and in particular its effect on the ability to pursue rights before an employment tribunal, the adviser is covered by insurance or a professional indemnity, the adviser is identified, and the agreement states that the conditions are satisfied. The Equality Act 2010 has the equivalent conditions for a qualifying settlement agreement in section 147, and other statutes (the Working Time Regulations 1998, the National Minimum Wage Act 1998, the Trade Union and Labour Relations (Consolidation) Act 1992, and others) have their own contracting-out provisions; list each particular claim. An adviser acting for the employer or an associated employer is not independent. Confidentiality terms cannot prevent protected disclosures (section 43J of the 1996 Act), and regulators expect agreements to make clear that reporting to the police and regulators is not restricted; keep clause 8.2. Pre-termination negotiations may be inadmissible in an ordinary unfair dismissal claim under section 111A of the 1996 Act, but not in discrimination or automatically unfair dismissal claims. Tax: termination payments up to GBP 30,000 may be exempt from income tax under sections 401 and 403 of the Income Tax (Earnings and Pensions) Act 2003, but post-employment notice pay is taxable in full, and employer Class 1A National Insurance applies above GBP 30,000; confirm the treatment with a tax adviser. As an alternative, an Acas-conciliated COT3 settlement does not need independent advice. Northern Ireland has equivalent but separate provisions in the Employment Rights (Northern Ireland) Order 1996 and its own equality legislation. This template is a starting point, not legal advice: the employee must take independent legal advice, and the employer should take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "enterprise", "startup", "charity"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 17. Director's Service Agreement
('01954f00-ee80-7c22-8ef8-43080301bc34', NULL, 'Director''s Service Agreement', 'employment', 'directors_service_agreement',
$template$A service agreement for an executive director of a UK company, covering duties under the Companies Act 2006, remuneration, notice and garden leave, restrictive covenants and the shareholder approval and inspection rules for directors' contracts.$template$,
$template$DIRECTOR'S SERVICE AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{company_name}}, a company incorporated in England and Wales with company number {{company_number}}, whose registered office is at {{company_address}} (the "Company").
(2) {{director_name}} of {{director_address}} (the "Executive").

1. DEFINITIONS
1.1 "Board" means the board of directors of the Company (or a committee of it); "Group" means the Company and its subsidiaries and holding companies from time to time; "Confidential Information" means information of a confidential nature relating to the business, finances, customers or employees of any Group company; "Restricted Period" means the period of {{restriction_period_months}} months after the Termination Date, reduced by any period of garden leave; "Termination Date" means the date the Executive's employment ends.

2. APPOINTMENT AND TERM
2.1 The Company appoints the Executive as {{job_title}} and as an executive director of the Company with effect from {{start_date}}. The Executive's continuous employment began on {{continuous_employment_start_date}}.
2.2 The appointment continues until terminated by either party giving the other not less than {{notice_period_months}} months' written notice, subject to clause 13. No guaranteed term of more than two years is created by this Agreement unless approved by a resolution of the members under section 188 of the Companies Act 2006.

3. DUTIES
3.1 The Executive shall devote the whole of their working time and attention to the business of the Group, perform the duties the Board assigns consistent with their position, comply with the Company's articles of association and the lawful directions of the Board, and report promptly to the Board any wrongdoing of which they become aware.
3.2 The Executive shall comply with the general duties of directors in sections 171 to 177 of the Companies Act 2006, including the duties to promote the success of the Company, to exercise reasonable care, skill and diligence, to avoid conflicts of interest, not to accept benefits from third parties, and to declare interests in proposed transactions. The Executive shall comply with all applicable laws and regulatory requirements, including any share dealing code of the Company.
3.3 The Executive's place of work is {{place_of_work}}. The Executive may be required to travel in the United Kingdom and abroad; any work outside the United Kingdom for more than one month will be agreed in writing beforehand.

4. HOURS
4.1 The Executive's normal hours are {{normal_working_hours}} and such additional hours as are necessary for the proper performance of their duties, without further pay. The Executive agrees that the average 48-hour weekly limit in regulation 4 of the Working Time Regulations 1998 shall not apply, and may withdraw this agreement by giving three months' written notice.

5. REMUNERATION AND BENEFITS
5.1 The Company shall pay the Executive a salary of {{annual_salary}} a year (inclusive of any directors' fees), accruing daily and payable monthly in arrears, reviewed annually by the Board without obligation to increase.
5.2 The Executive may be eligible for a discretionary bonus under {{bonus_scheme}}. Any bonus is at the Board's discretion and is subject to any malus and clawback provisions of the scheme.
5.3 The Company shall contribute {{pension_contribution_percent}} per cent of salary to a registered pension scheme and comply with its automatic enrolment duties under the Pensions Act 2008.
5.4 The Executive is entitled to the following benefits, subject to the rules of the relevant schemes: {{benefits}}. The Company shall maintain directors' and officers' liability insurance for the Executive during the appointment and for {{do_insurance_run_off_years}} years afterwards, and may provide an indemnity to the extent permitted by sections 232 to 234 of the Companies Act 2006.
5.5 The Company shall reimburse reasonable expenses properly incurred, in accordance with its expenses policy.

6. HOLIDAYS AND SICKNESS
6.1 The Executive is entitled to {{annual_holiday_days}} working days' paid holiday in each holiday year running from {{holiday_year_start}}, plus public holidays in England and Wales, to be taken at times agreed with the Board. Holiday pay on termination is calculated in accordance with the Working Time Regulations 1998.
6.2 If absent through sickness or injury, the Executive shall notify the Board on the first day and supply fit notes as required. The Company shall pay {{company_sick_pay}}, inclusive of statutory sick pay. The Executive shall undergo a medical examination at the Company's expense if reasonably requested.

7. OUTSIDE INTERESTS
7.1 The Executive shall not, without the Board's written consent, be engaged or interested in any other business, except as a holder of not more than {{permitted_shareholding_percent}} per cent of any class of shares quoted on a recognised stock exchange.

8. CONFIDENTIALITY
8.1 The Executive shall not, during or after the appointment, use or disclose any Confidential Information except in the proper performance of their duties, with the Board's consent, or as required by law. Nothing in this Agreement prevents the Executive from making a protected disclosure under Part IVA of the Employment Rights Act 1996 or reporting to a regulator or law enforcement agency.

9. INTELLECTUAL PROPERTY
9.1 All intellectual property rights in work created by the Executive in the course of the appointment belong to the Company, in accordance with the Copyright, Designs and Patents Act 1988 and sections 39 to 43 of the Patents Act 1977. The Executive waives moral rights in such work to the extent the law permits and shall sign any documents needed to confirm the Company's ownership.

10. DATA PROTECTION
10.1 The Company processes the Executive's personal data as described in its employee privacy notice, in accordance with the UK GDPR and the Data Protection Act 2018.

11. DISCIPLINARY AND GRIEVANCE
11.1 The Company's disciplinary and grievance procedures (which follow the Acas Code of Practice and are not contractual) apply to the Executive. Any grievance or disciplinary appeal shall be raised in writing with the chair of the Board, {{chair_name}}. The Board may suspend the Executive on full pay during an investigation.

12. GARDEN LEAVE
12.1 During all or part of any notice period the Board may require the Executive to perform no duties or different duties, not to attend any Group premises, and not to contact customers, suppliers or employees, for up to {{garden_leave_months}} months. Salary and contractual benefits continue during garden leave, and the Executive remains an employee bound by their duties of good faith.

13. TERMINATION
13.1 The Company may terminate the Executive's employment with immediate effect by written notice, without notice or payment in lieu, if the Executive: (a) commits gross misconduct or a serious or repeated breach of this Agreement; (b) is guilty of conduct that brings, or is likely to bring, the Executive or any Group company into disrepute; (c) is convicted of a criminal offence (other than a road traffic offence not punished by imprisonment); (d) becomes bankrupt or makes an arrangement with creditors; (e) is disqualified from acting as a director, including under the Company Directors Disqualification Act 1986, or ceases to be a director without the Company's consent; or (f) commits any act of dishonesty.
13.2 The Company may terminate the employment at any time by paying salary (and, at its discretion, the value of contractual benefits) in lieu of all or the remainder of the notice period, in one sum or in monthly instalments.
13.3 On termination for any reason, the Executive shall resign from all offices held in any Group company, return all Group property and delete Group information from personal devices. If the Executive fails to resign, the Company is irrevocably authorised to appoint a person to sign the resignations in the Executive's name. Removal as a director under section 168 of the Companies Act 2006 does not of itself terminate this Agreement or affect any claim for breach of it.

14. RESTRICTIONS AFTER TERMINATION
14.1 During the Restricted Period the Executive shall not, directly or indirectly: (a) be engaged in any business in competition with the business of the Group in which the Executive was materially involved in the 12 months before the Termination Date, within {{restricted_territory}}; (b) solicit or deal with any customer of the Group with whom the Executive had material dealings in those 12 months; or (c) solicit or employ any senior employee of the Group with whom the Executive worked in those 12 months. Each restriction is separate, and the Executive acknowledges that each is reasonable for the protection of the Group's confidential information, customer connections and workforce stability.

15. STATUTORY PARTICULARS AND INSPECTION
15.1 This Agreement, together with the staff handbook, contains the particulars required by section 1 of the Employment Rights Act 1996. No collective agreement affects the Executive's employment.
15.2 The Company shall keep a copy of this Agreement available for inspection by members as required by section 228 of the Companies Act 2006.

16. GENERAL
16.1 This Agreement supersedes any previous agreement between the Company and the Executive relating to their employment. Variations must be in writing and signed by both parties. No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it.
16.2 This Agreement is governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction, without affecting the right to bring a claim in an employment tribunal.

SIGNED for and on behalf of {{company_name}} by {{company_signatory_name}}, director, pursuant to a resolution of the Board dated {{board_resolution_date}}: ____________________  Date: ________
SIGNED by the Executive, {{director_name}}: ____________________  Date: ________
$template$,
'["Companies Act 2006 section 188 members approval for guaranteed terms over two years", "Companies Act 2006 sections 171 to 177 general duties of directors", "Companies Act 2006 section 228 inspection copy of service contract", "Companies Act 2006 section 168 removal does not end contract claims", "Sections 232 to 234 indemnity and D&O insurance", "Employment Rights Act 1996 section 1 particulars", "Working Time Regulations 1998 opt-out", "Company Directors Disqualification Act 1986 termination event", "Garden leave and reasonable post-termination restrictions", "Protected disclosures preserved"]'::jsonb,
$template$For an executive director of a company incorporated in England and Wales, under English law. Under section 188 of the Companies Act 2006 a provision under which a director's employment is guaranteed, or cannot be ended by the company on notice, for more than two years needs prior approval by resolution of the members, with a memorandum of the proposed contract available for 15 days before the meeting and at it (or sent with a written resolution); if not approved, the provision is void and the company may terminate on reasonable notice (section 189). The company must keep a copy of every director's service contract available for inspection for at least one year after it ends (sections 228 and 229). Payments for loss of office beyond contractual entitlements may need members' approval (sections 215 to 222), and indemnities are restricted by sections 232 to 234. Quoted companies must also comply with their directors' remuneration policy, and the UK Corporate Governance Code recommends notice or contract periods of one year or less. The director is also an employee, so the Employment Rights Act 1996 (section 1 particulars), the Working Time Regulations 1998 and the Equality Act 2010 apply. Post-termination restrictions are enforceable only so far as reasonable to protect legitimate interests; garden leave is usually set off against them. Company law applies UK-wide; for Scots or Northern Irish law change clause 16.2, and in Northern Ireland use the Northern Ireland employment legislation. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "startup", "enterprise"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 18. Website Terms of Use
('01954f00-f268-7390-836e-5b5f1812d6a5', NULL, 'Website Terms of Use', 'website', 'website_terms_of_use',
$template$Terms governing use of a business website by visitors (consumers and businesses), with the trader information the Electronic Commerce Regulations and company disclosure rules require. For any UK business with a website.$template$,
$template$WEBSITE TERMS OF USE

Last updated: {{last_updated_date}}

These terms tell you the rules for using our website {{website_url}} (the "Site"). Please read them carefully. By using the Site you confirm that you accept these terms and agree to comply with them. If you do not agree, you must not use the Site.

1. WHO WE ARE AND HOW TO CONTACT US
1.1 The Site is operated by {{company_name}} ("we", "us"), a company registered in England and Wales under company number {{company_number}}, with its registered office at {{registered_office_address}}. Our trading address is {{trading_address}}. Our VAT number is {{vat_number}}.
1.2 To contact us, email {{contact_email}} or telephone {{contact_phone}}.
1.3 {{regulator_details}}

2. OTHER TERMS THAT MAY APPLY
2.1 Our Privacy Notice ({{privacy_notice_url}}) explains how we use your personal data. Our Cookie Policy ({{cookie_policy_url}}) explains the cookies and similar technologies used on the Site.
2.2 If you buy goods or services from us through the Site, our terms of sale ({{terms_of_sale_url}}) apply to the sale. They explain the technical steps to conclude a contract, how you can identify and correct input errors before placing an order, the languages offered, and whether we keep a copy of the contract.

3. CHANGES TO THESE TERMS AND TO THE SITE
3.1 We may amend these terms from time to time. Please check them each time you use the Site; the version in force when you use it applies.
3.2 We may update and change the Site, and may suspend or withdraw all or part of it for business or operational reasons. The Site is provided free of charge and we do not guarantee that it, or any content on it, will always be available or uninterrupted.

4. YOUR ACCOUNT AND PASSWORD
4.1 If you choose, or are given, a user identification code, password or other information as part of our security procedures, you must keep it confidential and must not disclose it to anyone. We may disable any account, code or password if we reasonably believe you have failed to comply with these terms.

5. HOW YOU MAY USE MATERIAL ON THE SITE
5.1 We are the owner or licensee of all intellectual property rights in the Site and its content. Those works are protected by copyright laws and treaties around the world.
5.2 You may print one copy, and download extracts, of any page for your personal use, and draw the attention of others in your organisation to content on the Site. You must not modify the copies, use any illustrations, photographs, video or audio separately from the accompanying text, or use any part of the content for commercial purposes without a licence from us. Our status as the authors of content on the Site must always be acknowledged.

6. DO NOT RELY ON INFORMATION ON THE SITE
6.1 The content on the Site is provided for general information only. It is not advice on which you should rely. Although we make reasonable efforts to keep it up to date, we make no representation or guarantee that it is accurate, complete or up to date.

7. LINKS
7.1 Where the Site contains links to other sites and resources provided by third parties, these are for your information only. We have no control over their contents and are not responsible for them.
7.2 You may link to our home page, provided you do so in a way that is fair and legal and does not damage our reputation or take advantage of it, and you must not suggest any form of association, approval or endorsement by us where none exists.

8. CONTENT YOU UPLOAD
8.1 Whenever you use a feature that allows you to upload content or interact with other users, the content must be lawful, accurate where it states facts, genuinely held where it states opinions, and must not be defamatory, obscene, offensive, hateful, infringing, or likely to harass, upset or deceive anyone. You grant us a non-exclusive, royalty-free licence to use, store and copy that content for the purpose of operating the Site.
8.2 We may remove any content that does not meet these standards. To report content you believe is unlawful or infringes your rights, email {{content_complaints_email}}.

9. VIRUSES AND MISUSE
9.1 We do not guarantee that the Site will be secure or free from bugs or viruses. You should use your own virus protection software.
9.2 You must not misuse the Site by knowingly introducing viruses or other material that is malicious or technologically harmful, or attempt to gain unauthorised access to the Site, its server or any connected database. Doing so may be an offence under the Computer Misuse Act 1990; we will report any such breach to the relevant law enforcement authorities and co-operate with them.

10. OUR RESPONSIBILITY FOR LOSS OR DAMAGE
10.1 We do not exclude or limit in any way our liability to you where it would be unlawful to do so. This includes liability for death or personal injury caused by our negligence or that of our employees, agents or subcontractors, and for fraud or fraudulent misrepresentation.
10.2 If you are a business user: we exclude all implied conditions, warranties, representations or other terms that may apply to the Site or its content; and we will not be liable to you for any loss or damage, whether in contract, tort (including negligence), breach of statutory duty or otherwise, arising under or in connection with your use of, or inability to use, the Site, or your use of or reliance on its content, including loss of profits, sales, business or revenue, business interruption, loss of anticipated savings, loss of business opportunity, goodwill or reputation, or any indirect or consequential loss.
10.3 If you are a consumer: we only provide the Site for domestic and private use, and we have no liability to you for any loss of profit, loss of business, business interruption or loss of business opportunity. If defective digital content that we have supplied damages a device or digital content belonging to you, we will either repair the damage or pay you compensation, as the Consumer Rights Act 2015 requires. Nothing in these terms affects your statutory rights.

11. WHICH LAWS APPLY
11.1 If you are a consumer, these terms are governed by the law of England and Wales, and you can bring legal proceedings in the English courts. If you live in Scotland you can bring legal proceedings in either the Scottish or the English courts; if you live in Northern Ireland, in either the Northern Irish or the English courts.
11.2 If you are a business, these terms, their subject matter and their formation (and any non-contractual disputes or claims) are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.
$template$,
'["Electronic Commerce (EC Directive) Regulations 2002 regulation 6 trader information", "Electronic Commerce (EC Directive) Regulations 2002 regulations 9 and 11 signposted for online orders", "Company, Limited Liability Partnership and Business (Names and Trading Disclosures) Regulations 2015 website disclosures", "Consumer Rights Act 2015 fairness, transparency and digital content damage remedy", "Unfair Contract Terms Act 1977 business-user exclusions", "Computer Misuse Act 1990 misuse warning", "User content standards and notice-and-takedown contact", "Consumer forum rights for Scotland and Northern Ireland residents"]'::jsonb,
$template$Follows the law of England and Wales, with consumer forum rights for residents of Scotland and Northern Ireland. Regulation 6 of the Electronic Commerce (EC Directive) Regulations 2002 requires the business's name, geographic address, email address, company registration number, VAT number and any regulator or professional body details to be easily, directly and permanently accessible; regulations 9 and 11 govern contracts concluded online (technical steps, correcting errors, acknowledgement of orders), which belong in the terms of sale linked from clause 2.2. The Company, Limited Liability Partnership and Business (Names and Trading Disclosures) Regulations 2015 require a company's registered name, number, registered office and part of the UK of registration on its website. For consumers, terms must be fair and transparent under Part 2 of the Consumer Rights Act 2015, and liability for death or personal injury caused by negligence cannot be excluded; for business users, exclusions must be reasonable under the Unfair Contract Terms Act 1977. Cookies and similar technologies need consent under regulation 6 of the Privacy and Electronic Communications (EC Directive) Regulations 2003 (see the cookie policy template). If the Site lets users share content with each other, check the duties under the Online Safety Act 2023 and the website operator defence in section 5 of the Defamation Act 2013; fake reviews and other unfair practices are prohibited under the Digital Markets, Competition and Consumers Act 2024. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "sole_trader", "charity", "consumer_facing"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 19. Privacy Notice
('01954f00-f650-7226-b482-96d43fbadb0e', NULL, 'Privacy Notice', 'data_protection', 'privacy_notice',
$template$A privacy notice for customers, website visitors and contacts, giving the information required by Articles 13 and 14 of the UK GDPR: who the controller is, what data is used and why, lawful bases, sharing, transfers, retention and individuals' rights.$template$,
$template$PRIVACY NOTICE

Last updated: {{last_updated_date}}

This notice explains how {{company_name}} ("we", "us") collects and uses personal data about you when you use our website, buy from us, or otherwise deal with us, and the rights you have under the UK GDPR and the Data Protection Act 2018.

1. WHO WE ARE
1.1 We are {{company_name}}, a company registered in England and Wales under company number {{company_number}}, with our registered office at {{registered_office_address}}. We are the controller of your personal data. Our ICO registration number is {{ico_registration_number}}.
1.2 Questions about this notice or your data can be sent to {{privacy_contact_email}} or by post to the address above. {{data_protection_officer_details}}

2. THE PERSONAL DATA WE COLLECT
2.1 We collect and use the following kinds of personal data: {{personal_data_categories}}. This typically includes identity and contact data (name, email, telephone, postal address), account data, transaction and payment data, communications with us, marketing preferences, and technical data (IP address, device and browser information, and how you use our website).
2.2 Special category data (such as health information): {{special_category_data_use}}. Where we use it, we do so only where a condition in Article 9 of the UK GDPR and, where required, Schedule 1 to the Data Protection Act 2018 applies.

3. WHERE WE GET YOUR PERSONAL DATA
3.1 Most personal data we hold is given to us directly by you. We also receive personal data from: {{third_party_sources}}, and from cookies and similar technologies on our website, as described in our Cookie Policy.

4. WHY WE USE YOUR DATA AND OUR LAWFUL BASES
4.1 We use your personal data only where the law allows. Our purposes, and the lawful basis under Article 6 of the UK GDPR for each, are:
(a) to provide our products and services, manage your account and take payment: performance of a contract with you, or steps at your request before entering into one (Article 6(1)(b));
(b) to comply with our legal obligations, such as keeping accounting and tax records and responding to lawful requests from authorities: legal obligation (Article 6(1)(c));
(c) to run and improve our business, keep our website and systems secure, prevent fraud and defend legal claims: our legitimate interests (Article 6(1)(f)), namely {{legitimate_interests}}, which we have balanced against your interests and rights;
(d) to send you marketing by email or text message: your consent (Article 6(1)(a)), or, for existing customers, our legitimate interest in marketing similar products and services where the Privacy and Electronic Communications (EC Directive) Regulations 2003 permit it, in each case with an easy way to opt out in every message;
(e) to set non-essential cookies: your consent.
4.2 Where we rely on consent, you may withdraw it at any time, without affecting the lawfulness of processing before withdrawal.
4.3 Where we need your personal data to perform a contract with you or to meet a legal requirement and you do not provide it, we may not be able to provide the product or service you have asked for.

5. AUTOMATED DECISION-MAKING
5.1 {{automated_decision_making}} Where we make a decision about you based solely on automated processing that has legal or similarly significant effects, we will tell you, explain the logic involved and the likely consequences, and you may ask for human review, express your view and contest the decision.

6. WHO WE SHARE YOUR DATA WITH
6.1 We share personal data with: {{recipient_categories}}. Service providers acting on our behalf (processors) may use your data only on our instructions and under contracts meeting Article 28 of the UK GDPR. We may also disclose data where the law requires, to protect our rights, or to a buyer of all or part of our business. We do not sell your personal data.

7. INTERNATIONAL TRANSFERS
7.1 {{international_transfers}} Where your personal data is transferred outside the United Kingdom, we make sure it is protected by UK adequacy regulations or by appropriate safeguards such as the International Data Transfer Agreement or the UK Addendum to the EU standard contractual clauses. You can ask us for a copy of the safeguards at the contact details above.

8. HOW LONG WE KEEP YOUR DATA
8.1 We keep personal data only for as long as we need it for the purposes for which we collected it, including to meet legal, accounting and reporting requirements. Our retention periods are: {{retention_periods}}. For example, we keep transaction records for six years after the end of the financial year to which they relate, to meet tax law.

9. YOUR RIGHTS
9.1 You have the right to: (a) be informed about how we use your data (this notice); (b) access your personal data and receive a copy; (c) have inaccurate data corrected (rectification); (d) have your data erased in certain circumstances; (e) restrict our processing in certain circumstances; (f) receive data you gave us in a structured, machine-readable format and have it transmitted to another controller (data portability), where processing is based on consent or contract and carried out by automated means; (g) object to processing based on our legitimate interests; (h) object at any time to direct marketing, in which case we will stop; and (i) not be subject to solely automated decisions with legal or similarly significant effects, as explained in section 5.
9.2 To exercise your rights, contact us at {{privacy_contact_email}}. We may need to verify your identity. We will respond within one month, which may be extended by two further months for complex or numerous requests, in which case we will tell you why. We do not usually charge a fee.

10. SECURITY
10.1 We use appropriate technical and organisational measures to protect your personal data against unauthorised or unlawful processing and accidental loss, destruction or damage, and we will notify you and the Information Commissioner of a personal data breach where the law requires.

11. CHILDREN
11.1 Our services are not directed at children under 13, and we do not knowingly collect their personal data for online services on the basis of consent. {{children_data_statement}}

12. COMPLAINTS
12.1 If you have a concern about how we use your personal data, please contact us first at {{privacy_contact_email}} and we will try to resolve it.
12.2 You also have the right to complain to the Information Commissioner's Office (ICO), the UK supervisory authority for data protection: Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF; telephone 0303 123 1113; website ico.org.uk/make-a-complaint.

13. CHANGES TO THIS NOTICE
13.1 We keep this notice under review. Material changes will be posted on this page and, where appropriate, notified to you by email.
$template$,
'["UK GDPR Articles 13 and 14 transparency information", "Article 6 lawful basis stated for each purpose", "Article 9 and Data Protection Act 2018 Schedule 1 conditions for special category data", "Legitimate interests identified and balanced", "PECR 2003 consent and soft opt-in for electronic marketing", "Articles 15 to 22 data subject rights, including absolute right to object to direct marketing", "Article 12(3) one-month response time", "Article 22 automated decision-making safeguards", "Chapter V international transfer safeguards", "Retention periods", "Right to complain to the Information Commissioner"]'::jsonb,
$template$Written for the UK GDPR and the Data Protection Act 2018 (UK-wide), with the Privacy and Electronic Communications (EC Directive) Regulations 2003 for marketing and cookies. Articles 13 and 14 of the UK GDPR list what must be provided: controller identity and contact details, any data protection officer, purposes and lawful basis, legitimate interests relied on, recipients, international transfers and safeguards, retention periods, data subject rights, the right to withdraw consent and to complain to the Information Commissioner, whether providing data is a statutory or contractual requirement, automated decision-making, and (where data is not collected from the individual) the categories and sources of data. Replace every placeholder with specific, accurate information: a privacy notice that does not match what you actually do is itself a breach of the transparency principle. Electronic marketing to individuals needs consent unless the soft opt-in in regulation 22 of the 2003 Regulations applies. Section 9 of the Data Protection Act 2018 sets 13 as the age at which a child can consent to online services; follow the ICO Age Appropriate Design Code if children are likely to use your online service. Most controllers must pay the data protection fee under the Data Protection (Charges and Information) Regulations 2018. Check the amendments made by the Data (Use and Access) Act 2025 as they are commenced (for example on complaints handling, automated decision-making and recognised legitimate interests). Use a separate notice for employees and job applicants. This template is a starting point, not legal advice: take advice from a qualified lawyer or data protection specialist before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "sole_trader", "charity", "consumer_facing"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 20. Consumer Terms for Services
('01954f00-fa38-749e-92b8-1a1ea519a523', NULL, 'Terms and Conditions for Services to Consumers', 'consumer', 'consumer_services_terms',
$template$Plain-English terms for a business supplying services to consumers (trades, repairs, tuition, events, cleaning, wellbeing), with the Consumer Rights Act 2015 rights summary, the 14-day cancellation right and a model cancellation form.$template$,
$template$TERMS AND CONDITIONS FOR THE SUPPLY OF SERVICES TO CONSUMERS

1. THESE TERMS
1.1 These terms tell you who we are, how we will provide services to you, how you and we may change or end the contract, what to do if there is a problem, and other important information. If you think there is a mistake in these terms, please contact us to discuss it.
1.2 These terms apply only if you are a consumer, that is an individual acting for purposes wholly or mainly outside your trade, business, craft or profession.

2. INFORMATION ABOUT US AND HOW TO CONTACT US
2.1 We are {{trader_name}}, a company registered in England and Wales under company number {{company_number}}, with our registered office at {{registered_office_address}}. Our VAT number is {{vat_number}}.
2.2 You can contact us by telephone on {{contact_phone}} or by email at {{contact_email}}. If we need to contact you, we will do so by telephone or by writing to the email or postal address you gave us.

3. OUR CONTRACT WITH YOU
3.1 Our acceptance of your order takes place when we write to you to accept it, at which point a contract comes into existence between you and us. If we cannot accept your order, we will tell you so and will not charge you.
3.2 The services are: {{services_description}}. The description of the services and any information we gave you about them before the contract was made are binding on us, unless we agreed a change with you.

4. CHANGES
4.1 If you wish to change the services you have ordered, please contact us. We will tell you about any change to the price, timing or anything else that the change would cause, and ask you to confirm whether you want to go ahead.
4.2 We may make minor changes to the services to reflect changes in relevant laws and regulatory requirements, or to make minor technical adjustments that will not affect your use of the services. We will tell you before making any more significant change; you may then contact us to end the contract before the change takes effect and receive a refund for any services paid for but not received.

5. PROVIDING THE SERVICES
5.1 We will begin the services on {{service_start_date}} and expect to complete them by {{estimated_completion_date}}. If we did not agree a time, we will carry out the services within a reasonable time.
5.2 If our supply of the services is delayed by an event outside our control, we will contact you as soon as possible to tell you and take steps to minimise the effect of the delay. If there is a risk of substantial delay you may contact us to end the contract and receive a refund for any services paid for but not received.
5.3 We will need certain information or access from you to provide the services: {{customer_requirements}}. If you do not provide it within a reasonable time of our asking, we may end the contract or make an additional charge of a reasonable sum to compensate us for any extra work required.
5.4 When we provide the services at your property, we will make good any damage to your property that we cause while doing so.

6. YOUR RIGHTS TO END THE CONTRACT
6.1 You may end the contract immediately, and receive a full refund for any services not provided, if: (a) we have told you about an upcoming change to the services or these terms that you do not agree to; (b) we have told you about an error in the price or description of the services and you do not wish to proceed; (c) there is a risk that supply of the services may be significantly delayed because of events outside our control; or (d) you have a legal right to end the contract because of something we have done wrong.
6.2 If you made the contract with us online, by telephone, by post or away from our business premises, you have a legal right to change your mind within 14 days and receive a refund. The 14-day period starts on the day after the contract is made. We will not start the services during the cancellation period unless you expressly ask us to. If you ask us to start and then cancel, you must pay for the services provided up to the time you tell us you are cancelling. If the services are completed within the 14 days at your express request, you lose the right to cancel once they are fully performed, and we will ask you to acknowledge this when you ask us to start.
6.3 Even if we are not at fault and you do not have a right to change your mind, you can still end the contract before it is completed, but you may have to pay us reasonable compensation for the net costs we will incur as a result, which we will explain to you.

7. HOW TO END THE CONTRACT AND GET A REFUND
7.1 To end the contract, call us on {{contact_phone}}, email us at {{contact_email}}, or use the cancellation form below, giving your name, address, details of the order and your telephone number and email address.
7.2 We will refund you the price you paid for the services, by the method you used for payment, within 14 days of the day on which you told us you had changed your mind (less any amount due under clause 6.2 for services already provided). We will not charge a fee for the refund.

8. OUR RIGHTS TO END THE CONTRACT
8.1 We may end the contract at any time by writing to you if you do not make any payment to us when it is due and still do not pay within 14 days of our reminding you, or you do not, within a reasonable time of our asking, provide information or access that we need. If we end the contract in those situations, we will refund any money you have paid in advance for services we have not provided, but we may deduct or charge you reasonable compensation for the net costs we incur as a result.

9. IF THERE IS A PROBLEM WITH THE SERVICES
9.1 If you have any questions or complaints, please contact {{complaints_contact}}. {{alternative_dispute_resolution}}
9.2 Summary of your key legal rights. We are under a legal duty to supply services that are in conformity with this contract. The Consumer Rights Act 2015 says: you can ask us to repeat or fix a service if it is not carried out with reasonable care and skill, or get some money back if we cannot fix it; if you have not agreed a price upfront, what you are asked to pay must be reasonable; and if you have not agreed a time upfront, the service must be carried out within a reasonable time. Nothing in these terms affects these legal rights. For detailed information, visit the Citizens Advice website or call 0808 223 1133.

10. PRICE AND PAYMENT
10.1 The price of the services is {{price}}, which includes VAT at the current rate. If the rate of VAT changes between the date of your order and the date we supply the services, we will adjust the rate of VAT you pay unless you have already paid in full.
10.2 Payment terms: {{payment_terms}}. If you do not make a payment on time, we may charge interest on the overdue amount at {{late_payment_interest_rate}} per cent a year above the Bank of England base rate from time to time, but not on any amount you dispute in good faith while the dispute is being resolved.
10.3 If we discover an obvious error in the price of the services, we will contact you to ask whether you want to continue at the correct price or cancel.

11. OUR RESPONSIBILITY FOR LOSS OR DAMAGE SUFFERED BY YOU
11.1 If we fail to comply with these terms, we are responsible for loss or damage you suffer that is a foreseeable result of our breach or our failing to use reasonable care and skill. Loss or damage is foreseeable if either it is obvious that it will happen or, at the time the contract was made, both we and you knew it might happen.
11.2 We do not exclude or limit in any way our liability to you where it would be unlawful to do so. This includes liability for death or personal injury caused by our negligence or the negligence of our employees, agents or subcontractors; for fraud or fraudulent misrepresentation; and for breach of your legal rights in relation to the services, as summarised in clause 9.2.
11.3 We only supply the services for domestic and private use. We have no liability to you for any loss of profit, loss of business, business interruption or loss of business opportunity.

12. HOW WE USE YOUR PERSONAL INFORMATION
12.1 We will only use your personal information as set out in our privacy notice at {{privacy_notice_url}}.

13. OTHER IMPORTANT TERMS
13.1 We may transfer our rights and obligations under these terms to another organisation and will tell you if we do; if you are unhappy you may end the contract and receive a refund for services not provided. You may transfer your rights only with our written agreement.
13.2 This contract is between you and us. No other person has any right to enforce any of its terms under the Contracts (Rights of Third Parties) Act 1999.
13.3 Each paragraph of these terms operates separately. If any court decides that any of them are unlawful, the remaining paragraphs remain in full force. If we do not insist immediately that you do anything you are required to do, we can still require you to do it later.
13.4 These terms are governed by the law of England and Wales and you can bring legal proceedings in respect of the services in the English courts. If you live in Scotland you can bring legal proceedings in either the Scottish or the English courts. If you live in Northern Ireland you can bring legal proceedings in either the Northern Irish or the English courts.

MODEL CANCELLATION FORM
(Complete and return this form only if you wish to cancel the contract.)
To {{trader_name}}, {{registered_office_address}}, {{contact_email}}:
I/We [*] hereby give notice that I/We [*] cancel my/our [*] contract for the supply of the following service [*],
Ordered on [*] / received on [*],
Name of consumer(s),
Address of consumer(s),
Signature of consumer(s) (only if this form is notified on paper),
Date
[*] Delete as appropriate.
$template$,
'["Consumer Rights Act 2015 sections 49 to 52: reasonable care and skill, binding information, reasonable price and time", "Consumer Rights Act 2015 repeat performance and price reduction remedies", "Consumer Rights Act 2015 Part 2 fairness and transparency", "Consumer Contracts (Information, Cancellation and Additional Charges) Regulations 2013 14-day cancellation right", "Express request and proportionate payment for services started in the cancellation period", "Model cancellation form", "Refund within 14 days", "Trader identity and contact information", "Consumer forum rights for Scotland and Northern Ireland residents", "No exclusion of non-excludable liability"]'::jsonb,
$template$For consumers in the United Kingdom, governed by the law of England and Wales with local forum rights in Scotland and Northern Ireland. Part 1 of the Consumer Rights Act 2015 implies into every trader-to-consumer services contract that the service will be performed with reasonable care and skill (section 49), that information given about the trader or the service is binding (section 50), and, where not agreed, a reasonable price (section 51) and a reasonable time (section 52); the consumer's remedies are repeat performance and price reduction, and these rights cannot be excluded (section 57). Part 2 of the Act makes unfair terms unenforceable against consumers and requires terms to be transparent and prominent. For contracts made at a distance or off premises, the Consumer Contracts (Information, Cancellation and Additional Charges) Regulations 2013 require pre-contract information, a 14-day cancellation period (extended by up to 12 months if the consumer is not told of it), the consumer's express request before services start within that period, and the model cancellation form; refunds are due within 14 days. Traders covered by an alternative dispute resolution scheme must name it (the Alternative Dispute Resolution for Consumer Disputes Regulations 2015), and service providers must give certain information under the Provision of Services Regulations 2009. The Digital Markets, Competition and Consumers Act 2024 now governs unfair commercial practices and will add rules on consumer subscription contracts once commenced. Check that any late-payment interest rate is fair. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "sole_trader", "consumer_facing", "startup"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 21. Consumer Terms of Sale for Goods (online shop)
('01954f00-fe20-7a32-b6d8-b08cf4368c8e', NULL, 'Terms and Conditions for Online Sales of Goods to Consumers', 'consumer', 'consumer_goods_terms',
$template$Terms of sale for an online shop selling goods to consumers, covering ordering, delivery, risk, the 14-day right to cancel, returns and refunds, and the Consumer Rights Act 2015 rights for faulty goods.$template$,
$template$TERMS AND CONDITIONS FOR ONLINE SALES OF GOODS TO CONSUMERS

1. THESE TERMS
1.1 These terms apply to the sale of goods by us to you through {{website_url}}. Please read them carefully before you submit your order. They tell you who we are, how we will provide products to you, how you and we may change or end the contract, what to do if there is a problem and other important information.
1.2 These terms apply only if you are a consumer, that is an individual buying wholly or mainly for purposes outside your trade, business, craft or profession.

2. INFORMATION ABOUT US AND HOW TO CONTACT US
2.1 We are {{trader_name}}, a company registered in England and Wales under company number {{company_number}}, with our registered office at {{registered_office_address}}. Our VAT number is {{vat_number}}.
2.2 You can contact us by telephone on {{contact_phone}} or by email at {{contact_email}}.

3. HOW THE CONTRACT IS FORMED
3.1 To place an order, add products to your basket, go to checkout, enter your delivery and payment details, and review your order on the order summary page, where you can identify and correct any input errors before clicking "Order and pay". Our order process is in English only.
3.2 We will acknowledge receipt of your order by email without undue delay. Our acceptance of your order takes place when we email you to confirm dispatch, at which point a contract comes into existence. We will keep a copy of these terms and your order details, and you can download and print these terms at any time.
3.3 If we cannot accept your order (for example because the product is out of stock or there is an obvious error in the price or description), we will tell you and will not charge you, or will refund you in full.

4. PRODUCTS
4.1 The images of products on our website are for illustrative purposes. Products will match the description on our website at the time of your order. Where products are made to your specification, you are responsible for ensuring the specification is correct.

5. DELIVERY, RISK AND OWNERSHIP
5.1 The costs of delivery will be shown on our website and on your order summary. We will deliver the products {{delivery_timescale}}, and in any event within 30 days after the contract is made unless we agree a different time with you.
5.2 If we miss the agreed delivery date, or fail to deliver within 30 days, and the delivery time was essential (taking into account all the circumstances) or you told us before the contract was made that it was, you may treat the contract as at an end straight away. Otherwise you may give us a new deadline which is reasonable in the circumstances, and if we do not meet it you may end the contract.
5.3 A product is your responsibility from the time it is delivered to the address you gave us or you (or a person you have nominated, other than a carrier we have arranged) collect it. You own a product once we have received payment in full.

6. YOUR RIGHT TO CHANGE YOUR MIND (CANCELLATION)
6.1 For most products bought online you have a legal right to change your mind within 14 days and receive a refund. The 14-day period ends 14 days after the day on which you (or someone you nominate) receive the products; if the products are delivered in separate deliveries, 14 days after the day on which you receive the last delivery.
6.2 You do not have a right to change your mind in respect of: products made to your specifications or clearly personalised; products liable to deteriorate or expire rapidly; sealed products that are not suitable for return for health protection or hygiene reasons if you unseal them after delivery; sealed audio or video recordings or computer software if you unseal them after delivery; and products that become inseparably mixed with other items after delivery.
6.3 To cancel, tell us by calling {{contact_phone}}, emailing {{contact_email}}, or using the cancellation form below. You must then return the products to {{returns_address}} within 14 days of telling us you wish to cancel. {{return_costs_policy}}
6.4 We will refund the price paid for the products and the standard delivery cost you paid (but not any extra cost of a premium delivery method you chose), by the method you used to pay, within 14 days of receiving the products back from you or, if earlier, the day you provide evidence that you have sent them back. We may reduce your refund to reflect any reduction in the value of the products caused by your handling them in a way that would not be permitted in a shop.

7. IF THERE IS A PROBLEM WITH THE PRODUCT
7.1 If you have any questions or complaints, please contact {{complaints_contact}}. {{alternative_dispute_resolution}}
7.2 Summary of your key legal rights. We are under a legal duty to supply products that are in conformity with this contract. The Consumer Rights Act 2015 says goods must be as described, fit for purpose and of satisfactory quality. During the expected life of your product your legal rights entitle you to the following: up to 30 days: if your goods are faulty, then you can get an immediate refund; up to six months: if your goods cannot be repaired or replaced, then you are entitled to a full refund, in most cases; up to six years: if your goods do not last a reasonable length of time you may be entitled to some money back. In Scotland the period is generally five years from when you discover the problem. Nothing in these terms affects these legal rights. For detailed information, visit the Citizens Advice website or call 0808 223 1133.
7.3 If you wish to exercise your legal rights to reject products, you must either return them in person to where you bought them, post them back to us or (if they are not suitable for posting) allow us to collect them from you. We will pay the costs of postage or collection.

8. PRICE AND PAYMENT
8.1 The price of the product (which includes VAT) is the price shown on the order summary page when you placed your order. If we discover an obvious pricing error, we will contact you to ask whether you want to continue at the correct price or cancel.
8.2 We accept {{payment_methods}}. Payment is taken when you place your order. We do not add surcharges for using any payment method.

9. OUR RESPONSIBILITY FOR LOSS OR DAMAGE SUFFERED BY YOU
9.1 If we fail to comply with these terms, we are responsible for loss or damage you suffer that is a foreseeable result of our breaking this contract or our failing to use reasonable care and skill. We are not responsible for any loss or damage that is not foreseeable.
9.2 We do not exclude or limit in any way our liability to you where it would be unlawful to do so. This includes liability for death or personal injury caused by our negligence or that of our employees, agents or subcontractors; for fraud or fraudulent misrepresentation; for breach of your legal rights in relation to the products, as summarised in clause 7.2; and for defective products under the Consumer Protection Act 1987.
9.3 We only supply the products for domestic and private use. We have no liability to you for any loss of profit, loss of business, business interruption or loss of business opportunity.

10. OTHER IMPORTANT TERMS
10.1 We will use your personal information only as set out in our privacy notice at {{privacy_notice_url}}.
10.2 This contract is between you and us. No other person has any right to enforce any of its terms under the Contracts (Rights of Third Parties) Act 1999. If any court decides that any paragraph of these terms is unlawful, the remaining paragraphs remain in full force.
10.3 These terms are governed by the law of England and Wales and you can bring legal proceedings in respect of the products in the English courts. If you live in Scotland you can bring legal proceedings in either the Scottish or the English courts. If you live in Northern Ireland you can bring legal proceedings in either the Northern Irish or the English courts.

MODEL CANCELLATION FORM
(Complete and return this form only if you wish to cancel the contract.)
To {{trader_name}}, {{returns_address}}, {{contact_email}}:
I/We [*] hereby give notice that I/We [*] cancel my/our [*] contract of sale of the following goods [*],
Ordered on [*] / received on [*],
Name of consumer(s),
Address of consumer(s),
Signature of consumer(s) (only if this form is notified on paper),
Date
[*] Delete as appropriate.
$template$,
'["Consumer Rights Act 2015 sections 9 to 11: satisfactory quality, fitness for purpose, as described", "Short-term right to reject (30 days), repair or replacement, price reduction and final right to reject", "Consumer Rights Act 2015 delivery within 30 days and risk passing on delivery", "Consumer Contracts Regulations 2013 14-day cancellation from delivery, exceptions and refund timing", "Refund of standard delivery costs", "Model cancellation form", "Electronic Commerce (EC Directive) Regulations 2002 order process, error correction and acknowledgement", "No payment surcharges", "Consumer Protection Act 1987 product liability preserved", "Consumer forum rights for Scotland and Northern Ireland residents"]'::jsonb,
$template$For online sales of goods to consumers in the United Kingdom, governed by the law of England and Wales with local forum rights in Scotland and Northern Ireland. The Consumer Rights Act 2015 treats goods as supplied subject to terms that they are of satisfactory quality, fit for a particular purpose made known and as described (sections 9 to 11); remedies are the short-term right to reject within 30 days (section 22), repair or replacement (section 23) and price reduction or final right to reject (section 24), with faults appearing within six months presumed present at delivery. Unless agreed otherwise, goods must be delivered without undue delay and within 30 days (section 28) and risk passes when the consumer takes physical possession (section 29). These rights cannot be excluded (section 31). The Consumer Contracts (Information, Cancellation and Additional Charges) Regulations 2013 require pre-contract information, a 14-day cancellation period running from delivery, refunds within 14 days (including standard outbound delivery), and the listed exceptions; they also prohibit charging for pre-ticked extras. The Electronic Commerce (EC Directive) Regulations 2002 require the technical steps to conclude the contract, error-correction and acknowledgement of orders, and the Consumer Rights (Payment Surcharges) Regulations 2012 ban card surcharges. Limitation is six years in England, Wales and Northern Ireland and generally five years in Scotland. The Digital Markets, Competition and Consumers Act 2024 governs unfair commercial practices, including fake reviews and drip pricing. Check product safety and labelling laws for your products. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "sole_trader", "consumer_facing", "startup"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 22. Letter of Engagement (professional services)
('01954f01-0208-7ce3-9502-04a456f17bad', NULL, 'Letter of Engagement', 'commercial', 'letter_of_engagement',
$template$An engagement letter for a professional services firm (consultants, accountants, agencies, surveyors) confirming scope, fees, responsibilities, anti-money laundering checks, liability limits and complaints, for business or consumer clients.$template$,
$template${{firm_name}}
{{firm_address}}

{{letter_date}}

Private and confidential
{{client_name}}
{{client_address}}

Dear {{client_contact_name}},

LETTER OF ENGAGEMENT: {{matter_title}}

Thank you for choosing {{firm_name}} ("we", "us"). This letter and our attached terms of business set out the basis on which we will act for you ("you"). Please read them carefully, and sign and return a copy of this letter to confirm your agreement. If this letter conflicts with our terms of business, this letter prevails.

1. SCOPE OF OUR WORK
1.1 You have asked us to: {{scope_of_services}}.
1.2 Our work does not include: {{excluded_services}}. If you ask us to do additional work, we will agree its scope and fees with you in writing before starting it.
1.3 We will perform our services with reasonable care and skill.

2. YOUR RESPONSIBILITIES
2.1 You will give us complete and accurate information and documents promptly, tell us of any change in your circumstances that may affect our work, and make decisions in good time. We will rely on the information you provide and will not verify it unless we agree to.
2.2 The timetable we have discussed is: {{timetable}}. It depends on your meeting these responsibilities.

3. WHO WILL DO THE WORK
3.1 {{engagement_lead_name}} will be responsible for this engagement and supervise the work, supported by {{team_members}}. We may change the team where necessary and will tell you if we change the person responsible.

4. FEES AND PAYMENT
4.1 Our fees are: {{fee_basis}}. Based on the information we have now, we estimate our fees at {{fee_estimate}} plus VAT and expenses. This is an estimate and not a fixed quote unless we have said it is fixed; we will tell you promptly if it is likely to be exceeded.
4.2 We will also charge for expenses and disbursements we incur on your behalf, such as {{typical_disbursements}}. VAT is payable on our fees and, where applicable, on expenses.
4.3 We will invoice you {{billing_frequency}}. Invoices are payable within {{payment_terms_days}} days. We may ask for {{money_on_account}} on account before starting work.
4.4 If you are a business client and pay late, we may charge statutory interest and compensation under the Late Payment of Commercial Debts (Interest) Act 1998. If you are a consumer, we may charge interest on overdue invoices at {{consumer_interest_rate}} per cent a year above the Bank of England base rate, but not on any amount you dispute in good faith.

5. IDENTITY CHECKS AND MONEY LAUNDERING
5.1 Where our work falls within the Money Laundering, Terrorist Financing and Transfer of Funds (Information on the Payer) Regulations 2017, we must verify the identity of our clients (and, for organisations, their beneficial owners) before we start work, and keep records of our checks. We may ask you for documents and carry out electronic checks for this purpose.
5.2 If we know or suspect money laundering or terrorist financing, we may be required by the Proceeds of Crime Act 2002 or the Terrorism Act 2000 to report it to the National Crime Agency without telling you, and may be unable to continue acting.

6. CONFIDENTIALITY AND DATA PROTECTION
6.1 We will keep your information confidential, except where disclosure is required by law or regulation, or is needed for our professional indemnity insurance, quality reviews by our professional body, or to protect our legitimate interests in a dispute.
6.2 We process personal data in accordance with the UK GDPR and the Data Protection Act 2018, as set out in our privacy notice at {{privacy_notice_url}}. {{data_protection_role_statement}}

7. LIMITATION OF LIABILITY
7.1 Our work is for your benefit only. No third party may rely on it without our written agreement.
7.2 Our total liability to you for all claims arising from this engagement, whether in contract, tort (including negligence), breach of statutory duty or otherwise, is limited to {{liability_cap}}. We are not liable for loss arising from information you provided being incomplete or inaccurate. Nothing in this letter limits or excludes liability for death or personal injury caused by negligence, for fraud, or for any other liability that cannot lawfully be limited, and, if you are a consumer, nothing in it affects your statutory rights.
7.3 We hold professional indemnity insurance with {{insurer_name}}, covering work carried out in {{insurance_territory}}. Details are available on request.

8. CONSUMER CLIENTS: YOUR RIGHT TO CANCEL
8.1 If you are a consumer and this engagement is agreed at a distance (by email, telephone or online) or away from our offices, you may cancel it within 14 days of the day you accept it, without giving any reason, by telling us clearly in writing. We will not start work during that period unless you ask us to in writing; if you do and then cancel, you must pay for the work done up to your cancellation.

9. COMPLAINTS
9.1 If you are unhappy with our service, please contact {{complaints_contact}}. We will acknowledge your complaint within 5 working days and aim to resolve it within 8 weeks. If we cannot resolve it, you may be able to refer it to {{regulator_or_ombudsman}}.

10. ENDING THE ENGAGEMENT
10.1 You may end our engagement at any time by writing to us. We may stop acting for you by giving reasonable written notice, for example if you do not pay our invoices or give us the information we need, or if continuing would breach our professional obligations. In either case you must pay our fees and expenses up to the date the engagement ends.

11. DOCUMENTS
11.1 We will keep our files for {{document_retention_years}} years after the engagement ends and may then destroy them without further notice. Your original documents will be returned to you at the end of the engagement.

12. LAW
12.1 This engagement is governed by the law of England and Wales. The courts of England and Wales have exclusive jurisdiction, except that a consumer resident in Scotland or Northern Ireland may bring proceedings in their local courts.

Yours sincerely,

{{engagement_lead_name}}
For and on behalf of {{firm_name}}

I/We confirm that I/we have read and agree to this letter and the attached terms of business.
Signed: ____________________  Name: {{client_signatory_name}}  For and on behalf of: {{client_name}}  Date: ________
$template$,
'["Supply of Goods and Services Act 1982 and Consumer Rights Act 2015 reasonable care and skill", "Clear scope and exclusions", "Fee estimates and price transparency", "Money Laundering Regulations 2017 client due diligence", "Proceeds of Crime Act 2002 reporting obligations", "Consumer Contracts Regulations 2013 14-day cancellation for consumer clients", "Liability cap with non-excludable carve-outs (Unfair Contract Terms Act 1977)", "Professional indemnity insurance information", "Complaints handling and redress", "Late Payment of Commercial Debts (Interest) Act 1998 for business clients"]'::jsonb,
$template$Governed by the law of England and Wales. For business clients the Supply of Goods and Services Act 1982 implies a duty of reasonable care and skill and any liability cap must be reasonable under the Unfair Contract Terms Act 1977; for consumer clients the Consumer Rights Act 2015 applies (care and skill, binding pre-contract information, fair and transparent terms) and the Consumer Contracts (Information, Cancellation and Additional Charges) Regulations 2013 give a 14-day cancellation right for engagements agreed at a distance or off premises. The Provision of Services Regulations 2009 require service providers to make certain information available (including about insurance, complaints and any regulator) and to respond to complaints. If the firm is in the anti-money laundering regulated sector (for example accountants, tax advisers, estate agents and lawyers), the Money Laundering, Terrorist Financing and Transfer of Funds (Information on the Payer) Regulations 2017 require customer due diligence before the business relationship starts, and the Proceeds of Crime Act 2002 imposes reporting duties. Regulated professions (solicitors, accountants, surveyors, financial advisers) must also follow their regulator's rules on engagement letters, complaints and redress, and some limit or prohibit liability caps; adapt this template to them. Check the document retention period against limitation periods (six years for contract claims, longer for some negligence claims, under the Limitation Act 1980). This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "sole_trader", "partnership", "consumer_facing"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 23. Intellectual Property Assignment (deed)
('01954f01-05f0-7c18-bc73-39b77091f492', NULL, 'Intellectual Property Assignment Deed', 'intellectual_property', 'ip_assignment',
$template$A deed transferring ownership of copyright, designs, trade marks, patents and other intellectual property from a creator, founder or contractor to a company, with moral rights waiver, warranties and further assurance.$template$,
$template$DEED OF ASSIGNMENT OF INTELLECTUAL PROPERTY RIGHTS

This Deed is dated {{assignment_date}}.

PARTIES
(1) {{assignor_name}} of {{assignor_address}} (the "Assignor").
(2) {{assignee_name}}, a company incorporated in England and Wales with company number {{assignee_company_number}}, whose registered office is at {{assignee_address}} (the "Assignee").

BACKGROUND
(A) The Assignor created, or is the owner of, the Works and the Assigned Rights described in the Schedule.
(B) The Assignor has agreed to assign the Assigned Rights to the Assignee on the terms of this Deed.

1. DEFINITIONS
1.1 "Assigned Rights" means all Intellectual Property Rights in the Works, including the registered rights and applications listed in the Schedule, and all rights to apply for registration of any of them; "Intellectual Property Rights" means patents, rights to inventions, copyright and related rights, moral rights, trade marks, business names and domain names, rights in get-up, goodwill and the right to sue for passing off, rights in designs, database rights, rights in computer software, rights to use and protect the confidentiality of confidential information (including know-how and trade secrets), and all other intellectual property rights, in each case registered or unregistered and including applications, renewals and extensions, and all similar rights anywhere in the world; "Works" means {{works_description}}.

2. ASSIGNMENT
2.1 In consideration of the sum of {{consideration_amount}} paid by the Assignee to the Assignor (receipt of which the Assignor acknowledges), the Assignor assigns to the Assignee absolutely, with full title guarantee, all its right, title and interest in and to the Assigned Rights, to the extent that any of them are future rights by way of present assignment of future rights, together with:
(a) the goodwill attaching to any trade marks and business names included in the Assigned Rights;
(b) the right to bring, make, oppose, defend and appeal proceedings, claims or actions, and to obtain relief (including damages and an account of profits), in respect of any infringement or other cause of action arising from ownership of any of the Assigned Rights, whether occurring before, on or after the date of this Deed; and
(c) the right to claim priority from any of the Assigned Rights.

3. MORAL RIGHTS
3.1 The Assignor unconditionally and irrevocably waives, in favour of the Assignee, its licensees and successors in title, all moral rights under Chapter IV of Part I of the Copyright, Designs and Patents Act 1988 in the Works, and so far as legally possible any broadly equivalent rights anywhere in the world, and consents to the Assignee and its successors using and altering the Works without attribution.

4. WARRANTIES
4.1 The Assignor warrants that: (a) it is the sole legal and beneficial owner of the Assigned Rights, free from any licence, charge or other encumbrance; (b) it has not assigned, licensed or otherwise dealt with any of the Assigned Rights; (c) the Works are original to the Assignor and their use will not infringe the rights of any third party; (d) it is not aware of any infringement or challenge to any of the Assigned Rights; and (e) the registered rights in the Schedule are subsisting and all renewal fees due have been paid.

5. FURTHER ASSURANCE AND POWER OF ATTORNEY
5.1 The Assignor shall promptly, at the Assignee's expense, execute all documents and do all acts the Assignee reasonably requires to give full effect to this Deed, including to register the Assignee as proprietor of the registered rights at the UK Intellectual Property Office and any other registry, and to assist in any proceedings relating to the Assigned Rights.
5.2 By way of security for the performance of clause 5.1, the Assignor irrevocably appoints the Assignee as its attorney to execute any such document and do any such act in the Assignor's name.
5.3 The Assignor shall deliver to the Assignee all materials embodying the Works, including source files and source code, within {{delivery_days}} days of the date of this Deed.

6. LICENCE BACK
6.1 {{licence_back}}

7. CONFIDENTIALITY
7.1 The Assignor shall keep confidential all confidential information comprised in the Assigned Rights, and shall not use it except as permitted by the Assignee in writing.

8. GENERAL
8.1 This Deed is the entire agreement between the parties about its subject matter. No variation is effective unless in writing and signed by or on behalf of both parties. If any provision is invalid, the rest of this Deed is unaffected.
8.2 No one other than the parties and the Assignee's successors in title has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce this Deed.
8.3 This Deed and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales, and the courts of England and Wales have exclusive jurisdiction.

SCHEDULE - THE WORKS AND REGISTERED RIGHTS
Works: {{works_description}}
Registered rights and applications (type, territory, number): {{registered_rights}}

This document has been executed as a deed and is delivered and takes effect on the date stated at the beginning of it.

SIGNED AS A DEED by {{assignor_name}} in the presence of:
Signature: ____________________
Witness signature: ____________________  Witness name: {{witness_name}}  Witness address: {{witness_address}}

EXECUTED AS A DEED by {{assignee_name}} acting by {{assignee_director_name}}, a director, in the presence of:
Director signature: ____________________
Witness signature: ____________________  Witness name: ____________________  Witness address: ____________________
$template$,
'["Copyright, Designs and Patents Act 1988 section 90(3) assignment in signed writing", "Section 91 present assignment of future copyright", "Section 87 moral rights waiver", "Patents Act 1977 and Trade Marks Act 1994 written assignment and registration", "Right to sue for past infringements assigned", "Goodwill assigned with trade marks", "Full title guarantee covenants", "Further assurance and security power of attorney (Powers of Attorney Act 1971)", "Execution as a deed (Law of Property (Miscellaneous Provisions) Act 1989, Companies Act 2006)"]'::jsonb,
$template$Governed by the law of England and Wales. An assignment of copyright must be in writing signed by or on behalf of the assignor (section 90(3) of the Copyright, Designs and Patents Act 1988); future copyright may be assigned in advance (section 91); moral rights cannot be assigned but can be waived in writing signed by the author (section 87). Assignments of patents and applications must be in writing signed by the assignor (section 30(6) of the Patents Act 1977), as must assignments of registered trade marks (section 24(3) of the Trade Marks Act 1994); register the assignment at the UK Intellectual Property Office promptly, as an unregistered transaction may not bind a later purchaser and can affect the recovery of costs in infringement proceedings (section 33 of the 1977 Act and section 25 of the 1994 Act). Registered designs follow the Registered Designs Act 1949, and database right the Copyright and Rights in Databases Regulations 1997. Executing as a deed avoids any question about consideration: an individual signs in the presence of a witness who attests (Law of Property (Miscellaneous Provisions) Act 1989, section 1), and a company executes under sections 44 and 46 of the Companies Act 2006. A power of attorney given as security is irrevocable under the Powers of Attorney Act 1971. Registered rights outside the United Kingdom may need local confirmatory assignments. Employees' work made in the course of employment already belongs to the employer (section 11(2) of the 1988 Act), but founders, directors without service contracts and contractors need an assignment like this one. In Scotland, deeds and witnessing follow the Requirements of Writing (Scotland) Act 1995; adapt the execution blocks. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["startup", "sme", "enterprise", "sole_trader"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 24. Commercial Lease Heads of Terms
('01954f01-09d8-7619-b1e7-6e15124f474c', NULL, 'Commercial Lease Heads of Terms', 'property', 'commercial_lease_heads_of_terms',
$template$Non-binding heads of terms for a new lease of commercial premises in England and Wales (office, shop, industrial), following the Code for Leasing Business Premises, for landlords, tenants and their agents.$template$,
$template$HEADS OF TERMS FOR A LEASE OF COMMERCIAL PREMISES
SUBJECT TO CONTRACT

Date: {{heads_of_terms_date}}

These heads of terms record the principal terms agreed for a new lease. They are not legally binding (except paragraphs 24 and 25) and no lease or agreement for lease will exist until a formal lease is completed.

1. PROPERTY
{{property_address}}: {{property_description}}, registered at HM Land Registry under title number {{title_number}}, with a net internal area of approximately {{floor_area}} square feet, together with {{car_parking_and_rights}}.

2. LANDLORD
{{landlord_name}} (company number {{landlord_company_number}}) of {{landlord_address}}. Solicitors: {{landlord_solicitors}}. Agent: {{landlord_agent}}.

3. TENANT
{{tenant_name}} (company number {{tenant_company_number}}) of {{tenant_address}}. Solicitors: {{tenant_solicitors}}. Agent: {{tenant_agent}}.

4. GUARANTOR AND RENT DEPOSIT
Guarantor: {{guarantor_details}}. Rent deposit: {{rent_deposit_amount}} (equivalent to {{rent_deposit_months}} months' rent plus VAT), held in a designated account under a rent deposit deed, with interest for the Tenant, and released {{rent_deposit_release_conditions}}.

5. TERM
A term of {{lease_term_years}} years from and including {{term_commencement_date}}.

6. RENT
{{annual_rent}} a year exclusive of VAT, business rates, service charge, insurance and utilities, payable {{rent_payment_frequency}} in advance on {{rent_payment_dates}}. Rent-free period: {{rent_free_period}}.

7. RENT REVIEW
{{rent_review_basis}} on {{rent_review_dates}}. Any review to open market rent shall be on standard assumptions and disregards, with disputes resolved by an independent surveyor acting as {{rent_review_expert_or_arbitrator}}.

8. VAT
{{vat_position}} (state whether the Landlord has opted to tax the Property, and so whether VAT is payable on the rent and other sums).

9. TENANT'S BREAK OPTION
{{break_option}}. The Tenant may break on giving at least {{break_notice_months}} months' written notice. The break is conditional only on the Tenant having paid the principal rent due up to the break date and giving up occupation, leaving no tenants or occupiers behind.

10. SECURITY OF TENURE
{{security_of_tenure}} (state whether the lease is to be excluded from the security of tenure provisions of sections 24 to 28 of the Landlord and Tenant Act 1954). If it is to be excluded, the Landlord shall serve a warning notice on the Tenant at least 14 days before the Tenant enters into the lease (or the Tenant becomes contractually bound to do so), and the Tenant shall make a simple declaration; if less notice is given, the Tenant shall make a statutory declaration before a solicitor or other person authorised to administer oaths.

11. PERMITTED USE
{{permitted_use}}, being within Class {{use_class}} of the Town and Country Planning (Use Classes) Order 1987, or such other use within that class as the Landlord approves (approval not to be unreasonably withheld). The Landlord gives no warranty that the use is lawful under planning law; the Tenant should satisfy itself.

12. REPAIR AND DECORATION
{{repairing_obligation}}. The Tenant's repairing obligation shall be limited by reference to a photographic schedule of condition prepared at {{schedule_of_condition_cost_responsibility}} cost and agreed before completion: {{schedule_of_condition}}. The Tenant shall redecorate in the last year of the term.

13. SERVICE CHARGE
The Tenant shall pay a fair and reasonable proportion of the cost of services provided by the Landlord. Estimated service charge for the current year: {{service_charge_estimate}}. {{service_charge_cap}} The service charge will be operated in accordance with the RICS professional statement on service charges in commercial property, and will not include the cost of remedying inherent defects or of improvements beyond repair.

14. INSURANCE
The Landlord shall insure the building against the usual insured risks (including terrorism, where available) and the Tenant shall reimburse a fair proportion of the premium. If the Property is damaged by an insured risk so as to be unfit for occupation or use, rent and service charge shall be suspended until it is reinstated, and either party may terminate the lease if reinstatement is not complete within {{reinstatement_period}}.

15. ALIENATION
Assignment of the whole permitted with the Landlord's consent, not to be unreasonably withheld; the Tenant shall enter into an authorised guarantee agreement under the Landlord and Tenant (Covenants) Act 1995 only where reasonable. Underletting of the whole or {{underletting_of_parts}} permitted with consent, at not less than the passing rent or market rent, on leases excluded from the 1954 Act. Group company sharing permitted without consent, on notice.

16. ALTERATIONS
Internal non-structural alterations permitted without consent, subject to notice. Other alterations with the Landlord's consent, not to be unreasonably withheld. Reinstatement at the end of the term only if the Landlord reasonably requires it.

17. ENERGY PERFORMANCE AND SUSTAINABILITY
The Property has an Energy Performance Certificate rating of {{epc_rating}}. The Landlord confirms that letting the Property complies with the Energy Efficiency (Private Rented Property) (England and Wales) Regulations 2015. The parties agree to share energy and utilities data and co-operate on reasonable measures to improve energy performance: {{green_lease_provisions}}.

18. LANDLORD'S WORKS AND FIT-OUT
{{landlord_works}}. Access for fit-out before the term starts: {{early_access_terms}}.

19. COSTS
{{legal_costs_arrangement}}. The Tenant pays any stamp duty land tax (or land transaction tax in Wales) and Land Registry fees on the lease.

20. CONDITIONS
The letting is subject to contract, satisfactory references and accounts, the Landlord's mortgagee's consent (if required), {{other_conditions}}.

21. TIMETABLE
The parties intend to exchange and complete by {{target_completion_date}}.

22. CODE FOR LEASING BUSINESS PREMISES
The parties acknowledge that these heads of terms have been prepared having regard to the Code for Leasing Business Premises in England and Wales. A party that is not professionally represented is strongly recommended to take professional advice before agreeing them, and may find the Code's guidance for occupiers helpful.

23. REGISTRATION
A lease granted for more than seven years must be registered at HM Land Registry; the Tenant shall apply for registration promptly after completion.

24. CONFIDENTIALITY (BINDING)
The parties shall keep these heads of terms and the negotiations confidential, except as required to their professional advisers, funders and as required by law.

25. EXCLUSIVITY (BINDING, IF COMPLETED)
{{exclusivity_period}}

Signed for the Landlord: ____________________  Signed for the Tenant: ____________________
$template$,
'["Subject to contract: non-binding except confidentiality and any exclusivity (Law of Property (Miscellaneous Provisions) Act 1989 section 2)", "Landlord and Tenant Act 1954 Part II contracting-out procedure", "Code for Leasing Business Premises (England and Wales) heads of terms content and advice recommendation", "Landlord and Tenant (Covenants) Act 1995 authorised guarantee agreements", "Minimum energy efficiency standards (Energy Efficiency (Private Rented Property) Regulations 2015)", "Town and Country Planning (Use Classes) Order 1987 use class", "RICS service charge professional statement", "Land registration of leases over seven years", "Stamp duty land tax or Welsh land transaction tax"]'::jsonb,
$template$For commercial leases of property in England and Wales. Heads of terms are expressly subject to contract; a contract for the grant of a lease must in any case be in a single signed document containing all the terms (section 2 of the Law of Property (Miscellaneous Provisions) Act 1989), so only the confidentiality and exclusivity paragraphs are intended to bind, and an exclusivity agreement needs consideration or execution as a deed to be enforceable. Business tenants have security of tenure under Part II of the Landlord and Tenant Act 1954 unless the lease is contracted out using the warning notice and declaration procedure in the Regulatory Reform (Business Tenancies) (England and Wales) Order 2003, which must be completed before the tenant is bound. The RICS professional statement Code for Leasing Business Premises (first edition, 2020) is mandatory for RICS members and sets out what heads of terms should cover. Check minimum energy efficiency standards under the Energy Efficiency (Private Rented Property) (England and Wales) Regulations 2015, planning use under the Town and Country Planning (Use Classes) Order 1987, authorised guarantee agreements under the Landlord and Tenant (Covenants) Act 1995, stamp duty land tax under the Finance Act 2003 (land transaction tax in Wales) and registration under the Land Registration Act 2002. Commercial property law is changing (including proposals on upward-only rent reviews and reform of the 1954 Act); check the current position. Do not use in Scotland (Scots law of leases, no 1954 Act, land and buildings transaction tax) or Northern Ireland (the Business Tenancies (Northern Ireland) Order 1996). For residential lettings use a residential tenancy; this template does not cover them. This template is a starting point, not legal advice: take advice from a qualified lawyer or surveyor before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "charity"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 25. Subcontractor Agreement
('01954f01-0dc0-7855-85dd-cb9402a5bac3', NULL, 'Subcontractor Agreement', 'commercial', 'subcontractor_agreement',
$template$A back-to-back agreement under which a contractor engages a subcontractor to perform part of the work it has agreed to do for its own client, with flow-down obligations, payment notices, retention, insurance and Construction Act provisions where the work is construction operations.$template$,
$template$SUBCONTRACT AGREEMENT

This Agreement is dated {{agreement_date}}.

PARTIES
(1) {{contractor_name}}, a company incorporated in England and Wales with company number {{contractor_company_number}}, whose registered office is at {{contractor_address}} (the "Contractor").
(2) {{subcontractor_name}}, a company incorporated in England and Wales with company number {{subcontractor_company_number}}, whose registered office is at {{subcontractor_address}} (the "Subcontractor").

BACKGROUND
The Contractor has contracted with {{end_client_name}} (the "Client") under {{head_contract_reference}} (the "Head Contract") and wishes to engage the Subcontractor to perform part of the work under it.

1. DEFINITIONS
1.1 "Subcontract Works" means {{subcontract_works_description}}; "Site" means {{site_address}}; "Subcontract Price" means {{subcontract_price}}; "Programme" means the programme in the Schedule; "Construction Act" means Part II of the Housing Grants, Construction and Regeneration Act 1996.

2. APPOINTMENT AND HEAD CONTRACT
2.1 The Contractor engages the Subcontractor to carry out and complete the Subcontract Works in accordance with this Agreement.
2.2 The Subcontractor has received copies of the relevant parts of the Head Contract (excluding prices) and shall perform the Subcontract Works so that no act or omission of the Subcontractor causes or contributes to any breach by the Contractor of the Head Contract, and shall observe the Client's site rules and reasonable instructions passed on by the Contractor.

3. STANDARD OF WORK
3.1 The Subcontractor shall carry out the Subcontract Works with the reasonable skill, care and diligence to be expected of a properly qualified and competent subcontractor experienced in work of a similar nature, in accordance with good industry practice, the specification, and all applicable laws, using materials of satisfactory quality.
3.2 The Subcontractor shall comply with the Health and Safety at Work etc. Act 1974 and, where the Subcontract Works are construction work, the Construction (Design and Management) Regulations 2015, and shall co-operate with the principal contractor and principal designer.
3.3 The Subcontractor shall use only competent, suitably trained personnel, each of whom has the right to work in the United Kingdom, and remains responsible for all its personnel and any sub-subcontractors, whom it may not appoint without the Contractor's written consent.

4. PROGRAMME
4.1 The Subcontractor shall start the Subcontract Works on {{start_date}} and complete them by {{completion_date}}, in accordance with the Programme.
4.2 If the Subcontractor is delayed by an act or omission of the Contractor or the Client, or by an event for which the Contractor receives an extension of time under the Head Contract, the Contractor shall grant a fair and reasonable extension of time, provided the Subcontractor notifies the delay promptly.
4.3 If the Subcontractor fails to complete by the completion date (as extended), it shall pay or allow the Contractor delay damages of {{delay_damages_rate}} for each week of delay, up to a maximum of {{delay_damages_cap}}, which the parties agree is a proportionate protection of the Contractor's legitimate interest in timely completion.

5. PAYMENT
5.1 The Subcontractor may submit an application for payment {{payment_application_frequency}}, stating the sum it considers due and the basis of calculation. The due date for each payment is {{due_date_days}} days after receipt of the application, and the final date for payment is {{final_payment_days}} days after the due date.
5.2 Within 5 days after each due date, the Contractor shall issue a payment notice stating the sum it considers due (which may be zero) and the basis on which it is calculated. If the Contractor intends to pay less than the notified sum, it shall give a pay less notice no later than {{pay_less_notice_days}} days before the final date for payment, stating the sum it considers due and the basis of calculation.
5.3 Payment is not conditional on the Contractor receiving payment under the Head Contract, or on the performance of any obligation under any other contract, except to the extent permitted by section 113 of the Housing Grants, Construction and Regeneration Act 1996 in the event of the Client's insolvency.
5.4 The Contractor may retain {{retention_percent}} per cent of each payment, half of which shall be released on completion of the Subcontract Works and the remainder at the end of the defects period of {{defects_period_months}} months.
5.5 Where the Construction Industry Scheme applies, the Contractor shall make the deductions required by the Finance Act 2004 and give the Subcontractor a statement of deductions. VAT (including the domestic reverse charge for construction services, where it applies) shall be accounted for as the law requires.
5.6 Interest on late payment accrues under the Late Payment of Commercial Debts (Interest) Act 1998. If a sum due is not paid in full by the final date for payment and no effective pay less notice has been given, the Subcontractor may suspend performance on giving at least 7 days' written notice stating the grounds, and is entitled to a reasonable extension of time and its reasonable costs of suspension and remobilisation.

6. VARIATIONS
6.1 The Subcontractor shall not vary the Subcontract Works except on the Contractor's written instruction. Variations are valued at the rates in the Schedule or, where none apply, at fair rates and prices.

7. DEFECTS
7.1 The Subcontractor shall make good at its own cost any defects in the Subcontract Works that appear before the end of the defects period and are due to materials or workmanship not in accordance with this Agreement, within a reasonable time of being notified.

8. INSURANCE
8.1 The Subcontractor shall maintain employer's liability insurance as required by the Employers' Liability (Compulsory Insurance) Act 1969 of at least {{employers_liability_cover}}, public liability insurance of at least {{public_liability_cover}} per event, and (where it carries out design) professional indemnity insurance of at least {{professional_indemnity_cover}}, and shall produce evidence of cover on request.

9. INDEMNITY AND LIABILITY
9.1 The Subcontractor shall indemnify the Contractor against losses, liabilities and costs (including liabilities to the Client under the Head Contract) to the extent caused by the Subcontractor's breach of this Agreement, negligence or breach of statutory duty.
9.2 Nothing in this Agreement limits liability for death or personal injury caused by negligence, fraud, or any liability that cannot lawfully be limited. Subject to that, neither party is liable for indirect or consequential loss (other than liabilities to the Client under clause 9.1), and the Subcontractor's total liability is limited to {{liability_cap}}.

10. INTELLECTUAL PROPERTY, CONFIDENTIALITY AND DATA
10.1 Intellectual property rights in documents and designs produced by the Subcontractor for the Subcontract Works are assigned to the Contractor (or, where the Head Contract requires, licensed to the Contractor and the Client) on creation. Each party shall keep the other's confidential information confidential and comply with the UK GDPR and the Data Protection Act 2018.

11. TERMINATION
11.1 The Contractor may terminate this Agreement by written notice if the Subcontractor commits a material breach and fails to remedy it within 7 days of notice, becomes insolvent, or if the Head Contract is terminated. On termination under this clause (other than for the Subcontractor's default) the Contractor shall pay for work properly done and materials properly ordered up to termination.

12. DISPUTES
12.1 Either party may refer a dispute to adjudication at any time. The adjudication provisions of the Scheme for Construction Contracts (England and Wales) Regulations 1998 apply, and the adjudicator shall be nominated by {{adjudicator_nominating_body}}. A decision of the adjudicator is binding until the dispute is finally determined by the courts or by agreement.
12.2 Subject to clause 12.1, the courts of England and Wales have exclusive jurisdiction.

13. COMPLIANCE AND GENERAL
13.1 Each party shall comply with the Bribery Act 2010 and the Modern Slavery Act 2015. The Subcontractor may not assign this Agreement. This Agreement is the entire agreement between the parties about its subject matter; variations to its terms must be in writing and signed by both. No one other than the parties has any right under the Contracts (Rights of Third Parties) Act 1999 to enforce it.
13.2 This Agreement and any dispute or claim (including non-contractual disputes or claims) arising out of or in connection with it are governed by the law of England and Wales.

SCHEDULE
Programme: {{programme}}
Rates for variations: {{schedule_of_rates}}

SIGNED for and on behalf of {{contractor_name}} by {{contractor_signatory_name}}: ____________________  Date: ________
SIGNED for and on behalf of {{subcontractor_name}} by {{subcontractor_signatory_name}}: ____________________  Date: ________
$template$,
'["Housing Grants, Construction and Regeneration Act 1996 Part II payment mechanism: due dates, final date, payment and pay less notices", "Prohibition of pay-when-paid (section 113) respected", "Statutory right to suspend for non-payment", "Adjudication at any time under the Scheme for Construction Contracts", "Construction (Design and Management) Regulations 2015 and Health and Safety at Work etc. Act 1974", "Construction Industry Scheme deductions (Finance Act 2004) and VAT reverse charge", "Employers Liability (Compulsory Insurance) Act 1969 cover", "Back-to-back flow-down of head contract obligations", "Late Payment of Commercial Debts (Interest) Act 1998", "Bribery Act 2010 and Modern Slavery Act 2015 compliance"]'::jsonb,
$template$Governed by the law of England and Wales. If the Subcontract Works are construction operations within section 105 of the Housing Grants, Construction and Regeneration Act 1996 (as amended by Part 8 of the Local Democracy, Economic Development and Construction Act 2009), Part II of that Act applies: a right to refer disputes to adjudication at any time (section 108), an adequate mechanism for determining what payments become due and when, with payment and pay less notices (sections 109 to 111), a statutory right to suspend for non-payment (section 112), and a ban on pay-when-paid clauses except on upstream insolvency (section 113); if the contract does not comply, the Scheme for Construction Contracts (England and Wales) Regulations 1998 fills the gaps. This template follows those rules, and they also work for non-construction subcontracts. Check the Construction (Design and Management) Regulations 2015, the Construction Industry Scheme (Finance Act 2004), the VAT domestic reverse charge for building and construction services, compulsory employer's liability insurance (Employers' Liability (Compulsory Insurance) Act 1969) and, for higher-risk buildings, the Building Safety Act 2022. Delay damages must protect a legitimate interest and be proportionate, or they may be an unenforceable penalty; the liability cap must be reasonable under the Unfair Contract Terms Act 1977. Scotland has its own Scheme for Construction Contracts and Northern Ireland its own construction contracts legislation (the Construction Contracts (Northern Ireland) Order 1997); adapt clause 12 and the governing law there. This template is a starting point, not legal advice: take advice from a qualified lawyer before relying on it.$template$,
1, true, '["sme", "enterprise", "sole_trader"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00'),

-- 26. Cookie Policy
('01954f01-11a8-7b0b-a043-0492d0000a92', NULL, 'Cookie Policy', 'website', 'cookie_policy',
$template$A cookie policy explaining the cookies and similar technologies a website or app uses, which need consent, and how users can accept, refuse or withdraw consent, as required by regulation 6 of PECR.$template$,
$template$COOKIE POLICY

Last updated: {{last_updated_date}}

This policy explains how {{company_name}} ("we", "us") uses cookies and similar technologies on {{website_url}} (the "Site"). It should be read with our Privacy Notice at {{privacy_notice_url}}.

1. WHAT COOKIES ARE
1.1 A cookie is a small text file that a website stores on your computer or mobile device when you visit it. Similar technologies include pixels (web beacons), local storage, software development kits in apps, and device fingerprinting. In this policy "cookies" covers all of them.
1.2 Cookies set by us are "first-party" cookies. Cookies set by other organisations, such as analytics or advertising providers, are "third-party" cookies. Session cookies are deleted when you close your browser; persistent cookies remain until they expire or you delete them.

2. HOW WE ASK FOR YOUR CONSENT
2.1 The law requires us to ask for your consent before we store or access information on your device, unless it is strictly necessary to provide the service you have requested. When you first visit the Site, our cookie banner lets you accept or reject non-essential cookies, with options that are equally easy to use. We do not set non-essential cookies unless you accept them.
2.2 You can change your choices at any time by clicking {{cookie_settings_link}} at the foot of every page. Withdrawing consent does not affect the lawfulness of our use of cookies before you withdrew it.
2.3 We keep a record of your choices (in a strictly necessary cookie) so that we do not ask you again on every visit; we will ask you again after {{consent_refresh_period}} or if we make significant changes to the cookies we use.

3. THE COOKIES WE USE
3.1 Strictly necessary cookies. These are required for the Site to work, for example to keep you logged in, remember your basket, balance load and keep the Site secure, and to remember your cookie choices. They do not need your consent. {{strictly_necessary_cookies}}
3.2 Analytics and performance cookies. These help us count visitors and see how they move around the Site so that we can improve it. We use them only with your consent. {{analytics_cookies}}
3.3 Functionality cookies. These remember choices you make (such as language or region) to personalise the Site. We use them only with your consent. {{functionality_cookies}}
3.4 Advertising and targeting cookies. These record your visits and the pages and links you have followed, to make advertising more relevant to you and measure its effectiveness, and may be shared with advertising partners. We use them only with your consent. {{advertising_cookies}}
3.5 For each cookie, the tables above give its name, provider, purpose and how long it lasts.

4. THIRD-PARTY COOKIES AND INTERNATIONAL TRANSFERS
4.1 Some third-party providers may use the information their cookies collect for their own purposes, under their own privacy policies. Where a provider is outside the United Kingdom, personal data may be transferred there; we explain the safeguards in our Privacy Notice.

5. MANAGING COOKIES IN YOUR BROWSER
5.1 Most browsers let you refuse or delete cookies through their settings. If you block all cookies, including strictly necessary ones, parts of the Site may not work. You can find out how to manage cookies in common browsers from their help pages, and opt out of some analytics and advertising tracking using the tools those providers offer.

6. CHANGES AND CONTACT
6.1 We will update this policy when we change the cookies we use, and will ask for your consent again where the change requires it. Questions about this policy can be sent to {{privacy_contact_email}}.
$template$,
'["PECR 2003 regulation 6 consent before storing or accessing information on a device", "Strictly necessary exemption limited to essential functions", "UK GDPR standard of consent: freely given, specific, informed, unambiguous and as easy to withdraw", "Reject as easy as accept; no non-essential cookies before consent", "Cookie-by-cookie information: name, provider, purpose, duration", "Third-party cookies and international transfers signposted to the privacy notice", "Consent records and refresh"]'::jsonb,
$template$Written for the Privacy and Electronic Communications (EC Directive) Regulations 2003 (PECR), which apply throughout the United Kingdom. Regulation 6 requires clear and comprehensive information and the user's consent before storing or gaining access to information on a user's device, except where strictly necessary for a service the user has requested (or solely for carrying out a communication). Consent must meet the UK GDPR standard (Articles 4(11) and 7): freely given, specific, informed and unambiguous, given by a clear positive action, and as easy to withdraw as to give, so pre-ticked boxes, implied consent from continued browsing and cookie walls without a real choice are not valid. Where cookies collect personal data, the UK GDPR and the Data Protection Act 2018 also apply, so align this policy with the privacy notice. The Data (Use and Access) Act 2025 adds further consent exemptions (for example for some analytics and website appearance purposes) as its provisions are commenced; check the current position and ICO guidance on storage and access technologies before relying on them. Complete the tables for every cookie actually set by the Site (use a cookie scan), and keep them up to date. This template is a starting point, not legal advice: take advice from a qualified lawyer or data protection specialist before relying on it.$template$,
1, true, '["sme", "startup", "enterprise", "sole_trader", "charity", "consumer_facing"]'::jsonb, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00');

-- 22_seats.sql: subscription tiers and the seat limit.
--
-- companies.max_users follows the subscription tier (system_config
-- subscription_tier_max_users) unless given explicitly.  companies.active_user_count
-- is kept by a trigger on users, and the seat check is one conditional UPDATE of the
-- company row: two sessions adding the last seat at once serialise on that row, and
-- the second finds no seat (READ COMMITTED re-checks the condition on the new row
-- version; REPEATABLE READ and SERIALIZABLE raise a serialization failure, 40001).

CREATE FUNCTION pactoria.tier_max_users(subscription_tier text)
RETURNS integer
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	limits jsonb := pactoria.get_config('subscription_tier_max_users');
BEGIN
	IF jsonb_typeof(limits -> subscription_tier) IS DISTINCT FROM 'number' THEN
		RAISE EXCEPTION 'no user limit is configured for subscription tier "%"', subscription_tier
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Set it in pactoria.system_config, key subscription_tier_max_users.';
	END IF;
	RETURN (limits ->> subscription_tier)::integer;
END
$$;

COMMENT ON FUNCTION pactoria.tier_max_users(text) IS
'Active users a subscription tier allows (system_config key subscription_tier_max_users).';

CREATE FUNCTION pactoria.set_company_max_users()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NEW.max_users IS NULL THEN
			NEW.max_users := pactoria.tier_max_users(NEW.subscription_tier);
		END IF;
	ELSIF NEW.subscription_tier IS DISTINCT FROM OLD.subscription_tier
		  AND NEW.max_users IS NOT DISTINCT FROM OLD.max_users THEN
		NEW.max_users := pactoria.tier_max_users(NEW.subscription_tier);
	END IF;
	IF NEW.max_users < NEW.active_user_count THEN
		RAISE EXCEPTION 'company "%" has % active user%, more than the % its % subscription would allow',
			NEW.name, NEW.active_user_count, CASE WHEN NEW.active_user_count = 1 THEN '' ELSE 's' END,
			NEW.max_users, NEW.subscription_tier
			USING ERRCODE = 'check_violation',
				  HINT = 'Deactivate users first, or keep a tier with enough seats.';
	END IF;
	RETURN NEW;
END
$$;

COMMENT ON FUNCTION pactoria.set_company_max_users() IS
'BEFORE INSERT OR UPDATE trigger of companies: max_users follows the subscription tier unless set explicitly, and never drops below the active users.';

CREATE TRIGGER trg_companies_set_max_users
	BEFORE INSERT OR UPDATE OF subscription_tier, max_users ON pactoria.companies
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_company_max_users();

-- Keeps companies.active_user_count and enforces the seat limit.  SECURITY
-- DEFINER: it must count and lock the company row whatever the caller may see.
CREATE FUNCTION pactoria.count_active_users()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	seats_taken integer := 0;
	company record;
BEGIN
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.is_active THEN
		seats_taken := 1;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.is_active THEN
		seats_taken := seats_taken - 1;
	END IF;

	IF seats_taken > 0 THEN
		UPDATE pactoria.companies
		SET active_user_count = active_user_count + 1
		WHERE id = NEW.company_id AND active_user_count < max_users;
		IF NOT FOUND THEN
			SELECT name, max_users, subscription_tier INTO company
			FROM pactoria.companies WHERE id = NEW.company_id;
			RAISE EXCEPTION 'company "%" has no free user seat', company.name
				USING ERRCODE = 'configuration_limit_exceeded',
					  DETAIL = format('Its %s subscription allows %s active user%s and all are in use.',
									  company.subscription_tier, company.max_users,
									  CASE WHEN company.max_users = 1 THEN '' ELSE 's' END),
					  HINT = 'Deactivate a user, or move the company to a larger subscription tier.';
		END IF;
	ELSIF seats_taken < 0 THEN
		UPDATE pactoria.companies
		SET active_user_count = active_user_count - 1
		WHERE id = OLD.company_id;
	END IF;
	RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.count_active_users() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.count_active_users() IS
'AFTER INSERT, UPDATE OF is_active or DELETE trigger of users: keeps companies.active_user_count and refuses a user beyond max_users (SQLSTATE 53400).';

CREATE TRIGGER trg_users_count_active_users
	AFTER INSERT OR UPDATE OF is_active OR DELETE ON pactoria.users
	FOR EACH ROW EXECUTE FUNCTION pactoria.count_active_users();

-- 23_search.sql: contract search and session clean-up.

-- Full-text search over title, parties and content (english), plus trigram matching
-- of titles so that a typo in a title still finds the contract.  Both branches use
-- their GIN index; row-level security limits the result to the caller's tenant.
CREATE FUNCTION pactoria.search_contracts(query text, max_results integer DEFAULT 20)
RETURNS TABLE (id uuid, title text, rank real, snippet text)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
-- pg_trgm's default (0.6) misses titles with a typo in several words; 0.45 still
-- keeps unrelated titles out (a match ranks at half its word similarity).
SET pg_trgm.word_similarity_threshold = 0.45
AS $$
DECLARE
	text_query tsquery;
BEGIN
	IF length(btrim(query)) = 0 THEN
		RAISE EXCEPTION 'search query must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(query) > 1000 THEN
		RAISE EXCEPTION 'search query is too long (% characters)', length(query)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A search query may have at most 1000 characters.';
	END IF;
	IF max_results NOT BETWEEN 1 AND 1000 THEN
		RAISE EXCEPTION 'max_results must be between 1 and 1000, not %', max_results
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	text_query := websearch_to_tsquery('pg_catalog.english', query);
	RETURN QUERY
	WITH matches AS (
		SELECT c.company_id, c.id, ts_rank_cd(c.search_vector, text_query) AS rank
		FROM pactoria.contracts AS c
		WHERE c.search_vector @@ text_query
		UNION ALL
		SELECT c.company_id, c.id, word_similarity(query, c.title) * 0.5
		FROM pactoria.contracts AS c
		WHERE query <% c.title
	), best AS (
		SELECT m.company_id, m.id, max(m.rank) AS rank
		FROM matches AS m
		GROUP BY m.company_id, m.id
		ORDER BY max(m.rank) DESC, m.id
		LIMIT max_results
	)
	SELECT c.id, c.title, b.rank::real,
		   ts_headline('pg_catalog.english',
					   left(coalesce(c.final_content, c.generated_content, c.plain_english_input, c.title), 100000),
					   CASE WHEN numnode(text_query) > 0 THEN text_query
							ELSE plainto_tsquery('pg_catalog.english', c.title) END,
					   'MaxWords=25, MinWords=10, MaxFragments=1, StartSel=[, StopSel=]')
	FROM best AS b
	JOIN pactoria.contracts AS c ON c.company_id = b.company_id AND c.id = b.id
	ORDER BY b.rank DESC, c.id;
END
$$;

COMMENT ON FUNCTION pactoria.search_contracts(text, integer) IS
'Contracts of the current tenant matching a web-search style query (full text, english) or, despite typos, its title (trigram word similarity); best first, with a highlighted snippet.';

-- search_contracts uses pg_trgm's <% and word_similarity(); pg_trgm may live in any
-- schema, so its schema joins the function's search_path, resolved here once.
DO $$
BEGIN
	EXECUTE format('ALTER FUNCTION pactoria.search_contracts(text, integer) SET search_path = pg_catalog, pactoria, %I',
				   (SELECT extnamespace::regnamespace::text FROM pg_catalog.pg_extension WHERE extname = 'pg_trgm'));
END
$$;

CREATE FUNCTION pactoria.cleanup_expired_sessions(as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pactoria
BEGIN ATOMIC
	WITH removed AS (
		DELETE FROM pactoria.user_sessions
		WHERE expires_at <= as_of OR status <> 'active'
		RETURNING 1
	)
	SELECT count(*)::integer FROM removed;
END;

COMMENT ON FUNCTION pactoria.cleanup_expired_sessions(timestamptz) IS
'Deletes sessions that expired by as_of (default now) or were revoked or marked expired; returns how many. Sees only the current tenant''s sessions under row-level security; run it as the owner for all tenants.';

-- 29_integrity.sql: pactoria.verify_data_integrity().
--
-- What the constraints and triggers guarantee can still be broken by someone who
-- bypassed them: triggers disabled (foreign keys are triggers too), the
-- session_replication_role set to replica, constraints added NOT VALID, or catalog
-- surgery.  This function looks for the traces.  It reads every foreign key and
-- check constraint of the extension's tables from the catalog, so a constraint
-- added later is covered without changing it.  It is a tool for the owner or a
-- maintenance role that sees every tenant (EXECUTE is not granted to PUBLIC): seen
-- through one tenant's row-level security, rows of other tenants would look missing.

CREATE FUNCTION pactoria.verify_data_integrity()
RETURNS TABLE (table_name text, issue_description text, affected_rows bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	constraint_row record;
	found_rows bigint;
BEGIN
	-- Rows whose foreign key points nowhere (MATCH SIMPLE: a key with a NULL column is not checked).
	FOR constraint_row IN
		SELECT con.conname, con.conrelid, con.confrelid,
			   format('%I.%I', c.relnamespace::regnamespace, c.relname) AS child_name,
			   (SELECT format('%I.%I', p.relnamespace::regnamespace, p.relname) FROM pg_class AS p WHERE p.oid = con.confrelid) AS parent_name,
			   (SELECT string_agg(format('child.%I IS NOT NULL', a.attname), ' AND ' ORDER BY k.position)
				FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
				JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS not_null,
			   (SELECT string_agg(format('parent.%I = child.%I', pa.attname, ca.attname), ' AND ' ORDER BY k.position)
				FROM unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(child_attnum, parent_attnum, position)
				JOIN pg_attribute AS ca ON ca.attrelid = con.conrelid AND ca.attnum = k.child_attnum
				JOIN pg_attribute AS pa ON pa.attrelid = con.confrelid AND pa.attnum = k.parent_attnum) AS join_condition
		FROM pg_constraint AS con
		JOIN pg_class AS c ON c.oid = con.conrelid
		WHERE con.contype = 'f' AND con.conparentid = 0
		  AND c.relnamespace = 'pactoria'::regnamespace
		ORDER BY c.relname, con.conname
	LOOP
		EXECUTE format('SELECT count(*) FROM %s AS child WHERE %s AND NOT EXISTS (SELECT 1 FROM %s AS parent WHERE %s)',
					   constraint_row.child_name, constraint_row.not_null,
					   constraint_row.parent_name, constraint_row.join_condition)
			INTO found_rows;
		IF found_rows > 0 THEN
			table_name := constraint_row.child_name;
			issue_description := format('orphaned rows: foreign key %s points to no row of %s',
										constraint_row.conname, constraint_row.parent_name);
			affected_rows := found_rows;
			RETURN NEXT;
		END IF;
	END LOOP;

	-- Rows that break a check constraint (scores out of range, bad formats...).
	FOR constraint_row IN
		SELECT con.conname, format('%I.%I', c.relnamespace::regnamespace, c.relname) AS table_name,
			   regexp_replace(pg_get_constraintdef(con.oid), '^CHECK (.*?)( NOT VALID)?$', '\1') AS expression
		FROM pg_constraint AS con
		JOIN pg_class AS c ON c.oid = con.conrelid
		WHERE con.contype = 'c' AND con.conparentid = 0
		  AND c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p')
		ORDER BY c.relname, con.conname
	LOOP
		EXECUTE format('SELECT count(*) FROM %s WHERE (%s) IS FALSE',
					   constraint_row.table_name, constraint_row.expression)
			INTO found_rows;
		IF found_rows > 0 THEN
			table_name := constraint_row.table_name;
			issue_description := format('rows violating check constraint %s', constraint_row.conname);
			affected_rows := found_rows;
			RETURN NEXT;
		END IF;
	END LOOP;

	-- Version history: each contract's versions are 1..N with N = contracts.version.
	SELECT count(*) INTO found_rows
	FROM (SELECT v.company_id, v.contract_id
		  FROM pactoria.contract_versions AS v
		  GROUP BY v.company_id, v.contract_id
		  HAVING min(v.version_number) <> 1 OR max(v.version_number) <> count(*)) AS gaps;
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.contract_versions', 'contracts whose versions are not numbered 1..N without gaps', found_rows;
	END IF;

	SELECT count(*) INTO found_rows
	FROM pactoria.contracts AS c
	WHERE NOT EXISTS (SELECT 1 FROM pactoria.contract_versions AS v
					  WHERE v.company_id = c.company_id AND v.contract_id = c.id);
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.contracts', 'contracts with no recorded version', found_rows;
	END IF;

	SELECT count(*) INTO found_rows
	FROM pactoria.contracts AS c
	JOIN (SELECT v.company_id, v.contract_id, max(v.version_number) AS latest
		  FROM pactoria.contract_versions AS v GROUP BY v.company_id, v.contract_id) AS v
		ON v.company_id = c.company_id AND v.contract_id = c.id
	WHERE v.latest <> c.version;
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.contracts', 'contracts whose version is not their latest recorded version', found_rows;
	END IF;

	-- Seats: no company over its limit, and the kept count equal to the real one.
	SELECT count(*) INTO found_rows
	FROM pactoria.companies AS co
	WHERE co.max_users < (SELECT count(*) FROM pactoria.users AS u WHERE u.company_id = co.id AND u.is_active);
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.companies', 'companies with more active users than max_users', found_rows;
	END IF;

	SELECT count(*) INTO found_rows
	FROM pactoria.companies AS co
	WHERE co.active_user_count <> (SELECT count(*) FROM pactoria.users AS u WHERE u.company_id = co.id AND u.is_active);
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.companies', 'companies whose active_user_count differs from their active users', found_rows;
	END IF;

	-- A contract's template is a system template or its own company's.
	SELECT count(*) INTO found_rows
	FROM pactoria.contracts AS c
	JOIN pactoria.templates AS t ON t.id = c.template_id
	WHERE t.company_id IS NOT NULL AND t.company_id <> c.company_id;
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.contracts', 'contracts using another company''s template', found_rows;
	END IF;
END
$$;

COMMENT ON FUNCTION pactoria.verify_data_integrity() IS
'Owner''s tool: looks for what bypassed constraints or triggers can leave: orphaned rows, rows breaking check constraints, contracts with no recorded version, contract version gaps, companies over their seat limit or with a wrong active-user count, contracts on another company''s template. One row per kind of problem found; none when all is well.';

REVOKE EXECUTE ON FUNCTION pactoria.verify_data_integrity() FROM PUBLIC;

-- 30_tenancy.sql: tenant isolation, completed.
--
-- 02_core.sql has the tenant context (pactoria.company_id / pactoria.user_id, read
-- in C by current_company_id()) and enable_tenant_isolation(), which 20_tables.sql
-- applies to every table keyed by company.  This file adds:
--   - the policies of the two tables that are not plain tenant tables: companies
--     (a tenant sees and updates only its own row) and templates (system
--     templates readable by every tenant, writable by none);
--   - the only ways into a context for a role that row-level security applies to:
--     set_context() and clear_context();
--   - the few things an application must do before it has a context, each a small
--     SECURITY DEFINER function: create_company() (onboarding), find_login()
--     (logging in by e-mail) and find_session() (resolving a session token);
--   - grant_application_access(), which gives an application login role exactly
--     the privileges it needs.
-- Every SECURITY DEFINER function here is owned by the superuser that created the
-- extension (superuser = true in the control file), so it reads past row-level
-- security and may set the superuser-only context settings.

------------------------------------------------------------------------------------
-- companies: a tenant sees and updates only its own row.  No INSERT or DELETE
-- policy: companies are created by create_company() and removed by the owner.
-- Which columns a tenant may change is a column privilege (grant_application_access).
------------------------------------------------------------------------------------
ALTER TABLE pactoria.companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE pactoria.companies FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation_select ON pactoria.companies FOR SELECT
	USING (id = (SELECT pactoria.current_company_id()));
CREATE POLICY tenant_isolation_update ON pactoria.companies FOR UPDATE
	USING (id = (SELECT pactoria.current_company_id()))
	WITH CHECK (id = (SELECT pactoria.require_company_id()));

CREATE TRIGGER trg_companies_require_tenant_context
	BEFORE INSERT OR UPDATE OR DELETE ON pactoria.companies
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.require_tenant_context();

------------------------------------------------------------------------------------
-- templates: a company's own templates are isolated like every tenant table; the
-- system templates (company_id NULL) are added to what every tenant may read.  No
-- write policy admits a NULL company_id, so no tenant can write a system template.
------------------------------------------------------------------------------------
SELECT pactoria.enable_tenant_isolation('pactoria.templates');

CREATE POLICY system_templates_select ON pactoria.templates FOR SELECT
	USING (company_id IS NULL);

------------------------------------------------------------------------------------
-- The tenant context.
------------------------------------------------------------------------------------

-- set_config() with is_local inside a function that has a SET clause: the
-- function's own GUC nest level ends when it returns, but a value set locally
-- for a setting not in its SET list is handed down to the caller's level
-- (guc.c, AtEOXact_GUC), so it lasts until the caller's transaction ends.
CREATE FUNCTION pactoria.set_context(company_id uuid, user_id uuid DEFAULT NULL, is_local boolean DEFAULT true)
RETURNS void
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	IF set_context.company_id IS NULL THEN
		RAISE EXCEPTION 'company_id of the tenant context must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Call pactoria.clear_context() to leave the tenant context.';
	END IF;
	IF set_context.is_local IS NULL THEN
		RAISE EXCEPTION 'is_local must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Pass true for the current transaction, false for the session.';
	END IF;

	PERFORM FROM pactoria.companies AS c
	WHERE c.id = set_context.company_id AND c.is_active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'company % does not exist or is not active', set_context.company_id
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'A tenant context can only be set for an active company.';
	END IF;

	IF set_context.user_id IS NOT NULL THEN
		PERFORM FROM pactoria.users AS u
		WHERE u.company_id = set_context.company_id AND u.id = set_context.user_id AND u.is_active;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'user % is not an active user of company %', set_context.user_id, set_context.company_id
				USING ERRCODE = 'insufficient_privilege',
					  DETAIL = 'A tenant context can only name an active user of its own company.';
		END IF;
	END IF;

	PERFORM pg_catalog.set_config('pactoria.company_id', set_context.company_id::text, set_context.is_local);
	PERFORM pg_catalog.set_config('pactoria.user_id', coalesce(set_context.user_id::text, ''), set_context.is_local);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.set_context(uuid, uuid, boolean) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.set_context(uuid, uuid, boolean) IS
'Sets the tenant context (pactoria.company_id, pactoria.user_id) until the end of the transaction, or of the session when is_local is false; refuses (42501) an unknown or inactive company, and a user who is not an active user of that company.';

CREATE FUNCTION pactoria.clear_context()
RETURNS void
LANGUAGE sql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
BEGIN ATOMIC
	SELECT pg_catalog.set_config('pactoria.company_id', '', false), pg_catalog.set_config('pactoria.user_id', '', false);
END;

REVOKE EXECUTE ON FUNCTION pactoria.clear_context() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.clear_context() IS
'Leaves the tenant context, for the rest of the session: no tenant row is visible and tenant writes are refused until pactoria.set_context() is called again.';

------------------------------------------------------------------------------------
-- Onboarding: a new company and its first administrator, in one call.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.create_company(
	company_name text,
	admin_email text,
	admin_full_name text,
	admin_hashed_password text DEFAULT NULL,
	subscription_tier text DEFAULT 'starter',
	registration_number text DEFAULT NULL,
	vat_number text DEFAULT NULL,
	address text DEFAULT NULL,
	postcode text DEFAULT NULL,
	OUT company_id uuid,
	OUT user_id uuid)
RETURNS record
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	bad_name text;
	bad_name_length integer;
BEGIN
	IF company_name IS NULL OR admin_email IS NULL OR admin_full_name IS NULL
	   OR create_company.subscription_tier IS NULL THEN
		RAISE EXCEPTION '% must not be NULL',
			CASE WHEN company_name IS NULL THEN 'company_name' WHEN admin_email IS NULL THEN 'admin_email'
				 WHEN admin_full_name IS NULL THEN 'admin_full_name' ELSE 'subscription_tier' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT n.label, length(btrim(n.value)) INTO bad_name, bad_name_length
	FROM (VALUES ('company name', company_name), ('administrator name', admin_full_name)) AS n (label, value)
	WHERE length(btrim(n.value)) NOT BETWEEN 1 AND 200
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION '% has % characters, not 1 to 200', bad_name, bad_name_length
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Surrounding spaces are not counted, and are removed.';
	END IF;
	IF length(admin_email) > 254 THEN
		RAISE EXCEPTION 'e-mail address has % characters, more than 254', length(admin_email)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT pactoria.is_valid_email(admin_email) THEN
		RAISE EXCEPTION 'invalid e-mail address "%"', admin_email
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An e-mail address is local@domain.tld in ASCII, with no two dots in a row.';
	END IF;
	IF length(admin_hashed_password) NOT BETWEEN 20 AND 500 THEN
		RAISE EXCEPTION 'administrator password hash has % characters, not 20 to 500', length(admin_hashed_password)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Pass a password hash, such as crypt(password, gen_salt(''bf'')) of pgcrypto, never the password itself.';
	END IF;
	IF EXISTS (SELECT 1 FROM pactoria.users AS u WHERE lower(u.email) = lower(admin_email)) THEN
		RAISE EXCEPTION 'e-mail address "%" is already in use', admin_email
			USING ERRCODE = 'unique_violation',
				  DETAIL = 'E-mail addresses are unique across all companies.';
	END IF;

	INSERT INTO pactoria.companies (name, subscription_tier, registration_number, vat_number, address, postcode)
	VALUES (btrim(company_name), create_company.subscription_tier, create_company.registration_number,
			create_company.vat_number, create_company.address, create_company.postcode)
	RETURNING id INTO create_company.company_id;

	INSERT INTO pactoria.users (company_id, email, full_name, hashed_password, role)
	VALUES (create_company.company_id, admin_email, btrim(admin_full_name), admin_hashed_password, 'admin')
	RETURNING id INTO create_company.user_id;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.create_company(text, text, text, text, text, text, text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.create_company(text, text, text, text, text, text, text, text, text) IS
'Onboarding: creates a company and its first user, an administrator, in one transaction, and returns their ids (company_id, user_id). The one way to create a company for a role under row-level security.';

------------------------------------------------------------------------------------
-- Before the context: logging in and resolving a session.  Each returns the least
-- that the step needs, and nothing for an unknown input.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.find_login(email text)
RETURNS TABLE (company_id uuid, user_id uuid, hashed_password text, is_active boolean, locked_until timestamptz)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
ROWS 1
BEGIN ATOMIC
	SELECT u.company_id, u.id, u.hashed_password, u.is_active AND c.is_active, u.locked_until
	FROM pactoria.users AS u
	JOIN pactoria.companies AS c ON c.id = u.company_id
	WHERE lower(u.email) = lower(find_login.email);
END;

REVOKE EXECUTE ON FUNCTION pactoria.find_login(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.find_login(text) IS
'Logging in: for an e-mail address (any case), its user''s company, id, password hash, whether user and company are both active, and locked_until; no row for an unknown address. Check the password and the lock, then call pactoria.set_context().';

CREATE FUNCTION pactoria.find_session(token_hash bytea)
RETURNS TABLE (company_id uuid, user_id uuid)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
ROWS 1
AS $$
BEGIN
	IF octet_length(find_session.token_hash) NOT BETWEEN 32 AND 64 THEN
		RAISE EXCEPTION 'session token hash has % bytes, not 32 to 64', octet_length(find_session.token_hash)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Pass the digest of the session token, such as sha256(token), never the token itself.';
	END IF;
	-- A hash found in more than one session (only possible if a tenant stored
	-- another tenant's hash) resolves to nothing rather than to either.
	RETURN QUERY
	SELECT s.company_id, s.user_id
	FROM pactoria.user_sessions AS s
	JOIN pactoria.users AS u ON u.company_id = s.company_id AND u.id = s.user_id
	JOIN pactoria.companies AS c ON c.id = s.company_id
	WHERE s.token_hash = find_session.token_hash
	  AND s.status = 'active' AND s.expires_at > now()
	  AND u.is_active AND c.is_active
	  AND NOT EXISTS (SELECT 1 FROM pactoria.user_sessions AS other
					  WHERE other.token_hash = s.token_hash
						AND (other.company_id, other.id) <> (s.company_id, s.id));
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.find_session(bytea) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.find_session(bytea) IS
'Resolving a session: for the digest of a session token, the company and user of its session when that session is active and unexpired and its user and company are active; otherwise no row.';

------------------------------------------------------------------------------------
-- Privileges of the application role.
------------------------------------------------------------------------------------

-- The rule, read from the catalog each time it runs, so tables added by later
-- files or versions are covered by calling it again:
--   tables with company_id (row-level security forced)  SELECT, INSERT, UPDATE, DELETE
--   companies                                           SELECT, UPDATE of the columns a tenant owns
--   other tables (configuration, reference data)        SELECT
--   views (security_invoker only)                       SELECT
--   materialized views without company_id               SELECT
--   sequences of the columns of tables it may insert    USAGE
--   the tenancy API                                     EXECUTE
-- and nothing else: no TRUNCATE, REFERENCES or TRIGGER, no partition directly (a
-- partition is reached through its parent, under the parent's policies).  What a
-- tenant may not do to rows it can write (change an audit entry, rewrite a
-- version) is refused by those tables' own triggers, for every role.
CREATE FUNCTION pactoria.grant_application_access(application_role regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	role_row record;
	other_role name;
	relation record;
BEGIN
	IF application_role IS NULL THEN
		RAISE EXCEPTION 'application role must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;

	SELECT r.rolsuper, r.rolbypassrls INTO role_row FROM pg_catalog.pg_roles AS r WHERE r.oid = application_role;
	IF role_row.rolsuper OR role_row.rolbypassrls THEN
		RAISE EXCEPTION 'role % bypasses row-level security', application_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'It is a superuser or has BYPASSRLS, so tenant isolation would not apply to it.',
				  HINT = 'Connect the application as a role with NOSUPERUSER NOBYPASSRLS.';
	END IF;
	SELECT r.rolname INTO other_role FROM pg_catalog.pg_roles AS r
	WHERE (r.rolsuper OR r.rolbypassrls) AND pg_has_role(application_role, r.oid, 'MEMBER')
	ORDER BY r.rolname LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'role % is a member of role %, which bypasses row-level security', application_role, other_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A member can SET ROLE to it, and tenant isolation would not apply.',
				  HINT = format('REVOKE %I FROM %s.', other_role, application_role);
	END IF;
	SELECT owner::regrole::text INTO other_role
	FROM (SELECT nspowner AS owner FROM pg_catalog.pg_namespace WHERE oid = 'pactoria'::regnamespace
		  UNION SELECT relowner FROM pg_catalog.pg_class WHERE relnamespace = 'pactoria'::regnamespace
		  UNION SELECT proowner FROM pg_catalog.pg_proc WHERE pronamespace = 'pactoria'::regnamespace) AS owners
	WHERE pg_has_role(application_role, owner, 'MEMBER')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'role % owns objects of schema pactoria, or is a member of their owner %', application_role, other_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An owner can disable row-level security.',
				  HINT = 'Connect the application as a role that owns nothing; run migrations and maintenance as the owner.';
	END IF;

	EXECUTE format('GRANT USAGE ON SCHEMA pactoria TO %s', application_role);
	EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA pactoria FROM %s', application_role);
	EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA pactoria FROM %s', application_role);

	FOR relation IN
		SELECT c.oid::regclass AS name, c.relkind, c.relrowsecurity AND c.relforcerowsecurity AS is_isolated,
			   EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
					   WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped) AS has_company_id,
			   coalesce((SELECT o.option_value::boolean FROM pg_catalog.pg_options_to_table(c.reloptions) AS o
						 WHERE o.option_name = 'security_invoker'), false) AS is_security_invoker
		FROM pg_catalog.pg_class AS c
		WHERE c.relnamespace = 'pactoria'::regnamespace
		  AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
		ORDER BY c.relname
	LOOP
		IF relation.name = 'pactoria.companies'::regclass THEN
			EXECUTE format('GRANT SELECT, UPDATE (name, registration_number, vat_number, address, postcode, settings)'
						   ' ON %s TO %s', relation.name, application_role);
		ELSIF relation.relkind = 'v' AND NOT relation.is_security_invoker THEN
			RAISE WARNING 'view % is not granted: it runs with its owner''s rights', relation.name
				USING HINT = 'Make it security_invoker so that row-level security applies.';
		ELSIF relation.relkind = 'm' AND relation.has_company_id THEN
			RAISE WARNING 'materialized view % is not granted: row-level security cannot apply to it', relation.name
				USING HINT = 'Read it through a security_invoker view that filters on pactoria.current_company_id().';
		ELSIF relation.relkind IN ('r', 'p') AND relation.has_company_id AND NOT relation.is_isolated THEN
			RAISE WARNING 'table % is not granted: it has company_id but no forced row-level security', relation.name
				USING HINT = 'Call pactoria.enable_tenant_isolation() for it.';
		ELSIF relation.relkind IN ('r', 'p') AND relation.has_company_id THEN
			EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %s', relation.name, application_role);
		ELSE
			EXECUTE format('GRANT SELECT ON %s TO %s', relation.name, application_role);
		END IF;
	END LOOP;

	FOR relation IN
		SELECT DISTINCT d.objid::regclass AS name
		FROM pg_catalog.pg_depend AS d
		JOIN pg_catalog.pg_class AS s ON s.oid = d.objid AND s.relkind = 'S'
		WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
		  AND d.deptype IN ('a', 'i') AND s.relnamespace = 'pactoria'::regnamespace
		  AND has_table_privilege(application_role, d.refobjid, 'INSERT')
	LOOP
		EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %s', relation.name, application_role);
	END LOOP;

	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.set_context(uuid, uuid, boolean), pactoria.clear_context(),'
				   ' pactoria.create_company(text, text, text, text, text, text, text, text, text),'
				   ' pactoria.find_login(text), pactoria.find_session(bytea) TO %s', application_role);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.grant_application_access(regrole) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.grant_application_access(regrole) IS
'Gives an application login role exactly what it needs: schema usage, DML on tenant tables (under forced row-level security), SELECT and UPDATE of its own columns on companies, SELECT on the rest, EXECUTE on the tenancy API. Refuses a role that is, or can become, a superuser, BYPASSRLS or owner. Idempotent; call it again after an upgrade adds tables.';

-- 40_partitions.sql: range-partition maintenance and the system_metrics table.
--
-- Any table partitioned by RANGE on one timestamptz, timestamp or date column can be
-- registered (pactoria.register_partitioned_table); pactoria.run_maintenance() then
-- keeps it: partitions made `premake` intervals ahead, rows that reached the DEFAULT
-- partition moved into partitions made for them, and retention applied by each
-- partition's real bounds.  Everything it decides comes from the bounds PostgreSQL
-- itself holds (pactoria.partition_bounds, in C), never from partition names.
--
-- Install and pg_dump (both found by experiment, see test/integration/40_*):
--  * CREATE EXTENSION makes only the parents and their DEFAULT partitions (extension
--    members; each default is marked for pg_dump so its rows are kept).  Every dated
--    partition is an ordinary table made by maintenance, so pg_dump writes it with
--    its DDL and data and a restore on any later date recreates it exactly.  A dated
--    partition made by the install script cannot be restored: as an extension member
--    its rows are dumped by table name, and the restoring CREATE EXTENSION (run in
--    another month) makes other tables, so the rows are lost; made an ordinary table
--    instead, it collides with the one the restoring CREATE EXTENSION makes.  Until
--    the first run of maintenance (the background worker runs one as soon as it
--    starts) rows land in the DEFAULT partition and maintenance moves them out.
--  * The extension's own partitioned tables carry no index or key on the parent:
--    their DEFAULT partition does, and every partition is made LIKE the DEFAULT
--    partition INCLUDING INDEXES.  With an index on an extension-made parent, the
--    restore's ATTACH PARTITION builds each partition's index and pg_dump's own
--    CREATE INDEX / ADD PRIMARY KEY for it then fails ("multiple primary keys").
--    For a user's table, whose parent indexes are dumped, ATTACH adopts the copies.
--
-- Partition boundaries are computed in UTC (for a timestamptz key) whatever the
-- session's TimeZone, so every run, from any session, computes the same ones.

------------------------------------------------------------------------------------
-- Reading and computing bounds.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.partition_bounds(parent regclass)
RETURNS TABLE (partition_table regclass, is_default boolean, lower_bound timestamp, upper_bound timestamp)
AS 'MODULE_PATHNAME', 'pactoria_partition_bounds'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 100;

COMMENT ON FUNCTION pactoria.partition_bounds(regclass) IS
'Partitions of a table partitioned by range on one timestamptz, timestamp or date column, in bound order, with their real bounds as timestamps (UTC for a timestamptz key; NULL for MINVALUE/MAXVALUE), then the default partition; errors for any other table.';

-- Start of the partition-sized slot holding a timestamp: days start at midnight,
-- weeks on Monday (ISO), months on the 1st, and an n-month interval at a month
-- whose number from January is a multiple of n (quarters, half-years, years).
CREATE FUNCTION pactoria.partition_interval_start(value timestamp, partition_interval interval)
RETURNS timestamp
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
	WHEN extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval) > 0 THEN
		date_trunc('year', value)
		+ ((extract(month FROM value)::integer - 1)
		   / (extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval))::integer
		   * (extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval))::integer)
		  * interval '1 month'
	WHEN extract(day FROM partition_interval) = 7 THEN date_trunc('week', value)
	ELSE date_trunc('day', value)
END;

COMMENT ON FUNCTION pactoria.partition_interval_start(timestamp, interval) IS
'Start of the partition holding a value for a partition interval: midnight for 1 day, Monday for 1 week, the 1st of the month (of January for 12 months, of the quarter for 3) for month intervals.';

-- The text of a bound for FOR VALUES FROM (...) TO (...): explicit UTC offset for
-- timestamptz, so that it does not depend on the session's TimeZone or DateStyle.
CREATE FUNCTION pactoria.partition_bound_literal(bound timestamp, key_type regtype)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
	WHEN key_type = 'pg_catalog.date'::regtype THEN to_char(bound, 'YYYY-MM-DD')
	ELSE to_char(bound, 'YYYY-MM-DD HH24:MI:SS')
		 || CASE WHEN date_trunc('second', bound) <> bound THEN to_char(bound, '.US') ELSE '' END
		 || CASE WHEN key_type = 'pg_catalog.timestamptz'::regtype THEN '+00' ELSE '' END
END;

COMMENT ON FUNCTION pactoria.partition_bound_literal(timestamp, regtype) IS
'Internal: a partition bound as the literal for FOR VALUES of a key of the given type (timestamptz bounds in UTC with an explicit +00).';

-- A free name for a new partition: the parent's name (shortened when needed so the
-- name stays under 63 bytes) plus the suffix, then _2, _3 ... if the name is taken.
CREATE FUNCTION pactoria.choose_partition_name(parent regclass, suffix text)
RETURNS name
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	parent_name text;
	parent_schema oid;
	ending text;
	candidate text;
BEGIN
	SELECT relname, relnamespace INTO parent_name, parent_schema FROM pg_class WHERE oid = parent;
	FOR attempt IN 1..1000 LOOP
		ending := suffix || CASE WHEN attempt > 1 THEN '_' || attempt ELSE '' END;
		candidate := parent_name;
		IF octet_length(candidate || ending) > 60 THEN
			WHILE octet_length(candidate || ending) > 60 LOOP
				candidate := left(candidate, -1);
			END LOOP;
			candidate := rtrim(candidate, '_');
		END IF;
		candidate := candidate || ending;
		IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = candidate AND relnamespace = parent_schema) THEN
			RETURN candidate;
		END IF;
	END LOOP;
	RAISE EXCEPTION 'no free name for a new partition of table %', parent
		USING ERRCODE = 'duplicate_table',
			  DETAIL = format('Names %s ... %s are all taken.', parent_name || suffix, candidate);
END
$$;

COMMENT ON FUNCTION pactoria.choose_partition_name(regclass, text) IS
'Internal: an unused table name in the parent''s schema made of the parent''s name and a suffix, under 63 bytes.';

CREATE FUNCTION pactoria.belongs_to_extension(relation regclass)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN EXISTS (
	SELECT 1
	FROM pg_catalog.pg_depend AS d
	JOIN pg_catalog.pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'pactoria'
	WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = relation
	  AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e');

CREATE FUNCTION pactoria.call_before_removal(function regprocedure, partition regclass)
RETURNS void
AS 'MODULE_PATHNAME', 'pactoria_call_before_removal'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION pactoria.call_before_removal(regprocedure, regclass) IS
'Internal: calls a before-removal function f(partition regclass) with the privileges of the partition''s owner, in a security-restricted operation (as VACUUM runs index functions).';

REVOKE EXECUTE ON FUNCTION pactoria.call_before_removal(regprocedure, regclass) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.belongs_to_extension(regclass) IS
'Internal: whether a table is a member of the pactoria extension (made by its install script).';

------------------------------------------------------------------------------------
-- Settings.
------------------------------------------------------------------------------------

-- The one check of a set of maintenance settings (used by the CHECK constraint of
-- partition_config, by register_partitioned_table and for the partition.* keys of
-- system_config): returns true or raises an error saying what is wrong.
CREATE FUNCTION pactoria.check_partition_settings(partition_interval interval, premake integer,
												  retention interval, retention_action text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	months numeric := extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval);
	days numeric := extract(day FROM partition_interval);
BEGIN
	IF partition_interval IS NULL THEN
		RAISE EXCEPTION 'partition interval must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF date_trunc('day', partition_interval) <> partition_interval
	   OR NOT ((months IN (1, 2, 3, 4, 6, 12) AND days = 0) OR (months = 0 AND days IN (1, 7))) THEN
		RAISE EXCEPTION 'invalid partition interval "%"', partition_interval
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A partition covers 1 day, 1 week, or 1, 2, 3, 4, 6 or 12 months.';
	END IF;
	IF premake IS NULL THEN
		RAISE EXCEPTION 'premake must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF premake NOT BETWEEN 0 AND 1000 THEN
		RAISE EXCEPTION 'invalid premake %', premake
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'premake is how many partitions are made ahead of the current one: 0 to 1000.';
	END IF;
	IF retention <= interval '0' THEN
		RAISE EXCEPTION 'invalid retention "%"', retention
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Retention is a positive interval, or NULL to keep every partition.';
	END IF;
	IF retention_action IS NULL OR retention_action NOT IN ('drop', 'detach') THEN
		RAISE EXCEPTION 'invalid retention action "%"', coalesce(retention_action, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A partition past retention is either dropped (drop) or detached and kept as a table (detach).';
	END IF;
	RETURN true;
END
$$;

COMMENT ON FUNCTION pactoria.check_partition_settings(interval, integer, interval, text) IS
'Checks partition maintenance settings: interval of 1 day, 1 week or 1/2/3/4/6/12 months, premake 0-1000, positive or NULL retention, action drop or detach; returns true or raises invalid_parameter_value.';

CREATE TABLE pactoria.partition_config (
	parent_table regclass NOT NULL,
	partition_interval interval NOT NULL DEFAULT '1 month',
	premake integer NOT NULL DEFAULT 3,
	retention interval,
	retention_action text NOT NULL DEFAULT 'drop',
	before_removal text,
	registered_by_extension boolean NOT NULL DEFAULT false,
	last_run_at timestamptz,
	last_run_outcome jsonb,
	CONSTRAINT partition_config_pkey PRIMARY KEY (parent_table),
	CONSTRAINT chk_partition_config_settings
		CHECK (pactoria.check_partition_settings(partition_interval, premake, retention, retention_action)),
	CONSTRAINT chk_partition_config_before_removal CHECK (length(before_removal) <= 1000),
	CONSTRAINT chk_partition_config_last_run_outcome CHECK (jsonb_typeof(last_run_outcome) = 'object')
);

COMMENT ON TABLE pactoria.partition_config IS
'One row per range-partitioned table kept by pactoria.run_maintenance(): partition interval, premake, retention and what it does, the function called before a partition is removed, and the last run''s time and outcome.';
COMMENT ON COLUMN pactoria.partition_config.premake IS 'How many partitions exist ahead of the one holding the present moment.';
COMMENT ON COLUMN pactoria.partition_config.retention IS
'A partition whose upper bound is at least this long before the run''s time leaves; NULL keeps every partition.';
COMMENT ON COLUMN pactoria.partition_config.before_removal IS
'Function f(partition regclass) RETURNS void, schema-qualified, called just before retention detaches or drops a partition; if it raises, the partition stays.';
COMMENT ON COLUMN pactoria.partition_config.registered_by_extension IS
'The parent belongs to the extension: its row is made by CREATE EXTENSION (so it is not dumped) and its premake and retention come from the partition.<table>.* keys of system_config.';
COMMENT ON COLUMN pactoria.partition_config.last_run_outcome IS
'Counts of the last run by action: created, rows_moved (rows), detached, dropped, skipped.';

-- Rows the extension registers are re-made by CREATE EXTENSION on restore.
SELECT pg_catalog.pg_extension_config_dump('pactoria.partition_config', 'WHERE NOT registered_by_extension');

-- The settings in force for each registered table.  For a table of the extension
-- (registered_by_extension) the system_config keys partition.<table>.premake,
-- partition.<table>.retention (an interval, or "forever") and
-- partition.<table>.retention_action win over the registration's values, so a
-- deployment's changes survive pg_dump; for other tables the registration holds.
CREATE VIEW pactoria.partition_settings
WITH (security_invoker = true) AS
SELECT c.parent_table,
	   c.partition_interval,
	   coalesce((k.settings ->> 'premake')::integer, c.premake) AS premake,
	   CASE WHEN k.settings ? 'retention' THEN nullif(k.settings ->> 'retention', 'forever')::interval
			ELSE c.retention END AS retention,
	   coalesce(k.settings ->> 'retention_action', c.retention_action) AS retention_action,
	   c.before_removal,
	   c.registered_by_extension
FROM pactoria.partition_config AS c
JOIN pg_catalog.pg_class AS r ON r.oid = c.parent_table
LEFT JOIN LATERAL (
	SELECT jsonb_object_agg(split_part(e.key, '.', 3), e.value) AS settings
	FROM pactoria.effective_config AS e
	WHERE c.registered_by_extension
	  AND e.key IN ('partition.' || r.relname || '.premake', 'partition.' || r.relname || '.retention',
					'partition.' || r.relname || '.retention_action')
) AS k ON true;

COMMENT ON VIEW pactoria.partition_settings IS
'Maintenance settings in force for each registered table: the registration, overridden for the extension''s own tables by the system_config keys partition.<table>.premake, .retention and .retention_action.';

-- A value set for a partition.<table>.<setting> key must be usable.
CREATE FUNCTION pactoria.check_partition_config_setting()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	setting text := split_part(NEW.key, '.', 3);
	text_value text := NEW.value #>> '{}';
	retention interval;
BEGIN
	IF setting = 'premake' THEN
		IF jsonb_typeof(NEW.value) <> 'number' OR NEW.value::numeric <> trunc(NEW.value::numeric)
		   OR NEW.value::numeric NOT BETWEEN -2147483648 AND 2147483647 THEN
			RAISE EXCEPTION 'invalid premake % for "%"', NEW.value, NEW.key
				USING ERRCODE = 'invalid_parameter_value', DETAIL = 'premake is a whole number from 0 to 1000.';
		END IF;
		PERFORM pactoria.check_partition_settings('1 month', NEW.value::integer, NULL, 'drop');
	ELSIF setting = 'retention' THEN
		IF text_value IS DISTINCT FROM 'forever' THEN
			BEGIN
				retention := text_value::interval;
			EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
				RAISE EXCEPTION 'invalid retention % for "%"', NEW.value, NEW.key
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = 'Retention is an interval such as "25 months", or "forever".';
			END;
			IF retention IS NULL THEN
				RAISE EXCEPTION 'invalid retention % for "%"', NEW.value, NEW.key
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = 'Retention is an interval such as "25 months", or "forever".';
			END IF;
			PERFORM pactoria.check_partition_settings('1 month', 0, retention, 'drop');
		END IF;
	ELSIF setting = 'retention_action' THEN
		PERFORM pactoria.check_partition_settings('1 month', 0, NULL, text_value);
	END IF;
	RETURN NEW;
END
$$;

COMMENT ON FUNCTION pactoria.check_partition_config_setting() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_config for partition.* keys: premake, retention and retention_action values must be valid maintenance settings.';

CREATE TRIGGER trg_system_config_check_partition_setting
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW WHEN (NEW.key LIKE 'partition.%')
	EXECUTE FUNCTION pactoria.check_partition_config_setting();

------------------------------------------------------------------------------------
-- Registering a table.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.register_partitioned_table(parent regclass,
													 partition_interval interval DEFAULT '1 month',
													 premake integer DEFAULT 3,
													 retention interval DEFAULT NULL,
													 retention_action text DEFAULT 'drop',
													 before_removal regprocedure DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	parent_schema name;
	parent_owner oid;
	by_extension boolean;
	default_partition regclass;
	hook text;
BEGIN
	IF parent IS NULL THEN
		RAISE EXCEPTION 'table to register must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT n.nspname, c.relowner INTO parent_schema, parent_owner
	FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
	WHERE c.oid = parent;
	IF NOT pg_has_role(current_user, parent_owner, 'USAGE') THEN
		RAISE EXCEPTION 'must be owner of table % to register it for partition maintenance', parent
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	-- Raises unless parent is partitioned by range on one timestamptz/timestamp/date column.
	PERFORM pactoria.partition_bounds(parent);
	PERFORM pactoria.check_partition_settings(register_partitioned_table.partition_interval,
											  register_partitioned_table.premake,
											  register_partitioned_table.retention,
											  register_partitioned_table.retention_action);
	IF register_partitioned_table.before_removal IS NOT NULL THEN
		SELECT format('%I.%I(regclass)', n.nspname, p.proname) INTO hook
		FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
		WHERE p.oid = register_partitioned_table.before_removal
		  AND p.prokind = 'f' AND p.pronargs = 1 AND p.proargtypes[0] = 'pg_catalog.regclass'::regtype
		  AND p.prorettype = 'pg_catalog.void'::regtype;
		IF hook IS NULL THEN
			RAISE EXCEPTION 'function % cannot be called before a partition is removed', register_partitioned_table.before_removal
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'The function must take one argument of type regclass (the partition) and return void.';
		END IF;
	END IF;

	by_extension := pactoria.belongs_to_extension(parent);
	IF by_extension AND EXISTS (SELECT 1 FROM pactoria.partition_config AS c WHERE c.parent_table = parent) THEN
		RAISE EXCEPTION 'table % is registered by the extension', parent
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = 'Its registration is made by CREATE EXTENSION and is not kept by pg_dump.',
				  HINT = format('Change its settings with the keys partition.%s.premake, .retention and .retention_action in pactoria.system_config.',
								(SELECT relname FROM pg_class WHERE oid = parent));
	END IF;

	IF by_extension AND EXISTS (SELECT 1 FROM pg_index WHERE indrelid = parent) THEN
		RAISE EXCEPTION 'partitioned table % of the extension must not have indexes', parent
			USING ERRCODE = 'invalid_table_definition',
				  DETAIL = 'pg_restore could not restore its partitions: the restore''s ATTACH PARTITION builds their indexes before pg_dump''s CREATE INDEX for them.',
				  HINT = 'Put the keys and indexes on its DEFAULT partition, the template of every partition maintenance makes.';
	END IF;

	-- A DEFAULT partition, so that an insert never fails for want of a partition.
	SELECT b.partition_table INTO default_partition
	FROM pactoria.partition_bounds(parent) AS b WHERE b.is_default;
	IF default_partition IS NULL THEN
		EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT',
					   parent_schema, pactoria.choose_partition_name(parent, '_default'), parent);
		SELECT b.partition_table INTO STRICT default_partition
		FROM pactoria.partition_bounds(parent) AS b WHERE b.is_default;
		IF (SELECT relowner FROM pg_class WHERE oid = default_partition) <> parent_owner THEN
			EXECUTE format('ALTER TABLE %s OWNER TO %s', default_partition, parent_owner::regrole);
		END IF;
	END IF;
	-- Made by the install script, the default partition is an extension member: mark
	-- it so pg_dump keeps its rows.
	IF pactoria.belongs_to_extension(default_partition)
	   AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pactoria' AND default_partition = ANY (extconfig)) THEN
		PERFORM pg_catalog.pg_extension_config_dump(default_partition, '');
	END IF;

	INSERT INTO pactoria.partition_config AS c
		(parent_table, partition_interval, premake, retention, retention_action, before_removal, registered_by_extension)
	VALUES (parent, register_partitioned_table.partition_interval, register_partitioned_table.premake,
			register_partitioned_table.retention, register_partitioned_table.retention_action, hook, by_extension)
	ON CONFLICT ON CONSTRAINT partition_config_pkey DO UPDATE
		SET partition_interval = EXCLUDED.partition_interval, premake = EXCLUDED.premake,
			retention = EXCLUDED.retention, retention_action = EXCLUDED.retention_action,
			before_removal = EXCLUDED.before_removal;
END
$$;

COMMENT ON FUNCTION pactoria.register_partitioned_table(regclass, interval, integer, interval, text, regprocedure) IS
'Puts a table partitioned by range on one timestamptz, timestamp or date column under pactoria.run_maintenance(): checks it, makes its DEFAULT partition if it has none, and records (or, called again, changes) its interval, premake, retention, retention action and before-removal function.';

REVOKE EXECUTE ON FUNCTION pactoria.register_partitioned_table(regclass, interval, integer, interval, text, regprocedure) FROM PUBLIC;

CREATE FUNCTION pactoria.unregister_partitioned_table(parent regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	by_extension boolean;
BEGIN
	SELECT c.registered_by_extension INTO by_extension
	FROM pactoria.partition_config AS c WHERE c.parent_table = parent;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'table % is not registered for partition maintenance', coalesce(parent::text, 'NULL')
			USING ERRCODE = 'undefined_object';
	END IF;
	IF by_extension THEN
		RAISE EXCEPTION 'table % is registered by the extension and cannot be unregistered', parent
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Set its retention to "forever" in pactoria.system_config to keep every partition.';
	END IF;
	DELETE FROM pactoria.partition_config AS c WHERE c.parent_table = parent;
END
$$;

COMMENT ON FUNCTION pactoria.unregister_partitioned_table(regclass) IS
'Stops partition maintenance of a table registered with register_partitioned_table; its partitions stay as they are.';

REVOKE EXECUTE ON FUNCTION pactoria.unregister_partitioned_table(regclass) FROM PUBLIC;

-- A registered table that is dropped is forgotten with it.  SECURITY DEFINER: the
-- user dropping a table need not be able to write partition_config.
CREATE FUNCTION pactoria.forget_dropped_partitioned_tables()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	DELETE FROM pactoria.partition_config AS c
	USING pg_event_trigger_dropped_objects() AS d
	WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0 AND d.objid = c.parent_table::oid;
END
$$;

COMMENT ON FUNCTION pactoria.forget_dropped_partitioned_tables() IS
'sql_drop event trigger: removes the partition_config rows of dropped tables.';

REVOKE EXECUTE ON FUNCTION pactoria.forget_dropped_partitioned_tables() FROM PUBLIC;

CREATE EVENT TRIGGER pactoria_forget_dropped_partitioned_tables ON sql_drop
	WHEN TAG IN ('DROP TABLE', 'DROP SCHEMA', 'DROP OWNED')
	EXECUTE FUNCTION pactoria.forget_dropped_partitioned_tables();

------------------------------------------------------------------------------------
-- Maintenance.
------------------------------------------------------------------------------------

-- Why a step of maintenance was skipped, from the error that stopped it.
CREATE FUNCTION pactoria.maintenance_skip_reason(error_message text, error_state text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN error_state = '55P03'
			THEN 'a lock it needs is held by another transaction (lock_timeout 100ms)'
			ELSE format('%s (SQLSTATE %s)', error_message, error_state) END;

COMMENT ON FUNCTION pactoria.maintenance_skip_reason(text, text) IS
'Internal: the reason run_maintenance() reports for a skipped step, from the error that stopped it (a lock timeout, or the error itself).';

-- For each registered table (or only p_parent), as of p_now:
--   1. partitions for the interval holding p_now and `premake` more ahead, and for
--      each interval holding rows in the DEFAULT partition, a partition made for
--      them and the rows moved into it (so a run after months without one makes the
--      partitions of the months that received rows; a month without rows needs
--      none: a row that comes later goes to the DEFAULT partition and is moved by the
--      next run).
--      Only ranges no partition covers are made, so existing irregular partitions
--      are respected.  A new partition is made as a standalone table, filled with
--      its rows from the default partition (in batches, triggers off: the rows are
--      moved, not changed), then attached; all under a SHARE lock on the parent
--      alone, so writers wait for it (milliseconds) and readers do not.
--   2. retention: each partition whose real upper bound is at or before
--      p_now - retention is detached or dropped, after its before_removal function.
-- Each step runs in a subtransaction under lock_timeout = 100ms: a step that cannot
-- get its locks (or fails) is undone, reported as 'skipped' and tried again at the
-- next run; the application waits for no more than that plus the step itself.  Creation comes
-- before removal.  One run at a time per database (advisory lock); nothing on a
-- standby.
CREATE FUNCTION pactoria.run_maintenance(p_parent regclass DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS TABLE (parent_table regclass, partition_name text, action text, detail text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
SET lock_timeout = '100ms'
AS $$
#variable_conflict use_column
DECLARE
	batch_size constant integer := 10000;
	parent regclass;
	settings record;
	parent_schema name;
	parent_owner oid;
	parent_tablespace name;
	key_column name;
	key_type regtype;
	key_as_utc text;
	column_list text;
	default_partition regclass;
	default_name text;
	now_utc timestamp := p_now AT TIME ZONE 'UTC';
	current_start timestamp;
	cutoff timestamp;
	covered tsmultirange;
	slots_with_rows timestamp[];
	stuck_rows bigint;
	piece record;
	old record;
	new_name name;
	lower_literal text;
	upper_literal text;
	has_rows boolean;
	moved bigint;
	batch bigint;
	replication_role text;
	created_count integer;
	moved_count bigint;
	detached_count integer;
	dropped_count integer;
	skipped_count integer;
BEGIN
	IF p_now IS NULL OR NOT isfinite(p_now) THEN
		RAISE EXCEPTION 'maintenance time must be a finite timestamp, not %', coalesce(p_now::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pactoria.partition_config AS c WHERE c.parent_table = p_parent) THEN
		RAISE EXCEPTION 'table % is not registered for partition maintenance', p_parent
			USING ERRCODE = 'undefined_object',
				  HINT = 'Register it with pactoria.register_partitioned_table().';
	END IF;
	IF pg_is_in_recovery() THEN
		parent_table := p_parent;
		action := 'skipped';
		detail := 'The server is a standby (in recovery): maintenance runs on the primary, whose partitions reach the standby by replication.';
		RETURN NEXT;
		RETURN;
	END IF;
	IF NOT pg_try_advisory_xact_lock(hashtext('pactoria.run_maintenance')) THEN
		parent_table := p_parent;
		action := 'skipped';
		detail := 'Another run of pactoria.run_maintenance() is in progress in this database; this run did nothing.';
		RETURN NEXT;
		RETURN;
	END IF;

	FOR parent IN
		SELECT c.parent_table FROM pactoria.partition_config AS c
		WHERE p_parent IS NULL OR c.parent_table = p_parent
		ORDER BY c.parent_table::text
	LOOP
		created_count := 0;
		moved_count := 0;
		detached_count := 0;
		dropped_count := 0;
		skipped_count := 0;
		parent_table := parent;

		-- What the table is, what it has and what it needs.
		BEGIN
			SELECT * INTO STRICT settings FROM pactoria.partition_settings AS s WHERE s.parent_table = parent;
			SELECT n.nspname, c.relowner, t.spcname INTO STRICT parent_schema, parent_owner, parent_tablespace
			FROM pg_class AS c
			JOIN pg_namespace AS n ON n.oid = c.relnamespace
			LEFT JOIN pg_tablespace AS t ON t.oid = c.reltablespace
			WHERE c.oid = parent;
			SELECT coalesce(range_agg(tsrange(b.lower_bound, b.upper_bound)) FILTER (WHERE NOT b.is_default), '{}'),
				   (array_agg(b.partition_table) FILTER (WHERE b.is_default))[1]
			INTO STRICT covered, default_partition
			FROM pactoria.partition_bounds(parent) AS b;
			SELECT a.attname, a.atttypid::regtype INTO STRICT key_column, key_type
			FROM pg_partitioned_table AS p
			JOIN pg_attribute AS a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
			WHERE p.partrelid = parent;
			SELECT format('%I.%I', n.nspname, c.relname) INTO default_name
			FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
			WHERE c.oid = default_partition;
			key_as_utc := CASE key_type
				WHEN 'timestamptz'::regtype THEN format('(%I AT TIME ZONE ''UTC'')', key_column)
				WHEN 'date'::regtype THEN format('%I::timestamp', key_column)
				ELSE quote_ident(key_column) END;
			SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO column_list
			FROM pg_attribute AS a
			WHERE a.attrelid = parent AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';

			current_start := pactoria.partition_interval_start(now_utc, settings.partition_interval);
			cutoff := now_utc - settings.retention;
			slots_with_rows := NULL;
			stuck_rows := 0;
			IF default_partition IS NOT NULL THEN
				EXECUTE format('SELECT array_agg(DISTINCT pactoria.partition_interval_start(%1$s, $1)) FILTER (WHERE isfinite(%2$I)),'
							   ' count(*) FILTER (WHERE %2$I IS NULL OR NOT isfinite(%2$I)) FROM %3$s',
							   key_as_utc, key_column, default_partition)
					INTO slots_with_rows, stuck_rows USING settings.partition_interval;
			END IF;
		EXCEPTION WHEN OTHERS THEN
			partition_name := NULL;
			action := 'skipped';
			detail := format('The table was not maintained: %s; it is tried again at the next run.',
							 pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
			RETURN NEXT;
			UPDATE pactoria.partition_config AS c
			SET last_run_at = now(),
				last_run_outcome = jsonb_build_object('created', 0, 'rows_moved', 0, 'detached', 0, 'dropped', 0, 'skipped', 1)
			WHERE c.parent_table = parent;
			CONTINUE;
		END;

		-- 1. Create: every range a slot needs that no partition covers, oldest first.
		FOR piece IN
			SELECT lower(p.range) AS lower_bound, upper(p.range) AS upper_bound
			FROM (SELECT g FROM generate_series(current_start, current_start + settings.premake * settings.partition_interval,
												settings.partition_interval) AS g
				  UNION
				  SELECT unnest(slots_with_rows)) AS slot(lower_bound),
				 unnest(tsmultirange(tsrange(slot.lower_bound, slot.lower_bound + settings.partition_interval)) - covered) AS p(range)
			ORDER BY 1
		LOOP
			lower_literal := pactoria.partition_bound_literal(piece.lower_bound, key_type);
			upper_literal := pactoria.partition_bound_literal(piece.upper_bound, key_type);
			BEGIN
				-- SHARE on the parent alone (not its partitions): an insert already routed
				-- to the default partition with the partitions of before the attach would
				-- fail PostgreSQL's re-check of the default's bounds; this makes writers
				-- wait (milliseconds) for the attach instead, and lets readers through.
				EXECUTE format('LOCK TABLE ONLY %s IN SHARE MODE', parent);
				IF default_partition IS NOT NULL THEN
					EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', default_partition);
				END IF;
				new_name := pactoria.choose_partition_name(parent,
					CASE WHEN settings.partition_interval >= interval '1 month' AND piece.lower_bound = date_trunc('month', piece.lower_bound)
						 THEN to_char(piece.lower_bound, '"_p"YYYY"_"MM')
						 ELSE to_char(piece.lower_bound, '"_p"YYYY"_"MM"_"DD') END);
				EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED'
							   ' INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMPRESSION)%s',
							   parent_schema, new_name, coalesce(default_partition, parent),
							   CASE WHEN parent_tablespace IS NOT NULL THEN format(' TABLESPACE %I', parent_tablespace) ELSE '' END);
				IF parent_owner <> (SELECT oid FROM pg_roles WHERE rolname = current_user) THEN
					EXECUTE format('ALTER TABLE %I.%I OWNER TO %s', parent_schema, new_name, parent_owner::regrole);
				END IF;
				-- Rows of the range in the default partition, looked for under its lock, so
				-- that none can arrive between the move and the attach.
				moved := 0;
				has_rows := false;
				IF default_partition IS NOT NULL THEN
					EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= %L AND %I < %L)',
								   default_partition, key_column, lower_literal, key_column, upper_literal)
						INTO has_rows;
				END IF;
				IF has_rows THEN
					replication_role := current_setting('session_replication_role');
					PERFORM set_config('session_replication_role', 'replica', true);
					LOOP
						EXECUTE format('WITH moved AS (DELETE FROM %1$s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %1$s'
									   ' WHERE %2$I >= %3$L AND %2$I < %4$L LIMIT %5$s)) RETURNING %6$s)'
									   ' INSERT INTO %7$I.%8$I (%6$s) SELECT %6$s FROM moved',
									   default_partition, key_column, lower_literal, upper_literal, batch_size,
									   column_list, parent_schema, new_name);
						GET DIAGNOSTICS batch = ROW_COUNT;
						moved := moved + batch;
						EXIT WHEN batch < batch_size;
					END LOOP;
					PERFORM set_config('session_replication_role', replication_role, true);
				END IF;
				EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
							   parent, parent_schema, new_name, lower_literal, upper_literal);

				partition_name := format('%I.%I', parent_schema, new_name);
				action := 'created';
				detail := format('FOR VALUES FROM (%L) TO (%L)', lower_literal, upper_literal);
				RETURN NEXT;
				created_count := created_count + 1;
				IF moved > 0 THEN
					action := 'rows_moved';
					detail := format('%s rows moved from the default partition %s', moved, default_name);
					RETURN NEXT;
					moved_count := moved_count + moved;
				END IF;
			EXCEPTION WHEN OTHERS THEN
				partition_name := NULL;
				action := 'skipped';
				detail := format('Partition FOR VALUES FROM (%L) TO (%L) not created: %s; it is tried again at the next run.',
								 lower_literal, upper_literal, pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
				RETURN NEXT;
				skipped_count := skipped_count + 1;
			END;
		END LOOP;

		IF stuck_rows > 0 THEN
			partition_name := default_name;
			action := 'skipped';
			detail := format('%s rows of the default partition have a NULL or infinite %I: no range partition can hold them, so they stay there.',
							 stuck_rows, key_column);
			RETURN NEXT;
			skipped_count := skipped_count + 1;
		END IF;

		-- 2. Retention, by each partition's upper bound, oldest first.
		FOR old IN
			SELECT b.partition_table, b.upper_bound, format('%I.%I', n.nspname, c.relname) AS qualified_name
			FROM pactoria.partition_bounds(parent) AS b
			JOIN pg_class AS c ON c.oid = b.partition_table
			JOIN pg_namespace AS n ON n.oid = c.relnamespace
			WHERE NOT b.is_default AND b.upper_bound <= cutoff
			ORDER BY b.lower_bound NULLS FIRST
		LOOP
			BEGIN
				EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', parent);
				EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', old.partition_table);
				IF settings.before_removal IS NOT NULL THEN
					PERFORM pactoria.call_before_removal(settings.before_removal::regprocedure, old.partition_table);
				END IF;
				IF settings.retention_action = 'drop' THEN
					EXECUTE format('DROP TABLE %s', old.partition_table);
					action := 'dropped';
					dropped_count := dropped_count + 1;
				ELSE
					EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, old.partition_table);
					action := 'detached';
					detached_count := detached_count + 1;
				END IF;
				partition_name := old.qualified_name;
				detail := format('Upper bound %s is at or before the retention cutoff %s (retention %s).',
								 old.upper_bound, cutoff, settings.retention);
				RETURN NEXT;
			EXCEPTION WHEN OTHERS THEN
				partition_name := old.qualified_name;
				action := 'skipped';
				detail := format('Past retention but kept: %s; it is tried again at the next run.',
								 pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
				RETURN NEXT;
				skipped_count := skipped_count + 1;
			END;
		END LOOP;

		UPDATE pactoria.partition_config AS c
		SET last_run_at = now(),
			last_run_outcome = jsonb_build_object('created', created_count, 'rows_moved', moved_count,
												  'detached', detached_count, 'dropped', dropped_count,
												  'skipped', skipped_count)
		WHERE c.parent_table = parent;
	END LOOP;
END
$$;

COMMENT ON FUNCTION pactoria.run_maintenance(regclass, timestamptz) IS
'Keeps registered range-partitioned tables (all, or one): makes partitions premake intervals ahead and for rows in the DEFAULT partition (moving them out), then detaches or drops partitions whose upper bound is past retention; one report row per action (created, rows_moved, detached, dropped, skipped). Never blocks longer than lock_timeout 100ms per step: what it cannot lock is skipped and reported.';

REVOKE EXECUTE ON FUNCTION pactoria.run_maintenance(regclass, timestamptz) FROM PUBLIC;


-- The seeds' name for "make next month's partition": now every registered table.
CREATE FUNCTION pactoria.create_monthly_partition()
RETURNS TABLE (parent_table regclass, partition_name text, action text, detail text)
LANGUAGE sql
AS $$ SELECT * FROM pactoria.run_maintenance() $$;

COMMENT ON FUNCTION pactoria.create_monthly_partition() IS
'Kept for the seed applications: runs pactoria.run_maintenance() for every registered table and returns its report.';

REVOKE EXECUTE ON FUNCTION pactoria.create_monthly_partition() FROM PUBLIC;

------------------------------------------------------------------------------------
-- system_metrics: measurements of the application, monthly partitions, kept 25
-- months by default (system_config partition.system_metrics.retention).
--
-- company_id is NULL for a system-wide metric, so it cannot lead the primary key
-- as in the tenant tables (key columns are NOT NULL): the key is (id, recorded_at),
-- the partition key being part of every unique key of a partitioned table.  Tenant
-- reads go through idx_system_metrics_company_id_metric_name_recorded_at, and row
-- security shows a tenant only its own rows; system-wide rows are visible to
-- superusers and BYPASSRLS roles only.
------------------------------------------------------------------------------------

-- The one check of a metric (CHECK constraint of system_metrics): true, or an
-- error naming what is wrong.
CREATE FUNCTION pactoria.check_metric(metric_name text, metric_value double precision, metric_unit text,
									  tags jsonb, recorded_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	IF length(metric_name) = 0 THEN
		RAISE EXCEPTION 'metric name must not be empty' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(metric_name) > 200 THEN
		RAISE EXCEPTION 'metric name is too long (% characters)', length(metric_name)
			USING ERRCODE = 'invalid_parameter_value', DETAIL = 'A metric name has at most 200 characters.';
	END IF;
	IF metric_name !~ '^[A-Za-z][A-Za-z0-9_.:/-]*$' THEN
		RAISE EXCEPTION 'invalid metric name "%"', metric_name
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A metric name starts with a letter and has only letters, digits and _ . : / -.',
				  HINT = 'For example contract.upload_seconds or ai.tokens_used.';
	END IF;
	IF metric_value IN ('NaN', 'Infinity', '-Infinity') THEN
		RAISE EXCEPTION 'metric value must be a finite number, not %', metric_value
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(btrim(metric_unit)) = 0 OR length(metric_unit) > 50 THEN
		RAISE EXCEPTION 'invalid metric unit "%"', metric_unit
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A metric unit has 1 to 50 characters, or is NULL.';
	END IF;
	IF jsonb_typeof(tags) <> 'object' THEN
		RAISE EXCEPTION 'metric tags must be a JSON object, not %', jsonb_typeof(tags)
			USING ERRCODE = 'invalid_parameter_value', HINT = 'For example {"endpoint": "/contracts"}.';
	END IF;
	IF octet_length(tags::text) > 4096 THEN
		RAISE EXCEPTION 'metric tags are too large (% bytes)', octet_length(tags::text)
			USING ERRCODE = 'invalid_parameter_value', DETAIL = 'Tags have at most 4096 bytes as JSON text.';
	END IF;
	IF NOT isfinite(recorded_at) THEN
		RAISE EXCEPTION 'metric time must be finite, not %', recorded_at
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN true;
END
$$;

COMMENT ON FUNCTION pactoria.check_metric(text, double precision, text, jsonb, timestamptz) IS
'Checks a metric: name of 1-200 characters (letter first, then letters, digits, _ . : / -), finite value, unit of 1-50 characters or NULL, tags a JSON object of at most 4096 bytes, finite time; returns true or raises invalid_parameter_value.';

CREATE TABLE pactoria.system_metrics (
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	company_id uuid,
	user_id uuid,
	metric_name text NOT NULL,
	metric_value double precision NOT NULL,
	metric_unit text,
	tags jsonb NOT NULL DEFAULT '{}',
	recorded_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT system_metrics_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT system_metrics_user_id_fkey FOREIGN KEY (company_id, user_id)
		REFERENCES pactoria.users (company_id, id) ON DELETE SET NULL (user_id),
	CONSTRAINT chk_system_metrics_metric
		CHECK (pactoria.check_metric(metric_name, metric_value, metric_unit, tags, recorded_at))
) PARTITION BY RANGE (recorded_at);

COMMENT ON TABLE pactoria.system_metrics IS
'Measurements recorded by the application (pactoria.record_metric), per tenant or system-wide (company_id NULL); partitioned by month on recorded_at and kept by pactoria.run_maintenance().';
COMMENT ON COLUMN pactoria.system_metrics.company_id IS 'The tenant the metric belongs to; NULL for a system-wide metric.';

-- The keys and indexes are on the DEFAULT partition, the template of every partition
-- maintenance makes (see the top of this file for why not on the parent).
CREATE TABLE pactoria.system_metrics_default PARTITION OF pactoria.system_metrics (
	CONSTRAINT system_metrics_default_pkey PRIMARY KEY (id, recorded_at)
) DEFAULT;
CREATE INDEX idx_system_metrics_default_company_id_metric_name_recorded_at
	ON pactoria.system_metrics_default (company_id, metric_name, recorded_at);

SELECT pactoria.enable_tenant_isolation('pactoria.system_metrics');

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('partition.system_metrics.premake', '3',
	 'How many monthly partitions of system_metrics exist ahead of the current month.'),
	('partition.system_metrics.retention', '"25 months"',
	 'How long system_metrics partitions are kept (by their upper bound): an interval, or "forever".'),
	('partition.system_metrics.retention_action', '"drop"',
	 'What happens to a system_metrics partition past retention: "drop", or "detach" to keep it as a table.');

-- The registration's values are those of the keys above, which win once set.
SELECT pactoria.register_partitioned_table('pactoria.system_metrics', '1 month', 3, '25 months', 'drop');

CREATE FUNCTION pactoria.record_metric(metric_name text, metric_value double precision, metric_unit text DEFAULT NULL,
									   tags jsonb DEFAULT '{}', recorded_at timestamptz DEFAULT now())
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	new_id uuid;
BEGIN
	IF record_metric.metric_name IS NULL THEN
		RAISE EXCEPTION 'metric name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF record_metric.metric_value IS NULL THEN
		RAISE EXCEPTION 'metric value must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF record_metric.tags IS NULL THEN
		RAISE EXCEPTION 'metric tags must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass ''{}'' for no tags.';
	END IF;
	IF record_metric.recorded_at IS NULL THEN
		RAISE EXCEPTION 'metric time must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	INSERT INTO pactoria.system_metrics (company_id, user_id, metric_name, metric_value, metric_unit, tags, recorded_at)
	VALUES (pactoria.current_company_id(), pactoria.current_user_id(), record_metric.metric_name,
			record_metric.metric_value, record_metric.metric_unit, record_metric.tags, record_metric.recorded_at)
	RETURNING id INTO new_id;
	RETURN new_id;
END
$$;

COMMENT ON FUNCTION pactoria.record_metric(text, double precision, text, jsonb, timestamptz) IS
'Records a metric for the company and user of the tenant context (system-wide, company NULL, when there is none: superusers and BYPASSRLS roles only) and returns its id.';

-- 50_audit.sql: the audit trail.
--
-- pactoria.audit_logs records every change to the tenant tables (a C statement
-- trigger, pactoria.audit_trigger) and the application's own events
-- (pactoria.log_event).  It is append-only, partitioned by month on occurred_at,
-- and hash-chained per tenant so that an edit made with the triggers disabled is
-- found by pactoria.verify_audit_log().
--
-- The chain.  A tenant's log is a sequence of segments: a segment is the entries
-- one transaction wrote for the company, numbered by chain_position 1, 2, ...,
-- and closed at commit by a commit entry (event_type 'commit', the seal) that
-- carries the tenant's next chain_sequence and the chain_hash of the tenant's
-- previous commit entry (chain_previous_hash).  Every entry stores
--   chain_hash = SHA-256(chain_hash of the entry before it in its segment
--                        (zeros for the first), canonical encoding of the entry)
-- The canonical encoding covers the first 17 columns in table order, each typed
-- and length-prefixed (src/audit_format.h gives it byte by byte); it never uses
-- jsonb's text form.  chain_position and chain_sequence are the order the
-- hashes link and are not hashed themselves, so moved entries show as reordered.
--
-- Locking.  Positions and hashes within a segment are computed by the writing
-- backend without any lock.  Sealing takes, at commit only, a transaction lock
-- per tenant (shown in pg_locks as an advisory lock with objsubid 20545), reads
-- the tenant's head in pactoria.audit_chain_heads, writes the commit entry and
-- moves the head.  Writers of different tenants never wait on each other;
-- writers of one tenant wait only while another one's commit completes, and no
-- lock is held between a transaction's first write and its commit.  Two limits:
-- a deferred trigger of the application that fires after the seal (one queued
-- later in the transaction) runs while the tenant's lock is held, so if it waits
-- for a row another committing writer of the tenant holds, the deadlock detector
-- ends one of them; and a transaction that runs SET CONSTRAINTS ... IMMEDIATE and
-- then writes for further tenants takes their locks in a second round, out of the
-- global order.
--
-- Guarantee.  With the triggers disabled, a superuser (or the owner) can still
-- change, delete, insert or reorder entries.  verify_audit_log() finds each
-- such change to an entry that is followed by a commit entry of the same tenant:
-- the hash of a changed entry no longer matches; a deleted entry leaves a gap in
-- the positions or sequence; an inserted one is a duplicate position, an entry
-- after its segment's seal or an entry no seal covers; a moved one links to the
-- wrong neighbour.  Limits: someone who recomputes every hash from the changed
-- entry to the tenant's latest commit, and the head with them, or who removes a
-- tenant's latest segments together with the head, leaves a consistent chain:
-- only a copy of the head kept elsewhere shows it (pactoria.audit_chain_head()
-- gives the head to anchor, for example in the application's own store or a
-- timestamping service).  Checkpoints (pactoria.audit_checkpoints) vouch for the
-- commit entries of partitions removed by retention; whoever can write them can
-- hide removed entries too.
--
-- Only committed work is audited: entries are written in the transaction that
-- made the change, so a rolled-back transaction or savepoint leaves none.  (pgaudit,
-- which writes to the server log, documents the opposite: its log keeps the
-- statements of rolled-back transactions.)

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('audit.ignored_columns',
	 '{"*": ["updated_at"], "pactoria.companies": ["active_user_count"], "pactoria.user_sessions": ["last_activity"]}',
	 'Columns the audit trail leaves out: per table ("schema.table") or for every table ("*"). An UPDATE changing only these columns writes no entry.'),
	('audit.redacted_columns', '{}',
	 'Columns the audit trail logs as "[redacted]", per table ("schema.table") or for every table ("*"); hashed_password, token_hash, invitation_token and any column whose name contains "encrypted" always are.'),
	('audit.event_types',
	 '["login", "logout", "login_failed", "password_change", "password_reset", "read", "export", "import", "download", "upload", "share", "print", "send", "sign"]',
	 'Application event types pactoria.log_event() accepts (create, update, delete and commit are written by pactoria itself).');

------------------------------------------------------------------------------------
-- The log.  Range-partitioned by month on occurred_at; the install creates only
-- the parent and its default partition (a month partition made here would be an
-- extension member with a date in its bounds, which a dump restored in another
-- month could not re-create).  Partition maintenance (40_partitions) makes the
-- month partitions, as ordinary tables, and removes them past retention after
-- pactoria.audit_checkpoint() has recorded their commit entries.
--
-- The primary key and indexes are on the DEFAULT partition, not on the parent: a
-- partitioned index of an extension's table would make ATTACH PARTITION build the
-- partition's index during a restore, before pg_dump's own definition of it, which
-- then fails ("multiple primary keys").  The DEFAULT partition is the template:
-- partition maintenance makes each partition LIKE it INCLUDING INDEXES, and
-- pactoria.prepare_audit_partition() gives any partition made otherwise the
-- template's indexes, and every partition the trigger refusing TRUNCATE.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.audit_logs (
	company_id uuid NOT NULL,
	id uuid NOT NULL,
	occurred_at timestamptz NOT NULL,
	event_type text NOT NULL,
	resource_type text NOT NULL,
	resource_id uuid,
	contract_id uuid,
	user_id uuid,
	ip_address inet,
	user_agent text,
	session_id text,
	old_values jsonb,
	new_values jsonb,
	changed_columns text[],
	additional_data jsonb,
	transaction_id xid8 NOT NULL,
	chain_previous_hash bytea,
	chain_sequence bigint,
	chain_position integer NOT NULL,
	chain_hash bytea NOT NULL,
	-- Only the writer (C) inserts here and it guarantees the rest (lengths, positions,
	-- 32-byte hashes); verify_audit_log() checks what a forged entry could break.
	-- One CHECK only: PostgreSQL parses and plans a partition's CHECK constraints
	-- again for every INSERT statement, and a one-row transaction makes two.
	CONSTRAINT chk_audit_logs_commit CHECK ((event_type = 'commit') = (chain_sequence IS NOT NULL)
		AND (chain_sequence IS NULL) = (chain_previous_hash IS NULL))
) PARTITION BY RANGE (occurred_at);

COMMENT ON TABLE pactoria.audit_logs IS
'The audit trail: every change to the tenant tables and every application event, append-only, partitioned by month, hash-chained per tenant (pactoria.verify_audit_log).';
COMMENT ON COLUMN pactoria.audit_logs.occurred_at IS
'Start of the transaction that wrote the entry (now()); the same for all entries of one transaction and tenant.';
COMMENT ON COLUMN pactoria.audit_logs.event_type IS
'create, update or delete (audit trigger), commit (the seal closing a transaction''s entries), or an application event (pactoria.log_event).';
COMMENT ON COLUMN pactoria.audit_logs.resource_type IS 'The audited table''s name, or the resource type given to pactoria.log_event.';
COMMENT ON COLUMN pactoria.audit_logs.old_values IS 'DELETE: the row; UPDATE: the changed columns before. Secret columns show "[redacted]".';
COMMENT ON COLUMN pactoria.audit_logs.new_values IS 'INSERT: the row; UPDATE: the changed columns after. Secret columns show "[redacted]".';
COMMENT ON COLUMN pactoria.audit_logs.transaction_id IS 'The writing transaction (pg_current_xact_id()).';
COMMENT ON COLUMN pactoria.audit_logs.chain_previous_hash IS 'Commit entries only: chain_hash of the tenant''s previous commit entry (zeros for the first).';
COMMENT ON COLUMN pactoria.audit_logs.chain_sequence IS 'Commit entries only: the tenant''s 1, 2, 3... in commit order.';
COMMENT ON COLUMN pactoria.audit_logs.chain_position IS 'Position of the entry among its transaction''s entries for the tenant; the commit entry is the last.';
COMMENT ON COLUMN pactoria.audit_logs.chain_hash IS 'SHA-256 of the previous entry''s chain_hash and this entry''s canonical encoding (pactoria.audit_chain_hash).';

CREATE TABLE pactoria.audit_logs_default PARTITION OF pactoria.audit_logs (
	CONSTRAINT audit_logs_default_pkey PRIMARY KEY (company_id, occurred_at, id)
) DEFAULT;

COMMENT ON TABLE pactoria.audit_logs_default IS
'Entries for which no month partition exists yet (partition maintenance moves them into their month); the template of the keys and indexes of every partition.';

-- A tenant's log by time is the primary key.  The history of one resource:
CREATE INDEX idx_audit_logs_default_company_id_resource_id_occurred_at
	ON pactoria.audit_logs_default (company_id, resource_id, occurred_at) WHERE resource_id IS NOT NULL;
-- The history of a contract with everything that belongs to it:
CREATE INDEX idx_audit_logs_default_company_id_contract_id_occurred_at
	ON pactoria.audit_logs_default (company_id, contract_id, occurred_at) WHERE contract_id IS NOT NULL;
-- Commit entries by chain sequence, for verification:
CREATE INDEX idx_audit_logs_default_company_id_chain_sequence
	ON pactoria.audit_logs_default (company_id, chain_sequence) WHERE chain_sequence IS NOT NULL;

SELECT pg_catalog.pg_extension_config_dump('pactoria.audit_logs_default', '');

-- Partition upkeep: registered with partition maintenance at the end of this file,
-- once pactoria.audit_checkpoint() exists.

------------------------------------------------------------------------------------
-- Chain heads and checkpoints.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.audit_chain_heads (
	company_id uuid NOT NULL,
	chain_sequence bigint NOT NULL,
	chain_hash bytea NOT NULL,
	entry_id uuid NOT NULL,
	occurred_at timestamptz NOT NULL,
	CONSTRAINT audit_chain_heads_pkey PRIMARY KEY (company_id),
	CONSTRAINT chk_audit_chain_heads_chain_sequence CHECK (chain_sequence > 0),
	CONSTRAINT chk_audit_chain_heads_chain_hash CHECK (octet_length(chain_hash) = 32)
);

COMMENT ON TABLE pactoria.audit_chain_heads IS
'Each tenant''s latest commit entry: where the next seal continues the chain, and what verification expects at its end.';

CREATE TABLE pactoria.audit_checkpoints (
	company_id uuid NOT NULL,
	first_sequence bigint NOT NULL,
	last_sequence bigint NOT NULL,
	last_chain_hash bytea NOT NULL,
	entry_count bigint NOT NULL,
	partition_name text NOT NULL,
	partition_bounds text NOT NULL,
	checkpointed_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (company_id, first_sequence),
	CONSTRAINT chk_audit_checkpoints_sequences CHECK (first_sequence > 0 AND last_sequence >= first_sequence),
	CONSTRAINT chk_audit_checkpoints_last_chain_hash CHECK (octet_length(last_chain_hash) = 32),
	CONSTRAINT chk_audit_checkpoints_entry_count CHECK (entry_count > 0)
);

COMMENT ON TABLE pactoria.audit_checkpoints IS
'Commit entries removed with their partition by retention: per tenant, each run of chain sequences and the chain hash of its last, so that verification continues across them.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.audit_chain_heads', '');
SELECT pg_catalog.pg_extension_config_dump('pactoria.audit_checkpoints', '');

------------------------------------------------------------------------------------
-- The C functions.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.audit_chain_hash(previous bytea, entry pactoria.audit_logs)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_audit_chain_hash'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.audit_chain_hash(bytea, pactoria.audit_logs) IS
'The chain_hash an audit entry must have after an entry whose chain_hash is previous (NULL: first of its transaction): SHA-256 of previous and the entry''s canonical encoding.';

CREATE FUNCTION pactoria.audit_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_audit_trigger'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.audit_trigger() IS
'AFTER INSERT, UPDATE or DELETE statement trigger with transition tables (create it with pactoria.enable_audit): writes an audit entry per changed row. Argument: the tenant column, default company_id.';

CREATE FUNCTION pactoria.audit_seal()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_audit_seal'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.audit_seal() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_seal() IS
'Deferred constraint trigger of pactoria.audit_logs: at commit, closes each tenant''s entries of the transaction with a commit entry chained to the tenant''s previous one.';

CREATE FUNCTION pactoria.audit_settings_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_audit_settings_changed'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.audit_settings_changed() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_settings_changed() IS
'Statement trigger of pactoria.system_config: makes every session re-read the audit column settings.';

CREATE FUNCTION pactoria.log_event(event_type text, resource_type text, resource_id uuid DEFAULT NULL,
								   data jsonb DEFAULT NULL)
RETURNS uuid
AS 'MODULE_PATHNAME', 'pactoria_log_event'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION pactoria.log_event(text, text, uuid, jsonb) IS
'Records an application event (login, export, ... as listed in system_config audit.event_types) for the tenant in context, in the same hash chain; returns the entry''s id.';

------------------------------------------------------------------------------------
-- Append-only: no UPDATE, DELETE or TRUNCATE, for the owner too.  Row triggers of
-- the parent are cloned to every partition, also those made later; a TRUNCATE
-- trigger is not, so each partition gets its own (prepare_audit_partition).
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.refuse_audit_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	RAISE EXCEPTION '% of %.% is not allowed: the audit trail is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege',
			  DETAIL = 'Audit entries are never changed or deleted, by anyone.',
			  HINT = 'Entries leave only with their whole partition, when partition maintenance applies the retention.';
END
$$;

COMMENT ON FUNCTION pactoria.refuse_audit_change() IS
'BEFORE UPDATE, DELETE or TRUNCATE trigger of the audit tables: refuses the change.';

CREATE TRIGGER trg_audit_logs_refuse_change
	BEFORE UPDATE OR DELETE ON pactoria.audit_logs
	FOR EACH ROW EXECUTE FUNCTION pactoria.refuse_audit_change();
CREATE TRIGGER trg_audit_logs_refuse_truncate
	BEFORE TRUNCATE ON pactoria.audit_logs
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.refuse_audit_change();
CREATE TRIGGER trg_audit_checkpoints_refuse_change
	BEFORE UPDATE OR DELETE ON pactoria.audit_checkpoints
	FOR EACH ROW EXECUTE FUNCTION pactoria.refuse_audit_change();
CREATE TRIGGER trg_audit_checkpoints_refuse_truncate
	BEFORE TRUNCATE ON pactoria.audit_checkpoints
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.refuse_audit_change();

-- What every partition of audit_logs has: the primary key and indexes of the
-- DEFAULT partition, and the TRUNCATE trigger.  Idempotent: it adds only what is
-- missing (an index counts as present when its definition, less its name, is the
-- template's), so a partition made LIKE the template INCLUDING INDEXES gets only
-- the trigger.
CREATE FUNCTION pactoria.prepare_audit_partition(partition regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	template record;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_trigger AS t
				   WHERE t.tgrelid = partition AND t.tgname = 'trg_audit_logs_refuse_truncate') THEN
		EXECUTE format('CREATE TRIGGER trg_audit_logs_refuse_truncate BEFORE TRUNCATE ON %s'
					   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.refuse_audit_change()', partition);
	END IF;
	FOR template IN
		SELECT i.indisprimary, i.indisunique,
			   substring(pg_get_indexdef(i.indexrelid) FROM ' USING (.*)$') AS definition,
			   (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)
				FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
				JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
		FROM pg_index AS i
		WHERE i.indrelid = 'pactoria.audit_logs_default'::regclass AND partition <> 'pactoria.audit_logs_default'::regclass
		ORDER BY i.indisprimary DESC, i.indexrelid
	LOOP
		CONTINUE WHEN EXISTS (SELECT 1 FROM pg_index AS i
							  WHERE i.indrelid = partition AND i.indisunique = template.indisunique
								AND substring(pg_get_indexdef(i.indexrelid) FROM ' USING (.*)$') = template.definition);
		IF template.indisprimary THEN
			EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (%s)', partition, template.columns);
		ELSE
			EXECUTE format('CREATE INDEX ON %s USING %s', partition, template.definition);
		END IF;
	END LOOP;
END
$$;

COMMENT ON FUNCTION pactoria.prepare_audit_partition(regclass) IS
'Gives a partition of pactoria.audit_logs what it lacks of the DEFAULT partition''s primary key and indexes, and the trigger refusing TRUNCATE.';

SELECT pactoria.prepare_audit_partition('pactoria.audit_logs_default');

-- Every partition made or attached later gets the same.  SECURITY DEFINER: it
-- runs for every CREATE TABLE and ALTER TABLE of the database, whoever issues it,
-- and must see schema pactoria.  Like every event trigger it does not fire with
-- session_replication_role = replica, so a restore (which brings the partitions'
-- own keys, indexes and triggers) does not collide with the dump.
CREATE FUNCTION pactoria.prepare_new_audit_partitions()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	audit_logs regclass := to_regclass('pactoria.audit_logs');
	partition regclass;
BEGIN
	IF audit_logs IS NULL OR NOT EXISTS (
		SELECT 1 FROM pg_event_trigger_ddl_commands() AS command
		WHERE command.classid = 'pg_class'::regclass
		  AND command.objid IN (SELECT tree.relid FROM pg_partition_tree(audit_logs) AS tree)) THEN
		RETURN;
	END IF;
	FOR partition IN SELECT tree.relid FROM pg_partition_tree(audit_logs) AS tree WHERE tree.isleaf LOOP
		PERFORM pactoria.prepare_audit_partition(partition);
	END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.prepare_new_audit_partitions() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.prepare_new_audit_partitions() IS
'Event trigger: gives every new or attached partition of pactoria.audit_logs its primary key, indexes and the trigger refusing TRUNCATE.';

CREATE EVENT TRIGGER pactoria_prepare_audit_partitions
	ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
	EXECUTE FUNCTION pactoria.prepare_new_audit_partitions();

-- Tenant isolation: a tenant reads its own entries, head and checkpoints only.
SELECT pactoria.enable_tenant_isolation('pactoria.audit_logs');
SELECT pactoria.enable_tenant_isolation('pactoria.audit_chain_heads');
SELECT pactoria.enable_tenant_isolation('pactoria.audit_checkpoints');

-- The seal: deferred to commit, queued once per segment (its first entry).
CREATE CONSTRAINT TRIGGER trg_audit_logs_seal
	AFTER INSERT ON pactoria.audit_logs
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (NEW.chain_position = 1)
	EXECUTE FUNCTION pactoria.audit_seal();

------------------------------------------------------------------------------------
-- Which columns are logged.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.audit_columns(table_name regclass)
RETURNS TABLE (attribute_number smallint, column_name name, treatment text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
BEGIN ATOMIC
	WITH settings AS (
		SELECT pactoria.get_config('audit.ignored_columns') AS ignored,
			   pactoria.get_config('audit.redacted_columns') AS redacted,
			   (SELECT format('%I.%I', n.nspname, c.relname)
				FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
				WHERE c.oid = audit_columns.table_name) AS qualified_name
	)
	SELECT a.attnum, a.attname,
		   CASE
			   WHEN a.attgenerated <> '' THEN 'ignored'
			   WHEN coalesce(s.ignored -> '*', '[]') ? a.attname
					OR coalesce(s.ignored -> s.qualified_name, '[]') ? a.attname THEN 'ignored'
			   WHEN a.attname IN ('hashed_password', 'token_hash', 'invitation_token')
					OR a.attname LIKE '%encrypted%' THEN 'redacted'
			   WHEN coalesce(s.redacted -> '*', '[]') ? a.attname
					OR coalesce(s.redacted -> s.qualified_name, '[]') ? a.attname THEN 'redacted'
			   ELSE 'logged'
		   END
	FROM pg_attribute AS a, settings AS s
	WHERE a.attrelid = audit_columns.table_name AND a.attnum > 0 AND NOT a.attisdropped
	ORDER BY a.attnum;
END;

COMMENT ON FUNCTION pactoria.audit_columns(regclass) IS
'How the audit trail treats each column of a table: logged, redacted (secrets, and system_config audit.redacted_columns) or ignored (generated columns, and audit.ignored_columns).';

-- The settings are checked when set, and every session re-reads them after.
CREATE FUNCTION pactoria.check_audit_settings()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	IF NEW.key IN ('audit.ignored_columns', 'audit.redacted_columns') THEN
		IF jsonb_typeof(NEW.value) <> 'object' OR EXISTS (
			SELECT 1 FROM jsonb_each(NEW.value) AS setting
			WHERE (setting.key <> '*' AND setting.key !~ '^[^.]+\.[^.]+$')
			   OR jsonb_typeof(setting.value) <> 'array'
			   OR EXISTS (SELECT 1 FROM jsonb_array_elements(setting.value) AS element
						  WHERE jsonb_typeof(element) <> 'string')) THEN
			RAISE EXCEPTION 'invalid value for "%": %', NEW.key, NEW.value
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'The value is an object mapping "*" or "schema.table" to an array of column names.',
					  HINT = 'For example {"*": ["updated_at"], "public.invoices": ["printed_at"]}.';
		END IF;
	ELSIF NEW.key = 'audit.event_types' THEN
		IF jsonb_typeof(NEW.value) <> 'array' OR EXISTS (
			SELECT 1 FROM jsonb_array_elements(NEW.value) AS element
			WHERE jsonb_typeof(element) <> 'string'
			   OR NOT pactoria.is_valid_identifier(element #>> '{}')
			   OR element #>> '{}' IN ('create', 'update', 'delete', 'commit')) THEN
			RAISE EXCEPTION 'invalid value for "audit.event_types": %', NEW.value
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'The value is an array of lower-case identifiers; create, update, delete and commit are reserved.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

COMMENT ON FUNCTION pactoria.check_audit_settings() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_config: checks the shape of the audit.* settings.';

CREATE TRIGGER trg_system_config_check_audit_settings
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW WHEN (NEW.key LIKE 'audit.%')
	EXECUTE FUNCTION pactoria.check_audit_settings();
CREATE TRIGGER trg_system_config_reload_audit_settings
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pactoria.system_config
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_settings_changed();

------------------------------------------------------------------------------------
-- Auditing a table.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.enable_audit(table_name regclass, tenant_column name DEFAULT 'company_id')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	relation_name name;
	required_column name;
	prefix text;
BEGIN
	IF table_name IS NULL OR tenant_column IS NULL THEN
		RAISE EXCEPTION 'table_name and tenant_column must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT c.relname INTO relation_name FROM pg_class AS c WHERE c.oid = table_name;
	FOREACH required_column IN ARRAY ARRAY[tenant_column, 'id'::name] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_attribute AS a JOIN pg_type AS t ON t.oid = a.atttypid
					   WHERE a.attrelid = table_name AND a.attname = required_column AND NOT a.attisdropped
						 AND coalesce(nullif(t.typbasetype, 0), t.oid) = 'uuid'::regtype) THEN
			RAISE EXCEPTION 'table % has no column % of type uuid', table_name, required_column
				USING ERRCODE = 'undefined_column',
					  HINT = 'An audited table needs its tenant column (company_id unless named) and an id column, both uuid.';
		END IF;
	END LOOP;

	prefix := 'trg_' || left(relation_name, 40) || '_audit_';
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'insert', table_name, tenant_column);
	EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'update', table_name, tenant_column);
	EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'delete', table_name, tenant_column);
END
$$;

COMMENT ON FUNCTION pactoria.enable_audit(regclass, name) IS
'Audits a table with uuid tenant and id columns: creates its three audit triggers (INSERT, UPDATE, DELETE), which write every change to pactoria.audit_logs.';

-- The tenant tables of the data model.  companies is its own tenant.
SELECT pactoria.enable_audit('pactoria.companies', 'id');
DO $$
DECLARE
	table_name text;
BEGIN
	FOREACH table_name IN ARRAY ARRAY['users', 'user_sessions', 'templates', 'ai_generations', 'contracts',
									  'contract_versions', 'compliance_scores', 'extractions',
									  'extraction_fields', 'corrections', 'extraction_metrics',
									  'chat_messages', 'risk_assessments'] LOOP
		PERFORM pactoria.enable_audit(format('pactoria.%I', table_name)::regclass);
	END LOOP;
END
$$;

------------------------------------------------------------------------------------
-- Verification.
------------------------------------------------------------------------------------
-- One query, so one snapshot: entries committed meanwhile are seen whole or not
-- at all.  jit is off: compiling its many expressions costs more than running them.
CREATE FUNCTION pactoria.verify_audit_log(company_id uuid DEFAULT NULL, from_time timestamptz DEFAULT NULL,
										  to_time timestamptz DEFAULT NULL)
RETURNS TABLE (company uuid, problem text, entry_id uuid, occurred_at timestamptz,
			   chain_sequence bigint, chain_position integer, detail text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria
SET jit = off
BEGIN ATOMIC
	WITH entries AS (
		SELECT a.company_id, a.id, a.occurred_at, a.transaction_id, a.event_type, a.chain_sequence,
			   a.chain_previous_hash, a.chain_position, a.chain_hash, a AS entry,
			   lag(a.chain_position) OVER segment AS previous_position,
			   lag(a.event_type) OVER segment AS previous_event_type,
			   count(a.chain_sequence) OVER (PARTITION BY a.company_id, a.occurred_at, a.transaction_id) AS seal_count,
			   pactoria.audit_chain_hash(CASE WHEN a.chain_position > 1 AND octet_length(lag(a.chain_hash) OVER segment) = 32
											  THEN lag(a.chain_hash) OVER segment END, a) AS expected_hash
		FROM pactoria.audit_logs AS a
		WHERE (verify_audit_log.company_id IS NULL OR a.company_id = verify_audit_log.company_id)
		  AND (verify_audit_log.from_time IS NULL OR a.occurred_at >= verify_audit_log.from_time)
		  AND (verify_audit_log.to_time IS NULL OR a.occurred_at < verify_audit_log.to_time)
		WINDOW segment AS (PARTITION BY a.company_id, a.occurred_at, a.transaction_id
						   ORDER BY a.chain_position, a.id)
	),
	entry_problems AS (
		SELECT e.company_id, e.id, e.occurred_at, e.chain_sequence, e.chain_position,
			   CASE
				   WHEN e.previous_position = e.chain_position OR e.previous_event_type = 'commit' THEN 'inserted'
				   WHEN e.chain_position <> coalesce(e.previous_position, 0) + 1 THEN 'deleted'
				   WHEN e.seal_count = 0 AND e.previous_position IS NULL THEN 'unsealed'
				   WHEN e.expected_hash <> e.chain_hash THEN
					   CASE WHEN EXISTS (SELECT 1 FROM entries AS other
										 WHERE other.company_id = e.company_id AND other.occurred_at = e.occurred_at
										   AND other.transaction_id = e.transaction_id AND other.id <> e.id
										   AND octet_length(other.chain_hash) = 32
										   AND pactoria.audit_chain_hash(other.chain_hash, e.entry) = e.chain_hash)
							THEN 'reordered' ELSE 'modified' END
			   END AS problem,
			   CASE
				   WHEN e.previous_position = e.chain_position
					   THEN format('two entries of transaction %s have position %s', e.transaction_id, e.chain_position)
				   WHEN e.previous_event_type = 'commit'
					   THEN format('entry at position %s of transaction %s follows its commit entry', e.chain_position, e.transaction_id)
				   WHEN e.chain_position <> coalesce(e.previous_position, 0) + 1
					   THEN format('entries %s to %s of transaction %s are missing', coalesce(e.previous_position, 0) + 1,
								   e.chain_position - 1, e.transaction_id)
				   WHEN e.seal_count = 0
					   THEN format('entries of transaction %s have no commit entry', e.transaction_id)
				   ELSE format('entry at position %s of transaction %s does not match its chain hash', e.chain_position, e.transaction_id)
			   END AS detail
		FROM entries AS e
	),
	seals AS (
		SELECT e.company_id, e.id, e.occurred_at, e.chain_sequence, e.chain_position, e.chain_previous_hash,
			   lag(e.chain_sequence) OVER by_sequence AS previous_sequence,
			   lag(e.chain_hash) OVER by_sequence AS previous_hash,
			   count(*) OVER (PARTITION BY e.company_id, e.chain_sequence) AS same_sequence
		FROM entries AS e
		WHERE e.chain_sequence IS NOT NULL
		WINDOW by_sequence AS (PARTITION BY e.company_id ORDER BY e.chain_sequence, e.id)
	),
	seal_links AS (
		SELECT s.*,
			   CASE
				   WHEN s.chain_sequence = 1 THEN '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
				   WHEN s.previous_sequence = s.chain_sequence - 1 THEN s.previous_hash
				   ELSE coalesce((SELECT p.chain_hash FROM pactoria.audit_logs AS p
								  WHERE p.company_id = s.company_id AND p.chain_sequence = s.chain_sequence - 1
								  ORDER BY p.id LIMIT 1),
								 (SELECT c.last_chain_hash FROM pactoria.audit_checkpoints AS c
								  WHERE c.company_id = s.company_id AND c.last_sequence = s.chain_sequence - 1))
			   END AS predecessor_hash
		FROM seals AS s
	),
	seal_problems AS (
		SELECT l.company_id, l.id, l.occurred_at, l.chain_sequence, l.chain_position,
			   CASE
				   WHEN l.same_sequence > 1 THEN 'inserted'
				   WHEN l.predecessor_hash IS NULL THEN 'deleted'
				   WHEN l.predecessor_hash <> l.chain_previous_hash THEN
					   CASE WHEN EXISTS (SELECT 1 FROM pactoria.audit_logs AS other
										 WHERE other.company_id = l.company_id AND other.chain_sequence IS NOT NULL
										   AND other.id <> l.id AND other.chain_hash = l.chain_previous_hash)
							THEN 'reordered' ELSE 'modified' END
			   END AS problem,
			   CASE
				   WHEN l.same_sequence > 1 THEN format('%s commit entries have chain sequence %s', l.same_sequence, l.chain_sequence)
				   WHEN l.predecessor_hash IS NULL
					   THEN format('commit entry %s is missing (no entry and no checkpoint)', l.chain_sequence - 1)
				   ELSE format('commit entry %s does not link to commit entry %s', l.chain_sequence, l.chain_sequence - 1)
			   END AS detail
		FROM seal_links AS l
	),
	head_problems AS (
		SELECT h.company_id, h.entry_id AS id, h.occurred_at, h.chain_sequence, NULL::integer AS chain_position,
			   CASE
				   WHEN latest.chain_sequence > h.chain_sequence THEN 'inserted'
				   WHEN at_head.chain_hash IS NULL THEN 'deleted'
				   WHEN at_head.chain_hash <> h.chain_hash THEN 'modified'
			   END AS problem,
			   CASE
				   WHEN latest.chain_sequence > h.chain_sequence
					   THEN format('commit entries up to %s follow the chain head %s', latest.chain_sequence, h.chain_sequence)
				   WHEN at_head.chain_hash IS NULL
					   THEN format('the chain head, commit entry %s, is missing', h.chain_sequence)
				   ELSE format('the chain head, commit entry %s, does not match its recorded hash', h.chain_sequence)
			   END AS detail
		FROM pactoria.audit_chain_heads AS h
		CROSS JOIN LATERAL (SELECT max(a.chain_sequence) AS chain_sequence FROM pactoria.audit_logs AS a
							WHERE a.company_id = h.company_id AND a.chain_sequence IS NOT NULL) AS latest
		CROSS JOIN LATERAL (SELECT coalesce((SELECT a.chain_hash FROM pactoria.audit_logs AS a
											 WHERE a.company_id = h.company_id AND a.chain_sequence = h.chain_sequence
											 ORDER BY a.id LIMIT 1),
											(SELECT c.last_chain_hash FROM pactoria.audit_checkpoints AS c
											 WHERE c.company_id = h.company_id AND c.last_sequence = h.chain_sequence))
								AS chain_hash) AS at_head
		WHERE verify_audit_log.to_time IS NULL
		  AND (verify_audit_log.company_id IS NULL OR h.company_id = verify_audit_log.company_id)
	),
	headless AS (
		SELECT e.company_id, e.id, e.occurred_at, e.chain_sequence, e.chain_position, 'deleted' AS problem,
			   'the company has commit entries but no chain head' AS detail
		FROM entries AS e
		WHERE verify_audit_log.to_time IS NULL AND e.chain_sequence IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM pactoria.audit_chain_heads AS h WHERE h.company_id = e.company_id)
	),
	problems AS (
		SELECT * FROM entry_problems WHERE problem IS NOT NULL
		UNION ALL
		SELECT * FROM seal_problems WHERE problem IS NOT NULL
		UNION ALL
		SELECT * FROM head_problems WHERE problem IS NOT NULL
		UNION ALL
		SELECT * FROM headless
	),
	resolved AS (
		-- Entries no commit entry covers: their seal was deleted when the chain
		-- misses one, otherwise they were inserted.
		SELECT p.company_id, p.id, p.occurred_at, p.chain_sequence, p.chain_position, p.detail,
			   CASE WHEN p.problem <> 'unsealed' THEN p.problem
					WHEN EXISTS (SELECT 1 FROM problems AS q
								 WHERE q.company_id = p.company_id AND q.problem = 'deleted') THEN 'deleted'
					ELSE 'inserted' END AS problem
		FROM problems AS p
	)
	SELECT DISTINCT ON (r.company_id) r.company_id, r.problem, r.id, r.occurred_at, r.chain_sequence,
		   r.chain_position, r.detail
	FROM resolved AS r
	ORDER BY r.company_id, r.occurred_at, r.chain_position NULLS LAST, r.chain_sequence NULLS LAST;
END;

COMMENT ON FUNCTION pactoria.verify_audit_log(uuid, timestamptz, timestamptz) IS
'Checks the audit hash chain of one company (default all visible) between two times (default all): no rows when intact, else one row per company naming its first broken entry and whether it was modified, deleted, inserted or reordered.';

CREATE FUNCTION pactoria.audit_chain_head(company_id uuid)
RETURNS TABLE (chain_sequence bigint, chain_hash bytea, entry_id uuid, occurred_at timestamptz)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
BEGIN ATOMIC
	SELECT h.chain_sequence, h.chain_hash, h.entry_id, h.occurred_at
	FROM pactoria.audit_chain_heads AS h
	WHERE h.company_id = audit_chain_head.company_id;
END;

COMMENT ON FUNCTION pactoria.audit_chain_head(uuid) IS
'The company''s latest commit entry and its chain hash: keep a copy outside the database (an external anchor) to detect a rewritten or truncated chain.';

-- Called by partition maintenance just before retention detaches or drops a
-- partition of audit_logs (register_partitioned_table's before_removal).  It
-- verifies the partition's entries (a broken chain raises, and maintenance then
-- keeps the partition and its evidence) and records, per tenant, each run of
-- commit entries leaving with it and the hash of its last.  SECURITY DEFINER:
-- maintenance may run as another role; nobody else may write checkpoints.
CREATE FUNCTION pactoria.audit_checkpoint(partition regclass)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria
SET datestyle = 'ISO, YMD'
SET timezone = 'UTC'
AS $$
DECLARE
	bounds text;
	first_time timestamptz;
	last_time timestamptz;
	problem record;
BEGIN
	IF partition IS NULL THEN
		RAISE EXCEPTION 'partition must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT pg_get_expr(c.relpartbound, c.oid) INTO bounds
	FROM pg_class AS c JOIN pg_inherits AS i ON i.inhrelid = c.oid
	WHERE c.oid = partition AND i.inhparent = 'pactoria.audit_logs'::regclass;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'relation % is not a partition of pactoria.audit_logs', partition
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF bounds = 'DEFAULT' THEN
		RAISE EXCEPTION 'the default partition of pactoria.audit_logs is never removed'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Checkpoints are written for month partitions leaving by retention.';
	END IF;

	EXECUTE format('SELECT min(occurred_at), max(occurred_at) FROM %s', partition) INTO first_time, last_time;
	IF first_time IS NULL THEN
		RETURN;
	END IF;
	SELECT * INTO problem FROM pactoria.verify_audit_log(NULL, first_time, last_time + interval '1 microsecond') LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'audit log partition % fails verification: % entry of company %', partition, problem.problem, problem.company
			USING ERRCODE = 'data_corrupted',
				  DETAIL = problem.detail,
				  HINT = 'The partition is kept as evidence. Investigate with pactoria.verify_audit_log().';
	END IF;

	EXECUTE format(
		'INSERT INTO pactoria.audit_checkpoints (company_id, first_sequence, last_sequence, last_chain_hash,'
		'                                        entry_count, partition_name, partition_bounds)'
		' SELECT seals.company_id, min(seals.chain_sequence), max(seals.chain_sequence),'
		'        (array_agg(seals.chain_hash ORDER BY seals.chain_sequence DESC))[1], sum(seals.chain_position), %L, %L'
		' FROM (SELECT s.company_id, s.chain_sequence, s.chain_hash, s.chain_position,'
		'              s.chain_sequence - row_number() OVER (PARTITION BY s.company_id ORDER BY s.chain_sequence) AS run'
		'       FROM %s AS s WHERE s.chain_sequence IS NOT NULL) AS seals'
		' GROUP BY seals.company_id, seals.run'
		' ON CONFLICT (company_id, first_sequence) DO NOTHING',
		partition::text, bounds, partition);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.audit_checkpoint(regclass) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_checkpoint(regclass) IS
'Before retention removes a partition of pactoria.audit_logs: verifies its entries (raising keeps the partition) and records its commit entries per tenant in pactoria.audit_checkpoints.';

------------------------------------------------------------------------------------
-- Partition upkeep: monthly partitions made by pactoria.run_maintenance(), kept
-- seven years by their upper bound, each checkpointed before it leaves.
------------------------------------------------------------------------------------
INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('partition.audit_logs.premake', '3',
	 'How many monthly partitions of audit_logs exist ahead of the current month.'),
	('partition.audit_logs.retention', '"7 years"',
	 'How long audit_logs partitions are kept (by their upper bound): an interval, or "forever".'),
	('partition.audit_logs.retention_action', '"drop"',
	 'What happens to an audit_logs partition past retention (after its checkpoint): "drop", or "detach" to keep it as a table.');

SELECT pactoria.register_partitioned_table('pactoria.audit_logs', '1 month', 3, '7 years', 'drop',
										   'pactoria.audit_checkpoint(regclass)');

-- 60_contract_lifecycle.sql: contract versions and the contract lifecycle.
--
-- Versions: inserting a contract records version 1 in contract_versions; each
-- UPDATE that changes its content (plain_english_input, generated_content,
-- final_content) increments contracts.version in the same row write and records
-- the new version with the full content, the transaction's change summary
-- (pactoria.set_change_summary) and the user in the tenant context.  The row
-- lock of the UPDATE serialises the numbering, so versions are 1..N without
-- gaps under any concurrency.  The history is immutable: no UPDATE, DELETE,
-- TRUNCATE or hand-made INSERT, owner included; a draft goes with its history
-- only through pactoria.delete_contract().
--
-- Lifecycle: draft -> pending_review -> approved -> active -> expired | terminated;
-- draft | pending_review -> cancelled; pending_review | approved -> draft.
-- Content changes only in draft and pending_review; "active" needs a start date;
-- "approved" needs a legal reviewer or an admin in the tenant context.
--
-- Triggers on contracts (BEFORE and AFTER triggers each fire in name order):
--   trg_contracts_enforce_lifecycle      BEFORE INSERT OR UPDATE OR DELETE (C)
--   trg_contracts_record_first_version   AFTER INSERT (C)
--   trg_contracts_record_version         AFTER UPDATE WHEN the version changed (C)
-- The AFTER triggers record the row as finally written, whatever other BEFORE
-- triggers did to it.  On contract_versions:
--   trg_contract_versions_guard_history  BEFORE INSERT OR UPDATE OR DELETE (C)
--   trg_contract_versions_refuse_truncate BEFORE TRUNCATE (C)

CREATE FUNCTION pactoria.enforce_contract_lifecycle()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_enforce_contract_lifecycle'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.enforce_contract_lifecycle() IS
'BEFORE INSERT OR UPDATE OR DELETE row trigger of contracts: new contracts are drafts at version 1, status changes follow the lifecycle, content changes only in draft and pending_review and increments version, approval needs a legal reviewer or admin, active needs a start date, deletion only through pactoria.delete_contract().';

CREATE TRIGGER trg_contracts_enforce_lifecycle
	BEFORE INSERT OR UPDATE OR DELETE ON pactoria.contracts
	FOR EACH ROW EXECUTE FUNCTION pactoria.enforce_contract_lifecycle();

CREATE FUNCTION pactoria.record_contract_version()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_record_contract_version'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.record_contract_version() IS
'AFTER INSERT or AFTER UPDATE (when the version changed) row trigger of contracts: records the row''s content in contract_versions as version NEW.version, with the transaction''s change summary and the user in the tenant context.';

CREATE TRIGGER trg_contracts_record_first_version
	AFTER INSERT ON pactoria.contracts
	FOR EACH ROW EXECUTE FUNCTION pactoria.record_contract_version();

CREATE TRIGGER trg_contracts_record_version
	AFTER UPDATE ON pactoria.contracts
	FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
	EXECUTE FUNCTION pactoria.record_contract_version();

CREATE FUNCTION pactoria.guard_contract_history()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_guard_contract_history'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.guard_contract_history() IS
'BEFORE INSERT OR UPDATE OR DELETE row trigger and BEFORE TRUNCATE trigger of contract_versions: the history is immutable; rows come only from the versioning trigger and go only with their draft through pactoria.delete_contract().';

-- Only pactoria's own triggers run these functions: attached to a table of a
-- user's making, the recording trigger would write history rows of its choosing.
REVOKE EXECUTE ON FUNCTION pactoria.enforce_contract_lifecycle() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.record_contract_version() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.guard_contract_history() FROM PUBLIC;

CREATE TRIGGER trg_contract_versions_guard_history
	BEFORE INSERT OR UPDATE OR DELETE ON pactoria.contract_versions
	FOR EACH ROW EXECUTE FUNCTION pactoria.guard_contract_history();

CREATE TRIGGER trg_contract_versions_refuse_truncate
	BEFORE TRUNCATE ON pactoria.contract_versions
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.guard_contract_history();

------------------------------------------------------------------------------------
-- The change summary of a transaction.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.set_change_summary(summary text)
RETURNS void
AS 'MODULE_PATHNAME', 'pactoria_set_change_summary'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION pactoria.set_change_summary(text) IS
'Sets the change summary recorded with the contract versions the current transaction creates (setting pactoria.change_summary, until the transaction ends); NULL clears it. At most 2000 characters.';

------------------------------------------------------------------------------------
-- History, restore, diff, delete.
------------------------------------------------------------------------------------
-- The two lookups every function below starts with: the contract (of the tenant
-- in context: other tenants' contracts do not exist here), then one of its versions.
CREATE FUNCTION pactoria.current_contract_version(contract_id uuid)
RETURNS integer
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	current_version integer;
BEGIN
	SELECT c.version INTO current_version
	FROM pactoria.contracts AS c
	WHERE c.company_id = pactoria.require_company_id() AND c.id = current_contract_version.contract_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contract % does not exist', current_contract_version.contract_id
			USING ERRCODE = 'undefined_object',
				  DETAIL = 'No contract of the company in the tenant context has this id.';
	END IF;
	RETURN current_version;
END
$$;

COMMENT ON FUNCTION pactoria.current_contract_version(uuid) IS
'The current version number of a contract of the tenant in context. Unknown contract: undefined_object (42704); no tenant context: insufficient_privilege (42501).';

CREATE FUNCTION pactoria.contract_version(contract_id uuid, version_number integer)
RETURNS pactoria.contract_versions
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	current_version integer := pactoria.current_contract_version(contract_version.contract_id);
	found_version pactoria.contract_versions;
BEGIN
	SELECT * INTO found_version
	FROM pactoria.contract_versions AS v
	WHERE v.company_id = pactoria.require_company_id() AND v.contract_id = contract_version.contract_id
	  AND v.version_number = contract_version.version_number;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contract % has no version %', contract_version.contract_id, contract_version.version_number
			USING ERRCODE = 'undefined_object',
				  DETAIL = format('Its versions are 1 to %s.', current_version);
	END IF;
	RETURN found_version;
END
$$;

COMMENT ON FUNCTION pactoria.contract_version(uuid, integer) IS
'One version of a contract of the tenant in context, with its full content. Unknown contract or version: undefined_object (42704).';

CREATE FUNCTION pactoria.contract_history(contract_id uuid)
RETURNS TABLE (version_number integer, change_summary text, created_by uuid,
			   created_by_name text, created_at timestamptz, content_bytes integer,
			   is_current boolean)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	current_version integer := pactoria.current_contract_version(contract_history.contract_id);
BEGIN
	RETURN QUERY
	SELECT v.version_number, v.change_summary, v.created_by, u.full_name, v.created_at,
		   octet_length(v.content), v.version_number = current_version
	FROM pactoria.contract_versions AS v
	LEFT JOIN pactoria.users AS u ON u.company_id = v.company_id AND u.id = v.created_by
	WHERE v.company_id = pactoria.require_company_id() AND v.contract_id = contract_history.contract_id
	ORDER BY v.version_number DESC;
END
$$;

COMMENT ON FUNCTION pactoria.contract_history(uuid) IS
'The versions of a contract of the tenant in context, newest first: number, change summary, author (id and name), when, size of the content in bytes, and whether it is the current version. Unknown contract: undefined_object (42704).';

CREATE FUNCTION pactoria.restore_contract_version(contract_id uuid, version_number integer,
												  change_summary text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria
SET pactoria.change_summary = ''
AS $$
DECLARE
	restored pactoria.contract_versions;
	current_version integer;
	new_version integer;
BEGIN
	IF restore_contract_version.contract_id IS NULL THEN
		RAISE EXCEPTION 'contract id must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF restore_contract_version.version_number IS NULL THEN
		RAISE EXCEPTION 'version number must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	restored := pactoria.contract_version(restore_contract_version.contract_id, restore_contract_version.version_number);

	SELECT c.version INTO current_version
	FROM pactoria.contracts AS c
	WHERE c.company_id = restored.company_id AND c.id = restored.contract_id
	FOR UPDATE;

	-- The function's SET clause gives the summary back to the caller afterwards.
	PERFORM pactoria.set_change_summary(coalesce(restore_contract_version.change_summary,
												 format('Restored version %s', restore_contract_version.version_number)));
	UPDATE pactoria.contracts AS c
	SET plain_english_input = restored.plain_english_input,
		generated_content = restored.generated_content,
		final_content = restored.final_content
	WHERE c.company_id = restored.company_id AND c.id = restored.contract_id
	RETURNING c.version INTO new_version;

	IF new_version = current_version THEN
		RAISE NOTICE 'contract % already has the content of version %; no version was created',
			restore_contract_version.contract_id, restore_contract_version.version_number;
	END IF;
	RETURN new_version;
END
$$;

COMMENT ON FUNCTION pactoria.restore_contract_version(uuid, integer, text) IS
'Gives a contract of the tenant in context the content of one of its earlier versions, as a new version (history is never rewritten) with the summary given or "Restored version N"; returns the contract''s version afterwards. Allowed only while the contract is draft or pending_review.';

CREATE FUNCTION pactoria.diff_text(old_text text, new_text text)
RETURNS TABLE (line_number_from integer, line_number_to integer, operation text, line text)
AS 'MODULE_PATHNAME', 'pactoria_diff_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.diff_text(text, text) IS
'Line diff of two texts, in document order: operation unchanged (both line numbers), removed (line_number_from only) or added (line_number_to only), and the line. Lines end at \n or \r\n, so line endings are not changes. A shortest diff (Myers) unless the texts differ in so many places that a good diff is taken instead of searching longer.';

CREATE FUNCTION pactoria.diff_contract_versions(contract_id uuid, from_version integer, to_version integer)
RETURNS TABLE (line_number_from integer, line_number_to integer, operation text, line text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
BEGIN ATOMIC
	SELECT d.line_number_from, d.line_number_to, d.operation, d.line
	FROM pactoria.contract_version(contract_id, from_version) AS old_version,
		 pactoria.contract_version(contract_id, to_version) AS new_version,
		 pactoria.diff_text(coalesce(old_version.content, ''), coalesce(new_version.content, ''))
			WITH ORDINALITY AS d(line_number_from, line_number_to, operation, line, position)
	ORDER BY d.position;
END;

COMMENT ON FUNCTION pactoria.diff_contract_versions(uuid, integer, integer) IS
'Line diff between two versions of a contract of the tenant in context (their content: final, else generated, else plain-English input), computed in C by pactoria.diff_text. Unknown contract or version: undefined_object (42704).';

CREATE FUNCTION pactoria.delete_contract(contract_id uuid)
RETURNS void
AS 'MODULE_PATHNAME', 'pactoria_delete_contract'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION pactoria.delete_contract(uuid) IS
'Deletes a draft contract of the tenant in context together with its version history (the only way either is deleted); its compliance scores and extractions go with it, chat messages and risks lose the reference. Runs as the caller, under row-level security. A contract that is not a draft: object_not_in_prerequisite_state (55000).';

------------------------------------------------------------------------------------
-- Expiry.
------------------------------------------------------------------------------------
-- An end date is the last day of the contract: it expires once that day has
-- passed, in the session's time zone.
CREATE FUNCTION pactoria.expire_contracts(as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE sql VOLATILE STRICT
SET search_path = pg_catalog, pactoria
BEGIN ATOMIC
	WITH expired AS (
		UPDATE pactoria.contracts
		SET status = 'expired'
		WHERE status = 'active' AND end_date < as_of::date
		RETURNING 1
	)
	SELECT count(*)::integer FROM expired;
END;

COMMENT ON FUNCTION pactoria.expire_contracts(timestamptz) IS
'Moves active contracts whose end date is before as_of (default now; dates in the session''s time zone) to expired; returns how many. Under row-level security only the current tenant''s contracts; run it as the owner for every tenant.';

-- Plain SQL without SET options, so the planner inlines it into the calling
-- query: the row-level-security condition and the partial index
-- idx_contracts_company_id_end_date_active then meet in one index scan.
CREATE FUNCTION pactoria.expiring_contracts(within interval)
RETURNS TABLE (id uuid, title text, contract_type text, client_name text, supplier_name text,
			   end_date date, days_remaining integer)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.id, c.title, c.contract_type, c.client_name, c.supplier_name, c.end_date,
		   c.end_date - CURRENT_DATE
	FROM pactoria.contracts AS c
	WHERE c.status = 'active'
	  AND c.end_date >= CURRENT_DATE
	  AND c.end_date <= (CURRENT_DATE + within)::date
	ORDER BY c.end_date, c.id;
END;

COMMENT ON FUNCTION pactoria.expiring_contracts(interval) IS
'Active contracts whose end date falls between today and today + within, soonest first, with the days left. Under row-level security only the current tenant''s contracts.';

-- 70_scoring.sql: risk scores and levels, contract risk, compliance scores and
-- the accuracy of AI field extraction, with their daily roll-up and views.
--
-- The computations are C (src/scoring.c over the plain-C cores risk_scoring.c,
-- compliance_scoring.c and extraction_accuracy.c); this file declares them and
-- wires them to the tables.  Configuration keys, all in pactoria.system_config:
--   risk_level_bands              scores of each risk level
--   risk_review_days              days to the next review, by level
--   compliance_threshold          overall score at which a contract is compliant
--   compliance_area_weights       weights of the areas in compliance_scores.overall_score
--   extraction_metrics_time_zone  whose calendar days the extraction metrics count

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 25]}',
	 'Risk scores (likelihood x impact, 1-25) of each risk level as [lowest, highest]; the bands must be contiguous and cover 1 to 25.'),
	('risk_review_days', '{"low": 365, "medium": 180, "high": 90, "critical": 30}',
	 'Days from a risk''s last review (or from today when it has none) to its next review, by risk level.'),
	('compliance_threshold', '0.95',
	 'Overall compliance score (0-1) at or above which a contract is compliant (pactoria.is_compliant).'),
	('compliance_area_weights', '{"gdpr": 1, "employment": 1, "consumer": 1, "commercial": 1}',
	 'Weights (0-1000) of the compliance areas when compliance_scores.overall_score is computed from the area scores; an area left out weighs 1.'),
	('extraction_metrics_time_zone', '"Europe/London"',
	 'Time zone whose calendar days the extraction metrics and pactoria.v_daily_extraction_stats count in.');

CREATE FUNCTION pactoria.check_scoring_config()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_check_scoring_config'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.check_scoring_config() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_config: refuses a scoring configuration value that the scoring functions could not use.';

-- Fires after trg_system_config_check_value (triggers fire in name order), so a
-- value of the wrong JSON type gets that trigger's message first.
CREATE TRIGGER trg_system_config_validate_scoring
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW
	WHEN (NEW.key IN ('risk_level_bands', 'risk_review_days', 'compliance_threshold',
					  'compliance_area_weights', 'extraction_metrics_time_zone'))
	EXECUTE FUNCTION pactoria.check_scoring_config();

------------------------------------------------------------------------------------
-- Risk
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.calculate_risk_score(likelihood integer, impact integer)
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_calculate_risk_score'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.calculate_risk_score(integer, integer) IS
'Risk score 1-25: likelihood x impact, each rated 1-5; a rating out of range is an error (SQLSTATE 22003) naming it.';

CREATE FUNCTION pactoria.risk_level(score integer)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_risk_level'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.risk_level(integer) IS
'Risk level (low, medium, high, critical) of a risk score 1-25, by the bands of system_config key risk_level_bands (default 1-4, 5-9, 10-16, 17-25); read once per statement.';

CREATE FUNCTION pactoria.risk_review_days(risk_level text)
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_risk_review_days'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.risk_review_days(text) IS
'Days between reviews of a risk of a level, from system_config key risk_review_days (default critical 30, high 90, medium 180, low 365).';

CREATE FUNCTION pactoria.contract_risk_score(risk_factors jsonb)
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_contract_risk_score'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.contract_risk_score(jsonb) IS
'Contract risk 1-10 from an array of {"severity": low|medium|high|critical, "weight": n} factors: the sum of weight x points (1, 3, 6, 10) rounded half up and clamped to 1-10; an empty array scores 1.';

-- risk_assessments: risk_level always follows the score (risk_score itself is a
-- generated column, likelihood x impact), and next_review_date defaults by level.
-- C, because only a C trigger sees which columns an UPDATE's SET list names:
-- SET risk_level = 'low' is a level the writer chose (checked), while a level
-- carried over from the old row is simply derived again.
CREATE FUNCTION pactoria.derive_risk_level_and_review()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_derive_risk_level_and_review'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.derive_risk_level_and_review() IS
'BEFORE INSERT OR UPDATE trigger of risk_assessments: sets risk_level from likelihood x impact (refusing a level the statement gives that disagrees, SQLSTATE 23514) and next_review_date, when NULL or when a review is recorded without one, from the last review (or today) and the level.';

CREATE TRIGGER trg_risk_assessments_derive_level_and_review
	BEFORE INSERT OR UPDATE OF likelihood, impact, risk_level, last_review_date, next_review_date
	ON pactoria.risk_assessments
	FOR EACH ROW EXECUTE FUNCTION pactoria.derive_risk_level_and_review();

------------------------------------------------------------------------------------
-- Compliance
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.overall_compliance_score(gdpr numeric, employment numeric, consumer numeric,
												  commercial numeric, weights jsonb DEFAULT NULL)
RETURNS numeric
AS 'MODULE_PATHNAME', 'pactoria_overall_compliance_score'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.overall_compliance_score(numeric, numeric, numeric, numeric, jsonb) IS
'Overall compliance 0-1: the weighted mean of the area scores that are not NULL (weights {"gdpr": w, ...}, default 1 each), to 4 decimal places; NULL when every area is NULL.';

CREATE FUNCTION pactoria.is_compliant(score numeric)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_is_compliant'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.is_compliant(numeric) IS
'Whether a compliance score (0-1) is at or above system_config key compliance_threshold (default 0.95).';

-- compliance_scores: overall_score and risk_score are filled when not given.
CREATE FUNCTION pactoria.fill_compliance_scores()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	IF NEW.overall_score IS NULL THEN
		NEW.overall_score := pactoria.overall_compliance_score(
			NEW.gdpr_compliance, NEW.employment_law_compliance, NEW.consumer_rights_compliance,
			NEW.commercial_terms_compliance, pactoria.get_config('compliance_area_weights'));
		IF NEW.overall_score IS NULL THEN
			RAISE EXCEPTION 'compliance score of contract % has neither an overall score nor an area score', NEW.contract_id
				USING ERRCODE = 'not_null_violation',
					  HINT = 'Give overall_score, or at least one area score to compute it from.';
		END IF;
	END IF;
	IF NEW.risk_score IS NULL THEN
		NEW.risk_score := pactoria.contract_risk_score(NEW.risk_factors);
	END IF;
	RETURN NEW;
END
$$;

COMMENT ON FUNCTION pactoria.fill_compliance_scores() IS
'BEFORE INSERT OR UPDATE trigger of compliance_scores: a NULL overall_score becomes overall_compliance_score of the areas (weights from system_config compliance_area_weights), a NULL risk_score contract_risk_score(risk_factors).';

CREATE TRIGGER trg_compliance_scores_fill_scores
	BEFORE INSERT OR UPDATE ON pactoria.compliance_scores
	FOR EACH ROW EXECUTE FUNCTION pactoria.fill_compliance_scores();

------------------------------------------------------------------------------------
-- Extraction accuracy
--
-- Each field of an extraction has one outcome: kept (extracted, not corrected),
-- wrong_value, missing or not_in_document (the correction types).
--   precision = kept / (kept + wrong_value + not_in_document)
--   recall    = kept / (kept + wrong_value + missing)
--   accuracy  = kept / (kept + wrong_value + missing + not_in_document)
-- NULL when the denominator is 0.  Defined once, in src/extraction_accuracy.c;
-- everything below goes through the aggregate pactoria.extraction_accuracy.
------------------------------------------------------------------------------------
CREATE TYPE pactoria.extraction_accuracy_summary AS (
	fields bigint,
	correct bigint,
	wrong_value bigint,
	missing bigint,
	not_in_document bigint,
	accuracy double precision,
	precision double precision,
	recall double precision,
	average_confidence double precision,
	average_confidence_kept double precision,
	average_confidence_corrected double precision
);

COMMENT ON TYPE pactoria.extraction_accuracy_summary IS
'Result of pactoria.extraction_accuracy: counts of field outcomes, accuracy, precision and recall (NULL when undefined), and average confidence of all extracted fields, of those kept and of those corrected.';

CREATE FUNCTION pactoria.extraction_accuracy_transition(internal, text, numeric)
RETURNS internal
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_transition'
LANGUAGE C PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_transition(internal, text, numeric) IS
'Transition function of pactoria.extraction_accuracy: counts one field outcome.';

CREATE FUNCTION pactoria.extraction_accuracy_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_combine'
LANGUAGE C PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_combine(internal, internal) IS
'Combine function of pactoria.extraction_accuracy: adds two partial counts (parallel aggregation).';

CREATE FUNCTION pactoria.extraction_accuracy_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_serialize'
LANGUAGE C STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_serialize(internal) IS
'Serialisation function of pactoria.extraction_accuracy (parallel aggregation).';

CREATE FUNCTION pactoria.extraction_accuracy_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_deserialize'
LANGUAGE C STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_deserialize(bytea, internal) IS
'Deserialisation function of pactoria.extraction_accuracy (parallel aggregation).';

CREATE FUNCTION pactoria.extraction_accuracy_final(internal)
RETURNS pactoria.extraction_accuracy_summary
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_final'
LANGUAGE C PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_final(internal) IS
'Final function of pactoria.extraction_accuracy: the scores of the counts.';

CREATE AGGREGATE pactoria.extraction_accuracy(correction_type text, confidence numeric) (
	SFUNC = pactoria.extraction_accuracy_transition,
	STYPE = internal,
	FINALFUNC = pactoria.extraction_accuracy_final,
	COMBINEFUNC = pactoria.extraction_accuracy_combine,
	SERIALFUNC = pactoria.extraction_accuracy_serialize,
	DESERIALFUNC = pactoria.extraction_accuracy_deserialize,
	SSPACE = 72,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pactoria.extraction_accuracy(text, numeric) IS
'Accuracy, precision, recall and confidence calibration of AI field extraction over field outcomes: one input row per field, correction_type NULL for a field kept as extracted, confidence of the extracted field (0-100) or NULL.';

-- One row per field of every extraction, with its outcome: the fields the AI
-- extracted (with their correction, if any) and the fields it missed, each
-- with its extraction's model and time, so that grouping by model or day
-- needs no join on top of the UNION ALL (whose result PostgreSQL has no
-- statistics for).  The input to pactoria.extraction_accuracy; filters on
-- company_id, extraction_id, model_name and extracted_at reach both branches.
CREATE VIEW pactoria.v_extraction_field_outcomes
WITH (security_invoker = true) AS
SELECT f.company_id,
	   f.extraction_id,
	   e.model_name,
	   e.created_at AS extracted_at,
	   f.field_name,
	   f.value AS extracted_value,
	   c.corrected_value,
	   c.correction_type,
	   f.confidence,
	   c.corrected_by,
	   c.created_at AS corrected_at
FROM pactoria.extraction_fields AS f
JOIN pactoria.extractions AS e ON e.company_id = f.company_id AND e.id = f.extraction_id
LEFT JOIN pactoria.corrections AS c
	ON c.company_id = f.company_id AND c.extraction_id = f.extraction_id AND c.field_name = f.field_name
UNION ALL
SELECT c.company_id,
	   c.extraction_id,
	   e.model_name,
	   e.created_at,
	   c.field_name,
	   NULL,
	   c.corrected_value,
	   c.correction_type,
	   NULL,
	   c.corrected_by,
	   c.created_at
FROM pactoria.corrections AS c
JOIN pactoria.extractions AS e ON e.company_id = c.company_id AND e.id = c.extraction_id
WHERE c.correction_type = 'missing'
  AND NOT EXISTS (SELECT FROM pactoria.extraction_fields AS f
				  WHERE f.company_id = c.company_id AND f.extraction_id = c.extraction_id
					AND f.field_name = c.field_name);

COMMENT ON VIEW pactoria.v_extraction_field_outcomes IS
'Every field of every extraction with its outcome: correction_type NULL (kept as extracted), wrong_value, missing (extracted_value and confidence NULL) or not_in_document; with the extraction''s model_name and time (extracted_at). Feed it to pactoria.extraction_accuracy.';

CREATE FUNCTION pactoria.calculate_extraction_accuracy(extraction_id uuid)
RETURNS TABLE (field_name text, extracted_value text, corrected_value text, correction_type text,
			   confidence numeric, accuracy double precision, "precision" double precision,
			   recall double precision)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM pactoria.extractions AS e
				   WHERE e.id = calculate_extraction_accuracy.extraction_id) THEN
		RAISE EXCEPTION 'extraction % does not exist', calculate_extraction_accuracy.extraction_id
			USING ERRCODE = 'no_data_found',
				  HINT = 'Only the extractions of the company in the tenant context are visible.';
	END IF;

	-- One group per field, and the grouping set () for the whole extraction.
	RETURN QUERY
	SELECT grouped.field_name, grouped.extracted_value, grouped.corrected_value, grouped.correction_type,
		   CASE WHEN grouped.is_overall
				THEN round((grouped.summary).average_confidence::numeric, 2)
				ELSE grouped.confidence END,
		   (grouped.summary).accuracy, (grouped.summary).precision, (grouped.summary).recall
	FROM (SELECT o.field_name, o.extracted_value, o.corrected_value, o.correction_type, o.confidence,
				 GROUPING(o.field_name) = 1 AS is_overall,
				 pactoria.extraction_accuracy(o.correction_type, o.confidence) AS summary
		  FROM pactoria.v_extraction_field_outcomes AS o
		  WHERE o.extraction_id = calculate_extraction_accuracy.extraction_id
		  GROUP BY GROUPING SETS ((o.field_name, o.extracted_value, o.corrected_value,
								   o.correction_type, o.confidence), ())) AS grouped
	ORDER BY grouped.is_overall, grouped.field_name;
END
$$;

COMMENT ON FUNCTION pactoria.calculate_extraction_accuracy(uuid) IS
'Accuracy of one extraction: a row per field (accuracy 1 when kept, 0 when corrected) and a last row with field_name NULL for the whole extraction (confidence = average of the extracted fields); an unknown or invisible extraction is an error (SQLSTATE P0002).';

-- Extraction statistics per company, calendar day (in the time zone of
-- system_config extraction_metrics_time_zone) and model, for extractions
-- created from first_day to last_day.  The one definition behind both
-- v_daily_extraction_stats and refresh_extraction_metrics.
CREATE FUNCTION pactoria.daily_extraction_stats(first_day date, last_day date)
RETURNS TABLE (company_id uuid, metric_date date, model_name text, extraction_count bigint,
			   field_count bigint, correction_count bigint, accuracy double precision,
			   "precision" double precision, recall double precision,
			   average_confidence double precision, token_count bigint, cost numeric)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	zone text := pactoria.get_config('extraction_metrics_time_zone') #>> '{}';
	period_start timestamptz := first_day::timestamp AT TIME ZONE zone;
	period_end timestamptz := (last_day + 1)::timestamp AT TIME ZONE zone;
BEGIN
	IF first_day > last_day THEN
		RAISE EXCEPTION 'first day % is after last day %', first_day, last_day
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	RETURN QUERY
	WITH volume AS (
		SELECT e.company_id, (e.created_at AT TIME ZONE zone)::date AS metric_date, e.model_name,
			   count(*) AS extraction_count, coalesce(sum(e.token_count), 0)::bigint AS token_count,
			   coalesce(sum(e.cost), 0) AS cost
		FROM pactoria.extractions AS e
		WHERE e.created_at >= period_start AND e.created_at < period_end
		GROUP BY 1, 2, 3
	), scores AS (
		SELECT o.company_id, (o.extracted_at AT TIME ZONE zone)::date AS metric_date, o.model_name,
			   pactoria.extraction_accuracy(o.correction_type, o.confidence) AS summary
		FROM pactoria.v_extraction_field_outcomes AS o
		WHERE o.extracted_at >= period_start AND o.extracted_at < period_end
		GROUP BY 1, 2, 3
	)
	SELECT v.company_id, v.metric_date, v.model_name, v.extraction_count,
		   coalesce((s.summary).correct + (s.summary).wrong_value + (s.summary).not_in_document, 0),
		   coalesce((s.summary).wrong_value + (s.summary).missing + (s.summary).not_in_document, 0),
		   (s.summary).accuracy, (s.summary).precision, (s.summary).recall,
		   (s.summary).average_confidence, v.token_count, v.cost
	FROM volume AS v
	LEFT JOIN scores AS s
		ON s.company_id = v.company_id AND s.metric_date = v.metric_date AND s.model_name = v.model_name
	ORDER BY v.metric_date, v.company_id, v.model_name;
END
$$;

COMMENT ON FUNCTION pactoria.daily_extraction_stats(date, date) IS
'Extraction statistics per company, day and model for the extractions created from first_day to last_day (days in system_config extraction_metrics_time_zone): volume, extracted fields, corrections, accuracy, precision, recall, average confidence, tokens, cost.';

CREATE VIEW pactoria.v_daily_extraction_stats
WITH (security_invoker = true) AS
SELECT s.company_id, s.metric_date, s.model_name, s.extraction_count, s.field_count, s.correction_count,
	   s.accuracy, s.precision, s.recall, s.average_confidence, s.token_count, s.cost
FROM pactoria.daily_extraction_stats('-infinity', 'infinity') AS s;

COMMENT ON VIEW pactoria.v_daily_extraction_stats IS
'Extraction statistics per company, day and model, computed live over all extractions (pactoria.daily_extraction_stats for a range of days is faster).';

CREATE FUNCTION pactoria.refresh_extraction_metrics(p_day date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria
AS $$
DECLARE
	rows_written integer;
BEGIN
	IF p_day IS NULL OR NOT isfinite(p_day) THEN
		RAISE EXCEPTION 'cannot refresh extraction metrics for day %', coalesce(p_day::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The day must be a finite date.';
	END IF;

	WITH stats AS (
		SELECT * FROM pactoria.daily_extraction_stats(p_day, p_day)
	), written AS (
		INSERT INTO pactoria.extraction_metrics AS m
			(company_id, metric_date, model_name, extraction_count, field_count, correction_count,
			 accuracy, average_confidence, token_count, cost)
		SELECT s.company_id, s.metric_date, s.model_name, s.extraction_count, s.field_count,
			   s.correction_count, s.accuracy, s.average_confidence, s.token_count, s.cost
		FROM stats AS s
		ON CONFLICT (company_id, metric_date, model_name) DO UPDATE
		SET extraction_count = EXCLUDED.extraction_count,
			field_count = EXCLUDED.field_count,
			correction_count = EXCLUDED.correction_count,
			accuracy = EXCLUDED.accuracy,
			average_confidence = EXCLUDED.average_confidence,
			token_count = EXCLUDED.token_count,
			cost = EXCLUDED.cost
		WHERE (m.extraction_count, m.field_count, m.correction_count, m.accuracy,
			   m.average_confidence, m.token_count, m.cost)
			  IS DISTINCT FROM
			  (EXCLUDED.extraction_count, EXCLUDED.field_count, EXCLUDED.correction_count,
			   EXCLUDED.accuracy, EXCLUDED.average_confidence, EXCLUDED.token_count, EXCLUDED.cost)
		RETURNING 1
	), removed AS (
		DELETE FROM pactoria.extraction_metrics AS m
		WHERE m.metric_date = p_day
		  AND NOT EXISTS (SELECT FROM stats AS s
						  WHERE s.company_id = m.company_id AND s.model_name = m.model_name)
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM written) + (SELECT count(*) FROM removed) INTO rows_written;
	RETURN rows_written;
END
$$;

COMMENT ON FUNCTION pactoria.refresh_extraction_metrics(date) IS
'Recomputes extraction_metrics for one day from the extractions created that day: inserts, updates and removes rows; returns how many changed (0 when already up to date). Runs as its caller: under row-level security only the tenant''s metrics.';

------------------------------------------------------------------------------------
-- Reporting views (security_invoker: they show what the caller may see).
------------------------------------------------------------------------------------
CREATE VIEW pactoria.v_extraction_details
WITH (security_invoker = true) AS
SELECT e.company_id,
	   e.id AS extraction_id,
	   e.contract_id,
	   c.title AS contract_title,
	   e.model_name,
	   e.model_version,
	   e.provider,
	   e.status,
	   e.overall_confidence,
	   e.reviewed_by,
	   reviewer.full_name AS reviewer_name,
	   e.reviewed_at,
	   (s.summary).correct + (s.summary).wrong_value + (s.summary).not_in_document AS extracted_field_count,
	   (s.summary).correct AS correct_count,
	   (s.summary).wrong_value AS wrong_value_count,
	   (s.summary).missing AS missing_count,
	   (s.summary).not_in_document AS not_in_document_count,
	   (s.summary).wrong_value + (s.summary).missing + (s.summary).not_in_document AS correction_count,
	   (s.summary).accuracy,
	   (s.summary).precision,
	   (s.summary).recall,
	   e.token_count,
	   e.cost,
	   e.currency,
	   e.created_at
FROM pactoria.extractions AS e
JOIN pactoria.contracts AS c ON c.company_id = e.company_id AND c.id = e.contract_id
LEFT JOIN pactoria.users AS reviewer ON reviewer.company_id = e.company_id AND reviewer.id = e.reviewed_by
CROSS JOIN LATERAL (
	SELECT pactoria.extraction_accuracy(o.correction_type, o.confidence) AS summary
	FROM pactoria.v_extraction_field_outcomes AS o
	WHERE o.company_id = e.company_id AND o.extraction_id = e.id
) AS s;

COMMENT ON VIEW pactoria.v_extraction_details IS
'Each extraction with its contract''s title, its reviewer''s name, its field outcomes counted by correction type, and its accuracy, precision and recall.';

CREATE VIEW pactoria.v_user_activity
WITH (security_invoker = true) AS
SELECT u.company_id,
	   u.id AS user_id,
	   u.full_name,
	   u.email,
	   u.role,
	   u.is_active,
	   contract_activity.contract_count,
	   version_activity.version_count,
	   correction_activity.correction_count,
	   greatest(u.last_login_at, session_activity.last_activity, contract_activity.last_created_at,
				version_activity.last_created_at, correction_activity.last_created_at) AS last_activity_at
FROM pactoria.users AS u
CROSS JOIN LATERAL (
	SELECT count(*) AS contract_count, max(c.created_at) AS last_created_at
	FROM pactoria.contracts AS c
	WHERE c.company_id = u.company_id AND c.created_by = u.id
) AS contract_activity
CROSS JOIN LATERAL (
	SELECT count(*) AS version_count, max(v.created_at) AS last_created_at
	FROM pactoria.contract_versions AS v
	WHERE v.company_id = u.company_id AND v.created_by = u.id
) AS version_activity
CROSS JOIN LATERAL (
	SELECT count(*) AS correction_count, max(k.created_at) AS last_created_at
	FROM pactoria.corrections AS k
	WHERE k.company_id = u.company_id AND k.corrected_by = u.id
) AS correction_activity
CROSS JOIN LATERAL (
	SELECT max(s.last_activity) AS last_activity
	FROM pactoria.user_sessions AS s
	WHERE s.company_id = u.company_id AND s.user_id = u.id
) AS session_activity;

COMMENT ON VIEW pactoria.v_user_activity IS
'Per user: contracts created, contract versions written, extraction corrections made, and the last activity (latest of last login, session activity and those).';
