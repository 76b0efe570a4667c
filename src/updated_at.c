/*
 * updated_at.c
 *		pactoria.set_updated_at(): BEFORE UPDATE trigger that stamps a
 *		timestamptz column with the transaction's start time, as contrib's
 *		moddatetime does.
 *
 *	CREATE TRIGGER trg_x_set_updated_at BEFORE UPDATE ON x
 *		FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at();	-- column updated_at
 *	... EXECUTE FUNCTION pactoria.set_updated_at('modified_at');	-- another column
 *
 * The column is found by name once per statement (cached in fn_extra, keyed
 * by the tuple descriptor) and the value written is now(), so every row of a
 * statement gets the same stamp, whatever the UPDATE itself wrote there.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "access/xact.h"

#include "trigger_guard.h"

typedef struct UpdatedAtCache
{
	TupleDesc	tuple_descriptor;	/* the descriptor the attnum belongs to */
	int			column_number;	/* 1-based, as heap_modify_tuple_by_cols wants */
} UpdatedAtCache;

PG_FUNCTION_INFO_V1(pactoria_set_updated_at);

Datum
pactoria_set_updated_at(PG_FUNCTION_ARGS)
{
	TriggerData *trigger_data;
	Relation	relation;
	TupleDesc	tuple_descriptor;
	UpdatedAtCache *cache;
	const char *column_name = "updated_at";
	Datum		value;
	bool		is_null = false;

	trigger_data = pactoria_trigger(fcinfo, "set_updated_at",
								PACTORIA_BEFORE | PACTORIA_ROW | PACTORIA_UPDATE);
	if (trigger_data->tg_trigger->tgnargs > 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pactoria.set_updated_at() takes at most one argument, the column name")));
	if (trigger_data->tg_trigger->tgnargs == 1)
		column_name = trigger_data->tg_trigger->tgargs[0];

	relation = trigger_data->tg_relation;
	tuple_descriptor = RelationGetDescr(relation);

	cache = (UpdatedAtCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL || cache->tuple_descriptor != tuple_descriptor)
	{
		int			column_number = SPI_fnumber(tuple_descriptor, column_name);
		Oid			column_type;

		if (column_number <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of relation \"%s\" does not exist",
							column_name, RelationGetRelationName(relation)),
					 errhint("Give pactoria.set_updated_at() the name of a timestamptz column.")));
		column_type = TupleDescAttr(tuple_descriptor, column_number - 1)->atttypid;
		if (column_type != TIMESTAMPTZOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of relation \"%s\" must be of type timestamp with time zone",
							column_name, RelationGetRelationName(relation))));

		if (cache == NULL)
			cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(UpdatedAtCache));
		cache->tuple_descriptor = tuple_descriptor;
		cache->column_number = column_number;
		fcinfo->flinfo->fn_extra = cache;
	}

	value = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	return PointerGetDatum(heap_modify_tuple_by_cols(trigger_data->tg_newtuple, tuple_descriptor,
													 1, &cache->column_number,
													 &value, &is_null));
}
