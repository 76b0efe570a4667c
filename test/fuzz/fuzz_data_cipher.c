/*
 * fuzz_data_cipher.c
 *		libFuzzer target for the ciphertext layout and the associated data of
 *		pactoria.encrypt() (src/core/data_cipher.c).
 *
 * Checks: parsing any bytes never reads outside them, and accepts exactly
 * version 2 values of at least the overhead, whose parts tile the value; a
 * header written for a key number and nonce parses back to them; the
 * associated data is refused for an empty or oversize binding, and otherwise
 * is label, company, key number, length and binding, so two different
 * (company, key number, binding) never give the same bytes.
 */
#include "fuzz_common.h"
#include "data_cipher.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SealParts	parts;
	uint32_t	key_number;
	bool		parsed = data_cipher_parse(data, size, &parts, &key_number);
	FuzzInput	in = {data, size, 0};
	uint8_t		company[DATA_COMPANY_LEN];
	uint8_t		nonce[SEAL_NONCE_LEN];
	uint8_t		value[SEAL_OVERHEAD];
	uint8_t		associated[DATA_ASSOCIATED_MAX];
	uint8_t		other[DATA_ASSOCIATED_MAX];
	char		binding[DATA_BINDING_MAX + 2];
	size_t		binding_len;
	size_t		length;
	size_t		other_length;
	uint32_t	number = 0;

	FUZZ_CHECK(parsed == (size >= SEAL_OVERHEAD && data[0] == DATA_CIPHER_VERSION));
	if (parsed)
	{
		FUZZ_CHECK(parts.nonce == data + 1 + SEAL_KEY_ID_LEN);
		FUZZ_CHECK(parts.ciphertext == data + SEAL_HEADER_LEN);
		FUZZ_CHECK(parts.ciphertext_len == size - SEAL_OVERHEAD);
		FUZZ_CHECK(parts.tag + SEAL_TAG_LEN == data + size);
		FUZZ_CHECK(key_number == (((uint32_t) data[1] << 24) | ((uint32_t) data[2] << 16) |
								  ((uint32_t) data[3] << 8) | data[4]));
	}

	/* a header written from the fuzzer's bytes parses back */
	for (int i = 0; i < 4; i++)
		number = (number << 8) | fuzz_take_byte(&in);
	for (int i = 0; i < SEAL_NONCE_LEN; i++)
		nonce[i] = fuzz_take_byte(&in);
	memset(value, 0xA5, sizeof(value));
	data_cipher_write_header(number, nonce, value);
	FUZZ_CHECK(data_cipher_parse(value, sizeof(value), &parts, &key_number));
	FUZZ_CHECK(key_number == number && memcmp(parts.nonce, nonce, SEAL_NONCE_LEN) == 0 && parts.ciphertext_len == 0);

	/* the associated data */
	for (int i = 0; i < DATA_COMPANY_LEN; i++)
		company[i] = fuzz_take_byte(&in);
	binding_len = fuzz_take_byte(&in) % (DATA_BINDING_MAX + 2);
	for (size_t i = 0; i < binding_len; i++)
		binding[i] = (char) fuzz_take_byte(&in);
	length = data_cipher_associated(company, number, binding, binding_len, associated);
	if (binding_len < 1 || binding_len > DATA_BINDING_MAX)
	{
		FUZZ_CHECK(length == 0);
		return 0;
	}
	FUZZ_CHECK(length == 16 + DATA_COMPANY_LEN + 4 + 1 + binding_len && length <= DATA_ASSOCIATED_MAX);
	FUZZ_CHECK(memcmp(associated + 16, company, DATA_COMPANY_LEN) == 0);
	FUZZ_CHECK(associated[16 + DATA_COMPANY_LEN + 4] == binding_len);
	FUZZ_CHECK(memcmp(associated + length - binding_len, binding, binding_len) == 0);
	/* another key number, company byte or binding: other bytes */
	other_length = data_cipher_associated(company, number + 1, binding, binding_len, other);
	FUZZ_CHECK(other_length == length && memcmp(other, associated, length) != 0);
	company[fuzz_take_byte(&in) % DATA_COMPANY_LEN] ^= 1;
	other_length = data_cipher_associated(company, number, binding, binding_len, other);
	FUZZ_CHECK(other_length == length && memcmp(other, associated, length) != 0);
	return 0;
}
