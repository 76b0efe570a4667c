/*
 * audit_context.h
 *		Who, from where and when, for the audit trail: the settings
 *		pactoria.client_ip, pactoria.user_agent, pactoria.session_id and
 *		pactoria.audit_occurred_at, parsed once when set.
 */
#ifndef PACTORIA_AUDIT_CONTEXT_H
#define PACTORIA_AUDIT_CONTEXT_H

#include "datatype/timestamp.h"
#include "utils/inet.h"

/* Define the settings; called from _PG_init. */
extern void pactoria_define_audit_settings(void);

/*
 * The client address of audit entries: pactoria.client_ip when set, else the
 * address of the connection; NULL for a Unix-socket connection without the
 * setting.  Points to storage that stays valid until the setting changes.
 */
extern const inet *audit_context_client_ip(void);

/* pactoria.user_agent and pactoria.session_id, or NULL when empty. */
extern const char *audit_context_user_agent(void);
extern const char *audit_context_session_id(void);

/*
 * When the entries of a new chain segment occurred: pactoria.audit_occurred_at
 * when set, else the start of the transaction for its first segment, else
 * (after SET CONSTRAINTS ... IMMEDIATE sealed an earlier one) the current
 * time.
 */
extern TimestampTz audit_context_segment_time(bool first_of_transaction);

#endif							/* PACTORIA_AUDIT_CONTEXT_H */
