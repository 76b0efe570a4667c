#!/usr/bin/env bash
# pg_dump / pg_restore of the audit trail.  Entries across several months: in
# month partitions made as partition maintenance makes them (ordinary tables,
# CREATE TABLE ... PARTITION OF), in the default partition (an extension member),
# and in a partition already removed by retention (its checkpoint).  Restored as
# the README says, with session_replication_role = replica: every entry is
# there, the chains verify, the partitions keep their protection, and new
# entries continue the chains.
source "$(dirname "$0")/lib.bash"
plan 13

db=$(fresh_database audit_dump) || { echo "Bail out! cannot create database"; exit 1; }
restored=$(fresh_database audit_restore) || { echo "Bail out! cannot create database"; exit 1; }
first=00000000-0000-7000-8000-0000000e0001
second=00000000-0000-7000-8000-0000000e0002
scratch_dir || { echo "Bail out! cannot make a scratch directory"; exit 1; }
work=$TAP_WORK

ok sql "$db" "CREATE EXTENSION pactoria CASCADE" "pactoria installs"

# history <timestamp>: a month of activity of both companies, recorded at <timestamp>.
history() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
SET pactoria.audit_occurred_at = '$1';
SET pactoria.company_id = '$first';
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by, contract_value)
VALUES ('$first', 'Contract of $1', 'services', '$first', 100);
UPDATE pactoria.contracts SET contract_value = contract_value + 1 WHERE company_id = '$first';
SELECT pactoria.log_event('export', 'contract');
SET pactoria.company_id = '$second';
BEGIN;
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by) VALUES ('$second', 'Lease of $1', 'lease', '$second');
SELECT pactoria.log_event('read', 'contract');
COMMIT;
SQL
}

ok psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "
	INSERT INTO pactoria.companies (id, name) VALUES ('$first', 'Dump One Ltd'), ('$second', 'Dump Two Ltd');
	INSERT INTO pactoria.users (company_id, id, email, full_name, hashed_password) VALUES
		('$first', '$first', 'one@dump.example', 'One', repeat('x', 60)),
		('$second', '$second', 'two@dump.example', 'Two', repeat('y', 60));
	CREATE TABLE pactoria.audit_logs_2024_01 PARTITION OF pactoria.audit_logs FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2024-02-01 00:00+00');
	CREATE TABLE pactoria.audit_logs_2024_02 PARTITION OF pactoria.audit_logs FOR VALUES FROM ('2024-02-01 00:00+00') TO ('2024-03-01 00:00+00');
	CREATE TABLE pactoria.audit_logs_2024_03 PARTITION OF pactoria.audit_logs FOR VALUES FROM ('2024-03-01 00:00+00') TO ('2024-04-01 00:00+00');" \
	"companies, users and three month partitions"
ok sh -c "$(declare -f history); db=$db first=$first second=$second; history '2024-01-15 10:00+00' && history '2024-02-15 10:00+00' && history '2024-03-15 10:00+00' && history '2024-05-15 10:00+00'" \
	"entries recorded in January, February, March and (no partition: the default) May"
ok psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SELECT pactoria.audit_checkpoint('pactoria.audit_logs_2024_01')" \
	-c "DROP TABLE pactoria.audit_logs_2024_01" \
	-c "INSERT INTO pactoria.system_config (key, value) VALUES ('audit.redacted_columns', '{\"pactoria.contracts\": [\"client_email\"]}')" \
	"January leaves by retention, with its checkpoint; a column is configured as redacted"

census="SELECT string_agg(format('%s:%s:%s', tableoid::regclass, count, commits), ' ' ORDER BY tableoid::regclass::text)
        FROM (SELECT tableoid, count(*), count(chain_sequence) AS commits FROM pactoria.audit_logs GROUP BY tableoid) AS counts"
before=$(sql "$db" "$census")
diag "before: $before"
is "$(sql "$db" "SELECT count(*) FROM pactoria.verify_audit_log()")" "0" "the chains verify before the dump"

ok pg_dump -Fc -d "$db" -f "$work/audit.dump" "pg_dump"
PGOPTIONS='-c session_replication_role=replica' pg_restore -d "$restored" --exit-on-error "$work/audit.dump" >"$work/restore.log" 2>&1
status=$?
is "$status" 0 "pg_restore with session_replication_role = replica"
[ "$status" -eq 0 ] && true || sed 's/^/# /' "$work/restore.log" | head -20 >&2

is "$(sql "$restored" "$census")" "$before" "every entry is restored, in the same partitions"
is "$(sql "$restored" "SELECT count(*) FROM pactoria.verify_audit_log()")" "0" "the restored chains verify, across the removed partition too"
is "$(sql "$restored" "SELECT count(*) FROM pg_trigger WHERE tgname = 'trg_audit_logs_refuse_truncate' AND tgrelid IN ('pactoria.audit_logs_2024_02'::regclass, 'pactoria.audit_logs_2024_03'::regclass)")" \
	"2" "the restored month partitions keep their TRUNCATE protection (once each)"
is "$(sql "$restored" "SELECT count(*) FROM pg_depend WHERE classid = 'pg_class'::regclass AND objid = 'pactoria.audit_logs_2024_02'::regclass AND deptype = 'e'")" \
	"0" "a month partition is an ordinary table, not an extension member"
is "$(sql "$restored" "SELECT treatment FROM pactoria.audit_columns('pactoria.contracts') WHERE column_name = 'client_email'")" \
	"redacted" "the audit column settings are restored"
# The restored contracts are drafts: sending them for review is a lifecycle step.
ok psql -X -q -v ON_ERROR_STOP=1 -d "$restored" -c "SET pactoria.company_id = '$first'" \
	-c "UPDATE pactoria.contracts SET status = 'pending_review' WHERE company_id = '$first'" \
	-c "SELECT 1 / (count(*) = 0)::integer FROM pactoria.verify_audit_log()" \
	-c "SELECT 1 / (max(chain_sequence) = (SELECT chain_sequence FROM pactoria.audit_chain_head('$first')))::integer FROM pactoria.audit_logs WHERE company_id = '$first'" \
	"new entries after the restore continue the chain, which still verifies"

done_testing
