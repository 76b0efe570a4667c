\echo
\echo '=== pactoria: partitions kept by maintenance ==========================================='
\echo 'Monthly-partitioned tables (system_metrics, audit_logs, and any table you register)'
\echo 'are kept by pactoria.run_maintenance(): partitions made ahead, rows in the DEFAULT'
\echo 'partition moved out, retention by each partition''s real bounds.'
\echo
\echo '--- The registered tables and the settings in force:'
SELECT parent_table, partition_interval, premake, retention, retention_action, registered_by_extension
FROM pactoria.partition_settings ORDER BY parent_table::text;

\echo
\echo '--- CREATE EXTENSION made no dated partition, only a DEFAULT one (pg_dump-safe):'
SELECT c.parent_table, count(*) FILTER (WHERE NOT b.is_default) AS dated_partitions,
	   count(*) FILTER (WHERE b.is_default) AS default_partitions
FROM pactoria.partition_config AS c, pactoria.partition_bounds(c.parent_table) AS b
GROUP BY 1 ORDER BY 1::text;

\echo
\echo '--- Metrics arrive anyway: a system-wide one (into global_metrics), and one per company in the tenant context.'
SELECT pactoria.record_metric('system.active_connections', 12, 'connections') IS NOT NULL AS recorded;
DO $$
DECLARE
	company record;
BEGIN
	FOR company IN SELECT id FROM pactoria.companies ORDER BY name LOOP
		PERFORM set_config('pactoria.company_id', company.id::text, true);
		PERFORM pactoria.record_metric('contract.upload_seconds', 2.4, 'seconds', '{"format": "pdf"}');
	END LOOP;
END
$$;
\echo 'A back-dated measurement, 14 months old, too:'
SELECT pactoria.record_metric('contract.upload_seconds', 3.1, 'seconds', '{"source": "import"}', now() - interval '14 months') IS NOT NULL AS recorded;
SELECT tableoid::regclass AS held_in, count(*) FROM pactoria.system_metrics GROUP BY 1;

\echo
\echo '--- The first maintenance run (the background worker or pg_cron does this hourly):'
SELECT parent_table, partition_name, action, detail FROM pactoria.run_maintenance();

\echo
\echo '--- Every registered table now has its partitions, with their real bounds (UTC):'
SELECT b.partition_table, b.lower_bound, b.upper_bound,
	   (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', b.partition_table), false, true, '')))[1]::text::integer AS row_count
FROM pactoria.partition_config AS c, pactoria.partition_bounds(c.parent_table) AS b
ORDER BY c.parent_table::text, b.is_default, b.lower_bound;

\echo
\echo '--- Running it again is a no-op:'
SELECT count(*) AS actions FROM pactoria.run_maintenance();
SELECT parent_table, last_run_at IS NOT NULL AS has_run, last_run_outcome FROM pactoria.partition_config ORDER BY 1::text;

\echo
\echo '--- Retention is a setting (kept by pg_dump): keep metrics 12 months instead of 25.'
INSERT INTO pactoria.system_config (key, value, description)
VALUES ('partition.system_metrics.retention', '"12 months"', 'Demo: a shorter retention');
SELECT parent_table, partition_name, action, detail FROM pactoria.run_maintenance('pactoria.system_metrics');
DELETE FROM pactoria.system_config WHERE key = 'partition.system_metrics.retention';

\echo
\echo '--- Maintenance inside the server: with pactoria in shared_preload_libraries,'
\echo '    pactoria.maintenance_databases = ''mydb'' and pactoria.maintenance_interval (1h):'
SHOW pactoria.maintenance_interval;
\echo '    Without preloading, pg_cron does the same:'
\echo '    SELECT cron.schedule(''pactoria-maintenance'', ''5 * * * *'', ''SELECT pactoria.run_maintenance()'');'
