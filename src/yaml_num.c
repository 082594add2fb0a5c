/* yaml_num.c: Go's integer syntax (strconv), yaml.v2/v3's float pattern and the calendar of their timestamps, shared by the YAML reader's and writer's resolvers.
 *
 * Both of Go's YAML libraries resolve a plain scalar with strconv.ParseInt
 * and ParseUint in base 0 and a float regexp; what those accept changed
 * with the releases: Go 1.13 added the 0b and 0o prefixes, yaml.v2 2.3
 * loosened the float pattern (unsigned exponents, "1."). The reader
 * (yaml.v3) and the writer's current rules take the new forms, the writer's
 * Istio 1.1 rules the old ones.
 */
#include "yaml_num.h"

#include <stdlib.h>

#include "tmpl.h"

static bool yn_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* A digit's value in bases up to 36; 99 for any other byte. */
static int yn_digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

bool yn_parse_uint(const char *s, size_t n, int base, bool go113, uint64_t *out)
{
	if (n == 0)
		return false;
	if (base == 0) {
		base = 10;
		if (s[0] == '0') {
			char c = n >= 3 ? (char)(s[1] | 0x20) : 0;
			if (c == 'x' || (go113 && (c == 'b' || c == 'o'))) {
				base = c == 'b' ? 2 : c == 'o' ? 8 : 16;
				s += 2;
				n -= 2;
			} else {
				base = 8; /* Go 1.11's "0b1" fails here: 'b' is no octal digit */
				s++;
				n--;
			}
		}
	}
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = yn_digit_val(s[i]);
		if (d >= base)
			return false;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

bool yn_parse_int(const char *s, size_t n, int base, bool go113, int64_t *out)
{
	bool neg = false;
	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	uint64_t u;
	int64_t v;
	if (!yn_parse_uint(s, n, base, go113, &u))
		return false;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return false;
		v = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return false;
		v = (int64_t)u;
	}
	if (out)
		*out = v;
	return true;
}

/* Go's time.atoi: optional sign, then only digits (possibly none). */
static bool yn_time_atoi(const char *s, size_t n, int *out)
{
	bool neg = false;
	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++, n--;
	}
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!yn_isdigit(s[i]))
			return false;
		if (v < 100000000)
			v = v * 10 + (s[i] - '0');
	}
	*out = (int)(neg ? -v : v);
	return true;
}

/* Go's time getnum(s, false): one or two digits. */
static bool yn_getnum(const char **s, const char *end, int *out)
{
	const char *p = *s;
	if (p >= end || !yn_isdigit(*p))
		return false;
	if (p + 1 >= end || !yn_isdigit(p[1])) {
		*out = *p - '0';
		*s = p + 1;
		return true;
	}
	*out = (p[0] - '0') * 10 + (p[1] - '0');
	*s = p + 2;
	return true;
}

/* time.Parse with one of yaml.v2's timestamp layouts:
 * 0 "2006-1-2T15:4:5.999999999Z07:00", 1 the same with 't',
 * 2 "2006-1-2 15:4:5.999999999", 3 "2006-1-2". A comma may stand for the
 * fraction's dot from Go 1.17 on (go117). */
static bool yn_time_layout(const char *s, size_t n, int layout, bool go117)
{
	const char *p = s, *end = s + n;
	int year, month, day, v;
	if (n < 4 || !yn_time_atoi(p, 4, &year))
		return false;
	p += 4;
	if (p >= end || *p != '-')
		return false;
	p++;
	if (!yn_getnum(&p, end, &month) || month <= 0 || month > 12)
		return false;
	if (p >= end || *p != '-')
		return false;
	p++;
	if (!yn_getnum(&p, end, &day))
		return false;
	if (layout != 3) {
		if (layout == 2) {
			if (p >= end || *p != ' ')
				return false;
			while (p < end && *p == ' ')
				p++;
		} else {
			if (p >= end || *p != (layout == 0 ? 'T' : 't'))
				return false;
			p++;
		}
		if (!yn_getnum(&p, end, &v) || v >= 24)
			return false;
		if (p >= end || *p != ':')
			return false;
		p++;
		if (!yn_getnum(&p, end, &v) || v > 59)
			return false;
		if (p >= end || *p != ':')
			return false;
		p++;
		if (!yn_getnum(&p, end, &v) || v > 59)
			return false;
		/* .999999999: an optional fraction, '.' (or ','), up to 9 digits */
		if (end - p >= 2 && (*p == '.' || (go117 && *p == ',')) && yn_isdigit(p[1])) {
			p++;
			for (int d = 0; d < 9 && p < end && yn_isdigit(*p); d++)
				p++;
		}
		if (layout != 2) {
			if (p < end && *p == 'Z') {
				p++;
			} else {
				int hr, mm;
				if (end - p < 6 || p[3] != ':')
					return false;
				if (!yn_time_atoi(p + 1, 2, &hr) || !yn_time_atoi(p + 4, 2, &mm))
					return false;
				if (*p != '+' && *p != '-')
					return false;
				p += 6;
			}
		}
	}
	if (p != end)
		return false;
	return day >= 1 && day <= yn_days_in(month, year);
}

/* yaml.v2's and yaml.v3's parseTimestamp (the same function in both). */
bool yn_is_timestamp(const char *s, size_t n, bool go117)
{
	size_t i = 0;
	while (i < n && yn_isdigit(s[i]))
		i++;
	if (i != 4 || i == n || s[i] != '-')
		return false;
	for (int l = 0; l < 4; l++)
		if (yn_time_layout(s, n, l, go117))
			return true;
	return false;
}

/* digits from *i on; false when there are none */
static bool yn_digits(const char *s, size_t n, size_t *i)
{
	size_t d = *i;
	while (*i < n && yn_isdigit(s[*i]))
		(*i)++;
	return *i > d;
}

bool yn_yaml_style_float(const char *s, size_t n, bool v2_2)
{
	size_t i = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (v2_2) {
		/* [0-9]*\.?[0-9]+ : digits, or digits (maybe none), a dot, digits */
		bool lead = yn_digits(s, n, &i);
		if (i < n && s[i] == '.') {
			i++;
			if (!yn_digits(s, n, &i))
				return false;
		} else if (!lead) {
			return false;
		}
	} else if (i < n && s[i] == '.') {
		i++;
		if (!yn_digits(s, n, &i))
			return false;
	} else {
		if (!yn_digits(s, n, &i))
			return false;
		if (i < n && s[i] == '.') {
			i++;
			yn_digits(s, n, &i);
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		else if (v2_2)
			return false;
		if (!yn_digits(s, n, &i))
			return false;
	}
	return i == n;
}

int yn_days_in(int month, int year)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		return 29;
	return days[month - 1];
}

char *yn_strip_underscores(const char *s, size_t n, char *buf, size_t size, size_t *len)
{
	char *plain = n < size ? buf : malloc(n + 1);
	if (!plain)
		tmpl_out_of_memory();
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			plain[k++] = s[i];
	plain[k] = '\0';
	*len = k;
	return plain;
}
