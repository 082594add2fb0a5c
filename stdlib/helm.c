/* helm.c: Helm 3's template functions (pkg/engine funcs.go and engine.go): its additions to sprig's, and the sprig functions it deletes.
 *
 * Helm's FuncMap is sprig's TxtFuncMap without env and expandenv, then
 * toYaml, fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray, toToml
 * (helm_toml.c), required, fail, include, tpl and lookup. The library
 * "helm" is sprig's library with helm_hidden removed and helm_funcs on top
 * (func.c), so sprig's families reach it as they are written.
 *
 * Errors are the ones text/template reports with Helm's functions: required
 * and fail wrap their message in HELM_ERR_START...HELM_ERR_END (warnWrap),
 * which Helm's engine, not the function, later cuts out of its own error.
 * Helm's templates belong to a set named "gotpl" (template.New("gotpl")):
 * include and tpl name it in their errors, and tpl parses its text as a
 * template of that name.
 */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "fmt.h"
#include "fnarg.h"
#include "func.h"
#include "helm.h"
#include "json.h"
#include "yaml_emit.h"
#include "yaml_load.h"

/* Helm's recursionMaxNums: include's nesting bound for one template name. */
#define HELM_INCLUDE_MAX 1000
/* The name of Helm's template set (engine.go: template.New("gotpl")). */
#define HELM_SET_NAME "gotpl"

const char *const helm_hidden[] = {"env", "expandenv", NULL};

static const tv *helm_string(tmpl_call *c, const char *s, size_t n)
{
	return tv_string(c->arena, s ? s : "", s ? n : 0);
}

/* toYaml(any) string: sigs.k8s.io/yaml's Marshal without its final newline;
 * "" when marshalling fails (NaN, a map with non-string keys...). */
static int helm_to_yaml(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	tmpl_error e;
	tmpl_error_init(&e);
	if (ye_emit(b, c->args[0], YE_RULES_CURRENT, &e) < 0)
		b->len = 0;
	tmpl_error_clear(&e);
	if (b->len && b->buf[b->len - 1] == '\n')
		b->len--; /* strings.TrimSuffix(s, "\n"): one newline only */
	*r = helm_string(c, b->buf, b->len);
	return 0;
}

/* toJson(any) string: encoding/json's Marshal (HTML escaped); "" on error. */
static int helm_to_json(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	tmpl_error e;
	tmpl_error_init(&e);
	if (json_write(b, c->args[0], JSON_ESCAPE_HTML, &e) < 0)
		b->len = 0;
	tmpl_error_clear(&e);
	*r = helm_string(c, b->buf, b->len);
	return 0;
}

/* The Go type a from* function unmarshals into. */
typedef enum { HELM_INTO_MAP, HELM_INTO_LIST } helm_into;

/* What json.Unmarshal says of a top-level value of the wrong kind. */
static void helm_wrong_kind(sbuf *msg, const tv *v, helm_into into)
{
	sbuf_printf(msg, "json: cannot unmarshal %s into Go value of type %s", json_kind(v),
		    into == HELM_INTO_MAP ? "map[string]interface {}" : "[]interface {}");
}

/* The answer of a from* function: the value, or on error Helm's
 * {"Error": msg} (maps) or [msg] (lists). */
static const tv *helm_from_result(tmpl_call *c, const tv *v, const sbuf *msg, helm_into into)
{
	if (msg->len) {
		const tv *m = tv_string(c->arena, msg->buf, msg->len);
		if (into == HELM_INTO_LIST) {
			tv *l = tv_list_new(c->arena, 1);
			l->u.list.items[0] = m;
			return l;
		}
		tv *map = tv_map_new(c->arena, 1);
		tv_map_add(c->arena, map, tv_string(c->arena, "Error", 5), m);
		tv_map_seal(c->arena, map);
		return map;
	}
	if (!v || v->kind == TV_NULL) /* JSON null leaves Go's nil map or slice */
		return into == HELM_INTO_MAP ? tv_map_new(c->arena, 0) : tv_list_new(c->arena, 0);
	return v;
}

/* fromJson / fromJsonArray: encoding/json's Unmarshal into a map or slice. */
static int helm_from_json_into(tmpl_call *c, const tv **r, helm_into into)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	sbuf msg = SBUF_INIT;
	tmpl_error e;
	tmpl_error_init(&e);
	const tv *v = NULL;
	if (json_parse(c->arena, s, n, JSON_NUMBERS_FLOAT, &v, &e) < 0)
		sbuf_puts(&msg, e.msg ? e.msg : "");
	else if (v && v->kind != TV_NULL &&
		 v->kind != (into == HELM_INTO_MAP ? TV_MAP : TV_LIST))
		helm_wrong_kind(&msg, v, into);
	tmpl_error_clear(&e);
	*r = helm_from_result(c, v, &msg, into);
	sbuf_free(&msg);
	return 0;
}

static int helm_from_json(tmpl_call *c, const tv **r)
{
	return helm_from_json_into(c, r, HELM_INTO_MAP);
}

static int helm_from_json_array(tmpl_call *c, const tv **r)
{
	return helm_from_json_into(c, r, HELM_INTO_LIST);
}

/* sigs.k8s.io/yaml's YAML-to-JSON step and json.Unmarshal into interface{}
 * applied to a value read from YAML: numbers become float64, keys strings
 * (ints and bools by their text). -1 with msg set for a key JSON cannot have. */
static int helm_jsonable(tmpl_call *c, const tv *v, const tv **out, sbuf *msg)
{
	if (!v || v->kind == TV_NULL) {
		*out = &tv_null_value;
		return 0;
	}
	switch ((tv_kind)v->kind) {
	case TV_INT:
	case TV_UINT8:
		*out = tv_float(c->arena, (double)v->u.i);
		return 0;
	case TV_LIST: {
		tv *l = tv_list_new(c->arena, v->u.list.len);
		for (size_t i = 0; i < v->u.list.len; i++)
			if (helm_jsonable(c, v->u.list.items[i], &l->u.list.items[i], msg) < 0)
				return -1;
		*out = l;
		return 0;
	}
	case TV_MAP: {
		tv *m = tv_map_new(c->arena, v->u.map.len);
		sbuf k = SBUF_INIT;
		for (size_t i = 0; i < v->u.map.len; i++) {
			const tv *key = v->u.map.pairs[i].key, *val;
			k.len = 0;
			if (key->kind == TV_STRING) {
				sbuf_put(&k, key->u.s.ptr, key->u.s.len);
			} else if (key->kind == TV_INT || key->kind == TV_BOOL ||
				   key->kind == TV_FLOAT) {
				fmt_value(&k, key);
			} else {
				sbuf_printf(msg, "error converting YAML to JSON: Unsupported map key "
						 "of type: %s",
					    tv_type_name(key));
				sbuf_free(&k);
				return -1;
			}
			if (helm_jsonable(c, v->u.map.pairs[i].val, &val, msg) < 0) {
				sbuf_free(&k);
				return -1;
			}
			const tv *ks = tv_string(c->arena, k.buf ? k.buf : "", k.len);
			long at = tv_map_find_key(m, ks);
			if (at >= 0)
				m->u.map.pairs[at].val = val; /* "1" and 1: JSON's last wins */
			else
				tv_map_add(c->arena, m, ks, val);
		}
		sbuf_free(&k);
		tv_map_seal(c->arena, m);
		*out = m;
		return 0;
	}
	default:
		*out = v;
		return 0;
	}
}

/* yaml.v2's words for a YAML error: "yaml: line N: PROBLEM", where N is
 * libyaml's 0-based problem line for parser errors ("did not find expected
 * ..."), one more for scanner errors, and no context; ours is libyaml's
 * "NAME:LINE:COL: PROBLEM (while CONTEXT)" with a 1-based line. */
static void helm_yaml_v2_error(sbuf *msg, const tmpl_error *e)
{
	const char *m = e->msg ? e->msg : "";
	for (int skip = 0; skip < 3; skip++) { /* NAME:LINE:COL: */
		const char *p = strchr(m, ':');
		if (!p || e->line <= 0)
			break;
		m = p + 1;
	}
	while (*m == ' ')
		m++;
	const char *ctx = strstr(m, " (while ");
	size_t n = ctx ? (size_t)(ctx - m) : strlen(m);
	int line = e->line > 0 ? e->line : 1;
	if (strncmp(m, "did not find expected", 21) == 0 && line > 1)
		line--;
	sbuf_printf(msg, "error converting YAML to JSON: yaml: line %d: %.*s", line, (int)n, m);
}

/* fromYaml / fromYamlArray: sigs.k8s.io/yaml's Unmarshal (yaml.v2, then
 * JSON) into a map or slice. */
static int helm_from_yaml_into(tmpl_call *c, const tv **r, helm_into into)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	sbuf msg = SBUF_INIT;
	tmpl_error e;
	tmpl_error_init(&e);
	/* yaml.v2 (not strict): repeated keys, the last winning; YAML 1.1's plain scalars */
	yl_opts o = {.dup_keys_last_wins = true, .rules = YR_RULES_V2_ISTIO_1_1};
	const tv *doc = NULL, *v = NULL;
	if (yl_load_first_opts(c->arena, "yaml", s, n, &o, &doc, &e) < 0) {
		helm_yaml_v2_error(&msg, &e);
	} else if (helm_jsonable(c, doc, &v, &msg) == 0 && v && v->kind != TV_NULL &&
		   v->kind != (into == HELM_INTO_MAP ? TV_MAP : TV_LIST)) {
		sbuf_puts(&msg, "error unmarshaling JSON: while decoding JSON: ");
		helm_wrong_kind(&msg, v, into);
	}
	tmpl_error_clear(&e);
	*r = helm_from_result(c, v, &msg, into);
	sbuf_free(&msg);
	return 0;
}

static int helm_from_yaml(tmpl_call *c, const tv **r)
{
	return helm_from_yaml_into(c, r, HELM_INTO_MAP);
}

static int helm_from_yaml_array(tmpl_call *c, const tv **r)
{
	return helm_from_yaml_into(c, r, HELM_INTO_LIST);
}

/* required(warn string, val any) any: val, unless it is nil or "". */
static int helm_required(tmpl_call *c, const tv **r)
{
	const char *w;
	size_t n;
	if (fnarg_string(c, 0, &w, &n) < 0)
		return -1;
	const tv *v = c->args[1];
	if (!v || v->kind == TV_NULL || (v->kind == TV_STRING && !v->type && v->u.s.len == 0))
		return tmpl_call_errorf(c, "HELM_ERR_START%.*sHELM_ERR_END", (int)n, w);
	*r = v;
	return 0;
}

/* fail(msg string) (string, error): Helm's, wrapping the message as required does. */
static int helm_fail(tmpl_call *c, const tv **r)
{
	(void)r;
	const char *m;
	size_t n;
	if (fnarg_string(c, 0, &m, &n) < 0)
		return -1;
	return tmpl_call_errorf(c, "HELM_ERR_START%.*sHELM_ERR_END", (int)n, m);
}

/* lookup(apiVersion, kind, namespace, name string) map: what `helm template`
 * answers without a cluster: an empty map. */
static int helm_lookup(tmpl_call *c, const tv **r)
{
	for (size_t i = 0; i < 4; i++) {
		const char *s;
		size_t n;
		if (fnarg_string(c, i, &s, &n) < 0)
			return -1;
	}
	*r = tv_map_new(c->arena, 0);
	return 0;
}

/* include(name string, data any) (string, error): template NAME of the set,
 * rendered with data; at most HELM_INCLUDE_MAX + 1 renders of one name
 * nested (Helm counts the ones under way and refuses past the bound). */
static int helm_include(tmpl_call *c, const tv **r)
{
	const char *name;
	size_t n;
	if (fnarg_string(c, 0, &name, &n) < 0)
		return -1;
	if (tmpl_call_active(c, name, n) > HELM_INCLUDE_MAX)
		return tmpl_call_errorf(c,
					"rendering template has a nested reference name: %.*s: "
					"unable to execute template",
					(int)n, name);
	sbuf out = SBUF_INIT;
	tmpl_error e;
	tmpl_error_init(&e);
	int rc = tmpl_call_execute(c, name, n, c->args[1], &out, &e);
	if (rc == 1) {
		sbuf q = SBUF_INIT;
		fmt_quote(&q, name, n);
		tmpl_call_errorf(c, "template: no template %s associated with template \"%s\"",
				 q.buf, HELM_SET_NAME);
		sbuf_free(&q);
	} else if (rc < 0) {
		tmpl_call_errorf(c, "%s", e.msg ? e.msg : "");
	} else {
		*r = helm_string(c, out.buf, out.len);
	}
	tmpl_error_clear(&e);
	sbuf_free(&out);
	return rc == 0 ? 0 : -1;
}

/* Append s with every "<no value>" removed (Helm's strings.ReplaceAll). */
static void helm_drop_no_value(sbuf *b, const char *s, size_t n)
{
	static const char nv[] = "<no value>";
	size_t i = 0;
	while (i < n) {
		const char *hit = n - i >= sizeof nv - 1 ? memmem(s + i, n - i, nv, sizeof nv - 1) : NULL;
		size_t end = hit ? (size_t)(hit - s) : n;
		sbuf_put(b, s + i, end - i);
		i = hit ? end + sizeof nv - 1 : n;
	}
}

/* tpl(text string, data any) (string, error): text parsed as template
 * "gotpl" in a copy of the set (missingkey=zero, as Helm re-injects),
 * rendered with data, "<no value>" removed from what it printed. */
static int helm_tpl(tmpl_call *c, const tv **r)
{
	const char *text;
	size_t n;
	if (fnarg_string(c, 0, &text, &n) < 0)
		return -1;
	sbuf out = SBUF_INIT, q = SBUF_INIT;
	tmpl_error e;
	tmpl_error_init(&e);
	int rc = tmpl_call_parse_execute(c, HELM_SET_NAME, text, n, TMPL_MISSING_ZERO, c->args[1],
					 &out, &e);
	if (rc < 0) {
		fmt_quote(&q, text, n);
		tmpl_call_errorf(c, e.kind == TMPL_ERR_PARSE ? "cannot parse template %s: %s"
							      : "error during tpl function execution for %s: %s",
				 q.buf, e.msg ? e.msg : "");
	} else {
		sbuf *b = tmpl_call_scratch(c, 0);
		helm_drop_no_value(b, out.buf, out.len);
		*r = helm_string(c, b->buf, b->len);
	}
	tmpl_error_clear(&e);
	sbuf_free(&out);
	sbuf_free(&q);
	return rc < 0 ? -1 : 0;
}

const tmpl_func helm_funcs[] = {
	{"fail", 1, 1, FN_ARG0_STRING, helm_fail},
	{"fromJson", 1, 1, FN_ARG0_STRING, helm_from_json},
	{"fromJsonArray", 1, 1, FN_ARG0_STRING, helm_from_json_array},
	{"fromYaml", 1, 1, FN_ARG0_STRING, helm_from_yaml},
	{"fromYamlArray", 1, 1, FN_ARG0_STRING, helm_from_yaml_array},
	{"include", 2, 2, FN_ARG0_STRING, helm_include},
	{"lookup", 4, 4, FN_ARG0_STRING, helm_lookup},
	{"required", 2, 2, FN_ARG0_STRING, helm_required},
	{"toJson", 1, 1, 0, helm_to_json},
	{"toToml", 1, 1, 0, helm_to_toml},
	{"toYaml", 1, 1, 0, helm_to_yaml},
	{"tpl", 2, 2, FN_ARG0_STRING, helm_tpl},
	{NULL, 0, 0, 0, NULL}
};
