-- pactoria.diff_text(old_text, new_text): line diff computed in C.
-- Rows: (line_number_from, line_number_to, operation, line), in document order.

-- Declared as it behaves: a pure function of its arguments, NULL in, no rows out.
SELECT provolatile, proisstrict, proparallel, proretset
FROM pg_proc WHERE oid = 'pactoria.diff_text(text, text)'::regprocedure;

-- Empty texts have no lines.
SELECT * FROM pactoria.diff_text('', '');
SELECT * FROM pactoria.diff_text('', E'first\nsecond');
SELECT * FROM pactoria.diff_text(E'first\nsecond\n', '');

-- NULL: no rows (STRICT).
SELECT count(*) FROM pactoria.diff_text(NULL, 'a');
SELECT count(*) FROM pactoria.diff_text('a', NULL);

-- Identical texts: every line unchanged, both line numbers.
SELECT * FROM pactoria.diff_text(E'1. Parties\n2. Term\n3. Fees', E'1. Parties\n2. Term\n3. Fees');

-- A changed line: removed, then added, in place.
SELECT * FROM pactoria.diff_text(E'1. Parties\n2. Term: 12 months\n3. Fees',
								 E'1. Parties\n2. Term: 24 months\n3. Fees');

-- Insertions and deletions at the start, middle and end.
SELECT * FROM pactoria.diff_text(E'b\nc\nd\ne', E'a\nb\nd\ne\nf');

-- A changed stretch lists all its removed lines before its added lines.
SELECT * FROM pactoria.diff_text(E'keep\nold 1\nold 2\nkeep too', E'keep\nnew 1\nnew 2\nnew 3\nkeep too');

-- A moved clause: the diff is shortest, so one side of the move is kept.
SELECT * FROM pactoria.diff_text(E'A\nB\nC\nD', E'B\nC\nD\nA');

-- Repeated lines pair up in order.
SELECT * FROM pactoria.diff_text(E'x\n\nx\n\nx', E'x\n\nx');

-- Line endings: \r\n and \n end a line alike, and a final line ending makes no
-- extra line, so these differ in no line.
SELECT * FROM pactoria.diff_text(E'one\r\ntwo\r\n', E'one\ntwo');
SELECT * FROM pactoria.diff_text(E'one\ntwo', E'one\ntwo\n');
-- But an empty last line is a line, and a lone \r is part of the line.
SELECT * FROM pactoria.diff_text(E'one\n', E'one\n\n');
SELECT line_number_from, line_number_to, operation, replace(line, E'\r', '<CR>') AS line
FROM pactoria.diff_text(E'one\rtwo', E'one\ntwo');
-- Whitespace is content.
SELECT * FROM pactoria.diff_text('Fees ', 'Fees');

-- Non-ASCII text: lines are compared byte for byte (UTF-8).
SELECT * FROM pactoria.diff_text(E'Café Ltd\nFee: £100\nZürich office\n日本語の条項',
								 E'Café Ltd\nFee: €100\nZürich office\n日本語の条項');

-- Very long lines: a 1,000,000-character line differing in its last character.
SELECT line_number_from, line_number_to, operation, length(line) AS line_length, right(line, 3) AS line_end
FROM pactoria.diff_text(repeat('x', 1000000) || E'\nend', repeat('x', 999999) || E'y\nend');

-- Many lines: 100,000 lines with one changed.
SELECT operation, count(*), min(coalesce(line_number_from, line_number_to)) AS first_line
FROM pactoria.diff_text((SELECT string_agg(g::text, E'\n') FROM generate_series(1, 100000) AS g),
						(SELECT string_agg(CASE WHEN g = 50000 THEN 'changed' ELSE g::text END, E'\n')
						 FROM generate_series(1, 100000) AS g))
GROUP BY operation ORDER BY operation;

-- The diff is exact and shortest: on 200 pairs of texts of 0 to 30 short lines
-- drawn from a small alphabet, the unchanged and removed lines are the old text,
-- the unchanged and added lines are the new text, line numbers run 1..N on each
-- side, an unchanged row names equal lines, and the unchanged lines are as many
-- as in a longest common subsequence (dynamic programming, below).
CREATE FUNCTION pg_temp.lcs_length(old_text text, new_text text)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	a text[] := string_to_array(old_text, E'\n');
	b text[] := string_to_array(new_text, E'\n');
	n integer := coalesce(array_length(a, 1), 0);
	m integer := coalesce(array_length(b, 1), 0);
	previous integer[] := array_fill(0, ARRAY[m + 1], ARRAY[0]);
	current integer[];
BEGIN
	FOR i IN 1..n LOOP
		current := array_fill(0, ARRAY[m + 1], ARRAY[0]);
		FOR j IN 1..m LOOP
			current[j] := CASE WHEN a[i] = b[j] THEN previous[j - 1] + 1
							   ELSE greatest(previous[j], current[j - 1]) END;
		END LOOP;
		previous := current;
	END LOOP;
	RETURN previous[m];
END
$$;

CREATE TEMPORARY TABLE diff_cases AS
SELECT c AS case_number,
	   (SELECT coalesce(string_agg(chr(97 + (hashint4(c * 1000 + g) & 3)), E'\n' ORDER BY g), '')
		FROM generate_series(1, abs(hashint4(c)) % 31) AS g) AS old_text,
	   (SELECT coalesce(string_agg(chr(97 + (hashint4(-c * 1000 - g) & 3)), E'\n' ORDER BY g), '')
		FROM generate_series(1, abs(hashint4(-c)) % 31) AS g) AS new_text
FROM generate_series(1, 200) AS c;

WITH diffs AS (
	SELECT dc.case_number, d.*
	FROM diff_cases AS dc,
		 pactoria.diff_text(dc.old_text, dc.new_text)
			WITH ORDINALITY AS d(line_number_from, line_number_to, operation, line, position)
), checks AS (
	SELECT dc.case_number,
		   coalesce((SELECT string_agg(line, E'\n' ORDER BY position) FROM diffs AS d
					 WHERE d.case_number = dc.case_number AND operation <> 'added'), '') = dc.old_text AS old_rebuilt,
		   coalesce((SELECT string_agg(line, E'\n' ORDER BY position) FROM diffs AS d
					 WHERE d.case_number = dc.case_number AND operation <> 'removed'), '') = dc.new_text AS new_rebuilt,
		   coalesce((SELECT bool_and(line_number_from = rank) FROM
					  (SELECT line_number_from, row_number() OVER (ORDER BY position) AS rank FROM diffs AS d
					   WHERE d.case_number = dc.case_number AND operation <> 'added') AS o), true) AS old_numbers,
		   coalesce((SELECT bool_and(line_number_to = rank) FROM
					  (SELECT line_number_to, row_number() OVER (ORDER BY position) AS rank FROM diffs AS d
					   WHERE d.case_number = dc.case_number AND operation <> 'removed') AS n), true) AS new_numbers,
		   coalesce((SELECT bool_and(line_number_from IS NOT NULL AND line_number_to IS NOT NULL) FROM diffs AS d
					 WHERE d.case_number = dc.case_number AND operation = 'unchanged'), true) AS unchanged_numbered,
		   (SELECT count(*) FROM diffs AS d WHERE d.case_number = dc.case_number AND operation = 'unchanged')
			= pg_temp.lcs_length(dc.old_text, dc.new_text) AS shortest
	FROM diff_cases AS dc
)
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE old_rebuilt AND new_rebuilt AND old_numbers AND new_numbers AND unchanged_numbered) AS exact,
	   count(*) FILTER (WHERE shortest) AS shortest
FROM checks;

-- Wrong argument types are not guessed.
SELECT * FROM pactoria.diff_text(1, 2);
