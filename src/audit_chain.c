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
 *
 * This file keeps that state: the columns of an entry and each tenant's open
 * segment.  An entry travels one way: trigger (audit_trigger.c) -> writer
 * (audit_writer.c) -> hash (audit_hash.c) -> canonical format
 * (core/audit_format.c); the seal (audit_seal.c) sits above the writer and
 * writes its commit entry through it.
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


/* See audit_chain.h. */
AuditChainSegment *
audit_chain_find_segment(const pg_uuid_t *company_id)
{
	if (segments == NULL)
		return NULL;
	return (AuditChainSegment *) hash_search(segments, company_id, HASH_FIND, NULL);
}

/* See audit_chain.h. */
AuditChainSegment **
audit_chain_open_segments(int *count)
{
	HASH_SEQ_STATUS scan;
	AuditChainSegment *segment;
	AuditChainSegment **open_segments;

	*count = 0;
	if (segments == NULL)
		return NULL;
	open_segments = palloc(sizeof(AuditChainSegment *) * hash_get_num_entries(segments));
	hash_seq_init(&scan, segments);
	while ((segment = hash_seq_search(&scan)) != NULL)
	{
		if (segment->open)
			open_segments[(*count)++] = segment;
	}
	return open_segments;
}
