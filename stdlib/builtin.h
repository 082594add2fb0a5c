/* builtin.h: Go's predefined template functions, one per builtin_funcs[] row. */
#ifndef TMPL_BUILTIN_H
#define TMPL_BUILTIN_H

#include "func.h"
#include "sbuf.h"

/* An emptied buffer (i = 0 or 1) owned by the render, for building a result
 * before copying it into the arena: no malloc per call (src/eval.c). Other
 * functions reuse it, so it does not survive a tmpl_call_arg. */
sbuf *tmpl_call_scratch(tmpl_call *c, int i);

/* Was argument i (as in tmpl_call.args) of static Go type interface {}: an
 * element fetched from a map or list, or range's dot? Go's slice rejects
 * such indexes without looking inside (src/eval.c). */
bool tmpl_call_arg_is_iface(tmpl_call *c, size_t i);

/* Argument i (as in tmpl_call.args) does not convert to its Go parameter
 * type want ("int", "map[string]interface {}"): Go's evalArg error, at that
 * argument's node: "expected integer; found \"x\"" or "can't handle 1 for
 * arg of type ..." for a constant, "cannot assign nil to string", else
 * validateType's "wrong type for value; expected int; got string". -1. */
int tmpl_call_param_error(tmpl_call *c, size_t i, const char *want, const tv *got);

/* map is about to be changed in place (tv_map_put, tv_map_del): the render
 * notes it as it is, to put it back when the render ends (tmpl_value.h). */
void tmpl_call_will_change(tmpl_call *c, tv *map);

/* logic.c */
int bi_and(tmpl_call *c, const tv **r);
int bi_or(tmpl_call *c, const tv **r);
int bi_not(tmpl_call *c, const tv **r);
/* compare.c */
int bi_eq(tmpl_call *c, const tv **r);
int bi_ne(tmpl_call *c, const tv **r);
int bi_lt(tmpl_call *c, const tv **r);
int bi_le(tmpl_call *c, const tv **r);
int bi_gt(tmpl_call *c, const tv **r);
int bi_ge(tmpl_call *c, const tv **r);
/* collection.c */
int bi_len(tmpl_call *c, const tv **r);
int bi_index(tmpl_call *c, const tv **r);
int bi_slice(tmpl_call *c, const tv **r);
int bi_call(tmpl_call *c, const tv **r);
/* print.c */
int bi_print(tmpl_call *c, const tv **r);
int bi_printf(tmpl_call *c, const tv **r);
int bi_println(tmpl_call *c, const tv **r);
/* escape.c */
int bi_html(tmpl_call *c, const tv **r);
int bi_js(tmpl_call *c, const tv **r);
int bi_urlquery(tmpl_call *c, const tv **r);

#endif
