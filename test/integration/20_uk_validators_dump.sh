#!/usr/bin/env bash
# Columns of the types pactoria.uk_company_number, uk_postcode and uk_vat_number
# survive pg_dump and pg_restore: the dump holds the canonical text, which the input
# functions read back unchanged, and the unique index on such a column is rebuilt.
source "$(dirname "$0")/lib.bash"
plan 5

dump_databases uk_dump || { echo "Bail out! cannot create databases"; exit 1; }

ok sql "$source_db" "
	SET client_min_messages = warning;
	CREATE EXTENSION pactoria CASCADE;
	CREATE TABLE suppliers (
		registration_number pactoria.uk_company_number PRIMARY KEY,
		vat_number pactoria.uk_vat_number UNIQUE,
		postcode pactoria.uk_postcode);
	INSERT INTO suppliers VALUES
		('644831', 'gb 980 7806 84', 'sw1a1aa'),
		('sc 123 456', 'XI 100 0001 32', ' eh1 1yz '),
		('ip00141r', 'gd100', NULL);" "a table with the three column types is filled from messy text"
ok pg_dump -Fc -f "$dump_file" "$source_db" "pg_dump writes it"
ok pg_restore --exit-on-error -d "$target_db" "$dump_file" "pg_restore reads it into an empty database"
rows() { sql "$1" "SELECT string_agg(concat_ws('|', registration_number, vat_number, postcode), ';' ORDER BY registration_number) FROM suppliers"; }
is "$(rows "$target_db")" "00644831|GB980780684|SW1A 1AA;IP00141R|GBGD100;SC123456|XI100000132|EH1 1YZ" \
	"the restored rows are the canonical values"
is "$(sql "$target_db" "SELECT count(*) FROM pg_indexes WHERE tablename = 'suppliers'")" "2" \
	"the primary key and the unique index are rebuilt"

done_testing
