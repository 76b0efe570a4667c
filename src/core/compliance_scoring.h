/*
 * compliance_scoring.h
 *		The overall UK compliance score of a contract: a weighted mean of the
 *		four area scores present.  Plain C, no PostgreSQL header: the fmgr
 *		wrapper is in scoring_compliance.c.
 */
#ifndef PACTORIA_COMPLIANCE_SCORING_H
#define PACTORIA_COMPLIANCE_SCORING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ComplianceArea
{
	COMPLIANCE_AREA_GDPR,
	COMPLIANCE_AREA_EMPLOYMENT,
	COMPLIANCE_AREA_CONSUMER,
	COMPLIANCE_AREA_COMMERCIAL
} ComplianceArea;

#define COMPLIANCE_AREA_COUNT 4

extern const char *const compliance_area_names[COMPLIANCE_AREA_COUNT];

/* The area named by the first length bytes of name (exact, lower case). */
extern bool compliance_area_from_name(const char *name, size_t length, ComplianceArea *area);

/*
 * Fixed point, so that the result never depends on floating-point rounding:
 * area scores (0 to 1) in millionths, weights (0 to 1000) in ten-thousandths,
 * the overall score in ten-thousandths (four decimal places, the precision of
 * the compliance_scores columns).
 */
#define COMPLIANCE_SCORE_SCALE 1000000
#define COMPLIANCE_WEIGHT_SCALE 10000
#define COMPLIANCE_WEIGHT_MAX (1000 * COMPLIANCE_WEIGHT_SCALE)
#define COMPLIANCE_RESULT_SCALE 10000

typedef enum ComplianceOutcome
{
	COMPLIANCE_SCORED,
	COMPLIANCE_NO_AREAS,		/* every area score is missing */
	COMPLIANCE_ZERO_WEIGHT		/* the areas present all weigh 0 */
} ComplianceOutcome;

/*
 * The weighted mean of the areas present, rounded half up to four decimal
 * places, in *overall (ten-thousandths).  Scores and weights must be in range.
 */
extern ComplianceOutcome overall_compliance(const bool present[COMPLIANCE_AREA_COUNT],
											const int32_t score[COMPLIANCE_AREA_COUNT],
											const int32_t weight[COMPLIANCE_AREA_COUNT],
											int32_t *overall);

#endif							/* PACTORIA_COMPLIANCE_SCORING_H */
