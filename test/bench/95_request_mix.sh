#!/usr/bin/env bash
# The request mix (issue 18): one short transaction per web request, measured
# with pgbench from a real client, in database $BENCH_DB (pactoria installed).
#
# Three schemas with the same data ($MIX_COMPANIES companies, $MIX_CONTRACTS
# contracts spread over them, one admin and one session each):
#   floor     the same tables (LIKE pactoria's, indexes and search columns
#             included), no triggers, no policies; every statement filters by
#             company_id itself, and the application computes what pactoria's
#             triggers derive (a risk's level and review date)
#   plpgsql   the way a team writes it without pactoria: a sessions table
#             (token hash) and current_setting() policies, PL/pgSQL updated_at,
#             a to_jsonb audit row trigger with a SHA-256 hash chain under a
#             per-tenant advisory lock, a PL/pgSQL version trigger, PL/pgSQL
#             risk scoring, log_event and record_metric
#   pactoria  pactoria itself, for an application role: resume_session(),
#             row-level security, its C triggers and functions
# The floor and the PL/pgSQL way run as a role without BYPASSRLS too, so that
# policies apply where they exist.
#
# Each request type runs for $MIX_SECONDS seconds with 1 client and with 8
# (pgbench -c), per schema.  Each transaction first reads its tenant's ids
# (company, user, session tokens, a draft contract) from bench_mix.tenants, the
# same in every schema; a script with only that read is measured too and its
# p50 subtracted, so that the ratios compare the requests alone.  Printed per
# request type: p50 latency at 1 client (minus the lookup), ratio to the
# floor, ratio to the PL/pgSQL way, and throughput at 8 clients.
#
# Modes, for test/bench/96_request_mix_citus.sh (one server vs a Citus cluster):
#   MIX_SCHEMAS="floor pactoria"  only these schemas (default: all three)
#   MIX_CITUS=1          $BENCH_DB is a Citus database on the coordinator, with
#                        pactoria.distribute_tables() done: the floor's tables are
#                        distributed by company_id too, colocated with pactoria's,
#                        and the application role forwards its context to the
#                        workers (citus.propagate_set_commands = 'local')
#   MIX_COMPANY_FILTER=1 pactoria's statements name their company as well
#                        (company_id = :company, the form the README's Citus
#                        section tells the application to use; default: MIX_CITUS)
#   MIX_RESULTS=FILE     also write the raw numbers there, one line per request
#                        type and schema: "request schema p50_us tps" (the
#                        lookup alone as "lookup - p50_us tps"), p50 not reduced
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=${BENCH_DB:-pactoria_bench}
COMPANIES=${MIX_COMPANIES:-100}
CONTRACTS=${MIX_CONTRACTS:-1000000}
SECONDS_EACH=${MIX_SECONDS:-10}
MANY_CLIENTS=${MIX_MANY_CLIENTS:-8}
read -r -a schemas <<<"${MIX_SCHEMAS:-floor plpgsql pactoria}"
CITUS=${MIX_CITUS:-0}
COMPANY_FILTER=${MIX_COMPANY_FILTER:-$CITUS}
RESULTS=${MIX_RESULTS:-/dev/null}
has() { case " ${schemas[*]} " in *" $1 "*) return 0 ;; esac; return 1; }	# has <schema>
# the schemas' table schemas (the PL/pgSQL way's tables are in mix_plpg)
copies=()
for s in "${schemas[@]}"; do
	case "$s" in
		floor) copies+=(mix_floor) ;;
		plpgsql) copies+=(mix_plpg) ;;
		pactoria) ;;
		*) echo "MIX_SCHEMAS: unknown schema '$s' (floor, plpgsql, pactoria)" >&2; exit 2 ;;
	esac
done
copies_array="ARRAY[$(printf "'%s'," "${copies[@]}" | sed 's/,$//')]::text[]"
APP=pactoria_bench_mix_app
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -X -q -d postgres -c "DROP ROLE IF EXISTS $APP" >/dev/null 2>&1 || true' EXIT

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

psql -X -q -d postgres -c "DROP ROLE IF EXISTS $APP" >/dev/null 2>&1 || true
echo "request mix: $COMPANIES companies, $CONTRACTS contracts per schema, ${SECONDS_EACH}s per request type and client count$(
	[ "$CITUS" = 1 ] && echo ", on a Citus cluster")"
echo "loading ..."
q <<SQL
SET client_min_messages = warning;
CREATE ROLE $APP LOGIN;
SELECT pactoria.grant_application_access('$APP');
$([ "$CITUS" = 1 ] && echo "ALTER ROLE $APP SET citus.propagate_set_commands = 'local';")
CREATE SCHEMA bench_mix;
GRANT USAGE ON SCHEMA bench_mix TO $APP;

-- Tenants: a company, its admin, a pactoria session, a PL/pgSQL-way session.
INSERT INTO pactoria.companies (id, name, subscription_tier)
SELECT ('00000000-0000-7000-8000-' || lpad(n::text, 12, '0'))::uuid, 'Mix Company ' || n, 'business'
FROM generate_series(1, $COMPANIES) AS n;
INSERT INTO pactoria.users (company_id, id, email, full_name, role)
SELECT ('00000000-0000-7000-8000-' || lpad(n::text, 12, '0'))::uuid, ('00000000-0000-7000-9000-' || lpad(n::text, 12, '0'))::uuid,
	   'admin' || n || '@mix.example', 'Admin ' || n, 'admin'
FROM generate_series(1, $COMPANIES) AS n;
CREATE TABLE bench_mix.tenants (n integer PRIMARY KEY, company uuid NOT NULL, app_user uuid NOT NULL,
	token text, plpg_token text, pactoria_contract uuid, floor_contract uuid, plpg_contract uuid);
INSERT INTO bench_mix.tenants (n, company, app_user, plpg_token)
SELECT n, ('00000000-0000-7000-8000-' || lpad(n::text, 12, '0'))::uuid, ('00000000-0000-7000-9000-' || lpad(n::text, 12, '0'))::uuid,
	   encode(gen_random_bytes(32), 'hex')
FROM generate_series(1, $COMPANIES) AS n;
UPDATE bench_mix.tenants AS t SET token = s.session_token
FROM bench_mix.tenants AS k CROSS JOIN LATERAL pactoria.create_session(k.company, k.app_user) AS s
WHERE t.n = k.n;
GRANT SELECT ON bench_mix.tenants TO $APP;

-- The floor's and the PL/pgSQL way's tables: copies of pactoria's.
DO \$\$
DECLARE
	s text;
	t text;
BEGIN
	FOREACH s IN ARRAY $copies_array LOOP
		EXECUTE format('CREATE SCHEMA %I', s);
		FOREACH t IN ARRAY ARRAY['contracts', 'risk_assessments', 'contract_versions'] LOOP
			EXECUTE format('CREATE TABLE %I.%I (LIKE pactoria.%I INCLUDING ALL)', s, t, t);
		END LOOP;
		EXECUTE format('CREATE TABLE %I.metrics (LIKE pactoria.system_metrics INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', s);
		EXECUTE format('CREATE INDEX ON %I.metrics (company_id, metric_name, recorded_at)', s);
		EXECUTE format('CREATE TABLE %I.events (company_id uuid NOT NULL, id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),'
					   ' occurred_at timestamptz NOT NULL DEFAULT now(), table_name text NOT NULL, record_id uuid,'
					   ' operation text NOT NULL, old_values jsonb, new_values jsonb, user_id uuid,'
					   ' previous_hash bytea, hash bytea, PRIMARY KEY (company_id, occurred_at, id))', s);
		EXECUTE format('GRANT USAGE ON SCHEMA %I TO $APP', s);
		EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO $APP', s);
	END LOOP;
END
\$\$;
SQL

# On the cluster the floor's tables are distributed as pactoria's are.
if [ "$CITUS" = 1 ] && has floor; then
	q <<'SQL' >/dev/null
SET client_min_messages = warning;
SELECT create_distributed_table(format('mix_floor.%I', t), 'company_id', colocate_with => 'pactoria.contracts')
FROM unnest(ARRAY['contracts', 'risk_assessments', 'contract_versions', 'metrics', 'events']) AS t;
SQL
fi

if has plpgsql; then
	q <<SQL
SET client_min_messages = warning;
-- The PL/pgSQL way.
CREATE TABLE mix_plpg.sessions (token_hash bytea PRIMARY KEY, company_id uuid NOT NULL, user_id uuid NOT NULL,
								expires_at timestamptz NOT NULL);
INSERT INTO mix_plpg.sessions SELECT sha256(convert_to(plpg_token, 'UTF8')), company, app_user, now() + interval '1 day'
FROM bench_mix.tenants;
CREATE TABLE mix_plpg.chain_heads (company_id uuid PRIMARY KEY, hash bytea NOT NULL);
GRANT SELECT ON mix_plpg.sessions TO $APP;
GRANT SELECT, INSERT, UPDATE ON mix_plpg.chain_heads TO $APP;
CREATE FUNCTION mix_plpg.company() RETURNS uuid LANGUAGE sql STABLE
	AS \$\$ SELECT nullif(current_setting('app.company_id', true), '')::uuid \$\$;
DO \$\$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['contracts', 'risk_assessments', 'contract_versions', 'metrics', 'events', 'chain_heads'] LOOP
		EXECUTE format('ALTER TABLE mix_plpg.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON mix_plpg.%I USING (company_id = mix_plpg.company())'
					   ' WITH CHECK (company_id = mix_plpg.company())', t);
	END LOOP;
END
\$\$;
CREATE FUNCTION mix_plpg.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
\$\$;
-- The chain: each event's hash covers the previous one of its tenant, under the tenant's lock.
CREATE FUNCTION mix_plpg.chain_append(company uuid, table_name text, record_id uuid, operation text,
									  old_values jsonb, new_values jsonb) RETURNS uuid LANGUAGE plpgsql AS \$\$
DECLARE
	previous bytea;
	next_hash bytea;
	new_id uuid := pactoria.uuid_generate_v7();
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(company::text, 0));
	SELECT h.hash INTO previous FROM mix_plpg.chain_heads AS h WHERE h.company_id = company;
	next_hash := sha256(coalesce(previous, '\x'::bytea)
						|| convert_to(jsonb_build_array(new_id, table_name, record_id, operation, old_values, new_values)::text, 'UTF8'));
	INSERT INTO mix_plpg.events (company_id, id, table_name, record_id, operation, old_values, new_values, user_id,
								 previous_hash, hash)
	VALUES (company, new_id, table_name, record_id, operation, old_values, new_values,
			nullif(current_setting('app.user_id', true), '')::uuid, previous, next_hash);
	INSERT INTO mix_plpg.chain_heads AS h (company_id, hash) VALUES (company, next_hash)
	ON CONFLICT (company_id) DO UPDATE SET hash = excluded.hash;
	RETURN new_id;
END
\$\$;
CREATE FUNCTION mix_plpg.audit_row() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM mix_plpg.chain_append(OLD.company_id, TG_TABLE_NAME, OLD.id, TG_OP, to_jsonb(OLD), NULL);
	ELSE
		PERFORM mix_plpg.chain_append(NEW.company_id, TG_TABLE_NAME, NEW.id, TG_OP,
									  CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END, to_jsonb(NEW));
	END IF;
	RETURN NULL;
END
\$\$;
CREATE FUNCTION mix_plpg.next_version() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	IF NEW.final_content IS DISTINCT FROM OLD.final_content THEN
		NEW.version := OLD.version + 1;
	END IF;
	RETURN NEW;
END
\$\$;
CREATE FUNCTION mix_plpg.record_version() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.version <> OLD.version THEN
		INSERT INTO mix_plpg.contract_versions (company_id, contract_id, version_number, plain_english_input,
												generated_content, final_content, created_by)
		VALUES (NEW.company_id, NEW.id, NEW.version, NEW.plain_english_input, NEW.generated_content, NEW.final_content,
				coalesce(nullif(current_setting('app.user_id', true), '')::uuid, NEW.created_by));
	END IF;
	RETURN NULL;
END
\$\$;
CREATE FUNCTION mix_plpg.score_risk() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	NEW.risk_level := CASE WHEN NEW.likelihood * NEW.impact >= 15 THEN 'critical'
						   WHEN NEW.likelihood * NEW.impact >= 10 THEN 'high'
						   WHEN NEW.likelihood * NEW.impact >= 5 THEN 'medium' ELSE 'low' END;
	NEW.next_review_date := current_date + 30;
	RETURN NEW;
END
\$\$;
CREATE TRIGGER a_updated_at BEFORE UPDATE ON mix_plpg.contracts FOR EACH ROW EXECUTE FUNCTION mix_plpg.set_updated_at();
CREATE TRIGGER b_version BEFORE UPDATE ON mix_plpg.contracts FOR EACH ROW EXECUTE FUNCTION mix_plpg.next_version();
CREATE TRIGGER c_record_version AFTER INSERT OR UPDATE ON mix_plpg.contracts FOR EACH ROW EXECUTE FUNCTION mix_plpg.record_version();
CREATE TRIGGER d_audit AFTER INSERT OR UPDATE OR DELETE ON mix_plpg.contracts FOR EACH ROW EXECUTE FUNCTION mix_plpg.audit_row();
CREATE TRIGGER a_score BEFORE INSERT OR UPDATE ON mix_plpg.risk_assessments FOR EACH ROW EXECUTE FUNCTION mix_plpg.score_risk();
CREATE TRIGGER b_updated_at BEFORE UPDATE ON mix_plpg.risk_assessments FOR EACH ROW EXECUTE FUNCTION mix_plpg.set_updated_at();
CREATE TRIGGER d_audit AFTER INSERT OR UPDATE OR DELETE ON mix_plpg.risk_assessments FOR EACH ROW EXECUTE FUNCTION mix_plpg.audit_row();
CREATE FUNCTION mix_plpg.log_event(event_type text, resource_type text, resource_id uuid, data jsonb) RETURNS uuid
LANGUAGE plpgsql AS \$\$
BEGIN
	RETURN mix_plpg.chain_append(mix_plpg.company(), resource_type, resource_id, event_type, NULL, data);
END
\$\$;
CREATE FUNCTION mix_plpg.record_metric(metric_name text, metric_value double precision) RETURNS uuid
LANGUAGE plpgsql AS \$\$
DECLARE
	new_id uuid;
BEGIN
	INSERT INTO mix_plpg.metrics (company_id, user_id, metric_name, metric_value)
	VALUES (mix_plpg.company(), nullif(current_setting('app.user_id', true), '')::uuid, metric_name, metric_value)
	RETURNING id INTO new_id;
	RETURN new_id;
END
\$\$;

SQL
fi

# search_contracts() for the other schemas: the same query, on their tables.
q <<SQL
DO \$\$
DECLARE
	body text;
	s text;
BEGIN
	SELECT pg_get_functiondef('pactoria.search_contracts(text, integer)'::regprocedure) INTO body;
	FOREACH s IN ARRAY $copies_array LOOP
		EXECUTE replace(replace(replace(body, 'pactoria.search_contracts', s || '.search'),
								'FROM pactoria.contracts', 'FROM ' || s || '.contracts'),
						'JOIN pactoria.contracts', 'JOIN ' || s || '.contracts');
		EXECUTE format('ALTER FUNCTION %I.search(text, integer) SECURITY INVOKER', s);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %I.search(text, integer) TO $APP', s);
	END LOOP;
END
\$\$;
SQL

# The floor's search takes its company as an argument, not from the context.
if has floor; then
	q <<'SQL'
DO $$
DECLARE
	body text := pg_get_functiondef('mix_floor.search(text, integer)'::regprocedure);
BEGIN
	body := replace(body, 'mix_floor.search(query text, max_results integer DEFAULT 20)',
					'mix_floor.search(company uuid, query text, max_results integer DEFAULT 20)');
	body := replace(body, 'company uuid := pactoria.current_company_id();', '');
	DROP FUNCTION mix_floor.search(text, integer);
	EXECUTE body;
END
$$;
SQL
	q -c "GRANT EXECUTE ON FUNCTION mix_floor.search(uuid, text, integer) TO $APP"
fi
# the PL/pgSQL way's search filters by its policy: its company is the setting
has plpgsql && q <<'SQL'
DO $$
DECLARE
	body text := pg_get_functiondef('mix_plpg.search(text, integer)'::regprocedure);
BEGIN
	body := replace(body, 'company uuid := pactoria.current_company_id();', 'company uuid := mix_plpg.company();');
	body := replace(body, 'c.company_id OPERATOR(pg_catalog.=) company AND ', '');
	EXECUTE body;
END
$$;
SQL

# The contracts: the same rows in the three schemas, spread over the companies.
# The PL/pgSQL way's rows are loaded with its triggers off (its per-row chain
# would take minutes), then given their first versions and chain heads.
declare -A contracts_of=([floor]=mix_floor.contracts [plpgsql]=mix_plpg.contracts [pactoria]=pactoria.contracts)
declare -A contract_column=([floor]=floor_contract [plpgsql]=plpg_contract [pactoria]=pactoria_contract)
for s in "${schemas[@]}"; do
	target=${contracts_of[$s]}
	q -c "SET client_min_messages = warning" \
	  -c "SET session_replication_role = $(if [ "$target" = mix_plpg.contracts ]; then echo replica; else echo origin; fi)" -c "
	INSERT INTO $target (company_id, title, contract_type, status, created_by, client_name, supplier_name,
						 contract_value, start_date, end_date, final_content)
	SELECT t.company, (ARRAY['Office cleaning services', 'Software licence', 'Consulting agreement', 'Supply of goods',
							 'Mutual NDA', 'Courier services'])[1 + i % 6] || ' ' || i,
		   'services', 'draft', t.app_user, 'Client ' || (i % 500) || ' Ltd', 'Supplier ' || (i % 50) || ' plc',
		   (i % 100000) * 10.5, date '2026-01-01' + (i % 365), date '2027-01-01' + (i % 365),
		   CASE WHEN i % 5 = 0 THEN 'The supplier accepts liability for losses. ' ELSE '' END
		   || repeat('The Supplier shall provide the Services with reasonable skill and care. ', 6) || i
	FROM generate_series(1, $CONTRACTS) AS i
	JOIN bench_mix.tenants AS t ON t.n = 1 + i % $COMPANIES" >/dev/null
done
has plpgsql && q -c "INSERT INTO mix_plpg.contract_versions (company_id, contract_id, version_number, final_content, created_by)
	  SELECT company_id, id, version, final_content, created_by FROM mix_plpg.contracts" \
  -c "INSERT INTO mix_plpg.chain_heads (company_id, hash) SELECT company, sha256(convert_to(company::text, 'UTF8')) FROM bench_mix.tenants" >/dev/null
# each tenant's first contract (one query a tenant: Citus updates no local table from a distributed one)
for s in "${schemas[@]}"; do
	q <<SQL >/dev/null
DO \$\$
DECLARE
	t record;
	first uuid;
BEGIN
	FOR t IN SELECT k.n, k.company FROM bench_mix.tenants AS k LOOP
		EXECUTE 'SELECT c.id FROM ${contracts_of[$s]} AS c WHERE c.company_id = \$1 ORDER BY c.id LIMIT 1' INTO first USING t.company;
		UPDATE bench_mix.tenants AS k SET ${contract_column[$s]} = first WHERE k.n = t.n;
	END LOOP;
END
\$\$;
SQL
done
q -c "VACUUM ANALYZE" >/dev/null

# The scripts: $work/<schema>.<request>.sql
columns="company, app_user"
for s in "${schemas[@]}"; do
	case "$s" in
		plpgsql) columns+=", plpg_token" ;;
		pactoria) columns+=", token" ;;
	esac
	columns+=", ${contract_column[$s]}"
done
lookup='\set n random(1, '"$COMPANIES"')
SELECT '"$columns"' FROM bench_mix.tenants WHERE n = :n \gset'
enter() {			# enter <schema>: the start of a request's transaction
	case "$1" in
		floor) echo "BEGIN;" ;;
		plpgsql) echo "BEGIN;
SELECT set_config('app.company_id', s.company_id::text, true), set_config('app.user_id', s.user_id::text, true)
FROM mix_plpg.sessions AS s WHERE s.token_hash = sha256(convert_to(:plpg_token, 'UTF8')) AND s.expires_at > now();" ;;
		pactoria) echo "BEGIN;
SELECT company_id FROM pactoria.resume_session(:token);" ;;
	esac
}
statement() {		# statement <schema> <request>
	local s=$1
	local t c filter
	case "$s" in
		floor) t=mix_floor; c=":floor_contract"; filter="company_id = :company AND " ;;
		plpgsql) t=mix_plpg; c=":plpg_contract"; filter="" ;;
		pactoria) t=pactoria; c=":pactoria_contract"; filter=""
				  if [ "$COMPANY_FILTER" = 1 ]; then filter="company_id = :company AND "; fi ;;
	esac
	case "$2" in
		resume) if [ "$s" = floor ]; then echo "SELECT set_config('app.company_id', :company, true);"; fi ;;
		list) echo "SELECT id, title, status, updated_at FROM $t.contracts WHERE ${filter}true ORDER BY created_at DESC LIMIT 20;" ;;
		lookup) echo "SELECT id, title, status, version, final_content FROM $t.contracts WHERE ${filter}id = $c;" ;;
		search) case "$s" in
					floor) echo "SELECT id FROM mix_floor.search(:company, 'liability');" ;;
					plpgsql) echo "SELECT id FROM mix_plpg.search('liability');" ;;
					pactoria) echo "SELECT id FROM pactoria.search_contracts('liability');" ;;
				esac ;;
		typo) case "$s" in
					floor) echo "SELECT id FROM mix_floor.search(:company, 'Ofice claening');" ;;
					plpgsql) echo "SELECT id FROM mix_plpg.search('Ofice claening');" ;;
					pactoria) echo "SELECT id FROM pactoria.search_contracts('Ofice claening');" ;;
				esac ;;
		insert) echo "INSERT INTO $t.contracts (company_id, title, contract_type, created_by, final_content)
VALUES (:company, 'New services agreement', 'services', :app_user, 'The supplier cleans the office weekly.');" ;;
		# (a new text from pgbench: Citus refuses VOLATILE functions such as clock_timestamp() in an UPDATE)
		content) echo "\\set revision random(1, 2000000000)
UPDATE $t.contracts SET final_content = 'Revised ' || :revision WHERE ${filter}id = $c;" ;;
		lifecycle) echo "UPDATE $t.contracts SET status = CASE WHEN status = 'draft' THEN 'pending_review' ELSE 'draft' END
WHERE ${filter}id = $c;" ;;
		risk) if [ "$s" = floor ]; then
				echo "INSERT INTO mix_floor.risk_assessments (company_id, risk_name, risk_category, likelihood, impact, risk_level, next_review_date)
VALUES (:company, 'Supplier insolvency', 'supply_chain', 3, 4, 'high', current_date + 30);"
			  else
				echo "INSERT INTO $t.risk_assessments (company_id, risk_name, risk_category, likelihood, impact)
VALUES (:company, 'Supplier insolvency', 'supply_chain', 3, 4);"
			  fi ;;
		log_event) case "$s" in
					floor) echo "INSERT INTO mix_floor.events (company_id, table_name, operation, user_id, new_values)
VALUES (:company, 'report', 'export', :app_user, '{\"rows\": 1}');" ;;
					plpgsql) echo "SELECT mix_plpg.log_event('export', 'report', NULL, '{\"rows\": 1}');" ;;
					pactoria) echo "SELECT pactoria.log_event('export', 'report', NULL, '{\"rows\": 1}');" ;;
				esac ;;
		metric) case "$s" in
					floor) echo "INSERT INTO mix_floor.metrics (company_id, user_id, metric_name, metric_value)
VALUES (:company, :app_user, 'requests', 1);" ;;
					plpgsql) echo "SELECT mix_plpg.record_metric('requests', 1);" ;;
					pactoria) echo "SELECT pactoria.record_metric('requests', 1);" ;;
				esac ;;
	esac
}
requests=(resume list lookup search typo insert content lifecycle risk log_event metric)
printf '%s\n' "$lookup" >"$work/lookup.sql"
for s in "${schemas[@]}"; do
	for r in "${requests[@]}"; do
		{ printf '%s\n' "$lookup"; enter "$s"; statement "$s" "$r"; echo "COMMIT;"; } >"$work/$s.$r.sql"
	done
done

# run <script> <clients>: "p50_us tps" (the p50 of the per-transaction log)
run() {
	local dir
	dir=$(mktemp -d "$work/run.XXXXXX")
	(cd "$dir" && pgbench -n -M "${MIX_PROTOCOL:-prepared}" -U "$APP" -c "$2" -j "$2" -T "$SECONDS_EACH" -l -f "$1" "$DB" >out 2>err) \
		|| { echo "pgbench failed for $1: $(head -5 "$dir/err")" >&2; echo "0 0"; return; }
	local p50 tps
	p50=$(cat "$dir"/pgbench_log.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}')
	tps=$(grep -o 'tps = [0-9.]*' "$dir/out" | head -1 | awk '{print $3}')
	if grep -q 'number of failed transactions: [1-9]' "$dir/out" 2>/dev/null || [ -s "$dir/err" ] && grep -q ERROR "$dir/err"; then
		echo "errors in $1: $(grep -m1 ERROR "$dir/err")" >&2
	fi
	echo "$p50 ${tps:-0}"
}

read -r base_p50 base_tps < <(run "$work/lookup.sql" 1)
echo "lookup - $base_p50 $base_tps" >>"$RESULTS"
echo "lookup of the tenant's ids alone: p50 ${base_p50} us (subtracted below)"
declare -A short=([floor]=floor [plpgsql]=plpg [pactoria]=pct)
ratios=()			# the ratios this run can print: "x floor", "x plpg"
if has pactoria; then
	has floor && ratios+=(floor)
	has plpgsql && ratios+=(plpgsql)
fi
{
	printf '%-10s |' request
	for s in "${schemas[@]}"; do printf ' %9s' "${short[$s]} us"; done
	printf ' |'
	for s in "${ratios[@]}"; do printf ' %7s' "x ${short[$s]}"; done
	printf ' |'
	for s in "${schemas[@]}"; do printf ' %8s' "tps ${short[$s]}"; done
	has pactoria && has floor && printf ' | %6s' "tps x"
	echo
}
for r in "${requests[@]}"; do
	declare -A p50 tps
	for s in "${schemas[@]}"; do
		read -r p50[$s] _ < <(run "$work/$s.$r.sql" 1)
		read -r _ tps[$s] < <(run "$work/$s.$r.sql" "$MANY_CLIENTS")
		echo "$r $s ${p50[$s]} ${tps[$s]}" >>"$RESULTS"
		p50[$s]=$((p50[$s] - base_p50 < 1 ? 1 : p50[$s] - base_p50))
	done
	{
		printf '%-10s |' "$r"
		for s in "${schemas[@]}"; do printf ' %9d' "${p50[$s]}"; done
		printf ' |'
		for s in "${ratios[@]}"; do awk -v c="${p50[pactoria]}" -v o="${p50[$s]}" 'BEGIN { printf " %6.2fx", c / o }'; done
		printf ' |'
		for s in "${schemas[@]}"; do printf ' %8.0f' "${tps[$s]}"; done
		has pactoria && has floor && awk -v c="${tps[pactoria]}" -v f="${tps[floor]}" 'BEGIN { printf " | %5.2fx", (f > 0 ? c / f : 0) }'
		echo
	}
	unset p50 tps
done
echo "(x floor: pactoria p50 / floor p50, goal <= 1.15; x plpg: pactoria / PL/pgSQL way, goal <= 0.67;"
echo " tps x: pactoria / floor at $MANY_CLIENTS clients, goal >= 0.87)"
