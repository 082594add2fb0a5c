/* yaml_test.c: YAML loading and Helm values, checked against Go (gopkg.in/yaml.v3
 * decoding into interface{}, Helm's pkg/strvals) and the YAML spec; prints TAP.
 *
 * Expected values were recorded from Go. Two recorded decisions differ from
 * yaml.v3 on purpose (see yaml_load.c): integers that yaml.v3 makes uint64 are
 * strings of their decimal digits, and timestamps stay strings. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runner/tap.h"
#include "arena.h"
#include "sbuf.h"
#include "tmpl.h"
#include "tmpl_value.h"
#include "values.h"
#include "yaml_load.h"

/* ---- a canonical text of a value: maps with sorted keys, '!' marks
 * map[interface {}]interface {} ---- */

static void dump(sbuf *b, const tv *v);

static int pair_cmp(const void *x, const void *y)
{
	sbuf a = SBUF_INIT, c = SBUF_INIT;
	dump(&a, ((const tv_pair *)x)->key);
	dump(&c, ((const tv_pair *)y)->key);
	int r = strcmp(a.buf, c.buf);
	sbuf_free(&a);
	sbuf_free(&c);
	return r;
}

static void dump(sbuf *b, const tv *v)
{
	if (!v) {
		sbuf_puts(b, "NOVALUE");
		return;
	}
	switch (v->kind) {
	case TV_NULL:
		sbuf_puts(b, "null");
		break;
	case TV_BOOL:
		sbuf_puts(b, v->u.b ? "true" : "false");
		break;
	case TV_INT:
	case TV_UINT8:
		sbuf_printf(b, "%lld", (long long)v->u.i);
		break;
	case TV_FLOAT:
		sbuf_printf(b, "f%.17g", v->u.f);
		break;
	case TV_STRING:
		sbuf_putc(b, '"');
		for (size_t i = 0; i < v->u.s.len; i++) {
			unsigned char c = (unsigned char)v->u.s.ptr[i];
			if (c == '"' || c == '\\')
				sbuf_printf(b, "\\%c", c);
			else if (c < 0x20 || c >= 0x7f)
				sbuf_printf(b, "\\x%02x", c);
			else
				sbuf_putc(b, (char)c);
		}
		sbuf_putc(b, '"');
		break;
	case TV_LIST:
		sbuf_putc(b, '[');
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				sbuf_putc(b, ',');
			dump(b, v->u.list.items[i]);
		}
		sbuf_putc(b, ']');
		break;
	case TV_MAP: {
		tv_pair *p = malloc((v->u.map.len + 1) * sizeof *p);
		if (v->u.map.len)
			memcpy(p, v->u.map.pairs, v->u.map.len * sizeof *p);
		qsort(p, v->u.map.len, sizeof *p, pair_cmp);
		sbuf_puts(b, (v->flags & TVF_ANYKEYS) ? "!{" : "{");
		for (size_t i = 0; i < v->u.map.len; i++) {
			if (i)
				sbuf_putc(b, ',');
			dump(b, p[i].key);
			sbuf_putc(b, ':');
			dump(b, p[i].val);
		}
		sbuf_putc(b, '}');
		free(p);
		break;
	}
	}
}

/* Load text; returns the dump of all documents joined by " | ", or
 * "ERR kind: message". */
static char *load(const char *text)
{
	tmpl_arena *a = arena_new();
	tmpl_error e;
	tmpl_error_init(&e);
	const tv **docs;
	size_t n;
	sbuf b = SBUF_INIT;
	if (yl_load(a, "t.yaml", text, strlen(text), &docs, &n, &e) < 0) {
		sbuf_printf(&b, "ERR %d: %s", (int)e.kind, e.msg ? e.msg : "(no message)");
	} else {
		sbuf_puts(&b, "");
		for (size_t i = 0; i < n; i++) {
			if (i)
				sbuf_puts(&b, " | ");
			dump(&b, docs[i]);
		}
	}
	tmpl_error_clear(&e);
	arena_free(a);
	return sbuf_detach(&b, NULL);
}

static void check_load(const char *name, const char *text, const char *want)
{
	char *got = load(text);
	sbuf d = SBUF_INIT;
	sbuf_printf(&d, "want %s\n#  got %s", want, got);
	tap_result(strcmp(got, want) == 0, name, d.buf);
	sbuf_free(&d);
	free(got);
}

/* ---- scalar resolution: "x: SCALAR" as Go's %T and %v print x ---- */

enum { NUL, BOOL, INT, FLOAT, STR };

typedef struct scalar_case {
	const char *yaml;
	int kind;
	const char *want;
} scalar_case;

static const scalar_case scalars[] = {
	{"0", INT, "0"},
	{"-0", INT, "0"},
	{"+0", INT, "0"},
	{"00", INT, "0"},
	{"007", INT, "7"},
	{"08", FLOAT, "8"},
	{"09", FLOAT, "9"},
	{"0o0", INT, "0"},
	{"0O17", INT, "15"},
	{"0x0", INT, "0"},
	{"0X1f", INT, "31"},
	{"0xg", STR, "0xg"},
	{"0b2", STR, "0b2"},
	{"0b", STR, "0b"},
	{"0o", STR, "0o"},
	{"0x_1", INT, "1"},
	{"1_", INT, "1"},
	{"_1", STR, "_1"},
	{"1__2", INT, "12"},
	{"1_000_000", INT, "1000000"},
	{"0_7", INT, "7"},
	{"0.1", FLOAT, "0.1"},
	{".1", FLOAT, "0.1"},
	{"1.", FLOAT, "1"},
	{"-1.", FLOAT, "-1"},
	{"+1.5", FLOAT, "1.5"},
	{"1e5", FLOAT, "100000"},
	{"1E5", FLOAT, "100000"},
	{"1e+5", FLOAT, "100000"},
	{"1e-5", FLOAT, "1e-05"},
	{"1.5e3", FLOAT, "1500"},
	{".5e-3", FLOAT, "0.0005"},
	{"-.5", FLOAT, "-0.5"},
	{"+.5", FLOAT, "0.5"},
	{".", STR, "."},
	{"..", STR, ".."},
	{"...", STR, "..."},
	{".e3", STR, ".e3"},
	{"1e", STR, "1e"},
	{"1e+", STR, "1e+"},
	{"1.2.3", STR, "1.2.3"},
	{"1,000", STR, "1,000"},
	{"12:30", STR, "12:30"},
	{"12:30:00", STR, "12:30:00"},
	{"0.0", FLOAT, "0"},
	{"-0.0", FLOAT, "-0"},
	{"1e309", STR, "1e309"},
	{"-1e309", STR, "-1e309"},
	{"4.9e-324", FLOAT, "5e-324"},
	{"1e-400", FLOAT, "0"},
	{"9223372036854775807", INT, "9223372036854775807"},
	{"9223372036854775808", STR, "9223372036854775808"}, /* Go: uint64 */
	{"-9223372036854775808", INT, "-9223372036854775808"},
	{"-9223372036854775809", FLOAT, "-9.223372036854776e+18"},
	{"18446744073709551615", STR, "18446744073709551615"}, /* Go: uint64 */
	{"18446744073709551616", FLOAT, "1.8446744073709552e+19"},
	{"0xFFFFFFFFFFFFFFFF", STR, "18446744073709551615"}, /* Go: uint64 */
	{"0x10000000000000000", STR, "0x10000000000000000"},
	{"0o1777777777777777777777", STR, "18446744073709551615"}, /* Go: uint64 */
	{"0b1111111111111111111111111111111111111111111111111111111111111111", STR, "18446744073709551615"}, /* Go: uint64 */
	{"-0x10", INT, "-16"},
	{"+0x10", INT, "16"},
	{"-0o10", INT, "-8"},
	{"-0b11", INT, "-3"},
	{"0b-11", INT, "-3"},
	{"0o-7", INT, "-7"},
	{"0o+7", INT, "7"},
	{"0b+1", INT, "1"},
	{"-0b+1", STR, "-0b+1"},
	{"true", BOOL, "true"},
	{"True", BOOL, "true"},
	{"TRUE", BOOL, "true"},
	{"tRue", STR, "tRue"},
	{"false", BOOL, "false"},
	{"False", BOOL, "false"},
	{"FALSE", BOOL, "false"},
	{"y", STR, "y"},
	{"Y", STR, "Y"},
	{"yes", STR, "yes"},
	{"Yes", STR, "Yes"},
	{"no", STR, "no"},
	{"No", STR, "No"},
	{"on", STR, "on"},
	{"On", STR, "On"},
	{"off", STR, "off"},
	{"Off", STR, "Off"},
	{"n", STR, "n"},
	{"N", STR, "N"},
	{"null", NUL, ""},
	{"Null", NUL, ""},
	{"NULL", NUL, ""},
	{"nULL", STR, "nULL"},
	{"~", NUL, ""},
	{".inf", FLOAT, "+Inf"},
	{".Inf", FLOAT, "+Inf"},
	{".INF", FLOAT, "+Inf"},
	{"-.inf", FLOAT, "-Inf"},
	{"+.inf", FLOAT, "+Inf"},
	{".iNf", STR, ".iNf"},
	{".nan", FLOAT, "NaN"},
	{".NaN", FLOAT, "NaN"},
	{".NAN", FLOAT, "NaN"},
	{"-.nan", STR, "-.nan"},
	{"nan", STR, "nan"},
	{"inf", STR, "inf"},
	{"Infinity", STR, "Infinity"},
	{"1_0.5", FLOAT, "10.5"},
	{"1_.5", FLOAT, "1.5"},
	{"1._5", FLOAT, "1.5"},
	{".5_", STR, ".5_"},
	{".5__5", STR, ".5__5"},
	{"._5", STR, "._5"},
	{".5_5", FLOAT, "0.55"},
	{"1e1_0", FLOAT, "1e+10"},
	{"1e_10", FLOAT, "1e+10"},
	{"0x1p3", STR, "0x1p3"},
	{"0x1.8p1", STR, "0x1.8p1"},
	{"1e0x", STR, "1e0x"},
	{"2001-12-14", STR, "2001-12-14"}, /* Go: time.Time */
	{"2001-12-14t21:59:43.10-05:00", STR, "2001-12-14t21:59:43.10-05:00"}, /* Go: time.Time */
	{"2001-12-14T21:59:43Z", STR, "2001-12-14T21:59:43Z"}, /* Go: time.Time */
	{"2001-1-2", STR, "2001-1-2"}, /* Go: time.Time */
	{"2001-13-01", STR, "2001-13-01"},
	{"2001-02-29", STR, "2001-02-29"},
	{"2000-02-29", STR, "2000-02-29"}, /* Go: time.Time */
	{"2001-12-14", STR, "2001-12-14"}, /* Go: time.Time */
	{"21:59:43.10", STR, "21:59:43.10"},
	{"2001-12-14", STR, "2001-12-14"}, /* Go: time.Time */
	{"21:59:43.10", STR, "21:59:43.10"},
	{"-5", INT, "-5"},
	{"2001-12-14T21:59:43", STR, "2001-12-14T21:59:43"},
	{"12345-01-01", STR, "12345-01-01"},
	{"+12", INT, "12"},
	{"-12", INT, "-12"},
	{"+-1", STR, "+-1"},
	{"-+1", STR, "-+1"},
	{"0.5.5", STR, "0.5.5"},
	{"1e5.5", STR, "1e5.5"},
	{"-_1", INT, "-1"},
	{"+_1", INT, "1"},
	{"-1_", INT, "-1"},
	{"1e+0", FLOAT, "1"},
	{"00.5", FLOAT, "0.5"},
	{"01.5", FLOAT, "1.5"},
	{"0e0", FLOAT, "0"},
	{"0x1e5", INT, "485"},
	{"-0", INT, "0"},
	{"0o8", STR, "0o8"},
	{"0o_7", INT, "7"},
	{"0_b1", INT, "1"},
	{"\"2001-12-14 21:59:43.10\"", STR, "2001-12-14 21:59:43.10"},
	{"\"2001-12-14 21:59:43.10 -5\"", STR, "2001-12-14 21:59:43.10 -5"},
	{"\"1 2\"", STR, "1 2"},
	{"\"- a\"", STR, "- a"},
	{"\"a: b\"", STR, "a: b"},
	{"!!str 12", STR, "12"},
	{"!!int \"12\"", INT, "12"},
	{"!!float 1", FLOAT, "1"},
	{"!!float \"0x10\"", FLOAT, "16"},
	{"!!null \"\"", NUL, ""},
	{"!!bool \"true\"", BOOL, "true"},
	{"! 12", INT, "12"},
	{"! \"12\"", STR, "12"},
	{"!foo 12", STR, "12"},
	{"!!binary aGVsbG8=", STR, "hello"},
	{"!!timestamp 2001-01-01", STR, "2001-01-01"}, /* Go: time.Time */
	/* Go 1.19's time.Parse, as yaml.v3 calls it: a layout's space matches a
	 * run of spaces, any zone offset of two digits passes, a comma may stand
	 * for the fraction's dot (each a time.Time for Go) */
	{"!!timestamp 2001-1-1  1:2:3", STR, "2001-1-1  1:2:3"},
	{"!!timestamp 2001-01-01T00:00:00+25:00", STR, "2001-01-01T00:00:00+25:00"},
	{"!!timestamp 2001-01-01T00:00:00,5Z", STR, "2001-01-01T00:00:00,5Z"},
	{"!!map x", STR, "x"},
	{"!!seq y", STR, "y"},
	{"\"<<\"", STR, "<<"},
	{"<<", STR, "<<"},
	{"!!merge x", STR, "x"},
	{"!!int 0x_1F", INT, "31"},
	{"!!float .5", FLOAT, "0.5"},
	{"!!float -0b11", FLOAT, "-3"},
	{"!!binary |\n  aGVs\n  bG8=", STR, "hello"},
};

static void check_scalar(const scalar_case *c)
{
	tmpl_arena *a = arena_new();
	tmpl_error e;
	tmpl_error_init(&e);
	const tv **docs;
	size_t n;
	sbuf text = SBUF_INIT, name = SBUF_INIT, d = SBUF_INIT;
	sbuf_printf(&text, "x: %s\n", c->yaml);
	sbuf_printf(&name, "scalar %s", c->yaml);
	int good = 0;
	const tv *x = NULL;
	if (yl_load(a, "t.yaml", text.buf, text.len, &docs, &n, &e) == 0 && n == 1 &&
	    docs[0]->kind == TV_MAP)
		x = tv_map_get(docs[0], "x", 1);
	if (x) {
		switch (c->kind) {
		case NUL:
			good = x->kind == TV_NULL;
			break;
		case BOOL:
			good = x->kind == TV_BOOL && x->u.b == (strcmp(c->want, "true") == 0);
			break;
		case INT:
			good = x->kind == TV_INT && x->u.i == strtoll(c->want, NULL, 10);
			break;
		case FLOAT: {
			double f = strtod(c->want, NULL);
			good = x->kind == TV_FLOAT &&
			       (isnan(f) ? isnan(x->u.f) : (x->u.f == f && signbit(x->u.f) == signbit(f)));
			break;
		}
		case STR:
			good = x->kind == TV_STRING && x->u.s.len == strlen(c->want) &&
			       memcmp(x->u.s.ptr, c->want, x->u.s.len) == 0;
			break;
		}
	}
	dump(&d, x);
	if (!good)
		sbuf_printf(&d, " (want kind %d %s; error %s)", c->kind, c->want, e.msg ? e.msg : "none");
	tap_result(good, name.buf, d.buf);
	sbuf_free(&text);
	sbuf_free(&name);
	sbuf_free(&d);
	tmpl_error_clear(&e);
	arena_free(a);
}

/* ---- errors: Go's message after our "NAME:LINE:COL: " ---- */

typedef struct error_case {
	const char *yaml;
	const char *want; /* the whole message when it starts with "t.yaml:", else its tail */
} error_case;

static const error_case errors[] = {
	{"x: !!int abc\n", "t.yaml:1:4: cannot decode !!str `abc` as a !!int"},
	{"x: !!int 1.5\n", "cannot decode !!float `1.5` as a !!int"},
	{"x: !!float abc\n", "cannot decode !!str `abc` as a !!float"},
	{"x: !!float 18446744073709551615\n", "cannot decode !!int `18446744073709551615` as a !!float"},
	{"x: !!bool yes\n", "cannot decode !!str `yes` as a !!bool"},
	{"x: !!bool 1\n", "cannot decode !!int `1` as a !!bool"},
	{"x: !!null 0\n", "cannot decode !!int `0` as a !!null"},
	{"x: !!int \"\"\n", "cannot decode !!null `` as a !!int"},
	{"a: !!str\nb: !!int\n", "t.yaml:2:4: cannot decode !!null `` as a !!int"},
	{"x: !!timestamp 12\n", "cannot decode !!int `12` as a !!timestamp"},
	{"x: !!timestamp 2001-02-30\n", "cannot decode !!str `2001-02-30` as a !!timestamp"},
	/* Go 1.19 reads at most nine digits of a fraction: the tenth is left over */
	{"x: !!timestamp 2001-01-01T00:00:00.1234567890Z\n",
	 "cannot decode !!str `2001-01-01T00:00:00.1234567890Z` as a !!timestamp"},
	{"x: !!int .inf\n", "cannot decode !!float `.inf` as a !!int"},
	{"x: !!int 99999999999999999999999\n", "cannot decode !!float `99999999999999999999999` as a !!int"},
	{"x: !!binary \"abc\"\n", "!!binary value contains invalid base64 data"},
	{"x: !!binary \"ab=c\"\n", "!!binary value contains invalid base64 data"},
	{"x: !!binary \"a===\"\n", "!!binary value contains invalid base64 data"},
	{"x: !!binary \"ab==ab==\"\n", "!!binary value contains invalid base64 data"},
	{"x: *y\n", "t.yaml:1:4: unknown anchor 'y' referenced"},
	{"x: [*y]\n", "unknown anchor 'y' referenced"},
	{"*x : 1\n", "unknown anchor 'x' referenced"},
	{"a: &x [1, *x]\n", "t.yaml:1:11: anchor 'x' value contains itself"},
	{"a: &x {b: *x}\n", "anchor 'x' value contains itself"},
	{"a: {b: 1}\nb: 2\n<<: 5\n", "map merge requires map or sequence of maps as the value"},
	{"a: &a [1]\nb:\n  <<: *a\n", "map merge requires map or sequence of maps as the value"},
	{"a:\n  <<: [1]\n", "map merge requires map or sequence of maps as the value"},
	{"a: &a {x: 1}\nb:\n  <<: [*a, 2]\n", "map merge requires map or sequence of maps as the value"},
	{"a: 1\nb: 2\nb: 3\na: 4\n", "t.yaml:4:1: mapping key \"a\" already defined at line 1"},
	{"a: 1\na: 2\n\"a\": 3\n", "t.yaml:2:1: mapping key \"a\" already defined at line 1"},
	{"1: a\n\"1\": b\n", "mapping key \"1\" already defined at line 1"},
	{"? [1]\n: a\n? [2]\n: b\n", "mapping key \"\" already defined at line 1"},
	{"<<: {a: 1}\n<<: {b: 2}\n", "mapping key \"<<\" already defined at line 1"},
	{"? [1]\n: 2\n", "invalid map key: []interface {}{1}"},
	{"? {a: 1}\n: 2\n", "invalid map key: map[string]interface {}{\"a\":1}"},
	/* syntax errors: libyaml's problem text, as yaml.v3 reports it */
	{"a: [1\n", "did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)"},
	{"a: b: c\n", "t.yaml:1:5: mapping values are not allowed in this context"},
	{"a:\n  - 1\n - 2\n", "did not find expected key (while parsing a block mapping at line 1, column 1)"},
	{"\tx: 1\n", "found character that cannot start any token (while scanning for the next token at line 1, column 1)"},
	{"a: 'unterminated\n", "found unexpected end of stream (while scanning a quoted scalar at line 1, column 4)"},
	{"%YAML 2.0\n---\na\n", "found incompatible YAML document"},
	{"a: 1\n---\nb: *x\n", "unknown anchor 'x' referenced"},
	/* anchors belong to their document (YAML 1.2, 3.2.2.2) */
	{"a: &x 1\n---\nb: *x\n", "t.yaml:3:4: unknown anchor 'x' referenced"},
	/* a syntax error later in the document wins over a decode error, as in yaml.v3 */
	{"a: !!int x\nb: [\n", "did not find expected node content (while parsing a flow node at line 3, column 1)"},
};

static void check_error(const error_case *c)
{
	char *got = load(c->yaml);
	const char *prefix = "ERR 3: ";
	int good = strncmp(got, prefix, strlen(prefix)) == 0;
	const char *msg = got + (good ? strlen(prefix) : 0);
	if (good) {
		size_t gl = strlen(msg), wl = strlen(c->want);
		if (strncmp(c->want, "t.yaml:", 7) == 0)
			good = strcmp(msg, c->want) == 0;
		else
			good = strncmp(msg, "t.yaml:", 7) == 0 && gl >= wl &&
			       strcmp(msg + gl - wl, c->want) == 0;
	}
	sbuf name = SBUF_INIT, d = SBUF_INIT;
	sbuf_printf(&name, "error %s", c->want);
	sbuf_printf(&d, "got %s", got);
	tap_result(good, name.buf, d.buf);
	sbuf_free(&name);
	sbuf_free(&d);
	free(got);
}

/* ---- documents, collections, anchors, merges ---- */

static void test_structure(void)
{
	check_load("empty stream has no documents", "", "");
	check_load("comments only: no documents", "# nothing\n\n", "");
	check_load("an empty document is null", "---\n", "null");
	check_load("every document of a stream", "a: 1\n---\nb: [x, 2]\n...\n--- 3\n",
		   "{\"a\":1} | {\"b\":[\"x\",2]} | 3");
	check_load("top-level scalar", "12\n", "12");
	check_load("top-level sequence", "- first\n- second\n", "[\"first\",\"second\"]");
	check_load("empty values are null", "a:\nb: ~\nc: [~, null, \"\"]\n",
		   "{\"a\":null,\"b\":null,\"c\":[null,null,\"\"]}");
	check_load("block scalars are strings", "lit: |\n  line1\n  line2\nfold: >-\n  folded\n  text\nnum: |\n  12\n",
		   "{\"fold\":\"folded text\",\"lit\":\"line1\\x0aline2\\x0a\",\"num\":\"12\\x0a\"}");
	check_load("quoted scalars are strings", "a: '1'\nb: \"true\"\nc: 'null'\nd: \"\\x41\\t\"\n",
		   "{\"a\":\"1\",\"b\":\"true\",\"c\":\"null\",\"d\":\"A\\x09\"}");
	check_load("flow collections", "{a: [1, {b: c}], d: {}}\n", "{\"a\":[1,{\"b\":\"c\"}],\"d\":{}}");
	/* key types: yaml.v3 makes map[interface {}]interface {} for any non-!!str key */
	check_load("string keys: map[string]interface {}", "a: 1\n\"b\": 2\n!!str 3: 3\n",
		   "{\"3\":3,\"a\":1,\"b\":2}");
	check_load("int key: map[interface {}]interface {}", "1: a\n", "!{1:\"a\"}");
	check_load("nested maps keep their key types", "inner: {2: x}\n", "{\"inner\":!{2:\"x\"}}");
	check_load("null and bool keys", "~: a\ntrue: b\nc: 1\n", "!{\"c\":1,null:\"a\",true:\"b\"}");
	check_load("Go-equal keys: the later wins", "1: a\n0x1: b\n", "!{1:\"b\"}");
	check_load("custom-tagged key is a string in an interface map", "!foo bar: 1\n", "!{\"bar\":1}");
	check_load("timestamp key makes an interface map (Go: time.Time key)", "2001-01-01: x\n",
		   "!{\"2001-01-01\":\"x\"}");
	check_load("merge key: own keys win", "base: &b {a: 1, b: 2}\nchild:\n  <<: *b\n  b: 3\n",
		   "{\"base\":{\"a\":1,\"b\":2},\"child\":{\"a\":1,\"b\":3}}");
	check_load("merge list: earlier sources win, merged merges count",
		   "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n  z: 0\n"
		   "e: &e\n  <<: *a\n  w: 1\nf:\n  <<: *e\n  y: 3\n",
		   "{\"a\":{\"x\":1},\"b\":{\"x\":2,\"y\":2},\"c\":{\"x\":1,\"y\":2,\"z\":0},"
		   "\"e\":{\"w\":1,\"x\":1},\"f\":{\"w\":1,\"x\":1,\"y\":3}}");
	check_load("merged keys in a string-keyed map are strings, null keys dropped",
		   "a: &m {1: x, 1.5: y, true: z, ~: n, s: t}\nb:\n  <<: *m\n  c: 2\n",
		   "{\"a\":!{\"s\":\"t\",1:\"x\",f1.5:\"y\",null:\"n\",true:\"z\"},"
		   "\"b\":{\"1\":\"x\",\"1.5\":\"y\",\"c\":2,\"s\":\"t\",\"true\":\"z\"}}");
	check_load("merged keys in an interface-keyed map keep their types",
		   "a: &m {1: x, ~: n}\nb:\n  <<: *m\n  3: 4\n",
		   "{\"a\":!{1:\"x\",null:\"n\"},\"b\":!{1:\"x\",3:4,null:\"n\"}}");
	/* yaml.v3 reports the first fatal error of its top-down walk, else the
	 * first duplicate key; a map with duplicates is not decoded further */
	check_load("a fatal error wins over an earlier duplicate key", "a: {b: 1, b: 2}\nc: !!int x\n",
		   "ERR 3: t.yaml:2:4: cannot decode !!str `x` as a !!int");
	check_load("nothing in a map with duplicate keys is decoded", "a: 1\na: 2\nb: !!int x\n",
		   "ERR 3: t.yaml:2:1: mapping key \"a\" already defined at line 1");
	check_load("errors inside a map with duplicate keys are not reported",
		   "a: {x: !!int y, b: 1, b: 2}\n",
		   "ERR 3: t.yaml:1:23: mapping key \"b\" already defined at line 1");
	check_load("the outer duplicate is reported first", "a: {b: 1, b: 2}\nc: 1\nc: 2\n",
		   "ERR 3: t.yaml:3:1: mapping key \"c\" already defined at line 2");
	check_load("a merge error comes after the map's own values",
		   "a:\n  <<: 5\n  b: !!int x\n",
		   "ERR 3: t.yaml:3:6: cannot decode !!str `x` as a !!int");
	check_load("inline merge map", "a:\n  <<: {p: 1, q: 2}\n  q: 3\n", "{\"a\":{\"p\":1,\"q\":3}}");
	check_load("quoted << is an ordinary key", "\"<<\": {a: 1}\n", "{\"<<\":{\"a\":1}}");
	check_load("redefined anchor: aliases see the latest", "x: &a 1\ny: &a 2\nz: *a\n",
		   "{\"x\":1,\"y\":2,\"z\":2}");
	check_load("anchor redefined inside its own node", "a: &x [&x 1, *x]\nb: *x\n",
		   "{\"a\":[1,1],\"b\":1}");

	/* an alias shares the anchored value */
	tmpl_arena *a = arena_new();
	tmpl_error e;
	tmpl_error_init(&e);
	const tv **docs;
	size_t n;
	const char *t = "a: &x {k: 1}\nb: *x\nc: [*x]\n";
	int good = yl_load(a, "t", t, strlen(t), &docs, &n, &e) == 0 && n == 1;
	if (good) {
		const tv *va = tv_map_get(docs[0], "a", 1), *vb = tv_map_get(docs[0], "b", 1);
		const tv *vc = tv_map_get(docs[0], "c", 1);
		good = va && va == vb && vc && vc->kind == TV_LIST && vc->u.list.items[0] == va;
	}
	tap_result(good, "an alias shares the anchored value", e.msg);
	tmpl_error_clear(&e);

	/* a large map: hash-built duplicate detection and lookups */
	sbuf big = SBUF_INIT;
	for (int i = 0; i < 3000; i++)
		sbuf_printf(&big, "k%d: %d\n", i, i);
	good = yl_load(a, "t", big.buf, big.len, &docs, &n, &e) == 0 && n == 1 &&
	       docs[0]->u.map.len == 3000;
	const tv *k2999 = good ? tv_map_get(docs[0], "k2999", 5) : NULL;
	tap_result(good && k2999 && k2999->kind == TV_INT && k2999->u.i == 2999, "3000-key map", e.msg);
	sbuf_printf(&big, "k17: dup\n");
	good = yl_load(a, "t", big.buf, big.len, &docs, &n, &e) < 0 && e.msg &&
	       strcmp(e.msg, "t:3001:1: mapping key \"k17\" already defined at line 18") == 0;
	tap_result(good, "duplicate key in a large map", e.msg);
	tmpl_error_clear(&e);
	sbuf_free(&big);

	/* many int keys with Go-equal spellings */
	sbuf ik = SBUF_INIT;
	for (int i = 0; i < 100; i++)
		sbuf_printf(&ik, "%d: a\n0x%x: b\n", i, i);
	good = yl_load(a, "t", ik.buf, ik.len, &docs, &n, &e) == 0 && n == 1 &&
	       docs[0]->u.map.len == 100 && (docs[0]->flags & TVF_ANYKEYS);
	tap_result(good, "100 int keys each spelled twice: 100 keys", e.msg);
	tmpl_error_clear(&e);
	sbuf_free(&ik);
	arena_free(a);
}

/* ---- resource guards and robustness ---- */

static void test_guards(void)
{
	/* billion laughs: yaml.v3 refuses it */
	sbuf b = SBUF_INIT;
	sbuf_puts(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 10; i++) {
		sbuf_printf(&b, "a%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			sbuf_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
		sbuf_puts(&b, "]\n");
	}
	char *got = load(b.buf);
	tap_result(strstr(got, "document contains excessive aliasing") != NULL, "billion laughs", got);
	free(got);
	sbuf_free(&b);

	/* ordinary aliasing is accepted */
	sbuf_puts(&b, "base: &b {k: 1, v: 2}\n");
	for (int i = 0; i < 2000; i++)
		sbuf_printf(&b, "i%d: *b\n", i);
	got = load(b.buf);
	tap_result(strncmp(got, "ERR", 3) != 0, "2000 aliases of a small map", got);
	free(got);
	sbuf_free(&b);

	/* nesting: yaml.v3 allows 10000 levels */
	for (int i = 0; i < 10000; i++)
		sbuf_putc(&b, '[');
	for (int i = 0; i < 10000; i++)
		sbuf_putc(&b, ']');
	got = load(b.buf);
	tap_result(strncmp(got, "ERR", 3) != 0, "10000 nested sequences", NULL);
	free(got);
	sbuf_free(&b);
	for (int i = 0; i < 10001; i++)
		sbuf_putc(&b, '[');
	got = load(b.buf);
	tap_result(strstr(got, "exceeded max depth of 10000") != NULL, "10001 nested sequences", got);
	free(got);
	sbuf_free(&b);
	for (int i = 0; i < 10001; i++)
		sbuf_puts(&b, "- ");
	sbuf_puts(&b, "1\n");
	got = load(b.buf);
	tap_result(strstr(got, "exceeded max depth of 10000") != NULL, "10001 nested block sequences", got);
	free(got);
	sbuf_free(&b);

	/* invalid UTF-8 is a reader error with a position */
	got = load("a: 1\nb: \xff\n");
	tap_result(strncmp(got, "ERR 3: t.yaml:2:4: invalid leading UTF-8 octet", 46) == 0,
	   "invalid UTF-8", got);
	free(got);

	/* no crash on truncations, byte flips and random bytes */
	const char *sample =
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {app: &app web, v: \"1\"}\n"
		"  annotations:\n    a: |\n      text\n    b: >-\n      more\nspec:\n  containers:\n"
		"  - name: c\n    image: nginx:1.19\n    ports: [{containerPort: 80}, {containerPort: 0x1F}]\n"
		"    env:\n    - {name: A, value: *app}\n    - <<: {name: B}\n      value: !!str 2\n"
		"  x: ? complex\n  y: [a, 'b', \"c\\n\", ~, .inf, 1e3, -0o17, 2001-12-14]\n---\n- &l [1]\n- *l\n";
	size_t sl = strlen(sample);
	int survived = 1;
	tmpl_arena *a = arena_new();
	for (size_t cut = 0; cut <= sl; cut++) {
		tmpl_error e;
		tmpl_error_init(&e);
		const tv **docs;
		size_t n;
		int rc = yl_load(a, "t", sample, cut, &docs, &n, &e);
		if (rc < 0 && (!e.msg || e.kind != TMPL_ERR_DATA))
			survived = 0;
		tmpl_error_clear(&e);
		arena_reset(a);
	}
	tap_result(survived, "every truncation of a manifest loads or fails cleanly", NULL);
	char *buf = malloc(sl + 1);
	unsigned seed = 12345;
	survived = 1;
	for (int round = 0; round < 3000; round++) {
		memcpy(buf, sample, sl + 1);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % sl;
			seed = seed * 1103515245u + 12345u;
			buf[at] = "[]{}:,-?&*!|>'\"%@`#\n \t\\\x80\xff\x00"[(seed >> 8) % 27];
		}
		tmpl_error e;
		tmpl_error_init(&e);
		const tv **docs;
		size_t n;
		if (yl_load(a, "t", buf, sl, &docs, &n, &e) < 0 && (!e.msg || e.kind != TMPL_ERR_DATA))
			survived = 0;
		tmpl_error_clear(&e);
		arena_reset(a);
	}
	tap_result(survived, "3000 mutated manifests load or fail cleanly", NULL);
	survived = 1;
	for (int round = 0; round < 500; round++) {
		size_t len = 1 + round % 200;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i % sl] = (char)(seed >> 16);
		}
		tmpl_error e;
		tmpl_error_init(&e);
		const tv **docs;
		size_t n;
		if (yl_load(a, "t", buf, len < sl ? len : sl, &docs, &n, &e) < 0 &&
		    (!e.msg || e.kind != TMPL_ERR_DATA))
			survived = 0;
		tmpl_error_clear(&e);
		arena_reset(a);
	}
	tap_result(survived, "random bytes load or fail cleanly", NULL);
	free(buf);
	arena_free(a);
}

static void test_files(void)
{
	tmpl_arena *a = arena_new();
	tmpl_error e;
	tmpl_error_init(&e);
	const tv **docs;
	size_t n;
	int rc = yl_load_file(a, "no/such/file.yaml", &docs, &n, &e);
	tap_result(rc < 0 && e.kind == TMPL_ERR_IO && e.msg &&
		   strcmp(e.msg, "no/such/file.yaml: No such file or directory") == 0,
	   "missing file", e.msg);
	tmpl_error_clear(&e);

	char path[] = "/tmp/yaml_test_XXXXXX";
	int fd = mkstemp(path);
	const char *t = "a: 1\nb: [x]\n";
	rc = fd >= 0 && write(fd, t, strlen(t)) == (ssize_t)strlen(t) ? 0 : -1;
	if (fd >= 0)
		close(fd);
	if (rc == 0)
		rc = yl_load_file(a, path, &docs, &n, &e);
	sbuf d = SBUF_INIT;
	if (rc == 0 && n == 1)
		dump(&d, docs[0]);
	tap_result(rc == 0 && d.buf && strcmp(d.buf, "{\"a\":1,\"b\":[\"x\"]}") == 0, "load a file", e.msg);
	sbuf_free(&d);
	tmpl_error_clear(&e);

	/* errors name the file */
	if (fd >= 0) {
		FILE *f = fopen(path, "w");
		if (f) {
			fputs("a: [\n", f);
			fclose(f);
		}
		rc = yl_load_file(a, path, &docs, &n, &e);
		tap_result(rc < 0 && e.msg && strncmp(e.msg, path, strlen(path)) == 0 && e.file &&
			   strcmp(e.file, path) == 0 && e.line == 2,
		   "a file's YAML error names it", e.msg);
		tmpl_error_clear(&e);
		unlink(path);
	}
	arena_free(a);
}

/* yl_load_first: Go's yaml.Unmarshal reads one document and never parses
 * the rest of the stream. */
static void check_first(const char *name, const char *text, const char *want)
{
	tmpl_arena *a = arena_new();
	tmpl_error e;
	tmpl_error_init(&e);
	const tv *doc = NULL;
	sbuf got = SBUF_INIT, d = SBUF_INIT;
	if (yl_load_first(a, "t.yaml", text, strlen(text), &doc, &e) < 0)
		sbuf_printf(&got, "ERR %s", e.msg ? e.msg : "");
	else
		dump(&got, doc);
	sbuf_printf(&d, "want %s\n#  got %s", want, got.buf);
	tap_result(strcmp(got.buf, want) == 0, name, d.buf);
	sbuf_free(&got);
	sbuf_free(&d);
	tmpl_error_clear(&e);
	arena_free(a);
}

static void test_first(void)
{
	check_first("first document: a malformed second is never read", "a: 1\n---\nb: [\n", "{\"a\":1}");
	check_first("first document: bad mapping values later are never read",
		    "a: 1\n---\n  x: : :\n", "{\"a\":1}");
	check_first("first document: a bad tag later is never decoded", "a: 1\n---\nb: !!int x\n",
		    "{\"a\":1}");
	check_first("first document of explicit documents", "--- 5\n--- 6\n", "5");
	check_first("first document: empty stream", "# only a comment\n", "NOVALUE");
	check_first("first document: its own errors count", "a: [\n---\nb: 1\n",
		    "ERR t.yaml:2:1: did not find expected node content (while parsing a flow node at line 2, column 1)");
	check_first("first document: duplicate key", "a: 1\na: 2\n---\nb: 1\n",
		    "ERR t.yaml:2:1: mapping key \"a\" already defined at line 1");

	tmpl_arena *a = arena_new();
	tmpl_error e;
	tmpl_error_init(&e);
	const tv *doc = NULL;
	int rc = yl_load_file_first(a, "no/such/file.yaml", &doc, &e);
	tap_result(rc < 0 && e.kind == TMPL_ERR_IO && e.msg &&
		   strcmp(e.msg, "no/such/file.yaml: No such file or directory") == 0,
	   "first document: missing file", e.msg);
	tmpl_error_clear(&e);
	arena_free(a);
}

/* ---- Helm values ---- */

static const tv *parse1(tmpl_arena *a, const char *text)
{
	tmpl_error e;
	tmpl_error_init(&e);
	const tv **docs;
	size_t n;
	const tv *v = NULL;
	if (yl_load(a, "t", text, strlen(text), &docs, &n, &e) == 0 && n > 0)
		v = docs[0];
	tmpl_error_clear(&e);
	return v;
}

static void check_merge(const char *name, const char *base, const char *over, const char *want)
{
	tmpl_arena *a = arena_new();
	const tv *b = base ? parse1(a, base) : NULL, *o = over ? parse1(a, over) : NULL;
	sbuf before = SBUF_INIT, after = SBUF_INIT, got = SBUF_INIT, d = SBUF_INIT;
	dump(&before, b);
	dump(&got, values_merge(a, b, o));
	dump(&after, b);
	sbuf_printf(&d, "want %s\n#  got %s", want, got.buf);
	tap_result(strcmp(got.buf, want) == 0 && strcmp(before.buf, after.buf) == 0, name, d.buf);
	sbuf_free(&before);
	sbuf_free(&after);
	sbuf_free(&got);
	sbuf_free(&d);
	arena_free(a);
}

static void test_merge(void)
{
	check_merge("merge: maps merge recursively, later keys win",
		    "a: {x: 1, y: 2}\nb: 1\nl: [1]\nk: keep\n",
		    "a: {y: 3, z: 4}\nb: {c: 1}\nl: [2]\nn: new\n",
		    "{\"a\":{\"x\":1,\"y\":3,\"z\":4},\"b\":{\"c\":1},\"k\":\"keep\",\"l\":[2],\"n\":\"new\"}");
	check_merge("merge: a non-map replaces a map", "a: {x: 1}\n", "a: 5\n", "{\"a\":5}");
	check_merge("merge: null replaces", "a: {x: 1}\n", "a: null\n", "{\"a\":null}");
	check_merge("merge: no base", NULL, "a: 1\n", "{\"a\":1}");
	check_merge("merge: no override", "a: 1\n", NULL, "{\"a\":1}");
	check_merge("merge: nothing", NULL, NULL, "NOVALUE");
	check_merge("merge: deep", "a: {b: {c: {d: 1, e: 2}}}\n", "a: {b: {c: {e: 3}}}\n",
		    "{\"a\":{\"b\":{\"c\":{\"d\":1,\"e\":3}}}}");
}

/* --set EXPR... over BASE (YAML or NULL); want is the dump or "ERR: msg". */
static void check_set(const char *base, const char *exprs[], const char *want)
{
	tmpl_arena *a = arena_new();
	const tv *root = base ? parse1(a, base) : NULL;
	tmpl_error e;
	tmpl_error_init(&e);
	sbuf got = SBUF_INIT, name = SBUF_INIT, d = SBUF_INIT, before = SBUF_INIT, after = SBUF_INIT;
	const tv *orig = root;
	dump(&before, orig);
	sbuf_puts(&name, "--set");
	int rc = 0;
	for (int i = 0; exprs[i] && rc == 0; i++) {
		sbuf_printf(&name, " %s", exprs[i]);
		const tv *prev = root;
		rc = values_set(a, &root, exprs[i], &e);
		if (rc < 0 && root != prev)
			sbuf_puts(&got, "(root changed on error) ");
	}
	if (rc < 0)
		sbuf_printf(&got, "ERR: %s", e.msg ? e.msg : "");
	else
		dump(&got, root);
	dump(&after, orig);
	sbuf_printf(&d, "want %s\n#  got %s", want, got.buf);
	tap_result(strcmp(got.buf, want) == 0 && strcmp(before.buf, after.buf) == 0, name.buf, d.buf);
	sbuf_free(&got);
	sbuf_free(&name);
	sbuf_free(&d);
	sbuf_free(&before);
	sbuf_free(&after);
	tmpl_error_clear(&e);
	arena_free(a);
}

#define SET(base, want, ...) check_set(base, (const char *[]){__VA_ARGS__, NULL}, want)

static void test_set(void)
{
	/* Helm's pkg/strvals TestParseSet and TestParseInto */
	SET(NULL, "{\"f\":false,\"name1\":null,\"t\":true}", "name1=null,f=false,t=true");
	SET(NULL, "{\"name1\":\"value1\"}", "name1=value1");
	SET(NULL, "{\"name1\":\"value1\",\"name2\":\"value2\"}", "name1=value1,name2=value2");
	SET(NULL, "{\"name1\":\"value1\",\"name2\":\"value2\"}", "name1=value1,name2=value2,");
	SET(NULL, "ERR: --set name1=value1,,,,name2=value2,: key \"\" has no value (cannot end with ,)",
	    "name1=value1,,,,name2=value2,");
	SET(NULL, "{\"name1\":\"\",\"name2\":\"value2\"}", "name1=,name2=value2");
	SET(NULL, "{\"leading_zeros\":\"00009\"}", "leading_zeros=00009");
	SET(NULL, "{\"zero_int\":0}", "zero_int=0");
	SET(NULL, "{\"long_int\":1234567890}", "long_int=1234567890");
	SET(NULL, "{\"boolean\":true}", "boolean=true");
	SET(NULL, "{\"is_null\":null}", "is_null=null");
	SET(NULL, "ERR: --set name1,name2=: key \"name1\" has no value (cannot end with ,)", "name1,name2=");
	SET(NULL, "ERR: --set name1,name2: key \"name1\" has no value (cannot end with ,)", "name1,name2");
	SET(NULL, "{\"name1\":\"one,two\",\"name2\":\"three,four\"}", "name1=one\\,two,name2=three\\,four");
	SET(NULL, "{\"name1\":\"one=two\",\"name2\":\"three=four\"}", "name1=one\\=two,name2=three\\=four");
	SET(NULL, "{\"name1\":\"one two three\",\"name2\":\"three two one\"}",
	    "name1=one two three,name2=three two one");
	SET(NULL, "{\"outer\":{\"inner\":\"value\"}}", "outer.inner=value");
	SET(NULL, "{\"outer\":{\"middle\":{\"inner\":\"value\"}}}", "outer.middle.inner=value");
	SET(NULL, "{\"outer\":{\"inner1\":\"value\",\"inner2\":\"value2\"}}",
	    "outer.inner1=value,outer.inner2=value2");
	SET(NULL, "{\"outer\":{\"inner1\":\"value\",\"middle\":{\"inner\":\"value\"}}}",
	    "outer.inner1=value,outer.middle.inner=value");
	SET(NULL, "ERR: --set name1.name2: key \"name2\" has no value", "name1.name2");
	SET(NULL, "ERR: --set name1.name2,name1.name3: key \"name2\" has no value (cannot end with ,)",
	    "name1.name2,name1.name3");
	SET(NULL, "{\"name1\":{\"name2\":\"\"}}", "name1.name2=");
	SET(NULL, "ERR: --set name1.=name2: key map \"name1\" has no value", "name1.=name2");
	SET(NULL, "ERR: --set name1.,name2: key \"\" has no value (cannot end with ,)", "name1.,name2");
	SET(NULL, "{\"name1\":[\"value1\",\"value2\"]}", "name1={value1,value2}");
	SET(NULL, "{\"name1\":[\"value1\",\"value2\"],\"name2\":[\"value1\",\"value2\"]}",
	    "name1={value1,value2},name2={value1,value2}");
	SET(NULL, "{\"name1\":[1021,902]}", "name1={1021,902}");
	SET(NULL, "{\"name1\":{\"name2\":[\"value1\",\"value2\"]}}", "name1.name2={value1,value2}");
	SET(NULL, "ERR: --set name1={1021,902: list must terminate with '}'", "name1={1021,902");
	SET(NULL, "{\"list\":[\"foo\"]}", "list[0]=foo");
	SET(NULL, "{\"list\":[{\"foo\":\"bar\"}]}", "list[0].foo=bar");
	SET(NULL, "{\"list\":[{\"foo\":\"bar\",\"hello\":\"world\"}]}", "list[0].foo=bar,list[0].hello=world");
	SET(NULL, "ERR: --set list[0].foo=bar,list[-30].hello=world: negative -30 index not allowed",
	    "list[0].foo=bar,list[-30].hello=world");
	SET(NULL, "{\"list\":[\"foo\",\"bar\"]}", "list[0]=foo,list[1]=bar");
	SET(NULL, "{\"list\":[\"foo\",\"bar\"]}", "list[0]=foo,list[1]=bar,");
	SET(NULL, "{\"list\":[\"foo\",null,null,\"bar\"]}", "list[0]=foo,list[3]=bar");
	SET(NULL, "ERR: --set illegal[0]name.foo=bar: unexpected data at end of array index: ['n' 'a' 'm' 'e']",
	    "illegal[0]name.foo=bar");
	SET(NULL, "{\"noval\":[]}", "noval[0]");
	SET(NULL, "{\"noval\":[\"\"]}", "noval[0]=");
	SET(NULL, "{\"nested\":[[1]]}", "nested[0][0]=1");
	SET(NULL, "{\"nested\":[null,[null,1]]}", "nested[1][1]=1");
	SET(NULL, "{\"name1\":{\"name2\":[{\"foo\":\"bar\"},{\"foo\":\"bar\"}]}}",
	    "name1.name2[0].foo=bar,name1.name2[1].foo=bar");
	SET(NULL, "{\"name1\":{\"name2\":[{\"foo\":\"bar\"},{\"foo\":\"bar\"}]}}",
	    "name1.name2[1].foo=bar,name1.name2[0].foo=bar");
	SET(NULL, "{\"name1\":{\"name2\":[null,{\"foo\":\"bar\"}]}}", "name1.name2[1].foo=bar");
	SET(NULL,
	    "ERR: --set ]={}].: unable to parse key: interface conversion: interface {} is []interface {}, not map[string]interface {}",
	    "]={}].");
	SET("outer: {inner1: overwrite, inner2: value2}\n",
	    "{\"outer\":{\"inner1\":\"value1\",\"inner2\":\"value2\",\"inner3\":\"value3\",\"inner4\":4}}",
	    "outer.inner1=value1,outer.inner3=value3,outer.inner4=4");
	SET(NULL, "{\"listOuter\":[[{\"status\":\"alive\",\"type\":\"listValue\"}]]}",
	    "listOuter[0][0].type=listValue", "listOuter[0][0].status=alive");
	SET(NULL, "{\"listOuter\":[[{\"type\":\"listValue\"}],[{\"status\":\"alive\"}]]}",
	    "listOuter[0][0].type=listValue", "listOuter[1][0].status=alive");
	SET("listOuter: [[[{exited: old}]]]\n",
	    "{\"listOuter\":[[[{\"exited\":\"old\"},{\"status\":\"alive\"}],[{\"type\":\"listValue\"}]]]}",
	    "listOuter[0][1][0].type=listValue", "listOuter[0][0][1].status=alive");
	/* typedVal and the parser's corners (Helm's parser.go) */
	SET(NULL, "{\"a\":true,\"b\":false,\"c\":null,\"d\":-5,\"e\":5,\"f\":\"+\",\"g\":\"1.5\",\"h\":\"0x1\"}",
	    "a=TRUE,b=False,c=NULL,d=-5,e=+5,f=+,g=1.5,h=0x1");
	SET(NULL, "{\"big\":\"99999999999999999999\",\"min\":-9223372036854775808}",
	    "big=99999999999999999999,min=-9223372036854775808");
	SET(NULL, "{\"a\":[\"\"]}", "a={}");
	SET(NULL, "{\"a\":[\"x\"],\"b\":\"1x\"}", "a={x}b=1x");
	SET(NULL, "{\"a.b\":\"c\"}", "a\\.b=c");
	SET(NULL, "{\"a\":\"\"}", "a=");
	SET(NULL, "{\"a\":1}", "a=1,b[0");
	SET(NULL, "ERR: --set a[x]=1: error parsing index: strconv.Atoi: parsing \"x\": invalid syntax",
	    "a[x]=1");
	SET(NULL, "ERR: --set a[70000]=1: index of 70000 is greater than maximum supported index of 65536",
	    "a[70000]=1");
	SET(NULL,
	    "ERR: --set a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a=1: value name nested level is greater than maximum supported nested level of 30",
	    "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a=1");
	SET("a: str\n",
	    "ERR: --set a.b=1: unable to parse key: interface conversion: interface {} is string, not map[string]interface {}",
	    "a.b=1");
	SET("a: null\n",
	    "ERR: --set a[0]=1: unable to parse key: interface conversion: interface {} is nil, not []interface {}",
	    "a[0]=1");
	/* deep list nesting is refused before it can exhaust the stack */
	{
		sbuf deep = SBUF_INIT;
		sbuf_puts(&deep, "a");
		for (int i = 0; i < 20000; i++)
			sbuf_puts(&deep, "[0]");
		sbuf_puts(&deep, "=1");
		tmpl_arena *a = arena_new();
		const tv *root = NULL;
		tmpl_error e;
		tmpl_error_init(&e);
		int rc = values_set(a, &root, deep.buf, &e);
		tap_result(rc < 0 && e.msg && strstr(e.msg, ": value nesting is deeper than 1000 levels"),
		   "--set a[0][0]...[0]=1 nested 20000 deep", e.msg);
		tmpl_error_clear(&e);
		arena_free(a);
		sbuf_free(&deep);
	}
	SET(NULL, "{\"a\":[[[[[[[[[[1]]]]]]]]]]}", "a[0][0][0][0][0][0][0][0][0][0]=1");
	/* over loaded values: untouched parts are kept, lists are indexed in place */
	SET("image: {repo: x, tag: \"1\"}\nports: [80, 443]\nother: {k: v}\n",
	    "{\"image\":{\"repo\":\"x\",\"tag\":2},\"other\":{\"k\":\"v\"},\"ports\":[80,8443]}",
	    "image.tag=2", "ports[1]=8443");
	SET("a: {b: 1}\n", "{\"a\":null}", "a=null");
	SET("list: [x, y]\n", "{\"list\":[\"x\",{\"k\":\"v\"}]}", "list[1].k=v");
}

int main(void)
{
	for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
		check_scalar(&scalars[i]);
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
		check_error(&errors[i]);
	test_structure();
	test_guards();
	test_files();
	test_first();
	test_merge();
	test_set();
	return tap_done();
}
