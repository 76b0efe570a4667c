/*
 * fuzz_line_diff.c
 *		libFuzzer target of the line diff core (src/core/line_diff.c).
 *
 * Input: one byte choosing the cost limit (its low 7 bits; 0: automatic,
 * else that many steps, so the fallback of expensive searches is fuzzed too)
 * and the shape of the texts (high bit set: every byte becomes a one-letter
 * line of an alphabet of four, so the texts have many short repeated lines,
 * the hard case of a diff), one byte choosing after how many allocations the
 * allocator fails (0: never), then the old text, a NUL byte, the new text.
 * Checks, on every input:
 *	- the lines of each text, with their terminators, give back the text;
 *	- unchanged + removed rows are the old lines, in order; unchanged + added
 *	  rows are the new lines, in order (so applying the diff to the old text
 *	  gives the new one), and unchanged rows join equal lines;
 *	- in a changed stretch removed rows come before added rows, and the
 *	  other-side index of a removed or added row is its place;
 *	- on small inputs the diff is minimal: its unchanged lines are as many
 *	  as a longest common subsequence (dynamic programming reference);
 *	- an allocator that fails makes line_diff_compute() return false with
 *	  nothing left allocated (LeakSanitizer checks).
 *
 * Build (test/fuzz/run.sh builds every test/fuzz/fuzz_<name>.c so, against all
 * of src/core/):
 *	clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *		test/fuzz/fuzz_line_diff.c src/core/line_diff.c -o fuzz_line_diff
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "line_diff.h"

/* An allocator that fails from its fail_at-th allocation on (0: never). */
typedef struct CountingAllocator
{
	size_t		allocations;
	size_t		fail_at;
	size_t		live;
} CountingAllocator;

static void *
counting_allocate(size_t size, void *context)
{
	CountingAllocator *counter = context;

	counter->allocations++;
	if (counter->fail_at != 0 && counter->allocations >= counter->fail_at)
		return NULL;
	counter->live++;
	return malloc(size);
}

static void
counting_release(void *pointer, void *context)
{
	CountingAllocator *counter = context;

	counter->live--;
	free(pointer);
}

/* The lines of text with their terminators must be the text again. */
static void
check_lines(const char *text, size_t length, const LineDiffLine *lines, size_t count)
{
	size_t		position = 0;

	for (size_t i = 0; i < count; i++)
	{
		FUZZ_CHECK(lines[i].start == position);
		FUZZ_CHECK(lines[i].start + lines[i].length <= length);
		FUZZ_CHECK(memchr(text + lines[i].start, '\n', lines[i].length) == NULL);
		position += lines[i].length;
		if (position == length)
			FUZZ_CHECK(i == count - 1);
		else if (text[position] == '\n')
		{
			/* "\r\n" is a terminator: the line cannot end in '\r' then */
			FUZZ_CHECK(lines[i].length == 0 || text[position - 1] != '\r');
			position += 1;
		}
		else
		{
			FUZZ_CHECK(text[position] == '\r' && position + 1 < length && text[position + 1] == '\n');
			position += 2;
		}
	}
	FUZZ_CHECK(position == length);
}

/* Length of a longest common subsequence of the lines, O(n * m). */
static size_t
reference_lcs(const char *old_text, const LineDiffLine *old_lines, size_t n,
			  const char *new_text, const LineDiffLine *new_lines, size_t m)
{
	size_t	   *row = calloc(m + 1, sizeof(size_t));
	size_t		result;

	FUZZ_CHECK(row != NULL);
	for (size_t i = 1; i <= n; i++)
	{
		size_t		diagonal = 0;	/* row[j - 1] of the previous row */

		for (size_t j = 1; j <= m; j++)
		{
			size_t		above = row[j];
			const LineDiffLine *a = &old_lines[i - 1];
			const LineDiffLine *b = &new_lines[j - 1];

			if (a->length == b->length && memcmp(old_text + a->start, new_text + b->start, a->length) == 0)
				row[j] = diagonal + 1;
			else if (row[j - 1] > row[j])
				row[j] = row[j - 1];
			diagonal = above;
		}
	}
	result = row[m];
	free(row);
	return result;
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CountingAllocator counter = {0, 0, 0};
	LineDiffAllocator allocator = {counting_allocate, counting_release, &counter};
	LineDiff	diff;
	size_t		cost_limit;
	const char *old_text;
	const char *new_text;
	const char *separator;
	size_t		old_length;
	size_t		new_length;
	size_t		i = 0;
	size_t		j = 0;
	size_t		unchanged = 0;

	char	   *lines_of_letters = NULL;

	if (size < 2)
		return 0;
	cost_limit = data[0] & 0x7f;
	counter.fail_at = data[1];
	old_text = (const char *) data + 2;
	separator = memchr(old_text, '\0', size - 2);
	old_length = separator != NULL ? (size_t) (separator - old_text) : size - 2;
	new_text = separator != NULL ? separator + 1 : old_text + old_length;
	new_length = size - 2 - old_length - (separator != NULL ? 1 : 0);

	if (data[0] & 0x80)
	{
		/* each byte becomes the line "a".."d" */
		lines_of_letters = malloc(2 * (old_length + new_length) + 1);
		FUZZ_CHECK(lines_of_letters != NULL);
		for (size_t k = 0; k < old_length; k++)
		{
			lines_of_letters[2 * k] = 'a' + ((unsigned char) old_text[k] & 3);
			lines_of_letters[2 * k + 1] = '\n';
		}
		for (size_t k = 0; k < new_length; k++)
		{
			lines_of_letters[2 * (old_length + k)] = 'a' + ((unsigned char) new_text[k] & 3);
			lines_of_letters[2 * (old_length + k) + 1] = '\n';
		}
		old_text = lines_of_letters;
		new_text = lines_of_letters + 2 * old_length;
		old_length *= 2;
		new_length *= 2;
	}

	if (!line_diff_compute(old_text, old_length, new_text, new_length, cost_limit, &allocator, &diff))
	{
		FUZZ_CHECK(counter.fail_at != 0);
		FUZZ_CHECK(counter.live == 0);
		free(lines_of_letters);
		return 0;
	}

	check_lines(old_text, old_length, diff.old_lines, diff.old_line_count);
	check_lines(new_text, new_length, diff.new_lines, diff.new_line_count);

	for (size_t e = 0; e < diff.entry_count; e++)
	{
		const LineDiffEntry *entry = &diff.entries[e];

		switch (entry->operation)
		{
			case LINE_DIFF_UNCHANGED:
				{
					const LineDiffLine *a = &diff.old_lines[entry->old_index];
					const LineDiffLine *b = &diff.new_lines[entry->new_index];

					FUZZ_CHECK(entry->old_index == i && entry->new_index == j);
					FUZZ_CHECK(a->length == b->length);
					FUZZ_CHECK(memcmp(old_text + a->start, new_text + b->start, a->length) == 0);
					i++;
					j++;
					unchanged++;
					break;
				}
			case LINE_DIFF_REMOVED:
				FUZZ_CHECK(entry->old_index == i && entry->new_index == j);
				FUZZ_CHECK(e == 0 || diff.entries[e - 1].operation != LINE_DIFF_ADDED);
				i++;
				break;
			case LINE_DIFF_ADDED:
				FUZZ_CHECK(entry->new_index == j && entry->old_index == i);
				j++;
				break;
			default:
				FUZZ_CHECK(!"unknown operation");
		}
	}
	FUZZ_CHECK(i == diff.old_line_count && j == diff.new_line_count);
	FUZZ_CHECK(diff.entry_count == diff.old_line_count + diff.new_line_count - unchanged);

	/* With the automatic limit (at least 256) small inputs are diffed minimally. */
	if (cost_limit == 0 && diff.old_line_count + diff.new_line_count < 256)
		FUZZ_CHECK(diff.is_minimal);
	if (diff.is_minimal && diff.old_line_count * diff.new_line_count <= 250000)
		FUZZ_CHECK(unchanged == reference_lcs(old_text, diff.old_lines, diff.old_line_count,
										 new_text, diff.new_lines, diff.new_line_count));

	line_diff_free(&diff, &allocator);
	FUZZ_CHECK(counter.live == 0);
	free(lines_of_letters);
	return 0;
}
