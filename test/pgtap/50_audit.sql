-- The audit trail: structure, privileges and tenant isolation, settings, the
-- trigger's edges, immutability, and the chain within one transaction.
BEGIN;
SELECT plan(79);

-- Structure ---------------------------------------------------------------------
SELECT has_table('pactoria', 'audit_logs', 'pactoria.audit_logs exists');
SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'pactoria.audit_logs'::regclass), 'p',
	'audit_logs is partitioned');
SELECT is(pg_get_partkeydef('pactoria.audit_logs'::regclass), 'RANGE (occurred_at)',
	'audit_logs is range-partitioned on occurred_at');
SELECT col_is_pk('pactoria', 'audit_logs_default', ARRAY['company_id', 'occurred_at', 'id'],
	'the primary key (of each partition) leads with company_id and includes the partition key');
SELECT is((SELECT count(*)::integer FROM pg_index WHERE indrelid = 'pactoria.audit_logs'::regclass), 0,
	'the parent has no partitioned index (pg_dump could not restore its partitions)');
SELECT has_index('pactoria', 'audit_logs_default', 'idx_audit_logs_default_company_id_resource_id_occurred_at',
	ARRAY['company_id', 'resource_id', 'occurred_at'], 'index for the history of one resource');
SELECT has_index('pactoria', 'audit_logs_default', 'idx_audit_logs_default_company_id_contract_id_occurred_at',
	ARRAY['company_id', 'contract_id', 'occurred_at'], 'index for the history of one contract');
SELECT has_index('pactoria', 'audit_logs_default', 'idx_audit_logs_default_company_id_chain_sequence',
	ARRAY['company_id', 'chain_sequence'], 'index of commit entries by chain sequence');
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_extension e, unnest(e.extconfig) AS t(oid)
		   JOIN pg_class c ON c.oid = t.oid WHERE e.extname = 'pactoria' AND c.relname LIKE 'audit%'),
	ARRAY['audit_chain_heads', 'audit_checkpoints', 'audit_logs_default', 'audited_tables'],
	'pg_dump keeps the audit entries, chain heads and checkpoints');
SELECT is((SELECT count(*)::integer FROM pg_class WHERE relname IN ('audit_logs', 'audit_chain_heads', 'audit_checkpoints')
		   AND relnamespace = 'pactoria'::regnamespace AND relrowsecurity AND relforcerowsecurity),
	3, 'the audit tables have forced row-level security');

-- Every tenant table of the data model is audited: three statement triggers each.
SELECT is((SELECT array_agg(t ORDER BY t) FROM unnest(ARRAY['companies', 'users', 'user_sessions', 'templates', 'ai_generations',
		   'contracts', 'contract_versions', 'compliance_scores', 'extractions', 'extraction_fields', 'corrections',
		   'extraction_metrics', 'chat_messages', 'risk_assessments']) AS t
		   WHERE (SELECT count(*) FROM pg_trigger g WHERE g.tgrelid = format('pactoria.%I', t)::regclass
				  AND g.tgfoid = 'pactoria.audit_trigger()'::regprocedure AND g.tgtype & 1 = 0) <> 3),
	NULL, 'every tenant table has its INSERT, UPDATE and DELETE audit statement triggers');
SELECT is((SELECT tgargs FROM pg_trigger WHERE tgrelid = 'pactoria.companies'::regclass AND tgname = 'trg_companies_audit_insert'),
	'id\000'::bytea, 'companies are audited with id as their tenant');

-- Functions: volatility, strictness, security, privileges, comments.
SELECT is((SELECT provolatile::text || proisstrict::text || proparallel::text FROM pg_proc WHERE oid = 'pactoria.log_event(text, text, uuid, jsonb)'::regprocedure),
	'vfalseu', 'log_event is VOLATILE, not STRICT (NULLs get an error), PARALLEL UNSAFE');
SELECT is((SELECT provolatile::text || proparallel::text FROM pg_proc WHERE oid = 'pactoria.audit_chain_hash(bytea, pactoria.audit_logs)'::regprocedure),
	'is', 'audit_chain_hash is IMMUTABLE PARALLEL SAFE');
SELECT is((SELECT provolatile::text FROM pg_proc WHERE oid = 'pactoria.verify_audit_log(uuid, timestamptz, timestamptz)'::regprocedure),
	's', 'verify_audit_log is STABLE');
SELECT ok((SELECT prosecdef FROM pg_proc WHERE oid = 'pactoria.audit_checkpoint(regclass)'::regprocedure)
		  AND NOT has_function_privilege('public', 'pactoria.audit_checkpoint(regclass)', 'EXECUTE'),
	'audit_checkpoint is SECURITY DEFINER and not executable by PUBLIC');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
		   WHERE p.pronamespace = 'pactoria'::regnamespace AND p.proname ~ 'audit|log_event'
			 AND obj_description(p.oid, 'pg_proc') IS NULL),
	NULL, 'every audit function has a comment');
SELECT ok(NOT has_function_privilege('public', 'pactoria.audit_seal()', 'EXECUTE')
		  AND NOT has_function_privilege('public', 'pactoria.audit_settings_changed()', 'EXECUTE'),
	'the internal trigger functions are not executable by PUBLIC');

-- Column treatment --------------------------------------------------------------
SELECT set_eq(
	$$SELECT t.table_name, c.column_name::text COLLATE "default", c.treatment
	  FROM (VALUES ('pactoria.users'), ('pactoria.user_sessions'), ('pactoria.companies'), ('pactoria.contracts')) AS t(table_name),
		   pactoria.audit_columns(t.table_name::regclass) AS c
	  WHERE c.column_name IN ('hashed_password', 'invitation_token', 'token_hash', 'is_admin', 'active_user_count',
							  'last_activity', 'updated_at', 'title', 'email')$$,
	$$VALUES ('pactoria.companies', 'active_user_count', 'ignored'), ('pactoria.companies', 'updated_at', 'ignored'),
			 ('pactoria.contracts', 'title', 'logged'), ('pactoria.contracts', 'updated_at', 'ignored'),
			 ('pactoria.user_sessions', 'last_activity', 'ignored'), ('pactoria.user_sessions', 'token_hash', 'redacted'),
			 ('pactoria.users', 'email', 'personal'), ('pactoria.users', 'hashed_password', 'redacted'),
			 ('pactoria.users', 'invitation_token', 'redacted'), ('pactoria.users', 'is_admin', 'ignored'),
			 ('pactoria.users', 'updated_at', 'ignored')$$,
	'secrets are redacted, generated columns and the configured noise ignored, personal data marked, the rest logged');
CREATE TABLE public.audit_tap_secrets (company_id uuid, id uuid NOT NULL, iban_encrypted text, note text);
SELECT is((SELECT treatment FROM pactoria.audit_columns('public.audit_tap_secrets') WHERE column_name = 'iban_encrypted'),
	'redacted', 'columns named ...encrypted... are redacted on any table');
SELECT is((SELECT count(*)::integer FROM pactoria.audit_columns(NULL)), 0, 'audit_columns(NULL) is empty (STRICT)');

-- Settings are validated.
SELECT throws_ok($$INSERT INTO pactoria.system_config (key, value) VALUES ('audit.ignored_columns', '{"*": "updated_at"}')$$,
	'22023', NULL, 'an audit column setting must map tables to arrays');
SELECT throws_ok($$INSERT INTO pactoria.system_config (key, value) VALUES ('audit.redacted_columns', '{"contracts": ["title"]}')$$,
	'22023', NULL, 'table keys are schema-qualified');
SELECT throws_ok($$INSERT INTO pactoria.system_config (key, value) VALUES ('audit.event_types', '["login", "commit"]')$$,
	'22023', NULL, 'event types create, update, delete and commit are reserved');
SELECT throws_ok($$INSERT INTO pactoria.system_config (key, value) VALUES ('audit.event_types', '["Log In"]')$$,
	'22023', NULL, 'event types are identifiers');

-- Writing as an application role -----------------------------------------------
INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-0000000c0001', 'Tap Audit One Ltd'),
	('00000000-0000-7000-8000-0000000c0002', 'Tap Audit Two Ltd');
CREATE ROLE audit_tap_application;
GRANT USAGE ON SCHEMA pactoria TO audit_tap_application;
GRANT SELECT, INSERT, UPDATE, DELETE ON pactoria.contracts, pactoria.users TO audit_tap_application;
GRANT SELECT ON pactoria.audit_logs, pactoria.audit_chain_heads, pactoria.audit_checkpoints TO audit_tap_application;
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000c0002';
INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES
	('00000000-0000-7000-8000-0000000c0002', '00000000-0000-7000-8000-0000000c00b1', 'bob@tap-two.example', 'Bob');
SELECT isnt(pactoria.log_event('login', 'user', '00000000-0000-7000-8000-0000000c00b1'), NULL, 'log_event returns the id of the new entry');
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000c0001';
INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES
	('00000000-0000-7000-8000-0000000c0001', '00000000-0000-7000-8000-0000000c00a1', 'ann@tap-one.example', 'Ann');
SET LOCAL pactoria.user_id = '00000000-0000-7000-8000-0000000c00a1';

SET LOCAL ROLE audit_tap_application;
SELECT lives_ok($$INSERT INTO pactoria.contracts (company_id, id, title, contract_type)
				  VALUES ('00000000-0000-7000-8000-0000000c0001', '00000000-0000-7000-8000-0000000c00c1', 'Lease', 'lease')$$,
	'an application role without any privilege on the log writes a contract');
SELECT is((SELECT count(*)::integer FROM pactoria.audit_logs WHERE resource_id = '00000000-0000-7000-8000-0000000c00c1'),
	1, 'and its creation is in the log');
SELECT is((SELECT user_id FROM pactoria.audit_logs WHERE resource_id = '00000000-0000-7000-8000-0000000c00c1'),
	'00000000-0000-7000-8000-0000000c00a1'::uuid, 'with the user of the tenant context');
SELECT is((SELECT (transaction_id = pg_current_xact_id() AND occurred_at = now())
		   FROM pactoria.audit_logs WHERE resource_id = '00000000-0000-7000-8000-0000000c00c1'),
	true, 'with the transaction and its start time');
SELECT is((SELECT count(*)::integer FROM pactoria.audit_logs WHERE company_id = '00000000-0000-7000-8000-0000000c0002'),
	0, 'a tenant sees none of another tenant''s entries');
SELECT is((SELECT count(*)::integer FROM pactoria.audit_chain_head('00000000-0000-7000-8000-0000000c0002')),
	0, 'nor its chain head');
SELECT throws_ok($$INSERT INTO pactoria.audit_logs (company_id, id, occurred_at, event_type, resource_type, transaction_id,
				   chain_position, chain_hash) VALUES ('00000000-0000-7000-8000-0000000c0001', gen_random_uuid(), now(), 'login',
				   'user', pg_current_xact_id(), 1, sha256('x'))$$,
	'42501', NULL, 'an application role cannot write entries of its own');
SELECT throws_ok($$UPDATE pactoria.audit_logs SET event_type = 'logout'$$, '42501', NULL,
	'nor change entries');
SELECT throws_ok($$SELECT pactoria.audit_checkpoint('pactoria.audit_logs_default')$$, '42501', NULL,
	'nor write checkpoints');
SELECT isnt(pactoria.log_event('export', 'contract', '00000000-0000-7000-8000-0000000c00c1', '{"format": "docx"}'), NULL,
	'it records application events with log_event');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
-- The creates: the company, Ann, the contract and its version 1 (recorded by the
-- contract's insert).
SELECT is((SELECT array_agg(event_type || ':' || chain_position ORDER BY chain_position) FROM pactoria.audit_logs
		   WHERE company_id = '00000000-0000-7000-8000-0000000c0001' AND transaction_id = pg_current_xact_id()),
	ARRAY['create:1', 'create:2', 'create:3', 'create:4', 'export:5', 'commit:6'],
	'SET CONSTRAINTS ALL IMMEDIATE seals the transaction''s entries so far: positions 1..5, then the commit entry');
SELECT is((SELECT count(*)::integer FROM pactoria.verify_audit_log()), 0,
	'the tenant verifies its own chain: intact');
-- log_event_of(): log_event() for the company named, which must be the tenant in context.
SELECT pactoria.log_event_of('00000000-0000-7000-8000-0000000c0001', 'export', 'contract',
							 '00000000-0000-7000-8000-0000000c00c1', '{"format": "pdf"}') AS event_of_id \gset
SELECT is((SELECT a.event_type || ' ' || a.resource_type || ' ' || (a.additional_data ->> 'format')
		   FROM pactoria.audit_logs AS a WHERE a.id = :'event_of_id'),
	'export contract pdf', 'log_event_of() records an event of the tenant in context, and returns its id');
SELECT throws_ok($$SELECT pactoria.log_event_of('00000000-0000-7000-8000-0000000c0002', 'export', 'contract')$$,
	'42501', 'audit events are recorded for the tenant in context only', 'log_event_of() refuses another company');
SELECT throws_ok($$SELECT pactoria.log_event_of(NULL, 'export', 'contract')$$, '22004', 'company_id must not be null',
	'log_event_of() refuses a NULL company');
SELECT throws_ok($$SELECT pactoria.log_event_of('00000000-0000-7000-8000-0000000c0001', 'no_such_event', 'contract')$$,
	'22023', NULL, 'and checks the event type as log_event() does');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
RESET ROLE;

-- Immutability for the owner ---------------------------------------------------
SELECT throws_ok($$UPDATE pactoria.audit_logs SET event_type = 'logout' WHERE company_id = '00000000-0000-7000-8000-0000000c0001'$$,
	'42501', NULL, 'UPDATE of the log is refused to its owner');
SELECT throws_ok($$DELETE FROM pactoria.audit_logs WHERE company_id = '00000000-0000-7000-8000-0000000c0001'$$,
	'42501', NULL, 'DELETE from the log is refused to its owner');
SELECT throws_ok($$TRUNCATE pactoria.audit_logs$$, '42501', NULL, 'TRUNCATE of the log is refused');
SELECT throws_ok($$TRUNCATE pactoria.audit_logs_default$$, '42501', NULL, 'TRUNCATE of its default partition is refused');
CREATE TABLE pactoria.audit_logs_1999_01 PARTITION OF pactoria.audit_logs
	FOR VALUES FROM ('1999-01-01 00:00+00') TO ('1999-02-01 00:00+00');
SELECT throws_ok($$TRUNCATE pactoria.audit_logs_1999_01$$, '42501', NULL,
	'TRUNCATE of a partition made later is refused (the event trigger gave it the trigger)');
SELECT set_eq(
	$$SELECT indisprimary, substring(pg_get_indexdef(indexrelid) FROM ' USING (.*)$') FROM pg_index
	  WHERE indrelid = 'pactoria.audit_logs_1999_01'::regclass$$,
	$$SELECT indisprimary, substring(pg_get_indexdef(indexrelid) FROM ' USING (.*)$') FROM pg_index
	  WHERE indrelid = 'pactoria.audit_logs_default'::regclass$$,
	'a partition made later gets the primary key and indexes of the default partition, its template');
CREATE TABLE pactoria.audit_logs_1999_03 (LIKE pactoria.audit_logs_default INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
ALTER TABLE pactoria.audit_logs ATTACH PARTITION pactoria.audit_logs_1999_03
	FOR VALUES FROM ('1999-03-01 00:00+00') TO ('1999-04-01 00:00+00');
SELECT is((SELECT count(*)::integer FROM pg_index WHERE indrelid = 'pactoria.audit_logs_1999_03'::regclass), 4,
	'a partition made LIKE the template, as partition maintenance does, gets no second copy of its indexes');
SELECT throws_ok($$TRUNCATE pactoria.audit_logs_1999_03$$, '42501', NULL, 'but it gets the TRUNCATE trigger');
CREATE TABLE pactoria.audit_logs_1999_02 (LIKE pactoria.audit_logs INCLUDING CONSTRAINTS);
ALTER TABLE pactoria.audit_logs ATTACH PARTITION pactoria.audit_logs_1999_02
	FOR VALUES FROM ('1999-02-01 00:00+00') TO ('1999-03-01 00:00+00');
SELECT throws_ok($$TRUNCATE pactoria.audit_logs_1999_02$$, '42501', NULL,
	'TRUNCATE of an attached partition is refused');
SELECT col_is_pk('pactoria', 'audit_logs_1999_02', ARRAY['company_id', 'occurred_at', 'id'],
	'an attached partition gets the primary key');
SELECT is((SELECT array_agg(tgname::text ORDER BY tgname) FROM pg_trigger
		   WHERE tgrelid = 'pactoria.audit_logs_1999_02'::regclass AND tgparentid <> 0),
	ARRAY['trg_audit_logs_check_entry', 'trg_audit_logs_refuse_change', 'trg_audit_logs_refuse_company_change', 'trg_audit_logs_seal'],
	'an attached partition has the log''s row triggers (cloned from the parent)');
CREATE TABLE public.audit_tap_unrelated (id integer);
SELECT is((SELECT count(*)::integer FROM pg_trigger WHERE tgrelid = 'public.audit_tap_unrelated'::regclass), 0,
	'other tables are left alone by the event trigger');
SELECT throws_ok($$INSERT INTO pactoria.audit_logs (company_id, id, occurred_at, event_type, resource_type, transaction_id,
				   chain_position, chain_hash) VALUES ('00000000-0000-7000-8000-0000000c0002', gen_random_uuid(), now(), 'login',
				   'user', pg_current_xact_id(), 1, sha256('x'));
				   SET CONSTRAINTS ALL IMMEDIATE$$,
	'42501', NULL, 'an entry the owner inserts directly is refused when it is sealed');

-- The trigger's edges ---------------------------------------------------------
SELECT throws_ok($$SELECT pactoria.enable_audit(NULL)$$, '22004', NULL, 'enable_audit(NULL) is an error');
SELECT throws_ok($$SELECT pactoria.enable_audit('public.audit_tap_unrelated')$$, '42703', NULL,
	'a table without company_id cannot be audited');
CREATE TABLE public.audit_tap_bigint_ids (company_id uuid NOT NULL, id bigint NOT NULL);
SELECT throws_ok($$SELECT pactoria.enable_audit('public.audit_tap_bigint_ids')$$, '42703', NULL,
	'nor one whose id is not a uuid');
SELECT throws_ok($$SELECT pactoria.enable_audit('pactoria.contracts', 'tenant')$$, '42703', NULL,
	'nor one without the named tenant column');
SELECT lives_ok($$SELECT pactoria.enable_audit('public.audit_tap_secrets')$$, 'an application table is audited with one call');
INSERT INTO public.audit_tap_secrets VALUES ('00000000-0000-7000-8000-0000000c0001', '00000000-0000-7000-8000-0000000c00d1', 'GB00SECRET', 'n');
SELECT is((SELECT new_values FROM pactoria.audit_logs WHERE resource_id = '00000000-0000-7000-8000-0000000c00d1'),
	'{"id": "00000000-0000-7000-8000-0000000c00d1", "note": "n", "company_id": "00000000-0000-7000-8000-0000000c0001", "iban_encrypted": "[redacted]"}'::jsonb,
	'its rows are logged, secrets redacted');
INSERT INTO public.audit_tap_secrets VALUES (NULL, '00000000-0000-7000-8000-0000000c00d2', NULL, 'no tenant');
SELECT is((SELECT count(*)::integer FROM pactoria.audit_logs WHERE resource_id = '00000000-0000-7000-8000-0000000c00d2'), 0,
	'a row without a tenant (like a system template) is not logged');
CREATE TABLE public.audit_tap_misused (company_id uuid NOT NULL, id uuid NOT NULL);
CREATE TRIGGER misused AFTER INSERT ON public.audit_tap_misused FOR EACH ROW EXECUTE FUNCTION pactoria.audit_trigger();
SELECT throws_ok($$INSERT INTO public.audit_tap_misused VALUES (gen_random_uuid(), gen_random_uuid())$$, '39P01', NULL,
	'the audit trigger refuses to run as a row trigger');
DROP TRIGGER misused ON public.audit_tap_misused;
-- registered (as enable_audit would, had the column existed), so the column is what is checked
INSERT INTO pactoria.audited_tables VALUES ('public.audit_tap_misused', 'tenant');
CREATE TRIGGER misused AFTER INSERT ON public.audit_tap_misused REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger('tenant');
SELECT throws_ok($$INSERT INTO public.audit_tap_misused VALUES (gen_random_uuid(), gen_random_uuid())$$, '42703', NULL,
	'or with a tenant column the table lacks');
SELECT throws_ok($$SELECT pactoria.audit_trigger()$$, '39P01', NULL, 'it cannot be called directly');

-- UPDATE pairs each row's old and new versions, also when rows move between
-- partitions and when a BEFORE trigger skips some.
CREATE TABLE public.audit_tap_regions (company_id uuid NOT NULL, id uuid NOT NULL, region text NOT NULL, n integer)
	PARTITION BY LIST (region);
CREATE TABLE public.audit_tap_regions_north PARTITION OF public.audit_tap_regions FOR VALUES IN ('north');
CREATE TABLE public.audit_tap_regions_south PARTITION OF public.audit_tap_regions FOR VALUES IN ('south');
SELECT lives_ok($$SELECT pactoria.enable_audit('public.audit_tap_regions')$$, 'a partitioned table is audited on its parent');
CREATE FUNCTION pg_temp.skip_odd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE WHEN NEW.n % 2 = 1 THEN NULL ELSE NEW END;
END
$$;
CREATE TRIGGER skip_odd BEFORE UPDATE ON public.audit_tap_regions FOR EACH ROW EXECUTE FUNCTION pg_temp.skip_odd();
INSERT INTO public.audit_tap_regions
SELECT '00000000-0000-7000-8000-0000000c0001', gen_random_uuid(), CASE WHEN i % 2 = 0 THEN 'north' ELSE 'south' END, i
FROM generate_series(1, 8) AS i;
UPDATE public.audit_tap_regions SET region = CASE region WHEN 'north' THEN 'south' ELSE 'north' END, n = n + 10 WHERE n <= 6;
SELECT is((SELECT array_agg(format('%s>%s', a.old_values ->> 'n', a.new_values ->> 'n') ORDER BY (a.old_values ->> 'n')::integer)
		   FROM pactoria.audit_logs AS a JOIN public.audit_tap_regions AS r ON r.id = a.resource_id
		   WHERE a.resource_type = 'audit_tap_regions' AND a.event_type = 'update'
			 AND (a.new_values ->> 'n')::integer = r.n AND a.new_values ->> 'region' = r.region),
	ARRAY['2>12', '4>14', '6>16'], 'each entry pairs one row''s old and new values, across partitions');

-- Settings take effect at once, in this session too.
INSERT INTO pactoria.system_config (key, value) VALUES ('audit.redacted_columns', '{"pactoria.contracts": ["client_email"]}');
SELECT is((SELECT treatment FROM pactoria.audit_columns('pactoria.contracts') WHERE column_name = 'client_email'),
	'redacted', 'a configured column is redacted');
UPDATE pactoria.contracts SET client_email = 'legal@client.example', title = 'Lease of unit 4'
WHERE id = '00000000-0000-7000-8000-0000000c00c1';
SELECT is((SELECT new_values FROM pactoria.audit_logs WHERE resource_id = '00000000-0000-7000-8000-0000000c00c1' AND event_type = 'update'),
	'{"title": "Lease of unit 4", "client_email": "[redacted]"}'::jsonb, 'and the next statement logs it redacted');
INSERT INTO pactoria.system_config (key, value) VALUES ('audit.ignored_columns', '{"pactoria.contracts": ["title"]}');
UPDATE pactoria.contracts SET title = 'Lease of unit 5' WHERE id = '00000000-0000-7000-8000-0000000c00c1';
SELECT is((SELECT count(*)::integer FROM pactoria.audit_logs WHERE resource_id = '00000000-0000-7000-8000-0000000c00c1' AND event_type = 'update'),
	1, 'an UPDATE of ignored columns only (the override dropped updated_at from the list) writes nothing new');

-- Subtransactions inside one transaction ----------------------------------------
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000c0002';
SELECT isnt(pactoria.log_event('read', 'contract'), NULL, 'an event before a savepoint');
SAVEPOINT tap_savepoint;
SELECT isnt(pactoria.log_event('print', 'contract'), NULL, 'an event after it');
ROLLBACK TO SAVEPOINT tap_savepoint;
SELECT isnt(pactoria.log_event('send', 'contract'), NULL, 'an event after rolling back to it');
SELECT is((SELECT array_agg(event_type || ':' || chain_position ORDER BY chain_position) FROM pactoria.audit_logs
		   WHERE company_id = '00000000-0000-7000-8000-0000000c0002' AND transaction_id = pg_current_xact_id()
			 AND occurred_at > now()),
	ARRAY['read:1', 'send:2'], 'a rolled-back savepoint leaves no entry and no gap in the positions');
SELECT throws_ok($$SELECT pactoria.log_event('read', 'contract', NULL, '{"x": 1}'::jsonb - 'x' || '[1]'::jsonb)$$, '22023', NULL,
	'an error inside a subtransaction');
SELECT isnt(pactoria.log_event('sign', 'contract'), NULL, 'an event after the failed subtransaction');
SELECT is((SELECT array_agg(event_type || ':' || chain_position ORDER BY chain_position) FROM pactoria.audit_logs
		   WHERE company_id = '00000000-0000-7000-8000-0000000c0002' AND transaction_id = pg_current_xact_id()
			 AND occurred_at > now()),
	ARRAY['read:1', 'send:2', 'sign:3'], 'leaves the chain state as it was');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is((SELECT count(*)::integer FROM pactoria.verify_audit_log('00000000-0000-7000-8000-0000000c0002')), 0,
	'segments sealed within one transaction verify');
SELECT is((SELECT count(*)::integer FROM pactoria.audit_logs WHERE company_id = '00000000-0000-7000-8000-0000000c0002'
		   AND event_type = 'commit' AND transaction_id = pg_current_xact_id()),
	2, 'one commit entry per segment');

SELECT * FROM finish();
ROLLBACK;
