/*
 * totp_core.h
 *		The text and arithmetic of TOTP (RFC 6238 over RFC 4226) and of sealed
 *		secrets, without the cryptography: dynamic truncation of an HMAC into a
 *		code, the codes a person types, base32 (RFC 4648) for the secret an
 *		authenticator app is given, percent-encoding for its otpauth:// URI,
 *		and the layout of a sealed (AES-256-GCM) secret.
 *
 * Pure C, no PostgreSQL header: the fmgr wrapper (totp.c, secret_seal.c) and
 * the libFuzzer target (test/fuzz/fuzz_totp_core.c) both call it.  Nothing
 * here allocates: every output goes into a buffer the caller sized with the
 * matching *_LEN or *_len() below.
 */
#ifndef PACTORIA_TOTP_CORE_H
#define PACTORIA_TOTP_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 6238 as pactoria uses it: 30-second steps counted from the Unix epoch. */
#define TOTP_STEP_SECONDS 30
#define TOTP_MIN_DIGITS 6
#define TOTP_MAX_DIGITS 8

/*
 * RFC 4226 section 5.3: the 31-bit number at the offset the last nibble of an
 * HMAC names, modulo 10^digits.  hmac_len is at least 20 (SHA-1); digits is
 * TOTP_MIN_DIGITS to TOTP_MAX_DIGITS.
 */
extern uint32_t totp_truncate(const uint8_t *hmac, size_t hmac_len, int digits);

/* The code as the person sees it: digits decimal digits, zero-padded, NUL-terminated. */
extern void totp_format(uint32_t code, int digits, char out[TOTP_MAX_DIGITS + 1]);

/*
 * A code as typed: exactly digits ASCII digits, optionally split once in the
 * middle by one space ("123 456", as authenticator apps show it).  Writes the
 * bare digits (NUL-terminated) and returns true; false for anything else.
 */
extern bool totp_parse_code(const char *text, size_t len, int digits, char out[TOTP_MAX_DIGITS + 1]);

/* The 8-byte big-endian counter of RFC 4226 for a step number. */
extern void totp_counter_bytes(uint64_t step, uint8_t out[8]);

/* Characters of the unpadded base32 (RFC 4648, upper case) of len bytes. */
extern size_t base32_encoded_len(size_t len);

/* Unpadded upper-case base32 of in; out holds base32_encoded_len(len) + 1 bytes. */
extern void base32_encode(const uint8_t *in, size_t len, char *out);

/*
 * Decodes unpadded base32 (either case; no spaces or padding) into out,
 * which holds len * 5 / 8 bytes; returns the bytes written, or -1 when a
 * character is not base32 or the trailing bits are not zero (one spelling
 * per value).
 */
extern long base32_decode(const char *in, size_t len, uint8_t *out);

/*
 * Backup codes: BACKUP_CODE_BYTES random bytes shown as base32 in groups of
 * four, "ABCD-EFGH-IJKL-MNOP" (80 bits).  backup_code_format() writes that
 * form; backup_code_normalise() reads a typed code (any case, dashes and
 * spaces anywhere) into its BACKUP_CODE_CHARS bare characters and returns
 * false unless exactly that many base32 characters remain.
 */
#define BACKUP_CODE_BYTES 10
#define BACKUP_CODE_CHARS 16
#define BACKUP_CODE_FORMATTED_LEN 19
extern void backup_code_format(const uint8_t random[BACKUP_CODE_BYTES], char out[BACKUP_CODE_FORMATTED_LEN + 1]);
extern bool backup_code_normalise(const char *text, size_t len, char out[BACKUP_CODE_CHARS + 1]);

/*
 * Percent-encoding of a URI component (RFC 3986): unreserved characters
 * stay, every other byte becomes %XX.  out holds 3 * len + 1 bytes; returns
 * the length written (without the NUL).
 */
extern size_t uri_escape(const char *in, size_t len, char *out);

/*
 * A sealed secret: version (1) || key id (4) || nonce (12) || ciphertext
 * (as long as the clear text) || GCM tag (16).  The key id names the server
 * key it was sealed under (a digest of that key), so a value sealed under a
 * retiring key still opens, and a reseal can find it.
 */
#define SEAL_VERSION 1
#define SEAL_KEY_ID_LEN 4
#define SEAL_NONCE_LEN 12
#define SEAL_TAG_LEN 16
#define SEAL_HEADER_LEN (1 + SEAL_KEY_ID_LEN + SEAL_NONCE_LEN)
#define SEAL_OVERHEAD (SEAL_HEADER_LEN + SEAL_TAG_LEN)

typedef struct SealParts
{
	const uint8_t *key_id;
	const uint8_t *nonce;
	const uint8_t *ciphertext;
	size_t		ciphertext_len;
	const uint8_t *tag;
} SealParts;

/* Splits a sealed value into its parts; false unless version 1 with at least one byte of ciphertext. */
extern bool seal_parse(const uint8_t *sealed, size_t len, SealParts *parts);

/* Writes the header of a sealed value (version, key id, nonce) into out. */
extern void seal_write_header(const uint8_t key_id[SEAL_KEY_ID_LEN], const uint8_t nonce[SEAL_NONCE_LEN],
							  uint8_t out[SEAL_HEADER_LEN]);

/*
 * The same layout for another version byte (data_cipher.h uses it), with at
 * least min_ciphertext bytes of ciphertext.
 */
extern bool sealed_layout_parse(const uint8_t *sealed, size_t len, uint8_t version, size_t min_ciphertext,
								SealParts *parts);
extern void sealed_layout_write_header(uint8_t version, const uint8_t key_id[SEAL_KEY_ID_LEN],
									   const uint8_t nonce[SEAL_NONCE_LEN], uint8_t out[SEAL_HEADER_LEN]);

#endif							/* PACTORIA_TOTP_CORE_H */
