/* collection.c: len, index, slice and call over lists, maps and strings. */
#include "builtin.h"

#include "types.h"

static bool coll_isnil(const tv *v)
{
	return !v || v->kind == TV_NULL;
}

/* Go's zero of a map's element type: a nil interface for plain YAML maps,
 * the elem type's zero for typed ones ("" for map[string]string). */
static const tv *coll_elem_zero(tmpl_call *c, const tv *map)
{
	const tmpl_type *t = map->type;
	if (t && t->elem && t->elem->kind != TK_ANY) {
		tmpl_error e;
		const tv *z = TV_NOVALUE;
		tmpl_error_init(&e);
		int rc = types_view(c->arena, t->elem, TV_NOVALUE, &z, &e);
		tmpl_error_clear(&e);
		if (rc == 0 && z)
			return z;
	}
	return &tv_null_value;
}

/* The type name Go's len and index report after indirect: a pointer's
 * element type (a typed pointer of types.h, such as *semver.Version). */
static const char *coll_indirect_type(const tv *v)
{
	const tmpl_type *t = v->type;
	return t && t->kind == TK_PTR && t->elem ? t->elem->go_name : tv_type_name(v);
}

int bi_len(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	if (!v) /* Go's reflect panics on the zero Value here */
		return tmpl_call_errorf(c, "reflect: call of reflect.Value.Type on zero Value");
	switch (v->kind) {
	case TV_NULL:
		return tmpl_call_errorf(c, "len of nil pointer");
	case TV_STRING:
		*r = tv_int(c->arena, (int64_t)v->u.s.len);
		return 0;
	case TV_LIST:
		*r = tv_int(c->arena, (int64_t)v->u.list.len);
		return 0;
	case TV_MAP:
		*r = tv_int(c->arena, (int64_t)v->u.map.len);
		return 0;
	default:
		return tmpl_call_errorf(c, "len of type %s", coll_indirect_type(v));
	}
}

/* Go's indexArg: an integer index in [0, cap]; cap itself slips through. */
static int coll_index_arg(tmpl_call *c, const tv *x, size_t cap, size_t *out)
{
	if (coll_isnil(x))
		return tmpl_call_errorf(c, "cannot index slice/array with nil");
	if (x->kind != TV_INT && x->kind != TV_UINT8)
		return tmpl_call_errorf(c, "cannot index slice/array with type %s", tv_type_name(x));
	if (x->u.i < 0 || (uint64_t)x->u.i > cap)
		return tmpl_call_errorf(c, "index out of range: %lld", (long long)x->u.i);
	*out = (size_t)x->u.i;
	return 0;
}

int bi_index(tmpl_call *c, const tv **r)
{
	const tv *item = c->args[0];
	if (coll_isnil(item))
		return tmpl_call_errorf(c, "index of untyped nil");
	for (size_t k = 1; k < c->nargs; k++) {
		const tv *x = c->args[k];
		size_t i;
		if (item->kind == TV_NULL)
			return tmpl_call_errorf(c, "index of nil pointer");
		switch (item->kind) {
		case TV_LIST:
			if (coll_index_arg(c, x, item->u.list.len, &i) < 0)
				return -1;
			if (i == item->u.list.len)
				return tmpl_call_errorf(c, "reflect: slice index out of range");
			item = item->u.list.items[i];
			break;
		case TV_STRING:
			if (coll_index_arg(c, x, item->u.s.len, &i) < 0)
				return -1;
			if (i == item->u.s.len)
				return tmpl_call_errorf(c, "reflect: string index out of range");
			item = tv_uint8(c->arena, (unsigned char)item->u.s.ptr[i]);
			break;
		case TV_MAP: {
			const tv *found;
			if (item->flags & TVF_ANYKEYS) {
				const tv *key = x ? x : &tv_null_value;
				if (key->kind == TV_LIST || key->kind == TV_MAP)
					return tmpl_call_errorf(c, "runtime error: hash of unhashable type %s",
								tv_type_name(key));
				long p = tv_map_find_key(item, key);
				found = p < 0 ? NULL : item->u.map.pairs[p].val;
			} else {
				if (coll_isnil(x))
					return tmpl_call_errorf(c, "value is nil; should be of type string");
				if (x->kind != TV_STRING)
					return tmpl_call_errorf(c, "value has type %s; should be string",
								tv_type_name(x));
				found = tv_map_get_str(item, x);
			}
			/* a missing key gives the element type's zero: a nil interface */
			item = found ? found : coll_elem_zero(c, item);
			break;
		}
		default:
			return tmpl_call_errorf(c, "can't index item of type %s", coll_indirect_type(item));
		}
	}
	*r = item;
	return 0;
}

int bi_slice(tmpl_call *c, const tv **r)
{
	const tv *item = c->args[0];
	size_t nidx = c->nargs - 1;
	if (coll_isnil(item))
		return tmpl_call_errorf(c, "slice of untyped nil");
	if (nidx > 3)
		return tmpl_call_errorf(c, "too many slice indexes: %zu", nidx);
	size_t len;
	switch (item->kind) {
	case TV_STRING:
		if (nidx == 3)
			return tmpl_call_errorf(c, "cannot 3-index slice a string");
		len = item->u.s.len;
		break;
	case TV_LIST:
		len = item->u.list.len;
		break;
	default:
		return tmpl_call_errorf(c, "can't slice item of type %s", tv_type_name(item));
	}
	size_t idx[3] = {0, len, len};
	for (size_t k = 0; k < nidx; k++) {
		/* unlike index, slice does not look inside interface values */
		if (c->args[k + 1] && tmpl_call_arg_is_iface(c, k + 1))
			return tmpl_call_errorf(c, "cannot index slice/array with type interface {}");
		if (coll_index_arg(c, c->args[k + 1], len, &idx[k]) < 0)
			return -1;
	}
	if (idx[0] > idx[1])
		return tmpl_call_errorf(c, "invalid slice index: %zu > %zu", idx[0], idx[1]);
	if (nidx == 3 && idx[1] > idx[2])
		return tmpl_call_errorf(c, "invalid slice index: %zu > %zu", idx[1], idx[2]);
	if (item->kind == TV_STRING) {
		*r = tv_string(c->arena, item->u.s.ptr + idx[0], idx[1] - idx[0]);
		return 0;
	}
	/* values are immutable, so the slice shares the elements */
	tv *l = tv_list_new(c->arena, 0);
	/* an empty list may have no items array: no arithmetic on NULL */
	if (item->u.list.items)
		l->u.list.items = item->u.list.items + idx[0];
	l->u.list.len = idx[1] - idx[0];
	*r = l;
	return 0;
}

/* The evaluator passes the callee's name first, as Go 1.23+ does. YAML data
 * holds no functions, so every call fails. */
int bi_call(tmpl_call *c, const tv **r)
{
	(void)r;
	const tv *name = c->args[0];
	const tv *fn = c->nargs > 1 ? c->args[1] : TV_NOVALUE;
	if (coll_isnil(fn))
		return tmpl_call_errorf(c, "call of nil");
	return tmpl_call_errorf(c, "non-function %s of type %s", name->u.s.ptr, tv_type_name(fn));
}
