-- The shared library loads and reports the version the extension was built as.
SELECT pactoria.version() = (SELECT extversion FROM pg_extension WHERE extname = 'pactoria') AS version_matches;
SELECT pactoria.version() ~ '^\d+\.\d+\.\d+$' AS looks_like_semver;
-- STRICT, IMMUTABLE and PARALLEL SAFE as declared.
SELECT provolatile, proparallel, proisstrict FROM pg_proc WHERE oid = 'pactoria.version()'::regprocedure;
