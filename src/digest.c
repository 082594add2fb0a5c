/* digest.c: SHA-1/256/512 hex digests over nettle (GnuTLS's own hash library, already linked for HMAC and PBKDF2). */
#include "digest.h"

#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <stdint.h>

static size_t to_hex(const uint8_t *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
	return 2 * n;
}

size_t digest_hex(digest_alg alg, const void *data, size_t len, char *out)
{
	uint8_t d[SHA512_DIGEST_SIZE];
	switch (alg) {
	case DIGEST_SHA1: {
		struct sha1_ctx c;
		sha1_init(&c);
		sha1_update(&c, len, data);
		sha1_digest(&c, SHA1_DIGEST_SIZE, d);
		return to_hex(d, SHA1_DIGEST_SIZE, out);
	}
	case DIGEST_SHA256: {
		struct sha256_ctx c;
		sha256_init(&c);
		sha256_update(&c, len, data);
		sha256_digest(&c, SHA256_DIGEST_SIZE, d);
		return to_hex(d, SHA256_DIGEST_SIZE, out);
	}
	case DIGEST_SHA512:
	default: {
		struct sha512_ctx c;
		sha512_init(&c);
		sha512_update(&c, len, data);
		sha512_digest(&c, SHA512_DIGEST_SIZE, d);
		return to_hex(d, SHA512_DIGEST_SIZE, out);
	}
	}
}
