/* json_test.c: the JSON reader and writer against texts and errors recorded from Go's encoding/json; prints TAP. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/tap.h"
#include "arena.h"
#include "json.h"
#include "json_run.h"
#include "sbuf.h"
#include "tmpl_value.h"

/* Parse in with pflags, write with wflags: want is the written text or,
 * when it starts with "!", the parse or write error. */
typedef struct json_case {
	const char *in;
	size_t in_len;
	unsigned pflags, wflags;
	const char *want;
} json_case;

#define S(s) s, sizeof(s) - 1
#define F JSON_NUMBERS_FLOAT
#define H JSON_ESCAPE_HTML
#define I JSON_INDENT2

static const json_case cases[] = {
	{S("{\"b\":1,\"a\":[true,false,null],\"c\":{\"z\":\"x\",\"y\":{}}}"), F, 0, "{\"a\":[true,false,null],\"b\":1,\"c\":{\"y\":{},\"z\":\"x\"}}"},
	{S(" {\"b\" : 1 , \"a\" : [ ] } "), F, I, "{\n  \"a\": [],\n  \"b\": 1\n}"},
	{S("{\"a\":[1,{\"b\":[]},{}],\"c\":\"d\"}"), F, I, "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    },\n    {}\n  ],\n  \"c\": \"d\"\n}"},
	{S("[1.5, -0, 0, 1e21, 1e20, 123456789012345678901234567890, 1e-6, 1e-7, 0.000001234, -1.5e-10, 5e-324, 1.7976931348623157e308, 100, 0.1, 2.5e+3, 1E2]"), F, 0, "[1.5,-0,0,1e+21,100000000000000000000,1.2345678901234568e+29,0.000001,1e-7,0.000001234,-1.5e-10,5e-324,1.7976931348623157e+308,100,0.1,2500,100]"},
	{S("\"<a href='x'>&amp;</a>\""), F, H, "\"\\u003ca href='x'\\u003e\\u0026amp;\\u003c/a\\u003e\""},
	{S("\"<a href='x'>&amp;</a>\""), F, 0, "\"<a href='x'>&amp;</a>\""},
	{S("\"\\u0000\\u0001\\b\\f\\n\\r\\t\\u001f\\u007f \\\" \\\\ \\/ \\u2028\\u2029 \303\251 \360\237\230\200\""), F, 0, "\"\\u0000\\u0001\\u0008\\u000c\\n\\r\\t\\u001f\177 \\\" \\\\ / \\u2028\\u2029 \303\251 \360\237\230\200\""},
	{S("\"\\ud83d\\ude00 \\ud800 \\udc00 \\ud800\\u0041 \\ud800\\ud800\\udc00 \\uD83D\\uDE00\""), F, 0, "\"\360\237\230\200 \357\277\275 \357\277\275 \357\277\275A \357\277\275\360\220\200\200 \360\237\230\200\""},
	{S("\"bad \377\376 utf8 \355\240\200 \303\""), F, 0, "\"bad \357\277\275\357\277\275 utf8 \357\277\275\357\277\275\357\277\275 \357\277\275\""},
	{S("{\"a\":1,\"a\":2,\"b\":3}"), F, 0, "{\"a\":2,\"b\":3}"},
	{S(""), F, 0, "!unexpected end of JSON input"},
	{S("   "), F, 0, "!unexpected end of JSON input"},
	{S("{"), F, 0, "!unexpected end of JSON input"},
	{S("[1,"), F, 0, "!unexpected end of JSON input"},
	{S("\"abc"), F, 0, "!unexpected end of JSON input"},
	{S("tru"), F, 0, "!invalid character ' ' in literal true (expecting 'e')"},
	{S("trux"), F, 0, "!invalid character 'x' in literal true (expecting 'e')"},
	{S("nul"), F, 0, "!invalid character ' ' in literal null (expecting 'l')"},
	{S("nulL"), F, 0, "!invalid character 'L' in literal null (expecting 'l')"},
	{S("fals"), F, 0, "!invalid character ' ' in literal false (expecting 'e')"},
	{S("falsE"), F, 0, "!invalid character 'E' in literal false (expecting 'e')"},
	{S("x"), F, 0, "!invalid character 'x' looking for beginning of value"},
	{S("'a'"), F, 0, "!invalid character '\\'' looking for beginning of value"},
	{S("{'a':1}"), F, 0, "!invalid character '\\'' looking for beginning of object key string"},
	{S("{\"a\" 1}"), F, 0, "!invalid character '1' after object key"},
	{S("{\"a\":1 \"b\":2}"), F, 0, "!invalid character '\"' after object key:value pair"},
	{S("{\"a\":1,}"), F, 0, "!invalid character '}' looking for beginning of object key string"},
	{S("[1,]"), F, 0, "!invalid character ']' looking for beginning of value"},
	{S("[1 2]"), F, 0, "!invalid character '2' after array element"},
	{S("{} {}"), F, 0, "!invalid character '{' after top-level value"},
	{S("01"), F, 0, "!invalid character '1' after top-level value"},
	{S("[01]"), F, 0, "!invalid character '1' after array element"},
	{S("-"), F, 0, "!invalid character ' ' in numeric literal"},
	{S("-a"), F, 0, "!invalid character 'a' in numeric literal"},
	{S("1."), F, 0, "!invalid character ' ' after decimal point in numeric literal"},
	{S("1.e5"), F, 0, "!invalid character 'e' after decimal point in numeric literal"},
	{S("1e"), F, 0, "!invalid character ' ' in exponent of numeric literal"},
	{S("1e+"), F, 0, "!invalid character ' ' in exponent of numeric literal"},
	{S(".5"), F, 0, "!invalid character '.' looking for beginning of value"},
	{S("+1"), F, 0, "!invalid character '+' looking for beginning of value"},
	{S("1e400"), F, 0, "!json: cannot unmarshal number 1e400 into Go value of type float64"},
	{S("-1e400"), F, 0, "!json: cannot unmarshal number -1e400 into Go value of type float64"},
	{S("\"a\011b\""), F, 0, "!invalid character '\\t' in string literal"},
	{S("\"a\nb\""), F, 0, "!invalid character '\\n' in string literal"},
	{S("\"\\x\""), F, 0, "!invalid character 'x' in string escape code"},
	{S("\"\\u12g4\""), F, 0, "!invalid character 'g' in \\u hexadecimal character escape"},
	{S("\"\\u12"), F, 0, "!invalid character ' ' in \\u hexadecimal character escape"},
	{S("\303\251"), F, 0, "!invalid character '\303\203' looking for beginning of value"},
	{S("\001"), F, 0, "!invalid character '\\x01' looking for beginning of value"},
	{S("[NaN]"), F, 0, "!invalid character 'N' looking for beginning of value"},
	{S("{\"a\":}"), F, 0, "!invalid character '}' looking for beginning of value"},
	{S("{,}"), F, 0, "!invalid character ',' looking for beginning of object key string"},
	{S("["), F, 0, "!unexpected end of JSON input"},
	{S("[\"a\","), F, 0, "!unexpected end of JSON input"},
	{S("\357\273\277{}"), F, 0, "!invalid character '\303\257' looking for beginning of value"},
	{S("{\"k<>&\":\"v\\u2028\"}"), F, H, "{\"k\\u003c\\u003e\\u0026\":\"v\\u2028\"}"},
	{S("1e-7"), F, 0, "1e-7"},
	{S("-0.0"), F, 0, "-0"},
	{S("123456789.123456789"), F, 0, "123456789.12345679"},
	{S("1e100"), F, 0, "1e+100"},
	{S("0.00001"), F, 0, "0.00001"},
	{S("12345678901234567890"), F, 0, "12345678901234567000"},
	{S("[]"), F, I, "[]"},
	{S("{}"), F, I, "{}"},
	{S("[[[]]]"), F, I, "[\n  [\n    []\n  ]\n]"},
	{S("\"x\""), F, I, "\"x\""},
	/* Go checks the syntax of the whole text before it converts numbers. */
	{S("[1e400, x]"), F, 0, "!invalid character 'x' looking for beginning of value"},
	{S("[1e400, -2e999]"), F, 0, "!json: cannot unmarshal number 1e400 into Go value of type float64"},
	{S("{\"a\":1e999,\"b\":[1}"), F, 0, "!invalid character '}' after array element"},
	/* Many keys, duplicates among them: the last value wins. */
	{S("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,\"k10\":10,\"k11\":11,\"k12\":12,\"k0\":13,\"k1\":14,\"k2\":15,\"k3\":16,\"k4\":17,\"k5\":18,\"k6\":19,\"k7\":20,\"k8\":21,\"k9\":22,\"k10\":23,\"k11\":24,\"k12\":25,\"k0\":26,\"k1\":27,\"k2\":28,\"k3\":29,\"k4\":30,\"k5\":31,\"k6\":32,\"k7\":33,\"k8\":34,\"k9\":35,\"k10\":36,\"k11\":37,\"k12\":38,\"k0\":39,\"a\":1,\"b\":{\"x\":1,\"y\":2,\"x\":3}}"), F, 0, "{\"a\":1,\"b\":{\"x\":3,\"y\":2},\"k0\":39,\"k1\":27,\"k10\":36,\"k11\":37,\"k12\":38,\"k2\":28,\"k3\":29,\"k4\":30,\"k5\":31,\"k6\":32,\"k7\":33,\"k8\":34,\"k9\":35}"},
	/* Without JSON_NUMBERS_FLOAT integral numbers that fit int64 are ints. */
	{S("[1, -9223372036854775808, 9223372036854775807, 9223372036854775808, 1.0, 1e2]"), 0, 0, "[1,-9223372036854775808,9223372036854775807,9223372036854776000,1,100]"},
};

/* The searches of json_run.h against their definition: every byte value at every
 * place of a 19-byte run (across the eight- and sixteen-byte steps and the tail),
 * alone and after an earlier special byte. */
typedef const char *(*run_end_fn)(const char *, const char *, bool);

static bool run_end_exhaustive(run_end_fn json_run_end, bool html)
{
	for (int c = 0; c < 256; c++) {
		bool special = c < 0x20 || c >= 0x80 || c == '"' || c == '\\' ||
			       (html && (c == '<' || c == '>' || c == '&'));
		for (int at = 0; at < 19; at++) {
			char buf[19];
			memset(buf, 'a', sizeof buf);
			buf[at] = (char)c;
			const char *got = json_run_end(buf, buf + sizeof buf, html);
			if (got != (special ? buf + at : buf + sizeof buf))
				return false;
			if (at > 0) {
				buf[at - 1] = '"';
				if (json_run_end(buf, buf + sizeof buf, html) != buf + at - 1)
					return false;
			}
		}
	}
	return true;
}

/* A row's title: its input (escaped, cut) and the flags that are not the default. */
static const char *case_title(const json_case *jc)
{
	static char name[160];
	char in[64];
	snprintf(name, sizeof name, "`%s`%s%s%s", tap_title(in, sizeof in, jc->in, jc->in_len),
		 jc->pflags & JSON_NUMBERS_FLOAT ? "" : " (int64 numbers)",
		 jc->wflags & JSON_ESCAPE_HTML ? " (HTML escaped)" : "",
		 jc->wflags & JSON_INDENT2 ? " (indented)" : "");
	return name;
}

int main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);
	for (size_t i = 0; i < n; i++) {
		const json_case *jc = &cases[i];
		tmpl_arena *a = arena_new();
		tmpl_error e;
		tmpl_error_init(&e);
		sbuf out = SBUF_INIT;
		const tv *v;
		const char *got;
		if (json_parse(a, jc->in, jc->in_len, jc->pflags, &v, &e) < 0 ||
		    json_write(&out, v, jc->wflags, &e) < 0) {
			sbuf_puts(&out, "!");
			sbuf_puts(&out, e.msg ? e.msg : "(no message)");
		}
		got = out.buf ? out.buf : "";
		tap_is(got, jc->want, case_title(jc));
		sbuf_free(&out);
		tmpl_error_clear(&e);
		arena_free(a);
	}
	/* Values JSON text cannot express, built directly (expected texts from
	 * Go's json.Marshal of the corresponding Go values). */
	{
		tmpl_arena *a = arena_new();
		tv *anyk = tv_map_new(a, 1);
		tv_map_add(a, anyk, tv_int(a, 1), tv_string(a, "a", 1));
		tv_map_seal(a, anyk);
		tv *st = tv_map_new(a, 2);
		tv_map_add(a, st, tv_string(a, "z", 1), tv_int(a, 2));
		tv_map_add(a, st, tv_string(a, "a", 1), tv_string(a, "<", 1));
		st->flags |= TVF_STRUCTORDER;
		tv_map_seal(a, st);
		tv *outer = tv_map_new(a, 2);
		tv_map_add(a, outer, tv_string(a, "s", 1), st);
		tv_map_add(a, outer, tv_string(a, "l", 1), tv_list_new(a, 0));
		tv_map_seal(a, outer);
		tv *inf = tv_list_new(a, 1);
		inf->u.list.items[0] = tv_float(a, -INFINITY);
		const struct {
			const char *title;
			const tv *v;
			unsigned flags;
			const char *want;
		} wc[] = {
			{"a map with an int key is refused", anyk, 0,
			 "!json: unsupported type: map[interface {}]interface {}"},
			{"NaN is refused", tv_float(a, NAN), 0, "!json: unsupported value: NaN"},
			{"-Inf in a list is refused", inf, 0, "!json: unsupported value: -Inf"},
			{"a struct keeps its field order, HTML escaped", st, JSON_ESCAPE_HTML,
			 "{\"z\":2,\"a\":\"\\u003c\"}"},
			{"a uint8 is a number", tv_uint8(a, 200), 0, "200"},
			{"a struct inside a map, indented", outer, JSON_INDENT2,
			 "{\n  \"l\": [],\n  \"s\": {\n    \"z\": 2,\n    \"a\": \"<\"\n  }\n}"},
			{"no value is null", TV_NOVALUE, 0, "null"},
		};
		for (size_t i = 0; i < sizeof(wc) / sizeof(wc[0]); i++) {
			sbuf out = SBUF_INIT;
			tmpl_error e;
			tmpl_error_init(&e);
			sbuf_puts(&out, "");
			if (json_write(&out, wc[i].v, wc[i].flags, &e) < 0) {
				if (out.len != 0)
					sbuf_puts(&out, " (partial output left)");
				sbuf_puts(&out, "!");
				sbuf_puts(&out, e.msg ? e.msg : "(no message)");
			}
			char name[128];
			snprintf(name, sizeof name, "written: %s", wc[i].title);
			tap_is(out.buf, wc[i].want, name);
			sbuf_free(&out);
			tmpl_error_clear(&e);
		}
		arena_free(a);
	}
	/* Go's nesting limit: 10000 levels parse, 10001 do not. */
	for (int depth = 10000; depth <= 10001; depth++) {
		sbuf in = SBUF_INIT, out = SBUF_INIT;
		sbuf_pad(&in, '[', (size_t)depth);
		sbuf_pad(&in, ']', (size_t)depth);
		tmpl_arena *a = arena_new();
		tmpl_error e;
		tmpl_error_init(&e);
		const tv *v;
		int rc = json_parse(a, in.buf, in.len, JSON_NUMBERS_FLOAT, &v, &e);
		bool good = depth == 10000 ? rc == 0 && json_write(&out, v, 0, &e) == 0 &&
						     strcmp(out.buf, in.buf) == 0
					   : rc < 0 && strcmp(e.msg, "invalid character '[' exceeded max depth") == 0;
		tap_okf(good, "nesting depth %d", depth);
		sbuf_free(&in);
		sbuf_free(&out);
		tmpl_error_clear(&e);
		arena_free(a);
	}
	static const struct {
		const char *name;
		run_end_fn fn;
	} searches[] = {
		{"json_run_end", json_run_end},
		{"json_run_end_swar", json_run_end_swar},
	};
	for (int k = 0; k < 2; k++) {
		for (int html = 0; html < 2; html++) {
			tap_okf(run_end_exhaustive(searches[k].fn, html), "%s finds every special byte%s",
				searches[k].name, html ? " (with HTML escaping)" : "");
		}
	}
	return tap_done();
}
