/*
 * contract_lifecycle.c
 *		pactoria.enforce_contract_lifecycle(): the BEFORE INSERT OR UPDATE OR
 *		DELETE row trigger of contracts.
 *
 * On every write of a contract it enforces, in the same row write:
 *	- a new contract is a draft at version 1;
 *	- a status change follows the transitions of contract_status.c, moving
 *	  to "approved" needs a legal reviewer or an admin in the tenant context,
 *	  and an "active" contract has a start date;
 *	- content (plain_english_input, generated_content, final_content) changes
 *	  only while the contract is draft or pending_review, before and after the
 *	  update, and each change of content increments version, which nobody
 *	  sets directly; the AFTER trigger of contract_versioning.c then records
 *	  the new version;
 *	- a contract is deleted only by pactoria.delete_contract().
 *
 * It runs on every UPDATE of a contract, so it is C: comparing the content
 * costs no more than comparing the bytes (an unchanged column keeps its
 * TOAST pointer, compared without fetching), and column numbers come from
 * the cache of contract_versioning.c.  Only a move to "approved" runs a
 * query, one primary-key lookup of the approving user.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "contract_status.h"
#include "contract_versioning.h"
#include "tenant_context.h"
#include "trigger_guard.h"

/* Kept SPI plan: the role of the approving user. */
static SPIPlanPtr approver_plan = NULL;

PG_FUNCTION_INFO_V1(pactoria_enforce_contract_lifecycle);

/* Whether two text values (either NULL) hold the same bytes (trigger_guard.c). */
static bool
texts_equal(Datum left, bool left_is_null, Datum right, bool right_is_null)
{
	if (left_is_null || right_is_null)
		return left_is_null && right_is_null;
	return pactoria_datum_image_equal(left, right, false, -1);
}

/*
 * column_changed
 *		Whether a text column differs between the old and the new row.
 */
static bool
column_changed(HeapTuple old_row, HeapTuple new_row, TupleDesc descriptor, int column)
{
	bool		old_is_null;
	bool		new_is_null;
	Datum		old_value = heap_getattr(old_row, column, descriptor, &old_is_null);
	Datum		new_value = heap_getattr(new_row, column, descriptor, &new_is_null);

	return !texts_equal(old_value, old_is_null, new_value, new_is_null);
}

/*
 * row_status
 *		The status of a row, and its name (palloc'd) for messages.
 */
static ContractStatus
row_status(HeapTuple row, TupleDesc descriptor, const ContractColumns *columns, char **name)
{
	bool		is_null;
	Datum		value = heap_getattr(row, columns->status, descriptor, &is_null);
	text	   *status;

	if (is_null)
	{
		*name = "NULL";
		return CONTRACT_STATUS_UNKNOWN;
	}
	status = DatumGetTextPP(value);
	*name = text_to_cstring(status);
	return contract_status_from_name(VARDATA_ANY(status), VARSIZE_ANY_EXHDR(status));
}

/* The id of a contract row, for messages. */
static char *
row_id(HeapTuple row, TupleDesc descriptor, const ContractColumns *columns)
{
	return SPI_getvalue(row, descriptor, columns->id);
}

/*
 * check_approver
 *		Moving a contract to "approved" needs an active user of its company
 *		with the role legal_reviewer or admin in the tenant context.
 */
static void
check_approver(HeapTuple row, TupleDesc descriptor, const ContractColumns *columns)
{
	pg_uuid_t  *user_id = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));
	Datum		arguments[2];
	bool		is_null;
	char	   *role = NULL;
	bool		is_active = false;
	int			result;

	if (!pactoria_context_user_id(user_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("approving contract %s needs a user in the tenant context",
						row_id(row, descriptor, columns)),
				 errdetail("A contract is approved by a legal reviewer or an admin of its company."),
				 errhint("Set the tenant context with pactoria.set_context(company_id, user_id) for that user.")));

	arguments[0] = heap_getattr(row, columns->company_id, descriptor, &is_null);
	arguments[1] = UUIDPGetDatum(user_id);

	pactoria_spi_connect();
	if (approver_plan == NULL)
	{
		Oid			types[2] = {UUIDOID, UUIDOID};

		approver_plan = pactoria_keep_plan("SELECT role, is_active FROM pactoria.users"
										   " WHERE company_id OPERATOR(pg_catalog.=) $1"
										   " AND id OPERATOR(pg_catalog.=) $2",
										   2, types);
	}
	result = SPI_execute_plan(approver_plan, arguments, NULL, true, 1);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "looking up the approving user failed: %s", SPI_result_code_string(result));
	if (SPI_processed == 1)
	{
		role = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		is_active = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &is_null));
	}
	if (role == NULL || !is_active)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("user %s may not approve contract %s",
						DatumGetCString(DirectFunctionCall1(uuid_out, arguments[1])),
						row_id(row, descriptor, columns)),
				 errdetail("The user is not an active user of the contract's company.")));
	if (strcmp(role, "legal_reviewer") != 0 && strcmp(role, "admin") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("user %s may not approve contract %s",
						DatumGetCString(DirectFunctionCall1(uuid_out, arguments[1])),
						row_id(row, descriptor, columns)),
				 errdetail("Approving a contract needs the role legal_reviewer or admin; the user's role is %s.",
						   role)));
	SPI_finish();
}

/*
 * check_new_contract
 *		INSERT: a contract starts as a draft, at version 1.
 */
static void
check_new_contract(HeapTuple row, TupleDesc descriptor, const ContractColumns *columns)
{
	char	   *status_name;
	bool		is_null;
	int32		version;

	if (row_status(row, descriptor, columns, &status_name) != CONTRACT_STATUS_DRAFT)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("new contract %s must have status \"draft\", not \"%s\"",
						row_id(row, descriptor, columns), status_name),
				 errdetail("A contract starts as a draft and reaches later statuses through review and approval.")));
	version = DatumGetInt32(heap_getattr(row, columns->version, descriptor, &is_null));
	if (is_null || version != 1)
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("new contract %s must start at version 1", row_id(row, descriptor, columns)),
				 errdetail("pactoria numbers the versions of a contract: 1 when it is created, one more with each change of content.")));
}

/*
 * check_status_change
 *		UPDATE of the status: an allowed transition.  A status that is not
 *		one at all is left to the check constraint chk_contracts_status.
 */
static void
check_status_change(HeapTuple row, TupleDesc descriptor, const ContractColumns *columns,
					ContractStatus from, const char *from_name,
					ContractStatus to, const char *to_name)
{
	const char *next_names;

	if (from == CONTRACT_STATUS_UNKNOWN || to == CONTRACT_STATUS_UNKNOWN ||
		contract_status_may_follow(from, to))
		return;
	next_names = contract_status_next_names(from);
	if (next_names == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("contract %s cannot go from status \"%s\" to \"%s\"",
						row_id(row, descriptor, columns), from_name, to_name),
				 errdetail("\"%s\" is a final status: no status follows it.", from_name)));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("contract %s cannot go from status \"%s\" to \"%s\"",
					row_id(row, descriptor, columns), from_name, to_name),
			 errdetail("From \"%s\" a contract can go to %s.", from_name, next_names)));
}

/*
 * pactoria_enforce_contract_lifecycle
 *		The trigger: see the comment at the top of the file.
 */
Datum
pactoria_enforce_contract_lifecycle(PG_FUNCTION_ARGS)
{
	TriggerData *trigger_data;
	const ContractColumns *columns;
	TupleDesc	descriptor;
	HeapTuple	old_row;
	HeapTuple	new_row;
	char	   *from_name;
	char	   *to_name;
	ContractStatus from;
	ContractStatus to;
	bool		content_changed;
	bool		old_is_null;
	bool		new_is_null;
	int32		old_version;
	int32		new_version;

	trigger_data = pactoria_trigger(fcinfo, "enforce_contract_lifecycle",
								PACTORIA_BEFORE | PACTORIA_ROW | PACTORIA_INSERT | PACTORIA_UPDATE | PACTORIA_DELETE);

	columns = contract_columns(trigger_data->tg_relation, "enforce_contract_lifecycle");
	descriptor = RelationGetDescr(trigger_data->tg_relation);

	if (TRIGGER_FIRED_BY_DELETE(trigger_data->tg_event))
	{
		if (!contract_deletion_in_progress())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("contract %s cannot be deleted directly",
							row_id(trigger_data->tg_trigtuple, descriptor, columns)),
					 errdetail("A contract keeps its version history; only a draft can be deleted, with its history."),
					 errhint("Delete a draft with pactoria.delete_contract(id); cancel or terminate other contracts.")));
		return PointerGetDatum(trigger_data->tg_trigtuple);
	}

	if (TRIGGER_FIRED_BY_INSERT(trigger_data->tg_event))
	{
		check_new_contract(trigger_data->tg_trigtuple, descriptor, columns);
		return PointerGetDatum(trigger_data->tg_trigtuple);
	}

	old_row = trigger_data->tg_trigtuple;
	new_row = trigger_data->tg_newtuple;

	old_version = DatumGetInt32(heap_getattr(old_row, columns->version, descriptor, &old_is_null));
	new_version = DatumGetInt32(heap_getattr(new_row, columns->version, descriptor, &new_is_null));
	if (old_is_null != new_is_null || old_version != new_version)
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("column \"version\" of contract %s cannot be set directly",
						row_id(old_row, descriptor, columns)),
				 errdetail("pactoria increments the version with each change of content.")));

	from = row_status(old_row, descriptor, columns, &from_name);
	to = row_status(new_row, descriptor, columns, &to_name);
	if (strcmp(from_name, to_name) != 0)
		check_status_change(old_row, descriptor, columns, from, from_name, to, to_name);

	content_changed = column_changed(old_row, new_row, descriptor, columns->final_content) ||
		column_changed(old_row, new_row, descriptor, columns->generated_content) ||
		column_changed(old_row, new_row, descriptor, columns->plain_english_input);
	if (content_changed &&
		!(contract_status_allows_content_change(from) && contract_status_allows_content_change(to)))
	{
		if (!contract_status_allows_content_change(from))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("content of contract %s cannot change while its status is \"%s\"",
							row_id(old_row, descriptor, columns), from_name),
					 errdetail("Content may change only while a contract is draft or pending_review."),
					 from == CONTRACT_STATUS_APPROVED
					 ? errhint("Move it back to \"draft\" first.") : 0));
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("content of contract %s cannot change as its status becomes \"%s\"",
						row_id(old_row, descriptor, columns), to_name),
				 errdetail("Content may change only while a contract is draft or pending_review, before and after the change."),
				 errhint("Change the content and the status in two updates.")));
	}

	if (to == CONTRACT_STATUS_ACTIVE && heap_attisnull(new_row, columns->start_date, descriptor))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("contract %s cannot be active without a start date",
						row_id(old_row, descriptor, columns)),
				 errhint("Set start_date in the same update.")));

	if (to == CONTRACT_STATUS_APPROVED && from != CONTRACT_STATUS_APPROVED)
		check_approver(new_row, descriptor, columns);

	if (content_changed && old_version == PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("contract %s has reached the highest version number",
						row_id(old_row, descriptor, columns))));
	if (content_changed)
	{
		Datum		version = Int32GetDatum(old_version + 1);
		bool		version_is_null = false;
		int			version_column = columns->version;

		new_row = heap_modify_tuple_by_cols(new_row, descriptor, 1, &version_column,
											&version, &version_is_null);
	}
	return PointerGetDatum(new_row);
}
