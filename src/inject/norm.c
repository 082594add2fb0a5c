/* norm.c: a value decoded into a Go type and marshalled again, as Go's encoding/json (after ghodss/yaml) would write it. */
#include "inject.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "json.h"

/* Where a value sits, for Go's error text: the struct and JSON field names. */
typedef struct norm_at {
	const tmpl_type *st;
	const char *field;
} norm_at;

static int norm(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out, const norm_at *at,
		tmpl_error *err);

static int mismatch(const tmpl_type *t, const tv *raw, const norm_at *at, tmpl_error *err)
{
	if (at && at->st) {
		const char *dot = strrchr(at->st->go_name, '.');
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
				      "json: cannot unmarshal %s into Go struct field %s.%s of type %s",
				      json_kind(raw), dot ? dot + 1 : at->st->go_name, at->field,
				      t->go_name);
	}
	return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
			      "json: cannot unmarshal %s into Go value of type %s", json_kind(raw),
			      t->go_name);
}

/* A YAML scalar as the string ghodss/yaml hands a string field. */
static const tv *scalar_string(tmpl_arena *a, const tv *v)
{
	char buf[64];
	switch (v->kind) {
	case TV_STRING:
		return v;
	case TV_BOOL:
		return inj_cstr(a, v->u.b ? "true" : "false");
	case TV_INT:
	case TV_UINT8:
		snprintf(buf, sizeof buf, "%" PRId64, v->u.i);
		return inj_cstr(a, buf);
	case TV_FLOAT: {
		sbuf b = SBUF_INIT;
		fmt_float32_shortest(&b, v->u.f);
		const tv *s = tv_string(a, b.buf, b.len);
		sbuf_free(&b);
		return s;
	}
	default:
		return NULL;
	}
}

/* Go's omitempty test on a normalized value of type t. */
static bool is_empty(const tmpl_type *t, const tv *v)
{
	if (!v || v->kind == TV_NULL)
		return t->kind != TK_STRUCT && t->kind != TK_TIME && t->kind != TK_QUANTITY &&
		       t->kind != TK_INTORSTR;
	switch (t->kind) {
	case TK_STRING:
	case TK_BYTES:
		return v->kind == TV_STRING && v->u.s.len == 0;
	case TK_BOOL:
		return v->kind == TV_BOOL && !v->u.b;
	case TK_INT:
	case TK_UINT:
	case TK_ENUM:
		return v->kind == TV_INT && v->u.i == 0;
	case TK_FLOAT:
		return (v->kind == TV_FLOAT && v->u.f == 0) || (v->kind == TV_INT && v->u.i == 0);
	case TK_SLICE:
		return v->kind == TV_LIST && v->u.list.len == 0;
	case TK_MAP:
		return v->kind == TV_MAP && v->u.map.len == 0;
	default:
		return false;
	}
}

static int zero(tmpl_arena *a, const tmpl_type *t, const tv **out, const norm_at *at,
		tmpl_error *err)
{
	switch (t->kind) {
	case TK_STRING:
		*out = tv_string_ref(a, "", 0);
		return 0;
	case TK_BOOL:
		*out = tv_bool(false);
		return 0;
	case TK_INT:
	case TK_UINT:
	case TK_ENUM:
	case TK_INTORSTR:
		*out = tv_int(a, 0);
		return 0;
	case TK_FLOAT:
		*out = tv_int(a, 0);
		return 0;
	case TK_QUANTITY:
		*out = inj_cstr(a, "0");
		return 0;
	case TK_STRUCT:
		return norm(a, t, TV_NOVALUE, out, at, err);
	default:
		*out = &tv_null_value;
		return 0;
	}
}

static int norm_fields(tmpl_arena *a, const tmpl_type *t, const tv *raw, tv *m, tmpl_error *err)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		if (f->flags & TF_INLINE) {
			const tmpl_type *e = f->type->kind == TK_PTR ? f->type->elem : f->type;
			if (norm_fields(a, e, raw, m, err) != 0)
				return -1;
			continue;
		}
		const tv *v = raw ? tv_map_get(raw, f->json_name, strlen(f->json_name)) : TV_NOVALUE;
		const tv *nv;
		norm_at here = {t, f->json_name};
		if (norm(a, f->type, v, &nv, &here, err) != 0)
			return -1;
		if ((f->flags & TF_OMITEMPTY) && is_empty(f->type, nv))
			continue;
		tv_map_add(a, m, inj_cstr(a, f->json_name), nv);
	}
	return 0;
}

static int norm(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out, const norm_at *at,
		tmpl_error *err)
{
	bool null = !raw || raw->kind == TV_NULL;
	switch (t->kind) {
	case TK_STRUCT: {
		if (!null && raw->kind != TV_MAP)
			return mismatch(t, raw, at, err);
		tv *m = tv_map_new(a, t->nfields);
		if (norm_fields(a, t, null ? TV_NOVALUE : raw, m, err) != 0)
			return -1;
		m->flags |= TVF_STRUCTORDER;
		tv_map_seal(a, m);
		*out = m;
		return 0;
	}
	case TK_PTR:
		if (null) {
			*out = &tv_null_value;
			return 0;
		}
		return norm(a, t->elem, raw, out, at, err);
	case TK_SLICE: {
		if (null) {
			*out = &tv_null_value;
			return 0;
		}
		if (raw->kind != TV_LIST)
			return mismatch(t, raw, at, err);
		tv *l = tv_list_new(a, raw->u.list.len);
		for (size_t i = 0; i < raw->u.list.len; i++)
			if (norm(a, t->elem, raw->u.list.items[i], &l->u.list.items[i], at, err) != 0)
				return -1;
		*out = l;
		return 0;
	}
	case TK_MAP: {
		if (null) {
			*out = &tv_null_value;
			return 0;
		}
		if (raw->kind != TV_MAP)
			return mismatch(t, raw, at, err);
		tv *m = tv_map_new(a, raw->u.map.len);
		for (size_t i = 0; i < raw->u.map.len; i++) {
			const tv_pair *p = &raw->u.map.pairs[i];
			const tv *k = scalar_string(a, p->key);
			const tv *nv;
			if (!k)
				return mismatch(t, p->key, at, err);
			if (norm(a, t->elem, p->val, &nv, at, err) != 0)
				return -1;
			tv_map_add(a, m, k, nv);
		}
		tv_map_seal(a, m);
		*out = m;
		return 0;
	}
	case TK_STRING:
	case TK_BYTES:
		if (null)
			return zero(a, t, out, at, err);
		if (!(*out = scalar_string(a, raw)))
			return mismatch(t, raw, at, err);
		return 0;
	case TK_BOOL:
		if (null)
			return zero(a, t, out, at, err);
		if (raw->kind != TV_BOOL)
			return mismatch(t, raw, at, err);
		*out = raw;
		return 0;
	case TK_INT:
	case TK_UINT:
		if (null)
			return zero(a, t, out, at, err);
		if (raw->kind == TV_INT) {
			*out = raw;
			return 0;
		}
		if (raw->kind == TV_FLOAT && raw->u.f == floor(raw->u.f) && fabs(raw->u.f) < 9e18) {
			*out = tv_int(a, (int64_t)raw->u.f);
			return 0;
		}
		return mismatch(t, raw, at, err);
	case TK_FLOAT:
		if (null)
			return zero(a, t, out, at, err);
		if (raw->kind != TV_INT && raw->kind != TV_FLOAT)
			return mismatch(t, raw, at, err);
		*out = raw;
		return 0;
	case TK_QUANTITY:
		if (null)
			return zero(a, t, out, at, err);
		if (!(*out = scalar_string(a, raw)) || raw->kind == TV_BOOL)
			return mismatch(t, raw, at, err);
		{
			char buf[64];
			if (inj_quantity_canon((*out)->u.s.ptr, buf, sizeof buf) != 0)
				return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
						      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
			*out = inj_cstr(a, buf);
		}
		return 0;
	case TK_INTORSTR:
		if (null)
			return zero(a, t, out, at, err);
		if (raw->kind != TV_INT && raw->kind != TV_STRING)
			return mismatch(t, raw, at, err);
		*out = raw;
		return 0;
	default: /* TK_ANY, TK_TIME, TK_ENUM, TK_DURATION: as written */
		*out = null ? &tv_null_value : raw;
		return 0;
	}
}

int inj_normalize(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
		  tmpl_error *err)
{
	return norm(a, t, raw, out, NULL, err);
}
