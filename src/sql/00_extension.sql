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
