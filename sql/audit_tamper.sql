-- The hash chain: an independent implementation of the documented encoding agrees
-- with pactoria's, each kind of tampering is found and named, and checkpoints
-- carry verification across partitions removed by retention.
SET timezone = 'UTC';

-- A reference implementation of src/core/audit_format.h in SQL.
CREATE FUNCTION pg_temp.field(value bytea) RETURNS bytea LANGUAGE sql IMMUTABLE
RETURN CASE WHEN value IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int4send(length(value)) || value END;
CREATE FUNCTION pg_temp.json_tokens(value jsonb) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	result bytea;
	item record;
BEGIN
	CASE jsonb_typeof(value)
		WHEN 'null' THEN RETURN 'n'::bytea;
		WHEN 'boolean' THEN RETURN CASE WHEN value::boolean THEN 't'::bytea ELSE 'f'::bytea END;
		WHEN 'string' THEN RETURN 's'::bytea || int4send(octet_length(value #>> '{}')) || convert_to(value #>> '{}', 'UTF8');
		WHEN 'number' THEN RETURN 'd'::bytea || int4send(octet_length(value::text)) || convert_to(value::text, 'UTF8');
		WHEN 'array' THEN
			result := '['::bytea || int4send(jsonb_array_length(value));
			FOR item IN SELECT element FROM jsonb_array_elements(value) WITH ORDINALITY AS e(element, n) ORDER BY n LOOP
				result := result || pg_temp.json_tokens(item.element);
			END LOOP;
		ELSE
			result := '{'::bytea || int4send((SELECT count(*)::integer FROM jsonb_object_keys(value)));
			FOR item IN SELECT e.key, e.value FROM jsonb_each(value) WITH ORDINALITY AS e(key, value, n) ORDER BY n LOOP
				result := result || 's'::bytea || int4send(octet_length(item.key)) || convert_to(item.key, 'UTF8')
					|| pg_temp.json_tokens(item.value);
			END LOOP;
	END CASE;
	RETURN result;
END
$$;
CREATE FUNCTION pg_temp.reference_hash(previous bytea, a pactoria.audit_logs) RETURNS bytea LANGUAGE sql IMMUTABLE
RETURN sha256(convert_to('pactoria.audit.v1', 'UTF8') || '\x00'::bytea
	|| coalesce(previous, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
	|| pg_temp.field(uuid_send(a.company_id)) || pg_temp.field(uuid_send(a.id))
	|| pg_temp.field(timestamptz_send(a.occurred_at))
	|| pg_temp.field(convert_to(a.event_type, 'UTF8')) || pg_temp.field(convert_to(a.resource_type, 'UTF8'))
	|| pg_temp.field(uuid_send(a.resource_id)) || pg_temp.field(uuid_send(a.contract_id)) || pg_temp.field(uuid_send(a.user_id))
	|| pg_temp.field(CASE WHEN a.ip_address IS NOT NULL THEN
						  CASE family(a.ip_address) WHEN 4 THEN '\x04'::bytea ELSE '\x06'::bytea END
						  || set_byte('\x00'::bytea, 0, masklen(a.ip_address)) || substring(inet_send(a.ip_address) FROM 5) END)
	|| pg_temp.field(convert_to(a.user_agent, 'UTF8')) || pg_temp.field(convert_to(a.session_id, 'UTF8'))
	|| pg_temp.field(pg_temp.json_tokens(a.old_values)) || pg_temp.field(pg_temp.json_tokens(a.new_values))
	|| pg_temp.field(CASE WHEN a.changed_columns IS NOT NULL THEN
						  int4send(cardinality(a.changed_columns))
						  || coalesce((SELECT string_agg(pg_temp.field(convert_to(c, 'UTF8')), ''::bytea ORDER BY n)
									   FROM unnest(a.changed_columns) WITH ORDINALITY AS u(c, n)), ''::bytea) END)
	|| pg_temp.field(pg_temp.json_tokens(a.additional_data))
	|| pg_temp.field(xid8send(a.transaction_id))
	|| pg_temp.field(a.chain_previous_hash));

-- History for a company: its creation, then three transactions of three events.
CREATE PROCEDURE pg_temp.make_history(company uuid) LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO pactoria.companies (id, name) VALUES (company, 'Tamper Test ' || right(company::text, 4));
	COMMIT;
	PERFORM set_config('pactoria.company_id', company::text, false);
	FOR t IN 1..3 LOOP
		PERFORM pactoria.log_event('read', 'contract', NULL, jsonb_build_object('transaction', t, 'entry', 1));
		PERFORM pactoria.log_event('export', 'contract', NULL, jsonb_build_object('transaction', t, 'entry', 2));
		PERFORM pactoria.log_event('print', 'contract', NULL, jsonb_build_object('transaction', t, 'entry', 3));
		COMMIT;
	END LOOP;
	PERFORM set_config('pactoria.company_id', '', false);
END
$$;
-- verify_audit_log without the transaction ids, which differ from run to run.
CREATE FUNCTION pg_temp.verify(company uuid) RETURNS TABLE (problem text, chain_sequence bigint, chain_position integer, detail text)
LANGUAGE sql AS $$
	SELECT v.problem, v.chain_sequence, v.chain_position, regexp_replace(v.detail, 'transaction \d+', 'transaction N', 'g')
	FROM pactoria.verify_audit_log(company) AS v
$$;

-- Rich entries (every kind of value, an address, changed columns) for the reference check.
-- The contract follows its lifecycle: it is created a draft (with its version 1,
-- audited too), is updated in several columns while still a draft (never
-- submitted for review), so that pactoria.delete_contract (the only way to
-- delete a contract, and only one never submitted) writes the delete entries.
\set rich '''00000000-0000-7000-8000-0000000b0000'''
INSERT INTO pactoria.companies (id, name) VALUES (:rich, 'Reference Ltd');
SET pactoria.company_id = :rich;
SET pactoria.client_ip = '2001:db8::7/64';
SET pactoria.user_agent = 'Reference agent é';
INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES (:rich, '00000000-0000-7000-8000-0000000b00a1', 'ref@reference.example', 'Ref Érence');
INSERT INTO pactoria.contracts (company_id, title, contract_type, contract_value, start_date, end_date, created_by)
VALUES (:rich, 'Supply of "widgets"', 'supply', 99.995, '2024-01-01', '2024-12-31', '00000000-0000-7000-8000-0000000b00a1');
UPDATE pactoria.contracts SET contract_value = 100, end_date = NULL, client_name = 'Client é' WHERE company_id = :rich;
SET pactoria.client_ip = '192.0.2.1';
SELECT pactoria.log_event('export', 'contract', NULL, '{"nested": {"list": [1, 2.50, true, false, null, "x"], "empty": {}}, "a": []}') IS NOT NULL AS logged;
SELECT pactoria.delete_contract(id) FROM pactoria.contracts WHERE company_id = :rich;
RESET pactoria.client_ip;
RESET pactoria.user_agent;
SELECT count(*) AS entries,
       count(*) FILTER (WHERE pactoria.audit_chain_hash(previous_hash, a) = pg_temp.reference_hash(previous_hash, a)) AS encodings_agree,
       count(*) FILTER (WHERE pg_temp.reference_hash(previous_hash, a) = (a).chain_hash) AS chain_hashes_recomputed
FROM (SELECT a, CASE WHEN a.chain_position > 1
                     THEN lag(a.chain_hash) OVER (PARTITION BY a.occurred_at, a.transaction_id ORDER BY a.chain_position) END AS previous_hash
      FROM pactoria.audit_logs AS a WHERE a.company_id = :rich) AS chained;
SELECT pactoria.audit_chain_hash('\x00', a) FROM pactoria.audit_logs AS a WHERE a.company_id = :rich LIMIT 1;
SELECT pactoria.audit_chain_hash(NULL, NULL::pactoria.audit_logs) IS NULL AS null_entry;
SELECT * FROM pg_temp.verify(:rich);

-- Each tampering, on a company of its own, with the triggers off as a superuser can.
\set modified '''00000000-0000-7000-8000-0000000b0001'''
\set deleted '''00000000-0000-7000-8000-0000000b0002'''
\set inserted '''00000000-0000-7000-8000-0000000b0003'''
\set inserted_in_segment '''00000000-0000-7000-8000-0000000b0004'''
\set reordered '''00000000-0000-7000-8000-0000000b0005'''
\set reordered_commits '''00000000-0000-7000-8000-0000000b0006'''
\set deleted_commit '''00000000-0000-7000-8000-0000000b0007'''
\set deleted_latest '''00000000-0000-7000-8000-0000000b0008'''
\set rewritten_head '''00000000-0000-7000-8000-0000000b0009'''
\set truncated '''00000000-0000-7000-8000-0000000b000a'''
\set short_hash '''00000000-0000-7000-8000-0000000b000b'''
RESET pactoria.company_id;
CALL pg_temp.make_history(:modified);
CALL pg_temp.make_history(:deleted);
CALL pg_temp.make_history(:inserted);
CALL pg_temp.make_history(:inserted_in_segment);
CALL pg_temp.make_history(:reordered);
CALL pg_temp.make_history(:reordered_commits);
CALL pg_temp.make_history(:deleted_commit);
CALL pg_temp.make_history(:deleted_latest);
CALL pg_temp.make_history(:rewritten_head);
CALL pg_temp.make_history(:truncated);
CALL pg_temp.make_history(:short_hash);
SELECT count(*) AS intact_companies_with_problems
FROM pactoria.verify_audit_log() WHERE company::text LIKE '00000000-0000-7000-8000-0000000b%';
SELECT chain_sequence, chain_position, event_type, additional_data
FROM pactoria.audit_logs WHERE company_id = :modified ORDER BY chain_sequence NULLS FIRST, occurred_at, chain_position;

SET session_replication_role = replica;
-- modified: an entry's data changed
UPDATE pactoria.audit_logs SET additional_data = '{"entry": 2, "transaction": 2, "forged": true}'
WHERE company_id = :modified AND additional_data = '{"entry": 2, "transaction": 2}';
-- deleted: an entry removed
DELETE FROM pactoria.audit_logs WHERE company_id = :deleted AND additional_data = '{"entry": 2, "transaction": 2}';
-- inserted: an entry no commit covers
INSERT INTO pactoria.audit_logs
SELECT company_id, gen_random_uuid(), occurred_at, 'export', resource_type, resource_id, contract_id, user_id, ip_address,
       user_agent, session_id, old_values, new_values, changed_columns, '{"forged": true}', '4242', NULL, NULL, 1, chain_hash
FROM pactoria.audit_logs WHERE company_id = :inserted AND additional_data = '{"entry": 1, "transaction": 2}';
-- inserted: an entry slipped into a transaction at an existing position
INSERT INTO pactoria.audit_logs
SELECT company_id, gen_random_uuid(), occurred_at, 'export', resource_type, resource_id, contract_id, user_id, ip_address,
       user_agent, session_id, old_values, new_values, changed_columns, '{"forged": true}', transaction_id, NULL, NULL,
       chain_position, chain_hash
FROM pactoria.audit_logs WHERE company_id = :inserted_in_segment AND additional_data = '{"entry": 2, "transaction": 2}';
-- reordered: two entries of a transaction swapped
UPDATE pactoria.audit_logs SET chain_position = 3 - chain_position
WHERE company_id = :reordered AND additional_data IN ('{"entry": 1, "transaction": 2}', '{"entry": 2, "transaction": 2}');
-- reordered: two transactions swapped
UPDATE pactoria.audit_logs SET chain_sequence = 5 - chain_sequence
WHERE company_id = :reordered_commits AND chain_sequence IN (2, 3);
-- deleted: a whole commit entry removed
DELETE FROM pactoria.audit_logs WHERE company_id = :deleted_commit AND chain_sequence = 3;
-- deleted: the latest commit entry removed
DELETE FROM pactoria.audit_logs WHERE company_id = :deleted_latest AND chain_sequence = 4;
-- modified: a hash cut short (what a CHECK would have refused)
UPDATE pactoria.audit_logs SET chain_hash = '\x00'
WHERE company_id = :short_hash AND additional_data = '{"entry": 1, "transaction": 2}';
-- modified: the chain head rewritten
UPDATE pactoria.audit_chain_heads SET chain_hash = sha256('forged') WHERE company_id = :rewritten_head;
RESET session_replication_role;

SELECT 'modified' AS tampering, * FROM pg_temp.verify(:modified)
UNION ALL SELECT 'deleted', * FROM pg_temp.verify(:deleted)
UNION ALL SELECT 'inserted', * FROM pg_temp.verify(:inserted)
UNION ALL SELECT 'inserted in a transaction', * FROM pg_temp.verify(:inserted_in_segment)
UNION ALL SELECT 'reordered entries', * FROM pg_temp.verify(:reordered)
UNION ALL SELECT 'reordered transactions', * FROM pg_temp.verify(:reordered_commits)
UNION ALL SELECT 'deleted commit', * FROM pg_temp.verify(:deleted_commit)
UNION ALL SELECT 'deleted latest commit', * FROM pg_temp.verify(:deleted_latest)
UNION ALL SELECT 'rewritten head', * FROM pg_temp.verify(:rewritten_head)
UNION ALL SELECT 'hash cut short', * FROM pg_temp.verify(:short_hash);
-- One row per broken company, naming its first broken entry.
SELECT count(*) AS broken_companies, count(DISTINCT company) AS distinct_companies
FROM pactoria.verify_audit_log() WHERE company::text LIKE '00000000-0000-7000-8000-0000000b%';
SELECT v.entry_id = a.id AS names_the_modified_entry
FROM pactoria.verify_audit_log(:modified) AS v
JOIN pactoria.audit_logs AS a ON a.company_id = :modified AND a.additional_data ? 'forged';

-- The limit: removing the latest transaction together with the head leaves a
-- consistent chain.  Only a copy of the head kept outside the database shows it.
SELECT chain_sequence AS anchored_sequence, chain_hash AS anchored_hash FROM pactoria.audit_chain_head(:truncated) \gset
SET session_replication_role = replica;
DELETE FROM pactoria.audit_logs WHERE company_id = :truncated
  AND (occurred_at, transaction_id) IN (SELECT occurred_at, transaction_id FROM pactoria.audit_logs
										 WHERE company_id = :truncated AND chain_sequence = 4);
UPDATE pactoria.audit_chain_heads AS h SET chain_sequence = a.chain_sequence, chain_hash = a.chain_hash, entry_id = a.id,
       occurred_at = a.occurred_at
FROM pactoria.audit_logs AS a WHERE h.company_id = :truncated AND a.company_id = :truncated AND a.chain_sequence = 3;
RESET session_replication_role;
SELECT * FROM pg_temp.verify(:truncated);
SELECT h.chain_sequence = :anchored_sequence AND h.chain_hash = :'anchored_hash' AS head_matches_anchor
FROM pactoria.audit_chain_head(:truncated) AS h;
SELECT EXISTS (SELECT 1 FROM pactoria.audit_logs WHERE company_id = :truncated AND chain_sequence = :anchored_sequence
               AND chain_hash = :'anchored_hash') AS anchored_entry_present;

-- Checkpoints.  Month partitions are made as partition maintenance makes them;
-- audit_occurred_at records the entries in the past.
\set archived '''00000000-0000-7000-8000-0000000b0010'''
CREATE TABLE pactoria.audit_logs_2001_01 PARTITION OF pactoria.audit_logs FOR VALUES FROM ('2001-01-01 00:00+00') TO ('2001-02-01 00:00+00');
CREATE TABLE pactoria.audit_logs_2001_02 PARTITION OF pactoria.audit_logs FOR VALUES FROM ('2001-02-01 00:00+00') TO ('2001-03-01 00:00+00');
CREATE TABLE pactoria.audit_logs_2001_03 PARTITION OF pactoria.audit_logs FOR VALUES FROM ('2001-03-01 00:00+00') TO ('2001-04-01 00:00+00');
SET pactoria.audit_occurred_at = '2001-01-10 09:00+00';
CALL pg_temp.make_history(:archived);
SET pactoria.company_id = :archived;
SET pactoria.audit_occurred_at = '2001-02-10 09:00+00';
SELECT pactoria.log_event('read', 'contract') IS NOT NULL AS logged;
SELECT pactoria.log_event('read', 'contract') IS NOT NULL AS logged;
SET pactoria.audit_occurred_at = '2001-03-10 09:00+00';
SELECT pactoria.log_event('read', 'contract') IS NOT NULL AS logged;
RESET pactoria.audit_occurred_at;
SELECT pactoria.log_event('read', 'contract') IS NOT NULL AS logged;
SELECT tableoid::regclass AS partition, count(*) AS entries, min(chain_sequence), max(chain_sequence)
FROM pactoria.audit_logs WHERE company_id = :archived GROUP BY 1 ORDER BY min(chain_sequence);
SELECT * FROM pg_temp.verify(:archived);

-- Retention of January: checkpoint, then drop.  Verification carries on.
SELECT pactoria.audit_checkpoint('pactoria.audit_logs_2001_01');
SELECT pactoria.audit_checkpoint('pactoria.audit_logs_2001_01');
SELECT first_sequence, last_sequence, entry_count, partition_name, partition_bounds
FROM pactoria.audit_checkpoints WHERE company_id = :archived;
DROP TABLE pactoria.audit_logs_2001_01;
SELECT * FROM pg_temp.verify(:archived);
SELECT count(*) AS problems FROM pactoria.verify_audit_log(:archived, '2001-02-01', '2001-03-01');
-- February dropped without a checkpoint: its commit entries are missing.
DROP TABLE pactoria.audit_logs_2001_02;
SELECT * FROM pg_temp.verify(:archived);
-- A partition whose chain is broken is not checkpointed: maintenance keeps it.
SELECT pactoria.audit_checkpoint('pactoria.audit_logs_2001_03');
SELECT count(*) AS checkpoints FROM pactoria.audit_checkpoints WHERE company_id = :archived;
-- Bad arguments.
SELECT pactoria.audit_checkpoint(NULL);
SELECT pactoria.audit_checkpoint('pactoria.contracts');
SELECT pactoria.audit_checkpoint('pactoria.audit_logs_default');
SELECT pactoria.audit_checkpoint('pactoria.no_such_partition');
-- Checkpoints are append-only too.
UPDATE pactoria.audit_checkpoints SET entry_count = 1 WHERE company_id = :archived;
DELETE FROM pactoria.audit_checkpoints WHERE company_id = :archived;
TRUNCATE pactoria.audit_checkpoints;
DROP TABLE pactoria.audit_logs_2001_03;
RESET pactoria.company_id;
