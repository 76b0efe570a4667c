/*
 * audit_hash.c
 *		The hash of an audit entry: SHA-256 of the previous entry's hash and
 *		the entry's canonical encoding (audit_format.c, pure C), for the
 *		writer (audit_writer.c) and for pactoria.audit_chain_hash(), with
 *		which verify_audit_log() recomputes a chain.  This file turns datums
 *		into the format's fields; it calls nothing above it.
 */
#include "postgres.h"

#include <sys/socket.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inet.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"
#include "utils/xid8.h"

#include "audit_chain.h"
#include "audit_hash.h"
#include "audit_context.h"
#include "audit_format.h"


/* ---------------------------------------------------------------------
 * Hashing an entry
 * ---------------------------------------------------------------------
 */

/* Sink writing to a StringInfo. */
static void
append_to_stringinfo(void *state, const void *bytes, size_t length)
{
	appendBinaryStringInfo((StringInfo) state, bytes, (int) length);
}

static AuditFormatSink
stringinfo_sink(StringInfo buffer)
{
	AuditFormatSink sink;

	sink.write = append_to_stringinfo;
	sink.state = buffer;
	return sink;
}

/*
 * encode_jsonb
 *		jsonb's token stream (audit_format.h), walking the stored value: its
 *		object keys are already sorted and unique, so equal values encode
 *		alike.
 */
static void
encode_jsonb(AuditFormatSink *sink, Jsonb *jsonb)
{
	JsonbIterator *iterator = JsonbIteratorInit(&jsonb->root);
	JsonbIteratorToken token;
	JsonbValue	value;

	while ((token = JsonbIteratorNext(&iterator, &value, false)) != WJB_DONE)
	{
		switch (token)
		{
			case WJB_BEGIN_ARRAY:
				if (!value.val.array.rawScalar)
					audit_format_json_container(sink, AUDIT_JSON_ARRAY,
												(uint32_t) value.val.array.nElems);
				break;
			case WJB_BEGIN_OBJECT:
				audit_format_json_container(sink, AUDIT_JSON_OBJECT,
											(uint32_t) value.val.object.nPairs);
				break;
			case WJB_KEY:
			case WJB_VALUE:
			case WJB_ELEM:
				switch (value.type)
				{
					case jbvNull:
						audit_format_json_token(sink, AUDIT_JSON_NULL);
						break;
					case jbvBool:
						audit_format_json_token(sink, value.val.boolean ? AUDIT_JSON_TRUE : AUDIT_JSON_FALSE);
						break;
					case jbvString:
						audit_format_json_text(sink, AUDIT_JSON_STRING, value.val.string.val,
											   (uint32_t) value.val.string.len);
						break;
					case jbvNumeric:
						{
							char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out,
																				   NumericGetDatum(value.val.numeric)));

							audit_format_json_text(sink, AUDIT_JSON_NUMBER, text, (uint32_t) strlen(text));
							pfree(text);
						}
						break;
					default:
						elog(ERROR, "unexpected jsonb value type %d", (int) value.type);
				}
				break;
			case WJB_END_ARRAY:
			case WJB_END_OBJECT:
				break;
			default:
				elog(ERROR, "unexpected jsonb iterator token %d", (int) token);
		}
	}
}

/* text[]: the element count, then each element as a field. */
static void
encode_text_array(AuditFormatSink *sink, ArrayType *array)
{
	Datum	   *elements;
	bool	   *element_nulls;
	int			count;
	int			i;

	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &element_nulls, &count);
	audit_format_uint32(sink, (uint32_t) count);
	for (i = 0; i < count; i++)
	{
		if (element_nulls[i])
			audit_format_null(sink);
		else
			audit_format_field(sink, VARDATA_ANY(DatumGetPointer(elements[i])),
							   VARSIZE_ANY_EXHDR(DatumGetPointer(elements[i])));
	}
	pfree(elements);
	pfree(element_nulls);
}

/* One hashed column as a field of the encoding. */
static void
encode_field(AuditHasher *hasher, AuditFormatSink *sink, AuditColumn column, Datum datum)
{
	AuditFormatSink value_sink = stringinfo_sink(&hasher->value);

	switch (audit_column_types[column])
	{
		case UUIDOID:
			audit_format_field(sink, DatumGetUUIDP(datum)->data, UUID_LEN);
			return;
		case TIMESTAMPTZOID:
			resetStringInfo(&hasher->value);
			audit_format_int64(&value_sink, DatumGetTimestampTz(datum));
			break;
		case XID8OID:
			resetStringInfo(&hasher->value);
			audit_format_uint64(&value_sink, U64FromFullTransactionId(DatumGetFullTransactionId(datum)));
			break;
		case INETOID:
			{
				inet	   *address = DatumGetInetPP(datum);

				resetStringInfo(&hasher->value);
				audit_format_inet(&value_sink, ip_family(address) == PGSQL_AF_INET6 ? 6 : 4,
								  ip_bits(address), ip_addr(address), ip_addrsize(address));
			}
			break;
		case JSONBOID:
			resetStringInfo(&hasher->value);
			encode_jsonb(&value_sink, DatumGetJsonbP(datum));
			break;
		case TEXTARRAYOID:
			resetStringInfo(&hasher->value);
			encode_text_array(&value_sink, DatumGetArrayTypeP(datum));
			break;
		case TEXTOID:
		case BYTEAOID:
			{
				struct varlena *bytes = PG_DETOAST_DATUM_PACKED(datum);

				audit_format_field(sink, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
			}
			return;
		default:
			elog(ERROR, "unexpected type %u of audit column %s",
				 audit_column_types[column], audit_column_names[column]);
	}
	audit_format_field(sink, hasher->value.data, (uint32_t) hasher->value.len);
}

/*
 * audit_hasher_init
 *		A hasher for one statement's (or call's) entries.  Its SHA-256 context
 *		is tracked by the resource owner, so an error cannot leak it; the
 *		owner must call audit_hasher_free before the transaction ends.
 */
void
audit_hasher_init(AuditHasher *hasher)
{
	hasher->context = pg_cryptohash_create(PG_SHA256);
	if (hasher->context == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	initStringInfo(&hasher->entry);
	initStringInfo(&hasher->value);
}

/* Free the hasher and its SHA-256 context. */
void
audit_hasher_free(AuditHasher *hasher)
{
	pg_cryptohash_free(hasher->context);
	hasher->context = NULL;
	pfree(hasher->entry.data);
	pfree(hasher->value.data);
}

/*
 * audit_hasher_hash
 *		chain_hash of an entry: SHA-256 over the encoding of the previous
 *		chain hash (NULL: the start of a chain) and the hashed columns, given
 *		in table order.
 */
void
audit_hasher_hash(AuditHasher *hasher, const unsigned char *previous_hash,
				  const Datum *values, const bool *nulls, unsigned char *result)
{
	AuditFormatSink sink = stringinfo_sink(&hasher->entry);
	int			column;

	resetStringInfo(&hasher->entry);
	audit_format_begin(&sink, previous_hash);
	for (column = 0; column < AUDIT_FORMAT_FIELD_COUNT; column++)
	{
		if (nulls[column])
			audit_format_null(&sink);
		else
			encode_field(hasher, &sink, (AuditColumn) column, values[column]);
	}

	if (pg_cryptohash_init(hasher->context) < 0
		|| pg_cryptohash_update(hasher->context, (const uint8 *) hasher->entry.data, hasher->entry.len) < 0
		|| pg_cryptohash_final(hasher->context, result, AUDIT_FORMAT_HASH_LENGTH) < 0)
		elog(ERROR, "could not compute SHA-256 of an audit entry: %s",
			 pg_cryptohash_error(hasher->context));
}

/* ---------------------------------------------------------------------
 * pactoria.audit_chain_hash(previous bytea, entry pactoria.audit_logs)
 * ---------------------------------------------------------------------
 */

/* Where each hashed column is in the row type, found once per call site. */
typedef struct RowLayout
{
	Oid			type_id;
	int32		type_modifier;
	int			attribute_count;
	int			attribute_index[AUDIT_FORMAT_FIELD_COUNT];	/* 0-based */
} RowLayout;

static RowLayout *
row_layout(FunctionCallInfo fcinfo, HeapTupleHeader row)
{
	Oid			type_id = HeapTupleHeaderGetTypeId(row);
	int32		type_modifier = HeapTupleHeaderGetTypMod(row);
	RowLayout  *layout = (RowLayout *) fcinfo->flinfo->fn_extra;
	TupleDesc	descriptor;
	int			column;

	if (layout != NULL && layout->type_id == type_id && layout->type_modifier == type_modifier)
		return layout;

	if (layout == NULL)
		layout = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(RowLayout));
	descriptor = lookup_rowtype_tupdesc(type_id, type_modifier);
	for (column = 0; column < AUDIT_FORMAT_FIELD_COUNT; column++)
	{
		int			index;

		for (index = 0; index < descriptor->natts; index++)
		{
			Form_pg_attribute attribute = TupleDescAttr(descriptor, index);

			if (!attribute->attisdropped
				&& strcmp(NameStr(attribute->attname), audit_column_names[column]) == 0)
				break;
		}
		if (index == descriptor->natts
			|| TupleDescAttr(descriptor, index)->atttypid != audit_column_types[column])
		{
			ReleaseTupleDesc(descriptor);
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("row of type %s is not an audit log entry", format_type_be(type_id)),
					 errdetail("It has no column \"%s\" of type %s.", audit_column_names[column],
							   format_type_be(audit_column_types[column])),
					 errhint("Pass a row of pactoria.audit_logs.")));
		}
		layout->attribute_index[column] = index;
	}
	layout->attribute_count = descriptor->natts;
	layout->type_id = type_id;
	layout->type_modifier = type_modifier;
	ReleaseTupleDesc(descriptor);
	fcinfo->flinfo->fn_extra = layout;
	return layout;
}

PG_FUNCTION_INFO_V1(pactoria_audit_chain_hash);

/*
 * pactoria.audit_chain_hash(previous, entry): the chain hash the entry must
 * have when previous is the chain hash of the entry before it (NULL: it
 * starts a segment).  verify_audit_log() recomputes every entry with it; an
 * external verifier can compare its own implementation against it.
 */
Datum
pactoria_audit_chain_hash(PG_FUNCTION_ARGS)
{
	HeapTupleHeader row;
	RowLayout  *layout;
	HeapTupleData tuple;
	TupleDesc	descriptor;
	Datum	   *row_values;
	bool	   *row_nulls;
	Datum		values[AUDIT_FORMAT_FIELD_COUNT];
	bool		nulls[AUDIT_FORMAT_FIELD_COUNT];
	const unsigned char *previous_hash = NULL;
	AuditHasher hasher;
	bytea	   *result;
	int			column;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (!PG_ARGISNULL(0))
	{
		bytea	   *previous = PG_GETARG_BYTEA_PP(0);

		if (VARSIZE_ANY_EXHDR(previous) != AUDIT_FORMAT_HASH_LENGTH)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("previous chain hash must be %d bytes, not %zu",
							AUDIT_FORMAT_HASH_LENGTH, VARSIZE_ANY_EXHDR(previous))));
		previous_hash = (const unsigned char *) VARDATA_ANY(previous);
	}

	row = PG_GETARG_HEAPTUPLEHEADER(1);
	layout = row_layout(fcinfo, row);

	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	descriptor = lookup_rowtype_tupdesc(layout->type_id, layout->type_modifier);
	row_values = palloc(sizeof(Datum) * descriptor->natts);
	row_nulls = palloc(sizeof(bool) * descriptor->natts);
	heap_deform_tuple(&tuple, descriptor, row_values, row_nulls);
	ReleaseTupleDesc(descriptor);
	for (column = 0; column < AUDIT_FORMAT_FIELD_COUNT; column++)
	{
		values[column] = row_values[layout->attribute_index[column]];
		nulls[column] = row_nulls[layout->attribute_index[column]];
	}

	result = (bytea *) palloc(VARHDRSZ + AUDIT_FORMAT_HASH_LENGTH);
	SET_VARSIZE(result, VARHDRSZ + AUDIT_FORMAT_HASH_LENGTH);
	audit_hasher_init(&hasher);
	audit_hasher_hash(&hasher, previous_hash, values, nulls, (unsigned char *) VARDATA(result));
	audit_hasher_free(&hasher);
	PG_RETURN_BYTEA_P(result);
}

