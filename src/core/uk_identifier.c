/*
 * uk_identifier.c
 *		Reading what a user typed into a UK identifier: the first step that
 *		company numbers, postcodes and VAT numbers share.
 *
 * Pure C: no PostgreSQL header (see uk_identifier.h).
 */
#include "uk_identifier.h"

const char	uk_rule_not_ascii[] = "it contains a character that is not ASCII";
const char	uk_rule_empty[] = "it is empty";

/*
 * uk_identifier_compact
 *		Copy input into output without its ASCII whitespace and upper-cased.
 *
 * This is the normalisation every UK identifier starts with: users type
 * "sw1a 1aa", " SC 123456", "gb 980 7806 84".  Nothing else is removed or
 * "fixed": hyphens, dots and look-alike characters stay and make the value
 * invalid later.
 *
 * Returns NULL when the compacted value fits in capacity bytes, and the
 * rule the input breaks otherwise: uk_rule_not_ascii when any byte is not
 * ASCII (the whole input is scanned, so this rule always wins), uk_rule_empty
 * when nothing but whitespace was typed, too_long_rule when more than
 * capacity characters remain.  *output_length is the number of characters
 * kept (at most capacity) and output is not NUL-terminated.
 */
const char *
uk_identifier_compact(const char *input, size_t length, char *output,
					  size_t capacity, size_t *output_length,
					  const char *too_long_rule)
{
	size_t		kept = 0;
	bool		too_long = false;

	for (size_t i = 0; i < length; i++)
	{
		unsigned char c = (unsigned char) input[i];

		if (c >= 0x80)
			return uk_rule_not_ascii;
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			continue;			/* space, \t \n \v \f \r */
		if (kept == capacity)
		{
			too_long = true;
			continue;
		}
		output[kept++] = (char) (c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
	}
	*output_length = kept;
	if (too_long)
		return too_long_rule;
	if (kept == 0)
		return uk_rule_empty;
	return NULL;
}
