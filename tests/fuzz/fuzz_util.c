/* fuzz_util.c: the render bounds and data files the libFuzzer targets share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "fuzz_util.h"

#ifndef FUZZ_TOP
#define FUZZ_TOP "."
#endif

void fuzz_limits(tmpl_exec_opts *o)
{
	memset(o, 0, sizeof *o);
	/* No timeout: a wall-clock bound would make a crash depend on the machine.
	 * The bounds are small so that inputs which merely loop or print end
	 * early: what they would do past the bound is more of the same, and the
	 * limit paths themselves are reached the more often. */
	o->max_steps = 20000;
	o->max_memory = (size_t)4 << 20;
	o->max_output = (size_t)64 << 10;
}

char *fuzz_read(const char *rel, size_t *len)
{
	const char *top = getenv("TMPL_FUZZ_TOP");
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", top && *top ? top : FUZZ_TOP, rel);
	tmpl_error err;
	tmpl_error_init(&err);
	char *text = file_read(path, len, FILE_WORDS_C, &err);
	if (!text) {
		fprintf(stderr, "fuzz: %s (set TMPL_FUZZ_TOP to the source tree)\n", err.msg);
		abort();
	}
	return text;
}
