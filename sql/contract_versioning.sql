-- Contract versions and lifecycle (src/sql/60_contract_lifecycle.sql): a contract
-- from draft to expiry, with every error a user meets on the way.
\set SHOW_CONTEXT never
SET client_min_messages = notice;

-- Two companies; in the first an author, a legal reviewer, an admin, a viewer and a
-- legal reviewer who has left; in the second an admin.
INSERT INTO pactoria.companies (id, name) VALUES
	('60000000-0000-7000-8000-000000000001', 'Regress Versioning Ltd'),
	('60000000-0000-7000-8000-000000000002', 'Regress Other Tenant Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name, role, is_active) VALUES
	('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000a1', 'ann.author@versioning.regress.example', 'Ann Author', 'contract_manager', true),
	('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000a2', 'rob.reviewer@versioning.regress.example', 'Rob Reviewer', 'legal_reviewer', true),
	('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000a3', 'ada.admin@versioning.regress.example', 'Ada Admin', 'admin', true),
	('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000a4', 'vic.viewer@versioning.regress.example', 'Vic Viewer', 'viewer', true),
	('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000a5', 'lee.left@versioning.regress.example', 'Lee Left', 'legal_reviewer', false),
	('60000000-0000-7000-8000-000000000002', '60000000-0000-7000-8000-0000000000b1', 'bea.other@versioning.regress.example', 'Bea Other', 'admin', true);

-- An application role: not a superuser, so row-level security applies to it.
CREATE ROLE regress_contract_app NOLOGIN;
GRANT USAGE ON SCHEMA pactoria TO regress_contract_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pactoria TO regress_contract_app;

-- Ann drafts a contract: it starts as a draft at version 1, and version 1 is recorded.
SET pactoria.company_id = '60000000-0000-7000-8000-000000000001';
SET pactoria.user_id = '60000000-0000-7000-8000-0000000000a1';
SET ROLE regress_contract_app;
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, plain_english_input)
VALUES ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000c1',
		'Courier services', 'service_agreement', 'Courier collects parcels daily and delivers next day.');
SELECT status, version FROM pactoria.contracts WHERE id = '60000000-0000-7000-8000-0000000000c1';
SELECT version_number, change_summary, created_by_name, content_bytes, is_current
FROM pactoria.contract_history('60000000-0000-7000-8000-0000000000c1');

-- Two edits, each with a summary for its transaction; the summary does not outlive it.
BEGIN;
SELECT pactoria.set_change_summary('First draft generated');
UPDATE pactoria.contracts
SET generated_content = E'1. Services\nThe Courier collects parcels each Business Day.\n2. Fees\nThe Customer pays £2 per parcel.\n3. Term\nTwelve months.'
WHERE id = '60000000-0000-7000-8000-0000000000c1';
COMMIT;
SHOW pactoria.change_summary;
BEGIN;
SET LOCAL pactoria.change_summary = 'Fee raised, liability clause added';
UPDATE pactoria.contracts
SET final_content = E'1. Services\nThe Courier collects parcels each Business Day.\n2. Fees\nThe Customer pays £2.50 per parcel.\n3. Term\nTwelve months.\n4. Liability\nCapped at £10,000.'
WHERE id = '60000000-0000-7000-8000-0000000000c1';
COMMIT;

-- Changing anything but content makes no version; neither does writing the same content.
UPDATE pactoria.contracts SET title = 'Courier services agreement', client_name = 'Thames Valley Logistics Ltd'
WHERE id = '60000000-0000-7000-8000-0000000000c1';
UPDATE pactoria.contracts SET final_content = final_content, generated_content = generated_content
WHERE id = '60000000-0000-7000-8000-0000000000c1';
SELECT version_number, change_summary, created_by_name, content_bytes, is_current
FROM pactoria.contract_history('60000000-0000-7000-8000-0000000000c1');

-- Each version holds the full content: all three columns, and the document in content.
SELECT version_number, plain_english_input IS NOT NULL AS has_input, generated_content IS NOT NULL AS has_generated,
	   final_content IS NOT NULL AS has_final, left(content, 30) AS content_start
FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000000c1'
ORDER BY version_number;

-- What changed between versions 2 and 3, and back.
SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000000c1', 2, 3);
SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000000c1', 3, 2);
-- The same version: nothing changed.
SELECT operation, count(*) FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000000c1', 3, 3)
GROUP BY operation;
-- From the plain-English input (version 1) to the generated draft (version 2).
SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000000c1', 1, 2);

-- Unknown versions and contracts.
SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000000c1', 1, 4);
SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000000c1', 0, 1);
SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-00000000dead', 1, 2);
SELECT * FROM pactoria.contract_history('60000000-0000-7000-8000-00000000dead');
SELECT version_number, change_summary, final_content
FROM pactoria.contract_version('60000000-0000-7000-8000-0000000000c1', 3);
SELECT * FROM pactoria.contract_version('60000000-0000-7000-8000-0000000000c1', 4);
SELECT count(*) FROM pactoria.contract_history(NULL);
SELECT count(*) FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000000c1', NULL, 2);

-- Restoring version 2 makes version 4 with version 2's content; history is kept.
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000000c1', 2);
SELECT version_number, change_summary, content_bytes, is_current
FROM pactoria.contract_history('60000000-0000-7000-8000-0000000000c1');
SELECT (SELECT content FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000000c1' AND version_number = 4)
	 = (SELECT content FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000000c1' AND version_number = 2)
	   AS version_4_is_version_2;
-- final_content of version 2 was NULL, and so is the contract's now.
SELECT final_content IS NULL AS final_content_cleared, version FROM pactoria.contracts
WHERE id = '60000000-0000-7000-8000-0000000000c1';
-- Restoring the content it already has changes nothing.
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000000c1', 4, 'Again');
-- A summary of its own; the caller's summary is untouched afterwards.
BEGIN;
SELECT pactoria.set_change_summary('caller''s summary');
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000000c1', 3, 'Back to the agreed fee');
SHOW pactoria.change_summary;
COMMIT;
SELECT version_number, change_summary FROM pactoria.contract_history('60000000-0000-7000-8000-0000000000c1') LIMIT 1;
-- Bad input.
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000000c1', 9);
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-00000000dead', 1);
SELECT pactoria.restore_contract_version(NULL, 1);
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000000c1', NULL);
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000000c1', 1, repeat('x', 2001));
SELECT pactoria.set_change_summary(repeat('é', 2001));
BEGIN;
SELECT pactoria.set_change_summary(repeat('é', 2000));
SELECT length(current_setting('pactoria.change_summary')) AS accepted_characters;
COMMIT;
SELECT current_setting('pactoria.change_summary') = '' AS gone_after_the_transaction;

-- The version column is pactoria's.
UPDATE pactoria.contracts SET version = 1 WHERE id = '60000000-0000-7000-8000-0000000000c1';
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, version)
VALUES ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000c9', 'Imported', 'nda', 3);

-- A contract starts as a draft.
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, status, start_date)
VALUES ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000c9', 'Imported', 'nda', 'active', '2025-01-01');

-- The lifecycle: a draft cannot be approved or activated straight away.
UPDATE pactoria.contracts SET status = 'approved' WHERE id = '60000000-0000-7000-8000-0000000000c1';
UPDATE pactoria.contracts SET status = 'active' WHERE id = '60000000-0000-7000-8000-0000000000c1';
-- Not a status at all: the check constraint answers.
UPDATE pactoria.contracts SET status = 'signed' WHERE id = '60000000-0000-7000-8000-0000000000c1';
-- Submitted for review, content may still change (a version), then only a
-- legal reviewer or an admin may approve.
UPDATE pactoria.contracts SET status = 'pending_review' WHERE id = '60000000-0000-7000-8000-0000000000c1';
UPDATE pactoria.contracts SET final_content = final_content || E'\n5. Notices\nBy e-mail.'
WHERE id = '60000000-0000-7000-8000-0000000000c1';
\set approve_courier 'UPDATE pactoria.contracts SET status = ''approved'' WHERE id = ''60000000-0000-7000-8000-0000000000c1'''
:approve_courier;
-- Nor may a viewer, a legal reviewer who left, another company's admin, or nobody.
RESET ROLE; SET pactoria.user_id = '60000000-0000-7000-8000-0000000000a4'; SET ROLE regress_contract_app;
:approve_courier;
RESET ROLE; SET pactoria.user_id = '60000000-0000-7000-8000-0000000000a5'; SET ROLE regress_contract_app;
:approve_courier;
RESET ROLE; SET pactoria.user_id = '60000000-0000-7000-8000-0000000000b1'; SET ROLE regress_contract_app;
:approve_courier;
RESET ROLE; SET pactoria.user_id = ''; SET ROLE regress_contract_app;
:approve_courier;
-- Approving together with a content change is refused: the reviewer approves what they read.
RESET ROLE; SET pactoria.user_id = '60000000-0000-7000-8000-0000000000a2'; SET ROLE regress_contract_app;
UPDATE pactoria.contracts SET status = 'approved', final_content = 'Something else'
WHERE id = '60000000-0000-7000-8000-0000000000c1';
:approve_courier;

-- Approved: the content is frozen, also for a restore.
UPDATE pactoria.contracts SET final_content = 'Quietly changed' WHERE id = '60000000-0000-7000-8000-0000000000c1';
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000000c1', 1);
-- Active needs a start date.
UPDATE pactoria.contracts SET status = 'active' WHERE id = '60000000-0000-7000-8000-0000000000c1';
UPDATE pactoria.contracts SET status = 'active', start_date = CURRENT_DATE - 300, end_date = CURRENT_DATE + 65
WHERE id = '60000000-0000-7000-8000-0000000000c1';
UPDATE pactoria.contracts SET start_date = NULL WHERE id = '60000000-0000-7000-8000-0000000000c1';
UPDATE pactoria.contracts SET final_content = 'Quietly changed' WHERE id = '60000000-0000-7000-8000-0000000000c1';
UPDATE pactoria.contracts SET status = 'draft' WHERE id = '60000000-0000-7000-8000-0000000000c1';
UPDATE pactoria.contracts SET status = 'cancelled' WHERE id = '60000000-0000-7000-8000-0000000000c1';
SELECT status, version FROM pactoria.contracts WHERE id = '60000000-0000-7000-8000-0000000000c1';

-- The history cannot be rewritten, deleted or forged, and the contract cannot be deleted.
UPDATE pactoria.contract_versions SET change_summary = 'rewritten'
WHERE contract_id = '60000000-0000-7000-8000-0000000000c1' AND version_number = 2;
DELETE FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000000c1';
INSERT INTO pactoria.contract_versions (company_id, contract_id, version_number, final_content, created_by)
VALUES ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000c1', 7, 'forged',
		'60000000-0000-7000-8000-0000000000a2');
DELETE FROM pactoria.contracts WHERE id = '60000000-0000-7000-8000-0000000000c1';
SELECT pactoria.delete_contract('60000000-0000-7000-8000-0000000000c1');
-- Nor by the owner (here a superuser).
RESET ROLE;
UPDATE pactoria.contract_versions SET change_summary = 'rewritten'
WHERE contract_id = '60000000-0000-7000-8000-0000000000c1' AND version_number = 1;
TRUNCATE pactoria.contract_versions;
SET client_min_messages = warning;
TRUNCATE pactoria.contracts CASCADE;
SET client_min_messages = notice;
SET ROLE regress_contract_app;

-- A draft goes with its history through pactoria.delete_contract(), only there.
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
VALUES ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000c2', 'Abandoned draft', 'nda', 'v1');
UPDATE pactoria.contracts SET final_content = 'v2' WHERE id = '60000000-0000-7000-8000-0000000000c2';
SELECT count(*) AS versions FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000000c2';
SELECT pactoria.delete_contract('60000000-0000-7000-8000-0000000000c2');
SELECT count(*) AS contracts, (SELECT count(*) FROM pactoria.contract_versions
							   WHERE contract_id = '60000000-0000-7000-8000-0000000000c2') AS versions
FROM pactoria.contracts WHERE id = '60000000-0000-7000-8000-0000000000c2';
SELECT pactoria.delete_contract('60000000-0000-7000-8000-0000000000c2');
SELECT pactoria.delete_contract(NULL);

-- Another tenant's contract does not exist for this tenant.
RESET ROLE;
SET pactoria.company_id = '60000000-0000-7000-8000-000000000002';
SET pactoria.user_id = '60000000-0000-7000-8000-0000000000b1';
SET ROLE regress_contract_app;
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
VALUES ('60000000-0000-7000-8000-000000000002', '60000000-0000-7000-8000-0000000000d1', 'Other tenant draft', 'nda', 'theirs');
SELECT count(*) FROM pactoria.contracts WHERE id = '60000000-0000-7000-8000-0000000000c1';
SELECT * FROM pactoria.contract_history('60000000-0000-7000-8000-0000000000c1');
SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000000c1', 1, 2);
SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000000c1', 1);
SELECT pactoria.delete_contract('60000000-0000-7000-8000-0000000000c1');
-- Without a tenant context there is nothing to act on.
RESET ROLE;
SET pactoria.company_id = '';
SET ROLE regress_contract_app;
SELECT * FROM pactoria.contract_history('60000000-0000-7000-8000-0000000000d1');
SELECT pactoria.delete_contract('60000000-0000-7000-8000-0000000000d1');

-- Expiry.  Active contracts of the first company ending in 10, 40 and 400 days,
-- and one that ended yesterday; the second company has one ending in 5 days.
RESET ROLE;
SET pactoria.company_id = '60000000-0000-7000-8000-000000000001';
SET pactoria.user_id = '60000000-0000-7000-8000-0000000000a3';
CREATE FUNCTION pg_temp.make_active(company uuid, contract uuid, title text, days_left integer)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
	VALUES (company, contract, title, 'supply_agreement', title);
	UPDATE pactoria.contracts SET status = 'pending_review' WHERE id = contract;
	UPDATE pactoria.contracts SET status = 'approved' WHERE id = contract;
	UPDATE pactoria.contracts
	SET status = 'active', start_date = CURRENT_DATE - 365, end_date = CURRENT_DATE + days_left
	WHERE id = contract;
END
$$;
SELECT pg_temp.make_active('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000e1', 'Ends in 10 days', 10);
SELECT pg_temp.make_active('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000e2', 'Ends in 40 days', 40);
SELECT pg_temp.make_active('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000e3', 'Ends in 400 days', 400);
SELECT pg_temp.make_active('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-0000000000e4', 'Ended yesterday', -1);
SET pactoria.company_id = '60000000-0000-7000-8000-000000000002';
SET pactoria.user_id = '60000000-0000-7000-8000-0000000000b1';
SELECT pg_temp.make_active('60000000-0000-7000-8000-000000000002', '60000000-0000-7000-8000-0000000000e5', 'Other tenant, ends in 5 days', 5);
SET pactoria.company_id = '60000000-0000-7000-8000-000000000001';
SET pactoria.user_id = '60000000-0000-7000-8000-0000000000a3';
-- And 3,000 drafts, so that reading the whole table costs what it would.
INSERT INTO pactoria.contracts (company_id, title, contract_type)
SELECT '60000000-0000-7000-8000-000000000001', format('Draft %s', g), 'nda' FROM generate_series(1, 3000) AS g;
ANALYZE pactoria.contracts;

SET ROLE regress_contract_app;
SELECT title, end_date - CURRENT_DATE AS ends_in, days_remaining FROM pactoria.expiring_contracts('30 days');
SELECT title, days_remaining FROM pactoria.expiring_contracts('1 year 2 months');
SELECT count(*) FROM pactoria.expiring_contracts('-5 days');
SELECT count(*) FROM pactoria.expiring_contracts(NULL);
-- The query the function runs (src/sql/61_contract_expiry.sql): the tenant
-- condition of row-level security and the dates meet in one scan of the partial
-- index on active contracts.
EXPLAIN (COSTS OFF) SELECT c.id FROM pactoria.contracts AS c
WHERE c.status OPERATOR(pg_catalog.=) 'active' AND c.end_date OPERATOR(pg_catalog.>=) CURRENT_DATE
  AND c.end_date OPERATOR(pg_catalog.<=) (CURRENT_DATE OPERATOR(pg_catalog.+) '30 days'::interval)::date
ORDER BY c.end_date, c.id;

-- Expiring runs as its caller: under row-level security, this tenant's contracts only.
SELECT pactoria.expire_contracts();
SELECT title, status FROM pactoria.contracts WHERE status IN ('active', 'expired') ORDER BY title;
SELECT pactoria.expire_contracts(now() + interval '41 days');
SELECT title, status FROM pactoria.contracts WHERE status IN ('active', 'expired') ORDER BY title;
SELECT pactoria.expire_contracts(NULL) IS NULL AS null_in_null_out;
-- As the owner it sees every tenant: the other tenant's contract expires too (and
-- whatever else in this database is due).
RESET ROLE;
BEGIN;
SELECT count(*) AS due FROM pactoria.contracts
WHERE status = 'active' AND end_date < (now() + interval '6 days')::date \gset
SELECT pactoria.expire_contracts(now() + interval '6 days') = :due AS expired_every_due_contract;
COMMIT;
SELECT c.title, c.status FROM pactoria.contracts AS c
WHERE c.company_id = '60000000-0000-7000-8000-000000000002' AND c.status <> 'draft';
-- An expired contract is final.
UPDATE pactoria.contracts SET status = 'active' WHERE id = '60000000-0000-7000-8000-0000000000e1';

-- Every contract of the two companies has exactly the versions 1..version.
SELECT count(*) AS contracts,
	   count(*) FILTER (WHERE (SELECT count(*) = c.version AND min(v.version_number) = 1
									 AND max(v.version_number) = c.version
							   FROM pactoria.contract_versions AS v
							   WHERE v.company_id = c.company_id AND v.contract_id = c.id)) AS versions_one_to_version
FROM pactoria.contracts AS c
WHERE c.company_id IN ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-000000000002');

-- Clean up, bypassing the triggers as a restore would.
SET session_replication_role = replica;
DELETE FROM pactoria.contract_versions
WHERE company_id IN ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-000000000002');
DELETE FROM pactoria.contracts
WHERE company_id IN ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-000000000002');
DELETE FROM pactoria.users
WHERE company_id IN ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-000000000002');
DELETE FROM pactoria.companies
WHERE id IN ('60000000-0000-7000-8000-000000000001', '60000000-0000-7000-8000-000000000002');
RESET session_replication_role;
RESET pactoria.company_id;
RESET pactoria.user_id;
REVOKE ALL ON ALL TABLES IN SCHEMA pactoria FROM regress_contract_app;
REVOKE USAGE ON SCHEMA pactoria FROM regress_contract_app;
DROP ROLE regress_contract_app;
