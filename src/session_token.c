/*
 * session_token.c
 *		pactoria.parse_session_token(token, prefix): the company, the session and
 *		the SHA-256 of the secret of a session or refresh token, in C because
 *		the SQL functions of sessions parse one on every call.  Decoding is in
 *		core/signed_context.c (no PostgreSQL headers).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "session_token.h"
#include "signed_context.h"

/* See session_token.h. */
void
pactoria_token_secret_digest(const uint8 *secret, uint8 digest[PG_SHA256_DIGEST_LENGTH])
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, secret, SESSION_TOKEN_SECRET_LENGTH) < 0 ||
		pg_cryptohash_final(ctx, digest, PG_SHA256_DIGEST_LENGTH) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not compute a SHA-256 digest")));
	pg_cryptohash_free(ctx);
}

PG_FUNCTION_INFO_V1(pactoria_parse_session_token);

Datum
pactoria_parse_session_token(PG_FUNCTION_ARGS)
{
	TupleDesc	descriptor;
	Datum		values[3] = {0, 0, 0};
	bool		nulls[3] = {true, true, true};

	if (get_call_result_type(fcinfo, NULL, &descriptor) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("parse_session_token() must return a record")));
	descriptor = BlessTupleDesc(descriptor);

	if (!PG_ARGISNULL(0) && !PG_ARGISNULL(1))
	{
		text	   *token = PG_GETARG_TEXT_PP(0);
		char	   *prefix = text_to_cstring(PG_GETARG_TEXT_PP(1));
		uint8		raw[SESSION_TOKEN_RAW_LENGTH];

		if (session_token_decode(VARDATA_ANY(token), VARSIZE_ANY_EXHDR(token), prefix, raw))
		{
			pg_uuid_t  *company_id = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));
			pg_uuid_t  *session_id = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));
			bytea	   *digest = (bytea *) palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);

			pactoria_token_secret_digest(raw + 2 * UUID_LEN, (uint8 *) VARDATA(digest));
			SET_VARSIZE(digest, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
			memcpy(company_id->data, raw, UUID_LEN);
			memcpy(session_id->data, raw + UUID_LEN, UUID_LEN);
			explicit_bzero(raw, sizeof(raw));
			values[0] = UUIDPGetDatum(company_id);
			values[1] = UUIDPGetDatum(session_id);
			values[2] = PointerGetDatum(digest);
			nulls[0] = nulls[1] = nulls[2] = false;
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(descriptor, values, nulls)));
}
