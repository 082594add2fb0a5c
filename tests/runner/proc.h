/* proc.h: test-runner helpers: run a command with a timeout capturing its output, and temp files. */
#ifndef TESTS_PROC_H
#define TESTS_PROC_H

#include <stddef.h>

typedef struct proc_result {
	int exited;    /* 1 when the process exited normally */
	int status;    /* its exit status when exited */
	int signal;    /* the terminating signal when not exited */
	int timed_out; /* 1 when it was killed for running too long */
	char *out;     /* captured stdout (NUL-terminated, may hold NULs) */
	size_t out_len;
	char *err;     /* captured stderr */
	size_t err_len;
} proc_result;

/* Run argv (argv[0] a path) in directory dir with stdin fed from in (NULL =
 * empty), killing it after timeout_sec seconds. Returns 0, or -1 with errno
 * when the process could not be started. Free the result with proc_result_free. */
int proc_run(const char *dir, char *const argv[], const char *in, size_t in_len,
	     int timeout_sec, proc_result *r);
void proc_result_free(proc_result *r);

/* Describe how the process ended ("exit 1", "signal 11", "timeout") into buf. */
const char *proc_describe(const proc_result *r, char *buf, size_t size);

/* Make a fresh temporary directory; returns its malloc'd path or NULL. */
char *tmpdir_make(const char *prefix);
/* Remove a directory tree (best effort). */
void tmpdir_remove(const char *path);
/* Write len bytes to dir/name (name may not contain '/'); 0 or -1. */
int file_write(const char *dir, const char *name, const char *data, size_t len);
/* Read a whole file; malloc'd, NUL-terminated; NULL when it cannot be read. */
char *file_read(const char *path, size_t *len);

#endif
