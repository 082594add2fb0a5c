/* yaml_resolve.h: how yaml.v3 (or Istio 1.1's yaml.v2) resolves a scalar's tag and text to a value (no libyaml here). */
#ifndef TMPL_YAML_RESOLVE_H
#define TMPL_YAML_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A node's tag: none (or the non-specific "!"), one of the YAML types yaml.v3
 * knows, or any other tag (whose scalars are plain strings). */
enum yr_tag {
	YR_T_NONE,
	YR_T_STR,
	YR_T_BOOL,
	YR_T_INT,
	YR_T_FLOAT,
	YR_T_NULL,
	YR_T_TIMESTAMP,
	YR_T_BINARY,
	YR_T_MERGE,
	YR_T_OTHER
};

/* What a scalar resolved to (YR_R_UINT: above int64, at most 2^64-1). */
enum yr_rtag { YR_R_NULL, YR_R_BOOL, YR_R_INT, YR_R_UINT, YR_R_FLOAT, YR_R_STR, YR_R_TIMESTAMP };

typedef struct yr_res {
	enum yr_rtag rtag;
	bool b;
	int64_t i;
	uint64_t u;
	double f;
} yr_res;

/* Short names ("!!int") by enum, for yaml.v3's error texts. */
extern const char *const yr_tag_names[];
extern const char *const yr_rtag_names[];

/* Classify libyaml's tag text (NULL when untagged; long form for !!x). */
enum yr_tag yr_tag_of(const char *tag);
/* Whose resolve.go: yaml.v3's under today's Go (the default), or the one
 * Istio 1.1 reads manifests with: yaml.v2 2.2.1 under Go 1.11 (y/yes/on/n/no/
 * off are booleans, a float's exponent is signed and a dot has a digit after
 * it, no 0o prefix, no underscores in ParseFloat). */
enum yr_rules { YR_RULES_V3 = 0, YR_RULES_V2_ISTIO_1_1 };

/* resolve.go's resolve(tag, in) for an untagged plain scalar (YR_T_NONE) or
 * one tagged !!bool, !!int, !!float, !!null or !!timestamp; the caller
 * checks the result against the tag. */
void yr_resolve(enum yr_tag tag, const char *in, size_t n, yr_res *r);
void yr_resolve_rules(enum yr_rules rules, enum yr_tag tag, const char *in, size_t n, yr_res *r);
/* s is a word of resolve.go's resolve map under rules: a boolean (yaml.v2's
 * y/yes/on/n/no/off too), a null, an infinity or NaN, or the merge key "<<"
 * (resolved to another tag than !!str: a writer must quote such a string). */
bool yr_is_word(enum yr_rules rules, const char *s, size_t n);
/* Go's base64.StdEncoding.DecodeString ('\r' and '\n' ignored) into dst,
 * which has room for n / 4 * 3 bytes; false on invalid data. */
bool yr_base64(const char *s, size_t n, char *dst, size_t *dlen);

#endif
