/* inject_latest.c: the newest Istio's injection of one pod (inject.go IntoObject's pod part, injectPod, RunTemplate): policy, stripping a previous injection, the selected templates rendered and strategically merged, the user's overrides, post-processing. */
#include "inject.h"

#include <stdio.h>
#include <string.h>

#include "yaml_load.h"

/* Namespaces the newest injector never touches (inject.IgnoredNamespaces). */
static const char *const ignored_ns[] = {"kube-system", "kube-public", "kube-node-lease",
					 "local-path-storage", NULL};

/* json.Unmarshal of a merged pod into corev1.Pod: unknown fields dropped,
 * quantities canonical, omitempty fields left out. */
static int as_pod(tmpl_arena *a, const tv *raw, const tv **out, tmpl_error *err)
{
	return types_normalize_ex(a, types_lookup("latest/core/v1.Pod"), raw, 0, out, err);
}

static const tv *pod_of(tmpl_arena *a, const tv *meta, const tv *spec)
{
	tv *p = tv_map_new(a, 2);
	tv_map_add(a, p, inj_cstr(a, "metadata"), meta ? meta : tv_map_new(a, 0));
	tv_map_add(a, p, inj_cstr(a, "spec"), spec ? spec : tv_map_new(a, 0));
	tv_map_seal(a, p);
	return p;
}

static const tv *find(const tv *list, const char *name, size_t *at)
{
	for (size_t i = 0; list && list->kind == TV_LIST && i < list->u.list.len; i++) {
		const char *cn = inj_str(list->u.list.items[i], "name");
		if (cn && strcmp(cn, name) == 0) {
			if (at)
				*at = i;
			return list->u.list.items[i];
		}
	}
	return NULL;
}

static const tv *without(tmpl_arena *a, const tv *list, size_t at)
{
	tv *l = tv_list_new(a, list->u.list.len - 1);
	for (size_t i = 0, k = 0; i < list->u.list.len; i++)
		if (i != at)
			l->u.list.items[k++] = list->u.list.items[i];
	return l;
}

static const tv *with(tmpl_arena *a, const tv *list, const tv *item)
{
	tv *one = tv_list_new(a, 1);
	one->u.list.items[0] = item;
	return inj_concat(a, list, one);
}

/* moveContainer: istio-proxy from the pod's containers to its init
 * containers, for a native sidecar a template puts there. */
static const tv *move_proxy(tmpl_arena *a, const tv *pod)
{
	const tv *spec = inj_get(pod, "spec");
	size_t at;
	const tv *c = find(inj_get(spec, "containers"), "istio-proxy", &at);
	if (!c)
		return pod;
	spec = inj_set(a, spec, "containers", without(a, inj_get(spec, "containers"), at));
	spec = inj_set(a, spec, "initContainers", with(a, inj_get(spec, "initContainers"), c));
	return inj_set(a, pod, "spec", spec);
}

/* The templates to run: inject.istio.io/templates (a comma list, each name
 * trimmed), else the config's defaults; aliases expanded once. */
static const tv *select_templates(tmpl_arena *a, const inj_config *cfg, const tv *ann)
{
	const tv *names = cfg->default_templates;
	const char *t = inj_str(ann, "inject.istio.io/templates");
	if (t) {
		size_t n = 1;
		for (const char *p = t; *p; p++)
			n += *p == ',';
		tv *l = tv_list_new(a, n);
		const char *s = t;
		for (size_t i = 0; i < n; i++) {
			const char *e = strchr(s, ',');
			if (!e)
				e = s + strlen(s);
			const char *b = s, *z = e;
			while (b < z && (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r' || *b == '\v' || *b == '\f'))
				b++;
			while (z > b && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\n' || z[-1] == '\r' || z[-1] == '\v' || z[-1] == '\f'))
				z--;
			l->u.list.items[i] = tv_string(a, b, (size_t)(z - b));
			s = *e ? e + 1 : e;
		}
		names = l;
	}
	if (!cfg->aliases || cfg->aliases->kind != TV_MAP)
		return names;
	const tv *out = tv_list_new(a, 0);
	for (size_t i = 0; i < names->u.list.len; i++) {
		const tv *n = names->u.list.items[i];
		const tv *al = n->kind == TV_STRING ? tv_map_get(cfg->aliases, n->u.s.ptr, n->u.s.len) : NULL;
		out = al && al->kind == TV_LIST ? inj_concat(a, out, al) : with(a, out, n);
	}
	return out;
}

static int not_found(const inj_config *cfg, const char *name, tmpl_error *err)
{
	sbuf b = SBUF_INIT;
	for (size_t i = 0; i < cfg->ntemplates; i++)
		sbuf_printf(&b, "%s%s", i ? ", " : "", cfg->templates[i].name);
	tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "requested template \"%s\" not found; have %s",
		       name, b.buf ? b.buf : "");
	sbuf_free(&b);
	return -1;
}

/* stripPod: a pod injected before loses the containers its status
 * annotation names, that annotation, and Prometheus annotations that
 * already point at the agent. */
static const tv *strip(tmpl_arena *a, const tv *pod, const tv *mesh)
{
	const tv *meta = inj_get(pod, "metadata");
	const tv *status = inj_status_latest_read(a, inj_get(meta, "annotations"));
	if (!status)
		return pod;
	const tv *spec = inj_get(pod, "spec");
	static const char *const lists[][2] = {{"containers", "containers"},
					       {"initContainers", "initContainers"}};
	for (size_t li = 0; li < 2; li++) {
		const tv *names = inj_get(status, lists[li][0]);
		for (size_t i = 0; names && names->kind == TV_LIST && i < names->u.list.len; i++) {
			const tv *n = names->u.list.items[i];
			size_t at;
			if (n->kind == TV_STRING && find(inj_get(spec, lists[li][1]), n->u.s.ptr, &at))
				spec = inj_set(a, spec, lists[li][1],
					       without(a, inj_get(spec, lists[li][1]), at));
		}
	}
	const tv *ann = inj_without(a, inj_get(meta, "annotations"), INJ_STATUS_ANNOTATION);
	const tv *sp = inj_get(inj_get(mesh, "defaultConfig"), "statusPort");
	const char *port = inj_latest_prometheus_port(ann);
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", sp && sp->kind == TV_INT ? (long long)sp->u.i : 0LL);
	if (port && strcmp(port, buf) == 0 && ann && ann->kind == TV_MAP)
		ann = inj_latest_prometheus_clear(a, ann);
	meta = inj_set(a, meta, "annotations", ann);
	return inj_set(a, inj_set(a, pod, "metadata", meta), "spec", spec);
}

/* Render one template over data and read its output as YAML. */
static int render(tmpl_arena *a, const inj_config *cfg, tmpl_set *set, const tv *data,
		  const tv **out, tmpl_error *err)
{
	sbuf text = SBUF_INIT;
	if (tmpl_execute_opts(set, "inject", data, cfg->limits, &text, err) != 0) {
		sbuf_free(&text);
		return -1;
	}
	yl_opts opts = {.dup_keys_last_wins = true, .rules = YR_RULES_V2_ISTIO_1_1};
	int rc = yl_load_first_opts(a, "injected template", text.buf ? text.buf : "", text.len,
				    &opts, out, err);
	sbuf_free(&text);
	return rc;
}

static bool truthy_wrapper(const tv *v)
{
	/* a BoolValue reads as {value: true} in JSON form, or a bare bool */
	if (v && v->kind == TV_MAP)
		v = inj_get(v, "value");
	return v && v->kind == TV_BOOL && v->u.b;
}

int inj_latest_pod_data(tmpl_arena *a, const inj_config *cfg, const tv *mesh,
			const inj_latest_params *p, const tv *meta, const tv *spec,
			inj_latest_prep *out, sbuf *notes, tmpl_error *err)
{
	const tv *pod;
	memset(out, 0, sizeof *out);
	if (as_pod(a, pod_of(a, meta, spec), &pod, err) != 0)
		return -1;
	out->pod = pod;
	meta = inj_get(pod, "metadata");
	const tv *ann = inj_get(meta, "annotations");

	/* kube-inject applies only the pod's proxy.istio.io/config (no ProxyConfig CRs) */
	const tv *pca = inj_get(ann, "proxy.istio.io/config");
	if (pca && pca->kind == TV_STRING &&
	    inj_mesh_latest_apply_proxy(a, mesh, pca->u.s.ptr, pca->u.s.len, &mesh, err) != 0)
		return -1;
	out->mesh = mesh;

	/* IntoObject: kube-inject decides as a Config{Policy: enabled} would (the
	 * webhook has applied the Config's policy before; tmplrender --pod passes
	 * no config and renders whatever the policy would decide) */
	if (cfg && !p->webhook) {
		inj_config enabled = *cfg;
		enabled.policy = "enabled";
		enabled.never_sel = enabled.always_sel = NULL;
		if (!inj_policy_required(&enabled, ignored_ns, meta, inj_get(pod, "spec"))) {
			sbuf_puts(notes, "===> Skipping injection because ");
			if (p->kind && *p->kind)
				sbuf_printf(notes, "%s ", p->kind);
			sbuf_printf(notes, "\"%s\" has sidecar injection disabled\n",
				    p->full_name ? p->full_name : "");
			return 0;
		}
	}
	if (inj_validate_annotations_latest(ann, err) != 0)
		return -1;

	const tv *stripped = inj_latest_reinsert_overrides(a, strip(a, pod, mesh));
	return types_view(a, types_lookup("latest/inject.SidecarTemplateData"),
			  inj_latest_data(a, p, mesh, stripped), &out->data, err);
}

int inj_latest_pod(tmpl_arena *a, const inj_config *cfg, const tv *mesh,
		   const inj_latest_params *p, const tv *meta, const tv *spec,
		   const tv **meta_out, const tv **spec_out, sbuf *notes, tmpl_error *err)
{
	*meta_out = meta;
	*spec_out = spec;
	inj_latest_prep prep;
	if (inj_latest_pod_data(a, cfg, mesh, p, meta, spec, &prep, notes, err) != 0)
		return -1;
	if (!prep.data)
		return 0; /* policy says no */
	const tv *pod = prep.pod, *data = prep.data;
	const tv *ann = inj_get(inj_get(pod, "metadata"), "annotations");
	mesh = prep.mesh;

	const tv *merged = pod, *tpod = pod_of(a, NULL, NULL);
	const tv *names = select_templates(a, cfg, ann);
	const char *ns = inj_str(ann, "sidecar.istio.io/nativeSidecar");
	bool native = ns && strcmp(ns, "true") == 0 ? true :
		      ns && strcmp(ns, "false") == 0 ? false : p->native_sidecars;
	for (size_t i = 0; i < names->u.list.len; i++) {
		const tv *n = names->u.list.items[i];
		const char *name = n->kind == TV_STRING ? n->u.s.ptr : "";
		tmpl_set *set = inj_config_template(cfg, name);
		if (!set)
			return not_found(cfg, name, err);
		const tv *patch;
		if (render(a, cfg, set, data, &patch, err) != 0)
			return -1;
		if (as_pod(a, inj_smp_pod(a, tpod, patch), &tpod, err) != 0)
			return -1;
		if (native && find(inj_get(inj_get(tpod, "spec"), "initContainers"), "istio-proxy", NULL) &&
		    find(inj_get(inj_get(merged, "spec"), "containers"), "istio-proxy", NULL))
			merged = move_proxy(a, merged);
		if (as_pod(a, inj_smp_pod(a, merged, patch), &merged, err) != 0)
			return -1;
	}

	if (inj_latest_reapply_overrides(a, merged, pod, tpod, inj_get(mesh, "defaultConfig"),
					 &merged, err) != 0)
		return -1;

	/* post-processing (postProcessPod) */
	merged = inj_latest_cluster_info(a, merged, p);
	merged = inj_latest_prometheus(a, merged, mesh, err);
	if (!merged)
		return -1;
	merged = inj_latest_secure_prometheus(a, merged);
	merged = inj_latest_rewrite_probes(a, merged, mesh, p->values);
	const tv *mm = inj_get(merged, "metadata");
	const tv *ma = inj_status_annotate(a, inj_get(mm, "annotations"),
					   inj_status_latest(a, inj_get(tpod, "spec"), p->revision));
	const tv *ia = cfg->injected_annotations;
	for (size_t i = 0; ia && ia->kind == TV_MAP && i < ia->u.map.len; i++)
		if (ia->u.map.pairs[i].key->kind == TV_STRING)
			ma = inj_set(a, ma, ia->u.map.pairs[i].key->u.s.ptr, ia->u.map.pairs[i].val);
	mm = inj_set(a, mm, "annotations", ma);
	bool hold = truthy_wrapper(inj_get(inj_get(mesh, "defaultConfig"),
					   "holdApplicationUntilProxyStarts")) ||
		    truthy_wrapper(inj_get(inj_get(inj_get(p->values, "global"), "proxy"),
					   "holdApplicationUntilProxyStarts"));
	const tv *ms = inj_latest_reorder(a, inj_get(merged, "spec"), hold);
	if (as_pod(a, pod_of(a, mm, ms), &merged, err) != 0)
		return -1;
	*meta_out = inj_get(merged, "metadata");
	*spec_out = inj_get(merged, "spec");
	return 0;
}
