
------------------------------------------------------------------------------------
-- Protected columns: declared encryption under the tenant data keys
-- (src/protected_columns.c, src/tenant_keys.c).
------------------------------------------------------------------------------------
-- A protected column is bytea and holds only ciphertexts of pactoria.encrypt()'s
-- kind, each bound to its row's company and to the column (its binding,
-- schema.table.column as named when it was protected: a rename keeps it).  Its
-- BEFORE trigger encrypts every clear value written to it; it is read in clear
-- through the view <table>_clear, which shows the rows of the tenant in context.
-- The audit trail, pg_dump and every replica see the ciphertext only.
-- Written by protect_column() only, which only trusted roles may run: the trigger
-- fires only for the columns registered here.
CREATE TABLE pactoria.protected_columns (
	table_name regclass NOT NULL,
	column_name name NOT NULL,
	tenant_column name NOT NULL,
	binding text NOT NULL,
	CONSTRAINT protected_columns_pkey PRIMARY KEY (table_name, column_name),
	CONSTRAINT chk_protected_columns_binding CHECK (octet_length(binding) BETWEEN 1 AND 128)
);

COMMENT ON TABLE pactoria.protected_columns IS
'The columns protected by pactoria.protect_column(): stored encrypted under the data key of their row''s company, bound to binding. Written by protect_column() only.';

-- Dumped for the application's tables; CREATE EXTENSION protects pactoria's own
-- again (their bindings begin with the schema's name, unquoted).
SELECT pg_catalog.pg_extension_config_dump('pactoria.protected_columns', 'WHERE binding NOT LIKE ''pactoria.%''');

CREATE FUNCTION pactoria.protected_columns_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_protected_columns_changed'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.protected_columns_changed() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.protected_columns_changed() IS
'AFTER statement trigger of pactoria.protected_columns: every session reads the registry again at its next write of a protected table.';

CREATE TRIGGER trg_protected_columns_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pactoria.protected_columns
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.protected_columns_changed();

-- A protected column, or its table, that is dropped is forgotten with it.
-- SECURITY DEFINER: the user dropping a table need not be able to write the registry.
-- On a Citus worker it does nothing, as forget_dropped_partitioned_tables()
-- (39_forget_dropped_tables.sql): the DROP there is the coordinator's, whose own
-- event trigger deletes the rows of the reference table protected_columns on
-- every node and drops the trigger on the cluster.
CREATE FUNCTION pactoria.forget_dropped_protected_columns()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	forgotten regclass[];
	forgotten_columns name[];
	dropped oid[];
	dropped_columns text[];
	unprotected regclass;
BEGIN
	IF pactoria.on_citus_worker() THEN
		RETURN;
	END IF;
	-- The dropped columns first, then the DELETE by value: Citus sends a DELETE
	-- of a reference table to every node, where pg_event_trigger_dropped_objects()
	-- cannot be called.
	SELECT array_agg(d.objid), array_agg(CASE WHEN d.objsubid = 0 THEN NULL ELSE d.address_names[3] END)
	INTO dropped, dropped_columns
	FROM pg_event_trigger_dropped_objects() AS d
	WHERE d.classid = 'pg_class'::regclass AND (d.objsubid = 0 OR d.object_type = 'table column');
	SELECT array_agg(p.table_name), array_agg(p.column_name) INTO forgotten, forgotten_columns
	FROM pactoria.protected_columns AS p
	WHERE EXISTS (SELECT 1 FROM unnest(dropped, dropped_columns) AS d (objid, column_name)
				  WHERE d.objid = p.table_name::oid AND (d.column_name IS NULL OR d.column_name = p.column_name));
	IF forgotten IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM pactoria.protected_columns AS p
	WHERE (p.table_name::oid, p.column_name) IN (SELECT * FROM unnest(forgotten::oid[], forgotten_columns));
	-- A table that is left without protected column loses the trigger.
	FOR unprotected IN
		SELECT t.tgrelid::regclass FROM pg_trigger AS t
		WHERE t.tgrelid = ANY (forgotten) AND t.tgname = 'zz_pactoria_protect_values'
		  AND t.tgfoid = 'pactoria.protect_values()'::regprocedure
		  AND NOT EXISTS (SELECT FROM pactoria.protected_columns AS p WHERE p.table_name = t.tgrelid)
	LOOP
		EXECUTE format('DROP TRIGGER zz_pactoria_protect_values ON %s', unprotected);
	END LOOP;
END
$$;

COMMENT ON FUNCTION pactoria.forget_dropped_protected_columns() IS
'sql_drop event trigger: removes the protected_columns rows of dropped tables and columns, and the trigger of a table whose last protected column was dropped (on a Citus worker: nothing, the coordinator does).';

REVOKE EXECUTE ON FUNCTION pactoria.forget_dropped_protected_columns() FROM PUBLIC;

CREATE EVENT TRIGGER pactoria_forget_dropped_protected_columns ON sql_drop
	WHEN TAG IN ('DROP TABLE', 'DROP SCHEMA', 'DROP OWNED', 'ALTER TABLE')
	EXECUTE FUNCTION pactoria.forget_dropped_protected_columns();

CREATE FUNCTION pactoria.protect_values()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_protect_values'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.protect_values() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.protect_values() IS
'BEFORE INSERT OR UPDATE row trigger made by pactoria.protect_column(): encrypts each clear value written to a protected column under the row''s company; keeps a ciphertext of that column and company; refuses (22000) one that does not decrypt there, and (22021) a clear value that is not text.';

CREATE FUNCTION pactoria.protect_value(company_id uuid, value bytea, binding text)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_protect_value'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE;

REVOKE EXECUTE ON FUNCTION pactoria.protect_value(uuid, bytea, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.protect_value(uuid, bytea, text) IS
'The value as a protected column with this binding stores it for the company: a clear value (text bytes) encrypted, a ciphertext under an older data key encrypted afresh under the current one, one under the current key as it is; NULL for NULL. 23502 for a value without company. For the owner (protect_column(), reencrypt_tenant_values()).';

-- For the owner, in migrations.  Converts the column in place (one ALTER TABLE,
-- which rewrites the table under an ACCESS EXCLUSIVE lock): a text or varchar
-- column becomes bytea.  Idempotent.
CREATE FUNCTION pactoria.protect_column(table_name regclass, column_name name, tenant_column name DEFAULT 'company_id')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	relation record;
	column_type regtype;
	tenant_type regtype;
	column_binding text;
	view_name name;
	view_columns text;
	grantee regrole;
	newly_protected integer;
BEGIN
	IF table_name IS NULL OR column_name IS NULL OR tenant_column IS NULL THEN
		RAISE EXCEPTION 'table_name, column_name and tenant_column must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT c.relname, c.relkind, c.relpersistence, c.relispartition, n.nspname INTO relation
	FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
	WHERE c.oid = protect_column.table_name;
	IF relation.relkind NOT IN ('r', 'p') OR relation.relispartition THEN
		RAISE EXCEPTION '% is not a table', table_name
			USING ERRCODE = 'wrong_object_type',
				  HINT = 'Protect a column of a table; of a partitioned table, the column of the parent.';
	END IF;
	IF relation.relpersistence = 't' THEN
		RAISE EXCEPTION 'a column of temporary table % cannot be protected', table_name
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT a.atttypid::regtype INTO column_type FROM pg_attribute AS a
	WHERE a.attrelid = protect_column.table_name AND a.attname = protect_column.column_name
	  AND a.attnum > 0 AND NOT a.attisdropped;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'column "%" of table % does not exist', column_name, table_name
			USING ERRCODE = 'undefined_column';
	END IF;
	IF column_type NOT IN ('bytea'::regtype, 'text'::regtype, 'character varying'::regtype) THEN
		RAISE EXCEPTION 'column "%" of table % is of type %, not text, varchar or bytea', column_name, table_name, column_type
			USING ERRCODE = 'datatype_mismatch',
				  DETAIL = 'A protected column holds text, encrypted, as bytea.';
	END IF;
	SELECT coalesce(nullif(t.typbasetype, 0), t.oid)::regtype INTO tenant_type
	FROM pg_attribute AS a JOIN pg_type AS t ON t.oid = a.atttypid
	WHERE a.attrelid = protect_column.table_name AND a.attname = protect_column.tenant_column
	  AND a.attnum > 0 AND NOT a.attisdropped;
	IF tenant_type IS DISTINCT FROM 'uuid'::regtype THEN
		RAISE EXCEPTION 'table % has no tenant column % of type uuid', table_name, tenant_column
			USING ERRCODE = 'undefined_column',
				  HINT = 'A protected value is encrypted under its row''s company: name the tenant column (company_id unless named).';
	END IF;
	IF column_name = tenant_column THEN
		RAISE EXCEPTION 'the tenant column cannot be protected'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT FROM pactoria.protected_columns AS p
			   WHERE p.table_name = protect_column.table_name AND p.tenant_column <> protect_column.tenant_column) THEN
		RAISE EXCEPTION 'the protected columns of table % already use tenant column %', table_name,
				(SELECT p.tenant_column FROM pactoria.protected_columns AS p WHERE p.table_name = protect_column.table_name LIMIT 1)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	-- The clear view (made again below: it depends on the columns converted).
	view_name := left(relation.relname, 57) || '_clear';
	IF EXISTS (SELECT FROM pg_class AS c
			   WHERE c.relname = view_name AND c.relnamespace = relation.nspname::regnamespace
				 AND (c.relkind <> 'v' OR obj_description(c.oid, 'pg_class') IS DISTINCT FROM
					  format('Clear view of %s made by pactoria.protect_column().', table_name))) THEN
		RAISE EXCEPTION 'relation %.% already exists', quote_ident(relation.nspname), quote_ident(view_name)
			USING ERRCODE = 'duplicate_table',
				  DETAIL = 'protect_column() makes the view <table>_clear, and this relation is not one it made.';
	END IF;
	IF to_regclass(format('%I.%I', relation.nspname, view_name)) IS NOT NULL THEN
		EXECUTE format('DROP VIEW %I.%I', relation.nspname, view_name);
	END IF;

	column_binding := format('%I.%I.%I', relation.nspname, relation.relname, column_name);
	IF octet_length(column_binding) > 128 THEN
		RAISE EXCEPTION 'the binding of column "%" of table % would be longer than 128 bytes', column_name, table_name
			USING ERRCODE = 'name_too_long',
				  DETAIL = 'The binding is schema.table.column, quoted where needed.';
	END IF;
	INSERT INTO pactoria.protected_columns AS p (table_name, column_name, tenant_column, binding)
	VALUES (protect_column.table_name, protect_column.column_name, protect_column.tenant_column, column_binding)
	ON CONFLICT ON CONSTRAINT protected_columns_pkey DO NOTHING;
	GET DIAGNOSTICS newly_protected = ROW_COUNT;

	-- Existing values, as the trigger would store them (the rewrite sees every row,
	-- whatever row-level security would show).  Once protected, the trigger has
	-- stored every value since.
	IF newly_protected = 0 THEN
		NULL;
	ELSIF column_type = 'bytea'::regtype THEN
		EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE pg_catalog.bytea'
					   ' USING pactoria.protect_value(%I, %I, %L)',
					   table_name, column_name, tenant_column, column_name, column_binding);
	ELSE
		EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE pg_catalog.bytea'
					   ' USING pactoria.protect_value(%I, pg_catalog.convert_to(%I, pg_catalog.getdatabaseencoding()), %L)',
					   table_name, column_name, tenant_column, column_name, column_binding);
	END IF;

	-- Last of the BEFORE triggers (they fire in name order), so that what another
	-- writes into the column is encrypted too.
	IF NOT EXISTS (SELECT FROM pg_trigger AS t
				   WHERE t.tgrelid = protect_column.table_name AND t.tgname = 'zz_pactoria_protect_values') THEN
		EXECUTE format('CREATE TRIGGER zz_pactoria_protect_values BEFORE INSERT OR UPDATE ON %s'
					   ' FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())'
					   ' EXECUTE FUNCTION pactoria.protect_values()', table_name);
	END IF;

	SELECT string_agg(CASE WHEN p.binding IS NULL THEN format('t.%I', a.attname)
						   ELSE format('pactoria.decrypt(t.%I, %L) AS %I', a.attname, p.binding, a.attname) END,
					  ', ' ORDER BY a.attnum)
	INTO view_columns
	FROM pg_attribute AS a
	LEFT JOIN pactoria.protected_columns AS p ON p.table_name = protect_column.table_name AND p.column_name = a.attname
	WHERE a.attrelid = protect_column.table_name AND a.attnum > 0 AND NOT a.attisdropped;
	-- The clear view: the tenant's rows, protected columns decrypted.
	EXECUTE format('CREATE VIEW %I.%I WITH (security_invoker = true, security_barrier = true) AS'
				   ' SELECT %s FROM %s AS t WHERE t.%I OPERATOR(pg_catalog.=) pactoria.current_company_id()',
				   relation.nspname, view_name, view_columns, table_name, tenant_column);
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', relation.nspname, view_name,
				   format('Clear view of %s made by pactoria.protect_column().', table_name));
	-- Whoever may read the table may read its view (and under security_invoker,
	-- only what the table's own privileges and policies show them).
	FOR grantee IN
		SELECT DISTINCT acl.grantee::regrole FROM pg_class AS c, aclexplode(c.relacl) AS acl
		WHERE c.oid = protect_column.table_name AND acl.privilege_type = 'SELECT' AND acl.grantee <> 0
	LOOP
		EXECUTE format('GRANT SELECT ON %I.%I TO %s', relation.nspname, view_name, grantee);
	END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.protect_column(regclass, name, name) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.protect_column(regclass, name, name) IS
'Protects a column (text, varchar or bytea; it becomes bytea): encrypts its values in place, and from then on every value written, under the data key of the row''s company (tenant_column, uuid); (re)creates the security_invoker view <table>_clear, which shows the rows of the tenant in context with protected columns decrypted, readable by whoever may read the table. Owner only; idempotent.';

-- For the owner (or a scheduler running as it), after rotate_tenant_key().
CREATE FUNCTION pactoria.reencrypt_tenant_values(company_id uuid, batch_size integer DEFAULT 1000)
RETURNS TABLE (table_name regclass, column_name name, reencrypted bigint, remaining bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	protected record;
	previous_company text := pg_catalog.current_setting('pactoria.company_id', true);
	previous_user text := pg_catalog.current_setting('pactoria.user_id', true);
	current_key integer;
	budget integer := batch_size;
	done bigint;
	batch_tables oid[];
	batch_rows tid[];
	batch_values bytea[];
BEGIN
	IF company_id IS NULL OR batch_size IS NULL THEN
		RAISE EXCEPTION 'company_id and batch_size must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF batch_size NOT BETWEEN 1 AND 100000 THEN
		RAISE EXCEPTION 'batch_size must be between 1 and 100000, not %', batch_size
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- As the tenant: its row-level security, its audit chain, its keys.
	PERFORM pactoria.set_context(reencrypt_tenant_values.company_id);
	SELECT max(k.key_number) INTO current_key FROM pactoria.tenant_keys AS k
	WHERE k.company_id = reencrypt_tenant_values.company_id;

	FOR protected IN
		SELECT p.table_name, p.column_name, p.tenant_column, p.binding FROM pactoria.protected_columns AS p
		ORDER BY p.table_name::text, p.column_name
	LOOP
		done := 0;
		IF current_key IS NOT NULL AND budget > 0 THEN
			-- Rows a writer holds are skipped (SKIP LOCKED): the next call takes them.
			-- The new values are sealed by the SELECT that locks their rows, then
			-- written: Citus takes no VOLATILE function in an UPDATE.
			EXECUTE format('SELECT pg_catalog.array_agg(b.tableoid), pg_catalog.array_agg(b.ctid), pg_catalog.array_agg(b.sealed)'
						   ' FROM (SELECT s.tableoid, s.ctid, pactoria.protect_value(s.%3$I, s.%2$I, $4) AS sealed'
						   ' FROM %1$s AS s WHERE s.%3$I OPERATOR(pg_catalog.=) $1'
						   ' AND pactoria.ciphertext_key_number(s.%2$I) OPERATOR(pg_catalog.<) $2'
						   ' LIMIT $3 FOR UPDATE SKIP LOCKED) AS b',
						   protected.table_name, protected.column_name, protected.tenant_column)
				INTO batch_tables, batch_rows, batch_values
				USING reencrypt_tenant_values.company_id, current_key, budget, protected.binding;
			EXECUTE format('UPDATE %1$s AS t SET %2$I = u.sealed'
						   ' FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.oid[]), pg_catalog.unnest($3::pg_catalog.tid[]),'
						   ' pg_catalog.unnest($4::pg_catalog.bytea[]))'
						   ' AS u (tableoid, ctid, sealed)'
						   ' WHERE t.%3$I OPERATOR(pg_catalog.=) $1 AND t.tableoid OPERATOR(pg_catalog.=) u.tableoid'
						   ' AND t.ctid OPERATOR(pg_catalog.=) u.ctid',
						   protected.table_name, protected.column_name, protected.tenant_column)
				USING reencrypt_tenant_values.company_id, batch_tables, batch_rows, batch_values;
			GET DIAGNOSTICS done = ROW_COUNT;
			budget := budget - done::integer;
		END IF;
		table_name := protected.table_name;
		column_name := protected.column_name;
		reencrypted := done;
		IF current_key IS NULL THEN
			remaining := 0;
		ELSE
			EXECUTE format('SELECT pg_catalog.count(*) FROM %1$s AS s WHERE s.%3$I OPERATOR(pg_catalog.=) $1'
						   ' AND pactoria.ciphertext_key_number(s.%2$I) OPERATOR(pg_catalog.<) $2',
						   protected.table_name, protected.column_name, protected.tenant_column)
				INTO remaining USING reencrypt_tenant_values.company_id, current_key;
		END IF;
		RETURN NEXT;
	END LOOP;

	IF coalesce(previous_company, '') = '' THEN
		PERFORM pactoria.clear_context();
	ELSE
		PERFORM pactoria.set_context(previous_company::uuid, nullif(previous_user, '')::uuid);
	END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.reencrypt_tenant_values(uuid, integer) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.reencrypt_tenant_values(uuid, integer) IS
'After rotate_tenant_key(): re-encrypts under the company''s current data key at most batch_size (1 to 100000) of its protected values that are under an older key, skipping rows other transactions hold; returns, per protected column, how many it re-encrypted and how many remain. Call it again (each call in its own transaction) until nothing remains: reads and writes go on meanwhile. Owner only.';

------------------------------------------------------------------------------------
-- OAuth connections: a user's link to an outside identity provider, with its
-- tokens protected.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.oauth_connections (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	user_id uuid NOT NULL,
	provider text NOT NULL,
	provider_user_id text NOT NULL,
	access_token bytea,
	refresh_token bytea,
	token_expires_at timestamptz,
	scopes text[] NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT oauth_connections_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT oauth_connections_provider_user_key UNIQUE (company_id, provider, provider_user_id),
	CONSTRAINT fk_oauth_connections_user FOREIGN KEY (company_id, user_id)
		REFERENCES pactoria.users (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_oauth_connections_provider CHECK (provider ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
	CONSTRAINT chk_oauth_connections_provider_user_id CHECK (length(provider_user_id) BETWEEN 1 AND 255),
	CONSTRAINT chk_oauth_connections_scopes CHECK (cardinality(scopes) <= 100)
);

COMMENT ON TABLE pactoria.oauth_connections IS
'A user''s connection to an OAuth identity provider (one per provider account and company); access_token and refresh_token are protected columns, read in clear through pactoria.oauth_connections_clear.';

CREATE INDEX idx_oauth_connections_company_id_user_id ON pactoria.oauth_connections (company_id, user_id);

CREATE TRIGGER trg_oauth_connections_set_updated_at BEFORE UPDATE ON pactoria.oauth_connections
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at();

SELECT pg_catalog.pg_extension_config_dump('pactoria.oauth_connections', '');
SELECT pactoria.enable_tenant_isolation('pactoria.oauth_connections');
SELECT pactoria.enable_audit('pactoria.oauth_connections');
SELECT pactoria.protect_column('pactoria.oauth_connections', 'access_token');
SELECT pactoria.protect_column('pactoria.oauth_connections', 'refresh_token');
