/* godur.h: Go's time.Duration as text: time.ParseDuration and Duration.String, the one home of both. */
#ifndef TMPL_GODUR_H
#define TMPL_GODUR_H

#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

/* time.ParseDuration of [s, len) ("1m30s", "1.5h", "250ms", "-0", "0"):
 * 0 and *ns (nanoseconds), or -1 where Go returns an error (no unit, an
 * unknown unit, no digits, beyond int64 nanoseconds). Units: ns, us, µs
 * (U+00B5), μs (U+03BC), ms, s, m, h. */
int godur_parse(const char *s, size_t len, int64_t *ns);

/* Duration.String of d nanoseconds appended to out: "0s", "1.5µs", "300ms",
 * "1m0s", "2h45m0.5s", "-1s". */
void godur_string(sbuf *out, int64_t d);

#endif
