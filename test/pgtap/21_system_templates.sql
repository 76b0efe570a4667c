-- The system contract template catalogue (src/sql/21_system_templates.sql):
-- rows of pactoria.templates with company_id NULL, shipped with the extension.
-- These tests check the catalogue's identity (fixed ids), its completeness
-- against the kinds the data-model issue requires, the well-formedness of every
-- placeholder, the legal notes, and the statutory content of the documents
-- where the law prescribes it (UK GDPR Article 28(3), ERA 1996 section 203).
BEGIN;
SELECT plan(66);

-- The catalogue as a whole --------------------------------------------------

SELECT cmp_ok(
	(SELECT count(*) FROM pactoria.templates WHERE company_id IS NULL AND is_active)::integer,
	'>=', 20,
	'at least 20 active system templates are shipped');

SELECT set_has(
	$$SELECT contract_type FROM pactoria.templates WHERE company_id IS NULL AND is_active$$,
	$$VALUES ('service_agreement'), ('nda_mutual'), ('nda_one_way'), ('employment_contract'),
		('consultancy_agreement'), ('freelancer_agreement'), ('supply_of_goods'),
		('saas_subscription'), ('data_processing_agreement'), ('software_licence'),
		('distribution_agreement'), ('commercial_agency_agreement'), ('loan_agreement'),
		('partnership_agreement'), ('shareholders_agreement'), ('settlement_agreement'),
		('directors_service_agreement'), ('website_terms_of_use'), ('privacy_notice')$$,
	'every kind of template the issue requires is present and active');

-- Contracts reference templates by id and a restore re-creates system
-- templates from the install script, so ids must never change.
SELECT results_eq(
	$$SELECT id, name, category, contract_type FROM pactoria.templates
	  WHERE company_id IS NULL ORDER BY id$$,
	$$VALUES
	('01954f00-b000-755a-924f-87b17ee14c87'::uuid, 'Service Agreement', 'commercial', 'service_agreement'),
	('01954f00-b3e8-7fb1-aad9-65491646c94c', 'Mutual Non-Disclosure Agreement', 'confidentiality', 'nda_mutual'),
	('01954f00-b7d0-71de-b93d-ff690d25208b', 'One-Way Non-Disclosure Agreement', 'confidentiality', 'nda_one_way'),
	('01954f00-bbb8-7604-b4ab-a8b9781ea374', 'Employment Contract', 'employment', 'employment_contract'),
	('01954f00-bfa0-7731-a44c-d8718c59bb4b', 'Consultancy Agreement', 'commercial', 'consultancy_agreement'),
	('01954f00-c388-79e0-83f8-10fc18796532', 'Freelancer Agreement', 'commercial', 'freelancer_agreement'),
	('01954f00-c770-7a1e-882a-d462d0ec44ed', 'Terms and Conditions for the Supply of Goods', 'commercial', 'supply_of_goods'),
	('01954f00-cb58-7857-b9ab-4daeb7a0bcfb', 'SaaS Subscription Agreement', 'technology', 'saas_subscription'),
	('01954f00-cf40-789d-951c-7c69087df6cf', 'Data Processing Agreement (UK GDPR Article 28)', 'data_protection', 'data_processing_agreement'),
	('01954f00-d328-7f20-b040-6d4ea3b4dfd6', 'Software Licence Agreement', 'technology', 'software_licence'),
	('01954f00-d710-7d0d-86fc-8a13c0720598', 'Distribution Agreement', 'commercial', 'distribution_agreement'),
	('01954f00-daf8-72bc-934e-16d498e95328', 'Commercial Agency Agreement', 'commercial', 'commercial_agency_agreement'),
	('01954f00-dee0-7b5d-8381-d3505d9a8608', 'Loan Agreement', 'finance', 'loan_agreement'),
	('01954f00-e2c8-73d2-8dba-6fd906ba48e3', 'Partnership Agreement', 'corporate', 'partnership_agreement'),
	('01954f00-e6b0-78d3-890e-6abe01732ef9', 'Shareholders'' Agreement', 'corporate', 'shareholders_agreement'),
	('01954f00-ea98-77cf-aa45-8fc62d9c5d5c', 'Settlement Agreement', 'employment', 'settlement_agreement'),
	('01954f00-ee80-7c22-8ef8-43080301bc34', 'Director''s Service Agreement', 'employment', 'directors_service_agreement'),
	('01954f00-f268-7390-836e-5b5f1812d6a5', 'Website Terms of Use', 'website', 'website_terms_of_use'),
	('01954f00-f650-7226-b482-96d43fbadb0e', 'Privacy Notice', 'data_protection', 'privacy_notice'),
	('01954f00-fa38-749e-92b8-1a1ea519a523', 'Terms and Conditions for Services to Consumers', 'consumer', 'consumer_services_terms'),
	('01954f00-fe20-7a32-b6d8-b08cf4368c8e', 'Terms and Conditions for Online Sales of Goods to Consumers', 'consumer', 'consumer_goods_terms'),
	('01954f01-0208-7ce3-9502-04a456f17bad', 'Letter of Engagement', 'commercial', 'letter_of_engagement'),
	('01954f01-05f0-7c18-bc73-39b77091f492', 'Intellectual Property Assignment Deed', 'intellectual_property', 'ip_assignment'),
	('01954f01-09d8-7619-b1e7-6e15124f474c', 'Commercial Lease Heads of Terms', 'property', 'commercial_lease_heads_of_terms'),
	('01954f01-0dc0-7855-85dd-cb9402a5bac3', 'Subcontractor Agreement', 'commercial', 'subcontractor_agreement'),
	('01954f01-11a8-7b0b-a043-0492d0000a92', 'Cookie Policy', 'website', 'cookie_policy')$$,
	'system template ids, names, categories and contract types are fixed');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  GROUP BY name HAVING count(*) > 1$$,
	'system template names are unique');

SELECT is_empty(
	$$SELECT contract_type FROM pactoria.templates WHERE company_id IS NULL
	  GROUP BY contract_type HAVING count(*) > 1$$,
	'each contract type has one system template, so it can be looked up by contract type');

SELECT is_empty(
	$$SELECT name, category FROM pactoria.templates WHERE company_id IS NULL
	  AND category NOT IN ('commercial', 'confidentiality', 'employment', 'data_protection',
		'technology', 'corporate', 'finance', 'consumer', 'website', 'property',
		'intellectual_property')$$,
	'every system template uses one of the documented categories');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND (contract_type !~ '^[a-z][a-z0-9_]{1,62}$'
		OR char_length(name) NOT BETWEEN 1 AND 200
		OR name <> btrim(name))$$,
	'contract types are lower snake case and names are trimmed and at most 200 characters');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND (version <> 1 OR NOT is_active)$$,
	'every system template ships active at version 1');

-- Shipped rows carry the catalogue's date, not the install time, so they are
-- identical in every database and a restore into a fresh database matches.
SELECT is_empty(
	$$SELECT name, created_at, updated_at FROM pactoria.templates WHERE company_id IS NULL
	  AND (created_at <> timestamptz '2025-03-01 00:00:00+00'
		OR updated_at <> timestamptz '2025-03-01 00:00:00+00')$$,
	'system templates carry the fixed catalogue date in created_at and updated_at');

-- The documents ---------------------------------------------------------------

SELECT is_empty(
	$$SELECT name, char_length(template_content) FROM pactoria.templates
	  WHERE company_id IS NULL AND char_length(template_content) < 1500$$,
	'every template is a document of at least 1500 characters');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND regexp_count(template_content, '^[0-9]+\. [A-Z]', 1, 'n') < 5$$,
	'every template has at least five numbered clauses');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND template_content ~* '(lorem ipsum|\mTODO\M|\mTBC\M|\mFIXME\M|\mXXX\M)'$$,
	'no template contains filler or to-do markers');

SELECT is_empty(
	$$SELECT t.name, count(DISTINCT m.match[1]) AS placeholders
	  FROM pactoria.templates t
	  LEFT JOIN LATERAL regexp_matches(t.template_content, '\{\{([a-z][a-z0-9_]*)\}\}', 'g')
		AS m(match) ON true
	  WHERE t.company_id IS NULL
	  GROUP BY t.name HAVING count(DISTINCT m.match[1]) < 3$$,
	'every template has at least three distinct placeholders');

SELECT is_empty(
	$$SELECT name,
		substring(regexp_replace(template_content, '\{\{[a-z][a-z0-9_]*\}\}', '', 'g')
			FROM '.{0,30}[{}].{0,30}') AS around
	  FROM pactoria.templates WHERE company_id IS NULL
	  AND regexp_replace(template_content, '\{\{[a-z][a-z0-9_]*\}\}', '', 'g') ~ '[{}]'$$,
	'every brace in a template belongs to a well-formed {{snake_case}} placeholder');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND (name ~ '[{}]' OR description ~ '[{}]' OR legal_notes ~ '[{}]')$$,
	'placeholders appear only in template_content');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND (octet_length(name) <> char_length(name)
		OR octet_length(description) <> char_length(description)
		OR octet_length(template_content) <> char_length(template_content)
		OR octet_length(legal_notes) <> char_length(legal_notes)
		OR octet_length(compliance_features::text) <> char_length(compliance_features::text)
		OR octet_length(suitable_for::text) <> char_length(suitable_for::text))$$,
	'the catalogue is plain ASCII, so the install script reads the same in every database encoding');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND char_length(description) NOT BETWEEN 40 AND 400$$,
	'every template has a one- or two-sentence description');

-- Legal notes and metadata ----------------------------------------------------

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND legal_notes !~ '\m(Act|Regulations) [0-9]{4}\M'$$,
	'every legal_notes names an Act or Regulations with its year');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND legal_notes NOT LIKE '%not legal advice%'$$,
	'every legal_notes says the template is not legal advice');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND legal_notes !~ '(England and Wales|United Kingdom|UK-wide)'$$,
	'every legal_notes names the jurisdiction it is written for');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND (jsonb_typeof(compliance_features) IS DISTINCT FROM 'array'
		OR jsonb_array_length(compliance_features) = 0
		OR EXISTS (SELECT FROM jsonb_array_elements(compliance_features) AS f(feature)
			WHERE jsonb_typeof(f.feature) <> 'string' OR btrim(f.feature #>> '{}') = ''))$$,
	'compliance_features is a non-empty JSON array of non-empty strings');

SELECT is_empty(
	$$SELECT name FROM pactoria.templates WHERE company_id IS NULL
	  AND (jsonb_typeof(suitable_for) IS DISTINCT FROM 'array'
		OR jsonb_array_length(suitable_for) = 0
		OR EXISTS (SELECT FROM jsonb_array_elements(suitable_for) AS s(audience)
			WHERE jsonb_typeof(s.audience) <> 'string'
			OR s.audience #>> '{}' NOT IN ('sme', 'startup', 'enterprise', 'sole_trader',
				'charity', 'consumer_facing', 'partnership')))$$,
	'suitable_for is a non-empty JSON array of known audience strings');

-- has_phrases(kind, phrases, description): one test that the system template of
-- contract type kind contains every phrase literally; the diagnostics list the
-- phrases that are missing (all of them when the template itself is missing).
CREATE FUNCTION pg_temp.has_phrases(kind text, phrases text[], description text)
RETURNS text
LANGUAGE sql
AS $$
	SELECT is_empty(
		format($query$SELECT phrase FROM unnest(%L::text[]) AS required(phrase)
			WHERE NOT EXISTS (SELECT FROM pactoria.templates t
				WHERE t.company_id IS NULL AND t.contract_type = %L
				AND strpos(t.template_content, required.phrase) > 0)$query$,
			phrases, kind),
		description)
$$;

-- The statutory content of the documents: for each kind the wording it must
-- carry, then where the law prescribes a contract's content (UK GDPR Art. 28(3),
-- ERA 1996 s.203(3)) one test per obligation, so that a failure names it.
SELECT pg_temp.has_phrases(kind, phrases, description)
FROM (VALUES
	-- Each template contains the statutory wording its kind requires.
	('service_agreement', ARRAY[
		'Late Payment of Commercial Debts (Interest) Act 1998',
		'Bribery Act 2010',
		'Contracts (Rights of Third Parties) Act 1999'],
		'service agreement: late payment interest, anti-bribery and third-party rights'),
	('nda_mutual', ARRAY[
		'Part IVA of the Employment Rights Act 1996'],
		'mutual NDA: protected disclosures preserved'),
	('nda_one_way', ARRAY[
		'Part IVA of the Employment Rights Act 1996'],
		'one-way NDA: protected disclosures preserved'),
	('employment_contract', ARRAY[
		'Working Time Regulations 1998',
		'section 86 of the ERA',
		'Pensions Act 2008'],
		'employment contract: working time, statutory notice and pensions'),
	('consultancy_agreement', ARRAY[
		'Chapters 8 and 10 of Part 2 of the Income Tax (Earnings and Pensions) Act 2003',
		'status determination statement'],
		'consultancy agreement: off-payroll working rules and status determination statement'),
	('freelancer_agreement', ARRAY[
		'Late Payment of Commercial Debts (Interest) Act 1998',
		'Copyright, Designs and Patents Act 1988'],
		'freelancer agreement: late payment and copyright'),
	('supply_of_goods', ARRAY[
		'section 12 of the Sale of Goods Act 1979',
		'Title to the Goods does not pass',
		'Consumer Protection Act 1987'],
		'supply of goods: title term preserved, retention of title, product liability'),
	('saas_subscription', ARRAY[
		'Article 28 of the UK GDPR',
		'Computer Misuse Act 1990'],
		'SaaS subscription: Article 28 processor terms and computer misuse'),
	('software_licence', ARRAY[
		'sections 50A, 50B and 50BA',
		'section 296A'],
		'software licence: permitted acts under the CDPA 1988 preserved'),
	('distribution_agreement', ARRAY[
		'shall not fix, or impose a minimum for',
		'passive sales'],
		'distribution agreement: no resale price maintenance, passive sales free'),
	('commercial_agency_agreement', ARRAY[
		'Commercial Agents (Council Directive) Regulations 1993',
		'regulation 17',
		'one month during the first year, two months during the second year, and three months'],
		'commercial agency: the Regulations, termination payment and minimum notice'),
	('loan_agreement', ARRAY[
		'section 123 of the Insolvency Act 1986'],
		'loan agreement: insolvency by reference to the Insolvency Act 1986'),
	('partnership_agreement', ARRAY[
		'Partnership Act 1890'],
		'partnership agreement: Partnership Act 1890'),
	('shareholders_agreement', ARRAY[
		'section 561 of that Act',
		'DRAG ALONG',
		'TAG ALONG'],
		'shareholders agreement: pre-emption, drag along and tag along'),
	('directors_service_agreement', ARRAY[
		'section 188 of the Companies Act 2006',
		'section 228 of the Companies Act 2006',
		'sections 171 to 177 of the Companies Act 2006'],
		'director service agreement: Companies Act 2006 sections 171-177, 188 and 228'),
	('website_terms_of_use', ARRAY[
		'company number {{company_number}}',
		'Computer Misuse Act 1990'],
		'website terms: trader identification and misuse'),
	('privacy_notice', ARRAY[
		'Article 6(1)(b)',
		'Information Commissioner',
		'within one month'],
		'privacy notice: lawful basis, regulator and response time'),
	('consumer_services_terms', ARRAY[
		'Consumer Rights Act 2015',
		'change your mind within 14 days',
		'MODEL CANCELLATION FORM'],
		'consumer services: Consumer Rights Act 2015, 14-day cancellation, model form'),
	('consumer_goods_terms', ARRAY[
		'Consumer Rights Act 2015',
		'within 30 days',
		'MODEL CANCELLATION FORM'],
		'consumer goods: Consumer Rights Act 2015, 30-day delivery, model form'),
	('letter_of_engagement', ARRAY[
		'Money Laundering, Terrorist Financing and Transfer of Funds',
		'Proceeds of Crime Act 2002'],
		'letter of engagement: anti-money laundering and reporting duties'),
	('ip_assignment', ARRAY[
		'full title guarantee',
		'moral rights under Chapter IV of Part I of the Copyright, Designs and Patents Act 1988',
		'SIGNED AS A DEED'],
		'IP assignment: full title guarantee, moral rights waiver, executed as a deed'),
	('commercial_lease_heads_of_terms', ARRAY[
		'SUBJECT TO CONTRACT',
		'sections 24 to 28 of the Landlord and Tenant Act 1954',
		'Code for Leasing Business Premises'],
		'lease heads of terms: subject to contract, 1954 Act, leasing code'),
	('subcontractor_agreement', ARRAY[
		'pay less notice',
		'section 113 of the Housing Grants, Construction and Regeneration Act 1996',
		'refer a dispute to adjudication at any time'],
		'subcontract: pay less notices, no pay-when-paid, adjudication'),
	('cookie_policy', ARRAY[
		'strictly necessary',
		'We do not set non-essential cookies unless you accept them'],
		'cookie policy: strictly necessary exemption and consent first'),
	-- UK GDPR Article 28(3): the data processing agreement, obligation by obligation.
	('data_processing_agreement', ARRAY[
		'subject-matter of the processing', 'duration of the processing',
		'nature and purpose of the processing', 'type of personal data', 'categories of data subjects'],
		'DPA sets out subject-matter, duration, nature and purpose, data types and data subjects (Art. 28(3))'),
	('data_processing_agreement', ARRAY[
		'process the personal data only on documented instructions from the Controller, including with regard to transfers of personal data to a third country'],
		'DPA: processing only on documented instructions, including transfers (Art. 28(3)(a))'),
	('data_processing_agreement', ARRAY[
		'immediately inform the Controller if, in its opinion, an instruction infringes'],
		'DPA: processor tells the controller of an infringing instruction (Art. 28(3) final subparagraph)'),
	('data_processing_agreement', ARRAY[
		'have committed themselves to confidentiality or are under an appropriate statutory obligation of confidentiality'],
		'DPA: confidentiality of persons authorised to process (Art. 28(3)(b))'),
	('data_processing_agreement', ARRAY[
		'take all measures required pursuant to Article 32'],
		'DPA: security measures under Article 32 (Art. 28(3)(c))'),
	('data_processing_agreement', ARRAY[
		'prior specific or general written authorisation of the Controller', 'opportunity to object',
		'the same data protection obligations as are set out in this Agreement',
		'remains fully liable to the Controller'],
		'DPA: sub-processor authorisation, objection, flow-down and liability (Art. 28(3)(d), 28(2), 28(4))'),
	('data_processing_agreement', ARRAY[
		'respond to requests for exercising the data subject''s rights laid down in Chapter III'],
		'DPA: assistance with data subject requests (Art. 28(3)(e))'),
	('data_processing_agreement', ARRAY[
		'obligations pursuant to Articles 32 to 36'],
		'DPA: assistance with Articles 32 to 36 (Art. 28(3)(f))'),
	('data_processing_agreement', ARRAY[
		'without undue delay, and in any event within {{breach_notification_hours}} hours, after becoming aware of a personal data breach'],
		'DPA: processor notifies personal data breaches without undue delay (Art. 33(2))'),
	('data_processing_agreement', ARRAY[
		'At the choice of the Controller, the Processor shall delete or return all the personal data',
		'delete existing copies unless domestic law requires storage'],
		'DPA: deletion or return at the end of the services (Art. 28(3)(g))'),
	('data_processing_agreement', ARRAY[
		'all information necessary to demonstrate compliance with the obligations laid down in Article 28',
		'audits, including inspections'],
		'DPA: information and audits, including inspections (Art. 28(3)(h))'),
	('data_processing_agreement', ARRAY['Chapter V of the UK GDPR'],
		'DPA: restricted transfers only under Chapter V'),
	-- Settlement agreement: the conditions of ERA 1996 s.203(3) and EqA 2010 s.147.
	('settlement_agreement', ARRAY[
		'relevant independent adviser within section 203(3A) of the Employment Rights Act 1996',
		'independent adviser within section 147 of the Equality Act 2010',
		'its effect on the Employee''s ability to pursue the Employee''s rights before an employment tribunal'],
		'settlement agreement: advice from a relevant independent adviser on terms and effect (ERA s.203(3)(c), EqA s.147)'),
	('settlement_agreement', ARRAY[
		'contract of insurance, or an indemnity provided for members of a profession or professional body'],
		'settlement agreement: adviser covered by insurance or professional indemnity (ERA s.203(3)(d))'),
	('settlement_agreement', ARRAY[
		'from {{adviser_name}} of {{adviser_firm}}',
		'not acting in the matter for the Employer or an associated employer'],
		'settlement agreement: identifies the adviser, who is independent of the employer (ERA s.203(3)(e), s.203(4))'),
	('settlement_agreement', ARRAY[
		'The conditions regulating settlement agreements under section 203(3) of the Employment Rights Act 1996, section 147 of the Equality Act 2010'],
		'settlement agreement: states that the statutory conditions are satisfied (ERA s.203(3)(f))'),
	('settlement_agreement', ARRAY[
		'particular complaints', 'protected disclosure within the meaning of section 43A'],
		'settlement agreement: lists particular complaints and preserves protected disclosures'),
	-- Employment contract: the section 1 written statement particulars and working time.
	('employment_contract', ARRAY[
		'{{employer_name}}', '{{employee_name}}', '{{start_date}}',
		'{{continuous_employment_start_date}}', '{{annual_salary}}', '{{normal_working_hours}}',
		'{{working_days}}', '{{annual_holiday_days}}', '{{company_sick_pay}}',
		'{{other_paid_leave}}', '{{pension_scheme_name}}', '{{benefits}}',
		'{{employee_notice_period}}', '{{employer_notice_period}}', '{{job_title}}',
		'{{probation_period}}', '{{place_of_work}}', '{{collective_agreements}}',
		'{{mandatory_training}}', '{{appeal_contact}}', '{{grievance_contact}}',
		'outside the United Kingdom for more than one month'],
		'employment contract covers every written statement particular (ERA 1996 s.1)'),
	('employment_contract', ARRAY[
		'average of 48 hours', '11 consecutive hours', '5.6 weeks'],
		'employment contract: 48-hour limit and opt-out, daily rest and 5.6 weeks holiday (Working Time Regulations 1998)'),
	-- Commercial agency: the Commercial Agents Regulations 1993.
	('commercial_agency_agreement', ARRAY[
		'within one year after termination', 'shall not exceed two years'],
		'commercial agency: one-year claim notice and two-year restraint limit (Regulations 1993 regs 17(9) and 20)')
) AS checks(kind, phrases, description);

SELECT * FROM finish();
ROLLBACK;
