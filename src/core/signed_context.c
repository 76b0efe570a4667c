/*
 * signed_context.c
 *		Parsing and formatting the text of a signed tenant context; no
 *		PostgreSQL headers, no cryptography (tenant_context.c signs and checks).
 */
#include <stdio.h>
#include <string.h>

#include "signed_context.h"

static const char hex_digits[] = "0123456789abcdef";

/* Lower-case hex digit value, or -1 (upper case is refused: one spelling only). */
static int
lower_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse exactly 2 * n lower-case hex digits followed by terminator. */
static bool
parse_hex(const char **p, const char *end, uint8_t *out, size_t n, char terminator)
{
	size_t		i;

	if ((size_t) (end - *p) < 2 * n + (terminator != '\0' ? 1 : 0))
		return false;
	for (i = 0; i < n; i++)
	{
		int			high = lower_hex_value((*p)[2 * i]);
		int			low = lower_hex_value((*p)[2 * i + 1]);

		if (high < 0 || low < 0)
			return false;
		out[i] = (uint8_t) (high << 4 | low);
	}
	*p += 2 * n;
	if (terminator != '\0')
	{
		if (**p != terminator)
			return false;
		(*p)++;
	}
	return true;
}

bool
signed_context_parse(const char *text, size_t length, SignedContextParts *parts)
{
	const char *p = text;
	const char *end = text + length;
	int64_t		expires = 0;
	int			digits = 0;

	if (length < 3 || length > SIGNED_CONTEXT_MAX_LEN || memcmp(p, "v1.", 3) != 0)
		return false;
	p += 3;
	if (!parse_hex(&p, end, parts->company_id, SIGNED_CONTEXT_ID_LEN, '.') ||
		!parse_hex(&p, end, parts->user_id, SIGNED_CONTEXT_ID_LEN, '.') ||
		!parse_hex(&p, end, parts->session_id, SIGNED_CONTEXT_ID_LEN, '.'))
		return false;
	/* 1 to 18 decimal digits, no sign, no leading zero: one spelling per value. */
	while (p < end && *p >= '0' && *p <= '9')
	{
		if (digits == 0 && *p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
			return false;
		if (++digits > 18)
			return false;
		expires = expires * 10 + (*p - '0');
		p++;
	}
	if (digits == 0 || p >= end || *p != '.')
		return false;
	p++;
	if (end - p < 2 || (p[0] != 'f' && p[0] != 'm') || p[1] != '.')
		return false;
	parts->mfa_pending = p[0] == 'm';
	p += 1;
	parts->signed_length = (size_t) (p - text);
	p += 1;
	if (!parse_hex(&p, end, parts->mac, SIGNED_CONTEXT_MAC_LEN, '\0') || p != end)
		return false;
	parts->expires = expires;
	return true;
}

static size_t
append_hex(char *out, size_t length, const uint8_t *bytes, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		out[length++] = hex_digits[bytes[i] >> 4];
		out[length++] = hex_digits[bytes[i] & 15];
	}
	out[length] = '\0';
	return length;
}

size_t
signed_context_format_payload(const SignedContextParts *parts, char *out)
{
	size_t		length;
	int			written;

	memcpy(out, "v1.", 3);
	length = append_hex(out, 3, parts->company_id, SIGNED_CONTEXT_ID_LEN);
	out[length++] = '.';
	length = append_hex(out, length, parts->user_id, SIGNED_CONTEXT_ID_LEN);
	out[length++] = '.';
	length = append_hex(out, length, parts->session_id, SIGNED_CONTEXT_ID_LEN);
	written = snprintf(out + length, SIGNED_CONTEXT_MAX_LEN - length, ".%lld.%c",
					   (long long) (parts->expires < 0 ? 0 : parts->expires), parts->mfa_pending ? 'm' : 'f');
	return length + (size_t) written;
}

size_t
signed_context_append_mac(char *out, size_t length, const uint8_t mac[SIGNED_CONTEXT_MAC_LEN])
{
	out[length++] = '.';
	return append_hex(out, length, mac, SIGNED_CONTEXT_MAC_LEN);
}

/* Value of a base64url character, or -1. */
static int
base64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

bool
session_token_decode(const char *token, size_t length, const char *prefix,
					 uint8_t raw[SESSION_TOKEN_RAW_LENGTH])
{
	size_t		prefix_length = strlen(prefix);
	const char *p;
	uint32_t	bits = 0;
	int			bit_count = 0;
	size_t		out = 0;

	if (prefix_length != 6 || length != SESSION_TOKEN_LENGTH || memcmp(token, prefix, 6) != 0)
		return false;
	for (p = token + 6; p < token + length; p++)
	{
		int			value = base64url_value(*p);

		if (value < 0)
			return false;
		bits = (bits << 6) | (uint32_t) value;
		bit_count += 6;
		if (bit_count >= 8)
		{
			bit_count -= 8;
			if (out < SESSION_TOKEN_RAW_LENGTH)
				raw[out] = (uint8_t) (bits >> bit_count);
			out++;
			bits &= (1u << bit_count) - 1;
		}
	}
	/* 86 characters: 64 bytes and 4 bits left over, which must be zero. */
	return out == SESSION_TOKEN_RAW_LENGTH && bits == 0;
}
