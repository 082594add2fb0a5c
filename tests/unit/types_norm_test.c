/* types_norm_test.c: types_normalize against Istio 1.1's kube-inject goldens, its protobuf-JSON mesh configs and Kubernetes' own quantity tables; prints TAP.
 *
 * Expectations never come from our own output:
 *  - data/types_norm/X.yaml are Istio 1.1.0's kube-inject inputs and
 *    X.expected their goldens (X.yaml.injected) with what injection adds
 *    cut out by hand: the istio-init, istio-proxy (and enable-core-dump)
 *    containers, the istio-envoy and istio-certs volumes, and the
 *    sidecar.istio.io/status annotation (with keys left empty by that).
 *    What remains is Go's decode and re-encode of the input through the
 *    typed structs, written by sigs.k8s.io/yaml.
 *  - mesh-*.json are istio's DefaultMeshConfig() (and two variants) as
 *    gogo jsonpb writes them; mesh-default.yaml is the same data as YAML.
 *  - quantities: apimachinery's TestQuantityParseEmit table and the
 *    Kubernetes documentation's examples, noted at each case.
 *  - errors and the ghodss conversion: Go 1.19 encoding/json's and
 *    ghodss/yaml's documented behaviour, quoted at each case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/tap.h"
#include "arena.h"
#include "file.h"
#include "json.h"
#include "sbuf.h"
#include "tmpl.h"
#include "tmpl_value.h"
#include "types.h"
#include "yaml_emit.h"
#include "yaml_load.h"

static char *read_data(const char *rel, size_t *len)
{
	const char *srcdir = getenv("srcdir");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/unit/data/types_norm/%s", srcdir ? srcdir : ".",
		 rel);
	tmpl_error e;
	tmpl_error_init(&e);
	char *text = file_read(path, len, FILE_WORDS_C, &e); /* NULL when missing */
	tmpl_error_clear(&e);
	return text;
}

/* The types kube-inject 1.1 decodes each kind into. */
static const char *kind_type(const tv *doc)
{
	static const char *const kinds[][2] = {
		{"Pod", "core/v1.Pod"},
		{"ReplicationController", "core/v1.ReplicationController"},
		{"Deployment", "extensions/v1beta1.Deployment"},
		{"DaemonSet", "extensions/v1beta1.DaemonSet"},
		{"ReplicaSet", "extensions/v1beta1.ReplicaSet"},
		{"Job", "batch/v1.Job"},
		{"CronJob", "batch/v2alpha1.CronJob"},
		{"StatefulSet", "apps/v1beta1.StatefulSet"},
		{"DeploymentConfig", "apps.openshift.io/v1.DeploymentConfig"},
		{"List", "core/v1.List"},
	};
	const tv *k = doc && doc->kind == TV_MAP ? tv_map_get(doc, "kind", 4) : NULL;
	for (size_t i = 0; k && k->kind == TV_STRING && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i][0], k->u.s.ptr) == 0)
			return kinds[i][1];
	return NULL;
}

/* Normalize a document as kube-inject does (a List's items by their own kind). */
static int normalize_doc(tmpl_arena *a, const tv *doc, const char *tn, const tv **out,
			 tmpl_error *err)
{
	if (types_normalize(a, types_lookup(tn), doc, out, err))
		return -1;
	if (strcmp(tn, "core/v1.List") != 0)
		return 0;
	const tv *items = tv_map_get(*out, "items", 5);
	for (size_t i = 0; items && items->kind == TV_LIST && i < items->u.list.len; i++) {
		const tv *it = items->u.list.items[i];
		const char *itn = kind_type(it);
		if (itn && strcmp(itn, "core/v1.List") != 0 &&
		    types_normalize(a, types_lookup(itn), it, &items->u.list.items[i], err))
			return -1;
	}
	return 0;
}

/* Every injectable document of X.yaml, normalized and written, equals the
 * same document of X.expected; other documents are not compared. */
static void check_golden(const char *name)
{
	char in_name[256], exp_name[256], label[300];
	snprintf(in_name, sizeof in_name, "%s.yaml", name);
	snprintf(exp_name, sizeof exp_name, "%s.expected", name);
	size_t in_len, exp_len;
	char *in = read_data(in_name, &in_len), *exp = read_data(exp_name, &exp_len);
	snprintf(label, sizeof label, "golden %s", name);
	if (!in || !exp) {
		tap_ok(0, label);
		tap_diag("missing data for %s", name);
		free(in);
		free(exp);
		return;
	}
	tmpl_arena *a = arena_new();
	tmpl_error err = {0};
	const tv **docs;
	size_t ndocs;
	int good = 1, compared = 0;
	if (yl_load(a, in_name, in, in_len, &docs, &ndocs, &err)) {
		tap_diag("load: %s", err.msg);
		good = 0;
		ndocs = 0;
	}
	const char *e = exp, *eend = exp + exp_len;
	for (size_t i = 0; i < ndocs && good; i++) {
		if (!docs[i])
			continue;
		/* the expected document: up to the next "---\n" line */
		const char *sep = e;
		while (sep < eend && !(strncmp(sep, "---\n", 4) == 0 && (sep == exp || sep[-1] == '\n')))
			sep = memchr(sep, '\n', (size_t)(eend - sep)) ? (char *)memchr(sep, '\n', (size_t)(eend - sep)) + 1 : eend;
		const char *tn = kind_type(docs[i]);
		if (tn) {
			const tv *out;
			sbuf b = SBUF_INIT;
			if (normalize_doc(a, docs[i], tn, &out, &err) ||
			    ye_emit(&b, out, YE_RULES_ISTIO_1_1, &err)) {
				tap_diag("doc %zu: %s", i, err.msg);
				good = 0;
			} else if (b.len != (size_t)(sep - e) || memcmp(b.buf, e, b.len) != 0) {
				tap_diag("doc %zu differs", i);
				tap_show("want", e, (size_t)(sep - e));
				tap_show("got", b.buf, b.len);
				good = 0;
			}
			compared++;
			sbuf_free(&b);
		}
		e = sep < eend ? sep + 4 : eend;
	}
	tap_ok(good && compared > 0, label);
	tmpl_error_clear(&err);
	arena_free(a);
	free(in);
	free(exp);
}

/* A mesh config (YAML or JSON) as meshconfig.MeshConfig, written as jsonpb
 * writes it (2-space indent, field order), equals want_file. */
static void check_mesh(const char *in_file, const char *want_file)
{
	char label[300];
	snprintf(label, sizeof label, "mesh %s as %s", in_file, want_file);
	size_t in_len, want_len;
	char *in = read_data(in_file, &in_len), *want = read_data(want_file, &want_len);
	tmpl_arena *a = arena_new();
	tmpl_error err = {0};
	const tv *doc, *out;
	sbuf b = SBUF_INIT;
	int good = in && want && yl_load_first(a, in_file, in, in_len, &doc, &err) == 0 &&
		   types_normalize(a, types_lookup("meshconfig.MeshConfig"), doc, &out, &err) == 0 &&
		   json_write(&b, out, JSON_INDENT2, &err) == 0;
	if (!good && err.msg)
		tap_diag("%s", err.msg);
	if (good && (b.len != want_len || memcmp(b.buf, want, want_len) != 0)) {
		tap_show("want", want, want_len);
		tap_show("got", b.buf, b.len);
		good = 0;
	}
	tap_ok(good, label);
	sbuf_free(&b);
	tmpl_error_clear(&err);
	arena_free(a);
	free(in);
	free(want);
}

/* Normalize the YAML text as type tn (flags for types_normalize_ex) and
 * write it as compact JSON; or the error text. */
static void check_json(const char *label, const char *tn, unsigned flags, const char *yaml,
		       const char *want)
{
	tmpl_arena *a = arena_new();
	tmpl_error err = {0};
	const tv *doc, *out;
	sbuf b = SBUF_INIT;
	const char *got;
	if (yl_load_first(a, "case", yaml, strlen(yaml), &doc, &err) != 0)
		got = err.msg;
	else if (types_normalize_ex(a, types_lookup(tn), doc, flags, &out, &err) != 0 ||
		 json_write(&b, out, 0, &err) != 0)
		got = err.msg;
	else
		got = b.buf ? b.buf : "";
	int good = got && strcmp(got, want) == 0;
	if (!good) {
		tap_show("want", want, strlen(want));
		tap_show("got", got ? got : "(null)", got ? strlen(got) : 6);
	}
	tap_ok(good, label);
	sbuf_free(&b);
	tmpl_error_clear(&err);
	arena_free(a);
}

static void check_quantity(const char *in, const char *want, int quoted)
{
	char yaml[128], wantj[128], label[200];
	snprintf(yaml, sizeof yaml, quoted ? "\"%s\"" : "%s", in);
	snprintf(wantj, sizeof wantj, "\"%s\"", want);
	snprintf(label, sizeof label, "quantity %s -> %s", yaml, want);
	check_json(label, "resource.Quantity", 0, yaml, wantj);
}

int main(void)
{
	static const char *const goldens[] = {
		"hello", "pod", "cronjob", "statefulset", "daemonset", "replicationcontroller",
		"job", "replicaset", "deploymentconfig", "deploymentconfig-multi", "list", "frontend",
	};
	for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++)
		check_golden(goldens[i]);

	check_mesh("mesh-default.yaml", "mesh-default.json");
	check_mesh("mesh-default.json", "mesh-default.json");
	check_mesh("mesh-tproxy.json", "mesh-tproxy.json");
	check_mesh("mesh-format-duration.json", "mesh-format-duration.json");

	/* apimachinery resource/quantity_test.go, TestQuantityParseEmit (and the
	 * same with a leading "-"). */
	static const char *const emit[][2] = {
		{"1Ki", "1Ki"}, {"1Mi", "1Mi"}, {"1Gi", "1Gi"}, {"1024Mi", "1Gi"},
		{"1000M", "1G"}, {".001Ki", "1024m"}, {".000001Ki", "1024u"},
		{".000000001Ki", "1024n"}, {".000000000001Ki", "2n"},
	};
	for (size_t i = 0; i < sizeof emit / sizeof emit[0]; i++) {
		char neg_in[64], neg_want[64];
		check_quantity(emit[i][0], emit[i][1], 1);
		snprintf(neg_in, sizeof neg_in, "-%s", emit[i][0]);
		snprintf(neg_want, sizeof neg_want, "-%s", emit[i][1]);
		check_quantity(neg_in, neg_want, 1);
	}
	/* Kubernetes documentation ("Resource units"): 0.5 CPU is 500m, 1000m
	 * is 1; the goldens' 10m and 100Mi stay as written. A YAML float 1e3
	 * reaches Quantity as JSON 1000, written 1k; the string "1e3" keeps the
	 * exponent form (CanonicalizeBytes, DecimalExponent). */
	check_quantity("0.5", "500m", 0);
	check_quantity("1000m", "1", 1);
	check_quantity("10m", "10m", 1);
	check_quantity("100Mi", "100Mi", 1);
	check_quantity("1", "1", 0);
	check_quantity("1e3", "1k", 0);
	check_quantity("1e3", "1e3", 1);
	check_quantity("1.5Gi", "1536Mi", 1);
	/* More of Kubernetes' canonical forms (resource.Quantity.String). */
	static const char *const canon[][2] = {
		{"100m", "100m"}, {"2000m", "2"}, {"1500m", "1500m"}, {"0.1", "100m"},
		{"1.5", "1500m"}, {"1000", "1k"}, {"1001", "1001"}, {"0", "0"}, {"128Mi", "128Mi"},
		{"0.5Gi", "512Mi"}, {"1k", "1k"}, {"1M", "1M"}, {"0.001", "1m"}, {"1.5k", "1500"},
	};
	for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++)
		check_quantity(canon[i][0], canon[i][1], 1);
	/* Quantity.Value: the integer, fractions rounded up (quantity.go). */
	static const struct { const char *in; int ok; unsigned long long want; } values[] = {
		{"64Mi", 1, 67108864ULL}, {"1.5k", 1, 1500}, {"1G", 1, 1000000000ULL},
		{"1Gi", 1, 1073741824ULL}, {"0.1", 1, 1}, {"1500m", 1, 2}, {"0", 1, 0},
		{"1e3", 1, 1000}, {"-1", 0, 0}, {"abc", 0, 0}, {"1x", 0, 0}, {"", 0, 0},
		{"20E", 0, 0},
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		uint64_t v = 0;
		int rc = types_quantity_value(values[i].in, strlen(values[i].in), &v);
		char label[96];
		snprintf(label, sizeof label, "quantity value of \"%s\"", values[i].in);
		tap_ok(values[i].ok ? rc == 0 && v == values[i].want : rc == -1, label);
	}
	check_json("quantity: a bad text", "resource.Quantity", 0, "\"1x\"",
		   "quantities must match the regular expression "
		   "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
	check_json("quantity: an unknown suffix", "resource.Quantity", 0, "\"1ki\"",
		   "unable to parse quantity's suffix");

	/* metav1.Time: null when zero; MarshalJSON writes t.UTC() in RFC 3339. */
	check_json("time: zero is null", "v1.ObjectMeta", 0, "{name: a}",
		   "{\"name\":\"a\",\"creationTimestamp\":null}");
	check_json("time: UTC, whole seconds", "v1.ObjectMeta", 0,
		   "{creationTimestamp: \"2019-01-02T00:30:05.25+01:00\"}",
		   "{\"creationTimestamp\":\"2019-01-01T23:30:05Z\"}");

	/* The newest ObjectMeta's creationTimestamp is `omitempty,omitzero`
	 * (kubernetes/apimachinery meta/v1 types.go): Istio's newest goldens
	 * (pkg/kube/inject/testdata/inject/hello.yaml.injected) have no
	 * `creationTimestamp: null` in the Deployment's pod template. */
	check_json("time: the newest ObjectMeta omits a zero time", "latest/meta/v1.ObjectMeta", 0,
		   "{name: a}", "{\"name\":\"a\"}");
	check_json("time: the newest ObjectMeta keeps a set time", "latest/meta/v1.ObjectMeta", 0,
		   "{creationTimestamp: \"2019-01-02T00:30:05Z\"}",
		   "{\"creationTimestamp\":\"2019-01-02T00:30:05Z\"}");
	check_json("time: the newest Deployment's pod template has no creationTimestamp",
		   "latest/apps/v1.Deployment", 0, "{spec: {template: {metadata: {labels: {app: hello}}}}}",
		   "{\"metadata\":{},\"spec\":{\"selector\":null,\"template\":{\"metadata\":"
		   "{\"labels\":{\"app\":\"hello\"}},\"spec\":{\"containers\":null}},"
		   "\"strategy\":{}},\"status\":{}}");

	/* intstr.IntOrString keeps its kind. */
	check_json("intorstr: int and string", "v1.HTTPGetAction", 0, "{port: 8080}",
		   "{\"port\":8080}");
	check_json("intorstr: a name", "v1.HTTPGetAction", 0, "{port: http, path: /x}",
		   "{\"path\":\"/x\",\"port\":\"http\"}");

	/* protobuf JSON (jsonpb): durations with 0, 3, 6 or 9 fraction digits,
	 * enums by name, int64 wrappers quoted, bool wrappers bare. */
	check_json("proto: durations", "meshconfig.ProxyConfig", 0,
		   "{drainDuration: 1500ms, parentShutdownDuration: 1m0s, connectTimeout: 0.000001s}",
		   "{\"drainDuration\":\"1.500s\",\"parentShutdownDuration\":\"60s\","
		   "\"connectTimeout\":\"0.000001s\"}");
	check_json("proto: enums by name or number", "meshconfig.ProxyConfig", 0,
		   "{interceptionMode: 1, controlPlaneAuthPolicy: MUTUAL_TLS}",
		   "{\"controlPlaneAuthPolicy\":\"MUTUAL_TLS\",\"interceptionMode\":\"TPROXY\"}");

	/* Struct zero values: omitempty scalars left out, a struct field written
	 * even when empty (resources: {}), nil slices null unless omitempty,
	 * a given [] left out by omitempty. */
	check_json("container zero fields", "v1.Container", 0,
		   "{name: c, args: [], ports: null, unknown: 1}",
		   "{\"name\":\"c\",\"resources\":{}}");
	check_json("case-insensitive field names", "v1.Container", 0, "{Name: c, IMAGE: i}",
		   "{\"name\":\"c\",\"image\":\"i\",\"resources\":{}}");

	/* Go 1.19 encoding/json: UnmarshalTypeError names the innermost struct
	 * and the JSON field path from the top. */
	check_json("error: number into a string field", "v1.Pod", 0,
		   "{spec: {containers: [{name: a, image: 1}]}}",
		   "json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string");
	check_json("error: string into a slice", "v1.Pod", 0, "{spec: {containers: x}}",
		   "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container");
	check_json("error: non-integral number into int32", "v1.Pod", 0,
		   "{spec: {priority: 1.5}}",
		   "json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.priority of type int32");
	check_json("error: top level", "v1.Pod", 0, "[1]",
		   "json: cannot unmarshal array into Go value of type v1.Pod");

	/* ghodss/yaml: a YAML scalar read into a string field becomes its text
	 * (int: FormatInt; float: FormatFloat(f, 'g', -1, 32); bool), which is
	 * why `- 1337` in a template's args reaches the pod as "1337". */
	check_json("ghodss: numbers into strings", "v1.Container", TYPES_NORM_GHODSS,
		   "{name: istio-init, args: [-u, 1337, 0.5, true], ports: [{containerPort: 15090}]}",
		   "{\"name\":\"istio-init\",\"args\":[\"-u\",\"1337\",\"0.5\",\"true\"],"
		   "\"ports\":[{\"containerPort\":15090}],\"resources\":{}}");
	check_json("ghodss: map values", "v1.ObjectMeta", TYPES_NORM_GHODSS,
		   "{labels: {a: 1}}", "{\"creationTimestamp\":null,\"labels\":{\"a\":\"1\"}}");

	return tap_done();
}
