#!/usr/bin/env bash
# The audit log under partition maintenance: entries written before any partition
# exists land in the default partition and run_maintenance moves them into month
# partitions; a month past the 7-year retention is checkpointed and dropped in the
# same run; the chains verify at every step, and a second run does nothing.
source "$(dirname "$0")/lib.bash"
plan 11

db=$(fresh_database audit_retention) || { echo "Bail out! cannot create database"; exit 1; }
company=00000000-0000-7000-8000-0000000f0001
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! CREATE EXTENSION pactoria failed"; exit 1; }

is "$(sql "$db" "SELECT before_removal || ' ' || retention_action FROM pactoria.partition_config WHERE parent_table = 'pactoria.audit_logs'::regclass")" \
	"pactoria.audit_checkpoint(regclass) drop" "audit_logs is registered for maintenance, checkpointed before removal"
is "$(sql "$db" "SELECT retention FROM pactoria.partition_settings WHERE parent_table = 'pactoria.audit_logs'::regclass")" \
	"7 years" "its retention is 7 years"
is "$(sql "$db" "SELECT count(*) FROM pactoria.partition_bounds('pactoria.audit_logs') WHERE NOT is_default")" "0" \
	"CREATE EXTENSION makes no month partition (only the default one)"

# activity <timestamp>: a contract created and edited, and an export, recorded at <timestamp>.
activity() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
SET pactoria.audit_occurred_at = '$1';
SET pactoria.company_id = '$company';
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by) VALUES ('$company', 'Contract of $1', 'services', '$company');
UPDATE pactoria.contracts SET title = title || ' (edited)' WHERE title = 'Contract of $1';
SELECT pactoria.log_event('export', 'contract');
SQL
}
ok psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "
	INSERT INTO pactoria.companies (id, name) VALUES ('$company', 'Retention Ltd');
	INSERT INTO pactoria.users (company_id, id, email, full_name, role) VALUES ('$company', '$company', 'r@retention.example', 'R', 'admin');" \
	"a company and its user"
ok sh -c "$(declare -f activity); db=$db company=$company; activity '2018-03-15 10:00+00' && activity '2021-06-15 10:00+00' && activity '$(date -u +%Y-%m-%d) 00:00:01+00'" \
	"entries recorded in March 2018 (past retention), June 2021 and today"
entries=$(sql "$db" "SELECT count(*) FROM pactoria.audit_logs")
is "$(sql "$db" "SELECT count(*) FROM pactoria.verify_audit_log()")" "0" "the chain verifies with every entry in the default partition"

report=$(sql "$db" "SELECT string_agg(action || ' ' || partition_name, ', ' ORDER BY action, partition_name) FROM pactoria.run_maintenance('pactoria.audit_logs')")
diag "maintenance: $report"
ok grep -q "dropped pactoria.audit_logs_p2018_03" <<<"$report" "the March 2018 partition is made, filled and dropped by retention"
is "$(sql "$db" "SELECT count(*) FROM pactoria.audit_logs_default")" "0" "the default partition is emptied into month partitions"
is "$(sql "$db" "SELECT count(*) + (SELECT sum(entry_count) FROM pactoria.audit_checkpoints) FROM pactoria.audit_logs")" "$entries" \
	"every entry is in a month partition or accounted for by the checkpoint of the dropped one"
is "$(sql "$db" "SELECT count(*) FROM pactoria.verify_audit_log()")" "0" "the chain still verifies after retention dropped a partition"
is "$(sql "$db" "SELECT count(*) FROM pactoria.run_maintenance('pactoria.audit_logs') WHERE action <> 'skipped'")" "0" \
	"a second run does nothing"

done_testing
