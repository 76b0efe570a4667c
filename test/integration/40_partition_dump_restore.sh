#!/usr/bin/env bash
# pg_dump / pg_restore of partitioned tables kept by pactoria: every partition made
# by maintenance, the rows of the DEFAULT partitions, the user's registrations and
# the settings of the extension's own tables come back, nothing is duplicated, and
# the restored database behaves exactly like the original.
#
# CREATE EXTENSION makes no dated partition, so restoring on another date works: the
# dated partitions are ordinary tables, dumped with their DDL and data.
source "$(dirname "$0")/lib.bash"
plan 14

dump_databases partition_dump || { echo "Bail out! cannot create databases"; exit 1; }

# Every partition of every registered table with its bounds and row count.
partition_counts() {
	sql "$1" "SELECT string_agg(format('%s %s %s %s', c.parent_table, b.partition_table, coalesce(b.lower_bound::text, '-'),
										 (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', b.partition_table), false, true, '')))[1]),
							  E'\n' ORDER BY c.parent_table::text, b.is_default, b.lower_bound)
			  FROM pactoria.partition_config AS c, pactoria.partition_bounds(c.parent_table) AS b"
}
registrations() {
	sql "$1" "SELECT string_agg(format('%s %s %s %s %s %s %s', parent_table, partition_interval, premake, retention,
										 retention_action, before_removal, registered_by_extension), E'\n' ORDER BY parent_table::text)
			  FROM pactoria.partition_settings"
}
report() {			# report <database> <time>: what maintenance did to the two tables set up here
	sql "$1" "SELECT string_agg(format('%s %s %s %s', parent_table, partition_name, action, detail), E'\n' ORDER BY n)
			  FROM pactoria.run_maintenance(NULL, '$2') WITH ORDINALITY AS r(parent_table, partition_name, action, detail, n)
			  WHERE parent_table IN ('pactoria.system_metrics'::regclass, 'public.events'::regclass)"
}

ok sql "$source_db" "CREATE EXTENSION pactoria CASCADE" "pactoria is installed in the source database"
ok sql "$source_db" "
	INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-0000000000d1', 'Dump Test Ltd');
	INSERT INTO pactoria.system_config (key, value) VALUES ('partition.system_metrics.premake', '5');
	-- The rows dated 2031 below are to be moved by maintenance, so its window reaches them.
	INSERT INTO pactoria.system_config (key, value) VALUES ('partition.max_future_partitions', '300');
	INSERT INTO pactoria.system_metrics (company_id, metric_name, metric_value, recorded_at)
	SELECT '00000000-0000-7000-8000-0000000000d1', 'test.metric', i,
		   timestamptz '2025-09-01 00:00:00+00' + i * interval '90 minutes'
	FROM generate_series(0, 2999) AS i;
	CREATE TABLE public.events (occurred_at timestamptz NOT NULL, payload text) PARTITION BY RANGE (occurred_at);
	CREATE INDEX events_occurred_at_idx ON public.events (occurred_at);
	CREATE TABLE public.removals (partition_name text);
	CREATE FUNCTION public.note_removal(partition regclass) RETURNS void LANGUAGE sql
		AS \$\$ INSERT INTO public.removals VALUES (partition::text) \$\$;
	SELECT pactoria.register_partitioned_table('public.events', '1 week', 2, '20 weeks', 'detach', 'public.note_removal(regclass)');
	INSERT INTO public.events SELECT timestamptz '2025-10-01 00:00:00+00' + i * interval '1 hour', 'event ' || i
	FROM generate_series(0, 3999) AS i;
	SELECT count(*) FROM pactoria.run_maintenance(NULL, '2026-02-10 00:00:00+00');
	-- Left in the default partitions for the restore to keep.
	INSERT INTO pactoria.system_metrics (company_id, metric_name, metric_value, recorded_at)
	SELECT '00000000-0000-7000-8000-0000000000d1', 'test.future', v, t
	FROM (VALUES (1, timestamptz '2031-01-01'), (2, '2031-01-02'), (3, '2031-02-01')) AS f(v, t);
	INSERT INTO public.events VALUES ('2031-01-01', 'future');
" "metrics over six months, a user table with weekly partitions, maintenance run, rows left in the default partitions"

before_counts=$(partition_counts "$source_db")
before_registrations=$(registrations "$source_db")
is "$(sql "$source_db" "SELECT count(*) > 30 FROM pactoria.partition_config AS c, pactoria.partition_bounds(c.parent_table)")" "t" \
	"the source has the partitions maintenance made"

ok pg_dump -Fc -d "$source_db" -f "$dump_file" "pg_dump writes the source"
restore_log=$(PGOPTIONS='-c session_replication_role=replica' pg_restore --exit-on-error --single-transaction \
	-d "$target_db" "$dump_file" 2>&1)
is "$?:$restore_log" "0:" "pg_restore restores it in one transaction without a single error"

is "$(partition_counts "$target_db")" "$before_counts" \
	"every partition comes back with its bounds and its rows, the default partitions' rows included"
is "$(registrations "$target_db")" "$before_registrations" \
	"the registrations and the settings in force are the same (the user's, and system_metrics' premake 5 from system_config)"
is "$(pg_restore --data-only --table=partition_config -f - "$dump_file" | grep -cE '^(pactoria|public)\.')" "1" \
	"the dump holds the user's registration only; the extension's own are made by the restoring CREATE EXTENSION"
is "$(sql "$target_db" "SELECT count(*) FROM pactoria.partition_bounds('pactoria.system_metrics') WHERE is_default")" "1" \
	"system_metrics has one default partition after the restore"
is "$(sql "$target_db" "SELECT string_agg(pg_get_indexdef(indexrelid), ' ') FROM pg_index WHERE indrelid = 'public.events_p2026_02_09'::regclass")" \
	"CREATE INDEX events_p2026_02_09_occurred_at_idx ON public.events_p2026_02_09 USING btree (occurred_at)" \
	"a restored partition keeps its index"

source_report=$(report "$source_db" "2026-02-10 00:00:00+00")
target_report=$(report "$target_db" "2026-02-10 00:00:00+00")
is "$target_report" "$source_report" "maintenance in the restored database does exactly what it does in the source"
is "$(grep -c 'rows_moved' <<<"$target_report")" "3" \
	"(it moves the restored default rows: two months of system_metrics, one week of events)"
is "$(report "$target_db" "2026-02-10 00:00:00+00")" "" "a second run in the restored database is a no-op"
later=$(report "$target_db" "2026-04-20 00:00:00+00" | awk '{print $3}' | sort | uniq -c | tr -s ' ' | paste -sd ',' -)
is "$later; $(sql "$target_db" "SELECT count(*) FROM public.removals") removals noted" " 5 created, 9 detached; 9 removals noted" \
	"maintenance goes on later as usual: 2 months of metrics and 3 weeks of events made, 9 weeks past retention detached after note_removal"

done_testing
