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
 * and its treatment (audit_relation.c), so rows cost no catalog lookup.
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
#include "personal_data.h"
#include "trigger_guard.h"

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

/*
 * A personal column's value, encrypted under the key of the person the row
 * is about (tenant_keys.c): {"$personal": base64 of the ciphertext of
 * {"v": its jsonb}, "person": the person's id}.  "[erased]" once
 * that key was destroyed; "[redacted]" when the row names no person.
 */
static void
push_personal(JsonbParseState **state, AuditedRelation *relation, AuditedColumn *column,
			  TupleTableSlot *slot, Datum datum)
{
	int			person = relation->person_attribute - 1;
	int			tenant = relation->tenant_attribute - 1;
	JsonbParseState *inner = NULL;
	Jsonb	   *wrapped;
	Jsonb	   *stored;
	char	   *clear;
	JsonbValue	value;

	if (relation->person_attribute == 0 || slot->tts_isnull[person] || slot->tts_isnull[tenant])
	{
		push_string(state, REDACTED_VALUE, strlen(REDACTED_VALUE));
		return;
	}
	pushJsonbValue(&inner, WJB_BEGIN_OBJECT, NULL);
	push_key(&inner, "v");
	push_value(&inner, column, datum, false);
	wrapped = JsonbValueToJsonb(pushJsonbValue(&inner, WJB_END_OBJECT, NULL));
	clear = JsonbToCString(NULL, &wrapped->root, VARSIZE(wrapped));
	stored = personal_value_object(DatumGetUUIDP(slot->tts_values[tenant]),
								   DatumGetUUIDP(slot->tts_values[person]), column->binding, clear);
	explicit_bzero(clear, strlen(clear));
	if (JB_ROOT_IS_SCALAR(stored))
	{
		push_string(state, ERASED_VALUE, strlen(ERASED_VALUE));
		return;
	}
	value.type = jbvBinary;
	value.val.binary.data = &stored->root;
	value.val.binary.len = VARSIZE(stored) - VARHDRSZ;
	pushJsonbValue(state, WJB_VALUE, &value);
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
		if (column->personal && !slot->tts_isnull[attribute])
			push_personal(&state, relation, column, slot, slot->tts_values[attribute]);
		else
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
	if (OidIsValid(pactoria_shard_table(relation)))
		audit_writer_use_local_shards(writer);

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
		if (describe_row(audited, row_slot, &entry) && audit_writer_writes_company(writer, &entry.company_id))
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

/* Whether the key of a system_config row is one a cache reads. */
static bool
config_row_is_cached(Relation relation, HeapTuple tuple)
{
	int			key_column = SPI_fnumber(RelationGetDescr(relation), "key");
	bool		is_null;
	Datum		key;
	text	   *key_text;
	bool		cached;

	if (key_column <= 0 || SPI_gettypeid(RelationGetDescr(relation), key_column) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TABLE_DEFINITION),
				 errmsg("column \"key\" of pactoria.system_config is missing or not of type text")));
	key = heap_getattr(tuple, key_column, RelationGetDescr(relation), &is_null);
	if (is_null)
		return false;
	key_text = DatumGetTextPP(key);
	cached = pactoria_config_key_is_cached(VARDATA_ANY(key_text), VARSIZE_ANY_EXHDR(key_text));
	if ((Pointer) key_text != DatumGetPointer(key))
		pfree(key_text);
	return cached;
}

/*
 * pactoria.audit_settings_changed(): AFTER trigger of system_config.
 * Invalidates system_config's relcache entry, in every backend once the
 * change commits (in this one at the next command), so that the caches that
 * hold configuration (the audited tables' column treatments, the idle
 * timeout of session_resume.c) drop what they hold; nothing else is flushed.
 * For each row, only when the row's key (before or after) is one such a
 * cache reads (pactoria_config_key_is_cached); for a statement (TRUNCATE,
 * and the statement trigger 0.1.0 made), always.
 */
Datum
pactoria_audit_settings_changed(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"system_config", NULL};
	/* either level: 0.1.0's trigger (until ALTER EXTENSION UPDATE) is a statement trigger */
	TriggerData *trigger_data = pactoria_trigger(fcinfo, "audit_settings_changed",
												 PACTORIA_AFTER | PACTORIA_ROW | PACTORIA_STATEMENT
												 | PACTORIA_INSERT | PACTORIA_UPDATE | PACTORIA_DELETE
												 | PACTORIA_TRUNCATE);
	bool		changed;

	pactoria_require_own_table(trigger_data->tg_relation, "audit_settings_changed", tables);
	if (TRIGGER_FIRED_FOR_STATEMENT(trigger_data->tg_event))
		changed = true;
	else
		changed = config_row_is_cached(trigger_data->tg_relation, trigger_data->tg_trigtuple)
			|| (TRIGGER_FIRED_BY_UPDATE(trigger_data->tg_event)
				&& config_row_is_cached(trigger_data->tg_relation, trigger_data->tg_newtuple));
	if (changed)
		pactoria_invalidate_table(trigger_data->tg_relation);
	return PointerGetDatum(NULL);
}
