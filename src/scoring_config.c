/*
 * scoring_config.c
 *		What the SQL interface of pactoria's scoring shares: its configuration,
 *		the jsonb and numeric helpers, and the trigger that checks the scoring
 *		keys set in pactoria.system_config.
 *
 * The scoring logic is in risk_scoring.c, compliance_scoring.c and
 * extraction_accuracy.c, which include no PostgreSQL header; scoring_risk.c,
 * scoring_compliance.c and scoring_accuracy.c turn datums, jsonb and
 * configuration into their plain C inputs and back, and raise the errors.
 *
 * Configuration (pactoria.get_config) is read at most once per statement by
 * each function: the parsed value is cached in fn_extra, stamped with the
 * transaction and command it was read in, and read again when either moves
 * on (an UPDATE of pactoria.system_config earlier in the same transaction
 * moves the command counter, so it is seen by the next statement).
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/rel.h"

#include "scoring_config.h"
#include "trigger_guard.h"

/* ---------------------------------------------------------------------------
 * Reading configuration
 * ---------------------------------------------------------------------------
 */

/* When a cached configuration value was read. */
typedef struct ConfigStamp
{
	bool		is_set;
	LocalTransactionId transaction;
	CommandId	command;
} ConfigStamp;

/* Whether a value read at *stamp is still the one in force. */
static bool
config_stamp_is_current(const ConfigStamp *stamp)
{
	return stamp->is_set &&
		stamp->transaction == MyProc->lxid &&
		stamp->command == GetCurrentCommandId(false);
}

static void
config_stamp_set(ConfigStamp *stamp)
{
	stamp->is_set = true;
	stamp->transaction = MyProc->lxid;
	stamp->command = GetCurrentCommandId(false);
}

/*
 * scoring_read_config
 *		The value of a configuration key, through pactoria.get_config, the one
 *		place that knows how defaults and deployment values combine.
 */
Jsonb *
scoring_read_config(const char *key)
{
	Oid			argument_types[1] = {TEXTOID};
	Oid			get_config;

	get_config = LookupFuncName(list_make2(makeString(pstrdup("pactoria")),
										   makeString(pstrdup("get_config"))),
								1, argument_types, false);
	return DatumGetJsonbP(OidFunctionCall1(get_config, CStringGetTextDatum(key)));
}

/*
 * Cache space of one function in fn_extra: the stamp and a value of the given
 * size.  Returns the cache; *is_current says whether its value can be used.
 */
void *
scoring_config_cache(FunctionCallInfo fcinfo, Size value_size, bool *is_current)
{
	ConfigStamp *stamp = (ConfigStamp *) fcinfo->flinfo->fn_extra;

	if (stamp == NULL)
	{
		stamp = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
									   MAXALIGN(sizeof(ConfigStamp)) + value_size);
		fcinfo->flinfo->fn_extra = stamp;
	}
	*is_current = config_stamp_is_current(stamp);
	return (char *) stamp + MAXALIGN(sizeof(ConfigStamp));
}

void
scoring_config_cache_done(FunctionCallInfo fcinfo)
{
	config_stamp_set((ConfigStamp *) fcinfo->flinfo->fn_extra);
}

/* ---------------------------------------------------------------------------
 * jsonb and numeric helpers
 * ---------------------------------------------------------------------------
 */

/* A jsonb value as text, for error messages. */
char *
scoring_jsonb_value_text(JsonbValue *value)
{
	if (value->type == jbvBinary)
		return JsonbToCString(NULL, value->val.binary.data, value->val.binary.len);
	return JsonbToCString(NULL, &JsonbValueToJsonb(value)->root, 0);
}

/* A jsonb string's text as a C string. */
char *
scoring_jsonb_string(const JsonbValue *value)
{
	return pnstrdup(value->val.string.val, value->val.string.len);
}

/* The type name of a whole jsonb document, as jsonb_typeof says it. */
const char *
scoring_jsonb_root_type(Jsonb *document)
{
	JsonbValue	scalar;

	if (JsonbExtractScalar(&document->root, &scalar))
		return JsonbTypeName(&scalar);
	return JB_ROOT_IS_OBJECT(document) ? "object" : "array";
}

/*
 * scoring_numeric_to_scaled
 *		value * scale rounded half away from zero into *result, when the exact
 *		product lies in [minimum, maximum]; false otherwise (also for NaN and
 *		infinity).  Only a rounded result at a bound needs the exact product
 *		compared, so the common case costs one multiplication.
 */
bool
scoring_numeric_to_scaled(Numeric value, int32 scale, int32 minimum, int32 maximum, int32 *result)
{
	Numeric		product;
	bool		have_error = false;
	int32		rounded;

	if (numeric_is_nan(value) || numeric_is_inf(value))
		return false;
	product = numeric_mul_opt_error(value, int64_to_numeric(scale), &have_error);
	if (have_error)
		return false;
	rounded = numeric_int4_opt_error(product, &have_error);
	if (have_error || rounded < minimum || rounded > maximum)
		return false;
	if (rounded == minimum &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(product),
										  NumericGetDatum(int64_to_numeric(minimum)))) < 0)
		return false;
	if (rounded == maximum &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(product),
										  NumericGetDatum(int64_to_numeric(maximum)))) > 0)
		return false;
	*result = rounded;
	return true;
}

/*
 * The members of a jsonb object, one call at a time: false when there are no
 * more.  The iterator walks the top level only.
 */
bool
scoring_next_object_member(JsonbIterator **iterator, JsonbValue *key, JsonbValue *value)
{
	JsonbIteratorToken token;

	while ((token = JsonbIteratorNext(iterator, key, true)) != WJB_DONE)
	{
		if (token == WJB_KEY)
		{
			token = JsonbIteratorNext(iterator, value, true);
			Assert(token == WJB_VALUE);
			return true;
		}
	}
	return false;
}

/* ---------------------------------------------------------------------------
 * Configuration check trigger
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(pactoria_check_scoring_config);

/*
 * BEFORE INSERT OR UPDATE trigger of pactoria.system_config: a value set for
 * one of the scoring keys is parsed and checked by the very code that will
 * read it, so a bad value is refused when it is set, not at the next use.
 */
Datum
pactoria_check_scoring_config(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"system_config", NULL};
	TriggerData *trigger_data;
	AttrNumber	key_column;
	AttrNumber	value_column;
	HeapTuple	tuple;
	TupleDesc	tuple_descriptor;
	char	   *key;
	bool		is_null;
	Datum		value;
	Jsonb	   *config;

	trigger_data = pactoria_trigger(fcinfo, "check_scoring_config",
								PACTORIA_BEFORE | PACTORIA_ROW | PACTORIA_INSERT | PACTORIA_UPDATE);

	tuple = TRIGGER_FIRED_BY_UPDATE(trigger_data->tg_event) ?
		trigger_data->tg_newtuple : trigger_data->tg_trigtuple;
	tuple_descriptor = RelationGetDescr(trigger_data->tg_relation);
	key_column = pactoria_column_of_type(trigger_data->tg_relation, "key", TEXTOID, true);
	value_column = pactoria_column_of_type(trigger_data->tg_relation, "value", JSONBOID, true);
	pactoria_require_own_table(trigger_data->tg_relation, "check_scoring_config", tables);
	key = SPI_getvalue(tuple, tuple_descriptor, key_column);
	value = SPI_getbinval(tuple, tuple_descriptor, value_column, &is_null);
	if (key == NULL || is_null)
		return PointerGetDatum(tuple);	/* NOT NULL refuses it */
	config = DatumGetJsonbP(value);

	/* a key is one concern's at most: the first that knows it checks it */
	(void) (scoring_risk_checks_config(key, config) ||
			scoring_compliance_checks_config(key, config) ||
			scoring_accuracy_checks_config(key, config));
	return PointerGetDatum(tuple);
}
