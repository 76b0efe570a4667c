#!/usr/bin/env bash
# search_contracts() uses the GIN indexes of search_vector and title together
# with the company index, as the same query with the company filter written out
# does.  Under row-level security it could not: a policy's quals run before any
# non-leakproof qual, and @@ and <% are not leakproof, so the planner scanned the
# company's rows and tested each.  The function runs as the owner with the tenant
# filter written out; the index statistics show which indexes a call used.
source "$(dirname "$0")/lib.bash"
plan 5

db=$(fresh_database search_indexes) || { echo "Bail out! cannot create database"; exit 1; }
role=pactoria_it_search_app
drop_role_at_end "$role"
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! CREATE EXTENSION pactoria failed"; exit 1; }
sql "$db" "DROP ROLE IF EXISTS $role; CREATE ROLE $role LOGIN; SELECT pactoria.grant_application_access('$role');
	SET session_replication_role = replica;
	CREATE TABLE public.cos AS SELECT k, pactoria.uuid_generate_v7() AS id FROM generate_series(0, 49) AS k;
	INSERT INTO pactoria.companies (id, name, max_users) SELECT id, 'Search Co ' || k, 10 FROM public.cos;
	INSERT INTO pactoria.users (company_id, id, email, full_name, role)
	SELECT id, id, 'admin' || k || '@search.example', 'Admin', 'admin' FROM public.cos;
	INSERT INTO pactoria.contracts (company_id, title, contract_type, client_name, created_by, final_content)
	SELECT c.id, (ARRAY['Services agreement', 'Office cleaning', 'Software licence', 'Consultancy terms', 'Supply of goods'])[1 + n % 5]
				 || ' ' || md5(n::text), 'nda', 'Client', c.id, 'The parties agree on terms ' || md5(n::text)
	FROM generate_series(1, 50000) AS n JOIN public.cos AS c ON c.k = n % 50;
	RESET session_replication_role" >/dev/null || { echo "Bail out! loading failed"; exit 1; }
sql "$db" "VACUUM ANALYZE pactoria.contracts" >/dev/null || { echo "Bail out! VACUUM failed"; exit 1; }
company=$(sql "$db" "SELECT id FROM public.cos WHERE k = 7")
user=$company
token=$(sql "$db" "SELECT session_token FROM pactoria.create_session('$company', '$user')")
# n = 57 belongs to company 7 (57 % 50).
needle=$(sql "$db" "SELECT md5('57')")

scans() {
	sql "$db" "SELECT pg_stat_clear_snapshot(); SELECT string_agg(indexrelname || '=' || idx_scan, ',' ORDER BY indexrelname)
			   FROM pg_stat_user_indexes WHERE indexrelname IN ('idx_contracts_search_vector', 'idx_contracts_title_trigram')" | tail -1
}
search() {			# search <query>: as the application, in a resumed session; prints the titles found
	psql -X -q -A -t -v ON_ERROR_STOP=1 -U "$role" -d "$db" 2>&1 <<SQL
BEGIN;
\o /dev/null
SELECT * FROM pactoria.resume_session('$token');
\o
SELECT title FROM pactoria.search_contracts('$1') ORDER BY title;
COMMIT;
SELECT pg_stat_force_next_flush();
SQL
}

twin=$(sql "$db" "EXPLAIN (COSTS OFF) SELECT id FROM pactoria.contracts WHERE company_id = '$company'
				  AND search_vector @@ websearch_to_tsquery('english', '$needle')")
ok grep -q 'idx_contracts_search_vector' <<<"$twin" "the explicit-filter twin uses the search_vector index"

before=$(scans)
got=$(search "$needle" | grep -v '^$' | grep -v pg_stat_force_next_flush)
sleep 1
after=$(scans)
is "$(grep -c "$needle" <<<"$got")" "1" "the search finds the one contract with the term"
fts_before=${before#*search_vector=}; fts_before=${fts_before%%,*}
fts_after=${after#*search_vector=}; fts_after=${fts_after%%,*}
ok test "$fts_after" -gt "$fts_before" "and used the search_vector GIN index (idx_scan $fts_before -> $fts_after)"

before=$(scans)
search "Ofice claening" >/dev/null
sleep 1
after=$(scans)
trgm_before=${before#*title_trigram=}; trgm_after=${after#*title_trigram=}
ok test "$trgm_after" -gt "$trgm_before" "a search with typos used the title trigram index (idx_scan $trgm_before -> $trgm_after)"

# Another company's term finds nothing; no tenant, nothing.
other=$(sql "$db" "SELECT md5('58')")
is "$(search "$other" | grep -c "$other")" "0" "another company's contract is not found"
done_testing
