-- Subject access (src/sql/57_personal_data.sql): export_personal_data() against a
-- fixture of everything held about one person, who may call it, and every refusal.
\set VERBOSITY default
INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-0000000057a1', 'Subject One Ltd'), ('00000000-0000-7000-8000-0000000057a2', 'Subject Two Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name, role, hashed_password, invitation_token) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-000000005701', 'ada@one.example', 'Ada Admin', 'admin', 'hash-of-ada-long-enough-for-20', NULL),
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-000000005702', 'pat@one.example', 'Pat Person', 'contract_manager', 'hash-of-pat-long-enough-for-20', 'invite-of-pat-sixteen'),
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-000000005703', 'vic@one.example', 'Vic Viewer', 'viewer', NULL, NULL),
	('00000000-0000-7000-8000-0000000057a2', '00000000-0000-7000-8000-000000005704', 'oli@two.example', 'Oli Other', 'admin', NULL, NULL);
SET pactoria.company_id = '00000000-0000-7000-8000-0000000057a1';
SET pactoria.user_id = '00000000-0000-7000-8000-000000005702';
-- Pat acts from their browser: the audit trail seals that client under Pat's key.
SET pactoria.client_ip = '198.51.100.7';
SET pactoria.user_agent = 'Pat''s browser';
-- What is held about Pat: one of each, and one of each about someone else.
INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at, ip_address, user_agent) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-000000005702', sha256('pat session'), now() + interval '1 hour', '198.51.100.7', 'Pat''s browser');
INSERT INTO pactoria.oauth_connections (company_id, user_id, provider, provider_user_id, access_token) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-000000005702', 'google', 'pat-google-id', convert_to('pat access token', 'UTF8'));
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, client_name, created_by, final_content) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057c1', 'Pat''s NDA', 'nda', 'Client', '00000000-0000-7000-8000-000000005702', 'Between us.');
INSERT INTO pactoria.chat_messages (company_id, conversation_id, user_id, role, content) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057d1', '00000000-0000-7000-8000-000000005702', 'user', 'Is this NDA mutual?'),
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057d1', NULL, 'assistant', 'Yes.');
INSERT INTO pactoria.risk_assessments (company_id, contract_id, risk_name, risk_category, likelihood, impact, owner_id, created_by) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057c1', 'Late payment', 'financial', 3, 4,
	 '00000000-0000-7000-8000-000000005702', '00000000-0000-7000-8000-000000005701');
INSERT INTO pactoria.extractions (company_id, id, contract_id, model_name, provider) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057e1', '00000000-0000-7000-8000-0000000057c1', 'model', 'provider');
INSERT INTO pactoria.extraction_fields (company_id, extraction_id, field_name, value) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057e1', 'party_name', 'Acme');
INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057e1', 'party_name', 'Acme', 'Acme Ltd', 'wrong_value', '00000000-0000-7000-8000-000000005702');
UPDATE pactoria.users SET department = 'Legal' WHERE id = '00000000-0000-7000-8000-000000005702';
-- Ada's, done by Ada: not Pat's.
RESET pactoria.client_ip;
RESET pactoria.user_agent;
SET pactoria.user_id = '00000000-0000-7000-8000-000000005701';
INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at, ip_address, user_agent) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-000000005701', sha256('ada session'), now() + interval '1 hour', '198.51.100.8', 'Ada''s browser');
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, client_name, created_by, final_content) VALUES
	('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057c2', 'Ada''s NDA', 'nda', 'Client', '00000000-0000-7000-8000-000000005701', 'Between them.');
SET pactoria.user_id = '00000000-0000-7000-8000-000000005702';

-- The person's own export: every section, counted against the fixture.
CREATE TEMPORARY TABLE export AS SELECT pactoria.export_personal_data('00000000-0000-7000-8000-000000005702') AS doc;
SELECT key, CASE jsonb_typeof(value) WHEN 'array' THEN jsonb_array_length(value)::text ELSE jsonb_typeof(value) END AS content
FROM export, jsonb_each(doc) ORDER BY key;
SELECT doc->'user'->>'email' AS email, doc->'user'->>'department' AS department,
	   doc->'user' ?| ARRAY['hashed_password', 'invitation_token'] AS secrets_in_user,
	   doc->'sessions'->0 ?| ARRAY['token_hash', 'refresh_token_hash'] AS secrets_in_sessions,
	   doc->'sessions'->0->>'user_agent' AS session_user_agent,
	   doc->'oauth_connections'->0 ?| ARRAY['access_token', 'refresh_token'] AS tokens_in_oauth,
	   doc->'contracts'->0->>'title' AS contract, doc->'contracts'->0 ? 'search_vector' AS search_vector_in_contract,
	   doc->'chat_messages'->0->>'content' AS message, doc->'risks_owned'->0->>'risk_name' AS risk,
	   doc->'corrections'->0->>'corrected_value' AS correction
FROM export;
-- Audit entries by Pat or about Pat, and never another's only.
SELECT e->>'event_type' AS event, e->>'resource_type' AS resource
FROM export, jsonb_array_elements(doc->'audit_entries') AS e ORDER BY 1, 2;
SELECT t AS absent FROM export, unnest(ARRAY['hash-of-pat-long-enough-for-20', 'invite-of-pat-sixteen', 'pat access token',
											 'Ada''s browser', 'Between them', 'Ada''s NDA']) AS t
WHERE position(t IN doc::text) = 0;
-- The export is itself an audit event, written by pactoria only.
SELECT event_type, resource_type, resource_id, additional_data->'sections'->'audit_entries' IS NOT NULL AS counted
FROM pactoria.audit_logs WHERE event_type = 'personal_data_exported';

-- An administrator of the company may export anyone's; another user only their own.
SET pactoria.user_id = '00000000-0000-7000-8000-000000005701';
SELECT pactoria.export_personal_data('00000000-0000-7000-8000-000000005702')->'user'->>'full_name' AS by_admin;
SET pactoria.user_id = '00000000-0000-7000-8000-000000005703';
SELECT pactoria.export_personal_data('00000000-0000-7000-8000-000000005702');
SELECT jsonb_array_length(pactoria.export_personal_data('00000000-0000-7000-8000-000000005703')->'contracts') AS own_contracts;
-- Bad input: NULL, unknown, another company's user, no user or no tenant in context.
SET pactoria.user_id = '00000000-0000-7000-8000-000000005701';
SELECT pactoria.export_personal_data(NULL);
SELECT pactoria.export_personal_data('00000000-0000-7000-8000-0000000057ff');
SELECT pactoria.export_personal_data('00000000-0000-7000-8000-000000005704');
RESET pactoria.user_id;
SELECT pactoria.export_personal_data('00000000-0000-7000-8000-000000005702');
RESET pactoria.company_id;
SET pactoria.user_id = '00000000-0000-7000-8000-000000005701';
SELECT pactoria.export_personal_data('00000000-0000-7000-8000-000000005702');
-- The application may call it, and may not forge its event.
CREATE ROLE regress_personal_app;
DO $$ BEGIN PERFORM pactoria.grant_application_access('regress_personal_app'); END $$;
SET pactoria.company_id = '00000000-0000-7000-8000-0000000057a1';
SET pactoria.user_id = '00000000-0000-7000-8000-000000005702';
SET ROLE regress_personal_app;
SELECT pactoria.export_personal_data('00000000-0000-7000-8000-000000005702')->'user'->>'email' AS as_application;
SELECT pactoria.log_event('personal_data_exported', 'users', '00000000-0000-7000-8000-000000005702');
SELECT pactoria.log_event('personal_data_erased', 'users', '00000000-0000-7000-8000-000000005702');
RESET ROLE;
SELECT count(*) AS export_events FROM pactoria.audit_logs WHERE event_type = 'personal_data_exported';

-- Personal values in the audit trail are stored encrypted under the person's key.
SET pactoria.company_id = '00000000-0000-7000-8000-0000000057a1';
SET pactoria.user_id = '00000000-0000-7000-8000-000000005701';
SELECT event_type, new_values->'email' ? '$personal' AS email_encrypted, new_values->'full_name' ? '$personal' AS name_encrypted,
	   new_values->>'role' AS role_in_clear, new_values::text LIKE '%pat@one%' AS clear_email_stored,
	   pactoria.reveal_personal_values(new_values, resource_type)->>'email' AS revealed
FROM pactoria.audit_logs WHERE resource_type = 'users' AND resource_id = '00000000-0000-7000-8000-000000005702' ORDER BY occurred_at, chain_position;
SELECT new_values->'ip_address' ? '$personal' AS ip_encrypted,
	   pactoria.reveal_personal_values(new_values, resource_type)->>'user_agent' AS revealed_user_agent
FROM pactoria.audit_logs WHERE company_id = '00000000-0000-7000-8000-0000000057a1' AND resource_type = 'user_sessions'
  AND new_values->'user_agent' ? '$personal' ORDER BY occurred_at;
SELECT count(*) AS person_keys FROM pactoria.person_keys WHERE company_id = '00000000-0000-7000-8000-0000000057a1';
-- Tampered, copied to another column, or without tenant context: refused.
SELECT pactoria.reveal_personal_values(jsonb_set(new_values, '{email,$personal}',
	to_jsonb(overlay(new_values->'email'->>'$personal' PLACING 'AAAA' FROM 20 FOR 4))), resource_type)
FROM pactoria.audit_logs WHERE resource_type = 'users' AND resource_id = '00000000-0000-7000-8000-000000005702' AND event_type = 'create';
SELECT pactoria.reveal_personal_values(jsonb_build_object('department', new_values->'email'), resource_type)
FROM pactoria.audit_logs WHERE resource_type = 'users' AND resource_id = '00000000-0000-7000-8000-000000005702' AND event_type = 'create';
SELECT pactoria.reveal_personal_values('{"email": {"$personal": "AAAA", "person": "not a uuid"}}', 'users');
SELECT pactoria.reveal_personal_values('[1, 2]', 'users'), pactoria.reveal_personal_values('{"a": {"b": 1}}', 'users');
RESET pactoria.company_id;
SELECT pactoria.reveal_personal_values('{}', 'users');
SET pactoria.company_id = '00000000-0000-7000-8000-0000000057a1';

-- Erasure: refusals first, nothing erased by them.
SET pactoria.user_id = '00000000-0000-7000-8000-000000005703';
SELECT pactoria.erase_personal_data('00000000-0000-7000-8000-000000005702');
SET pactoria.user_id = '00000000-0000-7000-8000-000000005701';
SELECT pactoria.erase_personal_data('00000000-0000-7000-8000-000000005701');
SELECT pactoria.erase_personal_data(NULL);
SELECT pactoria.erase_personal_data('00000000-0000-7000-8000-0000000057ff');
SELECT pactoria.erase_personal_data('00000000-0000-7000-8000-000000005704');
UPDATE pactoria.companies SET legal_hold = true WHERE id = '00000000-0000-7000-8000-0000000057a1';
SELECT pactoria.erase_personal_data('00000000-0000-7000-8000-000000005702');
UPDATE pactoria.companies SET legal_hold = false WHERE id = '00000000-0000-7000-8000-0000000057a1';
SELECT count(*) AS erased_keys FROM pactoria.person_keys WHERE erased_at IS NOT NULL;
SELECT pactoria.erase_person('00000000-0000-7000-8000-0000000057a1', '00000000-0000-7000-8000-0000000057ff');

-- Ada erases Pat.
SELECT pactoria.erase_personal_data('00000000-0000-7000-8000-000000005702');
SELECT email, full_name, hashed_password IS NULL AS no_password, invitation_token IS NULL AS no_invitation, is_active, department
FROM pactoria.users WHERE id = '00000000-0000-7000-8000-000000005702';
SELECT (SELECT count(*) FROM pactoria.user_sessions WHERE user_id = '00000000-0000-7000-8000-000000005702') AS sessions,
	   (SELECT count(*) FROM pactoria.oauth_connections WHERE user_id = '00000000-0000-7000-8000-000000005702') AS oauth,
	   (SELECT wrapped_key IS NULL AND erased_at IS NOT NULL FROM pactoria.person_keys WHERE user_id = '00000000-0000-7000-8000-000000005702') AS key_destroyed;
-- The entries stay; their personal values read [erased]; every chain verifies.
SELECT event_type, pactoria.reveal_personal_values(old_values, resource_type)->>'email' AS old_email,
	   pactoria.reveal_personal_values(new_values, resource_type)->>'email' AS new_email,
	   pactoria.reveal_personal_values(new_values, resource_type)->>'role' AS role
FROM pactoria.audit_logs WHERE resource_type = 'users' AND resource_id = '00000000-0000-7000-8000-000000005702' ORDER BY occurred_at, chain_position;
SELECT event_type, resource_type, additional_data FROM pactoria.audit_logs WHERE event_type = 'personal_data_erased';
-- The client of the entries Pat wrote reads [erased] too.
SELECT DISTINCT pactoria.reveal_personal_values(additional_data, 'audit_logs') -> '$client' AS pat_client
FROM pactoria.audit_logs WHERE user_id = '00000000-0000-7000-8000-000000005702' AND additional_data ? '$client';
SELECT count(*) AS problems FROM pactoria.verify_audit_log('00000000-0000-7000-8000-0000000057a1');
-- No clear e-mail, name, address or browser of Pat anywhere in the database.
CREATE FUNCTION pg_temp.find_everywhere(needles text[])
RETURNS TABLE (table_name regclass, column_name name, needle text) LANGUAGE plpgsql AS $$
DECLARE
	c record;
	n text;
	found boolean;
BEGIN
	FOR c IN
		SELECT a.attrelid::regclass AS rel, a.attname, a.atttypid
		FROM pg_attribute AS a JOIN pg_class AS k ON k.oid = a.attrelid JOIN pg_namespace AS s ON s.oid = k.relnamespace
		WHERE k.relkind = 'r' AND s.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND s.nspname NOT LIKE 'pg_temp%'
		  AND a.attnum > 0 AND NOT a.attisdropped
		  AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype, 'text[]'::regtype,
							 'inet'::regtype, 'bpchar'::regtype, 'bytea'::regtype)
	LOOP
		FOREACH n IN ARRAY needles LOOP
			EXECUTE format('SELECT EXISTS (SELECT FROM %s WHERE position(%L IN %s) > 0)', c.rel, n,
						   CASE WHEN c.atttypid = 'bytea'::regtype THEN format('encode(%I, ''escape'')', c.attname)
								ELSE format('%I::text', c.attname) END) INTO found;
			IF found THEN
				table_name := c.rel; column_name := c.attname; needle := n;
				RETURN NEXT;
			END IF;
		END LOOP;
	END LOOP;
END
$$;
SELECT * FROM pg_temp.find_everywhere(ARRAY['pat@one.example', 'Pat Person', '198.51.100.7', 'Pat''s browser', 'pat-google-id']);
-- Ada's are untouched, for contrast.
SELECT table_name, column_name FROM pg_temp.find_everywhere(ARRAY['ada@one.example']) ORDER BY 1::text, 2;
-- Pat's export, by Ada, after the erasure.
SELECT doc->'user'->>'email' AS email, jsonb_array_length(doc->'sessions') AS sessions,
	   (SELECT count(*) FROM jsonb_array_elements(doc->'audit_entries') AS e WHERE e->'new_values'->>'email' = '[erased]') AS erased_entries
FROM (SELECT pactoria.export_personal_data('00000000-0000-7000-8000-000000005702') AS doc) AS x;
-- A second erasure changes nothing more.
SELECT pactoria.erase_personal_data('00000000-0000-7000-8000-000000005702');

-- Offboarding a company: refused while active, under legal hold or within retention.
RESET pactoria.user_id;
RESET pactoria.company_id;
SELECT pactoria.erase_company(NULL);
SELECT pactoria.erase_company('00000000-0000-7000-8000-0000000057ff');
SELECT pactoria.erase_company('00000000-0000-7000-8000-0000000057a1');
UPDATE pactoria.companies SET is_active = false WHERE id = '00000000-0000-7000-8000-0000000057a1';
UPDATE pactoria.companies SET legal_hold = true WHERE id = '00000000-0000-7000-8000-0000000057a1';
SELECT pactoria.erase_company('00000000-0000-7000-8000-0000000057a1');
UPDATE pactoria.companies SET legal_hold = false WHERE id = '00000000-0000-7000-8000-0000000057a1';
\set VERBOSITY terse
SELECT pactoria.erase_company('00000000-0000-7000-8000-0000000057a1');
\set VERBOSITY default
INSERT INTO pactoria.system_config (key, value) VALUES ('erasure.company_retention', '"0 seconds"');
SELECT pactoria.erase_company('00000000-0000-7000-8000-0000000057a1');
SELECT count(*) FILTER (WHERE email LIKE 'erased-%@erased.invalid' AND full_name = '[erased]' AND NOT is_active) AS erased_users,
	   count(*) AS users
FROM pactoria.users WHERE company_id = '00000000-0000-7000-8000-0000000057a1';
SELECT (SELECT count(*) FROM pactoria.tenant_keys WHERE company_id = '00000000-0000-7000-8000-0000000057a1') AS data_keys,
	   (SELECT count(*) FROM pactoria.person_keys WHERE company_id = '00000000-0000-7000-8000-0000000057a1' AND wrapped_key IS NOT NULL) AS person_keys;
SELECT count(*) AS problems FROM pactoria.verify_audit_log('00000000-0000-7000-8000-0000000057a1');
SELECT * FROM pg_temp.find_everywhere(ARRAY['ada@one.example', 'Ada Admin', 'vic@one.example', 'Vic Viewer', 'Ada''s browser']);
SELECT event_type, resource_type, additional_data FROM pactoria.audit_logs WHERE event_type = 'company_erased';
DELETE FROM pactoria.system_config WHERE key = 'erasure.company_retention';

-- A personal column of a row that names no person is stored "[redacted]" and read as such.
CREATE TABLE public.pd_notes (company_id uuid NOT NULL, id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
							  user_id uuid, body text, PRIMARY KEY (company_id, id));
SELECT pactoria.enable_audit('public.pd_notes');
INSERT INTO pactoria.system_config (key, value)
SELECT 'audit.personal_columns', value || '{"public.pd_notes": ["body"]}'
FROM pactoria.system_config_defaults WHERE key = 'audit.personal_columns';
INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-0000000057a3', 'Personal Three Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name, role) VALUES
	('00000000-0000-7000-8000-0000000057a3', '00000000-0000-7000-8000-000000005705', 'noa@three.example', 'Noa Note', 'admin');
INSERT INTO public.pd_notes (company_id, user_id, body) VALUES
	('00000000-0000-7000-8000-0000000057a3', NULL, 'nobody''s note'),
	('00000000-0000-7000-8000-0000000057a3', '00000000-0000-7000-8000-000000005705', 'Noa''s note');
SET pactoria.company_id = '00000000-0000-7000-8000-0000000057a3';
SELECT new_values -> 'user_id' AS user_id, jsonb_typeof(new_values -> 'body') AS stored_as,
	   new_values::text LIKE '%note%' AS clear_stored,
	   pactoria.reveal_personal_values(new_values, resource_type) -> 'body' AS revealed
FROM pactoria.audit_logs
WHERE company_id = '00000000-0000-7000-8000-0000000057a3' AND resource_type = 'pd_notes' ORDER BY 1 NULLS FIRST;
RESET pactoria.company_id;
DELETE FROM pactoria.system_config WHERE key = 'audit.personal_columns';
DROP TABLE public.pd_notes;

RESET pactoria.company_id;
RESET pactoria.user_id;
DROP TABLE export;
DROP OWNED BY regress_personal_app;
DROP ROLE regress_personal_app;
