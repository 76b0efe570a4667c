#!/usr/bin/env bash
# The maintenance background worker, on a throwaway cluster of its own with pactoria
# in shared_preload_libraries and maintenance every 2 seconds: it reports a listed
# database that does not exist and one without the extension (once each), makes
# partitions as soon as the extension is there, logs every run, follows a reload of
# its settings, is restarted when it dies, and never keeps a database busy.  It adds
# up the rows moved from maintenance_steps()' rows_moved column, and in a database
# still at 0.1.0 (library installed, ALTER EXTENSION UPDATE not run) from 0.1.0's
# run_maintenance().
if [ -z "${PACTORIA_WORKER_TEST_CLUSTER:-}" ]; then
	exec env PACTORIA_WORKER_TEST_CLUSTER=1 "$(dirname "$0")/../cluster.sh" run \
		--set shared_preload_libraries=pactoria \
		--set pactoria.maintenance_interval=2s \
		--set pactoria.maintenance_databases=pactoria_worker,pactoria_worker_missing,pactoria_worker_0_1_0 \
		-- "$0"
fi
source "$(dirname "$0")/lib.bash"
plan 19

log="$PACTORIA_CLUSTER_DIR/postgresql.log"
db=pactoria_worker
old_db=pactoria_worker_0_1_0
wait_for() {			# wait_for <database> <query> [seconds]: poll until it returns t
	local i
	for i in $(seq 1 $((${3:-20} * 5))); do
		[ "$(sql "$1" "$2" 2>/dev/null)" == "t" ] && return 0
		sleep 0.2
	done
	return 1
}
log_has() {				# log_has <extended regex> [seconds]: wait until a line of the server log matches
	local i
	for i in $(seq 1 $((${2:-10} * 5))); do
		grep -qE "$1" "$PACTORIA_CLUSTER_DIR/postgresql.log" && return 0	# not $log: ok() has a local of that name
		sleep 0.2
	done
	return 1
}
log_count_reaches() {	# log_count_reaches <extended regex> <n> [seconds]: wait until n lines of the log match
	local i
	for i in $(seq 1 $((${3:-10} * 5))); do
		[ "$(grep -cE "$1" "$PACTORIA_CLUSTER_DIR/postgresql.log")" -ge "$2" ] && return 0
		sleep 0.2
	done
	return 1
}
launcher_pid() { sql postgres "SELECT pid FROM pg_stat_activity WHERE backend_type = 'pactoria maintenance launcher'"; }
last_run() { sql "$db" "SELECT last_run_at FROM pactoria.partition_config WHERE parent_table = 'pactoria.system_metrics'::regclass"; }

ok wait_for postgres "SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'pactoria maintenance launcher'" 10 \
	"the maintenance launcher is running"
psql -X -q -d postgres -c "CREATE DATABASE $db" -c "CREATE DATABASE $old_db" || { echo "Bail out! cannot create database"; exit 1; }
psql -X -q -d "$old_db" -c "CREATE EXTENSION pactoria VERSION '0.1.0' CASCADE" >/dev/null 2>&1 \
	|| { echo "Bail out! cannot install pactoria 0.1.0"; exit 1; }
# Three runs over the listed databases (each logs its line for the 0.1.0 database),
# not a fixed sleep: then each problem must have been reported exactly once.
ok log_count_reaches 'pactoria maintenance of database "pactoria_worker_0_1_0": ' 3 20 \
	"the worker has run three times over the listed databases"
is "$(grep -c 'database "pactoria_worker_missing" in pactoria.maintenance_databases does not exist' "$log")" "1" \
	"a listed database that does not exist is reported once, not at every run"
is "$(grep -c 'pactoria maintenance skips database "pactoria_worker": extension pactoria is not installed there' "$log")" "1" \
	"a listed database without the extension is skipped and reported once"

sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1
ok wait_for "$db" "SELECT count(*) = 5 FROM pactoria.partition_bounds('pactoria.system_metrics')" \
	"soon after CREATE EXTENSION the worker has made system_metrics' partitions: this month and 3 ahead (and the default)"
is "$(sql "$db" "SELECT string_agg(to_char(lower_bound, 'YYYY-MM'), ' ' ORDER BY lower_bound) FROM pactoria.partition_bounds('pactoria.system_metrics') WHERE NOT is_default")" \
	"$(sql "$db" "SELECT string_agg(to_char(m, 'YYYY-MM'), ' ' ORDER BY m) FROM generate_series(date_trunc('month', now() AT TIME ZONE 'UTC'), date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', interval '1 month') AS m")" \
	"the partitions are those of the current month and the three after it"
made=$(sql "$db" "SELECT count(*) FROM pactoria.partition_config AS c, pactoria.partition_bounds(c.parent_table) AS b WHERE NOT b.is_default")
ok grep -qE "pactoria maintenance of database \"pactoria_worker\": $made created, 0 rows moved, 0 detached, 0 dropped, 0 skipped" "$log" \
	"the run is logged with its counts ($made partitions of the registered tables made)"

sql "$db" "INSERT INTO pactoria.global_metrics (metric_name, metric_value, recorded_at) VALUES ('test.late', 1, now() - interval '200 days')" >/dev/null
ok wait_for "$db" "SELECT tableoid <> 'pactoria.global_metrics_default'::regclass FROM pactoria.global_metrics WHERE metric_name = 'test.late'" \
	"a row that reached the default partition is moved out by the next run"
ok log_has "pactoria maintenance of database \"pactoria_worker\": [0-9]+ created, 1 rows moved, " \
	"that run logs the one row it moved (maintenance_steps' rows_moved column)"

sql "$old_db" "INSERT INTO pactoria.system_metrics (metric_name, metric_value, recorded_at) VALUES ('test.late', 1, now() - interval '200 days')" >/dev/null
ok wait_for "$old_db" "SELECT tableoid <> 'pactoria.system_metrics_default'::regclass FROM pactoria.system_metrics WHERE metric_name = 'test.late'" \
	"in a database still at 0.1.0 the worker maintains too: the row is moved out"
ok log_has "pactoria maintenance of database \"pactoria_worker_0_1_0\": [0-9]+ created, 1 rows moved, " \
	"and that run logs the one row it moved (read from 0.1.0's run_maintenance())"
# Only pactoria_worker from here on, as before the 0.1.0 database was listed.
sql postgres "ALTER SYSTEM SET pactoria.maintenance_databases = 'pactoria_worker,pactoria_worker_missing'" >/dev/null
sql postgres "SELECT pg_reload_conf()" >/dev/null

first=$(last_run)
ok wait_for "$db" "SELECT last_run_at > '$first' FROM pactoria.partition_config WHERE parent_table = 'pactoria.system_metrics'::regclass" 10 \
	"the worker runs again every interval"

sql postgres "ALTER SYSTEM SET pactoria.maintenance_interval = 0" >/dev/null
sql postgres "SELECT pg_reload_conf()" >/dev/null
# The launcher says when it has applied the reload (after any run it was in has
# ended); from then on no run may start.  That a run does not happen is seen
# only over a window: 3 intervals of the old setting.  The window can make the
# test miss a fault, never fail a correct launcher.
ok log_has "pactoria partition maintenance is off" 10 \
	"the launcher logs that a reload with pactoria.maintenance_interval = 0 turned maintenance off"
stopped=$(last_run)
sleep 6
is "$(last_run)" "$stopped" "and from then on it runs no more"
sql postgres "ALTER SYSTEM SET pactoria.maintenance_interval = '1s'" >/dev/null
sql postgres "SELECT pg_reload_conf()" >/dev/null
ok wait_for "$db" "SELECT last_run_at > '$stopped' FROM pactoria.partition_config WHERE parent_table = 'pactoria.system_metrics'::regclass" 10 \
	"and after a reload with 1s it runs again"

old_pid=$(launcher_pid)
sql postgres "SELECT pg_terminate_backend($old_pid)" >/dev/null
ok wait_for postgres "SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'pactoria maintenance launcher' AND pid <> $old_pid" 30 \
	"a launcher that dies is restarted"
after_restart=$(last_run)
ok wait_for "$db" "SELECT last_run_at > '$after_restart' FROM pactoria.partition_config WHERE parent_table = 'pactoria.system_metrics'::regclass" 10 \
	"and goes on running maintenance"

ok psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE $db" \
	"a listed database can be dropped without FORCE: no worker stays connected to it"
is "$(grep -E 'ERROR|FATAL|PANIC|terminated by signal' "$log" | grep -v 'terminating background worker "pactoria maintenance launcher" due to administrator command')" "" \
	"the server log has no error and no crash, only the launcher's termination"

done_testing
