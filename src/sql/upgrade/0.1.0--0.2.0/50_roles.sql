
-- 50_roles.sql: roles inside a company, and reviewed history stays (issue 12,
-- cases 7 and 8).  See src/sql/24_user_roles.sql and the "Reviewed history
-- stays" section of src/sql/60_contract_lifecycle.sql.

------------------------------------------------------------------------------------
-- Roles inside a company: only an active admin in the tenant context changes
-- roles and membership; an active company keeps its last active admin.
------------------------------------------------------------------------------------
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
	FOR EACH ROW EXECUTE FUNCTION pactoria.guard_user_roles();

CREATE TRIGGER trg_users_guard_role_changes
	BEFORE UPDATE OF role, is_active ON pactoria.users
	FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.is_active IS DISTINCT FROM NEW.is_active)
	EXECUTE FUNCTION pactoria.guard_user_roles();

------------------------------------------------------------------------------------
-- Reviewed history stays: contracts.submitted_for_review_at, and no deletion of a
-- contract that has it.
------------------------------------------------------------------------------------
ALTER TABLE pactoria.contracts ADD COLUMN submitted_for_review_at timestamptz;

COMMENT ON COLUMN pactoria.contracts.submitted_for_review_at IS 'When the contract first went to pending_review; set by pactoria, never changed. NULL for a contract never submitted: only such a draft can be deleted (pactoria.delete_contract).';

-- Backfill, before the triggers exist and with no trigger firing (as a restore:
-- updated_at, versions and the audit trail are not touched).  A contract counts
-- as submitted when
--   - its status is neither draft nor cancelled: every later status is reached
--     only through pending_review; or
--   - the audit trail shows it in a status other than draft or cancelled (a draft
--     back from review, or a contract cancelled from pending_review).
-- The time is that of its first such audit entry, else updated_at.  A draft
-- reworked so long ago that its audit entries were dropped by retention, or
-- whose table was not audited, cannot be told from a fresh draft and stays
-- deletable; the audit trail can only make a contract more protected, never less.
DO $$
DECLARE
	previous_role text := pg_catalog.current_setting('session_replication_role');
BEGIN
	PERFORM pg_catalog.set_config('session_replication_role', 'replica', true);

	UPDATE pactoria.contracts AS c
	SET submitted_for_review_at = evidence.first_seen
	FROM (SELECT a.company_id, a.resource_id AS contract_id, min(a.occurred_at) AS first_seen
		  FROM pactoria.audit_logs AS a
		  WHERE a.resource_type = 'contracts' AND a.resource_id IS NOT NULL
			AND (a.new_values ->> 'status' IN ('pending_review', 'approved', 'active', 'expired', 'terminated')
				 OR a.old_values ->> 'status' IN ('pending_review', 'approved', 'active', 'expired', 'terminated'))
		  GROUP BY a.company_id, a.resource_id) AS evidence
	WHERE c.company_id = evidence.company_id AND c.id = evidence.contract_id;

	UPDATE pactoria.contracts AS c
	SET submitted_for_review_at = c.updated_at
	WHERE c.submitted_for_review_at IS NULL AND c.status NOT IN ('draft', 'cancelled');

	PERFORM pg_catalog.set_config('session_replication_role', previous_role, true);
END
$$;

CREATE FUNCTION pactoria.record_contract_submission()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.submitted_for_review_at IS DISTINCT FROM OLD.submitted_for_review_at THEN
		RAISE EXCEPTION 'submitted_for_review_at of contract % cannot be written', NEW.id
			USING ERRCODE = 'generated_always',
				  DETAIL = 'pactoria sets it when the contract first goes to pending_review, and never changes it.';
	END IF;
	NEW.submitted_for_review_at := now();
	RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.record_contract_submission() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.record_contract_submission() IS
'BEFORE INSERT OR UPDATE row trigger of contracts (WHEN it has work): sets submitted_for_review_at when the contract first goes to pending_review; refuses (428C9) any other write of that column.';

CREATE TRIGGER trg_contracts_record_submission
	BEFORE INSERT ON pactoria.contracts
	FOR EACH ROW WHEN (NEW.submitted_for_review_at IS NOT NULL)
	EXECUTE FUNCTION pactoria.record_contract_submission();

CREATE TRIGGER trg_contracts_record_submission_on_update
	BEFORE UPDATE ON pactoria.contracts
	FOR EACH ROW WHEN ((NEW.status = 'pending_review' AND OLD.submitted_for_review_at IS NULL)
					   OR NEW.submitted_for_review_at IS DISTINCT FROM OLD.submitted_for_review_at)
	EXECUTE FUNCTION pactoria.record_contract_submission();

CREATE FUNCTION pactoria.keep_reviewed_history()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'contract % was submitted for review and cannot be deleted', OLD.id
		USING ERRCODE = 'object_not_in_prerequisite_state',
			  DETAIL = format('It went to pending_review at %s; a contract that was reviewed keeps its version history, even back in draft.',
							  OLD.submitted_for_review_at),
			  HINT = 'Set its status to "cancelled" (from draft or pending_review) or "terminated" (when active) instead.';
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.keep_reviewed_history() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.keep_reviewed_history() IS
'BEFORE DELETE row trigger of contracts, WHEN submitted_for_review_at is set: a contract that was ever submitted for review is never deleted (55000), so pactoria.delete_contract() removes only drafts that never left draft.';

CREATE TRIGGER trg_contracts_keep_reviewed_history
	BEFORE DELETE ON pactoria.contracts
	FOR EACH ROW WHEN (OLD.submitted_for_review_at IS NOT NULL)
	EXECUTE FUNCTION pactoria.keep_reviewed_history();

COMMENT ON FUNCTION pactoria.delete_contract(uuid) IS
'Deletes a draft contract of the tenant in context that was never submitted for review, together with its version history (the only way either is deleted); its compliance scores and extractions go with it, chat messages and risks lose the reference. Runs as the caller, under row-level security. A contract that is not a draft, or was ever pending_review (submitted_for_review_at set): object_not_in_prerequisite_state (55000).';
