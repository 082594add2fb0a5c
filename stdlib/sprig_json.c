/* sprig_json.c: sprig's toJson, toPrettyJson, toRawJson, fromJson and their must* variants, over the one JSON reader and writer (src/json.c, Go's encoding/json).
 *
 * sprig's plain forms hide errors: toJson and toPrettyJson give "", fromJson
 * gives nil (Go's interface{} left unset); toRawJson alone panics, which
 * text/template reports like a returned error. The must* forms return the
 * error: Go's json texts ("json: unsupported value: +Inf", "invalid character
 * 'x' looking for beginning of value").
 */
#include <stdint.h>
#include <string.h>

#include "builtin.h"
#include "fnarg.h"
#include "json.h"
#include "sprig.h"
#include "stack_guard.h"

/* A lower bound of v's JSON text at nesting level depth (indent: two spaces
 * a level), counting stops once past cap. A value a template builds can hold
 * one list many times over (`$x = list $x $x`) or nest deeply, and its
 * indented text grows as the square of the depth: the render's memory bound
 * is asked before such a text is written. */
static uint64_t sjson_estimate(const tv *v, uint64_t depth, bool indent, uint64_t cap)
{
	if (!v) /* recursion as deep as json_write's own */
		return 4;
	if (stack_guard_low()) /* json_write itself will refuse this depth */
		return 1;
	if (v->kind == TV_STRUCT)
		return v->u.strct.raw ? sjson_estimate(v->u.strct.raw, depth, indent, cap) : 4;
	if (v->kind == TV_STRING)
		return v->u.s.len + 2;
	if (v->kind != TV_LIST && v->kind != TV_MAP)
		return 1;
	bool list = v->kind == TV_LIST;
	size_t n = list ? v->u.list.len : v->u.map.len;
	uint64_t total = 2 + (indent && n ? 2 * depth + 1 : 0);
	for (size_t i = 0; i < n && total <= cap; i++) {
		total += 1 + (indent ? 2 * (depth + 1) + 1 : 0); /* comma, newline, indent */
		if (!list)
			total += v->u.map.pairs[i].key->u.s.len + 3;
		const tv *e = list ? v->u.list.items[i] : v->u.map.pairs[i].val;
		total += sjson_estimate(e, depth + 1, indent, total < cap ? cap - total : 0);
	}
	return total;
}

/* Ask the render's memory bound for v's text, in doubling steps so that a
 * huge value costs no more counting than the bound allows. */
static int sjson_budget(tmpl_call *c, const tv *v, bool indent)
{
	for (uint64_t cap = 1u << 20; cap < ((uint64_t)1 << 62); cap *= 2) {
		uint64_t est = sjson_estimate(v, 0, indent, cap);
		if (tmpl_call_budget(c, est < cap ? est : cap) < 0)
			return -1;
		if (est <= cap)
			return 0;
	}
	return 0;
}

/* Marshal argument 0 with flags; on error: "" when quiet, else the error. */
static int sjson_marshal(tmpl_call *c, unsigned flags, bool quiet, const tv **r)
{
	if (sjson_budget(c, c->args[0], (flags & JSON_INDENT2) != 0) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	tmpl_error e;
	tmpl_error_init(&e);
	if (json_write(b, c->args[0], flags, &e) < 0) {
		if (!quiet) {
			int rc = tmpl_call_errorf(c, "%s", e.msg ? e.msg : "json: error");
			tmpl_error_clear(&e);
			return rc;
		}
		b->len = 0;
	}
	tmpl_error_clear(&e);
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

static int sjson_to_json(tmpl_call *c, const tv **r)
{
	return sjson_marshal(c, JSON_ESCAPE_HTML, true, r);
}

static int sjson_must_to_json(tmpl_call *c, const tv **r)
{
	return sjson_marshal(c, JSON_ESCAPE_HTML, false, r);
}

static int sjson_to_pretty_json(tmpl_call *c, const tv **r)
{
	return sjson_marshal(c, JSON_ESCAPE_HTML | JSON_INDENT2, true, r);
}

static int sjson_must_to_pretty_json(tmpl_call *c, const tv **r)
{
	return sjson_marshal(c, JSON_ESCAPE_HTML | JSON_INDENT2, false, r);
}

/* toRawJson panics on error and mustToRawJson returns it: the same text. */
static int sjson_to_raw_json(tmpl_call *c, const tv **r)
{
	return sjson_marshal(c, 0, false, r);
}

/* json.Unmarshal into interface{}: numbers as float64, objects as
 * map[string]interface{}. */
static int sjson_unmarshal(tmpl_call *c, bool quiet, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	tmpl_error e;
	tmpl_error_init(&e);
	if (json_parse(c->arena, s, n, JSON_NUMBERS_FLOAT, r, &e) < 0) {
		if (!quiet) {
			int rc = tmpl_call_errorf(c, "%s", e.msg ? e.msg : "json: error");
			tmpl_error_clear(&e);
			return rc;
		}
		*r = TV_NOVALUE;
	} else if ((*r)->kind == TV_NULL) {
		*r = TV_NOVALUE; /* "null" leaves the interface{} nil */
	}
	tmpl_error_clear(&e);
	return 0;
}

static int sjson_from_json(tmpl_call *c, const tv **r)
{
	return sjson_unmarshal(c, true, r);
}

static int sjson_must_from_json(tmpl_call *c, const tv **r)
{
	return sjson_unmarshal(c, false, r);
}

const tmpl_func sprig_json_funcs[] = {
	{"fromJson", 1, 1, 0, sjson_from_json},
	{"mustFromJson", 1, 1, 0, sjson_must_from_json},
	{"mustToJson", 1, 1, 0, sjson_must_to_json},
	{"mustToPrettyJson", 1, 1, 0, sjson_must_to_pretty_json},
	{"mustToRawJson", 1, 1, 0, sjson_to_raw_json},
	{"toJson", 1, 1, 0, sjson_to_json},
	{"toPrettyJson", 1, 1, 0, sjson_to_pretty_json},
	{"toRawJson", 1, 1, 0, sjson_to_raw_json},
	{NULL, 0, 0, 0, NULL}
};
