-- pactoria.uuid_generate_v7() and pactoria.uuid_v7_time(): RFC 9562 version 7.
SET timezone = 'UTC';

-- Version nibble 7 and variant bits 10 on every id.
SELECT count(*) AS ids,
       count(*) FILTER (WHERE substr(u::text, 15, 1) = '7') AS version_7,
       count(*) FILTER (WHERE substr(u::text, 20, 1) IN ('8', '9', 'a', 'b')) AS variant_10,
       count(DISTINCT u) AS distinct_ids
FROM (SELECT pactoria.uuid_generate_v7() AS u FROM generate_series(1, 100000)) AS ids;

-- Strictly increasing within a session, even 100000 in a row (same millisecond).
SELECT bool_and(u > previous) AS strictly_increasing
FROM (SELECT u, lag(u) OVER (ORDER BY n) AS previous
      FROM (SELECT n, pactoria.uuid_generate_v7() AS u FROM generate_series(1, 100000) AS n) AS ids) AS pairs
WHERE previous IS NOT NULL;

-- The embedded time is now, to the millisecond (the counter may run ahead a little).
SELECT abs(extract(epoch FROM pactoria.uuid_v7_time(pactoria.uuid_generate_v7()) - clock_timestamp())) < 1 AS time_is_now;

-- Decoding known values: 0x018f3e2a1b2c ms = 2024-05-03 11:14:57.964 UTC; fraction 0x800 = half a ms.
SELECT pactoria.uuid_v7_time('018f3e2a-1b2c-7000-8000-000000000000') AS at_fraction_0,
       pactoria.uuid_v7_time('018f3e2a-1b2c-7800-8000-000000000000') AS at_fraction_half,
       pactoria.uuid_v7_time('00000000-0000-7000-8000-000000000000') AS unix_epoch;
-- Not version 7, or not the RFC variant: NULL.
SELECT pactoria.uuid_v7_time(gen_random_uuid()) AS version_4,
       pactoria.uuid_v7_time('018f3e2a-1b2c-7000-c000-000000000000') AS wrong_variant,
       pactoria.uuid_v7_time(NULL) AS null_input;
-- Wrong type.
SELECT pactoria.uuid_v7_time('not a uuid');
SELECT pactoria.uuid_v7_time(42);

-- Declared as it behaves.
SELECT proname, provolatile, proparallel, proisstrict
FROM pg_proc WHERE oid IN ('pactoria.uuid_generate_v7()'::regprocedure, 'pactoria.uuid_v7_time(uuid)'::regprocedure)
ORDER BY proname;
