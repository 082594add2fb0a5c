/* check_yamlctx.c: where in the YAML document each action's output lands (plain, quoted or block scalar, comment; key, mapping value, sequence item, flow collection), found by reading the template's text as YAML with every action opaque.
 *
 * As html/template tracks HTML contexts, one forward pass over a text keeps
 * the YAML reader's state (inside double or single quotes, flow depth, a
 * block scalar's indentation, a comment) and records it at each action.
 * An action that writes output is read as scalar text (a quote after it is
 * inside the scalar); if, range, end and the like write nothing. What the
 * actions write is not known, so this is the context as written: a `{{-`
 * that eats a newline, or an action that writes a quote, can change it.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "grammar/parse.h"

typedef struct yc_state {
	int dq, sq;             /* inside "..." or '...' (they may span lines) */
	int flow;               /* depth of [ { */
	char kinds[32];         /* the innermost 32 of them: '[' or '{' */
	int block;              /* inside a block scalar */
	long block_parent;      /* its header line's indentation */
} yc_state;

static int yc_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* After a block scalar's `|` or `>` at p: only indicators, then blanks or a comment. */
static int yc_block_header(const char *t, size_t p, size_t eol)
{
	p++;
	while (p < eol && (t[p] == '-' || t[p] == '+' || (t[p] >= '1' && t[p] <= '9')))
		p++;
	if (p < eol && !yc_space(t[p]))
		return 0;
	while (p < eol && yc_space(t[p]))
		p++;
	return p == eol || t[p] == '#';
}

/* Is the scalar holding an action that ends at p a key: does `: ` (or `:` at
 * the line's end) follow on its line, outside quotes, before a comment? */
static int yc_is_key(const char *t, size_t p, size_t len, const check_scan_result *sc, int32_t next)
{
	while (p < len && t[p] != '\n') {
		if (next >= 0 && (size_t)next < sc->n && sc->actions[next].start == p) {
			p = sc->actions[next].end;
			next++;
			continue;
		}
		char c = t[p];
		if (c == '"' || c == '\'' || c == '#' || c == ',' || c == '[' || c == '{')
			return 0;
		if (c == ':' && (p + 1 >= len || t[p + 1] == ' ' || t[p + 1] == '\n' || t[p + 1] == '\r'))
			return 1;
		p++;
	}
	return 0;
}

static void yc_scan(const char *t, size_t len, const check_scan_result *sc, unsigned char *out)
{
	yc_state s = {0};
	size_t p = 0;
	int32_t ai = 0; /* the next action */
	while (p < len && ai < (int32_t)sc->n) {
		size_t eol = p;
		while (eol < len && t[eol] != '\n')
			eol++;
		long indent = 0;
		while (p + (size_t)indent < eol && t[p + (size_t)indent] == ' ')
			indent++;
		int blank = p + (size_t)indent == eol;
		/* a block scalar ends at a line indented no more than its header's */
		if (s.block && !blank && indent <= s.block_parent)
			s.block = 0;
		if (s.block) {
			/* the whole line is the block's text */
			while (ai < (int32_t)sc->n && sc->actions[ai].start < eol) {
				out[ai] = CHECK_Y_BLOCK;
				p = sc->actions[ai].end > p ? sc->actions[ai].end : p;
				ai++;
			}
			if (p < eol)
				p = eol;
			/* an action that spans lines ends on a later one */
			while (p < len && t[p] != '\n')
				p++;
			p++;
			continue;
		}
		unsigned node = 0;
		int at_start = 1, colon = 0, comment = 0;
		size_t q = p + (size_t)indent;
		if (!s.dq && !s.sq && !s.flow)
			while (q < eol && t[q] == '-' && (q + 1 == eol || t[q + 1] == ' ')) {
				node = CHECK_Y_ITEM;
				q++;
				while (q < eol && t[q] == ' ')
					q++;
			}
		while (q < len) {
			if (ai < (int32_t)sc->n && sc->actions[ai].start == q) {
				const check_action *a = &sc->actions[ai];
				unsigned c;
				if (comment)
					c = CHECK_Y_COMMENT;
				else if (s.dq)
					c = CHECK_Y_DQUOTE;
				else if (s.sq)
					c = CHECK_Y_SQUOTE;
				else
					c = CHECK_Y_PLAIN;
				if (s.flow)
					c |= CHECK_Y_FLOW;
				int in_seq = s.flow > 0 && s.flow <= 32 && s.kinds[s.flow - 1] == '[';
				if (colon)
					c |= CHECK_Y_VALUE;
				else if (in_seq)
					c |= CHECK_Y_ITEM;
				else if (!comment && !s.dq && !s.sq &&
					 yc_is_key(t, a->end, len, sc, ai + 1))
					c |= CHECK_Y_KEY;
				else if (node)
					c |= CHECK_Y_ITEM;
				out[ai] = (unsigned char)c;
				if (a->kw == 0 || a->kw == K_BLOCK)
					at_start = 0;
				q = a->end > q ? a->end : q + 1;
				ai++;
				if (q > eol) {
					/* the action ran over lines: go on from its end's line */
					eol = q;
					while (eol < len && t[eol] != '\n')
						eol++;
				}
				continue;
			}
			if (q >= eol)
				break;
			char c = t[q];
			if (comment) {
				q++;
				continue;
			}
			if (s.dq) {
				if (c == '\\')
					q++;
				else if (c == '"') {
					s.dq = 0;
					at_start = 0;
				}
				q++;
				continue;
			}
			if (s.sq) {
				if (c == '\'' && q + 1 < eol && t[q + 1] == '\'')
					q++;
				else if (c == '\'') {
					s.sq = 0;
					at_start = 0;
				}
				q++;
				continue;
			}
			if (c == '#' && (q == p || yc_space(t[q - 1]))) {
				comment = 1;
			} else if (c == '"' && at_start) {
				s.dq = 1;
			} else if (c == '\'' && at_start) {
				s.sq = 1;
			} else if (c == ':' && (q + 1 >= eol || yc_space(t[q + 1]) ||
						(s.flow && (t[q + 1] == ',' || t[q + 1] == '}')))) {
				colon = 1;
				at_start = 1;
			} else if ((c == '[' || c == '{') && at_start) {
				if (s.flow < 32)
					s.kinds[s.flow] = c;
				s.flow++;
				colon = 0;
			} else if ((c == ']' || c == '}') && s.flow) {
				s.flow--;
				at_start = 0;
			} else if (c == ',' && s.flow) {
				at_start = 1;
				colon = 0;
			} else if ((c == '|' || c == '>') && at_start && !s.flow &&
				   yc_block_header(t, q, eol)) {
				s.block = 1;
				s.block_parent = indent;
				q = eol;
				continue;
			} else if (!yc_space(c)) {
				at_start = 0;
			}
			q++;
		}
		p = eol + 1;
	}
}

unsigned check_yamlctx_of(check_text *x, tmpl_arena *a, int32_t ai)
{
	if (ai < 0 || (size_t)ai >= x->scan.n || x->ntrees == 0)
		return 0;
	if (!x->yctx) {
		x->yctx = arena_alloc(a, x->scan.n + 1);
		memset(x->yctx, 0, x->scan.n + 1);
		const ast_tree *t = x->trees[0];
		yc_scan(t->text, t->text_len, &x->scan, x->yctx);
	}
	return x->yctx[ai];
}

void check_yamlctx_words(unsigned ctx, char *buf, size_t size)
{
	static const char *const scalar[] = {"", "a plain scalar", "a double-quoted scalar",
					     "a single-quoted scalar", "a block scalar", "a comment",
					     "", ""};
	const char *where = ctx & CHECK_Y_KEY     ? "a mapping key"
			    : ctx & CHECK_Y_VALUE ? "a mapping value"
			    : ctx & CHECK_Y_ITEM  ? "a sequence item"
						  : "at the start of a line";
	snprintf(buf, size, "%s (%s%s)", scalar[ctx & CHECK_Y_SCALAR], where,
		 ctx & CHECK_Y_FLOW ? ", in a flow collection" : "");
}
