-- Partition maintenance: pactoria.run_maintenance() against pg_partman 4.7 on the
-- same work: 10 monthly-partitioned tables (same columns, same primary key) of 90
-- partitions each (86 months back, the current month, 3 ahead) and a DEFAULT
-- partition each.
--   (a) a run with nothing to do;
--   (b) a run that makes one month more for each table.
-- pg_partman runs with infinite_time_partitions = true: like pactoria, it then makes
-- partitions ahead of the present time whether or not rows have arrived (by default
-- it makes none ahead of the newest row, and these tables are empty).
-- For (b) pactoria runs as of one month later (p_now); pg_partman, which always works
-- as of now(), gets premake 4 instead of 3: both then make exactly the partition 4
-- months ahead of each table, and the setup drops it again before each timed run.
-- pactoria runs over the same 10 tables (one p_parent call each, in one statement),
-- not over its own system_metrics.
-- Baseline: pg_partman.  Floor, the bare operation: (a) reading the bounds of the
-- 900 partitions with pg_get_expr, (b) ten CREATE TABLE ... PARTITION OF.
SET client_min_messages = warning;
CREATE SCHEMA partman;
CREATE EXTENSION pg_partman SCHEMA partman;
CREATE SCHEMA bench_data;

DO $$
BEGIN
	FOR i IN 1..10 LOOP
		EXECUTE format('CREATE TABLE bench_data.partman_%s (id bigint NOT NULL, recorded_at timestamptz NOT NULL,'
					   ' value double precision, PRIMARY KEY (id, recorded_at)) PARTITION BY RANGE (recorded_at)', i);
		EXECUTE format('CREATE TABLE bench_data.pactoria_%s (id bigint NOT NULL, recorded_at timestamptz NOT NULL,'
					   ' value double precision, PRIMARY KEY (id, recorded_at)) PARTITION BY RANGE (recorded_at)', i);
		PERFORM partman.create_parent(p_parent_table => format('bench_data.partman_%s', i), p_control => 'recorded_at',
									  p_type => 'native', p_interval => 'monthly', p_premake => 3,
									  p_start_partition => to_char(date_trunc('month', now()) - interval '86 months', 'YYYY-MM-DD'),
									  p_jobmon => false);
		PERFORM pactoria.register_partitioned_table(format('bench_data.pactoria_%s', i)::regclass);
	END LOOP;
END
$$;
UPDATE partman.part_config SET infinite_time_partitions = true;
-- pactoria: a run as of each month from 86 months ago to now (the last one makes
-- the 3 months ahead).
SELECT count(*) FROM generate_series(86, 0, -1) AS m, generate_series(1, 10) AS i,
	pactoria.run_maintenance(format('bench_data.pactoria_%s', i)::regclass, now() - m * interval '1 month') \g /dev/null
ANALYZE;

\echo 'Partitions of the 10 tables (dated, and default):'
SELECT substring(p.inhparent::regclass::text FROM '^bench_data\.([a-z]+)_') AS tables_of,
	   count(*) FILTER (WHERE NOT c.relpartbound::text LIKE '%:is_default true%') AS dated_partitions,
	   count(*) FILTER (WHERE c.relpartbound::text LIKE '%:is_default true%') AS default_partitions,
	   min(c.relname) FILTER (WHERE NOT c.relname LIKE '%default') AS first,
	   max(c.relname) FILTER (WHERE NOT c.relname LIKE '%default') AS last
FROM pg_inherits AS p JOIN pg_class AS c ON c.oid = p.inhrelid
WHERE p.inhparent::regclass::text ~ '^bench_data\.(partman|pactoria)_[0-9]+$'
GROUP BY 1 ORDER BY 1;

\echo
\echo '(a) a maintenance run with nothing to do, over 10 tables of 90 partitions (best of 10, ms):'
SELECT * FROM bench.compare(
	ARRAY['pg_partman 4.7 run_maintenance()', 'pactoria.run_maintenance()', 'floor: read 900 bounds (pg_get_expr)'],
	ARRAY['SELECT partman.run_maintenance(p_analyze => false, p_jobmon => false)',
		  $$SELECT count(*) FROM generate_series(1, 10) AS i, pactoria.run_maintenance(format('bench_data.pactoria_%s', i)::regclass)$$,
		  $$SELECT count(pg_get_expr(c.relpartbound, c.oid)) FROM generate_series(1, 10) AS i
			JOIN pg_inherits AS h ON h.inhparent = format('bench_data.pactoria_%s', i)::regclass
			JOIN pg_class AS c ON c.oid = h.inhrelid$$],
	10);

-- For (b): pg_partman makes 4 months ahead; the setup removes the partition 4 months
-- ahead of every table (both sets), so each timed run has exactly that to make.
UPDATE partman.part_config SET premake = 4;
CREATE FUNCTION bench.drop_month_four_ahead()
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	suffix text := to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '4 months', '"_p"YYYY"_"MM');
BEGIN
	FOR i IN 1..10 LOOP
		EXECUTE format('DROP TABLE IF EXISTS bench_data.%I, bench_data.%I', 'partman_' || i || suffix, 'pactoria_' || i || suffix);
	END LOOP;
END
$$;
CREATE FUNCTION bench.create_month_four_ahead()
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	lower_bound timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + interval '4 months';
BEGIN
	FOR i IN 1..10 LOOP
		EXECUTE format('CREATE TABLE bench_data.%I PARTITION OF bench_data.%I FOR VALUES FROM (%L) TO (%L)',
					   'pactoria_' || i || to_char(lower_bound, '"_p"YYYY"_"MM'), 'pactoria_' || i,
					   lower_bound::text || '+00', (lower_bound + interval '1 month')::text || '+00');
	END LOOP;
END
$$;

SELECT bench.drop_month_four_ahead() \g /dev/null
SELECT partman.run_maintenance(p_analyze => false, p_jobmon => false) \g /dev/null
SELECT count(*) FROM generate_series(1, 10) AS i,
	pactoria.run_maintenance(format('bench_data.pactoria_%s', i)::regclass, now() + interval '1 month') \g /dev/null
\echo
\echo 'One run of each makes the same partitions:'
SELECT substring(p.inhparent::regclass::text FROM '^bench_data\.([a-z]+)_') AS tables_of, count(*) AS partitions_4_months_ahead
FROM pg_inherits AS p JOIN pg_class AS c ON c.oid = p.inhrelid
WHERE p.inhparent::regclass::text ~ '^bench_data\.(partman|pactoria)_[0-9]+$'
  AND c.relname LIKE '%' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '4 months', '"_p"YYYY"_"MM')
GROUP BY 1 ORDER BY 1;


\echo
\echo '(b) a maintenance run that makes one month more for each of the 10 tables (best of 10, ms):'
SELECT * FROM bench.compare(
	ARRAY['pg_partman 4.7 run_maintenance() (premake 4)', 'pactoria.run_maintenance(p_now => now() + 1 month)',
		  'floor: 10 x CREATE TABLE ... PARTITION OF'],
	ARRAY['SELECT partman.run_maintenance(p_analyze => false, p_jobmon => false)',
		  $$SELECT count(*) FROM generate_series(1, 10) AS i,
			pactoria.run_maintenance(format('bench_data.pactoria_%s', i)::regclass, now() + interval '1 month')$$,
		  'SELECT bench.create_month_four_ahead()'],
	10, 'SELECT bench.drop_month_four_ahead()');

