/* yaml_emit_block.c: the YAML writer's direct output for block collections of ASCII scalars, byte for byte what libyaml's emitter writes with yaml_emit.c's settings, refusing (YB_UNSURE) all else.
 *
 * yaml_emit.c walks a value once and hands each node to this writer instead
 * of libyaml; when a node is outside what is mirrored here the walk stops
 * and the document is written again through libyaml, so the output never
 * depends on this file being complete, only on it being right where it
 * answers (tests/unit/yaml_emit_block_test.c compares both writers).
 *
 * Mirrored from libyaml 0.2.5's emitter (indent 2, width 80, unicode on):
 *   - block mappings and sequences: a map under a key is indented by 2, a
 *     sequence under a key is not ("indentless"), a collection that is a
 *     sequence item starts on the item's line ("- a: 1", "- - x"), empty
 *     collections are written in flow style ("{}", "[]");
 *   - scalars of printable ASCII (0x20..0x7E) only: the plain style when
 *     asked for and libyaml's analysis allows it in block context, else
 *     single quotes; double quotes when asked for; keys of at most 128
 *     bytes (longer ones are not simple keys);
 *   - outside keys, a space where the column is already past 80 becomes a
 *     line break indented to the container's indent + 2 (each style's own
 *     conditions, from yaml_emitter_write_plain/_single_quoted/_double_quoted);
 *   - literal block scalars (values with line breaks) whose text has no
 *     leading space or break and no space next to a break.
 * Not mirrored (YB_UNSURE): other bytes (escapes, unicode, CR, tabs), the
 * literal text above, a scalar as the whole document, long keys.
 */
#include <stdlib.h>
#include <string.h>

#include "yaml_emit_impl.h"

#define YB_WIDTH 80 /* yaml_emitter_set_width in ye_emit */
#define YB_MAX_SIMPLE_KEY 128 /* libyaml's yaml_emitter_check_simple_key */

void yb_init(ye_block *b, sbuf *out)
{
	memset(b, 0, sizeof *b);
	b->out = out;
	b->start = out->len;
}

void yb_fini(ye_block *b)
{
	free(b->lv);
	b->lv = NULL;
}

static void yb_put(ye_block *b, const char *s, size_t n)
{
	b->bol = false;
	sbuf_put(b->out, s, n);
	b->col += n;
}

static void yb_putc(ye_block *b, char c)
{
	b->bol = false;
	sbuf_putc(b->out, c);
	b->col++;
}

/* A line break and the indent (libyaml's write_indent: no break where a
 * block scalar's own break ended the line). */
static void yb_newline(ye_block *b, size_t indent)
{
	if (!b->bol)
		sbuf_putc(b->out, '\n');
	b->bol = false;
	sbuf_pad(b->out, ' ', indent);
	b->col = indent;
}

enum { YB_ROOT, YB_KEY, YB_VALUE, YB_ITEM };

/* Write what comes before the next node in its container and say where it
 * stands. */
static int yb_place(ye_block *b)
{
	if (!b->depth)
		return YB_ROOT;
	yb_level *l = &b->lv[b->depth - 1];
	if (l->map && l->want_value)
		return YB_VALUE;
	if (l->count || !l->inline_first)
		yb_newline(b, l->indent);
	if (l->map)
		return YB_KEY;
	yb_putc(b, '-');
	return YB_ITEM;
}

/* The node just written is done: a key gets its ':', an entry is counted. */
static void yb_done(ye_block *b)
{
	if (!b->depth)
		return;
	yb_level *l = &b->lv[b->depth - 1];
	if (l->map && !l->want_value) {
		yb_putc(b, ':');
		l->want_value = true;
		return;
	}
	l->want_value = false;
	l->count++;
}

/* What a scalar holds, as the bits of its bytes' classes ORed (yb_class):
 * one pass tells which of the writer's per-byte loops may be skipped. */
enum {
	YB_C_OTHER = 1,  /* neither printable ASCII nor '\n': not mirrored */
	YB_C_BREAK = 2,  /* '\n' */
	YB_C_SPACE = 4,  /* ' ': may fold */
	YB_C_PLAIN = 8,  /* ':' or '#': may end a plain scalar's token */
	YB_C_SINGLE = 16, /* '\'': doubled in single quotes */
	YB_C_DOUBLE = 32, /* '"' or '\\': escaped in double quotes */
};

/* The class of each byte. */
static const unsigned char yb_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	4, 0, 32, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The classes of a scalar's bytes, ORed. */
static unsigned yb_classes(const char *s, size_t n)
{
	unsigned m = 0;
	for (size_t i = 0; i < n; i++)
		m |= yb_class[(unsigned char)s[i]];
	return m;
}

/* libyaml's analysis: may this printable ASCII text (its classes m), without
 * leading or trailing space, be plain in block context (no indicator where
 * it would start a token, no "---"/"..." start)? */
static bool yb_block_plain_ok(const char *s, size_t n, unsigned m)
{
	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	if (n >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0))
		return false;
	if (strchr("#,[]{}&*!|>'\"%@`", s[0]))
		return false;
	bool next_blank = n == 1 || s[1] == ' ';
	if ((s[0] == '?' || s[0] == ':' || s[0] == '-') && next_blank)
		return false;
	if (!(m & YB_C_PLAIN))
		return true;
	for (size_t i = 1; i < n; i++) {
		if (s[i] == ':' && (i + 1 == n || s[i + 1] == ' '))
			return false;
		if (s[i] == '#' && s[i - 1] == ' ')
			return false;
	}
	return true;
}

/* A space of a scalar outside keys: folded into a line break when the
 * column is past the width (the caller checks its style's own
 * conditions); true when folded. */
static bool yb_fold(ye_block *b, bool allow, size_t indent)
{
	if (!allow || b->col <= YB_WIDTH)
		return false;
	yb_newline(b, indent);
	return true;
}

/* Each writer takes the scalar's classes m: without the bytes it treats
 * one at a time, the text goes out whole. */
static void yb_plain(ye_block *b, const char *s, size_t n, bool breaks, size_t indent, unsigned m)
{
	if (!(m & YB_C_SPACE)) {
		yb_put(b, s, n);
		return;
	}
	bool spaces = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ' ') {
			size_t j = i;
			while (j < n && s[j] != ' ')
				j++;
			yb_put(b, s + i, j - i);
			i = j - 1;
			spaces = false;
			continue;
		}
		bool next_space = i + 1 < n && s[i + 1] == ' ';
		if (spaces || next_space || !yb_fold(b, breaks, indent))
			yb_putc(b, ' ');
		spaces = true;
	}
}

static void yb_single(ye_block *b, const char *s, size_t n, bool breaks, size_t indent, unsigned m)
{
	bool spaces = false;
	yb_putc(b, '\'');
	if (!(m & (YB_C_SPACE | YB_C_SINGLE))) {
		yb_put(b, s, n);
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ') {
			bool inner = i != 0 && i != n - 1 && s[i + 1] != ' ';
			if (spaces || !inner || !yb_fold(b, breaks, indent))
				yb_putc(b, ' ');
			spaces = true;
			continue;
		}
		if (s[i] == '\'')
			yb_putc(b, '\'');
		yb_putc(b, s[i]);
		spaces = false;
	}
	yb_putc(b, '\'');
}

static void yb_double(ye_block *b, const char *s, size_t n, bool breaks, size_t indent, unsigned m)
{
	bool spaces = false;
	yb_putc(b, '"');
	if (!(m & (YB_C_SPACE | YB_C_DOUBLE))) {
		yb_put(b, s, n);
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ') {
			bool inner = i != 0 && i != n - 1;
			if (!spaces && inner && yb_fold(b, breaks, indent)) {
				if (s[i + 1] == ' ')
					yb_putc(b, '\\');
			} else {
				yb_putc(b, ' ');
			}
			spaces = true;
			continue;
		}
		if (s[i] == '"' || s[i] == '\\')
			yb_putc(b, '\\');
		yb_putc(b, s[i]);
		spaces = false;
	}
	yb_putc(b, '"');
}

/* libyaml allows the literal style (and the writer mirrors it) for text
 * without a space next to a line break, a leading space or break (those
 * take an indentation hint) or a trailing space. */
static bool yb_literal_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == ' ' || s[0] == '\n' || s[n - 1] == ' ')
		return false;
	for (size_t i = 1; i < n; i++)
		if ((s[i] == '\n' && s[i - 1] == ' ') || (s[i] == ' ' && s[i - 1] == '\n'))
			return false;
	return true;
}

/* libyaml's write_literal_scalar and its chomping hint: '-' without a
 * final break, none for one, '+' for more; lines at indent, empty lines
 * without spaces. */
static void yb_literal(ye_block *b, const char *s, size_t n, size_t indent)
{
	yb_putc(b, '|');
	if (s[n - 1] != '\n')
		yb_putc(b, '-');
	else if (n >= 2 && s[n - 2] == '\n')
		yb_putc(b, '+');
	bool breaks = true;
	sbuf_putc(b->out, '\n');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			sbuf_putc(b->out, '\n');
			breaks = true;
			continue;
		}
		if (breaks)
			sbuf_pad(b->out, ' ', indent);
		size_t j = i;
		while (j < n && s[j] != '\n')
			j++;
		sbuf_put(b->out, s + i, j - i);
		i = j - 1;
		breaks = false;
	}
	/* a line break always comes next: the column no longer matters */
	b->bol = breaks;
	b->col = 0;
}

int yb_scalar(ye_block *b, const char *s, size_t n, yb_style style)
{
	if (!b->depth)
		return YB_UNSURE;
	unsigned m = yb_classes(s, n);
	if (m & YB_C_OTHER)
		return YB_UNSURE;
	yb_level *l = &b->lv[b->depth - 1];
	bool key = l->map && !l->want_value;
	if (key && n > YB_MAX_SIMPLE_KEY)
		return YB_UNSURE;
	if (style == YB_STYLE_LITERAL ? key || !yb_literal_ok(s, n) : (m & YB_C_BREAK) != 0)
		return YB_UNSURE;
	/* the scalar's own indent: its container's + 2 (libyaml's emit_scalar) */
	size_t indent = l->indent + 2;
	if (yb_place(b) != YB_KEY)
		yb_putc(b, ' ');
	if (style == YB_STYLE_LITERAL)
		yb_literal(b, s, n, indent);
	else if (style == YB_STYLE_PLAIN && yb_block_plain_ok(s, n, m))
		yb_plain(b, s, n, !key, indent, m);
	else if (style == YB_STYLE_PLAIN)
		yb_single(b, s, n, !key, indent, m);
	else
		yb_double(b, s, n, !key, indent, m);
	yb_done(b);
	return 0;
}

int yb_start(ye_block *b, bool map, size_t n)
{
	int at = yb_place(b);
	if (at == YB_KEY)
		return YB_UNSURE; /* keys are strings: never here */
	if (!n) {
		if (at != YB_ROOT)
			yb_putc(b, ' ');
		yb_put(b, map ? "{}" : "[]", 2);
		yb_done(b);
		b->empty_open = true; /* its end event closes no block */
		return 0;
	}
	size_t indent = 0;
	bool inline_first = at == YB_ROOT;
	if (at == YB_ITEM) { /* "- a: 1", "- - x": on the item's line */
		yb_putc(b, ' ');
		indent = b->lv[b->depth - 1].indent + 2;
		inline_first = true;
	} else if (at == YB_VALUE) { /* a map under a key indented, a sequence not */
		indent = b->lv[b->depth - 1].indent + (map ? 2 : 0);
	}
	if (b->depth == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->lv = realloc(b->lv, b->cap * sizeof *b->lv);
		if (!b->lv)
			tmpl_out_of_memory();
	}
	b->lv[b->depth++] = (yb_level){.indent = indent, .map = map, .inline_first = inline_first};
	return 0;
}

int yb_end(ye_block *b)
{
	if (b->empty_open) {
		b->empty_open = false;
		return 0;
	}
	b->depth--;
	yb_done(b);
	return 0;
}

int yb_finish(ye_block *b)
{
	if (!b->bol) /* a block scalar's final break ends the document too */
		sbuf_putc(b->out, '\n');
	b->col = 0;
	return 0;
}
