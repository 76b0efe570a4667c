/*
 * fuzz_extraction_accuracy.c
 *		libFuzzer target of the extraction accuracy core
 *		(src/core/extraction_accuracy.c).
 *
 * Input: one byte splitting the fields into two tallies (as parallel
 * aggregation does), then fields of three bytes each: the outcome and
 * whether there is a confidence, and the confidence (0..CONFIDENCE_MAX).
 * The whole input is also looked up as a correction type.  Checks, on every
 * input:
 *	- field_outcome_from_correction_type() accepts exactly "wrong_value",
 *	  "missing" and "not_in_document", never giving kept;
 *	- the tally counts each outcome, and the confidence of the extracted
 *	  fields only (not the missing ones), kept and corrected apart;
 *	- two tallies combined are the tally of all the fields, and combining
 *	  an empty tally changes nothing;
 *	- the scores: the counts add up to fields; accuracy, precision and
 *	  recall are defined exactly when their denominators (as the header
 *	  defines them) are above 0, lie in 0..1, are 1 exactly when every field
 *	  of the denominator was kept and 0 exactly when none was, and accuracy
 *	  is at most precision and recall; the average confidences are defined
 *	  exactly when a confidence was counted, lie between the least and the
 *	  greatest confidence counted (in 0..100), and the overall one between
 *	  the kept and the corrected ones.
 *
 * Build (test/fuzz/run.sh builds every test/fuzz/fuzz_<name>.c so, against all
 * of src/core/):
 *	clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *		test/fuzz/fuzz_extraction_accuracy.c src/core/extraction_accuracy.c \
 *		src/core/name_list.c -o fuzz_extraction_accuracy
 */
#include "fuzz_common.h"
#include "extraction_accuracy.h"

/* The correction types as the header documents them, by outcome. */
static const char *const correction_types[FIELD_OUTCOME_COUNT] = {
	NULL, "wrong_value", "missing", "not_in_document"
};

static void
check_correction_type(const uint8_t *data, size_t size)
{
	FieldOutcome outcome;
	bool		found = field_outcome_from_correction_type((const char *) data, size, &outcome);
	int			expected = reference_name_index(correction_types, FIELD_OUTCOME_COUNT, data, size);

	FUZZ_CHECK(found == (expected >= 0));
	if (found)
		FUZZ_CHECK((int) outcome == expected && outcome != FIELD_KEPT);
}

static bool
tallies_equal(const ExtractionTally *a, const ExtractionTally *b)
{
	for (int i = 0; i < FIELD_OUTCOME_COUNT; i++)
	{
		if (a->outcomes[i] != b->outcomes[i])
			return false;
	}
	return a->kept_confidence_sum == b->kept_confidence_sum &&
		a->kept_confidence_count == b->kept_confidence_count &&
		a->corrected_confidence_sum == b->corrected_confidence_sum &&
		a->corrected_confidence_count == b->corrected_confidence_count;
}

/* A ratio of kept to a denominator, as the header defines it. */
static void
check_ratio(ScoreValue value, int64_t kept, int64_t denominator)
{
	FUZZ_CHECK(value.is_defined == (denominator > 0));
	if (!value.is_defined)
		return;
	FUZZ_CHECK(value.value >= 0.0 && value.value <= 1.0);
	FUZZ_CHECK((value.value == 1.0) == (kept == denominator));
	FUZZ_CHECK((value.value == 0.0) == (kept == 0));
}

/* An average confidence (0..100) of count confidences from least to greatest (hundredths). */
static void
check_average(ScoreValue value, int64_t count, int32_t least, int32_t greatest)
{
	FUZZ_CHECK(value.is_defined == (count > 0));
	if (!value.is_defined)
		return;
	FUZZ_CHECK(value.value >= (double) least / CONFIDENCE_SCALE);
	FUZZ_CHECK(value.value <= (double) greatest / CONFIDENCE_SCALE);
	FUZZ_CHECK(value.value >= 0.0 && value.value <= 100.0);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ExtractionTally all;
	ExtractionTally first;
	ExtractionTally second;
	ExtractionTally empty;
	ExtractionTally expected;
	ExtractionScores scores;
	size_t		count;
	size_t		split;
	int32_t		least[2] = {CONFIDENCE_MAX, CONFIDENCE_MAX};	/* kept, corrected */
	int32_t		greatest[2] = {0, 0};
	int64_t		kept;
	int64_t		wrong_value;
	int64_t		missing;
	int64_t		not_in_document;

	check_correction_type(data, size);
	if (size == 0)
		return 0;
	count = (size - 1) / 3;
	split = count > 0 ? data[0] % (count + 1) : 0;

	extraction_tally_init(&all);
	extraction_tally_init(&first);
	extraction_tally_init(&second);
	extraction_tally_init(&empty);
	memset(&expected, 0, sizeof(expected));
	FUZZ_CHECK(tallies_equal(&all, &expected));

	for (size_t f = 0; f < count; f++)
	{
		const uint8_t *field = data + 1 + 3 * f;
		FieldOutcome outcome = (FieldOutcome) (field[0] % FIELD_OUTCOME_COUNT);
		bool		has_confidence = (field[0] & 4) != 0;
		int32_t		confidence = (int32_t) (((uint32_t) field[1] << 8 | field[2]) % (CONFIDENCE_MAX + 1));

		extraction_tally_add(&all, outcome, has_confidence, confidence);
		extraction_tally_add(f < split ? &first : &second, outcome, has_confidence, confidence);

		expected.outcomes[outcome]++;
		if (has_confidence && outcome != FIELD_MISSING)
		{
			int			corrected = outcome != FIELD_KEPT;

			if (corrected)
			{
				expected.corrected_confidence_sum += confidence;
				expected.corrected_confidence_count++;
			}
			else
			{
				expected.kept_confidence_sum += confidence;
				expected.kept_confidence_count++;
			}
			least[corrected] = confidence < least[corrected] ? confidence : least[corrected];
			greatest[corrected] = confidence > greatest[corrected] ? confidence : greatest[corrected];
		}
	}
	FUZZ_CHECK(tallies_equal(&all, &expected));

	extraction_tally_combine(&first, &second);
	FUZZ_CHECK(tallies_equal(&first, &all));
	extraction_tally_combine(&first, &empty);
	FUZZ_CHECK(tallies_equal(&first, &all));

	extraction_scores(&all, &scores);
	kept = expected.outcomes[FIELD_KEPT];
	wrong_value = expected.outcomes[FIELD_WRONG_VALUE];
	missing = expected.outcomes[FIELD_MISSING];
	not_in_document = expected.outcomes[FIELD_NOT_IN_DOCUMENT];
	FUZZ_CHECK(scores.fields == (int64_t) count);
	FUZZ_CHECK(scores.correct == kept && scores.wrong_value == wrong_value &&
			   scores.missing == missing && scores.not_in_document == not_in_document);
	check_ratio(scores.accuracy, kept, kept + wrong_value + missing + not_in_document);
	check_ratio(scores.precision, kept, kept + wrong_value + not_in_document);
	check_ratio(scores.recall, kept, kept + wrong_value + missing);
	if (scores.accuracy.is_defined && scores.precision.is_defined)
		FUZZ_CHECK(scores.accuracy.value <= scores.precision.value);
	if (scores.accuracy.is_defined && scores.recall.is_defined)
		FUZZ_CHECK(scores.accuracy.value <= scores.recall.value);

	check_average(scores.average_confidence_kept, expected.kept_confidence_count,
				  least[0], greatest[0]);
	check_average(scores.average_confidence_corrected, expected.corrected_confidence_count,
				  least[1], greatest[1]);
	check_average(scores.average_confidence,
				  expected.kept_confidence_count + expected.corrected_confidence_count,
				  least[0] < least[1] ? least[0] : least[1],
				  greatest[0] > greatest[1] ? greatest[0] : greatest[1]);
	if (scores.average_confidence_kept.is_defined && scores.average_confidence_corrected.is_defined)
	{
		double		low = scores.average_confidence_kept.value;
		double		high = scores.average_confidence_corrected.value;

		if (low > high)
		{
			low = scores.average_confidence_corrected.value;
			high = scores.average_confidence_kept.value;
		}
		FUZZ_CHECK(scores.average_confidence.value >= low && scores.average_confidence.value <= high);
	}
	else if (scores.average_confidence_kept.is_defined)
		FUZZ_CHECK(scores.average_confidence.value == scores.average_confidence_kept.value);
	else if (scores.average_confidence_corrected.is_defined)
		FUZZ_CHECK(scores.average_confidence.value == scores.average_confidence_corrected.value);
	return 0;
}
