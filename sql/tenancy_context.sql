-- Tenant isolation: what an application role is told when it is refused.
-- (Behaviour is tested in test/pgtap/30_tenancy_*.sql; here, the messages.)
\set ON_ERROR_ROLLBACK on
\set SHOW_CONTEXT never
BEGIN;

INSERT INTO pactoria.companies (id, name, max_users, is_active) VALUES
	('30000000-0000-7000-8000-00000000000a', 'Regress Alpha Ltd', 5, true),
	('30000000-0000-7000-8000-00000000000b', 'Regress Bravo Ltd', 5, true),
	('30000000-0000-7000-8000-00000000000c', 'Regress Closed Ltd', 5, false);
INSERT INTO pactoria.users (company_id, id, email, full_name, role, is_active) VALUES
	('30000000-0000-7000-8000-00000000000a', '30000000-0000-7000-8000-0000000000a1', 'alpha@tenancy.regress.example', 'Alpha Admin', 'admin', true),
	('30000000-0000-7000-8000-00000000000a', '30000000-0000-7000-8000-0000000000a2', 'leaver@tenancy.regress.example', 'Alpha Leaver', 'viewer', false),
	('30000000-0000-7000-8000-00000000000b', '30000000-0000-7000-8000-0000000000b1', 'bravo@tenancy.regress.example', 'Bravo Admin', 'admin', true);
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by) VALUES
	('30000000-0000-7000-8000-00000000000a', '30000000-0000-7000-8000-000000000ac1', 'Alpha NDA', 'nda', '30000000-0000-7000-8000-0000000000a1'),
	('30000000-0000-7000-8000-00000000000b', '30000000-0000-7000-8000-000000000bc1', 'Bravo NDA', 'nda', '30000000-0000-7000-8000-0000000000b1');

-- The settings: a UUID or nothing, and only through set_context().
SET pactoria.company_id = 'company-a';
SET pactoria.user_id = '30000000-0000-7000-8000-0000000000a';

CREATE ROLE regress_pactoria_tenancy_app;
SELECT pactoria.grant_application_access('regress_pactoria_tenancy_app');
-- It also models a trusted service that names its tenant with set_context().
SELECT pactoria.grant_service_access('regress_pactoria_tenancy_app');
SET ROLE regress_pactoria_tenancy_app;
SET pactoria.company_id = '30000000-0000-7000-8000-00000000000b';

-- Without a context: nothing to see, nothing to write.
SELECT count(*) FROM pactoria.contracts;
SELECT count(*) FROM pactoria.companies;
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
VALUES ('30000000-0000-7000-8000-00000000000a', 'Sneaky', 'nda', '30000000-0000-7000-8000-0000000000a1');
UPDATE pactoria.contracts SET title = 'Renamed';
DELETE FROM pactoria.contracts;

-- set_context() refuses what is not an active company and an active user of it.
SELECT pactoria.set_context(NULL);
SELECT pactoria.set_context('30000000-0000-7000-8000-00000000000a', NULL, NULL);
SELECT pactoria.set_context('30000000-0000-7000-8000-0000000000ff');
SELECT pactoria.set_context('30000000-0000-7000-8000-00000000000c');
SELECT pactoria.set_context('30000000-0000-7000-8000-00000000000a', '30000000-0000-7000-8000-0000000000a2');
SELECT pactoria.set_context('30000000-0000-7000-8000-00000000000a', '30000000-0000-7000-8000-0000000000b1');

-- Acting for Alpha.
SELECT pactoria.set_context('30000000-0000-7000-8000-00000000000a', '30000000-0000-7000-8000-0000000000a1');
SELECT pactoria.current_company_id(), pactoria.current_user_id();
SELECT title FROM pactoria.contracts;
SELECT name FROM pactoria.companies;
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
VALUES ('30000000-0000-7000-8000-00000000000b', 'Planted', 'nda', '30000000-0000-7000-8000-0000000000b1');
UPDATE pactoria.contracts SET title = 'Hijacked' WHERE company_id = '30000000-0000-7000-8000-00000000000b' RETURNING title;
DELETE FROM pactoria.contracts WHERE company_id = '30000000-0000-7000-8000-00000000000b' RETURNING title;
UPDATE pactoria.contracts SET company_id = '30000000-0000-7000-8000-00000000000b';
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
VALUES ('30000000-0000-7000-8000-00000000000a', 'Signed by Bravo', 'nda', '30000000-0000-7000-8000-0000000000b1');
INSERT INTO pactoria.contracts (company_id, id, title, contract_type)
VALUES ('30000000-0000-7000-8000-00000000000a', '30000000-0000-7000-8000-000000000ac1', 'Duplicate', 'nda');
INSERT INTO pactoria.users (company_id, email, full_name)
VALUES ('30000000-0000-7000-8000-00000000000a', 'BRAVO@tenancy.regress.example', 'Impostor');
UPDATE pactoria.companies SET max_users = 100000;
UPDATE pactoria.companies SET name = 'Regress Alpha Limited' RETURNING name;
INSERT INTO pactoria.templates (company_id, name, category, contract_type, description, template_content, legal_notes)
VALUES (NULL, 'Fake system template', 'general', 'nda', 'x', 'x', 'x');

-- Onboarding (create_company() is the owner's; the application has sign_up())
-- and the lookups before a context.
SELECT pactoria.create_company('Delta Ltd', 'x@tenancy.regress.example', 'X');
RESET ROLE;
SELECT pactoria.create_company(NULL, 'x@tenancy.regress.example', 'X');
SELECT pactoria.create_company(' ', 'x@tenancy.regress.example', 'X');
SELECT pactoria.create_company(repeat('x', 201), 'x@tenancy.regress.example', 'X');
SELECT pactoria.create_company('Delta Ltd', 'x@tenancy-regress', 'X');
SELECT pactoria.create_company('Delta Ltd', repeat('x', 250) || '@tenancy.regress.example', 'X');
SELECT pactoria.create_company('Delta Ltd', 'Alpha@Tenancy.Regress.example', 'X');
SELECT pactoria.create_company('Delta Ltd', 'x@tenancy.regress.example', '  ');
SELECT pactoria.create_company('Delta Ltd', 'x@tenancy.regress.example', 'X', 'secret');
SELECT pactoria.create_company('Delta Ltd', 'x@tenancy.regress.example', 'X', subscription_tier => 'gold');
SET ROLE regress_pactoria_tenancy_app;
SELECT company_id, user_id, hashed_password, is_active, locked_until FROM pactoria.find_login('ALPHA@tenancy.regress.example');
SELECT count(*) FROM pactoria.find_login('nobody@tenancy.regress.example');
SELECT pactoria.find_session('not a digest');

-- grant_application_access() gives nothing to a role that could bypass it.
RESET ROLE;
SELECT pactoria.grant_application_access(NULL);
CREATE ROLE regress_pactoria_tenancy_superuser SUPERUSER;
SELECT pactoria.grant_application_access('regress_pactoria_tenancy_superuser');
CREATE ROLE regress_pactoria_tenancy_bypass BYPASSRLS;
SELECT pactoria.grant_application_access('regress_pactoria_tenancy_bypass');
GRANT regress_pactoria_tenancy_bypass TO regress_pactoria_tenancy_app;
SELECT pactoria.grant_application_access('regress_pactoria_tenancy_app');

ROLLBACK;
