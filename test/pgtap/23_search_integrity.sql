-- pactoria.search_contracts() and pactoria.verify_data_integrity().
BEGIN;
SELECT plan(28);

INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-00000000000a', 'Alpha Drafting Ltd'),
	('00000000-0000-7000-8000-00000000000b', 'Beta Compliance LLP');
INSERT INTO pactoria.users (company_id, id, email, full_name, role) VALUES
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000a1', 'ada@alpha.example', 'Ada Admin', 'admin'),
	('00000000-0000-7000-8000-00000000000b', '00000000-0000-7000-8000-0000000000b1', 'bob@beta.example', 'Bob Reviewer', 'admin');
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by, client_name, final_content) VALUES
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d1', 'Mutual Non-Disclosure Agreement with Acme Ltd', 'nda_mutual',
	 '00000000-0000-7000-8000-0000000000a1', 'Acme Ltd', 'Each party shall keep the Confidential Information of the other party secret and use it only for the Purpose.'),
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d2', 'Software Licence for Widget Cloud', 'software_licence',
	 '00000000-0000-7000-8000-0000000000a1', 'Widget Cloud Ltd', 'The Licensor grants the Licensee a non-exclusive licence to use the Software. Confidential information is protected.'),
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d3', 'Office Cleaning Services Agreement', 'service_agreement',
	 '00000000-0000-7000-8000-0000000000a1', 'Sparkle Cleaning Ltd', 'The Supplier shall clean the premises every weekday evening.'),
	('00000000-0000-7000-8000-00000000000b', '00000000-0000-7000-8000-0000000000d9', 'Mutual Non-Disclosure Agreement with Beta Partner', 'nda_mutual',
	 '00000000-0000-7000-8000-0000000000b1', 'Beta Partner', 'Confidential Information shall stay secret.');

SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-00000000000a';
-- As a non-superuser, row-level security applies: the searches below see tenant Alpha only.
CREATE ROLE pactoria_test_searcher;
GRANT USAGE ON SCHEMA pactoria TO pactoria_test_searcher;
GRANT SELECT ON ALL TABLES IN SCHEMA pactoria TO pactoria_test_searcher;
GRANT EXECUTE ON FUNCTION pactoria.search_contracts(text, integer) TO pactoria_test_searcher;
CREATE ROLE pactoria_test_not_searcher;
GRANT USAGE ON SCHEMA pactoria TO pactoria_test_not_searcher;
GRANT SELECT ON ALL TABLES IN SCHEMA pactoria TO pactoria_test_not_searcher;
SET LOCAL ROLE pactoria_test_searcher;

SELECT results_eq(
	$$SELECT id FROM pactoria.search_contracts('confidential information') ORDER BY id$$,
	$$VALUES ('00000000-0000-7000-8000-0000000000d1'::uuid), ('00000000-0000-7000-8000-0000000000d2'::uuid)$$,
	'a full-text query finds the tenant''s contracts mentioning it, not another tenant''s');
SELECT is((SELECT id FROM pactoria.search_contracts('confidential information') LIMIT 1),
	'00000000-0000-7000-8000-0000000000d1'::uuid,
	'the contract about it ranks first');
SELECT is((SELECT id FROM pactoria.search_contracts('Non-Disclsoure Agrement') LIMIT 1),
	'00000000-0000-7000-8000-0000000000d1'::uuid,
	'a title with typos is still found');
SELECT is((SELECT id FROM pactoria.search_contracts('Mutal Non-Disclosure Agrement Acme') LIMIT 1),
	'00000000-0000-7000-8000-0000000000d1'::uuid,
	'typos in several words of a title are tolerated');
SELECT is((SELECT id FROM pactoria.search_contracts('sparkle') LIMIT 1),
	'00000000-0000-7000-8000-0000000000d3'::uuid,
	'the parties are searchable');
SELECT is((SELECT id FROM pactoria.search_contracts('cleaning') LIMIT 1),
	'00000000-0000-7000-8000-0000000000d3'::uuid,
	'stemming: "cleaning" finds "clean"');
SELECT ok((SELECT snippet FROM pactoria.search_contracts('premises') LIMIT 1) LIKE '%[premises]%',
	'the snippet highlights the match');
SELECT is((SELECT count(*)::int FROM pactoria.search_contracts('confidential', 1)), 1,
	'max_results caps the results');
SELECT is_empty($$SELECT * FROM pactoria.search_contracts('zebra giraffe')$$, 'no match, no rows');
-- Its threshold is a SET LOCAL (Citus forwards it): the caller's value is put back.
SET LOCAL pg_trgm.word_similarity_threshold = 0.8;
SELECT is((SELECT count(*)::int FROM pactoria.search_contracts('Non-Disclsoure Agrement')) > 0
		  AND current_setting('pg_trgm.word_similarity_threshold') = '0.8', true,
	'search_contracts() searches at its own trigram threshold and leaves the caller''s as it was');
RESET pg_trgm.word_similarity_threshold;
SELECT is_empty($$SELECT * FROM pactoria.search_contracts(NULL)$$, 'a NULL query returns no rows');
SELECT throws_ok($$SELECT * FROM pactoria.search_contracts('   ')$$, '22023', 'search query must not be empty',
	'an empty query is an error');
SELECT throws_ok($$SELECT * FROM pactoria.search_contracts(repeat('x', 1001))$$, '22023', NULL,
	'a query over 1000 characters is an error');
SELECT throws_ok($$SELECT * FROM pactoria.search_contracts('x', 0)$$, '22023', 'max_results must be between 1 and 1000, not 0',
	'max_results below 1 is an error');
SELECT throws_ok($$SELECT * FROM pactoria.search_contracts('x', 1001)$$, '22023', NULL,
	'max_results above 1000 is an error');
-- The tenant in context decides, whoever calls: another company's, and none.
RESET ROLE;
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-00000000000b';
SET LOCAL ROLE pactoria_test_searcher;
SELECT results_eq($$SELECT id FROM pactoria.search_contracts('confidential information')$$,
	$$VALUES ('00000000-0000-7000-8000-0000000000d9'::uuid)$$, 'in another tenant''s context, only its contracts');
RESET ROLE;
SET LOCAL pactoria.company_id = '';
SELECT is_empty($$SELECT * FROM pactoria.search_contracts('confidential information')$$,
	'without a tenant context even the superuser finds nothing');
SET LOCAL ROLE pactoria_test_not_searcher;
SELECT throws_ok($$SELECT * FROM pactoria.search_contracts('confidential information')$$, '42501', NULL,
	'a role not granted search_contracts cannot run it (it runs as the owner)');
RESET ROLE;
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-00000000000a';
SET LOCAL ROLE pactoria_test_searcher;
SELECT throws_ok($$SELECT * FROM pactoria.verify_data_integrity()$$, '42501', NULL,
	'verify_data_integrity is the owner''s tool, not executable by other roles');
RESET ROLE;
RESET pactoria.company_id;

SELECT is_empty($$SELECT * FROM pactoria.verify_data_integrity()$$, 'an intact database has no integrity issues');

-- Damage the data the way only a bypass can: triggers (and with them the foreign
-- keys and the seat counter) off, as a superuser or a replication apply would.
SET LOCAL session_replication_role = replica;
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by)
VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d5', 'Orphan', 'nda_mutual', '00000000-0000-7000-8000-0000000000ff');
INSERT INTO pactoria.users (company_id, email, full_name)
SELECT '00000000-0000-7000-8000-00000000000b', format('extra%s@beta.example', n), 'Extra'
FROM generate_series(1, 5) AS n;
-- The insert above recorded version 1 of d1 (its contracts.version is 1): a
-- version 3 beside it is a gap in the history, and a history d1 lags behind.
INSERT INTO pactoria.contract_versions (company_id, contract_id, version_number, final_content, created_by) VALUES
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d1', 3, 'v3', '00000000-0000-7000-8000-0000000000a1');
INSERT INTO pactoria.templates (id, company_id, name, category, contract_type, description, template_content, legal_notes)
VALUES ('00000000-0000-7000-8000-0000000000c2', '00000000-0000-7000-8000-00000000000b', 'Beta Own', 'commercial', 'nda_mutual', 'd', 'x', 'n');
UPDATE pactoria.contracts SET template_id = '00000000-0000-7000-8000-0000000000c2' WHERE id = '00000000-0000-7000-8000-0000000000d2';
SET LOCAL session_replication_role = origin;

SELECT results_eq(
	$$SELECT affected_rows FROM pactoria.verify_data_integrity()
	  WHERE issue_description = 'orphaned rows: foreign key contracts_created_by_fkey points to no row of pactoria.users'$$,
	$$VALUES (1::bigint)$$, 'an orphaned foreign key is reported with its count');
SELECT results_eq(
	$$SELECT affected_rows FROM pactoria.verify_data_integrity()
	  WHERE issue_description = 'contracts with no recorded version'$$,
	$$VALUES (1::bigint)$$, 'a contract written past the versioning trigger, with no version 1, is reported');
SELECT results_eq(
	$$SELECT table_name, affected_rows FROM pactoria.verify_data_integrity()
	  WHERE issue_description = 'contracts whose versions are not numbered 1..N without gaps'$$,
	$$VALUES ('pactoria.contract_versions'::text, 1::bigint)$$, 'a version gap is reported');
SELECT results_eq(
	$$SELECT affected_rows FROM pactoria.verify_data_integrity()
	  WHERE issue_description = 'contracts whose version is not their latest recorded version'$$,
	$$VALUES (1::bigint)$$, 'a contract whose version lags its history is reported');
SELECT results_eq(
	$$SELECT affected_rows FROM pactoria.verify_data_integrity()
	  WHERE issue_description = 'companies with more active users than max_users'$$,
	$$VALUES (1::bigint)$$, 'a company over its seat limit is reported');
SELECT results_eq(
	$$SELECT affected_rows FROM pactoria.verify_data_integrity()
	  WHERE issue_description = 'companies whose active_user_count differs from their active users'$$,
	$$VALUES (1::bigint)$$, 'a wrong active-user count is reported');
SELECT results_eq(
	$$SELECT affected_rows FROM pactoria.verify_data_integrity()
	  WHERE issue_description = 'contracts using another company''s template'$$,
	$$VALUES (1::bigint)$$, 'a contract on another company''s template is reported');

-- A check constraint added NOT VALID leaves old rows that break it: reported too.
-- (It applies to this test's companies only, so other companies' rows cannot break it.)
ALTER TABLE pactoria.contracts ADD CONSTRAINT chk_contracts_test_title_short
	CHECK (company_id NOT IN ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-00000000000b')
		   OR length(title) < 10) NOT VALID;
SELECT results_eq(
	$$SELECT affected_rows FROM pactoria.verify_data_integrity()
	  WHERE issue_description = 'rows violating check constraint chk_contracts_test_title_short'$$,
	$$VALUES (4::bigint)$$, 'rows breaking a NOT VALID check constraint are reported');

SELECT * FROM finish();
ROLLBACK;
