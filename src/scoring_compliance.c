/*
 * scoring_compliance.c
 *		SQL interface of pactoria's compliance scoring: the overall score of a
 *		contract's compliance areas, and whether a score is compliant.
 *
 * The logic is in compliance_scoring.c, which includes no PostgreSQL header;
 * this file turns datums, jsonb and configuration into its plain C inputs
 * and back, and raises the errors.  The configuration key
 * compliance_threshold is read once per statement (scoring_config.c).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "compliance_scoring.h"
#include "messages.h"
#include "scoring_config.h"

#define COMPLIANCE_THRESHOLD_KEY "compliance_threshold"
#define COMPLIANCE_AREA_WEIGHTS_KEY "compliance_area_weights"

/* ---------------------------------------------------------------------------
 * Parsing and checking the compliance configuration keys
 * ---------------------------------------------------------------------------
 */

/* compliance_threshold: a number greater than 0 and at most 1. */
static Numeric
parse_compliance_threshold(Jsonb *config)
{
	JsonbValue	value;
	int32		scaled;

	if (!JsonbExtractScalar(&config->root, &value) || value.type != jbvNumeric ||
		!scoring_numeric_to_scaled(value.val.numeric, COMPLIANCE_SCORE_SCALE, 0,
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
				 errmsg("%s must be a JSON object, not %s", source, scoring_jsonb_root_type(weights)),
				 errdetail("Weights are given as {\"gdpr\": 2, \"employment\": 1, \"consumer\": 1, \"commercial\": 1}; an area left out weighs 1.")));

	iterator = JsonbIteratorInit(&weights->root);
	while (scoring_next_object_member(&iterator, &name, &value))
	{
		ComplianceArea area;

		if (!compliance_area_from_name(name.val.string.val, name.val.string.len, &area))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown compliance area \"%s\" in %s", pactoria_quote_prefix(scoring_jsonb_string(&name)), source),
					 errdetail("The areas are gdpr, employment, consumer and commercial.")));
		if (value.type != jbvNumeric ||
			!scoring_numeric_to_scaled(value.val.numeric, COMPLIANCE_WEIGHT_SCALE, 0,
									   COMPLIANCE_WEIGHT_MAX, &weight[area]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid weight %s for compliance area \"%s\" in %s",
							pactoria_quote_prefix(scoring_jsonb_value_text(&value)), compliance_area_names[area], source),
					 errdetail("A weight is a number from 0 to 1000, taken to four decimal places.")));
	}
}

/* The check of compliance_threshold and compliance_area_weights when they are set. */
bool
scoring_compliance_checks_config(const char *key, Jsonb *config)
{
	if (strcmp(key, COMPLIANCE_THRESHOLD_KEY) == 0)
	{
		(void) parse_compliance_threshold(config);
		return true;
	}
	if (strcmp(key, COMPLIANCE_AREA_WEIGHTS_KEY) == 0)
	{
		int32		weight[COMPLIANCE_AREA_COUNT];

		parse_compliance_weights(config, "configuration key \"" COMPLIANCE_AREA_WEIGHTS_KEY "\"",
								 weight);
		return true;
	}
	return false;
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
			!scoring_numeric_to_scaled(PG_GETARG_NUMERIC(i), COMPLIANCE_SCORE_SCALE, 0,
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

	if (!scoring_numeric_to_scaled(score, COMPLIANCE_SCORE_SCALE, 0, COMPLIANCE_SCORE_SCALE, &scaled))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("compliance score %s is out of range",
						pactoria_quote_prefix(DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(score))))),
				 errdetail("A compliance score is a number from 0 to 1.")));

	threshold = scoring_config_cache(fcinfo, sizeof(Numeric), &is_current);
	if (!is_current)
	{
		Numeric		value = parse_compliance_threshold(scoring_read_config(COMPLIANCE_THRESHOLD_KEY));

		if (*threshold != NULL)
			pfree(*threshold);
		*threshold = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE(value));
		memcpy(*threshold, value, VARSIZE(value));
		scoring_config_cache_done(fcinfo);
	}
	PG_RETURN_BOOL(DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(score),
													 NumericGetDatum(*threshold))) >= 0);
}
