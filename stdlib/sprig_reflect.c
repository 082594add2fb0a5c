/* sprig_reflect.c: sprig's reflection functions (typeOf, typeIs, typeIsLike, kindOf, kindIs): a value's Go type as %T prints it and its reflect.Kind.
 *
 * The names come from sprig.c's one view of Go's types (sprig_dyn_type,
 * sprig_kind_name), so a value another function made (add's int64, list's
 * []interface {}, dict's map, splitList's []string) answers as in Go.
 */
#include <string.h>

#include "fnarg.h"
#include "sprig.h"

/* reflect.ValueOf(v).Kind().String(): "invalid" for nil. */
static const char *sr_kind(const tv *v)
{
	return sprig_is_nil(v) ? "invalid" : sprig_kind_name(v);
}

static int sr_typeof(tmpl_call *c, const tv **r)
{
	const char *t = sprig_dyn_type(c->args[0]);
	*r = tv_string_ref(c->arena, t, strlen(t));
	return 0;
}

static int sr_kindof(tmpl_call *c, const tv **r)
{
	const char *k = sr_kind(c->args[0]);
	*r = tv_string_ref(c->arena, k, strlen(k));
	return 0;
}

/* TARGET == name, or (like) TARGET == "*" + name's pointee. */
static bool sr_name_is(const char *target, size_t n, const char *name, bool like)
{
	size_t len = strlen(name);
	if (len == n && memcmp(target, name, n) == 0)
		return true;
	return like && len == n + 1 && name[0] == '*' && memcmp(target, name + 1, n) == 0;
}

static int sr_type_is(tmpl_call *c, const tv **r, bool like)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	*r = tv_bool(sr_name_is(s, n, sprig_dyn_type(c->args[1]), like));
	return 0;
}

static int sr_typeis(tmpl_call *c, const tv **r)
{
	return sr_type_is(c, r, false);
}

static int sr_typeislike(tmpl_call *c, const tv **r)
{
	return sr_type_is(c, r, true);
}

static int sr_kindis(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	*r = tv_bool(sr_name_is(s, n, sr_kind(c->args[1]), false));
	return 0;
}

const tmpl_func sprig_reflect_funcs[] = {
	{"kindIs", 2, 2, 0, sr_kindis},
	{"kindOf", 1, 1, 0, sr_kindof},
	{"typeIs", 2, 2, 0, sr_typeis},
	{"typeIsLike", 2, 2, 0, sr_typeislike},
	{"typeOf", 1, 1, 0, sr_typeof},
	{NULL, 0, 0, 0, NULL}
};
