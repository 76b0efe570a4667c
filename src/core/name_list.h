/*
 * name_list.h
 *		Finding a name in a fixed list of names (risk levels, compliance areas,
 *		correction types).  Plain C, no PostgreSQL header.
 */
#ifndef PACTORIA_NAME_LIST_H
#define PACTORIA_NAME_LIST_H

#include <stddef.h>

/*
 * The index in names[0..count-1] of the name given by its first length bytes
 * (exact, case-sensitive; the text need not be NUL-terminated), or -1.  NULL
 * entries of the list match nothing.
 */
extern int	name_list_index(const char *const *names, int count, const char *name, size_t length);

#endif							/* PACTORIA_NAME_LIST_H */
