------------------------------------------------------------------------------------
-- Partition maintenance: a registered table that is dropped is forgotten with it
-- (the event trigger is made in 40_partitions.sql; also restated by the 0.1.0 ->
-- 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- SECURITY DEFINER: the user dropping a table need not be able to write
-- partition_config.  On a Citus worker it does nothing: there a DROP is the
-- coordinator's, sent to the worker's copy of the table (a distributed
-- partition that retention drops, say), partition_config is a reference table
-- whose rows the coordinator's own event trigger deletes on every node, and
-- the regclass values it holds are the coordinator's oids, not the worker's.
-- A DELETE of a reference table there is a distributed query, which Citus
-- refuses inside the coordinator's command and which would abort the
-- coordinator's transaction.
CREATE OR REPLACE FUNCTION pactoria.forget_dropped_partitioned_tables()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	dropped oid[];
BEGIN
	IF pactoria.on_citus_worker() THEN
		RETURN;
	END IF;
	-- The dropped tables first, then the DELETE by value: Citus sends a DELETE
	-- of a reference table to every node, where pg_event_trigger_dropped_objects()
	-- cannot be called.
	SELECT array_agg(d.objid) INTO dropped
	FROM pg_event_trigger_dropped_objects() AS d
	WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0;
	IF EXISTS (SELECT 1 FROM pactoria.partition_config AS c WHERE c.parent_table::oid = ANY (dropped)) THEN
		DELETE FROM pactoria.partition_config AS c WHERE c.parent_table::oid = ANY (dropped);
	END IF;
END
$$;

COMMENT ON FUNCTION pactoria.forget_dropped_partitioned_tables() IS
'sql_drop event trigger: removes the partition_config rows of dropped tables (on a Citus worker: nothing, the coordinator does).';

REVOKE EXECUTE ON FUNCTION pactoria.forget_dropped_partitioned_tables() FROM PUBLIC;
