/*
 * audit_writer.c
 *		Writing entries into pactoria.audit_logs, and pactoria.log_event().
 *
 * Callers (the audit trigger, log_event, the seal at commit) describe each
 * entry; the writer stamps it with a version-7 id, its segment's time, the
 * actor (tenant context user, client address, user agent, session), the
 * transaction, and its chain position and hash, and keeps it in a
 * tuplestore.  Every ENTRIES_PER_INSERT entries, and at
 * audit_writer_finish(), it inserts them with one kept plan, INSERT ... SELECT
 * from the tuplestore registered as an ephemeral named relation, so a
 * statement that changes a million rows makes a thousand INSERTs, not a
 * million, and memory stays flat.
 *
 * The insert runs as the owner of the log with row-level security not
 * forced: application roles get no privilege on pactoria.audit_logs at all,
 * so they cannot write entries of their own or change any.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/queryenvironment.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
#include "utils/xid8.h"

#include "audit_chain.h"
#include "audit_hash.h"
#include "audit_context.h"
#include "audit_writer.h"
#include "messages.h"
#include "personal_data.h"
#include "tenant_context.h"
#include "trigger_guard.h"

#define NEW_ENTRIES_RELATION "pactoria_audit_new_entries"
/* Entries inserted per INSERT: enough to amortise its start, few enough to stay in memory. */
#define ENTRIES_PER_INSERT 1000
#define ADDITIONAL_DATA_MAX_BYTES 100000

/* pactoria.uuid_generate_v7() (uuid_v7.c), called directly. */
extern Datum pactoria_uuid_generate_v7(PG_FUNCTION_ARGS);

struct AuditWriter
{
	MemoryContext context;		/* the writer, its tuplestore and hasher */
	MemoryContext row_context;	/* reset after each entry */
	Tuplestorestate *entries;	/* entries not inserted yet */
	int64		entry_count;
	AuditHasher hasher;
	/* the actor and transaction, the same for every entry of the writer */
	Datum		user_id;
	bool		user_id_null;
	Datum		ip_address;
	bool		ip_address_null;
	Datum		user_agent;
	bool		user_agent_null;
	/* a user's address and agent, sealed under their key ({"$client": ...}) */
	bool		client_ready;
	Jsonb	   *client;
	Datum		session_id;
	bool		session_id_null;
	Datum		transaction_id;
	/*
	 * On a Citus node, inside a shard's trigger: entries go into the local
	 * shard of audit_logs that holds their company (batch_shard), or are not
	 * written here when that shard is on another node.
	 */
	bool		local_shards;
	bool		cluster_known;	/* whether on_cluster was looked up */
	bool		on_cluster;		/* audit_logs is distributed by Citus */
	char	   *batch_shard;	/* the shard of the entries kept, or NULL */
	bool		shard_company_known;	/* the last company looked up: */
	pg_uuid_t	shard_company;
	char	   *shard_of_company;	/* its local shard, or NULL */
};

static TupleDesc entry_descriptor = NULL;
static SPIPlanPtr insert_plan = NULL;

/*
 * Entries of the writer's INSERT not yet seen by pactoria.audit_check_entry():
 * nonzero only while that INSERT runs, so every other row is refused.
 */
static int64 entries_being_inserted = 0;

static void insert_entries(AuditWriter *writer);
static Datum new_entry_id(void);

/* The columns of pactoria.audit_logs, as the tuplestore's row type. */
static TupleDesc
audit_entry_descriptor(void)
{
	if (entry_descriptor == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
		TupleDesc	descriptor = CreateTemplateTupleDesc(AUDIT_COLUMN_COUNT);
		int			column;

		for (column = 0; column < AUDIT_COLUMN_COUNT; column++)
			TupleDescInitEntry(descriptor, (AttrNumber) (column + 1), audit_column_names[column],
							   audit_column_types[column], -1, 0);
		entry_descriptor = descriptor;
		MemoryContextSwitchTo(old);
	}
	return entry_descriptor;
}

/* See audit_writer.h: the owner of pactoria.audit_logs, through trigger_guard.c. */
void
audit_writer_become_owner(AuditOwnerSwitch *saved)
{
	pactoria_become_owner(pactoria_table_owner("audit_logs"), saved);
}

/* Back to the user and security context saved by audit_writer_become_owner. */
void
audit_writer_restore_user(const AuditOwnerSwitch *saved)
{
	pactoria_restore_user(saved);
}

/* A text datum of a C string, or SQL NULL for NULL. */
static Datum
text_datum_or_null(const char *value, bool *isnull)
{
	*isnull = (value == NULL);
	return value == NULL ? (Datum) 0 : PointerGetDatum(cstring_to_text(value));
}

/*
 * audit_writer_begin
 *		A writer for the entries of one statement (or call).  The actor is
 *		read once, here.
 */
AuditWriter *
audit_writer_begin(void)
{
	MemoryContext context = AllocSetContextCreate(CurrentMemoryContext,
												  "pactoria audit writer",
												  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(context);
	AuditWriter *writer = palloc0(sizeof(AuditWriter));
	pg_uuid_t  *user_id = palloc(sizeof(pg_uuid_t));
	const inet *ip_address = audit_context_client_ip();

	writer->context = context;
	writer->row_context = AllocSetContextCreate(context, "pactoria audit entry",
												ALLOCSET_DEFAULT_SIZES);
	writer->entries = tuplestore_begin_heap(false, false, work_mem);
	audit_hasher_init(&writer->hasher);

	writer->user_id_null = !pactoria_context_user_id(user_id);
	writer->user_id = UUIDPGetDatum(user_id);
	writer->ip_address_null = (ip_address == NULL);
	if (ip_address != NULL)
	{
		inet	   *copy = palloc(VARSIZE_ANY(ip_address));

		memcpy(copy, ip_address, VARSIZE_ANY(ip_address));
		writer->ip_address = InetPGetDatum(copy);
	}
	writer->user_agent = text_datum_or_null(audit_context_user_agent(), &writer->user_agent_null);
	writer->session_id = text_datum_or_null(audit_context_session_id(), &writer->session_id_null);
	writer->transaction_id = FullTransactionIdGetDatum(GetTopFullTransactionId());

	MemoryContextSwitchTo(old);
	return writer;
}

/* See audit_writer.h. */
void
audit_writer_use_local_shards(AuditWriter *writer)
{
	writer->local_shards = true;
}

/*
 * The local shard of pactoria.audit_logs that holds the company's entries
 * ("pactoria.audit_logs_<shard id>"), or NULL when it is on another node.
 */
static char *
local_audit_shard(AuditWriter *writer, const pg_uuid_t *company_id)
{
	char	   *shard;

	if (writer->shard_company_known && memcmp(writer->shard_company.data, company_id->data, UUID_LEN) == 0)
		return writer->shard_of_company;
	shard = pactoria_local_shard("audit_logs", company_id);
	writer->shard_of_company = shard == NULL ? NULL : MemoryContextStrdup(writer->context, shard);
	writer->shard_company = *company_id;
	writer->shard_company_known = true;
	return writer->shard_of_company;
}

/* See audit_writer.h. */
bool
audit_writer_writes_company(AuditWriter *writer, const pg_uuid_t *company_id)
{
	return !writer->local_shards || local_audit_shard(writer, company_id) != NULL;
}

/* Whether pactoria.audit_logs is a distributed table of Citus (with Citus installed). */
static bool
audit_logs_distributed(void)
{
	bool		distributed;

	pactoria_spi_connect();
	if (SPI_execute("SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid"
					" OPERATOR(pg_catalog.=) 'pactoria.audit_logs'::pg_catalog.regclass",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_dist_partition");
	distributed = (SPI_processed == 1);
	SPI_finish();
	return distributed;
}

/* The same, looked up once per writer. */
static bool
audit_logs_on_cluster(AuditWriter *writer)
{
	if (!writer->cluster_known)
	{
		writer->cluster_known = true;
		writer->on_cluster = pactoria_citus_installed() && audit_logs_distributed();
	}
	return writer->on_cluster;
}

/*
 * route_entry
 *		On a Citus coordinator (outside any shard's trigger), an entry cannot be
 *		chained here: the tenant's chain, its lock and its seal are on the node
 *		of its shard.  The entry goes there as a request, chain_position 0,
 *		which Citus routes by company_id; audit_check_entry() on the shard
 *		writes it through that node's writer and stores no request.  Returns
 *		true: the entry is written (on its node).
 */
static bool
route_entry(const AuditEntry *entry, pg_uuid_t *id_out)
{
	static SPIPlanPtr request_plan = NULL;
	Datum		values[7];
	char		nulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};
	Datum		id;
	AuditOwnerSwitch owner;
	int			result;

	if (entry->chain_sequence != 0)
		elog(ERROR, "a commit entry cannot be routed");
	id = entry->id != NULL ? UUIDPGetDatum(entry->id) : new_entry_id();
	values[0] = UUIDPGetDatum(&entry->company_id);
	values[1] = id;
	values[2] = PointerGetDatum(cstring_to_text(entry->event_type));
	values[3] = PointerGetDatum(cstring_to_text(entry->resource_type));
	values[4] = UUIDPGetDatum(entry->resource_id);
	nulls[4] = entry->resource_id == NULL ? 'n' : ' ';
	values[5] = UUIDPGetDatum(entry->contract_id);
	nulls[5] = entry->contract_id == NULL ? 'n' : ' ';
	values[6] = JsonbPGetDatum(entry->additional_data);
	nulls[6] = entry->additional_data == NULL ? 'n' : ' ';

	pactoria_spi_connect();
	audit_writer_become_owner(&owner);
	if (request_plan == NULL)
	{
		Oid			types[7] = {UUIDOID, UUIDOID, TEXTOID, TEXTOID, UUIDOID, UUIDOID, JSONBOID};

		request_plan = pactoria_keep_plan("INSERT INTO pactoria.audit_logs (company_id, id, occurred_at, event_type,"
										  " resource_type, resource_id, contract_id, additional_data, transaction_id,"
										  " chain_position, chain_hash)"
										  " VALUES ($1, $2, pg_catalog.now(), $3, $4, $5, $6, $7,"
										  " '0'::pg_catalog.xid8, 0, ''::pg_catalog.bytea)",
										  7, types);
	}
	result = SPI_execute_plan(request_plan, values, nulls, false, 0);
	if (result != SPI_OK_INSERT)
		elog(ERROR, "could not route an audit entry: %s", SPI_result_code_string(result));
	audit_writer_restore_user(&owner);
	SPI_finish();
	if (id_out != NULL)
		*id_out = *DatumGetUUIDP(id);
	return true;
}

/* A string member pushed into a jsonb object being built. */
static void
push_member(JsonbParseState **state, const char *key, const char *string)
{
	JsonbValue	value;

	value.type = jbvString;
	value.val.string.val = (char *) key;
	value.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &value);
	value.val.string.val = (char *) string;
	value.val.string.len = strlen(string);
	pushJsonbValue(state, WJB_VALUE, &value);
}

/*
 * seal_client
 *		When a user of the company in context acts, their client address and
 *		user agent are personal data about them: they go into each entry's
 *		additional_data as {"$client": a personal value of {"ip_address",
 *		"user_agent"}} under the user's key (CLIENT_BINDING), readable
 *		through pactoria.reveal_personal_values(additional_data,
 *		'audit_logs') and "[erased]" once the user is erased, and the
 *		entry's ip_address and user_agent columns stay NULL.  Without a user
 *		(the owner, a failed login) the columns keep them.  Done once per
 *		writer, at its first entry.
 */
static void
seal_client(AuditWriter *writer)
{
	pg_uuid_t	company_id;
	JsonbParseState *state = NULL;
	Jsonb	   *clear_jsonb;
	char	   *clear;
	JsonbValue	sealed;
	Jsonb	   *stored;
	MemoryContext old;

	writer->client_ready = true;
	if (writer->user_id_null || (writer->ip_address_null && writer->user_agent_null)
		|| !pactoria_context_company_id(&company_id))
		return;
	old = MemoryContextSwitchTo(writer->context);
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	{
		JsonbValue	key;

		key.type = jbvString;
		key.val.string.val = "v";
		key.val.string.len = 1;
		pushJsonbValue(&state, WJB_KEY, &key);
	}
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	if (!writer->ip_address_null)
		push_member(&state, "ip_address", DatumGetCString(DirectFunctionCall1(inet_out, writer->ip_address)));
	if (!writer->user_agent_null)
		push_member(&state, "user_agent", TextDatumGetCString(writer->user_agent));
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	clear_jsonb = JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
	clear = JsonbToCString(NULL, &clear_jsonb->root, VARSIZE(clear_jsonb));
	stored = personal_value_object(&company_id, DatumGetUUIDP(writer->user_id), CLIENT_BINDING, clear);
	explicit_bzero(clear, strlen(clear));

	state = NULL;
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	{
		JsonbValue	key;

		key.type = jbvString;
		key.val.string.val = CLIENT_KEY;
		key.val.string.len = strlen(CLIENT_KEY);
		pushJsonbValue(&state, WJB_KEY, &key);
	}
	if (JB_ROOT_IS_SCALAR(stored))
		(void) JsonbExtractScalar(&stored->root, &sealed);
	else
	{
		sealed.type = jbvBinary;
		sealed.val.binary.data = &stored->root;
		sealed.val.binary.len = VARSIZE(stored) - VARHDRSZ;
	}
	pushJsonbValue(&state, WJB_VALUE, &sealed);
	writer->client = JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
	writer->ip_address_null = true;
	writer->user_agent_null = true;
	MemoryContextSwitchTo(old);
}

/* An entry's additional_data with the writer's sealed client, if any, merged in (ours wins). */
static Jsonb *
entry_additional_data(AuditWriter *writer, const AuditEntry *entry)
{
	if (writer->client == NULL || entry->chain_sequence != 0)
		return entry->additional_data;
	if (entry->additional_data == NULL)
		return writer->client;
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(entry->additional_data),
											  JsonbPGetDatum(writer->client)));
}

/* A new version-7 UUID from pactoria.uuid_generate_v7(), time-ordered within the session. */
static Datum
new_entry_id(void)
{
	LOCAL_FCINFO(fcinfo, 0);

	InitFunctionCallInfoData(*fcinfo, NULL, 0, InvalidOid, NULL, NULL);
	return pactoria_uuid_generate_v7(fcinfo);
}

/* A 32-byte hash as a bytea datum. */
static Datum
hash_datum(const unsigned char *hash)
{
	bytea	   *result = (bytea *) palloc(VARHDRSZ + AUDIT_FORMAT_HASH_LENGTH);

	SET_VARSIZE(result, VARHDRSZ + AUDIT_FORMAT_HASH_LENGTH);
	memcpy(VARDATA(result), hash, AUDIT_FORMAT_HASH_LENGTH);
	return PointerGetDatum(result);
}

/*
 * audit_writer_add
 *		Stamp one entry, chain it to its company's open segment and keep it
 *		for the insert.  Returns its id and chain hash when asked.
 */
bool
audit_writer_add(AuditWriter *writer, const AuditEntry *entry,
				 pg_uuid_t *id_out, unsigned char *chain_hash_out)
{
	MemoryContext old;
	Datum		values[AUDIT_COLUMN_COUNT];
	bool		nulls[AUDIT_COLUMN_COUNT];
	AuditChainSegment *segment;
	pg_uuid_t  *company_id;
	Jsonb	   *additional_data;
	unsigned char hash[AUDIT_FORMAT_HASH_LENGTH];

	if (!writer->local_shards && audit_logs_on_cluster(writer))
		return route_entry(entry, id_out);
	if (writer->local_shards)
	{
		char	   *shard = local_audit_shard(writer, &entry->company_id);

		if (shard == NULL)
			return false;		/* the node with the company's shard writes it */
		if (writer->batch_shard != NULL && strcmp(writer->batch_shard, shard) != 0)
			insert_entries(writer);
		writer->batch_shard = shard;
	}
	if (writer->entry_count >= ENTRIES_PER_INSERT)
		insert_entries(writer);
	if (!writer->client_ready && entry->chain_sequence == 0)
		seal_client(writer);
	old = MemoryContextSwitchTo(writer->row_context);
	segment = audit_chain_segment_for_write(&entry->company_id);
	company_id = palloc(sizeof(pg_uuid_t));
	memset(nulls, false, sizeof(nulls));
	*company_id = entry->company_id;
	values[AUDIT_COLUMN_COMPANY_ID] = UUIDPGetDatum(company_id);
	values[AUDIT_COLUMN_ID] = entry->id != NULL ? UUIDPGetDatum(entry->id) : new_entry_id();
	values[AUDIT_COLUMN_OCCURRED_AT] = TimestampTzGetDatum(segment->occurred_at);
	values[AUDIT_COLUMN_EVENT_TYPE] = PointerGetDatum(cstring_to_text(entry->event_type));
	values[AUDIT_COLUMN_RESOURCE_TYPE] = PointerGetDatum(cstring_to_text(entry->resource_type));
	nulls[AUDIT_COLUMN_RESOURCE_ID] = (entry->resource_id == NULL);
	values[AUDIT_COLUMN_RESOURCE_ID] = UUIDPGetDatum(entry->resource_id);
	nulls[AUDIT_COLUMN_CONTRACT_ID] = (entry->contract_id == NULL);
	values[AUDIT_COLUMN_CONTRACT_ID] = UUIDPGetDatum(entry->contract_id);
	values[AUDIT_COLUMN_USER_ID] = writer->user_id;
	nulls[AUDIT_COLUMN_USER_ID] = writer->user_id_null;
	values[AUDIT_COLUMN_IP_ADDRESS] = writer->ip_address;
	/* a seal of a user's transaction: their client is in the entries it seals */
	nulls[AUDIT_COLUMN_IP_ADDRESS] = writer->ip_address_null || (entry->chain_sequence != 0 && !writer->user_id_null);
	values[AUDIT_COLUMN_USER_AGENT] = writer->user_agent;
	nulls[AUDIT_COLUMN_USER_AGENT] = writer->user_agent_null || (entry->chain_sequence != 0 && !writer->user_id_null);
	values[AUDIT_COLUMN_SESSION_ID] = writer->session_id;
	nulls[AUDIT_COLUMN_SESSION_ID] = writer->session_id_null;
	values[AUDIT_COLUMN_OLD_VALUES] = JsonbPGetDatum(entry->old_values);
	nulls[AUDIT_COLUMN_OLD_VALUES] = (entry->old_values == NULL);
	values[AUDIT_COLUMN_NEW_VALUES] = JsonbPGetDatum(entry->new_values);
	nulls[AUDIT_COLUMN_NEW_VALUES] = (entry->new_values == NULL);
	values[AUDIT_COLUMN_CHANGED_COLUMNS] = PointerGetDatum(entry->changed_columns);
	nulls[AUDIT_COLUMN_CHANGED_COLUMNS] = (entry->changed_columns == NULL);
	additional_data = entry_additional_data(writer, entry);
	values[AUDIT_COLUMN_ADDITIONAL_DATA] = JsonbPGetDatum(additional_data);
	nulls[AUDIT_COLUMN_ADDITIONAL_DATA] = (additional_data == NULL);
	values[AUDIT_COLUMN_TRANSACTION_ID] = writer->transaction_id;
	nulls[AUDIT_COLUMN_CHAIN_PREVIOUS_HASH] = (entry->chain_previous_hash == NULL);
	values[AUDIT_COLUMN_CHAIN_PREVIOUS_HASH] = entry->chain_previous_hash == NULL
		? (Datum) 0 : hash_datum(entry->chain_previous_hash);
	nulls[AUDIT_COLUMN_CHAIN_SEQUENCE] = (entry->chain_sequence == 0);
	values[AUDIT_COLUMN_CHAIN_SEQUENCE] = Int64GetDatum(entry->chain_sequence);

	segment->position++;
	if (segment->position == 1)
		segment->first_entry_id = *DatumGetUUIDP(values[AUDIT_COLUMN_ID]);
	values[AUDIT_COLUMN_CHAIN_POSITION] = Int32GetDatum(segment->position);
	audit_hasher_hash(&writer->hasher, segment->position == 1 ? NULL : segment->last_hash,
					  values, nulls, hash);
	memcpy(segment->last_hash, hash, AUDIT_FORMAT_HASH_LENGTH);
	values[AUDIT_COLUMN_CHAIN_HASH] = hash_datum(hash);

	tuplestore_putvalues(writer->entries, audit_entry_descriptor(), values, nulls);
	writer->entry_count++;
	if (id_out != NULL)
		*id_out = *DatumGetUUIDP(values[AUDIT_COLUMN_ID]);
	if (chain_hash_out != NULL)
		memcpy(chain_hash_out, hash, AUDIT_FORMAT_HASH_LENGTH);

	MemoryContextSwitchTo(old);
	MemoryContextReset(writer->row_context);
	return true;
}

/*
 * insert_entries
 *		Insert the entries kept so far into pactoria.audit_logs, as its owner,
 *		and empty the tuplestore.
 */
static void
insert_entries(AuditWriter *writer)
{
	EphemeralNamedRelation relation;
	AuditOwnerSwitch owner;
	volatile int result = 0;

	if (writer->entry_count == 0)
		return;
	pactoria_spi_connect();
	relation = palloc0(sizeof(EphemeralNamedRelationData));
	relation->md.name = NEW_ENTRIES_RELATION;
	relation->md.reliddesc = InvalidOid;
	relation->md.tupdesc = audit_entry_descriptor();
	relation->md.enrtype = ENR_NAMED_TUPLESTORE;
	relation->md.enrtuples = (double) writer->entry_count;
	relation->reldata = writer->entries;
	if (SPI_register_relation(relation) != SPI_OK_REL_REGISTER)
		elog(ERROR, "could not register the new audit entries");

	audit_writer_become_owner(&owner);
	if (insert_plan == NULL && !writer->local_shards)
	{
		SPIPlanPtr	plan = SPI_prepare("INSERT INTO pactoria.audit_logs SELECT * FROM "
									   NEW_ENTRIES_RELATION, 0, NULL);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		insert_plan = plan;
	}
	entries_being_inserted = writer->entry_count;
	PG_TRY();
	{
		if (writer->local_shards)
			result = SPI_execute(psprintf("INSERT INTO %s SELECT * FROM " NEW_ENTRIES_RELATION,
										  writer->batch_shard), false, 0);
		else
			result = SPI_execute_plan(insert_plan, NULL, NULL, false, 0);
	}
	PG_FINALLY();
	{
		entries_being_inserted = 0;
	}
	PG_END_TRY();
	if (result != SPI_OK_INSERT)
		elog(ERROR, "could not insert audit entries: %s", SPI_result_code_string(result));
	audit_writer_restore_user(&owner);
	SPI_finish();

	tuplestore_clear(writer->entries);
	writer->entry_count = 0;
}

/*
 * audit_writer_finish
 *		Insert the writer's remaining entries and free the writer.
 */
void
audit_writer_finish(AuditWriter *writer)
{
	insert_entries(writer);
	tuplestore_end(writer->entries);
	audit_hasher_free(&writer->hasher);
	MemoryContextDelete(writer->context);
}

/* ---------------------------------------------------------------------
 * pactoria.log_event(event_type, resource_type, resource_id, data)
 * ---------------------------------------------------------------------
 */

/* An argument that must not be NULL: an error naming it when it is. */
static void
require_argument(FunctionCallInfo fcinfo, int argument, const char *name)
{
	if (PG_ARGISNULL(argument))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

/*
 * check_event
 *		Whether the event type is one of system_config audit.event_types and
 *		the resource type a lower-case identifier; one query per event.
 */
/*
 * Identity and personal-data events: written by pactoria's own login,
 * password, invitation, MFA, export and erasure functions (as the owner),
 * never by the application, whatever audit.event_types lists, so that the
 * trail's logins and erasures can be believed.
 */
static const char *const identity_events[] = {
	"login", "login_failed", "account_locked", "account_unlocked", "password_change",
	"sign_up", "invitation_created", "invitation_accepted",
	"mfa_enabled", "mfa_disabled", "mfa_reset", "mfa_verified", "backup_code_used",
	"personal_data_exported", "personal_data_erased", "company_erased", NULL
};

static void
check_event(const char *event_type, const char *resource_type)
{
	static SPIPlanPtr check_plan = NULL;
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2];
	bool		isnull;
	bool		event_known;
	bool		resource_valid;

	AuditOwnerSwitch owner;
	bool		identity_event = false;

	for (int i = 0; identity_events[i] != NULL; i++)
		identity_event = identity_event || strcmp(event_type, identity_events[i]) == 0;
	if (identity_event && !superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("audit event type \"%s\" is recorded by pactoria itself", event_type),
				 errdetail("Logins, failed logins, locks, password changes, invitations, MFA events, personal data exports and erasures are written by pactoria's own functions.")));

	values[0] = CStringGetTextDatum(event_type);
	values[1] = CStringGetTextDatum(resource_type);
	pactoria_spi_connect();
	audit_writer_become_owner(&owner);
	/* a kept plan: no parse and plan at every event */
	if (check_plan == NULL)
		check_plan = pactoria_keep_plan("SELECT pactoria.get_config('audit.event_types') OPERATOR(pg_catalog.?) $1,"
										" pactoria.is_valid_identifier($2)",
										2, types);
	if (SPI_execute_plan(check_plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read audit.event_types");
	event_known = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	event_known = identity_event || (event_known && !isnull);
	resource_valid = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	resource_valid = resource_valid && !isnull;
	audit_writer_restore_user(&owner);
	SPI_finish();

	if (!event_known)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown audit event type \"%s\"", pactoria_quote_prefix(event_type)),
				 errdetail("Application events are those listed in system_config key audit.event_types; create, update, delete and commit are written by pactoria itself."),
				 errhint("Add the event type to audit.event_types in pactoria.system_config.")));
	if (!resource_valid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid resource type \"%s\"", pactoria_quote_prefix(resource_type)),
				 errdetail("A resource type is a lower-case identifier of 2 to 63 characters, such as contract or report.")));
}

PG_FUNCTION_INFO_V1(pactoria_log_event);
PG_FUNCTION_INFO_V1(pactoria_log_event_of);

/*
 * delegate_event
 *		On a Citus coordinator without the tenant's shard of audit_logs:
 *		pactoria.log_event_of(company, ...), as the caller.  Citus delegates
 *		the call (a distributed function, force_delegation, colocated with
 *		audit_logs by its company argument) to the node of the shard, over the
 *		connection this transaction already uses there for the tenant's
 *		colocated shards; the entry is chained there.  (The owner's INSERT of
 *		a routing request would need a connection of its own, which Citus
 *		refuses for shards the caller's connection changed in this
 *		transaction.)  The company is a constant, which delegation needs.
 *		Only when the workers see the same tenant context (a context of the
 *		owner's own functions, set here only, is routed by the owner).
 */
static pg_uuid_t *
delegate_event(const pg_uuid_t *company_id, const char *event_type, const char *resource_type,
			   const pg_uuid_t *resource_id, Jsonb *data)
{
	char	   *query;
	bool		isnull;
	Datum		id;
	pg_uuid_t  *result = palloc(sizeof(pg_uuid_t));

	query = psprintf("SELECT e FROM pactoria.log_event_of(%s::pg_catalog.uuid, %s, %s, %s::pg_catalog.uuid,"
					 " %s::pg_catalog.jsonb) AS e",
					 quote_literal_cstr(DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(company_id)))),
					 quote_literal_cstr(event_type), quote_literal_cstr(resource_type),
					 resource_id == NULL ? "NULL" :
					 quote_literal_cstr(DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(resource_id)))),
					 data == NULL ? "NULL" :
					 quote_literal_cstr(JsonbToCString(NULL, &data->root, VARSIZE(data))));
	pactoria_spi_connect();
	if (SPI_execute(query, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not record the audit event on the node of its tenant");
	id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "the node of the tenant returned no audit entry id");
	*result = *DatumGetUUIDP(id);
	SPI_finish();
	return result;
}

/*
 * record_event
 *		log_event() and log_event_of(): the arguments from first on are
 *		(event_type, resource_type, resource_id, data); named_company, when
 *		given, must be the tenant in context.
 */
static Datum
record_event(FunctionCallInfo fcinfo, int first, const pg_uuid_t *named_company)
{
	AuditEntry	entry = {0};
	AuditWriter *writer;
	pg_uuid_t	id;
	pg_uuid_t  *result;
	char	   *event_type;
	char	   *resource_type;
	char	   *shard;

	require_argument(fcinfo, first, "event_type");
	require_argument(fcinfo, first + 1, "resource_type");
	event_type = text_to_cstring(PG_GETARG_TEXT_PP(first));
	resource_type = text_to_cstring(PG_GETARG_TEXT_PP(first + 1));
	if (event_type[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("event_type must not be empty")));
	if (!PG_ARGISNULL(first + 3))
	{
		Jsonb	   *data = PG_GETARG_JSONB_P(first + 3);

		if (!JB_ROOT_IS_OBJECT(data) || JB_ROOT_IS_SCALAR(data))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("event data must be a JSON object")));
		if (VARSIZE(data) > ADDITIONAL_DATA_MAX_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("event data is too large (%zu bytes)", (size_t) VARSIZE(data)),
					 errdetail("Event data may have at most %d bytes.", ADDITIONAL_DATA_MAX_BYTES)));
		entry.additional_data = data;
	}
	if (!pactoria_context_company_id(&entry.company_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("no tenant context is set"),
				 errdetail("Audit events are recorded for the company in the tenant context."),
				 errhint("Call pactoria.resume_session(session_token) in this transaction first.")));
	if (named_company != NULL && memcmp(named_company->data, entry.company_id.data, UUID_LEN) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("audit events are recorded for the tenant in context only"),
				 errdetail("The company named is not the company of the tenant context.")));
	check_event(event_type, resource_type);

	entry.event_type = event_type;
	entry.resource_type = resource_type;
	if (!PG_ARGISNULL(first + 2))
		entry.resource_id = PG_GETARG_UUID_P(first + 2);

	/* NULL without Citus, or when audit_logs is not distributed or its shard is elsewhere */
	shard = pactoria_local_shard("audit_logs", &entry.company_id);
	if (shard == NULL && named_company == NULL && pactoria_citus_installed()
		&& pactoria_context_reaches_workers() && audit_logs_distributed())
		PG_RETURN_UUID_P(delegate_event(&entry.company_id, event_type, resource_type,
										entry.resource_id, entry.additional_data));

	writer = audit_writer_begin();
	/* the tenant's shard is here: chained and written here (else routed by the owner) */
	if (shard != NULL)
		audit_writer_use_local_shards(writer);
	if (!audit_writer_add(writer, &entry, &id, NULL))
		elog(ERROR, "the shard of the tenant's audit trail is not on this node");
	audit_writer_finish(writer);

	result = palloc(sizeof(pg_uuid_t));
	*result = id;
	PG_RETURN_UUID_P(result);
}

/*
 * pactoria.log_event(event_type, resource_type, resource_id, data): record an
 * application event (login, export, ...) for the tenant in context, in the
 * same chain as the triggers' entries.  Returns the entry's id.
 */
Datum
pactoria_log_event(PG_FUNCTION_ARGS)
{
	return record_event(fcinfo, 0, NULL);
}

/*
 * pactoria.log_event_of(company_id, event_type, resource_type, resource_id,
 * data): the same, for the company named, which must be the tenant in
 * context: what log_event() calls on a Citus coordinator, for Citus to run
 * it on the node of the company's shard (delegate_event).
 */
Datum
pactoria_log_event_of(PG_FUNCTION_ARGS)
{
	require_argument(fcinfo, 0, "company_id");
	return record_event(fcinfo, 1, PG_GETARG_UUID_P(0));
}

/*
 * write_routed_entry
 *		On the node of the tenant's shard: an entry a coordinator routed here
 *		(route_entry) is chained and written by this node's writer, with the
 *		id the coordinator returned.
 */
static void
write_routed_entry(Relation relation, HeapTuple request)
{
	TupleDesc	descriptor = RelationGetDescr(relation);
	AuditEntry	entry = {0};
	AuditWriter *writer;
	bool		isnull;
	Datum		value;

	value = heap_getattr(request, pactoria_column_of_type(relation, "company_id", UUIDOID, false), descriptor, &isnull);
	if (isnull)
		elog(ERROR, "a routed audit entry has no company");
	entry.company_id = *DatumGetUUIDP(value);
	value = heap_getattr(request, pactoria_column_of_type(relation, "id", UUIDOID, false), descriptor, &isnull);
	entry.id = isnull ? NULL : DatumGetUUIDP(value);
	value = heap_getattr(request, pactoria_column_of_type(relation, "event_type", TEXTOID, false), descriptor, &isnull);
	if (isnull)
		elog(ERROR, "a routed audit entry has no event type");
	entry.event_type = TextDatumGetCString(value);
	value = heap_getattr(request, pactoria_column_of_type(relation, "resource_type", TEXTOID, false), descriptor, &isnull);
	if (isnull)
		elog(ERROR, "a routed audit entry has no resource type");
	entry.resource_type = TextDatumGetCString(value);
	value = heap_getattr(request, pactoria_column_of_type(relation, "resource_id", UUIDOID, false), descriptor, &isnull);
	entry.resource_id = isnull ? NULL : DatumGetUUIDP(value);
	value = heap_getattr(request, pactoria_column_of_type(relation, "contract_id", UUIDOID, false), descriptor, &isnull);
	entry.contract_id = isnull ? NULL : DatumGetUUIDP(value);
	value = heap_getattr(request, pactoria_column_of_type(relation, "additional_data", JSONBOID, false), descriptor, &isnull);
	entry.additional_data = isnull ? NULL : DatumGetJsonbP(value);

	writer = audit_writer_begin();
	audit_writer_use_local_shards(writer);
	if (!audit_writer_add(writer, &entry, NULL, NULL))
		elog(ERROR, "the shard of a routed audit entry is not on this node");
	audit_writer_finish(writer);
}

PG_FUNCTION_INFO_V1(pactoria_audit_check_entry);

/*
 * pactoria.audit_check_entry(): BEFORE INSERT row trigger of
 * pactoria.audit_logs (cloned to every partition).  Every entry, at any
 * chain position, must come from the writer's own INSERT; any other row
 * (an INSERT straight into the log or one of its partitions, by anyone) is
 * refused before it is written.
 */
Datum
pactoria_audit_check_entry(PG_FUNCTION_ARGS)
{
	TriggerData *trigger_data = pactoria_trigger(fcinfo, "audit_check_entry",
								PACTORIA_BEFORE | PACTORIA_ROW | PACTORIA_INSERT);
	{
		static const char *const tables[] = {"audit_logs", NULL};

		pactoria_require_own_table(trigger_data->tg_relation, "audit_check_entry", tables);
	}
	if (entries_being_inserted <= 0 && pactoria_is_shard(trigger_data->tg_relation, "audit_logs")
		&& pactoria_role_is_trusted(GetUserId()))
	{
		HeapTuple	request = trigger_data->tg_trigtuple;
		Relation	relation = trigger_data->tg_relation;
		TupleDesc	descriptor = RelationGetDescr(relation);
		bool		isnull;
		Datum		position = heap_getattr(request, pactoria_column_of_type(relation, "chain_position", INT4OID, false),
											descriptor, &isnull);

		if (!isnull && DatumGetInt32(position) == 0)
		{
			write_routed_entry(relation, request);
			return PointerGetDatum(NULL);	/* the request itself is not kept */
		}
	}
	if (entries_being_inserted <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("audit log entries may not be inserted directly"),
				 errdetail("Entries of pactoria.audit_logs are written only by the audit triggers, pactoria.log_event() and the seal at commit."),
				 errhint("Record application events with pactoria.log_event().")));
	entries_being_inserted--;
	return PointerGetDatum(trigger_data->tg_trigtuple);
}
