#!/usr/bin/env bash
# make fuzz: build every libFuzzer target of the pure-C cores (the UK validators,
# the line diff and the signed context: test/fuzz/fuzz_<core>.c against src/<core>.c) with AddressSanitizer and
# UndefinedBehaviorSanitizer, run each for SECONDS (default 60), and fail on any
# finding: a sanitizer report, a crash, or a broken invariant (the targets abort).
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
	-Wall -Wextra -Werror -Isrc)
mkdir -p "$build"

status=0
summary=()
for source in test/fuzz/fuzz_*.c; do
	target=$(basename "$source" .c)
	core=src/${target#fuzz_}.c
	case "$target" in
		fuzz_uk_*) shared=(src/uk_identifier.c) ;;	# the validators' common normalising step
		*) shared=() ;;
	esac
	"$cc" "${flags[@]}" "$source" "$core" "${shared[@]+"${shared[@]}"}" -o "$build/$target"

	corpus=test/fuzz/corpus-run/$target
	mkdir -p "$corpus"
	log=$build/$target.log
	echo "== $target: ${seconds}s"
	if "$build/$target" -max_total_time="$seconds" -print_final_stats=1 \
		-artifact_prefix="$build/$target-" "$corpus" "test/fuzz/seeds/$target" >"$log" 2>&1; then
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
