/* func.c: the function libraries: which tables each named library holds, and lookups in them as Go's template lookup does. */
#include "func.h"

#include "sprig.h"

#include <stdio.h>
#include <string.h>

static const tmpl_func *const go_tables[] = {builtin_funcs};
/* sprig's families join this list as they are written (stdlib/sprig_*.c). */
static const tmpl_func *const sprig_tables[] = {builtin_funcs, sprig_strings_funcs,
						   sprig_defaults_funcs, sprig_lists_funcs,
						   sprig_math_funcs,
						   sprig_random_funcs, sprig_crypto_funcs, sprig_x509_funcs,
						   sprig_dicts_funcs, sprig_reflect_funcs,
						   sprig_encoding_funcs, sprig_json_funcs, sprig_paths_funcs, sprig_url_funcs, sprig_os_funcs,
						   sprig_dates_funcs,
						   sprig_regex_funcs, sprig_semver_funcs,
};
static const tmpl_func *const istio11_tables[] = {builtin_funcs, istio_funcs};
static const tmpl_func *const helm_tables[] = {helm_funcs};
static const tmpl_func *const istio_tables[] = {istio_latest_funcs};

#define N(t) (sizeof t / sizeof t[0])
#define LIB(name, about, t) {name, about, t, N(t), NULL, 0, NULL}
/* a library over sprig's (libraries[1]): its own tables, then sprig's less hidden */
#define ON_SPRIG(name, about, t, hidden) {name, about, t, N(t), sprig_base, 1, hidden}
static const tmpl_library *const sprig_base[];
static const tmpl_library libraries[] = {
	LIB("go", "Go's builtin functions only (text/template)", go_tables),
	LIB("sprig", "Go's builtins and sprig's functions", sprig_tables),
	ON_SPRIG("helm", "sprig's with Helm 3's changes (no env, expandenv; toYaml, include...)",
		 helm_tables, helm_hidden),
	LIB("istio-1.1", "Go's builtins and Istio 1.1's injection functions", istio11_tables),
	ON_SPRIG("istio", "sprig's, then the newest Istio's injection functions", istio_tables,
		 NULL),
};
static const tmpl_library *const sprig_base[] = {&libraries[1]};

const tmpl_library *func_library(const char *name)
{
	for (size_t i = 0; i < sizeof libraries / sizeof libraries[0]; i++)
		if (strcmp(libraries[i].name, name) == 0)
			return &libraries[i];
	return NULL;
}

const tmpl_library *func_libraries(size_t *n)
{
	*n = sizeof libraries / sizeof libraries[0];
	return libraries;
}

const tmpl_library *func_default_library(void)
{
	return func_library("istio-1.1");
}

static const tmpl_func *func_in_table(const tmpl_func *t, const char *name, size_t len)
{
	for (const tmpl_func *f = t; f->name; f++)
		if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
			return f;
	return NULL;
}

static bool func_hidden(const tmpl_library *lib, const char *name, size_t len)
{
	for (const char *const *h = lib->hidden; h && *h; h++)
		if (strlen(*h) == len && memcmp(*h, name, len) == 0)
			return true;
	return false;
}

const tmpl_func *func_lookup_in(const tmpl_library *lib, const char *name, size_t len)
{
	for (size_t t = lib->ntables; t > 0; t--) {
		const tmpl_func *f = func_in_table(lib->tables[t - 1], name, len);
		if (f)
			return f;
	}
	if (func_hidden(lib, name, len))
		return NULL;
	for (size_t b = lib->nbases; b > 0; b--) {
		const tmpl_func *f = func_lookup_in(lib->bases[b - 1], name, len);
		if (f)
			return f;
	}
	return NULL;
}

void func_each_table(const tmpl_library *lib, void (*fn)(const tmpl_func *table, void *arg),
		     void *arg)
{
	for (size_t t = 0; t < lib->ntables; t++)
		fn(lib->tables[t], arg);
	for (size_t b = 0; b < lib->nbases; b++)
		func_each_table(lib->bases[b], fn, arg);
}

size_t func_distance(const char *a, size_t na, const char *b, size_t nb, size_t limit)
{
	size_t d[3][64]; /* rows i-2, i-1, i of the table, by i % 3 */
	if (na >= 64 || nb >= 64 || (na > nb ? na - nb : nb - na) > limit)
		return limit + 1;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];
		size_t best = cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return d[na % 3][nb];
}

typedef struct func_near {
	const tmpl_library *lib;
	const char *name;
	size_t len, limit, best;
	const char *found;
} func_near;

static void func_near_in(const tmpl_func *t, void *arg)
{
	func_near *n = arg;
	for (const tmpl_func *f = t; f->name; f++) {
		size_t fl = strlen(f->name);
		size_t d = func_distance(n->name, n->len, f->name, fl, n->limit);
		/* on a tie, a name of the typed length (a swap or a slip of a key);
		 * never a name the library hides */
		if ((d < n->best || (d == n->best && n->found && fl == n->len &&
				     strlen(n->found) != n->len)) &&
		    func_lookup_in(n->lib, f->name, fl)) {
			n->best = d;
			n->found = f->name;
		}
	}
}

void func_hint(const tmpl_library *lib, const char *name, size_t len, char *buf, size_t size)
{
	buf[0] = 0;
	for (size_t i = 0; i < sizeof libraries / sizeof libraries[0]; i++)
		if (&libraries[i] != lib && func_lookup_in(&libraries[i], name, len)) {
			snprintf(buf, size, "%s has it: --funcs %s", libraries[i].name,
				 libraries[i].name);
			return;
		}
	/* a typo: the nearest name, at most two edits (one for short names) away */
	func_near near = {lib, name, len, len <= 4 ? 1 : 2, 0, NULL};
	near.best = near.limit + 1;
	func_each_table(lib, func_near_in, &near);
	if (near.found)
		snprintf(buf, size, "did you mean \"%s\"?", near.found);
}

int func_arity(const tmpl_func *fn, size_t nargs, bool piped, char *buf, size_t size)
{
	size_t numin = nargs + (piped ? 1 : 0);
	if (fn->max_args < 0) {
		/* Go counts only the written arguments in this one */
		if (numin < (size_t)fn->min_args) {
			snprintf(buf, size, "wrong number of args for %s: want at least %d got %zu",
				 fn->name, fn->min_args, nargs);
			return -1;
		}
	} else if (numin < (size_t)fn->min_args || numin > (size_t)fn->max_args) {
		/* Go functions have a fixed arity; a row with a range of counts
		 * (not Go's) names the bound that was missed */
		int want = numin < (size_t)fn->min_args ? fn->min_args : fn->max_args;
		snprintf(buf, size, "wrong number of args for %s: want %d got %zu", fn->name, want,
			 numin);
		return -1;
	}
	return 0;
}
