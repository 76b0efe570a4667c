/*
 * uk_validators.c
 *		SQL interface of the UK validators: the functions validate_*,
 *		normalise_*, uk_company_number_info and uk_postcode_parts, and the
 *		input and receive functions of the types pactoria.uk_company_number,
 *		pactoria.uk_postcode and pactoria.uk_vat_number.
 *
 * The rules themselves live in the pure C files src/core/uk_company_number.c,
 * uk_postcode.c and uk_vat_number.c; this file only moves values between
 * PostgreSQL and them.  A value of one of the three types is a varlena
 * holding the canonical ASCII text, laid out exactly as text, so the types
 * share text's output and send functions, bytea's byte-wise comparison and
 * hashing, and are binary-coercible to text (see 10_uk_validators.sql).
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "uk_company_number.h"
#include "uk_identifier.h"
#include "uk_postcode.h"
#include "uk_vat_number.h"

StaticAssertDecl(UK_COMPANY_NUMBER_BUFFER_SIZE <= UK_IDENTIFIER_BUFFER_SIZE &&
				 UK_POSTCODE_BUFFER_SIZE <= UK_IDENTIFIER_BUFFER_SIZE &&
				 UK_VAT_NUMBER_BUFFER_SIZE <= UK_IDENTIFIER_BUFFER_SIZE,
				 "UK_IDENTIFIER_BUFFER_SIZE must hold every canonical form");

/* Longest part of a rejected value that an error message quotes, in bytes. */
#define UK_SHOWN_VALUE_MAX 64

/* One kind of UK identifier: its rules, and how its errors name it. */
typedef struct UkIdentifier
{
	const char *noun;			/* "UK postcode", in "invalid UK postcode" */
	bool		(*normalise) (const char *input, size_t length, char *output,
							  const char **rule_broken);
	const char *hint;			/* errhint of every rejection */
} UkIdentifier;

static const UkIdentifier uk_company_number = {
	"UK company number", uk_company_number_normalise,
	"A UK company number is 8 digits (00644831), a prefix such as SC and 6 digits (SC123456), "
	"or IP, SP or RS with 5 digits and a letter (IP00141R)."
};

static const UkIdentifier uk_postcode = {
	"UK postcode", uk_postcode_normalise,
	"A UK postcode is an outward code such as SW1A and an inward code such as 1AA, as in SW1A 1AA."
};

static const UkIdentifier uk_vat_number = {
	"UK VAT number", uk_vat_number_normalise,
	"A UK VAT number is GB or XI and 9 or 12 digits (GB980780684), "
	"GBGD000 to GBGD499, or GBHA500 to GBHA999."
};

/*
 * shown_value
 *		The rejected value as an error message quotes it: whole when short,
 *		else its first UK_SHOWN_VALUE_MAX bytes (cut at a character boundary)
 *		and "...", so a megabyte of input does not become a megabyte of log.
 */
static char *
shown_value(const char *input, size_t length)
{
	if (length <= UK_SHOWN_VALUE_MAX)
		return pnstrdup(input, length);
	return psprintf("%.*s...", pg_mbcliplen(input, (int) length, UK_SHOWN_VALUE_MAX), input);
}

/*
 * uk_normalise_or_error
 *		Write the canonical form of input into output, or raise 22023 naming
 *		the value and the first rule it breaks.
 */
static void
uk_normalise_or_error(const UkIdentifier *identifier, const char *input,
					  size_t length, char output[UK_IDENTIFIER_BUFFER_SIZE])
{
	const char *rule_broken;

	if (!identifier->normalise(input, length, output, &rule_broken))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s \"%s\": %s", identifier->noun,
						shown_value(input, length), rule_broken),
				 errhint("%s", identifier->hint)));
}

/*
 * uk_validate
 *		Is the text a valid identifier?  Works on the argument's bytes in
 *		place and allocates nothing: this is the per-row hot path.
 */
static Datum
uk_validate(const UkIdentifier *identifier, FunctionCallInfo fcinfo)
{
	text	   *input = PG_GETARG_TEXT_PP(0);
	char		output[UK_IDENTIFIER_BUFFER_SIZE];
	const char *rule_broken;

	PG_RETURN_BOOL(identifier->normalise(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input),
										 output, &rule_broken));
}

/*
 * uk_normalise
 *		The canonical form of the text argument, as a value of the type (the
 *		same bytes as text), or an error.  Also the cast from text.  Input that
 *		is already canonical is returned as it came, without a copy: stored
 *		values usually are.
 */
static Datum
uk_normalise(const UkIdentifier *identifier, FunctionCallInfo fcinfo)
{
	text	   *input = PG_GETARG_TEXT_PP(0);
	const char *bytes = VARDATA_ANY(input);
	size_t		length = VARSIZE_ANY_EXHDR(input);
	char		output[UK_IDENTIFIER_BUFFER_SIZE];
	size_t		output_length;

	uk_normalise_or_error(identifier, bytes, length, output);
	output_length = strlen(output);
	if (output_length == length && memcmp(output, bytes, length) == 0)
		PG_RETURN_TEXT_P(input);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(output, (int) output_length));
}

/*
 * uk_input
 *		Type input function: normalise the literal, so that whatever the user
 *		typed is stored canonical, or refuse it with the normalise error.
 */
static Datum
uk_input(const UkIdentifier *identifier, FunctionCallInfo fcinfo)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char		output[UK_IDENTIFIER_BUFFER_SIZE];

	uk_normalise_or_error(identifier, input, strlen(input), output);
	PG_RETURN_TEXT_P(cstring_to_text(output));
}

/*
 * uk_receive
 *		Type receive function: the binary form is text's, and it is checked
 *		and normalised like the text form, so no invalid value gets in.
 */
static Datum
uk_receive(const UkIdentifier *identifier, FunctionCallInfo fcinfo)
{
	StringInfo	buffer = (StringInfo) PG_GETARG_POINTER(0);
	char		output[UK_IDENTIFIER_BUFFER_SIZE];
	int			length;
	char	   *input = pq_getmsgtext(buffer, buffer->len - buffer->cursor, &length);

	uk_normalise_or_error(identifier, input, length, output);
	pfree(input);
	PG_RETURN_TEXT_P(cstring_to_text(output));
}

/* A text datum of the length bytes at start. */
static Datum
text_datum(const char *start, size_t length)
{
	return PointerGetDatum(cstring_to_text_with_len(start, (int) length));
}

/* The composite result type of the function being called, blessed. */
static TupleDesc
result_tuple_descriptor(FunctionCallInfo fcinfo)
{
	TupleDesc	descriptor;

	if (get_call_result_type(fcinfo, NULL, &descriptor) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	return BlessTupleDesc(descriptor);
}

PG_FUNCTION_INFO_V1(pactoria_validate_uk_company_number);
PG_FUNCTION_INFO_V1(pactoria_normalise_uk_company_number);
PG_FUNCTION_INFO_V1(pactoria_uk_company_number_in);
PG_FUNCTION_INFO_V1(pactoria_uk_company_number_recv);
PG_FUNCTION_INFO_V1(pactoria_uk_company_number_info);
PG_FUNCTION_INFO_V1(pactoria_validate_uk_postcode);
PG_FUNCTION_INFO_V1(pactoria_normalise_uk_postcode);
PG_FUNCTION_INFO_V1(pactoria_uk_postcode_in);
PG_FUNCTION_INFO_V1(pactoria_uk_postcode_recv);
PG_FUNCTION_INFO_V1(pactoria_uk_postcode_parts);
PG_FUNCTION_INFO_V1(pactoria_validate_uk_vat_number);
PG_FUNCTION_INFO_V1(pactoria_normalise_uk_vat_number);
PG_FUNCTION_INFO_V1(pactoria_uk_vat_number_in);
PG_FUNCTION_INFO_V1(pactoria_uk_vat_number_recv);

/* The entry points of each type: one line each over the helpers above. */
Datum
pactoria_validate_uk_company_number(PG_FUNCTION_ARGS)
{
	return uk_validate(&uk_company_number, fcinfo);
}

Datum
pactoria_normalise_uk_company_number(PG_FUNCTION_ARGS)
{
	return uk_normalise(&uk_company_number, fcinfo);
}

Datum
pactoria_uk_company_number_in(PG_FUNCTION_ARGS)
{
	return uk_input(&uk_company_number, fcinfo);
}

Datum
pactoria_uk_company_number_recv(PG_FUNCTION_ARGS)
{
	return uk_receive(&uk_company_number, fcinfo);
}

Datum
pactoria_validate_uk_postcode(PG_FUNCTION_ARGS)
{
	return uk_validate(&uk_postcode, fcinfo);
}

Datum
pactoria_normalise_uk_postcode(PG_FUNCTION_ARGS)
{
	return uk_normalise(&uk_postcode, fcinfo);
}

Datum
pactoria_uk_postcode_in(PG_FUNCTION_ARGS)
{
	return uk_input(&uk_postcode, fcinfo);
}

Datum
pactoria_uk_postcode_recv(PG_FUNCTION_ARGS)
{
	return uk_receive(&uk_postcode, fcinfo);
}

Datum
pactoria_validate_uk_vat_number(PG_FUNCTION_ARGS)
{
	return uk_validate(&uk_vat_number, fcinfo);
}

Datum
pactoria_normalise_uk_vat_number(PG_FUNCTION_ARGS)
{
	return uk_normalise(&uk_vat_number, fcinfo);
}

Datum
pactoria_uk_vat_number_in(PG_FUNCTION_ARGS)
{
	return uk_input(&uk_vat_number, fcinfo);
}

Datum
pactoria_uk_vat_number_recv(PG_FUNCTION_ARGS)
{
	return uk_receive(&uk_vat_number, fcinfo);
}

/*
 * uk_company_number_info(text): the canonical number, its prefix (NULL for
 * an all-digit number), the register it belongs to and the kind of body, so
 * a caller can explain a number without knowing the prefix list.
 */
Datum
pactoria_uk_company_number_info(PG_FUNCTION_ARGS)
{
	text	   *input = PG_GETARG_TEXT_PP(0);
	char		canonical[UK_IDENTIFIER_BUFFER_SIZE];
	const UkCompanyNumberKind *kind;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	TupleDesc	descriptor = result_tuple_descriptor(fcinfo);

	uk_normalise_or_error(&uk_company_number, VARDATA_ANY(input),
						  VARSIZE_ANY_EXHDR(input), canonical);
	kind = uk_company_number_kind(canonical);

	values[0] = text_datum(canonical, UK_COMPANY_NUMBER_LENGTH);
	values[1] = text_datum(kind->prefix, strlen(kind->prefix));
	nulls[1] = (kind->prefix[0] == '\0');
	values[2] = text_datum(kind->jurisdiction, strlen(kind->jurisdiction));
	values[3] = text_datum(kind->entity_type, strlen(kind->entity_type));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(descriptor, values, nulls)));
}

/*
 * uk_postcode_parts(text): area, district, sector, unit, outward and inward
 * code of a postcode, as Royal Mail names them ("SW", "SW1A", "SW1A 1",
 * "SW1A 1AA", "SW1A", "1AA"), for grouping and matching by part.
 */
Datum
pactoria_uk_postcode_parts(PG_FUNCTION_ARGS)
{
	text	   *input = PG_GETARG_TEXT_PP(0);
	char		canonical[UK_IDENTIFIER_BUFFER_SIZE];
	UkPostcodeParts parts;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	TupleDesc	descriptor = result_tuple_descriptor(fcinfo);

	uk_normalise_or_error(&uk_postcode, VARDATA_ANY(input),
						  VARSIZE_ANY_EXHDR(input), canonical);
	uk_postcode_parts(canonical, &parts);

	values[0] = text_datum(canonical, parts.area_length);
	values[1] = text_datum(canonical, parts.outward_length);
	values[2] = text_datum(canonical, parts.outward_length + 2);
	values[3] = text_datum(canonical, parts.length);
	values[4] = text_datum(canonical, parts.outward_length);
	values[5] = text_datum(canonical + parts.outward_length + 1, 3);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(descriptor, values, nulls)));
}
