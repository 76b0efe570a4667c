-- Hostile tests of tenant isolation, run as an application login role that is
-- neither superuser nor owner.  Two companies, A and B, each with rows in every
-- tenant table; acting for A, the role tries everything against B.
--
-- The per-table tests are driven by the catalog: every table of schema pactoria
-- with a company_id column gets them, so a table added later is tested too (and
-- fails the "fixture has rows" test until the fixture below gives it rows).
BEGIN;

CREATE ROLE pactoria_t30_hostile_app LOGIN;
DO $$ BEGIN PERFORM pactoria.grant_application_access('pactoria_t30_hostile_app'); END $$;
-- The role also models a trusted service that names its tenant with set_context().
DO $$ BEGIN PERFORM pactoria.grant_service_access('pactoria_t30_hostile_app'); END $$;

-- The tenant tables, as the guard test (30_tenancy_guard.sql) finds them, but
-- for those the application cannot touch at all (the second factor's secrets,
-- the tenants' data keys).
CREATE SCHEMA tenancy_test;
GRANT USAGE ON SCHEMA tenancy_test TO pactoria_t30_hostile_app;
CREATE VIEW tenancy_test.tenant_table_names AS
SELECT c.oid::regclass AS table_name
FROM pg_class AS c
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped
WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND has_table_privilege('pactoria_t30_hostile_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER');

-- 14 tests per tenant table, and the rest.
SELECT plan(14 * (SELECT count(*)::integer FROM tenancy_test.tenant_table_names) + 43);

SELECT set_eq($$SELECT c.oid::regclass::text FROM pg_class AS c
				JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped
				WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
				  AND NOT has_table_privilege('pactoria_t30_hostile_app', c.oid,
											  'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
				  AND NOT EXISTS (SELECT FROM pg_attribute AS b WHERE b.attrelid = c.oid AND b.attnum > 0 AND NOT b.attisdropped
								  AND has_column_privilege('pactoria_t30_hostile_app', c.oid, b.attnum, 'SELECT, INSERT, UPDATE, REFERENCES'))$$,
			  ARRAY['pactoria.person_keys', 'pactoria.tenant_keys', 'pactoria.user_backup_codes', 'pactoria.user_totp'],
			  'the tenant tables the application holds no privilege on at all are the second factor''s and the data keys, and only those');

------------------------------------------------------------------------------------
-- Helpers.  SECURITY INVOKER: they run as whoever calls them, here the app role.
------------------------------------------------------------------------------------

\ir ../fixtures/tenancy_fixture.sql

-- PostgreSQL's f_leak probe (src/test/regress/sql/rowsecurity.sql): a function so
-- cheap that the planner would run it first, which writes down every value it is
-- shown.  Row-level security must never show it a row the caller cannot see.
CREATE TABLE tenancy_test.leak_log (table_name text, seen text);
GRANT INSERT, SELECT ON tenancy_test.leak_log TO pactoria_t30_hostile_app;
CREATE FUNCTION tenancy_test.f_leak(table_name text, seen text)
RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
	INSERT INTO tenancy_test.leak_log VALUES (table_name, seen);
	RETURN true;
END
$$;

------------------------------------------------------------------------------------
-- Fixture, as the owner: one system template, and two companies with a row in
-- every tenant table.
------------------------------------------------------------------------------------
INSERT INTO pactoria.templates (company_id, name, category, contract_type, description, template_content, legal_notes)
VALUES (NULL, 'Hostile test system NDA', 'hostile_test', 'nda', 'A system template.', 'Between {{party_a}} and {{party_b}}.', 'None.');

CREATE TABLE tenancy_test.tenants AS
SELECT tenancy_test.load_company('Hostile Alpha Ltd', 'alpha.example') AS a,
	   tenancy_test.load_company('Hostile Bravo Ltd', 'bravo.example') AS b;
GRANT SELECT ON tenancy_test.tenants TO pactoria_t30_hostile_app;

-- What the owner sees of each tenant table, before the app role does anything.
CREATE TABLE tenancy_test.tenant_tables AS
SELECT t.table_name,
	   tenancy_test.count_of(format('SELECT count(*) FROM %s WHERE company_id = %L', t.table_name, n.a)) AS a_rows,
	   tenancy_test.count_of(format('SELECT count(*) FROM %s WHERE company_id = %L', t.table_name, n.b)) AS b_rows,
	   tenancy_test.count_of(format('SELECT count(*) FROM %s WHERE company_id = %L OR company_id IS NULL',
									t.table_name, n.a)) AS rows_visible_to_a
FROM tenancy_test.tenant_table_names AS t, tenancy_test.tenants AS n;

ALTER TABLE tenancy_test.tenant_tables
	ADD COLUMN b_checksum text, ADD COLUMN a_row jsonb, ADD COLUMN b_row jsonb;
UPDATE tenancy_test.tenant_tables AS t
SET b_checksum = tenancy_test.rows_checksum(t.table_name, n.b),
	a_row = tenancy_test.some_row(t.table_name, n.a),
	b_row = tenancy_test.some_row(t.table_name, n.b)
FROM tenancy_test.tenants AS n;
GRANT SELECT ON tenancy_test.tenant_tables TO pactoria_t30_hostile_app;

-- Ids the cross-tenant tests use, read as the owner.
CREATE TABLE tenancy_test.ids AS
SELECT n.a, n.b,
	   (SELECT id FROM pactoria.users WHERE company_id = n.a AND role = 'admin') AS a_admin,
	   (SELECT id FROM pactoria.users WHERE company_id = n.b AND role = 'admin') AS b_admin,
	   (SELECT id FROM pactoria.templates WHERE company_id = n.b) AS b_template,
	   (SELECT id FROM pactoria.templates WHERE company_id = n.a) AS a_template,
	   (SELECT id FROM pactoria.templates WHERE company_id IS NULL AND name = 'Hostile test system NDA') AS system_template,
	   (SELECT id FROM pactoria.contracts WHERE company_id = n.a) AS a_contract,
	   (SELECT id FROM pactoria.contracts WHERE company_id = n.b) AS b_contract,
	   (SELECT token_hash FROM pactoria.user_sessions WHERE company_id = n.b) AS b_token_hash,
	   (SELECT max_users FROM pactoria.companies WHERE id = n.a) AS a_max_users,
	   (SELECT md5(c::text) FROM pactoria.companies AS c WHERE id = n.b) AS b_company_checksum
FROM tenancy_test.tenants AS n;
GRANT SELECT ON tenancy_test.ids TO pactoria_t30_hostile_app;

-- References from company A to a row of company B, each beside the same
-- statement referring to an id that does not exist.
CREATE TABLE tenancy_test.cross_references AS
SELECT c.reference, c.other_company_id,
	   format(c.statement, c.other_company_id) AS with_other_company,
	   format(c.statement, '00000000-0000-4000-8000-000000000000') AS with_unknown
FROM tenancy_test.ids AS i,
	 LATERAL (VALUES
		('a contract created by another company''s user', i.b_admin,
		 format('INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by) VALUES (%L, %L, %L, %%L)',
				i.a, 'Cross-tenant test', 'nda')),
		('a contract on another company''s template', i.b_template,
		 format('INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by, template_id) VALUES (%L, %L, %L, %L, %%L)',
				i.a, 'Cross-tenant test', 'nda', i.a_admin)),
		('a compliance score of another company''s contract', i.b_contract,
		 format('INSERT INTO pactoria.compliance_scores (company_id, contract_id, overall_score) VALUES (%L, %%L, 0.5)', i.a))
		-- (users.invited_by: the application cannot write it at all; invite_user() does.)
	 ) AS c (reference, other_company_id, statement);
GRANT SELECT ON tenancy_test.cross_references TO pactoria_t30_hostile_app;

SELECT ok(t.a_rows > 0 AND t.b_rows > 0,
		  format('%s: the fixture has rows of both companies (%s and %s)', t.table_name, t.a_rows, t.b_rows))
FROM tenancy_test.tenant_tables AS t ORDER BY t.table_name::text;

------------------------------------------------------------------------------------
-- As the application role, acting for company A.
------------------------------------------------------------------------------------
SET LOCAL ROLE pactoria_t30_hostile_app;
DO $$ BEGIN PERFORM pactoria.set_context(a, a_admin) FROM tenancy_test.ids; END $$;

SELECT is(tenancy_test.count_of(format('SELECT count(*) FROM %s', t.table_name)), t.rows_visible_to_a,
		  format('%s: company A sees all its rows', t.table_name))
FROM tenancy_test.tenant_tables AS t ORDER BY t.table_name::text;

SELECT is(tenancy_test.count_of(format('SELECT count(*) FROM %s WHERE company_id IS DISTINCT FROM %L%s',
									   t.table_name, n.a,
									   CASE WHEN t.table_name = 'pactoria.templates'::regclass
											THEN ' AND company_id IS NOT NULL' ELSE '' END)),
		  0::bigint, format('%s: company A sees no row of another company, even asking for them', t.table_name))
FROM tenancy_test.tenant_tables AS t, tenancy_test.tenants AS n ORDER BY t.table_name::text;

-- (The append-only tables are not writable by the application at all: there the
-- statement itself is refused.)
SELECT CASE WHEN has_table_privilege(t.table_name, 'UPDATE')
		THEN is(tenancy_test.rows_affected(format('UPDATE %s SET company_id = company_id WHERE company_id = %L',
												  t.table_name, n.b)),
				0::bigint, format('%s: UPDATE of company B''s rows touches none', t.table_name))
		ELSE throws_ok(format('UPDATE %s SET company_id = company_id WHERE company_id = %L', t.table_name, n.b),
					   '42501', NULL, format('%s: UPDATE of company B''s rows is refused', t.table_name)) END
FROM tenancy_test.tenant_tables AS t, tenancy_test.tenants AS n ORDER BY t.table_name::text;

SELECT CASE WHEN has_table_privilege(t.table_name, 'DELETE')
		THEN is(tenancy_test.rows_affected(format('DELETE FROM %s WHERE company_id = %L', t.table_name, n.b)),
				0::bigint, format('%s: DELETE of company B''s rows touches none', t.table_name))
		ELSE throws_ok(format('DELETE FROM %s WHERE company_id = %L', t.table_name, n.b),
					   '42501', NULL, format('%s: DELETE of company B''s rows is refused', t.table_name)) END
FROM tenancy_test.tenant_tables AS t, tenancy_test.tenants AS n ORDER BY t.table_name::text;

-- (SQLSTATE only: a table's own BEFORE ROW triggers run before the policy check.)
SELECT throws_ok(tenancy_test.copy_insert(t.table_name, t.b_row), '42501', NULL,
				 format('%s: INSERT of a row with company B''s company_id is refused', t.table_name))
FROM tenancy_test.tenant_tables AS t ORDER BY t.table_name::text;

SELECT throws_ok(format('UPDATE %s SET company_id = %L WHERE company_id = %L', t.table_name, n.b, n.a), '42501', NULL,
				 format('%s: UPDATE moving company A''s rows to company B is refused', t.table_name))
FROM tenancy_test.tenant_tables AS t, tenancy_test.tenants AS n ORDER BY t.table_name::text;

-- f_leak, in the WHERE clause alone and ORed with an explicit request for B's rows.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT tt.table_name, n.b FROM tenancy_test.tenant_tables AS tt, tenancy_test.tenants AS n LOOP
		-- users: the row without the columns the application may not read.
		EXECUTE format('SELECT count(*) FROM %s AS t WHERE tenancy_test.f_leak(%L, %s)',
					   t.table_name, t.table_name, CASE WHEN t.table_name = 'pactoria.users'::regclass
													   THEN 'row(t.company_id, t.id, t.email, t.full_name)::text' ELSE 't::text' END);
		EXECUTE format('SELECT count(*) FROM %s AS t WHERE tenancy_test.f_leak(%L, %s) OR company_id = %L',
					   t.table_name, t.table_name, CASE WHEN t.table_name = 'pactoria.users'::regclass
													   THEN 'row(t.company_id, t.id, t.email, t.full_name)::text' ELSE 't::text' END, t.b);
	END LOOP;
END
$$;

SELECT is((SELECT count(*) FROM tenancy_test.leak_log AS l WHERE l.table_name = t.table_name::text AND l.seen LIKE '%' || n.b || '%'),
		  0::bigint, format('%s: a leaky cheap function in WHERE never sees a row of company B', t.table_name))
FROM tenancy_test.tenant_tables AS t, tenancy_test.tenants AS n ORDER BY t.table_name::text;

SELECT ok((SELECT count(*) FROM tenancy_test.leak_log AS l WHERE l.table_name = t.table_name::text AND l.seen LIKE '%' || n.a || '%') > 0,
		  format('%s: the leaky function did run, on company A''s rows', t.table_name))
FROM tenancy_test.tenant_tables AS t, tenancy_test.tenants AS n ORDER BY t.table_name::text;

-- Functions of the extension run under the same policies.
SELECT ok((SELECT count(*) FROM pactoria.search_contracts('Hostile NDA') AS s JOIN tenancy_test.ids AS i ON s.id = i.a_contract) = 1,
		  'search_contracts finds company A''s contract');
SELECT is((SELECT count(*) FROM pactoria.search_contracts('Hostile NDA') AS s JOIN tenancy_test.ids AS i ON s.id = i.b_contract),
		  0::bigint, 'and none of company B''s');

------------------------------------------------------------------------------------
-- With no tenant context: nothing visible, every write refused.
-- (Where the application has no such write at all, the append-only tables, it is
-- refused for want of the privilege, before the tenant context is looked at.)
------------------------------------------------------------------------------------
DO $$ BEGIN PERFORM pactoria.clear_context(); END $$;

SELECT is(tenancy_test.count_of(format('SELECT count(*) FROM %s WHERE company_id IS NOT NULL', t.table_name)), 0::bigint,
		  format('%s: without tenant context no tenant row is visible', t.table_name))
FROM tenancy_test.tenant_tables AS t ORDER BY t.table_name::text;

SELECT throws_ok(tenancy_test.copy_insert(t.table_name, t.a_row), '42501',
				 CASE WHEN has_table_privilege(t.table_name, 'INSERT') THEN 'no tenant context is set' END,
				 format('%s: without tenant context INSERT is refused', t.table_name))
FROM tenancy_test.tenant_tables AS t ORDER BY t.table_name::text;

SELECT throws_ok(format('UPDATE %s SET company_id = company_id', t.table_name), '42501',
				 CASE WHEN has_table_privilege(t.table_name, 'UPDATE') THEN 'no tenant context is set' END,
				 format('%s: without tenant context UPDATE is refused', t.table_name))
FROM tenancy_test.tenant_tables AS t ORDER BY t.table_name::text;

SELECT throws_ok(format('DELETE FROM %s', t.table_name), '42501',
				 CASE WHEN has_table_privilege(t.table_name, 'DELETE') THEN 'no tenant context is set' END,
				 format('%s: without tenant context DELETE is refused', t.table_name))
FROM tenancy_test.tenant_tables AS t ORDER BY t.table_name::text;

------------------------------------------------------------------------------------
-- companies: its own row only; name and details yes, subscription and seats no.
------------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM pactoria.companies), 0::bigint, 'companies: without tenant context no company is visible');
SELECT throws_ok($$UPDATE pactoria.companies SET name = 'Renamed'$$, '42501', 'no tenant context is set',
				 'companies: without tenant context UPDATE is refused');

DO $$ BEGIN PERFORM pactoria.set_context(a, a_admin) FROM tenancy_test.ids; END $$;

SELECT results_eq('SELECT id FROM pactoria.companies', 'SELECT a FROM tenancy_test.ids',
				  'companies: company A sees exactly its own row');
SELECT is(tenancy_test.rows_affected(format('UPDATE pactoria.companies SET name = %L WHERE id = %L', 'Taken Over Ltd', b)),
		  0::bigint, 'companies: UPDATE of company B''s row touches none')
FROM tenancy_test.ids;
SELECT is(tenancy_test.rows_affected(format('UPDATE pactoria.companies SET name = %L, address = %L, settings = %L',
											'Hostile Alpha Limited', '1 High Street, Reading', '{"locale": "en-GB"}')),
		  1::bigint, 'companies: company A may rename itself and change its address and settings');
SELECT throws_ok($$UPDATE pactoria.companies SET max_users = 100000$$, '42501', 'permission denied for table companies',
				 'companies: max_users cannot be changed by a tenant');
SELECT throws_ok($$UPDATE pactoria.companies SET subscription_tier = 'business'$$, '42501', 'permission denied for table companies',
				 'companies: subscription_tier cannot be changed by a tenant');
SELECT throws_ok($$UPDATE pactoria.companies SET is_active = true$$, '42501', 'permission denied for table companies',
				 'companies: is_active cannot be changed by a tenant');
SELECT throws_ok($$UPDATE pactoria.companies SET active_user_count = 0$$, '42501', 'permission denied for table companies',
				 'companies: active_user_count cannot be changed by a tenant');
SELECT throws_ok(format('UPDATE pactoria.companies SET id = %L', b), '42501', 'permission denied for table companies',
				 'companies: id cannot be changed by a tenant')
FROM tenancy_test.ids;
SELECT throws_ok($$INSERT INTO pactoria.companies (name, max_users) VALUES ('Shell Ltd', 5)$$, '42501',
				 'permission denied for table companies', 'companies: a tenant cannot create a company by INSERT');
SELECT throws_ok($$DELETE FROM pactoria.companies$$, '42501', 'permission denied for table companies',
				 'companies: a tenant cannot delete companies');
SELECT is((SELECT count(*) FROM pactoria.companies AS c WHERE tenancy_test.f_leak('companies', c::text)), 1::bigint,
		  'companies: the leaky function is shown one row');
SELECT is((SELECT count(*) FROM tenancy_test.leak_log WHERE table_name = 'companies' AND seen LIKE '%' || b || '%'),
		  0::bigint, 'companies: and never company B''s')
FROM tenancy_test.ids;

------------------------------------------------------------------------------------
-- templates: system templates readable, not writable; other companies' invisible.
------------------------------------------------------------------------------------
SELECT results_eq('SELECT id FROM pactoria.templates WHERE name IN (''Own NDA'', ''Hostile test system NDA'') ORDER BY id',
				  'SELECT unnest(ARRAY[a_template, system_template]) AS id FROM tenancy_test.ids ORDER BY 1',
				  'templates: company A sees its own template and the system template, not B''s');
SELECT is(tenancy_test.rows_affected(format('UPDATE pactoria.templates SET name = %L WHERE company_id IS NULL', 'Hijacked')),
		  0::bigint, 'templates: UPDATE of a system template touches none');
SELECT is(tenancy_test.rows_affected('DELETE FROM pactoria.templates WHERE company_id IS NULL'),
		  0::bigint, 'templates: DELETE of a system template touches none');
SELECT throws_ok($$INSERT INTO pactoria.templates (company_id, name, category, contract_type, description, template_content, legal_notes)
				   VALUES (NULL, 'Fake system template', 'hostile_test', 'nda', 'x', 'x', 'x')$$,
				 '42501', 'new row violates row-level security policy for table "templates"',
				 'templates: a tenant cannot create a system template');
SELECT throws_ok(format('UPDATE pactoria.templates SET company_id = NULL WHERE id = %L', a_template), '42501',
				 'cannot move a row of pactoria.templates to another company',
				 'templates: a tenant cannot turn its template into a system template')
FROM tenancy_test.ids;

------------------------------------------------------------------------------------
-- References to another company's rows are refused, and say no more than a
-- reference to a row that does not exist.
------------------------------------------------------------------------------------

SELECT matches(tenancy_test.error_of(c.with_other_company), '^23503: ', format('%s is refused (23503)', c.reference))
FROM tenancy_test.cross_references AS c ORDER BY c.reference;
SELECT is(tenancy_test.error_of(c.with_other_company),
		  replace(tenancy_test.error_of(c.with_unknown), '00000000-0000-4000-8000-000000000000', c.other_company_id::text),
		  format('%s: the error is the same as for one that does not exist', c.reference))
FROM tenancy_test.cross_references AS c ORDER BY c.reference;
SELECT is(tenancy_test.error_of(format('INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by, template_id) VALUES (%L, %L, %L, %L, %L)',
											a, 'On the system template', 'nda', a_admin, system_template)),
		  'no error', 'a contract on a system template is accepted')
FROM tenancy_test.ids;

------------------------------------------------------------------------------------
-- Unique keys: per company, so another company's values never collide; a
-- violation shows no key values.  The e-mail address is unique system-wide: the
-- documented exception, which tells only that the address is taken.
------------------------------------------------------------------------------------
SELECT is(tenancy_test.error_of(format('INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by) VALUES (%L, %L, %L, %L, %L)',
									   a, b_contract, 'Same id as B''s contract', 'nda', a_admin)),
		  'no error', 'a contract may have the id of another company''s contract: keys are per company')
FROM tenancy_test.ids;
SELECT is(tenancy_test.error_of(format('INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by) VALUES (%L, %L, %L, %L, %L)',
									   a, a_contract, 'Same id as A''s contract', 'nda', a_admin)),
		  '23505: duplicate key value violates unique constraint "contracts_pkey"',
		  'a duplicate within the company is refused and the message shows no key value')
FROM tenancy_test.ids;
SELECT is(tenancy_test.error_of(format('INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at) VALUES (%L, %L, %L, now() + interval ''1 hour'')',
									   a, a_admin, b_token_hash)),
		  '42501: permission denied for table user_sessions',
		  'the application cannot write a session (not even one with the token hash of another company''s session): only the session functions do')
FROM tenancy_test.ids;
SELECT is(tenancy_test.error_of($$INSERT INTO pactoria.users (company_id, email, full_name) SELECT a, 'ADMIN@bravo.example', 'Impostor' FROM tenancy_test.ids$$),
		  '23505: duplicate key value violates unique constraint "idx_users_lower_email"',
		  'an e-mail address of another company''s user is refused, saying only that it is taken');

------------------------------------------------------------------------------------
-- The context itself.
------------------------------------------------------------------------------------
SELECT throws_ok(format('SELECT pactoria.set_context(%L, %L)', a, b_admin), '42501', NULL,
				 'set_context refuses a user of another company')
FROM tenancy_test.ids;
SELECT throws_ok(format('SELECT pactoria.set_context(%L, %L)', b, a_admin), '42501', NULL,
				 'set_context refuses a company the user does not belong to')
FROM tenancy_test.ids;
SELECT throws_ok(format('SET pactoria.company_id = %L', b), '42501', 'permission denied to set parameter "pactoria.company_id"',
				 'the application role cannot SET the tenant context itself')
FROM tenancy_test.ids;
SELECT throws_ok(format('SELECT set_config(%L, %L, true)', 'pactoria.company_id', b), '42501', NULL,
				 'nor through set_config()')
FROM tenancy_test.ids;
SET LOCAL row_security = off;
SELECT throws_ok('SELECT count(*) FROM pactoria.contracts', '42501', NULL,
				 'row_security = off does not lift the policies: the query is refused');
RESET row_security;
SELECT throws_ok('ALTER TABLE pactoria.contracts DISABLE ROW LEVEL SECURITY', '42501', NULL,
				 'the application role cannot disable row-level security');
SELECT throws_ok('TRUNCATE pactoria.contracts', '42501', NULL,
				 'the application role cannot TRUNCATE a tenant table');
SELECT throws_ok('SELECT pactoria.grant_application_access(''pactoria_t30_hostile_app'')', '42501', NULL,
				 'the application role cannot grant itself access');

------------------------------------------------------------------------------------
-- Back as the owner: company B's rows are exactly as they were.
------------------------------------------------------------------------------------
RESET ROLE;

SELECT is(tenancy_test.rows_checksum(t.table_name, n.b), t.b_checksum,
		  format('%s: company B''s rows are unchanged', t.table_name))
FROM tenancy_test.tenant_tables AS t, tenancy_test.tenants AS n ORDER BY t.table_name::text;
SELECT is((SELECT md5(c::text) FROM pactoria.companies AS c WHERE id = b), b_company_checksum,
		  'companies: company B''s row is unchanged')
FROM tenancy_test.ids;
SELECT is((SELECT max_users FROM pactoria.companies WHERE id = a), a_max_users,
		  'companies: company A''s seat limit is unchanged')
FROM tenancy_test.ids;

SELECT * FROM finish();
ROLLBACK;
