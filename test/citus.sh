#!/usr/bin/env bash
# make test-citus: pactoria on a 3-node Citus cluster on 127.0.0.1.
#
#   test/citus.sh [CMD...]
#       Builds and installs Citus 13.2.2 through the workplace's build script
#       when it is missing (CITUS_BUILD names it; by default ../shared/citus/build.sh
#       from the project or /work/shared/citus/build.sh), starts a coordinator
#       and two workers as the postgres OS user, listening on 127.0.0.1 only on
#       free private ports (and a private unix socket directory), joins them,
#       runs every test/citus/*.sh with PGHOST/PGPORT of the coordinator and
#       CITUS_WORKER_PORTS, prints "N passed, N failed", then stops the three
#       servers and removes their directories, whatever happens.  With CMD,
#       runs CMD against the cluster instead of the suite (for exploring).
#   test/citus.sh --if-available [CMD...]
#       The same, but when Citus is missing and no build script is found,
#       says so in one line and exits 0 (make bench's Citus comparison).
set -euo pipefail
cd "$(dirname "$0")/.."

if_available=0
if [ "${1-}" = --if-available ]; then
	if_available=1
	shift
fi
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_CONFIG=${PG_CONFIG:-$PG_BIN/pg_config}

as_server_user() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Citus itself
if ! [ -f "$($PG_CONFIG --pkglibdir)/citus.so" ]; then
	build=${CITUS_BUILD:-}
	if [ -z "$build" ]; then
		for candidate in ../shared/citus/build.sh /work/shared/citus/build.sh; do
			[ -x "$candidate" ] || [ -f "$candidate" ] && { build=$candidate; break; }
		done
	fi
	if [ -z "$build" ] && [ "$if_available" = 1 ]; then
		echo "skipped: Citus is not installed and no build script was found (set CITUS_BUILD; make test-citus needs it too)"
		exit 0
	fi
	[ -n "$build" ] || { echo "test-citus: Citus is not installed and no build script was found (set CITUS_BUILD)" >&2; exit 1; }
	echo "== building Citus ($build)"
	bash "$build"
fi

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-citus.XXXXXX")
NODES=(coordinator worker1 worker2)
PORTS=()

stop_all() {
	local node
	for node in "${NODES[@]}"; do
		if [ -f "$ROOT/$node/data/postmaster.pid" ]; then
			as_server_user "$PG_BIN/pg_ctl" -D "$ROOT/$node/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
				|| as_server_user "$PG_BIN/pg_ctl" -D "$ROOT/$node/data" -m immediate -w stop >/dev/null 2>&1 || true
		fi
	done
	rm -rf "$ROOT"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$(id -u)" -eq 0 ] && chown postgres: "$ROOT"
chmod 700 "$ROOT"

# A port nothing listens on (TCP on 127.0.0.1), not handed out before.
free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 30000))
		case " ${PORTS[*]-} " in *" $port "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
}

# One server key for every node: tenant keys are wrapped by it wherever a trigger runs.
key_hex=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
(umask 077 && printf '%s\n' "$key_hex" >"$ROOT/pactoria.key")
[ "$(id -u)" -eq 0 ] && chown postgres: "$ROOT/pactoria.key"

for node in "${NODES[@]}"; do
	port=$(free_port)
	PORTS+=("$port")
	mkdir -p "$ROOT/$node/socket"
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$ROOT/$node"
	as_server_user "$PG_BIN/initdb" -D "$ROOT/$node/data" -U postgres -A trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$ROOT/$node/initdb.log" 2>&1 \
		|| { cat "$ROOT/$node/initdb.log" >&2; exit 1; }
	{
		echo "listen_addresses = '127.0.0.1'"
		echo "port = $port"
		echo "unix_socket_directories = '$ROOT/$node/socket'"
		echo "shared_preload_libraries = 'citus'"
		echo "pactoria.key_file = '$ROOT/pactoria.key'"
		echo "wal_level = logical"
		echo "max_prepared_transactions = 100"
		echo "max_connections = 100"
		echo "max_locks_per_transaction = 512"
		echo "shared_buffers = 128MB"
		echo "fsync = off"
		echo "synchronous_commit = off"
		echo "full_page_writes = off"
		echo "timezone = 'UTC'"
		echo "log_min_messages = warning"
	} >>"$ROOT/$node/data/postgresql.conf"
	as_server_user "$PG_BIN/pg_ctl" -D "$ROOT/$node/data" -l "$ROOT/$node/postgresql.log" -w -t 60 start >/dev/null \
		|| { cat "$ROOT/$node/postgresql.log" >&2; exit 1; }
done

coordinator_port=${PORTS[0]}
psql_node() {			# psql_node <port> <sql>
	psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"
}
for port in "${PORTS[@]}"; do
	psql_node "$port" "CREATE EXTENSION citus" >/dev/null
done
psql_node "$coordinator_port" "SELECT citus_set_coordinator_host('127.0.0.1', $coordinator_port)" >/dev/null
for port in "${PORTS[@]:1}"; do
	psql_node "$coordinator_port" "SELECT citus_add_node('127.0.0.1', $port)" >/dev/null
done
echo "== Citus $(psql -X -At -h 127.0.0.1 -p "$coordinator_port" -U postgres -d postgres -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'"): coordinator 127.0.0.1:$coordinator_port, workers ${PORTS[*]:1}"

export PGHOST=127.0.0.1 PGPORT=$coordinator_port PGUSER=postgres PGDATABASE=postgres
export CITUS_WORKER_PORTS="${PORTS[*]:1}" CITUS_ROOT="$ROOT"

# test/citus.sh CMD...: run CMD against the cluster instead of the suite.
if [ $# -gt 0 ]; then
	"$@"
	exit
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-citus-out.XXXXXX")
status=0
prove test/citus/*.sh >"$out/citus.log" 2>&1 || status=$?
cat "$out/citus.log"
passed=0
failed=0
. test/tap-count.sh
count_tap "$out/citus.log" "$status"
for node in "${NODES[@]}"; do
	if grep -q 'terminated by signal' "$ROOT/$node/postgresql.log"; then
		echo "not ok: $node's log holds \"terminated by signal\" lines"
		failed=$((failed + 1))
	fi
done
rm -rf "$out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
