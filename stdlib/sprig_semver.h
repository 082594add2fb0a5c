/* sprig_semver.h: Masterminds/semver v3.3.0's version as sprig_semver.c reads and compares it, shared with the semver object (sprig_semver_value.c). */
#ifndef TMPL_SPRIG_SEMVER_H
#define TMPL_SPRIG_SEMVER_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "func.h"
#include "sbuf.h"

typedef struct sv_str {
	const char *p;
	size_t n;
} sv_str;

/* semver.Version's fields; the texts point into memory the caller keeps. */
typedef struct sv_version {
	uint64_t major, minor, patch;
	sv_str pre, meta, orig;
} sv_version;

/* semver.NewVersion(s): 0 and *v (its texts point into s), or -1 with
 * semver's error text in err ("Invalid Semantic Version", "Version segment
 * starts with 0", "Error parsing version segment: ..."). Scratch memory
 * comes from a. */
int sv_new_version(tmpl_arena *a, const char *s, size_t n, sv_version *v, sbuf *err);
/* Version.Compare: -1, 0 or 1 (metadata ignored, a prerelease lower). */
int sv_compare(const sv_version *v, const sv_version *o);
/* validatePrerelease and validateMetadata: 0, or -1 with semver's error
 * text in err ("Version segment starts with 0", "Invalid Prerelease string",
 * "Invalid Metadata string"). */
int sv_validate_pre(sv_str p, sbuf *err);
int sv_validate_meta(sv_str m, sbuf *err);

/* sprig's semver (sprig_semver_value.c): the *semver.Version value. */
int sprig_semver_new(tmpl_call *c, const tv **r);

#endif
