/* fuzz_funcs.c: libFuzzer target: one function of one library called with fuzzed arguments, so that each function's own reader (regular expressions, versions, dates, JSON, base64, URLs...) meets any text; only a crash, a sanitizer report or a leak is a finding.
 *
 * Input: L NAME [NUL K ARG]... with at most four arguments. L picks the library
 * (its value modulo the number of libraries), NAME the function (a name the
 * library lacks ends the run: the dictionary of template.dict supplies names).
 * Each argument's first byte K says how it reaches the function: even, the
 * rest of it as a string; odd, read as a YAML document (a number, a list, a
 * map, null...). The call is rendered as `{{NAME .a0 .a1 ...}}` within the
 * render bounds of the other targets; arity, type and function errors are
 * outcomes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../stdlib/func.h"
#include "fuzz_util.h"
#include "tmpl.h"
#include "yaml_load.h"

#define FF_MAX_ARGS 4

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* The argument that starts at p (up to the next NUL or end), as a value. */
static const tv *ff_arg(tmpl_arena *a, const char *p, size_t len)
{
	if (len == 0)
		return tv_string(a, "", 0);
	if (p[0] != 'y')
		return tv_string(a, p + 1, len - 1);
	tmpl_error err;
	tmpl_error_init(&err);
	const tv *v = TV_NOVALUE;
	if (yl_load_first(a, "arg", p + 1, len - 1, &v, &err) != 0)
		v = tv_string(a, p + 1, len - 1); /* unreadable YAML: the text itself */
	tmpl_error_clear(&err);
	return v == TV_NOVALUE ? tv_string(a, "", 0) : v;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 2)
		return 0;
	size_t nlibs;
	const tmpl_library *libs = func_libraries(&nlibs);
	const tmpl_library *lib = &libs[d[0] % nlibs];
	const char *p = (const char *)d + 1, *end = (const char *)d + n;
	const char *z = memchr(p, 0, (size_t)(end - p));
	size_t nlen = (size_t)((z ? z : end) - p);
	if (nlen == 0 || nlen > 64 || !func_lookup_in(lib, p, nlen))
		return 0;

	tmpl_arena *a = arena_new();
	tv *data = tv_map_new(a, FF_MAX_ARGS);
	char text[128];
	int tl = snprintf(text, sizeof text, "{{%.*s", (int)nlen, p);
	for (int i = 0; z && i < FF_MAX_ARGS; i++) {
		const char *s = z + 1;
		z = memchr(s, 0, (size_t)(end - s));
		char key[4] = {'a', (char)('0' + i), 0};
		tv_map_add(a, data, tv_string(a, key, 2), ff_arg(a, s, (size_t)((z ? z : end) - s)));
		tl += snprintf(text + tl, sizeof text - (size_t)tl, " .%s", key);
	}
	tv_map_seal(a, data);
	tl += snprintf(text + tl, sizeof text - (size_t)tl, "}}");

	fuzz_render(&lib->name, 1, text, (size_t)tl, data);
	arena_free(a);
	return 0;
}
