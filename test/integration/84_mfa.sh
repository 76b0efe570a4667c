#!/usr/bin/env bash
# The second factor across connections, key rotation and a dump, on a throwaway
# cluster of its own (it changes the server key):
# - eight connections present the same TOTP code at once, each with its own
#   MFA-pending session: exactly one becomes a full session (each code once);
# - rotating the server key: secrets sealed under the old key fail with a clear
#   55000 until the old key is pactoria.retired_key_file, then open again;
#   reseal_totp_secrets() moves them to the new key, after which the old key can go;
# - pg_dump holds the sealed secret, never the clear one, and a restore into a
#   database of the same cluster (same key) verifies codes as before.
if [ -z "${PACTORIA_MFA_TEST_CLUSTER:-}" ]; then
	exec env PACTORIA_MFA_TEST_CLUSTER=1 "$(dirname "$0")/../cluster.sh" run --fresh -- "$0"
fi
source "$(dirname "$0")/lib.bash"
plan 14

data="$PACTORIA_CLUSTER_DIR/data"
db=$(fresh_database mfa) || { echo "Bail out! cannot create database"; exit 1; }
drop_role_at_end pactoria_t84_app
restored=$(fresh_database mfa_restored) || { echo "Bail out! cannot create database"; exit 1; }
as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
app() {		# app <database> <sql>: as the application role; prints rows or the SQLSTATE
	PGOPTIONS='-c role=pactoria_t84_app' psql -X -q -A -t -d "$1" -v VERBOSITY=sqlstate -c "$2" 2>&1 | sed -E 's/^ERROR: +//'
}

sql "$db" "SET client_min_messages = warning; CREATE EXTENSION pactoria CASCADE;
	INSERT INTO pactoria.system_config (key, value) VALUES ('auth.bcrypt_cost', '4'), ('auth.max_failed_attempts', '100');
	CREATE ROLE pactoria_t84_app LOGIN;
	SELECT pactoria.grant_application_access('pactoria_t84_app');
	SET ROLE pactoria_t84_app;
	SELECT 1 FROM pactoria.sign_up('MFA Ltd', 'admin@mfa.example', 'MFA Admin', 'the right long passphrase');" >/dev/null \
	|| { echo "Bail out! setup failed"; exit 1; }

# Enrol, and confirm with the previous step's code, so that the current step's
# code is still unspent for the test below.
token=$(app "$db" "SELECT session_token FROM pactoria.authenticate('admin@mfa.example', 'the right long passphrase')")
in_session() {	# in_session <sql>: in one transaction after resume_session(); prints the sql's rows
	app "$db" "BEGIN; SELECT count(*) FROM pactoria.resume_session('$token'); $1; COMMIT;" | sed 1d
}
secret=$(in_session "SELECT secret FROM pactoria.enrol_totp()")
codes=$(in_session "SELECT count(*) FROM pactoria.confirm_totp(
	pactoria.totp_code(pactoria.base32_decode('$secret'), now() - interval '30 seconds'))")
is "$codes" "10" "TOTP enrolled and confirmed: ten backup codes"
code_now() { sql "$db" "SELECT pactoria.totp_code(pactoria.base32_decode('$secret'), now() + interval '$1 seconds')"; }

# One code, eight connections at once.
pending=()
for c in 1 2 3 4 5 6 7 8; do
	pending+=("$(app "$db" "SELECT session_token FROM pactoria.authenticate('admin@mfa.example', 'the right long passphrase')")")
done
code=$(code_now 0)
scratch_dir || { echo "Bail out! cannot make a scratch directory"; exit 1; }
out=$TAP_WORK
pids=()
for c in 0 1 2 3 4 5 6 7; do
	app "$db" "SELECT 'ok' FROM pactoria.verify_totp('${pending[$c]}', '$code')" > "$out/$c" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
answers=$(cat "$out"/* | sort | uniq -c | awk '{print $2 "=" $1}' | paste -sd ' ' -)
is "$answers" "28P01=7 ok=1" "eight connections with the same code: one full session, seven refusals (each code once)"
is "$(sql "$db" "SELECT count(*) FROM pactoria.user_sessions WHERE revoke_reason = 'mfa_verified'")" "1" \
	"exactly one pending session was exchanged"

# Rotation of the server key.
old_key_file="$data/old.key"
as_server install -m 600 "$data/pactoria.key" "$old_key_file"
as_server bash -c "umask 077; od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > '$data/new.key'"
verify_as_owner() {	# can the stored secret check a code (as the owner, spending nothing)?
	psql -X -q -A -t -d "$db" -v VERBOSITY=sqlstate -c "SELECT pactoria.totp_match(t.sealed_secret,
		pactoria.totp_associated_data(t.company_id, t.user_id),
		pactoria.totp_code(pactoria.base32_decode('$secret'), now()), now(), -1) IS NOT NULL FROM pactoria.user_totp AS t" 2>&1 \
		| sed -E 's/^ERROR: +//'
}
set_setting "$db" pactoria.key_file "$data/new.key" || echo "# could not set the new key"
is "$(verify_as_owner)" "55000" "after rotation without the old key: the sealed secret fails with 55000, not as a wrong code"
pending_one=$(app "$db" "SELECT session_token FROM pactoria.authenticate('admin@mfa.example', 'the right long passphrase')")
is "$(app "$db" "SELECT 'ok' FROM pactoria.verify_totp('$pending_one', '$(code_now 30)')")" "55000" \
	"and verify_totp() says so too (a server problem, not the user's)"
set_setting "$db" pactoria.retired_key_file "$old_key_file" || echo "# could not set the retired key"
is "$(app "$db" "SELECT 'ok' FROM pactoria.verify_totp('$pending_one', '$(code_now 30)')")" "ok" \
	"with the old key as pactoria.retired_key_file, verify_totp() works again"
is "$(sql "$db" "SELECT pactoria.reseal_totp_secrets()")" "1" "reseal_totp_secrets() reseals the one secret"
is "$(sql "$db" "SELECT pactoria.reseal_totp_secrets()")" "0" "and a second run has nothing left to do"
set_setting "$db" pactoria.retired_key_file "" || echo "# could not drop the retired key"
is "$(verify_as_owner)" "t" "once resealed, the old key can go: the secret opens under the new key alone"
is "$(app "$db" "SELECT count(*) FROM pactoria.user_totp")" "42501" "the application role cannot read the sealed secrets"

# A dump and a restore.
dump_file="$out/mfa.dump"
ok pg_dump -Fc -f "$dump_file" "$db" "pg_dump -Fc succeeds"
raw_hex=$(sql "$db" "SELECT encode(pactoria.base32_decode('$secret'), 'hex')")
pg_restore -f "$out/mfa.sql" "$dump_file"
if grep -qi -e "$secret" -e "$raw_hex" "$out/mfa.sql"; then r=1; else r=0; fi
is "$r" 0 "the dump holds neither the base32 nor the hex of the clear TOTP secret"
env PGOPTIONS="-c session_replication_role=replica" pg_restore --exit-on-error -d "$restored" "$dump_file" >"$out/restore.log" 2>&1 || diag "$(tail -5 "$out/restore.log")"
# The last code spent was one step ahead of the clock: wait for the next step, so
# that the code one step ahead of it is new and within the window.
sleep $((31 - $(date +%s) % 30))
pending_restored=$(app "$restored" "SELECT session_token FROM pactoria.authenticate('admin@mfa.example', 'the right long passphrase')")
is "$(app "$restored" "SELECT 'ok' FROM pactoria.verify_totp('$pending_restored', '$(code_now 30)')")" "ok" \
	"restored (same server key): the restored secret verifies a code"
is "$(app "$restored" "SELECT 'ok' FROM pactoria.verify_totp('$pending_restored', '$(code_now 30)')")" "28000" \
	"and the exchanged pending session is spent"

psql -X -q -d "$db" -c "SELECT pactoria.version()" -c "ALTER SYSTEM RESET pactoria.retired_key_file" \
	-c "ALTER SYSTEM RESET pactoria.key_file" >/dev/null 2>&1
done_testing
