/*
 * fuzz_totp_core.c
 *		libFuzzer target of the TOTP text and layout core (src/core/totp_core.c).
 *		Checks, on every input:
 *	- base32: what base32_decode() accepts re-encodes (upper-cased) to the
 *	  input, and encoding any bytes decodes back to them;
 *	- totp_truncate() is below 10^digits and totp_format() writes exactly
 *	  digits digits, which totp_parse_code() reads back;
 *	- totp_parse_code() accepts only digits (one middle space at most) and
 *	  backup_code_normalise() only 16 base32 characters, and a formatted
 *	  backup code normalises to its bare characters;
 *	- uri_escape() writes only unreserved characters and %XX, at most 3 bytes
 *	  per byte;
 *	- seal_parse() never reads past the input and splits it into parts that
 *	  add up to its length.
 *
 * Build (test/fuzz/run.sh builds every test/fuzz/fuzz_<name>.c so, against all
 * of src/core/):
 *	clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *		test/fuzz/fuzz_totp_core.c src/core/totp_core.c -o fuzz_totp_core
 */
#include "fuzz_common.h"
#include "totp_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that AddressSanitizer sees any read past the end. */
	char	   *text = malloc(size > 0 ? size : 1);
	uint8_t    *decoded = malloc(size * 5 / 8 + 1);
	char	   *encoded = malloc(base32_encoded_len(size) + 1);
	char	   *escaped = malloc(3 * size + 1);
	uint8_t    *again = malloc(size + 1);
	char		code[TOTP_MAX_DIGITS + 1];
	char		bare[BACKUP_CODE_CHARS + 1];
	SealParts	parts;
	long		n;
	size_t		escaped_len;

	FUZZ_CHECK(text && decoded && encoded && escaped && again);
	memcpy(text, data, size);

	/* base32 both ways. */
	n = base32_decode(text, size, decoded);
	if (n >= 0)
	{
		FUZZ_CHECK((size_t) n == size * 5 / 8);
		base32_encode(decoded, (size_t) n, encoded);
		FUZZ_CHECK(strlen(encoded) == size);
		for (size_t i = 0; i < size; i++)
		{
			char		c = text[i] >= 'a' && text[i] <= 'z' ? (char) (text[i] - 32) : text[i];

			FUZZ_CHECK(encoded[i] == c);
		}
	}
	base32_encode(data, size, encoded);
	FUZZ_CHECK(strlen(encoded) == base32_encoded_len(size));
	FUZZ_CHECK(base32_decode(encoded, strlen(encoded), again) == (long) size);
	FUZZ_CHECK(size == 0 || memcmp(again, data, size) == 0);

	/* Codes. */
	if (size >= 20)
	{
		for (int digits = TOTP_MIN_DIGITS; digits <= TOTP_MAX_DIGITS; digits++)
		{
			uint32_t	value = totp_truncate(data, size, digits);
			char		parsed[TOTP_MAX_DIGITS + 1];
			uint32_t	limit = digits == 6 ? 1000000u : digits == 7 ? 10000000u : 100000000u;

			FUZZ_CHECK(value < limit);
			totp_format(value, digits, code);
			FUZZ_CHECK(strlen(code) == (size_t) digits);
			FUZZ_CHECK(totp_parse_code(code, (size_t) digits, digits, parsed) && strcmp(parsed, code) == 0);
		}
	}
	if (totp_parse_code(text, size, 6, code))
	{
		FUZZ_CHECK(size == 6 || size == 7);
		FUZZ_CHECK(strlen(code) == 6 && strspn(code, "0123456789") == 6);
	}

	/* Backup codes. */
	if (backup_code_normalise(text, size, bare))
		FUZZ_CHECK(strlen(bare) == BACKUP_CODE_CHARS && strspn(bare, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == BACKUP_CODE_CHARS);
	if (size >= BACKUP_CODE_BYTES)
	{
		char		formatted[BACKUP_CODE_FORMATTED_LEN + 1];
		char		plain[BACKUP_CODE_CHARS + 1];

		backup_code_format(data, formatted);
		FUZZ_CHECK(strlen(formatted) == BACKUP_CODE_FORMATTED_LEN);
		FUZZ_CHECK(backup_code_normalise(formatted, strlen(formatted), bare));
		base32_encode(data, BACKUP_CODE_BYTES, plain);
		FUZZ_CHECK(strcmp(bare, plain) == 0);
	}

	/* URI escaping. */
	escaped_len = uri_escape(text, size, escaped);
	FUZZ_CHECK(escaped_len >= size && escaped_len <= 3 * size && strlen(escaped) == escaped_len);
	for (size_t i = 0; i < escaped_len; i++)
	{
		if (escaped[i] == '%')
		{
			FUZZ_CHECK(i + 2 < escaped_len);
			FUZZ_CHECK(strchr("0123456789ABCDEF", escaped[i + 1]) && strchr("0123456789ABCDEF", escaped[i + 2]));
			i += 2;
		}
		else
			FUZZ_CHECK(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", escaped[i]) && escaped[i] != '\0');
	}

	/* Sealed layout. */
	if (seal_parse(data, size, &parts))
	{
		FUZZ_CHECK(size > SEAL_OVERHEAD && data[0] == SEAL_VERSION);
		FUZZ_CHECK(parts.ciphertext_len + SEAL_OVERHEAD == size);
		FUZZ_CHECK(parts.key_id == data + 1 && parts.tag + SEAL_TAG_LEN == data + size);
	}
	else
		FUZZ_CHECK(size <= SEAL_OVERHEAD || data[0] != SEAL_VERSION);

	free(text);
	free(decoded);
	free(encoded);
	free(escaped);
	free(again);
	return 0;
}
