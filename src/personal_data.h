/*
 * personal_data.h
 *		The stored form of personal values in audit entries (personal_data.c).
 */
#ifndef PACTORIA_PERSONAL_DATA_H
#define PACTORIA_PERSONAL_DATA_H

#include "utils/jsonb.h"
#include "utils/uuid.h"

/* The binding of the actor's client address and agent in an entry's additional_data. */
#define CLIENT_KEY "$client"
#define CLIENT_BINDING "audit_logs.$client"

extern Jsonb *personal_value_object(const pg_uuid_t *company_id, const pg_uuid_t *person_id,
									const char *binding, const char *clear);

#endif							/* PACTORIA_PERSONAL_DATA_H */
