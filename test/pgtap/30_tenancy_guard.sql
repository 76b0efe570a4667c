-- The guard: tenant isolation read from the catalog, so that no table, view,
-- function or grant added later can skip it.  Each test lists what breaks the
-- rule, so a failure names the culprit.
BEGIN;
SELECT plan(20);

CREATE TEMP VIEW tenant_tables AS
SELECT c.oid::regclass AS table_name, c.relname, c.relrowsecurity, c.relforcerowsecurity, c.relispartition
FROM pg_class AS c
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped
WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p');

SELECT ok(ARRAY['users', 'user_sessions', 'templates', 'ai_generations', 'contracts', 'contract_versions',
				'compliance_scores', 'extractions', 'extraction_fields', 'corrections', 'extraction_metrics',
				'chat_messages', 'risk_assessments']::name[]
		  <@ (SELECT array_agg(relname) FROM tenant_tables WHERE NOT relispartition),
		  'the guard finds every tenant table of the data model');

------------------------------------------------------------------------------------
-- Tables with company_id.
------------------------------------------------------------------------------------
SELECT is_empty($$SELECT table_name FROM tenant_tables WHERE NOT relispartition AND NOT relrowsecurity$$,
				'every table with company_id has row-level security enabled');
SELECT is_empty($$SELECT table_name FROM tenant_tables WHERE NOT relispartition AND NOT relforcerowsecurity$$,
				'every table with company_id has row-level security forced (its owner obeys it too)');
SELECT is_empty($$SELECT table_name FROM tenant_tables AS t
				  WHERE NOT relispartition AND NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = t.table_name)$$,
				'every table with company_id has a policy');

-- The four policies of enable_tenant_isolation(), for every role, as written there.
SELECT is_empty($$
	SELECT t.table_name, expected.name
	FROM tenant_tables AS t
	CROSS JOIN (VALUES
		('tenant_isolation_select', 'r', '(company_id = pactoria.current_company_id())', NULL),
		('tenant_isolation_insert', 'a', NULL, '(company_id = pactoria.require_company_id())'),
		('tenant_isolation_update', 'w', '(company_id = pactoria.current_company_id())',
										 '(company_id = pactoria.require_company_id())'),
		('tenant_isolation_delete', 'd', '(company_id = pactoria.current_company_id())', NULL)
	) AS expected (name, command, using_expression, check_expression)
	WHERE NOT t.relispartition
	  AND NOT EXISTS (SELECT 1 FROM pg_policy AS p
					  WHERE p.polrelid = t.table_name AND p.polname = expected.name AND p.polpermissive
						AND p.polcmd = expected.command AND p.polroles = '{0}'
						AND pg_get_expr(p.polqual, p.polrelid) IS NOT DISTINCT FROM expected.using_expression
						AND pg_get_expr(p.polwithcheck, p.polrelid) IS NOT DISTINCT FROM expected.check_expression)$$,
	'every table with company_id has the four tenant policies of enable_tenant_isolation(), unaltered');

-- Permissive policies are ORed: one more could open a table to every tenant.
SELECT is_empty($$
	SELECT t.table_name, p.polname
	FROM tenant_tables AS t
	JOIN pg_policy AS p ON p.polrelid = t.table_name
	WHERE p.polpermissive
	  AND p.polname NOT IN ('tenant_isolation_select', 'tenant_isolation_insert', 'tenant_isolation_update', 'tenant_isolation_delete')
	  AND NOT (t.table_name = 'pactoria.templates'::regclass AND p.polname = 'system_templates_select'
			   AND p.polcmd = 'r' AND pg_get_expr(p.polqual, p.polrelid) = '(company_id IS NULL)')$$,
	'no tenant table has another permissive policy (the one exception: system templates are readable)');

-- The two triggers of enable_tenant_isolation(), enabled, with the events and
-- timing it gives them (tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update).
SELECT is_empty($$
	SELECT t.table_name, expected.function_name
	FROM tenant_tables AS t
	CROSS JOIN (VALUES ('pactoria.refuse_company_change()'::regprocedure, 1 | 2 | 16),
					   ('pactoria.require_tenant_context()'::regprocedure, 2 | 4 | 8 | 16)) AS expected (function_name, trigger_type)
	WHERE NOT t.relispartition
	  AND NOT EXISTS (SELECT 1 FROM pg_trigger AS g
					  WHERE g.tgrelid = t.table_name AND g.tgenabled = 'O'
						AND g.tgfoid = expected.function_name AND g.tgtype = expected.trigger_type)$$,
	'every table with company_id refuses to move a row to another company (BEFORE UPDATE row trigger) and writes without tenant context (BEFORE INSERT OR UPDATE OR DELETE statement trigger)');

-- A partition reached directly is under its own policies, not its parent's: it
-- must have them too, or be reachable by nobody but its owner.
SELECT is_empty($$
	SELECT t.table_name FROM tenant_tables AS t JOIN pg_class AS c ON c.oid = t.table_name
	WHERE t.relispartition
	  AND NOT (t.relrowsecurity AND t.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = t.table_name))
	  AND EXISTS (SELECT 1 FROM aclexplode(c.relacl) AS acl WHERE acl.grantee <> c.relowner)$$,
	'no partition with company_id is reachable directly without its own row-level security');

------------------------------------------------------------------------------------
-- companies: its own policies; INSERT and DELETE have none, so they are refused.
------------------------------------------------------------------------------------
SELECT ok((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'pactoria.companies'::regclass),
		  'companies has row-level security enabled and forced');
SELECT set_eq($$SELECT format('%s %s USING %s WITH CHECK %s', polname, polcmd, pg_get_expr(polqual, polrelid),
							  pg_get_expr(polwithcheck, polrelid))
				FROM pg_policy WHERE polrelid = 'pactoria.companies'::regclass$$,
			  ARRAY['tenant_isolation_select r USING (id = pactoria.current_company_id()) WITH CHECK ',
					'tenant_isolation_update w USING (id = pactoria.current_company_id())'
					' WITH CHECK (id = pactoria.require_company_id())'],
			  'companies: a tenant reads and updates its own row only, and has no INSERT or DELETE policy');
SELECT ok(EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'pactoria.companies'::regclass
				  AND tgfoid = 'pactoria.require_tenant_context()'::regprocedure),
		  'companies refuses writes without tenant context');

------------------------------------------------------------------------------------
-- Views.
------------------------------------------------------------------------------------
SELECT is_empty($$
	SELECT c.oid::regclass FROM pg_class AS c
	WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind = 'v'
	  AND NOT coalesce((SELECT o.option_value::boolean FROM pg_options_to_table(c.reloptions) AS o
						WHERE o.option_name = 'security_invoker'), false)$$,
	'every view of the extension is security_invoker');

-- (SECURITY DEFINER functions: search_path and no PUBLIC EXECUTE are checked by
-- 01_conventions.sql for every function of the extension.)

------------------------------------------------------------------------------------
-- What grant_application_access() gives.
------------------------------------------------------------------------------------
CREATE ROLE pactoria_t30_guard_app LOGIN;
SELECT lives_ok($$SELECT pactoria.grant_application_access('pactoria_t30_guard_app')$$,
				'grant_application_access() grants a plain login role');

SELECT set_eq($$SELECT p.oid::regprocedure::text FROM pg_proc AS p
				WHERE p.pronamespace = 'pactoria'::regnamespace AND p.prosecdef
				  AND has_function_privilege('pactoria_t30_guard_app', p.oid, 'EXECUTE')$$,
			  ARRAY['pactoria.refresh_session(text)',
					'pactoria.end_session(text)', 'pactoria.end_all_sessions(uuid)',
					'pactoria.sign_up(text,text,text,text,text,text,text,text)', 'pactoria.authenticate(text,text,inet,text)',
					'pactoria.set_password(text,text)', 'pactoria.unlock_user(uuid)', 'pactoria.invite_user(text,text)',
					'pactoria.accept_invitation(text,text,text)',
					'pactoria.enrol_totp()', 'pactoria.confirm_totp(text)', 'pactoria.verify_totp(text,text)',
					'pactoria.use_backup_code(text,text)', 'pactoria.regenerate_backup_codes(text)',
					'pactoria.mfa_status()', 'pactoria.disable_totp(text)', 'pactoria.reset_totp(uuid)',
					'pactoria.metric_time_window()',
					'pactoria.export_personal_data(uuid)', 'pactoria.erase_personal_data(uuid)',
					'pactoria.search_contracts(text,integer)', 'pactoria.touch_session(uuid,text)'],
			  'the SECURITY DEFINER functions the application may call are the identity API, the metric time window, the subject access and erasure of personal data, the tenant''s search and the session touch on Citus, no more: not create_company(), set_context(), find_login() or find_session()');
-- resume_session() is the one C function of the API that acts as the owner: it
-- switches to the owner of user_sessions around its own statements only.
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc AS p JOIN pg_language AS l ON l.oid = p.prolang
		   WHERE p.pronamespace = 'pactoria'::regnamespace AND l.lanname = 'c' AND NOT p.prosecdef
			 AND p.prorettype <> 'trigger'::regtype
			 AND has_function_privilege('pactoria_t30_guard_app', p.oid, 'EXECUTE')
			 AND p.proname IN ('resume_session', 'set_context', 'sign_context', 'create_session', 'parse_session_token', 'random_bytes')),
		  ARRAY['resume_session'],
		  'of the session plumbing the application may execute resume_session() alone, not sign_context(), parse_session_token() or random_bytes()');

SELECT is_empty($$
	SELECT c.oid::regclass FROM pg_class AS c
	WHERE c.relnamespace = 'pactoria'::regnamespace
	  AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attname = 'company_id' AND NOT attisdropped)
	  AND (has_table_privilege('pactoria_t30_guard_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE')
		   OR has_any_column_privilege('pactoria_t30_guard_app', c.oid, 'SELECT, INSERT, UPDATE'))
	  AND NOT (c.relkind IN ('r', 'p') AND c.relrowsecurity AND c.relforcerowsecurity)
	  AND NOT (c.relkind = 'v' AND coalesce((SELECT o.option_value::boolean FROM pg_options_to_table(c.reloptions) AS o
											 WHERE o.option_name = 'security_invoker'), false))$$,
	'everything with company_id the application can reach is under forced row-level security (tables) or security_invoker (views)');

SELECT is_empty($$
	SELECT c.oid::regclass FROM pg_class AS c
	WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p')
	  AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attname = 'company_id' AND NOT attisdropped)
	  AND has_table_privilege('pactoria_t30_guard_app', c.oid, 'INSERT, UPDATE, DELETE')$$,
	'tables without company_id (configuration, reference data) are read-only to the application');

SELECT is_empty($$
	SELECT c.oid::regclass FROM pg_class AS c
	WHERE c.relnamespace = 'pactoria'::regnamespace
	  AND has_table_privilege('pactoria_t30_guard_app', c.oid, 'TRUNCATE, REFERENCES, TRIGGER')$$,
	'the application has no TRUNCATE, REFERENCES or TRIGGER privilege anywhere');

SELECT set_eq($$SELECT attname::text FROM pg_attribute
				WHERE attrelid = 'pactoria.companies'::regclass AND attnum > 0 AND NOT attisdropped
				  AND has_column_privilege('pactoria_t30_guard_app', attrelid, attnum, 'UPDATE')$$,
			  ARRAY['name', 'registration_number', 'vat_number', 'address', 'postcode', 'settings'],
			  'companies: the application may update the columns a tenant owns, not its subscription, seats or status');

SELECT ok(NOT EXISTS (SELECT 1 FROM pg_class AS c
					  WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relowner = 'pactoria_t30_guard_app'::regrole)
		  AND NOT has_schema_privilege('pactoria_t30_guard_app', 'pactoria', 'CREATE'),
		  'the application owns nothing and cannot create objects in schema pactoria');

SELECT * FROM finish();
ROLLBACK;
