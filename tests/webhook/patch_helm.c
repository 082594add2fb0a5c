/* patch_helm.c: Istio 1.1's TestHelmInject steps: the injectable documents of a file, their pod templates injected through the webhook path and patched, and Istio's scrubbing before the comparison. */
#include "patch_helm.h"

#include <string.h>

#include "json.h"
#include "yaml_load.h"

/* The documents Istio's test injects (getInjectableYamlDocs). */
static bool injectable(const char *kind)
{
	static const char *const kinds[] = {"Deployment", "DeploymentConfig", "DaemonSet",
					    "StatefulSet", "Job", "ReplicaSet",
					    "ReplicationController", "CronJob", NULL};
	for (int i = 0; kind && kinds[i]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

typedef struct docs {
	const tv **v;
	size_t len, cap;
} docs;

static int collect(tmpl_arena *a, const tv *doc, docs *d, tmpl_error *err)
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
	/* Istio's test decodes every kind as an extensions/v1beta1 Deployment. */
	const tv *norm;
	if (types_normalize(a, inj_kube_kind_type("Deployment"), doc, &norm, err) != 0)
		return -1;
	if (d->len == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		const tv **v = arena_alloc(a, cap * sizeof *v);
		if (d->len)
			memcpy(v, d->v, d->len * sizeof *v);
		d->v = v;
		d->cap = cap;
	}
	d->v[d->len++] = norm;
	return 0;
}

int ph_split(tmpl_arena *a, const char *name, const char *text, size_t len, const tv ***out,
	     size_t *nout, tmpl_error *err)
{
	docs d = {0};
	const char *end = text + len;
	while (text <= end) {
		const char *sep = memmem(text, (size_t)(end - text), "\n---", 4);
		const char *stop = sep ? sep : end;
		const tv *doc = TV_NOVALUE;
		if (yl_load_first(a, name, text, (size_t)(stop - text), &doc, err) != 0 ||
		    collect(a, doc, &d, err) != 0)
			return -1;
		if (!sep)
			break;
		text = sep + 4;
	}
	*out = d.v;
	*nout = d.len;
	return 0;
}

/* The pod template, where a Deployment keeps it. */
static const char *const tmpl_path[] = {"spec", "template", NULL};

static const tv *get_path(const tv *v, const char *const *path)
{
	for (; *path && v; path++)
		v = inj_get(v, *path);
	return v;
}

static const tv *set_path(tmpl_arena *a, const tv *v, const char *const *path, const tv *val)
{
	if (!*path)
		return val;
	return inj_set(a, v, path[0], set_path(a, inj_get(v, path[0]), path + 1, val));
}

const tv *ph_template(const tv *doc)
{
	return get_path(doc, tmpl_path);
}

int ph_patched(tmpl_arena *a, const tv *doc, const tv *patch, const tv **out, tmpl_error *err)
{
	const tv *patched;
	if (ph_apply(a, ph_template(doc), patch, &patched, err) != 0 ||
	    types_normalize(a, types_lookup("v1.PodTemplateSpec"), patched, &patched, err) != 0)
		return -1;
	*out = set_path(a, doc, tmpl_path, patched);
	return 0;
}

int ph_inject(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *doc,
	      const tv **out, tmpl_error *err)
{
	const tv *patch;
	inj_patch_info info;
	if (inj_patch_pod(a, cfg, mesh, ph_template(doc), NULL, &patch, &info, err) != 0)
		return -1;
	if (info.skipped) {
		*out = doc;
		return 0;
	}
	return ph_patched(a, doc, patch, out, err);
}

/* items with fn applied to those named name. */
static int each_named(tmpl_arena *a, const tv *items, const char *name,
		      int (*fn)(tmpl_arena *, const tv *, const tv **, tmpl_error *), const tv **out,
		      tmpl_error *err)
{
	*out = items;
	if (!items || items->kind != TV_LIST)
		return 0;
	tv *l = tv_list_new(a, items->u.list.len);
	for (size_t i = 0; i < items->u.list.len; i++) {
		const tv *it = items->u.list.items[i];
		const char *n = inj_str(it, "name");
		if (n && strcmp(n, name) == 0 && fn(a, it, &it, err) != 0)
			return -1;
		l->u.list.items[i] = it;
	}
	*out = l;
	return 0;
}

static int certs(tmpl_arena *a, const tv *v, const tv **out, tmpl_error *err)
{
	const tv *secret = inj_get(v, "secret");
	*out = secret ? inj_set(a, v, "secret", inj_without(a, secret, "defaultMode")) : v;
	return 0;
}

static const tv *without_image(tmpl_arena *a, const tv *c)
{
	c = inj_without(a, c, "image");
	c = inj_without(a, c, "terminationMessagePath");
	return inj_without(a, c, "terminationMessagePolicy");
}

static int init(tmpl_arena *a, const tv *c, const tv **out, tmpl_error *err)
{
	c = without_image(a, c);
	const tv *sc = inj_get(c, "securityContext");
	*out = sc && sc->kind == TV_MAP ? inj_set(a, c, "securityContext",
						  inj_without(a, sc, "privileged"))
					: c;
	return 0;
}

static int proxy(tmpl_arena *a, const tv *c, const tv **out, tmpl_error *err)
{
	c = without_image(a, c);
	const tv *env = inj_get(c, "env");
	size_t n = env && env->kind == TV_LIST ? env->u.list.len : 0, k = 0;
	tv *l = tv_list_new(a, n);
	for (size_t i = 0; i < n; i++) {
		const tv *e = env->u.list.items[i];
		const char *name = inj_str(e, "name");
		if (name && strncmp(name, "ISTIO_METAJSON_", 15) == 0) {
			const char *val = inj_str(e, "value");
			const tv *parsed;
			if (!val || json_parse(a, val, strlen(val), 0, &parsed, err) != 0)
				return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
						      "%s does not hold JSON", name);
			continue;
		}
		const tv *vf = inj_get(e, "valueFrom"), *fr = inj_get(vf, "fieldRef");
		if (fr && fr->kind == TV_MAP)
			e = inj_set(a, e, "valueFrom",
				    inj_set(a, vf, "fieldRef", inj_without(a, fr, "apiVersion")));
		l->u.list.items[k++] = e;
	}
	l->u.list.len = k;
	*out = env ? inj_set(a, c, "env", l) : c;
	return 0;
}

int ph_scrub(tmpl_arena *a, const tv *doc, const tv **out, tmpl_error *err)
{
	const char *const *path = tmpl_path;
	const tv *tmpl = get_path(doc, path);
	const tv *meta = inj_get(tmpl, "metadata"), *spec = inj_get(tmpl, "spec");
	const tv *ann = inj_get(meta, "annotations");
	if (ann && ann->kind == TV_MAP)
		meta = inj_set(a, meta, "annotations", inj_without(a, ann, "sidecar.istio.io/status"));
	const tv *vols, *inits, *conts;
	if (each_named(a, inj_get(spec, "volumes"), "istio-certs", certs, &vols, err) != 0 ||
	    each_named(a, inj_get(spec, "initContainers"), "istio-init", init, &inits, err) != 0 ||
	    each_named(a, inj_get(spec, "containers"), "istio-proxy", proxy, &conts, err) != 0)
		return -1;
	if (vols)
		spec = inj_set(a, spec, "volumes", vols);
	if (inits)
		spec = inj_set(a, spec, "initContainers", inits);
	if (conts)
		spec = inj_set(a, spec, "containers", conts);
	tmpl = inj_set(a, inj_set(a, tmpl, "metadata", meta), "spec", spec);
	*out = set_path(a, doc, path, tmpl);
	return 0;
}
