/*
 * name_list.c
 *		Finding a name in a fixed list of names: see name_list.h.
 */
#include "name_list.h"

#include <string.h>

/* Linear search: the lists have a handful of entries. */
int
name_list_index(const char *const *names, int count, const char *name, size_t length)
{
	int			i;

	for (i = 0; i < count; i++)
	{
		if (names[i] != NULL && strlen(names[i]) == length && memcmp(names[i], name, length) == 0)
			return i;
	}
	return -1;
}
