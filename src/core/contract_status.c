/*
 * contract_status.c
 *		The contract status table (see contract_status.h).
 */
#include "contract_status.h"

#include <string.h>

#define STATUS_BIT(status) (1u << (status))

typedef struct ContractStatusRule
{
	const char *name;
	unsigned	next;			/* bits of the statuses that may follow */
	const char *next_names;		/* the same, for messages */
	bool		content_may_change;
} ContractStatusRule;

/* Indexed by ContractStatus. */
static const ContractStatusRule rules[] = {
	[CONTRACT_STATUS_DRAFT] = {
		"draft",
		STATUS_BIT(CONTRACT_STATUS_PENDING_REVIEW) | STATUS_BIT(CONTRACT_STATUS_CANCELLED),
		"\"pending_review\" or \"cancelled\"",
		true
	},
	[CONTRACT_STATUS_PENDING_REVIEW] = {
		"pending_review",
		STATUS_BIT(CONTRACT_STATUS_APPROVED) | STATUS_BIT(CONTRACT_STATUS_DRAFT) |
		STATUS_BIT(CONTRACT_STATUS_CANCELLED),
		"\"approved\", \"draft\" or \"cancelled\"",
		true
	},
	[CONTRACT_STATUS_APPROVED] = {
		"approved",
		STATUS_BIT(CONTRACT_STATUS_ACTIVE) | STATUS_BIT(CONTRACT_STATUS_DRAFT),
		"\"active\" or \"draft\"",
		false
	},
	[CONTRACT_STATUS_ACTIVE] = {
		"active",
		STATUS_BIT(CONTRACT_STATUS_EXPIRED) | STATUS_BIT(CONTRACT_STATUS_TERMINATED),
		"\"expired\" or \"terminated\"",
		false
	},
	[CONTRACT_STATUS_EXPIRED] = {"expired", 0, NULL, false},
	[CONTRACT_STATUS_TERMINATED] = {"terminated", 0, NULL, false},
	[CONTRACT_STATUS_CANCELLED] = {"cancelled", 0, NULL, false},
};

/* The status of that name; CONTRACT_STATUS_UNKNOWN for any other text. */
ContractStatus
contract_status_from_name(const char *name, size_t length)
{
	for (int status = 0; status < CONTRACT_STATUS_UNKNOWN; status++)
	{
		if (strlen(rules[status].name) == length && memcmp(rules[status].name, name, length) == 0)
			return (ContractStatus) status;
	}
	return CONTRACT_STATUS_UNKNOWN;
}

/* A transition is allowed when the table lists it; unknown statuses have none. */
bool
contract_status_may_follow(ContractStatus from, ContractStatus to)
{
	if (from >= CONTRACT_STATUS_UNKNOWN || to >= CONTRACT_STATUS_UNKNOWN)
		return false;
	return (rules[from].next & STATUS_BIT(to)) != 0;
}

/* Only draft and pending_review let the content change. */
bool
contract_status_allows_content_change(ContractStatus status)
{
	return status < CONTRACT_STATUS_UNKNOWN && rules[status].content_may_change;
}

/* The allowed next statuses, spelled for an error detail. */
const char *
contract_status_next_names(ContractStatus from)
{
	return from < CONTRACT_STATUS_UNKNOWN ? rules[from].next_names : NULL;
}
