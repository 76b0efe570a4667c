------------------------------------------------------------------------------------
-- Contract expiry (also restated by the 0.1.0 -> 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- PL/pgSQL, not SQL: Citus cannot plan a SQL function's query with parameters.
-- An end date is the last day of the contract: it expires once that day has
-- passed, in the session's time zone.
CREATE OR REPLACE FUNCTION pactoria.expire_contracts(as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	expired_count integer;
BEGIN
	UPDATE pactoria.contracts
	SET status = 'expired'
	WHERE status OPERATOR(pg_catalog.=) 'active' AND end_date OPERATOR(pg_catalog.<) as_of::date;
	GET DIAGNOSTICS expired_count = ROW_COUNT;
	RETURN expired_count;
END
$$;

COMMENT ON FUNCTION pactoria.expire_contracts(timestamptz) IS
'Moves active contracts whose end date is before as_of (default now; dates in the session''s time zone) to expired; returns how many. Under row-level security only the current tenant''s contracts; run it as the owner for every tenant.';

-- Row-level security and the partial index idx_contracts_company_id_end_date_active
-- meet in one index scan of the query inside.
CREATE OR REPLACE FUNCTION pactoria.expiring_contracts(within interval)
RETURNS TABLE (id uuid, title text, contract_type text, client_name text, supplier_name text,
			   end_date date, days_remaining integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	RETURN QUERY
	SELECT c.id, c.title, c.contract_type, c.client_name, c.supplier_name, c.end_date,
		   c.end_date OPERATOR(pg_catalog.-) CURRENT_DATE
	FROM pactoria.contracts AS c
	WHERE c.status OPERATOR(pg_catalog.=) 'active'
	  AND c.end_date OPERATOR(pg_catalog.>=) CURRENT_DATE
	  AND c.end_date OPERATOR(pg_catalog.<=) (CURRENT_DATE OPERATOR(pg_catalog.+) within)::date
	ORDER BY c.end_date, c.id;
END
$$;

COMMENT ON FUNCTION pactoria.expiring_contracts(interval) IS
'Active contracts whose end date falls between today and today + within, soonest first, with the days left. Under row-level security only the current tenant''s contracts.';
