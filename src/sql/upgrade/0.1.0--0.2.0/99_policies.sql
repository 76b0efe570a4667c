-- The tenant policies of 0.1.0 (pactoria's tables and the application tables put
-- under enable_tenant_isolation) compared with a scalar sub-select of
-- current_company_id() / require_company_id(); 0.2.0 calls them directly (see
-- 03_tenant_isolation.sql).  ALTER POLICY keeps each policy, its roles and its
-- table: only the expressions of policies in exactly the 0.1.0 form change.
DO $$
DECLARE
	p record;
	old_using constant text[] := ARRAY['(company_id = ( SELECT current_company_id() AS current_company_id))',
									   '(id = ( SELECT current_company_id() AS current_company_id))'];
	old_check constant text[] := ARRAY['(company_id = ( SELECT require_company_id() AS require_company_id))',
									   '(id = ( SELECT require_company_id() AS require_company_id))'];
	tenant_column text;
BEGIN
	PERFORM pg_catalog.set_config('search_path', 'pactoria', true);
	FOR p IN
		SELECT pol.polname, pol.polrelid::pg_catalog.regclass AS rel,
			   pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS qual,
			   pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check
		FROM pg_catalog.pg_policy AS pol
		WHERE pol.polname IN ('tenant_isolation_select', 'tenant_isolation_insert',
							  'tenant_isolation_update', 'tenant_isolation_delete')
	LOOP
		IF p.qual IS NOT NULL AND p.qual = ANY (old_using) THEN
			tenant_column := pg_catalog.split_part(pg_catalog.ltrim(p.qual, '('), ' ', 1);
			EXECUTE pg_catalog.format('ALTER POLICY %I ON %s USING (%I OPERATOR(pg_catalog.=) pactoria.current_company_id())',
									  p.polname, p.rel, tenant_column);
		END IF;
		IF p.with_check IS NOT NULL AND p.with_check = ANY (old_check) THEN
			tenant_column := pg_catalog.split_part(pg_catalog.ltrim(p.with_check, '('), ' ', 1);
			EXECUTE pg_catalog.format('ALTER POLICY %I ON %s WITH CHECK (%I OPERATOR(pg_catalog.=) pactoria.require_company_id())',
									  p.polname, p.rel, tenant_column);
		END IF;
	END LOOP;
	PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pactoria, pg_temp', true);
END
$$;
