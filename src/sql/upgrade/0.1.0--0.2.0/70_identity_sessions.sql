
-- 70_identity_sessions.sql: the upgrade half of src/sql/32_identity_sessions.sql (the
-- server key, the identity clock, the signed tenant context and login sessions);
-- the objects are the same as there, user_sessions is altered rather than created.

------------------------------------------------------------------------------------
-- The server key (src/server_key.c): read from the file named by pactoria.key_file.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.server_key_status()
RETURNS TABLE (which text, configured boolean, problem text)
AS 'MODULE_PATHNAME', 'pactoria_server_key_status'
LANGUAGE C VOLATILE PARALLEL RESTRICTED
ROWS 2;

REVOKE EXECUTE ON FUNCTION pactoria.server_key_status() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.server_key_status() IS
'For the current (pactoria.key_file) and the retired (pactoria.retired_key_file) server key: whether it is configured and usable, and if not why. Never the key itself. For the owner.';

CREATE FUNCTION pactoria.constant_time_equal(a bytea, b bytea)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_constant_time_equal'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.constant_time_equal(bytea, bytea) IS
'Whether two byte strings are equal, compared in a time that depends only on their length (for token digests).';

------------------------------------------------------------------------------------
-- The identity clock: now() plus the superuser-only pactoria.test_clock_offset.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.clock_now()
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'pactoria_clock_now_sql'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.clock_now() IS
'The time every identity timeout is measured against: now() plus the superuser-only setting pactoria.test_clock_offset (empty in production), so that tests can let sessions expire.';
