#!/usr/bin/env bash
# 0.1.0 -> 0.2.0 with ALTER EXTENSION UPDATE: install 0.1.0 from its released script,
# load the demo fixture (companies, users, contracts with versions, audit entries),
# let maintenance make partitions, set configuration as a user would, update, and
# compare with a fresh 0.2.0 install: the catalog (test/catalog-snapshot.sql, line by
# line: a difference is printed as the diff of the lines) and every row of the data.
# Then the pgTAP suites of test/pgtap/ run on the updated database, one test per file,
# but for the files listed in fresh_only, which assert what only a fresh install has.
source "$(dirname "$0")/lib.bash"
declare -A fresh_only=(
	[02_fresh_install.sql]="asserts what CREATE EXTENSION itself makes (no dated partition); maintenance has run on the updated database"
)
pgtap_files=("$REPO_ROOT"/test/pgtap/*.sql)
plan $((13 + ${#pgtap_files[@]}))

upgraded=$(fresh_database upgrade_from_0_1_0) || { echo "Bail out! cannot create database"; exit 1; }
fresh=$(fresh_database upgrade_fresh) || { echo "Bail out! cannot create database"; exit 1; }
snapshot() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -f "$REPO_ROOT/test/catalog-snapshot.sql"; }
# columns <database>: one line per table of pactoria holding user data (the
# shipped defaults are the release's own): its name and its columns.
columns() {
	sql "$1" "SELECT format('%s %s', c.oid::regclass, string_agg(quote_ident(a.attname), ',' ORDER BY a.attnum))
		FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind = 'r'
		  AND c.oid <> 'pactoria.system_config_defaults'::regclass
		GROUP BY c.oid ORDER BY 1"
}
# Rows the update adds (the registration of global_metrics, new in 0.2.0), left
# out of the comparison.
declare -A added_rows=(
	[pactoria.partition_config]="parent_table::text <> 'pactoria.global_metrics'"
)
# data <database> <columns>: per table of the list, its row count and the md5 of
# its rows (of the listed columns: those 0.1.0 had), in order.
data() {
	local query="" table cols
	while read -r table cols; do
		[ -n "$query" ] && query+=" UNION ALL "
		query+="SELECT '$table ' || count(*) || ' ' || coalesce(md5(string_agg(r::text, E'\\n' ORDER BY r::text)), '')
			FROM (SELECT ROW($cols) AS r FROM ONLY $table WHERE ${added_rows[$table]:-true}) AS t"
	done <<<"$2"
	sql "$1" "$query ORDER BY 1"
}

ok sql "$upgraded" "CREATE EXTENSION pactoria VERSION '0.1.0' CASCADE" "CREATE EXTENSION pactoria VERSION '0.1.0' installs the released script"
ok psql -X -q -v ON_ERROR_STOP=1 -d "$upgraded" -f "$REPO_ROOT/test/fixtures/sample_data.sql" \
	-c "SELECT pactoria.run_maintenance()" \
	-c "INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', (SELECT value FROM pactoria.system_config_defaults WHERE key = 'risk_review_days'))" \
	"the demo fixture, a maintenance run and a configuration change work on 0.1.0"
# An application table put under tenant isolation by 0.1.0: the update rewrites its policies too.
sql "$upgraded" "CREATE TABLE public.app_isolated (company_id uuid NOT NULL, id uuid NOT NULL, PRIMARY KEY (company_id, id));
				 SELECT pactoria.enable_tenant_isolation('public.app_isolated')" >/dev/null
table_columns=$(columns "$upgraded")
before=$(data "$upgraded" "$table_columns")
# System-wide metrics of 0.1.0 (company_id NULL, one naming a user): the update
# moves them to global_metrics (after the snapshot above, whose tables keep
# exactly their other rows).
sql "$upgraded" "INSERT INTO pactoria.system_metrics (company_id, user_id, metric_name, metric_value, tags)
				 VALUES (NULL, '00000000-0000-7000-8000-0000000014a1', 'upgrade.system_wide', 7, '{\"pool\": \"main\"}'),
						(NULL, NULL, 'upgrade.system_wide', 8, '{}')" >/dev/null
ok sql "$upgraded" "ALTER EXTENSION pactoria UPDATE" "ALTER EXTENSION pactoria UPDATE works on 0.1.0 with data"
is "$(sql "$upgraded" "SELECT string_agg(metric_value || ' ' || tags::text, '; ' ORDER BY metric_value) FROM pactoria.global_metrics
						  WHERE metric_name = 'upgrade.system_wide'")" \
	'7 {"pool": "main", "user_id": "00000000-0000-7000-8000-0000000014a1"}; 8 {}' \
	"0.1.0's system-wide metrics (company_id NULL) are moved to global_metrics, a named user kept as a tag"
is "$(sql "$upgraded" "SELECT extversion || ' ' || pactoria.version() FROM pg_extension WHERE extname = 'pactoria'")" "0.2.0 0.2.0" \
	"the updated extension is 0.2.0 and so is its library"
is "$(sql "$upgraded" "SELECT string_agg(polname || ' ' || coalesce(pg_get_expr(polqual, polrelid), '-') || ' '
						  || coalesce(pg_get_expr(polwithcheck, polrelid), '-'), '; ' ORDER BY polname)
						  FROM pg_policy WHERE polrelid = 'public.app_isolated'::regclass")" \
	"tenant_isolation_delete (company_id = pactoria.current_company_id()) -; tenant_isolation_insert - (company_id = pactoria.require_company_id()); tenant_isolation_select (company_id = pactoria.current_company_id()) -; tenant_isolation_update (company_id = pactoria.current_company_id()) (company_id = pactoria.require_company_id())" \
	"the tenant policies of an application table isolated by 0.1.0 are rewritten to the direct calls"
sql "$upgraded" "DROP TABLE public.app_isolated" >/dev/null

# global_metrics is new: its partitions are made by the first maintenance run
# after the update (the worker's), as in a fresh install.
sql "$upgraded" "SELECT count(*) FROM pactoria.run_maintenance('pactoria.global_metrics')" >/dev/null
ok sql "$fresh" "CREATE EXTENSION pactoria CASCADE" "a fresh 0.2.0 install for comparison"
sql "$fresh" "SELECT pactoria.run_maintenance()" >/dev/null
got=$(snapshot "$upgraded") && expected=$(snapshot "$fresh") || { echo "Bail out! catalog snapshot failed"; exit 1; }
if [ "$got" == "$expected" ]; then is same same "the updated catalog equals a fresh 0.2.0 install's"; else
	is differs same "the updated catalog equals a fresh 0.2.0 install's"
	diag "catalog lines that differ (< only after the update, > only in a fresh install):"
	diff <(echo "$got") <(echo "$expected") | grep '^[<>]' | head -200 | sed 's/^/# /' >&2
fi

after=$(data "$upgraded" "$table_columns")
if [ "$before" == "$after" ]; then is same same "every table keeps its rows across the update (count and content of the columns 0.1.0 had)"; else
	is differs same "every table keeps its rows across the update (count and content of the columns 0.1.0 had)"
	diff <(echo "$before") <(echo "$after") | sed 's/^/# /' >&2
fi
is "$(sql "$upgraded" "SELECT (SELECT count(*) FROM pactoria.verify_audit_log()) || ' ' || (SELECT count(*) FROM pactoria.verify_data_integrity())")" "0 0" \
	"verify_audit_log() and verify_data_integrity() are clean after the update"

control_version=$(sed -n "s/^default_version *= *'\\(.*\\)'/\\1/p" "$REPO_ROOT/pactoria.control")
meta_versions=$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["version"], m["provides"]["pactoria"]["version"])' "$REPO_ROOT/META.json")
is "$meta_versions $(sql "$fresh" "SELECT pactoria.version()")" "$control_version $control_version $control_version" \
	"META.json's versions, the control file's default_version and pactoria.version() agree"
meta_facts=$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1]))
print(m["prereqs"]["runtime"]["requires"]["PostgreSQL"], "|", " ".join(k for k in ("homepage", "bugtracker", "repository") if m.get("resources", {}).get(k)))' "$REPO_ROOT/META.json")
is "$meta_facts" ">= 15.0.0, < 16.0.0 | homepage bugtracker repository" "META.json requires PostgreSQL 15 only and lists its resources"

# (c) the pgTAP suites on the updated database, which holds the demo fixture.
ok sql "$upgraded" "CREATE EXTENSION pgtap" "pgTAP installs in the updated database"
for file in "${pgtap_files[@]}"; do
	name=${file##*/}
	if [ -n "${fresh_only[$name]+set}" ]; then
		skip "pgTAP $name: ${fresh_only[$name]}"
	else
		ok pg_prove -d "$upgraded" "$file" "pgTAP $name passes on the updated database"
	fi
done

done_testing
