/* fmt_prim.c: Go's fmt primitives: padding, integers, strings, characters and
 * floats written with the flags, width and precision of the current verb. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_impl.h"
#include "utf8.h"
#include "error.h"

#define FP_INTBUF 80

const char fmt_ldigits[] = "0123456789abcdefx";
const char fmt_udigits[] = "0123456789ABCDEFX";

void fmt_put_padding(fmt_state *p, int n)
{
	if (n <= 0)
		return;
	/* zero padding only ever goes on the left */
	sbuf_pad(p->out, p->zero && !p->minus ? '0' : ' ', (size_t)n);
}

/* Append s padded to the width, counting runes. */
void fmt_put_padded(fmt_state *p, const char *s, size_t len)
{
	if (!p->wid_present || p->wid == 0) {
		sbuf_put(p->out, s, len);
		return;
	}
	size_t runes = u8_count(s, len);
	int width = runes >= (size_t)p->wid ? 0 : p->wid - (int)runes;
	if (!p->minus) {
		fmt_put_padding(p, width);
		sbuf_put(p->out, s, len);
	} else {
		sbuf_put(p->out, s, len);
		fmt_put_padding(p, width);
	}
}

void fmt_put_padded_str(fmt_state *p, const char *s)
{
	fmt_put_padded(p, s, strlen(s));
}

void fmt_put_bool(fmt_state *p, bool b)
{
	fmt_put_padded_str(p, b ? "true" : "false");
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
			tmpl_out_of_memory();
		nb->size = need;
	}
}

static void fp_numbuf_free(fp_numbuf *nb)
{
	if (nb->buf != nb->small)
		free(nb->buf);
}

/* %U: "U+0078", with '#' "U+0078 'x'". */
void fmt_put_unicode(fmt_state *p, uint64_t u)
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
		buf[--i] = fmt_udigits[u & 0xF];
		prec--;
		u >>= 4;
	}
	buf[--i] = fmt_udigits[u];
	prec--;
	while (prec > 0) {
		buf[--i] = '0';
		prec--;
	}
	buf[--i] = '+';
	buf[--i] = 'U';
	bool zero = p->zero;
	p->zero = false;
	fmt_put_padded(p, buf + i, nb.size - i);
	p->zero = zero;
	fp_numbuf_free(&nb);
}

/* Signed or unsigned integers in base 2, 8, 10 or 16. */
void fmt_put_integer(fmt_state *p, uint64_t u, int base, bool is_signed, int32_t verb, const char *digits)
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
			fmt_put_padding(p, p->wid);
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
	fmt_put_padded(p, buf + i, nb.size - i);
	p->zero = zero;
	fp_numbuf_free(&nb);
}

/* The byte length of s cut to the precision in runes. */
static size_t fp_truncate(fmt_state *p, const char *s, size_t len)
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

void fmt_put_string(fmt_state *p, const char *s, size_t len)
{
	fmt_put_padded(p, s, fp_truncate(p, s, len));
}

/* %x, % x, %#x, %X of a string's bytes. */
void fmt_put_hex_string(fmt_state *p, const char *s, size_t len, const char *digits)
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
			fmt_put_padding(p, p->wid);
		return;
	}
	if (p->wid_present && (size_t)p->wid > width && !p->minus)
		fmt_put_padding(p, p->wid - (int)width);
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
		fmt_put_padding(p, p->wid - (int)width);
}

/* %q of a string: Go-quoted, backquoted with '#' when possible. */
void fmt_put_quoted(fmt_state *p, const char *s, size_t len)
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
	fmt_put_padded(p, tmp->buf, tmp->len);
}

/* %c: the integer as a UTF-8 character. */
void fmt_put_char(fmt_state *p, uint64_t c)
{
	char buf[4];
	int32_t r = c > 0x10FFFF ? U8_RUNE_ERROR : (int32_t)c;
	fmt_put_padded(p, buf, u8_encode(buf, r));
}

/* %q of an integer: a quoted Go character constant. */
void fmt_put_quoted_rune(fmt_state *p, uint64_t c)
{
	int32_t r = c > 0x10FFFF ? U8_RUNE_ERROR : (int32_t)c;
	sbuf *tmp = &p->tmp;
	tmp->len = 0;
	fmt_quote_rune(tmp, r, p->plus);
	fmt_put_padded(p, tmp->buf, tmp->len);
}

/* Floats: strconv's text, then Go's sign, '#' and zero-padding rules. */
void fmt_put_float(fmt_state *p, double v, char verb, int prec)
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
		fmt_put_padded(p, num, len);
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
			fmt_put_padding(p, p->wid - (int)len);
			sbuf_put(p->out, num + 1, len - 1);
		} else {
			fmt_put_padded(p, num, len);
		}
	} else {
		fmt_put_padded(p, num + 1, len - 1);
	}
}
