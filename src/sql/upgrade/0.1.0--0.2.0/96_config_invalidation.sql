
-- 96_config_invalidation.sql: 0.1.0 invalidated system_config's relcache entry
-- (and with it every configuration cache in every backend) after every
-- statement on system_config.  Now only a row whose key a cache reads does
-- (pactoria_config_key_is_cached in trigger_guard.c), and a TRUNCATE.  The
-- triggers hold no data: the statement trigger is narrowed to TRUNCATE and a row
-- trigger is added.
DROP TRIGGER trg_system_config_reload_audit_settings ON pactoria.system_config;
CREATE TRIGGER trg_system_config_reload_settings
	AFTER INSERT OR UPDATE OR DELETE ON pactoria.system_config
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.audit_settings_changed();
CREATE TRIGGER trg_system_config_reload_audit_settings
	AFTER TRUNCATE ON pactoria.system_config
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_settings_changed();

COMMENT ON FUNCTION pactoria.audit_settings_changed() IS
'AFTER trigger of pactoria.system_config: a change of a key that a cache reads (audit column settings, session idle timeout), or a TRUNCATE, makes every session re-read it.';
