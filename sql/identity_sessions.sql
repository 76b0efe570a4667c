-- Sessions and the signed tenant context: what a caller is told when refused.
-- (Behaviour is tested in test/pgtap/80_identity_sessions.sql; here, the messages.)
\set ON_ERROR_ROLLBACK on
\set SHOW_CONTEXT never
BEGIN;

INSERT INTO pactoria.companies (id, name, max_users, is_active) VALUES
	('80000000-0000-7000-8000-00000000000a', 'Regress Identity Ltd', 5, true);
INSERT INTO pactoria.users (company_id, id, email, full_name, role, is_active) VALUES
	('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a1', 'admin@identity.regress.example', 'Identity Admin', 'admin', true),
	('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a2', 'viewer@identity.regress.example', 'Identity Viewer', 'viewer', true),
	('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a3', 'leaver@identity.regress.example', 'Identity Leaver', 'viewer', false);

-- The server key: its status, never the key.
SELECT which, configured, problem FROM pactoria.server_key_status();

-- Tokens that open no session: one answer for all.
SELECT * FROM pactoria.resume_session(NULL);
SELECT * FROM pactoria.resume_session('');
SELECT * FROM pactoria.resume_session('pct_s_' || repeat('A', 86));
SELECT * FROM pactoria.refresh_session('pct_r_not-a-token');
SELECT pactoria.end_session(repeat('x', 10000));

-- create_session(), for the owner.
SELECT pactoria.create_session(NULL, '80000000-0000-7000-8000-0000000000a1');
SELECT pactoria.create_session('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a3');

-- Signed context values that are refused.
SET pactoria.context = 'v1.not-a-context';
SET pactoria.context = 'company 80000000-0000-7000-8000-00000000000a, please';
SELECT set_config('pactoria.context',
	pactoria.sign_context('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a1',
						  '80000000-0000-7000-8000-0000000000f1', '2020-01-01 00:00+00', false), true);
SELECT set_config('pactoria.context',
	'v1.80000000000070008000000000000000a.80000000000070008000000000000a1.80000000000070008000000000000f1.4102444800.f.'
	|| repeat('0', 64), true);
SELECT pactoria.sign_context('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a1',
							 '80000000-0000-7000-8000-0000000000f1', 'infinity', false);
SELECT set_config('pactoria.context',
	pactoria.sign_context('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a1',
						  '80000000-0000-7000-8000-0000000000f1', now() + interval '1 minute', false), true) IS NOT NULL AS accepted;
SELECT pactoria.current_company_id(), pactoria.current_user_id(), pactoria.context_session_id(), pactoria.context_mfa_pending();
SELECT set_config('pactoria.context', '', true);

-- end_all_sessions().
SELECT pactoria.end_all_sessions('80000000-0000-7000-8000-0000000000a1');
SELECT set_config('pactoria.context',
	pactoria.sign_context('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a2',
						  '80000000-0000-7000-8000-0000000000f2', now() + interval '1 minute', false), true) IS NOT NULL AS accepted;
SELECT pactoria.end_all_sessions(NULL);
SELECT pactoria.end_all_sessions('80000000-0000-7000-8000-0000000000a1');
SELECT pactoria.end_all_sessions('80000000-0000-7000-8000-0000000000ff');
SELECT pactoria.end_all_sessions('80000000-0000-7000-8000-0000000000a2');
SELECT set_config('pactoria.context', '', true);

-- An MFA-pending context names its session but gives no tenant.
SELECT set_config('pactoria.context',
	pactoria.sign_context('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a1',
						  '80000000-0000-7000-8000-0000000000f3', now() + interval '1 minute', true), true) IS NOT NULL AS accepted;
SELECT pactoria.current_company_id(), pactoria.current_user_id(), pactoria.context_session_id(), pactoria.context_mfa_pending();
SELECT set_config('pactoria.context', '', true);

-- Configuration out of bounds.
INSERT INTO pactoria.system_config (key, value) VALUES ('session.absolute_lifetime', '0');
SELECT pactoria.create_session('80000000-0000-7000-8000-00000000000a', '80000000-0000-7000-8000-0000000000a1');
INSERT INTO pactoria.system_config (key, value) VALUES ('session.idle_timeout', '"30 minutes"');

-- The identity clock and the service grant.
SET pactoria.test_clock_offset = 'tomorrow-ish';
SET LOCAL pactoria.test_clock_offset = '-1 day';
SELECT pactoria.clock_now() = now() - interval '1 day' AS moved_back;
SELECT pactoria.grant_service_access(NULL);

ROLLBACK;
