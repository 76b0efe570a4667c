
-- 30_tenancy.sql: tenant isolation, completed.
--
-- 02_core.sql has the tenant context (pactoria.company_id / pactoria.user_id, read
-- in C by current_company_id()) and enable_tenant_isolation(), which 20_tables.sql
-- applies to every table keyed by company.  This file adds:
--   - the policies of the two tables that are not plain tenant tables: companies
--     (a tenant sees and updates only its own row) and templates (system
--     templates readable by every tenant, writable by none);
--   - set_context() and clear_context() (31_set_context.sql), for the owner and trusted
--     service roles (grant_service_access(), 32_identity_sessions.sql); the application enters a
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
	USING (id OPERATOR(pg_catalog.=) pactoria.current_company_id());
CREATE POLICY tenant_isolation_update ON pactoria.companies FOR UPDATE
	USING (id OPERATOR(pg_catalog.=) pactoria.current_company_id())
	WITH CHECK (id OPERATOR(pg_catalog.=) pactoria.require_company_id());

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

-- set_context() and clear_context(): 31_set_context.sql.

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

-- grant_application_access(), which gives an application role its privileges, is
-- defined with the identity functions it grants (34_identity_auth.sql).
