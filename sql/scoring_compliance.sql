-- Overall compliance score, the compliance threshold, and filling
-- compliance_scores.overall_score and risk_score.
SET client_min_messages = warning;

SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc AS p
WHERE p.oid IN ('pactoria.overall_compliance_score(numeric, numeric, numeric, numeric, jsonb)'::regprocedure,
				'pactoria.is_compliant(numeric)'::regprocedure)
ORDER BY 1::text;

------------------------------------------------------------------------------------
-- overall_compliance_score: weighted mean of the areas present, 4 decimals
------------------------------------------------------------------------------------
SELECT gdpr, employment, consumer, commercial, weights,
	   pactoria.overall_compliance_score(gdpr, employment, consumer, commercial, weights::jsonb) AS overall
FROM (VALUES
	(1.0, 1.0, 1.0, 1.0, NULL),
	(0.9, 0.8, 0.7, 0.6, NULL),
	(0.9, NULL, NULL, NULL, NULL),
	(NULL, NULL, NULL, 0.25, NULL),
	(0.9, 1.0, NULL, 0.85, NULL),                    -- 2.75 / 3 = 0.91666...
	(0, 0, 0, 0, NULL),
	(0.0001, 0.0001, 0, 0, NULL),                    -- 0.00005: half rounds up
	(0.00004, 0, 0, 0, NULL),                        -- 0.00001: rounds down
	(0.9, 0.8, 0.7, 0.6, '{"gdpr": 2}'),             -- (1.8 + 0.8 + 0.7 + 0.6) / 5
	(0.9, 0.8, 0.7, 0.6, '{"gdpr": 40, "employment": 30, "consumer": 20, "commercial": 10}'),
	(0.9, 0.8, 0.7, 0.6, '{"consumer": 0, "commercial": 0}'),
	(0.9, NULL, 0.7, 0.6, '{"gdpr": 0}'),            -- a NULL area's weight does not count
	(0.9, 0.8, 0.7, 0.6, '{}'),
	(0.5, 1, NULL, NULL, '{"gdpr": 0.0001, "employment": 1000}'),
	(0.949999, 0.95, 0.95, 0.95, NULL)               -- rounded to 4 places: 0.9500
) AS examples (gdpr, employment, consumer, commercial, weights);
-- Every area NULL: NULL (there is nothing to score), whatever the weights.
SELECT pactoria.overall_compliance_score(NULL, NULL, NULL, NULL) IS NULL AS all_null,
	   pactoria.overall_compliance_score(NULL, NULL, NULL, NULL, '{"gdpr": 1}') IS NULL AS all_null_weighted;
-- Named arguments and the default weights.
SELECT pactoria.overall_compliance_score(gdpr => 0.8, employment => NULL, consumer => NULL, commercial => 1);
-- Scores outside 0-1 are errors naming the area and the value.
SELECT pactoria.overall_compliance_score(1.2, 1, 1, 1);
SELECT pactoria.overall_compliance_score(1, -0.1, 1, 1);
SELECT pactoria.overall_compliance_score(1, 1, 1.0000001, 1);
SELECT pactoria.overall_compliance_score(1, 1, 1, 'NaN');
SELECT pactoria.overall_compliance_score(1, 1, 1, 'Infinity');
-- Bad weights.
SELECT pactoria.overall_compliance_score(0.9, 0.8, 0.7, 0.6, '{"gdpr": 1, "tax": 1}');
SELECT pactoria.overall_compliance_score(0.9, 0.8, 0.7, 0.6, '{"gdpr": -1}');
SELECT pactoria.overall_compliance_score(0.9, 0.8, 0.7, 0.6, '{"gdpr": 1001}');
SELECT pactoria.overall_compliance_score(0.9, 0.8, 0.7, 0.6, '{"gdpr": "2"}');
SELECT pactoria.overall_compliance_score(0.9, 0.8, 0.7, 0.6, '{"gdpr": null}');
SELECT pactoria.overall_compliance_score(0.9, 0.8, 0.7, 0.6, '[1, 1, 1, 1]');
SELECT pactoria.overall_compliance_score(0.9, 0.8, 0.7, 0.6, '2');
SELECT pactoria.overall_compliance_score(0.9, NULL, NULL, 0.6, '{"gdpr": 0, "commercial": 0}');

------------------------------------------------------------------------------------
-- is_compliant: at or above system_config compliance_threshold (default 0.95)
------------------------------------------------------------------------------------
SELECT score, pactoria.is_compliant(score)
FROM unnest(ARRAY[0, 0.5, 0.9499, 0.949999999, 0.95, 0.9500, 0.95000001, 1]::numeric[]) AS score;
SELECT pactoria.is_compliant(NULL) IS NULL AS null_score;
SELECT pactoria.is_compliant(1.01);
SELECT pactoria.is_compliant(-0.01);
SELECT pactoria.is_compliant('NaN');
BEGIN;
INSERT INTO pactoria.system_config (key, value) VALUES ('compliance_threshold', '0.8');
SELECT pactoria.is_compliant(0.8) AS at_threshold, pactoria.is_compliant(0.79) AS below;
ROLLBACK;
INSERT INTO pactoria.system_config (key, value) VALUES ('compliance_threshold', '0');
INSERT INTO pactoria.system_config (key, value) VALUES ('compliance_threshold', '1.5');
INSERT INTO pactoria.system_config (key, value) VALUES ('compliance_threshold', '"0.95"');
INSERT INTO pactoria.system_config (key, value) VALUES ('compliance_threshold', '1');
SELECT pactoria.is_compliant(0.9999) AS below_one, pactoria.is_compliant(1) AS one;
DELETE FROM pactoria.system_config WHERE key = 'compliance_threshold';

-- compliance_area_weights is checked when it is set.
INSERT INTO pactoria.system_config (key, value) VALUES ('compliance_area_weights', '{"gdpr": 1, "vat": 1}');
INSERT INTO pactoria.system_config (key, value) VALUES ('compliance_area_weights', '{"gdpr": -2}');

------------------------------------------------------------------------------------
-- compliance_scores: overall_score and risk_score filled when not given
------------------------------------------------------------------------------------
INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-00000000c001', 'Compliance Test Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0a1', 'compliance.test@example.com', 'Carol Tester');
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0c1', 'Employment contract', 'employment_contract',
		'00000000-0000-7000-8000-00000000c0a1');

INSERT INTO pactoria.compliance_scores (company_id, contract_id, gdpr_compliance, employment_law_compliance,
										consumer_rights_compliance, commercial_terms_compliance, risk_factors)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0c1', 0.9, 1, NULL, 0.85,
		'[{"severity": "medium"}, {"severity": "low", "weight": 2}]')
RETURNING overall_score, risk_score, pactoria.is_compliant(overall_score) AS compliant;
-- Given values are kept.
INSERT INTO pactoria.compliance_scores (company_id, contract_id, overall_score, gdpr_compliance, risk_score, risk_factors)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0c1', 0.97, 0.5, 2,
		'[{"severity": "critical"}]')
RETURNING overall_score, risk_score;
-- No risk factors: the minimum risk, 1.
INSERT INTO pactoria.compliance_scores (company_id, contract_id, gdpr_compliance)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0c1', 0.96)
RETURNING overall_score, risk_score, pactoria.is_compliant(overall_score) AS compliant;
-- Configured area weights apply to the filled overall score.
BEGIN;
INSERT INTO pactoria.system_config (key, value) VALUES ('compliance_area_weights', '{"gdpr": 3}');
INSERT INTO pactoria.compliance_scores (company_id, contract_id, gdpr_compliance, commercial_terms_compliance)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0c1', 1, 0.6)
RETURNING overall_score;
ROLLBACK;
-- Setting overall_score or risk_score to NULL recomputes it.
UPDATE pactoria.compliance_scores SET gdpr_compliance = 0.7, overall_score = NULL, risk_score = NULL
WHERE company_id = '00000000-0000-7000-8000-00000000c001' AND overall_score = 0.97
RETURNING overall_score, risk_score;
-- Nothing to compute an overall score from, bad factors, out-of-range areas: errors, nothing written.
INSERT INTO pactoria.compliance_scores (company_id, contract_id)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0c1');
INSERT INTO pactoria.compliance_scores (company_id, contract_id, gdpr_compliance, risk_factors)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0c1', 0.9, '[{"severity": "medium"}, {"weight": 2}]');
INSERT INTO pactoria.compliance_scores (company_id, contract_id, gdpr_compliance)
VALUES ('00000000-0000-7000-8000-00000000c001', '00000000-0000-7000-8000-00000000c0c1', 1.5);
SELECT count(*) AS compliance_rows FROM pactoria.compliance_scores
WHERE company_id = '00000000-0000-7000-8000-00000000c001';

DELETE FROM pactoria.compliance_scores WHERE company_id = '00000000-0000-7000-8000-00000000c001';
-- The contract is a draft: pactoria.delete_contract deletes it with its history.
SET pactoria.company_id = '00000000-0000-7000-8000-00000000c001';
SELECT pactoria.delete_contract('00000000-0000-7000-8000-00000000c0c1');
RESET pactoria.company_id;
DELETE FROM pactoria.users WHERE company_id = '00000000-0000-7000-8000-00000000c001';
DELETE FROM pactoria.companies WHERE id = '00000000-0000-7000-8000-00000000c001';

-- The SQLSTATEs: 22003 for a score outside 0-1, 22023 for bad weights.
\set VERBOSITY sqlstate
SELECT pactoria.overall_compliance_score(1.2, 1, 1, 1);
SELECT pactoria.is_compliant(2);
SELECT pactoria.overall_compliance_score(0.9, 0.8, 0.7, 0.6, '{"tax": 1}');
\set VERBOSITY default
