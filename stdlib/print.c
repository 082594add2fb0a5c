/* print.c: print, printf, println: Go's fmt.Sprint, Sprintf, Sprintln. */
#include "builtin.h"

#include "fmt.h"
#include "func.h"

/* The result string is copied into the render's arena. */
static int print_result(tmpl_call *c, int rc, sbuf *b, const tv **r)
{
	if (rc != 0)
		return tmpl_call_errorf(c, "%s", FMT_TOO_DEEP);
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

int bi_print(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	int rc = fmt_sprint(b, c->args, c->nargs);
	return print_result(c, rc, b, r);
}

int bi_println(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	int rc = fmt_sprintln(b, c->args, c->nargs);
	return print_result(c, rc, b, r);
}

/* The evaluator has checked that the first argument is a string. */
int bi_printf(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	const tv *f = c->args[0];
	int rc = fmt_sprintf(b, f->u.s.ptr, f->u.s.len, c->args + 1, c->nargs - 1);
	return print_result(c, rc, b, r);
}
