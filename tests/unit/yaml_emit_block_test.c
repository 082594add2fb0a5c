/* yaml_emit_block_test.c: the direct block writer (yaml_emit_block.c) against the libyaml path of ye_emit, byte for byte, over thousands of generated values under each rule set; prints TAP.
 *
 * The expected text is libyaml's emitter's (the path every other emit test
 * checks against Go): this test proves the direct writer writes the same
 * bytes wherever it answers, and that ye_emit's result never changes. The
 * values come from a fixed seed: maps, sequences, empty ones, numbers,
 * booleans, nulls and strings from a nasty alphabet (spaces, ':', '#', '-',
 * quotes, newlines, tabs, unicode, number- and bool-looking words, indicators,
 * "---", long lines with spaces for folding). A mismatch prints the value's
 * number, libyaml's text (the value) and the direct writer's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "error.h"
#include "sbuf.h"
#include "tmpl_value.h"
#include "yaml_emit.h"
#include "yaml_emit_impl.h"
#include "../runner/tap.h"

/* xorshift64*: the same values on every machine */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

static const char *const pieces[] = {
	"a", "b", "Z", "x", "name", "value", "0", "1", "9", "12", "0x1F", "0o17", "1e3", "1.",
	".5", "-", "+", "_", ".", ":", ": ", "#", " #", "'", "\"", "\\", "?", "? ", "- ",
	"{", "}", "[", "]", ",", "&", "*", "!", "|", ">", "%", "@", "`", "~", "=", "/", " ",
	"  ", "\n", "\n\n", "\t", "\r", "true", "false", "yes", "No", "on", "null", "Null",
	"---", "...", "2001-01-02", "12:30", "1:20:30", "é", "日本", "\xC2\x85", "\xE2\x80\xA8",
	"\xEF\xBB\xBF", "\x7F", "\xFF", "\x01", "-1", "+1", "1_000", "0b101", ".inf", "NaN",
	"\xEE\x80\x80",
};
#define NPIECES (sizeof pieces / sizeof pieces[0])

/* Mostly letters and plain-safe punctuation (so that many values stay
 * within what the direct writer answers), then the nasty pieces. */
static void gen_string(sbuf *s, bool key)
{
	s->len = 0;
	unsigned kind = rnd(10);
	if (kind == 0)
		return; /* empty */
	size_t parts = kind < 3 ? 1 : kind < 8 ? 1 + rnd(4) : 1 + rnd(key ? 6 : 40);
	bool nasty = rnd(3) == 0;
	for (size_t i = 0; i < parts; i++) {
		if (nasty && rnd(3) == 0) {
			sbuf_puts(s, pieces[rnd(NPIECES)]);
			continue;
		}
		unsigned w = 1 + rnd(12);
		for (unsigned j = 0; j < w; j++)
			sbuf_putc(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/"[rnd(66)]);
		if (rnd(4) == 0)
			sbuf_puts(s, pieces[rnd(NPIECES)]);
		if (i + 1 < parts && rnd(2))
			sbuf_putc(s, ' ');
	}
	if (rnd(8) == 0) /* long words: lines past the width */
		sbuf_pad(s, 'w', rnd(130));
}

static const tv *gen_value(tmpl_arena *a, sbuf *tmp, int depth)
{
	/* the document: mostly a collection (what the direct writer is for) */
	unsigned k = depth == 0 && rnd(10) ? 6 + rnd(4) : rnd(depth >= 5 ? 6 : 10);
	switch (k) {
	case 0:
		return rnd(4) ? &tv_null_value : TV_NOVALUE;
	case 1:
		return tv_bool(rnd(2));
	case 2:
		return tv_int(a, (long long)rnd(200000) - 100000);
	case 3: {
		static const double f[] = {0.5, -1.25, 1e21, 3e-7, 12345678.9, 1e100, 2.0};
		return tv_float(a, f[rnd(7)]);
	}
	case 4:
	case 5:
		gen_string(tmp, false);
		return tv_string(a, tmp->buf ? tmp->buf : "", tmp->len);
	case 6:
	case 7: {
		size_t n = rnd(6) == 0 ? 0 : 1 + rnd(5);
		tv *l = tv_list_new(a, n);
		for (size_t i = 0; i < n; i++) {
			const tv *c = gen_value(a, tmp, depth + 1);
			l->u.list.items[i] = c ? c : &tv_null_value;
		}
		return l;
	}
	default: {
		size_t n = rnd(6) == 0 ? 0 : 1 + rnd(6);
		tv *m = tv_map_new(a, n);
		for (size_t i = 0; i < n; i++) {
			gen_string(tmp, true);
			const tv *key = tv_string(a, tmp->buf ? tmp->buf : "", tmp->len);
			if (tv_map_find_key(m, key) >= 0)
				continue;
			tv_map_add(a, m, key, gen_value(a, tmp, depth + 1));
		}
		tv_map_seal(a, m);
		return m;
	}
	}
}

/* One value under one rule set: the direct writer (where it answers) and
 * ye_emit must give libyaml's bytes, or its error. Returns 1 when the
 * direct writer answered. */
static int compare(const tv *v, ye_rules rules, size_t num, int *bad)
{
	sbuf want = SBUF_INIT, got = SBUF_INIT, any = SBUF_INIT;
	tmpl_error e1, e2, e3;
	tmpl_error_init(&e1);
	tmpl_error_init(&e2);
	tmpl_error_init(&e3);
	int r1 = ye_emit_how(&want, v, rules, YE_HOW_LIBYAML, &e1);
	int r2 = ye_emit_how(&got, v, rules, YE_HOW_BLOCK, &e2);
	int r3 = ye_emit(&any, v, rules, &e3);
	int answered = r2 != YB_UNSURE;
	int same_block = r2 == YB_UNSURE ||
			 (r2 == r1 && (r1 ? strcmp(e1.msg, e2.msg) == 0
					  : got.len == want.len && memcmp(got.buf, want.buf, want.len) == 0));
	int same_any = r3 == r1 && (r1 ? strcmp(e1.msg, e3.msg) == 0
				       : any.len == want.len && memcmp(any.buf, want.buf, want.len) == 0);
	if ((!same_block || !same_any) && (*bad)++ < 5) {
		tap_diag("value %zu under %s rules:", num,
		       rules == YE_RULES_CURRENT ? "current" : "Istio 1.1");
		tap_show("libyaml", r1 ? e1.msg : want.buf ? want.buf : "", r1 ? strlen(e1.msg) : want.len);
		tap_show("direct", r2 ? (e2.msg ? e2.msg : "(unsure)") : got.buf ? got.buf : "",
		     r2 ? strlen(e2.msg ? e2.msg : "(unsure)") : got.len);
		tap_show("ye_emit", r3 ? e3.msg : any.buf ? any.buf : "", r3 ? strlen(e3.msg) : any.len);
	}
	sbuf_free(&want);
	sbuf_free(&got);
	sbuf_free(&any);
	tmpl_error_clear(&e1);
	tmpl_error_clear(&e2);
	tmpl_error_clear(&e3);
	return answered;
}

#define NVALUES 4000

int main(void)
{
	static const ye_rules rules[] = {YE_RULES_CURRENT, YE_RULES_ISTIO_1_1};
	static const char *const names[] = {"current", "Istio 1.1"};
	sbuf tmp = SBUF_INIT;
	for (size_t r = 0; r < 2; r++) {
		int bad = 0;
		size_t answered = 0;
		for (size_t i = 0; i < NVALUES; i++) {
			tmpl_arena *a = arena_new();
			const tv *v = gen_value(a, &tmp, 0);
			answered += (size_t)compare(v, rules[r], i, &bad);
			arena_free(a);
		}
		char name[160];
		snprintf(name, sizeof name, "%s rules: %d values, the direct writer and ye_emit write libyaml's bytes", names[r], NVALUES);
		tap_ok(bad == 0, name);
		if (bad)
			tap_diag("%d mismatches", bad);
		/* the comparison means something only where the writer answers */
		snprintf(name, sizeof name, "%s rules: the direct writer answered %zu of %d values (at least a third)", names[r], answered, NVALUES);
		tap_ok(answered * 3 >= NVALUES, name);
	}
	sbuf_free(&tmp);
	return tap_done();
}
