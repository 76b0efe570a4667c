#!/usr/bin/env bash
# Dump and restore on the 3-node cluster (issue 17), as the README's Citus
# section gives it (Citus's "Small Database Migration"): pg_dump -Fc of the
# coordinator; pg_restore with session_replication_role = replica into a new
# database whose workers are added first (the dump's own CREATE EXTENSION citus
# left out: the new database has it); distribute_tables(), which copies the
# restored rows into the shards with no trigger firing; grant_application_access()
# again.  Then every row is back once, no version, audit entry or seat was added,
# every chain verifies, and the application's next write extends its chain.
source "$(dirname "$0")/lib.bash"
plan 13

source_db=pactoria_citus_dump_source
target_db=pactoria_citus_dump_target
role=pactoria_citus_dump_app
drop_role_at_end "$role"
scratch_dir

setup=$(cluster_database "$source_db" 2>&1 && sql "$source_db" "SET client_min_messages = warning;
	CREATE EXTENSION pactoria CASCADE;
	SELECT count(*) FROM pactoria.distribute_tables();
	CREATE ROLE $role LOGIN;
	SELECT pactoria.grant_application_access('$role');" 2>&1) || { echo "Bail out! setup failed: $setup"; exit 1; }
read -r company user < <(sql "$source_db" "SELECT company_id, user_id FROM pactoria.create_company('Dumped Ltd', 'admin@dumped.example', 'Dumped Admin')" | tr '|' ' ')
token=$(sql "$source_db" "SELECT session_token FROM pactoria.create_session('$company', '$user')")

db=$source_db
contract=$(app_transaction "INSERT INTO pactoria.contracts (company_id, title, contract_type, final_content)
							VALUES ('$company', 'Warehouse lease', 'lease', 'The tenant pays monthly.') RETURNING id;")
app_transaction "UPDATE pactoria.contracts SET final_content = 'The tenant pays quarterly.' WHERE company_id = '$company' AND id = '$contract';
				 INSERT INTO pactoria.risk_assessments (company_id, risk_name, risk_category, likelihood, impact)
				 VALUES ('$company', 'Late payment', 'financial', 2, 3);
				 SELECT pactoria.log_event('export', 'contract', '$contract', '{\"format\": \"pdf\"}');" >/dev/null
ok grep -Eq '^[0-9a-f-]{36}$' <<<"$contract" "the source has a contract, a second version, a risk and an event"

# counts <database>: what must come back unchanged, row for row.
counts() {
	sql "$1" "SELECT (SELECT count(*) FROM pactoria.companies) || ' companies, '
				  || (SELECT count(*) FROM pactoria.users) || ' users, '
				  || (SELECT count(*) FROM pactoria.contracts) || ' contracts, '
				  || (SELECT count(*) FROM pactoria.contract_versions) || ' versions, '
				  || (SELECT count(*) FROM pactoria.risk_assessments) || ' risks, '
				  || (SELECT count(*) FROM pactoria.user_sessions) || ' sessions, '
				  || (SELECT count(*) FROM pactoria.audit_logs) || ' entries, '
				  || (SELECT max(chain_sequence) FROM pactoria.audit_chain_heads WHERE company_id = '$company') || ' seals, '
				  || (SELECT active_user_count FROM pactoria.companies WHERE id = '$company') || ' seats'"
}
before=$(counts "$source_db")
ok grep -Eq '^1 companies, 1 users, 1 contracts, 2 versions, 1 risks, 1 sessions, [1-9][0-9]* entries, [1-9][0-9]* seals, 1 seats$' <<<"$before" \
	"the source's rows are counted ($before)"

ok pg_dump -Fc -d "$source_db" -f "$TAP_WORK/dump" "pg_dump -Fc of the coordinator"
# The new database has Citus (and its workers) already: its dump entries are left out.
pg_restore -l "$TAP_WORK/dump" | grep -v -E ' EXTENSION - citus| COMMENT - EXTENSION citus' >"$TAP_WORK/list"
setup=$(cluster_database "$target_db" 2>&1) || { echo "Bail out! target: $setup"; exit 1; }
out=$(PGOPTIONS='-c session_replication_role=replica' pg_restore --exit-on-error -d "$target_db" -L "$TAP_WORK/list" "$TAP_WORK/dump" 2>&1)
is "$?:$out" "0:" "pg_restore with session_replication_role = replica into a database whose workers are added"

is "$(sql "$target_db" "SET client_min_messages = warning;
						SELECT count(*) FILTER (WHERE action = 'created') FROM pactoria.distribute_tables()" 2>&1)" "30" \
	"distribute_tables() puts the restored tables on the cluster"
is "$(sql "$target_db" "SELECT count(DISTINCT n.nodeport) || ' workers, ' || count(*) FILTER (WHERE n.groupid = 0) || ' on the coordinator'
						FROM pg_dist_shard AS s JOIN pg_dist_placement AS p USING (shardid) JOIN pg_dist_node AS n USING (groupid)
						WHERE s.logicalrelid = 'pactoria.contracts'::regclass")" "2 workers, 0 on the coordinator" \
	"the shards of contracts are on both workers"
is "$(counts "$target_db")" "$before" "every row is back once: no version, audit entry, seal or seat added by the copy"
is "$(sql "$target_db" "SELECT count(*) FROM pactoria.verify_audit_log()" 2>&1)" "0" "every restored chain verifies"
is "$(sql "$target_db" "SELECT count(*) FROM pactoria.contracts WHERE company_id = '$company' AND id = '$contract'")" "1" \
	"the contract is read from its shard"

seals=$(sql "$target_db" "SELECT chain_sequence FROM pactoria.audit_chain_heads WHERE company_id = '$company'")
ok sql "$target_db" "SELECT pactoria.grant_application_access('$role')" "grant_application_access() again, for the shards"
db=$target_db
is "$(app_transaction "UPDATE pactoria.contracts SET final_content = 'The tenant pays yearly.' WHERE company_id = '$company' AND id = '$contract' RETURNING version;")" \
	"3" "the restored session resumes and the application writes a third version"
is "$(sql "$target_db" "SELECT count(*) FROM pactoria.verify_audit_log('$company')" 2>&1)" "0" \
	"the new entries extend the restored chain, which still verifies"
is "$(sql "$target_db" "SELECT chain_sequence FROM pactoria.audit_chain_heads WHERE company_id = '$company'")" "$((seals + 1))" \
	"and its head moved on by the one transaction"
done_testing
