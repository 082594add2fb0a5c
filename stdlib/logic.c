/* logic.c: and, or, not: Go's truth rules; and/or return the deciding operand. */
#include "builtin.h"

/* and/or pull their operands one at a time and stop at the deciding one
 * (since Go 1.18); the result is the operand itself, not a bool. */
static int logic_pick(tmpl_call *c, const tv **r, bool stop_on)
{
	const tv *v = TV_NOVALUE;
	for (size_t i = 0; i < c->nargs; i++) {
		if (tmpl_call_arg(c, i, &v) < 0)
			return -1;
		if (tv_truth(v) == stop_on)
			break;
	}
	*r = v;
	return 0;
}

int bi_and(tmpl_call *c, const tv **r)
{
	return logic_pick(c, r, false);
}

int bi_or(tmpl_call *c, const tv **r)
{
	return logic_pick(c, r, true);
}

int bi_not(tmpl_call *c, const tv **r)
{
	*r = tv_bool(!tv_truth(c->args[0]));
	return 0;
}
