/*
 * contract_versioning.c
 *		The version history of contracts: the AFTER trigger recording each
 *		version in pactoria.contract_versions, the trigger keeping that
 *		history immutable, pactoria.delete_contract(), and the setting
 *		pactoria.change_summary.
 *
 * The lifecycle trigger (contract_lifecycle.c, BEFORE) decides that a change
 * of content makes a new version and numbers it in the row it writes; the
 * AFTER trigger here copies the row's content into contract_versions.  The
 * row lock the UPDATE holds serialises the numbering per contract, so the
 * versions of a contract are 1..N without gaps whatever the concurrency.
 *
 * As temporal_tables does, the INSERT is an SPI plan prepared once per
 * backend (SPI_keepplan) and the column numbers of contracts are looked up
 * once per relation, kept in a hash table keyed by relation OID and dropped
 * when the relation's relcache entry is invalidated: no catalog lookup per
 * row.
 *
 * Immutability: UPDATE, DELETE and TRUNCATE of contract_versions are
 * refused to everyone, owner included, and so is an INSERT that does not
 * come from the AFTER trigger.  The exceptions are flags in this file, set
 * only while this file's own SPI statements run (the trigger's INSERT,
 * delete_contract()'s DELETE of the history) and cleared however they end;
 * no SQL can set them.  Those statements run as the owner of the tables, as
 * the audit log's writer does: an application role needs no privilege on
 * contract_versions beyond SELECT, and whatever it is granted there, it
 * cannot write history of its own.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/uuid.h"

#include "contract_versioning.h"
#include "tenant_context.h"
#include "trigger_guard.h"

/* Longest change summary, as chk_contract_versions_change_summary allows. */
#define CHANGE_SUMMARY_MAX_CHARACTERS 2000

static char *change_summary_setting = NULL;

static PactoriaRelationCache contract_columns_cache = {NULL, false, 0};

/* Kept SPI plans, prepared on first use. */
static SPIPlanPtr insert_version_plan = NULL;
static SPIPlanPtr find_contract_plan = NULL;
static SPIPlanPtr delete_versions_plan = NULL;
static SPIPlanPtr delete_contract_plan = NULL;

/* The exceptions to immutability, true only while our own statements run. */
static bool recording_version = false;
static bool deleting_contract = false;

/* The user and security context to return to after a history write. */
typedef PactoriaOwnerSwitch SavedUser;

PG_FUNCTION_INFO_V1(pactoria_set_change_summary);
PG_FUNCTION_INFO_V1(pactoria_record_contract_version);
PG_FUNCTION_INFO_V1(pactoria_guard_contract_history);
PG_FUNCTION_INFO_V1(pactoria_delete_contract);

/*
 * check_change_summary
 *		GUC check hook: refuse a summary the history could not store, when
 *		it is set rather than when a version is recorded.
 */
static bool
check_change_summary(char **newval, void **extra, GucSource source)
{
	int			characters;

	if (*newval == NULL || strlen(*newval) <= CHANGE_SUMMARY_MAX_CHARACTERS)
		return true;
	characters = pg_mbstrlen(*newval);
	if (characters <= CHANGE_SUMMARY_MAX_CHARACTERS)
		return true;
	GUC_check_errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION);
	GUC_check_errmsg("change summary is too long (%d characters)", characters);
	GUC_check_errdetail("A change summary may have at most %d characters.",
						CHANGE_SUMMARY_MAX_CHARACTERS);
	return false;
}

/*
 * pactoria_define_contract_versioning_settings
 *		Define pactoria.change_summary (USERSET: any role may describe its own
 *		changes).  Called from _PG_init.
 */
void
pactoria_define_contract_versioning_settings(void)
{
	DefineCustomStringVariable("pactoria.change_summary",
							   "Summary of the contract content changes the current transaction makes.",
							   "Recorded with each contract version the transaction creates. Set it with "
							   "pactoria.set_change_summary(), which keeps it to the transaction.",
							   &change_summary_setting,
							   "",
							   PGC_USERSET,
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   check_change_summary,
							   NULL,
							   NULL);
}

/*
 * pactoria_set_change_summary
 *		pactoria.set_change_summary(summary): SET LOCAL pactoria.change_summary,
 *		NULL resetting it.  In C rather than SQL so that calling it loads the
 *		library first: the setting is then defined and its check applies, where
 *		set_config() in a fresh session would only make a placeholder.
 */
Datum
pactoria_set_change_summary(PG_FUNCTION_ARGS)
{
	char	   *summary = PG_ARGISNULL(0) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(0));

	(void) set_config_option("pactoria.change_summary", summary, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_LOCAL, true, 0, false);
	PG_RETURN_VOID();
}

/*
 * contract_columns
 *		The column numbers of a contracts relation, from the cache.
 */
const ContractColumns *
contract_columns(Relation relation, const char *function_name)
{
	static const char *const tables[] = {"contracts", NULL};
	Oid			relation_id = RelationGetRelid(relation);
	ContractColumns *entry;
	bool		found;

	entry = (ContractColumns *) pactoria_relation_cache_entry(&contract_columns_cache, "pactoria contract columns",
															  sizeof(ContractColumns), relation_id, &found);
	if (!entry->cached.valid)
	{
		uint64		invalidations_before = contract_columns_cache.invalidations;

		pactoria_require_own_table(relation, function_name, tables);
		entry->company_id = pactoria_column_of_type(relation, "company_id", UUIDOID, false);
		entry->id = pactoria_column_of_type(relation, "id", UUIDOID, false);
		entry->status = pactoria_column_of_type(relation, "status", TEXTOID, false);
		entry->version = pactoria_column_of_type(relation, "version", INT4OID, false);
		entry->plain_english_input = pactoria_column_of_type(relation, "plain_english_input", TEXTOID, false);
		entry->generated_content = pactoria_column_of_type(relation, "generated_content", TEXTOID, false);
		entry->final_content = pactoria_column_of_type(relation, "final_content", TEXTOID, false);
		entry->start_date = pactoria_column_of_type(relation, "start_date", DATEOID, false);
		entry->created_by = pactoria_column_of_type(relation, "created_by", UUIDOID, false);
		/* valid unless invalidated while being looked up: then again next time */
		entry->cached.valid = (contract_columns_cache.invalidations == invalidations_before);
	}
	return entry;
}

/*
 * contract_deletion_in_progress
 *		True only while delete_contract() runs its own DELETE statements.
 */
bool
contract_deletion_in_progress(void)
{
	return deleting_contract;
}

/*
 * pactoria_record_contract_version
 *		AFTER INSERT and AFTER UPDATE ... WHEN (OLD.version IS DISTINCT FROM
 *		NEW.version) row trigger of contracts: record the row's content as
 *		version NEW.version, with the transaction's change summary, by the
 *		user in the tenant context (else the contract's creator).  The INSERT
 *		runs as the owner of contracts (who owns the history too): the row it
 *		copies has passed the caller's privileges and row-level security.
 */
Datum
pactoria_record_contract_version(PG_FUNCTION_ARGS)
{
	TriggerData *trigger_data;
	const ContractColumns *columns;
	TupleDesc	descriptor;
	HeapTuple	row;
	Datum		values[8];
	char		nulls[8];
	bool		is_null;
	pg_uuid_t  *user_id;
	volatile int result = 0;
	SavedUser	caller;

	trigger_data = pactoria_trigger(fcinfo, "record_contract_version",
								PACTORIA_AFTER | PACTORIA_ROW | PACTORIA_INSERT | PACTORIA_UPDATE);

	columns = contract_columns(trigger_data->tg_relation, "record_contract_version");
	descriptor = RelationGetDescr(trigger_data->tg_relation);
	row = TRIGGER_FIRED_BY_UPDATE(trigger_data->tg_event)
		? trigger_data->tg_newtuple : trigger_data->tg_trigtuple;

	values[0] = heap_getattr(row, columns->company_id, descriptor, &is_null);
	if (is_null)
		return PointerGetDatum(NULL);	/* NOT NULL refuses the row */
	pactoria_check_row_tenant(DatumGetUUIDP(values[0]), "contract versions");
	values[1] = heap_getattr(row, columns->id, descriptor, &is_null);
	values[2] = heap_getattr(row, columns->version, descriptor, &is_null);
	values[3] = heap_getattr(row, columns->plain_english_input, descriptor, &is_null);
	nulls[3] = is_null ? 'n' : ' ';
	values[4] = heap_getattr(row, columns->generated_content, descriptor, &is_null);
	nulls[4] = is_null ? 'n' : ' ';
	values[5] = heap_getattr(row, columns->final_content, descriptor, &is_null);
	nulls[5] = is_null ? 'n' : ' ';
	if (change_summary_setting != NULL && change_summary_setting[0] != '\0')
	{
		values[6] = CStringGetTextDatum(change_summary_setting);
		nulls[6] = ' ';
	}
	else
	{
		values[6] = (Datum) 0;
		nulls[6] = 'n';
	}
	user_id = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));
	if (pactoria_context_user_id(user_id))
		values[7] = UUIDPGetDatum(user_id);
	else
		values[7] = heap_getattr(row, columns->created_by, descriptor, &is_null);
	/* company_id, id, version and created_by are NOT NULL columns */
	nulls[0] = nulls[1] = nulls[2] = nulls[7] = ' ';

	pactoria_spi_connect();
	pactoria_become_owner(pactoria_table_owner("contract_versions"), &caller);
	recording_version = true;
	PG_TRY();
	{
		/* prepared as the owner it runs as, so it is never re-planned for another role */
		if (insert_version_plan == NULL)
		{
			Oid			types[8] = {UUIDOID, UUIDOID, INT4OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, UUIDOID};

			insert_version_plan = pactoria_keep_plan("INSERT INTO pactoria.contract_versions"
													 " (company_id, contract_id, version_number, plain_english_input,"
													 " generated_content, final_content, change_summary, created_by)"
													 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
													 8, types);
		}
		result = SPI_execute_plan(insert_version_plan, values, nulls, false, 0);
	}
	PG_FINALLY();
	{
		recording_version = false;
		pactoria_restore_user(&caller);
	}
	PG_END_TRY();
	if (result != SPI_OK_INSERT || SPI_processed != 1)
		elog(ERROR, "recording a contract version failed: %s", SPI_result_code_string(result));
	SPI_finish();

	return PointerGetDatum(NULL);
}

/*
 * version_description
 *		"version 3 of contract <id>", for messages about a history row.
 */
static char *
version_description(HeapTuple row, Relation relation)
{
	TupleDesc	descriptor = RelationGetDescr(relation);
	char	   *version = SPI_getvalue(row, descriptor, SPI_fnumber(descriptor, "version_number"));
	char	   *contract = SPI_getvalue(row, descriptor, SPI_fnumber(descriptor, "contract_id"));

	return psprintf("version %s of contract %s",
					version != NULL ? version : "?", contract != NULL ? contract : "?");
}

/*
 * pactoria_guard_contract_history
 *		BEFORE INSERT OR UPDATE OR DELETE row trigger and BEFORE TRUNCATE
 *		statement trigger of contract_versions: the history is only ever
 *		added to, and only by the versioning trigger; its rows go only with
 *		their contract, through pactoria.delete_contract().
 */
Datum
pactoria_guard_contract_history(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"contract_versions", NULL};
	TriggerData *trigger_data;
	TriggerEvent event;

	trigger_data = pactoria_trigger(fcinfo, "guard_contract_history",
									PACTORIA_BEFORE | PACTORIA_ROW | PACTORIA_INSERT | PACTORIA_UPDATE
									| PACTORIA_DELETE | PACTORIA_TRUNCATE);
	pactoria_require_own_table(trigger_data->tg_relation, "guard_contract_history", tables);
	event = trigger_data->tg_event;

	if (TRIGGER_FIRED_BY_TRUNCATE(event))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("table \"%s\" cannot be truncated", RelationGetRelationName(trigger_data->tg_relation)),
				 errdetail("The version history of contracts is immutable."),
				 errhint("Delete a draft contract with its history through pactoria.delete_contract().")));

	if (TRIGGER_FIRED_BY_INSERT(event))
	{
		if (recording_version)
			return PointerGetDatum(trigger_data->tg_trigtuple);
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s cannot be inserted directly",
						version_description(trigger_data->tg_trigtuple, trigger_data->tg_relation)),
				 errdetail("pactoria records a version of a contract each time its content changes."),
				 errhint("Change the contract's content; its new version is recorded with it.")));
	}

	if (TRIGGER_FIRED_BY_DELETE(event))
	{
		if (deleting_contract)
			return PointerGetDatum(trigger_data->tg_trigtuple);
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s cannot be deleted",
						version_description(trigger_data->tg_trigtuple, trigger_data->tg_relation)),
				 errdetail("The version history of contracts is immutable."),
				 errhint("Delete a draft contract with its history through pactoria.delete_contract().")));
	}

	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("%s cannot be changed",
					version_description(trigger_data->tg_trigtuple, trigger_data->tg_relation)),
			 errdetail("The version history of contracts is immutable."),
			 errhint("Change the contract itself, or restore an old version with pactoria.restore_contract_version().")));
	return PointerGetDatum(NULL);	/* not reached */
}

/*
 * pactoria_delete_contract
 *		pactoria.delete_contract(contract_id): delete a draft of the tenant
 *		in context with its version history, in one go.  Finding, locking
 *		and deleting the contract run as the caller, under row-level security
 *		and the caller's privileges on contracts; only the history's DELETE,
 *		between the two, runs as the owner.  Rows of other tables that refer
 *		to the contract follow their foreign keys (compliance scores and
 *		extractions go, chat messages and risks stay without the contract).
 */
Datum
pactoria_delete_contract(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *company_id = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));
	Datum		arguments[2];
	char	   *status;
	int			result;
	volatile int versions_result = 0;
	volatile int contract_result = 0;
	volatile bool acting_as_owner = false;
	uint64		contracts_deleted;
	Oid			owner;
	SavedUser	caller;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("contract id must not be null")));
	if (!pactoria_context_company_id(company_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("no tenant context is set"),
				 errdetail("Deleting a contract needs the company it belongs to."),
				 errhint("Call pactoria.resume_session(session_token) in this transaction first.")));
	arguments[0] = UUIDPGetDatum(company_id);
	arguments[1] = PG_GETARG_DATUM(0);

	pactoria_spi_connect();
	if (find_contract_plan == NULL)
	{
		Oid			types[2] = {UUIDOID, UUIDOID};

		find_contract_plan = pactoria_keep_plan("SELECT status FROM pactoria.contracts"
												" WHERE company_id OPERATOR(pg_catalog.=) $1"
												" AND id OPERATOR(pg_catalog.=) $2 FOR UPDATE",
												2, types);
		delete_versions_plan = pactoria_keep_plan("DELETE FROM pactoria.contract_versions"
												  " WHERE company_id OPERATOR(pg_catalog.=) $1"
												  " AND contract_id OPERATOR(pg_catalog.=) $2",
												  2, types);
		delete_contract_plan = pactoria_keep_plan("DELETE FROM pactoria.contracts"
												  " WHERE company_id OPERATOR(pg_catalog.=) $1"
												  " AND id OPERATOR(pg_catalog.=) $2",
												  2, types);
	}

	result = SPI_execute_plan(find_contract_plan, arguments, NULL, false, 0);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "looking up a contract failed: %s", SPI_result_code_string(result));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("contract %s does not exist",
						DatumGetCString(DirectFunctionCall1(uuid_out, arguments[1]))),
				 errdetail("No contract of the company in the tenant context has this id.")));
	status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (strcmp(status, "draft") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("contract %s is not a draft",
						DatumGetCString(DirectFunctionCall1(uuid_out, arguments[1]))),
				 errdetail("Its status is \"%s\". Only a draft can be deleted; a contract that went further keeps its history.",
						   status),
				 errhint("Set its status to \"cancelled\" (from draft or pending_review) instead.")));

	owner = pactoria_table_owner("contract_versions");
	deleting_contract = true;
	PG_TRY();
	{
		pactoria_become_owner(owner, &caller);
		acting_as_owner = true;
		versions_result = SPI_execute_plan(delete_versions_plan, arguments, NULL, false, 0);
		pactoria_restore_user(&caller);
		acting_as_owner = false;
		if (versions_result == SPI_OK_DELETE)
			contract_result = SPI_execute_plan(delete_contract_plan, arguments, NULL, false, 0);
	}
	PG_FINALLY();
	{
		if (acting_as_owner)
			pactoria_restore_user(&caller);
		deleting_contract = false;
	}
	PG_END_TRY();
	contracts_deleted = SPI_processed;
	if (versions_result != SPI_OK_DELETE)
		elog(ERROR, "deleting the versions of a contract failed: %s", SPI_result_code_string(versions_result));
	if (contract_result != SPI_OK_DELETE)
		elog(ERROR, "deleting a contract failed: %s", SPI_result_code_string(contract_result));
	if (contracts_deleted != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("contract %s could not be deleted",
						DatumGetCString(DirectFunctionCall1(uuid_out, arguments[1]))),
				 errdetail("Row-level security lets the current role see the contract but not delete it.")));
	SPI_finish();

	PG_RETURN_VOID();
}
