#!/usr/bin/env bash
# pactoria's server key file (pactoria.key_file), on a throwaway cluster of its
# own: a missing, world-readable, foreign-owned or malformed file is refused with
# 55000 and a hint, never quoting the file; a reload reads the file again (also in
# a backend that had read it); rotation: a context signed with the old key still
# verifies while the old key is pactoria.retired_key_file, and no longer once it
# is gone; the key is never in pg_settings, the server log or a pg_dump.
if [ -z "${PACTORIA_KEY_TEST_CLUSTER:-}" ]; then
	exec env PACTORIA_KEY_TEST_CLUSTER=1 "$(dirname "$0")/../cluster.sh" run --fresh -- "$0"
fi
source "$(dirname "$0")/lib.bash"
plan 21

data="$PACTORIA_CLUSTER_DIR/data"
log="$PACTORIA_CLUSTER_DIR/postgresql.log"
db=$(fresh_database server_key) || { echo "Bail out! cannot create database"; exit 1; }
sql "$db" "SET client_min_messages = warning; CREATE EXTENSION pactoria CASCADE" >/dev/null \
	|| { echo "Bail out! cannot create the extension"; exit 1; }
as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
new_key() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
write_key() {			# write_key <file> <contents> [mode]: as the server's user
	as_server bash -c "umask 077; printf '%s' \"\$2\" > \"\$1\"; chmod ${3:-600} \"\$1\"" _ "$1" "$2"
}
# set_key_file <setting> <path>: ALTER SYSTEM, reload, wait until new backends see it.
set_key_file() { set_setting "$db" "$1" "$2"; }
# sqlstate_of <query>: the SQLSTATE and message of the error the query raises, or "no error".
sqlstate_of() {
	psql -X -q -A -t -d "$db" -v VERBOSITY=verbose -c "SELECT pactoria.version()" -c "$1" 2>&1 >/dev/null | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): .*/\1/p' | head -1
}
status() { sql "$db" "SELECT coalesce(problem, 'ok') FROM pactoria.server_key_status() WHERE which = '$1'"; }
sign="SELECT pactoria.sign_context(gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), now() + interval '5 minutes', false)"
first_key=$(tr -d '\n' <"$data/pactoria.key")
is "$(status current)" ok "the cluster's key (made by test/cluster.sh) is usable"

# Refused files.
set_key_file pactoria.key_file "$data/missing.key"
case "$(status current)" in *"could not open key file"*"No such file"*) r=0;; *) r=1;; esac
is "$r" 0 "a missing file: server_key_status() says it cannot be opened"
is "$(sqlstate_of "$sign")" 55000 "a missing file: signing fails with 55000"
case "$(psql -X -q -d "$db" -c "$sign" 2>&1)" in *"HINT:  Create one"*"openssl rand -hex 32"*"pg_reload_conf"*) r=0;; *) r=1;; esac
is "$r" 0 "and the hint says how to create a key"

write_key "$data/open.key" "$(new_key)" 644
set_key_file pactoria.key_file "$data/open.key"
case "$(status current)" in *"mode 0644"*) r=0;; *) r=1;; esac
is "$r" 0 "a file with mode 0644 is refused, naming the mode"
is "$(sqlstate_of "$sign")" 55000 "and signing fails with 55000"

if [ "$(id -u)" -eq 0 ]; then
	new_key >"$data/root.key"; chmod 644 "$data/root.key"
	set_key_file pactoria.key_file "$data/root.key"
	case "$(status current)" in *"not owned by the server's operating-system user"*) r=0;; *) r=1;; esac
	is "$r" 0 "a file owned by another user is refused"
	is "$(sqlstate_of "$sign")" 55000 "and signing fails with 55000"
else
	skip "not root: cannot make a file owned by another user"
	skip "not root: cannot make a file owned by another user"
fi

bad_contents="$(new_key | cut -c1-60)zzzz"
write_key "$data/bad.key" "$bad_contents"
set_key_file pactoria.key_file "$data/bad.key"
case "$(status current)" in *malformed*) r=0;; *) r=1;; esac
is "$r" 0 "a file that is not 64 hexadecimal digits is refused as malformed"
case "$(psql -X -q -d "$db" -c "$sign" 2>&1; status current)" in *"${bad_contents:0:16}"*) r=1;; *) r=0;; esac
is "$r" 0 "and no message quotes its contents"
write_key "$data/short.key" "$(new_key | cut -c1-63)"$'\n'
set_key_file pactoria.key_file "$data/short.key"
is "$(sqlstate_of "$sign")" 55000 "63 digits and a newline: 55000"

# Back to the first key: a context signed now, to rotate away from.
set_key_file pactoria.key_file "$data/pactoria.key"
is "$(status current)" ok "the first key again"
old_value=$(sql "$db" "$sign")
is "$(sqlstate_of "BEGIN; SET LOCAL pactoria.context = '$old_value'; COMMIT")" "" "a context signed with it verifies"

# The same path, new contents, a reload: a backend that had read the key reads it again.
second_key=$(new_key)
out=$(psql -X -q -A -t -d "$db" -v ON_ERROR_STOP=0 2>&1 <<SQL
SELECT 'before ' || (pactoria.sign_context(gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), now() + interval '1 minute', false) IS NOT NULL);
COPY (SELECT '$second_key') TO '$data/pactoria.key';
SELECT pg_reload_conf();
SELECT pg_sleep(1);
BEGIN;
SET LOCAL pactoria.context = '$old_value';
ROLLBACK;
SQL
)
case "$out" in *"before true"*"invalid tenant context"*) r=0;; *) r=1;; esac
is "$r" 0 "after the file changed and a reload, the same backend verifies with the new key: the old value is refused"
is "$(stat -c %a "$data/pactoria.key")" 600 "(the key file rewritten by the server is still 0600)"
is "$(sqlstate_of "SET pactoria.context = '$old_value'")" 28000 "a new backend refuses it too (28000)"

# Rotation: the old key as pactoria.retired_key_file.
write_key "$data/retired.key" "$first_key"$'\n'
set_key_file pactoria.retired_key_file "$data/retired.key"
is "$(status retired)" ok "the retired key is usable"
is "$(sqlstate_of "BEGIN; SET LOCAL pactoria.context = '$old_value'; COMMIT")" "" \
	"a context signed with the old key verifies while it is the retired key"
new_value=$(sql "$db" "$sign")
is "$(sqlstate_of "BEGIN; SET LOCAL pactoria.context = '$new_value'; COMMIT")" "" "one signed now verifies (with the new key)"
set_key_file pactoria.retired_key_file ""
is "$(sqlstate_of "SET pactoria.context = '$old_value'")" 28000 "once the old key is gone, its values are refused"

# The key is nowhere else.
settings=$(sql "$db" "SELECT string_agg(name || '=' || coalesce(setting, '') || coalesce(reset_val, '') || coalesce(boot_val, ''), ' ') FROM pg_settings")
dump=$(pg_dump -d "$db" 2>/dev/null; pg_dumpall -g 2>/dev/null)
found=0
for key in "$first_key" "$second_key"; do
	for haystack in "$settings" "$dump" "$(cat "$log")" "$(sql "$db" "SELECT * FROM pactoria.server_key_status()")"; do
		case "$haystack" in *"$key"*) found=1;; esac
	done
done
is "$found" 0 "neither key appears in pg_settings, a pg_dump, pg_dumpall -g, the server log or server_key_status()"

done_testing
