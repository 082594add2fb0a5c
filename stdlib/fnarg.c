/* fnarg.c: Go's validateType for the parameter types library functions declare (string, int). */
#include "fnarg.h"

#include <string.h>

#include "builtin.h"
#include "types.h"

const char *fnarg_type_name(const tv *v)
{
	if (v && v->type && v->type->go_name)
		return v->type->go_name;
	if (v && v->kind == TV_NULL)
		return "interface {}";
	return tv_type_name(v);
}

int fnarg_type_error(tmpl_call *c, const char *want, const tv *got)
{
	if (!got)
		return tmpl_call_typef(c, "invalid value; expected %s", want);
	return tmpl_call_typef(c, "wrong type for value; expected %s; got %s", want,
			       fnarg_type_name(got));
}

int fnarg_param_error(tmpl_call *c, size_t i, const char *want)
{
	return tmpl_call_param_error(c, i, want, c->args[i]);
}

int fnarg_string(tmpl_call *c, size_t i, const char **s, size_t *len)
{
	const tv *v = c->args[i];
	/* a named string type (an enum's name...) is not assignable to string */
	if (!v || v->kind != TV_STRING ||
	    (v->type && v->type->go_name && strcmp(v->type->go_name, "string") != 0))
		return fnarg_param_error(c, i, "string");
	*s = v->u.s.ptr;
	*len = v->u.s.len;
	return 0;
}

int fnarg_int(tmpl_call *c, size_t i, int64_t *out)
{
	const tv *v = c->args[i];
	if (!v || v->kind != TV_INT ||
	    (v->type && v->type->go_name && strcmp(v->type->go_name, "int") != 0))
		return fnarg_param_error(c, i, "int");
	*out = v->u.i;
	return 0;
}

int fnarg_bool(tmpl_call *c, size_t i, bool *out)
{
	const tv *v = c->args[i];
	if (!v || v->kind != TV_BOOL ||
	    (v->type && v->type->go_name && strcmp(v->type->go_name, "bool") != 0))
		return fnarg_param_error(c, i, "bool");
	*out = v->u.b;
	return 0;
}
