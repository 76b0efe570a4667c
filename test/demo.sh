#!/usr/bin/env bash
# make demo: create pactoria on a throwaway cluster, load a small realistic sample
# and walk through what pactoria does, one scene per file in test/demo/ (in order).
#
#   make demo            the cluster is stopped and removed at the end
#   make demo KEEP=1     the cluster keeps running; the demo prints how to connect
#                        and how to stop it
# When PGHOST/PGPORT point at an existing server, the demo uses that server
# (database pactoria_demo, dropped and re-created).
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO_DB=pactoria_demo

run_scenes() {
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $DEMO_DB" -c "CREATE DATABASE $DEMO_DB"
	local scene
	for scene in test/demo/*.sql; do
		psql -X -q -v ON_ERROR_STOP=1 -P pager=off -P footer=off -e -d "$DEMO_DB" -f "$scene"
	done
}

if [ "${1:-}" == "--scenes" ]; then
	run_scenes
	exit 0
fi

if [ "${KEEP:-0}" != "0" ]; then
	if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; then
		eval "$(test/cluster.sh start)"
	fi
	run_scenes
	echo
	echo "The demo cluster is still running. Connect with:"
	echo "  psql -h '$PGHOST' -p $PGPORT -U ${PGUSER:-postgres} $DEMO_DB"
	[ -n "${PACTORIA_CLUSTER_DIR:-}" ] && echo "Stop and remove it with:" \
		&& echo "  test/cluster.sh stop '$PACTORIA_CLUSTER_DIR'"
	exit 0
fi

exec test/cluster.sh run test/demo.sh --scenes
