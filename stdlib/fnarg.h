/* fnarg.h: checks of a function's arguments against its Go parameter types, in the words of Go's text/template evaluator. */
#ifndef TMPL_FNARG_H
#define TMPL_FNARG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "func.h"

/* Go's %T of a value: the typed name when it has one; "interface {}" for a
 * nil element (Go sees the element's static type). */
const char *fnarg_type_name(const tv *v);
/* An argument that does not suit its Go parameter of type want ("string"):
 * "invalid value; expected string" for NOVALUE, else "wrong type for value;
 * expected string; got int"; returns -1. */
int fnarg_type_error(tmpl_call *c, const char *want, const tv *got);
/* Argument i does not suit its Go parameter of type want: Go's words, at
 * the argument's node (tmpl_call_param_error); returns -1. */
int fnarg_param_error(tmpl_call *c, size_t i, const char *want);
/* A Go string parameter: argument i's bytes. */
int fnarg_string(tmpl_call *c, size_t i, const char **s, size_t *len);
/* A Go int parameter. */
int fnarg_int(tmpl_call *c, size_t i, int64_t *out);
/* A Go bool parameter. */
int fnarg_bool(tmpl_call *c, size_t i, bool *out);

#endif
