/*
 * uk_identifier.h
 *		What the UK validators (company numbers, postcodes, VAT numbers)
 *		share: reading what a user typed into a short canonical buffer.
 *
 * Pure C: no PostgreSQL header, so the validators can be fuzzed and tested
 * on their own.  The fmgr wrappers live in uk_validators.c.
 */
#ifndef UK_IDENTIFIER_H
#define UK_IDENTIFIER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Room for the longest canonical form of any UK identifier, with its
 * terminating NUL: "GB" + 12 digits (a VAT branch number) is 14 characters.
 */
#define UK_IDENTIFIER_BUFFER_SIZE 16

/* The first rules of every UK identifier, in the words of the error message. */
extern const char uk_rule_not_ascii[];
extern const char uk_rule_empty[];

extern const char *uk_identifier_compact(const char *input, size_t length,
										 char *output, size_t capacity,
										 size_t *output_length,
										 const char *too_long_rule);

/* ASCII classes of an already upper-cased character. */
static inline bool
uk_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
uk_is_letter(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* Are the length characters at text all between low and high ('0'..'9')? */
static inline bool
uk_all_in_range(const char *text, size_t length, char low, char high)
{
	for (size_t i = 0; i < length; i++)
	{
		if (text[i] < low || text[i] > high)
			return false;
	}
	return true;
}

#endif							/* UK_IDENTIFIER_H */
