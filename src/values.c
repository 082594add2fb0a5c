/* values.c: Helm's values handling: coalescing of -f files and --set expressions (pkg/strvals).
 *
 * Values are immutable, so --set works on a small mutable tree that is
 * thawed only along the paths an expression touches and frozen back into
 * new values at the end; an expression that fails leaves the root as it was.
 *
 * Known difference: Helm's --set integers are int64 and its file numbers
 * (through JSON) float64; here both are the value model's int.
 */
#include "values.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "fmt.h"
#include "sbuf.h"
#include "utf8.h"

/* Helm's limits (strvals.MaxIndex, strvals.MaxNestedNameLevel). */
#define VS_MAX_INDEX 65536
#define VS_MAX_LEVEL 30
/* Ours: names and indexes nest at most this deep (the parser recurses). */
#define VS_MAX_DEPTH 1000

/* ---- merge ---- */

const tv *values_merge(tmpl_arena *a, const tv *base, const tv *over)
{
	if (!over)
		return base;
	if (!base || base->kind != TV_MAP || over->kind != TV_MAP)
		return over;
	tv *m = tv_map_new(a, base->u.map.len + over->u.map.len);
	for (size_t i = 0; i < base->u.map.len; i++) {
		const tv_pair *p = &base->u.map.pairs[i];
		long j = tv_map_find_key(over, p->key);
		tv_map_add(a, m, p->key, j < 0 ? p->val : values_merge(a, p->val, over->u.map.pairs[j].val));
	}
	for (size_t i = 0; i < over->u.map.len; i++) {
		const tv_pair *p = &over->u.map.pairs[i];
		if (tv_map_find_key(base, p->key) < 0)
			tv_map_add(a, m, p->key, p->val);
	}
	tv_map_seal(a, m);
	m->flags |= (base->flags | over->flags) & TVF_ANYKEYS;
	return m;
}

/* ---- the mutable tree of --set ---- */

enum { VS_LEAF, VS_MAP, VS_LIST };

typedef struct vs_node vs_node;
struct vs_node {
	int kind;
	const tv *leaf;	 /* VS_LEAF */
	const tv **keys; /* VS_MAP */
	vs_node **vals;	 /* VS_MAP values, VS_LIST items */
	size_t n, cap;
	uint8_t flags;
};

/* Parser state: the expression, read rune by rune as Go's bytes.Buffer does. */
typedef struct vs_parser {
	tmpl_arena *a;
	const char *s;
	size_t len, pos;
	int depth; /* recursion of vs_key and vs_list_item */
	sbuf msg;  /* the error, when VS_ERR */
} vs_parser;

/* Results of the parser's steps: Go's nil, io.EOF and other errors. */
enum { VS_OK = 0, VS_EOF, VS_ERR };

static vs_node *vs_leaf(vs_parser *P, const tv *v)
{
	vs_node *n = arena_alloc(P->a, sizeof *n);
	n->kind = VS_LEAF;
	n->leaf = v ? v : &tv_null_value;
	return n;
}

static vs_node *vs_new(vs_parser *P, int kind)
{
	vs_node *n = arena_alloc(P->a, sizeof *n);
	n->kind = kind;
	return n;
}

static void vs_reserve(vs_parser *P, vs_node *n, size_t need)
{
	if (need <= n->cap)
		return;
	size_t cap = n->cap ? n->cap * 2 : 8;
	while (cap < need)
		cap *= 2;
	vs_node **vals = arena_alloc(P->a, cap * sizeof *vals);
	if (n->n)
		memcpy(vals, n->vals, n->n * sizeof *vals);
	n->vals = vals;
	if (n->kind == VS_MAP) {
		const tv **keys = arena_alloc(P->a, cap * sizeof *keys);
		if (n->n)
			memcpy(keys, n->keys, n->n * sizeof *keys);
		n->keys = keys;
	}
	n->cap = cap;
}

/* Open a leaf holding a map or list for change (other leaves stay leaves). */
static void vs_thaw(vs_parser *P, vs_node *n)
{
	if (n->kind != VS_LEAF)
		return;
	const tv *v = n->leaf;
	if (v->kind == TV_MAP) {
		n->kind = VS_MAP;
		n->flags = v->flags & TVF_ANYKEYS;
		n->n = n->cap = 0;
		vs_reserve(P, n, v->u.map.len);
		for (size_t i = 0; i < v->u.map.len; i++) {
			n->keys[i] = v->u.map.pairs[i].key;
			n->vals[i] = vs_leaf(P, v->u.map.pairs[i].val);
		}
		n->n = v->u.map.len;
	} else if (v->kind == TV_LIST) {
		n->kind = VS_LIST;
		n->n = n->cap = 0;
		vs_reserve(P, n, v->u.list.len);
		for (size_t i = 0; i < v->u.list.len; i++)
			n->vals[i] = vs_leaf(P, v->u.list.items[i]);
		n->n = v->u.list.len;
	}
}

static const tv *vs_freeze(tmpl_arena *a, const vs_node *n)
{
	if (n->kind == VS_LEAF)
		return n->leaf;
	if (n->kind == VS_LIST) {
		tv *l = tv_list_new(a, n->n);
		for (size_t i = 0; i < n->n; i++)
			l->u.list.items[i] = n->vals[i] ? vs_freeze(a, n->vals[i]) : &tv_null_value;
		return l;
	}
	tv *m = tv_map_new(a, n->n);
	for (size_t i = 0; i < n->n; i++)
		tv_map_add(a, m, n->keys[i], vs_freeze(a, n->vals[i]));
	tv_map_seal(a, m);
	m->flags |= n->flags;
	return m;
}

/* The value node under string key k of map m, or NULL. */
static vs_node *vs_get(vs_node *m, const char *k, size_t klen)
{
	for (size_t i = 0; i < m->n; i++) {
		const tv *key = m->keys[i];
		if (key->kind == TV_STRING && key->u.s.len == klen && memcmp(key->u.s.ptr, k, klen) == 0)
			return m->vals[i];
	}
	return NULL;
}

/* Helm's set(): an empty key is ignored. */
static void vs_set(vs_parser *P, vs_node *m, const char *k, size_t klen, vs_node *v)
{
	if (klen == 0)
		return;
	for (size_t i = 0; i < m->n; i++) {
		const tv *key = m->keys[i];
		if (key->kind == TV_STRING && key->u.s.len == klen && memcmp(key->u.s.ptr, k, klen) == 0) {
			m->vals[i] = v;
			return;
		}
	}
	vs_reserve(P, m, m->n + 1);
	m->keys[m->n] = tv_string(P->a, k, klen);
	m->vals[m->n] = v;
	m->n++;
}

static const char *vs_go_type(const vs_node *n)
{
	if (n->kind == VS_MAP)
		return "map[string]interface {}";
	if (n->kind == VS_LIST)
		return "[]interface {}";
	if (n->leaf->kind == TV_NULL)
		return "nil";
	return tv_type_name(n->leaf);
}

static int __attribute__((format(printf, 2, 3))) vs_err(vs_parser *P, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	P->msg.len = 0;
	if (P->msg.buf)
		P->msg.buf[0] = 0;
	sbuf_vprintf(&P->msg, fmt, ap);
	va_end(ap);
	return VS_ERR;
}

/* Go's panic on a failed type assertion, as strvals' recover() words it. */
static int vs_conversion(vs_parser *P, const vs_node *n, const char *want)
{
	return vs_err(P, "unable to parse key: interface conversion: interface {} is %s, not %s",
		      vs_go_type(n), want);
}

/* ---- reading runes ---- */

/* One rune as Go's ReadRune gives it (invalid bytes: U+FFFD, one byte). */
static bool vs_read(vs_parser *P, int32_t *r, size_t *size)
{
	if (P->pos >= P->len)
		return false;
	*r = u8_decode(P->s + P->pos, P->len - P->pos, size);
	P->pos += *size;
	return true;
}

/* strvals' runesUntil: runes up to one of stop (backslash escapes the next
 * rune). Returns false at the end of input; *last is the stop rune. */
static bool vs_until(vs_parser *P, const char *stop, sbuf *out, int32_t *last)
{
	int32_t r;
	size_t size;
	out->len = 0;
	if (out->buf)
		out->buf[0] = 0;
	for (;;) {
		if (!vs_read(P, &r, &size))
			return false;
		if (r < 128 && r > 0 && strchr(stop, (int)r)) {
			*last = r;
			return true;
		}
		if (r == '\\' && !vs_read(P, &r, &size))
			return false;
		char enc[4];
		sbuf_put(out, enc, u8_encode(enc, r));
	}
}

/* Helm's typedVal: true/false/null in any case, 0, integers that do not
 * start with 0; anything else is a string. */
static vs_node *vs_typed(vs_parser *P, const char *s, size_t n)
{
	if (n == 4 && strncasecmp(s, "true", 4) == 0)
		return vs_leaf(P, tv_bool(true));
	if (n == 5 && strncasecmp(s, "false", 5) == 0)
		return vs_leaf(P, tv_bool(false));
	if (n == 4 && strncasecmp(s, "null", 4) == 0)
		return vs_leaf(P, &tv_null_value);
	if (n > 0 && s[0] != '0') {
		/* strconv.ParseInt(s, 10, 64) */
		size_t i = 0;
		bool neg = false;
		if (s[0] == '+' || s[0] == '-') {
			neg = s[0] == '-';
			i = 1;
		}
		uint64_t u = 0;
		bool ok = i < n;
		for (; ok && i < n; i++) {
			if (s[i] < '0' || s[i] > '9' || u > (UINT64_MAX - 9) / 10) {
				ok = false;
				break;
			}
			u = u * 10 + (uint64_t)(s[i] - '0');
		}
		if (ok && u <= (uint64_t)INT64_MAX + (neg ? 1 : 0)) {
			int64_t v = neg ? (u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u)
					: (int64_t)u;
			return vs_leaf(P, tv_int(P->a, v));
		}
	}
	if (n == 1 && s[0] == '0')
		return vs_leaf(P, tv_int(P->a, 0));
	return vs_leaf(P, tv_string(P->a, s, n));
}

/* strconv.Atoi's error text. */
static int vs_atoi(vs_parser *P, const sbuf *b, long *out)
{
	const char *s = b->buf ? b->buf : "";
	size_t n = b->len, i = 0;
	bool neg = false;
	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	bool syntax = i >= n;
	uint64_t u = 0;
	bool range = false;
	for (; !syntax && i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			syntax = true;
			break;
		}
		if (u > (UINT64_MAX - 9) / 10)
			range = true;
		else
			u = u * 10 + (uint64_t)(s[i] - '0');
	}
	if (!syntax && (range || u > (uint64_t)INT64_MAX + (neg ? 1 : 0)))
		range = true;
	if (syntax || range) {
		sbuf q = SBUF_INIT;
		fmt_quote(&q, s, n);
		vs_err(P, "error parsing index: strconv.Atoi: parsing %s: %s", q.buf,
		       syntax ? "invalid syntax" : "value out of range");
		sbuf_free(&q);
		return VS_ERR;
	}
	*out = !neg ? (long)u : u == 0 ? 0 : -(long)(u - 1) - 1;
	return VS_OK;
}

/* strvals' keyIndex: the digits up to ']'. */
static int vs_key_index(vs_parser *P, long *i)
{
	sbuf b = SBUF_INIT;
	int32_t last;
	int rc;
	if (!vs_until(P, "]", &b, &last))
		rc = VS_EOF; /* "error parsing index: EOF" is io.EOF to strvals' caller */
	else
		rc = vs_atoi(P, &b, i);
	sbuf_free(&b);
	return rc;
}

static int vs_set_index(vs_parser *P, vs_node *list, long i, vs_node *v)
{
	if (i < 0)
		return vs_err(P, "negative %ld index not allowed", i);
	if (i > VS_MAX_INDEX)
		return vs_err(P, "index of %ld is greater than maximum supported index of %d", i,
			      VS_MAX_INDEX);
	size_t idx = (size_t)i;
	if (idx >= list->n) {
		vs_reserve(P, list, idx + 1);
		for (size_t k = list->n; k <= idx; k++)
			list->vals[k] = vs_leaf(P, &tv_null_value);
		list->n = idx + 1;
	}
	list->vals[idx] = v;
	return VS_OK;
}

/* strvals' valList: "{a,b}" (VS_OK with *out), VS_EOF at the end, or
 * notlist when the value is not a list. */
static int vs_val_list(vs_parser *P, vs_node **out, bool *notlist)
{
	int32_t r;
	size_t size;
	*notlist = false;
	if (!vs_read(P, &r, &size))
		return VS_EOF;
	if (r != '{') {
		P->pos -= size;
		*notlist = true;
		return VS_OK;
	}
	vs_node *list = vs_new(P, VS_LIST);
	sbuf b = SBUF_INIT;
	int rc = VS_OK;
	for (;;) {
		int32_t last;
		if (!vs_until(P, ",}", &b, &last)) {
			rc = vs_err(P, "list must terminate with '}'");
			break;
		}
		vs_reserve(P, list, list->n + 1);
		list->vals[list->n++] = vs_typed(P, b.buf ? b.buf : "", b.len);
		if (last == '}') {
			/* a following ',' is consumed */
			if (vs_read(P, &r, &size) && r != ',')
				P->pos -= size;
			break;
		}
	}
	sbuf_free(&b);
	*out = list;
	return rc;
}

/* strvals' val: the runes up to ',' typed. */
static vs_node *vs_val(vs_parser *P)
{
	sbuf b = SBUF_INIT;
	int32_t last;
	vs_until(P, ",", &b, &last);
	vs_node *v = vs_typed(P, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return v;
}

static int vs_key(vs_parser *P, vs_node *data, int level);
static int vs_list_item(vs_parser *P, vs_node *list, long i, int level);

/* strvals' listItem: what follows "name[i]". */
static int vs_list_item_body(vs_parser *P, vs_node *list, long i, int level)
{
	if (i < 0)
		return vs_err(P, "negative %ld index not allowed", i);
	sbuf k = SBUF_INIT;
	int32_t last = 0;
	bool more = vs_until(P, "[.=", &k, &last);
	int rc;
	if (k.len > 0) {
		/* Go's %q of a []rune: each rune quoted */
		sbuf m = SBUF_INIT;
		sbuf_putc(&m, '[');
		size_t pos = 0;
		while (pos < k.len) {
			size_t size;
			int32_t r = u8_decode(k.buf + pos, k.len - pos, &size);
			const tv *arg = tv_int(P->a, r);
			if (pos)
				sbuf_putc(&m, ' ');
			fmt_sprintf(&m, "%q", 2, &arg, 1);
			pos += size;
		}
		sbuf_putc(&m, ']');
		rc = vs_err(P, "unexpected data at end of array index: %s", m.buf);
		sbuf_free(&m);
	} else if (!more) {
		rc = VS_EOF;
	} else if (last == '=') {
		vs_node *vl;
		bool notlist;
		rc = vs_val_list(P, &vl, &notlist);
		if (rc == VS_EOF)
			rc = vs_set_index(P, list, i, vs_leaf(P, tv_string(P->a, "", 0)));
		else if (rc == VS_OK)
			rc = vs_set_index(P, list, i, notlist ? vs_val(P) : vl);
	} else if (last == '[') {
		long next = 0;
		rc = vs_key_index(P, &next);
		if (rc == VS_OK) {
			vs_node *crt = vs_new(P, VS_LIST);
			if ((size_t)i < list->n) {
				vs_node *ex = list->vals[i];
				vs_thaw(P, ex);
				if (ex->kind == VS_LIST)
					crt = ex;
				else if (!(ex->kind == VS_LEAF && ex->leaf->kind == TV_NULL))
					rc = vs_conversion(P, ex, "[]interface {}");
			}
			if (rc == VS_OK)
				rc = vs_list_item(P, crt, next, level);
			if (rc == VS_OK)
				rc = vs_set_index(P, list, i, crt);
		}
	} else { /* '.' */
		vs_node *inner = NULL;
		if ((size_t)i < list->n) {
			inner = list->vals[i];
			vs_thaw(P, inner);
			if (inner->kind != VS_MAP) {
				inner = vs_new(P, VS_MAP);
				list->vals[i] = inner;
			}
		} else {
			inner = vs_new(P, VS_MAP);
		}
		rc = vs_key(P, inner, level);
		if (rc == VS_OK)
			rc = vs_set_index(P, list, i, inner);
	}
	sbuf_free(&k);
	return rc;
}

static int vs_list_item(vs_parser *P, vs_node *list, long i, int level)
{
	if (P->depth >= VS_MAX_DEPTH)
		return vs_err(P, "value nesting is deeper than %d levels", VS_MAX_DEPTH);
	P->depth++;
	int rc = vs_list_item_body(P, list, i, level);
	P->depth--;
	return rc;
}

/* strvals' key: one "name..." assignment into map data. */
static int vs_key_body(vs_parser *P, vs_node *data, int level)
{
	sbuf k = SBUF_INIT;
	int32_t last = 0;
	int rc;
	const char *ks;
	if (!vs_until(P, "=[,.", &k, &last)) {
		if (k.len == 0) {
			rc = VS_EOF;
		} else {
			sbuf q = SBUF_INIT;
			fmt_quote(&q, k.buf, k.len);
			rc = vs_err(P, "key %s has no value", q.buf);
			sbuf_free(&q);
		}
		goto out;
	}
	ks = k.buf ? k.buf : "";
	if (last == '[') {
		long i = 0;
		rc = vs_key_index(P, &i);
		if (rc != VS_OK)
			goto out;
		vs_node *list = vs_get(data, ks, k.len);
		if (list) {
			vs_thaw(P, list);
			if (list->kind != VS_LIST) {
				rc = vs_conversion(P, list, "[]interface {}");
				goto out;
			}
		} else {
			list = vs_new(P, VS_LIST);
		}
		rc = vs_list_item(P, list, i, level);
		vs_set(P, data, ks, k.len, list);
	} else if (last == '=') {
		vs_node *vl;
		bool notlist;
		rc = vs_val_list(P, &vl, &notlist);
		if (rc == VS_EOF)
			vs_set(P, data, ks, k.len, vs_leaf(P, tv_string(P->a, "", 0)));
		else if (rc == VS_OK)
			vs_set(P, data, ks, k.len, notlist ? vs_val(P) : vl);
	} else if (last == ',') {
		vs_set(P, data, ks, k.len, vs_leaf(P, tv_string(P->a, "", 0)));
		sbuf q = SBUF_INIT;
		fmt_quote(&q, ks, k.len);
		rc = vs_err(P, "key %s has no value (cannot end with ,)", q.buf);
		sbuf_free(&q);
	} else { /* '.' */
		if (++level > VS_MAX_LEVEL) {
			rc = vs_err(P,
				    "value name nested level is greater than maximum supported nested level of %d",
				    VS_MAX_LEVEL);
			goto out;
		}
		vs_node *inner = vs_get(data, ks, k.len);
		if (inner) {
			vs_thaw(P, inner);
			if (inner->kind != VS_MAP) {
				rc = vs_conversion(P, inner, "map[string]interface {}");
				goto out;
			}
		} else {
			inner = vs_new(P, VS_MAP);
		}
		rc = vs_key(P, inner, level);
		if (rc == VS_OK && inner->n == 0) {
			sbuf q = SBUF_INIT;
			fmt_quote(&q, ks, k.len);
			rc = vs_err(P, "key map %s has no value", q.buf);
			sbuf_free(&q);
		}
		if (inner->n != 0)
			vs_set(P, data, ks, k.len, inner);
	}
out:
	sbuf_free(&k);
	return rc;
}

static int vs_key(vs_parser *P, vs_node *data, int level)
{
	if (P->depth >= VS_MAX_DEPTH)
		return vs_err(P, "value nesting is deeper than %d levels", VS_MAX_DEPTH);
	P->depth++;
	int rc = vs_key_body(P, data, level);
	P->depth--;
	return rc;
}

int values_set(tmpl_arena *a, const tv **root, const char *expr, tmpl_error *err)
{
	vs_parser P = {a, expr, strlen(expr), 0, 0, SBUF_INIT};
	const tv *r = *root;
	vs_node *top = vs_leaf(&P, r && r->kind == TV_MAP ? r : NULL);
	if (top->leaf->kind == TV_MAP)
		vs_thaw(&P, top);
	else
		top->kind = VS_MAP;
	int rc;
	while ((rc = vs_key(&P, top, 0)) == VS_OK)
		;
	if (rc == VS_ERR) {
		tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "--set %s: %s", expr,
			       P.msg.buf ? P.msg.buf : "parse error");
		sbuf_free(&P.msg);
		return -1;
	}
	sbuf_free(&P.msg);
	*root = vs_freeze(a, top);
	return 0;
}
