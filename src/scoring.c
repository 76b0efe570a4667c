/*
 * scoring.c
 *		SQL interface of pactoria's scoring: risk scores and levels, contract
 *		risk, compliance scores and the extraction accuracy aggregate.
 *
 * The logic is in src/core/ (risk_scoring.c, compliance_scoring.c and
 * extraction_accuracy.c), which includes no PostgreSQL header; this file turns
 * datums, jsonb and configuration into their plain C inputs and back, and
 * raises the errors.
 *
 * Configuration (pactoria.get_config) is read at most once per statement by
 * each function: the parsed value is cached in fn_extra, stamped with the
 * transaction and command it was read in, and read again when either moves
 * on (an UPDATE of pactoria.system_config earlier in the same transaction
 * moves the command counter, so it is seen by the next statement).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/timestamp.h"

#include "compliance_scoring.h"
#include "extraction_accuracy.h"
#include "messages.h"
#include "risk_scoring.h"
#include "trigger_guard.h"

#define RISK_LEVEL_BANDS_KEY "risk_level_bands"
#define RISK_REVIEW_DAYS_KEY "risk_review_days"
#define COMPLIANCE_THRESHOLD_KEY "compliance_threshold"
#define COMPLIANCE_AREA_WEIGHTS_KEY "compliance_area_weights"
#define EXTRACTION_METRICS_TIME_ZONE_KEY "extraction_metrics_time_zone"

#define CONFIG_HINT "Correct the value in pactoria.system_config, or delete it there to use the default."

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
 * read_config
 *		The value of a configuration key, through pactoria.get_config, the one
 *		place that knows how defaults and deployment values combine.
 */
static Jsonb *
read_config(const char *key)
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
static void *
config_cache(FunctionCallInfo fcinfo, Size value_size, bool *is_current)
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

static void
config_cache_done(FunctionCallInfo fcinfo)
{
	config_stamp_set((ConfigStamp *) fcinfo->flinfo->fn_extra);
}

/* ---------------------------------------------------------------------------
 * jsonb and numeric helpers
 * ---------------------------------------------------------------------------
 */

/* A jsonb value as text, for error messages. */
static char *
jsonb_value_text(JsonbValue *value)
{
	if (value->type == jbvBinary)
		return JsonbToCString(NULL, value->val.binary.data, value->val.binary.len);
	return JsonbToCString(NULL, &JsonbValueToJsonb(value)->root, 0);
}

/* A jsonb string's text as a C string. */
static char *
jsonb_string(const JsonbValue *value)
{
	return pnstrdup(value->val.string.val, value->val.string.len);
}

/* The type name of a whole jsonb document, as jsonb_typeof says it. */
static const char *
jsonb_root_type(Jsonb *document)
{
	JsonbValue	scalar;

	if (JsonbExtractScalar(&document->root, &scalar))
		return JsonbTypeName(&scalar);
	return JB_ROOT_IS_OBJECT(document) ? "object" : "array";
}

/*
 * numeric_to_scaled
 *		value * scale rounded half away from zero into *result, when the exact
 *		product lies in [minimum, maximum]; false otherwise (also for NaN and
 *		infinity).  Only a rounded result at a bound needs the exact product
 *		compared, so the common case costs one multiplication.
 */
static bool
numeric_to_scaled(Numeric value, int32 scale, int32 minimum, int32 maximum, int32 *result)
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

/* A jsonb number that is a whole number in [minimum, maximum]. */
static bool
jsonb_whole_number(const JsonbValue *value, int32 minimum, int32 maximum, int32 *result)
{
	Numeric		number;

	if (value->type != jbvNumeric)
		return false;
	number = value->val.numeric;
	if (!numeric_to_scaled(number, 1, minimum, maximum, result))
		return false;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(number),
											 NumericGetDatum(int64_to_numeric(*result)))) == 0;
}

/*
 * The members of a jsonb object, one call at a time: false when there are no
 * more.  The iterator walks the top level only.
 */
static bool
next_object_member(JsonbIterator **iterator, JsonbValue *key, JsonbValue *value)
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

/* Raise an error unless a configuration value is a JSON object. */
static void
require_config_object(Jsonb *config, const char *key)
{
	if (!JB_ROOT_IS_OBJECT(config))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("configuration key \"%s\" must be a JSON object, not %s",
						key, jsonb_root_type(config)),
				 errhint(CONFIG_HINT)));
}

/*
 * The member of a configuration object for each risk level: unknown members
 * and missing levels are errors.
 */
static void
config_risk_level_members(Jsonb *config, const char *key, JsonbValue members[RISK_LEVEL_COUNT])
{
	JsonbIterator *iterator;
	JsonbValue	name;
	JsonbValue	value;
	bool		seen[RISK_LEVEL_COUNT] = {false};
	int			i;

	require_config_object(config, key);
	iterator = JsonbIteratorInit(&config->root);
	while (next_object_member(&iterator, &name, &value))
	{
		RiskLevel	level;

		if (!risk_level_from_name(name.val.string.val, name.val.string.len, &level))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown risk level \"%s\" in configuration key \"%s\"",
							pactoria_quote_prefix(jsonb_string(&name)), key),
					 errdetail("The risk levels are low, medium, high and critical."),
					 errhint(CONFIG_HINT)));
		members[level] = value;
		seen[level] = true;
	}
	for (i = 0; i < RISK_LEVEL_COUNT; i++)
	{
		if (!seen[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("risk level \"%s\" is missing from configuration key \"%s\"",
							risk_level_names[i], key),
					 errdetail("Every risk level (low, medium, high, critical) needs a value."),
					 errhint(CONFIG_HINT)));
	}
}

/* ---------------------------------------------------------------------------
 * Parsing and checking the scoring configuration keys
 * ---------------------------------------------------------------------------
 */

/*
 * parse_risk_level_bands
 *		risk_level_bands: {"low": [1, 4], "medium": [5, 9], "high": [10, 16],
 *		"critical": [17, 25]}, checked to cover the scores 1 to 25.
 */
static void
parse_risk_level_bands(Jsonb *config, RiskBands *bands)
{
	JsonbValue	members[RISK_LEVEL_COUNT];
	RiskBandsProblem problem;
	RiskLevel	level;
	int			i;

	config_risk_level_members(config, RISK_LEVEL_BANDS_KEY, members);
	for (i = 0; i < RISK_LEVEL_COUNT; i++)
	{
		JsonbValue *lowest = NULL;
		JsonbValue *highest = NULL;

		if (members[i].type == jbvBinary &&
			JsonContainerIsArray(members[i].val.binary.data) &&
			JsonContainerSize(members[i].val.binary.data) == 2)
		{
			lowest = getIthJsonbValueFromContainer(members[i].val.binary.data, 0);
			highest = getIthJsonbValueFromContainer(members[i].val.binary.data, 1);
		}
		if (lowest == NULL ||
			!jsonb_whole_number(lowest, RISK_SCORE_MIN, RISK_SCORE_MAX, &bands->lowest[i]) ||
			!jsonb_whole_number(highest, RISK_SCORE_MIN, RISK_SCORE_MAX, &bands->highest[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid band %s for risk level \"%s\" in configuration key \"%s\"",
							pactoria_quote_prefix(jsonb_value_text(&members[i])), risk_level_names[i], RISK_LEVEL_BANDS_KEY),
					 errdetail("A band is an array of the lowest and the highest score of the level, whole numbers from 1 to 25, such as [5, 9]."),
					 errhint(CONFIG_HINT)));
	}

	problem = risk_bands_check(bands, &level);
	if (problem == RISK_BANDS_VALID)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 problem == RISK_BANDS_EMPTY ?
			 errmsg("band [%d, %d] of risk level \"%s\" in configuration key \"%s\" is empty",
					bands->lowest[level], bands->highest[level], risk_level_names[level],
					RISK_LEVEL_BANDS_KEY) :
			 problem == RISK_BANDS_BAD_START ?
			 errmsg("band of risk level \"%s\" in configuration key \"%s\" starts at %d, not at %d",
					risk_level_names[level], RISK_LEVEL_BANDS_KEY, bands->lowest[level],
					RISK_SCORE_MIN) :
			 problem == RISK_BANDS_GAP_OR_OVERLAP ?
			 errmsg("band of risk level \"%s\" in configuration key \"%s\" starts at %d, not at %d right after the band of \"%s\"",
					risk_level_names[level], RISK_LEVEL_BANDS_KEY, bands->lowest[level],
					bands->highest[level - 1] + 1, risk_level_names[level - 1]) :
			 errmsg("band of risk level \"%s\" in configuration key \"%s\" ends at %d, not at %d",
					risk_level_names[level], RISK_LEVEL_BANDS_KEY, bands->highest[level],
					RISK_SCORE_MAX),
			 errdetail("The bands must be contiguous, in the order low, medium, high, critical, and cover the scores 1 to 25."),
			 errhint(CONFIG_HINT)));
}

/* risk_review_days: {"low": 365, "medium": 180, "high": 90, "critical": 30}. */
static void
parse_risk_review_days(Jsonb *config, int32 days[RISK_LEVEL_COUNT])
{
	JsonbValue	members[RISK_LEVEL_COUNT];
	int			i;

	config_risk_level_members(config, RISK_REVIEW_DAYS_KEY, members);
	for (i = 0; i < RISK_LEVEL_COUNT; i++)
	{
		if (!jsonb_whole_number(&members[i], 1, RISK_REVIEW_DAYS_MAX, &days[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid review interval %s for risk level \"%s\" in configuration key \"%s\"",
							pactoria_quote_prefix(jsonb_value_text(&members[i])), risk_level_names[i], RISK_REVIEW_DAYS_KEY),
					 errdetail("A review interval is a whole number of days from 1 to %d.",
							   RISK_REVIEW_DAYS_MAX),
					 errhint(CONFIG_HINT)));
	}
}

/* compliance_threshold: a number greater than 0 and at most 1. */
static Numeric
parse_compliance_threshold(Jsonb *config)
{
	JsonbValue	value;
	int32		scaled;

	if (!JsonbExtractScalar(&config->root, &value) || value.type != jbvNumeric ||
		!numeric_to_scaled(value.val.numeric, COMPLIANCE_SCORE_SCALE, 0,
						   COMPLIANCE_SCORE_SCALE, &scaled) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(value.val.numeric),
										  NumericGetDatum(int64_to_numeric(0)))) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid compliance threshold %s in configuration key \"%s\"",
						pactoria_quote_prefix(JsonbToCString(NULL, &config->root, VARSIZE(config))),
						COMPLIANCE_THRESHOLD_KEY),
				 errdetail("The threshold is a number greater than 0 and at most 1."),
				 errhint(CONFIG_HINT)));
	return value.val.numeric;
}

/*
 * parse_compliance_weights
 *		Weights of the compliance areas: an object whose keys are among gdpr,
 *		employment, consumer and commercial and whose values are numbers from
 *		0 to 1000 (taken to four decimal places); an area not named weighs 1.
 *		source names the weights in messages.
 */
static void
parse_compliance_weights(Jsonb *weights, const char *source,
						 int32 weight[COMPLIANCE_AREA_COUNT])
{
	JsonbIterator *iterator;
	JsonbValue	name;
	JsonbValue	value;
	int			i;

	for (i = 0; i < COMPLIANCE_AREA_COUNT; i++)
		weight[i] = COMPLIANCE_WEIGHT_SCALE;
	if (!JB_ROOT_IS_OBJECT(weights))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object, not %s", source, jsonb_root_type(weights)),
				 errdetail("Weights are given as {\"gdpr\": 2, \"employment\": 1, \"consumer\": 1, \"commercial\": 1}; an area left out weighs 1.")));

	iterator = JsonbIteratorInit(&weights->root);
	while (next_object_member(&iterator, &name, &value))
	{
		ComplianceArea area;

		if (!compliance_area_from_name(name.val.string.val, name.val.string.len, &area))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown compliance area \"%s\" in %s", pactoria_quote_prefix(jsonb_string(&name)), source),
					 errdetail("The areas are gdpr, employment, consumer and commercial.")));
		if (value.type != jbvNumeric ||
			!numeric_to_scaled(value.val.numeric, COMPLIANCE_WEIGHT_SCALE, 0,
							   COMPLIANCE_WEIGHT_MAX, &weight[area]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid weight %s for compliance area \"%s\" in %s",
							pactoria_quote_prefix(jsonb_value_text(&value)), compliance_area_names[area], source),
					 errdetail("A weight is a number from 0 to 1000, taken to four decimal places.")));
	}
}

/* Error context of a time zone check: which configuration key it was. */
static void
time_zone_error_context(void *argument)
{
	errcontext("configuration key \"%s\"", EXTRACTION_METRICS_TIME_ZONE_KEY);
}

/* extraction_metrics_time_zone: a time zone name AT TIME ZONE accepts. */
static void
check_extraction_metrics_time_zone(Jsonb *config)
{
	JsonbValue	value;
	ErrorContextCallback context;

	if (!JsonbExtractScalar(&config->root, &value) || value.type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("configuration key \"%s\" must be a JSON string, not %s",
						EXTRACTION_METRICS_TIME_ZONE_KEY, jsonb_root_type(config)),
				 errhint(CONFIG_HINT)));
	/* the very function AT TIME ZONE calls: it reports an unknown zone */
	context.callback = time_zone_error_context;
	context.arg = NULL;
	context.previous = error_context_stack;
	error_context_stack = &context;
	(void) DirectFunctionCall2(timestamptz_zone,
							   PointerGetDatum(cstring_to_text(jsonb_string(&value))),
							   TimestampTzGetDatum(0));
	error_context_stack = context.previous;
}

/* ---------------------------------------------------------------------------
 * Risk
 * ---------------------------------------------------------------------------
 */

/*
 * Raise an error unless a likelihood or impact rating is 1 to 5.  Given the
 * risk_assessments relation (the trigger), the error is the violation of its
 * check constraint on the column, reported before the constraint itself
 * would run; otherwise (a function argument) a value out of range.
 */
static void
check_risk_rating(const char *what, int32 rating, Relation relation)
{
	if (!risk_rating_is_valid(rating))
		ereport(ERROR,
				(errcode(relation != NULL ? ERRCODE_CHECK_VIOLATION : ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %d is out of range", what, rating),
				 errdetail("Likelihood and impact are rated from %d to %d.",
						   RISK_RATING_MIN, RISK_RATING_MAX),
				 relation != NULL ?
				 errtableconstraint(relation, psprintf("chk_%s_%s", RelationGetRelationName(relation), what)) : 0));
}

PG_FUNCTION_INFO_V1(pactoria_calculate_risk_score);

/* pactoria.calculate_risk_score(likelihood, impact): their product, 1 to 25. */
Datum
pactoria_calculate_risk_score(PG_FUNCTION_ARGS)
{
	int32		likelihood = PG_GETARG_INT32(0);
	int32		impact = PG_GETARG_INT32(1);

	check_risk_rating("likelihood", likelihood, NULL);
	check_risk_rating("impact", impact, NULL);
	PG_RETURN_INT32(risk_score(likelihood, impact));
}

PG_FUNCTION_INFO_V1(pactoria_risk_level);

/*
 * pactoria.risk_level(score): the level whose configured band holds the
 * score.  The bands are read and checked once per statement.
 */
Datum
pactoria_risk_level(PG_FUNCTION_ARGS)
{
	int32		score = PG_GETARG_INT32(0);
	bool		is_current;
	RiskBands  *bands;
	const char *name;

	if (score < RISK_SCORE_MIN || score > RISK_SCORE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("risk score %d is out of range", score),
				 errdetail("A risk score is likelihood times impact, from %d to %d.",
						   RISK_SCORE_MIN, RISK_SCORE_MAX)));

	bands = config_cache(fcinfo, sizeof(RiskBands), &is_current);
	if (!is_current)
	{
		parse_risk_level_bands(read_config(RISK_LEVEL_BANDS_KEY), bands);
		config_cache_done(fcinfo);
	}
	name = risk_level_names[risk_level_of_score(bands, score)];
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* The risk level named by a text, or an error naming it. */
static RiskLevel
risk_level_argument(text *name)
{
	RiskLevel	level;

	if (!risk_level_from_name(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &level))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown risk level \"%s\"", pactoria_quote_prefix(text_to_cstring(name))),
				 errdetail("The risk levels are low, medium, high and critical.")));
	return level;
}

PG_FUNCTION_INFO_V1(pactoria_risk_review_days);

/* pactoria.risk_review_days(risk_level): days until a risk's next review. */
Datum
pactoria_risk_review_days(PG_FUNCTION_ARGS)
{
	RiskLevel	level = risk_level_argument(PG_GETARG_TEXT_PP(0));
	bool		is_current;
	int32	   *days;

	days = config_cache(fcinfo, sizeof(int32) * RISK_LEVEL_COUNT, &is_current);
	if (!is_current)
	{
		parse_risk_review_days(read_config(RISK_REVIEW_DAYS_KEY), days);
		config_cache_done(fcinfo);
	}
	PG_RETURN_INT32(days[level]);
}

/*
 * The risk_assessments trigger's cache, for one statement: the configuration
 * it read, and where its columns are in the tuple descriptor it last saw.
 */
typedef enum RiskColumn
{
	RISK_COLUMN_LIKELIHOOD,
	RISK_COLUMN_IMPACT,
	RISK_COLUMN_RISK_LEVEL,
	RISK_COLUMN_LAST_REVIEW_DATE,
	RISK_COLUMN_NEXT_REVIEW_DATE
} RiskColumn;

#define RISK_COLUMN_COUNT 5

static const char *const risk_column_names[RISK_COLUMN_COUNT] = {
	"likelihood", "impact", "risk_level", "last_review_date", "next_review_date"
};

static const Oid risk_column_types[RISK_COLUMN_COUNT] = {
	INT2OID, INT2OID, TEXTOID, DATEOID, DATEOID
};

typedef struct RiskTriggerCache
{
	RiskBands	bands;
	int32		review_days[RISK_LEVEL_COUNT];
	TupleDesc	tuple_descriptor;	/* the descriptor column_numbers belong to */
	int			column_numbers[RISK_COLUMN_COUNT];	/* 1-based */
} RiskTriggerCache;

/* Find the trigger's columns in a tuple descriptor, checking their types. */
static void
find_risk_columns(Relation relation, RiskTriggerCache *cache)
{
	TupleDesc	tuple_descriptor = RelationGetDescr(relation);
	int			i;

	for (i = 0; i < RISK_COLUMN_COUNT; i++)
	{
		int			column_number = pactoria_column_of_type(relation, risk_column_names[i],
															risk_column_types[i], false);

		cache->column_numbers[i] = column_number;
	}
	cache->tuple_descriptor = tuple_descriptor;
}

/* Whether an UPDATE named a column in its SET list. */
static bool
column_is_set(TriggerData *trigger_data, int column_number)
{
	return bms_is_member(column_number - FirstLowInvalidHeapAttributeNumber,
						 trigger_data->tg_updatedcols);
}

PG_FUNCTION_INFO_V1(pactoria_derive_risk_level_and_review);

/*
 * BEFORE INSERT OR UPDATE trigger of risk_assessments.  risk_level is always
 * the level of likelihood x impact: a level the statement itself gives (on
 * UPDATE: names in its SET list) must agree with the score, anything else is
 * replaced.  next_review_date, when NULL, or when an UPDATE sets
 * last_review_date (a review was recorded) without setting next_review_date,
 * becomes last_review_date (or today) plus the level's review interval.
 * Written in C because only a C trigger can see which columns an UPDATE set.
 */
Datum
pactoria_derive_risk_level_and_review(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"risk_assessments", NULL};
	TriggerData *trigger_data;
	bool		is_update;
	HeapTuple	tuple;
	RiskTriggerCache *cache;
	bool		is_current;
	int		   *column;
	bool		is_null[RISK_COLUMN_COUNT];
	Datum		value[RISK_COLUMN_COUNT];
	int32		likelihood;
	int32		impact;
	int32		score;
	RiskLevel	level;
	bool		level_is_given;
	bool		review_is_due;
	int			changed_columns[2];
	Datum		changed_values[2];
	bool		changed_nulls[2] = {false, false};
	int			i;

	trigger_data = pactoria_trigger_data(fcinfo, "derive_risk_level_and_review");
	if (!TRIGGER_FIRED_BEFORE(trigger_data->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigger_data->tg_event) ||
		TRIGGER_FIRED_BY_DELETE(trigger_data->tg_event) ||
		TRIGGER_FIRED_BY_TRUNCATE(trigger_data->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pactoria.derive_risk_level_and_review() must be fired BEFORE INSERT OR UPDATE FOR EACH ROW")));

	pactoria_require_own_table(trigger_data->tg_relation, "derive_risk_level_and_review", tables);
	is_update = TRIGGER_FIRED_BY_UPDATE(trigger_data->tg_event);
	tuple = is_update ? trigger_data->tg_newtuple : trigger_data->tg_trigtuple;

	cache = config_cache(fcinfo, sizeof(RiskTriggerCache), &is_current);
	if (!is_current)
	{
		parse_risk_level_bands(read_config(RISK_LEVEL_BANDS_KEY), &cache->bands);
		parse_risk_review_days(read_config(RISK_REVIEW_DAYS_KEY), cache->review_days);
		config_cache_done(fcinfo);
	}
	if (cache->tuple_descriptor != RelationGetDescr(trigger_data->tg_relation))
		find_risk_columns(trigger_data->tg_relation, cache);
	column = cache->column_numbers;

	for (i = 0; i < RISK_COLUMN_COUNT; i++)
		value[i] = heap_getattr(tuple, column[i], cache->tuple_descriptor, &is_null[i]);
	if (is_null[RISK_COLUMN_LIKELIHOOD] || is_null[RISK_COLUMN_IMPACT])
		return PointerGetDatum(tuple);	/* NOT NULL refuses the row */

	likelihood = DatumGetInt16(value[RISK_COLUMN_LIKELIHOOD]);
	impact = DatumGetInt16(value[RISK_COLUMN_IMPACT]);
	check_risk_rating("likelihood", likelihood, trigger_data->tg_relation);
	check_risk_rating("impact", impact, trigger_data->tg_relation);
	score = risk_score(likelihood, impact);
	level = risk_level_of_score(&cache->bands, score);

	level_is_given = !is_null[RISK_COLUMN_RISK_LEVEL] &&
		(!is_update || column_is_set(trigger_data, column[RISK_COLUMN_RISK_LEVEL]));
	if (level_is_given)
	{
		text	   *given = DatumGetTextPP(value[RISK_COLUMN_RISK_LEVEL]);
		RiskLevel	given_level;

		if (!risk_level_from_name(VARDATA_ANY(given), VARSIZE_ANY_EXHDR(given), &given_level) ||
			given_level != level)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("risk level \"%s\" does not match risk score %d",
							text_to_cstring(given), score),
					 errdetail("Likelihood %d times impact %d is %d, a %s risk.",
							   likelihood, impact, score, risk_level_names[level]),
					 errhint("Leave risk_level out: it is derived from likelihood and impact.")));
	}
	changed_columns[0] = column[RISK_COLUMN_RISK_LEVEL];
	changed_values[0] = PointerGetDatum(cstring_to_text(risk_level_names[level]));

	review_is_due = is_null[RISK_COLUMN_NEXT_REVIEW_DATE] ||
		(is_update && column_is_set(trigger_data, column[RISK_COLUMN_LAST_REVIEW_DATE]) &&
		 !column_is_set(trigger_data, column[RISK_COLUMN_NEXT_REVIEW_DATE]));
	if (!review_is_due)
		return PointerGetDatum(heap_modify_tuple_by_cols(tuple, cache->tuple_descriptor, 1,
														 changed_columns, changed_values,
														 changed_nulls));

	changed_columns[1] = column[RISK_COLUMN_NEXT_REVIEW_DATE];
	changed_values[1] =
		DirectFunctionCall2(date_pli,
							is_null[RISK_COLUMN_LAST_REVIEW_DATE] ?
							DateADTGetDatum(GetSQLCurrentDate()) : value[RISK_COLUMN_LAST_REVIEW_DATE],
							Int32GetDatum(cache->review_days[level]));
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, cache->tuple_descriptor, 2,
													 changed_columns, changed_values,
													 changed_nulls));
}

/*
 * A weight of a risk factor: absent or JSON null means 1; otherwise a number
 * from 0.0001 to 1000 (taken to four decimal places).
 */
static int32
risk_factor_weight(JsonbContainer *factor, int index)
{
	JsonbValue	found;
	int32		weight;

	if (getKeyJsonValueFromContainer(factor, "weight", 6, &found) == NULL ||
		found.type == jbvNull)
		return WEIGHT_SCALE;
	if (found.type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight in risk_factors[%d] must be a number, not %s",
						index, JsonbTypeName(&found)),
				 errdetail("A weight is a number from 0.0001 to 1000; without one a factor weighs 1.")));
	if (!numeric_to_scaled(found.val.numeric, WEIGHT_SCALE, CONTRACT_RISK_WEIGHT_MIN,
						   CONTRACT_RISK_WEIGHT_MAX, &weight))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight %s in risk_factors[%d] is out of range",
						jsonb_value_text(&found), index),
				 errdetail("A weight is a number from 0.0001 to 1000, taken to four decimal places.")));
	return weight;
}

PG_FUNCTION_INFO_V1(pactoria_contract_risk_score);

/*
 * pactoria.contract_risk_score(risk_factors): 1 to 10 from an array of
 * {"severity": "low" | "medium" | "high" | "critical", "weight": n} objects
 * (other members are ignored).  Errors name the element by its index.
 */
Datum
pactoria_contract_risk_score(PG_FUNCTION_ARGS)
{
	Jsonb	   *factors = PG_GETARG_JSONB_P(0);
	ContractRisk risk;
	JsonbIterator *iterator;
	JsonbValue	element;
	JsonbIteratorToken token;
	int			index = 0;

	if (!JB_ROOT_IS_ARRAY(factors) || JB_ROOT_IS_SCALAR(factors))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("risk_factors must be a JSON array, not %s", jsonb_root_type(factors)),
				 errdetail("Risk factors are given as [{\"severity\": \"high\", \"weight\": 1}, ...].")));

	contract_risk_init(&risk);
	iterator = JsonbIteratorInit(&factors->root);
	while ((token = JsonbIteratorNext(&iterator, &element, true)) != WJB_DONE)
	{
		JsonbValue	severity;
		RiskLevel	level;

		if (token != WJB_ELEM)
			continue;
		if (element.type != jbvBinary || !JsonContainerIsObject(element.val.binary.data))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("risk_factors[%d] must be an object, not %s",
							index, JsonbTypeName(&element)),
					 errdetail("A risk factor is an object with a severity and an optional weight.")));
		if (getKeyJsonValueFromContainer(element.val.binary.data, "severity", 8, &severity) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("risk_factors[%d] has no severity", index),
					 errdetail("A risk factor's severity is one of low, medium, high and critical.")));
		if (severity.type != jbvString ||
			!risk_level_from_name(severity.val.string.val, severity.val.string.len, &level))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid severity %s in risk_factors[%d]",
							jsonb_value_text(&severity), index),
					 errdetail("A risk factor's severity is one of low, medium, high and critical.")));
		contract_risk_add(&risk, level, risk_factor_weight(element.val.binary.data, index));
		index++;
	}
	PG_RETURN_INT32(contract_risk_score(&risk));
}

/* ---------------------------------------------------------------------------
 * Compliance
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(pactoria_overall_compliance_score);

/*
 * pactoria.overall_compliance_score(gdpr, employment, consumer, commercial,
 * weights): the weighted mean of the area scores present, to four decimal
 * places; NULL when every area is NULL.
 */
Datum
pactoria_overall_compliance_score(PG_FUNCTION_ARGS)
{
	bool		present[COMPLIANCE_AREA_COUNT];
	int32		score[COMPLIANCE_AREA_COUNT];
	int32		weight[COMPLIANCE_AREA_COUNT];
	int32		overall;
	int			i;

	for (i = 0; i < COMPLIANCE_AREA_COUNT; i++)
	{
		present[i] = !PG_ARGISNULL(i);
		if (present[i] &&
			!numeric_to_scaled(PG_GETARG_NUMERIC(i), COMPLIANCE_SCORE_SCALE, 0,
							   COMPLIANCE_SCORE_SCALE, &score[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s compliance score %s is out of range", compliance_area_names[i],
							pactoria_quote_prefix(DatumGetCString(DirectFunctionCall1(numeric_out,
																					  PG_GETARG_DATUM(i))))),
					 errdetail("A compliance score is a number from 0 to 1.")));
	}
	if (PG_ARGISNULL(COMPLIANCE_AREA_COUNT))
	{
		for (i = 0; i < COMPLIANCE_AREA_COUNT; i++)
			weight[i] = COMPLIANCE_WEIGHT_SCALE;
	}
	else
		parse_compliance_weights(PG_GETARG_JSONB_P(COMPLIANCE_AREA_COUNT), "weights", weight);

	switch (overall_compliance(present, score, weight, &overall))
	{
		case COMPLIANCE_SCORED:
			break;
		case COMPLIANCE_NO_AREAS:
			PG_RETURN_NULL();
		case COMPLIANCE_ZERO_WEIGHT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the compliance areas present all have weight 0"),
					 errdetail("An overall score needs at least one area with a score and a weight above 0.")));
	}
	PG_RETURN_NUMERIC(int64_div_fast_to_numeric(overall, 4));
}

PG_FUNCTION_INFO_V1(pactoria_is_compliant);

/*
 * pactoria.is_compliant(score): whether a compliance score reaches the
 * configured threshold.
 */
Datum
pactoria_is_compliant(PG_FUNCTION_ARGS)
{
	Numeric		score = PG_GETARG_NUMERIC(0);
	bool		is_current;
	Numeric    *threshold;
	int32		scaled;

	if (!numeric_to_scaled(score, COMPLIANCE_SCORE_SCALE, 0, COMPLIANCE_SCORE_SCALE, &scaled))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("compliance score %s is out of range",
						pactoria_quote_prefix(DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(score))))),
				 errdetail("A compliance score is a number from 0 to 1.")));

	threshold = config_cache(fcinfo, sizeof(Numeric), &is_current);
	if (!is_current)
	{
		Numeric		value = parse_compliance_threshold(read_config(COMPLIANCE_THRESHOLD_KEY));

		if (*threshold != NULL)
			pfree(*threshold);
		*threshold = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE(value));
		memcpy(*threshold, value, VARSIZE(value));
		config_cache_done(fcinfo);
	}
	PG_RETURN_BOOL(DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(score),
													 NumericGetDatum(*threshold))) >= 0);
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

	trigger_data = pactoria_trigger_data(fcinfo, "check_scoring_config");
	if (!TRIGGER_FIRED_BEFORE(trigger_data->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigger_data->tg_event) ||
		TRIGGER_FIRED_BY_DELETE(trigger_data->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pactoria.check_scoring_config() must be fired BEFORE INSERT OR UPDATE FOR EACH ROW")));

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

	if (strcmp(key, RISK_LEVEL_BANDS_KEY) == 0)
	{
		RiskBands	bands;

		parse_risk_level_bands(config, &bands);
	}
	else if (strcmp(key, RISK_REVIEW_DAYS_KEY) == 0)
	{
		int32		days[RISK_LEVEL_COUNT];

		parse_risk_review_days(config, days);
	}
	else if (strcmp(key, COMPLIANCE_THRESHOLD_KEY) == 0)
		(void) parse_compliance_threshold(config);
	else if (strcmp(key, COMPLIANCE_AREA_WEIGHTS_KEY) == 0)
	{
		int32		weight[COMPLIANCE_AREA_COUNT];

		parse_compliance_weights(config, "configuration key \"" COMPLIANCE_AREA_WEIGHTS_KEY "\"",
								 weight);
	}
	else if (strcmp(key, EXTRACTION_METRICS_TIME_ZONE_KEY) == 0)
		check_extraction_metrics_time_zone(config);
	return PointerGetDatum(tuple);
}

/* ---------------------------------------------------------------------------
 * The extraction accuracy aggregate
 *
 * pactoria.extraction_accuracy(correction_type text, confidence numeric):
 * one input row per field outcome (correction_type NULL for a field kept as
 * extracted).  The state is an ExtractionTally (extraction_accuracy.c) in the
 * aggregate context: fixed-size, so serialising it for parallel aggregation
 * is a copy.
 * ---------------------------------------------------------------------------
 */

/*
 * Confidence arrives as numeric and is counted in hundredths.  Converting a
 * numeric exactly costs a multiplication and a rounding, each allocating, a
 * few hundred nanoseconds a row; but confidences repeat (numeric(5,2) has
 * 10001 values), so each call site remembers the conversions it made, keyed
 * by the numeric's bytes (equal bytes are an equal value).  The table is
 * made when a call site has converted more than CONFIDENCE_CACHE_AFTER
 * values, so small aggregations never pay for it, and stops growing when
 * it is three quarters full.
 */
#define CONFIDENCE_CACHE_SLOTS 16384
#define CONFIDENCE_CACHE_KEY_MAX 14
#define CONFIDENCE_CACHE_AFTER 1000

typedef struct ConfidenceCacheSlot
{
	uint8		length;			/* of the key; 0 for an empty slot */
	char		key[CONFIDENCE_CACHE_KEY_MAX];
	int32		hundredths;
} ConfidenceCacheSlot;

typedef struct ConfidenceCache
{
	int64		conversions;	/* made so far by this call site */
	int			used;			/* slots in use */
	ConfidenceCacheSlot *slots; /* NULL until conversions pass the threshold */
} ConfidenceCache;

/* A confidence (0 to 100) in hundredths, or an error naming it. */
static int32
confidence_hundredths(FunctionCallInfo fcinfo, Datum datum)
{
	ConfidenceCache *cache = (ConfidenceCache *) fcinfo->flinfo->fn_extra;
	Numeric		confidence = DatumGetNumeric(datum);
	const char *key = VARDATA_ANY(confidence);
	int			length = VARSIZE_ANY_EXHDR(confidence);
	ConfidenceCacheSlot *slot = NULL;
	int32		hundredths;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ConfidenceCache));
		fcinfo->flinfo->fn_extra = cache;
	}
	if (cache->slots != NULL && length <= CONFIDENCE_CACHE_KEY_MAX)
	{
		uint32		index = hash_bytes((const unsigned char *) key, length) & (CONFIDENCE_CACHE_SLOTS - 1);

		for (slot = &cache->slots[index]; slot->length != 0;
			 index = (index + 1) & (CONFIDENCE_CACHE_SLOTS - 1), slot = &cache->slots[index])
		{
			if (slot->length == length && memcmp(slot->key, key, length) == 0)
				return slot->hundredths;
		}
	}

	if (!numeric_to_scaled(confidence, CONFIDENCE_SCALE, 0, CONFIDENCE_MAX, &hundredths))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("confidence %s is out of range",
						pactoria_quote_prefix(DatumGetCString(DirectFunctionCall1(numeric_out, datum)))),
				 errdetail("Confidence is a percentage from 0 to 100.")));

	if (slot != NULL && cache->used < CONFIDENCE_CACHE_SLOTS / 4 * 3)
	{
		slot->length = (uint8) length;
		memcpy(slot->key, key, length);
		slot->hundredths = hundredths;
		cache->used++;
	}
	else if (cache->slots == NULL && ++cache->conversions > CONFIDENCE_CACHE_AFTER)
		cache->slots = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
											  sizeof(ConfidenceCacheSlot) * CONFIDENCE_CACHE_SLOTS);
	return hundredths;
}

/* The aggregate's memory context, or an error outside an aggregate. */
static MemoryContext
aggregate_context(FunctionCallInfo fcinfo, const char *function)
{
	MemoryContext context;

	if (!AggCheckCallContext(fcinfo, &context))
		elog(ERROR, "%s called in non-aggregate context", function);
	return context;
}

PG_FUNCTION_INFO_V1(pactoria_extraction_accuracy_transition);

Datum
pactoria_extraction_accuracy_transition(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "pactoria.extraction_accuracy_transition");
	ExtractionTally *tally;
	FieldOutcome outcome = FIELD_KEPT;

	if (PG_ARGISNULL(0))
	{
		tally = MemoryContextAlloc(context, sizeof(ExtractionTally));
		extraction_tally_init(tally);
	}
	else
		tally = (ExtractionTally *) PG_GETARG_POINTER(0);

	if (!PG_ARGISNULL(1))
	{
		text	   *correction_type = PG_GETARG_TEXT_PP(1);

		if (!field_outcome_from_correction_type(VARDATA_ANY(correction_type),
												VARSIZE_ANY_EXHDR(correction_type), &outcome))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid correction type \"%s\"", pactoria_quote_prefix(text_to_cstring(correction_type))),
					 errdetail("A correction type is wrong_value, missing or not_in_document; NULL means the field was kept as extracted.")));
	}
	extraction_tally_add(tally, outcome, !PG_ARGISNULL(2),
						 PG_ARGISNULL(2) ? 0 : confidence_hundredths(fcinfo, PG_GETARG_DATUM(2)));
	PG_RETURN_POINTER(tally);
}

PG_FUNCTION_INFO_V1(pactoria_extraction_accuracy_combine);

Datum
pactoria_extraction_accuracy_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "pactoria.extraction_accuracy_combine");
	ExtractionTally *into;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	if (PG_ARGISNULL(0))
	{
		into = MemoryContextAlloc(context, sizeof(ExtractionTally));
		memcpy(into, PG_GETARG_POINTER(1), sizeof(ExtractionTally));
		PG_RETURN_POINTER(into);
	}
	into = (ExtractionTally *) PG_GETARG_POINTER(0);
	extraction_tally_combine(into, (ExtractionTally *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(pactoria_extraction_accuracy_serialize);

Datum
pactoria_extraction_accuracy_serialize(PG_FUNCTION_ARGS)
{
	bytea	   *result;

	(void) aggregate_context(fcinfo, "pactoria.extraction_accuracy_serialize");
	result = palloc(VARHDRSZ + sizeof(ExtractionTally));
	SET_VARSIZE(result, VARHDRSZ + sizeof(ExtractionTally));
	memcpy(VARDATA(result), PG_GETARG_POINTER(0), sizeof(ExtractionTally));
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(pactoria_extraction_accuracy_deserialize);

Datum
pactoria_extraction_accuracy_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *serialized;
	ExtractionTally *tally;

	(void) aggregate_context(fcinfo, "pactoria.extraction_accuracy_deserialize");
	serialized = PG_GETARG_BYTEA_PP(0);
	if (VARSIZE_ANY_EXHDR(serialized) != sizeof(ExtractionTally))
		elog(ERROR, "serialized extraction accuracy state has %zu bytes, not %zu",
			 (size_t) VARSIZE_ANY_EXHDR(serialized), sizeof(ExtractionTally));
	tally = palloc(sizeof(ExtractionTally));
	memcpy(tally, VARDATA_ANY(serialized), sizeof(ExtractionTally));
	PG_RETURN_POINTER(tally);
}

/* A defined score as a float8 datum, an undefined one as NULL. */
static void
set_score(Datum *values, bool *nulls, int column, ScoreValue score)
{
	values[column] = Float8GetDatum(score.value);
	nulls[column] = !score.is_defined;
}

PG_FUNCTION_INFO_V1(pactoria_extraction_accuracy_final);

/*
 * The scores of the tally as a pactoria.extraction_accuracy_summary; with no
 * input rows, zero counts and NULL ratios.  The blessed row type is kept in
 * fn_extra, as the final function runs once per group.
 */
Datum
pactoria_extraction_accuracy_final(PG_FUNCTION_ARGS)
{
	ExtractionTally empty;
	const ExtractionTally *tally;
	ExtractionScores scores;
	TupleDesc	tuple_descriptor = (TupleDesc) fcinfo->flinfo->fn_extra;
	Datum		values[11];
	bool		nulls[11] = {false};

	(void) aggregate_context(fcinfo, "pactoria.extraction_accuracy_final");
	if (tuple_descriptor == NULL)
	{
		MemoryContext old_context = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tuple_descriptor) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type of pactoria.extraction_accuracy_final must be a row type");
		tuple_descriptor = BlessTupleDesc(tuple_descriptor);
		MemoryContextSwitchTo(old_context);
		fcinfo->flinfo->fn_extra = tuple_descriptor;
	}
	if (tuple_descriptor->natts != lengthof(values))
		elog(ERROR, "pactoria.extraction_accuracy_summary has %d columns, not %d",
			 tuple_descriptor->natts, (int) lengthof(values));

	if (PG_ARGISNULL(0))
	{
		extraction_tally_init(&empty);
		tally = &empty;
	}
	else
		tally = (const ExtractionTally *) PG_GETARG_POINTER(0);
	extraction_scores(tally, &scores);

	values[0] = Int64GetDatum(scores.fields);
	values[1] = Int64GetDatum(scores.correct);
	values[2] = Int64GetDatum(scores.wrong_value);
	values[3] = Int64GetDatum(scores.missing);
	values[4] = Int64GetDatum(scores.not_in_document);
	set_score(values, nulls, 5, scores.accuracy);
	set_score(values, nulls, 6, scores.precision);
	set_score(values, nulls, 7, scores.recall);
	set_score(values, nulls, 8, scores.average_confidence);
	set_score(values, nulls, 9, scores.average_confidence_kept);
	set_score(values, nulls, 10, scores.average_confidence_corrected);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tuple_descriptor, values, nulls)));
}
