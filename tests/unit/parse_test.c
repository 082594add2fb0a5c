/* parse_test.c: the parser against Go's text/template: node positions and
 * Node.String() texts (as Go prints them in execution errors), parse error
 * texts, template sets, and lexing with custom delimiters; prints TAP. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../runner/tap.h"
#include "arena.h"
#include "ast.h"
#include "func.h"
#include "parse.h"
#include "sbuf.h"
#include "tmpl.h"

/* The nth node (0-based) of kind k in preorder. */
static const ast_node *find(const ast_node *n, ast_kind k, int *nth)
{
	if (!n)
		return NULL;
	if (n->kind == k && (*nth)-- == 0)
		return n;
	const ast_node *r = NULL;
	switch (n->kind) {
	case AST_LIST:
		for (size_t i = 0; i < n->u.list.n && !r; i++)
			r = find(n->u.list.items[i], k, nth);
		return r;
	case AST_ACTION:
		return find(n->u.action.pipe, k, nth);
	case AST_IF: case AST_RANGE: case AST_WITH:
		if (!(r = find(n->u.branch.pipe, k, nth)) && !(r = find(n->u.branch.list, k, nth)))
			r = find(n->u.branch.else_list, k, nth);
		return r;
	case AST_TEMPLATE:
		return find(n->u.tmpl.pipe, k, nth);
	case AST_PIPE:
		for (size_t i = 0; i < n->u.pipe.ndecl && !r; i++)
			r = find(n->u.pipe.decl[i], k, nth);
		for (size_t i = 0; i < n->u.pipe.ncmds && !r; i++)
			r = find(n->u.pipe.cmds[i], k, nth);
		return r;
	case AST_COMMAND:
		for (size_t i = 0; i < n->u.cmd.n && !r; i++)
			r = find(n->u.cmd.args[i], k, nth);
		return r;
	case AST_CHAIN:
		return find(n->u.chain.node, k, nth);
	default:
		return NULL;
	}
}

static const ast_tree *tree_named(ast_tree **trees, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(trees[i]->name, name) == 0)
			return trees[i];
	return NULL;
}

/* Node positions and texts, from Go's "template: t:L:C: executing ... at <X>". */
static const struct {
	const char *text, *tree;
	ast_kind kind;
	int nth;
	const char *want; /* "L:C X" */
} node_cases[] = {
	{"{{.a.b}}", "t", AST_FIELD, 0, "1:4 .a.b"},
	{"x\n  {{.a.b.c}}", "t", AST_FIELD, 0, "2:6 .a.b.c"},
	{"{{$x := .a}}{{$x.b}}", "t", AST_VARIABLE, 1, "1:16 $x.b"},
	{"{{  index .l 5 | print}}", "t", AST_COMMAND, 0, "1:4 index .l 5"},
	{"{{print 1 | index .l 7}}", "t", AST_COMMAND, 1, "1:12 index .l 7"},
	{"{{template \"x\" .a | print}}", "t", AST_TEMPLATE, 0, "1:11 {{template \"x\" .a | print}}"},
	{"{{range .s}}{{end}}", "t", AST_FIELD, 0, "1:8 .s"},
	{"{{block \"b\" .}}\n {{.a.b}}{{end}}", "b", AST_FIELD, 0, "2:5 .a.b"},
	{"{{print \"a\" \"b\" 'c' 1.5 `raw` nil true . $ | printf \"%v\" | index .l 9}}", "t",
	 AST_COMMAND, 2, "1:59 index .l 9"},
	{"{{$x := 1}}{{$y := 2}}{{range $i, $e := .l}}{{index $.l 9 $x}}{{end}}", "t",
	 AST_COMMAND, 3, "1:46 index $.l 9 $x"},
	{"{{print \"a\" \"b\" 'c' 1.5 `raw` nil true . $ | printf \"%v\"}}", "t", AST_ACTION, 0,
	 "1:2 {{print \"a\" \"b\" 'c' 1.5 `raw` nil true . $ | printf \"%v\"}}"},
	{"{{if .x}}a{{else if .y}}b{{else}}c{{end}}", "t", AST_IF, 0,
	 "1:5 {{if .x}}a{{else}}{{if .y}}b{{else}}c{{end}}{{end}}"},
	{"{{range $i, $e := .}}{{break}}{{continue}}{{end}}", "t", AST_RANGE, 0,
	 "1:8 {{range $i, $e := .}}{{break}}{{continue}}{{end}}"},
	{"{{with $x := (.a).b}}{{(print 1).c}}{{end}}", "t", AST_WITH, 0,
	 "1:7 {{with $x := (.a).b}}{{(print 1).c}}{{end}}"},
};

/* Parse errors, checked against Go (1.24 wording for right parens and else with). */
static const struct {
	const char *text, *ld, *rd, *want;
} error_cases[] = {
	{"{{}}", 0, 0, "template: t:1: missing value for command"},
	{"{{if}}", 0, 0, "template: t:1: missing value for if"},
	{"{{template}}", 0, 0, "template: t:1: unexpected \"}}\" in template clause"},
	{"{{define \"x\"}}{{else}}{{end}}", 0, 0, "template: t:1: unexpected {{else}} in define clause"},
	{"{{block \"x\" .}}{{else}}{{end}}", 0, 0, "template: t:1: unexpected {{else}} in block clause"},
	{"{{end}}", 0, 0, "template: t:1: unexpected {{end}}"},
	{"{{if 1}}{{else}}{{else}}{{end}}", 0, 0, "template: t:1: expected end; found {{else}}"},
	{"{{range .}}{{else if 1}}{{end}}", 0, 0, "template: t:1: unexpected <if> in input"},
	{"{{if .}}{{else with 1}}{{end}}", 0, 0, "template: t:1: unexpected <with> in input"},
	{"{{if 1}}\n\n", 0, 0, "template: t:3: unexpected EOF"},
	{"{{end x}}", 0, 0, "template: t:1: unexpected \"x\" in end"},
	{"{{if 1}}{{define \"x\"}}{{end}}{{end}}", 0, 0, "template: t:1: unexpected <define> in command"},
	{"{{define .X}}{{end}}", 0, 0, "template: t:1: unexpected \".X\" in define clause"},
	{"{{define \"x\".}}{{end}}", 0, 0, "template: t:1: unexpected <.> in define clause"},
	{"{{range .}}{{break 1}}{{end}}", 0, 0, "template: t:1: unexpected \"1\" in {{break}}"},
	{"{{range .}}{{else}}{{break}}{{end}}", 0, 0, "template: t:1: {{break}} outside {{range}}"},
	{"{{range .}}{{block \"x\" .}}{{continue}}{{end}}{{end}}", 0, 0, "template: t:1: {{continue}} outside {{range}}"},
	{"{{$x}}", 0, 0, "template: t:1: undefined variable \"$x\""},
	{"{{$a, $b := 1}}", 0, 0, "template: t:1: too many declarations in command"},
	{"{{range $a, $b, $c := .}}{{end}}", 0, 0, "template: t:1: too many declarations in range"},
	{"{{range $k, .}}{{end}}", 0, 0, "template: t:1: range can only initialize variables"},
	{"{{range $k,}}{{end}}", 0, 0, "template: t:1: missing value for range"},
	{"{{print(1)}}", 0, 0, "template: t:1: unexpected \"(\" in operand"},
	{"{{print 1\"a\"}}", 0, 0, "template: t:1: unexpected \"\\\"a\\\"\" in operand"},
	{"{{printf 3, 4}}", 0, 0, "template: t:1: unexpected \",\" in operand"},
	{"{{.x /* c */}}", 0, 0, "template: t:1: unexpected \"/\" in operand"},
	{"{{ /* c */}}", 0, 0, "template: t:1: unexpected \"/\" in command"},
	{"{{/* c", 0, 0, "template: t:1: unclosed comment"},
	{"{{/* c */x}}", 0, 0, "template: t:1: comment ends before closing delimiter"},
	{"{{nofunc 1}}", 0, 0, "template: t:1: function \"nofunc\" not defined"},
	{"{{.a | .b | \"x\"}}", 0, 0, "template: t:1: non executable command in pipeline stage 3"},
	{"{{|}}", 0, 0, "template: t:1: unexpected \"|\" in command"},
	{"{{\"x\".a}}", 0, 0, "template: t:1: unexpected . after term \"\\\"x\\\"\""},
	{"{{0.1.E}}", 0, 0, "template: t:1: unexpected . after term \"0.1\""},
	{"{{1.E}}", 0, 0, "template: t:1: illegal number syntax: \"1.E\""},
	{"{{3-}}", 0, 0, "template: t:1: bad number syntax: \"3-\""},
	{"{{- -}}", 0, 0, "template: t:1: illegal number syntax: \"-\""},
	{"{{-  -}}", 0, 0, "template: t:1: missing value for command"},
	{"{{.x\n\n", 0, 0, "template: t:3: unclosed action started at t:1"},
	{"{{.x", 0, 0, "template: t:1: unclosed action"},
	{"{{\"abc\n\"}}", 0, 0, "template: t:1: unterminated quoted string"},
	{"{{if 1}}\n{{\"abc", 0, 0, "template: t:2: unterminated quoted string"},
	{"{{if\n\"abc", 0, 0, "template: t:2: unterminated quoted string in action started at t:1"},
	{"{{'ab'}}", 0, 0, "template: t:1: malformed character constant: 'ab'"},
	{"{{''}}", 0, 0, "template: t:1: invalid syntax"},
	{"{{\"\\q\"}}", 0, 0, "template: t:1: invalid syntax"},
	{"{{99999999999999999999}}", 0, 0, "template: t:1: integer overflow: \"99999999999999999999\""},
	{"{{3i-3i}}", 0, 0, "template: t:1: syntax error scanning complex number"},
	{"{{1+i}}", 0, 0, "template: t:1: syntax error scanning complex number"},
	{"{{1e400+1i}}", 0, 0, "template: t:1: strconv.ParseFloat: parsing \"1e400\": value out of range"},
	{"{{1__0+2i}}", 0, 0, "template: t:1: strconv.ParseFloat: parsing \"1__0\": invalid syntax"},
	{"{{x\x01}}", 0, 0, "template: t:1: bad character U+0001"},
	{"{{\x01}}", 0, 0, "template: t:1: unrecognized character in action: U+0001"},
	{"{{print \xe2\x86\x92}}", 0, 0, "template: t:1: unrecognized character in action: U+2192 '\xe2\x86\x92'"},
	{"{{.x-}}", 0, 0, "template: t:1: bad character U+002D '-'"},
	{"{{:}}", 0, 0, "template: t:1: expected :="},
	{"{{(1}}", 0, 0, "template: t:1: unclosed left paren"},
	{"{{1)}}", 0, 0, "template: t:1: unexpected right paren"},
	{"{{( )}}", 0, 0, "template: t:1: missing value for parenthesized pipeline"},
	{"{{.l.0}}", 0, 0, "template: t:1: unexpected \".0\" in operand"},
	{"{{print \"abcdefghijklmnop\"x}}", 0, 0, "template: t:1: unexpected \"x\" in operand"},
	{"{{print 1 \"abcdefghijklmnop\"\"x\"}}", 0, 0, "template: t:1: unexpected \"\\\"x\\\"\" in operand"},
	{"{{print \"x\"\"abcdefghijklmnop\"}}", 0, 0, "template: t:1: unexpected \"\\\"abcdefghi\"... in operand"},
	{"body{{define \"t\"}}X{{end}}", 0, 0, "template: t:1: template: multiple definition of template \"t\""},
	{"{{define \"a\"}}X{{end}}{{define \"a\"}}Y{{end}}", 0, 0, "template: t:1: template: multiple definition of template \"a\""},
	{"{{block \"a\" .}}X{{end}}{{define \"a\"}}Y{{end}}", 0, 0, "template: t:1: template: multiple definition of template \"a\""},
	{"[[ (1 ]]", "[[", "]]", "template: t:1: unclosed left paren"},
	{"{{hub print 1hub}}", "{{hub", "hub}}", "template: t:1: bad number syntax: \"1h\""},
};

/* Texts that parse: the trees they define and the main tree's text. */
static const struct {
	const char *text, *ld, *rd;
	const char *trees; /* names, space separated, in order */
	const char *main;  /* Node.String() of the main tree's root */
} ok_cases[] = {
	{" {{define \"t\"}}X{{end}} ", 0, 0, "t", "X"},
	{"{{define \"a\"}}X{{end}}{{define \"a\"}} {{end}}", 0, 0, "a t", ""},
	{"{{block \"a\" .}}X{{end}}{{define \"a\"}} {{end}}", 0, 0, "a t", "{{template \"a\" .}}"},
	{" x {{- 3 -}} y ", 0, 0, "t", " x{{3}}y "},
	{" x {{-3}} y ", 0, 0, "t", " x {{-3}} y "},
	{"a {{- /* x */}} b", 0, 0, "t", "a b"},
	{"{{/* }} */}}x", 0, 0, "t", "x"},
	{"[[- 1 -]]  x  [[ \"]]\" ]]", "[[", "]]", "t", "{{1}}x  {{\"]]\"}}"},
	{"{{- 3 -}}", "{{- ", " -}}", "t", "{{3}}"},
	{"{{hub $hub}}", "{{hub", "hub}}", "t", "{{$}}"},
	{"{{$x := 1}}{{$x = 2}}{{$y = 3}}", 0, 0, "t", "{{$x := 1}}{{$x := 2}}{{$y := 3}}"},
	{"{{0377}} {{0x1_23}} {{1e3}} {{'\\n'}} {{`a\r\nb`}}", 0, 0, "t",
	 "{{0377}} {{0x1_23}} {{1e3}} {{'\\n'}} {{`a\r\nb`}}"},
};

/* Go's TestNumberParse: how a constant is classified (int, uint, float, complex). */
static const struct {
	const char *text;
	int is_int, is_uint, is_float, is_complex;
	int64_t i;
	uint64_t u;
	double f;
} number_cases[] = {
	{"0", 1, 1, 1, 0, 0, 0, 0},
	{"-0", 1, 1, 1, 0, 0, 0, 0},
	{"73", 1, 1, 1, 0, 73, 73, 73},
	{"7_3", 1, 1, 1, 0, 73, 73, 73},
	{"0b10_010_01", 1, 1, 1, 0, 73, 73, 73},
	{"0B10_010_01", 1, 1, 1, 0, 73, 73, 73},
	{"073", 1, 1, 1, 0, 59, 59, 59},
	{"0o73", 1, 1, 1, 0, 59, 59, 59},
	{"0O73", 1, 1, 1, 0, 59, 59, 59},
	{"0x73", 1, 1, 1, 0, 115, 115, 115},
	{"0X73", 1, 1, 1, 0, 115, 115, 115},
	{"0x7_3", 1, 1, 1, 0, 115, 115, 115},
	{"-73", 1, 0, 1, 0, -73, 0, -73},
	{"+73", 1, 0, 1, 0, 73, 0, 73},
	{"100", 1, 1, 1, 0, 100, 100, 100},
	{"1e9", 1, 1, 1, 0, 1000000000, 1000000000, 1e9},
	{"-1e9", 1, 0, 1, 0, -1000000000, 0, -1e9},
	{"-1.2", 0, 0, 1, 0, 0, 0, -1.2},
	{"1e19", 0, 1, 1, 0, 0, 10000000000000000000u, 1e19},
	{"1e1_9", 0, 1, 1, 0, 0, 10000000000000000000u, 1e19},
	{"1E19", 0, 1, 1, 0, 0, 10000000000000000000u, 1e19},
	{"-1e19", 0, 0, 1, 0, 0, 0, -1e19},
	{"0x_1p4", 1, 1, 1, 0, 16, 16, 16},
	{"0X_1P4", 1, 1, 1, 0, 16, 16, 16},
	{"0x_1p-4", 0, 0, 1, 0, 0, 0, 1 / 16.},
	{"4i", 0, 0, 0, 1, 0, 0, 0},
	{"-1.2+4.2i", 0, 0, 0, 1, 0, 0, 0},
	{"073i", 0, 0, 0, 1, 0, 0, 0},
	{"0i", 1, 1, 1, 1, 0, 0, 0},
	{"-1.2+0i", 0, 0, 1, 1, 0, 0, -1.2},
	{"-12+0i", 1, 0, 1, 1, -12, 0, -12},
	{"13+0i", 1, 1, 1, 1, 13, 13, 13},
	{"0123", 1, 1, 1, 0, 83, 83, 83},
	{"-0x0", 1, 1, 1, 0, 0, 0, 0},
	{"0xdeadbeef", 1, 1, 1, 0, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef},
	{"'a'", 1, 1, 1, 0, 'a', 'a', 'a'},
	{"'\\n'", 1, 1, 1, 0, '\n', '\n', '\n'},
	{"'\\\\'", 1, 1, 1, 0, '\\', '\\', '\\'},
	{"'\\''", 1, 1, 1, 0, '\'', '\'', '\''},
	{"'\\xFF'", 1, 1, 1, 0, 0xFF, 0xFF, 0xFF},
	{"'\xe3\x83\x91'", 1, 1, 1, 0, 0x30d1, 0x30d1, 0x30d1},
	{"'\\u30d1'", 1, 1, 1, 0, 0x30d1, 0x30d1, 0x30d1},
	{"'\\U000030d1'", 1, 1, 1, 0, 0x30d1, 0x30d1, 0x30d1},
	{"0xef", 1, 1, 1, 0, 0xef, 0xef, 0xef},
	/* broken syntax: parse errors */
	{"+-2", -1, 0, 0, 0, 0, 0, 0},
	{"0x123.", -1, 0, 0, 0, 0, 0, 0},
	{"1e.", -1, 0, 0, 0, 0, 0, 0},
	{"0xi.", -1, 0, 0, 0, 0, 0, 0},
	{"1+2.", -1, 0, 0, 0, 0, 0, 0},
	{"'x", -1, 0, 0, 0, 0, 0, 0},
	{"'xx'", -1, 0, 0, 0, 0, 0, 0},
	{"'433937734937734969526500969526500'", -1, 0, 0, 0, 0, 0, 0},
};

static void run_number_cases(void)
{
	for (size_t i = 0; i < sizeof number_cases / sizeof number_cases[0]; i++) {
		tmpl_arena *a = arena_new();
		tmpl_error err;
		tmpl_error_init(&err);
		ast_tree **trees;
		size_t n;
		char text[128], got[256], want[256];
		snprintf(text, sizeof text, "{{print %s}}", number_cases[i].text);
		if (number_cases[i].is_int < 0)
			snprintf(want, sizeof want, "error");
		else
			snprintf(want, sizeof want, "%d%d%d%d %lld %llu %.17g", number_cases[i].is_int,
				 number_cases[i].is_uint, number_cases[i].is_float,
				 number_cases[i].is_complex, (long long)number_cases[i].i,
				 (unsigned long long)number_cases[i].u, number_cases[i].f);
		if (parse_text(a, func_default_library(), "t", text, strlen(text), NULL, NULL, &trees, &n, &err) != 0) {
			snprintf(got, sizeof got, "error");
		} else {
			int nth = 0;
			const ast_node *nd = find(trees[0]->root, AST_NUMBER, &nth);
			if (!nd)
				snprintf(got, sizeof got, "no number");
			else
				snprintf(got, sizeof got, "%d%d%d%d %lld %llu %.17g", nd->u.num.is_int,
					 nd->u.num.is_uint, nd->u.num.is_float, nd->u.num.is_complex,
					 nd->u.num.is_int ? (long long)nd->u.num.i : 0LL,
					 nd->u.num.is_uint ? (unsigned long long)nd->u.num.u : 0ULL,
					 nd->u.num.is_float ? nd->u.num.f : 0.0);
		}
		tap_is(got, want, number_cases[i].text);
		tmpl_error_clear(&err);
		arena_free(a);
	}
}

static void run_node_cases(void)
{
	for (size_t i = 0; i < sizeof node_cases / sizeof node_cases[0]; i++) {
		tmpl_arena *a = arena_new();
		tmpl_error err;
		tmpl_error_init(&err);
		ast_tree **trees;
		size_t n;
		char got[512] = "";
		if (parse_text(a, func_default_library(), "t", node_cases[i].text, strlen(node_cases[i].text), NULL, NULL,
			       &trees, &n, &err) != 0) {
			snprintf(got, sizeof got, "error: %s", err.msg);
		} else {
			const ast_tree *t = tree_named(trees, n, node_cases[i].tree);
			int nth = node_cases[i].nth;
			const ast_node *nd = t ? find(t->root, node_cases[i].kind, &nth) : NULL;
			if (nd) {
				sbuf b = SBUF_INIT;
				ast_string(&b, nd);
				snprintf(got, sizeof got, "%u:%u %s", (unsigned)nd->line, (unsigned)nd->col,
					 b.buf ? b.buf : "");
				sbuf_free(&b);
			}
		}
		tap_is(got, node_cases[i].want, node_cases[i].text);
		tmpl_error_clear(&err);
		arena_free(a);
	}
}

static void run_error_cases(void)
{
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		tmpl_arena *a = arena_new();
		tmpl_error err;
		tmpl_error_init(&err);
		ast_tree **trees;
		size_t n;
		int r = parse_text(a, func_default_library(), "t", error_cases[i].text, strlen(error_cases[i].text),
				   error_cases[i].ld, error_cases[i].rd, &trees, &n, &err);
		const char *got = r == 0 ? "(parsed)" : err.msg ? err.msg : "(no message)";
		if (r != 0 && err.kind != TMPL_ERR_PARSE)
			tap_result(0, error_cases[i].text, "not a parse error");
		else
			tap_is(got, error_cases[i].want, error_cases[i].text);
		tmpl_error_clear(&err);
		arena_free(a);
	}
}

static void run_ok_cases(void)
{
	for (size_t i = 0; i < sizeof ok_cases / sizeof ok_cases[0]; i++) {
		tmpl_arena *a = arena_new();
		tmpl_error err;
		tmpl_error_init(&err);
		ast_tree **trees;
		size_t n;
		sbuf b = SBUF_INIT;
		if (parse_text(a, func_default_library(), "t", ok_cases[i].text, strlen(ok_cases[i].text), ok_cases[i].ld,
			       ok_cases[i].rd, &trees, &n, &err) != 0) {
			sbuf_printf(&b, "error: %s", err.msg);
		} else {
			for (size_t j = 0; j < n; j++)
				sbuf_printf(&b, "%s%s", j ? " " : "", trees[j]->name);
			sbuf_puts(&b, "|");
			const ast_tree *t = tree_named(trees, n, "t");
			if (t)
				ast_string(&b, t->root);
		}
		char want[512];
		snprintf(want, sizeof want, "%s|%s", ok_cases[i].trees, ok_cases[i].main);
		tap_is(b.buf ? b.buf : "", want, ok_cases[i].text);
		sbuf_free(&b);
		tmpl_error_clear(&err);
		arena_free(a);
	}
}

int main(void)
{
	run_number_cases();
	run_node_cases();
	run_error_cases();
	run_ok_cases();
	return tap_done();
}
