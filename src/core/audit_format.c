/*
 * audit_format.c
 *		The canonical byte encoding of audit log entries (see audit_format.h
 *		for the format itself).  No PostgreSQL header: only bytes in, bytes
 *		out through the caller's sink.
 */
#include <string.h>

#include "audit_format.h"

/* Hand bytes to the sink. */
static void
put(AuditFormatSink *sink, const void *bytes, size_t length)
{
	sink->write(sink->state, bytes, length);
}

/* 4 bytes, big-endian. */
static void
store_uint32(unsigned char *bytes, uint32_t value)
{
	bytes[0] = (unsigned char) (value >> 24);
	bytes[1] = (unsigned char) (value >> 16);
	bytes[2] = (unsigned char) (value >> 8);
	bytes[3] = (unsigned char) value;
}

/* A one-byte tag and a 4-byte big-endian number, in one write. */
static void
put_tag_and_uint32(AuditFormatSink *sink, unsigned char tag, uint32_t value)
{
	unsigned char bytes[5];

	bytes[0] = tag;
	store_uint32(bytes + 1, value);
	put(sink, bytes, sizeof(bytes));
}

/*
 * audit_format_begin
 *		Start an entry: the domain string with its terminating zero byte, then
 *		the previous entry's chain hash (all zeros when there is none).
 */
void
audit_format_begin(AuditFormatSink *sink, const unsigned char *previous_hash)
{
	static const unsigned char zeros[AUDIT_FORMAT_HASH_LENGTH] = {0};

	put(sink, AUDIT_FORMAT_DOMAIN, sizeof(AUDIT_FORMAT_DOMAIN));
	put(sink, previous_hash != NULL ? previous_hash : zeros, AUDIT_FORMAT_HASH_LENGTH);
}

/* A NULL field: the presence byte 0x00 alone. */
void
audit_format_null(AuditFormatSink *sink)
{
	static const unsigned char absent = 0x00;

	put(sink, &absent, 1);
}

/* A present field: 0x01, the 4-byte big-endian length, the bytes. */
void
audit_format_field(AuditFormatSink *sink, const void *bytes, uint32_t length)
{
	put_tag_and_uint32(sink, 0x01, length);
	if (length > 0)
		put(sink, bytes, length);
}

/* 4 bytes, big-endian. */
void
audit_format_uint32(AuditFormatSink *sink, uint32_t value)
{
	unsigned char bytes[4];

	store_uint32(bytes, value);
	put(sink, bytes, sizeof(bytes));
}

/* 8 bytes, big-endian, two's complement. */
void
audit_format_int64(AuditFormatSink *sink, int64_t value)
{
	audit_format_uint64(sink, (uint64_t) value);
}

/* 8 bytes, big-endian. */
void
audit_format_uint64(AuditFormatSink *sink, uint64_t value)
{
	unsigned char bytes[8];
	int			i;

	for (i = 7; i >= 0; i--)
	{
		bytes[i] = (unsigned char) value;
		value >>= 8;
	}
	put(sink, bytes, sizeof(bytes));
}

/* family 4 or 6, the mask length, then the address bytes. */
void
audit_format_inet(AuditFormatSink *sink, int family, int bits,
				  const unsigned char *address, int address_length)
{
	unsigned char header[2];

	header[0] = (unsigned char) family;
	header[1] = (unsigned char) bits;
	put(sink, header, sizeof(header));
	put(sink, address, (size_t) address_length);
}

/* null, false or true: the kind byte alone. */
void
audit_format_json_token(AuditFormatSink *sink, char kind)
{
	put(sink, &kind, 1);
}

/* string or number: the kind byte, the length, the text. */
void
audit_format_json_text(AuditFormatSink *sink, char kind, const char *text, uint32_t length)
{
	put_tag_and_uint32(sink, (unsigned char) kind, length);
	if (length > 0)
		put(sink, text, length);
}

/* array or object: the kind byte and the element (or pair) count. */
void
audit_format_json_container(AuditFormatSink *sink, char kind, uint32_t count)
{
	put_tag_and_uint32(sink, (unsigned char) kind, count);
}
