/* yaml_emit_test.c: ye_emit against Go: Istio 1.1's kube-inject goldens read back and written again byte for byte, and cases recorded from Go; prints TAP.
 *
 * Expectations come from Go, never from ye_emit: data/yaml_emit/cases.txt
 * was written by Go (sigs.k8s.io/yaml's pipeline: json.Marshal, yaml.v2
 * 2.4.0 Unmarshal into interface{}, yaml.v2 Marshal) from each case's
 * input; data/yaml_emit/1.1/ holds copies of Istio 1.1.0's
 * kube-inject goldens, every re-serialised document of which is yaml.v2
 * output (so written under YE_RULES_ISTIO_1_1), and latest/ a few of the
 * newest ones. data/yaml_emit/scalars-v2.txt holds strings whose quoting
 * Go's yaml.v2 decided under each rule set (its header says how). The few
 * cases built in C below quote Go's output in comments.
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
	snprintf(path, sizeof path, "%s/tests/unit/data/yaml_emit/%s", srcdir ? srcdir : ".", rel);
	tmpl_error e;
	tmpl_error_init(&e);
	char *text = file_read(path, len, FILE_WORDS_C, &e); /* NULL when missing */
	tmpl_error_clear(&e);
	return text;
}

/* Write v under rules and compare with the expected text, or with the
 * expected error message when want_err. */
static void check_rules(const char *name, const tv *v, ye_rules rules, const char *want,
			size_t wlen, int want_err)
{
	sbuf out = SBUF_INIT;
	tmpl_error err;
	tmpl_error_init(&err);
	int rc = ye_emit(&out, v, rules, &err);
	int good;
	if (want_err)
		good = rc != 0 && err.msg && strlen(err.msg) == wlen && memcmp(err.msg, want, wlen) == 0;
	else
		good = rc == 0 && out.len == wlen && memcmp(out.buf ? out.buf : "", want, wlen) == 0;
	tap_ok(good, name);
	if (!good) {
		tap_show("want", want, wlen);
		if (rc)
			tap_show("error", err.msg ? err.msg : "", err.msg ? strlen(err.msg) : 0);
		else
			tap_show("got", out.buf ? out.buf : "", out.len);
	}
	sbuf_free(&out);
	tmpl_error_clear(&err);
}

/* The same under today's rules (sigs.k8s.io/yaml's). */
static void check_value(const char *name, const tv *v, const char *want, size_t wlen, int want_err)
{
	check_rules(name, v, YE_RULES_CURRENT, want, wlen, want_err);
}

/* ---- cases.txt: "=== NAME", then "--- input N", "--- output N" or
 * "--- error N", each followed by N bytes of body and a newline ---- */

/* Read a "--- TAG N\n" line and its body at *p; NULL when it is not there. */
static const char *section(const char **p, const char *end, const char *tag, size_t *len)
{
	size_t tl = strlen(tag);
	const char *q = *p;
	if ((size_t)(end - q) < tl + 5 || memcmp(q, "--- ", 4) != 0 || memcmp(q + 4, tag, tl) != 0 ||
	    q[4 + tl] != ' ')
		return NULL;
	char *num_end;
	unsigned long n = strtoul(q + 5 + tl, &num_end, 10);
	if (num_end >= end || *num_end != '\n' || (size_t)(end - num_end - 1) < n + 1 ||
	    num_end[1 + n] != '\n')
		return NULL;
	*len = n;
	*p = num_end + 1 + n + 1;
	return num_end + 1;
}

static void run_cases(void)
{
	size_t len;
	char *text = read_data("cases.txt", &len);
	if (!text) {
		tap_ok(0, "read cases.txt");
		return;
	}
	const char *p = text, *end = text + len;
	while (p < end && *p == '#') { /* comment lines */
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || memcmp(p, "=== ", 4) != 0) {
			tap_ok(0, "cases.txt: a case starts with \"=== \"");
			break;
		}
		char name[512];
		snprintf(name, sizeof name, "%.*s", (int)(nl - p - 4), p + 4);
		p = nl + 1;
		size_t in_len, want_len;
		const char *in = section(&p, end, "input", &in_len);
		int want_err = 0;
		const char *want = in ? section(&p, end, "output", &want_len) : NULL;
		if (in && !want) {
			want = section(&p, end, "error", &want_len);
			want_err = 1;
		}
		if (!in || !want) {
			tap_ok(0, name);
			tap_diag("cases.txt: bad sections");
			break;
		}
		tmpl_arena *a = arena_new();
		tmpl_error err;
		tmpl_error_init(&err);
		const tv **docs;
		size_t ndocs;
		if (yl_load(a, name, in, in_len, &docs, &ndocs, &err) || ndocs != 1) {
			tap_ok(0, name);
			tap_diag("cannot load the input: %s", err.msg ? err.msg : "not one document");
		} else {
			check_value(name, docs[0], want, want_len, want_err);
		}
		tmpl_error_clear(&err);
		arena_free(a);
	}
	free(text);
}

/* ---- goldens: every document kube-inject re-serialises, read back and
 * written again, must give the same text ---- */

static const char *const goldens[] = {
	"1.1/auth.cert-dir.yaml.injected",
	"1.1/auth.non-default-service-account.yaml.injected",
	"1.1/auth.yaml.injected",
	"1.1/cronjob-with-app.yaml.injected",
	"1.1/cronjob.yaml.injected",
	"1.1/daemonset.yaml.injected",
	"1.1/deploymentconfig-multi.yaml.injected",
	"1.1/deploymentconfig.yaml.injected",
	"1.1/enable-core-dump.yaml.injected",
	"1.1/format-duration.yaml.injected",
	"1.1/frontend.yaml.injected",
	"1.1/hello-always.yaml.injected",
	"1.1/hello-config-map-name.yaml.injected",
	"1.1/hello-host-network.yaml.injected",
	"1.1/hello-ignore.yaml.injected",
	"1.1/hello-multi.yaml.injected",
	"1.1/hello-namespace.yaml.injected",
	"1.1/hello-never.yaml.injected",
	"1.1/hello-proxy-override.yaml.injected",
	"1.1/hello-service.yaml.injected",
	"1.1/hello-tproxy-debug.yaml.injected",
	"1.1/hello-tproxy.yaml.injected",
	"1.1/hello.yaml.injected",
	"1.1/job.yaml.injected",
	"1.1/kubevirtInterfaces.yaml.injected",
	"1.1/kubevirtInterfaces_list.yaml.injected",
	"1.1/list-frontend.yaml.injected",
	"1.1/list.yaml.injected",
	"1.1/multi-init.yaml.injected",
	"1.1/pod-with-app.yaml.injected",
	"1.1/pod.yaml.injected",
	"1.1/replicaset.yaml.injected",
	"1.1/replicationcontroller.yaml.injected",
	"1.1/statefulset.yaml.injected",
	"1.1/status_annotations.yaml.injected",
	"1.1/status_params.yaml.injected",
	"1.1/traffic-annotations-empty-includes.yaml.injected",
	"1.1/traffic-annotations-wildcards.yaml.injected",
	"1.1/traffic-annotations.yaml.injected",
	"1.1/traffic-params-empty-includes.yaml.injected",
	"1.1/traffic-params.yaml.injected",
	"1.1/app_probe/hello-probes.yaml.injected",
	"1.1/app_probe/hello-readiness.yaml.injected",
	"1.1/app_probe/named_port.yaml.injected",
	"1.1/app_probe/one_container.yaml.injected",
	"1.1/app_probe/ready_live.yaml.injected",
	"1.1/app_probe/ready_only.yaml.injected",
	"1.1/app_probe/two_container.yaml.injected",
	"1.1/istioctl/hello.yaml.injected",
	/* newer goldens (Istio 1.32, sigs.k8s.io/yaml's copy of yaml.v2 2.4):
	 * literal block scalars, longer status annotations */
	"latest/traffic-annotations.yaml.injected",
	"latest/hello-multi.yaml.injected",
	"latest/merge-probers.yaml.injected",
	"latest/gateway.yaml.injected",
	"latest/grpc-agent.yaml.injected",
	"latest/native-sidecar.yaml.injected",
};

/* Kinds kube-inject decodes and writes again; other documents are copied
 * as they are (comments, order and all). */
static int reserialised(const char *doc, size_t len)
{
	static const char *const kinds[] = {
		"ReplicationController", "Pod", "List", "Deployment", "DaemonSet", "ReplicaSet",
		"Job", "CronJob", "StatefulSet", "DeploymentConfig"};
	for (const char *p = doc; p < doc + len;) {
		const char *nl = memchr(p, '\n', (size_t)(doc + len - p));
		const char *le = nl ? nl : doc + len;
		if (le - p > 6 && memcmp(p, "kind: ", 6) == 0) {
			for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
				if ((size_t)(le - p - 6) == strlen(kinds[k]) &&
				    memcmp(p + 6, kinds[k], strlen(kinds[k])) == 0)
					return 1;
			return 0;
		}
		p = le + 1;
	}
	return 0;
}

/* Counts for the summary line, per set: [0] Istio 1.1, [1] the newest. */
static int golden_docs_ok[2], golden_docs[2], golden_files_ok[2], golden_files[2];

static void run_golden(const char *file)
{
	size_t len;
	char *text = read_data(file, &len);
	if (!text) {
		tap_ok(0, file);
		return;
	}
	int set = strncmp(file, "1.1/", 4) != 0;
	int all = 1, idx = 0;
	golden_files[set]++;
	for (const char *p = text, *end = text + len; p < end; idx++) {
		/* a document runs to the next "---" line */
		const char *q = p;
		while (q < end && !(end - q >= 4 && memcmp(q, "---\n", 4) == 0)) {
			const char *nl = memchr(q, '\n', (size_t)(end - q));
			q = nl ? nl + 1 : end;
		}
		char name[600];
		snprintf(name, sizeof name, "golden %s document %d", file, idx + 1);
		if (!reserialised(p, (size_t)(q - p))) {
			tap_skip(name, "a kind kube-inject copies verbatim");
		} else {
			tmpl_arena *a = arena_new();
			tmpl_error err;
			tmpl_error_init(&err);
			const tv **docs;
			size_t ndocs;
			golden_docs[set]++;
			if (yl_load(a, name, p, (size_t)(q - p), &docs, &ndocs, &err) || ndocs != 1) {
				tap_ok(0, name);
				tap_diag("cannot load: %s", err.msg ? err.msg : "not one document");
				all = 0;
			} else {
				int before = tap_failures();
				check_rules(name, docs[0], set ? YE_RULES_CURRENT : YE_RULES_ISTIO_1_1, p,
					    (size_t)(q - p), 0);
				if (tap_failures() == before)
					golden_docs_ok[set]++;
				else
					all = 0;
			}
			tmpl_error_clear(&err);
			arena_free(a);
		}
		p = q < end ? q + 4 : end;
	}
	golden_files_ok[set] += all;
	free(text);
}

/* ---- scalars-v2.txt: one string, quoted or not by each rule set ---- */

/* Check {"k": s} and {s: "v"} under rules against "k: " want and want ": v". */
static void check_scalar(tmpl_arena *a, const char *json, const tv *s, ye_rules rules,
			 const char *want, size_t wlen, const char *note)
{
	const char *rname = rules == YE_RULES_ISTIO_1_1 ? "Istio 1.1" : "current";
	char name[300];
	sbuf text = SBUF_INIT;
	tv *m = tv_map_new(a, 1);
	tv_map_add(a, m, tv_string(a, "k", 1), s);
	tv_map_seal(a, m);
	sbuf_puts(&text, "k: ");
	sbuf_put(&text, want, wlen);
	sbuf_putc(&text, '\n');
	snprintf(name, sizeof name, "%s: value %s%s", rname, json, note);
	check_rules(name, m, rules, text.buf, text.len, 0);

	tv *k = tv_map_new(a, 1);
	tv_map_add(a, k, s, tv_string(a, "v", 1));
	tv_map_seal(a, k);
	text.len = 0;
	sbuf_put(&text, want, wlen);
	sbuf_puts(&text, ": v\n");
	snprintf(name, sizeof name, "%s: key %s%s", rname, json, note);
	check_rules(name, k, rules, text.buf, text.len, 0);
	sbuf_free(&text);
}

static void run_scalars(void)
{
	size_t len;
	char *text = read_data("scalars-v2.txt", &len);
	if (!text) {
		tap_ok(0, "read scalars-v2.txt");
		return;
	}
	int rows = 0, differ = 0;
	for (char *p = text, *end = text + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		char *line = p;
		p = le + 1;
		if (le == line || line[0] == '#')
			continue;
		*le = '\0';
		char *col[4] = {line, NULL, NULL, NULL};
		int ncol = 1;
		for (char *t = line; ncol < 4 && (t = strchr(t, '\t')); ncol++) {
			*t++ = '\0';
			col[ncol] = t;
		}
		tmpl_arena *a = arena_new();
		tmpl_error err;
		tmpl_error_init(&err);
		const tv *s;
		if (ncol < 3 || json_parse(a, col[0], strlen(col[0]), 0, &s, &err) != 0 ||
		    s->kind != TV_STRING) {
			tap_ok(0, "scalars-v2.txt: a row is a JSON string and two texts");
			tap_diag("%s", col[0]);
		} else {
			const char *note = ncol > 3 ? " (Go 1.11's rule)" : "";
			rows++;
			differ += strcmp(col[1], col[2]) != 0;
			check_scalar(a, col[0], s, YE_RULES_ISTIO_1_1, col[1], strlen(col[1]), note);
			check_scalar(a, col[0], s, YE_RULES_CURRENT, col[2], strlen(col[2]), "");
		}
		tmpl_error_clear(&err);
		arena_free(a);
	}
	tap_diag("scalars-v2.txt: %d strings, %d written differently by the two rule sets", rows,
		 differ);
	free(text);
}

/* ---- values the YAML loader cannot make ---- */

static void run_built(void)
{
	tmpl_arena *a = arena_new();

	check_value("no value writes null", TV_NOVALUE, "null\n", 5, 0);

	sbuf app = SBUF_INIT;
	tmpl_error aerr;
	tmpl_error_init(&aerr);
	sbuf_puts(&app, "---\n");
	tap_ok(ye_emit(&app, &tv_true_value, YE_RULES_CURRENT, &aerr) == 0 && strcmp(app.buf, "---\ntrue\n") == 0,
	   "ye_emit appends to the buffer");
	sbuf_free(&app);
	tmpl_error_clear(&aerr);

	/* Go: ghodss.Marshal("a\xffb") == "a\uFFFDb\n" (json.Marshal repairs UTF-8) */
	check_value("invalid UTF-8 becomes U+FFFD", tv_string(a, "a\xff" "b", 3), "a\xEF\xBF\xBD" "b\n",
		    6, 0);
	/* Go: "\xed\xa0\x80x" (a UTF-16 surrogate) -> "\uFFFD\uFFFD\uFFFDx\n" */
	check_value("an encoded surrogate is three bad bytes", tv_string(a, "\xed\xa0\x80x", 4),
		    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx\n", 11, 0);

	/* Go: map[string]interface{}{"\xff": 1, "\xfe": 2, "a\xc3": "\xe2\x82"}
	 * -> "\uFFFD: 1\na\uFFFD: \uFFFD\uFFFD\n": keys equal after the repair
	 * keep the value of the last in JSON's byte order. */
	tv *m = tv_map_new(a, 3);
	tv_map_add(a, m, tv_string(a, "\xff", 1), tv_int(a, 1));
	tv_map_add(a, m, tv_string(a, "\xfe", 1), tv_int(a, 2));
	tv_map_add(a, m, tv_string(a, "a\xc3", 2), tv_string(a, "\xe2\x82", 2));
	tv_map_seal(a, m);
	const char *want = "\xEF\xBF\xBD: 1\na\xEF\xBF\xBD: \xEF\xBF\xBD\xEF\xBF\xBD\n";
	check_value("keys equal after UTF-8 repair: the last in byte order wins", m, want,
		    strlen(want), 0);

	/* Go: map[string]interface{}{"a\x00b": "\x00", "k": "x\x00\xff"}
	 * -> "\"a\\0b\": \"\\0\"\nk: \"x\\0\uFFFD\"\n" */
	tv *nul = tv_map_new(a, 2);
	tv_map_add(a, nul, tv_string(a, "a\0b", 3), tv_string(a, "\0", 1));
	tv_map_add(a, nul, tv_string(a, "k", 1), tv_string(a, "x\0\xff", 3));
	tv_map_seal(a, nul);
	const char *nul_want = "\"a\\0b\": \"\\0\"\nk: \"x\\0\xEF\xBF\xBD\"\n";
	check_value("NUL bytes", nul, nul_want, strlen(nul_want), 0);

	/* Go: []interface{}{uint8(200)} -> "- 200\n" */
	tv *l = tv_list_new(a, 1);
	l->u.list.items[0] = tv_uint8(a, 200);
	check_value("uint8", l, "- 200\n", 6, 0);

	/* Keys are sorted even in the JSON form of a struct. */
	tv *s = tv_map_new(a, 3);
	tv_map_add(a, s, tv_string(a, "name", 4), tv_string(a, "x", 1));
	tv_map_add(a, s, tv_string(a, "image", 5), tv_string(a, "img", 3));
	tv_map_add(a, s, tv_string(a, "args", 4), tv_list_new(a, 0));
	tv_map_seal(a, s);
	s->flags |= TVF_STRUCTORDER;
	const char *sorted = "args: []\nimage: img\nname: x\n";
	check_value("struct order maps are sorted too", s, sorted, strlen(sorted), 0);

	/* Go: 10000 nested lists -> "- - ... - []\n"; 10001 -> error */
	const tv *deep = tv_list_new(a, 0);
	for (int i = 1; i < 10000; i++) {
		tv *n = tv_list_new(a, 1);
		n->u.list.items[0] = deep;
		deep = n;
	}
	sbuf w = SBUF_INIT;
	for (int i = 1; i < 10000; i++)
		sbuf_put(&w, "- ", 2);
	sbuf_put(&w, "[]\n", 3);
	check_value("10000 nested lists", deep, w.buf, w.len, 0);
	sbuf_free(&w);
	tv *deeper = tv_list_new(a, 1);
	deeper->u.list.items[0] = deep;
	const char *deep_err = "error converting JSON to YAML: yaml: exceeded max depth of 10000";
	check_value("10001 nested lists", deeper, deep_err, strlen(deep_err), 1);

	/* A typed value is written in its JSON form: Go's json.Marshal of
	 * v1.Container{Name: "x"} is {"name":"x","resources":{}}. */
	const tmpl_type *ct = types_lookup("v1.Container");
	if (!ct) {
		tap_skip("typed v1.Container", "no v1.Container in the type tables");
	} else {
		tv *raw = tv_map_new(a, 1);
		tv_map_add(a, raw, tv_string(a, "name", 4), tv_string(a, "x", 1));
		tv_map_seal(a, raw);
		tv *view = arena_alloc(a, sizeof *view); /* types.h: a struct over its YAML map */
		view->kind = TV_STRUCT;
		view->type = ct;
		view->u.strct.raw = raw;
		check_value("typed v1.Container", view, "name: x\nresources: {}\n", 22, 0);
	}

	arena_free(a);
}

int main(void)
{
	run_cases();
	run_scalars();
	for (size_t i = 0; i < sizeof goldens / sizeof *goldens; i++)
		run_golden(goldens[i]);
	for (int set = 0; set < 2; set++)
		tap_diag("goldens of Istio %s: %d of %d re-serialised documents and %d of %d files "
			 "written back byte for byte",
			 set ? "1.32" : "1.1", golden_docs_ok[set], golden_docs[set],
			 golden_files_ok[set], golden_files[set]);
	run_built();
	return tap_done();
}
