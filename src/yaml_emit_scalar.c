/* yaml_emit_scalar.c: how Go's JSON round trip and yaml.v2's encoder treat one scalar: quoting, string folding, number text, key order.
 *
 * sigs.k8s.io/yaml writes a value by marshalling it to JSON, decoding that
 * JSON with yaml.v2 into interface{} and marshalling the result with yaml.v2.
 * The decisions below are that pipeline's, scalar by scalar:
 *   - yaml.v2 quotes a string when its plain form would resolve to another
 *     type (resolve.go: bools, nulls, ints in Go's base-0 syntax, floats,
 *     timestamps) or looks like a base 60 float (isBase60Float);
 *   - which plain forms resolve depends on the yaml.v2 release and on the
 *     Go release it was built with (ye_rules):
 *       YE_RULES_CURRENT: yaml.v2 2.4 (sigs.k8s.io/yaml's copy) on Go >= 1.17.
 *         Its float pattern ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
 *         takes "1e5" and "1."; strconv (Go 1.13) reads 0o/0b prefixes
 *         ("0o17", "0B1" are ints) and ParseFloat takes underscores (".5_0");
 *         time.Parse (Go 1.17) takes a comma before fractional seconds.
 *       YE_RULES_ISTIO_1_1: yaml.v2 2.2.1, revision 5420a8b6744d (Istio
 *         1.1.0's Gopkg.lock, vendored under ghodss/yaml 1.0.0) on Go 1.11
 *         (its CI image, istio/ci:go1.11). Its pattern is
 *         ^[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?$: an exponent needs a sign
 *         and a dot needs a digit after it, so "1e3", "129e6" and "1." stay
 *         strings; strconv knows only 0x and a leading 0 (octal), takes no
 *         underscores; time.Parse takes only '.' before fractions. Forms
 *         yaml.v2 itself handles ("0b101", "-0b101") resolve alike in both.
 *   - JSON has no NaN or infinities, and integral floats come back as ints.
 */
#include "yaml_emit_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "utf8.h"
#include "yaml_num.h"
#include "error.h"
#include "yaml_resolve.h"

/* ---- yaml.v2's resolve(): does a plain scalar read back as a string? ---- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return (char)(c | 0x20);
}

/* strconv.ParseFloat of a decimal text already in float syntax succeeds
 * (no overflow to infinity)? Underscores must be absent. */
static bool float_in_range(const char *s, size_t n)
{
	char buf[128];
	char *tmp = n < sizeof buf ? buf : malloc(n + 1);
	if (!tmp)
		tmpl_out_of_memory();
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	double d = strtod(tmp, NULL);
	if (tmp != buf)
		free(tmp);
	return !isinf(d);
}

/* Go's underscoreOK (strconv): underscores only between digits. */
static bool underscore_ok(const char *s, size_t n)
{
	char saw = '^';
	size_t i = 0;
	if (n >= 1 && (s[0] == '-' || s[0] == '+'))
		s++, n--;
	bool hex = false;
	if (n >= 2 && s[0] == '0' &&
	    (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < n; i++) {
		if (is_digit(s[i]) || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
			saw = '0';
			continue;
		}
		if (s[i] == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/* strconv.ParseFloat(s, 64) succeeds, for s starting with '.' (yaml.v2's
 * '.' hint): .digits[e[sign]digits], underscores between digits from Go
 * 1.13 on (go113). */
static bool dot_float_ok(const char *s, size_t n, bool go113)
{
	size_t i = 1;
	bool digits = false, underscores = false;
	char clean[128];
	size_t nc = 0;
	clean[nc++] = '.';
	for (; i < n && (is_digit(s[i]) || s[i] == '_' || s[i] == '.'); i++) {
		if (s[i] == '.')
			break;
		if (s[i] == '_') {
			underscores = true;
			continue;
		}
		digits = true;
		if (nc < sizeof clean - 8)
			clean[nc++] = s[i];
	}
	if (!digits)
		return false;
	int e = 0, esign = 1;
	bool hasexp = false;
	if (i < n && lower(s[i]) == 'e') {
		i++;
		if (i >= n)
			return false;
		if (s[i] == '+')
			i++;
		else if (s[i] == '-') {
			esign = -1;
			i++;
		}
		if (i >= n || !is_digit(s[i]))
			return false;
		hasexp = true;
		for (; i < n && (is_digit(s[i]) || s[i] == '_'); i++) {
			if (s[i] == '_') {
				underscores = true;
				continue;
			}
			if (e < 10000)
				e = e * 10 + (s[i] - '0');
		}
	}
	if (i != n)
		return false;
	if (underscores && (!go113 || !underscore_ok(s, n)))
		return false;
	if (hasexp)
		nc += (size_t)snprintf(clean + nc, sizeof clean - nc, "e%d", esign * e);
	return float_in_range(clean, nc);
}

/* yaml.v2's isBase60Float: ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
static bool is_base60_float(const char *s, size_t n)
{
	if (n == 0 || !(s[0] == '+' || s[0] == '-' || is_digit(s[0])) || !memchr(s, ':', n))
		return false;
	size_t i = 0;
	if (s[i] == '+' || s[i] == '-')
		i++;
	if (i >= n || !is_digit(s[i]))
		return false;
	while (i < n && (is_digit(s[i]) || s[i] == '_'))
		i++;
	int groups = 0;
	while (i < n && s[i] == ':') {
		i++;
		size_t d = i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i - d == 1 || (i - d == 2 && s[d] <= '5'))
			groups++;
		else
			return false;
	}
	if (groups == 0)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && (is_digit(s[i]) || s[i] == '_'))
			i++;
	}
	return i == n;
}

/* resolve("", s) on the 'D' (digit) and 'S' (sign) hints. */
static bool number_like(const char *s, size_t n, ye_rules rules)
{
	bool current = rules == YE_RULES_CURRENT;
	if (yn_is_timestamp(s, n, current))
		return true;
	char buf[128];
	size_t np;
	char *plain = yn_strip_underscores(s, n, buf, sizeof buf, &np);
	uint64_t u;
	bool r = yn_parse_int(plain, np, 0, current, NULL) ||
		 yn_parse_uint(plain, np, 0, current, &u) ||
		 (yn_yaml_style_float(plain, np, !current) && float_in_range(plain, np));
	/* yaml.v2's own binary forms (case-sensitive), alike in both releases */
	if (!r && np >= 2 && plain[0] == '0' && plain[1] == 'b')
		r = yn_parse_int(plain + 2, np - 2, 2, current, NULL) ||
		    yn_parse_uint(plain + 2, np - 2, 2, current, &u);
	else if (!r && np >= 3 && memcmp(plain, "-0b", 3) == 0) {
		/* ParseInt("-" + plain[3:], 2, 64) */
		plain[2] = '-';
		r = yn_parse_int(plain + 2, np - 2, 2, current, NULL);
	}
	if (plain != buf)
		free(plain);
	return r;
}

bool ye_plain_is_str(const char *s, size_t len, ye_rules rules)
{
	if (len == 0)
		return false; /* resolves to null */
	unsigned char c = (unsigned char)s[0];
	bool digit = c >= '0' && c <= '9', sign = c == '+' || c == '-';
	bool str = true;
	if (digit || sign || c == '.' || (c && strchr("yYnNtTfFoO~", c))) {
		if (yr_is_word(YR_RULES_V2_ISTIO_1_1, s, len)) /* yaml.v2's words: alike in 2.2 and 2.4 */
			str = false;
		else if (c == '.')
			str = !dot_float_ok(s, len, rules == YE_RULES_CURRENT);
		else if (digit || sign)
			str = !number_like(s, len, rules);
	}
	return str && !is_base60_float(s, len);
}

/* ---- strings through JSON ---- */

static bool is_space_rune(int32_t r)
{
	return r == ' ';
}

size_t ye_json_kept_end(const char *s, size_t i, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	while (len - i >= 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		/* A byte's high bit is set where it is 0x7F (x + 1 carries into
		 * it) or above; a carry out of 0xFF only follows such a byte. */
		uint64_t t = (x | (x + ones)) & high;
		if (t)
			return i + (size_t)(__builtin_ctzll(t) >> 3);
		i += 8;
	}
#endif
	while (i < len && (unsigned char)s[i] < 0x7F)
		i++;
	return i;
}

int ye_json_string(sbuf *out, const char *s, size_t len, size_t *nels, tmpl_error *err)
{
	bool nel = false;
	size_t start = out->len;
	for (size_t i = 0; i < len;) {
		/* ASCII below DEL comes back as it is: copy its runs whole */
		size_t run = ye_json_kept_end(s, i, len);
		if (run > i) {
			sbuf_put(out, s + i, run - i);
			i = run;
			if (i == len)
				break;
		}
		size_t sz;
		int32_t r = u8_decode(s + i, len - i, &sz);
		if (r == 0x7F || (r >= 0x80 && r <= 0x9F && r != 0x85) || r == 0xFFFE ||
		    r == 0xFFFF)
			return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
					      "error converting JSON to YAML: yaml: control "
					      "characters are not allowed");
		if (r == 0x85)
			nel = true;
		if (r == U8_RUNE_ERROR && sz == 1)
			sbuf_put(out, "\xEF\xBF\xBD", 3);
		else
			sbuf_put(out, s + i, sz);
		i += sz;
	}
	if (!nel)
		return 0;

	/* Fold as yaml.v2's scanner folds a double-quoted scalar: raw spaces
	 * around a line break (NEL) are dropped, one break becomes a space,
	 * each further break a newline. Escaped characters are never blanks. */
	size_t n = out->len - start;
	char *t = malloc(n + 1);
	if (!t)
		tmpl_out_of_memory();
	memcpy(t, out->buf + start, n);
	out->len = start;
	out->buf[start] = '\0';
	size_t i = 0;
	bool col0 = false;
	int rc = 0;
	for (;;) {
		if (col0 && n - i >= 3 &&
		    (memcmp(t + i, "---", 3) == 0 || memcmp(t + i, "...", 3) == 0) &&
		    n - i > 3 &&
		    (t[i + 3] == ' ' || (n - i >= 5 && (unsigned char)t[i + 3] == 0xC2 &&
					 (unsigned char)t[i + 4] == 0x85))) {
			rc = tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
					    "error converting JSON to YAML: yaml: line %zu: found "
					    "unexpected document indicator",
					    *nels + 1);
			break;
		}
		col0 = false;
		/* non-blank characters */
		while (i < n) {
			size_t sz;
			int32_t r = u8_decode(t + i, n - i, &sz);
			if (is_space_rune(r) || r == 0x85)
				break;
			sbuf_put(out, t + i, sz);
			i += sz;
		}
		if (i >= n)
			break;
		/* blanks and breaks */
		size_t ws_start = i, ws_len = 0;
		bool leading_blanks = false;
		size_t trailing = 0;
		while (i < n) {
			size_t sz;
			int32_t r = u8_decode(t + i, n - i, &sz);
			if (is_space_rune(r)) {
				if (!leading_blanks)
					ws_len++;
				col0 = false;
			} else if (r == 0x85) {
				if (!leading_blanks)
					leading_blanks = true;
				else
					trailing++;
				(*nels)++;
				col0 = true;
			} else {
				break;
			}
			i += sz;
		}
		if (leading_blanks) {
			if (trailing == 0)
				sbuf_putc(out, ' ');
			else
				sbuf_pad(out, '\n', trailing);
		} else {
			sbuf_put(out, t + ws_start, ws_len);
		}
	}
	free(t);
	return rc;
}

/* ---- numbers ---- */

int ye_float(sbuf *out, double f, tmpl_error *err)
{
	if (isnan(f) || isinf(f))
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
				      "error marshaling into JSON: json: unsupported value: %s",
				      isnan(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf");
	sbuf g = SBUF_INIT;
	fmt_float_shortest(&g, f);
	if (f != trunc(f) || fabs(f) >= 1e21) {
		sbuf_put(out, g.buf, g.len);
		sbuf_free(&g);
		return 0;
	}
	/* Go's JSON writes the shortest digits padded with zeros ('f', -1);
	 * yaml.v2 reads that back as an int, a uint64, or else a float. */
	char digits[64];
	size_t nd = 0;
	int exp10 = -1;
	bool neg = g.buf[0] == '-';
	for (size_t i = neg; i < g.len; i++) {
		char c = g.buf[i];
		if (c == 'e') {
			exp10 = atoi(g.buf + i + 1);
			break;
		}
		if (is_digit(c) && nd < sizeof digits - 24)
			digits[nd++] = c;
	}
	if (exp10 >= 0)
		while ((int)nd < exp10 + 1)
			digits[nd++] = '0';
	digits[nd] = '\0';
	char text[72];
	snprintf(text, sizeof text, "%s%s", neg ? "-" : "", digits);
	errno = 0;
	long long ll = strtoll(text, NULL, 10);
	if (errno == 0) {
		sbuf_put_int(out, ll);
	} else if (!neg) {
		errno = 0;
		unsigned long long ull = strtoull(text, NULL, 10);
		if (errno == 0)
			sbuf_printf(out, "%llu", ull);
		else
			sbuf_put(out, g.buf, g.len);
	} else {
		sbuf_put(out, g.buf, g.len);
	}
	sbuf_free(&g);
	return 0;
}

/* ---- key order ---- */

/* Rune i of a key (ye_keytext). */
static inline int32_t ye_key_rune(const ye_keytext *k, size_t i)
{
	return k->runes ? k->runes[i] : (int32_t)(unsigned char)k->s[i];
}

bool ye_key_less(const ye_keytext *ka, const ye_keytext *kb)
{
	size_t na = ka->n, nb = kb->n;
	for (size_t i = 0; i < na && i < nb; i++) {
		int32_t ai_r = ye_key_rune(ka, i), bi_r = ye_key_rune(kb, i);
		if (ai_r == bi_r)
			continue;
		bool al = u8_isletter(ai_r), bl = u8_isletter(bi_r);
		if (al && bl)
			return ai_r < bi_r;
		if (al || bl)
			return bl;
		/* Go's int64 arithmetic wraps; do the same without overflow. */
		uint64_t an = 0, bn = 0;
		size_t ai, bi;
		if (ai_r == '0' || bi_r == '0') {
			for (size_t j = i; j-- > 0 && u8_isdigit(ye_key_rune(ka, j));) {
				if (ye_key_rune(ka, j) != '0') {
					an = 1;
					bn = 1;
					break;
				}
			}
		}
		for (ai = i; ai < na && u8_isdigit(ye_key_rune(ka, ai)); ai++)
			an = an * 10 + (uint64_t)(int64_t)(ye_key_rune(ka, ai) - '0');
		for (bi = i; bi < nb && u8_isdigit(ye_key_rune(kb, bi)); bi++)
			bn = bn * 10 + (uint64_t)(int64_t)(ye_key_rune(kb, bi) - '0');
		if (an != bn)
			return (int64_t)an < (int64_t)bn;
		if (ai != bi)
			return ai < bi;
		return ai_r < bi_r;
	}
	return na < nb;
}
