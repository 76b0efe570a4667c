
-- 40_bounds.sql: bounded work per tenant (issue 12).
--  * pactoria.quote_prefix(text): messages quote at most 64 characters of a value;
--    the functions whose messages quoted caller input whole are replaced.
--  * metric times within metrics.max_future / metrics.max_past of now()
--    (trigger trg_system_metrics_check_time).
--  * run_maintenance() makes partitions only within partition.max_future_partitions
--    beyond premake and back to the retention cutoff (or partition.max_past_partitions).
--    Its work moves into the new pactoria.maintenance_steps(), whose report has the
--    rows each step moved as a number (rows_moved) for the background worker;
--    run_maintenance() becomes that report without the column (CREATE OR REPLACE,
--    so its grants stay; maintenance_steps() runs for whoever may execute it).
--  * choose_partition_name() always ends; length limits on stored free text.
CREATE FUNCTION pactoria.quote_prefix(value text)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_quote_prefix_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.quote_prefix(text) IS
'What an error message quotes of a value: the value when it has at most 64 characters, else its first 64 characters and "... (N characters)".';

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('partition.max_future_partitions', '12',
	 'How many partitions beyond premake run_maintenance() may make for rows dated ahead; rows dated later stay in the default partition (reported skipped).'),
	('partition.max_past_partitions', '120',
	 'How many partitions back from the current one run_maintenance() may make for old rows (then removed by retention if past it); older rows stay in the default partition (reported skipped).');

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('metrics.max_future', '"1 day"',
	 'How far ahead of now() a metric''s recorded_at may be (an interval); later times are refused (22008).'),
	('metrics.max_past', '"31 days"',
	 'How far before now() a metric''s recorded_at may be (an interval); earlier times are refused (22008).');

CREATE OR REPLACE FUNCTION pactoria.get_config(config_key text)
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

CREATE OR REPLACE FUNCTION pactoria.tier_max_users(subscription_tier text)
RETURNS integer
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	limits jsonb := pactoria.get_config('subscription_tier_max_users');
BEGIN
	IF jsonb_typeof(limits -> subscription_tier) IS DISTINCT FROM 'number' THEN
		RAISE EXCEPTION 'no user limit is configured for subscription tier "%"', pactoria.quote_prefix(subscription_tier)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Set it in pactoria.system_config, key subscription_tier_max_users.';
	END IF;
	RETURN (limits ->> subscription_tier)::integer;
END
$$;

-- pactoria.count_active_users(): restated by 99_seat_counter.sql.

CREATE OR REPLACE FUNCTION pactoria.create_company(
	company_name text,
	admin_email text,
	admin_full_name text,
	admin_hashed_password text DEFAULT NULL,
	subscription_tier text DEFAULT 'starter',
	registration_number text DEFAULT NULL,
	vat_number text DEFAULT NULL,
	address text DEFAULT NULL,
	postcode text DEFAULT NULL,
	OUT company_id uuid,
	OUT user_id uuid)
RETURNS record
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	bad_name text;
	bad_name_length integer;
BEGIN
	IF company_name IS NULL OR admin_email IS NULL OR admin_full_name IS NULL
	   OR create_company.subscription_tier IS NULL THEN
		RAISE EXCEPTION '% must not be NULL',
			CASE WHEN company_name IS NULL THEN 'company_name' WHEN admin_email IS NULL THEN 'admin_email'
				 WHEN admin_full_name IS NULL THEN 'admin_full_name' ELSE 'subscription_tier' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT n.label, length(btrim(n.value)) INTO bad_name, bad_name_length
	FROM (VALUES ('company name', company_name), ('administrator name', admin_full_name)) AS n (label, value)
	WHERE length(btrim(n.value)) NOT BETWEEN 1 AND 200
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION '% has % characters, not 1 to 200', bad_name, bad_name_length
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Surrounding spaces are not counted, and are removed.';
	END IF;
	IF length(admin_email) > 254 THEN
		RAISE EXCEPTION 'e-mail address has % characters, more than 254', length(admin_email)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT pactoria.is_valid_email(admin_email) THEN
		RAISE EXCEPTION 'invalid e-mail address "%"', pactoria.quote_prefix(admin_email)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An e-mail address is local@domain.tld in ASCII, with no two dots in a row.';
	END IF;
	IF length(admin_hashed_password) NOT BETWEEN 20 AND 500 THEN
		RAISE EXCEPTION 'administrator password hash has % characters, not 20 to 500', length(admin_hashed_password)
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Pass a password hash, such as crypt(password, gen_salt(''bf'')) of pgcrypto, never the password itself.';
	END IF;
	IF EXISTS (SELECT 1 FROM pactoria.users AS u WHERE lower(u.email) = lower(admin_email)) THEN
		RAISE EXCEPTION 'e-mail address "%" is already in use', pactoria.quote_prefix(admin_email)
			USING ERRCODE = 'unique_violation',
				  DETAIL = 'E-mail addresses are unique across all companies.';
	END IF;

	INSERT INTO pactoria.companies (name, subscription_tier, registration_number, vat_number, address, postcode)
	VALUES (btrim(company_name), create_company.subscription_tier, create_company.registration_number,
			create_company.vat_number, create_company.address, create_company.postcode)
	RETURNING id INTO create_company.company_id;

	INSERT INTO pactoria.users (company_id, email, full_name, hashed_password, role)
	VALUES (create_company.company_id, admin_email, btrim(admin_full_name), admin_hashed_password, 'admin')
	RETURNING id INTO create_company.user_id;
END
$$;

CREATE OR REPLACE FUNCTION pactoria.check_audit_settings()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF NEW.key IN ('audit.ignored_columns', 'audit.redacted_columns', 'audit.personal_columns') THEN
		IF jsonb_typeof(NEW.value) <> 'object' OR EXISTS (
			SELECT 1 FROM jsonb_each(NEW.value) AS setting
			WHERE (setting.key <> '*' AND setting.key !~ '^[^.]+\.[^.]+$')
			   OR jsonb_typeof(setting.value) <> 'array'
			   OR EXISTS (SELECT 1 FROM jsonb_array_elements(setting.value) AS element
						  WHERE jsonb_typeof(element) <> 'string')) THEN
			RAISE EXCEPTION 'invalid value for "%": %', NEW.key, pactoria.quote_prefix(NEW.value::text)
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'The value is an object mapping "*" or "schema.table" to an array of column names.',
					  HINT = 'For example {"*": ["updated_at"], "public.invoices": ["printed_at"]}.';
		END IF;
	ELSIF NEW.key = 'audit.event_types' THEN
		IF jsonb_typeof(NEW.value) <> 'array' OR EXISTS (
			SELECT 1 FROM jsonb_array_elements(NEW.value) AS element
			WHERE jsonb_typeof(element) <> 'string'
			   OR NOT pactoria.is_valid_identifier(element #>> '{}')
			   OR element #>> '{}' IN ('create', 'update', 'delete', 'commit')) THEN
			RAISE EXCEPTION 'invalid value for "audit.event_types": %', pactoria.quote_prefix(NEW.value::text)
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'The value is an array of lower-case identifiers; create, update, delete and commit are reserved.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION pactoria.choose_partition_name(parent regclass, suffix text)
RETURNS name
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	parent_name text;
	parent_schema oid;
	ending text;
	candidate text;
BEGIN
	SELECT relname, relnamespace INTO parent_name, parent_schema FROM pg_class WHERE oid = parent;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'relation with OID % does not exist', parent::oid USING ERRCODE = 'undefined_table';
	END IF;
	-- The suffix (with room for _1000) must leave at least one byte of the parent's name.
	IF octet_length(suffix) NOT BETWEEN 1 AND 40 THEN
		RAISE EXCEPTION 'partition name suffix has % bytes, not 1 to 40', octet_length(suffix)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('The suffix was "%s".', pactoria.quote_prefix(suffix));
	END IF;
	FOR attempt IN 1..1000 LOOP
		ending := suffix || CASE WHEN attempt > 1 THEN '_' || attempt ELSE '' END;
		candidate := parent_name;
		-- Each pass removes one character, and the loop ends at the empty string.
		WHILE candidate <> '' AND octet_length(candidate || ending) > 60 LOOP
			candidate := left(candidate, -1);
		END LOOP;
		IF candidate <> parent_name THEN
			candidate := rtrim(candidate, '_');
		END IF;
		candidate := candidate || ending;
		IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = candidate AND relnamespace = parent_schema) THEN
			RETURN candidate;
		END IF;
	END LOOP;
	RAISE EXCEPTION 'no free name for a new partition of table %', parent
		USING ERRCODE = 'duplicate_table',
			  DETAIL = format('Names %s ... %s are all taken.', parent_name || suffix, candidate);
END
$$;

CREATE OR REPLACE FUNCTION pactoria.check_partition_settings(partition_interval interval, premake integer,
												  retention interval, retention_action text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	months numeric := extract(year FROM partition_interval) * 12 + extract(month FROM partition_interval);
	days numeric := extract(day FROM partition_interval);
BEGIN
	IF partition_interval IS NULL THEN
		RAISE EXCEPTION 'partition interval must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF date_trunc('day', partition_interval) <> partition_interval
	   OR NOT ((months IN (1, 2, 3, 4, 6, 12) AND days = 0) OR (months = 0 AND days IN (1, 7))) THEN
		RAISE EXCEPTION 'invalid partition interval "%"', partition_interval
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A partition covers 1 day, 1 week, or 1, 2, 3, 4, 6 or 12 months.';
	END IF;
	IF premake IS NULL THEN
		RAISE EXCEPTION 'premake must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF premake NOT BETWEEN 0 AND 1000 THEN
		RAISE EXCEPTION 'invalid premake %', premake
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'premake is how many partitions are made ahead of the current one: 0 to 1000.';
	END IF;
	IF retention <= interval '0' THEN
		RAISE EXCEPTION 'invalid retention "%"', retention
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Retention is a positive interval, or NULL to keep every partition.';
	END IF;
	IF retention_action IS NULL OR retention_action NOT IN ('drop', 'detach') THEN
		RAISE EXCEPTION 'invalid retention action "%"', pactoria.quote_prefix(coalesce(retention_action, 'NULL'))
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A partition past retention is either dropped (drop) or detached and kept as a table (detach).';
	END IF;
	RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION pactoria.check_partition_config_setting()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	setting text := split_part(NEW.key, '.', 3);
	text_value text := NEW.value #>> '{}';
	retention interval;
BEGIN
	IF NEW.key IN ('partition.max_future_partitions', 'partition.max_past_partitions') THEN
		IF jsonb_typeof(NEW.value) <> 'number' OR NEW.value::numeric <> trunc(NEW.value::numeric)
		   OR NEW.value::numeric NOT BETWEEN 0 AND 1000 THEN
			RAISE EXCEPTION 'invalid value % for "%"', pactoria.quote_prefix(NEW.value::text), NEW.key
				USING ERRCODE = 'invalid_parameter_value', DETAIL = 'The value is a whole number of partitions from 0 to 1000.';
		END IF;
	ELSIF setting = 'premake' THEN
		IF jsonb_typeof(NEW.value) <> 'number' OR NEW.value::numeric <> trunc(NEW.value::numeric)
		   OR NEW.value::numeric NOT BETWEEN -2147483648 AND 2147483647 THEN
			RAISE EXCEPTION 'invalid premake % for "%"', pactoria.quote_prefix(NEW.value::text), NEW.key
				USING ERRCODE = 'invalid_parameter_value', DETAIL = 'premake is a whole number from 0 to 1000.';
		END IF;
		PERFORM pactoria.check_partition_settings('1 month', NEW.value::integer, NULL, 'drop');
	ELSIF setting = 'retention' THEN
		IF text_value IS DISTINCT FROM 'forever' THEN
			BEGIN
				retention := text_value::interval;
			EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
				RAISE EXCEPTION 'invalid retention % for "%"', pactoria.quote_prefix(NEW.value::text), NEW.key
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = 'Retention is an interval such as "25 months", or "forever".';
			END;
			IF retention IS NULL THEN
				RAISE EXCEPTION 'invalid retention % for "%"', pactoria.quote_prefix(NEW.value::text), NEW.key
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = 'Retention is an interval such as "25 months", or "forever".';
			END IF;
			PERFORM pactoria.check_partition_settings('1 month', 0, retention, 'drop');
		END IF;
	ELSIF setting = 'retention_action' THEN
		PERFORM pactoria.check_partition_settings('1 month', 0, NULL, text_value);
	END IF;
	RETURN NEW;
END
$$;

CREATE FUNCTION pactoria.maintenance_steps(p_parent regclass, p_now timestamptz)
RETURNS TABLE (parent_table regclass, partition_name text, action text, detail text, rows_moved bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
SET lock_timeout = '100ms'
AS $$
#variable_conflict use_column
DECLARE
	batch_size constant integer := 10000;
	parent regclass;
	settings record;
	parent_schema name;
	parent_owner oid;
	parent_tablespace name;
	key_column name;
	key_type regtype;
	key_as_utc text;
	column_list text;
	default_partition regclass;
	default_name text;
	now_utc timestamp := p_now AT TIME ZONE 'UTC';
	current_start timestamp;
	cutoff timestamp;
	covered tsmultirange;
	slots_with_rows timestamp[];
	stuck_rows bigint;
	piece record;
	old record;
	new_name name;
	lower_literal text;
	upper_literal text;
	has_rows boolean;
	moved bigint;
	batch bigint;
	replication_role text;
	max_future_partitions integer;
	max_past_partitions integer;
	window_start timestamp;
	window_end timestamp;
	early_slots timestamp[];
	late_slots timestamp[];
	created_count integer;
	moved_count bigint;
	detached_count integer;
	dropped_count integer;
	skipped_count integer;
BEGIN
	IF NOT has_function_privilege('pactoria.run_maintenance(regclass, timestamptz)', 'EXECUTE') THEN
		RAISE EXCEPTION 'permission denied for function run_maintenance'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'pactoria.maintenance_steps() runs for a role that may execute pactoria.run_maintenance().';
	END IF;
	max_future_partitions := (pactoria.get_config('partition.max_future_partitions') #>> '{}')::integer;
	max_past_partitions := (pactoria.get_config('partition.max_past_partitions') #>> '{}')::integer;
	rows_moved := 0;
	IF p_now IS NULL OR NOT isfinite(p_now) THEN
		RAISE EXCEPTION 'maintenance time must be a finite timestamp, not %', coalesce(p_now::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pactoria.partition_config AS c WHERE c.parent_table = p_parent) THEN
		RAISE EXCEPTION 'table % is not registered for partition maintenance', p_parent
			USING ERRCODE = 'undefined_object',
				  HINT = 'Register it with pactoria.register_partitioned_table().';
	END IF;
	IF pg_is_in_recovery() THEN
		parent_table := p_parent;
		action := 'skipped';
		detail := 'The server is a standby (in recovery): maintenance runs on the primary, whose partitions reach the standby by replication.';
		RETURN NEXT;
		RETURN;
	END IF;
	IF NOT pg_try_advisory_xact_lock(hashtext('pactoria.run_maintenance')) THEN
		parent_table := p_parent;
		action := 'skipped';
		detail := 'Another run of pactoria.run_maintenance() is in progress in this database; this run did nothing.';
		RETURN NEXT;
		RETURN;
	END IF;

	FOR parent IN
		SELECT c.parent_table FROM pactoria.partition_config AS c
		WHERE p_parent IS NULL OR c.parent_table = p_parent
		ORDER BY c.parent_table::text
	LOOP
		created_count := 0;
		moved_count := 0;
		detached_count := 0;
		dropped_count := 0;
		skipped_count := 0;
		parent_table := parent;

		-- What the table is, what it has and what it needs.
		BEGIN
			SELECT * INTO STRICT settings FROM pactoria.partition_settings AS s WHERE s.parent_table = parent;
			SELECT n.nspname, c.relowner, t.spcname INTO STRICT parent_schema, parent_owner, parent_tablespace
			FROM pg_class AS c
			JOIN pg_namespace AS n ON n.oid = c.relnamespace
			LEFT JOIN pg_tablespace AS t ON t.oid = c.reltablespace
			WHERE c.oid = parent;
			SELECT coalesce(range_agg(tsrange(b.lower_bound, b.upper_bound)) FILTER (WHERE NOT b.is_default), '{}'),
				   (array_agg(b.partition_table) FILTER (WHERE b.is_default))[1]
			INTO STRICT covered, default_partition
			FROM pactoria.partition_bounds(parent) AS b;
			SELECT a.attname, a.atttypid::regtype INTO STRICT key_column, key_type
			FROM pg_partitioned_table AS p
			JOIN pg_attribute AS a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
			WHERE p.partrelid = parent;
			SELECT format('%I.%I', n.nspname, c.relname) INTO default_name
			FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
			WHERE c.oid = default_partition;
			key_as_utc := CASE key_type
				WHEN 'timestamptz'::regtype THEN format('(%I AT TIME ZONE ''UTC'')', key_column)
				WHEN 'date'::regtype THEN format('%I::timestamp', key_column)
				ELSE quote_ident(key_column) END;
			SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO column_list
			FROM pg_attribute AS a
			WHERE a.attrelid = parent AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';

			current_start := pactoria.partition_interval_start(now_utc, settings.partition_interval);
			cutoff := now_utc - settings.retention;
			slots_with_rows := NULL;
			stuck_rows := 0;
			IF default_partition IS NOT NULL THEN
				EXECUTE format('SELECT array_agg(DISTINCT pactoria.partition_interval_start(%1$s, $1)) FILTER (WHERE isfinite(%2$I)),'
							   ' count(*) FILTER (WHERE %2$I IS NULL OR NOT isfinite(%2$I)) FROM %3$s',
							   key_as_utc, key_column, default_partition)
					INTO slots_with_rows, stuck_rows USING settings.partition_interval;
			END IF;
			-- The window partitions are made for: from max_past_partitions intervals back
			-- to max_future_partitions
			-- intervals beyond premake.  Rows dated outside it stay in the default partition.
			window_end := current_start + (settings.premake + 1 + max_future_partitions) * settings.partition_interval;
			window_start := current_start - max_past_partitions * settings.partition_interval;
			SELECT array_agg(g ORDER BY g) FILTER (WHERE g < window_start),
				   array_agg(g ORDER BY g) FILTER (WHERE g >= window_end)
			INTO early_slots, late_slots
			FROM unnest(slots_with_rows) AS g;
			SELECT array_agg(g) INTO slots_with_rows
			FROM unnest(slots_with_rows) AS g
			WHERE g >= window_start AND g < window_end;
		EXCEPTION WHEN OTHERS THEN
			partition_name := NULL;
			action := 'skipped';
			detail := format('The table was not maintained: %s; it is tried again at the next run.',
							 pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
			RETURN NEXT;
			UPDATE pactoria.partition_config AS c
			SET last_run_at = now(),
				last_run_outcome = jsonb_build_object('created', 0, 'rows_moved', 0, 'detached', 0, 'dropped', 0, 'skipped', 1)
			WHERE c.parent_table = parent;
			CONTINUE;
		END;

		-- 1. Create: every range a slot needs that no partition covers, oldest first.
		FOR piece IN
			SELECT lower(p.range) AS lower_bound, upper(p.range) AS upper_bound
			FROM (SELECT g FROM generate_series(current_start, current_start + settings.premake * settings.partition_interval,
												settings.partition_interval) AS g
				  UNION
				  SELECT unnest(slots_with_rows)) AS slot(lower_bound),
				 unnest(tsmultirange(tsrange(slot.lower_bound, slot.lower_bound + settings.partition_interval)) - covered) AS p(range)
			ORDER BY 1
		LOOP
			lower_literal := pactoria.partition_bound_literal(piece.lower_bound, key_type);
			upper_literal := pactoria.partition_bound_literal(piece.upper_bound, key_type);
			BEGIN
				-- SHARE on the parent alone (not its partitions): an insert already routed
				-- to the default partition with the partitions of before the attach would
				-- fail PostgreSQL's re-check of the default's bounds; this makes writers
				-- wait (milliseconds) for the attach instead, and lets readers through.
				EXECUTE format('LOCK TABLE ONLY %s IN SHARE MODE', parent);
				IF default_partition IS NOT NULL THEN
					EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', default_partition);
				END IF;
				new_name := pactoria.choose_partition_name(parent,
					CASE WHEN settings.partition_interval >= interval '1 month' AND piece.lower_bound = date_trunc('month', piece.lower_bound)
						 THEN to_char(piece.lower_bound, '"_p"YYYY"_"MM')
						 ELSE to_char(piece.lower_bound, '"_p"YYYY"_"MM"_"DD') END);
				EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED'
							   ' INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMPRESSION)%s',
							   parent_schema, new_name, coalesce(default_partition, parent),
							   CASE WHEN parent_tablespace IS NOT NULL THEN format(' TABLESPACE %I', parent_tablespace) ELSE '' END);
				IF parent_owner <> (SELECT oid FROM pg_roles WHERE rolname = current_user) THEN
					EXECUTE format('ALTER TABLE %I.%I OWNER TO %s', parent_schema, new_name, parent_owner::regrole);
				END IF;
				-- Rows of the range in the default partition, looked for under its lock, so
				-- that none can arrive between the move and the attach.
				moved := 0;
				has_rows := false;
				IF default_partition IS NOT NULL THEN
					EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= %L AND %I < %L)',
								   default_partition, key_column, lower_literal, key_column, upper_literal)
						INTO has_rows;
				END IF;
				IF has_rows THEN
					replication_role := current_setting('session_replication_role');
					PERFORM set_config('session_replication_role', 'replica', true);
					LOOP
						EXECUTE format('WITH moved AS (DELETE FROM %1$s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %1$s'
									   ' WHERE %2$I >= %3$L AND %2$I < %4$L LIMIT %5$s)) RETURNING %6$s)'
									   ' INSERT INTO %7$I.%8$I (%6$s) SELECT %6$s FROM moved',
									   default_partition, key_column, lower_literal, upper_literal, batch_size,
									   column_list, parent_schema, new_name);
						GET DIAGNOSTICS batch = ROW_COUNT;
						moved := moved + batch;
						EXIT WHEN batch < batch_size;
					END LOOP;
					PERFORM set_config('session_replication_role', replication_role, true);
				END IF;
				EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
							   parent, parent_schema, new_name, lower_literal, upper_literal);

				partition_name := format('%I.%I', parent_schema, new_name);
				action := 'created';
				detail := format('FOR VALUES FROM (%L) TO (%L)', lower_literal, upper_literal);
				RETURN NEXT;
				created_count := created_count + 1;
				IF moved > 0 THEN
					action := 'rows_moved';
					detail := format('%s rows moved from the default partition %s', moved, default_name);
					rows_moved := moved;
					RETURN NEXT;
					rows_moved := 0;
					moved_count := moved_count + moved;
				END IF;
			EXCEPTION WHEN OTHERS THEN
				partition_name := NULL;
				action := 'skipped';
				detail := format('Partition FOR VALUES FROM (%L) TO (%L) not created: %s; it is tried again at the next run.',
								 lower_literal, upper_literal, pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
				RETURN NEXT;
				skipped_count := skipped_count + 1;
			END;
		END LOOP;

		IF late_slots IS NOT NULL THEN
			partition_name := default_name;
			action := 'skipped';
			detail := format('Rows of %s %s intervals from %s to %s are dated more than %s intervals beyond premake (system_config partition.max_future_partitions): no partition is made for them, so they stay in the default partition.',
							 cardinality(late_slots), settings.partition_interval, late_slots[1], late_slots[cardinality(late_slots)],
							 max_future_partitions);
			RETURN NEXT;
			skipped_count := skipped_count + 1;
		END IF;
		IF early_slots IS NOT NULL THEN
			partition_name := default_name;
			action := 'skipped';
			detail := format('Rows of %s %s intervals from %s to %s are dated %s: no partition is made for them, so they stay in the default partition.',
							 cardinality(early_slots), settings.partition_interval, early_slots[1], early_slots[cardinality(early_slots)],
							 format('more than %s intervals back (system_config partition.max_past_partitions)', max_past_partitions));
			RETURN NEXT;
			skipped_count := skipped_count + 1;
		END IF;

		IF stuck_rows > 0 THEN
			partition_name := default_name;
			action := 'skipped';
			detail := format('%s rows of the default partition have a NULL or infinite %I: no range partition can hold them, so they stay there.',
							 stuck_rows, key_column);
			RETURN NEXT;
			skipped_count := skipped_count + 1;
		END IF;

		-- 2. Retention, by each partition's upper bound, oldest first.
		FOR old IN
			SELECT b.partition_table, b.upper_bound, format('%I.%I', n.nspname, c.relname) AS qualified_name
			FROM pactoria.partition_bounds(parent) AS b
			JOIN pg_class AS c ON c.oid = b.partition_table
			JOIN pg_namespace AS n ON n.oid = c.relnamespace
			WHERE NOT b.is_default AND b.upper_bound <= cutoff
			ORDER BY b.lower_bound NULLS FIRST
		LOOP
			BEGIN
				EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', parent);
				EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', old.partition_table);
				IF settings.before_removal IS NOT NULL THEN
					PERFORM pactoria.call_before_removal(settings.before_removal::regprocedure, old.partition_table);
				END IF;
				IF settings.retention_action = 'drop' THEN
					EXECUTE format('DROP TABLE %s', old.partition_table);
					action := 'dropped';
					dropped_count := dropped_count + 1;
				ELSE
					EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, old.partition_table);
					action := 'detached';
					detached_count := detached_count + 1;
				END IF;
				partition_name := old.qualified_name;
				detail := format('Upper bound %s is at or before the retention cutoff %s (retention %s).',
								 old.upper_bound, cutoff, settings.retention);
				RETURN NEXT;
			EXCEPTION WHEN OTHERS THEN
				partition_name := old.qualified_name;
				action := 'skipped';
				detail := format('Past retention but kept: %s; it is tried again at the next run.',
								 pactoria.maintenance_skip_reason(SQLERRM, SQLSTATE));
				RETURN NEXT;
				skipped_count := skipped_count + 1;
			END;
		END LOOP;

		UPDATE pactoria.partition_config AS c
		SET last_run_at = now(),
			last_run_outcome = jsonb_build_object('created', created_count, 'rows_moved', moved_count,
												  'detached', detached_count, 'dropped', dropped_count,
												  'skipped', skipped_count)
		WHERE c.parent_table = parent;
	END LOOP;
END
$$;

COMMENT ON FUNCTION pactoria.maintenance_steps(regclass, timestamptz) IS
'Internal: the work and report of pactoria.run_maintenance(), each step with the rows it moved as a number (rows_moved, 0 but for a rows_moved step), for the maintenance background worker. Runs, as its caller, only for a role that may execute run_maintenance() (42501 otherwise).';

CREATE OR REPLACE FUNCTION pactoria.run_maintenance(p_parent regclass DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS TABLE (parent_table regclass, partition_name text, action text, detail text)
LANGUAGE sql
SET search_path = pg_catalog, pactoria, pg_temp
BEGIN ATOMIC
	SELECT s.parent_table, s.partition_name, s.action, s.detail
	FROM pactoria.maintenance_steps(p_parent, p_now) AS s;
END;

CREATE OR REPLACE FUNCTION pactoria.check_metric(metric_name text, metric_value double precision, metric_unit text,
									  tags jsonb, recorded_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF length(metric_name) = 0 THEN
		RAISE EXCEPTION 'metric name must not be empty' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(metric_name) > 200 THEN
		RAISE EXCEPTION 'metric name is too long (% characters)', length(metric_name)
			USING ERRCODE = 'invalid_parameter_value', DETAIL = 'A metric name has at most 200 characters.';
	END IF;
	IF metric_name !~ '^[A-Za-z][A-Za-z0-9_.:/-]*$' THEN
		RAISE EXCEPTION 'invalid metric name "%"', pactoria.quote_prefix(metric_name)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A metric name starts with a letter and has only letters, digits and _ . : / -.',
				  HINT = 'For example contract.upload_seconds or ai.tokens_used.';
	END IF;
	IF metric_value IN ('NaN', 'Infinity', '-Infinity') THEN
		RAISE EXCEPTION 'metric value must be a finite number, not %', metric_value
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(btrim(metric_unit)) = 0 OR length(metric_unit) > 50 THEN
		RAISE EXCEPTION 'invalid metric unit "%"', pactoria.quote_prefix(metric_unit)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A metric unit has 1 to 50 characters, or is NULL.';
	END IF;
	IF jsonb_typeof(tags) <> 'object' THEN
		RAISE EXCEPTION 'metric tags must be a JSON object, not %', jsonb_typeof(tags)
			USING ERRCODE = 'invalid_parameter_value', HINT = 'For example {"endpoint": "/contracts"}.';
	END IF;
	IF octet_length(tags::text) > 4096 THEN
		RAISE EXCEPTION 'metric tags are too large (% bytes)', octet_length(tags::text)
			USING ERRCODE = 'invalid_parameter_value', DETAIL = 'Tags have at most 4096 bytes as JSON text.';
	END IF;
	IF NOT isfinite(recorded_at) THEN
		RAISE EXCEPTION 'metric time must be finite, not %', recorded_at
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN true;
END
$$;

CREATE FUNCTION pactoria.metric_time_window(OUT max_future interval, OUT max_past interval)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$ SELECT (pactoria.get_config('metrics.max_future') #>> '{}')::interval,
			 (pactoria.get_config('metrics.max_past') #>> '{}')::interval $$;

COMMENT ON FUNCTION pactoria.metric_time_window() IS
'The window of system_config metrics.max_future and metrics.max_past that metric times must lie in; SECURITY DEFINER and executable by everyone, as every writer of system_metrics needs it (it reveals two configuration values, nothing else).';

CREATE FUNCTION pactoria.check_metric_time()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	max_future interval;
	max_past interval;
BEGIN
	IF pg_has_role(current_user, (SELECT e.extowner FROM pg_extension AS e WHERE e.extname = 'pactoria'), 'MEMBER') THEN
		RETURN NEW;
	END IF;
	SELECT w.max_future, w.max_past INTO max_future, max_past FROM pactoria.metric_time_window() AS w;
	IF NEW.recorded_at > now() + max_future THEN
		RAISE EXCEPTION 'metric time % is more than % ahead of now', NEW.recorded_at, max_future
			USING ERRCODE = 'datetime_field_overflow',
				  DETAIL = 'A metric is recorded at most system_config metrics.max_future ahead of the current time.';
	END IF;
	IF NEW.recorded_at < now() - max_past THEN
		RAISE EXCEPTION 'metric time % is more than % before now', NEW.recorded_at, max_past
			USING ERRCODE = 'datetime_field_overflow',
				  DETAIL = 'A metric is recorded at most system_config metrics.max_past before the current time.';
	END IF;
	RETURN NEW;
END
$$;

COMMENT ON FUNCTION pactoria.check_metric_time() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_metrics: recorded_at within metrics.max_future ahead of and metrics.max_past before now() (22008 otherwise), except for superusers and the extension owner.';

REVOKE EXECUTE ON FUNCTION pactoria.check_metric_time() FROM PUBLIC;

CREATE TRIGGER trg_system_metrics_check_time
	BEFORE INSERT OR UPDATE OF recorded_at ON pactoria.system_metrics
	FOR EACH ROW EXECUTE FUNCTION pactoria.check_metric_time();

ALTER TABLE pactoria.ai_generations DROP CONSTRAINT chk_ai_generations_input_prompt;
ALTER TABLE pactoria.ai_generations ADD CONSTRAINT chk_ai_generations_input_prompt CHECK (length(input_prompt) BETWEEN 1 AND 2000000);

-- Length limits of the stored free-text and JSON columns (as in 20_tables.sql).
ALTER TABLE pactoria.ai_generations ADD CONSTRAINT chk_ai_generations_generated_content CHECK ((length(generated_content) <= 2000000));
ALTER TABLE pactoria.companies ADD CONSTRAINT chk_companies_settings_size CHECK ((octet_length((settings)::text) <= 65536));
ALTER TABLE pactoria.compliance_scores ADD CONSTRAINT chk_compliance_scores_analysis_raw_size CHECK ((octet_length((analysis_raw)::text) <= 1000000));
ALTER TABLE pactoria.compliance_scores ADD CONSTRAINT chk_compliance_scores_recommendations_size CHECK ((octet_length((recommendations)::text) <= 1000000));
ALTER TABLE pactoria.compliance_scores ADD CONSTRAINT chk_compliance_scores_risk_factors_size CHECK ((octet_length((risk_factors)::text) <= 1000000));
ALTER TABLE pactoria.contract_versions ADD CONSTRAINT chk_contract_versions_final_content CHECK ((length(final_content) <= 2000000));
ALTER TABLE pactoria.contract_versions ADD CONSTRAINT chk_contract_versions_generated_content CHECK ((length(generated_content) <= 2000000));
ALTER TABLE pactoria.contract_versions ADD CONSTRAINT chk_contract_versions_plain_english_input CHECK ((length(plain_english_input) <= 2000000));
ALTER TABLE pactoria.contracts ADD CONSTRAINT chk_contracts_final_content CHECK ((length(final_content) <= 2000000));
ALTER TABLE pactoria.contracts ADD CONSTRAINT chk_contracts_generated_content CHECK ((length(generated_content) <= 2000000));
ALTER TABLE pactoria.contracts ADD CONSTRAINT chk_contracts_plain_english_input CHECK ((length(plain_english_input) <= 2000000));
ALTER TABLE pactoria.risk_assessments ADD CONSTRAINT chk_risk_assessments_contingency_plan CHECK ((length(contingency_plan) <= 20000));
ALTER TABLE pactoria.risk_assessments ADD CONSTRAINT chk_risk_assessments_description CHECK ((length(description) <= 20000));
ALTER TABLE pactoria.risk_assessments ADD CONSTRAINT chk_risk_assessments_mitigation_plan CHECK ((length(mitigation_plan) <= 20000));
ALTER TABLE pactoria.templates ADD CONSTRAINT chk_templates_legal_notes CHECK ((length(legal_notes) <= 20000));
ALTER TABLE pactoria.users ADD CONSTRAINT chk_users_notification_preferences_size CHECK ((octet_length((notification_preferences)::text) <= 65536));
