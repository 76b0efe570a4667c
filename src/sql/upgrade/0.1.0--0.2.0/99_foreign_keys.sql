-- The foreign keys that were ON DELETE SET NULL (column) are NO ACTION; the
-- trigger pactoria.detach_references() (41_detach_references.sql, restated
-- after this file) clears the references instead.  Dropping and adding a
-- constraint keeps every row and grant; adding it checks the rows again.
ALTER TABLE pactoria.contracts
	DROP CONSTRAINT contracts_ai_generation_id_fkey,
	ADD CONSTRAINT contracts_ai_generation_id_fkey FOREIGN KEY (company_id, ai_generation_id)
		REFERENCES pactoria.ai_generations (company_id, id);
ALTER TABLE pactoria.chat_messages
	DROP CONSTRAINT chat_messages_contract_id_fkey,
	ADD CONSTRAINT chat_messages_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id);
ALTER TABLE pactoria.risk_assessments
	DROP CONSTRAINT risk_assessments_contract_id_fkey,
	ADD CONSTRAINT risk_assessments_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id);
ALTER TABLE pactoria.system_metrics
	DROP CONSTRAINT system_metrics_user_id_fkey,
	ADD CONSTRAINT system_metrics_user_id_fkey FOREIGN KEY (company_id, user_id)
		REFERENCES pactoria.users (company_id, id);
