/* sprig_semver.c: sprig's semverCompare: Masterminds/semver v3.3.0's NewVersion, Compare and NewConstraint/Check (=, !=, >, <, >=, <=, ~, ^, x, X and * wildcards, hyphen ranges, ||, commas and spaces), with its error texts.
 *
 * semver reads versions and constraints with Go regular expressions; the same
 * patterns run here on Go's regexp semantics (src/regex.h), so what parses is
 * decided as semver decides it. Only Check's answer matters to sprig, so the
 * per-constraint reasons semver's Validate words are not kept.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fnarg.h"
#include "regex.h"
#include "sprig.h"
#include "sprig_semver.h"

#define SV_CV                                                                                   \
	"v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?"                            \
	"(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
#define SV_OPS "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^"
static const char sv_version_re[] =
	"^v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
	"(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?$";
static const char sv_constraint_re[] = "^\\s*(" SV_OPS ")\\s*(" SV_CV ")\\s*$";
static const char sv_range_re[] = "\\s*(" SV_CV ")\\s+-\\s+(" SV_CV ")\\s*";
static const char sv_find_re[] = "(" SV_OPS ")\\s*(" SV_CV ")";
static const char sv_valid_re[] = "^(\\s*(" SV_OPS ")\\s*(" SV_CV ")\\s*)((?:\\s+|,\\s*)(" SV_OPS
				  ")\\s*(" SV_CV ")\\s*)*$";

typedef struct sv_con {
	int op; /* index in sv_ops */
	sv_version con;
	bool dirty, minor_dirty, patch_dirty;
} sv_con;

enum { SV_TILDE_OR_EQ, SV_NE, SV_GT, SV_LT, SV_GE, SV_LE, SV_TILDE, SV_CARET };

/* All matches of re in s (caps per match: 2 * (groups + 1)), through the
 * arena; -1 on a regexp failure (none: the patterns are constants). */
static long sv_find_all(tmpl_arena *a, const char *pat, const char *s, size_t n, long limit,
			long long **out, int *ngroups)
{
	sbuf err = SBUF_INIT;
	rx *re = rx_compile(pat, strlen(pat), &err);
	sbuf_free(&err);
	if (!re)
		return -1;
	int ng = rx_groups(re);
	*ngroups = ng;
	size_t per = 2 * ((size_t)ng + 1);
	rx_input in;
	rx_input_init(&in, a, s, n);
	rx_iter it;
	long long *caps = arena_alloc(a, per * sizeof *caps);
	if (rx_iter_init(&it, a, re, &in) < 0) {
		rx_free(re);
		return -1;
	}
	size_t cap = 4, cnt = 0;
	long long *all = malloc(cap * per * sizeof *all);
	while (all && (limit < 0 || (long)cnt < limit)) {
		int got = rx_next_all(&it, caps);
		if (got <= 0)
			break;
		if (cnt == cap) {
			long long *g = realloc(all, 2 * cap * per * sizeof *all);
			if (!g) {
				free(all);
				all = NULL;
				break;
			}
			all = g;
			cap *= 2;
		}
		memcpy(all + cnt * per, caps, per * sizeof *caps);
		cnt++;
	}
	rx_free(re);
	if (!all)
		return -1;
	long long *copy = arena_alloc(a, (cnt ? cnt : 1) * per * sizeof *copy);
	memcpy(copy, all, cnt * per * sizeof *copy);
	free(all);
	*out = copy;
	return (long)cnt;
}

static sv_str sv_group(const char *s, const long long *caps, int g)
{
	sv_str r = {"", 0};
	if (caps[2 * g] >= 0) {
		r.p = s + caps[2 * g];
		r.n = (size_t)(caps[2 * g + 1] - caps[2 * g]);
	}
	return r;
}

/* strconv.ParseUint(s, 10, 64) of digits: 0, or -1 when out of range. */
static int sv_parse_uint(sv_str s, uint64_t *v)
{
	*v = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned d = (unsigned)(s.p[i] - '0');
		if (d > 9)
			return -2;
		if (*v > (UINT64_MAX - d) / 10)
			return -1;
		*v = *v * 10 + d;
	}
	return s.n ? 0 : -2;
}

int sv_validate_pre(sv_str p, sbuf *err)
{
	for (size_t i = 0; i <= p.n;) {
		size_t j = i;
		bool digits = true, allowed = true;
		for (; j < p.n && p.p[j] != '.'; j++) {
			char ch = p.p[j];
			if (ch < '0' || ch > '9')
				digits = false;
			if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
			      (ch >= 'A' && ch <= 'Z') || ch == '-'))
				allowed = false;
		}
		if (digits && j - i > 1 && p.p[i] == '0') {
			sbuf_puts(err, "Version segment starts with 0");
			return -1;
		}
		if (!digits && !allowed) {
			sbuf_puts(err, "Invalid Prerelease string");
			return -1;
		}
		i = j + 1;
	}
	return 0;
}

int sv_validate_meta(sv_str m, sbuf *err)
{
	for (size_t i = 0; i < m.n; i++) {
		char ch = m.p[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      ch == '-' || ch == '.')) {
			sbuf_puts(err, "Invalid Metadata string");
			return -1;
		}
	}
	return 0;
}

int sv_new_version(tmpl_arena *a, const char *s, size_t n, sv_version *v, sbuf *err)
{
	long long *caps;
	int ng;
	long found = sv_find_all(a, sv_version_re, s, n, 1, &caps, &ng);
	if (found <= 0) {
		sbuf_puts(err, "Invalid Semantic Version");
		return -1;
	}
	sv_str seg[3] = {sv_group(s, caps, 1), sv_group(s, caps, 2), sv_group(s, caps, 3)};
	uint64_t *out[3] = {&v->major, &v->minor, &v->patch};
	for (int i = 0; i < 3; i++) {
		*out[i] = 0;
		if (i > 0 && seg[i].n == 0)
			continue;
		if (i > 0)
			seg[i].p++, seg[i].n--; /* the dot */
		if (sv_parse_uint(seg[i], out[i]) < 0) {
			sbuf_printf(err, "Error parsing version segment: strconv.ParseUint: parsing \"%.*s\": value out of range",
				    (int)seg[i].n, seg[i].p);
			return -1;
		}
	}
	v->pre = sv_group(s, caps, 5);
	v->meta = sv_group(s, caps, 8);
	v->orig.p = s;
	v->orig.n = n;
	/* the pattern allows only [0-9A-Za-z-] in parts: of validatePrerelease
	 * only the leading zero can fail, and validateMetadata cannot */
	return sv_validate_pre(v->pre, err);
}

static int sv_cmp_u(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int sv_cmp_bytes(sv_str a, sv_str b)
{
	size_t m = a.n < b.n ? a.n : b.n;
	int d = m ? memcmp(a.p, b.p, m) : 0;
	if (d)
		return d < 0 ? -1 : 1;
	return a.n < b.n ? -1 : a.n > b.n;
}

/* comparePrePart. */
static int sv_cmp_part(sv_str s, sv_str o)
{
	if (sv_cmp_bytes(s, o) == 0)
		return 0;
	if (s.n == 0)
		return -1;
	if (o.n == 0)
		return 1;
	uint64_t si, oi;
	bool n1 = sv_parse_uint(o, &oi) != 0, n2 = sv_parse_uint(s, &si) != 0;
	if (n1 && n2)
		return sv_cmp_bytes(s, o) > 0 ? 1 : -1;
	if (n1)
		return -1;
	if (n2)
		return 1;
	return si > oi ? 1 : -1;
}

/* comparePrerelease: dot-separated parts, a missing part as "". */
static int sv_cmp_pre(sv_str a, sv_str b)
{
	size_t i = 0, j = 0;
	bool a_done = false, b_done = false;
	while (!a_done || !b_done) {
		sv_str pa = {"", 0}, pb = {"", 0};
		if (!a_done) {
			const char *dot = memchr(a.p + i, '.', a.n - i);
			size_t e = dot ? (size_t)(dot - a.p) : a.n;
			pa.p = a.p + i, pa.n = e - i;
			if (dot)
				i = e + 1;
			else
				a_done = true;
		}
		if (!b_done) {
			const char *dot = memchr(b.p + j, '.', b.n - j);
			size_t e = dot ? (size_t)(dot - b.p) : b.n;
			pb.p = b.p + j, pb.n = e - j;
			if (dot)
				j = e + 1;
			else
				b_done = true;
		}
		int d = sv_cmp_part(pa, pb);
		if (d)
			return d;
	}
	return 0;
}

int sv_compare(const sv_version *v, const sv_version *o)
{
	int d;
	if ((d = sv_cmp_u(v->major, o->major)) || (d = sv_cmp_u(v->minor, o->minor)) ||
	    (d = sv_cmp_u(v->patch, o->patch)))
		return d;
	if (!v->pre.n && !o->pre.n)
		return 0;
	if (!v->pre.n)
		return 1;
	if (!o->pre.n)
		return -1;
	return sv_cmp_pre(v->pre, o->pre);
}

static bool sv_is_x(sv_str s)
{
	return s.n == 1 && (s.p[0] == 'x' || s.p[0] == 'X' || s.p[0] == '*');
}

/* parseConstraint of one "OP VERSION"; err gets semver's text. */
static int sv_parse_con(tmpl_call *c, const char *s, size_t n, sv_con *out, sbuf *err)
{
	memset(out, 0, sizeof *out);
	if (n == 0) { /* StrictNewVersion("0.0.0") with dirty set */
		out->dirty = true;
		return 0;
	}
	long long *caps;
	int ng;
	if (sv_find_all(c->arena, sv_constraint_re, s, n, 1, &caps, &ng) <= 0) {
		sbuf_printf(err, "improper constraint: %.*s", (int)n, s);
		return -1;
	}
	sv_str op = sv_group(s, caps, 1), m3 = sv_group(s, caps, 3), m4 = sv_group(s, caps, 4),
	       m5 = sv_group(s, caps, 5), m6 = sv_group(s, caps, 6), ver = sv_group(s, caps, 2);
	static const char *const ops[] = {"", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^"};
	static const int kinds[] = {SV_TILDE_OR_EQ, SV_TILDE_OR_EQ, SV_NE, SV_GT, SV_LT, SV_GE,
				    SV_GE, SV_LE, SV_LE, SV_TILDE, SV_TILDE, SV_CARET};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strlen(ops[i]) == op.n && memcmp(ops[i], op.p, op.n) == 0)
			out->op = kinds[i];
	sbuf v = SBUF_INIT;
	sv_str m4d = m4, m5d = m5;
	if (m4d.n)
		m4d.p++, m4d.n--;
	if (m5d.n)
		m5d.p++, m5d.n--;
	if (sv_is_x(m3) || m3.n == 0) {
		sbuf_printf(&v, "0.0.0%.*s", (int)m6.n, m6.p);
		out->dirty = true;
	} else if (sv_is_x(m4d) || m4.n == 0) {
		out->minor_dirty = out->dirty = true;
		sbuf_printf(&v, "%.*s.0.0%.*s", (int)m3.n, m3.p, (int)m6.n, m6.p);
	} else if (sv_is_x(m5d) || m5.n == 0) {
		out->patch_dirty = out->dirty = true;
		sbuf_printf(&v, "%.*s%.*s.0%.*s", (int)m3.n, m3.p, (int)m4.n, m4.p, (int)m6.n, m6.p);
	} else {
		sbuf_put(&v, ver.p, ver.n);
	}
	sbuf verr = SBUF_INIT;
	const char *vp = arena_strndup(c->arena, v.buf ? v.buf : "", v.len);
	int rc = sv_new_version(c->arena, vp, v.len, &out->con, &verr);
	sbuf_free(&v);
	sbuf_free(&verr);
	if (rc < 0) {
		sbuf_puts(err, "constraint Parser Error");
		return -1;
	}
	return 0;
}

static bool sv_check_tilde(const sv_version *v, const sv_con *c)
{
	if (sv_compare(v, &c->con) < 0)
		return false;
	if (!c->con.major && !c->con.minor && !c->con.patch && !c->minor_dirty && !c->patch_dirty)
		return true;
	if (v->major != c->con.major)
		return false;
	return !(v->minor != c->con.minor && !c->minor_dirty);
}

/* The constraint functions' answers (constraintGreaterThan...). */
static bool sv_check(const sv_version *v, const sv_con *c)
{
	const sv_version *k = &c->con;
	if (c->op != SV_NE && v->pre.n && !k->pre.n)
		return false; /* a prerelease only meets constraints that name one */
	switch (c->op) {
	case SV_NE:
		if (c->dirty) {
			if (v->pre.n && !k->pre.n)
				return false;
			if (k->major != v->major)
				return true;
			if (k->minor != v->minor && !c->minor_dirty)
				return true;
			if (c->minor_dirty)
				return false;
			if (k->patch != v->patch && !c->patch_dirty)
				return true;
			if (c->patch_dirty) {
				if (v->pre.n || k->pre.n)
					return sv_cmp_pre(v->pre, k->pre) != 0;
				return false;
			}
		}
		return sv_compare(v, k) != 0;
	case SV_GT:
		if (!c->dirty)
			return sv_compare(v, k) == 1;
		if (v->major != k->major)
			return v->major > k->major;
		if (c->minor_dirty)
			return false;
		if (c->patch_dirty)
			return v->minor > k->minor;
		return sv_compare(v, k) == 1;
	case SV_LT:
		return sv_compare(v, k) < 0;
	case SV_GE:
		return sv_compare(v, k) >= 0;
	case SV_LE:
		if (!c->dirty)
			return sv_compare(v, k) <= 0;
		if (v->major > k->major)
			return false;
		return !(v->major == k->major && v->minor > k->minor && !c->minor_dirty);
	case SV_TILDE:
		return sv_check_tilde(v, c);
	case SV_CARET:
		if (sv_compare(v, k) < 0)
			return false;
		if (k->major > 0 || c->minor_dirty)
			return v->major == k->major;
		if (v->major > 0)
			return false;
		if (k->minor > 0 || c->patch_dirty)
			return v->minor == k->minor;
		if (v->minor > 0)
			return false;
		return k->patch == v->patch;
	default: /* SV_TILDE_OR_EQ */
		if (c->dirty)
			return sv_check_tilde(v, c);
		return sv_compare(v, k) == 0;
	}
}

/* rewriteRange: each "A - B" becomes ">= A, <= B ". */
static sv_str sv_rewrite_range(tmpl_call *c, const char *s, size_t n)
{
	long long *caps;
	int ng;
	long cnt = sv_find_all(c->arena, sv_range_re, s, n, -1, &caps, &ng);
	sv_str o = {s, n};
	if (cnt <= 0)
		return o;
	size_t per = 2 * ((size_t)ng + 1);
	for (long i = 0; i < cnt; i++) {
		const long long *m = caps + (size_t)i * per;
		sv_str whole = sv_group(s, m, 0), a = sv_group(s, m, 1), b = sv_group(s, m, 11);
		/* strings.Replace(o, whole, t, 1): the first occurrence in o */
		const char *at = whole.n ? memmem(o.p, o.n, whole.p, whole.n) : o.p;
		if (!at)
			continue;
		sbuf t = SBUF_INIT;
		sbuf_put(&t, o.p, (size_t)(at - o.p));
		sbuf_printf(&t, ">= %.*s, <= %.*s ", (int)a.n, a.p, (int)b.n, b.p);
		sbuf_put(&t, at + whole.n, o.n - (size_t)(at - o.p) - whole.n);
		o.p = arena_strndup(c->arena, t.buf, t.len);
		o.n = t.len;
		sbuf_free(&t);
	}
	return o;
}

/* sprig's semverCompare: NewConstraint(constraint).Check(NewVersion(version)). */
static int sp_semvercompare(tmpl_call *c, const tv **r)
{
	const char *cs, *vs;
	size_t cn, vn;
	if (fnarg_string(c, 0, &cs, &cn) < 0 || fnarg_string(c, 1, &vs, &vn) < 0)
		return -1;
	if (tmpl_call_budget(c, 64 * ((uint64_t)cn + vn) + 4096) < 0)
		return -1;
	sbuf err = SBUF_INIT;
	sv_str all = sv_rewrite_range(c, cs, cn);
	/* parse every || group first: a bad constraint is an error even when an
	 * earlier group would match */
	size_t ngroups = 1;
	for (size_t i = 0; i + 1 < all.n; i++)
		if (all.p[i] == '|' && all.p[i + 1] == '|')
			ngroups++, i++;
	sv_con **groups = arena_alloc(c->arena, ngroups * sizeof *groups);
	long *counts = arena_alloc(c->arena, ngroups * sizeof *counts);
	size_t start = 0, g = 0;
	for (size_t i = 0; i <= all.n; i++) {
		if (i < all.n && !(i + 1 < all.n && all.p[i] == '|' && all.p[i + 1] == '|'))
			continue;
		const char *p = all.p + start;
		size_t n = i - start;
		long long *m;
		int ng;
		if (sv_find_all(c->arena, sv_valid_re, p, n, 1, &m, &ng) <= 0) {
			sbuf_printf(&err, "improper constraint: %.*s", (int)n, p);
			goto fail;
		}
		long cnt = sv_find_all(c->arena, sv_find_re, p, n, -1, &m, &ng);
		size_t per = 2 * ((size_t)ng + 1);
		groups[g] = arena_alloc(c->arena, (cnt > 0 ? (size_t)cnt : 1) * sizeof **groups);
		if (cnt <= 0) {
			if (sv_parse_con(c, p, n, &groups[g][0], &err) < 0)
				goto fail;
			cnt = 1;
		} else {
			for (long k = 0; k < cnt; k++) {
				sv_str one = sv_group(p, m + (size_t)k * per, 0);
				if (sv_parse_con(c, one.p, one.n, &groups[g][k], &err) < 0)
					goto fail;
			}
		}
		counts[g++] = cnt;
		start = i + 2;
		i++;
	}
	sv_version v;
	if (sv_new_version(c->arena, vs, vn, &v, &err) < 0)
		goto fail;
	bool ok = false;
	for (size_t k = 0; k < g && !ok; k++) {
		bool joy = true;
		for (long j = 0; j < counts[k] && joy; j++)
			joy = sv_check(&v, &groups[k][j]);
		ok = joy;
	}
	sbuf_free(&err);
	*r = tv_bool(ok);
	return 0;
fail:
	tmpl_call_errorf(c, "%s", err.buf ? err.buf : "");
	sbuf_free(&err);
	return -1;
}

const tmpl_func sprig_semver_funcs[] = {
	{"semver", 1, 1, 0, sprig_semver_new},
	{"semverCompare", 2, 2, 0, sp_semvercompare},
	{NULL, 0, 0, 0, NULL}
};
