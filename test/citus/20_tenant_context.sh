#!/usr/bin/env bash
# The signed tenant context reaches the workers and is verified there.
# resume_session() sets pactoria.context on the coordinator and repeats it as a
# SET LOCAL statement, which Citus forwards to every worker connection of the
# transaction when citus.propagate_set_commands = 'local' (set for the
# application role).  (An application may also repeat it itself: as_app does.)
# Each worker checks the signature with the server key (the same key file on
# every node) and binds it to its own transaction, so row-level security on the
# shards filters by the company of the session, and a row for another company
# is refused on the shard.
source "$(dirname "$0")/lib.bash"
plan 12

db=${PGDATABASE:-postgres}
role=pactoria_citus_app
drop_role_at_end "$role"

setup=$(sql "$db" "CREATE EXTENSION pactoria CASCADE;
	CREATE TABLE public.citus_context_notes (company_id uuid NOT NULL, id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
		body text, PRIMARY KEY (company_id, id));
	SELECT pactoria.enable_tenant_isolation('public.citus_context_notes');
	SET citus.enable_unsafe_triggers = on;
	SELECT create_distributed_table('public.citus_context_notes', 'company_id');
	DROP ROLE IF EXISTS $role;
	CREATE ROLE $role LOGIN;
	ALTER ROLE $role SET citus.propagate_set_commands = 'local';
	SELECT pactoria.grant_application_access('$role');
	GRANT SELECT, INSERT, UPDATE ON public.citus_context_notes TO $role;" 2>&1) \
	|| { echo "Bail out! setup failed: $setup"; exit 1; }
read -r company user < <(sql "$db" "SELECT company_id, user_id FROM pactoria.create_company('Citus Context Ltd', 'admin@citus-context.example', 'Citus Admin')" | tr '|' ' ')
token=$(sql "$db" "SELECT session_token FROM pactoria.create_session('$company', '$user')")
sql "$db" "INSERT INTO public.citus_context_notes (company_id, body) SELECT '$company', 'mine ' || k FROM generate_series(1, 3) AS k;
		   INSERT INTO public.citus_context_notes (company_id, body)
		   SELECT ('00000000-0000-7000-8000-0000000c20' || lpad(k::text, 2, '0'))::uuid, 'other ' || k FROM generate_series(1, 40) AS k" >/dev/null

# as_app <sql after resume and SET LOCAL>: one transaction of the application role.
as_app() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -U "$role" -d "$db" 2>&1 <<SQL
BEGIN;
\o /dev/null
SELECT * FROM pactoria.resume_session('$token');
\o
SELECT current_setting('pactoria.context') AS ctx \gset
SET LOCAL pactoria.context = :'ctx';
$1
COMMIT;
SQL
}

is "$(sql "$db" "SELECT count(DISTINCT nodeport) FROM pg_dist_placement JOIN pg_dist_node USING (groupid)
				 JOIN pg_dist_shard USING (shardid) WHERE logicalrelid = 'public.citus_context_notes'::regclass")" "2" \
	"the table's shards are on both workers"
is "$(as_app "SELECT count(*) FROM public.citus_context_notes;")" "3" \
	"the application sees its company's rows on the workers, and only those"
is "$(as_app "SELECT count(*) FROM public.citus_context_notes WHERE body LIKE 'other%';")" "0" \
	"no other company's row on any shard"
is "$(as_app "INSERT INTO public.citus_context_notes (company_id, body) VALUES ('$company', 'written on a shard');
			  SELECT count(*) FROM public.citus_context_notes;")" "4" \
	"a write of its own company's row passes the shard's policies and triggers"
out=$(as_app "INSERT INTO public.citus_context_notes (company_id, body) VALUES ('00000000-0000-7000-8000-0000000c2007', 'planted');")
ok grep -q 'violates row-level security policy for table "citus_context_notes_[0-9]*"' <<<"$out" \
	"another company's row is refused by the shard's policy"
is "$(sql "$db" "SELECT count(*) FROM public.citus_context_notes WHERE body = 'planted'")" "0" "nothing planted"
# Routing: Citus prunes shards on constants and bound parameters, not on
# current_company_id(); the filter to add is company_id = $1, bound to the
# company_id resume_session() returned.
shards=$(sql "$db" "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'public.citus_context_notes'::regclass")
tasks=$(as_app "PREPARE tenant_read(uuid) AS SELECT body FROM public.citus_context_notes WHERE company_id = \$1;
				EXPLAIN (COSTS OFF) EXECUTE tenant_read('$company');" | grep -o 'Task Count: [0-9]*')
is "$tasks" "Task Count: 1" "a read with company_id = \$1 bound to the session's company routes to one shard"
tasks=$(as_app "EXPLAIN (COSTS OFF) UPDATE public.citus_context_notes SET body = body || '!' WHERE company_id = '$company';" \
		| grep -o 'Task Count: [0-9]*')
is "$tasks" "Task Count: 1" "so does a write with the company written out"
tasks=$(as_app "EXPLAIN (COSTS OFF) SELECT body FROM public.citus_context_notes;" | grep -o 'Task Count: [0-9]*')
is "$tasks" "Task Count: $shards" "without the filter, row-level security alone, a read goes to all $shards shards"

# count_after_resume [SQL before BEGIN]: the notes the application sees after
# resume_session() alone, without repeating the context.
count_after_resume() {
	psql -X -q -A -t -U "$role" -d "$db" 2>&1 <<SQL
${1:-}
BEGIN;
\o /dev/null
SELECT * FROM pactoria.resume_session('$token');
\o
SELECT count(*) FROM public.citus_context_notes;
COMMIT;
SQL
}
# resume_session() forwards the context itself: it repeats it as a SET LOCAL
# statement, which Citus sends to the workers.
is "$(count_after_resume)" "4" \
	"resume_session() alone: the workers verify the forwarded context and show the company's rows"
# Whatever the session's citus.propagate_set_commands: resume_session() makes it
# 'local' for its own SET LOCAL.
is "$(count_after_resume "SET citus.propagate_set_commands = 'none';")" "4" \
	"with citus.propagate_set_commands = 'none' in the session too, the workers get the context"
# A forged context is refused where it is set, before any worker sees it.
out=$(psql -X -q -A -t -U "$role" -d "$db" -c "SELECT pactoria.version()" -c "SET pactoria.context = 'v1.forged.context'" 2>&1)
ok grep -q 'invalid tenant context' <<<"$out" "a forged context is refused"

sql "$db" "DROP TABLE public.citus_context_notes; DROP OWNED BY $role; DROP EXTENSION pactoria CASCADE;
		   DROP EXTENSION pg_trgm; DROP EXTENSION pgcrypto" >/dev/null 2>&1
done_testing
