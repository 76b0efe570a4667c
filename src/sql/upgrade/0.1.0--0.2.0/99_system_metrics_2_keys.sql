-- system_metrics becomes a tenant table keyed by company_id (40_partitions.sql):
-- its system-wide rows (company_id NULL in 0.1.0) move to global_metrics, made
-- by the file before this one; then company_id is NOT NULL and leads the key of
-- every partition.  Rows are moved, never dropped.  A system-wide row's user (a
-- user_id without a company names no user) is kept as the tag "user_id".
INSERT INTO pactoria.global_metrics (id, metric_name, metric_value, metric_unit, tags, recorded_at)
SELECT m.id, m.metric_name, m.metric_value, m.metric_unit,
	   CASE WHEN m.user_id IS NULL THEN m.tags
			ELSE m.tags OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('user_id', m.user_id) END,
	   m.recorded_at
FROM pactoria.system_metrics AS m
WHERE m.company_id IS NULL;
DELETE FROM pactoria.system_metrics WHERE company_id IS NULL;

ALTER TABLE pactoria.system_metrics ALTER COLUMN company_id SET NOT NULL;

-- The key of the DEFAULT partition (the template) and of every partition made
-- from it, under its own name.
DO $$
DECLARE
	part regclass;
	key_name name;
BEGIN
	FOR part, key_name IN
		SELECT i.inhrelid::regclass, k.conname
		FROM pg_catalog.pg_inherits AS i
		JOIN pg_catalog.pg_constraint AS k
		  ON k.conrelid OPERATOR(pg_catalog.=) i.inhrelid AND k.contype OPERATOR(pg_catalog.=) 'p'
		WHERE i.inhparent OPERATOR(pg_catalog.=) 'pactoria.system_metrics'::pg_catalog.regclass
	LOOP
		EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I PRIMARY KEY (company_id, id, recorded_at)',
								  part, key_name, key_name);
	END LOOP;
END
$$;

COMMENT ON TABLE pactoria.system_metrics IS
'Measurements recorded by the application for a tenant (pactoria.record_metric; system-wide ones are in pactoria.global_metrics); partitioned by month on recorded_at and kept by pactoria.run_maintenance().';
COMMENT ON COLUMN pactoria.system_metrics.company_id IS 'The tenant the metric belongs to.';
