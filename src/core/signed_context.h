/*
 * signed_context.h
 *		The text form of a signed tenant context (pactoria.context), with no
 *		PostgreSQL headers so that it can be fuzzed on its own:
 *
 *		v1.<company hex32>.<user hex32>.<session hex32>.<expires unix s>.<f|m>.<hmac hex64>
 *
 *		The HMAC-SHA256 covers everything before the last dot.
 */
#ifndef PACTORIA_SIGNED_CONTEXT_H
#define PACTORIA_SIGNED_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIGNED_CONTEXT_ID_LEN 16
#define SIGNED_CONTEXT_MAC_LEN 32
/* "v1." + 3 * 33 + 20 digits + "." + "f." + 64 */
#define SIGNED_CONTEXT_MAX_LEN 200

typedef struct SignedContextParts
{
	uint8_t		company_id[SIGNED_CONTEXT_ID_LEN];
	uint8_t		user_id[SIGNED_CONTEXT_ID_LEN];
	uint8_t		session_id[SIGNED_CONTEXT_ID_LEN];
	int64_t		expires;		/* unix seconds */
	bool		mfa_pending;
	uint8_t		mac[SIGNED_CONTEXT_MAC_LEN];
	size_t		signed_length;	/* bytes of the text the MAC covers */
} SignedContextParts;

/* Parse text of the given length; false for anything not exactly the format. */
extern bool signed_context_parse(const char *text, size_t length, SignedContextParts *parts);

/*
 * Write the signed part (everything before the MAC, without the last dot)
 * into out (at least SIGNED_CONTEXT_MAX_LEN bytes); returns its length.
 */
extern size_t signed_context_format_payload(const SignedContextParts *parts, char *out);

/* Append "." and the MAC in hex to a payload of the given length; returns the new length. */
extern size_t signed_context_append_mac(char *out, size_t length, const uint8_t mac[SIGNED_CONTEXT_MAC_LEN]);



/*
 * A session or refresh token: a 6-character prefix ("pct_s_", "pct_r_") and
 * base64url without padding of company id (16) || session id (16) || secret (32).
 */
#define SESSION_TOKEN_LENGTH 92
#define SESSION_TOKEN_RAW_LENGTH 64

/* Decode a token with the given prefix into raw; false for anything else. */
extern bool session_token_decode(const char *token, size_t length, const char *prefix,
								 uint8_t raw[SESSION_TOKEN_RAW_LENGTH]);

#endif							/* PACTORIA_SIGNED_CONTEXT_H */
