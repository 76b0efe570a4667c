#!/usr/bin/env bash
# CREATE EXTENSION / DROP EXTENSION leave a database as they found it, and a second
# CREATE EXTENSION works.  The one thing PostgreSQL itself leaves is the schema
# pactoria: CREATE EXTENSION makes the control file's schema before the script runs,
# so it is never an extension member, and an extension cannot own the schema it
# lives in.  It is left empty, and a plain DROP SCHEMA (no CASCADE) removes it.
source "$(dirname "$0")/lib.bash"
plan 10

db=$(fresh_database lifecycle) || { echo "Bail out! cannot create database"; exit 1; }
snapshot() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -f "$REPO_ROOT/test/catalog-snapshot.sql"; }
compare() {			# compare <before> <after> <description>
	if [ "$1" == "$2" ]; then is same same "$3"; else
		is differs same "$3"
		diff <(echo "$1") <(echo "$2") | head -40 | sed 's/^/# /' >&2
	fi
}

before=$(snapshot) || { echo "Bail out! catalog snapshot failed"; exit 1; }
ok sql "$db" "CREATE EXTENSION pactoria CASCADE" "CREATE EXTENSION pactoria CASCADE works on an empty database"
is "$(sql "$db" "SELECT pactoria.version() = extversion FROM pg_extension WHERE extname = 'pactoria'")" "t" \
	"pactoria.version() (the C library) matches the installed extension version"
ok sql "$db" "DROP EXTENSION pactoria" "DROP EXTENSION pactoria works"
ok sql "$db" "DROP EXTENSION pg_trgm, pgcrypto" "the extensions CASCADE brought in can be dropped"
after=$(snapshot) || { echo "Bail out! catalog snapshot failed"; exit 1; }
# The schema left behind is listed, and described by one line of its own (owner, grants).
compare "$(printf '%s\nnamespace pactoria' "$before" | LC_ALL=C sort)" "$(grep -v '^schema pactoria: ' <<<"$after")" \
	"DROP EXTENSION leaves nothing behind but the schema pactoria"
ok sql "$db" "CREATE EXTENSION pactoria CASCADE" "CREATE EXTENSION works again while the empty schema remains"
ok sql "$db" "DROP EXTENSION pactoria, pg_trgm, pgcrypto" "and drops again"
ok sql "$db" "DROP SCHEMA pactoria RESTRICT" "the schema left behind is empty"
after=$(snapshot) || { echo "Bail out! catalog snapshot failed"; exit 1; }
compare "$before" "$after" "after DROP SCHEMA the catalog is as before CREATE EXTENSION"
ok sql "$db" "CREATE EXTENSION pactoria CASCADE" "a second CREATE EXTENSION works"

done_testing
