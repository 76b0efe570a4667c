/*
 * audit_format.h
 *		The canonical byte encoding of an audit log entry, the input of its
 *		SHA-256 chain hash.  Plain C, no PostgreSQL header: the format is
 *		defined here once, so that an external verifier can be written from
 *		this file alone.
 *
 * chain_hash = SHA-256(AUDIT_FORMAT_DOMAIN, 0x00,
 *                      previous chain hash (32 bytes; zeros for the first),
 *                      field 1, ..., field AUDIT_FORMAT_FIELD_COUNT)
 *
 * Every field is one presence byte: 0x00 for SQL NULL (and nothing more), or
 * 0x01 followed by a 4-byte big-endian length and that many bytes of value:
 *
 *	 1 company_id        uuid: its 16 bytes
 *	 2 id                uuid
 *	 3 occurred_at       timestamptz: 8-byte big-endian signed microseconds
 *	                     since 2000-01-01 00:00:00 UTC
 *	 4 event_type        text: its bytes in the server encoding
 *	 5 resource_type     text
 *	 6 resource_id       uuid
 *	 7 contract_id       uuid
 *	 8 user_id           uuid
 *	 9 ip_address        inet: 1 byte family (4 or 6), 1 byte mask bits,
 *	                     then the 4 or 16 address bytes
 *	10 user_agent        text
 *	11 session_id        text
 *	12 old_values        jsonb: the token stream below
 *	13 new_values        jsonb
 *	14 changed_columns   text[]: 4-byte big-endian element count, then each
 *	                     element as a field (presence byte, length, bytes)
 *	15 additional_data   jsonb
 *	16 transaction_id    xid8: 8-byte big-endian unsigned
 *	17 chain_previous_hash  bytea: its bytes (set on commit entries only)
 *
 * chain_position, chain_sequence and chain_hash are not hashed: the first two
 * are the order of the chain, which the hashes link, and the last is the
 * result.
 *
 * A jsonb value is a token stream, depth first, object keys in jsonb's
 * stored order (by length, then bytes; duplicates removed), which is the
 * same for equal jsonb values; counts and lengths are 4-byte big-endian:
 *
 *	'n'                       null
 *	'f' / 't'                 false / true
 *	's' length bytes          string
 *	'd' length bytes          number, as numeric's text output
 *	'[' count elements...     array
 *	'{' count (key value)...  object; each key is encoded as a string
 *
 * A scalar jsonb document is encoded as the scalar alone.
 */
#ifndef PACTORIA_AUDIT_FORMAT_H
#define PACTORIA_AUDIT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define AUDIT_FORMAT_DOMAIN "pactoria.audit.v1"
#define AUDIT_FORMAT_HASH_LENGTH 32
#define AUDIT_FORMAT_FIELD_COUNT 17

/* jsonb token kinds */
#define AUDIT_JSON_NULL 'n'
#define AUDIT_JSON_FALSE 'f'
#define AUDIT_JSON_TRUE 't'
#define AUDIT_JSON_STRING 's'
#define AUDIT_JSON_NUMBER 'd'
#define AUDIT_JSON_ARRAY '['
#define AUDIT_JSON_OBJECT '{'

/*
 * Where encoded bytes go: the caller appends them to a buffer or feeds them
 * to a hash.  write must not fail (it may raise an error of its own).
 */
typedef struct AuditFormatSink
{
	void		(*write) (void *state, const void *bytes, size_t length);
	void	   *state;
} AuditFormatSink;

extern void audit_format_begin(AuditFormatSink *sink, const unsigned char *previous_hash);
extern void audit_format_null(AuditFormatSink *sink);
extern void audit_format_field(AuditFormatSink *sink, const void *bytes, uint32_t length);

/* Value encodings, unframed: the caller frames the result as one field. */
extern void audit_format_uint32(AuditFormatSink *sink, uint32_t value);
extern void audit_format_int64(AuditFormatSink *sink, int64_t value);
extern void audit_format_uint64(AuditFormatSink *sink, uint64_t value);
extern void audit_format_inet(AuditFormatSink *sink, int family, int bits,
							  const unsigned char *address, int address_length);
extern void audit_format_json_token(AuditFormatSink *sink, char kind);
extern void audit_format_json_text(AuditFormatSink *sink, char kind,
								   const char *text, uint32_t length);
extern void audit_format_json_container(AuditFormatSink *sink, char kind, uint32_t count);

#endif							/* PACTORIA_AUDIT_FORMAT_H */
