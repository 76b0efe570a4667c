-- The second factor: enrol_totp, confirm_totp, verify_totp (RFC 6238, codes
-- computed here with pgcrypto's HMAC-SHA1, independently of the extension's C),
-- replay refused, the one-step window, use_backup_code (each code once),
-- regenerate_backup_codes, mfa_status, disable_totp, reset_totp (an
-- administrator of the same company only), lock-out by wrong codes, the
-- challenge's time limit, secrets stored sealed, no privilege of the
-- application on user_totp and user_backup_codes, and bad input for every
-- function.  (Exact messages and the C helpers: sql/identity_mfa.sql; key
-- rotation, a dump and concurrent use of one code: test/integration/84_mfa.sh.)
--
-- Not one transaction: a wrong code is counted by a background worker in a
-- transaction of its own, which sees only committed rows.  So the setup is
-- committed, and this file cleans up after itself at the end.  Codes are taken
-- on the identity clock (pactoria.test_clock_offset), moved forward between
-- logins so that every step used is new.
\set ON_ERROR_STOP 1
SET client_min_messages = error;
SELECT plan(113);

INSERT INTO pactoria.system_config (key, value) VALUES ('auth.bcrypt_cost', '4'), ('auth.max_failed_attempts', '100')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
CREATE ROLE pactoria_tap84_app LOGIN;
SELECT pactoria.grant_application_access('pactoria_tap84_app') \g /dev/null

CREATE TEMPORARY TABLE t84_ids (name text PRIMARY KEY, company_id uuid, user_id uuid);
CREATE TEMPORARY TABLE t84_tokens (name text PRIMARY KEY, session_token text, refresh_token text, mfa_required boolean);
CREATE TEMPORARY TABLE t84_values (name text PRIMARY KEY, value text);
CREATE TEMPORARY TABLE t84_codes (batch text, code text);
GRANT SELECT, INSERT ON t84_ids, t84_tokens, t84_values, t84_codes TO pactoria_tap84_app;
GRANT UPDATE ON t84_values TO pactoria_tap84_app;
CREATE FUNCTION pg_temp.cid(name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT company_id FROM t84_ids AS i WHERE i.name = cid.name $$;
CREATE FUNCTION pg_temp.uid(name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT user_id FROM t84_ids AS i WHERE i.name = uid.name $$;
CREATE FUNCTION pg_temp.tok(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT session_token FROM t84_tokens AS t WHERE t.name = tok.name $$;
CREATE FUNCTION pg_temp.val(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM t84_values AS v WHERE v.name = val.name $$;
CREATE FUNCTION pg_temp.backup(batch text, n integer) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT code FROM t84_codes AS c WHERE c.batch = backup.batch ORDER BY code OFFSET n - 1 LIMIT 1
$$;
-- RFC 6238 (HMAC-SHA1, 30-second steps) in SQL, with pgcrypto: the oracle.
CREATE FUNCTION pg_temp.totp(secret bytea, at timestamptz, digits integer DEFAULT 6) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT lpad(((((get_byte(h, o) & 127)::bigint << 24) | (get_byte(h, o + 1)::bigint << 16)
				 | (get_byte(h, o + 2)::bigint << 8) | get_byte(h, o + 3)::bigint) % power(10, digits)::bigint)::text, digits, '0')
	FROM (SELECT h, get_byte(h, 19) & 15 AS o
		  FROM (SELECT hmac(int8send(floor(extract(epoch FROM at) / 30)::bigint), secret, 'sha1') AS h) AS d) AS x
$$;
-- The enrolled user's secret, and its code on the identity clock shifted by some seconds, or of a step.
CREATE FUNCTION pg_temp.secret() RETURNS bytea LANGUAGE sql STABLE AS $$ SELECT pactoria.base32_decode(pg_temp.val('secret')) $$;
CREATE FUNCTION pg_temp.code(shift integer DEFAULT 0) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT pg_temp.totp(pg_temp.secret(), pactoria.clock_now() + make_interval(secs => shift))
$$;
CREATE FUNCTION pg_temp.step_code(step bigint) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT pg_temp.totp(pg_temp.secret(), to_timestamp(step * 30))
$$;
-- A code that is certainly not the current one.
CREATE FUNCTION pg_temp.wrong_code() RETURNS text LANGUAGE sql STABLE AS $$
	SELECT lpad(((pg_temp.code()::integer + 500000) % 1000000)::text, 6, '0')
$$;
CREATE FUNCTION pg_temp.login(login_name text, address text, secret text) RETURNS void LANGUAGE sql AS $$
	INSERT INTO t84_tokens (name, session_token, refresh_token, mfa_required)
	SELECT login_name, a.session_token, a.refresh_token, a.mfa_required
	FROM pactoria.authenticate(address, secret, '198.51.100.84', 'pgTAP 84') AS a
$$;
-- Wrong second factors on a pending session, each refused with 28P01; how many were.
CREATE FUNCTION pg_temp.wrong(pending text, times integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	refused integer := 0;
BEGIN
	FOR i IN 1 .. times LOOP
		BEGIN
			PERFORM pactoria.verify_totp(pending, 'abcdef');
		EXCEPTION WHEN invalid_password THEN
			refused := refused + 1;
		END;
	END LOOP;
	RETURN refused;
END
$$;
CREATE FUNCTION pg_temp.usr(address text) RETURNS pactoria.users LANGUAGE sql STABLE AS $$
	SELECT u.* FROM pactoria.users AS u WHERE u.email = address
$$;
GRANT EXECUTE ON FUNCTION pg_temp.cid(text), pg_temp.uid(text), pg_temp.tok(text), pg_temp.val(text), pg_temp.backup(text, integer),
	pg_temp.totp(bytea, timestamptz, integer), pg_temp.secret(), pg_temp.code(integer), pg_temp.step_code(bigint),
	pg_temp.wrong_code(), pg_temp.login(text, text, text), pg_temp.wrong(text, integer) TO pactoria_tap84_app;

------------------------------------------------------------------------------------
-- The oracle: RFC 6238 Appendix B.
------------------------------------------------------------------------------------
SELECT is((SELECT array_agg(pg_temp.totp('12345678901234567890'::bytea, to_timestamp(t), 8) ORDER BY t)
		   FROM unnest(ARRAY[59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000]) AS t),
		  ARRAY['94287082', '07081804', '14050471', '89005924', '69279037', '65353130'],
		  'the SQL oracle (pgcrypto HMAC-SHA1) gives the codes of RFC 6238 Appendix B');

------------------------------------------------------------------------------------
-- Privileges of the application role.
------------------------------------------------------------------------------------
SELECT is_empty($$SELECT t, p FROM unnest(ARRAY['pactoria.user_totp', 'pactoria.user_backup_codes']) AS t,
		unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES']) AS p
	WHERE has_table_privilege('pactoria_tap84_app', t, p)$$,
	'the application has no privilege on user_totp or user_backup_codes');
SELECT is_empty($$SELECT f FROM unnest(ARRAY['pactoria.seal_totp_secret(bytea,text)', 'pactoria.totp_match(bytea,text,text,timestamptz,bigint)',
		'pactoria.reseal_totp_secret(bytea,text)', 'pactoria.reseal_totp_secrets()', 'pactoria.backup_code_format(bytea)',
		'pactoria.issue_backup_codes(uuid,uuid)', 'pactoria.remove_second_factor(uuid,uuid)', 'pactoria.spend_totp_code(uuid,uuid,text)',
		'pactoria.complete_second_factor(text,text,text)']) AS f
	WHERE has_function_privilege('pactoria_tap84_app', f::regprocedure, 'EXECUTE')$$,
	'nor execute the internals of the second factor');
SELECT is_empty($$SELECT f FROM unnest(ARRAY['pactoria.enrol_totp()', 'pactoria.confirm_totp(text)', 'pactoria.verify_totp(text,text)',
		'pactoria.use_backup_code(text,text)', 'pactoria.regenerate_backup_codes(text)', 'pactoria.mfa_status()',
		'pactoria.disable_totp(text)', 'pactoria.reset_totp(uuid)']) AS f
	WHERE NOT has_function_privilege('pactoria_tap84_app', f::regprocedure, 'EXECUTE')$$,
	'it executes the whole second-factor API');

-- Two companies; Mike has an administrator, a user who enrols and a viewer.
SET ROLE pactoria_tap84_app;
INSERT INTO t84_ids SELECT 'admin', s.company_id, s.user_id
FROM pactoria.sign_up('T84 Mike Ltd', 'admin@t84-mike.example', 'Mike Admin', 'mike admin passphrase') AS s;
INSERT INTO t84_ids SELECT 'oscar', s.company_id, s.user_id
FROM pactoria.sign_up('T84 Oscar Ltd', 'admin@t84-oscar.example', 'Oscar Admin', 'oscar admin passphrase') AS s;
RESET ROLE;
INSERT INTO pactoria.users (company_id, email, full_name, role, hashed_password)
SELECT pg_temp.cid('admin'), u.email, u.full_name, u.role, pactoria.bcrypt(u.secret, '')
FROM (VALUES ('mfa@t84-mike.example', 'Mike MFA', 'contract_manager', 'mike mfa passphrase'),
			 ('viewer@t84-mike.example', 'Mike Viewer', 'viewer', 'mike viewer passphrase')) AS u (email, full_name, role, secret);
INSERT INTO t84_ids SELECT split_part(email, '@', 1), company_id, id FROM pactoria.users
WHERE company_id = pg_temp.cid('admin') AND role <> 'admin';

SET ROLE pactoria_tap84_app;
SELECT pg_temp.login('mfa', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('mfa')) \g /dev/null
SELECT throws_ok($$SELECT count(*) FROM pactoria.user_totp$$, '42501', NULL, 'with a tenant context it still cannot read user_totp');
SELECT throws_ok($$SELECT count(*) FROM pactoria.user_backup_codes$$, '42501', NULL, 'nor user_backup_codes');
SELECT throws_ok($$SELECT pactoria.spend_totp_code(pg_temp.cid('admin'), pg_temp.uid('mfa'), '123456')$$, '42501', NULL,
				 'nor spend a code directly');
COMMIT;

------------------------------------------------------------------------------------
-- Enrolment.
------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT pactoria.enrol_totp()$$, '42501', NULL, 'enrol_totp() needs a tenant context');
SELECT throws_ok($$SELECT pactoria.mfa_status()$$, '42501', NULL, 'so does mfa_status()');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('mfa')) \g /dev/null
SELECT results_eq($$SELECT * FROM pactoria.mfa_status()$$, $$VALUES (false, false, 0)$$, 'mfa_status() before enrolment');
SELECT throws_ok($$SELECT pactoria.confirm_totp('123456')$$, '55000', NULL, 'confirm_totp() with nothing pending');
SELECT throws_ok($$SELECT pactoria.regenerate_backup_codes('123456')$$, '28000', NULL, 'regenerate_backup_codes() without TOTP');
SELECT throws_ok($$SELECT pactoria.disable_totp('mike mfa passphrase')$$, '55000', NULL, 'disable_totp() without TOTP');
INSERT INTO t84_values SELECT 'first_enrolment', row_to_json(e)::text FROM pactoria.enrol_totp() AS e;
INSERT INTO t84_values SELECT 'enrolment', row_to_json(e)::text FROM pactoria.enrol_totp() AS e;
INSERT INTO t84_values SELECT 'secret', pg_temp.val('enrolment')::jsonb ->> 'secret';
SELECT results_eq($$SELECT * FROM pactoria.mfa_status()$$, $$VALUES (false, true, 0)$$, 'mfa_status() with an enrolment pending');
COMMIT;
SELECT ok(pg_temp.val('secret') ~ '^[A-Z2-7]{32}$' AND octet_length(pg_temp.secret()) = 20,
		  'enrol_totp() returns a 160-bit secret in base32');
SELECT is(pg_temp.val('enrolment')::jsonb ->> 'otpauth_uri',
		  'otpauth://totp/Pactoria:mfa%40t84-mike.example?secret=' || pg_temp.val('secret') || '&issuer=Pactoria&algorithm=SHA1&digits=6&period=30',
		  'and the otpauth:// URI for the authenticator app');
SELECT isnt(pg_temp.val('first_enrolment')::jsonb ->> 'secret', pg_temp.val('secret'), 'enrolling again before confirming makes a new secret');
RESET ROLE;
SELECT results_eq($$SELECT count(*)::int, bool_and(confirmed_at IS NULL), min(last_used_step) FROM pactoria.user_totp
					WHERE company_id = pg_temp.cid('admin') AND user_id = pg_temp.uid('mfa')$$,
				  $$VALUES (1, true, -1::bigint)$$, 'one pending secret is stored, replacing the first');
SELECT ok(octet_length(t.sealed_secret) = 53 AND get_byte(t.sealed_secret, 0) = 1
		  AND position(pg_temp.secret() IN t.sealed_secret) = 0
		  AND position(convert_to(pg_temp.val('secret'), 'UTF8') IN t.sealed_secret) = 0,
		  'it is stored sealed (version 1, 53 bytes), holding neither the secret nor its base32 in clear')
FROM pactoria.user_totp AS t WHERE t.company_id = pg_temp.cid('admin') AND t.user_id = pg_temp.uid('mfa');
SELECT isnt(pactoria.totp_match(t.sealed_secret, pactoria.totp_associated_data(t.company_id, t.user_id), pg_temp.code(),
								pactoria.clock_now(), -1), NULL, 'the sealed value opens to the secret handed out')
FROM pactoria.user_totp AS t WHERE t.company_id = pg_temp.cid('admin') AND t.user_id = pg_temp.uid('mfa');
SELECT throws_ok($$SELECT pactoria.totp_match(t.sealed_secret, pactoria.totp_associated_data(t.company_id, pg_temp.uid('viewer')),
												pg_temp.code(), pactoria.clock_now(), -1)
				   FROM pactoria.user_totp AS t WHERE t.company_id = pg_temp.cid('admin') AND t.user_id = pg_temp.uid('mfa')$$,
				 '22000', NULL, 'and only for its own user (another user''s associated data does not open it)');

SET ROLE pactoria_tap84_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('mfa')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.confirm_totp(NULL)$$, '22004', NULL, 'confirm_totp(NULL) is refused');
SELECT throws_ok($$SELECT pactoria.confirm_totp(repeat('1', 100000))$$, '28000', 'TOTP code is not valid', 'so is an oversize code');
SELECT throws_ok($$SELECT pactoria.confirm_totp(pg_temp.wrong_code())$$, '28000', NULL, 'a wrong code');
SELECT throws_ok($$SELECT pactoria.confirm_totp(pg_temp.totp(pactoria.base32_decode(pg_temp.val('first_enrolment')::jsonb ->> 'secret'),
																 pactoria.clock_now()))$$,
				 '28000', NULL, 'a code of the replaced secret');
INSERT INTO t84_codes SELECT 'first', c FROM pactoria.confirm_totp(pg_temp.code()) AS c;
SELECT results_eq($$SELECT * FROM pactoria.mfa_status()$$, $$VALUES (true, false, 10)$$,
				  'a current code confirms: TOTP enabled, ten backup codes');
SELECT throws_ok($$SELECT pactoria.enrol_totp()$$, '55000', NULL, 'enrolling again once enabled is refused');
SELECT throws_ok($$SELECT pactoria.confirm_totp(pg_temp.code())$$, '55000', NULL, 'and nothing is pending any more');
COMMIT;
SELECT ok((SELECT count(*) = 10 AND count(DISTINCT code) = 10 AND bool_and(code ~ '^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$')
		   FROM t84_codes WHERE batch = 'first'), 'the backup codes are ten distinct ABCD-EFGH-IJKL-MNOP (base32)');
RESET ROLE;
SELECT results_eq($$SELECT u.mfa_enabled, t.confirmed_at IS NOT NULL, t.last_used_step >= 0 FROM pactoria.users AS u
					JOIN pactoria.user_totp AS t ON t.company_id = u.company_id AND t.user_id = u.id WHERE u.id = pg_temp.uid('mfa')$$,
				  $$VALUES (true, true, true)$$, 'the user has mfa_enabled, the secret is confirmed and its step spent');
SELECT is((SELECT count(*)::int FROM pactoria.user_backup_codes AS b JOIN t84_codes AS c
		   ON b.code_hash = sha256(convert_to(replace(c.code, '-', ''), 'UTF8')) AND c.batch = 'first'
		   WHERE b.company_id = pg_temp.cid('admin') AND b.user_id = pg_temp.uid('mfa') AND b.used_at IS NULL), 10,
		  'the backup codes are stored as SHA-256 of their 16 characters only');
SELECT is((SELECT additional_data FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('admin') AND event_type = 'mfa_enabled'
		   AND resource_id = pg_temp.uid('mfa')), '{"method": "totp"}'::jsonb, 'mfa_enabled is audited');
SELECT is_empty($$SELECT FROM pactoria.audit_logs AS a WHERE a.company_id = pg_temp.cid('admin')
				  AND (position(pg_temp.val('secret') IN a::text) > 0 OR position(encode(pg_temp.secret(), 'hex') IN a::text) > 0
					   OR position(pg_temp.backup('first', 1) IN a::text) > 0)$$,
				'the audit trail holds neither the secret nor a backup code');

------------------------------------------------------------------------------------
-- Logging in: an MFA-pending session, completed by verify_totp().
------------------------------------------------------------------------------------
SET pactoria.test_clock_offset = '2 minutes';
SET ROLE pactoria_tap84_app;
SELECT pg_temp.login('p1', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
SELECT is((SELECT mfa_required FROM t84_tokens WHERE name = 'p1'), true, 'authenticate() now says the second factor is required');
BEGIN;
SELECT is((SELECT mfa_required FROM pactoria.resume_session(pg_temp.tok('p1'))), true, 'the session resumes as MFA-pending');
SELECT is(pactoria.current_company_id(), NULL, 'with no tenant');
SELECT throws_ok($$SELECT pactoria.enrol_totp()$$, '42501', NULL, 'so enrol_totp() is refused');
SELECT throws_ok($$SELECT pactoria.disable_totp('mike mfa passphrase')$$, '42501', NULL, 'and disable_totp()');
COMMIT;
SELECT throws_ok(format('SELECT pactoria.verify_totp(%s, pg_temp.code())', t), '28000', 'session is not valid',
				 format('verify_totp(%s) is refused', label))
FROM (VALUES ('NULL', 'NULL'), (quote_literal(repeat('x', 100000)), 'oversize'),
			 (quote_literal(pg_temp.tok('mfa')), 'a full session''s token'),
			 (quote_literal(replace(pg_temp.tok('p1'), 'pct_s_', 'pct_r_')), 'the pending session as a refresh token')) AS a (t, label)
ORDER BY label;
SELECT throws_ok(format('SELECT pactoria.verify_totp(pg_temp.tok(%L), %s)', 'p1', c), '28P01', 'second factor is not valid',
				 format('verify_totp() refuses %s', label))
FROM (VALUES ('NULL', 'a NULL code'), ($$''$$, 'an empty code'), (quote_literal(repeat('9', 100000)), 'an oversize code'),
			 ($$'abcdef'$$, 'letters'), ('left(pg_temp.code(), 5)', 'five digits'),
			 ('pg_temp.wrong_code()', 'a wrong code'), ('pg_temp.code(60)', 'the code of two steps ahead'),
			 ('pg_temp.code(-60)', 'the code of two steps back')) AS a (c, label);
RESET ROLE;
SELECT is((pg_temp.usr('mfa@t84-mike.example')).failed_login_attempts, 8, 'each wrong code counts towards the lock-out');
SET ROLE pactoria_tap84_app;
INSERT INTO t84_values SELECT 'used_step', floor(extract(epoch FROM pactoria.clock_now()) / 30)::bigint::text;
INSERT INTO t84_tokens (name, session_token, refresh_token)
SELECT 'full', v.session_token, v.refresh_token
FROM pactoria.verify_totp(pg_temp.tok('p1'), pg_temp.step_code(pg_temp.val('used_step')::bigint)) AS v;
SELECT ok(session_token ~ '^pct_s_[A-Za-z0-9_-]{86}$' AND refresh_token ~ '^pct_r_[A-Za-z0-9_-]{86}$' AND session_token <> pg_temp.tok('p1'),
		  'a current code completes the login with new tokens')
FROM t84_tokens WHERE name = 'full';
SELECT results_eq($$SELECT company_id, user_id, mfa_required FROM pactoria.resume_session(pg_temp.tok('full'))$$,
				  $$SELECT company_id, user_id, false FROM t84_ids WHERE name = 'mfa'$$, 'the new session is a full one');
SELECT throws_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p1'), pg_temp.code(30))$$, '28000', NULL,
				 'the pending session is spent: it cannot be completed twice');
RESET ROLE;
SELECT is((SELECT revoke_reason FROM pactoria.user_sessions WHERE company_id = pg_temp.cid('admin')
		   AND id = (pactoria.parse_session_token(pg_temp.tok('p1'), 'pct_s_')).session_id), 'mfa_verified',
		  'it was revoked as mfa_verified');
SELECT is((pg_temp.usr('mfa@t84-mike.example')).failed_login_attempts, 0, 'a successful second factor clears the failures');
SELECT is((SELECT count(*)::int FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('admin') AND event_type = 'mfa_verified'
		   AND resource_id = pg_temp.uid('mfa') AND additional_data = '{"method": "totp"}'), 1, 'mfa_verified is audited');

-- Each code once; one step either side of the clock.
SET ROLE pactoria_tap84_app;
SELECT pg_temp.login('p2', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
SELECT throws_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p2'), pg_temp.step_code(pg_temp.val('used_step')::bigint))$$, '28P01', NULL,
				 'the code just used is refused on the next login (no replay)');
SELECT throws_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p2'), pg_temp.step_code(pg_temp.val('used_step')::bigint - 1))$$, '28P01', NULL,
				 'so is the code of the step before it, though within the window');
SELECT lives_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p2'), pg_temp.code(30))$$, 'the code of the next step is accepted');
RESET ROLE;
SET pactoria.test_clock_offset = '4 minutes';
SET ROLE pactoria_tap84_app;
SELECT pg_temp.login('p3', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
SELECT lives_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p3'), pg_temp.code(-30))$$, 'so is the code of the step before the clock''s');

------------------------------------------------------------------------------------
-- Lock-out by wrong codes.
------------------------------------------------------------------------------------
RESET ROLE;
UPDATE pactoria.system_config SET value = '3' WHERE key = 'auth.max_failed_attempts';
SET pactoria.test_clock_offset = '6 minutes';
SET ROLE pactoria_tap84_app;
SELECT pg_temp.login('p4', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
SELECT pg_temp.wrong(pg_temp.tok('p4'), 2) \g /dev/null
SELECT pg_temp.login('p5', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
RESET ROLE;
SELECT results_eq($$SELECT failed_login_attempts, locked_until FROM pactoria.users WHERE id = pg_temp.uid('mfa')$$,
				  $$VALUES (2, NULL::timestamptz)$$, 'two wrong codes are counted, and logging in again with the password does not clear them');
SET ROLE pactoria_tap84_app;
SELECT throws_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p5'), 'abcdef')$$, '28P01', NULL, 'a third wrong code');
RESET ROLE;
SELECT results_eq($$SELECT failed_login_attempts, lockout_count, locked_until > pactoria.clock_now() FROM pactoria.users
					WHERE id = pg_temp.uid('mfa')$$,
				  $$VALUES (0, 1, true)$$, 'locks the account (auth.max_failed_attempts)');
SET ROLE pactoria_tap84_app;
SELECT throws_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p5'), pg_temp.code())$$, '28P01', 'second factor is not valid',
				 'a locked account refuses even the right code');
SELECT throws_ok($$SELECT pactoria.authenticate('mfa@t84-mike.example', 'mike mfa passphrase')$$, '28P01', NULL, 'and the password');
RESET ROLE;
SELECT results_eq($$SELECT DISTINCT additional_data FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('admin')
					AND event_type = 'login_failed' AND resource_id = pg_temp.uid('mfa') ORDER BY 1$$,
				  $$VALUES ('{"kind": "password", "reason": "locked"}'::jsonb), ('{"kind": "second_factor", "reason": "locked"}'),
						   ('{"kind": "second_factor", "reason": "second_factor"}')$$,
				  'the trail tells wrong codes from refusals while locked');
UPDATE pactoria.system_config SET value = '100' WHERE key = 'auth.max_failed_attempts';
SET ROLE pactoria_tap84_app;
SELECT pg_temp.login('admin', 'admin@t84-mike.example', 'mike admin passphrase') \g /dev/null
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('admin')) \g /dev/null
SELECT pactoria.unlock_user(pg_temp.uid('mfa')) \g /dev/null
COMMIT;

------------------------------------------------------------------------------------
-- Backup codes.
------------------------------------------------------------------------------------
RESET ROLE;
SET pactoria.test_clock_offset = '8 minutes';
SET ROLE pactoria_tap84_app;
SELECT pg_temp.login('p6', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
SELECT throws_ok(format('SELECT pactoria.use_backup_code(pg_temp.tok(%L), %s)', 'p6', c), '28P01', 'second factor is not valid',
				 format('use_backup_code() refuses %s', label))
FROM (VALUES ('NULL', 'a NULL code'), (quote_literal(repeat('A', 100000)), 'an oversize code'),
			 ($$'AAAA-AAAA-AAAA-AAAA'$$, 'an unknown code'), ('left(pg_temp.backup(''first'', 1), 18)', 'a code cut short'),
			 ('pg_temp.code()', 'a TOTP code')) AS a (c, label);
SELECT throws_ok($$SELECT pactoria.use_backup_code(NULL, pg_temp.backup('first', 1))$$, '28000', NULL, 'use_backup_code(NULL token)');
SELECT throws_ok($$SELECT pactoria.use_backup_code(pg_temp.tok('mfa'), pg_temp.backup('first', 1))$$, '28000', NULL,
				 'use_backup_code() with a full session''s token');
INSERT INTO t84_tokens (name, session_token, refresh_token)
SELECT 'b1', v.session_token, v.refresh_token
FROM pactoria.use_backup_code(pg_temp.tok('p6'), lower(replace(pg_temp.backup('first', 1), '-', ' '))) AS v;
SELECT results_eq($$SELECT company_id, user_id, mfa_required FROM pactoria.resume_session(pg_temp.tok('b1'))$$,
				  $$SELECT company_id, user_id, false FROM t84_ids WHERE name = 'mfa'$$,
				  'a backup code, in any case and spacing, completes the login');
SELECT pg_temp.login('p7', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
SELECT throws_ok($$SELECT pactoria.use_backup_code(pg_temp.tok('p7'), pg_temp.backup('first', 1))$$, '28P01', NULL, 'each backup code once');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('b1')) \g /dev/null
SELECT results_eq($$SELECT * FROM pactoria.mfa_status()$$, $$VALUES (true, false, 9)$$, 'mfa_status() counts the codes left');
SELECT throws_ok($$SELECT pactoria.regenerate_backup_codes(NULL)$$, '28000', NULL, 'regenerate_backup_codes(NULL) is refused');
SELECT throws_ok($$SELECT pactoria.regenerate_backup_codes(pg_temp.wrong_code())$$, '28000', NULL, 'so is a wrong code');
INSERT INTO t84_codes SELECT 'second', c FROM pactoria.regenerate_backup_codes(pg_temp.code()) AS c;
SELECT results_eq($$SELECT * FROM pactoria.mfa_status()$$, $$VALUES (true, false, 10)$$, 'a current code regenerates ten codes');
COMMIT;
SELECT is((SELECT count(*)::int FROM t84_codes AS s JOIN t84_codes AS f ON f.code = s.code AND f.batch = 'first' WHERE s.batch = 'second'), 0,
		  'all of them new');
SELECT throws_ok($$SELECT pactoria.use_backup_code(pg_temp.tok('p7'), pg_temp.backup('first', 2))$$, '28P01', NULL,
				 'the old codes are void');
SELECT lives_ok($$SELECT pactoria.use_backup_code(pg_temp.tok('p7'), pg_temp.backup('second', 2))$$, 'a new one works');
RESET ROLE;
SELECT is((SELECT array_agg(additional_data ORDER BY occurred_at) FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('admin')
		   AND event_type = 'backup_code_used' AND resource_id = pg_temp.uid('mfa')),
		  ARRAY['{"backup_codes_left": 9}'::jsonb, '{"backup_codes_left": 9}'::jsonb], 'each backup code used is audited with the codes left');

------------------------------------------------------------------------------------
-- The challenge lasts mfa.challenge_minutes.
------------------------------------------------------------------------------------
SET pactoria.test_clock_offset = '10 minutes';
SET ROLE pactoria_tap84_app;
SELECT pg_temp.login('p8', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
SELECT pg_temp.login('p9', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
RESET ROLE;
SET pactoria.test_clock_offset = '19 minutes';
SET ROLE pactoria_tap84_app;
SELECT lives_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p9'), pg_temp.code())$$, 'a pending session is completed within the challenge');
RESET ROLE;
SET pactoria.test_clock_offset = '20 minutes 30 seconds';
SET ROLE pactoria_tap84_app;
SELECT throws_ok($$SELECT pactoria.verify_totp(pg_temp.tok('p8'), pg_temp.code())$$, '28000', 'session is not valid',
				 'but not after mfa.challenge_minutes');

------------------------------------------------------------------------------------
-- disable_totp.
------------------------------------------------------------------------------------
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('b1')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.disable_totp('not the passphrase')$$, '28P01', 'password is not valid',
				 'disable_totp() with a wrong password');
SELECT throws_ok($$SELECT pactoria.disable_totp(NULL)$$, '28P01', NULL, 'disable_totp(NULL) is refused as a wrong password');
SELECT throws_ok($$SELECT pactoria.disable_totp(repeat('x', 2000))$$, '28P01', NULL, 'so is a password of 2000 bytes');
COMMIT;
RESET ROLE;
SELECT is((pg_temp.usr('mfa@t84-mike.example')).failed_login_attempts, 1, 'the wrong password counts towards the lock-out');
SET ROLE pactoria_tap84_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('b1')) \g /dev/null
SELECT lives_ok($$SELECT pactoria.disable_totp('mike mfa passphrase')$$, 'the right password turns the second factor off');
SELECT results_eq($$SELECT * FROM pactoria.mfa_status()$$, $$VALUES (false, false, 0)$$, 'mfa_status() says so');
SELECT throws_ok($$SELECT pactoria.disable_totp('mike mfa passphrase')$$, '55000', NULL, 'and disabling again is refused');
COMMIT;
RESET ROLE;
SELECT results_eq($$SELECT u.mfa_enabled, u.failed_login_attempts,
						   (SELECT count(*)::int FROM pactoria.user_totp AS t WHERE t.company_id = u.company_id AND t.user_id = u.id),
						   (SELECT count(*)::int FROM pactoria.user_backup_codes AS b WHERE b.company_id = u.company_id AND b.user_id = u.id)
					FROM pactoria.users AS u WHERE u.id = pg_temp.uid('mfa')$$,
				  $$VALUES (false, 0, 0, 0)$$, 'the secret and the backup codes are deleted, the failures cleared');
SELECT is((SELECT count(*)::int FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('admin') AND event_type = 'mfa_disabled'
		   AND resource_id = pg_temp.uid('mfa')), 1, 'mfa_disabled is audited');
SET ROLE pactoria_tap84_app;
SELECT is((SELECT mfa_required FROM pactoria.authenticate('mfa@t84-mike.example', 'mike mfa passphrase')), false,
		  'the password alone logs in again');
SELECT pg_temp.login('mfa2', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('mfa2')) \g /dev/null
SELECT pactoria.enrol_totp() \g /dev/null
SELECT pactoria.disable_totp('mike mfa passphrase') \g /dev/null
SELECT results_eq($$SELECT * FROM pactoria.mfa_status()$$, $$VALUES (false, false, 0)$$, 'disable_totp() also abandons a pending enrolment');
COMMIT;

------------------------------------------------------------------------------------
-- reset_totp: by an administrator of the user's company.
------------------------------------------------------------------------------------
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('mfa2')) \g /dev/null
UPDATE t84_values SET value = e.secret FROM pactoria.enrol_totp() AS e WHERE name = 'secret';
SELECT pactoria.confirm_totp(pg_temp.code()) \g /dev/null
COMMIT;
SELECT pg_temp.login('p10', 'mfa@t84-mike.example', 'mike mfa passphrase') \g /dev/null
SELECT pg_temp.login('viewer', 'viewer@t84-mike.example', 'mike viewer passphrase') \g /dev/null
SELECT pg_temp.login('oscar', 'admin@t84-oscar.example', 'oscar admin passphrase') \g /dev/null
SELECT pg_temp.login('admin2', 'admin@t84-mike.example', 'mike admin passphrase') \g /dev/null
SELECT throws_ok($$SELECT pactoria.reset_totp(pg_temp.uid('mfa'))$$, '42501', NULL, 'reset_totp() needs a tenant context');
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('viewer')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.reset_totp(pg_temp.uid('mfa'))$$, '42501', NULL, 'a user who is not an administrator cannot reset');
COMMIT;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('oscar')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.reset_totp(pg_temp.uid('mfa'))$$, '42501', NULL, 'nor an administrator of another company');
COMMIT;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('p10')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.reset_totp(pg_temp.uid('mfa'))$$, '42501', NULL, 'nor the user''s own MFA-pending session');
COMMIT;
RESET ROLE;
SELECT results_eq($$SELECT u.mfa_enabled, (SELECT count(*)::int FROM pactoria.user_totp AS t WHERE t.user_id = u.id)
					FROM pactoria.users AS u WHERE u.id = pg_temp.uid('mfa')$$,
				  $$VALUES (true, 1)$$, 'the refused resets changed nothing');
INSERT INTO t84_values SELECT 'active_sessions', count(*)::text FROM pactoria.user_sessions
WHERE company_id = pg_temp.cid('admin') AND user_id = pg_temp.uid('mfa') AND status = 'active';
SET ROLE pactoria_tap84_app;
BEGIN;
SELECT pactoria.resume_session(pg_temp.tok('admin2')) \g /dev/null
SELECT throws_ok($$SELECT pactoria.reset_totp(NULL)$$, '22004', NULL, 'reset_totp(NULL) is refused');
SELECT throws_ok($$SELECT pactoria.reset_totp('00000000-0000-7000-8000-0000000084ff')$$, '42501', NULL, 'so is an unknown user');
SELECT throws_ok($$SELECT pactoria.reset_totp(pg_temp.uid('oscar'))$$, '42501', NULL, 'and another company''s user');
SELECT throws_ok($$SELECT pactoria.reset_totp(pg_temp.uid('admin'))$$, '42501', 'an administrator cannot reset their own second factor',
				 'nor the administrator''s own (disable_totp() asks for the password)');
SELECT is(pactoria.reset_totp(pg_temp.uid('mfa')), pg_temp.val('active_sessions')::integer,
		  'an administrator resets a user''s second factor, ending all the user''s sessions (returns how many)');
COMMIT;
SELECT throws_ok($$SELECT pactoria.resume_session(pg_temp.tok('mfa2'))$$, '28000', NULL, 'the user''s full session is ended');
SELECT lives_ok($$SELECT pactoria.resume_session(pg_temp.tok('admin2'))$$, 'the administrator''s own session is not');
RESET ROLE;
SELECT results_eq($$SELECT u.mfa_enabled, (SELECT count(*)::int FROM pactoria.user_totp AS t WHERE t.user_id = u.id),
						   (SELECT count(*)::int FROM pactoria.user_backup_codes AS b WHERE b.user_id = u.id),
						   (SELECT count(*)::int FROM pactoria.user_sessions AS s WHERE s.user_id = u.id AND s.status = 'active')
					FROM pactoria.users AS u WHERE u.id = pg_temp.uid('mfa')$$,
				  $$VALUES (false, 0, 0, 0)$$, 'the secret, the backup codes and the sessions are gone');
SELECT is((SELECT count(*)::int FROM pactoria.audit_logs WHERE company_id = pg_temp.cid('admin') AND event_type = 'mfa_reset'
		   AND user_id = pg_temp.uid('admin') AND resource_id = pg_temp.uid('mfa')), 1,
		  'mfa_reset is audited, by the administrator, about the user');
SET ROLE pactoria_tap84_app;
SELECT is((SELECT mfa_required FROM pactoria.authenticate('mfa@t84-mike.example', 'mike mfa passphrase')), false,
		  'the user logs in with the password alone and may enrol again');
RESET ROLE;
SELECT is_empty($$SELECT * FROM pactoria.verify_audit_log(pg_temp.cid('admin'))$$,
				'the audit chain of the company, second-factor events included, verifies');

SELECT * FROM finish();

-- Clean up: this file ran outside a transaction.
RESET ROLE;
RESET pactoria.test_clock_offset;
SET pactoria.company_id = '';
UPDATE pactoria.companies SET is_active = false WHERE id IN (SELECT company_id FROM t84_ids);
DELETE FROM pactoria.user_sessions WHERE company_id IN (SELECT company_id FROM t84_ids);
DELETE FROM pactoria.users WHERE company_id IN (SELECT company_id FROM t84_ids);
DELETE FROM pactoria.companies WHERE id IN (SELECT company_id FROM t84_ids);
DELETE FROM pactoria.login_throttle WHERE client_ip = '198.51.100.84';
DELETE FROM pactoria.system_config WHERE key IN ('auth.bcrypt_cost', 'auth.max_failed_attempts');
DROP OWNED BY pactoria_tap84_app;
DROP ROLE pactoria_tap84_app;
