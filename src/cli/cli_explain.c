/* cli_explain.c: tmplrender --explain: the rendered output, each line beside the template position (from the render's trace) that wrote it. */
#include "cli_explain.h"

#include <string.h>

const char *cli_files_path(const cli_files *f, const char *name)
{
	for (int i = 0; f && i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return f->paths[i];
	return name;
}

void cli_explain_where(sbuf *buf, const tmpl_trace *t, const cli_files *f, size_t off)
{
	const tmpl_span *s = tmpl_trace_find(t, off);
	if (!s)
		return;
	int line, col;
	tmpl_trace_where(s, off, &line, &col);
	sbuf_printf(buf, "%s:%d:%d", cli_files_path(f, s->name), line, col);
}

void cli_explain_print(FILE *fp, const char *out, size_t len, const tmpl_trace *t,
		       const cli_files *f)
{
	sbuf where = SBUF_INIT;
	size_t width = 0;
	/* two passes: the first finds the widest location, so the lines align */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t bol = 0; bol < len;) {
			const char *nl = memchr(out + bol, '\n', len - bol);
			size_t eol = nl ? (size_t)(nl - out) : len;
			size_t at = bol;
			while (at < eol && (out[at] == ' ' || out[at] == '\t'))
				at++;
			where.len = 0;
			sbuf_put(&where, "", 0);
			cli_explain_where(&where, t, f, at < eol ? at : bol);
			if (pass == 0) {
				if (where.len > width)
					width = where.len;
			} else {
				fprintf(fp, "%-*s | %.*s\n", (int)width, where.buf, (int)(eol - bol),
					out + bol);
			}
			bol = nl ? eol + 1 : len;
		}
	}
	sbuf_free(&where);
}
