/*
 * fuzz_risk_scoring.c
 *		libFuzzer target of the risk scoring core (src/core/risk_scoring.c).
 *
 * Input: two bytes of ratings (signed, so out-of-range ones too), one byte
 * choosing how the bands are made (low bit set: three cut points between 1
 * and 25, the shape of valid bands, and with the next bit one bound moved by
 * a signed byte; else eight signed bytes as they come), the band bytes, then risk factors of four bytes each (a severity and a
 * weight in CONTRACT_RISK_WEIGHT_MIN..MAX).  The whole input is also looked
 * up as a level name.  Checks, on every input:
 *	- risk_level_from_name() accepts exactly "low", "medium", "high" and
 *	  "critical", and answers the level risk_level_names names so;
 *	- risk_rating_is_valid() is 1..5, and the score of two valid ratings is
 *	  their product, in RISK_SCORE_MIN..RISK_SCORE_MAX;
 *	- risk_bands_check() accepts exactly the bands that give every score
 *	  from 1 to 25 one level, in level order, none empty; a problem it names
 *	  is there at the level it names; under bands it accepts, the level of
 *	  each score 1..25 is the level whose band holds it;
 *	- contract risk: the score is in 1..10, is the exact weighted sum of
 *	  severity points rounded half up and clamped (no factors: 1), never goes
 *	  down as factors are added, and does not depend on their order.
 *
 * Build (test/fuzz/run.sh builds every test/fuzz/fuzz_<name>.c so, against all
 * of src/core/):
 *	clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *		test/fuzz/fuzz_risk_scoring.c src/core/risk_scoring.c src/core/name_list.c \
 *		-o fuzz_risk_scoring
 */
#include "fuzz_common.h"
#include "risk_scoring.h"

/* The levels and their points as the header documents them. */
static const char *const level_names[RISK_LEVEL_COUNT] = {"low", "medium", "high", "critical"};
static const int64_t severity_points[RISK_LEVEL_COUNT] = {1, 3, 6, 10};

static void
check_name(const uint8_t *data, size_t size)
{
	RiskLevel	level;
	bool		found = risk_level_from_name((const char *) data, size, &level);
	int			expected = reference_name_index(level_names, RISK_LEVEL_COUNT, data, size);

	FUZZ_CHECK(found == (expected >= 0));
	if (found)
	{
		FUZZ_CHECK((int) level == expected);
		FUZZ_CHECK(strcmp(risk_level_names[level], level_names[expected]) == 0);
	}
}

static void
check_ratings(int likelihood, int impact)
{
	FUZZ_CHECK(risk_rating_is_valid(likelihood) == (likelihood >= 1 && likelihood <= 5));
	FUZZ_CHECK(risk_rating_is_valid(impact) == (impact >= 1 && impact <= 5));
	if (risk_rating_is_valid(likelihood) && risk_rating_is_valid(impact))
	{
		int			score = risk_score(likelihood, impact);

		FUZZ_CHECK(score == likelihood * impact);
		FUZZ_CHECK(score >= RISK_SCORE_MIN && score <= RISK_SCORE_MAX);
	}
}

/*
 * The reference: every band non-empty and inside 1..25, each level's band
 * below the next one's, and every score 1..25 in exactly one band.
 */
static bool
reference_bands_valid(const RiskBands *bands)
{
	for (int i = 0; i < RISK_LEVEL_COUNT; i++)
	{
		if (bands->lowest[i] > bands->highest[i] ||
			bands->lowest[i] < RISK_SCORE_MIN || bands->highest[i] > RISK_SCORE_MAX)
			return false;
		if (i > 0 && bands->highest[i - 1] >= bands->lowest[i])
			return false;
	}
	for (int score = RISK_SCORE_MIN; score <= RISK_SCORE_MAX; score++)
	{
		int			holders = 0;

		for (int i = 0; i < RISK_LEVEL_COUNT; i++)
			holders += bands->lowest[i] <= score && score <= bands->highest[i];
		if (holders != 1)
			return false;
	}
	return true;
}

static void
check_bands(FuzzInput *in)
{
	RiskBands	bands;
	RiskLevel	level = RISK_LEVEL_LOW;
	RiskBandsProblem problem;
	uint8_t		mode = fuzz_take_byte(in);

	if (mode & 1)
	{
		/* cut points: low 1..c1, medium c1+1..c2, high c2+1..c3, critical c3+1..25 */
		int			cut[3];

		for (int i = 0; i < 3; i++)
			cut[i] = fuzz_take_byte(in) % (RISK_SCORE_MAX + 1);
		bands.lowest[0] = RISK_SCORE_MIN;
		for (int i = 0; i < 3; i++)
		{
			bands.highest[i] = cut[i];
			bands.lowest[i + 1] = cut[i] + 1;
		}
		bands.highest[3] = RISK_SCORE_MAX;
		if (mode & 2)
		{
			/* one bound moved: bands that are almost valid */
			uint8_t		which = fuzz_take_byte(in) % (2 * RISK_LEVEL_COUNT);
			int			delta = (int8_t) fuzz_take_byte(in);

			if (which < RISK_LEVEL_COUNT)
				bands.lowest[which] += delta;
			else
				bands.highest[which - RISK_LEVEL_COUNT] += delta;
		}
	}
	else
	{
		/* signed bytes: out of range, but never near int overflow (callers pass 1..25) */
		for (int i = 0; i < RISK_LEVEL_COUNT; i++)
		{
			bands.lowest[i] = (int8_t) fuzz_take_byte(in);
			bands.highest[i] = (int8_t) fuzz_take_byte(in);
		}
	}

	problem = risk_bands_check(&bands, &level);
	FUZZ_CHECK((problem == RISK_BANDS_VALID) == reference_bands_valid(&bands));
	FUZZ_CHECK((int) level >= 0 && (int) level < RISK_LEVEL_COUNT);
	switch (problem)
	{
		case RISK_BANDS_VALID:
			for (int score = RISK_SCORE_MIN; score <= RISK_SCORE_MAX; score++)
			{
				RiskLevel	of = risk_level_of_score(&bands, score);

				FUZZ_CHECK((int) of >= 0 && (int) of < RISK_LEVEL_COUNT);
				FUZZ_CHECK(bands.lowest[of] <= score && score <= bands.highest[of]);
			}
			break;
		case RISK_BANDS_EMPTY:
			FUZZ_CHECK(bands.lowest[level] > bands.highest[level]);
			break;
		case RISK_BANDS_BAD_START:
			FUZZ_CHECK(level == RISK_LEVEL_LOW && bands.lowest[0] != RISK_SCORE_MIN);
			break;
		case RISK_BANDS_GAP_OR_OVERLAP:
			FUZZ_CHECK(level > RISK_LEVEL_LOW && bands.lowest[level] != bands.highest[level - 1] + 1);
			break;
		case RISK_BANDS_BAD_END:
			FUZZ_CHECK(level == RISK_LEVEL_CRITICAL && bands.highest[level] != RISK_SCORE_MAX);
			break;
		default:
			FUZZ_CHECK(!"unknown problem");
	}
}

/* The exact score of a weighted sum of points in ten-thousandths. */
static int
reference_contract_risk(int64_t weighted_points)
{
	int64_t		rounded = (weighted_points + WEIGHT_SCALE / 2) / WEIGHT_SCALE;

	return rounded < CONTRACT_RISK_MIN ? CONTRACT_RISK_MIN :
		rounded > CONTRACT_RISK_MAX ? CONTRACT_RISK_MAX : (int) rounded;
}

static void
check_contract_risk(FuzzInput *in)
{
	size_t		count = (in->size - in->at) / 4;
	RiskLevel  *severities = malloc((count + 1) * sizeof(RiskLevel));
	int32_t    *weights = malloc((count + 1) * sizeof(int32_t));
	ContractRisk forward;
	ContractRisk backward;
	int64_t		exact = 0;
	int			previous;

	FUZZ_CHECK(severities != NULL && weights != NULL);
	contract_risk_init(&forward);
	previous = contract_risk_score(&forward);
	FUZZ_CHECK(previous == CONTRACT_RISK_MIN);
	for (size_t f = 0; f < count; f++)
	{
		uint32_t	raw;
		int			score;

		severities[f] = (RiskLevel) (fuzz_take_byte(in) % RISK_LEVEL_COUNT);
		raw = (uint32_t) fuzz_take_byte(in) << 16;
		raw |= (uint32_t) fuzz_take_byte(in) << 8;
		raw |= fuzz_take_byte(in);
		weights[f] = CONTRACT_RISK_WEIGHT_MIN +
			(int32_t) (raw % (CONTRACT_RISK_WEIGHT_MAX - CONTRACT_RISK_WEIGHT_MIN + 1));

		contract_risk_add(&forward, severities[f], weights[f]);
		exact += severity_points[severities[f]] * weights[f];
		score = contract_risk_score(&forward);
		FUZZ_CHECK(score >= CONTRACT_RISK_MIN && score <= CONTRACT_RISK_MAX);
		FUZZ_CHECK(score == reference_contract_risk(exact));
		FUZZ_CHECK(score >= previous);
		previous = score;
	}

	contract_risk_init(&backward);
	for (size_t f = count; f > 0; f--)
		contract_risk_add(&backward, severities[f - 1], weights[f - 1]);
	FUZZ_CHECK(contract_risk_score(&backward) == contract_risk_score(&forward));

	free(severities);
	free(weights);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput		in = {data, size, 0};
	int			likelihood;
	int			impact;

	check_name(data, size);
	likelihood = (int8_t) fuzz_take_byte(&in);
	impact = (int8_t) fuzz_take_byte(&in);
	check_ratings(likelihood, impact);
	check_bands(&in);
	check_contract_risk(&in);
	return 0;
}
