/* sha256.h: SHA-256 (FIPS 180-4), one-shot and incremental, with a lowercase hex form. */
#ifndef TMPL_SHA256_H
#define TMPL_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
	uint32_t h[8];
	uint64_t nbytes;      /* message length so far */
	unsigned char buf[64];
	size_t nbuf;          /* bytes waiting in buf */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Write the 32-byte digest; c must be initialised again before reuse. */
void sha256_final(sha256_ctx *c, unsigned char out[32]);
/* The digest of data[0..len) as 64 lowercase hex digits plus a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
