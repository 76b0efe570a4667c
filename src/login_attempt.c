/*
 * login_attempt.c
 *		pactoria.attempt_login(kind, email, secret, client_ip, user_agent): a
 *		login attempt decided and recorded in a transaction of its own.
 *
 * A failed login must stay counted although the caller's transaction ends in
 * the error that reports it (or in a ROLLBACK the caller chooses): a failure
 * the caller can undo is no lock-out.  PostgreSQL has no autonomous
 * transactions, so the attempt runs in a dynamic background worker: the
 * caller hands it the attempt in a dynamic shared memory segment and waits;
 * the worker connects to the same database, runs
 * pactoria.decide_login(kind, email, secret, client_ip, user_agent, at) --
 * which locks the user's row, checks lock-out and throttling, compares the
 * password, counts, locks and writes the audit events -- commits, and leaves
 * the outcome in the segment.  The caller trusts an outcome only when the
 * worker marked it decided after its commit; anything else is an error, so
 * an attempt is never let through unrecorded (fail closed).
 *
 * One user's attempts are serialised by the row lock in decide_login(), so N
 * concurrent wrong passwords from N connections count N and the lock holds.
 * The worker waits at most WORKER_LOCK_TIMEOUT for a lock: a caller whose own
 * open transaction holds the user's row would otherwise wait for a worker
 * that waits for it.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/dsm.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/inet.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
#include "utils/wait_event.h"

#include "identity_clock.h"

#define KIND_MAX 32
#define EMAIL_MAX 254
#define SECRET_MAX 1024
#define ADDRESS_MAX 64
#define USER_AGENT_MAX 1000
#define OUTCOME_MAX 32
/* How long a caller waits for a free worker slot, in steps of SLOT_RETRY_MS. */
#define SLOT_RETRY_MS 20
#define SLOT_RETRIES 250
#define WORKER_LOCK_TIMEOUT "5s"
/* A worker's error message is handed on cut to this many bytes. */
#define ERROR_MESSAGE_MAX 200

typedef struct LoginAttempt
{
	/* set by the caller */
	Oid			database;
	TimestampTz at;				/* the caller's pactoria.clock_now() */
	char		kind[KIND_MAX + 1];
	char		email[EMAIL_MAX + 1];
	char		secret[SECRET_MAX + 1];
	bool		secret_null;
	char		client_ip[ADDRESS_MAX + 1];
	bool		client_ip_null;
	char		user_agent[USER_AGENT_MAX + 1];
	bool		user_agent_null;
	/* set by the worker, after its commit */
	bool		decided;
	char		outcome[OUTCOME_MAX + 1];
	pg_uuid_t	company_id;
	bool		company_id_null;
	pg_uuid_t	user_id;
	bool		user_id_null;
	bool		mfa_required;
	/* set by the worker when it failed: its error, for the caller to raise */
	int			error_code;
	char		error_message[ERROR_MESSAGE_MAX + 1];
} LoginAttempt;

/* What decide_login() returned, kept by the worker until it has committed. */
typedef struct LoginDecision
{
	char		outcome[OUTCOME_MAX + 1];
	pg_uuid_t	company_id;
	pg_uuid_t	user_id;
	bool		company_id_null;
	bool		user_id_null;
	bool		mfa_required;
} LoginDecision;

PGDLLEXPORT void pactoria_login_worker_main(Datum main_arg);

/* Copy text into a fixed buffer; an error naming the argument when it does not fit. */
static void
copy_argument(char *buffer, size_t size, text *value, const char *name)
{
	size_t		length = VARSIZE_ANY_EXHDR(value);

	if (length >= size)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("%s has %zu bytes, more than %zu", name, length, size - 1)));
	memcpy(buffer, VARDATA_ANY(value), length);
	buffer[length] = '\0';
	if (strlen(buffer) != length)
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("%s must not contain a zero byte", name)));
}

/* Start the worker, waiting a bounded time for a free slot. */
static BackgroundWorkerHandle *
start_worker(dsm_segment *segment)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	strlcpy(worker.bgw_library_name, "pactoria", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "pactoria_login_worker_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "pactoria login attempt", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "pactoria login attempt", BGW_MAXLEN);
	worker.bgw_main_arg = UInt32GetDatum(dsm_segment_handle(segment));
	worker.bgw_notify_pid = MyProcPid;

	for (int attempt = 0; attempt < SLOT_RETRIES; attempt++)
	{
		if (RegisterDynamicBackgroundWorker(&worker, &handle))
			return handle;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 SLOT_RETRY_MS, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
			 errmsg("could not start a background worker to decide the login attempt"),
			 errdetail("No background worker slot became free within %d ms.", SLOT_RETRY_MS * SLOT_RETRIES),
			 errhint("Raise max_worker_processes.")));
	pg_unreachable();
}

/*
 * The error the worker failed with, raised in the caller with the worker's
 * SQLSTATE (an internal error is reported as a system error, 58000): a
 * misconfigured auth.* key says so, a lock the worker waited for too long
 * says that.  Nothing was recorded and nothing let through.
 */
static void
report_worker_error(const LoginAttempt *attempt)
{
	int			code = attempt->error_code;
	char		message[ERROR_MESSAGE_MAX + 1];

	strlcpy(message, attempt->error_message, sizeof(message));
	if (code == ERRCODE_INTERNAL_ERROR)
		code = ERRCODE_SYSTEM_ERROR;
	ereport(ERROR,
			(errcode(code),
			 errmsg("the login attempt could not be decided: %s", message),
			 errdetail("The background worker that decides and records login attempts failed; nothing was recorded and nothing let through."),
			 code == ERRCODE_LOCK_NOT_AVAILABLE ?
			 errhint("Another transaction holds the user's row (or the caller's own, having changed it): it must end before the login is tried again.") :
			 errhint("See the server log.")));
}

PG_FUNCTION_INFO_V1(pactoria_attempt_login);

/*
 * pactoria.attempt_login(kind, email, secret, client_ip, user_agent)
 *		-> (outcome, company_id, user_id, mfa_required)
 * For the owner: authenticate() and set_password() call it.
 */
Datum
pactoria_attempt_login(PG_FUNCTION_ARGS)
{
	TupleDesc	descriptor;
	dsm_segment *segment;
	LoginAttempt *attempt;
	BackgroundWorkerHandle *handle;
	BgwHandleStatus status;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	HeapTuple	result;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("attempt_login() is internal to pactoria's login functions")));
	if (get_call_result_type(fcinfo, NULL, &descriptor) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("attempt_login() must return a record")));
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", PG_ARGISNULL(0) ? "kind" : "e-mail address")));
	descriptor = BlessTupleDesc(descriptor);

	segment = dsm_create(sizeof(LoginAttempt), 0);
	attempt = (LoginAttempt *) dsm_segment_address(segment);
	memset(attempt, 0, sizeof(LoginAttempt));
	attempt->database = MyDatabaseId;
	attempt->at = pactoria_clock_now();
	copy_argument(attempt->kind, sizeof(attempt->kind), PG_GETARG_TEXT_PP(0), "kind");
	copy_argument(attempt->email, sizeof(attempt->email), PG_GETARG_TEXT_PP(1), "e-mail address");
	attempt->secret_null = PG_ARGISNULL(2);
	if (!attempt->secret_null)
		copy_argument(attempt->secret, sizeof(attempt->secret), PG_GETARG_TEXT_PP(2), "password");
	attempt->client_ip_null = PG_ARGISNULL(3);
	if (!attempt->client_ip_null)
	{
		char	   *address = DatumGetCString(DirectFunctionCall1(inet_out, PG_GETARG_DATUM(3)));

		strlcpy(attempt->client_ip, address, sizeof(attempt->client_ip));
	}
	attempt->user_agent_null = PG_ARGISNULL(4);
	if (!attempt->user_agent_null)
	{
		/* Cut, on a character boundary, to what the audit trail keeps. */
		text	   *agent = PG_GETARG_TEXT_PP(4);
		int			length = pg_mbcliplen(VARDATA_ANY(agent), VARSIZE_ANY_EXHDR(agent), USER_AGENT_MAX);

		memcpy(attempt->user_agent, VARDATA_ANY(agent), length);
		attempt->user_agent[length] = '\0';
	}

	handle = start_worker(segment);
	/* The worker copied nothing yet; the secret is wiped by it and below. */
	status = WaitForBackgroundWorkerShutdown(handle);
	pg_memory_barrier();
	explicit_bzero(attempt->secret, sizeof(attempt->secret));
	pg_read_barrier();
	if ((status != BGWH_STOPPED || !attempt->decided) && attempt->error_code != 0)
		report_worker_error(attempt);
	if (status != BGWH_STOPPED || !attempt->decided)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("the login attempt could not be decided"),
				 errdetail("The background worker that decides and records login attempts did not finish; nothing was let through."),
				 errhint("See the server log. A transaction that has changed the user's row must end before authenticate() runs.")));

	values[0] = CStringGetTextDatum(attempt->outcome);
	if (attempt->company_id_null)
		nulls[1] = true;
	else
	{
		pg_uuid_t  *id = palloc(sizeof(pg_uuid_t));

		*id = attempt->company_id;
		values[1] = UUIDPGetDatum(id);
	}
	if (attempt->user_id_null)
		nulls[2] = true;
	else
	{
		pg_uuid_t  *id = palloc(sizeof(pg_uuid_t));

		*id = attempt->user_id;
		values[2] = UUIDPGetDatum(id);
	}
	values[3] = BoolGetDatum(attempt->mfa_required);
	dsm_detach(segment);
	pfree(handle);

	result = heap_form_tuple(descriptor, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(result));
}

/* A result column of the expected type, or an error. */
static Datum
result_column(int column, Oid type, bool *isnull)
{
	if (SPI_gettypeid(SPI_tuptable->tupdesc, column) != type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("pactoria.decide_login() returned column %d of an unexpected type", column)));
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, column, isnull);
}

/*
 * pactoria_login_worker_main
 *		Decide one attempt in a transaction of its own, commit, then publish
 *		the outcome.  An error ends the process with the attempt undecided.
 */
/*
 * Decide the attempt in a transaction of its own and commit it; the result
 * in *decision.  Any error propagates (the worker's caller hands it on).
 */
static void
decide_attempt(LoginAttempt *attempt, LoginDecision *decision)
{
	Oid			types[6] = {TEXTOID, TEXTOID, TEXTOID, INETOID, TEXTOID, TIMESTAMPTZOID};
	Datum		args[6];
	char		nulls[7] = "      ";
	bool		isnull;
	Datum		value;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not connect to SPI")));
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "pactoria login attempt");

	if (SPI_execute("SELECT pg_catalog.set_config('lock_timeout', '" WORKER_LOCK_TIMEOUT "', true),"
					" pg_catalog.set_config('search_path', 'pg_catalog, pactoria, pg_temp', true)",
					false, 1) != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not prepare the login attempt")));

	args[0] = CStringGetTextDatum(attempt->kind);
	args[1] = CStringGetTextDatum(attempt->email);
	args[2] = attempt->secret_null ? (Datum) 0 : CStringGetTextDatum(attempt->secret);
	nulls[2] = attempt->secret_null ? 'n' : ' ';
	explicit_bzero(attempt->secret, sizeof(attempt->secret));
	args[3] = attempt->client_ip_null ? (Datum) 0
		: DirectFunctionCall1(inet_in, CStringGetDatum(attempt->client_ip));
	nulls[3] = attempt->client_ip_null ? 'n' : ' ';
	args[4] = attempt->user_agent_null ? (Datum) 0 : CStringGetTextDatum(attempt->user_agent);
	nulls[4] = attempt->user_agent_null ? 'n' : ' ';
	args[5] = TimestampTzGetDatum(attempt->at);

	if (SPI_execute_with_args("SELECT r.outcome, r.company_id, r.user_id, r.mfa_required"
							  " FROM pactoria.decide_login($1, $2, $3, $4, $5, $6) AS r",
							  6, types, args, nulls, false, 2) != SPI_OK_SELECT
		|| SPI_processed != 1 || SPI_tuptable->tupdesc->natts != 4)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("pactoria.decide_login() did not return one row")));
	if (!attempt->secret_null)
	{
		text	   *secret = DatumGetTextPP(args[2]);

		explicit_bzero(VARDATA_ANY(secret), VARSIZE_ANY_EXHDR(secret));
	}

	value = result_column(1, TEXTOID, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("pactoria.decide_login() returned no outcome")));
	text_to_cstring_buffer(DatumGetTextPP(value), decision->outcome, sizeof(decision->outcome));
	value = result_column(2, UUIDOID, &decision->company_id_null);
	if (!decision->company_id_null)
		decision->company_id = *DatumGetUUIDP(value);
	value = result_column(3, UUIDOID, &decision->user_id_null);
	if (!decision->user_id_null)
		decision->user_id = *DatumGetUUIDP(value);
	value = result_column(4, BOOLOID, &isnull);
	decision->mfa_required = !isnull && DatumGetBool(value);

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
}

void
pactoria_login_worker_main(Datum main_arg)
{
	dsm_segment *segment;
	LoginAttempt *attempt;
	LoginDecision decision;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	segment = dsm_attach(DatumGetUInt32(main_arg));
	if (segment == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("login attempt worker found no attempt to decide")));
	attempt = (LoginAttempt *) dsm_segment_address(segment);

	/* The bootstrap superuser: the role that always exists and may log in. */
	BackgroundWorkerInitializeConnectionByOid(attempt->database, InvalidOid, 0);

	memset(&decision, 0, sizeof(decision));
	PG_TRY();
	{
		decide_attempt(attempt, &decision);
	}
	PG_CATCH();
	{
		ErrorData  *error;

		/* Hand the error to the caller, then end as a failed worker does. */
		MemoryContextSwitchTo(TopMemoryContext);
		error = CopyErrorData();
		strlcpy(attempt->error_message, error->message != NULL ? error->message : "",
				sizeof(attempt->error_message));
		pg_write_barrier();
		attempt->error_code = error->sqlerrcode;
		PG_RE_THROW();
	}
	PG_END_TRY();

	/* Committed: now, and only now, the caller may act on it. */
	strlcpy(attempt->outcome, decision.outcome, sizeof(attempt->outcome));
	attempt->company_id = decision.company_id;
	attempt->company_id_null = decision.company_id_null;
	attempt->user_id = decision.user_id;
	attempt->user_id_null = decision.user_id_null;
	attempt->mfa_required = decision.mfa_required;
	pg_write_barrier();
	attempt->decided = true;

	dsm_detach(segment);
	proc_exit(0);
}
