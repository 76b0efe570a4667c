/*
 * personal_data.c
 *		Reading the personal values of audit entries, which the audit trigger
 *		stores encrypted under the key of the person a row is about
 *		(audit_trigger.c, audit.personal_columns; keys in tenant_keys.c), and
 *		the invalidation trigger of pactoria.person_keys.
 *
 * A personal value in old_values or new_values is the object
 *	{"$personal": base64 of a ciphertext, "person": the person's id}
 * whose clear text is {"v": the value's jsonb}, bound to the
 * person and to resource_type.column.  pactoria.reveal_personal_values()
 * puts the values back for the company in context; a value whose person's
 * key was destroyed by pactoria.erase_personal_data() reads "[erased]".  The
 * stored entries never change, so the audit chain, whose hashes cover the
 * ciphertext, verifies before and after an erasure.
 */
#include "postgres.h"

#include "common/base64.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

#include "audit_relation.h"
#include "data_cipher.h"
#include "personal_data.h"
#include "tenant_context.h"
#include "tenant_keys.h"
#include "trigger_guard.h"

/* The longest base64 text of a personal value's ciphertext read. */
#define PERSONAL_ENCODED_MAX (4 * 1024 * 1024)

/* A string member of an object container, or NULL. */
static JsonbValue *
string_member(JsonbContainer *container, const char *name, JsonbValue *out)
{
	JsonbValue	key;
	JsonbValue *found;

	key.type = jbvString;
	key.val.string.val = (char *) name;
	key.val.string.len = strlen(name);
	found = findJsonbValueFromContainer(container, JB_FOBJECT, &key);
	if (found == NULL || found->type != jbvString)
		return NULL;
	*out = *found;
	return out;
}

static void
report_bad_personal_value(const char *column)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("personal value of \"%s\" does not decrypt", column),
			 errdetail("It was altered, or it belongs to another company, person or column.")));
}

/*
 * The clear jsonb of one personal value object (the "[erased]" string once
 * the person's key was destroyed), or NULL when the object is not one.
 */
static Jsonb *
reveal(JsonbContainer *object, const pg_uuid_t *company_id, const char *binding, const char *column)
{
	JsonbValue	encoded_value;
	JsonbValue	person_value;
	char	   *person_text;
	pg_uuid_t	person_id;
	char	   *ciphertext;
	int			ciphertext_length;
	text	   *clear;
	bool		erased;
	Jsonb	   *wrapped;
	JsonbValue *element;

	if (string_member(object, PERSONAL_KEY, &encoded_value) == NULL
		|| string_member(object, "person", &person_value) == NULL)
		return NULL;
	person_text = pnstrdup(person_value.val.string.val, Min(person_value.val.string.len, 64));
	if (!pactoria_parse_uuid(person_text, &person_id) || encoded_value.val.string.len > PERSONAL_ENCODED_MAX)
		report_bad_personal_value(column);
	ciphertext = palloc(pg_b64_dec_len(encoded_value.val.string.len) + 1);
	ciphertext_length = pg_b64_decode(encoded_value.val.string.val, encoded_value.val.string.len, ciphertext,
									  pg_b64_dec_len(encoded_value.val.string.len));
	if (ciphertext_length < 0)
		report_bad_personal_value(column);
	clear = pactoria_decrypt_personal(company_id, &person_id, binding, strlen(binding), ciphertext,
									  ciphertext_length, &erased);
	if (clear == NULL && erased)
	{
		JsonbValue	value;

		value.type = jbvString;
		value.val.string.val = ERASED_VALUE;
		value.val.string.len = strlen(ERASED_VALUE);
		return JsonbValueToJsonb(&value);
	}
	if (clear == NULL)
		report_bad_personal_value(column);
	wrapped = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(text_to_cstring(clear))));
	element = NULL;
	if (JB_ROOT_IS_OBJECT(wrapped) && !JB_ROOT_IS_SCALAR(wrapped))
	{
		JsonbValue	key;

		key.type = jbvString;
		key.val.string.val = "v";
		key.val.string.len = 1;
		element = findJsonbValueFromContainer(&wrapped->root, JB_FOBJECT, &key);
	}
	if (element == NULL)
		report_bad_personal_value(column);
	return JsonbValueToJsonb(element);
}

/* A string member's key or value pushed into a jsonb being built. */
static void
push_text(JsonbParseState **state, JsonbIteratorToken token, const char *string, int length)
{
	JsonbValue	value;

	value.type = jbvString;
	value.val.string.val = (char *) string;
	value.val.string.len = length;
	(void) pushJsonbValue(state, token, &value);
}

/*
 * personal_value_object
 *		The stored form of one personal value: clear (the text of
 *		{"v": its jsonb}) encrypted under the person's key and bound to
 *		binding, as {"$personal": base64, "person": id}; the string
 *		"[erased]" once that key was destroyed.  The caller wipes clear.
 */
Jsonb *
personal_value_object(const pg_uuid_t *company_id, const pg_uuid_t *person_id,
					  const char *binding, const char *clear)
{
	JsonbParseState *state = NULL;
	bytea	   *ciphertext;
	char	   *encoded;
	int			encoded_length;
	char	   *person;

	ciphertext = pactoria_encrypt_personal(company_id, person_id, binding, strlen(binding),
										   clear, strlen(clear));
	if (ciphertext == NULL)
	{
		JsonbValue	erased;

		erased.type = jbvString;
		erased.val.string.val = ERASED_VALUE;
		erased.val.string.len = strlen(ERASED_VALUE);
		return JsonbValueToJsonb(&erased);
	}
	encoded_length = pg_b64_enc_len(VARSIZE(ciphertext) - VARHDRSZ);
	encoded = palloc(encoded_length + 1);
	encoded_length = pg_b64_encode(VARDATA(ciphertext), VARSIZE(ciphertext) - VARHDRSZ, encoded, encoded_length);
	if (encoded_length < 0)
		elog(ERROR, "could not encode a personal value");
	person = DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum((pg_uuid_t *) person_id)));
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	push_text(&state, WJB_KEY, PERSONAL_KEY, strlen(PERSONAL_KEY));
	push_text(&state, WJB_VALUE, encoded, encoded_length);
	push_text(&state, WJB_KEY, "person", 6);
	push_text(&state, WJB_VALUE, person, strlen(person));
	return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
}

PG_FUNCTION_INFO_V1(pactoria_reveal_personal_values);

/*
 * pactoria.reveal_personal_values(values jsonb, resource_type text) -> jsonb:
 * an entry's old_values or new_values with its personal values in clear
 * (or "[erased]"), for the company in the tenant context.
 */
Datum
pactoria_reveal_personal_values(PG_FUNCTION_ARGS)
{
	Jsonb	   *values = PG_GETARG_JSONB_P(0);
	text	   *resource_type = PG_GETARG_TEXT_PP(1);
	char	   *resource = text_to_cstring(resource_type);
	pg_uuid_t	company_id;
	JsonbParseState *state = NULL;
	JsonbIterator *iterator;
	JsonbValue	value;
	JsonbIteratorToken token;
	char	   *key = NULL;
	bool		changed = false;
	JsonbValue *result = NULL;

	if (!JB_ROOT_IS_OBJECT(values) || JB_ROOT_IS_SCALAR(values))
		PG_RETURN_JSONB_P(values);
	if (strlen(resource) > NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("a resource type has at most %d bytes", NAMEDATALEN)));
	if (!pactoria_context_company_id(&company_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("no tenant context is set"),
				 errdetail("Personal values are read with the keys of the people of the company in the tenant context."),
				 errhint("Call pactoria.resume_session(session_token) in this transaction first.")));

	iterator = JsonbIteratorInit(&values->root);
	while ((token = JsonbIteratorNext(&iterator, &value, true)) != WJB_DONE)
	{
		if (token == WJB_KEY)
		{
			key = pnstrdup(value.val.string.val, value.val.string.len);
			pushJsonbValue(&state, token, &value);
			continue;
		}
		if (token == WJB_VALUE && value.type == jbvBinary && key != NULL && strlen(key) < NAMEDATALEN
			&& JsonContainerIsObject(value.val.binary.data))
		{
			char	   *binding = psprintf("%s.%s", resource, key);
			Jsonb	   *clear = reveal(value.val.binary.data, &company_id, binding, key);

			if (clear != NULL)
			{
				JsonbValue	replacement;

				changed = true;
				if (JB_ROOT_IS_SCALAR(clear))
					(void) JsonbExtractScalar(&clear->root, &replacement);
				else
				{
					replacement.type = jbvBinary;
					replacement.val.binary.data = &clear->root;
					replacement.val.binary.len = VARSIZE(clear) - VARHDRSZ;
				}
				pushJsonbValue(&state, WJB_VALUE, &replacement);
				continue;
			}
		}
		result = pushJsonbValue(&state, token, token < WJB_BEGIN_ARRAY ? &value : NULL);
	}
	if (!changed || result == NULL)
		PG_RETURN_JSONB_P(values);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(result));
}

PG_FUNCTION_INFO_V1(pactoria_person_keys_changed);

/*
 * pactoria.person_keys_changed(): AFTER statement trigger of person_keys:
 * every backend drops its cached keys, so an erasure is seen at once.
 */
Datum
pactoria_person_keys_changed(PG_FUNCTION_ARGS)
{
	return pactoria_tracked_table_changed(fcinfo, "person_keys_changed", "person_keys");
}
