/*
 * identity_clock.c
 *		pactoria.clock_now(): now() plus pactoria.test_clock_offset.
 *
 * Every identity timeout (session idle timeout and lifetime, the signed
 * context's expiry, lock-out, invitations, TOTP time steps) reads the time
 * through this, so a test can move the clock forward by setting the offset.
 * The setting is superuser-only: an application role cannot move its own
 * clock back to revive an expired session.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "identity_clock.h"
#include "messages.h"

typedef struct ClockOffset
{
	bool		is_set;
	Interval	offset;
} ClockOffset;

static char *clock_offset_setting = NULL;
static ClockOffset clock_offset = {false};

/* Check hook: an interval, or empty for none. */
static bool
check_clock_offset(char **newval, void **extra, GucSource source)
{
	ClockOffset *value = (ClockOffset *) malloc(sizeof(ClockOffset));
	MemoryContext context = CurrentMemoryContext;
	volatile bool ok = true;

	if (value == NULL)
		return false;
	value->is_set = false;
	if (*newval != NULL && (*newval)[0] != '\0')
	{
		/* interval_in only parses and pallocs, so catching its error is safe. */
		PG_TRY();
		{
			Interval   *parsed = DatumGetIntervalP(DirectFunctionCall3(interval_in,
																	   CStringGetDatum(*newval),
																	   ObjectIdGetDatum(InvalidOid),
																	   Int32GetDatum(-1)));

			value->offset = *parsed;
			value->is_set = true;
		}
		PG_CATCH();
		{
			MemoryContextSwitchTo(context);
			FlushErrorState();
			ok = false;
		}
		PG_END_TRY();
		if (!ok)
		{
			free(value);
			GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
			GUC_check_errmsg("invalid clock offset \"%s\"", pactoria_quote_prefix(*newval));
			GUC_check_errhint("Use an interval such as '31 minutes', or empty for none.");
			return false;
		}
	}
	*extra = value;
	return true;
}

static void
assign_clock_offset(const char *newval, void *extra)
{
	clock_offset = *(ClockOffset *) extra;
}

void
pactoria_define_clock_settings(void)
{
	DefineCustomStringVariable("pactoria.test_clock_offset",
							   "For tests: interval added to the time pactoria's identity checks use.",
							   "Empty (the default) for the real time.",
							   &clock_offset_setting,
							   "",
							   PGC_SUSET,
							   GUC_NOT_IN_SAMPLE,
							   check_clock_offset,
							   assign_clock_offset,
							   NULL);
}

static TimestampTz
shifted(TimestampTz time)
{
	if (!clock_offset.is_set)
		return time;
	return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
												   TimestampTzGetDatum(time),
												   IntervalPGetDatum(&clock_offset.offset)));
}

TimestampTz
pactoria_clock_now(void)
{
	return shifted(GetCurrentTransactionStartTimestamp());
}

TimestampTz
pactoria_clock_wall(void)
{
	return shifted(GetCurrentTimestamp());
}

PG_FUNCTION_INFO_V1(pactoria_clock_now_sql);

/* pactoria.clock_now() */
Datum
pactoria_clock_now_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(pactoria_clock_now());
}
