/* tmpl_set.h: the template set's internals (not installed), shared by tmpl_set.c, the evaluator and --check. */
#ifndef TMPL_SET_H
#define TMPL_SET_H

#include "arena.h"
#include "ast.h"
#include "func.h"
#include "tmpl.h"

typedef struct set_entry {
	const char *name;
	const ast_tree *tree;
} set_entry;

struct tmpl_set {
	tmpl_arena *arena;      /* owns every tree */
	set_entry *entries;     /* malloc'd; small sets, linear or hashed lookup */
	size_t n, cap;
	tmpl_missingkey missingkey;
	/* The functions its texts may call: a library whose bases are the
	 * chosen libraries and whose tables are the embedder's (malloc'd arrays) */
	tmpl_library lib;
};

/* The tree named name[0..len), or NULL. */
const ast_tree *set_lookup(const tmpl_set *s, const char *name, size_t len);

/* tpl's Template.Clone then Parse: *clone gets s's templates, functions and
 * options, then the templates of text parsed under name with the default
 * delimiters; its trees live in arena a (kept as long as a). Release with
 * set_clone_release, which leaves a and s alone. */
int set_clone_parse(const tmpl_set *s, tmpl_arena *a, const char *name, const char *text,
		    size_t len, tmpl_set *clone, tmpl_error *err);
void set_clone_release(tmpl_set *clone);

#endif
