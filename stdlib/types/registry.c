/* registry.c: finds a type of the tables by name, and a struct's field by Go or JSON name. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"

/* Names: each named type as Go's %T prints it ("v1.PodSpec",
 * "meshconfig.ProxyConfig", "*int32" for the predeclared types' composites),
 * plus the Kubernetes, OpenShift and Istio networking types qualified by
 * group and version ("apps/v1.Deployment", "extensions/v1beta1.Deployment",
 * "apps.openshift.io/v1.DeploymentStrategy"), since Go's short names repeat
 * across groups. A short name shared by several groups means the one Istio
 * 1.1 decodes: core/v1, meta/v1, extensions/v1beta1, apps/v1beta1 (StatefulSet),
 * batch/v1beta1, then apps/v1, batch/v1 and OpenShift. Kubernetes means 1.13
 * (Istio 1.1); the newest Kubernetes and OpenShift types, which the newest
 * Istio decodes, have only qualified names under "latest/"
 * ("latest/core/v1.PodSpec", "latest/apps/v1.Deployment"), as do the newest
 * injector's structs ("latest/inject.SidecarTemplateData"). */
typedef struct types_key {
	const char *name;
	const tmpl_type *type;
} types_key;

static const types_key types_keys[] = {
#include "registry_keys.inc"
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

typedef struct tf_slot {
	const char *name; /* NULL: empty */
	uint32_t len;
	uint32_t hash;
	const tmpl_field *by_go, *by_json;
} tf_slot;

typedef struct tf_table {
	size_t mask;
	tf_slot slots[];
} tf_table;

typedef struct tf_type {
	const tmpl_type *type;
	_Atomic(tf_table *) table;
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

static uint32_t tf_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
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
			uint32_t h = tf_hash(names[k], len);
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
	}
	return tb;
}

/* The index of struct type t, built on first use; NULL if t is not in the tables. */
static tf_table *tf_table_of(const tmpl_type *t)
{
	pthread_once(&tf_once, tf_init);
	size_t s = tf_type_slot(t);
	while (tf_types[s].type && tf_types[s].type != t)
		s = (s + 1) & (TF_NTYPES - 1);
	if (!tf_types[s].type)
		return NULL;
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

static const tmpl_field *types_field(const tmpl_type *t, const char *name, size_t len, bool by_json)
{
	int d = 0;
	const tmpl_type *st = types_struct_of(t);
	if (!name || !st)
		return NULL;
	tf_table *tb = tf_table_of(st);
	if (!tb)
		return types_find(st, name, len, by_json, 0, &d);
	tf_slot *e = tf_probe(tb, name, len, tf_hash(name, len));
	if (!e->name)
		return NULL;
	return by_json ? e->by_json : e->by_go;
}

const tmpl_field *types_field_go(const tmpl_type *t, const char *name, size_t len)
{
	return types_field(t, name, len, false);
}

const tmpl_field *types_field_json(const tmpl_type *t, const char *name, size_t len)
{
	return types_field(t, name, len, true);
}
