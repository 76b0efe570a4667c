\echo
\echo '=== pactoria: scoring ==============================================================='
\echo 'Risk scores and levels, contract risk, UK compliance scores, and how accurate the AI'
\echo 'field extraction was once a reviewer corrected it.  Uses the companies of scene 10.'

\echo
\echo '--- A risk score is likelihood x impact (each 1-5); its level comes from configurable bands.'
SELECT key, value FROM pactoria.effective_config
WHERE key IN ('risk_level_bands', 'risk_review_days') ORDER BY key;
SELECT score, pactoria.risk_level(score) AS level
FROM (VALUES (pactoria.calculate_risk_score(1, 3)), (pactoria.calculate_risk_score(2, 4)),
             (pactoria.calculate_risk_score(3, 4)), (pactoria.calculate_risk_score(5, 4))) AS scores (score);
\echo 'A rating out of range is an error that names it:'
\set ON_ERROR_STOP 0
SELECT pactoria.calculate_risk_score(6, 2);
\set ON_ERROR_STOP 1

\echo
\echo '--- Northwind''s risk register: only likelihood and impact are given; the level and the'
\echo '    next review date (today + 30/90/180/365 days by level) are filled in.'
INSERT INTO pactoria.risk_assessments (company_id, contract_id, risk_name, risk_category, likelihood, impact, owner_id)
SELECT c.company_id, c.id, r.name, r.category, r.likelihood, r.impact, u.id
FROM pactoria.contracts AS c
JOIN pactoria.users AS u ON u.email = 'sophie.evans@northwind-legal.co.uk'
JOIN (VALUES
	('Data Processing Agreement with CloudLedger Ltd', 'Personal data breach at the processor', 'data_protection', 3, 5),
	('Data Processing Agreement with CloudLedger Ltd', 'Sub-processor outside the UK without safeguards', 'data_protection', 2, 4),
	('Mutual NDA with Acme Robotics Ltd', 'Roadmap disclosed to a competitor', 'confidentiality', 2, 3),
	('Legal Services Agreement with Brightwater Homes plc', 'Late payment of the retainer', 'financial', 3, 1)
) AS r(contract_title, name, category, likelihood, impact) ON r.contract_title = c.title;
SELECT r.risk_name, r.likelihood, r.impact, r.risk_score, r.risk_level,
       r.next_review_date - current_date AS review_in_days
FROM pactoria.risk_assessments AS r
JOIN pactoria.companies AS co ON co.id = r.company_id AND co.name = 'Northwind Legal Ltd'
ORDER BY r.risk_score DESC;

\echo
\echo '--- Score and level never disagree: a level that does not fit the score is refused ...'
\set ON_ERROR_STOP 0
UPDATE pactoria.risk_assessments SET risk_level = 'low' WHERE risk_name = 'Personal data breach at the processor';
\set ON_ERROR_STOP 1
\echo '... and a new rating re-derives the level; recording a review moves the next one on.'
UPDATE pactoria.risk_assessments SET likelihood = 1, last_review_date = current_date
WHERE risk_name = 'Personal data breach at the processor'
RETURNING risk_name, risk_score, risk_level, next_review_date - current_date AS review_in_days;

\echo
\echo '--- Bands are configuration: a stricter policy makes 5 x 2 critical (shown in a transaction, undone).'
BEGIN;
INSERT INTO pactoria.system_config (key, value, description)
VALUES ('risk_level_bands', '{"low": [1, 3], "medium": [4, 6], "high": [7, 9], "critical": [10, 25]}', 'Stricter board policy');
SELECT pactoria.calculate_risk_score(5, 2) AS score, pactoria.risk_level(pactoria.calculate_risk_score(5, 2)) AS level;
\echo 'Bands that leave a gap are refused when set:'
\set ON_ERROR_STOP 0
UPDATE pactoria.system_config SET value = '{"low": [1, 3], "medium": [5, 6], "high": [7, 9], "critical": [10, 25]}'
WHERE key = 'risk_level_bands';
\set ON_ERROR_STOP 1
ROLLBACK;

\echo
\echo '--- Contract risk 1-10 from risk factors: the sum of weight x points (low 1, medium 3,'
\echo '    high 6, critical 10), rounded, capped at 10; no factors score 1.'
SELECT factors, pactoria.contract_risk_score(factors) AS contract_risk
FROM (VALUES
	('[]'::jsonb),
	('[{"factor": "uncapped indemnity", "severity": "medium"}]'),
	('[{"factor": "no break clause", "severity": "high"}, {"factor": "auto-renewal", "severity": "low", "weight": 2}]'),
	('[{"factor": "unlimited liability", "severity": "critical"}]')
) AS examples (factors);
\echo 'A malformed factor is an error that says which one and why:'
\set ON_ERROR_STOP 0
SELECT pactoria.contract_risk_score('[{"severity": "high"}, {"severity": "severe"}]');
\set ON_ERROR_STOP 1

\echo
\echo '--- UK compliance: the overall score is the (weighted) mean of the areas assessed;'
\echo '    compliant at 0.95 or above (system_config compliance_threshold).'
SELECT pactoria.overall_compliance_score(0.97, NULL, NULL, 0.93) AS equal_weights,
       pactoria.overall_compliance_score(0.97, NULL, NULL, 0.93, '{"gdpr": 3}') AS gdpr_weighs_triple,
       pactoria.is_compliant(pactoria.overall_compliance_score(0.97, NULL, NULL, 0.93)) AS compliant;
\echo 'A compliance analysis stored without overall_score or risk_score gets both computed:'
INSERT INTO pactoria.compliance_scores (company_id, contract_id, gdpr_compliance, commercial_terms_compliance,
                                        risk_factors, analysis_version)
SELECT company_id, id, 0.9800, 0.9400,
       '[{"factor": "sub-processor list not attached", "severity": "medium"}, {"factor": "audit rights limited", "severity": "low"}]',
       'compliance-checker 1.4'
FROM pactoria.contracts WHERE title = 'Data Processing Agreement with CloudLedger Ltd'
RETURNING gdpr_compliance, commercial_terms_compliance, overall_score, risk_score,
          pactoria.is_compliant(overall_score) AS compliant;

\echo
\echo '--- Extraction accuracy.  Thames Valley''s haulage agreement was extracted by the AI and'
\echo '    reviewed: two values were wrong and the governing law was missed.  Per field, then overall:'
SELECT a.*
FROM pactoria.extractions AS e
JOIN pactoria.contracts AS c ON c.company_id = e.company_id AND c.id = e.contract_id
CROSS JOIN LATERAL pactoria.calculate_extraction_accuracy(e.id) AS a
WHERE c.title = 'Haulage Services Agreement with Kestrel Foods Ltd';
\echo 'precision = kept / extracted = 3 / 5; recall = kept / fields in the document = 3 / (3 + 2 wrong + 1 missed);'
\echo 'accuracy = kept / every field involved = 3 / 6.'

\echo
\echo '--- Northwind''s extractions with another model; one field was not in the document at all.'
INSERT INTO pactoria.extractions (company_id, contract_id, model_name, model_version, provider, overall_confidence, token_count, cost)
SELECT company_id, id, m.model_name, '1.0', 'openai', 81.00, 3900, 0.021500
FROM pactoria.contracts
JOIN (VALUES ('Data Processing Agreement with CloudLedger Ltd', 'clause-reader'),
             ('Mutual NDA with Acme Robotics Ltd', 'clause-reader')) AS m(title, model_name) USING (title);
INSERT INTO pactoria.extraction_fields (company_id, extraction_id, field_name, value, confidence)
SELECT e.company_id, e.id, f.field_name, f.value, f.confidence
FROM pactoria.extractions AS e
JOIN pactoria.contracts AS c ON c.company_id = e.company_id AND c.id = e.contract_id
JOIN (VALUES
	('Data Processing Agreement with CloudLedger Ltd', 'processor_name', 'CloudLedger Ltd', 99.10),
	('Data Processing Agreement with CloudLedger Ltd', 'processing_purpose', 'Client billing', 93.40),
	('Data Processing Agreement with CloudLedger Ltd', 'retention_period', '7 years', 58.00),
	('Data Processing Agreement with CloudLedger Ltd', 'international_transfers', 'None', 61.50),
	('Mutual NDA with Acme Robotics Ltd', 'term', '2 years', 97.00),
	('Mutual NDA with Acme Robotics Ltd', 'counterparty', 'Acme Robotics Ltd', 98.20)
) AS f(title, field_name, value, confidence) ON f.title = c.title;
INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by, reason)
SELECT e.company_id, e.id, k.field_name, k.original_value, k.corrected_value, k.correction_type, u.id, k.reason
FROM pactoria.extractions AS e
JOIN pactoria.contracts AS c ON c.company_id = e.company_id AND c.id = e.contract_id
JOIN pactoria.users AS u ON u.email = 'sophie.evans@northwind-legal.co.uk'
JOIN (VALUES
	('Data Processing Agreement with CloudLedger Ltd', 'retention_period', '7 years', NULL, 'not_in_document',
	 'The DPA sets no retention period; the AI took it from a footnote of another document.')
) AS k(title, field_name, original_value, corrected_value, correction_type, reason) ON k.title = c.title;

\echo
\echo '--- pactoria.extraction_accuracy is an aggregate: GROUP BY model (or day, or field).'
\echo '    Confidence calibration: are the fields the model was sure of the ones it got right?'
SELECT o.model_name, s.fields, s.correct, s.wrong_value, s.missing, s.not_in_document,
       round(s.accuracy::numeric, 3) AS accuracy, round(s.precision::numeric, 3) AS precision,
       round(s.recall::numeric, 3) AS recall,
       round(s.average_confidence_kept::numeric, 1) AS confidence_kept,
       round(s.average_confidence_corrected::numeric, 1) AS confidence_corrected
FROM (SELECT o.model_name, pactoria.extraction_accuracy(o.correction_type, o.confidence) AS summary
      FROM pactoria.v_extraction_field_outcomes AS o GROUP BY o.model_name) AS o,
     LATERAL (SELECT (o.summary).*) AS s
ORDER BY o.model_name;

\echo
\echo '--- The reporting views (security_invoker: each tenant sees its own rows).'
SELECT contract_title, model_name, reviewer_name, extracted_field_count, correction_count,
       round(accuracy::numeric, 3) AS accuracy
FROM pactoria.v_extraction_details ORDER BY contract_title;
SELECT full_name, contract_count, version_count, correction_count, last_activity_at IS NOT NULL AS has_activity
FROM pactoria.v_user_activity WHERE contract_count + correction_count > 0 ORDER BY full_name;

\echo
\echo '--- Daily metrics: refresh_extraction_metrics(day) is idempotent (a second run changes nothing).'
SELECT pactoria.refresh_extraction_metrics((now() AT TIME ZONE 'Europe/London')::date) AS rows_written;
SELECT pactoria.refresh_extraction_metrics((now() AT TIME ZONE 'Europe/London')::date) AS rows_written_again;
SELECT co.name AS company, m.model_name, m.extraction_count, m.field_count, m.correction_count, m.accuracy,
       m.average_confidence, m.token_count, m.cost
FROM pactoria.extraction_metrics AS m JOIN pactoria.companies AS co ON co.id = m.company_id
ORDER BY co.name, m.model_name;
