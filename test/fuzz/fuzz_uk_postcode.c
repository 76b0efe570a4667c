/*
 * fuzz_uk_postcode.c
 *		libFuzzer target for uk_postcode_normalise and uk_postcode_parts.
 *
 * Beyond "no crash" (AddressSanitizer and UndefinedBehaviorSanitizer are on),
 * it checks: the answer equals a plain reference implementation of the
 * rules; a valid postcode's canonical form is printable ASCII in the right
 * shape, normalises to itself, and a messy retyping of it normalises back to
 * it; an invalid one names a rule; the parts lie inside the postcode.
 */
#include "fuzz_common.h"
#include "uk_postcode.h"

/* The reference: does the compacted text match one of the shapes? */
static bool
reference_valid(const char *c)
{
	static const char *const outward_shapes[] = {"A9", "A99", "AA9", "AA99", "A9A", "AA9A"};
	size_t		n = strlen(c);

	if (strcmp(c, "GIR0AA") == 0)
		return true;
	if (n < 5 || n > 7)
		return false;
	for (size_t s = 0; s < sizeof(outward_shapes) / sizeof(outward_shapes[0]); s++)
	{
		const char *shape = outward_shapes[s];
		size_t		outward = strlen(shape);
		bool		match = (outward == n - 3);

		for (size_t i = 0; match && i < outward; i++)
			match = reference_in(c[i], shape[i] == '9' ? "0123456789" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if (!match)
			continue;
		if (reference_in(c[0], "QVX"))
			return false;
		if (shape[1] == 'A' && reference_in(c[1], "IJZ"))
			return false;
		if (strcmp(shape, "A9A") == 0 && !reference_in(c[2], "ABCDEFGHJKPSTUW"))
			return false;
		if (strcmp(shape, "AA9A") == 0 && !reference_in(c[3], "ABEHMNPRVWXY"))
			return false;
		return reference_in(c[n - 3], "0123456789") &&
			reference_in(c[n - 2], "ABDEFGHJLNPQRSTUWXYZ") &&
			reference_in(c[n - 1], "ABDEFGHJLNPQRSTUWXYZ");
	}
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		output[UK_POSTCODE_BUFFER_SIZE];
	char	   *compact = NULL;
	bool		reference = reference_compact(data, size, &compact) && reference_valid(compact);

	if (fuzz_check_normalise(uk_postcode_normalise, reference, data, size, output, sizeof(output)))
	{
		size_t		n = strlen(output);
		UkPostcodeParts parts;

		FUZZ_CHECK(n >= 6 && n <= 8);
		FUZZ_CHECK(output[n - 4] == ' ' && strchr(output, ' ') == output + n - 4);
		/* The canonical form is the compacted input with the space put back. */
		FUZZ_CHECK(strncmp(output, compact, n - 4) == 0 && strcmp(output + n - 3, compact + n - 4) == 0);
		uk_postcode_parts(output, &parts);
		FUZZ_CHECK(parts.length == n && parts.outward_length == n - 4);
		FUZZ_CHECK(parts.area_length >= 1 && parts.area_length <= parts.outward_length);
	}
	free(compact);
	return 0;
}
