#!/usr/bin/env bash
# The lists the C code holds equal the CHECK constraints of the tables.
# - Contract statuses: the table of src/contract_status.c (the lifecycle rules)
#   knows exactly the statuses chk_contracts_status admits, no more, no fewer:
#   a tiny program linked with contract_status.c (pure C) checks every status
#   the installed constraint names and counts the C table.
# - User roles: every role the C code compares with (strcmp(role, "...")) is
#   one chk_users_role admits.
source "$(dirname "$0")/lib.bash"
plan 3

cd "$(dirname "$0")/../.."
db=$(fresh_database c_lists) || { echo "Bail out! cannot create database"; exit 1; }
sql "$db" "CREATE EXTENSION pactoria CASCADE" >/dev/null 2>&1 || { echo "Bail out! CREATE EXTENSION pactoria failed"; exit 1; }
status_source=$(find src -name contract_status.c | head -1)
[ -n "$status_source" ] || { echo "Bail out! contract_status.c not found"; exit 1; }

# check_values <constraint> <table>: the quoted literals of a CHECK (col IN (...)) constraint.
check_values() {
	sql "$db" "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = '$1' AND conrelid = 'pactoria.$2'::regclass" \
		| grep -o "'[a-z_]*'" | tr -d "'" | sort
}

scratch_dir || { echo "Bail out! cannot make a scratch directory"; exit 1; }
work=$TAP_WORK
cat >"$work/statuses.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "contract_status.h"
/* Arguments: the statuses of the CHECK constraint.  Prints one line per problem. */
int
main(int argc, char **argv)
{
	int			problems = 0;

	for (int i = 1; i < argc; i++)
		if (contract_status_from_name(argv[i], strlen(argv[i])) == CONTRACT_STATUS_UNKNOWN)
		{
			printf("the C table does not know \"%s\"\n", argv[i]);
			problems++;
		}
	if (argc - 1 != (int) CONTRACT_STATUS_UNKNOWN)
	{
		printf("the constraint admits %d statuses, the C table has %d\n", argc - 1, (int) CONTRACT_STATUS_UNKNOWN);
		problems++;
	}
	return problems != 0;
}
C
statuses=$(check_values chk_contracts_status contracts)
ok cc -Wall -Wextra -Werror -I"$(dirname "$status_source")" -o "$work/statuses" "$work/statuses.c" "$status_source" \
	"the status table builds on its own (no PostgreSQL header)"
# shellcheck disable=SC2086
result=$("$work/statuses" $statuses 2>&1 && echo same)
is "$result" "same" "the C status table and chk_contracts_status name the same $(echo $statuses | wc -w) statuses"

roles=$(check_values chk_users_role users)
c_roles=$(grep -ho 'strcmp(role, "[a-z_]*")' src/*.c src/*/*.c 2>/dev/null | grep -o '"[a-z_]*"' | tr -d '"' | sort -u)
missing=$(comm -13 <(echo "$roles") <(echo "$c_roles") | paste -sd ' ' -)
is "${missing:-none} ($(echo $c_roles | wc -w) roles compared in C)" "none (2 roles compared in C)" \
	"every role the C code compares with is one chk_users_role admits"
done_testing
