#!/usr/bin/env bash
# A signed tenant context set in a backend that has not loaded pactoria yet (a
# plain SET LOCAL as the first statement, which is what a Citus coordinator
# forwards to a worker) is checked when the library loads, with the key file and
# the clock already known: it counts, in that transaction only.  A forged one
# set the same way counts for nothing.  A parallel worker restores its leader's
# context before the key file setting and takes it as verified by the leader.
source "$(dirname "$0")/lib.bash"
plan 4

db=$(fresh_database context_before_load) || { echo "Bail out! cannot create database"; exit 1; }
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! CREATE EXTENSION pactoria failed"; exit 1; }
read -r company user < <(sql "$db" "SELECT company_id, user_id FROM pactoria.create_company('IT32 Ltd', 'admin@it32.example', 'IT32 Admin')" | tr '|' ' ')
token=$(sql "$db" "SELECT session_token FROM pactoria.create_session('$company', '$user')")
context=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<SQL
BEGIN;
\o /dev/null
SELECT * FROM pactoria.resume_session('$token');
\o
SELECT current_setting('pactoria.context');
COMMIT;
SQL
)

# Fresh connections: the SET LOCAL comes before anything loads the library.
got=$(psql -X -q -A -t -d "$db" -c "BEGIN; SET LOCAL pactoria.context = '$context'; SELECT pactoria.current_company_id(); COMMIT;" 2>&1)
is "$got" "$company" "a context set before the library loaded is verified when it loads and counts"
got=$(psql -X -q -A -t -d "$db" -c "BEGIN; SET LOCAL pactoria.context = '$context'; COMMIT;" \
	-c "SELECT coalesce(pactoria.current_company_id()::text, 'none')" 2>&1)
is "$got" "none" "and only in its transaction"
got=$(psql -X -q -A -t -d "$db" -c "BEGIN; SET LOCAL pactoria.context = '${context%?}x'; SELECT coalesce(pactoria.current_company_id()::text, 'none'); COMMIT;" 2>&1)
is "$(grep -v WARNING <<<"$got" | grep -v DETAIL | grep -v HINT)" "none" "a tampered one counts for nothing"
got=$(psql -X -q -A -t -d "$db" 2>&1 <<SQL
BEGIN;
\o /dev/null
SELECT * FROM pactoria.resume_session('$token');
\o
SET LOCAL force_parallel_mode = on;
SET LOCAL parallel_setup_cost = 0;
SELECT pactoria.current_company_id();
COMMIT;
SQL
)
is "$got" "$company" "a parallel worker sees its leader's signed context"
done_testing
