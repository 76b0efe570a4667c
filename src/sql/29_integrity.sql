
-- 29_integrity.sql: pactoria.verify_data_integrity().
--
-- What the constraints and triggers guarantee can still be broken by someone who
-- bypassed them: triggers disabled (foreign keys are triggers too), the
-- session_replication_role set to replica, constraints added NOT VALID, or catalog
-- surgery.  This function looks for the traces.  It reads every foreign key and
-- check constraint of the extension's tables from the catalog, so a constraint
-- added later is covered without changing it.  It is a tool for the owner or a
-- maintenance role that sees every tenant (EXECUTE is not granted to PUBLIC): seen
-- through one tenant's row-level security, rows of other tenants would look missing.

CREATE FUNCTION pactoria.verify_data_integrity()
RETURNS TABLE (table_name text, issue_description text, affected_rows bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	constraint_row record;
	found_rows bigint;
BEGIN
	-- Rows whose foreign key points nowhere (MATCH SIMPLE: a key with a NULL column is not checked).
	FOR constraint_row IN
		SELECT con.conname, con.conrelid, con.confrelid,
			   format('%I.%I', c.relnamespace::regnamespace, c.relname) AS child_name,
			   (SELECT format('%I.%I', p.relnamespace::regnamespace, p.relname) FROM pg_class AS p WHERE p.oid = con.confrelid) AS parent_name,
			   (SELECT string_agg(format('child.%I IS NOT NULL', a.attname), ' AND ' ORDER BY k.position)
				FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
				JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS not_null,
			   (SELECT string_agg(format('parent.%I = child.%I', pa.attname, ca.attname), ' AND ' ORDER BY k.position)
				FROM unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(child_attnum, parent_attnum, position)
				JOIN pg_attribute AS ca ON ca.attrelid = con.conrelid AND ca.attnum = k.child_attnum
				JOIN pg_attribute AS pa ON pa.attrelid = con.confrelid AND pa.attnum = k.parent_attnum) AS join_condition
		FROM pg_constraint AS con
		JOIN pg_class AS c ON c.oid = con.conrelid
		WHERE con.contype = 'f' AND con.conparentid = 0
		  AND c.relnamespace = 'pactoria'::regnamespace
		ORDER BY c.relname, con.conname
	LOOP
		EXECUTE format('SELECT count(*) FROM %s AS child WHERE %s AND NOT EXISTS (SELECT 1 FROM %s AS parent WHERE %s)',
					   constraint_row.child_name, constraint_row.not_null,
					   constraint_row.parent_name, constraint_row.join_condition)
			INTO found_rows;
		IF found_rows > 0 THEN
			table_name := constraint_row.child_name;
			issue_description := format('orphaned rows: foreign key %s points to no row of %s',
										constraint_row.conname, constraint_row.parent_name);
			affected_rows := found_rows;
			RETURN NEXT;
		END IF;
	END LOOP;

	-- Rows that break a check constraint (scores out of range, bad formats...).
	FOR constraint_row IN
		SELECT con.conname, format('%I.%I', c.relnamespace::regnamespace, c.relname) AS table_name,
			   regexp_replace(pg_get_constraintdef(con.oid), '^CHECK (.*?)( NOT VALID)?$', '\1') AS expression
		FROM pg_constraint AS con
		JOIN pg_class AS c ON c.oid = con.conrelid
		WHERE con.contype = 'c' AND con.conparentid = 0
		  AND c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p')
		ORDER BY c.relname, con.conname
	LOOP
		EXECUTE format('SELECT count(*) FROM %s WHERE (%s) IS FALSE',
					   constraint_row.table_name, constraint_row.expression)
			INTO found_rows;
		IF found_rows > 0 THEN
			table_name := constraint_row.table_name;
			issue_description := format('rows violating check constraint %s', constraint_row.conname);
			affected_rows := found_rows;
			RETURN NEXT;
		END IF;
	END LOOP;

	-- Version history: each contract's versions are 1..N with N = contracts.version.
	SELECT count(*) INTO found_rows
	FROM (SELECT v.company_id, v.contract_id
		  FROM pactoria.contract_versions AS v
		  GROUP BY v.company_id, v.contract_id
		  HAVING min(v.version_number) <> 1 OR max(v.version_number) <> count(*)) AS gaps;
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.contract_versions', 'contracts whose versions are not numbered 1..N without gaps', found_rows;
	END IF;

	SELECT count(*) INTO found_rows
	FROM pactoria.contracts AS c
	WHERE NOT EXISTS (SELECT 1 FROM pactoria.contract_versions AS v
					  WHERE v.company_id = c.company_id AND v.contract_id = c.id);
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.contracts', 'contracts with no recorded version', found_rows;
	END IF;

	SELECT count(*) INTO found_rows
	FROM pactoria.contracts AS c
	JOIN (SELECT v.company_id, v.contract_id, max(v.version_number) AS latest
		  FROM pactoria.contract_versions AS v GROUP BY v.company_id, v.contract_id) AS v
		ON v.company_id = c.company_id AND v.contract_id = c.id
	WHERE v.latest <> c.version;
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.contracts', 'contracts whose version is not their latest recorded version', found_rows;
	END IF;

	-- Seats: no company over its limit, and the kept count equal to the real one.
	SELECT count(*) INTO found_rows
	FROM pactoria.companies AS co
	WHERE co.max_users < (SELECT count(*) FROM pactoria.users AS u WHERE u.company_id = co.id AND u.is_active);
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.companies', 'companies with more active users than max_users', found_rows;
	END IF;

	SELECT count(*) INTO found_rows
	FROM pactoria.companies AS co
	WHERE co.active_user_count <> (SELECT count(*) FROM pactoria.users AS u WHERE u.company_id = co.id AND u.is_active);
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.companies', 'companies whose active_user_count differs from their active users', found_rows;
	END IF;

	-- A contract's template is a system template or its own company's.
	SELECT count(*) INTO found_rows
	FROM pactoria.contracts AS c
	JOIN pactoria.templates AS t ON t.id = c.template_id
	WHERE t.company_id IS NOT NULL AND t.company_id <> c.company_id;
	IF found_rows > 0 THEN
		RETURN QUERY SELECT 'pactoria.contracts', 'contracts using another company''s template', found_rows;
	END IF;
END
$$;

COMMENT ON FUNCTION pactoria.verify_data_integrity() IS
'Owner''s tool: looks for what bypassed constraints or triggers can leave: orphaned rows, rows breaking check constraints, contracts with no recorded version, contract version gaps, companies over their seat limit or with a wrong active-user count, contracts on another company''s template. One row per kind of problem found; none when all is well.';

REVOKE EXECUTE ON FUNCTION pactoria.verify_data_integrity() FROM PUBLIC;
