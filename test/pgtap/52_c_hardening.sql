-- The C side of issue 12, as a hostile application role would try it: every C
-- trigger attached to tables it was not made for, columns of the wrong type,
-- forged audit entries for another company, entries inserted straight into the
-- log at any chain position, and operators shadowing pg_catalog's in the SQL the
-- C code runs as the owner.  The attacker gets EXECUTE on each trigger function
-- for the test (the grant is rolled back), so that it is the C code, not a
-- missing privilege, that refuses.
BEGIN;
SELECT plan(40);

CREATE ROLE pactoria_t52_app LOGIN;
DO $$ BEGIN PERFORM pactoria.grant_application_access('pactoria_t52_app'); END $$;
-- The role also models a trusted service that names its tenant with set_context().
DO $$ BEGIN PERFORM pactoria.grant_service_access('pactoria_t52_app'); END $$;
GRANT EXECUTE ON FUNCTION pactoria.audit_trigger(), pactoria.audit_seal(), pactoria.audit_check_entry(),
	pactoria.audit_settings_changed(), pactoria.enforce_contract_lifecycle(), pactoria.record_contract_version(),
	pactoria.guard_contract_history(), pactoria.check_scoring_config(), pactoria.derive_risk_level_and_review(),
	pactoria.set_updated_at(), pactoria.require_tenant_context(), pactoria.log_event(text, text, uuid, jsonb)
	TO pactoria_t52_app;

INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-0000000d0001', 'Tap Hardening One Ltd'),
	('00000000-0000-7000-8000-0000000d0002', 'Tap Hardening Two Ltd (the victim)');
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000d0001';
INSERT INTO pactoria.users (company_id, id, email, full_name) VALUES
	('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00a1', 'ann@tap-hardening.example', 'Ann');
INSERT INTO pactoria.users (company_id, id, email, full_name, role) VALUES
	('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00a2', 'ada@tap-hardening.example', 'Ada', 'admin'),
	('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00a3', 'leo@tap-hardening.example', 'Leo', 'viewer');
RESET pactoria.company_id;
-- Sessions for case 5 (resume_session and the deactivation trigger run SQL as the owner).
CREATE TEMP TABLE t52_tokens AS
SELECT 'ada' AS name, s.session_token FROM pactoria.create_session('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00a2') AS s
UNION ALL
SELECT 'leo', s.session_token FROM pactoria.create_session('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00a3') AS s;
GRANT SELECT ON t52_tokens TO pactoria_t52_app;

-- The attacker's own schema, where it can create operators.
CREATE SCHEMA t52_attacker AUTHORIZATION pactoria_t52_app;
-- An application table the owner audits (registered by enable_audit).
CREATE TABLE public.t52_notes (company_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), note text);
SELECT pactoria.enable_audit('public.t52_notes');
GRANT SELECT, INSERT ON public.t52_notes TO pactoria_t52_app;

------------------------------------------------------------------------------------
-- Case 5 first, before this session has prepared any plan: operators shadowing
-- pg_catalog's (= on uuid, ? on jsonb) must not run while pactoria works as the owner.
------------------------------------------------------------------------------------
SET LOCAL ROLE pactoria_t52_app;
CREATE TABLE t52_attacker.ran (what text);
CREATE FUNCTION t52_attacker.uuid_equal(a uuid, b uuid) RETURNS boolean LANGUAGE plpgsql AS
$$BEGIN INSERT INTO t52_attacker.ran VALUES (current_user || ' ran uuid ='); RETURN a OPERATOR(pg_catalog.=) b; END$$;
CREATE FUNCTION t52_attacker.jsonb_has(a jsonb, b text) RETURNS boolean LANGUAGE plpgsql AS
$$BEGIN INSERT INTO t52_attacker.ran VALUES (current_user || ' ran jsonb ?'); RETURN a OPERATOR(pg_catalog.?) b; END$$;
CREATE OPERATOR t52_attacker.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = t52_attacker.uuid_equal);
CREATE OPERATOR t52_attacker.? (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = t52_attacker.jsonb_has);
GRANT INSERT ON t52_attacker.ran TO PUBLIC;
SET LOCAL search_path = t52_attacker, pg_catalog, public;
CREATE TEMP TABLE t52_probe AS
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS shadowed,
	   '{"a": 1}'::jsonb ? 'a' AS shadowed_too;
SELECT is((SELECT count(*)::integer FROM t52_attacker.ran), 2,
	'the shadowing operators are live under this search_path (the test can fail)');
DELETE FROM t52_attacker.ran;
SELECT pactoria.set_context('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00a1');
SELECT lives_ok($$SELECT pactoria.log_event('export', 'user', '00000000-0000-7000-8000-0000000d00a1')$$,
	'log_event works under the shadowing search_path');
INSERT INTO pactoria.contracts (company_id, id, title, contract_type)
	VALUES ('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00c1', 'Lease', 'lease');
UPDATE pactoria.contracts SET final_content = 'v2' WHERE id OPERATOR(pg_catalog.=) '00000000-0000-7000-8000-0000000d00c1';
INSERT INTO public.t52_notes (company_id, note) VALUES ('00000000-0000-7000-8000-0000000d0001', 'own note');
SET CONSTRAINTS ALL IMMEDIATE;	-- the seal, now: chain head read and moved
SET CONSTRAINTS ALL DEFERRED;
-- resume_session() (its session, idle-timeout and touch statements) and, as an
-- administrator, deactivating a user (the trigger that ends its sessions).
SELECT pactoria.clear_context();
SELECT is((SELECT r.mfa_required FROM t52_tokens AS t, pactoria.resume_session(t.session_token) AS r
		   WHERE t.name OPERATOR(pg_catalog.=) 'ada'), false,
	'resume_session works under the shadowing search_path');
UPDATE pactoria.users SET is_active = false WHERE id OPERATOR(pg_catalog.=) '00000000-0000-7000-8000-0000000d00a3';
SELECT throws_ok($$SELECT * FROM pactoria.resume_session((SELECT t.session_token FROM t52_tokens AS t WHERE t.name OPERATOR(pg_catalog.=) 'leo'))$$,
	'28000', NULL, 'and the deactivated user''s session is ended');
SELECT set_config('pactoria.context', '', true);	-- this file is one transaction
SELECT pactoria.set_context('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00a1');
SELECT is((SELECT string_agg(what, '; ') FROM t52_attacker.ran), NULL,
	'no shadowing operator ran in log_event, the audit trigger, the versioning trigger, the seal, resume_session or the deactivation trigger');
RESET search_path;
DELETE FROM t52_attacker.ran;

------------------------------------------------------------------------------------
-- Case 2: forged entries for another company.
------------------------------------------------------------------------------------
CREATE TEMP TABLE contracts (company_id uuid, id uuid, contract_id uuid, title text, status text);
CREATE TRIGGER t52_forge AFTER INSERT ON pg_temp.contracts REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger('company_id');
SELECT throws_ok($$INSERT INTO pg_temp.contracts VALUES ('00000000-0000-7000-8000-0000000d0002', gen_random_uuid(), gen_random_uuid(), 'FORGED', 'approved')$$,
	'42501', NULL, 'audit_trigger on a temp table named contracts refuses to write for another company');
SELECT throws_ok($$INSERT INTO pg_temp.contracts VALUES ('00000000-0000-7000-8000-0000000d0001', gen_random_uuid(), gen_random_uuid(), 'FORGED', 'approved')$$,
	'42501', NULL, '... and for the company in context: a temp table is never audited');
SELECT throws_ok($$SELECT pactoria.enable_audit('pg_temp.contracts')$$, '42501', NULL,
	'the application cannot register its temp table with enable_audit');
CREATE TABLE t52_attacker.mine (company_id uuid, id uuid);
SELECT throws_ok($$SELECT pactoria.enable_audit('t52_attacker.mine')$$, '42501', NULL,
	'the application cannot register a table of its own with enable_audit');
CREATE TRIGGER t52_forge AFTER INSERT ON t52_attacker.mine REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger('company_id');
SELECT throws_ok($$INSERT INTO t52_attacker.mine VALUES ('00000000-0000-7000-8000-0000000d0001', gen_random_uuid())$$,
	'42501', NULL, 'audit_trigger on an unregistered table of the application refuses');
SELECT throws_ok($$INSERT INTO public.t52_notes (company_id, note) VALUES ('00000000-0000-7000-8000-0000000d0002', 'forged')$$,
	'42501', NULL, 'on a registered table, a row of another company than the one in context is refused');
SELECT lives_ok($$INSERT INTO public.t52_notes (company_id, note) VALUES ('00000000-0000-7000-8000-0000000d0001', 'mine')$$,
	'on a registered table, a row of the company in context is audited');
SELECT pactoria.clear_context();
SELECT throws_ok($$INSERT INTO public.t52_notes (company_id, note) VALUES ('00000000-0000-7000-8000-0000000d0001', 'no context')$$,
	'42501', NULL, 'without a tenant context the application writes no audit entry');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM pactoria.audit_logs WHERE company_id = '00000000-0000-7000-8000-0000000d0002'
		   AND resource_type NOT IN ('companies', 'transaction')),
	0, 'the victim''s log has no entry from the attacker');
SELECT is((SELECT count(*)::integer FROM pactoria.audit_logs WHERE new_values ->> 'title' = 'FORGED'
		   OR new_values ->> 'note' IN ('forged', 'no context')),
	0, 'no forged entry was written at all');
SELECT is((SELECT count(*)::integer FROM pactoria.audit_logs WHERE company_id = '00000000-0000-7000-8000-0000000d0001'
		   AND resource_type = 't52_notes'),
	2, 'the two genuine notes are audited');
SELECT lives_ok($$INSERT INTO public.t52_notes (company_id, note) VALUES ('00000000-0000-7000-8000-0000000d0002', 'by the owner')$$,
	'a trusted role without tenant context (maintenance) still writes, audited');

------------------------------------------------------------------------------------
-- Case 3: entries inserted straight into the log, at any chain position, even by a
-- superuser who has the privilege.
------------------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO pactoria.audit_logs (company_id, id, occurred_at, event_type, resource_type, transaction_id,
					chain_position, chain_hash)
				  VALUES ('00000000-0000-7000-8000-0000000d0001', gen_random_uuid(), '2020-01-01', 'update', 'contract',
						  pg_current_xact_id(), 2, decode(repeat('00', 32), 'hex'))$$,
	'42501', NULL, 'a back-dated entry at chain position 2 is refused');
SELECT throws_ok($$INSERT INTO pactoria.audit_logs (company_id, id, occurred_at, event_type, resource_type, transaction_id,
					chain_position, chain_hash)
				  VALUES ('00000000-0000-7000-8000-0000000d0001', gen_random_uuid(), now(), 'update', 'contract',
						  pg_current_xact_id(), 1, decode(repeat('00', 32), 'hex'))$$,
	'42501', NULL, 'an entry at chain position 1 is refused');
SELECT throws_ok($$INSERT INTO pactoria.audit_logs_default (company_id, id, occurred_at, event_type, resource_type, transaction_id,
					chain_position, chain_hash)
				  VALUES ('00000000-0000-7000-8000-0000000d0001', gen_random_uuid(), '2020-01-01', 'update', 'contract',
						  pg_current_xact_id(), 3, decode(repeat('00', 32), 'hex'))$$,
	'42501', NULL, 'an entry inserted straight into a partition is refused');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT count(*)::integer FROM pactoria.verify_audit_log('00000000-0000-7000-8000-0000000d0001')), 0,
	'the attacker''s company chain verifies clean');
SELECT is((SELECT count(*)::integer FROM pactoria.verify_audit_log('00000000-0000-7000-8000-0000000d0002')), 0,
	'the victim''s chain verifies clean');

------------------------------------------------------------------------------------
-- Every C trigger attached by the application to tables it was not made for.
------------------------------------------------------------------------------------
SET LOCAL ROLE pactoria_t52_app;
SELECT pactoria.set_context('00000000-0000-7000-8000-0000000d0001', '00000000-0000-7000-8000-0000000d00a1');
CREATE TEMP TABLE t52_entries (company_id uuid, id uuid, chain_position integer);
CREATE TRIGGER t52_seal AFTER INSERT ON t52_entries FOR EACH ROW EXECUTE FUNCTION pactoria.audit_seal();
SELECT throws_ok($$INSERT INTO t52_entries VALUES ('00000000-0000-7000-8000-0000000d0002', gen_random_uuid(), 1)$$,
	'42501', NULL, 'audit_seal refuses a table other than audit_logs');
DROP TRIGGER t52_seal ON t52_entries;
CREATE TRIGGER t52_check BEFORE INSERT ON t52_entries FOR EACH ROW EXECUTE FUNCTION pactoria.audit_check_entry();
SELECT throws_ok($$INSERT INTO t52_entries VALUES (gen_random_uuid(), gen_random_uuid(), 1)$$,
	'42501', NULL, 'audit_check_entry refuses a table other than audit_logs');
DROP TRIGGER t52_check ON t52_entries;
CREATE TRIGGER t52_settings AFTER INSERT ON t52_entries FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_settings_changed();
SELECT throws_ok($$INSERT INTO t52_entries VALUES (gen_random_uuid(), gen_random_uuid(), 1)$$,
	'42501', NULL, 'audit_settings_changed refuses a table other than system_config');
DROP TABLE t52_entries;

CREATE TEMP TABLE t52_contracts (LIKE pactoria.contracts INCLUDING DEFAULTS INCLUDING GENERATED);
CREATE TRIGGER t52_lifecycle BEFORE INSERT ON t52_contracts FOR EACH ROW EXECUTE FUNCTION pactoria.enforce_contract_lifecycle();
SELECT throws_ok($$INSERT INTO t52_contracts (company_id, id, title, contract_type, status, version)
				  VALUES ('00000000-0000-7000-8000-0000000d0002', gen_random_uuid(), 'x', 'lease', 'draft', 1)$$,
	'42501', NULL, 'enforce_contract_lifecycle refuses a copy of contracts');
DROP TRIGGER t52_lifecycle ON t52_contracts;
CREATE TRIGGER t52_version AFTER INSERT ON t52_contracts FOR EACH ROW EXECUTE FUNCTION pactoria.record_contract_version();
SELECT throws_ok($$INSERT INTO t52_contracts (company_id, id, title, contract_type, status, version)
				  VALUES ('00000000-0000-7000-8000-0000000d0002', gen_random_uuid(), 'x', 'lease', 'draft', 1)$$,
	'42501', NULL, 'record_contract_version refuses a copy of contracts (no history row for another company)');
DROP TABLE t52_contracts;
CREATE TEMP TABLE t52_versions (LIKE pactoria.contract_versions);
CREATE TRIGGER t52_guard BEFORE INSERT ON t52_versions FOR EACH ROW EXECUTE FUNCTION pactoria.guard_contract_history();
SELECT throws_ok($$INSERT INTO t52_versions (company_id, id, contract_id, version_number)
				  VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 1)$$,
	'42501', NULL, 'guard_contract_history refuses a table other than contract_versions');
DROP TABLE t52_versions;

-- Case 4: the scoring configuration check on a value of the wrong type.
CREATE TEMP TABLE cfg (key text, value bytea);
CREATE TRIGGER t BEFORE INSERT ON cfg FOR EACH ROW EXECUTE FUNCTION pactoria.check_scoring_config();
SELECT throws_ok($$INSERT INTO cfg VALUES ('risk_level_bands', '\xffffff2f41414141414141414141414141')$$,
	'42804', NULL, 'check_scoring_config on a bytea value: a type error, no crash');
SELECT throws_like($$INSERT INTO cfg VALUES ('risk_level_bands', '\xffffff2f41414141414141414141414141')$$,
	'%"value"%', '... naming the column');
DROP TABLE cfg;
CREATE TEMP TABLE cfg (key integer, value jsonb);
CREATE TRIGGER t BEFORE INSERT ON cfg FOR EACH ROW EXECUTE FUNCTION pactoria.check_scoring_config();
SELECT throws_ok($$INSERT INTO cfg VALUES (1, '{}')$$, '42804', NULL, 'check_scoring_config on an integer key: a type error');
DROP TABLE cfg;
CREATE TEMP TABLE cfg (key text, value jsonb);
CREATE TRIGGER t BEFORE INSERT ON cfg FOR EACH ROW EXECUTE FUNCTION pactoria.check_scoring_config();
SELECT throws_ok($$INSERT INTO cfg VALUES ('risk_level_bands', '{}')$$, '42501', NULL,
	'check_scoring_config refuses a table of the right shape other than system_config');
DROP TABLE cfg;

CREATE TEMP TABLE t52_risks (LIKE pactoria.risk_assessments);
CREATE TRIGGER t52_risk BEFORE INSERT ON t52_risks FOR EACH ROW EXECUTE FUNCTION pactoria.derive_risk_level_and_review();
SELECT throws_ok($$INSERT INTO t52_risks (company_id, id, likelihood, impact) VALUES (gen_random_uuid(), gen_random_uuid(), 3, 3)$$,
	'42501', NULL, 'derive_risk_level_and_review refuses a copy of risk_assessments');
DROP TABLE t52_risks;
CREATE TEMP TABLE t52_risks (likelihood text, impact bytea);
CREATE TRIGGER t52_risk BEFORE INSERT ON t52_risks FOR EACH ROW EXECUTE FUNCTION pactoria.derive_risk_level_and_review();
SELECT throws_ok($$INSERT INTO t52_risks VALUES ('x', '\x00')$$, '42501', NULL,
	'derive_risk_level_and_review on a table of the wrong shape: refused, no crash');
DROP TABLE t52_risks;

-- set_updated_at is meant for any table: it type-checks its column.
CREATE TEMP TABLE t52_stamped (id integer, updated_at bytea, stamped text);
CREATE TRIGGER t52_stamp BEFORE UPDATE ON t52_stamped FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at();
INSERT INTO t52_stamped VALUES (1, '\x00', 'x');
SELECT throws_ok($$UPDATE t52_stamped SET id = 2$$, '42804', NULL, 'set_updated_at on a bytea updated_at: a type error');
DROP TRIGGER t52_stamp ON t52_stamped;
CREATE TRIGGER t52_stamp BEFORE UPDATE ON t52_stamped FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at('stamped');
SELECT throws_ok($$UPDATE t52_stamped SET id = 2$$, '42804', NULL, 'set_updated_at on a named text column: a type error');
DROP TRIGGER t52_stamp ON t52_stamped;
CREATE TRIGGER t52_stamp BEFORE UPDATE ON t52_stamped FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at('missing');
SELECT throws_ok($$UPDATE t52_stamped SET id = 2$$, '42703', NULL, 'set_updated_at on a missing column: an error');
DROP TABLE t52_stamped;

-- audit_trigger on a table without uuid columns: a type error before anything.
RESET ROLE;
CREATE TABLE public.t52_wrong (company_id text, id uuid);
INSERT INTO pactoria.audited_tables VALUES ('public.t52_wrong', 'company_id');
CREATE TRIGGER t52_audit AFTER INSERT ON public.t52_wrong REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger('company_id');
SELECT throws_ok($$INSERT INTO public.t52_wrong VALUES ('x', gen_random_uuid())$$, '42804', NULL,
	'audit_trigger on a registered table whose tenant column is text: a type error');

------------------------------------------------------------------------------------
-- The partition root each trigger's table check keeps per relation follows DETACH
-- and ATTACH: a partition of the log, moved under another partitioned table of
-- schema pactoria, is refused as a table of the check.
------------------------------------------------------------------------------------
RESET ROLE;
CREATE TABLE pactoria.audit_logs_t52 PARTITION OF pactoria.audit_logs FOR VALUES FROM ('2999-01-01') TO ('2999-02-01');
SELECT throws_ok($$INSERT INTO pactoria.audit_logs_t52 (company_id, id, occurred_at, event_type, resource_type,
		transaction_id, chain_position, chain_hash)
	VALUES ('00000000-0000-7000-8000-0000000d0001', gen_random_uuid(), '2999-01-02', 'read', 'report', '1', 1, '')$$,
	'42501', 'audit log entries may not be inserted directly',
	'a partition of the log: the entry check fires, and refuses the entry');
ALTER TABLE pactoria.audit_logs DETACH PARTITION pactoria.audit_logs_t52;
CREATE TABLE pactoria.t52_other_log (LIKE pactoria.audit_logs) PARTITION BY RANGE (occurred_at);
ALTER TABLE pactoria.t52_other_log ATTACH PARTITION pactoria.audit_logs_t52 FOR VALUES FROM ('2999-01-01') TO ('2999-02-01');
CREATE TRIGGER t52_check BEFORE INSERT ON pactoria.audit_logs_t52 FOR EACH ROW EXECUTE FUNCTION pactoria.audit_check_entry();
SELECT throws_ok($$INSERT INTO pactoria.audit_logs_t52 (company_id, id, occurred_at, event_type, resource_type,
		transaction_id, chain_position, chain_hash)
	VALUES ('00000000-0000-7000-8000-0000000d0001', gen_random_uuid(), '2999-01-02', 'read', 'report', '1', 1, '')$$,
	'42501', 'pactoria.audit_check_entry() may not fire on table "audit_logs_t52"',
	'moved under another root, the same table is no part of the log (its cached root was dropped)');

SELECT * FROM finish();
ROLLBACK;
