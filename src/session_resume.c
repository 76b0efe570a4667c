/*
 * session_resume.c
 *		pactoria.resume_session(session_token): the application's way into a
 *		tenant, called at the start of every request, so in C.
 *
 * The token names its session by primary key (company_id, id) and carries a
 * secret whose SHA-256 the row holds.  One statement, prepared once per
 * backend and run as the owner of user_sessions, reads that row by its
 * primary key; the digest comparison (constant time), the status, the
 * absolute lifetime and the idle timeout are checked here.  At most once a
 * minute a second statement touches last_activity, so most requests write
 * nothing.  Then the signed tenant context (tenant_context.c) is set for the
 * current transaction.
 *
 * The lookup need not read users or companies: deactivating a user or a
 * company ends its sessions (pactoria.end_sessions_of_deactivated(), the
 * trigger below), and deleting a user deletes them.  The idle timeout
 * (system_config session.idle_timeout) is cached per backend for one
 * pactoria_config_generation() (trigger_guard.h): until system_config changes.
 *
 * The statements are fully qualified, operators and casts included, and the
 * type of every column read is checked: the caller's search_path cannot
 * reach them.  Every token that does not open a session gets the same answer
 * (28000 "session is not valid"), whatever the reason.
 *
 * The function is not SECURITY DEFINER: it switches to the owner only around
 * its two statements (trigger_guard.c), which saves a GUC nest level and a
 * search_path change per request.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "catalog/pg_type.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "identity_clock.h"
#include "server_key.h"
#include "session_token.h"
#include "signed_context.h"
#include "tenant_context.h"
#include "trigger_guard.h"

#define IDLE_TIMEOUT_KEY "session.idle_timeout"
#define IDLE_TIMEOUT_MIN 1
#define IDLE_TIMEOUT_MAX 1440
/* A resumed context is signed for at most this long (it is set per transaction). */
#define CONTEXT_MAX_LIFETIME (5 * USECS_PER_MINUTE)
/* last_activity is written at most this often. */
#define TOUCH_INTERVAL USECS_PER_MINUTE

#define SESSION_PREFIX "pct_s_"

static SPIPlanPtr read_plan = NULL;
static SPIPlanPtr touch_plan = NULL;
static SPIPlanPtr config_plan = NULL;
static SPIPlanPtr revoke_user_plan = NULL;
static SPIPlanPtr revoke_company_plan = NULL;

/* The idle timeout in microseconds (0: not read yet), and the configuration it was read from. */
static int64 cached_idle_timeout = 0;
static uint64 cached_idle_generation = 0;

/* The columns read_plan returns, in order, and their types. */
enum
{
	COL_USER_ID,
	COL_TOKEN_HASH,
	COL_IS_ACTIVE,
	COL_EXPIRES_AT,
	COL_LAST_ACTIVITY,
	COL_MFA_PENDING,
	COL_COUNT
};

static const Oid column_types[COL_COUNT] = {
	UUIDOID, BYTEAOID, BOOLOID, TIMESTAMPTZOID, TIMESTAMPTZOID, BOOLOID
};

/* What a valid session gives the caller. */
typedef struct ResumedSession
{
	pg_uuid_t	company_id;
	pg_uuid_t	session_id;
	pg_uuid_t	user_id;
	bool		mfa_pending;
	TimestampTz context_expires_at;
	/* on Citus: last_activity to be moved by touch_session(), as the caller */
	bool		touch_on_cluster;
} ResumedSession;

static void refuse_session_token(void) pg_attribute_noreturn();

/* The one answer to any token that does not open a session. */
static void
refuse_session_token(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
			 errmsg("session is not valid"),
			 errhint("Log in again.")));
}

/*
 * The configured idle timeout in microseconds: the text of a JSON number
 * holding a whole number of minutes within its bounds, else an error (55000),
 * as pactoria.config_minutes() raises it.
 */
static int64
idle_timeout_usecs(const char *value)
{
	char	   *end = NULL;
	double		minutes = value != NULL ? strtod(value, &end) : NAN;

	if (value == NULL || end == value || *end != '\0' || !isfinite(minutes) ||
		minutes != floor(minutes) || minutes < IDLE_TIMEOUT_MIN || minutes > IDLE_TIMEOUT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("configuration value of \"%s\" must be a whole number of minutes from %d to %d",
						IDLE_TIMEOUT_KEY, IDLE_TIMEOUT_MIN, IDLE_TIMEOUT_MAX),
				 errhint("Correct it in pactoria.system_config.")));
	return (int64) minutes * USECS_PER_MINUTE;
}

/* The idle timeout, read through the cache.  Runs inside SPI, as the owner. */
static int64
idle_timeout(void)
{
	bool		is_null = true;
	char	   *value = NULL;
	int			result;
	uint64		generation = pactoria_config_generation();
	int64		idle;

	if (cached_idle_timeout > 0 && cached_idle_generation == generation)
		return cached_idle_timeout;
	elog(DEBUG1, "pactoria: reading configuration key \"%s\"", IDLE_TIMEOUT_KEY);
	if (config_plan == NULL)
		config_plan = pactoria_keep_plan("SELECT coalesce(v.value, d.value)::pg_catalog.text"
										 " FROM pactoria.system_config_defaults AS d"
										 " LEFT JOIN pactoria.system_config AS v ON v.key OPERATOR(pg_catalog.=) d.key"
										 " WHERE d.key OPERATOR(pg_catalog.=) '" IDLE_TIMEOUT_KEY "'",
										 0, NULL);
	result = SPI_execute_plan(config_plan, NULL, NULL, true, 1);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "reading configuration key \"%s\" failed: %s", IDLE_TIMEOUT_KEY,
			 SPI_result_code_string(result));
	if (SPI_processed == 1 && SPI_gettypeid(SPI_tuptable->tupdesc, 1) == TEXTOID)
	{
		Datum		datum = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);

		if (!is_null)
			value = TextDatumGetCString(datum);
	}
	idle = idle_timeout_usecs(value);
	/* Kept only when valid, for the configuration it was read from. */
	cached_idle_timeout = idle;
	cached_idle_generation = generation;
	return idle;
}

static Datum
column_value(HeapTuple tuple, TupleDesc descriptor, int column, bool *is_null)
{
	return SPI_getbinval(tuple, descriptor, column + 1, is_null);
}

/*
 * Whether user_sessions is a distributed table of Citus (inside SPI; without
 * Citus, no query).  There the session is touched by touch_session(), which
 * Citus runs on the node of its shard over the caller's connection: an UPDATE
 * over a connection of the owner would leave the tenant's colocated shards
 * changed by another user than the caller, and Citus would refuse the
 * caller's next statement on them in this transaction.
 */
static bool
sessions_on_cluster(void)
{
	if (!pactoria_citus_installed())
		return false;
	if (SPI_execute("SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid"
					" OPERATOR(pg_catalog.=) 'pactoria.user_sessions'::pg_catalog.regclass",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_dist_partition");
	return SPI_processed == 1;
}

/*
 * touch_session() with constants, which Citus's delegation of the call needs,
 * as the caller, after the signed context is made: it names the session, and
 * touch_session() verifies it where it runs.
 */
static void
touch_on_cluster(const pg_uuid_t *company_id, const char *signed_value)
{
	char	   *query;

	query = psprintf("SELECT FROM pactoria.touch_session(%s::pg_catalog.uuid, %s::pg_catalog.text)",
					 quote_literal_cstr(DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(company_id)))),
					 quote_literal_cstr(signed_value));
	pactoria_spi_connect();
	if (SPI_execute(query, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "touching a session failed");
	SPI_finish();
	pfree(query);
}

/*
 * Look the session up, as the owner; true and *session filled in when the
 * token opens it.  Runs inside SPI.
 */
static bool
find_session(const uint8 raw[SESSION_TOKEN_RAW_LENGTH], TimestampTz now, ResumedSession *session)
{
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	Datum		arguments[3];
	TupleDesc	descriptor;
	HeapTuple	tuple;
	bool		is_null;
	bytea	   *stored_hash;
	TimestampTz expires_at;
	TimestampTz last_activity;
	int64		idle;
	int			result;
	int			column;

	memcpy(session->company_id.data, raw, UUID_LEN);
	memcpy(session->session_id.data, raw + UUID_LEN, UUID_LEN);
	pactoria_token_secret_digest(raw + 2 * UUID_LEN, digest);
	/* First, so that the session's row is the last thing SPI returned. */
	idle = idle_timeout();

	if (read_plan == NULL)
	{
		Oid			types[2] = {UUIDOID, UUIDOID};

		read_plan = pactoria_keep_plan("SELECT s.user_id, s.token_hash, s.status OPERATOR(pg_catalog.=) 'active',"
									   " s.expires_at, s.last_activity, s.mfa_pending"
									   " FROM pactoria.user_sessions AS s"
									   " WHERE s.company_id OPERATOR(pg_catalog.=) $1 AND s.id OPERATOR(pg_catalog.=) $2",
									   2, types);
	}
	arguments[0] = UUIDPGetDatum(&session->company_id);
	arguments[1] = UUIDPGetDatum(&session->session_id);
	result = SPI_execute_plan(read_plan, arguments, NULL, true, 1);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "reading a session failed: %s", SPI_result_code_string(result));
	if (SPI_processed == 0)
		return false;

	descriptor = SPI_tuptable->tupdesc;
	tuple = SPI_tuptable->vals[0];
	if (descriptor->natts != COL_COUNT)
		elog(ERROR, "reading a session returned %d columns, not %d", descriptor->natts, COL_COUNT);
	for (column = 0; column < COL_COUNT; column++)
		if (SPI_gettypeid(descriptor, column + 1) != column_types[column])
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column %d of a session read is of type %s, not %s", column + 1,
							format_type_be(SPI_gettypeid(descriptor, column + 1)),
							format_type_be(column_types[column])),
					 errhint("The tables of schema pactoria have been altered; reinstall the extension.")));

	/* The secret first, in constant time; every other refusal looks the same. */
	stored_hash = DatumGetByteaPP(column_value(tuple, descriptor, COL_TOKEN_HASH, &is_null));
	if (is_null || VARSIZE_ANY_EXHDR(stored_hash) != PG_SHA256_DIGEST_LENGTH ||
		!pactoria_equal_constant_time((const uint8 *) VARDATA_ANY(stored_hash), digest, PG_SHA256_DIGEST_LENGTH))
		return false;
	if (!DatumGetBool(column_value(tuple, descriptor, COL_IS_ACTIVE, &is_null)) || is_null)
		return false;
	expires_at = DatumGetTimestampTz(column_value(tuple, descriptor, COL_EXPIRES_AT, &is_null));
	if (is_null || expires_at <= now)
		return false;
	last_activity = DatumGetTimestampTz(column_value(tuple, descriptor, COL_LAST_ACTIVITY, &is_null));
	if (is_null || TIMESTAMP_NOT_FINITE(last_activity) || last_activity + idle <= now)
		return false;

	{
		Datum		user_id = column_value(tuple, descriptor, COL_USER_ID, &is_null);

		if (is_null)
			return false;
		memcpy(session->user_id.data, DatumGetUUIDP(user_id)->data, UUID_LEN);
	}
	session->mfa_pending = DatumGetBool(column_value(tuple, descriptor, COL_MFA_PENDING, &is_null));
	if (is_null)
		return false;

	/* Touch at most once a minute: most requests write nothing. */
	session->touch_on_cluster = false;
	if (last_activity < now - TOUCH_INTERVAL && sessions_on_cluster())
	{
		session->touch_on_cluster = true;
		last_activity = now;
	}
	else if (last_activity < now - TOUCH_INTERVAL)
	{
		if (touch_plan == NULL)
		{
			Oid			types[3] = {UUIDOID, UUIDOID, TIMESTAMPTZOID};

			touch_plan = pactoria_keep_plan("UPDATE pactoria.user_sessions AS s SET last_activity = $3"
											" WHERE s.company_id OPERATOR(pg_catalog.=) $1 AND s.id OPERATOR(pg_catalog.=) $2",
											3, types);
		}
		arguments[2] = TimestampTzGetDatum(now);
		result = SPI_execute_plan(touch_plan, arguments, NULL, false, 0);
		if (result != SPI_OK_UPDATE)
			elog(ERROR, "touching a session failed: %s", SPI_result_code_string(result));
		last_activity = now;
	}

	/* The context lasts no longer than the session would without another request. */
	session->context_expires_at = Min(Min(last_activity + idle, expires_at), now + CONTEXT_MAX_LIFETIME);
	return true;
}

PG_FUNCTION_INFO_V1(pactoria_resume_session);

/*
 * pactoria.resume_session(session_token text)
 *		RETURNS TABLE (company_id uuid, user_id uuid, mfa_required boolean)
 * One row, or an error: 28000 for any token that does not open a session,
 * 55000 without a server key or with a misconfigured idle timeout.
 */
/* citus.propagate_set_commands, as SET LOCAL. */
static void
set_propagation(const char *value)
{
	(void) set_config_option("citus.propagate_set_commands", value, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_LOCAL, true, 0, false);
}

/*
 * On a Citus coordinator: the same value as a SET LOCAL statement, which
 * Citus sends to every worker connection of the transaction when
 * citus.propagate_set_commands is 'local', which it is for that statement
 * (Citus sees statements, not set_config_option()); each worker verifies the
 * signature again.  Without Citus, nothing.
 */
static void
forward_context(const char *signed_value)
{
	int			result;
	char	   *propagation;

	if (!pactoria_citus_installed())
		return;
	/* 'local' for this statement, whatever the caller's value (set_context() does the same) */
	propagation = pstrdup(GetConfigOption("citus.propagate_set_commands", false, false));
	set_propagation("local");
	pactoria_spi_connect();
	result = SPI_execute(psprintf("SET LOCAL pactoria.context = %s", quote_literal_cstr(signed_value)), false, 0);
	if (result != SPI_OK_UTILITY)
		elog(ERROR, "could not forward the tenant context: %s", SPI_result_code_string(result));
	SPI_finish();
	set_propagation(propagation);
}

Datum
pactoria_resume_session(PG_FUNCTION_ARGS)
{
	FuncCallContext *call;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext caller_context;
		TupleDesc	descriptor;
		ResumedSession session;
		uint8		raw[SESSION_TOKEN_RAW_LENGTH];
		bool		found;
		text	   *token;
		text	   *signed_value;
		PactoriaOwnerSwitch caller;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		call = SRF_FIRSTCALL_INIT();
		if (PG_ARGISNULL(0))
			refuse_session_token();
		token = PG_GETARG_TEXT_PP(0);
		if (!session_token_decode(VARDATA_ANY(token), VARSIZE_ANY_EXHDR(token), SESSION_PREFIX, raw))
			refuse_session_token();

		pactoria_spi_connect();
		/* An error on the way out is undone by the abort (trigger_guard.h). */
		pactoria_become_owner(pactoria_table_owner("user_sessions"), &caller);
		found = find_session(raw, pactoria_clock_now(), &session);
		pactoria_restore_user(&caller);
		explicit_bzero(raw, sizeof(raw));
		SPI_finish();
		if (!found)
			refuse_session_token();

		signed_value = pactoria_make_signed_context(&session.company_id, &session.user_id,
													&session.session_id, session.context_expires_at,
													session.mfa_pending);
		/* As set_config(..., true): until the end of the caller's transaction. */
		(void) set_config_option("pactoria.context", text_to_cstring(signed_value),
								 superuser() ? PGC_SUSET : PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_LOCAL, true, 0, false);
		forward_context(text_to_cstring(signed_value));
		if (session.touch_on_cluster)
			touch_on_cluster(&session.company_id, text_to_cstring(signed_value));

		caller_context = MemoryContextSwitchTo(call->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &descriptor) != TYPEFUNC_COMPOSITE ||
			descriptor->natts != 3 ||
			TupleDescAttr(descriptor, 0)->atttypid != UUIDOID ||
			TupleDescAttr(descriptor, 1)->atttypid != UUIDOID ||
			TupleDescAttr(descriptor, 2)->atttypid != BOOLOID)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("resume_session() must return a row of (uuid, uuid, boolean)")));
		descriptor = BlessTupleDesc(descriptor);
		values[0] = UUIDPGetDatum(&session.company_id);
		values[1] = UUIDPGetDatum(&session.user_id);
		values[2] = BoolGetDatum(session.mfa_pending);
		call->user_fctx = heap_form_tuple(descriptor, values, nulls);
		MemoryContextSwitchTo(caller_context);
	}

	call = SRF_PERCALL_SETUP();
	if (call->call_cntr == 0)
		SRF_RETURN_NEXT(call, HeapTupleGetDatum((HeapTuple) call->user_fctx));
	SRF_RETURN_DONE(call);
}

PG_FUNCTION_INFO_V1(pactoria_end_sessions_of_deactivated);

/* The revocation of a deactivated user's (or company's) active sessions in relation. */
static char *
revoke_query(const char *relation, bool of_user)
{
	return psprintf("UPDATE %s AS s"
					" SET status = 'revoked', revoked_at = $2, revoke_reason = 'deactivated'"
					" WHERE s.company_id OPERATOR(pg_catalog.=) $1%s"
					" AND s.status OPERATOR(pg_catalog.=) 'active'",
					relation, of_user ? " AND s.user_id OPERATOR(pg_catalog.=) $3" : "");
}

/*
 * pactoria.end_sessions_of_deactivated(): AFTER UPDATE OF is_active row
 * trigger of users and companies.  A user or company going from active to
 * inactive has its active sessions revoked (reason 'deactivated'), as the
 * owner of user_sessions, for the tenant in context only (trusted roles: any).
 * Activating it again does not bring them back: its users log in again.
 */
Datum
pactoria_end_sessions_of_deactivated(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"users", "companies", NULL};
	TriggerData *trigger_data;
	Relation	relation;
	TupleDesc	descriptor;
	bool		is_users;
	bool		old_null,
				new_null;
	AttrNumber	is_active;
	Datum		arguments[3];
	Datum		company_id;
	PactoriaOwnerSwitch caller;
	SPIPlanPtr *plan;
	char	   *shard;
	int			result;

	trigger_data = pactoria_trigger(fcinfo, "end_sessions_of_deactivated",
								PACTORIA_AFTER | PACTORIA_ROW | PACTORIA_UPDATE);
	relation = trigger_data->tg_relation;
	pactoria_require_own_table(relation, "end_sessions_of_deactivated", tables);
	is_users = pactoria_is_own_table(relation, "users");
	descriptor = RelationGetDescr(relation);

	is_active = pactoria_column_of_type(relation, "is_active", BOOLOID, false);
	if (!DatumGetBool(heap_getattr(trigger_data->tg_trigtuple, is_active, descriptor, &old_null)) || old_null ||
		(DatumGetBool(heap_getattr(trigger_data->tg_newtuple, is_active, descriptor, &new_null)) && !new_null))
		return PointerGetDatum(NULL);	/* not a deactivation */

	company_id = heap_getattr(trigger_data->tg_newtuple,
							  pactoria_column_of_type(relation, is_users ? "company_id" : "id", UUIDOID, false),
							  descriptor, &new_null);
	if (new_null)
		return PointerGetDatum(NULL);	/* NOT NULL refuses the row */
	pactoria_check_row_tenant(DatumGetUUIDP(company_id), "sessions");
	arguments[0] = company_id;
	arguments[1] = TimestampTzGetDatum(pactoria_clock_now());
	if (is_users)
	{
		arguments[2] = heap_getattr(trigger_data->tg_newtuple,
									pactoria_column_of_type(relation, "id", UUIDOID, false),
									descriptor, &new_null);
		if (new_null)
			return PointerGetDatum(NULL);
	}

	/*
	 * On Citus, users and companies are reference tables: the trigger fires on
	 * every node's placement, and a placement may not run a distributed
	 * statement.  The node that holds the company's shard of user_sessions
	 * revokes the sessions there, the others do nothing.
	 */
	shard = NULL;
	if (pactoria_is_shard(relation, is_users ? "users" : "companies"))
	{
		shard = pactoria_local_shard("user_sessions", DatumGetUUIDP(company_id));
		if (shard == NULL)
			return PointerGetDatum(NULL);
	}

	pactoria_spi_connect();
	pactoria_become_owner(pactoria_table_owner("user_sessions"), &caller);
	if (shard != NULL)
	{
		Oid			types[3] = {UUIDOID, TIMESTAMPTZOID, UUIDOID};

		result = SPI_execute_with_args(revoke_query(shard, is_users), is_users ? 3 : 2, types, arguments,
									   NULL, false, 0);
	}
	else
	{
		plan = is_users ? &revoke_user_plan : &revoke_company_plan;
		if (*plan == NULL)
		{
			Oid			types[3] = {UUIDOID, TIMESTAMPTZOID, UUIDOID};

			*plan = pactoria_keep_plan(revoke_query("pactoria.user_sessions", is_users), is_users ? 3 : 2, types);
		}
		result = SPI_execute_plan(*plan, arguments, NULL, false, 0);
	}
	pactoria_restore_user(&caller);
	if (result != SPI_OK_UPDATE)
		elog(ERROR, "ending the sessions of a deactivated %s failed: %s",
			 is_users ? "user" : "company", SPI_result_code_string(result));
	SPI_finish();
	return PointerGetDatum(NULL);
}
