
-- 36_identity_mfa.sql: the second factor -- TOTP (RFC 6238) and backup codes.
--
-- A user enrols (enrol_totp: the secret and an otpauth:// URI, shown once),
-- proves the authenticator app works (confirm_totp: ten backup codes, shown
-- once), and from then on authenticate() opens only an MFA-pending session:
-- resume_session() gives it no tenant, and verify_totp(session_token, code) or
-- use_backup_code(session_token, code) exchange it for a full session with new
-- tokens (the pending ones are revoked: a token seen before the second factor
-- never becomes a full session).
--
-- The TOTP secret is sealed with AES-256-GCM under the server key, bound to its
-- company and user (src/secret_seal.c), and opened only inside the C function
-- that checks a code (src/totp.c): no SQL function returns it after enrolment.
-- Each code is accepted once (the step it matched is kept; a code of that step
-- or an earlier one is refused).  Backup codes are 80 random bits, stored as
-- SHA-256, each spent once.  A wrong code counts towards the account's lock-out
-- like a wrong password, in a transaction of its own (attempt_login), and a
-- successful password does not clear the failures of the second factor: only
-- a successful second factor does.
--
-- This file is also the upgrade part src/sql/upgrade/0.1.0--0.2.0/90_identity_mfa.sql
-- (a link to it): everything here is new in 0.2.0.

------------------------------------------------------------------------------------
-- Tables.  The application role has no privilege on them (grant_application_access).
------------------------------------------------------------------------------------
CREATE TABLE pactoria.user_totp (
	company_id uuid NOT NULL,
	user_id uuid NOT NULL,
	sealed_secret bytea NOT NULL,
	confirmed_at timestamptz,
	last_used_step bigint NOT NULL DEFAULT -1,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT user_totp_pkey PRIMARY KEY (company_id, user_id),
	CONSTRAINT fk_user_totp_user FOREIGN KEY (company_id, user_id)
		REFERENCES pactoria.users (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_user_totp_sealed_secret CHECK (octet_length(sealed_secret) BETWEEN 33 + 16 AND 33 + 64),
	CONSTRAINT chk_user_totp_last_used_step CHECK (last_used_step >= -1)
);

COMMENT ON TABLE pactoria.user_totp IS
'A user''s TOTP secret, sealed (AES-256-GCM under the server key, bound to company and user); confirmed_at NULL while the enrolment waits for confirm_totp(). Written by pactoria''s MFA functions only; no privilege for the application.';
COMMENT ON COLUMN pactoria.user_totp.sealed_secret IS 'version || key id || nonce || ciphertext || tag: the 20-byte secret, never stored in clear.';
COMMENT ON COLUMN pactoria.user_totp.last_used_step IS 'The 30-second step of the last code accepted: a code of that step or an earlier one is refused (no replay).';

SELECT pg_catalog.pg_extension_config_dump('pactoria.user_totp', '');
SELECT pactoria.enable_tenant_isolation('pactoria.user_totp');

CREATE TABLE pactoria.user_backup_codes (
	company_id uuid NOT NULL,
	user_id uuid NOT NULL,
	code_hash bytea NOT NULL,
	used_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT user_backup_codes_pkey PRIMARY KEY (company_id, user_id, code_hash),
	CONSTRAINT fk_user_backup_codes_user FOREIGN KEY (company_id, user_id)
		REFERENCES pactoria.users (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_user_backup_codes_code_hash CHECK (octet_length(code_hash) = 32)
);

COMMENT ON TABLE pactoria.user_backup_codes IS
'A user''s single-use backup codes, as SHA-256 of their 16 characters; used_at set when spent. Written by pactoria''s MFA functions only; no privilege for the application.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.user_backup_codes', '');
SELECT pactoria.enable_tenant_isolation('pactoria.user_backup_codes');

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('mfa.issuer', '"Pactoria"',
	 'The issuer an authenticator app shows for pactoria''s TOTP entries (1 to 64 characters).'),
	('mfa.challenge_minutes', '10',
	 'Minutes (1 to 60) after authenticate() in which an MFA-pending session can be completed by verify_totp() or use_backup_code().');

------------------------------------------------------------------------------------
-- C: codes, sealing, text forms (src/totp.c).
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.totp_code(secret bytea, at timestamptz, digits integer DEFAULT 6)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_totp_code'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.totp_code(bytea, timestamptz, integer) IS
'The RFC 6238 code (HMAC-SHA1, 30-second steps, 6 to 8 digits) of a clear secret at a time, as an authenticator app computes it. For tests and tools: pactoria never hands a stored secret out.';

CREATE FUNCTION pactoria.seal_totp_secret(secret bytea, associated text)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_seal_totp_secret'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

REVOKE EXECUTE ON FUNCTION pactoria.seal_totp_secret(bytea, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.seal_totp_secret(bytea, text) IS
'A TOTP secret (16 to 64 bytes) sealed with AES-256-GCM under the server key, bound to the associated text. Internal.';

CREATE FUNCTION pactoria.totp_match(sealed bytea, associated text, code text, at timestamptz, after_step bigint)
RETURNS bigint
AS 'MODULE_PATHNAME', 'pactoria_totp_match'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

REVOKE EXECUTE ON FUNCTION pactoria.totp_match(bytea, text, text, timestamptz, bigint) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.totp_match(bytea, text, text, timestamptz, bigint) IS
'The 30-second step (at''s, or one either side) whose 6-digit code of the sealed secret is the code given, when later than after_step; NULL otherwise. 22000 for a value that does not open. Internal.';

CREATE FUNCTION pactoria.reseal_totp_secret(sealed bytea, associated text)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_reseal_totp_secret'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

REVOKE EXECUTE ON FUNCTION pactoria.reseal_totp_secret(bytea, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.reseal_totp_secret(bytea, text) IS
'A sealed secret sealed afresh under the current server key when it was sealed under the retired one; NULL when it already is. Internal.';

CREATE FUNCTION pactoria.base32_encode(data bytea)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_base32_encode'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.base32_encode(bytea) IS
'Unpadded RFC 4648 base32 (upper case) of at most 64 bytes: how authenticator apps take a TOTP secret.';

CREATE FUNCTION pactoria.base32_decode(encoded text)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_base32_decode'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.base32_decode(text) IS
'The bytes of unpadded RFC 4648 base32 (either case, at most 103 characters); 22023 for anything else. With totp_code(), what an authenticator app does with the secret of enrol_totp().';

CREATE FUNCTION pactoria.uri_escape(component text)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_uri_escape'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.uri_escape(text) IS
'Percent-encoding of a URI component (RFC 3986: unreserved characters kept, every other byte %XX), at most 1024 bytes.';

CREATE FUNCTION pactoria.backup_code_format(random bytea)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_backup_code_format'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

REVOKE EXECUTE ON FUNCTION pactoria.backup_code_format(bytea) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.backup_code_format(bytea) IS
'Ten random bytes as a backup code, ABCD-EFGH-IJKL-MNOP (base32). Internal.';

CREATE FUNCTION pactoria.backup_code_normalise(code text)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_backup_code_normalise'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.backup_code_normalise(text) IS
'A typed backup code (any case, dashes and spaces anywhere) as its 16 bare characters; NULL when it is not one.';

------------------------------------------------------------------------------------
-- Internal steps.
------------------------------------------------------------------------------------

-- What a TOTP secret is bound to: the sealed value opens only for its own user.
CREATE FUNCTION pactoria.totp_associated_data(company_id uuid, user_id uuid)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
RETURN 'pactoria totp ' || company_id::text || ' ' || user_id::text;

COMMENT ON FUNCTION pactoria.totp_associated_data(uuid, uuid) IS
'The associated data a user''s sealed TOTP secret is bound to. Internal.';

-- Replaces a user's backup codes by ten new ones, returned once.
CREATE FUNCTION pactoria.issue_backup_codes(company_id uuid, user_id uuid)
RETURNS SETOF text
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 10
AS $$
DECLARE
	code text;
BEGIN
	DELETE FROM pactoria.user_backup_codes AS b
	WHERE b.company_id = issue_backup_codes.company_id AND b.user_id = issue_backup_codes.user_id;
	FOR i IN 1 .. 10 LOOP
		code := pactoria.backup_code_format(pactoria.random_bytes(10));
		INSERT INTO pactoria.user_backup_codes (company_id, user_id, code_hash, created_at)
		VALUES (issue_backup_codes.company_id, issue_backup_codes.user_id,
				sha256(convert_to(pactoria.backup_code_normalise(code), 'UTF8')), pactoria.clock_now());
		RETURN NEXT code;
	END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.issue_backup_codes(uuid, uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.issue_backup_codes(uuid, uuid) IS
'Replaces a user''s backup codes by ten new ones (stored as SHA-256) and returns them, once. Internal.';

-- Ends a user's second factor (disable_totp, reset_totp).
CREATE FUNCTION pactoria.remove_second_factor(company_id uuid, user_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	DELETE FROM pactoria.user_totp AS t
	WHERE t.company_id = remove_second_factor.company_id AND t.user_id = remove_second_factor.user_id;
	DELETE FROM pactoria.user_backup_codes AS b
	WHERE b.company_id = remove_second_factor.company_id AND b.user_id = remove_second_factor.user_id;
	UPDATE pactoria.users AS u SET mfa_enabled = false
	WHERE u.company_id = remove_second_factor.company_id AND u.id = remove_second_factor.user_id;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.remove_second_factor(uuid, uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.remove_second_factor(uuid, uuid) IS
'Deletes a user''s TOTP secret and backup codes and clears users.mfa_enabled. Internal.';

-- The user's confirmed TOTP code checked and spent, or NULL: the step it matched.
CREATE FUNCTION pactoria.spend_totp_code(company_id uuid, user_id uuid, code text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	secret_row pactoria.user_totp;
	step bigint;
BEGIN
	SELECT t.* INTO secret_row FROM pactoria.user_totp AS t
	WHERE t.company_id = spend_totp_code.company_id AND t.user_id = spend_totp_code.user_id
	  AND t.confirmed_at IS NOT NULL
	FOR UPDATE;
	IF NOT FOUND OR code IS NULL OR octet_length(code) > 64 THEN
		RETURN NULL;
	END IF;
	step := pactoria.totp_match(secret_row.sealed_secret, pactoria.totp_associated_data(secret_row.company_id, secret_row.user_id),
								code, pactoria.clock_now(), secret_row.last_used_step);
	IF step IS NOT NULL THEN
		UPDATE pactoria.user_totp AS t SET last_used_step = step
		WHERE t.company_id = secret_row.company_id AND t.user_id = secret_row.user_id;
	END IF;
	RETURN step;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.spend_totp_code(uuid, uuid, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.spend_totp_code(uuid, uuid, text) IS
'Checks a code against a user''s confirmed TOTP secret, refusing a step already used; on a match records the step and returns it, else NULL. The secret row is locked, so two sessions cannot both spend one code. Internal.';

-- The second factor of an MFA-pending session: a TOTP code (method 'totp') or a
-- backup code (method 'backup_code').  On success the pending session is revoked
-- and a full one made; on failure the attempt counts towards lock-out.
CREATE FUNCTION pactoria.complete_second_factor(presented_token text, code text, method text,
	OUT new_session_token text, OUT new_refresh_token text, OUT new_expires_at timestamptz)
RETURNS record
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	found_session pactoria.user_sessions;
	account record;
	now_at timestamptz := pactoria.clock_now();
	matched boolean := false;
	codes_left integer;
BEGIN
	found_session := pactoria.find_active_session(presented_token, 'pct_s_', true);
	IF found_session.id IS NULL OR NOT found_session.mfa_pending
	   OR found_session.created_at <= now_at - pactoria.config_minutes('mfa.challenge_minutes', 1, 60) THEN
		PERFORM pactoria.refuse_session_token();
	END IF;
	SELECT u.email, u.locked_until INTO account FROM pactoria.users AS u
	WHERE u.company_id = found_session.company_id AND u.id = found_session.user_id;

	IF NOT coalesce(account.locked_until > now_at, false) THEN
		IF method = 'totp' THEN
			matched := pactoria.spend_totp_code(found_session.company_id, found_session.user_id, code) IS NOT NULL;
		ELSIF code IS NOT NULL AND octet_length(code) <= 64 THEN
			UPDATE pactoria.user_backup_codes AS b SET used_at = now_at
			WHERE b.company_id = found_session.company_id AND b.user_id = found_session.user_id
			  AND b.code_hash = sha256(convert_to(pactoria.backup_code_normalise(code), 'UTF8'))
			  AND b.used_at IS NULL;
			matched := FOUND;
		END IF;
	END IF;

	IF NOT matched THEN
		-- Counted (and perhaps locked) in a transaction of its own: the error
		-- below does not undo it.  A locked account is refused the same way.
		PERFORM pactoria.attempt_login('second_factor', account.email, NULL,
									   found_session.ip_address, found_session.user_agent);
		RAISE EXCEPTION 'second factor is not valid'
			USING ERRCODE = 'invalid_password',
				  DETAIL = 'The code is wrong, was used before, or the account cannot log in now.',
				  HINT = 'Enter the code the authenticator app shows now. Failures count towards the account''s lock-out.';
	END IF;

	UPDATE pactoria.user_sessions AS s
	SET status = 'revoked', revoked_at = now_at, revoke_reason = 'mfa_verified'
	WHERE s.company_id = found_session.company_id AND s.id = found_session.id;
	SELECT s.session_token, s.refresh_token, s.expires_at
	INTO new_session_token, new_refresh_token, new_expires_at
	FROM pactoria.create_session(found_session.company_id, found_session.user_id, false,
								 found_session.ip_address, found_session.user_agent) AS s;
	UPDATE pactoria.users AS u
	SET failed_login_attempts = 0, lockout_count = 0, locked_until = NULL
	WHERE u.company_id = found_session.company_id AND u.id = found_session.user_id
	  AND (u.failed_login_attempts > 0 OR u.lockout_count > 0 OR u.locked_until IS NOT NULL);
	IF method = 'totp' THEN
		PERFORM pactoria.log_identity_event(found_session.company_id, found_session.user_id, 'mfa_verified',
											found_session.user_id, jsonb_build_object('method', 'totp'));
	ELSE
		SELECT count(*) INTO codes_left FROM pactoria.user_backup_codes AS b
		WHERE b.company_id = found_session.company_id AND b.user_id = found_session.user_id AND b.used_at IS NULL;
		PERFORM pactoria.log_identity_event(found_session.company_id, found_session.user_id, 'backup_code_used',
											found_session.user_id, jsonb_build_object('backup_codes_left', codes_left));
	END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.complete_second_factor(text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.complete_second_factor(text, text, text) IS
'The body of verify_totp() and use_backup_code(). Internal.';

------------------------------------------------------------------------------------
-- The application's calls.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.enrol_totp()
RETURNS TABLE (secret text, otpauth_uri text)
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$
DECLARE
	acting record := pactoria.require_acting_user();
	raw_secret bytea := pactoria.random_bytes(20);
	issuer text := pactoria.get_config('mfa.issuer') #>> '{}';
	email text;
BEGIN
	IF issuer IS NULL OR length(issuer) NOT BETWEEN 1 AND 64 THEN
		RAISE EXCEPTION 'configuration value of "mfa.issuer" must be a string of 1 to 64 characters'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Correct it in pactoria.system_config.';
	END IF;
	IF EXISTS (SELECT FROM pactoria.user_totp AS t
			   WHERE t.company_id = acting.company_id AND t.user_id = acting.user_id AND t.confirmed_at IS NOT NULL) THEN
		RAISE EXCEPTION 'TOTP is already enabled for this user'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Call pactoria.disable_totp(password) first to enrol a new device.';
	END IF;
	SELECT u.email INTO email FROM pactoria.users AS u WHERE u.company_id = acting.company_id AND u.id = acting.user_id;
	INSERT INTO pactoria.user_totp AS t (company_id, user_id, sealed_secret, confirmed_at, last_used_step, created_at)
	VALUES (acting.company_id, acting.user_id,
			pactoria.seal_totp_secret(raw_secret, pactoria.totp_associated_data(acting.company_id, acting.user_id)),
			NULL, -1, pactoria.clock_now())
	ON CONFLICT ON CONSTRAINT user_totp_pkey DO UPDATE
	SET sealed_secret = excluded.sealed_secret, last_used_step = -1, created_at = excluded.created_at;
	secret := pactoria.base32_encode(raw_secret);
	otpauth_uri := format('otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6&period=30',
						  pactoria.uri_escape(issuer), pactoria.uri_escape(email), secret, pactoria.uri_escape(issuer));
	RETURN NEXT;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.enrol_totp() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.enrol_totp() IS
'Starts TOTP enrolment for the user in the tenant context: a new 160-bit secret, returned once in base32 and as an otpauth:// URI (for a QR code), stored only sealed. Enrolling again before confirm_totp() replaces the secret; once enabled: 55000.';

CREATE FUNCTION pactoria.confirm_totp(code text)
RETURNS SETOF text
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 10
AS $$
DECLARE
	acting record := pactoria.require_acting_user();
	secret_row pactoria.user_totp;
	step bigint;
BEGIN
	SELECT t.* INTO secret_row FROM pactoria.user_totp AS t
	WHERE t.company_id = acting.company_id AND t.user_id = acting.user_id
	FOR UPDATE;
	IF NOT FOUND OR secret_row.confirmed_at IS NOT NULL THEN
		RAISE EXCEPTION 'no TOTP enrolment is pending for this user'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Call pactoria.enrol_totp() first.';
	END IF;
	IF code IS NULL THEN
		RAISE EXCEPTION 'code must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF octet_length(code) <= 64 THEN
		step := pactoria.totp_match(secret_row.sealed_secret, pactoria.totp_associated_data(acting.company_id, acting.user_id),
									code, pactoria.clock_now(), -1);
	END IF;
	IF step IS NULL THEN
		RAISE EXCEPTION 'TOTP code is not valid'
			USING ERRCODE = 'invalid_authorization_specification',
				  HINT = 'Enter the 6-digit code the authenticator app shows now, and check the device''s clock.';
	END IF;
	UPDATE pactoria.user_totp AS t SET confirmed_at = pactoria.clock_now(), last_used_step = step
	WHERE t.company_id = acting.company_id AND t.user_id = acting.user_id;
	UPDATE pactoria.users AS u SET mfa_enabled = true
	WHERE u.company_id = acting.company_id AND u.id = acting.user_id;
	PERFORM pactoria.log_identity_event(acting.company_id, acting.user_id, 'mfa_enabled', acting.user_id,
										jsonb_build_object('method', 'totp'));
	RETURN QUERY SELECT c FROM pactoria.issue_backup_codes(acting.company_id, acting.user_id) AS c;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.confirm_totp(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.confirm_totp(text) IS
'Completes TOTP enrolment with a code from the authenticator app: from then on authenticate() opens MFA-pending sessions. Returns ten single-use backup codes, once. A wrong code: 28000; nothing pending: 55000.';

CREATE FUNCTION pactoria.verify_totp(session_token text, code text)
RETURNS TABLE (session_token text, refresh_token text, expires_at timestamptz)
LANGUAGE sql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$ SELECT * FROM pactoria.complete_second_factor($1, $2, 'totp') $$;

REVOKE EXECUTE ON FUNCTION pactoria.verify_totp(text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.verify_totp(text, text) IS
'Completes a login that needs its second factor: with a current TOTP code (each accepted once), the MFA-pending session is revoked and a full one returned (new session and refresh tokens). A wrong or reused code: 28P01, counted towards lock-out; a token that is not a pending session of the last mfa.challenge_minutes: 28000.';

CREATE FUNCTION pactoria.use_backup_code(session_token text, code text)
RETURNS TABLE (session_token text, refresh_token text, expires_at timestamptz)
LANGUAGE sql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$ SELECT * FROM pactoria.complete_second_factor($1, $2, 'backup_code') $$;

REVOKE EXECUTE ON FUNCTION pactoria.use_backup_code(text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.use_backup_code(text, text) IS
'As verify_totp(), with one of the user''s backup codes instead of a TOTP code; the code is spent.';

CREATE FUNCTION pactoria.regenerate_backup_codes(code text)
RETURNS SETOF text
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 10
AS $$
DECLARE
	acting record := pactoria.require_acting_user();
BEGIN
	IF pactoria.spend_totp_code(acting.company_id, acting.user_id, code) IS NULL THEN
		RAISE EXCEPTION 'TOTP code is not valid'
			USING ERRCODE = 'invalid_authorization_specification',
				  HINT = 'Enter a current code of the authenticator app; TOTP must be enabled.';
	END IF;
	RETURN QUERY SELECT c FROM pactoria.issue_backup_codes(acting.company_id, acting.user_id) AS c;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.regenerate_backup_codes(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.regenerate_backup_codes(text) IS
'Replaces the backup codes of the user in the tenant context by ten new ones, returned once; needs a current TOTP code (28000 otherwise).';

CREATE FUNCTION pactoria.mfa_status()
RETURNS TABLE (enabled boolean, enrolment_pending boolean, backup_codes_left integer)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$
DECLARE
	acting record := pactoria.require_acting_user();
BEGIN
	SELECT u.mfa_enabled INTO enabled FROM pactoria.users AS u
	WHERE u.company_id = acting.company_id AND u.id = acting.user_id;
	enrolment_pending := EXISTS (SELECT FROM pactoria.user_totp AS t
								 WHERE t.company_id = acting.company_id AND t.user_id = acting.user_id
								   AND t.confirmed_at IS NULL);
	SELECT count(*) INTO backup_codes_left FROM pactoria.user_backup_codes AS b
	WHERE b.company_id = acting.company_id AND b.user_id = acting.user_id AND b.used_at IS NULL;
	RETURN NEXT;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.mfa_status() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.mfa_status() IS
'For the user in the tenant context: whether TOTP is enabled, whether an enrolment waits for confirm_totp(), and how many backup codes are unspent.';

CREATE FUNCTION pactoria.disable_totp(password text)
RETURNS void
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	acting record := pactoria.require_acting_user();
	email text;
	decision record;
BEGIN
	IF NOT EXISTS (SELECT FROM pactoria.user_totp AS t WHERE t.company_id = acting.company_id AND t.user_id = acting.user_id) THEN
		RAISE EXCEPTION 'TOTP is not enabled for this user'
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	SELECT u.email INTO email FROM pactoria.users AS u WHERE u.company_id = acting.company_id AND u.id = acting.user_id;
	IF password IS NOT NULL AND octet_length(password) <= 1024 THEN
		decision := pactoria.attempt_login('reauthenticate', email, password, NULL, NULL);
	END IF;
	-- No attempt for a NULL or oversize password: the same answer as a wrong one.
	IF password IS NULL OR octet_length(password) > 1024 OR decision.outcome IS DISTINCT FROM 'ok' THEN
		RAISE EXCEPTION 'password is not valid'
			USING ERRCODE = 'invalid_password',
				  HINT = 'Failures count towards the account''s lock-out.';
	END IF;
	PERFORM pactoria.remove_second_factor(acting.company_id, acting.user_id);
	PERFORM pactoria.log_identity_event(acting.company_id, acting.user_id, 'mfa_disabled', acting.user_id);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.disable_totp(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.disable_totp(text) IS
'Turns off the second factor of the user in the tenant context (or abandons a pending enrolment): the password is checked as a login attempt is (28P01; a failure counts towards lock-out); the secret and the backup codes are deleted.';

CREATE FUNCTION pactoria.reset_totp(user_id uuid)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	acting record := pactoria.require_administrator_of(reset_totp.user_id, 'reset a user''s second factor');
BEGIN
	-- One's own second factor goes only with one's password (disable_totp): a stolen
	-- administrator's session must not be able to strip its MFA.
	IF reset_totp.user_id = acting.user_id THEN
		RAISE EXCEPTION 'an administrator cannot reset their own second factor'
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Use pactoria.disable_totp(password), or ask another administrator.';
	END IF;
	PERFORM pactoria.remove_second_factor(acting.company_id, reset_totp.user_id);
	PERFORM pactoria.log_identity_event(acting.company_id, acting.user_id, 'mfa_reset', reset_totp.user_id);
	RETURN pactoria.revoke_user_sessions(acting.company_id, reset_totp.user_id, 'administrator',
										 pactoria.context_session_id());
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.reset_totp(uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.reset_totp(uuid) IS
'By an administrator, for another user of the company who lost their device (one''s own: disable_totp(password), 42501): deletes the user''s TOTP secret and backup codes (they log in with the password alone and can enrol again) and ends their sessions (but the caller''s own); returns how many. Audited as mfa_reset.';

------------------------------------------------------------------------------------
-- For the owner: after a server key rotation (pactoria.retired_key_file set to
-- the old key), move every sealed secret to the current key; then the retired
-- key can be removed.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.reseal_totp_secrets()
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	resealed integer;
BEGIN
	WITH fresh AS (
		SELECT t.company_id, t.user_id,
			   pactoria.reseal_totp_secret(t.sealed_secret, pactoria.totp_associated_data(t.company_id, t.user_id)) AS sealed
		FROM pactoria.user_totp AS t
	)
	UPDATE pactoria.user_totp AS t SET sealed_secret = fresh.sealed
	FROM fresh
	WHERE t.company_id = fresh.company_id AND t.user_id = fresh.user_id AND fresh.sealed IS NOT NULL;
	GET DIAGNOSTICS resealed = ROW_COUNT;
	RETURN resealed;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.reseal_totp_secrets() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.reseal_totp_secrets() IS
'For the owner, after rotating the server key: reseals every TOTP secret sealed under the retired key with the current one; returns how many. Run it, then drop pactoria.retired_key_file.';
