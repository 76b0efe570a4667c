#!/usr/bin/env bash
# Protected columns under a rotation of the tenant data key, a dump and a lost key.
# While writers insert and update protected values and readers read every row in
# clear (pgbench, as an unprivileged role under the tenant context), the company's
# data key is rotated and reencrypt_tenant_values() re-encrypts the old values in
# batches: no reader or writer fails at any moment, every value ends under the new
# key and reads back.  pg_dump holds the ciphertext only; the restored database
# reads the values with the same server key; with another server key the read
# fails with a clear error (55000) and nothing is lost.
source "$(dirname "$0")/lib.bash"
plan 14

data="$PACTORIA_CLUSTER_DIR/data"
company=00000000-0000-7000-8000-0000000087c1
role=regress_protect_writer
dump_databases protected_columns || { echo "Bail out! cannot create databases"; exit 1; }
db=$source_db
work=$TAP_WORK
sql "$db" "SET client_min_messages = warning; CREATE EXTENSION pactoria CASCADE" >/dev/null \
	|| { echo "Bail out! cannot create the extension"; exit 1; }
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
drop_role_at_end "$role"
sql "$db" "CREATE ROLE $role;
	INSERT INTO pactoria.companies (id, name) VALUES ('$company', 'Protected Ltd');
	CREATE TABLE public.notes (company_id uuid NOT NULL, id integer NOT NULL, body text NOT NULL,
		PRIMARY KEY (company_id, id));
	INSERT INTO public.notes SELECT '$company', i, 'note ' || i FROM generate_series(1, 3000) AS i;
	GRANT SELECT, INSERT, UPDATE ON public.notes TO $role;
	GRANT USAGE ON SCHEMA pactoria TO $role;
	GRANT EXECUTE ON FUNCTION pactoria.decrypt(bytea, text) TO $role;
	SELECT pactoria.protect_column('public.notes', 'body');
	WITH u AS (INSERT INTO pactoria.users (company_id, email, full_name, role)
			   VALUES ('$company', 'ann@protected.example', 'Ann Admin', 'admin') RETURNING company_id, id)
	INSERT INTO pactoria.oauth_connections (company_id, user_id, provider, provider_user_id, access_token, refresh_token)
	SELECT company_id, id, 'google', 'g-123', convert_to('access note 1', 'UTF8'), convert_to('refresh note 2', 'UTF8') FROM u" >/dev/null \
	|| { echo "Bail out! cannot set up the table"; exit 1; }
in_company() { psql -X -q -A -t -d "$1" -c "SET pactoria.company_id = '$company'" -c "$2" 2>&1; }
# Every row in clear, checked: a value that does not decrypt fails the query.
readback="SELECT count(*) FILTER (WHERE body ~ '^(note|updated|new) [0-9]+$') || '/' || count(*) FROM public.notes_clear"

is "$(in_company "$db" "$readback")" "3000/3000" "protect_column() encrypted the existing values, which read back"
is "$(sql "$db" "SELECT count(*) FROM public.notes WHERE position('\\x6e6f7465'::bytea IN body) > 0")" 0 \
	"no stored value holds its clear text"

cat >"$work/write.sql" <<EOF
SET pactoria.company_id = '$company';
SET ROLE $role;
\set n random(1, 3000)
BEGIN;
UPDATE public.notes SET body = convert_to('updated ' || :n, 'UTF8') WHERE company_id = '$company' AND id = :n;
INSERT INTO public.notes VALUES ('$company', 100000 + :client_id * 100000 + :n, convert_to('new ' || :n, 'UTF8'))
	ON CONFLICT (company_id, id) DO UPDATE SET body = excluded.body;
COMMIT;
RESET ROLE;
EOF
cat >"$work/read.sql" <<EOF
SET pactoria.company_id = '$company';
SET ROLE $role;
SELECT count(*) FROM public.notes_clear WHERE body !~ '^(note|updated|new) [0-9]+$' \gset
\if :count
SELECT 1/0;
\endif
RESET ROLE;
EOF
pgbench -n -c 3 -j 3 -T 6 -f "$work/write.sql" "$db" >"$work/write.out" 2>&1 &
writers=$!
pgbench -n -c 2 -j 2 -T 6 -f "$work/read.sql" "$db" >"$work/read.out" 2>&1 &
readers=$!
sleep 1
is "$(sql "$db" "SELECT pactoria.rotate_tenant_key('$company')")" 2 "the data key is rotated while writers and readers run"
rounds=0
remaining=1
while [ "$remaining" != 0 ] && [ $rounds -lt 200 ]; do
	remaining=$(sql "$db" "SELECT sum(remaining) FROM pactoria.reencrypt_tenant_values('$company', 250)") || break
	rounds=$((rounds + 1))
done
diag "re-encrypted in $rounds calls"
is "$remaining" 0 "reencrypt_tenant_values() in batches leaves nothing under the old key"
wait $writers; w=$?
wait $readers; r=$?
[ $w -eq 0 ] || diag "$(cat "$work/write.out")"
[ $r -eq 0 ] || diag "$(cat "$work/read.out")"
is "$w/$r" "0/0" "no writer and no reader failed at any moment"
# Writers that ran after the last batch wrote under the new key already.
is "$(sql "$db" "SELECT count(*) FROM public.notes WHERE pactoria.ciphertext_key_number(body) <> 2")" 0 \
	"every value is under the new key"
is "$(in_company "$db" "$readback" | cut -d/ -f1)" "$(sql "$db" "SELECT count(*) FROM public.notes")" \
	"and every one reads back"

# Dump and restore.
ok pg_dump -Fc -f "$dump_file" "$db" "pg_dump succeeds"
pg_restore -f - "$dump_file" >"$dump_file.sql"
grep -Eq "(note|updated|new) [0-9]" "$dump_file.sql" && r=1 || r=0
is "$r" 0 "the dump holds no clear value"
pg_restore --exit-on-error -d "$target_db" "$dump_file" >"$work/restore.out" 2>&1 || diag "$(cat "$work/restore.out")"
is "$(in_company "$target_db" "$readback")" "$(in_company "$db" "$readback")" \
	"the restored database reads every value with the same server key"
tokens="SELECT access_token || ',' || refresh_token FROM pactoria.oauth_connections_clear"
is "$(in_company "$target_db" "$tokens")" "access note 1,refresh note 2" \
	"and pactoria's own protected columns (OAuth tokens), restored as they were"
is "$(sql "$target_db" "SELECT string_agg(table_name::text || '.' || column_name, ',' ORDER BY table_name::text, column_name) FROM pactoria.protected_columns")" \
	"notes.body,pactoria.oauth_connections.access_token,pactoria.oauth_connections.refresh_token" \
	"the registry is restored once: the application's column from the dump, pactoria's own by CREATE EXTENSION"

# Another server key: reads fail clearly, nothing is lost.
as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_server bash -c "umask 077; od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > '$data/other.key'"
set_setting "$db" pactoria.key_file "$data/other.key"
case "$(in_company "$target_db" "$readback")" in *"sealed under a server key that is not configured"*) r=0 ;; *) r=1 ;; esac
is "$r" 0 "with another server key a read fails, saying the key it needs is not configured"
set_setting "$db" pactoria.key_file "$data/pactoria.key"
is "$(in_company "$target_db" "$readback")" "$(in_company "$db" "$readback")" \
	"and with the key back nothing was lost"
rm -f "$data/other.key"

done_testing
