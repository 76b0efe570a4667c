-- Risk scores, risk levels by configurable bands, review intervals and the
-- contract risk score from risk factors.
SET client_min_messages = warning;

-- Declarations: volatility, strictness and parallel safety as documented.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc AS p
WHERE p.oid IN ('pactoria.calculate_risk_score(integer, integer)'::regprocedure,
				'pactoria.risk_level(integer)'::regprocedure,
				'pactoria.risk_review_days(text)'::regprocedure,
				'pactoria.contract_risk_score(jsonb)'::regprocedure)
ORDER BY 1::text;

------------------------------------------------------------------------------------
-- calculate_risk_score
------------------------------------------------------------------------------------
-- Every pair of ratings: the score is the product.
SELECT count(*) AS pairs,
	   count(*) FILTER (WHERE pactoria.calculate_risk_score(l, i) = l * i) AS products,
	   min(pactoria.calculate_risk_score(l, i)) AS lowest,
	   max(pactoria.calculate_risk_score(l, i)) AS highest
FROM generate_series(1, 5) AS l, generate_series(1, 5) AS i;
SELECT pactoria.calculate_risk_score(3, 4);
SELECT pactoria.calculate_risk_score(NULL, 4) IS NULL AS null_likelihood,
	   pactoria.calculate_risk_score(4, NULL) IS NULL AS null_impact;
-- Out of range: the error names the value.
SELECT pactoria.calculate_risk_score(0, 3);
SELECT pactoria.calculate_risk_score(6, 3);
SELECT pactoria.calculate_risk_score(3, -1);
SELECT pactoria.calculate_risk_score(3, 2147483647);
-- smallint columns (as in risk_assessments) are accepted.
SELECT pactoria.calculate_risk_score(2::smallint, 5::smallint);
-- Wrong type.
SELECT pactoria.calculate_risk_score('high', 3);

------------------------------------------------------------------------------------
-- risk_level with the default bands: low 1-4, medium 5-9, high 10-16, critical 17-25
------------------------------------------------------------------------------------
SELECT pactoria.risk_level(s) AS level, min(s) AS lowest, max(s) AS highest, count(*) AS scores
FROM generate_series(1, 25) AS s
GROUP BY 1 ORDER BY 2;
SELECT pactoria.risk_level(NULL) IS NULL AS null_score;
SELECT pactoria.risk_level(0);
SELECT pactoria.risk_level(26);
SELECT pactoria.risk_level(-2147483648);

-- Configured bands take effect in the same transaction, in the next statement.
BEGIN;
INSERT INTO pactoria.system_config (key, value, description)
VALUES ('risk_level_bands', '{"low": [1, 2], "medium": [3, 6], "high": [7, 12], "critical": [13, 25]}',
		'regression test');
SELECT pactoria.risk_level(s) AS level, min(s) AS lowest, max(s) AS highest
FROM generate_series(1, 25) AS s
GROUP BY 1 ORDER BY 2;
-- A single score per level is allowed.
UPDATE pactoria.system_config
SET value = '{"low": [1, 1], "medium": [2, 2], "high": [3, 3], "critical": [4, 25]}'
WHERE key = 'risk_level_bands';
SELECT pactoria.risk_level(1), pactoria.risk_level(2), pactoria.risk_level(3), pactoria.risk_level(4);
ROLLBACK;
SELECT pactoria.risk_level(3) AS back_to_default;

-- Invalid bands are refused when they are set, each with its reason.
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [2, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 25]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [6, 9], "high": [10, 16], "critical": [17, 25]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [4, 9], "high": [10, 16], "critical": [17, 25]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 24]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": [10, 9], "critical": [10, 25]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": [10, 16]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 25], "severe": [26, 30]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [5, 9.5], "high": [10, 16], "critical": [17, 25]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": "10-16", "critical": [17, 25]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4, 5], "medium": [6, 9], "high": [10, 16], "critical": [17, 25]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [0, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 25]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 26]}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"Low": [1, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 25]}');
-- The wrong JSON type is refused by the generic configuration check.
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '[[1, 4], [5, 9], [10, 16], [17, 25]]');
SELECT count(*) AS configured FROM pactoria.system_config;

-- A bad value that got in without the check (a restore runs with triggers
-- disabled) is reported when it is read, by the same code.
BEGIN;
ALTER TABLE pactoria.system_config DISABLE TRIGGER trg_system_config_validate_scoring;
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 20]}');
SELECT pactoria.risk_level(5);
ROLLBACK;

------------------------------------------------------------------------------------
-- risk_review_days: default critical 30, high 90, medium 180, low 365
------------------------------------------------------------------------------------
SELECT level, pactoria.risk_review_days(level) AS days
FROM unnest(ARRAY['low', 'medium', 'high', 'critical']) AS level;
SELECT pactoria.risk_review_days(NULL) IS NULL AS null_level;
SELECT pactoria.risk_review_days('severe');
SELECT pactoria.risk_review_days('');
SELECT pactoria.risk_review_days('HIGH');
BEGIN;
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', '{"low": 730, "medium": 365, "high": 60, "critical": 7}');
SELECT pactoria.risk_review_days('critical') AS critical, pactoria.risk_review_days('low') AS low;
ROLLBACK;
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', '{"low": 365, "medium": 180, "high": 90, "critical": 0}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', '{"low": 3661, "medium": 180, "high": 90, "critical": 30}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', '{"low": 365, "medium": 180, "high": 90.5, "critical": 30}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', '{"low": 365, "medium": "180", "high": 90, "critical": 30}');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', '{"low": 365, "medium": 180, "high": 90}');

------------------------------------------------------------------------------------
-- contract_risk_score: the sum of weight x points (low 1, medium 3, high 6,
-- critical 10), rounded half up, clamped to 1-10
------------------------------------------------------------------------------------
SELECT factors, pactoria.contract_risk_score(factors::jsonb) AS score
FROM (VALUES
	('[]'),
	('[{"severity": "low"}]'),
	('[{"severity": "medium"}]'),
	('[{"severity": "high"}]'),
	('[{"severity": "critical"}]'),
	('[{"severity": "low"}, {"severity": "low"}, {"severity": "low"}]'),
	('[{"severity": "medium"}, {"severity": "high"}]'),
	('[{"severity": "high"}, {"severity": "high"}]'),
	('[{"severity": "critical"}, {"severity": "critical"}, {"severity": "critical"}]'),
	('[{"severity": "high", "weight": 0.5}]'),
	('[{"severity": "medium", "weight": 0.5}]'),
	('[{"severity": "medium", "weight": 0.4999}]'),
	('[{"severity": "critical", "weight": 0.35}]'),
	('[{"severity": "critical", "weight": 0.3}]'),
	('[{"severity": "low", "weight": 0.0001}]'),
	('[{"severity": "low", "weight": 1000}]'),
	('[{"severity": "low", "weight": 2.5}]'),
	('[{"severity": "low", "weight": null}]'),
	('[{"severity": "medium", "name": "Unlimited liability", "clause": "12.1"}]')
) AS examples (factors);
-- Many factors saturate at 10, never overflow.
SELECT pactoria.contract_risk_score(jsonb_agg(jsonb_build_object('severity', 'critical', 'weight', 1000)))
FROM generate_series(1, 100000);
SELECT pactoria.contract_risk_score(NULL) IS NULL AS null_factors;
-- Malformed input: the error says which element and what is wrong.
SELECT pactoria.contract_risk_score('{"severity": "high"}');
SELECT pactoria.contract_risk_score('"high"');
SELECT pactoria.contract_risk_score('null');
SELECT pactoria.contract_risk_score('[{"severity": "high"}, "low"]');
SELECT pactoria.contract_risk_score('[{"severity": "high"}, [1]]');
SELECT pactoria.contract_risk_score('[{"severity": "high"}, {"level": "low"}]');
SELECT pactoria.contract_risk_score('[{"severity": "extreme"}]');
SELECT pactoria.contract_risk_score('[{"severity": "High"}]');
SELECT pactoria.contract_risk_score('[{"severity": 3}]');
SELECT pactoria.contract_risk_score('[{"severity": null}]');
SELECT pactoria.contract_risk_score('[{"severity": "low"}, {"severity": "low"}, {"severity": "low", "weight": "2"}]');
SELECT pactoria.contract_risk_score('[{"severity": "low", "weight": 0}]');
SELECT pactoria.contract_risk_score('[{"severity": "low", "weight": -1}]');
SELECT pactoria.contract_risk_score('[{"severity": "low", "weight": 0.00004}]');
SELECT pactoria.contract_risk_score('[{"severity": "low", "weight": 1000.0001}]');
SELECT pactoria.contract_risk_score('[{"severity": "low", "weight": 1e6}]');
SELECT pactoria.contract_risk_score('not json');

-- The SQLSTATEs: 22003 for a number outside its range, 22023 for a malformed
-- argument or configuration value.
\set VERBOSITY sqlstate
SELECT pactoria.calculate_risk_score(6, 1);
SELECT pactoria.risk_level(30);
SELECT pactoria.risk_review_days('severe');
SELECT pactoria.contract_risk_score('[{"severity": "extreme"}]');
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_level_bands', '{"low": [1, 4], "medium": [6, 9], "high": [10, 16], "critical": [17, 25]}');
\set VERBOSITY default
