
------------------------------------------------------------------------------------
-- log_event_of(): log_event() for a named company (also made by the 0.1.0 -> 0.2.0
-- upgrade).
------------------------------------------------------------------------------------
-- On a Citus coordinator, log_event() calls it with the tenant in context, and
-- Citus runs the call on the node of the company's shard of audit_logs
-- (distribute_tables() makes it a distributed function with force_delegation,
-- colocated with audit_logs by company_id): over the caller's own connection to
-- that node, so that an event follows the caller's writes of the same transaction.
-- The company must be the tenant in context; anything else is refused (42501), so
-- it gives no one more than log_event() does, and is executable by everyone as
-- log_event() is.
CREATE FUNCTION pactoria.log_event_of(company_id uuid, event_type text, resource_type text,
									  resource_id uuid DEFAULT NULL, data jsonb DEFAULT NULL)
RETURNS uuid
AS 'MODULE_PATHNAME', 'pactoria_log_event_of'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION pactoria.log_event_of(uuid, text, text, uuid, jsonb) IS
'pactoria.log_event() for the company named, which must be the tenant in context (42501 otherwise); what log_event() calls on a Citus coordinator, for Citus to run it on the node of the company''s audit shard. Returns the entry''s id.';
