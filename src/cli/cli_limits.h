/* cli_limits.h: the render-limit flags every program takes (--max-steps, --max-memory, --max-output, --timeout), parsed once for all. */
#ifndef CLI_LIMITS_H
#define CLI_LIMITS_H

#include <getopt.h>

#include "tmpl.h"

enum { CLI_OPT_MAX_STEPS = 0x4c00, CLI_OPT_MAX_MEMORY, CLI_OPT_MAX_OUTPUT, CLI_OPT_TIMEOUT };

/* Entries for a getopt_long table. */
#define CLI_LIMIT_OPTIONS                                                  \
	{"max-steps", required_argument, NULL, CLI_OPT_MAX_STEPS},         \
	{"max-memory", required_argument, NULL, CLI_OPT_MAX_MEMORY},       \
	{"max-output", required_argument, NULL, CLI_OPT_MAX_OUTPUT},       \
	{"timeout", required_argument, NULL, CLI_OPT_TIMEOUT}

/* The defaults of the command-line programs: generous for any real template,
 * small enough that a runaway one stops in seconds. */
#define CLI_DEFAULT_MAX_STEPS 100000000ull
#define CLI_DEFAULT_MAX_MEMORY (1024ull * 1024 * 1024)
#define CLI_DEFAULT_MAX_OUTPUT (1024ull * 1024 * 1024)

/* opts with the command-line defaults (no timeout). */
void cli_limits_default(tmpl_exec_opts *o);
/* If c is one of the limit flags, set it in o from arg and return 1 (or print
 * a usage error and return -1); otherwise return 0. Values: --max-steps N,
 * --max-memory and --max-output as Kubernetes quantities ("64Mi", "1G",
 * "1000000"), --timeout as a Go duration ("30s", "1m"); 0 means no limit. */
int cli_limit_flag(const char *prog, int c, const char *arg, tmpl_exec_opts *o);
/* The help lines of the flags, with the defaults given, their text starting
 * at column col as the rest of the program's help does. */
void cli_limits_help(FILE *f, const tmpl_exec_opts *defaults, int col);

#endif
