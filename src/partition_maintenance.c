/*
 * partition_maintenance.c
 *		The C parts of partition maintenance:
 *		pactoria.partition_bounds(regclass), the partitions of a range-partitioned
 *		table with their real bounds read from the partition descriptor, and
 *		pactoria.call_before_removal(regprocedure, regclass), which runs a
 *		table's before-removal function as the table's owner.
 *
 * PostgreSQL has no SQL function returning a partition's bounds as typed
 * values: pg_get_expr(relpartbound, oid) gives text to be parsed again.  The
 * relation cache already holds every bound as a Datum in the parent's
 * PartitionBoundInfo, sorted, so one pass over it yields each partition's lower
 * and upper bound without parsing and without touching the partitions
 * themselves.  Partition maintenance (run_maintenance, retention) decides
 * everything from these values, never from partition names.
 *
 * Bounds are returned as timestamp without time zone: a timestamptz key's
 * bounds in UTC (the same instant, written as UTC wall-clock time), a date
 * key's bounds at midnight.  MINVALUE and MAXVALUE are returned as NULL.
 */
#include "postgres.h"

#include "access/relation.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "partitioning/partbounds.h"
#include "partitioning/partdesc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/partcache.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pactoria_partition_bounds);
PG_FUNCTION_INFO_V1(pactoria_call_before_removal);

/*
 * bound_as_timestamp
 *		One range bound datum of a key of type key_type as a timestamp; false
 *		for MINVALUE or MAXVALUE (no value).
 */
static bool
bound_as_timestamp(Datum value, PartitionRangeDatumKind kind, Oid key_type,
				   Timestamp *result)
{
	if (kind != PARTITION_RANGE_DATUM_VALUE)
		return false;

	switch (key_type)
	{
		case TIMESTAMPTZOID:
			/* µs since 2000-01-01 UTC: the same number is the UTC wall clock */
			*result = (Timestamp) DatumGetTimestampTz(value);
			break;
		case TIMESTAMPOID:
			*result = DatumGetTimestamp(value);
			break;
		case DATEOID:
			{
				int			overflow = 0;

				*result = date2timestamp_opt_overflow(DatumGetDateADT(value), &overflow);
				if (overflow < 0)
					TIMESTAMP_NOBEGIN(*result);
				else if (overflow > 0)
					TIMESTAMP_NOEND(*result);
				break;
			}
		default:
			elog(ERROR, "unexpected partition key type %u", key_type);
	}
	return true;
}

/*
 * check_partition_key
 *		The table must be partitioned by RANGE on one column of type
 *		timestamptz, timestamp or date: what pactoria's maintenance can handle.
 *		Returns the key's type.
 */
static Oid
check_partition_key(Relation parent)
{
	PartitionKey key;
	Oid			key_type;

	if (parent->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("table \"%s\" is not partitioned",
						RelationGetRelationName(parent)),
				 errhint("Create it with PARTITION BY RANGE (column) on a timestamptz, timestamp or date column.")));

	key = RelationGetPartitionKey(parent);
	if (key->strategy != PARTITION_STRATEGY_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("table \"%s\" is not partitioned by range",
						RelationGetRelationName(parent)),
				 errdetail("Only range partitioning on one timestamptz, timestamp or date column is supported.")));
	if (key->partnatts != 1 || get_partition_col_attnum(key, 0) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("table \"%s\" is not partitioned on exactly one column",
						RelationGetRelationName(parent)),
				 errdetail("The partition key must be one plain column, not several columns or an expression.")));

	key_type = get_partition_col_typid(key, 0);
	if (key_type != TIMESTAMPTZOID && key_type != TIMESTAMPOID && key_type != DATEOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("partition key column \"%s\" of table \"%s\" has type %s",
						get_attname(RelationGetRelid(parent), get_partition_col_attnum(key, 0), false),
						RelationGetRelationName(parent), format_type_be(key_type)),
				 errdetail("The partition key must be of type timestamptz, timestamp or date.")));
	return key_type;
}

/*
 * pactoria.partition_bounds(parent regclass)
 *		RETURNS TABLE (partition_table regclass, is_default boolean,
 *					   lower_bound timestamp, upper_bound timestamp)
 *
 * One row per partition in bound order, then the default partition (bounds
 * NULL) if there is one.  Partitions being detached concurrently are included:
 * they still occupy their range.  Errors if the table is not range-partitioned
 * on one timestamptz, timestamp or date column, so it doubles as the check of
 * a table given to register_partitioned_table.
 */
Datum
pactoria_partition_bounds(PG_FUNCTION_ARGS)
{
	Oid			parent_oid = PG_GETARG_OID(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Relation	parent;
	Oid			key_type;
	PartitionDesc partdesc;
	PartitionBoundInfo boundinfo;
	AclResult	aclresult;

	InitMaterializedSRF(fcinfo, 0);

	/* Check the privilege before taking any lock, as the relation lookups of commands do. */
	aclresult = pg_class_aclcheck(parent_oid, GetUserId(), ACL_SELECT);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, get_relkind_objtype(get_rel_relkind(parent_oid)),
					   get_rel_name(parent_oid));

	parent = relation_open(parent_oid, AccessShareLock);
	key_type = check_partition_key(parent);
	partdesc = RelationGetPartitionDesc(parent, false);
	boundinfo = partdesc->boundinfo;

	if (boundinfo != NULL)
	{
		/*
		 * For range partitioning, indexes[i] is the partition whose upper
		 * bound is datums[i] (-1 for a gap); its lower bound is datums[i - 1],
		 * because every lower bound is in the sorted datums array too.
		 */
		for (int i = 1; i < boundinfo->ndatums; i++)
		{
			int			part = boundinfo->indexes[i];
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};
			Timestamp	bound;

			if (part < 0)
				continue;
			values[0] = ObjectIdGetDatum(partdesc->oids[part]);
			values[1] = BoolGetDatum(false);
			if (bound_as_timestamp(boundinfo->datums[i - 1][0], boundinfo->kind[i - 1][0], key_type, &bound))
				values[2] = TimestampGetDatum(bound);
			else
				nulls[2] = true;
			if (bound_as_timestamp(boundinfo->datums[i][0], boundinfo->kind[i][0], key_type, &bound))
				values[3] = TimestampGetDatum(bound);
			else
				nulls[3] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}

		if (partition_bound_has_default(boundinfo))
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, true, true};

			values[0] = ObjectIdGetDatum(partdesc->oids[boundinfo->default_index]);
			values[1] = BoolGetDatum(true);
			values[2] = values[3] = (Datum) 0;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}

	/* Keep the lock to the end of the transaction, so the bounds stay true. */
	relation_close(parent, NoLock);
	return (Datum) 0;
}

/*
 * pactoria.call_before_removal(function regprocedure, partition regclass)
 *
 * Calls function(partition) with the privileges of the partition's owner, in
 * a security-restricted operation, as VACUUM and ANALYZE run a table's index
 * functions: maintenance usually runs as a superuser (the background worker
 * does), and the function is the table owner's code, so it must get no more
 * than the owner's rights, and cannot SET ROLE back.  Settings it changes are
 * undone when it returns.  The caller must have the owner's privileges.
 */
Datum
pactoria_call_before_removal(PG_FUNCTION_ARGS)
{
	Oid			function = PG_GETARG_OID(0);
	Oid			partition = PG_GETARG_OID(1);
	HeapTuple	tuple;
	Oid			owner;
	Oid		   *argument_types;
	int			argument_count;
	Oid			result_type;
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;
	FmgrInfo	flinfo;
	LOCAL_FCINFO(call, 1);

	if (!SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(function)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function with OID %u does not exist", function)));

	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(partition));
	if (!HeapTupleIsValid(tuple))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", partition)));
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);

	if (!has_privs_of_role(GetUserId(), owner))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to call the before-removal function of table \"%s\"",
						get_rel_name(partition)),
				 errdetail("Only roles with the privileges of the table's owner can.")));

	result_type = get_func_signature(function, &argument_types, &argument_count);
	if (argument_count != 1 || argument_types[0] != REGCLASSOID || result_type != VOIDOID)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("function %s cannot be called before a partition is removed",
						format_procedure(function)),
				 errdetail("The function must take one argument of type regclass (the partition) and return void.")));

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(owner, save_sec_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	save_nestlevel = NewGUCNestLevel();

	if (pg_proc_aclcheck(function, owner, ACL_EXECUTE) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_FUNCTION, get_func_name(function));

	/* Called directly, not by OidFunctionCall1: a void result may be NULL. */
	fmgr_info(function, &flinfo);
	InitFunctionCallInfoData(*call, &flinfo, 1, InvalidOid, NULL, NULL);
	call->args[0].value = ObjectIdGetDatum(partition);
	call->args[0].isnull = false;
	(void) FunctionCallInvoke(call);

	AtEOXact_GUC(false, save_nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec_context);
	PG_RETURN_VOID();
}
