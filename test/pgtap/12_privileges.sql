-- Who may call what, and append-only means append-only for the application
-- (issue 12), read from the catalog so that functions and tables added later are
-- covered: no trigger function is executable by PUBLIC unless it is on the
-- allow-list below; grant_application_access() gives exactly the writes of its
-- explicit list, and none on the append-only tables or their partitions, even to
-- a role an earlier version had granted them; the application's own flows still
-- work without those writes.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(40);

------------------------------------------------------------------------------------
-- EXECUTE.
------------------------------------------------------------------------------------
-- set_updated_at() writes only the row it fires for and is documented for users'
-- own tables: the one trigger function everyone may attach.
SELECT set_eq($$SELECT p.oid::regprocedure::text FROM pg_proc AS p
				WHERE p.pronamespace = 'pactoria'::regnamespace
				  AND p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
				  AND has_function_privilege('public', p.oid, 'EXECUTE')$$,
			  ARRAY['pactoria.set_updated_at()'],
			  'no trigger or event-trigger function of pactoria but set_updated_at() is executable by PUBLIC');

SELECT set_eq($$SELECT p.oid::regprocedure::text FROM pg_proc AS p
				WHERE p.pronamespace = 'pactoria'::regnamespace AND p.prosecdef
				  AND has_function_privilege('public', p.oid, 'EXECUTE')$$,
			  ARRAY['pactoria.metric_time_window()'],
			  'no SECURITY DEFINER function of pactoria but metric_time_window() (every metric writer reads it) is executable by PUBLIC');

-- The owner's maintenance and migration functions.  (The pure partition helpers,
-- choose_partition_name() and the like, stay executable: register_partitioned_table()
-- and run_maintenance() run with their caller's rights and may be granted to a
-- maintenance role.)
SELECT is_empty($$SELECT f::regprocedure FROM unnest(ARRAY[
					'pactoria.prepare_audit_partition(regclass)',
					'pactoria.call_before_removal(regprocedure, regclass)',
					'pactoria.register_partitioned_table(regclass, interval, integer, interval, text, regprocedure)',
					'pactoria.unregister_partitioned_table(regclass)', 'pactoria.run_maintenance(regclass, timestamptz)',
					'pactoria.create_monthly_partition()', 'pactoria.audit_checkpoint(regclass)',
					'pactoria.enable_audit(regclass, name)', 'pactoria.enable_tenant_isolation(regclass)',
					'pactoria.grant_application_access(regrole)', 'pactoria.verify_data_integrity()']) AS f
				  WHERE has_function_privilege('public', f::regprocedure, 'EXECUTE')$$,
				'maintenance helpers and the owner''s functions are not executable by PUBLIC');

-- A role with schema usage but no grant on them cannot attach them to a table of
-- its own; the extension's triggers still fire for it (EXECUTE is checked only at
-- CREATE TRIGGER).
CREATE ROLE pactoria_t12_app LOGIN;
SELECT lives_ok($$SELECT pactoria.grant_application_access('pactoria_t12_app')$$,
				'grant_application_access() grants a plain login role');
CREATE TEMPORARY TABLE forged_contracts (company_id uuid, id uuid, contract_id uuid, title text, status text);
GRANT ALL ON forged_contracts TO pactoria_t12_app;
SET LOCAL ROLE pactoria_t12_app;
SELECT throws_ok($$CREATE TRIGGER forge AFTER INSERT ON pg_temp.forged_contracts REFERENCING NEW TABLE AS new_rows
				   FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger('company_id')$$,
				 '42501', NULL, 'the application cannot attach audit_trigger() to a table of its own');
SELECT throws_ok($$CREATE TRIGGER forge BEFORE INSERT ON pg_temp.forged_contracts
				   FOR EACH ROW EXECUTE FUNCTION pactoria.check_scoring_config()$$,
				 '42501', NULL, 'nor check_scoring_config()');
SELECT throws_ok($$SELECT pactoria.prepare_audit_partition('pg_temp.forged_contracts')$$,
				 '42501', NULL, 'nor call prepare_audit_partition()');
SELECT throws_ok($$SELECT pactoria.enable_audit('pg_temp.forged_contracts')$$,
				 '42501', NULL, 'nor enable_audit()');
SELECT lives_ok($$CREATE TRIGGER stamp BEFORE UPDATE ON pg_temp.forged_contracts
				  FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at()$$,
				'set_updated_at() stays attachable by anyone');
RESET ROLE;

------------------------------------------------------------------------------------
-- What the application may write.
------------------------------------------------------------------------------------
CREATE TEMPORARY TABLE append_only (name regclass);
INSERT INTO append_only
SELECT t.relid FROM unnest(ARRAY['pactoria.audit_logs', 'pactoria.audit_chain_heads', 'pactoria.audit_checkpoints',
								 'pactoria.contract_versions']::regclass[]) AS parent,
	 LATERAL pg_partition_tree(parent) AS t;
-- Make sure the partition tree is not just the parent.
SELECT cmp_ok((SELECT count(*) FROM append_only WHERE name::text LIKE 'pactoria.audit_logs_%'), '>=', 1::bigint,
			  'audit_logs has partitions to check');

-- What 0.1.0's grant_application_access() gave, and more: the next call takes it back.
GRANT INSERT, UPDATE, DELETE, TRUNCATE ON pactoria.audit_logs, pactoria.audit_chain_heads, pactoria.audit_checkpoints,
	pactoria.contract_versions, pactoria.audit_logs_default, pactoria.system_config, pactoria.partition_config
	TO pactoria_t12_app;
GRANT UPDATE (event_type) ON pactoria.audit_logs TO pactoria_t12_app;
SELECT ok(has_table_privilege('pactoria_t12_app', 'pactoria.audit_logs', 'INSERT'), 'the role was given writes on audit_logs');
SELECT lives_ok($$SELECT pactoria.grant_application_access('pactoria_t12_app')$$,
				'grant_application_access() called again');

SELECT is_empty($$SELECT a.name, p.privilege FROM append_only AS a,
					unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p(privilege)
				  WHERE has_table_privilege('pactoria_t12_app', a.name, p.privilege)
					 OR (p.privilege IN ('INSERT', 'UPDATE')
						 AND has_any_column_privilege('pactoria_t12_app', a.name, p.privilege))$$,
				'the application has no INSERT, UPDATE, DELETE or TRUNCATE on an append-only table or partition of one');

SELECT set_eq($$SELECT c.oid::regclass::text || ' ' || p.privilege
				FROM pg_class AS c, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(privilege)
				WHERE c.relnamespace = 'pactoria'::regnamespace
				  AND has_table_privilege('pactoria_t12_app', c.oid, p.privilege)$$,
			  ARRAY['pactoria.ai_generations INSERT', 'pactoria.ai_generations UPDATE', 'pactoria.ai_generations DELETE',
					'pactoria.chat_messages INSERT', 'pactoria.chat_messages UPDATE', 'pactoria.chat_messages DELETE',
					'pactoria.compliance_scores INSERT', 'pactoria.compliance_scores UPDATE', 'pactoria.compliance_scores DELETE',
					'pactoria.contracts INSERT', 'pactoria.contracts UPDATE', 'pactoria.contracts DELETE',
					'pactoria.corrections INSERT', 'pactoria.corrections UPDATE', 'pactoria.corrections DELETE',
					'pactoria.extraction_fields INSERT', 'pactoria.extraction_fields UPDATE', 'pactoria.extraction_fields DELETE',
					'pactoria.extraction_metrics INSERT', 'pactoria.extraction_metrics UPDATE', 'pactoria.extraction_metrics DELETE',
					'pactoria.extractions INSERT', 'pactoria.extractions UPDATE', 'pactoria.extractions DELETE',
					'pactoria.oauth_connections INSERT', 'pactoria.oauth_connections UPDATE', 'pactoria.oauth_connections DELETE',
					'pactoria.risk_assessments INSERT', 'pactoria.risk_assessments UPDATE', 'pactoria.risk_assessments DELETE',
					'pactoria.system_metrics INSERT',
					'pactoria.templates INSERT', 'pactoria.templates UPDATE', 'pactoria.templates DELETE',
					'pactoria.users DELETE'],
			  'the application''s table-level writes are exactly the explicit list');

SELECT set_eq($$SELECT DISTINCT c.oid::regclass::text FROM pg_class AS c
				JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
				WHERE c.relnamespace = 'pactoria'::regnamespace
				  AND NOT has_table_privilege('pactoria_t12_app', c.oid, 'INSERT, UPDATE')
				  AND has_column_privilege('pactoria_t12_app', c.oid, a.attnum, 'INSERT, UPDATE')$$,
			  ARRAY['pactoria.companies', 'pactoria.users'],
			  'companies and users are the only tables with column-level writes');

SELECT is_empty($$SELECT c.oid::regclass FROM pg_class AS c
				  WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relispartition
					AND has_table_privilege('pactoria_t12_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')$$,
				'no partition is reachable directly');

------------------------------------------------------------------------------------
-- Direct writes on the append-only tables fail with 42501; the application's own
-- flows write them through pactoria.
------------------------------------------------------------------------------------
INSERT INTO pactoria.companies (id, name) VALUES ('12000000-0000-7000-8000-0000000a1201', 'Privileges Test Ltd');
INSERT INTO pactoria.users (company_id, id, email, full_name, role, is_active) VALUES
	('12000000-0000-7000-8000-0000000a1201', '12000000-0000-7000-8000-0000000a12a1', 'admin@privileges.example',
	 'Admin', 'admin', true);
DO $$BEGIN
	PERFORM set_config('pactoria.company_id', '12000000-0000-7000-8000-0000000a1201', true),
			set_config('pactoria.user_id', '12000000-0000-7000-8000-0000000a12a1', true);
END$$;
SET LOCAL ROLE pactoria_t12_app;

SELECT lives_ok($$INSERT INTO pactoria.contracts (company_id, id, title, contract_type, final_content)
				  VALUES ('12000000-0000-7000-8000-0000000a1201', '12000000-0000-7000-8000-0000000a12c1',
						  'Privileges NDA', 'nda', 'First text.')$$,
				'the application inserts a contract');
SELECT lives_ok($$UPDATE pactoria.contracts SET final_content = 'Second text.'
				  WHERE id = '12000000-0000-7000-8000-0000000a12c1'$$,
				'and updates it');
SELECT is((SELECT array_agg(version_number ORDER BY version_number) FROM pactoria.contract_versions
		   WHERE contract_id = '12000000-0000-7000-8000-0000000a12c1'),
		  ARRAY[1, 2], 'its versions were recorded');
SELECT cmp_ok((SELECT count(*) FROM pactoria.audit_logs WHERE resource_id = '12000000-0000-7000-8000-0000000a12c1'),
			  '>=', 2::bigint, 'and its audit entries written');
SELECT isnt(pactoria.log_event('export', 'contract', '12000000-0000-7000-8000-0000000a12c1'), NULL,
			'log_event() works for the application');
SELECT isnt(pactoria.record_metric('privileges.test', 1, 'count'), NULL,
			'record_metric() works for the application');

SELECT throws_ok($$INSERT INTO pactoria.audit_logs (company_id, id, occurred_at, event_type, resource_type, transaction_id,
				   chain_sequence, chain_position, chain_hash)
				   SELECT company_id, pactoria.uuid_generate_v7(), '2020-01-01', event_type, resource_type, transaction_id,
						  chain_sequence, chain_position, chain_hash FROM pactoria.audit_logs LIMIT 1$$,
				 '42501', NULL, 'the application cannot insert into audit_logs');
SELECT throws_ok($$UPDATE pactoria.audit_logs SET event_type = 'logout'$$, '42501', NULL,
				 'nor update audit_logs');
SELECT throws_ok($$DELETE FROM pactoria.audit_logs$$, '42501', NULL, 'nor delete from audit_logs');
SELECT throws_ok($$TRUNCATE pactoria.audit_logs$$, '42501', NULL, 'nor truncate audit_logs');
SELECT throws_ok($$INSERT INTO pactoria.audit_logs_default SELECT * FROM pactoria.audit_logs LIMIT 1$$, '42501', NULL,
				 'nor write a partition of audit_logs');
SELECT throws_ok($$INSERT INTO pactoria.audit_chain_heads (company_id, chain_sequence, chain_hash, entry_id, occurred_at)
				   VALUES ('12000000-0000-7000-8000-0000000a1201', 99, '\x00', pactoria.uuid_generate_v7(), now())$$,
				 '42501', NULL, 'the application cannot insert into audit_chain_heads');
SELECT throws_ok($$UPDATE pactoria.audit_chain_heads SET chain_sequence = chain_sequence + 1$$, '42501', NULL,
				 'nor move a chain head');
SELECT throws_ok($$DELETE FROM pactoria.audit_chain_heads$$, '42501', NULL, 'nor delete one');
SELECT throws_ok($$TRUNCATE pactoria.audit_chain_heads$$, '42501', NULL, 'nor truncate audit_chain_heads');
SELECT throws_ok($$INSERT INTO pactoria.audit_checkpoints (company_id, first_sequence, last_sequence, last_chain_hash,
				   entry_count, partition_name, partition_bounds)
				   VALUES ('12000000-0000-7000-8000-0000000a1201', 1, 1, '\x00', 1, 'pactoria.audit_logs_2020_01', 'x')$$,
				 '42501', NULL, 'the application cannot insert into audit_checkpoints');
SELECT throws_ok($$UPDATE pactoria.audit_checkpoints SET entry_count = 0$$, '42501', NULL, 'nor update audit_checkpoints');
SELECT throws_ok($$DELETE FROM pactoria.audit_checkpoints$$, '42501', NULL, 'nor delete from audit_checkpoints');
SELECT throws_ok($$TRUNCATE pactoria.audit_checkpoints$$, '42501', NULL, 'nor truncate audit_checkpoints');
SELECT throws_ok($$INSERT INTO pactoria.contract_versions (company_id, contract_id, version_number, final_content, created_by)
				   VALUES ('12000000-0000-7000-8000-0000000a1201', '12000000-0000-7000-8000-0000000a12c1', 9, 'forged',
						   '12000000-0000-7000-8000-0000000a12a1')$$,
				 '42501', NULL, 'the application cannot insert into contract_versions');
SELECT throws_ok($$UPDATE pactoria.contract_versions SET change_summary = 'rewritten'$$, '42501', NULL,
				 'nor update contract_versions');
SELECT throws_ok($$DELETE FROM pactoria.contract_versions$$, '42501', NULL, 'nor delete from contract_versions');
SELECT throws_ok($$TRUNCATE pactoria.contract_versions$$, '42501', NULL, 'nor truncate contract_versions');
RESET ROLE;

SELECT is((SELECT array_agg(version_number ORDER BY version_number) FROM pactoria.contract_versions
		   WHERE contract_id = '12000000-0000-7000-8000-0000000a12c1'),
		  ARRAY[1, 2], 'the refused writes changed nothing');

SELECT * FROM finish();
ROLLBACK;
