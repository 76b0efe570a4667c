
-- 24_user_roles.sql: roles inside a company.
--
-- A user's role decides what the user may do (approving a contract needs
-- legal_reviewer or admin), so who may change roles is part of tenant isolation:
--   - For a writer that row-level security applies to (the application role;
--     the same test as pactoria.require_tenant_context()), adding or deleting a
--     user and changing a user's role or is_active need the user in the tenant
--     context (pactoria.current_user_id()) to be an active admin of that company;
--     otherwise insufficient_privilege (42501) and nothing is written.  The owner
--     and superusers are trusted and exempt: create_company() (onboarding, which
--     inserts the first admin) and maintenance work without a context.
--   - For every writer, owner included: an active company keeps at least one
--     active admin.  Demoting, deactivating or deleting its last active admin is
--     refused with check_violation (23514).  Only an inactive company (which no
--     tenant context can be set for) may lose its last admin, e.g. when the owner
--     removes a company's data.
-- Concurrency: the check locks (FOR SHARE) the acting admin's row and one other
-- active admin's row, and the UPDATE or DELETE has already locked the row it
-- changes.  Two admins demoting each other at once therefore serialise: under
-- READ COMMITTED the second re-reads the first one's committed row and finds no
-- other admin (23514); under REPEATABLE READ or SERIALIZABLE the second gets a
-- serialization failure (40001).  A locked admin cannot be demoted until the
-- locking transaction ends, so a company never commits with zero admins.

CREATE FUNCTION pactoria.guard_user_roles()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	target_company_id uuid;
	acting_user_id uuid;
	acting_role text;
	acting_is_active boolean;
BEGIN
	IF TG_OP = 'DELETE' THEN
		target_company_id := OLD.company_id;
	ELSE
		target_company_id := NEW.company_id;
	END IF;

	IF pg_catalog.row_security_active(TG_RELID) THEN
		acting_user_id := pactoria.current_user_id();
		SELECT u.role, u.is_active INTO acting_role, acting_is_active
		FROM pactoria.users AS u
		WHERE u.company_id = target_company_id AND u.id = acting_user_id
		FOR SHARE;
		IF acting_role IS DISTINCT FROM 'admin' OR NOT acting_is_active THEN
			RAISE EXCEPTION 'only an active admin of the company may %',
				CASE TG_OP WHEN 'INSERT' THEN 'add a user' WHEN 'DELETE' THEN 'delete a user'
						   ELSE 'change a user''s role or active state' END
				USING ERRCODE = 'insufficient_privilege',
					  DETAIL = CASE WHEN acting_user_id IS NULL THEN 'The tenant context names no user.'
									WHEN acting_role IS NULL THEN format('User %s of the tenant context is not a user of the company.', acting_user_id)
									WHEN NOT acting_is_active THEN format('User %s of the tenant context is not active.', acting_user_id)
									ELSE format('User %s of the tenant context has the role %s.', acting_user_id, acting_role) END,
					  HINT = 'Set the tenant context to an active admin: pactoria.set_context(company_id, admin_user_id).';
		END IF;
	END IF;

	IF TG_OP <> 'INSERT' AND OLD.role = 'admin' AND OLD.is_active
	   AND (TG_OP = 'DELETE' OR NEW.role <> 'admin' OR NOT NEW.is_active) THEN
		PERFORM FROM pactoria.companies AS c WHERE c.id = OLD.company_id AND c.is_active;
		IF FOUND THEN
			PERFORM FROM pactoria.users AS u
			WHERE u.company_id = OLD.company_id AND u.id <> OLD.id AND u.role = 'admin' AND u.is_active
			LIMIT 1
			FOR SHARE;
			IF NOT FOUND THEN
				RAISE EXCEPTION 'user % is the last active admin of company %', OLD.id, OLD.company_id
					USING ERRCODE = 'check_violation',
						  DETAIL = format('An active company keeps at least one active admin; the user cannot be %s.',
										  CASE WHEN TG_OP = 'DELETE' THEN 'deleted'
											   WHEN NOT NEW.is_active THEN 'deactivated' ELSE 'given another role' END),
						  HINT = 'Make another user an active admin first.';
			END IF;
		END IF;
	END IF;

	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.guard_user_roles() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.guard_user_roles() IS
'BEFORE INSERT OR DELETE and BEFORE UPDATE OF role, is_active row trigger of users: under row-level security only an active admin in the tenant context may add or delete users or change role or is_active (42501); an active company never loses its last active admin (23514).';

CREATE TRIGGER trg_users_guard_roles
	BEFORE INSERT OR DELETE ON pactoria.users
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.guard_user_roles();

CREATE TRIGGER trg_users_guard_role_changes
	BEFORE UPDATE OF role, is_active ON pactoria.users
	FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.is_active IS DISTINCT FROM NEW.is_active)
	EXECUTE FUNCTION pactoria.guard_user_roles();
