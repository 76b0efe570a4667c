/*
 * fuzz_common.h
 *		What the libFuzzer targets share: a failing check that libFuzzer
 *		reports as a finding; a reader of the fuzzer's bytes; and, for the UK
 *		validators, a second,
 *		deliberately plain reading of what a user typed, to compare them with.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A broken invariant: print it and abort, which libFuzzer records as a crash. */
#define FUZZ_CHECK(condition) \
	do { \
		if (!(condition)) \
		{ \
			fprintf(stderr, "invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #condition); \
			abort(); \
		} \
	} while (0)

/* The fuzzer's bytes, read from the front; past the end every byte is 0. */
typedef struct FuzzInput
{
	const uint8_t *data;
	size_t		size;
	size_t		at;
} FuzzInput;

static inline uint8_t
fuzz_take_byte(FuzzInput *in)
{
	return in->at < in->size ? in->data[in->at++] : 0;
}

/*
 * Reference compaction: false when any byte is not ASCII; otherwise the input
 * without ASCII whitespace, upper-cased, NUL-terminated in a malloc'd buffer.
 * A NUL byte (SQL text never holds one, but the C API takes any bytes) becomes
 * '#', a character every rule refuses in every position, as it refuses NUL.
 */
static inline bool
reference_compact(const uint8_t *data, size_t size, char **compact)
{
	char	   *out = malloc(size + 1);
	size_t		n = 0;

	for (size_t i = 0; i < size; i++)
	{
		if (data[i] > 127)
		{
			free(out);
			return false;
		}
		if (strchr(" \t\n\v\f\r", data[i]) != NULL && data[i] != '\0')
			continue;
		if (data[i] == '\0')
			out[n++] = '#';
		else
			out[n++] = (data[i] >= 'a' && data[i] <= 'z') ? (char) (data[i] - 32) : (char) data[i];
	}
	out[n] = '\0';
	*compact = out;
	return true;
}

/* Does the character c (possibly NUL) belong to the set? */
static inline bool
reference_in(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* Is every byte of text printable ASCII (the canonical forms and the rules)? */
static inline bool
printable_ascii(const char *text)
{
	for (; *text; text++)
	{
		if (*text < 0x20 || *text > 0x7e)
			return false;
	}
	return true;
}

/*
 * A messy retyping of a canonical value, steered by the fuzzer's bytes:
 * lower case, and whitespace before characters.  Normalising it must give
 * the canonical value back.
 */
static inline size_t
retype(const char *canonical, const uint8_t *data, size_t size, char *out)
{
	size_t		n = 0;

	for (size_t i = 0; canonical[i] != '\0'; i++)
	{
		uint8_t		steer = size > 0 ? data[i % size] : 0;

		if (steer & 1)
			out[n++] = " \t\n\r"[(steer >> 1) & 3];
		out[n++] = (steer & 8) && canonical[i] >= 'A' && canonical[i] <= 'Z' ?
			(char) (canonical[i] + 32) : canonical[i];
	}
	return n;
}

/* The reference lookup of a name: its index in names[0..count) (a NULL entry names nothing), or -1. */
static inline int
reference_name_index(const char *const *names, int count, const uint8_t *data, size_t size)
{
	for (int i = 0; i < count; i++)
	{
		if (names[i] != NULL && strlen(names[i]) == size && memcmp(names[i], data, size) == 0)
			return i;
	}
	return -1;
}

/* A UK validator's normalise function (src/core/uk_*.h). */
typedef bool (*FuzzNormalise) (const char *input, size_t length, char *output, const char **rule);

/*
 * The checks every UK validator target makes of one input: the answer is
 * the reference's; an invalid input names a printable rule; a valid one's
 * canonical form (in output, of buffer_size bytes) is printable ASCII,
 * normalises to itself, and a messy retyping of it normalises back to it.
 * Returns whether the input was valid, for the target's own checks.
 */
static inline bool
fuzz_check_normalise(FuzzNormalise normalise, bool reference, const uint8_t *data, size_t size,
					 char *output, size_t buffer_size)
{
	const char *rule = NULL;
	bool		valid = normalise((const char *) data, size, output, &rule);
	char	   *again;
	char	   *messy;

	FUZZ_CHECK(valid == reference);
	if (!valid)
	{
		FUZZ_CHECK(rule != NULL && rule[0] != '\0' && printable_ascii(rule));
		return false;
	}
	again = malloc(buffer_size);
	messy = malloc(4 * buffer_size);
	FUZZ_CHECK(printable_ascii(output));
	FUZZ_CHECK(normalise(output, strlen(output), again, &rule) && strcmp(again, output) == 0);
	FUZZ_CHECK(normalise(messy, retype(output, data, size, messy), again, &rule) && strcmp(again, output) == 0);
	free(again);
	free(messy);
	return true;
}

#endif							/* FUZZ_COMMON_H */
