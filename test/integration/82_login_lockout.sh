#!/usr/bin/env bash
# Lock-out holds under concurrent wrong passwords, and failures are durable.
# Eight connections send three wrong passwords each at once for one account
# (auth.max_failed_attempts = 5).  Each attempt is decided by a login worker in a
# transaction of its own, under the user's row lock, so exactly five attempts
# compare a password, the fifth locks the account, and every later attempt --
# the right password too -- is refused as "locked".  A failure inside a
# transaction the caller rolls back stays counted.  When the worker cannot decide
# (a lock held too long, a misconfigured auth.* key) the caller gets the worker's
# SQLSTATE and reason, and nothing is recorded.
source "$(dirname "$0")/lib.bash"
plan 12

db=$(fresh_database login_lockout) || { echo "Bail out! cannot create database"; exit 1; }
drop_role_at_end pactoria_t82_app
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! CREATE EXTENSION pactoria failed"; exit 1; }
sql "$db" "INSERT INTO pactoria.system_config (key, value) VALUES ('auth.bcrypt_cost', '4');
	DO \$\$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pactoria_t82_app') THEN
			CREATE ROLE pactoria_t82_app LOGIN;
		END IF;
	END \$\$;
	SELECT pactoria.grant_application_access('pactoria_t82_app');
	SET ROLE pactoria_t82_app;
	SELECT 1 FROM pactoria.sign_up('Lockout Ltd', 'admin@lockout.example', 'Lock Admin', 'the right long passphrase');
	SELECT 1 FROM pactoria.sign_up('Rollback Ltd', 'admin@rollback.example', 'Roll Admin', 'the right long passphrase');" >/dev/null \
	|| { echo "Bail out! setup failed"; exit 1; }

attempt() {	# attempt <email> <password>: prints the SQLSTATE, or ok
	PGOPTIONS='-c role=pactoria_t82_app' psql -X -q -A -t -d "$db" -v VERBOSITY=sqlstate \
		-c "SELECT 'ok' FROM pactoria.authenticate('$1', '$2', '203.0.113.8')" 2>&1 | sed -E 's/^ERROR: +//'
}

scratch_dir || { echo "Bail out! cannot make a scratch directory"; exit 1; }
out=$TAP_WORK
pids=()
for c in 1 2 3 4 5 6 7 8; do
	( for n in 1 2 3; do attempt admin@lockout.example "wrong $c.$n"; done ) > "$out/$c" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
answers=$(cat "$out"/* | sort | uniq -c | awk '{print $2 "=" $1}' | paste -sd ' ' -)
is "$answers" "28P01=24" "24 concurrent wrong passwords: 24 times the one answer 28P01"

is "$(attempt admin@lockout.example 'the right long passphrase')" "28P01" "the locked account refuses the right password"
user_events() { sql "$db" "SELECT count(*) FROM pactoria.audit_logs AS a JOIN pactoria.users AS u ON u.company_id = a.company_id
	AND u.email = 'admin@lockout.example' WHERE a.event_type = '$1' AND coalesce(a.additional_data ->> 'reason', '') LIKE '$2'"; }
is "$(user_events login_failed password)" "5" "exactly five attempts compared a password (auth.max_failed_attempts)"
is "$(user_events login_failed locked)" "20" "the other twenty, and the right password, met the lock"
is "$(user_events account_locked %)" "1" "one lock, not one per connection"
is "$(sql "$db" "SELECT lockout_count || ' ' || (locked_until > now()) FROM pactoria.users WHERE email = 'admin@lockout.example'")" \
	"1 true" "the account is locked, once"

# A failure the caller rolls back stays counted.
PGOPTIONS='-c role=pactoria_t82_app' psql -X -q -d "$db" >/dev/null 2>&1 <<'SQL'
BEGIN;
SELECT 1 FROM pactoria.authenticate('admin@rollback.example', 'not it');
ROLLBACK;
BEGIN;
SELECT 1 FROM pactoria.authenticate('admin@rollback.example', 'not it either');
SQL
is "$(sql "$db" "SELECT failed_login_attempts FROM pactoria.users WHERE email = 'admin@rollback.example'")" "2" \
	"failures in rolled-back and abandoned transactions stay counted"
is "$(sql "$db" "SELECT count(*) FROM pactoria.audit_logs WHERE event_type = 'login_failed'
	AND company_id = (SELECT company_id FROM pactoria.users WHERE email = 'admin@rollback.example')")" "2" \
	"and audited"

# The worker waits at most 5 s for the user's row, then the caller is told why.
( psql -X -q -d "$db" >/dev/null 2>&1 <<'SQL'
BEGIN;
SELECT 1 FROM pactoria.users WHERE email = 'admin@rollback.example' FOR UPDATE;
SELECT pg_sleep(8);
COMMIT;
SQL
) &
holder=$!
sleep 1
busy=$(PGOPTIONS='-c role=pactoria_t82_app' psql -X -q -A -t -d "$db" \
	-c "SELECT 'ok' FROM pactoria.authenticate('admin@rollback.example', 'the right long passphrase')" 2>&1)
wait "$holder"
case "$busy" in
	*"could not be decided: canceling statement due to lock timeout"*"Another transaction holds the user's row"*) r=ok ;;
	*) r="$busy" ;;
esac
is "$r" "ok" "a login whose row stays locked gives up with the worker's reason and a hint"
is "$(sql "$db" "SELECT failed_login_attempts FROM pactoria.users WHERE email = 'admin@rollback.example'")" "2" \
	"and nothing was recorded for it (the right password would have cleared the failures)"

# A misconfigured key: the worker's 55000 and its message, not a bare system error.
sql "$db" "INSERT INTO pactoria.system_config (key, value) VALUES ('auth.max_failed_attempts', '0')" >/dev/null
is "$(attempt admin@rollback.example 'not it')" "55000" "a misconfigured auth.max_failed_attempts surfaces as 55000"
misconfigured=$(PGOPTIONS='-c role=pactoria_t82_app' psql -X -q -A -t -d "$db" \
	-c "SELECT 1 FROM pactoria.authenticate('admin@rollback.example', 'not it')" 2>&1)
case "$misconfigured" in
	*"could not be decided: "*"auth.max_failed_attempts"*) r=ok ;;
	*) r="$misconfigured" ;;
esac
is "$r" "ok" "naming the key"
sql "$db" "DELETE FROM pactoria.system_config WHERE key = 'auth.max_failed_attempts'" >/dev/null
done_testing
