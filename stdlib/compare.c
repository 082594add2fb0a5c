/* compare.c: eq, ne, lt, le, gt, ge with Go's basic-kind rules. */
#include "builtin.h"

#include <string.h>

#include "fmt.h"
#include "types.h"

/* Go's basicKind; K_OTHER covers nil, lists and maps ("invalid kind"). */
typedef enum { K_OTHER, K_BOOL, K_INT, K_FLOAT, K_STRING, K_UINT } cmp_kind;

static bool cmp_isnil(const tv *v)
{
	return !v || v->kind == TV_NULL;
}

static cmp_kind cmp_basic(const tv *v)
{
	if (cmp_isnil(v))
		return K_OTHER;
	switch (v->kind) {
	case TV_BOOL: return K_BOOL;
	case TV_INT: return K_INT;
	case TV_UINT8: return K_UINT;
	case TV_FLOAT: return K_FLOAT;
	case TV_STRING: return K_STRING;
	default: return K_OTHER;
	}
}

static int cmp_strcmp(const tv *a, const tv *b)
{
	size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
	int c = memcmp(a->u.s.ptr, b->u.s.ptr, n);
	if (c)
		return c;
	return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len;
}

/* Go's fmt.Errorf with %s/%v of values, for the non-comparable messages. */
static int cmp_fmt_error(tmpl_call *c, const char *format, const tv *const *args, size_t n)
{
	sbuf b = SBUF_INIT;
	fmt_sprintf(&b, format, strlen(format), args, n);
	int rc = tmpl_call_errorf(c, "%s", b.buf ? b.buf : "");
	sbuf_free(&b);
	return rc;
}

static const tv *cmp_typename(tmpl_call *c, const tv *v)
{
	const char *t = tv_type_name(v);
	return tv_string_ref(c->arena, t, strlen(t));
}

/* eq of two values one of which is native (types.h), as Go compares
 * interfaces: reflect kinds must match (pointer or struct), a pointer is
 * equal only to itself, a struct by its type's == (values of two types are
 * unequal). */
static int cmp_eq_native(tmpl_call *c, const tv *a, const tv *b)
{
	bool pa = a->type && a->type->kind == TK_PTR, pb = b->type && b->type->kind == TK_PTR;
	if (pa != pb) {
		const tv *args[4] = {a, cmp_typename(c, a), cmp_typename(c, b), b};
		return cmp_fmt_error(c, "non-comparable types %s: %v, %s: %v", args, 4);
	}
	if (pa || a->type != b->type)
		return a == b;
	if (!a->type->native->equal) {
		const tv *args[2] = {b, cmp_typename(c, b)};
		return cmp_fmt_error(c, "non-comparable type %s: %v", args, 2);
	}
	return a->type->native->equal(a, b);
}

/* One pair of eq: 1 equal, 0 not, -1 error (recorded). */
static int cmp_eq_pair(tmpl_call *c, const tv *a, const tv *b)
{
	cmp_kind ka = cmp_basic(a), kb = cmp_basic(b);
	if (ka != kb) {
		if (ka == K_INT && kb == K_UINT)
			return a->u.i >= 0 && a->u.i == b->u.i;
		if (ka == K_UINT && kb == K_INT)
			return b->u.i >= 0 && a->u.i == b->u.i;
		if (!cmp_isnil(a) && !cmp_isnil(b))
			return tmpl_call_errorf(c, "incompatible types for comparison");
		return 0;
	}
	switch (ka) {
	case K_BOOL: return a->u.b == b->u.b;
	case K_FLOAT: return a->u.f == b->u.f;
	case K_INT:
	case K_UINT: return a->u.i == b->u.i;
	case K_STRING: return a->u.s.len == b->u.s.len && cmp_strcmp(a, b) == 0;
	case K_OTHER: break;
	}
	bool na = cmp_isnil(a), nb = cmp_isnil(b);
	if (!na && !nb && a->kind == TV_STRUCT && b->kind == TV_STRUCT &&
	    (types_native_of(a->type) || types_native_of(b->type)))
		return cmp_eq_native(c, a, b);
	if (!na && !nb && a->kind != b->kind) {
		const tv *args[4] = {a, cmp_typename(c, a), cmp_typename(c, b), b};
		return cmp_fmt_error(c, "non-comparable types %s: %v, %s: %v", args, 4);
	}
	if (na || nb)
		return na == nb;
	/* lists and maps: Go cannot compare them */
	const tv *args[2] = {b, cmp_typename(c, b)};
	return cmp_fmt_error(c, "non-comparable type %s: %v", args, 2);
}

static int cmp_eq(tmpl_call *c, const tv *const *args, size_t n)
{
	if (n < 2)
		return tmpl_call_errorf(c, "missing argument for comparison");
	for (size_t i = 1; i < n; i++) {
		int e = cmp_eq_pair(c, args[0], args[i]);
		if (e != 0)
			return e;
	}
	return 0;
}

/* lt: 1 less, 0 not, -1 error. */
static int cmp_lt(tmpl_call *c, const tv *a, const tv *b)
{
	cmp_kind ka = cmp_basic(a), kb;
	if (ka == K_OTHER)
		return tmpl_call_errorf(c, "invalid type for comparison");
	kb = cmp_basic(b);
	if (kb == K_OTHER)
		return tmpl_call_errorf(c, "invalid type for comparison");
	if (ka != kb) {
		if (ka == K_INT && kb == K_UINT)
			return a->u.i < 0 || a->u.i < b->u.i;
		if (ka == K_UINT && kb == K_INT)
			return b->u.i >= 0 && a->u.i < b->u.i;
		return tmpl_call_errorf(c, "incompatible types for comparison");
	}
	switch (ka) {
	case K_FLOAT: return a->u.f < b->u.f;
	case K_INT:
	case K_UINT: return a->u.i < b->u.i;
	case K_STRING: return cmp_strcmp(a, b) < 0;
	default: return tmpl_call_errorf(c, "invalid type for comparison");
	}
}

static int cmp_le(tmpl_call *c, const tv *a, const tv *b)
{
	int lt = cmp_lt(c, a, b);
	if (lt != 0)
		return lt;
	const tv *args[2] = {a, b};
	return cmp_eq(c, args, 2);
}

static int cmp_result(int e, const tv **r)
{
	if (e < 0)
		return -1;
	*r = tv_bool(e != 0);
	return 0;
}

int bi_eq(tmpl_call *c, const tv **r)
{
	return cmp_result(cmp_eq(c, c->args, c->nargs), r);
}

int bi_ne(tmpl_call *c, const tv **r)
{
	int e = cmp_eq(c, c->args, 2);
	return cmp_result(e < 0 ? e : !e, r);
}

int bi_lt(tmpl_call *c, const tv **r)
{
	return cmp_result(cmp_lt(c, c->args[0], c->args[1]), r);
}

int bi_le(tmpl_call *c, const tv **r)
{
	return cmp_result(cmp_le(c, c->args[0], c->args[1]), r);
}

int bi_gt(tmpl_call *c, const tv **r)
{
	int e = cmp_le(c, c->args[0], c->args[1]);
	return cmp_result(e < 0 ? e : !e, r);
}

int bi_ge(tmpl_call *c, const tv **r)
{
	int e = cmp_lt(c, c->args[0], c->args[1]);
	return cmp_result(e < 0 ? e : !e, r);
}
