/* runner.h: the main shared by the file-driven test runners (golden .tt files, the conformance corpus): arguments, files, RUN= selection, timeouts, temp dirs and the TAP plan. */
#ifndef TESTS_RUNNER_H
#define TESTS_RUNNER_H

#include <stddef.h>

#include "proc.h"

/* What a runner knows of the run while a case runs. */
typedef struct runner_ctx {
	const char *prog; /* the program under test, an absolute path */
	const char *file; /* the test file being run, as named on the command line */
	const char *base; /* its last path component, the prefix of every TAP name */
	int timeout;      /* seconds each command may run (TEST_TIMEOUT, default 20) */
} runner_ctx;

/* One test file format: how its files load into cases and how a case runs. */
typedef struct runner_format {
	const char *usage; /* "run-golden TMPLRENDER FILE.tt..." */
	/* Every case of one file (bailing out on a malformed file); *count set. */
	void *(*load)(const runner_ctx *ctx, size_t *count);
	/* The title of case i: RUN= selects on it, and the TAP name is "BASE: TITLE". */
	const char *(*title)(void *cases, size_t i);
	/* Run case i and print its TAP result under name (tap_ok and diagnostics);
	 * returns 1 when it passed. */
	int (*run)(const runner_ctx *ctx, void *cases, size_t i, const char *name);
	/* Free case i, then (after the last one) the file's cases. */
	void (*free_case)(void *cases, size_t i);
	void (*free_cases)(void *cases);
} runner_format;

/* Usage: PROG TMPLRENDER FILE...: loads every file, then runs each case (skipping,
 * as TAP SKIP, those whose title does not contain $RUN), printing the plan at the
 * end. Returns the exit status: 0 once every case has a result, failed or not, as
 * failures are in the TAP lines (a non-zero status would mark the whole file as an
 * error); 1 when the program cannot be found, 2 on a usage error. */
int runner_main(int argc, char **argv, const runner_format *fmt);

/* Remove a case's directory (made by tmpdir_make), or keep it (and say so) when $KEEP_TMP is set. */
void runner_tmpdir_done(char *dir);
/* Diagnostics of a command line: "# command: 'ARG' 'ARG'...". */
void runner_diag_argv(char *const argv[]);
/* Whether stderr holds a sanitizer report (ASan's "Sanitizer", or UBSan's
 * "FILE:LINE:COL: runtime error: ", told apart from Go's recovered panics such
 * as "error calling first: runtime error: ..." by the column number before it). */
int runner_sanitizer_report(const proc_result *r);

#endif
