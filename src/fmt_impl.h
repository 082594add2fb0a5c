/* fmt_impl.h: strconv pieces shared by the fmt files (float conversion, quoting); library-internal. */
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

#endif
