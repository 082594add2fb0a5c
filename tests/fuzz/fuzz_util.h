/* fuzz_util.h: what the libFuzzer targets share: the render bounds every fuzzed execution runs within, one bounded render, and the source tree's data files. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>

#include "tmpl.h"

/* Bounds small enough that no input renders for long or allocates much,
 * large enough for the Istio templates over any pod that fits in the
 * fuzzer's input size: passing one is a normal render error, not a crash. */
void fuzz_limits(tmpl_exec_opts *o);

/* Parse text as template "t" with the named function libraries layered
 * (tmpl_set_libraries) and execute it over data within fuzz_limits; the
 * output and any error are thrown away: only a crash, a leak or undefined
 * behaviour on the way matters to the fuzzer. */
void fuzz_render(const char *const *libs, size_t nlibs, const char *text, size_t len,
		 const tv *data);

/* The bytes of rel under the source tree (TMPL_FUZZ_TOP, else the tree the
 * target was configured from); aborts when it cannot be read, since a target
 * without its configuration would fuzz nothing. */
char *fuzz_read(const char *rel, size_t *len);

#endif
