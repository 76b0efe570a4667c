-- Data model benchmarks: version-7 ids and the C updated_at trigger.
\echo '--- 1M-row INSERT into a table keyed by uuid (primary key B-tree): uuid_generate_v7() vs gen_random_uuid()'
\echo '    (gen_random_uuid, random v4 ids, is the reference: ratio < 1 means faster)'
CREATE TABLE bench.keyed_v4 (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), payload integer);
CREATE TABLE bench.keyed_v7 (id uuid PRIMARY KEY DEFAULT pactoria.uuid_generate_v7(), payload integer);
SELECT * FROM bench.compare(
	ARRAY['gen_random_uuid()', 'pactoria.uuid_generate_v7()'],
	ARRAY['INSERT INTO bench.keyed_v4 (payload) SELECT g FROM generate_series(1, 1000000) AS g',
		  'INSERT INTO bench.keyed_v7 (payload) SELECT g FROM generate_series(1, 1000000) AS g'],
	3, 'TRUNCATE bench.keyed_v4, bench.keyed_v7; CHECKPOINT');

\echo '--- generating 1M ids alone (the floor: count(*) over the same rows)'
SELECT * FROM bench.compare(
	ARRAY['count(*) (floor)', 'gen_random_uuid()', 'pactoria.uuid_generate_v7()'],
	ARRAY['SELECT count(*) FROM generate_series(1, 1000000)',
		  'SELECT count(gen_random_uuid()) FROM generate_series(1, 1000000)',
		  'SELECT count(pactoria.uuid_generate_v7()) FROM generate_series(1, 1000000)'],
	3);

\echo '--- 100k-row UPDATE: no trigger (floor) vs C pactoria.set_updated_at() vs a PL/pgSQL trigger'
CREATE FUNCTION bench.plpgsql_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
CREATE TABLE bench.stamp_none (id integer PRIMARY KEY, payload integer, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE bench.stamp_c (LIKE bench.stamp_none INCLUDING ALL);
CREATE TABLE bench.stamp_plpgsql (LIKE bench.stamp_none INCLUDING ALL);
CREATE TRIGGER stamp BEFORE UPDATE ON bench.stamp_c FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at();
CREATE TRIGGER stamp BEFORE UPDATE ON bench.stamp_plpgsql FOR EACH ROW EXECUTE FUNCTION bench.plpgsql_set_updated_at();
INSERT INTO bench.stamp_none (id, payload) SELECT g, g FROM generate_series(1, 100000) AS g;
INSERT INTO bench.stamp_c SELECT * FROM bench.stamp_none;
INSERT INTO bench.stamp_plpgsql SELECT * FROM bench.stamp_none;
VACUUM ANALYZE bench.stamp_none, bench.stamp_c, bench.stamp_plpgsql;
SELECT * FROM bench.compare(
	ARRAY['no trigger (floor)', 'C set_updated_at()', 'PL/pgSQL trigger'],
	ARRAY['UPDATE bench.stamp_none SET payload = payload + 1',
		  'UPDATE bench.stamp_c SET payload = payload + 1',
		  'UPDATE bench.stamp_plpgsql SET payload = payload + 1'],
	5);
