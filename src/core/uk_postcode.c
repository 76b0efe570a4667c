/*
 * uk_postcode.c
 *		UK postcodes: normalise, validate, split into parts.
 *
 * A postcode is an outward code (area letters, district digit, optional
 * district character) and an inward code (sector digit, two unit letters):
 * "SW1A 1AA".  The letter rules are those of BS 7666 as Royal Mail applies
 * them; Channel Islands (GY, JE) and Isle of Man (IM) postcodes follow the
 * same scheme, and "GIR 0AA" is the one postcode outside it.  BFPO numbers,
 * overseas-territory codes (ASCN 1ZZ ...) and NHS pseudo-postcodes (ZZ99 ...)
 * are not postcodes here.
 *
 * Pure C: no PostgreSQL header (see uk_postcode.h).
 */
#include <stdint.h>
#include <string.h>

#include "uk_identifier.h"
#include "uk_postcode.h"

/* Compacted lengths: "A99AA" (5) to "AA9A9AA" (7). */
#define UK_POSTCODE_MIN_COMPACT 5
#define UK_POSTCODE_MAX_COMPACT 7

static const char rule_outward_shape[] =
"the outward code must have the form A9, A99, AA9, AA99, A9A or AA9A";

/*
 * Sets of letters as bit masks (bit 0 is A), so that a letter rule is one
 * shift and one test on the per-row path.
 */
#define LETTER(c) (UINT32_C(1) << ((c) - 'A'))
static const uint32_t first_letter_never = LETTER('Q') | LETTER('V') | LETTER('X');
static const uint32_t second_letter_never = LETTER('I') | LETTER('J') | LETTER('Z');
static const uint32_t a9a_third_letters =
	LETTER('A') | LETTER('B') | LETTER('C') | LETTER('D') | LETTER('E') | LETTER('F') |
	LETTER('G') | LETTER('H') | LETTER('J') | LETTER('K') | LETTER('P') | LETTER('S') |
	LETTER('T') | LETTER('U') | LETTER('W');
static const uint32_t aa9a_fourth_letters =
	LETTER('A') | LETTER('B') | LETTER('E') | LETTER('H') | LETTER('M') | LETTER('N') |
	LETTER('P') | LETTER('R') | LETTER('V') | LETTER('W') | LETTER('X') | LETTER('Y');
static const uint32_t inward_letters_never =
	LETTER('C') | LETTER('I') | LETTER('K') | LETTER('M') | LETTER('O') | LETTER('V');

/* Is c a letter of the set? */
static inline bool
in_set(char c, uint32_t set)
{
	return uk_is_letter(c) && ((set >> (c - 'A')) & 1) != 0;
}

/*
 * outward_rule_broken
 *		The first rule the outward code (2 to 4 characters) breaks, or NULL.
 */
static const char *
outward_rule_broken(const char *outward, size_t length)
{
	bool		two_letter_area;

	if (!uk_is_letter(outward[0]))
		return "it must start with a letter";
	if (in_set(outward[0], first_letter_never))
		return "its first letter must not be Q, V or X";

	two_letter_area = uk_is_letter(outward[1]);
	if (two_letter_area ?
		!(length >= 3 && uk_is_digit(outward[2])) :
		!uk_is_digit(outward[1]))
		return rule_outward_shape;
	/* Now outward is A9..., or AA9...: only a fourth or third character remains. */
	if (two_letter_area && in_set(outward[1], second_letter_never))
		return "the second letter of a two-letter area must not be I, J or Z";
	if (length == (two_letter_area ? 3u : 2u))
		return NULL;			/* AA9, A9 */
	if (length == 4 && !two_letter_area)
		return rule_outward_shape;

	/* The last character of A99, A9A, AA99 or AA9A. */
	if (uk_is_digit(outward[length - 1]))
		return NULL;
	if (!uk_is_letter(outward[length - 1]))
		return rule_outward_shape;
	if (!two_letter_area && !in_set(outward[2], a9a_third_letters))
		return "the third character of an A9A outward code must be one of A B C D E F G H J K P S T U W";
	if (two_letter_area && !in_set(outward[3], aa9a_fourth_letters))
		return "the fourth character of an AA9A outward code must be one of A B E H M N P R V W X Y";
	return NULL;
}

/*
 * postcode_rule_broken
 *		The first rule a compacted postcode of 5 to 7 characters breaks, or
 *		NULL when it is valid.
 */
static const char *
postcode_rule_broken(const char *compact, size_t n)
{
	size_t		outward_length = n - 3;
	const char *inward = compact + outward_length;
	const char *rule;

	if (!(n == 6 && memcmp(compact, "GIR0AA", 6) == 0))
	{
		rule = outward_rule_broken(compact, outward_length);
		if (rule != NULL)
			return rule;
	}
	if (!(uk_is_digit(inward[0]) && uk_is_letter(inward[1]) && uk_is_letter(inward[2])))
		return "the inward code must be a digit followed by two letters";
	if (in_set(inward[1], inward_letters_never) || in_set(inward[2], inward_letters_never))
		return "the letters of the inward code must not be C, I, K, M, O or V";
	return NULL;
}

/*
 * uk_postcode_normalise
 *		Normalise a postcode as typed and check it; true when it is valid.
 *
 * Normalising rejects non-ASCII input, removes all ASCII whitespace,
 * upper-cases, and puts one space before the last three characters.  On
 * success output holds the canonical NUL-terminated form ("SW1A 1AA");
 * otherwise *rule_broken names the first rule the input breaks, in words for
 * an error message, and output is unspecified.  O and 0, I and 1 are never
 * swapped: "SW1A OAA" is invalid.
 */
bool
uk_postcode_normalise(const char *input, size_t length,
					  char output[UK_POSTCODE_BUFFER_SIZE],
					  const char **rule_broken)
{
	char		compact[UK_POSTCODE_MAX_COMPACT];
	size_t		n;
	const char *rule;

	rule = uk_identifier_compact(input, length, compact, sizeof(compact), &n,
								 "it is longer than 7 characters (spaces not counted)");
	if (rule == NULL && n < UK_POSTCODE_MIN_COMPACT)
		rule = "it is shorter than 5 characters (spaces not counted)";
	if (rule == NULL)
		rule = postcode_rule_broken(compact, n);
	if (rule != NULL)
	{
		*rule_broken = rule;
		return false;
	}

	for (size_t i = 0, o = 0; i < n; i++)
	{
		if (i == n - 3)
			output[o++] = ' ';
		output[o++] = compact[i];
	}
	output[n + 1] = '\0';
	return true;
}

/*
 * uk_postcode_parts
 *		Locate area, district (outward code), sector and unit in a canonical
 *		postcode, as Royal Mail names them: for "SW1A 1AA" the area is "SW",
 *		the district "SW1A", the sector "SW1A 1" and the unit "SW1A 1AA".
 *		"GIR 0AA" is its own area and district, "GIR".
 */
void
uk_postcode_parts(const char *canonical, UkPostcodeParts *parts)
{
	size_t		length = strlen(canonical);

	parts->length = length;
	parts->outward_length = length - 4;
	if (strcmp(canonical, "GIR 0AA") == 0)
		parts->area_length = 3;
	else
		parts->area_length = uk_is_letter(canonical[1]) ? 2 : 1;
}
