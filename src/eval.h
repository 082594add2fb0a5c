/* eval.h: the tree-walking evaluator; all mutable state lives in one per-render state. */
#ifndef TMPL_EVAL_H
#define TMPL_EVAL_H

#include "tmpl_set.h"
#include "tmpl.h"

/* Execute tree with dot = data, appending output to out, within the bounds of
 * opts (NULL: none). Values created while rendering are allocated from
 * scratch (the caller resets or frees it).
 * Errors: kind TMPL_ERR_EXEC with Go's text
 * "template: FILE:LINE:COL: executing \"NAME\" at <NODE>: MESSAGE". */
int eval_execute(const tmpl_set *set, const ast_tree *tree, const tv *data,
		 const tmpl_exec_opts *opts, sbuf *out, tmpl_arena *scratch, tmpl_error *err);

#endif
