/* fuzz_yaml.c: libFuzzer target: any bytes read as YAML the ways the programs read it (yaml.v3 every document; yaml.v2 as Istio 1.1 reads manifests) and written back as YAML and JSON, and read once more by libyaml alone, which must give the same values or the same error as the block reader (yaml_block.c); a crash, sanitizer report, leak or difference is a finding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "yaml_emit.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Write v back both ways; errors (such as a typed value with no JSON form) are outcomes. */
static void write_back(const tv *v)
{
	tmpl_error err;
	tmpl_error_init(&err);
	sbuf out = SBUF_INIT;
	ye_emit(&out, v, YE_RULES_CURRENT, &err);
	tmpl_error_clear(&err);
	out.len = 0;
	ye_emit(&out, v, YE_RULES_ISTIO_1_1, &err);
	tmpl_error_clear(&err);
	out.len = 0;
	json_write(&out, v, 0, &err);
	tmpl_error_clear(&err);
	sbuf_free(&out);
}

/* The block reader and libyaml must agree (yl_readers_agree), or abort. */
static void block_vs_libyaml(const char *text, size_t n)
{
	char why[1200];
	if (!yl_readers_agree(text, n, why, sizeof why)) {
		fprintf(stderr, "fuzz_yaml: the block reader and libyaml differ: %s\n", why);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *text = (const char *)d;
	tmpl_error err;
	tmpl_error_init(&err);
	tmpl_arena *a = arena_new();
	const tv **docs;
	size_t ndocs;
	if (yl_load(a, "in", text, n, &docs, &ndocs, &err) == 0)
		for (size_t i = 0; i < ndocs; i++)
			write_back(docs[i]);
	tmpl_error_clear(&err);
	sbuf warn = SBUF_INIT;
	yl_opts o = {.dup_keys_last_wins = true, .warnings = &warn, .rules = YR_RULES_V2_ISTIO_1_1};
	const tv *doc;
	if (yl_load_first_opts(a, "in", text, n, &o, &doc, &err) == 0)
		write_back(doc);
	tmpl_error_clear(&err);
	sbuf_free(&warn);
	block_vs_libyaml(text, n);
	arena_free(a);
	return 0;
}
