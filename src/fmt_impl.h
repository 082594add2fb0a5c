/* fmt_impl.h: what the fmt files share (printer state, primitives, strconv pieces); library-internal. */
#ifndef TMPL_FMT_IMPL_H
#define TMPL_FMT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

/* strconv.AppendFloat(v, verb, prec, 64) for verb one of e E f g G b x X;
 * prec < 0 asks for the shortest representation that reads back as v. */
void fmt_strconv_float(sbuf *out, double v, char verb, int prec);

/* strconv.Quote (ascii false) or strconv.QuoteToASCII (ascii true). */
void fmt_quote_string(sbuf *out, const char *s, size_t len, bool ascii);
/* strconv.QuoteRune / QuoteRuneToASCII (invalid runes become U+FFFD). */
void fmt_quote_rune(sbuf *out, int32_t r, bool ascii);
/* strconv.CanBackquote. */
bool fmt_can_backquote(const char *s, size_t len);

#include "arena.h"

/* The printer: the flags of the current verb (Go's fmt type) and the
 * bookkeeping of one Sprint/Sprintf call (Go's pp type). */
typedef struct fmt_state {
	sbuf *out;
	bool wid_present, prec_present;
	bool minus, plus, sharp, space, zero;
	bool plus_v, sharp_v; /* %+v and %#v: plus/sharp moved here */
	int wid, prec;
	bool reordered, good_argnum; /* argument indexes seen, last one valid */
	tmpl_arena *scratch;         /* map key sorting, made on first use */
	sbuf tmp, tmp2;              /* reused by the number and quoting formatters */
	bool deep;                   /* a value nested deeper than the stack allows: printing stopped */
} fmt_state;

extern const char fmt_ldigits[]; /* "0123456789abcdefx" */
extern const char fmt_udigits[]; /* "0123456789ABCDEFX" */

/* The primitives (fmt_prim.c); each pads its text to the width. */
void fmt_put_padding(fmt_state *p, int n);
void fmt_put_padded(fmt_state *p, const char *s, size_t len);
void fmt_put_padded_str(fmt_state *p, const char *s);
void fmt_put_bool(fmt_state *p, bool b);
/* %U and %#U. */
void fmt_put_unicode(fmt_state *p, uint64_t u);
/* An integer in base 2, 8, 10 or 16; digits is fmt_ldigits or fmt_udigits. */
void fmt_put_integer(fmt_state *p, uint64_t u, int base, bool is_signed, int32_t verb, const char *digits);
/* %s (precision cuts runes), %x of the bytes, %q. */
void fmt_put_string(fmt_state *p, const char *s, size_t len);
void fmt_put_hex_string(fmt_state *p, const char *s, size_t len, const char *digits);
void fmt_put_quoted(fmt_state *p, const char *s, size_t len);
/* %c and %q of an integer. */
void fmt_put_char(fmt_state *p, uint64_t c);
void fmt_put_quoted_rune(fmt_state *p, uint64_t c);
/* A float with strconv verb e E f g G b x X and default precision prec. */
void fmt_put_float(fmt_state *p, double v, char verb, int prec);

#endif
