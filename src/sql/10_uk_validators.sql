
-- 10_uk_validators.sql: UK company numbers, postcodes and VAT numbers.
--
-- Three base types, pactoria.uk_company_number, pactoria.uk_postcode and
-- pactoria.uk_vat_number: their input function normalises what the user typed
-- ('sw1a1aa' is stored as 'SW1A 1AA') and refuses an invalid value with SQLSTATE
-- 22023 naming the rule it breaks.  A value is a varlena holding the canonical
-- ASCII text, laid out exactly as text, so each type
--   * outputs and sends like text (textout, textsend),
--   * compares and hashes its bytes like bytea (byteacmp, hashvarlena ...): the
--     canonical forms are ASCII, so byte order is the natural order and needs no
--     collation,
--   * is binary-coercible to text, implicitly, so LIKE, || and every text
--     function work on it, and to_jsonb() gives the canonical string,
--   * is cast from text and varchar by its normalise function, on assignment,
--     so an INSERT or UPDATE of a text parameter normalises it or fails.
-- The functions validate_*(text) and normalise_*(text) run the same C rules.

-- Each type is written out in full, as contrib/citext does, so that every object can
-- be found by name: type pactoria.T (a shell first, then the type) with functions
-- T_in, T_out, T_recv, T_send; functions T_eq, T_ne, T_lt, T_le, T_gt, T_ge, T_cmp,
-- T_sortsupport, T_hash, T_hash_extended; operators = <> < <= > >= on (T, T); default
-- operator classes T_ops for btree and hash.  The three blocks differ only in the type
-- name and its noun in the input function's comment: a change to one is a change to all
-- three.

-- pactoria.uk_company_number: the shell type, its I/O functions, then the type itself.
CREATE TYPE pactoria.uk_company_number;
CREATE FUNCTION pactoria.uk_company_number_in(cstring) RETURNS pactoria.uk_company_number
AS 'MODULE_PATHNAME', 'pactoria_uk_company_number_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_company_number_in(cstring) IS
'Input function of pactoria.uk_company_number: normalises the UK company number typed, or raises 22023 naming the rule it breaks.';
CREATE FUNCTION pactoria.uk_company_number_out(pactoria.uk_company_number) RETURNS cstring
AS 'textout' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_company_number_out(pactoria.uk_company_number) IS
'Output function of pactoria.uk_company_number: the canonical form, as text.';
CREATE FUNCTION pactoria.uk_company_number_recv(internal) RETURNS pactoria.uk_company_number
AS 'MODULE_PATHNAME', 'pactoria_uk_company_number_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_company_number_recv(internal) IS
'Binary receive function of pactoria.uk_company_number: text''s binary form, normalised and checked like the text form.';
CREATE FUNCTION pactoria.uk_company_number_send(pactoria.uk_company_number) RETURNS bytea
AS 'textsend' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_company_number_send(pactoria.uk_company_number) IS
'Binary send function of pactoria.uk_company_number: text''s binary form.';
CREATE TYPE pactoria.uk_company_number (
	INPUT = pactoria.uk_company_number_in, OUTPUT = pactoria.uk_company_number_out,
	RECEIVE = pactoria.uk_company_number_recv, SEND = pactoria.uk_company_number_send,
	LIKE = pg_catalog.text, CATEGORY = 'S');

-- pactoria.uk_company_number: comparison functions and operators.
CREATE FUNCTION pactoria.uk_company_number_eq(pactoria.uk_company_number, pactoria.uk_company_number) RETURNS boolean
AS 'byteaeq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_company_number_eq(pactoria.uk_company_number, pactoria.uk_company_number) IS
'Operator = of pactoria.uk_company_number: is the first canonical form equal to the second, byte by byte?';
CREATE OPERATOR pactoria.= (
	LEFTARG = pactoria.uk_company_number, RIGHTARG = pactoria.uk_company_number,
	FUNCTION = pactoria.uk_company_number_eq,
	COMMUTATOR = OPERATOR(pactoria.=), NEGATOR = OPERATOR(pactoria.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES);
CREATE FUNCTION pactoria.uk_company_number_ne(pactoria.uk_company_number, pactoria.uk_company_number) RETURNS boolean
AS 'byteane' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_company_number_ne(pactoria.uk_company_number, pactoria.uk_company_number) IS
'Operator <> of pactoria.uk_company_number: is the first canonical form not equal to the second, byte by byte?';
CREATE OPERATOR pactoria.<> (
	LEFTARG = pactoria.uk_company_number, RIGHTARG = pactoria.uk_company_number,
	FUNCTION = pactoria.uk_company_number_ne,
	COMMUTATOR = OPERATOR(pactoria.<>), NEGATOR = OPERATOR(pactoria.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel);
CREATE FUNCTION pactoria.uk_company_number_lt(pactoria.uk_company_number, pactoria.uk_company_number) RETURNS boolean
AS 'bytealt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_company_number_lt(pactoria.uk_company_number, pactoria.uk_company_number) IS
'Operator < of pactoria.uk_company_number: is the first canonical form less than the second, byte by byte?';
CREATE OPERATOR pactoria.< (
	LEFTARG = pactoria.uk_company_number, RIGHTARG = pactoria.uk_company_number,
	FUNCTION = pactoria.uk_company_number_lt,
	COMMUTATOR = OPERATOR(pactoria.>), NEGATOR = OPERATOR(pactoria.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel);
CREATE FUNCTION pactoria.uk_company_number_le(pactoria.uk_company_number, pactoria.uk_company_number) RETURNS boolean
AS 'byteale' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_company_number_le(pactoria.uk_company_number, pactoria.uk_company_number) IS
'Operator <= of pactoria.uk_company_number: is the first canonical form less than or equal to the second, byte by byte?';
CREATE OPERATOR pactoria.<= (
	LEFTARG = pactoria.uk_company_number, RIGHTARG = pactoria.uk_company_number,
	FUNCTION = pactoria.uk_company_number_le,
	COMMUTATOR = OPERATOR(pactoria.>=), NEGATOR = OPERATOR(pactoria.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel);
CREATE FUNCTION pactoria.uk_company_number_gt(pactoria.uk_company_number, pactoria.uk_company_number) RETURNS boolean
AS 'byteagt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_company_number_gt(pactoria.uk_company_number, pactoria.uk_company_number) IS
'Operator > of pactoria.uk_company_number: is the first canonical form greater than the second, byte by byte?';
CREATE OPERATOR pactoria.> (
	LEFTARG = pactoria.uk_company_number, RIGHTARG = pactoria.uk_company_number,
	FUNCTION = pactoria.uk_company_number_gt,
	COMMUTATOR = OPERATOR(pactoria.<), NEGATOR = OPERATOR(pactoria.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel);
CREATE FUNCTION pactoria.uk_company_number_ge(pactoria.uk_company_number, pactoria.uk_company_number) RETURNS boolean
AS 'byteage' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_company_number_ge(pactoria.uk_company_number, pactoria.uk_company_number) IS
'Operator >= of pactoria.uk_company_number: is the first canonical form greater than or equal to the second, byte by byte?';
CREATE OPERATOR pactoria.>= (
	LEFTARG = pactoria.uk_company_number, RIGHTARG = pactoria.uk_company_number,
	FUNCTION = pactoria.uk_company_number_ge,
	COMMUTATOR = OPERATOR(pactoria.<=), NEGATOR = OPERATOR(pactoria.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel);

-- pactoria.uk_company_number: support functions and the default btree and hash operator classes.
CREATE FUNCTION pactoria.uk_company_number_cmp(pactoria.uk_company_number, pactoria.uk_company_number) RETURNS integer
AS 'byteacmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_company_number_cmp(pactoria.uk_company_number, pactoria.uk_company_number) IS
'B-tree comparison of pactoria.uk_company_number: -1, 0 or 1 as the canonical forms compare byte by byte.';
CREATE FUNCTION pactoria.uk_company_number_sortsupport(internal) RETURNS void
AS 'bytea_sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_company_number_sortsupport(internal) IS
'B-tree sort support of pactoria.uk_company_number: bytea''s, for fast sorts.';
CREATE FUNCTION pactoria.uk_company_number_hash(pactoria.uk_company_number) RETURNS integer
AS 'hashvarlena' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_company_number_hash(pactoria.uk_company_number) IS
'Hash of pactoria.uk_company_number: hash of the canonical bytes.';
CREATE FUNCTION pactoria.uk_company_number_hash_extended(pactoria.uk_company_number, bigint) RETURNS bigint
AS 'hashvarlenaextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_company_number_hash_extended(pactoria.uk_company_number, bigint) IS
'Seeded 64-bit hash of pactoria.uk_company_number: hash of the canonical bytes (hash partitioning).';
CREATE OPERATOR CLASS pactoria.uk_company_number_ops DEFAULT FOR TYPE pactoria.uk_company_number USING btree AS
	OPERATOR 1 pactoria.< (pactoria.uk_company_number, pactoria.uk_company_number),
	OPERATOR 2 pactoria.<= (pactoria.uk_company_number, pactoria.uk_company_number),
	OPERATOR 3 pactoria.= (pactoria.uk_company_number, pactoria.uk_company_number),
	OPERATOR 4 pactoria.>= (pactoria.uk_company_number, pactoria.uk_company_number),
	OPERATOR 5 pactoria.> (pactoria.uk_company_number, pactoria.uk_company_number),
	FUNCTION 1 pactoria.uk_company_number_cmp(pactoria.uk_company_number, pactoria.uk_company_number),
	FUNCTION 2 pactoria.uk_company_number_sortsupport(internal);
CREATE OPERATOR CLASS pactoria.uk_company_number_ops DEFAULT FOR TYPE pactoria.uk_company_number USING hash AS
	OPERATOR 1 pactoria.= (pactoria.uk_company_number, pactoria.uk_company_number),
	FUNCTION 1 pactoria.uk_company_number_hash(pactoria.uk_company_number),
	FUNCTION 2 pactoria.uk_company_number_hash_extended(pactoria.uk_company_number, bigint);

-- pactoria.uk_postcode: the shell type, its I/O functions, then the type itself.
CREATE TYPE pactoria.uk_postcode;
CREATE FUNCTION pactoria.uk_postcode_in(cstring) RETURNS pactoria.uk_postcode
AS 'MODULE_PATHNAME', 'pactoria_uk_postcode_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_postcode_in(cstring) IS
'Input function of pactoria.uk_postcode: normalises the UK postcode typed, or raises 22023 naming the rule it breaks.';
CREATE FUNCTION pactoria.uk_postcode_out(pactoria.uk_postcode) RETURNS cstring
AS 'textout' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_postcode_out(pactoria.uk_postcode) IS
'Output function of pactoria.uk_postcode: the canonical form, as text.';
CREATE FUNCTION pactoria.uk_postcode_recv(internal) RETURNS pactoria.uk_postcode
AS 'MODULE_PATHNAME', 'pactoria_uk_postcode_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_postcode_recv(internal) IS
'Binary receive function of pactoria.uk_postcode: text''s binary form, normalised and checked like the text form.';
CREATE FUNCTION pactoria.uk_postcode_send(pactoria.uk_postcode) RETURNS bytea
AS 'textsend' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_postcode_send(pactoria.uk_postcode) IS
'Binary send function of pactoria.uk_postcode: text''s binary form.';
CREATE TYPE pactoria.uk_postcode (
	INPUT = pactoria.uk_postcode_in, OUTPUT = pactoria.uk_postcode_out,
	RECEIVE = pactoria.uk_postcode_recv, SEND = pactoria.uk_postcode_send,
	LIKE = pg_catalog.text, CATEGORY = 'S');

-- pactoria.uk_postcode: comparison functions and operators.
CREATE FUNCTION pactoria.uk_postcode_eq(pactoria.uk_postcode, pactoria.uk_postcode) RETURNS boolean
AS 'byteaeq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_postcode_eq(pactoria.uk_postcode, pactoria.uk_postcode) IS
'Operator = of pactoria.uk_postcode: is the first canonical form equal to the second, byte by byte?';
CREATE OPERATOR pactoria.= (
	LEFTARG = pactoria.uk_postcode, RIGHTARG = pactoria.uk_postcode,
	FUNCTION = pactoria.uk_postcode_eq,
	COMMUTATOR = OPERATOR(pactoria.=), NEGATOR = OPERATOR(pactoria.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES);
CREATE FUNCTION pactoria.uk_postcode_ne(pactoria.uk_postcode, pactoria.uk_postcode) RETURNS boolean
AS 'byteane' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_postcode_ne(pactoria.uk_postcode, pactoria.uk_postcode) IS
'Operator <> of pactoria.uk_postcode: is the first canonical form not equal to the second, byte by byte?';
CREATE OPERATOR pactoria.<> (
	LEFTARG = pactoria.uk_postcode, RIGHTARG = pactoria.uk_postcode,
	FUNCTION = pactoria.uk_postcode_ne,
	COMMUTATOR = OPERATOR(pactoria.<>), NEGATOR = OPERATOR(pactoria.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel);
CREATE FUNCTION pactoria.uk_postcode_lt(pactoria.uk_postcode, pactoria.uk_postcode) RETURNS boolean
AS 'bytealt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_postcode_lt(pactoria.uk_postcode, pactoria.uk_postcode) IS
'Operator < of pactoria.uk_postcode: is the first canonical form less than the second, byte by byte?';
CREATE OPERATOR pactoria.< (
	LEFTARG = pactoria.uk_postcode, RIGHTARG = pactoria.uk_postcode,
	FUNCTION = pactoria.uk_postcode_lt,
	COMMUTATOR = OPERATOR(pactoria.>), NEGATOR = OPERATOR(pactoria.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel);
CREATE FUNCTION pactoria.uk_postcode_le(pactoria.uk_postcode, pactoria.uk_postcode) RETURNS boolean
AS 'byteale' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_postcode_le(pactoria.uk_postcode, pactoria.uk_postcode) IS
'Operator <= of pactoria.uk_postcode: is the first canonical form less than or equal to the second, byte by byte?';
CREATE OPERATOR pactoria.<= (
	LEFTARG = pactoria.uk_postcode, RIGHTARG = pactoria.uk_postcode,
	FUNCTION = pactoria.uk_postcode_le,
	COMMUTATOR = OPERATOR(pactoria.>=), NEGATOR = OPERATOR(pactoria.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel);
CREATE FUNCTION pactoria.uk_postcode_gt(pactoria.uk_postcode, pactoria.uk_postcode) RETURNS boolean
AS 'byteagt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_postcode_gt(pactoria.uk_postcode, pactoria.uk_postcode) IS
'Operator > of pactoria.uk_postcode: is the first canonical form greater than the second, byte by byte?';
CREATE OPERATOR pactoria.> (
	LEFTARG = pactoria.uk_postcode, RIGHTARG = pactoria.uk_postcode,
	FUNCTION = pactoria.uk_postcode_gt,
	COMMUTATOR = OPERATOR(pactoria.<), NEGATOR = OPERATOR(pactoria.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel);
CREATE FUNCTION pactoria.uk_postcode_ge(pactoria.uk_postcode, pactoria.uk_postcode) RETURNS boolean
AS 'byteage' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_postcode_ge(pactoria.uk_postcode, pactoria.uk_postcode) IS
'Operator >= of pactoria.uk_postcode: is the first canonical form greater than or equal to the second, byte by byte?';
CREATE OPERATOR pactoria.>= (
	LEFTARG = pactoria.uk_postcode, RIGHTARG = pactoria.uk_postcode,
	FUNCTION = pactoria.uk_postcode_ge,
	COMMUTATOR = OPERATOR(pactoria.<=), NEGATOR = OPERATOR(pactoria.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel);

-- pactoria.uk_postcode: support functions and the default btree and hash operator classes.
CREATE FUNCTION pactoria.uk_postcode_cmp(pactoria.uk_postcode, pactoria.uk_postcode) RETURNS integer
AS 'byteacmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_postcode_cmp(pactoria.uk_postcode, pactoria.uk_postcode) IS
'B-tree comparison of pactoria.uk_postcode: -1, 0 or 1 as the canonical forms compare byte by byte.';
CREATE FUNCTION pactoria.uk_postcode_sortsupport(internal) RETURNS void
AS 'bytea_sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_postcode_sortsupport(internal) IS
'B-tree sort support of pactoria.uk_postcode: bytea''s, for fast sorts.';
CREATE FUNCTION pactoria.uk_postcode_hash(pactoria.uk_postcode) RETURNS integer
AS 'hashvarlena' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_postcode_hash(pactoria.uk_postcode) IS
'Hash of pactoria.uk_postcode: hash of the canonical bytes.';
CREATE FUNCTION pactoria.uk_postcode_hash_extended(pactoria.uk_postcode, bigint) RETURNS bigint
AS 'hashvarlenaextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_postcode_hash_extended(pactoria.uk_postcode, bigint) IS
'Seeded 64-bit hash of pactoria.uk_postcode: hash of the canonical bytes (hash partitioning).';
CREATE OPERATOR CLASS pactoria.uk_postcode_ops DEFAULT FOR TYPE pactoria.uk_postcode USING btree AS
	OPERATOR 1 pactoria.< (pactoria.uk_postcode, pactoria.uk_postcode),
	OPERATOR 2 pactoria.<= (pactoria.uk_postcode, pactoria.uk_postcode),
	OPERATOR 3 pactoria.= (pactoria.uk_postcode, pactoria.uk_postcode),
	OPERATOR 4 pactoria.>= (pactoria.uk_postcode, pactoria.uk_postcode),
	OPERATOR 5 pactoria.> (pactoria.uk_postcode, pactoria.uk_postcode),
	FUNCTION 1 pactoria.uk_postcode_cmp(pactoria.uk_postcode, pactoria.uk_postcode),
	FUNCTION 2 pactoria.uk_postcode_sortsupport(internal);
CREATE OPERATOR CLASS pactoria.uk_postcode_ops DEFAULT FOR TYPE pactoria.uk_postcode USING hash AS
	OPERATOR 1 pactoria.= (pactoria.uk_postcode, pactoria.uk_postcode),
	FUNCTION 1 pactoria.uk_postcode_hash(pactoria.uk_postcode),
	FUNCTION 2 pactoria.uk_postcode_hash_extended(pactoria.uk_postcode, bigint);

-- pactoria.uk_vat_number: the shell type, its I/O functions, then the type itself.
CREATE TYPE pactoria.uk_vat_number;
CREATE FUNCTION pactoria.uk_vat_number_in(cstring) RETURNS pactoria.uk_vat_number
AS 'MODULE_PATHNAME', 'pactoria_uk_vat_number_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_vat_number_in(cstring) IS
'Input function of pactoria.uk_vat_number: normalises the UK VAT number typed, or raises 22023 naming the rule it breaks.';
CREATE FUNCTION pactoria.uk_vat_number_out(pactoria.uk_vat_number) RETURNS cstring
AS 'textout' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_vat_number_out(pactoria.uk_vat_number) IS
'Output function of pactoria.uk_vat_number: the canonical form, as text.';
CREATE FUNCTION pactoria.uk_vat_number_recv(internal) RETURNS pactoria.uk_vat_number
AS 'MODULE_PATHNAME', 'pactoria_uk_vat_number_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_vat_number_recv(internal) IS
'Binary receive function of pactoria.uk_vat_number: text''s binary form, normalised and checked like the text form.';
CREATE FUNCTION pactoria.uk_vat_number_send(pactoria.uk_vat_number) RETURNS bytea
AS 'textsend' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_vat_number_send(pactoria.uk_vat_number) IS
'Binary send function of pactoria.uk_vat_number: text''s binary form.';
CREATE TYPE pactoria.uk_vat_number (
	INPUT = pactoria.uk_vat_number_in, OUTPUT = pactoria.uk_vat_number_out,
	RECEIVE = pactoria.uk_vat_number_recv, SEND = pactoria.uk_vat_number_send,
	LIKE = pg_catalog.text, CATEGORY = 'S');

-- pactoria.uk_vat_number: comparison functions and operators.
CREATE FUNCTION pactoria.uk_vat_number_eq(pactoria.uk_vat_number, pactoria.uk_vat_number) RETURNS boolean
AS 'byteaeq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_vat_number_eq(pactoria.uk_vat_number, pactoria.uk_vat_number) IS
'Operator = of pactoria.uk_vat_number: is the first canonical form equal to the second, byte by byte?';
CREATE OPERATOR pactoria.= (
	LEFTARG = pactoria.uk_vat_number, RIGHTARG = pactoria.uk_vat_number,
	FUNCTION = pactoria.uk_vat_number_eq,
	COMMUTATOR = OPERATOR(pactoria.=), NEGATOR = OPERATOR(pactoria.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES);
CREATE FUNCTION pactoria.uk_vat_number_ne(pactoria.uk_vat_number, pactoria.uk_vat_number) RETURNS boolean
AS 'byteane' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_vat_number_ne(pactoria.uk_vat_number, pactoria.uk_vat_number) IS
'Operator <> of pactoria.uk_vat_number: is the first canonical form not equal to the second, byte by byte?';
CREATE OPERATOR pactoria.<> (
	LEFTARG = pactoria.uk_vat_number, RIGHTARG = pactoria.uk_vat_number,
	FUNCTION = pactoria.uk_vat_number_ne,
	COMMUTATOR = OPERATOR(pactoria.<>), NEGATOR = OPERATOR(pactoria.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel);
CREATE FUNCTION pactoria.uk_vat_number_lt(pactoria.uk_vat_number, pactoria.uk_vat_number) RETURNS boolean
AS 'bytealt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_vat_number_lt(pactoria.uk_vat_number, pactoria.uk_vat_number) IS
'Operator < of pactoria.uk_vat_number: is the first canonical form less than the second, byte by byte?';
CREATE OPERATOR pactoria.< (
	LEFTARG = pactoria.uk_vat_number, RIGHTARG = pactoria.uk_vat_number,
	FUNCTION = pactoria.uk_vat_number_lt,
	COMMUTATOR = OPERATOR(pactoria.>), NEGATOR = OPERATOR(pactoria.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel);
CREATE FUNCTION pactoria.uk_vat_number_le(pactoria.uk_vat_number, pactoria.uk_vat_number) RETURNS boolean
AS 'byteale' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_vat_number_le(pactoria.uk_vat_number, pactoria.uk_vat_number) IS
'Operator <= of pactoria.uk_vat_number: is the first canonical form less than or equal to the second, byte by byte?';
CREATE OPERATOR pactoria.<= (
	LEFTARG = pactoria.uk_vat_number, RIGHTARG = pactoria.uk_vat_number,
	FUNCTION = pactoria.uk_vat_number_le,
	COMMUTATOR = OPERATOR(pactoria.>=), NEGATOR = OPERATOR(pactoria.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel);
CREATE FUNCTION pactoria.uk_vat_number_gt(pactoria.uk_vat_number, pactoria.uk_vat_number) RETURNS boolean
AS 'byteagt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_vat_number_gt(pactoria.uk_vat_number, pactoria.uk_vat_number) IS
'Operator > of pactoria.uk_vat_number: is the first canonical form greater than the second, byte by byte?';
CREATE OPERATOR pactoria.> (
	LEFTARG = pactoria.uk_vat_number, RIGHTARG = pactoria.uk_vat_number,
	FUNCTION = pactoria.uk_vat_number_gt,
	COMMUTATOR = OPERATOR(pactoria.<), NEGATOR = OPERATOR(pactoria.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel);
CREATE FUNCTION pactoria.uk_vat_number_ge(pactoria.uk_vat_number, pactoria.uk_vat_number) RETURNS boolean
AS 'byteage' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_vat_number_ge(pactoria.uk_vat_number, pactoria.uk_vat_number) IS
'Operator >= of pactoria.uk_vat_number: is the first canonical form greater than or equal to the second, byte by byte?';
CREATE OPERATOR pactoria.>= (
	LEFTARG = pactoria.uk_vat_number, RIGHTARG = pactoria.uk_vat_number,
	FUNCTION = pactoria.uk_vat_number_ge,
	COMMUTATOR = OPERATOR(pactoria.<=), NEGATOR = OPERATOR(pactoria.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel);

-- pactoria.uk_vat_number: support functions and the default btree and hash operator classes.
CREATE FUNCTION pactoria.uk_vat_number_cmp(pactoria.uk_vat_number, pactoria.uk_vat_number) RETURNS integer
AS 'byteacmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pactoria.uk_vat_number_cmp(pactoria.uk_vat_number, pactoria.uk_vat_number) IS
'B-tree comparison of pactoria.uk_vat_number: -1, 0 or 1 as the canonical forms compare byte by byte.';
CREATE FUNCTION pactoria.uk_vat_number_sortsupport(internal) RETURNS void
AS 'bytea_sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_vat_number_sortsupport(internal) IS
'B-tree sort support of pactoria.uk_vat_number: bytea''s, for fast sorts.';
CREATE FUNCTION pactoria.uk_vat_number_hash(pactoria.uk_vat_number) RETURNS integer
AS 'hashvarlena' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_vat_number_hash(pactoria.uk_vat_number) IS
'Hash of pactoria.uk_vat_number: hash of the canonical bytes.';
CREATE FUNCTION pactoria.uk_vat_number_hash_extended(pactoria.uk_vat_number, bigint) RETURNS bigint
AS 'hashvarlenaextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pactoria.uk_vat_number_hash_extended(pactoria.uk_vat_number, bigint) IS
'Seeded 64-bit hash of pactoria.uk_vat_number: hash of the canonical bytes (hash partitioning).';
CREATE OPERATOR CLASS pactoria.uk_vat_number_ops DEFAULT FOR TYPE pactoria.uk_vat_number USING btree AS
	OPERATOR 1 pactoria.< (pactoria.uk_vat_number, pactoria.uk_vat_number),
	OPERATOR 2 pactoria.<= (pactoria.uk_vat_number, pactoria.uk_vat_number),
	OPERATOR 3 pactoria.= (pactoria.uk_vat_number, pactoria.uk_vat_number),
	OPERATOR 4 pactoria.>= (pactoria.uk_vat_number, pactoria.uk_vat_number),
	OPERATOR 5 pactoria.> (pactoria.uk_vat_number, pactoria.uk_vat_number),
	FUNCTION 1 pactoria.uk_vat_number_cmp(pactoria.uk_vat_number, pactoria.uk_vat_number),
	FUNCTION 2 pactoria.uk_vat_number_sortsupport(internal);
CREATE OPERATOR CLASS pactoria.uk_vat_number_ops DEFAULT FOR TYPE pactoria.uk_vat_number USING hash AS
	OPERATOR 1 pactoria.= (pactoria.uk_vat_number, pactoria.uk_vat_number),
	FUNCTION 1 pactoria.uk_vat_number_hash(pactoria.uk_vat_number),
	FUNCTION 2 pactoria.uk_vat_number_hash_extended(pactoria.uk_vat_number, bigint);

COMMENT ON TYPE pactoria.uk_company_number IS
'UK company registration number, stored canonical: 8 digits (00644831), a prefix and 6 digits (SC123456), or a registered-society number (IP00141R).';
COMMENT ON TYPE pactoria.uk_postcode IS
'UK postcode, stored canonical: upper case, one space before the inward code (SW1A 1AA).';
COMMENT ON TYPE pactoria.uk_vat_number IS
'UK VAT registration number, stored canonical: GB or XI and the number (GB980780684, XI980780684, GBGD100).';

-- Company numbers.

CREATE FUNCTION pactoria.validate_uk_company_number(company_number text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_validate_uk_company_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.validate_uk_company_number(text) IS
'Is the text, as a user typed it, a valid UK company number? Never raises an error for bad input.';

CREATE FUNCTION pactoria.normalise_uk_company_number(company_number text)
RETURNS pactoria.uk_company_number
AS 'MODULE_PATHNAME', 'pactoria_normalise_uk_company_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.normalise_uk_company_number(text) IS
'Canonical form of a UK company number as typed (whitespace removed, upper case, all-digit numbers padded to 8); raises 22023 naming the first rule an invalid one breaks.';

CREATE FUNCTION pactoria.uk_company_number_info(
	company_number text,
	OUT normalised pactoria.uk_company_number,
	OUT prefix text,
	OUT jurisdiction text,
	OUT entity_type text)
RETURNS record
AS 'MODULE_PATHNAME', 'pactoria_uk_company_number_info'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.uk_company_number_info(text) IS
'A UK company number explained: canonical form, prefix (NULL when all digits), jurisdiction (england_wales, scotland, northern_ireland, uk) and entity type; raises 22023 for an invalid number.';

CREATE CAST (text AS pactoria.uk_company_number)
	WITH FUNCTION pactoria.normalise_uk_company_number(text) AS ASSIGNMENT;
CREATE CAST (varchar AS pactoria.uk_company_number)
	WITH FUNCTION pactoria.normalise_uk_company_number(text) AS ASSIGNMENT;
CREATE CAST (pactoria.uk_company_number AS text) WITHOUT FUNCTION AS IMPLICIT;

-- Postcodes.

CREATE FUNCTION pactoria.validate_uk_postcode(postcode text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_validate_uk_postcode'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.validate_uk_postcode(text) IS
'Is the text, as a user typed it, a valid UK postcode? Never raises an error for bad input.';

CREATE FUNCTION pactoria.normalise_uk_postcode(postcode text)
RETURNS pactoria.uk_postcode
AS 'MODULE_PATHNAME', 'pactoria_normalise_uk_postcode'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.normalise_uk_postcode(text) IS
'Canonical form of a UK postcode as typed (whitespace removed, upper case, one space before the inward code); raises 22023 naming the first rule an invalid one breaks.';

CREATE FUNCTION pactoria.uk_postcode_parts(
	postcode text,
	OUT area text,
	OUT district text,
	OUT sector text,
	OUT unit text,
	OUT outward text,
	OUT inward text)
RETURNS record
AS 'MODULE_PATHNAME', 'pactoria_uk_postcode_parts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.uk_postcode_parts(text) IS
'A UK postcode split as Royal Mail names its parts: area (SW), district (SW1A), sector (SW1A 1), unit (SW1A 1AA), outward (SW1A) and inward (1AA) code; raises 22023 for an invalid postcode.';

CREATE CAST (text AS pactoria.uk_postcode)
	WITH FUNCTION pactoria.normalise_uk_postcode(text) AS ASSIGNMENT;
CREATE CAST (varchar AS pactoria.uk_postcode)
	WITH FUNCTION pactoria.normalise_uk_postcode(text) AS ASSIGNMENT;
CREATE CAST (pactoria.uk_postcode AS text) WITHOUT FUNCTION AS IMPLICIT;

-- VAT numbers.

CREATE FUNCTION pactoria.validate_uk_vat_number(vat_number text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pactoria_validate_uk_vat_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.validate_uk_vat_number(text) IS
'Is the text, as a user typed it, a valid UK VAT number (format, check digits, issued ranges)? Never raises an error for bad input.';

CREATE FUNCTION pactoria.normalise_uk_vat_number(vat_number text)
RETURNS pactoria.uk_vat_number
AS 'MODULE_PATHNAME', 'pactoria_normalise_uk_vat_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.normalise_uk_vat_number(text) IS
'Canonical form of a UK VAT number as typed (whitespace removed, upper case, GB added when no GB or XI prefix); raises 22023 naming the first rule an invalid one breaks.';

CREATE CAST (text AS pactoria.uk_vat_number)
	WITH FUNCTION pactoria.normalise_uk_vat_number(text) AS ASSIGNMENT;
CREATE CAST (varchar AS pactoria.uk_vat_number)
	WITH FUNCTION pactoria.normalise_uk_vat_number(text) AS ASSIGNMENT;
CREATE CAST (pactoria.uk_vat_number AS text) WITHOUT FUNCTION AS IMPLICIT;
