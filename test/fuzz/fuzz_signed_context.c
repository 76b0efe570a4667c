/*
 * fuzz_signed_context.c
 *		libFuzzer target of the signed-context and token text core
 *		(src/core/signed_context.c).  Checks, on every input:
 *	- signed_context_parse() never reads past the input, and whatever it
 *	  accepts formats back (payload + MAC) to exactly the input: one spelling
 *	  per value, so no two texts carry the same signed content;
 *	- the payload it formats from parts it made parses back to the same parts;
 *	- session_token_decode() accepts only 92-byte inputs with the prefix, and
 *	  what it decodes re-encodes (base64url, no padding) to the input.
 *
 * Build (test/fuzz/run.sh builds every test/fuzz/fuzz_<name>.c so, against all
 * of src/core/):
 *	clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *		test/fuzz/fuzz_signed_context.c src/core/signed_context.c -o fuzz_signed_context
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "signed_context.h"

static const char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that AddressSanitizer sees any read past the end. */
	char	   *text = malloc(size > 0 ? size : 1);
	SignedContextParts parts;
	uint8_t		raw[SESSION_TOKEN_RAW_LENGTH];

	FUZZ_CHECK(text != NULL);
	memcpy(text, data, size);

	if (signed_context_parse(text, size, &parts))
	{
		char		formatted[SIGNED_CONTEXT_MAX_LEN + 1];
		size_t		length = signed_context_format_payload(&parts, formatted);
		SignedContextParts again;

		FUZZ_CHECK(length == parts.signed_length);
		FUZZ_CHECK(memcmp(formatted, text, length) == 0);
		length = signed_context_append_mac(formatted, length, parts.mac);
		FUZZ_CHECK(length == size && memcmp(formatted, text, size) == 0);
		FUZZ_CHECK(signed_context_parse(formatted, length, &again));
		FUZZ_CHECK(memcmp(&again.company_id, &parts.company_id, sizeof(parts.company_id)) == 0);
		FUZZ_CHECK(again.expires == parts.expires && again.mfa_pending == parts.mfa_pending);
	}

	if (session_token_decode(text, size, "pct_s_", raw))
	{
		char		encoded[SESSION_TOKEN_LENGTH];
		size_t		out = 6;
		uint32_t	bits = 0;
		int			bit_count = 0;
		size_t		i;

		FUZZ_CHECK(size == SESSION_TOKEN_LENGTH && memcmp(text, "pct_s_", 6) == 0);
		memcpy(encoded, "pct_s_", 6);
		for (i = 0; i < SESSION_TOKEN_RAW_LENGTH; i++)
		{
			bits = (bits << 8) | raw[i];
			bit_count += 8;
			while (bit_count >= 6)
			{
				bit_count -= 6;
				encoded[out++] = base64url[(bits >> bit_count) & 63];
			}
		}
		encoded[out++] = base64url[(bits << (6 - bit_count)) & 63];
		FUZZ_CHECK(out == SESSION_TOKEN_LENGTH);
		FUZZ_CHECK(memcmp(encoded, text, SESSION_TOKEN_LENGTH) == 0);
	}
	free(text);
	return 0;
}
