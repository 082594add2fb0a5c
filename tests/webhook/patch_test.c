/* patch_test.c: the webhook's JSON patch (inj_patch_pod) against Istio 1.1's goldens listed in tests/webhook/patch_CASES; prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "inject/patch.h"
#include "json.h"
#include "patch_helm.h"
#include "testlib.h"
#include "yaml_emit.h"
#include "yaml_load.h"

/* The first line where got and want part, as a TAP comment. */
static void first_difference(const char *got, const char *want)
{
	int line = 1;
	const char *g = got, *w = want;
	while (*g && *g == *w) {
		if (*g == '\n') {
			line++;
			got = g + 1;
			want = w + 1;
		}
		g++, w++;
	}
	printf("#   line %d\n#   got:  %.*s\n#   want: %.*s\n", line, (int)strcspn(got, "\n"), got,
	       (int)strcspn(want, "\n"), want);
}

/* The config Istio's tests give the webhook: policy enabled, a fixed version. */
static int load(tmpl_arena *a, const char *tmpl_rel, const char *mesh_rel, inj_config *cfg,
		const tv **mesh, tmpl_error *err)
{
	size_t tl, ml;
	char *t = slurp(tmpl_rel, &tl), *m = slurp(mesh_rel, &ml);
	int rc = -1;
	if (!t || !m)
		tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "cannot read %s or %s", tmpl_rel, mesh_rel);
	else if (inj_config_from_template(a, t, tl, "enabled", cfg, err) == 0 &&
		 inj_mesh_load(a, mesh_rel, m, ml, mesh, err) == 0)
		rc = 0;
	if (rc == 0)
		snprintf(cfg->version, sizeof cfg->version, "%s", "unit-test-fake-version");
	free(t);
	free(m);
	return rc;
}

/* TestWebhookInject: the patch for the input pod, indented, byte for byte. */
static void patch_case(const char *input, const char *golden, const char *tmpl, const char *mesh_rel)
{
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	inj_config cfg = {0};
	const tv *mesh, *pod, *patch;
	inj_patch_info info;
	size_t len, wl;
	char *in = NULL, *want = slurp(golden, &wl);
	sbuf got = SBUF_INIT;
	if (load(a, tmpl, mesh_rel, &cfg, &mesh, &err) != 0 || !want || !(in = slurp(input, &len)) ||
	    yl_load_first(a, input, in, len, &pod, &err) != 0 ||
	    inj_patch_pod(a, &cfg, mesh, pod, NULL, &patch, &info, &err) != 0 ||
	    json_write(&got, patch ? patch : &tv_null_value, JSON_ESCAPE_HTML | JSON_INDENT2, &err) != 0) {
		tap_result(false, golden, err.msg ? err.msg : "cannot read the case's files");
	} else {
		bool same = got.len == wl && memcmp(got.buf, want, wl) == 0;
		tap_result(same, golden, NULL);
		if (!same)
			first_difference(got.buf ? got.buf : "", want);
	}
	sbuf_free(&got);
	free(in);
	free(want);
	inj_config_free(&cfg);
	tmpl_error_clear(&err);
	arena_free(a);
}

/* TestHelmInject: every injectable document, its pod template injected
 * through the webhook and patched, compared after Istio's scrubbing. */
static void helm_case(const char *input, const char *golden, const char *tmpl, const char *mesh_rel)
{
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	inj_config cfg = {0};
	const tv *mesh;
	size_t il, wl;
	char *in = slurp(input, &il), *want = slurp(golden, &wl);
	const tv **gdocs = NULL, **wdocs = NULL;
	size_t ng = 0, nw = 0;
	char why[1024] = "";
	bool ok = false, differs = false;
	sbuf g = SBUF_INIT, w = SBUF_INIT;
	if (!in || !want || load(a, tmpl, mesh_rel, &cfg, &mesh, &err) != 0 ||
	    ph_split(a, input, in, il, &gdocs, &ng, &err) != 0 ||
	    ph_split(a, golden, want, wl, &wdocs, &nw, &err) != 0) {
		snprintf(why, sizeof why, "%s", err.msg ? err.msg : "cannot read the case's files");
	} else if (ng != nw || ng == 0) {
		snprintf(why, sizeof why, "%zu injectable documents, the golden has %zu", ng, nw);
	} else {
		ok = true;
		for (size_t i = 0; ok && i < ng; i++) {
			const tv *got, *exp;
			g.len = w.len = 0;
			if (ph_inject(a, &cfg, mesh, gdocs[i], &got, &err) != 0 ||
			    ph_scrub(a, got, &got, &err) != 0 || ph_scrub(a, wdocs[i], &exp, &err) != 0 ||
			    ye_emit(&g, got, YE_RULES_ISTIO_1_1, &err) != 0 ||
			    ye_emit(&w, exp, YE_RULES_ISTIO_1_1, &err) != 0) {
				snprintf(why, sizeof why, "document %zu: %s", i, err.msg ? err.msg : "failed");
				ok = false;
			} else if (strcmp(g.buf, w.buf) != 0) {
				snprintf(why, sizeof why, "document %zu differs", i);
				ok = false;
				differs = true;
			}
		}
	}
	tap_result(ok, golden, ok ? NULL : why);
	if (differs)
		first_difference(g.buf, w.buf);
	sbuf_free(&g);
	sbuf_free(&w);
	free(in);
	free(want);
	inj_config_free(&cfg);
	tmpl_error_clear(&err);
	arena_free(a);
}

/* A pod of thousands of containers with many env vars, half of them named
 * by an earlier injection's status: removals highest index first, the
 * service-account mount copied onto istio-proxy (Istio 1.1's createPatch). */
static void large_pod(void)
{
	enum { N = 4000, ENV = 25 };
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	inj_config cfg = {0};
	const tv *mesh, *pod, *patch;
	inj_patch_info info;
	sbuf y = SBUF_INIT;
	sbuf_puts(&y, "metadata:\n  annotations:\n    sidecar.istio.io/status: '{\"containers\":[");
	for (int i = 1; i < N; i += 2)
		sbuf_printf(&y, "%s\"c%d\"", i > 1 ? "," : "", i);
	sbuf_puts(&y, "]}'\nspec:\n  containers:\n");
	for (int i = 0; i < N; i++) {
		sbuf_printf(&y, "  - name: c%d\n    env:\n", i);
		for (int e = 0; e < ENV; e++)
			sbuf_printf(&y, "    - {name: E%d, value: v}\n", e);
		if (i == 7)
			sbuf_puts(&y, "    volumeMounts: [{name: tok, mountPath: "
				      "/var/run/secrets/kubernetes.io/serviceaccount}]\n");
	}
	bool ok = load(a, "webhook/TestWebhookInject_template.yaml", "mesh/mesh-default.json", &cfg,
		       &mesh, &err) == 0 &&
		  yl_load_first(a, "large", y.buf, y.len, &pod, &err) == 0 &&
		  inj_patch_pod(a, &cfg, mesh, pod, NULL, &patch, &info, &err) == 0 && patch;
	char why[256] = "";
	if (ok) {
		size_t removes = 0, next = N - 1;
		const tv *proxy = NULL;
		for (size_t i = 0; i < patch->u.list.len; i++) {
			const tv *o = patch->u.list.items[i];
			const char *path = inj_str(o, "path");
			char want[64];
			if (strcmp(inj_str(o, "op"), "remove") == 0) {
				snprintf(want, sizeof want, "/spec/containers/%zu", next);
				ok = ok && strcmp(path, want) == 0;
				next -= 2;
				removes++;
			} else if (strcmp(path, "/spec/containers/-") == 0) {
				proxy = inj_get(o, "value");
			}
		}
		const tv *mounts = inj_get(proxy, "volumeMounts");
		ok = ok && removes == N / 2 && mounts && mounts->kind == TV_LIST &&
		     mounts->u.list.len == 1 && strcmp(inj_str(mounts->u.list.items[0], "name"), "tok") == 0;
		if (!ok)
			snprintf(why, sizeof why, "%zu removals, proxy mounts %s", removes,
				 mounts ? "present" : "absent");
	}
	tap_result(ok, "a pod of 4000 containers: removals from the end, the token mount on istio-proxy",
	       ok ? NULL : why[0] ? why : err.msg);
	sbuf_free(&y);
	inj_config_free(&cfg);
	tmpl_error_clear(&err);
	arena_free(a);
}

/* Does the set hold exactly the names of the comma-separated list ("" none, "v," v and the empty name)? */
static bool set_is(const tv *set, const char *names)
{
	if (!set || set->kind != TV_MAP)
		return false;
	if (!*names)
		return set->u.map.len == 0;
	size_t n = 0;
	const char *p = names;
	for (;;) {
		size_t len = strcspn(p, ",");
		n++;
		if (!tv_map_get(set, p, len))
			return false;
		if (!p[len])
			break;
		p += len + 1;
	}
	return set->u.map.len == n;
}

/* Istio's injectionStatus: the status decoded as Go's encoding/json decodes
 * it (keys matched without regard to case, a value of the wrong type fails
 * the whole decode), valid when some list names something, else the legacy names. */
static void prev_status(void)
{
	static const struct {
		const char *status, *sets[INJ_STATUS_LISTS], *what;
	} cases[] = {
		{"{\"imagePullSecrets\":[\"s\"]}", {"", "", "", "s"}, "a status naming only a pull secret is used"},
		{"{\"CONTAINERS\":[\"x\"],\"Volumes\":[\"v\",null]}", {"", "x", "v,", ""},
		 "status keys match without regard to case; a null name is the empty name"},
		{"{\"containers\":\"x\"}", {"istio-init,enable-core-dump", "istio-proxy",
					     "istio-certs,istio-envoy", ""},
		 "a list of the wrong type: the legacy names"},
		{"{\"version\":1,\"containers\":[\"x\"]}", {"istio-init,enable-core-dump", "istio-proxy",
							   "istio-certs,istio-envoy", ""},
		 "a version of the wrong type fails the decode: the legacy names"},
		{"{\"version\":\"v\",\"initContainers\":[],\"containers\":null}",
		 {"istio-init,enable-core-dump", "istio-proxy", "istio-certs,istio-envoy", ""},
		 "a status naming nothing: the legacy names"},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		tmpl_arena *a = arena_new();
		tv *ann = tv_map_new(a, 1);
		tv_map_add(a, ann, inj_cstr(a, "sidecar.istio.io/status"), inj_cstr(a, cases[c].status));
		tv_map_seal(a, ann);
		const tv *sets[INJ_STATUS_LISTS];
		inj_status_prev(a, ann, sets);
		bool ok = true;
		for (int l = 0; l < INJ_STATUS_LISTS; l++)
			ok = ok && set_is(sets[l], cases[c].sets[l]);
		tap_result(ok, cases[c].what, NULL);
		arena_free(a);
	}
}

/* The JSON of the operation at path in the patch of pod (YAML) under mesh (YAML), or NULL. */
static char *op_at(tmpl_arena *a, const char *pod_yaml, const char *mesh_yaml, const char *path)
{
	tmpl_error err;
	tmpl_error_init(&err);
	inj_config cfg = {0};
	const tv *mesh, *pod, *patch;
	inj_patch_info info;
	char *r = NULL;
	if (load(a, "webhook/TestWebhookInject_template.yaml", "mesh/mesh-default.json", &cfg, &mesh,
		 &err) == 0 &&
	    inj_mesh_load(a, "mesh", mesh_yaml, strlen(mesh_yaml), &mesh, &err) == 0 &&
	    yl_load_first(a, "pod", pod_yaml, strlen(pod_yaml), &pod, &err) == 0 &&
	    inj_patch_pod(a, &cfg, mesh, pod, NULL, &patch, &info, &err) == 0 && patch) {
		for (size_t i = 0; !r && i < patch->u.list.len; i++) {
			const tv *o = patch->u.list.items[i];
			sbuf b = SBUF_INIT;
			if (strcmp(inj_str(o, "path"), path) == 0 &&
			    json_write(&b, o, JSON_ESCAPE_HTML, &err) == 0)
				r = arena_strdup(a, b.buf);
			sbuf_free(&b);
		}
	}
	inj_config_free(&cfg);
	tmpl_error_clear(&err);
	return r;
}

/* Istio 1.1's inject() and createPatch beyond the goldens: the SDS fsGroup,
 * a user's securityContext passed on, an empty annotations map. */
static void beyond_goldens(void)
{
	static const struct {
		const char *pod, *mesh, *path, *want, *what;
	} cases[] = {
		{"spec: {containers: [{name: app}]}",
		 "enableSdsTokenMount: true\nsdsUdsPath: unix:/var/run/sds/uds_path\n",
		 "/spec/securityContext",
		 "{\"op\":\"add\",\"path\":\"/spec/securityContext\",\"value\":{\"fsGroup\":1337}}",
		 "SDS token mount: the pod's securityContext becomes fsGroup 1337"},
		{"spec: {securityContext: {runAsUser: 7}, containers: [{name: app}]}", "{}",
		 "/spec/securityContext",
		 "{\"op\":\"add\",\"path\":\"/spec/securityContext\",\"value\":{\"runAsUser\":7}}",
		 "a user's securityContext is added again, as Istio 1.1 does"},
		{"metadata: {annotations: {}}\nspec: {containers: [{name: app}]}", "{}",
		 "/metadata/annotations/sidecar.istio.io~1status", "{\"op\":\"add\"",
		 "an empty annotations map: the status key is added, not the map"},
		{"metadata: {annotations: {sidecar.istio.io/status: ''}}\nspec: {containers: [{name: app}]}",
		 "{}", "/metadata/annotations/sidecar.istio.io~1status", "{\"op\":\"add\"",
		 "an empty status value is added, not replaced"},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		tmpl_arena *a = arena_new();
		const char *got = op_at(a, cases[c].pod, cases[c].mesh, cases[c].path);
		bool ok = got && strncmp(got, cases[c].want, strlen(cases[c].want)) == 0;
		tap_result(ok, cases[c].what, ok ? NULL : got ? got : "no such operation");
		arena_free(a);
	}
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	char dir[1024], cases[1024];
	snprintf(dir, sizeof dir, "%s/tests/istio/1.1", argc > 1 ? argv[1] : srcdir ? srcdir : ".");
	snprintf(cases, sizeof cases, "%s/tests/webhook/patch_CASES",
		 argc > 1 ? argv[1] : srcdir ? srcdir : ".");
	g_dir = dir;
	FILE *f = fopen(cases, "r");
	if (!f) {
		printf("Bail out! cannot read %s\n", cases);
		return 1;
	}
	char line[2048];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		char *field[5] = {0}, *p = line;
		for (int i = 0; i < 5 && p; i++) {
			field[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		if (!field[4]) {
			tap_result(false, line, "a case needs five fields");
			continue;
		}
		if (strcmp(field[0], "patch") == 0)
			patch_case(field[1], field[2], field[3], field[4]);
		else if (strcmp(field[0], "helm") == 0)
			helm_case(field[1], field[2], field[3], field[4]);
		else
			tap_result(false, field[2], "unknown check");
	}
	fclose(f);
	large_pod();
	prev_status();
	beyond_goldens();
	return tap_done();
}
