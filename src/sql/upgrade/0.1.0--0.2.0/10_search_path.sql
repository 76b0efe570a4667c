
-- 10_search_path.sql: every function that pins its search_path puts pg_temp
-- explicitly last, so that a caller's temporary schema can never shadow a type,
-- table, function or operator name inside it (PostgreSQL otherwise searches
-- pg_temp first when it is not listed).
ALTER FUNCTION pactoria.audit_chain_head(uuid) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.audit_checkpoint(regclass) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.audit_columns(regclass) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.calculate_extraction_accuracy(uuid) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.check_audit_settings() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.check_contract_template() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.check_metric(text,double precision,text,jsonb,timestamp with time zone) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.check_partition_config_setting() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.check_partition_settings(interval,integer,interval,text) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.check_system_config_value() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.choose_partition_name(regclass,text) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.cleanup_expired_sessions(timestamp with time zone) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.clear_context() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.contract_history(uuid) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.contract_version(uuid,integer) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.count_active_users() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.create_company(text,text,text,text,text,text,text,text,text) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.current_contract_version(uuid) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.daily_extraction_stats(date,date) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.diff_contract_versions(uuid,integer,integer) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.enable_audit(regclass,name) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.enable_tenant_isolation(regclass) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.expire_contracts(timestamp with time zone) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.fill_compliance_scores() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.find_login(text) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.find_session(bytea) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.forget_dropped_partitioned_tables() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.get_config(text) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.grant_application_access(regrole) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.prepare_audit_partition(regclass) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.prepare_new_audit_partitions() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.record_metric(text,double precision,text,jsonb,timestamp with time zone) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.refresh_extraction_metrics(date) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.refuse_audit_change() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.refuse_company_change() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.register_partitioned_table(regclass,interval,integer,interval,text,regprocedure) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.restore_contract_version(uuid,integer,text) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.run_maintenance(regclass,timestamp with time zone) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.set_company_max_users() SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.set_context(uuid,uuid,boolean) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.tier_max_users(text) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.unregister_partitioned_table(regclass) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.verify_audit_log(uuid,timestamp with time zone,timestamp with time zone) SET search_path = pg_catalog, pactoria, pg_temp;
ALTER FUNCTION pactoria.verify_data_integrity() SET search_path = pg_catalog, pactoria, pg_temp;
DO $$
BEGIN
	EXECUTE pg_catalog.format('ALTER FUNCTION pactoria.search_contracts(text, integer) SET search_path = pg_catalog, pactoria, %I, pg_temp',
							  (SELECT extnamespace::regnamespace::text FROM pg_catalog.pg_extension WHERE extname = 'pg_trgm'));
END
$$;
