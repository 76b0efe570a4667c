#!/usr/bin/env bash
# The application's tenant context through PgBouncer in transaction mode, from a
# real client (psycopg), concurrently.  In transaction mode PgBouncer does not run
# server_reset_query: whatever a client leaves on a server connection, the next
# client given that connection inherits.  Three tenants, three client threads
# each, two server connections: each client logs in (authenticate) through the
# pool and logs out at the end; every request presents its session token
# (resume_session), sees exactly its own company's rows and writes only into its
# own company; a transaction without a credential sees and writes nothing; a
# client that copies its signed context into a session-level setting, or calls
# set_context(), leaves nothing behind for the next client of its connection.
source "$(dirname "$0")/lib.bash"
plan 10

python=/usr/bin/python3
app=pactoria_it86_app
db=$(fresh_database pgbouncer_pool) || { echo "Bail out! cannot create database"; exit 1; }
bouncer_dir=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-pgbouncer.XXXXXX")
as_server_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_bouncer() {
	[ -f "$bouncer_dir/pgbouncer.pid" ] && kill "$(cat "$bouncer_dir/pgbouncer.pid")" 2>/dev/null
	for _ in $(seq 50); do [ -f "$bouncer_dir/pgbouncer.pid" ] || break; sleep 0.1; done
	rm -rf "$bouncer_dir"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP ROLE IF EXISTS $app" >/dev/null 2>&1
}
trap stop_bouncer EXIT

command -v pgbouncer >/dev/null || { echo "Bail out! pgbouncer is not installed (test/setup-deps.sh installs it)"; exit 1; }
"$python" -c 'import psycopg' 2>/dev/null || { echo "Bail out! python3-psycopg is not installed (test/setup-deps.sh installs it)"; exit 1; }

sql "$db" "SET client_min_messages = warning; DROP ROLE IF EXISTS $app; CREATE ROLE $app LOGIN" >/dev/null \
	&& sql "$db" "SET client_min_messages = warning; CREATE EXTENSION pactoria CASCADE" >/dev/null \
	&& sql "$db" "SELECT pactoria.grant_application_access('$app')" >/dev/null \
	|| { echo "Bail out! cannot set up pactoria and the application role"; exit 1; }

# Three companies with 3, 5 and 7 contracts, and a password for each one's admin:
# every client logs in through the pool with authenticate().
sql "$db" "INSERT INTO pactoria.system_config (key, value) VALUES ('auth.bcrypt_cost', '4')" >/dev/null
tenants=$(sql "$db" "
	WITH c AS (
		SELECT n, f.company_id, f.user_id
		FROM generate_series(1, 3) AS n,
			 LATERAL pactoria.create_company('Pool Tenant ' || n || ' Ltd', 'admin@pool-' || n || '.example', 'Admin ' || n) AS f),
	contracts AS (
		INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by)
		SELECT c.company_id, 'Contract ' || i, 'services', c.user_id
		FROM c, generate_series(1, 2 * c.n + 1) AS i
		RETURNING company_id)
	SELECT json_agg(json_build_object(
		'company_id', c.company_id,
		'email', 'admin@pool-' || c.n || '.example',
		'password', 'pool tenant ' || c.n || ' passphrase',
		'contracts', 2 * c.n + 1))
	FROM c") || { echo "Bail out! cannot create the tenants"; exit 1; }
[ "$(sql "$db" "SELECT count(*) FROM pactoria.contracts")" == 15 ] || { echo "Bail out! contracts not loaded"; exit 1; }
sql "$db" "UPDATE pactoria.users SET hashed_password = pactoria.bcrypt('pool tenant ' || substring(email FROM 'pool-([0-9])') || ' passphrase', '')
	WHERE email LIKE 'admin@pool-%'" >/dev/null || { echo "Bail out! cannot set the passwords"; exit 1; }

# PgBouncer on a private unix socket, no TCP, transaction pooling, 2 server connections.
chmod 755 "$bouncer_dir"
[ "$(id -u)" -eq 0 ] && chown postgres: "$bouncer_dir"
bouncer_port=$((20000 + RANDOM % 30000))
printf '"%s" ""\n"postgres" ""\n' "$app" >"$bouncer_dir/users.txt"
cat >"$bouncer_dir/pgbouncer.ini" <<INI
[databases]
$db = host=$PGHOST port=$PGPORT dbname=$db
[pgbouncer]
listen_addr =
listen_port = $bouncer_port
unix_socket_dir = $bouncer_dir
auth_type = trust
auth_file = $bouncer_dir/users.txt
pool_mode = transaction
default_pool_size = 2
max_client_conn = 50
max_db_connections = 2
server_reset_query = DISCARD ALL
logfile = $bouncer_dir/pgbouncer.log
pidfile = $bouncer_dir/pgbouncer.pid
INI
[ "$(id -u)" -eq 0 ] && chown postgres: "$bouncer_dir"/*
ok as_server_user pgbouncer -d "$bouncer_dir/pgbouncer.ini" "PgBouncer starts in transaction mode on a private socket"
for _ in $(seq 50); do [ -S "$bouncer_dir/.s.PGSQL.$bouncer_port" ] && break; sleep 0.1; done
conninfo="host=$bouncer_dir port=$bouncer_port dbname=$db user=$app"

is "$(psql -X -q -A -t -d "$conninfo" -c "SELECT current_user" 2>&1)" "$app" \
	"the application role connects through the pool"

result=$("$python" "$REPO_ROOT/test/integration/pool_clients.py" "$conninfo" 40 3 <<<"$tenants" 2>&1)
field() { "$python" -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])[sys.argv[2]], sort_keys=True))' "$result" "$1" 2>/dev/null || echo "no result: ${result:0:300}"; }

is "$(field errors)" "[]" "no client failed (each logged in with authenticate() through the pool)"
is "$(field requests)" "360" "9 clients made 40 requests each"
is "$(field leaks)" "[]" "no request saw or wrote another company's rows, no transaction without a credential saw any, a session-level copy of the context and set_context() left nothing behind, and a session ended by logout no longer resumes"
processes=$(field server_processes)
sharing=$(field most_clients_per_process)
ok test "${processes:-99}" -le 2 -a "${sharing:-0}" -ge 3 \
	"the clients shared the pool's server connections ($processes server processes, up to $sharing clients on one)"
is "$(sql "$db" "SELECT string_agg(count::text, ' ' ORDER BY n) FROM (
		SELECT c.n, count(r.*) FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM pactoria.companies WHERE name LIKE 'Pool Tenant %') AS c
		LEFT JOIN pactoria.risk_assessments AS r ON r.company_id = c.id GROUP BY c.n) AS t")" "120 120 120" \
	"each company holds exactly the 120 risks its own clients wrote"
is "$(sql "$db" "SELECT count(*) FROM pactoria.risk_assessments WHERE risk_name = 'written without a credential'")" 0 \
	"no write without a credential reached a table"
is "$(sql "$db" "SELECT count(*) FROM pactoria.risk_assessments AS r JOIN pactoria.companies AS c ON c.id = r.company_id
	WHERE r.risk_name LIKE 'pool client %' AND c.name NOT LIKE 'Pool Tenant %'")" 0 "no risk landed outside the pool's tenants"
is "$(sql "$db" "SELECT count(*) FILTER (WHERE revoke_reason = 'logout') || ' of ' || count(*) FROM pactoria.user_sessions")" "9 of 9" \
	"each of the 9 clients logged in once through the pool and logged out"
done_testing
