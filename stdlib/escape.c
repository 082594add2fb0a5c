/* escape.c: builtin functions (being implemented). */
#include "builtin.h"

int bi_html(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_js(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

int bi_urlquery(tmpl_call *c, const tv **r)
{
	(void)c;
	*r = TV_NOVALUE;
	return 0;
}

