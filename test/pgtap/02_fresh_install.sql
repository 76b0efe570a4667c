-- What CREATE EXTENSION itself leaves, before any maintenance has run: the
-- partitioned tables of the extension have their DEFAULT partition and no dated
-- one (maintenance makes those).  True of a fresh install only, so the upgrade
-- test (test/integration/14_upgrade.sh) leaves this file out.
BEGIN;
SELECT plan(2);

SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		   WHERE i.inhparent = 'pactoria.audit_logs'::regclass),
	ARRAY['audit_logs_default'], 'CREATE EXTENSION makes only the default partition of audit_logs');
SELECT is_empty($$SELECT 1 FROM pactoria.partition_bounds('pactoria.system_metrics') WHERE NOT is_default$$,
	'CREATE EXTENSION makes no dated partition of system_metrics');

SELECT * FROM finish();
ROLLBACK;
