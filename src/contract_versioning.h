/*
 * contract_versioning.h
 *		Contract version history: what the lifecycle trigger
 *		(contract_lifecycle.c) shares with the versioning code
 *		(contract_versioning.c), and the setting _PG_init defines.
 */
#ifndef PACTORIA_CONTRACT_VERSIONING_H
#define PACTORIA_CONTRACT_VERSIONING_H

#include "executor/spi.h"
#include "utils/rel.h"

#include "trigger_guard.h"

/* Define pactoria.change_summary; called from _PG_init. */
extern void pactoria_define_contract_versioning_settings(void);

/*
 * Column numbers (1-based) of a contracts table, looked up once per backend
 * and relation and looked up again only after the relation changed.
 */
typedef struct ContractColumns
{
	PactoriaCachedRelation cached;	/* first: the cache's key and mark */
	int			company_id;
	int			id;
	int			status;
	int			version;
	int			plain_english_input;
	int			generated_content;
	int			final_content;
	int			start_date;
	int			created_by;
} ContractColumns;

/* The columns of pactoria.contracts; fired on any other table, an error (42501). */
extern const ContractColumns *contract_columns(Relation relation, const char *function_name);


/* Whether pactoria.delete_contract() is deleting a contract right now. */
extern bool contract_deletion_in_progress(void);

#endif							/* PACTORIA_CONTRACT_VERSIONING_H */
