/* cli_pod.h: tmplrender's --types/--pod/--mesh: the data one Istio injector would hand its template for a sample pod, so an injection template renders (and is checked) outside kube-inject. */
#ifndef CLI_POD_H
#define CLI_POD_H

#include <getopt.h>
#include <stdio.h>

#include "tmpl.h"

enum { CLI_OPT_TYPES = 0x5000, CLI_OPT_POD, CLI_OPT_MESH };

/* Entries for a getopt_long table. */
#define CLI_POD_OPTIONS                                          \
	{"types", required_argument, NULL, CLI_OPT_TYPES},       \
	{"pod", required_argument, NULL, CLI_OPT_POD},           \
	{"mesh", required_argument, NULL, CLI_OPT_MESH}

typedef struct cli_pod {
	const char *types;  /* "istio" (the newest) or "istio-1.1"; NULL: not given */
	const char *pod;    /* a Pod or workload manifest */
	const char *mesh;   /* mesh config over the version's defaults, or NULL */
	const char *values; /* the injector's values (istio only), or NULL */
} cli_pod;

/* If c is one of the flags above, record arg and return 1; otherwise 0. */
int cli_pod_flag(cli_pod *p, int c, const char *arg);
/* What is wrong with the flags together (a usage error's text), or NULL. */
const char *cli_pod_usage(const cli_pod *p);
/* The function library and the delimiters that version's injector parses
 * its template with (Istio 1.1: [[ ]]); NULL delimiters are Go's. */
const char *cli_pod_funcs(const cli_pod *p);
const char *cli_pod_ldelim(const cli_pod *p);
const char *cli_pod_rdelim(const cli_pod *p);
/* The Go type the version's injector reads a rendered template into (the
 * newest: a Pod to merge; Istio 1.1: its SidecarInjectionSpec). */
const char *cli_pod_output_type(const cli_pod *p);
/* The template data for the pod: mesh and values read as the injector reads
 * them, the pod as kube-inject does (inject.h's inj_kube_pod_data). Values live
 * in arena a. */
int cli_pod_data(tmpl_arena *a, const cli_pod *p, const tv **data, tmpl_error *err);
/* The help lines of the flags, their text at column col. */
void cli_pod_help(FILE *f, int col);

#endif
