/* util.c: small helpers over immutable YAML values for the injector (lookup, copy-on-set, concatenation). */
#include "inject.h"

#include <string.h>

const tv *inj_get(const tv *map, const char *key)
{
	if (!map || map->kind != TV_MAP)
		return TV_NOVALUE;
	return tv_map_get(map, key, strlen(key));
}

const char *inj_str(const tv *map, const char *key)
{
	const tv *v = inj_get(map, key);
	return v && v->kind == TV_STRING ? v->u.s.ptr : NULL;
}

const tv *inj_cstr(tmpl_arena *a, const char *s)
{
	return tv_string(a, s, strlen(s));
}

const tv *inj_set(tmpl_arena *a, const tv *map, const char *key, const tv *val)
{
	size_t n = map && map->kind == TV_MAP ? map->u.map.len : 0;
	size_t klen = strlen(key);
	tv *m = tv_map_new(a, n + 1);
	bool done = false;
	for (size_t i = 0; i < n; i++) {
		const tv_pair *p = &map->u.map.pairs[i];
		if (!done && p->key->kind == TV_STRING && p->key->u.s.len == klen &&
		    memcmp(p->key->u.s.ptr, key, klen) == 0) {
			tv_map_add(a, m, p->key, val);
			done = true;
		} else {
			tv_map_add(a, m, p->key, p->val);
		}
	}
	if (!done)
		tv_map_add(a, m, tv_string(a, key, klen), val);
	if (map)
		m->flags = map->flags;
	tv_map_seal(a, m);
	return m;
}

const tv *inj_without(tmpl_arena *a, const tv *map, const char *key)
{
	if (!inj_get(map, key))
		return map;
	tv *m = tv_map_new(a, map->u.map.len);
	for (size_t k = 0; k < map->u.map.len; k++) {
		const tv_pair *p = &map->u.map.pairs[k];
		if (!(p->key->kind == TV_STRING && strcmp(p->key->u.s.ptr, key) == 0))
			tv_map_add(a, m, p->key, p->val);
	}
	m->flags = map->flags;
	tv_map_seal(a, m);
	return m;
}

const tv *inj_concat(tmpl_arena *a, const tv *x, const tv *y)
{
	size_t nx = x && x->kind == TV_LIST ? x->u.list.len : 0;
	size_t ny = y && y->kind == TV_LIST ? y->u.list.len : 0;
	tv *l = tv_list_new(a, nx + ny);
	for (size_t i = 0; i < nx; i++)
		l->u.list.items[i] = x->u.list.items[i];
	for (size_t i = 0; i < ny; i++)
		l->u.list.items[nx + i] = y->u.list.items[i];
	return l;
}
