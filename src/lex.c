/* lex.c: the text/delimiter layer of the lexer and the token stream bison reads (Go's lex.go, split in two). */
#include "lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "grammar/parse.h"
#include "sbuf.h"
#include "utf8.h"

/* The flex scanner's entry points (grammar/scan.l, prefix scan_). */
struct yy_buffer_state;
int scan_lex_init_extra(struct lex_state *extra, void **scanner);
int scan_lex_destroy(void *scanner);
struct yy_buffer_state *scan__scan_buffer(char *base, size_t size, void *scanner);
void scan__delete_buffer(struct yy_buffer_state *b, void *scanner);
int scan_lex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);

enum { LEX_TEXT, LEX_ACTION, LEX_DONE };

static int lex_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void lex_init(lex_state *lx, tmpl_arena *a, const char *text, size_t len, const char *ld,
	      const char *rd)
{
	memset(lx, 0, sizeof *lx);
	lx->arena = a;
	lx->text = text;
	lx->len = len;
	lx->ld = (ld && *ld) ? ld : "{{";
	lx->rd = (rd && *rd) ? rd : "}}";
	lx->ldlen = strlen(lx->ld);
	lx->rdlen = strlen(lx->rd);
	lx->buf = arena_alloc(a, len + 2);
	if (len)
		memcpy(lx->buf, text, len);
	lx->mode = LEX_TEXT;
	lx->line_no = 1;
	lx->cur_ctx = "command";
	lx->last_line = 1;
	scan_lex_init_extra(lx, &lx->scanner);
}

void lex_free(lex_state *lx)
{
	if (lx->scanner)
		scan_lex_destroy(lx->scanner);
	lx->scanner = NULL;
}

uint32_t lex_line(lex_state *lx, size_t pos)
{
	if (pos > lx->len)
		pos = lx->len;
	if (pos < lx->line_cur) {
		lx->line_cur = 0;
		lx->line_start = 0;
		lx->line_no = 1;
	}
	const char *p = lx->text + lx->line_cur, *end = lx->text + pos;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		lx->line_no++;
		p = nl + 1;
		lx->line_start = (size_t)(p - lx->text);
	}
	lx->line_cur = pos;
	return lx->line_no;
}

uint32_t lex_col(const lex_state *lx, size_t pos)
{
	size_t i = pos;
	while (i > 0 && lx->text[i - 1] != '\n')
		i--;
	return (uint32_t)(pos - i);
}

/* ---- helpers for the scanner ---- */

int lex_error(lex_state *lx, size_t pos, const char *fmt, ...)
{
	sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	lx->err = arena_strndup(lx->arena, b.buf, b.len);
	lx->err_pos = pos;
	sbuf_free(&b);
	return T_LEXERR;
}

const char *lex_quote(lex_state *lx, const char *s, size_t len)
{
	sbuf b = SBUF_INIT;
	fmt_quote(&b, s, len);
	const char *r = arena_strndup(lx->arena, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return r;
}

int lex_bad_number(lex_state *lx, size_t start, size_t end)
{
	return lex_error(lx, start, "bad number syntax: %s",
			 lex_quote(lx, lx->text + start, end - start));
}

static int32_t lex_rune_at(const lex_state *lx, size_t pos, size_t *size)
{
	if (pos >= lx->len) {
		*size = 0;
		return -1;
	}
	return u8_decode(lx->text + pos, lx->len - pos, size);
}

static int lex_is_alnum(int32_t r)
{
	return r == '_' || (r >= 0 && (u8_isletter(r) || u8_isdigit(r)));
}

size_t lex_alnum_run(const lex_state *lx, size_t pos)
{
	size_t p = pos, sz;
	for (;;) {
		int32_t r = lex_rune_at(lx, p, &sz);
		if (sz == 0 || !lex_is_alnum(r))
			break;
		p += sz;
	}
	return p - pos;
}

int lex_at_terminator(const lex_state *lx, size_t pos)
{
	if (pos >= lx->len)
		return 1;
	switch (lx->text[pos]) {
	case ' ': case '\t': case '\r': case '\n':
	case '.': case ',': case '|': case ':': case ')': case '(':
		return 1;
	}
	return lx->len - pos >= lx->rdlen && memcmp(lx->text + pos, lx->rd, lx->rdlen) == 0;
}

void lex_rune_desc(const lex_state *lx, size_t pos, char *buf, size_t bufsize)
{
	size_t sz;
	int32_t r = lex_rune_at(lx, pos, &sz);
	if (sz == 0)
		r = U8_RUNE_ERROR;
	if (u8_isprint(r)) {
		char enc[4];
		size_t n = u8_encode(enc, r);
		snprintf(buf, bufsize, "U+%04X '%.*s'", (unsigned)r, (int)n, enc);
	} else {
		snprintf(buf, bufsize, "U+%04X", (unsigned)r);
	}
}

/* Go's scanNumber: optional sign, base prefix, digits, fraction, exponent, 'i'. */
static int lex_scan_one(const lex_state *lx, size_t *pp, size_t *bad)
{
	const char *t = lx->text;
	size_t p = *pp, n = lx->len;
	const char *digits = "0123456789_";
	int base = 10;
	if (p < n && (t[p] == '+' || t[p] == '-'))
		p++;
	if (p < n && t[p] == '0') {
		p++;
		if (p < n && (t[p] == 'x' || t[p] == 'X')) {
			p++;
			digits = "0123456789abcdefABCDEF_";
			base = 16;
		} else if (p < n && (t[p] == 'o' || t[p] == 'O')) {
			p++;
			digits = "01234567_";
			base = 8;
		} else if (p < n && (t[p] == 'b' || t[p] == 'B')) {
			p++;
			digits = "01_";
			base = 2;
		}
	}
#define RUN(set) while (p < n && t[p] && strchr(set, t[p])) p++
	RUN(digits);
	if (p < n && t[p] == '.') {
		p++;
		RUN(digits);
	}
	if (base == 10 && p < n && (t[p] == 'e' || t[p] == 'E')) {
		p++;
		if (p < n && (t[p] == '+' || t[p] == '-'))
			p++;
		RUN("0123456789_");
	}
	if (base == 16 && p < n && (t[p] == 'p' || t[p] == 'P')) {
		p++;
		if (p < n && (t[p] == '+' || t[p] == '-'))
			p++;
		RUN("0123456789_");
	}
#undef RUN
	if (p < n && t[p] == 'i')
		p++;
	size_t sz;
	int32_t r = lex_rune_at(lx, p, &sz);
	if (sz && lex_is_alnum(r)) {
		*bad = p + sz;
		*pp = p;
		return 0;
	}
	*pp = p;
	return 1;
}

size_t lex_scan_number(const lex_state *lx, size_t pos, size_t *bad)
{
	lex_state *mlx = (lex_state *)lx;
	size_t p = pos;
	mlx->flex_split = 0;
	if (!lex_scan_one(lx, &p, bad))
		return 0;
	if (p < lx->len && (lx->text[p] == '+' || lx->text[p] == '-')) {
		size_t split = p;
		if (!lex_scan_one(lx, &p, bad))
			return 0;
		if (lx->text[p - 1] != 'i') {
			*bad = p;
			return 0;
		}
		mlx->flex_split = (int)(split - pos);
	}
	return p;
}

/* ---- the raw token stream (Go's items without spaces) ---- */

static int lex_has_prefix(const lex_state *lx, size_t pos, const char *s, size_t n)
{
	return pos <= lx->len && lx->len - pos >= n && memcmp(lx->text + pos, s, n) == 0;
}

static int lex_left_trim_marker(const lex_state *lx, size_t pos)
{
	return pos <= lx->len && lx->len - pos >= 2 && lx->text[pos] == '-' &&
	       lex_is_space(lx->text[pos + 1]);
}

static int lex_right_trim_marker(const lex_state *lx, size_t pos)
{
	return pos <= lx->len && lx->len - pos >= 2 && lex_is_space(lx->text[pos]) &&
	       lx->text[pos + 1] == '-';
}

/* Go's atRightDelim: 0 = no, 1 = delimiter, 2 = trim marker and delimiter. */
static int lex_at_right_delim(const lex_state *lx, size_t pos)
{
	if (lex_right_trim_marker(lx, pos) && lex_has_prefix(lx, pos + 2, lx->rd, lx->rdlen))
		return 2;
	if (lex_has_prefix(lx, pos, lx->rd, lx->rdlen))
		return 1;
	return 0;
}

static size_t lex_skip_space(const lex_state *lx, size_t pos)
{
	while (pos < lx->len && lex_is_space(lx->text[pos]))
		pos++;
	return pos;
}

static int lex_emit(lex_state *lx, YYSTYPE *lval, int kind, size_t pos, const char *s, size_t len)
{
	lval->tok.s = s;
	lval->tok.len = (uint32_t)len;
	lval->tok.pos = (uint32_t)pos;
	lval->tok.kind = (uint16_t)kind;
	lval->tok.split = 0;
	(void)lx;
	return kind;
}

static const char *lex_find(const lex_state *lx, size_t pos)
{
	if (pos >= lx->len)
		return NULL;
	return memmem(lx->text + pos, lx->len - pos, lx->ld, lx->ldlen);
}

/* Text up to the next action, comments skipped (Go's lexText/lexLeftDelim/lexComment). */
static int lex_text(lex_state *lx, YYSTYPE *lval)
{
	for (;;) {
		size_t start = lx->pos;
		const char *f = lex_find(lx, start);
		if (!f) {
			lx->pos = lx->len;
			lx->mode = LEX_DONE;
			if (lx->len > start)
				return lex_emit(lx, lval, T_TEXT, start, lx->text + start, lx->len - start);
			return lex_emit(lx, lval, YYEOF, lx->len, "EOF", 3);
		}
		size_t x = (size_t)(f - lx->text);
		if (x > start) {
			size_t end = x;
			if (lex_left_trim_marker(lx, x + lx->ldlen))
				while (end > start && lex_is_space(lx->text[end - 1]))
					end--;
			lx->pos = x;
			if (end > start)
				return lex_emit(lx, lval, T_TEXT, start, lx->text + start, end - start);
		}
		/* the left delimiter */
		size_t p = x + lx->ldlen;
		size_t after = lex_left_trim_marker(lx, p) ? 2 : 0;
		if (lex_has_prefix(lx, p + after, "/*", 2)) {
			size_t cstart = p + after;
			const char *e = cstart + 2 <= lx->len
				? memmem(lx->text + cstart + 2, lx->len - cstart - 2, "*/", 2) : NULL;
			if (!e)
				return lex_error(lx, cstart, "unclosed comment");
			size_t q = (size_t)(e - lx->text) + 2;
			int d = lex_at_right_delim(lx, q);
			if (!d)
				return lex_error(lx, cstart, "comment ends before closing delimiter");
			q += (d == 2 ? 2 : 0) + lx->rdlen;
			if (d == 2)
				q = lex_skip_space(lx, q);
			lx->pos = q;
			continue;
		}
		lx->pos = p + after;
		lx->mode = LEX_ACTION;
		lx->paren_depth = 0;
		/* Switching first lets flex put back the byte it borrowed in the old buffer. */
		struct yy_buffer_state *old = lx->fbuf;
		lx->fbuf = scan__scan_buffer(lx->buf + lx->pos, lx->len - lx->pos + 2, lx->scanner);
		if (old)
			scan__delete_buffer(old, lx->scanner);
		return lex_emit(lx, lval, T_LDELIM, x, lx->ld, lx->ldlen);
	}
}

/* One raw token: text level or inside an action. Sets lx->spaced. */
static int lex_raw(lex_state *lx, YYSTYPE *lval, YYLTYPE *lloc)
{
	lx->spaced = 0;
	if (lx->err)
		return T_LEXERR;
	if (lx->mode == LEX_DONE)
		return lex_emit(lx, lval, YYEOF, lx->len, "EOF", 3);
	if (lx->mode == LEX_TEXT)
		return lex_text(lx, lval);
	for (;;) {
		int d = lex_at_right_delim(lx, lx->pos);
		if (d) {
			if (lx->paren_depth > 0)
				return lex_error(lx, lx->pos, "unclosed left paren");
			size_t at = lx->pos + (d == 2 ? 2 : 0);
			lx->pos = at + lx->rdlen;
			if (d == 2)
				lx->pos = lex_skip_space(lx, lx->pos);
			lx->mode = LEX_TEXT;
			return lex_emit(lx, lval, T_RDELIM, at, lx->rd, lx->rdlen);
		}
		int k = scan_lex(lval, lloc, lx->scanner);
		if (k == T_SPACE) {
			if (!lx->spaced)
				lx->space_pos = lx->tok_start;
			lx->spaced = 1;
			continue;
		}
		return k;
	}
}

/* ---- the stream bison reads ---- */

static int lex_ends_term(int k)
{
	switch (k) {
	case T_FIELD: case T_CHAINFIELD: case T_IDENT: case T_VARIABLE: case K_DOT:
	case K_NIL: case T_BOOL: case T_NUMBER: case T_CHARCONST: case T_COMPLEX:
	case T_STRING: case T_RAWSTRING: case T_RPAREN:
		return 1;
	}
	return 0;
}

static int lex_starts_term(int k)
{
	switch (k) {
	case T_IDENT: case T_VARIABLE: case K_DOT: case K_NIL: case T_BOOL: case T_NUMBER:
	case T_CHARCONST: case T_COMPLEX: case T_STRING: case T_RAWSTRING: case T_LPAREN:
		return 1;
	}
	return 0;
}

static void lex_push_ctx(lex_state *lx, const char *c)
{
	if (lx->nctx < LEX_CTX_MAX)
		lx->ctx[lx->nctx] = c;
	lx->nctx++;
}

static const char *lex_top_ctx(const lex_state *lx)
{
	if (lx->nctx <= 0)
		return "command";
	return lx->ctx[(lx->nctx <= LEX_CTX_MAX ? lx->nctx : LEX_CTX_MAX) - 1];
}

int lex_token(YYSTYPE *lval, YYLTYPE *lloc, lex_state *lx)
{
	int k = lex_raw(lx, lval, lloc);
	/* Go's pipeline(): after "$a," in range only a variable or the end may come. */
	if (lx->prev == T_COMMA && k != T_VARIABLE && k != T_RDELIM && k != T_RPAREN) {
		lx->err = "range can only initialize variables";
		lx->err_plain = 1;
		lx->err_pos = k == T_LEXERR ? lx->err_pos : lval->tok.pos;
		k = T_LEXERR;
	}
	if (k == T_LEXERR) {
		lval->tok.s = lx->err;
		lval->tok.len = (uint32_t)strlen(lx->err);
		lval->tok.pos = (uint32_t)lx->err_pos;
		lval->tok.kind = T_LEXERR;
		lval->tok.split = 0;
	}
	lx->peek_line = lx->spaced ? lex_line(lx, lx->space_pos) : 0;
	lval->tok.line = lex_line(lx, lval->tok.pos);
	if (!lx->peek_line)
		lx->peek_line = lval->tok.line;
	lval->tok.col = (uint32_t)(lval->tok.pos - lx->line_start);
	lloc->pos = lval->tok.pos;
	lloc->line = lval->tok.line;
	lloc->col = lval->tok.col;
	lx->cur_ctx = lex_top_ctx(lx);

	/* Go's command(): after an operand only a space, '|', ')' or the right
	 * delimiter may follow; a field right after a term chains onto it. */
	if (lx->prev_operand && !lx->spaced) {
		if (k == T_FIELD)
			k = T_CHAINFIELD;
		else if (lex_starts_term(k))
			k = T_GLUED;
	}

	/* Track the pipeline context and Go's actionLine. */
	switch (k) {
	case T_LDELIM:
		lx->nctx = 0;
		lex_push_ctx(lx, "command");
		lx->head_kw = 0;
		lx->action_line = lval->tok.line;
		break;
	case K_IF: case K_RANGE: case K_WITH: case K_TEMPLATE: case K_BLOCK:
	case K_DEFINE: case K_END: case K_ELSE: case K_BREAK: case K_CONTINUE:
		if (lx->prev == T_LDELIM || (lx->prev == K_ELSE && (k == K_IF || k == K_WITH))) {
			if (lx->prev == T_LDELIM)
				lx->head_kw = k;
			if (k == K_DEFINE || (lx->prev == K_ELSE))
				lx->action_line = 0;
			if (k == K_IF)
				lx->ctx[0] = "if";
			else if (k == K_RANGE)
				lx->ctx[0] = "range";
			else if (k == K_WITH)
				lx->ctx[0] = "with";
			else if (k == K_TEMPLATE)
				lx->ctx[0] = "template clause";
			else if (k == K_BLOCK)
				lx->ctx[0] = "block clause";
		}
		break;
	case T_LPAREN:
		lex_push_ctx(lx, "parenthesized pipeline");
		break;
	case T_RPAREN:
		if (lx->nctx > 1)
			lx->nctx--;
		break;
	case T_RDELIM:
		if (lx->head_kw != K_IF && lx->head_kw != K_RANGE && lx->head_kw != K_WITH)
			lx->action_line = 0;
		break;
	}

	int is_name = (k == T_STRING || k == T_RAWSTRING) &&
		(lx->prev == K_TEMPLATE || lx->prev == K_BLOCK || lx->prev == K_DEFINE);
	lx->prev3 = lx->prev2;
	lx->prev2 = lx->prev;
	lx->prev2_name = lx->prev_name;
	lx->prev2_operand = lx->prev_operand;
	lx->prev = k;
	lx->prev_name = is_name;
	lx->prev_operand = lex_ends_term(k) && !is_name;
	lx->last_line = lval->tok.line;
	lx->last_kind = k;
	lx->last_tok = lval->tok;
	return k;
}

const char *lex_tok_describe(lex_state *lx, int kind, const lex_tok *t)
{
	int k = t->kind ? t->kind : kind;
	if (kind == YYEOF)
		return "EOF";
	if (kind == T_LEXERR)
		return t->s;
	switch (k) {
	case K_BLOCK: case K_BREAK: case K_CONTINUE: case K_DOT: case K_DEFINE: case K_ELSE:
	case K_END: case K_IF: case K_NIL: case K_RANGE: case K_TEMPLATE: case K_WITH: {
		char *s = arena_alloc(lx->arena, t->len + 3);
		s[0] = '<';
		memcpy(s + 1, t->s, t->len);
		s[t->len + 1] = '>';
		return s;
	}
	}
	/* %q, or %.10q... for values longer than 10 bytes (the precision counts runes). */
	if (t->len > 10) {
		size_t p = 0, n = 0, sz;
		while (p < t->len && n < 10) {
			u8_decode(t->s + p, t->len - p, &sz);
			p += sz ? sz : 1;
			n++;
		}
		const char *q = lex_quote(lx, t->s, p);
		size_t ql = strlen(q);
		char *s = arena_alloc(lx->arena, ql + 4);
		memcpy(s, q, ql);
		memcpy(s + ql, "...", 4);
		return s;
	}
	return lex_quote(lx, t->s, t->len);
}
