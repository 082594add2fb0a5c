/* sbuf.c: growable byte buffer. */
#include "sbuf.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sbuf_free(sbuf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

extern inline void sbuf_reserve(sbuf *b, size_t extra);
extern inline void sbuf_put(sbuf *b, const char *s, size_t len);
extern inline void sbuf_putc(sbuf *b, char c);

void sbuf_grow(sbuf *b, size_t extra)
{
	if (b->cap - b->len > extra)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap - b->len <= extra) {
		if (cap > ((size_t)-1) / 2)
			tmpl_out_of_memory();
		cap *= 2;
	}
	char *p = realloc(b->buf, cap);
	if (!p)
		tmpl_out_of_memory();
	b->buf = p;
	b->cap = cap;
	b->buf[b->len] = '\0'; /* a fresh buffer is an empty string at once */
}

void sbuf_puts(sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

void sbuf_pad(sbuf *b, char c, size_t n)
{
	sbuf_reserve(b, n);
	memset(b->buf + b->len, c, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	sbuf_reserve(b, (size_t)n);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sbuf_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *sbuf_detach(sbuf *b, size_t *len)
{
	if (!b->buf)
		sbuf_reserve(b, 0);
	char *p = b->buf;
	if (len)
		*len = b->len;
	b->buf = NULL;
	b->len = b->cap = 0;
	return p;
}

void sbuf_put_int(sbuf *b, long long v)
{
	/* Two digits a step from a table: half the divisions of one at a time. */
	static const char pairs[201] = "00010203040506070809101112131415161718192021222324252627282930"
				       "31323334353637383940414243444546474849505152535455565758596061"
				       "62636465666768697071727374757677787980818283848586878889909192"
				       "93949596979899";
	char tmp[24], *e = tmp + sizeof tmp, *p = e;
	/* In unsigned arithmetic, so that the most negative value has a magnitude. */
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;
		u /= 100;
		*--p = pairs[d + 1];
		*--p = pairs[d];
	}
	if (u >= 10) {
		*--p = pairs[u * 2 + 1];
		*--p = pairs[u * 2];
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	sbuf_put(b, p, (size_t)(e - p));
}
