/* types_norm.c: what Go's encoding/json writes for YAML decoded into a Go type of the tables (types_normalize). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_impl.h"
#include "fmt.h"
#include "types.h"

/* One decode: the arena of the result, the error, the mode, and Go's
 * errorContext (the struct being decoded and the JSON names of the fields
 * entered, for "Go struct field Container.spec.containers.image"). */
#define NORM_MAX_PATH 256
typedef struct norm_ctx {
	tmpl_arena *a;
	tmpl_error *err;
	unsigned flags;
	int nocoerce;             /* >0: ghodss passes no target here (promoted fields) */
	const tmpl_type *strct;   /* errorContext.Struct */
	const char *path[NORM_MAX_PATH];
	size_t depth;             /* errorContext.FieldStack length */
} norm_ctx;

static const tv norm_empty_string = {.kind = TV_STRING, .u.s = {"", 0}};
static const tv norm_zero_int = {.kind = TV_INT};
static const tv norm_zero_float = {.kind = TV_FLOAT};
static const tv norm_zero_quantity = {.kind = TV_STRING, .u.s = {"0", 1}};
static const tv norm_zero_duration = {.kind = TV_STRING, .u.s = {"0s", 2}};

/* ---- errors ---------------------------------------------------------- */

/* Go's reflect name of a struct type: "v1.Container" -> "Container". */
static const char *norm_struct_name(const tmpl_type *t)
{
	const char *n = t->go_name ? t->go_name : "";
	const char *dot = strrchr(n, '.');
	return dot ? dot + 1 : n;
}

/* The type Go's decoder reports: pointers are dereferenced first. */
static const char *norm_type_name(const tmpl_type *t)
{
	while (t->kind == TK_PTR && t->elem)
		t = t->elem;
	const char *n = t->go_name ? t->go_name : "?";
	return n;
}

static void norm_path(norm_ctx *c, sbuf *b)
{
	size_t n = c->depth < NORM_MAX_PATH ? c->depth : NORM_MAX_PATH;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_putc(b, '.');
		sbuf_puts(b, c->path[i]);
	}
}

/* json.UnmarshalTypeError: "json: cannot unmarshal WHAT into Go struct field
 * S.PATH of type T" (or "Go value of type T" outside any struct). */
static int norm_type_error(norm_ctx *c, const char *what, const char *type_name)
{
	sbuf b = SBUF_INIT;
	int rc;
	if (c->strct || c->depth) {
		if ((c->flags & TYPES_NORM_GO111) && c->depth)
			sbuf_puts(&b, c->path[(c->depth < NORM_MAX_PATH ? c->depth : NORM_MAX_PATH) - 1]);
		else
			norm_path(c, &b);
		rc = tmpl_error_set(c->err, TMPL_ERR_DATA, NULL, 0, 0,
				    "json: cannot unmarshal %s into Go struct field %s.%s of type %s",
				    what, c->strct ? norm_struct_name(c->strct) : "", b.buf ? b.buf : "",
				    type_name);
	} else {
		rc = tmpl_error_set(c->err, TMPL_ERR_DATA, NULL, 0, 0,
				    "json: cannot unmarshal %s into Go value of type %s", what, type_name);
	}
	sbuf_free(&b);
	return rc;
}

static const char *norm_kind_word(const tv *raw)
{
	switch (raw->kind) {
	case TV_STRING: return "string";
	case TV_INT: case TV_UINT8: case TV_FLOAT: return "number";
	case TV_BOOL: return "bool";
	case TV_LIST: return "array";
	case TV_MAP: case TV_STRUCT: return "object";
	default: return "null";
	}
}

static int norm_mismatch(norm_ctx *c, const tmpl_type *t, const tv *raw)
{
	return norm_type_error(c, norm_kind_word(raw), norm_type_name(t));
}

/* ---- scalar texts ---------------------------------------------------- */

/* Go's encoding/json text of a float64 (what YAML->JSON writes for a YAML float). */
static void norm_json_float(sbuf *b, double f)
{
	double abs = fabs(f);
	char verb = (abs != 0 && (abs < 1e-6 || abs >= 1e21)) ? 'e' : 'f';
	size_t start = b->len;
	fmt_strconv_float(b, f, verb, -1);
	if (verb == 'e') {
		size_t n = b->len - start;
		char *p = b->buf + start;
		if (n >= 4 && p[n - 4] == 'e' && p[n - 3] == '-' && p[n - 2] == '0') {
			p[n - 2] = p[n - 1];
			b->len--;
			b->buf[b->len] = '\0';
		}
	}
}

/* The JSON text of a YAML number, as the decoder's error quotes it. */
static void norm_number_text(sbuf *b, const tv *raw)
{
	if (raw->kind == TV_FLOAT)
		norm_json_float(b, raw->u.f);
	else
		sbuf_put_int(b, (long long)raw->u.i);
}

static const tv *norm_sbuf_string(norm_ctx *c, sbuf *b)
{
	const tv *v = tv_string(c->a, b->buf ? b->buf : "", b->len);
	sbuf_free(b);
	return v;
}

/* ---- resource.Quantity (types_quantity.c) ----------------------------- */

static int norm_quantity(norm_ctx *c, const tv *raw, const tv **out)
{
	sbuf b = SBUF_INIT;
	int rc;
	switch (raw->kind) {
	case TV_STRING:
		return types_quantity_canon(c->a, raw->u.s.ptr, raw->u.s.len, out, c->err);
	case TV_INT:
	case TV_UINT8:
	case TV_FLOAT:
		norm_number_text(&b, raw);
		rc = types_quantity_canon(c->a, b.buf, b.len, out, c->err);
		sbuf_free(&b);
		return rc;
	default:
		/* UnmarshalJSON parses the JSON text of a bool, list or map as a
		 * quantity: the empty text's "must match" error */
		return types_quantity_canon(c->a, "", 0, out, c->err);
	}
}

/* ---- metav1.Time ------------------------------------------------------- */

static long long norm_days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void norm_civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

static bool norm_digits(const char *s, size_t n, size_t at, size_t k, int *v)
{
	if (at + k > n)
		return false;
	*v = 0;
	for (size_t i = at; i < at + k; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/* time.Parse(time.RFC3339, s) then .UTC().Format(time.RFC3339). */
static int norm_time(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out)
{
	if (raw->kind != TV_STRING)
		return norm_type_error(c, norm_kind_word(raw), "string");
	const char *s = raw->u.s.ptr;
	size_t n = raw->u.s.len, p = 19;
	int Y, M, D, h, mi, se, oh = 0, om = 0, sign = 0;
	bool ok = norm_digits(s, n, 0, 4, &Y) && n > 4 && s[4] == '-' &&
		  norm_digits(s, n, 5, 2, &M) && n > 7 && s[7] == '-' &&
		  norm_digits(s, n, 8, 2, &D) && n > 10 && s[10] == 'T' &&
		  norm_digits(s, n, 11, 2, &h) && n > 13 && s[13] == ':' &&
		  norm_digits(s, n, 14, 2, &mi) && n > 16 && s[16] == ':' &&
		  norm_digits(s, n, 17, 2, &se);
	if (ok && p < n && s[p] == '.') {
		p++;
		size_t st = p;
		while (p < n && s[p] >= '0' && s[p] <= '9')
			p++;
		ok = p > st;
	}
	if (ok && p < n && s[p] == 'Z') {
		p++;
	} else if (ok && p < n && (s[p] == '+' || s[p] == '-')) {
		sign = s[p] == '-' ? -1 : 1;
		ok = norm_digits(s, n, p + 1, 2, &oh) && p + 3 < n && s[p + 3] == ':' &&
		     norm_digits(s, n, p + 4, 2, &om);
		p += 6;
	} else {
		ok = false;
	}
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	ok = ok && p == n && M >= 1 && M <= 12 && D >= 1 && D <= mdays[M - 1] && h < 24 &&
	     mi < 60 && se < 60 && oh < 24 && om < 60;
	if (ok && M == 2 && D == 29 && !((Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0))
		ok = false;
	if (!ok)
		return tmpl_error_set(c->err, TMPL_ERR_DATA, NULL, 0, 0,
				      "parsing time \"%s\" as \"2006-01-02T15:04:05Z07:00\": cannot "
				      "parse \"%s\" as \"2006\"",
				      s, s);
	long long secs = norm_days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 +
			 mi * 60 + se - sign * (oh * 3600 + om * 60);
	long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	long long rem = secs - days * 86400;
	long long y;
	unsigned m, d;
	norm_civil_from_days(days, &y, &m, &d);
	sbuf b = SBUF_INIT;
	sbuf_printf(&b, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, rem / 3600,
		    rem / 60 % 60, rem % 60);
	(void)t;
	*out = norm_sbuf_string(c, &b);
	return 0;
}

/* ---- durations (Go's own text read and written in src/gotime.c) -------- */

/* protobuf JSON of a Duration: seconds with 0, 3, 6 or 9 fraction digits. */
static const tv *norm_duration_text(norm_ctx *c, int64_t ns)
{
	int64_t sec = ns / 1000000000, nanos = ns % 1000000000;
	char buf[64];
	int n;
	if (nanos < 0) {
		nanos = -nanos;
		n = snprintf(buf, sizeof buf, sec == 0 ? "-%lld.%09lld" : "%lld.%09lld",
			     (long long)sec, (long long)nanos);
	} else {
		n = snprintf(buf, sizeof buf, "%lld.%09lld", (long long)sec, (long long)nanos);
	}
	for (int k = 0; k < 2 && n >= 4 && memcmp(buf + n - 3, "000", 3) == 0 && buf[n - 4] != '.'; k++)
		n -= 3;
	if (n >= 4 && memcmp(buf + n - 4, ".000", 4) == 0)
		n -= 4;
	buf[n++] = 's';
	return tv_string(c->a, buf, (size_t)n);
}

static int norm_duration(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out)
{
	int64_t ns = 0;
	if (raw->type && raw->type->kind == TK_DURATION && raw->kind == TV_INT) {
		ns = raw->u.i; /* a template view holds nanoseconds */
	} else {
		int rc = types_duration_read(raw, &ns, c->err);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return norm_mismatch(c, t, raw);
	}
	*out = norm_duration_text(c, ns);
	return 0;
}

/* ---- the walk ------------------------------------------------------------ */

static int norm_value(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out);
static int norm_struct(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out);

static bool norm_is_proto(const tmpl_type *t)
{
	const char *n = t->go_name ? t->go_name : "";
	if (*n == '*')
		n++;
	/* The first bytes decide for most names (this runs for every object decoded). */
	switch (n[0]) {
	case 'm':
		return strncmp(n, "meshconfig.", 11) == 0;
	case 'w':
		return strncmp(n, "wrapperspb.", 11) == 0;
	case 'v':
		return n[1] == '1' && ((n[2] == 'a' && strncmp(n, "v1alpha3.", 9) == 0) ||
				       (n[2] == 'b' && strncmp(n, "v1beta1.", 8) == 0));
	default:
		return false;
	}
}

/* Go's zero value of t as encoding/json writes it. */
static int norm_zero(norm_ctx *c, const tmpl_type *t, const tv **out)
{
	switch (t->kind) {
	case TK_STRING:
		*out = &norm_empty_string;
		return 0;
	case TK_BOOL:
		*out = &tv_false_value;
		return 0;
	case TK_INT:
	case TK_UINT:
		*out = &norm_zero_int;
		return 0;
	case TK_FLOAT:
		*out = &norm_zero_float;
		return 0;
	case TK_ENUM:
		if (t->nenum && (!t->enum_values || t->enum_values[0] == 0)) {
			*out = tv_string_ref(c->a, t->enum_names[0], strlen(t->enum_names[0]));
			return 0;
		}
		*out = &norm_zero_int;
		return 0;
	case TK_DURATION:
		*out = t->go_name && t->go_name[0] == '*' ? &tv_null_value : &norm_zero_duration;
		return 0;
	case TK_QUANTITY:
		*out = &norm_zero_quantity;
		return 0;
	case TK_INTORSTR:
		*out = &norm_zero_int;
		return 0;
	case TK_STRUCT:
		return norm_struct(c, t, NULL, out);
	case TK_BYTES:
	case TK_TIME:
	case TK_PTR:
	case TK_SLICE:
	case TK_MAP:
	case TK_ANY:
		*out = &tv_null_value;
		return 0;
	}
	*out = &tv_null_value;
	return 0;
}

/* encoding/json's isEmptyValue on the written value of a field of type t. */
static bool norm_is_empty(const tmpl_type *t, const tv *v)
{
	switch (t->kind) {
	case TK_STRING:
		return v->kind == TV_STRING && v->u.s.len == 0;
	case TK_BOOL:
		return v->kind == TV_BOOL && !v->u.b;
	case TK_INT:
	case TK_UINT:
		return (v->kind == TV_INT && v->u.i == 0) ||
		       (v->kind == TV_STRING && v->u.s.len == 1 && v->u.s.ptr[0] == '0');
	case TK_FLOAT:
		return v->kind == TV_FLOAT && v->u.f == 0;
	case TK_ENUM:
		if (v->kind == TV_INT)
			return v->u.i == 0;
		return t->nenum && (!t->enum_values || t->enum_values[0] == 0) &&
		       v->kind == TV_STRING && strcmp(v->u.s.ptr, t->enum_names[0]) == 0;
	case TK_BYTES:
		return v->kind == TV_NULL || (v->kind == TV_STRING && v->u.s.len == 0);
	case TK_PTR:
	case TK_DURATION:
		return v->kind == TV_NULL && (t->kind == TK_PTR || (t->go_name && t->go_name[0] == '*'));
	case TK_SLICE:
		return v->kind == TV_NULL || (v->kind == TV_LIST && v->u.list.len == 0);
	case TK_MAP:
		return v->kind == TV_NULL || (v->kind == TV_MAP && v->u.map.len == 0);
	case TK_ANY: {
		const char *n = t->go_name ? t->go_name : "";
		bool nilable = n[0] == '*' || strncmp(n, "interface", 9) == 0 ||
			       strncmp(n, "map[", 4) == 0 || strncmp(n, "[]", 2) == 0;
		return nilable && v->kind == TV_NULL;
	}
	case TK_QUANTITY:
	case TK_INTORSTR:
	case TK_TIME:
	case TK_STRUCT:
		return false;
	}
	return false;
}

/* encoding/json's omitzero (Go 1.24): the field's value is Go's zero value,
 * or IsZero says so (metav1.Time: nil or the zero time, written null).
 * Structs are never taken for zero here: no table asks omitzero of one. */
static bool norm_is_zero(const tmpl_type *t, const tv *v)
{
	switch (t->kind) {
	case TK_TIME:
	case TK_PTR:
	case TK_SLICE:
	case TK_MAP:
	case TK_ANY:
		return v->kind == TV_NULL;
	case TK_STRUCT:
		return false;
	default:
		return norm_is_empty(t, v);
	}
}

/* Go's bytes.EqualFold for ASCII names (Kubernetes' JSON names are ASCII). */
static bool norm_fold_eq(const char *a, const char *b, size_t n)
{
	if (strlen(a) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

/* protobuf JSON also accepts the proto field name: "drain_duration" for
 * "drainDuration". */
static bool norm_camel_eq(const char *json, const char *k, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = k[i];
		if (ch == '_' && i + 1 < n) {
			ch = (char)toupper((unsigned char)k[++i]);
		}
		if (json[j] != ch)
			return false;
		j++;
	}
	return json[j] == '\0';
}

/* A YAML key as the YAML->JSON step writes it (a string). */
static bool norm_key_text(const tv *k, sbuf *b, const char **s, size_t *n)
{
	switch (k->kind) {
	case TV_STRING:
		*s = k->u.s.ptr, *n = k->u.s.len;
		return true;
	case TV_INT:
	case TV_UINT8:
		sbuf_put_int(b, (long long)k->u.i);
		break;
	case TV_BOOL:
		sbuf_puts(b, k->u.b ? "true" : "false");
		break;
	case TV_FLOAT:
		fmt_float32_shortest(b, k->u.f);
		break;
	default:
		return false;
	}
	*s = b->buf, *n = b->len;
	return true;
}

static int norm_struct(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out)
{
	/* protobuf wrappers are written as their bare value */
	if (t->go_name && strncmp(t->go_name, "wrapperspb.", 11) == 0 && t->nfields == 1) {
		const tv *inner = raw;
		if (raw && raw->kind == TV_MAP)
			inner = tv_map_get(raw, "value", 5);
		if (!inner || inner->kind == TV_NULL)
			return norm_zero(c, t->fields[0].type, out);
		if (norm_value(c, t->fields[0].type, inner, out))
			return -1;
		if (t->fields[0].type->kind == TK_INT || t->fields[0].type->kind == TK_UINT) {
			const char *gn = t->fields[0].type->go_name;
			if (gn && (strcmp(gn, "int64") == 0 || strcmp(gn, "uint64") == 0)) {
				sbuf b = SBUF_INIT;
				sbuf_put_int(&b, (long long)(*out)->u.i);
				*out = norm_sbuf_string(c, &b);
			}
		}
		return 0;
	}
	if (raw && raw->kind != TV_MAP)
		return norm_mismatch(c, t, raw);

	/* The type's layout is built once; one of a type outside the tables, per call. */
	const types_layout *lay = types_layout_of(t);
	types_layout *own = lay ? NULL : types_layout_new(t);
	if (!lay)
		lay = own;
	if (!lay)
		return norm_mismatch(c, t, raw);
	size_t nflat = lay->n;
	const tv *vbuf[64];
	const tv **vals = nflat <= 64 ? vbuf : arena_alloc(c->a, nflat * sizeof *vals);
	memset(vals, 0, nflat * sizeof *vals);
	bool proto = norm_is_proto(t);
	int rc = 0;

	for (size_t i = 0; raw && i < raw->u.map.len; i++) {
		const tv_pair *p = &raw->u.map.pairs[i];
		sbuf kb = SBUF_INIT;
		const char *k;
		size_t kn;
		if (!norm_key_text(p->key, &kb, &k, &kn)) {
			sbuf_free(&kb);
			continue;
		}
		uint32_t h = p->key->kind == TV_STRING && (p->key->flags & TVF_HASHED)
				     ? p->key->hash
				     : tv_hash(k, kn);
		int hit = types_layout_find(lay, k, kn, h);
		/* Then Go's case-insensitive match, and protobuf's snake_case names. */
		for (size_t j = 0; hit < 0 && j < nflat; j++)
			if (norm_fold_eq(lay->fields[j]->json_name, k, kn) ||
			    (proto && norm_camel_eq(lay->fields[j]->json_name, k, kn)))
				hit = (int)j;
		sbuf_free(&kb);
		if (hit < 0)
			continue; /* unknown fields are dropped */
		const tmpl_field *f = lay->fields[hit];
		const tmpl_type *ostrct = c->strct;
		size_t odepth = c->depth;
		if (c->depth < NORM_MAX_PATH)
			c->path[c->depth] = f->json_name;
		c->depth++;
		c->strct = t;
		if (lay->promoted[hit])
			c->nocoerce++;
		rc = norm_value(c, f->type, p->val, &vals[hit]);
		if (lay->promoted[hit])
			c->nocoerce--;
		if (rc)
			goto done;
		c->depth = odepth;
		c->strct = ostrct;
	}

	tv *m = tv_map_new(c->a, nflat);
	for (size_t j = 0; j < nflat; j++) {
		const tmpl_field *f = lay->fields[j];
		const tv *v = vals[j];
		if (!v && (rc = norm_zero(c, f->type, &v)) != 0)
			goto done;
		if (((f->flags & TF_OMITEMPTY) && norm_is_empty(f->type, v)) ||
		    ((f->flags & TF_OMITZERO) && norm_is_zero(f->type, v)))
			continue;
		tv_map_add(c->a, m, lay->keys[j], v);
	}
	tv_map_seal(c->a, m);
	m->flags |= TVF_STRUCTORDER;
	*out = m;
done:
	types_layout_free(own);
	return rc ? -1 : 0;
}

/* Integer range of a Go integer type by name. */
static void norm_int_range(const tmpl_type *t, double *lo, double *hi)
{
	const char *n = t->go_name ? t->go_name : "";
	if (strcmp(n, "int32") == 0 || strcmp(n, "*int32") == 0)
		*lo = -2147483648.0, *hi = 2147483647.0;
	else if (strcmp(n, "uint32") == 0 || strcmp(n, "*uint32") == 0)
		*lo = 0, *hi = 4294967295.0;
	else if (t->kind == TK_UINT)
		*lo = 0, *hi = 18446744073709551615.0;
	else
		*lo = -9223372036854775808.0, *hi = 9223372036854775807.0;
}

static int norm_int(norm_ctx *c, const tmpl_type *t, const tmpl_type *rt, const tv *raw,
		    const tv **out)
{
	double lo, hi;
	norm_int_range(t, &lo, &hi);
	if (raw->kind == TV_INT || raw->kind == TV_UINT8) {
		if ((double)raw->u.i < lo || (double)raw->u.i > hi)
			goto bad_number;
		*out = raw->type ? tv_int(c->a, raw->u.i) : raw;
		return 0;
	}
	if (raw->kind == TV_FLOAT) {
		/* the JSON text of the float must read as an integer */
		sbuf b = SBUF_INIT;
		norm_json_float(&b, raw->u.f);
		bool integral = b.buf && !strpbrk(b.buf, ".eE");
		sbuf_free(&b);
		/* hi of int64 rounds up to 2^63, which has no int64 form: converting it
		 * is undefined in C (a finding of fuzz_review). Values are int64 here, so
		 * a uint64 field stops at 2^63 too, short of Go's 2^64 - 1. */
		if (!integral || raw->u.f < lo || raw->u.f > hi || raw->u.f >= 9223372036854775808.0)
			goto bad_number;
		*out = tv_int(c->a, (int64_t)raw->u.f);
		return 0;
	}
	if (raw->kind == TV_STRING && norm_is_proto(rt)) {
		/* protobuf JSON accepts quoted integers */
		char *end;
		long long v = strtoll(raw->u.s.ptr, &end, 10);
		if (raw->u.s.len && *end == '\0' && (double)v >= lo && (double)v <= hi) {
			*out = tv_int(c->a, v);
			return 0;
		}
	}
	return norm_type_error(c, norm_kind_word(raw), norm_type_name(rt));
bad_number : {
	sbuf b = SBUF_INIT;
	sbuf_puts(&b, "number ");
	norm_number_text(&b, raw);
	int rc = norm_type_error(c, b.buf, norm_type_name(rt));
	sbuf_free(&b);
	return rc;
}
}

/* A string field: a string as is; with TYPES_NORM_GHODSS (sigs.k8s.io/yaml's
 * YAML-to-JSON step) a number or bool as its text. */
static int norm_string(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out)
{
	if (raw->kind == TV_STRING) {
		*out = raw->type ? tv_string_ref(c->a, raw->u.s.ptr, raw->u.s.len) : raw;
		return 0;
	}
	if (!(c->flags & TYPES_NORM_GHODSS) || c->nocoerce)
		return norm_mismatch(c, t, raw);
	sbuf b = SBUF_INIT;
	switch (raw->kind) {
	case TV_INT:
	case TV_UINT8:
		sbuf_put_int(&b, (long long)raw->u.i);
		break;
	case TV_FLOAT:
		fmt_float32_shortest(&b, raw->u.f);
		break;
	case TV_BOOL:
		sbuf_puts(&b, raw->u.b ? "true" : "false");
		break;
	default:
		break;
	}
	if (b.len) {
		*out = norm_sbuf_string(c, &b);
		return 0;
	}
	sbuf_free(&b);
	return norm_mismatch(c, t, raw);
}

/* A protobuf enum, by name or number, written by name (unknown numbers as numbers). */
static int norm_enum(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out)
{
	long num = -1;
	if (raw->kind == TV_INT) {
		num = (long)raw->u.i;
	} else if (raw->kind == TV_STRING) {
		bool known = false;
		for (size_t i = 0; i < t->nenum; i++)
			if (strlen(t->enum_names[i]) == raw->u.s.len &&
			    memcmp(t->enum_names[i], raw->u.s.ptr, raw->u.s.len) == 0) {
				num = t->enum_values ? t->enum_values[i] : (long)i;
				known = true;
			}
		if (!known)
			return tmpl_error_set(c->err, TMPL_ERR_DATA, NULL, 0, 0,
					      "unknown value \"%s\" for enum %s", raw->u.s.ptr,
					      t->go_name);
	} else {
		return norm_mismatch(c, t, raw);
	}
	for (size_t i = 0; i < t->nenum; i++)
		if ((t->enum_values ? t->enum_values[i] : (long)i) == num) {
			*out = tv_string_ref(c->a, t->enum_names[i], strlen(t->enum_names[i]));
			return 0;
		}
	*out = tv_int(c->a, num); /* protobuf JSON writes unknown numbers as numbers */
	return 0;
}

/* A slice: each item as the element type. */
static int norm_slice(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out)
{
	if (raw->kind != TV_LIST)
		return norm_mismatch(c, t, raw);
	tv *l = tv_list_new(c->a, raw->u.list.len);
	for (size_t i = 0; i < raw->u.list.len; i++)
		if (norm_value(c, t->elem, raw->u.list.items[i], &l->u.list.items[i]))
			return -1;
	*out = l;
	return 0;
}

/* A map: keys as JSON's object keys (numbers and bools as text), values as
 * the element type. */
static int norm_map(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out)
{
	if (raw->kind != TV_MAP)
		return norm_mismatch(c, t, raw);
	tv *m = tv_map_new(c->a, raw->u.map.len);
	for (size_t i = 0; i < raw->u.map.len; i++) {
		const tv_pair *p = &raw->u.map.pairs[i];
		const tv *key = p->key, *val;
		if (key->kind != TV_STRING) {
			sbuf kb = SBUF_INIT;
			const char *k;
			size_t kn;
			if (!norm_key_text(key, &kb, &k, &kn)) {
				sbuf_free(&kb);
				return norm_type_error(c, "object", norm_type_name(t));
			}
			key = tv_string(c->a, k, kn);
			sbuf_free(&kb);
		} else if (key->type) {
			key = tv_string_ref(c->a, key->u.s.ptr, key->u.s.len);
		}
		if (norm_value(c, t->elem, p->val, &val))
			return -1;
		tv_map_add(c->a, m, key, val);
	}
	tv_map_seal(c->a, m);
	*out = m;
	return 0;
}

static int norm_value(norm_ctx *c, const tmpl_type *t, const tv *raw, const tv **out)
{
	if (raw && raw->kind == TV_STRUCT)
		raw = raw->u.strct.raw; /* a template view: its YAML */
	if (!raw || raw->kind == TV_NULL)
		return norm_zero(c, t, out);
	switch (t->kind) {
	case TK_STRING:
		return norm_string(c, t, raw, out);
	case TK_BYTES:
		if (raw->kind != TV_STRING)
			return norm_mismatch(c, t, raw);
		*out = raw;
		return 0;
	case TK_BOOL:
		if (raw->kind != TV_BOOL)
			return norm_mismatch(c, t, raw);
		*out = raw->u.b ? &tv_true_value : &tv_false_value;
		return 0;
	case TK_INT:
	case TK_UINT:
		return norm_int(c, t, t, raw, out);
	case TK_FLOAT:
		if (raw->kind == TV_INT || raw->kind == TV_UINT8) {
			*out = tv_float(c->a, (double)raw->u.i);
			return 0;
		}
		if (raw->kind == TV_FLOAT) {
			*out = raw->type ? tv_float(c->a, raw->u.f) : raw;
			return 0;
		}
		return norm_mismatch(c, t, raw);
	case TK_ENUM:
		return norm_enum(c, t, raw, out);
	case TK_DURATION:
		return norm_duration(c, t, raw, out);
	case TK_QUANTITY:
		return norm_quantity(c, raw, out);
	case TK_TIME:
		return norm_time(c, t, raw, out);
	case TK_INTORSTR: {
		static const tmpl_type int32_type = {.kind = TK_INT, .go_name = "int32"};
		if (raw->kind == TV_STRING) {
			*out = raw->type ? tv_string_ref(c->a, raw->u.s.ptr, raw->u.s.len) : raw;
			return 0;
		}
		return norm_int(c, &int32_type, &int32_type, raw, out);
	}
	case TK_PTR:
		if (!t->elem)
			return norm_zero(c, t, out);
		return norm_value(c, t->elem, raw, out);
	case TK_STRUCT:
		return norm_struct(c, t, raw, out);
	case TK_SLICE:
		return norm_slice(c, t, raw, out);
	case TK_MAP:
		return norm_map(c, t, raw, out);
	case TK_ANY:
		*out = raw;
		return 0;
	}
	*out = raw;
	return 0;
}

int types_normalize_ex(tmpl_arena *a, const tmpl_type *t, const tv *raw, unsigned flags,
		       const tv **out, tmpl_error *err)
{
	norm_ctx c;
	c.a = a;
	c.err = err;
	c.flags = flags;
	c.nocoerce = 0;
	c.strct = NULL;
	c.depth = 0;
	*out = NULL;
	if (!t)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "types: no type to decode into");
	if (types_native_of(t)) {
		*out = raw; /* a native value's raw is already its JSON form (its MarshalJSON) */
		return 0;
	}
	return norm_value(&c, t, raw, out);
}

int types_normalize(tmpl_arena *a, const tmpl_type *t, const tv *raw, const tv **out,
		    tmpl_error *err)
{
	return types_normalize_ex(a, t, raw, 0, out, err);
}
