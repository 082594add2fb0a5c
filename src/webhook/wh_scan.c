/* wh_scan.c: a strict one-pass reading of an AdmissionReview's envelope, for the answer memo: where request.object lies and the plain strings around it.
 *
 * It accepts only a subset of JSON that json_parse reads the same way (no
 * exponents, no long numbers, nesting under 64 levels; envelope keys and
 * strings without escapes or non-ASCII bytes; no repeated envelope key), so
 * a body it accepts decodes without error and its request.object is exactly
 * the bytes it reports. Anything else is left to the full decode.
 */
#include "wh.h"

#include <string.h>

#include "json_run.h"

#define SCAN_MAX_DEPTH 64
#define SCAN_MAX_NUMBER 40

typedef struct scan {
	const char *p, *end;
} scan;

/* A string's bytes, and whether they are printable ASCII without escapes. */
typedef struct span {
	const char *s;
	size_t n;
	bool plain;
} span;

static inline void ws(scan *c)
{
	/* Reviews from the API server have no white space: one comparison decides. */
	while (c->p < c->end && (unsigned char)*c->p <= ' ' &&
	       (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
		c->p++;
}

static bool hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* A string from its opening quote. Bytes above 0x7f pass (json_parse reads
 * invalid UTF-8 as U+FFFD, never as an error); control bytes do not. */
static inline __attribute__((always_inline)) bool string(scan *c, span *out)
{
	const char *p = ++c->p;
	bool plain = true;
	for (;;) {
		p = json_run_end(p, c->end, false);
		if (p >= c->end)
			return false;
		unsigned char ch = (unsigned char)*p;
		if (ch == '"')
			break;
		if (ch >= 0x80) {
			plain = false;
			p++;
			continue;
		}
		if (ch != '\\')
			return false;
		plain = false;
		if (++p >= c->end)
			return false;
		if (*p == 'u') {
			if (c->end - p < 5 || !hex(p[1]) || !hex(p[2]) || !hex(p[3]) || !hex(p[4]))
				return false;
			p += 5;
		} else if (*p && strchr("\"\\/bfnrt", *p)) {
			p++;
		} else {
			return false;
		}
	}
	if (out) {
		out->s = c->p;
		out->n = (size_t)(p - c->p);
		out->plain = plain;
	}
	c->p = p + 1;
	return true;
}

static bool digits(scan *c)
{
	const char *p = c->p;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > p;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?, short enough that it can never overflow to infinity. */
static bool number(scan *c)
{
	const char *start = c->p;
	if (*c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!digits(c))
		return false;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!digits(c))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E'))
		return false;
	return c->p - start <= SCAN_MAX_NUMBER;
}

static bool word(scan *c, const char *w, size_t n)
{
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* An object member's key and colon; with k, the key must be plain (an escaped
 * key could spell an envelope field) and goes to *k. */
static bool member_key(scan *c, span *k)
{
	ws(c);
	if (c->p >= c->end || *c->p != '"' || !string(c, k) || (k && !k->plain))
		return false;
	ws(c);
	if (c->p >= c->end || *c->p != ':')
		return false;
	c->p++;
	return true;
}

/* One value of any shape, nested at most SCAN_MAX_DEPTH - depth levels: a loop
 * over the tokens with the open containers as bits (1: object), no recursion
 * (most of a review's tokens are the pod's, and this runs for every review). */
static bool value(scan *c, int depth)
{
	uint64_t open = 0;
	int n = 0;
	for (;;) {
		/* A value. */
		ws(c);
		if (c->p >= c->end)
			return false;
		char ch = *c->p;
		if (ch == '{' || ch == '[') {
			if (depth + n >= SCAN_MAX_DEPTH)
				return false;
			bool obj = ch == '{';
			open = open << 1 | obj;
			n++;
			c->p++;
			ws(c);
			if (c->p < c->end && *c->p == (obj ? '}' : ']')) {
				c->p++;
				open >>= 1;
				n--;
			} else {
				if (obj && !member_key(c, NULL))
					return false;
				continue;
			}
		} else if (ch == '"') {
			if (!string(c, NULL))
				return false;
		} else if (ch == 't') {
			if (!word(c, "true", 4))
				return false;
		} else if (ch == 'f') {
			if (!word(c, "false", 5))
				return false;
		} else if (ch == 'n') {
			if (!word(c, "null", 4))
				return false;
		} else if (!((ch == '-' || (ch >= '0' && ch <= '9')) && number(c))) {
			return false;
		}
		/* After a value: close containers until a comma asks for the next one. */
		for (;;) {
			if (n == 0)
				return true;
			ws(c);
			if (c->p >= c->end)
				return false;
			bool obj = open & 1;
			if (*c->p == ',') {
				c->p++;
				if (obj && !member_key(c, NULL))
					return false;
				break;
			}
			if (*c->p != (obj ? '}' : ']'))
				return false;
			c->p++;
			open >>= 1;
			n--;
		}
	}
}

static bool is_key(const span *k, const char *name)
{
	size_t n = strlen(name);
	return k->n == n && memcmp(k->s, name, n) == 0;
}

/* A plain string value for an envelope field seen once. */
static bool plain_field(scan *c, const char **s, size_t *n)
{
	span v;
	ws(c);
	if (*s || c->p >= c->end || *c->p != '"' || !string(c, &v) || !v.plain)
		return false;
	*s = v.s;
	*n = v.n;
	return true;
}

/* After a member's value: true and *more when a comma follows, true when the
 * object closes. */
static bool member_end(scan *c, bool *more)
{
	ws(c);
	if (c->p >= c->end)
		return false;
	*more = *c->p == ',';
	if (*c->p != ',' && *c->p != '}')
		return false;
	c->p++;
	return true;
}

/* The request object: uid, namespace and the object's bytes. */
static bool request(scan *c, wh_envelope *e)
{
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == '}') {
		c->p++;
		return true;
	}
	for (bool more = true; more;) {
		span k;
		if (!member_key(c, &k))
			return false;
		if (is_key(&k, "uid")) {
			if (!plain_field(c, &e->uid, &e->uid_len))
				return false;
		} else if (is_key(&k, "namespace")) {
			if (!plain_field(c, &e->ns, &e->ns_len))
				return false;
		} else if (is_key(&k, "object")) {
			ws(c);
			if (e->object || c->p >= c->end || *c->p != '{')
				return false;
			const char *start = c->p;
			if (!value(c, 2))
				return false;
			e->object = start;
			e->object_len = (size_t)(c->p - start);
		} else if (is_key(&k, "name") || is_key(&k, "subResource") ||
			   is_key(&k, "operation")) {
			/* strings (or null) to Istio's typed decoder: anything else is
			 * the full decode's to refuse */
			ws(c);
			if (c->p >= c->end || (*c->p != '"' && *c->p != 'n') || !value(c, 2))
				return false;
		} else if (!value(c, 2)) {
			return false;
		}
		if (!member_end(c, &more))
			return false;
	}
	return true;
}

bool wh_scan(const char *body, size_t len, wh_envelope *e)
{
	memset(e, 0, sizeof *e);
	scan c = {body, body + len};
	bool seen_request = false;
	ws(&c);
	if (c.p >= c.end || *c.p != '{')
		return false;
	c.p++;
	ws(&c);
	if (c.p < c.end && *c.p == '}')
		return false; /* no request */
	for (bool more = true; more;) {
		span k;
		if (!member_key(&c, &k))
			return false;
		if (is_key(&k, "apiVersion")) {
			if (!plain_field(&c, &e->api, &e->api_len))
				return false;
		} else if (is_key(&k, "kind")) {
			if (!plain_field(&c, &e->kind, &e->kind_len))
				return false;
		} else if (is_key(&k, "request")) {
			ws(&c);
			if (seen_request || c.p >= c.end || *c.p != '{' || !request(&c, e))
				return false;
			seen_request = true;
		} else if (!value(&c, 1)) {
			return false;
		}
		if (!member_end(&c, &more))
			return false;
	}
	ws(&c);
	return c.p == c.end && e->object;
}
