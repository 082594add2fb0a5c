/* registry.c: finds a type of the tables by name, and a struct's field by Go or JSON name. */
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

const tmpl_field *types_field_go(const tmpl_type *t, const char *name, size_t len)
{
	int d = 0;
	return name ? types_find(t, name, len, false, 0, &d) : NULL;
}

const tmpl_field *types_field_json(const tmpl_type *t, const char *name, size_t len)
{
	int d = 0;
	return name ? types_find(t, name, len, true, 0, &d) : NULL;
}
