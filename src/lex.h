/* lex.h: the template lexer: a text/delimiter layer that hands each action's body to the flex scanner, and feeds bison Go's token stream.
 *
 * lex.c finds the run-time delimiters, trim markers and comments, produces
 * text tokens, and asks the reentrant flex scanner (grammar/scan.l) for the
 * tokens inside an action, one at a time, checking for the right delimiter
 * between tokens (it may appear inside string constants). It also keeps what
 * the parser needs to word Go's errors: the previous token, the pipeline
 * context ("command", "if", ...), and the line of the current action.
 */
#ifndef TMPL_LEX_H
#define TMPL_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* A token's text and place, the semantic value of every terminal. */
typedef struct lex_tok {
	const char *s;   /* points into the template text (or a static string) */
	uint32_t len;
	uint32_t pos;    /* byte offset */
	uint32_t line;   /* 1-based line of pos */
	uint32_t col;    /* 0-based byte column of pos */
	uint16_t kind;   /* the original token kind (for GLUED tokens) */
	uint16_t split;  /* complex constants: offset of the imaginary part */
} lex_tok;

/* bison's location type: a token's or node's byte offset and line. */
typedef struct lex_loc {
	uint32_t pos;
	uint32_t line;
	uint32_t col;
} lex_loc;

/* Pipeline contexts, as Go words them after "in". */
#define LEX_CTX_MAX 64

typedef struct lex_state {
	tmpl_arena *arena;
	const char *text;
	size_t len;
	const char *ld, *rd;
	size_t ldlen, rdlen;

	/* raw scanning */
	char *buf;          /* copy of text with two trailing NULs, scanned by flex */
	void *scanner;      /* flex yyscan_t */
	void *fbuf;         /* the flex buffer of the current action */
	void *spare;        /* a block flex freed, for its next allocation */
	size_t pos;         /* next byte to scan */
	size_t tok_start;   /* start of flex's last token */
	int mode;           /* LEX_TEXT, LEX_ACTION, LEX_DONE */
	int paren_depth;
	int spaced;         /* whitespace came before the current token */
	size_t space_pos;   /* where that whitespace started */
	int flex_split;     /* set by the scanner for complex constants */
	const char *err;    /* lexer error message (arena), once one happened */
	int err_plain;      /* a parser error found here: no "in action started at" */
	size_t err_pos;

	/* line bookkeeping (monotonic cursor) */
	size_t line_cur;
	size_t line_start;  /* offset of the first byte of line line_no */
	uint32_t line_no;

	/* what the parser needs to word errors */
	int prev;           /* kind of the latest token handed to bison */
	int prev_operand;   /* it ended an operand */
	int prev_name;      /* it was a template/block/define name */
	int prev2;          /* the same of the token before it (before the lookahead) */
	int prev2_operand;
	int prev2_name;
	int prev3;          /* and the one before that */
	int head_kw;        /* first keyword of the current action (0 if none) */
	uint32_t action_line; /* Go's actionLine (0 = none) */
	const char *ctx[LEX_CTX_MAX]; /* pipeline context per paren level */
	int nctx;
	const char *cur_ctx; /* context before the lookahead was read */
	uint32_t last_line;  /* line of the latest token (Go's token[0].line) */
	uint32_t peek_line;  /* line of Go's peek(): the space before it, if any */
	int last_kind;       /* the latest token (bison's lookahead on a syntax error) */
	lex_tok last_tok;
} lex_state;

/* Set up lexing of text with the given delimiters (NULL or "" = default). */
void lex_init(lex_state *lx, tmpl_arena *a, const char *text, size_t len, const char *ld,
	      const char *rd);
/* Release the flex scanner (memory itself belongs to the arena). */
void lex_free(lex_state *lx);
/* 1-based line and 0-based column of byte offset pos. */
uint32_t lex_line(lex_state *lx, size_t pos);
uint32_t lex_col(const lex_state *lx, size_t pos);

/* Go's item.String() of a token: "EOF", <keyword>, "quoted" (%.10q... when long);
 * the result belongs to the arena. */
const char *lex_tok_describe(lex_state *lx, int kind, const lex_tok *t);
/* Go's %q of s (strconv.Quote), allocated from the arena. */
const char *lex_quote(lex_state *lx, const char *s, size_t len);

/* Used by the flex scanner (grammar/scan.l). */
int lex_at_terminator(const lex_state *lx, size_t pos);
int lex_error(lex_state *lx, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Go's lexer: length of an alphanumeric run starting at pos (Unicode letters, digits, '_'). */
size_t lex_alnum_run(const lex_state *lx, size_t pos);
/* Go's scanNumber from pos; returns the end offset, or 0 with *bad set to the end
 * of the offending text for "bad number syntax". */
size_t lex_scan_number(const lex_state *lx, size_t pos, size_t *bad);
/* Record "bad number syntax: %q" of text[start..end). */
int lex_bad_number(lex_state *lx, size_t start, size_t end);
/* Append "U+XXXX 'c'" (Go's %#U) for the rune at pos. */
void lex_rune_desc(const lex_state *lx, size_t pos, char *buf, size_t bufsize);

#endif
