-- A restore needs no option (issue 14): which triggers a restore skips, and that
-- nothing but a restore's COPY counts as one.  The restores themselves (pg_dump,
-- pg_restore, psql) are in test/integration/14_restore.sh.
BEGIN;
SELECT plan(8);

-- Every row-level trigger on pactoria's tables that fires on INSERT, and every
-- INSERT audit trigger (pactoria's tables and the application's), skip a restore.
SELECT is(
	(SELECT coalesce(string_agg(t.tgrelid::regclass || ' ' || t.tgname, ', ' ORDER BY 1), '')
	 FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid
	 WHERE NOT t.tgisinternal AND t.tgtype::integer & 4 = 4
	   AND (c.relnamespace = 'pactoria'::regnamespace AND t.tgtype::integer & 1 = 1
			OR t.tgfoid = 'pactoria.audit_trigger()'::regprocedure)
	   AND pg_get_triggerdef(t.oid) NOT LIKE '%WHEN (%NOT pactoria.restore_in_progress()%'),
	'', 'every row-level INSERT trigger of pactoria and every INSERT audit trigger has WHEN (NOT pactoria.restore_in_progress())');

SELECT cmp_ok(
	(SELECT count(*)::integer FROM pg_trigger AS t
	 WHERE NOT t.tgisinternal AND t.tgtype::integer & 4 = 4
	   AND pg_get_triggerdef(t.oid) LIKE '%NOT pactoria.restore_in_progress()%'), '>=', 30,
	'the check above covers the triggers (at least 30 of them skip a restore)');

-- A table audited later gets the same.
CREATE TABLE public.restore_audited (company_id uuid NOT NULL, id uuid PRIMARY KEY);
SELECT pactoria.enable_audit('public.restore_audited');
SELECT alike(pg_get_triggerdef((SELECT oid FROM pg_trigger WHERE tgname = 'trg_restore_audited_audit_insert')),
	'%FOR EACH STATEMENT WHEN ((NOT pactoria.restore_in_progress())) EXECUTE FUNCTION pactoria.audit_trigger(%',
	'enable_audit() makes an INSERT audit trigger that skips a restore');

SELECT is(pactoria.restore_in_progress(), false, 'an ordinary statement is no restore');
SET LOCAL row_security = off;
SET LOCAL check_function_bodies = off;
SELECT is(pactoria.restore_in_progress(), false, 'a SELECT with a restore''s settings is no restore');

-- An INSERT by a superuser with a restore's settings fires the rules.
INSERT INTO pactoria.companies (id, name, subscription_tier, max_users) VALUES
	('00000000-0000-7000-8000-0000000014a0', 'Restore Rules Ltd', 'starter', 1);
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000014a0';
INSERT INTO pactoria.users (company_id, id, email, full_name, role, hashed_password) VALUES
	('00000000-0000-7000-8000-0000000014a0', '00000000-0000-7000-8000-0000000014a1', 'a@restore.example', 'A', 'admin',
	 '$2a$06$' || repeat('x', 53));
SELECT is((SELECT active_user_count FROM pactoria.companies WHERE id = '00000000-0000-7000-8000-0000000014a0'), 1,
	'with a restore''s settings an INSERT still counts the seat');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name, role, hashed_password) VALUES
	('00000000-0000-7000-8000-0000000014a0', 'b@restore.example', 'B', 'viewer', '$2a$06$' || repeat('x', 53))$$,
	'53400', NULL, 'with a restore''s settings an INSERT beyond the seat limit is refused');
SELECT throws_ok($$INSERT INTO pactoria.audit_logs (company_id, action, resource_type) VALUES
	('00000000-0000-7000-8000-0000000014a0', 'forged', 'users')$$,
	NULL, NULL, 'with a restore''s settings an audit entry cannot be inserted directly');

SELECT * FROM finish();
ROLLBACK;
