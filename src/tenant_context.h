/*
 * tenant_context.h
 *		The tenant context of the current session: pactoria.company_id and
 *		pactoria.user_id, parsed once when set.
 */
#ifndef PACTORIA_TENANT_CONTEXT_H
#define PACTORIA_TENANT_CONTEXT_H

#include "datatype/timestamp.h"
#include "utils/uuid.h"

/* Define pactoria.company_id and pactoria.user_id; called from _PG_init. */
extern void pactoria_define_tenant_context_settings(void);

/*
 * Copy the current company / user into *out and return true, or return false
 * when the setting is unset or empty.  No parsing, no catalog access: these
 * are safe and cheap to call once per row.
 */
extern bool pactoria_context_company_id(pg_uuid_t *out);
extern bool pactoria_context_user_id(pg_uuid_t *out);

/*
 * Whether the Citus workers of this transaction see the same tenant context:
 * a signed pactoria.context of this transaction (resume_session(), or the one
 * set_context() forwards) naming the company and user in context here.
 */
extern bool pactoria_context_reaches_workers(void);

/*
 * A value for pactoria.context naming the company, user and session, valid
 * until expires_at (rounded down to the second), signed with the current
 * server key; an error (55000) without one.
 */
extern text *pactoria_make_signed_context(const pg_uuid_t *company_id, const pg_uuid_t *user_id,
										  const pg_uuid_t *session_id, TimestampTz expires_at,
										  bool mfa_pending);

/* Value of one hexadecimal digit (either case), or -1 for any other character. */
extern int	pactoria_hex_digit_value(char c);

/* Parse a UUID in canonical 8-4-4-4-12 form or as 32 hex digits. */
extern bool pactoria_parse_uuid(const char *text, pg_uuid_t *out);

#endif							/* PACTORIA_TENANT_CONTEXT_H */
