#!/usr/bin/env bash
# pg_dump keeps everything: a database with pactoria and the sample data is dumped,
# restored into a fresh database, and every table of the extension holds exactly
# the same rows; the system templates are not duplicated.
#
# The restore runs with session_replication_role = replica, as the README says:
# CREATE EXTENSION makes the tables, with their triggers, before the data arrives,
# and the triggers must not fire again on restored rows.
source "$(dirname "$0")/lib.bash"
plan 7

dump_databases dump || { echo "Bail out! cannot create databases"; exit 1; }

ok sql "$source_db" "CREATE EXTENSION pactoria CASCADE" "pactoria installs in the source database"
ok psql -X -q -v ON_ERROR_STOP=1 -d "$source_db" -f "$REPO_ROOT/test/fixtures/sample_data.sql" "the sample data loads"
sql "$source_db" "INSERT INTO pactoria.system_config (key, value, description)
	VALUES ('subscription_tier_max_users', '{\"starter\": 6, \"professional\": 25, \"business\": 100}', 'Launch offer')" >/dev/null

# Every row of every table of the extension (and the shipped templates counted apart).
fingerprint() {
	sql "$1" "
	SELECT string_agg(format('%s %s %s', c.relname, t.row_count, t.digest), E'\n' ORDER BY c.relname)
	FROM pg_class AS c
	CROSS JOIN LATERAL (SELECT * FROM pactoria.table_fingerprint(c.oid::regclass)) AS t
	WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
}
fingerprint_function="
	CREATE FUNCTION pactoria.table_fingerprint(table_name regclass, OUT row_count bigint, OUT digest text)
	LANGUAGE plpgsql AS \$\$
	BEGIN
		EXECUTE format('SELECT count(*), md5(coalesce(string_agg(t::text, ''|'' ORDER BY t::text), '''')) FROM %s AS t', table_name)
			INTO row_count, digest;
	END \$\$"

ok pg_dump -Fc -f "$dump_file" "$source_db" "pg_dump -Fc succeeds"
ok env PGOPTIONS='-c session_replication_role=replica' pg_restore --exit-on-error -d "$target_db" "$dump_file" \
	"pg_restore --exit-on-error into a fresh database succeeds"

sql "$source_db" "$fingerprint_function" >/dev/null
sql "$target_db" "$fingerprint_function" >/dev/null
before=$(fingerprint "$source_db")
after=$(fingerprint "$target_db")
if [ -n "$before" ] && [ "$before" == "$after" ]; then
	is same same "every table of the extension has the same rows after the round trip"
else
	is differs same "every table of the extension has the same rows after the round trip"
	diff <(echo "$before") <(echo "$after") | sed 's/^/# /' >&2
fi
is "$(sql "$target_db" "SELECT count(*) FROM pactoria.templates WHERE company_id IS NULL")" \
	"$(sql "$source_db" "SELECT count(*) FROM pactoria.templates WHERE company_id IS NULL")" \
	"system templates are not duplicated by the restore"
is "$(sql "$target_db" "SELECT count(*) FROM pactoria.verify_data_integrity()")" "0" \
	"the restored database passes verify_data_integrity"

done_testing
