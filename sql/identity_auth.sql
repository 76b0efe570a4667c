-- Logging in, passwords, lock-out and invitations: what a caller is told.
-- (Behaviour: test/pgtap/82_identity_auth.sql and test/integration/82_login_lockout.sh.)
-- Not one transaction: a login attempt is decided by a background worker in a
-- transaction of its own, which sees only committed rows.
\set ON_ERROR_ROLLBACK on
\set SHOW_CONTEXT never
SET client_min_messages = warning;
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.bcrypt_cost', '4');
CREATE ROLE pactoria_regress_auth_app LOGIN;
SELECT pactoria.grant_application_access('pactoria_regress_auth_app');
SET ROLE pactoria_regress_auth_app;

-- sign_up(): the password policy (12 to 128 characters, not a common one).
SELECT 1 FROM pactoria.sign_up('Regress Auth Ltd', 'admin@auth.regress.example', 'Auth Admin', NULL);
SELECT 1 FROM pactoria.sign_up('Regress Auth Ltd', 'admin@auth.regress.example', 'Auth Admin', 'short');
SELECT 1 FROM pactoria.sign_up('Regress Auth Ltd', 'admin@auth.regress.example', 'Auth Admin', repeat('long ', 26));
SELECT 1 FROM pactoria.sign_up('Regress Auth Ltd', 'admin@auth.regress.example', 'Auth Admin', 'Password1234');
SELECT 1 FROM pactoria.sign_up('Regress Auth Ltd', 'admin@auth.regress.example', 'Auth Admin', 'QWERTYUIOP123');
SELECT 1 FROM pactoria.sign_up('Regress Auth Ltd', 'not an address', 'Auth Admin', 'a fine long passphrase');
SELECT 1 FROM pactoria.sign_up('', 'admin@auth.regress.example', 'Auth Admin', 'a fine long passphrase');
SELECT 1 FROM pactoria.sign_up('Regress Auth Ltd', 'admin@auth.regress.example', 'Auth Admin', 'a fine long passphrase');
SELECT 1 FROM pactoria.sign_up('Regress Auth Two', 'ADMIN@auth.regress.example', 'Auth Admin', 'a fine long passphrase');

-- authenticate(): bad input, then one answer for every failure.
SELECT 1 FROM pactoria.authenticate(NULL, 'x');
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', NULL);
SELECT 1 FROM pactoria.authenticate(repeat('a', 300) || '@auth.regress.example', 'x');
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', repeat('x', 2000));
SELECT 1 FROM pactoria.authenticate('nobody@auth.regress.example', 'a fine long passphrase');
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', 'not the passphrase');
SELECT 1 FROM pactoria.authenticate('', '');
SELECT expires_at > now(), mfa_required FROM pactoria.authenticate('Admin@Auth.Regress.Example', 'a fine long passphrase', '192.0.2.1', 'regress');
-- Two logins of one user in one transaction (the first session's foreign-key lock on
-- the user's row does not stop the worker deciding the second).
BEGIN;
SELECT count(*) FROM pactoria.authenticate('admin@auth.regress.example', 'a fine long passphrase')
	 UNION ALL SELECT count(*) FROM pactoria.authenticate('admin@auth.regress.example', 'a fine long passphrase');
COMMIT;
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', 'a fine long passphrase', 'not an address');

-- The application reads no password hash and cannot make companies itself.
SELECT hashed_password FROM pactoria.users;
SELECT invitation_token FROM pactoria.users;
SELECT * FROM pactoria.create_company('Sneaky Ltd', 'sneaky@auth.regress.example', 'Sneaky');
SELECT pactoria.log_event('login', 'user');
SELECT * FROM pactoria.attempt_login('password', 'admin@auth.regress.example', 'x', NULL, NULL);
SELECT * FROM pactoria.decide_login('password', 'admin@auth.regress.example', 'x', NULL, NULL, now());

-- Functions that need a session, called without one.
SELECT pactoria.set_password('a fine long passphrase', 'another long passphrase');
SELECT pactoria.unlock_user('00000000-0000-7000-8000-000000000000');
SELECT * FROM pactoria.invite_user('new@auth.regress.example', 'viewer');

-- With a session of the administrator (a context lasts one transaction).
CREATE TEMPORARY TABLE regress_auth_session AS
SELECT session_token FROM pactoria.authenticate('admin@auth.regress.example', 'a fine long passphrase');
BEGIN;
SELECT 1 FROM pactoria.resume_session((SELECT session_token FROM regress_auth_session));
SELECT * FROM pactoria.invite_user(NULL, 'viewer');
SELECT * FROM pactoria.invite_user('new@auth.regress.example', NULL);
SELECT * FROM pactoria.invite_user('new@auth.regress.example', 'overlord');
SELECT * FROM pactoria.invite_user('not an address', 'viewer');
SELECT * FROM pactoria.invite_user('admin@auth.regress.example', 'viewer');
SELECT pactoria.unlock_user(NULL);
SELECT pactoria.unlock_user('00000000-0000-7000-8000-000000000000');
SELECT pactoria.set_password('not the passphrase', 'another long passphrase');
SELECT pactoria.set_password(NULL, 'another long passphrase');
SELECT pactoria.set_password('a fine long passphrase', 'short');
SELECT pactoria.set_password('a fine long passphrase', 'letmein12345');
SELECT pactoria.set_password('a fine long passphrase', 'another long passphrase') AS other_sessions_ended;
COMMIT;

-- accept_invitation(): one answer for a token that is not valid.
SELECT * FROM pactoria.accept_invitation(NULL, 'New Person', 'a fine long passphrase');
SELECT * FROM pactoria.accept_invitation('', 'New Person', 'a fine long passphrase');
SELECT * FROM pactoria.accept_invitation('pct_i_' || repeat('A', 86), 'New Person', 'a fine long passphrase');
SELECT * FROM pactoria.accept_invitation(repeat('x', 100000), 'New Person', 'a fine long passphrase');

-- Lock-out: the fifth failure in a row locks; then even the right password is
-- refused.
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', 'wrong 1');
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', 'wrong 2');
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', 'wrong 3');
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', 'wrong 4');
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', 'wrong 5');
SELECT 1 FROM pactoria.authenticate('admin@auth.regress.example', 'another long passphrase');

RESET ROLE;
SELECT failed_login_attempts, locked_until > now() AS locked, lockout_count FROM pactoria.users
WHERE email = 'admin@auth.regress.example';

-- Throttling by address.
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.ip_max_failures', '2');
SET ROLE pactoria_regress_auth_app;
SELECT 1 FROM pactoria.authenticate('nobody@auth.regress.example', 'x', '198.51.100.9');
SELECT 1 FROM pactoria.authenticate('nobody@auth.regress.example', 'x', '198.51.100.9');
SELECT 1 FROM pactoria.authenticate('nobody@auth.regress.example', 'x', '198.51.100.9');
SELECT 1 FROM pactoria.authenticate('nobody@auth.regress.example', 'x', '198.51.100.10');
RESET ROLE;
SELECT client_ip, failures FROM pactoria.login_throttle ORDER BY client_ip;

-- Configuration out of bounds.
UPDATE pactoria.system_config SET value = '3' WHERE key = 'auth.bcrypt_cost';
UPDATE pactoria.system_config SET value = '"twelve"' WHERE key = 'auth.bcrypt_cost';
SELECT pactoria.config_integer('auth.bcrypt_cost', 4, 16);
SELECT pactoria.config_integer('auth.ip_max_failures', 10, 16);

-- The identity events of the trail.
SELECT a.event_type, a.additional_data - 'locked_until' - '$client' AS data, a.additional_data ? '$client' AS client_sealed
FROM pactoria.audit_logs AS a
JOIN pactoria.users AS u ON u.company_id = a.company_id AND u.email = 'admin@auth.regress.example'
WHERE a.resource_type = 'user' ORDER BY a.occurred_at, a.chain_position;
SELECT count(*) AS problems FROM pactoria.verify_audit_log((SELECT company_id FROM pactoria.users WHERE email = 'admin@auth.regress.example'));

-- The throttle's window ends: the address may try again, counted afresh.
UPDATE pactoria.system_config SET value = '4' WHERE key = 'auth.bcrypt_cost';
SET pactoria.test_clock_offset = '16 minutes';
SET ROLE pactoria_regress_auth_app;
SELECT 1 FROM pactoria.authenticate('nobody@auth.regress.example', 'x', '198.51.100.9');
RESET ROLE;
SELECT failures FROM pactoria.login_throttle WHERE client_ip = '198.51.100.9';
RESET pactoria.test_clock_offset;

-- A hash of a lower cost than configured is replaced at the next successful login.
SET ROLE pactoria_regress_auth_app;
SELECT 1 FROM pactoria.sign_up('Regress Auth Three', 'three@auth.regress.example', 'Three', 'a third long passphrase');
RESET ROLE;
SELECT pactoria.bcrypt_cost(hashed_password) AS cost_before FROM pactoria.users WHERE email = 'three@auth.regress.example';
UPDATE pactoria.system_config SET value = '5' WHERE key = 'auth.bcrypt_cost';
SET ROLE pactoria_regress_auth_app;
SELECT 1 FROM pactoria.authenticate('three@auth.regress.example', 'a third long passphrase');
RESET ROLE;
SELECT pactoria.bcrypt_cost(hashed_password) AS cost_after FROM pactoria.users WHERE email = 'three@auth.regress.example';

-- Each further lock lasts twice as long (auth.lockout_minutes, 15), up to
-- auth.lockout_max_minutes; a lock that has ended counts the next failure afresh.
INSERT INTO pactoria.system_config (key, value) VALUES ('auth.max_failed_attempts', '1'), ('auth.lockout_max_minutes', '45');
SET ROLE pactoria_regress_auth_app;
SELECT 1 FROM pactoria.authenticate('three@auth.regress.example', 'wrong');
RESET ROLE;
SELECT lockout_count, round(extract(epoch FROM locked_until - pactoria.clock_now()) / 60) AS lock_minutes
FROM pactoria.users WHERE email = 'three@auth.regress.example';
SET pactoria.test_clock_offset = '16 minutes';
SET ROLE pactoria_regress_auth_app;
SELECT 1 FROM pactoria.authenticate('three@auth.regress.example', 'wrong');
RESET ROLE;
SELECT lockout_count, round(extract(epoch FROM locked_until - pactoria.clock_now()) / 60) AS lock_minutes
FROM pactoria.users WHERE email = 'three@auth.regress.example';
SET pactoria.test_clock_offset = '47 minutes';
SET ROLE pactoria_regress_auth_app;
SELECT 1 FROM pactoria.authenticate('three@auth.regress.example', 'wrong');
RESET ROLE;
SELECT lockout_count, round(extract(epoch FROM locked_until - pactoria.clock_now()) / 60) AS lock_minutes
FROM pactoria.users WHERE email = 'three@auth.regress.example';
RESET pactoria.test_clock_offset;

-- Throttle windows that ended are purged by the housekeeping, open ones kept.
SELECT count(*) AS throttled_addresses FROM pactoria.login_throttle;
SELECT pactoria.cleanup_login_throttle() AS purged_now;
SELECT pactoria.cleanup_login_throttle(pactoria.clock_now() + interval '16 minutes') AS purged_after_the_window;
SELECT count(*) AS throttled_addresses FROM pactoria.login_throttle;
SET ROLE pactoria_regress_auth_app;
SELECT pactoria.cleanup_login_throttle();
RESET ROLE;

DELETE FROM pactoria.system_config WHERE key IN ('auth.bcrypt_cost', 'auth.ip_max_failures', 'auth.max_failed_attempts',
												 'auth.lockout_max_minutes');
DELETE FROM pactoria.login_throttle;
