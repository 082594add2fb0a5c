/* fuzz_kube.c: libFuzzer target: any bytes given to kube-inject as its input stream (Istio 1.1's bundled injection config and mesh, render bounds on); an injection error is an outcome, a crash, sanitizer report or leak a finding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "inject/inject.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inj_config g_cfg;
static const tv *g_mesh;
static tmpl_exec_opts g_limits;
static tmpl_arena *g_arena;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t cl, ml;
	char *c = fuzz_read("templates/istio-1.1/inject-config.yaml", &cl);
	char *m = fuzz_read("templates/istio-1.1/mesh.yaml", &ml);
	tmpl_error err;
	tmpl_error_init(&err);
	g_arena = arena_new(); /* lives as long as the process (kept here, not leaked) */
	tmpl_arena *a = g_arena;
	if (inj_config_load(a, "inject-config.yaml", c, cl, &g_cfg, &err) != 0 ||
	    inj_mesh_load(a, "mesh.yaml", m, ml, &g_mesh, &err) != 0) {
		fprintf(stderr, "fuzz_kube: %s\n", err.msg);
		abort();
	}
	fuzz_limits(&g_limits);
	g_cfg.limits = &g_limits;
	free(c);
	free(m);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_arena *a = arena_new();
	sbuf out = SBUF_INIT, notes = SBUF_INIT;
	kube_inject_stream(a, &g_cfg, g_mesh, "in", (const char *)d, n, &out, &notes, &err);
	tmpl_error_clear(&err);
	sbuf_free(&out);
	sbuf_free(&notes);
	arena_free(a);
	return 0;
}
