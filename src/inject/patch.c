/* patch.c: Istio 1.1's webhook injection of one pod (inject, createPatch): decode, policy, render, then the RFC 6902 operations that turn the pod into the injected one. */
#include "inject/patch.h"

#include <stdio.h>
#include <string.h>

#include "json.h"

const char *const inj_patch_ignored_namespaces[] = {"kube-system", "kube-public", NULL};

#define SA_MOUNT_PATH "/var/run/secrets/kubernetes.io/serviceaccount"

void inj_patch_op(inj_patch_ops *o, const char *name, const char *path, size_t path_len,
		  const tv *value)
{
	if (o->len == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		const tv **v = arena_alloc(o->a, cap * sizeof *v);
		if (o->len)
			memcpy(v, o->v, o->len * sizeof *v);
		o->v = v;
		o->cap = cap;
	}
	tv *m = tv_map_new(o->a, 3);
	tv_map_add(o->a, m, inj_cstr(o->a, "op"), inj_cstr(o->a, name));
	tv_map_add(o->a, m, inj_cstr(o->a, "path"), tv_string(o->a, path ? path : "", path_len));
	if (value)
		tv_map_add(o->a, m, inj_cstr(o->a, "value"), value);
	m->flags |= TVF_STRUCTORDER; /* op, path, value: jsonpatch.Operation's order */
	tv_map_seal(o->a, m);
	o->v[o->len++] = m;
}

const tv *inj_patch_ops_list(const inj_patch_ops *o)
{
	tv *list = tv_list_new(o->a, o->len);
	if (o->len)
		memcpy(list->u.list.items, o->v, o->len * sizeof *o->v);
	return list;
}

typedef inj_patch_ops ops;

/* Append {op, path, value}; value NULL is left out (omitempty of a nil interface). */
static void op(ops *o, const char *name, const char *path, const tv *value)
{
	inj_patch_op(o, name, path, strlen(path), value);
}

static size_t len_of(const tv *list)
{
	return list && list->kind == TV_LIST ? list->u.list.len : 0;
}

static bool named(const tv *item, const char *name)
{
	const char *n = inj_str(item, "name");
	return n && strcmp(n, name) == 0;
}

/* A value decoded into a Go type and marshalled again (Go's field order,
 * omitempty): what json.Marshal writes for a struct we changed. */
static int typed(tmpl_arena *a, const char *type, const tv *v, const tv **out, tmpl_error *err)
{
	return types_normalize(a, types_lookup(type), v, out, err);
}

/* removeContainers, removeVolumes, removeImagePullSecrets: from the end, so
 * indices stay valid as the removals apply one after the other. */
static void remove_named(ops *o, const tv *list, const tv *names, const char *path)
{
	char p[96];
	for (size_t i = len_of(list); i-- > 0;) {
		const tv *n = inj_get(list->u.list.items[i], "name");
		bool str = n && n->kind == TV_STRING;
		if (tv_map_get(names, str ? n->u.s.ptr : "", str ? n->u.s.len : 0)) {
			snprintf(p, sizeof p, "%s/%zu", path, i);
			op(o, "remove", p, NULL);
		}
	}
}

/* The last service-account token mount of the pod's containers, if it has a name. */
static const tv *sa_mount(const tv *containers)
{
	const tv *found = NULL;
	for (size_t i = 0; i < len_of(containers); i++) {
		const tv *mounts = inj_get(containers->u.list.items[i], "volumeMounts");
		for (size_t j = 0; j < len_of(mounts); j++) {
			const char *mp = inj_str(mounts->u.list.items[j], "mountPath");
			if (mp && strcmp(mp, SA_MOUNT_PATH) == 0)
				found = mounts->u.list.items[j];
		}
	}
	const char *name = inj_str(found, "name");
	return name && *name ? found : NULL;
}

/* addContainer, addVolume, addImagePullSecrets: the first add to an originally
 * empty list creates it; istio-proxy gets the service-account mount (mount may be NULL). */
static int add_items(ops *o, const tv *target, const tv *added, const char *path, const tv *mount,
		     tmpl_error *err)
{
	bool first = len_of(target) == 0;
	char tail[96];
	snprintf(tail, sizeof tail, "%s/-", path);
	for (size_t i = 0; i < len_of(added); i++) {
		const tv *v = added->u.list.items[i];
		if (mount && named(v, "istio-proxy")) {
			tv *one = tv_list_new(o->a, 1);
			one->u.list.items[0] = mount;
			v = inj_set(o->a, v, "volumeMounts", inj_concat(o->a, inj_get(v, "volumeMounts"), one));
			if (typed(o->a, "v1.Container", v, &v, err) != 0)
				return -1;
		}
		if (first) {
			first = false;
			tv *one = tv_list_new(o->a, 1);
			one->u.list.items[0] = v;
			op(o, "add", path, one);
		} else {
			op(o, "add", tail, v);
		}
	}
	return 0;
}

/* The first istio-proxy of a container list, or SIZE_MAX. */
static size_t sidecar_at(const tv *containers)
{
	for (size_t i = 0; i < len_of(containers); i++)
		if (named(containers->u.list.items[i], "istio-proxy"))
			return i;
	return (size_t)-1;
}

/* The template's istio-proxy with ISTIO_KUBE_APP_PROBERS (the app probes of
 * the pod as it came) appended to its env; returns the new container list. */
static int add_probers(tmpl_arena *a, const tv *containers, const tv *pod_containers,
		       const tv **out, tmpl_error *err)
{
	size_t at = sidecar_at(containers);
	*out = containers;
	if (at == (size_t)-1)
		return 0;
	const tv *c = containers->u.list.items[at];
	c = inj_set(a, c, "env",
		    inj_concat(a, inj_get(c, "env"), inj_probe_env(a, inj_probe_dump(a, pod_containers))));
	if (typed(a, "v1.Container", c, &c, err) != 0)
		return -1;
	tv *l = tv_list_new(a, containers->u.list.len);
	memcpy(l->u.list.items, containers->u.list.items, containers->u.list.len * sizeof(tv *));
	l->u.list.items[at] = c;
	*out = l;
	return 0;
}

/* createProbeRewritePatch: the pod's own HTTP probes aimed at the status port
 * of the template's istio-proxy (indices are those of the pod as it came). */
static int probe_ops(ops *o, const tv *containers, const tv *pod_containers, tmpl_error *err)
{
	static const char *const which[2] = {"readinessProbe", "livenessProbe"};
	size_t at = sidecar_at(containers);
	if (at == (size_t)-1)
		return 0;
	long port = inj_probe_status_port(containers->u.list.items[at]);
	if (port == -1)
		return 0;
	char url[512], path[96];
	for (size_t i = 0; i < len_of(pod_containers); i++) {
		const tv *c = pod_containers->u.list.items[i];
		if (named(c, "istio-proxy"))
			continue;
		for (int w = INJ_PROBE_READINESS; w <= INJ_PROBE_LIVENESS; w++) {
			const tv *h = inj_probe_http_get(c, w), *v;
			if (!h)
				continue;
			inj_probe_url(url, sizeof url, c, w);
			if (typed(o->a, "v1.HTTPGetAction", inj_probe_convert(o->a, h, url, port), &v,
				  err) != 0)
				return -1;
			snprintf(path, sizeof path, "/spec/containers/%zu/%s/httpGet", i, which[w]);
			op(o, "replace", path, v);
		}
	}
	return 0;
}

void inj_patch_pointer_token(sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '~')
			sbuf_puts(b, "~0");
		else if (s[i] == '/')
			sbuf_puts(b, "~1");
		else
			sbuf_putc(b, s[i]);
	}
}

/* createPatch: the operations, in Istio's order. */
static int create_patch(tmpl_arena *a, const tv *raw_meta, const tv *meta, const tv *spec,
			const inj_spec *s, const tv **out, tmpl_error *err)
{
	ops o = {.a = a};
	char path[64];
	const tv *names[INJ_STATUS_LISTS];
	inj_status_prev(a, inj_get(meta, "annotations"), names);
	for (int l = 0; l < INJ_STATUS_LISTS; l++) {
		snprintf(path, sizeof path, "/spec/%s", inj_status_lists[l]);
		remove_named(&o, inj_get(spec, inj_status_lists[l]), names[l], path);
	}

	const tv *pod_containers = inj_get(spec, "containers");
	const tv *containers = s->containers;
	if (s->rewrite_probe && add_probers(a, containers, pod_containers, &containers, err) != 0)
		return -1;
	const tv *added[INJ_STATUS_LISTS] = {s->init_containers, containers, s->volumes,
					   s->pull_secrets};
	for (int l = 0; l < INJ_STATUS_LISTS; l++) {
		const tv *target = inj_get(spec, inj_status_lists[l]);
		snprintf(path, sizeof path, "/spec/%s", inj_status_lists[l]);
		/* addContainer (init containers and containers) copies the token mount. */
		const tv *mount = l <= 1 ? sa_mount(target) : NULL;
		if (add_items(&o, target, added[l], path, mount, err) != 0)
			return -1;
	}

	if (s->dns_config && s->dns_config->kind != TV_NULL)
		op(&o, "add", "/spec/dnsConfig", s->dns_config);
	/* Any securityContext of the pod, the user's own included (Istio's quirk). */
	const tv *sc = inj_get(spec, "securityContext");
	if (sc && sc->kind != TV_NULL)
		op(&o, "add", "/spec/securityContext", sc);
	inj_status_patch(&o, raw_meta, inj_get(meta, "annotations"), s->status);
	if (s->rewrite_probe && probe_ops(&o, containers, pod_containers, err) != 0)
		return -1;

	*out = inj_patch_ops_list(&o);
	return 0;
}

static const char *skip_reason(const tv *meta, const tv *spec)
{
	const tv *hn = inj_get(spec, "hostNetwork");
	if (hn && hn->kind == TV_BOOL && hn->u.b)
		return "host networking enabled";
	const char *ns = inj_str(meta, "namespace");
	for (int i = 0; inj_patch_ignored_namespaces[i]; i++)
		if (strcmp(ns ? ns : "", inj_patch_ignored_namespaces[i]) == 0)
			return "ignored namespace";
	return "injection policy";
}

int inj_patch_decode_pod(tmpl_arena *a, const tmpl_type *t, const tv *raw, unsigned flags,
			 const tv **pod, tmpl_error *err)
{
	/* A RawExtension holding null keeps no bytes: Go then decodes nothing. */
	if (!raw || raw->kind == TV_NULL)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "unexpected end of JSON input");
	if (raw->kind != TV_MAP)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
				      "json: cannot unmarshal %s into Go value of type v1.Pod",
				      json_kind(raw));
	return types_normalize_ex(a, t, raw, flags, pod, err);
}

int inj_patch_pod(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *raw,
		  const char *ns, const tv **patch, inj_patch_info *info, tmpl_error *err)
{
	info->meta = TV_NOVALUE;
	info->skipped = NULL;
	*patch = TV_NOVALUE;
	const tv *pod;
	if (inj_patch_decode_pod(a, inj_kube_kind_type("Pod"), raw, 0, &pod, err) != 0)
		return -1;
	const tv *meta = inj_get(pod, "metadata"), *spec = inj_get(pod, "spec");
	const char *pns = inj_str(meta, "namespace");
	if ((!pns || !*pns) && ns && *ns)
		meta = inj_set(a, meta, "namespace", inj_cstr(a, ns));
	info->meta = meta;

	if (!inj_policy_required(cfg, inj_patch_ignored_namespaces, meta, spec)) {
		info->skipped = skip_reason(meta, spec);
		return 0;
	}
	/* The service-account token is readable by root only: Istio sets the pod's fsGroup. */
	const tv *sds = inj_get(mesh, "enableSdsTokenMount");
	const char *uds = inj_str(mesh, "sdsUdsPath");
	if (sds && sds->kind == TV_BOOL && sds->u.b && uds && *uds) {
		tv *sc = tv_map_new(a, 1);
		tv_map_add(a, sc, inj_cstr(a, "fsGroup"), tv_int(a, 1337));
		sc->flags |= TVF_STRUCTORDER;
		tv_map_seal(a, sc);
		spec = inj_set(a, spec, "securityContext", sc);
	}
	inj_spec s;
	if (inj_render(a, cfg, mesh, meta, meta, spec, &s, err) != 0)
		return -1;
	return create_patch(a, inj_get(raw, "metadata"), meta, spec, &s, patch, err);
}
