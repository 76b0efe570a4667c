-- issue 12, C side: the audit trigger fires only on pactoria's tables and on the
-- tables enable_audit() registered (pactoria.audited_tables, written only by a
-- trusted role); every entry of pactoria.audit_logs, at any chain position, must
-- come from pactoria's writer (pactoria.audit_check_entry()).  The rest of the
-- hardening (table, tenant and type checks in every C trigger, qualified SPI
-- queries) is in the library and needs no SQL.

CREATE TABLE pactoria.audited_tables (
	table_name regclass NOT NULL,
	tenant_column name NOT NULL,
	CONSTRAINT audited_tables_pkey PRIMARY KEY (table_name)
);

COMMENT ON TABLE pactoria.audited_tables IS
'Tables outside schema pactoria audited by pactoria.enable_audit(), with their tenant columns: the only ones pactoria.audit_trigger() writes entries for.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.audited_tables', '');

-- The tables outside schema pactoria already audited in 0.1.0 (their triggers
-- call pactoria.audit_trigger with enable_audit's names), temporary ones excepted.
INSERT INTO pactoria.audited_tables (table_name, tenant_column)
SELECT DISTINCT ON (t.tgrelid) t.tgrelid::regclass,
	   pg_catalog.convert_from(pg_catalog.substring(t.tgargs, 1, pg_catalog.position(t.tgargs, '\x00'::bytea) - 1), 'UTF8')::name
FROM pg_catalog.pg_trigger AS t
JOIN pg_catalog.pg_class AS c ON c.oid = t.tgrelid
WHERE t.tgfoid = 'pactoria.audit_trigger()'::regprocedure
  AND t.tgnargs = 1 AND NOT t.tgisinternal
  AND c.relnamespace <> 'pactoria'::regnamespace AND c.relpersistence <> 't'
  AND t.tgname LIKE 'trg\_%\_audit\_%'
ORDER BY t.tgrelid, t.tgname;

CREATE FUNCTION pactoria.audit_check_entry()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_audit_check_entry'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.audit_check_entry() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_check_entry() IS
'BEFORE INSERT row trigger of pactoria.audit_logs (and so of every partition): refuses every entry, at any chain position, that pactoria''s audit writer is not inserting itself.';

CREATE TRIGGER trg_audit_logs_check_entry
	BEFORE INSERT ON pactoria.audit_logs
	FOR EACH ROW EXECUTE FUNCTION pactoria.audit_check_entry();

