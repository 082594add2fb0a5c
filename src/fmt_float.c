/* fmt_float.c: strconv.FormatFloat for float64: shortest and fixed-precision
 * decimal forms, Go's %g layout, and the binary (%b) and hex (%x) forms.
 *
 * Decimal digits come from glibc's printf, which is correctly rounded (ties
 * to even on exact halves, as Go's decimal rounding does); the shortest form
 * is the fewest digits that read back (strtod) as the same double: an exact
 * integer-arithmetic check for values with few decimals, else a search over
 * printf's correctly rounded 1..17-digit forms. */
#include "fmt_impl.h"
#include "error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for the exact decimal expansion of any double (767 significant
 * digits at most), so asking for more digits changes nothing but zeros. */
#define FF_MAXDIGITS 800

/* A decimal significand: value = 0.d[0]d[1]...d[nd-1] x 10^dp, no trailing zeros. */
typedef struct ff_digits {
	char d[FF_MAXDIGITS + 8];
	int nd;
	int dp;
} ff_digits;

/* Parse printf's "%.*e" output of a finite non-negative number. */
static void ff_parse_e(const char *s, ff_digits *dg)
{
	int nd = 0;
	const char *p = s;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			dg->d[nd++] = *p;
	int exp = *p == 'e' ? atoi(p + 1) : 0;
	while (nd > 0 && dg->d[nd - 1] == '0')
		nd--;
	dg->nd = nd;
	dg->dp = nd == 0 ? 0 : exp + 1;
}

/* Digits of v (finite, >= 0) rounded to n significant digits. */
static void ff_fixed_digits(double v, int n, ff_digits *dg)
{
	char buf[FF_MAXDIGITS + 32];
	if (n > FF_MAXDIGITS)
		n = FF_MAXDIGITS;
	snprintf(buf, sizeof buf, "%.*e", n - 1, v);
	ff_parse_e(buf, dg);
}

/* Add one unit in the last of n digits of buf ("d.ddd" without the point). */
static int ff_increment(char *d, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		if (d[i] != '9') {
			d[i]++;
			return 0;
		}
		d[i] = '0';
	}
	memmove(d + 1, d, (size_t)n);
	d[0] = '1';
	return 1; /* carried into a new leading digit */
}

/* Does the decimal d[0..n) x 10^(exp+1-n) read back as v? */
static int ff_roundtrips(const char *d, int n, int exp, double v)
{
	char buf[64];
	/* an integer significand needs no decimal point (locale-free) */
	memcpy(buf, d, (size_t)n);
	snprintf(buf + n, sizeof buf - (size_t)n, "e%d", exp - (n - 1));
	return strtod(buf, NULL) == v;
}

/* Fast path for the common case of few decimals: find the smallest k such
 * that exactly one integer m near v*10^k gives m/10^k == v. With m < 2^52
 * and k <= 22 both operands are exact and the division is correctly
 * rounded, so the test is exactly strtod's (Clinger's fast path). Gives up
 * (returns 0) when two candidates tie in length or the range is exceeded. */
static int ff_shortest_fast(double v, ff_digits *dg)
{
	static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	const double limit = 4503599627370496.0; /* 2^52 */
	if (!(v < limit))
		return 0;
	for (int k = 0; k <= 22; k++) {
		double p = v * p10[k];
		if (p >= limit - 2)
			return 0;
		double m = nearbyint(p);
		int found = 0;
		double hit = 0;
		for (double c = m - 1; c <= m + 1; c++) {
			if (c > 0 && c / p10[k] == v) {
				found++;
				hit = c;
			}
		}
		if (found > 1)
			return 0;
		if (found == 1) {
			char buf[24];
			int n = 0;
			for (uint64_t u = (uint64_t)hit; u; u /= 10)
				buf[n++] = (char)('0' + u % 10);
			int nd = n, lo = 0;
			while (lo < n && buf[lo] == '0')
				lo++; /* trailing zeros, stored first */
			nd = n - lo;
			for (int i = 0; i < nd; i++)
				dg->d[i] = buf[n - 1 - i];
			dg->nd = nd;
			dg->dp = n - k;
			return 1;
		}
	}
	return 0;
}

/* The shortest digits that read back as v (finite, > 0), closest to v
 * among equally short candidates, as Go's shortest formatting chooses. */
static void ff_shortest_digits(double v, ff_digits *dg)
{
	if (ff_shortest_fast(v, dg))
		return;
	char buf[64];
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	/* At a power of two the gap below v is half the gap above, so the
	 * correctly rounded candidate may fall outside while the next one
	 * up is inside. */
	int pow2 = (bits & ((UINT64_C(1) << 52) - 1)) == 0 && (bits >> 52) > 1;
	if (!pow2) {
		/* With a symmetric interval, if p digits read back so do p+1
		 * (the p-digit answer is a candidate at p+1), so bisect. */
		int lo = 1, hi = 17;
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			snprintf(buf, sizeof buf, "%.*e", mid - 1, v);
			if (strtod(buf, NULL) == v)
				hi = mid;
			else
				lo = mid + 1;
		}
		snprintf(buf, sizeof buf, "%.*e", lo - 1, v);
		ff_parse_e(buf, dg);
		return;
	}
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, v);
		if (strtod(buf, NULL) == v) {
			ff_parse_e(buf, dg);
			return;
		}
		if (pow2) {
			ff_digits c;
			ff_parse_e(buf, &c);
			char d[32];
			int exp = c.dp - 1;
			memset(d, '0', sizeof d);
			memcpy(d, c.d, (size_t)c.nd);
			if (ff_increment(d, p))
				exp++;
			if (ff_roundtrips(d, p, exp, v)) {
				int nd = p;
				while (nd > 0 && d[nd - 1] == '0')
					nd--;
				memcpy(dg->d, d, (size_t)nd);
				dg->nd = nd;
				dg->dp = exp + 1;
				return;
			}
		}
	}
	/* 17 digits always read back; not reached. */
	snprintf(buf, sizeof buf, "%.16e", v);
	ff_parse_e(buf, dg);
}

/* Go's %e layout: d.ddd e±dd with prec digits after the point. */
static void ff_put_e(sbuf *out, bool neg, const ff_digits *dg, int prec, char fmtc)
{
	if (neg)
		sbuf_putc(out, '-');
	sbuf_putc(out, dg->nd ? dg->d[0] : '0');
	if (prec > 0) {
		sbuf_putc(out, '.');
		int i = 1;
		int m = dg->nd < prec + 1 ? dg->nd : prec + 1;
		if (i < m) {
			sbuf_put(out, dg->d + i, (size_t)(m - i));
			i = m;
		}
		if (i <= prec)
			sbuf_pad(out, '0', (size_t)(prec - i + 1));
	}
	sbuf_putc(out, fmtc);
	int exp = dg->nd == 0 ? 0 : dg->dp - 1;
	if (exp < 0) {
		sbuf_putc(out, '-');
		exp = -exp;
	} else {
		sbuf_putc(out, '+');
	}
	if (exp < 10)
		sbuf_printf(out, "0%d", exp);
	else
		sbuf_printf(out, "%d", exp);
}

/* Go's %f layout with prec digits after the point. */
static void ff_put_f(sbuf *out, bool neg, const ff_digits *dg, int prec)
{
	if (neg)
		sbuf_putc(out, '-');
	if (dg->dp > 0) {
		int m = dg->nd < dg->dp ? dg->nd : dg->dp;
		sbuf_put(out, dg->d, (size_t)m);
		if (m < dg->dp)
			sbuf_pad(out, '0', (size_t)(dg->dp - m));
	} else {
		sbuf_putc(out, '0');
	}
	if (prec > 0) {
		sbuf_putc(out, '.');
		for (int i = 0; i < prec; i++) {
			int j = dg->dp + i;
			sbuf_putc(out, j >= 0 && j < dg->nd ? dg->d[j] : '0');
		}
	}
}

/* Go's %g (and shortest %e/%f) choice between the two layouts. */
static void ff_format_digits(sbuf *out, bool shortest, bool neg, const ff_digits *dg, int prec, char fmtc)
{
	switch (fmtc) {
	case 'e':
	case 'E':
		ff_put_e(out, neg, dg, prec, fmtc);
		return;
	case 'f':
		ff_put_f(out, neg, dg, prec);
		return;
	default:
		break;
	}
	int eprec = prec;
	if (eprec > dg->nd && dg->nd >= dg->dp)
		eprec = dg->nd;
	if (shortest)
		eprec = 6;
	int exp = dg->dp - 1;
	if (exp < -4 || exp >= eprec) {
		if (prec > dg->nd)
			prec = dg->nd;
		ff_put_e(out, neg, dg, prec - 1, (char)(fmtc + 'e' - 'g'));
		return;
	}
	if (prec > dg->dp)
		prec = dg->nd;
	ff_put_f(out, neg, dg, prec - dg->dp > 0 ? prec - dg->dp : 0);
}

/* %b: decimal mantissa, 'p', binary exponent. */
static void ff_put_b(sbuf *out, bool neg, uint64_t mant, int exp)
{
	exp -= 52;
	sbuf_printf(out, "%s%llup%s%d", neg ? "-" : "", (unsigned long long)mant, exp >= 0 ? "+" : "", exp);
}

/* %x: -0x1.hhhhp±dd, mantissa rounded to prec hex digits when prec >= 0. */
static void ff_put_x(sbuf *out, int prec, char fmtc, bool neg, uint64_t mant, int exp)
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
	const char *hex = fmtc == 'X' ? upper : lower;
	if (mant == 0)
		exp = 0;
	/* Put the leading 1 (if any) at bit 60. */
	mant <<= 60 - 52;
	while (mant != 0 && (mant & (UINT64_C(1) << 60)) == 0) {
		mant <<= 1;
		exp--;
	}
	if (prec >= 0 && prec < 15) {
		unsigned shift = (unsigned)prec * 4;
		uint64_t extra = (mant << shift) & ((UINT64_C(1) << 60) - 1);
		mant >>= 60 - shift;
		if ((extra | (mant & 1)) > (UINT64_C(1) << 59))
			mant++;
		mant <<= 60 - shift;
		if (mant & (UINT64_C(1) << 61)) {
			mant >>= 1;
			exp++;
		}
	}
	if (neg)
		sbuf_putc(out, '-');
	sbuf_putc(out, '0');
	sbuf_putc(out, fmtc);
	sbuf_putc(out, (char)('0' + ((mant >> 60) & 1)));
	mant <<= 4;
	if (prec < 0 && mant != 0) {
		sbuf_putc(out, '.');
		while (mant != 0) {
			sbuf_putc(out, hex[(mant >> 60) & 15]);
			mant <<= 4;
		}
	} else if (prec > 0) {
		sbuf_putc(out, '.');
		for (int i = 0; i < prec; i++) {
			sbuf_putc(out, hex[(mant >> 60) & 15]);
			mant <<= 4;
		}
	}
	sbuf_putc(out, fmtc == 'X' ? 'P' : 'p');
	if (exp < 0) {
		sbuf_putc(out, '-');
		exp = -exp;
	} else {
		sbuf_putc(out, '+');
	}
	if (exp < 10)
		sbuf_printf(out, "0%d", exp);
	else
		sbuf_printf(out, "%d", exp);
}

/* %.Nf without printf when the answer is certain: with 10^prec exact and
 * x = |v| * 10^prec below 2^40, the rounded product is within 2^-14 of the
 * exact one, so unless x lies within 2^-12 of a half (a tie or close to
 * one: the exact digits decide, and printf is correctly rounded) rounding
 * x to the nearest integer gives the correctly rounded digits. */
static bool ff_fixed_fast(sbuf *out, bool neg, double a, int prec)
{
	static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11};
	static const uint64_t u10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				       100000000, 1000000000, 10000000000, 100000000000};
	if (prec < 0 || prec > 11)
		return false;
	double x = a * p10[prec];
	if (!(x < 1099511627776.0)) /* 2^40 */
		return false;
	double fl = floor(x);
	double frac = x - fl; /* exact: both below 2^40 and within 1 */
	if (fabs(frac - 0.5) < 1.0 / 4096)
		return false;
	uint64_t n = (uint64_t)fl + (frac > 0.5);
	uint64_t ip = n / u10[prec], fp = n % u10[prec];
	char buf[48];
	size_t i = sizeof buf;
	for (int k = 0; k < prec; k++) {
		buf[--i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	if (prec > 0)
		buf[--i] = '.';
	do {
		buf[--i] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	if (neg)
		buf[--i] = '-';
	sbuf_put(out, buf + i, sizeof buf - i);
	return true;
}

void fmt_strconv_float(sbuf *out, double v, char verb, int prec)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	bool neg = bits >> 63;
	int bexp = (int)((bits >> 52) & 0x7FF);
	uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);

	if (bexp == 0x7FF) {
		sbuf_puts(out, mant ? "NaN" : neg ? "-Inf" : "+Inf");
		return;
	}
	if (bexp == 0)
		bexp++; /* denormal */
	else
		mant |= UINT64_C(1) << 52;
	bexp -= 1023;
	if (verb == 'b') {
		ff_put_b(out, neg, mant, bexp);
		return;
	}
	if (verb == 'x' || verb == 'X') {
		ff_put_x(out, prec, verb, neg, mant, bexp);
		return;
	}

	double a = fabs(v);
	ff_digits dg;
	if (prec < 0) {
		if (a == 0) {
			dg.nd = 0;
			dg.dp = 0;
		} else {
			ff_shortest_digits(a, &dg);
		}
		switch (verb) {
		case 'e':
		case 'E':
			prec = dg.nd > 1 ? dg.nd - 1 : 0;
			break;
		case 'f':
			prec = dg.nd - dg.dp > 0 ? dg.nd - dg.dp : 0;
			break;
		default:
			prec = dg.nd;
			break;
		}
		ff_format_digits(out, true, neg, &dg, prec, verb);
		return;
	}
	if (verb == 'e' || verb == 'E') {
		if (a == 0) {
			dg.nd = 0;
			dg.dp = 0;
		} else {
			ff_fixed_digits(a, prec + 1 > FF_MAXDIGITS ? FF_MAXDIGITS : prec + 1, &dg);
		}
		ff_put_e(out, neg, &dg, prec, verb);
		return;
	}
	if (verb == 'f') {
		if (ff_fixed_fast(out, neg, a, prec))
			return;
		/* printf's %f is Go's, but its decimal point is the locale's:
		 * copy the digits and write '.' for whatever separates them. */
		char small[512];
		size_t room = (size_t)prec + 340;
		char *buf = room <= sizeof small ? small : malloc(room);
		if (!buf)
			tmpl_out_of_memory();
		int n = snprintf(buf, room, "%.*f", prec, v);
		sbuf_reserve(out, n > 0 ? (size_t)n : 0);
		bool point = false;
		for (int i = 0; i < n; i++) {
			char c = buf[i];
			if ((c >= '0' && c <= '9') || (i == 0 && c == '-'))
				sbuf_putc(out, c);
			else if (!point) {
				sbuf_putc(out, '.');
				point = true;
			}
		}
		if (buf != small)
			free(buf);
		return;
	}
	/* g, G with a precision. */
	if (prec == 0)
		prec = 1;
	if (a == 0) {
		dg.nd = 0;
		dg.dp = 0;
	} else {
		ff_fixed_digits(a, prec, &dg);
	}
	ff_format_digits(out, false, neg, &dg, prec, verb);
}

void fmt_float32_shortest(sbuf *b, double f)
{
	float x = (float)f;
	char buf[64];
	if (isnan(x)) {
		sbuf_puts(b, "NaN");
		return;
	}
	if (isinf(x)) {
		sbuf_puts(b, x < 0 ? "-Inf" : "+Inf");
		return;
	}
	int p;
	for (p = 0; p < 9; p++) {
		snprintf(buf, sizeof buf, "%.*e", p, (double)x);
		if ((float)strtod(buf, NULL) == x)
			break;
	}
	/* buf = [-]d[.ddd]e[+-]XX: digits and exponent */
	char digits[16];
	size_t nd = 0;
	const char *s = buf;
	bool neg = *s == '-';
	if (neg)
		s++;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			digits[nd++] = *s;
	int exp = atoi(s + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (neg)
		sbuf_putc(b, '-');
	if (x == 0) {
		sbuf_putc(b, '0');
		return;
	}
	/* %e when the exponent is below -4 or at least the precision, which is 6
	 * for the shortest form (strconv's ftoa) */
	if (exp < -4 || exp >= 6) {
		sbuf_putc(b, digits[0]);
		if (nd > 1) {
			sbuf_putc(b, '.');
			sbuf_put(b, digits + 1, nd - 1);
		}
		sbuf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
		return;
	}
	if (exp < 0) {
		sbuf_puts(b, "0.");
		for (int i = -1; i > exp; i--)
			sbuf_putc(b, '0');
		sbuf_put(b, digits, nd);
		return;
	}
	for (int i = 0; i <= exp; i++)
		sbuf_putc(b, (size_t)i < nd ? digits[i] : '0');
	if ((size_t)exp + 1 < nd) {
		sbuf_putc(b, '.');
		sbuf_put(b, digits + exp + 1, nd - (size_t)exp - 1);
	}
}
