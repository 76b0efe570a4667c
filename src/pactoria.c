/*
 * pactoria.c
 *		Module entry point of the pactoria extension.
 *
 * Holds PG_MODULE_MAGIC, _PG_init (which defines the extension's settings,
 * one concern at a time) and pactoria.version().
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "audit_context.h"
#include "contract_versioning.h"
#include "identity_clock.h"
#include "pactoria.h"
#include "partition_worker.h"
#include "server_key.h"
#include "tenant_context.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * _PG_init
 *		Define the pactoria.* settings and reserve the prefix, so that a
 *		misspelt pactoria.* setting is reported instead of silently accepted.
 */
void
_PG_init(void)
{
	/*
	 * The server key and the clock first: a pactoria.context set before the
	 * library loaded (a SET LOCAL a Citus coordinator forwards to a worker
	 * backend that has not called pactoria yet) is checked when its setting
	 * is defined, with the key file and the clock.
	 */
	pactoria_define_server_key_settings();
	pactoria_define_clock_settings();
	pactoria_define_tenant_context_settings();
	pactoria_define_audit_settings();
	pactoria_define_contract_versioning_settings();
	pactoria_define_partition_settings();

	MarkGUCPrefixReserved(PACTORIA_GUC_PREFIX);
}

PG_FUNCTION_INFO_V1(pactoria_version);

/*
 * pactoria.version() returns the version the shared library was built as.
 * Calling it proves the library loads and matches the installed SQL.
 */
Datum
pactoria_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(PACTORIA_VERSION));
}
