
------------------------------------------------------------------------------------
-- Tenant isolation of a table (also restated by the 0.1.0 -> 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- Tenant isolation for one table with a company_id column: row-level security
-- enabled and forced (the owner obeys it too, unless a superuser), one policy per
-- command with an explicit WITH CHECK, a trigger refusing to change company_id and
-- a statement trigger refusing writes without tenant context.  The policies call
-- pactoria.current_company_id() directly, not as a scalar sub-select (an
-- InitPlan): Citus accepts no subquery in the policies of a distributed table, and
-- a prepared point lookup is cheaper.  The function is STABLE, so it stays an index
-- condition of the (company_id, ...) indexes; a sequential scan calls it once per
-- row (a few nanoseconds; the bench measures it).  Applications' own tables are put under
-- it by the owner (the superuser that created the extension), in migrations: it
-- and the two trigger functions it attaches are not executable by PUBLIC.
CREATE OR REPLACE FUNCTION pactoria.enable_tenant_isolation(table_name regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	relation_name name;
BEGIN
	IF table_name IS NULL THEN
		RAISE EXCEPTION 'table to isolate must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT relname INTO relation_name FROM pg_class WHERE oid = table_name;
	IF NOT EXISTS (SELECT 1 FROM pg_attribute
				   WHERE attrelid = table_name AND attname = 'company_id' AND NOT attisdropped
					 AND atttypid = 'uuid'::regtype) THEN
		RAISE EXCEPTION 'table % has no company_id column of type uuid', table_name
			USING ERRCODE = 'undefined_column';
	END IF;

	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', table_name);
	EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', table_name);
	EXECUTE format('CREATE POLICY tenant_isolation_select ON %s FOR SELECT'
				   ' USING (company_id OPERATOR(pg_catalog.=) pactoria.current_company_id())', table_name);
	EXECUTE format('CREATE POLICY tenant_isolation_insert ON %s FOR INSERT'
				   ' WITH CHECK (company_id OPERATOR(pg_catalog.=) pactoria.require_company_id())', table_name);
	EXECUTE format('CREATE POLICY tenant_isolation_update ON %s FOR UPDATE'
				   ' USING (company_id OPERATOR(pg_catalog.=) pactoria.current_company_id())'
				   ' WITH CHECK (company_id OPERATOR(pg_catalog.=) pactoria.require_company_id())', table_name);
	EXECUTE format('CREATE POLICY tenant_isolation_delete ON %s FOR DELETE'
				   ' USING (company_id OPERATOR(pg_catalog.=) pactoria.current_company_id())', table_name);
	EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF company_id ON %s FOR EACH ROW'
				   ' WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id)'
				   ' EXECUTE FUNCTION pactoria.refuse_company_change()',
				   left('trg_' || relation_name, 40) || '_refuse_company_change', table_name);
	EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE ON %s FOR EACH STATEMENT'
				   ' EXECUTE FUNCTION pactoria.require_tenant_context()',
				   left('trg_' || relation_name, 39) || '_require_tenant_context', table_name);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.enable_tenant_isolation(regclass) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.enable_tenant_isolation(regclass) IS
'Puts a table with a company_id column under pactoria''s tenant isolation: forced row-level security with per-command policies on pactoria.current_company_id(), company_id made unchangeable, and writes without tenant context refused.';
