-- The attacker's probe (included by the other files of test/hostile/).
-- pg_temp.hostile_probe(what, ignored) returns true; when it runs with rights that
-- are not the attacker's own (current_user is not the session's login role, or
-- is a superuser) it does what an attacker would: makes the attacker superuser
-- and records the fact in public.hostile_evidence (which the attacker cannot
-- write), and says so with a WARNING, which reaches the client even when the
-- surrounding transaction rolls back.  The test script checks all three.
CREATE FUNCTION pg_temp.hostile_probe(what pg_catalog.text, ignored pg_catalog.bool)
RETURNS pg_catalog.bool
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF current_user OPERATOR(pg_catalog.<>) session_user
		OR (SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname OPERATOR(pg_catalog.=) current_user) THEN
		RAISE WARNING 'HOSTILE_PWNED: % ran as %', what, current_user;
		BEGIN
			EXECUTE pg_catalog.format('ALTER ROLE %I SUPERUSER', session_user);
		EXCEPTION WHEN OTHERS THEN
			NULL;
		END;
		BEGIN
			INSERT INTO public.hostile_evidence (what, ran_as) VALUES (what, current_user);
		EXCEPTION WHEN OTHERS THEN
			NULL;
		END;
	END IF;
	RETURN true;
END
$$;
