#!/usr/bin/env bash
# Partition maintenance next to other sessions: a partition another transaction has
# locked is skipped and reported (never waited for), two runs never overlap, and
# while clients insert without pause and maintenance runs again and again, every
# row arrives and no client sees an error.
source "$(dirname "$0")/lib.bash"
plan 14

db=$(fresh_database partition_concurrency) || { echo "Bail out! cannot create database"; exit 1; }
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! cannot create the extension"; exit 1; }

# wait_for <database> <query>: poll (up to 10 s) until the query returns t.
wait_for() {
	local i
	for i in $(seq 1 100); do
		[ "$(sql "$1" "$2" 2>/dev/null)" == "t" ] && return 0
		sleep 0.1
	done
	return 1
}
background_pids=()
trap 'for pid in "${background_pids[@]+"${background_pids[@]}"}"; do kill "$pid" 2>/dev/null; done' EXIT

#---------------------------------------------------------------------------------
# A locked partition is skipped and reported; the others go.
#---------------------------------------------------------------------------------
sql "$db" "CREATE TABLE public.events (occurred_at timestamptz NOT NULL, payload text) PARTITION BY RANGE (occurred_at);
		   SELECT pactoria.register_partitioned_table('public.events', retention => '1 month');
		   SELECT count(*) FROM pactoria.run_maintenance('public.events', '2026-01-15');" >/dev/null

psql -X -q -d "$db" -c "BEGIN" -c "LOCK TABLE public.events_p2026_02 IN ACCESS SHARE MODE" \
	-c "SELECT pg_sleep(30)" -c "COMMIT" >/dev/null 2>&1 &
background_pids+=($!)
ok wait_for "$db" "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'public.events_p2026_02'::regclass AND granted AND pid <> pg_backend_pid())" \
	"another session holds a lock on events_p2026_02 (it is reading it)"

report=$(sql "$db" "SELECT string_agg(action || ' ' || partition_name, ', ' ORDER BY partition_name)
					FROM pactoria.run_maintenance('public.events', '2026-06-15') WHERE action <> 'created'")
is "$report" "dropped public.events_p2026_01, skipped public.events_p2026_02, dropped public.events_p2026_03, dropped public.events_p2026_04" \
	"maintenance drops the partitions past retention and skips the locked one instead of waiting for it"
is "$(sql "$db" "SELECT detail FROM pactoria.run_maintenance('public.events', '2026-06-15')")" \
	"Past retention but kept: a lock it needs is held by another transaction (lock_timeout 100ms); it is tried again at the next run." \
	"the skip says why, and the next run tries again"
is "$(sql "$db" "SELECT count(*) FROM pactoria.partition_bounds('public.events') WHERE partition_table = 'public.events_p2026_02'::regclass")" "1" \
	"the locked partition is still attached"

sql "$db" "SELECT pg_cancel_backend(pid) FROM pg_locks WHERE relation = 'public.events_p2026_02'::regclass AND pid <> pg_backend_pid()" >/dev/null
wait "${background_pids[@]}" 2>/dev/null
background_pids=()
is "$(sql "$db" "SELECT string_agg(action || ' ' || partition_name, ', ') FROM pactoria.run_maintenance('public.events', '2026-06-15')")" \
	"dropped public.events_p2026_02" "once the lock is released, the next run drops it"

#---------------------------------------------------------------------------------
# A table locked as a whole is skipped as a whole; inserts are never blocked long.
#---------------------------------------------------------------------------------
psql -X -q -d "$db" -c "BEGIN" -c "LOCK TABLE public.events IN ACCESS EXCLUSIVE MODE" \
	-c "SELECT pg_sleep(30)" -c "COMMIT" >/dev/null 2>&1 &
background_pids+=($!)
ok wait_for "$db" "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'public.events'::regclass AND mode = 'AccessExclusiveLock' AND granted)" \
	"another session holds an ACCESS EXCLUSIVE lock on the whole table"
is "$(sql "$db" "SELECT action || ': ' || detail FROM pactoria.run_maintenance('public.events', '2026-07-15')")" \
	"skipped: The table was not maintained: a lock it needs is held by another transaction (lock_timeout 100ms); it is tried again at the next run." \
	"maintenance skips the table and says why"
sql "$db" "SELECT pg_cancel_backend(pid) FROM pg_locks WHERE relation = 'public.events'::regclass AND pid <> pg_backend_pid()" >/dev/null
wait "${background_pids[@]}" 2>/dev/null
background_pids=()

#---------------------------------------------------------------------------------
# One run at a time.
#---------------------------------------------------------------------------------
psql -X -q -d "$db" -c "BEGIN" -c "SELECT count(*) FROM pactoria.run_maintenance()" \
	-c "SELECT pg_sleep(30)" -c "COMMIT" >/dev/null 2>&1 &
background_pids+=($!)
ok wait_for "$db" "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid())" \
	"a run of maintenance is in progress in another session (its transaction is still open)"
is "$(sql "$db" "SELECT count(*) || ' ' || min(action) || ': ' || min(detail) FROM pactoria.run_maintenance()")" \
	"1 skipped: Another run of pactoria.run_maintenance() is in progress in this database; this run did nothing." \
	"a second run at the same time does nothing and says so in one row"
sql "$db" "SELECT pg_cancel_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()" >/dev/null
wait "${background_pids[@]}" 2>/dev/null
background_pids=()

#---------------------------------------------------------------------------------
# Four clients insert for three seconds while a fifth runs maintenance back to back.
#---------------------------------------------------------------------------------
sql "$db" "CREATE TABLE public.ticks (at timestamptz NOT NULL, client integer NOT NULL, serial bigint NOT NULL,
									  PRIMARY KEY (client, serial, at)) PARTITION BY RANGE (at);
		   CREATE SEQUENCE public.ticks_serial;
		   SELECT pactoria.register_partitioned_table('public.ticks', premake => 1);" >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-ticks.XXXXXX")
# Times spread over eight months, so rows keep reaching months that have no
# partition yet and land in the default partition, from which maintenance moves
# them; maintenance runs at a random month each time.
echo "INSERT INTO public.ticks VALUES (timestamptz '2026-01-01 00:00:00+00' + random() * interval '240 days', :client_id, nextval('public.ticks_serial'));" \
	>"$work/insert.sql"
echo "SELECT count(*) FROM pactoria.run_maintenance('public.ticks', timestamptz '2026-01-15' + interval '1 month' * floor(random() * 9));" \
	>"$work/maintain.sql"
pgbench -n -c 4 -j 2 -T 3 -f "$work/insert.sql" "$db" >"$work/insert.out" 2>&1 &
insert_pid=$!
pgbench -n -c 1 -T 3 -f "$work/maintain.sql" "$db" >"$work/maintain.out" 2>&1
maintain_status=$?
wait "$insert_pid"
insert_status=$?
processed() { awk '/^number of transactions actually processed/ {split($6, n, "/"); print n[1]}' "$1"; }
failed() { awk '/^number of failed transactions/ {print $5}' "$1"; }
inserted=$(processed "$work/insert.out")
diag "$inserted rows inserted while maintenance ran $(processed "$work/maintain.out") times"

is "$insert_status $(failed "$work/insert.out")" "0 0" "the inserting clients finished without a single error"
is "$maintain_status $(failed "$work/maintain.out")" "0 0" "and so did every run of maintenance"
ok test "$(processed "$work/maintain.out")" -ge 20 "maintenance ran again and again meanwhile (at least 20 times)"
sql "$db" "SELECT count(*) FROM pactoria.run_maintenance('public.ticks', '2026-09-15')" >/dev/null
is "$(sql "$db" "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE tableoid = 'public.ticks_default'::regclass) || ' in the default partition'
				 FROM public.ticks")" \
	"$inserted rows, 0 in the default partition" \
	"every row arrived and, after a last run, every one is in the partition of its month"
is "$(sql "$db" "SELECT count(*) FROM public.ticks AS t JOIN pactoria.partition_bounds('public.ticks') AS b ON b.partition_table = t.tableoid
				 WHERE NOT (t.at AT TIME ZONE 'UTC' >= b.lower_bound AND t.at AT TIME ZONE 'UTC' < b.upper_bound)")" "0" \
	"and each is within the bounds of the partition that holds it"
[ "$TAP_FAILED" -eq 0 ] || cat "$work"/*.out >&2
rm -rf "$work"

done_testing
