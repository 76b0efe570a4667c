-- Partition maintenance, deterministic: every run is given its time (p_now).
-- The session runs in New York time on purpose: partition boundaries are UTC.
BEGIN;
SELECT plan(59);

SET LOCAL TimeZone = 'America/New_York';

CREATE TABLE public.events (
	id bigint GENERATED ALWAYS AS IDENTITY,
	occurred_at timestamptz NOT NULL,
	payload text NOT NULL,
	payload_length integer GENERATED ALWAYS AS (length(payload)) STORED,
	PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX events_payload_idx ON public.events (payload);

-- The report of a run, numbered in the order the rows came.
CREATE FUNCTION pg_temp.run(parent regclass, at timestamptz)
RETURNS TABLE (step bigint, partition_name text, action text, detail text)
LANGUAGE sql AS $$
	SELECT r.step, r.partition_name, r.action, r.detail
	FROM pactoria.run_maintenance(parent, at) WITH ORDINALITY AS r(parent_table, partition_name, action, detail, step)
$$;

-- The partitions of a table as "name lower upper" lines.
CREATE FUNCTION pg_temp.partitions(parent regclass)
RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT c.relname || ' ' || coalesce(b.lower_bound::text, '-') || ' ' || coalesce(b.upper_bound::text, '-')
	FROM pactoria.partition_bounds(parent) AS b JOIN pg_class AS c ON c.oid = b.partition_table
	ORDER BY b.is_default, b.lower_bound NULLS FIRST
$$;

----------------------------------------------------------------------------------
-- Registration makes the default partition, and nothing else.
----------------------------------------------------------------------------------
SELECT lives_ok($$SELECT pactoria.register_partitioned_table('public.events')$$,
	'register_partitioned_table accepts a table partitioned by range on a timestamptz column');
SELECT results_eq($$SELECT * FROM pg_temp.partitions('public.events')$$,
	ARRAY['events_default - -'],
	'registration makes the DEFAULT partition and no dated partition');
SELECT results_eq($$SELECT partition_interval, premake, retention, retention_action, before_removal, registered_by_extension
					FROM pactoria.partition_config WHERE parent_table = 'public.events'::regclass$$,
	$$VALUES ('1 month'::interval, 3, NULL::interval, 'drop'::text, NULL::text, false)$$,
	'the registration has the defaults: monthly, premake 3, kept forever, not the extension''s own');

----------------------------------------------------------------------------------
-- premake: the current month and three ahead, boundaries in UTC.
----------------------------------------------------------------------------------
CREATE TEMP TABLE report AS SELECT * FROM pg_temp.run('public.events', '2026-01-15 12:00:00+00');
SELECT results_eq($$SELECT action, partition_name FROM report ORDER BY step$$,
	$$VALUES ('created', 'public.events_p2026_01'), ('created', 'public.events_p2026_02'),
			 ('created', 'public.events_p2026_03'), ('created', 'public.events_p2026_04')$$,
	'the first run makes the partition of the current month and premake (3) more, in order');
SELECT results_eq($$SELECT * FROM pg_temp.partitions('public.events')$$,
	ARRAY['events_p2026_01 2026-01-01 00:00:00 2026-02-01 00:00:00',
		  'events_p2026_02 2026-02-01 00:00:00 2026-03-01 00:00:00',
		  'events_p2026_03 2026-03-01 00:00:00 2026-04-01 00:00:00',
		  'events_p2026_04 2026-04-01 00:00:00 2026-05-01 00:00:00',
		  'events_default - -'],
	'partitions are one month wide and start at midnight UTC on the 1st');
SELECT is((SELECT detail FROM report WHERE partition_name = 'public.events_p2026_02'),
	$$FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00')$$,
	'the report gives the bounds with an explicit UTC offset');
SELECT is(pg_get_expr(c.relpartbound, c.oid, true), $$FOR VALUES FROM ('2026-01-31 19:00:00-05') TO ('2026-02-28 19:00:00-05')$$,
	'the real bound is midnight UTC (shown in the session''s New York time)')
FROM pg_class AS c WHERE c.oid = 'public.events_p2026_02'::regclass;

INSERT INTO public.events (occurred_at, payload) VALUES
	('2026-01-31 23:30:00+00', 'late January in UTC, already February in no zone west of it'),
	('2026-02-01 00:30:00+00', 'early February in UTC, still January in New York');
SELECT results_eq($$SELECT tableoid::regclass::text FROM public.events ORDER BY occurred_at$$,
	ARRAY['events_p2026_01', 'events_p2026_02'],
	'rows land in the partition of their UTC month');

SELECT results_eq($$SELECT pg_get_indexdef(i.indexrelid) FROM pg_index AS i
					WHERE i.indrelid = 'public.events_p2026_03'::regclass ORDER BY 1$$,
	ARRAY['CREATE INDEX events_p2026_03_payload_idx ON public.events_p2026_03 USING btree (payload)',
		  'CREATE UNIQUE INDEX events_p2026_03_pkey ON public.events_p2026_03 USING btree (id, occurred_at)'],
	'a new partition gets every index of the parent');
SELECT is((SELECT attgenerated FROM pg_attribute WHERE attrelid = 'public.events_p2026_03'::regclass AND attname = 'payload_length'),
	's', 'a new partition keeps the parent''s generated column');

----------------------------------------------------------------------------------
-- Idempotence.
----------------------------------------------------------------------------------
SELECT is_empty($$SELECT * FROM pg_temp.run('public.events', '2026-01-15 12:00:00+00')$$,
	'a second run at the same time does nothing and reports nothing');
SELECT is_empty($$SELECT * FROM pg_temp.run('public.events', '2026-01-31 23:59:59+00')$$,
	'a run later in the same month does nothing');
SELECT results_eq($$SELECT last_run_outcome FROM pactoria.partition_config WHERE parent_table = 'public.events'::regclass$$,
	$$VALUES ('{"created": 0, "rows_moved": 0, "detached": 0, "dropped": 0, "skipped": 0}'::jsonb)$$,
	'partition_config records the outcome of the last run');

----------------------------------------------------------------------------------
-- Catch-up after months without a run.
----------------------------------------------------------------------------------
INSERT INTO public.events (occurred_at, payload)
SELECT timestamptz '2026-05-01 00:00:00+00' + i * interval '7 hours', 'written while no maintenance ran'
FROM generate_series(0, 299) AS i;
SELECT is((SELECT count(*) FROM ONLY public.events_default), 300::bigint,
	'rows for months without a partition wait in the default partition (no insert failed)');
TRUNCATE report;
INSERT INTO report SELECT * FROM pg_temp.run('public.events', '2026-08-10 09:00:00+00');
SELECT results_eq($$SELECT partition_name FROM report WHERE action = 'created' ORDER BY step$$,
	ARRAY['public.events_p2026_05', 'public.events_p2026_06', 'public.events_p2026_07', 'public.events_p2026_08',
		  'public.events_p2026_09', 'public.events_p2026_10', 'public.events_p2026_11'],
	'a run after months without one makes the months that received rows meanwhile, then premake ahead');
SELECT results_eq($$SELECT partition_name, split_part(detail, ' ', 1)::bigint FROM report WHERE action = 'rows_moved' ORDER BY step$$,
	$$SELECT 'public.events_p' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY_MM'), count(*)
	  FROM public.events WHERE occurred_at >= '2026-05-01 00:00:00+00' GROUP BY 1 ORDER BY 1$$,
	'the rows of the default partition are moved into the partitions of their months (May, June, July)');
SELECT is((SELECT count(*) FROM ONLY public.events_default), 0::bigint, 'the default partition is empty after the run');
SELECT is((SELECT count(*) FROM public.events WHERE occurred_at >= '2026-05-01 00:00:00+00'), 300::bigint,
	'no row is lost');
SELECT is_empty($$SELECT * FROM public.events AS e
				  JOIN pactoria.partition_bounds('public.events') AS b ON b.partition_table = e.tableoid
				  WHERE NOT (e.occurred_at AT TIME ZONE 'UTC' >= b.lower_bound AND e.occurred_at AT TIME ZONE 'UTC' < b.upper_bound)$$,
	'every row is in the partition whose bounds hold it');

----------------------------------------------------------------------------------
-- Back-dated rows, three years old: 25000 spread over 18 months, and 12000 more in
-- August 2023 so that its move takes two batches of 10000 and one more.
----------------------------------------------------------------------------------
INSERT INTO public.events (occurred_at, payload)
SELECT timestamptz '2023-08-01 00:00:00+00' + i * interval '31 minutes', 'back-dated ' || i
FROM generate_series(0, 24999) AS i;
INSERT INTO public.events (occurred_at, payload)
SELECT timestamptz '2023-08-01 00:00:00+00' + i * interval '3 minutes', 'dense ' || i
FROM generate_series(0, 11999) AS i;
CREATE TEMP TABLE back_dated AS
	SELECT id, occurred_at, payload, payload_length FROM public.events WHERE occurred_at < '2026-01-01';
CREATE TEMP VIEW back_dated_months AS
	SELECT 'public.events_p' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY_MM') AS partition_name, count(*) AS row_count
	FROM back_dated GROUP BY 1;
SELECT is((SELECT count(*) FROM back_dated), 37000::bigint, 'the back-dated rows were inserted without error');
SELECT is((SELECT count(*) FROM ONLY public.events_default WHERE occurred_at < '2026-01-01'), 37000::bigint,
	'back-dated rows land in the default partition');
TRUNCATE report;
INSERT INTO report SELECT * FROM pg_temp.run('public.events', '2026-08-10 09:00:00+00');
SELECT results_eq($$SELECT partition_name FROM report WHERE action = 'created' ORDER BY step$$,
	$$SELECT partition_name FROM back_dated_months ORDER BY 1$$,
	'each month holding back-dated rows gets its partition (18 months, 2023-08 to 2025-01)');
SELECT results_eq($$SELECT partition_name, split_part(detail, ' ', 1)::bigint FROM report WHERE action = 'rows_moved' ORDER BY step$$,
	$$SELECT partition_name, row_count FROM back_dated_months ORDER BY 1$$,
	'the report counts the rows moved into each, 13440 of them into 2023-08 in three batches');
SELECT is_empty($$SELECT 1 FROM report AS r WHERE r.action = 'rows_moved'
				  AND NOT EXISTS (SELECT 1 FROM report AS c WHERE c.step = r.step - 1 AND c.action = 'created' AND c.partition_name = r.partition_name)$$,
	'each rows_moved row follows the created row of its partition');
SELECT is((SELECT count(*) FROM ONLY public.events_default), 0::bigint, 'the default partition is empty again');
SELECT set_eq($$SELECT id, occurred_at, payload, payload_length FROM public.events WHERE occurred_at < '2026-01-01'$$,
	$$SELECT * FROM back_dated$$,
	'every back-dated row arrived unchanged: same id, time, payload and generated column');
SELECT is_empty($$SELECT * FROM pg_temp.run('public.events', '2026-08-10 09:00:00+00')$$,
	'the next run is a no-op: no month between the back-dated partitions and now is filled in');

----------------------------------------------------------------------------------
-- Existing irregular partitions are respected: only uncovered ranges are made.
----------------------------------------------------------------------------------
CREATE TABLE public.events_irregular PARTITION OF public.events
	FOR VALUES FROM ('2025-02-15 00:00:00+00') TO ('2025-03-15 00:00:00+00');
INSERT INTO public.events (occurred_at, payload) VALUES
	('2025-02-03 00:00:00+00', 'before the irregular partition'),
	('2025-03-20 00:00:00+00', 'after it');
TRUNCATE report;
INSERT INTO report SELECT * FROM pg_temp.run('public.events', '2026-08-10 09:00:00+00');
SELECT results_eq($$SELECT action, partition_name, detail FROM report WHERE action = 'created' ORDER BY step$$,
	$$VALUES ('created', 'public.events_p2025_02', 'FOR VALUES FROM (''2025-02-01 00:00:00+00'') TO (''2025-02-15 00:00:00+00'')'),
			 ('created', 'public.events_p2025_03_15', 'FOR VALUES FROM (''2025-03-15 00:00:00+00'') TO (''2025-04-01 00:00:00+00'')')$$,
	'around an irregular partition only the uncovered parts of the months are made, named by their start');
SELECT is((SELECT count(*) FROM ONLY public.events_default), 0::bigint, 'and their rows moved');

----------------------------------------------------------------------------------
-- maintenance_steps(), which the background worker reads: run_maintenance()'s
-- report with the rows each step moved as a number.
----------------------------------------------------------------------------------
INSERT INTO public.events (occurred_at, payload)
SELECT timestamptz '2025-06-01 00:00:00+00' + i * interval '1 day', 'for maintenance_steps' FROM generate_series(0, 6) AS i
UNION ALL
SELECT timestamptz '2025-09-01 00:00:00+00' + i * interval '1 day', 'for maintenance_steps' FROM generate_series(0, 4) AS i;
CREATE TEMP TABLE steps AS
	SELECT * FROM pactoria.maintenance_steps('public.events', '2026-08-10 09:00:00+00')
		WITH ORDINALITY AS r(parent_table, partition_name, action, detail, rows_moved, step);
SELECT results_eq($$SELECT action, partition_name, rows_moved FROM steps ORDER BY step$$,
	$$VALUES ('created', 'public.events_p2025_06', 0::bigint), ('rows_moved', 'public.events_p2025_06', 7::bigint),
			 ('created', 'public.events_p2025_09', 0::bigint), ('rows_moved', 'public.events_p2025_09', 5::bigint)$$,
	'maintenance_steps() reports each step with the rows it moved as a number (7, 5; 0 for a created partition)');
SELECT is_empty($$SELECT 1 FROM steps WHERE action = 'rows_moved' AND split_part(detail, ' ', 1)::bigint <> rows_moved$$,
	'the number is the one its detail states');
SELECT is((SELECT (last_run_outcome -> 'rows_moved')::bigint FROM pactoria.partition_config WHERE parent_table = 'public.events'::regclass),
	12::bigint, 'the last run''s outcome counts the same rows');
SELECT is_empty($$SELECT * FROM pg_temp.run('public.events', '2026-08-10 09:00:00+00')$$,
	'run_maintenance() then has nothing left to do: the work was done');

----------------------------------------------------------------------------------
-- Retention by real bounds, never by name.
----------------------------------------------------------------------------------
CREATE TABLE public.readings (taken_at timestamp NOT NULL, value numeric) PARTITION BY RANGE (taken_at);
CREATE TABLE public.readings_archive PARTITION OF public.readings FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
-- Named as if it were old, but its upper bound is recent: a wide, irregular partition.
CREATE TABLE public.readings_p2020_01 PARTITION OF public.readings FOR VALUES FROM ('2024-05-01') TO ('2025-06-01');
INSERT INTO public.readings VALUES ('2023-06-01', 1), ('2024-05-02', 2), ('2025-05-20', 3);
SELECT pactoria.register_partitioned_table('public.readings', retention => '12 months');
SELECT lives_ok($$SELECT * FROM pactoria.run_maintenance('public.readings', '2024-01-10 00:00:00+00')$$,
	'maintenance of a table partitioned on a timestamp (without time zone) column runs');
SELECT results_eq($$SELECT * FROM pg_temp.partitions('public.readings')$$,
	ARRAY['readings_archive - 2024-01-01 00:00:00',
		  'readings_p2024_01 2024-01-01 00:00:00 2024-02-01 00:00:00',
		  'readings_p2024_02 2024-02-01 00:00:00 2024-03-01 00:00:00',
		  'readings_p2024_03 2024-03-01 00:00:00 2024-04-01 00:00:00',
		  'readings_p2024_04 2024-04-01 00:00:00 2024-05-01 00:00:00',
		  'readings_p2020_01 2024-05-01 00:00:00 2025-06-01 00:00:00',
		  'readings_default - -'],
	'partition_bounds shows MINVALUE as NULL and the irregular partition with its real bounds');
TRUNCATE report;
INSERT INTO report SELECT * FROM pg_temp.run('public.readings', '2026-03-10 00:00:00+00');
SELECT results_eq($$SELECT partition_name FROM report WHERE action = 'dropped' ORDER BY step$$,
	ARRAY['public.readings_archive', 'public.readings_p2024_01', 'public.readings_p2024_02',
		  'public.readings_p2024_03', 'public.readings_p2024_04'],
	'retention (12 months before 2026-03-10) drops exactly the partitions whose upper bound is at or before 2025-03-10');
SELECT ok(EXISTS (SELECT 1 FROM pactoria.partition_bounds('public.readings') WHERE partition_table = 'public.readings_p2020_01'::regclass),
	'the wide partition whose upper bound (2025-06-01) is after the cutoff is kept, whatever its name says');
SELECT results_eq($$SELECT value FROM public.readings ORDER BY taken_at$$, ARRAY[2, 3]::numeric[],
	'its rows, old and retained alike, are still there');
SELECT ok((SELECT max(step) FROM report WHERE action = 'created') < (SELECT min(step) FROM report WHERE action = 'dropped'),
	'partitions are created before any is dropped');
SELECT results_eq($$SELECT partition_name FROM report WHERE action = 'created' ORDER BY step$$,
	ARRAY['public.readings_p2026_03', 'public.readings_p2026_04', 'public.readings_p2026_05', 'public.readings_p2026_06'],
	'the months since the newest partition that received no rows get no partition; the current one and premake do');
SELECT is_empty($$SELECT * FROM pg_temp.run('public.readings', '2026-03-10 00:00:00+00')$$,
	'running retention twice is a no-op');

-- detach keeps the table; a partition whose bound passes the cutoff leaves then.
SELECT pactoria.register_partitioned_table('public.readings', retention => '12 months', retention_action => 'detach');
TRUNCATE report;
INSERT INTO report SELECT * FROM pg_temp.run('public.readings', '2026-06-05 00:00:00+00');
SELECT results_eq($$SELECT action, partition_name FROM report WHERE action IN ('detached', 'dropped') ORDER BY step$$,
	$$VALUES ('detached', 'public.readings_p2020_01')$$,
	'once its upper bound is past the cutoff the wide partition goes, detached as configured');
SELECT results_eq($$SELECT relispartition, (SELECT count(*) FROM public.readings_p2020_01) FROM pg_class WHERE oid = 'public.readings_p2020_01'::regclass$$,
	$$VALUES (false, 2::bigint)$$,
	'a detached partition stays as an ordinary table with its rows');

----------------------------------------------------------------------------------
-- before_removal: called just before a partition leaves; if it raises, it stays.
----------------------------------------------------------------------------------
CREATE TABLE public.removal_log (partition_name text, rows_then bigint);
CREATE FUNCTION public.note_removal(partition regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('INSERT INTO public.removal_log SELECT %L, count(*) FROM %s', partition, partition);
END $$;
CREATE FUNCTION public.refuse_removal(partition regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'checkpoint of % failed', partition;
END $$;
SELECT pactoria.register_partitioned_table('public.events', retention => '30 months', before_removal => 'public.note_removal(regclass)');
TRUNCATE report;
INSERT INTO report SELECT * FROM pg_temp.run('public.events', '2026-08-10 09:00:00+00');
SELECT results_eq($$SELECT partition_name FROM report WHERE action = 'dropped' ORDER BY step$$,
	ARRAY['public.events_p2023_08', 'public.events_p2023_09', 'public.events_p2023_10', 'public.events_p2023_11',
		  'public.events_p2023_12', 'public.events_p2024_01'],
	'retention of 30 months drops the partitions ending by 2024-02-10');
SELECT results_eq($$SELECT partition_name, rows_then FROM public.removal_log ORDER BY 1$$,
	$$SELECT partition_name, row_count FROM back_dated_months WHERE partition_name < 'public.events_p2024_02' ORDER BY 1$$,
	'before_removal was called for each partition while it still had all its rows');

SELECT pactoria.register_partitioned_table('public.events', retention => '29 months', before_removal => 'public.refuse_removal(regclass)');
TRUNCATE report;
INSERT INTO report SELECT * FROM pg_temp.run('public.events', '2026-08-10 09:00:00+00');
SELECT results_eq($$SELECT action, partition_name, detail FROM report ORDER BY step$$,
	$$VALUES ('skipped', 'public.events_p2024_02',
			  'Past retention but kept: checkpoint of public.events_p2024_02 failed (SQLSTATE P0001); it is tried again at the next run.')$$,
	'when before_removal raises, the partition is kept and reported as skipped with the error');
SELECT is((SELECT count(*) FROM public.events_p2024_02),
	(SELECT row_count FROM back_dated_months WHERE partition_name = 'public.events_p2024_02'),
	'the kept partition has all its rows');
SELECT results_eq($$SELECT last_run_outcome ->> 'skipped' FROM pactoria.partition_config WHERE parent_table = 'public.events'::regclass$$,
	ARRAY['1'], 'the skip is counted in the last run''s outcome');

----------------------------------------------------------------------------------
-- Other intervals and key types.
----------------------------------------------------------------------------------
CREATE TABLE public.daily_totals (day date, total numeric) PARTITION BY RANGE (day);
SELECT pactoria.register_partitioned_table('public.daily_totals', '1 day', 2);
SELECT results_eq($$SELECT partition_name, detail FROM pg_temp.run('public.daily_totals', '2028-02-28 15:00:00+00') ORDER BY step$$,
	$$VALUES ('public.daily_totals_p2028_02_28', 'FOR VALUES FROM (''2028-02-28'') TO (''2028-02-29'')'),
			 ('public.daily_totals_p2028_02_29', 'FOR VALUES FROM (''2028-02-29'') TO (''2028-03-01'')'),
			 ('public.daily_totals_p2028_03_01', 'FOR VALUES FROM (''2028-03-01'') TO (''2028-03-02'')')$$,
	'daily partitions of a date column, across a leap day');
INSERT INTO public.daily_totals VALUES (NULL, 1), ('infinity', 2);
SELECT results_eq($$SELECT action, partition_name, detail FROM pg_temp.run('public.daily_totals', '2028-02-28 15:00:00+00')$$,
	$$VALUES ('skipped', 'public.daily_totals_default',
			  '2 rows of the default partition have a NULL or infinite day: no range partition can hold them, so they stay there.')$$,
	'rows no range partition can hold stay in the default partition and are reported');

CREATE TABLE public.weekly (at timestamptz) PARTITION BY RANGE (at);
SELECT pactoria.register_partitioned_table('public.weekly', '1 week', 1);
SELECT results_eq($$SELECT partition_name, detail FROM pg_temp.run('public.weekly', '2026-01-01 12:00:00+00') ORDER BY step$$,
	$$VALUES ('public.weekly_p2025_12_29', 'FOR VALUES FROM (''2025-12-29 00:00:00+00'') TO (''2026-01-05 00:00:00+00'')'),
			 ('public.weekly_p2026_01_05', 'FOR VALUES FROM (''2026-01-05 00:00:00+00'') TO (''2026-01-12 00:00:00+00'')')$$,
	'weekly partitions start on Monday (ISO weeks)');

CREATE TABLE public.quarterly (at timestamptz) PARTITION BY RANGE (at);
SELECT pactoria.register_partitioned_table('public.quarterly', '3 months', 0);
SELECT results_eq($$SELECT partition_name, detail FROM pg_temp.run('public.quarterly', '2026-05-10 00:00:00+00')$$,
	$$VALUES ('public.quarterly_p2026_04', 'FOR VALUES FROM (''2026-04-01 00:00:00+00'') TO (''2026-07-01 00:00:00+00'')')$$,
	'quarterly partitions start with a quarter; premake 0 makes only the current one');

----------------------------------------------------------------------------------
-- Ownership, names, unregistering.
----------------------------------------------------------------------------------
CREATE ROLE pactoria_test_partition_owner;
CREATE TABLE public.owned (at timestamptz) PARTITION BY RANGE (at);
ALTER TABLE public.owned OWNER TO pactoria_test_partition_owner;
SELECT pactoria.register_partitioned_table('public.owned', premake => 0);
SELECT lives_ok($$SELECT pactoria.run_maintenance('public.owned', '2026-01-15')$$, 'maintenance of a table owned by another role runs');
SELECT results_eq($$SELECT relname::text COLLATE "default", relowner::regrole::text FROM pg_class
					WHERE relname LIKE 'owned\_%' AND relkind = 'r' ORDER BY 1$$,
	$$VALUES ('owned_default', 'pactoria_test_partition_owner'), ('owned_p2026_01', 'pactoria_test_partition_owner')$$,
	'partitions belong to the owner of their parent, not to whoever ran maintenance');

CREATE TABLE public.a_table_name_that_is_long_enough_to_need_shortening_for_it (at timestamptz)
	PARTITION BY RANGE (at);
CREATE TABLE public.a_table_name_that_is_long_enough_to_need_shortening_p2026_01 (note text);
SELECT pactoria.register_partitioned_table('public.a_table_name_that_is_long_enough_to_need_shortening_for_it', premake => 0);
SELECT results_eq($$SELECT partition_name FROM pg_temp.run('public.a_table_name_that_is_long_enough_to_need_shortening_for_it', '2026-01-15')$$,
	ARRAY['public.a_table_name_that_is_long_enough_to_need_shorteni_p2026_01_2'],
	'a long parent name is shortened so the partition name stays under 63 bytes, and a taken name gets a number');

SELECT lives_ok($$SELECT pactoria.unregister_partitioned_table('public.weekly')$$, 'unregister_partitioned_table works');
SELECT ok(NOT EXISTS (SELECT 1 FROM pactoria.partition_config WHERE parent_table = 'public.weekly'::regclass)
		  AND (SELECT count(*) FROM pactoria.partition_bounds('public.weekly')) = 3,
	'unregistering forgets the table and leaves its partitions');
CREATE TEMP TABLE dropped AS SELECT 'public.quarterly'::regclass::oid AS parent;
DROP TABLE public.quarterly;
SELECT is((SELECT count(*) FROM pactoria.partition_config WHERE parent_table::oid = (SELECT parent FROM dropped)), 0::bigint,
	'dropping a registered table removes its registration');

----------------------------------------------------------------------------------
-- create_monthly_partition, the seeds' name, runs maintenance for every table.
-- One more month ahead for system_metrics, so that it has a partition to make
-- even where maintenance has already run this month.
----------------------------------------------------------------------------------
INSERT INTO pactoria.system_config (key, value)
SELECT 'partition.system_metrics.premake', to_jsonb(premake + 1) FROM pactoria.partition_settings
WHERE parent_table = 'pactoria.system_metrics'::regclass
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
SELECT bag_has($$SELECT DISTINCT parent_table::text FROM pactoria.create_monthly_partition() WHERE action = 'created'$$,
	$$VALUES ('pactoria.system_metrics'), ('events'), ('readings')$$,
	'create_monthly_partition() runs maintenance (at the present time) for every registered table');

SELECT * FROM finish();
ROLLBACK;
