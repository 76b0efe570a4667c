-- The trigger protocol of every C trigger function (trigger_guard.c,
-- pactoria_trigger()): fired any other way than the one it was written for, each
-- refuses with 39P01 and says how it must be fired, before it looks at the table
-- or a row.  The scratch table is not pactoria's: the protocol is checked first.
\set VERBOSITY default
CREATE TABLE public.protocol_scratch (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), note text);
INSERT INTO public.protocol_scratch (note) VALUES ('one');

CREATE FUNCTION pg_temp.fire(trigger_function text, how text, statement text)
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('CREATE TRIGGER protocol_probe %s ON public.protocol_scratch %s EXECUTE FUNCTION pactoria.%I()',
				   how, CASE WHEN how LIKE '%TRUNCATE%' THEN '' ELSE 'FOR EACH ROW' END, trigger_function);
	BEGIN
		EXECUTE statement;
		RETURN 'no error';
	EXCEPTION WHEN OTHERS THEN
		RETURN SQLSTATE || ': ' || SQLERRM;
	END;
	-- not reached: the block above returns
END
$$;

CREATE FUNCTION pg_temp.probe(trigger_function text, how text, statement text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	result := pg_temp.fire(trigger_function, how, statement);
	DROP TRIGGER protocol_probe ON public.protocol_scratch;
	RETURN result;
END
$$;

-- Wrong timing, each for an event the function otherwise serves.
SELECT pg_temp.probe('set_updated_at', 'AFTER UPDATE', 'UPDATE public.protocol_scratch SET note = ''two''');
SELECT pg_temp.probe('enforce_contract_lifecycle', 'AFTER INSERT', 'INSERT INTO public.protocol_scratch (note) VALUES (''x'')');
SELECT pg_temp.probe('record_contract_version', 'BEFORE INSERT', 'INSERT INTO public.protocol_scratch (note) VALUES (''x'')');
SELECT pg_temp.probe('check_scoring_config', 'AFTER UPDATE', 'UPDATE public.protocol_scratch SET note = ''two''');
SELECT pg_temp.probe('derive_risk_level_and_review', 'AFTER INSERT', 'INSERT INTO public.protocol_scratch (note) VALUES (''x'')');
SELECT pg_temp.probe('end_sessions_of_deactivated', 'BEFORE UPDATE', 'UPDATE public.protocol_scratch SET note = ''two''');
SELECT pg_temp.probe('audit_seal', 'BEFORE INSERT', 'INSERT INTO public.protocol_scratch (note) VALUES (''x'')');
SELECT pg_temp.probe('audit_check_entry', 'AFTER INSERT', 'INSERT INTO public.protocol_scratch (note) VALUES (''x'')');
SELECT pg_temp.probe('guard_contract_history', 'AFTER DELETE', 'DELETE FROM public.protocol_scratch WHERE note = ''one''');
SELECT pg_temp.probe('audit_settings_changed', 'BEFORE UPDATE', 'UPDATE public.protocol_scratch SET note = ''two''');
SELECT pg_temp.probe('protect_values', 'AFTER INSERT', 'INSERT INTO public.protocol_scratch (note) VALUES (''x'')');
SELECT pg_temp.probe('protected_columns_changed', 'BEFORE UPDATE', 'UPDATE public.protocol_scratch SET note = ''two''');
SELECT pg_temp.probe('person_keys_changed', 'BEFORE DELETE', 'DELETE FROM public.protocol_scratch WHERE note = ''one''');

-- Wrong event.
SELECT pg_temp.probe('set_updated_at', 'BEFORE INSERT', 'INSERT INTO public.protocol_scratch (note) VALUES (''x'')');
SELECT pg_temp.probe('record_contract_version', 'AFTER DELETE', 'DELETE FROM public.protocol_scratch WHERE note = ''one''');
SELECT pg_temp.probe('check_scoring_config', 'BEFORE DELETE', 'DELETE FROM public.protocol_scratch WHERE note = ''one''');
SELECT pg_temp.probe('derive_risk_level_and_review', 'BEFORE TRUNCATE', 'TRUNCATE public.protocol_scratch');
SELECT pg_temp.probe('enforce_contract_lifecycle', 'BEFORE TRUNCATE', 'TRUNCATE public.protocol_scratch');
SELECT pg_temp.probe('end_sessions_of_deactivated', 'AFTER INSERT', 'INSERT INTO public.protocol_scratch (note) VALUES (''x'')');
SELECT pg_temp.probe('audit_seal', 'AFTER UPDATE', 'UPDATE public.protocol_scratch SET note = ''two''');
SELECT pg_temp.probe('protect_values', 'BEFORE DELETE', 'DELETE FROM public.protocol_scratch WHERE note = ''one''');

-- Wrong level: a row trigger fired for a statement, and the other way round.
CREATE TRIGGER protocol_probe BEFORE UPDATE ON public.protocol_scratch
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.set_updated_at();
UPDATE public.protocol_scratch SET note = 'two';
DROP TRIGGER protocol_probe ON public.protocol_scratch;
CREATE TRIGGER protocol_probe BEFORE INSERT ON public.protocol_scratch
	FOR EACH ROW EXECUTE FUNCTION pactoria.require_tenant_context();
INSERT INTO public.protocol_scratch (note) VALUES ('x');
DROP TRIGGER protocol_probe ON public.protocol_scratch;

-- Fired as written, each passes the protocol and meets the next check: the table.
SELECT pg_temp.probe('set_updated_at', 'BEFORE UPDATE', 'UPDATE public.protocol_scratch SET note = ''two''');
SELECT pg_temp.probe('guard_contract_history', 'BEFORE TRUNCATE', 'TRUNCATE public.protocol_scratch');
SELECT pg_temp.probe('audit_settings_changed', 'AFTER TRUNCATE', 'TRUNCATE public.protocol_scratch');
SELECT pg_temp.probe('protected_columns_changed', 'AFTER TRUNCATE', 'TRUNCATE public.protocol_scratch');
SELECT pg_temp.probe('person_keys_changed', 'AFTER TRUNCATE', 'TRUNCATE public.protocol_scratch');
SELECT pg_temp.probe('protect_values', 'BEFORE UPDATE', 'UPDATE public.protocol_scratch SET note = ''two''');

-- Not through the trigger manager at all.
SELECT pactoria.set_updated_at();

-- Nothing was written by a refused trigger.
SELECT count(*) AS rows, string_agg(note, ',' ORDER BY note) AS notes FROM public.protocol_scratch;
DROP TABLE public.protocol_scratch;
