/* fuzz_util.c: the render bounds, the bounded render and the data files the libFuzzer targets share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "fuzz_util.h"
#include "tmpl_funcs.h"

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

void fuzz_render(const char *const *libs, size_t nlibs, const char *text, size_t len,
		 const tv *data)
{
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_set *s = tmpl_set_new();
	if (tmpl_set_libraries(s, libs, nlibs, &err) == 0 &&
	    tmpl_set_parse(s, "t", text, len, NULL, NULL, &err) == 0) {
		tmpl_exec_opts lim;
		fuzz_limits(&lim);
		sbuf out = SBUF_INIT;
		tmpl_execute_opts(s, "t", data, &lim, &out, &err);
		sbuf_free(&out);
	}
	tmpl_error_clear(&err);
	tmpl_set_free(s);
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
