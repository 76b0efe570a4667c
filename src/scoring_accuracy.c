/*
 * scoring_accuracy.c
 *		SQL interface of the accuracy of pactoria's AI field extraction: the
 *		aggregate pactoria.extraction_accuracy, and the check of the time zone
 *		its daily roll-up counts days in.
 *
 * The logic is in extraction_accuracy.c, which includes no PostgreSQL
 * header; this file turns datums into its plain C inputs and its scores into
 * a row, and raises the errors.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "extraction_accuracy.h"
#include "messages.h"
#include "scoring_config.h"

#define EXTRACTION_METRICS_TIME_ZONE_KEY "extraction_metrics_time_zone"

/* ---------------------------------------------------------------------------
 * Checking the time zone configuration key
 * ---------------------------------------------------------------------------
 */

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
						EXTRACTION_METRICS_TIME_ZONE_KEY, scoring_jsonb_root_type(config)),
				 errhint(CONFIG_HINT)));
	/* the very function AT TIME ZONE calls: it reports an unknown zone */
	context.callback = time_zone_error_context;
	context.arg = NULL;
	context.previous = error_context_stack;
	error_context_stack = &context;
	(void) DirectFunctionCall2(timestamptz_zone,
							   PointerGetDatum(cstring_to_text(scoring_jsonb_string(&value))),
							   TimestampTzGetDatum(0));
	error_context_stack = context.previous;
}

/* The check of extraction_metrics_time_zone when it is set. */
bool
scoring_accuracy_checks_config(const char *key, Jsonb *config)
{
	if (strcmp(key, EXTRACTION_METRICS_TIME_ZONE_KEY) != 0)
		return false;
	check_extraction_metrics_time_zone(config);
	return true;
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

	if (!scoring_numeric_to_scaled(confidence, CONFIDENCE_SCALE, 0, CONFIDENCE_MAX, &hundredths))
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

/* The columns of pactoria.extraction_accuracy_summary (70_scoring.sql), in order. */
typedef enum SummaryColumn
{
	SUMMARY_COLUMN_FIELDS,
	SUMMARY_COLUMN_CORRECT,
	SUMMARY_COLUMN_WRONG_VALUE,
	SUMMARY_COLUMN_MISSING,
	SUMMARY_COLUMN_NOT_IN_DOCUMENT,
	SUMMARY_COLUMN_ACCURACY,
	SUMMARY_COLUMN_PRECISION,
	SUMMARY_COLUMN_RECALL,
	SUMMARY_COLUMN_AVERAGE_CONFIDENCE,
	SUMMARY_COLUMN_AVERAGE_CONFIDENCE_KEPT,
	SUMMARY_COLUMN_AVERAGE_CONFIDENCE_CORRECTED
} SummaryColumn;

#define SUMMARY_COLUMN_COUNT 11

/* A defined score as a float8 datum, an undefined one as NULL. */
static void
set_score(Datum *values, bool *nulls, SummaryColumn column, ScoreValue score)
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
	Datum		values[SUMMARY_COLUMN_COUNT];
	bool		nulls[SUMMARY_COLUMN_COUNT] = {false};

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

	values[SUMMARY_COLUMN_FIELDS] = Int64GetDatum(scores.fields);
	values[SUMMARY_COLUMN_CORRECT] = Int64GetDatum(scores.correct);
	values[SUMMARY_COLUMN_WRONG_VALUE] = Int64GetDatum(scores.wrong_value);
	values[SUMMARY_COLUMN_MISSING] = Int64GetDatum(scores.missing);
	values[SUMMARY_COLUMN_NOT_IN_DOCUMENT] = Int64GetDatum(scores.not_in_document);
	set_score(values, nulls, SUMMARY_COLUMN_ACCURACY, scores.accuracy);
	set_score(values, nulls, SUMMARY_COLUMN_PRECISION, scores.precision);
	set_score(values, nulls, SUMMARY_COLUMN_RECALL, scores.recall);
	set_score(values, nulls, SUMMARY_COLUMN_AVERAGE_CONFIDENCE, scores.average_confidence);
	set_score(values, nulls, SUMMARY_COLUMN_AVERAGE_CONFIDENCE_KEPT,
			  scores.average_confidence_kept);
	set_score(values, nulls, SUMMARY_COLUMN_AVERAGE_CONFIDENCE_CORRECTED,
			  scores.average_confidence_corrected);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tuple_descriptor, values, nulls)));
}
