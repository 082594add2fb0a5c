/* func.h: how a template-callable function is described and called; every function is a row in a table.
 *
 * The evaluator checks arity from the row, evaluates the arguments (all of
 * them, left to right, except for FN_LAZY functions, which pull them one by
 * one), calls fn, and wraps an error the function reports as Go does:
 * "error calling NAME: MESSAGE".
 */
#ifndef TMPL_FUNC_H
#define TMPL_FUNC_H

#include <stddef.h>

#include "../src/arena.h"
#include "../src/tmpl_value.h"

typedef struct tmpl_call tmpl_call;
typedef struct tmpl_func tmpl_func;

/* fn returns 0 and sets *result (NOVALUE allowed), or returns -1 after
 * tmpl_call_errorf. */
typedef int (*tmpl_fn)(tmpl_call *c, const tv **result);

enum {
	FN_LAZY = 1u << 0,        /* and/or: arguments evaluated on demand */
	FN_ARG0_STRING = 1u << 1  /* printf: first parameter is a Go string */
};

struct tmpl_func {
	const char *name;
	int min_args;  /* fixed arity when max_args == min_args */
	int max_args;  /* -1: variadic */
	unsigned flags;
	tmpl_fn fn;
};

struct tmpl_call {
	const tmpl_func *fn;
	tmpl_arena *arena; /* the render's arena: results are allocated here */
	const tv **args;   /* evaluated arguments (NOVALUE = NULL); unset for FN_LAZY */
	size_t nargs;      /* number of arguments, the piped value included */
	void *state;       /* the evaluator's; opaque here */
};

/* FN_LAZY functions: evaluate argument i now (0 <= i < nargs). Returns 0, or
 * -1 when evaluating it failed (the error is already recorded: return -1). */
int tmpl_call_arg(tmpl_call *c, size_t i, const tv **out);
/* Record "error calling NAME: MESSAGE"; returns -1. */
int tmpl_call_errorf(tmpl_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record an argument that does not suit its Go parameter type as Go's
 * evaluator words it, without the "error calling" prefix ("wrong type for
 * value; expected string; got int"); returns -1. */
int tmpl_call_typef(tmpl_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The function named name[0..len), or NULL (stdlib/func.c searches every table). */
const tmpl_func *func_lookup(const char *name, size_t len);

/* Tables, each ending with a row whose name is NULL. */
extern const tmpl_func builtin_funcs[]; /* stdlib/builtin.c: Go's predefined functions */
extern const tmpl_func istio_funcs[];   /* stdlib/istio.c: Istio's injection template functions */

#endif
