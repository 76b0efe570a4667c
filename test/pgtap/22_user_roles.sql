-- Roles inside a company (issue 12): under row-level security only an active
-- admin in the tenant context adds or deletes users or changes role or is_active
-- (42501, nothing written); an active company keeps its last active admin
-- (23514), for every writer.  The race of two admins demoting each other is in
-- specs/last_admin_race.spec.
BEGIN;
SELECT plan(39);

CREATE ROLE pactoria_t22_roles_app LOGIN;
DO $$ BEGIN PERFORM pactoria.grant_application_access('pactoria_t22_roles_app'); END $$;
-- The role also models a trusted service that names its tenant with set_context().
DO $$ BEGIN PERFORM pactoria.grant_service_access('pactoria_t22_roles_app'); END $$;

CREATE TABLE role_ids AS
SELECT a.company_id AS a, a.user_id AS a_admin, b.company_id AS b, b.user_id AS b_admin
FROM pactoria.create_company('Roles Alpha Ltd', 'admin@roles-alpha.example', 'Alpha Admin', subscription_tier => 'professional') AS a,
	 pactoria.create_company('Roles Bravo Ltd', 'admin@roles-bravo.example', 'Bravo Admin') AS b;
ALTER TABLE role_ids ADD COLUMN manager uuid, ADD COLUMN reviewer uuid, ADD COLUMN viewer uuid;
GRANT SELECT ON role_ids TO pactoria_t22_roles_app;

-- The owner, trusted, adds users without any context.
SELECT lives_ok($$
	WITH m AS (INSERT INTO pactoria.users (company_id, email, full_name, role)
			   SELECT a, 'manager@roles-alpha.example', 'Manager', 'contract_manager' FROM role_ids RETURNING id),
		 r AS (INSERT INTO pactoria.users (company_id, email, full_name, role)
			   SELECT a, 'reviewer@roles-alpha.example', 'Reviewer', 'legal_reviewer' FROM role_ids RETURNING id),
		 v AS (INSERT INTO pactoria.users (company_id, email, full_name, role)
			   SELECT a, 'viewer@roles-alpha.example', 'Viewer', 'viewer' FROM role_ids RETURNING id)
	UPDATE role_ids SET manager = (SELECT id FROM m), reviewer = (SELECT id FROM r), viewer = (SELECT id FROM v)$$,
	'the owner adds users without a tenant context');

CREATE FUNCTION pg_temp.role_of(user_id uuid) RETURNS text LANGUAGE sql AS
$$ SELECT role || CASE WHEN is_active THEN '' ELSE ' (inactive)' END FROM pactoria.users WHERE id = user_id $$;
CREATE TABLE users_before AS SELECT * FROM pactoria.users;

------------------------------------------------------------------------------------
-- A contract_manager in context, as the application role.
------------------------------------------------------------------------------------
SET LOCAL ROLE pactoria_t22_roles_app;
SELECT pactoria.set_context(a, manager) FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'legal_reviewer', manager),
				 '42501', 'only an active admin of the company may change a user''s role or active state',
				 'a contract_manager promoting itself to legal_reviewer is refused') FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'admin', manager),
				 '42501', NULL, 'a contract_manager promoting itself to admin is refused') FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET is_active = false WHERE id = %L', viewer),
				 '42501', NULL, 'a contract_manager deactivating another user is refused') FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'viewer', a_admin),
				 '42501', NULL, 'a contract_manager cannot demote the admin') FROM role_ids;
SELECT throws_ok(format('INSERT INTO pactoria.users (company_id, email, full_name, role) VALUES (%L, %L, %L, %L)',
						a, 'sock@roles-alpha.example', 'Sock Puppet', 'admin'),
				 '42501', 'only an active admin of the company may add a user',
				 'a contract_manager inserting a new admin is refused') FROM role_ids;
SELECT throws_ok(format('INSERT INTO pactoria.users (company_id, email, full_name, role) VALUES (%L, %L, %L, %L)',
						a, 'sock2@roles-alpha.example', 'Sock Puppet', 'legal_reviewer'),
				 '42501', NULL, 'a contract_manager inserting a legal reviewer (to act as it) is refused') FROM role_ids;
SELECT throws_ok(format('DELETE FROM pactoria.users WHERE id = %L', viewer),
				 '42501', 'only an active admin of the company may delete a user',
				 'a contract_manager deleting a user is refused') FROM role_ids;
SELECT lives_ok(format('UPDATE pactoria.users SET department = %L, timezone = ''Europe/Dublin'' WHERE id = %L', 'Sales', manager),
				'a user''s other columns stay writable without an admin') FROM role_ids;

-- Other non-admins, and no user at all.
SELECT pactoria.set_context(a, reviewer) FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'legal_reviewer', viewer),
				 '42501', NULL, 'a legal_reviewer promoting a viewer is refused') FROM role_ids;
SELECT pactoria.set_context(a) FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'admin', manager),
				 '42501', NULL, 'a tenant context without a user changes no role') FROM role_ids;
SELECT throws_ok(format('INSERT INTO pactoria.users (company_id, email, full_name) VALUES (%L, %L, %L)',
						a, 'nobody@roles-alpha.example', 'Nobody'),
				 '42501', NULL, 'and adds no user') FROM role_ids;
-- The admin of another company sees no user of this one.
SELECT pactoria.set_context(b, b_admin) FROM role_ids;
SELECT is_empty(format('UPDATE pactoria.users SET role = %L WHERE id = %L RETURNING id', 'admin', manager),
				'the admin of another company changes nothing here') FROM role_ids;
SELECT throws_ok(format('INSERT INTO pactoria.users (company_id, email, full_name) VALUES (%L, %L, %L)',
						a, 'intruder@roles-alpha.example', 'Intruder'),
				 '42501', NULL, 'nor adds a user to it') FROM role_ids;
RESET ROLE;
SELECT set_eq($$SELECT * FROM pactoria.users WHERE email NOT LIKE 'manager@%'$$,
			  $$SELECT * FROM users_before WHERE email NOT LIKE 'manager@%'$$,
			  'nothing refused was written');
SELECT is(pg_temp.role_of(manager), 'contract_manager', 'the manager is still a contract_manager') FROM role_ids;

------------------------------------------------------------------------------------
-- An admin in context.
------------------------------------------------------------------------------------
SET LOCAL ROLE pactoria_t22_roles_app;
SELECT pactoria.set_context(a, a_admin) FROM role_ids;
SELECT lives_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'legal_reviewer', manager),
				'an admin promotes a contract_manager to legal_reviewer') FROM role_ids;
SELECT is(pg_temp.role_of(manager), 'legal_reviewer', 'and the role is changed') FROM role_ids;
SELECT lives_ok(format('UPDATE pactoria.users SET is_active = false WHERE id = %L', viewer),
				'an admin deactivates a user') FROM role_ids;
SELECT lives_ok(format('UPDATE pactoria.users SET is_active = true WHERE id = %L', viewer),
				'and reactivates it') FROM role_ids;
SELECT lives_ok(format('INSERT INTO pactoria.users (company_id, email, full_name, role) VALUES (%L, %L, %L, %L)',
						a, 'second.admin@roles-alpha.example', 'Second Admin', 'admin'),
				'an admin adds another admin') FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'owner', viewer),
				 '23514', NULL, 'an unknown role is still refused by its check constraint') FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET role = NULL WHERE id = %L', viewer),
				 '23502', NULL, 'a NULL role is refused') FROM role_ids;

-- An admin who is no longer active is no admin, even with the context still set.
SELECT lives_ok($$UPDATE pactoria.users SET is_active = false WHERE email = 'second.admin@roles-alpha.example'$$,
				'the first admin deactivates the second');
RESET ROLE;
SELECT set_config('pactoria.user_id', (SELECT id::text FROM pactoria.users WHERE email = 'second.admin@roles-alpha.example'), true);
SET LOCAL ROLE pactoria_t22_roles_app;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'viewer', reviewer),
				 '42501', NULL, 'an inactive admin left in the context changes no role') FROM role_ids;

------------------------------------------------------------------------------------
-- The last active admin.
------------------------------------------------------------------------------------
SELECT pactoria.set_context(a, a_admin) FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'viewer', a_admin),
				 '23514', format('user %s is the last active admin of company %s', a_admin, a),
				 'the last active admin cannot demote itself') FROM role_ids;
SELECT throws_ok(format('UPDATE pactoria.users SET is_active = false WHERE id = %L', a_admin),
				 '23514', NULL, 'nor deactivate itself') FROM role_ids;
SELECT throws_ok(format('DELETE FROM pactoria.users WHERE id = %L', a_admin),
				 '23514', NULL, 'nor delete itself') FROM role_ids;
SELECT lives_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'admin', reviewer),
				'with a second active admin ...') FROM role_ids;
SELECT throws_ok($$UPDATE pactoria.users SET role = 'viewer' WHERE role = 'admin'$$,
				 NULL, NULL, 'demoting every admin in one statement is refused');
RESET ROLE;
SELECT throws_ok(format('UPDATE pactoria.users SET role = %L WHERE company_id = %L AND role = %L', 'viewer', a, 'admin'),
				 '23514', NULL, 'even for the owner: the statement''s later rows see its earlier ones') FROM role_ids;
SET LOCAL ROLE pactoria_t22_roles_app;
SELECT lives_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'contract_manager', a_admin),
				'... one admin may step down') FROM role_ids;
SELECT pactoria.set_context(a, reviewer) FROM role_ids;
SELECT throws_ok(format('DELETE FROM pactoria.users WHERE id = %L', reviewer),
				 '23514', NULL, 'and the new last admin cannot be deleted') FROM role_ids;
RESET ROLE;
SELECT is(pg_temp.role_of(reviewer), 'admin', 'it is still the active admin') FROM role_ids;

-- The owner is bound by the last-admin rule too, while the company is active.
SELECT pactoria.clear_context();
SELECT throws_ok(format('UPDATE pactoria.users SET is_active = false WHERE id = %L', b_admin),
				 '23514', NULL, 'the owner cannot deactivate the last admin of an active company') FROM role_ids;
SELECT lives_ok(format('UPDATE pactoria.users SET role = %L WHERE id = %L', 'admin', viewer),
				'the owner changes roles without a tenant context') FROM role_ids;
UPDATE pactoria.companies SET is_active = false WHERE id = (SELECT b FROM role_ids);
SELECT lives_ok(format('DELETE FROM pactoria.users WHERE company_id = %L', b),
				'the users of an inactive company, last admin included, can be removed by the owner') FROM role_ids;

-- Onboarding by the application still creates the first admin.
SET LOCAL ROLE pactoria_t22_roles_app;
SELECT lives_ok($$SELECT pactoria.sign_up('Roles Charlie Ltd', 'admin@roles-charlie.example', 'Charlie Admin', 'charlie''s long passphrase')$$,
				'sign_up() as the application still inserts the first admin');
RESET ROLE;
SELECT is((SELECT role FROM pactoria.users WHERE email = 'admin@roles-charlie.example'), 'admin',
		  'who is an admin');

SELECT * FROM finish();
ROLLBACK;
