/* tmpl_set.c: a template set: named trees from one or more texts, Go's redefinition rules, execution entry. */
#include "tmpl_set.h"

#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "func.h"
#include "parse.h"
#include "tmpl.h"
#include "tmpl_funcs.h"

static int set_libs(tmpl_set *s, const tmpl_library *const *libs, size_t n);

tmpl_set *tmpl_set_new(void)
{
	tmpl_set *s = calloc(1, sizeof(*s));
	if (!s)
		tmpl_out_of_memory();
	s->arena = arena_new();
	const tmpl_library *def = func_default_library();
	if (set_libs(s, &def, 1) != 0)
		tmpl_out_of_memory();
	return s;
}

/* The set's library: bases libs[0..n), the embedder's tables kept. */
static int set_libs(tmpl_set *s, const tmpl_library *const *libs, size_t n)
{
	const tmpl_library **b = malloc((n ? n : 1) * sizeof *b);
	if (!b)
		return -1;
	memcpy(b, libs, n * sizeof *b);
	free((void *)s->lib.bases);
	s->lib.name = "";
	s->lib.bases = b;
	s->lib.nbases = n;
	return 0;
}

int tmpl_set_libraries(tmpl_set *s, const char *const *names, size_t n, tmpl_error *err)
{
	const tmpl_library *local[8];
	const tmpl_library **libs = n <= 8 ? local : malloc(n * sizeof *libs);
	if (!libs)
		tmpl_out_of_memory();
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *name = names[i] ? names[i] : "";
		libs[i] = func_library(name);
		if (libs[i])
			continue;
		sbuf all_names = SBUF_INIT;
		size_t nall;
		const tmpl_library *all = func_libraries(&nall);
		for (size_t j = 0; j < nall; j++)
			sbuf_printf(&all_names, "%s%s", j ? ", " : "", all[j].name);
		rc = tmpl_error_set(err, TMPL_ERR_USAGE, NULL, 0, 0,
				    "unknown function library \"%s\" (there are %s)", name,
				    all_names.buf);
		sbuf_free(&all_names);
	}
	if (rc == 0 && s->n > 0)
		rc = tmpl_error_set(err, TMPL_ERR_USAGE, NULL, 0, 0,
				    "the function library is chosen before any template is parsed");
	if (rc == 0 && set_libs(s, libs, n) != 0)
		tmpl_out_of_memory();
	if (libs != local)
		free(libs);
	return rc;
}

int tmpl_set_funcs(tmpl_set *s, const char *library, tmpl_error *err)
{
	const char *name = library ? library : "";
	return tmpl_set_libraries(s, &name, 1, err);
}

int tmpl_set_add_funcs(tmpl_set *s, const tmpl_func *table, tmpl_error *err)
{
	if (!table)
		return tmpl_error_set(err, TMPL_ERR_USAGE, NULL, 0, 0, "no function table");
	if (s->n > 0)
		return tmpl_error_set(err, TMPL_ERR_USAGE, NULL, 0, 0,
				      "functions are added before any template is parsed");
	const tmpl_func **t = realloc((void *)s->lib.tables, (s->lib.ntables + 1) * sizeof *t);
	if (!t)
		tmpl_out_of_memory();
	t[s->lib.ntables++] = table;
	s->lib.tables = t;
	return 0;
}

void tmpl_set_free(tmpl_set *s)
{
	if (!s)
		return;
	arena_free(s->arena);
	free(s->entries);
	free((void *)s->lib.bases);
	free((void *)s->lib.tables);
	free(s);
}

int tmpl_set_option(tmpl_set *s, const char *opt, tmpl_error *err)
{
	if (!opt || !*opt)
		return tmpl_error_set(err, TMPL_ERR_USAGE, NULL, 0, 0, "empty option string");
	if (strcmp(opt, "missingkey=default") == 0 || strcmp(opt, "missingkey=invalid") == 0)
		s->missingkey = TMPL_MISSING_INVALID;
	else if (strcmp(opt, "missingkey=zero") == 0)
		s->missingkey = TMPL_MISSING_ZERO;
	else if (strcmp(opt, "missingkey=error") == 0)
		s->missingkey = TMPL_MISSING_ERROR;
	else
		return tmpl_error_set(err, TMPL_ERR_USAGE, NULL, 0, 0, "unrecognized option: %s", opt);
	return 0;
}

static set_entry *set_find(const tmpl_set *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->entries[i].name) == len && memcmp(s->entries[i].name, name, len) == 0)
			return &s->entries[i];
	return NULL;
}

const ast_tree *set_lookup(const tmpl_set *s, const char *name, size_t len)
{
	set_entry *e = set_find(s, name, len);
	return e ? e->tree : NULL;
}

/* Go's Template.associate: a later definition replaces an earlier one, except
 * that an empty body never replaces a non-empty one. */
static void set_add(tmpl_set *s, const ast_tree *t)
{
	set_entry *e = set_find(s, t->name, strlen(t->name));
	if (e) {
		if (ast_is_empty(t->root) && e->tree && !ast_is_empty(e->tree->root))
			return;
		e->tree = t;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		set_entry *ne = realloc(s->entries, s->cap * sizeof(*ne));
		if (!ne)
			tmpl_out_of_memory();
		s->entries = ne;
	}
	s->entries[s->n].name = t->name;
	s->entries[s->n].tree = t;
	s->n++;
}

int tmpl_set_parse(tmpl_set *s, const char *name, const char *text, size_t len,
		   const char *ldelim, const char *rdelim, tmpl_error *err)
{
	ast_tree **trees = NULL;
	size_t n = 0;
	if (parse_text(s->arena, &s->lib, name, text, len, ldelim, rdelim, &trees, &n, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		set_add(s, trees[i]);
	return 0;
}

int set_clone_parse(const tmpl_set *s, tmpl_arena *a, const char *name, const char *text,
		    size_t len, tmpl_set *clone, tmpl_error *err)
{
	*clone = *s;
	clone->arena = a;
	clone->cap = s->n + 4;
	clone->entries = malloc(clone->cap * sizeof *clone->entries);
	if (!clone->entries)
		tmpl_out_of_memory();
	memcpy(clone->entries, s->entries, s->n * sizeof *s->entries);
	return tmpl_set_parse(clone, name, text, len, NULL, NULL, err);
}

void set_clone_release(tmpl_set *clone)
{
	free(clone->entries);
	clone->entries = NULL;
}

int tmpl_set_has(const tmpl_set *s, const char *name)
{
	return set_lookup(s, name, strlen(name)) != NULL;
}

int tmpl_execute(const tmpl_set *s, const char *name, const tv *data, sbuf *out,
		 tmpl_error *err)
{
	return tmpl_execute_opts(s, name, data, NULL, out, err);
}

int tmpl_execute_opts(const tmpl_set *s, const char *name, const tv *data,
		      const tmpl_exec_opts *opts, sbuf *out, tmpl_error *err)
{
	const ast_tree *t = set_lookup(s, name, strlen(name));
	if (!t)
		return tmpl_error_set(err, TMPL_ERR_EXEC, name, 0, 0,
				      "template: %s: \"%s\" is an incomplete or empty template", name,
				      name);
	tmpl_arena *scratch = arena_new();
	int rc = eval_execute(s, t, data, opts, out, scratch, err);
	arena_free(scratch);
	return rc;
}
