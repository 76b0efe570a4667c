
-- 22_seats.sql: subscription tiers and the seat limit.
--
-- companies.max_users follows the subscription tier (system_config
-- subscription_tier_max_users) unless given explicitly.  companies.active_user_count
-- is kept by a trigger on users, and the seat check is one conditional UPDATE of the
-- company row: two sessions adding the last seat at once serialise on that row, and
-- the second finds no seat (READ COMMITTED re-checks the condition on the new row
-- version; REPEATABLE READ and SERIALIZABLE raise a serialization failure, 40001).

CREATE FUNCTION pactoria.tier_max_users(subscription_tier text)
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

COMMENT ON FUNCTION pactoria.tier_max_users(text) IS
'Active users a subscription tier allows (system_config key subscription_tier_max_users).';

CREATE FUNCTION pactoria.set_company_max_users()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NEW.max_users IS NULL THEN
			NEW.max_users := pactoria.tier_max_users(NEW.subscription_tier);
		END IF;
	ELSIF NEW.subscription_tier IS DISTINCT FROM OLD.subscription_tier
		  AND NEW.max_users IS NOT DISTINCT FROM OLD.max_users THEN
		NEW.max_users := pactoria.tier_max_users(NEW.subscription_tier);
	END IF;
	IF NEW.max_users < NEW.active_user_count THEN
		RAISE EXCEPTION 'company "%" has % active user%, more than the % its % subscription would allow',
			NEW.name, NEW.active_user_count, CASE WHEN NEW.active_user_count = 1 THEN '' ELSE 's' END,
			NEW.max_users, NEW.subscription_tier
			USING ERRCODE = 'check_violation',
				  HINT = 'Deactivate users first, or keep a tier with enough seats.';
	END IF;
	RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.set_company_max_users() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.set_company_max_users() IS
'BEFORE INSERT OR UPDATE trigger of companies: max_users follows the subscription tier unless set explicitly, and never drops below the active users.';

CREATE TRIGGER trg_companies_set_max_users
	BEFORE INSERT OR UPDATE OF subscription_tier, max_users ON pactoria.companies
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.set_company_max_users();

-- Keeps companies.active_user_count and enforces the seat limit.  SECURITY
-- DEFINER: it must count and lock the company row whatever the caller may see.
-- pactoria.count_active_users(): 21_seat_counter.sql.

CREATE TRIGGER trg_users_count_active_users
	AFTER INSERT OR UPDATE OF is_active OR DELETE ON pactoria.users
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.count_active_users();
