/* error.h: libtmpl's one error type, below every other layer: what failed (kind), Go's or our text, and where; plus the out-of-memory exit.
 *
 * Every function that can fail returns 0 on success or -1 and fills a
 * tmpl_error; the library never prints (tmpl_out_of_memory aside).
 */
#ifndef TMPL_ERROR_H
#define TMPL_ERROR_H

typedef enum tmpl_errkind {
	TMPL_ERR_NONE = 0,
	TMPL_ERR_PARSE,  /* template syntax or static check */
	TMPL_ERR_EXEC,   /* template execution */
	TMPL_ERR_DATA,   /* YAML or values */
	TMPL_ERR_USAGE,  /* bad option or argument */
	TMPL_ERR_IO,     /* file system */
	TMPL_ERR_LIMIT,  /* execution stopped at a bound of tmpl_exec_opts */
	TMPL_ERR_CANCELLED /* execution stopped by tmpl_exec_opts.cancelled */
} tmpl_errkind;

/* An error: msg is the whole human text (Go's exact text for template
 * errors, "FILE:LINE:COL: ..." for data errors). file/line/col locate it
 * where known (line and col 1-based; 0 = unknown). */
typedef struct tmpl_error {
	tmpl_errkind kind;
	char *msg;  /* malloc'd; NULL when no error */
	char *file; /* malloc'd or NULL */
	int line;
	int col;
} tmpl_error;

void tmpl_error_init(tmpl_error *e);
void tmpl_error_clear(tmpl_error *e);
/* Set (replacing any earlier error); returns -1 for `return tmpl_error_set(...)`. */
int tmpl_error_set(tmpl_error *e, tmpl_errkind kind, const char *file, int line, int col,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Running out of memory: the library's allocations cannot fail, so
 * tmpl_out_of_memory writes "PROG: out of memory" on standard error and
 * exits with status 1 (render limits keep a runaway template far from it).
 * Programs set PROG once at start (default "libtmpl"). */
void tmpl_set_program_name(const char *name);
const char *tmpl_program_name(void);
_Noreturn void tmpl_out_of_memory(void);

#endif
