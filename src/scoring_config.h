/*
 * scoring_config.h
 *		What the SQL interface of pactoria's scoring (scoring_risk.c,
 *		scoring_compliance.c, scoring_accuracy.c) shares: reading its
 *		configuration once per statement, the jsonb and numeric helpers of its
 *		arguments and configuration values, and the check of the values set.
 */
#ifndef PACTORIA_SCORING_CONFIG_H
#define PACTORIA_SCORING_CONFIG_H

#include "fmgr.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#define CONFIG_HINT "Correct the value in pactoria.system_config, or delete it there to use the default."

/*
 * The value of a configuration key, through pactoria.get_config, the one
 * place that knows how defaults and deployment values combine.
 */
extern Jsonb *scoring_read_config(const char *key);

/*
 * Cache space of one function in fn_extra for a value of the given size,
 * zeroed when first made.  *is_current says whether the value in it was read
 * in this statement; when not, read the configuration into it and call
 * scoring_config_cache_done.
 */
extern void *scoring_config_cache(FunctionCallInfo fcinfo, Size value_size, bool *is_current);
extern void scoring_config_cache_done(FunctionCallInfo fcinfo);

/* A jsonb value as text, for error messages. */
extern char *scoring_jsonb_value_text(JsonbValue *value);

/* A jsonb string's text as a C string. */
extern char *scoring_jsonb_string(const JsonbValue *value);

/* The type name of a whole jsonb document, as jsonb_typeof says it. */
extern const char *scoring_jsonb_root_type(Jsonb *document);

/*
 * The members of a jsonb object, one call at a time: false when there are no
 * more.  The iterator walks the top level only.
 */
extern bool scoring_next_object_member(JsonbIterator **iterator, JsonbValue *key,
									   JsonbValue *value);

/*
 * value * scale rounded half away from zero into *result, when the exact
 * product lies in [minimum, maximum]; false otherwise (also for NaN and
 * infinity).
 */
extern bool scoring_numeric_to_scaled(Numeric value, int32 scale, int32 minimum, int32 maximum,
									  int32 *result);

/*
 * The check of a value set in pactoria.system_config
 * (pactoria_check_scoring_config): each concern checks its own keys, with
 * the very code that reads them.  True when the key is one of the concern's
 * (and its value valid: an invalid one is an error), false otherwise.
 */
extern bool scoring_risk_checks_config(const char *key, Jsonb *config);
extern bool scoring_compliance_checks_config(const char *key, Jsonb *config);
extern bool scoring_accuracy_checks_config(const char *key, Jsonb *config);

#endif							/* PACTORIA_SCORING_CONFIG_H */
