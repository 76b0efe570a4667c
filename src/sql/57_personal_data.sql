
------------------------------------------------------------------------------------
-- Personal values in the audit trail, under per-person keys (src/tenant_keys.c,
-- src/audit_trigger.c, src/personal_data.c).
------------------------------------------------------------------------------------
-- Each person (user) of a company has one key: random 256 bits, stored only sealed
-- under the server key.  The audit trail stores the values of the columns marked
-- personal (system_config audit.personal_columns) encrypted under the key of the
-- person the row is about; erase_personal_data() destroys the key (wrapped_key
-- NULL, erased_at set), after which those values read "[erased]" while the entries,
-- and the hash chain over their ciphertext, stay as they were.  Written by
-- pactoria's C and the erasure functions only: no privilege for the application.
CREATE TABLE pactoria.person_keys (
	company_id uuid NOT NULL,
	user_id uuid NOT NULL,
	wrapped_key bytea,
	created_at timestamptz NOT NULL DEFAULT now(),
	erased_at timestamptz,
	CONSTRAINT person_keys_pkey PRIMARY KEY (company_id, user_id),
	-- No foreign key to users: the audit entries of a statement that deletes a user
	-- are written after the row is gone, under the person's key.
	CONSTRAINT fk_person_keys_company FOREIGN KEY (company_id)
		REFERENCES pactoria.companies (id) ON DELETE CASCADE,
	CONSTRAINT chk_person_keys_erased CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL)),
	CONSTRAINT chk_person_keys_wrapped_key CHECK (octet_length(wrapped_key) = 65)
);

COMMENT ON TABLE pactoria.person_keys IS
'The key of each person of a company, sealed under the server key; the audit trail''s personal values are encrypted under it. NULL wrapped_key (erased_at set): destroyed by erase_personal_data(). No privilege for the application.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.person_keys', '');
SELECT pactoria.enable_tenant_isolation('pactoria.person_keys');

CREATE FUNCTION pactoria.person_keys_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_person_keys_changed'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.person_keys_changed() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.person_keys_changed() IS
'AFTER statement trigger of pactoria.person_keys: every session drops its cached keys, so an erasure holds from the next statement everywhere.';

CREATE TRIGGER trg_person_keys_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pactoria.person_keys
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.person_keys_changed();

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('audit.personal_columns',
	 '{"pactoria.users": ["email", "full_name"], "pactoria.user_sessions": ["ip_address", "user_agent"], "pactoria.oauth_connections": ["provider_user_id"]}',
	 'Columns whose values the audit trail stores encrypted under the key of the person the row is about (pactoria.users: the row itself; any other table: its user_id), per table ("schema.table") or for every table ("*"); erase_personal_data() makes them "[erased]" and pseudonymises them in the live rows of the listed tables.'),
	('erasure.company_retention', '"6 years"',
	 'How long after its last contract ended or changed a company''s data is kept before erase_company() may erase it (the limitation period of a contract claim in England and Wales).');

CREATE FUNCTION pactoria.reveal_personal_values(entry_values jsonb, resource_type text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pactoria_reveal_personal_values'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;

REVOKE EXECUTE ON FUNCTION pactoria.reveal_personal_values(jsonb, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.reveal_personal_values(jsonb, text) IS
'An audit entry''s old_values or new_values (of resource_type), or its additional_data (resource_type ''audit_logs'': the acting user''s client address and agent under "$client"), with its personal values in clear for the company in the tenant context, or "[erased]" where the person''s key was destroyed; 22000 for a value that does not decrypt (altered, another company or column). Without tenant context 42501.';

-- Who may be erased, and a legal hold that stops any erasure of a company.
ALTER TABLE pactoria.companies ADD COLUMN legal_hold boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN pactoria.companies.legal_hold IS
'Set by the owner while the company''s data must be preserved (litigation, investigation): erase_personal_data() and erase_company() refuse (55000). The application cannot write it.';

------------------------------------------------------------------------------------
-- UK GDPR Art. 17, erasure that keeps the audit chain whole.
------------------------------------------------------------------------------------
-- One person: their users row pseudonymised (e-mail erased-<id>@erased.invalid,
-- name "[erased]", no password, no invitation, inactive), the other live personal
-- columns of audit.personal_columns set to NULL (or "[erased]" where NOT NULL) in
-- the rows that name them (user_id), their sessions, OAuth connections and second
-- factor deleted, then their key destroyed.  Every one of these writes is audited
-- with the person's key, so it too reads "[erased]".  For the owner (through
-- erase_personal_data() and erase_company()).
CREATE FUNCTION pactoria.erase_person(company_id uuid, user_id uuid)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	personal record;
	count bigint;
	report jsonb := '{}';
	erased_email text;
BEGIN
	-- computed first: Citus takes no STABLE function of a column in an UPDATE
	erased_email := format('erased-%s@erased.invalid', erase_person.user_id);
	UPDATE pactoria.users AS u
	SET email = erased_email, full_name = '[erased]', hashed_password = NULL,
		invitation_token = NULL, invitation_expires_at = NULL, department = NULL, notification_preferences = '{}',
		is_active = false
	WHERE u.company_id = erase_person.company_id AND u.id = erase_person.user_id;
	GET DIAGNOSTICS count = ROW_COUNT;
	IF count = 0 THEN
		RAISE EXCEPTION 'user % does not exist in company %', erase_person.user_id, erase_person.company_id
			USING ERRCODE = 'no_data_found';
	END IF;

	FOR personal IN
		SELECT c.oid::regclass AS table_name, column_name, a.attnotnull AS not_null
		FROM jsonb_each(pactoria.get_config('audit.personal_columns')) AS setting,
			 jsonb_array_elements_text(setting.value) AS column_name,
			 pg_class AS c, pg_attribute AS a
		WHERE setting.key <> '*' AND c.oid = to_regclass(setting.key) AND c.relkind IN ('r', 'p')
		  AND c.oid <> 'pactoria.users'::regclass
		  AND a.attrelid = c.oid AND a.attname = column_name AND NOT a.attisdropped
		  AND EXISTS (SELECT FROM pg_attribute AS p WHERE p.attrelid = c.oid AND p.attname = 'user_id' AND NOT p.attisdropped)
		  AND EXISTS (SELECT FROM pg_attribute AS t WHERE t.attrelid = c.oid AND t.attname = 'company_id' AND NOT t.attisdropped)
		ORDER BY 1::text, 2
	LOOP
		EXECUTE format('UPDATE %s SET %I = %s WHERE company_id OPERATOR(pg_catalog.=) $1'
					   ' AND user_id OPERATOR(pg_catalog.=) $2 AND %I IS NOT NULL',
					   personal.table_name, personal.column_name,
					   CASE WHEN personal.not_null THEN quote_literal('[erased]') ELSE 'NULL' END, personal.column_name)
			USING erase_person.company_id, erase_person.user_id;
		GET DIAGNOSTICS count = ROW_COUNT;
		report := report || jsonb_build_object(personal.table_name::text || '.' || personal.column_name, count);
	END LOOP;

	DELETE FROM pactoria.user_sessions AS s WHERE s.company_id = erase_person.company_id AND s.user_id = erase_person.user_id;
	GET DIAGNOSTICS count = ROW_COUNT;
	report := report || jsonb_build_object('sessions_deleted', count);
	DELETE FROM pactoria.oauth_connections AS o WHERE o.company_id = erase_person.company_id AND o.user_id = erase_person.user_id;
	GET DIAGNOSTICS count = ROW_COUNT;
	report := report || jsonb_build_object('oauth_connections_deleted', count);
	DELETE FROM pactoria.user_totp AS t WHERE t.company_id = erase_person.company_id AND t.user_id = erase_person.user_id;
	DELETE FROM pactoria.user_backup_codes AS b WHERE b.company_id = erase_person.company_id AND b.user_id = erase_person.user_id;

	-- Last: the writes above were audited under the key this destroys.
	INSERT INTO pactoria.person_keys AS k (company_id, user_id, wrapped_key, erased_at)
	VALUES (erase_person.company_id, erase_person.user_id, NULL, now())
	ON CONFLICT ON CONSTRAINT person_keys_pkey DO UPDATE SET wrapped_key = NULL, erased_at = coalesce(k.erased_at, excluded.erased_at);
	RETURN report;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.erase_person(uuid, uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.erase_person(uuid, uuid) IS
'The erasure of one person, without checks: pseudonymises their users row and the live personal columns naming them, deletes their sessions, OAuth connections and second factor, destroys their key. Used by erase_personal_data() and erase_company(); owner only.';

CREATE FUNCTION pactoria.erase_personal_data(user_id uuid)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	company uuid := pactoria.current_company_id();
	caller uuid := pactoria.current_user_id();
	report jsonb;
BEGIN
	IF erase_personal_data.user_id IS NULL THEN
		RAISE EXCEPTION 'user_id must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF company IS NULL OR caller IS NULL OR NOT EXISTS (
		SELECT FROM pactoria.users AS u
		WHERE u.company_id = company AND u.id = caller AND u.role = 'admin' AND u.is_active) THEN
		RAISE EXCEPTION 'only an administrator of the company may erase a person''s data'
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Call pactoria.resume_session(session_token) of an administrator in this transaction first.';
	END IF;
	IF caller = erase_personal_data.user_id THEN
		RAISE EXCEPTION 'an administrator cannot erase their own data'
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Another administrator of the company erases it.';
	END IF;
	IF (SELECT c.legal_hold FROM pactoria.companies AS c WHERE c.id = company) THEN
		RAISE EXCEPTION 'company is under legal hold'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = 'While pactoria.companies.legal_hold is set, no personal data of the company is erased.';
	END IF;
	PERFORM FROM pactoria.users AS u WHERE u.company_id = company AND u.id = erase_personal_data.user_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist in this company', erase_personal_data.user_id
			USING ERRCODE = 'no_data_found';
	END IF;
	report := pactoria.erase_person(company, erase_personal_data.user_id);
	PERFORM pactoria.log_event('personal_data_erased', 'users', erase_personal_data.user_id, report);
	RETURN report;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.erase_personal_data(uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.erase_personal_data(uuid) IS
'UK GDPR erasure of a user of the company in context, by another administrator: pseudonymises their users row and live personal columns, deletes their sessions, OAuth connections and second factor, and destroys their person key, so that their personal values in the audit trail read "[erased]" while every entry and the hash chain stay whole; recorded as the audit event personal_data_erased, whose data says what was erased. 42501 for a non-administrator or oneself, 55000 under legal hold, P0002 for an unknown user.';

-- A company offboarding: every person, then the company's data keys (its protected
-- values become unreadable for good).  The company row and its audit trail stay.
CREATE FUNCTION pactoria.erase_company(company_id uuid)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	company record;
	last_activity timestamptz;
	retention interval;
	saved_company text := pg_catalog.current_setting('pactoria.company_id', true);
	saved_user text := pg_catalog.current_setting('pactoria.user_id', true);
	person uuid;
	people bigint := 0;
	keys bigint;
	report jsonb;
BEGIN
	IF erase_company.company_id IS NULL THEN
		RAISE EXCEPTION 'company_id must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT c.id, c.is_active, c.legal_hold INTO company FROM pactoria.companies AS c
	WHERE c.id = erase_company.company_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'company % does not exist', erase_company.company_id
			USING ERRCODE = 'no_data_found';
	END IF;
	IF company.legal_hold THEN
		RAISE EXCEPTION 'company % is under legal hold', erase_company.company_id
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = 'While pactoria.companies.legal_hold is set, no personal data of the company is erased.';
	END IF;
	IF company.is_active THEN
		RAISE EXCEPTION 'company % is active', erase_company.company_id
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Deactivate it first (UPDATE pactoria.companies SET is_active = false).';
	END IF;
	retention := (pactoria.get_config('erasure.company_retention') #>> '{}')::interval;
	PERFORM pg_catalog.set_config('pactoria.company_id', erase_company.company_id::text, true);
	PERFORM pg_catalog.set_config('pactoria.user_id', '', true);
	SELECT max(greatest(c.updated_at, c.end_date::timestamptz)) INTO last_activity
	FROM pactoria.contracts AS c WHERE c.company_id = erase_company.company_id;
	IF last_activity > now() - retention THEN
		RAISE EXCEPTION 'company % is within its retention period', erase_company.company_id
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = format('Its last contract ended or changed on %s; erasure.company_retention is %s, so it may be erased from %s.',
								  last_activity::date, retention, (last_activity + retention)::date);
	END IF;

	FOR person IN
		SELECT u.id FROM pactoria.users AS u WHERE u.company_id = erase_company.company_id ORDER BY u.id FOR UPDATE
	LOOP
		PERFORM pactoria.erase_person(erase_company.company_id, person);
		people := people + 1;
	END LOOP;
	DELETE FROM pactoria.tenant_keys AS k WHERE k.company_id = erase_company.company_id;
	GET DIAGNOSTICS keys = ROW_COUNT;
	report := jsonb_build_object('people_erased', people, 'data_keys_destroyed', keys);
	PERFORM pactoria.log_event('company_erased', 'companies', erase_company.company_id, report);
	PERFORM pg_catalog.set_config('pactoria.company_id', coalesce(saved_company, ''), true);
	PERFORM pg_catalog.set_config('pactoria.user_id', coalesce(saved_user, ''), true);
	RETURN report;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.erase_company(uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.erase_company(uuid) IS
'Offboarding: for an inactive company not under legal hold whose last contract ended or changed longer ago than erasure.company_retention, erases every person (as erase_personal_data()) and destroys the company''s data keys, so its protected values are unreadable for good; the company row and the audit trail, whose chain still verifies, stay. Recorded as the audit event company_erased. Owner only. 55000 when active, under legal hold or within retention; P0002 for an unknown company.';

------------------------------------------------------------------------------------
-- UK GDPR Art. 15, subject access: everything held about one person.
------------------------------------------------------------------------------------
-- One jsonb document; each section at most personal_data_section_limit rows (a
-- person with more gets 54000, not a silent cut).  SECURITY DEFINER, so that
-- it reads tables the caller reads only in part (users without its secrets, the
-- sessions), but only under the caller's tenant context (the tables' forced
-- row-level security applies to the owner too) and only for the person or an
-- administrator of the company.  Secrets are left out: password hash,
-- invitation token, session token hashes, OAuth tokens.  The export is itself
-- an audit event (personal_data_exported, which only pactoria writes).
CREATE FUNCTION pactoria.check_export_section(section text, section_rows jsonb, section_limit integer)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF jsonb_array_length(section_rows) > section_limit THEN
		RAISE EXCEPTION 'the person has more than % %', section_limit, section
			USING ERRCODE = 'program_limit_exceeded',
				  DETAIL = format('A subject access export is one document; each of its sections holds at most %s rows.', section_limit),
				  HINT = 'Export that section in parts with a query of your own, as the owner.';
	END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.check_export_section(text, jsonb, integer) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.check_export_section(text, jsonb, integer) IS
'For export_personal_data(): raises 54000 when a section of the export has more rows than the limit.';

CREATE FUNCTION pactoria.export_personal_data(user_id uuid)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	section_limit CONSTANT integer := 100000;
	company uuid := pactoria.current_company_id();
	caller uuid := pactoria.current_user_id();
	sections CONSTANT text[][] := ARRAY[
		['sessions', 'user_sessions', 'user_id', 'token_hash,refresh_token_hash'],
		['oauth_connections', 'oauth_connections', 'user_id', 'access_token,refresh_token'],
		['contracts', 'contracts', 'created_by', 'search_vector'],
		['contract_versions', 'contract_versions', 'created_by', ''],
		['corrections', 'corrections', 'corrected_by', ''],
		['chat_messages', 'chat_messages', 'user_id', ''],
		['risks_owned', 'risk_assessments', 'owner_id', '']];
	person jsonb;
	document jsonb;
	section_rows jsonb;
BEGIN
	IF export_personal_data.user_id IS NULL THEN
		RAISE EXCEPTION 'user_id must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF company IS NULL OR caller IS NULL THEN
		RAISE EXCEPTION 'no tenant context with a user is set'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'A subject access export is made by the person or by an administrator of the company, in a session.',
				  HINT = 'Call pactoria.resume_session(session_token) in this transaction first.';
	END IF;
	IF caller <> export_personal_data.user_id AND NOT EXISTS (
		SELECT FROM pactoria.users AS u
		WHERE u.company_id = company AND u.id = caller AND u.role = 'admin' AND u.is_active) THEN
		RAISE EXCEPTION 'only the person or an administrator of the company may export a person''s data'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT to_jsonb(u) - ARRAY['hashed_password', 'invitation_token'] INTO person
	FROM pactoria.users AS u WHERE u.company_id = company AND u.id = export_personal_data.user_id;
	IF person IS NULL THEN
		RAISE EXCEPTION 'user % does not exist in this company', export_personal_data.user_id
			USING ERRCODE = 'no_data_found';
	END IF;

	document := jsonb_build_object('exported_at', now(), 'company_id', company, 'user', person,
								   'mfa', (SELECT jsonb_build_object('enrolled', true, 'confirmed_at', t.confirmed_at,
																	 'enrolled_at', t.created_at)
										   FROM pactoria.user_totp AS t
										   WHERE t.company_id = company AND t.user_id = export_personal_data.user_id));
	-- The live rows that name the person: section, table, the column naming them,
	-- the columns left out (secrets, derived data).
	FOR i IN 1 .. array_length(sections, 1) LOOP
		EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(t) OPERATOR(pg_catalog.-) $3 ORDER BY t.created_at, t.id), ''[]'')'
					   ' FROM (SELECT * FROM pactoria.%I AS t WHERE t.company_id OPERATOR(pg_catalog.=) $1'
					   ' AND t.%I OPERATOR(pg_catalog.=) $2 LIMIT %s) AS t',
					   sections[i][2], sections[i][3], section_limit + 1)
			INTO section_rows USING company, export_personal_data.user_id, string_to_array(sections[i][4], ',');
		PERFORM pactoria.check_export_section(sections[i][1], section_rows, section_limit);
		document := document || jsonb_build_object(sections[i][1], section_rows);
	END LOOP;
	-- By them (their user in the entry's context), or about them (their users row,
	-- or a row naming them as its user), personal values in clear ([erased] where erased).
	SELECT coalesce(jsonb_agg(to_jsonb(a) - ARRAY['chain_previous_hash', 'chain_hash', 'transaction_id']
							  || jsonb_build_object('old_values', pactoria.reveal_personal_values(a.old_values, a.resource_type),
													'new_values', pactoria.reveal_personal_values(a.new_values, a.resource_type),
													'additional_data', pactoria.reveal_personal_values(a.additional_data, 'audit_logs'))
							  ORDER BY a.occurred_at, a.chain_position, a.id), '[]')
	INTO section_rows
	FROM (SELECT * FROM pactoria.audit_logs AS a
		  WHERE a.company_id = company AND a.event_type <> 'commit'
			AND (a.user_id = export_personal_data.user_id
				 OR (a.resource_type = 'users' AND a.resource_id = export_personal_data.user_id)
				 OR a.old_values @> jsonb_build_object('user_id', export_personal_data.user_id)
				 OR a.new_values @> jsonb_build_object('user_id', export_personal_data.user_id))
		  LIMIT section_limit + 1) AS a;
	PERFORM pactoria.check_export_section('audit_entries', section_rows, section_limit);
	document := document || jsonb_build_object('audit_entries', section_rows);

	PERFORM pactoria.log_event('personal_data_exported', 'users', export_personal_data.user_id,
							   jsonb_build_object('sections', (SELECT jsonb_object_agg(s.key, jsonb_array_length(s.value))
															   FROM jsonb_each(document) AS s
															   WHERE jsonb_typeof(s.value) = 'array')));
	RETURN document;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.export_personal_data(uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.export_personal_data(uuid) IS
'UK GDPR subject access: one jsonb document of everything held about a user of the company in context (the users row without secrets, MFA enrolment, sessions, OAuth connections without tokens, contracts and versions they created, corrections, chat messages, risks they own, audit entries by or about them), for the person or an administrator of the company; recorded as the audit event personal_data_exported. 42501 for anyone else, P0002 for an unknown user, 54000 when a section would pass 100000 rows.';
