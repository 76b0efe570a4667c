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
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/datum.h"
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
	if (!relation->rd_rel->relispartition)
		return false;
	/* a partition: its root must be the table, in schema pactoria */
	relation_id = llast_oid(get_partition_ancestors(RelationGetRelid(relation)));
	return get_rel_namespace(relation_id) == schema
		&& strcmp(get_rel_name(relation_id), table_name) == 0;
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
#define MAX_RELATION_CACHES 4
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
	CacheInvalidateRelcache(trigger_data->tg_relation);
	return PointerGetDatum(NULL);
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
