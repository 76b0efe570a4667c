
-- 20_tables.sql: the tables of the data model.
--
-- Keys and tenancy: every tenant-owned table has company_id, which leads its primary
-- key (company_id, id) and every unique key, and every foreign key between tenant
-- tables is composite, so a row can never point at another tenant's row and the
-- schema can be distributed by company_id (Citus).  companies, users and templates
-- (which also holds the system templates shipped with the extension) stay whole:
-- reference tables.  Ids are time-ordered version-7 UUIDs.
--
-- Behaviour that belongs to other concerns (row-level security, audit, versioning,
-- lifecycle, scoring) is added by their own files; this file has the tables, their
-- constraints, indexes and updated_at triggers.

-- Formats shared by several checks.  IMMUTABLE: they only look at their argument.
CREATE FUNCTION pactoria.is_valid_email(address text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN length(address) <= 254
	AND address ~ '^[A-Za-z0-9.!#$%&''*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$'
	AND address !~ '\.\.';

COMMENT ON FUNCTION pactoria.is_valid_email(text) IS
'Whether a text is a plausible e-mail address: local@domain.tld in ASCII, at most 254 characters (RFC 5321), no consecutive dots.';

CREATE FUNCTION pactoria.is_valid_identifier(value text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN value ~ '^[a-z][a-z0-9_]{1,62}$';

COMMENT ON FUNCTION pactoria.is_valid_identifier(text) IS
'Whether a text is a lower-case snake_case code of 2 to 63 characters (contract types, categories, field names).';

------------------------------------------------------------------------------------
-- companies: the tenants.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.companies (
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	name text NOT NULL,
	registration_number pactoria.uk_company_number,
	vat_number pactoria.uk_vat_number,
	address text,
	postcode pactoria.uk_postcode,
	subscription_tier text NOT NULL DEFAULT 'starter',
	max_users integer NOT NULL,
	active_user_count integer NOT NULL DEFAULT 0,
	settings jsonb NOT NULL DEFAULT '{}',
	is_active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT companies_pkey PRIMARY KEY (id),
	CONSTRAINT chk_companies_name CHECK (length(btrim(name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_companies_address CHECK (length(address) <= 1000),
	CONSTRAINT chk_companies_subscription_tier CHECK (subscription_tier IN ('starter', 'professional', 'business')),
	CONSTRAINT chk_companies_max_users CHECK (max_users BETWEEN 1 AND 100000),
	CONSTRAINT chk_companies_active_user_count CHECK (active_user_count BETWEEN 0 AND max_users),
	CONSTRAINT chk_companies_settings CHECK (jsonb_typeof(settings) = 'object'),
	CONSTRAINT chk_companies_settings_size CHECK (octet_length(settings::text) <= 65536)
);

COMMENT ON TABLE pactoria.companies IS 'The tenants: one row per customer company.';
COMMENT ON COLUMN pactoria.companies.registration_number IS 'UK company registration number, stored canonical (644831 is stored as 00644831).';
COMMENT ON COLUMN pactoria.companies.vat_number IS 'UK VAT registration number, stored canonical (GB980780684).';
COMMENT ON COLUMN pactoria.companies.postcode IS 'UK postcode, stored canonical (sw1a1aa is stored as SW1A 1AA).';
COMMENT ON COLUMN pactoria.companies.max_users IS
'Active users allowed; taken from system_config subscription_tier_max_users when the company is created or changes tier, unless given.';
COMMENT ON COLUMN pactoria.companies.active_user_count IS
'Active users right now, kept by the users trigger; the seat limit is checked against it atomically.';

CREATE INDEX idx_companies_registration_number ON pactoria.companies (registration_number);

------------------------------------------------------------------------------------
-- users: people of a company.  A whole (reference) table: e-mail addresses and
-- invitation tokens are unique across the whole system.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.users (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	email text NOT NULL,
	full_name text NOT NULL,
	hashed_password text,
	role text NOT NULL DEFAULT 'contract_manager',
	is_admin boolean NOT NULL GENERATED ALWAYS AS (role = 'admin') STORED,
	is_active boolean NOT NULL DEFAULT true,
	department text,
	invitation_token text,
	invited_at timestamptz,
	invited_by uuid,
	timezone text NOT NULL DEFAULT 'Europe/London',
	notification_preferences jsonb NOT NULL DEFAULT '{}',
	failed_login_attempts integer NOT NULL DEFAULT 0,
	locked_until timestamptz,
	last_login_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT users_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT users_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT users_invited_by_fkey FOREIGN KEY (company_id, invited_by)
		REFERENCES pactoria.users (company_id, id) ON DELETE SET NULL (invited_by),
	CONSTRAINT chk_users_email CHECK (pactoria.is_valid_email(email)),
	CONSTRAINT chk_users_full_name CHECK (length(btrim(full_name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_users_hashed_password CHECK (length(hashed_password) BETWEEN 20 AND 500),
	CONSTRAINT chk_users_role CHECK (role IN ('admin', 'contract_manager', 'legal_reviewer', 'viewer')),
	CONSTRAINT chk_users_department CHECK (length(department) <= 200),
	CONSTRAINT chk_users_invitation_token CHECK (length(invitation_token) BETWEEN 16 AND 200),
	CONSTRAINT chk_users_invitation CHECK (invited_by IS NULL OR invited_at IS NOT NULL),
	CONSTRAINT chk_users_invited_by CHECK (invited_by <> id),
	CONSTRAINT chk_users_timezone CHECK (timezone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$' AND length(timezone) <= 64),
	CONSTRAINT chk_users_notification_preferences CHECK (jsonb_typeof(notification_preferences) = 'object'),
	CONSTRAINT chk_users_notification_preferences_size CHECK (octet_length(notification_preferences::text) <= 65536),
	CONSTRAINT chk_users_failed_login_attempts CHECK (failed_login_attempts >= 0)
);

COMMENT ON TABLE pactoria.users IS 'People of a company; e-mail addresses are unique across all companies.';
COMMENT ON COLUMN pactoria.users.hashed_password IS 'Password hash (e.g. bcrypt from pgcrypto''s crypt()); never the password. NULL until an invitation is accepted.';
COMMENT ON COLUMN pactoria.users.is_admin IS 'Derived from role: true exactly when role is admin.';

CREATE UNIQUE INDEX idx_users_lower_email ON pactoria.users (lower(email));
CREATE UNIQUE INDEX idx_users_invitation_token ON pactoria.users (invitation_token)
	WHERE invitation_token IS NOT NULL;
CREATE INDEX idx_users_company_id_invited_by ON pactoria.users (company_id, invited_by)
	WHERE invited_by IS NOT NULL;

------------------------------------------------------------------------------------
-- user_sessions: login sessions; only a hash of the session token is stored.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.user_sessions (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	user_id uuid NOT NULL,
	token_hash bytea NOT NULL,
	status text NOT NULL DEFAULT 'active',
	expires_at timestamptz NOT NULL,
	ip_address inet,
	user_agent text,
	last_activity timestamptz NOT NULL DEFAULT now(),
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT user_sessions_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT user_sessions_company_id_token_hash_key UNIQUE (company_id, token_hash),
	CONSTRAINT user_sessions_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT user_sessions_user_id_fkey FOREIGN KEY (company_id, user_id)
		REFERENCES pactoria.users (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_user_sessions_token_hash CHECK (octet_length(token_hash) BETWEEN 32 AND 64),
	CONSTRAINT chk_user_sessions_status CHECK (status IN ('active', 'expired', 'revoked')),
	CONSTRAINT chk_user_sessions_expires_at CHECK (expires_at > created_at),
	CONSTRAINT chk_user_sessions_user_agent CHECK (length(user_agent) <= 1000)
);

COMMENT ON TABLE pactoria.user_sessions IS 'Login sessions. token_hash is a SHA-256 (or longer) digest of the session token; the token itself is never stored.';

CREATE INDEX idx_user_sessions_token_hash ON pactoria.user_sessions (token_hash);
CREATE INDEX idx_user_sessions_company_id_user_id ON pactoria.user_sessions (company_id, user_id);
CREATE INDEX idx_user_sessions_expires_at ON pactoria.user_sessions (expires_at);

------------------------------------------------------------------------------------
-- templates: the contract template catalogue.  company_id NULL marks a system
-- template shipped with the extension (src/sql/21_system_templates.sql), readable
-- by every tenant; otherwise the template is the company's own.  A whole table.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.templates (
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	company_id uuid,
	name text NOT NULL,
	category text NOT NULL,
	contract_type text NOT NULL,
	description text NOT NULL,
	template_content text NOT NULL,
	compliance_features jsonb NOT NULL DEFAULT '[]',
	legal_notes text NOT NULL,
	version integer NOT NULL DEFAULT 1,
	is_active boolean NOT NULL DEFAULT true,
	suitable_for jsonb NOT NULL DEFAULT '[]',
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT templates_pkey PRIMARY KEY (id),
	CONSTRAINT templates_company_id_name_category_key UNIQUE NULLS NOT DISTINCT (company_id, name, category),
	CONSTRAINT templates_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT templates_created_by_fkey FOREIGN KEY (company_id, created_by) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_templates_name CHECK (length(btrim(name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_templates_category CHECK (pactoria.is_valid_identifier(category)),
	CONSTRAINT chk_templates_contract_type CHECK (pactoria.is_valid_identifier(contract_type)),
	CONSTRAINT chk_templates_description CHECK (length(description) <= 2000),
	CONSTRAINT chk_templates_template_content CHECK (length(template_content) BETWEEN 1 AND 1000000),
	CONSTRAINT chk_templates_compliance_features CHECK (jsonb_typeof(compliance_features) = 'array'),
	CONSTRAINT chk_templates_suitable_for CHECK (jsonb_typeof(suitable_for) = 'array'),
	CONSTRAINT chk_templates_legal_notes CHECK (length(legal_notes) <= 20000),
	CONSTRAINT chk_templates_version CHECK (version > 0),
	CONSTRAINT chk_templates_created_by CHECK (company_id IS NOT NULL OR created_by IS NULL)
);

COMMENT ON TABLE pactoria.templates IS 'Contract templates: company_id NULL for the system templates shipped with pactoria, else the company''s own.';
COMMENT ON COLUMN pactoria.templates.template_content IS 'Template text with {{placeholder}} markers (lower snake_case names).';

CREATE INDEX idx_templates_company_id_contract_type ON pactoria.templates (company_id, contract_type);

------------------------------------------------------------------------------------
-- ai_generations: one AI model call that drafted contract content.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.ai_generations (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	model_name text NOT NULL,
	model_version text,
	provider text NOT NULL,
	input_prompt text NOT NULL,
	generated_content text,
	processing_time_ms integer,
	token_usage jsonb NOT NULL DEFAULT '{}',
	cost numeric(12, 6),
	currency text NOT NULL DEFAULT 'GBP',
	confidence numeric(5, 4),
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT ai_generations_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT ai_generations_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT ai_generations_created_by_fkey FOREIGN KEY (company_id, created_by) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_ai_generations_model_name CHECK (length(btrim(model_name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_ai_generations_model_version CHECK (length(model_version) <= 100),
	CONSTRAINT chk_ai_generations_provider CHECK (length(btrim(provider)) BETWEEN 1 AND 100),
	CONSTRAINT chk_ai_generations_input_prompt CHECK (length(input_prompt) BETWEEN 1 AND 2000000),
	CONSTRAINT chk_ai_generations_generated_content CHECK (length(generated_content) <= 2000000),
	CONSTRAINT chk_ai_generations_processing_time_ms CHECK (processing_time_ms >= 0),
	CONSTRAINT chk_ai_generations_token_usage CHECK (
		jsonb_typeof(token_usage) = 'object'
		AND NOT jsonb_path_exists(token_usage, '$.* ? (@.type() != "number" || @ < 0 || @ != @.floor())')
		AND token_usage - ARRAY['prompt', 'completion', 'total'] = '{}'::jsonb
		AND (NOT token_usage ?& ARRAY['prompt', 'completion', 'total']
			 OR (token_usage ->> 'total')::bigint = (token_usage ->> 'prompt')::bigint + (token_usage ->> 'completion')::bigint)),
	CONSTRAINT chk_ai_generations_cost CHECK (cost >= 0),
	CONSTRAINT chk_ai_generations_currency CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT chk_ai_generations_confidence CHECK (confidence BETWEEN 0 AND 1)
);

COMMENT ON TABLE pactoria.ai_generations IS 'AI model calls that drafted contract content, with their token usage and cost.';
COMMENT ON COLUMN pactoria.ai_generations.token_usage IS 'Object with non-negative integer prompt, completion and total tokens (total = prompt + completion when all three are given).';
COMMENT ON COLUMN pactoria.ai_generations.cost IS 'Cost of the call in currency; six decimals, as model calls cost fractions of a penny.';

CREATE INDEX idx_ai_generations_company_id_created_at ON pactoria.ai_generations (company_id, created_at);

------------------------------------------------------------------------------------
-- contracts
------------------------------------------------------------------------------------
CREATE TABLE pactoria.contracts (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	title text NOT NULL,
	contract_type text NOT NULL,
	status text NOT NULL DEFAULT 'draft',
	plain_english_input text,
	generated_content text,
	final_content text,
	client_name text,
	client_email text,
	supplier_name text,
	supplier_email text,
	contract_value numeric(12, 2),
	currency text NOT NULL DEFAULT 'GBP',
	start_date date,
	end_date date,
	version integer NOT NULL DEFAULT 1,
	is_current_version boolean NOT NULL DEFAULT true,
	template_id uuid,
	created_by uuid NOT NULL DEFAULT pactoria.current_user_id(),
	ai_generation_id uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	search_vector tsvector NOT NULL GENERATED ALWAYS AS (
		setweight(to_tsvector('pg_catalog.english', coalesce(title, '')), 'A')
		|| setweight(to_tsvector('pg_catalog.english', coalesce(client_name, '') || ' ' || coalesce(supplier_name, '')), 'B')
		|| setweight(to_tsvector('pg_catalog.english', coalesce(final_content, generated_content, '')), 'C')
		|| setweight(to_tsvector('pg_catalog.english', coalesce(plain_english_input, '')), 'D')
	) STORED,
	submitted_for_review_at timestamptz,
	CONSTRAINT contracts_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT contracts_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT contracts_created_by_fkey FOREIGN KEY (company_id, created_by) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT contracts_template_id_fkey FOREIGN KEY (template_id) REFERENCES pactoria.templates (id),
	CONSTRAINT contracts_ai_generation_id_fkey FOREIGN KEY (company_id, ai_generation_id)
		REFERENCES pactoria.ai_generations (company_id, id),
	CONSTRAINT chk_contracts_title CHECK (length(btrim(title)) BETWEEN 1 AND 500),
	CONSTRAINT chk_contracts_contract_type CHECK (pactoria.is_valid_identifier(contract_type)),
	CONSTRAINT chk_contracts_status CHECK (status IN ('draft', 'pending_review', 'approved', 'active', 'expired', 'terminated', 'cancelled')),
	CONSTRAINT chk_contracts_client_name CHECK (length(client_name) <= 300),
	CONSTRAINT chk_contracts_supplier_name CHECK (length(supplier_name) <= 300),
	CONSTRAINT chk_contracts_client_email CHECK (pactoria.is_valid_email(client_email)),
	CONSTRAINT chk_contracts_supplier_email CHECK (pactoria.is_valid_email(supplier_email)),
	CONSTRAINT chk_contracts_contract_value CHECK (contract_value >= 0),
	CONSTRAINT chk_contracts_currency CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT chk_contracts_dates CHECK (end_date > start_date),
	CONSTRAINT chk_contracts_version CHECK (version > 0),
	CONSTRAINT chk_contracts_plain_english_input CHECK (length(plain_english_input) <= 2000000),
	CONSTRAINT chk_contracts_generated_content CHECK (length(generated_content) <= 2000000),
	CONSTRAINT chk_contracts_final_content CHECK (length(final_content) <= 2000000)
);

COMMENT ON TABLE pactoria.contracts IS 'Contracts of a company, from plain-English input through AI-generated to final content.';
COMMENT ON COLUMN pactoria.contracts.template_id IS 'A system template or one of the same company''s templates.';
COMMENT ON COLUMN pactoria.contracts.search_vector IS 'Full-text search document (english): title, parties, content, plain-English input, by weight.';
COMMENT ON COLUMN pactoria.contracts.submitted_for_review_at IS 'When the contract first went to pending_review; set by pactoria, never changed. NULL for a contract never submitted: only such a draft can be deleted (pactoria.delete_contract).';

CREATE INDEX idx_contracts_company_id_created_at ON pactoria.contracts (company_id, created_at DESC);
CREATE INDEX idx_contracts_company_id_status ON pactoria.contracts (company_id, status);
CREATE INDEX idx_contracts_company_id_end_date_active ON pactoria.contracts (company_id, end_date)
	WHERE status = 'active';
CREATE INDEX idx_contracts_company_id_created_by ON pactoria.contracts (company_id, created_by);
CREATE INDEX idx_contracts_template_id ON pactoria.contracts (template_id) WHERE template_id IS NOT NULL;
CREATE INDEX idx_contracts_company_id_ai_generation_id ON pactoria.contracts (company_id, ai_generation_id)
	WHERE ai_generation_id IS NOT NULL;
CREATE INDEX idx_contracts_search_vector ON pactoria.contracts USING gin (search_vector);
CREATE INDEX idx_contracts_title_trigram ON pactoria.contracts USING gin (title gin_trgm_ops);

-- A contract's template is a system template or one of its own company's: the
-- foreign key alone cannot say so, as system templates have no company.  An
-- unknown template gets the same error as another company's, so that the error
-- never tells a tenant that another company's template id exists.
CREATE FUNCTION pactoria.check_contract_template()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pactoria, pg_temp
AS $$
DECLARE
	template_company uuid;
BEGIN
	IF NEW.template_id IS NULL THEN
		RETURN NEW;
	END IF;
	SELECT company_id INTO template_company FROM pactoria.templates WHERE id = NEW.template_id;
	IF NOT FOUND OR template_company <> NEW.company_id THEN
		RAISE EXCEPTION 'template % is not available to this company', NEW.template_id
			USING ERRCODE = 'foreign_key_violation',
				  DETAIL = 'A contract can use a system template or a template of its own company.';
	END IF;
	RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION pactoria.check_contract_template() FROM PUBLIC;

COMMENT ON FUNCTION pactoria.check_contract_template() IS
'BEFORE INSERT OR UPDATE OF template_id trigger of contracts: the template is a system template or the same company''s.';

CREATE TRIGGER trg_contracts_check_template
	BEFORE INSERT OR UPDATE OF template_id ON pactoria.contracts
	FOR EACH ROW WHEN (NOT pactoria.restore_in_progress())
	EXECUTE FUNCTION pactoria.check_contract_template();

------------------------------------------------------------------------------------
-- contract_versions: the full content of every version of a contract.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.contract_versions (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	contract_id uuid NOT NULL,
	version_number integer NOT NULL,
	plain_english_input text,
	generated_content text,
	final_content text,
	content text GENERATED ALWAYS AS (coalesce(final_content, generated_content, plain_english_input)) STORED,
	change_summary text,
	created_by uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT contract_versions_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT contract_versions_company_id_contract_id_version_number_key
		UNIQUE (company_id, contract_id, version_number),
	CONSTRAINT contract_versions_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT contract_versions_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id),
	CONSTRAINT contract_versions_created_by_fkey FOREIGN KEY (company_id, created_by)
		REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_contract_versions_version_number CHECK (version_number > 0),
	CONSTRAINT chk_contract_versions_change_summary CHECK (length(change_summary) <= 2000),
	CONSTRAINT chk_contract_versions_plain_english_input CHECK (length(plain_english_input) <= 2000000),
	CONSTRAINT chk_contract_versions_generated_content CHECK (length(generated_content) <= 2000000),
	CONSTRAINT chk_contract_versions_final_content CHECK (length(final_content) <= 2000000)
);

COMMENT ON TABLE pactoria.contract_versions IS 'Every version of every contract, with its full content.';
COMMENT ON COLUMN pactoria.contract_versions.content IS 'The document of this version: final content, else generated content, else the plain-English input.';

CREATE INDEX idx_contract_versions_company_id_created_by ON pactoria.contract_versions (company_id, created_by);

------------------------------------------------------------------------------------
-- compliance_scores: UK compliance analyses of a contract.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.compliance_scores (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	contract_id uuid NOT NULL,
	overall_score numeric(5, 4) NOT NULL,
	gdpr_compliance numeric(5, 4),
	employment_law_compliance numeric(5, 4),
	consumer_rights_compliance numeric(5, 4),
	commercial_terms_compliance numeric(5, 4),
	risk_score smallint,
	risk_factors jsonb NOT NULL DEFAULT '[]',
	recommendations jsonb NOT NULL DEFAULT '[]',
	analysis_date timestamptz NOT NULL DEFAULT now(),
	analysis_version text,
	analysis_raw jsonb,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT compliance_scores_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT compliance_scores_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT compliance_scores_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_compliance_scores_overall_score CHECK (overall_score BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_gdpr_compliance CHECK (gdpr_compliance BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_employment_law_compliance CHECK (employment_law_compliance BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_consumer_rights_compliance CHECK (consumer_rights_compliance BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_commercial_terms_compliance CHECK (commercial_terms_compliance BETWEEN 0 AND 1),
	CONSTRAINT chk_compliance_scores_risk_score CHECK (risk_score BETWEEN 1 AND 10),
	CONSTRAINT chk_compliance_scores_risk_factors CHECK (jsonb_typeof(risk_factors) = 'array'),
	CONSTRAINT chk_compliance_scores_recommendations CHECK (jsonb_typeof(recommendations) = 'array'),
	CONSTRAINT chk_compliance_scores_analysis_version CHECK (length(analysis_version) <= 100),
	CONSTRAINT chk_compliance_scores_risk_factors_size CHECK (octet_length(risk_factors::text) <= 1000000),
	CONSTRAINT chk_compliance_scores_recommendations_size CHECK (octet_length(recommendations::text) <= 1000000),
	CONSTRAINT chk_compliance_scores_analysis_raw_size CHECK (octet_length(analysis_raw::text) <= 1000000)
);

COMMENT ON TABLE pactoria.compliance_scores IS 'UK compliance analyses of contracts: scores 0-1 per area and overall, contract risk 1-10.';

CREATE INDEX idx_compliance_scores_company_id_contract_id_analysis_date
	ON pactoria.compliance_scores (company_id, contract_id, analysis_date DESC);

------------------------------------------------------------------------------------
-- extractions, extraction_fields, corrections: AI field extraction from a
-- contract and the human review of it.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.extractions (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	contract_id uuid NOT NULL,
	model_name text NOT NULL,
	model_version text,
	provider text NOT NULL,
	status text NOT NULL DEFAULT 'pending_review',
	overall_confidence numeric(5, 2),
	token_count integer,
	cost numeric(12, 6),
	currency text NOT NULL DEFAULT 'GBP',
	reviewed_by uuid,
	reviewed_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT extractions_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT extractions_company_id_contract_id_key UNIQUE (company_id, contract_id),
	CONSTRAINT extractions_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT extractions_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id) ON DELETE CASCADE,
	CONSTRAINT extractions_reviewed_by_fkey FOREIGN KEY (company_id, reviewed_by)
		REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_extractions_model_name CHECK (length(btrim(model_name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_extractions_model_version CHECK (length(model_version) <= 100),
	CONSTRAINT chk_extractions_provider CHECK (length(btrim(provider)) BETWEEN 1 AND 100),
	CONSTRAINT chk_extractions_status CHECK (status IN ('pending_review', 'approved', 'rejected')),
	CONSTRAINT chk_extractions_overall_confidence CHECK (overall_confidence BETWEEN 0 AND 100),
	CONSTRAINT chk_extractions_token_count CHECK (token_count >= 0),
	CONSTRAINT chk_extractions_cost CHECK (cost >= 0),
	CONSTRAINT chk_extractions_currency CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT chk_extractions_review CHECK (
		(status = 'pending_review' AND reviewed_at IS NULL)
		OR (status <> 'pending_review' AND reviewed_by IS NOT NULL AND reviewed_at IS NOT NULL))
);

COMMENT ON TABLE pactoria.extractions IS 'AI field extraction from a contract (one per contract), and its review status.';

CREATE INDEX idx_extractions_company_id_created_at ON pactoria.extractions (company_id, created_at);
CREATE INDEX idx_extractions_company_id_reviewed_by ON pactoria.extractions (company_id, reviewed_by)
	WHERE reviewed_by IS NOT NULL;

CREATE TABLE pactoria.extraction_fields (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	extraction_id uuid NOT NULL,
	field_name text NOT NULL,
	value text NOT NULL,
	confidence numeric(5, 2),
	source_page integer,
	source_text text,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT extraction_fields_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT extraction_fields_company_id_extraction_id_field_name_key UNIQUE (company_id, extraction_id, field_name),
	CONSTRAINT extraction_fields_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT extraction_fields_extraction_id_fkey FOREIGN KEY (company_id, extraction_id)
		REFERENCES pactoria.extractions (company_id, id) ON DELETE CASCADE,
	CONSTRAINT chk_extraction_fields_field_name CHECK (pactoria.is_valid_identifier(field_name)),
	CONSTRAINT chk_extraction_fields_value CHECK (length(value) <= 100000),
	CONSTRAINT chk_extraction_fields_confidence CHECK (confidence BETWEEN 0 AND 100),
	CONSTRAINT chk_extraction_fields_source_page CHECK (source_page > 0),
	CONSTRAINT chk_extraction_fields_source_text CHECK (length(source_text) <= 100000)
);

COMMENT ON TABLE pactoria.extraction_fields IS 'One row per field the AI extracted (a field it did not find has no row), with its confidence 0-100 and where in the document it was found.';

CREATE TABLE pactoria.corrections (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	extraction_id uuid NOT NULL,
	field_name text NOT NULL,
	original_value text,
	corrected_value text,
	correction_type text NOT NULL,
	corrected_by uuid NOT NULL,
	reason text,
	created_at timestamptz NOT NULL DEFAULT now(),
	extracted_field_name text GENERATED ALWAYS AS (
		CASE WHEN correction_type <> 'missing' THEN field_name END) STORED,
	CONSTRAINT corrections_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT corrections_company_id_extraction_id_field_name_key UNIQUE (company_id, extraction_id, field_name),
	CONSTRAINT corrections_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT corrections_extraction_id_fkey FOREIGN KEY (company_id, extraction_id)
		REFERENCES pactoria.extractions (company_id, id) ON DELETE CASCADE,
	CONSTRAINT corrections_extracted_field_fkey FOREIGN KEY (company_id, extraction_id, extracted_field_name)
		REFERENCES pactoria.extraction_fields (company_id, extraction_id, field_name) ON DELETE CASCADE,
	CONSTRAINT corrections_corrected_by_fkey FOREIGN KEY (company_id, corrected_by)
		REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_corrections_field_name CHECK (pactoria.is_valid_identifier(field_name)),
	CONSTRAINT chk_corrections_correction_type CHECK (correction_type IN ('wrong_value', 'missing', 'not_in_document')),
	CONSTRAINT chk_corrections_values CHECK (
		(correction_type = 'wrong_value' AND original_value IS NOT NULL AND corrected_value IS NOT NULL
			AND original_value <> corrected_value)
		OR (correction_type = 'missing' AND original_value IS NULL AND corrected_value IS NOT NULL)
		OR (correction_type = 'not_in_document' AND original_value IS NOT NULL AND corrected_value IS NULL)),
	CONSTRAINT chk_corrections_original_value CHECK (length(original_value) <= 100000),
	CONSTRAINT chk_corrections_corrected_value CHECK (length(corrected_value) <= 100000),
	CONSTRAINT chk_corrections_reason CHECK (length(reason) <= 2000)
);

COMMENT ON TABLE pactoria.corrections IS 'A reviewer''s correction of one extracted field: wrong_value (extracted, but wrong), missing (in the document, not extracted), not_in_document (extracted, but not in the document).';
COMMENT ON COLUMN pactoria.corrections.extracted_field_name IS 'field_name unless the field was missing: wrong_value and not_in_document corrections must name a field the AI extracted.';

CREATE INDEX idx_corrections_company_id_corrected_by ON pactoria.corrections (company_id, corrected_by);

------------------------------------------------------------------------------------
-- extraction_metrics: daily roll-up per company and model.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.extraction_metrics (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	metric_date date NOT NULL,
	model_name text NOT NULL,
	extraction_count integer NOT NULL DEFAULT 0,
	field_count integer NOT NULL DEFAULT 0,
	correction_count integer NOT NULL DEFAULT 0,
	accuracy numeric(5, 4),
	average_confidence numeric(5, 2),
	token_count bigint NOT NULL DEFAULT 0,
	cost numeric(12, 6) NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT extraction_metrics_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT extraction_metrics_company_id_metric_date_model_name_key UNIQUE (company_id, metric_date, model_name),
	CONSTRAINT extraction_metrics_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT chk_extraction_metrics_model_name CHECK (length(btrim(model_name)) BETWEEN 1 AND 200),
	CONSTRAINT chk_extraction_metrics_counts CHECK (extraction_count >= 0 AND field_count >= 0
		AND correction_count >= 0 AND token_count >= 0),
	CONSTRAINT chk_extraction_metrics_accuracy CHECK (accuracy BETWEEN 0 AND 1),
	CONSTRAINT chk_extraction_metrics_average_confidence CHECK (average_confidence BETWEEN 0 AND 100),
	CONSTRAINT chk_extraction_metrics_cost CHECK (cost >= 0)
);

COMMENT ON TABLE pactoria.extraction_metrics IS 'Daily extraction statistics per company and model (filled by pactoria.refresh_extraction_metrics).';

------------------------------------------------------------------------------------
-- chat_messages: conversations with the AI assistant, optionally about a contract.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.chat_messages (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	conversation_id uuid NOT NULL,
	user_id uuid,
	contract_id uuid,
	role text NOT NULL,
	content text NOT NULL,
	token_count integer,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT chat_messages_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT chat_messages_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT chat_messages_user_id_fkey FOREIGN KEY (company_id, user_id) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chat_messages_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id),
	CONSTRAINT chk_chat_messages_role CHECK (role IN ('user', 'assistant', 'system')),
	CONSTRAINT chk_chat_messages_user CHECK (role <> 'user' OR user_id IS NOT NULL),
	CONSTRAINT chk_chat_messages_content CHECK (length(content) BETWEEN 1 AND 1000000),
	CONSTRAINT chk_chat_messages_token_count CHECK (token_count >= 0)
);

COMMENT ON TABLE pactoria.chat_messages IS 'Messages of conversations with the AI assistant; user messages name their user.';

CREATE INDEX idx_chat_messages_company_id_conversation_id_created_at
	ON pactoria.chat_messages (company_id, conversation_id, created_at);
CREATE INDEX idx_chat_messages_company_id_user_id ON pactoria.chat_messages (company_id, user_id);
CREATE INDEX idx_chat_messages_company_id_contract_id ON pactoria.chat_messages (company_id, contract_id)
	WHERE contract_id IS NOT NULL;

------------------------------------------------------------------------------------
-- risk_assessments: the risk register.  risk_score is always likelihood x impact.
------------------------------------------------------------------------------------
CREATE TABLE pactoria.risk_assessments (
	company_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT pactoria.uuid_generate_v7(),
	contract_id uuid,
	risk_name text NOT NULL,
	risk_category text NOT NULL,
	description text,
	likelihood smallint NOT NULL,
	impact smallint NOT NULL,
	risk_score smallint NOT NULL GENERATED ALWAYS AS (likelihood * impact) STORED,
	risk_level text NOT NULL,
	owner_id uuid,
	status text NOT NULL DEFAULT 'open',
	mitigation_plan text,
	contingency_plan text,
	last_review_date date,
	next_review_date date,
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT risk_assessments_pkey PRIMARY KEY (company_id, id),
	CONSTRAINT risk_assessments_company_id_fkey FOREIGN KEY (company_id) REFERENCES pactoria.companies (id),
	CONSTRAINT risk_assessments_contract_id_fkey FOREIGN KEY (company_id, contract_id)
		REFERENCES pactoria.contracts (company_id, id),
	CONSTRAINT risk_assessments_owner_id_fkey FOREIGN KEY (company_id, owner_id) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT risk_assessments_created_by_fkey FOREIGN KEY (company_id, created_by) REFERENCES pactoria.users (company_id, id),
	CONSTRAINT chk_risk_assessments_risk_name CHECK (length(btrim(risk_name)) BETWEEN 1 AND 300),
	CONSTRAINT chk_risk_assessments_risk_category CHECK (pactoria.is_valid_identifier(risk_category)),
	CONSTRAINT chk_risk_assessments_likelihood CHECK (likelihood BETWEEN 1 AND 5),
	CONSTRAINT chk_risk_assessments_impact CHECK (impact BETWEEN 1 AND 5),
	CONSTRAINT chk_risk_assessments_risk_level CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT chk_risk_assessments_status CHECK (status IN ('open', 'mitigated', 'accepted', 'closed')),
	CONSTRAINT chk_risk_assessments_review_dates CHECK (next_review_date >= last_review_date),
	CONSTRAINT chk_risk_assessments_description CHECK (length(description) <= 20000),
	CONSTRAINT chk_risk_assessments_mitigation_plan CHECK (length(mitigation_plan) <= 20000),
	CONSTRAINT chk_risk_assessments_contingency_plan CHECK (length(contingency_plan) <= 20000)
);

COMMENT ON TABLE pactoria.risk_assessments IS 'The risk register: likelihood and impact 1-5, score = likelihood x impact (1-25), level from the score.';

CREATE INDEX idx_risk_assessments_company_id_contract_id ON pactoria.risk_assessments (company_id, contract_id)
	WHERE contract_id IS NOT NULL;
CREATE INDEX idx_risk_assessments_company_id_owner_id ON pactoria.risk_assessments (company_id, owner_id);
CREATE INDEX idx_risk_assessments_company_id_next_review_date ON pactoria.risk_assessments (company_id, next_review_date)
	WHERE status = 'open';

------------------------------------------------------------------------------------
-- updated_at, tenant isolation and pg_dump, table by table.
------------------------------------------------------------------------------------
DO $$
DECLARE
	table_name text;
BEGIN
	FOREACH table_name IN ARRAY ARRAY['companies', 'users', 'templates', 'contracts', 'extractions',
									  'extraction_metrics', 'risk_assessments'] LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON pactoria.%I'
					   ' FOR EACH ROW EXECUTE FUNCTION pactoria.set_updated_at()',
					   'trg_' || table_name || '_set_updated_at', table_name);
	END LOOP;

	FOREACH table_name IN ARRAY ARRAY['users', 'user_sessions', 'ai_generations', 'contracts',
									  'contract_versions', 'compliance_scores', 'extractions',
									  'extraction_fields', 'corrections', 'extraction_metrics',
									  'chat_messages', 'risk_assessments'] LOOP
		PERFORM pactoria.enable_tenant_isolation(format('pactoria.%I', table_name)::regclass);
	END LOOP;

	FOREACH table_name IN ARRAY ARRAY['companies', 'users', 'user_sessions', 'ai_generations', 'contracts',
									  'contract_versions', 'compliance_scores', 'extractions',
									  'extraction_fields', 'corrections', 'extraction_metrics',
									  'chat_messages', 'risk_assessments'] LOOP
		PERFORM pg_catalog.pg_extension_config_dump(format('pactoria.%I', table_name)::regclass, '');
	END LOOP;
END
$$;

-- System templates are re-created by CREATE EXTENSION; only companies' own are dumped.
SELECT pg_catalog.pg_extension_config_dump('pactoria.templates', 'WHERE company_id IS NOT NULL');
