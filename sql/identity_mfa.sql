-- The second factor: TOTP codes (RFC 6238 vectors), the text forms, sealed
-- secrets, and the enrolment and login flows with their errors.
-- (Key rotation and concurrent use of one code: test/integration/84_mfa.sh.)
-- Not one transaction: a wrong code is counted by a background worker in a
-- transaction of its own, which sees only committed rows.
\set ON_ERROR_ROLLBACK on
\set SHOW_CONTEXT never
SET client_min_messages = warning;
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.bcrypt_cost', '4');

-- RFC 6238 Appendix B, SHA-1 (8 digits), and the 6-digit codes pactoria uses.
SELECT t AS unix_time, pactoria.totp_code('12345678901234567890'::bytea, to_timestamp(t), 8) AS code8,
	   pactoria.totp_code('12345678901234567890'::bytea, to_timestamp(t)) AS code6
FROM unnest(ARRAY[59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000]) AS t;
SELECT pactoria.totp_code('12345678901234567890'::bytea, to_timestamp(59), 5);
SELECT pactoria.totp_code('12345678901234567890'::bytea, to_timestamp(59), 9);
SELECT pactoria.totp_code('', to_timestamp(59));
SELECT pactoria.totp_code(decode(repeat('00', 65), 'hex'), to_timestamp(59));
SELECT pactoria.totp_code('12345678901234567890'::bytea, '1969-12-31 23:59:59+00');
SELECT pactoria.totp_code('12345678901234567890'::bytea, 'infinity');
SELECT pactoria.totp_code(NULL, now()) IS NULL AS strict;

-- Base32 (RFC 4648 section 10, unpadded), URI components, backup codes.
SELECT s, pactoria.base32_encode(convert_to(s, 'UTF8')) AS encoded,
	   convert_from(pactoria.base32_decode(pactoria.base32_encode(convert_to(s, 'UTF8'))), 'UTF8') = s AS round_trip
FROM unnest(ARRAY['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) AS s;
SELECT pactoria.base32_decode('mzxw6ytboi') AS lower_case;
SELECT pactoria.base32_decode('MZ');
SELECT pactoria.base32_decode('MY1');
SELECT pactoria.base32_decode('MZXW6YTBOI======');
SELECT pactoria.base32_decode(repeat('A', 200));
SELECT pactoria.base32_encode(decode(repeat('00', 65), 'hex'));
SELECT pactoria.uri_escape('Acme Ltd: a+b@c.example ~_.-'), pactoria.uri_escape('Zoë');
SELECT pactoria.uri_escape(repeat('x', 2000));
SELECT code, pactoria.backup_code_normalise(code) AS normalised
FROM unnest(ARRAY['ABCD-EFGH-IJKL-MNOP', 'abcd efgh ijkl mnop', 'abcdefghijklmnop', 'ABCD-EFGH-IJKL-MNO',
				  'ABCD-EFGH-IJKL-MNOPQ', 'ABCD-EFGH-IJKL-MN01', '', '----']) AS code;

-- Sealed secrets: bound to their associated data, tamper-evident, never clear.
SELECT pactoria.seal_totp_secret('12345678901234567890'::bytea, 'pactoria totp regress') AS sealed \gset
SELECT octet_length(:'sealed'::bytea) AS sealed_bytes, get_byte(:'sealed'::bytea, 0) AS version,
	   position('12345678901234567890'::bytea IN :'sealed'::bytea) AS clear_text_at;
SELECT pactoria.seal_totp_secret('12345678901234567890'::bytea, 'pactoria totp regress') = :'sealed'::bytea AS same_twice;
SELECT pactoria.totp_match(:'sealed', 'pactoria totp regress', '287082', to_timestamp(59), -1) AS step_at_59;
SELECT pactoria.totp_match(:'sealed', 'pactoria totp regress', '287 082', to_timestamp(89), -1) AS one_step_late;
SELECT pactoria.totp_match(:'sealed', 'pactoria totp regress', '287082', to_timestamp(20), -1) AS one_step_early;
SELECT pactoria.totp_match(:'sealed', 'pactoria totp regress', '287082', to_timestamp(120), -1) AS two_steps_late;
SELECT pactoria.totp_match(:'sealed', 'pactoria totp regress', '287082', to_timestamp(59), 1) AS used_before;
SELECT code, pactoria.totp_match(:'sealed', 'pactoria totp regress', code, to_timestamp(59), -1) AS step
FROM unnest(ARRAY['28708', '2870822', 'abcdef', '', ' 287082', '287  082', '287082 ', '２８７０８２']) AS code;
SELECT pactoria.totp_match(:'sealed', 'pactoria totp someone else', '287082', to_timestamp(59), -1);
SELECT pactoria.totp_match(set_byte(:'sealed'::bytea, 30, get_byte(:'sealed'::bytea, 30) # 1), 'pactoria totp regress',
						   '287082', to_timestamp(59), -1);
SELECT pactoria.totp_match(substring(:'sealed'::bytea FROM 1 FOR 40), 'pactoria totp regress', '287082', to_timestamp(59), -1);
SELECT pactoria.totp_match(set_byte(:'sealed'::bytea, 0, 2), 'pactoria totp regress', '287082', to_timestamp(59), -1);
SELECT pactoria.totp_match(set_byte(:'sealed'::bytea, 1, get_byte(:'sealed'::bytea, 1) # 1), 'pactoria totp regress',
						   '287082', to_timestamp(59), -1);
SELECT pactoria.totp_match('\x00', 'pactoria totp regress', '287082', to_timestamp(59), -1);
SELECT pactoria.totp_match(:'sealed', '', '287082', to_timestamp(59), -1);
SELECT pactoria.seal_totp_secret('short secret'::bytea, 'pactoria totp regress');
SELECT pactoria.seal_totp_secret('12345678901234567890'::bytea, repeat('x', 300));
SELECT pactoria.reseal_totp_secret(:'sealed', 'pactoria totp regress') IS NULL AS already_current;

-- The application role: nothing sealed, nothing stored, no enrolment without a session.
CREATE ROLE pactoria_regress_mfa_app LOGIN;
SELECT pactoria.grant_application_access('pactoria_regress_mfa_app');
SET ROLE pactoria_regress_mfa_app;
SELECT pactoria.seal_totp_secret('12345678901234567890'::bytea, 'x');
SELECT pactoria.totp_match(:'sealed', 'pactoria totp regress', '287082', to_timestamp(59), -1);
SELECT * FROM pactoria.user_totp;
SELECT * FROM pactoria.user_backup_codes;
SELECT * FROM pactoria.login_throttle;
SELECT pactoria.reseal_totp_secrets();
SELECT 1 FROM pactoria.sign_up('Regress MFA Ltd', 'admin@mfa.regress.example', 'MFA Admin', 'a fine long passphrase');
SELECT * FROM pactoria.enrol_totp();
SELECT * FROM pactoria.mfa_status();
SELECT pactoria.confirm_totp('123456');

-- Enrolment.
SELECT session_token AS admin_session FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase') \gset
BEGIN;
SELECT mfa_required FROM pactoria.resume_session(:'admin_session');
SELECT pactoria.confirm_totp('123456');
SELECT * FROM pactoria.enrol_totp() \gset enrolled_
SELECT length(:'enrolled_secret') AS secret_characters, octet_length(pactoria.base32_decode(:'enrolled_secret')) AS secret_bytes,
	   :'enrolled_otpauth_uri' = 'otpauth://totp/Pactoria:admin%40mfa.regress.example?secret=' || :'enrolled_secret'
								 || '&issuer=Pactoria&algorithm=SHA1&digits=6&period=30' AS uri_as_expected;
SELECT * FROM pactoria.mfa_status();
SELECT pactoria.confirm_totp(NULL);
SELECT pactoria.confirm_totp(repeat('1', 100));
SELECT pactoria.confirm_totp(lpad(((pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now())::integer
									+ 500000) % 1000000)::text, 6, '0'));
CREATE TEMPORARY TABLE regress_backup_codes AS
SELECT code FROM pactoria.confirm_totp(pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now())) AS code;
SELECT count(*) AS backup_codes, count(*) FILTER (WHERE code ~ '^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$') AS well_formed,
	   count(DISTINCT code) AS distinct_codes FROM regress_backup_codes;
SELECT * FROM pactoria.mfa_status();
SELECT * FROM pactoria.enrol_totp();
SELECT pactoria.confirm_totp('123456');
COMMIT;

RESET ROLE;
SELECT u.mfa_enabled, t.confirmed_at IS NOT NULL AS confirmed,
	   position(pactoria.base32_decode(:'enrolled_secret') IN t.sealed_secret) AS clear_text_at,
	   (SELECT count(*) FROM pactoria.user_backup_codes AS b WHERE b.user_id = u.id) AS stored_codes,
	   (SELECT count(*) FROM pactoria.user_backup_codes AS b JOIN regress_backup_codes AS r
		ON b.code_hash = sha256(convert_to(replace(r.code, '-', ''), 'UTF8'))) AS codes_stored_hashed
FROM pactoria.users AS u JOIN pactoria.user_totp AS t ON t.company_id = u.company_id AND t.user_id = u.id
WHERE u.email = 'admin@mfa.regress.example';

-- Logging in now needs the second factor.  Codes are computed a minute ahead of
-- the confirmation's step (the clock is the injectable one) so that none is the
-- code confirm_totp() spent.
SET pactoria.test_clock_offset = '60 seconds';
SET ROLE pactoria_regress_mfa_app;
SELECT session_token AS pending, mfa_required FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase') \gset
\echo mfa_required :mfa_required
BEGIN;
SELECT mfa_required FROM pactoria.resume_session(:'pending');
SELECT pactoria.current_company_id() IS NULL AS no_tenant, count(*) AS contracts_seen FROM pactoria.contracts;
SELECT * FROM pactoria.enrol_totp();
SELECT * FROM pactoria.mfa_status();
COMMIT;
SELECT * FROM pactoria.verify_totp(NULL, '123456');
SELECT * FROM pactoria.verify_totp('', '123456');
SELECT * FROM pactoria.verify_totp(repeat('x', 100000), '123456');
SELECT * FROM pactoria.verify_totp(:'admin_session', pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now()));
SELECT * FROM pactoria.verify_totp(:'pending', NULL);
SELECT * FROM pactoria.verify_totp(:'pending', repeat('9', 100000));
-- The code is kept, so the replays below present exactly it, whatever step the clock reached since.
SELECT pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now()) AS used_code \gset
SELECT session_token AS full_session FROM pactoria.verify_totp(:'pending', :'used_code') \gset
SELECT * FROM pactoria.verify_totp(:'pending', :'used_code');
BEGIN;
SELECT mfa_required, company_id = (SELECT company_id FROM pactoria.users WHERE email = 'admin@mfa.regress.example') AS own_company
FROM pactoria.resume_session(:'full_session');
SELECT * FROM pactoria.mfa_status();
COMMIT;
SELECT 1 FROM pactoria.resume_session(:'pending');

-- Each code is accepted once: the same code, or one of an earlier step, on a new login.
SELECT session_token AS pending FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase') \gset
SELECT * FROM pactoria.verify_totp(:'pending', :'used_code');
SELECT * FROM pactoria.verify_totp(:'pending', pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now() - interval '30 seconds'));
RESET ROLE;
SET pactoria.test_clock_offset = '120 seconds';
SET ROLE pactoria_regress_mfa_app;
SELECT count(*) AS next_step_accepted FROM
	pactoria.verify_totp(:'pending', pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now()));

-- Wrong codes count towards lock-out, in a transaction of their own; logging in
-- again with the password does not clear them.
SELECT session_token AS pending FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase') \gset
BEGIN;
SELECT * FROM pactoria.verify_totp(:'pending', 'abcdef');
ROLLBACK;
SELECT * FROM pactoria.verify_totp(:'pending', '12345');
SELECT * FROM pactoria.use_backup_code(:'pending', 'AAAA-AAAA-AAAA-AAAA');
SELECT session_token AS pending FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase') \gset
RESET ROLE;
SELECT failed_login_attempts, locked_until IS NULL AS unlocked FROM pactoria.users WHERE email = 'admin@mfa.regress.example';
SET ROLE pactoria_regress_mfa_app;
SELECT * FROM pactoria.verify_totp(:'pending', '');
SELECT * FROM pactoria.verify_totp(:'pending', 'x');
SELECT * FROM pactoria.verify_totp(:'pending', pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now()));
SELECT 1 FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase');
RESET ROLE;
SELECT failed_login_attempts, locked_until > now() AS locked, lockout_count FROM pactoria.users WHERE email = 'admin@mfa.regress.example';
SET ROLE pactoria_regress_mfa_app;
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'full_session');
SELECT pactoria.unlock_user((SELECT id FROM pactoria.users WHERE email = 'admin@mfa.regress.example'));
COMMIT;

-- Backup codes: any case and spacing, each once; the pending session is spent.
SELECT session_token AS pending FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase') \gset
SELECT session_token AS backup_session FROM
	pactoria.use_backup_code(:'pending', lower(replace((SELECT min(code) FROM regress_backup_codes), '-', ' '))) \gset
SELECT 1 FROM pactoria.resume_session(:'pending');
SELECT mfa_required FROM pactoria.resume_session(:'backup_session');
SELECT session_token AS pending FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase') \gset
SELECT * FROM pactoria.use_backup_code(:'pending', (SELECT min(code) FROM regress_backup_codes));
SELECT * FROM pactoria.use_backup_code(:'pending', NULL);
SELECT count(*) AS second_code_accepted FROM pactoria.use_backup_code(:'pending', (SELECT max(code) FROM regress_backup_codes));
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'full_session');
SELECT * FROM pactoria.mfa_status();
SELECT pactoria.regenerate_backup_codes('123456');
SELECT count(*) AS new_codes FROM
	pactoria.regenerate_backup_codes(pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now() + interval '30 seconds'));
SELECT * FROM pactoria.mfa_status();
COMMIT;
SELECT session_token AS pending FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase') \gset
SELECT * FROM pactoria.use_backup_code(:'pending', (SELECT code FROM regress_backup_codes ORDER BY code OFFSET 5 LIMIT 1));

-- A pending session must be completed within mfa.challenge_minutes.
RESET ROLE;
SET pactoria.test_clock_offset = '900 seconds';
SET ROLE pactoria_regress_mfa_app;
SELECT count(*) FROM pactoria.verify_totp(:'pending', pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), pactoria.clock_now()));
RESET ROLE;
RESET pactoria.test_clock_offset;

-- A sealed secret copied to another user's row does not open there.
SET ROLE pactoria_regress_mfa_app;
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'full_session');
SELECT invitation_token AS invitation FROM pactoria.invite_user('user@mfa.regress.example', 'viewer') \gset
COMMIT;
SELECT 1 FROM pactoria.accept_invitation(:'invitation', 'MFA User', 'another fine passphrase');
SELECT 1 FROM pactoria.accept_invitation(:'invitation', 'MFA User', 'another fine passphrase');

-- Invitations: the seat limit applies; an expired one is refused.
RESET ROLE;
UPDATE pactoria.companies SET max_users = 2 WHERE name = 'Regress MFA Ltd';
SET ROLE pactoria_regress_mfa_app;
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'full_session');
SELECT * FROM pactoria.invite_user('third@mfa.regress.example', 'viewer');
COMMIT;
RESET ROLE;
UPDATE pactoria.companies SET max_users = 5 WHERE name = 'Regress MFA Ltd';
SET ROLE pactoria_regress_mfa_app;
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'full_session');
SELECT invitation_token AS late_invitation FROM pactoria.invite_user('late@mfa.regress.example', 'viewer') \gset
COMMIT;
RESET ROLE;
SET pactoria.test_clock_offset = '10081 minutes';
SET ROLE pactoria_regress_mfa_app;
SELECT 1 FROM pactoria.accept_invitation(:'late_invitation', 'Late Person', 'a late long passphrase');
RESET ROLE;
RESET pactoria.test_clock_offset;
SET ROLE pactoria_regress_mfa_app;
SELECT session_token AS user_session FROM pactoria.authenticate('user@mfa.regress.example', 'another fine passphrase') \gset
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'user_session');
SELECT secret AS user_secret FROM pactoria.enrol_totp() \gset
SELECT count(*) AS user_codes FROM pactoria.confirm_totp(pactoria.totp_code(pactoria.base32_decode(:'user_secret'), pactoria.clock_now()));
SELECT pactoria.reset_totp((SELECT id FROM pactoria.users WHERE email = 'admin@mfa.regress.example'));
COMMIT;
RESET ROLE;
BEGIN;
UPDATE pactoria.user_totp AS t SET sealed_secret = a.sealed_secret
FROM pactoria.user_totp AS a JOIN pactoria.users AS au ON au.id = a.user_id AND au.email = 'admin@mfa.regress.example'
WHERE t.user_id = (SELECT id FROM pactoria.users WHERE email = 'user@mfa.regress.example');
SELECT pactoria.spend_totp_code(u.company_id, u.id, pactoria.totp_code(pactoria.base32_decode(:'enrolled_secret'), now()))
FROM pactoria.users AS u WHERE u.email = 'user@mfa.regress.example';
ROLLBACK;

-- reset_totp(): an administrator of the company, for a user of the company.
SELECT id AS mfa_user_id FROM pactoria.users WHERE email = 'user@mfa.regress.example' \gset
SET ROLE pactoria_regress_mfa_app;
SELECT 1 FROM pactoria.sign_up('Regress MFA Other Ltd', 'admin@mfa-other.regress.example', 'Other Admin', 'a fine long passphrase');
SELECT session_token AS other_session FROM pactoria.authenticate('admin@mfa-other.regress.example', 'a fine long passphrase') \gset
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'other_session');
SELECT set_config('regress.mfa_user_id', :'mfa_user_id', true) IS NOT NULL AS noted;
DO $$
BEGIN
	PERFORM pactoria.reset_totp(current_setting('regress.mfa_user_id')::uuid);
EXCEPTION WHEN insufficient_privilege THEN
	RAISE WARNING 'another company''s user: %', sqlstate;
END
$$;
SELECT pactoria.reset_totp('00000000-0000-7000-8000-000000000000');
COMMIT;
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'full_session');
SELECT pactoria.reset_totp(NULL);
SELECT pactoria.reset_totp('00000000-0000-7000-8000-000000000000');
SELECT pactoria.reset_totp((SELECT id FROM pactoria.users WHERE email = 'user@mfa.regress.example')) AS user_sessions_ended;
COMMIT;
SELECT 1 FROM pactoria.resume_session(:'user_session');
SELECT mfa_required FROM pactoria.authenticate('user@mfa.regress.example', 'another fine passphrase');

-- disable_totp(): the password again.
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'full_session');
SELECT pactoria.disable_totp(NULL);
SELECT pactoria.disable_totp('not the passphrase');
SELECT pactoria.disable_totp(repeat('x', 2000));
COMMIT;
BEGIN;
SELECT 1 FROM pactoria.resume_session(:'full_session');
SELECT pactoria.disable_totp('a fine long passphrase');
SELECT * FROM pactoria.mfa_status();
SELECT pactoria.disable_totp('a fine long passphrase');
COMMIT;
SELECT mfa_required FROM pactoria.authenticate('admin@mfa.regress.example', 'a fine long passphrase');
RESET ROLE;

-- The identity events of the trail, and the chain still verifies.
SELECT u.email, a.event_type, a.additional_data - 'locked_until' - 'expires_at' AS data, count(*) AS events FROM pactoria.audit_logs AS a
JOIN pactoria.users AS u ON u.company_id = a.company_id AND u.id = a.resource_id
WHERE u.email LIKE '%@mfa.regress.example' AND a.resource_type = 'user'
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3::text;
SELECT count(*) AS problems FROM pactoria.verify_audit_log((SELECT company_id FROM pactoria.users WHERE email = 'admin@mfa.regress.example'));

DELETE FROM pactoria.system_config WHERE key = 'auth.bcrypt_cost';
DELETE FROM pactoria.login_throttle;
