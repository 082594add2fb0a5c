/* fuzz_review.c: libFuzzer target: any bytes answered as an AdmissionReview body three ways (decoded in full, through the envelope scan, and through the scan and the answer memo, twice) with Istio 1.1's bundled injection config; the answers must be identical, else it aborts.
 *
 * This is the property tests/webhook/memo_test.c checks on its own reviews
 * and damage, with the fuzzer choosing the bodies. The memo outlives one
 * input (as in the server), so a wrong hit left by an earlier input shows up
 * too; each input is also asked twice so that its own first answer, put in
 * the memo, is tested by its second.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "webhook/wh.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static wh_snap g_plain, g_memo;
static tmpl_exec_opts g_limits;
static tmpl_arena *g_arena;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t cl, ml;
	char *c = fuzz_read("templates/istio-1.1/inject-config.yaml", &cl);
	char *m = fuzz_read("templates/istio-1.1/mesh.yaml", &ml);
	tmpl_error err;
	tmpl_error_init(&err);
	g_arena = arena_new(); /* lives as long as the process (kept here, not leaked) */
	tmpl_arena *a = g_arena;
	if (inj_config_load(a, "inject-config.yaml", c, cl, &g_plain.cfg, &err) != 0 ||
	    inj_mesh_load(a, "mesh.yaml", m, ml, &g_plain.mesh, &err) != 0) {
		fprintf(stderr, "fuzz_review: %s\n", err.msg);
		abort();
	}
	fuzz_limits(&g_limits);
	g_plain.cfg.limits = &g_limits;
	g_memo = g_plain;
	g_memo.memo = wh_memo_new((size_t)1 << 20);
	free(c);
	free(m);
	return 0;
}

static void admit(const wh_snap *s, const uint8_t *d, size_t n, bool full, wh_result *r)
{
	tmpl_arena *a = arena_new();
	memset(r, 0, sizeof *r);
	r->body = (sbuf)SBUF_INIT;
	wh_admit_ex(s, a, (const char *)d, n, full, NULL, &g_limits, r);
	arena_free(a);
}

/* Abort unless got is want, field by field (what memo_test compares). */
static void same(const char *how, const wh_result *got, const wh_result *want)
{
	if (got->decision == want->decision && !strcmp(got->reason, want->reason) &&
	    !strcmp(got->ns, want->ns) && !strcmp(got->name, want->name) &&
	    !strcmp(got->uid, want->uid) && got->body.len == want->body.len &&
	    !memcmp(got->body.buf, want->body.buf, got->body.len))
		return;
	fprintf(stderr,
		"fuzz_review: %s differs from the full decode\n"
		"  got:  decision %d uid %s ns %s name %s reason %s\n  body %.*s\n"
		"  want: decision %d uid %s ns %s name %s reason %s\n  body %.*s\n",
		how, got->decision, got->uid, got->ns, got->name, got->reason, (int)got->body.len,
		got->body.buf, want->decision, want->uid, want->ns, want->name, want->reason,
		(int)want->body.len, want->body.buf);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	wh_result want, got;
	admit(&g_plain, d, n, true, &want);
	static const struct {
		const char *how;
		wh_snap *s;
	} ways[] = {
		{"the scan without the memo", &g_plain},
		{"the scan and the memo", &g_memo},
		{"the scan and the memo, asked again", &g_memo},
	};
	for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
		admit(ways[i].s, d, n, false, &got);
		same(ways[i].how, &got, &want);
		sbuf_free(&got.body);
	}
	sbuf_free(&want.body);
	return 0;
}
