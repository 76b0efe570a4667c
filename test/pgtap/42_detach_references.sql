-- pactoria.detach_references(): the references that 0.1.0's ON DELETE SET NULL
-- (column) foreign keys cleared are cleared by a BEFORE DELETE trigger, in the
-- deleted row's company only, for the application role as for the owner; the
-- keys themselves are NO ACTION, which Citus accepts (issue 17).
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(20);

-- Two companies whose AI generations share an id: a key is (company_id, id).
INSERT INTO pactoria.companies (id, name) VALUES
	('42000000-0000-7000-8000-00000000a001', 'Detach Alpha Ltd'),
	('42000000-0000-7000-8000-00000000b001', 'Detach Beta Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name, role) VALUES
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-0000000000a1', 'admin@detach-a.example', 'Admin A', 'admin'),
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-0000000000a2', 'analyst@detach-a.example', 'Analyst A', 'contract_manager'),
	('42000000-0000-7000-8000-00000000b001', '42000000-0000-7000-8000-0000000000b1', 'admin@detach-b.example', 'Admin B', 'admin');
INSERT INTO pactoria.users (company_id, id, email, full_name, role, invited_by, invited_at) VALUES
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-0000000000a3', 'invitee@detach-a.example', 'Invitee A', 'viewer',
	 '42000000-0000-7000-8000-0000000000a2', now());
INSERT INTO pactoria.ai_generations (company_id, id, model_name, provider, input_prompt) VALUES
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-000000000a17', 'model', 'provider', 'prompt A'),
	('42000000-0000-7000-8000-00000000b001', '42000000-0000-7000-8000-000000000a17', 'model', 'provider', 'prompt B');

SELECT set_config('pactoria.company_id', '42000000-0000-7000-8000-00000000a001', true),
	   set_config('pactoria.user_id', '42000000-0000-7000-8000-0000000000a1', true);
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content, ai_generation_id) VALUES
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-00000000c0a1', 'Drafted by AI', 'nda', 'Body', '42000000-0000-7000-8000-000000000a17'),
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-00000000c0a2', 'Draft to delete', 'nda', 'Body', NULL),
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-00000000c0a3', 'Under review', 'nda', 'Body', NULL);
UPDATE pactoria.contracts SET status = 'pending_review' WHERE id = '42000000-0000-7000-8000-00000000c0a3';
INSERT INTO pactoria.risk_assessments (company_id, id, contract_id, risk_name, risk_category, likelihood, impact) VALUES
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-00000000d0a2', '42000000-0000-7000-8000-00000000c0a2', 'Risk of the draft', 'legal', 2, 3),
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-00000000d0a3', '42000000-0000-7000-8000-00000000c0a3', 'Risk under review', 'legal', 2, 3);
INSERT INTO pactoria.chat_messages (company_id, conversation_id, contract_id, role, content) VALUES
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-00000000e0a2', '42000000-0000-7000-8000-00000000c0a2', 'assistant', 'About the draft');
INSERT INTO pactoria.system_metrics (company_id, user_id, metric_name, metric_value) VALUES
	('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-0000000000a2', 'detach.test', 1);
SELECT set_config('pactoria.company_id', '42000000-0000-7000-8000-00000000b001', true),
	   set_config('pactoria.user_id', '42000000-0000-7000-8000-0000000000b1', true);
INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content, ai_generation_id) VALUES
	('42000000-0000-7000-8000-00000000b001', '42000000-0000-7000-8000-00000000c0b1', 'Beta drafted by AI', 'nda', 'Body', '42000000-0000-7000-8000-000000000a17');

CREATE ROLE pactoria_test_42_app NOLOGIN;
SELECT pactoria.grant_application_access('pactoria_test_42_app');

------------------------------------------------------------------------------
-- The keys
------------------------------------------------------------------------------
SELECT is((SELECT string_agg(conname, ', ' ORDER BY conname) FROM pg_catalog.pg_constraint
		   WHERE connamespace = 'pactoria'::regnamespace AND contype = 'f' AND confdeltype IN ('n', 'd')),
		  'users_invited_by_fkey',
		  'no foreign key of pactoria sets a column to NULL or its default, but users.invited_by (a reference table on Citus)');
SELECT is((SELECT count(*)::int FROM pg_catalog.pg_trigger
		   WHERE tgfoid = 'pactoria.detach_references()'::regprocedure AND tgrelid::regclass::text IN
				 ('pactoria.users', 'pactoria.ai_generations', 'pactoria.contracts')),
		  3, 'users, ai_generations and contracts clear the references to a deleted row');
SELECT ok(NOT has_function_privilege('public', 'pactoria.detach_references()', 'EXECUTE'),
		  'detach_references() is not PUBLIC');

------------------------------------------------------------------------------
-- As the application, in company A's context
------------------------------------------------------------------------------
SELECT set_config('pactoria.company_id', '42000000-0000-7000-8000-00000000a001', true),
	   set_config('pactoria.user_id', '42000000-0000-7000-8000-0000000000a1', true);
SET LOCAL ROLE pactoria_test_42_app;

SELECT lives_ok($$DELETE FROM pactoria.ai_generations WHERE id = '42000000-0000-7000-8000-000000000a17'$$,
				'the application deletes an AI generation a contract was drafted from');
SELECT is((SELECT ai_generation_id FROM pactoria.contracts WHERE id = '42000000-0000-7000-8000-00000000c0a1'), NULL,
		  'the contract stays, without the generation');

SELECT throws_ok($$SELECT pactoria.delete_contract('42000000-0000-7000-8000-00000000c0a3')$$, '55000', NULL,
				 'a contract under review cannot be deleted');
SELECT is((SELECT contract_id FROM pactoria.risk_assessments WHERE id = '42000000-0000-7000-8000-00000000d0a3'),
		  '42000000-0000-7000-8000-00000000c0a3'::uuid,
		  'the refused deletion left its risk linked (nothing half-written)');

SELECT lives_ok($$SELECT pactoria.delete_contract('42000000-0000-7000-8000-00000000c0a2')$$, 'a draft is deleted');
SELECT results_eq($$SELECT risk_name, contract_id FROM pactoria.risk_assessments WHERE id = '42000000-0000-7000-8000-00000000d0a2'$$,
				  $$VALUES ('Risk of the draft'::text, NULL::uuid)$$,
				  'its risk stays in the register, without the contract');
SELECT results_eq($$SELECT content, contract_id FROM pactoria.chat_messages WHERE conversation_id = '42000000-0000-7000-8000-00000000e0a2'$$,
				  $$VALUES ('About the draft'::text, NULL::uuid)$$,
				  'its chat message stays, without the contract');

SELECT lives_ok($$DELETE FROM pactoria.users WHERE id = '42000000-0000-7000-8000-0000000000a2'$$,
				'the application deletes a user who recorded a metric and invited someone');
RESET ROLE;
SELECT results_eq($$SELECT metric_name, user_id FROM pactoria.system_metrics WHERE metric_name = 'detach.test'$$,
				  $$VALUES ('detach.test'::text, NULL::uuid)$$,
				  'the metric stays, without the user');
SELECT is((SELECT invited_by FROM pactoria.users WHERE id = '42000000-0000-7000-8000-0000000000a3'), NULL,
		  'the invited user stays, without the inviter (the foreign key''s SET NULL (invited_by))');

------------------------------------------------------------------------------
-- Company B is untouched
------------------------------------------------------------------------------
SELECT is((SELECT ai_generation_id FROM pactoria.contracts WHERE id = '42000000-0000-7000-8000-00000000c0b1'),
		  '42000000-0000-7000-8000-000000000a17'::uuid,
		  'the other company''s contract still names its generation of the same id');
SELECT is((SELECT count(*)::int FROM pactoria.ai_generations WHERE company_id = '42000000-0000-7000-8000-00000000b001'), 1,
		  'and the generation is still there');

------------------------------------------------------------------------------
-- The owner's maintenance, with no tenant context
------------------------------------------------------------------------------
SELECT set_config('pactoria.company_id', '', true), set_config('pactoria.user_id', '', true);
SELECT lives_ok($$DELETE FROM pactoria.ai_generations WHERE company_id = '42000000-0000-7000-8000-00000000b001'$$,
				'the superuser deletes without a tenant context');
SELECT is((SELECT ai_generation_id FROM pactoria.contracts WHERE id = '42000000-0000-7000-8000-00000000c0b1'), NULL,
		  'and the reference is cleared as well');

------------------------------------------------------------------------------
-- Misuse
------------------------------------------------------------------------------
CREATE SCHEMA pactoria_test_42;
CREATE TABLE pactoria_test_42.users (company_id uuid, id uuid);
INSERT INTO pactoria_test_42.users VALUES ('42000000-0000-7000-8000-00000000a001', '42000000-0000-7000-8000-0000000000a1');
CREATE TRIGGER misplaced BEFORE DELETE ON pactoria_test_42.users
	FOR EACH ROW EXECUTE FUNCTION pactoria.detach_references();
SELECT throws_ok($$DELETE FROM pactoria_test_42.users$$, '42501', NULL,
				 'the trigger refuses to fire on a table of the same name in another schema');
CREATE TRIGGER misfired AFTER TRUNCATE ON pactoria_test_42.users
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.detach_references();
SELECT throws_ok($$TRUNCATE pactoria_test_42.users$$, '39P01', NULL,
				 'and to fire other than BEFORE DELETE FOR EACH ROW');
SELECT throws_ok($$SELECT pactoria.detach_references()$$, '39P01', NULL, 'it cannot be called directly');

SELECT * FROM finish();
ROLLBACK;
