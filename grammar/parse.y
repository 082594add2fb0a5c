/* parse.y: Go's text/template grammar (parse.go's recursive descent, as a pure LALR grammar with locations) building the AST of ast.h.
 *
 * Matching Go's errors:
 * - Checks Go makes when it consumes a token (function and variable names,
 *   constants, "missing value", "non executable command") run in the
 *   reduction that follows that token; closing delimiters are part of the
 *   rules whose checks Go makes at the closing token. LAC is off on purpose:
 *   like Go, a term is finished before the token after it is judged.
 * - Misplaced {{end}} and {{else}} are error productions, reported after the
 *   whole tag is read, as Go does.
 * - Other syntax errors are worded by yyreport_syntax_error from the
 *   unexpected token and the token before it, which lex.c keeps: Go names
 *   the construct it was in ("operand", "if", "define clause", ...).
 * - An operand followed directly (without space) by a term arrives as
 *   T_GLUED, and a field right after a term as T_CHAINFIELD.
 * - The line of an error is that of the latest token read, Go's token[0].
 */

%define api.pure full
%define parse.error custom
%locations
%define api.location.type {lex_loc}
%param {parse_state *ps}

%code requires {
#include <stddef.h>
#include "ast.h"
#include "lex.h"
#include "tmpl.h"

/* A growable array of nodes from the arena. */
typedef struct parse_vec {
	ast_node **v;
	size_t n, cap;
} parse_vec;

/* Field names chained onto a term, and where the chain starts. */
typedef struct parse_ids {
	ast_ident *v;
	size_t n, cap;
	lex_loc loc;
} parse_ids;

/* What a define or block body saves of its enclosing tree. */
typedef struct parse_saved {
	ast_tree *tree;
	size_t varbase, nvars;
	int range_depth;
	uint32_t line; /* line Go reports errors of the enclosing tree at */
} parse_saved;

/* The parser's state: the lexer, the trees, the variables in scope. */
typedef struct parse_state {
	lex_state lx;
	tmpl_arena *arena;
	const char *name;
	tmpl_error *err;
	const struct tmpl_library *lib; /* where function names are looked up */
	int failed;
	ast_tree *tree;         /* the tree being built */
	ast_tree *main;         /* the text's own tree */
	const char **vars;      /* variable names in scope */
	size_t nvars, capvars, varbase;
	int range_depth;
	int paren_depth;
	ast_tree **trees;       /* the template set of this text (Go's treeSet) */
	size_t ntrees, captrees;
	/* --check (parse.h parse_hooks): undefined names and redefinitions are
	 * recorded there and parsing goes on; NULL when rendering */
	const struct parse_hooks *hooks;
	uint32_t fail_pos;      /* byte offset of the token a hard error stopped at */
} parse_state;
}

%code provides {
int yyparse(parse_state *ps);
int lex_token(YYSTYPE *lval, YYLTYPE *lloc, lex_state *lx);

/* parse.c: building nodes and checking them as Go's parser does. */
int parse_fail(parse_state *ps, uint32_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
parse_vec *parse_vec_new(parse_state *ps);
void parse_vec_push(parse_state *ps, parse_vec *v, ast_node *n);
ast_node *parse_node(parse_state *ps, ast_kind kind, lex_loc loc);
ast_node *parse_list(parse_state *ps, parse_vec *v, lex_loc loc);
ast_node *parse_text_node(parse_state *ps, const lex_tok *t);
ast_node *parse_term(parse_state *ps, int kind, const lex_tok *t);
ast_node *parse_operand(parse_state *ps, ast_node *term, parse_ids *chain);
parse_ids *parse_ids_add(parse_state *ps, parse_ids *ids, const lex_tok *t);
ast_node *parse_command(parse_state *ps, ast_node *cmd, ast_node *arg, lex_loc loc);
ast_node *parse_pipe(parse_state *ps, ast_node *pipe, parse_vec *cmds, lex_loc loc);
ast_node *parse_declare(parse_state *ps, ast_node *pipe, const lex_tok *var, int assign);
int parse_check_pipe(parse_state *ps, ast_node *pipe, const char *context);
ast_node *parse_branch(parse_state *ps, ast_kind kind, ast_node *pipe, parse_vec *list,
		       ast_node *else_list);
const char *parse_name(parse_state *ps, const lex_tok *t, size_t *len);
parse_saved *parse_tree_begin(parse_state *ps, const char *name);
int parse_tree_end(parse_state *ps, parse_saved *sv, parse_vec *body, lex_loc loc);
ast_node *parse_template(parse_state *ps, const lex_tok *name, ast_node *pipe);
}

%code {
#include <string.h>
static void yyerror(YYLTYPE *loc, parse_state *ps, const char *msg);
#define yylex(lval, lloc, ps) lex_token(lval, lloc, &(ps)->lx)
#define YYLLOC_DEFAULT(Cur, Rhs, N) \
	do { (Cur) = (N) ? YYRHSLOC(Rhs, 1) : YYRHSLOC(Rhs, 0); } while (0)
#define YYMAXDEPTH 10000000
#define FAIL(...) do { parse_fail(ps, ps->lx.last_line, __VA_ARGS__); YYABORT; } while (0)
#define CHECK(x) do { if (!(x)) YYABORT; } while (0)
/* Go's limit on nested parenthesized pipelines. */
#define PARSE_MAX_PARENS 10000
}

%union {
	lex_tok tok;
	ast_node *node;
	parse_vec *vec;
	parse_ids *ids;
	parse_saved *saved;
	size_t mark;
}

%token <tok> T_TEXT T_LDELIM T_RDELIM T_PIPE T_LPAREN T_RPAREN T_DECLARE T_ASSIGN
%token <tok> T_COMMA T_CHAR T_FIELD T_CHAINFIELD T_IDENT T_VARIABLE K_DOT K_NIL
%token <tok> T_BOOL T_NUMBER T_CHARCONST T_COMPLEX T_STRING T_RAWSTRING
%token <tok> K_BLOCK K_BREAK K_CONTINUE K_DEFINE K_ELSE K_END K_IF K_RANGE K_TEMPLATE K_WITH
%token <tok> T_GLUED T_LEXERR T_SPACE

%type <vec> top_list list cmds cmds_ne cmd_list
%type <node> action_body if_rest with_rest range_rest if_tail with_tail range_tail
%type <node> pipeline pipeline_ne decl dhead command operand term
%type <ids> chain
%type <mark> mark
%type <tok> tname

%%

start:
	top_list { ps->main->root = parse_list(ps, $1, @$); }
	;

top_list:
	%empty { $$ = parse_vec_new(ps); }
	| top_list T_TEXT { $$ = $1; parse_vec_push(ps, $$, parse_text_node(ps, &$2)); }
	| top_list T_LDELIM action_body { $$ = $1; parse_vec_push(ps, $$, $3); }
	| top_list T_LDELIM K_DEFINE tname T_RDELIM
		{ $<saved>$ = parse_tree_begin(ps, parse_name(ps, &$4, NULL)); CHECK($<saved>$); }
	  list T_LDELIM define_end
		{ CHECK(parse_tree_end(ps, $<saved>6, $7, @7) == 0); $$ = $1; }
	| top_list T_LDELIM K_END T_RDELIM { FAIL("unexpected {{end}}"); }
	| top_list T_LDELIM K_ELSE else_tag { FAIL("unexpected {{else}}"); }
	;

/* What may follow "else": Go's elseControl returns at "if" and "with". */
else_tag: T_RDELIM | K_IF | K_WITH ;

define_end:
	K_END T_RDELIM
	| K_ELSE else_tag { FAIL("unexpected {{else}} in define clause"); }
	;

list:
	%empty { $$ = parse_vec_new(ps); }
	| list T_TEXT { $$ = $1; parse_vec_push(ps, $$, parse_text_node(ps, &$2)); }
	| list T_LDELIM action_body { $$ = $1; parse_vec_push(ps, $$, $3); }
	;

action_body:
	pipeline T_RDELIM {
		CHECK(parse_check_pipe(ps, $1, "command") == 0);
		$$ = parse_node(ps, AST_ACTION, @1);
		$$->u.action.pipe = $1;
	}
	| K_IF if_rest { $$ = $2; }
	| K_RANGE range_rest { $$ = $2; }
	| K_WITH with_rest { $$ = $2; }
	| K_TEMPLATE tname T_RDELIM { $$ = parse_template(ps, &$2, NULL); CHECK($$); }
	| K_TEMPLATE tname pipeline_ne T_RDELIM {
		CHECK(parse_check_pipe(ps, $3, "template clause") == 0);
		$$ = parse_template(ps, &$2, $3);
		CHECK($$);
	}
	| K_BLOCK tname pipeline T_RDELIM {
		CHECK(parse_check_pipe(ps, $3, "block clause") == 0);
		$<saved>$ = parse_tree_begin(ps, parse_name(ps, &$2, NULL));
		CHECK($<saved>$);
		$<saved>$->line = $4.line;
	  }
	  list T_LDELIM block_end {
		CHECK(parse_tree_end(ps, $<saved>5, $6, @6) == 0);
		$$ = parse_template(ps, &$2, $3);
		CHECK($$);
	}
	| K_BREAK T_RDELIM {
		if (ps->range_depth == 0)
			FAIL("{{break}} outside {{range}}");
		$$ = parse_node(ps, AST_BREAK, @1);
	}
	| K_CONTINUE T_RDELIM {
		if (ps->range_depth == 0)
			FAIL("{{continue}} outside {{range}}");
		$$ = parse_node(ps, AST_CONTINUE, @1);
	}
	;

block_end:
	K_END T_RDELIM
	| K_ELSE else_tag {
		/* Go reports this on the enclosing tree, at its last token. */
		parse_fail(ps, $<saved>-2->line, "unexpected {{else}} in block clause");
		YYABORT;
	}
	;

mark: %empty { $$ = ps->nvars; } ;

if_rest:
	mark pipeline T_RDELIM { CHECK(parse_check_pipe(ps, $2, "if") == 0); }
	list T_LDELIM if_tail {
		$$ = parse_branch(ps, AST_IF, $2, $5, $7);
		ps->nvars = $1;
	}
	;

if_tail:
	K_END T_RDELIM { $$ = NULL; }
	| K_ELSE T_RDELIM list T_LDELIM end_else { $$ = parse_list(ps, $3, @1); }
	| K_ELSE K_IF if_rest {
		parse_vec *v = parse_vec_new(ps);
		parse_vec_push(ps, v, $3);
		$$ = parse_list(ps, v, @2);
	}
	;

with_rest:
	mark pipeline T_RDELIM { CHECK(parse_check_pipe(ps, $2, "with") == 0); }
	list T_LDELIM with_tail {
		$$ = parse_branch(ps, AST_WITH, $2, $5, $7);
		ps->nvars = $1;
	}
	;

with_tail:
	K_END T_RDELIM { $$ = NULL; }
	| K_ELSE T_RDELIM list T_LDELIM end_else { $$ = parse_list(ps, $3, @1); }
	| K_ELSE K_WITH with_rest {
		parse_vec *v = parse_vec_new(ps);
		parse_vec_push(ps, v, $3);
		$$ = parse_list(ps, v, @2);
	}
	;

range_rest:
	mark pipeline T_RDELIM {
		CHECK(parse_check_pipe(ps, $2, "range") == 0);
		ps->range_depth++;
	}
	list T_LDELIM range_tail {
		$$ = parse_branch(ps, AST_RANGE, $2, $5, $7);
		ps->nvars = $1;
	}
	;

range_tail:
	K_END { ps->range_depth--; } T_RDELIM { $$ = NULL; }
	| K_ELSE { ps->range_depth--; } T_RDELIM list T_LDELIM end_else {
		$$ = parse_list(ps, $4, @1);
	}
	;

/* After an {{else}} list only {{end}} may come. */
end_else:
	K_END T_RDELIM
	| K_ELSE else_tag { FAIL("expected end; found {{else}}"); }
	;

tname:
	T_STRING { CHECK(parse_name(ps, &$1, NULL)); $$ = $1; }
	| T_RAWSTRING { CHECK(parse_name(ps, &$1, NULL)); $$ = $1; }
	;

pipeline:
	cmds { $$ = parse_pipe(ps, NULL, $1, @$); }
	| decl cmds { $$ = parse_pipe(ps, $1, $2, @$); }
	| dhead cmds { $$ = parse_pipe(ps, $1, $2, @$); }
	;

/* A template call's pipeline, which must not be empty. */
pipeline_ne:
	cmds_ne { $$ = parse_pipe(ps, NULL, $1, @$); }
	| decl cmds { $$ = parse_pipe(ps, $1, $2, @$); }
	| dhead cmds { $$ = parse_pipe(ps, $1, $2, @$); }
	;

decl:
	T_VARIABLE T_DECLARE { $$ = parse_declare(ps, NULL, &$1, 0); }
	| T_VARIABLE T_ASSIGN { $$ = parse_declare(ps, NULL, &$1, 1); }
	| dhead T_VARIABLE T_DECLARE { $$ = parse_declare(ps, $1, &$2, 0); }
	| dhead T_VARIABLE T_ASSIGN { $$ = parse_declare(ps, $1, &$2, 1); }
	| dhead T_VARIABLE T_COMMA { FAIL("too many declarations in %s", "range"); }
	;

/* "$a," : only range may declare two variables. */
dhead:
	T_VARIABLE T_COMMA {
		/* past LEX_CTX_MAX the lexer counts contexts without keeping them
		 * (a finding of fuzz_template: the array was read past its end) */
		const char *c = ps->lx.nctx > LEX_CTX_MAX ? "parenthesized pipeline"
				: ps->lx.nctx > 0 ? ps->lx.ctx[ps->lx.nctx - 1] : "command";
		if (c[0] != 'r')
			FAIL("too many declarations in %s", c);
		$$ = parse_declare(ps, NULL, &$1, 0);
	}
	;

cmds:
	%empty { $$ = NULL; }
	| cmds_ne
	;

cmds_ne:
	cmd_list
	| cmd_list T_PIPE
	;

cmd_list:
	command { $$ = parse_vec_new(ps); parse_vec_push(ps, $$, $1); }
	| cmd_list T_PIPE command { $$ = $1; parse_vec_push(ps, $$, $3); }
	;

command:
	operand { $$ = parse_command(ps, NULL, $1, @1); }
	| command operand { $$ = parse_command(ps, $1, $2, @1); }
	;

operand:
	term
	| term chain { $$ = parse_operand(ps, $1, $2); CHECK($$); }
	;

chain:
	T_CHAINFIELD { $$ = parse_ids_add(ps, NULL, &$1); }
	| chain T_CHAINFIELD { $$ = parse_ids_add(ps, $1, &$2); }
	;

term:
	T_IDENT { $$ = parse_term(ps, T_IDENT, &$1); CHECK($$); }
	| K_DOT { $$ = parse_term(ps, K_DOT, &$1); }
	| K_NIL { $$ = parse_term(ps, K_NIL, &$1); }
	| T_VARIABLE { $$ = parse_term(ps, T_VARIABLE, &$1); CHECK($$); }
	| T_FIELD { $$ = parse_term(ps, T_FIELD, &$1); }
	| T_BOOL { $$ = parse_term(ps, T_BOOL, &$1); }
	| T_NUMBER { $$ = parse_term(ps, T_NUMBER, &$1); CHECK($$); }
	| T_CHARCONST { $$ = parse_term(ps, T_CHARCONST, &$1); CHECK($$); }
	| T_COMPLEX { $$ = parse_term(ps, T_COMPLEX, &$1); CHECK($$); }
	| T_STRING { $$ = parse_term(ps, T_STRING, &$1); CHECK($$); }
	| T_RAWSTRING { $$ = parse_term(ps, T_RAWSTRING, &$1); CHECK($$); }
	| T_LPAREN {
		if (ps->paren_depth >= PARSE_MAX_PARENS)
			FAIL("max expression depth exceeded");
		ps->paren_depth++;
	  }
	  pipeline T_RPAREN {
		ps->paren_depth--;
		CHECK(parse_check_pipe(ps, $3, "parenthesized pipeline") == 0);
		$$ = $3;
	}
	;

%%

/* Go words a syntax error by the unexpected token and where it stands. */
static int yyreport_syntax_error(const yypcontext_t *ctx, parse_state *ps)
{
	(void)ctx;
	(void)yypcontext_expected_tokens;
	lex_state *lx = &ps->lx;
	int k = lx->last_kind;
	const lex_tok *t = &lx->last_tok;
	if (k == T_LEXERR) {
		uint32_t line = t->line;
		if (!lx->err_plain && lx->action_line != 0 && lx->action_line != line) {
			size_t n = strlen(t->s);
			const char *in = (n >= 7 && strcmp(t->s + n - 7, " action") == 0) ? "" : " in action";
			parse_fail(ps, line, "%s%s started at %s:%u", t->s, in, ps->name,
				   (unsigned)lx->action_line);
		} else {
			parse_fail(ps, line, "%s", t->s);
		}
		return 0;
	}
	if (k == YYEOF) {
		parse_fail(ps, t->line, "unexpected EOF");
		return 0;
	}
	const char *what = lex_tok_describe(lx, k, t);
	const char *where;
	int p = lx->prev2; /* the token before the lookahead */
	if (p == K_ELSE && (k == K_IF || k == K_WITH))
		where = "input";
	else if (p == K_TEMPLATE)
		where = "template clause";
	else if (p == K_BLOCK)
		where = "block clause";
	else if (p == K_DEFINE)
		where = "define clause";
	else if (p == K_END)
		where = "end";
	else if (p == K_ELSE)
		where = "else";
	else if (p == K_BREAK)
		where = "{{break}}";
	else if (p == K_CONTINUE)
		where = "{{continue}}";
	else if (lx->prev2_name && lx->prev3 == K_DEFINE)
		where = "define clause";
	else if (lx->prev2_operand)
		where = "operand";
	else
		where = lx->cur_ctx;
	parse_fail(ps, t->line, "unexpected %s in %s", what, where);
	return 0;
}

static void yyerror(YYLTYPE *loc, parse_state *ps, const char *msg)
{
	parse_fail(ps, loc->line, "%s", msg);
}
