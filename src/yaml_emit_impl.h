/* yaml_emit_impl.h: scalar decisions of the YAML writer (yaml_emit_scalar.c), shared with yaml_emit.c. */
#ifndef TMPL_YAML_EMIT_IMPL_H
#define TMPL_YAML_EMIT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"
#include "error.h"
#include "sbuf.h"
#include "tmpl_value.h"
#include "yaml_emit.h"

/* yaml.v2's encoder test for a string: written plain, would it read back as
 * a string (resolve gives !!str and it is no base 60 float)? When not, the
 * encoder double-quotes it ("15000", "", "true", "2001-01-02"; "1e5" only
 * under YE_RULES_CURRENT). */
bool ye_plain_is_str(const char *s, size_t len, ye_rules rules);

/* What a string becomes after Go's json.Marshal and yaml.v2's decoding of
 * that JSON: invalid UTF-8 bytes become U+FFFD, raw NEL (U+0085) line breaks
 * fold as in a double-quoted YAML scalar. Appends to out and adds the NELs
 * (lines of the JSON text) to *nels. Returns -1 with err set where yaml.v2
 * refuses the JSON text (control characters it does not accept raw, a
 * document marker after a folded line; *nels counts the lines before). */
int ye_json_string(sbuf *out, const char *s, size_t len, size_t *nels, tmpl_error *err);

/* The end of the run of bytes from s[i] (before len) that ye_json_string
 * keeps as they are without looking further: ASCII below DEL (0x7F). When
 * it returns len for i = 0, s is its own result. */
size_t ye_json_kept_end(const char *s, size_t i, size_t len);

/* Append the YAML text of a float after the JSON round trip: integral
 * values below 1e21 print as the integer Go's JSON writes ("80", not "80.0"),
 * others as strconv.FormatFloat(f, 'g', -1, 64). Returns -1 with Go's error
 * for NaN and infinities (encoding/json refuses them). */
int ye_float(sbuf *out, double f, tmpl_error *err);

/* A map key's text for ye_key_less: n runes, runes[i] each, or, where
 * runes is NULL (ASCII text), the bytes s[i] themselves. */
typedef struct ye_keytext {
	const char *s;
	const int32_t *runes;
	size_t n;
} ye_keytext;

/* yaml.v2's key order for two string keys (sorter.go's keyList.Less, rune
 * by rune): letters after other characters, runs of digits compared as
 * numbers. True when a sorts before b. */
bool ye_key_less(const ye_keytext *a, const ye_keytext *b);

/* ---- yaml_emit_fix.c: marker scalars where libyaml 0.2 and yaml.v2 differ ---- */

enum { YE_FIX_NONE, YE_FIX_BOM, YE_FIX_BREAK };

typedef struct ye_fix_str {
	const char *s;
	size_t len;
} ye_fix_str;

typedef struct ye_fix {
	unsigned char used[800]; /* private-use characters U+E000..U+F8FF in the document */
	bool chosen;             /* marks picked (ye_fix_choose) */
	bool failed;             /* every private-use character is taken: no fixes */
	char bom_mark[4], break_mark[4];
	size_t mark_len;
	ye_fix_str *bom; /* values starting with a BOM, in output order */
	size_t nbom, cap;
	size_t nbreak;
} ye_fix;

/* Which fix a string needs: a BOM at the start (and more after it), or a
 * final U+2028/U+2029 when yaml.v2 asks for the plain style. */
int ye_fix_kind(const char *s, size_t len, bool plain_requested);
/* Note the private-use characters of one string of the document. */
void ye_fix_mark_used(ye_fix *f, const char *s, size_t len);
/* Pick two unused private-use characters as marks; false when none left. */
bool ye_fix_choose(ye_fix *f);
/* The marker scalar written in place of s (into m, replacing it). */
void ye_fix_bom_marker(ye_fix *f, sbuf *m, const char *s, size_t len);
void ye_fix_break_marker(ye_fix *f, sbuf *m, const char *s, size_t len);
/* Replace the markers' text in libyaml's output by yaml.v2's. */
void ye_fix_output(ye_fix *f, sbuf *doc);

/* ---- yaml_emit_block.c: direct block-style output (libyaml's, for what it mirrors) ---- */

/* A node outside what the direct writer mirrors: write the document with libyaml. */
#define YB_UNSURE 1

typedef enum yb_style { YB_STYLE_PLAIN, YB_STYLE_DOUBLE, YB_STYLE_LITERAL } yb_style;

typedef struct yb_level {
	size_t indent;     /* column of its keys or of its items' '-' */
	size_t count;      /* entries written */
	bool map;
	bool want_value;   /* a map's key is written, its value is next */
	bool inline_first; /* its first entry goes on the current line */
} yb_level;

typedef struct ye_block {
	sbuf *out;
	size_t start; /* out->len before the document */
	size_t col;   /* column of the output's end (ASCII only: bytes) */
	yb_level *lv; /* open non-empty collections */
	size_t depth, cap;
	bool empty_open; /* an empty collection's end event is next */
	bool bol;        /* a block scalar's break ended the last line */
} ye_block;

/* The events yaml_emit.c would give libyaml, as output to b->out; each
 * returns 0, or YB_UNSURE (leaving b->out to be cut back to b->start).
 * yb_start takes the collection's number of entries. */
void yb_init(ye_block *b, sbuf *out);
void yb_fini(ye_block *b);
int yb_scalar(ye_block *b, const char *s, size_t len, yb_style requested);
int yb_start(ye_block *b, bool map, size_t n);
int yb_end(ye_block *b);
int yb_finish(ye_block *b);

/* ye_emit through one writer: YE_HOW_ANY tries the direct writer, then
 * libyaml; YE_HOW_BLOCK returns YB_UNSURE where the direct writer stops
 * (for tests comparing the two). */
typedef enum ye_how { YE_HOW_ANY, YE_HOW_LIBYAML, YE_HOW_BLOCK } ye_how;
int ye_emit_how(sbuf *out, const tv *v, ye_rules rules, ye_how how, tmpl_error *err);

#endif
