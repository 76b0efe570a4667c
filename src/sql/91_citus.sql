------------------------------------------------------------------------------------
-- Citus: pactoria.distribute_tables() (also restated by the 0.1.0 -> 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- On a Citus coordinator, after CREATE EXTENSION pactoria CASCADE, one call puts
-- pactoria's tables on the cluster: the global tables, and companies, users and
-- templates (which every tenant table's keys reach, and which logins look up
-- across tenants) as reference tables; every other table, each of which has a
-- company_id, distributed by company_id in one colocation group, partitioned
-- tables with their partitions.  A table is handled after the tables its foreign
-- keys reference (Citus needs them on the cluster first).  A table already on the
-- cluster is left as it is, so a second call changes nothing.  pactoria's
-- triggers are C functions that accept the shards of their table
-- (trigger_guard.c), hence citus.enable_unsafe_triggers for the call, and for
-- partition maintenance (pactoria.maintenance_steps()) from then on.
--
-- It then runs partition maintenance once, so that the partitions for this
-- month and the next exist before the application writes: maintenance cannot
-- move rows out of a distributed default partition (its DELETE ... RETURNING
-- into the new partition is a statement Citus does not plan), so a month whose
-- rows reached the default partition keeps them there.
--
-- global_metrics (system-wide metrics, of no tenant) stays a table of the
-- coordinator: Citus has no partitioned reference tables, and only trusted
-- roles write it, on the coordinator.  The function says so in its result.
-- Internal, for distribute_tables(): SET LOCAL session_replication_role on
-- the coordinator and, forwarded by Citus (citus.propagate_set_commands =
-- 'local'), on every node the transaction reaches, now and later.  A function
-- of its own, without a SET clause (which would undo the SET LOCAL on return),
-- called with PERFORM: Citus forwards a SET LOCAL run inside a function only
-- from a nested query, not from a function the client's statement calls
-- directly.  session_replication_role is a superuser's setting.
CREATE OR REPLACE FUNCTION pactoria.set_replication_role_on_cluster(replication_role text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	PERFORM pg_catalog.set_config('citus.propagate_set_commands', 'local', true);
	EXECUTE pg_catalog.format('SET LOCAL session_replication_role = %L', replication_role);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.set_replication_role_on_cluster(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.set_replication_role_on_cluster(text) IS
'Internal, for pactoria.distribute_tables(): SET LOCAL session_replication_role here and on every node of the transaction (Citus forwards it), so that no trigger fires on the rows Citus copies into the shards.';

CREATE OR REPLACE FUNCTION pactoria.distribute_tables()
RETURNS TABLE (table_name regclass, distribution text, action text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	reference_tables CONSTANT text[] := ARRAY[
		'companies', 'users', 'templates', 'system_config', 'system_config_defaults', 'audited_tables',
		'login_throttle', 'partition_config', 'password_deny_list', 'protected_columns'];
	coordinator_tables CONSTANT text[] := ARRAY['global_metrics'];
	pending regclass[];
	next_table regclass;
	next_name name;
	method "char";
	colocate_with regclass;
	progress boolean;
	has_rows boolean;
	copied regclass[] := '{}';
	replication_role text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'citus') THEN
		RAISE EXCEPTION 'extension "citus" is not installed in this database'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Run pactoria.distribute_tables() on a Citus coordinator, after CREATE EXTENSION citus and citus_add_node() for the workers.';
	END IF;
	PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
	PERFORM pg_catalog.set_config('citus.enable_local_reference_table_foreign_keys', 'off', true);
	-- one connection per node: distributed tables with keys to reference tables
	PERFORM pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true);

	-- pactoria's tables (not partitions: they follow their parent)
	SELECT pg_catalog.array_agg(c.oid::regclass ORDER BY c.relname) INTO pending
	FROM pg_catalog.pg_class AS c
	WHERE c.relnamespace OPERATOR(pg_catalog.=) 'pactoria'::regnamespace
	  AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p']::"char"[]) AND NOT c.relispartition;

	LOOP
		progress := false;
		FOR next_table, next_name IN
			SELECT c.oid::regclass, c.relname FROM pg_catalog.pg_class AS c
			WHERE c.oid OPERATOR(pg_catalog.=) ANY (pending::oid[]) ORDER BY c.relname
		LOOP
			-- a table whose referenced tables (itself aside) are all handled
			CONTINUE WHEN EXISTS (
				SELECT 1 FROM pg_catalog.pg_constraint AS k
				WHERE k.conrelid OPERATOR(pg_catalog.=) next_table AND k.contype OPERATOR(pg_catalog.=) 'f'
				  AND k.confrelid OPERATOR(pg_catalog.<>) next_table
				  AND k.confrelid::regclass OPERATOR(pg_catalog.=) ANY (pending));
			-- the reference tables first: Citus modifies none after a distributed table
			CONTINUE WHEN NOT next_name::text OPERATOR(pg_catalog.=) ANY (reference_tables) AND EXISTS (
				SELECT 1 FROM pg_catalog.pg_class AS c
				WHERE c.oid OPERATOR(pg_catalog.=) ANY (pending::oid[])
				  AND c.relname::text OPERATOR(pg_catalog.=) ANY (reference_tables));
			pending := pg_catalog.array_remove(pending, next_table);
			progress := true;
			table_name := next_table;
			EXECUTE 'SELECT partmethod FROM pg_catalog.pg_dist_partition WHERE logicalrelid OPERATOR(pg_catalog.=) $1'
				INTO method USING next_table;
			-- Rows already here (a restored dump): Citus copies them into the
			-- shards, a COPY on each node; they are not new writes, so no trigger
			-- of pactoria may fire on them (a second version, audit entry or seat).
			IF method IS NULL AND NOT next_name::text OPERATOR(pg_catalog.=) ANY (coordinator_tables) THEN
				EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %s)', next_table) INTO has_rows;
				IF has_rows AND copied OPERATOR(pg_catalog.=) '{}' THEN
					-- session_replication_role = replica from here, here and, as a
					-- SET LOCAL Citus forwards, on every node: what the restore
					-- of the README's "Backup and restore" does.  A superuser's.
					IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles AS r
							WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
						RAISE EXCEPTION 'distributing tables that hold rows needs a superuser'
							USING ERRCODE = 'insufficient_privilege',
								  DETAIL = pg_catalog.format('%s holds rows (a restored dump?): they are copied into the shards with session_replication_role = replica, so that no trigger fires on them again.', next_table);
					END IF;
					replication_role := pg_catalog.current_setting('session_replication_role');
					PERFORM pactoria.set_replication_role_on_cluster('replica');
				END IF;
				IF has_rows THEN
					copied := pg_catalog.array_append(copied, next_table);
				END IF;
			END IF;
			IF next_name::text OPERATOR(pg_catalog.=) ANY (coordinator_tables) THEN
				distribution := 'local';
				action := 'kept on the coordinator: system-wide metrics have no company_id';
			ELSIF next_name::text OPERATOR(pg_catalog.=) ANY (reference_tables) THEN
				distribution := 'reference';
				IF method IS NULL THEN
					PERFORM pg_catalog.create_reference_table(next_table);
					action := 'created';
				ELSE
					action := 'already on the cluster';
				END IF;
			ELSE
				distribution := 'distributed by company_id';
				IF method IS NULL THEN
					IF colocate_with IS NULL THEN
						EXECUTE 'SELECT p.logicalrelid FROM pg_catalog.pg_dist_partition AS p'
								' JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) p.logicalrelid'
								' WHERE c.relnamespace OPERATOR(pg_catalog.=) ''pactoria''::regnamespace'
								'   AND p.partmethod OPERATOR(pg_catalog.=) ''h'' AND NOT c.relispartition'
								' ORDER BY c.relname LIMIT 1'
							INTO colocate_with;
					END IF;
					IF colocate_with IS NULL THEN
						PERFORM pg_catalog.create_distributed_table(next_table, 'company_id');
					ELSE
						PERFORM pg_catalog.create_distributed_table(next_table, 'company_id',
																	colocate_with => colocate_with::text);
					END IF;
					colocate_with := coalesce(colocate_with, next_table);
					action := 'created';
				ELSE
					action := 'already on the cluster';
				END IF;
			END IF;
			RETURN NEXT;
		END LOOP;
		EXIT WHEN NOT progress OR pending OPERATOR(pg_catalog.=) '{}';
	END LOOP;
	IF pending OPERATOR(pg_catalog.<>) '{}' THEN
		RAISE EXCEPTION 'the foreign keys of % form a cycle', pending
			USING ERRCODE = 'invalid_foreign_key';
	END IF;
	-- The copied rows are in the shards now; the coordinator's own copy of
	-- them, which Citus keeps hidden in the distributed table's relation, is
	-- removed, but where a table of the coordinator alone
	-- has a foreign key to the table (see the README's Citus section).
	IF copied OPERATOR(pg_catalog.<>) '{}' THEN
		FOR next_table IN EXECUTE
			'SELECT t.t FROM pg_catalog.unnest($1) WITH ORDINALITY AS t (t, n)'
			' WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint AS k'
			'                   WHERE k.contype OPERATOR(pg_catalog.=) ''f'' AND k.confrelid OPERATOR(pg_catalog.=) t.t'
			'                     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition AS p'
			'                                     WHERE p.logicalrelid OPERATOR(pg_catalog.=) k.conrelid))'
			' ORDER BY t.n DESC'
			USING copied
		LOOP
			PERFORM pg_catalog.truncate_local_data_after_distributing_table(next_table);
		END LOOP;
		-- back, on every node (the workers keep a SET LOCAL to the end of the
		-- caller's transaction)
		PERFORM pactoria.set_replication_role_on_cluster(replication_role);
	END IF;
	-- log_event() on the coordinator calls log_event_of(company, ...), which Citus
	-- runs on the node of the company's shard of audit_logs (audit_writer.c).
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_object AS o
				   WHERE o.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass
					 AND o.objid OPERATOR(pg_catalog.=) 'pactoria.log_event_of(uuid, text, text, uuid, jsonb)'::regprocedure
					 AND o.distribution_argument_index IS NOT NULL) THEN
		PERFORM pg_catalog.create_distributed_function('pactoria.log_event_of(uuid, text, text, uuid, jsonb)',
													   'company_id', colocate_with => 'pactoria.audit_logs',
													   force_delegation => true);
	END IF;
	-- resume_session() on the coordinator touches a session through touch_session(),
	-- which Citus runs on the node of the tenant's shard of user_sessions.
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_object AS o
				   WHERE o.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass
					 AND o.objid OPERATOR(pg_catalog.=) 'pactoria.touch_session(uuid, text)'::regprocedure
					 AND o.distribution_argument_index IS NOT NULL) THEN
		PERFORM pg_catalog.create_distributed_function('pactoria.touch_session(uuid, text)',
													   'company_id', colocate_with => 'pactoria.user_sessions',
													   force_delegation => true);
	END IF;
	-- A partition maintenance makes gets its parent's triggers, so Citus needs
	-- the setting to distribute it (on the coordinator, where maintenance runs).
	-- And one connection per node: with several, the ATTACH PARTITION of a
	-- step after another (each in its subtransaction) is cancelled by Citus as
	-- a distributed deadlock with the same transaction's other connections.
	ALTER FUNCTION pactoria.maintenance_steps(regclass, timestamptz) SET citus.enable_unsafe_triggers = on;
	ALTER FUNCTION pactoria.maintenance_steps(regclass, timestamptz) SET citus.multi_shard_modify_mode = 'sequential';
	-- The partitions of this month and the next ones, before rows arrive: on
	-- Citus, rows already in a default partition cannot be moved out of it.
	PERFORM pg_catalog.count(*) FROM pactoria.run_maintenance();
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.distribute_tables() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.distribute_tables() IS
'On a Citus coordinator: makes companies, users, templates and the global tables reference tables and distributes every other pactoria table by company_id, colocated, in foreign-key order; tables already on the cluster are left as they are (idempotent).  Returns each table, its distribution and what was done.  global_metrics (system-wide metrics) stays a table of the coordinator.';
