\echo
\echo '=== pactoria: tenant isolation ========================================================'
\echo 'Every company is a tenant. The application connects as ONE role for all of them;'
\echo 'row-level security, keyed on the tenant context, decides what each request sees.'

\echo
\echo '--- As the owner: an application login role, given exactly what it needs.'
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pactoria_demo_app') AS create_role \gset
\if :create_role
CREATE ROLE pactoria_demo_app LOGIN;
\endif
SELECT pactoria.grant_application_access('pactoria_demo_app');

-- The two companies scene 10 loaded, and a user of each.
SELECT c.id AS northwind,
	   (SELECT u.id FROM pactoria.users AS u WHERE u.company_id = c.id AND u.is_active
		ORDER BY u.role = 'admin' DESC, u.created_at LIMIT 1) AS northwind_user
FROM pactoria.companies AS c WHERE c.name = 'Northwind Legal Ltd' \gset
SELECT c.id AS thames,
	   (SELECT u.id FROM pactoria.users AS u WHERE u.company_id = c.id AND u.is_active
		ORDER BY u.role = 'admin' DESC, u.created_at LIMIT 1) AS thames_user
FROM pactoria.companies AS c WHERE c.name = 'Thames Valley Logistics Ltd' \gset
-- A login session for each user, as authenticate() makes one (tokens returned once).
SELECT session_token AS northwind_token FROM pactoria.create_session(:'northwind', :'northwind_user') \gset
SELECT session_token AS thames_token FROM pactoria.create_session(:'thames', :'thames_user') \gset

\echo
\echo '--- As the application role. One request for Northwind, then one for Thames Valley,'
\echo '--- on the same connection: resume_session(session_token) at the start of each transaction.'
SET ROLE pactoria_demo_app;
CREATE TEMP TABLE seen_by_request (acting_for text, contracts_visible bigint, of_another_company bigint, titles text);
-- What each request records: which company it sees, and the contracts.
\set record_what_is_seen 'INSERT INTO seen_by_request SELECT (SELECT name FROM pactoria.companies), count(*), count(*) FILTER (WHERE company_id <> pactoria.current_company_id()), string_agg(title, ''; '' ORDER BY title) FROM pactoria.contracts;'

BEGIN;
SELECT company_id, user_id FROM pactoria.resume_session(:'northwind_token') \gset session_
:record_what_is_seen
COMMIT;

BEGIN;
SELECT company_id, user_id FROM pactoria.resume_session(:'thames_token') \gset session_
:record_what_is_seen
COMMIT;

\echo 'Side by side: each request saw its own company and its own contracts, nothing else.'
SELECT * FROM seen_by_request;

\echo
\echo '--- Between requests (after COMMIT) the connection has no tenant context: nothing visible.'
SELECT pactoria.current_company_id() AS company_in_context, count(*) AS contracts_visible FROM pactoria.contracts;

\echo
\echo '--- A Northwind request tries to reach Thames Valley''s data.'
BEGIN;
SELECT company_id, user_id FROM pactoria.resume_session(:'northwind_token') \gset session_
\echo 'Asking for Thames Valley''s contracts by company_id finds none, and so changes none:'
SELECT title FROM pactoria.contracts WHERE company_id = :'thames';
UPDATE pactoria.contracts SET status = 'terminated' WHERE company_id = :'thames' RETURNING title;
\echo 'Writing a contract into Thames Valley is refused:'
\set ON_ERROR_STOP off
\set SHOW_CONTEXT never
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
VALUES (:'thames', 'Planted by Northwind', 'services', :'thames_user');
ROLLBACK;
\echo 'And the application cannot name a tenant itself: set_context() is not its to call,'
SELECT pactoria.set_context(:'thames', :'thames_user');
\echo 'and a made-up session token or context value opens nothing:'
SELECT * FROM pactoria.resume_session('pct_s_' || repeat('A', 86));
SET pactoria.context = 'v1.a-forged-context';
\set ON_ERROR_STOP on

RESET ROLE;
\echo
\echo 'The owner (migrations, maintenance) still sees every tenant:'
SELECT c.name AS company, count(t.*) AS contracts
FROM pactoria.companies AS c LEFT JOIN pactoria.contracts AS t ON t.company_id = c.id
WHERE c.id IN (:'northwind', :'thames')
GROUP BY c.name ORDER BY c.name;
