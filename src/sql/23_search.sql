
-- 23_search.sql: session clean-up (contract search: 23_search_contracts.sql);
-- also restated by the 0.1.0 -> 0.2.0 upgrade.

-- PL/pgSQL, not SQL: Citus cannot plan a SQL function's query with parameters.
CREATE OR REPLACE FUNCTION pactoria.cleanup_expired_sessions(as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	removed_count integer;
BEGIN
	-- A revoked session stays until its absolute expiry: its refresh token, presented
	-- again, must still be recognised (and revoke its family) until then.
	DELETE FROM pactoria.user_sessions
	WHERE expires_at OPERATOR(pg_catalog.<=) as_of OR status OPERATOR(pg_catalog.=) 'expired';
	GET DIAGNOSTICS removed_count = ROW_COUNT;
	RETURN removed_count;
END
$$;

COMMENT ON FUNCTION pactoria.cleanup_expired_sessions(timestamptz) IS
'Deletes sessions past their absolute expiry by as_of (default now), and those marked expired; returns how many. A revoked session is kept until its expiry, so that a reused refresh token is still detected. Sees only the current tenant''s sessions under row-level security; run it as the owner for all tenants.';
