/*
 * secret_seal.c
 *		Small secrets (TOTP secrets; later the tenants' data keys) sealed
 *		under the server key with AES-256-GCM.
 *
 * The cipher key is the server key's subkey for one purpose (HMAC-SHA256 of
 * the purpose under the server key), so a key sealing TOTP secrets can open
 * nothing else.  Every value gets a fresh 96-bit random nonce; at most a few
 * values per user are ever sealed under one key, far below GCM's limit for
 * random nonces.  The associated data names the owner of the secret (company
 * and user), so a sealed value copied to another row does not open.
 *
 * The layout (totp_core.h) names the key by a 4-byte id, a digest of the
 * subkey: a value sealed under pactoria.retired_key_file still opens while
 * that key retires, and pactoria.reseal_totp_secrets() moves values to the
 * current key.
 *
 * OpenSSL's cipher context is freed before any error is raised: nothing here
 * calls ereport() while one is allocated, so no resource owner is needed.
 * Subkeys and clear text are wiped from the stack and the heap after use.
 */
#include "postgres.h"

#include <openssl/evp.h>

#include "secret_seal.h"
#include "server_key.h"
#include "totp_core.h"

/* The subkey for purpose of server key which, and its key id; false when that key is not usable. */
static bool
seal_key(int which, const char *purpose, uint8 subkey[PACTORIA_SERVER_KEY_LEN], uint8 key_id[SEAL_KEY_ID_LEN])
{
	uint8		key[PACTORIA_SERVER_KEY_LEN];
	uint8		digest[32];
	bool		ok;

	if (which == PACTORIA_SERVER_KEY_CURRENT)
	{
		pactoria_require_server_key(key);
		ok = true;
	}
	else
		ok = pactoria_server_key(which, key);
	ok = ok && pactoria_derive_key(key, purpose, subkey) &&
		pactoria_hmac_sha256(subkey, PACTORIA_SERVER_KEY_LEN, (const uint8 *) "seal key id", 11, digest);
	explicit_bzero(key, sizeof(key));
	if (ok)
		memcpy(key_id, digest, SEAL_KEY_ID_LEN);
	return ok;
}

/* See secret_seal.h. */
bool
pactoria_aes_gcm_encrypt(const uint8 key[PACTORIA_SERVER_KEY_LEN], const uint8 nonce[SEAL_NONCE_LEN],
						 const uint8 *associated, size_t associated_len,
						 const uint8 *plain, size_t plain_len, uint8 *out, uint8 tag[SEAL_TAG_LEN])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int			length;
	bool		ok;

	ok = ctx != NULL && plain_len <= INT_MAX && associated_len <= INT_MAX &&
		EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SEAL_NONCE_LEN, NULL) == 1 &&
		EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) == 1 &&
		EVP_EncryptUpdate(ctx, NULL, &length, associated, (int) associated_len) == 1 &&
		EVP_EncryptUpdate(ctx, out, &length, plain, (int) plain_len) == 1 &&
		length == (int) plain_len &&
		EVP_EncryptFinal_ex(ctx, out + plain_len, &length) == 1 &&
		length == 0 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SEAL_TAG_LEN, tag) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/* See secret_seal.h. */
bool
pactoria_aes_gcm_decrypt(const uint8 key[PACTORIA_SERVER_KEY_LEN], const uint8 nonce[SEAL_NONCE_LEN],
						 const uint8 *associated, size_t associated_len,
						 const uint8 *ciphertext, size_t ciphertext_len, const uint8 tag[SEAL_TAG_LEN],
						 uint8 *plain)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int			length;
	bool		ok;

	ok = ctx != NULL && ciphertext_len <= INT_MAX && associated_len <= INT_MAX &&
		EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SEAL_NONCE_LEN, NULL) == 1 &&
		EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce) == 1 &&
		EVP_DecryptUpdate(ctx, NULL, &length, associated, (int) associated_len) == 1 &&
		EVP_DecryptUpdate(ctx, plain, &length, ciphertext, (int) ciphertext_len) == 1 &&
		length == (int) ciphertext_len &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SEAL_TAG_LEN, (void *) tag) == 1 &&
		EVP_DecryptFinal_ex(ctx, plain + length, &length) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

static void
crypto_failure(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("could not %s a sealed secret", what),
			 errdetail("OpenSSL's AES-256-GCM failed.")));
}

bytea *
pactoria_seal(const char *purpose, const uint8 *plain, size_t plain_len,
			  const char *associated, size_t associated_len)
{
	uint8		subkey[PACTORIA_SERVER_KEY_LEN];
	uint8		key_id[SEAL_KEY_ID_LEN];
	uint8		nonce[SEAL_NONCE_LEN];
	bytea	   *sealed;
	uint8	   *out;
	bool		ok;

	if (plain_len < 1 || plain_len > PACTORIA_SEAL_MAX_PLAIN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a sealed secret has 1 to %d bytes, not %zu", PACTORIA_SEAL_MAX_PLAIN, plain_len)));
	if (!seal_key(PACTORIA_SERVER_KEY_CURRENT, purpose, subkey, key_id))
		crypto_failure("derive the key of");
	if (!pg_strong_random(nonce, sizeof(nonce)))
	{
		explicit_bzero(subkey, sizeof(subkey));
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not generate a random nonce")));
	}

	sealed = (bytea *) palloc(VARHDRSZ + SEAL_OVERHEAD + plain_len);
	SET_VARSIZE(sealed, VARHDRSZ + SEAL_OVERHEAD + plain_len);
	out = (uint8 *) VARDATA(sealed);
	seal_write_header(key_id, nonce, out);

	ok = pactoria_aes_gcm_encrypt(subkey, nonce, (const uint8 *) associated, associated_len, plain, plain_len,
								  out + SEAL_HEADER_LEN, out + SEAL_HEADER_LEN + plain_len);
	explicit_bzero(subkey, sizeof(subkey));
	if (!ok)
		crypto_failure("seal");
	return sealed;
}

uint8 *
pactoria_unseal(const char *purpose, const bytea *sealed,
				const char *associated, size_t associated_len,
				size_t *plain_len, bool *under_current)
{
	SealParts	parts;
	uint8		subkey[PACTORIA_SERVER_KEY_LEN];
	uint8		key_id[SEAL_KEY_ID_LEN];
	uint8	   *plain;
	int			which;
	bool		found = false;
	bool		ok;

	if (!seal_parse((const uint8 *) VARDATA_ANY(sealed), VARSIZE_ANY_EXHDR(sealed), &parts) ||
		parts.ciphertext_len > PACTORIA_SEAL_MAX_PLAIN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("value is not a sealed secret"),
				 errdetail("A sealed secret is version 1, a key id, a nonce, 1 to %d bytes of ciphertext and a tag.",
						   PACTORIA_SEAL_MAX_PLAIN)));

	for (which = PACTORIA_SERVER_KEY_CURRENT; which <= PACTORIA_SERVER_KEY_RETIRED && !found; which++)
	{
		if (seal_key(which, purpose, subkey, key_id) &&
			memcmp(key_id, parts.key_id, SEAL_KEY_ID_LEN) == 0)
		{
			found = true;
			*under_current = which == PACTORIA_SERVER_KEY_CURRENT;
		}
	}
	if (!found)
	{
		explicit_bzero(subkey, sizeof(subkey));
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("sealed secret was sealed under a server key that is not configured"),
				 errdetail("Neither pactoria.key_file nor pactoria.retired_key_file holds the key it names."),
				 errhint("Set pactoria.retired_key_file to the previous key while secrets are resealed with pactoria.reseal_totp_secrets().")));
	}

	plain = palloc(parts.ciphertext_len);
	ok = pactoria_aes_gcm_decrypt(subkey, parts.nonce, (const uint8 *) associated, associated_len,
								  parts.ciphertext, parts.ciphertext_len, parts.tag, plain);
	explicit_bzero(subkey, sizeof(subkey));
	if (!ok)
	{
		explicit_bzero(plain, parts.ciphertext_len);
		pfree(plain);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("sealed secret does not open"),
				 errdetail("Its authentication tag does not match: it was altered, or it belongs to another user.")));
	}
	*plain_len = parts.ciphertext_len;
	return plain;
}
