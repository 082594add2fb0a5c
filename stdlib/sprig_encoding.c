/* sprig_encoding.c: sprig's b64enc, b64dec, b32enc, b32dec, sha1sum, sha256sum, sha512sum and adler32sum, as Go's encoding/base64, encoding/base32, crypto/sha* and hash/adler32 compute them.
 *
 * Every parameter is a Go string (fnarg.h checks it). The decoders follow Go's
 * StdEncoding decoders step by step, because sprig prints the decoder's error
 * ("illegal base64 data at input byte N") in place of the result, and the
 * byte N depends on where Go's loop stops. The digests are nettle's
 * (src/digest.c), the hash library libtmpl already links for HMAC and PBKDF2.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "digest.h"
#include "fnarg.h"
#include "sprig.h"

static const char senc_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char senc_b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static int senc_ret(tmpl_call *c, sbuf *b, const tv **r)
{
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

/* base64.StdEncoding.EncodeToString */
static int senc_b64enc(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	const unsigned char *p = (const unsigned char *)s;
	sbuf *b = tmpl_call_scratch(c, 0);
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		char q[4] = {senc_b64[v >> 18], senc_b64[(v >> 12) & 63], senc_b64[(v >> 6) & 63],
			     senc_b64[v & 63]};
		sbuf_put(b, q, 4);
	}
	if (i < n) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		char q[4] = {senc_b64[v >> 18], senc_b64[(v >> 12) & 63],
			     i + 1 < n ? senc_b64[(v >> 6) & 63] : '=', '='};
		sbuf_put(b, q, 4);
	}
	return senc_ret(c, b, r);
}

static int senc_b64val(unsigned char ch)
{
	const char *f = ch ? memchr(senc_b64, ch, 64) : NULL;
	return f ? (int)(f - senc_b64) : -1;
}

/* Go's base64 decodeQuantum: one group of four from src[*si]; returns the
 * bytes decoded (0..3), or -1 with *bad the input byte Go reports. *done is
 * set once padding ended the input. */
static int senc_b64_quantum(const unsigned char *src, size_t len, size_t *si, unsigned char out[3],
			    size_t *bad, int *done)
{
	int dbuf[4] = {0, 0, 0, 0};
	int dlen = 4;
	for (int j = 0; j < 4; j++) {
		if (*si == len) {
			if (j == 0) {
				*done = 1;
				return 0;
			}
			*bad = *si - (size_t)j;
			return -1;
		}
		unsigned char in = src[(*si)++];
		int v = senc_b64val(in);
		if (v >= 0) {
			dbuf[j] = v;
			continue;
		}
		if (in == '\n' || in == '\r') {
			j--;
			continue;
		}
		if (in != '=' || j < 2) {
			*bad = *si - 1;
			return -1;
		}
		if (j == 2) { /* a second '=' must follow, after any newlines */
			while (*si < len && (src[*si] == '\n' || src[*si] == '\r'))
				(*si)++;
			if (*si == len) {
				*bad = len;
				return -1;
			}
			if (src[*si] != '=') {
				*bad = *si - 1;
				return -1;
			}
			(*si)++;
		}
		while (*si < len && (src[*si] == '\n' || src[*si] == '\r'))
			(*si)++;
		if (*si < len) { /* trailing garbage */
			*bad = *si;
			return -1;
		}
		dlen = j;
		*done = 1;
		break;
	}
	uint32_t val = (uint32_t)dbuf[0] << 18 | (uint32_t)dbuf[1] << 12 | (uint32_t)dbuf[2] << 6 |
		       (uint32_t)dbuf[3];
	out[0] = (unsigned char)(val >> 16);
	out[1] = (unsigned char)(val >> 8);
	out[2] = (unsigned char)val;
	return dlen - 1;
}

/* base64.StdEncoding.DecodeString; sprig returns the error's text instead. */
static int senc_b64dec(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	size_t si = 0, bad;
	int done = 0;
	while (si < n && !done) {
		unsigned char q[3];
		int got = senc_b64_quantum((const unsigned char *)s, n, &si, q, &bad, &done);
		if (got < 0) {
			b->len = 0;
			sbuf_printf(b, "illegal base64 data at input byte %zu", bad);
			break;
		}
		sbuf_put(b, (const char *)q, (size_t)got);
	}
	return senc_ret(c, b, r);
}

/* base32.StdEncoding.EncodeToString */
static int senc_b32enc(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	const unsigned char *p = (const unsigned char *)s;
	sbuf *b = tmpl_call_scratch(c, 0);
	/* characters that carry data for a final group of 1..4 bytes */
	static const int chars[5] = {0, 2, 4, 5, 7};
	for (size_t i = 0; i < n; i += 5) {
		size_t k = n - i < 5 ? n - i : 5;
		uint64_t v = 0;
		for (size_t j = 0; j < 5; j++)
			v = v << 8 | (j < k ? p[i + j] : 0);
		int used = k == 5 ? 8 : chars[k];
		for (int j = 0; j < 8; j++)
			sbuf_putc(b, j < used ? senc_b32[(v >> (35 - 5 * j)) & 31] : '=');
	}
	return senc_ret(c, b, r);
}

static int senc_b32val(unsigned char ch)
{
	const char *f = ch ? memchr(senc_b32, ch, 32) : NULL;
	return f ? (int)(f - senc_b32) : -1;
}

/* Go's base32 decode over src (newlines already removed): the decoded bytes
 * into b, or -1 with *bad the input byte Go reports (an offset in src). */
static int senc_b32_decode(const unsigned char *src, size_t olen, sbuf *b, size_t *bad)
{
	size_t pos = 0;
	int end = 0;
	while (pos < olen && !end) {
		int dbuf[8] = {0};
		int dlen = 8;
		for (int j = 0; j < 8;) {
			if (pos == olen) { /* the end, and padding is missing */
				*bad = olen - (size_t)j;
				return -1;
			}
			unsigned char in = src[pos++];
			size_t left = olen - pos;
			if (in == '=' && j >= 2 && left < 8) {
				if (left + (size_t)j < 7) { /* not enough padding */
					*bad = olen;
					return -1;
				}
				for (int k = 0; k < 7 - j; k++)
					if (left > (size_t)k && src[pos + (size_t)k] != '=') {
						*bad = olen - left + (size_t)k - 1;
						return -1;
					}
				dlen = j;
				end = 1;
				if (dlen == 1 || dlen == 3 || dlen == 6) {
					*bad = olen - left - 1;
					return -1;
				}
				break;
			}
			int v = senc_b32val(in);
			if (v < 0) {
				*bad = olen - left - 1;
				return -1;
			}
			dbuf[j++] = v;
		}
		unsigned char o[5] = {
			(unsigned char)(dbuf[0] << 3 | dbuf[1] >> 2),
			(unsigned char)(dbuf[1] << 6 | dbuf[2] << 1 | dbuf[3] >> 4),
			(unsigned char)(dbuf[3] << 4 | dbuf[4] >> 1),
			(unsigned char)(dbuf[4] << 7 | dbuf[5] << 2 | dbuf[6] >> 3),
			(unsigned char)(dbuf[6] << 5 | dbuf[7]),
		};
		/* characters of data -> bytes: 2 -> 1, 4 -> 2, 5 -> 3, 7 -> 4, 8 -> 5 */
		size_t nb = dlen == 8 ? 5 : dlen == 7 ? 4 : dlen == 5 ? 3 : dlen == 4 ? 2 : 1;
		sbuf_put(b, (const char *)o, nb);
	}
	return 0;
}

/* base32.StdEncoding.DecodeString (newlines dropped first); sprig returns
 * the error's text instead. */
static int senc_b32dec(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	sbuf *clean = tmpl_call_scratch(c, 1);
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n' && s[i] != '\r')
			sbuf_putc(clean, s[i]);
	sbuf *b = tmpl_call_scratch(c, 0);
	size_t bad;
	if (senc_b32_decode((const unsigned char *)(clean->buf ? clean->buf : ""), clean->len, b,
			    &bad) < 0) {
		b->len = 0;
		sbuf_printf(b, "illegal base32 data at input byte %zu", bad);
	}
	return senc_ret(c, b, r);
}

/* sprig's sha1sum, sha256sum and sha512sum: the digest of the string as hex. */
static int senc_digest(tmpl_call *c, const tv **r, digest_alg alg)
{
	const char *s;
	size_t n;
	char hex[DIGEST_HEX_MAX];
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	size_t len = digest_hex(alg, s, n, hex);
	*r = tv_string(c->arena, hex, len);
	return 0;
}

static int senc_sha1sum(tmpl_call *c, const tv **r)
{
	return senc_digest(c, r, DIGEST_SHA1);
}

static int senc_sha256sum(tmpl_call *c, const tv **r)
{
	return senc_digest(c, r, DIGEST_SHA256);
}

static int senc_sha512sum(tmpl_call *c, const tv **r)
{
	return senc_digest(c, r, DIGEST_SHA512);
}

/* hash/adler32 (RFC 1950), printed as a decimal uint32. */
static int senc_adler32sum(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	uint32_t a = 1, bsum = 0;
	for (size_t i = 0; i < n; i++) {
		a = (a + (unsigned char)s[i]) % 65521;
		bsum = (bsum + a) % 65521;
	}
	char dec[16];
	int len = snprintf(dec, sizeof dec, "%u", (unsigned)(bsum << 16 | a));
	*r = tv_string(c->arena, dec, (size_t)len);
	return 0;
}

const tmpl_func sprig_encoding_funcs[] = {
	{"adler32sum", 1, 1, 0, senc_adler32sum},
	{"b32dec", 1, 1, 0, senc_b32dec},
	{"b32enc", 1, 1, 0, senc_b32enc},
	{"b64dec", 1, 1, 0, senc_b64dec},
	{"b64enc", 1, 1, 0, senc_b64enc},
	{"sha1sum", 1, 1, 0, senc_sha1sum},
	{"sha256sum", 1, 1, 0, senc_sha256sum},
	{"sha512sum", 1, 1, 0, senc_sha512sum},
	{NULL, 0, 0, 0, NULL}
};
