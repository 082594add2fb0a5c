/* run-conformance.c: runs the Go text/template conformance corpus through tmplrender and prints TAP.
 *
 * Usage: run-conformance TMPLRENDER CORPUS.yaml...
 *
 * Independent of the code under test: the corpus is read with libyaml's
 * parser, and each case's data is re-emitted with libyaml's emitter (same
 * scalar styles, tags and anchors) into values.yaml, next to the template
 * written as file `t`, in a fresh temporary directory. Then
 *   tmplrender --funcs go [--values values.yaml] [--left-delim L] [--right-delim R] [--option O]... t
 * must print `output` exactly and exit 0, or exit non-zero with `error` in its
 * stderr. Cases with `phase: parse` must also fail `tmplrender --check`, which
 * reports Go's `template: t:LINE: MESSAGE` as `t:LINE:COL: error: MESSAGE`
 * (Go's "unexpected EOF" of an unclosed block as an `unclosed {{...}}` error
 * at its opening instead); cases with `phase: exec` must pass `--check`, or
 * fail it with Go's execution message (the text after `executing "t" at
 * <...>: `), which --check finds statically for some. A sanitizer report
 * on stderr, a signal or a timeout fails any case. Environment: RUN=SUBSTR runs
 * only the cases whose name contains SUBSTR (the others are skipped);
 * TEST_TIMEOUT=SECONDS (default 20) bounds every run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../runner/proc.h"
#include "../runner/runner.h"
#include "../runner/tap.h"

#define MAX_OPTIONS 16

typedef struct evlist {
	yaml_event_t *ev;
	size_t n, cap;
} evlist;

typedef struct tcase {
	char *name;
	char *tmpl;
	size_t tmpl_len;
	char *output;
	size_t output_len;
	char *error;
	char *phase;
	int has_template, has_output, has_error, has_data;
	evlist data;
	char *delims[2];
	int ndelims;
	char *options[MAX_OPTIONS];
	int noptions;
	int line;
} tcase;

static const char *g_file; /* the corpus file being read, for the bail-outs */

static void die_yaml(const yaml_parser_t *p)
{
	tap_bail("%s:%zu:%zu: %s", g_file, p->problem_mark.line + 1, p->problem_mark.column + 1,
		 p->problem ? p->problem : "YAML error");
}

static void die_at(const yaml_event_t *ev, const char *what)
{
	tap_bail("%s:%zu:%zu: %s", g_file, ev->start_mark.line + 1, ev->start_mark.column + 1, what);
}

static void next_event(yaml_parser_t *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(p, ev))
		die_yaml(p);
}

static void evlist_push(evlist *l, yaml_event_t *ev)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->ev = realloc(l->ev, l->cap * sizeof *l->ev);
		if (!l->ev) {
			perror("realloc");
			exit(99);
		}
	}
	l->ev[l->n++] = *ev;
}

static void evlist_free(evlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		yaml_event_delete(&l->ev[i]);
	free(l->ev);
	memset(l, 0, sizeof *l);
}

/* An empty plain scalar cannot always be emitted plain (the emitter would
 * quote it and tag it "!", turning null into a string): write it as "null". */
static void fix_empty_plain(yaml_event_t *ev)
{
	if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.length != 0 ||
	    ev->data.scalar.tag || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return;
	yaml_event_t nev;
	if (!yaml_scalar_event_initialize(&nev, ev->data.scalar.anchor, NULL,
					  (yaml_char_t *)"null", 4, 1, 0, YAML_PLAIN_SCALAR_STYLE))
		die_at(ev, "out of memory");
	yaml_event_delete(ev);
	*ev = nev;
}

/* Read one node's events (the first already in ev) into l. */
static void capture_node(yaml_parser_t *p, yaml_event_t *ev, evlist *l)
{
	int depth = 0;
	for (;;) {
		switch (ev->type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_SCALAR_EVENT:
			fix_empty_plain(ev);
			break;
		default:
			break;
		}
		evlist_push(l, ev);
		if (depth == 0)
			return;
		next_event(p, ev);
	}
}

/* Read a scalar value (the event in ev) as a malloc'd string. */
static char *scalar_value(yaml_event_t *ev, size_t *len, const char *key)
{
	if (ev->type != YAML_SCALAR_EVENT) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s must be a string", key);
		die_at(ev, msg);
	}
	size_t n = ev->data.scalar.length;
	char *s = malloc(n + 1);
	if (!s)
		exit(99);
	memcpy(s, ev->data.scalar.value, n);
	s[n] = '\0';
	if (len)
		*len = n;
	yaml_event_delete(ev);
	return s;
}

/* Read a string or a list of strings into out[]. */
static int string_list(yaml_parser_t *p, yaml_event_t *ev, char **out, int max, const char *key)
{
	if (ev->type == YAML_SCALAR_EVENT) {
		out[0] = scalar_value(ev, NULL, key);
		return 1;
	}
	if (ev->type != YAML_SEQUENCE_START_EVENT)
		die_at(ev, "expected a string or a list of strings");
	yaml_event_delete(ev);
	int n = 0;
	for (;;) {
		next_event(p, ev);
		if (ev->type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(ev);
			return n;
		}
		if (n == max)
			die_at(ev, "too many list items");
		out[n++] = scalar_value(ev, NULL, key);
	}
}

static void case_free(tcase *c)
{
	free(c->name);
	free(c->tmpl);
	free(c->output);
	free(c->error);
	free(c->phase);
	evlist_free(&c->data);
	for (int i = 0; i < c->ndelims; i++)
		free(c->delims[i]);
	for (int i = 0; i < c->noptions; i++)
		free(c->options[i]);
	memset(c, 0, sizeof *c);
}

/* Parse one case mapping (its MAPPING-START already read). */
static void parse_case(yaml_parser_t *p, yaml_event_t *start, tcase *c)
{
	memset(c, 0, sizeof *c);
	c->line = (int)start->start_mark.line + 1;
	yaml_event_delete(start);
	for (;;) {
		yaml_event_t k, v;
		next_event(p, &k);
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			break;
		}
		char *key = scalar_value(&k, NULL, "key");
		next_event(p, &v);
		if (!strcmp(key, "name"))
			c->name = scalar_value(&v, NULL, key);
		else if (!strcmp(key, "template")) {
			c->tmpl = scalar_value(&v, &c->tmpl_len, key);
			c->has_template = 1;
		} else if (!strcmp(key, "output")) {
			c->output = scalar_value(&v, &c->output_len, key);
			c->has_output = 1;
		} else if (!strcmp(key, "error")) {
			c->error = scalar_value(&v, NULL, key);
			c->has_error = 1;
		} else if (!strcmp(key, "phase"))
			c->phase = scalar_value(&v, NULL, key);
		else if (!strcmp(key, "go"))
			free(scalar_value(&v, NULL, key));
		else if (!strcmp(key, "data")) {
			capture_node(p, &v, &c->data);
			c->has_data = 1;
		} else if (!strcmp(key, "delims"))
			c->ndelims = string_list(p, &v, c->delims, 2, key);
		else if (!strcmp(key, "option"))
			c->noptions = string_list(p, &v, c->options, MAX_OPTIONS, key);
		else {
			char msg[128];
			snprintf(msg, sizeof msg, "unknown key %.60s", key);
			die_at(&v, msg);
		}
		free(key);
	}
	if (!c->name || c->has_output == c->has_error) {
		tap_bail("%s:%d: a case needs a name and exactly one of output and error", g_file,
			 c->line);
	}
}

/* Does the captured data stand for nil (no data at all)? */
static int data_is_null(const evlist *d)
{
	if (d->n != 1 || d->ev[0].type != YAML_SCALAR_EVENT)
		return d->n == 0;
	const yaml_event_t *e = &d->ev[0];
	if (e->data.scalar.tag)
		return !strcmp((const char *)e->data.scalar.tag, "tag:yaml.org,2002:null");
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	const char *v = (const char *)e->data.scalar.value;
	return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

typedef struct membuf {
	char *p;
	size_t len, cap;
} membuf;

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	membuf *b = data;
	if (b->len + size + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		while (cap < b->len + size + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, buffer, size);
	b->len += size;
	b->p[b->len] = '\0';
	return 1;
}

/* Emit the captured data events as one YAML document (consumes the events). */
static char *emit_data(evlist *d, size_t *len, char *why, size_t whysize)
{
	yaml_emitter_t em;
	membuf b = {0};
	yaml_event_t ev;
	int ok = yaml_emitter_initialize(&em);
	if (!ok)
		exit(99);
	yaml_emitter_set_output(&em, write_handler, &b);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&em, &ev);
	ok = ok && yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0) &&
	     yaml_emitter_emit(&em, &ev);
	size_t i = 0;
	for (; ok && i < d->n; i++)
		ok = yaml_emitter_emit(&em, &d->ev[i]);
	/* The emitter owns (and has freed) every event handed to it. */
	for (; i < d->n; i++)
		yaml_event_delete(&d->ev[i]);
	d->n = 0;
	ok = ok && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev);
	ok = ok && yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
	ok = ok && yaml_emitter_flush(&em);
	if (!ok) {
		snprintf(why, whysize, "cannot emit data: %s", em.problem ? em.problem : "?");
		yaml_emitter_delete(&em);
		free(b.p);
		return NULL;
	}
	yaml_emitter_delete(&em);
	*len = b.len;
	return b.p;
}

static int contains(const proc_result *r, const char *sub)
{
	return memmem(r->err, r->err_len, sub, strlen(sub)) != NULL;
}

/* Does --check's report say what Go's parse error goerr says? */
static int check_says_parse(const proc_result *r, const char *goerr)
{
	const char *p = strncmp(goerr, "template: ", 10) == 0 ? goerr + 10 : goerr;
	p = strncmp(p, "t:", 2) == 0 ? p + 2 : NULL;
	size_t digits = p ? strspn(p, "0123456789") : 0;
	if (!p || digits == 0 || strncmp(p + digits, ": ", 2) != 0)
		return strcmp(goerr, "unexpected EOF") == 0 ? contains(r, ": error: unclosed {{")
							    : contains(r, goerr);
	const char *msg = p + digits + 2;
	if (strcmp(msg, "unexpected EOF") == 0)
		return contains(r, ": error: unclosed {{");
	char where[32], says[1024];
	snprintf(where, sizeof where, "t:%.*s:", (int)digits, p);
	snprintf(says, sizeof says, ": error: %s", msg);
	/* one line: where, a column, then what it says */
	for (const char *l = r->err, *e = r->err + r->err_len; l < e;) {
		const char *nl = memchr(l, '\n', (size_t)(e - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(e - l);
		if (n > strlen(where) && memcmp(l, where, strlen(where)) == 0 &&
		    memmem(l, n, says, strlen(says)))
			return 1;
		l += n + 1;
	}
	return 0;
}

/* Does --check's report say Go's execution message of goerr? */
static int check_says_exec(const proc_result *r, const char *goerr)
{
	const char *at = strstr(goerr, "executing \"");
	const char *msg = at ? strstr(at, ">: ") : NULL;
	return contains(r, msg ? msg + 3 : goerr);
}

/* Build the command line; check selects --check mode. */
static int build_argv(char **argv, const char *prog, const tcase *c, int with_values, int check)
{
	int n = 0;
	argv[n++] = (char *)prog;
	/* The corpus is Go's text/template alone: its builtins, no other names. */
	argv[n++] = "--funcs";
	argv[n++] = "go";
	if (check)
		argv[n++] = "--check";
	if (with_values) {
		argv[n++] = "--values";
		argv[n++] = "values.yaml";
	}
	if (c->ndelims >= 1 && c->delims[0][0]) {
		argv[n++] = "--left-delim";
		argv[n++] = c->delims[0];
	}
	if (c->ndelims >= 2 && c->delims[1][0]) {
		argv[n++] = "--right-delim";
		argv[n++] = c->delims[1];
	}
	for (int i = 0; i < c->noptions; i++) {
		argv[n++] = "--option";
		argv[n++] = c->options[i];
	}
	argv[n++] = "t";
	argv[n] = NULL;
	return n;
}

static void diag_run(const char *what, const proc_result *r)
{
	char how[64];
	tap_diag("%s: %s", what, proc_describe(r, how, sizeof how));
	tap_block("stdout", r->out, r->out_len);
	tap_block("stderr", r->err, r->err_len);
}

/* Run one case; returns 1 when it passed (diagnostics already printed otherwise). */
static int run_case(const runner_ctx *ctx, tcase *c, const char *name)
{
	const char *prog = ctx->prog;
	char why[256] = "";
	char *argv[10 + 2 * MAX_OPTIONS];
	int with_values = c->has_data && !data_is_null(&c->data);
	char *dir = tmpdir_make("tmplrender-conf");
	if (!dir) {
		tap_ok(0, name);
		tap_diag("cannot make a temp dir: %s", strerror(errno));
		return 0;
	}
	int ok = 1;
	if (file_write(dir, "t", c->tmpl ? c->tmpl : "", c->tmpl_len) != 0) {
		snprintf(why, sizeof why, "cannot write the template: %s", strerror(errno));
		ok = 0;
	}
	if (ok && with_values) {
		size_t len = 0;
		char *yaml = emit_data(&c->data, &len, why, sizeof why);
		if (!yaml || file_write(dir, "values.yaml", yaml, len) != 0) {
			if (yaml)
				snprintf(why, sizeof why, "cannot write values.yaml");
			ok = 0;
		}
		free(yaml);
	}
	if (!ok) {
		tap_result(0, name, why);
		tmpdir_remove(dir);
		free(dir);
		return 0;
	}

	proc_result r, rc = {0};
	int checked = 0;
	build_argv(argv, prog, c, with_values, 0);
	if (proc_run(dir, argv, NULL, 0, ctx->timeout, &r) != 0) {
		tap_ok(0, name);
		tap_diag("cannot run %s: %s", prog, strerror(errno));
		tmpdir_remove(dir);
		free(dir);
		return 0;
	}
	const char *fail = NULL;
	if (runner_sanitizer_report(&r))
		fail = "sanitizer report";
	else if (!r.exited)
		fail = "did not exit normally";
	else if (c->has_output) {
		if (r.status != 0)
			fail = "expected success";
		else if (r.out_len != c->output_len || memcmp(r.out, c->output, r.out_len) != 0)
			fail = "output differs";
	} else {
		if (r.status == 0)
			fail = "expected an error";
		else if (!contains(&r, c->error))
			fail = "error text differs";
	}
	if (!fail && c->phase) {
		int parse = !strcmp(c->phase, "parse");
		build_argv(argv, prog, c, 0, 1);
		if (proc_run(dir, argv, NULL, 0, ctx->timeout, &rc) != 0) {
			fail = "cannot run --check";
		} else {
			checked = 1;
			if (runner_sanitizer_report(&rc))
				fail = "--check: sanitizer report";
			else if (!rc.exited)
				fail = "--check: did not exit normally";
			else if (parse && rc.status == 0)
				fail = "--check: expected a parse error";
			else if (parse && !check_says_parse(&rc, c->error))
				fail = "--check: error text differs";
			else if (!parse && rc.status != 0 && !check_says_exec(&rc, c->error))
				fail = "--check: expected success or Go's execution message";
		}
	}
	if (!tap_ok(!fail, name)) {
		tap_diag("%s:%d: %s", ctx->file, c->line, fail);
		build_argv(argv, prog, c, with_values, 0);
		runner_diag_argv(argv);
		tap_block("template", c->tmpl, c->tmpl_len);
		if (c->has_output)
			tap_block("expected output", c->output, c->output_len);
		else
			tap_diag("expected error containing: %s%s%s", c->error,
				 c->phase ? ", phase " : "", c->phase ? c->phase : "");
		diag_run("got", &r);
		if (checked)
			diag_run("--check got", &rc);
	}
	proc_result_free(&r);
	proc_result_free(&rc);
	runner_tmpdir_done(dir);
	return fail == NULL;
}

/* Load every case of one corpus file. */
static tcase *load_cases(const char *path, size_t *count)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		tap_bail("%s: %s", path, strerror(errno));
	yaml_parser_t p;
	yaml_event_t ev;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	tcase *cases = NULL;
	size_t n = 0, cap = 0;
	next_event(&p, &ev); /* stream start */
	yaml_event_delete(&ev);
	next_event(&p, &ev);
	if (ev.type == YAML_DOCUMENT_START_EVENT) {
		yaml_event_delete(&ev);
		next_event(&p, &ev);
		if (ev.type != YAML_SEQUENCE_START_EVENT)
			die_at(&ev, "the corpus must be a list of cases");
		yaml_event_delete(&ev);
		for (;;) {
			next_event(&p, &ev);
			if (ev.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&ev);
				break;
			}
			if (ev.type != YAML_MAPPING_START_EVENT)
				die_at(&ev, "a case must be a mapping");
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				cases = realloc(cases, cap * sizeof *cases);
				if (!cases)
					exit(99);
			}
			parse_case(&p, &ev, &cases[n++]);
		}
	} else {
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(f);
	*count = n;
	return cases;
}

static void *load(const runner_ctx *ctx, size_t *count)
{
	g_file = ctx->file;
	tcase *cases = load_cases(g_file, count);
	/* A name is one TAP line. */
	for (size_t i = 0; i < *count; i++)
		for (char *q = cases[i].name; *q; q++)
			if (*q == '\n' || *q == '\r')
				*q = ' ';
	return cases;
}

static const char *title(void *cases, size_t i)
{
	return ((tcase *)cases)[i].name;
}

static int run(const runner_ctx *ctx, void *cases, size_t i, const char *name)
{
	return run_case(ctx, &((tcase *)cases)[i], name);
}

static void free_one(void *cases, size_t i)
{
	case_free(&((tcase *)cases)[i]);
}

int main(int argc, char **argv)
{
	static const runner_format conformance = {
		"run-conformance TMPLRENDER CORPUS.yaml...", load, title, run, free_one, free,
	};
	return runner_main(argc, argv, &conformance);
}
