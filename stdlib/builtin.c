/* builtin.c: the table of Go text/template's predefined functions. */
#include "func.h"

#include "builtin.h"

const tmpl_func builtin_funcs[] = {
	{"and", 1, -1, FN_LAZY, bi_and},
	{"call", 1, -1, 0, bi_call},
	{"eq", 1, -1, 0, bi_eq},
	{"ge", 2, 2, 0, bi_ge},
	{"gt", 2, 2, 0, bi_gt},
	{"html", 0, -1, 0, bi_html},
	{"index", 1, -1, 0, bi_index},
	{"js", 0, -1, 0, bi_js},
	{"le", 2, 2, 0, bi_le},
	{"len", 1, 1, 0, bi_len},
	{"lt", 2, 2, 0, bi_lt},
	{"ne", 2, 2, 0, bi_ne},
	{"not", 1, 1, 0, bi_not},
	{"or", 1, -1, FN_LAZY, bi_or},
	{"print", 0, -1, 0, bi_print},
	{"printf", 1, -1, FN_ARG0_STRING, bi_printf},
	{"println", 0, -1, 0, bi_println},
	{"slice", 1, -1, 0, bi_slice},
	{"urlquery", 0, -1, 0, bi_urlquery},
	{NULL, 0, 0, 0, NULL}
};
