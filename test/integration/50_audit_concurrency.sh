#!/usr/bin/env bash
# Concurrent writers of the audit trail: several clients of one tenant (READ
# COMMITTED, REPEATABLE READ and SERIALIZABLE) and one of another tenant, under
# pgbench.  None fails or deadlocks, every transaction is sealed once, and the
# chains verify.  (That an open transaction with entries blocks no other writer is
# specs/audit_open_writer.spec, stepped by isolationtester.)
source "$(dirname "$0")/lib.bash"
plan 6

db=$(fresh_database audit_concurrency) || { echo "Bail out! cannot create database"; exit 1; }
first=00000000-0000-7000-8000-0000000d0001
second=00000000-0000-7000-8000-0000000d0002
scratch_dir || { echo "Bail out! cannot make a scratch directory"; exit 1; }
work=$TAP_WORK

ok sql "$db" "CREATE EXTENSION pactoria CASCADE" "pactoria installs"
ok psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "
	INSERT INTO pactoria.companies (id, name, subscription_tier) VALUES
		('$first', 'Concurrent One Ltd', 'business'), ('$second', 'Concurrent Two Ltd', 'business');
	SET pactoria.company_id = '$first';
	INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES ('$first', '$first', 'one@concurrent.example', 'One');
	SET pactoria.company_id = '$second';
	INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES ('$second', '$second', 'two@concurrent.example', 'Two');
	CREATE TABLE public.contract_numbers (company_id uuid, n integer, id uuid, PRIMARY KEY (company_id, n));
	WITH made AS (
		INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
		SELECT c.id, 'Contract ' || i, 'services', c.id
		FROM generate_series(1, 800) AS i, (VALUES ('$first'::uuid), ('$second'::uuid)) AS c(id)
		RETURNING company_id, id, title)
	INSERT INTO public.contract_numbers SELECT company_id, substring(title FROM 10)::integer, id FROM made;" \
	"two tenants with 800 contracts each"

# Each client updates contracts of its own (client_id * 100 + 1..100), so the
# only thing clients share is the audit chain of their tenant.
for isolation in "read committed" "repeatable read" "serializable"; do
	cat >"$work/${isolation// /_}.sql" <<SQL
\set n :client_id * 100 + random(1, 100)
BEGIN ISOLATION LEVEL ${isolation^^};
SET LOCAL pactoria.company_id = '$first';
UPDATE pactoria.contracts SET contract_value = coalesce(contract_value, 0) + 1
WHERE company_id = '$first' AND id = (SELECT id FROM public.contract_numbers WHERE company_id = '$first' AND n = :n);
SELECT pactoria.log_event('read', 'contract');
COMMIT;
SQL
done
cat >"$work/other_tenant.sql" <<SQL
\set n :client_id * 100 + random(1, 100)
UPDATE pactoria.contracts SET status = CASE status WHEN 'draft' THEN 'pending_review' ELSE 'draft' END
WHERE company_id = '$second' AND id = (SELECT id FROM public.contract_numbers WHERE company_id = '$second' AND n = :n);
SQL

commits_before=$(sql "$db" "SELECT count(*) FROM pactoria.audit_logs WHERE event_type = 'commit'")
pgbench -n -c 6 -j 2 -T 6 -d "$db" -f "$work/read_committed.sql" -f "$work/repeatable_read.sql" \
	-f "$work/serializable.sql" -f "$work/other_tenant.sql" >"$work/pgbench.log" 2>&1
status=$?
is "$status" 0 "pgbench with 6 clients finishes without error, deadlock or serialization failure"
[ "$status" -eq 0 ] || sed 's/^/# /' "$work/pgbench.log" | tail -20 >&2
processed=$(awk '/number of transactions actually processed:/ { print $6 }' "$work/pgbench.log" | cut -d/ -f1)
diag "pgbench: $processed transactions"
sealed=$(sql "$db" "SELECT count(*) - $commits_before FROM pactoria.audit_logs WHERE event_type = 'commit'")
is "$sealed" "$processed" "every transaction wrote exactly one commit entry"
is "$(sql "$db" "SELECT count(*) FROM pactoria.verify_audit_log()")" "0" "both tenants' chains verify"
is "$(sql "$db" "SELECT string_agg((h.chain_sequence = (SELECT max(a.chain_sequence) FROM pactoria.audit_logs a WHERE a.company_id = h.company_id))::text, ',') FROM pactoria.audit_chain_heads h")" \
	"true,true" "each head is the tenant's latest commit entry"

done_testing
