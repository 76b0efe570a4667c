#!/usr/bin/env bash
# The per-table hostile tests of test/pgtap/30_tenancy_hostile.sql, on the
# distributed schema: two companies with a row in every tenant table (the same
# fixture, test/fixtures/tenancy_fixture.sql), and the application role, resumed
# as company A, tries every table against company B through the coordinator.
# Each statement is a transaction of its own: Citus refuses, in one transaction,
# the application's statements on shards the owner has just written.
#
# Per table: the fixture has rows of both; A sees all its rows and none of B's,
# even asking for them; UPDATE and DELETE of B's rows touch none (or are refused
# without the privilege); an INSERT of a copy of B's row and an UPDATE moving A's
# rows to B are refused; B's rows are unchanged at the end.
source "$(dirname "$0")/lib.bash"

db=pactoria_citus_hostile_tables
role=pactoria_citus_hostile_tables_app
drop_role_at_end "$role"
setup=$(cluster_database "$db" 2>&1 \
	&& sql "$db" "SET client_min_messages = warning; CREATE EXTENSION pactoria CASCADE;
				  SELECT count(*) FROM pactoria.distribute_tables();
				  CREATE ROLE $role LOGIN;
				  SELECT pactoria.grant_application_access('$role');
				  CREATE SCHEMA tenancy_test; GRANT USAGE ON SCHEMA tenancy_test TO $role;" 2>&1 \
	&& psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$(dirname "$0")/../fixtures/tenancy_fixture.sql" 2>&1) \
	|| { echo "Bail out! setup failed: $setup"; exit 1; }
read -r a b < <(sql "$db" "SELECT tenancy_test.load_company('Hostile Alpha Ltd', 'alpha.example'),
							   tenancy_test.load_company('Hostile Bravo Ltd', 'bravo.example')" | tr '|' ' ')
[ -n "$b" ] || { echo "Bail out! the fixture did not load"; exit 1; }
a_admin=$(sql "$db" "SELECT id FROM pactoria.users WHERE company_id = '$a' AND role = 'admin'")
token=$(sql "$db" "SELECT session_token FROM pactoria.create_session('$a', '$a_admin')")

# The tenant tables, found as the pgTAP suite finds them: a company_id column and
# some privilege of the application on the table.
mapfile -t tables < <(sql "$db" "SELECT c.oid::regclass FROM pg_class AS c
	JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped
	WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
	  AND has_table_privilege('$role', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
	ORDER BY 1::text")
[ "${#tables[@]}" -ge 15 ] || { echo "Bail out! only ${#tables[@]} tenant tables found"; exit 1; }
plan $((8 * ${#tables[@]} + 1))
is "$(sql "$db" "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::text = ANY (string_to_array('$(IFS=,; echo "${tables[*]}")', ','))")" \
	"${#tables[@]}" "every tenant table the application can reach is on the cluster"

# app <statement>: as the application, resumed as company A, in one transaction
# (rolled back); prints what \echo :ROW_COUNT prints, or the error's SQLSTATE.
app() {
	local out
	out=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -U "$role" -d "$db" 2>&1 <<SQL
BEGIN;
\o /dev/null
SELECT * FROM pactoria.resume_session('$token');
$1;
\o
\echo :ROW_COUNT
ROLLBACK;
SQL
)
	if grep -q '^ERROR:' <<<"$out"; then
		grep -o 'ERROR:  [0-9A-Z]\{5\}' <<<"$out" | head -1 | cut -c9-
	else
		tail -1 <<<"$out"
	fi
}
app_value() {		# app_value <query>: its one value, as the application resumed as A
	app_transaction "$1" ROLLBACK
}
checksum() {		# checksum <table> <company>, as the owner
	sql "$db" "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM $1 AS t WHERE company_id = '$2'"
}

for t in "${tables[@]}"; do
	a_rows=$(sql "$db" "SELECT count(*) FROM $t WHERE company_id = '$a'")
	b_rows=$(sql "$db" "SELECT count(*) FROM $t WHERE company_id = '$b'")
	visible=$(sql "$db" "SELECT count(*) FROM $t WHERE company_id = '$a' OR company_id IS NULL")
	before=$(checksum "$t" "$b")
	b_row=$(sql "$db" "SELECT to_jsonb(t) FROM $t AS t WHERE company_id = '$b' LIMIT 1")
	ok test "$a_rows" -gt 0 -a "$b_rows" -gt 0 "$t: the fixture has rows of both companies ($a_rows and $b_rows)"

	is "$(app_value "SELECT count(*) FROM $t;")" "$visible" "$t: company A sees all its rows"
	other="company_id IS DISTINCT FROM '$a'"
	[ "$t" = pactoria.templates ] && other="$other AND company_id IS NOT NULL"
	is "$(app_value "SELECT count(*) FROM $t WHERE $other;")" "0" \
		"$t: company A sees no row of another company, even asking for them"

	for statement in UPDATE DELETE; do
		if [ "$statement" = UPDATE ]; then
			query="UPDATE $t SET company_id = company_id WHERE company_id = '$b'"
		else
			query="DELETE FROM $t WHERE company_id = '$b'"
		fi
		if [ "$(sql "$db" "SELECT has_table_privilege('$role', '$t', '$statement')")" = t ]; then
			is "$(app "$query")" "0" "$t: $statement of company B's rows touches none"
		else
			is "$(app "$query")" "42501" "$t: $statement of company B's rows is refused"
		fi
	done

	insert=$(sql "$db" "SELECT tenancy_test.copy_insert('$t', \$json\$$b_row\$json\$::jsonb)")
	is "$(app "$insert")" "42501" "$t: INSERT of a row with company B's company_id is refused"
	# Citus refuses to change a distribution column (0A000) before the policy would
	# (42501); a reference table's row meets the policy.
	moved=$(app "UPDATE $t SET company_id = '$b' WHERE company_id = '$a'")
	ok grep -Eqx '42501|0A000' <<<"$moved" "$t: UPDATE moving company A's rows to company B is refused ($moved)"
	is "$(checksum "$t" "$b")" "$before" "$t: company B's rows are unchanged"
done

done_testing
