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

/* One pass over a text: the text, its actions, the context found for each. */
typedef struct yc_scanner {
	const char *t;
	size_t len;
	const check_scan_result *sc;
	unsigned char *out; /* out[i]: action i's context */
	int32_t ai;         /* the next action */
	yc_state s;
} yc_scanner;

/* The state of one line outside a block scalar. */
typedef struct yc_line {
	size_t p, eol;  /* its start; its end, moved on by an action that runs over lines */
	long indent;
	unsigned node;  /* CHECK_Y_ITEM after a sequence's "- " */
	int at_start;   /* where a scalar may start (a quote or [ { opens) */
	int colon;      /* after a mapping's `: ` */
	int comment;    /* after a `#` */
} yc_line;

/* A line inside a block scalar, which is all the block's text: the start of the next line. */
static size_t yc_block_line(yc_scanner *y, size_t p, size_t eol)
{
	while (y->ai < (int32_t)y->sc->n && y->sc->actions[y->ai].start < eol) {
		y->out[y->ai] = CHECK_Y_BLOCK;
		p = y->sc->actions[y->ai].end > p ? y->sc->actions[y->ai].end : p;
		y->ai++;
	}
	if (p < eol)
		p = eol;
	/* an action that spans lines ends on a later one */
	while (p < y->len && y->t[p] != '\n')
		p++;
	return p + 1;
}

/* The context of the action at q (the next one), recorded: where the text
 * goes on after it. */
static size_t yc_action(yc_scanner *y, yc_line *l, size_t q)
{
	const check_action *a = &y->sc->actions[y->ai];
	const yc_state *s = &y->s;
	unsigned c;
	if (l->comment)
		c = CHECK_Y_COMMENT;
	else if (s->dq)
		c = CHECK_Y_DQUOTE;
	else if (s->sq)
		c = CHECK_Y_SQUOTE;
	else
		c = CHECK_Y_PLAIN;
	if (s->flow)
		c |= CHECK_Y_FLOW;
	int in_seq = s->flow > 0 && s->flow <= 32 && s->kinds[s->flow - 1] == '[';
	if (l->colon)
		c |= CHECK_Y_VALUE;
	else if (in_seq)
		c |= CHECK_Y_ITEM;
	else if (!l->comment && !s->dq && !s->sq && yc_is_key(y->t, a->end, y->len, y->sc, y->ai + 1))
		c |= CHECK_Y_KEY;
	else if (l->node)
		c |= CHECK_Y_ITEM;
	y->out[y->ai] = (unsigned char)c;
	if (a->kw == 0 || a->kw == K_BLOCK)
		l->at_start = 0;
	q = a->end > q ? a->end : q + 1;
	y->ai++;
	if (q > l->eol) {
		/* the action ran over lines: go on from its end's line */
		l->eol = q;
		while (l->eol < y->len && y->t[l->eol] != '\n')
			l->eol++;
	}
	return q;
}

/* Inside a quoted scalar: the character at q read; where to go on. */
static size_t yc_quoted(yc_scanner *y, yc_line *l, size_t q)
{
	char c = y->t[q];
	if (y->s.dq) {
		if (c == '\\')
			q++;
		else if (c == '"') {
			y->s.dq = 0;
			l->at_start = 0;
		}
	} else if (c == '\'' && q + 1 < l->eol && y->t[q + 1] == '\'') {
		q++;
	} else if (c == '\'') {
		y->s.sq = 0;
		l->at_start = 0;
	}
	return q + 1;
}

/* The character at q (not an action's) read; where to go on. */
static size_t yc_char(yc_scanner *y, yc_line *l, size_t q)
{
	const char *t = y->t;
	yc_state *s = &y->s;
	char c = t[q];
	if (l->comment)
		return q + 1;
	if (s->dq || s->sq)
		return yc_quoted(y, l, q);
	if (c == '#' && (q == l->p || yc_space(t[q - 1]))) {
		l->comment = 1;
	} else if (c == '"' && l->at_start) {
		s->dq = 1;
	} else if (c == '\'' && l->at_start) {
		s->sq = 1;
	} else if (c == ':' && (q + 1 >= l->eol || yc_space(t[q + 1]) ||
				(s->flow && (t[q + 1] == ',' || t[q + 1] == '}')))) {
		l->colon = 1;
		l->at_start = 1;
	} else if ((c == '[' || c == '{') && l->at_start) {
		if (s->flow < 32)
			s->kinds[s->flow] = c;
		s->flow++;
		l->colon = 0;
	} else if ((c == ']' || c == '}') && s->flow) {
		s->flow--;
		l->at_start = 0;
	} else if (c == ',' && s->flow) {
		l->at_start = 1;
		l->colon = 0;
	} else if ((c == '|' || c == '>') && l->at_start && !s->flow && yc_block_header(t, q, l->eol)) {
		s->block = 1;
		s->block_parent = l->indent;
		return l->eol;
	} else if (!yc_space(c)) {
		l->at_start = 0;
	}
	return q + 1;
}

/* A line outside a block scalar, from p: the start of the next line. */
static size_t yc_plain_line(yc_scanner *y, size_t p, size_t eol, long indent)
{
	yc_line l = {.p = p, .eol = eol, .indent = indent, .at_start = 1};
	const char *t = y->t;
	size_t q = p + (size_t)indent;
	if (!y->s.dq && !y->s.sq && !y->s.flow)
		while (q < eol && t[q] == '-' && (q + 1 == eol || t[q + 1] == ' ')) {
			l.node = CHECK_Y_ITEM;
			q++;
			while (q < eol && t[q] == ' ')
				q++;
		}
	while (q < y->len) {
		if (y->ai < (int32_t)y->sc->n && y->sc->actions[y->ai].start == q)
			q = yc_action(y, &l, q);
		else if (q >= l.eol)
			break;
		else
			q = yc_char(y, &l, q);
	}
	return l.eol + 1;
}

static void yc_scan(const char *t, size_t len, const check_scan_result *sc, unsigned char *out)
{
	yc_scanner y = {.t = t, .len = len, .sc = sc, .out = out};
	size_t p = 0;
	while (p < len && y.ai < (int32_t)sc->n) {
		size_t eol = p;
		while (eol < len && t[eol] != '\n')
			eol++;
		long indent = 0;
		while (p + (size_t)indent < eol && t[p + (size_t)indent] == ' ')
			indent++;
		int blank = p + (size_t)indent == eol;
		/* a block scalar ends at a line indented no more than its header's */
		if (y.s.block && !blank && indent <= y.s.block_parent)
			y.s.block = 0;
		p = y.s.block ? yc_block_line(&y, p, eol) : yc_plain_line(&y, p, eol, indent);
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
