/* kube-inject.c: manual sidecar injection with istioctl kube-inject's flags: YAML documents in, the same documents with Istio's sidecar out. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_flags.h"
#include "cli_limits.h"
#include "cli_output.h"
#include "file.h"
#include "inject/inject.h"
#include "yaml_load.h"

#define EXIT_DATA 1

static const char *prog = "kube-inject";

static int usage_error(const char *msg)
{
	return cli_usage_error(prog, msg);
}

static void help(void)
{
	printf("Usage: %s -f FILE|- [-o FILE] --injectConfigFile FILE [--meshConfigFile FILE]\n"
	       "       [--valuesFile FILE] [-r REVISION]\n"
	       "Inject Istio's sidecar into the Kubernetes resources of FILE: Istio 1.1's for a\n"
	       "config with a [[ ]] template, the newest Istio's for a Config with templates.\n\n"
	       "  -f, --filename FILE        input resources ('-' for standard input)\n"
	       "  -o, --output FILE          write the result to FILE (default: standard output)\n"
	       "      --injectConfigFile FILE  injection config: policy and template (Istio 1.1),\n"
	       "                             a Config with templates, or one bare template (newest)\n"
	       "      --meshConfigFile FILE  mesh config (YAML or JSON) over that Istio's defaults\n"
	       "      --valuesFile FILE      values, JSON or YAML (.Values; Istio 1.1 has none)\n"
	       "  -r, --revision REVISION    the control plane revision (.Revision; \"default\" = none)\n"
	       "      --bench N              inject the input N times and print injections per second\n",
	       prog);
	tmpl_exec_opts d;
	cli_limits_default(&d);
	cli_limits_help(stdout, &d, 29);
	printf("  -h, --help                 this help\n"
	       "      --version              the version\n"
	       "Documents are written as they are injected; a file given to -o is replaced\n"
	       "only when every document succeeds. For the newest Istio, as in istiod, the\n"
	       "environment's ENABLE_NATIVE_SIDECARS=true injects native sidecars and\n"
	       "COMPLIANCE_POLICY sets .CompliancePolicy.\n");
}


/* A document's output goes out at once, its notices to standard error with it. */
typedef struct doc_sink {
	cli_out *out;
	sbuf *notes;
} doc_sink;

static int write_doc(const char *buf, size_t len, void *arg)
{
	doc_sink *d = arg;
	if (d->notes->len) {
		fputs(d->notes->buf, stderr);
		d->notes->len = 0;
	}
	return cli_out_write(buf, len, d->out);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum { OPT_INJECT = 256, OPT_MESH, OPT_VALUES, OPT_BENCH, OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"filename", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"injectConfigFile", required_argument, NULL, OPT_INJECT},
		{"meshConfigFile", required_argument, NULL, OPT_MESH},
		{"valuesFile", required_argument, NULL, OPT_VALUES},
		{"revision", required_argument, NULL, 'r'},
		{"bench", required_argument, NULL, OPT_BENCH},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		CLI_LIMIT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *input = NULL, *output = NULL, *inject = NULL, *meshf = NULL, *values = NULL;
	const char *revision = "";
	long bench = 0;
	int c;
	tmpl_exec_opts lim;
	cli_limits_default(&lim);
	tmpl_set_program_name(prog);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': input = optarg; break;
		case 'o': output = optarg; break;
		case OPT_INJECT: inject = optarg; break;
		case OPT_MESH: meshf = optarg; break;
		case OPT_VALUES: values = optarg; break;
		case 'r': revision = optarg; break;
		case OPT_BENCH: {
			char *end;
			bench = strtol(optarg, &end, 10);
			if (*end || bench <= 0)
				return usage_error("--bench needs a positive count");
			break;
		}
		case CLI_OPT_MAX_STEPS:
		case CLI_OPT_MAX_MEMORY:
		case CLI_OPT_MAX_OUTPUT:
		case CLI_OPT_TIMEOUT:
			if (cli_limit_flag(prog, c, optarg, &lim) < 0)
				return CLI_EXIT_USAGE;
			break;
		case 'h': help(); return 0;
		case OPT_VERSION: printf("%s %s\n", prog, TMPL_VERSION); return 0;
		default:
			return cli_flag_error(prog, c, argv);
		}
	}
	if (cli_no_operands(prog, argc, argv))
		return CLI_EXIT_USAGE;
	if (!input)
		return usage_error("filename not specified (see --filename or -f)");
	if (!inject)
		return usage_error("injection config not specified (see --injectConfigFile)");

	int rc = EXIT_DATA;
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_arena *cfg_arena = arena_new(), *run = arena_new();
	inj_config cfg = {0};
	sbuf out = SBUF_INIT, notes = SBUF_INIT;
	char *text = NULL, *itext = NULL, *mtext = NULL;
	size_t len, ilen, mlen = 0;
	const tv *mesh;

	if (!(itext = file_read(inject, &ilen, FILE_WORDS_GO, &err)) ||
	    inj_config_load(cfg_arena, inject, itext, ilen, &cfg, &err) != 0)
		goto fail;
	cfg.limits = &lim;
	if (meshf && !(mtext = file_read(meshf, &mlen, FILE_WORDS_GO, &err)))
		goto fail;
	if ((cfg.newest ? inj_mesh_latest_load : inj_mesh_load)(cfg_arena, meshf ? meshf : "mesh",
								 mtext, mlen, &mesh, &err) != 0)
		goto fail;
	if (values) {
		size_t vlen;
		const tv *vdoc;
		char *vtext = file_read(values, &vlen, FILE_WORDS_GO, &err);
		if (!vtext)
			goto fail;
		int vrc = inj_values_load(cfg_arena, values, vtext, vlen, &vdoc, &err);
		free(vtext);
		if (vrc != 0)
			goto fail;
		cfg.values = vdoc;
	}
	/* istioctl renders the revision "default" as no revision */
	cfg.revision = strcmp(revision, "default") == 0 ? "" : revision;
	const char *ns_env = getenv("ENABLE_NATIVE_SIDECARS");
	cfg.native_sidecars = ns_env && strcmp(ns_env, "true") == 0;
	const char *cp_env = getenv("COMPLIANCE_POLICY");
	cfg.compliance = cp_env ? cp_env : "";
	if (!(text = file_read(input, &len, FILE_WORDS_GO, &err)))
		goto fail;
	const char *name = strcmp(input, "-") == 0 ? "stdin" : input;

	if (bench > 0) {
		double t0 = now_s();
		for (long i = 0; i < bench; i++) {
			out.len = 0;
			notes.len = 0;
			arena_reset(run);
			if (kube_inject_stream(run, &cfg, mesh, name, text, len, &out, &notes, &err) != 0)
				goto fail;
		}
		double dt = now_s() - t0;
		printf("injections %ld seconds %.3f per-second %.0f us/op %.1f\n", bench, dt,
		       (double)bench / dt, dt * 1e6 / (double)bench);
		rc = 0;
		goto done;
	}
	cli_out sink_out;
	if (cli_out_open(&sink_out, prog, output) != 0) {
		rc = EXIT_DATA;
		goto done;
	}
	doc_sink ds = {&sink_out, &notes};
	kube_sink sink = {write_doc, &ds};
	if (kube_inject_stream_to(run, &cfg, mesh, name, text, len, &sink, &out, &notes, &err) != 0) {
		cli_out_abandon(&sink_out);
		if (sink_out.failed)
			goto done; /* the write error is reported */
		goto fail;
	}
	if (notes.len)
		fputs(notes.buf, stderr);
	rc = cli_out_commit(&sink_out) ? EXIT_DATA : 0;
	goto done;
fail:
	if (notes.len)
		fputs(notes.buf, stderr);
	fprintf(stderr, "%s: %s\n", prog, err.msg ? err.msg : "error");
	rc = EXIT_DATA;
done:
	tmpl_error_clear(&err);
	free(text);
	free(itext);
	free(mtext);
	sbuf_free(&out);
	sbuf_free(&notes);
	inj_config_free(&cfg);
	arena_free(run);
	arena_free(cfg_arena);
	return rc;
}
