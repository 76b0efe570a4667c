-- Extraction accuracy: the aggregate pactoria.extraction_accuracy, checked
-- against a PL/pgSQL reference of the definition on generated data;
-- calculate_extraction_accuracy, daily_extraction_stats, the views and
-- refresh_extraction_metrics on a small fixture with known answers.
--
--   precision = kept / (kept + wrong_value + not_in_document)
--   recall    = kept / (kept + wrong_value + missing)
--   accuracy  = kept / (kept + wrong_value + missing + not_in_document)
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

SELECT p.oid::regprocedure AS function, p.prokind, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc AS p
WHERE p.oid IN ('pactoria.extraction_accuracy(text, numeric)'::regprocedure,
				'pactoria.calculate_extraction_accuracy(uuid)'::regprocedure,
				'pactoria.daily_extraction_stats(date, date)'::regprocedure,
				'pactoria.refresh_extraction_metrics(date)'::regprocedure)
ORDER BY 1::text;
SELECT aggcombinefn, aggserialfn, aggdeserialfn, aggtranstype::regtype
FROM pg_aggregate WHERE aggfnoid = 'pactoria.extraction_accuracy(text, numeric)'::regprocedure;
SELECT c.relname, c.reloptions
FROM pg_class AS c
WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%'
  AND c.relname IN ('v_extraction_field_outcomes', 'v_extraction_details', 'v_user_activity', 'v_daily_extraction_stats')
ORDER BY 1;

------------------------------------------------------------------------------------
-- The aggregate on hand-made inputs
------------------------------------------------------------------------------------
-- No rows: zero counts, every ratio and average undefined.
SELECT (pactoria.extraction_accuracy(t, c)).*
FROM (VALUES (NULL::text, NULL::numeric)) AS v (t, c) WHERE false;
-- One of each outcome.
SELECT (pactoria.extraction_accuracy(t, c)).*
FROM (VALUES (NULL, 90.5), (NULL, 99), ('wrong_value', 40), ('missing', NULL), ('not_in_document', 20)) AS v (t, c);
-- All kept.
SELECT (pactoria.extraction_accuracy(NULL, c)).*
FROM unnest(ARRAY[100, 99.99, 0]::numeric[]) AS c;
-- All corrected.
SELECT (pactoria.extraction_accuracy(t, 50)).*
FROM unnest(ARRAY['wrong_value', 'not_in_document', 'wrong_value']) AS t;
-- Only missing fields: nothing extracted, so precision and the averages are undefined.
SELECT (pactoria.extraction_accuracy('missing', NULL)).* FROM generate_series(1, 3);
-- A missing field's confidence, if any, is ignored; NULL confidence is not averaged.
SELECT (pactoria.extraction_accuracy(t, c)).*
FROM (VALUES ('missing', 10), (NULL, NULL), (NULL, 80), ('wrong_value', NULL)) AS v (t, c);
-- Confidence is taken to two decimal places, as extraction_fields stores it.
SELECT (pactoria.extraction_accuracy(NULL, c)).average_confidence
FROM unnest(ARRAY[33.333, 33.334]::numeric[]) AS c;
-- Bad input.
SELECT pactoria.extraction_accuracy(t, NULL) FROM unnest(ARRAY[NULL, 'wrong']) AS t;
SELECT pactoria.extraction_accuracy(t, NULL) FROM unnest(ARRAY['']) AS t;
SELECT pactoria.extraction_accuracy(t, NULL) FROM unnest(ARRAY['Missing']) AS t;
SELECT pactoria.extraction_accuracy(NULL, c) FROM unnest(ARRAY[100.01]) AS c;
SELECT pactoria.extraction_accuracy(NULL, c) FROM unnest(ARRAY[-0.01]) AS c;
SELECT pactoria.extraction_accuracy(NULL, c) FROM unnest(ARRAY['NaN'::numeric]) AS c;
-- Also once conversions are remembered (after the first 1000 at a call site).
SELECT pactoria.extraction_accuracy(NULL, c)
FROM (SELECT (g % 100)::numeric(5, 2) FROM generate_series(1, 3000) AS g UNION ALL SELECT 100.5) AS v (c);
SELECT (pactoria.extraction_accuracy(NULL, c)).average_confidence
FROM (SELECT (g % 101)::numeric(5, 2) FROM generate_series(0, 100999) AS g) AS v (c);
\set VERBOSITY sqlstate
SELECT pactoria.extraction_accuracy(t, NULL) FROM unnest(ARRAY['wrong']) AS t;
SELECT pactoria.extraction_accuracy(NULL, c) FROM unnest(ARRAY[101]) AS c;
\set VERBOSITY default

------------------------------------------------------------------------------------
-- The C aggregate against a PL/pgSQL reference of the definition, on
-- generated data: 40 groups, 30000 field outcomes.
------------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.reference_accuracy(correction_types text[], confidences numeric[])
RETURNS pactoria.extraction_accuracy_summary
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	result pactoria.extraction_accuracy_summary;
	kept bigint := 0;
	wrong_value bigint := 0;
	missing bigint := 0;
	not_in_document bigint := 0;
	kept_sum numeric := 0;
	kept_count bigint := 0;
	corrected_sum numeric := 0;
	corrected_count bigint := 0;
BEGIN
	FOR i IN 1 .. coalesce(array_length(correction_types, 1), 0) LOOP
		CASE correction_types[i]
			WHEN 'wrong_value' THEN wrong_value := wrong_value + 1;
			WHEN 'missing' THEN missing := missing + 1;
			WHEN 'not_in_document' THEN not_in_document := not_in_document + 1;
			ELSE kept := kept + 1;
		END CASE;
		-- Confidence is that of an extracted field: a missing field has none.
		IF confidences[i] IS NOT NULL AND correction_types[i] IS DISTINCT FROM 'missing' THEN
			IF correction_types[i] IS NULL THEN
				kept_sum := kept_sum + round(confidences[i], 2);
				kept_count := kept_count + 1;
			ELSE
				corrected_sum := corrected_sum + round(confidences[i], 2);
				corrected_count := corrected_count + 1;
			END IF;
		END IF;
	END LOOP;
	result.fields := kept + wrong_value + missing + not_in_document;
	result.correct := kept;
	result.wrong_value := wrong_value;
	result.missing := missing;
	result.not_in_document := not_in_document;
	result.accuracy := kept::float8 / nullif(kept + wrong_value + missing + not_in_document, 0);
	result.precision := kept::float8 / nullif(kept + wrong_value + not_in_document, 0);
	result.recall := kept::float8 / nullif(kept + wrong_value + missing, 0);
	result.average_confidence := ((kept_sum + corrected_sum) / nullif(kept_count + corrected_count, 0))::float8;
	result.average_confidence_kept := (kept_sum / nullif(kept_count, 0))::float8;
	result.average_confidence_corrected := (corrected_sum / nullif(corrected_count, 0))::float8;
	RETURN result;
END
$$;

-- Groups with different mixes, including one with only missing fields and one
-- with only kept fields; confidence with up to three decimals, sometimes NULL.
SELECT setseed(0.25);
CREATE TABLE generated_outcomes AS
SELECT g % 40 AS group_number,
	   CASE WHEN g % 40 = 0 THEN 'missing'
			WHEN g % 40 = 1 THEN NULL
			ELSE (ARRAY[NULL, NULL, NULL, 'wrong_value', 'missing', 'not_in_document'])[1 + floor(random() * (2 + g % 5))::int]
	   END AS correction_type,
	   CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 100)::numeric, (g % 4)) END AS confidence
FROM generate_series(1, 30000) AS g;

WITH compared AS (
	SELECT group_number,
		   pactoria.extraction_accuracy(correction_type, confidence) AS c_result,
		   pg_temp.reference_accuracy(array_agg(correction_type), array_agg(confidence)) AS reference
	FROM generated_outcomes
	GROUP BY group_number
)
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE ((c_result).fields, (c_result).correct, (c_result).wrong_value, (c_result).missing,
							   (c_result).not_in_document, (c_result).accuracy, (c_result).precision, (c_result).recall)
							  IS NOT DISTINCT FROM
							  ((reference).fields, (reference).correct, (reference).wrong_value, (reference).missing,
							   (reference).not_in_document, (reference).accuracy, (reference).precision, (reference).recall))
		   AS counts_and_ratios_equal,
	   count(*) FILTER (WHERE coalesce(abs((c_result).average_confidence - (reference).average_confidence) < 1e-9,
									   (c_result).average_confidence IS NULL AND (reference).average_confidence IS NULL)
						  AND coalesce(abs((c_result).average_confidence_kept - (reference).average_confidence_kept) < 1e-9,
									   (c_result).average_confidence_kept IS NULL AND (reference).average_confidence_kept IS NULL)
						  AND coalesce(abs((c_result).average_confidence_corrected - (reference).average_confidence_corrected) < 1e-9,
									   (c_result).average_confidence_corrected IS NULL AND (reference).average_confidence_corrected IS NULL))
		   AS averages_equal,
	   count(*) FILTER (WHERE (c_result).precision IS NULL) AS undefined_precision,
	   count(*) FILTER (WHERE (c_result).accuracy = 1) AS perfect,
	   sum((c_result).fields) AS outcomes
FROM compared;

-- In parallel (partial aggregates combined through serialize/deserialize) the
-- result is the same as in one process.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT pactoria.extraction_accuracy(correction_type, confidence) FROM generated_outcomes;
SELECT pactoria.extraction_accuracy(correction_type, confidence) AS parallel_summary FROM generated_outcomes \gset
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT :'parallel_summary' = pactoria.extraction_accuracy(correction_type, confidence)::text AS same_in_parallel,
	   (:'parallel_summary'::pactoria.extraction_accuracy_summary).fields
FROM generated_outcomes;
RESET max_parallel_workers_per_gather;
DROP TABLE generated_outcomes;

------------------------------------------------------------------------------------
-- A fixture: one company, one reviewer, six extractions.
--   e1: 2 kept, 1 wrong_value, 1 not_in_document, 1 missing
--   e2: nothing extracted, nothing corrected
--   e3: everything corrected
--   e4: everything kept
--   e5: nothing extracted, 2 missing
--   e6: another model, another day (London time: 2024-06-02 00:30 BST)
------------------------------------------------------------------------------------
INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-00000000e001', 'Accuracy Test Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name, last_login_at)
VALUES ('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0a1', 'reviewer@accuracy.example', 'Rita Reviewer', '2024-06-05 09:00+00'),
	   ('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0a2', 'idle@accuracy.example', 'Ian Idle', NULL);
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by, created_at)
SELECT '00000000-0000-7000-8000-00000000e001', ('00000000-0000-7000-8000-00000000e0c' || n)::uuid,
	   'Contract ' || n, 'services_agreement', '00000000-0000-7000-8000-00000000e0a1', '2024-05-01 12:00+00'
FROM generate_series(1, 6) AS n;
-- Each insert recorded version 1 of its contract, by Rita (the contract's creator),
-- stamped with the time of this run.  v_user_activity below shows a fixed last
-- activity, so version 1 is dated like its contract: the versioning triggers let
-- nobody change the history, so only a superuser with the triggers off can.
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE pactoria.contract_versions SET created_at = '2024-05-01 12:00+00'
WHERE company_id = '00000000-0000-7000-8000-00000000e001';
COMMIT;
INSERT INTO pactoria.extractions (company_id, id, contract_id, model_name, provider, status, reviewed_by, reviewed_at,
								  token_count, cost, created_at)
VALUES
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e1', '00000000-0000-7000-8000-00000000e0c1',
	 'claude-sonnet', 'anthropic', 'approved', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 10:00+00', 1200, 0.012, '2024-06-01 09:00+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e2', '00000000-0000-7000-8000-00000000e0c2',
	 'claude-sonnet', 'anthropic', 'pending_review', NULL, NULL, 300, 0.003, '2024-06-01 10:00+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e3', '00000000-0000-7000-8000-00000000e0c3',
	 'claude-sonnet', 'anthropic', 'rejected', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 11:00+00', NULL, NULL, '2024-06-01 11:00+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e4', '00000000-0000-7000-8000-00000000e0c4',
	 'gpt-4o', 'openai', 'approved', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 12:00+00', 800, 0.008, '2024-06-01 12:00+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e5', '00000000-0000-7000-8000-00000000e0c5',
	 'gpt-4o', 'openai', 'approved', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 13:00+00', 100, 0.001, '2024-06-01 13:00+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e6', '00000000-0000-7000-8000-00000000e0c6',
	 'gpt-4o', 'openai', 'pending_review', NULL, NULL, 500, 0.005, '2024-06-01 23:30+00');
INSERT INTO pactoria.extraction_fields (company_id, extraction_id, field_name, value, confidence)
VALUES
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e1', 'client_name', 'Northwind Legal Ltd', 97.50),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e1', 'contract_value', '£12,000', 88.00),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e1', 'start_date', '2024-01-01', 61.25),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e1', 'penalty_clause', '5% per week', 42.00),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e3', 'client_name', 'Acme', 70.00),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e3', 'end_date', '2030-01-01', 50.00),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e4', 'client_name', 'Thames Valley Logistics Ltd', 99.00),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e4', 'governing_law', 'England and Wales', NULL),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e6', 'client_name', 'Contoso', 80.00);
INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type,
								  corrected_by, created_at)
VALUES
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e1', 'start_date', '2024-01-01', '2024-02-01',
	 'wrong_value', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 10:00+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e1', 'penalty_clause', '5% per week', NULL,
	 'not_in_document', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 10:01+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e1', 'governing_law', NULL, 'England and Wales',
	 'missing', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 10:02+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e3', 'client_name', 'Acme', 'Acme Holdings plc',
	 'wrong_value', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 11:00+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e3', 'end_date', '2030-01-01', NULL,
	 'not_in_document', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 11:01+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e3', 'start_date', NULL, '2024-03-01',
	 'missing', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 11:02+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e5', 'client_name', NULL, 'Fabrikam Ltd',
	 'missing', '00000000-0000-7000-8000-00000000e0a1', '2024-06-03 13:00+00'),
	('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e5', 'start_date', NULL, '2024-04-01',
	 'missing', '00000000-0000-7000-8000-00000000e0a1', '2024-06-05 08:00+00');

------------------------------------------------------------------------------------
-- calculate_extraction_accuracy: a row per field, then the whole extraction
------------------------------------------------------------------------------------
-- e1: accuracy 2/5, precision 2/4, recall 2/4; average confidence of the 4 extracted fields 72.1875.
SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000e0e1');
-- e2: no fields at all: the overall row only, nothing defined.
SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000e0e2');
-- e3: all corrected: 0 everywhere.
SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000e0e3');
-- e4: all kept: 1 everywhere (a field without confidence is not averaged).
SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000e0e4');
-- e5: only missing fields: precision undefined, recall and accuracy 0.
SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-00000000e0e5');
-- NULL: no rows (STRICT); an unknown extraction: P0002.
SELECT count(*) AS rows_for_null FROM pactoria.calculate_extraction_accuracy(NULL);
SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-0000000000ff');
\set VERBOSITY sqlstate
SELECT * FROM pactoria.calculate_extraction_accuracy('00000000-0000-7000-8000-0000000000ff');
\set VERBOSITY default
SELECT * FROM pactoria.calculate_extraction_accuracy('not-a-uuid');
-- The per-field rows and the overall row agree with the aggregate.
SELECT (pactoria.extraction_accuracy(o.correction_type, o.confidence)).*
FROM pactoria.v_extraction_field_outcomes AS o
WHERE o.extraction_id = '00000000-0000-7000-8000-00000000e0e1';

------------------------------------------------------------------------------------
-- GROUP BY model, day and field
------------------------------------------------------------------------------------
SELECT o.model_name, (pactoria.extraction_accuracy(o.correction_type, o.confidence)).*
FROM pactoria.v_extraction_field_outcomes AS o
WHERE o.company_id = '00000000-0000-7000-8000-00000000e001'
GROUP BY o.model_name ORDER BY 1;
SELECT o.field_name, (pactoria.extraction_accuracy(o.correction_type, o.confidence)).*
FROM pactoria.v_extraction_field_outcomes AS o
WHERE o.company_id = '00000000-0000-7000-8000-00000000e001'
GROUP BY o.field_name ORDER BY 1;
SELECT (o.extracted_at AT TIME ZONE 'Europe/London')::date AS day,
	   (pactoria.extraction_accuracy(o.correction_type, o.confidence)).accuracy
FROM pactoria.v_extraction_field_outcomes AS o
WHERE o.company_id = '00000000-0000-7000-8000-00000000e001'
GROUP BY 1 ORDER BY 1;

------------------------------------------------------------------------------------
-- Views
------------------------------------------------------------------------------------
SELECT extraction_id, contract_title, model_name, status, reviewer_name, extracted_field_count, correct_count,
	   wrong_value_count, missing_count, not_in_document_count, correction_count, accuracy, precision, recall,
	   token_count, cost
FROM pactoria.v_extraction_details
WHERE company_id = '00000000-0000-7000-8000-00000000e001'
ORDER BY extraction_id;
SELECT full_name, role, contract_count, version_count, correction_count, last_activity_at
FROM pactoria.v_user_activity
WHERE company_id = '00000000-0000-7000-8000-00000000e001'
ORDER BY full_name;

------------------------------------------------------------------------------------
-- Daily statistics (days in Europe/London) and refresh_extraction_metrics
------------------------------------------------------------------------------------
SELECT metric_date, model_name, extraction_count, field_count, correction_count, accuracy, precision, recall,
	   average_confidence, token_count, cost
FROM pactoria.daily_extraction_stats('2024-06-01', '2024-06-02')
WHERE company_id = '00000000-0000-7000-8000-00000000e001';
SELECT metric_date, model_name, extraction_count
FROM pactoria.daily_extraction_stats('2024-06-02', '2024-06-02')
WHERE company_id = '00000000-0000-7000-8000-00000000e001';
SELECT count(*) AS view_rows
FROM pactoria.v_daily_extraction_stats
WHERE company_id = '00000000-0000-7000-8000-00000000e001';
SELECT count(*) AS rows_for_null FROM pactoria.daily_extraction_stats(NULL, '2024-06-01');
SELECT * FROM pactoria.daily_extraction_stats('2024-06-02', '2024-06-01');

SELECT pactoria.refresh_extraction_metrics('2024-06-01') AS first_run;
SELECT pactoria.refresh_extraction_metrics('2024-06-01') AS second_run;
SELECT metric_date, model_name, extraction_count, field_count, correction_count, accuracy, average_confidence,
	   token_count, cost
FROM pactoria.extraction_metrics
WHERE company_id = '00000000-0000-7000-8000-00000000e001'
ORDER BY metric_date, model_name;
-- A correction changes one day's row; the refresh picks it up.
INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by)
VALUES ('00000000-0000-7000-8000-00000000e001', '00000000-0000-7000-8000-00000000e0e4', 'client_name',
		'Thames Valley Logistics Ltd', 'Thames Valley Logistics Limited', 'wrong_value', '00000000-0000-7000-8000-00000000e0a1');
SELECT pactoria.refresh_extraction_metrics('2024-06-01') AS after_correction;
SELECT model_name, field_count, correction_count, accuracy
FROM pactoria.extraction_metrics
WHERE company_id = '00000000-0000-7000-8000-00000000e001' AND metric_date = '2024-06-01'
ORDER BY model_name;
-- Extractions gone: their day's row goes too.
DELETE FROM pactoria.extractions
WHERE company_id = '00000000-0000-7000-8000-00000000e001' AND model_name = 'gpt-4o' AND created_at < '2024-06-01 20:00+00';
SELECT pactoria.refresh_extraction_metrics('2024-06-01') AS after_delete;
SELECT model_name FROM pactoria.extraction_metrics
WHERE company_id = '00000000-0000-7000-8000-00000000e001' AND metric_date = '2024-06-01';
-- A day without extractions writes nothing.
SELECT pactoria.refresh_extraction_metrics('2020-01-01') AS empty_day;
SELECT pactoria.refresh_extraction_metrics(NULL);
SELECT pactoria.refresh_extraction_metrics('infinity');

DELETE FROM pactoria.extraction_metrics WHERE company_id = '00000000-0000-7000-8000-00000000e001';
DELETE FROM pactoria.extractions WHERE company_id = '00000000-0000-7000-8000-00000000e001';
-- The contracts are drafts: pactoria.delete_contract deletes each with its history.
SET pactoria.company_id = '00000000-0000-7000-8000-00000000e001';
SELECT count(*) AS contracts_deleted
FROM (SELECT pactoria.delete_contract(id) FROM pactoria.contracts
	  WHERE company_id = '00000000-0000-7000-8000-00000000e001') AS deleted;
RESET pactoria.company_id;
DELETE FROM pactoria.users WHERE company_id = '00000000-0000-7000-8000-00000000e001';
DELETE FROM pactoria.companies WHERE id = '00000000-0000-7000-8000-00000000e001';
