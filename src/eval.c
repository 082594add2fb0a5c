/* eval.c: the tree-walking evaluator (Go's text/template exec.go semantics over tv values). */
#include "eval.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "fmt.h"
#include "func.h"
#include "stack_guard.h"
#include "types.h"
#include "tmpl.h"

#define EVAL_MAX_DEPTH 100000
/* How often (in steps) the clock and the cancel test are read. */
#define EVAL_CHECK_EVERY 1024u
/* Streaming: pending output is handed to the sink once it reaches this size
 * (unless the caller says otherwise). */
#define EVAL_FLUSH_AT (64u * 1024u)

/* The C stack budget per thread before the walk hops onto a fresh thread,
 * and the size of each such thread's stack (mapped lazily by the kernel). */
#define EVAL_STACK_BUDGET (512u * 1024u)
#define EVAL_HOP_STACK (256u * 1024u * 1024u)
#define EVAL_HOP_MARGIN (2u * 1024u * 1024u)

/* A value with its static Go type: iface means "interface {}" (an element
 * fetched from a map or list, or range's dot), so a TV_NULL is a nil
 * interface and error texts name "interface {}". */
typedef struct ev {
	const tv *v;
	bool iface;
} ev;

static const ev ev_none = {TV_NOVALUE, false};

typedef struct evar {
	const char *name;
	size_t len;
	ev val;
} evar;

/* Control-flow outcomes of walking a node. */
enum { W_OK = 0, W_ERR = -1, W_BREAK = 1, W_CONTINUE = 2 };

/* Kinds of parameter an argument is evaluated for. */
enum { ARG_ANY, ARG_STRING, ARG_UNTYPED };

typedef struct estate {
	const tmpl_set *set;
	const ast_tree *tmpl;   /* the template executing (its name goes into errors) */
	const ast_node *node;   /* current node, for errors (Go's s.at) */
	sbuf *out;
	tmpl_arena *arena;
	tmpl_error *err;
	evar *vars;
	size_t nvars, capvars;
	size_t base;            /* first variable visible to the executing template */
	size_t depth;           /* template call depth */
	char *stack_base;       /* C stack accounting for the hop */
	size_t stack_budget;
	bool failed;
	sbuf scratch[2];        /* reused by builtins that format (tmpl_call_scratch) */
	/* Limits (tmpl_exec_opts): eval_step's fast test compares against the three
	 * caps below, which eval_check recomputes. */
	const tmpl_exec_opts *opts;
	uint64_t steps, next_check;
	size_t pend_cap;        /* pending output that calls eval_check (limit or flush) */
	size_t mem_cap;         /* arena bytes + pending output that calls eval_check */
	size_t out_start;       /* out->len when the render began */
	size_t flushed;         /* bytes handed to opts->flush */
	uint64_t deadline_ns;   /* CLOCK_MONOTONIC, 0 = none */
	size_t min_set;         /* lowest variable index assigned (see walk_range_body) */
	/* Maps the render changed in place (sprig's set...), as they were before
	 * their first change: put back when the render ends (tmpl_call_will_change). */
	struct eval_undo {
		tv *map;
		tv was;
	} *undo;
	size_t nundo, capundo;
	/* A nested render (tmpl_call_execute): the render that called it, and
	 * the template it renders, for tmpl_call_active. */
	const struct estate *up;
	const char *sub_name;
	size_t sub_len;
	tmpl_exec_opts sub_opts; /* the caller's bounds, without its output sink */
	tmpl_trace *trace;       /* opts->trace of the top render; NULL in nested ones */
} estate;

/* What a builtin's tmpl_call.state points at. */
typedef struct ecall {
	estate *st;
	ev dot;
	ast_node **args;        /* explicit argument nodes */
	size_t nexplicit;
	const ev *final;        /* piped value or NULL */
	const ast_node *errnode;
	const char *name;
	const bool *iface;      /* per evaluated argument: static type interface {} */
} ecall;

static int walk(estate *st, ev dot, const ast_node *n);
static int eval_pipeline(estate *st, ev dot, const ast_node *pipe, ev *out);

/* ---- errors ---- */

static void eval_verror(estate *st, const char *fmt, va_list ap)
{
	if (st->failed)
		return;
	st->failed = true;
	sbuf msg = SBUF_INIT;
	const ast_node *n = st->node;
	const char *file = NULL;
	int line = 0, col = 0;
	if (!n) {
		sbuf_printf(&msg, "template: %s: ", st->tmpl ? st->tmpl->name : "");
	} else {
		const ast_tree *t = n->tree ? n->tree : st->tmpl;
		file = t->parse_name;
		line = (int)n->line;
		col = (int)n->col + 1;
		sbuf_printf(&msg, "template: %s:%u:%u: executing ", t->parse_name, n->line, n->col);
		fmt_quote(&msg, st->tmpl->name, strlen(st->tmpl->name));
		sbuf_puts(&msg, " at <");
		ast_string(&msg, n);
		sbuf_puts(&msg, ">: ");
	}
	sbuf_vprintf(&msg, fmt, ap);
	tmpl_error_set(st->err, TMPL_ERR_EXEC, file, line, col, "%s", msg.buf);
	sbuf_free(&msg);
}

__attribute__((format(printf, 2, 3))) static int eval_errorf(estate *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	eval_verror(st, fmt, ap);
	va_end(ap);
	return W_ERR;
}

/* Go's %q of a string, as a NUL-terminated scratch string in the arena. */
static const char *eval_quote(estate *st, const char *s, size_t len)
{
	sbuf b = SBUF_INIT;
	fmt_quote(&b, s, len);
	char *r = arena_strndup(st->arena, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return r;
}

/* A node's template text, for messages that quote it. */
static const char *eval_node_text(estate *st, const ast_node *n)
{
	sbuf b = SBUF_INIT;
	ast_string(&b, n);
	char *r = arena_strndup(st->arena, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return r;
}

/* %v of a value, for messages. */
static const char *eval_value_text(estate *st, const tv *v)
{
	sbuf b = SBUF_INIT;
	fmt_value(&b, v);
	char *r = arena_strndup(st->arena, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return r;
}

/* ---- C stack: deep recursion continues on a fresh thread ---- */

typedef struct hop {
	estate *st;
	bool is_walk;
	ev dot;
	const ast_node *node;
	ev *out;
	int rc;
} hop;

static void *eval_hop_main(void *arg)
{
	hop *h = arg;
	estate *st = h->st;
	st->stack_base = __builtin_frame_address(0);
	st->stack_budget = EVAL_HOP_STACK - EVAL_HOP_MARGIN;
	if (h->is_walk)
		h->rc = walk(st, h->dot, h->node);
	else
		h->rc = eval_pipeline(st, h->dot, h->node, h->out);
	return NULL;
}

static bool eval_stack_low(const estate *st)
{
	char *here = __builtin_frame_address(0);
	return (size_t)(st->stack_base - here) > st->stack_budget;
}

/* How much of the calling thread's stack the walk may use before hopping:
 * half of what is left, at most EVAL_STACK_BUDGET, so that renders started
 * on threads with small stacks stay safe too. */
static size_t eval_stack_budget(void)
{
	size_t left = stack_guard_left();
	return left / 2 < EVAL_STACK_BUDGET ? left / 2 : EVAL_STACK_BUDGET;
}

static int eval_hop(estate *st, bool is_walk, ev dot, const ast_node *node, ev *out)
{
	hop h = {st, is_walk, dot, node, out, W_ERR};
	char *save_base = st->stack_base;
	size_t save_budget = st->stack_budget;
	pthread_attr_t attr;
	pthread_t th;
	bool ran = false;
	if (pthread_attr_init(&attr) == 0) {
		if (pthread_attr_setstacksize(&attr, EVAL_HOP_STACK) == 0 &&
		    pthread_create(&th, &attr, eval_hop_main, &h) == 0) {
			pthread_join(th, NULL);
			ran = true;
		}
		pthread_attr_destroy(&attr);
	}
	if (!ran)
		eval_errorf(st, "out of stack space");
	st->stack_base = save_base;
	st->stack_budget = save_budget;
	return h.rc;
}

/* ---- limits ---- */

/* A bound reached (TMPL_ERR_LIMIT) or a cancel (TMPL_ERR_CANCELLED): Go's
 * execution-error text, with a kind callers can test. */
__attribute__((format(printf, 3, 4))) static int eval_bound(estate *st, tmpl_errkind kind,
							      const char *fmt, ...)
{
	bool first = !st->failed;
	va_list ap;
	va_start(ap, fmt);
	eval_verror(st, fmt, ap);
	va_end(ap);
	if (first)
		st->err->kind = kind;
	return W_ERR;
}

static uint64_t eval_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* "N bytes", or "N MiB" / "N KiB" when exact. */
static void eval_bytes(char *buf, size_t size, size_t n)
{
	if (n >= 1048576 && n % 1048576 == 0)
		snprintf(buf, size, "%zu MiB", n / 1048576);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, size, "%zu KiB", n / 1024);
	else
		snprintf(buf, size, "%zu bytes", n);
}

static size_t eval_flush_at(const tmpl_exec_opts *o)
{
	return o->flush_at ? o->flush_at : EVAL_FLUSH_AT;
}

/* Recompute the caps of eval_step's fast test. */
static void eval_caps(estate *st)
{
	const tmpl_exec_opts *o = st->opts;
	size_t pend = SIZE_MAX;
	if (o->max_output)
		pend = o->max_output >= st->flushed ? o->max_output - st->flushed + 1 : 0;
	if (o->flush && pend > eval_flush_at(o))
		pend = eval_flush_at(o);
	st->pend_cap = pend;
	st->mem_cap = o->max_memory ? o->max_memory : SIZE_MAX;
	uint64_t next = st->steps + EVAL_CHECK_EVERY;
	if (o->max_steps && next > o->max_steps + 1)
		next = o->max_steps + 1;
	if (!o->max_steps && !st->deadline_ns && !o->cancelled)
		next = UINT64_MAX;
	st->next_check = next;
}

/* Hand the pending output to the sink. */
static int eval_flush(estate *st)
{
	size_t pend = st->out->len - st->out_start;
	if (!st->opts->flush || pend == 0)
		return W_OK;
	if (st->opts->flush(st->out->buf + st->out_start, pend, st->opts->flush_arg) != 0)
		return eval_errorf(st, "error writing output");
	st->out->len = st->out_start;
	st->out->buf[st->out->len] = '\0';
	st->flushed += pend;
	return W_OK;
}

/* The slow half of eval_step: which limit was reached, or a flush, or the clock. */
static __attribute__((noinline)) int eval_check(estate *st)
{
	const tmpl_exec_opts *o = st->opts;
	char n[64];
	size_t pend = st->out->len - st->out_start;
	if (o->max_output && st->flushed + pend > o->max_output) {
		eval_bytes(n, sizeof n, o->max_output);
		return eval_bound(st, TMPL_ERR_LIMIT, "render output limit of %s exceeded", n);
	}
	if (o->max_memory && st->arena->total + pend > o->max_memory) {
		eval_bytes(n, sizeof n, o->max_memory);
		return eval_bound(st, TMPL_ERR_LIMIT, "render memory limit of %s exceeded", n);
	}
	if (o->max_steps && st->steps > o->max_steps)
		return eval_bound(st, TMPL_ERR_LIMIT, "render limit of %llu steps exceeded",
				  (unsigned long long)o->max_steps);
	if (o->flush && pend >= eval_flush_at(o) && eval_flush(st) != W_OK)
		return W_ERR;
	if (st->steps >= st->next_check) {
		if (st->deadline_ns && eval_now_ns() >= st->deadline_ns) {
			unsigned long long ms = o->timeout_ms;
			return eval_bound(st, TMPL_ERR_LIMIT,
					  ms % 1000 ? "render time limit of %llums exceeded"
						    : "render time limit of %llus exceeded",
					  ms % 1000 ? ms : ms / 1000);
		}
		if (o->cancelled && o->cancelled(o->cancel_arg))
			return eval_bound(st, TMPL_ERR_CANCELLED, "render cancelled");
	}
	eval_caps(st);
	return W_OK;
}

/* One step of work (an action, a control node, a range iteration): the limits'
 * fast test, a few compares. */
static inline int eval_step(estate *st)
{
	size_t pend = st->out->len - st->out_start;
	if (__builtin_expect(++st->steps >= st->next_check || pend >= st->pend_cap ||
				     st->arena->total + pend > st->mem_cap,
			     0))
		return eval_check(st);
	return W_OK;
}

/* ---- variables ---- */

static void var_push(estate *st, const char *name, size_t len, ev val)
{
	if (st->nvars == st->capvars) {
		size_t cap = st->capvars ? st->capvars * 2 : 32;
		evar *nv = realloc(st->vars, cap * sizeof(*nv));
		if (!nv)
			tmpl_out_of_memory();
		st->vars = nv;
		st->capvars = cap;
	}
	st->vars[st->nvars++] = (evar){name, len, val};
}

/* Variable names are a few bytes: compared in line, not through memcmp. */
static inline bool var_name_eq(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static evar *var_find(estate *st, const char *name, size_t len)
{
	for (size_t i = st->nvars; i > st->base; i--) {
		evar *v = &st->vars[i - 1];
		if (v->len == len && (v->name == name || var_name_eq(v->name, name, len)))
			return v;
	}
	return NULL;
}

static int var_set(estate *st, const ast_ident *id, ev val)
{
	evar *v = var_find(st, id->s, id->len);
	if (!v)
		return eval_errorf(st, "undefined variable: %s", id->s);
	v->val = val;
	if ((size_t)(v - st->vars) < st->min_set)
		st->min_set = (size_t)(v - st->vars);
	return 0;
}

/* ---- values ---- */

static const char *static_type(ev x)
{
	return x.iface ? "interface {}" : tv_type_name(x.v);
}

/* Is an element of this list or map a Go interface {} value? Plain YAML
 * containers hold interface {} elements; typed ones (types.h) their elem type. */
static bool elem_is_iface(const tv *c)
{
	const tmpl_type *t = c->type;
	return !t || !t->elem || t->elem->kind == TK_ANY;
}

/* The zero value of a container's element type: a nil interface for plain
 * YAML, Go's zero of the elem type for typed containers. */
static const tv *elem_zero(estate *st, const tv *c)
{
	const tmpl_type *t = c->type;
	if (t && t->elem && t->elem->kind != TK_ANY) {
		tmpl_error e;
		const tv *z = TV_NOVALUE;
		tmpl_error_init(&e);
		int rc = types_view(st->arena, t->elem, TV_NOVALUE, &z, &e);
		tmpl_error_clear(&e);
		if (rc == 0 && z)
			return z;
	}
	return &tv_null_value;
}

/* Field or method of a typed value (struct, nil pointer, enum, duration)
 * through types.h: 0 found, 1 no such field or method, -1 error (recorded). */
static int eval_typed_field(estate *st, const ast_ident *id, bool has_args, ev recv, ev *out)
{
	tmpl_error e;
	const tv *r = TV_NOVALUE;
	tmpl_error_init(&e);
	const tmpl_field *f;
	int rc = types_get_h(st->arena, recv.v, id->s, id->len, id->hash, &r, &f, &e);
	if (rc < 0)
		eval_errorf(st, "%s", e.msg ? e.msg : "error evaluating typed field");
	tmpl_error_clear(&e);
	if (rc != 0)
		return rc;
	if (has_args)
		return eval_errorf(st, "%s has arguments but cannot be invoked as function", id->s);
	/* a field declared interface {} (raw YAML) keeps that static type */
	*out = (ev){r, f && f->type && f->type->kind == TK_ANY};
	return 0;
}

static bool has_chars(const char *s, const char *set)
{
	return strpbrk(s, set) != NULL;
}

/* Loop indexes come from a shared table of small ints, so ranging over a
 * long list does not fill the arena with one int per iteration. */
#define EVAL_SMALL_INTS 1024
static tv eval_small_ints[EVAL_SMALL_INTS];
static pthread_once_t eval_small_once = PTHREAD_ONCE_INIT;

static void eval_small_init(void)
{
	for (int i = 0; i < EVAL_SMALL_INTS; i++) {
		eval_small_ints[i].kind = TV_INT;
		eval_small_ints[i].u.i = i;
	}
}

static const tv *eval_int(estate *st, int64_t i)
{
	if (i >= 0 && i < EVAL_SMALL_INTS)
		return &eval_small_ints[i];
	return tv_int(st->arena, i);
}

/* Go's idealConstant: a number in a context without a type. */
static int ideal_constant(estate *st, const ast_node *n, ev *out)
{
	st->node = n;
	const char *text = n->u.num.text;
	size_t tl = strlen(text);
	bool hexint = tl > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') &&
		      !has_chars(text, "pP");
	bool runeint = tl > 0 && text[0] == '\'';
	if (n->u.num.is_complex)
		return eval_errorf(st, "complex constant %s is not supported", text);
	if (n->u.num.is_float && !hexint && !runeint && has_chars(text, ".eEpP")) {
		*out = (ev){tv_float(st->arena, n->u.num.f), false};
		return 0;
	}
	if (n->u.num.is_int) {
		*out = (ev){eval_int(st, n->u.num.i), false};
		return 0;
	}
	if (n->u.num.is_uint)
		return eval_errorf(st, "%s overflows int", text);
	*out = ev_none;
	return 0;
}

/* ---- field lookup ---- */

static int eval_method(estate *st, ev dot, const ast_node *node, const tmpl_method *m, ev recv,
		       ast_node *const *args, size_t nargs, const ev *final, ev *out);

/* Go's evalField: node is the field, chain or variable node the name is in;
 * args (nargs words, args[0] being node) and final are the command's, for a
 * method to take (NULL, 0, NULL for a name inside a chain). */
static int eval_field(estate *st, ev dot, const ast_node *node, const ast_ident *id,
		      ast_node *const *args, size_t nargs, const ev *final, ev recv, ev *out)
{
	bool has_args = nargs > 1 || final;
	if (!recv.v) {
		if (st->set->missingkey == TMPL_MISSING_ERROR)
			return eval_errorf(st, "nil data; no entry for key %s",
					   eval_quote(st, id->s, id->len));
		*out = ev_none;
		return 0;
	}
	if (recv.v->type) {
		/* the methods of native types (types.h) with their arguments,
		 * then Go's fields and methods (GetX, String) of typed values;
		 * a typed map without such a method is still a map */
		const tmpl_method *m = types_method(recv.v->type, id->s, id->len);
		if (m)
			return eval_method(st, dot, node, m, recv, args, nargs, final, out);
		if (types_unexported(recv.v->type, id->s, id->len))
			return eval_errorf(st, "%s is an unexported field of struct type %s", id->s,
					   static_type(recv));
		int rc = eval_typed_field(st, id, has_args, recv, out);
		if (rc <= 0)
			return rc;
		if (recv.v->kind != TV_MAP)
			return eval_errorf(st, "can't evaluate field %s in type %s", id->s,
					   static_type(recv));
	}
	if (recv.v->kind == TV_NULL)
		return eval_errorf(st, "nil pointer evaluating %s.%s", static_type(recv), id->s);
	if (recv.v->kind == TV_MAP) {
		if (has_args)
			return eval_errorf(st, "%s is not a method but has arguments", id->s);
		const tv *r = tv_map_get_h(recv.v, id->s, id->len, id->hash);
		if (!r) {
			switch (st->set->missingkey) {
			case TMPL_MISSING_INVALID:
				*out = ev_none;
				return 0;
			case TMPL_MISSING_ZERO:
				*out = (ev){elem_zero(st, recv.v), elem_is_iface(recv.v)};
				return 0;
			case TMPL_MISSING_ERROR:
				return eval_errorf(st, "map has no entry for key %s",
						   eval_quote(st, id->s, id->len));
			}
		}
		*out = (ev){r, elem_is_iface(recv.v)};
		return 0;
	}
	return eval_errorf(st, "can't evaluate field %s in type %s", id->s, static_type(recv));
}

/* .X.Y.Z: args are the command's nargs words (the chain itself is the
 * first), or NULL when nargs is 0 or 1. */
static int eval_field_chain(estate *st, ev dot, ev recv, const ast_node *node,
			    const ast_ident *ids, size_t n, ast_node *const *args, size_t nargs,
			    const ev *final, ev *out)
{
	bool has_args = nargs > 1 || final;
	for (size_t i = 0; i < n; i++) {
		/* The common step in line: a plain YAML map holding the key (its
		 * elements are interface {} values); anything else, eval_field. */
		const tv *m = recv.v;
		if (m && !m->type && m->kind == TV_MAP && (i + 1 < n || !has_args)) {
			const tv *r = tv_map_get_h(m, ids[i].s, ids[i].len, ids[i].hash);
			if (r) {
				recv = (ev){r, true};
				continue;
			}
		}
		if (i + 1 == n)
			return eval_field(st, dot, node, &ids[i], args, nargs, final, recv, out);
		if (eval_field(st, dot, node, &ids[i], NULL, 0, NULL, recv, &recv) < 0)
			return W_ERR;
	}
	*out = recv;
	return 0;
}

static int not_a_function(estate *st, ast_node *const *args, size_t nargs, const ev *final)
{
	if (nargs > 1 || final)
		return eval_errorf(st, "can't give argument to non-function %s",
				   eval_node_text(st, args[0]));
	return 0;
}

static int eval_function(estate *st, ev dot, const ast_node *ident, const ast_node *errnode,
			 ast_node *const *args, size_t nargs, const ev *final, ev *out);
static int eval_arg(estate *st, ev dot, int kind, const ast_node *n, ev *out);

static int eval_field_node(estate *st, ev dot, const ast_node *n, ast_node *const *args,
			   size_t nargs, const ev *final, ev *out)
{
	st->node = n;
	return eval_field_chain(st, dot, dot, n, n->u.field.idents, n->u.field.n, args, nargs, final,
				out);
}

static int eval_chain_node(estate *st, ev dot, const ast_node *n, ast_node *const *args,
			   size_t nargs, const ev *final, ev *out)
{
	st->node = n;
	if (n->u.chain.node->kind == AST_NIL)
		return eval_errorf(st, "indirection through explicit nil in %s", eval_node_text(st, n));
	ev recv;
	if (eval_arg(st, dot, ARG_UNTYPED, n->u.chain.node, &recv) < 0)
		return W_ERR;
	return eval_field_chain(st, dot, recv, n, n->u.chain.idents, n->u.chain.n, args, nargs,
				final, out);
}

static int eval_variable_node(estate *st, ev dot, const ast_node *n, ast_node *const *args,
			      size_t nargs, const ev *final, ev *out)
{
	st->node = n;
	if (n->u.field.n == 0)
		return eval_errorf(st, "empty variable");
	const ast_ident *id = &n->u.field.idents[0];
	evar *var = var_find(st, id->s, id->len);
	if (!var)
		return eval_errorf(st, "undefined variable: %s", id->s);
	if (n->u.field.n == 1) {
		if (not_a_function(st, args, nargs, final) < 0)
			return W_ERR;
		*out = var->val;
		return 0;
	}
	return eval_field_chain(st, dot, var->val, n, n->u.field.idents + 1, n->u.field.n - 1, args,
				nargs, final, out);
}

/* ---- arguments ---- */

/* Go's validateType for the parameter kinds builtins have. */
static int validate(estate *st, ev x, int kind, ev *out)
{
	if (kind == ARG_STRING) {
		if (!x.v)
			return eval_errorf(st, "invalid value; expected string");
		/* a named string type (types.h) is not assignable to string either */
		bool named = x.v->type && strcmp(tv_type_name(x.v), "string") != 0;
		if (x.v->kind != TV_STRING || named)
			return eval_errorf(st, "wrong type for value; expected string; got %s",
					   x.v->kind == TV_NULL && !x.v->type ? "interface {}"
									: tv_type_name(x.v));
	}
	*out = x;
	return 0;
}

static int eval_arg(estate *st, ev dot, int kind, const ast_node *n, ev *out)
{
	ev x;
	st->node = n;
	switch (n->kind) {
	case AST_DOT:
		return validate(st, dot, kind, out);
	case AST_NIL:
		if (kind == ARG_STRING)
			return eval_errorf(st, "cannot assign nil to string");
		*out = ev_none;
		return 0;
	case AST_FIELD:
		if (eval_field_node(st, dot, n, NULL, 1, NULL, &x) < 0)
			return W_ERR;
		return validate(st, x, kind, out);
	case AST_VARIABLE:
		if (eval_variable_node(st, dot, n, NULL, 0, NULL, &x) < 0)
			return W_ERR;
		return validate(st, x, kind, out);
	case AST_PIPE:
		if (eval_pipeline(st, dot, n, &x) < 0)
			return W_ERR;
		return validate(st, x, kind, out);
	case AST_IDENT:
		if (eval_function(st, dot, n, n, NULL, 0, NULL, &x) < 0)
			return W_ERR;
		return validate(st, x, kind, out);
	case AST_CHAIN:
		if (eval_chain_node(st, dot, n, NULL, 0, NULL, &x) < 0)
			return W_ERR;
		return validate(st, x, kind, out);
	default:
		break;
	}
	if (kind == ARG_STRING) {
		if (n->kind == AST_STRING) {
			*out = (ev){n->u.str.val, false};
			return 0;
		}
		return eval_errorf(st, "expected string; found %s", eval_node_text(st, n));
	}
	switch (n->kind) {
	case AST_BOOL:
		*out = (ev){tv_bool(n->u.boolean), false};
		return 0;
	case AST_NUMBER:
		return ideal_constant(st, n, out);
	case AST_STRING:
		*out = (ev){n->u.str.val, false};
		return 0;
	default:
		return eval_errorf(st, "can't handle assignment of %s to empty interface argument",
				   eval_node_text(st, n));
	}
}

/* ---- function calls ---- */

int tmpl_call_arg(tmpl_call *c, size_t i, const tv **out)
{
	ecall *ec = c->state;
	ev x;
	if (i < ec->nexplicit) {
		if (eval_arg(ec->st, ec->dot, ARG_ANY, ec->args[i], &x) < 0)
			return -1;
	} else {
		x = *ec->final;
	}
	*out = x.v;
	return 0;
}

int tmpl_call_errorf(tmpl_call *c, const char *fmt, ...)
{
	ecall *ec = c->state;
	estate *st = ec->st;
	sbuf m = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&m, fmt, ap);
	va_end(ap);
	st->node = ec->errnode;
	eval_errorf(st, "error calling %s: %s", ec->name, m.buf ? m.buf : "");
	sbuf_free(&m);
	return -1;
}

/* Go validates each argument right after evaluating it and reports a
 * mismatch at the node it is on: for the last argument or the piped value
 * that is still the current node when the function runs. */
int tmpl_call_typef(tmpl_call *c, const char *fmt, ...)
{
	ecall *ec = c->state;
	sbuf m = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&m, fmt, ap);
	va_end(ap);
	eval_errorf(ec->st, "%s", m.buf ? m.buf : "");
	sbuf_free(&m);
	return -1;
}

int tmpl_call_param_error(tmpl_call *c, size_t i, const char *want, const tv *got)
{
	ecall *ec = c->state;
	estate *st = ec->st;
	/* Go converts each argument as it evaluates it (evalArg), so the error
	 * is at that argument's node, and a constant is judged by its syntax */
	const ast_node *n = i < ec->nexplicit ? ec->args[i] : NULL;
	/* A parenthesized pipeline leaves Go's position at the last node its
	 * evaluation visited (evalArg's s.at(n) is overwritten inside it). */
	if (n && n->kind != AST_PIPE)
		st->node = n;
	if (n && n->kind == AST_NIL)
		return eval_errorf(st, "cannot assign nil to %s", want);
	if (n && (n->kind == AST_STRING || n->kind == AST_NUMBER || n->kind == AST_BOOL)) {
		const char *what = NULL;
		if (strcmp(want, "string") == 0)
			what = "string";
		else if (strcmp(want, "bool") == 0)
			what = "bool";
		else if (strcmp(want, "float64") == 0 || strcmp(want, "float32") == 0)
			what = "float";
		else if (strncmp(want, "int", 3) == 0)
			what = "integer";
		else if (strncmp(want, "uint", 4) == 0)
			what = "unsigned integer";
		if (what)
			return eval_errorf(st, "expected %s; found %s", what, eval_node_text(st, n));
		return eval_errorf(st, "can't handle %s for arg of type %s", eval_node_text(st, n), want);
	}
	if (!got)
		return eval_errorf(st, "invalid value; expected %s", want);
	const char *t = got->type && got->type->go_name ? got->type->go_name
			: got->kind == TV_NULL ? "interface {}" : tv_type_name(got);
	return eval_errorf(st, "wrong type for value; expected %s; got %s", want, t);
}

void tmpl_call_will_change(tmpl_call *c, tv *map)
{
	estate *st = ((ecall *)c->state)->st;
	if (map->flags & TVF_CHANGED)
		return;
	if (st->nundo == st->capundo) {
		size_t cap = st->capundo ? st->capundo * 2 : 16;
		struct eval_undo *u = realloc(st->undo, cap * sizeof *u);
		if (!u)
			abort(); /* as the arena does when memory runs out */
		st->undo = u;
		st->capundo = cap;
	}
	st->undo[st->nundo].map = map;
	st->undo[st->nundo].was = *map;
	st->nundo++;
	map->flags |= TVF_CHANGED;
}

/* The render is over: its data is as it was given, and no map points into
 * the render's arena, which is about to go. Newest first, so each map gets
 * the state it had before the render touched it. */
static void eval_undo_changes(estate *st)
{
	for (size_t i = st->nundo; i-- > 0;)
		*st->undo[i].map = st->undo[i].was;
	free(st->undo);
}

bool tmpl_call_arg_is_iface(tmpl_call *c, size_t i)
{
	ecall *ec = c->state;
	return ec->iface && i < c->nargs && ec->iface[i];
}

int tmpl_call_budget(tmpl_call *c, uint64_t bytes)
{
	estate *st = ((ecall *)c->state)->st;
	const tmpl_exec_opts *o = st->opts;
	size_t used = st->arena->total + (st->out->len - st->out_start);
	if (!o->max_memory || (bytes <= o->max_memory && used <= o->max_memory - bytes))
		return 0;
	char n[64];
	eval_bytes(n, sizeof n, o->max_memory);
	return eval_bound(st, TMPL_ERR_LIMIT, "render memory limit of %s exceeded", n);
}

sbuf *tmpl_call_scratch(tmpl_call *c, int i)
{
	ecall *ec = c->state;
	sbuf *b = &ec->st->scratch[i ? 1 : 0];
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
	return b;
}

/* ---- nested renders (Helm's include and tpl) ---- */

/* Render tree of set with dot = data into out, as a render of its own (Go's
 * ExecuteTemplate: its own variables, its own error text) that shares the
 * caller's bounds: steps, memory, clock and cancel carry over; its output is
 * a value, not output yet, so it has no sink and no output bound. A bound
 * reached inside ends the caller's render too: the caller's error is set
 * (a function's tmpl_call_errorf then leaves it as it is). */
static int eval_sub(estate *up, const tmpl_set *set, const ast_tree *tree, const char *name,
		    size_t len, const tv *data, sbuf *out, tmpl_error *err)
{
	if (up->depth >= EVAL_MAX_DEPTH)
		return tmpl_error_set(err, TMPL_ERR_EXEC, NULL, 0, 0,
				      "exceeded maximum template depth (%d)", EVAL_MAX_DEPTH);
	estate *st = calloc(1, sizeof *st);
	if (!st)
		tmpl_out_of_memory();
	st->set = set;
	st->tmpl = tree;
	st->out = out;
	st->arena = up->arena;
	st->err = err;
	st->depth = up->depth + 1;
	st->stack_base = up->stack_base;
	st->stack_budget = up->stack_budget;
	st->sub_opts = *up->opts;
	st->sub_opts.flush = NULL;
	st->sub_opts.max_output = 0;
	st->opts = &st->sub_opts;
	st->steps = up->steps;
	st->deadline_ns = up->deadline_ns;
	st->out_start = out->len;
	st->min_set = SIZE_MAX;
	st->up = up;
	st->sub_name = name;
	st->sub_len = len;
	if (data && data->kind == TV_NULL)
		data = TV_NOVALUE;
	ev dot = {data, false};
	sbuf_put(out, "", 0);
	int w = W_ERR;
	if (!tree->root) {
		eval_errorf(st, "%s is an incomplete or empty template",
			    eval_quote(st, tree->name, strlen(tree->name)));
	} else {
		eval_caps(st);
		var_push(st, "$", 1, dot);
		w = walk(st, dot, tree->root);
	}
	up->steps = st->steps;
	free(st->vars);
	sbuf_free(&st->scratch[0]);
	sbuf_free(&st->scratch[1]);
	bool failed = w == W_ERR || st->failed;
	free(st);
	if (failed && (err->kind == TMPL_ERR_LIMIT || err->kind == TMPL_ERR_CANCELLED)) {
		up->failed = true;
		tmpl_error_set(up->err, err->kind, err->file, err->line, err->col, "%s", err->msg);
	}
	return failed ? -1 : 0;
}

int tmpl_call_execute(tmpl_call *c, const char *name, size_t len, const tv *data, sbuf *out,
		      tmpl_error *err)
{
	estate *st = ((ecall *)c->state)->st;
	const ast_tree *t = set_lookup(st->set, name, len);
	if (!t)
		return 1;
	return eval_sub(st, st->set, t, t->name, len, data, out, err);
}

int tmpl_call_parse_execute(tmpl_call *c, const char *name, const char *text, size_t len,
			    tmpl_missingkey missingkey, const tv *data, sbuf *out, tmpl_error *err)
{
	estate *st = ((ecall *)c->state)->st;
	tmpl_set clone;
	/* the clone's trees live in the render's arena: values the text makes
	 * may point into them after it is done */
	if (set_clone_parse(st->set, st->arena, name, text, len, &clone, err) != 0) {
		set_clone_release(&clone);
		return -1;
	}
	clone.missingkey = missingkey;
	const ast_tree *t = set_lookup(&clone, name, strlen(name));
	int rc = eval_sub(st, &clone, t, NULL, 0, data, out, err);
	set_clone_release(&clone);
	return rc;
}

size_t tmpl_call_active(tmpl_call *c, const char *name, size_t len)
{
	size_t n = 0;
	for (const estate *st = ((ecall *)c->state)->st; st; st = st->up)
		if (st->sub_name && st->sub_len == len && memcmp(st->sub_name, name, len) == 0)
			n++;
	return n;
}

/* reflect.Value's String() for the callee name of a piped `call`. */
static const char *value_string(estate *st, const tv *v)
{
	if (!v)
		return "<invalid Value>";
	if (v->kind == TV_STRING)
		return v->u.s.ptr;
	size_t n = strlen(tv_type_name(v)) + 16;
	char *s = arena_alloc(st->arena, n);
	snprintf(s, n, "<%s Value>", tv_type_name(v));
	return s;
}

#define EVAL_LOCAL_ARGS 8

static int eval_call(estate *st, ev dot, const tmpl_func *fn, const ast_node *errnode,
		     ast_node *const *args, size_t nargs, const ev *final, ev *out)
{
	size_t numin = nargs + (final ? 1 : 0);
	char arity[200];
	if (func_arity(fn, nargs, final != NULL, arity, sizeof arity) != 0)
		return eval_errorf(st, "%s", arity);
	ecall ec = {st, dot, (ast_node **)args, nargs, final, errnode, fn->name, NULL};
	tmpl_call c = {fn, st->arena, NULL, numin, &ec};
	const tv *res = TV_NOVALUE;
	if (fn->flags & FN_LAZY) {
		if (fn->fn(&c, &res) < 0)
			return W_ERR;
		*out = (ev){res, false};
		return 0;
	}
	/* `call` learns its callee's name as a hidden first argument, as in Go. */
	bool is_call = fn->fn == bi_call;
	size_t total = numin + (is_call ? 1 : 0);
	const tv *local[EVAL_LOCAL_ARGS];
	bool local_iface[EVAL_LOCAL_ARGS];
	const tv **argv = local;
	bool *iface = local_iface;
	if (total > EVAL_LOCAL_ARGS) {
		argv = arena_alloc(st->arena, total * sizeof(*argv));
		iface = arena_alloc(st->arena, total * sizeof(*iface));
	}
	const tv **av = argv;
	bool *af = iface;
	if (is_call) {
		const char *callee = nargs ? eval_node_text(st, args[0]) : value_string(st, final->v);
		av[0] = tv_string_ref(st->arena, callee, strlen(callee));
		af[0] = false;
		av++;
		af++;
	}
	size_t i = 0;
	for (; i < nargs; i++) {
		int kind = (i == 0 && (fn->flags & FN_ARG0_STRING)) ? ARG_STRING : ARG_ANY;
		ev x;
		if (eval_arg(st, dot, kind, args[i], &x) < 0)
			return W_ERR;
		av[i] = x.v;
		af[i] = x.iface;
	}
	if (final) {
		int kind = (i == 0 && (fn->flags & FN_ARG0_STRING)) ? ARG_STRING : ARG_ANY;
		ev x;
		if (validate(st, *final, kind, &x) < 0)
			return W_ERR;
		av[i] = x.v;
		af[i] = x.iface;
	}
	c.args = argv;
	ec.iface = iface;
	c.nargs = total;
	if (fn->flags & FN_MUTATES)
		st->min_set = 0; /* a value may now be kept where a variable would keep it */
	if (fn->fn(&c, &res) < 0)
		return W_ERR;
	*out = (ev){res, false};
	return 0;
}

static int eval_function(estate *st, ev dot, const ast_node *ident, const ast_node *errnode,
			 ast_node *const *args, size_t nargs, const ev *final, ev *out)
{
	st->node = ident;
	const tmpl_func *fn = ident->u.ident.fn;
	if (!fn)
		fn = func_lookup_in(&st->set->lib, ident->u.ident.name, strlen(ident->u.ident.name));
	if (!fn)
		return eval_errorf(st, "%s is not a defined function",
				   eval_quote(st, ident->u.ident.name, strlen(ident->u.ident.name)));
	if (args) {
		args++;
		nargs--;
	}
	return eval_call(st, dot, fn, errnode, args, nargs, final, out);
}

/* ---- method calls (native types, types.h) ---- */

/* Go's validateType for a parameter of type t: a value of t, or a pointer
 * to t (Go's Elem); no value is a nil pointer where one can be nil. */
static int validate_param(estate *st, ev x, const tmpl_type *t, const tv **out)
{
	if (t->kind == TK_STRING && !t->native) {
		ev y;
		if (validate(st, x, ARG_STRING, &y) < 0)
			return W_ERR;
		*out = y.v;
		return 0;
	}
	const tv *v = x.v;
	if (!v) {
		if (t->kind != TK_PTR && t->kind != TK_MAP && t->kind != TK_SLICE)
			return eval_errorf(st, "invalid value; expected %s", t->go_name);
		tv *z = arena_alloc(st->arena, sizeof *z);
		z->kind = TV_NULL;
		z->type = t;
		*out = z;
		return 0;
	}
	if (v->type == t || (v->type && v->type->kind == TK_PTR && v->type->elem == t)) {
		*out = v;
		return 0;
	}
	return eval_errorf(st, "wrong type for value; expected %s; got %s", t->go_name,
			   v->kind == TV_NULL && !v->type ? "interface {}" : tv_type_name(v));
}

/* Go's evalArg for a parameter of type t. Go converts a constant to a
 * parameter of basic kind; methods here take strings, or types no constant
 * converts to. */
static int eval_param(estate *st, ev dot, const tmpl_type *t, const ast_node *n, const tv **out)
{
	ev x;
	if (t->kind == TK_STRING && !t->native) {
		if (eval_arg(st, dot, ARG_STRING, n, &x) < 0)
			return W_ERR;
		*out = x.v;
		return 0;
	}
	st->node = n;
	switch (n->kind) {
	case AST_NIL:
		if (t->kind != TK_PTR && t->kind != TK_MAP && t->kind != TK_SLICE)
			return eval_errorf(st, "cannot assign nil to %s", t->go_name);
		return validate_param(st, ev_none, t, out);
	case AST_STRING:
	case AST_NUMBER:
	case AST_BOOL:
		return eval_errorf(st, "can't handle %s for arg of type %s", eval_node_text(st, n),
				   t->go_name);
	default:
		if (eval_arg(st, dot, ARG_ANY, n, &x) < 0)
			return W_ERR;
		return validate_param(st, x, t, out);
	}
}

/* Go's evalCall of a method: the count of arguments, each converted as it
 * is evaluated, the piped value last, then the call, whose error is
 * reported at the node the method was named in. */
static int eval_method(estate *st, ev dot, const ast_node *node, const tmpl_method *m, ev recv,
		       ast_node *const *args, size_t nargs, const ev *final, ev *out)
{
	size_t nexplicit = nargs > 1 ? nargs - 1 : 0;
	size_t numin = nexplicit + (final ? 1 : 0);
	if (numin != m->nparams)
		return eval_errorf(st, "wrong number of args for %s: want %zu got %zu", m->name,
				   m->nparams, numin);
	if (recv.v->kind == TV_NULL)
		return eval_errorf(st, "nil pointer evaluating %s.%s", static_type(recv), m->name);
	const tv **argv = arena_alloc(st->arena, (numin ? numin : 1) * sizeof *argv);
	for (size_t i = 0; i < nexplicit; i++)
		if (eval_param(st, dot, m->params[i], args[i + 1], &argv[i]) < 0)
			return W_ERR;
	if (final && validate_param(st, *final, m->params[numin - 1], &argv[numin - 1]) < 0)
		return W_ERR;
	sbuf err = SBUF_INIT;
	const tv *res = TV_NOVALUE;
	if (m->call(st->arena, recv.v, argv, &res, &err) < 0) {
		st->node = node;
		eval_errorf(st, "error calling %s: %s", m->name, err.buf ? err.buf : "");
		sbuf_free(&err);
		return W_ERR;
	}
	sbuf_free(&err);
	*out = (ev){res, false};
	return 0;
}

/* ---- commands and pipelines ---- */

static int eval_command(estate *st, ev dot, const ast_node *cmd, const ev *final, ev *out)
{
	ast_node *const *args = cmd->u.cmd.args;
	size_t nargs = cmd->u.cmd.n;
	if (nargs == 0) {
		st->node = cmd;
		return eval_errorf(st, "empty command");
	}
	const ast_node *first = args[0];
	switch (first->kind) {
	case AST_FIELD:
		return eval_field_node(st, dot, first, args, nargs, final, out);
	case AST_CHAIN:
		return eval_chain_node(st, dot, first, args, nargs, final, out);
	case AST_IDENT:
		return eval_function(st, dot, first, cmd, args, nargs, final, out);
	case AST_PIPE:
		if (not_a_function(st, args, nargs, final) < 0)
			return W_ERR;
		return eval_pipeline(st, dot, first, out);
	case AST_VARIABLE:
		return eval_variable_node(st, dot, first, args, nargs, final, out);
	default:
		break;
	}
	st->node = first;
	if (not_a_function(st, args, nargs, final) < 0)
		return W_ERR;
	switch (first->kind) {
	case AST_BOOL:
		*out = (ev){tv_bool(first->u.boolean), false};
		return 0;
	case AST_DOT:
		*out = dot;
		return 0;
	case AST_NIL:
		return eval_errorf(st, "nil is not a command");
	case AST_NUMBER:
		return ideal_constant(st, first, out);
	case AST_STRING:
		*out = (ev){first->u.str.val, false};
		return 0;
	default:
		return eval_errorf(st, "can't evaluate command %s", eval_node_text(st, first));
	}
}

static int eval_pipeline(estate *st, ev dot, const ast_node *pipe, ev *out)
{
	if (!pipe) {
		*out = ev_none;
		return 0;
	}
	if (eval_stack_low(st))
		return eval_hop(st, false, dot, pipe, out);
	st->node = pipe;
	/* The running value lives in *out: each command reads it as its final
	 * argument before writing its own result there, and the fields are
	 * updated one by one (cheaper than copying the pair through memory). */
	*out = ev_none;
	for (size_t i = 0; i < pipe->u.pipe.ncmds; i++) {
		if (eval_command(st, dot, pipe->u.pipe.cmds[i], i ? out : NULL, out) < 0)
			return W_ERR;
		/* Go's reflect.ValueOf(v.Interface()): a nil interface becomes
		 * no value; a typed nil pointer (types.h) stays. */
		if (out->v && out->v->kind == TV_NULL && !out->v->type)
			out->v = TV_NOVALUE;
		out->iface = false;
	}
	/* Not "*out": reading the whole pair back right after the byte store to
	 * iface would stall on store forwarding (a third of this function's time). */
	ev value = {out->v, false};
	for (size_t i = 0; i < pipe->u.pipe.ndecl; i++) {
		const ast_ident *id = &pipe->u.pipe.decl[i]->u.field.idents[0];
		if (pipe->u.pipe.is_assign) {
			if (var_set(st, id, value) < 0)
				return W_ERR;
		} else {
			var_push(st, id->s, id->len, value);
		}
	}
	return 0;
}

/* ---- walking ---- */

static int walk_if_with(estate *st, ev dot, const ast_node *n)
{
	size_t mark = st->nvars;
	ev val;
	int rc = eval_pipeline(st, dot, n->u.branch.pipe, &val);
	if (rc == W_OK) {
		if (tv_truth(val.v))
			rc = walk(st, n->kind == AST_WITH ? val : dot, n->u.branch.list);
		else if (n->u.branch.else_list)
			rc = walk(st, dot, n->u.branch.else_list);
	}
	st->nvars = mark;
	return rc;
}

typedef struct range_ctx {
	estate *st;
	const ast_node *r;
	size_t mark;
} range_ctx;

/* The start of an iteration, before its index and element are made: a step,
 * and the arena's mark to give the iteration's values back at its end. */
static int range_begin(range_ctx *rc, arena_mark *am)
{
	rc->st->node = rc->r;
	*am = arena_mark_now(rc->st->arena);
	return eval_step(rc->st);
}

/* One iteration: returns W_OK to go on, W_BREAK to stop, W_ERR.
 *
 * Values made during an iteration are garbage at its end unless a variable
 * declared before the range was assigned one (the only way a value outlives
 * an iteration: output is copied), so then the arena goes back to am and a
 * loop that prints nothing runs in constant memory. */
static int range_once(range_ctx *rc, arena_mark am, ev index, ev elem)
{
	estate *st = rc->st;
	const ast_node *pipe = rc->r->u.branch.pipe;
	size_t nd = pipe ? pipe->u.pipe.ndecl : 0;
	size_t outer_min = st->min_set;
	st->min_set = SIZE_MAX;
	int w = W_OK;
	if (nd > 0) {
		if (pipe->u.pipe.is_assign) {
			if (var_set(st, &pipe->u.pipe.decl[0]->u.field.idents[0], nd > 1 ? index : elem) < 0)
				w = W_ERR;
		} else {
			st->vars[st->nvars - 1].val = elem;
		}
	}
	if (nd > 1 && w == W_OK) {
		if (pipe->u.pipe.is_assign) {
			if (var_set(st, &pipe->u.pipe.decl[1]->u.field.idents[0], elem) < 0)
				w = W_ERR;
		} else {
			st->vars[st->nvars - 2].val = index;
		}
	}
	if (w == W_OK)
		w = walk(st, elem, rc->r->u.branch.list);
	st->nvars = rc->mark;
	if (w != W_ERR && st->min_set >= rc->mark)
		arena_release(st->arena, am);
	if (st->min_set > outer_min)
		st->min_set = outer_min;
	if (w == W_CONTINUE)
		w = W_OK;
	return w;
}

/* range over a list: index and element; *ran when the body ran. */
static int range_list(range_ctx *rc, const tv *v, bool *ran)
{
	arena_mark am;
	int w = W_OK;
	for (size_t i = 0; i < v->u.list.len && w == W_OK; i++) {
		*ran = true;
		if (range_begin(rc, &am) != W_OK)
			return W_ERR;
		w = range_once(rc, am, (ev){eval_int(rc->st, (int64_t)i), false},
			       (ev){v->u.list.items[i], elem_is_iface(v)});
	}
	return w;
}

/* range over a map: key and value in sorted key order. */
static int range_map(range_ctx *rc, const tv *v, bool *ran)
{
	if (v->u.map.len == 0)
		return W_OK;
	/* The pairs as they are now, as Go's fmtsort takes them: sprig's
	 * set or unset in the body changes the map, not this snapshot. */
	const tv_pair *p = tv_map_sorted(rc->st->arena, v);
	size_t n = v->u.map.len;
	bool keyface = (v->flags & TVF_ANYKEYS) != 0;
	arena_mark am;
	int w = W_OK;
	for (size_t i = 0; i < n && w == W_OK; i++) {
		*ran = true;
		if (range_begin(rc, &am) != W_OK)
			return W_ERR;
		w = range_once(rc, am, (ev){p[i].key, keyface}, (ev){p[i].val, elem_is_iface(v)});
	}
	return w;
}

/* range over an integer n (Go 1.22): 0 .. n-1, one variable only. */
static int range_int(range_ctx *rc, const tv *v, bool *ran)
{
	estate *st = rc->st;
	const ast_node *r = rc->r;
	if (r->u.branch.pipe && r->u.branch.pipe->u.pipe.ndecl > 1)
		return eval_errorf(st, "can't use %s to iterate over more than one variable",
				   eval_value_text(st, v));
	arena_mark am;
	int w = W_OK;
	for (int64_t i = 0; i < v->u.i && w == W_OK; i++) {
		*ran = true;
		if (range_begin(rc, &am) != W_OK)
			return W_ERR;
		ev e = {v->kind == TV_INT ? eval_int(st, i) : tv_uint8(st->arena, (uint8_t)i), false};
		w = range_once(rc, am, e, e);
	}
	return w;
}

static int walk_range_body(estate *st, ev dot, const ast_node *r, size_t *pmark)
{
	ev val;
	if (eval_pipeline(st, dot, r->u.branch.pipe, &val) < 0)
		return W_ERR;
	range_ctx rc = {st, r, st->nvars};
	*pmark = rc.mark;
	const tv *v = val.v;
	int w = W_OK;
	bool ran = false;
	switch (v ? v->kind : TV_NULL) {
	case TV_LIST: w = range_list(&rc, v, &ran); break;
	case TV_MAP: w = range_map(&rc, v, &ran); break;
	case TV_INT:
	case TV_UINT8: w = range_int(&rc, v, &ran); break;
	case TV_NULL: break;
	default:
		return eval_errorf(st, "range can't iterate over %s", eval_value_text(st, v));
	}
	if (w != W_OK)
		return w;
	if (!ran && r->u.branch.else_list)
		return walk(st, dot, r->u.branch.else_list);
	return W_OK;
}

static int walk_range(estate *st, ev dot, const ast_node *r)
{
	st->node = r;
	size_t mark = st->nvars, inner = mark;
	int w = walk_range_body(st, dot, r, &inner);
	st->nvars = mark;
	/* A break ends this range, even one from its else list (Go's quirk). */
	return w == W_BREAK ? W_OK : w;
}

static int walk_template(estate *st, ev dot, const ast_node *n)
{
	st->node = n;
	const ast_tree *t = set_lookup(st->set, n->u.tmpl.name, n->u.tmpl.len);
	if (!t || !t->root)
		return eval_errorf(st, "template %s not defined",
				   eval_quote(st, n->u.tmpl.name, n->u.tmpl.len));
	if (st->depth == EVAL_MAX_DEPTH)
		return eval_errorf(st, "exceeded maximum template depth (%d)", EVAL_MAX_DEPTH);
	ev newdot;
	if (eval_pipeline(st, dot, n->u.tmpl.pipe, &newdot) < 0)
		return W_ERR;
	const ast_tree *save_tmpl = st->tmpl;
	size_t save_base = st->base, save_n = st->nvars;
	st->tmpl = t;
	st->base = st->nvars;
	st->depth++;
	var_push(st, "$", 1, newdot);
	int w = walk(st, newdot, t->root);
	st->depth--;
	st->nvars = save_n;
	st->base = save_base;
	st->tmpl = save_tmpl;
	st->node = n;
	return w;
}

/* The control structures: kept out of walk so that its hot cases (text,
 * lists, actions) need no large frame. Every level of nesting passes
 * through here, so this is where the stack is checked. */
static __attribute__((noinline)) int walk_control(estate *st, ev dot, const ast_node *n)
{
	if (eval_stack_low(st))
		return eval_hop(st, true, dot, n, NULL);
	st->node = n;
	if (eval_step(st) != W_OK)
		return W_ERR;
	switch (n->kind) {
	case AST_IF:
	case AST_WITH:
		return walk_if_with(st, dot, n);
	case AST_RANGE:
		return walk_range(st, dot, n);
	case AST_TEMPLATE:
		return walk_template(st, dot, n);
	case AST_BREAK:
		return W_BREAK;
	case AST_CONTINUE:
		return W_CONTINUE;
	default:
		return eval_errorf(st, "unknown node: %s", eval_node_text(st, n));
	}
}

/* Record that node n wrote the output from out->len == at to now (--explain). */
static void eval_trace(estate *st, const ast_node *n, size_t at, bool literal)
{
	tmpl_trace *t = st->trace;
	if (st->out->len == at)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->spans = realloc(t->spans, t->cap * sizeof *t->spans);
		if (!t->spans)
			tmpl_out_of_memory();
	}
	tmpl_span *sp = &t->spans[t->n++];
	sp->start = st->flushed + (at - st->out_start);
	sp->end = sp->start + (st->out->len - at);
	sp->name = n->tree->parse_name;
	sp->src = n->tree->text;
	sp->src_len = n->tree->text_len;
	sp->src_pos = n->pos;
	sp->literal = literal;
}

/* An action that is one field chain, {{.a.b}} or {{$x.a.b}}, over plain YAML
 * maps that hold every key, evaluated in line (most actions of real templates);
 * false, having changed nothing, sends it through eval_pipeline. */
static bool eval_plain_chain(estate *st, ev dot, const ast_node *pipe, ev *out)
{
	if (!pipe || pipe->u.pipe.ncmds != 1 || pipe->u.pipe.ndecl != 0)
		return false;
	const ast_node *cmd = pipe->u.pipe.cmds[0];
	if (cmd->u.cmd.n != 1)
		return false;
	const ast_node *f = cmd->u.cmd.args[0];
	const ast_ident *ids = f->u.field.idents;
	size_t n = f->u.field.n;
	ev recv = dot;
	if (f->kind == AST_VARIABLE) {
		if (n == 0)
			return false;
		evar *var = var_find(st, ids[0].s, ids[0].len);
		if (!var)
			return false;
		recv = var->val;
		ids++;
		n--;
	} else if (f->kind != AST_FIELD) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const tv *m = recv.v;
		if (!m || m->type || m->kind != TV_MAP)
			return false;
		const tv *r = tv_map_get_h(m, ids[i].s, ids[i].len, ids[i].hash);
		if (!r)
			return false;
		recv = (ev){r, true};
	}
	/* as eval_pipeline ends: a nil interface is no value */
	const tv *v = recv.v;
	if (v && v->kind == TV_NULL && !v->type)
		v = TV_NOVALUE;
	*out = (ev){v, false};
	return true;
}

static int walk(estate *st, ev dot, const ast_node *n)
{
	switch (n->kind) {
	case AST_TEXT:
		sbuf_put(st->out, n->u.text.s, n->u.text.len);
		if (st->trace)
			eval_trace(st, n, st->out->len - n->u.text.len, true);
		return W_OK;
	case AST_LIST:
		for (size_t i = 0; i < n->u.list.n; i++) {
			const ast_node *c = n->u.list.items[i];
			if (c->kind == AST_TEXT && !st->trace) {
				sbuf_put(st->out, c->u.text.s, c->u.text.len); /* no call for text */
				continue;
			}
			int w = walk(st, dot, c);
			if (w != W_OK)
				return w;
		}
		return W_OK;
	case AST_ACTION: {
		ev val;
		const ast_node *pipe = n->u.action.pipe;
		st->node = n;
		if (eval_step(st) != W_OK)
			return W_ERR;
		if (!eval_plain_chain(st, dot, pipe, &val) && eval_pipeline(st, dot, pipe, &val) < 0)
			return W_ERR;
		if (!pipe || pipe->u.pipe.ndecl == 0) {
			size_t at = st->out->len;
			st->node = n;
			if (!val.v)
				sbuf_put(st->out, "<no value>", 10);
			else if (fmt_value(st->out, val.v) != 0)
				return eval_errorf(st, "%s", FMT_TOO_DEEP);
			if (st->trace)
				eval_trace(st, n, at, false);
		}
		return W_OK;
	}
	default:
		return walk_control(st, dot, n);
	}
}

int eval_execute(const tmpl_set *set, const ast_tree *tree, const tv *data,
		 const tmpl_exec_opts *opts, sbuf *out, tmpl_arena *scratch, tmpl_error *err)
{
	static const tmpl_exec_opts no_limits;
	estate st;
	memset(&st, 0, sizeof(st));
	st.opts = opts ? opts : &no_limits;
	st.trace = st.opts->trace;
	st.out_start = out->len;
	st.min_set = SIZE_MAX;
	if (st.opts->timeout_ms)
		st.deadline_ns = eval_now_ns() + st.opts->timeout_ms * 1000000u;
	st.set = set;
	st.tmpl = tree;
	st.out = out;
	st.arena = scratch;
	st.err = err;
	st.stack_base = __builtin_frame_address(0);
	st.stack_budget = eval_stack_budget();
	pthread_once(&eval_small_once, eval_small_init);
	if (data && data->kind == TV_NULL)
		data = TV_NOVALUE; /* nil data */
	ev dot = {data, false};
	sbuf_put(out, "", 0); /* a terminated buffer even when nothing is written */
	if (!tree || !tree->root) {
		const char *name = tree ? tree->name : "";
		const char *q = eval_quote(&st, name, strlen(name));
		eval_errorf(&st, "%s is an incomplete or empty template", q);
		return -1;
	}
	eval_caps(&st);
	var_push(&st, "$", 1, dot);
	int w = walk(&st, dot, tree->root);
	/* The last checks: output and memory made by the render's last step. */
	if (w != W_ERR && !st.failed)
		w = eval_check(&st);
	if (w != W_ERR && !st.failed)
		w = eval_flush(&st);
	eval_undo_changes(&st);
	free(st.vars);
	sbuf_free(&st.scratch[0]);
	sbuf_free(&st.scratch[1]);
	return w == W_ERR || st.failed ? -1 : 0;
}
