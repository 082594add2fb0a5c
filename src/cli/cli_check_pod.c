/* cli_check_pod.c: tmplrender --check --types/--pod: the template set rendered for the sample pod with its writes traced, a failed render or the rendered output's mistakes added to --check's diagnostics. */
#include "cli_check_pod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "types.h"

/* The file of a template name (files[0] when none has it) and its index. */
static size_t file_of(const char *name, const char *const *names, int nfiles)
{
	for (int i = 0; name && i < nfiles; i++)
		if (strcmp(names[i], name) == 0)
			return (size_t)i;
	return 0;
}

int cli_check_pod(check_run *cr, tmpl_set *set, const cli_pod *pod, char **files, int nfiles,
		  const char *const *names, const char *ldelim, const char *rdelim,
		  const tmpl_exec_opts *lim, const char *prog)
{
	tmpl_error err;
	tmpl_error_init(&err);
	/* a text that does not parse is already reported by the static checks */
	for (int i = 0; i < nfiles; i++) {
		size_t len;
		char *text = file_read(files[i], &len, FILE_WORDS_C, &err);
		if (!text)
			goto quiet;
		int prc = tmpl_set_parse(set, names[i], text, len, ldelim, rdelim, &err);
		free(text);
		if (prc != 0)
			goto quiet;
	}
	tmpl_arena *a = arena_new();
	const tv *data;
	int rc = 0;
	if (cli_pod_data(a, pod, &data, &err) != 0) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		rc = 1;
		goto out;
	}
	tmpl_exec_opts o = *lim;
	tmpl_trace trace = {0};
	o.trace = &trace;
	o.flush = NULL;
	sbuf text = SBUF_INIT;
	if (tmpl_execute_opts(set, names[0], data, &o, &text, &err) != 0) {
		size_t i = file_of(err.file, names, nfiles);
		/* Go's "template: NAME:LINE:COL: " goes: the diagnostic says where */
		char pre[512];
		const char *msg = err.msg;
		snprintf(pre, sizeof pre, "template: %s:%d:%d: ", err.file ? err.file : "", err.line,
			 err.col - 1);
		if (strncmp(msg, pre, strlen(pre)) == 0)
			msg += strlen(pre);
		/* err.col is 1-based, Go's message's 0-based */
		check_add(cr, files[i], i, err.line > 0 ? (uint32_t)err.line : 1,
			  err.col > 0 ? (uint32_t)err.col : 1, CHECK_ERROR, "render-error", msg,
			  "the template fails for this pod: the message says where and why");
	} else {
		check_rendered(cr, text.buf ? text.buf : "", text.len, &trace,
			       types_lookup(cli_pod_output_type(pod)), names,
			       (const char *const *)files, (size_t)nfiles);
	}
	sbuf_free(&text);
	tmpl_trace_free(&trace);
out:
	arena_free(a);
	tmpl_error_clear(&err);
	return rc;
quiet:
	tmpl_error_clear(&err);
	return 0;
}
