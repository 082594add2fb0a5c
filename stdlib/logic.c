/* logic.c: builtin functions (being implemented). */
#include "builtin.h"

int bi_and(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_or(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_not(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

