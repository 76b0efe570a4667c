#!/usr/bin/env bash
# pactoria on a Citus cluster (test/citus.sh: a coordinator and two workers on
# 127.0.0.1), the ground issue 17 builds on:
#   - CREATE EXTENSION pactoria CASCADE on the coordinator installs it on every
#     worker (Citus propagates the extension);
#   - the tenant policies call pactoria.current_company_id() directly: Citus
#     refuses a subquery in a distributed table's policy, which stopped every
#     tenant table of 0.1.0 from distributing;
#   - a table under pactoria.enable_tenant_isolation distributes by company_id,
#     its policies reach the shards, and a read filtered on company_id routes to
#     one shard (one task).
# Not yet here (see the README's "Citus" section): pactoria.distribute_tables()
# for pactoria's own tables, and the features for the application role.
source "$(dirname "$0")/lib.bash"
plan 8

db=${PGDATABASE:-postgres}
workers=(${CITUS_WORKER_PORTS:?test/citus.sh sets CITUS_WORKER_PORTS})

ok sql "$db" "CREATE EXTENSION pactoria CASCADE" "CREATE EXTENSION pactoria CASCADE on the coordinator"
for port in "${workers[@]}"; do
	is "$(PGPORT=$port sql "$db" "SELECT extversion FROM pg_extension WHERE extname = 'pactoria'")" "0.2.0" \
		"pactoria 0.2.0 is installed on the worker on port $port"
done
is "$(sql "$db" "SELECT count(*) FROM pg_policy WHERE polrelid::regclass::text LIKE 'pactoria.%'
				 AND (pg_get_expr(polqual, polrelid) LIKE '%SELECT%' OR pg_get_expr(polwithcheck, polrelid) LIKE '%SELECT%')")" "0" \
	"no policy of pactoria's tables holds a subquery"

ok sql "$db" "CREATE TABLE public.citus_notes (company_id uuid NOT NULL, id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
				body text, PRIMARY KEY (company_id, id));
			  SELECT pactoria.enable_tenant_isolation('public.citus_notes');
			  SET citus.enable_unsafe_triggers = on;
			  SELECT create_distributed_table('public.citus_notes', 'company_id')" \
	"a table under enable_tenant_isolation distributes by company_id"
shard_policies=0
for port in "${workers[@]}"; do
	n=$(PGPORT=$port sql "$db" "SELECT count(*) FROM pg_policy WHERE polrelid::regclass::text ~ '^citus_notes_[0-9]+\$'")
	shard_policies=$((shard_policies + n))
done
shards=$(sql "$db" "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'public.citus_notes'::regclass")
is "$shard_policies" "$((shards * 4))" "each of the $shards shards carries the four tenant policies"

sql "$db" "INSERT INTO public.citus_notes (company_id, body)
		   SELECT ('00000000-0000-7000-8000-0000000c17' || lpad(k::text, 2, '0'))::uuid, 'note ' || k
		   FROM generate_series(1, 40) AS k" >/dev/null 2>&1
is "$(sql "$db" "SELECT count(*) FROM public.citus_notes")" "40" "rows written as the superuser reach their shards"
plan_text=$(sql "$db" "EXPLAIN SELECT body FROM public.citus_notes WHERE company_id = '00000000-0000-7000-8000-0000000c1707'")
is "$(grep -o 'Task Count: [0-9]*' <<<"$plan_text")" "Task Count: 1" "a read filtered on company_id routes to one shard"

sql "$db" "DROP TABLE public.citus_notes; DROP EXTENSION pactoria CASCADE; DROP EXTENSION pg_trgm; DROP EXTENSION pgcrypto" >/dev/null 2>&1
done_testing
