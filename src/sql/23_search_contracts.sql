
------------------------------------------------------------------------------------
-- search_contracts (also restated by the 0.1.0 -> 0.2.0 upgrade).
------------------------------------------------------------------------------------
-- A SECURITY DEFINER function with the tenant filter written out, not under row-level
-- security: a policy's quals are evaluated before any non-leakproof qual, and @@
-- and <% are not leakproof, so under the policy the planner cannot use the GIN
-- indexes of search_vector and title with the company index (no BitmapAnd); it
-- scans the company's rows and tests each.  The filter is the tenant in context,
-- as the policy's; without one the search finds nothing, as under the policy.
-- Not executable by PUBLIC: grant_application_access() grants it.
--
-- Full-text search over title, parties and content (english), plus trigram matching
-- of titles so that a typo in a title still finds the contract.  Both branches use
-- their GIN index together with the company index.
CREATE OR REPLACE FUNCTION pactoria.search_contracts(query text, max_results integer DEFAULT 20)
RETURNS TABLE (id uuid, title text, rank real, snippet text)
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	text_query tsquery;
	company uuid := pactoria.current_company_id();
	threshold_before text := pg_catalog.current_setting('pg_trgm.word_similarity_threshold', true);
BEGIN
	IF length(btrim(query)) = 0 THEN
		RAISE EXCEPTION 'search query must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(query) > 1000 THEN
		RAISE EXCEPTION 'search query is too long (% characters)', length(query)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A search query may have at most 1000 characters.';
	END IF;
	IF max_results NOT BETWEEN 1 AND 1000 THEN
		RAISE EXCEPTION 'max_results must be between 1 and 1000, not %', max_results
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF company IS NULL THEN
		RETURN;
	END IF;

	text_query := websearch_to_tsquery('pg_catalog.english', query);
	-- pg_trgm's default (0.6) misses titles with a typo in several words; 0.45 still
	-- keeps unrelated titles out (a match ranks at half its word similarity).  A SET
	-- LOCAL statement, not a SET clause of the function: on Citus the scans run on
	-- the workers, and Citus forwards a SET LOCAL to them (as the tenant context),
	-- never a function's settings.  The caller's value is put back after the query
	-- (an error rolls back both).  So the function is VOLATILE and PARALLEL UNSAFE.
	SET LOCAL pg_trgm.word_similarity_threshold = 0.45;
	RETURN QUERY
	WITH matches AS (
		SELECT c.company_id, c.id, ts_rank_cd(c.search_vector, text_query) AS rank
		FROM pactoria.contracts AS c
		WHERE c.company_id OPERATOR(pg_catalog.=) company AND c.search_vector @@ text_query
		UNION ALL
		SELECT c.company_id, c.id, word_similarity(query, c.title) * 0.5
		FROM pactoria.contracts AS c
		WHERE c.company_id OPERATOR(pg_catalog.=) company AND query <% c.title
	), best AS (
		SELECT m.company_id, m.id, max(m.rank) AS rank
		FROM matches AS m
		GROUP BY m.company_id, m.id
		ORDER BY max(m.rank) DESC, m.id
		LIMIT max_results
	)
	SELECT c.id, c.title, b.rank::real,
		   ts_headline('pg_catalog.english',
					   left(coalesce(c.final_content, c.generated_content, c.plain_english_input, c.title), 100000),
					   CASE WHEN numnode(text_query) > 0 THEN text_query
							ELSE plainto_tsquery('pg_catalog.english', c.title) END,
					   'MaxWords=25, MinWords=10, MaxFragments=1, StartSel=[, StopSel=]')
	FROM best AS b
	-- the company itself, not b.company_id: on Citus every scan of contracts then
	-- names the tenant, and the whole query goes to its one shard (with b.company_id
	-- the join went to all 32)
	JOIN pactoria.contracts AS c ON c.company_id OPERATOR(pg_catalog.=) company AND c.id OPERATOR(pg_catalog.=) b.id
	ORDER BY b.rank DESC, c.id;
	IF threshold_before IS NULL THEN
		SET LOCAL pg_trgm.word_similarity_threshold TO DEFAULT;
	ELSE
		EXECUTE pg_catalog.format('SET LOCAL pg_trgm.word_similarity_threshold = %L', threshold_before);
	END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.search_contracts(text, integer) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.search_contracts(text, integer) IS
'Contracts of the current tenant matching a web-search style query (full text, english) or, despite typos, its title (trigram word similarity); best first, with a highlighted snippet.';

-- search_contracts uses pg_trgm's <% and word_similarity(); pg_trgm may live in any
-- schema, so its schema joins the function's search_path, resolved here once.
DO $$
BEGIN
	EXECUTE format('ALTER FUNCTION pactoria.search_contracts(text, integer) SET search_path = pg_catalog, pactoria, %I, pg_temp',
				   (SELECT extnamespace::regnamespace::text FROM pg_catalog.pg_extension WHERE extname = 'pg_trgm'));
END
$$;
