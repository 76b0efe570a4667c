#!/usr/bin/env bash
# The README's examples are tests: every ```sql block of README.md runs as written,
# in order, in one psql session (so the psql variables one block \gsets are there for
# the next), with ON_ERROR_STOP, in a fresh database on this server; one assertion per
# block.  The first line of a block says as which role it runs:
#   -- as the superuser ...             run as the connecting superuser (RESET ROLE)
#   -- as the application role app ...  run after SET ROLE app (the README's
#                                        Set-up block creates app; dropped at the end)
#   -- not run by the README test: <reason>   skipped (TAP skip, with the reason)
# A second line "-- not on Citus: <reason>" skips the block in the Citus suite's run
# (README_ON_CITUS set), with the reason.
# A line "-- ERROR:  <message>" right after a one-line statement documents that the
# statement fails: it runs with ON_ERROR_STOP off (inside a savepoint, so that a
# transaction block goes on), and the block passes only when it failed with exactly
# that message.  The Citus suite runs it too (test/citus/40_readme_examples.sh).
source "$(dirname "$0")/lib.bash"
readme="$REPO_ROOT/README.md"

work=$(mktemp -d)	# README_TEST_KEEP=1 keeps it (the script, psql's output) for a look
keep() { if [ -n "${README_TEST_KEEP:-}" ]; then diag "kept $work"; else rm -rf "$work"; fi; }
trap 'keep; psql -X -q -d postgres -c "DROP ROLE IF EXISTS app" >/dev/null 2>&1' EXIT

# extract <list|script>: "list" prints one line per ```sql block, "N LINE run" or
# "N LINE skip REASON"; "script" prints the psql script, with the README line of each
# script line in $work/lines (script line, README line).
extract() {
	awk -v mode="$1" -v lines="$work/lines" -v q="'" -v after_first="${README_AFTER_FIRST_BLOCK:-}" -v on_citus="${README_ON_CITUS:-}" '
		function emit(text, from) { out++; print text; if (from) print out, from > lines }
		function finish(   role, i, message, reason) {
			if (body[1] ~ /^-- not run by the README test: /) {
				reason = body[1]
				sub(/^-- not run by the README test: */, "", reason)
				if (mode == "list") print n, start, "skip", reason
				return
			}
			if (on_citus && body[2] ~ /^-- not on Citus: /) {
				reason = body[2]
				sub(/^-- not on Citus: */, "", reason)
				if (mode == "list") print n, start, "skip", "not on Citus: " reason
				return
			}
			if (mode == "list") { print n, start, "run"; return }
			if (body[1] ~ /^-- as the superuser/) role = "RESET ROLE;"
			else if (body[1] ~ /^-- as the application role app/) role = "SET ROLE app;"
			else {
				emit("\\warn README block " n " (line " start "): its first line does not say as which role it runs")
				emit("\\q")
				return
			}
			emit(role)
			for (i = 1; i <= count; i++) {
				if (i < count && body[i + 1] ~ /^-- ERROR:  /) {
					message = substr(body[i + 1], 12)
					if (body[i] !~ /;[ \t]*(--.*)?$/) {
						emit("\\warn README block " n " (line " start + i "): an -- ERROR: line must follow a one-line statement")
						emit("\\q")
						return
					}
					# Inside a transaction block the failing statement is undone by a
					# savepoint, so the block goes on (outside one, SAVEPOINT and
					# ROLLBACK TO fail harmlessly: the statement ran on its own).
					emit("\\set ON_ERROR_STOP off")
					emit("SAVEPOINT readme_expected_error;")
					emit(body[i], start + i)
					emit("\\set readme_failed :ERROR")
					emit("\\set readme_message :LAST_ERROR_MESSAGE")
					emit("ROLLBACK TO SAVEPOINT readme_expected_error;")
					emit("\\set ON_ERROR_STOP on")
					emit("SELECT :" q "readme_failed" q " = " q "true" q " AND :" q "readme_message" q \
						 " = $readme$" message "$readme$ AS readme_error_ok \\gset")
					emit("\\if :readme_error_ok")
					emit("\\elif :readme_failed")
					emit("\\warn README line " start + i ": expected the error \"" message "\", got: :" \
						 q "readme_message" q)
					emit("\\q")
					emit("\\else")
					emit("\\warn README line " start + i ": expected the error \"" message "\", but it succeeded")
					emit("\\q")
					emit("\\endif")
				} else
					emit(body[i], start + i)
			}
			emit("\\warn README-BLOCK-" n "-OK")
			if (n == 1 && after_first != "") emit(after_first)
		}
		infence && /^```[ \t]*$/ { infence = 0; if (sql) finish(); sql = 0; next }
		infence { body[++count] = $0; next }
		/^```/ { infence = 1; sql = ($0 ~ /^```sql[ \t]*$/); if (sql) { n++; start = NR; count = 0 }; next }
		END { if (infence) print "README.md: unterminated code block" > "/dev/stderr" }
	' "$readme"
}

extract list >"$work/blocks" || { echo "Bail out! cannot read $readme"; exit 1; }
blocks=$(wc -l <"$work/blocks")
[ "$blocks" -gt 0 ] || { echo "Bail out! no \`\`\`sql block in $readme"; exit 1; }
if [ "$(sql postgres "SELECT count(*) FROM pg_roles WHERE rolname = 'app'")" != 0 ]; then
	trap keep EXIT		# not ours: leave it
	echo "1..0 # SKIP this server has a role app, which the README's examples create"
	exit 0
fi
plan "$blocks"

# README_DATABASE names a database made for the run (the Citus suite's, with
# citus created), README_AFTER_FIRST_BLOCK SQL to run after the first block
# (the Citus suite's pactoria.distribute_tables()).
if [ -n "${README_DATABASE:-}" ]; then
	db=$README_DATABASE
else
	db=$(fresh_database readme) || { echo "Bail out! cannot create database"; exit 1; }
fi
touch "$work/lines"
extract script >"$work/readme.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/readme.sql" >"$work/stdout" 2>"$work/stderr"
status=$?

reported=0
while read -r n line what reason; do
	if [ "$what" == skip ]; then
		skip "README block $n (line $line): $reason"
	elif grep -qx "README-BLOCK-$n-OK" "$work/stderr"; then
		_tap_result 0 "README block $n (line $line) runs"
	else
		_tap_result 1 "README block $n (line $line) runs"
		if [ "$reported" -eq 0 ]; then
			reported=1
			# what psql said after the last block that ran, with README line numbers
			awk 'NR == FNR { readme[$1] = $2; next }
				/^README-BLOCK-[0-9]+-OK$/ { delete said; k = 0; next }
				{
					if (match($0, /^psql:[^:]*:[0-9]+:/)) {
						l = substr($0, RSTART, RLENGTH - 1); sub(/.*:/, "", l)
						$0 = "README.md:" (l in readme ? readme[l] : "?") ":" substr($0, RLENGTH + 1)
					}
					said[++k] = $0
				}
				END { for (i = 1; i <= k && i <= 30; i++) print said[i] }' \
				"$work/lines" "$work/stderr" | sed 's/^/# /' >&2
			diag "(psql exited with $status)"
		fi
	fi
done <"$work/blocks"

done_testing
