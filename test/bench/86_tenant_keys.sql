-- Benchmark: encrypting and decrypting 1,000,000 values of 100 bytes under the
-- tenant's data key, against the floor (a bare sha256() of the same values: one
-- cryptographic pass per row, no key) and the seed's way (pgp_sym_encrypt /
-- pgp_sym_decrypt with a passphrase from a setting).  Goals (issue 16): at least
-- 20x faster than pgp_sym_*, at most 3x the floor.  Best of 3 runs each; the
-- ratios are to the first row of each table (the floor).
SET max_parallel_workers_per_gather = 0;
SET jit = off;
INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-0000000086b1', 'Bench Keys Ltd');
SET pactoria.company_id = '00000000-0000-7000-8000-0000000086b1';
SET app.encryption_key = 'a passphrase the seed keeps in a setting';

CREATE TABLE bench.clear_values AS
SELECT i, rpad(md5(i::text), 100, md5((i + 1)::text) || md5((i + 2)::text) || md5((i + 3)::text)) AS v
FROM generate_series(1, 1000000) AS i;
CREATE TABLE bench.sealed_values AS SELECT i, pactoria.encrypt(v, 'bench.values.v') AS v FROM bench.clear_values;
-- the seed's decrypt is measured on 100,000 rows and scaled: a million take minutes
CREATE TABLE bench.pgp_values AS
SELECT i, pgp_sym_encrypt(v, current_setting('app.encryption_key')) AS v FROM bench.clear_values WHERE i <= 100000;
ANALYZE bench.clear_values, bench.sealed_values, bench.pgp_values;

-- pgp on 100,000 rows, scaled by 10 to a million.
CREATE TEMPORARY TABLE pgp_times AS
SELECT 'encrypt' AS what,
	   bench.time_ms($$SELECT count(pgp_sym_encrypt(v, current_setting('app.encryption_key'))) FROM bench.clear_values WHERE i <= 100000$$, 3) * 10 AS ms
UNION ALL
SELECT 'decrypt',
	   bench.time_ms($$SELECT count(pgp_sym_decrypt(v, current_setting('app.encryption_key'))) FROM bench.pgp_values$$, 3) * 10;

CREATE TEMPORARY TABLE our_times AS
SELECT 'floor' AS what, bench.time_ms($$SELECT count(sha256(convert_to(v, 'UTF8'))) FROM bench.clear_values$$, 3) AS ms
UNION ALL
SELECT 'encrypt', bench.time_ms($$SELECT count(pactoria.encrypt(v, 'bench.values.v')) FROM bench.clear_values$$, 3)
UNION ALL
SELECT 'decrypt', bench.time_ms($$SELECT count(pactoria.decrypt(v, 'bench.values.v')) FROM bench.sealed_values$$, 3);

\echo 'Per 1,000,000 values (pgp_sym_* measured on 100,000 and scaled): ms, ratio to the floor, times faster than pgp_sym_*'
SELECT o.what, o.ms, round(o.ms / f.ms, 2) AS ratio_to_floor,
	   CASE WHEN p.ms IS NOT NULL THEN round(p.ms / o.ms, 1) END AS times_faster_than_pgp, p.ms AS pgp_ms
FROM our_times AS o CROSS JOIN (SELECT ms FROM our_times WHERE what = 'floor') AS f
LEFT JOIN pgp_times AS p USING (what)
ORDER BY o.what DESC;

-- The cost protect_column() adds to a 100,000-row INSERT into a lean table (uuid
-- keys, a title, a 280-byte protected body): the floor is the same table without
-- protection (the body stored as clear bytes), the baseline the seed's way, a
-- PL/pgSQL BEFORE trigger that calls pgp_sym_encrypt() with the key from a setting.
CREATE TABLE bench.notes_clear_floor (company_id uuid NOT NULL, id uuid NOT NULL, title text NOT NULL, body bytea,
	PRIMARY KEY (company_id, id));
CREATE TABLE bench.notes_protected (LIKE bench.notes_clear_floor INCLUDING ALL);
CREATE TABLE bench.notes_pgp (LIKE bench.notes_clear_floor INCLUDING ALL);
DO $$ BEGIN PERFORM pactoria.protect_column('bench.notes_protected', 'body'); END $$;
CREATE FUNCTION bench.pgp_encrypt_body() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.body := pgp_sym_encrypt(convert_from(NEW.body, 'UTF8'), current_setting('app.encryption_key'));
	RETURN NEW;
END
$$;
CREATE TRIGGER encrypt_body BEFORE INSERT OR UPDATE ON bench.notes_pgp FOR EACH ROW EXECUTE FUNCTION bench.pgp_encrypt_body();
CREATE TABLE bench.note_rows AS
SELECT pactoria.uuid_generate_v7() AS id, 'Note ' || i AS title,
	   convert_to(rpad(md5(i::text), 280, md5((i + 1)::text)), 'UTF8') AS body
FROM generate_series(1, 100000) AS i;
\echo '100,000-row INSERT with one 280-byte protected column: ms, ratio to the same INSERT unprotected'
SELECT * FROM bench.compare(
	ARRAY['unprotected (floor)', 'protect_column()', 'PL/pgSQL trigger with pgp_sym_encrypt'],
	ARRAY[$$INSERT INTO bench.notes_clear_floor SELECT '00000000-0000-7000-8000-0000000086b1', id, title, body FROM bench.note_rows$$,
		  $$INSERT INTO bench.notes_protected SELECT '00000000-0000-7000-8000-0000000086b1', id, title, body FROM bench.note_rows$$,
		  $$INSERT INTO bench.notes_pgp SELECT '00000000-0000-7000-8000-0000000086b1', id, title, body FROM bench.note_rows$$],
	3, 'TRUNCATE bench.notes_clear_floor, bench.notes_protected, bench.notes_pgp');
