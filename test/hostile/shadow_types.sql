-- pg_temp shadowing: domains named like the built-in types, views named like
-- pactoria's relations, functions named like the built-ins, all created by the
-- attacker in its own pg_temp; then every SECURITY DEFINER function of schema
-- pactoria is called (NULL arguments) and the event triggers are fired, and the
-- application's usual calls are made.  Run by test/integration/12_hostile.sh as
-- each attacker role with -v company=... -v user_id=... (the attacker's own
-- company and user; the role without grants fails those calls, which is fine).
-- Nothing here may run the probe with the owner's rights.
\set VERBOSITY verbose
\ir probe.sql

-- Type names: a fixed list plus every built-in type that a pactoria function
-- takes or returns or a pactoria column has, so new ones are covered too.
CREATE TEMP TABLE hostile_type_names AS
SELECT DISTINCT typname
FROM (SELECT unnest(ARRAY['text', 'uuid', 'jsonb', 'json', 'regclass', 'oid', 'bool', 'timestamptz',
						  'timestamp', 'int2', 'int4', 'int8', 'numeric', 'float8', 'interval', 'name',
						  'bytea', 'inet', 'varchar', 'bpchar', 'regrole', 'regprocedure', 'regproc',
						  'regtype', 'regnamespace', 'regconfig', 'date', 'xid8', 'tsvector',
						  'record', 'cstring', 'char']) AS typname
	  UNION ALL
	  SELECT t.typname
	  FROM pg_catalog.pg_proc AS p
	  CROSS JOIN LATERAL unnest(p.proargtypes::pg_catalog.oid[] || p.prorettype) AS a(type_oid)
	  JOIN pg_catalog.pg_type AS t ON t.oid = a.type_oid
	  WHERE p.pronamespace = 'pactoria'::pg_catalog.regnamespace
	  UNION ALL
	  SELECT t.typname
	  FROM pg_catalog.pg_attribute AS at
	  JOIN pg_catalog.pg_class AS c ON c.oid = at.attrelid
	  JOIN pg_catalog.pg_type AS t ON t.oid = at.atttypid
	  WHERE c.relnamespace = 'pactoria'::pg_catalog.regnamespace AND at.attnum > 0) AS n
-- (pseudo-types such as record, cstring or trigger cannot carry a domain)
WHERE EXISTS (SELECT FROM pg_catalog.pg_type AS t
			  WHERE t.typname = n.typname AND t.typnamespace = 'pg_catalog'::pg_catalog.regnamespace
				AND t.typtype <> 'p');

-- Every name becomes a domain where PostgreSQL allows one (not over pseudo-types).
SELECT pg_catalog.format('CREATE DOMAIN pg_temp.%I AS pg_catalog.%I CHECK (pg_temp.hostile_probe(%L, VALUE IS NULL))',
						 typname, typname, 'domain pg_temp.' || typname)
FROM hostile_type_names ORDER BY 1 \gexec
SELECT 'HOSTILE_DOMAINS ' || pg_catalog.count(*) FROM pg_catalog.pg_type
WHERE typnamespace = pg_catalog.pg_my_temp_schema() AND typtype = 'd';

-- Every relation name of pactoria becomes a temp view that runs the probe when read.
SELECT pg_catalog.format('CREATE TEMP VIEW %I AS SELECT 1 AS hostile WHERE NOT pg_temp.hostile_probe(%L, true)',
						 c.relname, 'view pg_temp.' || c.relname)
FROM pg_catalog.pg_class AS c
WHERE c.relnamespace = 'pactoria'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
ORDER BY 1 \gexec

-- Functions named like built-ins in pg_temp (PostgreSQL never resolves unqualified
-- function names there; this proves nothing calls them qualified either).
CREATE FUNCTION pg_temp.current_setting(pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql
AS $$ SELECT CASE WHEN pg_temp.hostile_probe('pg_temp.current_setting', true) THEN pg_catalog.current_setting($1) END $$;
CREATE FUNCTION pg_temp.current_setting(pg_catalog.text, pg_catalog.bool) RETURNS pg_catalog.text LANGUAGE sql
AS $$ SELECT CASE WHEN pg_temp.hostile_probe('pg_temp.current_setting', true) THEN pg_catalog.current_setting($1, $2) END $$;
CREATE FUNCTION pg_temp.now() RETURNS pg_catalog.timestamptz LANGUAGE sql
AS $$ SELECT CASE WHEN pg_temp.hostile_probe('pg_temp.now', true) THEN pg_catalog.now() END $$;
CREATE FUNCTION pg_temp.gen_random_uuid() RETURNS pg_catalog.uuid LANGUAGE sql
AS $$ SELECT CASE WHEN pg_temp.hostile_probe('pg_temp.gen_random_uuid', true) THEN pg_catalog.gen_random_uuid() END $$;

-- The event triggers: DDL of every kind they look at.
CREATE TEMP TABLE hostile_plain (x pg_catalog.int4);
ALTER TABLE hostile_plain ADD COLUMN y pg_catalog.text;
CREATE TEMP TABLE hostile_parted (company_id pg_catalog.uuid, occurred_at pg_catalog.timestamptz)
	PARTITION BY RANGE (occurred_at);
CREATE TEMP TABLE hostile_parted_2020 PARTITION OF hostile_parted
	FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TEMP TABLE hostile_parted_default PARTITION OF hostile_parted DEFAULT;
ALTER TABLE hostile_parted DETACH PARTITION hostile_parted_2020;
ALTER TABLE hostile_parted ATTACH PARTITION hostile_parted_2020 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE INDEX ON hostile_parted (company_id);
DROP TABLE hostile_parted_default;
DROP TABLE hostile_parted;
DROP TABLE hostile_plain;
CREATE TEMP TABLE hostile_plain AS SELECT 1 AS x;
SELECT 1 AS x INTO TEMP hostile_select_into;
DROP TABLE hostile_plain, hostile_select_into;

-- Every SECURITY DEFINER function and event-trigger function, NULL for every argument.
SELECT pg_catalog.format('SELECT %s(%s)', p.oid::pg_catalog.regproc,
						 (SELECT pg_catalog.string_agg(pg_catalog.format('NULL::%I.%I', tn.nspname, t.typname), ', ' ORDER BY a.n)
						  FROM unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(type_oid, n)
						  JOIN pg_catalog.pg_type AS t ON t.oid = a.type_oid
						  JOIN pg_catalog.pg_namespace AS tn ON tn.oid = t.typnamespace))
FROM pg_catalog.pg_proc AS p
WHERE p.pronamespace = 'pactoria'::pg_catalog.regnamespace
	AND (p.prosecdef OR p.prorettype = 'pg_catalog.event_trigger'::pg_catalog.regtype)
ORDER BY 1 \gexec

-- And with real arguments: the application's usual calls.
SELECT pactoria.set_context(:'company', :'user_id', false);
SELECT 'HOSTILE_CONTEXT ' || (pactoria.current_company_id() IS NOT NULL);
SELECT pactoria.create_company('Shadow Ltd', 'admin@shadow.example', 'Shadow Admin');
SELECT pactoria.find_login('admin@shadow.example');
SELECT pactoria.find_session('\x00'::pg_catalog.bytea);
SELECT pactoria.log_event('read', 'contract', NULL, '{"via": "shadow"}');
SELECT pactoria.record_metric('shadow.requests', 1, 'count', '{}', pg_catalog.now());
INSERT INTO pactoria.contracts (company_id, title, contract_type) VALUES (:'company', 'Shadow contract', 'services');
UPDATE pactoria.contracts SET final_content = 'Shadow edit' WHERE title = 'Shadow contract';
SELECT pg_catalog.count(*) FROM pactoria.search_contracts('shadow', 10);
SELECT pg_catalog.count(*) FROM pactoria.verify_audit_log();
SELECT pg_catalog.count(*) FROM pactoria.audit_chain_head(:'company');
SELECT pactoria.get_config('risk_level_bands') IS NOT NULL AS has_config;
SELECT pactoria.clear_context();
SELECT pactoria.set_context(:'company', :'user_id');
SELECT 'HOSTILE_DONE';
