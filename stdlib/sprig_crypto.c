/* sprig_crypto.c: sprig's password and cipher functions: bcrypt and htpasswd (libxcrypt), encryptAES and decryptAES (GnuTLS's AES-256-CBC), derivePassword (the Master Password algorithm over scrypt and HMAC-SHA256).
 *
 * sprig returns most failures as text in the result ("invalid username: a:b",
 * "cannot find password template x"); decryptAES's Go panics on short or
 * ragged ciphertext are text/template's recovered errors, worded as Go's
 * runtime words them.
 */
#include <crypt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/hmac.h>

#include "base64.h"
#include "builtin.h"
#include "fnarg.h"
#include "sprig.h"
#include "sprig_crypto.h"
#include "tmpl.h"

typedef struct cstr {
	const char *p;
	size_t n;
} cstr;

static int cr_arg(tmpl_call *c, size_t i, cstr *s)
{
	return fnarg_string(c, i, &s->p, &s->n);
}

static int cr_ret(tmpl_call *c, const char *p, size_t n, const tv **r)
{
	*r = tv_string(c->arena, p ? p : "", n);
	return 0;
}

/* ---- bcrypt ---- */

/* golang.org/x/crypto/bcrypt's GenerateFromPassword(pw, DefaultCost): "$2a$10$"
 * with a fresh 16-byte salt, appended to out; or the failure as sprig words it. */
static void cr_bcrypt(sbuf *out, cstr pw)
{
	/* x/crypto (since before sprig 3.3.0's v0.26.0) refuses what bcrypt would
	 * silently cut at 72 bytes */
	if (pw.n > 72) {
		sbuf_puts(out, "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes");
		return;
	}
	char pwz[73], salt[CRYPT_GENSALT_OUTPUT_SIZE];
	unsigned char rnd[16];
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd)
		tmpl_out_of_memory();
	memcpy(pwz, pw.p, pw.n);
	pwz[pw.n] = '\0';
	sprig_rand_bytes(rnd, sizeof rnd);
	const char *h = NULL;
	if (cd && crypt_gensalt_rn("$2a$", 10, (const char *)rnd, sizeof rnd, salt, sizeof salt))
		h = crypt_r(pwz, salt, cd);
	if (h && h[0] == '$')
		sbuf_puts(out, h);
	else
		sbuf_puts(out, "failed to encrypt string with bcrypt: crypt(3) failed");
	explicit_bzero(pwz, sizeof pwz);
	if (cd) {
		explicit_bzero(cd, sizeof *cd);
		free(cd);
	}
}

static int sp_bcrypt(tmpl_call *c, const tv **r)
{
	cstr pw;
	if (cr_arg(c, 0, &pw) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	cr_bcrypt(b, pw);
	return cr_ret(c, b->buf, b->len, r);
}

static int sp_htpasswd(tmpl_call *c, const tv **r)
{
	cstr user, pw;
	if (cr_arg(c, 0, &user) < 0 || cr_arg(c, 1, &pw) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	if (memchr(user.p, ':', user.n)) {
		sbuf_puts(b, "invalid username: ");
		sbuf_put(b, user.p, user.n);
	} else {
		sbuf_put(b, user.p, user.n);
		sbuf_putc(b, ':');
		cr_bcrypt(b, pw);
	}
	return cr_ret(c, b->buf, b->len, r);
}

/* ---- AES ---- */

/* sprig's key: the password's first 32 bytes, zero-padded (AES-256). */
static void cr_aes_key(cstr pw, unsigned char key[32])
{
	memset(key, 0, 32);
	memcpy(key, pw.p, pw.n < 32 ? pw.n : 32);
}

static int cr_cbc(tmpl_call *c, bool enc, const unsigned char key[32], unsigned char iv[16],
		  unsigned char *buf, size_t n)
{
	gnutls_cipher_hd_t h;
	gnutls_datum_t k = {(unsigned char *)key, 32}, v = {iv, 16};
	int rc = gnutls_cipher_init(&h, GNUTLS_CIPHER_AES_256_CBC, &k, &v);
	if (rc == 0) {
		rc = enc ? gnutls_cipher_encrypt(h, buf, n) : gnutls_cipher_decrypt(h, buf, n);
		gnutls_cipher_deinit(h);
	}
	return rc < 0 ? tmpl_call_errorf(c, "%s", gnutls_strerror(rc)) : 0;
}

/* base64(IV || AES-256-CBC(key, IV, plaintext || PKCS#7 padding)). */
static int sp_encryptaes(tmpl_call *c, const tv **r)
{
	cstr pw, text;
	if (cr_arg(c, 0, &pw) < 0 || cr_arg(c, 1, &text) < 0)
		return -1;
	if (text.n == 0)
		return cr_ret(c, "", 0, r);
	size_t pad = 16 - text.n % 16, n = text.n + pad;
	if (tmpl_call_budget(c, (uint64_t)n + 16 + ((uint64_t)n + 18) / 3 * 4) < 0)
		return -1;
	unsigned char key[32];
	unsigned char *buf = malloc(16 + n);
	if (!buf)
		tmpl_out_of_memory();
	cr_aes_key(pw, key);
	sprig_rand_bytes(buf, 16);
	memcpy(buf + 16, text.p, text.n);
	memset(buf + 16 + text.n, (int)pad, pad);
	unsigned char iv[16];
	memcpy(iv, buf, 16);
	int rc = cr_cbc(c, true, key, iv, buf + 16, n);
	if (rc == 0) {
		sbuf *b = tmpl_call_scratch(c, 0);
		b64_encode(b, buf, 16 + n);
		cr_ret(c, b->buf, b->len, r);
	}
	explicit_bzero(key, sizeof key);
	free(buf);
	return rc;
}

static int sp_decryptaes(tmpl_call *c, const tv **r)
{
	cstr pw, crypt64;
	if (cr_arg(c, 0, &pw) < 0 || cr_arg(c, 1, &crypt64) < 0)
		return -1;
	if (crypt64.n == 0)
		return cr_ret(c, "", 0, r);
	size_t cap = b64_decoded_len(crypt64.n), n, bad;
	if (tmpl_call_budget(c, (uint64_t)cap * 2) < 0)
		return -1;
	unsigned char *buf = malloc(cap ? cap : 1);
	if (!buf)
		tmpl_out_of_memory();
	int rc = 0;
	if (!b64_decode(crypt64.p, crypt64.n, buf, &n, &bad)) {
		rc = tmpl_call_errorf(c, "illegal base64 data at input byte %zu", bad);
		goto done;
	}
	/* Go slices the decoded bytes: iv := crypt[:16] (within the capacity),
	 * crypt = crypt[16:] (within the length); the panics are text/template's */
	if (cap < 16) {
		rc = tmpl_call_errorf(c, "runtime error: slice bounds out of range [:16] with capacity %zu", cap);
		goto done;
	}
	if (n < 16) {
		rc = tmpl_call_errorf(c, "runtime error: slice bounds out of range [16:%zu]", n);
		goto done;
	}
	if ((n - 16) % 16 != 0) {
		rc = tmpl_call_errorf(c, "crypto/cipher: input not full blocks");
		goto done;
	}
	if (n == 16) {
		rc = tmpl_call_errorf(c, "runtime error: index out of range [-1]");
		goto done;
	}
	unsigned char key[32], iv[16];
	cr_aes_key(pw, key);
	memcpy(iv, buf, 16);
	rc = cr_cbc(c, false, key, iv, buf + 16, n - 16);
	explicit_bzero(key, sizeof key);
	if (rc < 0)
		goto done;
	/* sprig trusts the last byte as the padding's length, unchecked */
	size_t len = n - 16, last = buf[n - 1];
	if (last > len) {
		rc = tmpl_call_errorf(c, "runtime error: slice bounds out of range [:-%zu]", last - len);
		goto done;
	}
	cr_ret(c, (const char *)buf + 16, len - last, r);
done:
	free(buf);
	return rc;
}

/* ---- derivePassword ---- */

/* The Master Password algorithm's site-password templates and their
 * character classes, as sprig has them. */
typedef struct cr_mp_type {
	const char *name;
	const char *const *templates;
	size_t n;
} cr_mp_type;

static const char *const cr_mp_maximum[] = {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"};
static const char *const cr_mp_long[] = {
	"CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
	"CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
	"CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
	"CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
	"CvccCvcvCvccno"};
static const char *const cr_mp_medium[] = {"CvcnoCvc", "CvcCvcno"};
static const char *const cr_mp_short[] = {"Cvcn"};
static const char *const cr_mp_basic[] = {"aaanaaan", "aannaaan", "aaannaaa"};
static const char *const cr_mp_pin[] = {"nnnn"};
#define CR_MP(name, t) {name, t, sizeof t / sizeof t[0]}
static const cr_mp_type cr_mp_types[] = {
	CR_MP("maximum", cr_mp_maximum), CR_MP("long", cr_mp_long), CR_MP("medium", cr_mp_medium),
	CR_MP("short", cr_mp_short),     CR_MP("basic", cr_mp_basic), CR_MP("pin", cr_mp_pin),
};

static const char *cr_mp_chars(char cls)
{
	switch (cls) {
	case 'V': return "AEIOU";
	case 'C': return "BCDFGHJKLMNPQRSTVWXYZ";
	case 'v': return "aeiou";
	case 'c': return "bcdfghjklmnpqrstvwxyz";
	case 'A': return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
	case 'a': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
	case 'n': return "0123456789";
	case 'o': return "@&%?,=[]_:-+*$#!'^~;()/.";
	default: return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
	}
}

static void cr_put_be32(sbuf *b, uint32_t v)
{
	char p[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
	sbuf_put(b, p, 4);
}

/* A Go uint32 parameter: a constant is converted as reflect's SetUint does
 * (truncated), a negative one refused in Go's words. */
static int cr_arg_uint32(tmpl_call *c, size_t i, uint32_t *out)
{
	const tv *v = c->args[i];
	if (v && !v->type && v->kind == TV_INT) {
		if (v->u.i < 0)
			return tmpl_call_typef(c, "expected unsigned integer; found %lld", (long long)v->u.i);
		*out = (uint32_t)v->u.i;
		return 0;
	}
	if (v && !v->type && v->kind == TV_FLOAT && v->u.f >= 0 && v->u.f < 18446744073709551616.0 &&
	    v->u.f == (double)(uint64_t)v->u.f) {
		*out = (uint32_t)(uint64_t)v->u.f;
		return 0;
	}
	return fnarg_type_error(c, "uint32", v);
}

#define CR_MP_SEED "com.lyndir.masterpassword"

static int sp_derivepassword(tmpl_call *c, const tv **r)
{
	uint32_t counter = 0;
	cstr type, pw, user, site;
	if (cr_arg_uint32(c, 0, &counter) < 0 || cr_arg(c, 1, &type) < 0 || cr_arg(c, 2, &pw) < 0 ||
	    cr_arg(c, 3, &user) < 0 || cr_arg(c, 4, &site) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	const cr_mp_type *t = NULL;
	for (size_t i = 0; i < sizeof cr_mp_types / sizeof cr_mp_types[0]; i++)
		if (strlen(cr_mp_types[i].name) == type.n && memcmp(cr_mp_types[i].name, type.p, type.n) == 0)
			t = &cr_mp_types[i];
	if (!t) {
		sbuf_puts(b, "cannot find password template ");
		sbuf_put(b, type.p, type.n);
		return cr_ret(c, b->buf, b->len, r);
	}
	/* scrypt's N = 32768, r = 8: 32 MiB of scratch for the call */
	if (tmpl_call_budget(c, 128u * 8u * 32768u) < 0)
		return -1;
	/* key = scrypt(password, seed || len(user) || user, 32768, 8, 2, 64); the
	 * lengths are Go's uint32(len(s)), big-endian */
	sbuf_puts(b, CR_MP_SEED);
	cr_put_be32(b, (uint32_t)user.n);
	sbuf_put(b, user.p, user.n);
	uint8_t key[64], seed[SHA256_DIGEST_SIZE];
	if (sprig_scrypt(pw.p, pw.n, b->buf, b->len, 32768, 8, 2, key, sizeof key) < 0)
		tmpl_out_of_memory();
	/* seed = HMAC-SHA256(key, seed || len(site) || site || counter) */
	b->len = 0;
	sbuf_puts(b, CR_MP_SEED);
	cr_put_be32(b, (uint32_t)site.n);
	sbuf_put(b, site.p, site.n);
	cr_put_be32(b, counter);
	struct hmac_sha256_ctx h;
	hmac_sha256_set_key(&h, sizeof key, key);
	hmac_sha256_update(&h, b->len, (const uint8_t *)b->buf);
	hmac_sha256_digest(&h, sizeof seed, seed);
	explicit_bzero(key, sizeof key);
	explicit_bzero(&h, sizeof h);
	const char *tpl = t->templates[seed[0] % t->n];
	b->len = 0;
	for (size_t i = 0; tpl[i]; i++) {
		const char *chars = cr_mp_chars(tpl[i]);
		sbuf_putc(b, chars[seed[i + 1] % strlen(chars)]);
	}
	return cr_ret(c, b->buf, b->len, r);
}

const tmpl_func sprig_crypto_funcs[] = {
	{"bcrypt", 1, 1, 0, sp_bcrypt},
	{"decryptAES", 2, 2, 0, sp_decryptaes},
	{"derivePassword", 5, 5, 0, sp_derivepassword},
	{"encryptAES", 2, 2, 0, sp_encryptaes},
	{"htpasswd", 2, 2, 0, sp_htpasswd},
	{NULL, 0, 0, 0, NULL}
};
