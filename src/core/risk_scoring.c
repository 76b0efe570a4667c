/*
 * risk_scoring.c
 *		Risk scores, risk levels by configurable bands, and contract risk from
 *		weighted risk factors.  No PostgreSQL header: see risk_scoring.h.
 */
#include "risk_scoring.h"

#include "name_list.h"

const char *const risk_level_names[RISK_LEVEL_COUNT] = {
	"low", "medium", "high", "critical"
};

const int	contract_risk_severity_points[RISK_LEVEL_COUNT] = {1, 3, 6, 10};

/*
 * risk_level_from_name
 *		Look a level up by its name; the text need not be NUL-terminated, as
 *		it usually comes straight out of a text datum or a jsonb string.
 */
bool
risk_level_from_name(const char *name, size_t length, RiskLevel *level)
{
	int			index = name_list_index(risk_level_names, RISK_LEVEL_COUNT, name, length);

	if (index < 0)
		return false;
	*level = (RiskLevel) index;
	return true;
}

/* Whether a likelihood or impact rating is in 1..5. */
bool
risk_rating_is_valid(int rating)
{
	return rating >= RISK_RATING_MIN && rating <= RISK_RATING_MAX;
}

/* The risk score of a likelihood and an impact, each already checked. */
int
risk_score(int likelihood, int impact)
{
	return likelihood * impact;
}

/*
 * risk_bands_check
 *		Bands must give every score from 1 to 25 exactly one level, with the
 *		levels in order: low starts at 1, each level starts one above where
 *		the level below ends, critical ends at 25, none is empty.
 */
RiskBandsProblem
risk_bands_check(const RiskBands *bands, RiskLevel *level)
{
	int			i;

	for (i = 0; i < RISK_LEVEL_COUNT; i++)
	{
		*level = (RiskLevel) i;
		if (bands->lowest[i] > bands->highest[i])
			return RISK_BANDS_EMPTY;
		if (i == 0 && bands->lowest[i] != RISK_SCORE_MIN)
			return RISK_BANDS_BAD_START;
		if (i > 0 && bands->lowest[i] != bands->highest[i - 1] + 1)
			return RISK_BANDS_GAP_OR_OVERLAP;
	}
	if (bands->highest[RISK_LEVEL_COUNT - 1] != RISK_SCORE_MAX)
		return RISK_BANDS_BAD_END;
	return RISK_BANDS_VALID;
}

/*
 * risk_level_of_score
 *		The level whose band holds the score.  The bands are valid, so the
 *		first level whose band ends at or above the score is the one.
 */
RiskLevel
risk_level_of_score(const RiskBands *bands, int score)
{
	int			i;

	for (i = 0; i < RISK_LEVEL_COUNT - 1; i++)
	{
		if (score <= bands->highest[i])
			return (RiskLevel) i;
	}
	return (RiskLevel) (RISK_LEVEL_COUNT - 1);
}

/* Start a contract risk with no factors. */
void
contract_risk_init(ContractRisk *risk)
{
	risk->weighted_points = 0;
}

/*
 * contract_risk_add
 *		Add one factor.  The sum stops growing once it reaches the maximum
 *		score, which keeps it from overflowing however many factors come.
 */
void
contract_risk_add(ContractRisk *risk, RiskLevel severity, int32_t weight)
{
	const int64_t ceiling = (int64_t) CONTRACT_RISK_MAX * WEIGHT_SCALE;

	risk->weighted_points += (int64_t) weight * contract_risk_severity_points[severity];
	if (risk->weighted_points > ceiling)
		risk->weighted_points = ceiling;
}

/* The score: the weighted sum rounded half up, clamped to 1..10. */
int
contract_risk_score(const ContractRisk *risk)
{
	int64_t		rounded = (risk->weighted_points + WEIGHT_SCALE / 2) / WEIGHT_SCALE;

	if (rounded < CONTRACT_RISK_MIN)
		return CONTRACT_RISK_MIN;
	if (rounded > CONTRACT_RISK_MAX)
		return CONTRACT_RISK_MAX;
	return (int) rounded;
}
