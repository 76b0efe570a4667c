/*
 * contract_status.h
 *		The statuses of a contract and the transitions between them.
 *
 * Pure C, no PostgreSQL header: the lifecycle trigger (contract_lifecycle.c)
 * asks it; the table in contract_status.c is the one place the rules live.
 *
 *	draft -> pending_review -> approved -> active -> expired | terminated
 *	draft | pending_review -> cancelled
 *	pending_review | approved -> draft			(rework)
 */
#ifndef PACTORIA_CONTRACT_STATUS_H
#define PACTORIA_CONTRACT_STATUS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ContractStatus
{
	CONTRACT_STATUS_DRAFT,
	CONTRACT_STATUS_PENDING_REVIEW,
	CONTRACT_STATUS_APPROVED,
	CONTRACT_STATUS_ACTIVE,
	CONTRACT_STATUS_EXPIRED,
	CONTRACT_STATUS_TERMINATED,
	CONTRACT_STATUS_CANCELLED,
	CONTRACT_STATUS_UNKNOWN		/* not a status: the check constraint refuses it */
} ContractStatus;

/* The status named by length bytes at name (not NUL-terminated). */
extern ContractStatus contract_status_from_name(const char *name, size_t length);

/* Whether a contract in status from may move to status to. */
extern bool contract_status_may_follow(ContractStatus from, ContractStatus to);

/* Whether a contract's content may change while it is in this status. */
extern bool contract_status_allows_content_change(ContractStatus status);

/*
 * The statuses that may follow, for messages: "\"pending_review\" or
 * \"cancelled\""; NULL for a final status.
 */
extern const char *contract_status_next_names(ContractStatus from);

#endif							/* PACTORIA_CONTRACT_STATUS_H */
