/*
 * totp.c
 *		TOTP second factor (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps,
 *		one step either side accepted) and the text helpers of enrolment.
 *
 * A TOTP secret is sealed (secret_seal.c) as soon as it is made and opened
 * only inside pactoria.totp_match(), which answers the step a code matched,
 * never the secret.  The step lets the caller refuse a code used before
 * (after_step): each code is accepted once.  The arithmetic and the text
 * forms are in totp_core.c, which includes no PostgreSQL header.
 */
#include "postgres.h"

#include "common/hmac.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "secret_seal.h"
#include "totp_core.h"

/* The purpose of the subkey TOTP secrets are sealed under. */
#define TOTP_SEAL_PURPOSE "totp-secret-v1"
/* A TOTP secret: RFC 4226 asks for at least 128 bits, 160 recommended; 64 bytes is HMAC-SHA1's block. */
#define TOTP_SECRET_MIN 16
#define TOTP_SECRET_MAX 64
/* Associated data names a company and a user: short. */
#define TOTP_ASSOCIATED_MAX 256

/* Seconds since the Unix epoch of a timestamptz, or an error before 1970 or at infinity. */
static int64
unix_seconds(TimestampTz at)
{
	if (TIMESTAMP_NOT_FINITE(at) || at < -((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("TOTP time must be a finite time after 1970-01-01")));
	return at / USECS_PER_SEC + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
}

/* The RFC 4226 code of secret for one step. */
static uint32
hotp(const uint8 *secret, size_t secret_len, uint64 step, int digits)
{
	uint8		counter[8];
	uint8		digest[20];
	pg_hmac_ctx *ctx;
	bool		ok;

	totp_counter_bytes(step, counter);
	ctx = pg_hmac_create(PG_SHA1);
	if (ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	ok = pg_hmac_init(ctx, secret, secret_len) == 0 &&
		pg_hmac_update(ctx, counter, sizeof(counter)) == 0 &&
		pg_hmac_final(ctx, digest, sizeof(digest)) == 0;
	pg_hmac_free(ctx);
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not compute HMAC-SHA1")));
	return totp_truncate(digest, sizeof(digest), digits);
}

static void
check_secret_length(size_t len)
{
	if (len < TOTP_SECRET_MIN || len > TOTP_SECRET_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("TOTP secret has %zu bytes, not %d to %d", len, TOTP_SECRET_MIN, TOTP_SECRET_MAX)));
}

static void
check_associated(text *associated)
{
	if (VARSIZE_ANY_EXHDR(associated) < 1 || VARSIZE_ANY_EXHDR(associated) > TOTP_ASSOCIATED_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("associated data has %zu bytes, not 1 to %d",
						(size_t) VARSIZE_ANY_EXHDR(associated), TOTP_ASSOCIATED_MAX)));
}

PG_FUNCTION_INFO_V1(pactoria_totp_code);

/*
 * pactoria.totp_code(secret bytea, at timestamptz, digits integer): the code
 * an authenticator app shows at that time.  For tests (the RFC 6238 vectors)
 * and tools: it needs the clear secret, which pactoria never hands out again.
 */
Datum
pactoria_totp_code(PG_FUNCTION_ARGS)
{
	bytea	   *secret = PG_GETARG_BYTEA_PP(0);
	int64		seconds = unix_seconds(PG_GETARG_TIMESTAMPTZ(1));
	int32		digits = PG_GETARG_INT32(2);
	char		code[TOTP_MAX_DIGITS + 1];

	if (VARSIZE_ANY_EXHDR(secret) < 1 || VARSIZE_ANY_EXHDR(secret) > TOTP_SECRET_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("TOTP secret has %zu bytes, not 1 to %d",
						(size_t) VARSIZE_ANY_EXHDR(secret), TOTP_SECRET_MAX)));
	if (digits < TOTP_MIN_DIGITS || digits > TOTP_MAX_DIGITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("TOTP codes have %d to %d digits, not %d", TOTP_MIN_DIGITS, TOTP_MAX_DIGITS, digits)));
	totp_format(hotp((const uint8 *) VARDATA_ANY(secret), VARSIZE_ANY_EXHDR(secret),
					 (uint64) (seconds / TOTP_STEP_SECONDS), digits),
				digits, code);
	PG_RETURN_TEXT_P(cstring_to_text(code));
}

PG_FUNCTION_INFO_V1(pactoria_seal_totp_secret);

/*
 * pactoria.seal_totp_secret(secret bytea, associated text): the secret
 * sealed under the server key, bound to associated (its owner).  Owner only.
 */
Datum
pactoria_seal_totp_secret(PG_FUNCTION_ARGS)
{
	bytea	   *secret = PG_GETARG_BYTEA_PP(0);
	text	   *associated = PG_GETARG_TEXT_PP(1);

	check_secret_length(VARSIZE_ANY_EXHDR(secret));
	check_associated(associated);
	PG_RETURN_BYTEA_P(pactoria_seal(TOTP_SEAL_PURPOSE, (const uint8 *) VARDATA_ANY(secret),
									VARSIZE_ANY_EXHDR(secret), VARDATA_ANY(associated),
									VARSIZE_ANY_EXHDR(associated)));
}

/* The clear secret of a sealed one, checked; the caller wipes and frees it. */
static uint8 *
open_totp_secret(bytea *sealed, text *associated, size_t *len, bool *under_current)
{
	uint8	   *secret;

	check_associated(associated);
	secret = pactoria_unseal(TOTP_SEAL_PURPOSE, sealed, VARDATA_ANY(associated),
							 VARSIZE_ANY_EXHDR(associated), len, under_current);
	if (*len < TOTP_SECRET_MIN || *len > TOTP_SECRET_MAX)
	{
		explicit_bzero(secret, *len);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("sealed value is not a TOTP secret")));
	}
	return secret;
}

PG_FUNCTION_INFO_V1(pactoria_totp_match);

/*
 * pactoria.totp_match(sealed bytea, associated text, code text, at
 * timestamptz, after_step bigint) -> bigint: the step (at's, or one either
 * side) whose 6-digit code the given code is, if that step is after
 * after_step; NULL when it matches none (a malformed code included).  All
 * three steps are computed and compared in constant time.  Owner only.
 */
Datum
pactoria_totp_match(PG_FUNCTION_ARGS)
{
	bytea	   *sealed = PG_GETARG_BYTEA_PP(0);
	text	   *associated = PG_GETARG_TEXT_PP(1);
	text	   *code_text = PG_GETARG_TEXT_PP(2);
	int64		seconds = unix_seconds(PG_GETARG_TIMESTAMPTZ(3));
	int64		after_step = PG_GETARG_INT64(4);
	char		typed[TOTP_MAX_DIGITS + 1];
	uint8	   *secret;
	size_t		secret_len;
	bool		under_current;
	bool		well_formed;
	int64		now_step = seconds / TOTP_STEP_SECONDS;
	int64		matched = -1;

	well_formed = totp_parse_code(VARDATA_ANY(code_text), VARSIZE_ANY_EXHDR(code_text), 6, typed);
	secret = open_totp_secret(sealed, associated, &secret_len, &under_current);
	for (int64 step = now_step - 1; step <= now_step + 1; step++)
	{
		char		expected[TOTP_MAX_DIGITS + 1];
		uint8		difference = 0;

		if (step < 0)
			continue;
		totp_format(hotp(secret, secret_len, (uint64) step, 6), 6, expected);
		for (int i = 0; i < 6; i++)
			difference |= (uint8) (expected[i] ^ typed[i]);
		if (well_formed && difference == 0 && step > after_step && matched < 0)
			matched = step;
		explicit_bzero(expected, sizeof(expected));
	}
	explicit_bzero(secret, secret_len);
	pfree(secret);
	if (matched < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(matched);
}

PG_FUNCTION_INFO_V1(pactoria_reseal_totp_secret);

/*
 * pactoria.reseal_totp_secret(sealed bytea, associated text): the secret
 * sealed afresh under the current server key when it was sealed under the
 * retired one; NULL when it already is under the current key.  Owner only.
 */
Datum
pactoria_reseal_totp_secret(PG_FUNCTION_ARGS)
{
	bytea	   *sealed = PG_GETARG_BYTEA_PP(0);
	text	   *associated = PG_GETARG_TEXT_PP(1);
	uint8	   *secret;
	size_t		secret_len;
	bool		under_current;
	bytea	   *resealed = NULL;

	secret = open_totp_secret(sealed, associated, &secret_len, &under_current);
	if (!under_current)
		resealed = pactoria_seal(TOTP_SEAL_PURPOSE, secret, secret_len, VARDATA_ANY(associated),
								 VARSIZE_ANY_EXHDR(associated));
	explicit_bzero(secret, secret_len);
	pfree(secret);
	if (resealed == NULL)
		PG_RETURN_NULL();
	PG_RETURN_BYTEA_P(resealed);
}

PG_FUNCTION_INFO_V1(pactoria_base32_encode);

/* pactoria.base32_encode(bytea): unpadded RFC 4648 base32, as authenticator apps take secrets. */
Datum
pactoria_base32_encode(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(data);
	char	   *out;

	if (len > TOTP_SECRET_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("base32_encode() takes at most %d bytes, not %zu", TOTP_SECRET_MAX, len)));
	out = palloc(base32_encoded_len(len) + 1);
	base32_encode((const uint8 *) VARDATA_ANY(data), len, out);
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

PG_FUNCTION_INFO_V1(pactoria_base32_decode);

/* pactoria.base32_decode(text): the bytes of unpadded base32 (either case); 22023 for anything else. */
Datum
pactoria_base32_decode(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(in);
	bytea	   *out;
	long		n;

	if (len > base32_encoded_len(TOTP_SECRET_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("base32_decode() takes at most %zu characters, not %zu", base32_encoded_len(TOTP_SECRET_MAX), len)));
	out = (bytea *) palloc(VARHDRSZ + len * 5 / 8 + 1);
	n = base32_decode(VARDATA_ANY(in), len, (uint8 *) VARDATA(out));
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid base32 \"%.*s\"", pg_mbcliplen(VARDATA_ANY(in), (int) len, 20), VARDATA_ANY(in)),
				 errdetail("Base32 is A to Z and 2 to 7, unpadded, with no bits left over.")));
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(pactoria_uri_escape);

/* pactoria.uri_escape(text): percent-encoding of a URI component (RFC 3986). */
Datum
pactoria_uri_escape(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(in);
	char	   *out;

	if (len > 1024)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("uri_escape() takes at most 1024 bytes, not %zu", len)));
	out = palloc(3 * len + 1);
	uri_escape(VARDATA_ANY(in), len, out);
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

PG_FUNCTION_INFO_V1(pactoria_backup_code_format);

/* pactoria.backup_code_format(random bytea): 10 random bytes as a backup code, ABCD-EFGH-IJKL-MNOP. */
Datum
pactoria_backup_code_format(PG_FUNCTION_ARGS)
{
	bytea	   *random = PG_GETARG_BYTEA_PP(0);
	char		out[BACKUP_CODE_FORMATTED_LEN + 1];

	if (VARSIZE_ANY_EXHDR(random) != BACKUP_CODE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a backup code is made of %d random bytes, not %zu",
						BACKUP_CODE_BYTES, (size_t) VARSIZE_ANY_EXHDR(random))));
	backup_code_format((const uint8 *) VARDATA_ANY(random), out);
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

PG_FUNCTION_INFO_V1(pactoria_backup_code_normalise);

/* pactoria.backup_code_normalise(text): a typed backup code's 16 characters, or NULL when it is not one. */
Datum
pactoria_backup_code_normalise(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	char		out[BACKUP_CODE_CHARS + 1];

	if (VARSIZE_ANY_EXHDR(in) > 64 ||
		!backup_code_normalise(VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in), out))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(out));
}
