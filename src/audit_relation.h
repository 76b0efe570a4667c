/*
 * audit_relation.h
 *		What the audit trigger knows of a table it fires on, cached per
 *		backend (audit_relation.c): the logged columns, how each becomes
 *		jsonb, which are redacted, the tenant, id and contract columns.
 */
#ifndef PACTORIA_AUDIT_RELATION_H
#define PACTORIA_AUDIT_RELATION_H

#include "fmgr.h"
#include "utils/relcache.h"

#include "trigger_guard.h"

#define REDACTED_VALUE "[redacted]"
#define ERASED_VALUE "[erased]"
/* The key of an encrypted personal value's object in old_values / new_values. */
#define PERSONAL_KEY "$personal"

/* How a column's value becomes jsonb (the categories of to_jsonb). */
typedef enum ValueKind
{
	VALUE_TEXT,					/* text, varchar, char: its characters */
	VALUE_BOOL,
	VALUE_INTEGER,				/* int2, int4, int8: a number */
	VALUE_NUMERIC,				/* a number; NaN and infinities as strings */
	VALUE_FLOAT,				/* output text, a number when it is one */
	VALUE_DATETIME,				/* date, timestamp, timestamptz: ISO 8601 */
	VALUE_JSONB,				/* embedded as is */
	VALUE_OUTPUT,				/* the type's output text, as a string */
	VALUE_TO_JSONB				/* arrays, composites, json, types cast to json */
} ValueKind;

typedef struct AuditedColumn
{
	AttrNumber	attribute_number;
	char	   *name;
	Oid			type_id;		/* the base type, through domains */
	ValueKind	kind;
	bool		redacted;
	bool		personal;		/* encrypted under the key of the row's person */
	char	   *binding;		/* a personal column's: resource_type.column */
	FmgrInfo	function;		/* output function, or to_jsonb for VALUE_TO_JSONB */
} AuditedColumn;

typedef struct AuditedRelation
{
	PactoriaCachedRelation cached;	/* first: the cache's key and mark */
	MemoryContext context;		/* everything below */
	char	   *tenant_column;	/* the trigger argument it was built for */
	char	   *resource_type;
	AttrNumber	tenant_attribute;
	AttrNumber	id_attribute;
	AttrNumber	contract_attribute; /* 0: none */
	AttrNumber	person_attribute;	/* whom the row is about (users: id, else user_id); 0: none */
	bool		id_is_contract; /* the table is pactoria.contracts */
	int			column_count;	/* logged columns, in table order */
	AuditedColumn *columns;
	int		   *key_order;		/* the same in jsonb's key order, so its sort finds them sorted */
} AuditedRelation;

/*
 * The cache entry of the trigger's table, built when missing or stale (after
 * an ALTER of the table, or a change of the audit settings in system_config).
 */
extern AuditedRelation *audited_relation(Relation relation, const char *tenant_column);

#endif							/* PACTORIA_AUDIT_RELATION_H */
