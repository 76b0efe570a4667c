#!/usr/bin/env bash
# Configuration caches follow a change committed by another backend.  A change
# of a key that a cache reads invalidates system_config's relcache entry in every
# backend (pactoria.audit_settings_changed()); the caches that hold configuration
# drop what they hold then: resume_session()'s idle timeout and the audit
# trigger's column treatments.  A change of any other key leaves them warm (they
# say when they read, at DEBUG1).  Two real connections (psycopg): the first
# warms its caches, the second changes the configuration and commits, the first
# must act on the new value at its next request.
source "$(dirname "$0")/lib.bash"
plan 7

python=/usr/bin/python3
"$python" -c 'import psycopg' 2>/dev/null || { echo "Bail out! python3-psycopg is not installed (test/setup-deps.sh installs it)"; exit 1; }
db=$(fresh_database config_invalidation) || { echo "Bail out! cannot create database"; exit 1; }
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! CREATE EXTENSION pactoria failed"; exit 1; }

out=$(PGDATABASE="$db" "$python" - <<'PY' 2>&1
import psycopg

warm = psycopg.connect("", autocommit=True)
other = psycopg.connect("", autocommit=True)
q = lambda conn, sql, *args: conn.execute(sql, args).fetchall()

company, user = q(warm, "SELECT company_id, user_id FROM pactoria.create_company('IT88 Ltd', 'admin@it88.example', 'IT88 Admin')")[0]
token = q(warm, "SELECT session_token FROM pactoria.create_session(%s, %s)", company, user)[0][0]

# Warm: a resume under the default idle timeout (30 minutes).
q(warm, "SELECT * FROM pactoria.resume_session(%s)", token)
# 40 minutes later the session is idle too long under the cached 30...
warm.execute("SET pactoria.test_clock_offset = '40 minutes'")
try:
    q(warm, "SELECT * FROM pactoria.resume_session(%s)", token)
    print("refused-under-30: no")
except psycopg.errors.InvalidAuthorizationSpecification:
    print("refused-under-30: yes")
# ... until another backend sets 45 and commits.
other.execute("INSERT INTO pactoria.system_config (key, value) VALUES ('session.idle_timeout', '45')")
try:
    q(warm, "SELECT * FROM pactoria.resume_session(%s)", token)
    print("resumes-under-45: yes")
except psycopg.errors.InvalidAuthorizationSpecification:
    print("resumes-under-45: no")
warm.execute("RESET pactoria.test_clock_offset")

# The audit trigger's treatments: warm with one update, then another backend
# redacts the column and commits.
warm.execute("SELECT pactoria.set_context(%s, %s, false)", (company, user))
contract = q(warm, "INSERT INTO pactoria.contracts (company_id, title, contract_type) VALUES (%s, 'IT88 lease', 'lease') RETURNING id", company)[0][0]
logged = "SELECT new_values ->> 'client_email' FROM pactoria.audit_logs WHERE company_id = %s AND resource_id = %s AND event_type = 'update' ORDER BY occurred_at DESC, id DESC LIMIT 1"
warm.execute("UPDATE pactoria.contracts SET client_email = 'first@client.example' WHERE company_id = %s AND id = %s", (company, contract))
print("before:", q(warm, logged, company, contract)[0][0])
other.execute("""INSERT INTO pactoria.system_config (key, value) VALUES ('audit.redacted_columns', '{"pactoria.contracts": ["client_email"]}')""")
warm.execute("UPDATE pactoria.contracts SET client_email = 'second@client.example' WHERE company_id = %s AND id = %s", (company, contract))
print("after:", q(warm, logged, company, contract)[0][0])

# Another key (not read by a cache) changes: the warm caches stay, and are read
# again once a key they read changes.
reads = []
warm.add_notice_handler(lambda d: reads.append(d.message_primary) if d.message_primary.startswith("pactoria: reading") else None)
warm.execute("SET client_min_messages = debug1")
def update_and_resume():
    reads.clear()
    warm.execute("UPDATE pactoria.contracts SET client_email = 'third@client.example' WHERE company_id = %s AND id = %s", (company, contract))
    q(warm, "SELECT * FROM pactoria.resume_session(%s)", token)
    return sorted(reads)
update_and_resume()
other.execute("INSERT INTO pactoria.system_config (key, value) VALUES ('partition.max_past_partitions', '100')")
print("unrelated:", update_and_resume())
other.execute("UPDATE pactoria.system_config SET value = '50' WHERE key = 'session.idle_timeout'")
print("idle:", update_and_resume())
other.execute("DELETE FROM pactoria.system_config WHERE key = 'audit.redacted_columns'")
print("redacted:", update_and_resume())
PY
)
echo "$out" | sed 's/^/# /' >&2
case "$out" in *"refused-under-30: yes"*) r=ok ;; *) r="$out" ;; esac
is "$r" "ok" "a warm backend refuses a session idle longer than the cached default"
case "$out" in *"resumes-under-45: yes"*) r=ok ;; *) r="$out" ;; esac
is "$r" "ok" "and resumes it once another backend has raised session.idle_timeout"
case "$out" in *"before: first@client.example"*) r=ok ;; *) r="$out" ;; esac
is "$r" "ok" "a warm backend logs a column in clear"
case "$out" in *"after: [redacted]"*) r=ok ;; *) r="$out" ;; esac
is "$r" "ok" "and redacts it at its next statement once another backend has configured it so"
case "$out" in *"unrelated: []"*) r=ok ;; *) r="$out" ;; esac
is "$r" "ok" "a change of a key no cache reads leaves the warm caches as they are"
case "$out" in *"idle: ['pactoria: reading configuration key \"session.idle_timeout\"', 'pactoria: reading the audit settings of table \"contracts\"']"*) r=ok ;; *) r="$out" ;; esac
is "$r" "ok" "a change of session.idle_timeout makes both read again"
case "$out" in *"redacted: ['pactoria: reading configuration key \"session.idle_timeout\"', 'pactoria: reading the audit settings of table \"contracts\"']"*) r=ok ;; *) r="$out" ;; esac
is "$r" "ok" "and so does deleting audit.redacted_columns"
done_testing
