/* quantity.c: Kubernetes resource quantities: parsed and written back in canonical form as resource.Quantity's String does ("2000m" -> "2", "1000" -> "1k"). */
#include "inject.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { Q_DEC, Q_BIN, Q_EXP };

/* Parse s as digits D times 10^e (decimal) times 2^b (binary suffixes). */
static int parse(const char *s, bool *neg, uint64_t *d, int *e, int *b, int *fmt)
{
	const char *p = s;
	*neg = false;
	*d = 0;
	*e = 0;
	*b = 0;
	*fmt = Q_DEC;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	bool any = false, dot = false;
	for (; isdigit((unsigned char)*p) || (*p == '.' && !dot); p++) {
		if (*p == '.') {
			dot = true;
			continue;
		}
		any = true;
		if (*d > (UINT64_MAX - 9) / 10) {
			if (!dot)
				(*e)++; /* precision beyond 19 digits is dropped */
			continue;
		}
		*d = *d * 10 + (uint64_t)(*p - '0');
		if (dot)
			(*e)--;
	}
	if (!any)
		return -1;
	static const struct {
		const char *sfx;
		int e, b;
	} dec[] = {
		{"", 0, 0}, {"n", -9, 0}, {"u", -6, 0}, {"m", -3, 0}, {"k", 3, 0}, {"M", 6, 0},
		{"G", 9, 0}, {"T", 12, 0}, {"P", 15, 0}, {"E", 18, 0}, {"Ki", 0, 10}, {"Mi", 0, 20},
		{"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50}, {"Ei", 0, 60},
	};
	for (size_t i = 0; i < sizeof dec / sizeof dec[0]; i++)
		if (strcmp(p, dec[i].sfx) == 0) {
			*e += dec[i].e;
			*b = dec[i].b;
			*fmt = dec[i].b ? Q_BIN : Q_DEC;
			return 0;
		}
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;
		int sign = 1, x = 0;
		if (*q == '+' || *q == '-')
			sign = *q++ == '-' ? -1 : 1;
		if (!isdigit((unsigned char)*q))
			return -1;
		for (; isdigit((unsigned char)*q); q++)
			if (x < 10000)
				x = x * 10 + (*q - '0');
		if (*q)
			return -1;
		*e += sign * x;
		*fmt = Q_EXP;
		return 0;
	}
	return -1;
}

static const char *dec_suffix(int e3)
{
	switch (e3) {
	case -9: return "n";
	case -6: return "u";
	case -3: return "m";
	case 0: return "";
	case 3: return "k";
	case 6: return "M";
	case 9: return "G";
	case 12: return "T";
	case 15: return "P";
	default: return "E";
	}
}

/* D*10^e written with an exponent that is a multiple of 3 (nano at least). */
static void write_dec(char *out, size_t n, bool neg, uint64_t d, int e, int fmt)
{
	if (d == 0) {
		snprintf(out, n, "0");
		return;
	}
	while (d % 10 == 0 && d) {
		d /= 10;
		e++;
	}
	if (e < -9) { /* round up to whole nano units */
		uint64_t div = 1;
		for (int i = e; i < -9 && div < UINT64_MAX / 10; i++)
			div *= 10;
		d = (d + div - 1) / div;
		e = -9;
	}
	int e3 = e >= 0 ? e / 3 * 3 : -((-e + 2) / 3 * 3);
	if (fmt == Q_DEC && e3 > 18)
		e3 = 18;
	for (int i = e3; i < e && d < UINT64_MAX / 10; i++)
		d *= 10;
	if (fmt == Q_EXP)
		snprintf(out, n, e3 ? "%s%llue%d" : "%s%llu", neg ? "-" : "", (unsigned long long)d, e3);
	else
		snprintf(out, n, "%s%llu%s", neg ? "-" : "", (unsigned long long)d, dec_suffix(e3));
}

int inj_quantity_canon(const char *s, char *out, size_t n)
{
	bool neg;
	uint64_t d;
	int e, b, fmt;
	if (parse(s, &neg, &d, &e, &b, &fmt) != 0)
		return -1;
	if (fmt == Q_BIN) {
		/* an integral number of bytes of at least 1Ki keeps a binary suffix */
		uint64_t v = d;
		bool integral = b < 64 && v <= (UINT64_MAX >> b);
		if (integral)
			v <<= b;
		for (int i = e; integral && i < 0; i++) {
			if (v % 10)
				integral = false;
			else
				v /= 10;
		}
		for (int i = 0; integral && i < e; i++) {
			if (v > UINT64_MAX / 10)
				integral = false;
			else
				v *= 10;
		}
		if (!integral) {
			write_dec(out, n, neg, d, e, Q_DEC); /* approximate: rare */
			return 0;
		}
		if (v >= 1024) {
			static const char *const bs[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
			int k = 0;
			while (k < 6 && v % 1024 == 0) {
				v /= 1024;
				k++;
			}
			snprintf(out, n, "%s%llu%s", neg ? "-" : "", (unsigned long long)v, bs[k]);
			return 0;
		}
		write_dec(out, n, neg, v, 0, Q_DEC);
		return 0;
	}
	write_dec(out, n, neg, d, e, fmt);
	return 0;
}

int inj_quantity_value(const char *s, uint64_t *out)
{
	bool neg;
	uint64_t d;
	int e, b, fmt;
	if (parse(s, &neg, &d, &e, &b, &fmt) != 0 || (neg && d != 0))
		return -1;
	/* Quantity.Value: the integer value, fractions rounded up. */
	if (b >= 64 || d > (UINT64_MAX >> b))
		return -1;
	d <<= b;
	for (; e > 0; e--) {
		if (d > UINT64_MAX / 10)
			return -1;
		d *= 10;
	}
	for (bool rest = false; e < 0; e++) {
		rest = rest || d % 10 != 0;
		d /= 10;
		if (e == -1 && rest)
			d++;
	}
	*out = d;
	return 0;
}
