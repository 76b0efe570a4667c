-- House rules every table and function of the extension must keep, checked from the
-- catalog so that objects added later are covered without changing this file.
BEGIN;
SELECT plan(10);

-- Tenant tables: company_id leads the primary key and every unique key.  users and
-- templates are whole (reference) tables with system-wide unique keys (e-mail,
-- invitation token; system templates have no company): the documented exceptions.
SELECT is_empty($$
	SELECT c.relname
	FROM pg_class AS c
	JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'company_id' AND a.attnotnull
	JOIN pg_index AS i ON i.indrelid = c.oid AND i.indisprimary
	WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p')
	  AND NOT c.relispartition
	  AND i.indkey[0] <> a.attnum
$$, 'company_id leads the primary key of every tenant table');

SELECT is_empty($$
	SELECT ic.relname
	FROM pg_class AS c
	JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'company_id' AND a.attnotnull
	JOIN pg_index AS i ON i.indrelid = c.oid AND i.indisunique
	JOIN pg_class AS ic ON ic.oid = i.indexrelid
	WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p')
	  AND NOT c.relispartition
	  AND c.relname NOT IN ('users')
	  AND i.indkey[0] <> a.attnum
$$, 'company_id leads every unique key of every tenant table (users excepted: system-wide e-mail)');

-- Foreign keys between two tenant tables carry company_id to company_id.
SELECT is_empty($$
	SELECT con.conname
	FROM pg_constraint AS con
	JOIN pg_attribute AS child ON child.attrelid = con.conrelid AND child.attname = 'company_id'
	JOIN pg_attribute AS parent ON parent.attrelid = con.confrelid AND parent.attname = 'company_id'
	WHERE con.contype = 'f' AND con.connamespace = 'pactoria'::regnamespace AND con.conparentid = 0
	  AND con.confrelid <> 'pactoria.templates'::regclass
	  AND NOT EXISTS (SELECT 1 FROM unnest(con.conkey, con.confkey) AS k(child_attnum, parent_attnum)
					  WHERE k.child_attnum = child.attnum AND k.parent_attnum = parent.attnum)
$$, 'every foreign key between tenant tables is composite on company_id');

-- pg_dump keeps every table the extension owns, but the shipped defaults.
SELECT is_empty($$
	SELECT c.relname
	FROM pg_depend AS d
	JOIN pg_class AS c ON c.oid = d.objid AND d.classid = 'pg_class'::regclass
	JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'pactoria'
	WHERE d.deptype = 'e' AND c.relkind IN ('r', 'S')
	  AND c.oid <> ALL (e.extconfig)
	  AND c.relname NOT IN ('system_config_defaults')
$$, 'every table and sequence of the extension is marked for pg_dump (shipped defaults excepted)');

-- Names are planned, never cut: PostgreSQL truncates at 63 bytes.
SELECT is_empty($$
	SELECT relname FROM pg_class WHERE relnamespace = 'pactoria'::regnamespace AND octet_length(relname) >= 63
	UNION ALL
	SELECT conname FROM pg_constraint WHERE connamespace = 'pactoria'::regnamespace AND octet_length(conname) >= 63
	UNION ALL
	SELECT tgname FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid
	WHERE c.relnamespace = 'pactoria'::regnamespace AND octet_length(tgname) >= 63
$$, 'no table, index, constraint or trigger name reaches 63 bytes');

-- SECURITY DEFINER and event-trigger functions pin their search_path to
-- pg_catalog, pactoria first and pg_temp explicitly last (unlisted, pg_temp is
-- searched first and a caller's temporary objects would shadow names inside);
-- every other function that pins a search_path ends it with pg_temp too.
SELECT is_empty($$
	SELECT p.oid::regprocedure::text
	FROM pg_proc AS p
	WHERE p.pronamespace = 'pactoria'::regnamespace
	  AND (p.prosecdef OR p.prorettype = 'pg_catalog.event_trigger'::pg_catalog.regtype)
	  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c(setting)
					  WHERE c.setting ~ '^search_path=pg_catalog, pactoria(, [^,]+)*, pg_temp$')
$$, 'every SECURITY DEFINER and event-trigger function sets search_path = pg_catalog, pactoria, ..., pg_temp');

SELECT is_empty($$
	SELECT p.oid::regprocedure::text
	FROM pg_proc AS p, unnest(p.proconfig) AS c(setting)
	WHERE p.pronamespace = 'pactoria'::regnamespace
	  AND c.setting LIKE 'search_path=%' AND c.setting NOT LIKE '%, pg_temp'
$$, 'every function that pins its search_path puts pg_temp last');

SELECT is_empty($$
	SELECT p.oid::regprocedure::text
	FROM pg_proc AS p
	WHERE p.pronamespace = 'pactoria'::regnamespace AND p.prosecdef
	  AND has_function_privilege('public', p.oid, 'EXECUTE')
	  -- meant for everyone: every writer of system_metrics reads its time window
	  AND p.oid <> 'pactoria.metric_time_window()'::regprocedure
$$, 'no SECURITY DEFINER function but metric_time_window() is executable by PUBLIC');

-- Every function, table and view says what it is.
SELECT is_empty($$
	SELECT p.oid::regprocedure::text
	FROM pg_proc AS p
	WHERE p.pronamespace = 'pactoria'::regnamespace
	  AND obj_description(p.oid, 'pg_proc') IS NULL
$$, 'every function in schema pactoria has a COMMENT');

SELECT is_empty($$
	SELECT c.relname
	FROM pg_class AS c
	WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
	  AND NOT c.relispartition
	  AND obj_description(c.oid, 'pg_class') IS NULL
$$, 'every table and view in schema pactoria has a COMMENT');

SELECT * FROM finish();
ROLLBACK;
