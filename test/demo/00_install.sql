\echo
\echo '=== pactoria: install ==============================================================='
\echo 'One command installs the extension and what it needs (pgcrypto, pg_trgm).'
CREATE EXTENSION pactoria CASCADE;
SELECT pactoria.version() AS pactoria_version,
       (SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname)
          FROM pg_extension WHERE extname <> 'plpgsql') AS installed_extensions;
