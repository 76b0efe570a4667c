/*
 * audit_seal.c
 *		Sealing a transaction's audit entries at commit: the room above the
 *		writer.  A deferred constraint trigger of audit_logs (audit_seal)
 *		fires for the first entry of each tenant's open segment; it takes,
 *		in one global order, each tenant's chain lock (held until the commit
 *		completes), reads the tenant's chain head, writes the commit entry
 *		through the audit writer and moves the head.  Data flows one way:
 *		audit_seal -> audit_writer -> audit_hash -> audit_format, and both
 *		the seal and the writer keep their per-transaction state in the
 *		open segments of audit_chain.c.  See audit_chain.c for the design.
 */
#include "postgres.h"

#include <sys/socket.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
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
#include "utils/fmgroids.h"
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
#include "trigger_guard.h"

/* pg_locks shows the chain lock as an advisory lock with this objsubid. */
#define AUDIT_CHAIN_LOCK_SPACE 0x5041

/* ---------------------------------------------------------------------
 * Sealing at commit
 * ---------------------------------------------------------------------
 */

static SPIPlanPtr head_select_plan = NULL;
static SPIPlanPtr head_insert_plan = NULL;
static SPIPlanPtr head_update_plan = NULL;

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
 * read_head_directly
 *		Without Citus: the tenant's chain head, read from the primary key of
 *		pactoria.audit_chain_heads with the latest snapshot, as the SELECT
 *		of the Citus path reads it, without an SPI statement (whose start and
 *		end cost more than the lookup).  The caller runs as the owner of the
 *		table and holds the tenant's chain lock.  Returns whether the tenant
 *		has a head, with its sequence and hash (palloc'd, detoasted).
 */
static bool
read_head_directly(const pg_uuid_t *company_id, int64 *sequence, bytea **hash)
{
	Oid			schema = pactoria_schema_oid();
	Oid			heads_id = get_relname_relid("audit_chain_heads", schema);
	Oid			index_id = get_relname_relid("audit_chain_heads_pkey", schema);
	Relation	heads;
	ScanKeyData key;
	Snapshot	snapshot;
	SysScanDesc scan;
	HeapTuple	tuple;
	bool		found = false;

	if (!OidIsValid(heads_id) || !OidIsValid(index_id))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("pactoria.audit_chain_heads or its primary key audit_chain_heads_pkey does not exist")));
	heads = table_open(heads_id, AccessShareLock);
	ScanKeyInit(&key, pactoria_column_of_type(heads, "company_id", UUIDOID, false),
				BTEqualStrategyNumber, F_UUID_EQ, UUIDPGetDatum(company_id));
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	/* an error unless company_id is a column of the index */
	scan = systable_beginscan(heads, index_id, true, snapshot, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
	{
		TupleDesc	descriptor = RelationGetDescr(heads);
		bool		sequence_null;
		bool		hash_null;
		Datum		sequence_datum = heap_getattr(tuple, pactoria_column_of_type(heads, "chain_sequence", INT8OID, false),
												  descriptor, &sequence_null);
		Datum		hash_datum = heap_getattr(tuple, pactoria_column_of_type(heads, "chain_hash", BYTEAOID, false),
											  descriptor, &hash_null);

		if (sequence_null || hash_null)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("audit chain head of company %s is corrupt",
							DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(company_id)))),
					 errhint("Run pactoria.verify_audit_log() for the company.")));
		*sequence = DatumGetInt64(sequence_datum);
		*hash = DatumGetByteaPCopy(hash_datum);
		found = true;
	}
	systable_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(heads, NoLock);
	return found;
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
seal_open_segments(bool local_shards)
{
	AuditChainSegment **open_segments;
	int64	   *sequences;
	unsigned char (*previous_hashes)[AUDIT_FORMAT_HASH_LENGTH];
	pg_uuid_t  *seal_ids;
	unsigned char (*seal_hashes)[AUDIT_FORMAT_HASH_LENGTH];
	AuditChainSegment *segment;
	AuditOwnerSwitch owner;
	AuditWriter *writer;
	int			count;
	int			i;
	/* one server: the head read straight from its index; Citus routes the SELECT */
	bool		direct = !local_shards && !pactoria_citus_installed();

	open_segments = audit_chain_open_segments(&count);
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
	/*
	 * The head is moved by an UPDATE when the tenant has one and made by an
	 * INSERT otherwise (its first seal), not by INSERT ... ON CONFLICT: the
	 * tenant's chain lock, held since before the head was read, keeps every
	 * other seal of the tenant out, so whether it exists cannot change.  A
	 * head made or removed behind the lock's back makes the statement fail
	 * (unique violation, or no row updated), never a silent overwrite.
	 */
	if (head_insert_plan == NULL)
	{
		Oid			types[5] = {UUIDOID, INT8OID, BYTEAOID, UUIDOID, TIMESTAMPTZOID};

		head_insert_plan = pactoria_keep_plan("INSERT INTO pactoria.audit_chain_heads"
										" (company_id, chain_sequence, chain_hash, entry_id, occurred_at)"
										" VALUES ($1, $2, $3, $4, $5)",
										5, types);
	}
	if (head_update_plan == NULL)
	{
		Oid			types[5] = {UUIDOID, INT8OID, BYTEAOID, UUIDOID, TIMESTAMPTZOID};

		head_update_plan = pactoria_keep_plan("UPDATE pactoria.audit_chain_heads SET"
										" chain_sequence = $2, chain_hash = $3, entry_id = $4, occurred_at = $5"
										" WHERE company_id OPERATOR(pg_catalog.=) $1",
										5, types);
	}

	for (i = 0; i < count; i++)
	{
		Datum		company = UUIDPGetDatum(&open_segments[i]->company_id);
		bool		has_head;
		int64		head_sequence = 0;
		bytea	   *head_hash = NULL;

		if (direct)
			has_head = read_head_directly(&open_segments[i]->company_id, &head_sequence, &head_hash);
		else
		{
			if (SPI_execute_snapshot(head_select_plan, &company, NULL, GetLatestSnapshot(),
									 InvalidSnapshot, false, false, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not read the audit chain head");
			has_head = (SPI_processed > 0);
			if (has_head)
			{
				bool		sequence_null;
				bool		hash_null;

				Datum		hash_datum;

				head_sequence = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
															SPI_tuptable->tupdesc, 1, &sequence_null));
				hash_datum = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &hash_null);
				if (!sequence_null && !hash_null)
					head_hash = DatumGetByteaPP(hash_datum);	/* else corrupt, below */
			}
		}
		if (!has_head)
		{
			sequences[i] = 1;
			memset(previous_hashes[i], 0, AUDIT_FORMAT_HASH_LENGTH);
		}
		else
		{
			if (head_hash == NULL || VARSIZE_ANY_EXHDR(head_hash) != AUDIT_FORMAT_HASH_LENGTH)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("audit chain head of company %s is corrupt",
								DatumGetCString(DirectFunctionCall1(uuid_out, company))),
						 errhint("Run pactoria.verify_audit_log() for the company.")));
			sequences[i] = head_sequence + 1;
			memcpy(previous_hashes[i], VARDATA_ANY(head_hash), AUDIT_FORMAT_HASH_LENGTH);
		}
		if (!direct)
			SPI_freetuptable(SPI_tuptable);
	}

	writer = audit_writer_begin();
	if (local_shards)
		audit_writer_use_local_shards(writer);
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
		if (sequences[i] == 1)
		{
			if (SPI_execute_snapshot(head_insert_plan, values, NULL, GetLatestSnapshot(),
									 InvalidSnapshot, false, true, 0) != SPI_OK_INSERT)
				elog(ERROR, "could not make the audit chain head");
		}
		else if (SPI_execute_snapshot(head_update_plan, values, NULL, GetLatestSnapshot(),
									  InvalidSnapshot, false, true, 0) != SPI_OK_UPDATE
				 || SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("audit chain head of company %s disappeared while it was sealed",
							DatumGetCString(DirectFunctionCall1(uuid_out, values[0]))),
					 errhint("Run pactoria.verify_audit_log() for the company.")));

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

	trigger_data = pactoria_trigger(fcinfo, "audit_seal",
								PACTORIA_AFTER | PACTORIA_ROW | PACTORIA_INSERT);
	pactoria_require_own_table(trigger_data->tg_relation, "audit_seal", seal_tables);

	tuple = trigger_data->tg_trigtuple;
	descriptor = RelationGetDescr(trigger_data->tg_relation);
	company_column = pactoria_column_of_type(trigger_data->tg_relation, "company_id", UUIDOID, false);
	id_column = pactoria_column_of_type(trigger_data->tg_relation, "id", UUIDOID, false);
	company_id = DatumGetUUIDP(heap_getattr(tuple, company_column, descriptor, &isnull));
	if (!isnull)
		segment = audit_chain_find_segment(company_id);
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

	seal_open_segments(OidIsValid(pactoria_shard_table(trigger_data->tg_relation)));
	return PointerGetDatum(NULL);
}

