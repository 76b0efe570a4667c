-- Benchmark of entering a tenant: resume_session(session_token) + a one-row read,
-- as the application does it, against set_context(company_id, user_id) + the same
-- read (what a trusted service role does, and what the application did before
-- 0.2.0); the floor is the read alone, by a superuser (row-level security does not
-- apply to it, so it names the company the policy would add) in the same loop.  Each request is its own transaction (a DO loop that COMMITs each
-- time), 2,000 requests a run; the two variants alternate over 5 rounds and the
-- best round of each counts.  Goal (issue 13): at most 1.2x.
\set QUIET on
\pset footer off
\timing off
SET client_min_messages = warning;

SET session_replication_role = replica;
CREATE TABLE bench.companies AS SELECT k, pactoria.uuid_generate_v7() AS id FROM generate_series(0, 9) AS k;
INSERT INTO pactoria.companies (id, name, subscription_tier, max_users, active_user_count)
SELECT id, format('Bench Company %s Ltd', k), 'business', 100, 1 FROM bench.companies;
INSERT INTO pactoria.users (company_id, id, email, full_name, role)
SELECT id, id, format('admin@company%s.bench.example', k), 'Bench Admin', 'admin' FROM bench.companies;
INSERT INTO pactoria.contracts (company_id, title, contract_type, status, created_by)
SELECT c.id, format('Services agreement %s', n), 'services', 'active', c.id
FROM generate_series(1, 10000) AS n JOIN bench.companies AS c ON c.k = n % 10;
RESET session_replication_role;
ANALYZE pactoria.contracts, pactoria.users, pactoria.companies;

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pactoria_bench_app') AS create_role \gset
\if :create_role
CREATE ROLE pactoria_bench_app;
\endif
SELECT pactoria.grant_application_access('pactoria_bench_app') \gset
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pactoria_bench_service') AS create_role \gset
\if :create_role
CREATE ROLE pactoria_bench_service;
\endif
SELECT pactoria.grant_application_access('pactoria_bench_service') \gset
SELECT pactoria.grant_service_access('pactoria_bench_service') \gset

SELECT id AS company FROM bench.companies WHERE k = 4 \gset
SELECT id AS contract FROM pactoria.contracts WHERE company_id = :'company' ORDER BY id LIMIT 1 OFFSET 500 \gset
SELECT session_token AS token FROM pactoria.create_session(:'company', :'company') \gset

\set requests 2000
CREATE TABLE bench.request_timings (variant text, elapsed_ms numeric);
GRANT INSERT ON bench.request_timings TO PUBLIC;
\set resume 'DO $do$ BEGIN FOR i IN 1..' :requests ' LOOP PERFORM pactoria.resume_session(' :'token' '); PERFORM title, status FROM pactoria.contracts WHERE id = ' :'contract' '; COMMIT; END LOOP; END $do$'
\set floor 'DO $do$ BEGIN FOR i IN 1..' :requests ' LOOP PERFORM title, status FROM pactoria.contracts WHERE company_id = ' :'company' ' AND id = ' :'contract' '; COMMIT; END LOOP; END $do$'
\set context 'DO $do$ BEGIN FOR i IN 1..' :requests ' LOOP PERFORM pactoria.set_context(' :'company' ', ' :'company' '); PERFORM title, status FROM pactoria.contracts WHERE id = ' :'contract' '; COMMIT; END LOOP; END $do$'

\o /dev/null
-- (psql has no loop: five rounds written out.)
\ir 80_identity_sessions_round.psql
\ir 80_identity_sessions_round.psql
\ir 80_identity_sessions_round.psql
\ir 80_identity_sessions_round.psql
\ir 80_identity_sessions_round.psql
\o

\echo 'resume_session + one-row read vs set_context + the same read (' :requests ' requests, each its own transaction)'
WITH best AS (SELECT variant, min(elapsed_ms) AS best_ms FROM bench.request_timings GROUP BY variant)
SELECT b.variant, round(b.best_ms, 1) AS best_ms, round(b.best_ms / :requests * 1000, 1) AS us_per_request,
	   round(b.best_ms / r.best_ms, 2) AS ratio, CASE WHEN b.variant = 'set_context' THEN 'baseline'
	   WHEN b.variant LIKE '%floor%' THEN 'floor' WHEN b.best_ms / r.best_ms <= 1.2 THEN 'ok (goal <= 1.2x)' ELSE 'ABOVE GOAL (1.2x)' END AS verdict
FROM best AS b, best AS r WHERE r.variant = 'set_context'
ORDER BY b.best_ms;

-- authenticate(): a login is dominated by bcrypt (issue 13: report its cost).
-- Floor: pgcrypto's crypt() of the same password against the same hash (cost
-- auth.bcrypt_cost, default 12) -- the comparison a login cannot skip.  The rest
-- is the login worker (a background worker and its own transaction), the audit
-- event and the new session.  Best of 5.
SET ROLE pactoria_bench_app;
SELECT 1 AS signed_up FROM pactoria.sign_up('Bench Login Ltd', 'login@bench.example', 'Bench Login', 'a bench login passphrase') \gset
RESET ROLE;
SELECT hashed_password AS login_hash, pactoria.bcrypt_cost(hashed_password) AS login_cost
FROM pactoria.users WHERE email = 'login@bench.example' \gset
SELECT n.nspname AS crypto_schema FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace
WHERE e.extname = 'pgcrypto' \gset
\echo 'authenticate() vs the bcrypt comparison alone (cost ' :login_cost ', best of 5)'
SELECT variant, best_ms, ratio,
	   CASE WHEN variant = 'crypt (floor)' THEN 'floor'
			ELSE format('bcrypt is %s%% of a login', round(100 / ratio)) END AS note
FROM bench.compare(ARRAY['crypt (floor)', 'authenticate'],
				   -- the stored form is 'sha256$' and bcrypt of the password's SHA-256 (base64)
				   ARRAY[format('SELECT %I.crypt(encode(sha256(convert_to(%L, ''UTF8'')), ''base64''), %L)', :'crypto_schema',
								'a bench login passphrase', substr(:'login_hash', 8)),
						 $$SELECT * FROM pactoria.authenticate('login@bench.example', 'a bench login passphrase')$$], 5);
