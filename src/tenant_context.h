/*
 * tenant_context.h
 *		The tenant context of the current session: pactoria.company_id and
 *		pactoria.user_id, parsed once when set.
 */
#ifndef PACTORIA_TENANT_CONTEXT_H
#define PACTORIA_TENANT_CONTEXT_H

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

/* Value of one hexadecimal digit (either case), or -1 for any other character. */
extern int	pactoria_hex_digit_value(char c);

/* Parse a UUID in canonical 8-4-4-4-12 form or as 32 hex digits. */
extern bool pactoria_parse_uuid(const char *text, pg_uuid_t *out);

#endif							/* PACTORIA_TENANT_CONTEXT_H */
