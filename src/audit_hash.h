/*
 * audit_hash.h
 *		The hash of an audit entry (audit_hash.c).
 */
#ifndef PACTORIA_AUDIT_HASH_H
#define PACTORIA_AUDIT_HASH_H

#include "common/cryptohash.h"
#include "lib/stringinfo.h"

#include "audit_chain.h"

/* Hashes entries; one per statement (or call), freed by its owner. */
typedef struct AuditHasher
{
	pg_cryptohash_ctx *context;
	StringInfoData entry;		/* the encoding of the entry being hashed */
	StringInfoData value;		/* one jsonb or array value being encoded */
} AuditHasher;

extern void audit_hasher_init(AuditHasher *hasher);
extern void audit_hasher_free(AuditHasher *hasher);
extern void audit_hasher_hash(AuditHasher *hasher, const unsigned char *previous_hash,
							  const Datum *values, const bool *nulls,
							  unsigned char *result);

#endif							/* PACTORIA_AUDIT_HASH_H */
