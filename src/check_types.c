/* check_types.c: --check's data checks: every field of typed data (--types) resolved against the type tables, every --values path against the values, and every user-controlled value's place in the YAML output, by flowing what is known of the dot through the templates.
 *
 * What is known of a value (check_cv) is its Go type (from the tables of
 * stdlib/types, as the typed view of types_view.c would give it), the
 * --values node it comes from, and whether it may carry text the pod's
 * author controls. It flows as Go's evaluation flows: through fields,
 * getters and methods, variables (declared in a scope, seen by the blocks
 * inside it), `with` (the dot), `range` (the element, the key), `index` on
 * typed maps and slices, `template` calls (the callee is walked with the
 * argument as its dot, once per distinct argument), and the results of
 * functions (check_fn_result). What is not known is silent: nothing is
 * reported on a value of unknown type.
 *
 * The checks:
 *   unknown-field  a field or method the type has not (Go's execution error
 *                  "can't evaluate field X in type T"), with the nearest name;
 *   values-key     a values key that is absent where a near one exists;
 *   user-unquoted  a user-controlled value written into a plain scalar;
 *   user-unescaped (--strict) one written inside quotes without escaping.
 * User-controlled: strings of the pod (ObjectMeta, Spec, the deployment's
 * meta), annotation and label values, the `annotation` function's result,
 * except the annotations Istio validates before rendering
 * (check_run.validated: the injector's own validators, which the program
 * hands in, the engine knowing nothing of the injector); the mesh config and the values are the
 * operator's. Escaped: the result of any function not passing its
 * argument's text through (quote, squote, toJson, toYaml, len, eq, ...).
 */
#include "check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func.h"
#include "tmpl_value.h"
#include "types.h"

/* Whether Istio validates annotation [name, len) before rendering (so a pod
 * cannot put YAML into it): the program's answer, none without one. */
static bool cw_validated(const check_run *cr, const char *name, size_t len)
{
	return cr->validated && cr->validated(name, len, cr->root_latest);
}

typedef struct check_cv {
	const tmpl_type *type; /* the Go type of typed data, or NULL */
	const tv *val;         /* the --values node, or NULL */
	const char *path;      /* val's dotted path from the values' root */
	const char *user;      /* NULL, or what user-controlled text this carries */
	int pod;               /* reached from the pod: its strings are the user's */
	int usermap;           /* a map whose values are user-controlled */
	const char *mapname;   /* for usermap: "annotation" or "label" */
	const char *str;       /* a string constant's bytes (through variables), or NULL */
	size_t slen;
} check_cv;

typedef struct cw_var {
	const char *name;
	check_cv cv;
} cw_var;

typedef struct cw_seen {
	const ast_tree *tree;
	const tmpl_type *type;
	const tv *val;
	int pod;
} cw_seen;

typedef struct check_flow {
	check_run *cr;
	cw_var *vars;
	size_t nvars, capvars;
	cw_seen *seen;
	size_t nseen, capseen;
	int depth;
} check_flow;

static const check_cv cv_unknown = {0};

static void *cw_grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 32;
	if (*cap < need)
		*cap = need;
	void *np = realloc(p, *cap * size);
	if (!np)
		tmpl_out_of_memory();
	return np;
}

/* ---- where a node is ---- */

static check_text *cw_text_of(check_run *cr, const ast_tree *t)
{
	for (size_t i = 0; i < cr->ntexts; i++)
		for (size_t j = 0; j < cr->texts[i].ntrees; j++)
			if (cr->texts[i].trees[j]->text == t->text)
				return &cr->texts[i];
	return NULL;
}

/* Line and 1-based column of byte offset pos of n's tree text. */
static void cw_place(const ast_node *n, uint32_t pos, uint32_t *line, uint32_t *col)
{
	/* from the node's own place, which is on pos's line (names hold no newline) */
	*line = n->line;
	int64_t c = (int64_t)n->col + 1 + ((int64_t)pos - (int64_t)n->pos);
	*col = c > 0 ? (uint32_t)c : 1;
}

static void cw_report(check_flow *f, const ast_node *n, uint32_t pos, check_severity sev,
		      const char *code, const char *msg, const char *hint)
{
	check_text *x = cw_text_of(f->cr, n->tree);
	if (!x)
		return;
	uint32_t line, col;
	cw_place(n, pos, &line, &col);
	check_add(f->cr, x->file, x->index, line, col, sev, code, msg, hint);
}

/* The byte offset of the ident idx of a field, variable or chain node:
 * `.a.b` (field), `$x.a` (variable, idents[0] is $x), `(p).a` (chain: found
 * in the text after the node, where `.a` is written). As Go's parser places
 * them, a field or variable of more than one name is at the dot of its
 * second (the chain's position). */
static uint32_t cw_ident_pos(const ast_node *n, const ast_ident *ids, size_t idx)
{
	if (n->kind == AST_FIELD || n->kind == AST_VARIABLE) {
		size_t count = n->u.field.n;
		uint32_t lead = n->kind == AST_FIELD ? 1 : 0; /* the dot before the first name */
		if (count < 2)
			return n->pos + lead;
		if (idx == 0)
			return n->pos >= ids[0].len ? n->pos - ids[0].len : n->pos;
		uint32_t p = n->pos + 1;
		for (size_t i = 1; i < idx; i++)
			p += ids[i].len + 1;
		return p;
	}
	/* a chain: the last `.name` before the end of the action */
	const char *t = n->tree->text;
	size_t len = n->tree->text_len;
	uint32_t p = n->pos;
	for (size_t i = 0; i <= idx && p < len; i++) {
		while (p + 1 + ids[i].len <= len &&
		       !(t[p] == '.' && memcmp(t + p + 1, ids[i].s, ids[i].len) == 0))
			p++;
		if (i < idx)
			p += 1 + ids[i].len;
	}
	return p + 1 <= len ? p + 1 : n->pos;
}

/* ---- types ---- */

static const tmpl_type *cw_struct(const tmpl_type *t)
{
	if (t && t->kind == TK_PTR)
		t = t->elem;
	return t && t->kind == TK_STRUCT ? t : NULL;
}

/* A field's type that is the pod's (or the deployment's): ObjectMeta, PodSpec, ... */
static int cw_is_pod_type(const tmpl_type *t)
{
	const tmpl_type *s = cw_struct(t);
	if (!s || !s->go_name)
		return 0;
	return strcmp(s->go_name, "v1.ObjectMeta") == 0 || strcmp(s->go_name, "v1.PodSpec") == 0 ||
	       strcmp(s->go_name, "types.NamespacedName") == 0 || strcmp(s->go_name, "v1.Pod") == 0;
}

/* Kubernetes validates these pod strings as DNS labels or subdomains
 * (lowercase letters, digits, '-' and '.'), and the injected pod is refused
 * unless they still are: no YAML can be smuggled in them. */
static int cw_is_k8s_name(const char *field)
{
	static const char *const names[] = {"Name", "Namespace", "GenerateName",
					     "ServiceAccountName", "DeprecatedServiceAccount",
					     "ServiceAccount", "NodeName", "Hostname", "Subdomain",
					     "PriorityClassName", "SchedulerName", "RuntimeClassName",
					     "ContainerName", NULL};
	for (size_t i = 0; names[i]; i++)
		if (strcmp(names[i], field) == 0)
			return 1;
	return 0;
}

static int cw_stringish(const tmpl_type *t)
{
	return t && (t->kind == TK_STRING || t->kind == TK_ANY);
}

/* The nearest name of a struct's fields to [name, len), for the hint. */
static const char *cw_near_field(const tmpl_type *t, const char *name, size_t len)
{
	const tmpl_type *s = cw_struct(t);
	size_t limit = len <= 4 ? 1 : 2, best = limit + 1;
	const char *near = NULL;
	/* a getter GetX is matched by its field's name */
	int getter = len > 3 && memcmp(name, "Get", 3) == 0 && isupper((unsigned char)name[3]);
	if (getter) {
		name += 3;
		len -= 3;
	}
	for (size_t i = 0; s && i < s->nfields; i++) {
		const char *g = s->fields[i].go_name;
		size_t gl = strlen(g), d = func_distance(name, len, g, gl, limit);
		if (d > limit && gl == len) {
			size_t k = 0;
			while (k < len && tolower((unsigned char)g[k]) == tolower((unsigned char)name[k]))
				k++;
			d = k == len ? 1 : d;
		}
		if (d < best) {
			best = d;
			near = g;
		}
	}
	return near;
}

/* The child of values node v at key [k, len), with the values-key check. */
static check_cv cw_values_step(check_flow *f, const check_cv *r, const char *k, size_t len,
			       const ast_node *n, uint32_t pos)
{
	check_cv out = cv_unknown;
	if (!r->val || r->val->kind != TV_MAP)
		return out;
	const tv *c = tv_map_get(r->val, k, len);
	if (!c) {
		char hint[400];
		if (check_values_near(r->val, r->path, k, len, hint, sizeof hint)) {
			char msg[400];
			snprintf(msg, sizeof msg, "no key \"%.*s\" in the values%s%.200s", (int)(len > 100 ? 100 : len),
				 k, *r->path ? " at " : "", r->path);
			cw_report(f, n, pos, CHECK_WARNING, "values-key", msg, hint);
		}
		return out;
	}
	out.val = c;
	size_t pl = strlen(r->path);
	char *p = arena_alloc(f->cr->arena, pl + len + 2);
	memcpy(p, r->path, pl);
	if (pl)
		p[pl++] = '.';
	memcpy(p + pl, k, len);
	p[pl + len] = '\0';
	out.path = p;
	out.type = r->type && r->type->kind == TK_MAP ? r->type->elem : NULL;
	return out;
}

/* One field step .name on r (the ident at pos of node n). */
static check_cv cw_field(check_flow *f, const check_cv *r, const ast_ident *id, const ast_node *n,
			 uint32_t pos)
{
	check_cv out = cv_unknown;
	const tmpl_type *t = r->type;
	if (!t || t->kind == TK_ANY || (t->kind == TK_MAP && r->val))
		return r->val ? cw_values_step(f, r, id->s, id->len, n, pos) : out;
	if (t->kind == TK_MAP) {
		/* a key of a typed map: the element, the map's user-controlled values */
		out.type = t->elem;
		out.pod = r->pod;
		int validated = r->usermap && r->mapname && strcmp(r->mapname, "annotation") == 0 &&
				cw_validated(f->cr, id->s, id->len);
		if (!validated && (r->usermap || (r->pod && cw_stringish(t->elem)))) {
			char *u = arena_alloc(f->cr->arena, id->len + 40);
			snprintf(u, id->len + 40, "pod %s \"%.*s\"", r->mapname ? r->mapname : "map value",
				 (int)id->len, id->s);
			out.user = u;
		}
		return out;
	}
	if ((t->kind == TK_ENUM || t->kind == TK_DURATION) && id->len == 6 &&
	    memcmp(id->s, "String", 6) == 0) {
		out.type = types_lookup("string");
		return out;
	}
	if (t->kind == TK_ENUM) {
		/* a protobuf enum's methods (protoreflect's Enum interface, and String) */
		static const char *const enum_methods[] = {"String", "Enum", "Number", "Descriptor",
							   "Type", "EnumDescriptor", NULL};
		size_t best = 3;
		const char *near = NULL;
		for (size_t i = 0; enum_methods[i]; i++) {
			size_t ml = strlen(enum_methods[i]);
			if (ml == id->len && memcmp(enum_methods[i], id->s, ml) == 0)
				return out;
			size_t d = func_distance(id->s, id->len, enum_methods[i], ml, 2);
			if (d < best) {
				best = d;
				near = enum_methods[i];
			}
		}
		char msg[400], hint[200] = "";
		snprintf(msg, sizeof msg, "can't evaluate field %.*s in type %s",
			 (int)(id->len > 100 ? 100 : id->len), id->s, t->go_name ? t->go_name : "?");
		if (near)
			snprintf(hint, sizeof hint, "did you mean \"%s\"?", near);
		cw_report(f, n, pos, CHECK_ERROR, "unknown-field", msg, hint);
		return out;
	}
	if (types_native_of(t) || t->kind == TK_TIME || t->kind == TK_DURATION ||
	    t->kind == TK_QUANTITY || t->kind == TK_INTORSTR || t->kind == TK_SLICE ||
	    t->kind == TK_BYTES)
		return out; /* methods this check does not list */
	const tmpl_type *s = cw_struct(t);
	/* by the names' index (a parsed name carries its hash) */
	const tmpl_field *fd =
		s ? types_field_go_h(s, id->s, id->len, id->hash, NULL, NULL) : NULL;
	if (!fd && s && id->len > 3 && memcmp(id->s, "Get", 3) == 0)
		fd = types_field_go_h(s, id->s + 3, id->len - 3, tv_hash(id->s + 3, id->len - 3),
				      NULL, NULL);
	if (!fd) {
		char msg[400], hint[200] = "";
		snprintf(msg, sizeof msg, "can't evaluate field %.*s in type %s",
			 (int)(id->len > 100 ? 100 : id->len), id->s, t->go_name ? t->go_name : "?");
		const char *near = cw_near_field(t, id->s, id->len);
		int getter = id->len > 3 && memcmp(id->s, "Get", 3) == 0 && isupper((unsigned char)id->s[3]);
		if (near)
			snprintf(hint, sizeof hint, "did you mean \"%s%s\"?", getter ? "Get" : "", near);
		cw_report(f, n, pos, CHECK_ERROR, "unknown-field", msg, hint);
		return out;
	}
	out.type = fd->type;
	out.pod = r->pod || cw_is_pod_type(fd->type);
	if (fd->type->kind == TK_MAP && out.pod && cw_stringish(fd->type->elem)) {
		out.usermap = 1;
		out.mapname = strcmp(fd->go_name, "Annotations") == 0 ? "annotation"
			      : strcmp(fd->go_name, "Labels") == 0  ? "label"
								    : "map value";
	}
	if (out.pod && cw_stringish(fd->type) && !cw_is_k8s_name(fd->go_name)) {
		size_t l = strlen(fd->go_name) + 8;
		char *u = arena_alloc(f->cr->arena, l);
		snprintf(u, l, "pod's %s", fd->go_name);
		out.user = u;
	}
	/* the newest injector's .Values: the --values map */
	if (strcmp(fd->go_name, "Values") == 0 && f->cr->values && fd->type->kind == TK_MAP &&
	    (!r->type || cw_struct(r->type) == cw_struct(f->cr->root))) {
		out.val = f->cr->values;
		out.path = "";
	}
	return out;
}

static check_cv cw_fields(check_flow *f, check_cv r, const ast_node *n, const ast_ident *ids,
			  size_t from, size_t count)
{
	for (size_t i = from; i < count; i++) {
		if (!r.type && !r.val)
			return cv_unknown;
		r = cw_field(f, &r, &ids[i], n, cw_ident_pos(n, ids, i));
	}
	return r;
}

/* ---- variables ---- */

static const check_cv *cw_var_get(check_flow *f, const char *name)
{
	for (size_t i = f->nvars; i-- > 0;)
		if (strcmp(f->vars[i].name, name) == 0)
			return &f->vars[i].cv;
	return NULL;
}

static void cw_var_push(check_flow *f, const char *name, check_cv cv)
{
	f->vars = cw_grow(f->vars, &f->capvars, f->nvars + 1, sizeof *f->vars);
	f->vars[f->nvars].name = name;
	f->vars[f->nvars].cv = cv;
	f->nvars++;
}

/* ---- pipelines ---- */

static check_cv cw_pipe(check_flow *f, const ast_node *p, check_cv dot);

static check_cv cw_operand(check_flow *f, const ast_node *n, check_cv dot)
{
	switch (n->kind) {
	case AST_DOT:
		return dot;
	case AST_FIELD:
		return cw_fields(f, dot, n, n->u.field.idents, 0, n->u.field.n);
	case AST_VARIABLE: {
		const check_cv *v = cw_var_get(f, n->u.field.idents[0].s);
		return cw_fields(f, v ? *v : cv_unknown, n, n->u.field.idents, 1, n->u.field.n);
	}
	case AST_CHAIN: {
		check_cv r = cw_operand(f, n->u.chain.node, dot);
		return cw_fields(f, r, n, n->u.chain.idents, 0, n->u.chain.n);
	}
	case AST_PIPE:
		return cw_pipe(f, n, dot);
	case AST_STRING: {
		check_cv c = cv_unknown;
		c.type = types_lookup("string");
		c.str = n->u.str.s;
		c.slen = n->u.str.len;
		return c;
	}
	default:
		return cv_unknown;
	}
}

/* Functions whose result is (a part of) their arguments' text. */
static int cw_passes_text(const char *name)
{
	static const char *const pass[] = {
		"default", "coalesce", "valueOrDefault", "printf", "print", "println", "trim",
		"trimAll", "trimPrefix", "trimSuffix", "trunc", "lower", "upper", "title", "untitle",
		"replace", "join", "first", "last", "toString", "cat", "nospace", "substr",
		"abbrev", "ternary", "strval", "repeat", "wrap", "indent", "nindent", "html",
		"urlquery", "js", "swapcase", "camelcase", "snakecase", "kebabcase", "trimall",
		"appendMultusNetwork", "regexReplaceAll", "regexReplaceAllLiteral", "regexFind",
		"mustFirst", "mustLast", "plural", "initials", "shuffle", NULL};
	for (size_t i = 0; pass[i]; i++)
		if (strcmp(pass[i], name) == 0)
			return 1;
	return 0;
}

static check_cv cw_call(check_flow *f, const ast_node *ident, const check_cv *args,
			const ast_node *const *argn, size_t nargs)
{
	const char *name = ident->u.ident.name ? ident->u.ident.name : "";
	check_cv out = cv_unknown;
	if (strcmp(name, "index") == 0 && nargs >= 1) {
		check_cv r = args[0];
		for (size_t i = 1; i < nargs; i++) {
			const ast_node *k = argn[i];
			if (args[i].str) {
				ast_ident id = {args[i].str, (uint32_t)args[i].slen,
						tv_hash(args[i].str, args[i].slen)};
				if (!k || k->kind != AST_STRING)
					k = argn[0] ? argn[0] : ident; /* a variable: reported at the map */
				if (r.type && r.type->kind == TK_MAP && !r.val) {
					r = cw_field(f, &r, &id, ident, ident->pos);
				} else if (r.val) {
					/* reported at the key, as written */
					r = cw_values_step(f, &r, id.s, id.len, k,
							   k->kind == AST_STRING ? k->pos + 1 : k->pos);
				} else {
					r = cv_unknown;
				}
			} else if (r.type && (r.type->kind == TK_SLICE || r.type->kind == TK_MAP)) {
				check_cv e = cv_unknown;
				e.type = r.type->elem;
				e.pod = r.pod;
				if (r.usermap)
					e.user = "pod annotation or label";
				else if (r.pod && cw_stringish(r.type->elem))
					e.user = "pod string";
				r = e;
			} else {
				r = cv_unknown;
			}
		}
		return r;
	}
	if (strcmp(name, "annotation") == 0) {
		out.type = types_lookup("string");
		const check_cv *k = nargs >= 2 ? &args[1] : NULL;
		if (k && k->str) {
			if (!cw_validated(f->cr, k->str, k->slen)) {
				char *u = arena_alloc(f->cr->arena, k->slen + 24);
				snprintf(u, k->slen + 24, "pod annotation \"%.*s\"", (int)k->slen, k->str);
				out.user = u;
			}
		} else {
			out.user = "pod annotation";
		}
		/* its default is the third argument: its text when the annotation is absent */
		if (!out.user && nargs >= 3 && args[2].user)
			out.user = args[2].user;
		return out;
	}
	if (cw_passes_text(name)) {
		for (size_t i = 0; i < nargs && !out.user; i++)
			out.user = args[i].user;
		/* default, coalesce: the value keeps its kind */
		if (strcmp(name, "default") == 0 && nargs == 2) {
			out.type = args[1].type ? args[1].type : args[0].type;
			out.val = args[1].val;
			out.path = args[1].path;
		}
	}
	return out;
}

/* One command: a function call, or an operand (with a method's arguments). */
static check_cv cw_cmd(check_flow *f, const ast_node *cmd, check_cv dot, const check_cv *piped)
{
	size_t n = cmd->u.cmd.n;
	if (n == 0)
		return cv_unknown;
	const ast_node *first = cmd->u.cmd.args[0];
	if (first->kind != AST_IDENT) {
		check_cv r = cw_operand(f, first, dot);
		for (size_t i = 1; i < n; i++)
			cw_operand(f, cmd->u.cmd.args[i], dot);
		return n == 1 ? r : cv_unknown;
	}
	size_t nargs = n - 1 + (piped ? 1 : 0);
	check_cv argsbuf[8];
	const ast_node *nodebuf[8];
	check_cv *args = nargs <= 8 ? argsbuf : arena_alloc(f->cr->arena, nargs * sizeof *args);
	const ast_node **argn =
		nargs <= 8 ? nodebuf : arena_alloc(f->cr->arena, nargs * sizeof *argn);
	for (size_t i = 1; i < n; i++) {
		const ast_node *a = cmd->u.cmd.args[i];
		args[i - 1] = a->kind == AST_IDENT ? cv_unknown : cw_operand(f, a, dot);
		argn[i - 1] = a;
	}
	if (piped) {
		args[nargs - 1] = *piped;
		argn[nargs - 1] = NULL;
	}
	return cw_call(f, first, args, argn, nargs);
}

static check_cv cw_pipe(check_flow *f, const ast_node *p, check_cv dot)
{
	check_cv r = cv_unknown;
	if (!p)
		return r;
	for (size_t i = 0; i < p->u.pipe.ncmds; i++)
		r = cw_cmd(f, p->u.pipe.cmds[i], dot, i > 0 ? &r : NULL);
	return r;
}

/* The variables a pipeline declares: `$x := p` is p; in a range, `$i, $e`
 * (or one, the element) take the key and element of p. */
static void cw_declare(check_flow *f, const ast_node *p, check_cv v, int range)
{
	for (size_t i = 0; i < p->u.pipe.ndecl; i++) {
		const char *name = p->u.pipe.decl[i]->u.field.idents[0].s;
		if (p->u.pipe.is_assign) {
			/* `$x = p`: the variable's value is no longer the declared one */
			for (size_t k = f->nvars; k-- > 0;)
				if (strcmp(f->vars[k].name, name) == 0) {
					f->vars[k].cv = range ? cv_unknown : v;
					break;
				}
			continue;
		}
		check_cv c = v;
		if (range && (p->u.pipe.ndecl == 2 && i == 0))
			c = cv_unknown; /* the key or index */
		cw_var_push(f, name, c);
	}
}

/* The element a range over v gives. */
static check_cv cw_elem(check_flow *f, const check_cv *v)
{
	check_cv e = cv_unknown;
	(void)f;
	if (v->type && (v->type->kind == TK_SLICE || v->type->kind == TK_MAP)) {
		e.type = v->type->elem;
		e.pod = v->pod;
		if (v->usermap || (v->pod && cw_stringish(v->type->elem)))
			e.user = "pod string";
	}
	return e;
}

/* ---- output: the YAML context of what an action writes ---- */

static void cw_output(check_flow *f, const ast_node *action, const check_cv *v)
{
	if (!v->user || !f->cr->root || f->cr->no_yaml)
		return;
	check_text *x = cw_text_of(f->cr, action->tree);
	if (!x)
		return;
	int32_t ai = check_action_at(&x->scan, action->pos);
	unsigned ctx = check_yamlctx_of(x, f->cr->arena, ai);
	unsigned sc = ctx & CHECK_Y_SCALAR;
	char where[120], msg[400];
	check_yamlctx_words(ctx, where, sizeof where);
	const check_action *a = ai >= 0 ? &x->scan.actions[ai] : NULL;
	if (sc == CHECK_Y_PLAIN) {
		snprintf(msg, sizeof msg, "unquoted user-controlled value (%.200s) written into %s", v->user,
			 where);
		if (a)
			check_add(f->cr, x->file, x->index, a->line, a->col, CHECK_WARNING,
				  "user-unquoted", msg, "use | quote");
	} else if ((sc == CHECK_Y_DQUOTE || sc == CHECK_Y_SQUOTE) && f->cr->strict) {
		snprintf(msg, sizeof msg, "user-controlled value (%.200s) written into %s without escaping",
			 v->user, where);
		if (a)
			check_add(f->cr, x->file, x->index, a->line, a->col, CHECK_WARNING,
				  "user-unescaped", msg,
				  sc == CHECK_Y_DQUOTE ? "drop the quotes and use | quote"
						       : "drop the quotes and use | quote, or | toJson");
	}
}

/* ---- the walk ---- */

static void cw_list(check_flow *f, const ast_node *n, check_cv dot);

static void cw_call_template(check_flow *f, const ast_node *n, check_cv dot)
{
	check_cv arg = n->u.tmpl.pipe ? cw_pipe(f, n->u.tmpl.pipe, dot) : cv_unknown;
	if (!arg.type && !arg.val)
		return;
	if (f->depth >= 16)
		return;
	/* the callee, as Go finds it: the last file's definition wins */
	const ast_tree *t = NULL;
	for (size_t i = 0; i < f->cr->ntexts; i++)
		for (size_t j = 0; j < f->cr->texts[i].ntrees; j++) {
			const ast_tree *c = f->cr->texts[i].trees[j];
			if (strlen(c->name) == n->u.tmpl.len &&
			    memcmp(c->name, n->u.tmpl.name, n->u.tmpl.len) == 0 && !ast_is_empty(c->root))
				t = c;
		}
	if (!t)
		return;
	for (size_t i = 0; i < f->nseen; i++)
		if (f->seen[i].tree == t && f->seen[i].type == arg.type && f->seen[i].val == arg.val &&
		    f->seen[i].pod == arg.pod)
			return;
	f->seen = cw_grow(f->seen, &f->capseen, f->nseen + 1, sizeof *f->seen);
	f->seen[f->nseen++] = (cw_seen){t, arg.type, arg.val, arg.pod};
	/* a template sees none of its caller's variables: $ is its dot */
	size_t mark = f->nvars;
	cw_var *saved = f->vars;
	size_t savedcap = f->capvars;
	f->vars = NULL;
	f->nvars = f->capvars = 0;
	cw_var_push(f, "$", arg);
	f->depth++;
	cw_list(f, t->root, arg);
	f->depth--;
	free(f->vars);
	f->vars = saved;
	f->nvars = mark;
	f->capvars = savedcap;
}

static void cw_node(check_flow *f, const ast_node *n, check_cv *dot)
{
	switch (n->kind) {
	case AST_LIST:
		cw_list(f, n, *dot);
		break;
	case AST_ACTION: {
		const ast_node *p = n->u.action.pipe;
		check_cv v = cw_pipe(f, p, *dot);
		if (p->u.pipe.ndecl)
			cw_declare(f, p, v, 0);
		else
			cw_output(f, n, &v);
		break;
	}
	case AST_IF:
	case AST_WITH:
	case AST_RANGE: {
		const ast_node *p = n->u.branch.pipe;
		size_t mark = f->nvars;
		check_cv v = cw_pipe(f, p, *dot);
		check_cv body = *dot;
		if (n->kind == AST_WITH) {
			body = v;
			cw_declare(f, p, v, 0);
		} else if (n->kind == AST_RANGE) {
			body = cw_elem(f, &v);
			cw_declare(f, p, body, 1);
		} else {
			cw_declare(f, p, v, 0);
		}
		cw_list(f, n->u.branch.list, body);
		f->nvars = mark;
		if (n->u.branch.else_list)
			cw_list(f, n->u.branch.else_list, *dot);
		f->nvars = mark;
		break;
	}
	case AST_TEMPLATE:
		cw_call_template(f, n, *dot);
		break;
	default:
		break;
	}
}

static void cw_list(check_flow *f, const ast_node *n, check_cv dot)
{
	if (!n)
		return;
	if (n->kind != AST_LIST) {
		cw_node(f, n, &dot);
		return;
	}
	for (size_t i = 0; i < n->u.list.n; i++)
		cw_node(f, n->u.list.items[i], &dot);
}

int check_set_types(check_run *cr, const char *name)
{
	const char *go = strcmp(name, "istio") == 0       ? "latest/inject.SidecarTemplateData"
			 : strcmp(name, "istio-1.1") == 0 ? "inject.SidecarTemplateData"
							  : name;
	const tmpl_type *t = types_lookup(go);
	if (!t)
		return -1;
	cr->root = t;
	cr->root_latest = strcmp(name, "istio-1.1") != 0;
	return 0;
}

void check_data(check_run *cr)
{
	if (!cr->root && !cr->values)
		return;
	check_flow f = {cr, NULL, 0, 0, NULL, 0, 0, 0};
	check_cv root = cv_unknown;
	root.type = cr->root;
	root.pod = cr->root && cw_is_pod_type(cr->root);
	if (!cr->root) {
		/* an untyped template: the dot is the values */
		root.val = cr->values;
		root.path = "";
	}
	/* each file's own template, with the dot; a define is walked from its calls */
	for (size_t i = 0; i < cr->ntexts; i++) {
		const check_text *x = &cr->texts[i];
		if (x->ntrees == 0)
			continue;
		for (size_t j = 0; j < x->ntrees; j++) {
			const ast_tree *t = x->trees[j];
			if (strcmp(t->name, t->parse_name) != 0)
				continue;
			f.nvars = 0;
			cw_var_push(&f, "$", root);
			cw_list(&f, t->root, root);
		}
	}
	free(f.vars);
	free(f.seen);
}
