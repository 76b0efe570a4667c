/*
 * audit_trigger.c
 *		pactoria.audit_trigger(): the audit trigger of the tenant tables.
 *
 *	SELECT pactoria.enable_audit('my_table');			-- tenant column company_id
 *	SELECT pactoria.enable_audit('my_tenants', 'id');	-- a table of tenants
 *
 * enable_audit() creates three AFTER ... FOR EACH STATEMENT triggers (INSERT,
 * UPDATE, DELETE; PostgreSQL allows transition tables only on single-event
 * triggers), each with its transition tables.  A statement trigger reads the
 * changed rows from the transition tables, which spill to disk past
 * work_mem, and writes all their entries with one INSERT: no per-row trigger
 * call, no per-row queue entry and no per-row INSERT, so a statement of a
 * million rows costs little more than the rows themselves and backend memory
 * stays flat.
 *
 * INSERT logs each new row, DELETE each old row, UPDATE the columns that
 * changed (old and new values) and nothing for a row where none did.  An
 * UPDATE's old and new transition tables hold a row's two versions at the
 * same place, which is how they are paired.  Secret columns are logged as
 * "[redacted]" and ignored columns not at all; pactoria.audit_columns() says
 * which is which.  Values are converted to jsonb as to_jsonb() does, with
 * direct paths for the common types.
 *
 * Per table, this backend caches the column map, each column's conversion
 * and its treatment; the cache entry is rebuilt after the table's relcache
 * entry is invalidated (ALTER TABLE) or the audit settings change (every
 * statement on system_config invalidates that table's relcache entry, in
 * every backend, and this cache treats it as "all"), so rows cost no catalog
 * lookup.
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

#include "audit_writer.h"
#include "trigger_guard.h"

#define REDACTED_VALUE "[redacted]"

/* How a column's value becomes jsonb (the categories of to_jsonb). */
typedef enum ValueKind
{
	VALUE_TEXT,					/* text, varchar, char: its characters */
	VALUE_BOOL,
	VALUE_INTEGER,				/* int2, int4, int8: a number */
	VALUE_NUMERIC,				/* a number; NaN and infinities as strings */
	VALUE_FLOAT,				/* output text, a number when it is one */
	VALUE_DATETIME,				/* date, timestamp, timestamptz: ISO 8601 */
	VALUE_JSONB,				/* embedded as is */
	VALUE_OUTPUT,				/* the type's output text, as a string */
	VALUE_TO_JSONB				/* arrays, composites, json, types cast to json */
} ValueKind;

typedef struct AuditedColumn
{
	AttrNumber	attribute_number;
	char	   *name;
	Oid			type_id;		/* the base type, through domains */
	ValueKind	kind;
	bool		redacted;
	FmgrInfo	function;		/* output function, or to_jsonb for VALUE_TO_JSONB */
} AuditedColumn;

typedef struct AuditedRelation
{
	Oid			relation_id;	/* hash key */
	bool		valid;			/* cleared by the relcache callback */
	MemoryContext context;		/* everything below */
	char	   *tenant_column;	/* the trigger argument it was built for */
	char	   *resource_type;
	AttrNumber	tenant_attribute;
	AttrNumber	id_attribute;
	AttrNumber	contract_attribute; /* 0: none */
	bool		id_is_contract; /* the table is pactoria.contracts */
	int			column_count;	/* logged columns, in table order */
	AuditedColumn *columns;
	int		   *key_order;		/* the same in jsonb's key order, so its sort finds them sorted */
} AuditedRelation;

static HTAB *audited_relations = NULL;
static uint64 invalidation_count = 0;	/* callbacks seen, to notice one during a rebuild */
static Oid	settings_relation_id = InvalidOid;	/* pactoria.system_config, once known */

/*
 * audited_relations_callback
 *		Relcache invalidation: the table changed shape; or, for InvalidOid
 *		and for pactoria.system_config, everything may have (the audit
 *		settings live there).  No catalog access here: the OID of
 *		system_config was looked up when an entry was built.
 */
static void
audited_relations_callback(Datum argument, Oid relation_id)
{
	HASH_SEQ_STATUS scan;
	AuditedRelation *entry;

	invalidation_count++;
	if (audited_relations == NULL)
		return;
	if (OidIsValid(relation_id) && relation_id != settings_relation_id)
	{
		entry = hash_search(audited_relations, &relation_id, HASH_FIND, NULL);
		if (entry != NULL)
			entry->valid = false;
		return;
	}
	hash_seq_init(&scan, audited_relations);
	while ((entry = hash_seq_search(&scan)) != NULL)
		entry->valid = false;
}

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
read_column_treatments(Oid relation_id, char *treatments, int attribute_count)
{
	Oid			types[1] = {REGCLASSOID};
	Datum		values[1] = {ObjectIdGetDatum(relation_id)};
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

		if (!isnull && treatment != NULL && attribute >= 1 && attribute <= attribute_count)
			treatments[attribute - 1] = treatment[0];	/* 'l'ogged, 'r'edacted, 'i'gnored */
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
	Datum		values[1] = {ObjectIdGetDatum(RelationGetRelid(relation))};
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
static AuditedRelation *
audited_relation(Relation relation, const char *tenant_column)
{
	Oid			relation_id = RelationGetRelid(relation);
	AuditedRelation *entry;
	bool		found;
	TupleDesc	descriptor = RelationGetDescr(relation);
	char	   *treatments;
	MemoryContext old;
	int			index;
	Oid			contracts_id;
	uint64		invalidations_before;

	if (audited_relations == NULL)
	{
		HASHCTL		control;

		control.keysize = sizeof(Oid);
		control.entrysize = sizeof(AuditedRelation);
		audited_relations = hash_create("pactoria audited relations", 32, &control,
										HASH_ELEM | HASH_BLOBS);
		CacheRegisterRelcacheCallback(audited_relations_callback, (Datum) 0);
	}
	entry = hash_search(audited_relations, &relation_id, HASH_FIND, &found);
	if (found && entry->valid && strcmp(entry->tenant_column, tenant_column) == 0)
		return entry;

	/* before the entry exists: a refused table leaves nothing in the cache */
	check_audit_registration(relation, tenant_column);
	entry = hash_search(audited_relations, &relation_id, HASH_ENTER, &found);

	if (found && entry->context != NULL)
		MemoryContextDelete(entry->context);
	entry->valid = false;
	invalidations_before = invalidation_count;
	settings_relation_id = get_relname_relid("system_config", pactoria_schema_oid());
	entry->context = AllocSetContextCreate(CacheMemoryContext, "pactoria audited relation",
										   ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(entry->context);

	entry->tenant_column = pstrdup(tenant_column);
	entry->resource_type = pstrdup(RelationGetRelationName(relation));
	entry->tenant_attribute = uuid_column(relation, tenant_column, true);
	entry->id_attribute = uuid_column(relation, "id", true);
	entry->contract_attribute = uuid_column(relation, "contract_id", false);
	contracts_id = get_relname_relid("contracts", get_namespace_oid("pactoria", false));
	entry->id_is_contract = (relation_id == contracts_id);

	treatments = palloc0(descriptor->natts);
	read_column_treatments(relation_id, treatments, descriptor->natts);
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
		prepare_column(column, attribute, entry->context);
	}
	entry->key_order = palloc(sizeof(int) * Max(entry->column_count, 1));
	for (index = 0; index < entry->column_count; index++)
		entry->key_order[index] = index;
	qsort_arg(entry->key_order, entry->column_count, sizeof(int), compare_key_order, entry->columns);
	MemoryContextSwitchTo(old);

	/* Valid unless invalidated while being built; then used once, rebuilt next time. */
	entry->valid = (invalidation_count == invalidations_before);
	return entry;
}

/* ---------------------------------------------------------------------
 * Row values as jsonb
 * ---------------------------------------------------------------------
 */

/* Push a string value (not copied: it must outlive the parse state). */
static void
push_string(JsonbParseState **state, const char *text, int length)
{
	JsonbValue	value;

	value.type = jbvString;
	value.val.string.val = (char *) text;
	value.val.string.len = length;
	pushJsonbValue(state, WJB_VALUE, &value);
}

/* Push a jsonb value: a scalar as itself, a container token by token. */
static void
push_jsonb(JsonbParseState **state, Jsonb *jsonb)
{
	JsonbValue	value;

	if (JB_ROOT_IS_SCALAR(jsonb))
	{
		(void) JsonbExtractScalar(&jsonb->root, &value);
		pushJsonbValue(state, WJB_VALUE, &value);
		return;
	}
	value.type = jbvBinary;
	value.val.binary.data = &jsonb->root;
	value.val.binary.len = VARSIZE(jsonb) - VARHDRSZ;
	pushJsonbValue(state, WJB_VALUE, &value);
}

/* One column's value, as to_jsonb() would make it (or redacted). */
static void
push_value(JsonbParseState **state, AuditedColumn *column, Datum datum, bool isnull)
{
	JsonbValue	value;

	if (isnull)
	{
		value.type = jbvNull;
		pushJsonbValue(state, WJB_VALUE, &value);
		return;
	}
	if (column->redacted)
	{
		push_string(state, REDACTED_VALUE, strlen(REDACTED_VALUE));
		return;
	}

	switch (column->kind)
	{
		case VALUE_TEXT:
			{
				text	   *string = DatumGetTextPP(datum);

				push_string(state, VARDATA_ANY(string), VARSIZE_ANY_EXHDR(string));
			}
			return;
		case VALUE_BOOL:
			value.type = jbvBool;
			value.val.boolean = DatumGetBool(datum);
			break;
		case VALUE_INTEGER:
			value.type = jbvNumeric;
			value.val.numeric = DatumGetNumeric(column->type_id == INT8OID
												? DirectFunctionCall1(int8_numeric, datum)
												: column->type_id == INT4OID
												? DirectFunctionCall1(int4_numeric, datum)
												: DirectFunctionCall1(int2_numeric, datum));
			break;
		case VALUE_NUMERIC:
			{
				Numeric		number = DatumGetNumeric(datum);

				if (numeric_is_nan(number) || numeric_is_inf(number))
				{
					char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, datum));

					push_string(state, text, strlen(text));
					return;
				}
				value.type = jbvNumeric;
				value.val.numeric = number;
			}
			break;
		case VALUE_FLOAT:
			{
				char	   *text = OutputFunctionCall(&column->function, datum);

				if (strchr(text, 'N') != NULL || strchr(text, 'n') != NULL)
				{
					push_string(state, text, strlen(text));
					return;
				}
				value.type = jbvNumeric;
				value.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
																		ObjectIdGetDatum(InvalidOid),
																		Int32GetDatum(-1)));
			}
			break;
		case VALUE_DATETIME:
			{
				char	   *text = JsonEncodeDateTime(NULL, datum, column->type_id, NULL);

				push_string(state, text, strlen(text));
			}
			return;
		case VALUE_JSONB:
			push_jsonb(state, DatumGetJsonbP(datum));
			return;
		case VALUE_TO_JSONB:
			push_jsonb(state, DatumGetJsonbP(FunctionCall1(&column->function, datum)));
			return;
		case VALUE_OUTPUT:
			{
				char	   *text = OutputFunctionCall(&column->function, datum);

				push_string(state, text, strlen(text));
			}
			return;
	}
	pushJsonbValue(state, WJB_VALUE, &value);
}

/* Push an object key. */
static void
push_key(JsonbParseState **state, const char *name)
{
	JsonbValue	key;

	key.type = jbvString;
	key.val.string.val = (char *) name;
	key.val.string.len = strlen(name);
	pushJsonbValue(state, WJB_KEY, &key);
}

/* The logged columns of a row (all, or those flagged in changed) as a jsonb object. */
static Jsonb *
row_to_jsonb(AuditedRelation *relation, TupleTableSlot *slot, const bool *changed)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;
	int			index;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (index = 0; index < relation->column_count; index++)
	{
		int			column_index = relation->key_order[index];
		AuditedColumn *column = &relation->columns[column_index];
		int			attribute = column->attribute_number - 1;

		if (changed != NULL && !changed[column_index])
			continue;
		push_key(&state, column->name);
		push_value(&state, column, slot->tts_values[attribute], slot->tts_isnull[attribute]);
	}
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(result);
}

/* Whether a column kept its value: the same bytes (trigger_guard.c). */
static inline bool
values_equal(Datum old_value, Datum new_value, Form_pg_attribute attribute)
{
	return pactoria_datum_image_equal(old_value, new_value, attribute->attbyval, attribute->attlen);
}

/* ---------------------------------------------------------------------
 * The trigger
 * ---------------------------------------------------------------------
 */

/* A transition table rewound under a read pointer of our own. */
static void
rewind_transition_table(Tuplestorestate *table)
{
	int			pointer = tuplestore_alloc_read_pointer(table, EXEC_FLAG_REWIND);

	tuplestore_select_read_pointer(table, pointer);
	tuplestore_rescan(table);
}

/* Fill in the entry's tenant, resource and contract from a row. */
static bool
describe_row(AuditedRelation *relation, TupleTableSlot *slot, AuditEntry *entry)
{
	int			tenant = relation->tenant_attribute - 1;
	int			id = relation->id_attribute - 1;

	if (slot->tts_isnull[tenant])
		return false;			/* no tenant (a shared row, e.g. a system template) */
	entry->company_id = *DatumGetUUIDP(slot->tts_values[tenant]);
	pactoria_check_row_tenant(&entry->company_id, "audit entries");
	entry->resource_type = relation->resource_type;
	entry->resource_id = slot->tts_isnull[id] ? NULL : DatumGetUUIDP(slot->tts_values[id]);
	entry->contract_id = NULL;
	if (relation->id_is_contract)
		entry->contract_id = entry->resource_id;
	else if (relation->contract_attribute > 0 && !slot->tts_isnull[relation->contract_attribute - 1])
		entry->contract_id = DatumGetUUIDP(slot->tts_values[relation->contract_attribute - 1]);
	return true;
}

/* The names of the changed columns, in table order, as text[]. */
static ArrayType *
changed_column_names(AuditedRelation *relation, const bool *changed, int changed_count)
{
	Datum	   *names = palloc(sizeof(Datum) * changed_count);
	int			count = 0;
	int			index;

	for (index = 0; index < relation->column_count; index++)
		if (changed[index])
			names[count++] = CStringGetTextDatum(relation->columns[index].name);
	return construct_array(names, count, TEXTOID, -1, false, TYPALIGN_INT);
}

PG_FUNCTION_INFO_V1(pactoria_audit_trigger);

/*
 * pactoria.audit_trigger([tenant_column]): see the file header.
 */
Datum
pactoria_audit_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigger_data;
	Relation	relation;
	TupleDesc	descriptor;
	const char *tenant_column = "company_id";
	const char *event_type;
	AuditedRelation *audited;
	AuditWriter *writer;
	TupleTableSlot *old_slot = NULL;
	TupleTableSlot *new_slot = NULL;
	MemoryContext row_context;
	MemoryContext old_context;
	bool	   *changed;
	bool		is_insert,
				is_update,
				is_delete;

	trigger_data = pactoria_trigger_data(fcinfo, "audit_trigger");
	is_insert = TRIGGER_FIRED_BY_INSERT(trigger_data->tg_event);
	is_update = TRIGGER_FIRED_BY_UPDATE(trigger_data->tg_event);
	is_delete = TRIGGER_FIRED_BY_DELETE(trigger_data->tg_event);
	if (!TRIGGER_FIRED_AFTER(trigger_data->tg_event) || TRIGGER_FIRED_FOR_ROW(trigger_data->tg_event)
		|| !(is_insert || is_update || is_delete)
		|| ((is_insert || is_update) && trigger_data->tg_newtable == NULL)
		|| ((is_update || is_delete) && trigger_data->tg_oldtable == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pactoria.audit_trigger() must be fired AFTER INSERT, UPDATE or DELETE FOR EACH STATEMENT with its transition tables"),
				 errhint("Create the audit triggers with pactoria.enable_audit(table).")));
	if (trigger_data->tg_trigger->tgnargs > 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pactoria.audit_trigger() takes at most one argument, the tenant column")));
	if (trigger_data->tg_trigger->tgnargs == 1)
		tenant_column = trigger_data->tg_trigger->tgargs[0];

	/* A statement that changed no row writes nothing. */
	if (tuplestore_tuple_count(is_delete ? trigger_data->tg_oldtable : trigger_data->tg_newtable) == 0)
		return PointerGetDatum(NULL);

	relation = trigger_data->tg_relation;
	descriptor = RelationGetDescr(relation);
	audited = audited_relation(relation, tenant_column);
	event_type = is_insert ? "create" : is_update ? "update" : "delete";

	if (is_insert || is_update)
	{
		rewind_transition_table(trigger_data->tg_newtable);
		new_slot = MakeSingleTupleTableSlot(descriptor, &TTSOpsMinimalTuple);
	}
	if (is_update || is_delete)
	{
		rewind_transition_table(trigger_data->tg_oldtable);
		old_slot = MakeSingleTupleTableSlot(descriptor, &TTSOpsMinimalTuple);
	}
	changed = palloc(sizeof(bool) * Max(audited->column_count, 1));
	row_context = AllocSetContextCreate(CurrentMemoryContext, "pactoria audit row",
										ALLOCSET_DEFAULT_SIZES);
	writer = audit_writer_begin();

	for (;;)
	{
		AuditEntry	entry = {0};
		TupleTableSlot *row_slot;

		if (new_slot != NULL && !tuplestore_gettupleslot(trigger_data->tg_newtable, true, false, new_slot))
			break;
		if (old_slot != NULL && !tuplestore_gettupleslot(trigger_data->tg_oldtable, true, false, old_slot))
		{
			if (new_slot != NULL)
				elog(ERROR, "the old and new transition tables of an UPDATE differ in length");
			break;
		}
		row_slot = is_delete ? old_slot : new_slot;
		slot_getallattrs(row_slot);
		old_context = MemoryContextSwitchTo(row_context);
		if (describe_row(audited, row_slot, &entry))
		{
			entry.event_type = event_type;
			if (is_update)
			{
				int			changed_count = 0;
				int			index;

				slot_getallattrs(old_slot);
				for (index = 0; index < audited->column_count; index++)
				{
					int			attribute = audited->columns[index].attribute_number - 1;
					bool		old_null = old_slot->tts_isnull[attribute];
					bool		new_null = new_slot->tts_isnull[attribute];

					changed[index] = (old_null != new_null)
						|| (!old_null && !values_equal(old_slot->tts_values[attribute],
													   new_slot->tts_values[attribute],
													   TupleDescAttr(descriptor, attribute)));
					if (changed[index])
						changed_count++;
				}
				if (changed_count > 0)
				{
					entry.old_values = row_to_jsonb(audited, old_slot, changed);
					entry.new_values = row_to_jsonb(audited, new_slot, changed);
					entry.changed_columns = changed_column_names(audited, changed, changed_count);
					audit_writer_add(writer, &entry, NULL, NULL);
				}
			}
			else
			{
				Jsonb	   *values = row_to_jsonb(audited, row_slot, NULL);

				if (is_insert)
					entry.new_values = values;
				else
					entry.old_values = values;
				audit_writer_add(writer, &entry, NULL, NULL);
			}
		}
		MemoryContextSwitchTo(old_context);
		MemoryContextReset(row_context);
	}
	if (new_slot != NULL && old_slot != NULL
		&& tuplestore_gettupleslot(trigger_data->tg_oldtable, true, false, old_slot))
		elog(ERROR, "the old and new transition tables of an UPDATE differ in length");

	audit_writer_finish(writer);
	MemoryContextDelete(row_context);
	if (new_slot != NULL)
		ExecDropSingleTupleTableSlot(new_slot);
	if (old_slot != NULL)
		ExecDropSingleTupleTableSlot(old_slot);
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(pactoria_audit_settings_changed);

/*
 * pactoria.audit_settings_changed(): statement trigger of system_config.
 * Invalidates system_config's relcache entry, in every backend once the
 * change commits (in this one at the next command): the caches that hold
 * configuration (the audited tables here, the idle timeout of
 * session_resume.c) drop what they hold; nothing else is flushed.
 */
Datum
pactoria_audit_settings_changed(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"system_config", NULL};
	TriggerData *trigger_data = pactoria_trigger_data(fcinfo, "audit_settings_changed");

	pactoria_require_trigger_event(TRIGGER_FIRED_AFTER(trigger_data->tg_event)
								   && TRIGGER_FIRED_FOR_STATEMENT(trigger_data->tg_event),
								   "audit_settings_changed", "AFTER ... FOR EACH STATEMENT");
	pactoria_require_own_table(trigger_data->tg_relation, "audit_settings_changed", tables);
	CacheInvalidateRelcache(trigger_data->tg_relation);
	return PointerGetDatum(NULL);
}
