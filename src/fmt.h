/* fmt.h: Go's fmt package (Sprint, Sprintln, Sprintf) over template values. */
#ifndef TMPL_FMT_H
#define TMPL_FMT_H

#include <stddef.h>

#include "sbuf.h"
#include "tmpl_value.h"

/* Arguments are Go interface values: NOVALUE (NULL) and TV_NULL are both nil.
 * The printers return 0, or -1 when a value is nested deeper than the
 * thread's stack allows (stack_guard.h): what was printed so far is in out,
 * and the caller reports FMT_TOO_DEEP. Go prints any depth. */
#define FMT_TOO_DEEP "value nested too deeply to print"

/* fmt.Sprint(v) with %v of one value (nil prints "<nil>"). */
int fmt_value(sbuf *out, const tv *v);
/* fmt.Sprint(args...): spaces only between operands when neither is a string. */
int fmt_sprint(sbuf *out, const tv *const *args, size_t n);
/* fmt.Sprintln(args...): spaces between all operands, then "\n". */
int fmt_sprintln(sbuf *out, const tv *const *args, size_t n);
/* fmt.Sprintf(format, args...), with every verb, flag, width, precision,
 * argument index and Go's %!verb(...) error forms written into the output. */
int fmt_sprintf(sbuf *out, const char *format, size_t flen, const tv *const *args, size_t n);
/* strconv.FormatFloat(f, 'g', -1, 64) as %v prints it: "1e+06", "0.1", "+Inf". */
void fmt_float_shortest(sbuf *out, double f);
/* strconv.FormatFloat(f, 'g', -1, 32): f rounded to float32, its shortest
 * digits ("1e+06", "1.2345679e+08", "100000"), as ghodss/yaml writes a YAML
 * float read into a string field. */
void fmt_float32_shortest(sbuf *out, double f);
/* strconv.Quote(s): Go's double-quoted form with \u escapes for non-printables. */
void fmt_quote(sbuf *out, const char *s, size_t len);

#endif
