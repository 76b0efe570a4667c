/*
 * uk_company_number.c
 *		UK company registration numbers: normalise, validate, classify.
 *
 * A company number is 8 characters: 8 digits (England and Wales companies),
 * or a two-character prefix and 6 digits (SC123456), or a registered-society
 * number: IP, SP or RS, 5 digits and a letter (IP00141R).  Branch numbers
 * (BR...) and mutuals numbers (MUT...) are not company numbers.
 *
 * Pure C: no PostgreSQL header (see uk_company_number.h).
 */
#include <string.h>

#include "uk_company_number.h"
#include "uk_identifier.h"

/*
 * The prefixes Companies House issues, with the register (jurisdiction) and
 * the kind of body each denotes.  Sources are listed in the README.
 */
static const UkCompanyNumberKind prefixes[] = {
	{"AC", "england_wales", "assurance_company"},
	{"ZC", "england_wales", "unregistered_company"},
	{"FC", "uk", "overseas"},
	{"GE", "england_wales", "european_economic_interest_grouping"},
	{"LP", "england_wales", "limited_partnership"},
	{"OC", "england_wales", "llp"},
	{"SE", "england_wales", "european_company"},
	{"SA", "scotland", "assurance_company"},
	{"SZ", "scotland", "unregistered_company"},
	{"SF", "scotland", "overseas"},
	{"GS", "scotland", "european_economic_interest_grouping"},
	{"SL", "scotland", "limited_partnership"},
	{"SO", "scotland", "llp"},
	{"SC", "scotland", "company"},
	{"ES", "scotland", "european_company"},
	{"NA", "northern_ireland", "assurance_company"},
	{"NZ", "northern_ireland", "unregistered_company"},
	{"NF", "northern_ireland", "overseas"},
	{"GN", "northern_ireland", "european_economic_interest_grouping"},
	{"NL", "northern_ireland", "limited_partnership"},
	{"NC", "northern_ireland", "llp"},
	{"R0", "northern_ireland", "company"},
	{"NI", "northern_ireland", "company"},
	{"EN", "northern_ireland", "european_company"},
	{"IP", "england_wales", "registered_society"},
	{"SP", "scotland", "registered_society"},
	{"IC", "england_wales", "investment_company_with_variable_capital"},
	{"SI", "scotland", "investment_company_with_variable_capital"},
	{"NP", "northern_ireland", "registered_society"},
	{"NV", "northern_ireland", "investment_company_with_variable_capital"},
	{"RC", "england_wales", "royal_charter"},
	{"SR", "scotland", "royal_charter"},
	{"NR", "northern_ireland", "royal_charter"},
	{"NO", "northern_ireland", "registered_society"},
	{"CE", "england_wales", "charitable_incorporated_organisation"},
	{"CS", "scotland", "charitable_incorporated_organisation"},
	{"SG", "scotland", "qualifying_partnership"},
	{"PC", "uk", "protected_cell_company"},
	{"OE", "uk", "overseas_entity"},
	{"RS", "uk", "registered_society"},
	{"FE", "england_wales", "further_education_corporation"},
};

/* An all-digit number: a company registered in England and Wales. */
static const UkCompanyNumberKind no_prefix = {"", "england_wales", "company"};

static const char rule_all_zeros[] = "its number part must not be all zeros";

/* The entry of the two characters at code, or NULL when they are no prefix. */
static const UkCompanyNumberKind *
find_prefix(const char *code)
{
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
	{
		if (prefixes[i].prefix[0] == code[0] && prefixes[i].prefix[1] == code[1])
			return &prefixes[i];
	}
	return NULL;
}

/*
 * prefixed_rule_broken
 *		The first rule a compacted number of n (1 to 8) characters that is
 *		not all digits breaks, or NULL when it is a valid prefixed number.
 */
static const char *
prefixed_rule_broken(const char *number, size_t n)
{
	const char *rest = number + 2;
	bool		society;

	if (n < 2 || find_prefix(number) == NULL)
		return "it is neither all digits nor a known prefix followed by 6 digits";
	society = (memcmp(number, "IP", 2) == 0 ||
			   memcmp(number, "SP", 2) == 0 ||
			   memcmp(number, "RS", 2) == 0);
	if (n == UK_COMPANY_NUMBER_LENGTH && uk_all_in_range(rest, 6, '0', '9'))
		return uk_all_in_range(rest, 6, '0', '0') ? rule_all_zeros : NULL;
	if (n == UK_COMPANY_NUMBER_LENGTH && society &&
		uk_all_in_range(rest, 5, '0', '9') && uk_is_letter(rest[5]))
		return uk_all_in_range(rest, 5, '0', '0') ? rule_all_zeros : NULL;
	if (society)
		return "a registered-society prefix (IP, SP, RS) must be followed by 6 digits, or by 5 digits and a letter";
	return "its prefix must be followed by 6 digits";
}

/*
 * uk_company_number_normalise
 *		Normalise a company number as typed and check it; true when valid.
 *
 * Normalising rejects non-ASCII input, removes all ASCII whitespace,
 * upper-cases, and left-pads an all-digit number of 1 to 7 digits with zeros
 * to 8 ("644831" is "00644831").  Digits after a prefix are never padded
 * ("SC1234" is invalid), and hyphens or other punctuation are not removed.
 * On success output holds the canonical NUL-terminated number; otherwise
 * *rule_broken names the first rule the input breaks.
 */
bool
uk_company_number_normalise(const char *input, size_t length,
							char output[UK_COMPANY_NUMBER_BUFFER_SIZE],
							const char **rule_broken)
{
	char		compact[UK_COMPANY_NUMBER_LENGTH];
	size_t		n;
	const char *rule;

	rule = uk_identifier_compact(input, length, compact, sizeof(compact), &n,
								 "it is longer than 8 characters (spaces not counted)");
	if (rule == NULL && uk_all_in_range(compact, n, '0', '9'))
	{
		if (uk_all_in_range(compact, n, '0', '0'))
			rule = rule_all_zeros;
		memset(output, '0', UK_COMPANY_NUMBER_LENGTH - n);
		memcpy(output + UK_COMPANY_NUMBER_LENGTH - n, compact, n);
	}
	else if (rule == NULL)
	{
		rule = prefixed_rule_broken(compact, n);
		memcpy(output, compact, n);
	}
	if (rule != NULL)
	{
		*rule_broken = rule;
		return false;
	}
	output[UK_COMPANY_NUMBER_LENGTH] = '\0';
	return true;
}

/*
 * uk_company_number_kind
 *		What the prefix of a canonical (valid) company number denotes.
 */
const UkCompanyNumberKind *
uk_company_number_kind(const char *canonical)
{
	const UkCompanyNumberKind *kind = find_prefix(canonical);

	return kind != NULL ? kind : &no_prefix;
}
