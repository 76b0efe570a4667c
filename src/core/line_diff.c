/*
 * line_diff.c
 *		Line diff of two texts (see line_diff.h).  Pure C: no PostgreSQL
 *		header, all memory from the caller's allocator.
 *
 * The steps:
 *	1. split both texts into lines;
 *	2. give every distinct line a number (a hash table of the line bytes), so
 *	   the search compares numbers, not strings;
 *	3. take off the common head and tail;
 *	4. mark as changed every line of one text that does not occur in the
 *	   middle of the other (no common subsequence can use it), and leave it
 *	   out of the search: a typical edit of a long contract leaves little to
 *	   search;
 *	5. find a shortest edit script of what is left with Myers' O(ND)
 *	   algorithm, in its linear-space form (find the middle snake of the
 *	   edit graph from both ends, then do the two halves), iteratively with
 *	   an explicit stack so no input can exhaust the C stack;
 *	6. read the rows off the two "changed" marks.
 *
 * Step 5 caps the cost: when a search has taken cost_limit edit steps
 * without meeting, it splits at the diagonal that got furthest instead of
 * the optimal one (the same fallback as GNU diff), so two unrelated texts of
 * many short repeated lines still diff in about O((N + M) * cost_limit).
 * Memory stays O(N + M) whatever the input.
 */
#include "line_diff.h"

#include <stdint.h>
#include <string.h>

/* Lines with the same bytes share a class. */
typedef struct LineClass
{
	uint64_t	hash;
	const char *bytes;
	size_t		length;
	size_t		old_count;		/* occurrences in the old text's middle */
	size_t		new_count;		/* occurrences in the new text's middle */
} LineClass;

/* A stretch of the edit graph still to be diffed. */
typedef struct SearchRange
{
	ptrdiff_t	old_start;
	ptrdiff_t	old_end;
	ptrdiff_t	new_start;
	ptrdiff_t	new_end;
	bool		find_minimal;
} SearchRange;

/* Where diag() splits a range, and whether each half must be minimal. */
typedef struct Split
{
	ptrdiff_t	old_middle;
	ptrdiff_t	new_middle;
	bool		low_minimal;
	bool		high_minimal;
} Split;

/* The search of step 5 over the compacted sequences. */
typedef struct Search
{
	const size_t *old_classes;	/* class of each searched old line */
	const size_t *new_classes;
	ptrdiff_t  *forward;		/* furthest x on each diagonal, top-down */
	ptrdiff_t  *backward;		/* furthest x on each diagonal, bottom-up */
	ptrdiff_t	cost_limit;
	bool		limit_reached;
} Search;

/*
 * allocate_array
 *		count * size bytes from the allocator, or NULL (also on overflow).
 *		Never asks for zero bytes, which allocators treat differently.
 */
static void *
allocate_array(const LineDiffAllocator *allocator, size_t count, size_t size)
{
	if (count == 0)
		count = 1;
	if (count > SIZE_MAX / size)
		return NULL;
	return allocator->allocate(count * size, allocator->context);
}

/* Give memory back to the allocator; NULL is fine. */
static void
release(const LineDiffAllocator *allocator, void *pointer)
{
	if (pointer != NULL)
		allocator->release(pointer, allocator->context);
}

/*
 * line_diff_count_lines
 *		How many lines split_lines() will find, counting no further than
 *		stop_after + 1 (SIZE_MAX: all of them).
 */
size_t
line_diff_count_lines(const char *text, size_t length, size_t stop_after)
{
	size_t		count = 0;
	size_t		position = 0;

	while (position < length && count <= stop_after)
	{
		const char *line_feed = memchr(text + position, '\n', length - position);

		count++;
		if (line_feed == NULL)
			break;
		position = (size_t) (line_feed - text) + 1;
	}
	return count;
}

/*
 * split_lines
 *		Fill lines[] with the lines of text: each ends before "\n" or
 *		"\r\n"; the last may end at the end of the text.
 */
static void
split_lines(const char *text, size_t length, LineDiffLine *lines)
{
	size_t		count = 0;
	size_t		position = 0;

	while (position < length)
	{
		const char *line_feed = memchr(text + position, '\n', length - position);
		size_t		end = line_feed != NULL ? (size_t) (line_feed - text) : length;
		size_t		content_end = end;

		if (line_feed != NULL && content_end > position && text[content_end - 1] == '\r')
			content_end--;
		lines[count].start = position;
		lines[count].length = content_end - position;
		count++;
		position = line_feed != NULL ? end + 1 : length;
	}
}

/* FNV-1a, 64 bits: simple, and every byte of the line counts. */
static uint64_t
hash_bytes(const char *bytes, size_t length)
{
	uint64_t	hash = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < length; i++)
	{
		hash ^= (unsigned char) bytes[i];
		hash *= UINT64_C(0x100000001b3);
	}
	return hash;
}

/*
 * classify_lines
 *		Give each line the number of its class, adding classes to the table
 *		(open addressing, linear probing; slots hold class number + 1).
 */
static void
classify_lines(const char *text, const LineDiffLine *lines, size_t line_count,
			   LineClass *classes, size_t *class_count,
			   size_t *slots, size_t slot_mask, size_t *line_classes)
{
	for (size_t i = 0; i < line_count; i++)
	{
		const char *bytes = text + lines[i].start;
		size_t		length = lines[i].length;
		uint64_t	hash = hash_bytes(bytes, length);
		size_t		slot = (size_t) hash & slot_mask;

		for (;;)
		{
			size_t		entry = slots[slot];

			if (entry == 0)
			{
				LineClass  *class = &classes[*class_count];

				class->hash = hash;
				class->bytes = bytes;
				class->length = length;
				class->old_count = 0;
				class->new_count = 0;
				slots[slot] = ++(*class_count);
				line_classes[i] = *class_count - 1;
				break;
			}
			if (classes[entry - 1].hash == hash && classes[entry - 1].length == length &&
				(length == 0 || memcmp(classes[entry - 1].bytes, bytes, length) == 0))
			{
				line_classes[i] = entry - 1;
				break;
			}
			slot = (slot + 1) & slot_mask;
		}
	}
}

/*
 * find_split
 *		Myers' middle snake of the range: search from the top-left and from
 *		the bottom-right corner one edit step at a time, until a forward and
 *		a backward path overlap on a diagonal; split there.  After
 *		cost_limit steps (unless the range must be minimal) split at the
 *		furthest point either search reached.
 */
static void
find_split(Search *search, ptrdiff_t old_start, ptrdiff_t old_end,
		   ptrdiff_t new_start, ptrdiff_t new_end, bool find_minimal, Split *split)
{
	ptrdiff_t  *const forward = search->forward;
	ptrdiff_t  *const backward = search->backward;
	const size_t *const xv = search->old_classes;
	const size_t *const yv = search->new_classes;
	const ptrdiff_t lowest_diagonal = old_start - new_end;
	const ptrdiff_t highest_diagonal = old_end - new_start;
	const ptrdiff_t forward_middle = old_start - new_start;
	const ptrdiff_t backward_middle = old_end - new_end;
	ptrdiff_t	forward_low = forward_middle;
	ptrdiff_t	forward_high = forward_middle;
	ptrdiff_t	backward_low = backward_middle;
	ptrdiff_t	backward_high = backward_middle;
	const bool	odd = ((forward_middle - backward_middle) & 1) != 0;

	forward[forward_middle] = old_start;
	backward[backward_middle] = old_end;

	for (ptrdiff_t cost = 1;; cost++)
	{
		ptrdiff_t	d;

		/* One more edit step on every forward diagonal. */
		if (forward_low > lowest_diagonal)
			forward[--forward_low - 1] = -1;
		else
			forward_low++;
		if (forward_high < highest_diagonal)
			forward[++forward_high + 1] = -1;
		else
			forward_high--;
		for (d = forward_high; d >= forward_low; d -= 2)
		{
			ptrdiff_t	low = forward[d - 1];
			ptrdiff_t	high = forward[d + 1];
			ptrdiff_t	x = low < high ? high : low + 1;
			ptrdiff_t	y = x - d;

			while (x < old_end && y < new_end && xv[x] == yv[y])
			{
				x++;
				y++;
			}
			forward[d] = x;
			if (odd && backward_low <= d && d <= backward_high && backward[d] <= x)
			{
				split->old_middle = x;
				split->new_middle = y;
				split->low_minimal = split->high_minimal = true;
				return;
			}
		}

		/* And on every backward diagonal. */
		if (backward_low > lowest_diagonal)
			backward[--backward_low - 1] = PTRDIFF_MAX;
		else
			backward_low++;
		if (backward_high < highest_diagonal)
			backward[++backward_high + 1] = PTRDIFF_MAX;
		else
			backward_high--;
		for (d = backward_high; d >= backward_low; d -= 2)
		{
			ptrdiff_t	low = backward[d - 1];
			ptrdiff_t	high = backward[d + 1];
			ptrdiff_t	x = low < high ? low : high - 1;
			ptrdiff_t	y = x - d;

			while (old_start < x && new_start < y && xv[x - 1] == yv[y - 1])
			{
				x--;
				y--;
			}
			backward[d] = x;
			if (!odd && forward_low <= d && d <= forward_high && x <= forward[d])
			{
				split->old_middle = x;
				split->new_middle = y;
				split->low_minimal = split->high_minimal = true;
				return;
			}
		}

		if (find_minimal || cost < search->cost_limit)
			continue;

		/*
		 * Too expensive: take the forward point with the largest x + y or the
		 * backward point with the smallest, whichever got further from its
		 * corner.  The half on the searched side is solved minimally: its
		 * cost is at most the steps already taken.
		 */
		{
			ptrdiff_t	forward_best_sum = -1;
			ptrdiff_t	forward_best_x = old_start;
			ptrdiff_t	backward_best_sum = PTRDIFF_MAX;
			ptrdiff_t	backward_best_x = old_end;

			for (d = forward_high; d >= forward_low; d -= 2)
			{
				ptrdiff_t	x = forward[d] < old_end ? forward[d] : old_end;
				ptrdiff_t	y = x - d;

				if (new_end < y)
				{
					x = new_end + d;
					y = new_end;
				}
				if (forward_best_sum < x + y)
				{
					forward_best_sum = x + y;
					forward_best_x = x;
				}
			}
			for (d = backward_high; d >= backward_low; d -= 2)
			{
				ptrdiff_t	x = backward[d] > old_start ? backward[d] : old_start;
				ptrdiff_t	y = x - d;

				if (y < new_start)
				{
					x = new_start + d;
					y = new_start;
				}
				if (x + y < backward_best_sum)
				{
					backward_best_sum = x + y;
					backward_best_x = x;
				}
			}

			search->limit_reached = true;
			if ((old_end + new_end) - backward_best_sum < forward_best_sum - (old_start + new_start))
			{
				split->old_middle = forward_best_x;
				split->new_middle = forward_best_sum - forward_best_x;
				split->low_minimal = true;
				split->high_minimal = false;
			}
			else
			{
				split->old_middle = backward_best_x;
				split->new_middle = backward_best_sum - backward_best_x;
				split->low_minimal = false;
				split->high_minimal = true;
			}
			return;
		}
	}
}

/*
 * push_range
 *		Push a range on the search stack, growing it when full.  False when
 *		out of memory.
 */
static bool
push_range(const LineDiffAllocator *allocator, SearchRange **stack, size_t *capacity,
		   size_t *depth, SearchRange range)
{
	if (*depth == *capacity)
	{
		SearchRange *larger = allocate_array(allocator, *capacity * 2, sizeof(SearchRange));

		if (larger == NULL)
			return false;
		memcpy(larger, *stack, *depth * sizeof(SearchRange));
		release(allocator, *stack);
		*stack = larger;
		*capacity *= 2;
	}
	(*stack)[(*depth)++] = range;
	return true;
}

/*
 * search_edits
 *		Step 5: mark the changed lines among the compacted sequences
 *		(old_changed[old_map[x]], new_changed[new_map[y]]).
 */
static bool
search_edits(const LineDiffAllocator *allocator, Search *search,
			 ptrdiff_t old_count, ptrdiff_t new_count,
			 const size_t *old_map, const size_t *new_map,
			 bool *old_changed, bool *new_changed)
{
	const size_t *xv = search->old_classes;
	const size_t *yv = search->new_classes;
	size_t		capacity = 64;
	size_t		depth = 0;
	SearchRange *stack = allocate_array(allocator, capacity, sizeof(SearchRange));
	SearchRange whole = {0, old_count, 0, new_count, false};
	bool		ok = true;

	if (stack == NULL)
		return false;
	stack[depth++] = whole;

	while (depth > 0)
	{
		SearchRange range = stack[--depth];

		while (range.old_start < range.old_end && range.new_start < range.new_end &&
			   xv[range.old_start] == yv[range.new_start])
		{
			range.old_start++;
			range.new_start++;
		}
		while (range.old_start < range.old_end && range.new_start < range.new_end &&
			   xv[range.old_end - 1] == yv[range.new_end - 1])
		{
			range.old_end--;
			range.new_end--;
		}

		if (range.old_start == range.old_end)
		{
			for (ptrdiff_t y = range.new_start; y < range.new_end; y++)
				new_changed[new_map[y]] = true;
		}
		else if (range.new_start == range.new_end)
		{
			for (ptrdiff_t x = range.old_start; x < range.old_end; x++)
				old_changed[old_map[x]] = true;
		}
		else
		{
			Split		split;
			SearchRange high;
			SearchRange low;

			find_split(search, range.old_start, range.old_end, range.new_start, range.new_end,
					   range.find_minimal, &split);
			high.old_start = split.old_middle;
			high.old_end = range.old_end;
			high.new_start = split.new_middle;
			high.new_end = range.new_end;
			high.find_minimal = split.high_minimal;
			low.old_start = range.old_start;
			low.old_end = split.old_middle;
			low.new_start = range.new_start;
			low.new_end = split.new_middle;
			low.find_minimal = split.low_minimal;
			if (!push_range(allocator, &stack, &capacity, &depth, high) ||
				!push_range(allocator, &stack, &capacity, &depth, low))
			{
				ok = false;
				break;
			}
		}
	}

	release(allocator, stack);
	return ok;
}

/*
 * automatic_cost_limit
 *		About twice the square root of the number of diagonals, and at least
 *		256: edits of a few hundred lines are always found minimal.
 */
static ptrdiff_t
automatic_cost_limit(size_t diagonals)
{
	ptrdiff_t	limit = 1;

	for (; diagonals != 0; diagonals >>= 2)
		limit <<= 1;
	return limit < 256 ? 256 : limit;
}

/*
 * line_diff_compute
 *		See line_diff.h.
 */
bool
line_diff_compute(const char *old_text, size_t old_length,
				  const char *new_text, size_t new_length,
				  size_t cost_limit,
				  const LineDiffAllocator *allocator,
				  LineDiff *diff)
{
	size_t		n;
	size_t		m;
	size_t		prefix = 0;
	size_t		suffix = 0;
	size_t		slot_count = 8;
	size_t		class_count = 0;
	size_t		searched_old = 0;
	size_t		searched_new = 0;
	size_t		entry_count = 0;
	size_t		i;
	size_t		j;
	bool		ok = false;
	/* working memory, freed at the end */
	LineClass  *classes = NULL;
	size_t	   *slots = NULL;
	size_t	   *old_classes = NULL;
	size_t	   *new_classes = NULL;
	bool	   *old_changed = NULL;
	bool	   *new_changed = NULL;
	size_t	   *search_old = NULL;
	size_t	   *search_new = NULL;
	size_t	   *old_map = NULL;
	size_t	   *new_map = NULL;
	ptrdiff_t  *diagonals = NULL;

	memset(diff, 0, sizeof(LineDiff));
	diff->is_minimal = true;

	/* 1. Lines. */
	n = line_diff_count_lines(old_text, old_length, SIZE_MAX);
	m = line_diff_count_lines(new_text, new_length, SIZE_MAX);
	diff->old_lines = allocate_array(allocator, n, sizeof(LineDiffLine));
	diff->new_lines = allocate_array(allocator, m, sizeof(LineDiffLine));
	diff->entries = allocate_array(allocator, n + m, sizeof(LineDiffEntry));
	if (diff->old_lines == NULL || diff->new_lines == NULL || diff->entries == NULL)
		goto done;
	split_lines(old_text, old_length, diff->old_lines);
	split_lines(new_text, new_length, diff->new_lines);
	diff->old_line_count = n;
	diff->new_line_count = m;

	/* 2. Classes. */
	while (slot_count < 2 * (n + m))
		slot_count *= 2;
	classes = allocate_array(allocator, n + m, sizeof(LineClass));
	slots = allocate_array(allocator, slot_count, sizeof(size_t));
	old_classes = allocate_array(allocator, n, sizeof(size_t));
	new_classes = allocate_array(allocator, m, sizeof(size_t));
	old_changed = allocate_array(allocator, n, sizeof(bool));
	new_changed = allocate_array(allocator, m, sizeof(bool));
	if (classes == NULL || slots == NULL || old_classes == NULL || new_classes == NULL ||
		old_changed == NULL || new_changed == NULL)
		goto done;
	memset(slots, 0, slot_count * sizeof(size_t));
	memset(old_changed, 0, n * sizeof(bool));
	memset(new_changed, 0, m * sizeof(bool));
	classify_lines(old_text, diff->old_lines, n, classes, &class_count, slots, slot_count - 1, old_classes);
	classify_lines(new_text, diff->new_lines, m, classes, &class_count, slots, slot_count - 1, new_classes);
	release(allocator, slots);
	slots = NULL;

	/* 3. Common head and tail. */
	while (prefix < n && prefix < m && old_classes[prefix] == new_classes[prefix])
		prefix++;
	while (suffix < n - prefix && suffix < m - prefix &&
		   old_classes[n - 1 - suffix] == new_classes[m - 1 - suffix])
		suffix++;

	/* 4. Lines of one middle that the other middle lacks are changed. */
	for (i = prefix; i < n - suffix; i++)
		classes[old_classes[i]].old_count++;
	for (j = prefix; j < m - suffix; j++)
		classes[new_classes[j]].new_count++;
	search_old = allocate_array(allocator, n - prefix - suffix, sizeof(size_t));
	search_new = allocate_array(allocator, m - prefix - suffix, sizeof(size_t));
	old_map = allocate_array(allocator, n - prefix - suffix, sizeof(size_t));
	new_map = allocate_array(allocator, m - prefix - suffix, sizeof(size_t));
	if (search_old == NULL || search_new == NULL || old_map == NULL || new_map == NULL)
		goto done;
	for (i = prefix; i < n - suffix; i++)
	{
		if (classes[old_classes[i]].new_count == 0)
			old_changed[i] = true;
		else
		{
			search_old[searched_old] = old_classes[i];
			old_map[searched_old++] = i;
		}
	}
	for (j = prefix; j < m - suffix; j++)
	{
		if (classes[new_classes[j]].old_count == 0)
			new_changed[j] = true;
		else
		{
			search_new[searched_new] = new_classes[j];
			new_map[searched_new++] = j;
		}
	}

	/* 5. Myers over what is left. */
	if (searched_old > 0 || searched_new > 0)
	{
		Search		search;
		size_t		diagonal_count = searched_old + searched_new + 3;

		diagonals = allocate_array(allocator, 2 * diagonal_count, sizeof(ptrdiff_t));
		if (diagonals == NULL)
			goto done;
		search.old_classes = search_old;
		search.new_classes = search_new;
		/* diagonal k = x - y runs from -(M + 1) to N + 1 */
		search.forward = diagonals + searched_new + 1;
		search.backward = diagonals + diagonal_count + searched_new + 1;
		if (cost_limit == 0)
			search.cost_limit = automatic_cost_limit(diagonal_count);
		else
			search.cost_limit = cost_limit < (size_t) PTRDIFF_MAX ? (ptrdiff_t) cost_limit : PTRDIFF_MAX;
		search.limit_reached = false;
		if (!search_edits(allocator, &search, (ptrdiff_t) searched_old, (ptrdiff_t) searched_new,
						  old_map, new_map, old_changed, new_changed))
			goto done;
		diff->is_minimal = !search.limit_reached;
	}

	/*
	 * 6. Rows.  The unchanged lines of both texts pair up in order (they are
	 * a common subsequence), so each turn of the loop moves on.
	 */
	i = 0;
	j = 0;
	while (i < n || j < m)
	{
		if (i < n && j < m && !old_changed[i] && !new_changed[j])
		{
			diff->entries[entry_count].operation = LINE_DIFF_UNCHANGED;
			diff->entries[entry_count].old_index = i++;
			diff->entries[entry_count++].new_index = j++;
			continue;
		}
		while (i < n && old_changed[i])
		{
			diff->entries[entry_count].operation = LINE_DIFF_REMOVED;
			diff->entries[entry_count].old_index = i++;
			diff->entries[entry_count++].new_index = j;
		}
		while (j < m && new_changed[j])
		{
			diff->entries[entry_count].operation = LINE_DIFF_ADDED;
			diff->entries[entry_count].old_index = i;
			diff->entries[entry_count++].new_index = j++;
		}
	}
	diff->entry_count = entry_count;
	ok = true;

done:
	release(allocator, diagonals);
	release(allocator, new_map);
	release(allocator, old_map);
	release(allocator, search_new);
	release(allocator, search_old);
	release(allocator, new_changed);
	release(allocator, old_changed);
	release(allocator, new_classes);
	release(allocator, old_classes);
	release(allocator, slots);
	release(allocator, classes);
	if (!ok)
		line_diff_free(diff, allocator);
	return ok;
}

/*
 * line_diff_free
 *		See line_diff.h.
 */
void
line_diff_free(LineDiff *diff, const LineDiffAllocator *allocator)
{
	release(allocator, diff->entries);
	release(allocator, diff->new_lines);
	release(allocator, diff->old_lines);
	memset(diff, 0, sizeof(LineDiff));
}
