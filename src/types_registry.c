/* types_registry.c: finds a type of the generated tables (stdlib/types/) by name, and a struct's field by Go or JSON name. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "types/tables.h"
#include "tmpl_value.h"

/* Names: each named type as Go's %T prints it ("v1.PodSpec",
 * "meshconfig.ProxyConfig", "*int32" for the predeclared types' composites),
 * plus the Kubernetes, OpenShift and Istio networking types qualified by
 * group and version ("apps/v1.Deployment", "extensions/v1beta1.Deployment",
 * "apps.openshift.io/v1.DeploymentStrategy"), since Go's short names repeat
 * across groups. A short name shared by several groups means the one Istio
 * 1.1 decodes: core/v1, meta/v1, extensions/v1beta1, apps/v1beta1 (StatefulSet),
 * batch/v1beta1, then apps/v1, batch/v1 and OpenShift. Kubernetes means 1.11
 * (Istio 1.1); the newest Kubernetes and OpenShift types, which the newest
 * Istio decodes, have only qualified names under "latest/"
 * ("latest/core/v1.PodSpec", "latest/apps/v1.Deployment"), as do the newest
 * injector's structs ("latest/inject.SidecarTemplateData") and the newest mesh
 * messages that differ from Istio 1.1's ("latest/meshconfig.ProxyConfig", whose
 * concurrency is an Int32Value; "meshconfig.ProxyConfig" keeps 1.1's int32). */
typedef struct types_key {
	const char *name;
	const tmpl_type *type;
} types_key;

static const types_key types_keys[] = {
#include "types/registry_keys.inc"
};

const tmpl_type *types_lookup(const char *go_name)
{
	size_t lo = 0, hi = sizeof types_keys / sizeof types_keys[0];

	if (!go_name)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(go_name, types_keys[mid].name);
		if (c == 0)
			return types_keys[mid].type;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const tmpl_type *types_struct_of(const tmpl_type *t)
{
	if (t && t->kind == TK_PTR)
		t = t->elem;
	return t && t->kind == TK_STRUCT ? t : NULL;
}

static bool types_name_is(const char *s, const char *name, size_t len)
{
	return s && strncmp(s, name, len) == 0 && s[len] == '\0';
}

/* Go's promotion through embedded structs, for the embedded fields the tables
 * mark inline (TypeMeta in every object, Handler in Probe): the shallowest
 * match wins, a tie at the same depth is no match. by_json also makes the
 * inline field itself invisible, as encoding/json does. */
static const tmpl_field *types_find(const tmpl_type *t, const char *name, size_t len, bool by_json,
				    int depth, int *found_depth)
{
	const tmpl_field *best = NULL;
	int best_depth = 0;
	bool tie = false;

	t = types_struct_of(t);
	if (!t || depth > 8)
		return NULL;
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		if (by_json && (f->flags & TF_INLINE))
			continue;
		if (types_name_is(by_json ? f->json_name : f->go_name, name, len)) {
			*found_depth = depth;
			return f;
		}
	}
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		int d = 0;
		const tmpl_field *g;
		if (!(f->flags & TF_INLINE))
			continue;
		g = types_find(f->type, name, len, by_json, depth + 1, &d);
		if (!g)
			continue;
		if (!best || d < best_depth) {
			best = g;
			best_depth = d;
			tie = false;
		} else if (d == best_depth) {
			tie = true;
		}
	}
	if (!best || tie)
		return NULL;
	*found_depth = best_depth;
	return best;
}

/* ---- field index ----
 * Decoding a pod looks up every key of every object by name; the linear,
 * recursive search above costs thousands of instructions per key. Each
 * struct type gets, on first use, a hash table of every name the search
 * can find (its fields' and its inline fields' names, to the same depth)
 * with the search's answer, so a lookup is one probe. The tables are built
 * lock-free: a thread that loses the race to publish one frees its own. */

/* Names hash as map keys do (tv_hash), so a template's field names, hashed when
 * it is parsed, need no hashing per lookup. */
typedef struct tf_slot {
	const char *name; /* NULL: empty */
	uint32_t len;
	uint32_t hash;
	const tmpl_field *by_go, *by_json;
	uint32_t go_json_len, go_json_hash; /* by_go's JSON name: its length and tv_hash */
} tf_slot;

typedef struct tf_table {
	size_t mask;
	tf_slot slots[];
} tf_table;

typedef struct tf_type {
	const tmpl_type *type;
	_Atomic(tf_table *) table;
	_Atomic(types_layout *) layout;
} tf_type;

#define TF_NTYPES 4096 /* a power of two above twice the struct types of the tables */
static tf_type tf_types[TF_NTYPES];
static pthread_once_t tf_once = PTHREAD_ONCE_INIT;

static size_t tf_type_slot(const tmpl_type *t)
{
	return ((uintptr_t)t >> 4) * 2654435761u & (TF_NTYPES - 1);
}

static void tf_init(void)
{
	for (size_t i = 0; i < sizeof types_keys / sizeof types_keys[0]; i++) {
		const tmpl_type *t = types_struct_of(types_keys[i].type);
		if (!t)
			continue;
		size_t s = tf_type_slot(t);
		while (tf_types[s].type && tf_types[s].type != t)
			s = (s + 1) & (TF_NTYPES - 1);
		tf_types[s].type = t;
	}
}


static tf_slot *tf_probe(tf_table *tb, const char *name, size_t len, uint32_t h)
{
	for (size_t s = h & tb->mask;; s = (s + 1) & tb->mask) {
		tf_slot *e = &tb->slots[s];
		if (!e->name || (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0))
			return e;
	}
}

/* Every name the search may find in t: fields and inline fields' fields. */
static size_t tf_names(const tmpl_type *t, int depth, tf_table *tb)
{
	size_t n = 0;
	t = types_struct_of(t);
	if (!t || depth > 8)
		return 0;
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		const char *names[2] = {f->go_name, f->json_name};
		for (int k = 0; k < 2; k++) {
			n++;
			if (!tb || !names[k])
				continue;
			size_t len = strlen(names[k]);
			uint32_t h = tv_hash(names[k], len);
			tf_slot *e = tf_probe(tb, names[k], len, h);
			if (!e->name) {
				e->name = names[k];
				e->len = (uint32_t)len;
				e->hash = h;
			}
		}
		if (f->flags & TF_INLINE)
			n += tf_names(f->type, depth + 1, tb);
	}
	return n;
}

static tf_table *tf_build(const tmpl_type *t)
{
	size_t cap = 8;
	size_t n = tf_names(t, 0, NULL);
	while (cap < 2 * n)
		cap *= 2;
	tf_table *tb = calloc(1, sizeof *tb + cap * sizeof tb->slots[0]);
	if (!tb)
		return NULL;
	tb->mask = cap - 1;
	tf_names(t, 0, tb);
	for (size_t i = 0; i < cap; i++) {
		tf_slot *e = &tb->slots[i];
		int d = 0;
		if (!e->name)
			continue;
		e->by_go = types_find(t, e->name, e->len, false, 0, &d);
		e->by_json = types_find(t, e->name, e->len, true, 0, &d);
		if (e->by_go && e->by_go->json_name) {
			e->go_json_len = (uint32_t)strlen(e->by_go->json_name);
			e->go_json_hash = tv_hash(e->by_go->json_name, e->go_json_len);
		}
	}
	return tb;
}

/* The slot of struct type t, or NULL if t is not in the tables. */
static tf_type *tf_type_of(const tmpl_type *t)
{
	pthread_once(&tf_once, tf_init);
	size_t s = tf_type_slot(t);
	while (tf_types[s].type && tf_types[s].type != t)
		s = (s + 1) & (TF_NTYPES - 1);
	return tf_types[s].type ? &tf_types[s] : NULL;
}

/* The index of struct type t, built on first use; NULL if t is not in the tables. */
static tf_table *tf_table_of(const tmpl_type *t)
{
	tf_type *ty = tf_type_of(t);
	if (!ty)
		return NULL;
	size_t s = (size_t)(ty - tf_types);
	tf_table *tb = atomic_load_explicit(&tf_types[s].table, memory_order_acquire);
	if (tb)
		return tb;
	tf_table *mine = tf_build(t), *expect = NULL;
	if (!mine)
		return NULL;
	if (atomic_compare_exchange_strong_explicit(&tf_types[s].table, &expect, mine,
						    memory_order_acq_rel, memory_order_acquire))
		return mine;
	free(mine);
	return expect;
}

static const tmpl_field *types_field(const tmpl_type *t, const char *name, size_t len,
				     uint32_t hash, bool by_json, uint32_t *json_len,
				     uint32_t *json_hash)
{
	int d = 0;
	const tmpl_type *st = types_struct_of(t);
	if (!name || !st)
		return NULL;
	tf_table *tb = tf_table_of(st);
	const tmpl_field *f;
	if (!tb) {
		f = types_find(st, name, len, by_json, 0, &d);
		if (f && json_len) {
			*json_len = f->json_name ? (uint32_t)strlen(f->json_name) : 0;
			*json_hash = f->json_name ? tv_hash(f->json_name, *json_len) : 0;
		}
		return f;
	}
	tf_slot *e = tf_probe(tb, name, len, hash);
	if (!e->name)
		return NULL;
	if (by_json)
		return e->by_json;
	if (json_len) {
		*json_len = e->go_json_len;
		*json_hash = e->go_json_hash;
	}
	return e->by_go;
}

const tmpl_field *types_field_go(const tmpl_type *t, const char *name, size_t len)
{
	return types_field(t, name, len, tv_hash(name, len), false, NULL, NULL);
}

const tmpl_field *types_field_go_h(const tmpl_type *t, const char *name, size_t len,
				   uint32_t hash, uint32_t *json_len, uint32_t *json_hash)
{
	return types_field(t, name, len, hash, false, json_len, json_hash);
}

const tmpl_field *types_field_json(const tmpl_type *t, const char *name, size_t len)
{
	return types_field(t, name, len, tv_hash(name, len), true, NULL, NULL);
}

/* ---- layouts ---- */

static size_t layout_count(const tmpl_type *t, int depth)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		const tmpl_type *e = f->type;
		if (e->kind == TK_PTR && e->elem)
			e = e->elem;
		if ((f->flags & TF_INLINE) && e->kind == TK_STRUCT && depth < 8)
			n += layout_count(e, depth + 1);
		else
			n++;
	}
	return n;
}

static size_t layout_fill(const tmpl_type *t, types_layout *l, size_t k, int depth)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		const tmpl_type *e = f->type;
		if (e->kind == TK_PTR && e->elem)
			e = e->elem;
		if ((f->flags & TF_INLINE) && e->kind == TK_STRUCT && depth < 8) {
			size_t k0 = k;
			k = layout_fill(e, l, k, depth + 1);
			for (size_t j = k0; j < k; j++)
				l->promoted[j] = true;
			continue;
		}
		tv *key = &l->key_values[k];
		key->kind = TV_STRING;
		key->flags = TVF_HASHED;
		key->u.s.ptr = f->json_name;
		key->u.s.len = strlen(f->json_name);
		key->hash = tv_hash(key->u.s.ptr, key->u.s.len);
		l->fields[k] = f;
		l->keys[k] = key;
		k++;
	}
	return k;
}

types_layout *types_layout_new(const tmpl_type *t)
{
	t = types_struct_of(t);
	if (!t)
		return NULL;
	size_t n = layout_count(t, 0), cap = 8;
	while (cap < 2 * n)
		cap *= 2;
	types_layout *l = calloc(1, sizeof *l);
	if (!l)
		tmpl_out_of_memory();
	l->n = n;
	l->mask = cap - 1;
	l->fields = calloc(n ? n : 1, sizeof *l->fields);
	l->keys = calloc(n ? n : 1, sizeof *l->keys);
	l->key_values = calloc(n ? n : 1, sizeof *l->key_values);
	l->promoted = calloc(n ? n : 1, sizeof *l->promoted);
	l->slots = malloc(cap * sizeof *l->slots);
	if (!l->fields || !l->keys || !l->key_values || !l->promoted || !l->slots)
		tmpl_out_of_memory();
	for (size_t i = 0; i < cap; i++)
		l->slots[i] = -1;
	layout_fill(t, l, 0, 0);
	/* The first field of a name wins, as a search in Go's order finds it. */
	for (size_t j = 0; j < n; j++) {
		const tv *k = l->keys[j];
		for (size_t s = k->hash & l->mask;; s = (s + 1) & l->mask) {
			if (l->slots[s] < 0) {
				l->slots[s] = (int32_t)j;
				break;
			}
			if (l->keys[l->slots[s]]->u.s.len == k->u.s.len &&
			    memcmp(l->keys[l->slots[s]]->u.s.ptr, k->u.s.ptr, k->u.s.len) == 0)
				break;
		}
	}
	return l;
}

void types_layout_free(types_layout *l)
{
	if (!l)
		return;
	free(l->fields);
	free(l->keys);
	free(l->key_values);
	free(l->promoted);
	free(l->slots);
	free(l);
}

const types_layout *types_layout_of(const tmpl_type *t)
{
	const tmpl_type *st = types_struct_of(t);
	tf_type *ty = st ? tf_type_of(st) : NULL;
	if (!ty)
		return NULL;
	types_layout *l = atomic_load_explicit(&ty->layout, memory_order_acquire);
	if (l)
		return l;
	types_layout *mine = types_layout_new(st), *expect = NULL;
	if (atomic_compare_exchange_strong_explicit(&ty->layout, &expect, mine, memory_order_acq_rel,
						    memory_order_acquire))
		return mine;
	types_layout_free(mine);
	return expect;
}

int types_layout_find(const types_layout *l, const char *name, size_t len, uint32_t hash)
{
	for (size_t s = hash & l->mask;; s = (s + 1) & l->mask) {
		int32_t j = l->slots[s];
		if (j < 0)
			return -1;
		const tv *k = l->keys[j];
		if (k->hash == hash && k->u.s.len == len && memcmp(k->u.s.ptr, name, len) == 0)
			return j;
	}
}
