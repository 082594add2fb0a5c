/* sbuf.h: a growable byte buffer, always NUL-terminated; aborts on OOM. */
#ifndef TMPL_SBUF_H
#define TMPL_SBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sbuf {
	char *buf;  /* NUL-terminated when cap > 0 */
	size_t len;
	size_t cap;
} sbuf;

#define SBUF_INIT {NULL, 0, 0}

void sbuf_free(sbuf *b);
void sbuf_reserve(sbuf *b, size_t extra);
void sbuf_put(sbuf *b, const char *s, size_t len);
void sbuf_puts(sbuf *b, const char *s);
void sbuf_putc(sbuf *b, char c);
/* Append c n times. */
void sbuf_pad(sbuf *b, char c, size_t n);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap);
/* Hand the buffer to the caller (malloc'd, NUL-terminated) and reset b. */
char *sbuf_detach(sbuf *b, size_t *len);

#endif
