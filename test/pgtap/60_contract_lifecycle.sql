-- Contract versioning and lifecycle (issue 8): every transition, every rule, every
-- error, as an application role under row-level security where it matters.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(171);

-- Two companies: in A an author, a legal reviewer, an admin, a viewer and a reviewer
-- who left; in B an admin.
INSERT INTO pactoria.companies (id, name) VALUES
	('60000000-0000-7000-8000-0000000a6001', 'Lifecycle Test Ltd'),
	('60000000-0000-7000-8000-0000000b6001', 'Lifecycle Other Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name, role, is_active) VALUES
	('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a1', 'author@lifecycle.example', 'Author', 'contract_manager', true),
	('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a2', 'reviewer@lifecycle.example', 'Reviewer', 'legal_reviewer', true),
	('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a3', 'admin@lifecycle.example', 'Admin', 'admin', true),
	('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a4', 'viewer@lifecycle.example', 'Viewer', 'viewer', true),
	('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a5', 'left@lifecycle.example', 'Left', 'legal_reviewer', false),
	('60000000-0000-7000-8000-0000000b6001', '60000000-0000-7000-8000-0000000b60b1', 'other@lifecycle.example', 'Other', 'admin', true);

CREATE ROLE pactoria_test_60_app NOLOGIN;
GRANT USAGE ON SCHEMA pactoria TO pactoria_test_60_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pactoria TO pactoria_test_60_app;

-- Helpers (called as the superuser running the file).
CREATE FUNCTION pg_temp.context(company uuid, app_user uuid)
RETURNS void LANGUAGE sql AS $$
	SELECT set_config('pactoria.company_id', coalesce(company::text, ''), true),
		   set_config('pactoria.user_id', coalesce(app_user::text, ''), true);
$$;

-- A new contract of company A (author: the admin), walked to the given status.
CREATE FUNCTION pg_temp.contract_in(target text, content text DEFAULT 'Initial content')
RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
	new_id uuid;
	path text[] := CASE target
		WHEN 'draft' THEN ARRAY[]::text[]
		WHEN 'pending_review' THEN ARRAY['pending_review']
		WHEN 'approved' THEN ARRAY['pending_review', 'approved']
		WHEN 'active' THEN ARRAY['pending_review', 'approved', 'active']
		WHEN 'expired' THEN ARRAY['pending_review', 'approved', 'active', 'expired']
		WHEN 'terminated' THEN ARRAY['pending_review', 'approved', 'active', 'terminated']
		WHEN 'cancelled' THEN ARRAY['cancelled'] END;
	step text;
BEGIN
	PERFORM pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a3');
	INSERT INTO pactoria.contracts (company_id, title, contract_type, final_content)
	VALUES ('60000000-0000-7000-8000-0000000a6001', 'Test contract in ' || target, 'nda', content)
	RETURNING id INTO new_id;
	FOREACH step IN ARRAY path LOOP
		UPDATE pactoria.contracts SET status = step, start_date = coalesce(start_date, DATE '2025-01-01')
		WHERE id = new_id;
	END LOOP;
	RETURN new_id;
END
$$;

CREATE FUNCTION pg_temp.versions_of(contract uuid)
RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM pactoria.contract_versions WHERE contract_id = contract;
$$;

------------------------------------------------------------------------------------
-- Catalog: the triggers and how the functions are declared.
------------------------------------------------------------------------------------
SELECT has_trigger('pactoria', 'contracts', 'trg_contracts_enforce_lifecycle', 'contracts has the lifecycle trigger');
SELECT has_trigger('pactoria', 'contracts', 'trg_contracts_record_first_version', 'contracts records version 1 on insert');
SELECT has_trigger('pactoria', 'contracts', 'trg_contracts_record_version', 'contracts records versions on update');
SELECT has_trigger('pactoria', 'contract_versions', 'trg_contract_versions_guard_history', 'contract_versions has the history guard');
SELECT has_trigger('pactoria', 'contract_versions', 'trg_contract_versions_refuse_truncate', 'contract_versions refuses TRUNCATE');
SELECT volatility_is('pactoria', 'diff_text', ARRAY['text', 'text'], 'immutable', 'diff_text is IMMUTABLE');
SELECT volatility_is('pactoria', 'contract_history', ARRAY['uuid'], 'stable', 'contract_history is STABLE');
SELECT volatility_is('pactoria', 'diff_contract_versions', ARRAY['uuid', 'integer', 'integer'], 'stable', 'diff_contract_versions is STABLE');
SELECT volatility_is('pactoria', 'contract_version', ARRAY['uuid', 'integer'], 'stable', 'contract_version is STABLE');
SELECT volatility_is('pactoria', 'restore_contract_version', ARRAY['uuid', 'integer', 'text'], 'volatile', 'restore_contract_version is VOLATILE');
SELECT volatility_is('pactoria', 'delete_contract', ARRAY['uuid'], 'volatile', 'delete_contract is VOLATILE');
SELECT ok((SELECT NOT proisstrict AND NOT prosecdef AND provolatile = 's'
				  AND prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpgsql')
		   FROM pg_proc WHERE oid = 'pactoria.expiring_contracts(interval)'::regprocedure),
		  'expiring_contracts is PL/pgSQL (Citus plans no SQL function with parameters), STABLE, not STRICT, as its caller');

------------------------------------------------------------------------------------
-- Every status transition: 9 allowed, the other 33 refused with check_violation.
------------------------------------------------------------------------------------
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a3');
SELECT CASE WHEN allowed
			THEN lives_ok(format('UPDATE pactoria.contracts SET status = %L, start_date = DATE ''2025-01-01'' WHERE id = %L',
								 to_status, pg_temp.contract_in(from_status)),
						  format('%s -> %s is allowed', from_status, to_status))
			ELSE throws_ok(format('UPDATE pactoria.contracts SET status = %L, start_date = DATE ''2025-01-01'' WHERE id = %L',
								  to_status, pg_temp.contract_in(from_status)),
						   '23514', NULL, format('%s -> %s is refused', from_status, to_status)) END
FROM (SELECT f.status AS from_status, t.status AS to_status, f.position AS from_position, t.position AS to_position,
			 (f.status, t.status) IN (('draft', 'pending_review'), ('draft', 'cancelled'),
									  ('pending_review', 'approved'), ('pending_review', 'draft'),
									  ('pending_review', 'cancelled'), ('approved', 'active'),
									  ('approved', 'draft'), ('active', 'expired'), ('active', 'terminated')) AS allowed
	  FROM unnest(ARRAY['draft', 'pending_review', 'approved', 'active', 'expired', 'terminated', 'cancelled'])
			 WITH ORDINALITY AS f(status, position),
		   unnest(ARRAY['draft', 'pending_review', 'approved', 'active', 'expired', 'terminated', 'cancelled'])
			 WITH ORDINALITY AS t(status, position)
	  WHERE f.status <> t.status) AS pairs
ORDER BY from_position, to_position;

CREATE FUNCTION pg_temp.transition_error(from_status text, to_status text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	contract uuid := pg_temp.contract_in(from_status);
	detail text;
BEGIN
	UPDATE pactoria.contracts SET status = to_status WHERE id = contract;
	RETURN 'no error';
EXCEPTION WHEN check_violation THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN replace(SQLERRM, contract::text, '<id>') || ' / ' || detail;
END
$$;
SELECT is(pg_temp.transition_error('draft', 'approved'),
		  'contract <id> cannot go from status "draft" to "approved" / From "draft" a contract can go to "pending_review" or "cancelled".',
		  'a refused transition names from, to and the allowed next statuses');
SELECT is(pg_temp.transition_error('cancelled', 'draft'),
		  'contract <id> cannot go from status "cancelled" to "draft" / "cancelled" is a final status: no status follows it.',
		  'a final status says so');

------------------------------------------------------------------------------------
-- Content changes only in draft and pending_review.
------------------------------------------------------------------------------------
SELECT CASE WHEN status IN ('draft', 'pending_review')
			THEN lives_ok(format('UPDATE pactoria.contracts SET final_content = ''Edited'' WHERE id = %L',
								 pg_temp.contract_in(status)),
						  format('content may change while %s', status))
			ELSE throws_ok(format('UPDATE pactoria.contracts SET final_content = ''Edited'' WHERE id = %L',
								  pg_temp.contract_in(status)),
						   '23514', NULL, format('content may not change while %s', status)) END
FROM unnest(ARRAY['draft', 'pending_review', 'approved', 'active', 'expired', 'terminated', 'cancelled'])
	 WITH ORDINALITY AS s(status, position)
ORDER BY position;

SELECT lives_ok(format('UPDATE pactoria.contracts SET status = ''pending_review'', final_content = ''Edited'' WHERE id = %L',
					   pg_temp.contract_in('draft')),
				'draft -> pending_review with a content change is allowed');
SELECT lives_ok(format('UPDATE pactoria.contracts SET status = ''draft'', final_content = ''Reworked'' WHERE id = %L',
					   pg_temp.contract_in('pending_review')),
				'pending_review -> draft with a content change is allowed');
SELECT throws_ok(format('UPDATE pactoria.contracts SET status = ''approved'', final_content = ''Edited'' WHERE id = %L',
						pg_temp.contract_in('pending_review')),
				 '23514', NULL, 'pending_review -> approved with a content change is refused');
SELECT throws_ok(format('UPDATE pactoria.contracts SET status = ''draft'', final_content = ''Edited'' WHERE id = %L',
						pg_temp.contract_in('approved')),
				 '23514', NULL, 'approved -> draft with a content change is refused (two updates)');

------------------------------------------------------------------------------------
-- active needs a start date.
------------------------------------------------------------------------------------
SELECT throws_ok(format('UPDATE pactoria.contracts SET status = ''active'', start_date = NULL WHERE id = %L',
						pg_temp.contract_in('approved')),
				 '23514', NULL, 'approved -> active without a start date is refused');
SELECT throws_ok(format('UPDATE pactoria.contracts SET start_date = NULL WHERE id = %L', pg_temp.contract_in('active')),
				 '23514', NULL, 'an active contract cannot lose its start date');

------------------------------------------------------------------------------------
-- New contracts: drafts at version 1.
------------------------------------------------------------------------------------
SELECT throws_ok(format('INSERT INTO pactoria.contracts (company_id, title, contract_type, status, start_date)'
						' VALUES (''60000000-0000-7000-8000-0000000a6001'', ''Imported'', ''nda'', %L, DATE ''2025-01-01'')',
						status),
				 '23514', NULL, format('a new contract cannot start as %s', status))
FROM unnest(ARRAY['pending_review', 'approved', 'active', 'expired', 'terminated', 'cancelled'])
	 WITH ORDINALITY AS s(status, position)
ORDER BY position;
SELECT throws_ok($$INSERT INTO pactoria.contracts (company_id, title, contract_type, version)
				   VALUES ('60000000-0000-7000-8000-0000000a6001', 'Imported', 'nda', 2)$$,
				 '428C9', NULL, 'a new contract cannot start at version 2');
SELECT lives_ok($$INSERT INTO pactoria.contracts (company_id, title, contract_type, version)
				  VALUES ('60000000-0000-7000-8000-0000000a6001', 'Explicit version 1', 'nda', 1)$$,
				'a new contract may say version 1');
SELECT throws_ok(format('UPDATE pactoria.contracts SET version = version + 1 WHERE id = %L', pg_temp.contract_in('draft')),
				 '428C9', NULL, 'the version cannot be set directly');
SELECT lives_ok(format('UPDATE pactoria.contracts SET version = version, title = ''Renamed'' WHERE id = %L',
					   pg_temp.contract_in('draft')),
				'writing the version back unchanged is fine');

------------------------------------------------------------------------------------
-- Approval needs an active legal reviewer or admin of the company, in context.
------------------------------------------------------------------------------------
CREATE TEMPORARY TABLE approval_cases (position integer, user_id uuid, label text, expected text);
INSERT INTO approval_cases VALUES
	(1, NULL, 'no user in the tenant context', '42501'),
	(2, '60000000-0000-7000-8000-0000000a60a1', 'a contract manager', '42501'),
	(3, '60000000-0000-7000-8000-0000000a60a4', 'a viewer', '42501'),
	(4, '60000000-0000-7000-8000-0000000a60a5', 'an inactive legal reviewer', '42501'),
	(5, '60000000-0000-7000-8000-0000000b60b1', 'an admin of another company', '42501'),
	(6, '60000000-0000-7000-8000-0000000a60a2', 'a legal reviewer', 'ok'),
	(7, '60000000-0000-7000-8000-0000000a60a3', 'an admin', 'ok');
ALTER TABLE approval_cases ADD COLUMN contract uuid;
UPDATE approval_cases SET contract = pg_temp.contract_in('pending_review');
GRANT SELECT ON approval_cases TO pactoria_test_60_app;

CREATE FUNCTION pg_temp.approve_as(case_position integer)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	approval approval_cases;
	outcome text;
BEGIN
	SELECT * INTO approval FROM approval_cases WHERE position = case_position;
	PERFORM pg_temp.context('60000000-0000-7000-8000-0000000a6001', approval.user_id);
	SET LOCAL ROLE pactoria_test_60_app;
	BEGIN
		UPDATE pactoria.contracts SET status = 'approved' WHERE id = approval.contract;
		outcome := 'ok';
	EXCEPTION WHEN OTHERS THEN
		outcome := SQLSTATE;
	END;
	RESET ROLE;
	RETURN outcome;
END
$$;
SELECT is(pg_temp.approve_as(position), expected, format('approval by %s: %s', label, expected))
FROM approval_cases ORDER BY position;
SELECT is((SELECT status FROM pactoria.contracts WHERE id = (SELECT contract FROM approval_cases WHERE position = 6)),
		  'approved', 'the legal reviewer''s approval took effect');

------------------------------------------------------------------------------------
-- Versioning, as the application role with a user in context.
------------------------------------------------------------------------------------
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a1');
SET LOCAL ROLE pactoria_test_60_app;

INSERT INTO pactoria.contracts (company_id, id, title, contract_type, plain_english_input)
VALUES ('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a6c01', 'Versioned', 'nda', 'Keep it secret.');
SELECT results_eq($$SELECT version_number, plain_english_input, generated_content, final_content, created_by, change_summary
					FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01'$$,
				  $$VALUES (1, 'Keep it secret.', NULL::text, NULL::text, '60000000-0000-7000-8000-0000000a60a1'::uuid, NULL::text)$$,
				  'inserting a contract records version 1 with its content, by the user in context');

SELECT pactoria.set_change_summary('Generated a draft');
UPDATE pactoria.contracts SET generated_content = E'1. Confidentiality\nKeep it secret.'
WHERE id = '60000000-0000-7000-8000-0000000a6c01';
SELECT results_eq($$SELECT c.version, v.version_number, v.generated_content, v.change_summary
					FROM pactoria.contracts AS c
					JOIN pactoria.contract_versions AS v ON v.contract_id = c.id AND v.version_number = c.version
					WHERE c.id = '60000000-0000-7000-8000-0000000a6c01'$$,
				  $$VALUES (2, 2, E'1. Confidentiality\nKeep it secret.', 'Generated a draft')$$,
				  'a content change increments version and records it with the transaction''s summary');

UPDATE pactoria.contracts SET title = 'Versioned NDA', client_name = 'Client Ltd' WHERE id = '60000000-0000-7000-8000-0000000a6c01';
SELECT is(pg_temp.versions_of('60000000-0000-7000-8000-0000000a6c01'), 2::bigint, 'a change of other columns records no version');
UPDATE pactoria.contracts SET generated_content = E'1. Confidentiality\nKeep it secret.', plain_english_input = plain_english_input
WHERE id = '60000000-0000-7000-8000-0000000a6c01';
SELECT is(pg_temp.versions_of('60000000-0000-7000-8000-0000000a6c01'), 2::bigint, 'writing the same content records no version');

UPDATE pactoria.contracts SET final_content = 'Final' WHERE id = '60000000-0000-7000-8000-0000000a6c01';
SELECT is(pg_temp.versions_of('60000000-0000-7000-8000-0000000a6c01'), 3::bigint, 'NULL to a value is a change');
UPDATE pactoria.contracts SET final_content = NULL WHERE id = '60000000-0000-7000-8000-0000000a6c01';
SELECT is(pg_temp.versions_of('60000000-0000-7000-8000-0000000a6c01'), 4::bigint, 'a value to NULL is a change');
UPDATE pactoria.contracts SET plain_english_input = 'Keep it very secret.' WHERE id = '60000000-0000-7000-8000-0000000a6c01';
SELECT is(pg_temp.versions_of('60000000-0000-7000-8000-0000000a6c01'), 5::bigint, 'a change of plain_english_input is a change');

SELECT pactoria.set_change_summary(NULL);
SET LOCAL pactoria.change_summary = 'Set with SET LOCAL';
UPDATE pactoria.contracts SET generated_content = 'Two' WHERE id = '60000000-0000-7000-8000-0000000a6c01';
UPDATE pactoria.contracts SET generated_content = 'Three' WHERE id = '60000000-0000-7000-8000-0000000a6c01';
SELECT results_eq($$SELECT version_number, generated_content, change_summary FROM pactoria.contract_versions
					WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01' AND version_number > 5 ORDER BY version_number$$,
				  $$VALUES (6, 'Two', 'Set with SET LOCAL'), (7, 'Three', 'Set with SET LOCAL')$$,
				  'two changes in one transaction are two versions; SET LOCAL pactoria.change_summary is recorded');
SELECT pactoria.set_change_summary(NULL);
UPDATE pactoria.contracts SET generated_content = 'Four' WHERE id = '60000000-0000-7000-8000-0000000a6c01';
SELECT is((SELECT change_summary FROM pactoria.contract_versions
		   WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01' AND version_number = 8),
		  NULL, 'set_change_summary(NULL) clears the summary');
SELECT results_eq($$SELECT c.plain_english_input, c.generated_content, c.final_content, c.version FROM pactoria.contracts AS c
					WHERE c.id = '60000000-0000-7000-8000-0000000a6c01'$$,
				  $$SELECT v.plain_english_input, v.generated_content, v.final_content, v.version_number FROM pactoria.contract_versions AS v
					WHERE v.contract_id = '60000000-0000-7000-8000-0000000a6c01' ORDER BY v.version_number DESC LIMIT 1$$,
				  'the latest version holds the contract''s content, all three columns');

INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
SELECT '60000000-0000-7000-8000-0000000a6001', ('60000000-0000-7000-8000-0000000a6d0' || g)::uuid, 'Bulk ' || g, 'nda', 'Bulk'
FROM generate_series(1, 3) AS g;
UPDATE pactoria.contracts SET final_content = 'Bulk edited' WHERE title LIKE 'Bulk %';
SELECT results_eq($$SELECT count(*), min(version_number), max(version_number) FROM pactoria.contract_versions
					WHERE contract_id IN ('60000000-0000-7000-8000-0000000a6d01', '60000000-0000-7000-8000-0000000a6d02',
										  '60000000-0000-7000-8000-0000000a6d03')$$,
				  $$VALUES (6::bigint, 1, 2)$$,
				  'an UPDATE of several contracts records a version of each');

-- Large content lives in TOAST: an unchanged TOASTed value is no change, a changed one is.
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
VALUES ('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a6c02', 'Long', 'nda',
		(SELECT string_agg(md5(g::text), E'\n') FROM generate_series(1, 20000) AS g));
UPDATE pactoria.contracts SET title = 'Long contract' WHERE id = '60000000-0000-7000-8000-0000000a6c02';
SELECT is(pg_temp.versions_of('60000000-0000-7000-8000-0000000a6c02'), 1::bigint, 'an unchanged TOASTed content is no change');
UPDATE pactoria.contracts SET final_content = final_content || E'\nOne more line' WHERE id = '60000000-0000-7000-8000-0000000a6c02';
SELECT is((SELECT length(final_content) FROM pactoria.contract_versions
		   WHERE contract_id = '60000000-0000-7000-8000-0000000a6c02' AND version_number = 2),
		  20000 * 33 - 1 + 14, 'a changed TOASTed content is recorded in full');
RESET ROLE;

-- Without a user in context the version is the contract creator's.
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', NULL);
UPDATE pactoria.contracts SET final_content = 'By a batch job' WHERE id = '60000000-0000-7000-8000-0000000a6d01';
SELECT is((SELECT created_by FROM pactoria.contract_versions
		   WHERE contract_id = '60000000-0000-7000-8000-0000000a6d01' AND version_number = 3),
		  '60000000-0000-7000-8000-0000000a60a1'::uuid, 'without a user in context the version is credited to the contract''s creator');

------------------------------------------------------------------------------------
-- The history is immutable: for the application role and for the owner.
------------------------------------------------------------------------------------
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a1');
CREATE TEMPORARY TABLE history_before AS SELECT * FROM pactoria.contract_versions;
SET LOCAL ROLE pactoria_test_60_app;
SELECT throws_ok($$UPDATE pactoria.contract_versions SET change_summary = 'rewritten'
				   WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01'$$,
				 '42501', NULL, 'the application cannot update versions');
SELECT throws_ok($$DELETE FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01'$$,
				 '42501', NULL, 'the application cannot delete versions');
SELECT throws_ok($$INSERT INTO pactoria.contract_versions (company_id, contract_id, version_number, final_content, created_by)
				   VALUES ('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a6c01', 9, 'forged',
						   '60000000-0000-7000-8000-0000000a60a1')$$,
				 '42501', NULL, 'the application cannot insert versions');
SELECT throws_ok($$DELETE FROM pactoria.contracts WHERE id = '60000000-0000-7000-8000-0000000a6c01'$$,
				 '42501', NULL, 'the application cannot delete a contract directly');
RESET ROLE;
SELECT throws_ok($$UPDATE pactoria.contract_versions SET change_summary = 'rewritten'$$,
				 '42501', NULL, 'the owner cannot update versions');
SELECT throws_ok($$DELETE FROM pactoria.contract_versions$$, '42501', NULL, 'the owner cannot delete versions');
SELECT throws_ok($$INSERT INTO pactoria.contract_versions (company_id, contract_id, version_number, final_content, created_by)
				   VALUES ('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a6c01', 9, 'forged',
						   '60000000-0000-7000-8000-0000000a60a1')$$,
				 '42501', NULL, 'the owner cannot insert versions');
SELECT throws_ok($$TRUNCATE pactoria.contract_versions$$, '42501', NULL, 'the owner cannot truncate versions');
SELECT throws_ok($$TRUNCATE pactoria.contracts CASCADE$$, '42501', NULL, 'nor truncate them through contracts');
SELECT throws_ok($$DELETE FROM pactoria.contracts WHERE id = '60000000-0000-7000-8000-0000000a6c01'$$,
				 '42501', NULL, 'the owner cannot delete a contract directly');
-- The recording trigger cannot be borrowed to write history from a table of one's own.
CREATE SCHEMA pactoria_test_60_own;
GRANT USAGE, CREATE ON SCHEMA pactoria_test_60_own TO pactoria_test_60_app;
SET LOCAL ROLE pactoria_test_60_app;
CREATE TABLE pactoria_test_60_own.fake_contracts (LIKE pactoria.contracts);
SELECT throws_ok($$CREATE TRIGGER forge AFTER INSERT ON pactoria_test_60_own.fake_contracts
				   FOR EACH ROW EXECUTE FUNCTION pactoria.record_contract_version()$$,
				 '42501', NULL, 'the application cannot attach the recording trigger to its own table');
RESET ROLE;
SELECT set_eq($$SELECT * FROM pactoria.contract_versions$$, $$SELECT * FROM history_before$$,
			  'the history is as it was');

------------------------------------------------------------------------------------
-- pactoria.delete_contract: drafts only, with their history and dependants.
------------------------------------------------------------------------------------
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a1');
CREATE TEMPORARY TABLE deletion AS SELECT pg_temp.contract_in('draft') AS draft,
										  pg_temp.contract_in('pending_review') AS in_review,
										  pg_temp.contract_in('approved') AS approved,
										  pg_temp.contract_in('draft') AS other_tenant_try;
GRANT SELECT ON deletion TO pactoria_test_60_app;
UPDATE pactoria.contracts SET final_content = 'Second version' WHERE id = (SELECT draft FROM deletion);
INSERT INTO pactoria.compliance_scores (company_id, contract_id, overall_score)
SELECT '60000000-0000-7000-8000-0000000a6001', draft, 0.9 FROM deletion;
INSERT INTO pactoria.chat_messages (company_id, conversation_id, contract_id, role, content)
SELECT '60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a6e01', draft, 'assistant', 'About this draft' FROM deletion;
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a1');
SET LOCAL ROLE pactoria_test_60_app;
SELECT lives_ok(format('SELECT pactoria.delete_contract(%L)', (SELECT draft FROM deletion)), 'a draft can be deleted');
SELECT is((SELECT count(*) FROM pactoria.contracts WHERE id = (SELECT draft FROM deletion))
		  + pg_temp.versions_of((SELECT draft FROM deletion)), 0::bigint, 'the draft and its two versions are gone');
SELECT is((SELECT count(*) FROM pactoria.compliance_scores WHERE contract_id = (SELECT draft FROM deletion)), 0::bigint,
		  'its compliance scores went with it');
SELECT is((SELECT count(*) FROM pactoria.chat_messages
		   WHERE conversation_id = '60000000-0000-7000-8000-0000000a6e01' AND contract_id IS NULL), 1::bigint,
		  'its chat messages stay, without the contract');
SELECT throws_ok(format('SELECT pactoria.delete_contract(%L)', (SELECT in_review FROM deletion)),
				 '55000', NULL, 'a contract pending review cannot be deleted');
SELECT throws_ok(format('SELECT pactoria.delete_contract(%L)', (SELECT approved FROM deletion)),
				 '55000', NULL, 'an approved contract cannot be deleted');
SELECT throws_ok($$SELECT pactoria.delete_contract('60000000-0000-7000-8000-00000000dead')$$,
				 '42704', NULL, 'an unknown contract: undefined_object');
SELECT throws_ok($$SELECT pactoria.delete_contract(NULL)$$, '22004', NULL, 'NULL: null_value_not_allowed');
SELECT throws_ok(format('DELETE FROM pactoria.contract_versions WHERE contract_id = %L', (SELECT in_review FROM deletion)),
				 '42501', NULL, 'after delete_contract the history is immutable again');
RESET ROLE;
SELECT pg_temp.context('60000000-0000-7000-8000-0000000b6001', '60000000-0000-7000-8000-0000000b60b1');
SET LOCAL ROLE pactoria_test_60_app;
SELECT throws_ok(format('SELECT pactoria.delete_contract(%L)', (SELECT other_tenant_try FROM deletion)),
				 '42704', NULL, 'another company''s draft does not exist here');
RESET ROLE;
SELECT pg_temp.context(NULL, NULL);
SET LOCAL ROLE pactoria_test_60_app;
SELECT throws_ok(format('SELECT pactoria.delete_contract(%L)', (SELECT other_tenant_try FROM deletion)),
				 '42501', NULL, 'without a tenant context nothing is deleted');
RESET ROLE;
SELECT is((SELECT count(*) FROM pactoria.contracts WHERE id = (SELECT other_tenant_try FROM deletion)), 1::bigint,
		  'the other tenant''s attempt deleted nothing');

-- Reviewed history stays: a draft back from review (rework) is never deleted, and
-- submitted_for_review_at, which records it, is pactoria's to write.
CREATE TEMPORARY TABLE rework AS SELECT pg_temp.contract_in('approved') AS from_approved,
										pg_temp.contract_in('pending_review') AS from_review,
										pg_temp.contract_in('draft') AS never_submitted;
GRANT SELECT ON rework TO pactoria_test_60_app;
SELECT is((SELECT submitted_for_review_at FROM pactoria.contracts WHERE id = (SELECT never_submitted FROM rework)), NULL,
		  'a draft never submitted has no submitted_for_review_at');
SELECT is((SELECT submitted_for_review_at = now() FROM pactoria.contracts WHERE id = (SELECT from_review FROM rework)), true,
		  'going to pending_review sets submitted_for_review_at');
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a1');
SET LOCAL ROLE pactoria_test_60_app;
SELECT lives_ok(format('UPDATE pactoria.contracts SET status = %L WHERE id = %L', 'draft', from_approved),
				'approved -> draft (rework)') FROM rework;
SELECT lives_ok(format('UPDATE pactoria.contracts SET status = %L WHERE id = %L', 'draft', from_review),
				'pending_review -> draft (rework)') FROM rework;
RESET ROLE;
CREATE TEMPORARY TABLE rework_history AS
SELECT * FROM pactoria.contract_versions WHERE contract_id IN (SELECT from_approved FROM rework UNION ALL SELECT from_review FROM rework);
SET LOCAL ROLE pactoria_test_60_app;
SELECT throws_ok(format('SELECT pactoria.delete_contract(%L)', from_approved),
				 '55000', format('contract %s was submitted for review and cannot be deleted', from_approved),
				 'approved -> draft -> delete_contract is refused') FROM rework;
SELECT throws_ok(format('SELECT pactoria.delete_contract(%L)', from_review),
				 '55000', NULL, 'pending_review -> draft -> delete_contract is refused') FROM rework;
SELECT throws_ok(format('UPDATE pactoria.contracts SET submitted_for_review_at = NULL WHERE id = %L', from_approved),
				 '428C9', NULL, 'the application cannot clear submitted_for_review_at') FROM rework;
SELECT throws_ok(format('UPDATE pactoria.contracts SET submitted_for_review_at = now() - interval %L WHERE id = %L', '1 day', from_review),
				 '428C9', NULL, 'nor change it') FROM rework;
SELECT throws_ok($$INSERT INTO pactoria.contracts (company_id, title, contract_type, submitted_for_review_at)
				   VALUES ('60000000-0000-7000-8000-0000000a6001', 'Pre-reviewed', 'nda', now())$$,
				 '428C9', NULL, 'nor set it on a new contract');
SELECT lives_ok(format('UPDATE pactoria.contracts SET status = %L WHERE id = %L', 'cancelled', from_review),
				'a reworked draft can be cancelled instead') FROM rework;
SELECT lives_ok(format('SELECT pactoria.delete_contract(%L)', never_submitted),
				'a draft never submitted is still deleted') FROM rework;
RESET ROLE;
SELECT set_eq($$SELECT * FROM pactoria.contract_versions WHERE contract_id IN (SELECT from_approved FROM rework UNION ALL SELECT from_review FROM rework)$$,
			  $$SELECT * FROM rework_history$$, 'the reworked contracts keep their whole history');
SELECT is((SELECT count(*) FROM pactoria.contracts WHERE id IN (SELECT from_approved FROM rework UNION ALL SELECT from_review FROM rework)),
		  2::bigint, 'and both contracts are still there');
SELECT is((SELECT count(*) FROM pactoria.contracts WHERE id = (SELECT never_submitted FROM rework)) + pg_temp.versions_of((SELECT never_submitted FROM rework)),
		  0::bigint, 'the never-submitted draft went with its history');

-- A role with privileges on contracts and none on contract_versions versions its
-- contracts and deletes its drafts all the same: the history is written as its owner.
CREATE ROLE pactoria_test_60_narrow NOLOGIN;
GRANT USAGE ON SCHEMA pactoria TO pactoria_test_60_narrow;
GRANT SELECT, INSERT, UPDATE, DELETE ON pactoria.contracts TO pactoria_test_60_narrow;
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a1');
SET LOCAL ROLE pactoria_test_60_narrow;
SELECT lives_ok($$INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
				  VALUES ('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a6c04', 'Narrow', 'nda', 'One');
				  UPDATE pactoria.contracts SET final_content = 'Two' WHERE id = '60000000-0000-7000-8000-0000000a6c04'$$,
				'a role without privileges on contract_versions writes and edits a contract');
RESET ROLE;
SELECT results_eq($$SELECT version_number, final_content, created_by FROM pactoria.contract_versions
					WHERE contract_id = '60000000-0000-7000-8000-0000000a6c04' ORDER BY version_number$$,
				  $$VALUES (1, 'One', '60000000-0000-7000-8000-0000000a60a1'::uuid), (2, 'Two', '60000000-0000-7000-8000-0000000a60a1'::uuid)$$,
				  'its versions are recorded, credited to the user in context');
SET LOCAL ROLE pactoria_test_60_narrow;
SELECT lives_ok($$SELECT pactoria.delete_contract('60000000-0000-7000-8000-0000000a6c04')$$,
				'and it deletes its draft with the history');
RESET ROLE;
SELECT is(pg_temp.versions_of('60000000-0000-7000-8000-0000000a6c04'), 0::bigint, 'the history went with the draft');

------------------------------------------------------------------------------------
-- History, restore, diff.
------------------------------------------------------------------------------------
-- An approved contract with two versions.
CREATE TEMPORARY TABLE approved_case AS SELECT pg_temp.contract_in('draft') AS contract;
UPDATE pactoria.contracts SET final_content = 'Second version' WHERE id = (SELECT contract FROM approved_case);
UPDATE pactoria.contracts SET status = 'pending_review' WHERE id = (SELECT contract FROM approved_case);
UPDATE pactoria.contracts SET status = 'approved' WHERE id = (SELECT contract FROM approved_case);
GRANT SELECT ON approved_case TO pactoria_test_60_app;
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a1');
SET LOCAL ROLE pactoria_test_60_app;
SELECT results_eq($$SELECT version_number, created_by_name, is_current FROM pactoria.contract_history('60000000-0000-7000-8000-0000000a6c01')$$,
				  $$VALUES (8, 'Author', true), (7, 'Author', false), (6, 'Author', false), (5, 'Author', false),
						   (4, 'Author', false), (3, 'Author', false), (2, 'Author', false), (1, 'Author', false)$$,
				  'contract_history lists every version, newest first, the newest current');
SELECT is(pactoria.restore_contract_version('60000000-0000-7000-8000-0000000a6c01', 2), 9,
		  'restoring version 2 makes version 9');
SELECT results_eq($$SELECT plain_english_input, generated_content, final_content, change_summary FROM pactoria.contract_versions
					WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01' AND version_number = 9$$,
				  $$SELECT plain_english_input, generated_content, final_content, 'Restored version 2'::text FROM pactoria.contract_versions
					WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01' AND version_number = 2$$,
				  'version 9 carries version 2''s content, all three columns, and says it was restored');
SELECT is((SELECT count(*) FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01'),
		  9::bigint, 'the history before the restore is all still there');
SELECT throws_ok(format('SELECT pactoria.restore_contract_version(%L, 1)', (SELECT contract FROM approved_case)),
				 '23514', NULL, 'an approved contract cannot be restored to another version');
SELECT throws_ok($$SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000a6c01', 10)$$,
				 '42704', NULL, 'restoring an unknown version: undefined_object');
SELECT throws_ok($$SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000a6c01', NULL)$$,
				 '22004', NULL, 'restoring version NULL: null_value_not_allowed');
SELECT throws_ok($$SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000a6c01', 1, repeat('x', 2001))$$,
				 '22001', NULL, 'a change summary over 2000 characters: string_data_right_truncation');
SELECT throws_ok($$SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000a6c01', 1, 10)$$,
				 '42704', NULL, 'diffing an unknown version: undefined_object');
SELECT throws_ok($$SELECT * FROM pactoria.contract_history('60000000-0000-7000-8000-00000000dead')$$,
				 '42704', NULL, 'the history of an unknown contract: undefined_object');
SELECT is((pactoria.contract_version('60000000-0000-7000-8000-0000000a6c01', 2)).generated_content,
		  E'1. Confidentiality\nKeep it secret.', 'contract_version returns one version with its content');
SELECT throws_ok($$SELECT pactoria.contract_version('60000000-0000-7000-8000-0000000a6c01', 0)$$,
				 '42704', NULL, 'contract_version of an unknown version: undefined_object');
SELECT is((SELECT array_agg(DISTINCT operation) FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000a6c01', 2, 9)),
		  ARRAY['unchanged'], 'a restored version diffs as unchanged against its original');
SELECT results_eq($$SELECT line_number_from, line_number_to, operation, line
					FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000a6c01', 1, 2)$$,
				  $$VALUES (NULL::integer, 1, 'added', '1. Confidentiality'), (1, 2, 'unchanged', 'Keep it secret.')$$,
				  'diff_contract_versions diffs the documents of two versions');
INSERT INTO pactoria.contracts (company_id, id, title, contract_type)
VALUES ('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a6c03', 'Empty', 'nda');
UPDATE pactoria.contracts SET final_content = '' WHERE id = '60000000-0000-7000-8000-0000000a6c03';
SELECT is((SELECT count(*) FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000a6c03', 1, 2)), 0::bigint,
		  'no content and empty content have no lines to diff');
RESET ROLE;
SELECT pg_temp.context('60000000-0000-7000-8000-0000000b6001', '60000000-0000-7000-8000-0000000b60b1');
SET LOCAL ROLE pactoria_test_60_app;
SELECT throws_ok($$SELECT * FROM pactoria.contract_history('60000000-0000-7000-8000-0000000a6c01')$$,
				 '42704', NULL, 'another company''s contract history: undefined_object');
SELECT throws_ok($$SELECT * FROM pactoria.diff_contract_versions('60000000-0000-7000-8000-0000000a6c01', 1, 2)$$,
				 '42704', NULL, 'another company''s contract diff: undefined_object');
SELECT throws_ok($$SELECT pactoria.restore_contract_version('60000000-0000-7000-8000-0000000a6c01', 1)$$,
				 '42704', NULL, 'another company''s contract restore: undefined_object');
SELECT throws_ok($$SELECT pactoria.contract_version('60000000-0000-7000-8000-0000000a6c01', 1)$$,
				 '42704', NULL, 'another company''s contract version: undefined_object');
SELECT is((SELECT count(*) FROM pactoria.contract_versions WHERE contract_id = '60000000-0000-7000-8000-0000000a6c01'),
		  0::bigint, 'another company sees none of the versions');
RESET ROLE;

------------------------------------------------------------------------------------
-- Expiry.
------------------------------------------------------------------------------------
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a3');
CREATE TEMPORARY TABLE expiry AS
SELECT pg_temp.contract_in('active', 'Ends soon') AS ends_soon, pg_temp.contract_in('active', 'Ended') AS ended,
	   pg_temp.contract_in('active', 'Open-ended') AS open_ended;
UPDATE pactoria.contracts SET end_date = CURRENT_DATE + 3 WHERE id = (SELECT ends_soon FROM expiry);
UPDATE pactoria.contracts SET end_date = CURRENT_DATE - 1 WHERE id = (SELECT ended FROM expiry);
SELECT pg_temp.context('60000000-0000-7000-8000-0000000b6001', '60000000-0000-7000-8000-0000000b60b1');
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
VALUES ('60000000-0000-7000-8000-0000000b6001', '60000000-0000-7000-8000-0000000b6c01', 'Other ended', 'nda', 'x');
UPDATE pactoria.contracts SET status = 'pending_review' WHERE id = '60000000-0000-7000-8000-0000000b6c01';
UPDATE pactoria.contracts SET status = 'approved' WHERE id = '60000000-0000-7000-8000-0000000b6c01';
UPDATE pactoria.contracts SET status = 'active', start_date = CURRENT_DATE - 30, end_date = CURRENT_DATE - 2
WHERE id = '60000000-0000-7000-8000-0000000b6c01';
SELECT pg_temp.context('60000000-0000-7000-8000-0000000a6001', '60000000-0000-7000-8000-0000000a60a3');
GRANT SELECT ON expiry TO pactoria_test_60_app;
SET LOCAL ROLE pactoria_test_60_app;
SELECT results_eq($$SELECT id, days_remaining FROM pactoria.expiring_contracts('7 days')$$,
				  $$SELECT ends_soon, 3 FROM expiry$$,
				  'expiring_contracts: the tenant''s active contracts ending within the interval');
SELECT is(pactoria.expire_contracts(), 1, 'expire_contracts as the application: one contract of its tenant');
SELECT is((SELECT status FROM pactoria.contracts WHERE id = (SELECT ended FROM expiry)), 'expired', 'the ended contract is expired');
RESET ROLE;
SELECT is((SELECT status FROM pactoria.contracts WHERE id = '60000000-0000-7000-8000-0000000b6c01'), 'active',
		  'the other company''s ended contract was not touched');
SELECT is(pactoria.expire_contracts(now() + interval '4 days'), 2, 'as the owner, every tenant''s ended contracts');
SELECT is((SELECT status FROM pactoria.contracts WHERE id = (SELECT open_ended FROM expiry)), 'active',
		  'a contract without an end date never expires');

------------------------------------------------------------------------------------
-- Gapless history everywhere.
------------------------------------------------------------------------------------
SELECT is_empty($$SELECT * FROM pactoria.verify_data_integrity()$$, 'verify_data_integrity finds nothing wrong');
SELECT is_empty($$SELECT c.id FROM pactoria.contracts AS c
				  WHERE c.version <> (SELECT count(*) FROM pactoria.contract_versions AS v
									  WHERE v.company_id = c.company_id AND v.contract_id = c.id)$$,
				'every contract has exactly versions 1..version');

SELECT * FROM finish();
ROLLBACK;
