
-- 15_config.sql: system configuration.
--
-- Two tables, so that pg_dump keeps every value a user set and a restore never
-- collides with what the install script ships:
--   system_config_defaults  shipped with the extension (filled by this script and
--                           later ones), never dumped, re-created by CREATE EXTENSION;
--   system_config           the values a deployment sets, dumped with its data.
-- pactoria.get_config(key) reads the set value or else the default.

CREATE TABLE pactoria.system_config_defaults (
	key text NOT NULL,
	value jsonb NOT NULL,
	description text NOT NULL,
	CONSTRAINT system_config_defaults_pkey PRIMARY KEY (key),
	CONSTRAINT chk_system_config_defaults_key CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' AND length(key) <= 100)
);

COMMENT ON TABLE pactoria.system_config_defaults IS
'Default value of every configuration key, shipped with the extension; override a key in pactoria.system_config.';

CREATE TABLE pactoria.system_config (
	key text NOT NULL,
	value jsonb NOT NULL,
	description text,
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT system_config_pkey PRIMARY KEY (key),
	CONSTRAINT system_config_key_fkey FOREIGN KEY (key) REFERENCES pactoria.system_config_defaults (key),
	CONSTRAINT chk_system_config_description CHECK (length(description) <= 1000)
);

COMMENT ON TABLE pactoria.system_config IS
'Configuration values set for this deployment; a key absent here takes its value from pactoria.system_config_defaults.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.system_config', '');

CREATE TRIGGER trg_system_config_set_updated_at
	BEFORE UPDATE ON pactoria.system_config
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at();

-- A value set for a key must have the JSON type of its default (an object stays
-- an object, a number a number), so the functions reading it can rely on it.
CREATE FUNCTION pactoria.check_system_config_value()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	expected_type text;
BEGIN
	SELECT jsonb_typeof(value) INTO expected_type
	FROM pactoria.system_config_defaults WHERE key = NEW.key;
	IF expected_type IS NOT NULL AND jsonb_typeof(NEW.value) IS DISTINCT FROM expected_type THEN
		RAISE EXCEPTION 'configuration value for "%" must be a JSON %, not %', NEW.key, expected_type, jsonb_typeof(NEW.value)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = format('The default is %s.', (SELECT value FROM pactoria.system_config_defaults WHERE key = NEW.key));
	END IF;
	RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.check_system_config_value() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.check_system_config_value() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_config: the value must have the JSON type of the key''s default.';

CREATE TRIGGER trg_system_config_check_value
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_system_config_value();

CREATE FUNCTION pactoria.get_config(config_key text)
RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	result jsonb;
BEGIN
	SELECT coalesce(s.value, d.value) INTO result
	FROM pactoria.system_config_defaults AS d
	LEFT JOIN pactoria.system_config AS s ON s.key = d.key
	WHERE d.key = config_key;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown configuration key "%"', pactoria.quote_prefix(config_key)
			USING ERRCODE = 'undefined_object',
				  HINT = 'The keys are listed in pactoria.system_config_defaults.';
	END IF;
	RETURN result;
END
$$;

COMMENT ON FUNCTION pactoria.get_config(text) IS
'Value of a configuration key: the one set in pactoria.system_config, else the shipped default; unknown keys are an error.';

CREATE VIEW pactoria.effective_config
WITH (security_invoker = true) AS
SELECT d.key,
	   coalesce(s.value, d.value) AS value,
	   s.key IS NULL AS is_default,
	   d.value AS default_value,
	   d.description,
	   s.description AS change_note,
	   s.updated_at
FROM pactoria.system_config_defaults AS d
LEFT JOIN pactoria.system_config AS s ON s.key = d.key;

COMMENT ON VIEW pactoria.effective_config IS
'Every configuration key with the value in force, whether it is the default, and why it was changed.';

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('subscription_tier_max_users', '{"starter": 5, "professional": 25, "business": 100}',
	 'Active users a company may have on each subscription tier; companies.max_users takes it when the company is created or changes tier.');
