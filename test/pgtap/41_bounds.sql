-- Bounded work per tenant (issue 12): the metric time window, the maintenance
-- window, diff sizes, stored text lengths and the short prefix messages quote.
BEGIN;
SELECT plan(15);

INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-0000000041a0', 'Bounds Company Ltd');

CREATE ROLE pactoria_test_bounds_app;
GRANT USAGE ON SCHEMA pactoria TO pactoria_test_bounds_app;
GRANT SELECT, INSERT ON pactoria.system_metrics TO pactoria_test_bounds_app;

----------------------------------------------------------------------------------
-- Metric times: at most metrics.max_future ahead, metrics.max_past behind.
----------------------------------------------------------------------------------
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000041a0';
SET LOCAL ROLE pactoria_test_bounds_app;
SELECT lives_ok($$SELECT pactoria.record_metric('bounds.now', 1, recorded_at => now() + interval '1 hour')$$,
	'a metric an hour ahead is recorded');
SELECT throws_ok($$SELECT pactoria.record_metric('bounds.future', 1, recorded_at => now() + interval '2 days')$$,
	'22008', NULL, 'a metric two days ahead is refused (22008)');
SELECT throws_ok($$SELECT pactoria.record_metric('bounds.far', 1, recorded_at => '294276-12-31 00:00:00+00')$$,
	'22008', NULL, 'a metric in the year 294276 is refused');
SELECT throws_ok($$INSERT INTO pactoria.system_metrics (company_id, metric_name, metric_value, recorded_at)
				   VALUES (pactoria.current_company_id(), 'bounds.direct', 1, now() + interval '10 years')$$,
	'22008', NULL, 'a direct INSERT far ahead is refused too');
SELECT throws_ok($$SELECT pactoria.record_metric('bounds.past', 1, recorded_at => now() - interval '1 year')$$,
	'22008', NULL, 'a metric a year old is refused');
RESET ROLE;

----------------------------------------------------------------------------------
-- Maintenance makes partitions only within its window; the rest is reported.
----------------------------------------------------------------------------------
INSERT INTO pactoria.system_metrics (company_id, metric_name, metric_value, recorded_at)
SELECT '00000000-0000-7000-8000-0000000041a0', 'bounds.future_rows', n, timestamptz '2030-01-01 00:00:00+00' + n * interval '1 month'
FROM generate_series(0, 499) AS n;
CREATE TEMP TABLE bounds_report AS
SELECT * FROM pactoria.run_maintenance('pactoria.system_metrics', '2026-12-04 00:00:00+00');
SELECT cmp_ok((SELECT count(*) FROM bounds_report WHERE action = 'created'), '<=', 20::bigint,
	'500 months of far-future rows make no more partitions than the window allows');
SELECT ok(EXISTS (SELECT 1 FROM bounds_report WHERE action = 'skipped' AND detail LIKE '%max_future_partitions%'),
	'the rows beyond the window are reported skipped, naming the setting');
SELECT is((SELECT count(*) FROM pactoria.system_metrics_default WHERE metric_name = 'bounds.future_rows'), 500::bigint,
	'and they stay in the default partition');
SELECT throws_ok($$INSERT INTO pactoria.system_config (key, value) VALUES ('partition.max_future_partitions', '5000')$$,
	'22023', NULL, 'the window is at most 1000 partitions');

----------------------------------------------------------------------------------
-- Diff sizes, stored text lengths, message prefixes.
----------------------------------------------------------------------------------
SELECT throws_ok($$SELECT count(*) FROM pactoria.diff_text(repeat(E'a\n', 300000), 'b')$$,
	'54000', NULL, 'diff_text of a text of 300,000 lines is refused (54000)');
SELECT throws_ok($$SELECT count(*) FROM pactoria.diff_text('a', repeat('x', 10000001))$$,
	'54000', NULL, 'diff_text of a text over 10,000,000 bytes is refused (54000)');
SELECT is((SELECT count(*) FROM pactoria.diff_text(E'a\nb\n', E'a\nc\n')), 3::bigint,
	'a small diff still works');
SELECT throws_ok($$INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact, description)
				   VALUES ('00000000-0000-7000-8000-0000000041a0', 'Long', 'operational', 1, 1, repeat('x', 20001))$$,
	'23514', NULL, 'a risk description over 20,000 characters is refused (23514)');
SELECT is(length(pactoria.quote_prefix(repeat('x', 10485760))) < 100, true,
	'quote_prefix of 10 MB is under 100 characters');
SELECT throws_like($$SELECT pactoria.get_config(repeat('k', 100000))$$,
	'unknown configuration key%(100000 characters)%', 'an unknown configuration key is quoted by its prefix and length');

SELECT * FROM finish();
ROLLBACK;
