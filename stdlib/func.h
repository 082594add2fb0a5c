/* func.h: how a template-callable function is described and called; every function is a row in a table, tables form named libraries.
 *
 * The evaluator checks arity from the row, evaluates the arguments (all of
 * them, left to right, except for FN_LAZY functions, which pull them one by
 * one), calls fn, and wraps an error the function reports as Go does:
 * "error calling NAME: MESSAGE".
 */
#ifndef TMPL_FUNC_H
#define TMPL_FUNC_H

#include <stddef.h>
#include <stdint.h>

#include "../src/arena.h"
#include "../src/tmpl_value.h"

typedef struct tmpl_call tmpl_call;
typedef struct tmpl_func tmpl_func;

/* fn returns 0 and sets *result (NOVALUE allowed), or returns -1 after
 * tmpl_call_errorf. */
typedef int (*tmpl_fn)(tmpl_call *c, const tv **result);

enum {
	FN_LAZY = 1u << 0,        /* and/or: arguments evaluated on demand */
	FN_ARG0_STRING = 1u << 1, /* printf: first parameter is a Go string */
	/* changes a value it was given (sprig's set, unset, append on a dict...):
	 * what the call stores may be a value of the running range iteration, so
	 * the iteration keeps its values (see range_once in src/eval.c) */
	FN_MUTATES = 1u << 2
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
/* A function about to make bytes of result (repeat, until...) asks first:
 * 0 when the render's memory bound allows them, else -1 with the bound's
 * error recorded, before a single huge allocation could end the process. */
int tmpl_call_budget(tmpl_call *c, uint64_t bytes);
/* Record "error calling NAME: MESSAGE"; returns -1. */
int tmpl_call_errorf(tmpl_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record an argument that does not suit its Go parameter type as Go's
 * evaluator words it, without the "error calling" prefix ("wrong type for
 * value; expected string; got int"); returns -1. */
int tmpl_call_typef(tmpl_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A function library: a name and tables of functions, looked up as Go looks
 * up a template's functions: the set's FuncMap first, a later Funcs call
 * winning over an earlier one, Go's builtins last. Here: the last table that
 * has the name wins; builtin_funcs is each library's first table. */
typedef struct tmpl_library {
	const char *name;
	const char *about; /* one line for --help */
	const tmpl_func *const *tables;
	size_t ntables;
} tmpl_library;

/* The library of that name ("go", "sprig", "istio-1.1"), or NULL. */
const tmpl_library *func_library(const char *name);
/* Every library, in the order --help lists them; *n is their count. */
const tmpl_library *func_libraries(size_t *n);
/* The library a set has when none is chosen (Go's builtins and Istio 1.1's
 * functions: what the engine had before libraries were chosen per set). */
const tmpl_library *func_default_library(void);
/* The function named name[0..len) in lib, or NULL. */
const tmpl_func *func_lookup_in(const tmpl_library *lib, const char *name, size_t len);
/* For an undefined name: a hint beyond Go's "function NAME not defined",
 * written into buf: the other libraries that have it ("sprig has it: --funcs
 * sprig"), or the nearest name of lib ("did you mean \"quote\"?"); "" if none. */
void func_hint(const tmpl_library *lib, const char *name, size_t len, char *buf, size_t size);

/* Tables, each ending with a row whose name is NULL. */
extern const tmpl_func builtin_funcs[]; /* stdlib/builtin.c: Go's predefined functions */
extern const tmpl_func istio_funcs[];   /* stdlib/istio.c: Istio's injection template functions */

#endif
