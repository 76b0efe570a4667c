#!/usr/bin/env bash
# Throwaway PostgreSQL 15 clusters for pactoria's tests, demo and benchmarks.
#
#   test/cluster.sh run [--fresh] [--set name=value ...] [--] CMD [ARGS...]
#       Start a throwaway cluster, run CMD with PGHOST/PGPORT/PGUSER/PGDATABASE
#       (and PACTORIA_CLUSTER_DIR) pointing at it, stop the cluster and remove its
#       directory, whatever happens (normal exit, failure, Ctrl-C).  Exits with
#       CMD's status.  When PGHOST or PGPORT is already set, CMD runs against that
#       existing server instead, unless --fresh or --set asks for a new cluster.
#   test/cluster.sh start [--set name=value ...]
#       Start a cluster and leave it running; prints shell exports for it.
#   test/cluster.sh stop DIR
#       Stop a cluster started by 'start' and remove DIR.
#
# PostgreSQL refuses to run as root, so as root the server runs as the postgres
# OS user.  Each cluster gets its own pactoria server key ($PGDATA/pactoria.key,
# named by pactoria.key_file).  It listens on no TCP address, only on a unix socket in a private
# directory, so it never collides with another server on this machine.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_server_user() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# start_cluster <setting>... : sets CLUSTER_DIR and exports the PG* variables.
start_cluster() {
	CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-cluster.XXXXXX")
	[ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER_DIR"
	chmod 700 "$CLUSTER_DIR"
	mkdir -p "$CLUSTER_DIR/socket"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER_DIR/socket"

	# No TCP listener, so any port number is free: it only names the socket file.
	local port=$((20000 + RANDOM % 30000))

	as_server_user "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log" 2>&1 \
		|| { cat "$CLUSTER_DIR/initdb.log" >&2; return 1; }

	# pactoria's server key (pactoria.key_file): 64 hex digits, 0600, the server's user.
	local key_hex
	key_hex=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	(umask 077 && printf '%s\n' "$key_hex" >"$CLUSTER_DIR/data/pactoria.key")
	[ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER_DIR/data/pactoria.key"

	{
		echo "pactoria.key_file = '$CLUSTER_DIR/data/pactoria.key'"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$CLUSTER_DIR/socket'"
		echo "port = $port"
		echo "max_connections = 60"
		echo "max_locks_per_transaction = 512"
		echo "shared_buffers = 256MB"
		echo "fsync = off"
		echo "synchronous_commit = off"
		echo "full_page_writes = off"
		echo "max_wal_size = 2GB"
		echo "timezone = 'UTC'"
		echo "log_min_messages = warning"
		for setting in "$@"; do
			echo "${setting%%=*} = '${setting#*=}'"
		done
	} >>"$CLUSTER_DIR/data/postgresql.conf"

	as_server_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/postgresql.log" \
		-w -t 60 start >/dev/null \
		|| { cat "$CLUSTER_DIR/postgresql.log" >&2; return 1; }

	export PGHOST="$CLUSTER_DIR/socket" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
	export PACTORIA_CLUSTER_DIR="$CLUSTER_DIR"
}

stop_cluster() {		# stop_cluster <dir>
	local dir=$1
	[ -n "$dir" ] && [ -d "$dir" ] || return 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
			|| as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

parse_sets() {			# fills SETTINGS and FRESH from --fresh/--set options; sets SHIFTED
	SETTINGS=()
	FRESH=0
	SHIFTED=0
	while [ $# -gt 0 ]; do
		case "$1" in
			--fresh) FRESH=1; shift; SHIFTED=$((SHIFTED + 1)) ;;
			--set) SETTINGS+=("$2"); FRESH=1; shift 2; SHIFTED=$((SHIFTED + 2)) ;;
			--) SHIFTED=$((SHIFTED + 1)); break ;;
			*) break ;;
		esac
	done
}

cmd=${1:-}
shift || true
case "$cmd" in
	run)
		parse_sets "$@"
		shift "$SHIFTED"
		[ $# -gt 0 ] || { echo "usage: $0 run [--fresh] [--set name=value] [--] CMD..." >&2; exit 2; }
		if [ "$FRESH" -eq 0 ] && { [ -n "${PGHOST:-}" ] || [ -n "${PGPORT:-}" ]; }; then
			exec "$@"
		fi
		CLUSTER_DIR=
		trap 'stop_cluster "$CLUSTER_DIR"' EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
		start_cluster "${SETTINGS[@]+"${SETTINGS[@]}"}"
		status=0
		"$@" || status=$?
		exit "$status"
		;;
	start)
		parse_sets "$@"
		CLUSTER_DIR=
		trap '[ "${started:-0}" -eq 1 ] || stop_cluster "$CLUSTER_DIR"' EXIT
		start_cluster "${SETTINGS[@]+"${SETTINGS[@]}"}"
		started=1
		echo "export PGHOST='$PGHOST' PGPORT='$PGPORT' PGUSER='$PGUSER' PACTORIA_CLUSTER_DIR='$CLUSTER_DIR'"
		;;
	stop)
		[ $# -eq 1 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
		case "$1" in
			*/pactoria-cluster.*) stop_cluster "$1" ;;
			*) echo "$0: '$1' is not a pactoria cluster directory" >&2; exit 2 ;;
		esac
		;;
	*)
		echo "usage: $0 run|start|stop ..." >&2
		exit 2
		;;
esac
