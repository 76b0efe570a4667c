\echo
\echo '=== pactoria: contract versions and lifecycle ======================================'
\echo 'Every change of a contract''s content is a new version with the full text, numbered'
\echo '1, 2, 3... by the database; the history cannot be rewritten; status changes follow'
\echo 'draft -> pending_review -> approved -> active -> expired | terminated.'

-- Northwind Legal Ltd and its people come from scene 10; made here only if missing.
INSERT INTO pactoria.companies (name, registration_number, postcode, subscription_tier)
SELECT 'Northwind Legal Ltd', '09876543', 'EC2A 4NE', 'professional'
WHERE NOT EXISTS (SELECT 1 FROM pactoria.companies WHERE name = 'Northwind Legal Ltd');
SELECT id AS northwind_id FROM pactoria.companies WHERE name = 'Northwind Legal Ltd' ORDER BY created_at LIMIT 1 \gset
SELECT set_config('pactoria.company_id', :'northwind_id', false) IS NOT NULL AS tenant_context_set;
INSERT INTO pactoria.users (company_id, email, full_name, role)
SELECT :'northwind_id', 'priya.shah@northwind-legal.example', 'Priya Shah', 'contract_manager'
WHERE NOT EXISTS (SELECT 1 FROM pactoria.users WHERE company_id = :'northwind_id' AND role = 'contract_manager' AND is_active);
INSERT INTO pactoria.users (company_id, email, full_name, role)
SELECT :'northwind_id', 'james.okafor@northwind-legal.example', 'James Okafor', 'legal_reviewer'
WHERE NOT EXISTS (SELECT 1 FROM pactoria.users WHERE company_id = :'northwind_id' AND role = 'legal_reviewer' AND is_active);
SELECT id AS author_id, full_name AS author_name FROM pactoria.users
WHERE company_id = :'northwind_id' AND role = 'contract_manager' AND is_active ORDER BY created_at LIMIT 1 \gset
SELECT id AS reviewer_id, full_name AS reviewer_name FROM pactoria.users
WHERE company_id = :'northwind_id' AND role = 'legal_reviewer' AND is_active ORDER BY created_at LIMIT 1 \gset

\echo
\echo '--- A contract manager drafts a contract: it starts as a draft, at version 1.'
SELECT set_config('pactoria.user_id', :'author_id', false) IS NOT NULL AS acting_as_author;
INSERT INTO pactoria.contracts (company_id, title, contract_type, client_name, plain_english_input)
VALUES (:'northwind_id', 'Courier Services Agreement', 'service_agreement', 'Thames Valley Logistics Ltd',
		'Thames Valley Logistics collects our client files daily and delivers them next working day, for a fixed fee per parcel.')
RETURNING id AS contract_id, status, version \gset
SELECT :'contract_id' AS contract_id, :'status' AS status, :version AS version;

\echo
\echo '--- Two edits, each in a transaction with a change summary.'
BEGIN;
SELECT pactoria.set_change_summary('First full draft');
UPDATE pactoria.contracts SET generated_content =
E'1. Services\nThe Courier collects parcels each Business Day and delivers them by 12:00 the next Business Day.\n'
'2. Fees\nThe Customer pays £4.00 per parcel, invoiced monthly.\n3. Term\nTwelve months from the Start Date.'
WHERE id = :'contract_id';
COMMIT;
BEGIN;
SELECT pactoria.set_change_summary('Fee agreed at £4.50; liability cap added');
UPDATE pactoria.contracts SET final_content =
E'1. Services\nThe Courier collects parcels each Business Day and delivers them by 12:00 the next Business Day.\n'
'2. Fees\nThe Customer pays £4.50 per parcel, invoiced monthly.\n3. Term\nTwelve months from the Start Date.\n'
'4. Liability\nEach party''s liability is capped at £25,000.'
WHERE id = :'contract_id';
COMMIT;

\echo
\echo '--- The history: who changed what, when, and the current version.'
SELECT version_number, change_summary, created_by_name, content_bytes, is_current
FROM pactoria.contract_history(:'contract_id');

\echo
\echo '--- What changed between version 2 and version 3 (a line diff computed in C).'
SELECT * FROM pactoria.diff_contract_versions(:'contract_id', 2, 3);

\echo
\echo '--- Submitted for review.  The author may not approve it: that takes a legal reviewer or an admin.'
UPDATE pactoria.contracts SET status = 'pending_review' WHERE id = :'contract_id';
\set ON_ERROR_STOP off
UPDATE pactoria.contracts SET status = 'approved' WHERE id = :'contract_id';
\set ON_ERROR_STOP on

\echo
\echo '--- The legal reviewer approves it, and it becomes active from its start date.'
SELECT set_config('pactoria.user_id', :'reviewer_id', false) IS NOT NULL AS acting_as_reviewer;
UPDATE pactoria.contracts SET status = 'approved' WHERE id = :'contract_id';
UPDATE pactoria.contracts SET status = 'active', start_date = CURRENT_DATE, end_date = CURRENT_DATE + 364
WHERE id = :'contract_id';
SELECT title, status, version, start_date, end_date FROM pactoria.contracts WHERE id = :'contract_id';

\echo
\echo '--- An active contract is signed: its content cannot change, its history cannot be rewritten,'
\echo '--- and it cannot skip back to draft.'
\set ON_ERROR_STOP off
UPDATE pactoria.contracts SET final_content = replace(final_content, '£4.50', '£5.50') WHERE id = :'contract_id';
UPDATE pactoria.contract_versions SET change_summary = 'Nothing to see here' WHERE contract_id = :'contract_id';
UPDATE pactoria.contracts SET status = 'draft' WHERE id = :'contract_id';
\set ON_ERROR_STOP on

\echo
\echo '--- It shows up among the contracts ending within a year; the history is intact.'
SELECT title, end_date, days_remaining FROM pactoria.expiring_contracts('1 year');
SELECT version_number, change_summary, created_by_name, is_current FROM pactoria.contract_history(:'contract_id');
