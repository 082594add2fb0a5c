/* sprig.h: sprig's (Masterminds/sprig v3) function families, one table per family, and what they share: sprig's views of Go interface values. */
#ifndef TMPL_SPRIG_H
#define TMPL_SPRIG_H

#include <stdbool.h>

#include "func.h"
#include "sbuf.h"

/* Tables, each ending with a row whose name is NULL. */
extern const tmpl_func sprig_strings_funcs[];  /* sprig_strings.c */
extern const tmpl_func sprig_defaults_funcs[]; /* sprig_defaults.c */
extern const tmpl_func sprig_lists_funcs[];    /* sprig_lists.c */
extern const tmpl_func sprig_math_funcs[];     /* sprig_math.c */
extern const tmpl_func sprig_random_funcs[], sprig_crypto_funcs[], sprig_x509_funcs[]; /* sprig_random.c, sprig_crypto.c, sprig_x509.c */
extern const tmpl_func sprig_dicts_funcs[];    /* sprig_dicts.c */
extern const tmpl_func sprig_reflect_funcs[];  /* sprig_reflect.c */
extern const tmpl_func sprig_encoding_funcs[], sprig_json_funcs[], sprig_paths_funcs[], sprig_url_funcs[], sprig_os_funcs[]; /* sprig_encoding.c, sprig_json.c, sprig_paths.c, sprig_url.c, sprig_os.c */
extern const tmpl_func sprig_dates_funcs[];    /* sprig_dates.c */
extern const tmpl_func sprig_regex_funcs[];    /* sprig_regex.c */
extern const tmpl_func sprig_semver_funcs[];   /* sprig_semver.c */

/* sprig's strval: a string as it is, anything else as fmt's %v ("<nil>" for nil).
 * Returns fmt_value's result: -1 for a value nested too deeply to print. */
int sprig_strval(sbuf *out, const tv *v);
/* sprig_strval in a function: -1 with the error FMT_TOO_DEEP set on c. */
int sprig_strval_call(tmpl_call *c, sbuf *out, const tv *v);
/* sprig's empty: nil, false, 0, and empty strings, lists and maps; never a struct. */
bool sprig_empty(const tv *v);
/* Go's reflect.DeepEqual of two interface values (the dynamic types must match). */
bool sprig_deep_equal(const tv *a, const tv *b);
/* Go's reflect.Kind name of v's dynamic type ("map", "string", "int", "ptr"...);
 * v is not nil. */
const char *sprig_kind_name(const tv *v);
/* Go's %T of v as an interface {} value: "<nil>" for nil, the typed name
 * ("int64", "[]string", "v1.ObjectMeta") or YAML's ("map[string]interface {}"). */
const char *sprig_dyn_type(const tv *v);
/* Is v a Go slice or array (reflect.Slice, reflect.Array)? */
bool sprig_is_list(const tv *v);
/* Is v a nil interface (reflect.TypeOf(v) == nil)? */
bool sprig_is_nil(const tv *v);
/* Go's answer to reflect.TypeOf(nil).Kind(): a nil pointer dereference that
 * text/template recovers; returns -1. */
int sprig_nil_panic(tmpl_call *c);
/* sprig's strslice: a list's non-nil elements as strval strings (a []string
 * value), nil as an empty list, anything else as a one-element list; NULL
 * with FMT_TOO_DEEP set on c for a value nested too deeply to print. */
const tv *sprig_strslice(tmpl_call *c, const tv *v);
/* spf13/cast's ToInt64 (as ToInt on 64-bit Go): numbers truncated, bools 1/0,
 * strings parsed as strconv.ParseInt(s, 0, 0) after a zero decimal part is
 * trimmed, anything else 0. */
int64_t sprig_to_int(const tv *v);

#endif
