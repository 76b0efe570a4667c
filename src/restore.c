/*
 * restore.c
 *		pactoria.restore_in_progress(): whether the statement running is the
 *		data load of a restore.
 *
 * CREATE EXTENSION makes pactoria's tables with their triggers before a
 * restore's data arrives (pg_dump puts the triggers of ordinary tables after
 * the data; an extension's come with the extension).  Every trigger of
 * pactoria that fires on INSERT has WHEN (NOT pactoria.restore_in_progress()),
 * so the rows of a backup are loaded as they were written: no second version
 * 1, no second audit entry, no seat counted twice, no lifecycle rule applied
 * to a contract that went through it already.
 *
 * A restore is what pg_dump's script and pg_restore do, with no option:
 *	 1. row_security is off (both set it so, and a role subject to a policy
 *		then gets an error instead of rows: only a role exempt from row-level
 *		security gets this far);
 *	 2. check_function_bodies is off (both set it so, to create functions
 *		in any order; a SET clause of a function, unlike search_path, never
 *		changes it, so the event trigger, a SECURITY DEFINER function pinning
 *		its search_path, sees the session's value);
 *	 3. the statement the client sent is COPY ... FROM (the data of a dump,
 *		unless made with --inserts), or, for the event trigger, the CREATE
 *		TABLE or ALTER TABLE of a partition;
 *	 4. the role is trusted: a superuser or the owner of schema pactoria (the
 *		role the client acts as, GetOuterUserId(), not the owner a SECURITY
 *		DEFINER function runs as).
 * An ordinary write fails one of these: an INSERT, UPDATE or DELETE, a COPY
 * with the default settings (row_security and check_function_bodies on), anything the application role sends, anything a
 * function runs.  A trusted role that turns both settings off and sends COPY FROM
 * is doing what a restore does, and is trusted to.  session_replication_role
 * = replica, the way of 0.1.0, keeps working: no pactoria trigger fires then.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "nodes/plannodes.h"
#include "tcop/pquery.h"
#include "utils/guc.h"
#include "utils/portal.h"
#include "utils/rls.h"

#include "restore.h"
#include "trigger_guard.h"

PG_FUNCTION_INFO_V1(pactoria_restore_in_progress);

/*
 * Whether the statement the client sent, the portal it runs in, is one of a
 * restore's: COPY ... FROM (the data), or CREATE TABLE and ALTER TABLE (the
 * partitions a maintenance run made, and their attachment; for the event
 * trigger preparing audit partitions, as the dump brings their keys and
 * indexes itself).  A statement a function runs is never one: its portal is
 * the function's caller's.
 */
static bool
client_statement_is_restore(void)
{
	PlannedStmt *statement;
	Node	   *utility;

	if (ActivePortal == NULL || list_length(ActivePortal->stmts) != 1)
		return false;
	statement = linitial_node(PlannedStmt, ActivePortal->stmts);
	if (statement->commandType != CMD_UTILITY || statement->utilityStmt == NULL)
		return false;
	utility = statement->utilityStmt;
	switch (nodeTag(utility))
	{
		case T_CopyStmt:
			return ((CopyStmt *) utility)->is_from;
		case T_CreateStmt:
		case T_AlterTableStmt:
			return true;
		default:
			return false;
	}
}

/* See restore.h; the cheap tests first, as an ordinary write fails the first. */
bool
pactoria_restoring(void)
{
	return !row_security && !check_function_bodies &&
		client_statement_is_restore() &&
		pactoria_role_is_trusted(GetOuterUserId());
}

Datum
pactoria_restore_in_progress(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(pactoria_restoring());
}
