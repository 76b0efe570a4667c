-- Bad-input sweep: every function of schema pactoria the role may execute (and,
-- for the role without grants, every one it may not), called with plausible
-- arguments, then with each argument in turn NULL, empty and oversize (1 MiB),
-- each call followed by SELECT 1 (the backend must survive).  Results go to
-- /dev/null; errors (verbose, with SQLSTATE) to the client, where
-- 12_hostile.sh looks for XX000 and for messages quoting the oversize input.
-- Variables: -v company=... (a uuid for uuid arguments).
\set VERBOSITY verbose
\set SHOW_CONTEXT never
CREATE TEMP TABLE hostile_values (type_name pg_catalog.regtype PRIMARY KEY, plausible text, empty text, oversize text);
INSERT INTO hostile_values VALUES
	('text', '''x''', '''''', 'pg_catalog.repeat(''x'', 1048576)'),
	('varchar', '''x''', '''''::pg_catalog.varchar', 'pg_catalog.repeat(''x'', 1048576)::pg_catalog.varchar'),
	('name', '''x''::pg_catalog.name', '''''::pg_catalog.name', 'pg_catalog.repeat(''x'', 1048576)::pg_catalog.name'),
	('cstring', '''x''::pg_catalog.cstring', '''''::pg_catalog.cstring', 'pg_catalog.repeat(''x'', 1048576)::pg_catalog.cstring'),
	('bytea', '''\x00''::pg_catalog.bytea', '''''::pg_catalog.bytea', 'pg_catalog.convert_to(pg_catalog.repeat(''x'', 1048576), ''UTF8'')'),
	('jsonb', '''{}''::pg_catalog.jsonb', '''""''::pg_catalog.jsonb', 'pg_catalog.to_jsonb(pg_catalog.repeat(''x'', 1048576))'),
	('text[]', '''{x}''::pg_catalog.text[]', '''{}''::pg_catalog.text[]', 'ARRAY[pg_catalog.repeat(''x'', 1048576)]'),
	('uuid', pg_catalog.quote_literal(:'company') || '::pg_catalog.uuid', NULL, NULL),
	('int2', '1::pg_catalog.int2', '0::pg_catalog.int2', '32767::pg_catalog.int2'),
	('int4', '1', '0', '2147483647'),
	('int8', '1::pg_catalog.int8', '0::pg_catalog.int8', '9223372036854775807::pg_catalog.int8'),
	('numeric', '1::pg_catalog.numeric', '0::pg_catalog.numeric', '1e130000::pg_catalog.numeric'),
	('float8', '1::pg_catalog.float8', '''NaN''::pg_catalog.float8', '''Infinity''::pg_catalog.float8'),
	('bool', 'true', 'false', NULL),
	('timestamptz', 'pg_catalog.now()', '''-infinity''::pg_catalog.timestamptz', '''294276-12-31 23:59:59+00''::pg_catalog.timestamptz'),
	('timestamp', 'pg_catalog.localtimestamp', '''-infinity''::pg_catalog.timestamp', '''294276-12-31''::pg_catalog.timestamp'),
	('date', 'pg_catalog.current_date', '''-infinity''::pg_catalog.date', '''5874897-12-31''::pg_catalog.date'),
	('interval', '''1 day''::pg_catalog.interval', '''0''::pg_catalog.interval', '''178000000 years''::pg_catalog.interval'),
	('regclass', '''pactoria.contracts''::pg_catalog.regclass', '0::pg_catalog.oid::pg_catalog.regclass', '''pg_catalog.pg_class''::pg_catalog.regclass'),
	('regprocedure', '''pg_catalog.now()''::pg_catalog.regprocedure', '0::pg_catalog.oid::pg_catalog.regprocedure', '''pg_catalog.pg_sleep(double precision)''::pg_catalog.regprocedure'),
	('regtype', '''pg_catalog.text''::pg_catalog.regtype', '0::pg_catalog.oid::pg_catalog.regtype', NULL),
	('regrole', '''pg_monitor''::pg_catalog.regrole', '0::pg_catalog.oid::pg_catalog.regrole', NULL),
	('oid', '1::pg_catalog.oid', '0::pg_catalog.oid', '4294967295::pg_catalog.oid'),
	('inet', '''127.0.0.1''::pg_catalog.inet', NULL, NULL);

-- Functions: those that can be called from SQL at all (not taking internal or a
-- polymorphic pseudo-type); unknown argument types get NULL.
CREATE TEMP TABLE hostile_calls AS
WITH f AS (
	SELECT p.oid, p.oid::pg_catalog.regproc::pg_catalog.text AS name, p.proargtypes::pg_catalog.oid[] AS types
	FROM pg_catalog.pg_proc AS p
	WHERE p.pronamespace = 'pactoria'::pg_catalog.regnamespace AND p.prokind = 'f'
		AND p.prorettype NOT IN ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype)
		AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::pg_catalog.oid[]) AS a(t)
						JOIN pg_catalog.pg_type AS ty ON ty.oid = a.t WHERE ty.typtype = 'p' AND ty.typname <> 'cstring')
), variants AS (
	SELECT f.*, 0 AS position, 'plausible' AS variant FROM f
	UNION ALL SELECT f.*, 0, 'null' FROM f
	UNION ALL SELECT f.*, i, v FROM f, pg_catalog.generate_series(1, pg_catalog.cardinality(f.types)) AS i,
		unnest(ARRAY['null', 'empty', 'oversize']) AS v
)
SELECT pg_catalog.format('SELECT %s(%s) /* %s %s */', v.name,
	   coalesce((SELECT pg_catalog.string_agg(
					 coalesce(CASE WHEN v.variant = 'null' AND (v.position = 0 OR v.position = a.n) THEN NULL
								   WHEN v.position = a.n AND v.variant = 'empty' THEN hv.empty
								   WHEN v.position = a.n AND v.variant = 'oversize' THEN hv.oversize
								   ELSE hv.plausible END,
							  pg_catalog.format('NULL::%s', a.t::pg_catalog.regtype)), ', ' ORDER BY a.n)
				 FROM unnest(v.types) WITH ORDINALITY AS a(t, n)
				 LEFT JOIN hostile_values AS hv ON hv.type_name = a.t), ''),
	   v.variant, v.position) AS call
FROM variants AS v
-- skip variants that are the same call as the plausible one
WHERE v.variant IN ('plausible', 'null') AND v.position = 0
	OR EXISTS (SELECT FROM hostile_values AS hv WHERE hv.type_name = v.types[v.position]
			   AND CASE v.variant WHEN 'empty' THEN hv.empty WHEN 'oversize' THEN hv.oversize ELSE 'null' END IS NOT NULL);

SELECT 'HOSTILE_CALLS ' || pg_catalog.count(*) FROM hostile_calls;
\o /dev/null
SELECT call, 'SELECT 1' FROM hostile_calls ORDER BY call \gexec
\o
SELECT 'HOSTILE_DONE';
