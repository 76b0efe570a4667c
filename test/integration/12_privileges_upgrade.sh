#!/usr/bin/env bash
# Privileges across ALTER EXTENSION UPDATE (issue 12): a role granted by 0.1.0's
# grant_application_access() keeps 0.1.0's writes on the append-only tables until it
# is granted again, which takes them back; the updated extension's function and
# table privileges are those of a fresh install.
source "$(dirname "$0")/lib.bash"
plan 8

old=$(fresh_database privileges_upgrade) || { echo "Bail out! cannot create database"; exit 1; }
new=$(fresh_database privileges_fresh) || { echo "Bail out! cannot create database"; exit 1; }
app=pactoria_it12_upgrade_app
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $app" >/dev/null 2>&1
sql postgres "CREATE ROLE $app LOGIN" >/dev/null || { echo "Bail out! cannot create role"; exit 1; }

# Writes the role holds on the append-only tables and their partitions.
append_only_writes="SELECT count(*) FROM unnest(ARRAY['pactoria.audit_logs', 'pactoria.audit_chain_heads',
		'pactoria.audit_checkpoints', 'pactoria.contract_versions']::regclass[]) AS parent,
	LATERAL pg_partition_tree(parent) AS t, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p
	WHERE has_table_privilege('$app', t.relid, p)"
# Every privilege on the extension's functions and relations, one line each.
acls="SELECT 'function ' || p.oid::regprocedure::text || ' ' || coalesce((SELECT string_agg(a.grantee::regrole::text
			|| ':' || a.privilege_type, ',' ORDER BY a.grantee::regrole::text, a.privilege_type)
		FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a WHERE a.grantee <> '$app'::regrole), '')
	  FROM pg_proc AS p WHERE p.pronamespace = 'pactoria'::regnamespace
	  UNION ALL
	  SELECT 'relation ' || c.oid::regclass::text || ' ' || coalesce((SELECT string_agg(a.grantee::regrole::text
			|| ':' || a.privilege_type, ',' ORDER BY a.grantee::regrole::text, a.privilege_type)
		FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS a WHERE a.grantee <> '$app'::regrole), '')
	  FROM pg_class AS c WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
	  ORDER BY 1"

ok sql "$old" "CREATE EXTENSION pactoria VERSION '0.1.0' CASCADE" "CREATE EXTENSION pactoria VERSION '0.1.0' works"
ok sql "$old" "SELECT pactoria.grant_application_access('$app')" "0.1.0's grant_application_access() grants the role"
is "$(sql "$old" "SELECT has_table_privilege('$app', 'pactoria.audit_logs', 'INSERT, UPDATE, DELETE')")" "t" \
	"0.1.0 gave it writes on audit_logs"
# And what an operator may have added by hand under 0.1.0.
sql "$old" "GRANT INSERT, UPDATE, DELETE, TRUNCATE ON pactoria.audit_logs, pactoria.audit_chain_heads,
	pactoria.audit_checkpoints, pactoria.contract_versions, pactoria.audit_logs_default TO $app" >/dev/null
ok sql "$old" "ALTER EXTENSION pactoria UPDATE" "ALTER EXTENSION pactoria UPDATE works"
ok sql "$old" "SELECT pactoria.grant_application_access('$app')" "the updated grant_application_access() grants it again"
is "$(sql "$old" "$append_only_writes")" "0" "the role has no write left on the append-only tables or their partitions"

# The role's own grants are left out: a fresh install has none for it.
ok sql "$new" "CREATE EXTENSION pactoria CASCADE" "a fresh install of the new version"
fresh=$(sql "$new" "$acls")
updated=$(sql "$old" "$acls")
if [ "$fresh" == "$updated" ]; then is same same "function and relation privileges after the update are a fresh install's"; else
	is differs same "function and relation privileges after the update are a fresh install's"
	diff <(echo "$fresh") <(echo "$updated") | head -40 | sed 's/^/# /' >&2
fi

_drop_databases
TAP_DATABASES=()
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $app" >/dev/null 2>&1
done_testing
