/* sprig_strings.c: sprig's string functions (quote, indent, trunc, trimAll, upper, split, join...), with Go's strings package semantics, goutils' quirks and text/template's argument errors.
 *
 * Parameters typed string or int in sprig are checked as Go's evaluator
 * checks them (fnarg.h); sprig's panics (strings.Repeat's negative count,
 * substr's slice bounds) are Go's recovered texts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"
#include "fmt.h"
#include "fnarg.h"
#include "sprig.h"
#include "types.h"
#include "types/tables.h"
#include "utf8.h"

typedef struct sstr {
	const char *p;
	size_t n;
} sstr;

static int ss_arg(tmpl_call *c, size_t i, sstr *s)
{
	return fnarg_string(c, i, &s->p, &s->n);
}

static const tv *ss_result(tmpl_call *c, sbuf *b)
{
	return tv_string(c->arena, b->buf ? b->buf : "", b->len);
}

static int ss_ret(tmpl_call *c, const char *p, size_t n, const tv **r)
{
	*r = tv_string(c->arena, p ? p : "", n);
	return 0;
}

/* Go's utf8.DecodeLastRuneInString. */
static int32_t ss_decode_last(const char *s, size_t n, size_t *size)
{
	size_t start = n - 1;
	size_t lim = n >= 4 ? n - 4 : 0;
	while (start > lim && ((unsigned char)s[start] & 0xC0) == 0x80)
		start--;
	size_t sz;
	int32_t r = u8_decode(s + start, n - start, &sz);
	if (start + sz != n) {
		*size = 1;
		return U8_RUNE_ERROR;
	}
	*size = sz;
	return r;
}

/* Go's strings.Map(f, s): invalid bytes reach f as U+FFFD and are written so. */
static void ss_map(sbuf *b, const char *s, size_t n, int32_t (*f)(int32_t))
{
	char enc[4];
	for (size_t i = 0; i < n;) {
		size_t w;
		int32_t r = u8_decode(s + i, n - i, &w);
		sbuf_put(b, enc, u8_encode(enc, f(r)));
		i += w;
	}
}

/* ---- quoting and joining ---- */

static int sp_quote(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	bool first = true;
	for (size_t i = 0; i < c->nargs; i++) {
		if (sprig_is_nil(c->args[i]))
			continue;
		sbuf *s = tmpl_call_scratch(c, 1);
		if (sprig_strval_call(c, s, c->args[i]) != 0)
			return -1;
		if (!first)
			sbuf_putc(b, ' ');
		first = false;
		fmt_quote(b, s->buf ? s->buf : "", s->len);
	}
	*r = ss_result(c, b);
	return 0;
}

static int sp_squote(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	bool first = true;
	for (size_t i = 0; i < c->nargs; i++) {
		if (sprig_is_nil(c->args[i]))
			continue;
		if (!first)
			sbuf_putc(b, ' ');
		first = false;
		sbuf_putc(b, '\'');
		if (fmt_value(b, c->args[i]) != 0)
			return tmpl_call_errorf(c, "%s", FMT_TOO_DEEP);
		sbuf_putc(b, '\'');
	}
	*r = ss_result(c, b);
	return 0;
}

static int sp_cat(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	bool first = true;
	for (size_t i = 0; i < c->nargs; i++) {
		if (sprig_is_nil(c->args[i]))
			continue;
		if (!first)
			sbuf_putc(b, ' ');
		first = false;
		if (fmt_value(b, c->args[i]) != 0)
			return tmpl_call_errorf(c, "%s", FMT_TOO_DEEP);
	}
	*r = ss_result(c, b);
	return 0;
}

static int sp_tostring(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	if (sprig_strval_call(c, b, c->args[0]) != 0)
		return -1;
	*r = ss_result(c, b);
	return 0;
}

static int sp_tostrings(tmpl_call *c, const tv **r)
{
	*r = sprig_strslice(c, c->args[0]);
	return *r ? 0 : -1;
}

static int sp_join(tmpl_call *c, const tv **r)
{
	sstr sep;
	if (ss_arg(c, 0, &sep) < 0)
		return -1;
	const tv *l = sprig_strslice(c, c->args[1]);
	if (!l)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	for (size_t i = 0; i < l->u.list.len; i++) {
		if (i)
			sbuf_put(b, sep.p, sep.n);
		sbuf_put(b, l->u.list.items[i]->u.s.ptr, l->u.list.items[i]->u.s.len);
	}
	*r = ss_result(c, b);
	return 0;
}

static int ss_cmp(const void *a, const void *b)
{
	const tv *x = *(const tv *const *)a, *y = *(const tv *const *)b;
	size_t n = x->u.s.len < y->u.s.len ? x->u.s.len : y->u.s.len;
	int d = memcmp(x->u.s.ptr, y->u.s.ptr, n);
	return d ? d : (x->u.s.len > y->u.s.len) - (x->u.s.len < y->u.s.len);
}

static int sp_sortalpha(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	if (!sprig_is_list(v)) { /* one element: strval of the value, "<nil>" for nil */
		sbuf *b = tmpl_call_scratch(c, 0);
		if (sprig_strval_call(c, b, v) != 0)
			return -1;
		tv *l = tv_list_new(c->arena, 1);
		l->u.list.items[0] = ss_result(c, b);
		l->type = &types_S_go_string;
		*r = l;
		return 0;
	}
	const tv *s = sprig_strslice(c, v);
	if (!s)
		return -1;
	tv *l = tv_list_new(c->arena, s->u.list.len);
	if (s->u.list.len) { /* an empty list's items may be NULL */
		memcpy(l->u.list.items, s->u.list.items, s->u.list.len * sizeof *l->u.list.items);
		/* sort.Strings is not stable, but equal strings are indistinguishable */
		qsort(l->u.list.items, l->u.list.len, sizeof *l->u.list.items, ss_cmp);
	}
	l->type = &types_S_go_string;
	*r = l;
	return 0;
}

/* ---- trimming and cutting ---- */

static int sp_trim(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	size_t a = 0, e = s.n;
	while (a < e) {
		size_t w;
		int32_t ch = u8_decode(s.p + a, e - a, &w);
		if (!u8_isspace(ch) || (ch == U8_RUNE_ERROR && w == 1))
			break;
		a += w;
	}
	while (e > a) {
		size_t w;
		int32_t ch = ss_decode_last(s.p + a, e - a, &w);
		if (!u8_isspace(ch) || (ch == U8_RUNE_ERROR && w == 1))
			break;
		e -= w;
	}
	return ss_ret(c, s.p + a, e - a, r);
}

/* Does Go's strings.ContainsRune(cutset, r) hold? */
static bool ss_in_cutset(sstr cut, int32_t r)
{
	for (size_t i = 0; i < cut.n;) {
		size_t w;
		int32_t x = u8_decode(cut.p + i, cut.n - i, &w);
		if (x == r)
			return true;
		i += w;
	}
	return false;
}

/* strings.Trim(s, cutset): the cutset's runes off both ends. */
static int sp_trimall(tmpl_call *c, const tv **r)
{
	sstr cut, s;
	if (ss_arg(c, 0, &cut) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	if (s.n == 0 || cut.n == 0)
		return ss_ret(c, s.p, s.n, r);
	size_t a = 0, e = s.n;
	while (a < e) {
		size_t w = 1;
		int32_t ch = (unsigned char)s.p[a];
		if (ch >= 0x80)
			ch = u8_decode(s.p + a, e - a, &w);
		if (!ss_in_cutset(cut, ch))
			break;
		a += w;
	}
	while (e > a) {
		size_t w = 1;
		int32_t ch = (unsigned char)s.p[e - 1];
		if (ch >= 0x80)
			ch = ss_decode_last(s.p + a, e - a, &w);
		if (!ss_in_cutset(cut, ch))
			break;
		e -= w;
	}
	return ss_ret(c, s.p + a, e - a, r);
}

static int sp_trimprefix(tmpl_call *c, const tv **r)
{
	sstr pre, s;
	if (ss_arg(c, 0, &pre) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	if (s.n >= pre.n && memcmp(s.p, pre.p, pre.n) == 0)
		return ss_ret(c, s.p + pre.n, s.n - pre.n, r);
	return ss_ret(c, s.p, s.n, r);
}

static int sp_trimsuffix(tmpl_call *c, const tv **r)
{
	sstr suf, s;
	if (ss_arg(c, 0, &suf) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	if (s.n >= suf.n && memcmp(s.p + s.n - suf.n, suf.p, suf.n) == 0)
		return ss_ret(c, s.p, s.n - suf.n, r);
	return ss_ret(c, s.p, s.n, r);
}

/* trunc: the first c bytes, or for a negative c the last -c bytes. */
static int sp_trunc(tmpl_call *c, const tv **r)
{
	int64_t n;
	sstr s;
	if (fnarg_int(c, 0, &n) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	if (n < 0 && (int64_t)s.n + n > 0)
		return ss_ret(c, s.p + s.n + n, (size_t)-n, r);
	if (n >= 0 && (int64_t)s.n > n)
		return ss_ret(c, s.p, (size_t)n, r);
	return ss_ret(c, s.p, s.n, r);
}

/* substr: Go's s[:end], s[start:] or s[start:end], with Go's bounds panics. */
static int sp_substr(tmpl_call *c, const tv **r)
{
	int64_t start, end;
	sstr s;
	if (fnarg_int(c, 0, &start) < 0 || fnarg_int(c, 1, &end) < 0 || ss_arg(c, 2, &s) < 0)
		return -1;
	int64_t len = (int64_t)s.n;
	if (start < 0) {
		if (end < 0)
			return tmpl_call_errorf(c, "runtime error: slice bounds out of range [:%lld]",
						(long long)end);
		if (end > len)
			return tmpl_call_errorf(c,
				"runtime error: slice bounds out of range [:%lld] with length %lld",
				(long long)end, (long long)len);
		return ss_ret(c, s.p, (size_t)end, r);
	}
	if (end < 0 || end > len) {
		if (start > len)
			return tmpl_call_errorf(c, "runtime error: slice bounds out of range [%lld:%lld]",
						(long long)start, (long long)len);
		return ss_ret(c, s.p + start, (size_t)(len - start), r);
	}
	if (start > end)
		return tmpl_call_errorf(c, "runtime error: slice bounds out of range [%lld:%lld]",
					(long long)start, (long long)end);
	return ss_ret(c, s.p + start, (size_t)(end - start), r);
}

/* goutils.AbbreviateFull: byte offsets, "..." counted in the width; an
 * error (width too small) gives "". */
static void ss_abbreviate(sbuf *b, const char *s, size_t n, int64_t offset, int64_t width)
{
	int64_t len = (int64_t)n;
	if (n == 0 || width < 4)
		return;
	if (len <= width) {
		sbuf_put(b, s, n);
		return;
	}
	if (offset > len)
		offset = len;
	if (len - offset < width - 3)
		offset = len - (width - 3);
	if (offset <= 4) {
		sbuf_put(b, s, (size_t)(width - 3));
		sbuf_puts(b, "...");
		return;
	}
	if (width < 7)
		return;
	if (offset + width - 3 < len) {
		sbuf_puts(b, "...");
		ss_abbreviate(b, s + offset, (size_t)(len - offset), 0, width - 3);
		return;
	}
	sbuf_puts(b, "...");
	sbuf_put(b, s + len - (width - 3), (size_t)(width - 3));
}

static int sp_abbrev(tmpl_call *c, const tv **r)
{
	int64_t w;
	sstr s;
	if (fnarg_int(c, 0, &w) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	if (w < 4)
		return ss_ret(c, s.p, s.n, r);
	sbuf *b = tmpl_call_scratch(c, 0);
	ss_abbreviate(b, s.p, s.n, 0, w);
	*r = ss_result(c, b);
	return 0;
}

static int sp_abbrevboth(tmpl_call *c, const tv **r)
{
	int64_t left, right;
	sstr s;
	if (fnarg_int(c, 0, &left) < 0 || fnarg_int(c, 1, &right) < 0 || ss_arg(c, 2, &s) < 0)
		return -1;
	if (right < 4 || (left > 0 && right < 7))
		return ss_ret(c, s.p, s.n, r);
	sbuf *b = tmpl_call_scratch(c, 0);
	ss_abbreviate(b, s.p, s.n, left, right);
	*r = ss_result(c, b);
	return 0;
}

/* ---- case ---- */

static int sp_upper(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	ss_map(b, s.p, s.n, u8_toupper);
	*r = ss_result(c, b);
	return 0;
}

static int sp_lower(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	ss_map(b, s.p, s.n, u8_tolower);
	*r = ss_result(c, b);
	return 0;
}

/* strings.Title's word boundary. */
static bool ss_is_separator(int32_t r)
{
	if (r <= 0x7F)
		return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
			 r == '_');
	if (u8_isletter(r) || u8_isdigit(r))
		return false;
	return u8_isspace(r);
}

static int sp_title(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	int32_t prev = ' ';
	char enc[4];
	for (size_t i = 0; i < s.n;) {
		size_t w;
		int32_t ch = u8_decode(s.p + i, s.n - i, &w);
		int32_t out = ss_is_separator(prev) ? u8_totitle(ch) : ch;
		prev = ch;
		sbuf_put(b, enc, u8_encode(enc, out));
		i += w;
	}
	*r = ss_result(c, b);
	return 0;
}

/* goutils.Uncapitalize: the first letter of each space-separated word lowered. */
static int sp_untitle(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	bool next = true;
	char enc[4];
	for (size_t i = 0; i < s.n;) {
		size_t w;
		int32_t ch = u8_decode(s.p + i, s.n - i, &w);
		if (u8_isspace(ch)) {
			next = true;
		} else if (next) {
			ch = u8_tolower(ch);
			next = false;
		}
		sbuf_put(b, enc, u8_encode(enc, ch));
		i += w;
	}
	*r = ss_result(c, b);
	return 0;
}

/* goutils.SwapCase: upper and title to lower; lower to title after
 * whitespace (or at the start), else to upper. */
static int sp_swapcase(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	bool ws = true;
	char enc[4];
	for (size_t i = 0; i < s.n;) {
		size_t w;
		int32_t ch = u8_decode(s.p + i, s.n - i, &w);
		if (u8_isupper(ch) || u8_istitle(ch)) {
			ch = u8_tolower(ch);
			ws = false;
		} else if (u8_islower(ch)) {
			ch = ws ? u8_totitle(ch) : u8_toupper(ch);
			ws = false;
		} else {
			ws = u8_isspace(ch);
		}
		sbuf_put(b, enc, u8_encode(enc, ch));
		i += w;
	}
	*r = ss_result(c, b);
	return 0;
}

/* ---- byte-wise goutils (they read each byte as a Latin-1 rune) ---- */

static void ss_put_latin1(sbuf *b, unsigned char ch)
{
	char enc[4];
	sbuf_put(b, enc, u8_encode(enc, ch));
}

static int sp_nospace(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	size_t kept = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char ch = (unsigned char)s.p[i];
		if (!u8_isspace(ch)) {
			ss_put_latin1(b, ch);
			kept++;
		}
	}
	if (kept == s.n) /* nothing removed: the string as it was */
		return ss_ret(c, s.p, s.n, r);
	*r = ss_result(c, b);
	return 0;
}

static int sp_initials(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	bool gap = true;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char ch = (unsigned char)s.p[i];
		if (u8_isspace(ch)) {
			gap = true;
		} else if (gap) {
			ss_put_latin1(b, ch);
			gap = false;
		}
	}
	*r = ss_result(c, b);
	return 0;
}

/* ---- building ---- */

static int sp_repeat(tmpl_call *c, const tv **r)
{
	int64_t n;
	sstr s;
	if (fnarg_int(c, 0, &n) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	if (n < 0)
		return tmpl_call_errorf(c, "strings: negative Repeat count");
	if (n > 0 && s.n > 0 && (uint64_t)n > (uint64_t)INT64_MAX / s.n)
		return tmpl_call_errorf(c, "strings: Repeat output length overflow");
	if (tmpl_call_budget(c, (uint64_t)n * s.n) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	for (int64_t i = 0; i < n; i++)
		sbuf_put(b, s.p, s.n);
	*r = ss_result(c, b);
	return 0;
}

static void ss_indent(sbuf *b, int64_t n, sstr s)
{
	sbuf_pad(b, ' ', (size_t)n);
	for (size_t i = 0; i < s.n; i++) {
		sbuf_putc(b, s.p[i]);
		if (s.p[i] == '\n')
			sbuf_pad(b, ' ', (size_t)n);
	}
}

static int ss_indent_call(tmpl_call *c, const tv **r, bool newline)
{
	int64_t n;
	sstr s;
	if (fnarg_int(c, 0, &n) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	if (n < 0)
		return tmpl_call_errorf(c, "strings: negative Repeat count");
	/* n spaces for the first line and after each newline */
	uint64_t lines = 1;
	for (size_t i = 0; i < s.n; i++)
		lines += s.p[i] == '\n';
	if ((uint64_t)n > UINT64_MAX / lines / 2 || tmpl_call_budget(c, (uint64_t)n * lines + s.n) < 0)
		return (uint64_t)n > UINT64_MAX / lines / 2 ? tmpl_call_errorf(c, "strings: Repeat output length overflow") : -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	if (newline)
		sbuf_putc(b, '\n');
	ss_indent(b, n, s);
	*r = ss_result(c, b);
	return 0;
}

static int sp_indent(tmpl_call *c, const tv **r)
{
	return ss_indent_call(c, r, false);
}

static int sp_nindent(tmpl_call *c, const tv **r)
{
	return ss_indent_call(c, r, true);
}

/* strings.Replace(src, old, new, -1): an empty old matches before every
 * rune and at the end. */
static int sp_replace(tmpl_call *c, const tv **r)
{
	sstr old, new, s;
	if (ss_arg(c, 0, &old) < 0 || ss_arg(c, 1, &new) < 0 || ss_arg(c, 2, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	if (old.n == 0) {
		for (size_t i = 0; i < s.n;) {
			size_t w;
			sbuf_put(b, new.p, new.n);
			u8_decode(s.p + i, s.n - i, &w);
			sbuf_put(b, s.p + i, w);
			i += w;
		}
		sbuf_put(b, new.p, new.n);
	} else {
		size_t i = 0;
		while (i < s.n) {
			const char *hit = s.n - i >= old.n ? memmem(s.p + i, s.n - i, old.p, old.n) : NULL;
			if (!hit)
				break;
			sbuf_put(b, s.p + i, (size_t)(hit - (s.p + i)));
			sbuf_put(b, new.p, new.n);
			i = (size_t)(hit - s.p) + old.n;
		}
		sbuf_put(b, s.p + i, s.n - i);
	}
	*r = ss_result(c, b);
	return 0;
}

static int sp_plural(tmpl_call *c, const tv **r)
{
	sstr one, many;
	int64_t n;
	if (ss_arg(c, 0, &one) < 0 || ss_arg(c, 1, &many) < 0 || fnarg_int(c, 2, &n) < 0)
		return -1;
	return n == 1 ? ss_ret(c, one.p, one.n, r) : ss_ret(c, many.p, many.n, r);
}

/* goutils.WrapCustom: lines of at most width bytes broken at spaces; a
 * longer word is cut (wrapWith) or left whole up to the next space (wrap).
 * Only the input's own spaces count, newlines are text. */
static void ss_wrap(sbuf *b, sstr s, int64_t width, sstr nl, bool cut_long)
{
	if (s.n == 0)
		return;
	if (nl.n == 0)
		nl = (sstr){"\n", 1};
	if (width < 1)
		width = 1;
	size_t w = (size_t)width, off = 0;
	while (s.n - off > w) {
		if (s.p[off] == ' ') {
			off++;
			continue;
		}
		/* the last space in s[off, off + w + 1) */
		size_t sp = SIZE_MAX;
		for (size_t i = off + w + 1; i > off; i--)
			if (s.p[i - 1] == ' ') {
				sp = i - 1;
				break;
			}
		if (sp != SIZE_MAX) {
			sbuf_put(b, s.p + off, sp - off);
			sbuf_put(b, nl.p, nl.n);
			off = sp + 1;
		} else if (cut_long) {
			sbuf_put(b, s.p + off, w);
			sbuf_put(b, nl.p, nl.n);
			off += w;
		} else {
			const char *q = memchr(s.p + off + w, ' ', s.n - off - w);
			if (!q) {
				sbuf_put(b, s.p + off, s.n - off);
				off = s.n;
			} else {
				sbuf_put(b, s.p + off, (size_t)(q - (s.p + off)));
				sbuf_put(b, nl.p, nl.n);
				off = (size_t)(q - s.p) + 1;
			}
		}
	}
	sbuf_put(b, s.p + off, s.n - off);
}

static int sp_wrap(tmpl_call *c, const tv **r)
{
	int64_t w;
	sstr s;
	if (fnarg_int(c, 0, &w) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	ss_wrap(b, s, w, (sstr){"", 0}, false);
	*r = ss_result(c, b);
	return 0;
}

static int sp_wrapwith(tmpl_call *c, const tv **r)
{
	int64_t w;
	sstr nl, s;
	if (fnarg_int(c, 0, &w) < 0 || ss_arg(c, 1, &nl) < 0 || ss_arg(c, 2, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	ss_wrap(b, s, w, nl, true);
	*r = ss_result(c, b);
	return 0;
}

/* ---- tests ---- */

static int sp_contains(tmpl_call *c, const tv **r)
{
	sstr sub, s;
	if (ss_arg(c, 0, &sub) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	*r = tv_bool(sub.n == 0 || (s.n >= sub.n && memmem(s.p, s.n, sub.p, sub.n)));
	return 0;
}

static int sp_hasprefix(tmpl_call *c, const tv **r)
{
	sstr pre, s;
	if (ss_arg(c, 0, &pre) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	*r = tv_bool(s.n >= pre.n && memcmp(s.p, pre.p, pre.n) == 0);
	return 0;
}

static int sp_hassuffix(tmpl_call *c, const tv **r)
{
	sstr suf, s;
	if (ss_arg(c, 0, &suf) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	*r = tv_bool(s.n >= suf.n && memcmp(s.p + s.n - suf.n, suf.p, suf.n) == 0);
	return 0;
}

/* ---- splitting ---- */

/* strings.SplitN(s, sep, n) pieces appended to out (n < 0: all); an empty
 * sep splits into UTF-8 sequences (an invalid byte alone). */
static size_t ss_split(tmpl_call *c, sstr s, sstr sep, int64_t n, const tv ***out)
{
	if (n == 0) {
		*out = NULL;
		return 0;
	}
	size_t cap = 1;
	if (sep.n == 0)
		cap = s.n ? s.n : 1;
	else
		for (const char *p = s.p, *e = s.p + s.n; (size_t)(e - p) >= sep.n;) {
			const char *h = memmem(p, (size_t)(e - p), sep.p, sep.n);
			if (!h)
				break;
			cap++;
			p = h + sep.n;
		}
	const tv **items = arena_alloc(c->arena, cap * sizeof *items);
	size_t k = 0, i = 0;
	if (sep.n == 0) {
		while (i < s.n) {
			size_t w;
			if (n > 0 && (int64_t)k == n - 1) {
				items[k++] = tv_string(c->arena, s.p + i, s.n - i);
				i = s.n;
				break;
			}
			u8_decode(s.p + i, s.n - i, &w);
			items[k++] = tv_string(c->arena, s.p + i, w);
			i += w;
		}
	} else {
		while (n < 0 || (int64_t)k < n - 1) {
			const char *h = s.n - i >= sep.n ? memmem(s.p + i, s.n - i, sep.p, sep.n) : NULL;
			if (!h)
				break;
			items[k++] = tv_string(c->arena, s.p + i, (size_t)(h - (s.p + i)));
			i = (size_t)(h - s.p) + sep.n;
		}
		items[k++] = tv_string(c->arena, s.p + i, s.n - i);
	}
	*out = items;
	return k;
}

static const tv *ss_split_map(tmpl_call *c, const tv **items, size_t n)
{
	tv *m = tv_map_new(c->arena, n);
	for (size_t i = 0; i < n; i++) {
		char key[32];
		int kl = snprintf(key, sizeof key, "_%zu", i);
		tv_map_add(c->arena, m, tv_string(c->arena, key, (size_t)kl), items[i]);
	}
	tv_map_seal(c->arena, m);
	m->type = &types_M_go_string_go_string;
	return m;
}

static int sp_split(tmpl_call *c, const tv **r)
{
	sstr sep, s;
	if (ss_arg(c, 0, &sep) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	const tv **items;
	size_t n = ss_split(c, s, sep, -1, &items);
	*r = ss_split_map(c, items, n);
	return 0;
}

static int sp_splitn(tmpl_call *c, const tv **r)
{
	sstr sep, s;
	int64_t lim;
	if (ss_arg(c, 0, &sep) < 0 || fnarg_int(c, 1, &lim) < 0 || ss_arg(c, 2, &s) < 0)
		return -1;
	const tv **items;
	size_t n = ss_split(c, s, sep, lim, &items);
	*r = ss_split_map(c, items, n);
	return 0;
}

static int sp_splitlist(tmpl_call *c, const tv **r)
{
	sstr sep, s;
	if (ss_arg(c, 0, &sep) < 0 || ss_arg(c, 1, &s) < 0)
		return -1;
	const tv **items;
	size_t n = ss_split(c, s, sep, -1, &items);
	tv *l = tv_list_new(c->arena, 0);
	l->u.list.items = items;
	l->u.list.len = n;
	l->type = &types_S_go_string;
	*r = l;
	return 0;
}

/* ---- xstrings' case conversions (v1.5.0, which sprig 3.3.0 pins) ---- */

static void ss_put_rune(sbuf *b, int32_t ch)
{
	char enc[4];
	sbuf_put(b, enc, u8_encode(enc, ch));
}

/* xstrings' isConnector. */
static bool ss_is_connector(int32_t ch)
{
	return ch == '-' || ch == '_' || u8_isspace(ch);
}

/* xstrings.ToPascalCase (sprig's camelcase): connectors (-, _, space) dropped
 * and the next rune upper-cased; a word that starts upper-case has its
 * following upper-case runes lowered ("GOLANG_IS" -> "GolangIs"); leading
 * connectors stay, a run of connectors keeps all but its last. */
static int sp_camelcase(tmpl_call *c, const tv **r)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	size_t i = 0, w = 0;
	int32_t r0 = 0, r1;
	bool first_upper = false;
	while (i < s.n) {
		r0 = u8_decode(s.p + i, s.n - i, &w);
		i += w;
		if (!ss_is_connector(r0)) {
			first_upper = u8_isupper(r0);
			r0 = u8_toupper(r0);
			break;
		}
		ss_put_rune(b, r0);
	}
	if (i >= s.n) {
		if (w != 0) /* xstrings writes the last rune again, a connector too */
			ss_put_rune(b, r0);
		*r = ss_result(c, b);
		return 0;
	}
	while (i < s.n) {
		r1 = r0;
		r0 = u8_decode(s.p + i, s.n - i, &w);
		i += w;
		if (ss_is_connector(r0) && ss_is_connector(r1)) {
			ss_put_rune(b, r1);
			continue;
		}
		if (ss_is_connector(r1)) {
			first_upper = u8_isupper(r0);
			r0 = u8_toupper(r0);
		} else {
			if (first_upper) {
				if (u8_isupper(r0))
					r0 = u8_tolower(r0);
				else
					first_upper = false;
			}
			ss_put_rune(b, r1);
		}
	}
	ss_put_rune(b, r0);
	*r = ss_result(c, b);
	return 0;
}

/* xstrings' word kinds for snake and kebab case. */
enum { SW_INVALID, SW_NUMBER, SW_UPPER, SW_ALPHA, SW_CONNECTOR, SW_PUNCT, SW_OTHER };

/* xstrings' isAlphabet: a letter outside the CJK ideograph blocks. */
static bool ss_is_alphabet(int32_t ch)
{
	if (!u8_isletter(ch))
		return false;
	if (ch < 0x3400)
		return true;
	return !((ch >= 0x4E00 && ch <= 0x9FCC) || (ch >= 0x3400 && ch <= 0x4D85) ||
		 (ch >= 0x20000 && ch <= 0x2B81D));
}

/* xstrings' nextValidRune: the first rune that is not U+FFFD (an invalid
 * byte or a real U+FFFD) and the bytes up to its end; prev when none. */
static int32_t ss_valid_rune(const char *p, size_t n, int32_t prev, size_t *size)
{
	*size = 0;
	while (n > 0) {
		size_t w;
		int32_t ch = u8_decode(p, n, &w);
		*size += w;
		if (ch != U8_RUNE_ERROR)
			return ch;
		p += w;
		n -= w;
	}
	return prev;
}

/* xstrings' nextWord: the kind and length of the word s starts with. */
static int ss_next_word(const char *s, size_t n, size_t *len)
{
	*len = 0;
	if (n == 0)
		return SW_INVALID;
	size_t size, off;
	int32_t ch = ss_valid_rune(s, n, U8_RUNE_ERROR, &size);
	off = size;
	int wt;
	if (ch == U8_RUNE_ERROR) {
		*len = off;
		return SW_INVALID;
	}
#define SS_RUN(cond)                                                  \
	while (off < n) {                                             \
		ch = ss_valid_rune(s + off, n - off, ch, &size);      \
		if (!(cond))                                          \
			break;                                        \
		off += size;                                          \
	}
	if (ss_is_connector(ch)) {
		wt = SW_CONNECTOR;
		SS_RUN(ss_is_connector(ch));
	} else if (u8_ispunct(ch)) {
		wt = SW_PUNCT;
		SS_RUN(u8_ispunct(ch));
	} else if (u8_isupper(ch)) {
		wt = SW_UPPER;
		if (off < n) {
			ch = ss_valid_rune(s + off, n - off, ch, &size);
			if (u8_isupper(ch)) {
				size_t prev_size = size;
				off += size;
				while (off < n) {
					ch = ss_valid_rune(s + off, n - off, ch, &size);
					if (!u8_isupper(ch))
						break;
					prev_size = size;
					off += size;
				}
				/* "HTTPStatus": the S starts the next word */
				if (off < n && ss_is_alphabet(ch))
					off -= prev_size;
			} else if (ss_is_alphabet(ch)) {
				off += size;
				SS_RUN(ss_is_alphabet(ch) && !u8_isupper(ch));
			}
		}
	} else if (ss_is_alphabet(ch)) {
		wt = SW_ALPHA;
		SS_RUN(ss_is_alphabet(ch) && !u8_isupper(ch));
	} else if (u8_isnumber(ch)) {
		wt = SW_NUMBER;
		SS_RUN(u8_isnumber(ch));
	} else {
		wt = SW_OTHER;
		SS_RUN(size != 0 && !ss_is_connector(ch) && !ss_is_alphabet(ch) &&
		       !u8_isnumber(ch) && !u8_ispunct(ch));
	}
#undef SS_RUN
	*len = off;
	return wt;
}

/* xstrings' toLower: upper-case and connector words lowered, connectors
 * replaced; other words as they are. */
static void ss_word_lower(sbuf *b, int wt, const char *p, size_t n, char conn)
{
	if (wt != SW_UPPER && wt != SW_CONNECTOR) {
		sbuf_put(b, p, n);
		return;
	}
	for (size_t i = 0; i < n;) {
		size_t w;
		int32_t ch = u8_decode(p + i, n - i, &w);
		i += w;
		if (ss_is_connector(ch))
			sbuf_putc(b, conn);
		else
			ss_put_rune(b, u8_isupper(ch) ? u8_tolower(ch) : ch);
	}
}

typedef struct ss_words {
	const char *p; /* the remaining text */
	size_t n;
	int wt;        /* the current word */
	const char *w;
	size_t wn;
} ss_words;

static void ss_words_next(ss_words *it)
{
	it->wt = ss_next_word(it->p, it->n, &it->wn);
	it->w = it->p;
	it->p += it->wn;
	it->n -= it->wn;
}

/* xstrings' camelCaseToLowerCase: words split at case changes, numbers kept
 * with the word before them unless letters follow ("Bld4Floor3rd" ->
 * "bld4_floor_3rd"), joined by conn. */
static int ss_lower_case(tmpl_call *c, const tv **r, char conn)
{
	sstr s;
	if (ss_arg(c, 0, &s) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	if (s.n == 0) {
		*r = ss_result(c, b);
		return 0;
	}
	ss_words it = {s.p, s.n, 0, NULL, 0};
	ss_words_next(&it);
	while (it.n > 0) {
		if (it.wt != SW_CONNECTOR)
			ss_word_lower(b, it.wt, it.w, it.wn, conn);
		int prev = it.wt;
		const char *last = it.w;
		size_t last_n = it.wn;
		ss_words_next(&it);
		switch (prev) {
		case SW_NUMBER:
			while (it.wt == SW_ALPHA || it.wt == SW_NUMBER) {
				ss_word_lower(b, it.wt, it.w, it.wn, conn);
				ss_words_next(&it);
			}
			if (it.wt != SW_INVALID && it.wt != SW_PUNCT && it.wt != SW_CONNECTOR)
				sbuf_putc(b, conn);
			break;
		case SW_CONNECTOR:
			ss_word_lower(b, prev, last, last_n, conn);
			break;
		case SW_PUNCT:
			break;
		default:
			if (it.wt != SW_NUMBER) {
				if (it.wt != SW_CONNECTOR && it.wt != SW_PUNCT)
					sbuf_putc(b, conn);
				break;
			}
			if (it.n == 0)
				break;
			last = it.w;
			last_n = it.wn;
			ss_words_next(&it);
			/* a number ends the word before it ("Bld4Floor"), unless
			 * letters follow it ("HTTP2xx" -> "http_2xx") */
			if (it.wt != SW_ALPHA) {
				ss_word_lower(b, SW_NUMBER, last, last_n, conn);
				if (it.wt != SW_CONNECTOR && it.wt != SW_PUNCT)
					sbuf_putc(b, conn);
				break;
			}
			sbuf_putc(b, conn);
			ss_word_lower(b, SW_NUMBER, last, last_n, conn);
			while (it.wt == SW_ALPHA || it.wt == SW_NUMBER) {
				ss_word_lower(b, it.wt, it.w, it.wn, conn);
				ss_words_next(&it);
			}
			if (it.wt != SW_INVALID && it.wt != SW_CONNECTOR && it.wt != SW_PUNCT)
				sbuf_putc(b, conn);
		}
	}
	ss_word_lower(b, it.wt, it.w, it.wn, conn);
	*r = ss_result(c, b);
	return 0;
}

static int sp_snakecase(tmpl_call *c, const tv **r)
{
	return ss_lower_case(c, r, '_');
}

static int sp_kebabcase(tmpl_call *c, const tv **r)
{
	return ss_lower_case(c, r, '-');
}

const tmpl_func sprig_strings_funcs[] = {
	{"abbrev", 2, 2, 0, sp_abbrev},
	{"abbrevboth", 3, 3, 0, sp_abbrevboth},
	{"camelcase", 1, 1, 0, sp_camelcase},
	{"cat", 0, -1, 0, sp_cat},
	{"contains", 2, 2, 0, sp_contains},
	{"hasPrefix", 2, 2, 0, sp_hasprefix},
	{"hasSuffix", 2, 2, 0, sp_hassuffix},
	{"indent", 2, 2, 0, sp_indent},
	{"initials", 1, 1, 0, sp_initials},
	{"join", 2, 2, 0, sp_join},
	{"kebabcase", 1, 1, 0, sp_kebabcase},
	{"lower", 1, 1, 0, sp_lower},
	{"nindent", 2, 2, 0, sp_nindent},
	{"nospace", 1, 1, 0, sp_nospace},
	{"plural", 3, 3, 0, sp_plural},
	{"quote", 0, -1, 0, sp_quote},
	{"repeat", 2, 2, 0, sp_repeat},
	{"replace", 3, 3, 0, sp_replace},
	{"snakecase", 1, 1, 0, sp_snakecase},
	{"sortAlpha", 1, 1, 0, sp_sortalpha},
	{"split", 2, 2, 0, sp_split},
	{"splitList", 2, 2, 0, sp_splitlist},
	{"splitn", 3, 3, 0, sp_splitn},
	{"squote", 0, -1, 0, sp_squote},
	{"substr", 3, 3, 0, sp_substr},
	{"swapcase", 1, 1, 0, sp_swapcase},
	{"title", 1, 1, 0, sp_title},
	{"toString", 1, 1, 0, sp_tostring},
	{"toStrings", 1, 1, 0, sp_tostrings},
	{"trim", 1, 1, 0, sp_trim},
	{"trimAll", 2, 2, 0, sp_trimall},
	{"trimPrefix", 2, 2, 0, sp_trimprefix},
	{"trimSuffix", 2, 2, 0, sp_trimsuffix},
	{"trimall", 2, 2, 0, sp_trimall},
	{"trunc", 2, 2, 0, sp_trunc},
	{"untitle", 1, 1, 0, sp_untitle},
	{"upper", 1, 1, 0, sp_upper},
	{"wrap", 2, 2, 0, sp_wrap},
	{"wrapWith", 3, 3, 0, sp_wrapwith},
	{NULL, 0, 0, 0, NULL}
};
