------------------------------------------------------------------------------------
-- The seat counter (also restated by the 0.1.0 -> 0.2.0 upgrade); its trigger,
-- trg_users_count_active_users, is made in 22_seats.sql.
------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pactoria.count_active_users()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	seats_taken integer := 0;
	rows_counted bigint;
	company record;
	companies_relation text := 'pactoria.companies';
BEGIN
	-- It writes as the owner: only as the trigger of users (or, on a Citus node,
	-- of a placement of it, users_<shard id>).
	IF TG_TABLE_SCHEMA OPERATOR(pg_catalog.<>) 'pactoria'
	   OR NOT (TG_TABLE_NAME OPERATOR(pg_catalog.=) 'users'
			   OR TG_TABLE_NAME OPERATOR(pg_catalog.~) '^users_[0-9]{1,19}$')
	   OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW' OR TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' THEN
		RAISE EXCEPTION 'pactoria.count_active_users() may not fire on table %.%',
			pactoria.quote_prefix(TG_TABLE_SCHEMA), pactoria.quote_prefix(TG_TABLE_NAME)
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'It is an AFTER row trigger of pactoria.users only.';
	END IF;
	IF TG_TABLE_NAME OPERATOR(pg_catalog.<>) 'users' THEN
		-- A Citus placement of the reference table users: every node runs the
		-- change on its own placement and counts in its own placement of
		-- companies (a statement on companies itself would reach other nodes).
		companies_relation := pg_catalog.shard_name('pactoria.companies'::pg_catalog.regclass,
			pg_catalog.get_shard_id_for_distribution_column('pactoria.companies'::pg_catalog.regclass));
	END IF;

	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.is_active THEN
		seats_taken := 1;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.is_active THEN
		seats_taken := seats_taken - 1;
	END IF;

	IF seats_taken > 0 THEN
		EXECUTE format('UPDATE %s SET active_user_count = active_user_count OPERATOR(pg_catalog.+) 1'
					   ' WHERE id OPERATOR(pg_catalog.=) $1 AND active_user_count OPERATOR(pg_catalog.<) max_users',
					   companies_relation)
			USING NEW.company_id;
		GET DIAGNOSTICS rows_counted = ROW_COUNT;
		IF rows_counted = 0 THEN
			EXECUTE format('SELECT name, max_users, subscription_tier FROM %s WHERE id OPERATOR(pg_catalog.=) $1',
						   companies_relation)
				INTO company USING NEW.company_id;
			RAISE EXCEPTION 'company "%" has no free user seat', pactoria.quote_prefix(company.name)
				USING ERRCODE = 'configuration_limit_exceeded',
					  DETAIL = format('Its %s subscription allows %s active user%s and all are in use.',
									  company.subscription_tier, company.max_users,
									  CASE WHEN company.max_users = 1 THEN '' ELSE 's' END),
					  HINT = 'Deactivate a user, or move the company to a larger subscription tier.';
		END IF;
	ELSIF seats_taken < 0 THEN
		EXECUTE format('UPDATE %s SET active_user_count = active_user_count OPERATOR(pg_catalog.-) 1'
					   ' WHERE id OPERATOR(pg_catalog.=) $1',
					   companies_relation)
			USING OLD.company_id;
	END IF;
	RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.count_active_users() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.count_active_users() IS
'AFTER INSERT, UPDATE OF is_active or DELETE trigger of users: keeps companies.active_user_count and refuses a user beyond max_users (SQLSTATE 53400); on a Citus node, in the local placement of companies.';
