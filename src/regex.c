/* regex.c: Go's regexp package over RE2 (regex_re2.cc): Go's error texts, the checks Go makes and RE2 does not, invalid UTF-8 read as U+FFFD, and Go's FindAll, ReplaceAll and Expand iteration rules.
 *
 * RE2 and Go's regexp share one syntax and leftmost-first semantics, so RE2
 * decides matches; what differs is handled here:
 * - RE2 accepts \C (any byte); Go rejects it as an invalid escape.
 * - Go limits the parse tree's height to 1000 ("expression nests too
 *   deeply"); RE2 has no such limit. rx_height estimates Go's height.
 * - RE2 reports a pattern's invalid UTF-8 before anything else, with an empty
 *   fragment; Go reports the first error in reading order, with the rest of
 *   the pattern from the bad byte.
 * - RE2's unanchored search may find an empty match inside a multi-byte
 *   character (\B between two bytes of "é"); Go only tries rune boundaries.
 * - RE2 never matches invalid UTF-8 in a text, where Go reads U+FFFD.
 */
#include "regex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "regex_re2.h"
#include "utf8.h"

/* RE2's memory for one compiled pattern (its programs and DFA caches); a
 * larger pattern is "expression too large", as Go words its own size limit. */
#define RX_MAX_MEM (64LL << 20)
/* Go's maxHeight (regexp/syntax). */
#define RX_MAX_HEIGHT 1000

struct rx {
	rx_re2 *re;
	int ngroups;
	char **names; /* names[i] of group i, NULL when unnamed */
	bool nonempty;
};

/* RE2's ErrorCode values (re2.h) as Go's syntax.ErrorCode texts. */
static const char *const rx_code_text[] = {
	[1] = "regexp/syntax: internal error",
	[2] = "invalid escape sequence",
	[3] = "invalid character class",
	[4] = "invalid character class range",
	[5] = "missing closing ]",
	[6] = "missing closing )",
	[7] = "unexpected )",
	[8] = "trailing backslash at end of expression",
	[9] = "missing argument to repetition operator",
	[10] = "invalid repeat count",
	[11] = "invalid nested repetition operator",
	[12] = "invalid or unsupported Perl syntax",
	[13] = "invalid UTF-8",
	[14] = "invalid named capture",
	[15] = "expression too large",
};
enum { RX_E_MISSING_BRACKET = 5, RX_E_MISSING_PAREN = 6, RX_E_UNEXPECTED_PAREN = 7,
       RX_E_TRAILING_BACKSLASH = 8, RX_E_BAD_UTF8 = 13, RX_E_BAD_NAMED_CAPTURE = 14,
       RX_E_TOO_LARGE = 15 };

static void rx_error(sbuf *err, const char *what, const char *arg, size_t n)
{
	sbuf_printf(err, "error parsing regexp: %s: `", what);
	sbuf_put(err, arg, n);
	sbuf_putc(err, '`');
}

/* Does RE2 find a positional error (one Go would meet reading left to right)
 * in pat[0..n)? Then err gets it. Missing ) or ] and a trailing backslash
 * only mean the prefix stops early; whole is the pattern's length. */
static bool rx_prefix_error(const char *pat, size_t n, size_t whole, sbuf *err)
{
	int code = 0;
	const char *arg = NULL;
	size_t alen = 0;
	rx_re2 *r = rx_re2_compile(pat, n, RX_MAX_MEM, &code, &arg, &alen);
	if (!r)
		return false;
	bool positional = code != 0 && code != RX_E_MISSING_BRACKET && code != RX_E_MISSING_PAREN &&
			  code != RX_E_TRAILING_BACKSLASH && code != RX_E_TOO_LARGE;
	/* "(?P<a" cut at the bad byte: Go checks the name's UTF-8 first */
	if (code == RX_E_BAD_NAMED_CAPTURE && (alen == 0 || arg[alen - 1] != '>'))
		positional = false;
	if (positional && code == RX_E_UNEXPECTED_PAREN)
		arg = pat, alen = whole; /* Go names the whole pattern */
	if (positional)
		rx_error(err, rx_code_text[code], arg, alen);
	rx_re2_free(r);
	return positional;
}

/* The first byte RE2 would take differently from Go: an invalid UTF-8 byte
 * (*code RX_E_BAD_UTF8) or the escape \C outside \Q...\E (*code 2); n when
 * none. */
static size_t rx_first_misfit(const char *p, size_t n, int *code)
{
	bool quoted = false;
	for (size_t i = 0; i < n;) {
		size_t w;
		int32_t r = u8_decode(p + i, n - i, &w);
		if (r == U8_RUNE_ERROR && w == 1) {
			*code = RX_E_BAD_UTF8;
			return i;
		}
		if (quoted) {
			if (p[i] == '\\' && i + 1 < n && p[i + 1] == 'E')
				quoted = false, w = 2;
		} else if (p[i] == '\\' && i + 1 < n) {
			if (p[i + 1] == 'C') {
				*code = 2;
				return i;
			}
			if (p[i + 1] == 'Q')
				quoted = true;
			if ((unsigned char)p[i + 1] < 0x80)
				w = 2; /* an escaped multi-byte rune is checked next round */
		}
		i += w;
	}
	return n;
}

/* An estimate of the height of Go's parse tree (regexp/syntax's calcHeight):
 * a capture, a repetition, a concatenation of several items and an
 * alternation of several branches each add a level. Run on patterns RE2
 * accepted, so the syntax is sound; frames live on the heap (patterns may
 * nest deeply). */
typedef struct rx_frame {
	bool cap;
	int branch_max; /* the highest finished branch */
	int branches;
	bool single;    /* every branch so far is one character: Go makes a class */
	int items, item_max, last;
	bool lit;       /* the last item is a literal run */
	int lit_len;
} rx_frame;

static int rx_branch_height(const rx_frame *f)
{
	if (f->items == 0)
		return 1;
	return f->items > 1 ? 1 + f->item_max : f->item_max;
}

static void rx_item(rx_frame *f, int h, bool literal)
{
	if (literal && f->lit) {
		f->lit_len++;
		return;
	}
	f->items++;
	f->last = h;
	f->lit = literal;
	f->lit_len = 1;
	if (h > f->item_max)
		f->item_max = h;
}

static void rx_repeat(rx_frame *f)
{
	if (f->items == 0)
		return;
	if (f->lit && f->lit_len > 1) /* "ab*": the b splits off the run */
		f->items++;
	f->lit = false;
	f->last++;
	if (f->last > f->item_max)
		f->item_max = f->last;
}

static size_t rx_skip_class(const char *p, size_t n, size_t i)
{
	i++; /* [ */
	if (i < n && p[i] == '^')
		i++;
	if (i < n && p[i] == ']')
		i++;
	while (i < n && p[i] != ']') {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
			const char *e = memchr(p + i + 2, ']', n - i - 2);
			if (e && e[-1] == ':')
				i = (size_t)(e - p);
		}
		i++;
	}
	return i + 1;
}

/* An escape at p[i] (its backslash) as one item (\Q...\E as one literal,
 * \p{Greek} and \x{41} whole): the index after it. */
static size_t rx_height_escape(rx_frame *f, const char *p, size_t n, size_t i)
{
	char e = p[i + 1];
	if (e == 'Q') {
		const char *end = memmem(p + i + 2, n - i - 2, "\\E", 2);
		size_t stop = end ? (size_t)(end - p) + 2 : n;
		if (stop > i + 2 + 2 || (!end && stop > i + 2))
			rx_item(f, 1, true);
		return stop;
	}
	bool literal = !((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) || e == 'x' || e == 'a' ||
		       e == 'f' || e == 't' || e == 'n' || e == 'r' || e == 'v';
	rx_item(f, 1, literal);
	i += 2;
	if ((e == 'p' || e == 'P' || e == 'x') && i < n && p[i] == '{') {
		const char *end = memchr(p + i, '}', n - i);
		i = end ? (size_t)(end - p) + 1 : n;
	}
	return i;
}

/* A '{' at p[i]: a repeat {n,m} (lazy with ?) or a literal brace: the index after it. */
static size_t rx_height_brace(rx_frame *f, const char *p, size_t n, size_t i)
{
	size_t j = i + 1;
	while (j < n && ((p[j] >= '0' && p[j] <= '9') || p[j] == ','))
		j++;
	if (!(j < n && p[j] == '}' && j > i + 1 && p[i + 1] != ',')) {
		rx_item(f, 1, true);
		return i + 1;
	}
	rx_repeat(f);
	i = j + 1;
	if (i < n && p[i] == '?')
		i++;
	return i;
}

/* A '(' at p[i]: the index after its opening ((, (?:, (?P<name>), whether it
 * captures, and whether it was only flags ((?i), no group). */
static size_t rx_height_group(const char *p, size_t n, size_t i, bool *capture, bool *flags_only)
{
	*capture = true;
	*flags_only = false;
	if (i + 1 >= n || p[i + 1] != '?')
		return i + 1;
	if (i + 2 < n && p[i + 2] == 'P') {
		const char *e = memchr(p + i, '>', n - i);
		return e ? (size_t)(e - p) + 1 : n;
	}
	size_t j = i + 2;
	while (j < n && p[j] != ':' && p[j] != ')')
		j++;
	if (j < n && p[j] == ')') /* (?i): flags only */
		*flags_only = true;
	else
		*capture = false;
	return j + 1;
}

/* The end of a branch ('|' or ')') of the group f. */
static void rx_height_branch_end(rx_frame *f)
{
	int bh = rx_branch_height(f);
	if (bh > f->branch_max)
		f->branch_max = bh;
	if (!(f->items == 1 && f->item_max == 1 && (!f->lit || f->lit_len == 1)))
		f->single = false;
	f->branches++;
	f->items = f->item_max = f->last = 0;
	f->lit = false;
}

/* The height of the group f, closed. */
static int rx_height_group_end(const rx_frame *f)
{
	int h = f->branches > 1 && !f->single ? 1 + f->branch_max : f->branch_max;
	if (f->branches > 1 && f->single)
		h = 1;
	return h + f->cap;
}

static int rx_height(const char *p, size_t n)
{
	size_t cap = 16, depth = 0;
	rx_frame *st = calloc(cap, sizeof *st);
	if (!st)
		return 0;
	st[0].single = true;
	int result = 0;
	for (size_t i = 0; i < n;) {
		rx_frame *f = &st[depth];
		char ch = p[i];
		if (ch == '\\' && i + 1 < n) {
			i = rx_height_escape(f, p, n, i);
			continue;
		}
		switch (ch) {
		case '[':
			rx_item(f, 1, false);
			i = rx_skip_class(p, n, i);
			continue;
		case '*':
		case '+':
		case '?':
			rx_repeat(f);
			i++;
			if (i < n && p[i] == '?')
				i++;
			continue;
		case '{':
			i = rx_height_brace(f, p, n, i);
			continue;
		case '(': {
			bool capture, flags_only;
			i = rx_height_group(p, n, i, &capture, &flags_only);
			if (flags_only)
				continue;
			if (++depth == cap) {
				rx_frame *grown = realloc(st, 2 * cap * sizeof *st);
				if (!grown)
					goto out;
				st = grown;
				cap *= 2;
			}
			memset(&st[depth], 0, sizeof st[depth]);
			st[depth].cap = capture;
			st[depth].single = true;
			continue;
		}
		case '|':
		case ')': {
			rx_height_branch_end(f);
			i++;
			if (ch == '|' || depth == 0)
				continue;
			int h = rx_height_group_end(f);
			if (h > result)
				result = h;
			depth--;
			rx_item(&st[depth], h, false);
			continue;
		}
		default:
			rx_item(f, 1, ch != '.' && ch != '^' && ch != '$');
			i++;
		}
	}
	{
		rx_frame *f = &st[0];
		int bh = rx_branch_height(f);
		int top = 1 + (bh > f->branch_max ? bh : f->branch_max);
		if (bh > result)
			result = bh;
		if (f->branches > 0 && top > result)
			result = top;
	}
out:
	free(st);
	return result;
}

rx *rx_compile(const char *pat, size_t n, sbuf *err)
{
	int misfit = 0;
	size_t at = rx_first_misfit(pat, n, &misfit);
	if (at < n) {
		if (rx_prefix_error(pat, at, n, err))
			return NULL;
		if (misfit == RX_E_BAD_UTF8) {
			/* Go names the rest of the pattern, or of a group's name */
			size_t end = n;
			const char *open = at >= 4 ? memmem(pat, at, "(?P<", 4) : NULL;
			while (open && memmem(open + 4, (size_t)(pat + at - open - 4), ">", 1))
				open = memmem(open + 4, (size_t)(pat + at - open - 4), "(?P<", 4);
			if (open) {
				const char *gt = memchr(pat + at, '>', n - at);
				if (gt)
					end = (size_t)(gt - pat);
			}
			rx_error(err, rx_code_text[RX_E_BAD_UTF8], pat + at, end - at);
		}
		else
			rx_error(err, rx_code_text[2], "\\C", 2);
		return NULL;
	}
	int code = 0;
	const char *arg = NULL;
	size_t alen = 0;
	rx_re2 *r = rx_re2_compile(pat, n, RX_MAX_MEM, &code, &arg, &alen);
	if (!r) {
		rx_error(err, rx_code_text[RX_E_TOO_LARGE], pat, n);
		return NULL;
	}
	if (code != 0) {
		if (code == RX_E_UNEXPECTED_PAREN || code == RX_E_MISSING_PAREN ||
		    code == RX_E_TOO_LARGE || code < 1 || code > 15)
			arg = pat, alen = n; /* Go names the whole pattern */
		rx_error(err, rx_code_text[code >= 1 && code <= 15 ? code : 1], arg, alen);
		rx_re2_free(r);
		return NULL;
	}
	if (n > RX_MAX_HEIGHT && rx_height(pat, n) > RX_MAX_HEIGHT) {
		rx_error(err, "expression nests too deeply", pat, n);
		rx_re2_free(r);
		return NULL;
	}
	rx *re = calloc(1, sizeof *re);
	int ng = rx_re2_groups(r);
	char **names = calloc((size_t)ng + 1, sizeof *names);
	if (!re || !names) {
		free(re);
		free(names);
		rx_re2_free(r);
		rx_error(err, rx_code_text[RX_E_TOO_LARGE], pat, n);
		return NULL;
	}
	for (int i = 1; i <= ng; i++) {
		const char *nm = rx_re2_group_name(r, i);
		names[i] = nm ? strdup(nm) : NULL;
	}
	re->re = r;
	re->ngroups = ng;
	re->names = names;
	re->nonempty = n > 0;
	return re;
}

void rx_free(rx *re)
{
	if (!re)
		return;
	for (int i = 0; i <= re->ngroups; i++)
		free(re->names[i]);
	free(re->names);
	rx_re2_free(re->re);
	free(re);
}

bool rx_nonempty(const rx *re)
{
	return re->nonempty;
}

int rx_groups(const rx *re)
{
	return re->ngroups;
}

/* ---- texts ---- */

static size_t rx_count_bad(const char *s, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		size_t w;
		if (u8_decode(s + i, n - i, &w) == U8_RUNE_ERROR && w == 1)
			bad++;
		i += w;
	}
	return bad;
}

size_t rx_input_cost(size_t n)
{
	return 3 * n + n * sizeof(size_t) + 64;
}

void rx_input_init(rx_input *in, tmpl_arena *a, const char *s, size_t n)
{
	in->s = in->m = s;
	in->n = in->mn = n;
	in->bad = NULL;
	in->nbad = rx_count_bad(s, n);
	if (!in->nbad)
		return;
	char *m = arena_alloc(a, n + 2 * in->nbad + 1);
	size_t *bad = arena_alloc(a, in->nbad * sizeof *bad);
	size_t o = 0, k = 0;
	for (size_t i = 0; i < n;) {
		size_t w;
		if (u8_decode(s + i, n - i, &w) == U8_RUNE_ERROR && w == 1) {
			bad[k++] = o;
			memcpy(m + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(m + o, s + i, w);
			o += w;
		}
		i += w;
	}
	m[o] = 0;
	in->m = m;
	in->mn = o;
	in->bad = bad;
}

/* The original offset of offset o of the matched text (never inside a
 * replacement: matches only start and end on rune boundaries). */
static long long rx_orig(const rx_input *in, long long o)
{
	if (o < 0 || !in->nbad)
		return o;
	size_t lo = 0, hi = in->nbad; /* count of bad[] < o */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((long long)in->bad[mid] < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	return o - 2 * (long long)lo;
}

/* Go's step: the width of the rune at m offset pos, 0 at the end. */
static size_t rx_step(const rx_input *in, size_t pos)
{
	if (pos >= in->mn)
		return 0;
	size_t w;
	u8_decode(in->m + pos, in->mn - pos, &w);
	return w;
}

/* Go's doExecute from pos: the leftmost-first match starting on a rune
 * boundary at or after pos, offsets in m. */
static int rx_exec(const rx *re, const rx_input *in, size_t pos, long long *mcaps)
{
	for (;;) {
		int r = rx_re2_match(re->re, in->m, in->mn, pos, mcaps, re->ngroups + 1);
		if (r <= 0)
			return r;
		size_t st = (size_t)mcaps[0];
		if (st >= in->mn || ((unsigned char)in->m[st] & 0xC0) != 0x80)
			return 1;
		/* no match began before st: search again from the next rune */
		pos = st;
		while (pos < in->mn && ((unsigned char)in->m[pos] & 0xC0) == 0x80)
			pos++;
	}
}

static void rx_map_caps(const rx_iter *it, long long *caps)
{
	for (int i = 0; i < 2 * (it->re->ngroups + 1); i++)
		caps[i] = rx_orig(it->in, it->mcaps[i]);
}

int rx_iter_init(rx_iter *it, tmpl_arena *a, const rx *re, const rx_input *in)
{
	it->re = re;
	it->in = in;
	it->pos = 0;
	it->prev = -1;
	it->done = false;
	it->mcaps = arena_alloc(a, 2 * ((size_t)re->ngroups + 1) * sizeof *it->mcaps);
	return it->mcaps ? 0 : -1;
}

int rx_next_all(rx_iter *it, long long *caps)
{
	while (!it->done && it->pos <= it->in->mn) {
		int r = rx_exec(it->re, it->in, it->pos, it->mcaps);
		if (r <= 0) {
			it->done = true;
			return r;
		}
		bool accept = true;
		if (it->mcaps[1] == (long long)it->pos) {
			/* an empty match: not right after the previous one */
			if (it->mcaps[0] == it->prev)
				accept = false;
			size_t w = rx_step(it->in, it->pos);
			if (w > 0)
				it->pos += w;
			else
				it->pos = it->in->mn + 1;
		} else {
			it->pos = (size_t)it->mcaps[1];
		}
		it->prev = it->mcaps[1];
		if (accept) {
			rx_map_caps(it, caps);
			return 1;
		}
	}
	it->done = true;
	return 0;
}

int rx_next_replace(rx_iter *it, long long *caps, size_t *copy_from, bool *insert)
{
	long long last = it->prev < 0 ? 0 : it->prev;
	*copy_from = (size_t)rx_orig(it->in, last);
	if (it->done || it->pos > it->in->mn) {
		it->done = true;
		return 0;
	}
	int r = rx_exec(it->re, it->in, it->pos, it->mcaps);
	if (r <= 0) {
		it->done = true;
		return r;
	}
	long long a0 = it->mcaps[0], a1 = it->mcaps[1];
	*insert = a1 > last || a0 == 0;
	it->prev = a1;
	size_t w = rx_step(it->in, it->pos);
	if ((long long)(it->pos + w) > a1)
		it->pos += w;
	else if ((long long)(it->pos + 1) > a1)
		it->pos++;
	else
		it->pos = (size_t)a1;
	rx_map_caps(it, caps);
	return 1;
}

/* ---- Expand and QuoteMeta ---- */

/* Go's extract: a group name after '$' ("1", "name", "{name}"): its length
 * in t, the name's bounds and its number (-1 when not a number). */
static bool rx_extract(const char *t, size_t n, size_t *used, const char **name, size_t *nlen,
		       long *num)
{
	size_t i = 0;
	bool brace = n > 0 && t[0] == '{';
	if (brace)
		i = 1;
	size_t start = i;
	while (i < n) {
		size_t w;
		int32_t r = u8_decode(t + i, n - i, &w);
		if (!u8_isletter(r) && !u8_isdigit(r) && r != '_')
			break;
		i += w;
	}
	if (i == start)
		return false;
	*name = t + start;
	*nlen = i - start;
	if (brace) {
		if (i >= n || t[i] != '}')
			return false;
		i++;
	}
	long v = 0;
	for (size_t k = 0; k < *nlen; k++) {
		char c = (*name)[k];
		if (c < '0' || c > '9' || v >= 100000000) {
			v = -1;
			break;
		}
		v = v * 10 + (c - '0');
	}
	if ((*name)[0] == '0' && *nlen > 1)
		v = -1;
	*num = v;
	*used = i;
	return true;
}

static size_t rx_put(sbuf *out, const char *p, size_t n)
{
	if (out)
		sbuf_put(out, p, n);
	return n;
}

size_t rx_expand(const rx *re, sbuf *out, const char *tpl, size_t tn, const char *s,
		 const long long *caps)
{
	size_t made = 0;
	while (tn > 0) {
		const char *dollar = memchr(tpl, '$', tn);
		if (!dollar)
			break;
		made += rx_put(out, tpl, (size_t)(dollar - tpl));
		tn -= (size_t)(dollar - tpl) + 1;
		tpl = dollar + 1;
		if (tn > 0 && tpl[0] == '$') {
			made += rx_put(out, "$", 1);
			tpl++, tn--;
			continue;
		}
		size_t used, nlen;
		const char *name;
		long num;
		if (!rx_extract(tpl, tn, &used, &name, &nlen, &num)) {
			made += rx_put(out, "$", 1);
			continue;
		}
		tpl += used, tn -= used;
		int g = -1;
		if (num >= 0) {
			if (num <= re->ngroups && caps[2 * num] >= 0)
				g = (int)num;
		} else {
			for (int i = 1; i <= re->ngroups; i++)
				if (re->names[i] && strlen(re->names[i]) == nlen &&
				    memcmp(re->names[i], name, nlen) == 0 && caps[2 * i] >= 0) {
					g = i;
					break;
				}
		}
		if (g >= 0)
			made += rx_put(out, s + caps[2 * g], (size_t)(caps[2 * g + 1] - caps[2 * g]));
	}
	made += rx_put(out, tpl, tn);
	return made;
}

void rx_quote_meta(sbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr("\\.+*?()|[]{}^$", s[i]) && s[i])
			sbuf_putc(out, '\\');
		sbuf_putc(out, s[i]);
	}
}
