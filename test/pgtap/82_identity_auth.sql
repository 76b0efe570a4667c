-- Logging in, passwords, lock-out and invitations: sign_up, authenticate,
-- set_password, unlock_user, invite_user and accept_invitation; lock-out
-- (auth.max_failed_attempts, locks growing from auth.lockout_minutes up to
-- auth.lockout_max_minutes), throttling by address (auth.ip_max_failures in
-- auth.ip_window_minutes), rehashing when auth.bcrypt_cost rises, the deny list,
-- the audit events, the privileges of the application role, and bad input for
-- every function.  (Exact messages: sql/identity_auth.sql; concurrent attempts:
-- test/integration/82_login_lockout.sh.)
--
-- Not one transaction: a login attempt is decided by a background worker in a
-- transaction of its own, which sees only committed rows.  So the setup is
-- committed, and this file cleans up after itself at the end.
\set ON_ERROR_STOP 1
SET client_min_messages = error;
SELECT plan(147);

INSERT INTO pactoria.system_config (key, value) VALUES ('auth.bcrypt_cost', '4')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
CREATE ROLE pactoria_tap82_app LOGIN;
SELECT pactoria.grant_application_access('pactoria_tap82_app') \g /dev/null

CREATE TEMPORARY TABLE t82_ids (name text PRIMARY KEY, company_id uuid, user_id uuid);
CREATE TEMPORARY TABLE t82_tokens (name text PRIMARY KEY, session_token text, refresh_token text);
CREATE TEMPORARY TABLE t82_values (name text PRIMARY KEY, value text);
GRANT SELECT, INSERT ON t82_ids, t82_tokens, t82_values TO pactoria_tap82_app;
CREATE FUNCTION pg_temp.cid(name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT company_id FROM t82_ids AS i WHERE i.name = cid.name $$;
CREATE FUNCTION pg_temp.uid(name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT user_id FROM t82_ids AS i WHERE i.name = uid.name $$;
CREATE FUNCTION pg_temp.tok(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT session_token FROM t82_tokens AS t WHERE t.name = tok.name $$;
CREATE FUNCTION pg_temp.val(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM t82_values AS v WHERE v.name = val.name $$;
-- A login as the application would make it, its tokens kept under a name.
CREATE FUNCTION pg_temp.login(login_name text, address text, secret text, ip inet DEFAULT '203.0.113.1')
RETURNS void LANGUAGE sql AS $$
	INSERT INTO t82_tokens (name, session_token, refresh_token)
	SELECT login_name, a.session_token, a.refresh_token FROM pactoria.authenticate(address, secret, ip, 'pgTAP 82') AS a
$$;
-- Wrong passwords, each refused with 28P01; how many were.
CREATE FUNCTION pg_temp.fail(address text, times integer, ip inet DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	refused integer := 0;
BEGIN
	FOR i IN 1 .. times LOOP
		BEGIN
			PERFORM pactoria.authenticate(address, 'not the passphrase ' || i, ip, 'pgTAP 82');
		EXCEPTION WHEN invalid_password THEN
			refused := refused + 1;
		END;
	END LOOP;
	RETURN refused;
END
$$;
-- A user's row, for the owner.
CREATE FUNCTION pg_temp.usr(address text) RETURNS pactoria.users LANGUAGE sql STABLE AS $$
	SELECT u.* FROM pactoria.users AS u WHERE lower(u.email) = lower(address)
$$;
-- The minutes a user stays locked, on the identity clock.
CREATE FUNCTION pg_temp.lock_minutes(address text) RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT round(extract(epoch FROM u.locked_until - pactoria.clock_now()) / 60)::integer
	FROM pactoria.users AS u WHERE lower(u.email) = lower(address)
$$;
-- A user's identity events (resource_type user), oldest first: "event reason-or-lock".
CREATE FUNCTION pg_temp.events(address text) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT array_agg(a.event_type || coalesce(' ' || coalesce(a.additional_data ->> 'reason', a.additional_data ->> 'lock'), '')
					 ORDER BY a.occurred_at, a.chain_position)
	FROM pactoria.audit_logs AS a JOIN pactoria.users AS u ON u.company_id = a.company_id AND u.id = a.resource_id
	WHERE lower(u.email) = lower(address) AND a.resource_type = 'user'
$$;
GRANT EXECUTE ON FUNCTION pg_temp.cid(text), pg_temp.uid(text), pg_temp.tok(text), pg_temp.val(text),
	pg_temp.login(text, text, text, inet), pg_temp.fail(text, integer, inet) TO pactoria_tap82_app;

------------------------------------------------------------------------------------
-- Configuration.
------------------------------------------------------------------------------------
SELECT is((SELECT jsonb_object_agg(key, value) FROM pactoria.system_config_defaults
		   WHERE key LIKE 'auth.%' OR key = 'invitation.lifetime'),
		  '{"auth.bcrypt_cost": 12, "auth.max_failed_attempts": 5, "auth.lockout_minutes": 15, "auth.lockout_max_minutes": 1440,
			"auth.ip_max_failures": 50, "auth.ip_window_minutes": 15, "invitation.lifetime": 10080}'::jsonb,
		  'the login settings have their documented defaults');

------------------------------------------------------------------------------------
-- sign_up: the password policy and the company's first administrator.
------------------------------------------------------------------------------------
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.sign_up('T82 Alpha Ltd', 'admin@t82-alpha.example', 'Alpha Admin', NULL)$$,
				 '22004', 'password must not be NULL', 'sign_up() refuses a NULL password');
SELECT throws_ok($$SELECT pactoria.sign_up('T82 Alpha Ltd', 'admin@t82-alpha.example', 'Alpha Admin', 'eleven char')$$,
				 '22023', 'password has 11 characters, not 12 to 128', 'a password of 11 characters');
SELECT throws_ok($$SELECT pactoria.sign_up('T82 Alpha Ltd', 'admin@t82-alpha.example', 'Alpha Admin', repeat('p', 129))$$,
				 '22023', 'password has 129 characters, not 12 to 128', 'a password of 129 characters');
SELECT throws_ok($$SELECT pactoria.sign_up('T82 Alpha Ltd', 'admin@t82-alpha.example', 'Alpha Admin', 'Password1234')$$,
				 '22023', 'password is too common', 'a password on the deny list');
SELECT throws_ok($$SELECT pactoria.sign_up('T82 Alpha Ltd', 'admin@t82-alpha.example', 'Alpha Admin', 'QWERTYUIOP123')$$,
				 '22023', 'password is too common', 'the deny list is compared in lower case');
INSERT INTO t82_ids SELECT 'alpha', s.company_id, s.user_id
FROM pactoria.sign_up('T82 Alpha Ltd', 'admin@t82-alpha.example', 'Alpha Admin', 'alpha admin passphrase') AS s;
INSERT INTO t82_ids SELECT 'bravo', s.company_id, s.user_id
FROM pactoria.sign_up('T82 Bravo Ltd', 'admin@t82-bravo.example', 'Bravo Admin', 'bravo admin passphrase') AS s;
INSERT INTO t82_ids SELECT 'charlie', s.company_id, s.user_id
FROM pactoria.sign_up('T82 Charlie Ltd', 'admin@t82-charlie.example', 'Charlie Admin', 'charlie admin passphrase') AS s;
SELECT throws_ok($$SELECT pactoria.sign_up('T82 Delta Ltd', 'ADMIN@T82-Alpha.example', 'Delta Admin', 'delta admin passphrase')$$,
				 '23505', NULL, 'an e-mail address in use, in any case, is refused');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM pactoria.companies WHERE name LIKE 'T82 %'), 3,
		  'the refused sign-ups left no company behind');
SELECT results_eq($$SELECT u.role, u.is_active, u.password_changed_at IS NOT NULL, c.subscription_tier, c.is_active
					FROM pactoria.users AS u JOIN pactoria.companies AS c ON c.id = u.company_id WHERE u.id = pg_temp.uid('alpha')$$,
				  $$VALUES ('admin'::text, true, true, 'starter'::text, true)$$,
				  'sign_up() makes an active administrator (password_changed_at set) of an active starter company');
SELECT matches((pg_temp.usr('admin@t82-alpha.example')).hashed_password, '^sha256\$\$2a\$04\$[./A-Za-z0-9]{53}$',
			   'the password is stored as a bcrypt hash (of its SHA-256) of cost auth.bcrypt_cost');
SELECT is(pactoria.bcrypt('alpha admin passphrase', (pg_temp.usr('admin@t82-alpha.example')).hashed_password),
		  (pg_temp.usr('admin@t82-alpha.example')).hashed_password, 'the hash is of the password given');
SELECT is((SELECT count(*)::int FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('alpha') AND event_type = 'sign_up'
		   AND user_id = pg_temp.uid('alpha') AND resource_id = pg_temp.uid('alpha')), 1, 'the sign-up is in the audit trail');

-- More users of Alpha, made by the owner; Charlie's company is deactivated.
UPDATE pactoria.companies SET max_users = 20 WHERE id = pg_temp.cid('alpha');
INSERT INTO pactoria.users (company_id, email, full_name, role, is_active, hashed_password, password_changed_at)
SELECT pg_temp.cid('alpha'), u.email, u.full_name, u.role, u.is_active, pactoria.bcrypt(u.secret, ''), now() - interval '1 day'
FROM (VALUES ('viewer@t82-alpha.example', 'Alpha Viewer', 'viewer', true, 'alpha viewer passphrase'),
			 ('lock@t82-alpha.example', 'Alpha Lock', 'contract_manager', true, 'alpha lock passphrase'),
			 ('grow@t82-alpha.example', 'Alpha Grow', 'contract_manager', true, 'alpha grow passphrase'),
			 ('change@t82-alpha.example', 'Alpha Change', 'contract_manager', true, 'alpha change passphrase'),
			 ('gone@t82-alpha.example', 'Alpha Gone', 'viewer', false, 'alpha gone passphrase')) AS u (email, full_name, role, is_active, secret);
INSERT INTO t82_ids SELECT split_part(email, '@', 1), company_id, id FROM pactoria.users
WHERE company_id = pg_temp.cid('alpha') AND role <> 'admin';
UPDATE pactoria.companies SET is_active = false WHERE id = pg_temp.cid('charlie');

------------------------------------------------------------------------------------
-- authenticate: a session for the right password.
------------------------------------------------------------------------------------
SET ROLE pactoria_tap82_app;
INSERT INTO t82_values SELECT 'admin_login', row_to_json(a)::text
FROM pactoria.authenticate('Admin@T82-ALPHA.example', 'alpha admin passphrase', '203.0.113.1', 'pgTAP 82') AS a;
SELECT ok(v ->> 'session_token' ~ '^pct_s_[A-Za-z0-9_-]{86}$' AND v ->> 'refresh_token' ~ '^pct_r_[A-Za-z0-9_-]{86}$'
		  AND (v ->> 'expires_at')::timestamptz > now() + interval '11 hours' AND NOT (v ->> 'mfa_required')::boolean,
		  'authenticate() returns a session and a refresh token, the expiry and no MFA (the address in any case)')
FROM (SELECT pg_temp.val('admin_login')::jsonb AS v) AS l;
SELECT results_eq($$SELECT (v ->> 'company_id')::uuid, (v ->> 'user_id')::uuid FROM (SELECT pg_temp.val('admin_login')::jsonb AS v) AS l$$,
				  $$SELECT company_id, user_id FROM t82_ids WHERE name = 'alpha'$$, 'and the company and user');
SELECT results_eq($$SELECT company_id, user_id, mfa_required FROM pactoria.resume_session(pg_temp.val('admin_login')::jsonb ->> 'session_token')$$,
				  $$SELECT company_id, user_id, false FROM t82_ids WHERE name = 'alpha'$$, 'the session token resumes as that user');
RESET ROLE;
SELECT results_eq($$SELECT host(s.ip_address), s.user_agent, s.mfa_pending FROM pactoria.user_sessions AS s
					WHERE s.company_id = pg_temp.cid('alpha')
					  AND s.id = (pactoria.parse_session_token(pg_temp.val('admin_login')::jsonb ->> 'session_token', 'pct_s_')).session_id$$,
				  $$VALUES ('203.0.113.1'::text, 'pgTAP 82'::text, false)$$, 'the session keeps the client address and user agent');
SELECT ok((pg_temp.usr('admin@t82-alpha.example')).last_login_at > now() - interval '1 minute', 'last_login_at is set');
SELECT set_config('pactoria.company_id', pg_temp.cid('alpha')::text, false) IS NOT NULL AS in_context \gset
SELECT results_eq($$SELECT ip_address, user_agent, additional_data - '$client', additional_data -> '$client' ? '$personal',
						   pactoria.reveal_personal_values(additional_data, 'audit_logs') -> '$client'
					FROM pactoria.audit_logs
					WHERE company_id = pg_temp.cid('alpha') AND event_type = 'login' AND resource_id = pg_temp.uid('alpha')$$,
				  $$VALUES (NULL::inet, NULL::text, '{"mfa_required": false}'::jsonb, true,
						    '{"ip_address": "203.0.113.1", "user_agent": "pgTAP 82"}'::jsonb)$$,
				  'the login is audited with its address and user agent, sealed under the user''s key');
RESET pactoria.company_id;

------------------------------------------------------------------------------------
-- authenticate: one answer for every failure, and bad input.
------------------------------------------------------------------------------------
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.authenticate('nobody@t82-alpha.example', 'alpha admin passphrase')$$,
				 '28P01', 'login failed', 'an unknown address: 28P01 login failed');
SELECT throws_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', 'not the passphrase')$$,
				 '28P01', 'login failed', 'a wrong password: the same answer');
SELECT throws_ok($$SELECT pactoria.authenticate('gone@t82-alpha.example', 'alpha gone passphrase')$$,
				 '28P01', 'login failed', 'an inactive user with the right password: the same answer');
SELECT throws_ok($$SELECT pactoria.authenticate('admin@t82-charlie.example', 'charlie admin passphrase')$$,
				 '28P01', 'login failed', 'a user of an inactive company with the right password: the same answer');
SELECT throws_ok($$SELECT pactoria.authenticate('', '')$$, '28P01', 'login failed', 'empty address and password');
SELECT throws_ok($$SELECT pactoria.authenticate(NULL, 'alpha admin passphrase')$$, '22004', NULL, 'a NULL address');
SELECT throws_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', NULL)$$, '22004', NULL, 'a NULL password');
SELECT throws_ok($$SELECT pactoria.authenticate(repeat('a', 237) || '@t82-alpha.example', 'x')$$,
				 '22001', 'e-mail address is too long', 'an address of 255 bytes');
SELECT throws_ok($$SELECT pactoria.authenticate(repeat('a', 236) || '@t82-alpha.example', 'x')$$,
				 '28P01', NULL, 'an address of 254 bytes is tried (and fails)');
SELECT throws_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', repeat('é', 513))$$,
				 '22001', 'password is too long', 'a password of 1026 bytes');
SELECT throws_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', repeat('x', 1024))$$,
				 '28P01', NULL, 'a password of 1024 bytes is tried (and fails)');
INSERT INTO t82_values SELECT 'long_agent', a.session_token
FROM pactoria.authenticate('viewer@t82-alpha.example', 'alpha viewer passphrase', NULL, repeat('ü', 3000)) AS a;
-- The caller rolls back; the failure stays counted.
BEGIN;
DO $$
BEGIN
	PERFORM pactoria.authenticate('viewer@t82-alpha.example', 'not the passphrase');
EXCEPTION WHEN invalid_password THEN
	NULL;
END
$$;
ROLLBACK;
RESET ROLE;
SELECT is((SELECT char_length(user_agent) FROM pactoria.user_sessions WHERE company_id = pg_temp.cid('alpha')
		   AND id = (pactoria.parse_session_token(pg_temp.val('long_agent'), 'pct_s_')).session_id), 1000,
		  'an oversize user agent logs in, kept to 1000 characters');
SELECT is((pg_temp.usr('viewer@t82-alpha.example')).failed_login_attempts, 1,
		  'a failed login stays counted though the caller''s transaction rolls back');
SELECT is((pg_temp.usr('admin@t82-alpha.example')).failed_login_attempts, 2,
		  'the wrong passwords of an address are counted (the 1024-byte one too), bad input is not');
SELECT is(pg_temp.events('gone@t82-alpha.example'), ARRAY['login_failed inactive'], 'an inactive user''s failure is audited as inactive');
SELECT is((SELECT count(*)::int FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('charlie') AND event_type = 'login_failed'), 0,
		  'an inactive company''s trail gets no event');
SELECT is((SELECT array_agg(a.additional_data ORDER BY a.occurred_at) FROM pactoria.audit_logs AS a
		   WHERE a.company_id = pg_temp.cid('alpha') AND a.event_type = 'login_failed' AND a.resource_id = pg_temp.uid('alpha')),
		  ARRAY['{"kind": "password", "reason": "password"}'::jsonb, '{"kind": "password", "reason": "password"}'::jsonb],
		  'each wrong password is audited as login_failed with its reason');
SET ROLE pactoria_tap82_app;
SELECT lives_ok($$SELECT pg_temp.login('admin', 'admin@t82-alpha.example', 'alpha admin passphrase')$$, 'the right password still logs in');
RESET ROLE;
SELECT is((pg_temp.usr('admin@t82-alpha.example')).failed_login_attempts, 0, 'and a successful login forgets the failures');

------------------------------------------------------------------------------------
-- Lock-out.
------------------------------------------------------------------------------------
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.max_failed_attempts', '3')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
SET ROLE pactoria_tap82_app;
SELECT pg_temp.fail('lock@t82-alpha.example', 2) \g /dev/null
RESET ROLE;
SELECT results_eq($$SELECT failed_login_attempts, locked_until, lockout_count FROM pactoria.users WHERE id = pg_temp.uid('lock')$$,
				  $$VALUES (2, NULL::timestamptz, 0)$$, 'two wrong passwords are counted, the account is not locked yet');
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.authenticate('lock@t82-alpha.example', 'not the passphrase 3')$$, '28P01', 'login failed',
				 'the third wrong password (auth.max_failed_attempts)');
RESET ROLE;
SELECT results_eq($$SELECT failed_login_attempts, lockout_count, pg_temp.lock_minutes('lock@t82-alpha.example') FROM pactoria.users
					WHERE id = pg_temp.uid('lock')$$,
				  $$VALUES (0, 1, 15)$$, 'locks the account for auth.lockout_minutes (15), its failures start again');
INSERT INTO t82_values SELECT 'locked_until', locked_until::text FROM pactoria.users WHERE id = pg_temp.uid('lock');
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.authenticate('lock@t82-alpha.example', 'alpha lock passphrase')$$, '28P01', 'login failed',
				 'a locked account refuses the right password, with the same answer');
RESET ROLE;
SELECT results_eq($$SELECT locked_until, failed_login_attempts FROM pactoria.users WHERE id = pg_temp.uid('lock')$$,
				  $$SELECT pg_temp.val('locked_until')::timestamptz, 0$$, 'an attempt on a locked account neither counts nor extends the lock');
SELECT is(pg_temp.events('lock@t82-alpha.example'),
		  ARRAY['login_failed password', 'login_failed password', 'login_failed password', 'account_locked 1', 'login_failed locked'],
		  'the trail: three failures, the lock (the first), and the refusal while locked');
SELECT is((SELECT (a.additional_data ->> 'locked_until')::timestamptz FROM pactoria.audit_logs AS a
		   WHERE a.company_id = pg_temp.cid('alpha') AND a.event_type = 'account_locked' AND a.resource_id = pg_temp.uid('lock')),
		  pg_temp.val('locked_until')::timestamptz, 'account_locked records when the lock ends');
SET pactoria.test_clock_offset = '16 minutes';
SET ROLE pactoria_tap82_app;
SELECT lives_ok($$SELECT pg_temp.login('lock', 'lock@t82-alpha.example', 'alpha lock passphrase')$$,
				'once the lock has ended the right password logs in');
RESET ROLE;
SELECT results_eq($$SELECT failed_login_attempts, locked_until, lockout_count FROM pactoria.users WHERE id = pg_temp.uid('lock')$$,
				  $$VALUES (0, NULL::timestamptz, 0)$$, 'and clears the lock and the count of locks');
RESET pactoria.test_clock_offset;

-- unlock_user: an administrator of the user's company.
SET ROLE pactoria_tap82_app;
SELECT pg_temp.fail('lock@t82-alpha.example', 3) \g /dev/null
SELECT pg_temp.login('viewer', 'viewer@t82-alpha.example', 'alpha viewer passphrase');
SELECT pg_temp.login('bravo', 'admin@t82-bravo.example', 'bravo admin passphrase');
SELECT pg_temp.fail('admin@t82-bravo.example', 1) \g /dev/null
SELECT throws_ok($$SELECT pactoria.unlock_user(pg_temp.uid('lock'))$$, '42501', NULL, 'unlock_user() needs a tenant context');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('viewer')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.unlock_user(pg_temp.uid('lock'))$$, '42501', NULL, 'a user who is not an administrator cannot unlock');
COMMIT;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('bravo')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.unlock_user(pg_temp.uid('lock'))$$, '42501', NULL, 'nor an administrator of another company');
COMMIT;
RESET ROLE;
SELECT ok((pg_temp.usr('lock@t82-alpha.example')).locked_until > pactoria.clock_now(), 'the account (locked again) is still locked');
SET ROLE pactoria_tap82_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('admin')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.unlock_user(NULL)$$, '22004', NULL, 'unlock_user(NULL) is refused');
SELECT throws_ok($$SELECT pactoria.unlock_user('00000000-0000-7000-8000-0000000082ff')$$, '42501', NULL, 'so is an unknown user');
SELECT throws_ok($$SELECT pactoria.unlock_user(pg_temp.uid('bravo'))$$, '42501', NULL, 'and another company''s user');
SELECT lives_ok($$SELECT pactoria.unlock_user(pg_temp.uid('lock'))$$, 'an administrator of the company unlocks the user');
COMMIT;
RESET ROLE;
SELECT results_eq($$SELECT failed_login_attempts, locked_until, lockout_count FROM pactoria.users WHERE id = pg_temp.uid('lock')$$,
				  $$VALUES (0, NULL::timestamptz, 0)$$, 'the lock, the failures and the count of locks are gone');
SELECT is((SELECT count(*)::int FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('alpha') AND event_type = 'account_unlocked'
		   AND user_id = pg_temp.uid('alpha') AND resource_id = pg_temp.uid('lock')), 1,
		  'account_unlocked is audited, by the administrator, about the user');
SELECT is((pg_temp.usr('admin@t82-bravo.example')).failed_login_attempts, 1, 'the refused unlock of another company''s user changed nothing there');
SET ROLE pactoria_tap82_app;
SELECT lives_ok($$SELECT pactoria.authenticate('lock@t82-alpha.example', 'alpha lock passphrase')$$, 'the unlocked user logs in');
RESET ROLE;

-- Each further lock lasts twice as long, up to auth.lockout_max_minutes.
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.max_failed_attempts', '1'), ('auth.lockout_minutes', '10'),
	('auth.lockout_max_minutes', '25')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
SET ROLE pactoria_tap82_app;
SELECT pg_temp.fail('grow@t82-alpha.example', 1) \g /dev/null
RESET ROLE;
SELECT results_eq($$SELECT lockout_count, pg_temp.lock_minutes('grow@t82-alpha.example') FROM pactoria.users WHERE id = pg_temp.uid('grow')$$,
				  $$VALUES (1, 10)$$, 'the first lock lasts auth.lockout_minutes');
SET pactoria.test_clock_offset = '11 minutes';
SET ROLE pactoria_tap82_app;
SELECT pg_temp.fail('grow@t82-alpha.example', 1) \g /dev/null
RESET ROLE;
SELECT results_eq($$SELECT lockout_count, pg_temp.lock_minutes('grow@t82-alpha.example') FROM pactoria.users WHERE id = pg_temp.uid('grow')$$,
				  $$VALUES (2, 20)$$, 'a failure after it ends locks again, twice as long');
SET pactoria.test_clock_offset = '32 minutes';
SET ROLE pactoria_tap82_app;
SELECT pg_temp.fail('grow@t82-alpha.example', 1) \g /dev/null
RESET ROLE;
SELECT results_eq($$SELECT lockout_count, pg_temp.lock_minutes('grow@t82-alpha.example') FROM pactoria.users WHERE id = pg_temp.uid('grow')$$,
				  $$VALUES (3, 25)$$, 'the third lock is capped at auth.lockout_max_minutes');
SET pactoria.test_clock_offset = '58 minutes';
SET ROLE pactoria_tap82_app;
SELECT pactoria.authenticate('grow@t82-alpha.example', 'alpha grow passphrase') \g /dev/null
SELECT pg_temp.fail('grow@t82-alpha.example', 1) \g /dev/null
RESET ROLE;
SELECT results_eq($$SELECT lockout_count, pg_temp.lock_minutes('grow@t82-alpha.example') FROM pactoria.users WHERE id = pg_temp.uid('grow')$$,
				  $$VALUES (1, 10)$$, 'after a successful login the next lock is a first one again');
RESET pactoria.test_clock_offset;
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.lockout_minutes', '0')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.authenticate('viewer@t82-alpha.example', 'not the passphrase')$$, '55000', NULL,
				 'a lock setting out of bounds is a clear 55000 from the worker, not a login');
RESET ROLE;
DELETE FROM pactoria.system_config WHERE key IN ('auth.max_failed_attempts', 'auth.lockout_minutes', 'auth.lockout_max_minutes');

------------------------------------------------------------------------------------
-- Throttling by client address.
------------------------------------------------------------------------------------
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.ip_max_failures', '3'), ('auth.ip_window_minutes', '10')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
SET ROLE pactoria_tap82_app;
SELECT pg_temp.fail('nobody@t82-alpha.example', 3, '203.0.113.50') \g /dev/null
SELECT throws_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', 'alpha admin passphrase', '203.0.113.50')$$,
				 '53400', 'too many failed logins from this address',
				 'after auth.ip_max_failures failures (of unknown accounts) an address is refused, even with a right password');
SELECT lives_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', 'alpha admin passphrase', '203.0.113.51')$$,
				'another address is not');
RESET ROLE;
SELECT results_eq($$SELECT host(client_ip), failures FROM pactoria.login_throttle WHERE client_ip << inet '203.0.113.0/24' ORDER BY client_ip$$,
				  $$VALUES ('203.0.113.50'::text, 3)$$, 'login_throttle counts the failures of the address; refusals and successes add nothing');
SELECT is((pg_temp.usr('admin@t82-alpha.example')).failed_login_attempts, 0, 'a throttled attempt is not counted against the account');
SET pactoria.test_clock_offset = '9 minutes';
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', 'alpha admin passphrase', '203.0.113.50')$$,
				 '53400', NULL, 'the address is refused until auth.ip_window_minutes have passed');
RESET ROLE;
SET pactoria.test_clock_offset = '11 minutes';
SET ROLE pactoria_tap82_app;
SELECT lives_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', 'alpha admin passphrase', '203.0.113.50')$$,
				'after the window the address logs in again');
SELECT pg_temp.fail('nobody@t82-alpha.example', 1, '203.0.113.50') \g /dev/null
RESET ROLE;
SELECT is((SELECT failures FROM pactoria.login_throttle WHERE client_ip = '203.0.113.50'), 1, 'and its next failure is counted in a new window');
RESET pactoria.test_clock_offset;
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.ip_window_minutes', '0')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.authenticate('admin@t82-alpha.example', 'alpha admin passphrase', '203.0.113.52')$$, '55000', NULL,
				 'a window out of bounds is a clear 55000, not a login');
RESET ROLE;
DELETE FROM pactoria.system_config WHERE key IN ('auth.ip_max_failures', 'auth.ip_window_minutes');

------------------------------------------------------------------------------------
-- Rehashing when auth.bcrypt_cost rises.
------------------------------------------------------------------------------------
UPDATE pactoria.system_config SET value = '6' WHERE key = 'auth.bcrypt_cost';
SET ROLE pactoria_tap82_app;
SELECT pg_temp.fail('viewer@t82-alpha.example', 1) \g /dev/null
RESET ROLE;
SELECT is(pactoria.bcrypt_cost((pg_temp.usr('viewer@t82-alpha.example')).hashed_password), 4, 'a failed login rehashes nothing');
UPDATE pactoria.system_config SET value = '5' WHERE key = 'auth.bcrypt_cost';
SET ROLE pactoria_tap82_app;
SELECT pactoria.authenticate('viewer@t82-alpha.example', 'alpha viewer passphrase') \g /dev/null
RESET ROLE;
SELECT is(pactoria.bcrypt_cost((pg_temp.usr('viewer@t82-alpha.example')).hashed_password), 5,
		  'a hash of a lower cost is replaced at the next successful login');
SELECT is(pactoria.bcrypt('alpha viewer passphrase', (pg_temp.usr('viewer@t82-alpha.example')).hashed_password),
		  (pg_temp.usr('viewer@t82-alpha.example')).hashed_password, 'by a hash of the same password');
UPDATE pactoria.system_config SET value = '4' WHERE key = 'auth.bcrypt_cost';
SET ROLE pactoria_tap82_app;
SELECT pactoria.authenticate('viewer@t82-alpha.example', 'alpha viewer passphrase') \g /dev/null
RESET ROLE;
SELECT is(pactoria.bcrypt_cost((pg_temp.usr('viewer@t82-alpha.example')).hashed_password), 5, 'a hash of a higher cost is kept');
-- A hash made before 0.2.0 (bcrypt of the password itself) still logs in, and is
-- replaced by the current form at that login.
UPDATE pactoria.users SET hashed_password = crypt('alpha viewer passphrase', gen_salt('bf', 4))
WHERE email = 'viewer@t82-alpha.example';
SET ROLE pactoria_tap82_app;
SELECT lives_ok($$SELECT pactoria.authenticate('viewer@t82-alpha.example', 'alpha viewer passphrase')$$,
				'a plain bcrypt hash of 0.1.0 still logs in');
RESET ROLE;
SELECT matches((pg_temp.usr('viewer@t82-alpha.example')).hashed_password, '^sha256\$\$2a\$',
			   'and is replaced by a hash of the password''s SHA-256 at that login');
SELECT is(pactoria.bcrypt('alpha viewer passphrase', (pg_temp.usr('viewer@t82-alpha.example')).hashed_password),
		  (pg_temp.usr('viewer@t82-alpha.example')).hashed_password, 'of the same password');
UPDATE pactoria.system_config SET value = '3' WHERE key = 'auth.bcrypt_cost';
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.sign_up('T82 Echo Ltd', 'admin@t82-echo.example', 'Echo Admin', 'echo admin passphrase')$$, '55000', NULL,
				 'a cost out of bounds (3) is a clear 55000, not a weak hash');
RESET ROLE;
UPDATE pactoria.system_config SET value = '4' WHERE key = 'auth.bcrypt_cost';

------------------------------------------------------------------------------------
-- set_password.
------------------------------------------------------------------------------------
INSERT INTO pactoria.password_deny_list (password) VALUES ('t82 company passphrase');
SET ROLE pactoria_tap82_app;
SELECT pg_temp.login('change1', 'change@t82-alpha.example', 'alpha change passphrase');
SELECT pg_temp.login('change2', 'change@t82-alpha.example', 'alpha change passphrase');
SELECT pg_temp.login('change3', 'change@t82-alpha.example', 'alpha change passphrase');
SELECT throws_ok($$SELECT pactoria.set_password('alpha change passphrase', 'a new change passphrase')$$, '42501', NULL,
				 'set_password() needs a tenant context');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('change1')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.set_password('not the passphrase', 'a new change passphrase')$$, '28P01', 'current password is not valid',
				 'a wrong current password: 28P01');
COMMIT;
RESET ROLE;
SELECT is((pg_temp.usr('change@t82-alpha.example')).failed_login_attempts, 1, 'which counts towards the lock-out');
SELECT is((SELECT a.additional_data FROM pactoria.audit_logs AS a WHERE a.company_id = pg_temp.cid('alpha')
		   AND a.event_type = 'login_failed' AND a.resource_id = pg_temp.uid('change')),
		  '{"kind": "reauthenticate", "reason": "password"}'::jsonb, 'and is audited as a failed reauthentication');
SET ROLE pactoria_tap82_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('change1')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.set_password(NULL, 'a new change passphrase')$$, '28P01', NULL, 'a NULL current password');
SELECT throws_ok($$SELECT pactoria.set_password(repeat('x', 1025), 'a new change passphrase')$$, '28P01', NULL,
				 'a current password of 1025 bytes');
SELECT throws_ok($$SELECT pactoria.set_password('alpha change passphrase', NULL)$$, '22004', NULL, 'a NULL new password');
SELECT throws_ok($$SELECT pactoria.set_password('alpha change passphrase', 'elevenchars')$$, '22023', NULL, 'a new password of 11 characters');
SELECT throws_ok($$SELECT pactoria.set_password('alpha change passphrase', 'T82 Company Passphrase')$$, '22023', 'password is too common',
				 'a new password the owner added to the deny list, in any case');
COMMIT;
RESET ROLE;
INSERT INTO t82_values SELECT 'changed_at', password_changed_at::text FROM pactoria.users WHERE id = pg_temp.uid('change');
SET ROLE pactoria_tap82_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('change1')) \g /dev/null
SELECT is(pactoria.set_password('alpha change passphrase', 'twelve chars'), 2,
		  'a new password of 12 characters is set; the number of the user''s other sessions ended is returned');
COMMIT;
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('change2'))$$, '28000', NULL, 'the other sessions no longer resume');
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('change1'))$$, 'the session that changed the password still does');
SELECT throws_ok($$SELECT pactoria.authenticate('change@t82-alpha.example', 'alpha change passphrase')$$, '28P01', NULL,
				 'the old password no longer logs in');
SELECT lives_ok($$SELECT pactoria.authenticate('change@t82-alpha.example', 'twelve chars')$$, 'the new one does');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('change1')) \g /dev/null
SELECT lives_ok($$SELECT pactoria.set_password('twelve chars', repeat('ab', 64))$$, 'a new password of 128 characters is accepted');
COMMIT;
SELECT lives_ok($$SELECT pactoria.authenticate('change@t82-alpha.example', repeat('ab', 64))$$, 'and logs in');
SELECT throws_ok($$SELECT pactoria.authenticate('change@t82-alpha.example', repeat('ab', 36) || ' and then something else')$$,
				 '28P01', NULL, 'a password that differs from it only after its 72nd byte does not log in');
RESET ROLE;
SELECT is((SELECT array_agg(DISTINCT revoke_reason) FROM pactoria.user_sessions WHERE company_id = pg_temp.cid('alpha')
		   AND user_id = pg_temp.uid('change') AND status = 'revoked'), ARRAY['password_changed'],
		  'the ended sessions say why');
SELECT ok((pg_temp.usr('change@t82-alpha.example')).password_changed_at > pg_temp.val('changed_at')::timestamptz,
		  'password_changed_at moves');
SELECT is((SELECT count(*)::int FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('alpha') AND event_type = 'password_change'
		   AND resource_id = pg_temp.uid('change')), 2, 'each change is audited');

------------------------------------------------------------------------------------
-- invite_user and accept_invitation.
------------------------------------------------------------------------------------
INSERT INTO pactoria.system_config (key, value) VALUES ('invitation.lifetime', '60')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.invite_user('new1@t82-alpha.example', 'viewer')$$, '42501', NULL, 'invite_user() needs a tenant context');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('viewer')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.invite_user('new1@t82-alpha.example', 'viewer')$$, '42501', NULL, 'and an administrator');
COMMIT;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('admin')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.invite_user(NULL, 'viewer')$$, '22004', NULL, 'invite_user(NULL address)');
SELECT throws_ok($$SELECT pactoria.invite_user('new1@t82-alpha.example', NULL)$$, '22004', NULL, 'invite_user(NULL role)');
SELECT throws_ok($$SELECT pactoria.invite_user('new1@t82-alpha.example', 'overlord')$$, '22023', NULL, 'an unknown role');
SELECT throws_ok($$SELECT pactoria.invite_user(repeat('a', 250) || '@t82-alpha.example', 'viewer')$$, '22023', NULL,
				 'an address of more than 254 characters');
SELECT throws_ok($$SELECT pactoria.invite_user('ADMIN@T82-BRAVO.EXAMPLE', 'viewer')$$, '23505', NULL,
				 'an address in use in another company, in any case');
INSERT INTO t82_values SELECT 'inv_' || n, row_to_json(i)::text
FROM unnest(ARRAY['new1', 'new3', 'new4']) AS n,
	 LATERAL pactoria.invite_user(n || '@t82-alpha.example', CASE n WHEN 'new1' THEN 'legal_reviewer' ELSE 'contract_manager' END) AS i;
INSERT INTO t82_values SELECT 'inv_new2', row_to_json(i)::text FROM pactoria.invite_user('new2@t82-alpha.example') AS i;
COMMIT;
RESET ROLE;
CREATE FUNCTION pg_temp.inv(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT pg_temp.val('inv_' || name)::jsonb ->> 'invitation_token' $$;
GRANT EXECUTE ON FUNCTION pg_temp.inv(text) TO pactoria_tap82_app;
SELECT is((SELECT count(*)::int FROM unnest(ARRAY['new1', 'new2', 'new3', 'new4']) AS n
		   WHERE pg_temp.inv(n) ~ '^pct_i_[A-Za-z0-9_-]{86}$'), 4, 'each invitation token is pct_i_ and 86 base64url characters');
SELECT results_eq($$SELECT u.role, u.hashed_password IS NULL, u.invited_by, u.is_active, u.invitation_expires_at - u.invited_at
					FROM pactoria.users AS u WHERE u.company_id = pg_temp.cid('alpha')
					  AND u.id = (pg_temp.val('inv_new1')::jsonb ->> 'user_id')::uuid$$,
				  $$VALUES ('legal_reviewer'::text, true, pg_temp.uid('alpha'), true, interval '60 minutes')$$,
				  'the invited user has the role, no password, the inviter, and an invitation of invitation.lifetime');
SELECT is((pg_temp.usr('new2@t82-alpha.example')).role, 'contract_manager', 'the default role is contract_manager');
SELECT is((pg_temp.usr('new1@t82-alpha.example')).invitation_token,
		  encode((pactoria.parse_session_token(pg_temp.inv('new1'), 'pct_i_')).secret_hash, 'hex'),
		  'only the hex SHA-256 of the token''s secret is stored');
SELECT is((SELECT additional_data ->> 'role' FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('alpha')
		   AND event_type = 'invitation_created' AND resource_id = (pg_temp.usr('new1@t82-alpha.example')).id),
		  'legal_reviewer', 'the invitation is audited with its role');
-- Tokens that are not the invitation, made as the owner.
INSERT INTO t82_values
SELECT 'inv_wrong_secret', pactoria.make_session_token('pct_i_', pg_temp.cid('alpha'), (pg_temp.usr('new1@t82-alpha.example')).id,
													   pactoria.random_bytes(32))
UNION ALL
SELECT 'inv_other_tenant', pactoria.make_session_token('pct_i_', pg_temp.cid('bravo'), p.session_id, substring(decode(rpad(
		   translate(substr(pg_temp.inv('new1'), 7), '-_', '+/'), 88, '='), 'base64') FROM 33))
FROM pactoria.parse_session_token(pg_temp.inv('new1'), 'pct_i_') AS p;
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.authenticate('new1@t82-alpha.example', 'any long passphrase')$$, '28P01', 'login failed',
				 'an invited user cannot log in before accepting');
SELECT throws_ok($$SELECT pactoria.accept_invitation(pg_temp.inv('new1'), NULL, 'new one passphrase')$$, '22004', NULL,
				 'accept_invitation() refuses a NULL name');
SELECT throws_ok($$SELECT pactoria.accept_invitation(pg_temp.inv('new1'), '   ', 'new one passphrase')$$, '22023', NULL, 'a blank name');
SELECT throws_ok($$SELECT pactoria.accept_invitation(pg_temp.inv('new1'), 'New One', NULL)$$, '22004', NULL, 'a NULL password');
SELECT throws_ok($$SELECT pactoria.accept_invitation(pg_temp.inv('new1'), 'New One', 'Welcome123456')$$, '22023', 'password is too common',
				 'a common password');
SELECT throws_ok(format('SELECT pactoria.accept_invitation(%s, %L, %L)', t, 'New One', 'new one passphrase'),
				 '28000', 'invitation is not valid', format('accept_invitation(%s) is refused', label))
FROM (VALUES ('NULL', 'NULL'), ($$''$$, 'empty'), (quote_literal(repeat('x', 100000)), 'oversize'),
			 (quote_literal(left(pg_temp.inv('new1'), 91)), 'truncated'), (quote_literal(pg_temp.val('inv_wrong_secret')), 'a wrong secret'),
			 (quote_literal(pg_temp.val('inv_other_tenant')), 'the user under another company'),
			 (quote_literal(pg_temp.tok('admin')), 'a session token')) AS a (t, label)
ORDER BY label;
SELECT results_eq($$SELECT company_id, user_id FROM pactoria.accept_invitation(pg_temp.inv('new1'), '  New One  ', 'new one passphrase')$$,
				  $$SELECT pg_temp.cid('alpha'), (pg_temp.val('inv_new1')::jsonb ->> 'user_id')::uuid$$,
				  'the refusals spent nothing: the invitation is accepted, returning the company and user');
SELECT throws_ok($$SELECT pactoria.accept_invitation(pg_temp.inv('new1'), 'New One', 'new one passphrase')$$, '28000',
				 'invitation is not valid', 'a spent invitation is refused');
SELECT lives_ok($$SELECT pactoria.authenticate('new1@t82-alpha.example', 'new one passphrase')$$, 'the new user logs in');
RESET ROLE;
-- An invitation stored by 0.1.0 (its token not a digest) opens nothing, with the same answer.
INSERT INTO pactoria.users (company_id, id, email, full_name, role, is_active, invitation_token, invited_at, invitation_expires_at)
VALUES (pg_temp.cid('alpha'), '00000000-0000-7000-8000-0000000082e1', 'legacy@t82-alpha.example', 'Alpha Legacy', 'viewer',
		true, 'an invitation token of 0.1.0', now(), now() + interval '1 day');
INSERT INTO t82_values SELECT 'inv_legacy', pactoria.make_session_token('pct_i_', pg_temp.cid('alpha'),
	'00000000-0000-7000-8000-0000000082e1', pactoria.random_bytes(32));
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.accept_invitation(pg_temp.val('inv_legacy'), 'Alpha Legacy', 'a legacy long passphrase')$$,
				 '28000', 'invitation is not valid', 'an invitation of 0.1.0 is refused as any invalid one');
RESET ROLE;
SELECT results_eq($$SELECT full_name, invitation_token, invitation_expires_at, pactoria.bcrypt_cost(hashed_password),
						   password_changed_at IS NOT NULL FROM pactoria.users WHERE email = 'new1@t82-alpha.example'$$,
				  $$VALUES ('New One'::text, NULL::text, NULL::timestamptz, 4, true)$$,
				  'accepting sets the trimmed name and a bcrypt hash, and clears the invitation');
SELECT is(pg_temp.events('new1@t82-alpha.example'), ARRAY['invitation_created', 'login_failed no_password', 'invitation_accepted', 'login'],
		  'the invited user''s trail: invited, a refused login without a password, accepted, logged in');
UPDATE pactoria.users SET is_active = false WHERE email = 'new4@t82-alpha.example';
SET pactoria.test_clock_offset = '59 minutes';
SET ROLE pactoria_tap82_app;
SELECT lives_ok($$SELECT pactoria.accept_invitation(pg_temp.inv('new2'), 'New Two', 'new two passphrase')$$,
				'an invitation is accepted until invitation.lifetime ends');
SELECT throws_ok($$SELECT pactoria.accept_invitation(pg_temp.inv('new4'), 'New Four', 'new four passphrase')$$, '28000', NULL,
				 'but not for a user deactivated since');
RESET ROLE;
SET pactoria.test_clock_offset = '61 minutes';
SET ROLE pactoria_tap82_app;
SELECT throws_ok($$SELECT pactoria.accept_invitation(pg_temp.inv('new3'), 'New Three', 'new three passphrase')$$, '28000',
				 'invitation is not valid', 'an expired invitation is refused');
RESET ROLE;
RESET pactoria.test_clock_offset;
UPDATE pactoria.companies SET max_users = 1 WHERE id = pg_temp.cid('bravo');
SET ROLE pactoria_tap82_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('bravo')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.invite_user('new@t82-bravo.example', 'viewer')$$, '53400', NULL, 'an invitation needs a free seat');
COMMIT;

------------------------------------------------------------------------------------
-- Privileges of the application role.
------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT hashed_password FROM pactoria.users$$, '42501', NULL, 'the application cannot read hashed_password');
SELECT throws_ok($$SELECT invitation_token FROM pactoria.users$$, '42501', NULL, 'nor invitation_token');
SELECT lives_ok($$SELECT email, failed_login_attempts, locked_until FROM pactoria.users$$, 'it reads the other columns of users');
SELECT throws_ok($$UPDATE pactoria.users SET locked_until = NULL$$, '42501', NULL, 'but cannot unlock by writing them');
SELECT throws_ok($$DELETE FROM pactoria.login_throttle$$, '42501', NULL, 'nor touch login_throttle');
SELECT throws_ok($$INSERT INTO pactoria.password_deny_list (password) VALUES ('t82 my own passphrase')$$, '42501', NULL,
				 'nor the deny list');
SELECT throws_ok($$SELECT pactoria.create_company('T82 Sneaky Ltd', 'sneaky@t82-alpha.example', 'Sneaky')$$, '42501', NULL,
				 'it cannot call create_company()');
SELECT throws_ok($$SELECT pactoria.set_context(pg_temp.cid('alpha'), pg_temp.uid('alpha'))$$, '42501', NULL, 'nor set_context()');
SELECT throws_ok($$SELECT pactoria.attempt_login('password', 'admin@t82-alpha.example', 'alpha admin passphrase', NULL, NULL)$$,
				 '42501', NULL, 'nor attempt_login()');
SELECT throws_ok($$SELECT pactoria.decide_login('password', 'admin@t82-alpha.example', 'alpha admin passphrase', NULL, NULL, now())$$,
				 '42501', NULL, 'nor decide_login()');
RESET ROLE;
SELECT is_empty($$SELECT c FROM unnest(ARRAY['hashed_password', 'invitation_token', 'invitation_expires_at', 'failed_login_attempts',
		'locked_until', 'lockout_count', 'mfa_enabled', 'password_changed_at', 'last_login_at', 'invited_by']) AS c
	WHERE has_column_privilege('pactoria_tap82_app', 'pactoria.users', c, 'INSERT')
	   OR has_column_privilege('pactoria_tap82_app', 'pactoria.users', c, 'UPDATE')$$,
	'the application can write no secret and no login bookkeeping of users');
SELECT is_empty($$SELECT f FROM unnest(ARRAY['pactoria.create_company(text,text,text,text,text,text,text,text,text)',
		'pactoria.set_context(uuid,uuid,boolean)', 'pactoria.attempt_login(text,text,text,inet,text)',
		'pactoria.decide_login(text,text,text,inet,text,timestamptz)', 'pactoria.bcrypt(text,text)',
		'pactoria.log_identity_event(uuid,uuid,text,uuid,jsonb)', 'pactoria.require_acting_user()',
		'pactoria.require_administrator_of(uuid,text)', 'pactoria.find_login(text)']) AS f
	WHERE has_function_privilege('pactoria_tap82_app', f::regprocedure, 'EXECUTE')$$,
	'nor execute the internals of logging in');
SELECT is_empty($$SELECT f FROM unnest(ARRAY['pactoria.sign_up(text,text,text,text,text,text,text,text)',
		'pactoria.authenticate(text,text,inet,text)', 'pactoria.set_password(text,text)', 'pactoria.unlock_user(uuid)',
		'pactoria.invite_user(text,text)', 'pactoria.accept_invitation(text,text,text)']) AS f
	WHERE NOT has_function_privilege('pactoria_tap82_app', f::regprocedure, 'EXECUTE')$$,
	'it executes the whole login API');

------------------------------------------------------------------------------------
-- The trail still verifies.
------------------------------------------------------------------------------------
SELECT is_empty($$SELECT * FROM pactoria.verify_audit_log(pg_temp.cid('alpha'))$$,
				'the audit chain of the company, identity events included, verifies');

SELECT * FROM finish();

-- Clean up: this file ran outside a transaction.
RESET ROLE;
RESET pactoria.test_clock_offset;
SET pactoria.company_id = '';
UPDATE pactoria.companies SET is_active = false WHERE id IN (SELECT company_id FROM t82_ids);
DELETE FROM pactoria.user_sessions WHERE company_id IN (SELECT company_id FROM t82_ids);
DELETE FROM pactoria.users WHERE company_id IN (SELECT company_id FROM t82_ids);
DELETE FROM pactoria.companies WHERE id IN (SELECT company_id FROM t82_ids);
DELETE FROM pactoria.login_throttle WHERE client_ip << inet '203.0.113.0/24';
DELETE FROM pactoria.password_deny_list WHERE password = 't82 company passphrase';
DELETE FROM pactoria.system_config WHERE key IN ('auth.bcrypt_cost', 'auth.max_failed_attempts', 'auth.lockout_minutes',
	'auth.lockout_max_minutes', 'auth.ip_max_failures', 'auth.ip_window_minutes', 'invitation.lifetime');
DROP OWNED BY pactoria_tap82_app;
DROP ROLE pactoria_tap82_app;
