/* regex.h: Go's regexp package (RE2 syntax, leftmost-first) over RE2: compile with Go's error texts, FindAll's and ReplaceAll's iteration, Expand, QuoteMeta.
 *
 * Texts may hold invalid UTF-8: Go reads each invalid byte as U+FFFD of width
 * one, so a text is matched as an rx_input whose invalid bytes are replaced
 * by U+FFFD; offsets handed back are always those of the original text.
 */
#ifndef TMPL_REGEX_H
#define TMPL_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "sbuf.h"

typedef struct rx rx;

/* Go's regexp.Compile: the compiled pattern, or NULL with Go's error text in
 * err ("error parsing regexp: missing closing ): `(a`"). */
rx *rx_compile(const char *pat, size_t n, sbuf *err);
void rx_free(rx *re);
/* Is the pattern non-empty (Go's len(re.expr) > 0, as Split asks)? */
bool rx_nonempty(const rx *re);
/* Number of capturing groups (Go's NumSubexp). */
int rx_groups(const rx *re);

/* A text as Go's matcher reads it; the copy (only when the text holds invalid
 * UTF-8) and its offset table are allocated from a. */
typedef struct rx_input {
	const char *s; /* the original text */
	size_t n;
	const char *m; /* the text matched: s, or a copy with U+FFFD for each bad byte */
	size_t mn;
	const size_t *bad; /* offsets in m of each replacement, ascending */
	size_t nbad;
} rx_input;
void rx_input_init(rx_input *in, tmpl_arena *a, const char *s, size_t n);
/* Bytes rx_input_init may take from the arena for a text of n bytes. */
size_t rx_input_cost(size_t n);

/* One iteration over a text's matches. caps holds 2 * (groups + 1) offsets
 * into the original text (-1 for a group that took no part). */
typedef struct rx_iter {
	const rx *re;
	const rx_input *in;
	size_t pos;        /* where the next search starts (offset in m) */
	long long prev;    /* FindAll: end of the previous match; ReplaceAll: lastMatchEnd (in m) */
	bool done;
	long long *mcaps;  /* the last match, offsets in m */
} rx_iter;
/* Starts an iteration; caps buffers are allocated from a. Returns -1 when
 * out of memory. */
int rx_iter_init(rx_iter *it, tmpl_arena *a, const rx *re, const rx_input *in);
/* Go's allMatches (FindAll, Split): the next accepted match into caps: 1, or 0
 * at the end (-1: out of memory). An empty match right after the previous
 * match is skipped. */
int rx_next_all(rx_iter *it, long long *caps);
/* Go's replaceAll: the next match into caps (original offsets), with
 * *copy_from the original offset where the unmatched text before it starts
 * and *insert whether the replacement goes in (not for an empty match
 * right after another). 1, 0 at the end, -1 when out of memory. After 0,
 * *copy_from is where the text's unmatched tail starts. */
int rx_next_replace(rx_iter *it, long long *caps, size_t *copy_from, bool *insert);

/* Go's Regexp.Expand of template for the match caps over text s: appends to
 * out when out is not NULL; returns the number of bytes it makes ($1 or
 * ${1}, $name, $$; `$1x` names group "1x"; an unknown group is empty). */
size_t rx_expand(const rx *re, sbuf *out, const char *tpl, size_t tn, const char *s,
		 const long long *caps);

/* Go's regexp.QuoteMeta: a backslash before each of \.+*?()|[]{}^$. */
void rx_quote_meta(sbuf *out, const char *s, size_t n);

#endif
