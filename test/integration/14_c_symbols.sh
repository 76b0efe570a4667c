#!/usr/bin/env bash
# Between `make install` of 0.2.0 and ALTER EXTENSION UPDATE, the SQL objects of
# 0.1.0 call the new library: every C symbol 0.1.0 names must still be there and
# work (pgvector's rule).  Installs 0.1.0 from its released script (the library in
# $libdir is this build's), lists 0.1.0's C functions from the catalog, and for
# each one: the library exports the symbol and its pg_finfo_ record, and 0.1.0's
# SQL function was called once through test/integration/14_c_symbols.sql without an
# error.  Calls are counted by pg_stat_user_functions (track_functions = all);
# PostgreSQL does not count type input/receive and aggregate support functions
# there, so their evidence is their output: values typed from text and from
# binary COPY come out normalised, and the aggregate gives the same result serially
# and in a parallel plan whose workers sent their partial states to the leader.
source "$(dirname "$0")/lib.bash"
# 0.1.0 names 48 C symbols: 42 in its functions, 6 in its types' input and receive functions.
symbols_in_0_1_0=48
plan $((6 + symbols_in_0_1_0))

db=$(fresh_database c_symbols) || { echo "Bail out! cannot create database"; exit 1; }
library="$(pg_config --pkglibdir)/pactoria.so"

ok psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
	-c "ALTER DATABASE $db SET track_functions = 'all'" \
	-c "CREATE EXTENSION pactoria VERSION '0.1.0' CASCADE" \
	"0.1.0 installs from its released script, with function calls tracked"
is "$(sql "$db" "SELECT extversion || ' ' || pactoria.version() FROM pg_extension WHERE extname = 'pactoria'")" "0.1.0 0.2.0" \
	"the extension's SQL objects are 0.1.0's, the library they call is 0.2.0"

# symbol | SQL function, for every C function that is a member of the extension.
functions=$(sql "$db" "SELECT p.prosrc || '|' || p.oid::regprocedure::text
	FROM pg_catalog.pg_proc AS p
	JOIN pg_catalog.pg_depend AS d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	JOIN pg_catalog.pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'pactoria'
	WHERE p.prolang = (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'c')
	ORDER BY p.prosrc")
is "$(grep -c . <<<"$functions")" "$symbols_in_0_1_0" "0.1.0 has $symbols_in_0_1_0 C functions"

# The fixture fires the trigger functions; the script calls the rest.
ok psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$REPO_ROOT/test/fixtures/sample_data.sql" \
	-c "SELECT pactoria.run_maintenance()" -f "$REPO_ROOT/test/integration/14_c_symbols.sql" \
	"the demo fixture, maintenance and a call of every other C function of 0.1.0 run without an error"
# A backend flushes its function counts as it exits, before it leaves pg_stat_activity.
pid=$(sql "$db" "SELECT pid FROM public.c_symbols_session")
for _ in $(seq 100); do
	[ "$(sql "$db" "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE pid = ${pid:-0}")" == 0 ] && break
	sleep 0.1
done

exported=$(nm -D --defined-only "$library" | awk '{ print $NF }' | sort -u)
calls() { sql "$db" "SELECT coalesce(sum(calls), 0) FROM pg_catalog.pg_stat_user_functions WHERE funcid = '$1'::regprocedure"; }
io() { sql "$db" "SELECT $2 FROM public.c_symbols_io WHERE kind = '$1'"; }
serial=$(sql "$db" "SELECT result FROM public.c_symbols_aggregate WHERE run = 'serial'")
# The parallel run: its result, the workers launched, and whether the partial
# aggregate ran in them (Finalize -> Gather -> Partial).
parallel=$(sql "$db" "SELECT result || ' ' ||
		(plan -> 0 -> 'Plan' -> 'Plans' -> 0 ->> 'Workers Launched') || ' ' ||
		(plan -> 0 -> 'Plan' -> 'Plans' -> 0 -> 'Plans' -> 0 ->> 'Partial Mode')
	FROM public.c_symbols_aggregate WHERE run = 'parallel'")

while IFS='|' read -r symbol function; do
	missing=""
	grep -qx "$symbol" <<<"$exported" || missing+=" $symbol"
	grep -qx "pg_finfo_$symbol" <<<"$exported" || missing+=" pg_finfo_$symbol"
	case "$symbol" in
		pactoria_uk_company_number_in) got=$(io text company_number) expected=SC412345 ;;
		pactoria_uk_company_number_recv) got=$(io binary company_number) expected=SC412345 ;;
		pactoria_uk_postcode_in) got=$(io text postcode) expected="EC4Y 1AA" ;;
		pactoria_uk_postcode_recv) got=$(io binary postcode) expected="EC4Y 1AA" ;;
		pactoria_uk_vat_number_in) got=$(io text vat_number) expected=GB980780684 ;;
		pactoria_uk_vat_number_recv) got=$(io binary vat_number) expected=GB980780684 ;;
		pactoria_extraction_accuracy_transition | pactoria_extraction_accuracy_final)
			got=$serial expected="(20000,5000,5000,5000,5000,0.25,0.3333333333333333,0.3333333333333333,49.998533333333334,50.0054,49.9951)" ;;
		pactoria_extraction_accuracy_serialize | pactoria_extraction_accuracy_deserialize | pactoria_extraction_accuracy_combine)
			got=$parallel expected="$serial 2 Partial" ;;
		*) got=$(calls "$function") expected=called
		   [ "${got:-0}" -gt 0 ] 2>/dev/null && got=called ;;
	esac
	if [ -z "$missing" ] && [ "$got" == "$expected" ]; then
		is ok ok "$symbol: exported by the new library and called through 0.1.0's $function"
	else
		is "${missing:+not exported:$missing, }result $got" "result $expected" \
			"$symbol: exported by the new library and called through 0.1.0's $function"
	fi
done <<<"$functions"

is "$(sql "$db" "SELECT 'alive'")" alive "the server survived every call"
ok sql "$db" "ALTER EXTENSION pactoria UPDATE" "ALTER EXTENSION pactoria UPDATE works afterwards"
done_testing
