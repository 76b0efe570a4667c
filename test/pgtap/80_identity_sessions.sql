-- Sessions and the signed tenant context: resume_session, refresh_session,
-- end_session, end_all_sessions, create_session, sign_context, the settings
-- pactoria.context and pactoria.test_clock_offset; privileges, timeouts,
-- rotation and reuse, and bad input for every function.  (Exact messages:
-- sql/identity_sessions.sql; the server key file, reload and rotation:
-- test/integration/80_server_key.sh.)
--
-- Not one transaction: what lasts one transaction is tested across COMMITs, so
-- this file cleans up after itself at the end.
\set ON_ERROR_STOP 1
SET client_min_messages = error;
SELECT plan(145);

CREATE ROLE pactoria_t80_app LOGIN;
SELECT pactoria.grant_application_access('pactoria_t80_app') \g /dev/null

CREATE TEMPORARY TABLE t80_ids AS
SELECT a.company_id AS a, a.user_id AS a_admin, b.company_id AS b, b.user_id AS b_admin,
	   '00000000-0000-7000-8000-0000000080a2'::uuid AS a_viewer, '00000000-0000-7000-8000-0000000080a3'::uuid AS a_leaver,
	   '00000000-0000-7000-8000-0000000080a4'::uuid AS a_temp
FROM pactoria.create_company('T80 Alpha Ltd', 'admin@t80-alpha.example', 'Alpha Admin') AS a,
	 pactoria.create_company('T80 Bravo Ltd', 'admin@t80-bravo.example', 'Bravo Admin') AS b;
INSERT INTO pactoria.users (company_id, id, email, full_name, role, is_active)
SELECT a, a_viewer, 'viewer@t80-alpha.example', 'Alpha Viewer', 'viewer', true FROM t80_ids
UNION ALL SELECT a, a_leaver, 'leaver@t80-alpha.example', 'Alpha Leaver', 'viewer', true FROM t80_ids
UNION ALL SELECT a, a_temp, 'temp@t80-alpha.example', 'Alpha Temp', 'viewer', true FROM t80_ids;

-- Tokens, made by the owner as authenticate() will.
CREATE TEMPORARY TABLE t80_tokens (name text PRIMARY KEY, company_id uuid, user_id uuid, session_token text, refresh_token text, expires_at timestamptz);
CREATE FUNCTION pg_temp.t80_login(name text, company_id uuid, user_id uuid, mfa boolean DEFAULT false)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO t80_tokens SELECT name, company_id, user_id, s.session_token, s.refresh_token, s.expires_at
	FROM pactoria.create_session(company_id, user_id, mfa, '192.0.2.1', 'pgTAP') AS s
$$;
SELECT pg_temp.t80_login('a_admin', a, a_admin) FROM t80_ids;
SELECT pg_temp.t80_login('b_admin', b, b_admin) FROM t80_ids;
SELECT pg_temp.t80_login('a_viewer', a, a_viewer) FROM t80_ids;
SELECT pg_temp.t80_login('a_viewer2', a, a_viewer) FROM t80_ids;
SELECT pg_temp.t80_login('a_mfa', a, a_admin, true) FROM t80_ids;
SELECT pg_temp.t80_login('a_leaver', a, a_leaver) FROM t80_ids;
SELECT pg_temp.t80_login('a_refresh', a, a_admin) FROM t80_ids;
SELECT pg_temp.t80_login('a_logout', a, a_viewer) FROM t80_ids;
CREATE TEMPORARY TABLE t80_values (name text PRIMARY KEY, value text);
GRANT SELECT ON t80_ids, t80_tokens TO pactoria_t80_app;
GRANT SELECT, INSERT, UPDATE ON t80_values TO pactoria_t80_app;
CREATE FUNCTION pg_temp.tok(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT session_token FROM t80_tokens AS t WHERE t.name = tok.name $$;
CREATE FUNCTION pg_temp.rtok(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT refresh_token FROM t80_tokens AS t WHERE t.name = rtok.name $$;
CREATE FUNCTION pg_temp.val(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM t80_values AS v WHERE v.name = val.name $$;
GRANT EXECUTE ON FUNCTION pg_temp.tok(text), pg_temp.rtok(text), pg_temp.val(text) TO pactoria_t80_app;

------------------------------------------------------------------------------------
-- Schema.
------------------------------------------------------------------------------------
SELECT has_column('pactoria', 'user_sessions', c, format('user_sessions has %s', c))
FROM unnest(ARRAY['family_id', 'refresh_token_hash', 'mfa_pending', 'revoked_at', 'revoke_reason']) AS c;
SELECT is((SELECT array_agg(column_name::text || ' ' || treatment ORDER BY column_name) FROM pactoria.audit_columns('pactoria.user_sessions')
		   WHERE column_name IN ('token_hash', 'refresh_token_hash', 'last_activity')),
		  ARRAY['last_activity ignored', 'refresh_token_hash redacted', 'token_hash redacted'],
		  'the audit trail redacts both token digests and ignores the activity touch');
SELECT is((SELECT count(*)::int FROM pactoria.system_config_defaults WHERE key IN ('session.idle_timeout', 'session.absolute_lifetime')), 2,
		  'the session configuration keys have defaults');
SELECT is((SELECT configured FROM pactoria.server_key_status() WHERE which = 'current'), true,
		  'the test cluster has a server key');
SELECT is((SELECT count(*)::int FROM t80_tokens WHERE session_token ~ '^pct_s_[A-Za-z0-9_-]{86}$' AND refresh_token ~ '^pct_r_[A-Za-z0-9_-]{86}$'),
		  8, 'tokens are pct_s_ / pct_r_ and 86 base64url characters');
SELECT is((SELECT count(*)::int FROM pactoria.user_sessions AS s JOIN t80_tokens AS t ON t.company_id = s.company_id
		   WHERE octet_length(s.token_hash) = 32 AND octet_length(s.refresh_token_hash) = 32 AND s.family_id = s.id
			 AND position(convert_to(t.session_token, 'UTF8') IN s.token_hash) = 0),
		  (SELECT count(*)::int FROM pactoria.user_sessions AS s JOIN t80_tokens AS t ON t.company_id = s.company_id),
		  'only SHA-256 digests are stored, each login its own family');

------------------------------------------------------------------------------------
-- Privileges of the application role.
------------------------------------------------------------------------------------
SELECT is_empty($$SELECT f FROM unnest(ARRAY['pactoria.set_context(uuid,uuid,boolean)', 'pactoria.clear_context()',
		'pactoria.create_session(uuid,uuid,boolean,inet,text)', 'pactoria.find_login(text)', 'pactoria.find_session(bytea)',
		'pactoria.sign_context(uuid,uuid,uuid,timestamptz,boolean)', 'pactoria.server_key_status()',
		'pactoria.grant_service_access(regrole)', 'pactoria.revoke_user_sessions(uuid,uuid,text,uuid)',
		'pactoria.rotate_session(text)', 'pactoria.random_bytes(integer)']) AS f
	WHERE has_function_privilege('pactoria_t80_app', f::regprocedure, 'EXECUTE')$$,
	'the application cannot execute set_context, clear_context, create_session, find_login, find_session, sign_context or the other internals');
SELECT ok(has_function_privilege('pactoria_t80_app', f::regprocedure, 'EXECUTE'), format('the application may execute %s', f))
FROM unnest(ARRAY['pactoria.resume_session(text)', 'pactoria.refresh_session(text)', 'pactoria.end_session(text)',
				  'pactoria.end_all_sessions(uuid)']) AS f;
SELECT ok(NOT has_table_privilege('pactoria_t80_app', 'pactoria.user_sessions', p), format('the application has no %s on user_sessions', p))
FROM unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p;

SET ROLE pactoria_t80_app;
SELECT throws_ok($$SELECT pactoria.set_context(a, a_admin) FROM t80_ids$$, '42501', NULL, 'the application cannot call set_context()');
SELECT throws_ok($$SELECT * FROM pactoria.find_login('admin@t80-alpha.example')$$, '42501', NULL, 'nor find_login()');
SELECT throws_ok($$SELECT pactoria.create_session(a, a_admin) FROM t80_ids$$, '42501', NULL, 'nor create_session()');
SELECT throws_ok($$SET pactoria.test_clock_offset = '1 hour'$$, '42501', NULL, 'nor move the identity clock');
SELECT throws_ok($$SELECT current_setting('pactoria.key_file')$$, '42501', NULL, 'nor read pactoria.key_file');
SELECT throws_ok($$SET pactoria.company_id = '00000000-0000-7000-8000-000000000001'$$, '42501', NULL, 'nor set pactoria.company_id');
BEGIN;
SELECT * FROM pactoria.resume_session(pg_temp.tok('a_admin')) \g /dev/null
SELECT throws_ok($$INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at)
				   SELECT a, a_admin, sha256('x'), now() + interval '1 hour' FROM t80_ids$$, '42501', NULL,
				 'with a tenant context the application still cannot insert a session');
SELECT throws_ok($$UPDATE pactoria.user_sessions SET expires_at = expires_at + interval '1 year'$$, '42501', NULL,
				 'nor extend one');
SELECT throws_ok($$DELETE FROM pactoria.user_sessions$$, '42501', NULL, 'nor delete one');
COMMIT;

------------------------------------------------------------------------------------
-- resume_session: the context lasts the transaction.
------------------------------------------------------------------------------------
BEGIN;
SELECT results_eq($$SELECT company_id, user_id, mfa_required FROM pactoria.resume_session(pg_temp.tok('a_admin'))$$,
				  $$SELECT a, a_admin, false FROM t80_ids$$, 'resume_session() returns the company, the user and no MFA');
SELECT is(pactoria.current_company_id(), (SELECT a FROM t80_ids), 'current_company_id() is the session''s company');
SELECT is(pactoria.current_user_id(), (SELECT a_admin FROM t80_ids), 'current_user_id() is the session''s user');
SELECT is(pactoria.context_session_id(), (SELECT s.id FROM pactoria.user_sessions AS s WHERE s.user_id = (SELECT a_admin FROM t80_ids) ORDER BY s.created_at, s.id LIMIT 1),
		  'context_session_id() is the session');
SELECT is(pactoria.context_mfa_pending(), false, 'context_mfa_pending() is false');
SELECT is((SELECT array_agg(name) FROM pactoria.companies), ARRAY['T80 Alpha Ltd'], 'the application sees its own company only');
INSERT INTO t80_values SELECT 'a_admin', current_setting('pactoria.context');
SELECT matches(pg_temp.val('a_admin'), '^v1\.[0-9a-f]{32}\.[0-9a-f]{32}\.[0-9a-f]{32}\.[0-9]+\.f\.[0-9a-f]{64}$',
			   'the context value is v1.company.user.session.expiry.flag.hmac');
COMMIT;
SELECT is(pactoria.current_company_id(), NULL, 'after COMMIT the next transaction has no context');
SELECT is(current_setting('pactoria.context'), '', 'and pactoria.context is empty again');
BEGIN;
SELECT * FROM pactoria.resume_session(pg_temp.tok('a_admin')) \g /dev/null
ROLLBACK;
SELECT is(pactoria.current_company_id(), NULL, 'after ROLLBACK neither');

-- A signed value the application SETs for the session counts in its own transaction only.
BEGIN;
SELECT set_config('pactoria.context', pg_temp.val('a_admin'), false) \g /dev/null
SELECT is(pactoria.current_company_id(), (SELECT a FROM t80_ids), 'a signed value set by the application counts in its transaction');
COMMIT;
SELECT is(current_setting('pactoria.context'), pg_temp.val('a_admin'), 'a session-level SET keeps the value');
SELECT is(pactoria.current_company_id(), NULL, 'but it is ignored in the next transaction');
SELECT is(pactoria.current_user_id(), NULL, 'the user too');
SELECT is((SELECT count(*)::int FROM pactoria.companies), 0, 'no tenant row is visible through it');
SELECT is(pactoria.context_session_id(), NULL, 'nor its session');
RESET pactoria.context;

-- Values that are not a current signed context.
SELECT throws_ok(format('SET pactoria.context = %L', left(pg_temp.val('a_admin'), -1) ||
						CASE right(pg_temp.val('a_admin'), 1) WHEN '0' THEN '1' ELSE '0' END),
				 '28000', NULL, 'a value with a tampered signature is refused');
SELECT throws_ok(format('SET pactoria.context = %L', replace(pg_temp.val('a_admin'), replace(a::text, '-', ''), replace(b::text, '-', ''))),
				 '28000', NULL, 'a value with another company put in is refused')
FROM t80_ids;
SELECT throws_ok(format('SET pactoria.context = %L', regexp_replace(pg_temp.val('a_admin'), '\.f\.', '.m.')),
				 '28000', NULL, 'a value with its flag changed is refused');
SELECT throws_ok(format('SET pactoria.context = %L', regexp_replace(pg_temp.val('a_admin'), '\.([0-9]+)\.f\.', '.9\1.f.')),
				 '28000', NULL, 'a value with its expiry moved is refused');
SELECT throws_ok(format('SET pactoria.context = %L', upper(pg_temp.val('a_admin'))), '28000', NULL, 'a value in upper case is refused');
SELECT throws_ok($$SET pactoria.context = 'v1.garbage'$$, '28000', NULL, 'a malformed value is refused');
SELECT throws_ok(format('SET pactoria.context = %L', repeat('v1.', 5000)), '28000', NULL, 'an oversize value is refused');
SELECT throws_ok(format('SET pactoria.context = %L', pg_temp.tok('a_admin')), '28000', NULL, 'a session token is not a context value');
SELECT lives_ok($$SET pactoria.context = ''$$, 'an empty value means no context');
RESET ROLE;

-- Signed with a key the server does not hold (the format of src/core/signed_context.h).
INSERT INTO t80_values
SELECT 'unknown_key', payload || '.' || encode(hmac(convert_to(payload, 'UTF8'),
		hmac(convert_to('context-v1', 'UTF8'), pactoria.random_bytes(32), 'sha256'), 'sha256'), 'hex')
FROM (SELECT format('v1.%s.%s.%s.%s.f', replace(a::text, '-', ''), replace(a_admin::text, '-', ''), replace(a::text, '-', ''),
					extract(epoch FROM now() + interval '1 minute')::bigint) AS payload FROM t80_ids) AS p;
INSERT INTO t80_values
SELECT 'expired', pactoria.sign_context(a, a_admin, a, now() - interval '1 second', false) FROM t80_ids;
INSERT INTO t80_values
SELECT 'fresh', pactoria.sign_context(a, a_admin, a, now() + interval '1 minute', false) FROM t80_ids;
SET ROLE pactoria_t80_app;
SELECT throws_ok(format('SET pactoria.context = %L', pg_temp.val('unknown_key')), '28000', NULL, 'a value signed with an unknown key is refused');
SELECT throws_ok(format('SET pactoria.context = %L', pg_temp.val('expired')), '28000', NULL, 'an expired value is refused');
BEGIN;
SELECT lives_ok(format('SET LOCAL pactoria.context = %L', pg_temp.val('fresh')), 'a value made by sign_context() with the server key is accepted');
SELECT is(pactoria.current_company_id(), (SELECT a FROM t80_ids), 'and gives its company');
COMMIT;
RESET ROLE;
-- The nil UUID as user and session: a context of the company alone (what set_context()
-- forwards to the Citus workers).
INSERT INTO t80_values
SELECT 'company_only', pactoria.sign_context(a, '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000',
											 now() + interval '1 minute', false) FROM t80_ids;
SET ROLE pactoria_t80_app;
BEGIN;
SELECT lives_ok(format('SET LOCAL pactoria.context = %L', pg_temp.val('company_only')), 'a signed context with the nil UUID as user and session is accepted');
SELECT is(pactoria.current_company_id(), (SELECT a FROM t80_ids), 'it gives its company');
SELECT is(pactoria.current_user_id(), NULL, 'but no user');
SELECT is(pactoria.context_session_id(), NULL, 'and no session');
COMMIT;
RESET ROLE;

------------------------------------------------------------------------------------
-- MFA pending: a session, but no tenant access.
------------------------------------------------------------------------------------
SET ROLE pactoria_t80_app;
BEGIN;
SELECT is((SELECT mfa_required FROM pactoria.resume_session(pg_temp.tok('a_mfa'))), true, 'an mfa-pending session resumes with mfa_required');
SELECT is(pactoria.current_company_id(), NULL, 'and gives no company');
SELECT is(pactoria.current_user_id(), NULL, 'nor user');
SELECT is(pactoria.context_mfa_pending(), true, 'context_mfa_pending() says so');
SELECT isnt(pactoria.context_session_id(), NULL, 'context_session_id() names the session (for verify_totp)');
COMMIT;
RESET ROLE;

------------------------------------------------------------------------------------
-- Idle timeout and absolute lifetime, on the identity clock.
------------------------------------------------------------------------------------
SELECT is(pactoria.clock_now(), now(), 'clock_now() is now() without an offset');
SET pactoria.test_clock_offset = '20 minutes';
SELECT is(pactoria.clock_now(), now() + interval '20 minutes', 'clock_now() adds pactoria.test_clock_offset');
SET ROLE pactoria_t80_app;
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_viewer'))$$, 'a session used within the idle timeout resumes');
RESET ROLE;
SELECT is((SELECT max(last_activity) FROM pactoria.user_sessions AS s WHERE s.user_id = (SELECT a_viewer FROM t80_ids))
		  >= now() + interval '19 minutes', true, 'and its last activity is moved');
SET pactoria.test_clock_offset = '20 minutes 30 seconds';
SET ROLE pactoria_t80_app;
SELECT pactoria.resume_session(pg_temp.tok('a_viewer')) \g /dev/null
RESET ROLE;
SELECT is((SELECT max(last_activity) FROM pactoria.user_sessions AS s WHERE s.user_id = (SELECT a_viewer FROM t80_ids))
		  < now() + interval '20 minutes 15 seconds', true, 'but at most once a minute');
-- touch_session(), resume_session()'s touch on Citus: only the session named by
-- a context signed for it, in its own company.
SET ROLE pactoria_t80_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('a_viewer')) \g /dev/null
SELECT pactoria.touch_session(b, current_setting('pactoria.context')) FROM t80_ids \g /dev/null
SELECT pactoria.touch_session(a, '') FROM t80_ids \g /dev/null
COMMIT;
RESET ROLE;
SELECT is((SELECT max(last_activity) FROM pactoria.user_sessions AS s WHERE s.user_id = (SELECT a_viewer FROM t80_ids))
		  < now() + interval '20 minutes 15 seconds', true,
		  'touch_session() with another company, or with no context, touches nothing');
SET ROLE pactoria_t80_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('a_viewer')) \g /dev/null
SELECT pactoria.touch_session(a, current_setting('pactoria.context')) FROM t80_ids \g /dev/null
INSERT INTO t80_values VALUES ('a_viewer_session', pactoria.context_session_id()::text);
COMMIT;
SELECT throws_ok($$SELECT pactoria.touch_session(a, 'forged') FROM t80_ids$$, '28000', 'invalid tenant context',
				 'touch_session() refuses a context that is not signed');
SELECT lives_ok($$SELECT pactoria.touch_session(NULL, NULL)$$, 'touch_session(NULL, NULL) does nothing (STRICT)');
RESET ROLE;
SELECT is((SELECT bool_and((s.id::text = pg_temp.val('a_viewer_session')) = (s.last_activity >= now() + interval '20 minutes 25 seconds'))
		   FROM pactoria.user_sessions AS s WHERE s.user_id = (SELECT a_viewer FROM t80_ids) AND s.status = 'active'),
		  true, 'touch_session() with its own context moves that session, and no other session of the user');
SET pactoria.test_clock_offset = '31 minutes';
SET ROLE pactoria_t80_app;
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_viewer2'))$$, '28000', 'session is not valid',
				 'a session unused for longer than session.idle_timeout is refused');
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_viewer'))$$, 'one used 11 minutes ago is not');
RESET ROLE;
INSERT INTO pactoria.system_config (key, value) VALUES ('session.absolute_lifetime', '60');
SELECT pg_temp.t80_login('a_short', a, a_admin) FROM t80_ids;
SET pactoria.test_clock_offset = '60 minutes';
SET ROLE pactoria_t80_app;
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_short'))$$, 'a session within its absolute lifetime resumes');
RESET ROLE;
SET pactoria.test_clock_offset = '85 minutes';
SET ROLE pactoria_t80_app;
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_short'))$$, 'still, used every 25 minutes');
RESET ROLE;
SET pactoria.test_clock_offset = '92 minutes';
SET ROLE pactoria_t80_app;
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_short'))$$, '28000', NULL,
				 'but not after session.absolute_lifetime, however recently used');
SELECT throws_ok($$SELECT pactoria.refresh_session(pg_temp.rtok('a_short'))$$, '28000', NULL,
				 'nor can it be refreshed then');
RESET ROLE;
DELETE FROM pactoria.system_config WHERE key = 'session.absolute_lifetime';
INSERT INTO pactoria.system_config (key, value) VALUES ('session.idle_timeout', '0');
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_admin'))$$, '55000', NULL,
				 'an idle timeout configured out of bounds is an error, not a session without timeout');
DELETE FROM pactoria.system_config WHERE key = 'session.idle_timeout';
SELECT pg_temp.t80_login('a_fresh', a, a_admin) FROM t80_ids;
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_fresh'))$$,
				'the default idle timeout is in force again at once');
-- A longer idle timeout set in this backend is seen by its next request.
SELECT pg_temp.t80_login('a_idle', a, a_admin) FROM t80_ids;
SET pactoria.test_clock_offset = '132 minutes';
SET ROLE pactoria_t80_app;
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_idle'))$$, '28000', NULL,
				 'a session idle for 40 minutes is refused under the default 30');
RESET ROLE;
INSERT INTO pactoria.system_config (key, value) VALUES ('session.idle_timeout', '45');
SET ROLE pactoria_t80_app;
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_idle'))$$,
				'but not once session.idle_timeout is 45 minutes');
RESET ROLE;
DELETE FROM pactoria.system_config WHERE key = 'session.idle_timeout';
RESET pactoria.test_clock_offset;

------------------------------------------------------------------------------------
-- Deactivating a user or a company ends its sessions.
------------------------------------------------------------------------------------
SELECT pg_temp.t80_login('a_gone', a, a_temp) FROM t80_ids;
SELECT pg_temp.t80_login('b_gone', b, b_admin) FROM t80_ids;
SET ROLE pactoria_t80_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('a_admin')) \g /dev/null
UPDATE pactoria.users SET is_active = false WHERE id = (SELECT a_temp FROM t80_ids);
UPDATE pactoria.users SET is_active = true WHERE id = (SELECT a_temp FROM t80_ids);
COMMIT;
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_gone'))$$, '28000', NULL,
				 'a user deactivated by an administrator loses their sessions');
SELECT throws_ok($$SELECT pactoria.refresh_session(pg_temp.rtok('a_gone'))$$, '28000', NULL,
				 'and cannot refresh them');
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('b_gone'))$$, 'another tenant''s sessions are untouched');
RESET ROLE;
SELECT is((SELECT revoke_reason FROM pactoria.user_sessions WHERE token_hash = (SELECT secret_hash
		   FROM pactoria.parse_session_token(pg_temp.tok('a_gone'), 'pct_s_'))), 'deactivated',
		  'the session says why it ended, and activating the user again did not revive it');
CREATE TEMPORARY TABLE t80_charlie AS
SELECT company_id AS c, user_id AS c_admin FROM pactoria.create_company('T80 Charlie Ltd', 'admin@t80-charlie.example', 'Charlie Admin');
SELECT pg_temp.t80_login('c_one', c, c_admin) FROM t80_charlie;
SELECT pg_temp.t80_login('c_two', c, c_admin) FROM t80_charlie;
UPDATE pactoria.companies SET is_active = false WHERE id = (SELECT c FROM t80_charlie);
UPDATE pactoria.companies SET is_active = true WHERE id = (SELECT c FROM t80_charlie);
SELECT is((SELECT count(*)::int FROM pactoria.user_sessions
		   WHERE company_id = (SELECT c FROM t80_charlie) AND status = 'active'), 0,
		  'a deactivated company loses all its sessions');
CREATE TEMPORARY TABLE t80_lookalike (company_id uuid, id uuid, is_active boolean);
INSERT INTO t80_lookalike SELECT b, b_admin, true FROM t80_ids;
CREATE TRIGGER t80_misplaced AFTER UPDATE ON t80_lookalike FOR EACH ROW
	EXECUTE FUNCTION pactoria.end_sessions_of_deactivated();
SELECT throws_ok($$UPDATE t80_lookalike SET is_active = false$$,
				 '42501', NULL, 'end_sessions_of_deactivated() refuses a table it was not made for');

------------------------------------------------------------------------------------
-- refresh_session: rotation, and reuse revokes the family.
------------------------------------------------------------------------------------
SELECT pg_temp.t80_login('a_refresh2', a, a_admin) FROM t80_ids;
SET ROLE pactoria_t80_app;
INSERT INTO t80_values SELECT 'rotated', r.session_token || ' ' || r.refresh_token FROM pactoria.refresh_session(pg_temp.rtok('a_refresh')) AS r;
SELECT matches(pg_temp.val('rotated'), '^pct_s_[A-Za-z0-9_-]{86} pct_r_[A-Za-z0-9_-]{86}$', 'refresh_session() returns a new session and refresh token');
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_refresh'))$$, '28000', NULL, 'the old session token no longer resumes');
SELECT lives_ok($$SELECT pactoria.resume_session(split_part(pg_temp.val('rotated'), ' ', 1))$$, 'the new one does');
SELECT is_empty($$SELECT * FROM pactoria.refresh_session(pg_temp.rtok('a_refresh'))$$,
				'the old refresh token presented again gives no session');
SELECT throws_ok($$SELECT pactoria.resume_session(split_part(pg_temp.val('rotated'), ' ', 1))$$, '28000', NULL,
				 'and revoked the whole family: the new session token is refused');
SELECT throws_ok($$SELECT pactoria.refresh_session(split_part(pg_temp.val('rotated'), ' ', 2))$$, '28000', NULL,
				 'and the new refresh token');
RESET ROLE;
SELECT is((SELECT array_agg(s.revoke_reason ORDER BY s.id) FROM pactoria.user_sessions AS s
		   WHERE s.family_id = (SELECT s2.family_id FROM pactoria.user_sessions AS s2 WHERE s2.company_id = (SELECT a FROM t80_ids)
								  AND s2.revoke_reason = 'refreshed' LIMIT 1)),
		  ARRAY['refreshed', 'refresh_reuse'], 'the family: one session refreshed, the next revoked for the reuse');
-- Reuse is detected also after the housekeeping ran: it keeps revoked sessions.
SET ROLE pactoria_t80_app;
INSERT INTO t80_values SELECT 'rotated2', r.session_token FROM pactoria.refresh_session(pg_temp.rtok('a_refresh2')) AS r;
RESET ROLE;
SELECT pactoria.cleanup_expired_sessions() \g /dev/null
SET ROLE pactoria_t80_app;
SELECT is_empty($$SELECT * FROM pactoria.refresh_session(pg_temp.rtok('a_refresh2'))$$,
				'after cleanup_expired_sessions(), a reused refresh token still gives no session');
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.val('rotated2'))$$, '28000', NULL,
				 'and still revokes its family');
SELECT throws_ok($$SELECT pactoria.refresh_session(pg_temp.tok('a_admin'))$$, '28000', NULL, 'a session token is no refresh token');
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.rtok('a_admin'))$$, '28000', NULL, 'nor a refresh token a session token');

------------------------------------------------------------------------------------
-- end_session and end_all_sessions.
------------------------------------------------------------------------------------
SELECT lives_ok($$SELECT pactoria.end_session(pg_temp.tok('a_logout'))$$, 'end_session() logs out');
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_logout'))$$, '28000', NULL, 'the ended session no longer resumes');
SELECT throws_ok($$SELECT pactoria.refresh_session(pg_temp.rtok('a_logout'))$$, '28000', NULL, 'nor refreshes');
SELECT throws_ok($$SELECT pactoria.end_session(pg_temp.tok('a_logout'))$$, '28000', NULL, 'nor ends twice');

SELECT throws_ok($$SELECT pactoria.end_all_sessions(a_viewer) FROM t80_ids$$, '42501', NULL, 'end_all_sessions() needs a tenant context');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('a_viewer')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.end_all_sessions(a_admin) FROM t80_ids$$, '42501', NULL, 'a user who is not an administrator cannot end another user''s sessions');
SELECT throws_ok($$SELECT pactoria.end_all_sessions(NULL)$$, '22004', NULL, 'end_all_sessions(NULL) is refused');
SELECT is(pactoria.end_all_sessions(a_viewer), 2, 'a user ends their own active sessions (this one and one timed out)') FROM t80_ids;
COMMIT;
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_viewer'))$$, '28000', NULL, 'the sessions are ended');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('a_admin')) \g /dev/null
SELECT is(pactoria.end_all_sessions(a_leaver), 1, 'an administrator ends another user''s sessions') FROM t80_ids;
SELECT throws_ok($$SELECT pactoria.end_all_sessions(b_admin) FROM t80_ids$$, '42501', NULL, 'but not those of another company''s user');
SELECT throws_ok($$SELECT pactoria.end_all_sessions('00000000-0000-7000-8000-0000000080ff')$$, '42501', NULL, 'nor of an unknown user');
COMMIT;
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('a_leaver'))$$, '28000', NULL, 'the other user''s session is ended');
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('b_admin'))$$, 'and another company''s session is untouched');

------------------------------------------------------------------------------------
-- Bad input for every function.
------------------------------------------------------------------------------------
RESET ROLE;
INSERT INTO t80_values
SELECT 'other_tenant', pactoria.make_session_token('pct_s_', a, (pactoria.parse_session_token(pg_temp.tok('b_admin'), 'pct_s_')).session_id,
												   pactoria.random_bytes(32)) FROM t80_ids
UNION ALL SELECT 'wrong_secret', pactoria.make_session_token('pct_s_', b, (pactoria.parse_session_token(pg_temp.tok('b_admin'), 'pct_s_')).session_id,
															 pactoria.random_bytes(32)) FROM t80_ids;
-- A session made before 0.2.0 has no refresh digest: no refresh token opens it.
INSERT INTO pactoria.user_sessions (company_id, id, user_id, token_hash, expires_at)
SELECT a, '00000000-0000-7000-8000-0000000080e1', a_admin, sha256('legacy'), now() + interval '1 hour' FROM t80_ids;
INSERT INTO t80_values
SELECT 'legacy_refresh', pactoria.make_session_token('pct_r_', a, '00000000-0000-7000-8000-0000000080e1', pactoria.random_bytes(32)) FROM t80_ids;
SET ROLE pactoria_t80_app;
SELECT throws_ok($$SELECT pactoria.refresh_session(pg_temp.val('legacy_refresh'))$$, '28000', NULL,
				 'a session without a refresh digest (from 0.1.0) cannot be refreshed with any secret');
SELECT throws_ok(format('SELECT pactoria.%s(%s)', f, arg), '28000', 'session is not valid', format('%s(%s) is refused', f, label))
FROM unnest(ARRAY['resume_session', 'refresh_session', 'end_session']) AS f,
	 (VALUES ('NULL', 'NULL'), ('''''', 'empty'), (quote_literal(repeat('x', 100000)), 'oversize'),
			 (quote_literal('pct_s_' || repeat('!', 86)), 'malformed'), (quote_literal(left(pg_temp.tok('b_admin'), 91)), 'truncated'),
			 (quote_literal(pg_temp.val('other_tenant')), 'another tenant''s session under this tenant'),
			 (quote_literal(pg_temp.val('wrong_secret')), 'a wrong secret')) AS a (arg, label)
ORDER BY f, label;
RESET ROLE;
SELECT throws_ok($$SELECT pactoria.create_session(NULL, a_admin) FROM t80_ids$$, '22004', NULL, 'create_session(NULL company) is refused');
SELECT throws_ok($$SELECT pactoria.create_session(a, b_admin) FROM t80_ids$$, '28000', NULL, 'create_session() for another company''s user is refused');
UPDATE pactoria.users SET is_active = false WHERE id = (SELECT a_leaver FROM t80_ids);
SELECT throws_ok($$SELECT pactoria.create_session(a, a_leaver) FROM t80_ids$$, '28000', NULL, 'create_session() for an inactive user is refused');
SELECT is(pactoria.sign_context(NULL, NULL, NULL, NULL, NULL), NULL, 'sign_context() of NULLs is NULL');
SELECT throws_ok($$SELECT pactoria.sign_context(a, a_admin, a, 'infinity', false) FROM t80_ids$$, '22023', NULL, 'sign_context() refuses an infinite expiry');
SELECT throws_ok($$SELECT pactoria.grant_service_access(NULL)$$, '22004', NULL, 'grant_service_access(NULL) is refused');
SELECT throws_ok($$SET pactoria.test_clock_offset = 'soon'$$, '22023', NULL, 'a clock offset that is not an interval is refused');

SELECT * FROM finish();

-- Clean up: this file ran outside a transaction.
RESET ROLE;
RESET pactoria.test_clock_offset;
SET pactoria.company_id = '';
UPDATE pactoria.companies SET is_active = false WHERE id IN (SELECT a FROM t80_ids UNION SELECT b FROM t80_ids UNION SELECT c FROM t80_charlie);
DELETE FROM pactoria.user_sessions WHERE company_id IN (SELECT a FROM t80_ids UNION SELECT b FROM t80_ids UNION SELECT c FROM t80_charlie);
DELETE FROM pactoria.users WHERE company_id IN (SELECT a FROM t80_ids UNION SELECT b FROM t80_ids UNION SELECT c FROM t80_charlie);
DELETE FROM pactoria.companies WHERE id IN (SELECT a FROM t80_ids UNION SELECT b FROM t80_ids UNION SELECT c FROM t80_charlie);
DROP OWNED BY pactoria_t80_app;
DROP ROLE pactoria_t80_app;
