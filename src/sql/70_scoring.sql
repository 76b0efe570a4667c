
-- 70_scoring.sql: risk scores and levels, contract risk, compliance scores and
-- the accuracy of AI field extraction, with their daily roll-up and views.
--
-- The computations are C (src/scoring_*.c over the plain-C cores risk_scoring.c,
-- compliance_scoring.c and extraction_accuracy.c in src/core/); this file declares
-- them and wires them to the tables.  Configuration keys, all in pactoria.system_config:
--   risk_level_bands              scores of each risk level
--   risk_review_days              days to the next review, by level
--   compliance_threshold          overall score at which a contract is compliant
--   compliance_area_weights       weights of the areas in compliance_scores.overall_score
--   extraction_metrics_time_zone  whose calendar days the extraction metrics count

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('risk_level_bands', '{"low": [1, 4], "medium": [5, 9], "high": [10, 16], "critical": [17, 25]}',
	 'Risk scores (likelihood x impact, 1-25) of each risk level as [lowest, highest]; the bands must be contiguous and cover 1 to 25.'),
	('risk_review_days', '{"low": 365, "medium": 180, "high": 90, "critical": 30}',
	 'Days from a risk''s last review (or from today when it has none) to its next review, by risk level.'),
	('compliance_threshold', '0.95',
	 'Overall compliance score (0-1) at or above which a contract is compliant (pactoria.is_compliant).'),
	('compliance_area_weights', '{"gdpr": 1, "employment": 1, "consumer": 1, "commercial": 1}',
	 'Weights (0-1000) of the compliance areas when compliance_scores.overall_score is computed from the area scores; an area left out weighs 1.'),
	('extraction_metrics_time_zone', '"Europe/London"',
	 'Time zone whose calendar days the extraction metrics and pactoria.v_daily_extraction_stats count in.');

CREATE FUNCTION pactoria.check_scoring_config()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_check_scoring_config'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.check_scoring_config() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.check_scoring_config() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_config: refuses a scoring configuration value that the scoring functions could not use.';

-- Fires after trg_system_config_check_value (triggers fire in name order), so a
-- value of the wrong JSON type gets that trigger's message first.
CREATE TRIGGER trg_system_config_validate_scoring
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW
	WHEN (NEW.key IN ('risk_level_bands', 'risk_review_days', 'compliance_threshold',
					  'compliance_area_weights', 'extraction_metrics_time_zone')
		  AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_scoring_config();

------------------------------------------------------------------------------------
-- Risk
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.calculate_risk_score(likelihood integer, impact integer)
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_calculate_risk_score'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.calculate_risk_score(integer, integer) IS
'Risk score 1-25: likelihood x impact, each rated 1-5; a rating out of range is an error (SQLSTATE 22003) naming it.';

CREATE FUNCTION pactoria.risk_level(score integer)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_risk_level'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.risk_level(integer) IS
'Risk level (low, medium, high, critical) of a risk score 1-25, by the bands of system_config key risk_level_bands (default 1-4, 5-9, 10-16, 17-25); read once per statement.';

CREATE FUNCTION pactoria.risk_review_days(risk_level text)
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_risk_review_days'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.risk_review_days(text) IS
'Days between reviews of a risk of a level, from system_config key risk_review_days (default critical 30, high 90, medium 180, low 365).';

CREATE FUNCTION pactoria.contract_risk_score(risk_factors jsonb)
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_contract_risk_score'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.contract_risk_score(jsonb) IS
'Contract risk 1-10 from an array of {"severity": low|medium|high|critical, "weight": n} factors: the sum of weight x points (1, 3, 6, 10) rounded half up and clamped to 1-10; an empty array scores 1.';

-- risk_assessments: risk_level always follows the score (risk_score itself is a
-- generated column, likelihood x impact), and next_review_date defaults by level.
-- C, because only a C trigger sees which columns an UPDATE's SET list names:
-- SET risk_level = 'low' is a level the writer chose (checked), while a level
-- carried over from the old row is simply derived again.
CREATE FUNCTION pactoria.derive_risk_level_and_review()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_derive_risk_level_and_review'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.derive_risk_level_and_review() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.derive_risk_level_and_review() IS
'BEFORE INSERT OR UPDATE trigger of risk_assessments: sets risk_level from likelihood x impact (refusing a level the statement gives that disagrees, SQLSTATE 23514) and next_review_date, when NULL or when a review is recorded without one, from the last review (or today) and the level.';

CREATE TRIGGER trg_risk_assessments_derive_level_and_review
	BEFORE INSERT OR UPDATE OF likelihood, impact, risk_level, last_review_date, next_review_date
	ON pactoria.risk_assessments
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.derive_risk_level_and_review();

------------------------------------------------------------------------------------
-- Compliance
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.overall_compliance_score(gdpr numeric, employment numeric, consumer numeric,
												  commercial numeric, weights jsonb DEFAULT NULL)
RETURNS numeric
AS 'MODULE_PATHNAME', 'pactoria_overall_compliance_score'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.overall_compliance_score(numeric, numeric, numeric, numeric, jsonb) IS
'Overall compliance 0-1: the weighted mean of the area scores that are not NULL (weights {"gdpr": w, ...}, default 1 each), to 4 decimal places; NULL when every area is NULL.';

CREATE FUNCTION pactoria.is_compliant(score numeric)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_is_compliant'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.is_compliant(numeric) IS
'Whether a compliance score (0-1) is at or above system_config key compliance_threshold (default 0.95).';

-- compliance_scores: overall_score and risk_score are filled when not given.
CREATE FUNCTION pactoria.fill_compliance_scores()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF NEW.overall_score IS NULL THEN
		NEW.overall_score := pactoria.overall_compliance_score(
			NEW.gdpr_compliance, NEW.employment_law_compliance, NEW.consumer_rights_compliance,
			NEW.commercial_terms_compliance, pactoria.get_config('compliance_area_weights'));
		IF NEW.overall_score IS NULL THEN
			RAISE EXCEPTION 'compliance score of contract % has neither an overall score nor an area score', NEW.contract_id
				USING ERRCODE = 'not_null_violation',
					  HINT = 'Give overall_score, or at least one area score to compute it from.';
		END IF;
	END IF;
	IF NEW.risk_score IS NULL THEN
		NEW.risk_score := pactoria.contract_risk_score(NEW.risk_factors);
	END IF;
	RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.fill_compliance_scores() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.fill_compliance_scores() IS
'BEFORE INSERT OR UPDATE trigger of compliance_scores: a NULL overall_score becomes overall_compliance_score of the areas (weights from system_config compliance_area_weights), a NULL risk_score contract_risk_score(risk_factors).';

CREATE TRIGGER trg_compliance_scores_fill_scores
	BEFORE INSERT OR UPDATE ON pactoria.compliance_scores
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.fill_compliance_scores();

------------------------------------------------------------------------------------
-- Extraction accuracy
--
-- Each field of an extraction has one outcome: kept (extracted, not corrected),
-- wrong_value, missing or not_in_document (the correction types).
--   precision = kept / (kept + wrong_value + not_in_document)
--   recall    = kept / (kept + wrong_value + missing)
--   accuracy  = kept / (kept + wrong_value + missing + not_in_document)
-- NULL when the denominator is 0.  Defined once, in src/core/extraction_accuracy.c;
-- everything below goes through the aggregate pactoria.extraction_accuracy.
------------------------------------------------------------------------------------
CREATE TYPE pactoria.extraction_accuracy_summary AS (
	fields bigint,
	correct bigint,
	wrong_value bigint,
	missing bigint,
	not_in_document bigint,
	accuracy double precision,
	precision double precision,
	recall double precision,
	average_confidence double precision,
	average_confidence_kept double precision,
	average_confidence_corrected double precision
);

COMMENT ON TYPE pactoria.extraction_accuracy_summary IS
'Result of pactoria.extraction_accuracy: counts of field outcomes, accuracy, precision and recall (NULL when undefined), and average confidence of all extracted fields, of those kept and of those corrected.';

CREATE FUNCTION pactoria.extraction_accuracy_transition(internal, text, numeric)
RETURNS internal
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_transition'
LANGUAGE C PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_transition(internal, text, numeric) IS
'Transition function of pactoria.extraction_accuracy: counts one field outcome.';

CREATE FUNCTION pactoria.extraction_accuracy_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_combine'
LANGUAGE C PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_combine(internal, internal) IS
'Combine function of pactoria.extraction_accuracy: adds two partial counts (parallel aggregation).';

CREATE FUNCTION pactoria.extraction_accuracy_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_serialize'
LANGUAGE C STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_serialize(internal) IS
'Serialisation function of pactoria.extraction_accuracy (parallel aggregation).';

CREATE FUNCTION pactoria.extraction_accuracy_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_deserialize'
LANGUAGE C STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_deserialize(bytea, internal) IS
'Deserialisation function of pactoria.extraction_accuracy (parallel aggregation).';

CREATE FUNCTION pactoria.extraction_accuracy_final(internal)
RETURNS pactoria.extraction_accuracy_summary
AS 'MODULE_PATHNAME', 'pactoria_extraction_accuracy_final'
LANGUAGE C PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.extraction_accuracy_final(internal) IS
'Final function of pactoria.extraction_accuracy: the scores of the counts.';

CREATE AGGREGATE pactoria.extraction_accuracy(correction_type text, confidence numeric) (
	SFUNC = pactoria.extraction_accuracy_transition,
	STYPE = internal,
	FINALFUNC = pactoria.extraction_accuracy_final,
	COMBINEFUNC = pactoria.extraction_accuracy_combine,
	SERIALFUNC = pactoria.extraction_accuracy_serialize,
	DESERIALFUNC = pactoria.extraction_accuracy_deserialize,
	SSPACE = 72,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE pactoria.extraction_accuracy(text, numeric) IS
'Accuracy, precision, recall and confidence calibration of AI field extraction over field outcomes: one input row per field, correction_type NULL for a field kept as extracted, confidence of the extracted field (0-100) or NULL.';

-- One row per field of every extraction, with its outcome: the fields the AI
-- extracted (with their correction, if any) and the fields it missed, each
-- with its extraction's model and time, so that grouping by model or day
-- needs no join on top of the UNION ALL (whose result PostgreSQL has no
-- statistics for).  The input to pactoria.extraction_accuracy; filters on
-- company_id, extraction_id, model_name and extracted_at reach both branches.
CREATE VIEW pactoria.v_extraction_field_outcomes
WITH (security_invoker = true) AS
SELECT f.company_id,
	   f.extraction_id,
	   e.model_name,
	   e.created_at AS extracted_at,
	   f.field_name,
	   f.value AS extracted_value,
	   c.corrected_value,
	   c.correction_type,
	   f.confidence,
	   c.corrected_by,
	   c.created_at AS corrected_at
FROM pactoria.extraction_fields AS f
JOIN pactoria.extractions AS e ON e.company_id = f.company_id AND e.id = f.extraction_id
LEFT JOIN pactoria.corrections AS c
	ON c.company_id = f.company_id AND c.extraction_id = f.extraction_id AND c.field_name = f.field_name
UNION ALL
SELECT c.company_id,
	   c.extraction_id,
	   e.model_name,
	   e.created_at,
	   c.field_name,
	   NULL,
	   c.corrected_value,
	   c.correction_type,
	   NULL,
	   c.corrected_by,
	   c.created_at
FROM pactoria.corrections AS c
JOIN pactoria.extractions AS e ON e.company_id = c.company_id AND e.id = c.extraction_id
WHERE c.correction_type = 'missing'
  AND NOT EXISTS (SELECT FROM pactoria.extraction_fields AS f
				  WHERE f.company_id = c.company_id AND f.extraction_id = c.extraction_id
					AND f.field_name = c.field_name);

COMMENT ON VIEW pactoria.v_extraction_field_outcomes IS
'Every field of every extraction with its outcome: correction_type NULL (kept as extracted), wrong_value, missing (extracted_value and confidence NULL) or not_in_document; with the extraction''s model_name and time (extracted_at). Feed it to pactoria.extraction_accuracy.';

CREATE FUNCTION pactoria.calculate_extraction_accuracy(extraction_id uuid)
RETURNS TABLE (field_name text, extracted_value text, corrected_value text, correction_type text,
			   confidence numeric, accuracy double precision, "precision" double precision,
			   recall double precision)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM pactoria.extractions AS e
				   WHERE e.id = calculate_extraction_accuracy.extraction_id) THEN
		RAISE EXCEPTION 'extraction % does not exist', calculate_extraction_accuracy.extraction_id
			USING ERRCODE = 'no_data_found',
				  HINT = 'Only the extractions of the company in the tenant context are visible.';
	END IF;

	-- One group per field, and the grouping set () for the whole extraction.
	RETURN QUERY
	SELECT grouped.field_name, grouped.extracted_value, grouped.corrected_value, grouped.correction_type,
		   CASE WHEN grouped.is_overall
				THEN round((grouped.summary).average_confidence::numeric, 2)
				ELSE grouped.confidence END,
		   (grouped.summary).accuracy, (grouped.summary).precision, (grouped.summary).recall
	FROM (SELECT o.field_name, o.extracted_value, o.corrected_value, o.correction_type, o.confidence,
				 GROUPING(o.field_name) = 1 AS is_overall,
				 pactoria.extraction_accuracy(o.correction_type, o.confidence) AS summary
		  FROM pactoria.v_extraction_field_outcomes AS o
		  WHERE o.extraction_id = calculate_extraction_accuracy.extraction_id
		  GROUP BY GROUPING SETS ((o.field_name, o.extracted_value, o.corrected_value,
								   o.correction_type, o.confidence), ())) AS grouped
	ORDER BY grouped.is_overall, grouped.field_name;
END
$$;

COMMENT ON FUNCTION pactoria.calculate_extraction_accuracy(uuid) IS
'Accuracy of one extraction: a row per field (accuracy 1 when kept, 0 when corrected) and a last row with field_name NULL for the whole extraction (confidence = average of the extracted fields); an unknown or invisible extraction is an error (SQLSTATE P0002).';

-- Extraction statistics per company, calendar day (in the time zone of
-- system_config extraction_metrics_time_zone) and model, for extractions
-- created from first_day to last_day.  The one definition behind both
-- v_daily_extraction_stats and refresh_extraction_metrics.
CREATE FUNCTION pactoria.daily_extraction_stats(first_day date, last_day date)
RETURNS TABLE (company_id uuid, metric_date date, model_name text, extraction_count bigint,
			   field_count bigint, correction_count bigint, accuracy double precision,
			   "precision" double precision, recall double precision,
			   average_confidence double precision, token_count bigint, cost numeric)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	zone text := pactoria.get_config('extraction_metrics_time_zone') #>> '{}';
	period_start timestamptz := first_day::timestamp AT TIME ZONE zone;
	period_end timestamptz := (last_day + 1)::timestamp AT TIME ZONE zone;
BEGIN
	IF first_day > last_day THEN
		RAISE EXCEPTION 'first day % is after last day %', first_day, last_day
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	RETURN QUERY
	WITH volume AS (
		SELECT e.company_id, (e.created_at AT TIME ZONE zone)::date AS metric_date, e.model_name,
			   count(*) AS extraction_count, coalesce(sum(e.token_count), 0)::bigint AS token_count,
			   coalesce(sum(e.cost), 0) AS cost
		FROM pactoria.extractions AS e
		WHERE e.created_at >= period_start AND e.created_at < period_end
		GROUP BY 1, 2, 3
	), scores AS (
		SELECT o.company_id, (o.extracted_at AT TIME ZONE zone)::date AS metric_date, o.model_name,
			   pactoria.extraction_accuracy(o.correction_type, o.confidence) AS summary
		FROM pactoria.v_extraction_field_outcomes AS o
		WHERE o.extracted_at >= period_start AND o.extracted_at < period_end
		GROUP BY 1, 2, 3
	)
	SELECT v.company_id, v.metric_date, v.model_name, v.extraction_count,
		   coalesce((s.summary).correct + (s.summary).wrong_value + (s.summary).not_in_document, 0),
		   coalesce((s.summary).wrong_value + (s.summary).missing + (s.summary).not_in_document, 0),
		   (s.summary).accuracy, (s.summary).precision, (s.summary).recall,
		   (s.summary).average_confidence, v.token_count, v.cost
	FROM volume AS v
	LEFT JOIN scores AS s
		ON s.company_id = v.company_id AND s.metric_date = v.metric_date AND s.model_name = v.model_name
	ORDER BY v.metric_date, v.company_id, v.model_name;
END
$$;

COMMENT ON FUNCTION pactoria.daily_extraction_stats(date, date) IS
'Extraction statistics per company, day and model for the extractions created from first_day to last_day (days in system_config extraction_metrics_time_zone): volume, extracted fields, corrections, accuracy, precision, recall, average confidence, tokens, cost.';

CREATE VIEW pactoria.v_daily_extraction_stats
WITH (security_invoker = true) AS
SELECT s.company_id, s.metric_date, s.model_name, s.extraction_count, s.field_count, s.correction_count,
	   s.accuracy, s.precision, s.recall, s.average_confidence, s.token_count, s.cost
FROM pactoria.daily_extraction_stats('-infinity', 'infinity') AS s;

COMMENT ON VIEW pactoria.v_daily_extraction_stats IS
'Extraction statistics per company, day and model, computed live over all extractions (pactoria.daily_extraction_stats for a range of days is faster).';

CREATE FUNCTION pactoria.refresh_extraction_metrics(p_day date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	rows_written integer;
BEGIN
	IF p_day IS NULL OR NOT isfinite(p_day) THEN
		RAISE EXCEPTION 'cannot refresh extraction metrics for day %', coalesce(p_day::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The day must be a finite date.';
	END IF;

	WITH stats AS (
		SELECT * FROM pactoria.daily_extraction_stats(p_day, p_day)
	), written AS (
		INSERT INTO pactoria.extraction_metrics AS m
			(company_id, metric_date, model_name, extraction_count, field_count, correction_count,
			 accuracy, average_confidence, token_count, cost)
		SELECT s.company_id, s.metric_date, s.model_name, s.extraction_count, s.field_count,
			   s.correction_count, s.accuracy, s.average_confidence, s.token_count, s.cost
		FROM stats AS s
		ON CONFLICT (company_id, metric_date, model_name) DO UPDATE
		SET extraction_count = EXCLUDED.extraction_count,
			field_count = EXCLUDED.field_count,
			correction_count = EXCLUDED.correction_count,
			accuracy = EXCLUDED.accuracy,
			average_confidence = EXCLUDED.average_confidence,
			token_count = EXCLUDED.token_count,
			cost = EXCLUDED.cost
		WHERE (m.extraction_count, m.field_count, m.correction_count, m.accuracy,
			   m.average_confidence, m.token_count, m.cost)
			  IS DISTINCT FROM
			  (EXCLUDED.extraction_count, EXCLUDED.field_count, EXCLUDED.correction_count,
			   EXCLUDED.accuracy, EXCLUDED.average_confidence, EXCLUDED.token_count, EXCLUDED.cost)
		RETURNING 1
	), removed AS (
		DELETE FROM pactoria.extraction_metrics AS m
		WHERE m.metric_date = p_day
		  AND NOT EXISTS (SELECT FROM stats AS s
						  WHERE s.company_id = m.company_id AND s.model_name = m.model_name)
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM written) + (SELECT count(*) FROM removed) INTO rows_written;
	RETURN rows_written;
END
$$;

COMMENT ON FUNCTION pactoria.refresh_extraction_metrics(date) IS
'Recomputes extraction_metrics for one day from the extractions created that day: inserts, updates and removes rows; returns how many changed (0 when already up to date). Runs as its caller: under row-level security only the tenant''s metrics.';

------------------------------------------------------------------------------------
-- Reporting views (security_invoker: they show what the caller may see).
------------------------------------------------------------------------------------
CREATE VIEW pactoria.v_extraction_details
WITH (security_invoker = true) AS
SELECT e.company_id,
	   e.id AS extraction_id,
	   e.contract_id,
	   c.title AS contract_title,
	   e.model_name,
	   e.model_version,
	   e.provider,
	   e.status,
	   e.overall_confidence,
	   e.reviewed_by,
	   reviewer.full_name AS reviewer_name,
	   e.reviewed_at,
	   (s.summary).correct + (s.summary).wrong_value + (s.summary).not_in_document AS extracted_field_count,
	   (s.summary).correct AS correct_count,
	   (s.summary).wrong_value AS wrong_value_count,
	   (s.summary).missing AS missing_count,
	   (s.summary).not_in_document AS not_in_document_count,
	   (s.summary).wrong_value + (s.summary).missing + (s.summary).not_in_document AS correction_count,
	   (s.summary).accuracy,
	   (s.summary).precision,
	   (s.summary).recall,
	   e.token_count,
	   e.cost,
	   e.currency,
	   e.created_at
FROM pactoria.extractions AS e
JOIN pactoria.contracts AS c ON c.company_id = e.company_id AND c.id = e.contract_id
LEFT JOIN pactoria.users AS reviewer ON reviewer.company_id = e.company_id AND reviewer.id = e.reviewed_by
CROSS JOIN LATERAL (
	SELECT pactoria.extraction_accuracy(o.correction_type, o.confidence) AS summary
	FROM pactoria.v_extraction_field_outcomes AS o
	WHERE o.company_id = e.company_id AND o.extraction_id = e.id
) AS s;

COMMENT ON VIEW pactoria.v_extraction_details IS
'Each extraction with its contract''s title, its reviewer''s name, its field outcomes counted by correction type, and its accuracy, precision and recall.';

CREATE VIEW pactoria.v_user_activity
WITH (security_invoker = true) AS
SELECT u.company_id,
	   u.id AS user_id,
	   u.full_name,
	   u.email,
	   u.role,
	   u.is_active,
	   contract_activity.contract_count,
	   version_activity.version_count,
	   correction_activity.correction_count,
	   greatest(u.last_login_at, session_activity.last_activity, contract_activity.last_created_at,
				version_activity.last_created_at, correction_activity.last_created_at) AS last_activity_at
FROM pactoria.users AS u
CROSS JOIN LATERAL (
	SELECT count(*) AS contract_count, max(c.created_at) AS last_created_at
	FROM pactoria.contracts AS c
	WHERE c.company_id = u.company_id AND c.created_by = u.id
) AS contract_activity
CROSS JOIN LATERAL (
	SELECT count(*) AS version_count, max(v.created_at) AS last_created_at
	FROM pactoria.contract_versions AS v
	WHERE v.company_id = u.company_id AND v.created_by = u.id
) AS version_activity
CROSS JOIN LATERAL (
	SELECT count(*) AS correction_count, max(k.created_at) AS last_created_at
	FROM pactoria.corrections AS k
	WHERE k.company_id = u.company_id AND k.corrected_by = u.id
) AS correction_activity
CROSS JOIN LATERAL (
	SELECT max(s.last_activity) AS last_activity
	FROM pactoria.user_sessions AS s
	WHERE s.company_id = u.company_id AND s.user_id = u.id
) AS session_activity;

COMMENT ON VIEW pactoria.v_user_activity IS
'Per user: contracts created, contract versions written, extraction corrections made, and the last activity (latest of last login, session activity and those).';
