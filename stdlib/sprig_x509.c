/* sprig_x509.c: sprig's key and certificate functions (genPrivateKey, genCA, genSelfSignedCert, genSignedCert, their *WithKey forms, buildCustomCert) over GnuTLS, with the fields, PEM types and error texts of sprig over Go's crypto/x509.
 *
 * A certificate is the Go struct sprig.certificate{Cert, Key string}: PEM
 * texts. Certificates have a random 128-bit serial, the subject CN only,
 * NotBefore now and NotAfter daysValid days later, key usages
 * digitalSignature + keyEncipherment (+ keyCertSign and CA:TRUE for genCA),
 * extended usages serverAuth + clientAuth, DNS then IP alternative names, a
 * subject key id on CAs and the CA's as authority key id on what a CA signs
 * (Go's rules). Keys come out as sprig writes them: "RSA PRIVATE KEY"
 * (PKCS#1), "DSA PRIVATE KEY", "EC PRIVATE KEY" (SEC 1), Ed25519 as
 * "PRIVATE KEY" (PKCS#8).
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>

#include "base64.h"
#include "builtin.h"
#include "fmt.h"
#include "fnarg.h"
#include "sprig.h"
#include "sprig_crypto.h"
#include "types.h"
#include "types/tables.h"
#include "tmpl.h"

/* Keys a template hands in are bounded: signing with a huge RSA key costs
 * cubic time. Go has no bound; no real key comes near it. */
#define X5_MAX_KEY_BITS 16384

static const tmpl_field x5_cert_fields[] = {
	{"Cert", "Cert", &types_go_string, 0},
	{"Key", "Key", &types_go_string, 0},
};
/* sprig's certificate struct, as Go's %T and error messages name it. */
static const tmpl_type x5_cert_type = {
	.kind = TK_STRUCT, .go_name = "sprig.certificate", .fields = x5_cert_fields, .nfields = 2};

/* malloc, or the project's out-of-memory exit. */
static void *x5_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		tmpl_out_of_memory();
	return p;
}

typedef struct x5_str {
	const char *p;
	size_t n;
} x5_str;

/* ---- PEM ---- */

/* One line of s[0..n) as Go's pem getLine: up to '\n', " \t\r" trimmed at the
 * end; *next is past the newline (or n). */
static x5_str x5_line(const char *s, size_t n, size_t *next)
{
	const char *nl = memchr(s, '\n', n);
	size_t end = nl ? (size_t)(nl - s) : n;
	*next = nl ? end + 1 : n;
	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r'))
		end--;
	return (x5_str){s, end};
}

static bool x5_has_prefix(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);
	return n >= k && memcmp(s, pre, k) == 0;
}

static const char *x5_find(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle));
}

typedef struct x5_pem {
	x5_str type;
	unsigned char *der; /* malloc'd */
	size_t len;
} x5_pem;

/* Go's pem.Decode: the first well-formed block of s, else false. */
static bool x5_pem_decode(const char *s, size_t n, x5_pem *out)
{
	const char *rest = s;
	size_t rn = n;
	for (;;) {
		if (x5_has_prefix(rest, rn, "-----BEGIN ")) {
			rest += 11, rn -= 11;
		} else {
			const char *at = x5_find(rest, rn, "\n-----BEGIN ");
			if (!at)
				return false;
			rn -= (size_t)(at + 12 - rest);
			rest = at + 12;
		}
		size_t next;
		x5_str type = x5_line(rest, rn, &next);
		rest += next, rn -= next;
		if (type.n < 5 || memcmp(type.p + type.n - 5, "-----", 5) != 0)
			continue;
		type.n -= 5;
		bool headers = false;
		for (;;) {
			if (rn == 0)
				return false;
			x5_str line = x5_line(rest, rn, &next);
			if (!memchr(line.p, ':', line.n))
				break;
			headers = true;
			rest += next, rn -= next;
		}
		size_t end, trailer;
		if (!headers && x5_has_prefix(rest, rn, "-----END ")) {
			end = 0;
			trailer = 9;
		} else {
			const char *at = x5_find(rest, rn, "\n-----END ");
			if (!at)
				continue;
			end = (size_t)(at - rest);
			trailer = end + 10;
		}
		size_t tlen = type.n + 5;
		if (rn - trailer < tlen || memcmp(rest + trailer, type.p, type.n) != 0 ||
		    memcmp(rest + trailer + type.n, "-----", 5) != 0)
			continue;
		if (x5_line(rest + trailer + tlen, rn - trailer - tlen, &next).n != 0)
			continue;
		/* the body without spaces and tabs; base64 skips the newlines */
		char *b64 = x5_alloc(end + 1);
		size_t bn = 0;
		for (size_t i = 0; i < end; i++)
			if (rest[i] != ' ' && rest[i] != '\t')
				b64[bn++] = rest[i];
		unsigned char *der = x5_alloc(b64_decoded_len(bn) + 1);
		size_t dlen, bad;
		bool ok = b64_decode(b64, bn, der, &dlen, &bad);
		free(b64);
		if (!ok) {
			free(der);
			continue;
		}
		out->type = type;
		out->der = der;
		out->len = dlen;
		return true;
	}
}

/* ---- keys ---- */

static bool x5_type_is(x5_str t, const char *s)
{
	return t.n == strlen(s) && memcmp(t.p, s, t.n) == 0;
}

/* sprig's parsePrivateKeyPEM into *key (to deinit), or an error message in msg. */
static bool x5_parse_key(const char *pem, size_t n, gnutls_x509_privkey_t *key, sbuf *msg)
{
	x5_pem blk;
	if (!x5_pem_decode(pem, n, &blk)) {
		sbuf_puts(msg, "no PEM data in input");
		return false;
	}
	gnutls_x509_privkey_t k;
	gnutls_x509_privkey_init(&k);
	gnutls_datum_t der = {blk.der, (unsigned)blk.len};
	const char *want = NULL, *prefix = NULL;
	int rc, alg;
	if (x5_type_is(blk.type, "PRIVATE KEY")) {
		prefix = "decoding PEM as PKCS#8: ";
		rc = gnutls_x509_privkey_import_pkcs8(k, &der, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN);
		alg = rc < 0 ? 0 : gnutls_x509_privkey_get_pk_algorithm(k);
		if (rc >= 0 && alg != GNUTLS_PK_RSA && alg != GNUTLS_PK_ECDSA && alg != GNUTLS_PK_EDDSA_ED25519) {
			sbuf_puts(msg, prefix);
			sbuf_puts(msg, alg == GNUTLS_PK_DSA
					       ? "x509: PKCS#8 wrapping contained private key with unknown algorithm: 1.2.840.10040.4.1"
					       : "x509: PKCS#8 wrapping contained private key with unknown algorithm");
			goto fail;
		}
	} else if (blk.type.n < 12 || memcmp(blk.type.p + blk.type.n - 12, " PRIVATE KEY", 12) != 0) {
		sbuf_puts(msg, "no private key data in PEM block of type ");
		sbuf_put(msg, blk.type.p, blk.type.n);
		goto fail;
	} else {
		x5_str kind = {blk.type.p, blk.type.n - 12};
		if (x5_type_is(kind, "RSA")) {
			want = "RSA", prefix = "parsing RSA private key from PEM: ", alg = GNUTLS_PK_RSA;
		} else if (x5_type_is(kind, "EC")) {
			want = "EC", prefix = "parsing EC private key from PEM: ", alg = GNUTLS_PK_ECDSA;
		} else if (x5_type_is(kind, "DSA")) {
			want = "DSA", prefix = "parsing DSA private key from PEM: ", alg = GNUTLS_PK_DSA;
		} else {
			sbuf_puts(msg, "invalid private key type ");
			sbuf_put(msg, blk.type.p, blk.type.n);
			goto fail;
		}
		rc = gnutls_x509_privkey_import(k, &der, GNUTLS_X509_FMT_DER);
		if (rc >= 0 && gnutls_x509_privkey_get_pk_algorithm(k) != alg)
			rc = GNUTLS_E_ASN1_DER_ERROR; /* the wrong structure for the block's type */
	}
	(void)want;
	if (rc < 0) {
		sbuf_puts(msg, prefix);
		sbuf_puts(msg, "asn1: structure error: ");
		sbuf_puts(msg, gnutls_strerror(rc));
		goto fail;
	}
	unsigned bits = 0;
	gnutls_x509_privkey_get_pk_algorithm2(k, &bits);
	if (bits > X5_MAX_KEY_BITS) {
		sbuf_puts(msg, prefix);
		sbuf_printf(msg, "key of %u bits is over the %u bits this renderer allows", bits, X5_MAX_KEY_BITS);
		goto fail;
	}
	free(blk.der);
	*key = k;
	return true;
fail:
	free(blk.der);
	gnutls_x509_privkey_deinit(k);
	return false;
}

/* A new key of Go's kind: RSA of bits, DSA L2048N256, ECDSA P-256, Ed25519. */
static int x5_generate(gnutls_x509_privkey_t *key, int alg, unsigned bits)
{
	gnutls_x509_privkey_init(key);
	if (alg == GNUTLS_PK_ECDSA)
		bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1);
	int rc = gnutls_x509_privkey_generate(*key, alg, bits, 0);
	if (rc < 0)
		gnutls_x509_privkey_deinit(*key);
	return rc;
}

/* sprig's pemBlockForKey: the key's PEM in the block type Go writes. */
static int x5_export_key(gnutls_x509_privkey_t k, sbuf *out)
{
	gnutls_datum_t d = {NULL, 0};
	int rc = gnutls_x509_privkey_get_pk_algorithm(k) == GNUTLS_PK_EDDSA_ED25519
			 ? gnutls_x509_privkey_export2_pkcs8(k, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &d)
			 : gnutls_x509_privkey_export2(k, GNUTLS_X509_FMT_PEM, &d);
	if (rc >= 0)
		sbuf_put(out, (const char *)d.data, d.size);
	if (d.data) {
		gnutls_memset(d.data, 0, d.size);
		gnutls_free(d.data);
	}
	return rc;
}

static int sp_genprivatekey(tmpl_call *c, const tv **r)
{
	const char *t;
	size_t n;
	if (fnarg_string(c, 0, &t, &n) < 0)
		return -1;
	x5_str typ = {t, n};
	sbuf *b = tmpl_call_scratch(c, 0);
	int alg;
	unsigned bits = 0;
	if (n == 0 || x5_type_is(typ, "rsa"))
		alg = GNUTLS_PK_RSA, bits = 4096;
	else if (x5_type_is(typ, "dsa"))
		alg = GNUTLS_PK_DSA, bits = 2048;
	else if (x5_type_is(typ, "ecdsa"))
		alg = GNUTLS_PK_ECDSA;
	else if (x5_type_is(typ, "ed25519"))
		alg = GNUTLS_PK_EDDSA_ED25519, bits = 256;
	else {
		sbuf_puts(b, "Unknown type ");
		sbuf_put(b, t, n);
		*r = tv_string(c->arena, b->buf, b->len);
		return 0;
	}
	gnutls_x509_privkey_t k;
	int rc = x5_generate(&k, alg, bits);
	if (rc >= 0) {
		rc = x5_export_key(k, b);
		gnutls_x509_privkey_deinit(k);
	}
	if (rc < 0) {
		b->len = 0;
		sbuf_printf(b, "failed to generate private key: %s", gnutls_strerror(rc));
	}
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

/* ---- certificates ---- */

/* A Go []interface {} parameter: a list, or nil (an empty list). */
static int x5_arg_list(tmpl_call *c, size_t i, const tv **out)
{
	const tv *v = c->args[i];
	if (sprig_is_nil(v)) {
		*out = NULL;
		return 0;
	}
	if (v->kind != TV_LIST || v->type)
		return fnarg_type_error(c, "[]interface {}", v);
	*out = v;
	return 0;
}

/* A sprig.certificate parameter: its Cert and Key. */
static int x5_arg_cert(tmpl_call *c, size_t i, x5_str *cert, x5_str *key)
{
	const tv *v = c->args[i];
	if (!v || v->kind != TV_STRUCT || v->type != &x5_cert_type)
		return fnarg_type_error(c, "sprig.certificate", v);
	const tv *raw = v->u.strct.raw;
	const tv *cv = raw ? tv_map_get(raw, "Cert", 4) : NULL, *kv = raw ? tv_map_get(raw, "Key", 3) : NULL;
	*cert = cv && cv->kind == TV_STRING ? (x5_str){cv->u.s.ptr, cv->u.s.len} : (x5_str){"", 0};
	*key = kv && kv->kind == TV_STRING ? (x5_str){kv->u.s.ptr, kv->u.s.len} : (x5_str){"", 0};
	return 0;
}

/* What getBaseCertTemplate takes from the template's arguments. */
typedef struct x5_req {
	x5_str cn;
	const tv *ips, *dns; /* lists or NULL */
	int64_t days;
	bool ca;
} x5_req;

/* getNetIPs and getAlternateDNSStrs: every element a string, every IP one
 * net.ParseIP reads (dotted IPv4 without leading zeros, or IPv6). */
static bool x5_check_names(const x5_req *q, sbuf *msg)
{
	for (size_t i = 0; q->ips && i < q->ips->u.list.len; i++) {
		const tv *e = q->ips->u.list.items[i];
		if (e->kind != TV_STRING || e->type) {
			sbuf_puts(msg, "error parsing ip: ");
			fmt_value(msg, e);
			sbuf_puts(msg, " is not a string");
			return false;
		}
		unsigned char ip[16];
		if (strlen(e->u.s.ptr) != e->u.s.len ||
		    (inet_pton(AF_INET, e->u.s.ptr, ip) != 1 && inet_pton(AF_INET6, e->u.s.ptr, ip) != 1)) {
			sbuf_puts(msg, "error parsing ip: ");
			sbuf_put(msg, e->u.s.ptr, e->u.s.len);
			return false;
		}
	}
	for (size_t i = 0; q->dns && i < q->dns->u.list.len; i++) {
		const tv *e = q->dns->u.list.items[i];
		if (e->kind != TV_STRING || e->type) {
			sbuf_puts(msg, "error processing alternate dns name: ");
			fmt_value(msg, e);
			sbuf_puts(msg, " is not a string");
			return false;
		}
	}
	return true;
}

/* net.IP of a checked address as Go writes it in a certificate: 4 bytes for
 * IPv4 (an IPv4-mapped IPv6 address too), else 16; returns the length. */
static unsigned x5_ip(const char *s, unsigned char ip[16])
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (inet_pton(AF_INET, s, ip) == 1)
		return 4;
	inet_pton(AF_INET6, s, ip);
	if (memcmp(ip, mapped, 12) == 0) {
		memmove(ip, ip + 12, 4);
		return 4;
	}
	return 16;
}

/* Go's NotAfter: now + time.Duration(days) * 24h, the product wrapping in int64 nanoseconds. */
static time_t x5_not_after(time_t now, int64_t days)
{
	int64_t ns = (int64_t)((uint64_t)days * UINT64_C(86400000000000));
	int64_t s = ns / 1000000000;
	if (ns % 1000000000 < 0)
		s--;
	return now + s;
}

/* The digest Go's x509 signs with for the signer's key. */
static gnutls_digest_algorithm_t x5_digest(gnutls_x509_privkey_t k)
{
	gnutls_ecc_curve_t curve;
	switch (gnutls_x509_privkey_get_pk_algorithm(k)) {
	case GNUTLS_PK_ECDSA:
		if (gnutls_x509_privkey_export_ecc_raw(k, &curve, NULL, NULL, NULL) >= 0) {
			if (curve == GNUTLS_ECC_CURVE_SECP384R1)
				return GNUTLS_DIG_SHA384;
			if (curve == GNUTLS_ECC_CURVE_SECP521R1)
				return GNUTLS_DIG_SHA512;
		}
		return GNUTLS_DIG_SHA256;
	case GNUTLS_PK_EDDSA_ED25519:
		return GNUTLS_DIG_SHA512;
	default:
		return GNUTLS_DIG_SHA256;
	}
}

#define X5_TRY(call)                                                                                   \
	do {                                                                                           \
		if ((rc = (call)) < 0)                                                                 \
			goto fail;                                                                     \
	} while (0)

/* A uniform serial in [0, 2^128), as a positive DER INTEGER. */
static int x5_set_serial(gnutls_x509_crt_t crt)
{
	unsigned char serial[17];
	sprig_rand_bytes(serial + 1, 16);
	serial[0] = 0;
	size_t off = 1;
	while (off < 16 && serial[off] == 0)
		off++;
	if (serial[off] & 0x80)
		off--;
	return gnutls_x509_crt_set_serial(crt, serial + off, sizeof serial - off);
}

/* Go gives a CA a subject key id (SHA-1 of its public key), and a certificate
 * the issuer's as authority key id when issuer and subject differ. */
static int x5_set_key_ids(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, bool ca)
{
	unsigned char kid[64];
	size_t kidlen = sizeof kid;
	int rc;
	if (ca) {
		if ((rc = gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, kid, &kidlen)) < 0 ||
		    (rc = gnutls_x509_crt_set_subject_key_id(crt, kid, kidlen)) < 0)
			return rc;
	}
	if (!issuer)
		return 0;
	gnutls_datum_t idn = {NULL, 0}, sdn = {NULL, 0};
	kidlen = sizeof kid;
	bool differ = gnutls_x509_crt_get_raw_dn(issuer, &idn) < 0 ||
		      gnutls_x509_crt_get_raw_dn(crt, &sdn) < 0 || idn.size != sdn.size ||
		      memcmp(idn.data, sdn.data, idn.size) != 0;
	gnutls_free(idn.data);
	gnutls_free(sdn.data);
	if (differ && gnutls_x509_crt_get_subject_key_id(issuer, kid, &kidlen, NULL) >= 0)
		return gnutls_x509_crt_set_authority_key_id(crt, kid, kidlen);
	return 0;
}

/* The alternative names: DNS names, then IPs (Go's order); critical when the
 * subject is empty (RFC 5280 4.2.1.6, as Go marks it). */
static int x5_set_sans(gnutls_x509_crt_t crt, const x5_req *q)
{
	if (!(q->dns && q->dns->u.list.len) && !(q->ips && q->ips->u.list.len))
		return 0;
	gnutls_subject_alt_names_t sans;
	gnutls_datum_t ext = {NULL, 0};
	int rc = gnutls_subject_alt_names_init(&sans);
	if (rc < 0)
		return rc;
	for (size_t i = 0; rc >= 0 && q->dns && i < q->dns->u.list.len; i++) {
		const tv *e = q->dns->u.list.items[i];
		gnutls_datum_t d = {(unsigned char *)e->u.s.ptr, (unsigned)e->u.s.len};
		rc = gnutls_subject_alt_names_set(sans, GNUTLS_SAN_DNSNAME, &d, NULL);
	}
	for (size_t i = 0; rc >= 0 && q->ips && i < q->ips->u.list.len; i++) {
		unsigned char ip[16];
		gnutls_datum_t d = {ip, x5_ip(q->ips->u.list.items[i]->u.s.ptr, ip)};
		rc = gnutls_subject_alt_names_set(sans, GNUTLS_SAN_IPADDRESS, &d, NULL);
	}
	if (rc >= 0)
		rc = gnutls_x509_ext_export_subject_alt_names(sans, &ext);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_extension_by_oid(crt, "2.5.29.17", ext.data, ext.size, q->cn.n == 0);
	gnutls_free(ext.data);
	gnutls_subject_alt_names_deinit(sans);
	return rc;
}

/* sprig's certificate value {Cert, Key} from the PEM texts, as its Go type. */
static bool x5_result(tmpl_call *c, const gnutls_datum_t *pem, const sbuf *kb, const tv **r, sbuf *msg)
{
	tv *m = tv_map_new(c->arena, 2);
	tv_map_add(c->arena, m, tv_string(c->arena, "Cert", 4),
		   tv_string(c->arena, (const char *)pem->data, pem->size));
	tv_map_add(c->arena, m, tv_string(c->arena, "Key", 3),
		   tv_string(c->arena, kb->buf ? kb->buf : "", kb->len));
	tv_map_seal(c->arena, m);
	tmpl_error err;
	tmpl_error_init(&err);
	int rc = types_view(c->arena, &x5_cert_type, m, r, &err);
	tmpl_error_clear(&err);
	if (rc < 0) {
		sbuf_puts(msg, "error creating certificate");
		return false;
	}
	return true;
}

/* getCertAndKey: the certificate of q for key, signed by issuer (NULL: itself)
 * with issuer_key, as a sprig.certificate in *r; or an error in msg. */
static bool x5_make(tmpl_call *c, const x5_req *q, gnutls_x509_privkey_t key, gnutls_x509_crt_t issuer,
		    gnutls_x509_privkey_t issuer_key, const tv **r, sbuf *msg)
{
	gnutls_x509_privkey_t signer = issuer ? issuer_key : key;
	/* Go's crypto.Signer: its DSA keys are none */
	if (gnutls_x509_privkey_get_pk_algorithm(signer) == GNUTLS_PK_DSA) {
		sbuf_puts(msg, "error creating certificate: x509: certificate private key does not implement crypto.Signer");
		return false;
	}
	if (gnutls_x509_privkey_get_pk_algorithm(key) == GNUTLS_PK_DSA) {
		sbuf_puts(msg, "error creating certificate: x509: unsupported public key type: *dsa.PublicKey");
		return false;
	}
	gnutls_x509_crt_t crt;
	gnutls_datum_t pem = {NULL, 0};
	int rc;
	gnutls_x509_crt_init(&crt);
	X5_TRY(gnutls_x509_crt_set_version(crt, 3));
	X5_TRY(x5_set_serial(crt));
	if (q->cn.n > 0)
		X5_TRY(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, q->cn.p,
						     (unsigned)q->cn.n));
	time_t now = time(NULL);
	X5_TRY(gnutls_x509_crt_set_activation_time(crt, now));
	X5_TRY(gnutls_x509_crt_set_expiration_time(crt, x5_not_after(now, q->days)));
	X5_TRY(gnutls_x509_crt_set_key(crt, key));
	X5_TRY(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT |
							  (q->ca ? GNUTLS_KEY_KEY_CERT_SIGN : 0)));
	X5_TRY(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0));
	X5_TRY(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT, 0));
	X5_TRY(gnutls_x509_crt_set_basic_constraints(crt, q->ca, -1));
	X5_TRY(x5_set_key_ids(crt, issuer, q->ca));
	X5_TRY(x5_set_sans(crt, q));
	X5_TRY(gnutls_x509_crt_sign2(crt, issuer ? issuer : crt, signer, x5_digest(signer), 0));
	X5_TRY(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem));
	sbuf *kb = tmpl_call_scratch(c, 1);
	X5_TRY(x5_export_key(key, kb));
	gnutls_x509_crt_deinit(crt);
	bool ok = x5_result(c, &pem, kb, r, msg);
	gnutls_free(pem.data);
	return ok;
fail:
	gnutls_free(pem.data);
	gnutls_x509_crt_deinit(crt);
	sbuf_printf(msg, "error creating certificate: %s", gnutls_strerror(rc));
	return false;
}

/* A new RSA-2048 key, as sprig makes for certificates without one. */
static bool x5_new_rsa(gnutls_x509_privkey_t *key, sbuf *msg)
{
	int rc = x5_generate(key, GNUTLS_PK_RSA, 2048);
	if (rc < 0)
		sbuf_printf(msg, "error generating rsa key: %s", gnutls_strerror(rc));
	return rc >= 0;
}

/* Reads the trailing privPEM argument i of a *WithKey form. */
static bool x5_with_key(tmpl_call *c, size_t i, gnutls_x509_privkey_t *key, sbuf *msg)
{
	const tv *v = c->args[i];
	if (tmpl_call_budget(c, v->u.s.len) < 0)
		return false;
	sbuf_puts(msg, "parsing private key: ");
	if (!x5_parse_key(v->u.s.ptr, v->u.s.len, key, msg))
		return false;
	msg->len = 0;
	return true;
}

/* The CA argument of genSignedCert: its certificate and key, parsed. */
static bool x5_parse_ca(x5_str cert, x5_str key, gnutls_x509_crt_t *crt, gnutls_x509_privkey_t *k, sbuf *msg)
{
	x5_pem blk;
	if (!x5_pem_decode(cert.p, cert.n, &blk)) {
		sbuf_puts(msg, "unable to decode certificate");
		return false;
	}
	gnutls_x509_crt_init(crt);
	gnutls_datum_t der = {blk.der, (unsigned)blk.len};
	int rc = gnutls_x509_crt_import(*crt, &der, GNUTLS_X509_FMT_DER);
	free(blk.der);
	if (rc < 0) {
		sbuf_printf(msg, "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate (%s)",
			    gnutls_strerror(rc));
		gnutls_x509_crt_deinit(*crt);
		return false;
	}
	sbuf_puts(msg, "error parsing private key: ");
	if (!x5_parse_key(key.p, key.n, k, msg)) {
		gnutls_x509_crt_deinit(*crt);
		return false;
	}
	msg->len = 0;
	return true;
}

enum { X5_CA = 1, X5_SELF = 2, X5_SIGNED = 3 };

/* Every generator: kind, whether a key PEM comes last, and where the
 * arguments sit (cn, ips, dns, days, ca). */
static int x5_gen(tmpl_call *c, int kind, bool with_key, const tv **r)
{
	x5_req q = {.ca = kind == X5_CA};
	x5_str cacert = {0}, cakey = {0};
	const char *s;
	size_t n;
	size_t next;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	q.cn = (x5_str){s, n};
	if (kind == X5_CA) {
		if (fnarg_int(c, 1, &q.days) < 0)
			return -1;
		next = 2;
	} else {
		if (x5_arg_list(c, 1, &q.ips) < 0 || x5_arg_list(c, 2, &q.dns) < 0 || fnarg_int(c, 3, &q.days) < 0)
			return -1;
		next = 4;
		if (kind == X5_SIGNED && x5_arg_cert(c, next++, &cacert, &cakey) < 0)
			return -1;
	}
	if (with_key && fnarg_string(c, next, &s, &n) < 0)
		return -1;
	sbuf *msg = tmpl_call_scratch(c, 0);
	gnutls_x509_privkey_t key = NULL, cak = NULL;
	gnutls_x509_crt_t cacrt = NULL;
	bool ok = with_key ? x5_with_key(c, next, &key, msg) : x5_new_rsa(&key, msg);
	if (!ok && with_key && msg->len == 0)
		return -1; /* the memory bound's error */
	if (ok && kind == X5_SIGNED)
		ok = x5_parse_ca(cacert, cakey, &cacrt, &cak, msg);
	if (ok)
		ok = x5_check_names(&q, msg);
	if (ok)
		ok = x5_make(c, &q, key, cacrt, cak, r, msg);
	if (key)
		gnutls_x509_privkey_deinit(key);
	if (cak)
		gnutls_x509_privkey_deinit(cak);
	if (cacrt)
		gnutls_x509_crt_deinit(cacrt);
	return ok ? 0 : tmpl_call_errorf(c, "%.*s", (int)msg->len, msg->buf);
}

static int sp_genca(tmpl_call *c, const tv **r)
{
	return x5_gen(c, X5_CA, false, r);
}

static int sp_gencawithkey(tmpl_call *c, const tv **r)
{
	return x5_gen(c, X5_CA, true, r);
}

static int sp_genselfsignedcert(tmpl_call *c, const tv **r)
{
	return x5_gen(c, X5_SELF, false, r);
}

static int sp_genselfsignedcertwithkey(tmpl_call *c, const tv **r)
{
	return x5_gen(c, X5_SELF, true, r);
}

static int sp_gensignedcert(tmpl_call *c, const tv **r)
{
	return x5_gen(c, X5_SIGNED, false, r);
}

static int sp_gensignedcertwithkey(tmpl_call *c, const tv **r)
{
	return x5_gen(c, X5_SIGNED, true, r);
}

/* buildCustomCert: base64 PEM texts of a certificate and its key, checked
 * and returned as a sprig.certificate. */
static int sp_buildcustomcert(tmpl_call *c, const tv **r)
{
	x5_str in[2];
	for (size_t i = 0; i < 2; i++)
		if (fnarg_string(c, i, &in[i].p, &in[i].n) < 0)
			return -1;
	if (tmpl_call_budget(c, (uint64_t)in[0].n + in[1].n) < 0)
		return -1;
	unsigned char *dec[2] = {x5_alloc(b64_decoded_len(in[0].n) + 1), x5_alloc(b64_decoded_len(in[1].n) + 1)};
	size_t len[2], bad;
	sbuf *msg = tmpl_call_scratch(c, 0);
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_privkey_t key = NULL;
	bool ok = true;
	if (!b64_decode(in[0].p, in[0].n, dec[0], &len[0], &bad)) {
		sbuf_puts(msg, "unable to decode base64 certificate");
		ok = false;
	} else if (!b64_decode(in[1].p, in[1].n, dec[1], &len[1], &bad)) {
		sbuf_puts(msg, "unable to decode base64 private key");
		ok = false;
	}
	if (ok) {
		x5_pem blk;
		if (!x5_pem_decode((const char *)dec[0], len[0], &blk)) {
			sbuf_puts(msg, "unable to decode certificate");
			ok = false;
		} else {
			gnutls_x509_crt_init(&crt);
			gnutls_datum_t der = {blk.der, (unsigned)blk.len};
			int rc = gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER);
			free(blk.der);
			if (rc < 0) {
				sbuf_printf(msg, "error parsing certificate: decodedCert.Bytes: x509: malformed certificate (%s)",
					    gnutls_strerror(rc));
				ok = false;
			}
		}
	}
	if (ok) {
		sbuf_puts(msg, "error parsing private key: ");
		ok = x5_parse_key((const char *)dec[1], len[1], &key, msg);
	}
	if (ok) {
		tv *m = tv_map_new(c->arena, 2);
		tv_map_add(c->arena, m, tv_string(c->arena, "Cert", 4), tv_string(c->arena, (const char *)dec[0], len[0]));
		tv_map_add(c->arena, m, tv_string(c->arena, "Key", 3), tv_string(c->arena, (const char *)dec[1], len[1]));
		tv_map_seal(c->arena, m);
		tmpl_error err;
		tmpl_error_init(&err);
		ok = types_view(c->arena, &x5_cert_type, m, r, &err) == 0;
		tmpl_error_clear(&err);
	}
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	free(dec[0]);
	free(dec[1]);
	return ok ? 0 : tmpl_call_errorf(c, "%.*s", (int)msg->len, msg->buf);
}

const tmpl_func sprig_x509_funcs[] = {
	{"buildCustomCert", 2, 2, 0, sp_buildcustomcert},
	{"genCA", 2, 2, 0, sp_genca},
	{"genCAWithKey", 3, 3, 0, sp_gencawithkey},
	{"genPrivateKey", 1, 1, 0, sp_genprivatekey},
	{"genSelfSignedCert", 4, 4, 0, sp_genselfsignedcert},
	{"genSelfSignedCertWithKey", 5, 5, 0, sp_genselfsignedcertwithkey},
	{"genSignedCert", 5, 5, 0, sp_gensignedcert},
	{"genSignedCertWithKey", 6, 6, 0, sp_gensignedcertwithkey},
	{NULL, 0, 0, 0, NULL}
};
