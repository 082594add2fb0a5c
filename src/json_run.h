/* json_run.h: the end of a run of bytes a JSON string holds as they are, found sixteen (SSE2) or eight bytes at a time. */
#ifndef TMPL_JSON_RUN_H
#define TMPL_JSON_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Bit 1: a byte a JSON string cannot hold as it is (quote, backslash, control,
 * above 0x7f); bit 2: that, or <, > and & (HTML escaping). */
static const unsigned char json_run_stop[256] = {
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

/* The byte-at-a-time search: the end of every faster one. */
static inline const char *json_run_end_bytes(const char *p, const char *end, bool html)
{
	unsigned char stop = html ? 2 : 1;
	while (p < end && !(json_run_stop[(unsigned char)*p] & stop))
		p++;
	return p;
}

/* Eight bytes at a time in plain integer code (little-endian machines). */
static inline const char *json_run_end_swar(const char *p, const char *end, bool html)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	while (end - p >= 8) {
		uint64_t x, q, b;
		memcpy(&x, p, 8);
		q = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		/* Each term sets a byte's high bit where that byte matches (the usual
		 * "has zero byte" test; a false match can only follow a true one). */
		uint64_t t = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x;
		if (html) {
			uint64_t l = x ^ (ones * '<'), g = x ^ (ones * '>'), a = x ^ (ones * '&');
			t |= ((l - ones) & ~l) | ((g - ones) & ~g) | ((a - ones) & ~a);
		}
		t &= high;
		if (t)
			return p + (__builtin_ctzll(t) >> 3);
		p += 8;
	}
#endif
	return json_run_end_bytes(p, end, html);
}

/* The first byte at or after p (before end) that is a quote, a backslash, a
 * control byte or above 0x7f, or with html also <, > or &; end if none is.
 * Strings are most of a Kubernetes object's bytes; few hold such a byte. */
static inline const char *json_run_end(const char *p, const char *end, bool html)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Signed bytes: below 0x20 are the controls and everything above 0x7f. */
		__m128i t = _mm_or_si128(_mm_cmplt_epi8(x, space),
					 _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)));
		if (html)
			t = _mm_or_si128(t, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('<')),
							 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('>')),
								      _mm_cmpeq_epi8(x, _mm_set1_epi8('&')))));
		unsigned m = (unsigned)_mm_movemask_epi8(t);
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
	return json_run_end_bytes(p, end, html);
#else
	return json_run_end_swar(p, end, html);
#endif
}

#endif
