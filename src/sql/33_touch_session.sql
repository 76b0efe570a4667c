
------------------------------------------------------------------------------------
-- touch_session(): resume_session()'s "last used" write on a Citus cluster (also
-- made by the 0.1.0 -> 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- On one server resume_session() moves last_activity itself, as the owner of
-- user_sessions.  On Citus that UPDATE, over a connection of the owner, would leave
-- the tenant's shards changed by another user than the caller, and Citus then
-- refuses the caller's own statements on them in that transaction.  So there
-- resume_session() calls this function as the caller, with the signed context it
-- has just made; distribute_tables() makes it a distributed function
-- (force_delegation, colocated with user_sessions by company_id), which Citus runs
-- on the node of the shard over the caller's connection, where it updates the local
-- shard as the owner.  Setting pactoria.context verifies the signature there (the
-- server key is on every node), so only a holder of a context signed for a session
-- can touch it, and only that session, at that node's clock.
CREATE FUNCTION pactoria.touch_session(company_id uuid, signed_context text)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	PERFORM pg_catalog.set_config('pactoria.context', touch_session.signed_context, true);
	UPDATE pactoria.user_sessions AS s SET last_activity = pactoria.clock_now()
	WHERE s.company_id OPERATOR(pg_catalog.=) touch_session.company_id
	  AND s.id OPERATOR(pg_catalog.=) pactoria.context_session_id()
	  AND s.status OPERATOR(pg_catalog.=) 'active'
	  AND s.last_activity OPERATOR(pg_catalog.<) pactoria.clock_now();
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.touch_session(uuid, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.touch_session(uuid, text) IS
'Internal, for resume_session() on Citus: verifies the signed context given and moves last_activity of the active session it names, on the node of its shard (a distributed function). Executable by application roles (grant_application_access()).';
