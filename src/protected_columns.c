/*
 * protected_columns.c
 *		Declared encryption of columns (pactoria.protect_column): the row
 *		trigger that stores every value of a protected column encrypted
 *		under its row's company, and pactoria.protect_value(), which the
 *		conversion of a column and the re-encryption after a rotation use.
 *
 * A protected column is bytea.  What is written into it is either a
 * ciphertext of this column and this company (kept as it is: a copy, a
 * restore, an UPDATE that does not change it) or the clear value, text in
 * the server encoding, which is encrypted (tenant_keys.c) bound to the
 * company of the row and to the column's binding (schema.table.column, as
 * named when it was protected).  A value that has the shape of a ciphertext
 * but does not decrypt here (another company's, another column's, altered)
 * is refused: it would otherwise be stored as if it were clear text.
 *
 * The trigger fires only on the columns registered in
 * pactoria.protected_columns, which only protect_column() run by a trusted
 * role writes; it reads the registry as the registry's owner, caches it per
 * relation, and follows its changes (protected_columns_changed()).  Like
 * every pactoria trigger that acts for the tenant, it encrypts only for the
 * company in context unless the current user is trusted (the owner's
 * migration of existing rows).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/uuid.h"

#include "data_cipher.h"
#include "tenant_keys.h"
#include "trigger_guard.h"

typedef struct ProtectedColumn
{
	AttrNumber	attribute_number;
	char	   *name;
	char	   *binding;
	size_t		binding_len;
} ProtectedColumn;

typedef struct ProtectedRelation
{
	PactoriaCachedRelation cached;	/* first: the cache's key and mark */
	MemoryContext context;		/* everything below */
	uint64		registry_generation;	/* of pactoria.protected_columns when read */
	AttrNumber	tenant_attribute;
	int			column_count;
	ProtectedColumn *columns;
} ProtectedRelation;

static PactoriaRelationCache protected_relations = {NULL, false, 0};

/* What protect_datum() does with a value. */
typedef enum ProtectMode
{
	KEEP_CIPHERTEXT,			/* a ciphertext of the column stays as it is */
	CURRENT_KEY					/* and one under an older key is encrypted afresh */
} ProtectMode;

/*
 * The registry rows of the relation (a partition: those of the partitioned
 * table it belongs to), read as the registry's owner.
 */
static SPITupleTable *
read_registry(Relation relation)
{
	Oid			types[1] = {OIDOID};
	Oid			table_id = pactoria_shard_table(relation);	/* a Citus shard: its table's */
	Datum		values[1] = {ObjectIdGetDatum(OidIsValid(table_id) ? table_id : RelationGetRelid(relation))};
	PactoriaOwnerSwitch caller;
	int			result;

	pactoria_become_owner(pactoria_table_owner("protected_columns"), &caller);
	result = SPI_execute_with_args("SELECT p.column_name::pg_catalog.text, p.tenant_column::pg_catalog.text, p.binding"
								   " FROM pactoria.protected_columns AS p"
								   " WHERE p.table_name::pg_catalog.oid OPERATOR(pg_catalog.=) $1"
								   " OR p.table_name::pg_catalog.oid OPERATOR(pg_catalog.=) ANY"
								   " (SELECT a.relid::pg_catalog.oid"
								   " FROM pg_catalog.pg_partition_ancestors($1::pg_catalog.regclass) AS a (relid))"
								   " ORDER BY p.column_name",
								   1, types, values, NULL, true, 0);
	pactoria_restore_user(&caller);
	if (result != SPI_OK_SELECT)
		elog(ERROR, "could not read pactoria.protected_columns: %s", SPI_result_code_string(result));
	if (SPI_tuptable->tupdesc->natts != 3 || SPI_gettypeid(SPI_tuptable->tupdesc, 1) != TEXTOID
		|| SPI_gettypeid(SPI_tuptable->tupdesc, 2) != TEXTOID || SPI_gettypeid(SPI_tuptable->tupdesc, 3) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("pactoria.protected_columns must have column_name name, tenant_column name and binding text")));
	return SPI_tuptable;
}

/*
 * The cache entry of the trigger's table, built when missing or stale (an
 * ALTER of the table, a change of the registry).  A table with no
 * registered column is refused (42501): the trigger was attached by hand.
 */
static ProtectedRelation *
protected_relation(Relation relation)
{
	Oid			relation_id = RelationGetRelid(relation);
	uint64		generation = pactoria_table_generation("protected_columns");
	ProtectedRelation *entry;
	SPITupleTable *rows;
	bool		found;
	MemoryContext old;
	uint64		invalidations_before;
	char	   *tenant_column = NULL;

	entry = (ProtectedRelation *) pactoria_relation_cache_find(&protected_relations, relation_id);
	if (entry != NULL && entry->cached.valid && entry->registry_generation == generation)
		return entry;

	invalidations_before = protected_relations.invalidations;
	pactoria_spi_connect();
	rows = read_registry(relation);
	if (SPI_processed == 0 || relation->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("pactoria.protect_values() may not fire on table \"%s\"",
						RelationGetRelationName(relation)),
				 errdetail("It has no column protected by pactoria.protect_column()."),
				 errhint("Protect a column with pactoria.protect_column(), which creates the trigger.")));

	entry = (ProtectedRelation *) pactoria_relation_cache_entry(&protected_relations, "pactoria protected relations",
																sizeof(ProtectedRelation), relation_id, &found);
	if (found && entry->context != NULL)
		MemoryContextDelete(entry->context);
	entry->context = NULL;
	entry->cached.valid = false;
	entry->context = AllocSetContextCreate(CacheMemoryContext, "pactoria protected relation", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(entry->context);
	entry->column_count = (int) SPI_processed;
	entry->columns = palloc0(sizeof(ProtectedColumn) * entry->column_count);
	for (int i = 0; i < entry->column_count; i++)
	{
		ProtectedColumn *column = &entry->columns[i];
		char	   *column_tenant = SPI_getvalue(rows->vals[i], rows->tupdesc, 2);

		column->name = SPI_getvalue(rows->vals[i], rows->tupdesc, 1);
		column->binding = SPI_getvalue(rows->vals[i], rows->tupdesc, 3);
		if (column->name == NULL || column_tenant == NULL || column->binding == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("a row of pactoria.protected_columns has no column, tenant column or binding")));
		column->binding_len = strlen(column->binding);
		if (column->binding_len < 1 || column->binding_len > DATA_BINDING_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the binding of protected column \"%s\" has %zu bytes", column->name, column->binding_len)));
		if (tenant_column == NULL)
			tenant_column = column_tenant;
		else if (strcmp(tenant_column, column_tenant) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the protected columns of table \"%s\" name different tenant columns",
							RelationGetRelationName(relation))));
		column->attribute_number = pactoria_column_of_type(relation, column->name, BYTEAOID, false);
	}
	entry->tenant_attribute = pactoria_column_of_type(relation, tenant_column, UUIDOID, true);
	MemoryContextSwitchTo(old);
	SPI_finish();

	entry->registry_generation = generation;
	/* Valid unless invalidated while being built; then used once, rebuilt next time. */
	entry->cached.valid = (protected_relations.invalidations == invalidations_before);
	return entry;
}

/*
 * The value to store for a value of a protected column (bound to binding)
 * of the company: NULL when the value is to stay as it is (a ciphertext of
 * the column; with CURRENT_KEY, only one under the current key), else a new
 * ciphertext under the current key.  column_name is for messages.
 */
static bytea *
protect_datum(const pg_uuid_t *company_id, const char *binding, size_t binding_len, bytea *value,
			  ProtectMode mode, const char *column_name)
{
	const char *data = VARDATA_ANY(value);
	size_t		length = VARSIZE_ANY_EXHDR(value);
	SealParts	parts;
	uint32		key_number;
	text	   *clear;

	clear = pactoria_decrypt_value(company_id, binding, binding_len, data, length, &key_number);
	if (clear != NULL)
	{
		bytea	   *fresh = NULL;

		if (mode == CURRENT_KEY && key_number != pactoria_current_key_number(company_id))
			fresh = pactoria_encrypt_value(company_id, binding, binding_len, VARDATA(clear), VARSIZE(clear) - VARHDRSZ);
		explicit_bzero(VARDATA(clear), VARSIZE(clear) - VARHDRSZ);
		pfree(clear);
		return fresh;
	}
	if (data_cipher_parse((const uint8 *) data, length, &parts, &key_number))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("value of protected column \"%s\" is a ciphertext that does not decrypt here", column_name),
				 errdetail("It was altered, or encrypted for another company or another column."),
				 errhint("Write the clear value; a clear value may not begin with byte 0x02 followed by a ciphertext's length.")));
	if (length > DATA_VALUE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("value of protected column \"%s\" has %zu bytes, more than the %d that can be encrypted",
						column_name, length, DATA_VALUE_MAX)));
	if (!pg_verifymbstr(data, (int) length, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("value of protected column \"%s\" is not text in encoding \"%s\"",
						column_name, GetDatabaseEncodingName()),
				 errdetail("A protected column holds text, encrypted; its clear value is read back as text."),
				 errhint("Write the text converted with convert_to(value, '%s').", GetDatabaseEncodingName())));
	return pactoria_encrypt_value(company_id, binding, binding_len, data, length);
}

PG_FUNCTION_INFO_V1(pactoria_protect_values);

/*
 * pactoria.protect_values(): BEFORE INSERT OR UPDATE row trigger of a table
 * with protected columns (made by protect_column()): encrypts each clear
 * value written to a protected column.
 */
Datum
pactoria_protect_values(PG_FUNCTION_ARGS)
{
	TriggerData *trigger_data = pactoria_trigger(fcinfo, "protect_values",
												 PACTORIA_BEFORE | PACTORIA_ROW | PACTORIA_INSERT | PACTORIA_UPDATE);
	Relation	relation = trigger_data->tg_relation;
	TupleDesc	descriptor = RelationGetDescr(relation);
	bool		is_update = TRIGGER_FIRED_BY_UPDATE(trigger_data->tg_event);
	HeapTuple	tuple = is_update ? trigger_data->tg_newtuple : trigger_data->tg_trigtuple;
	ProtectedRelation *entry = protected_relation(relation);
	int		   *changed_columns;
	Datum	   *changed_values;
	bool	   *changed_nulls;
	int			changed = 0;
	bool		tenant_checked = false;
	pg_uuid_t	company_id;

	changed_columns = palloc(sizeof(int) * entry->column_count);
	changed_values = palloc(sizeof(Datum) * entry->column_count);
	changed_nulls = palloc0(sizeof(bool) * entry->column_count);
	for (int i = 0; i < entry->column_count; i++)
	{
		ProtectedColumn *column = &entry->columns[i];
		bool		is_null;
		Datum		value = heap_getattr(tuple, column->attribute_number, descriptor, &is_null);
		bytea	   *stored;

		if (is_null)
			continue;
		if (is_update)
		{
			bool		old_null;
			Datum		old_value = heap_getattr(trigger_data->tg_trigtuple, column->attribute_number,
												 descriptor, &old_null);

			if (!old_null && pactoria_datum_image_equal(value, old_value, false, -1))
				continue;
		}
		if (!tenant_checked)
		{
			bool		tenant_null;
			Datum		tenant = heap_getattr(tuple, entry->tenant_attribute, descriptor, &tenant_null);

			if (tenant_null)
				ereport(ERROR,
						(errcode(ERRCODE_NOT_NULL_VIOLATION),
						 errmsg("a row of \"%s\" with a value in protected column \"%s\" needs a tenant",
								RelationGetRelationName(relation), column->name),
						 errdetail("A protected value is encrypted under its row's company.")));
			company_id = *DatumGetUUIDP(tenant);
			pactoria_check_row_tenant(&company_id, "a protected value");
			tenant_checked = true;
		}
		stored = protect_datum(&company_id, column->binding, column->binding_len,
							   DatumGetByteaPP(value), KEEP_CIPHERTEXT, column->name);
		if (stored != NULL)
		{
			changed_columns[changed] = column->attribute_number;
			changed_values[changed] = PointerGetDatum(stored);
			changed++;
		}
	}
	if (changed > 0)
		tuple = heap_modify_tuple_by_cols(tuple, descriptor, changed, changed_columns, changed_values, changed_nulls);
	return PointerGetDatum(tuple);
}

PG_FUNCTION_INFO_V1(pactoria_protect_value);

/*
 * pactoria.protect_value(company_id uuid, value bytea, binding text) -> bytea:
 * the value as a protected column stores it, under the company's current
 * key (a ciphertext under an older key is encrypted afresh).  For the
 * owner's conversion of a column and re-encryption; a role that is not
 * trusted only for the company in context.
 */
Datum
pactoria_protect_value(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *company_id;
	bytea	   *value;
	text	   *binding;
	size_t		binding_len;
	char	   *binding_string;
	bytea	   *stored;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("binding must not be null")));
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a protected value needs a company"),
				 errdetail("A protected value is encrypted under its row's company, and this row has none.")));
	company_id = PG_GETARG_UUID_P(0);
	value = PG_GETARG_BYTEA_PP(1);
	binding = PG_GETARG_TEXT_PP(2);
	binding_len = VARSIZE_ANY_EXHDR(binding);
	if (binding_len < 1 || binding_len > DATA_BINDING_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a binding has 1 to %d bytes, not %zu", DATA_BINDING_MAX, binding_len)));
	pactoria_check_row_tenant(company_id, "a protected value");
	binding_string = text_to_cstring(binding);
	stored = protect_datum(company_id, binding_string, binding_len, value, CURRENT_KEY, binding_string);
	PG_RETURN_BYTEA_P(stored != NULL ? stored : PG_GETARG_BYTEA_P_COPY(1));
}

PG_FUNCTION_INFO_V1(pactoria_protected_columns_changed);

/*
 * pactoria.protected_columns_changed(): AFTER statement trigger of
 * protected_columns.  Invalidates its relcache entry, so every backend
 * reads the registry again at its next protected write.
 */
Datum
pactoria_protected_columns_changed(PG_FUNCTION_ARGS)
{
	return pactoria_tracked_table_changed(fcinfo, "protected_columns_changed", "protected_columns");
}
