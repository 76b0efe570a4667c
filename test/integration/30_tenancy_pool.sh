#!/usr/bin/env bash
# The tenant context on a pooled connection: one connection of the application
# role serves transaction after transaction, as a transaction-mode pool does.
# What set_context() sets for a transaction must be gone when it commits or
# rolls back; what it sets for the session lasts until clear_context() or
# DISCARD ALL (a pool's reset query); a transaction-local context inside a
# session-level one is undone at commit.  Each step is one psql session, so each
# runs on one connection from start to end.
source "$(dirname "$0")/lib.bash"
plan 13

app=pactoria_it30_pool_app
db=$(fresh_database tenancy_pool) || { echo "Bail out! cannot create database"; exit 1; }
trap 'psql -X -q -d postgres -c "DROP ROLE IF EXISTS $app" >/dev/null 2>&1' EXIT

sql "$db" "SET client_min_messages = warning; DROP ROLE IF EXISTS $app; CREATE ROLE $app LOGIN" >/dev/null \
	&& sql "$db" "SET client_min_messages = warning; CREATE EXTENSION pactoria CASCADE" >/dev/null \
	&& sql "$db" "SELECT pactoria.grant_application_access('$app')" >/dev/null \
	&& sql "$db" "SELECT pactoria.grant_service_access('$app')" >/dev/null \
	|| { echo "Bail out! cannot set up pactoria and the application role"; exit 1; }

# Company A with 3 contracts, company B with 2; their ids as shell variables.
read -r a a_user b b_user < <(sql "$db" "
	WITH a AS (SELECT * FROM pactoria.create_company('Pool Alpha Ltd', 'admin@pool-alpha.example', 'Alpha Admin')),
		 b AS (SELECT * FROM pactoria.create_company('Pool Bravo Ltd', 'admin@pool-bravo.example', 'Bravo Admin'))
	SELECT a.company_id, a.user_id, b.company_id, b.user_id FROM a, b" | tr '|' ' ')
sql "$db" "
	INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
	SELECT '$a'::uuid, 'Alpha contract ' || n, 'services', '$a_user'::uuid FROM generate_series(1, 3) AS n
	UNION ALL
	SELECT '$b'::uuid, 'Bravo contract ' || n, 'services', '$b_user'::uuid FROM generate_series(1, 2) AS n" >/dev/null \
	|| { echo "Bail out! cannot load the contracts"; exit 1; }

# as_app: run a psql script (stdin) on one connection as the application role;
# one output line per row, errors included.
as_app() { psql -X -q -A -t -U "$app" -d "$db" 2>&1 | sed 's/^psql:<stdin>:[0-9]*: //' | grep -v '^CONTEXT:  PL/pgSQL'; }
visible="SELECT count(*) FROM pactoria.contracts;"

is "$(as_app <<SQL
BEGIN;
SELECT pactoria.set_context('$a', '$a_user');
$visible
COMMIT;
BEGIN;
$visible
SELECT coalesce(pactoria.current_company_id()::text, 'no context');
COMMIT;
SQL
)" "$(printf '\n3\n0\nno context')" \
	"set_context() in a transaction, COMMIT: the next transaction on the connection has no context and sees nothing"

is "$(as_app <<SQL
BEGIN;
SELECT pactoria.set_context('$a', '$a_user');
ROLLBACK;
$visible
SQL
)" "$(printf '\n0')" "after ROLLBACK the context is gone too"

is "$(as_app <<SQL
BEGIN;
SELECT pactoria.set_context('$a', '$a_user');
SELECT 1 / 0;
ROLLBACK;
$visible
SQL
)" "$(printf '\nERROR:  division by zero\n0')" "after a failed transaction the context is gone"

is "$(as_app <<SQL
SELECT pactoria.set_context('$a', '$a_user');
$visible
SQL
)" "$(printf '\n0')" "set_context() outside a transaction block lasts only for its own statement"

is "$(as_app <<SQL
BEGIN;
SELECT pactoria.set_context('$a', '$a_user');
INSERT INTO pactoria.contracts (company_id, title, contract_type) VALUES ('$a', 'Committed under context', 'nda');
COMMIT;
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by) VALUES ('$a', 'After commit', 'nda', '$a_user');
SQL
)" "$(printf '\nERROR:  no tenant context is set\nDETAIL:  Table "contracts" is under tenant isolation: every row written to it belongs to the company in the tenant context.\nHINT:  Call pactoria.resume_session(session_token) in this transaction first.')" \
	"a write in the transaction is committed; the same write after COMMIT is refused"

is "$(sql "$db" "SELECT string_agg(title, ', ') FROM pactoria.contracts WHERE company_id = '$a' AND created_by = '$a_user' AND title IN ('Committed under context', 'After commit')")" "Committed under context" \
	"exactly the write made under context reached the table, with the user in context as its creator"

is "$(as_app <<SQL
SELECT pactoria.set_context('$b', '$b_user', false);
$visible
BEGIN;
$visible
COMMIT;
$visible
SELECT pactoria.clear_context();
$visible
SQL
)" "$(printf '\n2\n2\n2\n\n0')" "set_context(..., false) lasts for the session, across transactions, until clear_context()"

is "$(as_app <<SQL
SELECT pactoria.set_context('$b', '$b_user', false);
BEGIN;
SELECT pactoria.set_context('$a', '$a_user');
$visible
COMMIT;
$visible
SELECT pactoria.current_user_id() = '$b_user';
SQL
)" "$(printf '\n\n4\n2\nt')" "a transaction-local context inside a session one holds until COMMIT, then the session's returns"

is "$(as_app <<SQL
SELECT pactoria.set_context('$b', '$b_user', false);
DISCARD ALL;
$visible
SELECT coalesce(pactoria.current_user_id()::text, 'no user');
SQL
)" "$(printf '\n0\nno user')" "DISCARD ALL (a pool's server_reset_query) clears a session context"

is "$(as_app <<SQL
SELECT pactoria.set_context('$b', '$b_user', false);
SELECT pactoria.set_context('$b', '$a_user', false);
SELECT pactoria.current_user_id() = '$b_user';
SQL
)" "$(printf '\nERROR:  user %s is not an active user of company %s\nDETAIL:  A tenant context can only name an active user of its own company.\nt' "$a_user" "$b")" \
	"a refused set_context() leaves the session's previous context as it was (call clear_context() on error)"

# Until pactoria's library is loaded in a backend, pactoria.* are placeholders
# anyone may SET; when it loads, PostgreSQL re-applies them with the rights of
# the role that set them, and drops what that role may not set.
is "$(as_app <<SQL
SET pactoria.company_id = '$b';
$visible
SELECT coalesce(pactoria.current_company_id()::text, 'no context');
SQL
)" "$(printf 'WARNING:  permission denied to set parameter "pactoria.company_id"\n0\nno context')" \
	"SET by the application role before the library is loaded is dropped, with a warning, when it loads"

is "$(as_app <<SQL
SET pactoria.company_id = '$b';
BEGIN;
SELECT pactoria.set_context('$a', '$a_user');
$visible
COMMIT;
$visible
SQL
)" "$(printf '\nWARNING:  permission denied to set parameter "pactoria.company_id"\n4\n0')" \
	"nor does it come back after a set_context() transaction ends"

is "$(as_app <<SQL
SELECT pactoria.version() IS NOT NULL;
SET pactoria.company_id = '$b';
SELECT set_config('pactoria.company_id', '$b', false);
$visible
SQL
)" "$(printf 't\nERROR:  permission denied to set parameter "pactoria.company_id"\nERROR:  permission denied to set parameter "pactoria.company_id"\n0')" \
	"once it is loaded, SET and set_config() of the context by the application role are refused"

done_testing
