/* parse.h: turn one template text into named trees, with Go's parse errors. */
#ifndef TMPL_PARSE_H
#define TMPL_PARSE_H

#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "tmpl.h"

struct tmpl_library;

/* Parse text as template NAME with delimiters ldelim/rdelim (NULL or "" =
 * "{{" / "}}"), its function names looked up in lib. On success *trees holds the text's templates: its main tree
 * (named NAME) and every define/block, after Go's parse-time redefinition
 * rules (an empty body never replaces a non-empty one; two non-empty bodies
 * are `template: multiple definition of template "N"`). All memory comes from
 * arena a. Errors: kind TMPL_ERR_PARSE, msg "template: NAME:LINE: MESSAGE",
 * file = NAME, line set, col = column where known (else 0). */
/* What --check (check.c) asks of a parse: mistakes Go stops at but after
 * which the tree is still sound (an undefined function or variable, a second
 * definition of a template) go to soft with a stable code, Go's text without
 * the "template: NAME:LINE: " prefix, the 1-based place and a hint ("" if
 * none), and parsing goes on; an undefined function's node has fn NULL.
 * Such trees are for checking only, never for execution. */
typedef struct parse_hooks {
	void (*soft)(void *arg, const char *code, uint32_t line, uint32_t col, const char *msg,
		     const char *hint);
	void *arg;
} parse_hooks;

int parse_text(tmpl_arena *a, const struct tmpl_library *lib, const char *name, const char *text,
	       size_t len, const char *ldelim, const char *rdelim, ast_tree ***trees,
	       size_t *ntrees, tmpl_error *err);
/* parse_text with hooks (NULL: parse_text); on a hard error *fail_pos is the
 * byte offset of the token the parser stopped at (len at the end). */
int parse_text_hooks(tmpl_arena *a, const struct tmpl_library *lib, const char *name,
		     const char *text, size_t len, const char *ldelim, const char *rdelim,
		     const parse_hooks *hooks, ast_tree ***trees, size_t *ntrees,
		     tmpl_error *err, uint32_t *fail_pos);

#endif
