/* print.c: print, printf, println: Go's fmt.Sprint, Sprintf, Sprintln. */
#include "builtin.h"

#include "fmt.h"

/* The result string is copied into the render's arena. */
static int print_result(tmpl_call *c, sbuf *b, const tv **r)
{
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

int bi_print(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	fmt_sprint(b, c->args, c->nargs);
	return print_result(c, b, r);
}

int bi_println(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	fmt_sprintln(b, c->args, c->nargs);
	return print_result(c, b, r);
}

/* The evaluator has checked that the first argument is a string. */
int bi_printf(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	const tv *f = c->args[0];
	fmt_sprintf(b, f->u.s.ptr, f->u.s.len, c->args + 1, c->nargs - 1);
	return print_result(c, b, r);
}
