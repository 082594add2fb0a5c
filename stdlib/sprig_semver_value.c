/* sprig_semver_value.c: sprig's semver: Masterminds/semver v3.3.0's *Version as a native value of the typed view (types.h), with the methods templates call on it.
 *
 * semver returns a *semver.Version; its value methods (Major, String,
 * IncMinor, SetPrerelease...) return or work on a semver.Version, which has
 * only those, as Go's method sets go: `(semver "1.2.3").IncMinor.Original`
 * is Go's "can't evaluate field Original in type semver.Version". Both print
 * as String() does and marshal as MarshalJSON does (the String() text as a
 * JSON string). A *Version is equal (eq) only to itself, a Version to one
 * with the same fields, the original text included.
 */
#include <string.h>

#include "fnarg.h"
#include "sprig.h"
#include "sprig_semver.h"
#include "types.h"

/* A version value: the tv, then the fields. */
typedef struct svv_tv {
	tv v;
	sv_version ver;
} svv_tv;

static const tmpl_type svv_uint64 = {.kind = TK_UINT, .go_name = "uint64"};
static const tmpl_type svv_string_type = {.kind = TK_STRING, .go_name = "string"};
static const tmpl_type svv_value_type, svv_ptr_type;

static const sv_version *svv_of(const tv *v)
{
	return &((const svv_tv *)(const void *)v)->ver;
}

/* Version.String: "1.2.3-pre+meta", without the original's "v". */
static void svv_put(sbuf *out, const sv_version *v)
{
	sbuf_printf(out, "%llu.%llu.%llu", (unsigned long long)v->major,
		    (unsigned long long)v->minor, (unsigned long long)v->patch);
	if (v->pre.n)
		sbuf_printf(out, "-%.*s", (int)v->pre.n, v->pre.p);
	if (v->meta.n)
		sbuf_printf(out, "+%.*s", (int)v->meta.n, v->meta.p);
}

static void svv_print(sbuf *out, const tv *v)
{
	svv_put(out, svv_of(v));
}

static sv_str svv_copy(tmpl_arena *a, sv_str s)
{
	sv_str r = {arena_strndup(a, s.p ? s.p : "", s.n), s.n};
	return r;
}

/* A value of type t (*Version or Version) holding ver, whose texts are
 * copied into a; raw is MarshalJSON's: the String() text. */
static const tv *svv_new(tmpl_arena *a, const tmpl_type *t, const sv_version *ver)
{
	svv_tv *g = arena_alloc(a, sizeof *g);
	g->v.kind = TV_STRUCT;
	g->v.type = t;
	g->ver = *ver;
	g->ver.pre = svv_copy(a, ver->pre);
	g->ver.meta = svv_copy(a, ver->meta);
	g->ver.orig = svv_copy(a, ver->orig);
	sbuf b = SBUF_INIT;
	svv_put(&b, ver);
	g->v.u.strct.raw = tv_string(a, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return &g->v;
}

/* Go's == of two Version structs: every field. */
static bool svv_str_eq(sv_str a, sv_str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static bool svv_equal(const tv *a, const tv *b)
{
	const sv_version *x = svv_of(a), *y = svv_of(b);
	return x->major == y->major && x->minor == y->minor && x->patch == y->patch &&
	       svv_str_eq(x->pre, y->pre) && svv_str_eq(x->meta, y->meta) &&
	       svv_str_eq(x->orig, y->orig);
}

/* ---- value methods (semver.Version's method set) ---- */

static const tv *svv_uint(tmpl_arena *a, uint64_t u)
{
	tv *r = arena_alloc(a, sizeof *r);
	r->kind = TV_INT;
	r->type = &svv_uint64;
	r->u.i = (int64_t)u; /* the bits; fmt prints a TK_UINT unsigned */
	return r;
}

static int svv_major(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out, sbuf *err)
{
	(void)args, (void)err;
	*out = svv_uint(a, svv_of(recv)->major);
	return 0;
}

static int svv_minor(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out, sbuf *err)
{
	(void)args, (void)err;
	*out = svv_uint(a, svv_of(recv)->minor);
	return 0;
}

static int svv_patch(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out, sbuf *err)
{
	(void)args, (void)err;
	*out = svv_uint(a, svv_of(recv)->patch);
	return 0;
}

static int svv_prerelease(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
			  sbuf *err)
{
	(void)args, (void)err;
	const sv_version *v = svv_of(recv);
	*out = tv_string_ref(a, v->pre.p, v->pre.n);
	return 0;
}

static int svv_metadata(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
			sbuf *err)
{
	(void)args, (void)err;
	const sv_version *v = svv_of(recv);
	*out = tv_string_ref(a, v->meta.p, v->meta.n);
	return 0;
}

static int svv_string(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
		      sbuf *err)
{
	(void)args, (void)err;
	sbuf b = SBUF_INIT;
	svv_put(&b, svv_of(recv));
	*out = tv_string(a, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return 0;
}

/* The next version's original: the old one's "v" prefix, then its String(). */
static const tv *svv_next(tmpl_arena *a, const sv_version *old, sv_version *next)
{
	sbuf b = SBUF_INIT;
	if (old->orig.n && old->orig.p[0] == 'v')
		sbuf_putc(&b, 'v');
	svv_put(&b, next);
	next->orig.p = b.buf ? b.buf : "";
	next->orig.n = b.len;
	const tv *r = svv_new(a, &svv_value_type, next);
	sbuf_free(&b);
	return r;
}

/* IncPatch: a prerelease version's patch is the next one already. */
static int svv_inc_patch(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
			 sbuf *err)
{
	(void)args, (void)err;
	const sv_version *v = svv_of(recv);
	sv_version n = *v;
	if (!v->pre.n)
		n.patch++;
	n.pre.n = n.meta.n = 0;
	*out = svv_next(a, v, &n);
	return 0;
}

static int svv_inc_minor(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
			 sbuf *err)
{
	(void)args, (void)err;
	const sv_version *v = svv_of(recv);
	sv_version n = *v;
	n.minor++;
	n.patch = 0;
	n.pre.n = n.meta.n = 0;
	*out = svv_next(a, v, &n);
	return 0;
}

static int svv_inc_major(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
			 sbuf *err)
{
	(void)args, (void)err;
	const sv_version *v = svv_of(recv);
	sv_version n = *v;
	n.major++;
	n.minor = n.patch = 0;
	n.pre.n = n.meta.n = 0;
	*out = svv_next(a, v, &n);
	return 0;
}

static int svv_set_prerelease(tmpl_arena *a, const tv *recv, const tv *const *args,
			      const tv **out, sbuf *err)
{
	const sv_version *v = svv_of(recv);
	sv_version n = *v;
	n.pre.p = args[0]->u.s.ptr;
	n.pre.n = args[0]->u.s.len;
	if (n.pre.n && sv_validate_pre(n.pre, err) < 0)
		return -1;
	*out = svv_next(a, v, &n);
	return 0;
}

static int svv_set_metadata(tmpl_arena *a, const tv *recv, const tv *const *args,
			    const tv **out, sbuf *err)
{
	const sv_version *v = svv_of(recv);
	sv_version n = *v;
	n.meta.p = args[0]->u.s.ptr;
	n.meta.n = args[0]->u.s.len;
	if (n.meta.n && sv_validate_meta(n.meta, err) < 0)
		return -1;
	*out = svv_next(a, v, &n);
	return 0;
}

/* ---- pointer methods (*semver.Version's own) ---- */

static int svv_original(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
			sbuf *err)
{
	(void)args, (void)err;
	const sv_version *v = svv_of(recv);
	*out = tv_string_ref(a, v->orig.p, v->orig.n);
	return 0;
}

/* Compare with the version args[0] points at: 0 and *d, or -1 for a nil
 * pointer, which Compare dereferences (a panic text/template reports). */
static int svv_cmp(const tv *recv, const tv *o, int *d, sbuf *err)
{
	if (o->kind == TV_NULL) {
		sbuf_puts(err, "runtime error: invalid memory address or nil pointer dereference");
		return -1;
	}
	*d = sv_compare(svv_of(recv), svv_of(o));
	return 0;
}

static int svv_compare(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out,
		       sbuf *err)
{
	int d;
	if (svv_cmp(recv, args[0], &d, err) < 0)
		return -1;
	*out = tv_int(a, d);
	return 0;
}

/* Equal: since semver 3.3.0 a nil version is unequal, not a panic. */
static int svv_eq(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out, sbuf *err)
{
	(void)a;
	int d = 1;
	if (args[0]->kind != TV_NULL && svv_cmp(recv, args[0], &d, err) < 0)
		return -1;
	*out = tv_bool(d == 0);
	return 0;
}

static int svv_lt(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out, sbuf *err)
{
	(void)a;
	int d;
	if (svv_cmp(recv, args[0], &d, err) < 0)
		return -1;
	*out = tv_bool(d < 0);
	return 0;
}

static int svv_le(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out, sbuf *err)
{
	(void)a;
	int d;
	if (svv_cmp(recv, args[0], &d, err) < 0)
		return -1;
	*out = tv_bool(d <= 0);
	return 0;
}

static int svv_gt(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out, sbuf *err)
{
	(void)a;
	int d;
	if (svv_cmp(recv, args[0], &d, err) < 0)
		return -1;
	*out = tv_bool(d > 0);
	return 0;
}

static int svv_ge(tmpl_arena *a, const tv *recv, const tv *const *args, const tv **out, sbuf *err)
{
	(void)a;
	int d;
	if (svv_cmp(recv, args[0], &d, err) < 0)
		return -1;
	*out = tv_bool(d >= 0);
	return 0;
}

/* ---- the types ---- */

static const tmpl_type *const svv_string_param[] = {&svv_string_type};
static const tmpl_type *const svv_version_param[] = {&svv_ptr_type};

static const tmpl_method svv_value_methods[] = {
	{"IncMajor", 0, NULL, svv_inc_major},
	{"IncMinor", 0, NULL, svv_inc_minor},
	{"IncPatch", 0, NULL, svv_inc_patch},
	{"Major", 0, NULL, svv_major},
	{"Metadata", 0, NULL, svv_metadata},
	{"Minor", 0, NULL, svv_minor},
	{"Patch", 0, NULL, svv_patch},
	{"Prerelease", 0, NULL, svv_prerelease},
	{"SetMetadata", 1, svv_string_param, svv_set_metadata},
	{"SetPrerelease", 1, svv_string_param, svv_set_prerelease},
	{"String", 0, NULL, svv_string},
};

static const tmpl_method svv_ptr_methods[] = {
	{"Compare", 1, svv_version_param, svv_compare},
	{"Equal", 1, svv_version_param, svv_eq},
	{"GreaterThan", 1, svv_version_param, svv_gt},
	{"GreaterThanEqual", 1, svv_version_param, svv_ge},
	{"LessThan", 1, svv_version_param, svv_lt},
	{"LessThanEqual", 1, svv_version_param, svv_le},
	{"Original", 0, NULL, svv_original},
};

static const char *const svv_fields[] = {"major", "minor", "patch", "pre", "metadata", "original",
					 NULL};

static const tmpl_native svv_value_native = {
	svv_value_methods, sizeof svv_value_methods / sizeof svv_value_methods[0], svv_print,
	svv_equal, svv_fields};
static const tmpl_native svv_ptr_native = {
	svv_ptr_methods, sizeof svv_ptr_methods / sizeof svv_ptr_methods[0], NULL, NULL, NULL};

static const tmpl_type svv_value_type = {.kind = TK_STRUCT, .go_name = "semver.Version",
					 .native = &svv_value_native};
static const tmpl_type svv_ptr_type = {.kind = TK_PTR, .go_name = "*semver.Version",
				       .elem = &svv_value_type, .native = &svv_ptr_native};

/* sprig's semver: semver.NewVersion(version). */
int sprig_semver_new(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	if (tmpl_call_budget(c, 64 * (uint64_t)n + 4096) < 0)
		return -1;
	sbuf err = SBUF_INIT;
	sv_version v;
	if (sv_new_version(c->arena, s, n, &v, &err) < 0) {
		tmpl_call_errorf(c, "%s", err.buf ? err.buf : "");
		sbuf_free(&err);
		return -1;
	}
	sbuf_free(&err);
	*r = svv_new(c->arena, &svv_ptr_type, &v);
	return 0;
}
