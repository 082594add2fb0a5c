/* fuzz_template.c: libFuzzer target: any bytes parsed as a template and, when they parse, executed over YAML values within render bounds; only a crash, a sanitizer report or a leak is a finding.
 *
 * Input: TEMPLATE [NUL VALUES-YAML]. The template is parsed under the name
 * "t" with the default delimiters and executed with the values' first
 * document as dot (none: no data). Parse, data and render errors, limits
 * included, are ordinary outcomes. Each input runs twice: with the default
 * library (Istio's functions) and with sprig's (its readers: JSON, URLs,
 * base64...), as one function name means different code in each.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "tmpl.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *text = (const char *)d;
	size_t tlen = n;
	const char *vals = NULL;
	size_t vlen = 0;
	const uint8_t *z = memchr(d, 0, n);
	if (z) {
		tlen = (size_t)(z - d);
		vals = (const char *)z + 1;
		vlen = n - tlen - 1;
	}
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_arena *a = arena_new();
	const tv *data = TV_NOVALUE;
	if (vals && yl_load_first(a, "values", vals, vlen, &data, &err) != 0)
		data = TV_NOVALUE; /* an unreadable values part: the template runs without data */
	tmpl_error_clear(&err);
	static const char *const libs[] = {NULL, "sprig"};
	for (size_t l = 0; l < sizeof libs / sizeof libs[0]; l++) {
		tmpl_set *s = tmpl_set_new();
		if ((!libs[l] || tmpl_set_funcs(s, libs[l], &err) == 0) &&
		    tmpl_set_parse(s, "t", text, tlen, NULL, NULL, &err) == 0) {
			tmpl_exec_opts lim;
			fuzz_limits(&lim);
			sbuf out = SBUF_INIT;
			tmpl_execute_opts(s, "t", data, &lim, &out, &err);
			sbuf_free(&out);
		}
		tmpl_error_clear(&err);
		tmpl_set_free(s);
	}
	arena_free(a);
	return 0;
}
