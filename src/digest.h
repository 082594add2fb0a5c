/* digest.h: the message digests the project prints (SHA-1, SHA-256, SHA-512) as lowercase hex, computed by nettle. */
#ifndef TMPL_DIGEST_H
#define TMPL_DIGEST_H

#include <stddef.h>

typedef enum digest_alg {
	DIGEST_SHA1,   /* sprig's sha1sum (not for security) */
	DIGEST_SHA256, /* sprig's sha256sum; the injection config's version */
	DIGEST_SHA512  /* sprig's sha512sum */
} digest_alg;

/* The longest hex digest plus its NUL: SHA-512's 128 digits. */
#define DIGEST_HEX_MAX 129

/* Writes the digest of data[0..len) as lowercase hex digits and a NUL into
 * out (room for twice the digest size plus one: 41, 65, 129 bytes;
 * DIGEST_HEX_MAX fits all); returns the number of digits. */
size_t digest_hex(digest_alg alg, const void *data, size_t len, char *out);

#endif
