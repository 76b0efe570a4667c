-- Error messages of the data model's own functions and triggers (constraint
-- violations carry PostgreSQL's own messages and are covered in the pgTAP suite).
SET timezone = 'UTC';
\set VERBOSITY default

-- Configuration.
SELECT pactoria.get_config('subscription_tier_max_users');
SELECT pactoria.get_config('no_such_key');
SELECT pactoria.get_config(NULL);
SELECT pactoria.get_config('');
INSERT INTO pactoria.system_config (key, value) VALUES ('no_such_key', '1');
INSERT INTO pactoria.system_config (key, value) VALUES ('subscription_tier_max_users', '5');
INSERT INTO pactoria.system_config (key, value, description)
VALUES ('subscription_tier_max_users', '{"starter": 10, "professional": 25, "business": 100}', 'Launch offer');
SELECT key, value, is_default, change_note FROM pactoria.effective_config WHERE key = 'subscription_tier_max_users';
SELECT pactoria.tier_max_users('starter'), pactoria.tier_max_users('business');
SELECT pactoria.tier_max_users('gold');
DELETE FROM pactoria.system_config;

-- The seat limit's message.
INSERT INTO pactoria.companies (id, name, max_users) VALUES ('00000000-0000-7000-8000-00000000000a', 'Tiny Ltd', 1);
INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000a', 'one@tiny.example', 'One');
INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000a', 'two@tiny.example', 'Two');
UPDATE pactoria.companies SET subscription_tier = 'professional', max_users = 0 WHERE name = 'Tiny Ltd';

-- A row never moves to another company.
INSERT INTO pactoria.companies (id, name) VALUES ('00000000-0000-7000-8000-00000000000b', 'Other Ltd');
UPDATE pactoria.users SET company_id = '00000000-0000-7000-8000-00000000000b' WHERE email = 'one@tiny.example';

-- pactoria.set_updated_at() used wrongly.
CREATE TABLE updated_at_misuse (id int, updated_at timestamptz, changed_on date);
CREATE TRIGGER wrong_column BEFORE UPDATE ON updated_at_misuse
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at('modified_at');
INSERT INTO updated_at_misuse VALUES (1, NULL, NULL);
UPDATE updated_at_misuse SET id = 2;
DROP TRIGGER wrong_column ON updated_at_misuse;
CREATE TRIGGER wrong_type BEFORE UPDATE ON updated_at_misuse
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at('changed_on');
UPDATE updated_at_misuse SET id = 2;
DROP TRIGGER wrong_type ON updated_at_misuse;
CREATE TRIGGER too_many BEFORE UPDATE ON updated_at_misuse
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at('updated_at', 'changed_on');
UPDATE updated_at_misuse SET id = 2;
DROP TRIGGER too_many ON updated_at_misuse;
CREATE TRIGGER after_trigger AFTER UPDATE ON updated_at_misuse
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at();
UPDATE updated_at_misuse SET id = 2;
DROP TRIGGER after_trigger ON updated_at_misuse;
CREATE TRIGGER on_insert BEFORE INSERT ON updated_at_misuse
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at();
INSERT INTO updated_at_misuse VALUES (3, NULL, NULL);
DROP TRIGGER on_insert ON updated_at_misuse;
-- The right use, with another column name.
CREATE TRIGGER stamp BEFORE UPDATE ON updated_at_misuse
	FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at('updated_at');
UPDATE updated_at_misuse SET id = 4 RETURNING id, updated_at = now() AS stamped;
SELECT pactoria.set_updated_at();
DROP TABLE updated_at_misuse;

-- enable_tenant_isolation needs a uuid company_id.
CREATE TABLE no_tenant (id int);
SELECT pactoria.enable_tenant_isolation('no_tenant');
SELECT pactoria.enable_tenant_isolation(NULL);
DROP TABLE no_tenant;

-- Tenant context settings are checked when set.
SET pactoria.company_id = 'not-a-uuid';
SET pactoria.company_id = '00000000-0000-7000-8000-00000000000a';
SELECT pactoria.current_company_id();
SET pactoria.company_id = '000000000000700080000000000000AB';
SELECT pactoria.current_company_id();
SET pactoria.company_id = '';
SELECT pactoria.current_company_id() IS NULL AS empty_means_no_context;
SELECT pactoria.require_company_id();
RESET pactoria.company_id;

-- Search uses the indexes: the full-text GIN index and the title trigram index.
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT id FROM pactoria.contracts WHERE search_vector @@ websearch_to_tsquery('english', 'confidential');
EXPLAIN (COSTS OFF)
SELECT id FROM pactoria.contracts WHERE 'Non-Disclsoure' <% title;
RESET enable_seqscan;
