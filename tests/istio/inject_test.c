/* inject_test.c: the injector core's parts against Istio's (1.1 and newest) and Kubernetes' documented behaviour (policy, selectors, mesh merge, concurrency, annotations, status, proxy images); prints TAP. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/tap.h"
#include "inject/inject.h"
#include "json.h"
#include "yaml_load.h"

static tmpl_arena *A;

static const tv *y(const char *text)
{
	const tv *doc;
	tmpl_error e;
	tmpl_error_init(&e);
	if (yl_load_first(A, "test", text, strlen(text), &doc, &e) != 0) {
		tap_bail("bad test YAML: %s", e.msg);
	}
	return doc;
}

static bool req(const inj_config *c, const char *meta, const char *spec)
{
	static const char *const ignored[] = {"kube-system", "kube-public", NULL};
	return inj_policy_required(c, ignored, y(meta), y(spec));
}

static void policy(void)
{
	inj_config en = {.policy = "enabled"}, dis = {.policy = "disabled"}, off = {.policy = "x"};
	tap_ok(req(&en, "{name: a}", "{}"), "policy enabled injects by default");
	tap_ok(!req(&dis, "{name: a}", "{}"), "policy disabled does not inject by default");
	tap_ok(!req(&off, "{annotations: {sidecar.istio.io/inject: 'true'}}", "{}"),
	   "another policy never injects");
	tap_ok(req(&dis, "{annotations: {sidecar.istio.io/inject: 'YES'}}", "{}") &&
	   req(&dis, "{annotations: {sidecar.istio.io/inject: 'on'}}", "{}") &&
	   req(&dis, "{annotations: {sidecar.istio.io/inject: 'y'}}", "{}"),
	   "y, yes, true, on (any case) request injection");
	tap_ok(!req(&en, "{annotations: {sidecar.istio.io/inject: 'false'}}", "{}") &&
	   !req(&en, "{annotations: {sidecar.istio.io/inject: 'garbage'}}", "{}"),
	   "false and other values refuse it");
	tap_ok(req(&en, "{annotations: {sidecar.istio.io/inject: ''}}", "{}"),
	   "an empty annotation means the default");
	tap_ok(!req(&en, "{name: a}", "{hostNetwork: true}"), "host networking is never injected");
	tap_ok(!req(&en, "{namespace: kube-system}", "{}") && req(&en, "{namespace: default}", "{}"),
	   "ignored namespaces are skipped");
	inj_config sel = {.policy = "enabled",
			  .never_sel = y("[{matchLabels: {app: db}}, {}]"),
			  .always_sel = y("[{matchExpressions: [{key: tier, operator: In, values: [web]}]}]")};
	tap_ok(!req(&sel, "{labels: {app: db}}", "{}"), "neverInjectSelector refuses a default pod");
	tap_ok(req(&sel, "{labels: {app: web}}", "{}"), "an empty selector matches nothing");
	tap_ok(req(&sel, "{labels: {app: db}, annotations: {sidecar.istio.io/inject: 'true'}}", "{}"),
	   "the annotation wins over the selectors");
	sel.policy = "disabled";
	tap_ok(req(&sel, "{labels: {tier: web}}", "{}") && !req(&sel, "{labels: {tier: db}}", "{}"),
	   "alwaysInjectSelector injects under policy disabled");
	tap_ok(inj_selector_matches(y("{matchExpressions: [{key: a, operator: NotIn, values: [x]}]}"),
				y("{a: y}")) &&
	   inj_selector_matches(y("{matchExpressions: [{key: a, operator: NotIn, values: [x]}]}"),
				y("{}")) &&
	   inj_selector_matches(y("{matchExpressions: [{key: a, operator: Exists}]}"), y("{a: ''}")) &&
	   !inj_selector_matches(y("{matchExpressions: [{key: a, operator: DoesNotExist}]}"),
				 y("{a: ''}")) &&
	   !inj_selector_matches(y("{matchExpressions: [{key: a, operator: In}]}"), y("{a: x}")) &&
	   !inj_selector_matches(y("{matchExpressions: [{key: a, operator: Bogus, values: [x]}]}"),
				 y("{a: x}")),
	   "label selector operators; invalid selectors never match");
}

static void mesh(void)
{
	const tv *m;
	tmpl_error e;
	tmpl_error_init(&e);
	const char *text = "defaultConfig: {drainDuration: 2s, proxyAdminPort: 0, binaryPath: ''}\n"
			   "ingressService: istio-ingress\n";
	tap_ok(inj_mesh_load(A, "m", text, strlen(text), &m, &e) == 0, "mesh file loads");
	const tv *pc = inj_get(m, "defaultConfig");
	tap_is(inj_str(pc, "drainDuration"), "2s", "defaultConfig fields replace the default's");
	tap_is(inj_str(pc, "binaryPath"), "/usr/local/bin/envoy", "zero fields keep the default");
	const tv *port = inj_get(pc, "proxyAdminPort");
	tap_ok(port && port->kind == TV_INT && port->u.i == 15000, "a zero port keeps 15000");
	tap_is(inj_str(pc, "discoveryAddress"), "istio-pilot:15010", "unset fields keep the default");
	tap_is(inj_str(m, "ingressService"), "istio-ingress", "top-level fields replace the default");
	tap_is(inj_str(m, "rootNamespace"), "istio-system", "other top-level defaults stay");
	tap_ok(inj_mesh_load(A, "m", NULL, 0, &m, &e) == 0 &&
	   inj_get(inj_get(m, "defaultConfig"), "statNameLength")->u.i == 189,
	   "no file gives DefaultMeshConfig");
}

static const char *args_of(const tv *containers)
{
	static char buf[512];
	buf[0] = 0;
	const tv *args = inj_get(containers->u.list.items[0], "args");
	for (size_t i = 0; args && i < args->u.list.len; i++) {
		strcat(buf, i ? " " : "");
		strncat(buf, args->u.list.items[i]->u.s.ptr, 100);
	}
	return buf;
}

static void concurrency(void)
{
	tap_is(args_of(inj_apply_concurrency(A, y("[{name: istio-proxy, args: [a], resources: {requests: {cpu: 10m}}}]"))),
	   "a --concurrency 1", "a 10m request gives --concurrency 1");
	tap_is(args_of(inj_apply_concurrency(A, y("[{name: istio-proxy, resources: {limits: {cpu: 1500m}, requests: {cpu: 100m}}}]"))),
	   "--concurrency 2", "the limit, rounded up, wins over the request");
	tap_is(args_of(inj_apply_concurrency(A, y("[{name: istio-proxy, args: [--concurrency=4], resources: {limits: {cpu: '8'}}}]"))),
	   "--concurrency=4", "an existing --concurrency=N is kept");
	tap_is(args_of(inj_apply_concurrency(A, y("[{name: istio-proxy, args: [-concurrency, '3'], resources: {limits: {cpu: '8'}}}]"))),
	   "-concurrency 3", "an existing -concurrency N is kept");
	tap_is(args_of(inj_apply_concurrency(A, y("[{name: istio-proxy, args: [x]}]"))), "x",
	   "no CPU, no flag");
	tap_is(args_of(inj_apply_concurrency(A, y("[{name: app, resources: {limits: {cpu: '8'}}}]"))), "",
	   "only istio-proxy gets the flag");
}

static void annotations(void)
{
	tmpl_error e;
	tmpl_error_init(&e);
	tap_ok(inj_validate_annotations(y("{sidecar.istio.io/interceptionMode: TPROXY, "
				      "traffic.sidecar.istio.io/includeOutboundIPRanges: '*', "
				      "traffic.sidecar.istio.io/excludeOutboundIPRanges: '10.0.0.0/8,::1/128', "
				      "traffic.sidecar.istio.io/includeInboundPorts: '80, 81', "
				      "status.sidecar.istio.io/port: '15020', "
				      "readiness.status.sidecar.istio.io/periodSeconds: '3'}"),
				    &e) == 0,
	   "valid annotations pass");
	tap_ok(inj_validate_annotations(y("{sidecar.istio.io/interceptionMode: FOO}"), &e) != 0, "bad mode");
	/* Istio 1.1 joins the validators' errors with go-multierror. */
	tap_is(e.msg, "1 error occurred:\n\n* injection failed. Invalid value for annotation sidecar.istio.io/interceptionmode: FOO. Error: interceptionMode invalid: FOO",
	   "interceptionMode error text (name lower-cased, as one error of a multierror)");
	tap_ok(inj_validate_annotations(y("{readiness.status.sidecar.istio.io/failureThreshold: '-1'}"), &e) != 0, "bad uint32");
	tap_is(e.msg, "1 error occurred:\n\n* injection failed. Invalid value for annotation readiness.status.sidecar.istio.io/failurethreshold: -1. Error: strconv.ParseUint: parsing \"-1\": invalid syntax",
	   "uint32 error text");
	tap_ok(inj_validate_annotations(y("{sidecar.istio.io/interceptionMode: FOO, "
				      "status.sidecar.istio.io/port: 'x'}"), &e) != 0 &&
	   strncmp(e.msg, "2 errors occurred:\n\n* injection failed. ",
		   strlen("2 errors occurred:\n\n* injection failed. ")) == 0 &&
	   strstr(e.msg, "\n* injection failed. Invalid value for annotation status.sidecar.istio.io/port: x.") != NULL,
	   "every invalid annotation is reported, one point each");
	tap_ok(inj_validate_annotations(y("{traffic.sidecar.istio.io/excludeInboundPorts: '70000'}"), &e) != 0 &&
	   strstr(e.msg, "value out of range") != NULL, "a port above 65535 is refused");
	tmpl_error_clear(&e);
}

static void status(void)
{
	inj_spec s = {0};
	s.init_containers = y("[{name: istio-init}]");
	s.containers = y("[{name: istio-proxy}, {name: '<x>'}]");
	s.volumes = y("[]");
	s.pull_secrets = TV_NOVALUE;
	tap_is(inj_status_json(A, "abc", &s),
	   "{\"version\":\"abc\",\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\",\"\\u003cx\\u003e\"],\"volumes\":null,\"imagePullSecrets\":null}",
	   "status annotation: key order, empty lists null, Go's HTML escaping");

	/* The newest's getInjectionStatus: no version, c.Name ("" when unset),
	 * the revision last, "default" for none; json.Marshal escapes HTML. */
	tap_is(inj_status_latest(A, y("{containers: [{name: istio-proxy}, {image: x}], volumes: [{name: v}],"
				      " imagePullSecrets: []}"), ""),
	   "{\"initContainers\":null,\"containers\":[\"istio-proxy\",\"\"],\"volumes\":[\"v\"],"
	   "\"imagePullSecrets\":null,\"revision\":\"default\"}",
	   "newest status: field order, nil slices null, an unnamed item \"\", revision default");
	tap_is(inj_status_latest(A, y("{initContainers: [{name: istio-validation}]}"), "canary<1>"),
	   "{\"initContainers\":[\"istio-validation\"],\"containers\":null,\"volumes\":null,"
	   "\"imagePullSecrets\":null,\"revision\":\"canary\\u003c1\\u003e\"}",
	   "newest status: the revision as given, HTML-escaped");

	/* Written into the annotations (a Go map: one value per key). */
	const tv *ann = inj_status_annotate(A, y("{a: '1', sidecar.istio.io/status: old, b: '2'}"), "new");
	tap_ok(ann->u.map.len == 3 && strcmp(ann->u.map.pairs[1].val->u.s.ptr, "new") == 0,
	   "status written over an earlier one, the other annotations kept");
	ann = inj_status_annotate(A, y("null"), "s");
	tap_ok(ann->kind == TV_MAP && ann->u.map.len == 1 &&
	   strcmp(inj_str(ann, "sidecar.istio.io/status"), "s") == 0,
	   "status written into a pod without annotations");

	/* Read back by the newest (injectionStatus): an object, else nothing. */
	const tv *st = inj_status_latest_read(A, y("{sidecar.istio.io/status: '{\"containers\":[\"istio-proxy\"]}'}"));
	tap_ok(st && st->kind == TV_MAP && inj_get(st, "containers") &&
	   inj_get(st, "containers")->u.list.len == 1, "newest status read back");
	tap_ok(!inj_status_latest_read(A, y("{sidecar.istio.io/status: '[\"x\"]'}")) &&
	   !inj_status_latest_read(A, y("{sidecar.istio.io/status: '{'}")) &&
	   !inj_status_latest_read(A, y("{sidecar.istio.io/status: 1}")) &&
	   !inj_status_latest_read(A, y("{a: b}")) && !inj_status_latest_read(A, TV_NOVALUE),
	   "newest status: not an object, unreadable or absent is no status");
}

/* A spec as one comparable text: its lists and its status annotation. */
static char *spec_text(const inj_spec *s)
{
	sbuf b = SBUF_INIT;
	tmpl_error e;
	tmpl_error_init(&e);
	const tv *parts[] = {s->init_containers, s->containers, s->volumes, s->pull_secrets};
	for (size_t i = 0; i < 4; i++) {
		if (json_write(&b, parts[i], 0, &e) != 0)
			sbuf_puts(&b, "?");
		sbuf_putc(&b, '|');
	}
	sbuf_puts(&b, s->status);
	tmpl_error_clear(&e);
	return sbuf_detach(&b, NULL);
}

#define MEMO_PODS 300 /* more distinct rendered texts than the memo holds */
#define MEMO_THREADS 4

static const char memo_tmpl[] =
	"containers:\n"
	"- name: istio-proxy\n"
	"  image: proxy:[[ .ObjectMeta.Name ]]\n"
	"  resources: {limits: {cpu: 1500m}}\n"
	"volumes:\n"
	"- name: certs-[[ .ObjectMeta.Name ]]\n";

typedef struct memo_job {
	const inj_config *cfg;
	const tv *mesh;
	char **want;
	int id;
	int bad;
} memo_job;

static const tv *memo_meta(tmpl_arena *a, int i)
{
	char text[64];
	snprintf(text, sizeof text, "{name: pod%d}", i % MEMO_PODS);
	const tv *m;
	tmpl_error e;
	tmpl_error_init(&e);
	if (yl_load_first(a, "meta", text, strlen(text), &m, &e) != 0)
		m = TV_NOVALUE;
	tmpl_error_clear(&e);
	return m;
}

/* Every thread renders every pod twice, in its own order, with the memo. */
static void *memo_worker(void *arg)
{
	memo_job *j = arg;
	for (int round = 0; round < 2 * MEMO_PODS; round++) {
		int i = (round * 7 + j->id * 31) % MEMO_PODS;
		tmpl_arena *a = arena_new();
		tmpl_error e;
		tmpl_error_init(&e);
		inj_spec s;
		const tv *meta = memo_meta(a, i);
		if (inj_render(a, j->cfg, j->mesh, meta, meta, TV_NOVALUE, &s, &e) != 0) {
			j->bad++;
		} else {
			char *got = spec_text(&s);
			if (strcmp(got, j->want[i]) != 0)
				j->bad++;
			free(got);
		}
		tmpl_error_clear(&e);
		arena_free(a);
	}
	return NULL;
}

/* The rendered-text memo gives what reading the text afresh gives, on
 * many threads at once, past its capacity. */
static void memo(void)
{
	inj_config cfg;
	tmpl_error e;
	tmpl_error_init(&e);
	if (inj_config_from_template(A, memo_tmpl, strlen(memo_tmpl), "enabled", &cfg, &e) != 0) {
		tap_bail("bad memo template: %s", e.msg);
	}
	tap_ok(cfg.cache != NULL, "a loaded config has a spec memo");
	const tv *mesh = inj_mesh_default(A);
	inj_config plain = cfg;
	plain.cache = NULL; /* the same config reading every text afresh */
	char *want[MEMO_PODS];
	int bad = 0;
	for (int i = 0; i < MEMO_PODS; i++) {
		inj_spec s;
		const tv *meta = memo_meta(A, i);
		if (inj_render(A, &plain, mesh, meta, meta, TV_NOVALUE, &s, &e) != 0) {
			tap_bail("render failed: %s", e.msg);
		}
		want[i] = spec_text(&s);
		char img[64];
		snprintf(img, sizeof img, "\"image\":\"proxy:pod%d\"", i);
		bad += strstr(want[i], img) == NULL || strstr(want[i], "--concurrency") == NULL;
	}
	tap_ok(bad == 0, "each pod's spec carries its own rendered values (and the concurrency flag)");
	memo_job jobs[MEMO_THREADS];
	pthread_t th[MEMO_THREADS];
	for (int t = 0; t < MEMO_THREADS; t++) {
		jobs[t] = (memo_job){&cfg, mesh, want, t, 0};
		if (pthread_create(&th[t], NULL, memo_worker, &jobs[t]) != 0) {
			tap_bail("cannot start a thread");
		}
	}
	bad = 0;
	for (int t = 0; t < MEMO_THREADS; t++) {
		pthread_join(th[t], NULL);
		bad += jobs[t].bad;
	}
	tap_ok(bad == 0, "renders through the memo on 4 threads equal fresh reads, past its 256 entries");
	for (int i = 0; i < MEMO_PODS; i++)
		free(want[i]);
	inj_config_free(&cfg);
	tmpl_error_clear(&e);
}


/* The newest injectRequired: the label beats the annotation, and only
 * "true" and "false" count (inject.go). */
static void policy_latest(void)
{
	inj_config en = {.policy = "enabled", .newest = true};
	inj_config dis = {.policy = "disabled", .newest = true};
	tap_ok(!req(&en, "{labels: {sidecar.istio.io/inject: 'false'}, annotations: {sidecar.istio.io/inject: 'true'}}", "{}"),
	   "newest: the inject label beats the annotation");
	tap_ok(req(&dis, "{annotations: {sidecar.istio.io/inject: 'true'}}", "{}"),
	   "newest: annotation true injects under policy disabled");
	tap_ok(req(&en, "{annotations: {sidecar.istio.io/inject: 'no'}}", "{}") &&
	   !req(&dis, "{annotations: {sidecar.istio.io/inject: 'YES'}}", "{}"),
	   "newest: other values fall back to the policy's default");
}

/* Istio's TestProxyImage (pkg/kube/inject/inject_test.go): hub, tag (number
 * or string), ProxyConfig image type, the proxyImageType annotation. */
static void proxy_image(void)
{
	static const char *const cases[][5] = {
		/* hub, tag (YAML), proxy config imageType, annotation, want */
		{"registry.istio.io/release", "11", "", "", "registry.istio.io/release/proxyv2:11"},
		{"registry.istio.io/release", "1.12", "distroless", "", "registry.istio.io/release/proxyv2:1.12-distroless"},
		{"gcr.io/gke-release/asm", "1.11.2-asm.17", "", "distroless", "gcr.io/gke-release/asm/proxyv2:1.11.2-asm.17-distroless"},
		{"gcr.io/gke-release/asm", "1.11.2-asm.17", "distroless", "debug", "gcr.io/gke-release/asm/proxyv2:1.11.2-asm.17-debug"},
		{"gcr.io/gke-release/asm", "1.11.2-asm.17", "debug", "default", "gcr.io/gke-release/asm/proxyv2:1.11.2-asm.17"},
		{"gcr.io/gke-release/asm", "1.11.2-asm.17-distroless", "default", "", "gcr.io/gke-release/asm/proxyv2:1.11.2-asm.17"},
		{"gcr.io/gke-release/asm", "1.11.2-asm.17-distroless", "", "default", "gcr.io/gke-release/asm/proxyv2:1.11.2-asm.17"},
		{"registry.istio.io/release", "1.12-debug", "distroless", "", "registry.istio.io/release/proxyv2:1.12-distroless"},
		{"registry.istio.io/release", "1.12-distroless", "", "distroless", "registry.istio.io/release/proxyv2:1.12-distroless"},
		{"private-repo/istio", "1.12-this-is-unusual-tag", "", "", "private-repo/istio/proxyv2:1.12-this-is-unusual-tag"},
		{"private-repo/istio", "1.12-this-is-unusual-tag-distroless", "default", "", "private-repo/istio/proxyv2:1.12-this-is-unusual-tag"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[512];
		snprintf(buf, sizeof buf, "{global: {hub: %s, tag: %s}}", cases[i][0], cases[i][1]);
		const tv *values = y(buf);
		snprintf(buf, sizeof buf, "{image: {imageType: '%s'}}", cases[i][2]);
		const tv *pc = *cases[i][2] ? y(buf) : y("{}");
		snprintf(buf, sizeof buf, "{sidecar.istio.io/proxyImageType: '%s'}", cases[i][3]);
		const tv *ann = *cases[i][3] ? y(buf) : y("{}");
		char name[256];
		snprintf(name, sizeof name, "ProxyImage: tag %s, type %s, annotation %s", cases[i][1],
			 cases[i][2], cases[i][3]);
		tap_is(inj_latest_proxy_image(A, values, pc, ann, false), cases[i][4], name);
	}
	/* ProxyInitImage: global.proxy_init.image, and no ProxyConfig image type */
	tap_is(inj_latest_proxy_image(A, y("{global: {hub: h, tag: t, proxy_init: {image: init}}}"),
				  y("{image: {imageType: debug}}"), y("{}"), true),
	   "h/init:t", "ProxyInitImage takes proxy_init.image, not the ProxyConfig's type");
}

/* The newest mesh: mesh.go's defaults under the file; extensionProviders
 * merged by name; defaultConfig merged field by field, proxyMetadata key by key. */
static void mesh_latest(void)
{
	const tv *m;
	tmpl_error e;
	tmpl_error_init(&e);
	const char *text = "defaultConfig: {proxyMetadata: {A: b}}\n"
			   "extensionProviders: [{name: envoy, envoyFileAccessLog: {path: /x}}, {name: otel, opentelemetry: {port: 4317}}]\n";
	tap_ok(inj_mesh_latest_load(A, "mesh", text, strlen(text), &m, &e) == 0, "newest mesh loads");
	const tv *pc = inj_get(m, "defaultConfig");
	const tv *sp = inj_get(pc, "statusPort");
	tap_ok(sp && sp->kind == TV_INT && sp->u.i == 15020 &&
	   strcmp(inj_str(pc, "discoveryAddress"), "istiod.istio-system.svc:15012") == 0 &&
	   strcmp(inj_str(m, "trustDomain"), "cluster.local") == 0,
	   "newest defaults: statusPort 15020, istiod discovery address, trust domain");
	const tv *ep = inj_get(m, "extensionProviders");
	tap_ok(ep && ep->kind == TV_LIST && ep->u.list.len == 4 &&
	   strcmp(inj_str(inj_get(ep->u.list.items[2], "envoyFileAccessLog"), "path"), "/x") == 0,
	   "extension providers: envoy replaced in place, otel appended");
	const tv *m2;
	const char *anno = "proxyMetadata: {C: d}\nholdApplicationUntilProxyStarts: true\n";
	tap_ok(inj_mesh_latest_apply_proxy(A, m, anno, strlen(anno), &m2, &e) == 0 &&
	   strcmp(inj_str(inj_get(inj_get(m2, "defaultConfig"), "proxyMetadata"), "A"), "b") == 0 &&
	   strcmp(inj_str(inj_get(inj_get(m2, "defaultConfig"), "proxyMetadata"), "C"), "d") == 0,
	   "proxy.istio.io/config merges proxyMetadata (MergeProxyConfig)");
	tmpl_error_clear(&e);
}

/* Istio's TestApplySecurePrometheusAnnotation (pkg/kube/inject/webhook_test.go). */
static const char *secure_port(const char *pod)
{
	const tv *r = inj_latest_secure_prometheus(A, y(pod));
	return inj_str(inj_get(inj_get(r, "metadata"), "annotations"), "prometheus.istio.io/secure-port");
}

static void secure_prometheus(void)
{
	tap_is(secure_port("{spec: {containers: [{name: app}, {name: istio-proxy, env: ["
		       "{name: ENVOY_SECURE_METRICS_PORT, value: '15091'},"
		       "{name: ENVOY_SECURE_MERGED_METRICS_PORT, value: '15092'}]}]}}"),
	   "15092", "secure-port: from ENVOY_SECURE_MERGED_METRICS_PORT");
	tap_is(secure_port("{metadata: {annotations: {prometheus.istio.io/secure-port: '19999'}},"
		       " spec: {containers: [{name: app}, {name: istio-proxy, env: ["
		       "{name: ENVOY_SECURE_MERGED_METRICS_PORT, value: '15092'}]}]}}"),
	   "19999", "secure-port: the user's annotation is kept");
	tap_ok(!secure_port("{spec: {containers: [{name: istio-proxy, env: ["
			"{name: ENVOY_SECURE_MERGED_METRICS_PORT, value: '0'}]}]}}") &&
	   !secure_port("{spec: {containers: [{name: istio-proxy, env: [{name: SOME_OTHER_VAR, value: v}]}]}}") &&
	   !secure_port("{spec: {containers: [{name: app}]}}"),
	   "secure-port: none for port 0, no variable, no istio-proxy");
}

int main(void)
{
	A = arena_new();
	policy();
	mesh();
	concurrency();
	annotations();
	status();
	memo();
	policy_latest();
	proxy_image();
	mesh_latest();
	secure_prometheus();
	arena_free(A);
	return tap_done();
}
