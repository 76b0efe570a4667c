/*
 * messages.h
 *		How pactoria's error messages quote a value they were given.
 */
#ifndef PACTORIA_MESSAGES_H
#define PACTORIA_MESSAGES_H

/*
 * At most this many characters of a value given to pactoria appear in a
 * message; the SQL twin is pactoria.quote_prefix(text) (02_core.sql).
 */
#define PACTORIA_QUOTE_PREFIX_CHARACTERS 64

extern char *pactoria_quote_prefix(const char *value);

#endif							/* PACTORIA_MESSAGES_H */
