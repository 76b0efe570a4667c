-- Behaviour of the data model: defaults, derived columns, constraints on bad input,
-- tiers and the seat limit, updated_at, templates' tenancy, session clean-up.
-- Runs as the superuser (row-level security is tested in the tenancy suite).
BEGIN;
SELECT plan(74);

-- Two companies to work with.
INSERT INTO pactoria.companies (id, name) VALUES
	('00000000-0000-7000-8000-00000000000a', 'Alpha Drafting Ltd'),
	('00000000-0000-7000-8000-00000000000b', 'Beta Compliance LLP');
INSERT INTO pactoria.users (company_id, id, email, full_name, role) VALUES
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000a1', 'ada@alpha.example', 'Ada Admin', 'admin'),
	('00000000-0000-7000-8000-00000000000b', '00000000-0000-7000-8000-0000000000b1', 'bob@beta.example', 'Bob Reviewer', 'legal_reviewer');

------------------------------------------------------------------------------
-- ids and defaults
------------------------------------------------------------------------------
INSERT INTO pactoria.companies (name) VALUES ('Gamma Holdings plc');
SELECT isnt(pactoria.uuid_v7_time(id), NULL, 'a company id defaults to a version-7 UUID')
FROM pactoria.companies WHERE name = 'Gamma Holdings plc';
SELECT results_eq(
	$$SELECT subscription_tier, max_users, active_user_count, is_active, settings FROM pactoria.companies WHERE name = 'Gamma Holdings plc'$$,
	$$VALUES ('starter'::text, 5, 0, true, '{}'::jsonb)$$,
	'a new company is a starter with 5 seats, none taken, active, empty settings');

SELECT results_eq(
	$$SELECT role, is_admin, is_active, timezone, failed_login_attempts FROM pactoria.users WHERE email = 'bob@beta.example'$$,
	$$VALUES ('legal_reviewer'::text, false, true, 'Europe/London'::text, 0)$$,
	'user defaults: active, Europe/London, no failed logins; is_admin false for a legal reviewer');
SELECT is((SELECT is_admin FROM pactoria.users WHERE email = 'ada@alpha.example'), true,
	'is_admin is derived from role admin');
-- ada is alpha's only admin and cannot be demoted (22_user_roles.sql): a second
-- admin stands in while she is not one.
INSERT INTO pactoria.users (company_id, email, full_name, role)
VALUES ('00000000-0000-7000-8000-00000000000a', 'stand.in@alpha.example', 'Stand In', 'admin');
UPDATE pactoria.users SET role = 'viewer' WHERE email = 'ada@alpha.example';
SELECT is((SELECT is_admin FROM pactoria.users WHERE email = 'ada@alpha.example'), false,
	'is_admin follows a role change');
UPDATE pactoria.users SET role = 'admin' WHERE email = 'ada@alpha.example';
DELETE FROM pactoria.users WHERE email = 'stand.in@alpha.example';
SELECT throws_ok($$UPDATE pactoria.users SET is_admin = true WHERE email = 'bob@beta.example'$$,
	'428C9', NULL, 'is_admin cannot be written');

INSERT INTO pactoria.companies (name, registration_number, vat_number, postcode)
VALUES ('Messy Input Ltd', ' sc 123456 ', 'gb 980 7806 84', 'sw1a1aa');
SELECT results_eq(
	$$SELECT registration_number::text, vat_number::text, postcode::text FROM pactoria.companies WHERE name = 'Messy Input Ltd'$$,
	$$VALUES ('SC123456', 'GB980780684', 'SW1A 1AA')$$,
	'registration number, VAT number and postcode are stored in canonical form whatever was typed');
SELECT throws_ok($$INSERT INTO pactoria.companies (name, registration_number) VALUES ('Bad Number Ltd', 'SC1234')$$,
	'22023', NULL, 'an invalid company number is refused');
SELECT throws_ok($$INSERT INTO pactoria.companies (name, postcode) VALUES ('Bad Postcode Ltd', 'SW1A OAA')$$,
	'22023', NULL, 'an invalid postcode is refused (no O/0 fixing)');
SELECT throws_ok($$INSERT INTO pactoria.companies (name, vat_number) VALUES ('Bad VAT Ltd', 'GB980780685')$$,
	'22023', NULL, 'a VAT number with a wrong check digit is refused');

------------------------------------------------------------------------------
-- subscription tiers
------------------------------------------------------------------------------
INSERT INTO pactoria.companies (name, subscription_tier) VALUES ('Delta Professional Ltd', 'professional');
SELECT is((SELECT max_users FROM pactoria.companies WHERE name = 'Delta Professional Ltd'), 25,
	'a professional company gets the tier''s 25 seats');
INSERT INTO pactoria.companies (name, subscription_tier, max_users) VALUES ('Epsilon Custom Ltd', 'business', 40);
SELECT is((SELECT max_users FROM pactoria.companies WHERE name = 'Epsilon Custom Ltd'), 40,
	'an explicit max_users is kept');
UPDATE pactoria.companies SET subscription_tier = 'business' WHERE name = 'Delta Professional Ltd';
SELECT is((SELECT max_users FROM pactoria.companies WHERE name = 'Delta Professional Ltd'), 100,
	'changing tier takes the new tier''s seats');
INSERT INTO pactoria.system_config (key, value) VALUES ('subscription_tier_max_users', '{"starter": 3, "professional": 25, "business": 100}');
INSERT INTO pactoria.companies (name) VALUES ('Zeta Small Ltd');
SELECT is((SELECT max_users FROM pactoria.companies WHERE name = 'Zeta Small Ltd'), 3,
	'tier limits come from system_config');
SELECT throws_ok($$INSERT INTO pactoria.companies (name, subscription_tier) VALUES ('Eta Ltd', 'enterprise')$$,
	'22023', 'no user limit is configured for subscription tier "enterprise"',
	'an unknown tier is refused');
DELETE FROM pactoria.system_config;

------------------------------------------------------------------------------
-- seat limit
------------------------------------------------------------------------------
INSERT INTO pactoria.users (company_id, email, full_name)
SELECT '00000000-0000-7000-8000-00000000000a', format('user%s@alpha.example', n), format('User %s', n)
FROM generate_series(2, 5) AS n;
SELECT is((SELECT active_user_count FROM pactoria.companies WHERE id = '00000000-0000-7000-8000-00000000000a'), 5,
	'active_user_count counts the five active users');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000a', 'six@alpha.example', 'Six')$$,
	'53400', 'company "Alpha Drafting Ltd" has no free user seat',
	'a sixth active user of a starter company is refused');
SELECT is((SELECT count(*)::int FROM pactoria.users WHERE email = 'six@alpha.example'), 0, 'and is not written');
SELECT lives_ok($$INSERT INTO pactoria.users (company_id, email, full_name, is_active) VALUES ('00000000-0000-7000-8000-00000000000a', 'six@alpha.example', 'Six', false)$$,
	'an inactive user takes no seat');
SELECT throws_ok($$UPDATE pactoria.users SET is_active = true WHERE email = 'six@alpha.example'$$,
	'53400', NULL, 're-activating a user beyond the limit is refused');
UPDATE pactoria.users SET is_active = false WHERE email = 'user5@alpha.example';
SELECT lives_ok($$UPDATE pactoria.users SET is_active = true WHERE email = 'six@alpha.example'$$,
	'deactivating one frees a seat for another');
DELETE FROM pactoria.users WHERE email = 'user4@alpha.example';
SELECT is((SELECT active_user_count FROM pactoria.companies WHERE id = '00000000-0000-7000-8000-00000000000a'), 4,
	'deleting an active user frees its seat');
SELECT throws_ok($$UPDATE pactoria.companies SET max_users = 3 WHERE id = '00000000-0000-7000-8000-00000000000a'$$,
	'23514', NULL, 'max_users cannot drop below the active users');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name)
	SELECT '00000000-0000-7000-8000-00000000000a', format('bulk%s@alpha.example', n), 'Bulk' FROM generate_series(1, 2) AS n$$,
	'53400', NULL, 'a two-row insert needing two seats when one is free is refused');
SELECT is((SELECT count(*)::int FROM pactoria.users WHERE email LIKE 'bulk%'), 0,
	'and writes neither row (nothing half-written)');

------------------------------------------------------------------------------
-- users: bad input
------------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000b', 'ADA@Alpha.Example', 'Ada Again')$$,
	'23505', NULL, 'e-mail addresses are unique case-insensitively, across companies');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000b', 'not-an-email', 'X')$$,
	'23514', NULL, 'a malformed e-mail is refused');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000b', '', 'X')$$,
	'23514', NULL, 'an empty e-mail is refused');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000b', repeat('a', 250) || '@b.example', 'X')$$,
	'23514', NULL, 'an e-mail over 254 characters is refused');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000b', NULL, 'X')$$,
	'23502', NULL, 'a NULL e-mail is refused');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name, role) VALUES ('00000000-0000-7000-8000-00000000000b', 'r@beta.example', 'X', 'owner')$$,
	'23514', NULL, 'an unknown role is refused');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-00000000000b', 'w@beta.example', '   ')$$,
	'23514', NULL, 'a blank full name is refused');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name, invited_by, invited_at) VALUES ('00000000-0000-7000-8000-00000000000b', 'inv@beta.example', 'X', '00000000-0000-7000-8000-0000000000a1', now())$$,
	'23503', NULL, 'a user cannot be invited by a user of another company');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('00000000-0000-7000-8000-0000000000ff', 'ghost@nowhere.example', 'X')$$,
	'23503', NULL, 'a user of an unknown company is refused');
SELECT throws_ok($$INSERT INTO pactoria.users (company_id, email, full_name) VALUES ('not-a-uuid', 'x@beta.example', 'X')$$,
	'22P02', NULL, 'a company id of the wrong type is refused');

------------------------------------------------------------------------------
-- updated_at
------------------------------------------------------------------------------
UPDATE pactoria.companies SET updated_at = '2000-01-01', created_at = '2000-01-01' WHERE name = 'Gamma Holdings plc';
SELECT is((SELECT updated_at FROM pactoria.companies WHERE name = 'Gamma Holdings plc'), now(),
	'updated_at is now() whatever the UPDATE wrote');
SELECT is((SELECT created_at FROM pactoria.companies WHERE name = 'Gamma Holdings plc'), '2000-01-01'::timestamptz,
	'created_at is left as written');
SELECT is_empty($$
	SELECT c.relname FROM pg_class AS c
	JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'updated_at'
	WHERE c.relnamespace = 'pactoria'::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
	  AND NOT EXISTS (SELECT 1 FROM pg_trigger AS t WHERE t.tgrelid = c.oid
					  AND t.tgfoid = 'pactoria.set_updated_at()'::regprocedure)
$$, 'every table with an updated_at column has the set_updated_at trigger');

------------------------------------------------------------------------------
-- templates and contracts
------------------------------------------------------------------------------
INSERT INTO pactoria.templates (id, company_id, name, category, contract_type, description, template_content, legal_notes) VALUES
	('00000000-0000-7000-8000-0000000000c1', NULL, 'Test Template', 'commercial', 'service_agreement', 'd', 'Between {{a}} and {{b}}.', 'n'),
	('00000000-0000-7000-8000-0000000000c2', '00000000-0000-7000-8000-00000000000b', 'Beta Own Template', 'commercial', 'service_agreement', 'd', 'Text {{a}}', 'n');
SELECT throws_ok($$INSERT INTO pactoria.templates (company_id, name, category, contract_type, description, template_content, legal_notes)
	VALUES (NULL, 'Test Template', 'commercial', 'service_agreement', 'd', 'x', 'n')$$,
	'23505', NULL, 'two system templates cannot share name and category (NULLS NOT DISTINCT)');
SELECT lives_ok($$INSERT INTO pactoria.templates (company_id, name, category, contract_type, description, template_content, legal_notes)
	VALUES ('00000000-0000-7000-8000-00000000000a', 'Test Template', 'commercial', 'service_agreement', 'd', 'x', 'n')$$,
	'a company may have its own template of a system template''s name');
SELECT throws_ok($$INSERT INTO pactoria.templates (company_id, name, category, contract_type, description, template_content, legal_notes)
	VALUES (NULL, 'Bad', 'Commercial Law', 'service_agreement', 'd', 'x', 'n')$$,
	'23514', NULL, 'a category must be a snake_case code');

INSERT INTO pactoria.contracts (company_id, id, title, contract_type, created_by, template_id) VALUES
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d1', 'Alpha services', 'service_agreement',
	 '00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-0000000000c1');
SELECT results_eq(
	$$SELECT status, version, currency, is_current_version FROM pactoria.contracts WHERE id = '00000000-0000-7000-8000-0000000000d1'$$,
	$$VALUES ('draft'::text, 1, 'GBP'::text, true)$$,
	'a contract starts as a GBP draft at version 1, on a system template');
SELECT throws_ok($$INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by, template_id) VALUES
	('00000000-0000-7000-8000-00000000000a', 'Stolen template', 'service_agreement', '00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-0000000000c2')$$,
	'23503', 'template 00000000-0000-7000-8000-0000000000c2 is not available to this company',
	'a contract cannot use another company''s template');
SELECT throws_ok($$UPDATE pactoria.contracts SET template_id = '00000000-0000-7000-8000-0000000000c2' WHERE id = '00000000-0000-7000-8000-0000000000d1'$$,
	'23503', NULL, 'nor be switched to one');
SELECT throws_ok($$INSERT INTO pactoria.contracts (company_id, title, contract_type, created_by) VALUES
	('00000000-0000-7000-8000-00000000000a', 'Foreign author', 'service_agreement', '00000000-0000-7000-8000-0000000000b1')$$,
	'23503', NULL, 'a contract''s author must be a user of its company');
SELECT throws_ok($$INSERT INTO pactoria.contracts (company_id, title, contract_type) VALUES
	('00000000-0000-7000-8000-00000000000a', 'No author', 'service_agreement')$$,
	'23502', NULL, 'without a user in context a contract needs an explicit author');
SET LOCAL pactoria.user_id = '00000000-0000-7000-8000-0000000000a1';
SELECT lives_ok($$INSERT INTO pactoria.contracts (company_id, id, title, contract_type) VALUES
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d2', 'Authored by context', 'nda_mutual')$$,
	'the author defaults to the user in the tenant context');
SELECT is((SELECT created_by FROM pactoria.contracts WHERE id = '00000000-0000-7000-8000-0000000000d2'),
	'00000000-0000-7000-8000-0000000000a1'::uuid, 'and is that user');
RESET pactoria.user_id;
SELECT throws_ok($$UPDATE pactoria.contracts SET contract_value = -1 WHERE id = '00000000-0000-7000-8000-0000000000d1'$$,
	'23514', NULL, 'a negative contract value is refused');
SELECT throws_ok($$UPDATE pactoria.contracts SET start_date = '2026-06-01', end_date = '2026-05-31' WHERE id = '00000000-0000-7000-8000-0000000000d1'$$,
	'23514', NULL, 'an end date before the start date is refused');
SELECT throws_ok($$UPDATE pactoria.contracts SET status = 'signed' WHERE id = '00000000-0000-7000-8000-0000000000d1'$$,
	'23514', NULL, 'an unknown status is refused');
SELECT throws_ok($$UPDATE pactoria.contracts SET currency = 'gbp' WHERE id = '00000000-0000-7000-8000-0000000000d1'$$,
	'23514', NULL, 'a currency must be an upper-case ISO 4217 code');
SELECT throws_ok($$UPDATE pactoria.contracts SET contract_value = 12345678901.00 WHERE id = '00000000-0000-7000-8000-0000000000d1'$$,
	'22003', NULL, 'a contract value beyond numeric(12,2) is refused');
SELECT throws_ok($$UPDATE pactoria.contracts SET title = repeat('x', 501) WHERE id = '00000000-0000-7000-8000-0000000000d1'$$,
	'23514', NULL, 'a title over 500 characters is refused');

------------------------------------------------------------------------------
-- AI tables
------------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO pactoria.ai_generations (company_id, model_name, provider, input_prompt, token_usage)
	VALUES ('00000000-0000-7000-8000-00000000000a', 'm', 'p', 'prompt', '{"prompt": 10, "completion": 5, "total": 16}')$$,
	'23514', NULL, 'token usage whose total is not prompt + completion is refused');
SELECT throws_ok($$INSERT INTO pactoria.ai_generations (company_id, model_name, provider, input_prompt, token_usage)
	VALUES ('00000000-0000-7000-8000-00000000000a', 'm', 'p', 'prompt', '{"prompt": -1}')$$,
	'23514', NULL, 'negative token counts are refused');
SELECT throws_ok($$INSERT INTO pactoria.ai_generations (company_id, model_name, provider, input_prompt, confidence)
	VALUES ('00000000-0000-7000-8000-00000000000a', 'm', 'p', 'prompt', 1.5)$$,
	'23514', NULL, 'a confidence above 1 is refused');
SELECT throws_ok($$INSERT INTO pactoria.compliance_scores (company_id, contract_id, overall_score, gdpr_compliance)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d1', 0.9, 1.01)$$,
	'23514', NULL, 'an area compliance score above 1 is refused');
SELECT throws_ok($$INSERT INTO pactoria.compliance_scores (company_id, contract_id, overall_score, risk_score)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d1', 0.9, 11)$$,
	'23514', NULL, 'a contract risk score above 10 is refused');

INSERT INTO pactoria.extractions (company_id, id, contract_id, model_name, provider)
VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-0000000000d1', 'extractor', 'acme');
INSERT INTO pactoria.extraction_fields (company_id, extraction_id, field_name, value, confidence)
VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000e1', 'party_name', 'Acme Ltd', 91.5);
SELECT throws_ok($$INSERT INTO pactoria.extractions (company_id, contract_id, model_name, provider)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000d1', 'again', 'acme')$$,
	'23505', NULL, 'a contract has at most one extraction');
SELECT throws_ok($$UPDATE pactoria.extractions SET status = 'approved' WHERE id = '00000000-0000-7000-8000-0000000000e1'$$,
	'23514', NULL, 'an extraction cannot be approved without a reviewer and time');
SELECT lives_ok($$INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000e1', 'party_name', 'Acme Ltd', 'Acme Limited', 'wrong_value', '00000000-0000-7000-8000-0000000000a1')$$,
	'a wrong_value correction of an extracted field is accepted');
SELECT throws_ok($$INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000e1', 'governing_law', 'Scots law', NULL, 'not_in_document', '00000000-0000-7000-8000-0000000000a1')$$,
	'23503', NULL, 'a not_in_document correction must name a field the AI extracted');
SELECT lives_ok($$INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000e1', 'governing_law', NULL, 'English law', 'missing', '00000000-0000-7000-8000-0000000000a1')$$,
	'a missing correction names a field the AI did not extract');
SELECT throws_ok($$INSERT INTO pactoria.corrections (company_id, extraction_id, field_name, original_value, corrected_value, correction_type, corrected_by)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000e1', 'term_months', '12', NULL, 'missing', '00000000-0000-7000-8000-0000000000a1')$$,
	'23514', NULL, 'a missing correction must carry the corrected value and no original');

------------------------------------------------------------------------------
-- risk register and chat
------------------------------------------------------------------------------
INSERT INTO pactoria.risk_assessments (company_id, id, risk_name, risk_category, likelihood, impact, risk_level)
VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000f1', 'Supplier insolvency', 'financial', 3, 4, 'high');
SELECT is((SELECT risk_score::int FROM pactoria.risk_assessments WHERE id = '00000000-0000-7000-8000-0000000000f1'), 12,
	'risk_score is likelihood x impact');
SELECT throws_ok($$UPDATE pactoria.risk_assessments SET likelihood = 6 WHERE id = '00000000-0000-7000-8000-0000000000f1'$$,
	'23514', NULL, 'a likelihood above 5 is refused');
SELECT throws_ok($$INSERT INTO pactoria.chat_messages (company_id, conversation_id, role, content)
	VALUES ('00000000-0000-7000-8000-00000000000a', pactoria.uuid_generate_v7(), 'user', 'Hello')$$,
	'23514', NULL, 'a user message must name its user');

------------------------------------------------------------------------------
-- sessions
------------------------------------------------------------------------------
INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at, status, created_at) VALUES
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000a1', sha256('live'), now() + interval '1 hour', 'active', now()),
	('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000a1', sha256('old'), now() - interval '1 hour', 'active', now() - interval '2 hours'),
	('00000000-0000-7000-8000-00000000000b', '00000000-0000-7000-8000-0000000000b1', sha256('revoked'), now() + interval '1 hour', 'revoked', now());
SELECT throws_ok($$INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000a1', sha256('live'), now() + interval '1 day')$$,
	'23505', NULL, 'a token hash is unique within its company');
SELECT throws_ok($$INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000a1', 'short'::bytea, now() + interval '1 day')$$,
	'23514', NULL, 'a token hash shorter than a SHA-256 digest is refused');
SELECT throws_ok($$INSERT INTO pactoria.user_sessions (company_id, user_id, token_hash, expires_at)
	VALUES ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-0000000000a1', sha256('x'), now() - interval '1 second')$$,
	'23514', NULL, 'a session cannot expire before it is created');
SELECT is(pactoria.cleanup_expired_sessions(), 1, 'cleanup_expired_sessions removes the expired session');
SELECT is((SELECT count(*)::int FROM pactoria.user_sessions
		   WHERE company_id IN ('00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-00000000000b')), 2,
	'and keeps the live one, and the revoked one until its expiry (a reused refresh token is still detected)');
SELECT is(pactoria.cleanup_expired_sessions(now() + interval '2 hours'), 2, 'both go once their expiry has passed');

SELECT * FROM finish();
ROLLBACK;
