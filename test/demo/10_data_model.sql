\echo
\echo '=== The data model: two UK companies, their users, templates and contracts ============'
\echo 'Loading test/fixtures/sample_data.sql (Northwind Legal Ltd and Thames Valley Logistics Ltd).'
\set ECHO none
\ir ../fixtures/sample_data.sql
\set ECHO queries

\echo
\echo '--- Companies: max_users follows the subscription tier; active_user_count is kept for the seat limit.'
SELECT name, registration_number, postcode, subscription_tier, max_users, active_user_count
FROM pactoria.companies ORDER BY name;

\echo
\echo '--- Users: e-mail unique system-wide (case-insensitively), is_admin derived from role.'
SELECT c.name AS company, u.full_name, u.email, u.role, u.is_admin
FROM pactoria.users AS u JOIN pactoria.companies AS c ON c.id = u.company_id
ORDER BY c.name, u.role, u.full_name;

\echo
\echo '--- The system template catalogue shipped with pactoria (first rows), readable by every tenant.'
SELECT category, name, contract_type, length(template_content) AS characters
FROM pactoria.templates WHERE company_id IS NULL ORDER BY category, name LIMIT 8;

\echo
\echo '--- Contracts: composite tenant keys, version-7 ids (their time is readable), status lifecycle.'
SELECT c.title, c.status, c.contract_value, c.currency, t.name AS template,
       pactoria.uuid_v7_time(c.id) IS NOT NULL AS id_is_time_ordered
FROM pactoria.contracts AS c LEFT JOIN pactoria.templates AS t ON t.id = c.template_id
ORDER BY c.title;

\echo
\echo '--- A seventh user for the starter company would be its sixth active seat? It has 3; fill it up:'
INSERT INTO pactoria.users (company_id, email, full_name)
SELECT id, 'temp' || n || '@tvlogistics.co.uk', 'Temporary ' || n
FROM pactoria.companies, generate_series(1, 2) AS n WHERE name = 'Thames Valley Logistics Ltd';
\echo 'Now a sixth active user is refused (SQLSTATE 53400):'
\set ON_ERROR_STOP 0
INSERT INTO pactoria.users (company_id, email, full_name)
SELECT id, 'one.too.many@tvlogistics.co.uk', 'One Too Many' FROM pactoria.companies WHERE name = 'Thames Valley Logistics Ltd';
\set ON_ERROR_STOP 1

\echo
\echo '--- Search (as Northwind, under row-level security): full text over content, typo-tolerant on titles.'
CREATE ROLE pactoria_demo_reader;
GRANT USAGE ON SCHEMA pactoria TO pactoria_demo_reader;
GRANT SELECT ON pactoria.contracts TO pactoria_demo_reader;
BEGIN;
SELECT set_config('pactoria.company_id', id::text, true) IS NOT NULL AS tenant_set
FROM pactoria.companies WHERE name = 'Northwind Legal Ltd';
SET LOCAL ROLE pactoria_demo_reader;
SELECT title, round(rank::numeric, 3) AS rank, snippet FROM pactoria.search_contracts('confidential information');
SELECT title, round(rank::numeric, 3) AS rank FROM pactoria.search_contracts('Mutal NDA Acme Robtics');
COMMIT;
DROP OWNED BY pactoria_demo_reader;
DROP ROLE pactoria_demo_reader;

\echo
\echo '--- verify_data_integrity(): nothing bypassed the rules.'
SELECT * FROM pactoria.verify_data_integrity();
