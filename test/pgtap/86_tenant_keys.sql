-- Tenant data keys and encrypted values (issue 16, first part): encrypt() and
-- decrypt() under the tenant context, AES-256-GCM bound to the company and the
-- binding; tampering, another tenant, another binding refused (22000, never
-- garbage); bad input; a key made in a rolled-back subtransaction forgotten;
-- rotation keeps old values readable; the application sees no key.  (Exact
-- messages: sql/tenant_keys.sql.)
BEGIN;
SET client_min_messages = error;
SELECT plan(50);

CREATE ROLE pactoria_t86_app LOGIN;
SELECT pactoria.grant_application_access('pactoria_t86_app') \g /dev/null

CREATE TEMPORARY TABLE t86_ids AS
SELECT a.company_id AS a, a.user_id AS a_admin, b.company_id AS b, b.user_id AS b_admin
FROM pactoria.create_company('T86 Alpha Ltd', 'admin@t86-alpha.example', 'Alpha Admin') AS a,
	 pactoria.create_company('T86 Bravo Ltd', 'admin@t86-bravo.example', 'Bravo Admin') AS b;
GRANT SELECT ON t86_ids TO pactoria_t86_app;
CREATE FUNCTION pg_temp.as_company(name text) RETURNS void LANGUAGE sql AS $$
	SELECT set_config('pactoria.company_id', CASE name WHEN 'a' THEN a::text WHEN 'b' THEN b::text ELSE '' END, true)
	FROM t86_ids
$$;
CREATE TEMPORARY TABLE t86_values (name text PRIMARY KEY, value bytea);
GRANT SELECT, INSERT ON t86_values TO pactoria_t86_app;

------------------------------------------------------------------------------------
-- Round trips.
------------------------------------------------------------------------------------
SELECT pg_temp.as_company('a');
SELECT is(pactoria.decrypt(pactoria.encrypt('sort code 12-34-56', 'app.payees.account'), 'app.payees.account'),
		  'sort code 12-34-56', 'a value decrypts to itself');
SELECT is(pactoria.decrypt(pactoria.encrypt('', 'app.payees.account'), 'app.payees.account'), '',
		  'so does the empty string');
SELECT is(pactoria.decrypt(pactoria.encrypt('Zoë Ðuć — £5 ✓', 'x'), 'x'), 'Zoë Ðuć — £5 ✓', 'and non-ASCII text');
SELECT is(md5(pactoria.decrypt(pactoria.encrypt(repeat('0123456789', 100000), 'x'), 'x')), md5(repeat('0123456789', 100000)),
		  'and a 1 MB value');
SELECT is(octet_length(pactoria.encrypt('abc', 'x')), 36, 'a ciphertext is 33 bytes longer than its value');
SELECT isnt(pactoria.encrypt('same', 'x'), pactoria.encrypt('same', 'x'), 'each encryption has its own nonce');
SELECT is(pactoria.ciphertext_key_number(pactoria.encrypt('v', 'x')), 1, 'a company''s first key is number 1');
SELECT is((SELECT count(*)::int FROM pactoria.tenant_keys WHERE company_id = (SELECT a FROM t86_ids)), 1,
		  'made by the first encrypt(), once');
SELECT is((SELECT count(*)::int FROM pactoria.tenant_keys WHERE company_id = (SELECT b FROM t86_ids)), 0,
		  'and for that company only');
SELECT is((SELECT octet_length(wrapped_key) FROM pactoria.tenant_keys WHERE company_id = (SELECT a FROM t86_ids)), 65,
		  'the stored key is sealed: version, key id, nonce, 32 bytes, tag');
SELECT is(pactoria.encrypt(NULL, 'x'), NULL, 'encrypt(NULL) is NULL');
SELECT is(pactoria.decrypt(NULL, 'x'), NULL, 'decrypt(NULL) is NULL');
SELECT is(pactoria.encrypt('v', NULL), NULL, 'a NULL binding gives NULL');

INSERT INTO t86_values VALUES ('a1', pactoria.encrypt('alpha secret', 'app.notes.body'));

------------------------------------------------------------------------------------
-- What does not decrypt: 22000, never another value.
------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT pactoria.decrypt((SELECT value FROM t86_values WHERE name = 'a1'), 'app.notes.title')$$,
				 '22000', 'value does not decrypt', 'another binding (column) is refused');
SELECT pg_temp.as_company('b');
SELECT throws_ok($$SELECT pactoria.decrypt((SELECT value FROM t86_values WHERE name = 'a1'), 'app.notes.body')$$,
				 '22000', 'value does not decrypt', 'another company (without keys) is refused');
SELECT lives_ok($$SELECT pactoria.encrypt('bravo', 'x')$$, 'the other company gets its own key');
SELECT throws_ok($$SELECT pactoria.decrypt((SELECT value FROM t86_values WHERE name = 'a1'), 'app.notes.body')$$,
				 '22000', 'value does not decrypt', 'another company with a key of the same number is refused');
SELECT pg_temp.as_company('a');
CREATE FUNCTION pg_temp.decrypt_error(value bytea, binding text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pactoria.decrypt(value, binding);
	RETURN 'decrypted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
SELECT is((SELECT array_agg(DISTINCT pg_temp.decrypt_error(set_byte(value, i, get_byte(value, i) # 128), 'app.notes.body'))
		   FROM generate_series(0, octet_length(value) - 1) AS i), ARRAY['22000'],
		  'every byte with its high bit flipped gives 22000: header, nonce, ciphertext and tag')
FROM t86_values WHERE name = 'a1';
SELECT is((SELECT array_agg(DISTINCT pg_temp.decrypt_error(set_byte(value, i, get_byte(value, i) # 1), 'app.notes.body'))
		   FROM generate_series(0, octet_length(value) - 1) AS i), ARRAY['22000'],
		  'and so does every byte with its low bit flipped')
FROM t86_values WHERE name = 'a1';
SELECT is(pg_temp.decrypt_error(substring(value FROM 1 FOR octet_length(value) - 1), 'app.notes.body'), '22000',
		  'a truncated ciphertext gives 22000')
FROM t86_values WHERE name = 'a1';
SELECT throws_ok($$SELECT pactoria.decrypt('\x'::bytea, 'x')$$, '22000', 'value is not a pactoria ciphertext',
				 'an empty value is no ciphertext');
SELECT throws_ok($$SELECT pactoria.decrypt('\x0102'::bytea, 'x')$$, '22000', 'value is not a pactoria ciphertext',
				 'two bytes are no ciphertext');
SELECT throws_ok($$SELECT pactoria.decrypt(pactoria.seal_totp_secret('\x000102030405060708090a0b0c0d0e0f'::bytea, 'x'), 'x')$$, '22000',
				 'value is not a pactoria ciphertext', 'a sealed secret (version 1) is no ciphertext');
SELECT throws_ok($$SELECT pactoria.decrypt(overlay(pactoria.encrypt('v', 'x') PLACING '\x00000009'::bytea FROM 2), 'x')$$,
				 '22000', 'value does not decrypt', 'a ciphertext relabelled with a key the company lacks is refused');
SELECT is(pactoria.ciphertext_key_number('\x0102'::bytea), NULL, 'ciphertext_key_number of no ciphertext is NULL');

------------------------------------------------------------------------------------
-- Bad input.
------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT pactoria.encrypt('v', '')$$, '22023', NULL, 'an empty binding is refused');
SELECT throws_ok($$SELECT pactoria.encrypt('v', repeat('b', 129))$$, '22023', NULL, 'a 129-byte binding is refused');
SELECT lives_ok($$SELECT pactoria.encrypt('v', repeat('b', 128))$$, 'a 128-byte binding is taken');
SELECT throws_ok($$SELECT pactoria.decrypt(pactoria.encrypt('v', 'x'), '')$$, '22023', NULL, 'so is an empty one by decrypt()');
SELECT throws_ok($$SELECT pactoria.encrypt(repeat('x', 16 * 1024 * 1024 + 1), 'x')$$, '54000', NULL,
				 'a value over 16 MB is refused');
SELECT pg_temp.as_company('none');
SELECT throws_ok($$SELECT pactoria.encrypt('v', 'x')$$, '42501', 'no tenant context is set', 'encrypt() needs a tenant context');
SELECT throws_ok($$SELECT pactoria.decrypt((SELECT value FROM t86_values WHERE name = 'a1'), 'app.notes.body')$$,
				 '42501', 'no tenant context is set', 'so does decrypt()');
SELECT is((SELECT count(*)::int FROM pactoria.tenant_keys WHERE company_id IN (SELECT a FROM t86_ids UNION SELECT b FROM t86_ids)), 2,
		  'refused calls made no key');

------------------------------------------------------------------------------------
-- A key made in a subtransaction that rolls back is forgotten with it.
------------------------------------------------------------------------------------
INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-0000000086c1', 'T86 Charlie Ltd');
SET LOCAL pactoria.company_id = '00000000-0000-7000-8000-0000000086c1';
SAVEPOINT before_key;
SELECT lives_ok($$SELECT pactoria.encrypt('lost', 'x')$$, 'a first encrypt() makes a key');
ROLLBACK TO SAVEPOINT before_key;
SELECT is((SELECT count(*)::int FROM pactoria.tenant_keys WHERE company_id = '00000000-0000-7000-8000-0000000086c1'), 0,
		  'the key is gone with the subtransaction');
INSERT INTO t86_values VALUES ('c1', pactoria.encrypt('kept', 'x'));
SELECT is((SELECT count(*)::int FROM pactoria.tenant_keys WHERE company_id = '00000000-0000-7000-8000-0000000086c1'), 1,
		  'the next encrypt() makes and stores a key again');
SELECT is(pactoria.decrypt(value, 'x'), 'kept', 'and what it encrypted decrypts (the forgotten key was not used)')
FROM t86_values WHERE name = 'c1';

------------------------------------------------------------------------------------
-- Rotation.
------------------------------------------------------------------------------------
SELECT is(pactoria.rotate_tenant_key(a), 2, 'rotate_tenant_key() makes key 2') FROM t86_ids;
SELECT pg_temp.as_company('a');
SELECT is(pactoria.ciphertext_key_number(pactoria.encrypt('new', 'x')), 2, 'new values are encrypted under it');
SELECT is(pactoria.decrypt(value, 'app.notes.body'), 'alpha secret', 'a value under key 1 still decrypts')
FROM t86_values WHERE name = 'a1';
SELECT is(pactoria.rotate_tenant_key('00000000-0000-7000-8000-0000000086c1'), 2, 'a rotation of another company');
SELECT throws_ok($$SELECT pactoria.rotate_tenant_key('00000000-0000-7000-8000-00000000ffff')$$, 'P0002', NULL,
				 'an unknown company is refused');
SELECT is(pactoria.rotate_tenant_key(NULL), NULL, 'rotate_tenant_key(NULL) is NULL');
SELECT is(pactoria.rewrap_tenant_keys(), 0, 'rewrap_tenant_keys() has nothing to do while every key is under the current server key');

------------------------------------------------------------------------------------
-- The application role.
------------------------------------------------------------------------------------
CREATE TEMPORARY TABLE t86_tokens AS
SELECT s.session_token FROM t86_ids, pactoria.create_session(a, a_admin) AS s;
GRANT SELECT ON t86_tokens TO pactoria_t86_app;
RESET pactoria.company_id;
SET LOCAL ROLE pactoria_t86_app;
SELECT lives_ok($$SELECT * FROM pactoria.resume_session((SELECT session_token FROM t86_tokens))$$,
				'the application resumes a session');
SELECT is(pactoria.decrypt(value, 'app.notes.body'), 'alpha secret', 'and decrypts its company''s values')
FROM t86_values WHERE name = 'a1';
SELECT is(pactoria.decrypt(pactoria.encrypt('from the app', 'x'), 'x'), 'from the app', 'and encrypts');
SELECT throws_ok($$SELECT pactoria.decrypt(value, 'x') FROM t86_values WHERE name = 'c1'$$, '22000', 'value does not decrypt',
				 'not another company''s');
SELECT throws_ok($$SELECT * FROM pactoria.tenant_keys$$, '42501', NULL, 'it cannot read the keys, even sealed');
SELECT throws_ok($$SELECT pactoria.rotate_tenant_key((SELECT a FROM t86_ids))$$, '42501', NULL, 'nor rotate them');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
