/*
 * data_cipher.h
 *		The layout of a value encrypted under a tenant's data key
 *		(pactoria.encrypt), and the associated data that binds it to its
 *		company and its column.  Pure C: no PostgreSQL header (fuzzed).
 *
 * A ciphertext is the sealed layout of totp_core.h with version 2:
 *	version (2) || key number (4, big-endian) || nonce (12) ||
 *	ciphertext (as long as the clear value, possibly 0) || GCM tag (16).
 * The key number names the company's data key, so values under an older key
 * keep decrypting after a rotation.  The associated data, authenticated but
 * not stored, is
 *	"pactoria data v2" (16) || company id (16) || key number (4) ||
 *	length of the binding (1) || the binding (what it is bound to: a column)
 * so a value copied to another company, or to another column, or relabelled
 * with another key number, fails its tag.
 */
#ifndef PACTORIA_DATA_CIPHER_H
#define PACTORIA_DATA_CIPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "totp_core.h"

#define DATA_CIPHER_VERSION 2
#define DATA_KEY_LEN 32
#define DATA_COMPANY_LEN 16
#define DATA_BINDING_MAX 128
#define DATA_ASSOCIATED_MAX (16 + DATA_COMPANY_LEN + 4 + 1 + DATA_BINDING_MAX)

/* Splits a ciphertext; false unless version 2 and long enough. */
extern bool data_cipher_parse(const uint8_t *data, size_t len, SealParts *parts, uint32_t *key_number);

/* Writes the header (version, key number, nonce) into out. */
extern void data_cipher_write_header(uint32_t key_number, const uint8_t nonce[SEAL_NONCE_LEN],
									 uint8_t out[SEAL_HEADER_LEN]);

/*
 * The associated data of a value of company (16 bytes) under key_number,
 * bound to binding (1 to DATA_BINDING_MAX bytes), in out; returns its
 * length, or 0 when the binding is empty or too long.
 */
extern size_t data_cipher_associated(const uint8_t company[DATA_COMPANY_LEN], uint32_t key_number,
									 const char *binding, size_t binding_len,
									 uint8_t out[DATA_ASSOCIATED_MAX]);

#endif							/* PACTORIA_DATA_CIPHER_H */
