/* print.c: builtin functions (being implemented). */
#include "builtin.h"

int bi_print(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_printf(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_println(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

