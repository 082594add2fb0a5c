/* sprig_regex.c: sprig's regular expression functions (regexMatch, regexFind, regexFindAll, regexReplaceAll, regexReplaceAllLiteral, regexSplit, regexQuoteMeta and their must* forms) over Go's regexp semantics (src/regex.h, on RE2).
 *
 * sprig's plain forms call regexp.MustCompile, whose panic text/template
 * recovers: "regexp: Compile(`(`): error parsing regexp: ..."; the must*
 * forms return regexp.Compile's error as it is; regexMatch alone answers
 * false for a bad pattern. Results that can grow past the text (replacement
 * expansions, many empty matches) ask the render's memory bound first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "fmt.h"
#include "fnarg.h"
#include "regex.h"
#include "sprig.h"
#include "types.h"
#include "types/tables.h"
#include "utf8.h"

/* Per match of FindAll or Split: its value, its pointer and the string's
 * header, as a forecast for the memory bound. */
#define RXF_PER_MATCH 64
#define RXF_CHECK_EVERY 1024

/* Go's strconv.CanBackquote. */
static bool rxf_can_backquote(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t w;
		int32_t r = u8_decode(s + i, n - i, &w);
		if (r == U8_RUNE_ERROR && w == 1)
			return false;
		if (r == '`' || r == 0xFEFF || (r < ' ' && r != '\t') || r == 0x7F)
			return false;
		i += w;
	}
	return true;
}

/* Compiles argument 0; on an error records MustCompile's panic (must =
 * false) or Compile's error (must = true) and returns NULL. */
static rx *rxf_compile(tmpl_call *c, const char *p, size_t n, bool must)
{
	sbuf err = SBUF_INIT;
	rx *re = rx_compile(p, n, &err);
	if (!re) {
		if (must) {
			tmpl_call_errorf(c, "%s", err.buf);
		} else {
			sbuf q = SBUF_INIT;
			if (rxf_can_backquote(p, n)) {
				sbuf_putc(&q, '`');
				sbuf_put(&q, p, n);
				sbuf_putc(&q, '`');
			} else {
				fmt_quote(&q, p, n);
			}
			tmpl_call_errorf(c, "regexp: Compile(%s): %s", q.buf, err.buf);
			sbuf_free(&q);
		}
	}
	sbuf_free(&err);
	return re;
}

/* The pattern and text arguments, compiled and prepared. */
typedef struct rxf {
	rx *re;
	rx_input in;
	const char *s;
	size_t n;
} rxf;

/* quiet: a bad pattern leaves f->re NULL and returns 0. */
static int rxf_open(tmpl_call *c, rxf *f, bool must, bool quiet)
{
	const char *p;
	size_t pn;
	f->re = NULL;
	if (fnarg_string(c, 0, &p, &pn) < 0 || fnarg_string(c, 1, &f->s, &f->n) < 0)
		return -1;
	if (tmpl_call_budget(c, rx_input_cost(f->n) + pn) < 0)
		return -1;
	if (quiet) {
		sbuf err = SBUF_INIT;
		f->re = rx_compile(p, pn, &err);
		sbuf_free(&err);
		if (!f->re)
			return 0;
	} else if (!(f->re = rxf_compile(c, p, pn, must))) {
		return -1;
	}
	rx_input_init(&f->in, c->arena, f->s, f->n);
	return 0;
}

static int rxf_fail(rxf *f)
{
	rx_free(f->re);
	f->re = NULL;
	return -1;
}

static int rxf_oom(tmpl_call *c, rxf *f)
{
	tmpl_call_errorf(c, "regexp: out of memory");
	return rxf_fail(f);
}

static long long *rxf_caps(tmpl_call *c, const rxf *f)
{
	return arena_alloc(c->arena, 2 * ((size_t)rx_groups(f->re) + 1) * sizeof(long long));
}

/* ---- match and find ---- */

/* Go's MatchString; quiet: a bad pattern is false, no error (regexMatch). */
static int rxf_match(tmpl_call *c, const tv **r, bool quiet)
{
	rxf f;
	if (rxf_open(c, &f, true, quiet) < 0)
		return -1;
	if (!f.re) {
		*r = tv_bool(false);
		return 0;
	}
	rx_iter it;
	long long *caps = rxf_caps(c, &f);
	if (rx_iter_init(&it, c->arena, f.re, &f.in) < 0 || !caps)
		return rxf_oom(c, &f);
	int found = rx_next_all(&it, caps);
	if (found < 0)
		return rxf_oom(c, &f);
	rx_free(f.re);
	*r = tv_bool(found == 1);
	return 0;
}

static int sp_regexmatch(tmpl_call *c, const tv **r)
{
	return rxf_match(c, r, true);
}

static int sp_mustregexmatch(tmpl_call *c, const tv **r)
{
	return rxf_match(c, r, false);
}

static int rxf_find(tmpl_call *c, const tv **r, bool must)
{
	rxf f;
	if (rxf_open(c, &f, must, false) < 0)
		return -1;
	rx_iter it;
	long long *caps = rxf_caps(c, &f);
	if (rx_iter_init(&it, c->arena, f.re, &f.in) < 0 || !caps)
		return rxf_oom(c, &f);
	int found = rx_next_all(&it, caps);
	if (found < 0)
		return rxf_oom(c, &f);
	rx_free(f.re);
	if (found)
		*r = tv_string(c->arena, f.s + caps[0], (size_t)(caps[1] - caps[0]));
	else
		*r = tv_string(c->arena, "", 0);
	return 0;
}

static int sp_regexfind(tmpl_call *c, const tv **r)
{
	return rxf_find(c, r, false);
}

static int sp_mustregexfind(tmpl_call *c, const tv **r)
{
	return rxf_find(c, r, true);
}

/* A []string of the collected items. */
static const tv *rxf_list(tmpl_call *c, const tv **items, size_t n)
{
	tv *l = tv_list_new(c->arena, n);
	if (n)
		memcpy(l->u.list.items, items, n * sizeof *items);
	l->type = &types_S_go_string;
	return l;
}

/* Go's FindAllStringIndex(s, n) as (start, end) pairs into *out (malloc'd);
 * the number of matches, or -1 after an error. */
static long rxf_all(tmpl_call *c, rxf *f, int64_t n, long long **out)
{
	*out = NULL;
	if (n < 0 || (uint64_t)n > f->n + 1)
		n = (int64_t)f->n + 1;
	rx_iter it;
	long long *caps = rxf_caps(c, f);
	if (rx_iter_init(&it, c->arena, f->re, &f->in) < 0 || !caps)
		return rxf_oom(c, f);
	size_t cnt = 0, cap = 0;
	long long *pairs = NULL;
	while ((int64_t)cnt < n) {
		int got = rx_next_all(&it, caps);
		if (got < 0) {
			free(pairs);
			return rxf_oom(c, f);
		}
		if (!got)
			break;
		if (cnt == cap) {
			if (cnt && tmpl_call_budget(c, (uint64_t)RXF_CHECK_EVERY * RXF_PER_MATCH) < 0) {
				free(pairs);
				return rxf_fail(f);
			}
			cap = cap ? 2 * cap : RXF_CHECK_EVERY;
			long long *grown = realloc(pairs, cap * 2 * sizeof *pairs);
			if (!grown) {
				free(pairs);
				return rxf_oom(c, f);
			}
			pairs = grown;
		}
		pairs[2 * cnt] = caps[0];
		pairs[2 * cnt + 1] = caps[1];
		cnt++;
	}
	if (tmpl_call_budget(c, (uint64_t)cnt * RXF_PER_MATCH) < 0) {
		free(pairs);
		return rxf_fail(f);
	}
	*out = pairs;
	return (long)cnt;
}

static int rxf_findall(tmpl_call *c, const tv **r, bool must)
{
	rxf f;
	int64_t n;
	if (fnarg_string(c, 0, &(const char *){0}, &(size_t){0}) < 0 ||
	    fnarg_string(c, 1, &(const char *){0}, &(size_t){0}) < 0 || fnarg_int(c, 2, &n) < 0)
		return -1;
	if (rxf_open(c, &f, must, false) < 0)
		return -1;
	long long *pairs;
	long cnt = rxf_all(c, &f, n, &pairs);
	if (cnt < 0)
		return -1;
	const tv **items = arena_alloc(c->arena, ((size_t)cnt + 1) * sizeof *items);
	for (long i = 0; i < cnt; i++)
		items[i] = tv_string(c->arena, f.s + pairs[2 * i],
				     (size_t)(pairs[2 * i + 1] - pairs[2 * i]));
	free(pairs);
	rx_free(f.re);
	*r = rxf_list(c, items, (size_t)cnt);
	return 0;
}

static int sp_regexfindall(tmpl_call *c, const tv **r)
{
	return rxf_findall(c, r, false);
}

static int sp_mustregexfindall(tmpl_call *c, const tv **r)
{
	return rxf_findall(c, r, true);
}

/* Go's Regexp.Split(s, n). */
static int rxf_split(tmpl_call *c, const tv **r, bool must)
{
	rxf f;
	int64_t n;
	if (fnarg_string(c, 0, &(const char *){0}, &(size_t){0}) < 0 ||
	    fnarg_string(c, 1, &(const char *){0}, &(size_t){0}) < 0 || fnarg_int(c, 2, &n) < 0)
		return -1;
	if (rxf_open(c, &f, must, false) < 0)
		return -1;
	if (n == 0) {
		rx_free(f.re);
		*r = rxf_list(c, NULL, 0);
		return 0;
	}
	if (rx_nonempty(f.re) && f.n == 0) {
		rx_free(f.re);
		const tv *empty = tv_string(c->arena, "", 0);
		*r = rxf_list(c, &empty, 1);
		return 0;
	}
	long long *pairs;
	long cnt = rxf_all(c, &f, n, &pairs);
	if (cnt < 0)
		return -1;
	const tv **items = arena_alloc(c->arena, ((size_t)cnt + 2) * sizeof *items);
	size_t k = 0;
	long long beg = 0, end = 0;
	for (long i = 0; i < cnt; i++) {
		if (n > 0 && (int64_t)k >= n - 1)
			break;
		end = pairs[2 * i];
		if (pairs[2 * i + 1] != 0)
			items[k++] = tv_string(c->arena, f.s + beg, (size_t)(end - beg));
		beg = pairs[2 * i + 1];
	}
	if (end != (long long)f.n)
		items[k++] = tv_string(c->arena, f.s + beg, f.n - (size_t)beg);
	free(pairs);
	rx_free(f.re);
	*r = rxf_list(c, items, k);
	return 0;
}

static int sp_regexsplit(tmpl_call *c, const tv **r)
{
	return rxf_split(c, r, false);
}

static int sp_mustregexsplit(tmpl_call *c, const tv **r)
{
	return rxf_split(c, r, true);
}

/* ---- replace ---- */

/* Is total bytes of result within what the bound allowed so far? Asks for
 * more (with room to spare, so the bound is asked rarely) when not. */
static int rxf_room(tmpl_call *c, uint64_t total, uint64_t *allowed)
{
	if (total <= *allowed)
		return 0;
	uint64_t ask = total + total / 2 + 65536;
	if (tmpl_call_budget(c, ask) < 0)
		return -1;
	*allowed = ask;
	return 0;
}

static int rxf_replace(tmpl_call *c, const tv **r, bool must, bool literal)
{
	rxf f;
	const char *repl;
	size_t rn;
	if (fnarg_string(c, 0, &(const char *){0}, &(size_t){0}) < 0 ||
	    fnarg_string(c, 1, &(const char *){0}, &(size_t){0}) < 0 ||
	    fnarg_string(c, 2, &repl, &rn) < 0)
		return -1;
	if (rxf_open(c, &f, must, false) < 0)
		return -1;
	rx_iter it;
	long long *caps = rxf_caps(c, &f);
	if (rx_iter_init(&it, c->arena, f.re, &f.in) < 0 || !caps)
		return rxf_oom(c, &f);
	sbuf *b = tmpl_call_scratch(c, 0);
	uint64_t allowed = 0;
	size_t from;
	bool insert;
	int got;
	while ((got = rx_next_replace(&it, caps, &from, &insert)) == 1) {
		size_t gap = (size_t)caps[0] - from;
		size_t add = !insert ? 0 : literal ? rn : rx_expand(f.re, NULL, repl, rn, f.s, caps);
		if (rxf_room(c, (uint64_t)b->len + gap + add, &allowed) < 0)
			return rxf_fail(&f);
		sbuf_put(b, f.s + from, gap);
		if (insert) {
			if (literal)
				sbuf_put(b, repl, rn);
			else
				rx_expand(f.re, b, repl, rn, f.s, caps);
		}
	}
	if (got < 0)
		return rxf_oom(c, &f);
	if (rxf_room(c, (uint64_t)b->len + (f.n - from), &allowed) < 0)
		return rxf_fail(&f);
	sbuf_put(b, f.s + from, f.n - from);
	rx_free(f.re);
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

static int sp_regexreplaceall(tmpl_call *c, const tv **r)
{
	return rxf_replace(c, r, false, false);
}

static int sp_mustregexreplaceall(tmpl_call *c, const tv **r)
{
	return rxf_replace(c, r, true, false);
}

static int sp_regexreplaceallliteral(tmpl_call *c, const tv **r)
{
	return rxf_replace(c, r, false, true);
}

static int sp_mustregexreplaceallliteral(tmpl_call *c, const tv **r)
{
	return rxf_replace(c, r, true, true);
}

static int sp_regexquotemeta(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	if (tmpl_call_budget(c, 2 * (uint64_t)n) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	rx_quote_meta(b, s, n);
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

const tmpl_func sprig_regex_funcs[] = {
	{"mustRegexFind", 2, 2, 0, sp_mustregexfind},
	{"mustRegexFindAll", 3, 3, 0, sp_mustregexfindall},
	{"mustRegexMatch", 2, 2, 0, sp_mustregexmatch},
	{"mustRegexReplaceAll", 3, 3, 0, sp_mustregexreplaceall},
	{"mustRegexReplaceAllLiteral", 3, 3, 0, sp_mustregexreplaceallliteral},
	{"mustRegexSplit", 3, 3, 0, sp_mustregexsplit},
	{"regexFind", 2, 2, 0, sp_regexfind},
	{"regexFindAll", 3, 3, 0, sp_regexfindall},
	{"regexMatch", 2, 2, 0, sp_regexmatch},
	{"regexQuoteMeta", 1, 1, 0, sp_regexquotemeta},
	{"regexReplaceAll", 3, 3, 0, sp_regexreplaceall},
	{"regexReplaceAllLiteral", 3, 3, 0, sp_regexreplaceallliteral},
	{"regexSplit", 3, 3, 0, sp_regexsplit},
	{NULL, 0, 0, 0, NULL}
};
