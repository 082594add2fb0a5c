/* cli_pod.c: tmplrender's --types/--pod/--mesh: builds, from a sample pod, the template data the chosen Istio injector builds (reusing the injection's own code). */
#include "cli_pod.h"

#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "inject/inject.h"

int cli_pod_flag(cli_pod *p, int c, const char *arg)
{
	switch (c) {
	case CLI_OPT_TYPES: p->types = arg; return 1;
	case CLI_OPT_POD: p->pod = arg; return 1;
	case CLI_OPT_MESH: p->mesh = arg; return 1;
	default: return 0;
	}
}

static bool newest(const cli_pod *p)
{
	return strcmp(p->types, "istio") == 0;
}

const char *cli_pod_usage(const cli_pod *p)
{
	if (!p->types)
		return p->pod || p->mesh ? "--pod and --mesh go with --types istio|istio-1.1" : NULL;
	if (strcmp(p->types, "istio") != 0 && strcmp(p->types, "istio-1.1") != 0)
		return "--types: not istio or istio-1.1";
	if (!p->pod)
		return "--types needs --pod POD.yaml";
	if (p->values && !newest(p))
		return "--values: Istio 1.1's injector has no values";
	return NULL;
}

const char *cli_pod_funcs(const cli_pod *p)
{
	return newest(p) ? "istio" : "istio-1.1";
}

/* Istio 1.1 parses its template with Delims("[[", "]]"); the newest with Go's. */
const char *cli_pod_ldelim(const cli_pod *p)
{
	return newest(p) ? NULL : "[[";
}

const char *cli_pod_rdelim(const cli_pod *p)
{
	return newest(p) ? NULL : "]]";
}

const char *cli_pod_output_type(const cli_pod *p)
{
	return newest(p) ? "latest/core/v1.Pod" : "inject.SidecarInjectionSpec";
}

/* A file's text, or NULL with err set ("-": standard input). */
static char *slurp(const char *path, size_t *len, tmpl_error *err)
{
	return file_read(path, len, FILE_WORDS_GO, err);
}

int cli_pod_data(tmpl_arena *a, const cli_pod *p, const tv **data, tmpl_error *err)
{
	inj_config cfg = {0};
	cfg.newest = newest(p);
	cfg.revision = "";
	inj_config_environ(a, &cfg); /* the environment kube-inject reads too */
	cfg.values = TV_NOVALUE;
	const tv *mesh;
	size_t len = 0;
	char *text = NULL;
	if (p->mesh && !(text = slurp(p->mesh, &len, err)))
		return -1;
	int rc = (cfg.newest ? inj_mesh_latest_load : inj_mesh_load)(a, p->mesh ? p->mesh : "mesh",
								       text, len, &mesh, err);
	free(text);
	if (rc != 0)
		return -1;
	if (p->values) {
		if (!(text = slurp(p->values, &len, err)))
			return -1;
		rc = inj_values_load(a, p->values, text, len, &cfg.values, err);
		free(text);
		if (rc != 0)
			return -1;
	}
	if (!(text = slurp(p->pod, &len, err)))
		return -1;
	const char *name = strcmp(p->pod, "-") == 0 ? "stdin" : p->pod;
	rc = inj_kube_pod_data(a, &cfg, mesh, name, text, len, data, err);
	free(text);
	return rc;
}

void cli_pod_help(FILE *f, int col)
{
	static const char *const lines[][2] = {
		{"--types VERSION", "render an injection template for --pod with exactly the"},
		{"", "data that Istio's injector builds: istio (the newest)"},
		{"", "or istio-1.1; sets --funcs to the same (and [[ ]] for"},
		{"", "istio-1.1); --values is then the injector's values;"},
		{"", "with --check and no --pod, the dot's Go type for the"},
		{"", "static checks (also any GOTYPE of --type)"},
		{"--pod FILE", "the Pod or workload (Deployment, ...) to inject"},
		{"--mesh FILE", "mesh config over that version's defaults"},
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		fprintf(f, "      %-*s%s\n", col - 6, lines[i][0], lines[i][1]);
}
