-- Operator and function shadowing in a schema the attacker may create objects in
-- (hostile_ops, first in its search_path): operators for the built-in types and
-- functions named like built-ins, each running hostile_ops.probe() -- which calls
-- pg_temp.hostile_probe(), the probe of probe.sql --
-- then the application's usual flows.  Run as the application role with
-- -v company=... -v user_id=... (a contract manager of its own company).
\set VERBOSITY verbose
\ir probe.sql
-- The operators' probe, in the attacker's schema: pg_temp.hostile_probe() itself.
CREATE FUNCTION hostile_ops.probe(what pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_temp.hostile_probe(what, true) $$;

-- Boolean operators: (operator, left type, right type); each one's function runs
-- the probe and then answers as the built-in operator does.
CREATE TEMP TABLE hostile_operators (n pg_catalog.int4 GENERATED ALWAYS AS IDENTITY, operator pg_catalog.text,
									 left_type pg_catalog.text, right_type pg_catalog.text);
INSERT INTO hostile_operators (operator, left_type, right_type)
SELECT o, t, t
FROM unnest(ARRAY['=', '<>', '<', '<=', '>', '>=']) AS o,
	 unnest(ARRAY['uuid', 'text', 'int4', 'int8', 'int2', 'numeric', 'float8', 'bool', 'timestamptz', 'date',
				  'bytea', 'name', 'oid', 'jsonb', 'interval', 'xid8', 'inet']) AS t
UNION ALL
VALUES ('?', 'jsonb', 'text'), ('?|', 'jsonb', 'text[]'), ('?&', 'jsonb', 'text[]'), ('@>', 'jsonb', 'jsonb'),
	   ('<@', 'jsonb', 'jsonb'), ('~~', 'text', 'text'), ('~', 'text', 'text'), ('~*', 'text', 'text'),
	   ('@@', 'tsvector', 'tsquery'), ('=', 'text[]', 'text[]'), ('&&', 'text[]', 'text[]'),
	   ('@>', 'text[]', 'text[]'), ('%', 'text', 'text'), ('=', 'int4', 'int8'), ('=', 'int8', 'int4'),
	   ('<', 'timestamptz', 'date'), ('>=', 'timestamptz', 'date');

SELECT pg_catalog.format($f$CREATE FUNCTION hostile_ops.operator_%1$s(a %3$s, b %4$s) RETURNS pg_catalog.bool
	LANGUAGE plpgsql AS $body$BEGIN PERFORM hostile_ops.probe('operator %2$s (%3$s, %4$s)'); RETURN a OPERATOR(pg_catalog.%2$s) b; END$body$$f$,
	n, operator, left_type, right_type),
	pg_catalog.format('CREATE OPERATOR hostile_ops.%2$s (LEFTARG = %3$s, RIGHTARG = %4$s, FUNCTION = hostile_ops.operator_%1$s)',
	n, operator, left_type, right_type)
FROM hostile_operators ORDER BY n \gexec
CREATE FUNCTION hostile_ops.operator_concat(a pg_catalog.text, b pg_catalog.text) RETURNS pg_catalog.text
	LANGUAGE plpgsql AS $$BEGIN PERFORM hostile_ops.probe('operator || (text, text)'); RETURN a OPERATOR(pg_catalog.||) b; END$$;
CREATE OPERATOR hostile_ops.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile_ops.operator_concat);
CREATE FUNCTION hostile_ops.operator_minus(a pg_catalog.timestamptz, b pg_catalog.interval) RETURNS pg_catalog.timestamptz
	LANGUAGE plpgsql AS $$BEGIN PERFORM hostile_ops.probe('operator - (timestamptz, interval)'); RETURN a OPERATOR(pg_catalog.-) b; END$$;
CREATE OPERATOR hostile_ops.- (LEFTARG = timestamptz, RIGHTARG = interval, FUNCTION = hostile_ops.operator_minus);
CREATE FUNCTION hostile_ops.operator_plus(a pg_catalog.timestamptz, b pg_catalog.interval) RETURNS pg_catalog.timestamptz
	LANGUAGE plpgsql AS $$BEGIN PERFORM hostile_ops.probe('operator + (timestamptz, interval)'); RETURN a OPERATOR(pg_catalog.+) b; END$$;
CREATE OPERATOR hostile_ops.+ (LEFTARG = timestamptz, RIGHTARG = interval, FUNCTION = hostile_ops.operator_plus);

-- Functions named like built-ins (found before pg_catalog's when a query leaves
-- pg_catalog's place in the search_path to the caller).
CREATE FUNCTION hostile_ops.now() RETURNS pg_catalog.timestamptz LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function now()') THEN pg_catalog.now() END $$;
CREATE FUNCTION hostile_ops.current_setting(pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function current_setting(text)') THEN pg_catalog.current_setting($1) END $$;
CREATE FUNCTION hostile_ops.current_setting(pg_catalog.text, pg_catalog.bool) RETURNS pg_catalog.text LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function current_setting(text, bool)') THEN pg_catalog.current_setting($1, $2) END $$;
CREATE FUNCTION hostile_ops.gen_random_uuid() RETURNS pg_catalog.uuid LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function gen_random_uuid()') THEN pg_catalog.gen_random_uuid() END $$;
CREATE FUNCTION hostile_ops.lower(pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function lower(text)') THEN pg_catalog.lower($1) END $$;
CREATE FUNCTION hostile_ops.length(pg_catalog.text) RETURNS pg_catalog.int4 LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function length(text)') THEN pg_catalog.length($1) END $$;
CREATE FUNCTION hostile_ops.jsonb_typeof(pg_catalog.jsonb) RETURNS pg_catalog.text LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function jsonb_typeof(jsonb)') THEN pg_catalog.jsonb_typeof($1) END $$;
CREATE FUNCTION hostile_ops.sha256(pg_catalog.bytea) RETURNS pg_catalog.bytea LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function sha256(bytea)') THEN pg_catalog.sha256($1) END $$;
CREATE FUNCTION hostile_ops.pg_current_xact_id() RETURNS pg_catalog.xid8 LANGUAGE sql
AS $$ SELECT CASE WHEN hostile_ops.probe('function pg_current_xact_id()') THEN pg_catalog.pg_current_xact_id() END $$;
SELECT 'HOSTILE_OPERATORS ' || pg_catalog.count(*) FROM pg_catalog.pg_operator
WHERE oprnamespace = 'hostile_ops'::pg_catalog.regnamespace;

-- The application's flows, with the attacker's schema first.
SET search_path = hostile_ops, pg_catalog, pactoria, public;
BEGIN;
SELECT pactoria.set_context(:'company', :'user_id');
INSERT INTO pactoria.contracts (company_id, title, contract_type, final_content)
VALUES (:'company', 'Operator contract', 'services', 'First text');
UPDATE pactoria.contracts SET final_content = 'Second text'
WHERE title = 'Operator contract';
UPDATE pactoria.contracts SET status = 'pending_review' WHERE title = 'Operator contract';
SELECT pactoria.set_change_summary('operator shadowing');
SELECT pactoria.log_event('read', 'contract', NULL, '{"via": "operators"}');
SELECT pactoria.record_metric('operators.requests', 1, 'count', '{"k": "v"}');
SELECT pg_catalog.count(*) FROM pactoria.search_contracts('operator', 10);
SELECT pg_catalog.count(*) FROM pactoria.contract_history((SELECT id FROM pactoria.contracts WHERE title = 'Operator contract'));
SELECT pg_catalog.count(*) FROM pactoria.diff_contract_versions((SELECT id FROM pactoria.contracts WHERE title = 'Operator contract'), 1, 2);
SELECT pactoria.current_contract_version((SELECT id FROM pactoria.contracts WHERE title = 'Operator contract')) IS NOT NULL;
SELECT pg_catalog.count(*) FROM pactoria.expiring_contracts('30 days');
SELECT pactoria.get_config('risk_level_bands') IS NOT NULL;
COMMIT;
BEGIN;
SELECT pactoria.set_context(:'company', :'user_id');
INSERT INTO pactoria.contracts (company_id, title, contract_type) VALUES (:'company', 'Operator draft', 'nda');
SELECT pactoria.delete_contract((SELECT id FROM pactoria.contracts WHERE title = 'Operator draft'));
SELECT pg_catalog.count(*) FROM pactoria.verify_audit_log(:'company');
SELECT pg_catalog.count(*) FROM pactoria.audit_chain_head(:'company');
COMMIT;
SELECT pactoria.set_context(:'company', :'user_id', false);
SELECT pactoria.clear_context();
SELECT 'HOSTILE_DONE';
