/* latest_pods.c: the newest Istio's TestInjection webhook half (splitYamlFile, objectToPod, normalizeAndCompareDeployments) for the webhook tests. */
#include "latest_pods.h"

#include <string.h>

#include "json.h"
#include "yaml_load.h"

/* getInjectableYamlDocs' kinds. */
static bool injectable(const char *kind)
{
	static const char *const kinds[] = {"Deployment", "DeploymentConfig", "DaemonSet",
					    "StatefulSet", "Job", "ReplicaSet",
					    "ReplicationController", "CronJob", "Pod", NULL};
	for (int i = 0; kind && kinds[i]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

typedef struct pods {
	const tv **v;
	const char **ns;
	size_t len, cap;
} pods;

static const tv *str(tmpl_arena *a, const char *s)
{
	return inj_cstr(a, s);
}

/* simulateOwnerRef: generateName and the controller's owner reference. */
static const tv *owned(tmpl_arena *a, const tv *meta, const char *name, const char *api,
		       const char *kind)
{
	tv *ref = tv_map_new(a, 4);
	tv_map_add(a, ref, str(a, "apiVersion"), str(a, api));
	tv_map_add(a, ref, str(a, "kind"), str(a, kind));
	tv_map_add(a, ref, str(a, "name"), str(a, name));
	tv_map_add(a, ref, str(a, "controller"), tv_bool(true));
	tv_map_seal(a, ref);
	tv *refs = tv_list_new(a, 1);
	refs->u.list.items[0] = ref;
	if (!meta || meta->kind != TV_MAP)
		meta = tv_map_new(a, 0);
	return inj_set(a, inj_set(a, meta, "generateName", str(a, name)), "ownerReferences", refs);
}

static const tv *pod_of(tmpl_arena *a, const tv *meta, const tv *spec)
{
	tv *p = tv_map_new(a, 2);
	tv_map_add(a, p, str(a, "metadata"), meta ? meta : tv_map_new(a, 0));
	tv_map_add(a, p, str(a, "spec"), spec ? spec : tv_map_new(a, 0));
	tv_map_seal(a, p);
	return p;
}

/* objectToPod. */
static const tv *to_pod(tmpl_arena *a, const tv *doc)
{
	const char *kind = inj_str(doc, "kind"), *api = inj_str(doc, "apiVersion");
	const char *name = inj_str(inj_get(doc, "metadata"), "name");
	api = api ? api : "";
	name = name ? name : "";
	if (strcmp(kind, "Pod") == 0)
		return doc;
	const tv *spec = inj_get(doc, "spec");
	if (strcmp(kind, "CronJob") == 0) {
		const tv *t = inj_get(inj_get(inj_get(spec, "jobTemplate"), "spec"), "template");
		return pod_of(a, owned(a, inj_get(t, "metadata"), name, api, kind), inj_get(t, "spec"));
	}
	const tv *t = inj_get(spec, "template");
	if (strcmp(kind, "Deployment") == 0) {
		/* a double nesting: the pod's owner is the Deployment's ReplicaSet */
		size_t n = strlen(name);
		char *rs = arena_alloc(a, n + 7), *gen = arena_alloc(a, n + 7);
		memcpy(rs, name, n);
		memcpy(rs + n, "-fake", 6);
		memcpy(gen, rs, n + 5);
		memcpy(gen + n + 5, "-", 2);
		const tv *meta = owned(a, inj_get(t, "metadata"), rs, "apps/v1", "ReplicaSet");
		meta = inj_set(a, meta, "generateName", str(a, gen));
		const tv *labels = inj_get(meta, "labels");
		if (!labels || labels->kind != TV_MAP)
			labels = tv_map_new(a, 0);
		meta = inj_set(a, meta, "labels", inj_set(a, labels, "pod-template-hash", str(a, "fake")));
		return pod_of(a, meta, inj_get(t, "spec"));
	}
	return pod_of(a, owned(a, inj_get(t, "metadata"), name, api, kind), inj_get(t, "spec"));
}

static int collect(tmpl_arena *a, const tv *doc, pods *d, tmpl_error *err)
{
	const char *kind = inj_str(doc, "kind");
	if (kind && strcmp(kind, "List") == 0) {
		const tv *items = inj_get(doc, "items");
		for (size_t i = 0; items && items->kind == TV_LIST && i < items->u.list.len; i++)
			if (collect(a, items->u.list.items[i], d, err) != 0)
				return -1;
		return 0;
	}
	if (!injectable(kind))
		return 0;
	const tv *pod;
	if (types_normalize_ex(a, types_lookup("latest/core/v1.Pod"), to_pod(a, doc), 0, &pod,
			       err) != 0)
		return -1;
	if (d->len == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		const tv **v = arena_alloc(a, cap * sizeof *v);
		const char **ns = arena_alloc(a, cap * sizeof *ns);
		if (d->len) {
			memcpy(v, d->v, d->len * sizeof *v);
			memcpy(ns, d->ns, d->len * sizeof *ns);
		}
		d->v = v;
		d->ns = ns;
		d->cap = cap;
	}
	d->ns[d->len] = inj_str(inj_get(doc, "metadata"), "namespace");
	d->v[d->len++] = pod;
	return 0;
}

int lp_pods(tmpl_arena *a, const char *name, const char *text, size_t len, const tv ***out,
	    const char ***ns, size_t *n, tmpl_error *err)
{
	pods d = {0};
	inj_kube_docs docs;
	const char *dt;
	size_t dl;
	int line;
	/* the documents as kube-inject splits its input */
	inj_kube_docs_init(&docs, text, len);
	while (inj_kube_docs_next(&docs, &dt, &dl, &line)) {
		const tv *doc = TV_NOVALUE;
		if (yl_load_first(a, name, dt, dl, &doc, err) != 0 || collect(a, doc, &d, err) != 0) {
			inj_kube_docs_free(&docs);
			return -1;
		}
	}
	inj_kube_docs_free(&docs);
	*out = d.v;
	*ns = d.ns;
	*n = d.len;
	return 0;
}

/* got's containers with their env fieldRef apiVersions cleared. */
static const tv *clear_field_refs(tmpl_arena *a, const tv *pod)
{
	const tv *spec = inj_get(pod, "spec"), *cs = inj_get(spec, "containers");
	if (!cs || cs->kind != TV_LIST)
		return pod;
	tv *nc = tv_list_new(a, cs->u.list.len);
	for (size_t i = 0; i < cs->u.list.len; i++) {
		const tv *c = cs->u.list.items[i], *env = inj_get(c, "env");
		nc->u.list.items[i] = c;
		if (!env || env->kind != TV_LIST)
			continue;
		tv *ne = tv_list_new(a, env->u.list.len);
		for (size_t j = 0; j < env->u.list.len; j++) {
			const tv *e = env->u.list.items[j];
			const tv *vf = inj_get(e, "valueFrom"), *fr = inj_get(vf, "fieldRef");
			if (fr && fr->kind == TV_MAP)
				e = inj_set(a, e, "valueFrom",
					    inj_set(a, vf, "fieldRef", inj_without(a, fr, "apiVersion")));
			ne->u.list.items[j] = e;
		}
		nc->u.list.items[i] = inj_set(a, c, "env", ne);
	}
	return inj_set(a, pod, "spec", inj_set(a, spec, "containers", nc));
}

static const tv *no_status(tmpl_arena *a, const tv *pod)
{
	const tv *meta = inj_get(pod, "metadata");
	const tv *ann = inj_get(meta, "annotations");
	if (!ann || ann->kind != TV_MAP)
		return pod;
	return inj_set(a, pod, "metadata",
		       inj_set(a, meta, "annotations", inj_without(a, ann, "sidecar.istio.io/status")));
}

int lp_compare(tmpl_arena *a, const tv *got, const tv *want, sbuf *where, tmpl_error *err)
{
	const tmpl_type *pt = types_lookup("latest/core/v1.Pod");
	sbuf g = SBUF_INIT, w = SBUF_INIT;
	int rc = -1;
	got = clear_field_refs(a, no_status(a, got));
	want = no_status(a, want);
	if (types_normalize_ex(a, pt, got, 0, &got, err) != 0 ||
	    types_normalize_ex(a, pt, want, 0, &want, err) != 0 ||
	    json_write(&g, got, 0, err) != 0 || json_write(&w, want, 0, err) != 0)
		goto done;
	rc = 0;
	if (strcmp(g.buf, w.buf) != 0) {
		size_t k = 0;
		while (g.buf[k] && g.buf[k] == w.buf[k])
			k++;
		size_t from = k > 120 ? k - 120 : 0;
		sbuf_printf(where, "at byte %zu:\n  got:  ...%.240s\n  want: ...%.240s", k,
			    g.buf + from, w.buf + from);
		rc = 1;
	}
done:
	sbuf_free(&g);
	sbuf_free(&w);
	return rc;
}
