/* testlib.h: test data files (TAP comes from tests/runner/tap.h), for the webhook's in-process tests (one test program each). */
#ifndef WH_TESTLIB_H
#define WH_TESTLIB_H

#include <stdbool.h>
#include <stdio.h>

#include "../runner/tap.h"
#include "file.h"

static const char *g_dir; /* tests/istio/1.1 under the source tree */

/* The file rel under g_dir (a TAP comment and NULL if it cannot be read). */
static char *slurp(const char *rel, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", g_dir, rel);
	tmpl_error e;
	tmpl_error_init(&e);
	char *text = file_read(path, len, FILE_WORDS_C, &e);
	if (!text)
		printf("# %s\n", e.msg);
	tmpl_error_clear(&e);
	return text;
}

#endif
