/* ast.h: the parse tree: the contract between the parser (which knows no values) and the evaluator (which knows no tokens).
 *
 * Node kinds mirror Go's text/template/parse package one for one, so that
 * Go's semantics and error texts carry over. All nodes and strings belong to
 * the template set's arena and are immutable once parsing has finished.
 */
#ifndef TMPL_AST_H
#define TMPL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

struct tmpl_func; /* stdlib/func.h */
struct tv;        /* tmpl_value.h: string constants carry their value, made once */

typedef enum ast_kind {
	AST_LIST,     /* u.list: a sequence of nodes */
	AST_TEXT,     /* u.text: plain text, trim markers already applied */
	AST_ACTION,   /* u.action: {{pipeline}} */
	AST_IF,       /* u.branch */
	AST_RANGE,    /* u.branch */
	AST_WITH,     /* u.branch */
	AST_TEMPLATE, /* u.tmpl: {{template "name" pipeline}} (also a block's call) */
	AST_BREAK,
	AST_CONTINUE,
	AST_PIPE,     /* u.pipe: [decl :=|=] command | command ... */
	AST_COMMAND,  /* u.cmd: operand operand ... */
	AST_FIELD,    /* u.field: .a.b.c  (idents without dots) */
	AST_VARIABLE, /* u.field: $x.a.b  (idents[0] is "$x", then field names) */
	AST_CHAIN,    /* u.chain: (pipeline).a.b */
	AST_IDENT,    /* u.ident: a function name */
	AST_DOT,
	AST_NIL,
	AST_BOOL,     /* u.boolean */
	AST_NUMBER,   /* u.num */
	AST_STRING    /* u.str */
} ast_kind;

/* A name with its precomputed hash (tv_hash) for map lookups. */
typedef struct ast_ident {
	const char *s; /* NUL-terminated */
	uint32_t len;
	uint32_t hash;
} ast_ident;

typedef struct ast_node ast_node;
typedef struct ast_tree ast_tree;

struct ast_node {
	ast_kind kind;
	uint32_t pos;  /* byte offset in tree->text (Go's Pos) */
	uint32_t line; /* 1-based line of pos */
	uint32_t col;  /* 0-based byte column of pos within its line (Go's ErrorContext) */
	const ast_tree *tree;
	union {
		struct { ast_node **items; size_t n; } list;
		struct { const char *s; size_t len; } text;
		struct { ast_node *pipe; } action;
		struct {
			ast_node *pipe;      /* AST_PIPE */
			ast_node *list;      /* AST_LIST */
			ast_node *else_list; /* AST_LIST or NULL; else-if chains nest an AST_IF here */
		} branch;
		struct {
			const char *name; /* NUL-terminated */
			size_t len;
			ast_node *pipe;   /* NULL when no pipeline */
		} tmpl;
		struct {
			bool is_assign;   /* `=` rather than `:=` */
			ast_node **decl;  /* AST_VARIABLE nodes, 0..2 */
			size_t ndecl;
			ast_node **cmds;  /* AST_COMMAND nodes */
			size_t ncmds;
		} pipe;
		struct { ast_node **args; size_t n; } cmd;
		struct { ast_ident *idents; size_t n; } field;
		struct {
			ast_node *node;   /* the term the fields apply to */
			ast_ident *idents;
			size_t n;
		} chain;
		struct {
			const struct tmpl_func *fn; /* resolved at parse time */
			const char *name;
		} ident;
		bool boolean;
		struct {
			bool is_int, is_uint, is_float, is_complex;
			int64_t i;
			uint64_t u;
			double f;
			const char *text; /* as written */
		} num;
		struct {
			const char *quoted; /* as written, with quotes */
			const char *s;      /* the unquoted bytes */
			size_t len;
			const struct tv *val; /* the constant as a value (hashed), made once */
		} str;
	} u;
};

/* One named template: a file's main text or one define/block body. */
struct ast_tree {
	const char *name;       /* the template's name */
	const char *parse_name; /* name of the text it was parsed from (error locations) */
	ast_node *root;         /* AST_LIST */
	const char *text;       /* the whole source text */
	size_t text_len;
};

/* Go's Node.String(): the node as template text, for "executing ... at <...>". */
void ast_string(sbuf *out, const ast_node *n);
/* Go's parse.IsEmptyTree: only whitespace text (and comments, which leave no node). */
bool ast_is_empty(const ast_node *list);

#endif
