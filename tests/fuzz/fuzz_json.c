/* fuzz_json.c: libFuzzer target: any bytes parsed as JSON (integers kept, and every number a float as Go's interface{} decode) and written back; our output must parse, and in the float modes writing what was read and reading it again must give the same text, else it aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Go's Marshal(Unmarshal(Marshal(v))) is Marshal(v) for an interface{} value:
 * strings are valid UTF-8 after the first write and floats are written in their
 * shortest form, so the second round trip has nothing left to change. Not so when
 * integers are kept (flags without JSON_NUMBERS_FLOAT): a float -0 is written "-0",
 * which that mode reads as the integer 0, as json.h says (the fuzzer's first
 * report, a property of the harness and not a bug). */
static void round_trip(tmpl_arena *a, const tv *v, unsigned flags)
{
	tmpl_error err;
	tmpl_error_init(&err);
	sbuf once = SBUF_INIT, twice = SBUF_INIT;
	const tv *again;
	if (json_write(&once, v, flags & ~JSON_NUMBERS_FLOAT, &err) != 0)
		goto done;
	if (json_parse(a, once.buf, once.len, flags, &again, &err) != 0) {
		fprintf(stderr, "fuzz_json: our own output does not parse: %s\n%.*s\n", err.msg,
			(int)once.len, once.buf);
		abort();
	}
	json_write(&twice, again, flags & ~JSON_NUMBERS_FLOAT, &err);
	if ((flags & JSON_NUMBERS_FLOAT) && (once.len != twice.len || memcmp(once.buf, twice.buf, once.len) != 0)) {
		fprintf(stderr, "fuzz_json: a second round trip changed the text\n%.*s\n%.*s\n",
			(int)once.len, once.buf, (int)twice.len, twice.buf);
		abort();
	}
done:
	tmpl_error_clear(&err);
	sbuf_free(&once);
	sbuf_free(&twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const unsigned modes[] = {0, JSON_NUMBERS_FLOAT, JSON_NUMBERS_FLOAT | JSON_ESCAPE_HTML};
	tmpl_arena *a = arena_new();
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		tmpl_error err;
		tmpl_error_init(&err);
		const tv *v;
		if (json_parse(a, (const char *)d, n, modes[m] & JSON_NUMBERS_FLOAT, &v, &err) == 0)
			round_trip(a, v, modes[m]);
		tmpl_error_clear(&err);
	}
	arena_free(a);
	return 0;
}
