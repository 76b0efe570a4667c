/*
 * fuzz_uk_company_number.c
 *		libFuzzer target for uk_company_number_normalise and
 *		uk_company_number_kind.
 *
 * Beyond "no crash" (AddressSanitizer and UndefinedBehaviorSanitizer are on),
 * it checks: the answer and the canonical form equal a plain reference
 * implementation of the rules; a valid number is 8 printable ASCII
 * characters, normalises to itself, and a messy retyping of it normalises
 * back to it; its kind is known; an invalid one names a rule.
 */
#include "fuzz_common.h"
#include "uk_company_number.h"

static const char prefixes[] =
"AC ZC FC GE LP OC SE SA SZ SF GS SL SO SC ES NA NZ NF GN NL NC R0 NI EN IP SP IC SI NP NV "
"RC SR NR NO CE CS SG PC OE RS FE ";

/* Are the characters [from, to) of text all within low..high? */
static bool
span(const char *text, size_t from, size_t to, char low, char high)
{
	for (size_t i = from; i < to; i++)
	{
		if (text[i] < low || text[i] > high)
			return false;
	}
	return true;
}

/* The reference: canonical number in out (9 bytes), or false. */
static bool
reference_normalise(const char *c, char *out)
{
	size_t		n = strlen(c);
	char		prefix[4];

	if (n >= 1 && n <= 8 && span(c, 0, n, '0', '9'))
	{
		memset(out, '0', 8 - n);
		memcpy(out + 8 - n, c, n);
		out[8] = '\0';
		return !span(out, 0, 8, '0', '0');
	}
	if (n != 8)
		return false;
	snprintf(prefix, sizeof(prefix), "%c%c ", c[0], c[1]);
	if (strstr(prefixes, prefix) == NULL || (strstr(prefixes, prefix) - prefixes) % 3 != 0)
		return false;
	memcpy(out, c, 9);
	if (span(c, 2, 8, '0', '9'))
		return !span(c, 2, 8, '0', '0');
	return (strcmp(prefix, "IP ") == 0 || strcmp(prefix, "SP ") == 0 || strcmp(prefix, "RS ") == 0) &&
		span(c, 2, 7, '0', '9') && span(c, 7, 8, 'A', 'Z') && !span(c, 2, 7, '0', '0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		output[UK_COMPANY_NUMBER_BUFFER_SIZE];
	char		expected[UK_COMPANY_NUMBER_BUFFER_SIZE];
	char	   *compact = NULL;
	bool		reference = reference_compact(data, size, &compact) && reference_normalise(compact, expected);

	if (fuzz_check_normalise(uk_company_number_normalise, reference, data, size, output, sizeof(output)))
	{
		const UkCompanyNumberKind *kind = uk_company_number_kind(output);

		FUZZ_CHECK(strcmp(output, expected) == 0);
		FUZZ_CHECK(strlen(output) == UK_COMPANY_NUMBER_LENGTH);
		FUZZ_CHECK(kind != NULL && kind->jurisdiction[0] != '\0' && kind->entity_type[0] != '\0');
		FUZZ_CHECK(strncmp(kind->prefix, output, strlen(kind->prefix)) == 0);
		FUZZ_CHECK((kind->prefix[0] == '\0') == span(output, 0, 8, '0', '9'));
	}
	free(compact);
	return 0;
}
