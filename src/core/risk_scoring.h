/*
 * risk_scoring.h
 *		Risk scores and levels of the risk register, and the 1-10 risk of a
 *		contract from its risk factors.  Plain C, no PostgreSQL header: the
 *		fmgr wrappers are in scoring_risk.c.
 */
#ifndef PACTORIA_RISK_SCORING_H
#define PACTORIA_RISK_SCORING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Likelihood and impact are each rated 1 to 5; their product is the score. */
#define RISK_RATING_MIN 1
#define RISK_RATING_MAX 5
#define RISK_SCORE_MIN (RISK_RATING_MIN * RISK_RATING_MIN)
#define RISK_SCORE_MAX (RISK_RATING_MAX * RISK_RATING_MAX)

/* The levels, lowest first; also the severities of contract risk factors. */
typedef enum RiskLevel
{
	RISK_LEVEL_LOW,
	RISK_LEVEL_MEDIUM,
	RISK_LEVEL_HIGH,
	RISK_LEVEL_CRITICAL
} RiskLevel;

#define RISK_LEVEL_COUNT 4

extern const char *const risk_level_names[RISK_LEVEL_COUNT];

/* The level named by the first length bytes of name (exact, lower case). */
extern bool risk_level_from_name(const char *name, size_t length, RiskLevel *level);

extern bool risk_rating_is_valid(int rating);

/* likelihood x impact; both must be valid ratings. */
extern int	risk_score(int likelihood, int impact);

/*
 * The band of scores of each level: lowest[level] to highest[level],
 * inclusive.  Valid bands are non-empty, in level order, contiguous, and
 * together cover exactly RISK_SCORE_MIN to RISK_SCORE_MAX.
 */
typedef struct RiskBands
{
	int			lowest[RISK_LEVEL_COUNT];
	int			highest[RISK_LEVEL_COUNT];
} RiskBands;

typedef enum RiskBandsProblem
{
	RISK_BANDS_VALID,
	RISK_BANDS_EMPTY,			/* lowest > highest */
	RISK_BANDS_BAD_START,		/* the lowest level does not start at 1 */
	RISK_BANDS_GAP_OR_OVERLAP,	/* a level does not start right after the one below */
	RISK_BANDS_BAD_END			/* the highest level does not end at 25 */
} RiskBandsProblem;

/* Check bands; on a problem, *level is the level where it was found. */
extern RiskBandsProblem risk_bands_check(const RiskBands *bands, RiskLevel *level);

/* The level of a score in RISK_SCORE_MIN..RISK_SCORE_MAX under valid bands. */
extern RiskLevel risk_level_of_score(const RiskBands *bands, int score);

/* Review interval of a level in days: 1 to RISK_REVIEW_DAYS_MAX. */
#define RISK_REVIEW_DAYS_MAX 3660

/*
 * Contract risk, 1 to 10, from risk factors: each factor has a severity (a
 * risk level) worth severity points (low 1, medium 3, high 6, critical 10)
 * and a weight, a multiplier given in ten-thousandths (10000 = 1).  The
 * score is the weighted sum of points rounded half up to a whole number and
 * clamped to 1..10, so no factors score 1.  Integer arithmetic throughout:
 * the result never depends on floating-point rounding.
 */
#define CONTRACT_RISK_MIN 1
#define CONTRACT_RISK_MAX 10
#define WEIGHT_SCALE 10000		/* weights are kept in ten-thousandths */
#define CONTRACT_RISK_WEIGHT_MIN 1	/* 0.0001 */
#define CONTRACT_RISK_WEIGHT_MAX (1000 * WEIGHT_SCALE)	/* 1000 */

extern const int contract_risk_severity_points[RISK_LEVEL_COUNT];

typedef struct ContractRisk
{
	int64_t		weighted_points;	/* in ten-thousandths of a point, saturating */
} ContractRisk;

extern void contract_risk_init(ContractRisk *risk);
extern void contract_risk_add(ContractRisk *risk, RiskLevel severity, int32_t weight);
extern int	contract_risk_score(const ContractRisk *risk);

#endif							/* PACTORIA_RISK_SCORING_H */
