#!/usr/bin/env bash
# On a standby, partition maintenance does nothing: run_maintenance() returns one
# 'skipped' row and changes nothing, and the background worker does not even start.
# Once the standby is promoted, the worker starts and maintains the tables.
#
# Runs on a fresh primary of its own (test/cluster.sh --fresh) and a streaming
# standby made from it with pg_basebackup, both throwaway.
if [ -z "${PACTORIA_STANDBY_TEST_PRIMARY:-}" ]; then
	exec env PACTORIA_STANDBY_TEST_PRIMARY=1 "$(dirname "$0")/../cluster.sh" run --fresh -- "$0"
fi
source "$(dirname "$0")/lib.bash"
plan 10

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_server_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

db=pactoria_standby
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" || { echo "Bail out! cannot create database"; exit 1; }
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! cannot create the extension"; exit 1; }
# Partitions as of a year ago; a metric of 40 days ago then lands in the default partition.
sql "$db" "SELECT count(*) FROM pactoria.run_maintenance(NULL, now() - interval '1 year');
		   INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-0000000040c1', 'Standby Ltd');
		   INSERT INTO pactoria.system_metrics (company_id, metric_name, metric_value, recorded_at)
		   VALUES ('00000000-0000-7000-8000-0000000040c1', 'test.recent', 1, now() - interval '40 days');" >/dev/null

standby_dir=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-standby.XXXXXX")
[ "$(id -u)" -eq 0 ] && chown postgres: "$standby_dir"
chmod 700 "$standby_dir"
as_server_user mkdir -p "$standby_dir/socket"
trap 'as_server_user "$PG_BIN/pg_ctl" -D "$standby_dir/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$standby_dir"' EXIT

ok as_server_user "$PG_BIN/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U postgres -D "$standby_dir/data" -R -X stream -c fast \
	"pg_basebackup makes a standby of the primary"
standby_port=$((PGPORT + 1))
ok as_server_user "$PG_BIN/pg_ctl" -D "$standby_dir/data" -l "$standby_dir/postgresql.log" -w -t 60 \
	-o "-c port=$standby_port -c unix_socket_directories='$standby_dir/socket' -c shared_preload_libraries=pactoria -c pactoria.maintenance_interval=1 -c pactoria.maintenance_databases=$db" \
	start "the standby starts, with pactoria preloaded and maintenance every second"
standby() { PGHOST="$standby_dir/socket" PGPORT=$standby_port sql "$db" "$1"; }
partitions() { sql "$db" "SELECT count(*) FROM pactoria.partition_bounds('pactoria.system_metrics')"; }

is "$(standby "SELECT pg_is_in_recovery()")" "t" "the standby is in recovery"
is "$(standby "SELECT count(*) || ' ' || min(action) || ': ' || min(detail) FROM pactoria.run_maintenance()")" \
	"1 skipped: The server is a standby (in recovery): maintenance runs on the primary, whose partitions reach the standby by replication." \
	"run_maintenance() on a standby returns one skipped row saying why"
before=$(standby "SELECT count(*) FROM pactoria.partition_bounds('pactoria.system_metrics')")
sleep 3
is "$(standby "SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'pactoria maintenance%'")" "0" \
	"no maintenance worker runs on the standby"
is "$(standby "SELECT count(*) FROM pactoria.partition_bounds('pactoria.system_metrics')") $(standby "SELECT count(*) FROM pactoria.system_metrics_default")" \
	"$before 1" "nothing changed on the standby: same partitions, the recent row still in the default partition"

ok as_server_user "$PG_BIN/pg_ctl" -D "$standby_dir/data" -w promote "the standby is promoted"
promoted=no
for i in $(seq 1 100); do
	if [ "$(standby "SELECT count(*) FROM pactoria.system_metrics_default")" == "0" ]; then promoted=yes; break; fi
	sleep 0.2
done
is "$promoted" "yes" "once promoted, the maintenance worker starts and moves the row out of the default partition"
is "$(standby "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pactoria maintenance launcher'")" "1" \
	"the maintenance launcher runs on the promoted server"
is "$(standby "SELECT tableoid::regclass = format('pactoria.system_metrics_p%s', to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY_MM'))::regclass
				FROM pactoria.system_metrics WHERE metric_name = 'test.recent'")" "t" \
	"into the partition the worker made for its month"

done_testing
