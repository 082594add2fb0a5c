/* yaml_block_test.c: the block reader (yaml_block.c) against libyaml: every text must load to the same values (kinds, flags, key order) or the same error both ways; prints TAP.
 *
 * libyaml is the reference: each text is loaded once with the block reader
 * allowed and once with libyaml only. The texts are the cases below (the
 * subset's edges, each on both sides of them), every YAML file under tests/,
 * and each of those files cut after each of its first lines. Some cases must
 * be taken by the block reader, so that a reader declining everything fails.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/tap.h"
#include "arena.h"
#include "file.h"
#include "sbuf.h"
#include "tmpl.h"
#include "tmpl_value.h"
#include "yaml_block.h"
#include "yaml_load.h"

static bool taken(const char *text)
{
	yb_events e;
	bool t = yb_scan(text, strlen(text), &e);
	yb_free(&e);
	return t;
}

/* Texts the block reader must take, and texts it must leave to libyaml. */
static const char *const take[] = {
	"a: 1\n",
	"a: 1\nb: two\nc: 3.5\nd: true\ne: null\nf: ~\ng:\n",
	"a:\n  b:\n    c: d\n  e: f\ng: h\n",
	"a:\n- 1\n- 2\nb: x\n",
	"a:\n  - 1\n  - two\n",
	"- a\n- b: c\n  d: e\n-   f: g\n    h: i\n",
	"- name: x\n  args:\n  - --domain\n  - $(POD_NAMESPACE).svc\n  - \"-p\"\n  - '15001'\n",
	"v: |\n  line one\n    indented\n\n  after blank\nw: 1\n",
	"v: |-\n  {\"app\":\"hello\"}\n\n\nw: 1\n",
	"- |\n  x\n- y\n",
	"a: b  \nc: \"quoted: yes # no comment\"\n",
	"a: 1\na: 2\n",
	"a: 1\nb:\n  a: 1\n  a: 2\n",
	"k: yes\nn: 0x1F\no: 0o17\nt: 2001-12-14\ni: 9223372036854775808\nm: <<\n",
	"  a: 1\n  b: 2\n",
	"a:\n-\n- b\n",
	"a: x#y\nb: -1\nc: --x\n",
	"a:   \n\n   \nb: 1\n",
	"# c\na: 1\n",
	"a: 1\n  # indented comment\nb: 2\n",
	"a:\n# c\n  b: 1\n",
	"- a\n# c\n- b\n",
	"v: |\n  x\n# ends the literal\nw: 1\n",
	"v: |\n  x\n  # in the literal\nw: 1\n",
	"a: {b: c}\n",
	"a: [1, 2]\n",
	"a: {}\nb: []\nc: [ ]\n",
	"annotations: {\n    istio.io/rev: \"default\",\n    k.io/x: 'hello',\n  }\nb: 1\n",
	"- {}\n- [x, 'y', \"z\", 1.5, true]\n",
	"a: {b: {c: d}, e: [1, 2,],}\n",
	"a: {b: c,d: e}\n",
	"a: {a: 1, a: 2}\n",
	"a:\n  b: {\nx: 1,\n}\n",
};
static const char *const leave[] = {
	"", "\n", "# c\n", "a: 1 # c\n", "---\na: 1\n", "a: 1\n---\nb: 2\n", "a: &x 1\nb: *x\n",
	"a: !!str 1\n", "a: \"x\\ty\"\n", "a: 'it''s'\n",
	"a: {b: c} # x\n", "a: {b: c}x\n", "a: {b}\n", "a: {b: }\n", "a: [a: b]\n",
	"a: {b: c\n  d}\n", "a: {\n  # c\n  b: 1}\n", "a: {b: c,\n---\n}\n", "a: {\"b\": c}\n",
	"a: {b: -1}\n", "a: {b:\n c}\n", "a: {b: c}\n  d: e\n", "a: [x\n", "a: {b: c]\n",
	"a:\n  b: {\nx: 1\n}\n",
	"a: b\n  c\n", "a:\n  b\n", "a: b: c\n", "\ta: 1\n", "a: 1\r\n", "a: caf\xc3\xa9\n",
	"a: |+\n  x\n", "a: |2\n  x\n", "a: |\n\n  x\n", "a: |\n  x", "a: |\nb: 1\n",
	"a: |\n  x\n   \n", "? a\n: b\n", "\"a\": 1\n", "a: >\n  x\n", "x\n", "- - a\n",
	"a: 1\n b: 2\n", "- a\n  - b\n", "a: \"x\n  y\"\n", "a: 'x\n", "a: |\n", "a: |\n\n",
};

static const char *g_srcdir;
static char *g_files[512];
static size_t g_nfiles;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t n = strlen(path);
	if (type == FTW_F && g_nfiles < sizeof g_files / sizeof g_files[0] &&
	    ((n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
	     (n > 4 && strcmp(path + n - 4, ".yml") == 0)))
		g_files[g_nfiles++] = strdup(path);
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int main(void)
{
	char why[1400], name[600];
	for (size_t i = 0; i < sizeof take / sizeof take[0]; i++) {
		snprintf(name, sizeof name, "taken: %s", take[i]);
		tap_result(taken(take[i]), name, "the block reader declined it");
		snprintf(name, sizeof name, "same both ways: %s", take[i]);
		tap_result(yl_readers_agree(take[i], strlen(take[i]), why, sizeof why), name, why);
	}
	for (size_t i = 0; i < sizeof leave / sizeof leave[0]; i++) {
		snprintf(name, sizeof name, "left to libyaml: %s", leave[i]);
		tap_result(!taken(leave[i]), name, "the block reader took it");
		snprintf(name, sizeof name, "same both ways: %s", leave[i]);
		tap_result(yl_readers_agree(leave[i], strlen(leave[i]), why, sizeof why), name, why);
	}

	g_srcdir = getenv("srcdir");
	char root[512];
	snprintf(root, sizeof root, "%s/tests", g_srcdir ? g_srcdir : ".");
	nftw(root, collect, 16, FTW_PHYS);
	qsort(g_files, g_nfiles, sizeof g_files[0], cmp_str);
	tap_result(g_nfiles > 20, "YAML files found under tests/", root);
	size_t ntaken = 0;
	for (size_t f = 0; f < g_nfiles; f++) {
		tmpl_error err;
		tmpl_error_init(&err);
		size_t len;
		char *text = file_read(g_files[f], &len, FILE_WORDS_C, &err);
		tmpl_error_clear(&err);
		if (!text)
			continue;
		const char *rel = g_files[f] + strlen(root) + 1;
		bool good = yl_readers_agree(text, len, why, sizeof why);
		ntaken += taken(text);
		/* each cut after one of its first 300 lines */
		size_t lines = 0;
		for (size_t p = 0; good && p < len && lines < 300; p++) {
			if (text[p] != '\n')
				continue;
			lines++;
			if (!yl_readers_agree(text, p + 1, why, sizeof why) || !yl_readers_agree(text, p, why, sizeof why)) {
				snprintf(name, sizeof name, "%s cut after line %zu", rel, lines);
				good = false;
				tap_result(false, name, why);
			}
		}
		snprintf(name, sizeof name, "%s and its cuts", rel);
		if (good)
			tap_result(true, name, NULL);
		free(text);
		free(g_files[f]);
	}
	tap_result(ntaken > 0, "some YAML files under tests/ are taken by the block reader", NULL);
	return tap_done();
}
