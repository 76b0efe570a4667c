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
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/guc.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/uuid.h"

#include "messages.h"
#include "tenant_context.h"
#include "trigger_guard.h"

/* What the check hook hands to the assign hook (malloc'd, owned by guc.c). */
typedef struct TenantContextValue
{
	bool		is_set;
	pg_uuid_t	uuid;
} TenantContextValue;

static char *company_id_setting = NULL;
static char *user_id_setting = NULL;
static TenantContextValue current_company = {false};
static TenantContextValue current_user = {false};

static void report_missing_tenant_context(const char *table_name) pg_attribute_noreturn();

/* Value of one hexadecimal digit, or -1 for any other character. */
static int
hex_digit_value(char c)
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
		high = hex_digit_value(p[0]);
		low = (p[1] == '\0') ? -1 : hex_digit_value(p[1]);
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
	current_user = *(TenantContextValue *) extra;
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
}

/* C API of tenant_context.h: the parsed context, no parsing or lookup. */
bool
pactoria_context_company_id(pg_uuid_t *out)
{
	if (!current_company.is_set)
		return false;
	*out = current_company.uuid;
	return true;
}

bool
pactoria_context_user_id(pg_uuid_t *out)
{
	if (!current_user.is_set)
		return false;
	*out = current_user.uuid;
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
			 errhint("Call pactoria.set_context(company_id, user_id) in this transaction first.")));
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

	trigger_data = pactoria_trigger_data(fcinfo, "require_tenant_context");
	if (!TRIGGER_FIRED_BEFORE(trigger_data->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trigger_data->tg_event) ||
		TRIGGER_FIRED_BY_TRUNCATE(trigger_data->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pactoria.require_tenant_context() must be fired BEFORE INSERT OR UPDATE OR DELETE FOR EACH STATEMENT")));

	relation = trigger_data->tg_relation;
	if (!current_company.is_set &&
		check_enable_rls(RelationGetRelid(relation), InvalidOid, true) == RLS_ENABLED)
		report_missing_tenant_context(RelationGetRelationName(relation));

	return PointerGetDatum(NULL);
}
