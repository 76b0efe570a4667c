-- A snapshot of the current database's catalog, one line per fact, sorted, for diff.
-- Compared between a fresh database and one where pactoria was created and dropped
-- (test/integration/00_extension_lifecycle.sh), and between an upgraded and a fresh
-- install (test/integration/14_upgrade.sh).
--
-- Part 1 lists every object of the database that an extension could leave behind,
-- system schemas included.  Part 2 describes each object outside the system schemas in
-- detail: columns, constraints, indexes, triggers, policies, grants, comments,
-- functions, views, types, operators, casts, sequences, event triggers, extension
-- members and their pg_dump marks.  Part 3 lists the rows pactoria ships in its
-- tables, when pactoria is installed.
--
-- The lines depend neither on OIDs nor on the names of partitions that maintenance
-- made: a partition that is no extension member is written <parent>_<partition>, so all
-- of a table's such partitions collapse into one line per fact (they must look
-- alike), and a toast table is named after the table it belongs to.  Grants are
-- written with role names, the object's owner as OWNER and PUBLIC as PUBLIC; an owner
-- is written EXTENSION OWNER when it owns the extension the object belongs to.
-- Function bodies (prosrc, or the SQL-standard body) and view definitions are written
-- as md5 and length.
WITH RECURSIVE
system_schema AS (
	SELECT oid FROM pg_namespace
	WHERE nspname IN ('pg_catalog', 'information_schema', 'pg_toast')
	   OR nspname LIKE 'pg_temp%' OR nspname LIKE 'pg_toast_temp%'
),
user_schema AS (
	SELECT oid, nspname FROM pg_namespace WHERE oid NOT IN (SELECT oid FROM system_schema)
),
member AS (			-- extension members: object -> extension
	SELECT d.classid, d.objid, e.oid AS extension, e.extname, e.extowner
	FROM pg_depend AS d JOIN pg_extension AS e ON e.oid = d.refobjid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
),
generated_partition AS (	-- partitions that are no extension member: made at run time
	SELECT c.relname::text AS name, p.relname::text || '_<partition>' AS placeholder,
		   row_number() OVER (ORDER BY length(c.relname) DESC, c.relname) AS n
	FROM pg_class AS c
	JOIN pg_inherits AS i ON i.inhrelid = c.oid
	JOIN pg_class AS p ON p.oid = i.inhparent
	WHERE c.relispartition AND c.relkind IN ('r', 'p', 'f')
	  AND NOT EXISTS (SELECT 1 FROM member AS m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
),
user_relation AS (
	SELECT c.*, c.oid AS reloid,
		   CASE WHEN c.relowner = (SELECT m.extowner FROM member AS m
								   WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
				THEN 'EXTENSION OWNER' ELSE c.relowner::regrole::text END AS owner_name
	FROM pg_class AS c WHERE c.relnamespace IN (SELECT oid FROM user_schema)
),
user_function AS (
	SELECT p.*, p.oid AS prooid,
		   CASE WHEN p.proowner = (SELECT m.extowner FROM member AS m
								   WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
				THEN 'EXTENSION OWNER' ELSE p.proowner::regrole::text END AS owner_name
	FROM pg_proc AS p WHERE p.pronamespace IN (SELECT oid FROM user_schema)
),
user_type AS (
	SELECT t.*, t.oid AS typoid FROM pg_type AS t WHERE t.typnamespace IN (SELECT oid FROM user_schema)
),
facts(line) AS (
	-- Part 1: every object, by identity.
	SELECT kind || ' ' || identity
	FROM (
		SELECT 'namespace' AS kind, nspname::text AS identity FROM pg_namespace
		UNION ALL
		SELECT 'relation',
			   CASE WHEN c.relkind = 't' THEN 'toast table of ' || coalesce(
						(SELECT (pg_identify_object('pg_class'::regclass, o.oid, 0)).identity
						 FROM pg_class AS o WHERE o.reltoastrelid = c.oid), '?')
					WHEN c.relnamespace = 'pg_toast'::regnamespace AND c.relkind = 'i' THEN 'toast index of ' || coalesce(
						(SELECT (pg_identify_object('pg_class'::regclass, o.oid, 0)).identity
						 FROM pg_index AS x JOIN pg_class AS o ON o.reltoastrelid = x.indrelid
						 WHERE x.indexrelid = c.oid), '?')
					ELSE (pg_identify_object('pg_class'::regclass, c.oid, 0)).identity END
		FROM pg_class AS c
		UNION ALL
		SELECT 'function', oid::regprocedure::text FROM pg_proc
		UNION ALL
		SELECT 'type', (pg_identify_object('pg_type'::regclass, t.oid, 0)).identity FROM pg_type AS t
		WHERE t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) <> 't'
		UNION ALL
		SELECT 'operator', oid::regoperator::text FROM pg_operator
		UNION ALL
		SELECT 'cast', (pg_identify_object('pg_cast'::regclass, oid, 0)).identity FROM pg_cast
		UNION ALL
		SELECT 'operator class', (pg_identify_object('pg_opclass'::regclass, oid, 0)).identity FROM pg_opclass
		UNION ALL
		SELECT 'operator family', (pg_identify_object('pg_opfamily'::regclass, oid, 0)).identity FROM pg_opfamily
		UNION ALL
		SELECT 'trigger', (pg_identify_object('pg_trigger'::regclass, oid, 0)).identity FROM pg_trigger
		WHERE NOT tgisinternal
		UNION ALL
		SELECT 'event trigger', evtname::text FROM pg_event_trigger
		UNION ALL
		SELECT 'policy', (pg_identify_object('pg_policy'::regclass, oid, 0)).identity FROM pg_policy
		UNION ALL
		SELECT 'constraint', (pg_identify_object('pg_constraint'::regclass, oid, 0)).identity FROM pg_constraint
		UNION ALL
		SELECT 'extension', extname || ' ' || extversion FROM pg_extension
		UNION ALL
		SELECT 'text search configuration', cfgname::text FROM pg_ts_config
		UNION ALL
		SELECT 'default acl', defaclrole::regrole::text || ' ' || defaclobjtype::text FROM pg_default_acl
	) AS objects
	WHERE identity NOT LIKE 'pg_temp%' AND identity NOT LIKE 'pg_toast_temp%'

	-- Part 2: details of what lives outside the system schemas.
	UNION ALL
	SELECT format('schema %I: owner %s, acl %s, comment %L', n.nspname, n.nspowner::regrole,
				  (SELECT acl FROM (SELECT NULL) AS x,
				   LATERAL (SELECT string_agg(CASE a.grantee WHEN 0 THEN 'PUBLIC' WHEN n.nspowner THEN 'OWNER'
												ELSE a.grantee::regrole::text END || '=' || a.privilege_type
											|| CASE WHEN a.is_grantable THEN '*' ELSE '' END, ' '
											ORDER BY 1) AS acl
							FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) AS a) AS y),
				  obj_description(n.oid, 'pg_namespace'))
	FROM user_schema AS u JOIN pg_namespace AS n ON n.oid = u.oid

	UNION ALL			-- relations: kind, owner, options, row security, partitioning, grants, comment
	SELECT format('relation %s: kind %s, persistence %s, owner %s, options %s, row security %s/%s, partition key %s, partition of %s %s, acl %s, comment %L',
				  r.reloid::regclass, r.relkind, r.relpersistence, r.owner_name, r.reloptions,
				  r.relrowsecurity, r.relforcerowsecurity, pg_get_partkeydef(r.reloid),
				  (SELECT inhparent::regclass FROM pg_inherits WHERE inhrelid = r.reloid AND r.relispartition),
				  CASE WHEN r.relname::text NOT IN (SELECT name FROM generated_partition)
					   THEN pg_get_expr(r.relpartbound, r.reloid) END,
				  (SELECT string_agg(CASE a.grantee WHEN 0 THEN 'PUBLIC' WHEN r.relowner THEN 'OWNER'
									 ELSE a.grantee::regrole::text END || '=' || a.privilege_type
								 || CASE WHEN a.is_grantable THEN '*' ELSE '' END, ' ' ORDER BY 1)
				   FROM aclexplode(coalesce(r.relacl, acldefault(CASE r.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char",
																  r.relowner))) AS a),
				  obj_description(r.reloid, 'pg_class'))
	FROM user_relation AS r
	WHERE r.reloid NOT IN (SELECT indexrelid FROM pg_index)

	UNION ALL			-- columns, in their order
	SELECT format('column %s.%I: position %s, type %s, collation %s, not null %s, default %s, generated %L, identity %L, acl %s, comment %L',
				  r.reloid::regclass, a.attname,
				  row_number() OVER (PARTITION BY r.reloid ORDER BY a.attnum),
				  format_type(a.atttypid, a.atttypmod),
				  CASE WHEN a.attcollation <> 0 THEN (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
				  a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attgenerated, a.attidentity,
				  (SELECT string_agg(CASE x.grantee WHEN 0 THEN 'PUBLIC' WHEN r.relowner THEN 'OWNER'
									 ELSE x.grantee::regrole::text END || '=' || x.privilege_type
								 || CASE WHEN x.is_grantable THEN '*' ELSE '' END, ' ' ORDER BY 1)
				   FROM aclexplode(a.attacl) AS x),
				  col_description(r.reloid, a.attnum))
	FROM user_relation AS r
	JOIN pg_attribute AS a ON a.attrelid = r.reloid AND a.attnum > 0 AND NOT a.attisdropped
	LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
	WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')

	UNION ALL			-- constraints of tables and domains
	SELECT format('constraint %s on %s: %s, validated %s, comment %L', c.conname,
				  coalesce(c.conrelid::regclass::text, 'domain ' || c.contypid::regtype::text),
				  pg_get_constraintdef(c.oid), c.convalidated, obj_description(c.oid, 'pg_constraint'))
	FROM pg_constraint AS c WHERE c.connamespace IN (SELECT oid FROM user_schema)

	UNION ALL			-- indexes
	SELECT format('index %s: %s, valid %s, comment %L', x.indexrelid::regclass, pg_get_indexdef(x.indexrelid),
				  x.indisvalid, obj_description(x.indexrelid, 'pg_class'))
	FROM pg_index AS x JOIN user_relation AS r ON r.reloid = x.indrelid

	UNION ALL			-- views
	SELECT format('view %s: definition md5 %s length %s', r.reloid::regclass,
				  md5(pg_get_viewdef(r.reloid)), length(pg_get_viewdef(r.reloid)))
	FROM user_relation AS r WHERE r.relkind IN ('v', 'm')

	UNION ALL			-- sequences
	SELECT format('sequence %s: type %s, start %s, increment %s, min %s, max %s, cache %s, cycle %s, owned by %s',
				  s.seqrelid::regclass, s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
				  s.seqcache, s.seqcycle,
				  (SELECT d.refobjid::regclass || '.' || (SELECT attname FROM pg_attribute
														  WHERE attrelid = d.refobjid AND attnum = d.refobjsubid)
				   FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
				   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
	FROM pg_sequence AS s JOIN user_relation AS r ON r.reloid = s.seqrelid

	UNION ALL			-- triggers (the internal ones of foreign keys are the constraints above)
	SELECT format('trigger %I on %s: %s, enabled %s, comment %L', t.tgname, t.tgrelid::regclass,
				  pg_get_triggerdef(t.oid), t.tgenabled, obj_description(t.oid, 'pg_trigger'))
	FROM pg_trigger AS t JOIN user_relation AS r ON r.reloid = t.tgrelid
	WHERE NOT t.tgisinternal

	UNION ALL			-- row-level security policies
	SELECT format('policy %I on %s: command %s, permissive %s, roles %s, using %s, with check %s, comment %L',
				  p.polname, p.polrelid::regclass, p.polcmd, p.polpermissive,
				  (SELECT string_agg(CASE WHEN role = 0 THEN 'PUBLIC' ELSE role::regrole::text END, ' ' ORDER BY 1)
				   FROM unnest(p.polroles) AS role),
				  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),
				  obj_description(p.oid, 'pg_policy'))
	FROM pg_policy AS p JOIN user_relation AS r ON r.reloid = p.polrelid

	UNION ALL			-- functions, procedures and aggregates
	SELECT format('function %s: kind %s, returns %s, language %s, volatility %s, strict %s, parallel %s, security definer %s, leakproof %s, cost %s, rows %s, config %s, library %s, body md5 %s length %s, owner %s, acl %s, comment %L',
				  f.prooid::regprocedure, f.prokind, pg_get_function_result(f.prooid),
				  (SELECT lanname FROM pg_language WHERE oid = f.prolang), f.provolatile, f.proisstrict,
				  f.proparallel, f.prosecdef, f.proleakproof, f.procost, f.prorows, f.proconfig, f.probin,
				  -- a BEGIN ATOMIC body is in prosqlbody (prosrc is empty)
				  md5(f.prosrc || coalesce(pg_get_function_sqlbody(f.prooid), '')),
				  length(f.prosrc || coalesce(pg_get_function_sqlbody(f.prooid), '')), f.owner_name,
				  (SELECT string_agg(CASE a.grantee WHEN 0 THEN 'PUBLIC' WHEN f.proowner THEN 'OWNER'
									 ELSE a.grantee::regrole::text END || '=' || a.privilege_type
								 || CASE WHEN a.is_grantable THEN '*' ELSE '' END, ' ' ORDER BY 1)
				   FROM aclexplode(coalesce(f.proacl, acldefault('f', f.proowner))) AS a),
				  obj_description(f.prooid, 'pg_proc'))
	FROM user_function AS f
	UNION ALL
	SELECT format('aggregate %s: transition %s, final %s, combine %s, state %s, initial %L',
				  a.aggfnoid::regprocedure, a.aggtransfn::regprocedure, a.aggfinalfn, a.aggcombinefn,
				  a.aggtranstype::regtype, a.agginitval)
	FROM pg_aggregate AS a JOIN user_function AS f ON f.prooid = a.aggfnoid

	UNION ALL			-- types and domains (the row types of relations are the relations above)
	SELECT format('type %s: kind %s, category %s, length %s, by value %s, alignment %s, storage %s, input %s, output %s, receive %s, send %s, base %s, not null %s, default %s, collation %s, enum labels %s, owner %s, acl %s, comment %L',
				  t.typoid::regtype, t.typtype, t.typcategory, t.typlen, t.typbyval, t.typalign, t.typstorage,
				  t.typinput, t.typoutput, t.typreceive, t.typsend,
				  CASE WHEN t.typbasetype <> 0 THEN format_type(t.typbasetype, t.typtypmod) END,
				  t.typnotnull, t.typdefault,
				  CASE WHEN t.typcollation <> 0 THEN (SELECT collname FROM pg_collation WHERE oid = t.typcollation) END,
				  (SELECT string_agg(enumlabel, ' ' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.typoid),
				  t.typowner::regrole,
				  (SELECT string_agg(CASE a.grantee WHEN 0 THEN 'PUBLIC' WHEN t.typowner THEN 'OWNER'
									 ELSE a.grantee::regrole::text END || '=' || a.privilege_type
								 || CASE WHEN a.is_grantable THEN '*' ELSE '' END, ' ' ORDER BY 1)
				   FROM aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) AS a),
				  obj_description(t.typoid, 'pg_type'))
	FROM user_type AS t
	WHERE t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'

	UNION ALL			-- operators
	SELECT format('operator %s: function %s, commutator %s, negator %s, restrict %s, join %s, merges %s, hashes %s, comment %L',
				  o.oid::regoperator, o.oprcode::regprocedure, nullif(o.oprcom, 0)::regoperator,
				  nullif(o.oprnegate, 0)::regoperator, o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash,
				  obj_description(o.oid, 'pg_operator'))
	FROM pg_operator AS o WHERE o.oprnamespace IN (SELECT oid FROM user_schema)

	UNION ALL			-- operator classes and their families' members
	SELECT format('operator class %s: type %s, default %s, family %s',
				  (pg_identify_object('pg_opclass'::regclass, c.oid, 0)).identity, c.opcintype::regtype,
				  c.opcdefault, (pg_identify_object('pg_opfamily'::regclass, c.opcfamily, 0)).identity)
	FROM pg_opclass AS c WHERE c.opcnamespace IN (SELECT oid FROM user_schema)
	UNION ALL
	SELECT format('operator family %s: %s', (pg_identify_object('pg_opfamily'::regclass, o.amopfamily, 0)).identity,
				  (pg_identify_object('pg_amop'::regclass, o.oid, 0)).identity)
	FROM pg_amop AS o JOIN pg_opfamily AS f ON f.oid = o.amopfamily
	WHERE f.opfnamespace IN (SELECT oid FROM user_schema)
	UNION ALL
	SELECT format('operator family %s: %s %s', (pg_identify_object('pg_opfamily'::regclass, p.amprocfamily, 0)).identity,
				  (pg_identify_object('pg_amproc'::regclass, p.oid, 0)).identity, p.amproc::regprocedure)
	FROM pg_amproc AS p JOIN pg_opfamily AS f ON f.oid = p.amprocfamily
	WHERE f.opfnamespace IN (SELECT oid FROM user_schema)

	UNION ALL			-- casts from, to or through what lives outside the system schemas
	SELECT format('cast %s: function %s, context %s, method %s', (pg_identify_object('pg_cast'::regclass, c.oid, 0)).identity,
				  nullif(c.castfunc, 0)::regprocedure, c.castcontext, c.castmethod)
	FROM pg_cast AS c
	WHERE c.castsource IN (SELECT typoid FROM user_type) OR c.casttarget IN (SELECT typoid FROM user_type)
	   OR c.castfunc IN (SELECT prooid FROM user_function)

	UNION ALL			-- event triggers
	SELECT format('event trigger %I: event %s, function %s, enabled %s, tags %s, owner %s, comment %L',
				  e.evtname, e.evtevent, e.evtfoid::regprocedure, e.evtenabled, e.evttags, e.evtowner::regrole,
				  obj_description(e.oid, 'pg_event_trigger'))
	FROM pg_event_trigger AS e

	UNION ALL			-- extensions: options, members, tables pg_dump dumps the rows of
	SELECT format('extension %I: schema %s, owner %s, relocatable %s, comment %L', e.extname, e.extnamespace::regnamespace,
				  e.extowner::regrole, e.extrelocatable, obj_description(e.oid, 'pg_extension'))
	FROM pg_extension AS e
	UNION ALL
	SELECT format('extension %I member: %s %s', m.extname,
				  (pg_identify_object(m.classid, m.objid, 0)).type, (pg_identify_object(m.classid, m.objid, 0)).identity)
	FROM member AS m
	UNION ALL
	SELECT format('extension %I dumps rows of %s %s', e.extname, c.config::regclass,
				  coalesce(nullif(e.extcondition[c.position], ''), '(all rows)'))
	FROM pg_extension AS e, unnest(e.extconfig) WITH ORDINALITY AS c(config, position)

	UNION ALL			-- comments on anything not covered above
	SELECT format('comment on %s %s: %L', o.type, o.identity, d.description)
	FROM pg_description AS d, pg_identify_object(d.classoid, d.objoid, d.objsubid) AS o
	WHERE d.classoid NOT IN ('pg_namespace'::regclass, 'pg_class'::regclass, 'pg_constraint'::regclass,
							 'pg_trigger'::regclass, 'pg_policy'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass,
							 'pg_operator'::regclass, 'pg_event_trigger'::regclass, 'pg_extension'::regclass)
	  AND o.schema IN (SELECT nspname FROM user_schema)
),
normalised(n, line) AS (	-- replace the names of partitions made at run time, longest first
	SELECT 0::bigint, line FROM facts
	UNION ALL
	SELECT g.n, replace(x.line, g.name, g.placeholder)
	FROM normalised AS x JOIN generated_partition AS g ON g.n = x.n + 1
)
-- One fact a line: a newline inside one (an expression, a comment) is written \n.
SELECT DISTINCT replace(line, E'\n', '\n') COLLATE "C" AS line FROM normalised
WHERE n = (SELECT count(*) FROM generated_partition)
ORDER BY 1;

-- Part 3: the rows pactoria ships (configuration defaults, system templates, built-in
-- partition registrations), without the times they were written at.
SELECT to_regclass('pactoria.system_config_defaults') IS NOT NULL AS pactoria_installed \gset
\if :pactoria_installed
SELECT replace(line, E'\n', '\n') AS line FROM (
	SELECT format('row of pactoria.system_config_defaults: %s = %s, %L', key, value, description) AS line
	FROM pactoria.system_config_defaults
	UNION ALL
	SELECT format('row of pactoria.templates: %s %L md5 %s', id, name,
				  md5((to_jsonb(t) - 'created_at' - 'updated_at')::text))
	FROM pactoria.templates AS t WHERE company_id IS NULL
	UNION ALL
	SELECT format('row of pactoria.partition_config: %s', to_jsonb(p) - 'last_run_at' - 'last_run_outcome')
	FROM pactoria.partition_config AS p WHERE registered_by_extension
) AS shipped
ORDER BY line COLLATE "C";
\endif
