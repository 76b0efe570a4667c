
-- 20_privileges.sql: who may call what, and append-only means append-only for the
-- application.
--
-- Trigger functions that write as the owner or into another table, or check
-- configuration, lifecycle or tenancy, are meant to be attached by pactoria (or by
-- the owner through enable_audit() / enable_tenant_isolation()), never by anyone
-- else: EXECUTE is revoked from PUBLIC.  PostgreSQL checks EXECUTE on a trigger
-- function only at CREATE TRIGGER, so the triggers already in place keep firing
-- for every role.  The same for the owner's migration functions that attach them
-- and for prepare_audit_partition() (run by the event trigger, as the owner).  The
-- pure partition helpers (choose_partition_name, partition_interval_start, ...)
-- stay executable: register_partitioned_table() and run_maintenance() run with
-- their caller's rights and may be granted to a maintenance role.
REVOKE EXECUTE ON FUNCTION pactoria.refuse_company_change() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.require_tenant_context() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.enable_tenant_isolation(regclass) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.check_system_config_value() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.set_company_max_users() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.check_partition_config_setting() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.audit_trigger() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.refuse_audit_change() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.check_audit_settings() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.prepare_audit_partition(regclass) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.enable_audit(regclass, name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.check_scoring_config() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.derive_risk_level_and_review() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.fill_compliance_scores() FROM PUBLIC;

-- grant_application_access() grants writes from an explicit list; no write on
-- audit_logs, audit_chain_heads, audit_checkpoints or contract_versions.  This
-- script cannot know which roles 0.1.0's function was given: call
-- pactoria.grant_application_access(role) again for each after the update; it
-- revokes what the role held first.
CREATE OR REPLACE FUNCTION pactoria.grant_application_access(application_role regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	role_row record;
	other_role name;
	relation record;
	-- The tables an application writes, and how.  Review before adding to it.
	writable CONSTANT text[][] := ARRAY[
		['pactoria.ai_generations',     'INSERT, UPDATE, DELETE'],
		['pactoria.chat_messages',      'INSERT, UPDATE, DELETE'],
		['pactoria.compliance_scores',  'INSERT, UPDATE, DELETE'],
		['pactoria.contracts',          'INSERT, UPDATE, DELETE'],
		['pactoria.corrections',        'INSERT, UPDATE, DELETE'],
		['pactoria.extraction_fields',  'INSERT, UPDATE, DELETE'],
		['pactoria.extraction_metrics', 'INSERT, UPDATE, DELETE'],
		['pactoria.extractions',        'INSERT, UPDATE, DELETE'],
		['pactoria.risk_assessments',   'INSERT, UPDATE, DELETE'],
		['pactoria.system_metrics',     'INSERT'],
		['pactoria.templates',          'INSERT, UPDATE, DELETE'],
		['pactoria.user_sessions',      'INSERT, UPDATE, DELETE'],
		['pactoria.users',              'INSERT, UPDATE, DELETE'],
		['pactoria.companies',          'UPDATE (name, registration_number, vat_number, address, postcode, settings)']];
	writes text;
BEGIN
	IF application_role IS NULL THEN
		RAISE EXCEPTION 'application role must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;

	SELECT r.rolsuper, r.rolbypassrls INTO role_row FROM pg_catalog.pg_roles AS r WHERE r.oid = application_role;
	IF role_row.rolsuper OR role_row.rolbypassrls THEN
		RAISE EXCEPTION 'role % bypasses row-level security', application_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'It is a superuser or has BYPASSRLS, so tenant isolation would not apply to it.',
				  HINT = 'Connect the application as a role with NOSUPERUSER NOBYPASSRLS.';
	END IF;
	SELECT r.rolname INTO other_role FROM pg_catalog.pg_roles AS r
	WHERE (r.rolsuper OR r.rolbypassrls) AND pg_has_role(application_role, r.oid, 'MEMBER')
	ORDER BY r.rolname LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'role % is a member of role %, which bypasses row-level security', application_role, other_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A member can SET ROLE to it, and tenant isolation would not apply.',
				  HINT = format('REVOKE %I FROM %s.', other_role, application_role);
	END IF;
	SELECT owner::regrole::text INTO other_role
	FROM (SELECT nspowner AS owner FROM pg_catalog.pg_namespace WHERE oid = 'pactoria'::regnamespace
		  UNION SELECT relowner FROM pg_catalog.pg_class WHERE relnamespace = 'pactoria'::regnamespace
		  UNION SELECT proowner FROM pg_catalog.pg_proc WHERE pronamespace = 'pactoria'::regnamespace) AS owners
	WHERE pg_has_role(application_role, owner, 'MEMBER')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'role % owns objects of schema pactoria, or is a member of their owner %', application_role, other_role
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An owner can disable row-level security.',
				  HINT = 'Connect the application as a role that owns nothing; run migrations and maintenance as the owner.';
	END IF;

	EXECUTE format('GRANT USAGE ON SCHEMA pactoria TO %s', application_role);
	EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA pactoria FROM %s', application_role);
	EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA pactoria FROM %s', application_role);

	FOR relation IN
		SELECT c.oid::regclass AS name, c.relkind, c.relrowsecurity AND c.relforcerowsecurity AS is_isolated,
			   EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
					   WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped) AS has_company_id,
			   coalesce((SELECT o.option_value::boolean FROM pg_catalog.pg_options_to_table(c.reloptions) AS o
						 WHERE o.option_name = 'security_invoker'), false) AS is_security_invoker
		FROM pg_catalog.pg_class AS c
		WHERE c.relnamespace = 'pactoria'::regnamespace
		  AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
		ORDER BY c.relname
	LOOP
		writes := NULL;
		FOR i IN 1 .. array_length(writable, 1) LOOP
			IF writable[i][1]::regclass = relation.name THEN
				writes := writable[i][2];
			END IF;
		END LOOP;

		IF relation.relkind = 'v' AND NOT relation.is_security_invoker THEN
			RAISE WARNING 'view % is not granted: it runs with its owner''s rights', relation.name
				USING HINT = 'Make it security_invoker so that row-level security applies.';
		ELSIF relation.relkind = 'm' AND relation.has_company_id THEN
			RAISE WARNING 'materialized view % is not granted: row-level security cannot apply to it', relation.name
				USING HINT = 'Read it through a security_invoker view that filters on pactoria.current_company_id().';
		ELSIF relation.relkind IN ('r', 'p') AND (relation.has_company_id OR writes IS NOT NULL)
			  AND NOT relation.is_isolated THEN
			RAISE WARNING 'table % is not granted: it has company_id but no forced row-level security', relation.name
				USING HINT = 'Call pactoria.enable_tenant_isolation() for it.';
		ELSIF writes IS NOT NULL THEN
			EXECUTE format('GRANT SELECT, %s ON %s TO %s', writes, relation.name, application_role);
		ELSE
			EXECUTE format('GRANT SELECT ON %s TO %s', relation.name, application_role);
		END IF;
	END LOOP;

	FOR relation IN
		SELECT DISTINCT d.objid::regclass AS name
		FROM pg_catalog.pg_depend AS d
		JOIN pg_catalog.pg_class AS s ON s.oid = d.objid AND s.relkind = 'S'
		WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
		  AND d.deptype IN ('a', 'i') AND s.relnamespace = 'pactoria'::regnamespace
		  AND has_table_privilege(application_role, d.refobjid, 'INSERT')
	LOOP
		EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %s', relation.name, application_role);
	END LOOP;

	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.set_context(uuid, uuid, boolean), pactoria.clear_context(),'
				   ' pactoria.create_company(text, text, text, text, text, text, text, text, text),'
				   ' pactoria.find_login(text), pactoria.find_session(bytea) TO %s', application_role);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.grant_application_access(regrole) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.grant_application_access(regrole) IS
'Gives an application login role exactly what it needs: schema usage, the writes of an explicit list of tenant tables (under forced row-level security), SELECT and UPDATE of its own columns on companies, SELECT on the rest (never a write on audit_logs, audit_chain_heads, audit_checkpoints or contract_versions), EXECUTE on the tenancy API. Refuses a role that is, or can become, a superuser, BYPASSRLS or owner. Idempotent: it first revokes what the role held, so call it again after ALTER EXTENSION UPDATE.';
