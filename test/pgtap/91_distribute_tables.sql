-- pactoria.distribute_tables() on a server without Citus: a clear error, and
-- only trusted roles may call it (the Citus suite, test/citus/, runs it on a
-- cluster).
BEGIN;
SELECT plan(6);
SELECT throws_ok($$SELECT * FROM pactoria.distribute_tables()$$, '55000',
				 'extension "citus" is not installed in this database',
				 'without Citus: object_not_in_prerequisite_state');
SELECT ok(NOT has_function_privilege('public', 'pactoria.distribute_tables()', 'EXECUTE'),
		  'distribute_tables() is not PUBLIC');
-- The seat counter writes as the owner, into companies or (on a Citus node) the
-- node's placement of it: only as the trigger of pactoria.users or its placements.
CREATE SCHEMA pactoria_test_91;
CREATE TABLE pactoria_test_91.users (company_id uuid, is_active boolean);
CREATE TRIGGER misplaced AFTER INSERT ON pactoria_test_91.users
	FOR EACH ROW EXECUTE FUNCTION pactoria.count_active_users();
SELECT throws_ok($$INSERT INTO pactoria_test_91.users VALUES (gen_random_uuid(), true)$$, '42501',
				 'pactoria.count_active_users() may not fire on table pactoria_test_91.users',
				 'the seat counter refuses a table named users in another schema');
CREATE TRIGGER misfired BEFORE INSERT ON pactoria_test_91.users
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.count_active_users();
DROP TRIGGER misplaced ON pactoria_test_91.users;
SELECT throws_ok($$INSERT INTO pactoria_test_91.users VALUES (gen_random_uuid(), true)$$, '42501', NULL,
				 'and any other firing');
-- pactoria's C triggers accept a Citus shard of their table ("<table>_<shard id>"),
-- and only when Citus is installed: here a table of that name is refused.
CREATE TABLE pactoria.risk_assessments_102008 (LIKE pactoria.risk_assessments INCLUDING DEFAULTS);
CREATE TRIGGER looks_like_a_shard BEFORE INSERT ON pactoria.risk_assessments_102008
	FOR EACH ROW EXECUTE FUNCTION pactoria.derive_risk_level_and_review();
SELECT throws_ok($$INSERT INTO pactoria.risk_assessments_102008 (company_id, risk_name, risk_category, likelihood, impact)
				   VALUES (gen_random_uuid(), 'R', 'legal', 2, 2)$$, '42501', NULL,
				 'without Citus, a table named like a shard is not the table''s shard');
CREATE ROLE pactoria_test_91_app NOLOGIN;
SELECT pactoria.grant_application_access('pactoria_test_91_app');
SET LOCAL ROLE pactoria_test_91_app;
SELECT throws_ok($$SELECT * FROM pactoria.distribute_tables()$$, '42501', NULL,
				 'the application role may not call it');
SELECT * FROM finish();
ROLLBACK;
