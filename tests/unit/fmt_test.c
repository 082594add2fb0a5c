/* fmt_test.c: Go's fmt (printf, print, println, quoting, floats) and the UTF-8
 * layer, checked against outputs recorded from Go's own fmt; prints TAP. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runner/tap.h"
#include "arena.h"
#include "fmt.h"
#include "sbuf.h"
#include "tmpl_value.h"
#include "utf8.h"

/* One case: a mode (printf, print, println, value, quote, shortest), a
 * format, the operands in a small JSON-like notation, and Go's output.
 * Notation: JSON plus u<N> (a uint8), novalue (no value at all: NULL),
 * .inf -.inf .nan, and \xHH inside strings for bytes that are not UTF-8. */
typedef struct fmt_case {
	const char *mode;
	const char *format;
	const char *args;
	const char *want;
	size_t want_len;
} fmt_case;

#define W(s) s, sizeof(s) - 1

static const fmt_case cases[] = {
	{"printf", "%s|%v|%5s|%-5s|%.2s|%5.1s|", "[\"hello\", \"plain\", \"go\", \"go\", \"abc\", \"xyz\"]", W("hello|plain|   go|go   |ab|    x|")},
	{"printf", "[%5s][%.1s][%-4s]", "[\"\346\227\245\346\234\254\", \"\346\227\245\346\234\254\350\252\236\", \"\303\251\"]", W("[   \346\227\245\346\234\254][\346\227\245][\303\251   ]")},
	{"printf", "%q|%+q|%#q|%#q|%#+q", "[\"say \\\"hi\\\"\\n\\t\303\251\", \"\303\251\", \"a\\\\b\", \"a`b\", \"\303\251\"]", W("\"say \\\"hi\\\"\\n\\t\303\251\"|\"\\u00e9\"|`a\\b`|\"a`b\"|`\303\251`")},
	{"printf", "%x|% x|%X|%#x|%# x|%.1x|%5x|%-5x|", "[\"hi\", \"hi\", \"hi\", \"hi\", \"hi\", \"\346\227\245\", \"\", \"\"]", W("6869|68 69|6869|0x6869|0x68 0x69|e6|     |     |")},
	{"printf", "%08s|%-08s|%08q|%-8q|", "[\"ab\", \"ab\", \"ab\", \"ab\"]", W("000000ab|ab      |0000\"ab\"|\"ab\"    |")},
	{"printf", "%q %+q %#q", "[\"\\u0000\\u0007\177\342\200\250\360\237\230\200`\", \"\\u0000\\u0007\177\342\200\250\360\237\230\200`\", \"\\u0000\\u0007\177\342\200\250\360\237\230\200`\"]", W("\"\\x00\\a\\x7f\\u2028\360\237\230\200`\" \"\\x00\\a\\x7f\\u2028\\U0001f600`\" \"\\x00\\a\\x7f\\u2028\360\237\230\200`\"")},
	{"printf", "%q|%#q|%#q", "[\"\357\273\277\", \"\357\273\277\", \"a\\tb\"]", W("\"\\ufeff\"|\"\\ufeff\"|`a\tb`")},
	{"printf", "%q|%s|[%4s]|%.2s|%x", "[\"\\x61\\xff\\x62\\xed\\xa0\\x80\\x63\\xf4\\x90\\x80\\x80\", \"\\x61\\xff\\x62\\xed\\xa0\\x80\\x63\\xf4\\x90\\x80\\x80\", \"\\x61\\xff\\x62\\xed\\xa0\\x80\\x63\\xf4\\x90\\x80\\x80\", \"\\x61\\xff\\x62\\xed\\xa0\\x80\\x63\\xf4\\x90\\x80\\x80\", \"\\x61\\xff\\x62\\xed\\xa0\\x80\\x63\\xf4\\x90\\x80\\x80\"]", W("\"a\\xffb\\xed\\xa0\\x80c\\xf4\\x90\\x80\\x80\"|a\377b\355\240\200c\364\220\200\200|[a\377b\355\240\200c\364\220\200\200]|a\377|61ff62eda08063f4908080")},
	{"printf", "[%5d][%-5d][%05d][%+d][% d][%+05d][%.3d][%8.3d][%-08d]", "[42, 42, 42, 42, 42, 42, 7, 7, 7]", W("[   42][42   ][00042][+42][ 42][+0042][007][     007][7       ]")},
	{"printf", "%05d|%d|%d|%.0d|%5.0d|", "[-42, 9223372036854775807, -9223372036854775808, 0, 0]", W("-0042|9223372036854775807|-9223372036854775808||     |")},
	{"printf", "%x|%X|%#x|%o|%O|%b|%08b|%#b|%#o|%#X|%x", "[255, 255, 255, 8, 8, 5, 5, 5, 8, 255, -255]", W("ff|FF|0xff|10|0o10|101|00000101|0b101|010|0XFF|-ff")},
	{"printf", "%c|%c|%U|%#U|%q|%+q|%q", "[65, 19990, 128512, 128512, 97, 128512, 8232]", W("A|\344\270\226|U+1F600|U+1F600 '\360\237\230\200'|'a'|'\\U0001f600'|'\\u2028'")},
	{"printf", "%c|%c|%q|%q|%U|%#U|%.6U|%#10U|%-9U|", "[-1, 1114112, 55296, -1, -1, 8232, 65, 65, 65]", W("\357\277\275|\357\277\275|'\357\277\275'|'\357\277\275'|U+FFFFFFFFFFFFFFFF|U+2028|U+000041|U+0041 'A'|U+0041   |")},
	{"printf", "%x %d %v %#v %c %q %U %08b", "[u65, u65, u65, u65, u65, u65, u65, u65]", W("41 65 65 0x41 A 'A' U+0041 01000001")},
	{"printf", "%v %T %x", "[u195, u195, u195]", W("195 uint8 c3")},
	{"printf", "[%5.2f]|%f|%.0f %.0f %.0f|%.2f|%F", "[3.14159, 1.5, 0.5, 1.5, 2.5, 2.675, 2.0]", W("[ 3.14]|1.500000|0 2 2|2.67|2.000000")},
	{"printf", "%v %v %v %v %v %v %v %v", "[1000000.0, 0.1, 2.0, 123456.0, 1e-05, 0.0001, 0.30000000000000004, 1e+21]", W("1e+06 0.1 2 123456 1e-05 0.0001 0.30000000000000004 1e+21")},
	{"printf", "%e %E %g %G %.3g %.10g %#g %#.3g %#v", "[1234.5678, 1234.5678, 1234.5678, 1234.5678, 1234.5678, 1234.5678, 1234.5678, 1234.5678, 1234.5678]", W("1.234568e+03 1.234568E+03 1234.5678 1234.5678 1.23e+03 1234.5678 1234.5678 1.23e+03 1234.5678")},
	{"printf", "%v %f %e %g %5.1f|%-8v|%+v|%08v|%x", "[.inf, .inf, .inf, .inf, .inf, .inf, .inf, .inf, .inf]", W("+Inf +Inf +Inf +Inf  +Inf|+Inf    |+Inf|    +Inf|+Inf")},
	{"printf", "%v|%f|%+v|% v|%08.2f|%-6v|", "[.nan, .nan, .nan, .nan, .nan, .nan]", W("NaN|NaN|NaN| NaN|     NaN|NaN   |")},
	{"printf", "%v %v %.2f %e %g", "[-0.0, 0.0, -0.0, -0.0, 0.0]", W("-0 0 -0.00 -0.000000e+00 0")},
	{"printf", "%x %X %#x %.2x %b %.0x %x", "[3.5, -3.5, 1.0, 0.3333333333333333, 2.5, 1.5, 5e-324]", W("0x1.cp+01 -0X1.CP+01 0x1.0000p+00 0x1.55p-02 5629499534213120p-51 0x1p+01 0x1p-1074")},
	{"printf", "%+.3e|% .3f|%012.4e|%-12.3g|%+015.3f|%08v|%06.2f|%-06.2f|", "[12345.678, 2.5, -1.5, 1e-07, 3.25, -0.5, -1.5, 1.5]", W("+1.235e+04| 2.500|-01.5000e+00|1e-07       |+0000000003.250|-00000.5|-01.50|1.50  |")},
	{"printf", "%g %g %g %g %g", "[1e-320, 5e-324, 1.7976931348623157e+308, 2.2250738585072014e-308, 9007199254740992.0]", W("1e-320 5e-324 1.7976931348623157e+308 2.2250738585072014e-308 9.007199254740992e+15")},
	{"printf", "%.20f|%.30g|%.0e|%.1e|%.17g", "[0.1, 0.1, 2.5, 0.15, 0.1]", W("0.10000000000000000555|0.100000000000000005551115123126|2e+00|1.5e-01|0.10000000000000001")},
	{"printf", "%#.0f %#.0e %#g %#x %#X %#g %#g %#.4g", "[3.0, 3.0, 0.0, 1.5, 1.5, 100000.0, 1000000.0, 123.0]", W("3. 3.e+00 0.00000 0x1.8000p+00 0X1.8P+00 100000. 1.00000e+06 123.0")},
	{"printf", "%v %v %v %.3v %.3v", "[1e+20, 123456789.0, 0.0001, 1234567.0, 1.2345e-05]", W("1e+20 1.23456789e+08 0.0001 1.23e+06 1.23e-05")},
	{"printf", "%v %v %v", "[2.2250738585072014e-308, 1.2676506002282294e+30, 1.5e-323]", W("2.2250738585072014e-308 1.2676506002282294e+30 1.5e-323")},
	{"printf", "%t %v %5t|%-7t|%d %s %q", "[true, false, true, false, true, true, false]", W("true false  true|false  |%!d(bool=true) %!s(bool=true) %!q(bool=false)")},
	{"printf", "%T %T %T %T %T %T %T %T", "[1, 1.5, \"s\", true, u97, [1], {\"a\": 1}, {\"1\": {\"2\": 3}}]", W("int float64 string bool uint8 []interface {} map[string]interface {} map[string]interface {}")},
	{"printf", "%10T|%-10T|%.3T|%T|%T", "[1, \"x\", 1.5, null, novalue]", W("       int|string    |flo|<nil>|<nil>")},
	{"printf", "%v|%+v|%#v|%T|%d", "[[1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]]]", W("[1 a <nil> map[b:2] [1.5 true]]|[1 a <nil> map[b:2] [1.5 true]]|[]interface {}{1, \"a\", interface {}(nil), map[string]interface {}{\"b\":2}, []interface {}{1.5, true}}|[]interface {}|[1 %!d(string=a) <nil> map[%!d(string=b):2] [%!d(float64=1.5) %!d(bool=true)]]")},
	{"printf", "%s|%x|%q|%03d|%5v|%-5v|", "[[1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]], [1, \"a\", null, {\"b\": 2}, [1.5, true]]]", W("[%!s(int=1) a <nil> map[b:%!s(int=2)] [%!s(float64=1.5) %!s(bool=true)]]|[1 61 <nil> map[62:2] [0x1.8p+00 %!x(bool=true)]]|['\\x01' \"a\" <nil> map[\"b\":'\\x02'] [%!q(float64=1.5) %!q(bool=true)]]|[001 %!d(string=00a) <nil> map[%!d(string=00b):002] [%!d(float64=1.5) %!d(bool=true)]]|[    1     a <nil> map[    b:    2] [  1.5  true]]|[1     a     <nil> map[b    :2    ] [1.5   true ]]|")},
	{"printf", "%v|%#v|%T|%d|%x|%s", "[{\"b\": [1], \"a\": \"x\", \"c\": null}, {\"b\": [1], \"a\": \"x\", \"c\": null}, {\"b\": [1], \"a\": \"x\", \"c\": null}, {\"b\": [1], \"a\": \"x\", \"c\": null}, {\"b\": [1], \"a\": \"x\", \"c\": null}, {\"b\": [1], \"a\": \"x\", \"c\": null}]", W("map[a:x b:[1] c:<nil>]|map[string]interface {}{\"a\":\"x\", \"b\":[]interface {}{1}, \"c\":interface {}(nil)}|map[string]interface {}|map[%!d(string=a):%!d(string=x) %!d(string=b):[1] %!d(string=c):<nil>]|map[61:78 62:[1] 63:<nil>]|map[a:x b:[%!s(int=1)] c:<nil>]")},
	{"printf", "%v|%#v|%v|%#v|%T|%T", "[{}, {}, [], [], {}, []]", W("map[]|map[string]interface {}{}|[]|[]interface {}{}|map[string]interface {}|[]interface {}")},
	{"printf", "%v|%v|%6.2f", "[{\"b\": 1, \"B\": 2, \"_\": 3, \"1\": 4, \"a\": 5}, [[1, 2], {\"a\": 1}], [1.5, 2.25]]", W("map[1:4 B:2 _:3 a:5 b:1]|[[1 2] map[a:1]]|[  1.50   2.25]")},
	{"printf", "%d %s|%s %d|%v %T %d", "[\"x\", 1, null, null, novalue, novalue, novalue]", W("%!d(string=x) %!s(int=1)|%!s(<nil>) %!d(<nil>)|<nil> <nil> %!d(<nil>)")},
	{"printf", "%d %d", "[1]", W("1 %!d(MISSING)")},
	{"printf", "%d", "[1, 2, \"a\", null, [1]]", W("1%!(EXTRA int=2, string=a, <nil>, []interface {}=[1])")},
	{"printf", "%d %", "[1]", W("1 %!(NOVERB)")},
	{"printf", "%z|%!|%\303\244", "[1, 2, 3]", W("%!z(int=1)|%!!(int=2)|%!\303\244(int=3)")},
	{"printf", "%[2]d %[1]d|%[3]d|%[0]d|%[x]d|%[1]*d|%[2]*[1]d|%[5]d|%[1]d %d", "[1, 2]", W("2 1|%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)|2| 1|%!d(BADINDEX)|1 2")},
	{"printf", "%*d|%-*d|%*d|%.*f|%*d|%.*d|%.*d|%[1", "[5, 1, 5, 2, -5, 3, 2, 3.14159, \"x\", 1, -1, 1, \"a\", 1]", W("    1|2    |3    |3.14|%!(BADWIDTH)1|%!(BADPREC)1|%!(BADPREC)1|%!(NOVERB)")},
	{"printf", "%%|%5%|%-%|%", "[]", W("%|%|%|%!(NOVERB)")},
	{"printf", "%3.", "[1]", W("%!.(int=  1)")},
	{"printf", "%99999999d|", "[1]", W("%!(NOVERB)%!(EXTRA int=1)")},
	{"printf", "no verbs", "[]", W("no verbs")},
	{"printf", "%p|%p|%p", "[1, \"s\", null]", W("%!p(int=1)|%!p(string=s)|%!p(<nil>)")},
	{"printf", "%w|%5w|%w|%w|%w|%w|%#w|%w", "[[1, \"a\"], [1, \"a\"], {\"a\": 1}, 1, \"s\", null, [1], novalue]", W("%!w([]interface {}=[1 a])|%!w([]interface {}=[    1     a])|%!w(map[string]interface {}=map[a:1])|%!w(int=1)|%!w(string=s)|%!w(<nil>)|%!w([]interface {}=[1])|%!w(<nil>)")},
	{"printf", "%s", "[\"\360\237\230\200\"]", W("\360\237\230\200")},
	{"print", "", "[1, 2, \"a\", 3, \"b\", \"c\", 4.5, null, true, [1]]", W("1 2a3bc4.5 <nil> true [1]")},
	{"print", "", "[]", W("")},
	{"print", "", "[novalue, 1]", W("<nil> 1")},
	{"println", "", "[1, \"a\", null, [1, \"b\"], {\"k\": \"v\"}]", W("1 a <nil> [1 b] map[k:v]\n")},
	{"println", "", "[]", W("\n")},
	{"value", "", "[null]", W("<nil>")},
	{"value", "", "[novalue]", W("<nil>")},
	{"value", "", "[{\"m\": [1, {\"n\": null}]}]", W("map[m:[1 map[n:<nil>]]]")},
	{"value", "", "[u97]", W("97")},
	{"value", "", "[-0.0]", W("-0")},
	{"value", "", "[\" s \"]", W(" s ")},
	{"quote", "", "[\"a\\\"b\\\\c\\n\\r\\t\\u0001\177\302\240\302\255\342\200\250\357\277\275\360\237\230\200\346\227\245\"]", W("\"a\\\"b\\\\c\\n\\r\\t\\x01\\x7f\\u00a0\\u00ad\\u2028\357\277\275\360\237\230\200\346\227\245\"")},
	{"quote", "", "[\"\\xff\\xc0\\x80\\xe0\\x80\\x80\\xf0\\x9f\\x98\"]", W("\"\\xff\\xc0\\x80\\xe0\\x80\\x80\\xf0\\x9f\\x98\"")},
	{"quote", "", "[\"\"]", W("\"\"")},
	{"shortest", "", "[0.0]", W("0")},
	{"shortest", "", "[1.0]", W("1")},
	{"shortest", "", "[0.1]", W("0.1")},
	{"shortest", "", "[1000000.0]", W("1e+06")},
	{"shortest", "", "[999999.0]", W("999999")},
	{"shortest", "", "[0.0001]", W("0.0001")},
	{"shortest", "", "[1e-05]", W("1e-05")},
	{"shortest", "", "[123456789.0]", W("1.23456789e+08")},
	{"shortest", "", "[1.5e+300]", W("1.5e+300")},
	{"shortest", "", "[5e-324]", W("5e-324")},
	{"shortest", "", "[.inf]", W("+Inf")},
	{"shortest", "", "[-.inf]", W("-Inf")},
	{"shortest", "", "[.nan]", W("NaN")},
	{"shortest", "", "[9.223372036854776e+18]", W("9.223372036854776e+18")},
	{"shortest", "", "[0.3]", W("0.3")},
	{"shortest", "", "[100.0]", W("100")},
	{"shortest", "", "[1e+23]", W("1e+23")},
	{"shortest", "", "[8.41e+21]", W("8.41e+21")},
	{"shortest", "", "[3.5e-323]", W("3.5e-323")},
	{"shortest", "", "[4.35]", W("4.35")},
	{"shortest", "", "[0.3333333333333333]", W("0.3333333333333333")},
	{"printf", "%v|%#v|%T|%d|%x", "[{10: \"a\", 2: \"b\", -3: [1]}, {10: \"a\", 2: \"b\", -3: [1]}, {10: \"a\", 2: \"b\", -3: [1]}, {10: \"a\", 2: \"b\", -3: [1]}, {10: \"a\", 2: \"b\", -3: [1]}]", W("map[-3:[1] 2:b 10:a]|map[interface {}]interface {}{-3:[]interface {}{1}, 2:\"b\", 10:\"a\"}|map[interface {}]interface {}|map[-3:[1] 2:%!d(string=b) 10:%!d(string=a)]|map[-3:[1] 2:62 a:61]")},
	{"printf", "%v|%#v|%v|%#v", "[{1.5: \"x\", -0.5: \"y\"}, {1.5: \"x\", -0.5: \"y\"}, {true: 1, false: 2}, {true: 1, false: 2}]", W("map[-0.5:y 1.5:x]|map[interface {}]interface {}{-0.5:\"y\", 1.5:\"x\"}|map[false:2 true:1]|map[interface {}]interface {}{false:2, true:1}")},
	{"printf", "%v|%#v|%v|%s", "[{null: 1}, {null: 1}, {\"a\": {1: 2}}, {\"a\": {1: \"b\"}}]", W("map[<nil>:1]|map[interface {}]interface {}{interface {}(nil):1}|map[a:map[1:2]]|map[a:map[%!s(int=1):b]]")},
};

/* ---- The operand notation. ---- */

typedef struct reader {
	const char *p;
	tmpl_arena *a;
	int bad;
} reader;

static void rd_ws(reader *r)
{
	while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t')
		r->p++;
}

static int rd_hex(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = s[i];
		v = v * 16 + (c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
	}
	return v;
}

static const tv *rd_string(reader *r)
{
	sbuf b = SBUF_INIT;
	r->p++; /* opening quote */
	while (*r->p && *r->p != '"') {
		if (*r->p != '\\') {
			sbuf_putc(&b, *r->p++);
			continue;
		}
		r->p++;
		char c = *r->p++;
		char u[4];
		int cp;
		switch (c) {
		case 'n': sbuf_putc(&b, '\n'); break;
		case 't': sbuf_putc(&b, '\t'); break;
		case 'r': sbuf_putc(&b, '\r'); break;
		case 'b': sbuf_putc(&b, '\b'); break;
		case 'f': sbuf_putc(&b, '\f'); break;
		case 'x':
			sbuf_putc(&b, (char)rd_hex(r->p, 2));
			r->p += 2;
			break;
		case 'u':
			cp = rd_hex(r->p, 4);
			r->p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && r->p[0] == '\\' && r->p[1] == 'u') {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (rd_hex(r->p + 2, 4) - 0xDC00);
				r->p += 6;
			}
			sbuf_put(&b, u, u8_encode(u, cp));
			break;
		default: sbuf_putc(&b, c); break;
		}
	}
	if (*r->p == '"')
		r->p++;
	else
		r->bad = 1;
	const tv *v = tv_string(r->a, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return v;
}

static const tv *rd_value(reader *r);

/* Elements up to the closing bracket; returns the count, items in *out. */
static size_t rd_items(reader *r, char close, const tv ***out)
{
	size_t n = 0, cap = 8;
	const tv **items = malloc(cap * sizeof *items);
	r->p++;
	rd_ws(r);
	while (*r->p && *r->p != close && !r->bad) {
		if (n == cap)
			items = realloc(items, (cap *= 2) * sizeof *items);
		items[n++] = rd_value(r);
		rd_ws(r);
		if (*r->p == ',' || *r->p == ':')
			r->p++;
		rd_ws(r);
	}
	if (*r->p == close)
		r->p++;
	else
		r->bad = 1;
	*out = items;
	return n;
}

static const tv *rd_value(reader *r)
{
	rd_ws(r);
	const char *p = r->p;
	if (*p == '"')
		return rd_string(r);
	if (*p == '[') {
		const tv **items;
		size_t n = rd_items(r, ']', &items);
		tv *l = tv_list_new(r->a, n);
		for (size_t i = 0; i < n; i++)
			l->u.list.items[i] = items[i] ? items[i] : &tv_null_value;
		free(items);
		return l;
	}
	if (*p == '{') {
		const tv **items;
		size_t n = rd_items(r, '}', &items);
		tv *m = tv_map_new(r->a, n / 2);
		for (size_t i = 0; i + 1 < n; i += 2)
			tv_map_add(r->a, m, items[i], items[i + 1]);
		tv_map_seal(r->a, m);
		free(items);
		return m;
	}
	static const struct { const char *word; int kind; } words[] = {
		{"true", 1}, {"false", 2}, {"null", 3}, {"novalue", 4}, {".inf", 5}, {"-.inf", 6}, {".nan", 7},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t len = strlen(words[i].word);
		if (strncmp(p, words[i].word, len) == 0) {
			r->p += len;
			switch (words[i].kind) {
			case 1: return tv_bool(true);
			case 2: return tv_bool(false);
			case 3: return &tv_null_value;
			case 4: return TV_NOVALUE;
			case 5: return tv_float(r->a, INFINITY);
			case 6: return tv_float(r->a, -INFINITY);
			default: return tv_float(r->a, NAN);
			}
		}
	}
	if (*p == 'u') {
		char *end;
		long n = strtol(p + 1, &end, 10);
		r->p = end;
		return tv_uint8(r->a, (uint8_t)n);
	}
	char *end;
	if (strpbrk(p, ".eE") && strcspn(p, ".eE") < strcspn(p, ",]}: ")) {
		double d = strtod(p, &end);
		r->p = end;
		return tv_float(r->a, d);
	}
	long long n = strtoll(p, &end, 10);
	if (end == p) {
		r->bad = 1;
		r->p++;
	}
	r->p = end;
	return tv_int(r->a, n);
}

static void run_case(const fmt_case *c)
{
	tmpl_arena *a = arena_new();
	reader r = {c->args, a, 0};
	const tv **args;
	size_t n = rd_items(&r, ']', &args);
	sbuf out = SBUF_INIT;
	sbuf_puts(&out, ""); /* never NULL, even when nothing is written */
	if (strcmp(c->mode, "printf") == 0)
		fmt_sprintf(&out, c->format, strlen(c->format), args, n);
	else if (strcmp(c->mode, "print") == 0)
		fmt_sprint(&out, args, n);
	else if (strcmp(c->mode, "println") == 0)
		fmt_sprintln(&out, args, n);
	else if (strcmp(c->mode, "value") == 0)
		fmt_value(&out, n ? args[0] : NULL);
	else if (strcmp(c->mode, "quote") == 0 && n && args[0] && args[0]->kind == TV_STRING)
		fmt_quote(&out, args[0]->u.s.ptr, args[0]->u.s.len);
	else if (strcmp(c->mode, "shortest") == 0 && n && args[0] && args[0]->kind == TV_FLOAT)
		fmt_float_shortest(&out, args[0]->u.f);
	else
		r.bad = 1;
	char name[200];
	snprintf(name, sizeof name, "%s %s %s", c->mode, c->format, c->args);
	for (char *q = name; *q; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			*q = '?'; /* one clean TAP line */
	if (r.bad)
		tap_result(0, name, "the case's mode or arguments cannot be run");
	else
		tap_is_bytes(out.buf, out.len, c->want, c->want_len, name);
	sbuf_free(&out);
	free(args);
	arena_free(a);
}

/* ---- The UTF-8 layer: Go's utf8.DecodeRune, RuneCount, unicode.Is*. ---- */

static void test_utf8(void)
{
	static const struct {
		const char *s;
		size_t len;
		int32_t rune;
		size_t size;
	} dec[] = {
		{"", 0, U8_RUNE_ERROR, 0},
		{"a", 1, 'a', 1},
		{"\303\251", 2, 0xE9, 2},
		{"\342\202\254", 3, 0x20AC, 3},
		{"\360\237\230\200", 4, 0x1F600, 4},
		{"\303", 1, U8_RUNE_ERROR, 1},          /* truncated */
		{"\300\200", 2, U8_RUNE_ERROR, 1},      /* overlong */
		{"\340\200\200", 3, U8_RUNE_ERROR, 1},  /* overlong */
		{"\355\240\200", 3, U8_RUNE_ERROR, 1},  /* surrogate */
		{"\364\220\200\200", 4, U8_RUNE_ERROR, 1}, /* > U+10FFFF */
		{"\377", 1, U8_RUNE_ERROR, 1},
		{"\200", 1, U8_RUNE_ERROR, 1},
		{"\357\277\275", 3, 0xFFFD, 3},
		{"\364\217\277\277", 4, 0x10FFFF, 4},
	};
	for (size_t i = 0; i < sizeof dec / sizeof dec[0]; i++) {
		size_t size = 99;
		int32_t r = u8_decode(dec[i].s, dec[i].len, &size);
		char name[64], in[48];
		snprintf(name, sizeof name, "u8_decode \"%s\"", tap_title(in, sizeof in, dec[i].s, dec[i].len));
		tap_ok(r == dec[i].rune && size == dec[i].size, name);
	}
	char buf[4];
	tap_ok(u8_encode(buf, 0xD800) == 3 && memcmp(buf, "\357\277\275", 3) == 0, "u8_encode surrogate is U+FFFD");
	tap_ok(u8_encode(buf, -1) == 3 && memcmp(buf, "\357\277\275", 3) == 0, "u8_encode negative is U+FFFD");
	tap_ok(u8_encode(buf, 0x10FFFF) == 4 && memcmp(buf, "\364\217\277\277", 4) == 0, "u8_encode U+10FFFF");
	tap_ok(u8_encode(buf, 0x7FF) == 2 && memcmp(buf, "\337\277", 2) == 0, "u8_encode U+07FF");
	tap_ok(u8_count("a\377b\355\240\200c\364\220\200\200", 11) == 11, "u8_count counts each bad byte");
	tap_ok(u8_count("\346\227\245\346\234\254", 6) == 2, "u8_count of CJK");

	/* unicode.IsPrint: L, M, N, P, S and U+0020 only. */
	static const int32_t printable[] = {' ', 'a', '~', 0xA1, 0xE9, 0x2028 + 0x10, 0x4E16, 0x1F600, 0x0301, 0x20AC};
	static const int32_t unprintable[] = {0, '\t', 0x7F, 0x85, 0xA0, 0xAD, 0x2028, 0x2029, 0x200B, 0xFEFF,
	                                      0xFFFE, 0xD800, 0xE000, 0x10FFFF, 0x110000, -1, 0x3000};
	int ok = 1;
	for (size_t i = 0; i < sizeof printable / sizeof printable[0]; i++)
		ok &= u8_isprint(printable[i]);
	tap_ok(ok, "u8_isprint printable runes");
	ok = 1;
	for (size_t i = 0; i < sizeof unprintable / sizeof unprintable[0]; i++)
		ok &= !u8_isprint(unprintable[i]);
	tap_ok(ok, "u8_isprint non-printable runes");
	tap_ok(u8_isletter('a') && u8_isletter('Z') && u8_isletter(0xAA) && u8_isletter(0x4E16) && u8_isletter(0x3B1) &&
	          !u8_isletter('_') && !u8_isletter('1') && !u8_isletter(0x0301) && !u8_isletter(0x2160),
	      "u8_isletter");
	tap_ok(u8_isdigit('0') && u8_isdigit(0x0663) && u8_isdigit(0xFF19) && !u8_isdigit('a') && !u8_isdigit(0xB2) &&
	          !u8_isdigit(0x2160),
	      "u8_isdigit");
	tap_ok(u8_isspace(' ') && u8_isspace('\v') && u8_isspace(0x85) && u8_isspace(0xA0) && u8_isspace(0x2000) &&
	          u8_isspace(0x3000) && !u8_isspace(0x200B) && !u8_isspace(0xFEFF) && !u8_isspace('x'),
	      "u8_isspace");
}

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i]);
	test_utf8();
	return tap_done();
}
