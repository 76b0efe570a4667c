/*
 * identity_clock.h
 *		The time identity checks use: now() moved by the superuser-only
 *		pactoria.test_clock_offset, so tests can make sessions and tokens expire.
 */
#ifndef PACTORIA_IDENTITY_CLOCK_H
#define PACTORIA_IDENTITY_CLOCK_H

#include "datatype/timestamp.h"

extern void pactoria_define_clock_settings(void);

/* Start of the current transaction, moved by the offset (pactoria.clock_now()). */
extern TimestampTz pactoria_clock_now(void);

/* The wall clock, moved by the offset (for checks outside a statement). */
extern TimestampTz pactoria_clock_wall(void);

#endif							/* PACTORIA_IDENTITY_CLOCK_H */
