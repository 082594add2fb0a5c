/* runner.c: the shared main of the file-driven test runners (runner.h): files, RUN= selection, timeouts, temp dirs, the TAP plan. */
#include "runner.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

int runner_main(int argc, char **argv, const runner_format *fmt)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s\n", fmt->usage);
		return 2;
	}
	char prog[PATH_MAX];
	if (!realpath(argv[1], prog)) {
		printf("Bail out! %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	runner_ctx ctx = {.prog = prog, .timeout = 20};
	const char *t = getenv("TEST_TIMEOUT");
	if (t && atoi(t) > 0)
		ctx.timeout = atoi(t);
	const char *only = getenv("RUN");
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Every file is loaded before any case runs, so a malformed file bails out
	 * before results are printed. */
	size_t nfiles = (size_t)argc - 2;
	void **cases = calloc(nfiles, sizeof *cases);
	size_t *counts = calloc(nfiles, sizeof *counts);
	if (!cases || !counts)
		return 99;
	for (size_t i = 0; i < nfiles; i++) {
		ctx.file = argv[i + 2];
		cases[i] = fmt->load(&ctx, &counts[i]);
	}
	for (size_t i = 0; i < nfiles; i++) {
		ctx.file = argv[i + 2];
		const char *slash = strrchr(ctx.file, '/');
		ctx.base = slash ? slash + 1 : ctx.file;
		for (size_t j = 0; j < counts[i]; j++) {
			const char *title = fmt->title(cases[i], j);
			size_t n = strlen(ctx.base) + strlen(title) + 3;
			char *name = malloc(n);
			if (!name)
				return 99;
			snprintf(name, n, "%s: %s", ctx.base, title);
			if (only && *only && !strstr(title, only))
				tap_skip(name, "not selected by RUN");
			else
				fmt->run(&ctx, cases[i], j, name);
			free(name);
			fmt->free_case(cases[i], j);
		}
		fmt->free_cases(cases[i]);
	}
	free(cases);
	free(counts);
	if (tap_failures())
		tap_diag("%d of %d cases failed", tap_failures(), tap_count());
	tap_done();
	return 0;
}

void runner_tmpdir_done(char *dir)
{
	if (!dir)
		return;
	if (getenv("KEEP_TMP"))
		tap_diag("kept %s", dir);
	else
		tmpdir_remove(dir);
	free(dir);
}

void runner_diag_argv(char *const argv[])
{
	printf("# command:");
	for (int i = 0; argv[i]; i++)
		printf(" '%s'", argv[i]);
	printf("\n");
}

int runner_sanitizer_report(const proc_result *r)
{
	if (memmem(r->err, r->err_len, "Sanitizer", 9) != NULL)
		return 1;
	const char *p = r->err, *end = r->err + r->err_len;
	while ((p = memmem(p, (size_t)(end - p), ": runtime error: ", 17)) != NULL) {
		if (p > r->err && p[-1] >= '0' && p[-1] <= '9')
			return 1;
		p += 17;
	}
	return 0;
}
