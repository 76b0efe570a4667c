#!/usr/bin/env bash
# make fuzz: build every libFuzzer target test/fuzz/fuzz_*.c (found by glob) against
# the pure-C cores src/core/*.c with AddressSanitizer and UndefinedBehaviorSanitizer,
# run each for SECONDS (default 60) from its seeds test/fuzz/seeds/<target>/ (when
# there are any) and the corpus it grew before, and fail on any finding: a sanitizer
# report, a crash, or a broken invariant (the targets abort).
# Prints the executions each target ran.  Findings are saved as
# test/fuzz/build/<target>-crash-* (reproduce: test/fuzz/build/<target> <file>).
#
#   test/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
cc=${FUZZ_CC:-clang-14}
build=test/fuzz/build
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Werror -Isrc/core)
cores=(src/core/*.c)
mkdir -p "$build"

status=0
summary=()
for source in test/fuzz/fuzz_*.c; do
	target=$(basename "$source" .c)
	"$cc" "${flags[@]}" "$source" "${cores[@]}" -o "$build/$target"

	corpus=test/fuzz/corpus-run/$target
	mkdir -p "$corpus"
	seeds=()
	[ -d "test/fuzz/seeds/$target" ] && seeds=("test/fuzz/seeds/$target")
	log=$build/$target.log
	echo "== $target: ${seconds}s"
	if "$build/$target" -max_total_time="$seconds" -print_final_stats=1 \
		-artifact_prefix="$build/$target-" "$corpus" "${seeds[@]+"${seeds[@]}"}" >"$log" 2>&1; then
		result="no finding"
	else
		result="FINDING (see $log)"
		status=1
		tail -n 40 "$log"
	fi
	executions=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
	summary+=("$target: ${executions:-0} executions in ${seconds}s, $result")
done

echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit "$status"
