/*
 * scoring_risk.c
 *		SQL interface of pactoria's risk scoring: risk scores and levels, the
 *		review interval of a level, the risk_assessments trigger that derives
 *		both, and the 1-10 risk of a contract from its risk factors.
 *
 * The logic is in risk_scoring.c, which includes no PostgreSQL header; this
 * file turns datums, jsonb and configuration into its plain C inputs and
 * back, and raises the errors.  The configuration keys risk_level_bands and
 * risk_review_days are read once per statement (scoring_config.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "nodes/bitmapset.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/rel.h"

#include "messages.h"
#include "risk_scoring.h"
#include "scoring_config.h"
#include "trigger_guard.h"

#define RISK_LEVEL_BANDS_KEY "risk_level_bands"
#define RISK_REVIEW_DAYS_KEY "risk_review_days"

/* ---------------------------------------------------------------------------
 * Parsing and checking the risk configuration keys
 * ---------------------------------------------------------------------------
 */

/* A jsonb number that is a whole number in [minimum, maximum]. */
static bool
jsonb_whole_number(const JsonbValue *value, int32 minimum, int32 maximum, int32 *result)
{
	Numeric		number;

	if (value->type != jbvNumeric)
		return false;
	number = value->val.numeric;
	if (!scoring_numeric_to_scaled(number, 1, minimum, maximum, result))
		return false;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(number),
											 NumericGetDatum(int64_to_numeric(*result)))) == 0;
}

/* Raise an error unless a configuration value is a JSON object. */
static void
require_config_object(Jsonb *config, const char *key)
{
	if (!JB_ROOT_IS_OBJECT(config))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("configuration key \"%s\" must be a JSON object, not %s",
						key, scoring_jsonb_root_type(config)),
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
	while (scoring_next_object_member(&iterator, &name, &value))
	{
		RiskLevel	level;

		if (!risk_level_from_name(name.val.string.val, name.val.string.len, &level))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown risk level \"%s\" in configuration key \"%s\"",
							pactoria_quote_prefix(scoring_jsonb_string(&name)), key),
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
							pactoria_quote_prefix(scoring_jsonb_value_text(&members[i])), risk_level_names[i], RISK_LEVEL_BANDS_KEY),
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
							pactoria_quote_prefix(scoring_jsonb_value_text(&members[i])), risk_level_names[i], RISK_REVIEW_DAYS_KEY),
					 errdetail("A review interval is a whole number of days from 1 to %d.",
							   RISK_REVIEW_DAYS_MAX),
					 errhint(CONFIG_HINT)));
	}
}

/* The check of risk_level_bands and risk_review_days when they are set. */
bool
scoring_risk_checks_config(const char *key, Jsonb *config)
{
	if (strcmp(key, RISK_LEVEL_BANDS_KEY) == 0)
	{
		RiskBands	bands;

		parse_risk_level_bands(config, &bands);
		return true;
	}
	if (strcmp(key, RISK_REVIEW_DAYS_KEY) == 0)
	{
		int32		days[RISK_LEVEL_COUNT];

		parse_risk_review_days(config, days);
		return true;
	}
	return false;
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

	bands = scoring_config_cache(fcinfo, sizeof(RiskBands), &is_current);
	if (!is_current)
	{
		parse_risk_level_bands(scoring_read_config(RISK_LEVEL_BANDS_KEY), bands);
		scoring_config_cache_done(fcinfo);
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

	days = scoring_config_cache(fcinfo, sizeof(int32) * RISK_LEVEL_COUNT, &is_current);
	if (!is_current)
	{
		parse_risk_review_days(scoring_read_config(RISK_REVIEW_DAYS_KEY), days);
		scoring_config_cache_done(fcinfo);
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

	trigger_data = pactoria_trigger(fcinfo, "derive_risk_level_and_review",
								PACTORIA_BEFORE | PACTORIA_ROW | PACTORIA_INSERT | PACTORIA_UPDATE);

	pactoria_require_own_table(trigger_data->tg_relation, "derive_risk_level_and_review", tables);
	is_update = TRIGGER_FIRED_BY_UPDATE(trigger_data->tg_event);
	tuple = is_update ? trigger_data->tg_newtuple : trigger_data->tg_trigtuple;

	cache = scoring_config_cache(fcinfo, sizeof(RiskTriggerCache), &is_current);
	if (!is_current)
	{
		parse_risk_level_bands(scoring_read_config(RISK_LEVEL_BANDS_KEY), &cache->bands);
		parse_risk_review_days(scoring_read_config(RISK_REVIEW_DAYS_KEY), cache->review_days);
		scoring_config_cache_done(fcinfo);
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
	if (!scoring_numeric_to_scaled(found.val.numeric, WEIGHT_SCALE, CONTRACT_RISK_WEIGHT_MIN,
								   CONTRACT_RISK_WEIGHT_MAX, &weight))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight %s in risk_factors[%d] is out of range",
						scoring_jsonb_value_text(&found), index),
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
				 errmsg("risk_factors must be a JSON array, not %s", scoring_jsonb_root_type(factors)),
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
							scoring_jsonb_value_text(&severity), index),
					 errdetail("A risk factor's severity is one of low, medium, high and critical.")));
		contract_risk_add(&risk, level, risk_factor_weight(element.val.binary.data, index));
		index++;
	}
	PG_RETURN_INT32(contract_risk_score(&risk));
}
