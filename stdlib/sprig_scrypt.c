/* sprig_scrypt.c: scrypt (RFC 7914: PBKDF2-HMAC-SHA256 around ROMix of Salsa20/8 BlockMix), for derivePassword, as golang.org/x/crypto/scrypt computes it.
 *
 * Neither GnuTLS nor nettle offers scrypt; it is small enough to keep here,
 * written from the RFC (its test vectors are in tests/unit/scrypt_test.c).
 */
#include <stdlib.h>
#include <string.h>

#include <nettle/pbkdf2.h>

#include "sprig_crypto.h"

static uint32_t scr_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void scr_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#define SCR_ROTL(v, n) ((uint32_t)((v) << (n)) | ((v) >> (32 - (n))))

/* Salsa20/8 core (RFC 7914 section 3) on 16 words, in place. */
static void scr_salsa8(uint32_t b[16])
{
	uint32_t x[16];
	memcpy(x, b, sizeof x);
	for (int i = 0; i < 8; i += 2) {
		/* columns */
		x[4] ^= SCR_ROTL(x[0] + x[12], 7);
		x[8] ^= SCR_ROTL(x[4] + x[0], 9);
		x[12] ^= SCR_ROTL(x[8] + x[4], 13);
		x[0] ^= SCR_ROTL(x[12] + x[8], 18);
		x[9] ^= SCR_ROTL(x[5] + x[1], 7);
		x[13] ^= SCR_ROTL(x[9] + x[5], 9);
		x[1] ^= SCR_ROTL(x[13] + x[9], 13);
		x[5] ^= SCR_ROTL(x[1] + x[13], 18);
		x[14] ^= SCR_ROTL(x[10] + x[6], 7);
		x[2] ^= SCR_ROTL(x[14] + x[10], 9);
		x[6] ^= SCR_ROTL(x[2] + x[14], 13);
		x[10] ^= SCR_ROTL(x[6] + x[2], 18);
		x[3] ^= SCR_ROTL(x[15] + x[11], 7);
		x[7] ^= SCR_ROTL(x[3] + x[15], 9);
		x[11] ^= SCR_ROTL(x[7] + x[3], 13);
		x[15] ^= SCR_ROTL(x[11] + x[7], 18);
		/* rows */
		x[1] ^= SCR_ROTL(x[0] + x[3], 7);
		x[2] ^= SCR_ROTL(x[1] + x[0], 9);
		x[3] ^= SCR_ROTL(x[2] + x[1], 13);
		x[0] ^= SCR_ROTL(x[3] + x[2], 18);
		x[6] ^= SCR_ROTL(x[5] + x[4], 7);
		x[7] ^= SCR_ROTL(x[6] + x[5], 9);
		x[4] ^= SCR_ROTL(x[7] + x[6], 13);
		x[5] ^= SCR_ROTL(x[4] + x[7], 18);
		x[11] ^= SCR_ROTL(x[10] + x[9], 7);
		x[8] ^= SCR_ROTL(x[11] + x[10], 9);
		x[9] ^= SCR_ROTL(x[8] + x[11], 13);
		x[10] ^= SCR_ROTL(x[9] + x[8], 18);
		x[12] ^= SCR_ROTL(x[15] + x[14], 7);
		x[13] ^= SCR_ROTL(x[12] + x[15], 9);
		x[14] ^= SCR_ROTL(x[13] + x[12], 13);
		x[15] ^= SCR_ROTL(x[14] + x[13], 18);
	}
	for (int i = 0; i < 16; i++)
		b[i] += x[i];
}

/* BlockMix (section 4) of the 2r 16-word blocks in b into y. */
static void scr_blockmix(const uint32_t *b, uint32_t *y, uint32_t r)
{
	uint32_t x[16];
	memcpy(x, b + (2 * r - 1) * 16, sizeof x);
	for (uint32_t i = 0; i < 2 * r; i++) {
		for (int k = 0; k < 16; k++)
			x[k] ^= b[i * 16 + k];
		scr_salsa8(x);
		/* even blocks first, then odd ones */
		memcpy(y + ((i & 1) * r + i / 2) * 16, x, sizeof x);
	}
}

/* ROMix (section 5) of one 128r-byte block, in place; v has room for N blocks. */
static void scr_romix(uint8_t *block, uint32_t r, uint64_t N, uint32_t *v, uint32_t *x, uint32_t *t)
{
	size_t words = 32 * (size_t)r;
	for (size_t k = 0; k < words; k++)
		x[k] = scr_le32(block + 4 * k);
	for (uint64_t i = 0; i < N; i++) {
		memcpy(v + i * words, x, words * 4);
		scr_blockmix(x, t, r);
		memcpy(x, t, words * 4);
	}
	for (uint64_t i = 0; i < N; i++) {
		/* Integerify: the last block's first 64 bits, little-endian */
		uint64_t j = ((uint64_t)x[words - 16] | (uint64_t)x[words - 15] << 32) & (N - 1);
		for (size_t k = 0; k < words; k++)
			x[k] ^= v[j * words + k];
		scr_blockmix(x, t, r);
		memcpy(x, t, words * 4);
	}
	for (size_t k = 0; k < words; k++)
		scr_put_le32(block + 4 * k, x[k]);
}

int sprig_scrypt(const void *password, size_t plen, const void *salt, size_t slen, uint64_t N,
		 uint32_t r, uint32_t p, uint8_t *out, size_t outlen)
{
	size_t blen = 128 * (size_t)r;
	uint8_t *b = malloc(blen * p);
	uint32_t *v = malloc(blen * N);
	uint32_t *x = malloc(blen), *t = malloc(blen);
	int rc = -1;
	if (!b || !v || !x || !t)
		goto done;
	pbkdf2_hmac_sha256(plen, password, 1, slen, salt, blen * p, b);
	for (uint32_t i = 0; i < p; i++)
		scr_romix(b + i * blen, r, N, v, x, t);
	pbkdf2_hmac_sha256(plen, password, 1, blen * p, b, outlen, out);
	rc = 0;
done:
	free(b);
	free(v);
	free(x);
	free(t);
	return rc;
}
