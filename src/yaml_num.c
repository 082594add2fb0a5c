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
