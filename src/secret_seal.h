/*
 * secret_seal.h
 *		Authenticated encryption of small secrets under the server key
 *		(AES-256-GCM, through the OpenSSL the server links).
 */
#ifndef PACTORIA_SECRET_SEAL_H
#define PACTORIA_SECRET_SEAL_H

#include "c.h"

/* The longest clear value sealed: these are keys and short secrets, not documents. */
#define PACTORIA_SEAL_MAX_PLAIN 1024

/*
 * Seals plain (1 to PACTORIA_SEAL_MAX_PLAIN bytes) under the current server
 * key's subkey for purpose, binding the associated data (who the secret
 * belongs to): a palloc'd bytea.  ERROR 55000 without a server key.
 */
extern bytea *pactoria_seal(const char *purpose, const uint8 *plain, size_t plain_len,
							const char *associated, size_t associated_len);

/*
 * Opens a sealed value: the clear bytes, palloc'd (the caller wipes them),
 * their length in *plain_len, and in *under_current whether it was sealed
 * under the current key (not the retired one).  ERROR 22000 when it is not a
 * sealed value, was altered, or belongs to other associated data; 55000 when
 * the key it was sealed under is not configured.
 */
extern uint8 *pactoria_unseal(const char *purpose, const bytea *sealed,
							  const char *associated, size_t associated_len,
							  size_t *plain_len, bool *under_current);

#endif							/* PACTORIA_SECRET_SEAL_H */
