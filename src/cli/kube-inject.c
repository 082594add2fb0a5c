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
	       "      --namespaces FILE      the cluster's Namespace objects (a Namespace or a List),\n"
	       "                             read on OpenShift (PLATFORM=openshift) as the webhook does\n"
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
	       "COMPLIANCE_POLICY sets .CompliancePolicy; with PLATFORM=openshift the proxy's\n"
	       "UID and GID come from its namespace's UID range (--namespaces).\n");
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

enum { OPT_INJECT = 256, OPT_MESH, OPT_VALUES, OPT_NS, OPT_BENCH, OPT_VERSION };

/* The command line, parsed. */
typedef struct ki_opts {
	const char *input, *output, *inject, *meshf, *values, *namespaces;
	const char *revision;
	long bench;
	tmpl_exec_opts lim;
} ki_opts;

/* argv into o: -1 to go on, else the exit status (help, version, usage error). */
static int ki_parse_args(int argc, char **argv, ki_opts *o)
{
	static const struct option longopts[] = {
		{"filename", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"injectConfigFile", required_argument, NULL, OPT_INJECT},
		{"meshConfigFile", required_argument, NULL, OPT_MESH},
		{"valuesFile", required_argument, NULL, OPT_VALUES},
		{"namespaces", required_argument, NULL, OPT_NS},
		{"revision", required_argument, NULL, 'r'},
		{"bench", required_argument, NULL, OPT_BENCH},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		CLI_LIMIT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	int c;
	*o = (ki_opts){.revision = ""};
	cli_limits_default(&o->lim);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->input = optarg; break;
		case 'o': o->output = optarg; break;
		case OPT_INJECT: o->inject = optarg; break;
		case OPT_MESH: o->meshf = optarg; break;
		case OPT_VALUES: o->values = optarg; break;
		case OPT_NS: o->namespaces = optarg; break;
		case 'r': o->revision = optarg; break;
		case OPT_BENCH: {
			char *end;
			o->bench = strtol(optarg, &end, 10);
			if (*end || o->bench <= 0)
				return usage_error("--bench needs a positive count");
			break;
		}
		case CLI_OPT_MAX_STEPS:
		case CLI_OPT_MAX_MEMORY:
		case CLI_OPT_MAX_OUTPUT:
		case CLI_OPT_TIMEOUT:
			if (cli_limit_flag(prog, c, optarg, &o->lim) < 0)
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
	if (!o->input)
		return usage_error("filename not specified (see --filename or -f)");
	if (!o->inject)
		return usage_error("injection config not specified (see --injectConfigFile)");
	return -1;
}

/* The injection config, mesh and values of o into cfg and *mesh (in a, which
 * outlives them), with the environment istiod reads: 0 or -1 and err. */
static int ki_load(const ki_opts *o, tmpl_arena *a, inj_config *cfg, const tv **mesh, tmpl_error *err)
{
	char *itext = NULL, *mtext = NULL, *vtext = NULL, *nstext = NULL;
	size_t ilen, mlen = 0, vlen, nslen;
	int rc = -1;
	sbuf warnings = SBUF_INIT;
	if (!(itext = file_read(o->inject, &ilen, FILE_WORDS_GO, err)) ||
	    inj_config_load(a, o->inject, itext, ilen, cfg, err) != 0 ||
	    inj_config_check(cfg, o->inject, &warnings, err) != 0)
		goto out;
	if (warnings.len)
		fputs(warnings.buf, stderr);
	sbuf_free(&warnings);
	cfg->limits = &o->lim;
	if (o->meshf && !(mtext = file_read(o->meshf, &mlen, FILE_WORDS_GO, err)))
		goto out;
	if ((cfg->newest ? inj_mesh_latest_load : inj_mesh_load)(a, o->meshf ? o->meshf : "mesh", mtext,
								  mlen, mesh, err) != 0)
		goto out;
	if (o->values) {
		const tv *vdoc;
		if (!(vtext = file_read(o->values, &vlen, FILE_WORDS_GO, err)) ||
		    inj_values_load(a, o->values, vtext, vlen, &vdoc, err) != 0)
			goto out;
		cfg->values = vdoc;
	}
	/* istioctl renders the revision "default" as no revision */
	cfg->revision = strcmp(o->revision, "default") == 0 ? "" : o->revision;
	inj_config_environ(a, cfg);
	if (o->namespaces && (!(nstext = file_read(o->namespaces, &nslen, FILE_WORDS_GO, err)) ||
			      inj_namespaces_load(a, o->namespaces, nstext, nslen, &cfg->namespaces,
						  err) != 0))
		goto out;
	rc = 0;
out:
	free(itext);
	free(mtext);
	free(vtext);
	free(nstext);
	return rc;
}

/* --bench: the input injected o->bench times in memory, the rate printed. */
static int ki_bench(const ki_opts *o, const inj_config *cfg, const tv *mesh, const char *name,
		    const char *text, size_t len, sbuf *out, sbuf *notes, tmpl_error *err)
{
	tmpl_arena *run = arena_new();
	double t0 = now_s();
	for (long i = 0; i < o->bench; i++) {
		out->len = 0;
		notes->len = 0;
		arena_reset(run);
		if (inj_kube_inject_stream(run, cfg, mesh, name, text, len, out, notes, err) != 0) {
			arena_free(run);
			return -1;
		}
	}
	double dt = now_s() - t0;
	arena_free(run);
	printf("injections %ld seconds %.3f per-second %.0f us/op %.1f\n", o->bench, dt,
	       (double)o->bench / dt, dt * 1e6 / (double)o->bench);
	return 0;
}

/* Every document of the input injected and written as it comes: the exit status. */
static int ki_run(const ki_opts *o)
{
	int rc = EXIT_DATA;
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_arena *cfg_arena = arena_new(), *run = arena_new();
	inj_config cfg = {0};
	sbuf out = SBUF_INIT, notes = SBUF_INIT;
	char *text = NULL;
	size_t len;
	const tv *mesh;

	if (ki_load(o, cfg_arena, &cfg, &mesh, &err) != 0 ||
	    !(text = file_read(o->input, &len, FILE_WORDS_GO, &err)))
		goto fail;
	const char *name = strcmp(o->input, "-") == 0 ? "stdin" : o->input;
	if (o->bench > 0) {
		if (ki_bench(o, &cfg, mesh, name, text, len, &out, &notes, &err) != 0)
			goto fail;
		rc = 0;
		goto done;
	}
	cli_out sink_out;
	if (cli_out_open(&sink_out, prog, o->output) != 0)
		goto done;
	doc_sink ds = {&sink_out, &notes};
	inj_kube_sink sink = {write_doc, &ds};
	if (inj_kube_inject_stream_to(run, &cfg, mesh, name, text, len, &sink, &out, &notes, &err) != 0) {
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
	sbuf_free(&out);
	sbuf_free(&notes);
	inj_config_free(&cfg);
	arena_free(run);
	arena_free(cfg_arena);
	return rc;
}

int main(int argc, char **argv)
{
	ki_opts o;
	tmpl_set_program_name(prog);
	int rc = ki_parse_args(argc, argv, &o);
	return rc >= 0 ? rc : ki_run(&o);
}
