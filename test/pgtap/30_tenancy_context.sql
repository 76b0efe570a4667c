-- The tenant context and the tenancy API: set_context, clear_context,
-- create_company, find_login, find_session, grant_application_access; their
-- behaviour and every kind of bad input.  (Their exact messages are in the
-- pg_regress test sql/tenancy_context.sql; the hostile tests in
-- 30_tenancy_hostile.sql; what needs COMMIT in test/integration/30_tenancy_pool.sh.)
BEGIN;
SELECT plan(81);

CREATE ROLE pactoria_t30_context_app LOGIN;
CREATE ROLE pactoria_t30_context_outsider LOGIN;
DO $$ BEGIN PERFORM pactoria.grant_application_access('pactoria_t30_context_app'); END $$;
-- The role also models a trusted service that names its tenant with set_context().
DO $$ BEGIN PERFORM pactoria.grant_service_access('pactoria_t30_context_app'); END $$;

CREATE TABLE context_ids AS
SELECT a.company_id AS a, a.user_id AS a_admin, b.company_id AS b, b.user_id AS b_admin
FROM pactoria.create_company('Context Alpha Ltd', 'admin@context-alpha.example', 'Alpha Admin',
							 admin_hashed_password => '$2a$06$abcdefghijklmnopqrstuv0123456789012345678901234567890') AS a,
	 pactoria.create_company('Context Bravo Ltd', 'admin@context-bravo.example', 'Bravo Admin') AS b;
GRANT SELECT ON context_ids TO pactoria_t30_context_app;
ALTER TABLE context_ids ADD COLUMN a_viewer uuid, ADD COLUMN a_inactive uuid;
WITH viewer AS (
	INSERT INTO pactoria.users (company_id, email, full_name, role)
	SELECT a, 'viewer@context-alpha.example', 'Alpha Viewer', 'viewer' FROM context_ids RETURNING id
), inactive AS (
	INSERT INTO pactoria.users (company_id, email, full_name, is_active)
	SELECT a, 'gone@context-alpha.example', 'Alpha Leaver', false FROM context_ids RETURNING id
)
UPDATE context_ids SET a_viewer = (SELECT id FROM viewer), a_inactive = (SELECT id FROM inactive);

------------------------------------------------------------------------------------
-- The settings themselves.
------------------------------------------------------------------------------------
SELECT is(pactoria.current_company_id(), NULL, 'no tenant context: current_company_id() is NULL');
SELECT is(pactoria.current_user_id(), NULL, 'no tenant context: current_user_id() is NULL');
SELECT throws_ok($$SET LOCAL pactoria.company_id = 'not-a-uuid'$$, '22023', NULL,
				 'a malformed company id is refused when it is SET');
SELECT throws_ok($$SET LOCAL pactoria.user_id = '01234567-89ab-cdef-0123-456789abcde'$$, '22023', NULL,
				 'a UUID one digit short is refused');
SET LOCAL pactoria.company_id = '0123456789ABCDEF0123456789ABCDEF';
SELECT is(pactoria.current_company_id(), '01234567-89ab-cdef-0123-456789abcdef'::uuid,
		  'a UUID as 32 hex digits, upper case, is accepted');
SET LOCAL pactoria.company_id = '';
SELECT is(pactoria.current_company_id(), NULL, 'the empty string a reverted SET LOCAL leaves is no context');

------------------------------------------------------------------------------------
-- set_context and clear_context, as the application role.
------------------------------------------------------------------------------------
SET LOCAL ROLE pactoria_t30_context_app;

SELECT lives_ok(format('SELECT pactoria.set_context(%L, %L)', a, a_admin), 'set_context() for a company and its user')
FROM context_ids;
SELECT is(pactoria.current_company_id(), a, 'the company stays in context after set_context() returns')
FROM context_ids;
SELECT is(pactoria.current_user_id(), a_admin, 'and so does the user')
FROM context_ids;
SELECT is((SELECT count(*) FROM pactoria.users), 3::bigint, 'company A''s users are visible, and only they');

SAVEPOINT before_switch;
SELECT lives_ok(format('SELECT pactoria.set_context(%L)', b), 'set_context() for a company without a user')
FROM context_ids;
SELECT is(pactoria.current_company_id(), b, 'switches the company') FROM context_ids;
SELECT is(pactoria.current_user_id(), NULL, 'and leaves no user in context');
ROLLBACK TO SAVEPOINT before_switch;
SELECT is(pactoria.current_company_id(), a, 'rolling back to a savepoint restores the previous context')
FROM context_ids;

SELECT lives_ok(format('SELECT pactoria.set_context(%L, %L, is_local => false)', a, a_viewer),
				'set_context() for the session') FROM context_ids;
SELECT is(pactoria.current_user_id(), a_viewer, 'sets the user for the session') FROM context_ids;

SELECT lives_ok('SELECT pactoria.clear_context()', 'clear_context()');
SELECT is(pactoria.current_company_id(), NULL, 'clear_context() leaves no company');
SELECT is(pactoria.current_user_id(), NULL, 'and no user');
SELECT is((SELECT count(*) FROM pactoria.users), 0::bigint, 'and nothing visible');

SELECT throws_ok('SELECT pactoria.set_context(NULL)', '22004', NULL, 'set_context(NULL) is refused');
SELECT throws_ok(format('SELECT pactoria.set_context(%L, %L, NULL)', a, a_admin), '22004', NULL,
				 'set_context() with is_local NULL is refused') FROM context_ids;
SELECT throws_ok(format('SELECT pactoria.set_context(%L)', gen_random_uuid()), '42501', NULL,
				 'set_context() for an unknown company is refused');
SELECT throws_ok(format('SELECT pactoria.set_context(%L, %L)', a, gen_random_uuid()), '42501', NULL,
				 'set_context() with an unknown user is refused') FROM context_ids;
SELECT throws_ok(format('SELECT pactoria.set_context(%L, %L)', a, a_inactive), '42501', NULL,
				 'set_context() with an inactive user is refused') FROM context_ids;
SELECT throws_ok(format('SELECT pactoria.set_context(%L, %L)', a, b_admin), '42501', NULL,
				 'set_context() with a user of another company is refused') FROM context_ids;
SELECT throws_ok('SELECT pactoria.set_context(''not-a-uuid'')', '22P02', NULL,
				 'set_context() with a malformed id is refused');
SELECT is(pactoria.current_company_id(), NULL, 'a refused set_context() set nothing');

RESET ROLE;
UPDATE pactoria.companies SET is_active = false WHERE id = (SELECT b FROM context_ids);
SET LOCAL ROLE pactoria_t30_context_app;
SELECT throws_ok(format('SELECT pactoria.set_context(%L, %L)', b, b_admin), '42501', NULL,
				 'set_context() for an inactive company is refused') FROM context_ids;
RESET ROLE;
UPDATE pactoria.companies SET is_active = true WHERE id = (SELECT b FROM context_ids);

------------------------------------------------------------------------------------
-- create_company: onboarding, without a context.
------------------------------------------------------------------------------------
CREATE TEMP TABLE onboarded AS
SELECT * FROM pactoria.create_company('  Charlie Trading Ltd ', 'Founder@Charlie.example', 'Carol Founder',
									  subscription_tier => 'professional', registration_number => '01234567',
									  postcode => 'RG1 1AA');
SELECT is((SELECT count(*) FROM onboarded WHERE company_id IS NOT NULL AND user_id IS NOT NULL), 1::bigint,
		  'create_company() by the owner, without context, returns the new ids');
SET LOCAL ROLE pactoria_t30_context_app;
SELECT is((SELECT count(*) FROM pactoria.companies), 0::bigint, 'and the new company is not visible to the application without context');
RESET ROLE;
SELECT results_eq($$SELECT c.name, c.subscription_tier, c.max_users, c.active_user_count, c.registration_number::text, c.postcode::text, c.is_active
					FROM pactoria.companies AS c JOIN onboarded AS o ON o.company_id = c.id$$,
				  $$VALUES ('Charlie Trading Ltd', 'professional', 25, 1, '01234567', 'RG1 1AA', true)$$,
				  'the company is created, name trimmed, with the seats of its tier and one taken');
SELECT results_eq($$SELECT u.email, u.full_name, u.role, u.is_admin, u.is_active, u.hashed_password
					FROM pactoria.users AS u JOIN onboarded AS o ON o.company_id = u.company_id AND o.user_id = u.id$$,
				  $$VALUES ('Founder@Charlie.example', 'Carol Founder', 'admin', true, true, NULL::text)$$,
				  'its first user is an active administrator');
SELECT lives_ok(format('SELECT pactoria.set_context(%L, %L)', company_id, user_id),
				'the new administrator can act for the new company') FROM onboarded;
DO $$ BEGIN PERFORM pactoria.clear_context(); END $$;

CREATE TEMP TABLE company_count AS SELECT count(*) AS before FROM pactoria.companies;
SELECT throws_ok($$SELECT pactoria.create_company(NULL, 'x@y.example', 'X')$$, '22004', 'company_name must not be NULL',
				 'create_company(): NULL name');
SELECT throws_ok($$SELECT pactoria.create_company('   ', 'x@y.example', 'X')$$, '22023', NULL,
				 'create_company(): blank name');
SELECT throws_ok(format('SELECT pactoria.create_company(%L, %L, %L)', repeat('x', 201), 'x@y.example', 'X'), '22023', NULL,
				 'create_company(): name too long');
SELECT throws_ok($$SELECT pactoria.create_company('Delta Ltd', NULL, 'X')$$, '22004', 'admin_email must not be NULL',
				 'create_company(): NULL e-mail address');
SELECT throws_ok($$SELECT pactoria.create_company('Delta Ltd', 'not an address', 'X')$$, '22023', NULL,
				 'create_company(): malformed e-mail address');
SELECT throws_ok(format('SELECT pactoria.create_company(%L, %L, %L)', 'Delta Ltd', repeat('x', 250) || '@y.example', 'X'), '22023', NULL,
				 'create_company(): e-mail address too long');
SELECT throws_ok($$SELECT pactoria.create_company('Delta Ltd', 'ADMIN@context-alpha.example', 'X')$$, '23505', NULL,
				 'create_company(): e-mail address already in use, in any case');
SELECT throws_ok($$SELECT pactoria.create_company('Delta Ltd', 'x@y.example', '')$$, '22023', NULL,
				 'create_company(): empty administrator name');
SELECT throws_ok($$SELECT pactoria.create_company('Delta Ltd', 'x@y.example', 'X', 'plaintext')$$, '22023', NULL,
				 'create_company(): a password instead of a password hash');
SELECT throws_ok($$SELECT pactoria.create_company('Delta Ltd', 'x@y.example', 'X', subscription_tier => 'gold')$$, '22023', NULL,
				 'create_company(): unknown subscription tier');
SELECT throws_ok($$SELECT pactoria.create_company('Delta Ltd', 'x@y.example', 'X', subscription_tier => NULL)$$, '22004', NULL,
				 'create_company(): NULL subscription tier');
SELECT throws_ok(format('SELECT pactoria.create_company(%L, %L, %L, address => %L)', 'Delta Ltd', 'x@y.example', 'X', repeat('x', 1001)),
				 '23514', NULL, 'create_company(): an address too long for the table');
SELECT is((SELECT count(*) FROM pactoria.companies), (SELECT before FROM company_count),
		  'no refused create_company() left a company behind');

------------------------------------------------------------------------------------
-- find_login and find_session: for the owner only since 0.2.0 (the application logs
-- in with authenticate() and resumes a session with resume_session()).
------------------------------------------------------------------------------------
SELECT results_eq($$SELECT company_id, user_id, hashed_password, is_active, locked_until FROM pactoria.find_login('ADMIN@Context-Alpha.example')$$,
				  $$SELECT a, a_admin, '$2a$06$abcdefghijklmnopqrstuv0123456789012345678901234567890'::text, true, NULL::timestamptz FROM context_ids$$,
				  'find_login() finds a user by e-mail address in any case, with the password hash');
SELECT is_empty($$SELECT * FROM pactoria.find_login('nobody@context-alpha.example')$$, 'find_login(): unknown address, no row');
SELECT is_empty($$SELECT * FROM pactoria.find_login(NULL)$$, 'find_login(NULL): no row');
SELECT is_empty($$SELECT * FROM pactoria.find_login('')$$, 'find_login(''''): no row');
SELECT is((SELECT is_active FROM pactoria.find_login('gone@context-alpha.example')), false,
		  'find_login(): an inactive user is reported inactive');
RESET ROLE;
UPDATE pactoria.users SET locked_until = '2030-01-01 00:00+00' WHERE email = 'viewer@context-alpha.example';
UPDATE pactoria.companies SET is_active = false WHERE id = (SELECT b FROM context_ids);
SELECT is((SELECT locked_until FROM pactoria.find_login('viewer@context-alpha.example')), '2030-01-01 00:00+00'::timestamptz,
		  'find_login(): locked_until is reported');
SELECT is((SELECT is_active FROM pactoria.find_login('admin@context-bravo.example')), false,
		  'find_login(): the user of an inactive company is reported inactive');
RESET ROLE;
UPDATE pactoria.companies SET is_active = true WHERE id = (SELECT b FROM context_ids);

INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, status, expires_at)
SELECT a, user_id, sha256(convert_to(token, 'UTF8')), status, now() + lifetime
FROM context_ids
CROSS JOIN LATERAL (VALUES ('live token', a_admin, 'active', interval '1 hour'),
			 ('revoked token', a_admin, 'revoked', interval '1 hour'),
			 ('leaver token', a_inactive, 'active', interval '1 hour'),
			 ('twin token', a_admin, 'active', interval '1 hour')) AS s (token, user_id, status, lifetime);
INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at, created_at)
SELECT a, a_admin, sha256(convert_to('old token', 'UTF8')), now() - interval '1 hour', now() - interval '2 hours' FROM context_ids;
INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at)
SELECT b, b_admin, sha256(convert_to('twin token', 'UTF8')), now() + interval '1 hour' FROM context_ids;

SELECT results_eq($$SELECT company_id, user_id FROM pactoria.find_session(sha256('live token'))$$,
				  $$SELECT a, a_admin FROM context_ids$$,
				  'find_session() resolves the digest of a live session token to its company and user');
SELECT is_empty($$SELECT * FROM pactoria.find_session(sha256(convert_to('old token', 'UTF8')))$$, 'find_session(): an expired session, no row');
SELECT is_empty($$SELECT * FROM pactoria.find_session(sha256('revoked token'))$$, 'find_session(): a revoked session, no row');
SELECT is_empty($$SELECT * FROM pactoria.find_session(sha256('leaver token'))$$, 'find_session(): the session of an inactive user, no row');
SELECT is_empty($$SELECT * FROM pactoria.find_session(sha256('twin token'))$$,
				'find_session(): a digest stored by two companies resolves to neither');
SELECT is_empty($$SELECT * FROM pactoria.find_session(sha256('unknown token'))$$, 'find_session(): an unknown token, no row');
SELECT is_empty($$SELECT * FROM pactoria.find_session(NULL)$$, 'find_session(NULL): no row');
SELECT throws_ok($$SELECT * FROM pactoria.find_session(convert_to('live token', 'UTF8'))$$, '22023', NULL,
				 'find_session() refuses the token itself instead of its digest');

------------------------------------------------------------------------------------
-- grant_application_access.
------------------------------------------------------------------------------------
RESET ROLE;
SELECT throws_ok($$SELECT pactoria.grant_application_access(NULL)$$, '22004', NULL, 'grant_application_access(NULL) is refused');
SELECT throws_ok($$SELECT pactoria.grant_application_access('pactoria_t30_no_such_role')$$, '42704', NULL,
				 'grant_application_access() of an unknown role is refused');
SELECT throws_ok($$SELECT pactoria.grant_application_access(current_user::regrole)$$, '22023', NULL,
				 'grant_application_access() refuses a superuser');
CREATE ROLE pactoria_t30_context_bypass BYPASSRLS;
SELECT throws_ok($$SELECT pactoria.grant_application_access('pactoria_t30_context_bypass')$$, '22023', NULL,
				 'grant_application_access() refuses a BYPASSRLS role');
GRANT pactoria_t30_context_bypass TO pactoria_t30_context_outsider;
SELECT throws_ok($$SELECT pactoria.grant_application_access('pactoria_t30_context_outsider')$$, '22023', NULL,
				 'grant_application_access() refuses a member of a BYPASSRLS role');
REVOKE pactoria_t30_context_bypass FROM pactoria_t30_context_outsider;
CREATE TABLE pactoria.t30_owned_by_outsider (id integer);
ALTER TABLE pactoria.t30_owned_by_outsider OWNER TO pactoria_t30_context_outsider;
SELECT throws_ok($$SELECT pactoria.grant_application_access('pactoria_t30_context_outsider')$$, '22023', NULL,
				 'grant_application_access() refuses a role that owns an object in schema pactoria');
DROP TABLE pactoria.t30_owned_by_outsider;

SET LOCAL ROLE pactoria_t30_context_outsider;
SELECT throws_ok('SELECT count(*) FROM pactoria.contracts', '42501', NULL,
				 'a role not given application access cannot even reach the schema');
RESET ROLE;

GRANT TRUNCATE ON pactoria.contracts TO pactoria_t30_context_app;
GRANT SELECT ON pactoria.companies TO pactoria_t30_context_app WITH GRANT OPTION;
GRANT UPDATE (max_users) ON pactoria.companies TO pactoria_t30_context_app;
SELECT lives_ok($$SELECT pactoria.grant_application_access('pactoria_t30_context_app')$$,
				'grant_application_access() can be called again');
SELECT ok(NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.contracts', 'TRUNCATE')
		  AND NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.companies', 'SELECT WITH GRANT OPTION')
		  AND NOT has_column_privilege('pactoria_t30_context_app', 'pactoria.companies', 'max_users', 'UPDATE')
		  AND has_column_privilege('pactoria_t30_context_app', 'pactoria.companies', 'name', 'UPDATE')
		  AND has_table_privilege('pactoria_t30_context_app', 'pactoria.contracts', 'SELECT, INSERT, UPDATE, DELETE'),
		  'and leaves exactly its own privileges: what was granted beside them is revoked');

-- It reads the catalog each time: what later files add is covered by calling it
-- again, and what would escape row-level security is not granted.
CREATE TABLE pactoria.t30_later_tenant_table (
	company_id uuid NOT NULL, id integer GENERATED BY DEFAULT AS IDENTITY, PRIMARY KEY (company_id, id));
SELECT lives_ok($$SELECT pactoria.enable_tenant_isolation('pactoria.t30_later_tenant_table')$$,
				'enable_tenant_isolation() puts a new tenant table under isolation');
CREATE TABLE pactoria.t30_later_unisolated (company_id uuid NOT NULL);
CREATE TABLE pactoria.t30_later_reference (code text);
CREATE VIEW pactoria.t30_owner_rights_view AS SELECT company_id FROM pactoria.contracts;
CREATE VIEW pactoria.t30_invoker_view WITH (security_invoker) AS SELECT company_id FROM pactoria.contracts;
CREATE MATERIALIZED VIEW pactoria.t30_tenant_matview AS SELECT company_id, count(*) FROM pactoria.contracts GROUP BY company_id;
CREATE MATERIALIZED VIEW pactoria.t30_global_matview AS SELECT count(*) FROM pactoria.templates;
SET LOCAL client_min_messages = error;
SELECT lives_ok($$SELECT pactoria.grant_application_access('pactoria_t30_context_app')$$,
				'grant_application_access() after tables and views were added');
RESET client_min_messages;
SELECT ok(has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_later_tenant_table', 'SELECT')
		  AND NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_later_tenant_table', 'INSERT')
		  AND NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_later_tenant_table', 'UPDATE')
		  AND NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_later_tenant_table', 'DELETE')
		  AND NOT has_sequence_privilege('pactoria_t30_context_app',
										 pg_get_serial_sequence('pactoria.t30_later_tenant_table', 'id'), 'USAGE'),
		  'a tenant table added later: SELECT only (writes come from the explicit list), no sequence');
SELECT ok(NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_later_unisolated', 'SELECT, INSERT, UPDATE, DELETE'),
		  'a table with company_id but no row-level security: nothing');
SELECT ok(has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_later_reference', 'SELECT')
		  AND NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_later_reference', 'INSERT, UPDATE, DELETE'),
		  'a table without company_id: SELECT only');
SELECT ok(has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_invoker_view', 'SELECT')
		  AND NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_owner_rights_view', 'SELECT'),
		  'a security_invoker view: SELECT; a view with its owner''s rights: nothing');
SELECT ok(has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_global_matview', 'SELECT')
		  AND NOT has_table_privilege('pactoria_t30_context_app', 'pactoria.t30_tenant_matview', 'SELECT'),
		  'a materialized view without company_id: SELECT; with company_id (row-level security cannot apply): nothing');

SELECT throws_ok($$SELECT pactoria.enable_tenant_isolation(NULL)$$, '22004', NULL, 'enable_tenant_isolation(NULL) is refused');
SELECT throws_ok($$SELECT pactoria.enable_tenant_isolation('pactoria.t30_later_reference')$$, '42703', NULL,
				 'enable_tenant_isolation() of a table without company_id is refused');
CREATE TRIGGER t30_misused BEFORE INSERT ON pactoria.t30_later_reference
	FOR EACH ROW EXECUTE FUNCTION pactoria.require_tenant_context();
SELECT throws_ok($$INSERT INTO pactoria.t30_later_reference VALUES ('x')$$, '39P01', NULL,
				 'require_tenant_context() refuses to run as a row trigger');

SELECT * FROM finish();
ROLLBACK;
