/* tmpl.h: libtmpl's public API: parse Go text/template sets once, render them many times.
 *
 * Every function that can fail returns 0 on success or -1 and fills a
 * tmpl_error; the library never prints. A parsed set is read-only after
 * parsing and may be executed from many threads at once.
 */
#ifndef TMPL_H
#define TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sbuf.h"
#include "tmpl_value.h"

#define TMPL_VERSION "0.1.0"

/* missingkey option values (Go's text/template Option). */
typedef enum tmpl_missingkey {
	TMPL_MISSING_INVALID = 0, /* "default" and "invalid": <no value> */
	TMPL_MISSING_ZERO,
	TMPL_MISSING_ERROR
} tmpl_missingkey;

typedef struct tmpl_set tmpl_set;

tmpl_set *tmpl_set_new(void);
void tmpl_set_free(tmpl_set *s);
/* Choose the functions the set's templates may call, by library name: "go"
 * (Go's builtins), "sprig" (and sprig's), "helm" (sprig's as Helm 3 changes
 * them), "istio" (sprig's, then the newest Istio's injection functions),
 * "istio-1.1" (Go's builtins and Istio 1.1's, the default). Before any text
 * is parsed, as Go's Funcs comes before Parse. An unknown name is a
 * TMPL_ERR_USAGE error. Several libraries, and the embedder's own C
 * functions: tmpl_funcs.h. */
int tmpl_set_funcs(tmpl_set *s, const char *library, tmpl_error *err);
/* Apply an option string as Go's Template.Option does ("missingkey=zero"). */
int tmpl_set_option(tmpl_set *s, const char *opt, tmpl_error *err);
/* Parse one text under NAME with the given delimiters (NULL or "" = default)
 * and add its templates to the set with Go's redefinition rules. */
int tmpl_set_parse(tmpl_set *s, const char *name, const char *text, size_t len,
		   const char *ldelim, const char *rdelim, tmpl_error *err);
/* Is a template of that name defined (with a body)? */
int tmpl_set_has(const tmpl_set *s, const char *name);
/* Bounds and output sink of one execution (all zero: none, Go's behaviour).
 * A render that passes a bound stops with an error of kind TMPL_ERR_LIMIT
 * naming it in Go's execution-error form, such as
 * `template: t:1:3: executing "t" at <...>: render limit of N steps exceeded`;
 * a cancelled one with TMPL_ERR_CANCELLED and "render cancelled". */
/* Which template text wrote each stretch of a render's output
 * (tmpl_exec_opts.trace, src/trace.c): one span per write, in output order.
 * A literal span is template text copied one for one from src at src_pos;
 * any other is an action's value, written at the action's {{ (src_pos). */
typedef struct tmpl_span {
	size_t start, end;    /* byte offsets in the render's whole output */
	const char *name;     /* the name of the text the node was parsed from */
	const char *src;      /* that text */
	size_t src_len, src_pos;
	bool literal;
} tmpl_span;
typedef struct tmpl_trace {
	tmpl_span *spans;
	size_t n, cap;
} tmpl_trace;
/* The span holding output byte off (or the last one when off is at the end),
 * or NULL. */
const tmpl_span *tmpl_trace_find(const tmpl_trace *t, size_t off);
/* The 1-based line and byte column in the span's source of output byte off. */
void tmpl_trace_where(const tmpl_span *s, size_t off, int *line, int *col);
void tmpl_trace_free(tmpl_trace *t);

typedef struct tmpl_exec_opts {
	unsigned long long max_steps; /* actions, control nodes and range iterations */
	size_t max_memory;  /* bytes of values made while rendering, pending output included */
	size_t max_output;  /* bytes written */
	unsigned long long timeout_ms; /* wall-clock time from the start */
	/* Asked every thousand steps or so; true stops the render ("render cancelled"). */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
	/* Streaming: when set, pending output is handed to flush whenever it
	 * reaches flush_at bytes (0: 64 KiB), and once more at the end of a
	 * successful render, so out is left as it was at the start; flush returns
	 * 0, or -1 to stop the render. A render that fails before its first flush
	 * has handed nothing over. */
	int (*flush)(const char *buf, size_t len, void *arg);
	void *flush_arg;
	size_t flush_at;
	/* When set, every write of the render (not of the nested renders of
	 * include, tpl...: their value is the calling action's) is recorded
	 * here; off, it costs one test per write. */
	tmpl_trace *trace;
} tmpl_exec_opts;

/* Execute template NAME with dot = data (NOVALUE for nil data), appending to out.
 * On error out holds what was written before it (Go writes as it goes);
 * callers that must not emit partial output discard it. */
int tmpl_execute(const tmpl_set *s, const char *name, const tv *data, sbuf *out,
		 tmpl_error *err);
/* tmpl_execute within the bounds of opts (NULL: none). */
int tmpl_execute_opts(const tmpl_set *s, const char *name, const tv *data,
		      const tmpl_exec_opts *opts, sbuf *out, tmpl_error *err);

#endif
