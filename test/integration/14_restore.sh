#!/usr/bin/env bash
# Every ordinary backup restores with no option beyond the command itself (issue 14):
# a database with two companies, contracts with versions, audit entries (pactoria's
# own and an audited application table's), maintenance-made partitions, metrics and
# a user's configuration is backed up and restored in the ways the seeds' scripts do,
# and each restore must hold every row of every table exactly (count and content),
# verify_audit_log() and verify_data_integrity() clean, zero errors, and no extra
# version or audit entry.  After the restore, ordinary writes (by a superuser too)
# still fire every rule.
source "$(dirname "$0")/lib.bash"
plan 37

cd "$REPO_ROOT"
work=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-restore.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"; _drop_databases' EXIT
src=$(fresh_database restore_source) || { echo "Bail out! cannot create database"; exit 1; }

# The source: the demo data, more history and entries, then maintenance.
setup=$(psql -X -q -v ON_ERROR_STOP=1 -d "$src" 2>&1 <<'SQL'
CREATE EXTENSION pactoria CASCADE;
\i test/fixtures/sample_data.sql
BEGIN;
SELECT pactoria.set_context(id) FROM pactoria.companies WHERE name = 'Northwind Legal Ltd';
UPDATE pactoria.contracts SET final_content = coalesce(final_content, '') || E'\nClause 9: amended.' WHERE status = 'draft';
UPDATE pactoria.contracts SET final_content = final_content || E'\nClause 10: amended again.' WHERE status = 'draft';
SELECT pactoria.log_event('login', 'users', (SELECT id FROM pactoria.users WHERE email = 'olivia.hughes@northwind-legal.co.uk'), '{"ip": "192.0.2.1"}');
SELECT pactoria.record_metric('api_requests', 12);
COMMIT;
CREATE TABLE public.notes (company_id uuid NOT NULL REFERENCES pactoria.companies (id), id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body text NOT NULL);
SELECT pactoria.enable_audit('public.notes');
INSERT INTO public.notes (company_id, body) SELECT id, 'Note for ' || name FROM pactoria.companies;
INSERT INTO pactoria.system_config (key, value) VALUES ('risk_review_days', (SELECT value FROM pactoria.system_config_defaults WHERE key = 'risk_review_days'));
SELECT pactoria.run_maintenance();
SQL
)
ok test $? -eq 0 "the source database is set up (demo data, versions, audit entries, an audited table, partitions)"
[ -n "$setup" ] && diag "$setup"

# fingerprint <database>: every table of the database outside the catalogs (a
# partitioned table with its partitions), its row count and the md5 of its rows.
# The one exception: the last maintenance run's time and outcome of the tables
# the extension registers itself (their partition_config rows are made by CREATE
# EXTENSION, not dumped), which are the new database's own.
fingerprint() {
	sql "$1" "SELECT string_agg(x, E'\n' ORDER BY x) FROM (SELECT format('%s %s', c.oid::regclass, (xpath('/row/c/text()',
			query_to_xml(format('SELECT count(*) || '' '' || coalesce(md5(string_agg(t::text, ''|'' ORDER BY t::text)), '''') AS c FROM %s AS t',
				CASE WHEN c.oid = 'pactoria.partition_config'::regclass
				THEN '(SELECT parent_table, partition_interval, premake, retention, retention_action, before_removal, registered_by_extension,
					CASE WHEN NOT registered_by_extension THEN last_run_at END, CASE WHEN NOT registered_by_extension THEN last_run_outcome END
					FROM pactoria.partition_config)' ELSE c.oid::regclass::text END), false, true, '')))[1]::text) AS x
		FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%') AS f"
}
# The counts that must not move: versions, audit entries, seats.
counts() {
	sql "$1" "SELECT (SELECT count(*) FROM pactoria.contract_versions) || ' versions, '
		|| (SELECT count(*) FROM pactoria.audit_logs) || ' entries, seats '
		|| (SELECT string_agg(name || '=' || active_user_count || '/' || max_users, ',' ORDER BY name) FROM pactoria.companies)"
}
source_fp=$(fingerprint "$src")
source_counts=$(counts "$src")
diag "source: $source_counts"

# check_restore <label> <database> <log>: the restore's log holds no error, and the
# restored database equals the source.
check_restore() {
	local label=$1 db=$2 log=$3
	if grep -qE 'ERROR|FATAL|error:' "$log"; then
		is "errors" "none" "$label: no error"
		grep -E 'ERROR|FATAL|error:' "$log" | head -10 | sed 's/^/# /' >&2
	else
		is none none "$label: no error"
	fi
	local fp
	fp=$(fingerprint "$db")
	if [ -n "$fp" ] && [ "$fp" == "$source_fp" ]; then
		is same same "$label: every row of every table is restored exactly"
	else
		is differs same "$label: every row of every table is restored exactly"
		diff <(echo "$source_fp") <(echo "$fp") | grep '^[<>]' | head -20 | sed 's/^/# /' >&2
	fi
	is "$(counts "$db")" "$source_counts" "$label: no extra version or audit entry, seat counts unchanged"
	is "$(sql "$db" "SELECT (SELECT count(*) FROM pactoria.verify_audit_log()) || ' ' || (SELECT count(*) FROM pactoria.verify_data_integrity())")" "0 0" \
		"$label: verify_audit_log() and verify_data_integrity() are clean"
}

# 1. The plain script through gzip, into a new database, with psql.
pg_dump "$src" | gzip > "$work/b.sql.gz"
db=$(fresh_database restore_plain)
gunzip -c "$work/b.sql.gz" | psql -X -q -d "$db" >"$work/plain.log" 2>&1
check_restore "plain pg_dump | psql" "$db" "$work/plain.log"

# 2. The custom format without owners and privileges, with a plain pg_restore.
pg_dump -Fc --no-owner --no-privileges -f "$work/b.dump" "$src"
db=$(fresh_database restore_custom)
pg_restore -d "$db" "$work/b.dump" >"$work/custom.log" 2>&1
check_restore "pg_dump -Fc --no-owner --no-privileges, pg_restore" "$db" "$work/custom.log"

# 3. The directory format, dumped and restored by two jobs.  pg_restore -j loads
# the data of an extension's tables in parallel without the order of their
# foreign keys (pg_dump orders them only for a serial restore), so a parallel
# restore needs session_replication_role = replica, which skips the foreign-key
# checks too (README, "Backups").
pg_dump -Fd -j 2 -f "$work/dir" "$src"
db=$(fresh_database restore_parallel)
PGOPTIONS='-c session_replication_role=replica' pg_restore -j 2 -d "$db" "$work/dir" >"$work/parallel.log" 2>&1
check_restore "pg_dump -Fd -j 2, pg_restore -j 2 with session_replication_role = replica" "$db" "$work/parallel.log"

# 4. Into a database where someone ran CREATE EXTENSION pactoria first: the plain
# script, and pg_restore --clean --if-exists.
db=$(fresh_database restore_over_plain)
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null
gunzip -c "$work/b.sql.gz" | psql -X -q -d "$db" >"$work/over_plain.log" 2>&1
# The script's CREATE SCHEMA pactoria fails (CREATE EXTENSION made it; pg_dump's
# script is for an empty database); that is its one error, and the rest restores.
is "$(grep -E 'ERROR' "$work/over_plain.log" | sed 's/^psql:[^ ]* //')" 'ERROR:  schema "pactoria" already exists' \
	"plain script into a database with pactoria: its only error is CREATE SCHEMA pactoria's"
grep -v 'schema "pactoria" already exists' "$work/over_plain.log" >"$work/over_plain.rest"
check_restore "plain script into a database with pactoria" "$db" "$work/over_plain.rest"
db=$(fresh_database restore_over_clean)
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null
pg_restore --clean --if-exists -d "$db" "$work/b.dump" >"$work/over_clean.log" 2>&1
check_restore "pg_restore --clean --if-exists into a database with pactoria" "$db" "$work/over_clean.log"

# 5. The seed's critical-data backup, the data of contracts, users and companies,
# cannot be restored on its own: contracts refer to their AI generations (and
# templates), whose data it leaves out, so the foreign key refuses them.  The
# README says so and names the command that works: pg_dump --data-only of the
# whole database, into a database with pactoria (and the application's tables).
pg_dump --data-only -t pactoria.contracts -t pactoria.users -t pactoria.companies "$src" > "$work/critical.sql"
db=$(fresh_database restore_critical)
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null
psql -X -q -d "$db" -f "$work/critical.sql" >"$work/critical.log" 2>&1
is "$(grep -cE 'ERROR:  insert or update on table "contracts" violates foreign key constraint "contracts_ai_generation_id_fkey"' "$work/critical.log")" 1 \
	"critical-data restore of three tables: the foreign key to ai_generations refuses the contracts, as the README says"
is "$(sql "$db" "SELECT (SELECT count(*) FROM pactoria.contract_versions) || ' ' || (SELECT count(*) FROM pactoria.audit_logs)")" "0 0" \
	"critical-data restore of three tables: no version or audit entry made up for the rows it loaded"
pg_dump --data-only "$src" > "$work/data.sql"
db=$(fresh_database restore_data_only)
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null
sql "$db" "CREATE TABLE public.notes (company_id uuid NOT NULL REFERENCES pactoria.companies (id), id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body text NOT NULL)" >/dev/null
# A data-only dump holds no tables: the partitions its rows go to are made first,
# by the maintenance run that made them in the source (README, "Backups").
sql "$db" "SELECT count(*) FROM pactoria.run_maintenance()" >/dev/null
psql -X -q -d "$db" -f "$work/data.sql" >"$work/data_only.log" 2>&1
check_restore "pg_dump --data-only into a database with pactoria and the application's tables" "$db" "$work/data_only.log"

# session_replication_role = replica (the 0.1.0 way) keeps working.
db=$(fresh_database restore_replica)
PGOPTIONS='-c session_replication_role=replica' pg_restore -d "$db" "$work/b.dump" >"$work/replica.log" 2>&1
check_restore "pg_restore with session_replication_role = replica" "$db" "$work/replica.log"

# After a restore, ordinary writes fire the rules again, for a superuser too: in a
# session that looks like a restore but is not in a COPY, and with COPY itself in
# an ordinary session.
db=pactoria_it_restore_plain
nw=$(sql "$db" "SELECT id FROM pactoria.companies WHERE name = 'Northwind Legal Ltd'")
olivia=$(sql "$db" "SELECT id FROM pactoria.users WHERE email = 'olivia.hughes@northwind-legal.co.uk'")
entries=$(sql "$db" "SELECT count(*) FROM pactoria.audit_logs")
out=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<SQL
SET row_security = off;
SET check_function_bodies = off;
SELECT pg_catalog.set_config('search_path', '', false);
SELECT pactoria.set_context('$nw');
INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
SELECT '$nw', 'After the restore', 'nda', id FROM pactoria.users WHERE email = 'olivia.hughes@northwind-legal.co.uk';
SELECT count(*) FROM pactoria.contract_versions v JOIN pactoria.contracts c ON (c.company_id, c.id) = (v.company_id, v.contract_id) WHERE c.title = 'After the restore';
SQL
)
is "$(echo "$out" | tail -n 1)" "1" "after a restore, a superuser's INSERT with a restore's settings still makes version 1"
is "$(sql "$db" "SELECT count(*) > $entries FROM pactoria.audit_logs")" "t" "and is audited"
out=$(printf '%s\t%s\t%s\n' "$nw" "00000000-0000-7000-8000-000000000001" "risky" | psql -X -q -d "$db" \
	-c "SET row_security = off" -c "COPY pactoria.contract_versions (company_id, contract_id, change_summary) FROM STDIN" 2>&1)
case $out in *ERROR*) is refused refused "a superuser COPY (row_security off, check_function_bodies on) into contract_versions is still refused by its rules";;
	*) is "$out" refused "a superuser COPY (row_security off, check_function_bodies on) into contract_versions is still refused by its rules";; esac
# The application role, told restore-like settings, gets no exemption: COPY FROM
# into a table under row-level security is refused to it.
sql "$db" "DROP ROLE IF EXISTS pactoria_it14_restore_app; CREATE ROLE pactoria_it14_restore_app; SELECT pactoria.grant_application_access('pactoria_it14_restore_app')" >/dev/null
out=$(printf '%s\t%s\t%s\n' "$nw" "Smuggled" "nda" | psql -X -q -d "$db" -c "SET ROLE pactoria_it14_restore_app" \
	-c "SET row_security = off" -c "SET check_function_bodies = off" -c "SELECT set_config('search_path', '', false)" \
	-c "COPY pactoria.contracts (company_id, title, contract_type) FROM STDIN" 2>&1)
case $out in *ERROR*) is refused refused "the application role's COPY with a restore's settings is refused";;
	*) is "$out" refused "the application role's COPY with a restore's settings is refused";; esac
is "$(psql -X -q -A -t -d "$db" -c "SET row_security = off" -c "SET check_function_bodies = off" -c "SELECT pactoria.restore_in_progress()" | tail -n 1)" "f" \
	"a superuser's statement other than COPY, with a restore's settings, is no restore"
sql "$db" "DROP OWNED BY pactoria_it14_restore_app; DROP ROLE pactoria_it14_restore_app" >/dev/null

done_testing
