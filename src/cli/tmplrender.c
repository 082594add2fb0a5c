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
#include "set.h"
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

/* --check: every file parsed with recovery, then the set's checks; the
 * report in format; 1 when there is an error (or, strict, a warning). */
static int run_check(tmpl_set *set, char **files, int nfiles, const char *first,
		     const char *ldelim, const char *rdelim, const char *format, int strict,
		     const char *types, const tv *values, const cli_pod *pod,
		     const tmpl_exec_opts *lim)
{
	const char **names = calloc((size_t)nfiles, sizeof(char *));
	if (!names)
		tmpl_out_of_memory();
	check_run cr;
	check_init(&cr, &set->lib);
	cr.validated = inj_annotation_validated;
	int rc = 0;
	if (types && check_set_types(&cr, types) != 0) {
		check_free(&cr);
		free(names);
		return usage_error("--types: not istio, istio-1.1 or a Go type of the tables: %s", types);
	}
	cr.values = values && values->kind == TV_MAP ? values : NULL;
	cr.strict = strict;
	for (int i = 0; i < nfiles && rc == 0; i++) {
		size_t len;
		tmpl_error err;
		tmpl_error_init(&err);
		char *text = file_read(files[i], &len, FILE_WORDS_C, &err);
		if (!text) {
			fprintf(stderr, "%s: %s\n", prog, err.msg);
			tmpl_error_clear(&err);
			rc = EXIT_DATA;
			break;
		}
		const char *tname = i == 0 ? first : template_name(files[i]);
		names[i] = tname;
		check_text_parse(&cr, files[i], (size_t)i, tname, text, len, ldelim, rdelim);
		free(text);
	}
	/* --pod: render for it and check the output (cli_check_pod.h) */
	if (rc == 0 && pod->pod)
		rc = cli_check_pod(&cr, set, pod, files, nfiles, names, ldelim, rdelim, lim, prog);
	if (rc == 0) {
		check_set(&cr);
		check_data(&cr);
		check_sort(&cr);
		sbuf out = SBUF_INIT;
		check_format(&cr, format, &out);
		int text = strcmp(format, "text") == 0;
		if (out.len)
			fwrite(out.buf, 1, out.len, text ? stderr : stdout);
		sbuf_free(&out);
		if (check_count(&cr, CHECK_ERROR) || (strict && check_count(&cr, CHECK_WARNING)))
			rc = EXIT_DATA;
	}
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

enum { OPT_SET = 256, OPT_TYPE, OPT_LDELIM, OPT_RDELIM, OPT_OPTION, OPT_NAME, OPT_CHECK, OPT_BENCH, OPT_FUNCS,
       OPT_FORMAT, OPT_STRICT, OPT_EXPLAIN };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
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
	char **values = calloc((size_t)argc, sizeof(char *));
	char **sets = calloc((size_t)argc, sizeof(char *));
	char **options = calloc((size_t)argc, sizeof(char *));
	char **types = calloc((size_t)argc, sizeof(char *));
	int nvalues = 0, nsets = 0, noptions = 0, ntypes = 0, check = 0, strict = 0, explain = 0;
	const char *format = NULL;
	long bench = 0;
	const char *ldelim = NULL, *rdelim = NULL, *name = NULL, *output = NULL;
	const char *funcs = NULL;
	cli_pod pod = {0};
	int rc = 0, c;
	tmpl_exec_opts lim;
	cli_limits_default(&lim);
	tmpl_set_program_name(prog);

	if (!values || !sets || !options || !types)
		tmpl_out_of_memory();
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': values[nvalues++] = optarg; break;
		case OPT_SET: sets[nsets++] = optarg; break;
		case OPT_TYPE: types[ntypes++] = optarg; break;
		case OPT_LDELIM: ldelim = optarg; break;
		case OPT_RDELIM: rdelim = optarg; break;
		case OPT_OPTION: options[noptions++] = optarg; break;
		case OPT_NAME: name = optarg; break;
		case OPT_FUNCS: funcs = optarg; break;
		case 'o': output = optarg; break;
		case OPT_CHECK: check = 1; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_STRICT: strict = 1; break;
		case OPT_EXPLAIN: explain = 1; break;
		case OPT_BENCH: {
			char *end;
			errno = 0;
			bench = strtol(optarg, &end, 10);
			if (errno || *end || bench <= 0) {
				rc = usage_error("--bench: not a positive number: %s", optarg);
				goto done;
			}
			break;
		}
		case CLI_OPT_MAX_STEPS:
		case CLI_OPT_MAX_MEMORY:
		case CLI_OPT_MAX_OUTPUT:
		case CLI_OPT_TIMEOUT:
			if (cli_limit_flag(prog, c, optarg, &lim) < 0) {
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 'h': usage(stdout); goto done;
		case 'V': printf("tmplrender %s\n", TMPL_VERSION); goto done;
		case ':':
			rc = usage_error("option requires an argument: %s", argv[optind - 1]);
			goto done;
		default:
			if (cli_pod_flag(&pod, c, optarg))
				break;
			rc = usage_error("unrecognized option: %s", argv[optind - 1]);
			goto done;
		}
	}
	if (optind >= argc) {
		rc = usage_error("%s", "no TEMPLATE given");
		goto done;
	}
	if (explain && (check || bench)) {
		rc = usage_error("%s", "--explain goes with neither --check nor --bench");
		goto done;
	}
	if ((format || strict) && !check) {
		rc = usage_error("%s", "--format and --strict go with --check");
		goto done;
	}
	/* --check --types without --pod: only the dot's type for the static
	 * checks (any Go type of the tables), the values as they are */
	bool types_only = check && pod.types && !pod.pod && !pod.mesh;
	pod.values = nvalues && !types_only ? values[0] : NULL;
	const char *pod_usage = types_only ? NULL : cli_pod_usage(&pod);
	if (!pod_usage && pod.types && !types_only && (nvalues > 1 || nsets || ntypes))
		pod_usage = "--types takes one --values (the injector's) and no --set or --type";
	if (pod_usage) {
		rc = usage_error("%s", pod_usage);
		goto done;
	}
	if (pod.types && (strcmp(pod.types, "istio") == 0 || strcmp(pod.types, "istio-1.1") == 0)) {
		/* the injector's choices, unless said otherwise */
		funcs = funcs ? funcs : cli_pod_funcs(&pod);
		ldelim = ldelim ? ldelim : cli_pod_ldelim(&pod);
		rdelim = rdelim ? rdelim : cli_pod_rdelim(&pod);
	}
	if (!funcs)
		funcs = "sprig";
	if (format && !check_format_known(format)) {
		rc = usage_error("--format: not text, json or sarif: %s", format);
		goto done;
	}

	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_set *set = tmpl_set_new();
	tmpl_trace trace = {0};
	const char **names = calloc((size_t)argc, sizeof(char *));
	if (!names)
		tmpl_out_of_memory();
	tmpl_arena *data_arena = arena_new();
	sbuf out = SBUF_INIT;
	const char *first = name ? name : template_name(argv[optind]);

	if (tmpl_set_funcs(set, funcs, &err) != 0) {
		fprintf(stderr, "%s: --funcs: %s\n", prog, err.msg);
		rc = EXIT_USAGE;
		goto cleanup;
	}
	for (int i = 0; i < noptions; i++)
		if (tmpl_set_option(set, options[i], &err) != 0) {
			fprintf(stderr, "%s: %s\n", prog, err.msg);
			rc = EXIT_USAGE;
			goto cleanup;
		}
	if (check) {
		const tv *cdata = TV_NOVALUE;
		if ((nvalues || nsets) &&
		    build_data(data_arena, values, nvalues, sets, nsets, NULL, 0, &cdata, &err) != 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = EXIT_DATA;
			goto cleanup;
		}
		rc = run_check(set, argv + optind, argc - optind, first, ldelim, rdelim,
			       format ? format : "text", strict, pod.types, cdata, &pod, &lim);
		goto cleanup;
	}
	for (int i = optind; i < argc; i++) {
		size_t len;
		char *text = file_read(argv[i], &len, FILE_WORDS_C, &err);
		if (!text) {
			fprintf(stderr, "%s: %s\n", prog, err.msg);
			rc = EXIT_DATA;
			goto cleanup;
		}
		const char *tname = i == optind ? first : template_name(argv[i]);
		names[i - optind] = tname;
		int prc = tmpl_set_parse(set, tname, text, len, ldelim, rdelim, &err);
		free(text);
		if (prc != 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = EXIT_DATA;
			goto cleanup;
		}
	}

	cli_files files = {names, (const char **)argv + optind, argc - optind};
	const tv *data = TV_NOVALUE;
	if (pod.types ? cli_pod_data(data_arena, &pod, &data, &err) != 0
		      : build_data(data_arena, values, nvalues, sets, nsets, types, ntypes, &data,
				   &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		rc = EXIT_DATA;
		goto cleanup;
	}
	if (bench > 0) {
		double start = now_ns();
		for (long i = 0; i < bench; i++) {
			out.len = 0;
			if (tmpl_execute_opts(set, first, data, &lim, &out, &err) != 0) {
				fprintf(stderr, "%s\n", err.msg);
				rc = EXIT_DATA;
				goto cleanup;
			}
		}
		printf("ns/op %.0f\n", (now_ns() - start) / (double)bench);
		goto cleanup;
	}
	if (explain) {
		/* the whole output first: each line's position needs its trace */
		lim.trace = &trace;
		if (tmpl_execute_opts(set, first, data, &lim, &out, &err) != 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = EXIT_DATA;
			goto cleanup;
		}
		FILE *fp = output ? fopen(output, "w") : stdout;
		if (!fp) {
			fprintf(stderr, "%s: %s: cannot open for writing\n", prog, output);
			rc = EXIT_DATA;
			goto cleanup;
		}
		cli_explain_print(fp, out.buf, out.len, &trace, &files);
		if ((output ? fclose(fp) : fflush(fp)) != 0)
			rc = EXIT_DATA;
		goto cleanup;
	}
	cli_out sink;
	if (cli_out_open(&sink, prog, output) != 0) {
		rc = EXIT_DATA;
		goto cleanup;
	}
	lim.flush = cli_out_write;
	lim.flush_arg = &sink;
	if (tmpl_execute_opts(set, first, data, &lim, &out, &err) != 0) {
		/* A failed render leaves no file, and on standard output nothing unless
		 * it had streamed past what is held back (see cli_output.h). */
		cli_out_abandon(&sink);
		fprintf(stderr, "%s\n", err.msg);
		rc = EXIT_DATA;
		goto cleanup;
	}
	rc = cli_out_commit(&sink) ? EXIT_DATA : 0;

cleanup:
	tmpl_trace_free(&trace);
	free(names);
	sbuf_free(&out);
	arena_free(data_arena);
	tmpl_set_free(set);
	tmpl_error_clear(&err);
done:
	free(values);
	free(sets);
	free(options);
	free(types);
	return rc;
}
