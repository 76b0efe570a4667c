
-- 60_contract_lifecycle.sql: contract versions and the contract lifecycle.
--
-- Versions: inserting a contract records version 1 in contract_versions; each
-- UPDATE that changes its content (plain_english_input, generated_content,
-- final_content) increments contracts.version in the same row write and records
-- the new version with the full content, the transaction's change summary
-- (pactoria.set_change_summary) and the user in the tenant context.  The row
-- lock of the UPDATE serialises the numbering, so versions are 1..N without
-- gaps under any concurrency.  The history is immutable: no UPDATE, DELETE,
-- TRUNCATE or hand-made INSERT, owner included; a draft goes with its history
-- only through pactoria.delete_contract().
--
-- Lifecycle: draft -> pending_review -> approved -> active -> expired | terminated;
-- draft | pending_review -> cancelled; pending_review | approved -> draft.
-- Content changes only in draft and pending_review; "active" needs a start date;
-- "approved" needs a legal reviewer or an admin in the tenant context.
-- Reviewed history stays: contracts.submitted_for_review_at records when a
-- contract first went to pending_review (set here, never changed, refused on
-- INSERT), and a contract that has it is never deleted, not even back in draft
-- after rework.  delete_contract() therefore deletes only drafts that were never
-- submitted; the others are cancelled or terminated.
--
-- Triggers on contracts (BEFORE and AFTER triggers each fire in name order):
--   trg_contracts_enforce_lifecycle      BEFORE INSERT OR UPDATE OR DELETE (C)
--   trg_contracts_record_first_version   AFTER INSERT (C)
--   trg_contracts_record_version         AFTER UPDATE WHEN the version changed (C)
--   trg_contracts_record_submission(_on_update) BEFORE INSERT, UPDATE WHEN it has work
--   trg_contracts_keep_reviewed_history  BEFORE DELETE WHEN the contract was submitted
-- The AFTER triggers record the row as finally written, whatever other BEFORE
-- triggers did to it.  On contract_versions:
--   trg_contract_versions_guard_history  BEFORE INSERT OR UPDATE OR DELETE (C)
--   trg_contract_versions_refuse_truncate BEFORE TRUNCATE (C)

CREATE FUNCTION pactoria.enforce_contract_lifecycle()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_enforce_contract_lifecycle'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.enforce_contract_lifecycle() IS
'BEFORE INSERT OR UPDATE OR DELETE row trigger of contracts: new contracts are drafts at version 1, status changes follow the lifecycle, content changes only in draft and pending_review and increments version, approval needs a legal reviewer or admin, active needs a start date, deletion only through pactoria.delete_contract().';

CREATE TRIGGER trg_contracts_enforce_lifecycle
	BEFORE INSERT OR UPDATE OR DELETE ON pactoria.contracts
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.enforce_contract_lifecycle();

CREATE FUNCTION pactoria.record_contract_version()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_record_contract_version'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.record_contract_version() IS
'AFTER INSERT or AFTER UPDATE (when the version changed) row trigger of contracts: records the row''s content in contract_versions as version NEW.version, with the transaction''s change summary and the user in the tenant context.';

CREATE TRIGGER trg_contracts_record_first_version
	AFTER INSERT ON pactoria.contracts
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.record_contract_version();

CREATE TRIGGER trg_contracts_record_version
	AFTER UPDATE ON pactoria.contracts
	FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
	EXECUTE FUNCTION pactoria.record_contract_version();

CREATE FUNCTION pactoria.guard_contract_history()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_guard_contract_history'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.guard_contract_history() IS
'BEFORE INSERT OR UPDATE OR DELETE row trigger and BEFORE TRUNCATE trigger of contract_versions: the history is immutable; rows come only from the versioning trigger and go only with their draft through pactoria.delete_contract().';

-- Only pactoria's own triggers run these functions: attached to a table of a
-- user's making, the recording trigger would write history rows of its choosing.
REVOKE EXECUTE ON FUNCTION pactoria.enforce_contract_lifecycle() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.record_contract_version() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pactoria.guard_contract_history() FROM PUBLIC;

CREATE TRIGGER trg_contract_versions_guard_history
	BEFORE INSERT OR UPDATE OR DELETE ON pactoria.contract_versions
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.guard_contract_history();

CREATE TRIGGER trg_contract_versions_refuse_truncate
	BEFORE TRUNCATE ON pactoria.contract_versions
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.guard_contract_history();

------------------------------------------------------------------------------------
-- Reviewed history stays.  Both triggers have a WHEN clause, so an ordinary
-- UPDATE (content, parties, dates) never calls them.
------------------------------------------------------------------------------------
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
	FOR EACH ROW WHEN (NEW.submitted_for_review_at IS NOT NULL AND NOT pactoria.restore_in_progress())
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

------------------------------------------------------------------------------------
-- The change summary of a transaction.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.set_change_summary(summary text)
RETURNS void
AS 'MODULE_PATHNAME', 'pactoria_set_change_summary'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION pactoria.set_change_summary(text) IS
'Sets the change summary recorded with the contract versions the current transaction creates (setting pactoria.change_summary, until the transaction ends); NULL clears it. At most 2000 characters.';

------------------------------------------------------------------------------------
-- History, restore, diff, delete.
------------------------------------------------------------------------------------
-- The two lookups every function below starts with: the contract (of the tenant
-- in context: other tenants' contracts do not exist here), then one of its versions.
CREATE FUNCTION pactoria.current_contract_version(contract_id uuid)
RETURNS integer
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	current_version integer;
BEGIN
	SELECT c.version INTO current_version
	FROM pactoria.contracts AS c
	WHERE c.company_id = pactoria.require_company_id() AND c.id = current_contract_version.contract_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contract % does not exist', current_contract_version.contract_id
			USING ERRCODE = 'undefined_object',
				  DETAIL = 'No contract of the company in the tenant context has this id.';
	END IF;
	RETURN current_version;
END
$$;

COMMENT ON FUNCTION pactoria.current_contract_version(uuid) IS
'The current version number of a contract of the tenant in context. Unknown contract: undefined_object (42704); no tenant context: insufficient_privilege (42501).';

CREATE FUNCTION pactoria.contract_version(contract_id uuid, version_number integer)
RETURNS pactoria.contract_versions
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	current_version integer := pactoria.current_contract_version(contract_version.contract_id);
	found_version pactoria.contract_versions;
BEGIN
	SELECT * INTO found_version
	FROM pactoria.contract_versions AS v
	WHERE v.company_id = pactoria.require_company_id() AND v.contract_id = contract_version.contract_id
	  AND v.version_number = contract_version.version_number;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contract % has no version %', contract_version.contract_id, contract_version.version_number
			USING ERRCODE = 'undefined_object',
				  DETAIL = format('Its versions are 1 to %s.', current_version);
	END IF;
	RETURN found_version;
END
$$;

COMMENT ON FUNCTION pactoria.contract_version(uuid, integer) IS
'One version of a contract of the tenant in context, with its full content. Unknown contract or version: undefined_object (42704).';

-- pactoria.contract_history(): 62_contract_history.sql.

CREATE FUNCTION pactoria.restore_contract_version(contract_id uuid, version_number integer,
												  change_summary text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
SET pactoria.change_summary = ''
AS $$
DECLARE
	restored pactoria.contract_versions;
	current_version integer;
	new_version integer;
BEGIN
	IF restore_contract_version.contract_id IS NULL THEN
		RAISE EXCEPTION 'contract id must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF restore_contract_version.version_number IS NULL THEN
		RAISE EXCEPTION 'version number must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	restored := pactoria.contract_version(restore_contract_version.contract_id, restore_contract_version.version_number);

	SELECT c.version INTO current_version
	FROM pactoria.contracts AS c
	WHERE c.company_id = restored.company_id AND c.id = restored.contract_id
	FOR UPDATE;

	-- The function's SET clause gives the summary back to the caller afterwards.
	PERFORM pactoria.set_change_summary(coalesce(restore_contract_version.change_summary,
												 format('Restored version %s', restore_contract_version.version_number)));
	UPDATE pactoria.contracts AS c
	SET plain_english_input = restored.plain_english_input,
		generated_content = restored.generated_content,
		final_content = restored.final_content
	WHERE c.company_id = restored.company_id AND c.id = restored.contract_id
	RETURNING c.version INTO new_version;

	IF new_version = current_version THEN
		RAISE NOTICE 'contract % already has the content of version %; no version was created',
			restore_contract_version.contract_id, restore_contract_version.version_number;
	END IF;
	RETURN new_version;
END
$$;

COMMENT ON FUNCTION pactoria.restore_contract_version(uuid, integer, text) IS
'Gives a contract of the tenant in context the content of one of its earlier versions, as a new version (history is never rewritten) with the summary given or "Restored version N"; returns the contract''s version afterwards. Allowed only while the contract is draft or pending_review.';

CREATE FUNCTION pactoria.diff_text(old_text text, new_text text)
RETURNS TABLE (line_number_from integer, line_number_to integer, operation text, line text)
AS 'MODULE_PATHNAME', 'pactoria_diff_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.diff_text(text, text) IS
'Line diff of two texts, in document order: operation unchanged (both line numbers), removed (line_number_from only) or added (line_number_to only), and the line. Lines end at \n or \r\n, so line endings are not changes. A shortest diff (Myers) unless the texts differ in so many places that a good diff is taken instead of searching longer.';

CREATE FUNCTION pactoria.diff_contract_versions(contract_id uuid, from_version integer, to_version integer)
RETURNS TABLE (line_number_from integer, line_number_to integer, operation text, line text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
BEGIN ATOMIC
	SELECT d.line_number_from, d.line_number_to, d.operation, d.line
	FROM pactoria.contract_version(contract_id, from_version) AS old_version,
		 pactoria.contract_version(contract_id, to_version) AS new_version,
		 pactoria.diff_text(coalesce(old_version.content, ''), coalesce(new_version.content, ''))
			WITH ORDINALITY AS d(line_number_from, line_number_to, operation, line, position)
	ORDER BY d.position;
END;

COMMENT ON FUNCTION pactoria.diff_contract_versions(uuid, integer, integer) IS
'Line diff between two versions of a contract of the tenant in context (their content: final, else generated, else plain-English input), computed in C by pactoria.diff_text. Unknown contract or version: undefined_object (42704).';

CREATE FUNCTION pactoria.delete_contract(contract_id uuid)
RETURNS void
AS 'MODULE_PATHNAME', 'pactoria_delete_contract'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION pactoria.delete_contract(uuid) IS
'Deletes a draft contract of the tenant in context that was never submitted for review, together with its version history (the only way either is deleted); its compliance scores and extractions go with it, chat messages and risks lose the reference. Runs as the caller, under row-level security. A contract that is not a draft, or was ever pending_review (submitted_for_review_at set): object_not_in_prerequisite_state (55000).';

------------------------------------------------------------------------------------
-- Expiry.
------------------------------------------------------------------------------------
-- An end date is the last day of the contract: it expires once that day has
-- passed, in the session's time zone.
-- pactoria.expire_contracts() and pactoria.expiring_contracts(): 61_contract_expiry.sql.
