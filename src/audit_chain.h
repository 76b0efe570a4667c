/*
 * audit_chain.h
 *		The hash chain of pactoria.audit_logs: the columns of an entry and
 *		the per-transaction state of each tenant's open chain segment (the
 *		hash of an entry: audit_hash.h; sealing: audit_seal.c).
 */
#ifndef PACTORIA_AUDIT_CHAIN_H
#define PACTORIA_AUDIT_CHAIN_H

#include "datatype/timestamp.h"
#include "utils/uuid.h"

#include "audit_format.h"

/*
 * The columns of pactoria.audit_logs, in table order.  The first
 * AUDIT_FORMAT_FIELD_COUNT are hashed, in this order (audit_format.h).
 */
typedef enum AuditColumn
{
	AUDIT_COLUMN_COMPANY_ID,
	AUDIT_COLUMN_ID,
	AUDIT_COLUMN_OCCURRED_AT,
	AUDIT_COLUMN_EVENT_TYPE,
	AUDIT_COLUMN_RESOURCE_TYPE,
	AUDIT_COLUMN_RESOURCE_ID,
	AUDIT_COLUMN_CONTRACT_ID,
	AUDIT_COLUMN_USER_ID,
	AUDIT_COLUMN_IP_ADDRESS,
	AUDIT_COLUMN_USER_AGENT,
	AUDIT_COLUMN_SESSION_ID,
	AUDIT_COLUMN_OLD_VALUES,
	AUDIT_COLUMN_NEW_VALUES,
	AUDIT_COLUMN_CHANGED_COLUMNS,
	AUDIT_COLUMN_ADDITIONAL_DATA,
	AUDIT_COLUMN_TRANSACTION_ID,
	AUDIT_COLUMN_CHAIN_PREVIOUS_HASH,
	AUDIT_COLUMN_CHAIN_SEQUENCE,
	AUDIT_COLUMN_CHAIN_POSITION,
	AUDIT_COLUMN_CHAIN_HASH,
	AUDIT_COLUMN_COUNT
} AuditColumn;

extern const char *const audit_column_names[AUDIT_COLUMN_COUNT];
extern const Oid audit_column_types[AUDIT_COLUMN_COUNT];

/*
 * A tenant's open chain segment in the current transaction: the entries
 * written for one company since its last commit entry (seal).  Kept per
 * transaction, restored when a subtransaction that changed it aborts.
 */
typedef struct AuditChainSegment
{
	pg_uuid_t	company_id;		/* hash key */
	int			nest_level;		/* subtransaction level this version belongs to */
	bool		open;			/* has entries not yet sealed */
	bool		sealed_before;	/* an earlier segment was sealed in this transaction */
	TimestampTz occurred_at;	/* of every entry of the segment */
	int32		position;		/* entries of the segment so far */
	pg_uuid_t	first_entry_id; /* the entry whose seal event is queued */
	unsigned char last_hash[AUDIT_FORMAT_HASH_LENGTH];	/* chain hash of the last */
	struct AuditChainSegment *saved;	/* the version to restore on abort */
} AuditChainSegment;

/*
 * The company's segment, ready to take one more entry: opened when needed,
 * and saved first when this subtransaction has not changed it yet.
 */
extern AuditChainSegment *audit_chain_segment_for_write(const pg_uuid_t *company_id);

/* The company's segment in this transaction, or NULL. */
extern AuditChainSegment *audit_chain_find_segment(const pg_uuid_t *company_id);

/* The open segments of this transaction, palloc'd; *count of them (NULL for none). */
extern AuditChainSegment **audit_chain_open_segments(int *count);

#endif							/* PACTORIA_AUDIT_CHAIN_H */
