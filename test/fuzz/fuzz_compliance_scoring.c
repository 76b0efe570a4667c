/*
 * fuzz_compliance_scoring.c
 *		libFuzzer target of the compliance scoring core
 *		(src/core/compliance_scoring.c).
 *
 * Input: for each of the four areas seven bytes: flags (present; weight 0;
 * score 0 or 1 exactly; a score ending in 50 millionths, half a unit of the
 * result; a weight below 8 ten-thousandths), three bytes of score
 * (0..COMPLIANCE_SCORE_SCALE) and three of weight (0..COMPLIANCE_WEIGHT_MAX),
 * then one byte rotating the areas.  The whole input is also looked up as
 * an area name.  Checks, on every input:
 *	- compliance_area_from_name() accepts exactly "gdpr", "employment",
 *	  "consumer" and "commercial", and answers the area
 *	  compliance_area_names names so;
 *	- the outcome is COMPLIANCE_NO_AREAS exactly when no area is present,
 *	  COMPLIANCE_ZERO_WEIGHT exactly when the areas present all weigh 0;
 *	- a score is in 0..COMPLIANCE_RESULT_SCALE, is the exact weighted mean
 *	  rounded half up to ten-thousandths, and lies within the scores of the
 *	  areas that count (weight above 0), within the rounding; equal scores
 *	  give that score;
 *	- it does not depend on the order of the areas, on the values of areas
 *	  absent, or on the scale of the weights (all doubled).
 *
 * Build (test/fuzz/run.sh builds every test/fuzz/fuzz_<name>.c so, against all
 * of src/core/):
 *	clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *		test/fuzz/fuzz_compliance_scoring.c src/core/compliance_scoring.c \
 *		src/core/name_list.c -o fuzz_compliance_scoring
 */
#include "fuzz_common.h"
#include "compliance_scoring.h"

#define AREAS COMPLIANCE_AREA_COUNT

/* The areas as the header documents them. */
static const char *const area_names[AREAS] = {"gdpr", "employment", "consumer", "commercial"};

static uint32_t
take_uint24(FuzzInput *in)
{
	uint32_t	value = (uint32_t) fuzz_take_byte(in) << 16;

	value |= (uint32_t) fuzz_take_byte(in) << 8;
	return value | fuzz_take_byte(in);
}

static void
check_name(const uint8_t *data, size_t size)
{
	ComplianceArea area;
	bool		found = compliance_area_from_name((const char *) data, size, &area);
	int			expected = reference_name_index(area_names, AREAS, data, size);

	FUZZ_CHECK(found == (expected >= 0));
	if (found)
	{
		FUZZ_CHECK((int) area == expected);
		FUZZ_CHECK(strcmp(compliance_area_names[area], area_names[expected]) == 0);
	}
}

typedef struct Areas
{
	bool		present[AREAS];
	int32_t		score[AREAS];
	int32_t		weight[AREAS];
} Areas;

typedef struct Result
{
	ComplianceOutcome outcome;
	int32_t		overall;		/* when scored */
} Result;

static Result
score(const Areas *areas)
{
	Result		result = {COMPLIANCE_SCORED, -1};

	result.outcome = overall_compliance(areas->present, areas->score, areas->weight, &result.overall);
	if (result.outcome != COMPLIANCE_SCORED)
		result.overall = -1;
	return result;
}

static bool
same(Result a, Result b)
{
	return a.outcome == b.outcome && a.overall == b.overall;
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput		in = {data, size, 0};
	Areas		areas;
	Areas		other;
	Result		result;
	bool		any_present = false;
	int64_t		weighted_sum = 0;
	int64_t		total_weight = 0;
	int32_t		lowest = COMPLIANCE_SCORE_SCALE;
	int32_t		highest = 0;
	bool		doubling_fits = true;
	uint8_t		rotation;

	check_name(data, size);

	for (int i = 0; i < AREAS; i++)
	{
		uint8_t		flags = fuzz_take_byte(&in);
		uint32_t	raw_score = take_uint24(&in);
		uint32_t	raw_weight = take_uint24(&in);

		areas.present[i] = flags & 1;
		if (flags & 4)
			areas.score[i] = (flags & 8) ? COMPLIANCE_SCORE_SCALE : 0;
		else if (flags & 16)	/* a half of the result's last place */
			areas.score[i] = (int32_t) (raw_score % COMPLIANCE_RESULT_SCALE) * 100 + 50;
		else
			areas.score[i] = (int32_t) (raw_score % (COMPLIANCE_SCORE_SCALE + 1));
		if (flags & 2)
			areas.weight[i] = 0;
		else if (flags & 32)	/* small weights, where rounding shows */
			areas.weight[i] = (int32_t) (raw_weight % 8);
		else
			areas.weight[i] = (int32_t) (raw_weight % (COMPLIANCE_WEIGHT_MAX + 1));
		if (!areas.present[i])
			continue;
		any_present = true;
		weighted_sum += (int64_t) areas.weight[i] * areas.score[i];
		total_weight += areas.weight[i];
		if (areas.weight[i] > 0)
		{
			lowest = areas.score[i] < lowest ? areas.score[i] : lowest;
			highest = areas.score[i] > highest ? areas.score[i] : highest;
		}
		doubling_fits &= areas.weight[i] <= COMPLIANCE_WEIGHT_MAX / 2;
	}
	rotation = fuzz_take_byte(&in) % AREAS;

	result = score(&areas);
	if (!any_present)
		FUZZ_CHECK(result.outcome == COMPLIANCE_NO_AREAS);
	else if (total_weight == 0)
		FUZZ_CHECK(result.outcome == COMPLIANCE_ZERO_WEIGHT);
	else
	{
		/* overall - 1/2 <= mean / 100 < overall + 1/2, mean = weighted_sum / total_weight */
		int64_t		scaled = (int64_t) result.overall * 100 * total_weight;

		FUZZ_CHECK(result.outcome == COMPLIANCE_SCORED);
		FUZZ_CHECK(result.overall >= 0 && result.overall <= COMPLIANCE_RESULT_SCALE);
		FUZZ_CHECK(scaled - 50 * total_weight <= weighted_sum);
		FUZZ_CHECK(weighted_sum < scaled + 50 * total_weight);
		FUZZ_CHECK((int64_t) result.overall * 100 >= lowest - 50);
		FUZZ_CHECK((int64_t) result.overall * 100 <= highest + 50);
		if (lowest == highest)
			FUZZ_CHECK(result.overall == (lowest + 50) / 100);
	}

	/* the order of the areas */
	for (int i = 0; i < AREAS; i++)
	{
		int			from = (i + rotation) % AREAS;

		other.present[i] = areas.present[from];
		other.score[i] = areas.score[from];
		other.weight[i] = areas.weight[from];
	}
	FUZZ_CHECK(same(score(&other), result));

	/* the areas absent */
	other = areas;
	for (int i = 0; i < AREAS; i++)
	{
		if (!other.present[i])
		{
			other.score[i] = (COMPLIANCE_SCORE_SCALE - other.score[i]) / (i + 1);
			other.weight[i] = COMPLIANCE_WEIGHT_MAX - other.weight[i];
		}
	}
	FUZZ_CHECK(same(score(&other), result));

	/* the scale of the weights */
	if (doubling_fits)
	{
		other = areas;
		for (int i = 0; i < AREAS; i++)
			other.weight[i] *= 2;
		FUZZ_CHECK(same(score(&other), result));
	}
	return 0;
}
