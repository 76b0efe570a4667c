/*
 * partition_worker.c
 *		Partition maintenance scheduled inside the server.
 *
 * When pactoria is in shared_preload_libraries, one background worker, the
 * launcher, wakes every pactoria.maintenance_interval and, for each database
 * named in pactoria.maintenance_databases in turn, starts a short-lived
 * worker connected to that database which runs pactoria.maintenance_steps()
 * (the work of pactoria.run_maintenance(), its report with the rows moved as a
 * number) for each registered parent in a transaction of its own (so the locks a
 * parent's new or dropped partitions need are held for that parent's
 * maintenance only), logs one line with what it did and exits.
 *
 * Why a launcher and per-run workers rather than one worker per database
 * connected for good: both settings can change on reload (SIGHUP), a database
 * that does not exist is noticed and reported once instead of making a
 * worker fail at every restart, and between runs nothing is connected to the
 * databases, so DROP DATABASE is never blocked by maintenance.
 *
 * The launcher starts only once recovery has finished: on a standby nothing
 * runs (and run_maintenance() itself does nothing there either).  If it dies
 * it is restarted after LAUNCHER_RESTART_SECONDS; a run that fails is simply
 * retried at the next interval.
 */
#include "postgres.h"

#include <limits.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "partition_worker.h"
#include "trigger_guard.h"

PGDLLEXPORT void pactoria_maintenance_launcher_main(Datum main_arg);
PGDLLEXPORT void pactoria_maintenance_worker_main(Datum main_arg);

#define LAUNCHER_RESTART_SECONDS 10

/* bgw_extra[0] of a run worker: whether to report a missing extension at LOG */
#define RUN_FIRST_IN_DATABASE 1

static int	maintenance_interval = 3600;	/* seconds; 0 = off */
static char *maintenance_databases = NULL;

/*
 * check_maintenance_databases
 *		GUC check hook: the value must be a comma-separated list of names.
 */
static bool
check_maintenance_databases(char **newval, void **extra, GucSource source)
{
	char	   *copy = pstrdup(*newval);
	List	   *names = NIL;
	bool		valid = SplitGUCList(copy, ',', &names);

	list_free(names);
	pfree(copy);
	if (!valid)
	{
		GUC_check_errdetail("The value must be a comma-separated list of database names.");
		return false;
	}
	return true;
}

/*
 * describe_worker
 *		Fill in a background worker of this library: it needs a database
 *		connection and starts only once recovery has finished (never on a
 *		standby).
 */
static void
describe_worker(BackgroundWorker *worker, const char *function_name, const char *type, int restart_time)
{
	memset(worker, 0, sizeof(*worker));
	worker->bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker->bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker->bgw_restart_time = restart_time;
	strlcpy(worker->bgw_library_name, "pactoria", BGW_MAXLEN);
	strlcpy(worker->bgw_function_name, function_name, BGW_MAXLEN);
	strlcpy(worker->bgw_name, type, BGW_MAXLEN);
	strlcpy(worker->bgw_type, type, BGW_MAXLEN);
}

/*
 * register_launcher
 *		Register the maintenance launcher with the postmaster (only possible
 *		while shared_preload_libraries are loaded).
 */
static void
register_launcher(void)
{
	BackgroundWorker worker;

	describe_worker(&worker, "pactoria_maintenance_launcher_main", "pactoria maintenance launcher",
					LAUNCHER_RESTART_SECONDS);
	RegisterBackgroundWorker(&worker);
}

/*
 * pactoria_define_partition_settings
 *		Define pactoria.maintenance_interval and pactoria.maintenance_databases
 *		(both reloadable), and register the launcher when the library is being
 *		preloaded: only then can a background worker be registered at startup.
 */
void
pactoria_define_partition_settings(void)
{
	DefineCustomIntVariable("pactoria.maintenance_interval",
							"Time between two runs of partition maintenance by the background worker.",
							"0 turns the worker's runs off. Needs pactoria in shared_preload_libraries.",
							&maintenance_interval,
							3600,
							0,
							INT_MAX,
							PGC_SIGHUP,
							GUC_UNIT_S,
							NULL,
							NULL,
							NULL);
	DefineCustomStringVariable("pactoria.maintenance_databases",
							   "Databases in which the background worker runs partition maintenance.",
							   "A comma-separated list of database names; empty means none.",
							   &maintenance_databases,
							   "",
							   PGC_SIGHUP,
							   GUC_LIST_INPUT,
							   check_maintenance_databases,
							   NULL,
							   NULL);

	if (process_shared_preload_libraries_in_progress)
		register_launcher();
}

/*
 * find_database
 *		The OID of a database by name, or InvalidOid.  The launcher is connected
 *		to no database, so it cannot use pg_database's indexes (their relcache
 *		entries need pg_class): it scans the heap, as the autovacuum launcher does.
 */
static Oid
find_database(const char *name)
{
	Relation	pg_database;
	TableScanDesc scan;
	HeapTuple	tuple;
	Oid			result = InvalidOid;

	pg_database = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(pg_database, 0, NULL);
	while ((tuple = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Form_pg_database form = (Form_pg_database) GETSTRUCT(tuple);

		if (strcmp(NameStr(form->datname), name) == 0)
		{
			result = form->oid;
			break;
		}
	}
	table_endscan(scan);
	table_close(pg_database, AccessShareLock);
	return result;
}

/*
 * listed_database_oids
 *		The OIDs of the databases named in pactoria.maintenance_databases that
 *		exist, allocated in the caller's memory context.  A name that does not
 *		exist is reported once (per launcher lifetime), in *reported_missing.
 */
static List *
listed_database_oids(List **reported_missing)
{
	MemoryContext caller_context = CurrentMemoryContext;
	List	   *result = NIL;
	List	   *names = NIL;
	char	   *copy;
	ListCell   *cell;

	StartTransactionCommand();
	(void) GetTransactionSnapshot();
	copy = pstrdup(maintenance_databases);
	/* The check hook has accepted the value, so it splits. */
	(void) SplitGUCList(copy, ',', &names);
	foreach(cell, names)
	{
		char	   *name = (char *) lfirst(cell);
		Oid			database = find_database(name);
		MemoryContext old_context;

		old_context = MemoryContextSwitchTo(caller_context);
		if (OidIsValid(database))
			result = list_append_unique_oid(result, database);
		else
		{
			ListCell   *reported;
			bool		already = false;

			foreach(reported, *reported_missing)
				already = already || strcmp((char *) lfirst(reported), name) == 0;
			if (!already)
			{
				ereport(LOG,
						(errmsg("database \"%s\" in pactoria.maintenance_databases does not exist", name),
						 errhint("Partition maintenance skips it; correct pactoria.maintenance_databases and reload.")));
				/* kept across rounds: in TopMemoryContext, list cells too */
				MemoryContextSwitchTo(TopMemoryContext);
				*reported_missing = lappend(*reported_missing, pstrdup(name));
			}
		}
		MemoryContextSwitchTo(old_context);
	}
	CommitTransactionCommand();
	return result;
}

/*
 * run_in_database
 *		Start a run worker for one database and wait until it has finished.
 */
static void
run_in_database(Oid database, bool first_run)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;

	describe_worker(&worker, "pactoria_maintenance_worker_main", "pactoria maintenance", BGW_NEVER_RESTART);
	snprintf(worker.bgw_name, BGW_MAXLEN, "pactoria maintenance of database %u", database);
	worker.bgw_main_arg = ObjectIdGetDatum(database);
	worker.bgw_extra[0] = first_run ? RUN_FIRST_IN_DATABASE : 0;
	worker.bgw_notify_pid = MyProcPid;

	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
	{
		ereport(WARNING,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("could not start partition maintenance for database %u", database),
				 errdetail("No background worker slot is free."),
				 errhint("Raise max_worker_processes; maintenance is tried again at the next interval.")));
		return;
	}
	(void) WaitForBackgroundWorkerShutdown(handle);
	pfree(handle);
}

/*
 * pactoria_maintenance_launcher_main
 *		Every pactoria.maintenance_interval, run maintenance in each listed
 *		database, one after the other.  The first round starts at once.
 */
void
pactoria_maintenance_launcher_main(Datum main_arg)
{
	MemoryContext round_context;
	List	   *reported_missing = NIL;
	List	   *databases_run = NIL;
	TimestampTz last_start = 0;
	bool		has_run = false;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	/* No database: the launcher reads only the shared catalog pg_database. */
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);

	round_context = AllocSetContextCreate(TopMemoryContext, "pactoria maintenance launcher",
										  ALLOCSET_DEFAULT_SIZES);
	ereport(LOG,
			(errmsg("pactoria partition maintenance launcher started"),
			 errdetail("Interval %d s, databases \"%s\".", maintenance_interval, maintenance_databases)));

	for (;;)
	{
		TimestampTz now;
		long		timeout = -1;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			int			interval_before = maintenance_interval;

			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			/* Said once per change, after the run in progress (if any) has ended. */
			if (maintenance_interval != interval_before && maintenance_interval == 0)
				ereport(LOG,
						(errmsg("pactoria partition maintenance is off"),
						 errdetail("pactoria.maintenance_interval is 0: no run starts until it is set above 0.")));
			else if (maintenance_interval != interval_before)
				ereport(LOG,
						(errmsg("pactoria partition maintenance interval is now %d s", maintenance_interval)));
		}

		now = GetCurrentTimestamp();
		if (maintenance_interval > 0 &&
			(!has_run || now >= TimestampTzPlusMilliseconds(last_start, (int64) maintenance_interval * 1000)))
		{
			MemoryContext old_context = MemoryContextSwitchTo(round_context);
			List	   *databases = listed_database_oids(&reported_missing);
			ListCell   *cell;

			last_start = now;
			has_run = true;
			foreach(cell, databases)
			{
				Oid			database = lfirst_oid(cell);
				bool		first_run = !list_member_oid(databases_run, database);

				if (first_run)
				{
					MemoryContextSwitchTo(TopMemoryContext);
					databases_run = lappend_oid(databases_run, database);
					MemoryContextSwitchTo(round_context);
				}
				run_in_database(database, first_run);
				CHECK_FOR_INTERRUPTS();
			}
			MemoryContextSwitchTo(old_context);
			MemoryContextReset(round_context);
			continue;			/* re-read the settings before sleeping */
		}

		if (maintenance_interval > 0)
			timeout = TimestampDifferenceMilliseconds(now,
													  TimestampTzPlusMilliseconds(last_start,
																				  (int64) maintenance_interval * 1000));
		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_EXIT_ON_PM_DEATH | (timeout >= 0 ? WL_TIMEOUT : 0),
						 timeout, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * Counts of one run, by action.
 */
typedef struct MaintenanceCounts
{
	int64		created;
	int64		rows_moved;
	int64		detached;
	int64		dropped;
	int64		skipped;
} MaintenanceCounts;

/*
 * The report of one parent's maintenance: action, detail, what it is about and
 * the rows the step moved (bigint), read as a number.  pactoria.maintenance_steps()
 * gives that count as a column; in a database whose extension is still at 0.1.0
 * (the library was installed, ALTER EXTENSION UPDATE has not run yet) there is
 * only 0.1.0's run_maintenance(), whose report has the count as the first word of
 * a rows_moved step's detail alone, so the query for it takes it from there, as
 * bigint too.
 */
static const char *const maintenance_query =
"SELECT r.action, r.detail, coalesce(r.partition_name, r.parent_table::pg_catalog.text), r.rows_moved"
" FROM pactoria.partition_config AS c,"
" LATERAL pactoria.maintenance_steps(c.parent_table, pg_catalog.now()) AS r"
" WHERE c.parent_table OPERATOR(pg_catalog.=) $1";
static const char *const maintenance_query_0_1_0 =
"SELECT r.action, r.detail, coalesce(r.partition_name, r.parent_table::pg_catalog.text),"
" CASE WHEN r.action OPERATOR(pg_catalog.=) 'rows_moved'"
" THEN pg_catalog.split_part(r.detail, ' ', 1)::pg_catalog.int8 ELSE 0 END"
" FROM pactoria.partition_config AS c,"
" LATERAL pactoria.run_maintenance(c.parent_table) AS r"
" WHERE c.parent_table OPERATOR(pg_catalog.=) $1";

/*
 * maintain_parent
 *		Run pactoria.maintenance_steps() (run_maintenance() of 0.1.0 when
 *		has_steps is false) for one parent in a transaction of its own, add up
 *		its report and log what was skipped.  A parent that was unregistered
 *		meanwhile yields no rows.
 */
static void
maintain_parent(Oid parent, bool has_steps, MaintenanceCounts *counts)
{
	Oid			argument_types[1] = {REGCLASSOID};
	Datum		arguments[1] = {ObjectIdGetDatum(parent)};
	int			result;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	pactoria_spi_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, has_steps ? "SELECT pactoria.maintenance_steps(...)"
						   : "SELECT pactoria.run_maintenance(...)");

	result = SPI_execute_with_args(has_steps ? maintenance_query : maintenance_query_0_1_0,
								   1, argument_types, arguments, NULL, false, 0);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "partition maintenance query failed: %s", SPI_result_code_string(result));
	if (SPI_tuptable->tupdesc->natts != 4 || SPI_gettypeid(SPI_tuptable->tupdesc, 4) != INT8OID)
		elog(ERROR, "partition maintenance report has no bigint rows_moved column");

	for (uint64 row = 0; row < SPI_processed; row++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[row];
		TupleDesc	descriptor = SPI_tuptable->tupdesc;
		char	   *action = SPI_getvalue(tuple, descriptor, 1);
		char	   *detail = SPI_getvalue(tuple, descriptor, 2);
		char	   *subject = SPI_getvalue(tuple, descriptor, 3);
		bool		moved_isnull;
		Datum		moved = SPI_getbinval(tuple, descriptor, 4, &moved_isnull);

		if (!moved_isnull)
			counts->rows_moved += DatumGetInt64(moved);
		if (action == NULL)
			continue;
		if (strcmp(action, "created") == 0)
			counts->created++;
		else if (strcmp(action, "detached") == 0)
			counts->detached++;
		else if (strcmp(action, "dropped") == 0)
			counts->dropped++;
		else if (strcmp(action, "skipped") == 0)
		{
			counts->skipped++;
			ereport(LOG,
					(errmsg("pactoria maintenance skipped %s", subject),
					 errdetail_internal("%s", detail != NULL ? detail : "")));
		}
	}

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
}

/*
 * pactoria_maintenance_worker_main
 *		One run in one database: maintenance_steps() for every registered parent,
 *		then one LOG line with the counts.  A database without the extension is
 *		skipped (reported at LOG on its first run since the launcher started).
 */
void
pactoria_maintenance_worker_main(Datum main_arg)
{
	Oid			database = DatumGetObjectId(main_arg);
	bool		first_run = MyBgworkerEntry->bgw_extra[0] == RUN_FIRST_IN_DATABASE;
	MaintenanceCounts counts = {0, 0, 0, 0, 0};
	List	   *parents = NIL;
	char	   *database_name;
	TimestampTz started;
	Oid			steps_argument_types[2] = {REGCLASSOID, TIMESTAMPTZOID};
	bool		has_steps;
	ListCell   *cell;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(database, InvalidOid, 0);
	started = GetCurrentTimestamp();

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	database_name = MemoryContextStrdup(TopMemoryContext, get_database_name(database));
	if (!OidIsValid(get_extension_oid("pactoria", true)))
	{
		ereport(first_run ? LOG : DEBUG1,
				(errmsg("pactoria maintenance skips database \"%s\": extension pactoria is not installed there",
						database_name)));
		CommitTransactionCommand();
		proc_exit(0);
	}

	/* 0.1.0's SQL objects (not updated yet) have no maintenance_steps() */
	has_steps = OidIsValid(LookupFuncName(list_make2(makeString("pactoria"), makeString("maintenance_steps")),
										  2, steps_argument_types, true));
	pactoria_spi_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	if (SPI_execute("SELECT parent_table::pg_catalog.oid FROM pactoria.partition_config ORDER BY parent_table::pg_catalog.text",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read pactoria.partition_config");
	for (uint64 row = 0; row < SPI_processed; row++)
	{
		bool		isnull;
		Datum		parent = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, 1, &isnull);
		MemoryContext old_context = MemoryContextSwitchTo(TopMemoryContext);

		parents = lappend_oid(parents, DatumGetObjectId(parent));
		MemoryContextSwitchTo(old_context);
	}
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();

	foreach(cell, parents)
	{
		CHECK_FOR_INTERRUPTS();
		maintain_parent(lfirst_oid(cell), has_steps, &counts);
	}

	ereport(LOG,
			(errmsg("pactoria maintenance of database \"%s\": " INT64_FORMAT " created, " INT64_FORMAT " rows moved, "
					INT64_FORMAT " detached, " INT64_FORMAT " dropped, " INT64_FORMAT " skipped",
					database_name, counts.created, counts.rows_moved, counts.detached, counts.dropped,
					counts.skipped),
			 errdetail("%d registered tables, %ld ms.", list_length(parents),
					   TimestampDifferenceMilliseconds(started, GetCurrentTimestamp()))));
	proc_exit(0);
}
