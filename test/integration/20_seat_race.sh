#!/usr/bin/env bash
# The seat limit holds when two sessions add the last seat at the same time.
# Session A takes the last seat and holds its transaction open; session B adds
# another user meanwhile and must wait for A, then find no seat (READ COMMITTED) or
# fail to serialize (REPEATABLE READ, SQLSTATE 40001, which the application retries
# and then gets the seat error).  Either way the company never exceeds its limit.
source "$(dirname "$0")/lib.bash"
plan 6

db=$(fresh_database seat_race) || { echo "Bail out! cannot create database"; exit 1; }
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! CREATE EXTENSION pactoria failed"; exit 1; }
sql "$db" "INSERT INTO pactoria.companies (id, name, max_users) VALUES ('00000000-0000-7000-8000-00000000000a', 'Race Ltd', 2);
	INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000a', 'first@race.example', 'First');" >/dev/null

# race <isolation level> <suffix>: A takes the last seat, B tries while A is open.
race() {
	local isolation=$1 suffix=$2
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null 2>&1 <<-SQL &
		BEGIN;
		INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000a', 'a$suffix@race.example', 'A');
		SELECT pg_sleep(2);
		COMMIT;
	SQL
	local session_a=$! waited=0
	# Wait until A has inserted and sits in its sleep, holding the company row.
	until [ "$(sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(2)%'")" == "1" ]; do
		sleep 0.1
		waited=$((waited + 1))
		[ "$waited" -lt 100 ] || { diag "session A never reached its sleep"; break; }
	done
	B_OUTPUT=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$db" 2>&1 <<-SQL
		BEGIN ISOLATION LEVEL $isolation;
		SELECT count(*) FROM pactoria.users;
		INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000a', 'b$suffix@race.example', 'B');
		COMMIT;
	SQL
	)
	wait "$session_a"
}

race "READ COMMITTED" 1
ok grep -q "53400" <<<"$B_OUTPUT" "READ COMMITTED: the second session finds no free seat (53400)"
is "$(sql "$db" "SELECT count(*) FROM pactoria.users WHERE is_active")" "2" "READ COMMITTED: the company has exactly its 2 seats taken"

sql "$db" "UPDATE pactoria.users SET is_active = false WHERE email = 'a1@race.example'" >/dev/null
race "REPEATABLE READ" 2
ok grep -q "40001" <<<"$B_OUTPUT" "REPEATABLE READ: the second session fails to serialize (40001)"
is "$(sql "$db" "SELECT count(*) FROM pactoria.users WHERE is_active")" "2" "REPEATABLE READ: still exactly 2 active users"
is "$(sql "$db" "SELECT active_user_count FROM pactoria.companies")" "2" "the kept count agrees"
is "$(sql "$db" "SELECT count(*) FROM pactoria.verify_data_integrity()")" "0" "verify_data_integrity finds nothing"

done_testing
