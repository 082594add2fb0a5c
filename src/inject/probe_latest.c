/* probe_latest.c: the newest injector's probe rewrite (app_probe.go): the app containers' HTTP, TCP and gRPC probes and lifecycle hooks dumped into the proxy's ISTIO_KUBE_APP_PROBERS and pointed at the agent's status port. */
#include "inject.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

enum { P_READY, P_LIVE, P_STARTUP, P_PRESTOP, P_POSTSTART, P_N };

/* status.FormatProberURL */
static const char *prober_url(tmpl_arena *a, const char *container, int which)
{
	static const char *const fmt[P_N] = {"/app-health/%s/readyz", "/app-health/%s/livez",
					     "/app-health/%s/startupz", "/app-lifecycle/%s/prestopz",
					     "/app-lifecycle/%s/poststartz"};
	sbuf b = SBUF_INIT;
	sbuf_printf(&b, fmt[which], container);
	const char *r = arena_strndup(a, b.buf, b.len);
	sbuf_free(&b);
	return r;
}

/* The probe or lifecycle handler of a container for one of the five. */
static const tv *handler(const tv *c, int which)
{
	switch (which) {
	case P_READY: return inj_get(c, "readinessProbe");
	case P_LIVE: return inj_get(c, "livenessProbe");
	case P_STARTUP: return inj_get(c, "startupProbe");
	case P_PRESTOP: return inj_get(inj_get(c, "lifecycle"), "preStop");
	default: return inj_get(inj_get(c, "lifecycle"), "postStart");
	}
}

static const tv *with_handler(tmpl_arena *a, const tv *c, int which, const tv *h)
{
	static const char *const keys[P_N] = {"readinessProbe", "livenessProbe", "startupProbe",
					      "preStop", "postStart"};
	if (which >= P_PRESTOP)
		return inj_set(a, c, "lifecycle", inj_set(a, inj_get(c, "lifecycle"), keys[which], h));
	return inj_set(a, c, keys[which], h);
}

/* kubeProbeToInternalProber / kubeLifecycleHandlerToInternalProber, then
 * updateNamedPort: named ports resolved from the container's ports (an
 * unknown name drops the prober), one already aimed at the target port
 * dropped; gRPC kept as it is. NULL for none. */
static const tv *prober(tmpl_arena *a, const tv *c, const tv *h, int which, long target)
{
	if (!h || h->kind != TV_MAP)
		return NULL;
	const char *kinds[] = {"httpGet", "tcpSocket", "grpc"};
	const tv *act = NULL;
	size_t k = 0;
	for (; k < (which >= P_PRESTOP ? 2u : 3u); k++)
		if ((act = inj_get(h, kinds[k])) && act->kind == TV_MAP)
			break;
	if (!act || act->kind != TV_MAP)
		return NULL;
	if (k < 2) {
		const tv *port = inj_get(act, "port");
		if (port && port->kind == TV_STRING) {
			const tv *ports = inj_get(c, "ports");
			const tv *num = NULL;
			for (size_t i = 0; ports && ports->kind == TV_LIST && i < ports->u.list.len; i++) {
				const char *pn = inj_str(ports->u.list.items[i], "name");
				if (pn && *pn && strcmp(pn, port->u.s.ptr) == 0)
					num = inj_get(ports->u.list.items[i], "containerPort");
			}
			if (!num)
				return NULL;
			act = inj_set(a, act, "port", num);
		} else if (port && port->kind == TV_INT && port->u.i == target) {
			return NULL;
		}
	}
	tv *p = tv_map_new(a, 2);
	tv_map_add(a, p, inj_cstr(a, kinds[k]), act);
	const tv *to = which < P_PRESTOP ? inj_get(h, "timeoutSeconds") : NULL;
	if (to && to->kind == TV_INT && to->u.i != 0)
		tv_map_add(a, p, inj_cstr(a, "timeoutSeconds"), to);
	tv_map_seal(a, p);
	p->flags |= TVF_STRUCTORDER; /* Prober's fields in Go's order */
	return p;
}

static int key_cmp(const void *x, const void *y)
{
	const tv_pair *p = x, *q = y;
	return strcmp(p->key->u.s.ptr, q->key->u.s.ptr);
}

/* DumpAppProbers: every container but istio-proxy, init containers first;
 * keys sorted as Go marshals a map. NULL when there is none. */
static const tv *dump(tmpl_arena *a, const tv *spec, long target)
{
	size_t n = 0, cap = 16;
	tv_pair *pairs = malloc(cap * sizeof *pairs);
	const char *lists[] = {"initContainers", "containers"};
	for (size_t li = 0; li < 2; li++) {
		const tv *l = inj_get(spec, lists[li]);
		for (size_t i = 0; l && l->kind == TV_LIST && i < l->u.list.len; i++) {
			const tv *c = l->u.list.items[i];
			const char *cn = inj_str(c, "name");
			if (!cn || strcmp(cn, "istio-proxy") == 0)
				continue;
			for (int w = 0; w < P_N; w++) {
				const tv *p = prober(a, c, handler(c, w), w, target);
				if (!p)
					continue;
				const char *url = prober_url(a, cn, w);
				size_t j = 0;
				for (; j < n && strcmp(pairs[j].key->u.s.ptr, url) != 0; j++)
					;
				if (j == n) {
					if (n == cap)
						pairs = realloc(pairs, (cap *= 2) * sizeof *pairs);
					n++;
				}
				pairs[j].key = inj_cstr(a, url);
				pairs[j].val = p;
			}
		}
	}
	const tv *r = NULL;
	if (n) {
		qsort(pairs, n, sizeof *pairs, key_cmp);
		tv *m = tv_map_new(a, n);
		for (size_t j = 0; j < n; j++)
			tv_map_add(a, m, pairs[j].key, pairs[j].val);
		tv_map_seal(a, m);
		r = m;
	}
	free(pairs);
	return r;
}

/* rewriteHTTPGetAction on a copy: the probe becomes an httpGet of the
 * agent (TCP and gRPC ones too), HTTPS probed as HTTP. */
static const tv *convert(tmpl_arena *a, const tv *h, const char *url, long port, bool lifecycle)
{
	if (!h || h->kind != TV_MAP)
		return NULL;
	const tv *g = inj_get(h, "httpGet");
	if (!(g && g->kind == TV_MAP)) {
		const tv *t = inj_get(h, "tcpSocket");
		const tv *r = lifecycle ? NULL : inj_get(h, "grpc");
		if (t && t->kind == TV_MAP)
			h = inj_without(a, h, "tcpSocket");
		else if (r && r->kind == TV_MAP)
			h = inj_without(a, h, "grpc");
		else
			return NULL;
		g = tv_map_new(a, 0);
	}
	g = inj_set(a, g, "path", inj_cstr(a, url));
	g = inj_set(a, g, "port", tv_int(a, port));
	const char *scheme = inj_str(g, "scheme");
	if (scheme && strcmp(scheme, "HTTPS") == 0)
		g = inj_set(a, g, "scheme", inj_cstr(a, "HTTP"));
	return inj_set(a, h, "httpGet", g);
}

static const tv *convert_list(tmpl_arena *a, const tv *l, long port)
{
	if (!l || l->kind != TV_LIST)
		return l;
	tv *nl = tv_list_new(a, l->u.list.len);
	for (size_t i = 0; i < l->u.list.len; i++) {
		const tv *c = l->u.list.items[i];
		const char *cn = inj_str(c, "name");
		if (cn && strcmp(cn, "istio-proxy") != 0) {
			for (int w = 0; w < P_N; w++) {
				const tv *h = convert(a, handler(c, w), prober_url(a, cn, w), port,
						      w >= P_PRESTOP);
				if (h)
					c = with_handler(a, c, w, h);
			}
		}
		nl->u.list.items[i] = c;
	}
	return nl;
}

/* mergeOrAppendProbers: on a pod injected before, the old probers are
 * merged into the new ones (the old winning), else the env is appended. */
static const tv *with_probers(tmpl_arena *a, const tv *env, const tv *probers, bool before)
{
	sbuf b = SBUF_INIT;
	tmpl_error e;
	tmpl_error_init(&e);
	for (size_t i = 0; before && env && env->kind == TV_LIST && i < env->u.list.len; i++) {
		const tv *ev = env->u.list.items[i];
		const char *n = inj_str(ev, "name");
		if (!n || strcmp(n, "ISTIO_KUBE_APP_PROBERS") != 0)
			continue;
		const char *old = inj_str(ev, "value");
		const tv *om = NULL;
		if (!old || json_parse(a, old, strlen(old), 0, &om, &e) != 0 || !om ||
		    om->kind != TV_MAP) {
			tmpl_error_clear(&e);
			return env;
		}
		const tv *m = probers;
		for (size_t j = 0; j < om->u.map.len; j++)
			m = inj_set(a, m, om->u.map.pairs[j].key->u.s.ptr, om->u.map.pairs[j].val);
		const tv_pair *sorted = tv_map_sorted(a, m);
		tv *sm = tv_map_new(a, m->u.map.len);
		for (size_t j = 0; j < m->u.map.len; j++)
			tv_map_add(a, sm, sorted[j].key, sorted[j].val);
		tv_map_seal(a, sm);
		json_write(&b, sm, JSON_ESCAPE_HTML, &e);
		tv *ne = tv_map_new(a, 2);
		tv_map_add(a, ne, inj_cstr(a, "name"), inj_cstr(a, "ISTIO_KUBE_APP_PROBERS"));
		tv_map_add(a, ne, inj_cstr(a, "value"), tv_string(a, b.buf ? b.buf : "", b.len));
		tv_map_seal(a, ne);
		sbuf_free(&b);
		tmpl_error_clear(&e);
		tv *nl = tv_list_new(a, env->u.list.len);
		memcpy(nl->u.list.items, env->u.list.items, env->u.list.len * sizeof *nl->u.list.items);
		nl->u.list.items[i] = ne;
		return nl;
	}
	json_write(&b, probers, JSON_ESCAPE_HTML, &e);
	tmpl_error_clear(&e);
	tv *ne = tv_map_new(a, 2);
	tv_map_add(a, ne, inj_cstr(a, "name"), inj_cstr(a, "ISTIO_KUBE_APP_PROBERS"));
	tv_map_add(a, ne, inj_cstr(a, "value"), tv_string(a, b.buf ? b.buf : "", b.len));
	tv_map_seal(a, ne);
	sbuf_free(&b);
	tv *one = tv_list_new(a, 1);
	one->u.list.items[0] = ne;
	return inj_concat(a, env, one);
}

/* strconv.ParseBool, -1 for anything else */
static int parse_bool(const char *s)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; s && i < 6; i++) {
		if (strcmp(s, t[i]) == 0)
			return 1;
		if (strcmp(s, f[i]) == 0)
			return 0;
	}
	return -1;
}

const tv *inj_latest_rewrite_probes(tmpl_arena *a, const tv *pod, const tv *mesh,
				    const tv *values)
{
	const tv *meta = inj_get(pod, "metadata");
	const tv *ann = inj_get(meta, "annotations");
	const tv *spec = inj_get(pod, "spec");
	const tv *sidecar = inj_latest_sidecar(spec);
	if (!sidecar)
		return pod;
	/* ShouldRewriteAppHTTPProbers: the annotation, else the values */
	int rw = parse_bool(inj_str(ann, "sidecar.istio.io/rewriteAppHTTPProbers"));
	if (rw < 0) {
		const tv *v = inj_get(inj_get(values, "sidecarInjectorWebhook"), "rewriteAppHTTPProbe");
		rw = v && v->kind == TV_BOOL && v->u.b;
	}
	if (!rw)
		return pod;
	const tv *sp = inj_get(inj_get(mesh, "defaultConfig"), "statusPort");
	long target = sp && sp->kind == TV_INT ? (long)sp->u.i : 0;
	const tv *probers = dump(a, spec, target);
	if (probers) {
		bool before = inj_get(ann, INJ_STATUS_ANNOTATION) != NULL;
		spec = inj_latest_with_sidecar(
			a, spec,
			inj_set(a, sidecar, "env", with_probers(a, inj_get(sidecar, "env"), probers, before)));
	}
	/* patchRewriteProbe: status.sidecar.istio.io/port (Atoi; 0 on error), else the mesh's */
	long port = target;
	const char *ps = inj_str(ann, "status.sidecar.istio.io/port");
	if (ps) {
		char *end;
		port = strtol(ps, &end, 10);
		if (*end || !*ps)
			port = 0;
	}
	spec = inj_set(a, spec, "containers", convert_list(a, inj_get(spec, "containers"), port));
	if (inj_get(spec, "initContainers"))
		spec = inj_set(a, spec, "initContainers",
			       convert_list(a, inj_get(spec, "initContainers"), port));
	return inj_set(a, pod, "spec", spec);
}
