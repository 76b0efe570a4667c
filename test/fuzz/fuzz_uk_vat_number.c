/*
 * fuzz_uk_vat_number.c
 *		libFuzzer target for uk_vat_number_normalise.
 *
 * Beyond "no crash" (AddressSanitizer and UndefinedBehaviorSanitizer are on),
 * it checks: the answer and the canonical form equal a plain reference
 * implementation of the rules (check digits computed as a remainder walk);
 * a valid number is printable ASCII starting GB or XI, normalises to itself,
 * and a messy retyping of it normalises back to it; an invalid one names a
 * rule.
 */
#include "fuzz_common.h"
#include "uk_vat_number.h"

/* Are the characters of text[0..length) all digits? */
static bool
digits(const char *text, size_t length)
{
	for (size_t i = 0; i < length; i++)
	{
		if (text[i] < '0' || text[i] > '9')
			return false;
	}
	return true;
}

/* The reference: canonical number in out (15 bytes), or false. */
static bool
reference_normalise(const char *c, char *out)
{
	const char *country = "GB";
	const char *body = c;
	size_t		n;
	long		first_seven;
	long		check;
	long		total = 0;

	if (strncmp(c, "GB", 2) == 0 || strncmp(c, "XI", 2) == 0)
	{
		country = strncmp(c, "GB", 2) == 0 ? "GB" : "XI";
		body = c + 2;
	}
	n = strlen(body);
	if (n > 12)
		return false;
	snprintf(out, 15, "%s%s", country, body);
	if (n == 5 && strncmp(body, "GD", 2) == 0 && digits(body + 2, 3))
		return body[2] <= '4';
	if (n == 5 && strncmp(body, "HA", 2) == 0 && digits(body + 2, 3))
		return body[2] >= '5';
	if (!((n == 9 || n == 12) && digits(body, n)))
		return false;
	first_seven = strtol((char[8]) {body[0], body[1], body[2], body[3], body[4], body[5], body[6], 0}, NULL, 10);
	check = (body[7] - '0') * 10 + (body[8] - '0');
	for (int i = 0; i < 7; i++)
		total += (body[i] - '0') * (8 - i);
	/* The check digits that make the total a multiple of 97, by walking down. */
	while (total > 0)
		total -= 97;
	if (first_seven == 0 && check == 0)
		return false;
	if (-total == check &&
		!(first_seven >= 100000 && first_seven <= 999999) &&
		!(first_seven >= 9490001 && first_seven <= 9700000) &&
		first_seven < 9990001)
		return true;
	return (-total >= 55 ? -total - 55 : -total + 42) == check && first_seven > 1000000;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		output[UK_VAT_NUMBER_BUFFER_SIZE];
	char		expected[UK_VAT_NUMBER_BUFFER_SIZE];
	char	   *compact = NULL;
	bool		reference = reference_compact(data, size, &compact) && reference_normalise(compact, expected);

	if (fuzz_check_normalise(uk_vat_number_normalise, reference, data, size, output, sizeof(output)))
	{
		size_t		n = strlen(output);

		FUZZ_CHECK(strcmp(output, expected) == 0);
		FUZZ_CHECK(n == 7 || n == 11 || n == 14);
		FUZZ_CHECK(strncmp(output, "GB", 2) == 0 || strncmp(output, "XI", 2) == 0);
	}
	free(compact);
	return 0;
}
