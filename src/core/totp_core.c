/*
 * totp_core.c
 *		TOTP codes, base32, backup codes, URI escaping and the sealed-secret
 *		layout: see totp_core.h.  Pure C, no PostgreSQL header.
 */
#include "totp_core.h"

#include <string.h>

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static const uint32_t powers_of_ten[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

uint32_t
totp_truncate(const uint8_t *hmac, size_t hmac_len, int digits)
{
	size_t		offset = hmac[hmac_len - 1] & 0x0f;
	uint32_t	binary;

	/* offset is at most 15, and 15 + 4 <= 20 <= hmac_len. */
	binary = ((uint32_t) (hmac[offset] & 0x7f) << 24) |
		((uint32_t) hmac[offset + 1] << 16) |
		((uint32_t) hmac[offset + 2] << 8) |
		(uint32_t) hmac[offset + 3];
	return binary % powers_of_ten[digits];
}

void
totp_format(uint32_t code, int digits, char out[TOTP_MAX_DIGITS + 1])
{
	for (int i = digits - 1; i >= 0; i--)
	{
		out[i] = (char) ('0' + code % 10);
		code /= 10;
	}
	out[digits] = '\0';
}

bool
totp_parse_code(const char *text, size_t len, int digits, char out[TOTP_MAX_DIGITS + 1])
{
	size_t		n = 0;
	size_t		half = (size_t) digits / 2;

	if (len != (size_t) digits && !(len == (size_t) digits + 1 && text[half] == ' '))
		return false;
	for (size_t i = 0; i < len; i++)
	{
		if (len != (size_t) digits && i == half)
			continue;
		if (text[i] < '0' || text[i] > '9')
			return false;
		out[n++] = text[i];
	}
	out[n] = '\0';
	return true;
}

void
totp_counter_bytes(uint64_t step, uint8_t out[8])
{
	for (int i = 7; i >= 0; i--)
	{
		out[i] = (uint8_t) (step & 0xff);
		step >>= 8;
	}
}

size_t
base32_encoded_len(size_t len)
{
	return (len * 8 + 4) / 5;
}

void
base32_encode(const uint8_t *in, size_t len, char *out)
{
	uint32_t	buffer = 0;
	int			bits = 0;
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		buffer = (buffer << 8) | in[i];
		bits += 8;
		while (bits >= 5)
		{
			out[n++] = base32_alphabet[(buffer >> (bits - 5)) & 0x1f];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[n++] = base32_alphabet[(buffer << (5 - bits)) & 0x1f];
	out[n] = '\0';
}

long
base32_decode(const char *in, size_t len, uint8_t *out)
{
	uint32_t	buffer = 0;
	int			bits = 0;
	long		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		char		c = in[i];
		int			value;

		if (c >= 'A' && c <= 'Z')
			value = c - 'A';
		else if (c >= 'a' && c <= 'z')
			value = c - 'a';
		else if (c >= '2' && c <= '7')
			value = c - '2' + 26;
		else
			return -1;
		buffer = ((buffer << 5) | (uint32_t) value) & 0xfff;
		bits += 5;
		if (bits >= 8)
		{
			out[n++] = (uint8_t) (buffer >> (bits - 8));
			bits -= 8;
		}
	}
	/* What is left must be fewer than 5 bits, all zero. */
	if (bits >= 5 || (buffer & ((1u << bits) - 1)) != 0)
		return -1;
	return n;
}

void
backup_code_format(const uint8_t random[BACKUP_CODE_BYTES], char out[BACKUP_CODE_FORMATTED_LEN + 1])
{
	char		bare[BACKUP_CODE_CHARS + 1];
	size_t		n = 0;

	base32_encode(random, BACKUP_CODE_BYTES, bare);
	for (size_t i = 0; i < BACKUP_CODE_CHARS; i++)
	{
		if (i > 0 && i % 4 == 0)
			out[n++] = '-';
		out[n++] = bare[i];
	}
	out[n] = '\0';
}

bool
backup_code_normalise(const char *text, size_t len, char out[BACKUP_CODE_CHARS + 1])
{
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		char		c = text[i];

		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char) (c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) || n == BACKUP_CODE_CHARS)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == BACKUP_CODE_CHARS;
}

size_t
uri_escape(const char *in, size_t len, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) in[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '-' || c == '.' || c == '_' || c == '~')
			out[n++] = (char) c;
		else
		{
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 0x0f];
		}
	}
	out[n] = '\0';
	return n;
}

bool
seal_parse(const uint8_t *sealed, size_t len, SealParts *parts)
{
	return sealed_layout_parse(sealed, len, SEAL_VERSION, 1, parts);
}

bool
sealed_layout_parse(const uint8_t *sealed, size_t len, uint8_t version, size_t min_ciphertext, SealParts *parts)
{
	if (len < SEAL_OVERHEAD + min_ciphertext || sealed[0] != version)
		return false;
	parts->key_id = sealed + 1;
	parts->nonce = sealed + 1 + SEAL_KEY_ID_LEN;
	parts->ciphertext = sealed + SEAL_HEADER_LEN;
	parts->ciphertext_len = len - SEAL_OVERHEAD;
	parts->tag = sealed + len - SEAL_TAG_LEN;
	return true;
}

void
seal_write_header(const uint8_t key_id[SEAL_KEY_ID_LEN], const uint8_t nonce[SEAL_NONCE_LEN],
				  uint8_t out[SEAL_HEADER_LEN])
{
	sealed_layout_write_header(SEAL_VERSION, key_id, nonce, out);
}

void
sealed_layout_write_header(uint8_t version, const uint8_t key_id[SEAL_KEY_ID_LEN],
						   const uint8_t nonce[SEAL_NONCE_LEN], uint8_t out[SEAL_HEADER_LEN])
{
	out[0] = version;
	memcpy(out + 1, key_id, SEAL_KEY_ID_LEN);
	memcpy(out + 1 + SEAL_KEY_ID_LEN, nonce, SEAL_NONCE_LEN);
}
