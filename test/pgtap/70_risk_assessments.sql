-- The risk register: risk_level always follows likelihood x impact under the
-- configured bands, and next_review_date defaults by level.
BEGIN;
SELECT plan(31);

SET LOCAL TimeZone = 'UTC';
INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-000000007001', 'Risk Register Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name)
VALUES ('00000000-0000-7000-8000-000000007001', '00000000-0000-7000-8000-0000000070a1', 'owner@risk-register.example', 'Olive Owner');

SELECT has_trigger('pactoria', 'risk_assessments', 'trg_risk_assessments_derive_level_and_review',
	'risk_assessments has the trigger deriving risk_level and next_review_date');

-- Every likelihood x impact: the level written is the level of the score.
INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact)
SELECT '00000000-0000-7000-8000-000000007001', format('Risk %s x %s', l, i), 'grid', l, i
FROM generate_series(1, 5) AS l, generate_series(1, 5) AS i;
SELECT is((SELECT count(*) FROM pactoria.risk_assessments
		   WHERE risk_category = 'grid' AND risk_level = pactoria.risk_level(risk_score)
			 AND risk_score = pactoria.calculate_risk_score(likelihood, impact))::int, 25,
	'all 25 combinations get the score and the level of the score');
SELECT results_eq(
	$$SELECT risk_level, min(risk_score)::int, max(risk_score)::int FROM pactoria.risk_assessments
	  WHERE risk_category = 'grid' GROUP BY risk_level ORDER BY 2$$,
	$$VALUES ('low', 1, 4), ('medium', 5, 9), ('high', 10, 16), ('critical', 20, 25)$$,
	'default bands: low 1-4, medium 5-9, high 10-16, critical 17-25 (17-19 are no product of two ratings)');
SELECT results_eq(
	$$SELECT risk_level, min(next_review_date - current_date), max(next_review_date - current_date)
	  FROM pactoria.risk_assessments WHERE risk_category = 'grid' GROUP BY risk_level ORDER BY 2$$,
	$$VALUES ('critical', 30, 30), ('high', 90, 90), ('medium', 180, 180), ('low', 365, 365)$$,
	'without a last review, the next review is today + 30, 90, 180 or 365 days by level');

-- A level given on INSERT: the right one is accepted, a wrong one refused.
SELECT lives_ok(
	$$INSERT INTO pactoria.risk_assessments (company_id, id, risk_name, risk_category, likelihood, impact, risk_level)
	  VALUES ('00000000-0000-7000-8000-000000007001', '00000000-0000-7000-8000-0000000070b1', 'Supplier insolvency',
			  'supply_chain', 3, 4, 'high')$$,
	'an INSERT giving the level of its score is accepted');
SELECT throws_ok(
	$$INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact, risk_level)
	  VALUES ('00000000-0000-7000-8000-000000007001', 'Data breach', 'data_protection', 3, 4, 'low')$$,
	'23514', 'risk level "low" does not match risk score 12',
	'an INSERT giving another level is refused (check_violation)');
SELECT throws_ok(
	$$INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact)
	  VALUES ('00000000-0000-7000-8000-000000007001', 'Data breach', 'data_protection', 6, 4)$$,
	'23514', 'likelihood 6 is out of range', 'a likelihood outside 1-5 is refused, naming it (check_violation)');
SELECT throws_ok(
	$$INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact)
	  VALUES ('00000000-0000-7000-8000-000000007001', 'Data breach', 'data_protection', 2, 0)$$,
	'23514', 'impact 0 is out of range', 'an impact outside 1-5 is refused, naming it (check_violation)');
CREATE FUNCTION pg_temp.violated_constraint(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	name text;
BEGIN
	EXECUTE statement;
	RETURN NULL;
EXCEPTION WHEN check_violation THEN
	GET STACKED DIAGNOSTICS name = CONSTRAINT_NAME;
	RETURN name;
END
$$;
SELECT is(pg_temp.violated_constraint(
	$$INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact)
	  VALUES ('00000000-0000-7000-8000-000000007001', 'Data breach', 'data_protection', 2, 9)$$),
	'chk_risk_assessments_impact', 'the error names the table''s check constraint on the column');
SELECT throws_ok(
	$$INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact)
	  VALUES ('00000000-0000-7000-8000-000000007001', 'Data breach', 'data_protection', NULL, 4)$$,
	'23502', NULL, 'a NULL likelihood is refused by NOT NULL');
SELECT throws_ok(
	$$INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact, risk_level)
	  VALUES ('00000000-0000-7000-8000-000000007001', 'Data breach', 'data_protection', 2, 2, 'severe')$$,
	'23514', 'risk level "severe" does not match risk score 4', 'an unknown level is refused');

-- UPDATE of likelihood or impact: the level follows.
UPDATE pactoria.risk_assessments SET likelihood = 5 WHERE id = '00000000-0000-7000-8000-0000000070b1';
SELECT is((SELECT risk_score::int || ' ' || risk_level FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b1'),
	'20 critical', 'raising the likelihood re-derives score and level');
UPDATE pactoria.risk_assessments SET impact = 1, likelihood = 1 WHERE id = '00000000-0000-7000-8000-0000000070b1';
SELECT is((SELECT risk_score::int || ' ' || risk_level FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b1'),
	'1 low', 'lowering both re-derives score and level');
SELECT throws_ok(
	$$UPDATE pactoria.risk_assessments SET risk_level = 'critical' WHERE id = '00000000-0000-7000-8000-0000000070b1'$$,
	'23514', 'risk level "critical" does not match risk score 1', 'an UPDATE setting a disagreeing level is refused');
SELECT throws_ok(
	$$UPDATE pactoria.risk_assessments SET likelihood = 5, risk_level = 'low' WHERE id = '00000000-0000-7000-8000-0000000070b1'$$,
	'23514', 'risk level "low" does not match risk score 5',
	'an UPDATE setting a level that disagrees with its new score is refused');
SELECT lives_ok(
	$$UPDATE pactoria.risk_assessments SET likelihood = 5, impact = 2, risk_level = 'high' WHERE id = '00000000-0000-7000-8000-0000000070b1'$$,
	'an UPDATE setting score and matching level together is accepted');
SELECT is((SELECT risk_level FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b1'),
	'high', 'and the level is the one given');
SELECT is((SELECT count(*) FROM pactoria.risk_assessments
		   WHERE risk_level IS DISTINCT FROM pactoria.risk_level(risk_score))::int, 0,
	'no row has a level other than that of its score');

-- New bands: rows are re-levelled when written; SET risk_level = DEFAULT does it explicitly.
INSERT INTO pactoria.system_config (key, value)
VALUES ('risk_level_bands', '{"low": [1, 2], "medium": [3, 5], "high": [6, 9], "critical": [10, 25]}');
SELECT is((SELECT risk_level FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b1'),
	'high', 'a configuration change alone rewrites no row');
UPDATE pactoria.risk_assessments SET risk_level = DEFAULT WHERE risk_category = 'grid' OR id = '00000000-0000-7000-8000-0000000070b1';
SELECT is((SELECT risk_level FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b1'),
	'critical', 'SET risk_level = DEFAULT re-derives the level under the new bands (10 is now critical)');
SELECT is((SELECT count(*) FROM pactoria.risk_assessments
		   WHERE company_id = '00000000-0000-7000-8000-000000007001'
			 AND risk_level IS DISTINCT FROM pactoria.risk_level(risk_score))::int, 0,
	'every row re-derived agrees with the new bands');
SELECT throws_ok(
	$$UPDATE pactoria.system_config SET value = '{"low": [1, 2], "medium": [3, 5], "high": [6, 9], "critical": [11, 25]}'
	  WHERE key = 'risk_level_bands'$$,
	'22023', 'band of risk level "critical" in configuration key "risk_level_bands" starts at 11, not at 10 right after the band of "high"',
	'bands with a gap are refused when set');
DELETE FROM pactoria.system_config WHERE key = 'risk_level_bands';

-- next_review_date: from the last review and the level, unless given.
INSERT INTO pactoria.risk_assessments (company_id, id, risk_name, risk_category, likelihood, impact, last_review_date)
VALUES ('00000000-0000-7000-8000-000000007001', '00000000-0000-7000-8000-0000000070b2', 'Key person leaves', 'staffing', 2, 3, '2024-03-01');
SELECT is((SELECT next_review_date FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b2'),
	'2024-08-28'::date, 'medium risk last reviewed 2024-03-01: next review 180 days later');
INSERT INTO pactoria.risk_assessments (company_id, id, risk_name, risk_category, likelihood, impact, last_review_date, next_review_date)
VALUES ('00000000-0000-7000-8000-000000007001', '00000000-0000-7000-8000-0000000070b3', 'Currency swing', 'financial', 5, 5, '2024-03-01', '2024-03-15');
SELECT is((SELECT next_review_date FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b3'),
	'2024-03-15'::date, 'a next_review_date given is kept');
UPDATE pactoria.risk_assessments SET last_review_date = '2024-04-01' WHERE id = '00000000-0000-7000-8000-0000000070b3';
SELECT is((SELECT next_review_date FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b3'),
	'2024-05-01'::date, 'recording a review moves the next review on by the level''s interval (critical: 30 days)');
UPDATE pactoria.risk_assessments SET last_review_date = '2024-05-01', next_review_date = '2024-05-10'
WHERE id = '00000000-0000-7000-8000-0000000070b3';
SELECT is((SELECT next_review_date FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b3'),
	'2024-05-10'::date, 'recording a review with its own next review date keeps that date');
UPDATE pactoria.risk_assessments SET status = 'mitigated' WHERE id = '00000000-0000-7000-8000-0000000070b3';
SELECT is((SELECT next_review_date FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b3'),
	'2024-05-10'::date, 'an UPDATE of other columns leaves the review dates alone');
UPDATE pactoria.risk_assessments SET next_review_date = NULL WHERE id = '00000000-0000-7000-8000-0000000070b3';
SELECT is((SELECT next_review_date FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b3'),
	'2024-05-31'::date, 'setting next_review_date to NULL recomputes it from the last review');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', '{"low": 400, "medium": 200, "high": 100, "critical": 10}')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
INSERT INTO pactoria.risk_assessments (company_id, id, risk_name, risk_category, likelihood, impact, last_review_date)
VALUES ('00000000-0000-7000-8000-000000007001', '00000000-0000-7000-8000-0000000070b4', 'Regulatory change', 'legal', 4, 5, '2024-03-01');
SELECT is((SELECT next_review_date FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000070b4'),
	'2024-03-11'::date, 'configured review intervals apply (critical: 10 days)');
SELECT throws_ok(
	$$UPDATE pactoria.system_config SET value = '{"low": 400, "medium": 200, "high": 100}' WHERE key = 'risk_review_days'$$,
	'22023', 'risk level "critical" is missing from configuration key "risk_review_days"',
	'review intervals without a level are refused when set');
SELECT throws_ok(
	$$INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact, last_review_date, next_review_date)
	  VALUES ('00000000-0000-7000-8000-000000007001', 'Backwards', 'legal', 1, 1, '2024-03-01', '2024-02-01')$$,
	'23514', NULL, 'a next review before the last one is still refused by the table''s check');

SELECT * FROM finish();
ROLLBACK;
