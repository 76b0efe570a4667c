/*
 * uk_vat_number.c
 *		UK VAT registration numbers: normalise and validate.
 *
 * A UK VAT number is an optional country prefix (GB, or XI for Northern
 * Ireland traders) and one of: 9 digits with check digits; 12 digits, a
 * branch trader's number whose first 9 digits are checked; GD and 3 digits
 * (government departments, GD000-GD499); HA and 3 digits (health
 * authorities, HA500-HA999).  The check-digit scheme and the number ranges
 * are those VIES enforces; the README gives each rule's source.
 *
 * Pure C: no PostgreSQL header (see uk_vat_number.h).
 */
#include <string.h>

#include "uk_identifier.h"
#include "uk_vat_number.h"

/* Compacted length: "GB" + 12 digits. */
#define UK_VAT_NUMBER_MAX_COMPACT 14

/*
 * check_digits_rule_broken
 *		The first rule the 9 digits of a standard number break, or NULL.
 *
 * With S = 8*d1 + 7*d2 + ... + 2*d7 and C the number d8d9, the number is
 * valid in the original series when (S + C) mod 97 = 0 and in the "9755"
 * series (issued since 2010) when (S + C + 55) mod 97 = 0.  C is compared
 * exactly: it is 00 to 96, never a remainder plus 97.  Each series has its
 * ranges of d1...d7 that are never issued.
 */
static const char *
check_digits_rule_broken(const char *digits)
{
	long		first_seven = 0;
	int			weighted = 0;
	int			check = (digits[7] - '0') * 10 + (digits[8] - '0');

	for (int i = 0; i < 7; i++)
	{
		first_seven = first_seven * 10 + (digits[i] - '0');
		weighted += (8 - i) * (digits[i] - '0');
	}

	if (first_seven == 0 && check == 0)
		return "the number must not be all zeros";
	if (check > 96)
		return "its check digits (the 8th and 9th digits) must be between 00 and 96";
	if ((weighted + check) % 97 == 0)
	{
		if (first_seven >= 100000 && first_seven <= 999999)
			return "the modulus 97 series has no numbers whose first seven digits are 0100000 to 0999999";
		if (first_seven >= 9490001 && first_seven <= 9700000)
			return "the modulus 97 series has no numbers whose first seven digits are 9490001 to 9700000";
		if (first_seven >= 9990001)
			return "the modulus 97 series has no numbers whose first seven digits are 9990001 to 9999999";
		return NULL;
	}
	if ((weighted + check + 55) % 97 == 0)
		return first_seven > 1000000 ? NULL :
			"the 9755 series has no numbers whose first seven digits are 1000000 or less";
	return "its check digits do not match its first seven digits";
}

/*
 * body_rule_broken
 *		The first rule the number after the country prefix breaks, or NULL.
 */
static const char *
body_rule_broken(const char *body, size_t length)
{
	bool		government = length >= 2 && memcmp(body, "GD", 2) == 0;
	bool		health = length >= 2 && memcmp(body, "HA", 2) == 0;
	int			value;

	if (government || health)
	{
		if (length != 5 || !uk_all_in_range(body + 2, 3, '0', '9'))
			return government ?
				"a government department number must be GD followed by 3 digits" :
				"a health authority number must be HA followed by 3 digits";
		value = (body[2] - '0') * 100 + (body[3] - '0') * 10 + (body[4] - '0');
		if (government && value >= 500)
			return "a government department number must be GD000 to GD499";
		if (health && value < 500)
			return "a health authority number must be HA500 to HA999";
		return NULL;
	}
	if (length >= 2 && uk_is_letter(body[0]) && uk_is_letter(body[1]))
		return "its country prefix must be GB or XI";
	if (!(length == 9 || length == 12) || !uk_all_in_range(body, length, '0', '9'))
		return "it must be 9 or 12 digits, GD and 3 digits or HA and 3 digits, after an optional GB or XI";
	return check_digits_rule_broken(body);
}

/*
 * uk_vat_number_normalise
 *		Normalise a VAT number as typed and check it; true when it is valid.
 *
 * Normalising rejects non-ASCII input, removes all ASCII whitespace and
 * upper-cases; nothing else is removed.  The canonical form is the prefix
 * given (GB when none was) followed by the number: "GB980780684",
 * "XI980780684", "GBGD100".  On success output holds it NUL-terminated;
 * otherwise *rule_broken names the first rule the input breaks.
 */
bool
uk_vat_number_normalise(const char *input, size_t length,
						char output[UK_VAT_NUMBER_BUFFER_SIZE],
						const char **rule_broken)
{
	char		compact[UK_VAT_NUMBER_MAX_COMPACT];
	size_t		n;
	const char *country = "GB";
	const char *body = compact;
	const char *rule;

	rule = uk_identifier_compact(input, length, compact, sizeof(compact), &n,
								 "it is longer than 14 characters (spaces not counted)");
	if (rule == NULL && n >= 2 &&
		(memcmp(compact, "GB", 2) == 0 || memcmp(compact, "XI", 2) == 0))
	{
		country = compact;
		body = compact + 2;
		n -= 2;
	}
	if (rule == NULL)
		rule = body_rule_broken(body, n);
	if (rule != NULL)
	{
		*rule_broken = rule;
		return false;
	}
	memcpy(output, country, 2);
	memcpy(output + 2, body, n);
	output[n + 2] = '\0';
	return true;
}
