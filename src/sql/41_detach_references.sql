-- References cleared when the row they name is deleted.
--
-- 0.1.0 declared these foreign keys ON DELETE SET NULL (column).  Citus
-- refuses SET NULL on a key that includes the distribution column, and every
-- key between tenant tables includes company_id; the keys are now NO ACTION
-- and pactoria.detach_references(), a BEFORE DELETE trigger of the
-- referenced table, sets the referencing column to NULL in the same
-- company's rows first, as the foreign-key action did:
--   ai_generations -> contracts.ai_generation_id
--   contracts      -> chat_messages.contract_id, risk_assessments.contract_id
--   users          -> system_metrics.user_id
-- users.invited_by keeps ON DELETE SET NULL (invited_by): users is a
-- reference table on Citus, whose key has no distribution column.

CREATE FUNCTION pactoria.detach_references()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_detach_references'
LANGUAGE C;

COMMENT ON FUNCTION pactoria.detach_references() IS
'BEFORE DELETE row trigger of users, ai_generations and contracts: sets to NULL, as the table owner, the columns of the same company''s rows that name the deleted row (system_metrics.user_id; contracts.ai_generation_id; chat_messages.contract_id and risk_assessments.contract_id), which ON DELETE SET NULL foreign keys did in 0.1.0.';

REVOKE EXECUTE ON FUNCTION pactoria.detach_references() FROM PUBLIC;

CREATE TRIGGER trg_users_detach_references
	BEFORE DELETE ON pactoria.users
	FOR EACH ROW EXECUTE FUNCTION pactoria.detach_references();
CREATE TRIGGER trg_ai_generations_detach_references
	BEFORE DELETE ON pactoria.ai_generations
	FOR EACH ROW EXECUTE FUNCTION pactoria.detach_references();
CREATE TRIGGER trg_contracts_detach_references
	BEFORE DELETE ON pactoria.contracts
	FOR EACH ROW EXECUTE FUNCTION pactoria.detach_references();
