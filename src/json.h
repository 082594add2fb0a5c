/* json.h: JSON text to values and back, as Go's encoding/json reads and writes it. */
#ifndef TMPL_JSON_H
#define TMPL_JSON_H

#include <stddef.h>

#include "sbuf.h"
#include "error.h"
#include "sbuf.h"
#include "tmpl_value.h"

enum {
	JSON_NUMBERS_FLOAT = 1u << 0, /* every number is a float64 (Go's interface{} decode) */
	JSON_ESCAPE_HTML = 1u << 1,   /* writer: <, >, & as \u003c \u003e \u0026 (json.Marshal) */
	JSON_INDENT2 = 1u << 2        /* writer: json.MarshalIndent(v, "", "  ") */
};

/* Parse one JSON value (RFC 8259, Go's error texts: "invalid character 'x'
 * looking for beginning of value", "unexpected end of JSON input"). Without
 * JSON_NUMBERS_FLOAT, integral numbers that fit int64 become TV_INT. Object
 * keys keep document order; duplicates: the last wins, as in Go. */
int json_parse(tmpl_arena *a, const char *text, size_t len, unsigned flags, const tv **out,
	       tmpl_error *err);
/* Write v as Go's json.Marshal does: map keys sorted, floats in Go's JSON
 * form, strings with Go's escaping (invalid UTF-8 as \ufffd, U+2028/U+2029
 * escaped). Typed values are written in their JSON form (types_normalize). */
int json_write(sbuf *out, const tv *v, unsigned flags, tmpl_error *err);
/* Write bytes [s, s+len) as one JSON string, escaped as json_write escapes
 * strings (flags: JSON_ESCAPE_HTML or 0). */
void json_write_string(sbuf *out, const char *s, size_t len, unsigned flags);
/* Go's word for a JSON value's kind in unmarshal errors ("cannot unmarshal
 * array into ..."): null, bool, number, string, array or object. */
const char *json_kind(const tv *v);

#endif
