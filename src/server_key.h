/*
 * server_key.h
 *		pactoria's server key: a 256-bit secret read from the file named by
 *		pactoria.key_file (and, while a key retires, pactoria.retired_key_file).
 *		Never stored in a table, never returned, never logged.
 */
#ifndef PACTORIA_SERVER_KEY_H
#define PACTORIA_SERVER_KEY_H

#include "c.h"

#define PACTORIA_SERVER_KEY_LEN 32
#define PACTORIA_SERVER_KEY_CURRENT 0
#define PACTORIA_SERVER_KEY_RETIRED 1

/* Define pactoria.key_file and pactoria.retired_key_file; called from _PG_init. */
extern void pactoria_define_server_key_settings(void);

/*
 * Copy key number which (0 current, 1 retired) into key and return true, or
 * return false when it is not configured or not usable.  Never raises.
 */
extern bool pactoria_server_key(int which, uint8 key[PACTORIA_SERVER_KEY_LEN]);

/*
 * A number that changes whenever a cached key may have changed (a reload):
 * callers caching a subkey compare it.
 */
extern uint64 pactoria_server_key_generation(void);

/* The current key, or ERROR 55000 saying why there is none and how to make one. */
extern void pactoria_require_server_key(uint8 key[PACTORIA_SERVER_KEY_LEN]);

/* HMAC-SHA256(key, purpose): a subkey for one purpose; false on a crypto failure. */
extern bool pactoria_derive_key(const uint8 key[PACTORIA_SERVER_KEY_LEN], const char *purpose,
								uint8 out[PACTORIA_SERVER_KEY_LEN]);

/* HMAC-SHA256 of data under key (32 bytes out); false on a crypto failure. */
extern bool pactoria_hmac_sha256(const uint8 *key, size_t key_len, const uint8 *data, size_t len,
								 uint8 out[32]);

/* Constant-time comparison of two byte strings of the same length. */
extern bool pactoria_equal_constant_time(const uint8 *a, const uint8 *b, size_t len);

#endif							/* PACTORIA_SERVER_KEY_H */
