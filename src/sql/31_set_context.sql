
------------------------------------------------------------------------------------
-- The tenant context of the owner and trusted service roles: set_context() and
-- clear_context() (also restated by the 0.1.0 -> 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- Internal: on Citus, pactoria.context for the rest of the transaction, here and
-- (a SET LOCAL statement Citus forwards) on every worker: signed, naming the company
-- and the user (nil: none) and no session, or '' for a NULL company.  Without
-- Citus, nothing (and no server key needed).
CREATE OR REPLACE FUNCTION pactoria.forward_tenant_context(company_id uuid, user_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	propagate text;
	signed_value text := '';
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'citus') THEN
		RETURN;
	END IF;
	IF forward_tenant_context.company_id IS NOT NULL THEN
		signed_value := pactoria.sign_context(forward_tenant_context.company_id,
			coalesce(forward_tenant_context.user_id, '00000000-0000-0000-0000-000000000000'),
			'00000000-0000-0000-0000-000000000000',
			pg_catalog.statement_timestamp() OPERATOR(pg_catalog.+) interval '1 hour', false);
	END IF;
	propagate := pg_catalog.current_setting('citus.propagate_set_commands');
	PERFORM pg_catalog.set_config('citus.propagate_set_commands', 'local', true);
	EXECUTE pg_catalog.format('SET LOCAL pactoria.context = %L', signed_value);
	PERFORM pg_catalog.set_config('citus.propagate_set_commands', propagate, true);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.forward_tenant_context(uuid, uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.forward_tenant_context(uuid, uuid) IS
'Internal, for set_context() and clear_context(): on Citus, a signed pactoria.context naming the company and user (or none for a NULL company) as SET LOCAL, which Citus forwards to the workers of the transaction; without Citus, nothing.';

-- set_config() with is_local inside a function that has a SET clause: the
-- function's own GUC nest level ends when it returns, but a value set locally
-- for a setting not in its SET list is handed down to the caller's level
-- (guc.c, AtEOXact_GUC), so it lasts until the caller's transaction ends.
--
-- On Citus, pactoria.company_id stays on the coordinator: Citus forwards to the
-- workers a SET LOCAL statement (with citus.propagate_set_commands = 'local'), not
-- set_config(), and a worker connection of a service role could not take a
-- superuser-only setting (citus.propagate_set_commands is 'local' for that
-- statement, whatever the caller's value).  So set_context() also sets pactoria.context to a value
-- signed with the server key, naming the company and the user (nil: none) and no
-- session, as SET LOCAL, which Citus sends to every worker of the transaction; each
-- worker verifies the signature, as for resume_session().  It counts in this
-- transaction only (its signed value also expires after an hour), so on Citus a
-- session-wide set_context(..., false) reaches the workers in its own transaction
-- only.  On the coordinator pactoria.company_id takes precedence over it.
CREATE OR REPLACE FUNCTION pactoria.set_context(company_id uuid, user_id uuid DEFAULT NULL, is_local boolean DEFAULT true)
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
	PERFORM pactoria.forward_tenant_context(set_context.company_id, set_context.user_id);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.set_context(uuid, uuid, boolean) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.set_context(uuid, uuid, boolean) IS
'Sets the tenant context (pactoria.company_id, pactoria.user_id) until the end of the transaction, or of the session when is_local is false; refuses (42501) an unknown or inactive company, and a user who is not an active user of that company. On Citus it also reaches the workers, for the current transaction. For the owner and trusted service roles (grant_service_access()); the application role enters a tenant through resume_session().';

-- On Citus, also the context set_context() forwarded, for the rest of the
-- transaction, here and on the workers.
CREATE OR REPLACE FUNCTION pactoria.clear_context()
RETURNS void
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	PERFORM pg_catalog.set_config('pactoria.company_id', '', false), pg_catalog.set_config('pactoria.user_id', '', false);
	PERFORM pactoria.forward_tenant_context(NULL, NULL);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.clear_context() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.clear_context() IS
'Leaves the tenant context, for the rest of the session: no tenant row is visible and tenant writes are refused until pactoria.set_context() is called again.';
