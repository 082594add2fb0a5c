/* sprig.c: what sprig's families share: strval, empty, reflect's kinds and DeepEqual, strslice and cast's ToInt over template values. */
#include "sprig.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "fmt.h"
#include "types.h"
#include "types/tables.h"

int sprig_strval(sbuf *out, const tv *v)
{
	if (v && v->kind == TV_STRING && !v->type) {
		sbuf_put(out, v->u.s.ptr, v->u.s.len);
		return 0;
	}
	return fmt_value(out, v); /* Stringers (enums, durations) print their String() */
}

int sprig_strval_call(tmpl_call *c, sbuf *out, const tv *v)
{
	if (sprig_strval(out, v) == 0)
		return 0;
	return tmpl_call_errorf(c, "%s", FMT_TOO_DEEP);
}

bool sprig_is_nil(const tv *v)
{
	return !v || (v->kind == TV_NULL && !v->type);
}

bool sprig_empty(const tv *v)
{
	if (!v)
		return true;
	switch (v->kind) {
	case TV_NULL:
		return true;
	case TV_BOOL:
		return !v->u.b;
	case TV_INT:
	case TV_UINT8:
		return v->u.i == 0;
	case TV_FLOAT:
		return v->u.f == 0;
	case TV_STRING:
		return v->u.s.len == 0;
	case TV_LIST:
		return v->u.list.len == 0;
	case TV_MAP:
		return v->u.map.len == 0;
	default: /* a struct is never empty */
		return false;
	}
}

bool sprig_is_list(const tv *v)
{
	return v && v->kind == TV_LIST;
}

const char *sprig_kind_name(const tv *v)
{
	if (v->type) {
		switch (v->type->kind) {
		case TK_PTR:
			return "ptr";
		case TK_STRUCT:
			return "struct";
		case TK_SLICE:
		case TK_BYTES:
			return "slice";
		case TK_MAP:
			return "map";
		case TK_ENUM: /* protobuf enums are int32 */
			return "int32";
		case TK_QUANTITY: /* resource.Quantity, intstr.IntOrString, metav1.Time */
		case TK_INTORSTR:
		case TK_TIME:
			return "struct";
		case TK_DURATION: /* *durationpb.Duration, or the struct itself */
			return v->type->go_name[0] == '*' ? "ptr" : "struct";
		default:
			break;
		}
		if (v->kind != TV_STRUCT && v->type->go_name && !strchr(v->type->go_name, '.'))
			return v->type->go_name; /* int64, int32, uint32, float32... */
	}
	switch (v->kind) {
	case TV_BOOL:
		return "bool";
	case TV_INT:
		return "int";
	case TV_UINT8:
		return "uint8";
	case TV_FLOAT:
		return "float64";
	case TV_STRING:
		return "string";
	case TV_LIST:
		return "slice";
	case TV_MAP:
		return "map";
	case TV_STRUCT:
		return "struct";
	default:
		return "interface";
	}
}

int sprig_nil_panic(tmpl_call *c)
{
	return tmpl_call_errorf(c, "runtime error: invalid memory address or nil pointer dereference");
}

const char *sprig_dyn_type(const tv *v)
{
	return tv_type_name(v);
}

/* One level of DeepEqual: 0 unequal, 1 equal, 2 equal so far if the
 * elements (pushed as pairs onto *st) are. */
typedef struct de_stack {
	const tv **p; /* pairs: p[2i], p[2i+1]; first the inline array */
	size_t n, cap;
	bool oom;
	const tv *inline_p[64]; /* most comparisons (has, uniq over strings) fit */
} de_stack;

static void de_push(de_stack *st, const tv *a, const tv *b)
{
	if (st->n + 2 > st->cap) {
		size_t cap = st->cap * 2;
		const tv **np = st->p == st->inline_p ? malloc(cap * sizeof *np)
						      : realloc(st->p, cap * sizeof *np);
		if (!np) {
			st->oom = true;
			return;
		}
		if (st->p == st->inline_p)
			memcpy(np, st->inline_p, st->n * sizeof *np);
		st->p = np;
		st->cap = cap;
	}
	st->p[st->n++] = a;
	st->p[st->n++] = b;
}

/* Go's types of a and b (of one kind) are the same: one type table, or the
 * same name (a typed view's type and the value model's). The names compared
 * only when the tables differ: has and uniq compare many plain strings. */
static bool de_same_type(const tv *a, const tv *b)
{
	if (a->type == b->type && (a->type || a->kind != TV_MAP))
		return true;
	return strcmp(sprig_dyn_type(a), sprig_dyn_type(b)) == 0;
}

static int de_level(const tv *a, const tv *b, de_stack *st)
{
	if (sprig_is_nil(a) || sprig_is_nil(b))
		return sprig_is_nil(a) && sprig_is_nil(b);
	if (a == b && (a->kind == TV_LIST || a->kind == TV_MAP))
		return 1; /* Go: the same slice or map; a NaN is unequal even to itself */
	if (a->kind != b->kind || !de_same_type(a, b))
		return 0;
	switch (a->kind) {
	case TV_BOOL:
		return a->u.b == b->u.b;
	case TV_INT:
	case TV_UINT8:
		return a->u.i == b->u.i;
	case TV_FLOAT:
		return a->u.f == b->u.f;
	case TV_STRING:
		return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
	case TV_LIST:
		if (a->u.list.len != b->u.list.len)
			return 0;
		for (size_t i = 0; i < a->u.list.len; i++)
			de_push(st, a->u.list.items[i], b->u.list.items[i]);
		return 2;
	case TV_MAP:
		if (a->u.map.len != b->u.map.len)
			return 0;
		for (size_t i = 0; i < a->u.map.len; i++) {
			long p = tv_map_find_key(b, a->u.map.pairs[i].key);
			if (p < 0)
				return 0;
			de_push(st, a->u.map.pairs[i].val, b->u.map.pairs[p].val);
		}
		return 2;
	case TV_STRUCT: {
		/* a native value (types.h): its fields, through a pointer too */
		const tmpl_type *n = types_native_of(a->type);
		if (n && n->kind == TK_PTR)
			n = n->elem;
		if (n && n->native && n->native->equal)
			return n->native->equal(a, b);
		de_push(st, a->u.strct.raw, b->u.strct.raw);
		return 2;
	}
	default:
		return 0;
	}
}

/* Iterative, with a heap stack: dicts and lists a template builds can nest
 * far deeper than the C stack would allow a recursion. */
bool sprig_deep_equal(const tv *a, const tv *b)
{
	de_stack st;
	st.p = st.inline_p;
	st.n = 0;
	st.cap = sizeof st.inline_p / sizeof st.inline_p[0];
	st.oom = false;
	de_push(&st, a, b);
	bool eq = true;
	while (eq && st.n && !st.oom) {
		const tv *y = st.p[--st.n], *x = st.p[--st.n];
		eq = de_level(x, y, &st) != 0;
	}
	if (st.oom)
		abort(); /* as the arena does when memory runs out */
	if (st.p != st.inline_p)
		free(st.p);
	return eq;
}

const tv *sprig_strslice(tmpl_call *c, const tv *v)
{
	tv *l;
	if (sprig_is_list(v)) {
		if (v->type == &types_S_go_string)
			return v;
		l = tv_list_new(c->arena, v->u.list.len);
		size_t n = 0;
		for (size_t i = 0; i < v->u.list.len; i++) {
			const tv *e = v->u.list.items[i];
			if (sprig_is_nil(e))
				continue;
			sbuf *b = tmpl_call_scratch(c, 1);
			if (sprig_strval_call(c, b, e) != 0)
				return NULL;
			l->u.list.items[n++] = tv_string(c->arena, b->buf ? b->buf : "", b->len);
		}
		l->u.list.len = n;
	} else if (sprig_is_nil(v)) {
		l = tv_list_new(c->arena, 0);
	} else {
		sbuf *b = tmpl_call_scratch(c, 1);
		if (sprig_strval_call(c, b, v) != 0)
			return NULL;
		l = tv_list_new(c->arena, 1);
		l->u.list.items[0] = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	}
	l->type = &types_S_go_string;
	return l;
}

/* cast's trimZeroDecimal: "5.00" -> "5"; "5." and "5.10" stay. */
static size_t sprig_trim_zero_decimal(const char *s, size_t n)
{
	bool zero = false;
	for (size_t i = n; i > 0; i--) {
		if (s[i - 1] == '.') {
			if (zero)
				return i - 1;
		} else if (s[i - 1] == '0') {
			zero = true;
		} else {
			return n;
		}
	}
	return n;
}

/* strconv.ParseInt(s, 0, 64) without underscores; false on a syntax or range error. */
static bool sprig_parse_int(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	int base = 10;
	if (n - i >= 2 && s[i] == '0' && (s[i + 1] | 0x20) == 'x')
		base = 16, i += 2;
	else if (n - i >= 2 && s[i] == '0' && (s[i + 1] | 0x20) == 'o')
		base = 8, i += 2;
	else if (n - i >= 2 && s[i] == '0' && (s[i + 1] | 0x20) == 'b')
		base = 2, i += 2;
	else if (n - i >= 1 && s[i] == '0')
		base = 8, i += 1 - (n - i == 1); /* "0" alone is zero */
	if (i >= n)
		return false;
	uint64_t u = 0;
	for (; i < n; i++) {
		int d;
		char ch = s[i];
		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')
			d = (ch | 0x20) - 'a' + 10;
		else
			return false;
		if (d >= base)
			return false;
		if (u > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		u = u * (uint64_t)base + (uint64_t)d;
	}
	if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

int64_t sprig_to_int(const tv *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case TV_INT:
	case TV_UINT8:
		return v->u.i;
	case TV_FLOAT:
		/* Go's int(f) on amd64: out of range and NaN give the minimum */
		if (!(v->u.f > -9223372036854775808.0 && v->u.f < 9223372036854775808.0))
			return INT64_MIN;
		return (int64_t)v->u.f;
	case TV_BOOL:
		return v->u.b ? 1 : 0;
	case TV_STRING: {
		int64_t r;
		size_t n = sprig_trim_zero_decimal(v->u.s.ptr, v->u.s.len);
		return sprig_parse_int(v->u.s.ptr, n, &r) ? r : 0;
	}
	default:
		return 0;
	}
}
