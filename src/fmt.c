/* fmt.c: Go's fmt printer (Sprint, Sprintln, Sprintf) over template values.
 *
 * The structure follows Go's: a printer state with the flags of the current
 * verb, primitive formatters (integers, strings, floats) that honour width,
 * precision and flags, and a dispatcher that walks values as Go's reflection
 * does: list elements and map values are interface {} values (nil prints
 * "<nil>" whatever the verb), map[string]interface {} keys are strings, and
 * verbs apply to every scalar inside a list or map. */
#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fmt_impl.h"
#include "utf8.h"

#define FP_MAX_NUM 1000000 /* Go's limit on widths and precisions */
#define FP_INTBUF 80

static const char fp_ldigits[] = "0123456789abcdefx";
static const char fp_udigits[] = "0123456789ABCDEFX";

typedef struct fp {
	sbuf *out;
	/* flags of the current verb (Go's fmtFlags) */
	bool wid_present, prec_present;
	bool minus, plus, sharp, space, zero;
	bool plus_v, sharp_v; /* %+v and %#v: plus/sharp moved here */
	int wid, prec;
	/* argument bookkeeping of Sprintf */
	bool reordered, good_argnum;
	tmpl_arena *scratch; /* map key sorting, made on first use */
	sbuf tmp, tmp2;      /* reused by the number and quoting formatters */
} fp;

static void fp_init(fp *p, sbuf *out)
{
	memset(p, 0, sizeof *p);
	p->out = out;
}

static void fp_done(fp *p)
{
	if (p->scratch)
		arena_free(p->scratch);
	sbuf_free(&p->tmp);
	sbuf_free(&p->tmp2);
}

static void fp_clearflags(fp *p)
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

/* ---- Primitive formatters (Go's fmt type). ---- */

static void fp_write_padding(fp *p, int n)
{
	if (n <= 0)
		return;
	/* zero padding only ever goes on the left */
	sbuf_pad(p->out, p->zero && !p->minus ? '0' : ' ', (size_t)n);
}

/* Append s padded to the width, counting runes. */
static void fp_pad(fp *p, const char *s, size_t len)
{
	if (!p->wid_present || p->wid == 0) {
		sbuf_put(p->out, s, len);
		return;
	}
	size_t runes = u8_count(s, len);
	int width = runes >= (size_t)p->wid ? 0 : p->wid - (int)runes;
	if (!p->minus) {
		fp_write_padding(p, width);
		sbuf_put(p->out, s, len);
	} else {
		sbuf_put(p->out, s, len);
		fp_write_padding(p, width);
	}
}

static void fp_pads(fp *p, const char *s)
{
	fp_pad(p, s, strlen(s));
}

static void fp_fmt_boolean(fp *p, bool b)
{
	fp_pads(p, b ? "true" : "false");
}

/* A scratch buffer for right-to-left number formatting. */
typedef struct fp_numbuf {
	char small[FP_INTBUF];
	char *buf;
	size_t size;
} fp_numbuf;

static void fp_numbuf_init(fp_numbuf *nb, size_t need)
{
	if (need <= sizeof nb->small) {
		nb->buf = nb->small;
		nb->size = sizeof nb->small;
	} else {
		nb->buf = malloc(need);
		if (!nb->buf)
			abort();
		nb->size = need;
	}
}

static void fp_numbuf_free(fp_numbuf *nb)
{
	if (nb->buf != nb->small)
		free(nb->buf);
}

/* %U: "U+0078", with '#' "U+0078 'x'". */
static void fp_fmt_unicode(fp *p, uint64_t u)
{
	int prec = 4;
	if (p->prec_present && p->prec > 4)
		prec = p->prec;
	fp_numbuf nb;
	fp_numbuf_init(&nb, (size_t)prec + 2 + 2 + 4 + 1 + 20);
	char *buf = nb.buf;
	size_t i = nb.size;
	if (p->sharp && u <= 0x10FFFF && u8_isprint((int32_t)u)) {
		char rb[4];
		size_t w = u8_encode(rb, (int32_t)u);
		buf[--i] = '\'';
		i -= w;
		memcpy(buf + i, rb, w);
		buf[--i] = '\'';
		buf[--i] = ' ';
	}
	while (u >= 16) {
		buf[--i] = fp_udigits[u & 0xF];
		prec--;
		u >>= 4;
	}
	buf[--i] = fp_udigits[u];
	prec--;
	while (prec > 0) {
		buf[--i] = '0';
		prec--;
	}
	buf[--i] = '+';
	buf[--i] = 'U';
	bool zero = p->zero;
	p->zero = false;
	fp_pad(p, buf + i, nb.size - i);
	p->zero = zero;
	fp_numbuf_free(&nb);
}

/* Signed or unsigned integers in base 2, 8, 10 or 16. */
static void fp_fmt_integer(fp *p, uint64_t u, int base, bool is_signed, int32_t verb, const char *digits)
{
	bool negative = is_signed && (int64_t)u < 0;
	if (negative)
		u = -u;
	fp_numbuf nb;
	fp_numbuf_init(&nb, (size_t)p->wid + (size_t)p->prec + 70);
	char *buf = nb.buf;

	/* %.3d and %03d both ask for leading zeros; a precision wins. */
	int prec = 0;
	if (p->prec_present) {
		prec = p->prec;
		if (prec == 0 && u == 0) {
			bool zero = p->zero;
			p->zero = false;
			fp_write_padding(p, p->wid);
			p->zero = zero;
			fp_numbuf_free(&nb);
			return;
		}
	} else if (p->zero && !p->minus && p->wid_present) {
		prec = p->wid;
		if (negative || p->plus || p->space)
			prec--; /* room for the sign */
	}

	size_t i = nb.size;
	switch (base) {
	case 10:
		while (u >= 10) {
			buf[--i] = (char)('0' + u % 10);
			u /= 10;
		}
		break;
	case 16:
		while (u >= 16) {
			buf[--i] = digits[u & 0xF];
			u >>= 4;
		}
		break;
	case 8:
		while (u >= 8) {
			buf[--i] = (char)('0' + (u & 7));
			u >>= 3;
		}
		break;
	default: /* 2 */
		while (u >= 2) {
			buf[--i] = (char)('0' + (u & 1));
			u >>= 1;
		}
		break;
	}
	buf[--i] = digits[u];
	while (i > 0 && prec > 0 && (size_t)prec > nb.size - i)
		buf[--i] = '0';

	if (p->sharp) {
		switch (base) {
		case 2:
			buf[--i] = 'b';
			buf[--i] = '0';
			break;
		case 8:
			if (buf[i] != '0')
				buf[--i] = '0';
			break;
		case 16:
			buf[--i] = digits[16];
			buf[--i] = '0';
			break;
		default:
			break;
		}
	}
	if (verb == 'O') {
		buf[--i] = 'o';
		buf[--i] = '0';
	}
	if (negative)
		buf[--i] = '-';
	else if (p->plus)
		buf[--i] = '+';
	else if (p->space)
		buf[--i] = ' ';

	/* zero padding was done above as precision, or is overridden by it */
	bool zero = p->zero;
	p->zero = false;
	fp_pad(p, buf + i, nb.size - i);
	p->zero = zero;
	fp_numbuf_free(&nb);
}

/* The byte length of s cut to the precision in runes. */
static size_t fp_truncate(fp *p, const char *s, size_t len)
{
	if (!p->prec_present)
		return len;
	int n = p->prec;
	size_t i = 0;
	while (i < len) {
		if (--n < 0)
			return i;
		size_t w = 1;
		if ((unsigned char)s[i] >= 0x80)
			u8_decode(s + i, len - i, &w);
		i += w;
	}
	return len;
}

static void fp_fmt_s(fp *p, const char *s, size_t len)
{
	fp_pad(p, s, fp_truncate(p, s, len));
}

/* %x, % x, %#x, %X of a string's bytes. */
static void fp_fmt_sx(fp *p, const char *s, size_t len, const char *digits)
{
	size_t length = len;
	if (p->prec_present && (size_t)p->prec < length)
		length = (size_t)p->prec;
	size_t width = 2 * length;
	if (width > 0) {
		if (p->space) {
			if (p->sharp)
				width *= 2;
			width += length - 1;
		} else if (p->sharp) {
			width += 2;
		}
	} else {
		if (p->wid_present)
			fp_write_padding(p, p->wid);
		return;
	}
	if (p->wid_present && (size_t)p->wid > width && !p->minus)
		fp_write_padding(p, p->wid - (int)width);
	sbuf *out = p->out;
	sbuf_reserve(out, width);
	if (p->sharp) {
		sbuf_putc(out, '0');
		sbuf_putc(out, digits[16]);
	}
	for (size_t i = 0; i < length; i++) {
		if (p->space && i > 0) {
			sbuf_putc(out, ' ');
			if (p->sharp) {
				sbuf_putc(out, '0');
				sbuf_putc(out, digits[16]);
			}
		}
		unsigned char c = (unsigned char)s[i];
		sbuf_putc(out, digits[c >> 4]);
		sbuf_putc(out, digits[c & 0xF]);
	}
	if (p->wid_present && (size_t)p->wid > width && p->minus)
		fp_write_padding(p, p->wid - (int)width);
}

/* %q of a string: Go-quoted, backquoted with '#' when possible. */
static void fp_fmt_q(fp *p, const char *s, size_t len)
{
	len = fp_truncate(p, s, len);
	sbuf *tmp = &p->tmp;
	tmp->len = 0;
	if (p->sharp && fmt_can_backquote(s, len)) {
		sbuf_putc(tmp, '`');
		sbuf_put(tmp, s, len);
		sbuf_putc(tmp, '`');
	} else {
		fmt_quote_string(tmp, s, len, p->plus);
	}
	fp_pad(p, tmp->buf, tmp->len);
}

/* %c: the integer as a UTF-8 character. */
static void fp_fmt_c(fp *p, uint64_t c)
{
	char buf[4];
	int32_t r = c > 0x10FFFF ? U8_RUNE_ERROR : (int32_t)c;
	fp_pad(p, buf, u8_encode(buf, r));
}

/* %q of an integer: a quoted Go character constant. */
static void fp_fmt_qc(fp *p, uint64_t c)
{
	int32_t r = c > 0x10FFFF ? U8_RUNE_ERROR : (int32_t)c;
	sbuf *tmp = &p->tmp;
	tmp->len = 0;
	fmt_quote_rune(tmp, r, p->plus);
	fp_pad(p, tmp->buf, tmp->len);
}

/* Floats: strconv's text, then Go's sign, '#' and zero-padding rules. */
static void fp_fmt_float(fp *p, double v, char verb, int prec)
{
	if (p->prec_present)
		prec = p->prec;
	sbuf *nb = &p->tmp;
	nb->len = 0;
	sbuf_putc(nb, '+'); /* room for a sign */
	fmt_strconv_float(nb, v, verb, prec);
	char *num = nb->buf;
	size_t len = nb->len;
	if (num[1] == '-' || num[1] == '+') {
		num++;
		len--;
	} else {
		num[0] = '+';
	}
	if (p->space && num[0] == '+' && !p->plus)
		num[0] = ' ';
	/* Infinities and NaN are not numbers to pad with zeros. */
	if (num[1] == 'I' || num[1] == 'N') {
		bool zero = p->zero;
		p->zero = false;
		if (num[1] == 'N' && !p->space && !p->plus) {
			num++;
			len--;
		}
		fp_pad(p, num, len);
		p->zero = zero;
		return;
	}
	if (p->sharp && verb != 'b') {
		/* '#' keeps the decimal point and trailing zeros. */
		int digits = 0;
		if (verb == 'g' || verb == 'G' || verb == 'x')
			digits = prec == -1 ? 6 : prec;
		const char *tail = "";
		size_t tail_len = 0;
		bool has_point = false, nonzero = false;
		for (size_t i = 1; i < len; i++) {
			char c = num[i];
			if (c == '.') {
				has_point = true;
				continue;
			}
			if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
				tail = num + i;
				tail_len = len - i;
				len = i;
				break;
			}
			if (c != '0')
				nonzero = true;
			if (nonzero)
				digits--;
		}
		sbuf *sharp = &p->tmp2;
		sharp->len = 0;
		sbuf_put(sharp, num, len);
		if (!has_point) {
			if (len == 2 && num[1] == '0')
				digits--; /* a lone leading 0 counts once */
			sbuf_putc(sharp, '.');
		}
		if (digits > 0)
			sbuf_pad(sharp, '0', (size_t)digits);
		sbuf_put(sharp, tail, tail_len);
		num = sharp->buf;
		len = sharp->len;
	}
	if (p->plus || num[0] != '+') {
		/* With zero padding the sign goes before the zeros. */
		if (p->zero && !p->minus && p->wid_present && (size_t)p->wid > len) {
			sbuf_putc(p->out, num[0]);
			fp_write_padding(p, p->wid - (int)len);
			sbuf_put(p->out, num + 1, len - 1);
		} else {
			fp_pad(p, num, len);
		}
	} else {
		fp_pad(p, num + 1, len - 1);
	}
}

/* ---- Verb dispatch over values (Go's pp type). ---- */

static void fp_print_arg(fp *p, const tv *v, int32_t verb);
static void fp_print_concrete(fp *p, const tv *v, int32_t verb, int depth);

/* %!verb(type=value): the verb does not suit the operand. */
static void fp_bad_verb(fp *p, const tv *v, int32_t verb)
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

static void fp_fmt_bool(fp *p, const tv *v, int32_t verb)
{
	if (verb == 't' || verb == 'v')
		fp_fmt_boolean(p, v->u.b);
	else
		fp_bad_verb(p, v, verb);
}

/* A hex number with or without 0x, whatever the '#' flag says. */
static void fp_fmt_0x64(fp *p, uint64_t u, bool leading0x)
{
	bool sharp = p->sharp;
	p->sharp = leading0x;
	fp_fmt_integer(p, u, 16, false, 'v', fp_ldigits);
	p->sharp = sharp;
}

static void fp_fmt_int(fp *p, const tv *v, int32_t verb)
{
	bool is_signed = v->kind == TV_INT;
	uint64_t u = (uint64_t)v->u.i;
	switch (verb) {
	case 'v':
		if (p->sharp_v && !is_signed)
			fp_fmt_0x64(p, u, true);
		else
			fp_fmt_integer(p, u, 10, is_signed, verb, fp_ldigits);
		break;
	case 'd':
		fp_fmt_integer(p, u, 10, is_signed, verb, fp_ldigits);
		break;
	case 'b':
		fp_fmt_integer(p, u, 2, is_signed, verb, fp_ldigits);
		break;
	case 'o':
	case 'O':
		fp_fmt_integer(p, u, 8, is_signed, verb, fp_ldigits);
		break;
	case 'x':
		fp_fmt_integer(p, u, 16, is_signed, verb, fp_ldigits);
		break;
	case 'X':
		fp_fmt_integer(p, u, 16, is_signed, verb, fp_udigits);
		break;
	case 'c':
		fp_fmt_c(p, u);
		break;
	case 'q':
		fp_fmt_qc(p, u);
		break;
	case 'U':
		fp_fmt_unicode(p, u);
		break;
	default:
		fp_bad_verb(p, v, verb);
		break;
	}
}

static void fp_fmt_float_verb(fp *p, const tv *v, int32_t verb)
{
	switch (verb) {
	case 'v':
		fp_fmt_float(p, v->u.f, 'g', -1);
		break;
	case 'b':
	case 'g':
	case 'G':
	case 'x':
	case 'X':
		fp_fmt_float(p, v->u.f, (char)verb, -1);
		break;
	case 'f':
	case 'e':
	case 'E':
		fp_fmt_float(p, v->u.f, (char)verb, 6);
		break;
	case 'F':
		fp_fmt_float(p, v->u.f, 'f', 6);
		break;
	default:
		fp_bad_verb(p, v, verb);
		break;
	}
}

static void fp_fmt_string(fp *p, const tv *v, int32_t verb)
{
	const char *s = v->u.s.ptr;
	size_t len = v->u.s.len;
	switch (verb) {
	case 'v':
		if (p->sharp_v)
			fp_fmt_q(p, s, len);
		else
			fp_fmt_s(p, s, len);
		break;
	case 's':
		fp_fmt_s(p, s, len);
		break;
	case 'x':
		fp_fmt_sx(p, s, len, fp_ldigits);
		break;
	case 'X':
		fp_fmt_sx(p, s, len, fp_udigits);
		break;
	case 'q':
		fp_fmt_q(p, s, len);
		break;
	default:
		fp_bad_verb(p, v, verb);
		break;
	}
}

/* %p: lists and maps are references in Go; print where ours live. */
static void fp_fmt_pointer(fp *p, const tv *v, int32_t verb)
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
static void fp_print_elem(fp *p, const tv *v, int32_t verb, int depth)
{
	if (fp_is_nil(v)) {
		sbuf_puts(p->out, p->sharp_v ? "interface {}(nil)" : "<nil>");
		return;
	}
	fp_print_concrete(p, v, verb, depth + 1);
}

static void fp_print_list(fp *p, const tv *v, int32_t verb, int depth)
{
	size_t n = v->u.list.len;
	if (p->sharp_v) {
		sbuf_puts(p->out, "[]interface {}{");
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				sbuf_puts(p->out, ", ");
			fp_print_elem(p, v->u.list.items[i], verb, depth + 1);
		}
		sbuf_putc(p->out, '}');
		return;
	}
	sbuf_putc(p->out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sbuf_putc(p->out, ' ');
		fp_print_elem(p, v->u.list.items[i], verb, depth + 1);
	}
	sbuf_putc(p->out, ']');
}

static void fp_print_map(fp *p, const tv *v, int32_t verb, int depth)
{
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
	for (size_t i = 0; i < n; i++) {
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

/* A non-nil value of known kind (Go's printValue after the interface). */
static void fp_print_concrete(fp *p, const tv *v, int32_t verb, int depth)
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
	default:
		sbuf_puts(p->out, "<nil>");
		break;
	}
}

/* One operand (Go's printArg). */
static void fp_print_arg(fp *p, const tv *v, int32_t verb)
{
	if (fp_is_nil(v)) {
		if (verb == 'T' || verb == 'v')
			fp_pads(p, "<nil>");
		else
			fp_bad_verb(p, NULL, verb);
		return;
	}
	if (verb == 'T') {
		const char *t = tv_type_name(v);
		fp_fmt_s(p, t, strlen(t));
		return;
	}
	if (verb == 'p') {
		fp_fmt_pointer(p, v, verb);
		return;
	}
	if (verb == 'w' && (v->kind == TV_LIST || v->kind == TV_MAP)) {
		/* Go tries %w on the whole operand (it wants an error) before
		 * walking into it: lists and maps are rejected as a whole. */
		fp_bad_verb(p, v, verb);
		return;
	}
	fp_print_concrete(p, v, verb, 0);
}

/* ---- Sprint, Sprintln, Sprintf. ---- */

void fmt_value(sbuf *out, const tv *v)
{
	if (v && v->kind == TV_STRING) { /* the common case of action output */
		sbuf_put(out, v->u.s.ptr, v->u.s.len);
		return;
	}
	fp p;
	fp_init(&p, out);
	fp_print_arg(&p, v, 'v');
	fp_done(&p);
}

void fmt_sprint(sbuf *out, const tv *const *args, size_t n)
{
	fp p;
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
	fp_done(&p);
}

void fmt_sprintln(sbuf *out, const tv *const *args, size_t n)
{
	fp p;
	fp_init(&p, out);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sbuf_putc(out, ' ');
		fp_print_arg(&p, args[i], 'v');
	}
	sbuf_putc(out, '\n');
	fp_done(&p);
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
static size_t fp_argnumber(fp *p, size_t *argnum, const char *format, size_t i, size_t end, size_t nargs,
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

void fmt_sprintf(sbuf *out, const char *format, size_t flen, const tv *const *args, size_t n)
{
	fp p;
	fp_init(&p, out);
	size_t end = flen, argnum = 0, i = 0;
	bool after_index = false;
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

		fp_clearflags(&p);
		for (; i < end; i++) {
			char c = format[i];
			if (c == '#')
				p.sharp = true;
			else if (c == '0')
				p.zero = true;
			else if (c == '+')
				p.plus = true;
			else if (c == '-')
				p.minus = true;
			else if (c == ' ')
				p.space = true;
			else
				break;
		}

		i = fp_argnumber(&p, &argnum, format, i, end, n, &after_index);

		/* width */
		if (i < end && format[i] == '*') {
			i++;
			argnum = fp_int_from_arg(args, n, argnum, &p.wid, &p.wid_present);
			if (!p.wid_present)
				sbuf_puts(out, "%!(BADWIDTH)");
			if (p.wid < 0) {
				p.wid = -p.wid;
				p.minus = true;
				p.zero = false;
			}
			after_index = false;
		} else {
			i = fp_parsenum(format, i, end, &p.wid, &p.wid_present);
			if (after_index && p.wid_present) /* "%[3]2d" */
				p.good_argnum = false;
		}

		/* precision */
		if (i + 1 < end && format[i] == '.') {
			i++;
			if (after_index) /* "%[3].2d" */
				p.good_argnum = false;
			i = fp_argnumber(&p, &argnum, format, i, end, n, &after_index);
			if (i < end && format[i] == '*') {
				i++;
				argnum = fp_int_from_arg(args, n, argnum, &p.prec, &p.prec_present);
				if (p.prec < 0) {
					p.prec = 0;
					p.prec_present = false;
				}
				if (!p.prec_present)
					sbuf_puts(out, "%!(BADPREC)");
				after_index = false;
			} else {
				i = fp_parsenum(format, i, end, &p.prec, &p.prec_present);
				if (!p.prec_present) {
					p.prec = 0;
					p.prec_present = true;
				}
			}
		}

		if (!after_index)
			i = fp_argnumber(&p, &argnum, format, i, end, n, &after_index);

		if (i >= end) {
			sbuf_puts(out, "%!(NOVERB)");
			break;
		}

		size_t size = 1;
		int32_t verb = (unsigned char)format[i];
		if (verb >= 0x80)
			verb = u8_decode(format + i, end - i, &size);
		i += size;

		if (verb == '%') {
			/* takes no operand; width and precision are ignored */
			sbuf_putc(out, '%');
		} else if (!p.good_argnum) {
			sbuf_puts(out, "%!");
			fp_put_rune(out, verb);
			sbuf_puts(out, "(BADINDEX)");
		} else if (argnum >= n) {
			sbuf_puts(out, "%!");
			fp_put_rune(out, verb);
			sbuf_puts(out, "(MISSING)");
		} else {
			if (verb == 'v') {
				/* %#v and %+v are their own formats */
				p.sharp_v = p.sharp;
				p.sharp = false;
				p.plus_v = p.plus;
				p.plus = false;
			}
			fp_print_arg(&p, args[argnum], verb);
			argnum++;
		}
	}

	/* Unused operands, unless the format picked them by index. */
	if (!p.reordered && argnum < n) {
		fp_clearflags(&p);
		sbuf_puts(out, "%!(EXTRA ");
		for (size_t k = argnum; k < n; k++) {
			if (k > argnum)
				sbuf_puts(out, ", ");
			if (fp_is_nil(args[k])) {
				sbuf_puts(out, "<nil>");
			} else {
				sbuf_puts(out, tv_type_name(args[k]));
				sbuf_putc(out, '=');
				fp_print_arg(&p, args[k], 'v');
			}
		}
		sbuf_putc(out, ')');
	}
	fp_done(&p);
}
