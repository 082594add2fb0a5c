/* tap.h: the one TAP helper of the C test programs: numbered results, skips, diagnostics, and the plan printed at the end. */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stddef.h>

#if defined(__GNUC__)
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define TAP_NORETURN __attribute__((noreturn))
#else
#define TAP_PRINTF(f, a)
#define TAP_NORETURN
#endif

/* Every result is numbered in the order it is printed, and the plan `1..N` comes
 * last (tap_done), so a program never counts its checks by hand. Names are printed
 * as given, with control bytes escaped so that one result stays one line. */

/* "ok N - name" when cond, else "not ok N - name"; returns cond. */
int tap_ok(int cond, const char *name);
/* tap_ok with a printf-formatted name. */
int tap_okf(int cond, const char *fmt, ...) TAP_PRINTF(2, 3);
/* tap_ok, and on failure why as a diagnostic (why may be NULL). */
int tap_result(int cond, const char *name, const char *why);
/* Whether two strings are equal (NULL equals only NULL); on failure both are shown
 * (tap_show). Returns whether they were equal. */
int tap_is(const char *got, const char *want, const char *name);
/* tap_is for byte strings that may hold NULs. */
int tap_is_bytes(const char *got, size_t got_len, const char *want, size_t want_len,
		 const char *name);
/* "ok N - name # SKIP why". */
void tap_skip(const char *name, const char *why);
/* A diagnostic: the formatted text as `# ` comment lines. */
void tap_diag(const char *fmt, ...) TAP_PRINTF(1, 2);
/* Bytes on one diagnostic line, `# label: "..."`: a newline as \n, other control
 * bytes, bytes above 0x7e, '"' and '\\' as \xNN; cut after 3000 bytes ("..."). */
void tap_show(const char *label, const char *s, size_t len);
/* A multi-line text as diagnostics under a label, one `#   |line|` per line
 * (printable UTF-8 kept, other bytes as \xNN), and whether the last line ends. */
void tap_block(const char *label, const char *s, size_t len);
/* A title for a table row that has none, derived from its input: s escaped as
 * tap_show does (without quotes) and cut after 40 characters ("..."); returns buf. */
const char *tap_title(char *buf, size_t size, const char *s, size_t len);
/* "Bail out! ..." and exit status 1: the test cannot go on. */
void tap_bail(const char *fmt, ...) TAP_PRINTF(1, 2) TAP_NORETURN;

/* Results printed so far, and failures among them. */
int tap_count(void);
int tap_failures(void);
/* Print the plan `1..N` and return the exit status: 0 when nothing failed, else 1. */
int tap_done(void);

#endif
