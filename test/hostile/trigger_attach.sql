-- Every trigger function of schema pactoria, attached by the attacker to temp
-- tables of the wrong shape -- and of the right shape under pactoria's table
-- names -- in every timing and level, then rows written.  One DO block per
-- combination; it reports with NOTICEs (sent at once, so a crash shows which
-- combination killed the backend):
--   COMBO <n> START <description>
--   COMBO <n> SETUP|REFUSED|ERROR <sqlstate> ...   refused at CREATE TRIGGER / the write failed
--   COMBO <n> ACCEPTED                             the writes went through
-- Variables: -v skip=N starts after combination N (after a crash);
-- -v company=... -v victim=... (the victim's company id goes into the rows).
\set VERBOSITY verbose
\ir probe.sql

CREATE TEMP TABLE hostile_shapes (shape text, table_name name, columns text, row_values text, can_update bool);
-- Generic wrong shapes.
INSERT INTO hostile_shapes VALUES
	('empty', 'hostile_empty', '', NULL, false),
	('text_company', 'hostile_text_company',
	 'company_id text, id text, contract_id text, key text, value text, title text, status text, role text, is_active text, updated_at text, version text',
	 pg_catalog.format('%L, %L, %L, %L, %L, %L, %L, %L, %L, %L, %L', :'victim', :'victim', :'victim', 'risk_level_bands',
					   '{"low": 1}', 'FORGED', 'approved', 'admin', 'true', 'now', '2'), true),
	('bytea_value', 'hostile_bytea_value',
	 'key text, value bytea, company_id bytea, id bytea, updated_at bytea, is_active bytea',
	 '''risk_level_bands'', ''\xffffff2f41414141414141414141414141'', ''\xffffff2f41414141414141414141414141'', ''\xffffff2f41414141414141414141414141'', ''\xffffff2f41414141414141414141414141'', ''\xff''', true);

-- Each pactoria table a trigger function is attached to: a temp table of that name
-- with the same columns ("right"), and one where every column that is not text is
-- bytea ("retyped").  Values: the victim's company id, plausible values by type.
INSERT INTO hostile_shapes
SELECT variant || ':' || c.relname, c.relname,
	   pg_catalog.string_agg(pg_catalog.format('%I %s', a.attname,
			CASE WHEN variant = 'retyped' AND a.atttypid <> 'pg_catalog.text'::pg_catalog.regtype THEN 'pg_catalog.bytea'
				 WHEN t.typnamespace = 'pg_catalog'::pg_catalog.regnamespace THEN pg_catalog.format_type(a.atttypid, a.atttypmod)
				 ELSE 'pg_catalog.text' END), ', ' ORDER BY a.attnum),
	   pg_catalog.string_agg(
			CASE WHEN variant = 'retyped' AND a.atttypid <> 'pg_catalog.text'::pg_catalog.regtype
					THEN '''\xffffff2f41414141414141414141414141'''
				 WHEN a.attname = 'company_id' THEN pg_catalog.quote_literal(:'victim')
				 WHEN a.attname = 'key' THEN '''risk_level_bands'''
				 WHEN a.attname = 'status' THEN '''approved'''
				 WHEN a.attname = 'role' THEN '''admin'''
				 WHEN a.atttypid = 'pg_catalog.uuid'::pg_catalog.regtype THEN 'pg_catalog.gen_random_uuid()'
				 WHEN a.atttypid IN ('pg_catalog.text'::pg_catalog.regtype, 'pg_catalog.varchar'::pg_catalog.regtype) THEN '''FORGED'''
				 WHEN a.atttypid = 'pg_catalog.jsonb'::pg_catalog.regtype THEN '''{"low": [0, 10]}'''
				 WHEN a.atttypid = 'pg_catalog.bool'::pg_catalog.regtype THEN 'true'
				 WHEN a.atttypid IN ('pg_catalog.int2'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype,
									 'pg_catalog.int8'::pg_catalog.regtype, 'pg_catalog.numeric'::pg_catalog.regtype,
									 'pg_catalog.float8'::pg_catalog.regtype) THEN '1'
				 WHEN a.atttypid IN ('pg_catalog.timestamptz'::pg_catalog.regtype, 'pg_catalog.date'::pg_catalog.regtype)
					THEN 'pg_catalog.now()'
				 ELSE 'NULL' END, ', ' ORDER BY a.attnum),
	   true
FROM (SELECT DISTINCT tg.tgrelid FROM pg_catalog.pg_trigger AS tg
	  JOIN pg_catalog.pg_proc AS p ON p.oid = tg.tgfoid
	  WHERE p.pronamespace = 'pactoria'::pg_catalog.regnamespace AND NOT tg.tgisinternal) AS r
JOIN pg_catalog.pg_class AS c ON c.oid = r.tgrelid AND NOT c.relispartition
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
JOIN pg_catalog.pg_type AS t ON t.oid = a.atttypid
CROSS JOIN (VALUES ('right'), ('retyped')) AS v(variant)
GROUP BY variant, c.relname;

-- Each trigger function with the arguments pactoria attaches it with (first attachment).
CREATE TEMP TABLE hostile_trigger_functions AS
SELECT p.oid::pg_catalog.regproc::pg_catalog.text AS function_name,
	   coalesce((SELECT pg_catalog.substring(pg_catalog.pg_get_triggerdef(tg.oid), 'EXECUTE FUNCTION \S+?(\(.*\))$')
				 FROM pg_catalog.pg_trigger AS tg WHERE tg.tgfoid = p.oid AND NOT tg.tgisinternal
				 ORDER BY tg.oid LIMIT 1), '()') AS arguments,
	   ARRAY(SELECT DISTINCT c.relname::pg_catalog.text FROM pg_catalog.pg_trigger AS tg
			 JOIN pg_catalog.pg_class AS c ON c.oid = tg.tgrelid
			 WHERE tg.tgfoid = p.oid AND NOT tg.tgisinternal) AS own_tables
FROM pg_catalog.pg_proc AS p
WHERE p.pronamespace = 'pactoria'::pg_catalog.regnamespace
	AND p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype;

CREATE TEMP TABLE hostile_timings (timing text, needs_update bool) ;
INSERT INTO hostile_timings VALUES
	('BEFORE INSERT OR UPDATE OR DELETE %s FOR EACH ROW', false),
	('AFTER INSERT OR UPDATE OR DELETE %s FOR EACH ROW', false),
	('BEFORE INSERT OR UPDATE OR DELETE %s FOR EACH STATEMENT', false),
	('AFTER INSERT %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT', false),
	('AFTER UPDATE %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT', true),
	('AFTER DELETE %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT', false);

-- The combinations: generic shapes for every function; right and retyped shapes of
-- the tables each function is attached to.
CREATE TEMP TABLE hostile_combos AS
SELECT pg_catalog.row_number() OVER (ORDER BY f.function_name, s.shape, t.timing) AS n,
	   f.function_name, s.shape, t.timing, s.table_name,
	   pg_catalog.format('DROP TABLE IF EXISTS pg_temp.%1$I; CREATE TEMP TABLE %1$I (%2$s)', s.table_name, s.columns) AS setup,
	   pg_catalog.format('CREATE TRIGGER hostile_trigger ' || pg_catalog.replace(t.timing, '%s', 'ON pg_temp.%I')
						 || ' EXECUTE FUNCTION %s%s', s.table_name, f.function_name, f.arguments) AS attach,
	   CASE WHEN s.row_values IS NULL THEN pg_catalog.format('INSERT INTO pg_temp.%I DEFAULT VALUES', s.table_name)
			ELSE pg_catalog.format('INSERT INTO pg_temp.%I VALUES (%s)', s.table_name, s.row_values) END
	   || CASE WHEN s.can_update
			   THEN pg_catalog.format('; UPDATE pg_temp.%1$I SET %2$I = %2$I', s.table_name,
									  pg_catalog.split_part(pg_catalog.split_part(s.columns, ',', 1), ' ', 1))
			   ELSE '' END
	   || pg_catalog.format('; DELETE FROM pg_temp.%I', s.table_name) AS writes
FROM hostile_trigger_functions AS f
JOIN hostile_shapes AS s ON s.shape IN ('empty', 'text_company', 'bytea_value')
	OR pg_catalog.split_part(s.shape, ':', 2) = ANY (f.own_tables)
JOIN hostile_timings AS t ON s.can_update OR NOT t.needs_update;

SELECT 'HOSTILE_COMBOS ' || pg_catalog.count(*) FROM hostile_combos;

SELECT pg_catalog.format($do$DO $body$
BEGIN
	RAISE NOTICE 'COMBO %1$s START %2$s on %3$s: %4$s';
	BEGIN
		EXECUTE %5$L;
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'COMBO %1$s SETUP %% %%', SQLSTATE, pg_catalog.left(SQLERRM, 200);
		RETURN;
	END;
	BEGIN
		EXECUTE %6$L;
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'COMBO %1$s REFUSED %% %%', SQLSTATE, pg_catalog.left(SQLERRM, 200);
		RETURN;
	END;
	BEGIN
		EXECUTE %7$L;
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'COMBO %1$s ERROR %% %%', SQLSTATE, pg_catalog.left(SQLERRM, 200);
		RETURN;
	END;
	RAISE NOTICE 'COMBO %1$s ACCEPTED';
END
$body$$do$, n, function_name, shape, pg_catalog.replace(timing, '%s ', ''), setup, attach, writes)
FROM hostile_combos WHERE n > :skip ORDER BY n \gexec
SELECT 'HOSTILE_DONE';
