/*
 * tenant_keys.c
 *		Tenant data keys and the encryption of values under them
 *		(pactoria.encrypt / pactoria.decrypt), AES-256-GCM.
 *
 * Each company has data keys, numbered from 1: random 256-bit keys stored
 * in pactoria.tenant_keys only sealed under the server key (secret_seal.c,
 * purpose "tenant data key", bound to the company and the key number), so
 * neither SQL nor a dump ever holds one in clear.  The highest number is the
 * current key, which encrypt() uses; decrypt() uses the key a ciphertext
 * names (data_cipher.h), so values under older keys keep decrypting after a
 * rotation.  A company's first key is made by its first encrypt().
 *
 * Both run under the tenant context: the company is the one in context, and
 * the associated data binds every value to that company and to a binding
 * the caller names (the column), so a value copied to another tenant's row
 * or another column does not decrypt.  They are not SECURITY DEFINER: they
 * switch to the owner of tenant_keys only around their own fully qualified
 * statements (trigger_guard.h), and check the type of every column read.
 *
 * Unwrapped keys are cached per backend, in TopMemoryContext, until the
 * server key is reloaded or tenant_keys changes (every statement on it
 * invalidates its relcache entry: pactoria.tenant_keys_changed()); a key
 * made in a transaction that aborts is dropped with the cache.  Keys are
 * wiped from memory when the cache is cleared.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/uuid.h"

#include "data_cipher.h"
#include "secret_seal.h"
#include "server_key.h"
#include "tenant_context.h"
#include "tenant_keys.h"
#include "trigger_guard.h"
/* Keys cached at most; past that the cache starts again. */
#define DATA_KEY_CACHE_MAX 4096

#define KEY_PURPOSE "tenant data key"

#define PERSON_KEY_PURPOSE "person key"

/*
 * A company's data key, or (person_id set) the key of one person of the
 * company (person_keys: one per person, number 1).
 */
typedef struct DataKeyId
{
	pg_uuid_t	company_id;
	pg_uuid_t	person_id;		/* zeros: a data key of the company */
	uint32		key_number;		/* 0: the company's current key */
} DataKeyId;

typedef struct CachedDataKey
{
	DataKeyId	id;				/* hash key */
	uint32		key_number;		/* the key's own number (for entry 0: the current one) */
	bool		erased;			/* a person's key that was destroyed (no key) */
	uint8		key[DATA_KEY_LEN];
} CachedDataKey;

static HTAB *key_cache = NULL;
static uint64 cache_server_key_generation = 0;
static uint64 cache_table_generation = 0;
static bool key_made_in_transaction = false;
static bool callbacks_registered = false;

/* The statements on the key tables, with %s for the table (or its local Citus shard). */
#define CURRENT_KEY_QUERY "SELECT k.key_number, k.wrapped_key FROM %s AS k" \
	" WHERE k.company_id OPERATOR(pg_catalog.=) $1 ORDER BY k.key_number DESC LIMIT 1"
#define NUMBERED_KEY_QUERY "SELECT k.key_number, k.wrapped_key FROM %s AS k" \
	" WHERE k.company_id OPERATOR(pg_catalog.=) $1 AND k.key_number OPERATOR(pg_catalog.=) $2"
#define INSERT_KEY_QUERY "INSERT INTO %s (company_id, key_number, wrapped_key)" \
	" VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
#define PERSON_KEY_QUERY "SELECT p.wrapped_key FROM %s AS p" \
	" WHERE p.company_id OPERATOR(pg_catalog.=) $1 AND p.user_id OPERATOR(pg_catalog.=) $2"
#define INSERT_PERSON_KEY_QUERY "INSERT INTO %s (company_id, user_id, wrapped_key)" \
	" VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"

static SPIPlanPtr current_key_plan = NULL;
static SPIPlanPtr numbered_key_plan = NULL;
static SPIPlanPtr insert_key_plan = NULL;
static SPIPlanPtr person_key_plan = NULL;
static SPIPlanPtr insert_person_key_plan = NULL;

static int	execute_on_keys(SPIPlanPtr plan, const char *query_on, const char *table_name,
							const pg_uuid_t *company_id, int argument_count, Oid *types, Datum *arguments,
							bool read_only, long count);

static void
clear_key_cache(void)
{
	HASH_SEQ_STATUS scan;
	CachedDataKey *entry;

	if (key_cache == NULL)
		return;
	hash_seq_init(&scan, key_cache);
	while ((entry = hash_seq_search(&scan)) != NULL)
		explicit_bzero(entry->key, sizeof(entry->key));
	hash_destroy(key_cache);
	key_cache = NULL;
}

/* A key made in an aborted (sub)transaction no longer exists: forget every key. */
static void
key_cache_xact_callback(XactEvent event, void *argument)
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
	{
		if (key_made_in_transaction)
			clear_key_cache();
		key_made_in_transaction = false;
	}
	else if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PREPARE)
		key_made_in_transaction = false;
}

static void
key_cache_subxact_callback(SubXactEvent event, SubTransactionId subxact, SubTransactionId parent, void *argument)
{
	if (event == SUBXACT_EVENT_ABORT_SUB && key_made_in_transaction)
		clear_key_cache();
}

/* The cache, empty when what it was filled from may have changed. */
static HTAB *
current_key_cache(void)
{
	uint64		server_generation = pactoria_server_key_generation();
	uint64		table_generation = pactoria_table_generation("tenant_keys")
		+ pactoria_table_generation("person_keys");

	if (!callbacks_registered)
	{
		RegisterXactCallback(key_cache_xact_callback, NULL);
		RegisterSubXactCallback(key_cache_subxact_callback, NULL);
		callbacks_registered = true;
	}
	if (key_cache != NULL &&
		(server_generation != cache_server_key_generation || table_generation != cache_table_generation ||
		 hash_get_num_entries(key_cache) >= DATA_KEY_CACHE_MAX))
		clear_key_cache();
	if (key_cache == NULL)
	{
		HASHCTL		control;

		control.keysize = sizeof(DataKeyId);
		control.entrysize = sizeof(CachedDataKey);
		control.hcxt = TopMemoryContext;
		key_cache = hash_create("pactoria tenant data keys", 64, &control, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		cache_server_key_generation = server_generation;
		cache_table_generation = table_generation;
	}
	return key_cache;
}

/*
 * A fresh random nonce, from a pool filled by pg_strong_random() 256 nonces
 * at a time (one call per row cost more than the encryption).  Nonces are
 * public; the pool is filled in the backend, never inherited from the
 * postmaster.
 */
#define NONCE_POOL_SIZE 256
static uint8 nonce_pool[NONCE_POOL_SIZE * SEAL_NONCE_LEN];
static int	nonces_left = 0;

static void
next_nonce(uint8 nonce[SEAL_NONCE_LEN])
{
	if (nonces_left == 0)
	{
		if (!pg_strong_random(nonce_pool, sizeof(nonce_pool)))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
					 errmsg("could not generate a random nonce")));
		nonces_left = NONCE_POOL_SIZE;
	}
	nonces_left--;
	memcpy(nonce, nonce_pool + nonces_left * SEAL_NONCE_LEN, SEAL_NONCE_LEN);
	memset(nonce_pool + nonces_left * SEAL_NONCE_LEN, 0, SEAL_NONCE_LEN);
}

/* What a sealed key is bound to: its company and number. */
static char *
wrapping_binding(const pg_uuid_t *company_id, uint32 key_number)
{
	return psprintf("tenant_keys:%s:%u",
					DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(company_id))), key_number);
}

/* Seal a fresh random key of the company under the server key. */
static bytea *
wrap_new_key(const pg_uuid_t *company_id, uint32 key_number, uint8 key[DATA_KEY_LEN])
{
	char	   *binding = wrapping_binding(company_id, key_number);

	if (!pg_strong_random(key, DATA_KEY_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not generate a random data key")));
	return pactoria_seal(KEY_PURPOSE, key, DATA_KEY_LEN, binding, strlen(binding));
}

/*
 * Open a sealed key (purpose, binding) into key; *under_current: sealed
 * under the current server key.  Anything but a 32-byte key is corrupt.
 */
static void
unwrap_key(const char *purpose, const char *binding, const bytea *wrapped, uint8 key[DATA_KEY_LEN],
		   bool *under_current)
{
	size_t		length;
	uint8	   *plain = pactoria_unseal(purpose, wrapped, binding, strlen(binding), &length, under_current);

	if (length != DATA_KEY_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the %s bound to \"%s\" is not a %d-byte key", purpose, binding, DATA_KEY_LEN)));
	memcpy(key, plain, DATA_KEY_LEN);
	explicit_bzero(plain, length);
	pfree(plain);
}

/*
 * Read one key row (the current one when key_number is 0); inside SPI, as
 * the owner.  False when there is none.
 */
static bool
read_key(const pg_uuid_t *company_id, uint32 key_number, uint32 *found_number, uint8 key[DATA_KEY_LEN])
{
	Datum		arguments[2] = {UUIDPGetDatum(company_id), Int32GetDatum((int32) key_number)};
	TupleDesc	descriptor;
	bool		number_null;
	bool		wrapped_null;
	Datum		number;
	Datum		wrapped;
	bool		under_current;
	int			result;

	Oid			types[2] = {UUIDOID, INT4OID};

	if (current_key_plan == NULL)
	{
		current_key_plan = pactoria_keep_plan(psprintf(CURRENT_KEY_QUERY, "pactoria.tenant_keys"), 1, types);
		numbered_key_plan = pactoria_keep_plan(psprintf(NUMBERED_KEY_QUERY, "pactoria.tenant_keys"), 2, types);
	}
	result = key_number == 0
		? execute_on_keys(current_key_plan, CURRENT_KEY_QUERY, "tenant_keys", company_id, 1, types, arguments, false, 1)
		: execute_on_keys(numbered_key_plan, NUMBERED_KEY_QUERY, "tenant_keys", company_id, 2, types, arguments, false, 1);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "reading a tenant data key failed: %s", SPI_result_code_string(result));
	if (SPI_processed == 0)
		return false;
	descriptor = SPI_tuptable->tupdesc;
	if (descriptor->natts != 2 || SPI_gettypeid(descriptor, 1) != INT4OID || SPI_gettypeid(descriptor, 2) != BYTEAOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("pactoria.tenant_keys must have key_number integer and wrapped_key bytea")));
	number = SPI_getbinval(SPI_tuptable->vals[0], descriptor, 1, &number_null);
	wrapped = SPI_getbinval(SPI_tuptable->vals[0], descriptor, 2, &wrapped_null);
	if (number_null || wrapped_null || DatumGetInt32(number) < 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("a data key row of pactoria.tenant_keys has no number or no key")));
	*found_number = (uint32) DatumGetInt32(number);
	unwrap_key(KEY_PURPOSE, wrapping_binding(company_id, *found_number), DatumGetByteaPP(wrapped), key,
			   &under_current);
	return true;
}

/*
 * Run a statement on a key table: the kept plan, or, on a Citus node that
 * holds the company's shard of the table, the same statement on that shard
 * (a function Citus pushed down to a worker may not query the distributed
 * table).  query_on is the statement with %s for the relation.
 */
static int
execute_on_keys(SPIPlanPtr plan, const char *query_on, const char *table_name, const pg_uuid_t *company_id,
				int argument_count, Oid *types, Datum *arguments, bool read_only, long count)
{
	char	   *shard = pactoria_local_shard(table_name, company_id);

	if (shard == NULL)
		return SPI_execute_plan(plan, arguments, NULL, read_only, count);
	return SPI_execute_with_args(psprintf(query_on, shard), argument_count, types, arguments, NULL,
								 read_only, count);
}

/*
 * Run a key row's INSERT ... ON CONFLICT DO NOTHING; inside SPI, as the
 * owner.  False when the row existed already.  A key made in a transaction
 * that aborts is forgotten with the cache.
 */
static bool
execute_key_insert(SPIPlanPtr plan, const char *query_on, const char *table_name, Datum *arguments, Oid *types)
{
	int			result;

	key_made_in_transaction = true;
	result = execute_on_keys(plan, query_on, table_name, DatumGetUUIDP(arguments[0]), 3, types, arguments, false, 0);
	if (result != SPI_OK_INSERT)
		elog(ERROR, "storing a key failed: %s", SPI_result_code_string(result));
	return SPI_processed == 1;
}

/* Insert a new key row; inside SPI, as the owner.  False when that number exists already. */
static bool
insert_key(const pg_uuid_t *company_id, uint32 key_number, uint8 key[DATA_KEY_LEN])
{
	Datum		arguments[3];

	Oid			types[3] = {UUIDOID, INT4OID, BYTEAOID};

	if (insert_key_plan == NULL)
		insert_key_plan = pactoria_keep_plan(psprintf(INSERT_KEY_QUERY, "pactoria.tenant_keys"), 3, types);
	arguments[0] = UUIDPGetDatum(company_id);
	arguments[1] = Int32GetDatum((int32) key_number);
	arguments[2] = PointerGetDatum(wrap_new_key(company_id, key_number, key));
	return execute_key_insert(insert_key_plan, INSERT_KEY_QUERY, "tenant_keys", arguments, types);
}

/*
 * The company's key number key_number (0: the current one, made when the
 * company has none and create is set): a cache entry, or NULL when there is
 * no such key.
 */
static CachedDataKey *
data_key(const pg_uuid_t *company_id, uint32 key_number, bool create)
{
	HTAB	   *cache = current_key_cache();
	DataKeyId	id;
	CachedDataKey *entry;
	bool		found;
	uint32		number = 0;
	uint8		key[DATA_KEY_LEN];
	PactoriaOwnerSwitch caller;

	memset(&id, 0, sizeof(id));
	id.company_id = *company_id;
	id.key_number = key_number;
	entry = hash_search(cache, &id, HASH_FIND, NULL);
	if (entry != NULL)
		return entry;

	pactoria_spi_connect();
	/* An error on the way out is undone by the abort (trigger_guard.h). */
	pactoria_become_owner(pactoria_table_owner("tenant_keys"), &caller);
	found = read_key(company_id, key_number, &number, key);
	if (!found && key_number == 0 && create)
	{
		number = 1;
		/* Another session may make it first: then read the one it made. */
		found = insert_key(company_id, number, key) || read_key(company_id, 0, &number, key);
	}
	pactoria_restore_user(&caller);
	SPI_finish();
	if (!found)
		return NULL;

	/* the cache may have been cleared by an invalidation while reading */
	cache = current_key_cache();
	entry = hash_search(cache, &id, HASH_ENTER, NULL);
	entry->key_number = number;
	entry->erased = false;
	memcpy(entry->key, key, DATA_KEY_LEN);
	explicit_bzero(key, sizeof(key));
	return entry;
}

/* What a sealed person key is bound to: its company and person. */
static char *
person_wrapping_binding(const pg_uuid_t *company_id, const pg_uuid_t *person_id)
{
	return psprintf("person_keys:%s:%s",
					DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(company_id))),
					DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(person_id))));
}

/*
 * Read a person's key row; inside SPI, as the owner.  False when there is
 * none; *erased when there is one whose key was destroyed.
 */
static bool
read_person_key(const pg_uuid_t *company_id, const pg_uuid_t *person_id, bool *erased, uint8 key[DATA_KEY_LEN])
{
	Datum		arguments[2] = {UUIDPGetDatum(company_id), UUIDPGetDatum(person_id)};
	TupleDesc	descriptor;
	bool		wrapped_null;
	Datum		wrapped;
	bool		under_current;
	int			result;

	Oid			types[2] = {UUIDOID, UUIDOID};

	if (person_key_plan == NULL)
		person_key_plan = pactoria_keep_plan(psprintf(PERSON_KEY_QUERY, "pactoria.person_keys"), 2, types);
	result = execute_on_keys(person_key_plan, PERSON_KEY_QUERY, "person_keys", company_id, 2, types, arguments,
							 false, 1);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "reading a person key failed: %s", SPI_result_code_string(result));
	if (SPI_processed == 0)
		return false;
	descriptor = SPI_tuptable->tupdesc;
	if (descriptor->natts != 1 || SPI_gettypeid(descriptor, 1) != BYTEAOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("pactoria.person_keys must have wrapped_key bytea")));
	wrapped = SPI_getbinval(SPI_tuptable->vals[0], descriptor, 1, &wrapped_null);
	*erased = wrapped_null;
	if (wrapped_null)
		return true;
	unwrap_key(PERSON_KEY_PURPOSE, person_wrapping_binding(company_id, person_id), DatumGetByteaPP(wrapped), key,
			   &under_current);
	return true;
}

/* Insert a new person key row; inside SPI, as the owner.  False when the person has one already. */
static bool
insert_person_key(const pg_uuid_t *company_id, const pg_uuid_t *person_id, uint8 key[DATA_KEY_LEN])
{
	Datum		arguments[3];
	char	   *binding = person_wrapping_binding(company_id, person_id);

	Oid			types[3] = {UUIDOID, UUIDOID, BYTEAOID};

	if (insert_person_key_plan == NULL)
		insert_person_key_plan = pactoria_keep_plan(psprintf(INSERT_PERSON_KEY_QUERY, "pactoria.person_keys"), 3, types);
	if (!pg_strong_random(key, DATA_KEY_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not generate a random person key")));
	arguments[0] = UUIDPGetDatum(company_id);
	arguments[1] = UUIDPGetDatum(person_id);
	arguments[2] = PointerGetDatum(pactoria_seal(PERSON_KEY_PURPOSE, key, DATA_KEY_LEN, binding, strlen(binding)));
	return execute_key_insert(insert_person_key_plan, INSERT_PERSON_KEY_QUERY, "person_keys", arguments, types);
}

/*
 * The key of a person of the company (made when there is none and create
 * is set): a cache entry (erased when the key was destroyed), or NULL.
 */
static CachedDataKey *
person_key(const pg_uuid_t *company_id, const pg_uuid_t *person_id, bool create)
{
	HTAB	   *cache = current_key_cache();
	DataKeyId	id;
	CachedDataKey *entry;
	bool		found;
	bool		erased = false;
	uint8		key[DATA_KEY_LEN];
	PactoriaOwnerSwitch caller;

	memset(&id, 0, sizeof(id));
	id.company_id = *company_id;
	id.person_id = *person_id;
	id.key_number = 1;
	entry = hash_search(cache, &id, HASH_FIND, NULL);
	if (entry != NULL)
		return entry;

	pactoria_spi_connect();
	pactoria_become_owner(pactoria_table_owner("person_keys"), &caller);
	found = read_person_key(company_id, person_id, &erased, key);
	if (!found && create)
		found = insert_person_key(company_id, person_id, key) || read_person_key(company_id, person_id, &erased, key);
	pactoria_restore_user(&caller);
	SPI_finish();
	if (!found)
		return NULL;

	cache = current_key_cache();
	entry = hash_search(cache, &id, HASH_ENTER, NULL);
	entry->key_number = 1;
	entry->erased = erased;
	if (erased)
		memset(entry->key, 0, DATA_KEY_LEN);
	else
		memcpy(entry->key, key, DATA_KEY_LEN);
	explicit_bzero(key, sizeof(key));
	return entry;
}

/* The company in the tenant context, or an error. */
static void
context_company(pg_uuid_t *company_id, const char *function_name)
{
	if (!pactoria_context_company_id(company_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("no tenant context is set"),
				 errdetail("pactoria.%s() uses the data keys of the company in the tenant context.", function_name),
				 errhint("Call pactoria.resume_session(session_token) in this transaction first.")));
}

/* The binding argument, checked: 1 to DATA_BINDING_MAX bytes. */
static void
check_binding(const text *binding)
{
	size_t		length = VARSIZE_ANY_EXHDR(binding);

	if (length < 1 || length > DATA_BINDING_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a binding has 1 to %d bytes, not %zu", DATA_BINDING_MAX, length),
				 errdetail("The binding names what a value belongs to, such as \"schema.table.column\".")));
}

static void
report_undecryptable(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("value does not decrypt"),
			 errdetail("It was altered, or it was encrypted for another company or another binding, or under a key this company does not have.")));
}

/*
 * The value encrypted under a key (numbered key_number), bound to owner_id
 * (the company, or the person) and the binding.
 */
static bytea *
encrypt_under(const CachedDataKey *key, const uint8 owner_id[DATA_COMPANY_LEN], const char *binding,
			  size_t binding_len, const char *value, size_t length)
{
	uint8		nonce[SEAL_NONCE_LEN];
	uint8		associated[DATA_ASSOCIATED_MAX];
	size_t		associated_len;
	bytea	   *result;
	uint8	   *out;

	Assert(key != NULL && !key->erased && length <= DATA_VALUE_MAX);
	next_nonce(nonce);
	associated_len = data_cipher_associated(owner_id, key->key_number, binding, binding_len, associated);
	if (associated_len == 0)
		elog(ERROR, "binding of %zu bytes is out of range", binding_len);

	result = (bytea *) palloc(VARHDRSZ + SEAL_OVERHEAD + length);
	SET_VARSIZE(result, VARHDRSZ + SEAL_OVERHEAD + length);
	out = (uint8 *) VARDATA(result);
	data_cipher_write_header(key->key_number, nonce, out);
	if (!pactoria_aes_gcm_encrypt(key->key, nonce, associated, associated_len,
								  (const uint8 *) value, length,
								  out + SEAL_HEADER_LEN, out + SEAL_HEADER_LEN + length))
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not encrypt a value"),
				 errdetail("OpenSSL's AES-256-GCM failed.")));
	return result;
}

/* The clear text of a parsed ciphertext under the key, or NULL when its tag fails. */
static text *
decrypt_under(const CachedDataKey *key, const uint8 owner_id[DATA_COMPANY_LEN], const char *binding,
			  size_t binding_len, const SealParts *parts)
{
	uint8		associated[DATA_ASSOCIATED_MAX];
	size_t		associated_len;
	text	   *result;

	associated_len = data_cipher_associated(owner_id, key->key_number, binding, binding_len, associated);
	if (associated_len == 0)
		return NULL;
	result = (text *) palloc(VARHDRSZ + parts->ciphertext_len);
	SET_VARSIZE(result, VARHDRSZ + parts->ciphertext_len);
	if (!pactoria_aes_gcm_decrypt(key->key, parts->nonce, associated, associated_len,
								  parts->ciphertext, parts->ciphertext_len, parts->tag, (uint8 *) VARDATA(result)))
	{
		pfree(result);
		return NULL;
	}
	/* authenticated, so written by encrypt(); checked all the same */
	(void) pg_verifymbstr(VARDATA(result), (int) parts->ciphertext_len, false);
	return result;
}

/* Splits a ciphertext of encrypt(): false unless it is one. */
static bool
parse_ciphertext(const char *ciphertext, size_t length, SealParts *parts, uint32 *key_number)
{
	return data_cipher_parse((const uint8 *) ciphertext, length, parts, key_number)
		&& *key_number >= 1 && *key_number <= PG_INT32_MAX && parts->ciphertext_len <= DATA_VALUE_MAX;
}

/* See tenant_keys.h. */
bytea *
pactoria_encrypt_value(const pg_uuid_t *company_id, const char *binding, size_t binding_len,
					   const char *value, size_t length)
{
	return encrypt_under(data_key(company_id, 0, true), company_id->data, binding, binding_len, value, length);
}

/* See tenant_keys.h. */
text *
pactoria_decrypt_value(const pg_uuid_t *company_id, const char *binding, size_t binding_len,
					   const char *ciphertext, size_t length, uint32 *key_number)
{
	SealParts	parts;
	CachedDataKey *key;

	if (!parse_ciphertext(ciphertext, length, &parts, key_number))
		return NULL;
	key = data_key(company_id, *key_number, false);
	if (key == NULL)
		return NULL;
	return decrypt_under(key, company_id->data, binding, binding_len, &parts);
}

/* See tenant_keys.h. */
bytea *
pactoria_encrypt_personal(const pg_uuid_t *company_id, const pg_uuid_t *person_id, const char *binding,
						  size_t binding_len, const char *value, size_t length)
{
	CachedDataKey *key = person_key(company_id, person_id, true);

	if (key == NULL || key->erased)
		return NULL;
	return encrypt_under(key, person_id->data, binding, binding_len, value, length);
}

/* See tenant_keys.h. */
text *
pactoria_decrypt_personal(const pg_uuid_t *company_id, const pg_uuid_t *person_id, const char *binding,
						  size_t binding_len, const char *ciphertext, size_t length, bool *erased)
{
	SealParts	parts;
	uint32		key_number;
	CachedDataKey *key;

	*erased = false;
	if (!parse_ciphertext(ciphertext, length, &parts, &key_number) || key_number != 1)
		return NULL;
	key = person_key(company_id, person_id, false);
	if (key == NULL)
		return NULL;
	if (key->erased)
	{
		*erased = true;
		return NULL;
	}
	return decrypt_under(key, person_id->data, binding, binding_len, &parts);
}

/* See tenant_keys.h. */
uint32
pactoria_current_key_number(const pg_uuid_t *company_id)
{
	CachedDataKey *key = data_key(company_id, 0, false);

	return key == NULL ? 0 : key->key_number;
}

PG_FUNCTION_INFO_V1(pactoria_encrypt);

/* pactoria.encrypt(value text, binding text) -> bytea, under the current data key of the tenant in context. */
Datum
pactoria_encrypt(PG_FUNCTION_ARGS)
{
	text	   *value = PG_GETARG_TEXT_PP(0);
	text	   *binding = PG_GETARG_TEXT_PP(1);
	size_t		length = VARSIZE_ANY_EXHDR(value);
	pg_uuid_t	company_id;

	check_binding(binding);
	if (length > DATA_VALUE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("encrypt() takes at most %d bytes, not %zu", DATA_VALUE_MAX, length)));
	context_company(&company_id, "encrypt");
	PG_RETURN_BYTEA_P(pactoria_encrypt_value(&company_id, VARDATA_ANY(binding), VARSIZE_ANY_EXHDR(binding),
											 VARDATA_ANY(value), length));
}

PG_FUNCTION_INFO_V1(pactoria_decrypt);

/* pactoria.decrypt(ciphertext bytea, binding text) -> text, for the tenant in context. */
Datum
pactoria_decrypt(PG_FUNCTION_ARGS)
{
	bytea	   *ciphertext = PG_GETARG_BYTEA_PP(0);
	text	   *binding = PG_GETARG_TEXT_PP(1);
	pg_uuid_t	company_id;
	SealParts	parts;
	uint32		key_number;
	text	   *result;

	check_binding(binding);
	if (!parse_ciphertext(VARDATA_ANY(ciphertext), VARSIZE_ANY_EXHDR(ciphertext), &parts, &key_number))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("value is not a pactoria ciphertext"),
				 errdetail("A ciphertext of pactoria.encrypt() is version 2, a key number, a nonce, the encrypted value and a tag.")));
	context_company(&company_id, "decrypt");
	result = pactoria_decrypt_value(&company_id, VARDATA_ANY(binding), VARSIZE_ANY_EXHDR(binding),
									VARDATA_ANY(ciphertext), VARSIZE_ANY_EXHDR(ciphertext), &key_number);
	if (result == NULL)
		report_undecryptable();
	PG_RETURN_TEXT_P(result);
}

PG_FUNCTION_INFO_V1(pactoria_ciphertext_key_number);

/* pactoria.ciphertext_key_number(bytea) -> integer: the data key a ciphertext is under, or NULL. */
Datum
pactoria_ciphertext_key_number(PG_FUNCTION_ARGS)
{
	bytea	   *ciphertext = PG_GETARG_BYTEA_PP(0);
	SealParts	parts;
	uint32		key_number;

	if (!data_cipher_parse((const uint8 *) VARDATA_ANY(ciphertext), VARSIZE_ANY_EXHDR(ciphertext), &parts, &key_number)
		|| key_number < 1 || key_number > PG_INT32_MAX)
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) key_number);
}

PG_FUNCTION_INFO_V1(pactoria_rotate_tenant_key);

/*
 * pactoria.rotate_tenant_key(company_id uuid) -> integer: a new current data
 * key for the company (the number after its highest, 1 for a company with
 * none); older keys stay, so what they encrypted keeps decrypting.
 */
Datum
pactoria_rotate_tenant_key(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *company_id = PG_GETARG_UUID_P(0);
	PactoriaOwnerSwitch caller;
	uint32		current = 0;
	uint8		key[DATA_KEY_LEN];
	bool		has_key;
	bool		inserted;
	int			result;
	Datum		argument = UUIDPGetDatum(company_id);

	pactoria_spi_connect();
	pactoria_become_owner(pactoria_table_owner("tenant_keys"), &caller);
	result = SPI_execute_with_args("SELECT c.id FROM pactoria.companies AS c WHERE c.id OPERATOR(pg_catalog.=) $1",
								   1, (Oid[]) {UUIDOID}, &argument, NULL, false, 1);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "looking up a company failed: %s", SPI_result_code_string(result));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("company %s does not exist",
						DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(company_id))))));
	has_key = read_key(company_id, 0, &current, key);
	explicit_bzero(key, sizeof(key));
	if (has_key && current >= (uint32) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("company has used every data key number")));
	inserted = insert_key(company_id, current + 1, key);
	explicit_bzero(key, sizeof(key));
	pactoria_restore_user(&caller);
	SPI_finish();
	if (!inserted)
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("another rotation of this company's data key ran at the same time"),
				 errhint("Retry the rotation.")));
	/* this backend's cache: from the next statement on, by the invalidation; at once here */
	clear_key_cache();
	PG_RETURN_INT32((int32) (current + 1));
}

/*
 * Seal afresh under the current server key every key of one table that is
 * sealed under the retired one; inside SPI, as the owner.  The rows are
 * (company_id uuid, key_number integer | user_id uuid, wrapped_key bytea),
 * locked; update takes the same three.  Returns how many.
 */
static int64
rewrap_keys(const char *select, const char *update_sql, Oid second_type)
{
	MemoryContext row_context;
	MemoryContext old;
	Portal		portal;
	SPIPlanPtr	plan = SPI_prepare(select, 0, NULL);
	SPIPlanPtr	update = SPI_prepare(update_sql, 3, (Oid[]) {UUIDOID, second_type, BYTEAOID});
	bool		person = (second_type == UUIDOID);
	const char *purpose = person ? PERSON_KEY_PURPOSE : KEY_PURPOSE;
	int64		rewrapped = 0;

	if (plan == NULL || update == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, false);
	row_context = AllocSetContextCreate(CurrentMemoryContext, "pactoria rewrap row", ALLOCSET_SMALL_SIZES);
	for (;;)
	{
		SPITupleTable *rows;
		TupleDesc	descriptor;

		SPI_cursor_fetch(portal, true, 100);
		if (SPI_processed == 0)
			break;
		rows = SPI_tuptable;
		descriptor = rows->tupdesc;
		if (descriptor->natts != 3 || SPI_gettypeid(descriptor, 1) != UUIDOID ||
			SPI_gettypeid(descriptor, 2) != second_type || SPI_gettypeid(descriptor, 3) != BYTEAOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("a key table of pactoria must have company_id uuid, %s and wrapped_key bytea",
							person ? "user_id uuid" : "key_number integer")));
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			bool		nulls[3];
			Datum		values[3];
			size_t		length;
			uint8	   *plain;
			bool		under_current;
			char	   *binding;

			old = MemoryContextSwitchTo(row_context);
			for (int c = 0; c < 3; c++)
				values[c] = SPI_getbinval(rows->vals[i], descriptor, c + 1, &nulls[c]);
			if (nulls[0] || nulls[1] || nulls[2] || (!person && DatumGetInt32(values[1]) < 1))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("a key row of pactoria has no company, number or key")));
			binding = person ? person_wrapping_binding(DatumGetUUIDP(values[0]), DatumGetUUIDP(values[1]))
				: wrapping_binding(DatumGetUUIDP(values[0]), (uint32) DatumGetInt32(values[1]));
			plain = pactoria_unseal(purpose, DatumGetByteaPP(values[2]), binding, strlen(binding), &length,
									&under_current);
			if (!under_current)
			{
				int			result;

				values[2] = PointerGetDatum(pactoria_seal(purpose, plain, length, binding, strlen(binding)));
				result = SPI_execute_plan(update, values, NULL, false, 0);
				if (result != SPI_OK_UPDATE || SPI_processed != 1)
					elog(ERROR, "rewrapping a key failed: %s", SPI_result_code_string(result));
				rewrapped++;
			}
			explicit_bzero(plain, length);
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_context);
		}
		SPI_freetuptable(rows);
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(row_context);
	return rewrapped;
}

PG_FUNCTION_INFO_V1(pactoria_rewrap_tenant_keys);

/*
 * pactoria.rewrap_tenant_keys() -> integer: every data key and person key
 * sealed under the retired server key is sealed afresh under the current
 * one (the keys themselves, and so every ciphertext, are unchanged).
 * Returns how many.
 */
Datum
pactoria_rewrap_tenant_keys(PG_FUNCTION_ARGS)
{
	PactoriaOwnerSwitch caller;
	int64		rewrapped;

	pactoria_spi_connect();
	pactoria_become_owner(pactoria_table_owner("tenant_keys"), &caller);
	rewrapped = rewrap_keys("SELECT k.company_id, k.key_number, k.wrapped_key FROM pactoria.tenant_keys AS k"
							" ORDER BY k.company_id, k.key_number FOR UPDATE",
							"UPDATE pactoria.tenant_keys SET wrapped_key = $3"
							" WHERE company_id OPERATOR(pg_catalog.=) $1 AND key_number OPERATOR(pg_catalog.=) $2",
							INT4OID);
	rewrapped += rewrap_keys("SELECT p.company_id, p.user_id, p.wrapped_key FROM pactoria.person_keys AS p"
							 " WHERE p.wrapped_key IS NOT NULL ORDER BY p.company_id, p.user_id FOR UPDATE",
							 "UPDATE pactoria.person_keys SET wrapped_key = $3"
							 " WHERE company_id OPERATOR(pg_catalog.=) $1 AND user_id OPERATOR(pg_catalog.=) $2",
							 UUIDOID);
	pactoria_restore_user(&caller);
	SPI_finish();
	PG_RETURN_INT32((int32) Min(rewrapped, PG_INT32_MAX));
}

PG_FUNCTION_INFO_V1(pactoria_tenant_keys_changed);

/*
 * pactoria.tenant_keys_changed(): AFTER statement trigger of tenant_keys.
 * Invalidates its relcache entry, so every backend drops its cached data
 * keys (a rotation is seen by the next statement of every session).
 */
Datum
pactoria_tenant_keys_changed(PG_FUNCTION_ARGS)
{
	return pactoria_tracked_table_changed(fcinfo, "tenant_keys_changed", "tenant_keys");
}
