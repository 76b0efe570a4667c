-- Calls every C function of pactoria 0.1.0 once, through 0.1.0's own SQL objects,
-- while the library in $libdir is the new one (between make install and ALTER
-- EXTENSION UPDATE).  Run by 14_c_symbols.sh as a superuser, with
-- track_functions = 'all' so that pg_stat_user_functions counts each call; it
-- stops at the first error.  Trigger functions fire through the demo fixture,
-- loaded before this script in the same session; type input and receive
-- functions leave their normalised values in public.c_symbols_io, the aggregate
-- its results in public.c_symbols_aggregate, which the test reads, and
-- public.c_symbols_session the session's process, whose exit flushes its counts.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

BEGIN;
SELECT pactoria.set_context(c.id, u.id)
FROM pactoria.companies AS c JOIN pactoria.users AS u ON u.company_id = c.id AND u.role = 'admin'
WHERE c.name = 'Northwind Legal Ltd';
SELECT pactoria.current_company_id() IS NOT NULL AS company,
	   pactoria.current_user_id() IS NOT NULL AS "user",
	   pactoria.require_company_id() IS NOT NULL AS required;
SELECT pactoria.log_event('export', 'contract', NULL, '{"format": "pdf"}') IS NOT NULL AS logged;
SELECT pactoria.set_change_summary('c_symbols: a content change');
UPDATE pactoria.contracts SET generated_content = coalesce(generated_content, '') || E'\nc_symbols'
WHERE id = (SELECT id FROM pactoria.contracts
			WHERE company_id = pactoria.current_company_id() AND status = 'draft'
			ORDER BY created_at, id LIMIT 1);
SELECT pactoria.delete_contract(id) FROM pactoria.contracts
WHERE company_id = pactoria.current_company_id() AND status = 'draft'
ORDER BY created_at DESC, id LIMIT 1;
COMMIT;

-- Configuration: the audit settings' reload and the scoring settings' check.
INSERT INTO pactoria.system_config (key, value)
SELECT key, value FROM pactoria.system_config_defaults
WHERE key IN ('audit.ignored_columns', 'risk_review_days')
ON CONFLICT (key) DO UPDATE SET value = excluded.value;

SELECT pactoria.version() IS NOT NULL AS version,
	   pactoria.uuid_v7_time(pactoria.uuid_generate_v7()) IS NOT NULL AS uuid_time,
	   pactoria.validate_uk_company_number('SC412345') AS company_number,
	   pactoria.normalise_uk_company_number('sc412345')::text AS normalised_company_number,
	   pactoria.validate_uk_postcode('EC4Y 1AA') AS postcode,
	   pactoria.normalise_uk_postcode('ec4y1aa')::text AS normalised_postcode,
	   pactoria.validate_uk_vat_number('GB980780684') AS vat,
	   pactoria.normalise_uk_vat_number('gb 980 7806 84')::text AS normalised_vat;
SELECT * FROM pactoria.uk_company_number_info('SC412345');
SELECT * FROM pactoria.uk_postcode_parts('EC4Y 1AA');
SELECT pactoria.calculate_risk_score(3, 4) AS risk_score, pactoria.risk_level(12) AS risk_level,
	   pactoria.risk_review_days('high') AS review_days,
	   pactoria.contract_risk_score('[{"severity": "high", "weight": 1}, {"severity": "low", "weight": 2}]') AS contract_risk,
	   pactoria.overall_compliance_score(0.8, 0.7, 0.9, 0.6, NULL) AS compliance,
	   pactoria.is_compliant(0.75) AS compliant;
SELECT count(*) AS diff_lines FROM pactoria.diff_text(E'a\nb', E'a\nc');
SELECT count(h.hash) AS chain_hashes FROM (
	SELECT pactoria.audit_chain_hash(pg_catalog.decode(repeat('00', 32), 'hex'), a) AS hash FROM pactoria.audit_logs AS a LIMIT 3) AS h;

-- The extraction-accuracy aggregate, once serially and once in parallel with the
-- leader not participating, so that its serialize, deserialize and combine
-- functions run too.  PostgreSQL does not count aggregate support functions in
-- pg_stat_user_functions: public.c_symbols_aggregate keeps both results and the
-- parallel plan as it ran, for the test to compare.
CREATE TABLE public.c_symbols_fields (correction_type text, confidence numeric);
INSERT INTO public.c_symbols_fields
SELECT (ARRAY[NULL, 'wrong_value', 'missing', 'not_in_document'])[1 + i % 4], i % 101
FROM generate_series(1, 20000) AS i;
ANALYZE public.c_symbols_fields;
CREATE TABLE public.c_symbols_aggregate (run text PRIMARY KEY, result text, plan json);
INSERT INTO public.c_symbols_aggregate (run, result)
SELECT 'serial', pactoria.extraction_accuracy(correction_type, confidence)::text
FROM public.c_symbols_fields;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
DO $$
DECLARE
	query constant text := 'SELECT pactoria.extraction_accuracy(correction_type, confidence)::text '
						   'FROM public.c_symbols_fields';
	plan json;
	result text;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || query INTO plan;
	EXECUTE query INTO result;
	INSERT INTO public.c_symbols_aggregate VALUES ('parallel', result, plan);
END $$;
RESET ALL;

-- The before-removal hook of partition maintenance, on a partition of the audit log.
CREATE FUNCTION public.c_symbols_before_removal(partition regclass) RETURNS void
LANGUAGE sql AS $$ SELECT NULL::void $$;
SELECT pactoria.call_before_removal('public.c_symbols_before_removal(regclass)'::regprocedure, b.partition_table)
FROM pactoria.partition_bounds('pactoria.audit_logs') AS b WHERE NOT b.is_default LIMIT 1;

-- Type input (text form) and binary receive functions: typed values, normalised.
CREATE TABLE public.c_symbols_io (kind text, company_number pactoria.uk_company_number,
								  postcode pactoria.uk_postcode, vat_number pactoria.uk_vat_number);
INSERT INTO public.c_symbols_io VALUES ('text', 'sc412345', 'ec4y1aa', 'gb980780684');
DO $$
DECLARE
	file text := pg_catalog.current_setting('data_directory') || '/c_symbols_io.bin';
BEGIN
	EXECUTE format('COPY (SELECT %L, %L::text, %L::text, %L::text) TO %L (FORMAT binary)',
				   'binary', 'sc412345', 'ec4y1aa', 'gb980780684', file);
	EXECUTE format('COPY public.c_symbols_io FROM %L (FORMAT binary)', file);
END $$;
CREATE TABLE public.c_symbols_session AS SELECT pg_catalog.pg_backend_pid() AS pid;
