/*
 * server_key.c
 *		pactoria's server key.
 *
 * A 256-bit secret in a file named by pactoria.key_file: 64 hexadecimal
 * digits and at most one trailing newline, a regular file owned by the
 * server's OS user with no group or other permission bits.  Anything else is
 * refused, with a message naming the problem but never the file's contents.
 * pactoria.retired_key_file names the key being retired: values signed with
 * it still verify, nothing new is signed with it.
 *
 * The key is read when first needed and kept in process memory (never in a
 * table, so never in a dump; never returned by a function; never logged).
 * The settings' assign hooks forget it, so a reload (SIGHUP, or ALTER SYSTEM
 * and pg_reload_conf()) reads the file again.  Only a successful read is
 * kept: a missing or refused file is looked at again at the next use.
 *
 * Users of the key never use it directly: pactoria_derive_key() gives one
 * subkey per purpose ("context-v1", "totp-secret-v1", ...).
 */
#include "postgres.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hmac.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/resowner.h"

#include "server_key.h"
#include "tenant_context.h"

/* The longest file accepted is 64 digits and "\r\n"; read a little more to tell. */
#define KEY_FILE_READ_MAX 80

typedef struct ServerKeyCache
{
	bool		loaded;
	uint8		key[PACTORIA_SERVER_KEY_LEN];
} ServerKeyCache;

static char *key_file_setting = NULL;
static char *retired_key_file_setting = NULL;
static ServerKeyCache key_cache[2];
static uint64 key_generation = 1;

static const char *const setting_names[2] = {"pactoria.key_file", "pactoria.retired_key_file"};

static void
forget_key(int which)
{
	explicit_bzero(key_cache[which].key, PACTORIA_SERVER_KEY_LEN);
	key_cache[which].loaded = false;
	key_generation++;
}

uint64
pactoria_server_key_generation(void)
{
	return key_generation;
}

static void
assign_key_file(const char *newval, void *extra)
{
	forget_key(PACTORIA_SERVER_KEY_CURRENT);
}

static void
assign_retired_key_file(const char *newval, void *extra)
{
	forget_key(PACTORIA_SERVER_KEY_RETIRED);
}

void
pactoria_define_server_key_settings(void)
{
	DefineCustomStringVariable("pactoria.key_file",
							   "File holding pactoria's server key (64 hexadecimal digits, mode 0600, owned by the server's OS user).",
							   "Signs the tenant context and encrypts stored secrets; read again on reload.",
							   &key_file_setting,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL,
							   assign_key_file,
							   NULL);
	DefineCustomStringVariable("pactoria.retired_key_file",
							   "File holding pactoria's previous server key, still accepted for verification while it retires.",
							   "Empty when no key is retiring.",
							   &retired_key_file_setting,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL,
							   assign_retired_key_file,
							   NULL);
}

/*
 * read_key_file
 *		Read and check key number which.  On success fill key and return NULL;
 *		otherwise return a static description of the problem (never quoting
 *		the contents) and leave key zeroed.
 */
static const char *
read_key_file(int which, uint8 key[PACTORIA_SERVER_KEY_LEN])
{
	const char *path = which == PACTORIA_SERVER_KEY_CURRENT ? key_file_setting : retired_key_file_setting;
	static char problem[MAXPGPATH + 200];
	char		buffer[KEY_FILE_READ_MAX + 1];
	struct stat st;
	ssize_t		length;
	int			fd;
	int			i;

	memset(key, 0, PACTORIA_SERVER_KEY_LEN);
	if (path == NULL || path[0] == '\0')
	{
		snprintf(problem, sizeof(problem), "%s is not set", setting_names[which]);
		return problem;
	}
	if (!is_absolute_path(path))
	{
		snprintf(problem, sizeof(problem), "%s must be an absolute path", setting_names[which]);
		return problem;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
	{
		snprintf(problem, sizeof(problem), "could not open key file \"%.*s\" named by %s: %s",
				 MAXPGPATH, path, setting_names[which], strerror(errno));
		return problem;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
	{
		close(fd);
		snprintf(problem, sizeof(problem), "key file \"%.*s\" is not a regular file", MAXPGPATH, path);
		return problem;
	}
	if (st.st_uid != geteuid())
	{
		close(fd);
		snprintf(problem, sizeof(problem), "key file \"%.*s\" is not owned by the server's operating-system user",
				 MAXPGPATH, path);
		return problem;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
	{
		close(fd);
		snprintf(problem, sizeof(problem), "key file \"%.*s\" has mode %04o: group or others may access it, it must be 0600 or 0400",
				 MAXPGPATH, path, (unsigned int) (st.st_mode & 07777));
		return problem;
	}
	length = read(fd, buffer, KEY_FILE_READ_MAX);
	close(fd);
	if (length < 0)
	{
		snprintf(problem, sizeof(problem), "could not read key file \"%.*s\": %s", MAXPGPATH, path, strerror(errno));
		return problem;
	}
	/* 64 hex digits, then nothing, "\n" or "\r\n". */
	if (!(length == 64 ||
		  (length == 65 && buffer[64] == '\n') ||
		  (length == 66 && buffer[64] == '\r' && buffer[65] == '\n')))
		goto malformed;
	for (i = 0; i < PACTORIA_SERVER_KEY_LEN; i++)
	{
		int			high = pactoria_hex_digit_value(buffer[2 * i]);
		int			low = pactoria_hex_digit_value(buffer[2 * i + 1]);

		if (high < 0 || low < 0)
			goto malformed;
		key[i] = (uint8) (high << 4 | low);
	}
	explicit_bzero(buffer, sizeof(buffer));
	return NULL;

malformed:
	explicit_bzero(buffer, sizeof(buffer));
	memset(key, 0, PACTORIA_SERVER_KEY_LEN);
	snprintf(problem, sizeof(problem), "key file \"%.*s\" is malformed: it must hold exactly 64 hexadecimal digits and at most a newline",
			 MAXPGPATH, path);
	return problem;
}

/* The key, from the cache or the file; NULL on success, else the problem. */
static const char *
load_key(int which, uint8 key[PACTORIA_SERVER_KEY_LEN])
{
	const char *problem;

	Assert(which == PACTORIA_SERVER_KEY_CURRENT || which == PACTORIA_SERVER_KEY_RETIRED);
	if (!key_cache[which].loaded)
	{
		problem = read_key_file(which, key_cache[which].key);
		if (problem != NULL)
			return problem;
		key_cache[which].loaded = true;
	}
	memcpy(key, key_cache[which].key, PACTORIA_SERVER_KEY_LEN);
	return NULL;
}

bool
pactoria_server_key(int which, uint8 key[PACTORIA_SERVER_KEY_LEN])
{
	if (which != PACTORIA_SERVER_KEY_CURRENT && which != PACTORIA_SERVER_KEY_RETIRED)
		return false;
	return load_key(which, key) == NULL;
}

void
pactoria_require_server_key(uint8 key[PACTORIA_SERVER_KEY_LEN])
{
	const char *problem = load_key(PACTORIA_SERVER_KEY_CURRENT, key);

	if (problem == NULL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("pactoria's server key is not configured"),
			 errdetail("%s.", problem),
			 errhint("Create one as the server's operating-system user: openssl rand -hex 32 > \"$PGDATA/pactoria.key\"; chmod 600 \"$PGDATA/pactoria.key\"; then ALTER SYSTEM SET pactoria.key_file = '/path/to/data/pactoria.key'; SELECT pg_reload_conf();")));
}

bool
pactoria_hmac_sha256(const uint8 *key, size_t key_len, const uint8 *data, size_t len, uint8 out[32])
{
	pg_hmac_ctx *ctx;
	bool		ok;

	/* The OpenSSL implementation registers with the current resource owner. */
	if (CurrentResourceOwner == NULL)
		return false;
	ctx = pg_hmac_create(PG_SHA256);
	if (ctx == NULL)
		return false;
	ok = pg_hmac_init(ctx, key, key_len) == 0 &&
		pg_hmac_update(ctx, data, len) == 0 &&
		pg_hmac_final(ctx, out, 32) == 0;
	pg_hmac_free(ctx);
	return ok;
}

bool
pactoria_derive_key(const uint8 key[PACTORIA_SERVER_KEY_LEN], const char *purpose,
					uint8 out[PACTORIA_SERVER_KEY_LEN])
{
	return pactoria_hmac_sha256(key, PACTORIA_SERVER_KEY_LEN, (const uint8 *) purpose, strlen(purpose), out);
}

bool
pactoria_equal_constant_time(const uint8 *a, const uint8 *b, size_t len)
{
	uint8		difference = 0;
	size_t		i;

	for (i = 0; i < len; i++)
		difference |= a[i] ^ b[i];
	return difference == 0;
}

PG_FUNCTION_INFO_V1(pactoria_server_key_status);

/*
 * pactoria.server_key_status(): for the current and the retired key, whether
 * it is usable and, if not, why.  Never the key.
 */
Datum
pactoria_server_key_status(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			which;

	InitMaterializedSRF(fcinfo, 0);
	for (which = 0; which < 2; which++)
	{
		uint8		key[PACTORIA_SERVER_KEY_LEN];
		const char *problem = load_key(which, key);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		explicit_bzero(key, sizeof(key));
		values[0] = CStringGetTextDatum(which == 0 ? "current" : "retired");
		values[1] = BoolGetDatum(problem == NULL);
		if (problem == NULL)
			nulls[2] = true;
		else
			values[2] = CStringGetTextDatum(problem);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(pactoria_constant_time_equal);

/* pactoria.constant_time_equal(a bytea, b bytea): equal, in time independent of the contents. */
Datum
pactoria_constant_time_equal(PG_FUNCTION_ARGS)
{
	bytea	   *a = PG_GETARG_BYTEA_PP(0);
	bytea	   *b = PG_GETARG_BYTEA_PP(1);

	if (VARSIZE_ANY_EXHDR(a) != VARSIZE_ANY_EXHDR(b))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(pactoria_equal_constant_time((const uint8 *) VARDATA_ANY(a), (const uint8 *) VARDATA_ANY(b),
												VARSIZE_ANY_EXHDR(a)));
}

PG_FUNCTION_INFO_V1(pactoria_random_bytes);

/* pactoria.random_bytes(n): n bytes from pg_strong_random() (1 to 1024). */
Datum
pactoria_random_bytes(PG_FUNCTION_ARGS)
{
	int32		n = PG_GETARG_INT32(0);
	bytea	   *result;

	if (n < 1 || n > 1024)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("random_bytes() makes 1 to 1024 bytes, not %d", n)));
	result = (bytea *) palloc(VARHDRSZ + n);
	SET_VARSIZE(result, VARHDRSZ + n);
	if (!pg_strong_random(VARDATA(result), n))
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not generate random bytes")));
	PG_RETURN_BYTEA_P(result);
}
