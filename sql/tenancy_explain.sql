-- Under row-level security a tenant's queries keep using the (company_id, ...)
-- indexes: the policy's sub-select runs once, as an InitPlan, and its result is
-- an index condition.
BEGIN;

INSERT INTO pactoria.companies (id, name, max_users)
SELECT format('30000000-0000-7000-8000-%s', lpad(to_hex(n), 12, '0'))::uuid, format('Explain Company %s Ltd', n), 5
FROM generate_series(1, 20) AS n;
INSERT INTO pactoria.users (company_id, id, email, full_name, role)
SELECT id, id, format('owner@%s.explain.example', replace(name, ' ', '-')), 'Owner', 'admin'
FROM pactoria.companies WHERE name LIKE 'Explain Company %';
-- Active contracts, through their lifecycle: created drafts, sent for review,
-- approved by each company's owner (an admin, in the tenant context), then
-- active from a start date.
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by, created_at)
SELECT c.id, format('Contract %s of %s', n, c.name), 'services', c.id,
	   timestamptz '2025-01-01 00:00+00' + n * interval '1 hour'
FROM pactoria.companies AS c, generate_series(1, 200) AS n
WHERE c.name LIKE 'Explain Company %';
UPDATE pactoria.contracts SET status = 'pending_review'
WHERE company_id IN (SELECT id FROM pactoria.companies WHERE name LIKE 'Explain Company %');
DO $$
DECLARE
	company uuid;
BEGIN
	FOR company IN SELECT id FROM pactoria.companies WHERE name LIKE 'Explain Company %' LOOP
		PERFORM set_config('pactoria.user_id', company::text, true);
		UPDATE pactoria.contracts SET status = 'approved' WHERE company_id = company;
	END LOOP;
	PERFORM set_config('pactoria.user_id', '', true);
END
$$;
UPDATE pactoria.contracts SET status = 'active', start_date = created_at::date
WHERE company_id IN (SELECT id FROM pactoria.companies WHERE name LIKE 'Explain Company %');
ANALYZE pactoria.companies, pactoria.users, pactoria.contracts;

CREATE ROLE regress_pactoria_explain_app;
SELECT pactoria.grant_application_access('regress_pactoria_explain_app');
-- It also models a trusted service that names its tenant with set_context().
SELECT pactoria.grant_service_access('regress_pactoria_explain_app');
SET ROLE regress_pactoria_explain_app;
SELECT pactoria.set_context('30000000-0000-7000-8000-000000000007', '30000000-0000-7000-8000-000000000007');

-- A tenant's latest contracts: the listing of every contracts page.
EXPLAIN (COSTS OFF)
SELECT id, title, status, created_at FROM pactoria.contracts ORDER BY created_at DESC LIMIT 20;
SELECT count(*) AS listed, bool_and(company_id = pactoria.current_company_id()) AS all_own,
	   min(created_at) AS oldest_listed
FROM (SELECT company_id, created_at FROM pactoria.contracts ORDER BY created_at DESC LIMIT 20) AS listing;

-- A contract by id alone: the policy supplies the leading key column.
EXPLAIN (COSTS OFF)
SELECT title FROM pactoria.contracts WHERE id = '30000000-0000-7000-8000-000000000001';

-- A tenant's active contracts by end date.
EXPLAIN (COSTS OFF)
SELECT id FROM pactoria.contracts WHERE status = 'active' ORDER BY end_date LIMIT 10;

RESET ROLE;
ROLLBACK;
