#!/usr/bin/env bash
# Contract versioning across connections: many sessions updating one contract at
# once (READ COMMITTED, and REPEATABLE READ with retries) end with versions 1..N,
# no gap, no duplicate, no deadlock; the change summary lasts one transaction on a
# reused connection; pg_dump / pg_restore keeps the history, immutable and
# continuing; a large versioning UPDATE leaves no memory behind in the backend.
source "$(dirname "$0")/lib.bash"
plan 21

export PGOPTIONS='-c client_min_messages=warning'
company=00000000-0000-7000-8000-0000000c0001
author=00000000-0000-7000-8000-0000000c00a1
contract=00000000-0000-7000-8000-0000000c0c01
context="SET pactoria.company_id = '$company'; SET pactoria.user_id = '$author';"
scratch_dir || { echo "Bail out! cannot make a scratch directory"; exit 1; }
work=$TAP_WORK
server_log=${PACTORIA_CLUSTER_DIR:+$PACTORIA_CLUSTER_DIR/postgresql.log}
log_start=$( [ -n "$server_log" ] && [ -f "$server_log" ] && wc -c <"$server_log" || echo 0)

db=$(fresh_database versioning) || { echo "Bail out! cannot create database"; exit 1; }
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null || { echo "Bail out! CREATE EXTENSION failed"; exit 1; }
sql "$db" "INSERT INTO pactoria.companies (id, name) VALUES ('$company', 'Concurrent Contracts Ltd');
	$context
	INSERT INTO pactoria.users (company_id, id, email, full_name, role)
	VALUES ('$company', '$author', 'author@concurrent.example', 'Author', 'contract_manager');
	INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
	VALUES ('$company', '$contract', 'Shared draft', 'nda', 'Start');" >/dev/null \
	|| { echo "Bail out! setup failed"; exit 1; }

# versions_state: count, distinct numbers, lowest, highest, contracts.version.
versions_state() {
	sql "$db" "SELECT count(*), count(DISTINCT version_number), min(version_number), max(version_number),
				      (SELECT version FROM pactoria.contracts WHERE id = '$contract')
			   FROM pactoria.contract_versions WHERE contract_id = '$contract'"
}
# pgbench_value <log> <label>: the number after "label:" in pgbench's summary.
pgbench_value() { sed -n "s/^$2: \([0-9]*\).*/\1/p" "$1" | head -1; }

# --- READ COMMITTED: 8 sessions, 50 content updates each, all on one contract.
cat >"$work/update.sql" <<EOF
BEGIN;
SET LOCAL pactoria.company_id = '$company';
SET LOCAL pactoria.user_id = '$author';
SELECT pactoria.set_change_summary('client ' || :client_id);
UPDATE pactoria.contracts SET final_content = final_content || '.' WHERE id = '$contract';
COMMIT;
EOF
pgbench -n -c 8 -j 2 -t 50 -f "$work/update.sql" "$db" >"$work/read_committed.log" 2>&1
ok test $? -eq 0 "pgbench, READ COMMITTED: 8 clients x 50 updates of one contract ran"
is "$(pgbench_value "$work/read_committed.log" "number of transactions actually processed")" 400 \
	"READ COMMITTED: all 400 transactions committed"
is "$(pgbench_value "$work/read_committed.log" "number of failed transactions")" 0 \
	"READ COMMITTED: no transaction failed (no deadlock, no duplicate)"
is "$(versions_state)" "401|401|1|401|401" \
	"READ COMMITTED: versions 1..401, no gap, no duplicate, contracts.version 401"
is "$(sql "$db" "SELECT count(*) FROM pactoria.contract_versions
				 WHERE contract_id = '$contract' AND version_number > 1
				   AND change_summary ~ '^client [0-7]\$' AND created_by = '$author'")" 400 \
	"each version carries the summary and the user of the transaction that made it"
is "$(sql "$db" "SELECT count(*) FROM pactoria.contract_versions AS v
				 WHERE contract_id = '$contract' AND length(v.final_content) <> length('Start') + v.version_number - 1")" 0 \
	"version N holds the content after N - 1 updates: no update was lost or recorded twice"

# --- REPEATABLE READ: conflicting sessions fail with 40001 and pgbench retries them.
cat >"$work/update_repeatable_read.sql" <<EOF
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET LOCAL pactoria.company_id = '$company';
SET LOCAL pactoria.user_id = '$author';
UPDATE pactoria.contracts SET final_content = final_content || '.' WHERE id = '$contract';
COMMIT;
EOF
pgbench -n -c 8 -j 2 -t 25 --max-tries=1000 -f "$work/update_repeatable_read.sql" "$db" \
	>"$work/repeatable_read.log" 2>&1
ok test $? -eq 0 "pgbench, REPEATABLE READ with retries: 8 clients x 25 updates of one contract ran"
is "$(pgbench_value "$work/repeatable_read.log" "number of transactions actually processed")" 200 \
	"REPEATABLE READ: all 200 transactions committed in the end"
is "$(pgbench_value "$work/repeatable_read.log" "number of failed transactions")" 0 \
	"REPEATABLE READ: none failed for good"
retried=$(pgbench_value "$work/repeatable_read.log" "number of transactions retried")
diag "REPEATABLE READ: ${retried:-?} transactions were retried after a serialization failure"
ok test "${retried:-0}" -gt 0 "REPEATABLE READ: concurrent updates did conflict (40001) and were retried"
is "$(versions_state)" "601|601|1|601|601" \
	"REPEATABLE READ: versions 1..601, no gap, no duplicate"
if [ -n "$server_log" ] && [ -f "$server_log" ]; then
	deadlocks=$(tail -c +"$((log_start + 1))" "$server_log" | grep -c "deadlock detected")
else
	deadlocks=0
	diag "no server log to read; relying on pgbench's failure counts"
fi
is "$deadlocks" 0 "the server logged no deadlock"
is "$(sql "$db" "SELECT count(*) FROM pactoria.verify_data_integrity()")" 0 "verify_data_integrity finds nothing wrong"

# --- The change summary lasts one transaction, also on a connection that goes on.
psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" >"$work/summary.log" 2>&1 <<EOF
$context
BEGIN;
SELECT pactoria.set_change_summary('inside the transaction');
UPDATE pactoria.contracts SET final_content = 'Summarised' WHERE id = '$contract';
COMMIT;
UPDATE pactoria.contracts SET final_content = 'Not summarised' WHERE id = '$contract';
BEGIN;
SET LOCAL pactoria.change_summary = 'set locally';
UPDATE pactoria.contracts SET final_content = 'Locally summarised' WHERE id = '$contract';
COMMIT;
UPDATE pactoria.contracts SET final_content = 'Not summarised either' WHERE id = '$contract';
EOF
ok test $? -eq 0 "four updates in one session, two of them in transactions with a summary"
is "$(sql "$db" "SELECT string_agg(coalesce(change_summary, '-'), ',' ORDER BY version_number)
				 FROM pactoria.contract_versions WHERE contract_id = '$contract' AND version_number > 601")" \
	"inside the transaction,-,set locally,-" \
	"the summary applies to its transaction only"

# --- pg_dump / pg_restore (as the README says: session_replication_role = replica).
pg_dump -Fc -f "$work/versioning.dump" "$db" 2>"$work/dump.log"
ok test $? -eq 0 "pg_dump of a database with contract history"
restored=$(fresh_database versioning_restored) || { echo "Bail out! cannot create database"; exit 1; }
PGOPTIONS="$PGOPTIONS -c session_replication_role=replica" pg_restore -d "$restored" "$work/versioning.dump" \
	>"$work/restore.log" 2>&1
ok test $? -eq 0 "pg_restore with session_replication_role = replica"
history_digest="SELECT md5(string_agg(concat_ws('|', company_id, id, contract_id, version_number, plain_english_input,
					generated_content, final_content, content, change_summary, created_by, created_at), E'\n'
					ORDER BY contract_id, version_number)) FROM pactoria.contract_versions"
is "$(sql "$restored" "$history_digest")" "$(sql "$db" "$history_digest")" "the restored history is the same, row for row"
psql -X -q -v ON_ERROR_STOP=1 -d "$restored" -c "UPDATE pactoria.contract_versions SET change_summary = 'rewritten'" \
	>"$work/restored_update.log" 2>&1
ok grep -q "cannot be changed" "$work/restored_update.log" "the restored history is immutable"
sql "$restored" "$context UPDATE pactoria.contracts SET final_content = 'After the restore' WHERE id = '$contract'" >/dev/null
is "$(sql "$restored" "SELECT max(version_number) || '|' || count(*) FROM pactoria.contract_versions
					   WHERE contract_id = '$contract'")" "606|606" \
	"the restored contract goes on at the next version number"

# --- A 20,000-row versioning UPDATE leaves the backend's memory as it was.
memory=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<EOF
$context
INSERT INTO pactoria.contracts (company_id, title, contract_type, final_content)
SELECT '$company', 'Bulk ' || g, 'nda', 'Bulk content' FROM generate_series(1, 20000) AS g;
UPDATE pactoria.contracts SET final_content = final_content || ' edited' WHERE title LIKE 'Bulk %';
SELECT sum(total_bytes) AS before FROM pg_backend_memory_contexts \gset
UPDATE pactoria.contracts SET final_content = final_content || ' again' WHERE title LIKE 'Bulk %';
SELECT sum(total_bytes) AS after FROM pg_backend_memory_contexts \gset
SELECT :after - :before;
EOF
)
diag "backend memory after a second 20,000-row versioning UPDATE grew by ${memory} bytes"
ok test "${memory:-999999999}" -lt 1048576 "a 20,000-row versioning UPDATE leaves no memory behind in the backend (less than 1 MB)"

done_testing
