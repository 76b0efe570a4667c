#!/usr/bin/env bash
# The application role against the distributed schema, as in the hostile
# suites of one server: what it may not do through the coordinator, and what
# it finds connecting to a worker itself, where its grants reach the shards.
# The role has no citus.propagate_set_commands setting: resume_session()
# forwards the tenant context whatever its value.
source "$(dirname "$0")/lib.bash"
plan 11

db=pactoria_citus_hostile
role=pactoria_citus_hostile_app
workers=(${CITUS_WORKER_PORTS:?test/citus.sh sets CITUS_WORKER_PORTS})
drop_role_at_end "$role"
setup=$(cluster_database "$db" 2>&1 \
	&& sql "$db" "SET client_min_messages = warning; CREATE EXTENSION pactoria CASCADE;
				  SELECT count(*) FROM pactoria.distribute_tables();
				  CREATE ROLE $role LOGIN;
				  SELECT pactoria.grant_application_access('$role');" 2>&1) \
	|| { echo "Bail out! setup failed: $setup"; exit 1; }
read -r company user < <(sql "$db" "SELECT company_id, user_id FROM pactoria.create_company('Hostile Own Ltd', 'own@hostile.example', 'Own')" | tr '|' ' ')
read -r other other_user < <(sql "$db" "SELECT company_id, user_id FROM pactoria.create_company('Hostile Other Ltd', 'other@hostile.example', 'Other')" | tr '|' ' ')
token=$(sql "$db" "SELECT session_token FROM pactoria.create_session('$company', '$user')")
other_contract=$(sql "$db" "SELECT pactoria.set_context('$other', '$other_user');
	INSERT INTO pactoria.contracts (company_id, title, contract_type, final_content)
	VALUES ('$other', 'Other company secret', 'nda', 'Secret terms') RETURNING id" | tail -1)

as_app() { app_transaction "$1"; }	# one transaction of the application role
sqlstate_of() {		# sqlstate_of <sql>: the SQLSTATE the application's statement fails with
	APP_VERBOSITY=verbose app_transaction "$1" ROLLBACK | grep -o 'ERROR:  [0-9A-Z]\{5\}' | head -1 | cut -c9-
}

is "$(as_app "SELECT count(*) FROM pactoria.contracts WHERE company_id = '$other';")" "0" \
	"the other company's contract is not visible, even asked for by its company_id"
is "$(as_app "SELECT count(*) FROM pactoria.contracts WHERE id = '$other_contract';")" "0" "nor by its id"
is "$(sqlstate_of "INSERT INTO pactoria.contracts (company_id, title, contract_type, final_content) VALUES ('$other', 'Planted', 'nda', 'x');")" \
	"42501" "a contract written for the other company is refused on its shard"
is "$(sqlstate_of "UPDATE pactoria.contracts SET title = 'Defaced' WHERE id = '$other_contract' RETURNING id;")" "" \
	"an update of the other company's contract finds nothing (no error, nothing changed)"
is "$(sql "$db" "SELECT title FROM pactoria.contracts WHERE id = '$other_contract'")" "Other company secret" "and it is unchanged"
is "$(sqlstate_of "SET LOCAL pactoria.company_id = '$other';")" "42501" \
	"the superuser-only tenant setting is refused to the application"
is "$(sqlstate_of "SELECT pactoria.set_context('$other');")" "42501" "so is set_context()"
is "$(sqlstate_of "INSERT INTO pactoria.audit_logs (company_id, id, occurred_at, event_type, resource_type, transaction_id, chain_position, chain_hash)
				   VALUES ('$company', gen_random_uuid(), now(), 'export', 'report', '0', 0, '');")" "42501" \
	"the application cannot write the audit log, not even a routing request"
is "$(sqlstate_of "SELECT * FROM pactoria.distribute_tables();")" "42501" "nor distribute the tables"

# Connecting to a worker itself: its grants reach the shards, its policies too.
node=$(sql "$db" "SELECT n.nodeport FROM pg_dist_placement AS p JOIN pg_dist_node AS n USING (groupid)
				  WHERE p.shardid = get_shard_id_for_distribution_column('pactoria.contracts', '$other'::uuid)")
shard=$(sql "$db" "SELECT shard_name('pactoria.contracts', get_shard_id_for_distribution_column('pactoria.contracts', '$other'::uuid))")
is "$(PGPORT=$node psql -X -q -A -t -U "$role" -d "$db" -c "SET citus.override_table_visibility = off" \
		-c "SELECT count(*) FROM $shard" 2>&1)" "0" \
	"on the worker, the shard holding the other company's contract shows the application nothing"
out=$(PGPORT=$node psql -X -q -A -t -U "$role" -d "$db" -c "SELECT pactoria.version()" \
		-c "SET pactoria.context = 'v1.forged.context'" 2>&1)
ok grep -q 'invalid tenant context' <<<"$out" "and a forged tenant context is refused there"

done_testing
