
-- 30_tenancy.sql: tenant isolation, completed.
--
-- 02_core.sql has the tenant context (pactoria.company_id / pactoria.user_id, read
-- in C by current_company_id()) and enable_tenant_isolation(), which 20_tables.sql
-- applies to every table keyed by company.  This file adds:
--   - the policies of the two tables that are not plain tenant tables: companies
--     (a tenant sees and updates only its own row) and templates (system
--     templates readable by every tenant, writable by none);
--   - set_context() and clear_context(), for the owner and trusted service roles
--     (grant_service_access(), 32_identity_sessions.sql); the application enters a
--     tenant only through resume_session() (32_identity_sessions.sql);
--   - the few things an application must do before it has a context, each a small
--     SECURITY DEFINER function: create_company() (onboarding), find_login()
--     (logging in by e-mail) and find_session() (resolving a session token);
--   - grant_application_access(), which gives an application login role exactly
--     the privileges it needs.
-- Every SECURITY DEFINER function here is owned by the superuser that created the
-- extension (superuser = true in the control file), so it reads past row-level
-- security and may set the superuser-only context settings.

------------------------------------------------------------------------------------
-- companies: a tenant sees and updates only its own row.  No INSERT or DELETE
-- policy: companies are created by create_company() and removed by the owner.
-- Which columns a tenant may change is a column privilege (grant_application_access).
------------------------------------------------------------------------------------
ALTER TABLE pactoria.companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE pactoria.companies FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation_select ON pactoria.companies FOR SELECT
	USING (id = (SELECT pactoria.current_company_id()));
CREATE POLICY tenant_isolation_update ON pactoria.companies FOR UPDATE
	USING (id = (SELECT pactoria.current_company_id()))
	WITH CHECK (id = (SELECT pactoria.require_company_id()));

CREATE TRIGGER trg_companies_require_tenant_context
	BEFORE INSERT OR UPDATE OR DELETE ON pactoria.companies
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.require_tenant_context();

------------------------------------------------------------------------------------
-- templates: a company's own templates are isolated like every tenant table; the
-- system templates (company_id NULL) are added to what every tenant may read.  No
-- write policy admits a NULL company_id, so no tenant can write a system template.
------------------------------------------------------------------------------------
SELECT pactoria.enable_tenant_isolation('pactoria.templates');

CREATE POLICY system_templates_select ON pactoria.templates FOR SELECT
	USING (company_id IS NULL);

------------------------------------------------------------------------------------
-- The tenant context.
------------------------------------------------------------------------------------

-- set_config() with is_local inside a function that has a SET clause: the
-- function's own GUC nest level ends when it returns, but a value set locally
-- for a setting not in its SET list is handed down to the caller's level
-- (guc.c, AtEOXact_GUC), so it lasts until the caller's transaction ends.
CREATE FUNCTION pactoria.set_context(company_id uuid, user_id uuid DEFAULT NULL, is_local boolean DEFAULT true)
RETURNS void
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF set_context.company_id IS NULL THEN
		RAISE EXCEPTION 'company_id of the tenant context must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Call pactoria.clear_context() to leave the tenant context.';
	END IF;
	IF set_context.is_local IS NULL THEN
		RAISE EXCEPTION 'is_local must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Pass true for the current transaction, false for the session.';
	END IF;

	PERFORM FROM pactoria.companies AS c
	WHERE c.id = set_context.company_id AND c.is_active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'company % does not exist or is not active', set_context.company_id
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'A tenant context can only be set for an active company.';
	END IF;

	IF set_context.user_id IS NOT NULL THEN
		PERFORM FROM pactoria.users AS u
		WHERE u.company_id = set_context.company_id AND u.id = set_context.user_id AND u.is_active;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'user % is not an active user of company %', set_context.user_id, set_context.company_id
				USING ERRCODE = 'insufficient_privilege',
					  DETAIL = 'A tenant context can only name an active user of its own company.';
		END IF;
	END IF;

	PERFORM pg_catalog.set_config('pactoria.company_id', set_context.company_id::text, set_context.is_local);
	PERFORM pg_catalog.set_config('pactoria.user_id', coalesce(set_context.user_id::text, ''), set_context.is_local);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.set_context(uuid, uuid, boolean) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.set_context(uuid, uuid, boolean) IS
'Sets the tenant context (pactoria.company_id, pactoria.user_id) until the end of the transaction, or of the session when is_local is false; refuses (42501) an unknown or inactive company, and a user who is not an active user of that company. For the owner and trusted service roles (grant_service_access()); the application role enters a tenant through resume_session().';

CREATE FUNCTION pactoria.clear_context()
RETURNS void
LANGUAGE sql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
BEGIN ATOMIC
	SELECT pg_catalog.set_config('pactoria.company_id', '', false), pg_catalog.set_config('pactoria.user_id', '', false);
END;

REVOKE EXECUTE ON FUNCTION pactoria.clear_context() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.clear_context() IS
'Leaves the tenant context, for the rest of the session: no tenant row is visible and tenant writes are refused until pactoria.set_context() is called again.';

------------------------------------------------------------------------------------
-- Onboarding: a new company and its first administrator, in one call.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.create_company(
	company_name text,
	admin_email text,
	admin_full_name text,
	admin_hashed_password text DEFAULT NULL,
	subscription_tier text DEFAULT 'starter',
	registration_number text DEFAULT NULL,
	vat_number text DEFAULT NULL,
	address text DEFAULT NULL,
	postcode text DEFAULT NULL,
	OUT company_id uuid,
	OUT user_id uuid)
RETURNS record
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	bad_name text;
	bad_name_length integer;
BEGIN
	IF company_name IS NULL OR admin_email IS NULL OR admin_full_name IS NULL
	   OR create_company.subscription_tier IS NULL THEN
		RAISE EXCEPTION '% must not be NULL',
			CASE WHEN company_name IS NULL THEN 'company_name' WHEN admin_email IS NULL THEN 'admin_email'
				 WHEN admin_full_name IS NULL THEN 'admin_full_name' ELSE 'subscription_tier' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT n.label, length(btrim(n.value)) INTO bad_name, bad_name_length
	FROM (VALUES ('company name', company_name), ('administrator name', admin_full_name)) AS n (label, value)
	WHERE length(btrim(n.value)) NOT BETWEEN 1 AND 200
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION '% has % characters, not 1 to 200', bad_name, bad_name_length
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Surrounding spaces are not counted, and are removed.';
	END IF;
	IF length(admin_email) > 254 THEN
		RAISE EXCEPTION 'e-mail address has % characters, more than 254', length(admin_email)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT pactoria.is_valid_email(admin_email) THEN
		RAISE EXCEPTION 'invalid e-mail address "%"', pactoria.quote_prefix(admin_email)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An e-mail address is local@domain.tld in ASCII, with no two dots in a row.';
	END IF;
	IF length(admin_hashed_password) NOT BETWEEN 20 AND 500 THEN
		RAISE EXCEPTION 'administrator password hash has % characters, not 20 to 500', length(admin_hashed_password)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Pass a password hash, such as crypt(password, gen_salt(''bf'')) of pgcrypto, never the password itself.';
	END IF;
	IF EXISTS (SELECT 1 FROM pactoria.users AS u WHERE lower(u.email) = lower(admin_email)) THEN
		RAISE EXCEPTION 'e-mail address "%" is already in use', pactoria.quote_prefix(admin_email)
			USING ERRCODE = 'unique_violation',
				  DETAIL = 'E-mail addresses are unique across all companies.';
	END IF;

	INSERT INTO pactoria.companies (name, subscription_tier, registration_number, vat_number, address, postcode)
	VALUES (btrim(company_name), create_company.subscription_tier, create_company.registration_number,
			create_company.vat_number, create_company.address, create_company.postcode)
	RETURNING id INTO create_company.company_id;

	INSERT INTO pactoria.users (company_id, email, full_name, hashed_password, role)
	VALUES (create_company.company_id, admin_email, btrim(admin_full_name), admin_hashed_password, 'admin')
	RETURNING id INTO create_company.user_id;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.create_company(text, text, text, text, text, text, text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.create_company(text, text, text, text, text, text, text, text, text) IS
'Onboarding: creates a company and its first user, an administrator, in one transaction, and returns their ids (company_id, user_id). The one way to create a company for a role under row-level security.';

------------------------------------------------------------------------------------
-- Before the context: logging in and resolving a session.  Each returns the least
-- that the step needs, and nothing for an unknown input.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.find_login(email text)
RETURNS TABLE (company_id uuid, user_id uuid, hashed_password text, is_active boolean, locked_until timestamptz)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
BEGIN ATOMIC
	SELECT u.company_id, u.id, u.hashed_password, u.is_active AND c.is_active, u.locked_until
	FROM pactoria.users AS u
	JOIN pactoria.companies AS c ON c.id = u.company_id
	WHERE lower(u.email) = lower(find_login.email);
END;

REVOKE EXECUTE ON FUNCTION pactoria.find_login(text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.find_login(text) IS
'Logging in: for an e-mail address (any case), its user''s company, id, password hash, whether user and company are both active, and locked_until; no row for an unknown address. Check the password and the lock, then call pactoria.set_context().';

CREATE FUNCTION pactoria.find_session(token_hash bytea)
RETURNS TABLE (company_id uuid, user_id uuid)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
ROWS 1
AS $$
BEGIN
	IF octet_length(find_session.token_hash) NOT BETWEEN 32 AND 64 THEN
		RAISE EXCEPTION 'session token hash has % bytes, not 32 to 64', octet_length(find_session.token_hash)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Pass the digest of the session token, such as sha256(token), never the token itself.';
	END IF;
	-- A hash found in more than one session (only possible if a tenant stored
	-- another tenant's hash) resolves to nothing rather than to either.
	RETURN QUERY
	SELECT s.company_id, s.user_id
	FROM pactoria.user_sessions AS s
	JOIN pactoria.users AS u ON u.company_id = s.company_id AND u.id = s.user_id
	JOIN pactoria.companies AS c ON c.id = s.company_id
	WHERE s.token_hash = find_session.token_hash
	  AND s.status = 'active' AND s.expires_at > now()
	  AND u.is_active AND c.is_active
	  AND NOT EXISTS (SELECT 1 FROM pactoria.user_sessions AS other
					  WHERE other.token_hash = s.token_hash
						AND (other.company_id, other.id) <> (s.company_id, s.id));
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.find_session(bytea) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.find_session(bytea) IS
'Resolving a session: for the digest of a session token, the company and user of its session when that session is active and unexpired and its user and company are active; otherwise no row.';

------------------------------------------------------------------------------------
-- Privileges of the application role.
------------------------------------------------------------------------------------

-- What an application may write is an explicit list, kept here where it can be
-- reviewed; nothing else in the schema is writable by it:
--   the tenant tables below (row-level security forced)  SELECT and the listed writes
--   companies                                            SELECT, UPDATE of the columns a tenant owns
--   every other table (configuration, reference data,
--   and the append-only audit_logs, audit_chain_heads,
--   audit_checkpoints and contract_versions)             SELECT
--   views (security_invoker only)                        SELECT
--   materialized views without company_id                SELECT
--   sequences of the columns of tables it may insert     USAGE
--   the tenancy API                                      EXECUTE
-- and nothing else: no TRUNCATE, REFERENCES or TRIGGER, no partition directly (a
-- partition is reached through its parent, under the parent's policies).  The
-- append-only tables are written only by pactoria's own writers, as the owner:
-- the audit trigger, log_event() and audit_checkpoint(), and contract versioning.
-- system_metrics gets INSERT alone, because record_metric() inserts as the caller.
-- Every call first revokes everything the role holds on the schema's tables and
-- sequences, so calling it again after ALTER EXTENSION UPDATE removes what an
-- earlier version granted (0.1.0 granted writes on every table with company_id).
-- Tables added later to schema pactoria are readable once it is called again,
-- and writable only when added to the list.
CREATE FUNCTION pactoria.grant_application_access(application_role regrole)
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

	-- The application names no tenant itself: it presents a session token to
	-- resume_session() in each transaction.  set_context() is for the owner and
	-- for trusted service roles (grant_service_access()).
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.create_company(text, text, text, text, text, text, text, text, text)'
				   ' TO %s', application_role);
	EXECUTE format('GRANT EXECUTE ON FUNCTION pactoria.resume_session(text), pactoria.refresh_session(text),'
				   ' pactoria.end_session(text), pactoria.end_all_sessions(uuid) TO %s', application_role);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.grant_application_access(regrole) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.grant_application_access(regrole) IS
'Gives an application login role exactly what it needs: schema usage, the writes of an explicit list of tenant tables (under forced row-level security), SELECT and UPDATE of its own columns on companies, SELECT on the rest (never a write on audit_logs, audit_chain_heads, audit_checkpoints or contract_versions, no write on user_sessions), EXECUTE on the session API (resume_session, refresh_session, end_session, end_all_sessions) but not set_context(), find_login() or find_session(). Refuses a role that is, or can become, a superuser, BYPASSRLS or owner. Idempotent: it first revokes what the role held, so call it again after ALTER EXTENSION UPDATE.';
