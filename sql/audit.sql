-- The audit trail: what the trigger and log_event write, statement by statement
-- (each statement its own transaction, so every commit entry is real).
SET timezone = 'UTC';
\set company '''00000000-0000-7000-8000-0000000a0001'''
\set other_company '''00000000-0000-7000-8000-0000000a0002'''
\set ann '''00000000-0000-7000-8000-0000000a00a1'''
\set contract '''00000000-0000-7000-8000-0000000a00c1'''

-- A company's own creation is audited with the company as tenant (audit_trigger('id')).
INSERT INTO pactoria.companies (id, name, registration_number) VALUES (:company, 'Audit Test One Ltd', '01234567');
INSERT INTO pactoria.companies (id, name) VALUES (:other_company, 'Audit Test Two Ltd');
SELECT event_type, resource_type, chain_position, chain_sequence, new_values ->> 'name' AS name,
       new_values ? 'active_user_count' AS logs_active_user_count, new_values ? 'updated_at' AS logs_updated_at
FROM pactoria.audit_logs WHERE company_id = :company ORDER BY chain_sequence NULLS FIRST, chain_position;

-- Secrets are redacted: hashed_password and invitation_token always.
-- (Ann is a legal reviewer: she approves the contract further down, which the
-- contract lifecycle allows only a legal reviewer or an admin.)
SET pactoria.company_id = :company;
INSERT INTO pactoria.users (company_id, id, email, full_name, role, hashed_password, invitation_token)
VALUES (:company, :ann, 'ann@audit-one.example', 'Ann Archer', 'legal_reviewer', repeat('h', 60), repeat('t', 32));
-- The e-mail is personal: stored encrypted under Ann's key, read back in clear.
SELECT new_values -> 'email' ? '$personal' AS email_encrypted,
       pactoria.reveal_personal_values(new_values, resource_type) ->> 'email' AS email,
       new_values ->> 'hashed_password' AS hashed_password, new_values ->> 'invitation_token' AS invitation_token
FROM pactoria.audit_logs WHERE company_id = :company AND resource_type = 'users';
-- The seat count the users trigger keeps on companies is ignored: no companies update entry.
SELECT count(*) AS company_updates FROM pactoria.audit_logs
WHERE company_id = :company AND resource_type = 'companies' AND event_type = 'update';

-- Actor context: user from the tenant context, client address, user agent, session.
SET pactoria.user_id = :ann;
SET pactoria.client_ip = '203.0.113.7';
SET pactoria.user_agent = 'Mozilla/5.0 (audit test)';
SET pactoria.session_id = 'session-42';
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, contract_value, client_name)
VALUES (:company, :contract, 'Office cleaning', 'services', 1200.00, 'Acme Ltd');
SELECT event_type, resource_type, resource_id = :contract AS resource_is_contract, contract_id = :contract AS contract_id_set,
       user_id = :ann AS user_is_ann, ip_address, user_agent, session_id, old_values, changed_columns,
       additional_data -> '$client' ? '$personal' AS client_sealed,
       pactoria.reveal_personal_values(additional_data, 'audit_logs') -> '$client' AS client,
       new_values ->> 'title' AS title, new_values -> 'contract_value' AS contract_value,
       new_values ? 'search_vector' AS logs_generated_column
FROM pactoria.audit_logs WHERE company_id = :company AND resource_type = 'contracts';

-- UPDATE logs only the changed columns, old and new.
UPDATE pactoria.contracts SET title = 'Office cleaning and windows', contract_value = 1500.00 WHERE id = :contract;
SELECT event_type, changed_columns, old_values, new_values
FROM pactoria.audit_logs WHERE company_id = :company AND resource_type = 'contracts' AND event_type = 'update';
-- An UPDATE that changes nothing (updated_at, which set_updated_at bumps, is ignored) logs nothing.
UPDATE pactoria.contracts SET title = title WHERE id = :contract;
SELECT count(*) AS contract_updates FROM pactoria.audit_logs
WHERE company_id = :company AND resource_type = 'contracts' AND event_type = 'update';

-- Rows of children carry their contract.
INSERT INTO pactoria.risk_assessments (company_id, contract_id, risk_name, risk_category, likelihood, impact, risk_level)
VALUES (:company, :contract, 'Late payment', 'financial', 2, 3, 'medium');
SELECT resource_type, contract_id = :contract AS contract_id_set, new_values ? 'risk_score' AS logs_generated_column
FROM pactoria.audit_logs WHERE company_id = :company AND resource_type = 'risk_assessments';

-- Application events.
SELECT pactoria.log_event('export', 'contract', :contract, '{"format": "pdf"}') IS NOT NULL AS logged;
-- The acting user's client is sealed into additional_data; one the caller passes is replaced.
SELECT pactoria.log_event('export', 'contract', :contract, '{"format": "csv", "$client": "forged"}') IS NOT NULL AS logged;
SELECT event_type, resource_type, resource_id = :contract AS resource_is_contract,
       pactoria.reveal_personal_values(additional_data, 'audit_logs') AS additional_data, chain_position
FROM pactoria.audit_logs WHERE company_id = :company AND event_type = 'export' ORDER BY occurred_at, id;
-- A sealed client moved to another resource's binding does not decrypt.
SELECT pactoria.reveal_personal_values(jsonb_build_object('user_agent', additional_data -> '$client'), 'users')
FROM pactoria.audit_logs WHERE company_id = :company AND event_type = 'export' ORDER BY occurred_at, id LIMIT 1;
SELECT pactoria.log_event('login', 'user', NULL, NULL) IS NOT NULL AS logged;
SELECT pactoria.log_event(NULL, 'user');
SELECT pactoria.log_event('login', NULL);
SELECT pactoria.log_event('', 'user');
SELECT pactoria.log_event('update', 'user');
SELECT pactoria.log_event('commit', 'user');
SELECT pactoria.log_event('teleport', 'user');
SELECT pactoria.log_event(repeat('x', 100), 'user');
SELECT pactoria.log_event('login', 'User Accounts');
SELECT pactoria.log_event('login', '');
SELECT pactoria.log_event('login', repeat('r', 64));
SELECT pactoria.log_event('login', 'user', NULL, '[1, 2]');
SELECT pactoria.log_event('login', 'user', NULL, '"text"');
SELECT pactoria.log_event('login', 'user', NULL, jsonb_build_object('blob', repeat('x', 100001)));
SELECT pactoria.log_event('login', 'user', 'not-a-uuid');
RESET pactoria.company_id;
SELECT pactoria.log_event('login', 'user');
SET pactoria.company_id = :company;

-- DELETE logs the old row.
DELETE FROM pactoria.risk_assessments WHERE company_id = :company;
SELECT event_type, old_values ->> 'risk_name' AS risk_name, new_values
FROM pactoria.audit_logs WHERE company_id = :company AND resource_type = 'risk_assessments' AND event_type = 'delete';

-- One transaction, several statements: one segment, positions 1..n, one commit entry.
BEGIN;
UPDATE pactoria.contracts SET status = 'pending_review' WHERE id = :contract;
SELECT pactoria.log_event('read', 'contract', :contract) IS NOT NULL AS logged;
UPDATE pactoria.contracts SET status = 'approved' WHERE id = :contract;
COMMIT;
SELECT event_type, chain_position, chain_sequence IS NOT NULL AS is_commit,
       new_values - 'submitted_for_review_at' AS new_values, new_values ? 'submitted_for_review_at' AS submission_recorded
FROM pactoria.audit_logs
WHERE company_id = :company AND transaction_id = (SELECT max(transaction_id) FROM pactoria.audit_logs WHERE company_id = :company)
ORDER BY chain_position;

-- Only committed work is audited: a rolled-back transaction leaves no entry...
-- (an active contract needs a start date, so the update sets one)
SELECT count(*) AS entries_before FROM pactoria.audit_logs WHERE company_id = :company \gset
BEGIN;
UPDATE pactoria.contracts SET status = 'active', start_date = '2024-01-01' WHERE id = :contract;
SELECT pactoria.log_event('read', 'contract', :contract) IS NOT NULL AS logged;
ROLLBACK;
SELECT count(*) - :entries_before AS new_entries FROM pactoria.audit_logs WHERE company_id = :company;
-- ... and a rolled-back savepoint leaves none of its entries: positions stay 1, 2, 3.
BEGIN;
UPDATE pactoria.contracts SET client_name = 'Acme Holdings Ltd' WHERE id = :contract;
SAVEPOINT before_mistake;
UPDATE pactoria.contracts SET client_name = 'Wrong Client Ltd' WHERE id = :contract;
SELECT pactoria.log_event('share', 'contract', :contract) IS NOT NULL AS logged;
ROLLBACK TO SAVEPOINT before_mistake;
SELECT pactoria.log_event('print', 'contract', :contract) IS NOT NULL AS logged;
COMMIT;
SELECT event_type, chain_position, new_values
FROM pactoria.audit_logs
WHERE company_id = :company AND transaction_id = (SELECT max(transaction_id) FROM pactoria.audit_logs WHERE company_id = :company)
ORDER BY chain_position;
-- A savepoint rolled back before anything else was written: the next entry is again position 1.
BEGIN;
SAVEPOINT first_write;
SELECT pactoria.log_event('read', 'contract', :contract) IS NOT NULL AS logged;
ROLLBACK TO SAVEPOINT first_write;
SELECT pactoria.log_event('download', 'contract', :contract) IS NOT NULL AS logged;
COMMIT;
SELECT event_type, chain_position
FROM pactoria.audit_logs
WHERE company_id = :company AND transaction_id = (SELECT max(transaction_id) FROM pactoria.audit_logs WHERE company_id = :company)
ORDER BY chain_position;
-- An error caught by a PL/pgSQL exception block is a rolled-back subtransaction too.
DO $$
BEGIN
	BEGIN
		PERFORM pactoria.log_event('read', 'contract', NULL);
		RAISE EXCEPTION 'undo';
	EXCEPTION WHEN raise_exception THEN
		NULL;
	END;
	PERFORM pactoria.log_event('send', 'contract', NULL);
END
$$;
SELECT event_type, chain_position
FROM pactoria.audit_logs
WHERE company_id = :company AND transaction_id = (SELECT max(transaction_id) FROM pactoria.audit_logs WHERE company_id = :company)
ORDER BY chain_position;

-- SET CONSTRAINTS ... IMMEDIATE seals early; later entries of the transaction form a
-- second segment with its own commit entry.
BEGIN;
SELECT pactoria.log_event('read', 'contract', :contract) IS NOT NULL AS logged;
SET CONSTRAINTS ALL IMMEDIATE;
SELECT pactoria.log_event('export', 'contract', :contract) IS NOT NULL AS logged;
COMMIT;
SELECT event_type, chain_position, chain_sequence IS NOT NULL AS is_commit, count(*) OVER (PARTITION BY occurred_at) AS segment_size
FROM pactoria.audit_logs
WHERE company_id = :company AND transaction_id = (SELECT max(transaction_id) FROM pactoria.audit_logs WHERE company_id = :company)
ORDER BY occurred_at, chain_position;

-- One statement writing for two tenants: one segment and one commit entry each.
RESET pactoria.company_id;
UPDATE pactoria.companies SET address = '1 Audit Street' WHERE id IN (:company, :other_company);
SELECT company_id = :company AS first_company, event_type, chain_position, changed_columns
FROM pactoria.audit_logs
WHERE company_id IN (:company, :other_company)
  AND transaction_id = (SELECT max(transaction_id) FROM pactoria.audit_logs WHERE company_id = :company)
ORDER BY 1 DESC, chain_position;

-- The chain sequence of each company counts its transactions, 1..n, and the head
-- is the latest commit entry.
SELECT company_id = :company AS first_company, count(*) AS commits, min(chain_sequence), max(chain_sequence)
FROM pactoria.audit_logs WHERE company_id IN (:company, :other_company) AND event_type = 'commit'
GROUP BY company_id ORDER BY 1 DESC;
SELECT h.chain_sequence, h.chain_hash = a.chain_hash AS head_matches
FROM pactoria.audit_chain_head(:company) AS h
JOIN pactoria.audit_logs AS a ON a.company_id = :company AND a.id = h.entry_id;
SELECT * FROM pactoria.audit_chain_head(NULL);
SELECT * FROM pactoria.verify_audit_log(:company);
SELECT * FROM pactoria.verify_audit_log(:other_company);

-- The settings are checked when set.
SET pactoria.client_ip = 'not an address';
SET pactoria.client_ip = '2001:db8::1';
SHOW pactoria.client_ip;
SET pactoria.client_ip = '';
SELECT set_config('pactoria.user_agent', repeat('u', 1001), false);
SELECT set_config('pactoria.session_id', repeat('s', 201), false);
SET pactoria.audit_occurred_at = 'yesterday-ish';
SET pactoria.audit_occurred_at = 'infinity';
SET pactoria.audit_occurred_at = '2001-01-15 10:00:00+00';
RESET pactoria.audit_occurred_at;
RESET pactoria.client_ip;
RESET pactoria.user_agent;
RESET pactoria.session_id;
RESET pactoria.user_id;
