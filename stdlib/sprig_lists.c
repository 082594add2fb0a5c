/* sprig_lists.c: sprig's list functions (list, append, first, rest, uniq, slice, until, seq...) and their must- twins, which fail with the same texts.
 *
 * sprig's plain functions panic where the must- ones return an error;
 * text/template reports both as "error calling NAME: TEXT", so one C
 * function serves both rows. Results are new lists: sprig copies, and our
 * values are immutable anyway (nothing here is FN_MUTATES).
 */
#include <math.h>
#include <string.h>

#include "builtin.h"
#include "fmt.h"
#include "fnarg.h"
#include "sprig.h"

/* The list argument i, or -1 after Go's panic text: reflect.TypeOf(nil).Kind()
 * for nil, "WHAT type KIND" (e.g. "Cannot find first on type map") otherwise. */
static int sl_list_arg(tmpl_call *c, size_t i, const char *what, const tv **l)
{
	const tv *v = c->args[i];
	*l = NULL;
	if (sprig_is_nil(v))
		return sprig_nil_panic(c);
	if (!sprig_is_list(v))
		return tmpl_call_errorf(c, "%s %s", what, sprig_kind_name(v));
	*l = v;
	return 0;
}

/* An element for a new list: nil becomes a null element. */
static const tv *sl_elem(const tv *v)
{
	return v ? v : &tv_null_value;
}

/* Copy n elements; an empty list's items may be NULL, which memcpy may not see. */
static void sl_copy(const tv **dst, const tv *const *src, size_t n)
{
	if (n)
		memcpy(dst, src, n * sizeof *src);
}

/* A new []interface {} of n elements copied from items. */
static tv *sl_new(tmpl_call *c, const tv *const *items, size_t n)
{
	tv *l = tv_list_new(c->arena, n);
	sl_copy(l->u.list.items, items, n);
	return l;
}

static int sl_list(tmpl_call *c, const tv **r)
{
	tv *l = tv_list_new(c->arena, c->nargs);
	for (size_t i = 0; i < c->nargs; i++)
		l->u.list.items[i] = sl_elem(c->args[i]);
	*r = l;
	return 0;
}

static int sl_push(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot push on type", &l) < 0)
		return -1;
	tv *n = tv_list_new(c->arena, l->u.list.len + 1);
	sl_copy(n->u.list.items, l->u.list.items, l->u.list.len);
	n->u.list.items[l->u.list.len] = sl_elem(c->args[1]);
	*r = n;
	return 0;
}

static int sl_prepend(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot prepend on type", &l) < 0)
		return -1;
	tv *n = tv_list_new(c->arena, l->u.list.len + 1);
	n->u.list.items[0] = sl_elem(c->args[1]);
	sl_copy(n->u.list.items + 1, l->u.list.items, l->u.list.len);
	*r = n;
	return 0;
}

static int sl_first(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot find first on type", &l) < 0)
		return -1;
	*r = l->u.list.len ? l->u.list.items[0] : TV_NOVALUE;
	return 0;
}

static int sl_last(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot find last on type", &l) < 0)
		return -1;
	*r = l->u.list.len ? l->u.list.items[l->u.list.len - 1] : TV_NOVALUE;
	return 0;
}

static int sl_rest(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot find rest on type", &l) < 0)
		return -1;
	size_t n = l->u.list.len;
	*r = sl_new(c, n ? l->u.list.items + 1 : NULL, n ? n - 1 : 0);
	return 0;
}

static int sl_initial(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot find initial on type", &l) < 0)
		return -1;
	size_t n = l->u.list.len;
	*r = sl_new(c, l->u.list.items, n ? n - 1 : 0);
	return 0;
}

static int sl_reverse(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot find reverse on type", &l) < 0)
		return -1;
	size_t n = l->u.list.len;
	tv *o = tv_list_new(c->arena, n);
	for (size_t i = 0; i < n; i++)
		o->u.list.items[n - 1 - i] = l->u.list.items[i];
	*r = o;
	return 0;
}

static int sl_compact(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot compact on type", &l) < 0)
		return -1;
	tv *o = tv_list_new(c->arena, l->u.list.len);
	size_t k = 0;
	for (size_t i = 0; i < l->u.list.len; i++)
		if (!sprig_empty(l->u.list.items[i]))
			o->u.list.items[k++] = l->u.list.items[i];
	o->u.list.len = k;
	*r = o;
	return 0;
}

static bool sl_in(const tv *const *items, size_t n, const tv *x)
{
	for (size_t i = 0; i < n; i++)
		if (sprig_deep_equal(x, items[i]))
			return true;
	return false;
}

static int sl_uniq(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot find uniq on type", &l) < 0)
		return -1;
	tv *o = tv_list_new(c->arena, l->u.list.len);
	size_t k = 0;
	for (size_t i = 0; i < l->u.list.len; i++)
		if (!sl_in(o->u.list.items, k, l->u.list.items[i]))
			o->u.list.items[k++] = l->u.list.items[i];
	o->u.list.len = k;
	*r = o;
	return 0;
}

static int sl_without(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "Cannot find without on type", &l) < 0)
		return -1;
	tv *o = tv_list_new(c->arena, l->u.list.len);
	size_t k = 0;
	for (size_t i = 0; i < l->u.list.len; i++)
		if (!sl_in(c->args + 1, c->nargs - 1, l->u.list.items[i]))
			o->u.list.items[k++] = l->u.list.items[i];
	o->u.list.len = k;
	*r = o;
	return 0;
}

static int sl_has(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sprig_is_nil(c->args[1])) {
		*r = tv_bool(false);
		return 0;
	}
	if (sl_list_arg(c, 1, "Cannot find has on type", &l) < 0)
		return -1;
	*r = tv_bool(sl_in(l->u.list.items, l->u.list.len, c->args[0]));
	return 0;
}

/* sprig's slice: cast's ToInt of the indexes, reflect's Slice (its panic
 * text when they are out of bounds); an empty list gives nil. */
static int sl_slice(tmpl_call *c, const tv **r)
{
	const tv *l;
	if (sl_list_arg(c, 0, "list should be type of slice or array but", &l) < 0)
		return -1;
	size_t n = l->u.list.len;
	if (n == 0) {
		*r = TV_NOVALUE;
		return 0;
	}
	int64_t start = c->nargs > 1 ? sprig_to_int(c->args[1]) : 0;
	int64_t end = c->nargs > 2 ? sprig_to_int(c->args[2]) : (int64_t)n;
	if (start < 0 || end < start || end > (int64_t)n)
		return tmpl_call_errorf(c, "reflect.Value.Slice: slice index out of bounds");
	tv *o = sl_new(c, l->u.list.items + start, (size_t)(end - start));
	o->type = l->type; /* a []string stays one */
	*r = o;
	return 0;
}

static int sl_concat(tmpl_call *c, const tv **r)
{
	size_t total = 0;
	for (size_t i = 0; i < c->nargs; i++) {
		const tv *v = c->args[i];
		if (sprig_is_nil(v))
			return sprig_nil_panic(c);
		if (!sprig_is_list(v))
			return tmpl_call_errorf(c, "Cannot concat type %s as list", sprig_kind_name(v));
		total += v->u.list.len;
	}
	tv *o = tv_list_new(c->arena, total);
	size_t k = 0;
	for (size_t i = 0; i < c->nargs; i++) {
		const tv *v = c->args[i];
		if (v->u.list.len == 0)
			continue; /* an empty result has no items: NULL + 0 (a fuzz_template finding) */
		sl_copy(o->u.list.items + k, v->u.list.items, v->u.list.len);
		k += v->u.list.len;
	}
	*r = o;
	return 0;
}

static int sl_chunk(tmpl_call *c, const tv **r)
{
	int64_t size;
	const tv *l;
	if (fnarg_int(c, 0, &size) < 0)
		return -1;
	if (sl_list_arg(c, 1, "Cannot chunk type", &l) < 0)
		return -1;
	int64_t n = (int64_t)l->u.list.len;
	if (size <= 0) /* Go converts an infinite or NaN chunk count: make panics */
		return tmpl_call_errorf(c, "runtime error: makeslice: len out of range");
	int64_t cs = (n - 1 < 0 ? -1 : (n - 1) / size) + 1;
	tv *o = tv_list_new(c->arena, (size_t)cs);
	for (int64_t i = 0; i < cs; i++) {
		int64_t clen = size;
		if (i == cs - 1) {
			clen = n % size;
			if (clen == 0)
				clen = size;
		}
		o->u.list.items[i] = sl_new(c, l->u.list.items + i * size, (size_t)clen);
	}
	*r = o;
	return 0;
}

/* sprig's untilStep: [start, stop) by step, or down to stop for a negative
 * step; nothing when the step points away. NULL (error recorded) when the
 * render's memory bound cannot hold the list. */
static tv *sl_until_step(tmpl_call *c, int64_t start, int64_t stop, int64_t step)
{
	/* counted in unsigned arithmetic: the span of two int64s may not fit one */
	uint64_t n = 0;
	if (stop < start && step < 0)
		n = ((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1;
	else if (stop > start && step > 0)
		n = ((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1;
	/* an item pointer and (past the small integers) an int value each */
	if (n > UINT64_MAX / 64 || tmpl_call_budget(c, n * 48) < 0) {
		if (n > UINT64_MAX / 64)
			tmpl_call_errorf(c, "runtime error: makeslice: len out of range");
		return NULL;
	}
	tv *l = tv_list_new(c->arena, (size_t)n);
	for (uint64_t i = 0; i < n; i++)
		l->u.list.items[i] = tv_int(c->arena, (int64_t)((uint64_t)start + i * (uint64_t)step));
	return l;
}

static int sl_until(tmpl_call *c, const tv **r)
{
	int64_t n;
	if (fnarg_int(c, 0, &n) < 0)
		return -1;
	*r = sl_until_step(c, 0, n, n < 0 ? -1 : 1);
	return *r ? 0 : -1;
}

static int sl_untilstep(tmpl_call *c, const tv **r)
{
	int64_t a, b, s;
	if (fnarg_int(c, 0, &a) < 0 || fnarg_int(c, 1, &b) < 0 || fnarg_int(c, 2, &s) < 0)
		return -1;
	*r = sl_until_step(c, a, b, s);
	return *r ? 0 : -1;
}

/* seq [START [STEP]] END: the numbers joined by spaces, END included. */
static int sl_seq(tmpl_call *c, const tv **r)
{
	int64_t p[3];
	for (size_t i = 0; i < c->nargs; i++)
		if (fnarg_int(c, i, &p[i < 3 ? i : 2]) < 0)
			return -1;
	const tv *l = NULL;
	switch (c->nargs) {
	case 1: {
		int64_t inc = p[0] < 1 ? -1 : 1;
		if (!(l = sl_until_step(c, 1, p[0] + inc, inc)))
			return -1;
		break;
	}
	case 2: {
		int64_t step = p[1] < p[0] ? -1 : 1;
		if (!(l = sl_until_step(c, p[0], p[1] + step, step)))
			return -1;
		break;
	}
	case 3: {
		int64_t inc = 1;
		if (p[2] < p[0]) {
			inc = -1;
			if (p[1] > 0)
				break;
		}
		if (!(l = sl_until_step(c, p[0], p[2] + inc, p[1])))
			return -1;
		break;
	}
	default:
		break;
	}
	sbuf *b = tmpl_call_scratch(c, 0);
	for (size_t i = 0; l && i < l->u.list.len; i++) {
		if (i)
			sbuf_putc(b, ' ');
		sbuf_put_int(b, l->u.list.items[i]->u.i);
	}
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

const tmpl_func sprig_lists_funcs[] = {
	{"append", 2, 2, 0, sl_push},
	{"chunk", 2, 2, 0, sl_chunk},
	{"compact", 1, 1, 0, sl_compact},
	{"concat", 0, -1, 0, sl_concat},
	{"first", 1, 1, 0, sl_first},
	{"has", 2, 2, 0, sl_has},
	{"initial", 1, 1, 0, sl_initial},
	{"last", 1, 1, 0, sl_last},
	{"list", 0, -1, 0, sl_list},
	{"mustAppend", 2, 2, 0, sl_push},
	{"mustChunk", 2, 2, 0, sl_chunk},
	{"mustCompact", 1, 1, 0, sl_compact},
	{"mustFirst", 1, 1, 0, sl_first},
	{"mustHas", 2, 2, 0, sl_has},
	{"mustInitial", 1, 1, 0, sl_initial},
	{"mustLast", 1, 1, 0, sl_last},
	{"mustPrepend", 2, 2, 0, sl_prepend},
	{"mustPush", 2, 2, 0, sl_push},
	{"mustRest", 1, 1, 0, sl_rest},
	{"mustReverse", 1, 1, 0, sl_reverse},
	{"mustSlice", 1, -1, 0, sl_slice},
	{"mustUniq", 1, 1, 0, sl_uniq},
	{"mustWithout", 1, -1, 0, sl_without},
	{"prepend", 2, 2, 0, sl_prepend},
	{"push", 2, 2, 0, sl_push},
	{"rest", 1, 1, 0, sl_rest},
	{"reverse", 1, 1, 0, sl_reverse},
	{"seq", 0, -1, 0, sl_seq},
	{"slice", 1, -1, 0, sl_slice},
	{"tuple", 0, -1, 0, sl_list},
	{"uniq", 1, 1, 0, sl_uniq},
	{"until", 1, 1, 0, sl_until},
	{"untilStep", 3, 3, 0, sl_untilstep},
	{"without", 1, -1, 0, sl_without},
	{NULL, 0, 0, 0, NULL}
};
