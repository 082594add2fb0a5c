/* parse.c: the parser driver: runs the grammar over one text and builds and checks nodes as Go's parse.go does. */
#include "parse.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "func.h"
#include "grammar/parse.h"
#include "sbuf.h"
#include "utf8.h"

int parse_fail(parse_state *ps, uint32_t line, const char *fmt, ...)
{
	if (ps->failed)
		return -1;
	ps->failed = 1;
	ps->fail_pos = ps->lx.last_kind != YYEOF ? ps->lx.last_tok.pos : (uint32_t)ps->lx.len;
	sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	/* Go reports only a line; the column of the token Go stopped at, when
	 * that is the one on this line, helps a template's author. */
	const lex_tok *t = &ps->lx.last_tok;
	int col = (t->line == line && ps->lx.last_kind != YYEOF) ? (int)t->col + 1 : 0;
	tmpl_error_set(ps->err, TMPL_ERR_PARSE, ps->name, (int)line, col, "template: %s:%u: %s",
		       ps->name, (unsigned)line, b.buf ? b.buf : "");
	sbuf_free(&b);
	return -1;
}

/* A mistake --check records without stopping (parse.h parse_hooks), at token t. */
static void parse_soft(parse_state *ps, const char *code, const lex_tok *t, const char *hint,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void parse_soft(parse_state *ps, const char *code, const lex_tok *t, const char *hint,
		       const char *fmt, ...)
{
	sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	ps->hooks->soft(ps->hooks->arg, code, t->line, t->col + 1, b.buf ? b.buf : "",
			hint ? hint : "");
	sbuf_free(&b);
}

/* ---- arrays in the arena ---- */

parse_vec *parse_vec_new(parse_state *ps)
{
	return arena_alloc(ps->arena, sizeof(parse_vec));
}

void parse_vec_push(parse_state *ps, parse_vec *v, ast_node *n)
{
	if (!n)
		return;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		ast_node **nv = arena_alloc(ps->arena, cap * sizeof *nv);
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof *nv);
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = n;
}

/* Grow arr (holding n elements) when n is 0 or has filled a power-of-two capacity. */
static void *parse_grow(parse_state *ps, void *arr, size_t n, size_t elem)
{
	if (n == 0)
		return arena_alloc(ps->arena, 4 * elem);
	if (n < 4 || (n & (n - 1)) != 0)
		return arr;
	void *na = arena_alloc(ps->arena, 2 * n * elem);
	memcpy(na, arr, n * elem);
	return na;
}

/* ---- nodes ---- */

ast_node *parse_node(parse_state *ps, ast_kind kind, lex_loc loc)
{
	ast_node *n = arena_alloc(ps->arena, sizeof *n);
	n->kind = kind;
	n->pos = loc.pos;
	n->line = loc.line;
	n->col = loc.col;
	n->tree = ps->tree;
	return n;
}

static lex_loc parse_loc(const lex_tok *t)
{
	lex_loc l = {t->pos, t->line, t->col};
	return l;
}

ast_node *parse_list(parse_state *ps, parse_vec *v, lex_loc loc)
{
	ast_node *n = parse_node(ps, AST_LIST, loc);
	if (v) {
		n->u.list.items = v->v;
		n->u.list.n = v->n;
	}
	return n;
}

ast_node *parse_text_node(parse_state *ps, const lex_tok *t)
{
	ast_node *n = parse_node(ps, AST_TEXT, parse_loc(t));
	n->u.text.s = t->s;
	n->u.text.len = t->len;
	return n;
}

static int parse_var_defined(const parse_state *ps, const char *name, size_t len)
{
	for (size_t i = ps->nvars; i > ps->varbase; i--) {
		const char *v = ps->vars[i - 1];
		if (strlen(v) == len && memcmp(v, name, len) == 0)
			return 1;
	}
	return 0;
}

static void parse_push_var(parse_state *ps, const char *name)
{
	if (ps->nvars == ps->capvars) {
		size_t cap = ps->capvars ? ps->capvars * 2 : 16;
		const char **nv = arena_alloc(ps->arena, cap * sizeof *nv);
		if (ps->nvars)
			memcpy(nv, ps->vars, ps->nvars * sizeof *nv);
		ps->vars = nv;
		ps->capvars = cap;
	}
	ps->vars[ps->nvars++] = name;
}

static void parse_set_ident(parse_state *ps, ast_ident *id, const char *s, size_t len)
{
	id->s = arena_strndup(ps->arena, s, len);
	id->len = (uint32_t)len;
	id->hash = tv_hash(s, len);
}

/* ---- Go's strconv: UnquoteChar, Unquote, ParseInt/ParseUint/ParseFloat ---- */

static int parse_unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* strconv.UnquoteChar: decode one (possibly escaped) character of s. */
static int parse_unquote_char(const char *s, size_t len, char quote, int32_t *value, int *multibyte,
			      size_t *used)
{
	*multibyte = 0;
	if (len == 0)
		return -1;
	unsigned char c = (unsigned char)s[0];
	if (c == (unsigned char)quote && (quote == '\'' || quote == '"'))
		return -1;
	if (c >= 0x80) {
		size_t sz;
		*value = u8_decode(s, len, &sz);
		*multibyte = 1;
		*used = sz;
		return 0;
	}
	if (c != '\\') {
		*value = c;
		*used = 1;
		return 0;
	}
	if (len <= 1)
		return -1;
	c = (unsigned char)s[1];
	size_t p = 2;
	int32_t v = 0;
	switch (c) {
	case 'a': v = '\a'; break;
	case 'b': v = '\b'; break;
	case 'f': v = '\f'; break;
	case 'n': v = '\n'; break;
	case 'r': v = '\r'; break;
	case 't': v = '\t'; break;
	case 'v': v = '\v'; break;
	case 'x': case 'u': case 'U': {
		size_t n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		if (len - p < n)
			return -1;
		uint32_t uv = 0;
		for (size_t j = 0; j < n; j++) {
			int x = parse_unhex((unsigned char)s[p + j]);
			if (x < 0)
				return -1;
			uv = uv << 4 | (uint32_t)x;
		}
		p += n;
		if (c != 'x') {
			if (uv > 0x10FFFF || (uv >= 0xD800 && uv <= 0xDFFF))
				return -1;
			*multibyte = 1;
		}
		v = (int32_t)uv;
		break;
	}
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		v = c - '0';
		if (len - p < 2)
			return -1;
		for (size_t j = 0; j < 2; j++) {
			int x = (unsigned char)s[p + j] - '0';
			if (x < 0 || x > 7)
				return -1;
			v = (v << 3) | x;
		}
		p += 2;
		if (v > 255)
			return -1;
		break;
	case '\\':
		v = '\\';
		break;
	case '\'': case '"':
		if (c != (unsigned char)quote)
			return -1;
		v = c;
		break;
	default:
		return -1;
	}
	*value = v;
	*used = p;
	return 0;
}

/* strconv.Unquote of a "..." or `...` token; the result belongs to the arena. */
static int parse_unquote(parse_state *ps, const char *s, size_t len, const char **out, size_t *outlen)
{
	if (len < 2)
		return -1;
	const char *in = s + 1;
	size_t n = len - 2;
	if (s[0] == '`') {
		if (!memchr(in, '\r', n)) {
			*out = arena_strndup(ps->arena, in, n);
			*outlen = n;
			return 0;
		}
		char *r = arena_alloc(ps->arena, n + 1);
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (in[i] != '\r')
				r[k++] = in[i];
		*out = r;
		*outlen = k;
		return 0;
	}
	/* Escapes only shrink text; invalid UTF-8 bytes grow to U+FFFD (3 bytes). */
	size_t room = n + 1;
	for (size_t j = 0; j < n; j++)
		if ((unsigned char)in[j] >= 0x80)
			room += 2;
	char *r = arena_alloc(ps->arena, room);
	size_t k = 0, i = 0;
	while (i < n) {
		int32_t v;
		int mb;
		size_t used;
		if (in[i] == '\n' || parse_unquote_char(in + i, n - i, '"', &v, &mb, &used) != 0)
			return -1;
		i += used;
		if (v < 0x80 || !mb)
			r[k++] = (char)v;
		else
			k += u8_encode(r + k, v);
	}
	r[k] = '\0';
	*out = r;
	*outlen = k;
	return 0;
}

static int parse_lower(int c)
{
	return c | 0x20;
}

/* Go's underscoreOK: underscores only between digits or after a base prefix. */
static int parse_underscore_ok(const char *s, size_t n)
{
	char saw = '^';
	size_t i = 0;
	if (n >= 1 && (s[0] == '-' || s[0] == '+')) {
		s++;
		n--;
	}
	int hex = 0;
	if (n >= 2 && s[0] == '0' && (parse_lower(s[1]) == 'b' || parse_lower(s[1]) == 'o' ||
				      parse_lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = parse_lower(s[1]) == 'x';
	}
	for (; i < n; i++) {
		int c = (unsigned char)s[i];
		if ((c >= '0' && c <= '9') || (hex && parse_lower(c) >= 'a' && parse_lower(c) <= 'f')) {
			saw = '0';
			continue;
		}
		if (c == '_') {
			if (saw != '0')
				return 0;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return 0;
		saw = '!';
	}
	return saw != '_';
}

/* strconv.ParseUint(s, 0, 64). */
static int parse_uint(const char *s, size_t n, uint64_t *out)
{
	if (n == 0)
		return -1;
	const char *s0 = s;
	size_t n0 = n;
	unsigned base = 10;
	if (s[0] == '0') {
		if (n >= 3 && parse_lower(s[1]) == 'b') {
			base = 2;
			s += 2;
			n -= 2;
		} else if (n >= 3 && parse_lower(s[1]) == 'o') {
			base = 8;
			s += 2;
			n -= 2;
		} else if (n >= 3 && parse_lower(s[1]) == 'x') {
			base = 16;
			s += 2;
			n -= 2;
		} else {
			base = 8;
			s++;
			n--;
		}
	}
	uint64_t v = 0;
	int underscores = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		unsigned d;
		if (c == '_') {
			underscores = 1;
			continue;
		} else if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (parse_lower(c) >= 'a' && parse_lower(c) <= 'z')
			d = (unsigned)(parse_lower(c) - 'a' + 10);
		else
			return -1;
		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -2; /* out of range */
		v = v * base + d;
	}
	if (underscores && !parse_underscore_ok(s0, n0))
		return -1;
	*out = v;
	return 0;
}

/* strconv.ParseInt(s, 0, 64). */
static int parse_int(const char *s, size_t n, int64_t *out)
{
	if (n == 0)
		return -1;
	int neg = 0;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		s++;
		n--;
	}
	uint64_t u;
	if (parse_uint(s, n, &u) != 0)
		return -1;
	if (!neg && u >= (UINT64_C(1) << 63))
		return -1;
	if (neg && u > (UINT64_C(1) << 63))
		return -1;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* strconv.ParseFloat(s, 64): Go's syntax checked here, the value from strtod. */
static int parse_float(parse_state *ps, const char *s, size_t n, double *out)
{
	size_t i = 0;
	int base = 10, sawdot = 0, sawdigits = 0, underscores = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i + 1 < n && s[i] == '0' && parse_lower(s[i + 1]) == 'x') {
		base = 16;
		i += 2;
	}
	for (; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '_') {
			underscores = 1;
			continue;
		}
		if (c == '.') {
			if (sawdot)
				break;
			sawdot = 1;
			continue;
		}
		if ((c >= '0' && c <= '9') ||
		    (base == 16 && parse_lower(c) >= 'a' && parse_lower(c) <= 'f')) {
			sawdigits = 1;
			continue;
		}
		break;
	}
	if (!sawdigits)
		return -1;
	if (i < n && ((base == 10 && parse_lower(s[i]) == 'e') ||
		      (base == 16 && parse_lower(s[i]) == 'p'))) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); i++)
			if (s[i] == '_')
				underscores = 1;
	} else if (base == 16) {
		return -1;
	}
	if (i != n)
		return -1;
	if (underscores && !parse_underscore_ok(s, n))
		return -1;
	char small[64];
	char *buf = n < sizeof small ? small : arena_alloc(ps->arena, n + 1);
	size_t k = 0;
	for (size_t j = 0; j < n; j++)
		if (s[j] != '_')
			buf[k++] = s[j];
	buf[k] = '\0';
	errno = 0;
	double f = strtod(buf, NULL);
	if (errno == ERANGE && isinf(f))
		return -2; /* out of range */
	*out = f;
	return 0;
}

static int parse_fits_int(double f)
{
	return f >= -9223372036854775808.0 && f < 9223372036854775808.0 && f == trunc(f);
}

static int parse_fits_uint(double f)
{
	return f >= 0 && f < 18446744073709551616.0 && f == trunc(f);
}

/* NumberNode.simplifyComplex: a complex with no imaginary part is also a float (and maybe an int). */
static void parse_simplify_complex(ast_node *n, double re, double im)
{
	n->u.num.is_complex = true;
	n->u.num.is_float = im == 0;
	if (n->u.num.is_float) {
		n->u.num.f = re;
		if (parse_fits_int(re)) {
			n->u.num.is_int = true;
			n->u.num.i = (int64_t)re;
		}
		if (parse_fits_uint(re)) {
			n->u.num.is_uint = true;
			n->u.num.u = (uint64_t)re;
		}
	}
}

/* fmt's floatToken: the longest float-looking prefix of s[*p..n). */
static void parse_float_token(const char *s, size_t n, size_t *p)
{
	size_t i = *p;
	const char *digits = "0123456789_", *exp = "eEpP";
#define ACCEPT(set) (i < n && s[i] && strchr(set, s[i]) ? (i++, 1) : 0)
	/* fmt checks for NaN and Inf letter by letter, keeping what matched. */
	if (ACCEPT("nN") && ACCEPT("aA") && ACCEPT("nN")) {
		*p = i;
		return;
	}
	ACCEPT("+-");
	if (ACCEPT("iI") && ACCEPT("nN") && ACCEPT("fF")) {
		*p = i;
		return;
	}
	if (ACCEPT("0") && ACCEPT("xX")) {
		digits = "0123456789aAbBcCdDeEfF_";
		exp = "pP";
	}
	while (ACCEPT(digits))
		;
	if (ACCEPT("."))
		while (ACCEPT(digits))
			;
	if (ACCEPT(exp)) {
		ACCEPT("+-");
		while (ACCEPT("0123456789_"))
			;
	}
#undef ACCEPT
	*p = i;
}

/* fmt's convertFloat: a 'p' exponent may follow a decimal mantissa. */
static int parse_convert_float(parse_state *ps, const char *s, size_t n, double *out)
{
	const char *pp = memchr(s, 'p', n);
	if (memchr(s, 'x', n) || memchr(s, 'X', n))
		pp = NULL; /* strconv reads hex mantissas with 'p' exponents itself */
	size_t mlen = pp ? (size_t)(pp - s) : n;
	int r = parse_float(ps, s, mlen, out);
	if (r != 0)
		return parse_fail(ps, ps->lx.last_line, "strconv.ParseFloat: parsing %s: %s",
				  lex_quote(&ps->lx, s, n),
				  r == -2 ? "value out of range" : "invalid syntax");
	if (pp) {
		int64_t e;
		if (parse_int(pp + 1, n - mlen - 1, &e) != 0 || e < INT32_MIN || e > INT32_MAX)
			return parse_fail(ps, ps->lx.last_line, "strconv.Atoi: parsing %s: %s",
					  lex_quote(&ps->lx, pp + 1, n - mlen - 1), "invalid syntax");
		*out = ldexp(*out, (int)e);
	}
	return 0;
}

/* fmt.Sscan of a complex constant such as 1+2i (Go's newNumber for itemComplex). */
static int parse_complex(parse_state *ps, const char *s, size_t n, double *re, double *im)
{
	size_t p = 0, r0, i0;
	parse_float_token(s, n, &p);
	r0 = p;
	if (p >= n || (s[p] != '+' && s[p] != '-'))
		return parse_fail(ps, ps->lx.last_line, "syntax error scanning complex number");
	i0 = p++;
	parse_float_token(s, n, &p);
	if (p >= n || s[p] != 'i')
		return parse_fail(ps, ps->lx.last_line, "syntax error scanning complex number");
	if (parse_convert_float(ps, s, r0, re) != 0 || parse_convert_float(ps, s + i0, p - i0, im) != 0)
		return -1;
	return 0;
}

/* Go's newNumber. */
static ast_node *parse_number(parse_state *ps, int kind, const lex_tok *t)
{
	ast_node *n = parse_node(ps, AST_NUMBER, parse_loc(t));
	const char *s = t->s;
	size_t len = t->len;
	n->u.num.text = arena_strndup(ps->arena, s, len);
	uint32_t line = ps->lx.last_line;
	if (kind == T_CHARCONST) {
		int32_t v;
		int mb;
		size_t used;
		if (parse_unquote_char(s + 1, len - 1, s[0], &v, &mb, &used) != 0) {
			parse_fail(ps, line, "invalid syntax");
			return NULL;
		}
		if (len - 1 - used != 1 || s[len - 1] != '\'') {
			parse_fail(ps, line, "malformed character constant: %.*s", (int)len, s);
			return NULL;
		}
		n->u.num.is_int = n->u.num.is_uint = n->u.num.is_float = true;
		n->u.num.i = v;
		n->u.num.u = (uint64_t)v;
		n->u.num.f = v;
		return n;
	}
	if (kind == T_COMPLEX) {
		double re, im;
		if (parse_complex(ps, s, len, &re, &im) != 0)
			return NULL;
		parse_simplify_complex(n, re, im);
		return n;
	}
	if (len > 0 && s[len - 1] == 'i') {
		double im;
		if (parse_float(ps, s, len - 1, &im) == 0) {
			parse_simplify_complex(n, 0, im);
			return n;
		}
	}
	uint64_t u = 0;
	int64_t i;
	if (parse_uint(s, len, &u) == 0) {
		n->u.num.is_uint = true;
		n->u.num.u = u;
	}
	if (parse_int(s, len, &i) == 0) {
		n->u.num.is_int = true;
		n->u.num.i = i;
		if (i == 0) {
			n->u.num.is_uint = true; /* -0 */
			n->u.num.u = u;
		}
	}
	if (n->u.num.is_int) {
		n->u.num.is_float = true;
		n->u.num.f = (double)n->u.num.i;
	} else if (n->u.num.is_uint) {
		n->u.num.is_float = true;
		n->u.num.f = (double)n->u.num.u;
	} else {
		double f;
		if (parse_float(ps, s, len, &f) == 0) {
			if (!memchr(s, '.', len) && !memchr(s, 'e', len) && !memchr(s, 'E', len) &&
			    !memchr(s, 'p', len) && !memchr(s, 'P', len)) {
				parse_fail(ps, line, "integer overflow: %s", lex_quote(&ps->lx, s, len));
				return NULL;
			}
			n->u.num.is_float = true;
			n->u.num.f = f;
			if (parse_fits_int(f)) {
				n->u.num.is_int = true;
				n->u.num.i = (int64_t)f;
			}
			if (parse_fits_uint(f)) {
				n->u.num.is_uint = true;
				n->u.num.u = (uint64_t)f;
			}
		}
	}
	if (!n->u.num.is_int && !n->u.num.is_uint && !n->u.num.is_float) {
		parse_fail(ps, line, "illegal number syntax: %s", lex_quote(&ps->lx, s, len));
		return NULL;
	}
	return n;
}

const char *parse_name(parse_state *ps, const lex_tok *t, size_t *len)
{
	const char *s;
	size_t n;
	if (parse_unquote(ps, t->s, t->len, &s, &n) != 0) {
		parse_fail(ps, ps->lx.last_line, "invalid syntax");
		return NULL;
	}
	if (len)
		*len = n;
	return s;
}

ast_node *parse_term(parse_state *ps, int kind, const lex_tok *t)
{
	lex_loc loc = parse_loc(t);
	ast_node *n;
	switch (kind) {
	case T_IDENT: {
		const tmpl_func *fn = func_lookup_in(ps->lib, t->s, t->len);
		if (!fn) {
			/* Go's text, then where the name exists or what was meant */
			char hint[160];
			func_hint(ps->lib, t->s, t->len, hint, sizeof hint);
			if (!ps->hooks) {
				parse_fail(ps, ps->lx.last_line, "function %s not defined%s%s%s",
					   lex_quote(&ps->lx, t->s, t->len), *hint ? " (" : "",
					   hint, *hint ? ")" : "");
				return NULL;
			}
			parse_soft(ps, "undefined-function", t, hint, "function %s not defined",
				   lex_quote(&ps->lx, t->s, t->len));
		}
		n = parse_node(ps, AST_IDENT, loc);
		n->u.ident.fn = fn;
		n->u.ident.name = arena_strndup(ps->arena, t->s, t->len);
		return n;
	}
	case K_DOT:
		return parse_node(ps, AST_DOT, loc);
	case K_NIL:
		return parse_node(ps, AST_NIL, loc);
	case T_BOOL:
		n = parse_node(ps, AST_BOOL, loc);
		n->u.boolean = t->s[0] == 't';
		return n;
	case T_VARIABLE:
	case T_FIELD:
		if (kind == T_VARIABLE && !parse_var_defined(ps, t->s, t->len)) {
			if (!ps->hooks) {
				parse_fail(ps, ps->lx.last_line, "undefined variable %s",
					   lex_quote(&ps->lx, t->s, t->len));
				return NULL;
			}
			parse_soft(ps, "undefined-variable", t, NULL, "undefined variable %s",
				   lex_quote(&ps->lx, t->s, t->len));
		}
		n = parse_node(ps, kind == T_VARIABLE ? AST_VARIABLE : AST_FIELD, loc);
		n->u.field.idents = arena_alloc(ps->arena, sizeof(ast_ident));
		n->u.field.n = 1;
		if (kind == T_VARIABLE)
			parse_set_ident(ps, &n->u.field.idents[0], t->s, t->len);
		else
			parse_set_ident(ps, &n->u.field.idents[0], t->s + 1, t->len - 1);
		return n;
	case T_NUMBER:
	case T_CHARCONST:
	case T_COMPLEX:
		return parse_number(ps, kind, t);
	case T_STRING:
	case T_RAWSTRING: {
		const char *s;
		size_t len;
		if (parse_unquote(ps, t->s, t->len, &s, &len) != 0) {
			parse_fail(ps, ps->lx.last_line, "invalid syntax");
			return NULL;
		}
		n = parse_node(ps, AST_STRING, loc);
		n->u.str.quoted = arena_strndup(ps->arena, t->s, t->len);
		n->u.str.s = s;
		n->u.str.len = len;
		n->u.str.val = tv_string_hashed(ps->arena, s, len);
		return n;
	}
	}
	return NULL;
}

parse_ids *parse_ids_add(parse_state *ps, parse_ids *ids, const lex_tok *t)
{
	if (!ids) {
		ids = arena_alloc(ps->arena, sizeof *ids);
		ids->loc = parse_loc(t);
	}
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 4;
		ast_ident *nv = arena_alloc(ps->arena, cap * sizeof *nv);
		if (ids->n)
			memcpy(nv, ids->v, ids->n * sizeof *nv);
		ids->v = nv;
		ids->cap = cap;
	}
	parse_set_ident(ps, &ids->v[ids->n++], t->s + 1, t->len - 1);
	return ids;
}

/* Go's operand(): fields after a term. */
ast_node *parse_operand(parse_state *ps, ast_node *term, parse_ids *chain)
{
	switch (term->kind) {
	case AST_FIELD:
	case AST_VARIABLE: {
		size_t n = term->u.field.n + chain->n;
		ast_ident *ids = arena_alloc(ps->arena, n * sizeof *ids);
		memcpy(ids, term->u.field.idents, term->u.field.n * sizeof *ids);
		memcpy(ids + term->u.field.n, chain->v, chain->n * sizeof *ids);
		term->u.field.idents = ids;
		term->u.field.n = n;
		term->pos = chain->loc.pos;
		term->line = chain->loc.line;
		term->col = chain->loc.col;
		return term;
	}
	case AST_BOOL:
	case AST_STRING:
	case AST_NUMBER:
	case AST_NIL:
	case AST_DOT: {
		sbuf b = SBUF_INIT;
		ast_string(&b, term);
		const char *q = lex_quote(&ps->lx, b.buf ? b.buf : "", b.len);
		sbuf_free(&b);
		/* Go's operand() peeked past the chain: a space token counts. */
		parse_fail(ps, ps->lx.peek_line, "unexpected . after term %s", q);
		return NULL;
	}
	default: {
		ast_node *c = parse_node(ps, AST_CHAIN, chain->loc);
		c->u.chain.node = term;
		c->u.chain.idents = chain->v;
		c->u.chain.n = chain->n;
		return c;
	}
	}
}

ast_node *parse_command(parse_state *ps, ast_node *cmd, ast_node *arg, lex_loc loc)
{
	if (!cmd)
		cmd = parse_node(ps, AST_COMMAND, loc);
	cmd->u.cmd.args = parse_grow(ps, cmd->u.cmd.args, cmd->u.cmd.n, sizeof(ast_node *));
	cmd->u.cmd.args[cmd->u.cmd.n++] = arg;
	return cmd;
}

ast_node *parse_pipe(parse_state *ps, ast_node *pipe, parse_vec *cmds, lex_loc loc)
{
	if (!pipe)
		pipe = parse_node(ps, AST_PIPE, loc);
	if (cmds) {
		pipe->u.pipe.cmds = cmds->v;
		pipe->u.pipe.ncmds = cmds->n;
	}
	return pipe;
}

ast_node *parse_declare(parse_state *ps, ast_node *pipe, const lex_tok *var, int assign)
{
	lex_loc loc = parse_loc(var);
	if (!pipe)
		pipe = parse_node(ps, AST_PIPE, loc);
	if (assign >= 0)
		pipe->u.pipe.is_assign = assign;
	ast_node *v = parse_node(ps, AST_VARIABLE, loc);
	v->u.field.idents = arena_alloc(ps->arena, sizeof(ast_ident));
	v->u.field.n = 1;
	parse_set_ident(ps, &v->u.field.idents[0], var->s, var->len);
	pipe->u.pipe.decl = parse_grow(ps, pipe->u.pipe.decl, pipe->u.pipe.ndecl, sizeof(ast_node *));
	pipe->u.pipe.decl[pipe->u.pipe.ndecl++] = v;
	parse_push_var(ps, v->u.field.idents[0].s);
	return pipe;
}

/* Go's checkPipeline. */
int parse_check_pipe(parse_state *ps, ast_node *pipe, const char *context)
{
	if (pipe->u.pipe.ncmds == 0)
		return parse_fail(ps, ps->lx.last_line, "missing value for %s", context);
	for (size_t i = 1; i < pipe->u.pipe.ncmds; i++) {
		switch (pipe->u.pipe.cmds[i]->u.cmd.args[0]->kind) {
		case AST_BOOL: case AST_DOT: case AST_NIL: case AST_NUMBER: case AST_STRING:
			return parse_fail(ps, ps->lx.last_line,
					  "non executable command in pipeline stage %zu", i + 1);
		default:
			break;
		}
	}
	return 0;
}

ast_node *parse_branch(parse_state *ps, ast_kind kind, ast_node *pipe, parse_vec *list,
		       ast_node *else_list)
{
	lex_loc loc = {pipe->pos, pipe->line, pipe->col};
	ast_node *n = parse_node(ps, kind, loc);
	n->u.branch.pipe = pipe;
	n->u.branch.list = parse_list(ps, list, loc);
	n->u.branch.else_list = else_list;
	return n;
}

ast_node *parse_template(parse_state *ps, const lex_tok *name, ast_node *pipe)
{
	size_t len;
	const char *s = parse_name(ps, name, &len);
	if (!s)
		return NULL;
	ast_node *n = parse_node(ps, AST_TEMPLATE, parse_loc(name));
	n->u.tmpl.name = s;
	n->u.tmpl.len = len;
	n->u.tmpl.pipe = pipe;
	return n;
}

/* ---- trees ---- */

static ast_tree *parse_new_tree(parse_state *ps, const char *name)
{
	ast_tree *t = arena_alloc(ps->arena, sizeof *t);
	t->name = name;
	t->parse_name = ps->name;
	t->text = ps->lx.text;
	t->text_len = ps->lx.len;
	return t;
}

/* Go's Tree.add: an empty body never replaces a non-empty one. */
static int parse_add(parse_state *ps, ast_tree *t)
{
	for (size_t i = 0; i < ps->ntrees; i++) {
		if (strcmp(ps->trees[i]->name, t->name) != 0)
			continue;
		if (ast_is_empty(ps->trees[i]->root)) {
			ps->trees[i] = t;
			return 0;
		}
		if (!ast_is_empty(t->root) && ps->hooks) {
			/* --check keeps the first and goes on */
			parse_soft(ps, "parse", &ps->lx.last_tok, NULL,
				   "template: multiple definition of template %s",
				   lex_quote(&ps->lx, t->name, strlen(t->name)));
			return 0;
		}
		if (!ast_is_empty(t->root))
			return parse_fail(ps, ps->lx.last_line,
					  "template: multiple definition of template %s",
					  lex_quote(&ps->lx, t->name, strlen(t->name)));
		return 0;
	}
	if (ps->ntrees == ps->captrees) {
		size_t cap = ps->captrees ? ps->captrees * 2 : 8;
		ast_tree **nv = arena_alloc(ps->arena, cap * sizeof *nv);
		if (ps->ntrees)
			memcpy(nv, ps->trees, ps->ntrees * sizeof *nv);
		ps->trees = nv;
		ps->captrees = cap;
	}
	ps->trees[ps->ntrees++] = t;
	return 0;
}

parse_saved *parse_tree_begin(parse_state *ps, const char *name)
{
	if (!name)
		return NULL;
	parse_saved *sv = arena_alloc(ps->arena, sizeof *sv);
	sv->tree = ps->tree;
	sv->varbase = ps->varbase;
	sv->nvars = ps->nvars;
	sv->range_depth = ps->range_depth;
	ps->tree = parse_new_tree(ps, name);
	ps->varbase = ps->nvars;
	parse_push_var(ps, "$");
	ps->range_depth = 0;
	return sv;
}

int parse_tree_end(parse_state *ps, parse_saved *sv, parse_vec *body, lex_loc loc)
{
	ast_tree *t = ps->tree;
	t->root = parse_list(ps, body, loc);
	ps->tree = sv->tree;
	ps->varbase = sv->varbase;
	ps->nvars = sv->nvars;
	ps->range_depth = sv->range_depth;
	return parse_add(ps, t);
}

int parse_text(tmpl_arena *a, const struct tmpl_library *lib, const char *name, const char *text,
	       size_t len, const char *ldelim, const char *rdelim, ast_tree ***trees,
	       size_t *ntrees, tmpl_error *err)
{
	uint32_t fail_pos;
	return parse_text_hooks(a, lib, name, text, len, ldelim, rdelim, NULL, trees, ntrees, err,
				&fail_pos);
}

int parse_text_hooks(tmpl_arena *a, const struct tmpl_library *lib, const char *name,
		     const char *text, size_t len, const char *ldelim, const char *rdelim,
		     const parse_hooks *hooks, ast_tree ***trees, size_t *ntrees,
		     tmpl_error *err, uint32_t *fail_pos)
{
	parse_state ps;
	memset(&ps, 0, sizeof ps);
	ps.arena = a;
	ps.hooks = hooks;
	*fail_pos = 0;
	ps.lib = lib;
	ps.err = err;
	ps.name = arena_strdup(a, name ? name : "");
	if (text && len > UINT32_MAX - 16)
		return tmpl_error_set(err, TMPL_ERR_PARSE, ps.name, 0, 0,
				      "template: %s: text too large (4 GiB at most)", ps.name);
	/* Nodes point into this copy; the scanner works on its own. */
	const char *copy = arena_strndup(a, text ? text : "", text ? len : 0);
	lex_init(&ps.lx, a, copy, text ? len : 0, ldelim, rdelim);
	ps.main = parse_new_tree(&ps, ps.name);
	ps.tree = ps.main;
	parse_push_var(&ps, "$");
	int r = yyparse(&ps);
	lex_free(&ps.lx);
	if (r != 0 || ps.failed) {
		if (!ps.failed)
			parse_fail(&ps, ps.lx.last_line, "%s",
				   r == 2 ? "template too deeply nested" : "syntax error");
		*fail_pos = ps.fail_pos;
		return -1;
	}
	if (!ps.main->root) {
		lex_loc l = {0, 1, 0};
		ps.main->root = parse_list(&ps, NULL, l);
	}
	if (parse_add(&ps, ps.main) != 0) {
		*fail_pos = ps.fail_pos;
		return -1;
	}
	*trees = ps.trees;
	*ntrees = ps.ntrees;
	return 0;
}
