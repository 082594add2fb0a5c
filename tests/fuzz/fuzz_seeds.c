/* fuzz_seeds.c: writes seed inputs for the fuzz targets from the test suite's own files: templates and values from golden .tt files and conformance YAML, AdmissionReviews around YAML pods.
 *
 * Usage: fuzz_seeds tt|conf|review OUTDIR FILE...
 *   tt      each case of a golden file: TEMPLATE NUL VALUES (fuzz_template's input)
 *   conf    each case of a conformance file: TEMPLATE NUL DATA as JSON
 *   review  each file's first YAML document as request.object of an
 *           admission.k8s.io/v1beta1 review, and of a v1 one with a namespace
 * Seeds are named after their file and case number; they are generated, never kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "json.h"
#include "yaml_load.h"

static const char *g_out;
static int g_written;

static void put(const char *file, int n, const char *a, size_t alen, const char *b, size_t blen)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s-%d", g_out, base, n);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(a, 1, alen, f);
	if (b) {
		fputc(0, f);
		fwrite(b, 1, blen, f);
	}
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	g_written++;
}

/* The body of a section: from after its header line to the newline before the next header. */
static bool header(const char *p)
{
	return !strncmp(p, "=== ", 4) || !strncmp(p, "--- ", 4);
}

static void golden(const char *file, const char *text)
{
	int n = 0;
	const char *tmpl = NULL, *vals = NULL;
	size_t tlen = 0, vlen = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		const char *next = nl ? nl + 1 : NULL;
		if (header(p)) {
			/* the section's body */
			const char *body = next, *end = body;
			while (end && *end && !header(end)) {
				const char *e = strchr(end, '\n');
				end = e ? e + 1 : end + strlen(end);
			}
			size_t blen = body ? (size_t)(end - body) : 0;
			if (blen)
				blen--; /* the newline before the next header */
			if (!strncmp(p, "=== ", 4)) {
				if (tmpl)
					put(file, n++, tmpl, tlen, vals ? vals : "", vals ? vlen : 0);
				tmpl = vals = NULL;
			} else if (!strncmp(p, "--- template", 12)) {
				tmpl = body, tlen = blen;
			} else if (!strncmp(p, "--- values", 10)) {
				vals = body, vlen = blen;
			}
			p = end;
			continue;
		}
		p = next;
	}
	if (tmpl)
		put(file, n++, tmpl, tlen, vals ? vals : "", vals ? vlen : 0);
}

static void conformance(tmpl_arena *a, const char *file, const char *text, size_t len)
{
	tmpl_error err;
	tmpl_error_init(&err);
	const tv *doc;
	if (yl_load_first(a, file, text, len, &doc, &err) != 0 || !doc || doc->kind != TV_LIST) {
		fprintf(stderr, "fuzz_seeds: %s: %s\n", file, err.msg ? err.msg : "not a list of cases");
		exit(1);
	}
	for (size_t i = 0; i < doc->u.list.len; i++) {
		const tv *c = doc->u.list.items[i];
		const tv *t = c->kind == TV_MAP ? tv_map_get(c, "template", 8) : NULL;
		if (!t || t->kind != TV_STRING)
			continue;
		const tv *d = tv_map_get(c, "data", 4);
		sbuf js = SBUF_INIT;
		if (d && json_write(&js, d, 0, &err) != 0)
			js.len = 0;
		tmpl_error_clear(&err);
		put(file, (int)i, t->u.s.ptr, t->u.s.len, js.buf ? js.buf : "", js.len);
		sbuf_free(&js);
	}
}

static void review(tmpl_arena *a, const char *file, const char *text, size_t len)
{
	tmpl_error err;
	tmpl_error_init(&err);
	const tv *doc;
	sbuf obj = SBUF_INIT;
	if (yl_load_first(a, file, text, len, &doc, &err) != 0 || !doc ||
	    json_write(&obj, doc, 0, &err) != 0) {
		fprintf(stderr, "fuzz_seeds: %s: %s\n", file, err.msg ? err.msg : "empty");
		exit(1);
	}
	sbuf r = SBUF_INIT;
	sbuf_printf(&r, "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1beta1\","
			"\"request\":{\"uid\":\"u1\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
			"\"operation\":\"CREATE\",\"object\":%s}}", obj.buf);
	put(file, 0, r.buf, r.len, NULL, 0);
	r.len = 0;
	sbuf_printf(&r, "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
			"\"request\":{\"uid\":\"u2\",\"namespace\":\"ns\",\"operation\":\"CREATE\","
			"\"object\":%s,\"dryRun\":false}}", obj.buf);
	put(file, 1, r.buf, r.len, NULL, 0);
	sbuf_free(&r);
	sbuf_free(&obj);
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "tt") && strcmp(argv[1], "conf") && strcmp(argv[1], "review"))) {
		fprintf(stderr, "usage: fuzz_seeds tt|conf|review OUTDIR FILE...\n");
		return 2;
	}
	g_out = argv[2];
	tmpl_arena *a = arena_new();
	for (int i = 3; i < argc; i++) {
		tmpl_error err;
		tmpl_error_init(&err);
		size_t len;
		char *text = file_read(argv[i], &len, FILE_WORDS_C, &err);
		if (!text) {
			fprintf(stderr, "fuzz_seeds: %s\n", err.msg);
			return 1;
		}
		if (!strcmp(argv[1], "tt"))
			golden(argv[i], text);
		else if (!strcmp(argv[1], "conf"))
			conformance(a, argv[i], text, len);
		else
			review(a, argv[i], text, len);
		free(text);
	}
	arena_free(a);
	fprintf(stderr, "fuzz_seeds: %d seeds in %s\n", g_written, g_out);
	return 0;
}
