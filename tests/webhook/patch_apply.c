/* patch_apply.c: RFC 6902 add, remove and replace over immutable values, with RFC 6901 pointers, for the patch test. */
#include "patch_helm.h"

#include <stdlib.h>
#include <string.h>

/* A list index token: digits only (or "-", the end, for add). */
static bool index_of(const char *tok, size_t len, bool add, size_t *at)
{
	if (add && strcmp(tok, "-") == 0) {
		*at = len;
		return true;
	}
	if (!*tok || strspn(tok, "0123456789") != strlen(tok) || (tok[0] == '0' && tok[1]))
		return false;
	*at = strtoul(tok, NULL, 10);
	return add ? *at <= len : *at < len;
}

static int apply_at(tmpl_arena *a, const tv *node, const char *path, const char *op,
		    const tv *value, const tv **out, tmpl_error *err)
{
	const char *tok = path + 1, *end = strchr(tok, '/');
	size_t tl = end ? (size_t)(end - tok) : strlen(tok);
	char *key = arena_alloc(a, tl + 1);
	size_t kl = 0;
	for (size_t i = 0; i < tl; i++) {
		if (tok[i] == '~' && i + 1 < tl && (tok[i + 1] == '0' || tok[i + 1] == '1')) {
			key[kl++] = tok[i + 1] == '0' ? '~' : '/';
			i++;
		} else {
			key[kl++] = tok[i];
		}
	}
	key[kl] = 0;
	bool add = strcmp(op, "add") == 0, last = !end;
	if (node && node->kind == TV_MAP) {
		const tv *child = tv_map_get(node, key, kl);
		if (last) {
			if (!add && !child)
				goto missing;
			*out = strcmp(op, "remove") == 0 ? inj_without(a, node, key)
							  : inj_set(a, node, key, value);
			return 0;
		}
		if (!child || apply_at(a, child, end, op, value, &child, err) != 0)
			return child ? -1 : tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
							   "patch path %s: no %s", path, key);
		*out = inj_set(a, node, key, child);
		return 0;
	}
	if (node && node->kind == TV_LIST) {
		size_t n = node->u.list.len, at;
		if (!index_of(key, n, add && last, &at))
			goto missing;
		if (!last) {
			const tv *child;
			if (apply_at(a, node->u.list.items[at], end, op, value, &child, err) != 0)
				return -1;
			tv *l = tv_list_new(a, n);
			memcpy(l->u.list.items, node->u.list.items, n * sizeof(tv *));
			l->u.list.items[at] = child;
			*out = l;
			return 0;
		}
		size_t m = add ? n + 1 : strcmp(op, "remove") == 0 ? n - 1 : n;
		tv *l = tv_list_new(a, m);
		for (size_t i = 0, j = 0; i < n; i++) {
			if (i == at && add)
				l->u.list.items[j++] = value;
			if (i == at && strcmp(op, "replace") == 0)
				l->u.list.items[j++] = value;
			else if (!(i == at && strcmp(op, "remove") == 0))
				l->u.list.items[j++] = node->u.list.items[i];
		}
		if (add && at == n)
			l->u.list.items[n] = value;
		*out = l;
		return 0;
	}
missing:
	return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "patch %s %s: no such location", op,
			      path);
}

int ph_apply(tmpl_arena *a, const tv *doc, const tv *patch, const tv **out, tmpl_error *err)
{
	for (size_t i = 0; patch && patch->kind == TV_LIST && i < patch->u.list.len; i++) {
		const tv *o = patch->u.list.items[i];
		const char *op = inj_str(o, "op"), *path = inj_str(o, "path");
		if (!op || !path || path[0] != '/' ||
		    (strcmp(op, "add") && strcmp(op, "remove") && strcmp(op, "replace")))
			return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
					      "patch operation %zu: unsupported", i);
		if (apply_at(a, doc, path, op, inj_get(o, "value"), &doc, err) != 0)
			return -1;
	}
	*out = doc;
	return 0;
}
