#!/usr/bin/env bash
# Tenant data keys across a server key rotation and a dump.  Values encrypted
# with pactoria.encrypt() keep decrypting while the old server key is
# pactoria.retired_key_file; without it they fail with a clear error (55000) and
# nothing is lost; pactoria.rewrap_tenant_keys() seals the data keys under the new
# server key, after which the old one can go.  pg_dump keeps only ciphertext and
# sealed keys; the restored database, on a server with the same key, decrypts.
source "$(dirname "$0")/lib.bash"
plan 12

data="$PACTORIA_CLUSTER_DIR/data"
company=00000000-0000-7000-8000-0000000086d1
dump_databases tenant_keys || { echo "Bail out! cannot create databases"; exit 1; }
db=$source_db
sql "$db" "SET client_min_messages = warning; CREATE EXTENSION pactoria CASCADE" >/dev/null \
	|| { echo "Bail out! cannot create the extension"; exit 1; }
as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
write_key() {			# write_key <file> <contents>: as the server's user, 0600
	as_server bash -c "umask 077; printf '%s\n' \"\$2\" > \"\$1\"" _ "$1" "$2"
}
# in_company <database> <query>: the query's result under the company's tenant context.
in_company() { psql -X -q -A -t -d "$1" -c "SET pactoria.company_id = '$company'" -c "$2" 2>&1; }
readback="SELECT string_agg(pactoria.decrypt(v, 'public.secrets.v'), ',' ORDER BY n) FROM public.secrets"

sql "$db" "INSERT INTO pactoria.companies (id, name) VALUES ('$company', 'Keys Ltd');
	CREATE TABLE public.secrets (n integer PRIMARY KEY, v bytea NOT NULL)" >/dev/null
ok in_company "$db" "INSERT INTO public.secrets SELECT i, pactoria.encrypt('secret ' || i, 'public.secrets.v') FROM generate_series(1, 3) AS i" \
	"values are encrypted under the company's data key"
is "$(in_company "$db" "$readback")" "secret 1,secret 2,secret 3" "and decrypt"

# A new server key, the old one retired.
old_key=$(tr -d '\n' <"$data/pactoria.key")
write_key "$data/retired.key" "$old_key"
write_key "$data/next.key" "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
set_setting "$db" pactoria.retired_key_file "$data/retired.key"
set_setting "$db" pactoria.key_file "$data/next.key"
is "$(in_company "$db" "$readback")" "secret 1,secret 2,secret 3" "after a server key rotation they decrypt while the old key is retired"
set_setting "$db" pactoria.retired_key_file ""
case "$(in_company "$db" "$readback")" in *"sealed under a server key that is not configured"*) r=0 ;; *) r=1 ;; esac
is "$r" 0 "without the old key they fail, saying the key they need is not configured"
is "$(sql "$db" "SELECT count(*) FROM public.secrets")" 3 "and nothing is lost"
set_setting "$db" pactoria.retired_key_file "$data/retired.key"
is "$(sql "$db" "SELECT pactoria.rewrap_tenant_keys()")" 1 "rewrap_tenant_keys() seals the company's data key under the new server key"
is "$(sql "$db" "SELECT pactoria.rewrap_tenant_keys()")" 0 "a second run has nothing to do"
set_setting "$db" pactoria.retired_key_file ""
is "$(in_company "$db" "$readback")" "secret 1,secret 2,secret 3" "after it the old server key is not needed"
is "$(in_company "$db" "SELECT pactoria.ciphertext_key_number(v) FROM public.secrets WHERE n = 1")" 1 \
	"the values themselves were not touched (still under data key 1)"

# Dump and restore.
ok pg_dump -Fc -f "$dump_file" "$db" "pg_dump succeeds"
pg_restore -f - "$dump_file" >"$dump_file.sql"
grep -q "secret 1" "$dump_file.sql" && r=1 || r=0
is "$r" 0 "the dump holds no clear value"
env PGOPTIONS='-c session_replication_role=replica' pg_restore --exit-on-error -d "$target_db" "$dump_file" >/dev/null 2>&1
is "$(in_company "$target_db" "$readback")" "secret 1,secret 2,secret 3" "the restored database decrypts with the same server key"

# The cluster's own key again, for the tests after this one.
set_setting "$db" pactoria.key_file "$data/pactoria.key"

done_testing
