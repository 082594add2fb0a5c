/* sprig_random.c: sprig's random functions (randAlpha, randAlphaNum, randAscii, randNumeric, randBytes, randInt, uuidv4, shuffle), drawn from the OS's CSPRNG.
 *
 * sprig's rand* strings are goutils' CryptoRandom: uniform over the letters
 * and/or digits of ' '..'z' (randAscii: every byte of ' '..'~'), "" for a
 * count <= 0. randInt and shuffle use math/rand in sprig; here every draw is
 * the CSPRNG's, with the same ranges and Go's panics for bad arguments.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base64.h"
#include "builtin.h"
#include "fnarg.h"
#include "sprig.h"
#include "sprig_crypto.h"
#include "utf8.h"

void sprig_rand_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			/* no CSPRNG: nothing random can be made, and nothing weaker may stand in */
			abort();
		}
		p += got;
		n -= (size_t)got;
	}
}

uint64_t sprig_rand_below(uint64_t n)
{
	/* rejection sampling: draws below the largest multiple of n are uniform */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, v;
	do
		sprig_rand_bytes(&v, sizeof v);
	while (v >= limit);
	return v % n;
}

/* A string of count characters drawn uniformly from alphabet. */
static int rnd_string(tmpl_call *c, const char *alphabet, const tv **r)
{
	int64_t count;
	if (fnarg_int(c, 0, &count) < 0)
		return -1;
	if (count <= 0) { /* goutils' error for a negative count; sprig drops it */
		*r = tv_string(c->arena, "", 0);
		return 0;
	}
	if (tmpl_call_budget(c, (uint64_t)count) < 0)
		return -1;
	size_t na = strlen(alphabet);
	char *s = arena_alloc(c->arena, (size_t)count + 1);
	for (int64_t i = 0; i < count; i++)
		s[i] = alphabet[sprig_rand_below(na)];
	s[count] = '\0';
	*r = tv_string_ref(c->arena, s, (size_t)count);
	return 0;
}

static const char rnd_letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char rnd_alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char rnd_digits[] = "0123456789";
static const char rnd_ascii[] = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

static int sp_randalpha(tmpl_call *c, const tv **r)
{
	return rnd_string(c, rnd_letters, r);
}

static int sp_randalphanum(tmpl_call *c, const tv **r)
{
	return rnd_string(c, rnd_alnum, r);
}

static int sp_randnumeric(tmpl_call *c, const tv **r)
{
	return rnd_string(c, rnd_digits, r);
}

static int sp_randascii(tmpl_call *c, const tv **r)
{
	return rnd_string(c, rnd_ascii, r);
}

/* base64 of count random bytes. */
static int sp_randbytes(tmpl_call *c, const tv **r)
{
	int64_t count;
	if (fnarg_int(c, 0, &count) < 0)
		return -1;
	if (count < 0) /* make([]byte, count) */
		return tmpl_call_errorf(c, "runtime error: makeslice: len out of range");
	if ((uint64_t)count > UINT64_MAX / 2 ||
	    tmpl_call_budget(c, (uint64_t)count + ((uint64_t)count + 2) / 3 * 4) < 0)
		return (uint64_t)count > UINT64_MAX / 2
			       ? tmpl_call_errorf(c, "runtime error: makeslice: len out of range")
			       : -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	unsigned char chunk[768];
	for (uint64_t left = (uint64_t)count; left > 0;) {
		size_t k = left < sizeof chunk ? (size_t)left : sizeof chunk; /* a multiple of 3 */
		sprig_rand_bytes(chunk, k);
		b64_encode(b, chunk, k);
		left -= k;
	}
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

/* rand.Intn(max-min) + min, in Go's wrapping int arithmetic. */
static int sp_randint(tmpl_call *c, const tv **r)
{
	int64_t lo, hi;
	if (fnarg_int(c, 0, &lo) < 0 || fnarg_int(c, 1, &hi) < 0)
		return -1;
	int64_t n = (int64_t)((uint64_t)hi - (uint64_t)lo);
	if (n <= 0)
		return tmpl_call_errorf(c, "invalid argument to Intn");
	*r = tv_int(c->arena, (int64_t)(sprig_rand_below((uint64_t)n) + (uint64_t)lo));
	return 0;
}

/* google/uuid's New: 122 random bits, version 4, RFC 4122 variant. */
static int sp_uuidv4(tmpl_call *c, const tv **r)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char u[16];
	char s[36];
	sprig_rand_bytes(u, sizeof u);
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	for (int i = 0, k = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			s[k++] = '-';
		s[k++] = hex[u[i] >> 4];
		s[k++] = hex[u[i] & 15];
	}
	*r = tv_string(c->arena, s, sizeof s);
	return 0;
}

/* xstrings.Shuffle: the runes of s (an invalid byte as U+FFFD) in a uniformly
 * random order (Fisher-Yates). */
static int sp_shuffle(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	if (n == 0) {
		*r = tv_string(c->arena, "", 0);
		return 0;
	}
	/* 4 bytes of rune per input byte, and up to 3 bytes of output each */
	if ((uint64_t)n > UINT64_MAX / 8 || tmpl_call_budget(c, (uint64_t)n * 7) < 0)
		return -1;
	int32_t *runes = arena_alloc(c->arena, n * sizeof *runes);
	size_t nr = 0;
	for (size_t i = 0; i < n;) {
		size_t w;
		runes[nr++] = u8_decode(s + i, n - i, &w);
		i += w;
	}
	for (size_t i = nr - 1; i > 0; i--) {
		size_t j = (size_t)sprig_rand_below((uint64_t)i + 1);
		int32_t t = runes[i];
		runes[i] = runes[j];
		runes[j] = t;
	}
	sbuf *b = tmpl_call_scratch(c, 0);
	char enc[4];
	for (size_t i = 0; i < nr; i++)
		sbuf_put(b, enc, u8_encode(enc, runes[i]));
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

const tmpl_func sprig_random_funcs[] = {
	{"randAlpha", 1, 1, 0, sp_randalpha},
	{"randAlphaNum", 1, 1, 0, sp_randalphanum},
	{"randAscii", 1, 1, 0, sp_randascii},
	{"randBytes", 1, 1, 0, sp_randbytes},
	{"randInt", 2, 2, 0, sp_randint},
	{"randNumeric", 1, 1, 0, sp_randnumeric},
	{"shuffle", 1, 1, 0, sp_shuffle},
	{"uuidv4", 0, 0, 0, sp_uuidv4},
	{NULL, 0, 0, 0, NULL}
};
