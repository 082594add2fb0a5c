/* yaml_block.c: the plain block YAML that templates render, scanned into libyaml's event stream without libyaml (anything else is declined, and libyaml reads it).
 *
 * A rendered injection template is a few kilobytes of block mappings and
 * sequences; libyaml's scanner (character classes, simple-key bookkeeping,
 * token queue, per-event allocations) cost half of answering a review. This
 * reader accepts only a subset whose events it can give exactly as libyaml
 * gives them, and says no at the first doubt: the whole text is checked
 * before any event is used, so a declined text costs one extra pass and is
 * then read by libyaml as before. The events feed the same loader
 * (yaml_load.c), so resolution, duplicate keys and errors have one home.
 *
 * Positions are libyaml's (0-based line and column; ASCII only, so a column
 * is a byte offset in its line).
 */
#include "yaml_block.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

#define YB_MAX_DEPTH 200
#define YB_MAX_KEY 1000 /* libyaml's simple keys end at 1024 characters */

typedef struct yb {
	const char *t;
	size_t len;
	bool have;      /* a content line is loaded */
	size_t ls, le;  /* its start and end (the '\n' or len) */
	size_t cs, col; /* content start (may be inside the line, after "- ") and its column */
	size_t line;    /* 0-based */
	int depth;
	bool no;        /* declined */
	yb_events *out;
} yb;

static yb_event *ev_new(yb *y, yaml_event_type_t type, size_t line, size_t col)
{
	yb_events *o = y->out;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		yb_event *e = realloc(o->ev, cap * sizeof *e);
		if (!e)
			tmpl_out_of_memory();
		o->ev = e;
		o->cap = cap;
	}
	yb_event *e = &o->ev[o->n++];
	*e = (yb_event){.type = (uint8_t)type, .line = (uint32_t)line, .col = (uint32_t)col};
	return e;
}

static void ev_scalar(yb *y, yaml_scalar_style_t style, const char *s, size_t n, size_t line,
		      size_t col)
{
	yb_event *e = ev_new(y, YAML_SCALAR_EVENT, line, col);
	e->s = s;
	e->len = n;
	e->style = (uint8_t)style;
}

/* Load the content line at or after p (blank lines skipped). */
static void load(yb *y, size_t p)
{
	const char *t = y->t;
	y->have = false;
	while (p < y->len) {
		const char *nl = memchr(t + p, '\n', y->len - p);
		size_t le = nl ? (size_t)(nl - t) : y->len;
		size_t cs = p;
		while (cs < le && t[cs] == ' ')
			cs++;
		if (cs < le && t[cs] != '#') { /* a comment line is skipped as libyaml's scanner does */
			if (cs == p && le - p >= 3 &&
			    (memcmp(t + p, "---", 3) == 0 || memcmp(t + p, "...", 3) == 0))
				y->no = true; /* document markers */
			y->have = true;
			y->ls = p;
			y->le = le;
			y->cs = cs;
			y->col = cs - p;
			return;
		}
		y->line++;
		p = le + 1;
	}
}

static void next(yb *y)
{
	y->line++;
	load(y, y->le + 1);
}

static bool is_entry(const yb *y)
{
	return y->t[y->cs] == '-' && (y->cs + 1 == y->le || y->t[y->cs + 1] == ' ');
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '/' || c == '-';
}

/* The ':' ending a plain key at the content start, or 0 when the line is no "key:". */
static size_t key_end(const yb *y)
{
	const char *t = y->t;
	size_t p = y->cs;
	if (!key_char(t[p]) || t[p] == '-' || t[p] == '.' || t[p] == '/')
		return 0; /* keys start with a letter, a digit or '_' */
	while (p < y->le && key_char(t[p]))
		p++;
	if (p == y->le || t[p] != ':' || (p + 1 < y->le && t[p + 1] != ' ') || p - y->cs > YB_MAX_KEY)
		return 0;
	return p;
}

static void block(yb *y);

/* A literal block scalar whose header '|' is at h, in a collection at column parent. */
static void literal(yb *y, size_t h, size_t parent)
{
	const char *t = y->t;
	size_t line = y->line, col = h - y->ls;
	bool strip = false;
	size_t p = h + 1;
	if (p < y->le && t[p] == '-') {
		strip = true;
		p++;
	}
	while (p < y->le && t[p] == ' ')
		p++;
	if (p != y->le || y->le == y->len) {
		y->no = true; /* indentation indicator, keep chomping, comment, or no content */
		return;
	}
	yb_events *o = y->out;
	size_t off = o->litlen, ind = 0, blanks = 0;
	bool first = true;
	p = y->le + 1;
	while (p < y->len) {
		const char *nl = memchr(t + p, '\n', y->len - p);
		size_t le = nl ? (size_t)(nl - t) : y->len;
		size_t s = p;
		while (s < le && t[s] == ' ')
			s++;
		if (s == le) { /* blank */
			if (first || s - p > ind) {
				y->no = true; /* leading blanks, or spaces past the indentation */
				return;
			}
			blanks++;
		} else if (first) {
			if (s - p <= parent) {
				y->no = true; /* empty literal */
				return;
			}
			ind = s - p;
			first = false;
		} else if (s - p < ind) {
			break;
		}
		if (s < le) {
			size_t need = o->litlen + 1 + blanks + (le - p - ind) + 1;
			if (need > o->litcap) {
				size_t cap = o->litcap ? o->litcap : 256;
				while (cap < need)
					cap *= 2;
				char *b = realloc(o->lit, cap);
				if (!b)
					tmpl_out_of_memory();
				o->lit = b;
				o->litcap = cap;
			}
			if (o->litlen > off)
				o->lit[o->litlen++] = '\n';
			memset(o->lit + o->litlen, '\n', blanks);
			o->litlen += blanks;
			blanks = 0;
			memcpy(o->lit + o->litlen, t + p + ind, le - p - ind);
			o->litlen += le - p - ind;
			if (le == y->len) {
				y->no = true; /* the last line has no line break */
				return;
			}
		}
		p = le + 1;
	}
	if (first) {
		y->no = true; /* no content: libyaml's empty value */
		return;
	}
	if (!strip) {
		if (o->litlen + 1 > o->litcap) {
			char *b = realloc(o->lit, o->litcap * 2);
			if (!b)
				tmpl_out_of_memory();
			o->lit = b;
			o->litcap *= 2;
		}
		o->lit[o->litlen++] = '\n';
	}
	/* the value's place in lit; pointers are set once lit stops moving */
	ev_scalar(y, YAML_LITERAL_SCALAR_STYLE, (const char *)(uintptr_t)off, o->litlen - off, line,
		  col);
	/* the line that ended the block (or the end) is the next content line */
	size_t skipped = 0, stop = p < y->len ? p : y->len;
	for (size_t q = y->le + 1; q < stop; q++)
		skipped += t[q] == '\n';
	y->line += skipped;
	y->le = p - 1;
	next(y);
}

/* ---- flow collections: {k: v, ...} and [v, ...] as templates write them ---- */

/* A cursor inside a flow collection, which may run over several lines (libyaml
 * checks no indentation inside one). */
typedef struct yb_flow {
	size_t p, ls, le, line;
} yb_flow;

/* Move past spaces and, at a line's end, to the next line with content; false
 * at the end of the text or at a comment (left to libyaml). */
static bool flow_skip(yb *y, yb_flow *f)
{
	const char *t = y->t;
	for (;;) {
		while (f->p < f->le && t[f->p] == ' ')
			f->p++;
		if (f->p < f->le)
			return t[f->p] != '#';
		if (f->le >= y->len)
			return false;
		f->ls = f->p = f->le + 1;
		f->line++;
		const char *nl = memchr(t + f->ls, '\n', y->len - f->ls);
		f->le = nl ? (size_t)(nl - t) : y->len;
	}
}

/* A plain scalar in flow: the characters of plain keys only (key_char), starting
 * with a letter, a digit or '_'; its end, or 0. */
static size_t flow_plain_end(const yb *y, const yb_flow *f)
{
	const char *t = y->t;
	size_t e = f->p;
	if (!key_char(t[e]) || t[e] == '-' || t[e] == '.' || t[e] == '/')
		return 0;
	while (e < f->le && key_char(t[e]))
		e++;
	return e - f->p > YB_MAX_KEY ? 0 : e;
}

static bool flow_collection(yb *y, yb_flow *f);

/* A value in flow: a nested collection, a one-line quoted scalar without
 * escapes, or a plain scalar that flow_plain_end takes. */
static bool flow_value(yb *y, yb_flow *f)
{
	const char *t = y->t;
	char c = t[f->p];
	size_t col = f->p - f->ls;
	if (c == '{' || c == '[')
		return flow_collection(y, f);
	if (c == '"' || c == '\'') {
		size_t e = f->p + 1;
		while (e < f->le && t[e] != c && t[e] != '\\')
			e++;
		if (e == f->le || t[e] == '\\' || (e + 1 < f->le && t[e + 1] == c))
			return false;
		ev_scalar(y, c == '"' ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE,
			  t + f->p + 1, e - f->p - 1, f->line, col);
		f->p = e + 1;
		return true;
	}
	size_t e = flow_plain_end(y, f);
	if (!e)
		return false;
	ev_scalar(y, YAML_PLAIN_SCALAR_STYLE, t + f->p, e - f->p, f->line, col);
	f->p = e;
	return true;
}

/* The collection whose bracket is at f->p, up to and past its closing one:
 * entries "key: value" (mappings) or values (sequences), separated by commas,
 * a last comma allowed. */
static bool flow_collection(yb *y, yb_flow *f)
{
	const char *t = y->t;
	bool is_map = t[f->p] == '{';
	char close = is_map ? '}' : ']';
	if (++y->depth > YB_MAX_DEPTH)
		return false;
	ev_new(y, is_map ? YAML_MAPPING_START_EVENT : YAML_SEQUENCE_START_EVENT, f->line,
	       f->p - f->ls);
	f->p++;
	for (;;) {
		if (!flow_skip(y, f))
			return false;
		if (t[f->p] == close)
			break;
		if (is_map) {
			/* a plain key and ": " on one line (libyaml's simple key) */
			size_t e = flow_plain_end(y, f);
			if (!e || e + 1 >= f->le || t[e] != ':' || t[e + 1] != ' ')
				return false;
			ev_scalar(y, YAML_PLAIN_SCALAR_STYLE, t + f->p, e - f->p, f->line, f->p - f->ls);
			f->p = e + 1;
			if (!flow_skip(y, f) || t[f->p] == ',' || t[f->p] == close)
				return false; /* an empty value: libyaml's */
		}
		if (!flow_value(y, f))
			return false;
		/* after a value: the comma or the bracket on the same line */
		while (f->p < f->le && t[f->p] == ' ')
			f->p++;
		if (f->p < f->le && t[f->p] == ',')
			f->p++;
		else if (f->p >= f->le || t[f->p] != close)
			return false;
	}
	ev_new(y, is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT, f->line, f->p - f->ls);
	f->p++;
	y->depth--;
	return true;
}

/* A flow collection from v, a value in a collection at column parent: nothing
 * may follow its closing bracket on that line. */
static void flow(yb *y, size_t v, size_t parent)
{
	yb_flow f = {v, y->ls, y->le, y->line};
	if (!flow_collection(y, &f)) {
		y->no = true;
		return;
	}
	while (f.p < f.le && y->t[f.p] == ' ')
		f.p++;
	if (f.p < f.le) {
		y->no = true;
		return;
	}
	y->ls = f.ls;
	y->le = f.le;
	y->line = f.line;
	next(y);
	if (y->have && y->col > parent)
		y->no = true; /* a continuation line */
}

/* The scalar from v to the end of the line, a value in a collection at column parent. */
static void inline_scalar(yb *y, size_t v, size_t parent)
{
	const char *t = y->t;
	size_t col = v - y->ls, le = y->le;
	char c = t[v];
	if (c == '|') {
		literal(y, v, parent);
		return;
	}
	if (c == '{' || c == '[') {
		flow(y, v, parent);
		return;
	}
	if (c == '"' || c == '\'') {
		size_t e = v + 1;
		while (e < le && t[e] != c && t[e] != '\\')
			e++;
		if (e == le || t[e] == '\\' || (e + 1 < le && t[e + 1] == c)) {
			y->no = true; /* escapes, or a value past the line */
			return;
		}
		for (size_t q = e + 1; q < le; q++)
			if (t[q] != ' ') {
				y->no = true;
				return;
			}
		ev_scalar(y, c == '"' ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE,
			  t + v + 1, e - v - 1, y->line, col);
	} else {
		/* plain: its first character may not be an indicator ('-' may, before a
		 * non-space); ": " and " #" end it early, which we leave to libyaml */
		if (strchr(",[]{}#&*!|>'\"%@`?:", c) || (c == '-' && (v + 1 == le || t[v + 1] == ' '))) {
			y->no = true;
			return;
		}
		size_t e = v;
		for (size_t q = v; q < le; q++) {
			if ((t[q] == ':' && (q + 1 == le || t[q + 1] == ' ')) ||
			    (t[q] == '#' && t[q - 1] == ' ')) {
				y->no = true;
				return;
			}
			if (t[q] != ' ')
				e = q + 1;
		}
		ev_scalar(y, YAML_PLAIN_SCALAR_STYLE, t + v, e - v, y->line, col);
	}
	next(y);
	if (y->have && y->col > parent)
		y->no = true; /* a continuation line */
}

static void empty(yb *y, size_t line, size_t col)
{
	ev_scalar(y, YAML_PLAIN_SCALAR_STYLE, "", 0, line, col);
}

static void map(yb *y)
{
	size_t col = y->col;
	ev_new(y, YAML_MAPPING_START_EVENT, y->line, col);
	while (!y->no && y->have && y->col >= col) {
		size_t k = y->col == col ? key_end(y) : 0;
		if (!k) {
			y->no = true;
			break;
		}
		ev_scalar(y, YAML_PLAIN_SCALAR_STYLE, y->t + y->cs, k - y->cs, y->line, y->col);
		size_t v = k + 1;
		while (v < y->le && y->t[v] == ' ')
			v++;
		if (v < y->le) {
			inline_scalar(y, v, col);
			continue;
		}
		size_t line = y->line, vcol = v - y->ls;
		next(y);
		if (y->no)
			break;
		if (y->have && y->col > col)
			block(y);
		else if (y->have && y->col == col && is_entry(y))
			block(y); /* a sequence at the key's column */
		else
			empty(y, line, vcol);
	}
	ev_new(y, YAML_MAPPING_END_EVENT, y->line, 0);
}

static void seq(yb *y)
{
	size_t col = y->col;
	ev_new(y, YAML_SEQUENCE_START_EVENT, y->line, col);
	while (!y->no && y->have && y->col == col && is_entry(y)) {
		size_t v = y->cs + 1;
		while (v < y->le && y->t[v] == ' ')
			v++;
		if (v == y->le) {
			size_t line = y->line;
			next(y);
			if (y->have && y->col > col)
				block(y);
			else
				empty(y, line, v - y->ls);
		} else {
			/* "- key: value" opens a mapping at the key's column */
			y->cs = v;
			y->col = v - y->ls;
			if (is_entry(y) || !key_end(y))
				inline_scalar(y, v, col);
			else
				block(y);
		}
		if (y->have && y->col > col)
			y->no = true;
	}
	ev_new(y, YAML_SEQUENCE_END_EVENT, y->line, 0);
}

/* The block collection starting at the current content line. */
static void block(yb *y)
{
	if (++y->depth > YB_MAX_DEPTH) {
		y->no = true;
		return;
	}
	if (is_entry(y)) {
		size_t v = y->cs + 1;
		while (v < y->le && y->t[v] == ' ')
			v++;
		if (v < y->le && y->t[v] == '-' && (v + 1 == y->le || y->t[v + 1] == ' '))
			y->no = true; /* "- - x": libyaml's */
		else
			seq(y);
	} else if (key_end(y)) {
		map(y);
	} else {
		y->no = true; /* a scalar on its own line */
	}
	y->depth--;
}

bool yb_scan(const char *text, size_t len, yb_events *out)
{
	memset(out, 0, sizeof *out);
	if (!text || !len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\n') || c >= 0x7f)
			return false; /* tabs, CR, controls, non-ASCII: libyaml's */
	}
	yb y = {.t = text, .len = len, .out = out};
	ev_new(&y, YAML_STREAM_START_EVENT, 0, 0);
	ev_new(&y, YAML_DOCUMENT_START_EVENT, 0, 0);
	load(&y, 0);
	if (!y.have || y.no)
		goto no;
	block(&y);
	if (y.no || y.have)
		goto no;
	ev_new(&y, YAML_DOCUMENT_END_EVENT, y.line, 0);
	ev_new(&y, YAML_STREAM_END_EVENT, y.line, 0);
	if (out->lit)
		for (size_t i = 0; i < out->n; i++) {
			yb_event *e = &out->ev[i];
			if (e->type == YAML_SCALAR_EVENT && e->style == YAML_LITERAL_SCALAR_STYLE)
				e->s = out->lit + (uintptr_t)e->s;
		}
	return true;
no:
	yb_free(out);
	return false;
}

void yb_event_get(const yb_events *out, size_t i, yaml_event_t *ev)
{
	const yb_event *e = &out->ev[i];
	memset(ev, 0, sizeof *ev);
	ev->type = (yaml_event_type_t)e->type;
	/* the loader reads positions as ints: their low 32 bits, sign-extended
	 * here as they were (an empty value's column may be "negative") */
	ev->start_mark.line = (size_t)(int64_t)(int32_t)e->line;
	ev->start_mark.column = (size_t)(int64_t)(int32_t)e->col;
	if (e->type == YAML_SCALAR_EVENT) {
		ev->data.scalar.value = (yaml_char_t *)(uintptr_t)e->s;
		ev->data.scalar.length = e->len;
		ev->data.scalar.style = (yaml_scalar_style_t)e->style;
		ev->data.scalar.plain_implicit = e->style == YAML_PLAIN_SCALAR_STYLE;
		ev->data.scalar.quoted_implicit = e->style != YAML_PLAIN_SCALAR_STYLE;
	}
}

void yb_free(yb_events *out)
{
	free(out->ev);
	free(out->lit);
	memset(out, 0, sizeof *out);
}
