
-- 70_identity_sessions.sql: the upgrade half of src/sql/32_identity_sessions.sql (the
-- server key, the identity clock, the signed tenant context and login sessions):
-- the same objects, in the same order, so that an updated catalog equals a fresh
-- one; user_sessions is altered, never re-created.  Then the privileges of
-- src/sql/30_tenancy.sql: set_context(), clear_context(), find_login() and
-- find_session() are taken from every role but the owner (0.1.0's
-- grant_application_access() granted them to application roles; a trusted
-- service role gets set_context() back with grant_service_access()), and
-- grant_application_access() grants the session API instead.

------------------------------------------------------------------------------------
-- The server key (src/server_key.c): read from the file named by pactoria.key_file.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.server_key_status()
RETURNS TABLE (which text, configured boolean, problem text)
AS 'MODULE_PATHNAME', 'pactoria_server_key_status'
LANGUAGE C VOLATILE PARALLEL RESTRICTED
ROWS 2;

REVOKE EXECUTE ON FUNCTION pactoria.server_key_status() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.server_key_status() IS
'For the current (pactoria.key_file) and the retired (pactoria.retired_key_file) server key: whether it is configured and usable, and if not why. Never the key itself. For the owner.';

CREATE FUNCTION pactoria.constant_time_equal(a bytea, b bytea)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_constant_time_equal'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.constant_time_equal(bytea, bytea) IS
'Whether two byte strings are equal, compared in a time that depends only on their length (for token digests).';

------------------------------------------------------------------------------------
-- The identity clock: now() plus the superuser-only pactoria.test_clock_offset.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.clock_now()
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'pactoria_clock_now_sql'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.clock_now() IS
'The time every identity timeout is measured against: now() plus the superuser-only setting pactoria.test_clock_offset (empty in production), so that tests can let sessions expire.';

CREATE FUNCTION pactoria.random_bytes(n integer)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_random_bytes'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

REVOKE EXECUTE ON FUNCTION pactoria.random_bytes(integer) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.random_bytes(integer) IS
'n (1 to 1024) bytes from pg_strong_random(): the secrets of session and refresh tokens.';

------------------------------------------------------------------------------------
-- The signed tenant context (src/tenant_context.c): pactoria.context.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.context_session_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'pactoria_context_session_id'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.context_session_id() IS
'The session of the signed tenant context set in this transaction (pactoria.resume_session()), also while it waits for MFA; NULL without one.';

CREATE FUNCTION pactoria.context_mfa_pending()
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_context_mfa_pending'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.context_mfa_pending() IS
'Whether the signed tenant context set in this transaction waits for MFA (it then gives no tenant access); NULL without one.';

CREATE FUNCTION pactoria.sign_context(company_id uuid, user_id uuid, session_id uuid, expires_at timestamptz, mfa_pending boolean)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_sign_context'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

REVOKE EXECUTE ON FUNCTION pactoria.sign_context(uuid, uuid, uuid, timestamptz, boolean) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.sign_context(uuid, uuid, uuid, timestamptz, boolean) IS
'A value for pactoria.context, signed with (a key derived from) the current server key, as resume_session() signs it; for the owner only (tools and tests).';

------------------------------------------------------------------------------------
-- Configuration.
------------------------------------------------------------------------------------
INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('session.idle_timeout', '30',
	 'Minutes (1 to 1440) a session may go unused before it ends; resume_session() and refresh_session() count as use.'),
	('session.absolute_lifetime', '720',
	 'Minutes (1 to 43200) a login session and the sessions refreshed from it last at most, used or not.');

-- A configured number of minutes, checked against its bounds.
CREATE FUNCTION pactoria.config_minutes(config_key text, lowest integer, highest integer)
RETURNS interval
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	minutes numeric := pactoria.get_config(config_key)::text::numeric;
BEGIN
	IF minutes IS NULL OR minutes <> trunc(minutes) OR minutes NOT BETWEEN lowest AND highest THEN
		RAISE EXCEPTION 'configuration value of "%" must be a whole number of minutes from % to %', config_key, lowest, highest
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Correct it in pactoria.system_config.';
	END IF;
	RETURN pg_catalog.make_interval(mins => minutes::integer);
END
$$;

COMMENT ON FUNCTION pactoria.config_minutes(text, integer, integer) IS
'A configuration key holding a whole number of minutes, as an interval; an error (55000) when it is out of its bounds.';

------------------------------------------------------------------------------------
-- Sessions.  A token is a selector and a verifier: 'pct_s_' (session) or 'pct_r_'
-- (refresh) and base64url of company_id (16 bytes) || session id (16) || secret
-- (32 random bytes).  Only SHA-256 of each secret is stored.  A lookup is by the
-- primary key (one shard on Citus), then a constant-time comparison of the digest.
-- A refresh makes a new session of the same family and revokes the old one; a
-- refresh token presented again revokes the whole family.
------------------------------------------------------------------------------------
ALTER TABLE pactoria.user_sessions
	ADD COLUMN family_id uuid,
	ADD COLUMN refresh_token_hash bytea,
	ADD COLUMN mfa_pending boolean NOT NULL DEFAULT false,
	ADD COLUMN revoked_at timestamptz,
	ADD COLUMN revoke_reason text,
	ADD CONSTRAINT chk_user_sessions_refresh_token_hash CHECK (octet_length(refresh_token_hash) = 32),
	ADD CONSTRAINT chk_user_sessions_revoke_reason CHECK (revoke_reason IN
		('logout', 'logout_all', 'refreshed', 'refresh_reuse', 'password_changed', 'mfa_verified', 'administrator',
		 'deactivated')),
	ADD CONSTRAINT chk_user_sessions_revoked CHECK (revoke_reason IS NULL OR (status = 'revoked' AND revoked_at IS NOT NULL));

CREATE INDEX idx_user_sessions_company_id_family_id ON pactoria.user_sessions (company_id, family_id);

COMMENT ON COLUMN pactoria.user_sessions.token_hash IS 'SHA-256 of the secret of the session token (pct_s_...); the token is never stored.';
COMMENT ON COLUMN pactoria.user_sessions.refresh_token_hash IS 'SHA-256 of the secret of the refresh token (pct_r_...); kept after a refresh, to detect reuse.';
COMMENT ON COLUMN pactoria.user_sessions.family_id IS 'The first session of the login this one was refreshed from (its own id for a login); a reused refresh token revokes the family.';
COMMENT ON COLUMN pactoria.user_sessions.mfa_pending IS 'The login still needs its second factor: the session gives no tenant access until verify_totp().';
COMMENT ON COLUMN pactoria.user_sessions.expires_at IS 'Absolute end of the session (session.absolute_lifetime after the login, kept by refreshes); the idle timeout counts from last_activity.';

-- A token's parts; all NULL when it is not a well-formed token with that prefix.
CREATE FUNCTION pactoria.parse_session_token(token text, prefix text,
	OUT company_id uuid, OUT session_id uuid, OUT secret_hash bytea)
RETURNS record
AS 'MODULE_PATHNAME', 'pactoria_parse_session_token'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

REVOKE EXECUTE ON FUNCTION pactoria.parse_session_token(text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.parse_session_token(text, text) IS
'The company, session and SHA-256 of the secret of a session (pct_s_) or refresh (pct_r_) token; all NULL for anything else. Internal.';

CREATE FUNCTION pactoria.make_session_token(prefix text, company_id uuid, session_id uuid, secret bytea)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
RETURN prefix || rtrim(translate(encode(decode(replace(company_id::text, '-', ''), 'hex')
									  || decode(replace(session_id::text, '-', ''), 'hex') || secret, 'base64'),
								 E'+/\n', '-_'), '=');

REVOKE EXECUTE ON FUNCTION pactoria.make_session_token(text, uuid, uuid, bytea) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.make_session_token(text, uuid, uuid, bytea) IS
'The text of a token: prefix and base64url (no padding) of company_id, session id and secret. Internal.';

-- The one answer to any token that does not open a session.
CREATE FUNCTION pactoria.refuse_session_token()
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'session is not valid'
		USING ERRCODE = 'invalid_authorization_specification',
			  HINT = 'Log in again.';
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.refuse_session_token() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.refuse_session_token() IS
'Raises the one error (28000 "session is not valid") for an unknown, malformed, expired or revoked token. Internal.';

CREATE FUNCTION pactoria.create_session(company_id uuid, user_id uuid, mfa_pending boolean DEFAULT false,
	client_ip inet DEFAULT NULL, user_agent text DEFAULT NULL)
RETURNS TABLE (session_token text, refresh_token text, expires_at timestamptz)
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$
DECLARE
	new_id uuid := pactoria.uuid_generate_v7();
	secret bytea := pactoria.random_bytes(32);
	refresh_secret bytea := pactoria.random_bytes(32);
	started timestamptz := pactoria.clock_now();
BEGIN
	IF create_session.company_id IS NULL OR create_session.user_id IS NULL OR create_session.mfa_pending IS NULL THEN
		RAISE EXCEPTION '% must not be NULL',
			CASE WHEN create_session.company_id IS NULL THEN 'company_id'
				 WHEN create_session.user_id IS NULL THEN 'user_id' ELSE 'mfa_pending' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM FROM pactoria.users AS u JOIN pactoria.companies AS c ON c.id = u.company_id
	WHERE u.company_id = create_session.company_id AND u.id = create_session.user_id
	  AND u.is_active AND c.is_active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % is not an active user of an active company %', create_session.user_id, create_session.company_id
			USING ERRCODE = 'invalid_authorization_specification';
	END IF;
	expires_at := started + pactoria.config_minutes('session.absolute_lifetime', 1, 43200);
	INSERT INTO pactoria.user_sessions AS s
		(company_id, id, user_id, token_hash, refresh_token_hash, family_id, mfa_pending, status,
		 expires_at, ip_address, user_agent, last_activity, created_at)
	VALUES (create_session.company_id, new_id, create_session.user_id, sha256(secret), sha256(refresh_secret), new_id,
			create_session.mfa_pending, 'active', create_session.expires_at, client_ip,
			left(create_session.user_agent, 1000), started, started);
	session_token := pactoria.make_session_token('pct_s_', create_session.company_id, new_id, secret);
	refresh_token := pactoria.make_session_token('pct_r_', create_session.company_id, new_id, refresh_secret);
	RETURN NEXT;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.create_session(uuid, uuid, boolean, inet, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.create_session(uuid, uuid, boolean, inet, text) IS
'A new login session for an active user of an active company: its session and refresh tokens (returned once, stored as SHA-256) and its absolute expiry. For the owner (authenticate() calls it), never granted to the application.';

-- The active session a token names, locked when for_update; NULL when there is none.
CREATE FUNCTION pactoria.find_active_session(token text, prefix text, for_update boolean,
	idle interval DEFAULT pactoria.config_minutes('session.idle_timeout', 1, 1440))
RETURNS pactoria.user_sessions
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	parts record;
	found_session pactoria.user_sessions;
	now_at timestamptz := pactoria.clock_now();
BEGIN
	parts := pactoria.parse_session_token(token, prefix);
	IF parts.company_id IS NULL THEN
		RETURN NULL;
	END IF;
	-- resume_session() reads without a row lock: locking writes the row every request.
	IF for_update THEN
		SELECT s.* INTO found_session FROM pactoria.user_sessions AS s
		WHERE s.company_id = parts.company_id AND s.id = parts.session_id
		FOR UPDATE;
	ELSE
		SELECT s.* INTO found_session FROM pactoria.user_sessions AS s
		WHERE s.company_id = parts.company_id AND s.id = parts.session_id;
	END IF;
	IF NOT FOUND
	   -- A session without a refresh digest (made before 0.2.0) has no refresh token.
	   OR NOT coalesce(pactoria.constant_time_equal(CASE prefix WHEN 'pct_r_' THEN found_session.refresh_token_hash
															ELSE found_session.token_hash END, parts.secret_hash), false)
	   OR found_session.status <> 'active'
	   OR found_session.expires_at <= now_at
	   OR found_session.last_activity + idle <= now_at
	   OR NOT EXISTS (SELECT FROM pactoria.users AS u JOIN pactoria.companies AS c ON c.id = u.company_id
					  WHERE u.company_id = found_session.company_id AND u.id = found_session.user_id
						AND u.is_active AND c.is_active) THEN
		RETURN NULL;
	END IF;
	RETURN found_session;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.find_active_session(text, text, boolean, interval) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.find_active_session(text, text, boolean, interval) IS
'The session a token names when the token is well formed and its secret matches, the session active, within its lifetime and idle timeout, its user and company active; locked FOR UPDATE when for_update. NULL otherwise. Internal.';

-- In C (src/session_resume.c), called on every request: one prepared primary-key
-- lookup of the session, run as the owner of user_sessions (the idle timeout is
-- cached; a deactivated user's or company's sessions are revoked by a trigger);
-- last_activity written at most once a minute.  Not SECURITY
-- DEFINER: the C switches to the owner only around its own, fully qualified
-- statements.
CREATE FUNCTION pactoria.resume_session(session_token text)
RETURNS TABLE (company_id uuid, user_id uuid, mfa_required boolean)
AS 'MODULE_PATHNAME', 'pactoria_resume_session'
LANGUAGE C VOLATILE
ROWS 1;

REVOKE EXECUTE ON FUNCTION pactoria.resume_session(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.resume_session(text) IS
'The application''s way into a tenant: verifies a session token and sets the signed tenant context (pactoria.context) for the current transaction only; returns the company, the user and whether MFA is still required (then no tenant access). Any token that does not open a session: 28000 "session is not valid".';

-- The body of refresh_session(), whose argument and result column share a name.
CREATE FUNCTION pactoria.rotate_session(presented_token text,
	OUT new_session_token text, OUT new_refresh_token text, OUT new_expires_at timestamptz)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$
DECLARE
	parts record;
	old_session pactoria.user_sessions;
	new_id uuid := pactoria.uuid_generate_v7();
	secret bytea := pactoria.random_bytes(32);
	refresh_secret bytea := pactoria.random_bytes(32);
	now_at timestamptz := pactoria.clock_now();
BEGIN
	old_session := pactoria.find_active_session(presented_token, 'pct_r_', true);
	IF old_session.id IS NULL THEN
		-- A refresh token of a session already refreshed: someone else holds a copy.
		parts := pactoria.parse_session_token(presented_token, 'pct_r_');
		IF parts.company_id IS NOT NULL THEN
			SELECT s.* INTO old_session FROM pactoria.user_sessions AS s
			WHERE s.company_id = parts.company_id AND s.id = parts.session_id;
			IF FOUND AND old_session.revoke_reason = 'refreshed' AND old_session.family_id IS NOT NULL
			   AND coalesce(pactoria.constant_time_equal(old_session.refresh_token_hash, parts.secret_hash), false) THEN
				UPDATE pactoria.user_sessions AS s
				SET status = 'revoked', revoked_at = now_at, revoke_reason = 'refresh_reuse'
				WHERE s.company_id = old_session.company_id AND s.family_id = old_session.family_id
				  AND s.status = 'active';
				-- No error: an error would roll the revocation back with it.
				RAISE WARNING 'refresh token presented a second time: every session of its login is revoked'
					USING ERRCODE = 'invalid_authorization_specification',
						  HINT = 'Log in again.';
				RETURN;
			END IF;
		END IF;
		PERFORM pactoria.refuse_session_token();
	END IF;

	UPDATE pactoria.user_sessions AS s
	SET status = 'revoked', revoked_at = now_at, revoke_reason = 'refreshed'
	WHERE s.company_id = old_session.company_id AND s.id = old_session.id;
	INSERT INTO pactoria.user_sessions
		(company_id, id, user_id, token_hash, refresh_token_hash, family_id, mfa_pending, status,
		 expires_at, ip_address, user_agent, last_activity, created_at)
	VALUES (old_session.company_id, new_id, old_session.user_id, sha256(secret), sha256(refresh_secret),
			coalesce(old_session.family_id, old_session.id), old_session.mfa_pending, 'active',
			old_session.expires_at, old_session.ip_address, old_session.user_agent, now_at, now_at);
	new_session_token := pactoria.make_session_token('pct_s_', old_session.company_id, new_id, secret);
	new_refresh_token := pactoria.make_session_token('pct_r_', old_session.company_id, new_id, refresh_secret);
	new_expires_at := old_session.expires_at;
	RETURN NEXT;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.rotate_session(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.rotate_session(text) IS
'The rotation of pactoria.refresh_session(). Internal.';

CREATE FUNCTION pactoria.refresh_session(refresh_token text)
RETURNS TABLE (session_token text, refresh_token text, expires_at timestamptz)
LANGUAGE sql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$ SELECT * FROM pactoria.rotate_session($1) $$;

REVOKE EXECUTE ON FUNCTION pactoria.refresh_session(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.refresh_session(text) IS
'Rotates both tokens of a session: a new session of the same login (same absolute expiry), the old one revoked. A refresh token presented a second time revokes every session of its login and returns no row, with a WARNING (an error would undo the revocation); any other bad token: 28000 "session is not valid".';

CREATE FUNCTION pactoria.end_session(session_token text)
RETURNS void
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	found_session pactoria.user_sessions;
BEGIN
	found_session := pactoria.find_active_session(session_token, 'pct_s_', true);
	IF found_session.id IS NULL THEN
		PERFORM pactoria.refuse_session_token();
	END IF;
	UPDATE pactoria.user_sessions AS s
	SET status = 'revoked', revoked_at = pactoria.clock_now(), revoke_reason = 'logout'
	WHERE s.company_id = found_session.company_id AND s.id = found_session.id;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.end_session(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.end_session(text) IS
'Logout: revokes the session of a session token (its refresh token with it). A tenant context already signed for it stays valid until it expires (at most 5 minutes). Bad token: 28000.';

-- Revokes a user's active sessions, but one; the number revoked. For the owner
-- (set_password() ends a user's other sessions through it).
CREATE FUNCTION pactoria.revoke_user_sessions(company_id uuid, user_id uuid, reason text, except_session_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	revoked integer;
BEGIN
	UPDATE pactoria.user_sessions AS s
	SET status = 'revoked', revoked_at = pactoria.clock_now(), revoke_reason = reason
	WHERE s.company_id = revoke_user_sessions.company_id AND s.user_id = revoke_user_sessions.user_id
	  AND s.status = 'active' AND s.id IS DISTINCT FROM except_session_id;
	GET DIAGNOSTICS revoked = ROW_COUNT;
	RETURN revoked;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.revoke_user_sessions(uuid, uuid, text, uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.revoke_user_sessions(uuid, uuid, text, uuid) IS
'Revokes every active session of a user but except_session_id, giving the reason; returns how many. For the owner (end_all_sessions(), set_password()).';

-- Deactivating a user or a company ends its sessions (reason 'deactivated'): a
-- session never outlives its account, so resume_session() reads the session row
-- alone.  Activating the account again does not revive them.
CREATE FUNCTION pactoria.end_sessions_of_deactivated()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_end_sessions_of_deactivated'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.end_sessions_of_deactivated() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.end_sessions_of_deactivated() IS
'AFTER UPDATE OF is_active row trigger of users and companies: a user or company made inactive has its active sessions revoked (reason deactivated), for the tenant in context only.';

CREATE TRIGGER trg_users_end_sessions_of_deactivated
	AFTER UPDATE OF is_active ON pactoria.users
	FOR EACH ROW WHEN (OLD.is_active AND NOT NEW.is_active)
	EXECUTE FUNCTION pactoria.end_sessions_of_deactivated();

CREATE TRIGGER trg_companies_end_sessions_of_deactivated
	AFTER UPDATE OF is_active ON pactoria.companies
	FOR EACH ROW WHEN (OLD.is_active AND NOT NEW.is_active)
	EXECUTE FUNCTION pactoria.end_sessions_of_deactivated();

-- Sessions of users and companies already inactive end now (0.1.0 kept them).
UPDATE pactoria.user_sessions AS s
SET status = 'revoked', revoked_at = pactoria.clock_now(), revoke_reason = 'deactivated'
WHERE s.status = 'active'
  AND NOT EXISTS (SELECT FROM pactoria.users AS u JOIN pactoria.companies AS c ON c.id = u.company_id
				  WHERE u.company_id = s.company_id AND u.id = s.user_id AND u.is_active AND c.is_active);

CREATE FUNCTION pactoria.end_all_sessions(user_id uuid)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	acting_company uuid := pactoria.current_company_id();
	acting_user uuid := pactoria.current_user_id();
BEGIN
	IF end_all_sessions.user_id IS NULL THEN
		RAISE EXCEPTION 'user_id must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF acting_company IS NULL OR acting_user IS NULL THEN
		RAISE EXCEPTION 'no tenant context is set'
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Call pactoria.resume_session(session_token) in this transaction first.';
	END IF;
	IF end_all_sessions.user_id <> acting_user
	   AND NOT EXISTS (SELECT FROM pactoria.users AS u
					   WHERE u.company_id = acting_company AND u.id = acting_user AND u.role = 'admin' AND u.is_active) THEN
		RAISE EXCEPTION 'only the user or an administrator of the company may end a user''s sessions'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT EXISTS (SELECT FROM pactoria.users AS u
				   WHERE u.company_id = acting_company AND u.id = end_all_sessions.user_id) THEN
		RAISE EXCEPTION 'user % is not a user of this company', end_all_sessions.user_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN pactoria.revoke_user_sessions(acting_company, end_all_sessions.user_id,
		CASE WHEN end_all_sessions.user_id = acting_user THEN 'logout_all' ELSE 'administrator' END);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.end_all_sessions(uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.end_all_sessions(uuid) IS
'Logs a user out everywhere: revokes every active session of the user, of the company in the tenant context; by the user or an administrator of that company (else 42501). Returns how many sessions were ended.';

------------------------------------------------------------------------------------
-- A trusted service role: one that may name its tenant with set_context().
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.grant_service_access(service_role regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF service_role IS NULL THEN
		RAISE EXCEPTION 'service role must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	EXECUTE format('GRANT USAGE ON SCHEMA pactoria TO %s', service_role);
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.set_context(uuid, uuid, boolean), pactoria.clear_context() TO %s',
				   service_role);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.grant_service_access(regrole) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.grant_service_access(regrole) IS
'Lets a TRUSTED service role (a back-office job, never a role untrusted SQL reaches) enter any tenant with pactoria.set_context(company_id, user_id) and leave it with clear_context(). The application role enters a tenant only through resume_session().';

------------------------------------------------------------------------------------
-- Privileges (src/sql/30_tenancy.sql).
------------------------------------------------------------------------------------
DO $$
DECLARE
	grant_row record;
BEGIN
	FOR grant_row IN
		SELECT DISTINCT p.oid::regprocedure AS function_name, a.grantee::regrole AS grantee
		FROM pg_catalog.pg_proc AS p, pg_catalog.aclexplode(p.proacl) AS a
		WHERE p.oid IN ('pactoria.set_context(uuid, uuid, boolean)'::regprocedure, 'pactoria.clear_context()'::regprocedure,
						'pactoria.find_login(text)'::regprocedure, 'pactoria.find_session(bytea)'::regprocedure)
		  AND a.grantee <> 0 AND a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'
	LOOP
		EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM %s', grant_row.function_name, grant_row.grantee);
	END LOOP;
END
$$;

-- 0.1.0's application roles could write user_sessions; the updated
-- grant_application_access() grants no write on it and no digest column.
DO $$
DECLARE
	grantee_role regrole;
BEGIN
	FOR grantee_role IN
		SELECT DISTINCT a.grantee::regrole
		FROM pg_catalog.pg_class AS c, pg_catalog.aclexplode(c.relacl) AS a
		WHERE c.oid = 'pactoria.user_sessions'::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner
	LOOP
		EXECUTE format('REVOKE ALL ON pactoria.user_sessions FROM %s', grantee_role);
	END LOOP;
END
$$;

-- The audit trail redacts the refresh token digest too (src/sql/50_audit.sql).
UPDATE pactoria.system_config_defaults
SET description = 'Columns the audit trail logs as "[redacted]", per table ("schema.table") or for every table ("*"); hashed_password, token_hash, refresh_token_hash, invitation_token and any column whose name contains "encrypted" always are.'
WHERE key = 'audit.redacted_columns';

CREATE OR REPLACE FUNCTION pactoria.audit_columns(table_name regclass)
RETURNS TABLE (attribute_number smallint, column_name name, treatment text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
BEGIN ATOMIC
	WITH settings AS (
		SELECT pactoria.get_config('audit.ignored_columns') AS ignored,
			   pactoria.get_config('audit.redacted_columns') AS redacted,
			   pactoria.get_config('audit.personal_columns') AS personal,
			   (SELECT format('%I.%I', n.nspname, c.relname)
				FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
				WHERE c.oid = audit_columns.table_name) AS qualified_name
	)
	SELECT a.attnum, a.attname,
		   CASE
			   WHEN a.attgenerated <> '' THEN 'ignored'
			   WHEN coalesce(s.ignored -> '*', '[]') ? a.attname
					OR coalesce(s.ignored -> s.qualified_name, '[]') ? a.attname THEN 'ignored'
			   WHEN a.attname IN ('hashed_password', 'token_hash', 'refresh_token_hash', 'invitation_token')
					OR a.attname LIKE '%encrypted%' THEN 'redacted'
			   WHEN coalesce(s.redacted -> '*', '[]') ? a.attname
					OR coalesce(s.redacted -> s.qualified_name, '[]') ? a.attname THEN 'redacted'
			   WHEN coalesce(s.personal -> '*', '[]') ? a.attname
					OR coalesce(s.personal -> s.qualified_name, '[]') ? a.attname THEN 'personal'
			   ELSE 'logged'
		   END
	FROM pg_attribute AS a, settings AS s
	WHERE a.attrelid = audit_columns.table_name AND a.attnum > 0 AND NOT a.attisdropped
	ORDER BY a.attnum;
END;

-- set_context() and clear_context(): 99_set_context.sql (31_set_context.sql).

-- cleanup_expired_sessions() of 0.1.0 deleted revoked sessions at once, which made a
-- reused refresh token look unknown instead of revoking its family.
-- Restated by 99_cleanup_expired_sessions.sql (23_search.sql).
