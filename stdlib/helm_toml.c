/* helm_toml.c: Helm's toToml: values as BurntSushi/toml's Encoder writes them (tables after plain keys, keys sorted, two spaces per nesting level).
 *
 * The encoder's rules for the values YAML gives: a map is a table, its
 * keys sorted bytewise, the ones that are not tables (nor lists of tables)
 * first as `key = value`, then the sub-tables as `[a.b]` headers and lists
 * of maps as `[[a.b]]`; a top-level table is preceded by an empty line once
 * something was written; a line inside table a.b is indented by two spaces
 * per level below the top. Nil values are skipped; a list with a nil
 * element, a map with a non-string key or a top level that is no map is an
 * error, whose text is the result (Helm returns err.Error()).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "helm.h"

typedef struct toml_enc {
	tmpl_arena *a;
	sbuf *out;
	bool written;
	const char *err;
	const char *path[64]; /* the key of the table being written */
	size_t plen[64];
	size_t depth;
} toml_enc;

static void toml_newline(toml_enc *e)
{
	if (e->written)
		sbuf_putc(e->out, '\n');
}

static void toml_indent(toml_enc *e, size_t keylen)
{
	for (size_t i = 1; i < keylen; i++)
		sbuf_puts(e->out, "  ");
}

/* A key part: bare when it is letters, digits, '_' and '-' only. */
static void toml_key(sbuf *o, const char *s, size_t n)
{
	bool bare = n > 0;
	for (size_t i = 0; i < n && bare; i++) {
		char ch = s[i];
		bare = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
	}
	if (bare) {
		sbuf_put(o, s, n);
		return;
	}
	sbuf_putc(o, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			sbuf_printf(o, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			sbuf_printf(o, "\\u%04x", ch);
		else
			sbuf_putc(o, (char)ch);
	}
	sbuf_putc(o, '"');
}

/* dblQuotedReplacer: ", \ and control characters escaped. */
static void toml_string(sbuf *o, const char *s, size_t n)
{
	sbuf_putc(o, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		switch (ch) {
		case '"': sbuf_puts(o, "\\\""); break;
		case '\\': sbuf_puts(o, "\\\\"); break;
		case '\b': sbuf_puts(o, "\\b"); break;
		case '\t': sbuf_puts(o, "\\t"); break;
		case '\n': sbuf_puts(o, "\\n"); break;
		case '\f': sbuf_puts(o, "\\f"); break;
		case '\r': sbuf_puts(o, "\\r"); break;
		default:
			if (ch < 0x20 || ch == 0x7f)
				sbuf_printf(o, "\\u%04x", ch);
			else
				sbuf_putc(o, (char)ch);
		}
	}
	sbuf_putc(o, '"');
}

static bool toml_is_table(const tv *v)
{
	return v && (v->kind == TV_MAP || v->kind == TV_STRUCT);
}

/* A list whose first element is a map: an array of tables. */
static bool toml_is_table_list(const tv *v)
{
	return v && v->kind == TV_LIST && v->u.list.len > 0 && toml_is_table(v->u.list.items[0]);
}

static void toml_element(toml_enc *e, const tv *v);

static void toml_inline_map(toml_enc *e, const tv *v);

static void toml_element(toml_enc *e, const tv *v)
{
	sbuf *o = e->out;
	switch (v->kind) {
	case TV_STRING:
		toml_string(o, v->u.s.ptr, v->u.s.len);
		break;
	case TV_BOOL:
		sbuf_puts(o, v->u.b ? "true" : "false");
		break;
	case TV_INT:
	case TV_UINT8:
		sbuf_printf(o, "%lld", (long long)v->u.i);
		break;
	case TV_FLOAT: {
		double f = v->u.f;
		if (isnan(f)) {
			sbuf_puts(o, "nan");
		} else if (isinf(f)) {
			sbuf_puts(o, f < 0 ? "-inf" : "+inf");
		} else {
			/* strconv.FormatFloat(f, 'f', -1, 64), then ".0" when no '.' */
			char buf[512];
			int n = 0;
			for (int prec = 0; prec <= 340; prec++) {
				n = snprintf(buf, sizeof buf, "%.*f", prec, f);
				double back;
				if (sscanf(buf, "%lf", &back) == 1 && back == f)
					break;
			}
			sbuf_put(o, buf, (size_t)n);
			if (!memchr(buf, '.', (size_t)n))
				sbuf_puts(o, ".0");
		}
		break;
	}
	case TV_LIST:
		for (size_t i = 0; i < v->u.list.len; i++)
			if (v->u.list.items[i]->kind == TV_NULL) {
				e->err = "toml: cannot encode array with nil element";
				return;
			}
		sbuf_putc(o, '[');
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				sbuf_puts(o, ", ");
			toml_element(e, v->u.list.items[i]);
		}
		sbuf_putc(o, ']');
		break;
	case TV_MAP:
		toml_inline_map(e, v);
		break;
	default:
		e->err = "toml: unsupported type";
	}
}

/* A map inside an array: {a = 1, b = 2}. */
static void toml_inline_map(toml_enc *e, const tv *v)
{
	if (v->flags & TVF_ANYKEYS) {
		e->err = "toml: cannot encode a map with non-string key type";
		return;
	}
	const tv_pair *p = tv_map_sorted(e->a, v);
	sbuf_putc(e->out, '{');
	bool first = true;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < v->u.map.len; i++) {
			const tv *val = p[i].val;
			if (!val || val->kind == TV_NULL || toml_is_table(val) != (pass == 1))
				continue;
			if (!first)
				sbuf_puts(e->out, ", ");
			first = false;
			toml_key(e->out, p[i].key->u.s.ptr, p[i].key->u.s.len);
			sbuf_puts(e->out, " = ");
			toml_element(e, val);
		}
	sbuf_putc(e->out, '}');
}

static void toml_header(toml_enc *e, const char *open, const char *close)
{
	toml_indent(e, e->depth);
	sbuf_puts(e->out, open);
	for (size_t i = 0; i < e->depth; i++) {
		if (i)
			sbuf_putc(e->out, '.');
		toml_key(e->out, e->path[i], e->plen[i]);
	}
	sbuf_puts(e->out, close);
	e->written = true;
	toml_newline(e);
}

static void toml_table_body(toml_enc *e, const tv *m);

static void toml_entry(toml_enc *e, const char *k, size_t kn, const tv *val)
{
	if (e->depth == sizeof e->path / sizeof e->path[0]) {
		e->err = "toml: nesting too deep";
		return;
	}
	e->path[e->depth] = k;
	e->plen[e->depth] = kn;
	e->depth++;
	if (toml_is_table(val)) {
		if (e->depth == 1)
			toml_newline(e);
		toml_header(e, "[", "]");
		toml_table_body(e, val);
	} else if (toml_is_table_list(val)) {
		for (size_t i = 0; i < val->u.list.len && !e->err; i++) {
			const tv *t = val->u.list.items[i];
			if (t->kind == TV_NULL)
				continue;
			if (!toml_is_table(t)) {
				e->err = "toml: cannot encode an array mixing tables and values";
				break;
			}
			toml_newline(e);
			toml_header(e, "[[", "]]");
			toml_table_body(e, t);
		}
	} else {
		toml_indent(e, e->depth);
		toml_key(e->out, k, kn);
		sbuf_puts(e->out, " = ");
		toml_element(e, val);
		e->written = true;
		toml_newline(e);
	}
	e->depth--;
}

static void toml_table_body(toml_enc *e, const tv *m)
{
	if (m->kind == TV_STRUCT)
		m = m->u.strct.raw;
	if (!m)
		return;
	if (m->flags & TVF_ANYKEYS) {
		e->err = "toml: cannot encode a map with non-string key type";
		return;
	}
	const tv_pair *p = tv_map_sorted(e->a, m);
	for (int pass = 0; pass < 2 && !e->err; pass++)
		for (size_t i = 0; i < m->u.map.len && !e->err; i++) {
			const tv *val = p[i].val;
			bool sub = toml_is_table(val) || toml_is_table_list(val);
			if (!val || val->kind == TV_NULL || sub != (pass == 1))
				continue;
			toml_entry(e, p[i].key->u.s.ptr, p[i].key->u.s.len, val);
		}
}

int helm_to_toml(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	sbuf *b = tmpl_call_scratch(c, 0);
	toml_enc e = {.a = c->arena, .out = b};
	if (v && v->kind != TV_NULL) {
		if (!toml_is_table(v))
			e.err = "toml: top-level values must be Go maps or structs";
		else
			toml_table_body(&e, v);
	}
	if (e.err)
		*r = tv_string(c->arena, e.err, strlen(e.err));
	else
		*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}
