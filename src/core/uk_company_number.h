/*
 * uk_company_number.h
 *		UK company registration numbers (Companies House): normalise what a
 *		user typed, check it, and say what kind of body the prefix denotes.
 *
 * Pure C: no PostgreSQL header.  The fmgr wrappers live in uk_validators.c.
 */
#ifndef UK_COMPANY_NUMBER_H
#define UK_COMPANY_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/* A canonical company number is 8 characters; plus its terminating NUL. */
#define UK_COMPANY_NUMBER_LENGTH 8
#define UK_COMPANY_NUMBER_BUFFER_SIZE (UK_COMPANY_NUMBER_LENGTH + 1)

/* What a company number's prefix (or its absence) says about the body. */
typedef struct UkCompanyNumberKind
{
	const char *prefix;			/* "SC"; "" for an all-digit number */
	const char *jurisdiction;	/* england_wales, scotland, northern_ireland, uk */
	const char *entity_type;	/* company, llp, limited_partnership, ... */
} UkCompanyNumberKind;

extern bool uk_company_number_normalise(const char *input, size_t length,
										char output[UK_COMPANY_NUMBER_BUFFER_SIZE],
										const char **rule_broken);
extern const UkCompanyNumberKind *uk_company_number_kind(const char *canonical);

#endif							/* UK_COMPANY_NUMBER_H */
