
-- 60_restore.sql: a restore needs no option (issue 14).  Every row-level trigger
-- of pactoria firing on INSERT, and the audit triggers' INSERT, get WHEN (NOT
-- pactoria.restore_in_progress()); the event trigger preparing audit partitions
-- does nothing during a restore.  Triggers hold no data and no grants: each is
-- dropped and made again under its name, so the firing order (by name) stays.

CREATE FUNCTION pactoria.restore_in_progress()
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_restore_in_progress'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION pactoria.restore_in_progress() IS
'Whether the statement running is a restore''s data load: a COPY ... FROM sent by a superuser or the owner of pactoria with row_security and check_function_bodies off, as pg_dump''s script and pg_restore do.  pactoria''s INSERT triggers do not fire then.';

DROP TRIGGER trg_system_config_check_value ON pactoria.system_config;
CREATE TRIGGER trg_system_config_check_value
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_system_config_value();

DROP TRIGGER trg_contracts_check_template ON pactoria.contracts;
CREATE TRIGGER trg_contracts_check_template
	BEFORE INSERT OR UPDATE OF template_id ON pactoria.contracts
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_contract_template();

DROP TRIGGER trg_companies_set_max_users ON pactoria.companies;
CREATE TRIGGER trg_companies_set_max_users
	BEFORE INSERT OR UPDATE OF subscription_tier, max_users ON pactoria.companies
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.set_company_max_users();

DROP TRIGGER trg_users_count_active_users ON pactoria.users;
CREATE TRIGGER trg_users_count_active_users
	AFTER INSERT OR UPDATE OF is_active OR DELETE ON pactoria.users
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.count_active_users();

DROP TRIGGER trg_users_guard_roles ON pactoria.users;
CREATE TRIGGER trg_users_guard_roles
	BEFORE INSERT OR DELETE ON pactoria.users
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.guard_user_roles();

DROP TRIGGER trg_system_config_check_partition_setting ON pactoria.system_config;
CREATE TRIGGER trg_system_config_check_partition_setting
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW WHEN (NEW.key LIKE 'partition.%' AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_partition_config_setting();

DROP TRIGGER trg_system_metrics_check_time ON pactoria.system_metrics;
CREATE TRIGGER trg_system_metrics_check_time
	BEFORE INSERT OR UPDATE OF recorded_at ON pactoria.system_metrics
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_metric_time();

DROP TRIGGER trg_audit_logs_seal ON pactoria.audit_logs;
CREATE CONSTRAINT TRIGGER trg_audit_logs_seal
	AFTER INSERT ON pactoria.audit_logs
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (NEW.chain_position = 1 AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.audit_seal();

DROP TRIGGER trg_audit_logs_check_entry ON pactoria.audit_logs;
CREATE TRIGGER trg_audit_logs_check_entry
	BEFORE INSERT ON pactoria.audit_logs
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.audit_check_entry();

DROP TRIGGER trg_system_config_check_audit_settings ON pactoria.system_config;
CREATE TRIGGER trg_system_config_check_audit_settings
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW WHEN (NEW.key LIKE 'audit.%' AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_audit_settings();

DROP TRIGGER trg_contracts_enforce_lifecycle ON pactoria.contracts;
CREATE TRIGGER trg_contracts_enforce_lifecycle
	BEFORE INSERT OR UPDATE OR DELETE ON pactoria.contracts
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.enforce_contract_lifecycle();

DROP TRIGGER trg_contracts_record_first_version ON pactoria.contracts;
CREATE TRIGGER trg_contracts_record_first_version
	AFTER INSERT ON pactoria.contracts
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.record_contract_version();

DROP TRIGGER trg_contract_versions_guard_history ON pactoria.contract_versions;
CREATE TRIGGER trg_contract_versions_guard_history
	BEFORE INSERT OR UPDATE OR DELETE ON pactoria.contract_versions
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.guard_contract_history();

DROP TRIGGER trg_contracts_record_submission ON pactoria.contracts;
CREATE TRIGGER trg_contracts_record_submission
	BEFORE INSERT ON pactoria.contracts
	FOR EACH ROW WHEN (NEW.submitted_for_review_at IS NOT NULL AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.record_contract_submission();

DROP TRIGGER trg_system_config_validate_scoring ON pactoria.system_config;
CREATE TRIGGER trg_system_config_validate_scoring
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW
	WHEN (NEW.key IN ('risk_level_bands', 'risk_review_days', 'compliance_threshold',
					  'compliance_area_weights', 'extraction_metrics_time_zone')
		  AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_scoring_config();

DROP TRIGGER trg_risk_assessments_derive_level_and_review ON pactoria.risk_assessments;
CREATE TRIGGER trg_risk_assessments_derive_level_and_review
	BEFORE INSERT OR UPDATE OF likelihood, impact, risk_level, last_review_date, next_review_date
	ON pactoria.risk_assessments
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.derive_risk_level_and_review();

DROP TRIGGER trg_compliance_scores_fill_scores ON pactoria.compliance_scores;
CREATE TRIGGER trg_compliance_scores_fill_scores
	BEFORE INSERT OR UPDATE ON pactoria.compliance_scores
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.fill_compliance_scores();

-- enable_audit() as installed now (its audited_tables registry of 30_c_hardening
-- and the INSERT audit trigger with the WHEN clause); the event
-- trigger does nothing during a restore.
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
				   ' FOR EACH STATEMENT WHEN (NOT pactoria.restore_in_progress())'
				   ' EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'insert', table_name, tenant_column);
	EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'update', table_name, tenant_column);
	EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
				   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_trigger(%L)',
				   prefix || 'delete', table_name, tenant_column);
END
$$;

CREATE OR REPLACE FUNCTION pactoria.prepare_new_audit_partitions()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	audit_logs regclass := to_regclass('pactoria.audit_logs');
	partition regclass;
BEGIN
	IF pactoria.restore_in_progress() THEN
		RETURN;
	END IF;
	IF audit_logs IS NULL OR NOT EXISTS (
		SELECT 1 FROM pg_event_trigger_ddl_commands() AS command
		WHERE command.classid = 'pg_class'::regclass
		  AND command.objid IN (SELECT tree.relid FROM pg_partition_tree(audit_logs) AS tree)) THEN
		RETURN;
	END IF;
	FOR partition IN SELECT tree.relid FROM pg_partition_tree(audit_logs) AS tree WHERE tree.isleaf LOOP
		PERFORM pactoria.prepare_audit_partition(partition);
	END LOOP;
END
$$;

-- The INSERT audit trigger of every audited table, pactoria's and the
-- application's, as enable_audit() now makes it.
DO $$
DECLARE
	audit_trigger record;
BEGIN
	FOR audit_trigger IN
		SELECT t.tgrelid::regclass AS table_name, t.tgname, pg_catalog.pg_get_triggerdef(t.oid) AS definition
		FROM pg_catalog.pg_trigger AS t
		WHERE t.tgfoid = 'pactoria.audit_trigger()'::regprocedure AND NOT t.tgisinternal AND t.tgparentid = 0
		  AND t.tgtype::integer & 4 = 4
	LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', audit_trigger.tgname, audit_trigger.table_name);
		EXECUTE replace(audit_trigger.definition, ' FOR EACH STATEMENT EXECUTE FUNCTION ',
						' FOR EACH STATEMENT WHEN (NOT pactoria.restore_in_progress()) EXECUTE FUNCTION ');
	END LOOP;
END
$$;
