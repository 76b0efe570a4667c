/*
 * audit_relation.c
 *		The audit trigger's per-backend cache of each audited table (see
 *		audit_relation.h): built from the catalog and the audit settings at
 *		the first statement, rebuilt after the table's relcache entry is
 *		invalidated (ALTER TABLE) or the settings change (a change of
 *		audit.ignored_columns or audit.redacted_columns in system_config
 *		invalidates that table's relcache entry, in every backend, and this
 *		cache treats it as "all"), so rows cost no catalog
 *		lookup.  Registration is checked before an entry is made: a table
 *		the trigger was not made for leaves nothing in the cache.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "parser/parse_coerce.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"

#include "audit_relation.h"
#include "audit_writer.h"
#include "trigger_guard.h"

/* Stale after an ALTER of the table, all of it after a change of system_config. */
static PactoriaRelationCache audited_relations = {NULL, true, 0};

/* The to_jsonb() conversion of a column, for the types without a direct path. */
static void
prepare_to_jsonb(AuditedColumn *column, Form_pg_attribute attribute, MemoryContext context)
{
	MemoryContext old = MemoryContextSwitchTo(context);
	FuncExpr   *call = makeFuncExpr(F_TO_JSONB, JSONBOID,
									list_make1(makeNullConst(attribute->atttypid, attribute->atttypmod,
															 attribute->attcollation)),
									InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);

	fmgr_info_cxt(F_TO_JSONB, &column->function, context);
	column->function.fn_expr = (Node *) call;
	MemoryContextSwitchTo(old);
}

/* Decide how a column's values become jsonb, as to_jsonb() would. */
static void
prepare_column(AuditedColumn *column, Form_pg_attribute attribute, MemoryContext context)
{
	Oid			type_id = getBaseType(attribute->atttypid);
	Oid			output_function;
	bool		is_varlena;

	column->type_id = type_id;
	switch (type_id)
	{
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			column->kind = VALUE_TEXT;
			return;
		case BOOLOID:
			column->kind = VALUE_BOOL;
			return;
		case INT2OID:
		case INT4OID:
		case INT8OID:
			column->kind = VALUE_INTEGER;
			return;
		case NUMERICOID:
			column->kind = VALUE_NUMERIC;
			return;
		case FLOAT4OID:
		case FLOAT8OID:
			column->kind = VALUE_FLOAT;
			break;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			column->kind = VALUE_DATETIME;
			return;
		case JSONBOID:
			column->kind = VALUE_JSONB;
			return;
		case JSONOID:
			column->kind = VALUE_TO_JSONB;
			prepare_to_jsonb(column, attribute, context);
			return;
		default:
			column->kind = VALUE_OUTPUT;
			if (OidIsValid(get_element_type(type_id)) || type_is_rowtype(type_id))
				column->kind = VALUE_TO_JSONB;
			else if (type_id >= FirstNormalObjectId)
			{
				Oid			cast_function;

				if (find_coercion_pathway(JSONOID, type_id, COERCION_EXPLICIT, &cast_function) == COERCION_PATH_FUNC
					&& OidIsValid(cast_function))
					column->kind = VALUE_TO_JSONB;
			}
			if (column->kind == VALUE_TO_JSONB)
			{
				prepare_to_jsonb(column, attribute, context);
				return;
			}
			break;
	}
	getTypeOutputInfo(type_id, &output_function, &is_varlena);
	fmgr_info_cxt(output_function, &column->function, context);
}

/*
 * Which columns of the table are logged, redacted or ignored, from
 * pactoria.audit_columns(); read as the owner of the log, once per table.
 */
static void
read_column_treatments(Oid table_id, Oid relation_id, char *treatments, int attribute_count)
{
	Oid			types[1] = {REGCLASSOID};
	Datum		values[1] = {ObjectIdGetDatum(table_id)};
	AuditOwnerSwitch owner;
	uint64		row;

	pactoria_spi_connect();
	audit_writer_become_owner(&owner);
	if (SPI_execute_with_args("SELECT attribute_number, treatment FROM pactoria.audit_columns($1)",
							  1, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit column settings");
	audit_writer_restore_user(&owner);
	for (row = 0; row < SPI_processed; row++)
	{
		bool		isnull;
		int			attribute = DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[row],
															 SPI_tuptable->tupdesc, 1, &isnull));
		char	   *treatment = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, 2);

		/* a Citus shard: the same columns, numbered as in the shard */
		if (!isnull && table_id != relation_id)
		{
			char	   *name = get_attname(table_id, (AttrNumber) attribute, true);

			attribute = name == NULL ? 0 : get_attnum(relation_id, name);
		}
		if (!isnull && treatment != NULL && attribute >= 1 && attribute <= attribute_count)
			treatments[attribute - 1] = treatment[0];	/* 'l'ogged, 'r'edacted, 'p'ersonal, 'i'gnored */
	}
	SPI_finish();
}

/*
 * check_audit_registration
 *		The audit trigger writes as the owner of the log, so it fires only on
 *		the tables it was made for: pactoria's own (schema pactoria, which
 *		only the owner creates tables in), or a table registered in
 *		pactoria.audited_tables, which only enable_audit() run by a trusted
 *		role writes, with the same tenant column.  Never a temporary table.
 *		Anything else was attached by someone else: refused, nothing written.
 */
static void
check_audit_registration(Relation relation, const char *tenant_column)
{
	Oid			types[1] = {OIDOID};
	Oid			table_id = pactoria_shard_table(relation);	/* a Citus shard: its table's */
	Datum		values[1] = {ObjectIdGetDatum(OidIsValid(table_id) ? table_id : RelationGetRelid(relation))};
	AuditOwnerSwitch owner;
	bool		registered = false;

	if (pactoria_is_own_table(relation, RelationGetRelationName(relation)))
		return;
	if (relation->rd_rel->relpersistence != RELPERSISTENCE_TEMP)
	{
		pactoria_spi_connect();
		audit_writer_become_owner(&owner);
		if (SPI_execute_with_args("SELECT a.tenant_column::pg_catalog.text"
								  " FROM pactoria.audited_tables AS a"
								  " WHERE a.table_name::pg_catalog.oid OPERATOR(pg_catalog.=) $1",
								  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read pactoria.audited_tables");
		audit_writer_restore_user(&owner);
		if (SPI_processed == 1)
		{
			char	   *registered_column = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

			registered = registered_column != NULL && strcmp(registered_column, tenant_column) == 0;
		}
		SPI_finish();
	}
	if (!registered)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("pactoria.audit_trigger() may not fire on table \"%s\"",
						RelationGetRelationName(relation)),
				 errdetail("The audit trigger fires only on pactoria's tables and on tables registered by pactoria.enable_audit() with the same tenant column; never on a temporary table."),
				 errhint("Have the owner of pactoria audit the table with pactoria.enable_audit(table).")));
}

/* A uuid column by name, or an error saying what the table lacks. */
static AttrNumber
uuid_column(Relation relation, const char *name, bool required)
{
	TupleDesc	descriptor = RelationGetDescr(relation);
	int			number = SPI_fnumber(descriptor, name);

	if (number <= 0 || TupleDescAttr(descriptor, number - 1)->attisdropped)
	{
		if (!required)
			return 0;
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("audited table \"%s\" has no column \"%s\"", RelationGetRelationName(relation), name),
				 errhint("The audit trigger needs the tenant column (company_id, or the one named in its argument) and an id column, both uuid.")));
	}
	if (getBaseType(TupleDescAttr(descriptor, number - 1)->atttypid) != UUIDOID)
	{
		if (!required)
			return 0;
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of audited table \"%s\" must be of type uuid",
						name, RelationGetRelationName(relation))));
	}
	return (AttrNumber) number;
}

/* jsonb's order of object keys: shorter first, then by bytes. */
static int
compare_key_order(const void *a, const void *b, void *argument)
{
	const AuditedColumn *columns = (const AuditedColumn *) argument;
	const char *left = columns[*(const int *) a].name;
	const char *right = columns[*(const int *) b].name;
	size_t		left_length = strlen(left);
	size_t		right_length = strlen(right);

	if (left_length != right_length)
		return left_length < right_length ? -1 : 1;
	return memcmp(left, right, left_length);
}

/*
 * audited_relation
 *		The cache entry of the trigger's table, built when missing or stale.
 */
AuditedRelation *
audited_relation(Relation relation, const char *tenant_column)
{
	Oid			relation_id = RelationGetRelid(relation);
	Oid			table_id;		/* the table, when the relation is its Citus shard */
	AuditedRelation *entry;
	bool		found;
	TupleDesc	descriptor = RelationGetDescr(relation);
	char	   *treatments;
	MemoryContext old;
	int			index;
	Oid			contracts_id;
	uint64		invalidations_before;

	entry = (AuditedRelation *) pactoria_relation_cache_find(&audited_relations, relation_id);
	if (entry != NULL && entry->cached.valid && strcmp(entry->tenant_column, tenant_column) == 0)
		return entry;

	/* before the entry exists: a refused table leaves nothing in the cache */
	check_audit_registration(relation, tenant_column);
	elog(DEBUG1, "pactoria: reading the audit settings of table \"%s\"", RelationGetRelationName(relation));
	entry = (AuditedRelation *) pactoria_relation_cache_entry(&audited_relations, "pactoria audited relations",
															  sizeof(AuditedRelation), relation_id, &found);

	if (found && entry->context != NULL)
		MemoryContextDelete(entry->context);
	entry->cached.valid = false;
	invalidations_before = audited_relations.invalidations;
	entry->context = AllocSetContextCreate(CacheMemoryContext, "pactoria audited relation",
										   ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(entry->context);

	entry->tenant_column = pstrdup(tenant_column);
	table_id = pactoria_shard_table(relation);
	if (!OidIsValid(table_id))
		table_id = relation_id;
	entry->resource_type = get_rel_name(table_id);
	entry->tenant_attribute = uuid_column(relation, tenant_column, true);
	entry->id_attribute = uuid_column(relation, "id", true);
	entry->contract_attribute = uuid_column(relation, "contract_id", false);
	entry->person_attribute = pactoria_is_own_table(relation, "users") ? entry->id_attribute
		: uuid_column(relation, "user_id", false);
	contracts_id = get_relname_relid("contracts", get_namespace_oid("pactoria", false));
	entry->id_is_contract = (table_id == contracts_id);

	treatments = palloc0(descriptor->natts);
	read_column_treatments(table_id, relation_id, treatments, descriptor->natts);
	entry->columns = palloc0(sizeof(AuditedColumn) * descriptor->natts);
	entry->column_count = 0;
	for (index = 0; index < descriptor->natts; index++)
	{
		Form_pg_attribute attribute = TupleDescAttr(descriptor, index);
		AuditedColumn *column;

		if (attribute->attisdropped || treatments[index] == 'i' || treatments[index] == '\0')
			continue;
		column = &entry->columns[entry->column_count++];
		column->attribute_number = attribute->attnum;
		column->name = pstrdup(NameStr(attribute->attname));
		column->redacted = (treatments[index] == 'r');
		column->personal = (treatments[index] == 'p');
		if (column->personal)
			column->binding = psprintf("%s.%s", entry->resource_type, column->name);
		prepare_column(column, attribute, entry->context);
	}
	entry->key_order = palloc(sizeof(int) * Max(entry->column_count, 1));
	for (index = 0; index < entry->column_count; index++)
		entry->key_order[index] = index;
	qsort_arg(entry->key_order, entry->column_count, sizeof(int), compare_key_order, entry->columns);
	MemoryContextSwitchTo(old);

	/* Valid unless invalidated while being built; then used once, rebuilt next time. */
	entry->cached.valid = (audited_relations.invalidations == invalidations_before);
	return entry;
}
