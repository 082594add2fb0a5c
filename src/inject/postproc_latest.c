/* postproc_latest.c: the newest injector's post-processing of the merged pod (webhook.go postProcessPod): cluster and network, Prometheus merge, container order (the status annotation: status.c). */
#include "inject.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* FindSidecar: istio-proxy among the containers, else the init containers. */
static const char *sidecar_list(const tv *spec, size_t *at)
{
	static const char *const lists[] = {"containers", "initContainers"};
	for (size_t li = 0; li < 2; li++) {
		const tv *l = inj_get(spec, lists[li]);
		for (size_t i = 0; l && l->kind == TV_LIST && i < l->u.list.len; i++) {
			const char *cn = inj_str(l->u.list.items[i], "name");
			if (cn && strcmp(cn, "istio-proxy") == 0) {
				*at = i;
				return lists[li];
			}
		}
	}
	return NULL;
}

const tv *inj_latest_sidecar(const tv *spec)
{
	size_t at;
	const char *l = sidecar_list(spec, &at);
	return l ? inj_get(spec, l)->u.list.items[at] : NULL;
}

const tv *inj_latest_with_sidecar(tmpl_arena *a, const tv *spec, const tv *c)
{
	size_t at;
	const char *ln = sidecar_list(spec, &at);
	if (!ln)
		return spec;
	const tv *l = inj_get(spec, ln);
	tv *nl = tv_list_new(a, l->u.list.len);
	memcpy(nl->u.list.items, l->u.list.items, l->u.list.len * sizeof *nl->u.list.items);
	nl->u.list.items[at] = c;
	return inj_set(a, spec, ln, nl);
}

/* One proxy env (name, value) of overwriteClusterInfo. */
typedef struct proxy_env {
	const char *name, *value;
} proxy_env;

static int env_cmp(const void *x, const void *y)
{
	return strcmp(((const proxy_env *)x)->name, ((const proxy_env *)y)->name);
}

/* Set name to value among the n envs of e (at most cap), replacing an earlier one. */
static size_t env_put(proxy_env *e, size_t n, const char *name, const char *value)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0) {
			e[i].value = value;
			return n;
		}
	e[n].name = name;
	e[n].value = value;
	return n + 1;
}

/* extractClusterAndNetwork, overwriteClusterInfo and applyMetadata's label:
 * the proxy envs of the webhook's URL, with the cluster name and network
 * (the values', the URL's when set, the pod's topology.istio.io/network
 * label first for the network), replace the proxy's env entries of those
 * names, appended in name order; a network becomes the pod's label. */
const tv *inj_latest_cluster_info(tmpl_arena *a, const tv *pod, const inj_latest_params *p)
{
	static const char *const CLUSTER = "ISTIO_META_CLUSTER_ID", *const NETWORK = "ISTIO_META_NETWORK";
	const tv *g = inj_get(p->values, "global");
	const char *cluster = inj_str(inj_get(g, "multiCluster"), "clusterName");
	const char *network = inj_str(g, "network");
	const tv *urlenv = p->proxy_envs && p->proxy_envs->kind == TV_MAP ? p->proxy_envs : NULL;
	const char *uc = inj_str(urlenv, CLUSTER), *un = inj_str(urlenv, NETWORK);
	if (uc && *uc)
		cluster = uc;
	if (un && *un)
		network = un;
	const tv *meta = inj_get(pod, "metadata");
	const tv *nl = inj_get(inj_get(meta, "labels"), "topology.istio.io/network");
	if (nl && nl->kind == TV_STRING)
		network = nl->u.s.ptr;
	size_t cap = (urlenv ? urlenv->u.map.len : 0) + 2, n = 0;
	proxy_env *envs = arena_alloc(a, cap * sizeof *envs);
	for (size_t i = 0; urlenv && i < urlenv->u.map.len; i++) {
		const tv *k = urlenv->u.map.pairs[i].key, *v = urlenv->u.map.pairs[i].val;
		if (k->kind == TV_STRING && v->kind == TV_STRING)
			n = env_put(envs, n, k->u.s.ptr, v->u.s.ptr);
	}
	if (cluster && *cluster)
		n = env_put(envs, n, CLUSTER, cluster);
	if (network && *network)
		n = env_put(envs, n, NETWORK, network);
	if (n == 0)
		return pod;
	qsort(envs, n, sizeof *envs, env_cmp);
	const tv *spec = inj_get(pod, "spec");
	const tv *c = inj_latest_sidecar(spec);
	if (c) {
		const tv *env = inj_get(c, "env");
		size_t old = env && env->kind == TV_LIST ? env->u.list.len : 0, k = 0;
		tv *ne = tv_list_new(a, old + n);
		for (size_t i = 0; i < old; i++) {
			const char *en = inj_str(env->u.list.items[i], "name");
			bool drop = false;
			for (size_t j = 0; en && j < n && !drop; j++)
				drop = strcmp(en, envs[j].name) == 0;
			if (!drop)
				ne->u.list.items[k++] = env->u.list.items[i];
		}
		for (size_t j = 0; j < n; j++) {
			tv *e = tv_map_new(a, 2);
			tv_map_add(a, e, inj_cstr(a, "name"), inj_cstr(a, envs[j].name));
			tv_map_add(a, e, inj_cstr(a, "value"), inj_cstr(a, envs[j].value));
			tv_map_seal(a, e);
			ne->u.list.items[k++] = e;
		}
		ne->u.list.len = k;
		spec = inj_latest_with_sidecar(a, spec, inj_set(a, c, "env", ne));
	}
	for (size_t j = 0; j < n; j++) {
		if (strcmp(envs[j].name, NETWORK) != 0)
			continue;
		const tv *labels = inj_get(meta, "labels");
		if (!labels || labels->kind != TV_MAP)
			labels = tv_map_new(a, 0);
		meta = inj_set(a, meta, "labels",
			       inj_set(a, labels, "topology.istio.io/network", inj_cstr(a, envs[j].value)));
	}
	return inj_set(a, inj_set(a, pod, "metadata", meta), "spec", spec);
}

enum { MOVE_FIRST, MOVE_LAST };

/* modifyContainers: the container of that name moved first or last. */
static const tv *move(tmpl_arena *a, const tv *list, const char *name, int where)
{
	if (!list || list->kind != TV_LIST)
		return list;
	size_t n = list->u.list.len, k = 0;
	const tv *match = NULL;
	/* one slot more: with MOVE_FIRST the others start at 1, and when none
	 * matches all n are copied before that is known */
	tv *l = tv_list_new(a, n + 1);
	if (where == MOVE_FIRST)
		k = 1;
	for (size_t i = 0; i < n; i++) {
		const tv *c = list->u.list.items[i];
		const char *cn = inj_str(c, "name");
		if (cn && strcmp(cn, name) == 0) {
			match = c; /* Go keeps the last of several */
			continue;
		}
		l->u.list.items[k++] = c;
	}
	if (!match)
		return list;
	if (where == MOVE_FIRST)
		l->u.list.items[0] = match;
	else
		l->u.list.items[k++] = match;
	l->u.list.len = k;
	return l;
}

static bool has(const tv *list, const char *name)
{
	for (size_t i = 0; list && list->kind == TV_LIST && i < list->u.list.len; i++) {
		const char *cn = inj_str(list->u.list.items[i], "name");
		if (cn && strcmp(cn, name) == 0)
			return true;
	}
	return false;
}

/* reorderPod */
const tv *inj_latest_reorder(tmpl_arena *a, const tv *spec, bool hold)
{
	const tv *c = move(a, inj_get(spec, "containers"), "istio-proxy", hold ? MOVE_FIRST : MOVE_LAST);
	const tv *ic = inj_get(spec, "initContainers");
	if (has(ic, "istio-proxy")) {
		/* native sidecars: istio-init/istio-validation, the proxy, the rest */
		ic = move(a, ic, "enable-core-dump", MOVE_FIRST);
		ic = move(a, ic, "istio-proxy", MOVE_FIRST);
		ic = move(a, ic, "istio-validation", MOVE_FIRST);
		ic = move(a, ic, "istio-init", MOVE_FIRST);
	} else {
		ic = move(a, ic, "istio-validation", MOVE_FIRST);
		ic = move(a, ic, "istio-init", MOVE_LAST);
		ic = move(a, ic, "enable-core-dump", MOVE_LAST);
	}
	if (c)
		spec = inj_set(a, spec, "containers", c);
	if (ic)
		spec = inj_set(a, spec, "initContainers", ic);
	return spec;
}

/* Prometheus' SanitizeLabelName: every byte outside [a-zA-Z0-9_] is '_'. */
static bool sanitized_is(const char *k, const char *want)
{
	size_t n = strlen(want);
	if (strlen(k) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = isalnum((unsigned char)k[i]) || k[i] == '_' ? k[i] : '_';
		if (c != want[i])
			return false;
	}
	return true;
}

static const char *anno_like(const tv *ann, const char *want)
{
	for (size_t i = 0; ann && ann->kind == TV_MAP && i < ann->u.map.len; i++) {
		const tv_pair *p = &ann->u.map.pairs[i];
		if (p->key->kind == TV_STRING && sanitized_is(p->key->u.s.ptr, want) &&
		    p->val->kind == TV_STRING)
			return p->val->u.s.ptr;
	}
	return NULL;
}

/* strconv.ParseBool: 1 true, 0 false, -1 not a boolean. */
static int parse_bool(const char *s)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < 6; i++) {
		if (strcmp(s, t[i]) == 0)
			return 1;
		if (strcmp(s, f[i]) == 0)
			return 0;
	}
	return -1;
}

const tv *inj_latest_prometheus_clear(tmpl_arena *a, const tv *ann)
{
	static const char *const names[] = {"prometheus_io_path", "prometheus_io_port",
					    "prometheus_io_scrape", "prometheus_istio_io_scrape_targets"};
	tv *m = tv_map_new(a, ann->u.map.len);
	for (size_t i = 0; i < ann->u.map.len; i++) {
		const tv_pair *p = &ann->u.map.pairs[i];
		bool drop = false;
		for (size_t j = 0; j < 4 && p->key->kind == TV_STRING; j++)
			drop = drop || sanitized_is(p->key->u.s.ptr, names[j]);
		if (!drop)
			tv_map_add(a, m, p->key, p->val);
	}
	tv_map_seal(a, m);
	return m;
}

/* The port of a "prometheus.io/port"-like annotation that is not a valid
 * scrape port, conflicts with the agent, or is Istio's own: the reason. */
static const char *bad_port(const char *p, long target, char *canon, size_t n)
{
	static const char *const reserved[][2] = {
		{"15000", "Envoy admin"}, {"15001", "outbound traffic capture"},
		{"15004", "pilot debug"}, {"15006", "inbound traffic capture"},
		{"15008", "HBONE tunnel"}, {"15020", "pilot-agent status / merged Prometheus"},
		{"15021", "Envoy health"}, {"15053", "DNS proxy"},
		{"15090", "Envoy Prometheus (already merged)"},
	};
	char *end;
	long pn = strtol(p, &end, 10);
	if (*end || !*p || pn < 1 || pn > 65535)
		return "invalid";
	snprintf(canon, n, "%ld", pn);
	if (pn == target)
		return "conflict";
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcmp(canon, reserved[i][0]) == 0)
			return reserved[i][1];
	return NULL;
}

/* status.ParseScrapeTargets: "port[:path]" entries, path /metrics by default. */
static const tv *scrape_targets(tmpl_arena *a, const char *raw)
{
	const tv *l = tv_list_new(a, 0);
	const char *s = raw;
	while (s && *s) {
		const char *e = strchr(s, ',');
		if (!e)
			e = s + strlen(s);
		const char *b = s, *z = e;
		while (b < z && isspace((unsigned char)*b))
			b++;
		while (z > b && isspace((unsigned char)z[-1]))
			z--;
		if (b < z) {
			const char *c = memchr(b, ':', (size_t)(z - b));
			const char *pe = c ? c : z, *pb = b;
			while (pe > pb && isspace((unsigned char)pe[-1]))
				pe--;
			if (pe == pb)
				return NULL; /* empty port: Istio logs and ignores the annotation */
			const char *qb = c ? c + 1 : z, *qe = z;
			while (qb < qe && isspace((unsigned char)*qb))
				qb++;
			tv *t = tv_map_new(a, 2);
			tv_map_add(a, t, inj_cstr(a, "port"), tv_string(a, pb, (size_t)(pe - pb)));
			tv_map_add(a, t, inj_cstr(a, "path"),
				   qb < qe ? tv_string(a, qb, (size_t)(qe - qb)) : inj_cstr(a, "/metrics"));
			tv_map_seal(a, t);
			t->flags |= TVF_STRUCTORDER; /* ScrapeTarget's fields: port, path */
			tv *one = tv_list_new(a, 1);
			one->u.list.items[0] = t;
			l = inj_concat(a, l, one);
		}
		s = *e ? e + 1 : e;
	}
	return l->u.list.len ? l : NULL;
}

/* applyPrometheusMerge: the app's prometheus.io annotations (and
 * prometheus.istio.io/scrape-targets) move into the proxy's
 * ISTIO_PROMETHEUS_ANNOTATIONS and point at the agent's port. */
const tv *inj_latest_prometheus(tmpl_arena *a, const tv *pod, const tv *mesh, tmpl_error *err)
{
	const tv *meta = inj_get(pod, "metadata");
	const tv *ann = inj_get(meta, "annotations");
	const char *scrape = anno_like(ann, "prometheus_io_scrape");
	if (scrape && parse_bool(scrape) == 0)
		return pod;
	const tv *pm = inj_get(ann, "prometheus.istio.io/merge-metrics");
	int on = pm && pm->kind == TV_STRING ? parse_bool(pm->u.s.ptr) : -1;
	if (on < 0) {
		const tv *e = inj_get(mesh, "enablePrometheusMerge");
		on = !e || e->kind != TV_BOOL || e->u.b;
	}
	if (!on)
		return pod;
	const tv *sp = inj_get(inj_get(mesh, "defaultConfig"), "statusPort");
	long target = sp && sp->kind == TV_INT ? (long)sp->u.i : 0;
	char tbuf[32], canon[32];
	snprintf(tbuf, sizeof tbuf, "%ld", target);
	const char *port = anno_like(ann, "prometheus_io_port");
	if (port && strcmp(port, tbuf) == 0)
		return pod;
	const char *path = anno_like(ann, "prometheus_io_path");
	const char *rawt = anno_like(ann, "prometheus_istio_io_scrape_targets");
	const tv *targets = rawt ? scrape_targets(a, rawt) : NULL;
	if (targets) {
		port = inj_str(targets->u.list.items[0], "port");
		path = inj_str(targets->u.list.items[0], "path");
		for (size_t i = 0; i < targets->u.list.len; i++) {
			const char *tp = inj_str(targets->u.list.items[i], "port");
			const char *why = bad_port(tp, target, canon, sizeof canon);
			if (why && strcmp(why, "invalid") == 0)
				return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
						      "invalid prometheus scrape targets: invalid target port \"%s\"", tp), NULL;
			if (why && strcmp(why, "conflict") == 0)
				return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
						      "invalid prometheus scrape targets: target port %s conflicts with agent port", tp), NULL;
			if (why)
				return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
						      "invalid prometheus scrape targets: target port %s is reserved for Istio (%s) and cannot be scraped", tp, why), NULL;
		}
	} else if (port && *port) {
		const char *why = bad_port(port, target, canon, sizeof canon);
		if (why && strcmp(why, "invalid") == 0)
			return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
					      "invalid prometheus scrape configuration: invalid port \"%s\"", port), NULL;
		if (why && strcmp(why, "conflict") == 0)
			return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
					      "invalid prometheus scrape configuration: port %s conflicts with agent port", port), NULL;
		if (why)
			return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
					      "invalid prometheus scrape configuration: port %s is reserved for Istio (%s) and cannot be scraped", port, why), NULL;
	}
	const tv *spec = inj_get(pod, "spec");
	if (scrape || path || port || targets) {
		sbuf b = SBUF_INIT;
		tmpl_error e;
		tmpl_error_init(&e);
		sbuf_puts(&b, "{\"scrape\":");
		json_write(&b, inj_cstr(a, scrape ? scrape : ""), JSON_ESCAPE_HTML, &e);
		sbuf_puts(&b, ",\"path\":");
		json_write(&b, inj_cstr(a, path ? path : ""), JSON_ESCAPE_HTML, &e);
		sbuf_puts(&b, ",\"port\":");
		json_write(&b, inj_cstr(a, port ? port : ""), JSON_ESCAPE_HTML, &e);
		if (targets) {
			sbuf_puts(&b, ",\"targets\":");
			json_write(&b, targets, JSON_ESCAPE_HTML, &e);
		}
		sbuf_putc(&b, '}');
		tmpl_error_clear(&e);
		tv *env = tv_map_new(a, 2);
		tv_map_add(a, env, inj_cstr(a, "name"), inj_cstr(a, "ISTIO_PROMETHEUS_ANNOTATIONS"));
		tv_map_add(a, env, inj_cstr(a, "value"), tv_string(a, b.buf, b.len));
		tv_map_seal(a, env);
		sbuf_free(&b);
		tv *one = tv_list_new(a, 1);
		one->u.list.items[0] = env;
		const tv *c = inj_latest_sidecar(spec);
		if (c)
			spec = inj_latest_with_sidecar(a, spec,
						       inj_set(a, c, "env", inj_concat(a, inj_get(c, "env"), one)));
	}
	tv *na = tv_map_new(a, 3);
	const tv *base = ann && ann->kind == TV_MAP ? inj_latest_prometheus_clear(a, ann) : na;
	base = inj_set(a, base, "prometheus.io/port", inj_cstr(a, tbuf));
	base = inj_set(a, base, "prometheus.io/path", inj_cstr(a, "/stats/prometheus"));
	base = inj_set(a, base, "prometheus.io/scrape", inj_cstr(a, "true"));
	meta = inj_set(a, meta, "annotations", base);
	return inj_set(a, inj_set(a, pod, "metadata", meta), "spec", spec);
}

const char *inj_latest_prometheus_port(const tv *ann)
{
	return anno_like(ann, "prometheus_io_port");
}

/* applySecurePrometheusAnnotation: a proxy with ENVOY_SECURE_MERGED_METRICS_PORT
 * (neither "" nor "0") gets prometheus.istio.io/secure-port, unless the
 * user set that annotation (by its sanitised name). */
const tv *inj_latest_secure_prometheus(tmpl_arena *a, const tv *pod)
{
	const tv *meta = inj_get(pod, "metadata");
	const tv *ann = inj_get(meta, "annotations");
	if (anno_like(ann, "prometheus_istio_io_secure_port"))
		return pod;
	const tv *env = inj_get(inj_latest_sidecar(inj_get(pod, "spec")), "env");
	for (size_t i = 0; env && env->kind == TV_LIST && i < env->u.list.len; i++) {
		const char *n = inj_str(env->u.list.items[i], "name");
		const char *v = inj_str(env->u.list.items[i], "value");
		if (!n || strcmp(n, "ENVOY_SECURE_MERGED_METRICS_PORT") != 0 || !v || !*v ||
		    strcmp(v, "0") == 0)
			continue;
		if (!ann || ann->kind != TV_MAP)
			ann = tv_map_new(a, 0);
		ann = inj_set(a, ann, "prometheus.istio.io/secure-port", inj_cstr(a, v));
		return inj_set(a, pod, "metadata", inj_set(a, meta, "annotations", ann));
	}
	return pod;
}
