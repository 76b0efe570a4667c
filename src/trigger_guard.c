/*
 * trigger_guard.c
 *		See trigger_guard.h.  Every C trigger of pactoria starts here: the
 *		protocol, then the table, then the types of the columns it reads; the
 *		writers also check the tenant of each row and switch to the owner
 *		through this file, so each rule has one home.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "tenant_context.h"
#include "trigger_guard.h"

#define PACTORIA_SCHEMA "pactoria"

/* See trigger_guard.h. */
TriggerData *
pactoria_trigger_data(FunctionCallInfo fcinfo, const char *function_name)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pactoria.%s() was not called by the trigger manager", function_name)));
	return (TriggerData *) fcinfo->context;
}

/* "BEFORE INSERT OR UPDATE FOR EACH ROW, or BEFORE TRUNCATE", from a mask. */
static const char *
trigger_how_text(int how)
{
	static const struct
	{
		int			flag;
		const char *name;
	}			events[] = {
		{PACTORIA_INSERT, "INSERT"}, {PACTORIA_UPDATE, "UPDATE"}, {PACTORIA_DELETE, "DELETE"},
	};
	const char *timing = (how & PACTORIA_BEFORE) ? "BEFORE" : "AFTER";
	StringInfoData text;
	bool		any = false;

	initStringInfo(&text);
	appendStringInfoString(&text, timing);
	for (int i = 0; i < lengthof(events); i++)
		if (how & events[i].flag)
		{
			appendStringInfo(&text, any ? " OR %s" : " %s", events[i].name);
			any = true;
		}
	if (any && (how & (PACTORIA_ROW | PACTORIA_STATEMENT)) != (PACTORIA_ROW | PACTORIA_STATEMENT))
		appendStringInfoString(&text, (how & PACTORIA_ROW) ? " FOR EACH ROW" : " FOR EACH STATEMENT");
	if (how & PACTORIA_TRUNCATE)
		appendStringInfo(&text, any ? ", or %s TRUNCATE" : " TRUNCATE", timing);
	return text.data;
}

/* See trigger_guard.h. */
TriggerData *
pactoria_trigger(FunctionCallInfo fcinfo, const char *function_name, int how)
{
	TriggerData *trigger_data = pactoria_trigger_data(fcinfo, function_name);
	TriggerEvent event = trigger_data->tg_event;
	int			fired;

	Assert(((how & PACTORIA_BEFORE) != 0) != ((how & PACTORIA_AFTER) != 0));
	fired = TRIGGER_FIRED_BEFORE(event) ? PACTORIA_BEFORE : TRIGGER_FIRED_AFTER(event) ? PACTORIA_AFTER : 0;
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
		fired |= PACTORIA_TRUNCATE;
	else
	{
		fired |= TRIGGER_FIRED_FOR_ROW(event) ? PACTORIA_ROW : PACTORIA_STATEMENT;
		fired |= TRIGGER_FIRED_BY_INSERT(event) ? PACTORIA_INSERT
			: TRIGGER_FIRED_BY_UPDATE(event) ? PACTORIA_UPDATE
			: TRIGGER_FIRED_BY_DELETE(event) ? PACTORIA_DELETE : 0;
	}
	/* every flag of the firing (timing, level unless TRUNCATE, event) must be allowed */
	if ((fired & how) != fired || (fired & (PACTORIA_BEFORE | PACTORIA_AFTER)) == 0
		|| (fired & (PACTORIA_INSERT | PACTORIA_UPDATE | PACTORIA_DELETE | PACTORIA_TRUNCATE)) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pactoria.%s() must be fired %s", function_name, trigger_how_text(how))));
	return trigger_data;
}

/* See trigger_guard.h. */
Oid
pactoria_schema_oid(void)
{
	return get_namespace_oid(PACTORIA_SCHEMA, false);
}

/*
 * Whether name is "<table_name>_<shard id>", how Citus names the shards of a
 * distributed or reference table, in the table's schema.
 */
static bool
is_shard_name(const char *name, const char *table_name)
{
	size_t		prefix = strlen(table_name);
	const char *digit;

	if (strncmp(name, table_name, prefix) != 0 || name[prefix] != '_' || name[prefix + 1] == '\0')
		return false;
	for (digit = name + prefix + 1; *digit != '\0'; digit++)
		if (*digit < '0' || *digit > '9' || digit - (name + prefix + 1) >= 19)
			return false;
	return true;
}

static PactoriaRelationCache partition_roots = {NULL, false, 0};

/* A partition's root (the last of its ancestors), per relation. */
typedef struct PartitionRoot
{
	PactoriaCachedRelation cached;
	Oid			root_id;
} PartitionRoot;

/*
 * The root of a partition's tree, kept per relation: get_partition_ancestors()
 * scans pg_inherits, and the audit log's check fires for every entry.  ATTACH
 * and DETACH PARTITION change pg_class.relispartition of the partition, which
 * invalidates its relcache entry and so this one.
 */
static Oid
partition_root(Relation relation)
{
	PartitionRoot *entry;
	bool		found;
	uint64		invalidations_before;
	Oid			root_id;

	Assert(relation->rd_rel->relispartition);
	entry = (PartitionRoot *) pactoria_relation_cache_find(&partition_roots, RelationGetRelid(relation));
	if (entry != NULL && entry->cached.valid)
		return entry->root_id;
	invalidations_before = partition_roots.invalidations;
	root_id = llast_oid(get_partition_ancestors(RelationGetRelid(relation)));
	entry = (PartitionRoot *) pactoria_relation_cache_entry(&partition_roots, "pactoria partition roots",
															sizeof(PartitionRoot), RelationGetRelid(relation),
															&found);
	entry->root_id = root_id;
	entry->cached.valid = (partition_roots.invalidations == invalidations_before);
	return root_id;
}

/* Which table a relation is the Citus shard of (InvalidOid: none), per relation. */
typedef struct ShardTable
{
	PactoriaCachedRelation cached;
	Oid			table_id;
} ShardTable;

static PactoriaRelationCache shard_tables = {NULL, false, 0};

/*
 * The table whose shard the relation is, by its name and, outside schema
 * pactoria (where only trusted roles create relations), by Citus's metadata.
 */
static Oid
find_shard_table(Relation relation)
{
	Oid			relation_id = RelationGetRelid(relation);
	const char *name = RelationGetRelationName(relation);
	const char *separator;
	char	   *table_name;
	Oid			namespace_id;
	Oid			table_id;

	if (relation->rd_rel->relispartition)
	{
		relation_id = partition_root(relation);
		name = get_rel_name(relation_id);
	}
	namespace_id = get_rel_namespace(relation_id);
	separator = strrchr(name, '_');
	if (separator == NULL || separator == name)
		return InvalidOid;
	table_name = pnstrdup(name, separator - name);
	if (!is_shard_name(name, table_name)
		|| !OidIsValid(table_id = get_relname_relid(table_name, namespace_id))
		|| table_id == relation_id
		|| !pactoria_citus_installed())
		return InvalidOid;
	if (namespace_id != pactoria_schema_oid())
	{
		Oid			types[2] = {INT8OID, OIDOID};
		Datum		values[2] = {Int64GetDatum(strtoi64(separator + 1, NULL, 10)), ObjectIdGetDatum(table_id)};
		bool		known;

		pactoria_spi_connect();
		if (SPI_execute_with_args("SELECT 1 FROM pg_catalog.pg_dist_shard WHERE shardid OPERATOR(pg_catalog.=) $1"
								  " AND logicalrelid::pg_catalog.oid OPERATOR(pg_catalog.=) $2",
								  2, types, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read pg_dist_shard");
		known = (SPI_processed == 1);
		SPI_finish();
		if (!known)
			return InvalidOid;
	}
	return table_id;
}

/* See trigger_guard.h. */
Oid
pactoria_shard_table(Relation relation)
{
	const char *name = RelationGetRelationName(relation);
	size_t		length = strlen(name);
	ShardTable *entry;
	bool		found;
	uint64		invalidations_before;
	Oid			table_id;

	/* the common case, quickly: a relation whose name does not end in a digit */
	if (!relation->rd_rel->relispartition && (length == 0 || name[length - 1] < '0' || name[length - 1] > '9'))
		return InvalidOid;
	entry = (ShardTable *) pactoria_relation_cache_find(&shard_tables, RelationGetRelid(relation));
	if (entry != NULL && entry->cached.valid)
		return entry->table_id;
	invalidations_before = shard_tables.invalidations;
	table_id = find_shard_table(relation);
	entry = (ShardTable *) pactoria_relation_cache_entry(&shard_tables, "pactoria shard tables", sizeof(ShardTable),
														 RelationGetRelid(relation), &found);
	entry->table_id = table_id;
	entry->cached.valid = (shard_tables.invalidations == invalidations_before);
	return table_id;
}

/* See trigger_guard.h. */
bool
pactoria_citus_installed(void)
{
	/*
	 * Citus is loaded by shared_preload_libraries, which defines its settings:
	 * without them (one server), no catalog lookup at all.
	 */
	if (GetConfigOption("citus.propagate_set_commands", true, false) == NULL)
		return false;
	return OidIsValid(get_extension_oid("citus", true));
}

/* See trigger_guard.h. */
char *
pactoria_local_shard(const char *table_name, const pg_uuid_t *company_id)
{
	static SPIPlanPtr distributed_plan = NULL;
	static SPIPlanPtr shard_plan = NULL;
	Oid			types[2] = {TEXTOID, UUIDOID};
	Datum		values[2];
	char	   *shard = NULL;
	MemoryContext caller = CurrentMemoryContext;

	if (!pactoria_citus_installed())
		return NULL;
	values[0] = CStringGetTextDatum(psprintf("pactoria.%s", quote_identifier(table_name)));
	values[1] = UUIDPGetDatum(company_id);
	pactoria_spi_connect();
	if (distributed_plan == NULL)
	{
		distributed_plan = pactoria_keep_plan("SELECT 1 FROM pg_catalog.pg_dist_partition"
											  " WHERE logicalrelid OPERATOR(pg_catalog.=) $1::pg_catalog.regclass"
											  " AND partmethod OPERATOR(pg_catalog.=) 'h'", 1, types);
		shard_plan = pactoria_keep_plan("SELECT pg_catalog.shard_name($1::pg_catalog.regclass, p.shardid)"
										" FROM pg_catalog.pg_dist_placement AS p"
										" JOIN pg_catalog.pg_dist_local_group AS g ON p.groupid OPERATOR(pg_catalog.=) g.groupid"
										" WHERE p.shardid OPERATOR(pg_catalog.=)"
										" pg_catalog.get_shard_id_for_distribution_column($1::pg_catalog.regclass, $2)",
										2, types);
	}
	if (SPI_execute_plan(distributed_plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_dist_partition");
	if (SPI_processed == 1)
	{
		if (SPI_execute_plan(shard_plan, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not look up the shard of pactoria.%s", table_name);
		if (SPI_processed == 1)
		{
			char	   *name = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

			if (name != NULL)
				shard = MemoryContextStrdup(caller, name);
		}
	}
	SPI_finish();
	return shard;
}

/* See trigger_guard.h. */
bool
pactoria_is_shard(Relation relation, const char *table_name)
{
	Oid			table_id = pactoria_shard_table(relation);

	return OidIsValid(table_id) && strcmp(get_rel_name(table_id), table_name) == 0;
}

/* See trigger_guard.h. */
bool
pactoria_is_own_table(Relation relation, const char *table_name)
{
	Oid			schema = pactoria_schema_oid();
	Oid			relation_id;

	if (RelationGetNamespace(relation) != schema
		|| relation->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		return false;
	if (strcmp(RelationGetRelationName(relation), table_name) == 0)
		return true;
	if (relation->rd_rel->relispartition)
	{
		/* a partition: its root must be the table, in schema pactoria */
		relation_id = partition_root(relation);
		if (get_rel_namespace(relation_id) == schema
			&& strcmp(get_rel_name(relation_id), table_name) == 0)
			return true;
	}
	/* on a Citus node: a shard of the table, or a partition of one */
	return pactoria_is_shard(relation, table_name);
}

/* See trigger_guard.h. */
void
pactoria_require_own_table(Relation relation, const char *function_name,
						   const char *const *table_names)
{
	const char *const *name;

	for (name = table_names; *name != NULL; name++)
		if (pactoria_is_own_table(relation, *name))
			return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("pactoria.%s() may not fire on table \"%s\"",
					function_name, RelationGetRelationName(relation)),
			 errdetail("pactoria.%s() is a trigger of pactoria.%s only.", function_name, table_names[0]),
			 errhint("Drop the trigger from the table.")));
}

/* See trigger_guard.h. */
AttrNumber
pactoria_column_of_type(Relation relation, const char *column_name, Oid type_id,
						bool through_domains)
{
	TupleDesc	descriptor = RelationGetDescr(relation);
	int			number = SPI_fnumber(descriptor, column_name);
	Oid			column_type;

	if (number <= 0 || TupleDescAttr(descriptor, number - 1)->attisdropped)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						column_name, RelationGetRelationName(relation))));
	column_type = TupleDescAttr(descriptor, number - 1)->atttypid;
	if (through_domains)
		column_type = getBaseType(column_type);
	if (column_type != type_id)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of relation \"%s\" must be of type %s",
						column_name, RelationGetRelationName(relation), format_type_be(type_id)),
				 errdetail("It is of type %s.",
						   format_type_be(TupleDescAttr(descriptor, number - 1)->atttypid))));
	return (AttrNumber) number;
}

/* See trigger_guard.h. */
bool
pactoria_role_is_trusted(Oid role_id)
{
	HeapTuple	tuple;
	Oid			owner;

	if (superuser_arg(role_id))
		return true;
	tuple = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(pactoria_schema_oid()));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for schema %s", PACTORIA_SCHEMA);
	owner = ((Form_pg_namespace) GETSTRUCT(tuple))->nspowner;
	ReleaseSysCache(tuple);
	return role_id == owner;
}

/* See trigger_guard.h. */
void
pactoria_check_row_tenant(const pg_uuid_t *company_id, const char *what)
{
	pg_uuid_t	context_company;

	if (pactoria_context_company_id(&context_company))
	{
		if (memcmp(context_company.data, company_id->data, UUID_LEN) == 0)
			return;
		/* the owner's maintenance (expire_contracts, ...) writes for every tenant */
		if (pactoria_role_is_trusted(GetUserId()))
			return;
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s of company %s may not be written in the tenant context of company %s",
						what,
						DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(company_id))),
						DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(&context_company)))),
				 errdetail("For a role other than a superuser or the owner of pactoria, pactoria's triggers write only for the company in the tenant context.")));
	}
	if (pactoria_role_is_trusted(GetUserId()))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("no tenant context is set"),
			 errdetail("For a role other than a superuser or the owner of pactoria, pactoria's triggers write %s only for the company in the tenant context.", what),
			 errhint("Call pactoria.resume_session(session_token) in this transaction first.")));
}

/* See trigger_guard.h. */
Oid
pactoria_table_owner(const char *table_name)
{
	Oid			relation_id = get_relname_relid(table_name, pactoria_schema_oid());
	HeapTuple	tuple;
	Oid			owner;

	if (!OidIsValid(relation_id))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s.%s\" does not exist", PACTORIA_SCHEMA, table_name)));
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relation_id));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", relation_id);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}

/* See trigger_guard.h. */
void
pactoria_become_owner(Oid owner, PactoriaOwnerSwitch *saved)
{
	GetUserIdAndSecContext(&saved->saved_user, &saved->saved_security_context);
	SetUserIdAndSecContext(owner, saved->saved_security_context
						   | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
}

/* See trigger_guard.h. */
void
pactoria_restore_user(const PactoriaOwnerSwitch *saved)
{
	SetUserIdAndSecContext(saved->saved_user, saved->saved_security_context);
}

/* See trigger_guard.h. */
void
pactoria_spi_connect(void)
{
	int			result = SPI_connect();

	if (result != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(result));
}

/* See trigger_guard.h. */
SPIPlanPtr
pactoria_keep_plan(const char *query, int argument_count, Oid *argument_types)
{
	SPIPlanPtr	plan = SPI_prepare(query, argument_count, argument_types);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", query, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed for \"%s\"", query);
	return plan;
}

/* See trigger_guard.h. */
bool
pactoria_datum_image_equal(Datum left, Datum right, bool by_value, int16 length)
{
	if (length == -1)
	{
		struct varlena *left_pointer = (struct varlena *) DatumGetPointer(left);
		struct varlena *right_pointer = (struct varlena *) DatumGetPointer(right);

		if (left_pointer == right_pointer)
			return true;
		/* an unchanged out-of-line value keeps its TOAST pointer */
		if (VARATT_IS_EXTERNAL_ONDISK(left_pointer) && VARATT_IS_EXTERNAL_ONDISK(right_pointer)
			&& VARSIZE_EXTERNAL(left_pointer) == VARSIZE_EXTERNAL(right_pointer)
			&& memcmp(left_pointer, right_pointer, VARSIZE_EXTERNAL(left_pointer)) == 0)
			return true;
	}
	/* sizes first, then the (detoasted, freed again) bytes */
	return datum_image_eq(left, right, by_value, length);
}

/* The relation caches of this backend, for the one relcache callback. */
#define MAX_RELATION_CACHES 8
static PactoriaRelationCache *relation_caches[MAX_RELATION_CACHES];
static int	relation_cache_count = 0;

static bool relation_callback_registered = false;

/*
 * The tables whose changes caches follow (pactoria_table_generation): each
 * with its OID once looked up and a number bumped whenever its relcache
 * entry, or all of the relcache, is invalidated.
 */
typedef struct TrackedTable
{
	const char *name;
	Oid			relation_id;
	uint64		generation;
} TrackedTable;

static TrackedTable tracked_tables[] = {
	{"system_config", InvalidOid, 1},
	{"tenant_keys", InvalidOid, 1},
	{"protected_columns", InvalidOid, 1},
	{"person_keys", InvalidOid, 1},
};

static void
relation_caches_callback(Datum argument, Oid relation_id)
{
	/* no catalog access here: an OID is looked up again at the next use */
	bool		config_changed = false;

	for (int i = 0; i < lengthof(tracked_tables); i++)
	{
		TrackedTable *table = &tracked_tables[i];

		if (!OidIsValid(relation_id) || relation_id == table->relation_id)
		{
			table->generation++;
			table->relation_id = InvalidOid;
			if (strcmp(table->name, "system_config") == 0)
				config_changed = true;
		}
	}
	for (int i = 0; i < relation_cache_count; i++)
	{
		PactoriaRelationCache *cache = relation_caches[i];
		PactoriaCachedRelation *entry;
		HASH_SEQ_STATUS scan;

		cache->invalidations++;
		if (OidIsValid(relation_id) && !(config_changed && cache->depends_on_config))
		{
			entry = hash_search(cache->entries, &relation_id, HASH_FIND, NULL);
			if (entry != NULL)
				entry->valid = false;
			continue;
		}
		hash_seq_init(&scan, cache->entries);
		while ((entry = hash_seq_search(&scan)) != NULL)
			entry->valid = false;
	}
}

static void
register_relation_callback(void)
{
	if (!relation_callback_registered)
	{
		CacheRegisterRelcacheCallback(relation_caches_callback, (Datum) 0);
		relation_callback_registered = true;
	}
}

/*
 * The configuration keys read by the caches that live across statements:
 * the audit trigger's column treatments (audit_relation.c, through
 * pactoria.audit_columns()) and resume_session()'s idle timeout
 * (session_resume.c).  Scoring reads its keys once per statement and
 * audit.event_types is read at each log_event(): neither needs a message.
 */
static const char *const cached_config_keys[] = {
	"audit.ignored_columns",
	"audit.redacted_columns",
	"audit.personal_columns",
	"session.idle_timeout",
};

/* See trigger_guard.h. */
bool
pactoria_config_key_is_cached(const char *key, Size length)
{
	for (int i = 0; i < lengthof(cached_config_keys); i++)
		if (strlen(cached_config_keys[i]) == length && memcmp(cached_config_keys[i], key, length) == 0)
			return true;
	return false;
}

/* See trigger_guard.h. */
uint64
pactoria_table_generation(const char *table_name)
{
	register_relation_callback();
	for (int i = 0; i < lengthof(tracked_tables); i++)
	{
		TrackedTable *table = &tracked_tables[i];

		if (strcmp(table->name, table_name) != 0)
			continue;
		if (!OidIsValid(table->relation_id))
			table->relation_id = get_relname_relid(table->name, pactoria_schema_oid());
		return table->generation;
	}
	elog(ERROR, "table \"%s\" is not tracked for cache invalidation", table_name);
	return 0;					/* not reached */
}

/* See trigger_guard.h. */
Datum
pactoria_tracked_table_changed(FunctionCallInfo fcinfo, const char *function_name, const char *table_name)
{
	const char *const tables[] = {table_name, NULL};
	TriggerData *trigger_data = pactoria_trigger(fcinfo, function_name,
												 PACTORIA_AFTER | PACTORIA_STATEMENT | PACTORIA_INSERT
												 | PACTORIA_UPDATE | PACTORIA_DELETE | PACTORIA_TRUNCATE);

	pactoria_require_own_table(trigger_data->tg_relation, function_name, tables);
	pactoria_invalidate_table(trigger_data->tg_relation);
	return PointerGetDatum(NULL);
}

/* See trigger_guard.h. */
void
pactoria_invalidate_table(Relation relation)
{
	Oid			table_id = pactoria_shard_table(relation);

	CacheInvalidateRelcache(relation);
	if (OidIsValid(table_id))
		CacheInvalidateRelcacheByRelid(table_id);
}

/* See trigger_guard.h. */
uint64
pactoria_config_generation(void)
{
	return pactoria_table_generation("system_config");
}

/* See trigger_guard.h. */
PactoriaCachedRelation *
pactoria_relation_cache_entry(PactoriaRelationCache *cache, const char *name, Size entry_size,
							  Oid relation_id, bool *found)
{
	PactoriaCachedRelation *entry;

	if (cache->entries == NULL)
	{
		HASHCTL		control;

		if (relation_cache_count == MAX_RELATION_CACHES)
			elog(ERROR, "too many relation caches");
		Assert(entry_size >= sizeof(PactoriaCachedRelation));
		control.keysize = sizeof(Oid);
		control.entrysize = entry_size;
		cache->entries = hash_create(name, 16, &control, HASH_ELEM | HASH_BLOBS);
		register_relation_callback();
		relation_caches[relation_cache_count++] = cache;
	}
	if (cache->depends_on_config)
		(void) pactoria_config_generation();	/* so that the callback knows system_config */
	entry = hash_search(cache->entries, &relation_id, HASH_ENTER, found);
	if (!*found)
		entry->valid = false;
	return entry;
}

/* See trigger_guard.h. */
PactoriaCachedRelation *
pactoria_relation_cache_find(PactoriaRelationCache *cache, Oid relation_id)
{
	if (cache->entries == NULL)
		return NULL;
	return hash_search(cache->entries, &relation_id, HASH_FIND, NULL);
}
