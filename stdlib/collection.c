/* collection.c: builtin functions (being implemented). */
#include "builtin.h"

int bi_len(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_index(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_slice(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_call(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

