-- Every object of the current database that an extension could leave behind, one
-- line each, sorted: compared between a fresh database and one where pactoria was
-- created and dropped (and, for upgrades, between a fresh and an updated install).
SELECT kind || ' ' || identity AS object
FROM (
	SELECT 'namespace' AS kind, nspname AS identity FROM pg_namespace
	UNION ALL
	SELECT 'relation', (pg_identify_object('pg_class'::regclass, oid, 0)).identity FROM pg_class
	UNION ALL
	SELECT 'function', oid::regprocedure::text FROM pg_proc
	UNION ALL
	SELECT 'type', (pg_identify_object('pg_type'::regclass, oid, 0)).identity FROM pg_type
	UNION ALL
	SELECT 'operator', oid::regoperator::text FROM pg_operator
	UNION ALL
	SELECT 'cast', (pg_identify_object('pg_cast'::regclass, oid, 0)).identity FROM pg_cast
	UNION ALL
	SELECT 'operator class', (pg_identify_object('pg_opclass'::regclass, oid, 0)).identity FROM pg_opclass
	UNION ALL
	SELECT 'operator family', (pg_identify_object('pg_opfamily'::regclass, oid, 0)).identity FROM pg_opfamily
	UNION ALL
	SELECT 'trigger', (pg_identify_object('pg_trigger'::regclass, oid, 0)).identity FROM pg_trigger
	UNION ALL
	SELECT 'event trigger', evtname FROM pg_event_trigger
	UNION ALL
	SELECT 'policy', (pg_identify_object('pg_policy'::regclass, oid, 0)).identity FROM pg_policy
	UNION ALL
	SELECT 'constraint', (pg_identify_object('pg_constraint'::regclass, oid, 0)).identity FROM pg_constraint
	UNION ALL
	SELECT 'extension', extname || ' ' || extversion FROM pg_extension
	UNION ALL
	SELECT 'text search configuration', cfgname FROM pg_ts_config
	UNION ALL
	SELECT 'default acl', defaclrole::regrole::text || ' ' || defaclobjtype::text FROM pg_default_acl
) AS objects
WHERE identity NOT LIKE 'pg_temp%' AND identity NOT LIKE 'pg_toast_temp%'
ORDER BY kind || ' ' || identity COLLATE "C";
