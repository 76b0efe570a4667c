/*
 * extraction_accuracy.h
 *		How accurate an AI field extraction was, judged by the reviewer's
 *		corrections.  Plain C, no PostgreSQL header: the aggregate's fmgr
 *		functions are in scoring_accuracy.c.
 *
 * Each field of an extraction has one outcome:
 *		kept			extracted and not corrected (right);
 *		wrong_value		extracted, but the value was wrong;
 *		missing			in the document, but not extracted;
 *		not_in_document extracted, but not in the document.
 * With those counts:
 *		precision = kept / (kept + wrong_value + not_in_document)
 *					(of the fields the AI returned, the share it got right)
 *		recall	  = kept / (kept + wrong_value + missing)
 *					(of the fields in the document, the share it got right)
 *		accuracy  = kept / (kept + wrong_value + missing + not_in_document)
 *					(of every field involved, the share it got right)
 * A ratio whose denominator is 0 is undefined (SQL NULL).  Confidence (0 to
 * 100, kept in hundredths) is averaged over the extracted fields, and apart
 * over those kept and those corrected (wrong_value, not_in_document), which
 * shows whether the model's confidence means anything.
 */
#ifndef PACTORIA_EXTRACTION_ACCURACY_H
#define PACTORIA_EXTRACTION_ACCURACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum FieldOutcome
{
	FIELD_KEPT,
	FIELD_WRONG_VALUE,
	FIELD_MISSING,
	FIELD_NOT_IN_DOCUMENT
} FieldOutcome;

#define FIELD_OUTCOME_COUNT 4

/* The correction type named by the first length bytes of name; never kept. */
extern bool field_outcome_from_correction_type(const char *name, size_t length,
											   FieldOutcome *outcome);

#define CONFIDENCE_SCALE 100	/* confidence is kept in hundredths */
#define CONFIDENCE_MAX (100 * CONFIDENCE_SCALE)

/* Running counts of outcomes and confidence sums; all zero to start. */
typedef struct ExtractionTally
{
	int64_t		outcomes[FIELD_OUTCOME_COUNT];
	int64_t		kept_confidence_sum;
	int64_t		kept_confidence_count;
	int64_t		corrected_confidence_sum;
	int64_t		corrected_confidence_count;
} ExtractionTally;

extern void extraction_tally_init(ExtractionTally *tally);

/*
 * Count one field.  confidence (hundredths, 0..CONFIDENCE_MAX) counts only
 * when has_confidence and the field was extracted (not missing).
 */
extern void extraction_tally_add(ExtractionTally *tally, FieldOutcome outcome,
								 bool has_confidence, int32_t confidence);
extern void extraction_tally_combine(ExtractionTally *into, const ExtractionTally *from);

/* A ratio or an average that may be undefined. */
typedef struct ScoreValue
{
	bool		is_defined;
	double		value;
} ScoreValue;

typedef struct ExtractionScores
{
	int64_t		fields;			/* every outcome, missing fields included */
	int64_t		correct;
	int64_t		wrong_value;
	int64_t		missing;
	int64_t		not_in_document;
	ScoreValue	accuracy;
	ScoreValue	precision;
	ScoreValue	recall;
	ScoreValue	average_confidence; /* of the extracted fields */
	ScoreValue	average_confidence_kept;
	ScoreValue	average_confidence_corrected;
} ExtractionScores;

extern void extraction_scores(const ExtractionTally *tally, ExtractionScores *scores);

#endif							/* PACTORIA_EXTRACTION_ACCURACY_H */
