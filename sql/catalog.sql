-- The catalog pactoria installs, one fact a line: every object of schema pactoria
-- (columns, constraints, indexes, triggers, policies, grants, comments, functions
-- with the md5 of their bodies, types, operators, casts), its extension membership
-- and pg_dump marks, and the rows it ships -- as test/catalog-snapshot.sql writes
-- them, in a database of its own, keeping the facts that name pactoria.  A change
-- to the schema changes this file: the diff is the review of the change.
SET client_min_messages = warning;
CREATE DATABASE pactoria_regress_catalog;
\! PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d pactoria_regress_catalog -c 'CREATE EXTENSION pactoria CASCADE'
\! psql -X -q -A -t -v ON_ERROR_STOP=1 -d pactoria_regress_catalog -f test/catalog-snapshot.sql | grep -F pactoria
DROP DATABASE pactoria_regress_catalog;
