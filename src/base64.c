/* base64.c: Go's encoding/base64 StdEncoding (padded, not strict), byte for byte, errors at Go's offsets. */
#include "base64.h"

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void b64_encode(sbuf *out, const void *p, size_t n)
{
	const unsigned char *s = p;
	sbuf_reserve(out, (n + 2) / 3 * 4);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char q[4] = {b64_alphabet[v >> 18 & 63], b64_alphabet[v >> 12 & 63],
			     i + 1 < n ? b64_alphabet[v >> 6 & 63] : '=',
			     i + 2 < n ? b64_alphabet[v & 63] : '='};
		sbuf_put(out, q, 4);
	}
}

size_t b64_decoded_len(size_t n)
{
	return n / 4 * 3;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool b64_newline(unsigned char c)
{
	return c == '\n' || c == '\r';
}

/* One quantum from s[*si..] as Go's decodeQuantum reads it: up to 4 symbols,
 * newlines skipped, padding ending the input. Returns the symbols read (0 at
 * the end), or -1 with *bad set. */
static int b64_quantum(const unsigned char *s, size_t n, size_t *si, unsigned char q[4], size_t *bad)
{
	size_t i = *si;
	int j;
	for (j = 0; j < 4; j++) {
		if (i == n) {
			if (j == 0)
				break;
			*bad = i - (size_t)j; /* a padded encoding wants whole quanta */
			return -1;
		}
		unsigned char c = s[i++];
		int v = b64_value(c);
		if (v >= 0) {
			q[j] = (unsigned char)v;
			continue;
		}
		if (b64_newline(c)) {
			j--;
			continue;
		}
		if (c != '=' || j < 2) {
			*bad = i - 1;
			return -1;
		}
		if (j == 2) { /* "==": the second '=' after any newlines */
			while (i < n && b64_newline(s[i]))
				i++;
			if (i == n) {
				*bad = n;
				return -1;
			}
			if (s[i] != '=') {
				*bad = i - 1;
				return -1;
			}
			i++;
		}
		while (i < n && b64_newline(s[i]))
			i++;
		if (i < n) { /* data after the padding */
			*bad = i;
			return -1;
		}
		break;
	}
	*si = i;
	return j;
}

bool b64_decode(const char *src, size_t n, unsigned char *dst, size_t *dlen, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t si = 0, k = 0;
	*dlen = 0;
	while (si < n) {
		unsigned char q[4] = {0, 0, 0, 0};
		int got = b64_quantum(s, n, &si, q, bad);
		if (got < 0)
			return false;
		if (got == 0)
			break;
		unsigned v = (unsigned)q[0] << 18 | (unsigned)q[1] << 12 | (unsigned)q[2] << 6 | q[3];
		dst[k++] = (unsigned char)(v >> 16);
		if (got > 2)
			dst[k++] = (unsigned char)(v >> 8);
		if (got > 3)
			dst[k++] = (unsigned char)v;
		*dlen = k;
	}
	return true;
}
