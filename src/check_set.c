/* check_set.c: --check's checks of the whole set: templates called but defined nowhere, function calls with a number of arguments their row refuses, and templates one file's definition silently replaces in another's.
 *
 * The first two fail in Go only when the call is executed; here every call is judged,
 * executed or not. Arguments are counted as Go's evalCall counts them: the
 * words after the function's name, plus the previous command's value when
 * the command is not the first of its pipeline; a function named as an
 * argument, or in a chain, is called with none.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "func.h"

typedef struct check_walk {
	check_run *cr;
	const check_text *text;
} check_walk;

static void check_node(check_walk *w, const ast_node *n);

/* Is a template of that name defined? If not, *near is the nearest defined
 * name (as func_hint's: at most two edits, one for short names), or NULL. */
static int check_defined(const check_run *cr, const char *name, size_t len, const char **near)
{
	size_t limit = len <= 4 ? 1 : 2, best = limit + 1;
	*near = NULL;
	for (size_t i = 0; i < cr->ntexts; i++)
		for (size_t j = 0; j < cr->texts[i].ntrees; j++) {
			const char *t = cr->texts[i].trees[j]->name;
			size_t tl = strlen(t);
			if (tl == len && memcmp(t, name, len) == 0)
				return 1;
			size_t d = func_distance(name, len, t, tl, limit);
			if (d < best) {
				best = d;
				*near = t;
			}
		}
	return 0;
}

static void check_call(check_walk *w, const ast_node *ident, size_t nargs, int piped)
{
	const tmpl_func *fn = ident->u.ident.fn;
	char msg[200];
	if (!fn || func_arity(fn, nargs, piped, msg, sizeof msg) == 0)
		return;
	char hint[200];
	if (fn->max_args < 0)
		snprintf(hint, sizeof hint, "%s takes at least %d", fn->name, fn->min_args);
	else if (fn->min_args == fn->max_args)
		snprintf(hint, sizeof hint, "%s takes %d%s", fn->name, fn->min_args,
			 piped ? ", the piped value included" : "");
	else
		snprintf(hint, sizeof hint, "%s takes %d to %d%s", fn->name, fn->min_args,
			 fn->max_args, piped ? ", the piped value included" : "");
	check_add(w->cr, w->text->file, w->text->index, ident->line, ident->col + 1, CHECK_ERROR,
		  "arg-count", msg, hint);
}

/* An argument: a function named alone is called with no arguments. */
static void check_arg(check_walk *w, const ast_node *n)
{
	if (n->kind == AST_IDENT)
		check_call(w, n, 0, 0);
	else
		check_node(w, n);
}

static void check_pipe(check_walk *w, const ast_node *p)
{
	for (size_t i = 0; i < p->u.pipe.ncmds; i++) {
		const ast_node *cmd = p->u.pipe.cmds[i];
		if (cmd->u.cmd.n == 0)
			continue;
		const ast_node *first = cmd->u.cmd.args[0];
		if (first->kind == AST_IDENT)
			check_call(w, first, cmd->u.cmd.n - 1, i > 0);
		else
			check_node(w, first);
		for (size_t j = 1; j < cmd->u.cmd.n; j++)
			check_arg(w, cmd->u.cmd.args[j]);
	}
}

static void check_node(check_walk *w, const ast_node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case AST_LIST:
		for (size_t i = 0; i < n->u.list.n; i++)
			check_node(w, n->u.list.items[i]);
		break;
	case AST_ACTION:
		check_pipe(w, n->u.action.pipe);
		break;
	case AST_IF:
	case AST_RANGE:
	case AST_WITH:
		check_pipe(w, n->u.branch.pipe);
		check_node(w, n->u.branch.list);
		check_node(w, n->u.branch.else_list);
		break;
	case AST_TEMPLATE: {
		const char *near;
		if (!check_defined(w->cr, n->u.tmpl.name, n->u.tmpl.len, &near)) {
			char msg[300], hint[300];
			snprintf(msg, sizeof msg, "template \"%.*s\" not defined",
				 (int)(n->u.tmpl.len > 200 ? 200 : n->u.tmpl.len), n->u.tmpl.name);
			if (near)
				snprintf(hint, sizeof hint, "did you mean \"%.200s\"?", near);
			else
				snprintf(hint, sizeof hint,
					 "define it, or name on the command line the file that does");
			check_add(w->cr, w->text->file, w->text->index, n->line, n->col + 1,
				  CHECK_ERROR, "undefined-template", msg, hint);
		}
		if (n->u.tmpl.pipe)
			check_pipe(w, n->u.tmpl.pipe);
		break;
	}
	case AST_PIPE:
		check_pipe(w, n);
		break;
	case AST_CHAIN:
		check_arg(w, n->u.chain.node);
		break;
	default:
		break;
	}
}

/* Where tree t of text x is defined: its define or block action, found by
 * its body's place (the body starts at that action's closing delimiter). */
static void check_tree_place(const check_text *x, const ast_tree *t, uint32_t *line, uint32_t *col)
{
	int32_t a = t->root ? check_action_at(&x->scan, t->root->pos) : -1;
	*line = a >= 0 ? x->scan.actions[a].line : 1;
	*col = a >= 0 ? x->scan.actions[a].col : 1;
}

/* As Go's AddParseTree, a later file's non-empty definition replaces an
 * earlier one without a word (within one file it is a parse error): which
 * body runs depends on the order of the files. */
static void check_redefined(check_run *cr, size_t i, const ast_tree *t)
{
	if (ast_is_empty(t->root))
		return;
	for (size_t j = 0; j < i; j++)
		for (size_t k = 0; k < cr->texts[j].ntrees; k++) {
			const ast_tree *e = cr->texts[j].trees[k];
			if (strcmp(e->name, t->name) != 0 || ast_is_empty(e->root))
				continue;
			uint32_t line, col, eline, ecol;
			check_tree_place(&cr->texts[i], t, &line, &col);
			check_tree_place(&cr->texts[j], e, &eline, &ecol);
			char msg[600];
			snprintf(msg, sizeof msg,
				 "template \"%.200s\" is also defined at %.200s:%u:%u; this definition replaces it",
				 t->name, cr->texts[j].file, (unsigned)eline, (unsigned)ecol);
			check_add(cr, cr->texts[i].file, cr->texts[i].index, line, col, CHECK_WARNING,
				  "redefined-template", msg,
				  "rename one of them, or keep only the one meant to run");
			return;
		}
}

void check_set(check_run *cr)
{
	for (size_t i = 1; i < cr->ntexts; i++)
		for (size_t j = 0; j < cr->texts[i].ntrees; j++)
			check_redefined(cr, i, cr->texts[i].trees[j]);
	for (size_t i = 0; i < cr->ntexts; i++) {
		check_walk w = {cr, &cr->texts[i]};
		for (size_t j = 0; j < cr->texts[i].ntrees; j++)
			check_node(&w, cr->texts[i].trees[j]->root);
	}
}
