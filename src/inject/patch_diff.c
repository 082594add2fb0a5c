/* patch_diff.c: the RFC 6902 JSON patch that turns one pod into another (the newest webhook's createPatch), found by walking both side by side: a subtree the merge left alone is the same value and is skipped at once, so the work is linear in the pods' size. */
#include "inject/patch.h"

#include <string.h>

typedef inj_patch_ops diff_ops;

/* Append {op, path, value}; value NULL is left out (a remove). */
static void emit(diff_ops *o, const char *name, const sbuf *path, const tv *value)
{
	inj_patch_op(o, name, path->buf, path->len, value);
}

/* Deep equality of two JSON values (maps by key, lists in order). */
static bool same(const tv *x, const tv *y)
{
	if (x == y)
		return true;
	if (!x || !y || x->kind != y->kind)
		return false;
	if (x->kind == TV_MAP) {
		if (x->u.map.len != y->u.map.len)
			return false;
		for (size_t i = 0; i < x->u.map.len; i++) {
			const tv *k = x->u.map.pairs[i].key;
			if (k->kind != TV_STRING ||
			    !same(x->u.map.pairs[i].val, tv_map_get(y, k->u.s.ptr, k->u.s.len)))
				return false;
		}
		return true;
	}
	if (x->kind == TV_LIST) {
		if (x->u.list.len != y->u.list.len)
			return false;
		for (size_t i = 0; i < x->u.list.len; i++)
			if (!same(x->u.list.items[i], y->u.list.items[i]))
				return false;
		return true;
	}
	return tv_equal(x, y);
}

/* path + "/" + token, escaped as RFC 6901 says. */
static void push_key(sbuf *path, const char *s, size_t n)
{
	sbuf_putc(path, '/');
	inj_patch_pointer_token(path, s, n);
}

static void push_index(sbuf *path, size_t i)
{
	sbuf_printf(path, "/%zu", i);
}

static void cut(sbuf *path, size_t len)
{
	path->len = len;
	if (path->buf)
		path->buf[len] = 0;
}

static void walk(diff_ops *o, sbuf *path, const tv *x, const tv *y);

static void walk_map(diff_ops *o, sbuf *path, const tv *x, const tv *y)
{
	size_t at = path->len;
	for (size_t i = 0; i < x->u.map.len; i++) {
		const tv *k = x->u.map.pairs[i].key;
		if (k->kind == TV_STRING && !tv_map_get(y, k->u.s.ptr, k->u.s.len)) {
			push_key(path, k->u.s.ptr, k->u.s.len);
			emit(o, "remove", path, NULL);
			cut(path, at);
		}
	}
	for (size_t i = 0; i < y->u.map.len; i++) {
		const tv *k = y->u.map.pairs[i].key, *v = y->u.map.pairs[i].val;
		if (k->kind != TV_STRING)
			continue;
		const tv *old = tv_map_get(x, k->u.s.ptr, k->u.s.len);
		if (old == v)
			continue;
		push_key(path, k->u.s.ptr, k->u.s.len);
		if (!old)
			emit(o, "add", path, v);
		else
			walk(o, path, old, v);
		cut(path, at);
	}
}

/* Lists of one length change item by item; a list that only grew at its end
 * gets adds, one that only shrank at its end removes (last first); any other
 * change replaces the list. */
static void walk_list(diff_ops *o, sbuf *path, const tv *x, const tv *y)
{
	size_t nx = x->u.list.len, ny = y->u.list.len, at = path->len, k = 0;
	if (nx == ny) {
		for (size_t i = 0; i < nx; i++) {
			if (x->u.list.items[i] == y->u.list.items[i])
				continue;
			push_index(path, i);
			walk(o, path, x->u.list.items[i], y->u.list.items[i]);
			cut(path, at);
		}
		return;
	}
	size_t n = nx < ny ? nx : ny;
	while (k < n && same(x->u.list.items[k], y->u.list.items[k]))
		k++;
	if (k < n) {
		emit(o, "replace", path, y);
		return;
	}
	if (ny > nx) {
		sbuf_puts(path, "/-");
		for (size_t i = nx; i < ny; i++)
			emit(o, "add", path, y->u.list.items[i]);
	} else {
		for (size_t i = nx; i-- > ny;) {
			push_index(path, i);
			emit(o, "remove", path, NULL);
			cut(path, at);
		}
	}
	cut(path, at);
}

static void walk(diff_ops *o, sbuf *path, const tv *x, const tv *y)
{
	if (x == y)
		return;
	if (x->kind == TV_MAP && y->kind == TV_MAP)
		walk_map(o, path, x, y);
	else if (x->kind == TV_LIST && y->kind == TV_LIST)
		walk_list(o, path, x, y);
	else if (!same(x, y))
		emit(o, "replace", path, y);
}

const tv *inj_patch_diff(tmpl_arena *a, const tv *from, const tv *to)
{
	diff_ops o = {.a = a};
	sbuf path = SBUF_INIT;
	walk(&o, &path, from, to);
	sbuf_free(&path);
	return inj_patch_ops_list(&o);
}
