/* fmt.c: Go's fmt printer (Sprint, Sprintln, Sprintf) over template values.
 *
 * The structure follows Go's: a printer state with the flags of the current
 * verb (fmt_impl.h), primitive formatters that honour them (fmt_prim.c), and
 * here the format parser and a dispatcher that walks values as Go's
 * reflection does: list elements and map values are interface {} values
 * (nil prints "<nil>" whatever the verb), map[string]interface {} keys are
 * strings, and verbs apply to every scalar inside a list or map. */
#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fmt_impl.h"
#include "stack_guard.h"
#include "types.h"
#include "utf8.h"

#define FP_MAX_NUM 1000000 /* Go's limit on widths and precisions */

static void fp_init(fmt_state *p, sbuf *out)
{
	memset(p, 0, sizeof *p);
	p->out = out;
}

static int fp_done(fmt_state *p)
{
	if (p->scratch)
		arena_free(p->scratch);
	sbuf_free(&p->tmp);
	sbuf_free(&p->tmp2);
	return p->deep ? -1 : 0;
}

/* Go's printer recurses into nested values without a bound; so does ours,
 * until the thread's stack runs low (values a template nests in a loop can
 * be far deeper than any YAML or JSON input): then printing stops and the
 * caller reports FMT_TOO_DEEP. */
static bool fp_too_deep(fmt_state *p)
{
	if (!p->deep && stack_guard_low())
		p->deep = true;
	return p->deep;
}

static void fp_clearflags(fmt_state *p)
{
	p->wid_present = p->prec_present = false;
	p->minus = p->plus = p->sharp = p->space = p->zero = false;
	p->plus_v = p->sharp_v = false;
	p->wid = p->prec = 0;
}

static bool fp_is_nil(const tv *v)
{
	return v == NULL || v->kind == TV_NULL;
}

static void fp_put_rune(sbuf *out, int32_t r)
{
	char buf[4];
	sbuf_put(out, buf, u8_encode(buf, r));
}

/* ---- Verb dispatch over values (Go's pp type). ---- */

static void fp_print_arg(fmt_state *p, const tv *v, int32_t verb);
static void fp_print_concrete(fmt_state *p, const tv *v, int32_t verb, int depth);

/* %!verb(type=value): the verb does not suit the operand. */
static void fp_bad_verb(fmt_state *p, const tv *v, int32_t verb)
{
	sbuf_puts(p->out, "%!");
	fp_put_rune(p->out, verb);
	sbuf_putc(p->out, '(');
	if (fp_is_nil(v)) {
		sbuf_puts(p->out, "<nil>");
	} else {
		sbuf_puts(p->out, tv_type_name(v));
		sbuf_putc(p->out, '=');
		fp_print_arg(p, v, 'v');
	}
	sbuf_putc(p->out, ')');
}

static void fp_fmt_bool(fmt_state *p, const tv *v, int32_t verb)
{
	if (verb == 't' || verb == 'v')
		fmt_put_bool(p, v->u.b);
	else
		fp_bad_verb(p, v, verb);
}

/* A hex number with or without 0x, whatever the '#' flag says. */
static void fp_fmt_0x64(fmt_state *p, uint64_t u, bool leading0x)
{
	bool sharp = p->sharp;
	p->sharp = leading0x;
	fmt_put_integer(p, u, 16, false, 'v', fmt_ldigits);
	p->sharp = sharp;
}

static void fp_fmt_int(fmt_state *p, const tv *v, int32_t verb)
{
	/* a typed uint64 (types.h) holds its bits in u.i */
	bool is_signed = v->kind == TV_INT && !(v->type && v->type->kind == TK_UINT);
	uint64_t u = (uint64_t)v->u.i;
	switch (verb) {
	case 'v':
		if (p->sharp_v && !is_signed)
			fp_fmt_0x64(p, u, true);
		else
			fmt_put_integer(p, u, 10, is_signed, verb, fmt_ldigits);
		break;
	case 'd':
		fmt_put_integer(p, u, 10, is_signed, verb, fmt_ldigits);
		break;
	case 'b':
		fmt_put_integer(p, u, 2, is_signed, verb, fmt_ldigits);
		break;
	case 'o':
	case 'O':
		fmt_put_integer(p, u, 8, is_signed, verb, fmt_ldigits);
		break;
	case 'x':
		fmt_put_integer(p, u, 16, is_signed, verb, fmt_ldigits);
		break;
	case 'X':
		fmt_put_integer(p, u, 16, is_signed, verb, fmt_udigits);
		break;
	case 'c':
		fmt_put_char(p, u);
		break;
	case 'q':
		fmt_put_quoted_rune(p, u);
		break;
	case 'U':
		fmt_put_unicode(p, u);
		break;
	default:
		fp_bad_verb(p, v, verb);
		break;
	}
}

static void fp_fmt_float_verb(fmt_state *p, const tv *v, int32_t verb)
{
	switch (verb) {
	case 'v':
		fmt_put_float(p, v->u.f, 'g', -1);
		break;
	case 'b':
	case 'g':
	case 'G':
	case 'x':
	case 'X':
		fmt_put_float(p, v->u.f, (char)verb, -1);
		break;
	case 'f':
	case 'e':
	case 'E':
		fmt_put_float(p, v->u.f, (char)verb, 6);
		break;
	case 'F':
		fmt_put_float(p, v->u.f, 'f', 6);
		break;
	default:
		fp_bad_verb(p, v, verb);
		break;
	}
}

static void fp_fmt_string(fmt_state *p, const tv *v, int32_t verb)
{
	const char *s = v->u.s.ptr;
	size_t len = v->u.s.len;
	switch (verb) {
	case 'v':
		if (p->sharp_v)
			fmt_put_quoted(p, s, len);
		else
			fmt_put_string(p, s, len);
		break;
	case 's':
		fmt_put_string(p, s, len);
		break;
	case 'x':
		fmt_put_hex_string(p, s, len, fmt_ldigits);
		break;
	case 'X':
		fmt_put_hex_string(p, s, len, fmt_udigits);
		break;
	case 'q':
		fmt_put_quoted(p, s, len);
		break;
	default:
		fp_bad_verb(p, v, verb);
		break;
	}
}

/* %p: lists and maps are references in Go; print where ours live. */
static void fp_fmt_pointer(fmt_state *p, const tv *v, int32_t verb)
{
	uintptr_t u;
	if (v->kind == TV_LIST)
		u = (uintptr_t)v->u.list.items;
	else if (v->kind == TV_MAP)
		u = (uintptr_t)v->u.map.pairs;
	else {
		fp_bad_verb(p, v, verb);
		return;
	}
	if (u == 0)
		u = (uintptr_t)v; /* Go's empty slices still point somewhere */
	fp_fmt_0x64(p, (uint64_t)u, !p->sharp);
}

/* An element of a list or a map value: an interface {} in Go. */
/* Go's handleMethods: a Stringer (enum, duration, time.Time) prints its
 * String(), as an operand and as an element of a list or map. */
static bool fp_handle_methods(fmt_state *p, const tv *v, int32_t verb)
{
	if (!v->type ||
	    !(verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X'))
		return false;
	sbuf tmp = SBUF_INIT;
	if (types_string(&tmp, v)) {
		tv sv = {.kind = TV_STRING};
		sv.u.s.ptr = tmp.buf ? tmp.buf : "";
		sv.u.s.len = tmp.len;
		fp_fmt_string(p, &sv, verb);
		sbuf_free(&tmp);
		return true;
	}
	sbuf_free(&tmp);
	return false;
}

static void fp_print_elem(fmt_state *p, const tv *v, int32_t verb, int depth)
{
	if (fp_is_nil(v)) {
		sbuf_puts(p->out, p->sharp_v ? "interface {}(nil)" : "<nil>");
		return;
	}
	if (fp_handle_methods(p, v, verb))
		return;
	fp_print_concrete(p, v, verb, depth + 1);
}

static void fp_print_list(fmt_state *p, const tv *v, int32_t verb, int depth)
{
	if (fp_too_deep(p))
		return;
	size_t n = v->u.list.len;
	if (p->sharp_v) {
		sbuf_puts(p->out, "[]interface {}{");
		for (size_t i = 0; i < n && !p->deep; i++) {
			if (i > 0)
				sbuf_puts(p->out, ", ");
			fp_print_elem(p, v->u.list.items[i], verb, depth + 1);
		}
		sbuf_putc(p->out, '}');
		return;
	}
	sbuf_putc(p->out, '[');
	for (size_t i = 0; i < n && !p->deep; i++) {
		if (i > 0)
			sbuf_putc(p->out, ' ');
		fp_print_elem(p, v->u.list.items[i], verb, depth + 1);
	}
	sbuf_putc(p->out, ']');
}

static void fp_print_map(fmt_state *p, const tv *v, int32_t verb, int depth)
{
	if (fp_too_deep(p))
		return;
	bool anykeys = (v->flags & TVF_ANYKEYS) != 0;
	if (p->sharp_v) {
		sbuf_puts(p->out, tv_type_name(v));
		sbuf_putc(p->out, '{');
	} else {
		sbuf_puts(p->out, "map[");
	}
	size_t n = v->u.map.len;
	const tv_pair *pairs = v->u.map.pairs;
	size_t k = 1;
	while (k < n && tv_key_cmp(pairs[k - 1].key, pairs[k].key) <= 0)
		k++;
	if (k < n) { /* not yet in Go's order: sort a copy */
		if (!p->scratch)
			p->scratch = arena_new();
		pairs = tv_map_sorted(p->scratch, v);
	}
	for (size_t i = 0; i < n && !p->deep; i++) {
		if (i > 0) {
			if (p->sharp_v)
				sbuf_puts(p->out, ", ");
			else
				sbuf_putc(p->out, ' ');
		}
		/* map[string]interface {} keys are plain strings, not interfaces */
		if (anykeys)
			fp_print_elem(p, pairs[i].key, verb, depth + 1);
		else
			fp_print_concrete(p, pairs[i].key, verb, depth + 1);
		sbuf_putc(p->out, ':');
		fp_print_elem(p, pairs[i].val, verb, depth + 1);
	}
	sbuf_putc(p->out, p->sharp_v ? '}' : ']');
}

/* A Go struct (types.h): `{f1 f2 ...}`, `&{...}` through a pointer, `%+v`
 * with field names; fields are read through the typed view. */
static void fp_print_struct(fmt_state *p, const tv *v, int32_t verb, int depth)
{
	if (fp_too_deep(p))
		return;
	const tmpl_type *t = v->type;
	if (t && t->kind == TK_PTR) {
		if (depth > 0) {
			fp_fmt_pointer(p, v, 'p');
			return;
		}
		sbuf_putc(p->out, '&');
		t = t->elem;
	}
	if (!t || t->kind != TK_STRUCT || depth > 16) {
		sbuf_puts(p->out, "{}");
		return;
	}
	tmpl_arena *a = arena_new();
	sbuf_putc(p->out, '{');
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		const tv *fv = TV_NOVALUE;
		tmpl_error e;
		tmpl_error_init(&e);
		int rc = types_get(a, v, f->go_name, strlen(f->go_name), &fv, &e);
		tmpl_error_clear(&e);
		if (i > 0)
			sbuf_putc(p->out, ' ');
		if (p->plus_v) {
			sbuf_puts(p->out, f->go_name);
			sbuf_putc(p->out, ':');
		}
		if (rc != 0 || fp_is_nil(fv))
			sbuf_puts(p->out, "<nil>");
		else if (fv->type && types_string(p->out, fv))
			;
		else
			fp_print_concrete(p, fv, verb, depth + 1);
	}
	sbuf_putc(p->out, '}');
	arena_free(a);
}

/* A non-nil value of known kind (Go's printValue after the interface). */
static void fp_print_concrete(fmt_state *p, const tv *v, int32_t verb, int depth)
{
	switch (v->kind) {
	case TV_BOOL:
		fp_fmt_bool(p, v, verb);
		break;
	case TV_INT:
	case TV_UINT8:
		fp_fmt_int(p, v, verb);
		break;
	case TV_FLOAT:
		fp_fmt_float_verb(p, v, verb);
		break;
	case TV_STRING:
		fp_fmt_string(p, v, verb);
		break;
	case TV_LIST:
		fp_print_list(p, v, verb, depth);
		break;
	case TV_MAP:
		fp_print_map(p, v, verb, depth);
		break;
	case TV_STRUCT:
		fp_print_struct(p, v, verb, depth);
		break;
	default:
		sbuf_puts(p->out, "<nil>");
		break;
	}
}

/* One operand (Go's printArg). */
static void fp_print_arg(fmt_state *p, const tv *v, int32_t verb)
{
	if (verb == 'T' && v && v->type) {
		/* a typed nil pointer still has its type */
		fmt_put_string(p, v->type->go_name, strlen(v->type->go_name));
		return;
	}
	if (fp_is_nil(v)) {
		if (verb == 'T' || verb == 'v')
			fmt_put_padded_str(p, "<nil>");
		else
			fp_bad_verb(p, NULL, verb);
		return;
	}
	if (verb == 'T') {
		const char *t = tv_type_name(v);
		fmt_put_string(p, t, strlen(t));
		return;
	}
	if (verb == 'p') {
		fp_fmt_pointer(p, v, verb);
		return;
	}
	if (fp_handle_methods(p, v, verb))
		return;
	if (verb == 'w' && (v->kind == TV_LIST || v->kind == TV_MAP)) {
		/* Go tries %w on the whole operand (it wants an error) before
		 * walking into it: lists and maps are rejected as a whole. */
		fp_bad_verb(p, v, verb);
		return;
	}
	fp_print_concrete(p, v, verb, 0);
}

/* ---- Sprint, Sprintln, Sprintf. ---- */

int fmt_value(sbuf *out, const tv *v)
{
	/* the common cases of action output, without the printer */
	if (v && v->kind == TV_STRING) {
		sbuf_put(out, v->u.s.ptr, v->u.s.len);
		return 0;
	}
	if (v && (v->kind == TV_INT || v->kind == TV_UINT8) && !v->type) {
		sbuf_put_int(out, (long long)v->u.i);
		return 0;
	}
	fmt_state p;
	fp_init(&p, out);
	fp_print_arg(&p, v, 'v');
	return fp_done(&p);
}

int fmt_sprint(sbuf *out, const tv *const *args, size_t n)
{
	fmt_state p;
	fp_init(&p, out);
	bool prev_string = false;
	for (size_t i = 0; i < n; i++) {
		const tv *v = args[i];
		bool is_string = v != NULL && v->kind == TV_STRING;
		/* a space between two operands when neither is a string */
		if (i > 0 && !is_string && !prev_string)
			sbuf_putc(out, ' ');
		fp_print_arg(&p, v, 'v');
		prev_string = is_string;
	}
	return fp_done(&p);
}

int fmt_sprintln(sbuf *out, const tv *const *args, size_t n)
{
	fmt_state p;
	fp_init(&p, out);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sbuf_putc(out, ' ');
		fp_print_arg(&p, args[i], 'v');
	}
	sbuf_putc(out, '\n');
	return fp_done(&p);
}

void fmt_float_shortest(sbuf *out, double f)
{
	fmt_strconv_float(out, f, 'g', -1);
}

/* Decimal digits at s[start..end): returns the index after them; *ok
 * says whether there were any. Absurd numbers swallow the rest of the
 * format, as Go's parsenum does. */
static size_t fp_parsenum(const char *s, size_t start, size_t end, int *num, bool *ok)
{
	*num = 0;
	*ok = false;
	size_t i;
	for (i = start; i < end && s[i] >= '0' && s[i] <= '9'; i++) {
		if (*num > FP_MAX_NUM || *num < -FP_MAX_NUM) {
			*num = 0;
			*ok = false;
			return end;
		}
		*num = *num * 10 + (s[i] - '0');
		*ok = true;
	}
	return i;
}

/* Width or precision from an argument ('*'). */
static size_t fp_int_from_arg(const tv *const *args, size_t n, size_t argnum, int *num, bool *ok)
{
	*num = 0;
	*ok = false;
	if (argnum >= n)
		return argnum;
	const tv *v = args[argnum];
	int64_t x = 0;
	if (v && (v->kind == TV_INT || v->kind == TV_UINT8)) {
		x = v->u.i;
		*ok = true;
	}
	if (x > FP_MAX_NUM || x < -FP_MAX_NUM) {
		x = 0;
		*ok = false;
	}
	*num = (int)x;
	return argnum + 1;
}

/* An explicit argument index "[n]" at format[i]: sets *argnum when valid.
 * Returns the index after it; *found says whether a valid index was read. */
static size_t fp_argnumber(fmt_state *p, size_t *argnum, const char *format, size_t i, size_t end, size_t nargs,
                           bool *found)
{
	*found = false;
	if (i >= end || format[i] != '[')
		return i;
	p->reordered = true;
	/* there must be at least "[n]" */
	size_t wid = 1;
	bool ok = false;
	int index = 0;
	if (end - i >= 3) {
		for (size_t j = i + 1; j < end; j++) {
			if (format[j] == ']') {
				int num;
				bool isnum;
				size_t newi = fp_parsenum(format, i + 1, j, &num, &isnum);
				wid = j - i + 1;
				if (isnum && newi == j) {
					ok = true;
					index = num - 1;
				}
				break;
			}
		}
	}
	if (ok && index >= 0 && (size_t)index < nargs) {
		*argnum = (size_t)index;
		*found = true;
		return i + wid;
	}
	p->good_argnum = false;
	*found = ok;
	return i + wid;
}

/* The flags after a '%' (#0+- and space) into p: the index after them. */
static size_t fp_flags(fmt_state *p, const char *format, size_t i, size_t end)
{
	fp_clearflags(p);
	for (; i < end; i++) {
		char c = format[i];
		if (c == '#')
			p->sharp = true;
		else if (c == '0')
			p->zero = true;
		else if (c == '+')
			p->plus = true;
		else if (c == '-')
			p->minus = true;
		else if (c == ' ')
			p->space = true;
		else
			break;
	}
	return i;
}

/* Where one verb's operands stand: the next argument, and whether the last
 * thing read was an explicit index ("%[2]"), as Go's pp.argNum and afterIndex. */
typedef struct fp_cursor {
	const tv *const *args;
	size_t n, argnum;
	bool after_index;
} fp_cursor;

/* The width (a number, or * taking an int operand) at format[i]: the index after it. */
static size_t fp_width(fmt_state *p, fp_cursor *c, const char *format, size_t i, size_t end)
{
	if (i < end && format[i] == '*') {
		c->argnum = fp_int_from_arg(c->args, c->n, c->argnum, &p->wid, &p->wid_present);
		if (!p->wid_present)
			sbuf_puts(p->out, "%!(BADWIDTH)");
		if (p->wid < 0) {
			p->wid = -p->wid;
			p->minus = true;
			p->zero = false;
		}
		c->after_index = false;
		return i + 1;
	}
	i = fp_parsenum(format, i, end, &p->wid, &p->wid_present);
	if (c->after_index && p->wid_present) /* "%[3]2d" */
		p->good_argnum = false;
	return i;
}

/* The precision (.N, .*, or . alone meaning 0) at format[i]: the index after it. */
static size_t fp_precision(fmt_state *p, fp_cursor *c, const char *format, size_t i, size_t end)
{
	if (i + 1 >= end || format[i] != '.')
		return i;
	i++;
	if (c->after_index) /* "%[3].2d" */
		p->good_argnum = false;
	i = fp_argnumber(p, &c->argnum, format, i, end, c->n, &c->after_index);
	if (i < end && format[i] == '*') {
		c->argnum = fp_int_from_arg(c->args, c->n, c->argnum, &p->prec, &p->prec_present);
		if (p->prec < 0) {
			p->prec = 0;
			p->prec_present = false;
		}
		if (!p->prec_present)
			sbuf_puts(p->out, "%!(BADPREC)");
		c->after_index = false;
		return i + 1;
	}
	i = fp_parsenum(format, i, end, &p->prec, &p->prec_present);
	if (!p->prec_present) {
		p->prec = 0;
		p->prec_present = true;
	}
	return i;
}

/* One verb with its operand, or Go's %!v(BADINDEX) / %!v(MISSING). */
static void fp_verb(fmt_state *p, fp_cursor *c, int32_t verb)
{
	if (verb == '%') {
		/* takes no operand; width and precision are ignored */
		sbuf_putc(p->out, '%');
	} else if (!p->good_argnum || c->argnum >= c->n) {
		sbuf_puts(p->out, "%!");
		fp_put_rune(p->out, verb);
		sbuf_puts(p->out, p->good_argnum ? "(MISSING)" : "(BADINDEX)");
	} else {
		if (verb == 'v') {
			/* %#v and %+v are their own formats */
			p->sharp_v = p->sharp;
			p->sharp = false;
			p->plus_v = p->plus;
			p->plus = false;
		}
		fp_print_arg(p, c->args[c->argnum], verb);
		c->argnum++;
	}
}

/* Unused operands, unless the format picked them by index: %!(EXTRA type=value, ...). */
static void fp_extra(fmt_state *p, const fp_cursor *c)
{
	if (p->reordered || c->argnum >= c->n)
		return;
	fp_clearflags(p);
	sbuf_puts(p->out, "%!(EXTRA ");
	for (size_t k = c->argnum; k < c->n; k++) {
		if (k > c->argnum)
			sbuf_puts(p->out, ", ");
		if (fp_is_nil(c->args[k])) {
			sbuf_puts(p->out, "<nil>");
		} else {
			sbuf_puts(p->out, tv_type_name(c->args[k]));
			sbuf_putc(p->out, '=');
			fp_print_arg(p, c->args[k], 'v');
		}
	}
	sbuf_putc(p->out, ')');
}

int fmt_sprintf(sbuf *out, const char *format, size_t flen, const tv *const *args, size_t n)
{
	fmt_state p;
	fp_init(&p, out);
	fp_cursor c = {args, n, 0, false};
	size_t end = flen, i = 0;
	while (i < end) {
		p.good_argnum = true;
		size_t lasti = i;
		while (i < end && format[i] != '%')
			i++;
		if (i > lasti)
			sbuf_put(out, format + lasti, i - lasti);
		if (i >= end)
			break;
		i++; /* the '%' */

		/* Fast path: a bare %s, %v or %q of a plain string, the commonest
		 * case in templates, with none of the flag and width machinery. */
		const tv *v = c.argnum < n ? args[c.argnum] : NULL;
		if (i < end && v && v->kind == TV_STRING && !v->type &&
		    (format[i] == 's' || format[i] == 'v' || format[i] == 'q')) {
			c.argnum++;
			if (format[i++] == 'q')
				fmt_quote_string(out, v->u.s.ptr, v->u.s.len, false);
			else
				sbuf_put(out, v->u.s.ptr, v->u.s.len);
			c.after_index = false; /* as fp_argnumber finding no index */
			continue;
		}

		i = fp_flags(&p, format, i, end);
		i = fp_argnumber(&p, &c.argnum, format, i, end, n, &c.after_index);
		i = fp_width(&p, &c, format, i, end);
		i = fp_precision(&p, &c, format, i, end);
		if (!c.after_index)
			i = fp_argnumber(&p, &c.argnum, format, i, end, n, &c.after_index);
		if (i >= end) {
			sbuf_puts(out, "%!(NOVERB)");
			break;
		}
		size_t size = 1;
		int32_t verb = (unsigned char)format[i];
		if (verb >= 0x80)
			verb = u8_decode(format + i, end - i, &size);
		i += size;
		fp_verb(&p, &c, verb);
	}
	fp_extra(&p, &c);
	return fp_done(&p);
}
