/* error.c: filling and clearing tmpl_error values. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "error.h"

void tmpl_error_init(tmpl_error *e)
{
	memset(e, 0, sizeof(*e));
}

void tmpl_error_clear(tmpl_error *e)
{
	free(e->msg);
	free(e->file);
	tmpl_error_init(e);
}

int tmpl_error_set(tmpl_error *e, tmpl_errkind kind, const char *file, int line, int col,
		   const char *fmt, ...)
{
	if (!e)
		return -1;
	tmpl_error_clear(e);
	sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	e->kind = kind;
	e->msg = sbuf_detach(&b, NULL);
	if (file) {
		sbuf f = SBUF_INIT;
		sbuf_puts(&f, file);
		e->file = sbuf_detach(&f, NULL);
	}
	e->line = line;
	e->col = col;
	return -1;
}
