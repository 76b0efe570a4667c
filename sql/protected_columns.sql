-- Protected columns (src/protected_columns.c, src/sql/55_protected_columns.sql):
-- declared encryption of an application table's column, its clear view, the
-- audit trail and re-encryption after a rotation; every refusal.
\set VERBOSITY default
INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-0000000055a1', 'Protect One Ltd'), ('00000000-0000-7000-8000-0000000055a2', 'Protect Two Ltd');
CREATE SCHEMA app;
CREATE TABLE app.notes (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	title text NOT NULL,
	body text,
	PRIMARY KEY (company_id, id)
);
-- Clear values written before the column is protected.
INSERT INTO app.notes (company_id, id, title, body) VALUES
	('00000000-0000-7000-8000-0000000055a1', '00000000-0000-7000-8000-000000005501', 'first', 'salary 52,000'),
	('00000000-0000-7000-8000-0000000055a2', '00000000-0000-7000-8000-000000005502', 'second', 'NI number QQ123456C'),
	('00000000-0000-7000-8000-0000000055a2', '00000000-0000-7000-8000-000000005503', 'third', NULL);
CREATE ROLE regress_protect_reader;
GRANT USAGE ON SCHEMA app TO regress_protect_reader;
GRANT SELECT, INSERT, UPDATE ON app.notes TO regress_protect_reader;
GRANT USAGE ON SCHEMA pactoria TO regress_protect_reader;
GRANT EXECUTE ON FUNCTION pactoria.decrypt(bytea, text) TO regress_protect_reader;

-- Bad arguments.
SELECT pactoria.protect_column(NULL, 'body');
SELECT pactoria.protect_column('app.notes', NULL);
SELECT pactoria.protect_column('app.notes', 'missing');
SELECT pactoria.protect_column('app.notes', 'body', 'title');
SELECT pactoria.protect_column('app.notes', 'company_id');
SELECT pactoria.protect_column('app.notes', 'id');
SELECT pactoria.protect_column('pactoria.companies_id_seq', 'x');
CREATE TEMPORARY TABLE temp_notes (company_id uuid, body text);
SELECT pactoria.protect_column('temp_notes', 'body');
CREATE VIEW app.notes_clear AS SELECT 1 AS squatter;
SELECT pactoria.protect_column('app.notes', 'body');
DROP VIEW app.notes_clear;
SELECT count(*) AS registered FROM pactoria.protected_columns;

-- Protection: existing values are encrypted in place, the column is bytea.
SELECT pactoria.protect_column('app.notes', 'body');
SELECT pactoria.protect_column('app.notes', 'body');
SELECT table_name, column_name, tenant_column, binding FROM pactoria.protected_columns ORDER BY 1::text, 2;
SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'app.notes'::regclass AND attname = 'body';
-- One tenant column per table; a binding (schema.table.column) of at most 128 bytes.
CREATE TABLE app.two_tenants (company_id uuid NOT NULL, owner_company uuid NOT NULL, a text, b text);
SELECT pactoria.protect_column('app.two_tenants', 'a', 'owner_company');
SELECT pactoria.protect_column('app.two_tenants', 'b');
CREATE TABLE app.tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt (
	company_id uuid NOT NULL, cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc text);
SELECT pactoria.protect_column('app.tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt',
							   'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc');
DROP TABLE app.tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt;
DROP TABLE app.two_tenants CASCADE;
SELECT count(*) AS left_registered FROM pactoria.protected_columns WHERE table_name::text LIKE 'app.two%';
SELECT title, body IS NULL AS is_null, get_byte(body, 0) AS version, pactoria.ciphertext_key_number(body) AS key,
	   position(convert_to('salary', 'UTF8') IN body) AS clear_found
FROM app.notes ORDER BY title;
SELECT tgname, tgtype FROM pg_trigger WHERE tgrelid = 'app.notes'::regclass ORDER BY tgname;
SELECT reloptions FROM pg_class WHERE oid = 'app.notes_clear'::regclass;
SELECT has_table_privilege('regress_protect_reader', 'app.notes_clear', 'SELECT') AS reader_may_read_view;

-- The clear view: the rows of the tenant in context, decrypted.
SELECT title, body FROM app.notes_clear ORDER BY title;
SET pactoria.company_id = '00000000-0000-7000-8000-0000000055a2';
SELECT title, body FROM app.notes_clear ORDER BY title;
SET ROLE regress_protect_reader;
INSERT INTO app.notes (company_id, title, body) VALUES ('00000000-0000-7000-8000-0000000055a2', 'fourth', 'sort code 12-34-56');
UPDATE app.notes SET body = 'NI number QQ654321C' WHERE title = 'second';
SELECT title, body FROM app.notes_clear ORDER BY title;
-- Another company's row: refused, nothing written.
INSERT INTO app.notes (company_id, title, body) VALUES ('00000000-0000-7000-8000-0000000055a1', 'planted', 'x');
-- Unchanged values are kept as they are: an UPDATE of another column.
CREATE TEMPORARY TABLE before_update AS SELECT id, body FROM app.notes;
UPDATE app.notes SET title = title || '!' WHERE company_id = '00000000-0000-7000-8000-0000000055a2';
SELECT count(*) AS unchanged FROM app.notes JOIN before_update USING (id) WHERE notes.body IS NOT DISTINCT FROM before_update.body;
UPDATE app.notes SET title = rtrim(title, '!');
-- A copy of a ciphertext within the column and company is kept; into another
-- company, or another column, it does not decrypt and is refused.
INSERT INTO app.notes (company_id, title, body)
SELECT company_id, 'copy', body FROM app.notes WHERE title = 'fourth';
SELECT (SELECT body FROM app.notes WHERE title = 'copy') = (SELECT body FROM app.notes WHERE title = 'fourth') AS copy_kept;
RESET ROLE;
INSERT INTO app.notes (company_id, title, body)
SELECT '00000000-0000-7000-8000-0000000055a1', 'stolen', body FROM app.notes WHERE title = 'fourth';
CREATE TABLE app.other (company_id uuid NOT NULL, id uuid PRIMARY KEY DEFAULT pactoria.uuid_generate_v7(), secret bytea);
SELECT pactoria.protect_column('app.other', 'secret');
INSERT INTO app.other (company_id, secret)
SELECT company_id, body FROM app.notes WHERE title = 'fourth';
-- Not text in the server encoding; oversize; no tenant.
INSERT INTO app.other (company_id, secret) VALUES ('00000000-0000-7000-8000-0000000055a2', '\xff00ff'::bytea);
INSERT INTO app.other (company_id, secret) VALUES ('00000000-0000-7000-8000-0000000055a2', convert_to(repeat('x', 16 * 1024 * 1024 + 1), 'UTF8'));
ALTER TABLE app.other ALTER COLUMN company_id DROP NOT NULL;
INSERT INTO app.other (company_id, secret) VALUES (NULL, 'x');
INSERT INTO app.other (company_id, secret) VALUES (NULL, NULL);
-- Altered ciphertext: refused on write, and on read.
UPDATE app.notes SET body = set_byte(body, 20, get_byte(body, 20) # 1) WHERE title = 'fourth';
SELECT count(*) AS other_rows FROM app.other;
ALTER TABLE app.notes DISABLE TRIGGER zz_pactoria_protect_values;
UPDATE app.notes SET body = set_byte(body, 20, get_byte(body, 20) # 1) WHERE title = 'fourth';
ALTER TABLE app.notes ENABLE TRIGGER zz_pactoria_protect_values;
SELECT title, body FROM app.notes_clear WHERE title = 'fourth';
SELECT title FROM app.notes_clear WHERE title = 'second';
UPDATE app.notes SET body = convert_to('sort code 12-34-56', 'UTF8') WHERE title = 'fourth';

-- The audit trail holds the ciphertext, never the clear value.
SELECT pactoria.enable_audit('app.other');
INSERT INTO app.other (company_id, secret) VALUES ('00000000-0000-7000-8000-0000000055a2', convert_to('passport 123456789', 'UTF8'));
SELECT count(*) AS entries, bool_and(left(new_values->>'secret', 4) = '\x02') AS ciphertext_logged,
	   bool_or(new_values::text LIKE '%passport%') AS clear_logged
FROM pactoria.audit_logs WHERE resource_type = 'other';

-- Rotation and re-encryption: new writes use the new key, old values are
-- re-encrypted in batches and keep decrypting throughout.
SELECT pactoria.rotate_tenant_key('00000000-0000-7000-8000-0000000055a2');
INSERT INTO app.notes (company_id, title, body) VALUES ('00000000-0000-7000-8000-0000000055a2', 'fifth', 'after rotation');
SELECT title, pactoria.ciphertext_key_number(body) AS key FROM app.notes
WHERE company_id = '00000000-0000-7000-8000-0000000055a2' ORDER BY title;
SELECT * FROM pactoria.reencrypt_tenant_values('00000000-0000-7000-8000-0000000055a2', 2);
SELECT title, body FROM app.notes_clear ORDER BY title;
SELECT * FROM pactoria.reencrypt_tenant_values('00000000-0000-7000-8000-0000000055a2');
SELECT notes.title, pactoria.ciphertext_key_number(notes.body) AS key, notes_clear.body
FROM app.notes JOIN app.notes_clear USING (company_id, id) ORDER BY title;
SELECT pactoria.current_company_id() AS context_kept;
SELECT pactoria.reencrypt_tenant_values(NULL);
SELECT pactoria.reencrypt_tenant_values('00000000-0000-7000-8000-0000000055a2', 0);
SELECT pactoria.reencrypt_tenant_values('00000000-0000-7000-8000-0000000055ff');

-- protect_value() directly.
SELECT pactoria.protect_value(NULL, NULL, 'x') IS NULL AS null_kept;
SELECT pactoria.protect_value('00000000-0000-7000-8000-0000000055a2', 'x', NULL);
SELECT pactoria.protect_value(NULL, 'x', 'x');
SELECT pactoria.protect_value('00000000-0000-7000-8000-0000000055a2', 'x', '');
SET ROLE regress_protect_reader;
SELECT pactoria.protect_value('00000000-0000-7000-8000-0000000055a2', 'x', 'x');
RESET ROLE;

-- The trigger on a table it was not made for, and fired the wrong way.
CREATE TABLE app.unregistered (company_id uuid, secret bytea);
CREATE TRIGGER t BEFORE INSERT ON app.unregistered FOR EACH ROW EXECUTE FUNCTION pactoria.protect_values();
INSERT INTO app.unregistered VALUES ('00000000-0000-7000-8000-0000000055a2', 'x');
SELECT pactoria.protect_values();
SELECT pactoria.protected_columns_changed();
-- A column the trigger expects changed type behind its back.
DROP VIEW app.other_clear;
ALTER TABLE app.other ALTER COLUMN secret TYPE text USING 'x';
INSERT INTO app.other (company_id, secret) VALUES ('00000000-0000-7000-8000-0000000055a2', 'y');

-- Partitioned tables: the parent's column, every partition's rows.
CREATE TABLE app.events (company_id uuid NOT NULL, at date NOT NULL, detail text) PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE app.events_2027 PARTITION OF app.events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
SELECT pactoria.protect_column('app.events_2026', 'detail');
SELECT pactoria.protect_column('app.events', 'detail');
INSERT INTO app.events VALUES ('00000000-0000-7000-8000-0000000055a2', '2026-05-01', 'in 2026'),
	('00000000-0000-7000-8000-0000000055a2', '2027-05-01', 'in 2027');
UPDATE app.events SET at = '2027-06-01' WHERE detail IS NOT NULL AND at = '2026-05-01';
SELECT at, detail FROM app.events_clear ORDER BY at;
SELECT tableoid::regclass, pactoria.ciphertext_key_number(detail) FROM app.events ORDER BY 1;

-- Dropped columns and tables are forgotten.
ALTER TABLE app.events DROP COLUMN detail CASCADE;
SELECT table_name, column_name FROM pactoria.protected_columns ORDER BY 1::text, 2;
INSERT INTO app.events VALUES ('00000000-0000-7000-8000-0000000055a2', '2026-05-01');
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgrelid = 'app.events'::regclass AND NOT tgisinternal;
RESET pactoria.company_id;
DROP SCHEMA app CASCADE;
SELECT table_name, column_name FROM pactoria.protected_columns ORDER BY 1::text, 2;
DELETE FROM pactoria.companies WHERE id IN ('00000000-0000-7000-8000-0000000055a1', '00000000-0000-7000-8000-0000000055a2');
SELECT count(*) AS keys_left FROM pactoria.tenant_keys;
DROP OWNED BY regress_protect_reader;
DROP ROLE regress_protect_reader;
