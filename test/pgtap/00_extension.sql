-- The extension installs into schema pactoria with the modules it needs.
BEGIN;
SELECT plan(6);

SELECT has_extension('pactoria', 'pactoria', 'pactoria is installed in schema pactoria');
SELECT has_extension('pgcrypto', 'pgcrypto comes with CASCADE');
SELECT has_extension('pg_trgm', 'pg_trgm comes with CASCADE');
SELECT has_schema('pactoria');
SELECT has_function('pactoria', 'version', ARRAY[]::name[], 'pactoria.version() exists');
SELECT is(pactoria.version(), (SELECT extversion::text FROM pg_extension WHERE extname = 'pactoria'),
	'the C library reports the installed version');

SELECT * FROM finish();
ROLLBACK;
