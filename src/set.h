/* set.h: the template set's internals, shared by set.c and the evaluator. */
#ifndef TMPL_SET_H
#define TMPL_SET_H

#include "arena.h"
#include "ast.h"
#include "tmpl.h"

struct tmpl_library;

typedef struct set_entry {
	const char *name;
	const ast_tree *tree;
} set_entry;

struct tmpl_set {
	tmpl_arena *arena;      /* owns every tree */
	set_entry *entries;     /* malloc'd; small sets, linear or hashed lookup */
	size_t n, cap;
	tmpl_missingkey missingkey;
	const struct tmpl_library *lib; /* the functions its texts may call */
};

/* The tree named name[0..len), or NULL. */
const ast_tree *set_lookup(const tmpl_set *s, const char *name, size_t len);

#endif
