-- Benchmark of tenant isolation: what row-level security costs a tenant's queries.
--
-- 1,000,000 contracts across 100 companies (10,000 each).  Two questions:
--   1. A tenant's listing (latest 20) and a point lookup by id, run by the
--      application role under row-level security, against the floor: the same
--      queries by a BYPASSRLS role that filters on company_id itself.  Goal:
--      within 10 %.  Each timed run repeats the query 2,000 times, planned
--      each time (as a client using the simple query protocol) and as a
--      prepared plan.
--   2. The policy written four ways, on one copy of the table: 0.1.0's
--      (C function in a sub-select: one call per query, as an InitPlan),
--      pactoria's since 0.2.0 (the same C function called directly, which
--      Citus accepts in a distributed table's policy), the baseline a user would write
--      (company_id = current_setting('pactoria.company_id')::uuid) and that
--      wrapped in a sub-select; the floor is the BYPASSRLS role with a constant
--      filter.  A prepared point lookup (the fixed cost per query), and a full
--      count of the tenant's contracts, once as the planner likes it
--      (index-only scan) and once as a sequential scan, where an expression
--      not hoisted into an InitPlan runs once per row.
\set QUIET on
\pset footer off
\timing off
SET client_min_messages = warning;

\echo 'loading 1,000,000 contracts across 100 companies (as the owner, triggers off) ...'
SELECT clock_timestamp() AS load_started \gset
SET session_replication_role = replica;
CREATE TABLE bench.companies AS
SELECT k, pactoria.uuid_generate_v7() AS id FROM generate_series(0, 99) AS k;
INSERT INTO pactoria.companies (id, name, subscription_tier, max_users, active_user_count)
SELECT id, format('Bench Company %s Ltd', k), 'business', 100, 1 FROM bench.companies;
INSERT INTO pactoria.users (company_id, id, email, full_name, role)
SELECT id, id, format('admin@company%s.bench.example', k), 'Bench Admin', 'admin' FROM bench.companies;
INSERT INTO pactoria.contracts (company_id, title, contract_type, status, client_name, contract_value,
								created_by, created_at)
SELECT c.id, format('Services agreement %s', n), (ARRAY['services', 'nda', 'employment', 'supply'])[1 + n % 4],
	   (ARRAY['draft', 'active', 'expired'])[1 + n % 3], format('Client %s Ltd', n % 5000), n % 100000,
	   c.id, timestamptz '2023-01-01 00:00+00' + n * interval '1 minute'
FROM generate_series(1, 1000000) AS n
JOIN bench.companies AS c ON c.k = n % 100;
RESET session_replication_role;

-- The copy for the policy comparison: same rows, same columns, the two btree
-- indexes the queries use, and four ways to write the policy, each for its own
-- role, so that switching role switches policy.
CREATE TABLE bench.contracts_copy (LIKE pactoria.contracts INCLUDING DEFAULTS);
INSERT INTO bench.contracts_copy SELECT * FROM pactoria.contracts;
ALTER TABLE bench.contracts_copy ADD PRIMARY KEY (company_id, id);
CREATE INDEX ON bench.contracts_copy (company_id, created_at DESC);
VACUUM (ANALYZE) pactoria.companies, pactoria.users, pactoria.contracts, bench.contracts_copy;
SELECT round(extract(epoch FROM clock_timestamp() - :'load_started')) AS load_seconds,
	   (SELECT count(*) FROM pactoria.contracts) AS contracts,
	   (SELECT count(DISTINCT company_id) FROM pactoria.contracts) AS companies,
	   pg_size_pretty(pg_total_relation_size('pactoria.contracts')) AS contracts_size;

-- The roles.  Cluster-wide, so removed again at the end.
DROP ROLE IF EXISTS pactoria_bench_app;
DROP ROLE IF EXISTS pactoria_bench_direct_call;
DROP ROLE IF EXISTS pactoria_bench_setting;
DROP ROLE IF EXISTS pactoria_bench_setting_subselect;
DROP ROLE IF EXISTS pactoria_bench_bypass;
CREATE ROLE pactoria_bench_app;
SELECT pactoria.grant_application_access('pactoria_bench_app') \gset
CREATE ROLE pactoria_bench_direct_call;
CREATE ROLE pactoria_bench_setting;
CREATE ROLE pactoria_bench_setting_subselect;
CREATE ROLE pactoria_bench_bypass BYPASSRLS;
GRANT USAGE ON SCHEMA pactoria
	TO pactoria_bench_direct_call, pactoria_bench_setting, pactoria_bench_setting_subselect, pactoria_bench_bypass;
GRANT SELECT ON pactoria.contracts TO pactoria_bench_bypass;
GRANT USAGE ON SCHEMA bench TO pactoria_bench_app, pactoria_bench_direct_call, pactoria_bench_setting,
	pactoria_bench_setting_subselect, pactoria_bench_bypass;
GRANT SELECT ON bench.contracts_copy TO pactoria_bench_app, pactoria_bench_direct_call, pactoria_bench_setting,
	pactoria_bench_setting_subselect, pactoria_bench_bypass;

ALTER TABLE bench.contracts_copy ENABLE ROW LEVEL SECURITY;
ALTER TABLE bench.contracts_copy FORCE ROW LEVEL SECURITY;
CREATE POLICY c_function_subselect ON bench.contracts_copy FOR SELECT TO pactoria_bench_app
	USING (company_id = (SELECT pactoria.current_company_id()));
CREATE POLICY c_function_direct ON bench.contracts_copy FOR SELECT TO pactoria_bench_direct_call
	USING (company_id = pactoria.current_company_id());
CREATE POLICY current_setting_cast ON bench.contracts_copy FOR SELECT TO pactoria_bench_setting
	USING (company_id = current_setting('pactoria.company_id')::uuid);
CREATE POLICY current_setting_cast_subselect ON bench.contracts_copy FOR SELECT TO pactoria_bench_setting_subselect
	USING (company_id = (SELECT current_setting('pactoria.company_id')::uuid));

-- The tenant measured: company 42, and one of its contracts.  Its context is set
-- for the session; the BYPASSRLS role ignores it.
SELECT id AS company FROM bench.companies WHERE k = 42 \gset
SELECT id AS contract FROM pactoria.contracts WHERE company_id = :'company' ORDER BY created_at LIMIT 1 OFFSET 5000 \gset
SELECT pactoria.set_context(:'company', :'company', false) \gset

-- bench.repeat(query, times): run a query times times, planning it each time.
CREATE FUNCTION bench.repeat(query text, times integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..times LOOP
		EXECUTE query;
	END LOOP;
END
$$;

-- bench.become(role_name, sequential): act as role_name (NULL: the session
-- user) until the transaction ends, with index scans off when sequential.
CREATE FUNCTION bench.become(role_name text, sequential boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('role', 'none', true);
	PERFORM set_config('enable_indexscan', (NOT sequential)::text, true);
	PERFORM set_config('enable_indexonlyscan', (NOT sequential)::text, true);
	PERFORM set_config('enable_bitmapscan', (NOT sequential)::text, true);
	IF role_name IS NOT NULL THEN
		PERFORM set_config('role', role_name, true);
	END IF;
END
$$;

-- Each measure is a set of variants, the floor first; the variants of a
-- measure run in turn, round after round, so that whatever else the machine is
-- doing falls on all of them alike, and the best round of each counts.
CREATE TABLE bench.variants (position integer, measure text, variant text, role_name text, sequential boolean, statement text);
CREATE TABLE bench.timings (position integer, elapsed_ms numeric);
GRANT SELECT ON bench.variants TO PUBLIC;
GRANT INSERT ON bench.timings TO PUBLIC;

\set times 2000
\set count_times 20
\set sequential_count_times 2
\set floor 'BYPASSRLS, WHERE company_id = constant (floor)'
\set rls 'application role, row-level security'
INSERT INTO bench.variants (position, measure, variant, role_name, sequential, statement) VALUES
	(1, 'listing, planned each time', :'floor', 'pactoria_bench_bypass', false,
	 format('SELECT bench.repeat(%L, %s)', format('SELECT id, title, status, created_at FROM pactoria.contracts WHERE company_id = %L ORDER BY created_at DESC LIMIT 20', :'company'), :times)),
	(2, 'listing, planned each time', :'rls', 'pactoria_bench_app', false,
	 format('SELECT bench.repeat(%L, %s)', 'SELECT id, title, status, created_at FROM pactoria.contracts ORDER BY created_at DESC LIMIT 20', :times)),
	(3, 'listing, prepared', :'floor', 'pactoria_bench_bypass', false,
	 format('DO $do$ BEGIN FOR i IN 1..%s LOOP PERFORM id, title, status, created_at FROM pactoria.contracts WHERE company_id = %L ORDER BY created_at DESC LIMIT 20; END LOOP; END $do$', :times, :'company')),
	(4, 'listing, prepared', :'rls', 'pactoria_bench_app', false,
	 format('DO $do$ BEGIN FOR i IN 1..%s LOOP PERFORM id, title, status, created_at FROM pactoria.contracts ORDER BY created_at DESC LIMIT 20; END LOOP; END $do$', :times)),
	(5, 'point lookup, planned each time', :'floor', 'pactoria_bench_bypass', false,
	 format('SELECT bench.repeat(%L, %s)', format('SELECT title, status, contract_value FROM pactoria.contracts WHERE company_id = %L AND id = %L', :'company', :'contract'), :times)),
	(6, 'point lookup, planned each time', :'rls', 'pactoria_bench_app', false,
	 format('SELECT bench.repeat(%L, %s)', format('SELECT title, status, contract_value FROM pactoria.contracts WHERE id = %L', :'contract'), :times)),
	(7, 'point lookup, prepared', :'floor', 'pactoria_bench_bypass', false,
	 format('DO $do$ BEGIN FOR i IN 1..%s LOOP PERFORM title, status, contract_value FROM pactoria.contracts WHERE company_id = %L AND id = %L; END LOOP; END $do$', :times, :'company', :'contract')),
	(8, 'point lookup, prepared', :'rls', 'pactoria_bench_app', false,
	 format('DO $do$ BEGIN FOR i IN 1..%s LOOP PERFORM title, status, contract_value FROM pactoria.contracts WHERE id = %L; END LOOP; END $do$', :times, :'contract'));
INSERT INTO bench.variants (position, measure, variant, role_name, sequential, statement)
SELECT 10 * m.m_order + v.v_order, m.measure, v.variant, v.role_name, m.sequential,
	   CASE WHEN m.m_order = 1
			THEN format('DO $do$ BEGIN FOR i IN 1..%s LOOP PERFORM title, status, contract_value FROM bench.contracts_copy WHERE id = %L%s; END LOOP; END $do$',
						:times, :'contract', CASE WHEN v.role_name = 'pactoria_bench_bypass' THEN format(' AND company_id = %L', :'company') ELSE '' END)
			ELSE format('SELECT bench.repeat(%L, %s)',
						'SELECT count(*) FROM bench.contracts_copy'
						|| CASE WHEN v.role_name = 'pactoria_bench_bypass' THEN format(' WHERE company_id = %L', :'company') ELSE '' END,
						CASE WHEN m.sequential THEN :sequential_count_times ELSE :count_times END) END
FROM (VALUES (1, 'policy forms: point lookup, prepared', false),
			 (2, 'policy forms: count, as planned (index-only scan)', false),
			 (3, 'policy forms: count, sequential scan', true))
		AS m (m_order, measure, sequential),
	 (VALUES (1, :'floor', 'pactoria_bench_bypass'),
			 (2, 'company_id = (SELECT pactoria.current_company_id())  (0.1.0)', 'pactoria_bench_app'),
			 (3, 'company_id = pactoria.current_company_id()  (pactoria)', 'pactoria_bench_direct_call'),
			 (4, 'company_id = current_setting(''pactoria.company_id'')::uuid  (baseline)', 'pactoria_bench_setting'),
			 (5, 'company_id = (SELECT current_setting(''pactoria.company_id'')::uuid)', 'pactoria_bench_setting_subselect'))
		AS v (v_order, variant, role_name);

\echo 'timing (15 rounds) ...'
DO $$
DECLARE
	variant record;
BEGIN
	FOR round IN 1..15 LOOP
		FOR variant IN SELECT * FROM bench.variants ORDER BY position LOOP
			INSERT INTO bench.timings
			VALUES (variant.position,
					bench.time_ms(variant.statement, 1,
								  format('SELECT bench.become(%L, %L)', variant.role_name, variant.sequential)));
		END LOOP;
	END LOOP;
	PERFORM bench.become(NULL, false);
END
$$;

-- What each role sees of the copy: the tenant's 10,000 rows (BYPASSRLS: all).
CREATE TABLE bench.visible (role_name text, rows_visible bigint);
GRANT INSERT ON bench.visible TO PUBLIC;
SET ROLE pactoria_bench_app;
INSERT INTO bench.visible SELECT current_user, count(*) FROM bench.contracts_copy;
SET ROLE pactoria_bench_direct_call;
INSERT INTO bench.visible SELECT current_user, count(*) FROM bench.contracts_copy;
SET ROLE pactoria_bench_setting;
INSERT INTO bench.visible SELECT current_user, count(*) FROM bench.contracts_copy;
SET ROLE pactoria_bench_setting_subselect;
INSERT INTO bench.visible SELECT current_user, count(*) FROM bench.contracts_copy;
SET ROLE pactoria_bench_bypass;
INSERT INTO bench.visible SELECT current_user, count(*) FROM bench.contracts_copy;
RESET ROLE;
SELECT * FROM bench.visible ORDER BY role_name;

------------------------------------------------------------------------------------
-- Results: each ratio is to the floor of its measure.
------------------------------------------------------------------------------------
\echo
\echo '=== tenancy: row-level security on 1,000,000 contracts, 100 companies (best of 15 rounds; ratio to the floor)'
SELECT v.measure, v.variant, min(t.elapsed_ms) AS best_ms,
	   round(min(t.elapsed_ms) / nullif(first_value(min(t.elapsed_ms)) OVER (PARTITION BY v.measure ORDER BY v.position), 0), 2) AS ratio
FROM bench.variants AS v JOIN bench.timings AS t USING (position)
GROUP BY v.position, v.measure, v.variant
ORDER BY v.position;

\echo 'listings and point lookups: 2,000 queries per timed run; counts: 20 queries (index-only) or 2 (sequential) per timed run.'

DROP OWNED BY pactoria_bench_app, pactoria_bench_direct_call, pactoria_bench_setting, pactoria_bench_setting_subselect,
	pactoria_bench_bypass;
DROP ROLE pactoria_bench_app;
DROP ROLE pactoria_bench_direct_call;
DROP ROLE pactoria_bench_setting;
DROP ROLE pactoria_bench_setting_subselect;
DROP ROLE pactoria_bench_bypass;
