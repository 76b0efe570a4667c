
-- 40_partitions.sql: range-partition maintenance and the system_metrics table.
--
-- Any table partitioned by RANGE on one timestamptz, timestamp or date column can be
-- registered (pactoria.register_partitioned_table); pactoria.run_maintenance() then
-- keeps it: partitions made `premake` intervals ahead, rows that reached the DEFAULT
-- partition moved into partitions made for them, and retention applied by each
-- partition's real bounds.  Everything it decides comes from the bounds PostgreSQL
-- itself holds (pactoria.partition_bounds, in C), never from partition names.
--
-- Install and pg_dump (both found by experiment, see test/integration/40_*):
--  * CREATE EXTENSION makes only the parents and their DEFAULT partitions (extension
--    members; each default is marked for pg_dump so its rows are kept).  Every dated
--    partition is an ordinary table made by maintenance, so pg_dump writes it with
--    its DDL and data and a restore on any later date recreates it exactly.  A dated
--    partition made by the install script cannot be restored: as an extension member
--    its rows are dumped by table name, and the restoring CREATE EXTENSION (run in
--    another month) makes other tables, so the rows are lost; made an ordinary table
--    instead, it collides with the one the restoring CREATE EXTENSION makes.  Until
--    the first run of maintenance (the background worker runs one as soon as it
--    starts) rows land in the DEFAULT partition and maintenance moves them out.
--  * The extension's own partitioned tables carry no index or key on the parent:
--    their DEFAULT partition does, and every partition is made LIKE the DEFAULT
--    partition INCLUDING INDEXES.  With an index on an extension-made parent, the
--    restore's ATTACH PARTITION builds each partition's index and pg_dump's own
--    CREATE INDEX / ADD PRIMARY KEY for it then fails ("multiple primary keys").
--    For a user's table, whose parent indexes are dumped, ATTACH adopts the copies.
--
-- Partition boundaries are computed in UTC (for a timestamptz key) whatever the
-- session's TimeZone, so every run, from any session, computes the same ones.

------------------------------------------------------------------------------------
-- Reading and computing bounds.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.partition_bounds(parent regclass)
RETURNS TABLE (partition_table regclass, is_default boolean, lower_bound timestamp, upper_bound timestamp)
AS 'MODULE_PATHNAME', 'pactoria_partition_bounds'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 100;

COMMENT ON FUNCTION pactoria.partition_bounds(regclass) IS
'Partitions of a table partitioned by range on one timestamptz, timestamp or date column, in bound order, with their real bounds as timestamps (UTC for a timestamptz key; NULL for MINVALUE/MAXVALUE), then the default partition; errors for any other table.';

-- Start of the partition-sized slot holding a timestamp: days start at midnight,
-- weeks on Monday (ISO), months on the 1st, and an n-month interval at a month
-- whose number from January is a multiple of n (quarters, half-years, years).
CREATE FUNCTION pactoria.partition_interval_start(value timestamp, partition_interval interval)
RETURNS timestamp
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
	WHEN extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval) > 0 THEN
		date_trunc('year', value)
		+ ((extract(month FROM value)::integer - 1)
		   / (extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval))::integer
		   * (extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval))::integer)
		  * interval '1 month'
	WHEN extract(day FROM partition_interval) = 7 THEN date_trunc('week', value)
	ELSE date_trunc('day', value)
END;

COMMENT ON FUNCTION pactoria.partition_interval_start(timestamp, interval) IS
'Start of the partition holding a value for a partition interval: midnight for 1 day, Monday for 1 week, the 1st of the month (of January for 12 months, of the quarter for 3) for month intervals.';

-- The text of a bound for FOR VALUES FROM (...) TO (...): explicit UTC offset for
-- timestamptz, so that it does not depend on the session's TimeZone or DateStyle.
CREATE FUNCTION pactoria.partition_bound_literal(bound timestamp, key_type regtype)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
	WHEN key_type = 'pg_catalog.date'::regtype THEN to_char(bound, 'YYYY-MM-DD')
	ELSE to_char(bound, 'YYYY-MM-DD HH24:MI:SS')
		 || CASE WHEN date_trunc('second', bound) <> bound THEN to_char(bound, '.US') ELSE '' END
		 || CASE WHEN key_type = 'pg_catalog.timestamptz'::regtype THEN '+00' ELSE '' END
END;

COMMENT ON FUNCTION pactoria.partition_bound_literal(timestamp, regtype) IS
'Internal: a partition bound as the literal for FOR VALUES of a key of the given type (timestamptz bounds in UTC with an explicit +00).';

-- A free name for a new partition: the parent's name (shortened when needed so the
-- name stays under 63 bytes) plus the suffix, then _2, _3 ... if the name is taken.
CREATE FUNCTION pactoria.choose_partition_name(parent regclass, suffix text)
RETURNS name
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	parent_name text;
	parent_schema oid;
	ending text;
	candidate text;
BEGIN
	SELECT relname, relnamespace INTO parent_name, parent_schema FROM pg_class WHERE oid = parent;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'relation with OID % does not exist', parent::oid USING ERRCODE = 'undefined_table';
	END IF;
	-- The suffix (with room for _1000) must leave at least one byte of the parent's name.
	IF octet_length(suffix) NOT BETWEEN 1 AND 40 THEN
		RAISE EXCEPTION 'partition name suffix has % bytes, not 1 to 40', octet_length(suffix)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('The suffix was "%s".', pactoria.quote_prefix(suffix));
	END IF;
	FOR attempt IN 1..1000 LOOP
		ending := suffix || CASE WHEN attempt > 1 THEN '_' || attempt ELSE '' END;
		candidate := parent_name;
		-- Each pass removes one character, and the loop ends at the empty string.
		WHILE candidate <> '' AND octet_length(candidate || ending) > 60 LOOP
			candidate := left(candidate, -1);
		END LOOP;
		IF candidate <> parent_name THEN
			candidate := rtrim(candidate, '_');
		END IF;
		candidate := candidate || ending;
		IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = candidate AND relnamespace = parent_schema) THEN
			RETURN candidate;
		END IF;
	END LOOP;
	RAISE EXCEPTION 'no free name for a new partition of table %', parent
		USING ERRCODE = 'duplicate_table',
			  DETAIL = format('Names %s ... %s are all taken.', parent_name || suffix, candidate);
END
$$;

COMMENT ON FUNCTION pactoria.choose_partition_name(regclass, text) IS
'Internal: an unused table name in the parent''s schema made of the parent''s name and a suffix, under 63 bytes.';

CREATE FUNCTION pactoria.belongs_to_extension(relation regclass)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN EXISTS (
	SELECT 1
	FROM pg_catalog.pg_depend AS d
	JOIN pg_catalog.pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'pactoria'
	WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = relation
	  AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e');

CREATE FUNCTION pactoria.call_before_removal(function regprocedure, partition regclass)
RETURNS void
AS 'MODULE_PATHNAME', 'pactoria_call_before_removal'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION pactoria.call_before_removal(regprocedure, regclass) IS
'Internal: calls a before-removal function f(partition regclass) with the privileges of the partition''s owner, in a security-restricted operation (as VACUUM runs index functions).';

REVOKE EXECUTE ON FUNCTION pactoria.call_before_removal(regprocedure, regclass) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.belongs_to_extension(regclass) IS
'Internal: whether a table is a member of the pactoria extension (made by its install script).';

------------------------------------------------------------------------------------
-- Settings.
------------------------------------------------------------------------------------

-- The one check of a set of maintenance settings (used by the CHECK constraint of
-- partition_config, by register_partitioned_table and for the partition.* keys of
-- system_config): returns true or raises an error saying what is wrong.
CREATE FUNCTION pactoria.check_partition_settings(partition_interval interval, premake integer,
												  retention interval, retention_action text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	months numeric := extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval);
	days numeric := extract(day FROM partition_interval);
BEGIN
	IF partition_interval IS NULL THEN
		RAISE EXCEPTION 'partition interval must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF date_trunc('day', partition_interval) <> partition_interval
	   OR NOT ((months IN (1, 2, 3, 4, 6, 12) AND days = 0) OR (months = 0 AND days IN (1, 7))) THEN
		RAISE EXCEPTION 'invalid partition interval "%"', partition_interval
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A partition covers 1 day, 1 week, or 1, 2, 3, 4, 6 or 12 months.';
	END IF;
	IF premake IS NULL THEN
		RAISE EXCEPTION 'premake must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF premake NOT BETWEEN 0 AND 1000 THEN
		RAISE EXCEPTION 'invalid premake %', premake
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'premake is how many partitions are made ahead of the current one: 0 to 1000.';
	END IF;
	IF retention <= interval '0' THEN
		RAISE EXCEPTION 'invalid retention "%"', retention
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Retention is a positive interval, or NULL to keep every partition.';
	END IF;
	IF retention_action IS NULL OR retention_action NOT IN ('drop', 'detach') THEN
		RAISE EXCEPTION 'invalid retention action "%"', pactoria.quote_prefix(coalesce(retention_action, 'NULL'))
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A partition past retention is either dropped (drop) or detached and kept as a table (detach).';
	END IF;
	RETURN true;
END
$$;

COMMENT ON FUNCTION pactoria.check_partition_settings(interval, integer, interval, text) IS
'Checks partition maintenance settings: interval of 1 day, 1 week or 1/2/3/4/6/12 months, premake 0-1000, positive or NULL retention, action drop or detach; returns true or raises invalid_parameter_value.';

CREATE TABLE pactoria.partition_config (
	parent_table regclass NOT NULL,
	partition_interval interval NOT NULL DEFAULT '1 month',
	premake integer NOT NULL DEFAULT 3,
	retention interval,
	retention_action text NOT NULL DEFAULT 'drop',
	before_removal text,
	registered_by_extension boolean NOT NULL DEFAULT false,
	last_run_at timestamptz,
	last_run_outcome jsonb,
	CONSTRAINT partition_config_pkey PRIMARY KEY (parent_table),
	CONSTRAINT chk_partition_config_settings
		CHECK (pactoria.check_partition_settings(partition_interval, premake, retention, retention_action)),
	CONSTRAINT chk_partition_config_before_removal CHECK (length(before_removal) <= 1000),
	CONSTRAINT chk_partition_config_last_run_outcome CHECK (jsonb_typeof(last_run_outcome) = 'object')
);

COMMENT ON TABLE pactoria.partition_config IS
'One row per range-partitioned table kept by pactoria.run_maintenance(): partition interval, premake, retention and what it does, the function called before a partition is removed, and the last run''s time and outcome.';
COMMENT ON COLUMN pactoria.partition_config.premake IS 'How many partitions exist ahead of the one holding the present moment.';
COMMENT ON COLUMN pactoria.partition_config.retention IS
'A partition whose upper bound is at least this long before the run''s time leaves; NULL keeps every partition.';
COMMENT ON COLUMN pactoria.partition_config.before_removal IS
'Function f(partition regclass) RETURNS void, schema-qualified, called just before retention detaches or drops a partition; if it raises, the partition stays.';
COMMENT ON COLUMN pactoria.partition_config.registered_by_extension IS
'The parent belongs to the extension: its row is made by CREATE EXTENSION (so it is not dumped) and its premake and retention come from the partition.<table>.* keys of system_config.';
COMMENT ON COLUMN pactoria.partition_config.last_run_outcome IS
'Counts of the last run by action: created, rows_moved (rows), detached, dropped, skipped.';

-- Rows the extension registers are re-made by CREATE EXTENSION on restore.
SELECT pg_catalog.pg_extension_config_dump('pactoria.partition_config', 'WHERE NOT registered_by_extension');

-- The settings in force for each registered table.  For a table of the extension
-- (registered_by_extension) the system_config keys partition.<table>.premake,
-- partition.<table>.retention (an interval, or "forever") and
-- partition.<table>.retention_action win over the registration's values, so a
-- deployment's changes survive pg_dump; for other tables the registration holds.
CREATE VIEW pactoria.partition_settings
WITH (security_invoker = true) AS
SELECT c.parent_table,
	   c.partition_interval,
	   coalesce((k.settings ->> 'premake')::integer, c.premake) AS premake,
	   CASE WHEN k.settings ? 'retention' THEN nullif(k.settings ->> 'retention', 'forever')::interval
			ELSE c.retention END AS retention,
	   coalesce(k.settings ->> 'retention_action', c.retention_action) AS retention_action,
	   c.before_removal,
	   c.registered_by_extension
FROM pactoria.partition_config AS c
JOIN pg_catalog.pg_class AS r ON r.oid = c.parent_table
LEFT JOIN LATERAL (
	SELECT jsonb_object_agg(split_part(e.key, '.', 3), e.value) AS settings
	FROM pactoria.effective_config AS e
	WHERE c.registered_by_extension
	  AND e.key IN ('partition.' || r.relname || '.premake', 'partition.' || r.relname || '.retention',
					'partition.' || r.relname || '.retention_action')
) AS k ON true;

COMMENT ON VIEW pactoria.partition_settings IS
'Maintenance settings in force for each registered table: the registration, overridden for the extension''s own tables by the system_config keys partition.<table>.premake, .retention and .retention_action.';

-- A value set for a partition.<table>.<setting> key must be usable.
CREATE FUNCTION pactoria.check_partition_config_setting()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	setting text := split_part(NEW.key, '.', 3);
	text_value text := NEW.value #>> '{}';
	retention interval;
BEGIN
	IF NEW.key IN ('partition.max_future_partitions', 'partition.max_past_partitions') THEN
		IF jsonb_typeof(NEW.value) <> 'number' OR NEW.value::numeric <> trunc(NEW.value::numeric)
		   OR NEW.value::numeric NOT BETWEEN 0 AND 1000 THEN
			RAISE EXCEPTION 'invalid value % for "%"', pactoria.quote_prefix(NEW.value::text), NEW.key
				USING ERRCODE = 'invalid_parameter_value', DETAIL = 'The value is a whole number of partitions from 0 to 1000.';
		END IF;
	ELSIF setting = 'premake' THEN
		IF jsonb_typeof(NEW.value) <> 'number' OR NEW.value::numeric <> trunc(NEW.value::numeric)
		   OR NEW.value::numeric NOT BETWEEN -2147483648 AND 2147483647 THEN
			RAISE EXCEPTION 'invalid premake % for "%"', pactoria.quote_prefix(NEW.value::text), NEW.key
				USING ERRCODE = 'invalid_parameter_value', DETAIL = 'premake is a whole number from 0 to 1000.';
		END IF;
		PERFORM pactoria.check_partition_settings('1 month', NEW.value::integer, NULL, 'drop');
	ELSIF setting = 'retention' THEN
		IF text_value IS DISTINCT FROM 'forever' THEN
			BEGIN
				retention := text_value::interval;
			EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
				RAISE EXCEPTION 'invalid retention % for "%"', pactoria.quote_prefix(NEW.value::text), NEW.key
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = 'Retention is an interval such as "25 months", or "forever".';
			END;
			IF retention IS NULL THEN
				RAISE EXCEPTION 'invalid retention % for "%"', pactoria.quote_prefix(NEW.value::text), NEW.key
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = 'Retention is an interval such as "25 months", or "forever".';
			END IF;
			PERFORM pactoria.check_partition_settings('1 month', 0, retention, 'drop');
		END IF;
	ELSIF setting = 'retention_action' THEN
		PERFORM pactoria.check_partition_settings('1 month', 0, NULL, text_value);
	END IF;
	RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.check_partition_config_setting() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.check_partition_config_setting() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_config for partition.* keys: premake, retention and retention_action values must be valid maintenance settings.';

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('partition.max_future_partitions', '12',
	 'How many partitions beyond premake run_maintenance() may make for rows dated ahead; rows dated later stay in the default partition (reported skipped).'),
	('partition.max_past_partitions', '120',
	 'How many partitions back from the current one run_maintenance() may make for old rows (then removed by retention if past it); older rows stay in the default partition (reported skipped).');

CREATE TRIGGER trg_system_config_check_partition_setting
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW WHEN (NEW.key LIKE 'partition.%' AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_partition_config_setting();

------------------------------------------------------------------------------------
-- Registering a table.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.register_partitioned_table(parent regclass,
													 partition_interval interval DEFAULT '1 month',
													 premake integer DEFAULT 3,
													 retention interval DEFAULT NULL,
													 retention_action text DEFAULT 'drop',
													 before_removal regprocedure DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	parent_schema name;
	parent_owner oid;
	by_extension boolean;
	default_partition regclass;
	hook text;
BEGIN
	IF parent IS NULL THEN
		RAISE EXCEPTION 'table to register must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT n.nspname, c.relowner INTO parent_schema, parent_owner
	FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
	WHERE c.oid = parent;
	IF NOT pg_has_role(current_user, parent_owner, 'USAGE') THEN
		RAISE EXCEPTION 'must be owner of table % to register it for partition maintenance', parent
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	-- Raises unless parent is partitioned by range on one timestamptz/timestamp/date column.
	PERFORM pactoria.partition_bounds(parent);
	PERFORM pactoria.check_partition_settings(register_partitioned_table.partition_interval,
											  register_partitioned_table.premake,
											  register_partitioned_table.retention,
											  register_partitioned_table.retention_action);
	IF register_partitioned_table.before_removal IS NOT NULL THEN
		SELECT format('%I.%I(regclass)', n.nspname, p.proname) INTO hook
		FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
		WHERE p.oid = register_partitioned_table.before_removal
		  AND p.prokind = 'f' AND p.pronargs = 1 AND p.proargtypes[0] = 'pg_catalog.regclass'::regtype
		  AND p.prorettype = 'pg_catalog.void'::regtype;
		IF hook IS NULL THEN
			RAISE EXCEPTION 'function % cannot be called before a partition is removed', register_partitioned_table.before_removal
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'The function must take one argument of type regclass (the partition) and return void.';
		END IF;
	END IF;

	by_extension := pactoria.belongs_to_extension(parent);
	IF by_extension AND EXISTS (SELECT 1 FROM pactoria.partition_config AS c WHERE c.parent_table = parent) THEN
		RAISE EXCEPTION 'table % is registered by the extension', parent
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = 'Its registration is made by CREATE EXTENSION and is not kept by pg_dump.',
				  HINT = format('Change its settings with the keys partition.%s.premake, .retention and .retention_action in pactoria.system_config.',
								(SELECT relname FROM pg_class WHERE oid = parent));
	END IF;

	IF by_extension AND EXISTS (SELECT 1 FROM pg_index WHERE indrelid = parent) THEN
		RAISE EXCEPTION 'partitioned table % of the extension must not have indexes', parent
			USING ERRCODE = 'invalid_table_definition',
				  DETAIL = 'pg_restore could not restore its partitions: the restore''s ATTACH PARTITION builds their indexes before pg_dump''s CREATE INDEX for them.',
				  HINT = 'Put the keys and indexes on its DEFAULT partition, the template of every partition maintenance makes.';
	END IF;

	-- A DEFAULT partition, so that an insert never fails for want of a partition.
	SELECT b.partition_table INTO default_partition
	FROM pactoria.partition_bounds(parent) AS b WHERE b.is_default;
	IF default_partition IS NULL THEN
		EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT',
					   parent_schema, pactoria.choose_partition_name(parent, '_default'), parent);
		SELECT b.partition_table INTO STRICT default_partition
		FROM pactoria.partition_bounds(parent) AS b WHERE b.is_default;
		IF (SELECT relowner FROM pg_class WHERE oid = default_partition) <> parent_owner THEN
			EXECUTE format('ALTER TABLE %s OWNER TO %s', default_partition, parent_owner::regrole);
		END IF;
	END IF;
	-- Made by the install script, the default partition is an extension member: mark
	-- it so pg_dump keeps its rows.
	IF pactoria.belongs_to_extension(default_partition)
	   AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pactoria' AND default_partition = ANY (extconfig)) THEN
		PERFORM pg_catalog.pg_extension_config_dump(default_partition, '');
	END IF;

	INSERT INTO pactoria.partition_config AS c
		(parent_table, partition_interval, premake, retention, retention_action, before_removal, registered_by_extension)
	VALUES (parent, register_partitioned_table.partition_interval, register_partitioned_table.premake,
			register_partitioned_table.retention, register_partitioned_table.retention_action, hook, by_extension)
	ON CONFLICT ON CONSTRAINT partition_config_pkey DO UPDATE
		SET partition_interval = EXCLUDED.partition_interval, premake = EXCLUDED.premake,
			retention = EXCLUDED.retention, retention_action = EXCLUDED.retention_action,
			before_removal = EXCLUDED.before_removal;
END
$$;

COMMENT ON FUNCTION pactoria.register_partitioned_table(regclass, interval, integer, interval, text, regprocedure) IS
'Puts a table partitioned by range on one timestamptz, timestamp or date column under pactoria.run_maintenance(): checks it, makes its DEFAULT partition if it has none, and records (or, called again, changes) its interval, premake, retention, retention action and before-removal function.';

REVOKE EXECUTE ON FUNCTION pactoria.register_partitioned_table(regclass, interval, integer, interval, text, regprocedure) FROM PUBLIC;

CREATE FUNCTION pactoria.unregister_partitioned_table(parent regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	by_extension boolean;
BEGIN
	SELECT c.registered_by_extension INTO by_extension
	FROM pactoria.partition_config AS c WHERE c.parent_table = parent;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'table % is not registered for partition maintenance', coalesce(parent::text, 'NULL')
			USING ERRCODE = 'undefined_object';
	END IF;
	IF by_extension THEN
		RAISE EXCEPTION 'table % is registered by the extension and cannot be unregistered', parent
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Set its retention to "forever" in pactoria.system_config to keep every partition.';
	END IF;
	DELETE FROM pactoria.partition_config AS c WHERE c.parent_table = parent;
END
$$;

COMMENT ON FUNCTION pactoria.unregister_partitioned_table(regclass) IS
'Stops partition maintenance of a table registered with register_partitioned_table; its partitions stay as they are.';

REVOKE EXECUTE ON FUNCTION pactoria.unregister_partitioned_table(regclass) FROM PUBLIC;

-- A registered table that is dropped is forgotten with it
-- (pactoria.forget_dropped_partitioned_tables(), 39_forget_dropped_tables.sql).
CREATE EVENT TRIGGER pactoria_forget_dropped_partitioned_tables ON sql_drop
	WHEN TAG IN ('DROP TABLE', 'DROP SCHEMA', 'DROP OWNED')
	EXECUTE FUNCTION pactoria.forget_dropped_partitioned_tables();

------------------------------------------------------------------------------------
-- Maintenance.
------------------------------------------------------------------------------------

-- Why a step of maintenance was skipped, from the error that stopped it.
CREATE FUNCTION pactoria.maintenance_skip_reason(error_message text, error_state text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN error_state = '55P03'
			THEN 'a lock it needs is held by another transaction (lock_timeout 100ms)'
			ELSE format('%s (SQLSTATE %s)', error_message, error_state) END;

COMMENT ON FUNCTION pactoria.maintenance_skip_reason(text, text) IS
'Internal: the reason run_maintenance() reports for a skipped step, from the error that stopped it (a lock timeout, or the error itself).';

-- For each registered table (or only p_parent), as of p_now:
--   1. partitions for the interval holding p_now and `premake` more ahead, and for
--      each interval holding rows in the DEFAULT partition, a partition made for
--      them and the rows moved into it (so a run after months without one makes the
--      partitions of the months that received rows; a month without rows needs
--      none: a row that comes later goes to the DEFAULT partition and is moved by the
--      next run).
--      Only ranges no partition covers are made, so existing irregular partitions
--      are respected.  A new partition is made as a standalone table, filled with
--      its rows from the default partition (in batches, triggers off: the rows are
--      moved, not changed), then attached; all under a SHARE lock on the parent
--      alone, so writers wait for it (milliseconds) and readers do not.
--   2. retention: each partition whose real upper bound is at or before
--      p_now - retention is detached or dropped, after its before_removal function.
-- Each step runs in a subtransaction under lock_timeout = 100ms: a step that cannot
-- get its locks (or fails) is undone, reported as 'skipped' and tried again at the
-- next run; the application waits for no more than that plus the step itself.  Creation comes
-- before removal.  One run at a time per database (advisory lock); nothing on a
-- standby.
--
-- The work is done by pactoria.maintenance_steps(), whose report has one more column:
-- rows_moved, the rows a step moved, as a number (0 but for a rows_moved step), which
-- the background worker (src/partition_worker.c) adds up instead of reading it back out
-- of the detail text.  run_maintenance() is its report without that column.  Whoever
-- may execute run_maintenance() may run maintenance_steps() (it checks that first), so
-- a role granted run_maintenance() needs no second grant; it runs as its caller too.
CREATE FUNCTION pactoria.maintenance_steps(p_parent regclass, p_now timestamptz)
RETURNS TABLE (parent_table regclass, partition_name text, action text, detail text, rows_moved bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
SET lock_timeout = '100ms'
AS $$
#variable_conflict use_column
DECLARE
	batch_size constant integer := 10000;
	parent regclass;
	settings record;
	parent_schema name;
	parent_owner oid;
	parent_tablespace name;
	key_column name;
	key_type regtype;
	key_as_utc text;
	column_list text;
	default_partition regclass;
	default_name text;
	now_utc timestamp := p_now AT TIME ZONE 'UTC';
	current_start timestamp;
	cutoff timestamp;
	covered tsmultirange;
	slots_with_rows timestamp[];
	stuck_rows bigint;
	piece record;
	old record;
	new_name name;
	lower_literal text;
	upper_literal text;
	has_rows boolean;
	moved bigint;
	batch bigint;
	replication_role text;
	max_future_partitions integer;
	max_past_partitions integer;
	window_start timestamp;
	window_end timestamp;
	early_slots timestamp[];
	late_slots timestamp[];
	created_count integer;
	moved_count bigint;
	detached_count integer;
	dropped_count integer;
	skipped_count integer;
BEGIN
	IF NOT has_function_privilege('pactoria.run_maintenance(regclass, timestamptz)', 'EXECUTE') THEN
		RAISE EXCEPTION 'permission denied for function run_maintenance'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'pactoria.maintenance_steps() runs for a role that may execute pactoria.run_maintenance().';
	END IF;
	max_future_partitions := (pactoria.get_config('partition.max_future_partitions') #>> '{}')::integer;
	max_past_partitions := (pactoria.get_config('partition.max_past_partitions') #>> '{}')::integer;
	rows_moved := 0;
	IF p_now IS NULL OR NOT isfinite(p_now) THEN
		RAISE EXCEPTION 'maintenance time must be a finite timestamp, not %', coalesce(p_now::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pactoria.partition_config AS c WHERE c.parent_table = p_parent) THEN
		RAISE EXCEPTION 'table % is not registered for partition maintenance', p_parent
			USING ERRCODE = 'undefined_object',
				  HINT = 'Register it with pactoria.register_partitioned_table().';
	END IF;
	IF pg_is_in_recovery() THEN
		parent_table := p_parent;
		action := 'skipped';
		detail := 'The server is a standby (in recovery): maintenance runs on the primary, whose partitions reach the standby by replication.';
		RETURN NEXT;
		RETURN;
	END IF;
	IF NOT pg_try_advisory_xact_lock(hashtext('pactoria.run_maintenance')) THEN
		parent_table := p_parent;
		action := 'skipped';
		detail := 'Another run of pactoria.run_maintenance() is in progress in this database; this run did nothing.';
		RETURN NEXT;
		RETURN;
	END IF;

	FOR parent IN
		SELECT c.parent_table FROM pactoria.partition_config AS c
		WHERE p_parent IS NULL OR c.parent_table = p_parent
		ORDER BY c.parent_table::text
	LOOP
		created_count := 0;
		moved_count := 0;
		detached_count := 0;
		dropped_count := 0;
		skipped_count := 0;
		parent_table := parent;

		-- What the table is, what it has and what it needs.
		BEGIN
			SELECT * INTO STRICT settings FROM pactoria.partition_settings AS s WHERE s.parent_table = parent;
			SELECT n.nspname, c.relowner, t.spcname INTO STRICT parent_schema, parent_owner, parent_tablespace
			FROM pg_class AS c
			JOIN pg_namespace AS n ON n.oid = c.relnamespace
			LEFT JOIN pg_tablespace AS t ON t.oid = c.reltablespace
			WHERE c.oid = parent;
			SELECT coalesce(range_agg(tsrange(b.lower_bound, b.upper_bound)) FILTER (WHERE NOT b.is_default), '{}'),
				   (array_agg(b.partition_table) FILTER (WHERE b.is_default))[1]
			INTO STRICT covered, default_partition
			FROM pactoria.partition_bounds(parent) AS b;
			SELECT a.attname, a.atttypid::regtype INTO STRICT key_column, key_type
			FROM pg_partitioned_table AS p
			JOIN pg_attribute AS a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
			WHERE p.partrelid = parent;
			SELECT format('%I.%I', n.nspname, c.relname) INTO default_name
			FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
			WHERE c.oid = default_partition;
			key_as_utc := CASE key_type
				WHEN 'timestamptz'::regtype THEN format('(%I AT TIME ZONE ''UTC'')', key_column)
				WHEN 'date'::regtype THEN format('%I::timestamp', key_column)
				ELSE quote_ident(key_column) END;
			SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO column_list
			FROM pg_attribute AS a
			WHERE a.attrelid = parent AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';

			current_start := pactoria.partition_interval_start(now_utc, settings.partition_interval);
			cutoff := now_utc - settings.retention;
			slots_with_rows := NULL;
			stuck_rows := 0;
			IF default_partition IS NOT NULL THEN
				EXECUTE format('SELECT array_agg(DISTINCT pactoria.partition_interval_start(%1$s, $1)) FILTER (WHERE isfinite(%2$I)),'
							   ' count(*) FILTER (WHERE %2$I IS NULL OR NOT isfinite(%2$I)) FROM %3$s',
							   key_as_utc, key_column, default_partition)
					INTO slots_with_rows, stuck_rows USING settings.partition_interval;
			END IF;
			-- The window partitions are made for: from max_past_partitions intervals back
			-- to max_future_partitions
			-- intervals beyond premake.  Rows dated outside it stay in the default partition.
			window_end := current_start + (settings.premake + 1 + max_future_partitions) * settings.partition_interval;
			window_start := current_start - max_past_partitions * settings.partition_interval;
			SELECT array_agg(g ORDER BY g) FILTER (WHERE g < window_start),
				   array_agg(g ORDER BY g) FILTER (WHERE g >= window_end)
			INTO early_slots, late_slots
			FROM unnest(slots_with_rows) AS g;
			SELECT array_agg(g) INTO slots_with_rows
			FROM unnest(slots_with_rows) AS g
			WHERE g >= window_start AND g < window_end;
		EXCEPTION WHEN OTHERS THEN
			partition_name := NULL;
			action := 'skipped';
			detail := format('The table was not maintained: %s; it is tried again at the next run.',
							 pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
			RETURN NEXT;
			UPDATE pactoria.partition_config AS c
			SET last_run_at = now(),
				last_run_outcome = jsonb_build_object('created', 0, 'rows_moved', 0, 'detached', 0, 'dropped', 0, 'skipped', 1)
			WHERE c.parent_table = parent;
			CONTINUE;
		END;

		-- 1. Create: every range a slot needs that no partition covers, oldest first.
		FOR piece IN
			SELECT lower(p.range) AS lower_bound, upper(p.range) AS upper_bound
			FROM (SELECT g FROM generate_series(current_start, current_start + settings.premake * settings.partition_interval,
												settings.partition_interval) AS g
				  UNION
				  SELECT unnest(slots_with_rows)) AS slot(lower_bound),
				 unnest(tsmultirange(tsrange(slot.lower_bound, slot.lower_bound + settings.partition_interval)) - covered) AS p(range)
			ORDER BY 1
		LOOP
			lower_literal := pactoria.partition_bound_literal(piece.lower_bound, key_type);
			upper_literal := pactoria.partition_bound_literal(piece.upper_bound, key_type);
			BEGIN
				-- SHARE on the parent alone (not its partitions): an insert already routed
				-- to the default partition with the partitions of before the attach would
				-- fail PostgreSQL's re-check of the default's bounds; this makes writers
				-- wait (milliseconds) for the attach instead, and lets readers through.
				EXECUTE format('LOCK TABLE ONLY %s IN SHARE MODE', parent);
				IF default_partition IS NOT NULL THEN
					EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', default_partition);
				END IF;
				new_name := pactoria.choose_partition_name(parent,
					CASE WHEN settings.partition_interval >= interval '1 month' AND piece.lower_bound = date_trunc('month', piece.lower_bound)
						 THEN to_char(piece.lower_bound, '"_p"YYYY"_"MM')
						 ELSE to_char(piece.lower_bound, '"_p"YYYY"_"MM"_"DD') END);
				EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED'
							   ' INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMPRESSION)%s',
							   parent_schema, new_name, coalesce(default_partition, parent),
							   CASE WHEN parent_tablespace IS NOT NULL THEN format(' TABLESPACE %I', parent_tablespace) ELSE '' END);
				IF parent_owner <> (SELECT oid FROM pg_roles WHERE rolname = current_user) THEN
					EXECUTE format('ALTER TABLE %I.%I OWNER TO %s', parent_schema, new_name, parent_owner::regrole);
				END IF;
				-- Rows of the range in the default partition, looked for under its lock, so
				-- that none can arrive between the move and the attach.
				moved := 0;
				has_rows := false;
				IF default_partition IS NOT NULL THEN
					EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= %L AND %I < %L)',
								   default_partition, key_column, lower_literal, key_column, upper_literal)
						INTO has_rows;
				END IF;
				IF has_rows THEN
					replication_role := current_setting('session_replication_role');
					PERFORM set_config('session_replication_role', 'replica', true);
					LOOP
						EXECUTE format('WITH moved AS (DELETE FROM %1$s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %1$s'
									   ' WHERE %2$I >= %3$L AND %2$I < %4$L LIMIT %5$s)) RETURNING %6$s)'
									   ' INSERT INTO %7$I.%8$I (%6$s) SELECT %6$s FROM moved',
									   default_partition, key_column, lower_literal, upper_literal, batch_size,
									   column_list, parent_schema, new_name);
						GET DIAGNOSTICS batch = ROW_COUNT;
						moved := moved + batch;
						EXIT WHEN batch < batch_size;
					END LOOP;
					PERFORM set_config('session_replication_role', replication_role, true);
				END IF;
				EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
							   parent, parent_schema, new_name, lower_literal, upper_literal);

				partition_name := format('%I.%I', parent_schema, new_name);
				action := 'created';
				detail := format('FOR VALUES FROM (%L) TO (%L)', lower_literal, upper_literal);
				RETURN NEXT;
				created_count := created_count + 1;
				IF moved > 0 THEN
					action := 'rows_moved';
					detail := format('%s rows moved from the default partition %s', moved, default_name);
					rows_moved := moved;
					RETURN NEXT;
					rows_moved := 0;
					moved_count := moved_count + moved;
				END IF;
			EXCEPTION WHEN OTHERS THEN
				partition_name := NULL;
				action := 'skipped';
				detail := format('Partition FOR VALUES FROM (%L) TO (%L) not created: %s; it is tried again at the next run.',
								 lower_literal, upper_literal, pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
				RETURN NEXT;
				skipped_count := skipped_count + 1;
			END;
		END LOOP;

		IF late_slots IS NOT NULL THEN
			partition_name := default_name;
			action := 'skipped';
			detail := format('Rows of %s %s intervals from %s to %s are dated more than %s intervals beyond premake (system_config partition.max_future_partitions): no partition is made for them, so they stay in the default partition.',
							 cardinality(late_slots), settings.partition_interval, late_slots[1], late_slots[cardinality(late_slots)],
							 max_future_partitions);
			RETURN NEXT;
			skipped_count := skipped_count + 1;
		END IF;
		IF early_slots IS NOT NULL THEN
			partition_name := default_name;
			action := 'skipped';
			detail := format('Rows of %s %s intervals from %s to %s are dated %s: no partition is made for them, so they stay in the default partition.',
							 cardinality(early_slots), settings.partition_interval, early_slots[1], early_slots[cardinality(early_slots)],
							 format('more than %s intervals back (system_config partition.max_past_partitions)', max_past_partitions));
			RETURN NEXT;
			skipped_count := skipped_count + 1;
		END IF;

		IF stuck_rows > 0 THEN
			partition_name := default_name;
			action := 'skipped';
			detail := format('%s rows of the default partition have a NULL or infinite %I: no range partition can hold them, so they stay there.',
							 stuck_rows, key_column);
			RETURN NEXT;
			skipped_count := skipped_count + 1;
		END IF;

		-- 2. Retention, by each partition's upper bound, oldest first.
		FOR old IN
			SELECT b.partition_table, b.upper_bound, format('%I.%I', n.nspname, c.relname) AS qualified_name
			FROM pactoria.partition_bounds(parent) AS b
			JOIN pg_class AS c ON c.oid = b.partition_table
			JOIN pg_namespace AS n ON n.oid = c.relnamespace
			WHERE NOT b.is_default AND b.upper_bound <= cutoff
			ORDER BY b.lower_bound NULLS FIRST
		LOOP
			BEGIN
				EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', parent);
				EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', old.partition_table);
				IF settings.before_removal IS NOT NULL THEN
					PERFORM pactoria.call_before_removal(settings.before_removal::regprocedure, old.partition_table);
				END IF;
				IF settings.retention_action = 'drop' THEN
					EXECUTE format('DROP TABLE %s', old.partition_table);
					action := 'dropped';
					dropped_count := dropped_count + 1;
				ELSE
					EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, old.partition_table);
					action := 'detached';
					detached_count := detached_count + 1;
				END IF;
				partition_name := old.qualified_name;
				detail := format('Upper bound %s is at or before the retention cutoff %s (retention %s).',
								 old.upper_bound, cutoff, settings.retention);
				RETURN NEXT;
			EXCEPTION WHEN OTHERS THEN
				partition_name := old.qualified_name;
				action := 'skipped';
				detail := format('Past retention but kept: %s; it is tried again at the next run.',
								 pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
				RETURN NEXT;
				skipped_count := skipped_count + 1;
			END;
		END LOOP;

		UPDATE pactoria.partition_config AS c
		SET last_run_at = now(),
			last_run_outcome = jsonb_build_object('created', created_count, 'rows_moved', moved_count,
												  'detached', detached_count, 'dropped', dropped_count,
												  'skipped', skipped_count)
		WHERE c.parent_table = parent;
	END LOOP;
END
$$;

COMMENT ON FUNCTION pactoria.maintenance_steps(regclass, timestamptz) IS
'Internal: the work and report of pactoria.run_maintenance(), each step with the rows it moved as a number (rows_moved, 0 but for a rows_moved step), for the maintenance background worker. Runs, as its caller, only for a role that may execute run_maintenance() (42501 otherwise).';

CREATE FUNCTION pactoria.run_maintenance(p_parent regclass DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS TABLE (parent_table regclass, partition_name text, action text, detail text)
LANGUAGE sql
SET search_path = pg_catalog, pactoria, pg_temp
BEGIN ATOMIC
	SELECT s.parent_table, s.partition_name, s.action, s.detail
	FROM pactoria.maintenance_steps(p_parent, p_now) AS s;
END;

COMMENT ON FUNCTION pactoria.run_maintenance(regclass, timestamptz) IS
'Keeps registered range-partitioned tables (all, or one): makes partitions premake intervals ahead and for rows in the DEFAULT partition (moving them out), then detaches or drops partitions whose upper bound is past retention; one report row per action (created, rows_moved, detached, dropped, skipped). Never blocks longer than lock_timeout 100ms per step: what it cannot lock is skipped and reported.';

REVOKE EXECUTE ON FUNCTION pactoria.run_maintenance(regclass, timestamptz) FROM PUBLIC;


-- The seeds' name for "make next month's partition": now every registered table.
CREATE FUNCTION pactoria.create_monthly_partition()
RETURNS TABLE (parent_table regclass, partition_name text, action text, detail text)
LANGUAGE sql
AS $$ SELECT * FROM pactoria.run_maintenance() $$;

COMMENT ON FUNCTION pactoria.create_monthly_partition() IS
'Kept for the seed applications: runs pactoria.run_maintenance() for every registered table and returns its report.';

REVOKE EXECUTE ON FUNCTION pactoria.create_monthly_partition() FROM PUBLIC;

------------------------------------------------------------------------------------
-- system_metrics: measurements of the application per tenant, monthly partitions,
-- kept 25 months by default (system_config partition.system_metrics.retention).
--
-- A tenant table like the others: company_id NOT NULL leads the key, (company_id,
-- id, recorded_at) (the partition key is part of every unique key of a partitioned
-- table), so that Citus distributes it by company_id with the tenant's other rows.
-- A metric of no tenant (system-wide) goes to pactoria.global_metrics
-- (42_global_metrics.sql) instead; 0.1.0 kept it here with company_id NULL.
------------------------------------------------------------------------------------

-- The one check of a metric (CHECK constraint of system_metrics): true, or an
-- error naming what is wrong.
CREATE FUNCTION pactoria.check_metric(metric_name text, metric_value double precision, metric_unit text,
									  tags jsonb, recorded_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF length(metric_name) = 0 THEN
		RAISE EXCEPTION 'metric name must not be empty' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(metric_name) > 200 THEN
		RAISE EXCEPTION 'metric name is too long (% characters)', length(metric_name)
			USING ERRCODE = 'invalid_parameter_value', DETAIL = 'A metric name has at most 200 characters.';
	END IF;
	IF metric_name !~ '^[A-Za-z][A-Za-z0-9_.:/-]*$' THEN
		RAISE EXCEPTION 'invalid metric name "%"', pactoria.quote_prefix(metric_name)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A metric name starts with a letter and has only letters, digits and _ . : / -.',
				  HINT = 'For example contract.upload_seconds or ai.tokens_used.';
	END IF;
	IF metric_value IN ('NaN', 'Infinity', '-Infinity') THEN
		RAISE EXCEPTION 'metric value must be a finite number, not %', metric_value
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(btrim(metric_unit)) = 0 OR length(metric_unit) > 50 THEN
		RAISE EXCEPTION 'invalid metric unit "%"', pactoria.quote_prefix(metric_unit)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A metric unit has 1 to 50 characters, or is NULL.';
	END IF;
	IF jsonb_typeof(tags) <> 'object' THEN
		RAISE EXCEPTION 'metric tags must be a JSON object, not %', jsonb_typeof(tags)
			USING ERRCODE = 'invalid_parameter_value', HINT = 'For example {"endpoint": "/contracts"}.';
	END IF;
	IF octet_length(tags::text) > 4096 THEN
		RAISE EXCEPTION 'metric tags are too large (% bytes)', octet_length(tags::text)
			USING ERRCODE = 'invalid_parameter_value', DETAIL = 'Tags have at most 4096 bytes as JSON text.';
	END IF;
	IF NOT isfinite(recorded_at) THEN
		RAISE EXCEPTION 'metric time must be finite, not %', recorded_at
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN true;
END
$$;

COMMENT ON FUNCTION pactoria.check_metric(text, double precision, text, jsonb, timestamptz) IS
'Checks a metric: name of 1-200 characters (letter first, then letters, digits, _ . : / -), finite value, unit of 1-50 characters or NULL, tags a JSON object of at most 4096 bytes, finite time; returns true or raises invalid_parameter_value.';

CREATE TABLE pactoria.system_metrics (
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	company_id uuid NOT NULL,
	user_id uuid,
	metric_name text NOT NULL,
	metric_value double precision NOT NULL,
	metric_unit text,
	tags jsonb NOT NULL DEFAULT '{}',
	recorded_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT system_metrics_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT system_metrics_user_id_fkey FOREIGN KEY (company_id, user_id)
		REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_system_metrics_metric
		CHECK (pactoria.check_metric(metric_name, metric_value, metric_unit, tags, recorded_at))
) PARTITION BY RANGE (recorded_at);

COMMENT ON TABLE pactoria.system_metrics IS
'Measurements recorded by the application for a tenant (pactoria.record_metric; system-wide ones are in pactoria.global_metrics); partitioned by month on recorded_at and kept by pactoria.run_maintenance().';
COMMENT ON COLUMN pactoria.system_metrics.company_id IS 'The tenant the metric belongs to.';

-- The keys and indexes are on the DEFAULT partition, the template of every partition
-- maintenance makes (see the top of this file for why not on the parent).
CREATE TABLE pactoria.system_metrics_default PARTITION OF pactoria.system_metrics (
	CONSTRAINT system_metrics_default_pkey PRIMARY KEY (company_id, id, recorded_at)
) DEFAULT;
CREATE INDEX idx_system_metrics_default_company_id_metric_name_recorded_at
	ON pactoria.system_metrics_default (company_id, metric_name, recorded_at);

SELECT pactoria.enable_tenant_isolation('pactoria.system_metrics');

-- A metric's time lies in a window around now(): at most metrics.max_future ahead
-- (default 1 day) and metrics.max_past back (default 31 days), so that no tenant
-- can make maintenance create partitions for far-off months (or years up to
-- 294276).  Times outside are refused (22008), not moved: a metric at the wrong time
-- is wrong data.  Superusers and the extension's owner (the trusted roles:
-- restores, backfills) are not held to it.  Rows moved by maintenance do not fire
-- it (session_replication_role = replica).
-- The metric time window in force; SECURITY DEFINER as the application cannot read
-- the configuration tables.
CREATE FUNCTION pactoria.metric_time_window(OUT max_future interval, OUT max_past interval)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$ SELECT (pactoria.get_config('metrics.max_future') #>> '{}')::interval,
			 (pactoria.get_config('metrics.max_past') #>> '{}')::interval $$;

COMMENT ON FUNCTION pactoria.metric_time_window() IS
'The window of system_config metrics.max_future and metrics.max_past that metric times must lie in; SECURITY DEFINER and executable by everyone, as every writer of system_metrics needs it (it reveals two configuration values, nothing else).';

CREATE FUNCTION pactoria.check_metric_time()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	max_future interval;
	max_past interval;
BEGIN
	IF pg_has_role(current_user, (SELECT e.extowner FROM pg_extension AS e WHERE e.extname = 'pactoria'), 'MEMBER') THEN
		RETURN NEW;
	END IF;
	SELECT w.max_future, w.max_past INTO max_future, max_past FROM pactoria.metric_time_window() AS w;
	IF NEW.recorded_at > now() + max_future THEN
		RAISE EXCEPTION 'metric time % is more than % ahead of now', NEW.recorded_at, max_future
			USING ERRCODE = 'datetime_field_overflow',
				  DETAIL = 'A metric is recorded at most system_config metrics.max_future ahead of the current time.';
	END IF;
	IF NEW.recorded_at < now() - max_past THEN
		RAISE EXCEPTION 'metric time % is more than % before now', NEW.recorded_at, max_past
			USING ERRCODE = 'datetime_field_overflow',
				  DETAIL = 'A metric is recorded at most system_config metrics.max_past before the current time.';
	END IF;
	RETURN NEW;
END
$$;

-- Its comment is in 42_global_metrics.sql, which gives it a second table.
REVOKE EXECUTE ON FUNCTION pactoria.check_metric_time() FROM PUBLIC;

CREATE TRIGGER trg_system_metrics_check_time
	BEFORE INSERT OR UPDATE OF recorded_at ON pactoria.system_metrics
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_metric_time();

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('metrics.max_future', '"1 day"',
	 'How far ahead of now() a metric''s recorded_at may be (an interval); later times are refused (22008).'),
	('metrics.max_past', '"31 days"',
	 'How far before now() a metric''s recorded_at may be (an interval); earlier times are refused (22008).'),
	('partition.system_metrics.premake', '3',
	 'How many monthly partitions of system_metrics exist ahead of the current month.'),
	('partition.system_metrics.retention', '"25 months"',
	 'How long system_metrics partitions are kept (by their upper bound): an interval, or "forever".'),
	('partition.system_metrics.retention_action', '"drop"',
	 'What happens to a system_metrics partition past retention: "drop", or "detach" to keep it as a table.');

-- The registration's values are those of the keys above, which win once set.
SELECT pactoria.register_partitioned_table('pactoria.system_metrics', '1 month', 3, '25 months', 'drop');

