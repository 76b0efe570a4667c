/*
 * audit_context.c
 *		The actor and time of audit entries, from settings the application
 *		sets per request (client address, user agent, session) and one a
 *		superuser can set to record entries at a past time.
 *
 * pactoria.client_ip, pactoria.user_agent and pactoria.session_id are
 * ordinary (USERSET) settings: the application sets them, with SET LOCAL in
 * each transaction when connections are pooled.  They describe the request;
 * they are not a security boundary (the tenant and user come from the
 * superuser-only tenant context).  Each is checked when set, so a bad value
 * fails at SET, not later inside an audited statement.
 *
 * pactoria.audit_occurred_at is superuser-only: it backdates the entries of
 * the next transactions, for importing a legacy audit trail (and for tests
 * spanning months).  The chain does not depend on occurred_at being true:
 * entries are ordered by their commit, not their time.
 */
#include "postgres.h"

#include <sys/socket.h>

#include "fmgr.h"
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/inet.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "audit_context.h"
#include "messages.h"

#define USER_AGENT_MAX_LENGTH 1000
#define SESSION_ID_MAX_LENGTH 200

static char *client_ip_setting = NULL;
static char *user_agent_setting = NULL;
static char *session_id_setting = NULL;
static char *occurred_at_setting = NULL;

/* Parsed values, handed from the check hooks (malloc'd, owned by guc.c). */
static const inet *client_ip_value = NULL;
static const TimestampTz *occurred_at_value = NULL;

/* The connection's address, looked up once per backend. */
static bool connection_address_known = false;
static inet *connection_address = NULL;

/*
 * parse_inet
 *		inet input without raising an error (usable in a check hook): the
 *		same rules as the inet type, IPv6 when the text has a colon.
 */
static bool
parse_inet(const char *text, inet *result)
{
	int			bits;

	memset(result, 0, sizeof(inet));
	ip_family(result) = (strchr(text, ':') != NULL) ? PGSQL_AF_INET6 : PGSQL_AF_INET;
	bits = pg_inet_net_pton(ip_family(result), text, ip_addr(result), -1);
	if (bits < 0 || bits > ip_maxbits(result))
		return false;
	ip_bits(result) = bits;
	SET_INET_VARSIZE(result);
	return true;
}

/* Check hook of pactoria.client_ip: an address, or empty. */
static bool
check_client_ip(char **newval, void **extra, GucSource source)
{
	inet	   *value;

	if (*newval == NULL || (*newval)[0] == '\0')
		return true;
	value = (inet *) malloc(sizeof(inet));
	if (value == NULL)
		return false;
	if (!parse_inet(*newval, value))
	{
		free(value);
		GUC_check_errcode(ERRCODE_INVALID_TEXT_REPRESENTATION);
		GUC_check_errmsg("invalid client address \"%s\"", pactoria_quote_prefix(*newval));
		GUC_check_errdetail("pactoria.client_ip must be an IPv4 or IPv6 address, or empty.");
		return false;
	}
	*extra = value;
	return true;
}

/* Assign hook: keep the parsed address. */
static void
assign_client_ip(const char *newval, void *extra)
{
	client_ip_value = (const inet *) extra;
}

/* A setting no longer than max_length bytes. */
static bool
check_length(const char *name, const char *value, int max_length)
{
	if (value != NULL && strlen(value) > (size_t) max_length)
	{
		GUC_check_errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION);
		GUC_check_errmsg("%s is too long (%zu bytes)", name, strlen(value));
		GUC_check_errdetail("%s may have at most %d bytes.", name, max_length);
		return false;
	}
	return true;
}

/* Check hook of pactoria.user_agent: at most USER_AGENT_MAX_LENGTH bytes. */
static bool
check_user_agent(char **newval, void **extra, GucSource source)
{
	return check_length("pactoria.user_agent", *newval, USER_AGENT_MAX_LENGTH);
}

/* Check hook of pactoria.session_id: at most SESSION_ID_MAX_LENGTH bytes. */
static bool
check_session_id(char **newval, void **extra, GucSource source)
{
	return check_length("pactoria.session_id", *newval, SESSION_ID_MAX_LENGTH);
}

/*
 * check_occurred_at
 *		A timestamp with time zone (read in the session's TimeZone when it
 *		names none), or empty; now or today are taken as the instant of the
 *		SET.  infinity, -infinity and epoch are refused: an entry's time is a
 *		real date and time.
 */
static bool
check_occurred_at(char **newval, void **extra, GucSource source)
{
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			field_count;
	int			date_type;
	int			timezone;
	struct pg_tm tm;
	fsec_t		fsec;
	TimestampTz *value;
	TimestampTz parsed;

	if (*newval == NULL || (*newval)[0] == '\0')
		return true;
	if (strlen(*newval) > MAXDATELEN
		|| ParseDateTime(*newval, workbuf, sizeof(workbuf), field, ftype,
						 MAXDATEFIELDS, &field_count) != 0
		|| DecodeDateTime(field, ftype, field_count, &date_type, &tm, &fsec, &timezone) != 0
		|| date_type != DTK_DATE
		|| tm2timestamp(&tm, fsec, &timezone, &parsed) != 0
		|| !IS_VALID_TIMESTAMP(parsed))
	{
		GUC_check_errcode(ERRCODE_INVALID_DATETIME_FORMAT);
		GUC_check_errmsg("invalid audit time \"%s\"", pactoria_quote_prefix(*newval));
		GUC_check_errdetail("pactoria.audit_occurred_at must be a timestamp with time zone, or empty for the transaction's start.");
		return false;
	}
	value = (TimestampTz *) malloc(sizeof(TimestampTz));
	if (value == NULL)
		return false;
	*value = parsed;
	*extra = value;
	return true;
}

/* Assign hook: keep the parsed time. */
static void
assign_occurred_at(const char *newval, void *extra)
{
	occurred_at_value = (const TimestampTz *) extra;
}

/*
 * pactoria_define_audit_settings
 *		Define the audit settings; called once from _PG_init.
 */
void
pactoria_define_audit_settings(void)
{
	DefineCustomStringVariable("pactoria.client_ip",
							   "Client address recorded in audit entries.",
							   "Empty means the address of the database connection.",
							   &client_ip_setting,
							   "",
							   PGC_USERSET,
							   GUC_NOT_IN_SAMPLE,
							   check_client_ip,
							   assign_client_ip,
							   NULL);
	DefineCustomStringVariable("pactoria.user_agent",
							   "Client user agent recorded in audit entries.",
							   NULL,
							   &user_agent_setting,
							   "",
							   PGC_USERSET,
							   GUC_NOT_IN_SAMPLE,
							   check_user_agent,
							   NULL,
							   NULL);
	DefineCustomStringVariable("pactoria.session_id",
							   "Application session recorded in audit entries.",
							   NULL,
							   &session_id_setting,
							   "",
							   PGC_USERSET,
							   GUC_NOT_IN_SAMPLE,
							   check_session_id,
							   NULL,
							   NULL);
	DefineCustomStringVariable("pactoria.audit_occurred_at",
							   "Time recorded as occurred_at of the audit entries of the next transactions.",
							   "Empty means the start of each transaction. Superuser only: for importing a legacy audit trail.",
							   &occurred_at_setting,
							   "",
							   PGC_SUSET,
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   check_occurred_at,
							   assign_occurred_at,
							   NULL);
}

/*
 * connection_client_address
 *		inet_client_addr() of this backend, asked once: it cannot change.
 */
static const inet *
connection_client_address(void)
{
	if (!connection_address_known)
	{
		LOCAL_FCINFO(fcinfo, 0);
		Datum		result;

		InitFunctionCallInfoData(*fcinfo, NULL, 0, InvalidOid, NULL, NULL);
		result = inet_client_addr(fcinfo);
		if (!fcinfo->isnull)
		{
			inet	   *address = DatumGetInetPP(result);

			connection_address = MemoryContextAlloc(TopMemoryContext, VARSIZE_ANY(address));
			memcpy(connection_address, address, VARSIZE_ANY(address));
		}
		connection_address_known = true;
	}
	return connection_address;
}

/* See audit_context.h. */
const inet *
audit_context_client_ip(void)
{
	if (client_ip_value != NULL)
		return client_ip_value;
	return connection_client_address();
}

/* See audit_context.h. */
const char *
audit_context_user_agent(void)
{
	return (user_agent_setting != NULL && user_agent_setting[0] != '\0') ? user_agent_setting : NULL;
}

/* See audit_context.h. */
const char *
audit_context_session_id(void)
{
	return (session_id_setting != NULL && session_id_setting[0] != '\0') ? session_id_setting : NULL;
}

/* See audit_context.h. */
TimestampTz
audit_context_segment_time(bool first_of_transaction)
{
	if (occurred_at_value != NULL)
		return *occurred_at_value;
	return first_of_transaction ? GetCurrentTransactionStartTimestamp() : GetCurrentTimestamp();
}
