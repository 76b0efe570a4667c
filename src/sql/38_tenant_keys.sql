
------------------------------------------------------------------------------------
-- Tenant data keys and encrypted values (src/tenant_keys.c).
------------------------------------------------------------------------------------
-- Each company has data keys, numbered from 1: random 256-bit keys, stored here
-- only sealed under the server key (AES-256-GCM, bound to the company and the
-- number), so no SQL and no dump holds one in clear.  The highest number is the
-- current key.  pactoria.encrypt(value, binding) encrypts under the current key
-- of the company in the tenant context; the ciphertext names its key, and its
-- tag covers the company and the binding (what the value belongs to, such as
-- 'schema.table.column'), so it decrypts only for that company and that binding.
-- Written by pactoria's C functions only: the application has no privilege here.
CREATE TABLE pactoria.tenant_keys (
	company_id uuid NOT NULL,
	key_number integer NOT NULL,
	wrapped_key bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT tenant_keys_pkey PRIMARY KEY (company_id, key_number),
	CONSTRAINT fk_tenant_keys_company FOREIGN KEY (company_id)
		REFERENCES pactoria.companies (id) ON DELETE CASCADE,
	CONSTRAINT chk_tenant_keys_key_number CHECK (key_number >= 1),
	-- a sealed 32-byte key: version, key id, nonce, 32 bytes, tag
	CONSTRAINT chk_tenant_keys_wrapped_key CHECK (octet_length(wrapped_key) = 65)
);

COMMENT ON TABLE pactoria.tenant_keys IS
'The data keys of each company, sealed under the server key (never in clear); the highest key_number is the current key. Written by pactoria.encrypt(), rotate_tenant_key() and rewrap_tenant_keys() only; no privilege for the application.';

SELECT pg_catalog.pg_extension_config_dump('pactoria.tenant_keys', '');
SELECT pactoria.enable_tenant_isolation('pactoria.tenant_keys');

CREATE FUNCTION pactoria.tenant_keys_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pactoria_tenant_keys_changed'
LANGUAGE C;

REVOKE EXECUTE ON FUNCTION pactoria.tenant_keys_changed() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.tenant_keys_changed() IS
'AFTER statement trigger of pactoria.tenant_keys: every session drops its cached data keys, so a rotation is used by the next statement everywhere.';

CREATE TRIGGER trg_tenant_keys_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pactoria.tenant_keys
	FOR EACH STATEMENT EXECUTE FUNCTION pactoria.tenant_keys_changed();

CREATE FUNCTION pactoria.encrypt(value text, binding text)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pactoria_encrypt'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

REVOKE EXECUTE ON FUNCTION pactoria.encrypt(text, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.encrypt(text, text) IS
'The value (at most 16 MB) encrypted with AES-256-GCM under the current data key of the company in the tenant context (made at the first call), bound to that company and to binding (1 to 128 bytes naming what the value belongs to, such as ''schema.table.column''). Without tenant context 42501.';

CREATE FUNCTION pactoria.decrypt(ciphertext bytea, binding text)
RETURNS text
AS 'MODULE_PATHNAME', 'pactoria_decrypt'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;

REVOKE EXECUTE ON FUNCTION pactoria.decrypt(bytea, text) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.decrypt(bytea, text) IS
'The clear value of a ciphertext of pactoria.encrypt(), for the company in the tenant context and the same binding; 22000 for anything else (altered, another company, another binding, a key the company does not have), never garbage. Without tenant context 42501.';

CREATE FUNCTION pactoria.ciphertext_key_number(ciphertext bytea)
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_ciphertext_key_number'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pactoria.ciphertext_key_number(bytea) IS
'The number of the data key a ciphertext of pactoria.encrypt() is under (what a re-encryption after rotate_tenant_key() looks for), or NULL when the value is not such a ciphertext.';

CREATE FUNCTION pactoria.rotate_tenant_key(company_id uuid)
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_rotate_tenant_key'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

REVOKE EXECUTE ON FUNCTION pactoria.rotate_tenant_key(uuid) FROM PUBLIC;

COMMENT ON FUNCTION pactoria.rotate_tenant_key(uuid) IS
'Makes a new current data key for the company and returns its number: from the next statement every session encrypts under it. Older keys stay, so what they encrypted keeps decrypting. Owner only. P0002 for an unknown company, 40001 when another rotation of the company ran at the same time.';

CREATE FUNCTION pactoria.rewrap_tenant_keys()
RETURNS integer
AS 'MODULE_PATHNAME', 'pactoria_rewrap_tenant_keys'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

REVOKE EXECUTE ON FUNCTION pactoria.rewrap_tenant_keys() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.rewrap_tenant_keys() IS
'After a server key rotation (new pactoria.key_file, the old one as pactoria.retired_key_file): seals every data key sealed under the retired server key afresh under the current one and returns how many. The data keys, and so every ciphertext, stay as they are. Owner only.';
