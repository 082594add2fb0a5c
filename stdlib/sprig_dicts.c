/* sprig_dicts.c: sprig's dict functions (dict, get, set, unset, hasKey, pluck, dig, keys, values, pick, omit, merge and mergeOverwrite with mergo's rules, deepCopy, deepEqual) and their must- twins.
 *
 * A Go map is a reference: set, unset and merge change the map they are
 * given, and everything holding it (variables, the dicts and data it sits
 * in) sees the change. So do we: they change the map in place (tv_map_put,
 * tv_map_del), whether `dict` made it or it came from the data, as Go's
 * template changes its data's map[string]interface {} (see the ownership
 * rule in tmpl_value.h). They are FN_MUTATES, so a range keeps its values.
 * The render puts every changed map back when it ends (tmpl_call_will_change),
 * so the caller's data is as it was, and no map of it points into the
 * render's arena once that is gone.
 *
 * One departure: Go lets a map come to hold itself, and then printing,
 * merging or copying it recurses until the Go process dies; here the change
 * that would close such a cycle is refused with an error instead.
 */
#include <string.h>

#include "builtin.h"
#include "fnarg.h"
#include "sprig.h"
#include "types.h"
#include "types/tables.h"

#define SD_MAP_TYPE "map[string]interface {}"

/* mergo's recursion is bounded by the data's depth; ours too, with a bound
 * that a YAML document or a template's dicts do not reach in practice. */
#define SD_MAX_DEPTH 2000

/* A map[string]interface {} parameter, as Go's evaluator converts it: nil
 * and a missing value give Go's nil map (*m = NULL), a null element of the
 * data is an interface {} that does not convert. */
static int sd_map_arg(tmpl_call *c, size_t i, tv **m)
{
	const tv *v = c->args[i];
	*m = NULL;
	if (!v)
		return 0;
	if (v->kind != TV_MAP || (v->flags & TVF_ANYKEYS) ||
	    (v->type && strcmp(v->type->go_name, SD_MAP_TYPE) != 0))
		return fnarg_param_error(c, i, SD_MAP_TYPE);
	*m = (tv *)v; /* a map is a reference: see the top of this file */
	return 0;
}

/* A value to store: Go's nil interface is our null element. */
static const tv *sd_elem(const tv *v)
{
	return v ? v : &tv_null_value;
}

/* A string key as the map holds it. */
static const tv *sd_key(tmpl_call *c, const char *s, size_t n)
{
	return tv_string(c->arena, s, n);
}

static const tv *sd_get(const tv *m, const tv *key)
{
	if (!m)
		return TV_NOVALUE;
	long at = tv_map_find_key(m, key);
	return at < 0 ? TV_NOVALUE : m->u.map.pairs[at].val;
}

static tv *sd_new_map(tmpl_call *c, size_t cap)
{
	tv *m = tv_map_new(c->arena, cap);
	tv_map_seal(c->arena, m);
	return m;
}

/* ---- cycles ---- */

/* A set of container values already walked (open addressing on pointers). */
typedef struct sd_seen {
	const tv **slot;
	size_t mask, n;
} sd_seen;

static bool sd_seen_add(tmpl_call *c, sd_seen *s, const tv *v)
{
	if (!s->slot || (s->n + 1) * 2 > s->mask + 1) {
		sd_seen o = *s;
		size_t size = o.slot ? (o.mask + 1) * 2 : 64;
		s->slot = arena_alloc(c->arena, size * sizeof *s->slot);
		s->mask = size - 1;
		s->n = 0;
		for (size_t i = 0; o.slot && i <= o.mask; i++)
			if (o.slot[i])
				sd_seen_add(c, s, o.slot[i]);
	}
	size_t h = ((uintptr_t)v >> 4) * 0x9E3779B97F4A7C15ull;
	for (size_t i = (h >> 20) & s->mask;; i = (i + 1) & s->mask) {
		if (s->slot[i] == v)
			return false;
		if (!s->slot[i]) {
			s->slot[i] = v;
			s->n++;
			return true;
		}
	}
}

/* Can target be reached from v (v itself included)? An explicit stack and a
 * set of the containers seen: dicts nest deeply and share parts. */
static bool sd_reaches(tmpl_call *c, const tv *v, const tv *target)
{
	if (!v || (v->kind != TV_MAP && v->kind != TV_LIST))
		return false;
	sd_seen seen = {0};
	size_t n = 0, cap = 64;
	const tv **stack = arena_alloc(c->arena, cap * sizeof *stack);
	stack[n++] = v;
	while (n) {
		const tv *x = stack[--n];
		if (x == target)
			return true;
		if (!sd_seen_add(c, &seen, x))
			continue;
		size_t k = x->kind == TV_MAP ? x->u.map.len : x->u.list.len;
		for (size_t i = 0; i < k; i++) {
			const tv *e = x->kind == TV_MAP ? x->u.map.pairs[i].val : x->u.list.items[i];
			if (e->kind != TV_MAP && e->kind != TV_LIST)
				continue;
			if (n == cap) {
				const tv **ns = arena_alloc(c->arena, cap * 2 * sizeof *ns);
				memcpy(ns, stack, n * sizeof *ns);
				stack = ns;
				cap *= 2;
			}
			stack[n++] = e;
		}
	}
	return false;
}

/* m[key] = val, refused when m would come to hold itself. */
static int sd_store(tmpl_call *c, tv *m, const tv *key, const tv *val)
{
	if (sd_reaches(c, val, m))
		return tmpl_call_errorf(c, "a map may not come to hold itself (Go's printing and merging of it would never end)");
	tmpl_call_will_change(c, m);
	tv_map_put(c->arena, m, key, val);
	return 0;
}

/* ---- dict, get, set, unset, hasKey ---- */

/* dict KEY VALUE ...: keys are strval'ed; a last key without a value maps to "". */
static int sd_dict(tmpl_call *c, const tv **r)
{
	tv *m = sd_new_map(c, c->nargs / 2 + 1);
	for (size_t i = 0; i < c->nargs; i += 2) {
		sbuf *b = tmpl_call_scratch(c, 1);
		if (sprig_strval_call(c, b, c->args[i]) != 0)
			return -1;
		const tv *k = sd_key(c, b->buf ? b->buf : "", b->len);
		const tv *v = i + 1 < c->nargs ? sd_elem(c->args[i + 1]) : tv_string(c->arena, "", 0);
		tv_map_put(c->arena, m, k, v);
	}
	*r = m;
	return 0;
}

/* get DICT KEY: the value, or "" when the key is absent. */
static int sd_get_fn(tmpl_call *c, const tv **r)
{
	tv *m;
	const char *s;
	size_t n;
	if (sd_map_arg(c, 0, &m) < 0 || fnarg_string(c, 1, &s, &n) < 0)
		return -1;
	const tv *v = m ? tv_map_get(m, s, n) : TV_NOVALUE;
	*r = v ? v : tv_string(c->arena, "", 0);
	return 0;
}

static int sd_set(tmpl_call *c, const tv **r)
{
	tv *m;
	const char *s;
	size_t n;
	if (sd_map_arg(c, 0, &m) < 0 || fnarg_string(c, 1, &s, &n) < 0)
		return -1;
	if (!m)
		return tmpl_call_errorf(c, "assignment to entry in nil map");
	if (sd_store(c, m, sd_key(c, s, n), sd_elem(c->args[2])) < 0)
		return -1;
	*r = m;
	return 0;
}

static int sd_unset(tmpl_call *c, const tv **r)
{
	tv *m;
	const char *s;
	size_t n;
	if (sd_map_arg(c, 0, &m) < 0 || fnarg_string(c, 1, &s, &n) < 0)
		return -1;
	if (!m) { /* delete on a nil map does nothing */
		*r = sd_new_map(c, 0);
		return 0;
	}
	tmpl_call_will_change(c, m);
	tv_map_del(c->arena, m, sd_key(c, s, n));
	*r = m;
	return 0;
}

static int sd_haskey(tmpl_call *c, const tv **r)
{
	tv *m;
	const char *s;
	size_t n;
	if (sd_map_arg(c, 0, &m) < 0 || fnarg_string(c, 1, &s, &n) < 0)
		return -1;
	*r = tv_bool(m && tv_map_get(m, s, n));
	return 0;
}

/* ---- pluck, keys, values, pick, omit ---- */

/* pluck KEY DICT...: the values of KEY in the dicts that have it. */
static int sd_pluck(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	tv *l = tv_list_new(c->arena, c->nargs - 1);
	size_t k = 0;
	for (size_t i = 1; i < c->nargs; i++) {
		tv *m;
		if (sd_map_arg(c, i, &m) < 0)
			return -1;
		const tv *v = m ? tv_map_get(m, s, n) : TV_NOVALUE;
		if (v)
			l->u.list.items[k++] = v;
	}
	l->u.list.len = k;
	*r = l;
	return 0;
}

/* keys DICT...: a []string, in map order (Go's is random: sort it to print it). */
static int sd_keys(tmpl_call *c, const tv **r)
{
	size_t total = 0;
	for (size_t i = 0; i < c->nargs; i++) {
		tv *m;
		if (sd_map_arg(c, i, &m) < 0)
			return -1;
		total += m ? m->u.map.len : 0;
	}
	tv *l = tv_list_new(c->arena, total);
	size_t k = 0;
	for (size_t i = 0; i < c->nargs; i++) {
		const tv *m = c->args[i];
		for (size_t j = 0; m && j < m->u.map.len; j++)
			l->u.list.items[k++] = m->u.map.pairs[j].key;
	}
	l->type = &types_S_go_string;
	*r = l;
	return 0;
}

/* values DICT: a []interface {}, in map order. */
static int sd_values(tmpl_call *c, const tv **r)
{
	tv *m;
	if (sd_map_arg(c, 0, &m) < 0)
		return -1;
	size_t n = m ? m->u.map.len : 0;
	tv *l = tv_list_new(c->arena, n);
	for (size_t j = 0; j < n; j++)
		l->u.list.items[j] = m->u.map.pairs[j].val;
	*r = l;
	return 0;
}

/* pick DICT KEY... (keep: true) and omit DICT KEY... (keep: false): a new dict. */
static int sd_pick_omit(tmpl_call *c, const tv **r, bool keep)
{
	tv *m;
	if (sd_map_arg(c, 0, &m) < 0)
		return -1;
	for (size_t i = 1; i < c->nargs; i++) {
		const char *s;
		size_t n;
		if (fnarg_string(c, i, &s, &n) < 0)
			return -1;
	}
	tv *res = sd_new_map(c, 0);
	if (keep) {
		for (size_t i = 1; i < c->nargs; i++) {
			const tv *k = c->args[i];
			const tv *v = sd_get(m, k);
			if (v)
				tv_map_put(c->arena, res, k, v);
		}
	} else {
		for (size_t j = 0; m && j < m->u.map.len; j++) {
			bool drop = false;
			for (size_t i = 1; i < c->nargs && !drop; i++)
				drop = tv_equal(m->u.map.pairs[j].key, c->args[i]);
			if (!drop)
				tv_map_put(c->arena, res, m->u.map.pairs[j].key, m->u.map.pairs[j].val);
		}
	}
	*r = res;
	return 0;
}

static int sd_pick(tmpl_call *c, const tv **r)
{
	return sd_pick_omit(c, r, true);
}

static int sd_omit(tmpl_call *c, const tv **r)
{
	return sd_pick_omit(c, r, false);
}

/* ---- dig ---- */

/* Go's failed type assertion x.(T) on an interface {} value. */
static int sd_assert_panic(tmpl_call *c, const tv *x, const char *want)
{
	return tmpl_call_errorf(c, "interface conversion: interface {} is %s, not %s",
				sprig_is_nil(x) ? "nil" : tv_type_name(x), want);
}

static bool sd_is_string_map(const tv *v)
{
	return v && v->kind == TV_MAP && !(v->flags & TVF_ANYKEYS) &&
	       (!v->type || strcmp(v->type->go_name, SD_MAP_TYPE) == 0);
}

static bool sd_is_plain_string(const tv *v)
{
	return v && v->kind == TV_STRING && (!v->type || strcmp(v->type->go_name, "string") == 0);
}

/* dig KEY... DEFAULT DICT: follows KEYs down nested dicts; DEFAULT where a
 * key is missing. Its checks are Go's type assertions, which panic. */
static int sd_dig(tmpl_call *c, const tv **r)
{
	if (c->nargs < 3)
		return tmpl_call_errorf(c, "dig needs at least three arguments");
	const tv *m = c->args[c->nargs - 1];
	if (!sd_is_string_map(m))
		return sd_assert_panic(c, m, SD_MAP_TYPE);
	const tv *def = c->args[c->nargs - 2];
	size_t nk = c->nargs - 2;
	for (size_t i = 0; i < nk; i++)
		if (!sd_is_plain_string(c->args[i]))
			return sd_assert_panic(c, c->args[i], "string");
	for (size_t i = 0; i < nk; i++) {
		const tv *step = tv_map_get_str(m, c->args[i]);
		if (!step) {
			*r = def;
			return 0;
		}
		if (i + 1 == nk) {
			*r = step;
			return 0;
		}
		if (!sd_is_string_map(step))
			return sd_assert_panic(c, step, SD_MAP_TYPE);
		m = step;
	}
	return 0; /* not reached: nk >= 1 */
}

/* ---- merge, mergeOverwrite (mergo v1's deepMerge of two maps) ---- */

/* Go's reflect.Kind of a value that is a map (any map type). */
static bool sd_is_map(const tv *v)
{
	return v && v->kind == TV_MAP;
}

/* mergo's deepMerge(dst, src) for a dst map and a src map, each key of src:
 *  - a nil src value is stored only when overwriting;
 *  - a src map merges into dst's map at that key (in place), if dst has one;
 *  - a src list replaces dst's when overwriting (or when dst is empty);
 *  - then a non-empty dst value stays if src's is a list, or if both are maps;
 *  - else src's value is stored when overwriting, or when dst's is absent or
 *    empty (sprig's empty: nil, false, 0, "", empty list or map).
 * A src key of another type than dst's keys is reflect's panic. */
static int sd_merge_map(tmpl_call *c, tv *dst, const tv *src, bool over, int depth)
{
	if (depth > SD_MAX_DEPTH)
		return tmpl_call_errorf(c, "maps nested too deeply to merge (over %d levels)", SD_MAX_DEPTH);
	bool dst_anykeys = (dst->flags & TVF_ANYKEYS) != 0;
	for (size_t i = 0; i < src->u.map.len; i++) {
		const tv *key = src->u.map.pairs[i].key, *se = src->u.map.pairs[i].val;
		if (!dst_anykeys && (src->flags & TVF_ANYKEYS))
			return tmpl_call_errorf(c, "reflect.Value.MapIndex: value of type interface {} is not assignable to type string");
		const tv *de = sd_get(dst, key);
		if (sprig_is_nil(se)) {
			if (over && sd_store(c, dst, key, &tv_null_value) < 0)
				return -1;
			continue;
		}
		if (sd_is_map(se)) {
			if (sd_is_map(de) && sd_merge_map(c, (tv *)de, se, over, depth + 1) < 0)
				return -1;
		} else if (sprig_is_list(se)) {
			const tv *ds;
			if (!de || sprig_is_nil(de)) {
				tv *l = tv_list_new(c->arena, 0);
				l->type = se->type;
				ds = l;
			} else {
				ds = de;
			}
			if (over || dst->u.map.len == 0)
				ds = se;
			if (sd_store(c, dst, key, ds) < 0)
				return -1;
		}
		if (de && !sprig_empty(de)) {
			if (sprig_is_list(se))
				continue;
			if (sd_is_map(se) && sd_is_map(de))
				continue;
		}
		if ((over || !de || sprig_empty(de)) && sd_store(c, dst, key, se) < 0)
			return -1;
	}
	return 0;
}

static int sd_merge_all(tmpl_call *c, const tv **r, bool over)
{
	tv *dst;
	if (sd_map_arg(c, 0, &dst) < 0)
		return -1;
	for (size_t i = 1; i < c->nargs; i++) {
		tv *src;
		if (sd_map_arg(c, i, &src) < 0)
			return -1;
	}
	for (size_t i = 1; i < c->nargs; i++) {
		const tv *src = c->args[i];
		if (!src)
			continue;
		if (!dst) /* mergo makes Go's nil map a new one */
			dst = sd_new_map(c, src->u.map.len);
		if (sd_merge_map(c, dst, src, over, 0) < 0)
			return -1;
	}
	*r = dst ? dst : sd_new_map(c, 0); /* Go's nil map prints as an empty one */
	return 0;
}

static int sd_merge(tmpl_call *c, const tv **r)
{
	return sd_merge_all(c, r, false);
}

static int sd_merge_over(tmpl_call *c, const tv **r)
{
	return sd_merge_all(c, r, true);
}

/* ---- deepCopy, deepEqual ---- */

/* copystructure.Copy: new maps and lists all the way down, the same types. */
static const tv *sd_copy(tmpl_call *c, const tv *v, int depth, bool *deep)
{
	if (!v || (v->kind != TV_MAP && v->kind != TV_LIST))
		return v;
	if (depth > SD_MAX_DEPTH) {
		*deep = true;
		return v;
	}
	if (v->kind == TV_LIST) {
		tv *l = tv_list_new(c->arena, v->u.list.len);
		for (size_t i = 0; i < v->u.list.len; i++)
			l->u.list.items[i] = sd_copy(c, v->u.list.items[i], depth + 1, deep);
		l->type = v->type;
		l->flags = v->flags;
		return l;
	}
	tv *m = tv_map_new(c->arena, v->u.map.len);
	for (size_t i = 0; i < v->u.map.len; i++)
		tv_map_add(c->arena, m, v->u.map.pairs[i].key,
			   sd_copy(c, v->u.map.pairs[i].val, depth + 1, deep));
	m->type = v->type;
	m->flags = v->flags & (uint8_t)~TVF_CHANGED; /* a new map: not one to put back */
	tv_map_seal(c->arena, m);
	return m;
}

static int sd_deepcopy(tmpl_call *c, const tv **r)
{
	bool deep = false;
	if (sprig_is_nil(c->args[0])) /* copystructure asks reflect for nil's type */
		return tmpl_call_errorf(c, "reflect: call of reflect.Value.Type on zero Value");
	const tv *v = sd_copy(c, c->args[0], 0, &deep);
	if (deep)
		return tmpl_call_errorf(c, "deepCopy error: value nested over %d levels", SD_MAX_DEPTH);
	*r = v;
	return 0;
}

static int sd_deepequal(tmpl_call *c, const tv **r)
{
	*r = tv_bool(sprig_deep_equal(c->args[0], c->args[1]));
	return 0;
}

const tmpl_func sprig_dicts_funcs[] = {
	{"deepCopy", 1, 1, 0, sd_deepcopy},
	{"deepEqual", 2, 2, 0, sd_deepequal},
	{"dict", 0, -1, 0, sd_dict},
	{"dig", 0, -1, 0, sd_dig},
	{"get", 2, 2, 0, sd_get_fn},
	{"hasKey", 2, 2, 0, sd_haskey},
	{"keys", 0, -1, 0, sd_keys},
	{"merge", 1, -1, FN_MUTATES, sd_merge},
	{"mergeOverwrite", 1, -1, FN_MUTATES, sd_merge_over},
	{"mustDeepCopy", 1, 1, 0, sd_deepcopy},
	{"mustMerge", 1, -1, FN_MUTATES, sd_merge},
	{"mustMergeOverwrite", 1, -1, FN_MUTATES, sd_merge_over},
	{"omit", 1, -1, 0, sd_omit},
	{"pick", 1, -1, 0, sd_pick},
	{"pluck", 1, -1, 0, sd_pluck},
	{"set", 3, 3, FN_MUTATES, sd_set},
	{"unset", 2, 2, FN_MUTATES, sd_unset},
	{"values", 1, 1, 0, sd_values},
	{NULL, 0, 0, 0, NULL}
};
