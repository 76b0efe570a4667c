/*
 * secret_seal.h
 *		Authenticated encryption of small secrets under the server key
 *		(AES-256-GCM, through the OpenSSL the server links).
 */
#ifndef PACTORIA_SECRET_SEAL_H
#define PACTORIA_SECRET_SEAL_H

#include "c.h"

#include "server_key.h"
#include "totp_core.h"

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

/*
 * AES-256-GCM (OpenSSL): the ciphertext of plain (as long as it) in out and
 * the tag in tag, under key with the nonce and associated data.  False on an
 * OpenSSL failure; never raises, frees its cipher context in every case.
 */
extern bool pactoria_aes_gcm_encrypt(const uint8 key[PACTORIA_SERVER_KEY_LEN], const uint8 nonce[SEAL_NONCE_LEN],
									 const uint8 *associated, size_t associated_len,
									 const uint8 *plain, size_t plain_len, uint8 *out, uint8 tag[SEAL_TAG_LEN]);

/* The clear text of ciphertext in plain (as long as it); false when the tag does not match or on a failure. */
extern bool pactoria_aes_gcm_decrypt(const uint8 key[PACTORIA_SERVER_KEY_LEN], const uint8 nonce[SEAL_NONCE_LEN],
									 const uint8 *associated, size_t associated_len,
									 const uint8 *ciphertext, size_t ciphertext_len, const uint8 tag[SEAL_TAG_LEN],
									 uint8 *plain);

#endif							/* PACTORIA_SECRET_SEAL_H */
