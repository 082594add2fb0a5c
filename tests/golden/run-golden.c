/* run-golden.c: runs golden test files (*.tt) through tmplrender and prints TAP.
 *
 * Usage: run-golden TMPLRENDER FILE.tt...
 *
 * A file holds cases; each runs in a fresh temporary directory as
 *   tmplrender [--values values.yaml] ARGS... [t]
 * File format (bodies are byte-exact):
 *   # comment lines, only before the first case
 *   === title of the case
 *   --- args            one line of arguments, split on spaces; 'single quotes'
 *                       keep spaces, '' is an empty argument
 *   --- values          written to values.yaml; adds --values values.yaml first
 *   --- template        written to t; adds t last
 *   --- file NAME       any number: extra files for the arguments to name
 *   --- stdin           fed to standard input
 *   --- env             NAME=VALUE lines set in the command's environment (TZ
 *                       for dates); a line NAME alone unsets NAME
 *   --- output          the exact standard output
 *   --- error           a substring of standard error
 *   --- error-exact     the whole of standard error, less its final newline: Go's
 *                       err.Error() as `fmt.Fprintln(os.Stderr, err)` prints it
 *                       (tmplrender adds no program-name prefix to a template
 *                       error; a prefix it does print belongs in the body)
 *   --- exit            the exit status (default 0, or 1 with an error section)
 *   --- outfile NAME    the exact contents of a file the command writes
 * A body runs up to the newline before the next line starting with "=== " or
 * "--- " (or the end of the file); that newline is not part of the body.
 * Environment: RUN=SUBSTR runs only cases whose title contains SUBSTR;
 * TEST_TIMEOUT=SECONDS (default 20) bounds every run; KEEP_TMP keeps the dirs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/proc.h"
#include "../runner/runner.h"
#include "../runner/tap.h"

#define MAX_FILES 16
#define MAX_ARGS 64

typedef struct body {
	const char *p; /* points into the file text */
	size_t len;
	int present;
} body;

typedef struct named {
	char *name;
	body b;
} named;

typedef struct gcase {
	char *title;
	int line;
	body args, values, tmpl, stdin_, output, error, error_exact, exit_, env;
	named files[MAX_FILES];
	int nfiles;
	named outfiles[MAX_FILES];
	int noutfiles;
} gcase;

static const char *g_file; /* the file being read, for bail */

static void bail(int line, const char *msg)
{
	tap_bail("%s:%d: %s", g_file, line, msg);
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		exit(99);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static int is_header(const char *line, size_t len)
{
	return len >= 4 && (!memcmp(line, "=== ", 4) || !memcmp(line, "--- ", 4));
}

/* Strip surrounding spaces; returns a malloc'd copy. */
static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return dupn(s, n);
}

/* Attach a section header "--- WHAT [NAME]" to case c, returning its body slot. */
static body *section(gcase *c, const char *hdr, size_t len, int line)
{
	char *h = trimmed(hdr + 4, len - 4);
	char *sp = strchr(h, ' ');
	char *arg = NULL;
	if (sp) {
		*sp = '\0';
		arg = sp + 1;
		while (*arg == ' ')
			arg++;
	}
	body *b = NULL;
	const char *kw[] = {"args",  "values",      "template", "stdin", "output",
			    "error", "error-exact", "exit",     "env"};
	body *slots[] = {&c->args,  &c->values,      &c->tmpl,  &c->stdin_, &c->output,
			 &c->error, &c->error_exact, &c->exit_, &c->env};
	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
		if (!strcmp(h, kw[i])) {
			if (arg && *arg)
				bail(line, "this section takes no name");
			b = slots[i];
		}
	if (!strcmp(h, "file") || !strcmp(h, "outfile")) {
		int out = h[0] == 'o';
		named *arr = out ? c->outfiles : c->files;
		int *n = out ? &c->noutfiles : &c->nfiles;
		if (!arg || !*arg || strchr(arg, '/'))
			bail(line, "file sections need a plain file name");
		if (*n == MAX_FILES)
			bail(line, "too many file sections");
		arr[*n].name = dupn(arg, strlen(arg));
		b = &arr[(*n)++].b;
	}
	if (!b) {
		char msg[128];
		snprintf(msg, sizeof msg, "unknown section '%.60s'", h);
		bail(line, msg);
	}
	if (b->present)
		bail(line, "section given twice");
	if ((b == &c->error && c->error_exact.present) || (b == &c->error_exact && c->error.present))
		bail(line, "a case has an error or an error-exact section, not both");
	b->present = 1;
	free(h);
	return b;
}

/* Split the text into cases. */
static gcase *parse_file(const char *text, size_t len, size_t *count)
{
	gcase *cases = NULL;
	size_t n = 0, cap = 0;
	gcase *cur = NULL;
	body *open = NULL;
	size_t pos = 0;
	int line = 0;
	while (pos < len) {
		const char *l = text + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - l) : len - pos;
		size_t next = nl ? pos + llen + 1 : len;
		line++;
		if (is_header(l, llen)) {
			if (open && open->len > 0)
				open->len--; /* the newline before this header */
			open = NULL;
			if (l[0] == '=') {
				if (n == cap) {
					cap = cap ? cap * 2 : 32;
					cases = realloc(cases, cap * sizeof *cases);
					if (!cases)
						exit(99);
				}
				cur = &cases[n++];
				memset(cur, 0, sizeof *cur);
				cur->title = trimmed(l + 4, llen - 4);
				for (char *q = cur->title; *q; q++)
					if (*q == '#')
						*q = '%'; /* keep TAP directives out of titles */
				cur->line = line;
			} else {
				if (!cur)
					bail(line, "section before the first case");
				open = section(cur, l, llen, line);
				open->p = text + next;
				open->len = 0;
			}
		} else if (open) {
			open->len = next - (size_t)(open->p - text);
		} else if (!cur) {
			if (llen > 0 && l[0] != '#')
				bail(line, "text before the first case (comments start with #)");
		} else if (llen > 0) {
			bail(line, "text outside a section");
		}
		pos = next;
	}
	if (open && open->len > 0 && open->p[open->len - 1] == '\n')
		open->len--; /* the file's final newline */
	*count = n;
	return cases;
}

/* Split the args line into words; returns the count. */
static int split_args(const body *b, char **out, int max, int line)
{
	int n = 0;
	size_t i = 0;
	while (i < b->len) {
		while (i < b->len && (b->p[i] == ' ' || b->p[i] == '\n' || b->p[i] == '\t'))
			i++;
		if (i >= b->len)
			break;
		char *w = malloc(b->len + 1);
		size_t wl = 0;
		int quoted = 0;
		if (!w)
			exit(99);
		while (i < b->len) {
			char ch = b->p[i];
			if (ch == '\'') {
				quoted = !quoted;
			} else if (!quoted && (ch == ' ' || ch == '\n' || ch == '\t')) {
				break;
			} else {
				w[wl++] = ch;
			}
			i++;
		}
		if (quoted)
			bail(line, "unterminated quote in args");
		w[wl] = '\0';
		if (n == max)
			bail(line, "too many args");
		out[n++] = w;
	}
	return n;
}

static void case_free(gcase *c)
{
	free(c->title);
	for (int i = 0; i < c->nfiles; i++)
		free(c->files[i].name);
	for (int i = 0; i < c->noutfiles; i++)
		free(c->outfiles[i].name);
}

/* The env section's variables: set (or unset) before the command runs,
 * then restored (restore = 1), so one case's TZ does not reach the next. */
#define MAX_ENV 16
typedef struct env_saved {
	char *name, *old; /* old: NULL when it was unset */
} env_saved;

static int env_apply(const gcase *c, env_saved *saved)
{
	int n = 0;
	const char *p = c->env.p, *end = c->env.p + c->env.len;
	while (c->env.present && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = dupn(p, len);
		p += len + (nl ? 1 : 0);
		if (!*line) {
			free(line);
			continue;
		}
		if (n == MAX_ENV)
			bail(c->line, "too many env lines");
		char *eq = strchr(line, '=');
		if (eq)
			*eq = '\0';
		const char *old = getenv(line);
		saved[n].name = line;
		saved[n].old = old ? dupn(old, strlen(old)) : NULL;
		n++;
		if (eq)
			setenv(line, eq + 1, 1);
		else
			unsetenv(line);
	}
	return n;
}

static void env_restore(env_saved *saved, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		if (saved[i].old)
			setenv(saved[i].name, saved[i].old, 1);
		else
			unsetenv(saved[i].name);
		free(saved[i].name);
		free(saved[i].old);
	}
}

/* Run one case and print its TAP line; returns 1 when it passed. */
static int run_case(const runner_ctx *ctx, gcase *c, const char *name)
{
	const char *prog = ctx->prog;
	char *words[MAX_ARGS];
	int nwords = c->args.present ? split_args(&c->args, words, MAX_ARGS, c->line) : 0;
	char *argv[MAX_ARGS + 8];
	int argc = 0;
	argv[argc++] = (char *)prog;
	if (c->values.present) {
		argv[argc++] = "--values";
		argv[argc++] = "values.yaml";
	}
	for (int i = 0; i < nwords; i++)
		argv[argc++] = words[i];
	if (c->tmpl.present)
		argv[argc++] = "t";
	argv[argc] = NULL;

	int want_exit = c->error.present || c->error_exact.present ? 1 : 0;
	if (c->exit_.present) {
		char *e = trimmed(c->exit_.p, c->exit_.len);
		char *end;
		want_exit = (int)strtol(e, &end, 10);
		if (!*e || *end)
			bail(c->line, "exit needs a number");
		free(e);
	}

	char fail[512] = "";
	char *dir = tmpdir_make("tmplrender-golden");
	if (!dir) {
		snprintf(fail, sizeof fail, "cannot make a temp dir: %s", strerror(errno));
	} else {
		int w = 0;
		if (c->values.present)
			w |= file_write(dir, "values.yaml", c->values.p, c->values.len);
		if (c->tmpl.present)
			w |= file_write(dir, "t", c->tmpl.p, c->tmpl.len);
		for (int i = 0; i < c->nfiles; i++)
			w |= file_write(dir, c->files[i].name, c->files[i].b.p, c->files[i].b.len);
		if (w)
			snprintf(fail, sizeof fail, "cannot write the case's files: %s", strerror(errno));
	}
	proc_result r = {0};
	int ran = 0;
	if (!*fail) {
		env_saved saved[MAX_ENV];
		int nenv = env_apply(c, saved);
		if (proc_run(dir, argv, c->stdin_.p, c->stdin_.len, ctx->timeout, &r) != 0)
			snprintf(fail, sizeof fail, "cannot run %.200s: %s", prog, strerror(errno));
		else
			ran = 1;
		env_restore(saved, nenv);
	}
	char *errsub = c->error.present ? dupn(c->error.p, c->error.len) : NULL;
	if (ran) {
		char how[64];
		if (!c->output.present && !c->error.present && !c->error_exact.present &&
		    !c->exit_.present && !c->noutfiles)
			snprintf(fail, sizeof fail, "the case expects nothing (no output, error, exit or outfile section)");
		else if (runner_sanitizer_report(&r))
			snprintf(fail, sizeof fail, "sanitizer report");
		else if (!r.exited)
			snprintf(fail, sizeof fail, "%s", proc_describe(&r, how, sizeof how));
		else if (r.status != want_exit)
			snprintf(fail, sizeof fail, "exit status %d, want %d", r.status, want_exit);
		else if (c->output.present &&
			 (r.out_len != c->output.len || memcmp(r.out, c->output.p, r.out_len)))
			snprintf(fail, sizeof fail, "output differs");
		else if (errsub && !memmem(r.err, r.err_len, errsub, strlen(errsub)))
			snprintf(fail, sizeof fail, "error text differs");
		else if (c->error_exact.present &&
			 (r.err_len != c->error_exact.len + 1 || r.err[c->error_exact.len] != '\n' ||
			  memcmp(r.err, c->error_exact.p, c->error_exact.len)))
			snprintf(fail, sizeof fail, "error text differs (the whole of it)");
		for (int i = 0; !*fail && i < c->noutfiles; i++) {
			size_t n = strlen(dir) + strlen(c->outfiles[i].name) + 2, got_len = 0;
			char *path = malloc(n);
			if (!path)
				exit(99);
			snprintf(path, n, "%s/%s", dir, c->outfiles[i].name);
			char *got = file_read(path, &got_len);
			free(path);
			if (!got)
				snprintf(fail, sizeof fail, "outfile %s was not written", c->outfiles[i].name);
			else if (got_len != c->outfiles[i].b.len || memcmp(got, c->outfiles[i].b.p, got_len)) {
				snprintf(fail, sizeof fail, "outfile %s differs", c->outfiles[i].name);
				tap_block("its contents", got, got_len);
				tap_block("expected", c->outfiles[i].b.p, c->outfiles[i].b.len);
			}
			free(got);
		}
	}
	if (!tap_ok(!*fail, name)) {
		tap_diag("%s:%d: %s", ctx->file, c->line, fail);
		runner_diag_argv(argv);
		if (c->output.present)
			tap_block("expected output", c->output.p, c->output.len);
		if (errsub)
			tap_diag("expected error containing: %s", errsub);
		if (c->error_exact.present)
			tap_block("expected stderr (and a newline)", c->error_exact.p, c->error_exact.len);
		tap_diag("expected exit: %d", want_exit);
		if (ran) {
			char how[64];
			tap_diag("got: %s", proc_describe(&r, how, sizeof how));
			tap_block("stdout", r.out, r.out_len);
			tap_block("stderr", r.err, r.err_len);
		}
	}
	free(errsub);
	proc_result_free(&r);
	for (int i = 0; i < nwords; i++)
		free(words[i]);
	runner_tmpdir_done(dir);
	return *fail == '\0';
}

/* A file's text and its cases (which point into the text). */
typedef struct gfile {
	char *text;
	gcase *cases;
} gfile;

static void *load(const runner_ctx *ctx, size_t *count)
{
	gfile *f = malloc(sizeof *f);
	size_t len;
	if (!f)
		exit(99);
	g_file = ctx->file;
	f->text = file_read(g_file, &len);
	if (!f->text)
		tap_bail("%s: %s", g_file, strerror(errno));
	f->cases = parse_file(f->text, len, count);
	return f;
}

static const char *title(void *cases, size_t i)
{
	return ((gfile *)cases)->cases[i].title;
}

static int run(const runner_ctx *ctx, void *cases, size_t i, const char *name)
{
	g_file = ctx->file;
	return run_case(ctx, &((gfile *)cases)->cases[i], name);
}

static void free_one(void *cases, size_t i)
{
	case_free(&((gfile *)cases)->cases[i]);
}

static void free_all(void *cases)
{
	gfile *f = cases;
	free(f->cases);
	free(f->text);
	free(f);
}

int main(int argc, char **argv)
{
	static const runner_format golden = {
		"run-golden TMPLRENDER FILE.tt...", load, title, run, free_one, free_all,
	};
	return runner_main(argc, argv, &golden);
}
