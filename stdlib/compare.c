/* compare.c: builtin functions (being implemented). */
#include "builtin.h"

int bi_eq(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_ne(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_lt(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_le(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_gt(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_ge(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

