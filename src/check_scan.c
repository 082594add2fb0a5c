/* check_scan.c: --check's structural scan: every action of a text and how if/range/with/define/block pair with their else and end, from the lexer alone.
 *
 * Go's parser meets an unclosed block only at the end of the text
 * ("unexpected EOF"); pairing the keywords as the parser nests them tells
 * where each unclosed block opened, and gives the recovery of check.c the
 * extent of the action to blank after a parse error.
 */
#include "check.h"

#include <string.h>

#include "grammar/parse.h"
#include "lex.h"

const char *check_kw_name(int kw)
{
	switch (kw) {
	case K_IF: return "if";
	case K_RANGE: return "range";
	case K_WITH: return "with";
	case K_DEFINE: return "define";
	case K_BLOCK: return "block";
	case K_ELSE: return "else";
	case K_END: return "end";
	}
	return "";
}

static int check_is_opener(int kw)
{
	return kw == K_IF || kw == K_RANGE || kw == K_WITH || kw == K_DEFINE || kw == K_BLOCK;
}

void check_scan(tmpl_arena *a, const char *text, size_t len, const char *ldelim,
		const char *rdelim, check_scan_result *out)
{
	memset(out, 0, sizeof *out);
	lex_state lx;
	lex_init(&lx, a, text, len, ldelim, rdelim);
	size_t cap = 0, depth = 0, capstack = 0;
	int32_t *stack = NULL;  /* open blocks */
	int32_t *tail = NULL;   /* the last action of each open block's chain */
	int32_t cur = -1;       /* the action being read */
	int first = 0;          /* the next token is the action's first */
	for (;;) {
		YYSTYPE v;
		YYLTYPE l;
		int k = lex_token(&v, &l, &lx);
		if (k == YYEOF)
			break;
		if (k == T_LEXERR) {
			out->lex_error = 1;
			break;
		}
		if (k == T_LDELIM) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 64;
				check_action *na = arena_alloc(a, cap * sizeof *na);
				if (out->n)
					memcpy(na, out->actions, out->n * sizeof *na);
				out->actions = na;
			}
			cur = (int32_t)out->n++;
			check_action *c = &out->actions[cur];
			c->start = v.tok.pos;
			c->end = v.tok.pos;
			c->line = v.tok.line;
			c->col = v.tok.col + 1;
			c->kw = 0;
			c->next = c->open = -1;
			first = 1;
			continue;
		}
		if (cur < 0)
			continue;
		check_action *c = &out->actions[cur];
		if (k == T_RDELIM) {
			c->end = v.tok.pos + v.tok.len;
			cur = -1;
			continue;
		}
		if (!first)
			continue;
		first = 0;
		if (!check_is_opener(k) && k != K_ELSE && k != K_END)
			continue;
		c->kw = k;
		if (check_is_opener(k)) {
			if (depth == capstack) {
				capstack = capstack ? capstack * 2 : 16;
				int32_t *ns = arena_alloc(a, 2 * capstack * sizeof *ns);
				if (depth) {
					memcpy(ns, stack, depth * sizeof *ns);
					memcpy(ns + capstack, tail, depth * sizeof *ns);
				}
				stack = ns;
				tail = ns + capstack;
			}
			stack[depth] = tail[depth] = cur;
			depth++;
		} else if (depth > 0) {
			c->open = stack[depth - 1];
			out->actions[tail[depth - 1]].next = cur;
			tail[depth - 1] = cur;
			if (k == K_END)
				depth--;
		}
	}
	lex_free(&lx);
	if (!out->lex_error && depth > 0) {
		out->unclosed = arena_alloc(a, depth * sizeof *out->unclosed);
		memcpy(out->unclosed, stack, depth * sizeof *stack);
		out->nunclosed = depth;
	}
}
