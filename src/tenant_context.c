/*
 * tenant_context.c
 *		The tenant context: which company (and which user of it) the current
 *		transaction or session acts for.
 *
 * Two settings hold it, pactoria.company_id and pactoria.user_id.  They are
 * superuser-only (PGC_SUSET): an application role cannot SET them itself but
 * goes through pactoria.set_context(), a SECURITY DEFINER function that checks
 * the user belongs to the company.  Each value is checked to be a UUID when it
 * is set and parsed once, in the check hook; the row-level-security policies
 * then read the parsed value through pactoria.current_company_id() at no more
 * cost than a function call.  An unset or empty value (which is what a
 * reverted SET LOCAL leaves on a pooled connection) means "no context": no
 * tenant row is visible and every tenant write is refused.
 *
 * The application role has a third setting, pactoria.context, which it may
 * set itself but only to a value signed with the server key (made by
 * pactoria.resume_session()): the check hook verifies the signature (current
 * or retired key) and the expiry, with no table lookup, so any node holding
 * the key can verify it.  The assign hook records the local transaction in
 * which the value was set, and the value counts only in that transaction: a
 * session-level SET is ignored from the next transaction on, so a pooled
 * server connection never carries one client's tenant to the next.  When
 * pactoria.company_id is set (set_context(), for the owner and trusted
 * service roles) it takes precedence.
 */
#include "postgres.h"

#include "access/parallel.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/uuid.h"

#include "identity_clock.h"
#include "messages.h"
#include "server_key.h"
#include "signed_context.h"
#include "tenant_context.h"
#include "trigger_guard.h"

/* What the check hook hands to the assign hook (malloc'd, owned by guc.c). */
typedef struct TenantContextValue
{
	bool		is_set;
	pg_uuid_t	uuid;
} TenantContextValue;

/* A verified pactoria.context (malloc'd extra of its check hook). */
typedef struct SignedContextValue
{
	bool		is_set;
	bool		mfa_pending;
	pg_uuid_t	company_id;
	pg_uuid_t	user_id;
	pg_uuid_t	session_id;
	TimestampTz expires_at;
} SignedContextValue;

static char *company_id_setting = NULL;
static char *user_id_setting = NULL;
static char *signed_context_setting = NULL;
static TenantContextValue current_company = {false};
static TenantContextValue current_user_value = {false};
static SignedContextValue signed_context = {false};
/* Local transaction in which pactoria.context was assigned. */
static LocalTransactionId signed_context_lxid = InvalidLocalTransactionId;
static bool signed_context_in_parallel_worker = false;

#define CONTEXT_KEY_PURPOSE "context-v1"

static void report_missing_tenant_context(const char *table_name) pg_attribute_noreturn();

/* Value of one hexadecimal digit, or -1 for any other character. */
int
pactoria_hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * pactoria_parse_uuid
 *		Parse "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" or 32 hex digits.  Unlike
 *		uuid_in this never raises an error, so it is usable from a GUC hook.
 */
bool
pactoria_parse_uuid(const char *text, pg_uuid_t *out)
{
	size_t		length = strlen(text);
	bool		hyphenated;
	int			byte = 0;
	const char *p = text;

	if (length == 36)
		hyphenated = true;
	else if (length == 32)
		hyphenated = false;
	else
		return false;

	while (*p != '\0')
	{
		int			high,
					low;

		if (hyphenated && (p - text == 8 || p - text == 13 || p - text == 18 || p - text == 23))
		{
			if (*p != '-')
				return false;
			p++;
			continue;
		}
		high = pactoria_hex_digit_value(p[0]);
		low = (p[1] == '\0') ? -1 : pactoria_hex_digit_value(p[1]);
		if (high < 0 || low < 0 || byte >= UUID_LEN)
			return false;
		out->data[byte++] = (unsigned char) (high << 4 | low);
		p += 2;
	}
	return byte == UUID_LEN;
}

/*
 * check_tenant_uuid
 *		GUC check hook: accept an empty value or a UUID, refuse anything else
 *		at SET time, and hand the parsed value to the assign hook.
 */
static bool
check_tenant_uuid(char **newval, void **extra, GucSource source)
{
	TenantContextValue *value;

	value = (TenantContextValue *) malloc(sizeof(TenantContextValue));
	if (value == NULL)
		return false;
	value->is_set = false;

	if (*newval != NULL && (*newval)[0] != '\0')
	{
		if (!pactoria_parse_uuid(*newval, &value->uuid))
		{
			free(value);
			GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
			GUC_check_errmsg("invalid tenant context value \"%s\"", pactoria_quote_prefix(*newval));
			GUC_check_errdetail("The tenant context must be a UUID, or empty for no context.");
			GUC_check_errhint("Set the tenant context with pactoria.set_context(company_id, user_id).");
			return false;
		}
		value->is_set = true;
	}
	*extra = value;
	return true;
}

/* GUC assign hooks: keep the value the check hook parsed. */
static void
assign_company_id(const char *newval, void *extra)
{
	current_company = *(TenantContextValue *) extra;
}

static void
assign_user_id(const char *newval, void *extra)
{
	current_user_value = *(TenantContextValue *) extra;
}

static TimestampTz
unix_seconds_to_timestamptz(int64 seconds)
{
	return (TimestampTz) ((seconds - ((int64) POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY) * USECS_PER_SEC);
}

/*
 * The context subkeys of the current and the retired key, derived once and
 * kept until a reload may have changed the keys (a key file that fails is
 * looked at again at each use, as pactoria_server_key() does).
 */
typedef struct ContextSubkey
{
	uint64		generation;
	uint8		subkey[PACTORIA_SERVER_KEY_LEN];
} ContextSubkey;

static ContextSubkey context_subkeys[2];

/* MAC of a payload under the context subkey of server key number which. */
static bool
context_mac(int which, const char *payload, size_t length, uint8 mac[SIGNED_CONTEXT_MAC_LEN])
{
	ContextSubkey *cached = &context_subkeys[which];

	if (cached->generation != pactoria_server_key_generation())
	{
		uint8		key[PACTORIA_SERVER_KEY_LEN];
		bool		ok;

		if (!pactoria_server_key(which, key))
			return false;
		ok = pactoria_derive_key(key, CONTEXT_KEY_PURPOSE, cached->subkey);
		explicit_bzero(key, sizeof(key));
		if (!ok)
			return false;
		cached->generation = pactoria_server_key_generation();
	}
	return pactoria_hmac_sha256(cached->subkey, sizeof(cached->subkey), (const uint8 *) payload, length, mac);
}

/*
 * check_signed_context
 *		GUC check hook of pactoria.context: empty, or a value whose signature
 *		verifies with the current or the retired server key and which has not
 *		expired.  The messages never quote the value: it is a credential.
 */
static bool
check_signed_context(char **newval, void **extra, GucSource source)
{
	SignedContextValue *value;
	SignedContextParts parts;
	const char *problem = NULL;
	bool		verified = false;
	bool		any_key = false;
	int			which;

	value = (SignedContextValue *) malloc(sizeof(SignedContextValue));
	if (value == NULL)
		return false;
	memset(value, 0, sizeof(SignedContextValue));

	if (*newval == NULL || (*newval)[0] == '\0')
	{
		*extra = value;
		return true;
	}

	if (!signed_context_parse(*newval, strlen(*newval), &parts))
		problem = "It is not a signed tenant context value (made by pactoria.resume_session()).";
	else if (InitializingParallelWorker)
	{
		/*
		 * A parallel worker restoring its leader's settings: the leader
		 * verified the value, and the key file setting may not be restored
		 * yet.  Its expiry is checked at each use (valid_signed_context).
		 */
		value->expires_at = unix_seconds_to_timestamptz(parts.expires);
	}
	else
	{
		for (which = PACTORIA_SERVER_KEY_CURRENT; which <= PACTORIA_SERVER_KEY_RETIRED && !verified; which++)
		{
			uint8		mac[SIGNED_CONTEXT_MAC_LEN];

			if (!context_mac(which, *newval, parts.signed_length, mac))
				continue;
			any_key = true;
			verified = pactoria_equal_constant_time(mac, parts.mac, SIGNED_CONTEXT_MAC_LEN);
		}
		if (!any_key)
		{
			free(value);
			GUC_check_errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE);
			GUC_check_errmsg("pactoria's server key is not configured");
			GUC_check_errdetail("A signed tenant context cannot be verified without it.");
			GUC_check_errhint("See pactoria.server_key_status().");
			return false;
		}
		if (!verified)
			problem = "Its signature does not verify with the server key.";
		else
		{
			value->expires_at = unix_seconds_to_timestamptz(parts.expires);
			if (value->expires_at <= pactoria_clock_wall())
				problem = "It has expired.";
		}
	}
	if (problem != NULL)
	{
		free(value);
		GUC_check_errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION);
		GUC_check_errmsg("invalid tenant context");
		GUC_check_errdetail("%s", problem);
		GUC_check_errhint("Call pactoria.resume_session(session_token) in each transaction.");
		return false;
	}
	value->is_set = true;
	value->mfa_pending = parts.mfa_pending;
	memcpy(value->company_id.data, parts.company_id, UUID_LEN);
	memcpy(value->user_id.data, parts.user_id, UUID_LEN);
	memcpy(value->session_id.data, parts.session_id, UUID_LEN);
	*extra = value;
	return true;
}

static void
assign_signed_context(const char *newval, void *extra)
{
	signed_context = *(SignedContextValue *) extra;
	signed_context_lxid = MyProc != NULL ? MyProc->lxid : InvalidLocalTransactionId;
	/* A parallel worker takes the value its leader passed, in its own transaction. */
	signed_context_in_parallel_worker = IsParallelWorker();
}

/* The signed context, when it was set in this transaction and has not expired. */
static const SignedContextValue *
valid_signed_context(void)
{
	if (!signed_context.is_set)
		return NULL;
	if (!signed_context_in_parallel_worker &&
		(MyProc == NULL || signed_context_lxid != MyProc->lxid || signed_context_lxid == InvalidLocalTransactionId))
		return NULL;
	if (signed_context.expires_at <= pactoria_clock_now())
		return NULL;
	return &signed_context;
}

/*
 * pactoria_define_tenant_context_settings
 *		Define pactoria.company_id and pactoria.user_id (from _PG_init).
 */
void
pactoria_define_tenant_context_settings(void)
{
	DefineCustomStringVariable("pactoria.company_id",
							   "Company (tenant) the current transaction or session acts for.",
							   "Set through pactoria.set_context(); empty means no tenant context.",
							   &company_id_setting,
							   "",
							   PGC_SUSET,
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   check_tenant_uuid,
							   assign_company_id,
							   NULL);
	DefineCustomStringVariable("pactoria.user_id",
							   "User of the tenant company the current transaction or session acts for.",
							   "Set through pactoria.set_context(); empty means no user.",
							   &user_id_setting,
							   "",
							   PGC_SUSET,
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   check_tenant_uuid,
							   assign_user_id,
							   NULL);
	DefineCustomStringVariable("pactoria.context",
							   "Signed tenant context of the current transaction, made by pactoria.resume_session().",
							   "Counts only in the transaction it is set in; verified with the server key.",
							   &signed_context_setting,
							   "",
							   PGC_USERSET,
							   GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   check_signed_context,
							   assign_signed_context,
							   NULL);
}

/*
 * The nil UUID as the user or session of a signed context: none.  A context
 * that set_context() forwards to the Citus workers names a company, and a user
 * only when set_context() was given one, but never a session.
 */
static bool
uuid_is_nil(const pg_uuid_t *value)
{
	int			i;

	for (i = 0; i < UUID_LEN; i++)
		if (value->data[i] != 0)
			return false;
	return true;
}

/* C API of tenant_context.h: the parsed context, no parsing or lookup. */
bool
pactoria_context_company_id(pg_uuid_t *out)
{
	const SignedContextValue *context;

	if (current_company.is_set)
	{
		*out = current_company.uuid;
		return true;
	}
	context = valid_signed_context();
	if (context == NULL || context->mfa_pending)
		return false;
	*out = context->company_id;
	return true;
}

bool
pactoria_context_user_id(pg_uuid_t *out)
{
	const SignedContextValue *context;

	if (current_user_value.is_set)
	{
		*out = current_user_value.uuid;
		return true;
	}
	if (current_company.is_set)
		return false;
	context = valid_signed_context();
	if (context == NULL || context->mfa_pending || uuid_is_nil(&context->user_id))
		return false;
	*out = context->user_id;
	return true;
}

/* The session of the signed context (also an mfa-pending one). */
static bool
context_session_id(pg_uuid_t *out)
{
	const SignedContextValue *context = valid_signed_context();

	if (context == NULL || uuid_is_nil(&context->session_id))
		return false;
	*out = context->session_id;
	return true;
}

/* A context UUID as the result of a SQL function, NULL when unset. */
static Datum
context_uuid_datum(bool (*getter) (pg_uuid_t *), FunctionCallInfo fcinfo)
{
	pg_uuid_t  *result = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));

	if (!getter(result))
	{
		pfree(result);
		PG_RETURN_NULL();
	}
	PG_RETURN_UUID_P(result);
}

/* See tenant_context.h. */
bool
pactoria_context_reaches_workers(void)
{
	const SignedContextValue *context = valid_signed_context();
	pg_uuid_t	company;
	pg_uuid_t	user;
	bool		has_user;

	if (context == NULL || context->mfa_pending || !pactoria_context_company_id(&company)
		|| memcmp(company.data, context->company_id.data, UUID_LEN) != 0)
		return false;
	has_user = pactoria_context_user_id(&user);
	if (uuid_is_nil(&context->user_id))
		return !has_user;
	return has_user && memcmp(user.data, context->user_id.data, UUID_LEN) == 0;
}

PG_FUNCTION_INFO_V1(pactoria_current_company_id);
PG_FUNCTION_INFO_V1(pactoria_current_user_id);
PG_FUNCTION_INFO_V1(pactoria_require_company_id);

/* pactoria.current_company_id(): the tenant in context, or NULL. */
Datum
pactoria_current_company_id(PG_FUNCTION_ARGS)
{
	return context_uuid_datum(pactoria_context_company_id, fcinfo);
}

/* pactoria.current_user_id(): the user in context, or NULL. */
Datum
pactoria_current_user_id(PG_FUNCTION_ARGS)
{
	return context_uuid_datum(pactoria_context_user_id, fcinfo);
}

PG_FUNCTION_INFO_V1(pactoria_context_session_id);
PG_FUNCTION_INFO_V1(pactoria_context_mfa_pending);
PG_FUNCTION_INFO_V1(pactoria_sign_context);

/* pactoria.context_session_id(): the session of the signed context, or NULL. */
Datum
pactoria_context_session_id(PG_FUNCTION_ARGS)
{
	return context_uuid_datum(context_session_id, fcinfo);
}

/* pactoria.context_mfa_pending(): whether the signed context waits for MFA; NULL without one. */
Datum
pactoria_context_mfa_pending(PG_FUNCTION_ARGS)
{
	const SignedContextValue *context = valid_signed_context();

	if (context == NULL)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(context->mfa_pending);
}

/* See tenant_context.h. */
text *
pactoria_make_signed_context(const pg_uuid_t *company_id, const pg_uuid_t *user_id,
							 const pg_uuid_t *session_id, TimestampTz expires_at, bool mfa_pending)
{
	SignedContextParts parts;
	uint8		key[PACTORIA_SERVER_KEY_LEN];
	uint8		mac[SIGNED_CONTEXT_MAC_LEN];
	char		text[SIGNED_CONTEXT_MAX_LEN + 1];
	size_t		length;

	memcpy(parts.company_id, company_id->data, UUID_LEN);
	memcpy(parts.user_id, user_id->data, UUID_LEN);
	memcpy(parts.session_id, session_id->data, UUID_LEN);
	parts.mfa_pending = mfa_pending;
	if (TIMESTAMP_NOT_FINITE(expires_at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the expiry of a tenant context must be finite")));
	/* Whole seconds, rounded down: never later than asked. */
	parts.expires = expires_at / USECS_PER_SEC - (expires_at % USECS_PER_SEC < 0 ? 1 : 0) +
		((int64) POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;

	/* The error (55000, with its hint) when there is no usable current key. */
	pactoria_require_server_key(key);
	explicit_bzero(key, sizeof(key));
	length = signed_context_format_payload(&parts, text);
	if (!context_mac(PACTORIA_SERVER_KEY_CURRENT, text, length, mac))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("could not sign the tenant context")));
	length = signed_context_append_mac(text, length, mac);
	explicit_bzero(mac, sizeof(mac));
	return cstring_to_text_with_len(text, length);
}

/*
 * pactoria.sign_context(company_id, user_id, session_id, expires_at, mfa_pending):
 * a value for pactoria.context, signed with the current server key.  Owner
 * only (tests and tools); resume_session() signs in C.
 */
Datum
pactoria_sign_context(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(pactoria_make_signed_context(PG_GETARG_UUID_P(0), PG_GETARG_UUID_P(1),
												  PG_GETARG_UUID_P(2), PG_GETARG_TIMESTAMPTZ(3),
												  PG_GETARG_BOOL(4)));
}

/*
 * report_missing_tenant_context
 *		The one error for a tenant write without tenant context, raised by
 *		pactoria.require_company_id() (table_name NULL: it does not know the
 *		table) and by pactoria.require_tenant_context() (it does).
 */
static void
report_missing_tenant_context(const char *table_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("no tenant context is set"),
			 table_name != NULL ?
			 errdetail("Table \"%s\" is under tenant isolation: every row written to it belongs to the company in the tenant context.",
					   table_name) :
			 errdetail("Writes to pactoria's tenant tables need the company they belong to."),
			 errhint("Call pactoria.resume_session(session_token) in this transaction first.")));
}

/*
 * pactoria.require_company_id(): the tenant in context; without one, an
 * error.  Used by the policies' WITH CHECK so that a write without tenant
 * context fails with a message saying why, not a bare policy violation.
 */
Datum
pactoria_require_company_id(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *result = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));

	if (!pactoria_context_company_id(result))
		report_missing_tenant_context(NULL);
	PG_RETURN_UUID_P(result);
}

PG_FUNCTION_INFO_V1(pactoria_require_tenant_context);

/*
 * pactoria.require_tenant_context(): BEFORE INSERT OR UPDATE OR DELETE
 * statement trigger of every tenant table.  Without tenant context the
 * policies let an UPDATE or DELETE see no row, so it would "succeed" having
 * done nothing; this makes every write without context fail, and say why.
 * Roles row-level security does not apply to (the owner running maintenance,
 * a BYPASSRLS role, the referential actions of foreign keys) write freely.
 */
Datum
pactoria_require_tenant_context(PG_FUNCTION_ARGS)
{
	TriggerData *trigger_data;
	Relation	relation;

	trigger_data = pactoria_trigger(fcinfo, "require_tenant_context",
								PACTORIA_BEFORE | PACTORIA_STATEMENT | PACTORIA_INSERT | PACTORIA_UPDATE | PACTORIA_DELETE);

	relation = trigger_data->tg_relation;
	if (!pactoria_context_company_id(&(pg_uuid_t){{0}}) &&
		check_enable_rls(RelationGetRelid(relation), InvalidOid, true) == RLS_ENABLED)
		report_missing_tenant_context(RelationGetRelationName(relation));

	return PointerGetDatum(NULL);
}
