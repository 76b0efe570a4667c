
-- 50_audit.sql: the audit trail.
--
-- pactoria.audit_logs records every change to the tenant tables (a C statement
-- trigger, pactoria.audit_trigger) and the application's own events
-- (pactoria.log_event).  It is append-only, partitioned by month on occurred_at,
-- and hash-chained per tenant so that an edit made with the triggers disabled is
-- found by pactoria.verify_audit_log().
--
-- The chain.  A tenant's log is a sequence of segments: a segment is the entries
-- one transaction wrote for the company, numbered by chain_position 1, 2, ...,
-- and closed at commit by a commit entry (event_type 'commit', the seal) that
-- carries the tenant's next chain_sequence and the chain_hash of the tenant's
-- previous commit entry (chain_previous_hash).  Every entry stores
--   chain_hash = SHA-256(chain_hash of the entry before it in its segment
--                        (zeros for the first), canonical encoding of the entry)
-- The canonical encoding covers the first 17 columns in table order, each typed
-- and length-prefixed (src/core/audit_format.h gives it byte by byte); it never uses
-- jsonb's text form.  chain_position and chain_sequence are the order the
-- hashes link and are not hashed themselves, so moved entries show as reordered.
--
-- Locking.  Positions and hashes within a segment are computed by the writing
-- backend without any lock.  Sealing takes, at commit only, a transaction lock
-- per tenant (shown in pg_locks as an advisory lock with objsubid 20545), reads
-- the tenant's head in pactoria.audit_chain_heads, writes the commit entry and
-- moves the head.  Writers of different tenants never wait on each other;
-- writers of one tenant wait only while another one's commit completes, and no
-- lock is held between a transaction's first write and its commit.  Two limits:
-- a deferred trigger of the application that fires after the seal (one queued
-- later in the transaction) runs while the tenant's lock is held, so if it waits
-- for a row another committing writer of the tenant holds, the deadlock detector
-- ends one of them; and a transaction that runs SET CONSTRAINTS ... IMMEDIATE and
-- then writes for further tenants takes their locks in a second round, out of the
-- global order.
--
-- Guarantee.  With the triggers disabled, a superuser (or the owner) can still
-- change, delete, insert or reorder entries.  verify_audit_log() finds each
-- such change to an entry that is followed by a commit entry of the same tenant:
-- the hash of a changed entry no longer matches; a deleted entry leaves a gap in
-- the positions or sequence; an inserted one is a duplicate position, an entry
-- after its segment's seal or an entry no seal covers; a moved one links to the
-- wrong neighbour.  Limits: someone who recomputes every hash from the changed
-- entry to the tenant's latest commit, and the head with them, or who removes a
-- tenant's latest segments together with the head, leaves a consistent chain:
-- only a copy of the head kept elsewhere shows it (pactoria.audit_chain_head()
-- gives the head to anchor, for example in the application's own store or a
-- timestamping service).  Checkpoints (pactoria.audit_checkpoints) vouch for the
-- commit entries of partitions removed by retention; whoever can write them can
-- hide removed entries too.
--
-- Only committed work is audited: entries are written in the transaction that
-- made the change, so a rolled-back transaction or savepoint leaves none.  (pgaudit,
-- which writes to the server log, documents the opposite: its log keeps the
-- statements of rolled-back transactions.)

INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('audit.ignored_columns',
	 '{"*": ["updated_at"], "pactoria.companies": ["active_user_count"], "pactoria.user_sessions": ["last_activity"]}',
	 'Columns the audit trail leaves out: per table ("schema.table") or for every table ("*"). An UPDATE changing only these columns writes no entry.'),
	('audit.redacted_columns', '{}',
	 'Columns the audit trail logs as "[redacted]", per table ("schema.table") or for every table ("*"); hashed_password, token_hash, refresh_token_hash, invitation_token and any column whose name contains "encrypted" always are.'),
	('audit.event_types',
	 '["login", "logout", "login_failed", "password_change", "password_reset", "read", "export", "import", "download", "upload", "share", "print", "send", "sign"]',
	 'Application event types pactoria.log_event() accepts (create, update, delete and commit are written by pactoria itself).');

------------------------------------------------------------------------------------
-- The log.  Range-partitioned by month on occurred_at; the install creates only
-- the parent and its default partition (a month partition made here would be an
-- extension member with a date in its bounds, which a dump restored in another
-- month could not re-create).  Partition maintenance (40_partitions) makes the
-- month partitions, as ordinary tables, and removes them past retention after
-- pactoria.audit_checkpoint() has recorded their commit entries.
--
-- The primary key and indexes are on the DEFAULT partition, not on the parent: a
-- partitioned index of an extension's table would make ATTACH PARTITION build the
-- partition's index during a restore, before pg_dump's own definition of it, which
-- then fails ("multiple primary keys").  The DEFAULT partition is the template:
-- partition maintenance makes each partition LIKE it INCLUDING INDEXES, and
-- pactoria.prepare_audit_partition() gives any partition made otherwise the
-- template's indexes, and every partition the trigger refusing TRUNCATE.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.audit_logs (
	company_id uuid NOT NULL,
	id uuid NOT NULL,
	occurred_at timestamptz NOT NULL,
	event_type text NOT NULL,
	resource_type text NOT NULL,
	resource_id uuid,
	contract_id uuid,
	user_id uuid,
	ip_address inet,
	user_agent text,
	session_id text,
	old_values jsonb,
	new_values jsonb,
	changed_columns text[],
	additional_data jsonb,
	transaction_id xid8 NOT NULL,
	chain_previous_hash bytea,
	chain_sequence bigint,
	chain_position integer NOT NULL,
	chain_hash bytea NOT NULL,
	-- Only the writer (C) inserts here and it guarantees the rest (lengths, positions,
	-- 32-byte hashes); verify_audit_log() checks what a forged entry could break.
	-- One CHECK only: PostgreSQL parses and plans a partition's CHECK constraints
	-- again for every INSERT statement, and a one-row transaction makes two.
	CONSTRAINT chk_audit_logs_commit CHECK ((event_type = 'commit') = (chain_sequence IS NOT NULL)
		AND (chain_sequence IS NULL) = (chain_previous_hash IS NULL))
) PARTITION BY RANGE (occurred_at);

COMMENT ON TABLE pactoria.audit_logs IS
'The audit trail: every change to the tenant tables and every application event, append-only, partitioned by month, hash-chained per tenant (pactoria.verify_audit_log).';
COMMENT ON COLUMN pactoria.audit_logs.occurred_at IS
'Start of the transaction that wrote the entry (now()); the same for all entries of one transaction and tenant.';
COMMENT ON COLUMN pactoria.audit_logs.event_type IS
'create, update or delete (audit trigger), commit (the seal closing a transaction''s entries), or an application event (pactoria.log_event).';
COMMENT ON COLUMN pactoria.audit_logs.resource_type IS 'The audited table''s name, or the resource type given to pactoria.log_event.';
COMMENT ON COLUMN pactoria.audit_logs.old_values IS 'DELETE: the row; UPDATE: the changed columns before. Secret columns show "[redacted]".';
COMMENT ON COLUMN pactoria.audit_logs.new_values IS 'INSERT: the row; UPDATE: the changed columns after. Secret columns show "[redacted]".';
COMMENT ON COLUMN pactoria.audit_logs.transaction_id IS 'The writing transaction (pg_current_xact_id()).';
COMMENT ON COLUMN pactoria.audit_logs.chain_previous_hash IS 'Commit entries only: chain_hash of the tenant''s previous commit entry (zeros for the first).';
COMMENT ON COLUMN pactoria.audit_logs.chain_sequence IS 'Commit entries only: the tenant''s 1, 2, 3... in commit order.';
COMMENT ON COLUMN pactoria.audit_logs.chain_position IS 'Position of the entry among its transaction''s entries for the tenant; the commit entry is the last.';
COMMENT ON COLUMN pactoria.audit_logs.chain_hash IS 'SHA-256 of the previous entry''s chain_hash and this entry''s canonical encoding (pactoria.audit_chain_hash).';

CREATE TABLE pactoria.audit_logs_default PARTITION OF pactoria.audit_logs (
	CONSTRAINT audit_logs_default_pkey PRIMARY KEY (company_id, occurred_at, id)
) DEFAULT;

COMMENT ON TABLE pactoria.audit_logs_default IS
'Entries for which no month partition exists yet (partition maintenance moves them into their month); the template of the keys and indexes of every partition.';

-- A tenant's log by time is the primary key.  The history of one resource:
CREATE INDEX idx_audit_logs_default_company_id_resource_id_occurred_at
	ON pactoria.audit_logs_default (company_id, resource_id, occurred_at) WHERE resource_id IS NOT NULL;
-- The history of a contract with everything that belongs to it:
CREATE INDEX idx_audit_logs_default_company_id_contract_id_occurred_at
	ON pactoria.audit_logs_default (company_id, contract_id, occurred_at) WHERE contract_id IS NOT NULL;
-- Commit entries by chain sequence, for verification:
CREATE INDEX idx_audit_logs_default_company_id_chain_sequence
	ON pactoria.audit_logs_default (company_id, chain_sequence) WHERE chain_sequence IS NOT NULL;

SELECT pg_catalog.pg_extension_config_dump('pactoria.audit_logs_default', '');

-- Partition upkeep: registered with partition maintenance at the end of this file,
-- once pactoria.audit_checkpoint() exists.

------------------------------------------------------------------------------------
-- Chain heads and checkpoints.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.audit_chain_heads (
	company_id uuid NOT NULL,
	chain_sequence bigint NOT NULL,
	chain_hash bytea NOT NULL,
	entry_id uuid NOT NULL,
	occurred_at timestamptz NOT NULL,
	CONSTRAINT audit_chain_heads_pkey PRIMARY KEY (company_id),
	CONSTRAINT chk_audit_chain_heads_chain_sequence CHECK (chain_sequence > 0),
	CONSTRAINT chk_audit_chain_heads_chain_hash CHECK (octet_length(chain_hash) = 32)
);

COMMENT ON TABLE pactoria.audit_chain_heads IS
'Each tenant''s latest commit entry: where the next seal continues the chain, and what verification expects at its end.';

CREATE TABLE pactoria.audit_checkpoints (
	company_id uuid NOT NULL,
	first_sequence bigint NOT NULL,
	last_sequence bigint NOT NULL,
	last_chain_hash bytea NOT NULL,
	entry_count bigint NOT NULL,
	partition_name text NOT NULL,
	partition_bounds text NOT NULL,
	checkpointed_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (company_id, first_sequence),
	CONSTRAINT chk_audit_checkpoints_sequences CHECK (first_sequence > 0 AND last_sequence >= first_sequence),
	CONSTRAINT chk_audit_checkpoints_last_chain_hash CHECK (octet_length(last_chain_hash) = 32),
	CONSTRAINT chk_audit_checkpoints_entry_count CHECK (entry_count > 0)
);

COMMENT ON TABLE pactoria.audit_checkpoints IS
'Commit entries removed with their partition by retention: per tenant, each run of chain sequences and the chain hash of its last, so that verification continues across them.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.audit_chain_heads', '');
SELECT pg_catalog.pg_extension_config_dump('pactoria.audit_checkpoints', '');

------------------------------------------------------------------------------------
-- The C functions.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.audit_chain_hash(previous bytea, entry pactoria.audit_logs)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_audit_chain_hash'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.audit_chain_hash(bytea, pactoria.audit_logs) IS
'The chain_hash an audit entry must have after an entry whose chain_hash is previous (NULL: first of its transaction): SHA-256 of previous and the entry''s canonical encoding.';

CREATE FUNCTION pactoria.audit_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_audit_trigger'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.audit_trigger() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_trigger() IS
'AFTER INSERT, UPDATE or DELETE statement trigger with transition tables (create it with pactoria.enable_audit): writes an audit entry per changed row. Argument: the tenant column, default company_id.';

CREATE FUNCTION pactoria.audit_seal()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_audit_seal'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.audit_seal() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_seal() IS
'Deferred constraint trigger of pactoria.audit_logs: at commit, closes each tenant''s entries of the transaction with a commit entry chained to the tenant''s previous one.';

CREATE FUNCTION pactoria.audit_check_entry()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_audit_check_entry'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.audit_check_entry() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_check_entry() IS
'BEFORE INSERT row trigger of pactoria.audit_logs (and so of every partition): refuses every entry, at any chain position, that pactoria''s audit writer is not inserting itself.';

CREATE FUNCTION pactoria.audit_settings_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_audit_settings_changed'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.audit_settings_changed() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_settings_changed() IS
'AFTER trigger of pactoria.system_config: a change of a key that a cache reads (audit column settings, session idle timeout), or a TRUNCATE, makes every session re-read it.';

CREATE FUNCTION pactoria.log_event(event_type text, resource_type text, resource_id uuid DEFAULT NULL,
								   data jsonb DEFAULT NULL)
RETURNS uuid
AS 'MODULE_PATHNAME', 'pactoria_log_event'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION pactoria.log_event(text, text, uuid, jsonb) IS
'Records an application event (login, export, ... as listed in system_config audit.event_types) for the tenant in context, in the same hash chain; returns the entry''s id.';

------------------------------------------------------------------------------------
-- Append-only: no UPDATE, DELETE or TRUNCATE, for the owner too.  Row triggers of
-- the parent are cloned to every partition, also those made later; a TRUNCATE
-- trigger is not, so each partition gets its own (prepare_audit_partition).
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.refuse_audit_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION '% of %.% is not allowed: the audit trail is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege',
			  DETAIL = 'Audit entries are never changed or deleted, by anyone.',
			  HINT = 'Entries leave only with their whole partition, when partition maintenance applies the retention.';
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.refuse_audit_change() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.refuse_audit_change() IS
'BEFORE UPDATE, DELETE or TRUNCATE trigger of the audit tables: refuses the change.';

CREATE TRIGGER trg_audit_logs_refuse_change
	BEFORE UPDATE OR DELETE ON pactoria.audit_logs
	FOR EACH ROW EXECUTE FUNCTION pactoria.refuse_audit_change();
CREATE TRIGGER trg_audit_logs_refuse_truncate
	BEFORE TRUNCATE ON pactoria.audit_logs
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.refuse_audit_change();
CREATE TRIGGER trg_audit_checkpoints_refuse_change
	BEFORE UPDATE OR DELETE ON pactoria.audit_checkpoints
	FOR EACH ROW EXECUTE FUNCTION pactoria.refuse_audit_change();
CREATE TRIGGER trg_audit_checkpoints_refuse_truncate
	BEFORE TRUNCATE ON pactoria.audit_checkpoints
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.refuse_audit_change();

-- What every partition of audit_logs has: the primary key and indexes of the
-- DEFAULT partition, and the TRUNCATE trigger.  Idempotent: it adds only what is
-- missing (an index counts as present when its definition, less its name, is the
-- template's), so a partition made LIKE the template INCLUDING INDEXES gets only
-- the trigger.
CREATE FUNCTION pactoria.prepare_audit_partition(partition regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	template record;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_trigger AS t
				   WHERE t.tgrelid = partition AND t.tgname = 'trg_audit_logs_refuse_truncate') THEN
		EXECUTE format('CREATE TRIGGER trg_audit_logs_refuse_truncate BEFORE TRUNCATE ON %s'
					   ' FOR EACH STATEMENT EXECUTE FUNCTION pactoria.refuse_audit_change()', partition);
	END IF;
	FOR template IN
		SELECT i.indisprimary, i.indisunique,
			   substring(pg_get_indexdef(i.indexrelid) FROM ' USING (.*)$') AS definition,
			   (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)
				FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
				JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
		FROM pg_index AS i
		WHERE i.indrelid = 'pactoria.audit_logs_default'::regclass AND partition <> 'pactoria.audit_logs_default'::regclass
		ORDER BY i.indisprimary DESC, i.indexrelid
	LOOP
		CONTINUE WHEN EXISTS (SELECT 1 FROM pg_index AS i
							  WHERE i.indrelid = partition AND i.indisunique = template.indisunique
								AND substring(pg_get_indexdef(i.indexrelid) FROM ' USING (.*)$') = template.definition);
		IF template.indisprimary THEN
			EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (%s)', partition, template.columns);
		ELSE
			EXECUTE format('CREATE INDEX ON %s USING %s', partition, template.definition);
		END IF;
	END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.prepare_audit_partition(regclass) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.prepare_audit_partition(regclass) IS
'Gives a partition of pactoria.audit_logs what it lacks of the DEFAULT partition''s primary key and indexes, and the trigger refusing TRUNCATE.';

SELECT pactoria.prepare_audit_partition('pactoria.audit_logs_default');

-- Every partition made or attached later gets the same.  SECURITY DEFINER: it
-- runs for every CREATE TABLE and ALTER TABLE of the database, whoever issues it,
-- and must see schema pactoria.  A restore brings the partitions' own keys,
-- indexes and triggers: during one (pactoria.restore_in_progress(), or
-- session_replication_role = replica, under which no event trigger fires) it
-- does nothing, so the dump's statements do not collide with its work.
CREATE FUNCTION pactoria.prepare_new_audit_partitions()
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

REVOKE EXECUTE ON FUNCTION pactoria.prepare_new_audit_partitions() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.prepare_new_audit_partitions() IS
'Event trigger: gives every new or attached partition of pactoria.audit_logs its primary key, indexes and the trigger refusing TRUNCATE.';

CREATE EVENT TRIGGER pactoria_prepare_audit_partitions
	ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
	EXECUTE FUNCTION pactoria.prepare_new_audit_partitions();

-- Tenant isolation: a tenant reads its own entries, head and checkpoints only.
SELECT pactoria.enable_tenant_isolation('pactoria.audit_logs');
SELECT pactoria.enable_tenant_isolation('pactoria.audit_chain_heads');
SELECT pactoria.enable_tenant_isolation('pactoria.audit_checkpoints');

-- The seal: deferred to commit, queued once per segment (its first entry).
CREATE CONSTRAINT TRIGGER trg_audit_logs_seal
	AFTER INSERT ON pactoria.audit_logs
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (NEW.chain_position = 1 AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.audit_seal();

-- Only the writer inserts entries: a row of any other INSERT, at any chain
-- position, straight into the log or one of its partitions, is refused.
CREATE TRIGGER trg_audit_logs_check_entry
	BEFORE INSERT ON pactoria.audit_logs
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.audit_check_entry();

------------------------------------------------------------------------------------
-- Which columns are logged.
------------------------------------------------------------------------------------
CREATE FUNCTION pactoria.audit_columns(table_name regclass)
RETURNS TABLE (attribute_number smallint, column_name name, treatment text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
BEGIN ATOMIC
	WITH settings AS (
		SELECT pactoria.get_config('audit.ignored_columns') AS ignored,
			   pactoria.get_config('audit.redacted_columns') AS redacted,
			   pactoria.get_config('audit.personal_columns') AS personal,
			   (SELECT format('%I.%I', n.nspname, c.relname)
				FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
				WHERE c.oid = audit_columns.table_name) AS qualified_name
	)
	SELECT a.attnum, a.attname,
		   CASE
			   WHEN a.attgenerated <> '' THEN 'ignored'
			   WHEN coalesce(s.ignored -> '*', '[]') ? a.attname
					OR coalesce(s.ignored -> s.qualified_name, '[]') ? a.attname THEN 'ignored'
			   WHEN a.attname IN ('hashed_password', 'token_hash', 'refresh_token_hash', 'invitation_token')
					OR a.attname LIKE '%encrypted%' THEN 'redacted'
			   WHEN coalesce(s.redacted -> '*', '[]') ? a.attname
					OR coalesce(s.redacted -> s.qualified_name, '[]') ? a.attname THEN 'redacted'
			   WHEN coalesce(s.personal -> '*', '[]') ? a.attname
					OR coalesce(s.personal -> s.qualified_name, '[]') ? a.attname THEN 'personal'
			   ELSE 'logged'
		   END
	FROM pg_attribute AS a, settings AS s
	WHERE a.attrelid = audit_columns.table_name AND a.attnum > 0 AND NOT a.attisdropped
	ORDER BY a.attnum;
END;

COMMENT ON FUNCTION pactoria.audit_columns(regclass) IS
'How the audit trail treats each column of a table: logged, redacted (secrets, and system_config audit.redacted_columns), personal (audit.personal_columns: encrypted under the key of the person the row is about) or ignored (generated columns, and audit.ignored_columns).';

-- The settings are checked when set, and every session re-reads them after.
CREATE FUNCTION pactoria.check_audit_settings()
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

REVOKE EXECUTE ON FUNCTION pactoria.check_audit_settings() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.check_audit_settings() IS
'BEFORE INSERT OR UPDATE trigger of pactoria.system_config: checks the shape of the audit.* settings.';

CREATE TRIGGER trg_system_config_check_audit_settings
	BEFORE INSERT OR UPDATE ON pactoria.system_config
	FOR EACH ROW WHEN (NEW.key LIKE 'audit.%' AND NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_audit_settings();
-- A row whose key a cache reads (audit.ignored_columns, audit.redacted_columns,
-- session.idle_timeout: the list is in trigger_guard.c) invalidates
-- system_config's relcache entry; any other row invalidates nothing; a TRUNCATE
-- always does.
CREATE TRIGGER trg_system_config_reload_settings
	AFTER INSERT OR UPDATE OR DELETE ON pactoria.system_config
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.audit_settings_changed();
CREATE TRIGGER trg_system_config_reload_audit_settings
	AFTER TRUNCATE ON pactoria.system_config
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.audit_settings_changed();

------------------------------------------------------------------------------------
-- Auditing a table.
------------------------------------------------------------------------------------
-- The tables other than pactoria's own that the audit trigger may fire on, and
-- their tenant columns: written by enable_audit() only, and since no role but the
-- owner has a privilege on it, only when a trusted role (the owner, a superuser)
-- runs it.  pactoria.audit_trigger() refuses (42501) any table neither in schema
-- pactoria nor here, and every temporary table.
CREATE TABLE pactoria.audited_tables (
	table_name regclass NOT NULL,
	tenant_column name NOT NULL,
	CONSTRAINT audited_tables_pkey PRIMARY KEY (table_name)
);

COMMENT ON TABLE pactoria.audited_tables IS
'Tables outside schema pactoria audited by pactoria.enable_audit(), with their tenant columns: the only ones pactoria.audit_trigger() writes entries for.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.audited_tables', '');

-- For the owner (in migrations): audit_trigger() writes as the owner, so it and
-- enable_audit() are not executable by PUBLIC.
CREATE FUNCTION pactoria.enable_audit(table_name regclass, tenant_column name DEFAULT 'company_id')
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

REVOKE EXECUTE ON FUNCTION pactoria.enable_audit(regclass, name) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.enable_audit(regclass, name) IS
'Audits a table with uuid tenant and id columns: creates its three audit triggers (INSERT, UPDATE, DELETE), which write every change to pactoria.audit_logs.';

-- The tenant tables of the data model.  companies is its own tenant.
SELECT pactoria.enable_audit('pactoria.companies', 'id');
DO $$
DECLARE
	table_name text;
BEGIN
	FOREACH table_name IN ARRAY ARRAY['users', 'user_sessions', 'templates', 'ai_generations', 'contracts',
									  'contract_versions', 'compliance_scores', 'extractions',
									  'extraction_fields', 'corrections', 'extraction_metrics',
									  'chat_messages', 'risk_assessments'] LOOP
		PERFORM pactoria.enable_audit(format('pactoria.%I', table_name)::regclass);
	END LOOP;
END
$$;

-- Verification: pactoria.verify_audit_log() is in 51_audit_verify.sql.

CREATE FUNCTION pactoria.audit_chain_head(company_id uuid)
RETURNS TABLE (chain_sequence bigint, chain_hash bytea, entry_id uuid, occurred_at timestamptz)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
BEGIN ATOMIC
	SELECT h.chain_sequence, h.chain_hash, h.entry_id, h.occurred_at
	FROM pactoria.audit_chain_heads AS h
	WHERE h.company_id = audit_chain_head.company_id;
END;

COMMENT ON FUNCTION pactoria.audit_chain_head(uuid) IS
'The company''s latest commit entry and its chain hash: keep a copy outside the database (an external anchor) to detect a rewritten or truncated chain.';

-- Called by partition maintenance just before retention detaches or drops a
-- partition of audit_logs (register_partitioned_table's before_removal).  It
-- verifies the partition's entries (a broken chain raises, and maintenance then
-- keeps the partition and its evidence) and records, per tenant, each run of
-- commit entries leaving with it and the hash of its last.  SECURITY DEFINER:
-- maintenance may run as another role; nobody else may write checkpoints.
CREATE FUNCTION pactoria.audit_checkpoint(partition regclass)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
SET datestyle = 'ISO, YMD'
SET timezone = 'UTC'
AS $$
DECLARE
	bounds text;
	first_time timestamptz;
	last_time timestamptz;
	problem record;
BEGIN
	IF partition IS NULL THEN
		RAISE EXCEPTION 'partition must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT pg_get_expr(c.relpartbound, c.oid) INTO bounds
	FROM pg_class AS c JOIN pg_inherits AS i ON i.inhrelid = c.oid
	WHERE c.oid = partition AND i.inhparent = 'pactoria.audit_logs'::regclass;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'relation % is not a partition of pactoria.audit_logs', partition
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF bounds = 'DEFAULT' THEN
		RAISE EXCEPTION 'the default partition of pactoria.audit_logs is never removed'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Checkpoints are written for month partitions leaving by retention.';
	END IF;

	EXECUTE format('SELECT min(occurred_at), max(occurred_at) FROM %s', partition) INTO first_time, last_time;
	IF first_time IS NULL THEN
		RETURN;
	END IF;
	SELECT * INTO problem FROM pactoria.verify_audit_log(NULL, first_time, last_time + interval '1 microsecond') LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'audit log partition % fails verification: % entry of company %', partition, problem.problem, problem.company
			USING ERRCODE = 'data_corrupted',
				  DETAIL = problem.detail,
				  HINT = 'The partition is kept as evidence. Investigate with pactoria.verify_audit_log().';
	END IF;

	EXECUTE format(
		'INSERT INTO pactoria.audit_checkpoints (company_id, first_sequence, last_sequence, last_chain_hash,'
		'                                        entry_count, partition_name, partition_bounds)'
		' SELECT seals.company_id, min(seals.chain_sequence), max(seals.chain_sequence),'
		'        (array_agg(seals.chain_hash ORDER BY seals.chain_sequence DESC))[1], sum(seals.chain_position), %L, %L'
		' FROM (SELECT s.company_id, s.chain_sequence, s.chain_hash, s.chain_position,'
		'              s.chain_sequence - row_number() OVER (PARTITION BY s.company_id ORDER BY s.chain_sequence) AS run'
		'       FROM %s AS s WHERE s.chain_sequence IS NOT NULL) AS seals'
		' GROUP BY seals.company_id, seals.run'
		' ON CONFLICT (company_id, first_sequence) DO NOTHING',
		partition::text, bounds, partition);
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.audit_checkpoint(regclass) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.audit_checkpoint(regclass) IS
'Before retention removes a partition of pactoria.audit_logs: verifies its entries (raising keeps the partition) and records its commit entries per tenant in pactoria.audit_checkpoints.';

------------------------------------------------------------------------------------
-- Partition upkeep: monthly partitions made by pactoria.run_maintenance(), kept
-- seven years by their upper bound, each checkpointed before it leaves.
------------------------------------------------------------------------------------
INSERT INTO pactoria.system_config_defaults (key, value, description) VALUES
	('partition.audit_logs.premake', '3',
	 'How many monthly partitions of audit_logs exist ahead of the current month.'),
	('partition.audit_logs.retention', '"7 years"',
	 'How long audit_logs partitions are kept (by their upper bound): an interval, or "forever".'),
	('partition.audit_logs.retention_action', '"drop"',
	 'What happens to an audit_logs partition past retention (after its checkpoint): "drop", or "detach" to keep it as a table.');

SELECT pactoria.register_partitioned_table('pactoria.audit_logs', '1 month', 3, '7 years', 'drop',
										   'pactoria.audit_checkpoint(regclass)');
