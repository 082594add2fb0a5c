/* fuzz_check.c: libFuzzer target: any bytes read by tmplrender --check: the recovery parser, the set's checks and the data checks (typed fields, values keys, YAML contexts), the report written in every format; only a crash, a sanitizer report or a leak is a finding.
 *
 * Input: OPTIONS TEMPLATE [NUL VALUES-YAML]. The first byte picks the run:
 * bits 0-1 the typed data (none, --types istio, --types istio-1.1, --types
 * v1.Pod), bit 2 the delimiters (`[[ ]]` as Istio 1.1's templates), bit 3
 * --strict, bits 4-6 the function library (modulo their count). The values'
 * first document is --values (an unreadable one: none). The diagnostics are
 * sorted and written as text, JSON and SARIF, and must stay within the bound
 * of check.c (max_diags, then one note).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "func.h"
#include "inject/inject.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n == 0)
		return 0;
	unsigned opt = d[0];
	const char *text = (const char *)d + 1;
	size_t tlen = n - 1;
	const char *vals = NULL;
	size_t vlen = 0;
	const uint8_t *z = memchr(d + 1, 0, n - 1);
	if (z) {
		tlen = (size_t)(z - d - 1);
		vals = (const char *)z + 1;
		vlen = n - 1 - tlen - 1;
	}
	static const char *const libs[] = {"go", "sprig", "helm", "istio", "istio-1.1"};
	static const char *const types[] = {NULL, "istio", "istio-1.1", "v1.Pod"};
	const tmpl_library *lib = func_library(libs[((opt >> 4) & 7) % 5]);
	if (!lib)
		abort();

	tmpl_arena *a = arena_new();
	const tv *data = NULL;
	tmpl_error err;
	tmpl_error_init(&err);
	if (vals && yl_load_first(a, "values", vals, vlen, &data, &err) != 0)
		data = NULL;
	tmpl_error_clear(&err);

	check_run cr;
	check_init(&cr, lib);
	cr.validated = inj_annotation_validated;
	if (types[opt & 3] && check_set_types(&cr, types[opt & 3]) != 0)
		abort(); /* the names above are the tables' */
	cr.values = data && data->kind == TV_MAP ? data : NULL;
	cr.strict = (opt >> 3) & 1;
	const char *ld = opt & 4 ? "[[" : NULL, *rd = opt & 4 ? "]]" : NULL;
	/* as tmplrender reads a file: its bytes and a NUL after them */
	char *own = malloc(tlen + 1);
	if (!own)
		abort();
	memcpy(own, text, tlen);
	own[tlen] = '\0';
	check_text_parse(&cr, "t", 0, "t", own, tlen, ld, rd);
	free(own);
	check_set(&cr);
	check_data(&cr);
	check_sort(&cr);
	if (cr.ndiags > cr.max_diags + 1)
		abort(); /* the bound */
	static const char *const formats[] = {"text", "json", "sarif"};
	for (size_t i = 0; i < 3; i++) {
		sbuf out = SBUF_INIT;
		if (check_format(&cr, formats[i], &out) != 0)
			abort();
		sbuf_free(&out);
	}
	check_free(&cr);
	arena_free(a);
	return 0;
}
