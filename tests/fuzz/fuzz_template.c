/* fuzz_template.c: libFuzzer target: any bytes parsed as a template and, when they parse, executed over YAML values within render bounds; only a crash, a sanitizer report or a leak is a finding.
 *
 * Input: TEMPLATE [NUL VALUES-YAML]. The template is parsed under the name
 * "t" with the default delimiters and every library's functions (Helm's,
 * then sprig's, the newest Istio's and Istio 1.1's: the last named wins,
 * so each name reaches one of them) and executed with the values' first
 * document as dot (none: no data). Parse, data and render errors, limits
 * included, are ordinary outcomes.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "tmpl.h"
#include "tmpl_funcs.h"
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
	static const char *const libs[] = {"istio-1.1", "istio", "sprig", "helm"};
	fuzz_render(libs, 4, text, tlen, data);
	arena_free(a);
	return 0;
}
