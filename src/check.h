/* check.h: tmplrender --check: every structural and function mistake of a template set found statically, all in one run, as diagnostics with stable codes.
 *
 * A run parses each text with recovery (check.c over the structural scan of
 * check_scan.c), then checks the whole set (check_set.c: templates called
 * but defined nowhere, argument counts), and the diagnostics are written
 * sorted by file and position as text, JSON or SARIF (check_format.c).
 * doc/check.md lists every code. The trees a run parses are for checking
 * only: an undefined function's node has no function.
 */
#ifndef TMPL_CHECK_H
#define TMPL_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "sbuf.h"
#include "tmpl.h"

typedef enum check_severity { CHECK_ERROR, CHECK_WARNING, CHECK_NOTE } check_severity;

/* One diagnostic, at a 1-based line and column of a file's text. */
typedef struct check_diag {
	const char *file;
	size_t file_index;  /* order of the file on the command line (sorting) */
	uint32_t line, col;
	check_severity severity;
	const char *code;   /* parse, unclosed-block, undefined-template, ... */
	const char *msg;    /* without hint */
	const char *hint;   /* "" or what to do: did you mean "quote"? */
} check_diag;


/* The structural scan (check_scan.c, check_scan below): every action of a text, from its left
 * delimiter to the end of its right one, with its keyword, and how the block
 * keywords pair up, found with the lexer alone. */
typedef struct check_action {
	uint32_t start, end;  /* byte offsets: [start, end) */
	uint32_t line, col;   /* of start, 1-based */
	int kw;               /* K_IF ... K_END of grammar/parse.h, or 0 */
	int32_t next;         /* an opener or else: its next else or end in the chain, or -1 */
	int32_t open;         /* an else or end: its opener, or -1 when stray */
} check_action;

typedef struct check_scan_result {
	check_action *actions;
	size_t n;
	int32_t *unclosed;    /* indices of openers with no end, outermost first */
	size_t nunclosed;
	int lex_error;        /* the lexer stopped: actions after it are unknown */
} check_scan_result;

/* One file's parsed trees, where they came from, and its actions (to place
 * a define by its opening action). */
typedef struct check_text {
	const char *file;
	size_t index;
	ast_tree **trees;
	size_t ntrees;
	check_scan_result scan;
	unsigned char *yctx;   /* each action's YAML context (check_yamlctx.c), made on first use */
} check_text;

typedef struct check_run {
	tmpl_arena *arena;          /* everything below, trees included */
	const struct tmpl_library *lib;
	check_diag *diags;
	size_t ndiags, capdiags;
	check_text *texts;
	size_t ntexts, captexts;
	size_t cur_index;           /* the file being parsed (soft diagnostics) */
	const char *cur_file;
	size_t max_per_file;        /* recovery gives up after this many hard errors */
	size_t max_diags;           /* diagnostics reported at most, then one note */
	int overflow;               /* more were found than are kept */
	/* The data checks, when asked for (check_types.c): */
	const struct tmpl_type *root; /* --types: the Go type of the dot, or NULL */
	int root_latest;            /* the root is the newest Istio's (validated annotations) */
	const struct tv *values;    /* --values: the merged values, or NULL */
	int strict;                 /* --strict: also quoted, unescaped user values */
	int no_yaml;                /* typed data only, no YAML context (the load-time check) */
	/* Whether the injector validates an annotation before rendering (inject.h's
	 * inj_annotation_validated, handed in by the program: the engine knows
	 * nothing of the injector), or NULL: none is. */
	bool (*validated)(const char *name, size_t len, bool latest);
} check_run;

/* A run over the functions of library lib (a set's, tmpl_set.h). */
void check_init(check_run *cr, const struct tmpl_library *lib);
void check_free(check_run *cr);
/* Record a diagnostic (strings copied). */
void check_add(check_run *cr, const char *file, size_t file_index, uint32_t line, uint32_t col,
	       check_severity sev, const char *code, const char *msg, const char *hint);
/* Parse text (template NAME, from FILE, the index-th on the command line)
 * with recovery: every hard parse error, unclosed block, undefined name. */
void check_text_parse(check_run *cr, const char *file, size_t index, const char *name,
		      const char *text, size_t len, const char *ldelim, const char *rdelim);
/* After every text: the checks of the whole set (check_set.c). */
void check_set(check_run *cr);
/* Sort by file, line, column; drop exact repeats; keep max_diags of them,
 * then one note saying how many more there were. */
void check_sort(check_run *cr);
/* --types NAME: istio (the newest injector's SidecarTemplateData), istio-1.1
 * (Istio 1.1's) or any Go type name of the tables (types_lookup). Returns
 * -1 for an unknown name. */
int check_set_types(check_run *cr, const char *name);
/* After check_set: the data checks over the whole set (check_types.c), when
 * cr->root or cr->values is set: fields of typed data, near-miss values keys,
 * and user-controlled values in the YAML output (check_yamlctx.c). */
void check_data(check_run *cr);
/* --check --pod (check_render.c): the output out of a render traced in
 * trace, read as YAML and as the Go type root: syntax errors
 * (rendered-yaml), repeated keys (duplicate-key), unknown fields
 * (unknown-field, a warning: the injector drops them), values of the wrong
 * kind (wrong-kind), each at the
 * template place that wrote it; names[i] is the name the file files[i]
 * was parsed under. */
struct tmpl_type;
void check_rendered(check_run *cr, const char *out, size_t len, const tmpl_trace *trace,
		    const struct tmpl_type *root, const char *const *names,
		    const char *const *files, size_t nfiles);
/* How many diagnostics of that severity. */
size_t check_count(const check_run *cr, check_severity sev);

/* The diagnostics written in a format (check_format.c): "text" (one
 * FILE:LINE:COL: SEVERITY: MESSAGE line each, the hint in parentheses),
 * "json" (one JSON object a line) or "sarif" (one SARIF 2.1.0 log). Returns
 * -1 for an unknown format. */
int check_format(const check_run *cr, const char *format, sbuf *out);
/* Is format one of check_format's? */
int check_format_known(const char *format);
/* The codes, with a one-line description each, in the order doc/check.md
 * lists them (SARIF's rules). */
typedef struct check_code {
	const char *code;
	const char *about;
} check_code;
const check_code *check_codes(size_t *n);

void check_scan(tmpl_arena *a, const char *text, size_t len, const char *ldelim,
		const char *rdelim, check_scan_result *out);
/* The keyword's word ("if", "range", ...). */
const char *check_kw_name(int kw);
/* The action of sc holding byte offset pos, or -1 (check.c). */
int32_t check_action_at(const check_scan_result *sc, uint32_t pos);

/* check_values.c: a key absent from the values map m at path (dotted, ""
 * for the root) whose near miss exists: 1 and the hint ("did you mean
 * global.imagePullPolicy?") in buf; 0 when none is near. */
int check_values_near(const struct tv *m, const char *path, const char *key, size_t len,
		      char *buf, size_t size);

/* check_yamlctx.c: where in the YAML document each action's output lands. */
enum {
	CHECK_Y_PLAIN = 1,    /* a plain scalar (or raw YAML at a line's start) */
	CHECK_Y_DQUOTE = 2,   /* inside a double-quoted scalar */
	CHECK_Y_SQUOTE = 3,   /* inside a single-quoted scalar */
	CHECK_Y_BLOCK = 4,    /* inside a literal or folded block scalar */
	CHECK_Y_COMMENT = 5,  /* inside a comment */
	CHECK_Y_SCALAR = 7,   /* mask of the above */
	CHECK_Y_KEY = 8,      /* the scalar is a mapping key */
	CHECK_Y_VALUE = 16,   /* ... a mapping value */
	CHECK_Y_ITEM = 32,    /* ... a sequence item */
	CHECK_Y_FLOW = 64     /* inside a flow collection ([...] or {...}) */
};
/* The YAML context of action index ai of text x (CHECK_Y_* bits). */
unsigned check_yamlctx_of(check_text *x, tmpl_arena *a, int32_t ai);
/* Words for a context into buf: "a plain scalar (a mapping value)". */
void check_yamlctx_words(unsigned ctx, char *buf, size_t size);

#endif
