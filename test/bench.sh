#!/usr/bin/env bash
# make bench: run every benchmark in test/bench/ (in name order) against the server
# in PGHOST/PGPORT, each in a fresh database with pactoria installed and the timing
# helpers of test/bench/harness.psql loaded.  A benchmark is a .sql file (run by psql)
# or an executable .sh file; each prints its own timings and ratios, measured in one
# run against its baseline and its floor.  A file named *_citus.sh runs instead
# against a 3-node Citus cluster of its own (test/citus.sh --if-available).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob

benches=()
for f in test/bench/[0-9]*.sql test/bench/[0-9]*.sh; do benches+=("$f"); done
if [ ${#benches[@]} -eq 0 ]; then
	echo "no benchmarks yet"
	exit 0
fi
mapfile -t benches < <(printf '%s\n' "${benches[@]}" | LC_ALL=C sort)

export BENCH_DB=pactoria_bench
status=0
for bench in "${benches[@]}"; do
	echo
	echo "=== $bench"
	case "$bench" in
		# a comparison with a Citus cluster: on a cluster of its own, started and
		# stopped by test/citus.sh (which builds Citus when it is missing)
		*_citus.sh) test/citus.sh --if-available "$bench" || status=1; continue ;;
	esac
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB"
	psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -c "CREATE EXTENSION pactoria CASCADE" \
		-f test/bench/harness.psql
	case "$bench" in
		*.sql) psql -X -q -v ON_ERROR_STOP=1 -P pager=off -P footer=off -d "$BENCH_DB" -f "$bench" || status=1 ;;
		*.sh) "$bench" || status=1 ;;
	esac
done
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $BENCH_DB"
exit "$status"
