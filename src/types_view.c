/* types_view.c: the template's view of YAML through Go types: lazy struct fields, zero values, getters, enum names, durations. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "types.h"
#include "gotime.h"

static tv *view_alloc(tmpl_arena *a, tv_kind kind, const tmpl_type *t)
{
	tv *v = arena_alloc(a, sizeof(*v));
	v->kind = (uint8_t)kind;
	v->type = t;
	return v;
}

/* "cannot unmarshal KIND into Go value of type T", Go's json wording. */
static int view_mismatch(const tmpl_type *t, const tv *raw, tmpl_error *err)
{
	const char *what = "value";
	switch (raw->kind) {
	case TV_STRING: what = "string"; break;
	case TV_INT: case TV_UINT8: case TV_FLOAT: what = "number"; break;
	case TV_BOOL: what = "bool"; break;
	case TV_LIST: what = "array"; break;
	case TV_MAP: what = "object"; break;
	default: break;
	}
	return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
			      "json: cannot unmarshal %s into Go value of type %s", what,
			      t->go_name);
}

/* Protobuf enum number of a name, or -1. */
static long view_enum_number(const tmpl_type *t, const char *s, size_t len)
{
	for (size_t i = 0; i < t->nenum; i++)
		if (strlen(t->enum_names[i]) == len && memcmp(t->enum_names[i], s, len) == 0)
			return t->enum_values ? t->enum_values[i] : (long)i;
	return -1;
}

int types_duration_read(const tv *raw, int64_t *ns, tmpl_error *err)
{
	*ns = 0;
	if (raw->kind == TV_STRING) {
		if (gotime_parse_duration(raw->u.s.ptr, raw->u.s.len, ns, NULL) != 0)
			return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
					      "bad Duration: time: invalid duration \"%s\"",
					      raw->u.s.ptr);
	} else if (raw->kind == TV_MAP) {
		/* wraps as Go's int64 arithmetic does, without C's undefined overflow */
		const tv *sec = tv_map_get(raw, "seconds", 7), *nan = tv_map_get(raw, "nanos", 5);
		uint64_t u = 0;
		if (sec && sec->kind == TV_INT)
			u = (uint64_t)sec->u.i * 1000000000u;
		if (nan && nan->kind == TV_INT)
			u += (uint64_t)nan->u.i;
		*ns = (int64_t)u;
	} else if (raw->kind == TV_INT) {
		*ns = (int64_t)((uint64_t)raw->u.i * 1000000000u);
	} else {
		return 1;
	}
	return 0;
}

static int view_duration(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
			 tmpl_error *err)
{
	int64_t ns;
	int rc = types_duration_read(raw, &ns, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return view_mismatch(t, raw, err);
	tv *v = view_alloc(a, TV_INT, t);
	v->u.i = ns;
	*out = v;
	return 0;
}

/* Go's zero value of t. */
static const tv *view_zero(tmpl_arena *a, const tmpl_type *t)
{
	switch (t->kind) {
	case TK_STRING:
	case TK_BYTES:
	case TK_QUANTITY: {
		tv *v = view_alloc(a, TV_STRING, t);
		v->u.s.ptr = "";
		return v;
	}
	case TK_TIME: {
		/* A nil metav1.Time prints as Go's zero time. */
		tv *v = view_alloc(a, TV_STRING, t);
		v->u.s.ptr = "0001-01-01 00:00:00 +0000 UTC";
		v->u.s.len = strlen(v->u.s.ptr);
		return v;
	}
	case TK_BOOL:
		return &tv_false_value;
	case TK_INT:
	case TK_UINT:
	case TK_ENUM:
	case TK_INTORSTR:
		return view_alloc(a, TV_INT, t);
	case TK_FLOAT:
		return view_alloc(a, TV_FLOAT, t);
	case TK_STRUCT:
		return view_alloc(a, TV_STRUCT, t);
	case TK_PTR:
	case TK_DURATION:
		return view_alloc(a, TV_NULL, t);
	case TK_SLICE:
		return view_alloc(a, TV_LIST, t);
	case TK_MAP:
		return view_alloc(a, TV_MAP, t);
	case TK_ANY:
		return TV_NOVALUE;
	}
	return TV_NOVALUE;
}

/* A number as an integer type (a float with no fraction, as YAML may give it). */
static int view_int(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
		    tmpl_error *err)
{
	tv *v;
	if (raw->kind == TV_FLOAT && raw->u.f == floor(raw->u.f) && fabs(raw->u.f) < 9e18) {
		v = view_alloc(a, TV_INT, t);
		v->u.i = (int64_t)raw->u.f;
	} else if (raw->kind == TV_INT) {
		v = view_alloc(a, TV_INT, t);
		v->u.i = raw->u.i;
	} else {
		return view_mismatch(t, raw, err);
	}
	*out = v;
	return 0;
}

/* A protobuf enum, by number or name, as its number. */
static int view_enum(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
		     tmpl_error *err)
{
	long n;
	if (raw->kind == TV_INT)
		n = (long)raw->u.i;
	else if (raw->kind == TV_STRING && (n = view_enum_number(t, raw->u.s.ptr, raw->u.s.len)) >= 0)
		;
	else if (raw->kind == TV_STRING)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "unknown value \"%s\" for enum %s",
				      raw->u.s.ptr, t->go_name);
	else
		return view_mismatch(t, raw, err);
	tv *v = view_alloc(a, TV_INT, t);
	v->u.i = n;
	*out = v;
	return 0;
}

/* A struct (or a pointer to one) over its YAML map; wrapper types (a field
 * Value) also over a bare scalar. */
static int view_struct(tmpl_arena *a, const tmpl_type *t, const tmpl_type *st, const tv *raw,
		       const tv **out, tmpl_error *err)
{
	if (raw->kind != TV_MAP && !types_field_go(st, "Value", 5))
		return view_mismatch(t, raw, err);
	tv *v = view_alloc(a, TV_STRUCT, t);
	v->u.strct.raw = raw;
	*out = v;
	return 0;
}

/* A slice: each item viewed as the element type (a missing one as null). */
static int view_slice(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
		      tmpl_error *err)
{
	if (raw->kind != TV_LIST)
		return view_mismatch(t, raw, err);
	tv *v = tv_list_new(a, raw->u.list.len);
	v->type = t;
	for (size_t i = 0; i < raw->u.list.len; i++) {
		if (types_view(a, t->elem, raw->u.list.items[i], &v->u.list.items[i], err) != 0)
			return -1;
		if (!v->u.list.items[i])
			v->u.list.items[i] = &tv_null_value;
	}
	*out = v;
	return 0;
}

/* A map: each value viewed as the element type (a missing one as null). */
static int view_map(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
		    tmpl_error *err)
{
	if (raw->kind != TV_MAP)
		return view_mismatch(t, raw, err);
	tv *m = tv_map_new(a, raw->u.map.len);
	for (size_t i = 0; i < raw->u.map.len; i++) {
		const tv *val;
		if (types_view(a, t->elem, raw->u.map.pairs[i].val, &val, err) != 0)
			return -1;
		tv_map_add(a, m, raw->u.map.pairs[i].key, val ? val : &tv_null_value);
	}
	tv_map_seal(a, m);
	m->type = t;
	*out = m;
	return 0;
}

int types_view(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
	       tmpl_error *err)
{
	if (!raw || raw->kind == TV_NULL) {
		*out = view_zero(a, t);
		return 0;
	}
	switch (t->kind) {
	case TK_STRING:
	case TK_BYTES:
		if (raw->kind != TV_STRING)
			return view_mismatch(t, raw, err);
		*out = raw;
		return 0;
	case TK_QUANTITY:
	case TK_TIME:
		/* a bare number is a valid quantity */
		if (raw->kind != TV_STRING && raw->kind != TV_INT && raw->kind != TV_FLOAT)
			return view_mismatch(t, raw, err);
		*out = raw;
		return 0;
	case TK_BOOL:
		if (raw->kind != TV_BOOL)
			return view_mismatch(t, raw, err);
		*out = raw;
		return 0;
	case TK_INT:
	case TK_UINT:
		return view_int(a, t, raw, out, err);
	case TK_FLOAT: {
		if (raw->kind != TV_INT && raw->kind != TV_FLOAT)
			return view_mismatch(t, raw, err);
		tv *v = view_alloc(a, TV_FLOAT, t);
		v->u.f = raw->kind == TV_INT ? (double)raw->u.i : raw->u.f;
		*out = v;
		return 0;
	}
	case TK_ENUM:
		return view_enum(a, t, raw, out, err);
	case TK_DURATION:
		return view_duration(a, t, raw, out, err);
	case TK_INTORSTR: {
		if (raw->kind != TV_INT && raw->kind != TV_STRING)
			return view_mismatch(t, raw, err);
		tv *v = view_alloc(a, (tv_kind)raw->kind, t);
		v->u = raw->u;
		*out = v;
		return 0;
	}
	case TK_PTR:
		if (t->elem && t->elem->kind == TK_STRUCT)
			return view_struct(a, t, t->elem, raw, out, err);
		/* A pointer to a scalar reads as the scalar (templates compare, not print, them). */
		return types_view(a, t->elem, raw, out, err);
	case TK_STRUCT:
		return view_struct(a, t, t, raw, out, err);
	case TK_SLICE:
		return view_slice(a, t, raw, out, err);
	case TK_MAP:
		return view_map(a, t, raw, out, err);
	case TK_ANY:
		*out = raw;
		return 0;
	}
	*out = raw;
	return 0;
}


int types_string(sbuf *out, const tv *v)
{
	if (!v || !v->type)
		return 0;
	const gotime *t = gotime_of(v);
	if (t) {
		gotime_string(out, t);
		return 1;
	}
	if (v->type->kind == TK_ENUM && v->kind == TV_INT) {
		const tmpl_type *t = v->type;
		for (size_t i = 0; i < t->nenum; i++)
			if ((t->enum_values ? t->enum_values[i] : (long)i) == v->u.i) {
				sbuf_puts(out, t->enum_names[i]);
				return 1;
			}
		sbuf_put_int(out, (long long)v->u.i); /* protobuf: unknown numbers print as such */
		return 1;
	}
	if (v->type->kind == TK_DURATION && v->kind == TV_INT) {
		gotime_duration_string(out, v->u.i);
		return 1;
	}
	/* a pointer type's Stringer is its own or its elem's, as Go's method sets go */
	for (const tmpl_type *t = v->type; t && v->kind == TV_STRUCT;
	     t = t->kind == TK_PTR ? t->elem : NULL)
		if (t->native && t->native->string) {
			t->native->string(out, v);
			return 1;
		}
	return 0;
}

const tmpl_type *types_native_of(const tmpl_type *t)
{
	if (t && !t->native && t->kind == TK_PTR)
		t = t->elem;
	return t && t->native ? t : NULL;
}

/* Go's method set: a pointer type's methods, then those of its elem. */
const tmpl_method *types_method(const tmpl_type *t, const char *name, size_t len)
{
	for (int i = 0; i < 2 && t; i++) {
		if (t->native)
			for (size_t k = 0; k < t->native->nmethods; k++) {
				const tmpl_method *m = &t->native->methods[k];
				if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
					return m;
			}
		t = t->kind == TK_PTR ? t->elem : NULL;
	}
	return NULL;
}

bool types_unexported(const tmpl_type *t, const char *name, size_t len)
{
	for (; t; t = t->kind == TK_PTR ? t->elem : NULL)
		for (const char *const *u = t->native ? t->native->unexported : NULL; u && *u; u++)
			if (strlen(*u) == len && memcmp(*u, name, len) == 0)
				return true;
	return false;
}

/* The struct type behind a struct or pointer-to-struct type, or NULL. */
static const tmpl_type *view_struct_type(const tmpl_type *t)
{
	if (t && t->kind == TK_PTR)
		t = t->elem;
	return t && t->kind == TK_STRUCT ? t : NULL;
}

int types_get(tmpl_arena *a, const tv *v, const char *name, size_t len, const tv **out,
	      tmpl_error *err)
{
	return types_get_h(a, v, name, len, tv_hash(name, len), out, NULL, err);
}

int types_get_h(tmpl_arena *a, const tv *v, const char *name, size_t len, uint32_t hash,
		const tv **out, const tmpl_field **field, tmpl_error *err)
{
	if (field)
		*field = NULL;
	if (!v || !v->type)
		return 1;
	const gotime *gt = gotime_of(v);
	if (gt)
		return gotime_method(a, gt, name, len, out);
	if (len == 6 && memcmp(name, "String", 6) == 0 &&
	    (v->type->kind == TK_ENUM || v->type->kind == TK_DURATION)) {
		sbuf b = SBUF_INIT;
		if (v->kind == TV_NULL)
			sbuf_puts(&b, "<nil>");
		else
			types_string(&b, v);
		*out = tv_string(a, b.buf ? b.buf : "", b.len);
		sbuf_free(&b);
		return 0;
	}
	const tmpl_type *st = view_struct_type(v->type);
	if (!st)
		return 1;
	uint32_t json_len = 0, json_hash = 0;
	const tmpl_field *f = types_field_go_h(st, name, len, hash, &json_len, &json_hash);
	int getter = 0;
	if (!f && len > 3 && memcmp(name, "Get", 3) == 0) {
		f = types_field_go_h(st, name + 3, len - 3, tv_hash(name + 3, len - 3), &json_len,
				     &json_hash);
		getter = f != NULL;
	}
	if (!f)
		return 1;
	if (field && !getter)
		*field = f;
	if (v->kind == TV_NULL) {
		if (getter) {
			*out = view_zero(a, f->type);
			return 0;
		}
		return tmpl_error_set(err, TMPL_ERR_EXEC, NULL, 0, 0,
				      "nil pointer evaluating %s.%.*s", v->type->go_name, (int)len,
				      name);
	}
	const tv *raw = v->u.strct.raw, *fraw;
	if (raw && raw->kind != TV_MAP)
		fraw = raw; /* a protobuf wrapper written as its bare value */
	else
		fraw = tv_map_get_h(raw, f->json_name, json_len, json_hash);
	return types_view(a, f->type, fraw, out, err) == 0 ? 0 : -1;
}
