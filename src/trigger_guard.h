/*
 * trigger_guard.h
 *		The PostgreSQL plumbing pactoria's C triggers share, and the security
 *		rules of issue 12 that go with it, each in one place:
 *		- the trigger protocol (called by the trigger manager, as it must be);
 *		- which table a trigger fires on (pactoria's own, by name);
 *		- the type of each column a trigger reads (42804 naming it);
 *		- who is trusted (superusers and the owner of schema pactoria);
 *		- the tenant of each row a trigger writes for someone else;
 *		- the switch to a table's owner for SQL run on the caller's behalf.
 */
#ifndef PACTORIA_TRIGGER_GUARD_H
#define PACTORIA_TRIGGER_GUARD_H

#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/hsearch.h"
#include "utils/relcache.h"
#include "utils/uuid.h"

/* The trigger data of a call by the trigger manager, or an error (39P01). */
extern TriggerData *pactoria_trigger_data(FunctionCallInfo fcinfo, const char *function_name);

/*
 * How a trigger function must be fired: one timing, a level (both: either),
 * and the events it serves.  A TRUNCATE trigger is a statement trigger
 * whatever the level says.
 */
#define PACTORIA_BEFORE		0x01
#define PACTORIA_AFTER		0x02
#define PACTORIA_ROW		0x04
#define PACTORIA_STATEMENT	0x08
#define PACTORIA_INSERT		0x10
#define PACTORIA_UPDATE		0x20
#define PACTORIA_DELETE		0x40
#define PACTORIA_TRUNCATE	0x80

/*
 * The trigger data of a call by the trigger manager fired as `how` says, or
 * an error (39P01) that says how it must be fired.
 */
extern TriggerData *pactoria_trigger(FunctionCallInfo fcinfo, const char *function_name, int how);

/* The OID of schema pactoria (the extension's schema). */
extern Oid	pactoria_schema_oid(void);

/*
 * Whether the relation is pactoria.<table_name>, or a partition of it, or
 * (on a Citus node) a shard of either; a temporary table never is.
 */
extern bool pactoria_is_own_table(Relation relation, const char *table_name);

/*
 * Whether the relation is a Citus shard of pactoria.<table_name> (named
 * "<table_name>_<shard id>" in schema pactoria, with Citus installed), or a
 * partition of such a shard: a trigger firing there runs on a worker (or on
 * the coordinator's own placement), inside Citus's task.
 */
extern bool pactoria_is_shard(Relation relation, const char *table_name);

/*
 * The pactoria table whose Citus shard the relation is (or a partition of
 * such a shard), or InvalidOid when it is none.
 */
extern Oid	pactoria_shard_table(Relation relation);

/*
 * On a Citus node: "pactoria.<table_name>_<shard id>", the shard of the
 * distributed pactoria.<table_name> that holds the company's rows, when it is
 * on this node; NULL without Citus, for a table that is not distributed, or
 * when the shard is on another node (the table itself then routes there).  A
 * query of a worker's task (a function Citus pushed down with its query) may
 * read and write such a local shard, not the distributed table.
 */
/*
 * Whether extension citus is installed in this database (cheap when Citus is
 * not loaded at all: one settings lookup).
 */
extern bool pactoria_citus_installed(void);

extern char *pactoria_local_shard(const char *table_name, const pg_uuid_t *company_id);

/*
 * Invalidate the relcache entry of a table the caches follow (system_config,
 * tenant_keys, protected_columns), in every backend: of the table itself when
 * the trigger fires on its Citus placement, as the caches watch the table.
 */
extern void pactoria_invalidate_table(Relation relation);

/*
 * Unless the trigger fires on one of pactoria's tables named in table_names
 * (NULL-terminated), an error (42501): the trigger was attached by someone
 * else to a table it was not made for.
 */
extern void pactoria_require_own_table(Relation relation, const char *function_name,
									   const char *const *table_names);

/*
 * The number of the column, which must exist (42703) and be of the type
 * (42804; through domains when through_domains).
 */
extern AttrNumber pactoria_column_of_type(Relation relation, const char *column_name,
										  Oid type_id, bool through_domains);

/* Whether the role is trusted: a superuser or the owner of schema pactoria. */
extern bool pactoria_role_is_trusted(Oid role_id);

/*
 * The check before a trigger writes, for someone else, a row of a tenant
 * (an audit entry, a history row): a trusted current user (the owner's
 * maintenance) writes for any tenant; any other role only for the tenant in
 * context, which must be set.  Otherwise an error (42501).
 */
extern void pactoria_check_row_tenant(const pg_uuid_t *company_id, const char *what);

/*
 * Switching to a table's owner for pactoria's own statements, as
 * ri_triggers.c does: SECURITY_LOCAL_USERID_CHANGE, row-level security not
 * forced.  Error path: nothing to undo by hand; the abort of the
 * (sub)transaction restores the user and security context saved at its
 * start, as it does for the foreign-key triggers.  Code that catches an error
 * and continues (PG_TRY without re-throw) must restore in PG_FINALLY.
 */
typedef struct PactoriaOwnerSwitch
{
	Oid			saved_user;
	int			saved_security_context;
} PactoriaOwnerSwitch;

/* The owner of pactoria.<table_name> (42P01 when it is missing). */
extern Oid	pactoria_table_owner(const char *table_name);
extern void pactoria_become_owner(Oid owner, PactoriaOwnerSwitch *saved);
extern void pactoria_restore_user(const PactoriaOwnerSwitch *saved);

/*
 * Whether two values of a type hold the same bytes (datum_image_eq), without
 * fetching an out-of-line value whose TOAST pointer is unchanged: how the
 * triggers tell a column that kept its value.
 */
extern bool pactoria_datum_image_equal(Datum left, Datum right, bool by_value, int16 length);

/*
 * A per-backend cache of entries keyed by relation OID (the column numbers a
 * trigger needs, say): an entry is marked stale when its relation's relcache
 * entry is invalidated (ALTER TABLE, ...), and every entry when all of the
 * relcache is, or, for a cache that depends_on_config (entries built from
 * settings), when pactoria.system_config is.  Each entry type begins with a
 * PactoriaCachedRelation.  One relcache callback serves every such cache.
 */
typedef struct PactoriaCachedRelation
{
	Oid			relation_id;	/* hash key */
	bool		valid;			/* cleared on invalidation */
} PactoriaCachedRelation;

typedef struct PactoriaRelationCache
{
	HTAB	   *entries;		/* NULL until first used */
	bool		depends_on_config;	/* a change of system_config clears every entry */
	uint64		invalidations;	/* seen so far: one during a rebuild leaves the entry stale */
} PactoriaRelationCache;

/*
 * The cache's entry for the relation (*found: whether it existed), created
 * on first use with entries of entry_size bytes; a new entry is not valid.
 */
extern PactoriaCachedRelation *pactoria_relation_cache_entry(PactoriaRelationCache *cache, const char *name,
															 Size entry_size, Oid relation_id, bool *found);

/*
 * A number that changes whenever pactoria.system_config may have changed for
 * this backend (its relcache entry, or all of the relcache, was invalidated;
 * audit_settings_changed() invalidates it for a change of a key that
 * pactoria_config_key_is_cached(), and for a TRUNCATE).  A value read from
 * the configuration is current while the number is unchanged.
 */
extern uint64 pactoria_config_generation(void);

/*
 * The same for another table whose changes a cache follows (tenant_keys:
 * its writes invalidate its relcache entry); the tables are listed in
 * trigger_guard.c.
 */
extern uint64 pactoria_table_generation(const char *table_name);

/*
 * Whether a cache kept across statements (those above) reads the
 * configuration key: a change of any other key invalidates nothing.  Every
 * such cache names its keys in the one list of trigger_guard.c.
 */
extern bool pactoria_config_key_is_cached(const char *key, Size length);

/*
 * The body of the AFTER statement trigger of a table that caches follow
 * (tenant_keys_changed, protected_columns_changed): checks the protocol and
 * that it fires on pactoria.<table_name>, then invalidates the table's
 * relcache entry, so every backend sees the change at its next use.
 */
extern Datum pactoria_tracked_table_changed(FunctionCallInfo fcinfo, const char *function_name,
											const char *table_name);

/* The cache's entry for the relation, or NULL (nothing is created). */
extern PactoriaCachedRelation *pactoria_relation_cache_find(PactoriaRelationCache *cache, Oid relation_id);

/* SPI_connect, or an error. */
extern void pactoria_spi_connect(void);

/*
 * SPI_prepare and SPI_keepplan: a plan kept for the life of the backend, or
 * an error.  Prepare it as the role it will run as (after the owner switch).
 */
extern SPIPlanPtr pactoria_keep_plan(const char *query, int argument_count, Oid *argument_types);

#endif							/* PACTORIA_TRIGGER_GUARD_H */
