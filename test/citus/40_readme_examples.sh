#!/usr/bin/env bash
# The README's examples on the cluster: every ```sql block of README.md, in
# order, in one session, as test/integration/90_readme_examples.sh runs them
# on one server, in a database with Citus, after the first block (CREATE
# EXTENSION pactoria) has run pactoria.distribute_tables().  The session sets
# citus.propagate_set_commands = 'local' (kept through SET ROLE app), so that
# resume_session() forwards the tenant context to the workers.  The database
# has both workers in its metadata (cluster_database).
source "$(dirname "$0")/lib.bash"	# cluster_database
db=pactoria_citus_readme
cleanup() {
	psql -X -q -d postgres -c "SET citus.enable_create_database_propagation = on" \
		-c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS app" >/dev/null 2>&1
}
cleanup
out=$(cluster_database "$db" 2>&1) || { echo "Bail out! could not create the database: $out"; cleanup; exit 1; }
README_DATABASE=$db README_ON_CITUS=1 \
README_AFTER_FIRST_BLOCK="SET client_min_messages = warning; SELECT count(*) AS distributed FROM pactoria.distribute_tables() \\gset
RESET client_min_messages; SET citus.propagate_set_commands = 'local';" \
	bash "$(dirname "$0")/../integration/90_readme_examples.sh"
status=$?
cleanup
exit $status
