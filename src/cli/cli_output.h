/* cli_output.h: where a program's result goes: standard output, or a file replaced whole through a temporary file and a rename; streamed in both cases, in bounded memory. */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "sbuf.h"

/* The first CLI_OUT_HOLD bytes for standard output are held back until the
 * result is complete, so a run that fails early writes nothing there; a larger
 * result streams (a failure then leaves what was written, and the exit status
 * and the message on standard error say so). A regular file is always whole
 * or untouched; a device or a pipe named by path is written as it goes. */
#define CLI_OUT_HOLD (4u * 1024u * 1024u)

typedef struct cli_out {
	const char *prog;
	const char *path; /* NULL for standard output */
	FILE *f;
	char *tmp;        /* the temporary file's name (NULL: writing path directly) */
	sbuf held;        /* standard output not yet written */
	bool streaming;   /* standard output: held bytes already written */
	bool failed;      /* a write failed (reported once) */
} cli_out;

/* Open path ("-" or NULL: standard output); a message and -1 when it cannot be. */
int cli_out_open(cli_out *o, const char *prog, const char *path);
/* Append bytes; 0, or -1 after a failed write (reported on standard error).
 * The signature of tmpl_exec_opts.flush, with o as its argument. */
int cli_out_write(const char *buf, size_t len, void *o);
/* The result is complete: flush and, for a file, rename it into place.
 * Returns 0, or 1 with a message on standard error. */
int cli_out_commit(cli_out *o);
/* The run failed: a file is left untouched, held output is dropped. */
void cli_out_abandon(cli_out *o);

#endif
