-- Messages of the tenant data keys and encrypted values (src/tenant_keys.c);
-- behaviour is tested in test/pgtap/86_tenant_keys.sql.
\set VERBOSITY default
INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-0000000086f1', 'Keys One Ltd'), ('00000000-0000-7000-8000-0000000086f2', 'Keys Two Ltd');

-- Without tenant context.
SELECT pactoria.encrypt('value', 'app.notes.body');
SELECT pactoria.decrypt('\x02'::bytea, 'app.notes.body');

SET pactoria.company_id = '00000000-0000-7000-8000-0000000086f1';
SELECT pactoria.decrypt(pactoria.encrypt('value', 'app.notes.body'), 'app.notes.body');
SELECT pactoria.encrypt('value', '');
SELECT pactoria.encrypt('value', repeat('b', 129));
SELECT pactoria.encrypt(repeat('x', 16 * 1024 * 1024 + 1), 'x');
SELECT pactoria.decrypt('\x01'::bytea, 'x');
SELECT pactoria.decrypt(pactoria.encrypt('value', 'app.notes.body'), 'app.notes.title');
CREATE TEMPORARY TABLE one_value AS SELECT pactoria.encrypt('value', 'x') AS value;
SET pactoria.company_id = '00000000-0000-7000-8000-0000000086f2';
SELECT pactoria.decrypt(value, 'x') FROM one_value;
SELECT pactoria.ciphertext_key_number(value) FROM one_value;
SELECT pactoria.ciphertext_key_number('\x0102'::bytea);

-- Rotation.
SELECT pactoria.rotate_tenant_key('00000000-0000-7000-8000-0000000086f1');
SELECT pactoria.rotate_tenant_key('00000000-0000-7000-8000-0000000086f2');
SELECT pactoria.rotate_tenant_key('00000000-0000-7000-8000-0000000086ff');
SELECT company_id, key_number, octet_length(wrapped_key) FROM pactoria.tenant_keys ORDER BY 1, 2;
SELECT pactoria.rewrap_tenant_keys();

-- The trigger protocol of the invalidation trigger.
SELECT pactoria.tenant_keys_changed();
RESET pactoria.company_id;
DELETE FROM pactoria.companies WHERE id IN ('00000000-0000-7000-8000-0000000086f1', '00000000-0000-7000-8000-0000000086f2');
SELECT count(*) AS keys_left FROM pactoria.tenant_keys;
