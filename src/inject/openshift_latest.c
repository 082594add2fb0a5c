/* openshift_latest.c: the newest Istio on OpenShift (PLATFORM=openshift): the cluster's Namespace objects read from a file, and the pod as webhook.go's inject changes it before injecting (the proxy's user given way, the namespace whose UID range names the proxy's UID and GID). */
#include "inject/inject.h"

#include <string.h>

#include "yaml_load.h"

int inj_namespaces_load(tmpl_arena *a, const char *path, const char *text, size_t len,
			const tv **out, tmpl_error *err)
{
	const tv *doc;
	if (yl_load_first(a, path, text, len, &doc, err) != 0)
		return -1;
	const char *kind = inj_str(doc, "kind");
	const tv *items = doc;
	if (!kind || strcmp(kind, "Namespace") != 0) {
		items = inj_get(doc, "items");
		if (!items || items->kind != TV_LIST)
			return tmpl_error_set(err, TMPL_ERR_DATA, path, 0, 0,
					      "%s: neither a Namespace nor a List of them", path);
	}
	size_t n = items->kind == TV_LIST ? items->u.list.len : 1;
	tv *m = tv_map_new(a, n);
	for (size_t i = 0; i < n; i++) {
		const tv *ns = items->kind == TV_LIST ? items->u.list.items[i] : items;
		const char *name = inj_str(inj_get(ns, "metadata"), "name");
		if (name)
			tv_map_add(a, m, inj_cstr(a, name), ns);
	}
	tv_map_seal(a, m);
	*out = m;
	return 0;
}

/* A container's securityContext.runAsUser, or 0 (isSidecarUserMatchingAppUser). */
static long long run_as_user(const tv *c)
{
	const tv *u = inj_get(inj_get(c, "securityContext"), "runAsUser");
	return u && u->kind == TV_INT ? (long long)u->u.i : 0;
}

/* OpenShift gives every container of a pod the same runAsUser: an istio-proxy
 * the user gave with the app's user gets the injector's instead (its
 * securityContext without runAsUser and runAsGroup). */
static const tv *openshift_user(tmpl_arena *a, const tv *spec)
{
	const tv *cs = inj_get(spec, "containers");
	long long proxy = 0, app = 0;
	for (size_t i = 0; cs && cs->kind == TV_LIST && i < cs->u.list.len; i++) {
		const tv *c = cs->u.list.items[i];
		const char *n = inj_str(c, "name");
		n = n ? n : "";
		const tv *u = inj_get(inj_get(c, "securityContext"), "runAsUser");
		if (strcmp(n, "istio-proxy") == 0)
			proxy = u ? run_as_user(c) : proxy;
		else if (strcmp(n, "istio-validation") != 0 && strcmp(n, "istio-init") != 0 && u)
			app = run_as_user(c);
	}
	const tv *sc = inj_latest_sidecar(spec);
	const tv *ctx = inj_get(sc, "securityContext");
	if (!sc || !ctx || ctx->kind != TV_MAP || proxy != app)
		return spec;
	ctx = inj_without(a, inj_without(a, ctx, "runAsUser"), "runAsGroup");
	return inj_latest_with_sidecar(a, spec, inj_set(a, sc, "securityContext", ctx));
}

const tv *inj_latest_openshift(tmpl_arena *a, const inj_config *cfg, const char *ns,
			       const tv *spec, const tv **nsobj)
{
	*nsobj = NULL;
	if (!cfg->openshift)
		return spec;
	/* the pod's namespace as the cluster has it, when the front end knows it */
	*nsobj = ns && cfg->namespaces ? inj_get(cfg->namespaces, ns) : NULL;
	return openshift_user(a, spec);
}
