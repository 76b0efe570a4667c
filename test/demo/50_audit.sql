\echo
\echo '=== pactoria: audit trail =========================================================='
\echo 'Every change to a tenant table is written to pactoria.audit_logs by a C trigger, with'
\echo 'who, from where and what changed. Northwind Legal edits a draft contract from its web app'
\echo 'and sends it for review:'
SELECT id AS northwind FROM pactoria.companies WHERE name = 'Northwind Legal Ltd' \gset
SELECT id AS editor, full_name AS editor_name FROM pactoria.users
WHERE company_id = :'northwind' ORDER BY role = 'admin' DESC, created_at LIMIT 1 \gset
SELECT id AS contract, title AS contract_title FROM pactoria.contracts
WHERE company_id = :'northwind' AND status = 'draft' ORDER BY title LIMIT 1 \gset
\echo 'The application sets the tenant, the user and the request once per transaction:'
BEGIN;
SET LOCAL pactoria.company_id = :'northwind';
SET LOCAL pactoria.user_id = :'editor';
SET LOCAL pactoria.client_ip = '203.0.113.45';
SET LOCAL pactoria.user_agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0';
SET LOCAL pactoria.session_id = 'sess-7f3a9c';
UPDATE pactoria.contracts
SET status = 'pending_review', contract_value = coalesce(contract_value, 0) + 2500
WHERE company_id = :'northwind' AND id = :'contract';
SELECT pactoria.log_event('export', 'contract', :'contract', '{"format": "pdf", "pages": 14}') AS export_entry_id;
COMMIT;

\echo
\echo 'The contract''s history: updates hold only the changed columns, old and new, and the actor'
\echo '(the create entry holds the whole row; four of its columns are shown here).'
SELECT to_char(a.occurred_at, 'YYYY-MM-DD HH24:MI:SS') AS occurred_at, a.event_type, a.changed_columns, a.old_values,
       CASE WHEN a.event_type = 'create'
            THEN jsonb_build_object('title', a.new_values -> 'title', 'status', a.new_values -> 'status',
                                    'client_name', a.new_values -> 'client_name', 'contract_value', a.new_values -> 'contract_value')
            ELSE a.new_values END AS new_values,
       u.full_name AS by_user, a.ip_address
FROM pactoria.audit_logs AS a
LEFT JOIN pactoria.users AS u ON u.company_id = a.company_id AND u.id = a.user_id
WHERE a.company_id = :'northwind' AND a.resource_id = :'contract'
ORDER BY a.occurred_at, a.chain_position;

\echo
\echo 'The transaction''s entries are chained: each stores SHA-256(previous hash, its own'
\echo 'canonical encoding); at commit a commit entry closes them and links to the company''s'
\echo 'previous commit entry.'
SELECT a.chain_position, a.event_type, a.resource_type, a.chain_sequence,
       left(encode(a.chain_previous_hash, 'hex'), 16) AS previous_commit_hash,
       left(encode(a.chain_hash, 'hex'), 16) AS chain_hash
FROM pactoria.audit_logs AS a
WHERE a.company_id = :'northwind'
  AND a.transaction_id = (SELECT max(transaction_id) FROM pactoria.audit_logs WHERE company_id = :'northwind')
ORDER BY a.chain_position;

\echo
\echo 'The log is append-only, for its owner too:'
\set ON_ERROR_STOP off
UPDATE pactoria.audit_logs SET new_values = '{}' WHERE company_id = :'northwind';
DELETE FROM pactoria.audit_logs WHERE company_id = :'northwind';
\set ON_ERROR_STOP on

\echo
\echo 'verify_audit_log() recomputes every hash and link: an intact log gives no rows.'
SELECT * FROM pactoria.verify_audit_log(:'northwind');

\echo
\echo 'A superuser switches the triggers off and quietly lowers the value the log recorded ...'
SET session_replication_role = replica;
UPDATE pactoria.audit_logs
SET new_values = jsonb_set(new_values, '{contract_value}', to_jsonb((new_values ->> 'contract_value')::numeric - 2000))
WHERE company_id = :'northwind' AND resource_id = :'contract' AND event_type = 'update'
  AND new_values ? 'contract_value';
RESET session_replication_role;
\echo '... and verification names the entry and how it was broken:'
SELECT v.problem, v.chain_position, a.event_type, a.resource_type, a.new_values, v.detail
FROM pactoria.verify_audit_log(:'northwind') AS v
JOIN pactoria.audit_logs AS a ON a.company_id = v.company AND a.id = v.entry_id;

\echo
\echo 'Putting the recorded value back makes the chain verify again (the hashes cover the data):'
SET session_replication_role = replica;
UPDATE pactoria.audit_logs
SET new_values = jsonb_set(new_values, '{contract_value}', to_jsonb((new_values ->> 'contract_value')::numeric + 2000))
WHERE company_id = :'northwind' AND resource_id = :'contract' AND event_type = 'update'
  AND new_values ? 'contract_value';
RESET session_replication_role;
SELECT count(*) AS problems FROM pactoria.verify_audit_log(:'northwind');
\echo 'The head to keep outside the database, so that not even a rewrite of the whole chain goes unseen:'
SELECT chain_sequence, encode(chain_hash, 'hex') AS chain_hash FROM pactoria.audit_chain_head(:'northwind');
