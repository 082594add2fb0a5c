/* fuzz_kube.c: libFuzzer target: any bytes given to kube-inject as its input stream, once with Istio 1.1's bundled injection config and mesh and once with the newest Istio's default Config, values and mesh (native sidecars on; on OpenShift, with the input's first document as its --namespaces, when that reads as Namespaces), render bounds on; an injection error is an outcome, a crash, sanitizer report or leak a finding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "inject/inject.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* One injector: its config and mesh, loaded once. */
typedef struct fk_injector {
	inj_config cfg;
	const tv *mesh;
} fk_injector;

static fk_injector g_old, g_new;
static tmpl_exec_opts g_limits;
static tmpl_arena *g_arena; /* lives as long as the process (kept here, not leaked) */

static void fk_fail(tmpl_error *err)
{
	fprintf(stderr, "fuzz_kube: %s\n", err->msg);
	abort();
}

/* Loads config and mesh (and values, if any) from the source tree. */
static void fk_load(fk_injector *in, const char *config, const char *mesh, const char *values)
{
	size_t cl, ml;
	char *c = fuzz_read(config, &cl);
	char *m = fuzz_read(mesh, &ml);
	tmpl_error err;
	tmpl_error_init(&err);
	if (inj_config_load(g_arena, config, c, cl, &in->cfg, &err) != 0 ||
	    (in->cfg.newest ? inj_mesh_latest_load : inj_mesh_load)(g_arena, mesh, m, ml, &in->mesh,
								      &err) != 0)
		fk_fail(&err);
	if (values) {
		size_t vl;
		char *v = fuzz_read(values, &vl);
		if (inj_values_load(g_arena, values, v, vl, &in->cfg.values, &err) != 0)
			fk_fail(&err);
		free(v);
	}
	in->cfg.limits = &g_limits;
	in->cfg.revision = "";
	in->cfg.compliance = "";
	free(c);
	free(m);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	g_arena = arena_new();
	fuzz_limits(&g_limits);
	fk_load(&g_old, "templates/istio-1.1/inject-config.yaml", "templates/istio-1.1/mesh.yaml",
		NULL);
	fk_load(&g_new, "tests/istio/latest/inputs/default.template.gen.yaml",
		"tests/istio/latest/inputs/default.mesh.gen.yaml",
		"tests/istio/latest/inputs/default.values.gen.yaml");
	g_new.cfg.native_sidecars = true;
	if (!g_new.cfg.newest) {
		fprintf(stderr, "fuzz_kube: the newest Config did not load as the newest Istio's\n");
		abort();
	}
	return 0;
}

static void fk_inject(const fk_injector *in, const uint8_t *d, size_t n)
{
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_arena *a = arena_new();
	sbuf out = SBUF_INIT, notes = SBUF_INIT;
	inj_kube_inject_stream(a, &in->cfg, in->mesh, "in", (const char *)d, n, &out, &notes, &err);
	tmpl_error_clear(&err);
	sbuf_free(&out);
	sbuf_free(&notes);
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fk_inject(&g_old, d, n);
	/* kube-inject's --namespaces reader over the same bytes: when they read
	 * as Namespaces (a Namespace or a List), the newest injects as on
	 * OpenShift with them, so the UID ranges and the proxy's user change are
	 * fuzzed too, at no extra injection */
	fk_injector in = g_new;
	tmpl_arena *a = arena_new();
	tmpl_error err;
	tmpl_error_init(&err);
	const tv *ns;
	if (inj_namespaces_load(a, "ns", (const char *)d, n, &ns, &err) == 0) {
		in.cfg.openshift = true;
		in.cfg.namespaces = ns;
	}
	tmpl_error_clear(&err);
	fk_inject(&in, d, n);
	arena_free(a);
	return 0;
}
