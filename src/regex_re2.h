/* regex_re2.h: the C view of the RE2 shim (regex_re2.cc); only src/regex.c includes it. */
#ifndef TMPL_REGEX_RE2_H
#define TMPL_REGEX_RE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rx_re2 rx_re2;

/* Compiles pat[0..n) (UTF-8, Perl flags, leftmost-first, at most max_mem
 * bytes of RE2 programs). NULL only when out of memory; otherwise *code is
 * RE2's ErrorCode (0: compiled) and, on an error, *arg and *arg_len the part of
 * the pattern at fault, valid until rx_re2_free. */
rx_re2 *rx_re2_compile(const char *pat, size_t n, long long max_mem, int *code,
		       const char **arg, size_t *arg_len);
void rx_re2_free(rx_re2 *r);
/* Number of capturing groups. */
int rx_re2_groups(const rx_re2 *r);
/* The name of group i (1-based), or NULL when unnamed. */
const char *rx_re2_group_name(const rx_re2 *r, int i);
/* Leftmost-first match in text[0..n) starting at or after pos, text[0..pos)
 * being context for ^ and \b. 1 when found: caps[2i], caps[2i+1] are the
 * offsets of group i (0 = the whole match) for i < ngroups, -1 when group i
 * took no part; 0 when there is no match; -1 when out of memory. */
int rx_re2_match(const rx_re2 *r, const char *text, size_t n, size_t pos, long long *caps,
		 int ngroups);

#ifdef __cplusplus
}
#endif

#endif
