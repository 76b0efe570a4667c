/*
 * messages.c
 *		pactoria_quote_prefix(): the part of a value a message may quote.
 *
 * A message names the bad value, but a hostile caller chooses the value: a
 * 10 MB argument quoted whole writes 10 MB into the server log and into the
 * client's error.  Every message quoting a value given to pactoria quotes it
 * through this function (or its SQL twin pactoria.quote_prefix), which keeps
 * the first PACTORIA_QUOTE_PREFIX_CHARACTERS characters and says how long the
 * whole value was.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "messages.h"

PG_FUNCTION_INFO_V1(pactoria_quote_prefix_sql);

/*
 * quote_prefix_of
 *		The first PACTORIA_QUOTE_PREFIX_CHARACTERS characters of length bytes,
 *		then "... (N characters)" when the value is longer; palloc'd.  Never
 *		cuts a multibyte character.
 */
static char *
quote_prefix_of(const char *bytes, int length)
{
	int			prefix_bytes = 0;
	int			characters = 0;
	StringInfoData result;

	while (prefix_bytes < length && characters < PACTORIA_QUOTE_PREFIX_CHARACTERS)
	{
		prefix_bytes += pg_mblen(bytes + prefix_bytes);
		characters++;
	}
	if (prefix_bytes >= length)
		return pnstrdup(bytes, length);
	initStringInfo(&result);
	appendBinaryStringInfo(&result, bytes, prefix_bytes);
	appendStringInfo(&result, "... (%d characters)", pg_mbstrlen_with_len(bytes, length));
	return result.data;
}

/*
 * pactoria_quote_prefix
 *		What a message quotes of a C string: the string itself when it has at
 *		most PACTORIA_QUOTE_PREFIX_CHARACTERS characters, else its first ones
 *		and its length; "NULL" for NULL.
 */
char *
pactoria_quote_prefix(const char *value)
{
	if (value == NULL)
		return pstrdup("NULL");
	return quote_prefix_of(value, (int) strnlen(value, MaxAllocSize));
}

/*
 * pactoria_quote_prefix_sql
 *		pactoria.quote_prefix(text): the same, for messages raised in SQL.
 */
Datum
pactoria_quote_prefix_sql(PG_FUNCTION_ARGS)
{
	text	   *value = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TEXT_P(cstring_to_text(quote_prefix_of(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value))));
}
