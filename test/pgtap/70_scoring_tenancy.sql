-- Scoring under tenant isolation: the reporting views are security_invoker and
-- show a tenant only its own rows, calculate_extraction_accuracy cannot see
-- another tenant's extraction, and refresh_extraction_metrics is idempotent
-- and writes only what its caller may see.  Run as a non-superuser role,
-- with the tenant set as superuser (SET LOCAL pactoria.company_id).
BEGIN;
SELECT plan(27);

SET LOCAL TimeZone = 'UTC';
INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-00000000a001', 'Tenant A Ltd'),
	('00000000-0000-7000-8000-00000000b001', 'Tenant B Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES
	('00000000-0000-7000-8000-00000000a001', '00000000-0000-7000-8000-00000000a0a1', 'anna@tenant-a.example', 'Anna A'),
	('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0a1', 'bert@tenant-b.example', 'Bert B');
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by) VALUES
	('00000000-0000-7000-8000-00000000a001', '00000000-0000-7000-8000-00000000a0c1', 'A contract', 'nda', '00000000-0000-7000-8000-00000000a0a1'),
	('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0c1', 'B contract', 'nda', '00000000-0000-7000-8000-00000000b0a1');
INSERT INTO pactoria.extractions (company_id, id, contract_id, model_name, provider, token_count, cost, created_at) VALUES
	('00000000-0000-7000-8000-00000000a001', '00000000-0000-7000-8000-00000000a0e1', '00000000-0000-7000-8000-00000000a0c1',
	 'shared-model', 'acme-ai', 100, 0.5, '2024-06-01 10:00+00'),
	('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0e1', '00000000-0000-7000-8000-00000000b0c1',
	 'shared-model', 'acme-ai', 200, 0.7, '2024-06-01 11:00+00');
INSERT INTO pactoria.extraction_fields (company_id, extraction_id, field_name, value, confidence) VALUES
	('00000000-0000-7000-8000-00000000a001', '00000000-0000-7000-8000-00000000a0e1', 'party', 'Anna A', 90),
	('00000000-0000-7000-8000-00000000a001', '00000000-0000-7000-8000-00000000a0e1', 'term', '12 months', 70),
	('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0e1', 'party', 'Bert B', 60),
	('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0e1', 'term', '6 months', 50),
	('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0e1', 'fee', '£100', 40);
INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by) VALUES
	('00000000-0000-7000-8000-00000000a001', '00000000-0000-7000-8000-00000000a0e1', 'term', '12 months', '24 months',
	 'wrong_value', '00000000-0000-7000-8000-00000000a0a1'),
	('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0e1', 'fee', '£100', NULL,
	 'not_in_document', '00000000-0000-7000-8000-00000000b0a1');

CREATE ROLE pactoria_test_scoring_tenant NOLOGIN;
GRANT USAGE ON SCHEMA pactoria TO pactoria_test_scoring_tenant;
GRANT SELECT ON ALL TABLES IN SCHEMA pactoria TO pactoria_test_scoring_tenant;
GRANT INSERT, UPDATE, DELETE ON pactoria.extraction_metrics TO pactoria_test_scoring_tenant;

SELECT is(
	(SELECT string_agg(c.relname || ' ' || array_to_string(c.reloptions, ','), '; ' ORDER BY c.relname)
	 FROM pg_class AS c
	 WHERE c.oid IN ('pactoria.v_extraction_details'::regclass, 'pactoria.v_user_activity'::regclass,
					 'pactoria.v_daily_extraction_stats'::regclass, 'pactoria.v_extraction_field_outcomes'::regclass)),
	'v_daily_extraction_stats security_invoker=true; v_extraction_details security_invoker=true; '
	'v_extraction_field_outcomes security_invoker=true; v_user_activity security_invoker=true',
	'the four views are security_invoker');

-- Tenant A
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-00000000a001';
SET LOCAL ROLE pactoria_test_scoring_tenant;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false, 'the tests run as a non-superuser');
SELECT results_eq($$SELECT extraction_id, contract_title, correct_count, wrong_value_count, accuracy FROM pactoria.v_extraction_details$$,
	$$VALUES ('00000000-0000-7000-8000-00000000a0e1'::uuid, 'A contract', 1::bigint, 1::bigint, 0.5::float8)$$,
	'v_extraction_details: tenant A sees its extraction only');
SELECT results_eq($$SELECT full_name, contract_count, correction_count FROM pactoria.v_user_activity$$,
	$$VALUES ('Anna A', 1::bigint, 1::bigint)$$, 'v_user_activity: tenant A sees its user only');
SELECT results_eq($$SELECT company_id, extraction_count, field_count, accuracy FROM pactoria.v_daily_extraction_stats$$,
	$$VALUES ('00000000-0000-7000-8000-00000000a001'::uuid, 1::bigint, 2::bigint, 0.5::float8)$$,
	'v_daily_extraction_stats: tenant A sees its own statistics, not those of the same model at B');
SELECT is((SELECT count(*) FROM pactoria.v_extraction_field_outcomes)::int, 2,
	'v_extraction_field_outcomes: tenant A sees its two fields');
SELECT is((SELECT (pactoria.extraction_accuracy(correction_type, confidence)).fields FROM pactoria.v_extraction_field_outcomes)::int, 2,
	'the aggregate over everything visible counts only tenant A''s fields');
SELECT results_eq($$SELECT field_name, accuracy FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000a0e1')$$,
	$$VALUES ('party', 1::float8), ('term', 0::float8), (NULL, 0.5::float8)$$,
	'calculate_extraction_accuracy of its own extraction');
SELECT throws_ok($$SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000b0e1')$$,
	'P0002', 'extraction 00000000-0000-7000-8000-00000000b0e1 does not exist',
	'another tenant''s extraction is "not found", like an unknown one');
SELECT is(pactoria.risk_level(pactoria.calculate_risk_score(4, 4)) || ' ' || pactoria.is_compliant(0.96)::text,
	'high true', 'the configured scoring functions work for the tenant role');

SELECT is(pactoria.refresh_extraction_metrics('2024-06-01'), 1, 'refresh as tenant A writes one row');
SELECT is(pactoria.refresh_extraction_metrics('2024-06-01'), 0, 'a second refresh changes nothing (idempotent)');
SELECT results_eq($$SELECT company_id, extraction_count, field_count, correction_count, accuracy, average_confidence, token_count, cost
					FROM pactoria.extraction_metrics$$,
	$$VALUES ('00000000-0000-7000-8000-00000000a001'::uuid, 1, 2, 1, 0.5000::numeric(5,4), 80.00::numeric(5,2), 100::bigint, 0.5::numeric(12,6))$$,
	'tenant A''s metrics row holds its numbers');
RESET ROLE;
SELECT is((SELECT count(*) FROM pactoria.extraction_metrics WHERE metric_date = '2024-06-01')::int, 1,
	'tenant A''s refresh wrote nothing for tenant B');

-- Tenant B
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-00000000b001';
SET LOCAL ROLE pactoria_test_scoring_tenant;
SELECT results_eq($$SELECT extraction_id, not_in_document_count, precision FROM pactoria.v_extraction_details$$,
	$$VALUES ('00000000-0000-7000-8000-00000000b0e1'::uuid, 1::bigint, 2::float8 / 3)$$,
	'v_extraction_details: tenant B sees its extraction only');
SELECT throws_ok($$SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000a0e1')$$,
	'P0002', NULL, 'tenant B cannot compute the accuracy of tenant A''s extraction');
SELECT is(pactoria.refresh_extraction_metrics('2024-06-01'), 1, 'refresh as tenant B writes its own row');
SELECT is((SELECT count(*) FROM pactoria.extraction_metrics)::int, 1, 'tenant B sees only its own metrics row');
RESET ROLE;

-- Tenant A refreshes while B's numbers are stale: B's row stays as it was.
INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by)
VALUES ('00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-00000000b0e1', 'party', 'Bert B', 'Bert Brown',
		'wrong_value', '00000000-0000-7000-8000-00000000b0a1');
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-00000000a001';
SET LOCAL ROLE pactoria_test_scoring_tenant;
SELECT is(pactoria.refresh_extraction_metrics('2024-06-01'), 0, 'tenant A''s refresh does not touch tenant B''s stale row');
RESET ROLE;
SELECT is((SELECT correction_count FROM pactoria.extraction_metrics WHERE company_id = '00000000-0000-7000-8000-00000000b001'),
	1, 'tenant B''s row still has its old correction count');

-- No tenant context: a non-superuser sees nothing and writes nothing.
SET LOCAL pactoria.company_id = '';
SET LOCAL ROLE pactoria_test_scoring_tenant;
SELECT is((SELECT count(*) FROM pactoria.v_extraction_details)::int, 0, 'without tenant context the views are empty');
SELECT throws_ok($$SELECT pactoria.refresh_extraction_metrics('2024-06-01')$$, '42501', 'no tenant context is set',
	'without tenant context refresh is refused (a tenant write with no context fails closed)');
SELECT throws_ok($$SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000a0e1')$$,
	'P0002', NULL, 'without tenant context no extraction is found');
RESET ROLE;

-- The superuser (bypassing row-level security) refreshes every tenant.
SELECT is(pactoria.refresh_extraction_metrics('2024-06-01'), 1, 'refresh as superuser updates the stale row of tenant B only');
SELECT results_eq($$SELECT company_id, correction_count, accuracy FROM pactoria.extraction_metrics ORDER BY company_id$$,
	$$VALUES ('00000000-0000-7000-8000-00000000a001'::uuid, 1, 0.5000::numeric(5,4)),
			 ('00000000-0000-7000-8000-00000000b001'::uuid, 2, 0.3333::numeric(5,4))$$,
	'both tenants'' rows now hold current numbers');
SELECT is(pactoria.refresh_extraction_metrics('2024-06-01'), 0, 'and a second refresh as superuser changes nothing');
SELECT is((SELECT count(*) FROM pactoria.extraction_metrics WHERE metric_date = '2024-06-01')::int, 2,
	'one row per company, day and model, never duplicated');

SELECT * FROM finish();
ROLLBACK;
