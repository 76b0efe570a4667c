/*
 * detach_references.c
 *		pactoria.detach_references(): the BEFORE DELETE trigger that clears
 *		the references to a deleted row, which ON DELETE SET NULL (column)
 *		foreign keys did in 0.1.0.
 *
 * Citus refuses SET NULL on a foreign key that includes the distribution
 * column (every key between tenant tables includes company_id), and would
 * null company_id with it.  The keys are now NO ACTION; this trigger, on the
 * referenced table, sets the referencing column to NULL in the rows of the
 * same company first, as the table owner without row-level security, as the
 * foreign-key action did (ri_triggers.c).  The references it clears are
 * listed here, not taken from trigger arguments.
 *
 * users.invited_by keeps its ON DELETE SET NULL (invited_by): users is a
 * reference table on Citus, where the key has no distribution column and
 * each placement's own foreign key clears it.  (A trigger could not: a
 * statement deleting an inviter and the invited user would modify a row it
 * then deletes.)
 *
 * On a Citus node the trigger fires on a shard.  A reference from a
 * distributed table to a colocated one (contracts and their children) is
 * cleared through the distributed table: Citus routes the statement, with
 * its company_id, to the colocated shard on the same node, which a trigger
 * may do.  A delete from the reference table users runs on every node's
 * placement of it; system_metrics is distributed, and the node that holds
 * the company's shard of it clears the references in that shard directly
 * (a placement may not run a distributed statement), the others skip it.
 * Before distribute_tables(), system_metrics is a plain table.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/uuid.h"

#include "trigger_guard.h"

PG_FUNCTION_INFO_V1(pactoria_detach_references);

typedef struct DetachedReference
{
	const char *parent;			/* the referenced table */
	const char *child;			/* the referencing table */
	const char *column;			/* its column, with company_id the key */
	SPIPlanPtr	plan;			/* the UPDATE through the child table */
} DetachedReference;

static DetachedReference references[] = {
	{"users", "system_metrics", "user_id", NULL},
	{"ai_generations", "contracts", "ai_generation_id", NULL},
	{"contracts", "chat_messages", "contract_id", NULL},
	{"contracts", "risk_assessments", "contract_id", NULL},
};

static const char *const parents[] = {"users", "ai_generations", "contracts", NULL};

/* UPDATE <relation> SET column = NULL for one company's rows naming id. */
static char *
detach_query_on(const char *relation, const char *column)
{
	return psprintf("UPDATE %s SET %s = NULL"
					" WHERE company_id OPERATOR(pg_catalog.=) $1"
					" AND %s OPERATOR(pg_catalog.=) $2",
					relation, quote_identifier(column), quote_identifier(column));
}

/* The same through pactoria.<table>. */
static char *
detach_query(const char *table, const char *column)
{
	return detach_query_on(psprintf("pactoria.%s", quote_identifier(table)), column);
}

/* Whether pactoria.<table> is a table of Citus's (inside SPI). */
static bool
child_is_distributed(const char *table)
{
	Oid			types[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(psprintf("pactoria.%s", quote_identifier(table)))};

	if (SPI_execute_with_args("SELECT 1 FROM pg_catalog.pg_dist_partition"
							  " WHERE logicalrelid OPERATOR(pg_catalog.=) $1::pg_catalog.regclass",
							  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_dist_partition");
	return SPI_processed == 1;
}

Datum
pactoria_detach_references(PG_FUNCTION_ARGS)
{
	TriggerData *trigger_data = pactoria_trigger(fcinfo, "detach_references",
												 PACTORIA_BEFORE | PACTORIA_ROW | PACTORIA_DELETE);
	Relation	relation = trigger_data->tg_relation;
	HeapTuple	old_row = trigger_data->tg_trigtuple;
	const char *parent = NULL;
	bool		on_shard;
	AttrNumber	company_column;
	AttrNumber	id_column;
	Datum		arguments[2];
	bool		is_null;
	Oid			owner = InvalidOid;
	PactoriaOwnerSwitch caller;

	pactoria_require_own_table(relation, "detach_references", parents);
	for (const char *const *name = parents; *name != NULL; name++)
		if (pactoria_is_own_table(relation, *name))
			parent = *name;
	on_shard = pactoria_is_shard(relation, parent);

	company_column = pactoria_column_of_type(relation, "company_id", UUIDOID, false);
	id_column = pactoria_column_of_type(relation, "id", UUIDOID, false);
	arguments[0] = heap_getattr(old_row, company_column, RelationGetDescr(relation), &is_null);
	if (is_null)
		return PointerGetDatum(old_row);	/* a NOT NULL column: nothing can name the row */
	arguments[1] = heap_getattr(old_row, id_column, RelationGetDescr(relation), &is_null);
	if (is_null)
		return PointerGetDatum(old_row);
	pactoria_check_row_tenant(DatumGetUUIDP(arguments[0]), "the references to a deleted row");

	pactoria_spi_connect();
	for (int i = 0; i < lengthof(references); i++)
	{
		DetachedReference *reference = &references[i];
		char	   *shard;
		int			result;

		if (strcmp(reference->parent, parent) != 0)
			continue;
		shard = NULL;
		if (on_shard && strcmp(parent, "users") == 0 && child_is_distributed(reference->child))
		{
			/* see the header: this node's shard of the company, or none here */
			shard = pactoria_local_shard(reference->child, DatumGetUUIDP(arguments[0]));
			if (shard == NULL)
				continue;
		}
		if (!OidIsValid(owner))
		{
			owner = pactoria_table_owner(parent);
			pactoria_become_owner(owner, &caller);
		}
		if (reference->plan == NULL)
		{
			Oid			types[2] = {UUIDOID, UUIDOID};

			reference->plan = pactoria_keep_plan(detach_query(reference->child, reference->column), 2, types);
		}
		if (shard == NULL)
			result = SPI_execute_plan(reference->plan, arguments, NULL, false, 0);
		else
		{
			Oid			types[2] = {UUIDOID, UUIDOID};

			result = SPI_execute_with_args(detach_query_on(shard, reference->column), 2, types, arguments,
										   NULL, false, 0);
		}
		if (result != SPI_OK_UPDATE)
			elog(ERROR, "clearing %s.%s failed: %s", reference->child, reference->column,
				 SPI_result_code_string(result));
	}
	if (OidIsValid(owner))
		pactoria_restore_user(&caller);
	SPI_finish();
	return PointerGetDatum(old_row);
}
