#!/usr/bin/env bash
# The request mix of 95_request_mix.sh on one server vs a Citus cluster (issue 17).
#
# make bench runs this file through test/citus.sh (a coordinator and two workers
# on 127.0.0.1, PGHOST/PGPORT of the coordinator, CITUS_WORKER_PORTS), which
# builds Citus when it is missing and stops the cluster afterwards.
#
# The same mix, the same data (MIX_COMPANIES, MIX_CONTRACTS, MIX_SECONDS,
# MIX_MANY_CLIENTS as for 95), the schemas pactoria and floor, twice:
#   one server  a database on the coordinator without Citus: the same server
#               settings and the same loopback TCP connection as the cluster's
#   cluster     a database with Citus: pactoria.distribute_tables(), the floor's
#               tables distributed by company_id too (MIX_CITUS=1)
# Both run pactoria's statements in the form the README's Citus section tells
# the application to use, with company_id = :company (MIX_COMPANY_FILTER=1), so
# that only the cluster differs.  Printed per request type and schema: p50 at 1
# client (minus the lookup of the tenant's ids, as in 95) and throughput at
# $MIX_MANY_CLIENTS clients, on one server and on the cluster, and their ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${CITUS_WORKER_PORTS:?run through test/citus.sh (make bench does)}"

DB=${BENCH_DB:-pactoria_bench}
one=${DB}_one
cluster=${DB}_cluster
work=$(mktemp -d)
admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
			   -c "SET citus.enable_create_database_propagation = on" "$@"; }
cleanup() {
	admin -c "DROP DATABASE IF EXISTS $one WITH (FORCE)" -c "DROP DATABASE IF EXISTS $cluster WITH (FORCE)" \
		-c "DROP ROLE IF EXISTS pactoria_bench_mix_app" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
mix() { MIX_SCHEMAS="floor pactoria" MIX_COMPANY_FILTER=1 test/bench/95_request_mix.sh; }

echo "--- one server (database $one on the coordinator, without Citus)"
admin -c "DROP DATABASE IF EXISTS $one WITH (FORCE)" -c "CREATE DATABASE $one"
psql -X -q -v ON_ERROR_STOP=1 -d "$one" -c "CREATE EXTENSION pactoria CASCADE"
BENCH_DB=$one MIX_RESULTS=$work/one mix
# the application role's grants go with the database, so 95 can make it again
admin -c "DROP DATABASE $one WITH (FORCE)"

echo "--- cluster (database $cluster: coordinator and workers ${CITUS_WORKER_PORTS// /, })"
admin -c "DROP DATABASE IF EXISTS $cluster WITH (FORCE)" -c "CREATE DATABASE $cluster"
# Citus's nodes are per database: a new database names its coordinator and
# workers itself (with citus created in each worker's copy of the database),
# else its shards all stay on the coordinator.
for port in $CITUS_WORKER_PORTS; do
	psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d "$cluster" -c "SET client_min_messages = warning" -c "CREATE EXTENSION citus"
done
nodes=(-c "SELECT citus_set_coordinator_host('127.0.0.1', $PGPORT)")
for port in $CITUS_WORKER_PORTS; do nodes+=(-c "SELECT citus_add_node('127.0.0.1', $port)"); done
psql -X -q -v ON_ERROR_STOP=1 -d "$cluster" -c "SET client_min_messages = warning" -c "CREATE EXTENSION citus" "${nodes[@]}" \
	-c "CREATE EXTENSION pactoria CASCADE" -c "SELECT count(*) FROM pactoria.distribute_tables()" >/dev/null
psql -X -q -A -t -d "$cluster" -c "SELECT 'shards of pactoria.contracts: ' || string_agg(n.nodeport || ': ' || k, ', ')
	FROM (SELECT groupid, count(*) AS k FROM pg_dist_placement JOIN pg_dist_shard USING (shardid)
		  WHERE logicalrelid = 'pactoria.contracts'::regclass GROUP BY groupid) AS g JOIN pg_dist_node AS n USING (groupid)"
BENCH_DB=$cluster MIX_CITUS=1 MIX_RESULTS=$work/cluster mix

echo "--- one server vs cluster (p50 in us at 1 client, minus the lookup; tps at ${MIX_MANY_CLIENTS:-8} clients)"
awk '
	FNR == 1 { side = (FILENAME ~ /one$/) ? "one" : "cluster" }
	$2 == "-" { base[side] = $3; next }
	{ p50[$1, $2, side] = $3; tps[$1, $2, side] = $4; if (!(($1) in seen)) { seen[$1] = 1; order[++n] = $1 } }
	function us(r, s, side,   v) { v = p50[r, s, side] - base[side]; return v < 1 ? 1 : v }
	function x(a, b) { return b > 0 ? sprintf("%5.2fx", a / b) : "    -" }
	END {
		printf "%-10s | %-43s | %-43s |\n", "", "pactoria", "floor"
		printf "%-10s |", "request"
		for (k = 0; k < 2; k++) printf " %6s %7s %6s %6s %7s %6s |", "p50 1", "cluster", "x", "tps 1", "cluster", "x"
		printf "\n"
		for (i = 1; i <= n; i++) {
			r = order[i]
			printf "%-10s |", r
			split("pactoria floor", schemas, " ")
			for (k = 1; k <= 2; k++) {
				s = schemas[k]
				a = us(r, s, "one"); b = us(r, s, "cluster")
				printf " %6d %7d %6s %6.0f %7.0f %6s |", a, b, x(b, a), tps[r, s, "one"], tps[r, s, "cluster"], \
					x(tps[r, s, "cluster"], tps[r, s, "one"])
			}
			printf "\n"
		}
		print "(x: cluster / one server; the three nodes share this machine, over loopback)"
	}' "$work/one" "$work/cluster"
