/* types_quantity.c: Kubernetes resource.Quantity: a text read as ParseQuantity reads it, written back as MarshalJSON writes it ("2000m" -> "2"), or its integer Value.
 *
 * The one home of quantities: the typed round trip (types_norm.c) writes
 * every TK_QUANTITY field with types_quantity_canon, and the programs'
 * size flags (--max-memory 64Mi) read theirs with types_quantity_value.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "types.h"

#define QTY_RE "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

typedef enum { QF_DECEXP, QF_BINSI, QF_DECSI } qty_fmt;

/* A parsed quantity: sign, numerator and denominator digits (leading zeros
 * of the numerator stripped, as parseQuantityString does), the suffix's
 * base and exponent. */
typedef struct qty {
	const char *text; /* trimmed input */
	size_t ntext;
	bool positive;
	const char *num, *denom;
	size_t nnum, ndenom;
	int base, exponent;
	qty_fmt format;
} qty;

enum { QTY_FORMAT = -1, QTY_SUFFIX = -2 };

typedef unsigned __int128 qty_u128;

/* quantitySuffixer.interpret */
static bool qty_suffix(const char *s, size_t n, int *base, int *exp, qty_fmt *fmt)
{
	static const struct { const char *s; int exp; } dec[] = {
		{"n", -9}, {"u", -6}, {"m", -3}, {"", 0}, {"k", 3}, {"M", 6},
		{"G", 9}, {"T", 12}, {"P", 15}, {"E", 18},
	};
	static const struct { const char *s; int exp; } bin[] = {
		{"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60},
	};
	for (size_t i = 0; i < sizeof dec / sizeof dec[0]; i++)
		if (strlen(dec[i].s) == n && memcmp(dec[i].s, s, n) == 0) {
			*base = 10, *exp = dec[i].exp, *fmt = QF_DECSI;
			return true;
		}
	for (size_t i = 0; i < sizeof bin / sizeof bin[0]; i++)
		if (strlen(bin[i].s) == n && memcmp(bin[i].s, s, n) == 0) {
			*base = 2, *exp = bin[i].exp, *fmt = QF_BINSI;
			return true;
		}
	if (n > 1 && (s[0] == 'e' || s[0] == 'E')) {
		/* strconv.ParseInt(s[1:], 10, 64), then int32 */
		size_t i = 1;
		bool neg = false;
		if (s[i] == '+' || s[i] == '-')
			neg = s[i++] == '-';
		if (i == n)
			return false;
		long long v = 0;
		for (; i < n; i++) {
			if (s[i] < '0' || s[i] > '9' || v > 100000000)
				return false;
			v = v * 10 + (s[i] - '0');
		}
		*base = 10, *exp = (int)(neg ? -v : v), *fmt = QF_DECEXP;
		return true;
	}
	return false;
}

/* strings.TrimSpace (UnmarshalJSON's), then parseQuantityString and the suffix. */
static int qty_parse(const char *s0, size_t n0, qty *q)
{
	while (n0 && isspace((unsigned char)*s0))
		s0++, n0--;
	while (n0 && isspace((unsigned char)s0[n0 - 1]))
		n0--;
	q->text = s0, q->ntext = n0;
	const char *s = s0;
	size_t n = n0, pos = 0;
	if (n == 0)
		return QTY_FORMAT;
	q->positive = true;
	if (s[0] == '-' || s[0] == '+')
		q->positive = s[pos++] != '-';
	while (pos < n && s[pos] == '0')
		pos++;
	const char *suffix = "";
	size_t nsuffix = 0;
	q->num = "0", q->nnum = 1, q->denom = "", q->ndenom = 0;
	if (pos < n) {
		size_t st = pos;
		while (pos < n && s[pos] >= '0' && s[pos] <= '9')
			pos++;
		if (pos > st)
			q->num = s + st, q->nnum = pos - st;
		if (pos < n && s[pos] == '.') {
			st = ++pos;
			while (pos < n && s[pos] >= '0' && s[pos] <= '9')
				pos++;
			q->denom = s + st, q->ndenom = pos - st;
		}
		st = pos;
		while (pos < n && strchr("eEinumkKMGTP", s[pos]))
			pos++;
		if (pos < n && (s[pos] == '-' || s[pos] == '+'))
			pos++;
		while (pos < n && s[pos] >= '0' && s[pos] <= '9')
			pos++;
		if (pos < n)
			return QTY_FORMAT;
		suffix = s + st, nsuffix = n - st;
	}
	q->base = 10, q->exponent = 0, q->format = QF_DECSI;
	if (!qty_suffix(suffix, nsuffix, &q->base, &q->exponent, &q->format))
		return QTY_SUFFIX;
	return 0;
}

/* ParseQuantity's fast path keeps the text when it is already canonical. */
static bool qty_keeps_text(const qty *q)
{
	int precision, scale = 0;
	if (q->format == QF_BINSI) {
		if (q->exponent >= 0 && q->ndenom == 0)
			precision = 15 - (int)q->nnum - (int)((float)q->exponent * 3 / 10) - 1;
		else
			precision = -1;
	} else {
		scale = q->exponent;
		precision = 18 - (int)(q->nnum + q->ndenom);
	}
	if (precision < 0)
		return false;
	scale -= (int)q->ndenom;
	if (scale < -9)
		return false;
	/* value = num+denom fits int64 (at most 18 digits) */
	long long value = 0;
	for (size_t i = 0; i < q->nnum; i++)
		value = value * 10 + (q->num[i] - '0');
	for (size_t i = 0; i < q->ndenom; i++)
		value = value * 10 + (q->denom[i] - '0');
	if (q->format == QF_BINSI && q->exponent > 0 &&
	    !(q->exponent < 63 && value <= (INT64_MAX >> q->exponent)))
		return false;
	/* Go: shifted := num + denom; num is "0" or has no leading zero */
	if (q->format == QF_BINSI)
		return q->exponent % 10 == 0 && (value & 7) != 0;
	bool lead0 = q->nnum == 1 && q->num[0] == '0';
	size_t tot = q->nnum + q->ndenom;
	bool zeros3 = false;
	if (tot >= 3) {
		zeros3 = true;
		for (size_t k = tot - 3; k < tot; k++)
			zeros3 = zeros3 && (k < q->nnum ? q->num[k] : q->denom[k - q->nnum]) == '0';
	}
	return scale % 3 == 0 && !zeros3 && !lead0;
}

/* The magnitude as *U times 10^*E, rounded away from zero to nano units
 * (*E >= -9), binary suffixes multiplied out. */
static void qty_nanos(const qty *q, qty_u128 *Uo, int *Eo)
{
	qty_u128 U = 0;
	int E = -(int)q->ndenom;
	const qty_u128 lim = ((qty_u128)1 << 120) / 10;
	int dropped = 0;
	bool inexact = false;
	for (size_t i = 0; i < q->nnum + q->ndenom; i++) {
		int d = i < q->nnum ? q->num[i] - '0' : q->denom[i - q->nnum] - '0';
		if (U >= lim) {
			/* too many digits: keep magnitude, remember the loss */
			dropped++;
			inexact = inexact || d != 0;
			continue;
		}
		U = U * 10 + (qty_u128)d;
	}
	E += dropped;
	if (q->base == 10) {
		E += q->exponent;
	} else {
		for (int i = 0; i < q->exponent; i++) {
			if (U >= ((qty_u128)1 << 125)) {
				if (U % 10)
					inexact = true;
				U /= 10;
				E++;
			}
			U <<= 1;
		}
	}
	while (E < -9) {
		if (U % 10)
			inexact = true;
		U /= 10;
		E++;
	}
	if (inexact)
		U++;
	*Uo = U;
	*Eo = E;
}

static void qty_put_u128(sbuf *b, qty_u128 v)
{
	char buf[48];
	int w = (int)sizeof buf;
	do {
		buf[--w] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	sbuf_put(b, buf + w, sizeof buf - (size_t)w);
}

/* Quantity.String of a parsed text that is not kept as written. */
static void qty_write(const qty *q, sbuf *b)
{
	qty_u128 U;
	int E;
	qty_nanos(q, &U, &E);
	if (U == 0) {
		sbuf_putc(b, '0');
		return;
	}
	qty_fmt format = q->format;
	/* Beyond int64 Kubernetes caps binary quantities; keep it simple: the
	 * decimal form. */
	if (format == QF_BINSI) {
		/* < 1 became DecimalSI; |v| < 1024 prints as DecimalSI too */
		qty_u128 v = U;
		int e = E;
		bool integral = true;
		while (e < 0) {
			if (v % 10) {
				integral = false;
				break;
			}
			v /= 10;
			e++;
		}
		if (integral) {
			while (e > 0 && v < ((qty_u128)1 << 120)) {
				v *= 10;
				e--;
			}
		}
		if (integral && e == 0 && v >= 1024) {
			int times = 0;
			while (v % 1024 == 0 && times < 6) {
				v /= 1024;
				times++;
			}
			static const char *const bsuf[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
			if (!q->positive)
				sbuf_putc(b, '-');
			qty_put_u128(b, v);
			sbuf_puts(b, bsuf[times]);
			return;
		}
		format = QF_DECSI;
	}
	while (U % 10 == 0) {
		U /= 10;
		E++;
	}
	int r = E % 3;
	if (r == 1 || r == -2) {
		U *= 10;
		E -= 1;
	} else if (r == 2 || r == -1) {
		U *= 100;
		E -= 2;
	}
	if (!q->positive)
		sbuf_putc(b, '-');
	qty_put_u128(b, U);
	if (format == QF_DECSI && E >= -9 && E <= 18) {
		static const char *const dsuf[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
		sbuf_puts(b, dsuf[(E + 9) / 3]);
	} else if (E != 0) {
		sbuf_printf(b, "e%d", E);
	}
}

int types_quantity_canon(tmpl_arena *a, const char *s, size_t n, const tv **out, tmpl_error *err)
{
	qty q;
	int rc = qty_parse(s, n, &q);
	if (rc == QTY_FORMAT)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
				      "quantities must match the regular expression " QTY_RE);
	if (rc == QTY_SUFFIX)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
				      "unable to parse quantity's suffix");
	if (qty_keeps_text(&q)) {
		*out = tv_string(a, q.text, q.ntext);
		return 0;
	}
	sbuf b = SBUF_INIT;
	qty_write(&q, &b);
	*out = tv_string(a, b.buf, b.len);
	sbuf_free(&b);
	return 0;
}

int types_quantity_value(const char *s, size_t n, uint64_t *out)
{
	qty q;
	if (qty_parse(s, n, &q) != 0)
		return -1;
	qty_u128 U;
	int E;
	qty_nanos(&q, &U, &E);
	if (U != 0 && !q.positive)
		return -1;
	/* Value: the integer, fractions rounded up */
	bool rest = false;
	for (; E < 0; E++) {
		rest = rest || U % 10 != 0;
		U /= 10;
	}
	if (rest)
		U++;
	for (; E > 0 && U; E--) {
		if (U > UINT64_MAX)
			return -1;
		U *= 10;
	}
	if (U > UINT64_MAX)
		return -1;
	*out = (uint64_t)U;
	return 0;
}
