/* file.c: reads whole files for the programs and loaders, with their errors worded as C or as Go words them. */
#include "file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
	/* Read straight into the buffer, sized once from a regular file's size
	 * (a manifest can be tens of MB: no copy through a chunk, no regrowth);
	 * a pipe grows it as it comes. */
	sbuf b = SBUF_INIT;
	struct stat st;
	size_t want = 65536;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		want = (size_t)st.st_size + 1; /* + 1: end of file seen without a regrowth */
	for (;;) {
		sbuf_reserve(&b, want);
		size_t room = b.cap - b.len - 1;
		size_t n = fread(b.buf + b.len, 1, room, f);
		b.len += n;
		b.buf[b.len] = '\0';
		if (n < room)
			break;
		want = b.len; /* doubling */
	}
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
