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

CREATE OR REPLACE FUNCTION pactoria.enable_audit(table_name regclass, tenant_column name DEFAULT 'company_id')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	relation_name name;
	required_column name;
	prefix text;
BEGIN
	IF table_name IS NULL OR tenant_column IS NULL THEN
		RAISE EXCEPTION 'table_name and tenant_column must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT c.relname INTO relation_name FROM pg_class AS c WHERE c.oid = table_name;
	FOREACH required_column IN ARRAY ARRAY[tenant_column, 'id'::name] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_attribute AS a JOIN pg_type AS t ON t.oid = a.atttypid
					   WHERE a.attrelid = table_name AND a.attname = required_column AND NOT a.attisdropped
						 AND coalesce(nullif(t.typbasetype, 0), t.oid) = 'uuid'::regtype) THEN
			RAISE EXCEPTION 'table % has no column % of type uuid', table_name, required_column
				USING ERRCODE = 'undefined_column',
					  HINT = 'An audited table needs its tenant column (company_id unless named) and an id column, both uuid.';
		END IF;
	END LOOP;

	IF (SELECT c.relpersistence FROM pg_class AS c WHERE c.oid = table_name) = 't' THEN
		RAISE EXCEPTION 'temporary table % cannot be audited', table_name
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The audit trail records the tables of the data model and the application''s own tables, not temporary ones.';
	END IF;
	IF (SELECT c.relnamespace FROM pg_class AS c WHERE c.oid = table_name) <> 'pactoria'::regnamespace THEN
		INSERT INTO pactoria.audited_tables AS a (table_name, tenant_column)
		VALUES (enable_audit.table_name, enable_audit.tenant_column)
		ON CONFLICT ON CONSTRAINT audited_tables_pkey DO UPDATE SET tenant_column = excluded.tenant_column;
	END IF;

	prefix := 'trg_' || left(relation_name, 40) || '_audit_';
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'insert', table_name, tenant_column);
	EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'update', table_name, tenant_column);
	EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'delete', table_name, tenant_column);
END
$$;

