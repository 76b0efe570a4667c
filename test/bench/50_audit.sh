#!/usr/bin/env bash
# Benchmark of the audit trail (issue 6), in database $BENCH_DB (pactoria installed).
#
# Three copies of pactoria.contracts (its columns, checks, defaults, b-tree
# indexes and updated_at trigger; not its full-text search vector and GIN
# indexes, which would dominate the floor), 100k rows each:
#   floor     no audit at all
#   plpgsql   the common audit trigger: FOR EACH ROW, to_jsonb(OLD)/to_jsonb(NEW)
#             into a monthly-partitioned audit table, in PL/pgSQL
#   pactoria  pactoria.enable_audit(): C statement triggers, changed columns only,
#             hash chain, commit entry
# Each variant's INSERT of 100k rows and UPDATE of the 100k rows is timed as a
# whole transaction, commit included (the chain is sealed at commit), best of
# $RUNS, interleaved.  Ratios are against the floor.
#
# Then one-row transactions, the common OLTP case: $SINGLE_ROW_TRANSACTIONS
# transactions each updating one row (cached plans, commit included), per variant,
# best of $RUNS.  Here the audit's cost per transaction (its INSERT and the commit
# entry) is not spread over many rows.
#
# Then peak backend memory (RssAnon of the backend, sampled every 50 ms) across
# one audited UPDATE of 100k and of 1M rows, and the same UPDATE with no audit:
# flat means the audited peak does not grow with the row count.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=${BENCH_DB:-pactoria_bench}
ROWS=${AUDIT_BENCH_ROWS:-100000}
MEMORY_ROWS=${AUDIT_BENCH_MEMORY_ROWS:-1000000}
RUNS=${AUDIT_BENCH_RUNS:-3}
SINGLE_ROW_TRANSACTIONS=${AUDIT_BENCH_SINGLE_ROW_TRANSACTIONS:-2000}
COMPANY=00000000-0000-7000-8000-00000000be01
USER_ID=00000000-0000-7000-8000-00000000be02

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

q <<SQL
INSERT INTO pactoria.companies (id, name, subscription_tier) VALUES ('$COMPANY', 'Bench Ltd', 'business');
SET pactoria.company_id = '$COMPANY';
INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES ('$COMPANY', '$USER_ID', 'bench@bench.example', 'Bench');
ALTER DATABASE $DB SET pactoria.company_id = '$COMPANY';
ALTER DATABASE $DB SET pactoria.user_id = '$USER_ID';

-- The contracts table without its full-text search (a generated tsvector and two
-- GIN indexes), which would dominate the floor and flatter every ratio.
CREATE SCHEMA IF NOT EXISTS bench;
DO \$\$
DECLARE
	variant text;
BEGIN
	FOREACH variant IN ARRAY ARRAY['floor', 'plpgsql', 'pactoria'] LOOP
		EXECUTE format('CREATE TABLE bench.%I (LIKE pactoria.contracts INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', variant);
		EXECUTE format('ALTER TABLE bench.%I DROP COLUMN search_vector, ADD PRIMARY KEY (company_id, id)', variant);
		EXECUTE format('CREATE INDEX ON bench.%I (company_id, status)', variant);
		EXECUTE format('CREATE INDEX ON bench.%I (company_id, created_at DESC)', variant);
		EXECUTE format('CREATE INDEX ON bench.%I (company_id, created_by)', variant);
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON bench.%I FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at()',
					   'trg_' || variant || '_set_updated_at', variant);
	END LOOP;
END
\$\$;

-- The audit trigger an application would write itself.
CREATE TABLE bench.audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY,
	company_id uuid NOT NULL,
	table_name text NOT NULL,
	record_id uuid,
	operation text NOT NULL,
	old_values jsonb,
	new_values jsonb,
	user_id uuid,
	ip_address inet,
	changed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (company_id, changed_at, id)
) PARTITION BY RANGE (changed_at);
CREATE TABLE bench.audit_log_default PARTITION OF bench.audit_log DEFAULT;
CREATE INDEX ON bench.audit_log (company_id, record_id, changed_at);
CREATE FUNCTION bench.audit_row() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	INSERT INTO bench.audit_log (company_id, table_name, record_id, operation, old_values, new_values, user_id, ip_address)
	VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.company_id ELSE NEW.company_id END, TG_TABLE_NAME,
			CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, TG_OP,
			CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END, CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
			pactoria.current_user_id(), inet_client_addr());
	RETURN NULL;
END
\$\$;
CREATE TRIGGER trg_plpgsql_audit AFTER INSERT OR UPDATE OR DELETE ON bench.plpgsql
	FOR EACH ROW EXECUTE FUNCTION bench.audit_row();
SELECT pactoria.enable_audit('bench.pactoria');

-- Realistic rows: a title, parties, a value, dates and about a kilobyte of text.
CREATE FUNCTION bench.insert_rows(target regclass, row_count integer) RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN
	EXECUTE format(\$f\$
		INSERT INTO %s (company_id, title, contract_type, status, client_name, client_email, supplier_name,
						contract_value, start_date, end_date, plain_english_input, generated_content)
		SELECT '$COMPANY', 'Services agreement ' || i, 'services', 'draft', 'Client ' || (i %% 500) || ' Ltd',
			   'client' || (i %% 500) || '@example.co.uk', 'Supplier ' || (i %% 50) || ' plc',
			   (i %% 100000) * 10.5, date '2025-01-01' + (i %% 365), date '2026-01-01' + (i %% 365),
			   'The supplier provides consulting services to the client for twelve months, number ' || i,
			   repeat('The Supplier shall provide the Services with reasonable skill and care. ', 12) || i
		FROM generate_series(1, %s) AS i\$f\$, target, row_count);
END
\$\$;

-- One-row transactions: static statements (cached plans), one COMMIT each.
CREATE PROCEDURE bench.single_row_updates(target text, transaction_count integer) LANGUAGE plpgsql AS \$\$
DECLARE
	ids uuid[];
BEGIN
	EXECUTE format('SELECT array_agg(id) FROM bench.%I', target) INTO ids;
	FOR i IN 1..transaction_count LOOP
		CASE target
			WHEN 'floor' THEN
				UPDATE bench.floor SET contract_value = contract_value + 1
				WHERE company_id = '$COMPANY' AND id = ids[1 + i % cardinality(ids)];
			WHEN 'plpgsql' THEN
				UPDATE bench.plpgsql SET contract_value = contract_value + 1
				WHERE company_id = '$COMPANY' AND id = ids[1 + i % cardinality(ids)];
			WHEN 'pactoria' THEN
				UPDATE bench.pactoria SET contract_value = contract_value + 1
				WHERE company_id = '$COMPANY' AND id = ids[1 + i % cardinality(ids)];
		END CASE;
		COMMIT;
	END LOOP;
END
\$\$;
SQL

reset_tables() {		# empty all copies and both audit logs (triggers off for the append-only log)
	q -c "SET session_replication_role = replica" \
	  -c "TRUNCATE bench.floor, bench.plpgsql, bench.pactoria, bench.audit_log, pactoria.audit_logs, pactoria.audit_chain_heads" \
	  -c "RESET session_replication_role" -c "VACUUM ANALYZE bench.floor, bench.plpgsql, bench.pactoria"
}

elapsed_ms() {			# elapsed_ms <sql>: wall time of one autocommit statement, commit included
	local start end
	start=$(date +%s%N)
	q -c "$1" >/dev/null
	end=$(date +%s%N)
	echo $(( (end - start) / 1000000 ))
}

declare -A best_insert best_update
variants=(floor plpgsql pactoria)
for run in $(seq 1 "$RUNS"); do
	for variant in "${variants[@]}"; do
		reset_tables
		ms=$(elapsed_ms "SELECT bench.insert_rows('bench.$variant', $ROWS)")
		if [ -z "${best_insert[$variant]:-}" ] || [ "$ms" -lt "${best_insert[$variant]}" ]; then best_insert[$variant]=$ms; fi
		q -c "CHECKPOINT" >/dev/null
		ms=$(elapsed_ms "UPDATE bench.$variant SET status = 'active', contract_value = contract_value + 1")
		if [ -z "${best_update[$variant]:-}" ] || [ "$ms" -lt "${best_update[$variant]}" ]; then best_update[$variant]=$ms; fi
	done
done

echo "audit trail: $ROWS rows per statement, whole transaction incl. commit, best of $RUNS"
printf '%-10s %12s %8s %12s %8s\n' variant insert_ms ratio update_ms ratio
for variant in "${variants[@]}"; do
	printf '%-10s %12d %8s %12d %8s\n' "$variant" \
		"${best_insert[$variant]}" "$(awk -v a="${best_insert[$variant]}" -v b="${best_insert[floor]}" 'BEGIN { printf "%.2f", a / b }')" \
		"${best_update[$variant]}" "$(awk -v a="${best_update[$variant]}" -v b="${best_update[floor]}" 'BEGIN { printf "%.2f", a / b }')"
done

declare -A best_single
for run in $(seq 1 "$RUNS"); do
	for variant in "${variants[@]}"; do
		reset_tables
		q -c "SET session_replication_role = replica" -c "SELECT bench.insert_rows('bench.$variant', 10000)" >/dev/null
		ms=$(elapsed_ms "CALL bench.single_row_updates('$variant', $SINGLE_ROW_TRANSACTIONS)")
		if [ -z "${best_single[$variant]:-}" ] || [ "$ms" -lt "${best_single[$variant]}" ]; then best_single[$variant]=$ms; fi
	done
done

echo
echo "one-row UPDATE transactions: $SINGLE_ROW_TRANSACTIONS transactions, commit included, best of $RUNS"
printf '%-10s %12s %12s %8s\n' variant total_ms us_per_txn ratio
for variant in "${variants[@]}"; do
	printf '%-10s %12d %12d %8s\n' "$variant" "${best_single[$variant]}" \
		"$(( best_single[$variant] * 1000 / SINGLE_ROW_TRANSACTIONS ))" \
		"$(awk -v a="${best_single[$variant]}" -v b="${best_single[floor]}" 'BEGIN { printf "%.2f", a / b }')"
done

# Peak private memory of the backend running one UPDATE.
peak_rss_kb() {			# peak_rss_kb <table> <rows>
	local table=$1 rows=$2 pid peak=0 current status_file
	reset_tables
	q -c "SET session_replication_role = replica" -c "SELECT bench.insert_rows('$table', $rows)" >/dev/null
	q -c "VACUUM ANALYZE $table" >/dev/null
	PGAPPNAME=pactoria_audit_memory psql -X -q -d "$DB" \
		-c "UPDATE $table SET status = 'active', contract_value = contract_value + 1" >/dev/null &
	local client=$!
	pid=""
	while [ -z "$pid" ] && kill -0 "$client" 2>/dev/null; do
		pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pactoria_audit_memory' AND state = 'active'")
		sleep 0.02
	done
	status_file=/proc/$pid/status
	while kill -0 "$client" 2>/dev/null; do
		if [ -n "$pid" ] && [ -r "$status_file" ]; then
			current=$(awk '/^RssAnon:/ { print $2 }' "$status_file" 2>/dev/null || true)
			if [ -n "$current" ] && [ "$current" -gt "$peak" ]; then peak=$current; fi
		fi
		sleep 0.05
	done
	wait "$client"
	echo "$peak"
}

echo
echo "peak backend memory (RssAnon) across one UPDATE statement"
printf '%-10s %10s %14s\n' variant rows peak_rss_kb
for rows in "$ROWS" "$MEMORY_ROWS"; do
	for variant in floor pactoria; do
		printf '%-10s %10d %14d\n' "$variant" "$rows" "$(peak_rss_kb "bench.$variant" "$rows")"
	done
done
reset_tables
