/* sprig_defaults.c: sprig's default, empty, coalesce, ternary, all, any and fail over Go interface values. */
#include <string.h>

#include "fnarg.h"
#include "sprig.h"

/* default D [GIVEN]: GIVEN unless it is empty (or missing), else D. */
static int sd_default(tmpl_call *c, const tv **r)
{
	if (c->nargs < 2 || sprig_empty(c->args[1]))
		*r = c->args[0];
	else
		*r = c->args[1];
	return 0;
}

static int sd_empty(tmpl_call *c, const tv **r)
{
	*r = tv_bool(sprig_empty(c->args[0]));
	return 0;
}

static int sd_coalesce(tmpl_call *c, const tv **r)
{
	*r = TV_NOVALUE;
	for (size_t i = 0; i < c->nargs; i++)
		if (!sprig_empty(c->args[i])) {
			*r = c->args[i];
			break;
		}
	return 0;
}

static int sd_all(tmpl_call *c, const tv **r)
{
	bool all = true;
	for (size_t i = 0; i < c->nargs && all; i++)
		all = !sprig_empty(c->args[i]);
	*r = tv_bool(all);
	return 0;
}

static int sd_any(tmpl_call *c, const tv **r)
{
	bool any = false;
	for (size_t i = 0; i < c->nargs && !any; i++)
		any = !sprig_empty(c->args[i]);
	*r = tv_bool(any);
	return 0;
}

static int sd_ternary(tmpl_call *c, const tv **r)
{
	bool b;
	if (fnarg_bool(c, 2, &b) < 0)
		return -1;
	*r = b ? c->args[0] : c->args[1];
	return 0;
}

static int sd_fail(tmpl_call *c, const tv **r)
{
	(void)r;
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	return tmpl_call_errorf(c, "%.*s", (int)n, s);
}

const tmpl_func sprig_defaults_funcs[] = {
	{"all", 0, -1, 0, sd_all},
	{"any", 0, -1, 0, sd_any},
	{"coalesce", 0, -1, 0, sd_coalesce},
	{"default", 1, -1, 0, sd_default},
	{"empty", 1, 1, 0, sd_empty},
	{"fail", 1, 1, 0, sd_fail},
	{"ternary", 3, 3, 0, sd_ternary},
	{NULL, 0, 0, 0, NULL}
};
