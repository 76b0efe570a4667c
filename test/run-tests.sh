#!/usr/bin/env bash
# Run every pactoria test suite against the server in PGHOST/PGPORT and end with
# one line "N passed, N failed" that adds them up:
#   1. pg_regress  (sql/*.sql against expected/*.out) and the isolation specs
#      (specs/*.spec, by pg_isolation_regress), one test per file;
#   2. pgTAP       (test/pgtap/*.sql, run by pg_prove), one test per assertion;
#   3. integration (test/integration/*.sh, TAP scripts run by prove), one test per
#      assertion: what needs several connections, a second cluster or pg_dump;
#   4. the server log: no backend terminated by a signal (one test).
# A file that dies or runs fewer tests than it planned counts the missing ones as
# failed.  Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-tests.XXXXXX")
trap 'rm -rf "$out"' EXIT
passed=0
failed=0

# count_tap <harness log>: read a TAP::Harness summary (pg_prove, prove).
# passed = tests run minus failures; failed = failing tests, plus tests a file
# planned but never ran, plus one for a file that failed with neither (a crash
# before its plan, a non-zero exit).
. test/tap-count.sh

echo "== pg_regress (sql/, expected/)"
make -s installcheck >"$out/regress.log" 2>&1
regress_status=$?
cat "$out/regress.log"
r_pass=$(grep -cE '\.\.\. ok( |$)' "$out/regress.log")
r_fail=$(grep -cE '\.\.\. (FAILED|failed)' "$out/regress.log")
if [ "$regress_status" -ne 0 ] && [ "$r_fail" -eq 0 ]; then
	r_fail=1			# pg_regress itself failed before running tests
fi
if [ "$regress_status" -ne 0 ]; then
	for diffs in regression.diffs output_iso/regression.diffs; do
		[ -f "$diffs" ] && { echo "== $diffs"; cat "$diffs"; }
	done
fi
passed=$((passed + r_pass))
failed=$((failed + r_fail))

echo "== pgTAP (test/pgtap/, pg_prove)"
db=pactoria_test
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
	&& psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION pactoria CASCADE" \
	>"$out/pgtap-setup.log" 2>&1
setup_status=$?
if [ "$setup_status" -ne 0 ]; then
	cat "$out/pgtap-setup.log"
	echo "pgTAP: could not create database $db with pactoria installed"
	failed=$((failed + 1))
else
	pg_prove -d "$db" test/pgtap/*.sql >"$out/pgtap.log" 2>&1
	tap_status=$?
	cat "$out/pgtap.log"
	count_tap "$out/pgtap.log" "$tap_status"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
fi

echo "== integration (test/integration/, prove)"
shopt -s nullglob
integration=(test/integration/*.sh)
if [ ${#integration[@]} -gt 0 ]; then
	prove "${integration[@]}" >"$out/integration.log" 2>&1
	int_status=$?
	cat "$out/integration.log"
	count_tap "$out/integration.log" "$int_status"
else
	echo "(no integration tests)"
fi

echo "== server log (no backend killed by a signal)"
if [ -n "${PACTORIA_CLUSTER_DIR:-}" ] && [ -r "$PACTORIA_CLUSTER_DIR/postgresql.log" ]; then
	signals=$(grep 'terminated by signal' "$PACTORIA_CLUSTER_DIR/postgresql.log")
	if [ -z "$signals" ]; then
		echo "ok: no \"terminated by signal\" line in $PACTORIA_CLUSTER_DIR/postgresql.log"
		passed=$((passed + 1))
	else
		echo "not ok: the server log holds \"terminated by signal\" lines:"
		printf '%s\n' "$signals" | head -20
		failed=$((failed + 1))
	fi
else
	echo "skipped: the server was not started by test/cluster.sh (PGHOST given), its log is not readable here"
fi

echo "(the Citus suite, test/citus/, is run by make test-citus)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
