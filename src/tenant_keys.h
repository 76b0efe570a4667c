/*
 * tenant_keys.h
 *		Encryption of values under a company's data keys (tenant_keys.c),
 *		for the C code that encrypts for a given company: the protected
 *		columns' trigger (protected_columns.c).  pactoria.encrypt() and
 *		pactoria.decrypt() are the same for the company in context.
 */
#ifndef PACTORIA_TENANT_KEYS_H
#define PACTORIA_TENANT_KEYS_H

#include "c.h"
#include "utils/uuid.h"

/* The longest clear value encrypt() takes: field values, not documents. */
#define DATA_VALUE_MAX (16 * 1024 * 1024)

/*
 * The value (length bytes, at most DATA_VALUE_MAX) encrypted under the
 * company's current data key (made when it has none), bound to the binding
 * (1 to DATA_BINDING_MAX bytes; the caller checks both lengths).
 */
extern bytea *pactoria_encrypt_value(const pg_uuid_t *company_id, const char *binding, size_t binding_len,
									 const char *value, size_t length);

/*
 * The clear value of a ciphertext of the company bound to the binding, as
 * text (palloc'd), with the number of the key it was under in *key_number;
 * or NULL when it is not such a ciphertext or does not decrypt (altered,
 * another company or binding, a key the company does not have).
 */
extern text *pactoria_decrypt_value(const pg_uuid_t *company_id, const char *binding, size_t binding_len,
									const char *ciphertext, size_t length, uint32 *key_number);

/*
 * A personal value (audit entries: personal_columns) encrypted under the
 * key of the person of the company (made when the person has none), bound
 * to the person and the binding; NULL when the person's key was destroyed
 * (pactoria.erase_personal_data).
 */
extern bytea *pactoria_encrypt_personal(const pg_uuid_t *company_id, const pg_uuid_t *person_id,
										const char *binding, size_t binding_len,
										const char *value, size_t length);

/*
 * Its clear text (palloc'd); NULL when it does not decrypt, with *erased
 * set when that is because the person's key was destroyed.
 */
extern text *pactoria_decrypt_personal(const pg_uuid_t *company_id, const pg_uuid_t *person_id,
									   const char *binding, size_t binding_len,
									   const char *ciphertext, size_t length, bool *erased);

/* The number of the company's current data key, 0 when it has none. */
extern uint32 pactoria_current_key_number(const pg_uuid_t *company_id);

#endif							/* PACTORIA_TENANT_KEYS_H */
