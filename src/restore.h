/*
 * restore.h
 *		How pactoria tells a restore (pg_restore, or psql running pg_dump's
 *		script) from an ordinary write, so that the rules of its triggers do
 *		not fire a second time on rows that were written under them already.
 */
#ifndef PACTORIA_RESTORE_H
#define PACTORIA_RESTORE_H

/* Whether the statement running is a restore's COPY; see restore.c. */
extern bool pactoria_restoring(void);

#endif
