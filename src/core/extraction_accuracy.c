/*
 * extraction_accuracy.c
 *		Tallies of extraction outcomes and the precision, recall, accuracy and
 *		confidence calibration computed from them.  The one definition of
 *		extraction accuracy: see extraction_accuracy.h.
 */
#include "extraction_accuracy.h"

#include <string.h>

#include "name_list.h"

static const char *const correction_type_names[FIELD_OUTCOME_COUNT] = {
	NULL, "wrong_value", "missing", "not_in_document"
};

/* Look a correction type up by name (the text need not be NUL-terminated). */
bool
field_outcome_from_correction_type(const char *name, size_t length, FieldOutcome *outcome)
{
	int			index = name_list_index(correction_type_names, FIELD_OUTCOME_COUNT, name, length);

	if (index < 0)
		return false;
	*outcome = (FieldOutcome) index;
	return true;
}

void
extraction_tally_init(ExtractionTally *tally)
{
	memset(tally, 0, sizeof(ExtractionTally));
}

/*
 * extraction_tally_add
 *		Count one field.  A missing field was never extracted, so it has no
 *		confidence of its own to count.
 */
void
extraction_tally_add(ExtractionTally *tally, FieldOutcome outcome,
					 bool has_confidence, int32_t confidence)
{
	tally->outcomes[outcome]++;
	if (!has_confidence || outcome == FIELD_MISSING)
		return;
	if (outcome == FIELD_KEPT)
	{
		tally->kept_confidence_sum += confidence;
		tally->kept_confidence_count++;
	}
	else
	{
		tally->corrected_confidence_sum += confidence;
		tally->corrected_confidence_count++;
	}
}

/* Add the counts of one tally into another (parallel aggregation). */
void
extraction_tally_combine(ExtractionTally *into, const ExtractionTally *from)
{
	int			i;

	for (i = 0; i < FIELD_OUTCOME_COUNT; i++)
		into->outcomes[i] += from->outcomes[i];
	into->kept_confidence_sum += from->kept_confidence_sum;
	into->kept_confidence_count += from->kept_confidence_count;
	into->corrected_confidence_sum += from->corrected_confidence_sum;
	into->corrected_confidence_count += from->corrected_confidence_count;
}

/* numerator / denominator, undefined when the denominator is 0. */
static ScoreValue
ratio(int64_t numerator, int64_t denominator)
{
	ScoreValue	result = {false, 0.0};

	if (denominator > 0)
	{
		result.is_defined = true;
		result.value = (double) numerator / (double) denominator;
	}
	return result;
}

/*
 * An average confidence from a sum in hundredths: one division of two exact
 * values, so the result is the double nearest the true average.
 */
static ScoreValue
average_confidence(int64_t sum, int64_t count)
{
	return ratio(sum, count * CONFIDENCE_SCALE);
}

/* The scores of a tally, as defined in extraction_accuracy.h. */
void
extraction_scores(const ExtractionTally *tally, ExtractionScores *scores)
{
	int64_t		kept = tally->outcomes[FIELD_KEPT];
	int64_t		wrong_value = tally->outcomes[FIELD_WRONG_VALUE];
	int64_t		missing = tally->outcomes[FIELD_MISSING];
	int64_t		not_in_document = tally->outcomes[FIELD_NOT_IN_DOCUMENT];

	scores->fields = kept + wrong_value + missing + not_in_document;
	scores->correct = kept;
	scores->wrong_value = wrong_value;
	scores->missing = missing;
	scores->not_in_document = not_in_document;
	scores->accuracy = ratio(kept, scores->fields);
	scores->precision = ratio(kept, kept + wrong_value + not_in_document);
	scores->recall = ratio(kept, kept + wrong_value + missing);
	scores->average_confidence =
		average_confidence(tally->kept_confidence_sum + tally->corrected_confidence_sum,
						   tally->kept_confidence_count + tally->corrected_confidence_count);
	scores->average_confidence_kept =
		average_confidence(tally->kept_confidence_sum, tally->kept_confidence_count);
	scores->average_confidence_corrected =
		average_confidence(tally->corrected_confidence_sum, tally->corrected_confidence_count);
}
