/* arena_test.c: the arena's marks (every way blocks are added between a mark and its release), a render whose range iterations give their values back, and the error kinds of the render bounds; prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/tap.h"
#include "arena.h"
#include "eval.h"
#include "tmpl_set.h"
#include "tmpl.h"

static size_t blocks(const tmpl_arena *a)
{
	size_t n = 0;
	for (const arena_block *b = a->head; b; b = b->next)
		n++;
	return n;
}

/* Fill n bytes with c and check them later: a release must not touch what came before. */
static unsigned char *fill(tmpl_arena *a, size_t n, int c)
{
	unsigned char *p = arena_alloc(a, n);
	memset(p, c, n);
	return p;
}

static int intact(const unsigned char *p, size_t n, int c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* Render text with a fresh scratch arena; the arena's bytes in use afterwards. */
static size_t render_used(const char *text, const char *want)
{
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_set *s = tmpl_set_new();
	sbuf out = SBUF_INIT;
	tmpl_arena *scratch = arena_new();
	size_t used = (size_t)-1;
	if (tmpl_set_parse(s, "t", text, strlen(text), NULL, NULL, &err) == 0 &&
	    eval_execute(s, set_lookup(s, "t", 1), NULL, NULL, &out, scratch, &err) == 0 &&
	    strcmp(out.buf, want) == 0)
		used = arena_used(scratch);
	else
		tap_diag("render failed: %s / output %s", err.msg ? err.msg : "", out.buf ? out.buf : "");
	arena_free(scratch);
	sbuf_free(&out);
	tmpl_set_free(s);
	tmpl_error_clear(&err);
	return used;
}

static bool always(void *arg)
{
	(void)arg;
	return true;
}

/* The kind of error a render of text ends with under opts (TMPL_ERR_NONE: none). */
static tmpl_errkind render_kind(const char *text, const tmpl_exec_opts *o)
{
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_set *s = tmpl_set_new();
	sbuf out = SBUF_INIT;
	tmpl_errkind k = TMPL_ERR_NONE;
	if (tmpl_set_parse(s, "t", text, strlen(text), NULL, NULL, &err) != 0 ||
	    tmpl_execute_opts(s, "t", NULL, o, &out, &err) != 0)
		k = err.kind;
	sbuf_free(&out);
	tmpl_set_free(s);
	tmpl_error_clear(&err);
	return k;
}

int main(void)
{
	tmpl_arena *a = arena_new();
	unsigned char *before = fill(a, 100, 'b');

	/* bump allocations only */
	arena_mark m = arena_mark_now(a);
	size_t total = arena_used(a);
	fill(a, 200, 'x');
	arena_release(a, m);
	unsigned char *again = arena_alloc(a, 16);
	tap_ok(arena_used(a) == total + 16 && again == before + 112,
	   "a release of bump allocations hands the same bytes out again");

	/* a big block behind the head, and new heads with their own big blocks */
	m = arena_mark_now(a);
	size_t nblocks = blocks(a);
	total = arena_used(a);
	fill(a, 1 << 20, 'x');                 /* big, behind the head */
	for (int i = 0; i < 8; i++)
		fill(a, 7000, 'y');            /* new heads */
	fill(a, 3 << 20, 'z');                 /* big, behind a new head */
	arena_release(a, m);
	tap_ok(arena_used(a) == total, "after new heads and big blocks the count is back");
	tap_ok(blocks(a) == nblocks + 1, "only the newest head is kept, empty, in front");
	tap_ok(intact(before, 100, 'b'), "what came before the mark is intact");

	/* the kept head is reused: marks and releases in a loop stop growing the chain */
	for (int round = 0; round < 1000; round++) {
		m = arena_mark_now(a);
		for (int i = 0; i < 4; i++)
			fill(a, 5000, 'w');
		arena_release(a, m);
	}
	tap_ok(blocks(a) == nblocks + 1 && arena_used(a) == total,
	   "1,000 marked rounds leave the chain as it was");

	/* nested marks, the inner released first, then the outer */
	arena_mark outer = arena_mark_now(a);
	unsigned char *o1 = fill(a, 3000, 'o');
	arena_mark inner = arena_mark_now(a);
	fill(a, 1 << 19, 'i');
	fill(a, 9000, 'i');
	arena_release(a, inner);
	tap_ok(intact(o1, 3000, 'o'), "an inner release keeps the outer iteration's values");
	fill(a, 20000, 'j');
	arena_release(a, outer);
	tap_ok(arena_used(a) == total && intact(before, 100, 'b'), "then the outer release");
	arena_free(a);

	/* Renders: a range that prints nothing, and one that makes a string per
	 * iteration, run in the same memory for 2,000 iterations as for 200,000
	 * (before, each iteration past the small integers kept its values). */
	size_t small = render_used("{{range 2000}}{{$x := printf \"%d\" .}}{{end}}", "");
	size_t large = render_used("{{range 200000}}{{$x := printf \"%d\" .}}{{end}}", "");
	tap_diag("arena bytes in use: %zu after 2,000 iterations, %zu after 200,000", small, large);
	tap_ok(small != (size_t)-1 && large == small, "a range's iterations give their values back");
	size_t kept = render_used("{{$k := 0}}{{range 200000}}{{$k = printf \"%d\" .}}{{end}}{{$k}}",
				  "199999");
	tap_ok(kept != (size_t)-1, "a value kept by an outer variable survives its iteration");
	size_t nested = render_used("{{range 300}}{{range 300}}{{$x := printf \"%d\" .}}{{end}}{{end}}",
				    "");
	tap_ok(nested != (size_t)-1 && nested <= small + 4096, "nested ranges give their values back");

	/* Callers tell a bound or a cancel from the template's own errors by kind. */
	tmpl_exec_opts steps = {.max_steps = 10};
	tap_ok(render_kind("{{range 100}}{{end}}", &steps) == TMPL_ERR_LIMIT, "a step bound: TMPL_ERR_LIMIT");
	tmpl_exec_opts outp = {.max_output = 5};
	tap_ok(render_kind("{{range 100}}x{{end}}", &outp) == TMPL_ERR_LIMIT, "an output bound: TMPL_ERR_LIMIT");
	tmpl_exec_opts cancel = {.cancelled = always};
	tap_ok(render_kind("{{range 5000}}{{end}}", &cancel) == TMPL_ERR_CANCELLED,
	   "a cancel: TMPL_ERR_CANCELLED");
	tap_ok(render_kind("{{index 1 2}}", &steps) == TMPL_ERR_EXEC, "the template's own error: TMPL_ERR_EXEC");
	return tap_done();
}
