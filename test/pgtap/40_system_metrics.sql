-- system_metrics and record_metric: what is recorded, what is refused, who sees what.
BEGIN;
SELECT plan(51);

INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-00000000000a', 'Metrics Company A Ltd'),
	('00000000-0000-7000-8000-00000000000b', 'Metrics Company B Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000a1', 'ada@metrics-a.example', 'Ada A'),
	('00000000-0000-7000-8000-00000000000b', '00000000-0000-7000-8000-0000000000b1', 'bob@metrics-b.example', 'Bob B');

SELECT has_table('pactoria', 'system_metrics', 'pactoria.system_metrics exists');
SELECT is((SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'pactoria.system_metrics'::regclass),
	'r', 'system_metrics is range-partitioned');
SELECT col_is_pk('pactoria', 'system_metrics_default', ARRAY['company_id', 'id', 'recorded_at'],
	'the primary key is (company_id, id, recorded_at): the tenant leads it, the partition key is in it');
SELECT col_not_null('pactoria', 'system_metrics', 'company_id', 'every metric of system_metrics has its company');
SELECT has_index('pactoria', 'system_metrics_default', 'idx_system_metrics_default_company_id_metric_name_recorded_at',
	ARRAY['company_id', 'metric_name', 'recorded_at'], 'a tenant''s metrics are found by name and time');
SELECT is_empty($$SELECT 1 FROM pg_index WHERE indrelid = 'pactoria.system_metrics'::regclass$$,
	'the parent has no index: its keys live on the default partition, the template of the others (pg_dump)');
SELECT lives_ok($$SELECT pactoria.run_maintenance('pactoria.system_metrics', '2026-03-01')$$, 'maintenance makes partitions');
SELECT results_eq($$SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'pactoria.system_metrics_p2026_04'::regclass ORDER BY 1$$,
	ARRAY['CREATE INDEX system_metrics_p2026_04_company_id_metric_name_recorded_at_idx ON pactoria.system_metrics_p2026_04 USING btree (company_id, metric_name, recorded_at)',
		  'CREATE UNIQUE INDEX system_metrics_p2026_04_pkey ON pactoria.system_metrics_p2026_04 USING btree (company_id, id, recorded_at)'],
	'and every partition it makes has the same primary key and index');
SELECT ok((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'pactoria.system_metrics'::regclass),
	'row-level security is on and forced');

----------------------------------------------------------------------------------
-- Recording, as tenant A.
----------------------------------------------------------------------------------
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-00000000000a';
SET LOCAL pactoria.user_id = '00000000-0000-7000-8000-0000000000a1';
CREATE TEMP TABLE recorded AS
	SELECT pactoria.record_metric('contract.upload_seconds', 2.5, 'seconds', '{"format": "pdf"}', '2030-03-04 10:00:00+00') AS id;
SELECT results_eq($$SELECT company_id, user_id, metric_name, metric_value, metric_unit, tags, recorded_at
					FROM pactoria.system_metrics WHERE id = (SELECT id FROM recorded)$$,
	$$VALUES ('00000000-0000-7000-8000-00000000000a'::uuid, '00000000-0000-7000-8000-0000000000a1'::uuid,
			  'contract.upload_seconds', 2.5::double precision, 'seconds', '{"format": "pdf"}'::jsonb,
			  '2030-03-04 10:00:00+00'::timestamptz)$$,
	'record_metric stores the metric for the company and user of the tenant context');
SELECT is(pactoria.uuid_v7_time((SELECT id FROM recorded)) IS NOT NULL, true, 'the id is a version-7 UUID');
SELECT ok(pactoria.record_metric('ai.tokens_used', 1234) IS NOT NULL, 'unit, tags and time are optional');
SELECT results_eq($$SELECT metric_unit, tags, recorded_at = now() FROM pactoria.system_metrics WHERE metric_name = 'ai.tokens_used'$$,
	$$VALUES (NULL::text, '{}'::jsonb, true)$$, 'and default to no unit, no tags and now()');
SELECT is((SELECT tableoid::regclass::text FROM pactoria.system_metrics WHERE id = (SELECT id FROM recorded)),
	'pactoria.system_metrics_default', 'a metric of a month without a partition lands in the default partition');
SELECT lives_ok($$SELECT pactoria.record_metric(repeat('m', 200), 0)$$, 'a metric name of 200 characters is accepted');

----------------------------------------------------------------------------------
-- Bad input.
----------------------------------------------------------------------------------
SELECT throws_ok($$SELECT pactoria.record_metric(NULL, 1)$$, '22004', 'metric name must not be NULL', 'NULL name');
SELECT throws_ok($$SELECT pactoria.record_metric('', 1)$$, '22023', 'metric name must not be empty', 'empty name');
SELECT throws_ok($$SELECT pactoria.record_metric(repeat('m', 201), 1)$$, '22023', 'metric name is too long (201 characters)', 'name too long');
SELECT throws_ok($$SELECT pactoria.record_metric('upload time', 1)$$, '22023', 'invalid metric name "upload time"', 'name with a space');
SELECT throws_ok($$SELECT pactoria.record_metric('2fa.failures', 1)$$, '22023', 'invalid metric name "2fa.failures"', 'name starting with a digit');
SELECT throws_ok($$SELECT pactoria.record_metric('x', NULL)$$, '22004', 'metric value must not be NULL', 'NULL value');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 'NaN')$$, '22023', 'metric value must be a finite number, not NaN', 'NaN value');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 'Infinity')$$, '22023', 'metric value must be a finite number, not Infinity', 'infinite value');
SELECT throws_ok($$SELECT pactoria.record_metric('x', '-Infinity')$$, '22023', 'metric value must be a finite number, not -Infinity', 'negative infinite value');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 'twelve')$$, '22P02', NULL, 'a value that is not a number');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, '')$$, '22023', 'invalid metric unit ""', 'empty unit');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, '   ')$$, '22023', 'invalid metric unit "   "', 'blank unit');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, repeat('u', 51))$$, '22023', NULL, 'unit too long');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, 'ms', NULL)$$, '22004', 'metric tags must not be NULL', 'NULL tags');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, 'ms', '["a"]')$$, '22023', 'metric tags must be a JSON object, not array', 'tags that are an array');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, 'ms', '"a"')$$, '22023', 'metric tags must be a JSON object, not string', 'tags that are a string');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, 'ms', jsonb_build_object('note', repeat('n', 5000)))$$,
	'22023', 'metric tags are too large (5012 bytes)', 'tags too large');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, 'ms', '{}', NULL)$$, '22004', 'metric time must not be NULL', 'NULL time');
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1, 'ms', '{}', 'infinity')$$, '22023', 'metric time must be finite, not infinity', 'infinite time');
SELECT throws_ok($$INSERT INTO pactoria.system_metrics (company_id, metric_name, metric_value) VALUES ('00000000-0000-7000-8000-00000000000a', 'x', 'NaN')$$,
	'22023', 'metric value must be a finite number, not NaN', 'a direct INSERT is held to the same rules');

-- Wrong tenant, unknown ids.
SET LOCAL pactoria.user_id = '00000000-0000-7000-8000-0000000000b1';
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1)$$, '23503', NULL,
	'a user of another company in the context is refused (composite foreign key)');
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000000ff';
SET LOCAL pactoria.user_id = '';
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1)$$, '23503', NULL, 'an unknown company is refused');
RESET pactoria.company_id;

----------------------------------------------------------------------------------
-- Who sees what: tenants their own rows; system-wide metrics (global_metrics)
-- trusted roles only.
----------------------------------------------------------------------------------
CREATE TEMP TABLE system_wide AS SELECT pactoria.record_metric('system.connections', 12, 'connections', '{"pool": "main"}') AS id;
SELECT results_eq($$SELECT metric_name, metric_value, metric_unit, tags FROM pactoria.global_metrics WHERE id = (SELECT id FROM system_wide)$$,
	$$VALUES ('system.connections', 12::double precision, 'connections', '{"pool": "main"}'::jsonb)$$,
	'a superuser without a tenant context records a system-wide metric, in global_metrics');
SELECT is_empty($$SELECT 1 FROM pactoria.system_metrics WHERE metric_name = 'system.connections'$$,
	'and not in system_metrics');
SELECT throws_ok($$INSERT INTO pactoria.system_metrics (metric_name, metric_value) VALUES ('system.direct', 1)$$,
	'23502', NULL, 'a metric without a company is refused by system_metrics, even for a superuser');
SELECT col_is_pk('pactoria', 'global_metrics_default', ARRAY['id', 'recorded_at'], 'global_metrics is keyed by (id, recorded_at)');
SELECT is((SELECT partition_interval FROM pactoria.partition_config WHERE parent_table = 'pactoria.global_metrics'::regclass),
	interval '1 month', 'global_metrics is kept by partition maintenance, by month');
SELECT throws_ok($$INSERT INTO pactoria.global_metrics (metric_name, metric_value) VALUES ('system.bad', 'Infinity')$$,
	'22023', 'metric value must be a finite number, not Infinity', 'global_metrics holds its rows to the same rules');

CREATE ROLE pactoria_test_metrics_app;
GRANT USAGE ON SCHEMA pactoria TO pactoria_test_metrics_app;
GRANT SELECT, INSERT ON pactoria.system_metrics TO pactoria_test_metrics_app;

SET LOCAL ROLE pactoria_test_metrics_app;
SELECT throws_ok($$SELECT pactoria.record_metric('x', 1)$$, '42501', 'no tenant context is set',
	'an application role without a tenant context cannot record a metric');
SELECT is_empty($$SELECT * FROM pactoria.system_metrics$$, 'and sees no metric at all');
SELECT throws_ok($$SELECT * FROM pactoria.global_metrics$$, '42501', NULL, 'nor reads the system-wide ones');
SELECT throws_ok($$INSERT INTO pactoria.global_metrics (metric_name, metric_value) VALUES ('planted', 1)$$, '42501', NULL,
	'nor writes them');
RESET ROLE;

-- A role trusted with global_metrics but not the owner is held to the time window.
GRANT INSERT ON pactoria.global_metrics TO pactoria_test_metrics_app;
SET LOCAL ROLE pactoria_test_metrics_app;
SELECT throws_ok($$SELECT pactoria.record_metric('system.late', 1, recorded_at => now() - interval '1 year')$$, '22008', NULL,
	'a system-wide metric is held to the metric time window');
SELECT lives_ok($$SELECT pactoria.record_metric('system.granted', 1)$$, 'a role granted INSERT on global_metrics records system-wide metrics');
RESET ROLE;
REVOKE INSERT ON pactoria.global_metrics FROM pactoria_test_metrics_app;

SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-00000000000b';
SET LOCAL ROLE pactoria_test_metrics_app;
SELECT lives_ok($$SELECT pactoria.record_metric('contract.signed', 1, 'contracts')$$, 'tenant B records its own metric');
SELECT results_eq($$SELECT metric_name FROM pactoria.system_metrics$$, ARRAY['contract.signed'],
	'tenant B sees its own metric only: neither tenant A''s nor the system-wide ones');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
