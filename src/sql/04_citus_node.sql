------------------------------------------------------------------------------------
-- pactoria.on_citus_worker(): whether this database is a Citus worker's copy
-- (also made early by the 0.1.0 -> 0.2.0 upgrade, as the event triggers of
-- later files call it).
------------------------------------------------------------------------------------
-- The sql_drop event triggers do nothing on a worker: there a DROP is the
-- coordinator's, sent to the worker's copy, and the coordinator's own event
-- trigger forgets the dropped objects on every node.
CREATE OR REPLACE FUNCTION pactoria.on_citus_worker()
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	on_worker boolean;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'citus') THEN
		RETURN false;
	END IF;
	EXECUTE 'SELECT groupid OPERATOR(pg_catalog.<>) 0 FROM pg_catalog.pg_dist_local_group' INTO on_worker;
	RETURN coalesce(on_worker, false);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.on_citus_worker() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.on_citus_worker() IS
'Internal: true in a Citus worker''s copy of the database (pg_dist_local_group.groupid <> 0), false on a coordinator or without Citus.';
