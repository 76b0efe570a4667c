/*
 * uuid_v7.c
 *		RFC 9562 version-7 UUIDs: pactoria.uuid_generate_v7() and
 *		pactoria.uuid_v7_time().
 *
 * Layout (RFC 9562 section 5.7, with method 3 of section 6.2: the 12 bits of
 * rand_a carry sub-millisecond clock precision):
 *
 *	 48 bits  unix_ts_ms      milliseconds since 1970-01-01 UTC, big-endian
 *	  4 bits  version         0111
 *	 12 bits  rand_a          fraction of the millisecond, in 1/4096ths
 *	  2 bits  variant         10
 *	 62 bits  rand_b          random (pg_strong_random)
 *
 * The 60-bit (milliseconds, fraction) value is strictly increasing within a
 * backend: when the clock has not moved on (or went back), the previous value
 * plus one is used.  Ids made in one session therefore sort in the order they
 * were made, and B-tree inserts land on the rightmost leaf page.
 */
#include "postgres.h"

#include <time.h>

#include "fmgr.h"
#include "port.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

/* Random bytes are fetched in batches: one syscall serves 32 ids. */
#define RANDOM_BATCH_BYTES 256
#define RANDOM_BYTES_PER_UUID 8

static unsigned char random_batch[RANDOM_BATCH_BYTES];
static int	random_batch_used = RANDOM_BATCH_BYTES;

/* Last (unix ms << 12 | fraction) handed out by this backend. */
static uint64 last_timestamp_and_fraction = 0;

static const unsigned char *
next_random_bytes(void)
{
	const unsigned char *bytes;

	if (random_batch_used + RANDOM_BYTES_PER_UUID > RANDOM_BATCH_BYTES)
	{
		if (!pg_strong_random(random_batch, RANDOM_BATCH_BYTES))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate random values for a UUID")));
		random_batch_used = 0;
	}
	bytes = random_batch + random_batch_used;
	random_batch_used += RANDOM_BYTES_PER_UUID;
	return bytes;
}

PG_FUNCTION_INFO_V1(pactoria_uuid_generate_v7);

/*
 * pactoria.uuid_generate_v7(): a new time-ordered UUID.
 */
Datum
pactoria_uuid_generate_v7(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *uuid = (pg_uuid_t *) palloc(UUID_LEN);
	struct timespec now;
	uint64		value;
	uint64		unix_ms;
	uint32		fraction;
	const unsigned char *random;

	clock_gettime(CLOCK_REALTIME, &now);
	unix_ms = (uint64) now.tv_sec * 1000 + (uint64) now.tv_nsec / 1000000;
	/* nanoseconds within the millisecond, scaled to 0..4095 */
	fraction = (uint32) (((uint64) (now.tv_nsec % 1000000) << 12) / 1000000);
	value = unix_ms << 12 | fraction;
	if (value <= last_timestamp_and_fraction)
		value = last_timestamp_and_fraction + 1;
	last_timestamp_and_fraction = value;

	unix_ms = value >> 12;
	fraction = (uint32) (value & 0xFFF);

	uuid->data[0] = (unsigned char) (unix_ms >> 40);
	uuid->data[1] = (unsigned char) (unix_ms >> 32);
	uuid->data[2] = (unsigned char) (unix_ms >> 24);
	uuid->data[3] = (unsigned char) (unix_ms >> 16);
	uuid->data[4] = (unsigned char) (unix_ms >> 8);
	uuid->data[5] = (unsigned char) unix_ms;
	uuid->data[6] = (unsigned char) (0x70 | (fraction >> 8));
	uuid->data[7] = (unsigned char) (fraction & 0xFF);

	random = next_random_bytes();
	uuid->data[8] = (unsigned char) (0x80 | (random[0] & 0x3F));
	memcpy(&uuid->data[9], random + 1, 7);

	PG_RETURN_UUID_P(uuid);
}

PG_FUNCTION_INFO_V1(pactoria_uuid_v7_time);

/*
 * pactoria.uuid_v7_time(uuid): when a version-7 UUID was made: unix_ts_ms
 * plus rand_a read as a fraction of the millisecond in 1/4096ths, truncated to
 * the microsecond; NULL for other versions.  The fraction is time only in ids
 * made by pactoria_uuid_generate_v7() (method 3); another generator may fill
 * rand_a at random, and then only the millisecond is the time.
 */
Datum
pactoria_uuid_v7_time(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *uuid = PG_GETARG_UUID_P(0);
	uint64		unix_ms = 0;
	uint32		fraction;
	int			i;

	if ((uuid->data[6] >> 4) != 7 || (uuid->data[8] & 0xC0) != 0x80)
		PG_RETURN_NULL();

	for (i = 0; i < 6; i++)
		unix_ms = unix_ms << 8 | uuid->data[i];
	fraction = (uint32) (uuid->data[6] & 0x0F) << 8 | uuid->data[7];

	PG_RETURN_TIMESTAMPTZ((TimestampTz) unix_ms * 1000
						  + ((int64) fraction * 1000) / 4096
						  - ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY));
}
