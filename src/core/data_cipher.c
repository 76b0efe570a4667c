/*
 * data_cipher.c
 *		See data_cipher.h.
 */
#include <string.h>

#include "data_cipher.h"

static const char associated_label[16] = "pactoria data v2";

bool
data_cipher_parse(const uint8_t *data, size_t len, SealParts *parts, uint32_t *key_number)
{
	if (!sealed_layout_parse(data, len, DATA_CIPHER_VERSION, 0, parts))
		return false;
	*key_number = ((uint32_t) parts->key_id[0] << 24) | ((uint32_t) parts->key_id[1] << 16) |
		((uint32_t) parts->key_id[2] << 8) | (uint32_t) parts->key_id[3];
	return true;
}

void
data_cipher_write_header(uint32_t key_number, const uint8_t nonce[SEAL_NONCE_LEN], uint8_t out[SEAL_HEADER_LEN])
{
	const uint8_t key_id[SEAL_KEY_ID_LEN] = {
		(uint8_t) (key_number >> 24), (uint8_t) (key_number >> 16), (uint8_t) (key_number >> 8), (uint8_t) key_number
	};

	sealed_layout_write_header(DATA_CIPHER_VERSION, key_id, nonce, out);
}

size_t
data_cipher_associated(const uint8_t company[DATA_COMPANY_LEN], uint32_t key_number,
					   const char *binding, size_t binding_len, uint8_t out[DATA_ASSOCIATED_MAX])
{
	size_t		n = 0;

	if (binding_len < 1 || binding_len > DATA_BINDING_MAX)
		return 0;
	memcpy(out, associated_label, sizeof(associated_label));
	n += sizeof(associated_label);
	memcpy(out + n, company, DATA_COMPANY_LEN);
	n += DATA_COMPANY_LEN;
	out[n++] = (uint8_t) (key_number >> 24);
	out[n++] = (uint8_t) (key_number >> 16);
	out[n++] = (uint8_t) (key_number >> 8);
	out[n++] = (uint8_t) key_number;
	out[n++] = (uint8_t) binding_len;
	memcpy(out + n, binding, binding_len);
	return n + binding_len;
}
