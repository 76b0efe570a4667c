/*
 * uk_postcode.h
 *		UK postcodes: normalise what a user typed, check it against the
 *		Royal Mail / BS 7666 format rules, split it into its parts.
 *
 * Pure C: no PostgreSQL header.  The fmgr wrappers live in uk_validators.c.
 */
#ifndef UK_POSTCODE_H
#define UK_POSTCODE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest canonical postcode ("AA9A 9AA") plus its terminating NUL. */
#define UK_POSTCODE_BUFFER_SIZE 9

/* Lengths that locate the parts of a canonical postcode (see below). */
typedef struct UkPostcodeParts
{
	size_t		area_length;	/* "SW" of "SW1A 1AA"; "GIR" of "GIR 0AA" */
	size_t		outward_length; /* "SW1A": the district */
	size_t		length;			/* the whole postcode, its unit */
} UkPostcodeParts;

extern bool uk_postcode_normalise(const char *input, size_t length,
								  char output[UK_POSTCODE_BUFFER_SIZE],
								  const char **rule_broken);
extern void uk_postcode_parts(const char *canonical, UkPostcodeParts *parts);

#endif							/* UK_POSTCODE_H */
