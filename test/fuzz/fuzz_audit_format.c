/*
 * fuzz_audit_format.c
 *		libFuzzer target of the canonical audit entry encoding
 *		(src/core/audit_format.c), the input of the chain hash that the audit
 *		trail's tamper evidence rests on.
 *
 * Input: two bytes choosing a byte of the encoding to change and one byte
 * the change (XOR, never 0), then the bytes that build an entry: whether it
 * has a previous hash (and its 32 bytes), then for each of the 17 fields
 * whether it is NULL and, if not, a value of the field's type, encoded the
 * way src/audit_chain.c does (uuid, text and bytea framed directly; the
 * others encoded unframed, then framed as one field).  Missing bytes read
 * as 0.  Checks, on every input:
 *	- the encoding is deterministic: encoding the entry twice gives the
 *	  same bytes, and no previous hash encodes as 32 zero bytes;
 *	- it round-trips: a decoder written from audit_format.h alone (not
 *	  from audit_format.c, and with the token kinds as the header documents
 *	  them, not its macros) reads back exactly the entry, consuming every
 *	  byte, so two different entries never share an encoding;
 *	- it is prefix-free: a proper prefix of an encoding decodes to nothing;
 *	- it is canonical: the encoding with one byte changed either decodes to
 *	  nothing or to a different entry whose encoding is exactly those
 *	  changed bytes, so an edited row cannot keep its hash input.
 *
 * Build (test/fuzz/run.sh builds every test/fuzz/fuzz_<name>.c so, against all
 * of src/core/):
 *	clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *		test/fuzz/fuzz_audit_format.c src/core/audit_format.c -o fuzz_audit_format
 */
#include "fuzz_common.h"
#include "audit_format.h"

_Static_assert(AUDIT_FORMAT_FIELD_COUNT == 17, "audit_format.h lists 17 fields");
_Static_assert(AUDIT_FORMAT_HASH_LENGTH == 32, "the chain hash is SHA-256");

#define FIELD_COUNT 17
#define HASH_LENGTH 32
#define UUID_LENGTH 16
#define MAX_TOKENS 64			/* jsonb tokens of one field */
#define MAX_DEPTH 4				/* jsonb nesting the generator makes */
#define MAX_ELEMENTS 16			/* elements of the text[] field */

/* The types of the fields, in the order of audit_format.h. */
typedef enum Kind
{
	KIND_UUID,
	KIND_TIMESTAMPTZ,
	KIND_TEXT,
	KIND_INET,
	KIND_JSONB,
	KIND_TEXT_ARRAY,
	KIND_XID8,
	KIND_BYTEA
} Kind;

static const Kind field_kinds[FIELD_COUNT] = {
	KIND_UUID, KIND_UUID, KIND_TIMESTAMPTZ, KIND_TEXT, KIND_TEXT,
	KIND_UUID, KIND_UUID, KIND_UUID, KIND_INET, KIND_TEXT,
	KIND_TEXT, KIND_JSONB, KIND_JSONB, KIND_TEXT_ARRAY,
	KIND_JSONB, KIND_XID8, KIND_BYTEA
};

typedef struct Bytes
{
	const uint8_t *data;
	uint32_t	length;
} Bytes;

/* One jsonb token: its kind, its count (containers) or text (strings, numbers). */
typedef struct JsonToken
{
	char		kind;
	uint32_t	count;
	Bytes		text;
} JsonToken;

typedef struct Field
{
	bool		present;
	Bytes		bytes;			/* uuid, text, bytea */
	uint64_t	number;			/* timestamptz (two's complement), xid8 */
	int			family;			/* inet: 4 or 6 */
	int			bits;
	uint8_t		address[16];
	JsonToken	tokens[MAX_TOKENS]; /* jsonb, depth first */
	size_t		token_count;
	bool		element_present[MAX_ELEMENTS];	/* text[] */
	Bytes		elements[MAX_ELEMENTS];
	size_t		element_count;
} Field;

typedef struct Entry
{
	bool		has_previous;
	uint8_t		previous[HASH_LENGTH];	/* zeros when !has_previous */
	Field		fields[FIELD_COUNT];
} Entry;

/* ---------------------------------------------------------------------
 * The entry, from the fuzzer's bytes
 * ---------------------------------------------------------------------
 */

static uint64_t
take_uint64(FuzzInput *in)
{
	uint64_t	value = 0;

	for (int i = 0; i < 8; i++)
		value = (value << 8) | fuzz_take_byte(in);
	return value;
}

/* Up to 254 bytes as one byte says, or (255) every byte left. */
static Bytes
take_bytes(FuzzInput *in)
{
	uint8_t		wanted = fuzz_take_byte(in);
	size_t		left = in->size - in->at;
	size_t		length = wanted == 255 || wanted > left ? left : wanted;
	Bytes		bytes = {in->data + in->at, (uint32_t) length};

	in->at += length;
	return bytes;
}

/* Exactly n bytes (zeros past the end of the input), into a buffer of n. */
static void
take_exact(FuzzInput *in, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = fuzz_take_byte(in);
}

/*
 * One jsonb value, depth first, into field->tokens; needs one free token.
 * A container's count is what fitted in MAX_TOKENS.
 */
static void
make_json(FuzzInput *in, Field *field, int depth)
{
	static const char scalar_kinds[] = {AUDIT_JSON_NULL, AUDIT_JSON_FALSE, AUDIT_JSON_TRUE,
	AUDIT_JSON_STRING, AUDIT_JSON_NUMBER};
	uint8_t		choice = fuzz_take_byte(in);
	JsonToken  *token = &field->tokens[field->token_count++];

	memset(token, 0, sizeof(*token));
	if (depth < MAX_DEPTH && (choice & 0x80))
	{
		bool		object = (choice & 0x40) != 0;
		uint32_t	wanted = choice & 0x07;
		uint32_t	count = 0;

		token->kind = object ? AUDIT_JSON_OBJECT : AUDIT_JSON_ARRAY;
		while (count < wanted && MAX_TOKENS - field->token_count >= (object ? 2u : 1u))
		{
			if (object)
			{
				JsonToken  *key = &field->tokens[field->token_count++];

				memset(key, 0, sizeof(*key));
				key->kind = AUDIT_JSON_STRING;
				key->text = take_bytes(in);
			}
			make_json(in, field, depth + 1);
			count++;
		}
		token->count = count;
		return;
	}
	token->kind = scalar_kinds[choice % sizeof(scalar_kinds)];
	if (token->kind == AUDIT_JSON_STRING || token->kind == AUDIT_JSON_NUMBER)
		token->text = take_bytes(in);
}

static void
make_entry(FuzzInput *in, Entry *entry)
{
	memset(entry, 0, sizeof(*entry));
	entry->has_previous = fuzz_take_byte(in) & 1;
	if (entry->has_previous)
		take_exact(in, entry->previous, HASH_LENGTH);

	for (int i = 0; i < FIELD_COUNT; i++)
	{
		Field	   *field = &entry->fields[i];

		field->present = fuzz_take_byte(in) & 1;
		if (!field->present)
			continue;
		switch (field_kinds[i])
		{
			case KIND_UUID:
				{
					/* 16 bytes of the input when there are, else zeros */
					static const uint8_t zeros[UUID_LENGTH];
					size_t		left = in->size - in->at;

					field->bytes.data = left >= UUID_LENGTH ? in->data + in->at : zeros;
					field->bytes.length = UUID_LENGTH;
					in->at += left >= UUID_LENGTH ? UUID_LENGTH : left;
				}
				break;
			case KIND_TIMESTAMPTZ:
			case KIND_XID8:
				field->number = take_uint64(in);
				break;
			case KIND_TEXT:
			case KIND_BYTEA:
				field->bytes = take_bytes(in);
				break;
			case KIND_INET:
				{
					uint8_t		choice = fuzz_take_byte(in);
					int			address_length;

					field->family = (choice & 1) ? 6 : 4;
					address_length = field->family == 6 ? 16 : 4;
					field->bits = fuzz_take_byte(in) % (8 * address_length + 1);
					take_exact(in, field->address, (size_t) address_length);
				}
				break;
			case KIND_JSONB:
				make_json(in, field, 0);
				break;
			case KIND_TEXT_ARRAY:
				field->element_count = fuzz_take_byte(in) % (MAX_ELEMENTS + 1);
				for (size_t e = 0; e < field->element_count; e++)
				{
					field->element_present[e] = fuzz_take_byte(in) & 1;
					if (field->element_present[e])
						field->elements[e] = take_bytes(in);
				}
				break;
		}
	}
}

/* ---------------------------------------------------------------------
 * Encoding, through audit_format.h, as src/audit_chain.c does
 * ---------------------------------------------------------------------
 */

typedef struct Buffer
{
	uint8_t    *data;
	size_t		length;
	size_t		capacity;
} Buffer;

static void
buffer_write(void *state, const void *bytes, size_t length)
{
	Buffer	   *buffer = state;

	if (buffer->length + length > buffer->capacity)
	{
		buffer->capacity = 2 * (buffer->length + length) + 64;
		buffer->data = realloc(buffer->data, buffer->capacity);
		FUZZ_CHECK(buffer->data != NULL);
	}
	if (length > 0)
		memcpy(buffer->data + buffer->length, bytes, length);
	buffer->length += length;
}

static AuditFormatSink
buffer_sink(Buffer *buffer)
{
	AuditFormatSink sink = {buffer_write, buffer};

	return sink;
}

static void
encode_json(AuditFormatSink *sink, const Field *field)
{
	for (size_t t = 0; t < field->token_count; t++)
	{
		const JsonToken *token = &field->tokens[t];

		switch (token->kind)
		{
			case AUDIT_JSON_NULL:
			case AUDIT_JSON_FALSE:
			case AUDIT_JSON_TRUE:
				audit_format_json_token(sink, token->kind);
				break;
			case AUDIT_JSON_STRING:
			case AUDIT_JSON_NUMBER:
				audit_format_json_text(sink, token->kind, (const char *) token->text.data,
									   token->text.length);
				break;
			default:
				audit_format_json_container(sink, token->kind, token->count);
				break;
		}
	}
}

static void
encode_entry(const Entry *entry, Buffer *out)
{
	AuditFormatSink sink = buffer_sink(out);
	Buffer		value = {NULL, 0, 0};
	AuditFormatSink value_sink = buffer_sink(&value);

	out->length = 0;
	audit_format_begin(&sink, entry->has_previous ? entry->previous : NULL);
	for (int i = 0; i < FIELD_COUNT; i++)
	{
		const Field *field = &entry->fields[i];

		if (!field->present)
		{
			audit_format_null(&sink);
			continue;
		}
		value.length = 0;
		switch (field_kinds[i])
		{
			case KIND_UUID:
			case KIND_TEXT:
			case KIND_BYTEA:
				audit_format_field(&sink, field->bytes.data, field->bytes.length);
				continue;
			case KIND_TIMESTAMPTZ:
				audit_format_int64(&value_sink, (int64_t) field->number);
				break;
			case KIND_XID8:
				audit_format_uint64(&value_sink, field->number);
				break;
			case KIND_INET:
				audit_format_inet(&value_sink, field->family, field->bits, field->address,
								  field->family == 6 ? 16 : 4);
				break;
			case KIND_JSONB:
				encode_json(&value_sink, field);
				break;
			case KIND_TEXT_ARRAY:
				audit_format_uint32(&value_sink, (uint32_t) field->element_count);
				for (size_t e = 0; e < field->element_count; e++)
				{
					if (field->element_present[e])
						audit_format_field(&value_sink, field->elements[e].data, field->elements[e].length);
					else
						audit_format_null(&value_sink);
				}
				break;
		}
		audit_format_field(&sink, value.data, (uint32_t) value.length);
	}
	free(value.data);
}

/* ---------------------------------------------------------------------
 * Decoding, from the format as audit_format.h documents it
 * ---------------------------------------------------------------------
 */

typedef struct Reader
{
	const uint8_t *data;
	size_t		length;
	size_t		at;
} Reader;

static bool
read_bytes(Reader *r, size_t n, Bytes *out)
{
	if (r->length - r->at < n)
		return false;
	out->data = r->data + r->at;
	out->length = (uint32_t) n;
	r->at += n;
	return true;
}

static bool
read_byte(Reader *r, uint8_t *out)
{
	Bytes		b;

	if (!read_bytes(r, 1, &b))
		return false;
	*out = b.data[0];
	return true;
}

static bool
read_uint32(Reader *r, uint32_t *out)
{
	Bytes		b;

	if (!read_bytes(r, 4, &b))
		return false;
	*out = ((uint32_t) b.data[0] << 24) | ((uint32_t) b.data[1] << 16) |
		((uint32_t) b.data[2] << 8) | (uint32_t) b.data[3];
	return true;
}

/* A field's framing: 0x00 alone, or 0x01, a 4-byte length, the bytes. */
static bool
read_framed(Reader *r, bool *present, Bytes *value)
{
	uint8_t		presence;
	uint32_t	length;

	if (!read_byte(r, &presence))
		return false;
	if (presence == 0x00)
	{
		*present = false;
		return true;
	}
	if (presence != 0x01 || !read_uint32(r, &length))
		return false;
	*present = true;
	return read_bytes(r, length, value);
}

/* One jsonb value, depth first; the depth bounds the recursion on any bytes. */
static bool
read_json(Reader *r, Field *field, int depth)
{
	JsonToken  *token;
	uint8_t		kind;

	if (depth > 64 || field->token_count == MAX_TOKENS || !read_byte(r, &kind))
		return false;
	token = &field->tokens[field->token_count++];
	memset(token, 0, sizeof(*token));
	token->kind = (char) kind;
	switch (kind)
	{
		case 'n':
		case 'f':
		case 't':
			return true;
		case 's':
		case 'd':
			{
				uint32_t	length;

				return read_uint32(r, &length) && read_bytes(r, length, &token->text);
			}
		case '[':
		case '{':
			if (!read_uint32(r, &token->count))
				return false;
			for (uint32_t i = 0; i < token->count; i++)
			{
				if (kind == '{')
				{
					/* a key: a string */
					if (r->at >= r->length || r->data[r->at] != 's' || !read_json(r, field, depth + 1))
						return false;
				}
				if (!read_json(r, field, depth + 1))
					return false;
			}
			return true;
		default:
			return false;
	}
}

static uint64_t
big_endian_uint64(const uint8_t *bytes)
{
	uint64_t	value = 0;

	for (int i = 0; i < 8; i++)
		value = (value << 8) | bytes[i];
	return value;
}

static bool
decode_value(Kind kind, Bytes value, Field *field)
{
	Reader		r = {value.data, value.length, 0};

	switch (kind)
	{
		case KIND_UUID:
			field->bytes = value;
			return value.length == UUID_LENGTH;
		case KIND_TEXT:
		case KIND_BYTEA:
			field->bytes = value;
			return true;
		case KIND_TIMESTAMPTZ:
		case KIND_XID8:
			if (value.length != 8)
				return false;
			field->number = big_endian_uint64(value.data);
			return true;
		case KIND_INET:
			{
				size_t		address_length;

				if (value.length < 2 || (value.data[0] != 4 && value.data[0] != 6))
					return false;
				field->family = value.data[0];
				field->bits = value.data[1];
				address_length = field->family == 6 ? 16 : 4;
				if (value.length != 2 + address_length || field->bits > (int) (8 * address_length))
					return false;
				memcpy(field->address, value.data + 2, address_length);
				return true;
			}
		case KIND_JSONB:
			return read_json(&r, field, 0) && r.at == r.length;
		case KIND_TEXT_ARRAY:
			{
				uint32_t	count;

				if (!read_uint32(&r, &count) || count > MAX_ELEMENTS)
					return false;
				field->element_count = count;
				for (uint32_t e = 0; e < count; e++)
				{
					if (!read_framed(&r, &field->element_present[e], &field->elements[e]))
						return false;
				}
				return r.at == r.length;
			}
	}
	return false;
}

static bool
decode_entry(const uint8_t *data, size_t length, Entry *entry)
{
	Reader		r = {data, length, 0};
	Bytes		bytes;

	memset(entry, 0, sizeof(*entry));
	/* the domain with its terminating zero byte, then the previous hash */
	if (!read_bytes(&r, sizeof(AUDIT_FORMAT_DOMAIN), &bytes) ||
		memcmp(bytes.data, AUDIT_FORMAT_DOMAIN, sizeof(AUDIT_FORMAT_DOMAIN)) != 0 ||
		!read_bytes(&r, HASH_LENGTH, &bytes))
		return false;
	entry->has_previous = true;
	memcpy(entry->previous, bytes.data, HASH_LENGTH);

	for (int i = 0; i < FIELD_COUNT; i++)
	{
		Field	   *field = &entry->fields[i];

		if (!read_framed(&r, &field->present, &bytes))
			return false;
		if (field->present && !decode_value(field_kinds[i], bytes, field))
			return false;
	}
	return r.at == r.length;
}

/* ---------------------------------------------------------------------
 * Comparing entries, by content
 * ---------------------------------------------------------------------
 */

static bool
bytes_equal(Bytes a, Bytes b)
{
	return a.length == b.length && (a.length == 0 || memcmp(a.data, b.data, a.length) == 0);
}

static bool
fields_equal(Kind kind, const Field *a, const Field *b)
{
	if (a->present != b->present)
		return false;
	if (!a->present)
		return true;
	switch (kind)
	{
		case KIND_UUID:
		case KIND_TEXT:
		case KIND_BYTEA:
			return bytes_equal(a->bytes, b->bytes);
		case KIND_TIMESTAMPTZ:
		case KIND_XID8:
			return a->number == b->number;
		case KIND_INET:
			return a->family == b->family && a->bits == b->bits &&
				memcmp(a->address, b->address, a->family == 6 ? 16 : 4) == 0;
		case KIND_JSONB:
			if (a->token_count != b->token_count)
				return false;
			for (size_t t = 0; t < a->token_count; t++)
			{
				const JsonToken *x = &a->tokens[t];
				const JsonToken *y = &b->tokens[t];

				if (x->kind != y->kind || !bytes_equal(x->text, y->text) ||
					((x->kind == AUDIT_JSON_ARRAY || x->kind == AUDIT_JSON_OBJECT) && x->count != y->count))
					return false;
			}
			return true;
		case KIND_TEXT_ARRAY:
			if (a->element_count != b->element_count)
				return false;
			for (size_t e = 0; e < a->element_count; e++)
			{
				if (a->element_present[e] != b->element_present[e] ||
					(a->element_present[e] && !bytes_equal(a->elements[e], b->elements[e])))
					return false;
			}
			return true;
	}
	return false;
}

static bool
entries_equal(const Entry *a, const Entry *b)
{
	if (memcmp(a->previous, b->previous, HASH_LENGTH) != 0)
		return false;
	for (int i = 0; i < FIELD_COUNT; i++)
	{
		if (!fields_equal(field_kinds[i], &a->fields[i], &b->fields[i]))
			return false;
	}
	return true;
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* large: static, off the stack */
	static Entry entry;
	static Entry decoded;
	FuzzInput		in = {data, size, 0};
	Buffer		encoding = {NULL, 0, 0};
	Buffer		again = {NULL, 0, 0};
	size_t		position;
	uint8_t		change;
	uint8_t    *changed;

	position = (size_t) fuzz_take_byte(&in) << 8;
	position |= fuzz_take_byte(&in);
	change = fuzz_take_byte(&in);
	if (change == 0)
		change = 1;
	make_entry(&in, &entry);

	encode_entry(&entry, &encoding);
	encode_entry(&entry, &again);
	FUZZ_CHECK(encoding.length == again.length && memcmp(encoding.data, again.data, encoding.length) == 0);

	/* round trip: the decoder reads back the entry, to the last byte */
	FUZZ_CHECK(decode_entry(encoding.data, encoding.length, &decoded));
	FUZZ_CHECK(entries_equal(&entry, &decoded));
	if (!entry.has_previous)
	{
		static const uint8_t zeros[HASH_LENGTH];

		FUZZ_CHECK(memcmp(decoded.previous, zeros, HASH_LENGTH) == 0);
	}

	/* prefix-free: no proper prefix decodes (one chosen by the input, and the longest) */
	FUZZ_CHECK(!decode_entry(encoding.data, position % encoding.length, &decoded));
	FUZZ_CHECK(!decode_entry(encoding.data, encoding.length - 1, &decoded));

	/* canonical: one byte changed is no entry, or another entry encoded exactly so */
	position %= encoding.length;
	changed = malloc(encoding.length);
	FUZZ_CHECK(changed != NULL);
	memcpy(changed, encoding.data, encoding.length);
	changed[position] ^= change;
	if (decode_entry(changed, encoding.length, &decoded))
	{
		FUZZ_CHECK(!entries_equal(&entry, &decoded));
		encode_entry(&decoded, &again);
		FUZZ_CHECK(again.length == encoding.length && memcmp(again.data, changed, again.length) == 0);
	}

	free(changed);
	free(encoding.data);
	free(again.data);
	return 0;
}
