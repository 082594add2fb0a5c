/* json.c: Go's encoding/json over the value model: a strict RFC 8259 reader with Go's error texts and a writer with Go's output form. */
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fmt.h"
#include "json_run.h"
#include "stack_guard.h"
#include "tmpl_value.h"
#include "types.h"
#include "utf8.h"
#include "error.h"

/* Go's maxNestingDepth in encoding/json's scanner. */
#define JSON_MAX_DEPTH 10000

/* ---- reader ---- */

/* An open container: its items are vals[start..] of the reader (lists:
 * elements; objects: alternating key, value). One stack serves every level,
 * so containers cost no allocation of their own. */
typedef struct json_frame {
	bool is_obj;
	size_t start;
} json_frame;

typedef struct json_reader {
	tmpl_arena *a;
	const char *s;
	size_t len, pos;
	unsigned flags;
	tmpl_error *err;
	sbuf str;      /* unquoting buffer */
	char *pending; /* malloc'd: the first number out of range, reported only
			* if the whole text is valid JSON (Go checks syntax first) */
	const tv **vals; /* the items of every open container (json_frame) */
	size_t nvals, capvals;
	/* Keys seen, by length and end bytes: a pod's thousand "name"s and "value"s
	 * share one value each (values are never changed once made). */
	const tv *keys[64];
} json_reader;

#define JSON_KEY_CACHE_MAX 48 /* longer keys are rare, and cost their memcmp */

/* Go's quoteChar: how a byte is named in a syntax error. */
static void json_quote_char(sbuf *b, unsigned char c)
{
	if (c == '\'') {
		sbuf_puts(b, "'\\''");
		return;
	}
	if (c == '"') {
		sbuf_puts(b, "'\"'");
		return;
	}
	char rune[4];
	size_t n = u8_encode(rune, c);
	sbuf q = SBUF_INIT;
	fmt_quote(&q, rune, n);
	sbuf_putc(b, '\'');
	sbuf_put(b, q.buf + 1, q.len - 2);
	sbuf_putc(b, '\'');
	sbuf_free(&q);
}

/* A syntax error at the current byte. At the end of the input Go's scanner
 * steps a space: states that reject one (inside a literal, a number or an
 * escape) name it; the others say "unexpected end of JSON input". */
static int json_syntax(json_reader *r, const char *context)
{
	bool eof = r->pos >= r->len;
	if (eof && (!*context || strncmp(context, "looking", 7) == 0 ||
		    (strncmp(context, "after", 5) == 0 && strstr(context, "numeric") == NULL) ||
		    strcmp(context, "in string literal") == 0))
		return tmpl_error_set(r->err, TMPL_ERR_DATA, NULL, 0, 0, "unexpected end of JSON input");
	sbuf m = SBUF_INIT;
	sbuf_puts(&m, "invalid character ");
	json_quote_char(&m, eof ? ' ' : (unsigned char)r->s[r->pos]);
	sbuf_putc(&m, ' ');
	sbuf_puts(&m, context);
	tmpl_error_set(r->err, TMPL_ERR_DATA, NULL, 0, 0, "%s", m.buf);
	sbuf_free(&m);
	return -1;
}

static inline void json_skip_space(json_reader *r)
{
	/* Compact JSON (the API server's) has none: one comparison decides. */
	while (r->pos < r->len && (unsigned char)r->s[r->pos] <= ' ') {
		char c = r->s[r->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		r->pos++;
	}
}

static int json_hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static bool json_is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string starting at the opening quote; Go's unquote (invalid UTF-8 and
 * lone surrogates become U+FFFD). */
/* The escape at r->pos (its backslash) decoded into r->str: \n, \u00e9, a
 * surrogate pair whole, a lone surrogate as U+FFFD, as Go's unquote does. */
static int json_escape(json_reader *r)
{
	r->pos++;
	if (r->pos >= r->len)
		return json_syntax(r, "in string escape code");
	char one = 0;
	switch (r->s[r->pos]) {
	case '"': one = '"'; break;
	case '\\': one = '\\'; break;
	case '/': one = '/'; break;
	case 'b': one = '\b'; break;
	case 'f': one = '\f'; break;
	case 'n': one = '\n'; break;
	case 'r': one = '\r'; break;
	case 't': one = '\t'; break;
	case 'u': break;
	default:
		return json_syntax(r, "in string escape code");
	}
	r->pos++;
	if (one) {
		sbuf_putc(&r->str, one);
		return 0;
	}
	for (int i = 0; i < 4; i++, r->pos++) {
		if (r->pos >= r->len || !json_is_hex(r->s[r->pos]))
			return json_syntax(r, "in \\u hexadecimal character escape");
	}
	int32_t rr = json_hex4(r->s + r->pos - 4);
	if (rr >= 0xD800 && rr < 0xE000) {
		/* A valid pair is consumed whole; anything else is U+FFFD and
		 * the next escape is read on its own. */
		int32_t lo = -1;
		if (rr < 0xDC00 && r->pos + 6 <= r->len && r->s[r->pos] == '\\' && r->s[r->pos + 1] == 'u')
			lo = json_hex4(r->s + r->pos + 2);
		if (lo >= 0xDC00 && lo < 0xE000) {
			rr = 0x10000 + ((rr - 0xD800) << 10) + (lo - 0xDC00);
			r->pos += 6;
		} else {
			rr = U8_RUNE_ERROR;
		}
	}
	char buf[4];
	sbuf_put(&r->str, buf, u8_encode(buf, rr));
	return 0;
}

/* A string value; keys carry their hash (TVF_HASHED), which the map's
 * index and the duplicate check use. */
static const tv *json_string_value(json_reader *r, const char *s, size_t len, bool key)
{
	const char *copy = arena_strndup(r->a, s, len);
	return key ? tv_string_hashed(r->a, copy, len) : tv_string_ref(r->a, copy, len);
}

static int json_string(json_reader *r, const tv **out, bool key)
{
	r->pos++;
	/* Most strings are plain ASCII to the closing quote: copy them once. */
	size_t start = r->pos;
	size_t end = (size_t)(json_run_end(r->s + start, r->s + r->len, false) - r->s);
	if (end < r->len && r->s[end] == '"') {
		const char *s = r->s + start;
		size_t n = end - start;
		r->pos = end + 1;
		if (key && n && n <= JSON_KEY_CACHE_MAX) {
			const tv **slot =
				&r->keys[(n * 7 + (unsigned char)s[0] * 3 + (unsigned char)s[n - 1]) & 63];
			if (!*slot || (*slot)->u.s.len != n || memcmp((*slot)->u.s.ptr, s, n) != 0)
				*slot = json_string_value(r, s, n, true);
			*out = *slot;
			return 0;
		}
		*out = json_string_value(r, s, n, key);
		return 0;
	}
	r->str.len = 0;
	for (;;) {
		size_t run = (size_t)(json_run_end(r->s + r->pos, r->s + r->len, false) - r->s);
		if (run > r->pos) {
			sbuf_put(&r->str, r->s + r->pos, run - r->pos);
			r->pos = run;
		}
		if (r->pos >= r->len)
			return json_syntax(r, "");
		unsigned char c = (unsigned char)r->s[r->pos];
		if (c == '"') {
			r->pos++;
			break;
		}
		if (c < 0x20)
			return json_syntax(r, "in string literal");
		if (c == '\\') {
			if (json_escape(r) < 0)
				return -1;
			continue;
		}
		if (c < 0x80) {
			sbuf_putc(&r->str, (char)c);
			r->pos++;
			continue;
		}
		size_t size;
		int32_t rr = u8_decode(r->s + r->pos, r->len - r->pos, &size);
		if (rr == U8_RUNE_ERROR && size == 1) {
			sbuf_puts(&r->str, "\xef\xbf\xbd");
		} else {
			sbuf_put(&r->str, r->s + r->pos, size);
		}
		r->pos += size;
	}
	*out = json_string_value(r, r->str.buf ? r->str.buf : "", r->str.len, key);
	return 0;
}

static bool json_digit(json_reader *r)
{
	return r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9';
}

static int json_number(json_reader *r, const tv **out)
{
	size_t start = r->pos;
	bool integral = true;
	if (r->s[r->pos] == '-') {
		r->pos++;
		if (!json_digit(r))
			return json_syntax(r, "in numeric literal");
	}
	if (r->s[r->pos] == '0') {
		r->pos++;
	} else {
		while (json_digit(r))
			r->pos++;
	}
	if (r->pos < r->len && r->s[r->pos] == '.') {
		integral = false;
		r->pos++;
		if (!json_digit(r))
			return json_syntax(r, "after decimal point in numeric literal");
		while (json_digit(r))
			r->pos++;
	}
	if (r->pos < r->len && (r->s[r->pos] == 'e' || r->s[r->pos] == 'E')) {
		integral = false;
		r->pos++;
		if (r->pos < r->len && (r->s[r->pos] == '+' || r->s[r->pos] == '-'))
			r->pos++;
		if (!json_digit(r))
			return json_syntax(r, "in exponent of numeric literal");
		while (json_digit(r))
			r->pos++;
	}
	size_t n = r->pos - start;
	char local[64];
	char *text = n < sizeof(local) ? local : malloc(n + 1);
	if (!text)
		tmpl_out_of_memory();
	memcpy(text, r->s + start, n);
	text[n] = '\0';
	if (integral && !(r->flags & JSON_NUMBERS_FLOAT)) {
		errno = 0;
		char *end;
		long long i = strtoll(text, &end, 10);
		if (errno == 0 && *end == '\0') {
			*out = tv_int(r->a, i);
			goto done;
		}
	}
	double f = strtod(text, NULL);
	if (isinf(f)) {
		if (!r->pending) {
			r->pending = strdup(text);
			if (!r->pending)
				tmpl_out_of_memory();
		}
		*out = &tv_null_value;
	} else {
		*out = tv_float(r->a, f);
	}
done:
	if (text != local)
		free(text);
	return 0;
}

static int json_literal(json_reader *r, const char *word, const tv *val, const tv **out)
{
	size_t n = strlen(word);
	for (size_t i = 0; i < n; i++, r->pos++) {
		if (r->pos >= r->len || r->s[r->pos] != word[i]) {
			char ctx[48];
			snprintf(ctx, sizeof(ctx), "in literal %s (expecting '%c')", word, word[i]);
			return json_syntax(r, ctx);
		}
	}
	*out = val;
	return 0;
}

static void json_push(json_reader *r, const tv *v)
{
	if (r->nvals == r->capvals) {
		r->capvals = r->capvals ? r->capvals * 2 : 64;
		r->vals = realloc(r->vals, r->capvals * sizeof(*r->vals));
		if (!r->vals)
			tmpl_out_of_memory();
	}
	r->vals[r->nvals++] = v;
}

static bool json_same_key(const tv *a, const tv *b)
{
	return a->hash == b->hash && a->u.s.len == b->u.s.len &&
	       memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
}

/* Duplicate keys, as Go reads them: the first occurrence keeps its place and
 * takes the last value; later ones are dropped (their key set to NULL). Keys
 * are found by their hashes: pairs compared with each other when few, else
 * through a table of pair numbers. */
static void json_dedup(const tv **items, size_t np)
{
	if (np <= 8) {
		for (size_t j = 1; j < np; j++)
			for (size_t i = 0; i < j; i++)
				if (items[2 * i] && json_same_key(items[2 * i], items[2 * j])) {
					items[2 * i + 1] = items[2 * j + 1];
					items[2 * j] = NULL;
					break;
				}
		return;
	}
	uint32_t small[256], *slot = small;
	size_t cap = 16;
	while (cap < 2 * np)
		cap *= 2;
	if (cap > sizeof small / sizeof small[0] && !(slot = malloc(cap * sizeof *slot)))
		tmpl_out_of_memory();
	memset(slot, 0, cap * sizeof *slot);
	for (size_t j = 0; j < np; j++) {
		size_t s = items[2 * j]->hash & (cap - 1);
		for (; slot[s]; s = (s + 1) & (cap - 1)) {
			size_t i = slot[s] - 1;
			if (json_same_key(items[2 * i], items[2 * j]))
				break;
		}
		if (!slot[s]) {
			slot[s] = (uint32_t)(j + 1);
		} else {
			items[2 * (slot[s] - 1) + 1] = items[2 * j + 1];
			items[2 * j] = NULL;
		}
	}
	if (slot != small)
		free(slot);
}

/* The finished container of frame f; its items leave the stack. */
static const tv *json_frame_close(json_reader *r, const json_frame *f)
{
	/* No value read yet leaves vals NULL, and NULL + 0 is undefined. */
	const tv **items = r->vals ? r->vals + f->start : NULL;
	size_t n = r->nvals - f->start;
	r->nvals = f->start;
	if (!f->is_obj) {
		tv *l = tv_list_new(r->a, n);
		if (n)
			memcpy(l->u.list.items, items, n * sizeof *items);
		return l;
	}
	size_t np = n / 2;
	json_dedup(items, np);
	tv *m = tv_map_new(r->a, np);
	for (size_t i = 0; i < np; i++)
		if (items[2 * i])
			tv_map_add(r->a, m, items[2 * i], items[2 * i + 1]);
	tv_map_seal(r->a, m);
	return m;
}

/* What json_parse reads next: a value, an object's key, or the end of the
 * innermost container (its closing bracket already read). */
typedef enum json_next { JSON_VALUE, JSON_KEY, JSON_CLOSE, JSON_HAVE, JSON_FAIL } json_next;

/* The open containers, innermost last. */
typedef struct json_stack {
	json_frame *f;
	size_t depth, cap;
} json_stack;

/* After '{' or '[' at r->pos: the container opened, and what comes first. */
static json_next json_open(json_reader *r, json_stack *st)
{
	if (st->depth == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->f = realloc(st->f, st->cap * sizeof(*st->f));
		if (!st->f)
			tmpl_out_of_memory();
	}
	if (st->depth + 1 > JSON_MAX_DEPTH) {
		json_syntax(r, "exceeded max depth");
		return JSON_FAIL;
	}
	bool is_obj = r->s[r->pos] == '{';
	st->f[st->depth++] = (json_frame){is_obj, r->nvals};
	r->pos++;
	json_skip_space(r);
	if (r->pos < r->len && r->s[r->pos] == (is_obj ? '}' : ']')) {
		r->pos++;
		return JSON_CLOSE;
	}
	return is_obj ? JSON_KEY : JSON_VALUE;
}

/* A value at r->pos: a scalar into *v (JSON_HAVE), or a container opened. */
static json_next json_read_value(json_reader *r, json_stack *st, const tv **v)
{
	json_skip_space(r);
	if (r->pos >= r->len) {
		json_syntax(r, "");
		return JSON_FAIL;
	}
	int rc;
	switch (r->s[r->pos]) {
	case '{':
	case '[':
		return json_open(r, st);
	case '"':
		rc = json_string(r, v, false);
		break;
	case 't':
		rc = json_literal(r, "true", &tv_true_value, v);
		break;
	case 'f':
		rc = json_literal(r, "false", &tv_false_value, v);
		break;
	case 'n':
		rc = json_literal(r, "null", &tv_null_value, v);
		break;
	default:
		if (r->s[r->pos] == '-' || (r->s[r->pos] >= '0' && r->s[r->pos] <= '9')) {
			rc = json_number(r, v);
			break;
		}
		json_syntax(r, "looking for beginning of value");
		return JSON_FAIL;
	}
	return rc < 0 ? JSON_FAIL : JSON_HAVE;
}

/* After an item of the innermost container: its separator or its end. */
static json_next json_after_item(json_reader *r, const json_frame *f)
{
	json_skip_space(r);
	char close = f->is_obj ? '}' : ']';
	if (r->pos < r->len && r->s[r->pos] == close) {
		r->pos++;
		return JSON_CLOSE;
	}
	if (r->pos >= r->len || r->s[r->pos] != ',') {
		json_syntax(r, f->is_obj ? "after object key:value pair" : "after array element");
		return JSON_FAIL;
	}
	r->pos++;
	if (!f->is_obj)
		return JSON_VALUE;
	json_skip_space(r);
	return JSON_KEY;
}

/* An object's key and its colon, the key pushed as an item. */
static json_next json_read_key(json_reader *r)
{
	const tv *k;
	if (r->pos >= r->len || r->s[r->pos] != '"') {
		json_syntax(r, "looking for beginning of object key string");
		return JSON_FAIL;
	}
	if (json_string(r, &k, true) < 0)
		return JSON_FAIL;
	json_push(r, k);
	json_skip_space(r);
	if (r->pos >= r->len || r->s[r->pos] != ':') {
		json_syntax(r, "after object key");
		return JSON_FAIL;
	}
	r->pos++;
	return JSON_VALUE;
}

/* The whole text read: nothing but space may follow the top-level value. */
static int json_finish(json_reader *r, const tv *v, const tv **out)
{
	json_skip_space(r);
	if (r->pos < r->len)
		return json_syntax(r, "after top-level value");
	if (r->pending) {
		tmpl_error_set(r->err, TMPL_ERR_DATA, NULL, 0, 0,
			       "json: cannot unmarshal number %s into Go value of type float64",
			       r->pending);
		return -1;
	}
	*out = v;
	return 0;
}

int json_parse(tmpl_arena *a, const char *text, size_t len, unsigned flags, const tv **out,
	       tmpl_error *err)
{
	json_reader r = {.a = a, .s = text, .len = len, .flags = flags, .err = err, .str = SBUF_INIT};
	json_stack st = {NULL, 0, 0};
	int rc = -1;
	const tv *v = NULL;
	json_next next = JSON_VALUE;
	/* Without recursion (the depth is the stack's, not C's), and in the order
	 * an object's member comes (key, value, separator) so that the common path
	 * runs straight through. */
	for (;;) {
		if (next == JSON_KEY)
			next = json_read_key(&r);
		if (next == JSON_VALUE)
			next = json_read_value(&r, &st, &v);
		if (next == JSON_CLOSE)
			v = json_frame_close(&r, &st.f[--st.depth]);
		else if (next == JSON_FAIL)
			goto out;
		else if (next != JSON_HAVE)
			continue; /* a container opened: its first key or item */
		/* a whole value in v */
		if (st.depth == 0) {
			rc = json_finish(&r, v, out);
			goto out;
		}
		json_push(&r, v);
		next = json_after_item(&r, &st.f[st.depth - 1]);
	}
out:
	free(r.vals);
	free(st.f);
	free(r.pending);
	sbuf_free(&r.str);
	return rc;
}

/* ---- writer ---- */

typedef struct json_writer {
	sbuf *out;
	unsigned flags;
	tmpl_error *err;
	int level;
} json_writer;

static const char json_hexdig[] = "0123456789abcdef";

/* Go's encodeState.string (Go 1.19 and earlier: \b and \f as \u0008, \u000c). */
static void json_put_string(sbuf *b, const char *s, size_t len, bool html)
{
	sbuf_putc(b, '"');
	size_t i = 0, start = 0;
	for (;;) {
		i = (size_t)(json_run_end(s + i, s + len, html) - s);
		if (i >= len)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			sbuf_put(b, s + start, i - start);
			switch (c) {
			case '"':
			case '\\':
				sbuf_putc(b, '\\');
				sbuf_putc(b, (char)c);
				break;
			case '\n':
				sbuf_puts(b, "\\n");
				break;
			case '\r':
				sbuf_puts(b, "\\r");
				break;
			case '\t':
				sbuf_puts(b, "\\t");
				break;
			default:
				sbuf_puts(b, "\\u00");
				sbuf_putc(b, json_hexdig[c >> 4]);
				sbuf_putc(b, json_hexdig[c & 15]);
			}
			i++;
			start = i;
			continue;
		}
		size_t size;
		int32_t r = u8_decode(s + i, len - i, &size);
		if (r == U8_RUNE_ERROR && size == 1) {
			sbuf_put(b, s + start, i - start);
			sbuf_puts(b, "\\ufffd");
			i++;
			start = i;
			continue;
		}
		if (r == 0x2028 || r == 0x2029) {
			sbuf_put(b, s + start, i - start);
			sbuf_puts(b, r == 0x2028 ? "\\u2028" : "\\u2029");
			i += size;
			start = i;
			continue;
		}
		i += size;
	}
	sbuf_put(b, s + start, len - start);
	sbuf_putc(b, '"');
}

void json_write_string(sbuf *out, const char *s, size_t len, unsigned flags)
{
	json_put_string(out, s, len, (flags & JSON_ESCAPE_HTML) != 0);
}

/* Go's floatEncoder: strconv 'f' form, or 'e' below 1e-6 and from 1e21 on,
 * with the exponent's leading zero dropped (1e-07 -> 1e-7). */
static int json_put_float(json_writer *w, double f)
{
	if (isnan(f) || isinf(f)) {
		sbuf s = SBUF_INIT;
		fmt_float_shortest(&s, f);
		tmpl_error_set(w->err, TMPL_ERR_DATA, NULL, 0, 0, "json: unsupported value: %s",
			       s.buf);
		sbuf_free(&s);
		return -1;
	}
	/* Shortest digits and decimal exponent from Go's 'g' form. */
	sbuf g = SBUF_INIT;
	fmt_float_shortest(&g, f);
	char digits[32];
	size_t nd = 0;
	int point = -1, exp10 = 0;
	bool neg = false;
	for (size_t i = 0; i < g.len; i++) {
		char c = g.buf[i];
		if (c == '-' && i == 0) {
			neg = true;
		} else if (c >= '0' && c <= '9') {
			if (nd < sizeof(digits))
				digits[nd++] = c;
		} else if (c == '.') {
			point = (int)nd;
		} else if (c == 'e') {
			exp10 = atoi(g.buf + i + 1);
			break;
		}
	}
	sbuf_free(&g);
	if (point < 0)
		point = (int)nd;
	/* Strip leading zeros (0.001 -> digits "1", decimal point shifted). */
	size_t lead = 0;
	while (lead + 1 < nd && digits[lead] == '0') {
		lead++;
		point--;
	}
	memmove(digits, digits + lead, nd - lead);
	nd -= lead;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	/* value = 0.d1d2... * 10^dp */
	int dp = point + exp10;
	bool zero = nd == 1 && digits[0] == '0';
	double abs = fabs(f);
	sbuf *b = w->out;
	if (neg)
		sbuf_putc(b, '-');
	if (zero) {
		sbuf_putc(b, '0');
		return 0;
	}
	if (abs < 1e-6 || abs >= 1e21) {
		sbuf_putc(b, digits[0]);
		if (nd > 1) {
			sbuf_putc(b, '.');
			sbuf_put(b, digits + 1, nd - 1);
		}
		int e = dp - 1;
		sbuf_printf(b, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
		return 0;
	}
	if (dp <= 0) {
		sbuf_puts(b, "0.");
		sbuf_pad(b, '0', (size_t)-dp);
		sbuf_put(b, digits, nd);
	} else if ((size_t)dp >= nd) {
		sbuf_put(b, digits, nd);
		sbuf_pad(b, '0', (size_t)dp - nd);
	} else {
		sbuf_put(b, digits, (size_t)dp);
		sbuf_putc(b, '.');
		sbuf_put(b, digits + dp, nd - (size_t)dp);
	}
	return 0;
}

static void json_newline(json_writer *w)
{
	if (!(w->flags & JSON_INDENT2))
		return;
	sbuf_putc(w->out, '\n');
	sbuf_pad(w->out, ' ', (size_t)w->level * 2);
}

static int json_value(json_writer *w, const tv *v);

/* Go's encoder recurses into nested values without a bound; ours stops with
 * an error when the thread's stack runs low (a template can nest values in a
 * loop far deeper than any JSON or YAML input). */
static int json_too_deep(json_writer *w)
{
	if (!stack_guard_low())
		return 0;
	return tmpl_error_set(w->err, TMPL_ERR_DATA, NULL, 0, 0,
			      "json: value nested too deeply to write");
}

static int json_map(json_writer *w, const tv *v)
{
	if (json_too_deep(w) < 0)
		return -1;
	if (v->flags & TVF_ANYKEYS)
		return tmpl_error_set(w->err, TMPL_ERR_DATA, NULL, 0, 0,
				      "json: unsupported type: map[interface {}]interface {}");
	if (v->u.map.len == 0) {
		sbuf_puts(w->out, "{}");
		return 0;
	}
	const tv_pair *pairs = v->u.map.pairs;
	tmpl_arena *tmp = NULL;
	if (!(v->flags & TVF_STRUCTORDER) && !tv_map_in_key_order(v)) {
		tmp = arena_new();
		pairs = tv_map_sorted(tmp, v);
	}
	int rc = 0;
	sbuf_putc(w->out, '{');
	w->level++;
	for (size_t i = 0; i < v->u.map.len; i++) {
		if (i)
			sbuf_putc(w->out, ',');
		json_newline(w);
		const tv *k = pairs[i].key;
		json_put_string(w->out, k->u.s.ptr, k->u.s.len, w->flags & JSON_ESCAPE_HTML);
		sbuf_puts(w->out, (w->flags & JSON_INDENT2) ? ": " : ":");
		if ((rc = json_value(w, pairs[i].val)) < 0)
			break;
	}
	w->level--;
	if (rc == 0) {
		json_newline(w);
		sbuf_putc(w->out, '}');
	}
	if (tmp)
		arena_free(tmp);
	return rc;
}

static int json_list(json_writer *w, const tv *v)
{
	if (json_too_deep(w) < 0)
		return -1;
	if (v->u.list.len == 0) {
		sbuf_puts(w->out, "[]");
		return 0;
	}
	sbuf_putc(w->out, '[');
	w->level++;
	for (size_t i = 0; i < v->u.list.len; i++) {
		if (i)
			sbuf_putc(w->out, ',');
		json_newline(w);
		if (json_value(w, v->u.list.items[i]) < 0)
			return -1;
	}
	w->level--;
	json_newline(w);
	sbuf_putc(w->out, ']');
	return 0;
}

/* A typed value: its JSON form from types_normalize. */
static int json_typed(json_writer *w, const tv *v)
{
	tmpl_arena *tmp = arena_new();
	const tv *norm = NULL;
	const tv *raw = v->kind == TV_STRUCT ? v->u.strct.raw : v;
	int rc = types_normalize(tmp, v->type, raw, &norm, w->err);
	if (rc == 0) {
		if (norm && norm->type) {
			tv plain = *norm;
			plain.type = NULL;
			rc = json_value(w, &plain);
		} else {
			rc = json_value(w, norm);
		}
	}
	arena_free(tmp);
	return rc;
}

static int json_value(json_writer *w, const tv *v)
{
	if (v && v->type)
		return json_typed(w, v);
	if (!v || v->kind == TV_NULL) {
		sbuf_puts(w->out, "null");
		return 0;
	}
	switch ((tv_kind)v->kind) {
	case TV_BOOL:
		sbuf_puts(w->out, v->u.b ? "true" : "false");
		return 0;
	case TV_INT:
	case TV_UINT8:
		sbuf_put_int(w->out, (long long)v->u.i);
		return 0;
	case TV_FLOAT:
		return json_put_float(w, v->u.f);
	case TV_STRING:
		json_put_string(w->out, v->u.s.ptr, v->u.s.len, w->flags & JSON_ESCAPE_HTML);
		return 0;
	case TV_LIST:
		return json_list(w, v);
	case TV_MAP:
		return json_map(w, v);
	case TV_STRUCT:
		return json_value(w, v->u.strct.raw ? v->u.strct.raw : &tv_null_value);
	case TV_NULL:
		break;
	}
	sbuf_puts(w->out, "null");
	return 0;
}

int json_write(sbuf *out, const tv *v, unsigned flags, tmpl_error *err)
{
	size_t mark = out->len;
	json_writer w = {out, flags, err, 0};
	if (json_value(&w, v) < 0) {
		out->len = mark;
		if (out->buf)
			out->buf[mark] = '\0';
		return -1;
	}
	return 0;
}

const char *json_kind(const tv *v)
{
	switch (v ? v->kind : TV_NULL) {
	case TV_NULL: return "null";
	case TV_BOOL: return "bool";
	case TV_INT: case TV_UINT8: case TV_FLOAT: return "number";
	case TV_STRING: return "string";
	case TV_LIST: return "array";
	default: return "object";
	}
}
