/*
 * audit_chain.c
 *		The hash chain that makes pactoria.audit_logs tamper-evident.
 *
 * Each tenant's log is a chain of segments.  A segment is the entries one
 * transaction wrote for the company, closed by a commit entry (the seal).
 * Within a segment, entries are numbered by chain_position (1, 2, ...) and
 * each stores chain_hash = SHA-256(previous entry's chain_hash, its own
 * canonical encoding); the seal is the last entry and its encoding includes
 * chain_previous_hash, the chain_hash of the tenant's previous seal, whose
 * number chain_sequence it continues.
 *
 * Positions and hashes inside a segment are assigned as entries are written,
 * from state kept in this backend for the transaction, so writers take no
 * lock.  Sealing needs the tenant's previous seal, so it happens once per
 * segment, at commit: a deferred constraint trigger fires for the segment's
 * first entry and seals every open segment of the transaction, taking for
 * each company (in one global order) a transaction-scoped lock that is held
 * only from then until the commit completes.  Writers of different tenants
 * never wait on each other; writers of one tenant wait only for each other's
 * commit.  A rolled-back transaction or subtransaction leaves no entries, and
 * its state is rolled back with it.
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
#include "audit_context.h"
#include "audit_format.h"
#include "audit_writer.h"

/* pg_locks shows the chain lock as an advisory lock with this objsubid. */
#define AUDIT_CHAIN_LOCK_SPACE 0x5041

const char *const audit_column_names[AUDIT_COLUMN_COUNT] = {
	"company_id", "id", "occurred_at", "event_type", "resource_type",
	"resource_id", "contract_id", "user_id", "ip_address", "user_agent",
	"session_id", "old_values", "new_values", "changed_columns",
	"additional_data", "transaction_id", "chain_previous_hash",
	"chain_sequence", "chain_position", "chain_hash"
};

const Oid	audit_column_types[AUDIT_COLUMN_COUNT] = {
	UUIDOID, UUIDOID, TIMESTAMPTZOID, TEXTOID, TEXTOID,
	UUIDOID, UUIDOID, UUIDOID, INETOID, TEXTOID,
	TEXTOID, JSONBOID, JSONBOID, TEXTARRAYOID,
	JSONBOID, XID8OID, BYTEAOID,
	INT8OID, INT4OID, BYTEAOID
};

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

/* ---------------------------------------------------------------------
 * Open segments of the current transaction
 * ---------------------------------------------------------------------
 */

static HTAB *segments = NULL;	/* in TopTransactionContext; NULL between transactions */
static bool callbacks_registered = false;

/* At the end of the transaction its segments go with TopTransactionContext. */
static void
segments_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			segments = NULL;
			break;
		default:
			break;
	}
}

/*
 * segments_subxact_callback
 *		When a subtransaction aborts, the segments it changed go back to the
 *		version saved before its first change (its entries are gone, and so
 *		is a commit entry it wrote); when it commits, its versions become its
 *		parent's.
 */
static void
segments_subxact_callback(SubXactEvent event, SubTransactionId subtransaction,
						  SubTransactionId parent, void *arg)
{
	HASH_SEQ_STATUS scan;
	AuditChainSegment *segment;
	int			level;

	if (segments == NULL || (event != SUBXACT_EVENT_ABORT_SUB && event != SUBXACT_EVENT_COMMIT_SUB))
		return;
	level = GetCurrentTransactionNestLevel();

	hash_seq_init(&scan, segments);
	while ((segment = (AuditChainSegment *) hash_seq_search(&scan)) != NULL)
	{
		AuditChainSegment *saved = segment->saved;

		if (segment->nest_level != level)
			continue;
		if (event == SUBXACT_EVENT_ABORT_SUB)
		{
			if (saved == NULL)
				(void) hash_search(segments, &segment->company_id, HASH_REMOVE, NULL);
			else
			{
				*segment = *saved;
				pfree(saved);
			}
		}
		else
		{
			if (saved != NULL && saved->nest_level == level - 1)
			{
				segment->saved = saved->saved;
				pfree(saved);
			}
			segment->nest_level = level - 1;
		}
	}
}

/*
 * audit_chain_segment_for_write
 *		See audit_chain.h.  A new segment of the transaction's first for the
 *		company takes the transaction's start as occurred_at; a later one (only
 *		after SET CONSTRAINTS ... IMMEDIATE sealed the first) takes the current
 *		time, moved on by a microsecond when needed, so that the two segments'
 *		entries never share (company_id, occurred_at, transaction_id).
 */
AuditChainSegment *
audit_chain_segment_for_write(const pg_uuid_t *company_id)
{
	AuditChainSegment *segment;
	int			level = GetCurrentTransactionNestLevel();
	bool		found;

	if (!callbacks_registered)
	{
		RegisterXactCallback(segments_xact_callback, NULL);
		RegisterSubXactCallback(segments_subxact_callback, NULL);
		callbacks_registered = true;
	}
	if (segments == NULL)
	{
		HASHCTL		control;

		control.keysize = sizeof(pg_uuid_t);
		control.entrysize = sizeof(AuditChainSegment);
		control.hcxt = TopTransactionContext;
		segments = hash_create("pactoria audit chain segments", 16, &control,
							   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}

	segment = (AuditChainSegment *) hash_search(segments, company_id, HASH_ENTER, &found);
	if (!found)
	{
		segment->nest_level = level;
		segment->open = false;
		segment->sealed_before = false;
		segment->occurred_at = 0;
		segment->position = 0;
		segment->saved = NULL;
	}
	else if (segment->nest_level < level)
	{
		AuditChainSegment *saved = MemoryContextAlloc(TopTransactionContext, sizeof(AuditChainSegment));

		*saved = *segment;
		segment->saved = saved;
		segment->nest_level = level;
	}

	if (!segment->open)
	{
		TimestampTz occurred_at = audit_context_segment_time(!segment->sealed_before);

		if (segment->sealed_before && occurred_at <= segment->occurred_at)
			occurred_at = segment->occurred_at + 1;
		segment->occurred_at = occurred_at;
		segment->position = 0;
		segment->open = true;
	}
	return segment;
}

/* ---------------------------------------------------------------------
 * Sealing at commit
 * ---------------------------------------------------------------------
 */

static SPIPlanPtr head_select_plan = NULL;
static SPIPlanPtr head_upsert_plan = NULL;

/* The 64-bit key of a tenant's chain lock. */
static uint64
chain_lock_key(const pg_uuid_t *company_id)
{
	return hash_bytes_extended(company_id->data, UUID_LEN, 0);
}

/* qsort order of segments: by lock key, so that every backend locks tenants in one order. */
static int
compare_segments_by_lock(const void *a, const void *b)
{
	const AuditChainSegment *left = *(AuditChainSegment *const *) a;
	const AuditChainSegment *right = *(AuditChainSegment *const *) b;
	uint64		left_key = chain_lock_key(&left->company_id);
	uint64		right_key = chain_lock_key(&right->company_id);

	if (left_key != right_key)
		return left_key < right_key ? -1 : 1;
	return memcmp(left->company_id.data, right->company_id.data, UUID_LEN);
}

/* The tenant's chain lock: held from its seal until the commit completes. */
static void
lock_tenant_chain(const pg_uuid_t *company_id)
{
	LOCKTAG		tag;
	uint64		key = chain_lock_key(company_id);

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) (key >> 32), (uint32) key,
						 AUDIT_CHAIN_LOCK_SPACE);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * seal_open_segments
 *		Write the commit entry of every open segment of the transaction, in
 *		the global order of the tenants' locks, and move each tenant's chain
 *		head to it.  The head is read and written with a fresh snapshot: the
 *		previous holder of the lock has committed, and a REPEATABLE READ or
 *		SERIALIZABLE transaction must still see its seal.
 */
static void
seal_open_segments(void)
{
	AuditChainSegment **open_segments;
	int64	   *sequences;
	unsigned char (*previous_hashes)[AUDIT_FORMAT_HASH_LENGTH];
	pg_uuid_t  *seal_ids;
	unsigned char (*seal_hashes)[AUDIT_FORMAT_HASH_LENGTH];
	HASH_SEQ_STATUS scan;
	AuditChainSegment *segment;
	AuditOwnerSwitch owner;
	AuditWriter *writer;
	int			count = 0;
	int			i;

	open_segments = palloc(sizeof(AuditChainSegment *) * hash_get_num_entries(segments));
	hash_seq_init(&scan, segments);
	while ((segment = (AuditChainSegment *) hash_seq_search(&scan)) != NULL)
		if (segment->open)
			open_segments[count++] = segment;
	if (count == 0)
		return;
	qsort(open_segments, count, sizeof(AuditChainSegment *), compare_segments_by_lock);
	for (i = 0; i < count; i++)
		lock_tenant_chain(&open_segments[i]->company_id);

	sequences = palloc(sizeof(int64) * count);
	previous_hashes = palloc(AUDIT_FORMAT_HASH_LENGTH * count);
	seal_ids = palloc(sizeof(pg_uuid_t) * count);
	seal_hashes = palloc(AUDIT_FORMAT_HASH_LENGTH * count);

	pactoria_spi_connect();
	audit_writer_become_owner(&owner);
	if (head_select_plan == NULL)
	{
		Oid			types[1] = {UUIDOID};

		head_select_plan = pactoria_keep_plan("SELECT chain_sequence, chain_hash"
										" FROM pactoria.audit_chain_heads WHERE company_id OPERATOR(pg_catalog.=) $1",
										1, types);
	}
	if (head_upsert_plan == NULL)
	{
		Oid			types[5] = {UUIDOID, INT8OID, BYTEAOID, UUIDOID, TIMESTAMPTZOID};

		head_upsert_plan = pactoria_keep_plan("INSERT INTO pactoria.audit_chain_heads"
										" (company_id, chain_sequence, chain_hash, entry_id, occurred_at)"
										" VALUES ($1, $2, $3, $4, $5)"
										" ON CONFLICT (company_id) DO UPDATE SET"
										" chain_sequence = excluded.chain_sequence,"
										" chain_hash = excluded.chain_hash,"
										" entry_id = excluded.entry_id,"
										" occurred_at = excluded.occurred_at",
										5, types);
	}

	for (i = 0; i < count; i++)
	{
		Datum		company = UUIDPGetDatum(&open_segments[i]->company_id);

		if (SPI_execute_snapshot(head_select_plan, &company, NULL, GetLatestSnapshot(),
								 InvalidSnapshot, false, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the audit chain head");
		if (SPI_processed == 0)
		{
			sequences[i] = 1;
			memset(previous_hashes[i], 0, AUDIT_FORMAT_HASH_LENGTH);
		}
		else
		{
			bool		isnull;
			int64		head_sequence = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
																	SPI_tuptable->tupdesc, 1, &isnull));
			bytea	   *head_hash = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0],
																  SPI_tuptable->tupdesc, 2, &isnull));

			if (VARSIZE_ANY_EXHDR(head_hash) != AUDIT_FORMAT_HASH_LENGTH)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("audit chain head of company %s is corrupt",
								DatumGetCString(DirectFunctionCall1(uuid_out, company))),
						 errhint("Run pactoria.verify_audit_log() for the company.")));
			sequences[i] = head_sequence + 1;
			memcpy(previous_hashes[i], VARDATA_ANY(head_hash), AUDIT_FORMAT_HASH_LENGTH);
		}
		SPI_freetuptable(SPI_tuptable);
	}

	writer = audit_writer_begin();
	for (i = 0; i < count; i++)
	{
		AuditEntry	seal = {0};

		seal.company_id = open_segments[i]->company_id;
		seal.event_type = "commit";
		seal.resource_type = "transaction";
		seal.chain_sequence = sequences[i];
		seal.chain_previous_hash = previous_hashes[i];
		audit_writer_add(writer, &seal, &seal_ids[i], seal_hashes[i]);
	}
	audit_writer_finish(writer);

	for (i = 0; i < count; i++)
	{
		bytea	   *hash = (bytea *) palloc(VARHDRSZ + AUDIT_FORMAT_HASH_LENGTH);
		Datum		values[5];

		SET_VARSIZE(hash, VARHDRSZ + AUDIT_FORMAT_HASH_LENGTH);
		memcpy(VARDATA(hash), seal_hashes[i], AUDIT_FORMAT_HASH_LENGTH);
		values[0] = UUIDPGetDatum(&open_segments[i]->company_id);
		values[1] = Int64GetDatum(sequences[i]);
		values[2] = PointerGetDatum(hash);
		values[3] = UUIDPGetDatum(&seal_ids[i]);
		values[4] = TimestampTzGetDatum(open_segments[i]->occurred_at);
		/*
		 * fire_triggers = true: the head table's own statement triggers (tenant
		 * isolation) need the query bracket, even at commit time.
		 */
		if (SPI_execute_snapshot(head_upsert_plan, values, NULL, GetLatestSnapshot(),
								 InvalidSnapshot, false, true, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not move the audit chain head");

		segment = audit_chain_segment_for_write(&open_segments[i]->company_id);
		segment->open = false;
		segment->sealed_before = true;
	}
	audit_writer_restore_user(&owner);
	SPI_finish();
}

PG_FUNCTION_INFO_V1(pactoria_audit_seal);

/*
 * pactoria.audit_seal(): deferred constraint trigger of pactoria.audit_logs,
 * fired at commit for the first entry of each chain segment.  The first to
 * fire seals every open segment of the transaction; the others find nothing
 * left to do.  An entry this backend did not write (an INSERT straight into
 * the log) has no segment here and is refused.
 */
Datum
pactoria_audit_seal(PG_FUNCTION_ARGS)
{
	static const char *const seal_tables[] = {"audit_logs", NULL};
	TriggerData *trigger_data;
	HeapTuple	tuple;
	TupleDesc	descriptor;
	int			company_column;
	int			id_column;
	bool		isnull;
	pg_uuid_t  *company_id;
	pg_uuid_t  *entry_id;
	AuditChainSegment *segment = NULL;

	trigger_data = pactoria_trigger_data(fcinfo, "audit_seal");
	pactoria_require_trigger_event(TRIGGER_FIRED_AFTER(trigger_data->tg_event)
								   && TRIGGER_FIRED_FOR_ROW(trigger_data->tg_event)
								   && TRIGGER_FIRED_BY_INSERT(trigger_data->tg_event),
								   "audit_seal", "AFTER INSERT FOR EACH ROW");
	pactoria_require_own_table(trigger_data->tg_relation, "audit_seal", seal_tables);

	tuple = trigger_data->tg_trigtuple;
	descriptor = RelationGetDescr(trigger_data->tg_relation);
	company_column = pactoria_column_of_type(trigger_data->tg_relation, "company_id", UUIDOID, false);
	id_column = pactoria_column_of_type(trigger_data->tg_relation, "id", UUIDOID, false);
	company_id = DatumGetUUIDP(heap_getattr(tuple, company_column, descriptor, &isnull));
	if (!isnull && segments != NULL)
		segment = (AuditChainSegment *) hash_search(segments, company_id, HASH_FIND, NULL);
	entry_id = DatumGetUUIDP(heap_getattr(tuple, id_column, descriptor, &isnull));
	if (segment == NULL || isnull || memcmp(entry_id->data, segment->first_entry_id.data, UUID_LEN) != 0)
	{
		char	   *id = SPI_getvalue(tuple, descriptor, id_column);

		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("audit log entry %s was not written by pactoria's audit trail", id ? id : "(unknown)"),
				 errdetail("Entries of pactoria.audit_logs are written only by the audit triggers and pactoria.log_event()."),
				 errhint("Record application events with pactoria.log_event().")));
	}

	seal_open_segments();
	return PointerGetDatum(NULL);
}
