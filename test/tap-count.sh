# Sourced by test/run-tests.sh and test/citus.sh: adds a prove log's counts to
# $passed and $failed.  count_tap <prove log> <prove's exit status>
count_tap() {
	local counts
	counts=$(awk '
		function settle() { if (pending) f++; pending = 0 }
		/^Files=[0-9]+, Tests=[0-9]+/ {
			settle(); match($0, /Tests=[0-9]+/); total = substr($0, RSTART + 6, RLENGTH - 6) + 0
		}
		/\(Wstat: [0-9]+( \([^)]*\))? Tests: [0-9]+ Failed: [0-9]+\)/ {
			settle(); match($0, /Failed: [0-9]+/); n = substr($0, RSTART + 8, RLENGTH - 8) + 0
			f += n; ran_failed += n; pending = (n == 0)
		}
		/You planned [0-9]+ tests? but ran [0-9]+/ {
			match($0, /planned [0-9]+/); planned = substr($0, RSTART + 8, RLENGTH - 8) + 0
			match($0, /ran [0-9]+/); ran = substr($0, RSTART + 4, RLENGTH - 4) + 0
			if (planned > ran) { f += planned - ran; pending = 0 }
		}
		END { settle(); printf "%d %d\n", total - ran_failed, f }' "$1")
	passed=$((passed + ${counts% *}))
	failed=$((failed + ${counts#* }))
	# A harness that failed without any summary at all (it could not start).
	if [ "$2" -ne 0 ] && [ "${counts#* }" -eq 0 ]; then
		failed=$((failed + 1))
	fi
}
