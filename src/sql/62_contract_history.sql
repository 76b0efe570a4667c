------------------------------------------------------------------------------------
-- The history of a contract (also restated by the 0.1.0 -> 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- The company is a variable, not a call in the query: Citus (on PostgreSQL 15)
-- plans no outer join with a condition on a function alone.
CREATE OR REPLACE FUNCTION pactoria.contract_history(contract_id uuid)
RETURNS TABLE (version_number integer, change_summary text, created_by uuid,
			   created_by_name text, created_at timestamptz, content_bytes integer,
			   is_current boolean)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	current_version integer := pactoria.current_contract_version(contract_history.contract_id);
	company uuid := pactoria.require_company_id();
BEGIN
	RETURN QUERY
	SELECT v.version_number, v.change_summary, v.created_by, u.full_name, v.created_at,
		   octet_length(v.content), v.version_number = current_version
	FROM pactoria.contract_versions AS v
	LEFT JOIN pactoria.users AS u ON u.company_id = v.company_id AND u.id = v.created_by
	WHERE v.company_id = company AND v.contract_id = contract_history.contract_id
	ORDER BY v.version_number DESC;
END
$$;

COMMENT ON FUNCTION pactoria.contract_history(uuid) IS
'The versions of a contract of the tenant in context, newest first: number, change summary, author (id and name), when, size of the content in bytes, and whether it is the current version. Unknown contract: undefined_object (42704).';
