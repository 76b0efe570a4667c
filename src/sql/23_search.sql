
-- 23_search.sql: session clean-up (contract search: 23_search_contracts.sql).

CREATE FUNCTION pactoria.cleanup_expired_sessions(as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
BEGIN ATOMIC
	-- A revoked session stays until its absolute expiry: its refresh token, presented
	-- again, must still be recognised (and revoke its family) until then.
	WITH removed AS (
		DELETE FROM pactoria.user_sessions
		WHERE expires_at <= as_of OR status = 'expired'
		RETURNING 1
	)
	SELECT count(*)::integer FROM removed;
END;

COMMENT ON FUNCTION pactoria.cleanup_expired_sessions(timestamptz) IS
'Deletes sessions past their absolute expiry by as_of (default now), and those marked expired; returns how many. A revoked session is kept until its expiry, so that a reused refresh token is still detected. Sees only the current tenant''s sessions under row-level security; run it as the owner for all tenants.';
