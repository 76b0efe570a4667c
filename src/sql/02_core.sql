
-- 02_core.sql: ids, tenant context, the updated_at trigger and tenant isolation,
-- the building blocks every table of the data model uses.

-- What a message quotes of a value it was given: the value itself when it has at
-- most 64 characters, else its first 64 characters followed by "... (N characters)".
-- Every message of pactoria quoting caller input quotes it through this function
-- or its C twin pactoria_quote_prefix() (src/messages.c), so a hostile argument
-- never writes more than a short prefix into the server log.
CREATE FUNCTION pactoria.quote_prefix(value text)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_quote_prefix_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.quote_prefix(text) IS
'What an error message quotes of a value: the value when it has at most 64 characters, else its first 64 characters and "... (N characters)".';

-- Whether the statement running is a restore's data load (pg_dump's script in
-- psql, or pg_restore): row_security and check_function_bodies off, the client's
-- statement a COPY ... FROM, a trusted role.  Every trigger of pactoria firing on
-- INSERT has WHEN (NOT pactoria.restore_in_progress()), so restored rows are
-- loaded as they were written and no rule fires on them a second time; see
-- src/restore.c for why this tells a restore apart.  PARALLEL RESTRICTED: it reads
-- the client's statement, which only the leader knows.
CREATE FUNCTION pactoria.restore_in_progress()
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_restore_in_progress'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION pactoria.restore_in_progress() IS
'Whether the statement running is a restore''s data load: a COPY ... FROM sent by a superuser or the owner of pactoria with row_security and check_function_bodies off, as pg_dump''s script and pg_restore do.  pactoria''s INSERT triggers do not fire then.';

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
'When a version-7 UUID was generated, to the microsecond: its 48-bit Unix timestamp in milliseconds plus its 12 rand_a bits read as a fraction of the millisecond (1/4096 ms). The fraction is time only in UUIDs made by pactoria.uuid_generate_v7(); other generators may fill rand_a at random, and their UUIDs give the time to the millisecond only. NULL for a UUID of another version.';

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
SET search_path = pg_catalog, pactoria, pg_temp
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

REVOKE EXECUTE ON FUNCTION pactoria.refuse_company_change() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.refuse_company_change() IS
'BEFORE UPDATE OF company_id row trigger: refuses to move a row to another tenant.';

CREATE FUNCTION pactoria.require_tenant_context()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_require_tenant_context'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.require_tenant_context() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.require_tenant_context() IS
'BEFORE INSERT OR UPDATE OR DELETE statement trigger: refuses (42501) a write to a tenant table without tenant context by a role row-level security applies to, instead of letting it touch no row.';

