/* func.h: the function libraries: tables of template-callable functions (their rows and calls: tmpl_funcs.h) grouped into named libraries. */
#ifndef TMPL_FUNC_H
#define TMPL_FUNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/arena.h"
#include "../src/tmpl_funcs.h"
#include "../src/tmpl_value.h"

/* A function library: a name and tables of functions, looked up as Go looks
 * up a template's functions: the set's FuncMap first, a later Funcs call
 * winning over an earlier one, Go's builtins last. Here: the last table that
 * has the name wins; then, unless the name is one of hidden, the bases (the
 * last first). A library built on another names it as its base and lists
 * what it removes in hidden (Helm deletes sprig's env and expandenv), so
 * families added to the base reach it without a copy of the base's tables.
 * A set's own functions are a library too (tmpl_set.c): its bases the libraries
 * it chose, its tables the embedder's. */
typedef struct tmpl_library {
	const char *name;
	const char *about; /* one line for --help */
	const tmpl_func *const *tables;
	size_t ntables;
	const struct tmpl_library *const *bases;
	size_t nbases;
	const char *const *hidden; /* NULL-terminated, or NULL */
} tmpl_library;

/* The library of that name ("go", "sprig", "helm", "istio", "istio-1.1"), or NULL. */
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

/* Edits from a to b (insert, delete, replace, swap two neighbours: the optimal
 * string alignment distance), or limit + 1 once past limit (names are short):
 * how far a typo is from a name, for "did you mean" (also --check's
 * template names, check_set.c). */
size_t func_distance(const char *a, size_t na, const char *b, size_t nb, size_t limit);
/* Go's evalCall arity check of fn called with nargs written arguments, and
 * the previous command's value as the last when piped: 0 when the count
 * suits the row, else -1 with Go's "wrong number of args for NAME: want N
 * got M" in buf. The evaluator and --check (check_set.c) both word it here. */
int func_arity(const tmpl_func *fn, size_t nargs, bool piped, char *buf, size_t size);

/* Tables, each ending with a row whose name is NULL. */
extern const tmpl_func builtin_funcs[]; /* stdlib/builtin.c: Go's predefined functions */
extern const tmpl_func istio_funcs[];   /* stdlib/istio.c: Istio 1.1's injection template functions */
extern const tmpl_func istio_latest_funcs[]; /* stdlib/istio.c: the newest Istio's, over sprig's */
extern const tmpl_func helm_funcs[];    /* stdlib/helm.c: Helm 3's additions to sprig's */
extern const char *const helm_hidden[]; /* stdlib/helm.c: sprig's functions Helm deletes */
/* Call fn(table, arg) for every table lib can reach (its own, then its
 * bases', recursively), hidden names included. */
void func_each_table(const tmpl_library *lib, void (*fn)(const tmpl_func *table, void *arg),
		     void *arg);

#endif
