/* tmplrender.c: the engine's command line: render a template set over YAML values, lint it, or time it. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli_check_pod.h"
#include "cli_explain.h"
#include "cli_limits.h"
#include "cli_output.h"
#include "cli_pod.h"
#include "file.h"
#include "func.h"
#include "inject/inject.h"
#include "tmpl_set.h"
#include "tmpl.h"
#include "types.h"
#include "values.h"
#include "yaml_load.h"

#define EXIT_DATA 1
#define EXIT_USAGE 2

static const char *prog = "tmplrender";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]... TEMPLATE...\n"
		"Render Go text/template files over YAML values.\n"
		"The files form one template set; the first one is executed.\n"
		"\n"
		"  -f, --values FILE        YAML values (repeatable; maps deep-merged left to right)\n"
		"      --set KEY=VALUE      set a value, Helm's syntax (repeatable; after --values)\n"
		"      --type KEY=GOTYPE    view the top-level value KEY as the Go type GOTYPE\n"
		"                           (v1.Pod, latest/core/v1.Pod, meshconfig.ProxyConfig,\n"
		"                           ...), as Istio's injector hands its template Go\n"
		"                           structs (repeatable; after --set)\n"
		"      --left-delim L       left action delimiter (default \"{{\")\n"
		"      --right-delim R      right action delimiter (default \"}}\")\n"
		"      --option OPT         template option: missingkey=default|invalid|zero|error\n"
		"      --funcs LIBRARY      the functions templates may call: go, sprig (the\n"
		"                           default), helm, istio-1.1 or istio (see below)\n"
		"      --name NAME          name of the executed template (default: the first\n"
		"                           file's base name)\n"
		"  -o, --output FILE        write the output to FILE, only on success\n"
		"      --check              check only, rendering nothing: report every mistake\n"
		"                           found statically, FILE:LINE:COL: error: MESSAGE\n"
		"                           (doc/check.md lists them)\n"
		"      --format FORMAT      --check's report: text (on standard error, the\n"
		"                           default), json (one object a line) or sarif (SARIF\n"
		"                           2.1.0), both on standard output\n"
		"      --strict             --check: a warning fails as an error does\n"
		"      --bench N            parse once, render N times in memory, print ns/op\n"
		"      --explain            render, and print each output line beside the\n"
		"                           template FILE:LINE:COL that wrote it\n",
		prog);
	cli_pod_help(f, 27);
	tmpl_exec_opts d;
	cli_limits_default(&d);
	cli_limits_help(f, &d, 27);
	fprintf(f,
		"  -h, --help               show this help and exit\n"
		"  -V, --version            show the version and exit\n"
		"\n"
		"Function libraries:\n");
	size_t nlib;
	const tmpl_library *libs = func_libraries(&nlib);
	for (size_t i = 0; i < nlib; i++)
		fprintf(f, "  %-24s %s\n", libs[i].name, libs[i].about);
	fprintf(f,
		"\n"
		"A TEMPLATE of \"-\" is read from standard input. Output is streamed; on\n"
		"standard output the first 4 MiB are held until the render succeeds.\n"
		"Exit status: 0 success, 1 template or data error, 2 usage error.\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return EXIT_USAGE;
}

/* --type KEY=GOTYPE: the dot with its top-level KEY replaced by the typed
 * view (types.h) of its value, Go's zero value where KEY is absent. */
static int type_value(tmpl_arena *a, const tv **data, const char *spec, tmpl_error *err)
{
	const char *eq = strchr(spec, '=');
	const tmpl_type *t = eq ? types_lookup(eq + 1) : NULL;
	if (!eq || eq == spec)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
				      "--type %s: want KEY=GOTYPE", spec);
	if (!t)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
				      "--type %s: no Go type %s in the tables", spec, eq + 1);
	const tv *d = *data;
	if (d && d->kind != TV_MAP && d->kind != TV_NULL)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
				      "--type %s: the values are not a map", spec);
	size_t klen = (size_t)(eq - spec), n = d && d->kind == TV_MAP ? d->u.map.len : 0;
	const tv *raw = d && d->kind == TV_MAP ? tv_map_get(d, spec, klen) : NULL;
	const tv *view;
	if (types_view(a, t, raw ? raw : TV_NOVALUE, &view, err) != 0)
		return -1;
	tv *m = tv_map_new(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		const tv_pair *p = &d->u.map.pairs[i];
		bool hit = p->key->kind == TV_STRING && p->key->u.s.len == klen &&
			   memcmp(p->key->u.s.ptr, spec, klen) == 0;
		if (!hit)
			tv_map_add(a, m, p->key, p->val);
	}
	tv_map_add(a, m, tv_string(a, spec, klen), view);
	tv_map_seal(a, m);
	*data = m;
	return 0;
}

/* The dot: --values documents merged left to right, then --set expressions,
 * then --type views. */
static int build_data(tmpl_arena *a, char **values, int nvalues, char **sets, int nsets,
		      char **types, int ntypes, const tv **out, tmpl_error *err)
{
	const tv *data = TV_NOVALUE;
	for (int i = 0; i < nvalues; i++) {
		/* Like Helm's -f (and Go's yaml.Unmarshal), a values file is its first
		 * document; what follows it is never parsed. */
		const tv *doc;
		if (yl_load_file_first(a, values[i], &doc, err) != 0)
			return -1;
		/* An empty document adds nothing (Helm reads it as an empty map). */
		if (!doc || doc->kind == TV_NULL)
			continue;
		if (data && data->kind == TV_MAP && doc->kind == TV_MAP)
			data = values_merge(a, data, doc);
		else
			data = doc; /* a non-map is the dot as it is; a later one replaces */
	}
	for (int i = 0; i < nsets; i++) {
		if (data && data->kind != TV_MAP)
			return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
					      "--set %s: the values are not a map", sets[i]);
		if (values_set(a, &data, sets[i], err) != 0)
			return -1;
	}
	for (int i = 0; i < ntypes; i++)
		if (type_value(a, &data, types[i], err) != 0)
			return -1;
	*out = data;
	return 0;
}

static const char *template_name(const char *path)
{
	if (strcmp(path, "-") == 0)
		return "stdin";
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* The command line, parsed (tr_parse_args). */
typedef struct tr_opts {
	char **values, **sets, **options, **types; /* each repeatable flag, in order */
	int nvalues, nsets, noptions, ntypes;
	int check, strict, explain;
	long bench;
	const char *format, *ldelim, *rdelim, *name, *output, *funcs;
	const char *first; /* the executed template's name */
	char **files;      /* the TEMPLATE operands */
	int nfiles;
	cli_pod pod;
	tmpl_exec_opts lim;
} tr_opts;

/* The set's checks over what check_text_parse gathered, the report written
 * in format: 1 when there is an error (or, strict, a warning), else 0. */
static int check_report(check_run *cr, const char *format, int strict)
{
	check_set(cr);
	check_data(cr);
	check_sort(cr);
	sbuf out = SBUF_INIT;
	check_format(cr, format, &out);
	int text = strcmp(format, "text") == 0;
	if (out.len)
		fwrite(out.buf, 1, out.len, text ? stderr : stdout);
	sbuf_free(&out);
	return check_count(cr, CHECK_ERROR) || (strict && check_count(cr, CHECK_WARNING)) ? EXIT_DATA : 0;
}

/* --check: every file parsed with recovery, then the set's checks; the
 * report in o's format; 1 when there is an error (or, strict, a warning). */
static int run_check(tmpl_set *set, const tr_opts *o, const tv *values)
{
	const char **names = calloc((size_t)o->nfiles, sizeof(char *));
	if (!names)
		tmpl_out_of_memory();
	check_run cr;
	check_init(&cr, &set->lib);
	cr.validated = inj_annotation_validated;
	int rc = 0;
	if (o->pod.types && check_set_types(&cr, o->pod.types) != 0) {
		check_free(&cr);
		free(names);
		return usage_error("--types: not istio, istio-1.1 or a Go type of the tables: %s",
				   o->pod.types);
	}
	cr.values = values && values->kind == TV_MAP ? values : NULL;
	cr.strict = o->strict;
	for (int i = 0; i < o->nfiles && rc == 0; i++) {
		size_t len;
		tmpl_error err;
		tmpl_error_init(&err);
		char *text = file_read(o->files[i], &len, FILE_WORDS_C, &err);
		if (!text) {
			fprintf(stderr, "%s: %s\n", prog, err.msg);
			tmpl_error_clear(&err);
			rc = EXIT_DATA;
			break;
		}
		const char *tname = i == 0 ? o->first : template_name(o->files[i]);
		names[i] = tname;
		check_text_parse(&cr, o->files[i], (size_t)i, tname, text, len, o->ldelim, o->rdelim);
		free(text);
	}
	/* --pod: render for it and check the output (cli_check_pod.h) */
	if (rc == 0 && o->pod.pod)
		rc = cli_check_pod(&cr, set, &o->pod, o->files, o->nfiles, names, o->ldelim, o->rdelim,
				   &o->lim, prog);
	if (rc == 0)
		rc = check_report(&cr, o->format ? o->format : "text", o->strict);
	check_free(&cr);
	free(names);
	return rc;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* --bench: the set rendered o->bench times in memory, ns/op printed; the exit status. */
static int tr_bench(tmpl_set *set, const tr_opts *o, const tv *data, sbuf *out, tmpl_error *err)
{
	double start = now_ns();
	for (long i = 0; i < o->bench; i++) {
		out->len = 0;
		if (tmpl_execute_opts(set, o->first, data, &o->lim, out, err) != 0) {
			fprintf(stderr, "%s\n", err->msg);
			return EXIT_DATA;
		}
	}
	printf("ns/op %.0f\n", (now_ns() - start) / (double)o->bench);
	return 0;
}

/* --explain: the whole output first (each line's position needs its trace),
 * then each line beside the template position that wrote it; the exit status. */
static int tr_explain(tmpl_set *set, const tr_opts *o, const tv *data, const cli_files *files,
		      sbuf *out, tmpl_error *err)
{
	tmpl_trace trace = {0};
	tmpl_exec_opts lim = o->lim;
	int rc = EXIT_DATA;
	lim.trace = &trace;
	if (tmpl_execute_opts(set, o->first, data, &lim, out, err) != 0) {
		fprintf(stderr, "%s\n", err->msg);
		goto out;
	}
	FILE *fp = o->output ? fopen(o->output, "w") : stdout;
	if (!fp) {
		fprintf(stderr, "%s: %s: cannot open for writing\n", prog, o->output);
		goto out;
	}
	cli_explain_print(fp, out->buf, out->len, &trace, files);
	rc = (o->output ? fclose(fp) : fflush(fp)) != 0 ? EXIT_DATA : 0;
out:
	tmpl_trace_free(&trace);
	return rc;
}

/* A plain render, streamed to -o or standard output (cli_output.h): the exit status. */
static int tr_render(tmpl_set *set, const tr_opts *o, const tv *data, sbuf *out, tmpl_error *err)
{
	cli_out sink;
	if (cli_out_open(&sink, prog, o->output) != 0)
		return EXIT_DATA;
	tmpl_exec_opts lim = o->lim;
	lim.flush = cli_out_write;
	lim.flush_arg = &sink;
	if (tmpl_execute_opts(set, o->first, data, &lim, out, err) != 0) {
		/* A failed render leaves no file, and on standard output nothing unless
		 * it had streamed past what is held back (see cli_output.h). */
		cli_out_abandon(&sink);
		fprintf(stderr, "%s\n", err->msg);
		return EXIT_DATA;
	}
	return cli_out_commit(&sink) ? EXIT_DATA : 0;
}

/* Every TEMPLATE parsed into set, its name into names[i]: 0, or the exit status. */
static int tr_parse_files(tmpl_set *set, const tr_opts *o, const char **names, tmpl_error *err)
{
	for (int i = 0; i < o->nfiles; i++) {
		size_t len;
		char *text = file_read(o->files[i], &len, FILE_WORDS_C, err);
		if (!text) {
			fprintf(stderr, "%s: %s\n", prog, err->msg);
			return EXIT_DATA;
		}
		const char *tname = i == 0 ? o->first : template_name(o->files[i]);
		names[i] = tname;
		int prc = tmpl_set_parse(set, tname, text, len, o->ldelim, o->rdelim, err);
		free(text);
		if (prc != 0) {
			fprintf(stderr, "%s\n", err->msg);
			return EXIT_DATA;
		}
	}
	return 0;
}

/* The set's functions and --option flags: 0, or the exit status (a usage error). */
static int tr_set_options(tmpl_set *set, const tr_opts *o, tmpl_error *err)
{
	if (tmpl_set_funcs(set, o->funcs, err) != 0) {
		fprintf(stderr, "%s: --funcs: %s\n", prog, err->msg);
		return EXIT_USAGE;
	}
	for (int i = 0; i < o->noptions; i++)
		if (tmpl_set_option(set, o->options[i], err) != 0) {
			fprintf(stderr, "%s: %s\n", prog, err->msg);
			return EXIT_USAGE;
		}
	return 0;
}

/* The dot of a render: --types' injector data for --pod, else the values. */
static int tr_data(tmpl_arena *a, const tr_opts *o, const tv **data, tmpl_error *err)
{
	if (o->pod.types)
		return cli_pod_data(a, &o->pod, data, err);
	return build_data(a, o->values, o->nvalues, o->sets, o->nsets, o->types, o->ntypes, data, err);
}

/* The parsed command line run: check, bench, explain or render; the exit status. */
static int tr_run(const tr_opts *o)
{
	int rc;
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_set *set = tmpl_set_new();
	const char **names = calloc((size_t)o->nfiles, sizeof(char *));
	if (!names)
		tmpl_out_of_memory();
	tmpl_arena *data_arena = arena_new();
	sbuf out = SBUF_INIT;
	const tv *data = TV_NOVALUE;

	if ((rc = tr_set_options(set, o, &err)) != 0)
		goto cleanup;
	if (o->check) {
		if ((o->nvalues || o->nsets) &&
		    build_data(data_arena, o->values, o->nvalues, o->sets, o->nsets, NULL, 0, &data, &err) != 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = EXIT_DATA;
			goto cleanup;
		}
		rc = run_check(set, o, data);
		goto cleanup;
	}
	if ((rc = tr_parse_files(set, o, names, &err)) != 0)
		goto cleanup;
	if (tr_data(data_arena, o, &data, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		rc = EXIT_DATA;
		goto cleanup;
	}
	cli_files files = {names, (const char **)o->files, o->nfiles};
	if (o->bench > 0)
		rc = tr_bench(set, o, data, &out, &err);
	else if (o->explain)
		rc = tr_explain(set, o, data, &files, &out, &err);
	else
		rc = tr_render(set, o, data, &out, &err);
cleanup:
	free(names);
	sbuf_free(&out);
	arena_free(data_arena);
	tmpl_set_free(set);
	tmpl_error_clear(&err);
	return rc;
}

enum { OPT_SET = 256, OPT_TYPE, OPT_LDELIM, OPT_RDELIM, OPT_OPTION, OPT_NAME, OPT_CHECK, OPT_BENCH, OPT_FUNCS,
       OPT_FORMAT, OPT_STRICT, OPT_EXPLAIN };

static const struct option tr_longopts[] = {
	{"values", required_argument, NULL, 'f'},
	{"set", required_argument, NULL, OPT_SET},
	{"type", required_argument, NULL, OPT_TYPE},
	{"left-delim", required_argument, NULL, OPT_LDELIM},
	{"right-delim", required_argument, NULL, OPT_RDELIM},
	{"option", required_argument, NULL, OPT_OPTION},
	{"name", required_argument, NULL, OPT_NAME},
	{"funcs", required_argument, NULL, OPT_FUNCS},
	{"output", required_argument, NULL, 'o'},
	{"check", no_argument, NULL, OPT_CHECK},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"bench", required_argument, NULL, OPT_BENCH},
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	CLI_LIMIT_OPTIONS,
	CLI_POD_OPTIONS,
	{NULL, 0, NULL, 0},
};

/* One flag c (with optarg) into o: -1 to go on, else the exit status (help,
 * version, usage error). */
static int tr_flag(int c, char **argv, tr_opts *o)
{
	switch (c) {
	case 'f': o->values[o->nvalues++] = optarg; break;
	case OPT_SET: o->sets[o->nsets++] = optarg; break;
	case OPT_TYPE: o->types[o->ntypes++] = optarg; break;
	case OPT_LDELIM: o->ldelim = optarg; break;
	case OPT_RDELIM: o->rdelim = optarg; break;
	case OPT_OPTION: o->options[o->noptions++] = optarg; break;
	case OPT_NAME: o->name = optarg; break;
	case OPT_FUNCS: o->funcs = optarg; break;
	case 'o': o->output = optarg; break;
	case OPT_CHECK: o->check = 1; break;
	case OPT_FORMAT: o->format = optarg; break;
	case OPT_STRICT: o->strict = 1; break;
	case OPT_EXPLAIN: o->explain = 1; break;
	case OPT_BENCH: {
		char *end;
		errno = 0;
		o->bench = strtol(optarg, &end, 10);
		if (errno || *end || o->bench <= 0)
			return usage_error("--bench: not a positive number: %s", optarg);
		break;
	}
	case CLI_OPT_MAX_STEPS:
	case CLI_OPT_MAX_MEMORY:
	case CLI_OPT_MAX_OUTPUT:
	case CLI_OPT_TIMEOUT:
		if (cli_limit_flag(prog, c, optarg, &o->lim) < 0)
			return EXIT_USAGE;
		break;
	case 'h': usage(stdout); return 0;
	case 'V': printf("tmplrender %s\n", TMPL_VERSION); return 0;
	case ':': return usage_error("option requires an argument: %s", argv[optind - 1]);
	default:
		if (!cli_pod_flag(&o->pod, c, optarg))
			return usage_error("unrecognized option: %s", argv[optind - 1]);
	}
	return -1;
}

/* The flags together: what excludes what, --types' defaults; -1 to go on,
 * else the exit status of a usage error. */
static int tr_settle(tr_opts *o)
{
	if (o->nfiles == 0)
		return usage_error("%s", "no TEMPLATE given");
	if (o->explain && (o->check || o->bench))
		return usage_error("%s", "--explain goes with neither --check nor --bench");
	if ((o->format || o->strict) && !o->check)
		return usage_error("%s", "--format and --strict go with --check");
	/* --check --types without --pod: only the dot's type for the static
	 * checks (any Go type of the tables), the values as they are */
	cli_pod *pod = &o->pod;
	bool types_only = o->check && pod->types && !pod->pod && !pod->mesh;
	pod->values = o->nvalues && !types_only ? o->values[0] : NULL;
	const char *pod_usage = types_only ? NULL : cli_pod_usage(pod);
	if (!pod_usage && pod->types && !types_only && (o->nvalues > 1 || o->nsets || o->ntypes))
		pod_usage = "--types takes one --values (the injector's) and no --set or --type";
	if (pod_usage)
		return usage_error("%s", pod_usage);
	if (pod->types && (strcmp(pod->types, "istio") == 0 || strcmp(pod->types, "istio-1.1") == 0)) {
		/* the injector's choices, unless said otherwise */
		o->funcs = o->funcs ? o->funcs : cli_pod_funcs(pod);
		o->ldelim = o->ldelim ? o->ldelim : cli_pod_ldelim(pod);
		o->rdelim = o->rdelim ? o->rdelim : cli_pod_rdelim(pod);
	}
	if (!o->funcs)
		o->funcs = "sprig";
	if (o->format && !check_format_known(o->format))
		return usage_error("--format: not text, json or sarif: %s", o->format);
	o->first = o->name ? o->name : template_name(o->files[0]);
	return -1;
}

/* argv into o (whose lists tr_free_opts frees): -1 to go on, else the exit status. */
static int tr_parse_args(int argc, char **argv, tr_opts *o)
{
	int c, rc;
	*o = (tr_opts){0};
	cli_limits_default(&o->lim);
	o->values = calloc((size_t)argc, sizeof(char *));
	o->sets = calloc((size_t)argc, sizeof(char *));
	o->options = calloc((size_t)argc, sizeof(char *));
	o->types = calloc((size_t)argc, sizeof(char *));
	if (!o->values || !o->sets || !o->options || !o->types)
		tmpl_out_of_memory();
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:hV", tr_longopts, NULL)) != -1)
		if ((rc = tr_flag(c, argv, o)) >= 0)
			return rc;
	o->files = argv + optind;
	o->nfiles = argc - optind;
	return tr_settle(o);
}

static void tr_free_opts(tr_opts *o)
{
	free(o->values);
	free(o->sets);
	free(o->options);
	free(o->types);
}

int main(int argc, char **argv)
{
	tr_opts o;
	tmpl_set_program_name(prog);
	int rc = tr_parse_args(argc, argv, &o);
	if (rc < 0)
		rc = tr_run(&o);
	tr_free_opts(&o);
	return rc;
}
