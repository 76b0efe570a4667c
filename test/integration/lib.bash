# Shared helpers of the integration tests (test/integration/*.sh): a little TAP
# producer and throwaway databases on the server in PGHOST/PGPORT.
# Each test script: source this file, call plan N, then ok/is/... and exit via done_testing.

set -uo pipefail
TAP_COUNT=0
TAP_FAILED=0
# fresh_database is called as db=$(fresh_database name), in a subshell, so the names of
# the databases to drop go through a file named after this script's shell ($$).
TAP_DATABASE_LIST="${TMPDIR:-/tmp}/pactoria-it-databases.$$"
rm -f "$TAP_DATABASE_LIST"
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

plan() { echo "1..$1"; }

_tap_result() {			# _tap_result <0|1> <description>
	TAP_COUNT=$((TAP_COUNT + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_COUNT - $2"
	else
		echo "not ok $TAP_COUNT - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

ok() {				# ok <command...> -- passes when the command succeeds; last arg is the description
	local description=${*: -1}
	local command=("${@:1:$#-1}")
	local log
	log=$("${command[@]}" 2>&1)
	local status=$?
	_tap_result "$status" "$description"
	[ "$status" -eq 0 ] || printf '# %s\n' "command failed ($status): ${command[*]}" "$log" | head -40 >&2
	return 0
}

is() {				# is <got> <expected> <description>
	if [ "$1" == "$2" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3"
		printf '#          got: %s\n#     expected: %s\n' "$1" "$2" >&2
	fi
}

diag() { printf '# %s\n' "$@" >&2; }

skip() {			# skip <reason> -- one test not run here, counted as passed
	TAP_COUNT=$((TAP_COUNT + 1))
	echo "ok $TAP_COUNT # skip $1"
}

# sql <database> <query>: run one query, unaligned output, stop on error.
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# set_setting <database> <name> <value>: ALTER SYSTEM SET, reload, and wait until new
# backends see the value (pactoria's library is loaded first, so its settings are known).
set_setting() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "SELECT pactoria.version()" -c "ALTER SYSTEM SET $2 = '$3'" \
		-c "SELECT pg_reload_conf()" >/dev/null
	local i
	for i in $(seq 1 50); do
		[ "$(sql "$1" "SELECT pactoria.version() IS NOT NULL AND current_setting('$2') = '$3'")" == t ] && return 0
		sleep 0.1
	done
	return 1
}

# fresh_database <name>: create an empty database (dropped by done_testing) and print its name.
fresh_database() {
	local name="pactoria_it_$1"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $name" >/dev/null || return 1
	echo "$name" >>"$TAP_DATABASE_LIST"
	echo "$name"
}

# scratch_dir: sets TAP_WORK to a new directory for this script's files, removed
# when the script exits (it sets the EXIT trap: a script with a trap of its own
# makes its own directory).
scratch_dir() {
	TAP_WORK=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-it.XXXXXX") || return 1
	trap 'rm -rf "$TAP_WORK"' EXIT
}

# dump_databases <name>: source_db and target_db, two fresh databases, and
# dump_file, where the dump between them goes (in the scratch directory).
dump_databases() {
	source_db=$(fresh_database "$1_source") && target_db=$(fresh_database "$1_target") && scratch_dir || return 1
	dump_file="$TAP_WORK/dump"
}

_drop_databases() {
	local name
	[ -f "$TAP_DATABASE_LIST" ] || return 0
	while read -r name; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" </dev/null >/dev/null 2>&1
	done <"$TAP_DATABASE_LIST"
	rm -f "$TAP_DATABASE_LIST"
}

# cluster_database <name>: a new database on the whole cluster, with Citus and the
# two workers in its own metadata, dropped (on every node) by done_testing.
# Citus keeps its nodes per database: CREATE EXTENSION citus in a database that
# CREATE DATABASE propagated sees the coordinator alone, which then holds every
# shard, so the workers are added again here (each with Citus in its copy first).
cluster_database() {
	local name=$1 port
	TAP_CLUSTER_DATABASES+=("$name")
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET citus.enable_create_database_propagation = on" \
		-c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null || return 1
	for port in ${CITUS_WORKER_PORTS:?test/citus.sh sets CITUS_WORKER_PORTS}; do
		PGPORT=$port psql -X -q -v ON_ERROR_STOP=1 -d "$name" -c "CREATE EXTENSION citus" >/dev/null || return 1
	done
	psql -X -q -v ON_ERROR_STOP=1 -d "$name" -c "CREATE EXTENSION citus" \
		-c "SELECT citus_set_coordinator_host('${PGHOST:-127.0.0.1}', ${PGPORT:?})" >/dev/null || return 1
	for port in $CITUS_WORKER_PORTS; do
		psql -X -q -v ON_ERROR_STOP=1 -d "$name" -c "SELECT citus_add_node('${PGHOST:-127.0.0.1}', $port)" >/dev/null || return 1
	done
}
TAP_CLUSTER_DATABASES=()

# app_transaction <sql> [COMMIT|ROLLBACK]: one transaction of the application role
# $role in database $db, entered with resume_session('$token'), which forwards the
# tenant context to the workers (the role has citus.propagate_set_commands =
# 'local'); its output and errors.  APP_VERBOSITY=verbose puts SQLSTATEs in errors.
app_transaction() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 ${APP_VERBOSITY:+-v VERBOSITY=$APP_VERBOSITY} -U "$role" -d "$db" 2>&1 <<SQL
BEGIN;
\o /dev/null
SELECT * FROM pactoria.resume_session('$token');
\o
$1
${2:-COMMIT};
SQL
}

# drop_role_at_end <role>: the role is dropped by done_testing, after the databases
# (roles are cluster-wide: a test must not leave its own behind for a later one).
drop_role_at_end() { TAP_ROLES+=("$1"); }
TAP_ROLES=()

done_testing() {
	_drop_databases
	local name
	for name in "${TAP_CLUSTER_DATABASES[@]+"${TAP_CLUSTER_DATABASES[@]}"}"; do
		psql -X -q -d postgres -c "SET citus.enable_create_database_propagation = on" \
			-c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
	done
	local role
	for role in "${TAP_ROLES[@]+"${TAP_ROLES[@]}"}"; do
		psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
	done
	[ "$TAP_FAILED" -eq 0 ]
	exit $?
}
