/*
 * contract_diff.c
 *		pactoria.diff_text(old_text, new_text): the fmgr wrapper of the line
 *		diff core (line_diff.c), returning one row per line.
 *
 * pactoria.diff_contract_versions() (60_contract_lifecycle.sql) fetches two
 * versions of a contract and calls it.  The rows go to a tuplestore (the
 * materialize protocol), so a long diff spills to disk past work_mem instead
 * of growing the backend; the diff itself works in its own memory context,
 * deleted before returning.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "line_diff.h"

PG_FUNCTION_INFO_V1(pactoria_diff_text);

/* The line diff's allocator: huge allocations allowed, NULL when out of memory. */
static void *
allocate_in_context(size_t size, void *context)
{
	return MemoryContextAllocExtended((MemoryContext) context, size,
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

/* Its release: pfree. */
static void
release_in_context(void *pointer, void *context)
{
	pfree(pointer);
}

/*
 * line_datum
 *		The text of one line of a text, as a text datum.
 */
static Datum
line_datum(const char *text, const LineDiffLine *line)
{
	return PointerGetDatum(cstring_to_text_with_len(text + line->start, (int) line->length));
}

/*
 * check_diff_input
 *		Refuse (54000) a text above LINE_DIFF_MAX_BYTES bytes or
 *		LINE_DIFF_MAX_LINES lines, after at most one scan of its first
 *		LINE_DIFF_MAX_BYTES bytes.
 */
static void
check_diff_input(const char *which, const char *bytes, size_t length)
{
	if (length > LINE_DIFF_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s text is too large to diff (%zu bytes)", which, length),
				 errdetail("diff_text accepts texts of at most %d bytes and %d lines.",
						   LINE_DIFF_MAX_BYTES, LINE_DIFF_MAX_LINES)));
	if (line_diff_count_lines(bytes, length, LINE_DIFF_MAX_LINES) > LINE_DIFF_MAX_LINES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s text has too many lines to diff (more than %d)", which, LINE_DIFF_MAX_LINES),
				 errdetail("diff_text accepts texts of at most %d bytes and %d lines.",
						   LINE_DIFF_MAX_BYTES, LINE_DIFF_MAX_LINES)));
}

/*
 * pactoria_diff_text
 *		Rows (line_number_from, line_number_to, operation, line): unchanged
 *		lines with both line numbers, removed lines with their old line
 *		number, added lines with their new line number, in document order.
 */
Datum
pactoria_diff_text(PG_FUNCTION_ARGS)
{
	text	   *old_text = PG_GETARG_TEXT_PP(0);
	text	   *new_text = PG_GETARG_TEXT_PP(1);
	const char *old_bytes = VARDATA_ANY(old_text);
	const char *new_bytes = VARDATA_ANY(new_text);
	ReturnSetInfo *result_info = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext diff_context;
	MemoryContext row_context;
	MemoryContext old_context;
	LineDiffAllocator allocator;
	LineDiff	diff;
	Datum		operation_names[3];

	/* Sizes first, before any allocation: an oversized text costs a scan at most. */
	check_diff_input("old", old_bytes, VARSIZE_ANY_EXHDR(old_text));
	check_diff_input("new", new_bytes, VARSIZE_ANY_EXHDR(new_text));

	InitMaterializedSRF(fcinfo, 0);

	diff_context = AllocSetContextCreate(CurrentMemoryContext, "pactoria line diff",
										 ALLOCSET_DEFAULT_SIZES);
	row_context = AllocSetContextCreate(diff_context, "pactoria line diff row",
										ALLOCSET_SMALL_SIZES);
	allocator.allocate = allocate_in_context;
	allocator.release = release_in_context;
	allocator.context = diff_context;

	if (!line_diff_compute(old_bytes, VARSIZE_ANY_EXHDR(old_text),
						   new_bytes, VARSIZE_ANY_EXHDR(new_text),
						   0, &allocator, &diff))
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Diffing texts of %d and %d bytes needs more memory than is available.",
						   (int) VARSIZE_ANY_EXHDR(old_text), (int) VARSIZE_ANY_EXHDR(new_text))));

	old_context = MemoryContextSwitchTo(diff_context);
	operation_names[LINE_DIFF_UNCHANGED] = CStringGetTextDatum("unchanged");
	operation_names[LINE_DIFF_REMOVED] = CStringGetTextDatum("removed");
	operation_names[LINE_DIFF_ADDED] = CStringGetTextDatum("added");

	/* A text has at most 1 GB, so line numbers fit in an int4. */
	for (size_t i = 0; i < diff.entry_count; i++)
	{
		const LineDiffEntry *entry = &diff.entries[i];
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		MemoryContextSwitchTo(row_context);
		values[0] = Int32GetDatum((int32) (entry->old_index + 1));
		values[1] = Int32GetDatum((int32) (entry->new_index + 1));
		values[2] = operation_names[entry->operation];
		if (entry->operation == LINE_DIFF_ADDED)
		{
			nulls[0] = true;
			values[3] = line_datum(new_bytes, &diff.new_lines[entry->new_index]);
		}
		else
		{
			nulls[1] = entry->operation == LINE_DIFF_REMOVED;
			values[3] = line_datum(old_bytes, &diff.old_lines[entry->old_index]);
		}
		tuplestore_putvalues(result_info->setResult, result_info->setDesc, values, nulls);
		MemoryContextReset(row_context);
	}

	MemoryContextSwitchTo(old_context);
	MemoryContextDelete(diff_context);
	return (Datum) 0;
}
