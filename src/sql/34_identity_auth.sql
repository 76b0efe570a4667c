
-- 34_identity_auth.sql: passwords, logging in, lock-out and throttling, sign-up
-- and invitations.
--
-- The application never sees a password hash.  It calls authenticate(email,
-- password, ...) and gets a session (32_identity_sessions.sql) or one answer,
-- 28P01 "login failed", whatever went wrong.  The attempt is decided and recorded
-- by pactoria.decide_login() in a transaction of its own, run by a background
-- worker (src/login_attempt.c), so that a failure stays counted although the
-- caller's transaction ends in the error that reports it.
--
-- This file is also the upgrade part src/sql/upgrade/0.1.0--0.2.0/80_identity_auth.sql
-- (a link to it): everything here is new in 0.2.0.

------------------------------------------------------------------------------------
-- Users: lock-out bookkeeping, second factor, invitation expiry.  Written only by
-- pactoria's functions (the application role has no privilege on these columns).
------------------------------------------------------------------------------------
ALTER TABLE pactoria.users
	ADD COLUMN lockout_count integer NOT NULL DEFAULT 0,
	ADD COLUMN password_changed_at timestamptz,
	ADD COLUMN invitation_expires_at timestamptz,
	ADD COLUMN mfa_enabled boolean NOT NULL DEFAULT false,
	ADD CONSTRAINT chk_users_lockout_count CHECK (lockout_count >= 0),
	ADD CONSTRAINT chk_users_invitation_expires_at CHECK (invitation_expires_at IS NULL OR invitation_token IS NOT NULL);

COMMENT ON COLUMN pactoria.users.failed_login_attempts IS 'Failed logins since the last success or lock; at auth.max_failed_attempts the account locks. Kept by pactoria.decide_login().';
COMMENT ON COLUMN pactoria.users.locked_until IS 'The account refuses every login until then (auth.lockout_minutes, doubled by each further lock).';
COMMENT ON COLUMN pactoria.users.lockout_count IS 'Locks since the last successful login: each lock lasts twice as long as the one before, up to auth.lockout_max_minutes.';
COMMENT ON COLUMN pactoria.users.password_changed_at IS 'When the password was last set (sign_up, accept_invitation, set_password).';
COMMENT ON COLUMN pactoria.users.invitation_token IS 'Hex SHA-256 of the secret of a pending invitation token (pct_i_...); the token is never stored.';
COMMENT ON COLUMN pactoria.users.invitation_expires_at IS 'When the pending invitation stops being accepted (invitation.lifetime after invite_user()).';
COMMENT ON COLUMN pactoria.users.mfa_enabled IS 'A confirmed TOTP second factor: authenticate() then opens only an MFA-pending session.';

------------------------------------------------------------------------------------
-- Throttling by client address: failures per address in a fixed window.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.login_throttle (
	client_ip inet NOT NULL,
	window_start timestamptz NOT NULL,
	failures integer NOT NULL,
	CONSTRAINT login_throttle_pkey PRIMARY KEY (client_ip),
	CONSTRAINT chk_login_throttle_failures CHECK (failures >= 0)
);

COMMENT ON TABLE pactoria.login_throttle IS
'Failed logins per client address since window_start; authenticate() refuses an address with auth.ip_max_failures failures in auth.ip_window_minutes. Written by pactoria.decide_login() only; no privilege for the application.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.login_throttle', '');

-- Housekeeping: a window that has ended counts for nothing (decide_login() starts a
-- new one), so its row can go.  For the owner, from a scheduled job.
CREATE FUNCTION pactoria.cleanup_login_throttle(as_of timestamptz DEFAULT pactoria.clock_now())
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	removed_count integer;
BEGIN
	-- PL/pgSQL, not SQL: Citus cannot plan a SQL function's query with parameters.
	DELETE FROM pactoria.login_throttle AS t
	WHERE t.window_start OPERATOR(pg_catalog.<=) (as_of OPERATOR(pg_catalog.-) pactoria.config_minutes('auth.ip_window_minutes', 1, 1440));
	GET DIAGNOSTICS removed_count = ROW_COUNT;
	RETURN removed_count;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.cleanup_login_throttle(timestamptz) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.cleanup_login_throttle(timestamptz) IS
'Deletes the per-address login throttle windows that ended by as_of (auth.ip_window_minutes after they started); returns how many. For the owner, from a scheduled job.';

------------------------------------------------------------------------------------
-- Passwords refused whatever their length: common ones, lower case.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.password_deny_list (
	password text NOT NULL,
	shipped boolean NOT NULL DEFAULT false,
	CONSTRAINT password_deny_list_pkey PRIMARY KEY (password),
	CONSTRAINT chk_password_deny_list_password CHECK (password = lower(password) AND length(password) BETWEEN 1 AND 128)
);

COMMENT ON TABLE pactoria.password_deny_list IS
'Passwords set_password(), sign_up() and accept_invitation() refuse (compared in lower case). Ships common passwords of 12 characters or more (shipped = true); add your own rows (a breached-password corpus) as the owner: they are kept by pg_dump.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.password_deny_list', 'WHERE NOT shipped');

INSERT INTO pactoria.password_deny_list (password, shipped)
SELECT DISTINCT lower(p), true
FROM (
	SELECT base || suffix AS p
	FROM unnest(ARRAY['password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'qwerty', 'qwertyuiop', 'letmein', 'welcome',
					  'iloveyou', 'admin', 'administrator', 'monkey', 'dragon', 'football', 'baseball', 'sunshine',
					  'princess', 'trustno1', 'changeme', 'superman', 'batman', 'master', 'shadow', 'michael',
					  'liverpool', 'arsenal', 'chelsea', 'manchester', 'london', 'england', 'pactoria', 'contract',
					  'summer', 'winter', 'spring', 'autumn', 'secret', 'abc123', 'zaq12wsx', '1q2w3e4r',
					  'asdfghjkl', 'zxcvbnm', 'computer', 'internet', 'starwars', 'whatever', 'charlie', 'jordan'])
		 AS b (base),
		 unnest(ARRAY['', '1', '12', '123', '1234', '12345', '123456', '2023', '2024', '2025', '2026', '!', '1!', '123!',
					  '01', '69', '99', '2000', '007']) AS s (suffix)
	UNION ALL
	SELECT p FROM unnest(ARRAY['123456789012', '1234567890123', '12345678901234', '123456789000', '111111111111',
							   '000000000000', '123123123123', '121212121212', 'qwertyuiop12', 'qwertyuiop123',
							   '1qaz2wsx3edc', '1q2w3e4r5t6y', 'qazwsxedcrfv', 'q1w2e3r4t5y6', 'aaaaaaaaaaaa',
							   'abcdefghijkl', 'abcd1234abcd', 'passwordpassword', 'iloveyouiloveyou',
							   'correcthorsebatterystaple', 'thequickbrownfox', 'letmeinletmein',
							   'welcome123456', 'administrator1', 'changemenow123', 'mypassword123',
							   'password1234567', 'qwerty123456', 'qwertyqwerty', 'asdfasdfasdf', 'zxcvbnmzxcvbnm',
							   '987654321098', '098765432109', '147258369147', '159753159753', '012345678901'])
		 AS l (p)
) AS candidates
WHERE length(p) >= 12;

------------------------------------------------------------------------------------
-- Configuration.
------------------------------------------------------------------------------------
INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('auth.bcrypt_cost', '12',
	 'bcrypt cost (4 to 16; 12 or more in production) of new password hashes; a hash of a lower cost is replaced at the next successful login.'),
	('auth.max_failed_attempts', '5',
	 'Failed logins (1 to 100) after which an account locks.'),
	('auth.lockout_minutes', '15',
	 'Minutes (1 to 1440) the first lock lasts; each further lock before a successful login lasts twice as long.'),
	('auth.lockout_max_minutes', '1440',
	 'Minutes (1 to 43200) a lock lasts at most.'),
	('auth.ip_max_failures', '50',
	 'Failed logins (1 to 100000) from one client address in auth.ip_window_minutes after which the address is refused until the window ends.'),
	('auth.ip_window_minutes', '15',
	 'Minutes (1 to 1440) of the window auth.ip_max_failures counts in.'),
	('invitation.lifetime', '10080',
	 'Minutes (1 to 43200) an invitation can be accepted (default 7 days).');

-- A configured whole number, checked against its bounds.
CREATE FUNCTION pactoria.config_integer(config_key text, lowest integer, highest integer)
RETURNS integer
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	configured jsonb := pactoria.get_config(config_key);
	number numeric;
BEGIN
	IF jsonb_typeof(configured) = 'number' THEN
		number := configured::text::numeric;
	END IF;
	IF number IS NULL OR number <> trunc(number) OR number NOT BETWEEN lowest AND highest THEN
		RAISE EXCEPTION 'configuration value of "%" must be a whole number from % to %', config_key, lowest, highest
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Correct it in pactoria.system_config.';
	END IF;
	RETURN number::integer;
END
$$;

COMMENT ON FUNCTION pactoria.config_integer(text, integer, integer) IS
'A configuration key holding a whole number within bounds; an error (55000) when it is not.';

------------------------------------------------------------------------------------
-- bcrypt, through pgcrypto wherever it is installed.  bcrypt reads only the first
-- 72 bytes of its input, so a password is hashed as bcrypt of the base64 of its
-- SHA-256 (44 bytes, no NUL): every byte of a 128-character password counts.  Such a
-- hash is stored as 'sha256$' followed by the bcrypt hash; a plain bcrypt hash (made
-- before 0.2.0) is still checked as it was made, and replaced at the next login.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.bcrypt(password text, setting text)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	crypto_schema name;
	prehashed text := encode(sha256(convert_to(password, 'UTF8')), 'base64');
	result text;
BEGIN
	SELECT n.nspname INTO crypto_schema
	FROM pg_catalog.pg_extension AS e JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
	WHERE e.extname = 'pgcrypto';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'extension "pgcrypto" is not installed'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'CREATE EXTENSION pgcrypto;';
	END IF;
	IF setting = '' THEN
		EXECUTE format('SELECT %I.crypt($1, %I.gen_salt(''bf'', $2))', crypto_schema, crypto_schema)
			INTO result USING prehashed, pactoria.config_integer('auth.bcrypt_cost', 4, 16);
		RETURN 'sha256$' || result;
	ELSIF starts_with(setting, 'sha256$') THEN
		EXECUTE format('SELECT %I.crypt($1, $2)', crypto_schema) INTO result USING prehashed, substr(setting, 8);
		RETURN 'sha256$' || result;
	END IF;
	EXECUTE format('SELECT %I.crypt($1, $2)', crypto_schema) INTO result USING password, setting;
	RETURN result;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.bcrypt(text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.bcrypt(text, text) IS
'The stored form of a password: with an existing hash as the setting, the hash to compare with it; with an empty setting, a new hash: ''sha256$'' and bcrypt (pgcrypto crypt(), cost auth.bcrypt_cost) of the base64 of the password''s SHA-256, so that bytes past the 72nd count. Internal.';

-- The cost of a bcrypt hash ($2a$12$..., or sha256$$2a$12$...), or NULL.
CREATE FUNCTION pactoria.bcrypt_cost(hash text)
RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
RETURN CASE WHEN hash ~ '^(sha256\$)?\$2[abxy]?\$[0-9]{2}\$'
			THEN substring(hash FROM '^(?:sha256\$)?\$2[abxy]?\$([0-9]{2})\$')::integer END;

COMMENT ON FUNCTION pactoria.bcrypt_cost(text) IS
'The cost of a bcrypt hash, NULL for anything else.';

CREATE FUNCTION pactoria.check_password_policy(password text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF password IS NULL THEN
		RAISE EXCEPTION 'password must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF length(password) NOT BETWEEN 12 AND 128 THEN
		RAISE EXCEPTION 'password has % characters, not 12 to 128', length(password)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Any characters are allowed, spaces too: a passphrase of several words is a good password.';
	END IF;
	IF EXISTS (SELECT FROM pactoria.password_deny_list AS d WHERE d.password = lower(check_password_policy.password)) THEN
		RAISE EXCEPTION 'password is too common'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'It is on pactoria.password_deny_list.',
				  HINT = 'Choose a password that is not a common one.';
	END IF;
END
$$;

COMMENT ON FUNCTION pactoria.check_password_policy(text) IS
'Raises 22023 unless a password has 12 to 128 characters (any characters; no composition rules) and is not on pactoria.password_deny_list; 22004 for NULL.';

------------------------------------------------------------------------------------
-- Identity events in the audit trail, for a given company and user, with the
-- caller's tenant context put back afterwards.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.log_identity_event(company_id uuid, user_id uuid, event_type text,
	resource_id uuid, data jsonb DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	saved_company text := pg_catalog.current_setting('pactoria.company_id', true);
	saved_user text := pg_catalog.current_setting('pactoria.user_id', true);
BEGIN
	PERFORM pg_catalog.set_config('pactoria.company_id', log_identity_event.company_id::text, true);
	PERFORM pg_catalog.set_config('pactoria.user_id', coalesce(log_identity_event.user_id::text, ''), true);
	PERFORM pactoria.log_event(event_type, 'user', resource_id, data);
	PERFORM pg_catalog.set_config('pactoria.company_id', coalesce(saved_company, ''), true);
	PERFORM pg_catalog.set_config('pactoria.user_id', coalesce(saved_user, ''), true);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.log_identity_event(uuid, uuid, text, uuid, jsonb) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.log_identity_event(uuid, uuid, text, uuid, jsonb) IS
'Records an identity event (login, login_failed, account_locked, ...) in the audit chain of a company, as its user (NULL: none), about a user. Internal.';

------------------------------------------------------------------------------------
-- One login attempt, decided and recorded.  Run by the login worker in a
-- transaction of its own (pactoria.attempt_login()); never called directly.
--
-- kind: 'password' (authenticate), 'reauthenticate' (set_password: the current
-- password), 'second_factor' (a wrong MFA code: a failure to count, no password).
-- outcome: ok, failed (unknown address, wrong password, inactive, no password
-- yet, wrong second factor), locked, throttled.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.decide_login(kind text, email text, secret text, client_ip inet, user_agent text,
	at timestamptz, OUT outcome text, OUT company_id uuid, OUT user_id uuid, OUT mfa_required boolean)
RETURNS record
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	account record;
	matched boolean := false;
	attempts integer;
	ip_window interval := pactoria.config_minutes('auth.ip_window_minutes', 1, 1440);
	ip_failures integer;
	lock_for interval;
	reason text;
	new_hash text;
BEGIN
	mfa_required := false;
	IF kind IS NULL OR kind NOT IN ('password', 'reauthenticate', 'second_factor') OR at IS NULL THEN
		RAISE EXCEPTION 'invalid login attempt'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF client_ip IS NOT NULL THEN
		PERFORM pg_catalog.set_config('pactoria.client_ip', pg_catalog.host(client_ip), true);
	END IF;
	IF user_agent IS NOT NULL THEN
		PERFORM pg_catalog.set_config('pactoria.user_agent', user_agent, true);
	END IF;

	IF client_ip IS NOT NULL AND kind = 'password' THEN
		SELECT t.failures INTO ip_failures FROM pactoria.login_throttle AS t
		WHERE t.client_ip = decide_login.client_ip AND t.window_start > at - ip_window;
		IF ip_failures >= pactoria.config_integer('auth.ip_max_failures', 1, 100000) THEN
			outcome := 'throttled';
			RETURN;
		END IF;
	END IF;

	SELECT u.company_id, u.id, u.email, u.hashed_password, u.is_active AND c.is_active AS is_active,
		   c.is_active AS company_active, u.failed_login_attempts, u.locked_until, u.lockout_count, u.mfa_enabled
	INTO account
	FROM pactoria.users AS u JOIN pactoria.companies AS c ON c.id = u.company_id
	WHERE lower(u.email) = lower(decide_login.email)
	-- NO KEY UPDATE: it serialises attempts on the account but lets the caller's own
	-- transaction hold a foreign-key lock on the row (a session it created).
	FOR NO KEY UPDATE OF u;

	IF kind <> 'second_factor' THEN
		-- The same bcrypt work whether or not there is a hash to compare with.
		IF account.hashed_password IS NOT NULL AND secret IS NOT NULL THEN
			matched := coalesce(pactoria.constant_time_equal(
				convert_to(pactoria.bcrypt(secret, account.hashed_password), 'UTF8'),
				convert_to(account.hashed_password, 'UTF8')), false);
		ELSE
			PERFORM pactoria.bcrypt(coalesce(secret, ''), '');
		END IF;
	END IF;

	IF account.id IS NOT NULL THEN
		company_id := account.company_id;
		user_id := account.id;
	END IF;

	IF account.id IS NOT NULL AND account.locked_until > at THEN
		outcome := 'locked';
		reason := 'locked';
	ELSIF matched AND account.is_active THEN
		outcome := 'ok';
		mfa_required := account.mfa_enabled;
		IF kind = 'password' OR account.failed_login_attempts > 0 OR account.locked_until IS NOT NULL
		   OR account.lockout_count > 0 OR pactoria.bcrypt_cost(account.hashed_password)
				IS DISTINCT FROM pactoria.config_integer('auth.bcrypt_cost', 4, 16)
		   OR NOT starts_with(account.hashed_password, 'sha256$') THEN
			-- A hash of lower cost, or of the password itself (before 0.2.0), is
			-- replaced; computed first: see sign_up().
			IF coalesce(pactoria.bcrypt_cost(account.hashed_password), 0)
				   < pactoria.config_integer('auth.bcrypt_cost', 4, 16)
			   OR NOT starts_with(account.hashed_password, 'sha256$') THEN
				new_hash := pactoria.bcrypt(secret, '');
			END IF;
			UPDATE pactoria.users AS u
			-- A password alone does not clear the failures of a second factor
			-- (else logging in again would reset its lock-out): verify_totp() does.
			SET failed_login_attempts = CASE WHEN kind = 'password' AND account.mfa_enabled
											 THEN u.failed_login_attempts ELSE 0 END,
				lockout_count = CASE WHEN kind = 'password' AND account.mfa_enabled THEN u.lockout_count ELSE 0 END,
				locked_until = NULL,
				last_login_at = CASE WHEN kind = 'password' THEN at ELSE u.last_login_at END,
				-- A hash of lower cost, or of the password itself (before 0.2.0), is replaced.
				hashed_password = coalesce(new_hash, u.hashed_password)
			WHERE u.company_id = account.company_id AND u.id = account.id;
		END IF;
		IF kind = 'password' THEN
			PERFORM pactoria.log_identity_event(account.company_id, account.id, 'login', account.id,
				jsonb_build_object('mfa_required', account.mfa_enabled));
		END IF;
		RETURN;
	ELSE
		outcome := 'failed';
		reason := CASE WHEN account.id IS NULL THEN 'unknown'
					   WHEN kind = 'second_factor' THEN 'second_factor'
					   WHEN NOT account.is_active THEN 'inactive'
					   WHEN account.hashed_password IS NULL THEN 'no_password'
					   ELSE 'password' END;
	END IF;

	-- A failure (or an attempt on a locked account): count it, per account and per address.
	IF account.id IS NOT NULL AND outcome = 'failed' THEN
		attempts := CASE WHEN account.locked_until IS NOT NULL THEN 1 ELSE account.failed_login_attempts + 1 END;
		IF attempts >= pactoria.config_integer('auth.max_failed_attempts', 1, 100) THEN
			lock_for := least(pactoria.config_minutes('auth.lockout_minutes', 1, 1440) * power(2, least(account.lockout_count, 20)),
							  pactoria.config_minutes('auth.lockout_max_minutes', 1, 43200));
			UPDATE pactoria.users AS u
			SET failed_login_attempts = 0, locked_until = at + lock_for, lockout_count = u.lockout_count + 1
			WHERE u.company_id = account.company_id AND u.id = account.id;
		ELSE
			UPDATE pactoria.users AS u
			SET failed_login_attempts = attempts, locked_until = NULL
			WHERE u.company_id = account.company_id AND u.id = account.id;
		END IF;
	END IF;
	IF account.id IS NOT NULL AND account.company_active THEN
		PERFORM pactoria.log_identity_event(account.company_id, NULL, 'login_failed', account.id,
			jsonb_build_object('reason', reason, 'kind', kind));
		IF lock_for IS NOT NULL THEN
			PERFORM pactoria.log_identity_event(account.company_id, NULL, 'account_locked', account.id,
				jsonb_build_object('locked_until', at + lock_for, 'lock', account.lockout_count + 1));
		END IF;
	END IF;
	IF client_ip IS NOT NULL AND kind = 'password' THEN
		INSERT INTO pactoria.login_throttle AS t (client_ip, window_start, failures)
		VALUES (decide_login.client_ip, at, 1)
		ON CONFLICT ON CONSTRAINT login_throttle_pkey DO UPDATE
		SET failures = CASE WHEN t.window_start <= at - ip_window THEN 1 ELSE t.failures + 1 END,
			window_start = CASE WHEN t.window_start <= at - ip_window THEN at ELSE t.window_start END;
	END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.decide_login(text, text, text, inet, text, timestamptz) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.decide_login(text, text, text, inet, text, timestamptz) IS
'Decides one login attempt and records it: throttling by address, lock-out, bcrypt comparison (the same work for an unknown address), counting, locking and the audit events. Run by the login worker in its own transaction; internal.';

CREATE FUNCTION pactoria.attempt_login(kind text, email text, secret text, client_ip inet, user_agent text,
	OUT outcome text, OUT company_id uuid, OUT user_id uuid, OUT mfa_required boolean)
RETURNS record
AS 'MODULE_PATHNAME', 'pactoria_attempt_login'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;

REVOKE EXECUTE ON FUNCTION pactoria.attempt_login(text, text, text, inet, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.attempt_login(text, text, text, inet, text) IS
'Runs pactoria.decide_login() in a background worker, in a transaction of its own that commits whatever the caller does next, and returns its outcome. For the owner; internal to authenticate() and set_password().';

------------------------------------------------------------------------------------
-- The application's calls.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.authenticate(email text, password text, client_ip inet DEFAULT NULL, user_agent text DEFAULT NULL)
RETURNS TABLE (session_token text, refresh_token text, expires_at timestamptz, company_id uuid, user_id uuid,
	mfa_required boolean)
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$
DECLARE
	decision record;
BEGIN
	IF authenticate.email IS NULL OR authenticate.password IS NULL THEN
		RAISE EXCEPTION '% must not be NULL', CASE WHEN authenticate.email IS NULL THEN 'e-mail address' ELSE 'password' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF octet_length(authenticate.email) > 254 OR octet_length(authenticate.password) > 1024 THEN
		RAISE EXCEPTION '% is too long', CASE WHEN octet_length(authenticate.email) > 254 THEN 'e-mail address' ELSE 'password' END
			USING ERRCODE = 'string_data_right_truncation',
				  DETAIL = 'An e-mail address has at most 254 bytes, a password at most 1024.';
	END IF;
	decision := pactoria.attempt_login('password', authenticate.email, authenticate.password,
									   authenticate.client_ip, authenticate.user_agent);
	IF decision.outcome = 'throttled' THEN
		RAISE EXCEPTION 'too many failed logins from this address'
			USING ERRCODE = 'configuration_limit_exceeded',
				  HINT = 'Try again later.';
	ELSIF decision.outcome IS DISTINCT FROM 'ok' THEN
		RAISE EXCEPTION 'login failed'
			USING ERRCODE = 'invalid_password',
				  DETAIL = 'The e-mail address or the password is not valid, or the account cannot log in now.',
				  HINT = 'Accounts lock for a while after repeated failures.';
	END IF;
	SELECT s.session_token, s.refresh_token, s.expires_at
	INTO authenticate.session_token, authenticate.refresh_token, authenticate.expires_at
	FROM pactoria.create_session(decision.company_id, decision.user_id, decision.mfa_required,
								 authenticate.client_ip, authenticate.user_agent) AS s;
	company_id := decision.company_id;
	user_id := decision.user_id;
	mfa_required := decision.mfa_required;
	RETURN NEXT;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.authenticate(text, text, inet, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.authenticate(text, text, inet, text) IS
'Logs in: on success a new session (session_token and refresh_token, returned once), its expiry, the company and user, and whether the second factor is still required (verify_totp()). Any failure -- unknown address, wrong password, inactive user or company, locked account -- is the one error 28P01 "login failed", after the same bcrypt work; failures are counted in a transaction of their own (a ROLLBACK does not undo them). An address with too many failures: 53400.';

CREATE FUNCTION pactoria.sign_up(company_name text, admin_email text, admin_full_name text, password text,
	registration_number text DEFAULT NULL, vat_number text DEFAULT NULL, address text DEFAULT NULL,
	postcode text DEFAULT NULL, OUT company_id uuid, OUT user_id uuid)
RETURNS record
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	-- computed first: Citus refuses VOLATILE functions in an UPDATE of a
	-- reference table (each node would compute its own, different, hash)
	new_hash text;
BEGIN
	PERFORM pactoria.check_password_policy(sign_up.password);
	SELECT c.company_id, c.user_id INTO sign_up.company_id, sign_up.user_id
	FROM pactoria.create_company(company_name, admin_email, admin_full_name, NULL, 'starter',
								 sign_up.registration_number, sign_up.vat_number, sign_up.address, sign_up.postcode) AS c;
	new_hash := pactoria.bcrypt(sign_up.password, '');
	UPDATE pactoria.users AS u
	SET hashed_password = new_hash, password_changed_at = pactoria.clock_now()
	WHERE u.company_id = sign_up.company_id AND u.id = sign_up.user_id;
	PERFORM pactoria.log_identity_event(sign_up.company_id, sign_up.user_id, 'sign_up', sign_up.user_id);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.sign_up(text, text, text, text, text, text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.sign_up(text, text, text, text, text, text, text, text) IS
'Self-service onboarding, for the application role: a company on the starter tier and its first user, an administrator with the given password (12 to 128 characters, not a common one). Returns their ids; log in with authenticate().';

-- The user in the tenant context of a full session, or an error.
CREATE FUNCTION pactoria.require_acting_user(OUT company_id uuid, OUT user_id uuid, OUT is_admin boolean)
RETURNS record
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	company_id := pactoria.current_company_id();
	user_id := pactoria.current_user_id();
	IF company_id IS NULL OR user_id IS NULL THEN
		RAISE EXCEPTION 'no tenant context is set'
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Call pactoria.resume_session(session_token) in this transaction first.';
	END IF;
	SELECT u.is_admin INTO is_admin FROM pactoria.users AS u
	WHERE u.company_id = require_acting_user.company_id AND u.id = require_acting_user.user_id AND u.is_active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'the user in the tenant context is not an active user'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.require_acting_user() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.require_acting_user() IS
'The company and user of the tenant context, and whether the user is an administrator; 42501 without a context or for an inactive user. Internal.';

-- The acting administrator, for an action on a user of their own company, or an error.
CREATE FUNCTION pactoria.require_administrator_of(target_user_id uuid, action text,
	OUT company_id uuid, OUT user_id uuid)
RETURNS record
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	acting record;
BEGIN
	IF target_user_id IS NULL THEN
		RAISE EXCEPTION 'user_id must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	acting := pactoria.require_acting_user();
	IF NOT acting.is_admin THEN
		RAISE EXCEPTION 'only an administrator of the company may %', action
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	PERFORM FROM pactoria.users AS u WHERE u.company_id = acting.company_id AND u.id = target_user_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % is not a user of this company', target_user_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	company_id := acting.company_id;
	user_id := acting.user_id;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.require_administrator_of(uuid, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.require_administrator_of(uuid, text) IS
'The company and user of the tenant context when the user is an administrator and the target user belongs to the same company; 22004 for a NULL target, 42501 otherwise (the action names what was refused). Internal.';

CREATE FUNCTION pactoria.set_password(current_password text, new_password text)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	new_hash text;
	acting record := pactoria.require_acting_user();
	account record;
	decision record;
BEGIN
	SELECT u.email, u.hashed_password IS NOT NULL AS has_password INTO account
	FROM pactoria.users AS u WHERE u.company_id = acting.company_id AND u.id = acting.user_id;
	IF account.has_password THEN
		IF current_password IS NULL OR octet_length(current_password) > 1024 THEN
			RAISE EXCEPTION 'current password is not valid'
				USING ERRCODE = 'invalid_password';
		END IF;
		decision := pactoria.attempt_login('reauthenticate', account.email, current_password,
										   NULL, NULL);
		IF decision.outcome IS DISTINCT FROM 'ok' THEN
			RAISE EXCEPTION 'current password is not valid'
				USING ERRCODE = 'invalid_password',
					  HINT = 'Failures count towards the account''s lock-out.';
		END IF;
	END IF;
	PERFORM pactoria.check_password_policy(new_password);
	new_hash := pactoria.bcrypt(new_password, '');		-- first: see sign_up()
	UPDATE pactoria.users AS u
	SET hashed_password = new_hash, password_changed_at = pactoria.clock_now()
	WHERE u.company_id = acting.company_id AND u.id = acting.user_id;
	PERFORM pactoria.log_identity_event(acting.company_id, acting.user_id, 'password_change', acting.user_id);
	RETURN pactoria.revoke_user_sessions(acting.company_id, acting.user_id, 'password_changed',
										 pactoria.context_session_id());
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.set_password(text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.set_password(text, text) IS
'Changes the password of the user in the tenant context: the current password is checked as a login attempt is (a wrong one counts towards lock-out; 28P01), the new one must have 12 to 128 characters and not be a common one (22023); hashed with bcrypt at auth.bcrypt_cost. Ends the user''s other sessions and returns how many.';

CREATE FUNCTION pactoria.unlock_user(user_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	acting record := pactoria.require_administrator_of(unlock_user.user_id, 'unlock a user');
BEGIN
	UPDATE pactoria.users AS u
	SET failed_login_attempts = 0, locked_until = NULL, lockout_count = 0
	WHERE u.company_id = acting.company_id AND u.id = unlock_user.user_id;
	PERFORM pactoria.log_identity_event(acting.company_id, acting.user_id, 'account_unlocked', unlock_user.user_id);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.unlock_user(uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.unlock_user(uuid) IS
'Ends the lock of a user''s account and forgets its failed logins; by an administrator of the user''s company (else 42501).';

CREATE FUNCTION pactoria.invite_user(email text, role text DEFAULT 'contract_manager')
RETURNS TABLE (user_id uuid, invitation_token text, expires_at timestamptz)
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$
DECLARE
	acting record;
	secret bytea := pactoria.random_bytes(32);
	now_at timestamptz := pactoria.clock_now();
BEGIN
	IF invite_user.email IS NULL OR invite_user.role IS NULL THEN
		RAISE EXCEPTION '% must not be NULL', CASE WHEN invite_user.email IS NULL THEN 'e-mail address' ELSE 'role' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	acting := pactoria.require_acting_user();
	IF NOT acting.is_admin THEN
		RAISE EXCEPTION 'only an administrator of the company may invite users'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF length(invite_user.email) > 254 OR NOT pactoria.is_valid_email(invite_user.email) THEN
		RAISE EXCEPTION 'invalid e-mail address "%"', pactoria.quote_prefix(invite_user.email)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An e-mail address is local@domain.tld in ASCII, at most 254 characters.';
	END IF;
	IF invite_user.role NOT IN ('admin', 'contract_manager', 'legal_reviewer', 'viewer') THEN
		RAISE EXCEPTION 'invalid role "%"', pactoria.quote_prefix(invite_user.role)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A role is admin, contract_manager, legal_reviewer or viewer.';
	END IF;
	IF EXISTS (SELECT FROM pactoria.users AS u WHERE lower(u.email) = lower(invite_user.email)) THEN
		RAISE EXCEPTION 'e-mail address "%" is already in use', pactoria.quote_prefix(invite_user.email)
			USING ERRCODE = 'unique_violation',
				  DETAIL = 'E-mail addresses are unique across all companies.';
	END IF;
	user_id := pactoria.uuid_generate_v7();
	expires_at := now_at + pactoria.config_minutes('invitation.lifetime', 1, 43200);
	INSERT INTO pactoria.users (company_id, id, email, full_name, role, invitation_token, invited_at, invited_by,
								invitation_expires_at)
	VALUES (acting.company_id, invite_user.user_id, invite_user.email, left(split_part(invite_user.email, '@', 1), 200),
			invite_user.role, encode(sha256(secret), 'hex'), now_at, acting.user_id, invite_user.expires_at);
	invitation_token := pactoria.make_session_token('pct_i_', acting.company_id, invite_user.user_id, secret);
	PERFORM pactoria.log_identity_event(acting.company_id, acting.user_id, 'invitation_created', invite_user.user_id,
		jsonb_build_object('role', invite_user.role, 'expires_at', invite_user.expires_at));
	RETURN NEXT;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.invite_user(text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.invite_user(text, text) IS
'By an administrator: adds a user of the company (the seat limit applies) who can log in once they accept the invitation; returns the user''s id and a one-time invitation token (stored as SHA-256 only) valid for invitation.lifetime minutes.';

CREATE FUNCTION pactoria.accept_invitation(invitation_token text, full_name text, password text,
	OUT company_id uuid, OUT user_id uuid)
RETURNS record
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	new_hash text;
	parts record := pactoria.parse_session_token(accept_invitation.invitation_token, 'pct_i_');
	invited record;
BEGIN
	-- No row for a malformed token (its parts are NULL): the same answer.
	SELECT u.company_id, u.id, u.invitation_token, u.invitation_expires_at, u.is_active AND c.is_active AS is_active
	INTO invited
	FROM pactoria.users AS u JOIN pactoria.companies AS c ON c.id = u.company_id
	WHERE u.company_id = parts.company_id AND u.id = parts.session_id
	FOR UPDATE OF u;
	IF invited.id IS NULL OR invited.invitation_token IS NULL OR NOT invited.is_active
	   OR invited.invitation_expires_at <= pactoria.clock_now()
	   -- A token stored by 0.1.0 (not 64 hex digits) matches nothing: the same answer.
	   OR (CASE WHEN invited.invitation_token ~ '^[0-9a-f]{64}$'
				THEN NOT pactoria.constant_time_equal(decode(invited.invitation_token, 'hex'), parts.secret_hash)
				ELSE true END) THEN
		RAISE EXCEPTION 'invitation is not valid'
			USING ERRCODE = 'invalid_authorization_specification',
				  HINT = 'Ask an administrator of the company for a new invitation.';
	END IF;
	IF accept_invitation.full_name IS NULL OR length(btrim(accept_invitation.full_name)) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'full name must have 1 to 200 characters'
			USING ERRCODE = CASE WHEN accept_invitation.full_name IS NULL THEN 'null_value_not_allowed'
								 ELSE 'invalid_parameter_value' END;
	END IF;
	PERFORM pactoria.check_password_policy(accept_invitation.password);
	new_hash := pactoria.bcrypt(accept_invitation.password, '');		-- first: see sign_up()
	UPDATE pactoria.users AS u
	SET full_name = btrim(accept_invitation.full_name), hashed_password = new_hash,
		password_changed_at = pactoria.clock_now(), invitation_token = NULL, invitation_expires_at = NULL
	WHERE u.company_id = invited.company_id AND u.id = invited.id;
	company_id := invited.company_id;
	user_id := invited.id;
	PERFORM pactoria.log_identity_event(invited.company_id, invited.id, 'invitation_accepted', invited.id);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.accept_invitation(text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.accept_invitation(text, text, text) IS
'Accepts an invitation: sets the invited user''s full name and password (12 to 128 characters, not a common one) and spends the token. An unknown, spent or expired token: 28000 "invitation is not valid". Returns the company and user; log in with authenticate().';

------------------------------------------------------------------------------------
-- Privileges of the application role.
------------------------------------------------------------------------------------

-- What an application may write is an explicit list, kept here where it can be
-- reviewed; nothing else in the schema is writable by it:
--   the tenant tables below (row-level security forced)  SELECT and the listed writes
--   companies                                            SELECT, UPDATE of the columns a tenant owns
--   users                                                SELECT, INSERT and UPDATE of the columns
--                                                        that are not secrets or login bookkeeping
--   login_throttle (and the second factor's tables)      nothing
--   every other table (configuration, reference data,
--   and the append-only audit_logs, audit_chain_heads,
--   audit_checkpoints and contract_versions)             SELECT
--   views (security_invoker only)                        SELECT
--   materialized views without company_id                SELECT
--   sequences of the columns of tables it may insert     USAGE
--   the identity API (sign_up, authenticate, sessions,
--   passwords, invitations, unlocking, the second
--   factor: 36_identity_mfa.sql), search_contracts()     EXECUTE
-- and nothing else: no TRUNCATE, REFERENCES or TRIGGER, no partition directly (a
-- partition is reached through its parent, under the parent's policies).  The
-- append-only tables are written only by pactoria's own writers, as the owner:
-- the audit trigger, log_event() and audit_checkpoint(), and contract versioning.
-- system_metrics gets INSERT alone, because record_metric() inserts as the caller.
-- Every call first revokes everything the role holds on the schema's tables and
-- sequences, so calling it again after ALTER EXTENSION UPDATE removes what an
-- earlier version granted (0.1.0 granted writes on every table with company_id).
-- Tables added later to schema pactoria are readable once it is called again,
-- and writable only when added to the list.
CREATE OR REPLACE FUNCTION pactoria.grant_application_access(application_role regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	role_row record;
	other_role name;
	relation record;
	-- The tables an application writes, and how.  Review before adding to it.
	writable CONSTANT text[][] := ARRAY[
		['pactoria.ai_generations',     'INSERT, UPDATE, DELETE'],
		['pactoria.chat_messages',      'INSERT, UPDATE, DELETE'],
		['pactoria.compliance_scores',  'INSERT, UPDATE, DELETE'],
		['pactoria.contracts',          'INSERT, UPDATE, DELETE'],
		['pactoria.corrections',        'INSERT, UPDATE, DELETE'],
		['pactoria.extraction_fields',  'INSERT, UPDATE, DELETE'],
		['pactoria.extraction_metrics', 'INSERT, UPDATE, DELETE'],
		['pactoria.extractions',        'INSERT, UPDATE, DELETE'],
		['pactoria.oauth_connections',  'INSERT, UPDATE, DELETE'],
		['pactoria.risk_assessments',   'INSERT, UPDATE, DELETE'],
		['pactoria.system_metrics',     'INSERT'],
		['pactoria.templates',          'INSERT, UPDATE, DELETE'],
		['pactoria.users',              'INSERT (company_id, id, email, full_name, role, is_active, department, timezone, notification_preferences),'
										' UPDATE (email, full_name, role, is_active, department, timezone, notification_preferences),'
										' DELETE'],
		['pactoria.companies',          'UPDATE (name, registration_number, vat_number, address, postcode, settings)']];
	-- Tables the application gets no privilege on at all.
	hidden CONSTANT text[] := ARRAY['pactoria.login_throttle', 'pactoria.user_totp', 'pactoria.user_backup_codes',
									'pactoria.tenant_keys', 'pactoria.person_keys'];
	-- Columns it may not read: secrets, even hashed.
	secret_columns CONSTANT text[][] := ARRAY[
		['pactoria.users', 'hashed_password'],
		['pactoria.users', 'invitation_token']];
	writes text;
	readable text;
BEGIN
	IF application_role IS NULL THEN
		RAISE EXCEPTION 'application role must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;

	SELECT r.rolsuper, r.rolbypassrls INTO role_row FROM pg_catalog.pg_roles AS r WHERE r.oid = application_role;
	IF role_row.rolsuper OR role_row.rolbypassrls THEN
		RAISE EXCEPTION 'role % bypasses row-level security', application_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'It is a superuser or has BYPASSRLS, so tenant isolation would not apply to it.',
				  HINT = 'Connect the application as a role with NOSUPERUSER NOBYPASSRLS.';
	END IF;
	SELECT r.rolname INTO other_role FROM pg_catalog.pg_roles AS r
	WHERE (r.rolsuper OR r.rolbypassrls) AND pg_has_role(application_role, r.oid, 'MEMBER')
	ORDER BY r.rolname LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'role % is a member of role %, which bypasses row-level security', application_role, other_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A member can SET ROLE to it, and tenant isolation would not apply.',
				  HINT = format('REVOKE %I FROM %s.', other_role, application_role);
	END IF;
	SELECT owner::regrole::text INTO other_role
	FROM (SELECT nspowner AS owner FROM pg_catalog.pg_namespace WHERE oid = 'pactoria'::regnamespace
		  UNION SELECT relowner FROM pg_catalog.pg_class WHERE relnamespace = 'pactoria'::regnamespace
		  UNION SELECT proowner FROM pg_catalog.pg_proc WHERE pronamespace = 'pactoria'::regnamespace) AS owners
	WHERE pg_has_role(application_role, owner, 'MEMBER')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'role % owns objects of schema pactoria, or is a member of their owner %', application_role, other_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An owner can disable row-level security.',
				  HINT = 'Connect the application as a role that owns nothing; run migrations and maintenance as the owner.';
	END IF;

	EXECUTE format('GRANT USAGE ON SCHEMA pactoria TO %s', application_role);
	EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA pactoria FROM %s', application_role);
	EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA pactoria FROM %s', application_role);

	FOR relation IN
		SELECT c.oid::regclass AS name, c.relkind, c.relrowsecurity AND c.relforcerowsecurity AS is_isolated,
			   EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
					   WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped) AS has_company_id,
			   coalesce((SELECT o.option_value::boolean FROM pg_catalog.pg_options_to_table(c.reloptions) AS o
						 WHERE o.option_name = 'security_invoker'), false) AS is_security_invoker
		FROM pg_catalog.pg_class AS c
		WHERE c.relnamespace = 'pactoria'::regnamespace
		  AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
		ORDER BY c.relname
	LOOP
		writes := NULL;
		FOR i IN 1 .. array_length(writable, 1) LOOP
			IF writable[i][1]::regclass = relation.name THEN
				writes := writable[i][2];
			END IF;
		END LOOP;

		SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO readable
		FROM pg_catalog.pg_attribute AS a
		WHERE a.attrelid = relation.name AND a.attnum > 0 AND NOT a.attisdropped
		  AND NOT EXISTS (SELECT FROM generate_subscripts(secret_columns, 1) AS i
						  WHERE secret_columns[i][1]::regclass = relation.name AND secret_columns[i][2] = a.attname)
		HAVING count(*) < (SELECT count(*) FROM pg_catalog.pg_attribute AS b
						   WHERE b.attrelid = relation.name AND b.attnum > 0 AND NOT b.attisdropped);

		IF relation.name = ANY (hidden::regclass[]) THEN
			CONTINUE;
		ELSIF relation.relkind = 'v' AND NOT relation.is_security_invoker THEN
			RAISE WARNING 'view % is not granted: it runs with its owner''s rights', relation.name
				USING HINT = 'Make it security_invoker so that row-level security applies.';
		ELSIF relation.relkind = 'm' AND relation.has_company_id THEN
			RAISE WARNING 'materialized view % is not granted: row-level security cannot apply to it', relation.name
				USING HINT = 'Read it through a security_invoker view that filters on pactoria.current_company_id().';
		ELSIF relation.relkind IN ('r', 'p') AND (relation.has_company_id OR writes IS NOT NULL)
			  AND NOT relation.is_isolated THEN
			RAISE WARNING 'table % is not granted: it has company_id but no forced row-level security', relation.name
				USING HINT = 'Call pactoria.enable_tenant_isolation() for it.';
		ELSIF readable IS NOT NULL THEN
			EXECUTE format('GRANT SELECT (%s)%s ON %s TO %s', readable, ', ' || writes, relation.name, application_role);
		ELSIF writes IS NOT NULL THEN
			EXECUTE format('GRANT SELECT, %s ON %s TO %s', writes, relation.name, application_role);
		ELSE
			EXECUTE format('GRANT SELECT ON %s TO %s', relation.name, application_role);
		END IF;
	END LOOP;

	FOR relation IN
		SELECT DISTINCT d.objid::regclass AS name
		FROM pg_catalog.pg_depend AS d
		JOIN pg_catalog.pg_class AS s ON s.oid = d.objid AND s.relkind = 'S'
		WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
		  AND d.deptype IN ('a', 'i') AND s.relnamespace = 'pactoria'::regnamespace
		  AND has_table_privilege(application_role, d.refobjid, 'INSERT')
	LOOP
		EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %s', relation.name, application_role);
	END LOOP;

	-- The application names no tenant itself: it presents a session token to
	-- resume_session() in each transaction.  set_context() is for the owner and
	-- for trusted service roles (grant_service_access()).
	-- create_company() stays for the owner: the application signs up with a password.
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.sign_up(text, text, text, text, text, text, text, text),'
				   ' pactoria.authenticate(text, text, inet, text), pactoria.set_password(text, text),'
				   ' pactoria.unlock_user(uuid), pactoria.invite_user(text, text),'
				   ' pactoria.accept_invitation(text, text, text) TO %s', application_role);
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.enrol_totp(), pactoria.confirm_totp(text),'
				   ' pactoria.verify_totp(text, text), pactoria.use_backup_code(text, text),'
				   ' pactoria.regenerate_backup_codes(text), pactoria.mfa_status(), pactoria.disable_totp(text),'
				   ' pactoria.reset_totp(uuid) TO %s', application_role);
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.resume_session(text), pactoria.refresh_session(text),'
				   ' pactoria.end_session(text), pactoria.end_all_sessions(uuid) TO %s', application_role);
	-- resume_session()'s touch on Citus, run as the caller (33_touch_session.sql).
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.touch_session(uuid, text) TO %s', application_role);
	-- Searching runs as the owner with the tenant filter written out (23_search_contracts.sql).
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.search_contracts(text, integer) TO %s', application_role);
	-- Encrypted values, under the data keys of the tenant in context only (38_tenant_keys.sql).
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.encrypt(text, text), pactoria.decrypt(bytea, text) TO %s',
				   application_role);
	-- Subject access, for the person or an administrator (57_personal_data.sql).
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.export_personal_data(uuid), pactoria.erase_personal_data(uuid),'
				   ' pactoria.reveal_personal_values(jsonb, text) TO %s', application_role);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.grant_application_access(regrole) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.grant_application_access(regrole) IS
'Gives an application login role exactly what it needs: schema usage, the writes of an explicit list of tenant tables (under forced row-level security), SELECT and UPDATE of its own columns on companies, SELECT, INSERT and UPDATE of the columns of users that hold no secret and no login bookkeeping (never hashed_password or invitation_token), SELECT on the rest (never a write on audit_logs, audit_chain_heads, audit_checkpoints or contract_versions, no write on user_sessions, nothing on login_throttle, user_totp, user_backup_codes, tenant_keys or person_keys), EXECUTE on the identity API (sign_up, authenticate, set_password, unlock_user, invite_user, accept_invitation, resume_session, refresh_session, end_session, end_all_sessions, enrol_totp, confirm_totp, verify_totp, use_backup_code, regenerate_backup_codes, mfa_status, disable_totp, reset_totp) and on search_contracts(), encrypt(), decrypt(), export_personal_data(), erase_personal_data() and reveal_personal_values(), and touch_session() (internal: resume_session()''s touch on Citus), but not create_company(), set_context(), find_login() or find_session(). Refuses a role that is, or can become, a superuser, BYPASSRLS or owner. Idempotent: it first revokes what the role held, so call it again after ALTER EXTENSION UPDATE.';

-- Upgrading from 0.1.0: its application roles held create_company() and every
-- column of users (the hash included).  Take them; grant_application_access()
-- gives back what an application needs.  (Nothing to take on a fresh install.)
DO $$
DECLARE
	grant_row record;
BEGIN
	FOR grant_row IN
		SELECT DISTINCT a.grantee::regrole AS grantee
		FROM pg_catalog.pg_proc AS p, pg_catalog.aclexplode(p.proacl) AS a
		WHERE p.oid = 'pactoria.create_company(text, text, text, text, text, text, text, text, text)'::regprocedure
		  AND a.grantee <> 0 AND a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'
	LOOP
		EXECUTE format('REVOKE EXECUTE ON FUNCTION pactoria.create_company(text, text, text, text, text, text, text, text, text) FROM %s',
					   grant_row.grantee);
	END LOOP;
	FOR grant_row IN
		SELECT DISTINCT a.grantee::regrole AS grantee
		FROM pg_catalog.pg_class AS c, pg_catalog.aclexplode(c.relacl) AS a
		WHERE c.oid = 'pactoria.users'::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner
	LOOP
		EXECUTE format('REVOKE ALL ON pactoria.users FROM %s', grant_row.grantee);
	END LOOP;
END
$$;
