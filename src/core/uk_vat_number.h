/*
 * uk_vat_number.h
 *		UK VAT registration numbers: normalise what a user typed and check
 *		it (format, check digits, the number ranges VIES enforces).
 *
 * Pure C: no PostgreSQL header.  The fmgr wrappers live in uk_validators.c.
 */
#ifndef UK_VAT_NUMBER_H
#define UK_VAT_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/* Longest canonical VAT number ("GB" + 12 digits) plus its terminating NUL. */
#define UK_VAT_NUMBER_BUFFER_SIZE 15

extern bool uk_vat_number_normalise(const char *input, size_t length,
									char output[UK_VAT_NUMBER_BUFFER_SIZE],
									const char **rule_broken);

#endif							/* UK_VAT_NUMBER_H */
