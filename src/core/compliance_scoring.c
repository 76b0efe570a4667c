/*
 * compliance_scoring.c
 *		The overall compliance score as a weighted mean of the area scores
 *		present.  No PostgreSQL header: see compliance_scoring.h.
 */
#include "compliance_scoring.h"

#include "name_list.h"

const char *const compliance_area_names[COMPLIANCE_AREA_COUNT] = {
	"gdpr", "employment", "consumer", "commercial"
};

/* Look an area up by name; the text need not be NUL-terminated. */
bool
compliance_area_from_name(const char *name, size_t length, ComplianceArea *area)
{
	int			index = name_list_index(compliance_area_names, COMPLIANCE_AREA_COUNT, name, length);

	if (index < 0)
		return false;
	*area = (ComplianceArea) index;
	return true;
}

/*
 * overall_compliance
 *		sum(weight * score) / sum(weight) over the areas present, in exact
 *		integer arithmetic: at most 4 * 1e7 * 1e6 in the numerator, far from
 *		overflowing 64 bits.  Rounded half up (all terms are non-negative).
 */
ComplianceOutcome
overall_compliance(const bool present[COMPLIANCE_AREA_COUNT],
				   const int32_t score[COMPLIANCE_AREA_COUNT],
				   const int32_t weight[COMPLIANCE_AREA_COUNT],
				   int32_t *overall)
{
	int64_t		weighted_sum = 0;
	int64_t		total_weight = 0;
	int64_t		divisor;
	bool		any_present = false;
	int			i;

	for (i = 0; i < COMPLIANCE_AREA_COUNT; i++)
	{
		if (!present[i])
			continue;
		any_present = true;
		weighted_sum += (int64_t) weight[i] * score[i];
		total_weight += weight[i];
	}
	if (!any_present)
		return COMPLIANCE_NO_AREAS;
	if (total_weight == 0)
		return COMPLIANCE_ZERO_WEIGHT;

	/* mean in millionths = weighted_sum / total_weight; we want ten-thousandths */
	divisor = total_weight * (COMPLIANCE_SCORE_SCALE / COMPLIANCE_RESULT_SCALE);
	*overall = (int32_t) ((weighted_sum + divisor / 2) / divisor);
	return COMPLIANCE_SCORED;
}
