-- The per-table caches of the C triggers follow schema changes made in a warm
-- session: an audited table and contracts are written to (so the audit trigger's
-- column map and the versioning trigger's column numbers are cached), altered
-- (a column added, renamed, dropped, retyped) and written to again, in the same
-- session.  Each cache entry is rebuilt on its table's relcache invalidation
-- (src/audit_trigger.c, src/contract_versioning.c).  One transaction, rolled back.
BEGIN;
SELECT plan(13);

INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-0000000051c1', 'T51 Schema Changes Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name, role)
VALUES ('00000000-0000-7000-8000-0000000051c1', '00000000-0000-7000-8000-0000000051a1',
		'author@t51.example', 'T51 Author', 'contract_manager');
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000051c1';
SET LOCAL pactoria.user_id = '00000000-0000-7000-8000-0000000051a1';

CREATE FUNCTION pg_temp.t51_logged(row_id uuid, event text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT CASE event WHEN 'delete' THEN a.old_values ELSE a.new_values END
	FROM pactoria.audit_logs AS a
	WHERE a.company_id = '00000000-0000-7000-8000-0000000051c1' AND a.resource_id = row_id AND a.event_type = event
	ORDER BY a.chain_position DESC LIMIT 1
$$;

------------------------------------------------------------------------------------
-- An audited application table.
------------------------------------------------------------------------------------
CREATE TABLE public.t51_notes (company_id uuid NOT NULL, id uuid NOT NULL, body text, priority integer);
SELECT pactoria.enable_audit('public.t51_notes');
INSERT INTO public.t51_notes VALUES ('00000000-0000-7000-8000-0000000051c1', '00000000-0000-7000-8000-000000005101', 'first', 1);
SELECT is(pg_temp.t51_logged('00000000-0000-7000-8000-000000005101', 'create'),
	'{"id": "00000000-0000-7000-8000-000000005101", "body": "first", "priority": 1, "company_id": "00000000-0000-7000-8000-0000000051c1"}'::jsonb,
	'a row of the audited table is logged (the cache is warm)');

ALTER TABLE public.t51_notes ADD COLUMN due date;
INSERT INTO public.t51_notes VALUES ('00000000-0000-7000-8000-0000000051c1', '00000000-0000-7000-8000-000000005102', 'second', 2, '2027-01-31');
SELECT is(pg_temp.t51_logged('00000000-0000-7000-8000-000000005102', 'create') ->> 'due', '2027-01-31',
	'a column added in this session is logged at the next insert');

ALTER TABLE public.t51_notes RENAME COLUMN body TO note_text;
UPDATE public.t51_notes SET note_text = 'second, edited' WHERE id = '00000000-0000-7000-8000-000000005102';
SELECT is(pg_temp.t51_logged('00000000-0000-7000-8000-000000005102', 'update'), '{"note_text": "second, edited"}'::jsonb,
	'a renamed column is logged under its new name');

ALTER TABLE public.t51_notes DROP COLUMN priority;
INSERT INTO public.t51_notes VALUES ('00000000-0000-7000-8000-0000000051c1', '00000000-0000-7000-8000-000000005103', 'third', '2027-02-28');
SELECT is(pg_temp.t51_logged('00000000-0000-7000-8000-000000005103', 'create'),
	'{"id": "00000000-0000-7000-8000-000000005103", "due": "2027-02-28", "note_text": "third", "company_id": "00000000-0000-7000-8000-0000000051c1"}'::jsonb,
	'a dropped column is no longer logged, and the columns after it keep their values');

ALTER TABLE public.t51_notes ALTER COLUMN due TYPE timestamptz USING due::timestamptz;
UPDATE public.t51_notes SET due = '2027-03-01 09:30+00' WHERE id = '00000000-0000-7000-8000-000000005103';
SELECT is(pg_temp.t51_logged('00000000-0000-7000-8000-000000005103', 'update') ->> 'due', '2027-03-01T09:30:00+00:00',
	'a column of a new type is logged as its new type');

DELETE FROM public.t51_notes WHERE id = '00000000-0000-7000-8000-000000005101';
SELECT is(pg_temp.t51_logged('00000000-0000-7000-8000-000000005101', 'delete') ->> 'note_text', 'first',
	'a delete after the changes logs the row as it is now');

------------------------------------------------------------------------------------
-- contracts: versioning and its audit.
------------------------------------------------------------------------------------
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, plain_english_input)
VALUES ('00000000-0000-7000-8000-0000000051c1', '00000000-0000-7000-8000-0000000051d1',
		'T51 services', 'service_agreement', 'The supplier delivers weekly.');
UPDATE pactoria.contracts SET generated_content = E'1. Delivery\nWeekly.' WHERE id = '00000000-0000-7000-8000-0000000051d1';
SELECT is((SELECT max(version_number) FROM pactoria.contract_versions WHERE contract_id = '00000000-0000-7000-8000-0000000051d1'), 2,
	'a content change records a version (the cache is warm)');

ALTER TABLE pactoria.contracts ADD COLUMN t51_reference text;
UPDATE pactoria.contracts SET generated_content = E'1. Delivery\nTwice weekly.', t51_reference = 'REF-1'
WHERE id = '00000000-0000-7000-8000-0000000051d1';
SELECT is((SELECT generated_content FROM pactoria.contract_versions
		   WHERE contract_id = '00000000-0000-7000-8000-0000000051d1' AND version_number = 3),
	E'1. Delivery\nTwice weekly.', 'after a column is added, the next version holds the new content');
SELECT is(pg_temp.t51_logged('00000000-0000-7000-8000-0000000051d1', 'update') ->> 't51_reference', 'REF-1',
	'and the audit entry logs the added column');

ALTER TABLE pactoria.contracts DROP COLUMN t51_reference;
UPDATE pactoria.contracts SET final_content = E'1. Delivery\nTwice weekly, by noon.' WHERE id = '00000000-0000-7000-8000-0000000051d1';
SELECT is((SELECT final_content FROM pactoria.contract_versions
		   WHERE contract_id = '00000000-0000-7000-8000-0000000051d1' AND version_number = 4),
	E'1. Delivery\nTwice weekly, by noon.', 'after a column is dropped, versions still copy the right columns');

-- A column the versioning needs, renamed: a clear error, not a wrong copy; renamed
-- back, it works again.
ALTER TABLE pactoria.contracts RENAME COLUMN final_content TO t51_final;
SELECT throws_ok($$UPDATE pactoria.contracts SET t51_final = 'changed' WHERE id = '00000000-0000-7000-8000-0000000051d1'$$,
	'42703', NULL, 'a renamed column the versioning reads is an error (42703) at the next write');
ALTER TABLE pactoria.contracts RENAME COLUMN t51_final TO final_content;
UPDATE pactoria.contracts SET final_content = 'Final, at last.' WHERE id = '00000000-0000-7000-8000-0000000051d1';
SELECT is((SELECT final_content FROM pactoria.contract_versions
		   WHERE contract_id = '00000000-0000-7000-8000-0000000051d1' AND version_number = 5),
	'Final, at last.', 'renamed back, the next version is recorded');
SELECT is((SELECT count(*)::integer FROM pactoria.contract_versions WHERE contract_id = '00000000-0000-7000-8000-0000000051d1'), 5,
	'one version per content change, none lost and none doubled');

SELECT * FROM finish();
ROLLBACK;
