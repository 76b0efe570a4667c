-- Registering tables for partition maintenance: what is refused and why, the
-- settings in force (registration, or system_config for the extension's own
-- tables), and who may do what.
BEGIN;
SELECT plan(78);

CREATE TABLE public.plain (at timestamptz);
CREATE TABLE public.by_list (region text) PARTITION BY LIST (region);
CREATE TABLE public.by_two (at timestamptz, region text) PARTITION BY RANGE (at, region);
CREATE TABLE public.by_expression (at timestamp) PARTITION BY RANGE ((at + interval '1 hour'));
CREATE TABLE public.by_number (n integer) PARTITION BY RANGE (n);
CREATE TABLE public.ledger (booked_at timestamptz NOT NULL, amount numeric) PARTITION BY RANGE (booked_at);
CREATE FUNCTION public.takes_text(partition text) RETURNS void LANGUAGE sql AS $$ SELECT $$;
CREATE FUNCTION public.returns_integer(partition regclass) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION public.good_hook(partition regclass) RETURNS void LANGUAGE sql AS $$ SELECT $$;

----------------------------------------------------------------------------------
-- Tables that cannot be registered.
----------------------------------------------------------------------------------
SELECT throws_ok($$SELECT pactoria.register_partitioned_table(NULL)$$,
	'22004', 'table to register must not be NULL', 'registering NULL is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.no_such_table')$$,
	'42P01', NULL, 'an unknown table is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.plain')$$,
	'42809', 'table "plain" is not partitioned', 'a table that is not partitioned is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.by_list')$$,
	'42809', 'table "by_list" is not partitioned by range', 'a list-partitioned table is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.by_two')$$,
	'0A000', 'table "by_two" is not partitioned on exactly one column', 'a two-column partition key is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.by_expression')$$,
	'0A000', 'table "by_expression" is not partitioned on exactly one column', 'an expression partition key is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.by_number')$$,
	'42804', 'partition key column "n" of table "by_number" has type integer', 'a key that is not a date or time is refused');
SELECT is((SELECT count(*) FROM pactoria.partition_config WHERE parent_table::text LIKE 'by\_%' OR parent_table::text = 'plain'),
	0::bigint, 'no refused table was registered');
SELECT is((SELECT count(*) FROM pg_class WHERE relname IN ('by_list_default', 'by_two_default', 'by_number_default')),
	0::bigint, 'and none got a default partition');

----------------------------------------------------------------------------------
-- Settings that are refused.
----------------------------------------------------------------------------------
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', NULL)$$,
	'22004', 'partition interval must not be NULL', 'a NULL interval is refused');
SELECT throws_ok(format($$SELECT pactoria.register_partitioned_table('public.ledger', %L)$$, bad),
	'22023', format('invalid partition interval "%s"', bad::interval), format('interval %s is refused', bad))
FROM unnest(ARRAY['2 weeks', '30 days', '1 month 1 day', '5 months', '-1 month', '1 hour', '1 day 01:00', '0']) AS bad;
SELECT lives_ok(format($$SELECT pactoria.register_partitioned_table('public.ledger', %L)$$, good),
	format('interval %s is accepted', good))
FROM unnest(ARRAY['1 day', '1 week', '1 month', '2 months', '3 months', '4 months', '6 months', '1 year']) AS good;
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', premake => NULL)$$,
	'22004', 'premake must not be NULL', 'a NULL premake is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', premake => -1)$$,
	'22023', 'invalid premake -1', 'a negative premake is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', premake => 1001)$$,
	'22023', 'invalid premake 1001', 'a premake above 1000 is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', retention => '0')$$,
	'22023', 'invalid retention "00:00:00"', 'a zero retention is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', retention => '-1 day')$$,
	'22023', 'invalid retention "-1 days"', 'a negative retention is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', retention_action => 'delete')$$,
	'22023', 'invalid retention action "delete"', 'an unknown retention action is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', retention_action => NULL)$$,
	'22023', 'invalid retention action "NULL"', 'a NULL retention action is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', before_removal => 'public.takes_text(text)')$$,
	'22023', 'function public.takes_text(text) cannot be called before a partition is removed',
	'a before_removal function not taking a regclass is refused');
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger', before_removal => 'public.returns_integer(regclass)')$$,
	'22023', 'function public.returns_integer(regclass) cannot be called before a partition is removed',
	'a before_removal function not returning void is refused');
SELECT throws_ok($$UPDATE pactoria.partition_config SET premake = -5 WHERE parent_table = 'public.ledger'::regclass$$,
	'22023', 'invalid premake -5', 'the same checks hold for a direct UPDATE of partition_config');

SELECT lives_ok($$SELECT pactoria.register_partitioned_table('public.ledger', '1 month', 6, '7 years', 'detach', 'public.good_hook(regclass)')$$,
	'registering with every setting works');
SELECT results_eq($$SELECT partition_interval, premake, retention, retention_action, before_removal
					FROM pactoria.partition_settings WHERE parent_table = 'public.ledger'::regclass$$,
	$$VALUES ('1 month'::interval, 6, '7 years'::interval, 'detach'::text, 'public.good_hook(regclass)'::text)$$,
	'the settings in force are those registered, with before_removal schema-qualified');
SELECT lives_ok($$SELECT pactoria.register_partitioned_table('public.ledger', premake => 2)$$,
	'registering a table again changes its settings');
SELECT results_eq($$SELECT premake, retention, before_removal FROM pactoria.partition_settings WHERE parent_table = 'public.ledger'::regclass$$,
	$$VALUES (2, NULL::interval, NULL::text)$$,
	'a second registration replaces every setting');
SELECT is((SELECT count(*) FROM pactoria.partition_bounds('public.ledger') WHERE is_default), 1::bigint,
	'and does not make a second default partition');

----------------------------------------------------------------------------------
-- The extension's own table: settings from system_config, kept by pg_dump.
----------------------------------------------------------------------------------
SELECT results_eq($$SELECT registered_by_extension FROM pactoria.partition_config WHERE parent_table = 'pactoria.system_metrics'::regclass$$,
	ARRAY[true], 'system_metrics is registered by the extension');
SELECT results_eq($$SELECT partition_interval, premake, retention, retention_action FROM pactoria.partition_settings
					WHERE parent_table = 'pactoria.system_metrics'::regclass$$,
	$$VALUES ('1 month'::interval, 3, '25 months'::interval, 'drop'::text)$$,
	'system_metrics is monthly, premake 3, kept 25 months, by default');
SELECT is((SELECT extcondition[array_position(extconfig, 'pactoria.partition_config'::regclass)] FROM pg_extension WHERE extname = 'pactoria'),
	'WHERE NOT registered_by_extension', 'pg_dump keeps the registrations users make and leaves out the extension''s own');
SELECT ok((SELECT 'pactoria.system_metrics_default'::regclass = ANY (extconfig) FROM pg_extension WHERE extname = 'pactoria'),
	'the default partition made by CREATE EXTENSION is marked for pg_dump');

INSERT INTO pactoria.system_config (key, value) VALUES
	('partition.system_metrics.premake', '5'),
	('partition.system_metrics.retention', '"6 months"'),
	('partition.system_metrics.retention_action', '"detach"');
SELECT results_eq($$SELECT premake, retention, retention_action FROM pactoria.partition_settings
					WHERE parent_table = 'pactoria.system_metrics'::regclass$$,
	$$VALUES (5, '6 months'::interval, 'detach'::text)$$,
	'values set in system_config are the settings in force');
SELECT is((SELECT count(*) FROM pactoria.run_maintenance('pactoria.system_metrics', '2030-01-15') WHERE action = 'created'),
	6::bigint, 'and maintenance follows them (premake 5: six partitions)');
UPDATE pactoria.system_config SET value = '"forever"' WHERE key = 'partition.system_metrics.retention';
SELECT is((SELECT retention FROM pactoria.partition_settings WHERE parent_table = 'pactoria.system_metrics'::regclass),
	NULL::interval, 'retention "forever" keeps every partition');
SELECT is_empty($$SELECT 1 FROM pactoria.run_maintenance('pactoria.system_metrics', '2040-01-15') WHERE action IN ('dropped', 'detached')$$,
	'with retention "forever" nothing is removed, ten years on');

SELECT throws_ok($$UPDATE pactoria.system_config SET value = '-1' WHERE key = 'partition.system_metrics.premake'$$,
	'22023', 'invalid premake -1', 'a negative premake in system_config is refused');
SELECT throws_ok($$UPDATE pactoria.system_config SET value = '2.5' WHERE key = 'partition.system_metrics.premake'$$,
	'22023', 'invalid premake 2.5 for "partition.system_metrics.premake"', 'a fractional premake is refused');
SELECT throws_ok($$UPDATE pactoria.system_config SET value = '"5"' WHERE key = 'partition.system_metrics.premake'$$,
	'22023', NULL, 'a premake that is not a JSON number is refused');
SELECT throws_ok($$UPDATE pactoria.system_config SET value = '"banana"' WHERE key = 'partition.system_metrics.retention'$$,
	'22023', 'invalid retention "banana" for "partition.system_metrics.retention"', 'a retention that is not an interval is refused');
SELECT throws_ok($$UPDATE pactoria.system_config SET value = '"-1 month"' WHERE key = 'partition.system_metrics.retention'$$,
	'22023', 'invalid retention "-1 mons"', 'a negative retention is refused');
SELECT throws_ok($$UPDATE pactoria.system_config SET value = '"delete"' WHERE key = 'partition.system_metrics.retention_action'$$,
	'22023', 'invalid retention action "delete"', 'an unknown retention action is refused');
SELECT lives_ok($$DELETE FROM pactoria.system_config WHERE key LIKE 'partition.%';
				  INSERT INTO pactoria.system_config (key, value)
				  SELECT key, value FROM pactoria.system_config_defaults WHERE key LIKE 'partition.%'$$,
	'every partition.* default the extension ships passes the same checks');

-- A partitioned table of the extension (as audit_logs is) must keep its indexes on
-- its default partition; one that does is recognised as the extension's own.
CREATE TABLE public.member_indexed (at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX member_indexed_at_idx ON public.member_indexed (at);
ALTER EXTENSION pactoria ADD TABLE public.member_indexed;
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.member_indexed')$$,
	'42P16', 'partitioned table public.member_indexed of the extension must not have indexes',
	'a partitioned table of the extension with indexes on the parent is refused (pg_restore could not restore its partitions)');
CREATE TABLE public.member_plain (at timestamptz NOT NULL) PARTITION BY RANGE (at);
ALTER EXTENSION pactoria ADD TABLE public.member_plain;
SELECT pactoria.register_partitioned_table('public.member_plain');
SELECT results_eq($$SELECT registered_by_extension FROM pactoria.partition_config WHERE parent_table = 'public.member_plain'::regclass$$,
	ARRAY[true], 'a table that belongs to the extension is registered as the extension''s own (so its row is not dumped)');
ALTER EXTENSION pactoria DROP TABLE public.member_indexed;
ALTER EXTENSION pactoria DROP TABLE public.member_plain;

SELECT throws_ok($$SELECT pactoria.register_partitioned_table('pactoria.system_metrics', premake => 9)$$,
	'55000', 'table system_metrics is registered by the extension',
	'the extension''s own registration cannot be replaced (its settings live in system_config)');
SELECT throws_ok($$SELECT pactoria.unregister_partitioned_table('pactoria.system_metrics')$$,
	'55000', 'table system_metrics is registered by the extension and cannot be unregistered',
	'nor removed');
SELECT throws_ok($$SELECT pactoria.unregister_partitioned_table('public.plain')$$,
	'42704', 'table public.plain is not registered for partition maintenance', 'unregistering an unregistered table is an error');

----------------------------------------------------------------------------------
-- run_maintenance and partition_bounds: bad input.
----------------------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM pactoria.run_maintenance('public.ledger', NULL)$$,
	'22023', 'maintenance time must be a finite timestamp, not NULL', 'run_maintenance refuses a NULL time');
SELECT throws_ok($$SELECT * FROM pactoria.run_maintenance('public.ledger', 'infinity')$$,
	'22023', 'maintenance time must be a finite timestamp, not infinity', 'run_maintenance refuses an infinite time');
SELECT throws_ok($$SELECT * FROM pactoria.run_maintenance('public.plain', '2026-01-01')$$,
	'42704', 'table public.plain is not registered for partition maintenance', 'run_maintenance refuses an unregistered table');
SELECT throws_ok($$SELECT * FROM pactoria.partition_bounds('public.plain')$$,
	'42809', 'table "plain" is not partitioned', 'partition_bounds refuses a table that is not partitioned');
CREATE TABLE public.no_partitions_yet (at date) PARTITION BY RANGE (at);
SELECT is_empty($$SELECT * FROM pactoria.partition_bounds('public.no_partitions_yet')$$,
	'partition_bounds of a table with no partition is empty');
SELECT is((SELECT count(*) FROM pactoria.partition_bounds(NULL)), 0::bigint, 'partition_bounds(NULL) is empty (STRICT)');

----------------------------------------------------------------------------------
-- Privileges.
----------------------------------------------------------------------------------
CREATE ROLE pactoria_test_partition_stranger;
CREATE ROLE pactoria_test_partition_keeper;
CREATE SCHEMA keeper AUTHORIZATION pactoria_test_partition_keeper;
GRANT USAGE ON SCHEMA pactoria TO pactoria_test_partition_stranger, pactoria_test_partition_keeper;
GRANT EXECUTE ON FUNCTION pactoria.register_partitioned_table(regclass, interval, integer, interval, text, regprocedure),
	pactoria.run_maintenance(regclass, timestamptz) TO pactoria_test_partition_keeper;
GRANT SELECT, INSERT, UPDATE ON pactoria.partition_config TO pactoria_test_partition_keeper;
GRANT SELECT ON pactoria.partition_settings, pactoria.effective_config, pactoria.system_config,
	pactoria.system_config_defaults TO pactoria_test_partition_keeper;
SET LOCAL ROLE pactoria_test_partition_keeper;
CREATE TABLE keeper.visits (at timestamptz NOT NULL) PARTITION BY RANGE (at);
RESET ROLE;

SET LOCAL ROLE pactoria_test_partition_stranger;
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger')$$,
	'42501', 'permission denied for function register_partitioned_table', 'PUBLIC cannot register tables');
SELECT throws_ok($$SELECT * FROM pactoria.run_maintenance()$$,
	'42501', 'permission denied for function run_maintenance', 'PUBLIC cannot run maintenance');
SELECT throws_ok($$SELECT * FROM pactoria.maintenance_steps(NULL, now())$$,
	'42501', 'permission denied for function run_maintenance', 'nor through maintenance_steps()');
SELECT throws_ok($$SELECT * FROM pactoria.create_monthly_partition()$$,
	'42501', 'permission denied for function create_monthly_partition', 'PUBLIC cannot run create_monthly_partition');
SELECT throws_ok($$SELECT * FROM pactoria.partition_bounds('public.ledger')$$,
	'42501', 'permission denied for table ledger', 'partition_bounds needs SELECT on the table');
RESET ROLE;

SET LOCAL ROLE pactoria_test_partition_keeper;
SELECT throws_ok($$SELECT pactoria.register_partitioned_table('public.ledger')$$,
	'42501', 'must be owner of table public.ledger to register it for partition maintenance',
	'only the owner of a table can register it');
SELECT lives_ok($$SELECT pactoria.register_partitioned_table('keeper.visits', premake => 0)$$,
	'a role granted register_partitioned_table registers its own table');
SELECT results_eq($$SELECT action, partition_name FROM pactoria.run_maintenance('keeper.visits', '2026-01-15')$$,
	$$VALUES ('created', 'keeper.visits_p2026_01')$$,
	'and, granted run_maintenance, maintains it with its own privileges');
INSERT INTO keeper.visits VALUES ('2025-06-01');
SELECT results_eq($$SELECT action, detail FROM pactoria.run_maintenance('keeper.visits', '2026-01-15')$$,
	$$VALUES ('skipped', 'Partition FOR VALUES FROM (''2025-06-01 00:00:00+00'') TO (''2025-07-01 00:00:00+00'') not created: permission denied to set parameter "session_replication_role" (SQLSTATE 42501); it is tried again at the next run.')$$,
	'moving rows out of the default partition needs a superuser: without one it is skipped, and the rows stay');
SELECT is((SELECT count(*) FROM keeper.visits), 1::bigint, 'no row was lost');
SELECT results_eq($$SELECT action, rows_moved FROM pactoria.maintenance_steps('keeper.visits', '2026-01-15')$$,
	$$VALUES ('skipped', 0::bigint)$$,
	'granted run_maintenance, a role may run maintenance_steps() too, with no grant of its own');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
