/* tmpl_funcs.h: libtmpl's public API for functions: how a template-callable C function is described and called, and how a set chooses its function libraries and adds its own.
 *
 * As Go's Template.Funcs, a set's functions are chosen before its first
 * text is parsed: an ordered list of named libraries ("go", "sprig",
 * "helm", "istio", "istio-1.1"), then any tables of the embedder's own C
 * functions. A name is looked up in the embedder's tables (the last added
 * first), then in the libraries (the last named first): a later table
 * overrides an earlier one and Go's builtins (each library's first table),
 * as a later Funcs call does in Go. Nothing here is global or mutable: the
 * choice belongs to one set, and the tables are the caller's read-only data,
 * which must outlive the set.
 *
 * The evaluator checks arity from the row, evaluates the arguments (all of
 * them, left to right, except for FN_LAZY functions, which pull them one by
 * one), calls fn, and wraps an error the function reports as Go does:
 * "error calling NAME: MESSAGE".
 */
#ifndef TMPL_FUNCS_H
#define TMPL_FUNCS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "tmpl.h"
#include "tmpl_value.h"

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

/* One row of a table; a table ends with a row whose name is NULL. */
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
/* Nested renders, for functions that render templates (Helm's include and
 * tpl). Each is a render of its own, as Go's ExecuteTemplate is (its own
 * variables; its errors in Go's text, in *err, for the caller to wrap with
 * tmpl_call_errorf), within the calling render's bounds (steps, memory,
 * time, cancel; a bound reached inside ends the calling render as well, and
 * the caller's tmpl_call_errorf then leaves that error as it is). Nesting
 * is bounded by Go's template depth (100000).
 *
 * Render template NAME of the calling set with dot = data into out.
 * Returns 0; 1 when the set has no such template (nothing set: the caller
 * words it); -1 with *err set. */
int tmpl_call_execute(tmpl_call *c, const char *name, size_t len, const tv *data, sbuf *out,
		      tmpl_error *err);
/* Parse text as a new template NAME (default delimiters) in a copy of the
 * calling set (its templates, functions and options, missingkey replaced;
 * the set itself is unchanged) and render it with dot = data into out, as
 * Helm's tpl does with Template.Clone, Option, New(NAME).Parse and Execute.
 * Returns 0; -1 with *err set to Go's parse or execution error. */
int tmpl_call_parse_execute(tmpl_call *c, const char *name, const char *text, size_t len,
			    tmpl_missingkey missingkey, const tv *data, sbuf *out,
			    tmpl_error *err);
/* How many nested renders of template NAME (tmpl_call_execute) are under
 * way around this call: Helm bounds include's recursion per name with it. */
size_t tmpl_call_active(tmpl_call *c, const char *name, size_t len);

/* Choose the set's libraries, in order (the last named wins), by name:
 * "go", "sprig", "helm", "istio", "istio-1.1". Before any text is parsed.
 * An unknown name is a TMPL_ERR_USAGE error. */
int tmpl_set_libraries(tmpl_set *s, const char *const *names, size_t n, tmpl_error *err);
/* Add a table of the embedder's own functions (ending with a NULL name),
 * looked up before the libraries and any table added earlier. Before any
 * text is parsed. */
int tmpl_set_add_funcs(tmpl_set *s, const tmpl_func *table, tmpl_error *err);

#endif
