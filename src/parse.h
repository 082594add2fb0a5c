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
int parse_text(tmpl_arena *a, const struct tmpl_library *lib, const char *name, const char *text,
	       size_t len, const char *ldelim, const char *rdelim, ast_tree ***trees,
	       size_t *ntrees, tmpl_error *err);

#endif
