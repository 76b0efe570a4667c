/*
 * line_diff.h
 *		Line diff of two texts: which lines of the old text were removed,
 *		which lines of the new text were added, which are unchanged.
 *
 * Pure C, no PostgreSQL header: the fmgr wrapper (contract_diff.c) and the
 * libFuzzer target (test/fuzz/fuzz_line_diff.c) both call it.  Memory comes
 * from the caller's allocator, so the server can use a memory context and the
 * fuzzer plain malloc.
 *
 * A line is the bytes up to a line feed; a carriage return just before the
 * line feed belongs to the terminator, not to the line.  The last line needs
 * no terminator, and a text ending in a terminator has no empty line after
 * it.  So "a\nb", "a\nb\n" and "a\r\nb\r\n" all hold the lines "a" and "b",
 * and the empty text holds none: line endings are not changes of content.
 */
#ifndef PACTORIA_LINE_DIFF_H
#define PACTORIA_LINE_DIFF_H

#include <stdbool.h>
#include <stddef.h>

/* What happened to one line. */
typedef enum LineDiffOperation
{
	LINE_DIFF_UNCHANGED,		/* in both texts */
	LINE_DIFF_REMOVED,			/* only in the old text */
	LINE_DIFF_ADDED				/* only in the new text */
} LineDiffOperation;

/* One line of a text: byte offset and length, terminator excluded. */
typedef struct LineDiffLine
{
	size_t		start;
	size_t		length;
} LineDiffLine;

/*
 * One row of the diff, with 0-based line indexes.  An unchanged line has
 * both; a removed line has its old_index, and as new_index the number of new
 * lines before the place it was removed from; an added line has its
 * new_index, and as old_index the number of old lines before it.
 */
typedef struct LineDiffEntry
{
	LineDiffOperation operation;
	size_t		old_index;
	size_t		new_index;
} LineDiffEntry;

/*
 * Where memory comes from.  allocate returns NULL when there is none; the
 * diff then frees what it took and reports failure.
 */
typedef struct LineDiffAllocator
{
	void	   *(*allocate) (size_t size, void *context);
	void		(*release) (void *pointer, void *context);
	void	   *context;
} LineDiffAllocator;

/* The result: both texts' lines and the diff rows, in document order. */
typedef struct LineDiff
{
	LineDiffLine *old_lines;
	size_t		old_line_count;
	LineDiffLine *new_lines;
	size_t		new_line_count;
	LineDiffEntry *entries;
	size_t		entry_count;
	/* false when the cost limit cut the search: valid, maybe not shortest */
	bool		is_minimal;
} LineDiff;

/*
 * Diff old_text against new_text (any bytes, not NUL-terminated).
 *
 * The rows are ordered as the documents read: unchanged lines in order, and
 * in each changed stretch the removed lines before the added ones.  The
 * unchanged lines are a longest common subsequence of the two texts' lines
 * (Myers' O(ND) algorithm in linear space) as long as a stretch needs fewer
 * than cost_limit edits to explain; beyond that the search settles for a
 * good split instead of the best one, so pathological input costs about
 * O((N + M) * cost_limit) time and never more than O(N + M) memory.  A
 * cost_limit of 0 picks a limit from the texts' sizes.
 *
 * Returns false when the allocator ran out of memory (nothing is left
 * allocated then); on success free the result with line_diff_free().
 */
extern bool line_diff_compute(const char *old_text, size_t old_length,
							  const char *new_text, size_t new_length,
							  size_t cost_limit,
							  const LineDiffAllocator *allocator,
							  LineDiff *diff);

/*
 * The largest texts pactoria.diff_text() accepts (refused with 54000 before
 * any work): bytes and lines of each text.  A contract's content has at most
 * 2,000,000 characters (20_tables.sql); 200,000 lines keep the worst case
 * (every line changed) well under a second and about 100 MB of memory.
 */
#define LINE_DIFF_MAX_BYTES 10000000
#define LINE_DIFF_MAX_LINES 200000

/*
 * How many lines line_diff_compute() finds in a text, counting no further
 * than stop_after + 1 (so that an oversized text is rejected cheaply).
 */
extern size_t line_diff_count_lines(const char *text, size_t length, size_t stop_after);

/* Free what line_diff_compute() allocated for diff. */
extern void line_diff_free(LineDiff *diff, const LineDiffAllocator *allocator);

#endif							/* PACTORIA_LINE_DIFF_H */
