/* sprig_json.c: sprig's toJson, toPrettyJson, toRawJson, fromJson and their must* variants, over the one JSON reader and writer (src/json.c, Go's encoding/json).
 *
 * sprig's plain forms hide errors: toJson and toPrettyJson give "", fromJson
 * gives nil (Go's interface{} left unset); toRawJson alone panics, which
 * text/template reports like a returned error. The must* forms return the
 * error: Go's json texts ("json: unsupported value: +Inf", "invalid character
 * 'x' looking for beginning of value").
 */
#include <string.h>

#include "builtin.h"
#include "fnarg.h"
#include "json.h"
#include "sprig.h"

/* Marshal argument 0 with flags; on error: "" when quiet, else the error. */
static int sjson_marshal(tmpl_call *c, unsigned flags, bool quiet, const tv **r)
{
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
	/* the text may be far larger than its value (indentation of deep nesting) */
	if (tmpl_call_budget(c, b->len) < 0)
		return -1;
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
