/* cli_output.c: a program's result to standard output or to a file replaced whole, streamed. */
#include "cli_output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int out_error(cli_out *o, const char *what)
{
	if (!o->failed)
		fprintf(stderr, "%s: %s: %s\n", o->prog, what, strerror(errno));
	o->failed = true;
	return -1;
}

int cli_out_open(cli_out *o, const char *prog, const char *path)
{
	memset(o, 0, sizeof *o);
	o->prog = prog;
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	o->path = path;
	/* A device or a pipe (-o /dev/stdout, a FIFO) is written as it is: a
	 * rename would replace it with a regular file. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!(o->f = fopen(path, "wb")))
			return out_error(o, path);
		return 0;
	}
	size_t n = strlen(path) + 32;
	o->tmp = malloc(n);
	if (!o->tmp)
		return out_error(o, path);
	snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		errno = e;
		return out_error(o, path);
	}
	return 0;
}

static int out_put(cli_out *o, const char *buf, size_t len)
{
	if (len && fwrite(buf, 1, len, o->f) != len)
		return out_error(o, o->path ? o->path : "writing standard output");
	return 0;
}

int cli_out_write(const char *buf, size_t len, void *arg)
{
	cli_out *o = arg;
	if (o->failed)
		return -1;
	if (o->path || o->streaming)
		return out_put(o, buf, len);
	if (o->held.len + len <= CLI_OUT_HOLD) {
		sbuf_put(&o->held, buf, len);
		return 0;
	}
	o->streaming = true;
	int rc = out_put(o, o->held.buf, o->held.len);
	sbuf_free(&o->held);
	return rc == 0 ? out_put(o, buf, len) : rc;
}

int cli_out_commit(cli_out *o)
{
	if (!o->path) {
		if (!o->failed && o->held.len)
			out_put(o, o->held.buf, o->held.len);
		sbuf_free(&o->held);
		if (fflush(stdout) != 0)
			out_error(o, "writing standard output");
		return o->failed ? 1 : 0;
	}
	FILE *f = o->f;
	o->f = NULL;
	if (fclose(f) != 0 && !o->failed)
		out_error(o, o->path);
	if (!o->tmp)
		return o->failed ? 1 : 0; /* a device, written directly */
	if (!o->failed && rename(o->tmp, o->path) != 0)
		out_error(o, o->path);
	if (o->failed)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return o->failed ? 1 : 0;
}

void cli_out_abandon(cli_out *o)
{
	sbuf_free(&o->held);
	if (o->path && o->f) {
		fclose(o->f);
		o->f = NULL;
		if (o->tmp)
			unlink(o->tmp);
	}
	free(o->tmp);
	o->tmp = NULL;
	if (!o->path)
		fflush(stdout);
}
