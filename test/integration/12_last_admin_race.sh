#!/usr/bin/env bash
# The last active admin of a company stays when two admins act at the same time,
# as the application role under row-level security.  Session A demotes one admin
# (leaving the other) and holds its transaction open; session B meanwhile demotes
# the other admin.  B must wait for A, then be refused: under READ COMMITTED it
# re-reads A's committed row and finds no other admin (23514; 42501 when A demoted
# B's own acting admin), under REPEATABLE READ it fails to serialize (40001).
# Either way the company ends with exactly one active admin, never zero.
source "$(dirname "$0")/lib.bash"
plan 9

company=00000000-0000-7000-8000-0000000012aa
admin1=00000000-0000-7000-8000-0000000012a1
admin2=00000000-0000-7000-8000-0000000012a2
db=$(fresh_database last_admin_race) || { echo "Bail out! cannot create database"; exit 1; }
drop_role_at_end pactoria_t12_race_app
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! CREATE EXTENSION pactoria failed"; exit 1; }
sql "$db" "DO \$\$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pactoria_t12_race_app') THEN
			CREATE ROLE pactoria_t12_race_app NOLOGIN;
		END IF;
	END \$\$;
	SELECT pactoria.grant_application_access('pactoria_t12_race_app');
	SELECT pactoria.grant_service_access('pactoria_t12_race_app');
	INSERT INTO pactoria.companies (id, name) VALUES ('$company', 'Admin Race Ltd');
	INSERT INTO pactoria.users (company_id, id, email, full_name, role) VALUES
		('$company', '$admin1', 'one@admin-race.example', 'One', 'admin'),
		('$company', '$admin2', 'two@admin-race.example', 'Two', 'admin');" >/dev/null \
	|| { echo "Bail out! setup failed"; exit 1; }

active_admins() { sql "$db" "SELECT count(*) FROM pactoria.users WHERE company_id = '$company' AND role = 'admin' AND is_active"; }
both_admins() { sql "$db" "UPDATE pactoria.users SET role = 'admin', is_active = true WHERE company_id = '$company'" >/dev/null; }

# race <isolation level> <A acts as> <A demotes> <B acts as> <B demotes>
race() {
	local isolation=$1 a_user=$2 a_target=$3 b_user=$4 b_target=$5
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null 2>&1 <<-SQL &
		BEGIN;
		SET LOCAL ROLE pactoria_t12_race_app;
		SELECT pactoria.set_context('$company', '$a_user');
		UPDATE pactoria.users SET role = 'viewer' WHERE id = '$a_target';
		SELECT pg_sleep(2);
		COMMIT;
	SQL
	local session_a=$! waited=0
	until [ "$(sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(2)%'")" == "1" ]; do
		sleep 0.1
		waited=$((waited + 1))
		[ "$waited" -lt 100 ] || { diag "session A never reached its sleep"; break; }
	done
	B_OUTPUT=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$db" 2>&1 <<-SQL
		BEGIN ISOLATION LEVEL $isolation;
		SET LOCAL ROLE pactoria_t12_race_app;
		SELECT pactoria.set_context('$company', '$b_user');
		SELECT count(*) FROM pactoria.users;
		UPDATE pactoria.users SET role = 'viewer' WHERE id = '$b_target';
		COMMIT;
	SQL
	)
	wait "$session_a"
}

# Each admin steps down at once.
race "READ COMMITTED" "$admin1" "$admin1" "$admin2" "$admin2"
ok grep -q "23514" <<<"$B_OUTPUT" "READ COMMITTED, both step down: the second finds no other admin (23514)"
is "$(active_admins)" "1" "READ COMMITTED, both step down: one active admin remains"
both_admins
race "REPEATABLE READ" "$admin1" "$admin1" "$admin2" "$admin2"
ok grep -q "40001" <<<"$B_OUTPUT" "REPEATABLE READ, both step down: the second fails to serialize (40001)"
is "$(active_admins)" "1" "REPEATABLE READ, both step down: one active admin remains"
both_admins

# Two admins demote each other at once.
race "READ COMMITTED" "$admin1" "$admin2" "$admin2" "$admin1"
ok grep -Eq "23514|42501" <<<"$B_OUTPUT" "READ COMMITTED, each demotes the other: the second is refused (it is no admin any more)"
is "$(active_admins)" "1" "READ COMMITTED, each demotes the other: one active admin remains"
both_admins
race "REPEATABLE READ" "$admin1" "$admin2" "$admin2" "$admin1"
ok grep -q "40001" <<<"$B_OUTPUT" "REPEATABLE READ, each demotes the other: the second fails to serialize (40001)"
is "$(active_admins)" "1" "REPEATABLE READ, each demotes the other: one active admin remains"

is "$(sql "$db" "SELECT count(*) FROM pactoria.verify_data_integrity()")" "0" "verify_data_integrity finds nothing"

done_testing
