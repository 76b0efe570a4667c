------------------------------------------------------------------------------------
-- global_metrics: measurements of no tenant (system-wide), and record_metric()
-- (also restated by the 0.1.0 -> 0.2.0 upgrade, which moves 0.1.0's metrics
-- with company_id NULL here).
--
-- system_metrics is a tenant table keyed by company_id (40_partitions.sql); a
-- metric recorded outside any tenant context has no company and is kept here,
-- monthly partitions under partition maintenance like system_metrics.  Only
-- trusted roles write or read it: the application role holds no privilege on
-- it, and record_metric() without a tenant context fails for it (42501).  On
-- Citus it stays a table of the coordinator (Citus has no partitioned reference
-- tables, and system-wide metrics are written on the coordinator only).
------------------------------------------------------------------------------------
CREATE TABLE pactoria.global_metrics (
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	metric_name text NOT NULL,
	metric_value double precision NOT NULL,
	metric_unit text,
	tags jsonb NOT NULL DEFAULT '{}',
	recorded_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT chk_global_metrics_metric
		CHECK (pactoria.check_metric(metric_name, metric_value, metric_unit, tags, recorded_at))
) PARTITION BY RANGE (recorded_at);

COMMENT ON TABLE pactoria.global_metrics IS
'System-wide measurements, of no tenant (pactoria.record_metric without a tenant context, trusted roles only); partitioned by month on recorded_at and kept by pactoria.run_maintenance().';

-- As for system_metrics, the key and index are on the DEFAULT partition, the
-- template of every partition maintenance makes.
CREATE TABLE pactoria.global_metrics_default PARTITION OF pactoria.global_metrics (
	CONSTRAINT global_metrics_default_pkey PRIMARY KEY (id, recorded_at)
) DEFAULT;
CREATE INDEX idx_global_metrics_default_metric_name_recorded_at
	ON pactoria.global_metrics_default (metric_name, recorded_at);

COMMENT ON FUNCTION pactoria.check_metric_time() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_metrics and pactoria.global_metrics: recorded_at within metrics.max_future ahead of and metrics.max_past before now() (22008 otherwise), except for superusers and the extension owner.';

CREATE TRIGGER trg_global_metrics_check_time
	BEFORE INSERT OR UPDATE OF recorded_at ON pactoria.global_metrics
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_metric_time();

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('partition.global_metrics.premake', '3',
	 'How many monthly partitions of global_metrics exist ahead of the current month.'),
	('partition.global_metrics.retention', '"25 months"',
	 'How long global_metrics partitions are kept (by their upper bound): an interval, or "forever".'),
	('partition.global_metrics.retention_action', '"drop"',
	 'What happens to a global_metrics partition past retention: "drop", or "detach" to keep it as a table.');

-- The registration's values are those of the keys above, which win once set.
SELECT pactoria.register_partitioned_table('pactoria.global_metrics', '1 month', 3, '25 months', 'drop');

CREATE OR REPLACE FUNCTION pactoria.record_metric(metric_name text, metric_value double precision, metric_unit text DEFAULT NULL,
												  tags jsonb DEFAULT '{}', recorded_at timestamptz DEFAULT now())
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	company uuid := pactoria.current_company_id();
	new_id uuid;
BEGIN
	IF record_metric.metric_name IS NULL THEN
		RAISE EXCEPTION 'metric name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF record_metric.metric_value IS NULL THEN
		RAISE EXCEPTION 'metric value must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF record_metric.tags IS NULL THEN
		RAISE EXCEPTION 'metric tags must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass ''{}'' for no tags.';
	END IF;
	IF record_metric.recorded_at IS NULL THEN
		RAISE EXCEPTION 'metric time must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF company IS NULL THEN
		-- system-wide: trusted roles only (the table's privileges say who)
		IF NOT pg_catalog.has_table_privilege('pactoria.global_metrics', 'INSERT') THEN
			RAISE EXCEPTION 'no tenant context is set'
				USING ERRCODE = 'insufficient_privilege',
					  DETAIL = 'A metric without a tenant is system-wide, and only trusted roles record those.',
					  HINT = 'Resume a session (pactoria.resume_session) before recording a metric of its tenant.';
		END IF;
		-- the id made first: RETURNING would need SELECT, which a writer may lack
		new_id := pactoria.uuid_generate_v7();
		INSERT INTO pactoria.global_metrics (id, metric_name, metric_value, metric_unit, tags, recorded_at)
		VALUES (new_id, record_metric.metric_name, record_metric.metric_value, record_metric.metric_unit,
				record_metric.tags, record_metric.recorded_at);
	ELSE
		INSERT INTO pactoria.system_metrics (company_id, user_id, metric_name, metric_value, metric_unit, tags, recorded_at)
		VALUES (company, pactoria.current_user_id(), record_metric.metric_name,
				record_metric.metric_value, record_metric.metric_unit, record_metric.tags, record_metric.recorded_at)
		RETURNING id INTO new_id;
	END IF;
	RETURN new_id;
END
$$;

COMMENT ON FUNCTION pactoria.record_metric(text, double precision, text, jsonb, timestamptz) IS
'Records a metric for the company and user of the tenant context in system_metrics, or, without a tenant context, a system-wide one in global_metrics (trusted roles only, 42501 otherwise); returns its id.';
