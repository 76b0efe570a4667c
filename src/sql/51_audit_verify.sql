------------------------------------------------------------------------------------
-- Verification of the audit trail (also restated by the 0.1.0 -> 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- One query per company, so one snapshot per company: its entries committed
-- meanwhile are seen whole or not at all.  jit is off: compiling its many
-- expressions costs more than running them.  PL/pgSQL, not SQL: Citus cannot
-- plan a SQL function's query with parameters; here they are bound values, and
-- every table's condition names the company, so Citus runs the query whole on
-- the node of the company's shards.
CREATE OR REPLACE FUNCTION pactoria.verify_audit_log(company_id uuid DEFAULT NULL, from_time timestamptz DEFAULT NULL,
										  to_time timestamptz DEFAULT NULL)
RETURNS TABLE (company uuid, problem text, entry_id uuid, occurred_at timestamptz,
			   chain_sequence bigint, chain_position integer, detail text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pactoria, pg_temp
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
	checked_company uuid;
BEGIN
	FOR checked_company IN
		SELECT verify_audit_log.company_id WHERE verify_audit_log.company_id IS NOT NULL
		UNION ALL
		(SELECT k.company_id FROM (SELECT h.company_id FROM pactoria.audit_chain_heads AS h
								   UNION SELECT a.company_id FROM pactoria.audit_logs AS a) AS k
		 WHERE verify_audit_log.company_id IS NULL)
		ORDER BY 1
	LOOP
		RETURN QUERY
		WITH entries AS (
			SELECT a.company_id, a.id, a.occurred_at, a.transaction_id, a.event_type, a.chain_sequence,
				   a.chain_previous_hash, a.chain_position, a.chain_hash, a.entry,
				   lag(a.chain_position) OVER segment AS previous_position,
				   lag(a.event_type) OVER segment AS previous_event_type,
				   count(a.chain_sequence) OVER (PARTITION BY a.company_id, a.occurred_at, a.transaction_id) AS seal_count,
				   pactoria.audit_chain_hash(CASE WHEN a.chain_position > 1 AND octet_length(lag(a.chain_hash) OVER segment) = 32
												  THEN lag(a.chain_hash) OVER segment END, a.entry) AS expected_hash
			FROM (SELECT a.*,
						 -- the row as pactoria.audit_logs, also on a Citus shard (whose rows
						 -- are of the shard's own type); the columns in the table's order
						 ROW(a.company_id, a.id, a.occurred_at, a.event_type, a.resource_type, a.resource_id, a.contract_id,
							 a.user_id, a.ip_address, a.user_agent, a.session_id, a.old_values, a.new_values, a.changed_columns,
							 a.additional_data, a.transaction_id, a.chain_previous_hash, a.chain_sequence, a.chain_position, a.chain_hash)::pactoria.audit_logs AS entry
				  FROM pactoria.audit_logs AS a) AS a
			WHERE a.company_id = checked_company
			  AND (verify_audit_log.from_time IS NULL OR a.occurred_at >= verify_audit_log.from_time)
			  AND (verify_audit_log.to_time IS NULL OR a.occurred_at < verify_audit_log.to_time)
			WINDOW segment AS (PARTITION BY a.company_id, a.occurred_at, a.transaction_id
							   ORDER BY a.chain_position, a.id)
		),
		entry_problems AS (
			SELECT e.company_id, e.id, e.occurred_at, e.chain_sequence, e.chain_position,
				   CASE
					   WHEN e.previous_position = e.chain_position OR e.previous_event_type = 'commit' THEN 'inserted'
					   WHEN e.chain_position <> coalesce(e.previous_position, 0) + 1 THEN 'deleted'
					   WHEN e.seal_count = 0 AND e.previous_position IS NULL THEN 'unsealed'
					   WHEN e.expected_hash <> e.chain_hash THEN
						   CASE WHEN EXISTS (SELECT 1 FROM entries AS other
											 WHERE other.company_id = e.company_id AND other.occurred_at = e.occurred_at
											   AND other.transaction_id = e.transaction_id AND other.id <> e.id
											   AND octet_length(other.chain_hash) = 32
											   AND pactoria.audit_chain_hash(other.chain_hash, e.entry) = e.chain_hash)
								THEN 'reordered' ELSE 'modified' END
				   END AS problem,
				   CASE
					   WHEN e.previous_position = e.chain_position
						   THEN format('two entries of transaction %s have position %s', e.transaction_id, e.chain_position)
					   WHEN e.previous_event_type = 'commit'
						   THEN format('entry at position %s of transaction %s follows its commit entry', e.chain_position, e.transaction_id)
					   WHEN e.chain_position <> coalesce(e.previous_position, 0) + 1
						   THEN format('entries %s to %s of transaction %s are missing', coalesce(e.previous_position, 0) + 1,
									   e.chain_position - 1, e.transaction_id)
					   WHEN e.seal_count = 0
						   THEN format('entries of transaction %s have no commit entry', e.transaction_id)
					   ELSE format('entry at position %s of transaction %s does not match its chain hash', e.chain_position, e.transaction_id)
				   END AS detail
			FROM entries AS e
		),
		seals AS (
			SELECT e.company_id, e.id, e.occurred_at, e.chain_sequence, e.chain_position, e.chain_previous_hash,
				   lag(e.chain_sequence) OVER by_sequence AS previous_sequence,
				   lag(e.chain_hash) OVER by_sequence AS previous_hash,
				   count(*) OVER (PARTITION BY e.company_id, e.chain_sequence) AS same_sequence
			FROM entries AS e
			WHERE e.chain_sequence IS NOT NULL
			WINDOW by_sequence AS (PARTITION BY e.company_id ORDER BY e.chain_sequence, e.id)
		),
		seal_links AS (
			SELECT s.*,
				   CASE
					   WHEN s.chain_sequence = 1 THEN '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
					   WHEN s.previous_sequence = s.chain_sequence - 1 THEN s.previous_hash
					   ELSE coalesce((SELECT p.chain_hash FROM pactoria.audit_logs AS p
									  WHERE p.company_id = checked_company AND p.chain_sequence = s.chain_sequence - 1
									  ORDER BY p.id LIMIT 1),
									 (SELECT c.last_chain_hash FROM pactoria.audit_checkpoints AS c
									  WHERE c.company_id = checked_company AND c.last_sequence = s.chain_sequence - 1))
				   END AS predecessor_hash
			FROM seals AS s
		),
		seal_problems AS (
			SELECT l.company_id, l.id, l.occurred_at, l.chain_sequence, l.chain_position,
				   CASE
					   WHEN l.same_sequence > 1 THEN 'inserted'
					   WHEN l.predecessor_hash IS NULL THEN 'deleted'
					   WHEN l.predecessor_hash <> l.chain_previous_hash THEN
						   CASE WHEN EXISTS (SELECT 1 FROM pactoria.audit_logs AS other
											 WHERE other.company_id = checked_company AND other.chain_sequence IS NOT NULL
											   AND other.id <> l.id AND other.chain_hash = l.chain_previous_hash)
								THEN 'reordered' ELSE 'modified' END
				   END AS problem,
				   CASE
					   WHEN l.same_sequence > 1 THEN format('%s commit entries have chain sequence %s', l.same_sequence, l.chain_sequence)
					   WHEN l.predecessor_hash IS NULL
						   THEN format('commit entry %s is missing (no entry and no checkpoint)', l.chain_sequence - 1)
					   ELSE format('commit entry %s does not link to commit entry %s', l.chain_sequence, l.chain_sequence - 1)
				   END AS detail
			FROM seal_links AS l
		),
		head_problems AS (
			SELECT h.company_id, h.entry_id AS id, h.occurred_at, h.chain_sequence, NULL::integer AS chain_position,
				   CASE
					   WHEN latest.chain_sequence > h.chain_sequence THEN 'inserted'
					   WHEN at_head.chain_hash IS NULL THEN 'deleted'
					   WHEN at_head.chain_hash <> h.chain_hash THEN 'modified'
				   END AS problem,
				   CASE
					   WHEN latest.chain_sequence > h.chain_sequence
						   THEN format('commit entries up to %s follow the chain head %s', latest.chain_sequence, h.chain_sequence)
					   WHEN at_head.chain_hash IS NULL
						   THEN format('the chain head, commit entry %s, is missing', h.chain_sequence)
					   ELSE format('the chain head, commit entry %s, does not match its recorded hash', h.chain_sequence)
				   END AS detail
			FROM pactoria.audit_chain_heads AS h
			CROSS JOIN LATERAL (SELECT max(a.chain_sequence) AS chain_sequence FROM pactoria.audit_logs AS a
								WHERE a.company_id = checked_company AND a.chain_sequence IS NOT NULL) AS latest
			CROSS JOIN LATERAL (SELECT coalesce((SELECT a.chain_hash FROM pactoria.audit_logs AS a
												 WHERE a.company_id = checked_company AND a.chain_sequence = h.chain_sequence
												 ORDER BY a.id LIMIT 1),
												(SELECT c.last_chain_hash FROM pactoria.audit_checkpoints AS c
												 WHERE c.company_id = checked_company AND c.last_sequence = h.chain_sequence))
									AS chain_hash) AS at_head
			WHERE verify_audit_log.to_time IS NULL
			  AND h.company_id = checked_company
		),
		headless AS (
			SELECT e.company_id, e.id, e.occurred_at, e.chain_sequence, e.chain_position, 'deleted' AS problem,
				   'the company has commit entries but no chain head' AS detail
			FROM entries AS e
			WHERE verify_audit_log.to_time IS NULL AND e.chain_sequence IS NOT NULL
			  AND NOT EXISTS (SELECT 1 FROM pactoria.audit_chain_heads AS h WHERE h.company_id = checked_company)
		),
		problems AS (
			SELECT * FROM entry_problems WHERE problem IS NOT NULL
			UNION ALL
			SELECT * FROM seal_problems WHERE problem IS NOT NULL
			UNION ALL
			SELECT * FROM head_problems WHERE problem IS NOT NULL
			UNION ALL
			SELECT * FROM headless
		),
		resolved AS (
			-- Entries no commit entry covers: their seal was deleted when the chain
			-- misses one, otherwise they were inserted.
			SELECT p.company_id, p.id, p.occurred_at, p.chain_sequence, p.chain_position, p.detail,
				   CASE WHEN p.problem <> 'unsealed' THEN p.problem
						WHEN EXISTS (SELECT 1 FROM problems AS q
									 WHERE q.company_id = p.company_id AND q.problem = 'deleted') THEN 'deleted'
						ELSE 'inserted' END AS problem
			FROM problems AS p
		)
		SELECT DISTINCT ON (r.company_id) r.company_id, r.problem, r.id, r.occurred_at, r.chain_sequence,
			   r.chain_position, r.detail
		FROM resolved AS r
		ORDER BY r.company_id, r.occurred_at, r.chain_position NULLS LAST, r.chain_sequence NULLS LAST;
	END LOOP;
END
$$;

COMMENT ON FUNCTION pactoria.verify_audit_log(uuid, timestamptz, timestamptz) IS
'Checks the audit hash chain of one company (default all visible) between two times (default all): no rows when intact, else one row per company naming its first broken entry and whether it was modified, deleted, inserted or reordered.';
