/* file.c: reads whole files for the programs and loaders, with their errors worded as C or as Go words them. */
#include "file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sbuf.h"

static int file_error(tmpl_error *err, const char *path, const char *op, int e, file_words w)
{
	if (w == FILE_WORDS_C)
		return tmpl_error_set(err, TMPL_ERR_IO, path, 0, 0, "%s: %s", path, strerror(e));
	/* Go's syscall errors are strerror's text in lower case. */
	char m[128];
	snprintf(m, sizeof m, "%s", strerror(e));
	if (m[0] >= 'A' && m[0] <= 'Z')
		m[0] = (char)(m[0] - 'A' + 'a');
	return tmpl_error_set(err, TMPL_ERR_IO, path, 0, 0, "%s %s: %s", op, path, m);
}

char *file_read(const char *path, size_t *len, file_words words, tmpl_error *err)
{
	bool in = strcmp(path, "-") == 0;
	FILE *f = in ? stdin : fopen(path, "rb");
	if (!f) {
		file_error(err, path, "open", errno, words);
		return NULL;
	}
	sbuf b = SBUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sbuf_put(&b, chunk, n);
	int e = ferror(f) ? errno : 0;
	if (!in)
		fclose(f);
	if (e) {
		sbuf_free(&b);
		file_error(err, path, "read", e, words);
		return NULL;
	}
	return sbuf_detach(&b, len);
}
