/* sprig_crypto.h: what sprig's random and cryptographic families (sprig_random.c, sprig_crypto.c, sprig_x509.c, sprig_scrypt.c) share. */
#ifndef TMPL_SPRIG_CRYPTO_H
#define TMPL_SPRIG_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* n bytes from the operating system's CSPRNG (getrandom); never fails. */
void sprig_rand_bytes(void *buf, size_t n);
/* A uniform random number in [0, n), n > 0, from sprig_rand_bytes. */
uint64_t sprig_rand_below(uint64_t n);

/* scrypt (RFC 7914) of password and salt with cost N (a power of two > 1),
 * block size r and parallelism p into out[0..outlen). Needs 128 * r * N bytes
 * of scratch; returns 0, or -1 when that cannot be had. */
int sprig_scrypt(const void *password, size_t plen, const void *salt, size_t slen, uint64_t N,
		 uint32_t r, uint32_t p, uint8_t *out, size_t outlen);

#endif
