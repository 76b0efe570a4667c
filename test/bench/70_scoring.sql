-- Benchmark of pactoria's scoring (issue 9).
--
--   1. Extraction accuracy over 100,000 extractions with 1,000,000 extracted
--      fields: the C aggregate pactoria.extraction_accuracy against the same
--      numbers in plain SQL (count(*) FILTER, avg() FILTER, GROUP BY), and the
--      floor (the same scan and grouping with only count(*)).
--   2. Risk score and level of 1,000,000 risks: the C functions against
--      PL/pgSQL functions (reading the bands from system_config, as pactoria
--      does, and with the bands written into the function), and the floor
--      (bare likelihood * impact and a CASE).
-- Each table of ratios is measured in one run; the first row is the reference.
-- (The floor of 1a counts a column of corrections: count(*) alone would let the
-- planner drop the join with corrections altogether.)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;	-- one core each: compare the code, not the scheduler

\echo
\echo '== setup: 100,000 extractions, 1,000,000 extracted fields, 1,000,000 risks'
SELECT setseed(0.7);
INSERT INTO pactoria.companies (id, name, subscription_tier) VALUES ('00000000-0000-7000-8000-0000000be001', 'Bench Ltd', 'business');
INSERT INTO pactoria.users (company_id, id, email, full_name)
VALUES ('00000000-0000-7000-8000-0000000be001', '00000000-0000-7000-8000-0000000be0a1', 'bench@bench.example', 'Bench User');
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
SELECT '00000000-0000-7000-8000-0000000be001', 'Contract ' || g, 'services_agreement', '00000000-0000-7000-8000-0000000be0a1'
FROM generate_series(1, 100000) AS g;
INSERT INTO pactoria.extractions (company_id, contract_id, model_name, provider, token_count, cost, created_at)
SELECT c.company_id, c.id, (ARRAY['model-a', 'model-b', 'model-c'])[1 + n % 3], 'bench', 1000 + n % 500, 0.01,
	   timestamptz '2024-06-01 08:00+00' + (n % 30) * interval '1 day'
FROM (SELECT company_id, id, row_number() OVER () AS n FROM pactoria.contracts) AS c;
INSERT INTO pactoria.extraction_fields (company_id, extraction_id, field_name, value, confidence)
SELECT e.company_id, e.id, 'field_' || f, 'value ' || f, round((random() * 100)::numeric, 2)
FROM pactoria.extractions AS e, generate_series(1, 10) AS f;
-- 8% wrong values, 4% not in the document, and a missed field in 30% of extractions.
INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by)
SELECT f.company_id, f.extraction_id, f.field_name, f.value,
	   CASE WHEN r < 0.08 THEN 'corrected' END,
	   CASE WHEN r < 0.08 THEN 'wrong_value' ELSE 'not_in_document' END,
	   '00000000-0000-7000-8000-0000000be0a1'
FROM (SELECT f.*, random() AS r FROM pactoria.extraction_fields AS f) AS f
WHERE r < 0.12;
INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, corrected_value, correction_type, corrected_by)
SELECT e.company_id, e.id, 'field_missed', 'found by the reviewer', 'missing', '00000000-0000-7000-8000-0000000be0a1'
FROM pactoria.extractions AS e
WHERE random() < 0.3;

CREATE TABLE bench.risks AS
SELECT (1 + floor(random() * 5))::smallint AS likelihood, (1 + floor(random() * 5))::smallint AS impact
FROM generate_series(1, 1000000);
ANALYZE;
SELECT (SELECT count(*) FROM pactoria.extractions) AS extractions,
	   (SELECT count(*) FROM pactoria.extraction_fields) AS extracted_fields,
	   (SELECT count(*) FROM pactoria.corrections) AS corrections,
	   (SELECT count(*) FROM bench.risks) AS risks;

-- The plain-SQL way to the same numbers, as a user would write it.
CREATE VIEW bench.accuracy_in_sql AS
SELECT o.model_name,
	   count(*) AS fields,
	   count(*) FILTER (WHERE o.correction_type IS NULL) AS correct,
	   count(*) FILTER (WHERE o.correction_type = 'wrong_value') AS wrong_value,
	   count(*) FILTER (WHERE o.correction_type = 'missing') AS missing,
	   count(*) FILTER (WHERE o.correction_type = 'not_in_document') AS not_in_document,
	   (count(*) FILTER (WHERE o.correction_type IS NULL))::float8 / nullif(count(*), 0) AS accuracy,
	   (count(*) FILTER (WHERE o.correction_type IS NULL))::float8
		   / nullif(count(*) FILTER (WHERE o.correction_type IS DISTINCT FROM 'missing'), 0) AS precision,
	   (count(*) FILTER (WHERE o.correction_type IS NULL))::float8
		   / nullif(count(*) FILTER (WHERE o.correction_type IS DISTINCT FROM 'not_in_document'), 0) AS recall,
	   avg(o.confidence) FILTER (WHERE o.correction_type IS DISTINCT FROM 'missing') AS average_confidence,
	   avg(o.confidence) FILTER (WHERE o.correction_type IS NULL) AS average_confidence_kept,
	   avg(o.confidence) FILTER (WHERE o.correction_type IN ('wrong_value', 'not_in_document')) AS average_confidence_corrected
FROM pactoria.v_extraction_field_outcomes AS o
GROUP BY o.model_name;

\echo
\echo '== the two ways agree (per model)'
SELECT e.model_name, s.fields, s.correct, s.wrong_value, s.missing, s.not_in_document,
	   round(s.accuracy::numeric, 6) AS accuracy, round(s.precision::numeric, 6) AS precision,
	   round(s.recall::numeric, 6) AS recall, round(s.average_confidence_kept::numeric, 4) AS confidence_kept,
	   round(s.average_confidence_corrected::numeric, 4) AS confidence_corrected
FROM (SELECT o.model_name, pactoria.extraction_accuracy(o.correction_type, o.confidence) AS summary
	  FROM pactoria.v_extraction_field_outcomes AS o
	  GROUP BY o.model_name) AS e,
	 LATERAL (SELECT (e.summary).*) AS s
ORDER BY 1;
SELECT count(*) AS models_that_differ
FROM (SELECT o.model_name, (pactoria.extraction_accuracy(o.correction_type, o.confidence)).*
	  FROM pactoria.v_extraction_field_outcomes AS o
	  GROUP BY o.model_name) AS c
JOIN bench.accuracy_in_sql AS q USING (model_name)
WHERE (c.fields, c.correct, c.wrong_value, c.missing, c.not_in_document, c.accuracy, c.precision, c.recall)
	  IS DISTINCT FROM (q.fields, q.correct, q.wrong_value, q.missing, q.not_in_document, q.accuracy, q.precision, q.recall)
   OR abs(c.average_confidence_kept - q.average_confidence_kept) > 1e-9
   OR abs(c.average_confidence_corrected - q.average_confidence_corrected) > 1e-9;

\echo
\echo '== 1a. accuracy per model over v_extraction_field_outcomes (1.1M field outcomes, 3 groups)'
SELECT * FROM bench.compare(
	ARRAY['C aggregate pactoria.extraction_accuracy', 'plain SQL: count/avg FILTER', 'floor: same scan and join, one count'],
	ARRAY[
		$$SELECT o.model_name, pactoria.extraction_accuracy(o.correction_type, o.confidence)
		  FROM pactoria.v_extraction_field_outcomes AS o
		  GROUP BY o.model_name$$,
		$$SELECT * FROM bench.accuracy_in_sql$$,
		$$SELECT o.model_name, count(o.correction_type)
		  FROM pactoria.v_extraction_field_outcomes AS o
		  GROUP BY o.model_name$$],
	3);

-- The aggregation alone: the outcomes materialised, grouped per extraction (100,000 groups).
CREATE TABLE bench.outcomes AS
SELECT o.extraction_id, o.correction_type, o.confidence FROM pactoria.v_extraction_field_outcomes AS o;
ANALYZE bench.outcomes;
\echo
\echo '== 1b. accuracy per extraction over a table of 1.1M outcomes (100,000 groups): the aggregation alone'
SELECT * FROM bench.compare(
	ARRAY['C aggregate pactoria.extraction_accuracy', 'plain SQL: count/avg FILTER', 'floor: count(*) only'],
	ARRAY[
		$$SELECT extraction_id, pactoria.extraction_accuracy(correction_type, confidence)
		  FROM bench.outcomes GROUP BY extraction_id$$,
		$$SELECT extraction_id, count(*),
				 count(*) FILTER (WHERE correction_type IS NULL),
				 count(*) FILTER (WHERE correction_type = 'wrong_value'),
				 count(*) FILTER (WHERE correction_type = 'missing'),
				 count(*) FILTER (WHERE correction_type = 'not_in_document'),
				 (count(*) FILTER (WHERE correction_type IS NULL))::float8 / nullif(count(*), 0),
				 (count(*) FILTER (WHERE correction_type IS NULL))::float8
					 / nullif(count(*) FILTER (WHERE correction_type IS DISTINCT FROM 'missing'), 0),
				 (count(*) FILTER (WHERE correction_type IS NULL))::float8
					 / nullif(count(*) FILTER (WHERE correction_type IS DISTINCT FROM 'not_in_document'), 0),
				 avg(confidence) FILTER (WHERE correction_type IS DISTINCT FROM 'missing'),
				 avg(confidence) FILTER (WHERE correction_type IS NULL),
				 avg(confidence) FILTER (WHERE correction_type IN ('wrong_value', 'not_in_document'))
		  FROM bench.outcomes GROUP BY extraction_id$$,
		$$SELECT extraction_id, count(*) FROM bench.outcomes GROUP BY extraction_id$$],
	3);

-- PL/pgSQL baselines: the functions a user would write without pactoria.
CREATE FUNCTION bench.plpgsql_risk_score(likelihood integer, impact integer)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	IF likelihood NOT BETWEEN 1 AND 5 THEN
		RAISE EXCEPTION 'likelihood % is out of range', likelihood USING ERRCODE = 'numeric_value_out_of_range';
	END IF;
	IF impact NOT BETWEEN 1 AND 5 THEN
		RAISE EXCEPTION 'impact % is out of range', impact USING ERRCODE = 'numeric_value_out_of_range';
	END IF;
	RETURN likelihood * impact;
END
$$;

-- The bands from system_config, as pactoria.risk_level reads them.
CREATE FUNCTION bench.plpgsql_risk_level(score integer)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	bands jsonb := pactoria.get_config('risk_level_bands');
	level text;
BEGIN
	IF score NOT BETWEEN 1 AND 25 THEN
		RAISE EXCEPTION 'risk score % is out of range', score USING ERRCODE = 'numeric_value_out_of_range';
	END IF;
	FOREACH level IN ARRAY ARRAY['low', 'medium', 'high', 'critical'] LOOP
		IF score BETWEEN (bands -> level ->> 0)::int AND (bands -> level ->> 1)::int THEN
			RETURN level;
		END IF;
	END LOOP;
	RAISE EXCEPTION 'risk_level_bands do not cover score %', score;
END
$$;

-- The bands written into the function: fast, but not configurable.
CREATE FUNCTION bench.plpgsql_risk_level_fixed(score integer)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	IF score NOT BETWEEN 1 AND 25 THEN
		RAISE EXCEPTION 'risk score % is out of range', score USING ERRCODE = 'numeric_value_out_of_range';
	END IF;
	RETURN CASE WHEN score <= 4 THEN 'low' WHEN score <= 9 THEN 'medium' WHEN score <= 16 THEN 'high' ELSE 'critical' END;
END
$$;

\echo
\echo '== the three ways agree on 1M risks'
SELECT count(*) FILTER (WHERE pactoria.risk_level(pactoria.calculate_risk_score(likelihood, impact))
						  <> bench.plpgsql_risk_level_fixed(bench.plpgsql_risk_score(likelihood, impact))) AS disagreements,
	   count(*) FILTER (WHERE pactoria.risk_level(pactoria.calculate_risk_score(likelihood, impact)) = 'critical') AS critical
FROM bench.risks;

\echo
\echo '== 2. risk score and level of 1,000,000 risks'
SELECT * FROM bench.compare(
	ARRAY['C: calculate_risk_score + risk_level (configured bands)',
		  'PL/pgSQL: score + level reading system_config',
		  'PL/pgSQL: score + level with bands in the code',
		  'floor: likelihood * impact and a CASE'],
	ARRAY[
		$$SELECT count(*) FILTER (WHERE pactoria.risk_level(pactoria.calculate_risk_score(likelihood, impact)) = 'high')
		  FROM bench.risks$$,
		$$SELECT count(*) FILTER (WHERE bench.plpgsql_risk_level(bench.plpgsql_risk_score(likelihood, impact)) = 'high')
		  FROM bench.risks$$,
		$$SELECT count(*) FILTER (WHERE bench.plpgsql_risk_level_fixed(bench.plpgsql_risk_score(likelihood, impact)) = 'high')
		  FROM bench.risks$$,
		$$SELECT count(*) FILTER (WHERE CASE WHEN likelihood * impact <= 4 THEN 'low' WHEN likelihood * impact <= 9 THEN 'medium'
											 WHEN likelihood * impact <= 16 THEN 'high' ELSE 'critical' END = 'high')
		  FROM bench.risks$$],
	3);
