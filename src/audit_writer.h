/*
 * audit_writer.h
 *		Writes entries into pactoria.audit_logs: stamps each with its id,
 *		time, actor, transaction and chain position and hash, collects them
 *		in a tuplestore and inserts them in one statement, as the owner of
 *		the log.
 */
#ifndef PACTORIA_AUDIT_WRITER_H
#define PACTORIA_AUDIT_WRITER_H

#include "utils/array.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

#include "audit_format.h"
#include "trigger_guard.h"

/* What the caller says about one entry; the writer adds the rest. */
typedef struct AuditEntry
{
	pg_uuid_t	company_id;
	const char *event_type;
	const char *resource_type;
	const pg_uuid_t *resource_id;	/* NULL: none */
	const pg_uuid_t *contract_id;	/* NULL: none */
	Jsonb	   *old_values;		/* NULL: SQL NULL */
	Jsonb	   *new_values;
	ArrayType  *changed_columns;
	Jsonb	   *additional_data;
	const pg_uuid_t *id;		/* NULL: a new id (else the id the coordinator gave it) */
	/* commit entries (seals) only */
	int64		chain_sequence;	/* 0 for every other entry */
	const unsigned char *chain_previous_hash;
} AuditEntry;

typedef struct AuditWriter AuditWriter;

extern AuditWriter *audit_writer_begin(void);
/*
 * Stamp, chain and keep one entry; false when it is not written here (a Citus
 * node without the company's shard of audit_logs, see below).
 */
extern bool audit_writer_add(AuditWriter *writer, const AuditEntry *entry,
							 pg_uuid_t *id_out, unsigned char *chain_hash_out);

/*
 * For a trigger firing on a Citus shard: the entries go into the local shard
 * of audit_logs of their company (colocated with the shard the trigger fires
 * on), which Citus's executor cannot do for a tuplestore; an entry whose
 * company's shard is on another node (a reference table's placement: every
 * node runs the change) is written by that node, not here.
 */
extern void audit_writer_use_local_shards(AuditWriter *writer);

/*
 * Whether this node writes the entries of the company: always, but for a
 * writer on local shards whose company's shard of audit_logs is on another
 * node.  A trigger asks before it describes a row, so that a node that writes
 * nothing for it does not seal personal values under a key it does not hold.
 */
extern bool audit_writer_writes_company(AuditWriter *writer, const pg_uuid_t *company_id);
extern void audit_writer_finish(AuditWriter *writer);

/*
 * Run the caller's SPI work as the owner of pactoria.audit_logs, with its
 * row-level security not forced on it: application roles have no privilege
 * on the audit tables, the audit trail writes them for them.
 */
typedef PactoriaOwnerSwitch AuditOwnerSwitch;

extern void audit_writer_become_owner(AuditOwnerSwitch *saved);
extern void audit_writer_restore_user(const AuditOwnerSwitch *saved);

#endif							/* PACTORIA_AUDIT_WRITER_H */
