/* sbuf.h: a growable byte buffer, always NUL-terminated; aborts on OOM. */
#ifndef TMPL_SBUF_H
#define TMPL_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct sbuf {
	char *buf;  /* NUL-terminated when cap > 0 */
	size_t len;
	size_t cap;
} sbuf;

#define SBUF_INIT {NULL, 0, 0}

void sbuf_free(sbuf *b);
/* Make room for extra more bytes (and the NUL) without moving len. */
void sbuf_grow(sbuf *b, size_t extra);
void sbuf_puts(sbuf *b, const char *s);
/* Append c n times. */
void sbuf_pad(sbuf *b, char c, size_t n);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append v in decimal, as "%lld" would (a tenth of the cost: numbers in JSON and YAML). */
void sbuf_put_int(sbuf *b, long long v);
void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap);
/* The calls on every output byte are inline (C99 inline: sbuf.c holds the
 * external definitions, so a program may also take their address). */
inline void sbuf_reserve(sbuf *b, size_t extra)
{
	if (b->cap - b->len <= extra)
		sbuf_grow(b, extra);
}

inline void sbuf_put(sbuf *b, const char *s, size_t len)
{
	sbuf_reserve(b, len);
	if (len)
		memcpy(b->buf + b->len, s, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

inline void sbuf_putc(sbuf *b, char c)
{
	sbuf_reserve(b, 1);
	b->buf[b->len++] = c;
	b->buf[b->len] = '\0';
}

/* Hand the buffer to the caller (malloc'd, NUL-terminated) and reset b. */
char *sbuf_detach(sbuf *b, size_t *len);

#endif
