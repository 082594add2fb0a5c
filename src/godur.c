/* godur.c: Go's time.ParseDuration and Duration.String (Go's time/format.go and time.go, in integer arithmetic as Go does them).
 *
 * Durations reach us as protobuf fields of Istio's mesh config (read by the
 * typed view and the typed round trip), as formatDuration's output, and as
 * the programs' --timeout flag and the API server's ?timeout= parameter.
 */
#include "godur.h"

#include <stdbool.h>
#include <string.h>

#define GODUR_2P63 ((uint64_t)1 << 63)

/* time.leadingInt: digits from *i; false on overflow. */
static bool godur_leading_int(const char *s, size_t len, size_t *i, uint64_t *x)
{
	*x = 0;
	for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		if (*x > GODUR_2P63 / 10)
			return false;
		*x = *x * 10 + (uint64_t)(s[*i] - '0');
		if (*x > GODUR_2P63)
			return false;
	}
	return true;
}

/* time.leadingFraction: digits from *i as x / scale; digits past
 * overflow are read and ignored. */
static void godur_leading_fraction(const char *s, size_t len, size_t *i, uint64_t *x,
				   double *scale)
{
	bool overflow = false;
	*x = 0;
	*scale = 1;
	for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		if (overflow)
			continue;
		if (*x > (GODUR_2P63 - 1) / 10) {
			overflow = true;
			continue;
		}
		uint64_t y = *x * 10 + (uint64_t)(s[*i] - '0');
		if (y > GODUR_2P63) {
			overflow = true;
			continue;
		}
		*x = y;
		*scale *= 10;
	}
}

static uint64_t godur_unit(const char *u, size_t n)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{"ns", 1}, {"us", 1000}, {"\xc2\xb5s", 1000}, {"\xce\xbcs", 1000},
		{"ms", 1000000}, {"s", 1000000000}, {"m", 60000000000ULL}, {"h", 3600000000000ULL},
	};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
		if (strlen(units[k].name) == n && memcmp(units[k].name, u, n) == 0)
			return units[k].ns;
	return 0;
}

int godur_parse(const char *s, size_t len, int64_t *ns)
{
	size_t i = 0;
	uint64_t d = 0;
	bool neg = false;
	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	if (len - i == 1 && s[i] == '0') {
		*ns = 0;
		return 0;
	}
	if (i == len)
		return -1;
	while (i < len) {
		uint64_t v, f = 0;
		double scale = 1;
		if (!(s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
			return -1;
		size_t pl = i;
		if (!godur_leading_int(s, len, &i, &v))
			return -1;
		bool pre = i != pl, post = false;
		if (i < len && s[i] == '.') {
			i++;
			pl = i;
			godur_leading_fraction(s, len, &i, &f, &scale);
			post = i != pl;
		}
		if (!pre && !post)
			return -1;
		size_t u0 = i;
		while (i < len && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9'))
			i++;
		if (i == u0)
			return -1; /* missing unit */
		uint64_t unit = godur_unit(s + u0, i - u0);
		if (!unit)
			return -1; /* unknown unit */
		if (v > GODUR_2P63 / unit)
			return -1;
		v *= unit;
		if (f > 0) {
			/* float64 keeps fractions of hours nanosecond-accurate (Go's comment) */
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > GODUR_2P63)
				return -1;
		}
		d += v;
		if (d > GODUR_2P63)
			return -1;
	}
	if (neg) {
		*ns = d == GODUR_2P63 ? INT64_MIN : -(int64_t)d;
		return 0;
	}
	if (d > GODUR_2P63 - 1)
		return -1;
	*ns = (int64_t)d;
	return 0;
}

/* time.fmtFrac: v's prec lowest digits as a fraction (trailing zeros and
 * a bare dot dropped) written backwards before *w; returns v / 10^prec. */
static uint64_t godur_frac(char *buf, int *w, uint64_t v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		unsigned digit = (unsigned)(v % 10);
		print = print || digit != 0;
		if (print)
			buf[--*w] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		buf[--*w] = '.';
	return v;
}

/* time.fmtInt: v in decimal written backwards before *w. */
static void godur_int(char *buf, int *w, uint64_t v)
{
	if (v == 0) {
		buf[--*w] = '0';
		return;
	}
	for (; v > 0; v /= 10)
		buf[--*w] = (char)('0' + v % 10);
}

void godur_string(sbuf *out, int64_t d)
{
	char buf[32];
	int w = (int)sizeof buf;
	uint64_t u = (uint64_t)d;
	bool neg = d < 0;
	if (neg)
		u = -u;
	if (u < 1000000000ULL) {
		/* less than a second: ns, µs or ms, with a fraction */
		int prec;
		buf[--w] = 's';
		if (u == 0) {
			sbuf_puts(out, "0s");
			return;
		} else if (u < 1000ULL) {
			prec = 0;
			buf[--w] = 'n';
		} else if (u < 1000000ULL) {
			prec = 3;
			buf[--w] = '\xb5'; /* U+00B5 in UTF-8, backwards */
			buf[--w] = '\xc2';
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		u = godur_frac(buf, &w, u, prec);
		godur_int(buf, &w, u);
	} else {
		buf[--w] = 's';
		u = godur_frac(buf, &w, u, 9);
		godur_int(buf, &w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			godur_int(buf, &w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				godur_int(buf, &w, u);
			}
		}
	}
	if (neg)
		buf[--w] = '-';
	sbuf_put(out, buf + w, sizeof buf - (size_t)w);
}
