
-- 95_comments.sql: comments that did not say what the code does.
--  * uuid_v7_time(uuid): 0.1.0's said "to about 0.25 ms"; the function reads the
--    48-bit millisecond timestamp and the 12 bits of rand_a as a fraction of the
--    millisecond (1/4096 ms), so it gives the time to the microsecond, and that
--    fraction is time only in the UUIDs pactoria.uuid_generate_v7() makes.
COMMENT ON FUNCTION pactoria.uuid_v7_time(uuid) IS
'When a version-7 UUID was generated, to the microsecond: its 48-bit Unix timestamp in milliseconds plus its 12 rand_a bits read as a fraction of the millisecond (1/4096 ms). The fraction is time only in UUIDs made by pactoria.uuid_generate_v7(); other generators may fill rand_a at random, and their UUIDs give the time to the millisecond only. NULL for a UUID of another version.';
--  * audit_columns(regclass): it has a fourth treatment, personal (issue 16).
COMMENT ON FUNCTION pactoria.audit_columns(regclass) IS
'How the audit trail treats each column of a table: logged, redacted (secrets, and system_config audit.redacted_columns), personal (audit.personal_columns: encrypted under the key of the person the row is about) or ignored (generated columns, and audit.ignored_columns).';
