/* yaml_resolve.c: yaml.v3's scalar resolution (its resolve.go): tags, plain scalars, !!binary.
 *
 * Go's number syntax is followed exactly: strconv.ParseInt with base 0
 * (0x, 0o, 0b prefixes; a leading 0 means octal, so 08 is no integer and
 * becomes the float 8), ParseUint for values above int64 (both in
 * yaml_num.c, with the float pattern, shared with the writer), and
 * ParseFloat, which allows underscores between digits.
 */
#include "yaml_resolve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "yaml_num.h"
#include "error.h"

const char *const yr_tag_names[YR_T_OTHER + 1] = {
	[YR_T_NONE] = "", [YR_T_STR] = "!!str", [YR_T_BOOL] = "!!bool", [YR_T_INT] = "!!int",
	[YR_T_FLOAT] = "!!float", [YR_T_NULL] = "!!null", [YR_T_TIMESTAMP] = "!!timestamp",
	[YR_T_BINARY] = "!!binary", [YR_T_MERGE] = "!!merge", [YR_T_OTHER] = "",
};

#define YR_LONG_PREFIX "tag:yaml.org,2002:"

enum yr_tag yr_tag_of(const char *tag)
{
	if (!tag || !tag[0] || strcmp(tag, "!") == 0)
		return YR_T_NONE;
	if (strncmp(tag, YR_LONG_PREFIX, sizeof YR_LONG_PREFIX - 1) == 0) {
		static const struct {
			const char *n;
			enum yr_tag t;
		} known[] = {{"str", YR_T_STR},	     {"bool", YR_T_BOOL},
			     {"int", YR_T_INT},	     {"float", YR_T_FLOAT},
			     {"null", YR_T_NULL},    {"timestamp", YR_T_TIMESTAMP},
			     {"binary", YR_T_BINARY}, {"merge", YR_T_MERGE}};
		const char *rest = tag + sizeof YR_LONG_PREFIX - 1;
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			if (strcmp(rest, known[i].n) == 0)
				return known[i].t;
	}
	return YR_T_OTHER;
}

/* What a plain scalar resolved to. */
const char *const yr_rtag_names[] = {"!!null", "!!bool", "!!int", "!!int",
					    "!!float", "!!str", "!!timestamp"};

static bool yr_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* Go's strconv.ParseFloat for a decimal literal that may hold underscores
 * between digits (go113: Go 1.13 and later; before, none); false on a syntax
 * error or overflow (Go's ErrRange). */
static bool yr_go_parse_float(const char *s, size_t n, bool go113, double *out)
{
	char buf[128];
	char *tmp = n < sizeof buf ? buf : malloc(n + 1);
	if (!tmp)
		tmpl_out_of_memory();
	size_t i = 0, k = 0;
	bool ok = false, digits = false;
	char saw = '^'; /* Go's underscoreOK: '0' digit, '_' underscore, '!' other */
	if (i < n && (s[i] == '+' || s[i] == '-'))
		tmp[k++] = s[i++];
	for (; i < n; i++) {
		char c = s[i];
		if (yr_isdigit(c)) {
			digits = true;
			saw = '0';
			tmp[k++] = c;
		} else if (c == '_') {
			if (saw != '0' || !go113)
				goto done;
			saw = '_';
		} else if (c == '.') {
			if (saw == '_')
				goto done;
			saw = '!';
			tmp[k++] = c;
			/* a second '.' is caught by the exponent/end check below */
			if (memchr(tmp, '.', k - 1))
				goto done;
		} else {
			break;
		}
	}
	if (!digits || saw == '_')
		goto done;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		tmp[k++] = 'e';
		i++;
		saw = '!';
		if (i < n && (s[i] == '+' || s[i] == '-'))
			tmp[k++] = s[i++];
		if (i >= n || !yr_isdigit(s[i]))
			goto done;
		for (; i < n; i++) {
			if (yr_isdigit(s[i])) {
				saw = '0';
				tmp[k++] = s[i];
			} else if (s[i] == '_' && saw == '0' && go113) {
				saw = '_';
			} else {
				break;
			}
		}
		if (saw == '_')
			goto done;
	}
	if (i != n)
		goto done;
	tmp[k] = 0;
	double f = strtod(tmp, NULL);
	if (isinf(f))
		goto done;
	*out = f;
	ok = true;
done:
	if (tmp != buf)
		free(tmp);
	return ok;
}

void yr_resolve(enum yr_tag tag, const char *in, size_t n, yr_res *r)
{
	yr_resolve_rules(YR_RULES_V3, tag, in, n, r);
}

/* resolve.go's resolve map, less yaml.v2's YAML 1.1 booleans (yr_v2_bool_word). */
static const struct yr_word {
	const char *s;
	enum yr_rtag t;
	int v; /* bool value, or float: 1 = +Inf, -1 = -Inf, 2 = NaN */
} yr_words[] = {
	{"true", YR_R_BOOL, 1},	    {"True", YR_R_BOOL, 1},	{"TRUE", YR_R_BOOL, 1},
	{"false", YR_R_BOOL, 0},    {"False", YR_R_BOOL, 0},	{"FALSE", YR_R_BOOL, 0},
	{"", YR_R_NULL, 0},	    {"~", YR_R_NULL, 0},	{"null", YR_R_NULL, 0},
	{"Null", YR_R_NULL, 0},	    {"NULL", YR_R_NULL, 0},	{".nan", YR_R_FLOAT, 2},
	{".NaN", YR_R_FLOAT, 2},    {".NAN", YR_R_FLOAT, 2},	{".inf", YR_R_FLOAT, 1},
	{".Inf", YR_R_FLOAT, 1},    {".INF", YR_R_FLOAT, 1},	{"+.inf", YR_R_FLOAT, 1},
	{"+.Inf", YR_R_FLOAT, 1},   {"+.INF", YR_R_FLOAT, 1},	{"-.inf", YR_R_FLOAT, -1},
	{"-.Inf", YR_R_FLOAT, -1},  {"-.INF", YR_R_FLOAT, -1},
};
/* The longest word above and in yr_v2_bool_word: longer scalars (most of
 * them) are no word, without a look at the table. */
#define YR_WORD_MAX 5

/* yaml.v2's resolveMap adds YAML 1.1's booleans to yaml.v3's words. */
static bool yr_v2_bool_word(const char *in, size_t n, bool *val)
{
	static const char *const yes[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
	static const char *const no[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
	if (n == 0 || n > YR_WORD_MAX)
		return false;
	for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++) {
		if (yes[k][0] == in[0] && strlen(yes[k]) == n && memcmp(yes[k], in, n) == 0) {
			*val = true;
			return true;
		}
		if (no[k][0] == in[0] && strlen(no[k]) == n && memcmp(no[k], in, n) == 0) {
			*val = false;
			return true;
		}
	}
	return false;
}

bool yr_is_word(enum yr_rules rules, const char *s, size_t n)
{
	bool b;
	if (n == 2 && s[0] == '<' && s[1] == '<')
		return true; /* the merge key */
	if (n > YR_WORD_MAX)
		return false;
	if (rules != YR_RULES_V3 && yr_v2_bool_word(s, n, &b))
		return true;
	for (size_t k = 0; k < sizeof yr_words / sizeof yr_words[0]; k++)
		if (yr_words[k].s[0] == (n ? s[0] : 0) && strlen(yr_words[k].s) == n &&
		    memcmp(yr_words[k].s, s, n) == 0)
			return true;
	return false;
}

/* resolve.go's first-byte hint: 'N' empty, 'S' sign, 'D' digit, 'M' a word's
 * first letter (yes, null, ~...), '.' a dot, 0 nothing to resolve. */
static char yr_hint(const char *in, size_t n)
{
	if (n == 0)
		return 'N';
	char c = in[0];
	if (c == '+' || c == '-')
		return 'S';
	if (yr_isdigit(c))
		return 'D';
	if (c && strchr("yYnNtTfFoO~", c))
		return 'M';
	return c == '.' ? '.' : 0;
}

/* The resolve table's words (true, null, .inf, ~...): true when in is one. */
static bool yr_word(const char *in, size_t n, yr_res *r)
{
	if (n > YR_WORD_MAX)
		return false;
	for (size_t k = 0; k < sizeof yr_words / sizeof yr_words[0]; k++) {
		if (yr_words[k].s[0] == (n ? in[0] : 0) && strlen(yr_words[k].s) == n &&
		    memcmp(yr_words[k].s, in, n) == 0) {
			r->rtag = yr_words[k].t;
			if (yr_words[k].t == YR_R_BOOL)
				r->b = yr_words[k].v;
			else if (yr_words[k].t == YR_R_FLOAT)
				r->f = yr_words[k].v == 2 ? NAN : yr_words[k].v * INFINITY;
			return true;
		}
	}
	return false;
}

/* resolve.go's explicit 0b / 0o branches (yaml.v2: 0b only) over plain (no
 * underscores): what follows the prefix may carry its own sign ("0b-101" is -5). */
static void yr_prefixed_int(const char *plain, size_t pn, bool v3, yr_res *r)
{
	int64_t iv;
	uint64_t uv;
	if (pn >= 2 && plain[0] == '0' && (plain[1] == 'b' || (plain[1] == 'o' && v3))) {
		int base = plain[1] == 'b' ? 2 : 8;
		if (yn_parse_int(plain + 2, pn - 2, base, true, &iv)) {
			r->rtag = YR_R_INT;
			r->i = iv;
		} else if (yn_parse_uint(plain + 2, pn - 2, base, true, &uv) && plain[2] != '+') {
			r->rtag = YR_R_UINT;
			r->u = uv;
		}
	} else if (pn >= 3 && plain[0] == '-' && plain[1] == '0' &&
		   (plain[2] == 'b' || (plain[2] == 'o' && v3))) {
		int base = plain[2] == 'b' ? 2 : 8;
		const char *d = plain + 3;
		size_t dn = pn - 3;
		uint64_t mag;
		/* ParseInt("-" + rest): rest must be unsigned digits */
		if (dn > 0 && d[0] != '+' && d[0] != '-' && yn_parse_uint(d, dn, base, true, &mag) &&
		    mag <= (uint64_t)INT64_MAX + 1) {
			r->rtag = YR_R_INT;
			r->i = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
		}
	}
}

/* A number over plain (in without underscores): int, uint, float, then the
 * prefixed forms, as resolve.go tries them. */
static void yr_number(const char *plain, size_t pn, bool v3, yr_res *r)
{
	int64_t iv;
	uint64_t uv;
	if (yn_parse_int(plain, pn, 0, v3, &iv)) {
		r->rtag = YR_R_INT;
		r->i = iv;
	} else if (yn_parse_uint(plain, pn, 0, v3, &uv) && !(pn > 0 && (plain[0] == '+' || plain[0] == '-'))) {
		r->rtag = YR_R_UINT;
		r->u = uv;
	} else if (yn_yaml_style_float(plain, pn, !v3) && yr_go_parse_float(plain, pn, v3, &r->f)) {
		r->rtag = YR_R_FLOAT;
	} else {
		yr_prefixed_int(plain, pn, v3, r);
	}
}

void yr_resolve_rules(enum yr_rules rules, enum yr_tag tag, const char *in, size_t n, yr_res *r)
{
	const bool v3 = rules == YR_RULES_V3; /* also: Go >= 1.13's strconv */
	r->rtag = YR_R_STR;
	char hint = yr_hint(in, n);
	if (!hint || tag == YR_T_STR)
		return;
	if (!v3 && hint == 'M' && yr_v2_bool_word(in, n, &r->b)) {
		r->rtag = YR_R_BOOL;
		return;
	}
	if (n <= 6 && hint != 'D' && yr_word(in, n, r))
		return;
	if (hint == '.') {
		if (yr_go_parse_float(in, n, v3, &r->f))
			r->rtag = YR_R_FLOAT;
		return;
	}
	if (hint != 'D' && hint != 'S')
		return;
	if ((tag == YR_T_NONE || tag == YR_T_TIMESTAMP) && yn_is_timestamp(in, n, true)) {
		r->rtag = YR_R_TIMESTAMP;
		return;
	}
	char buf[128];
	size_t pn;
	char *plain = yn_strip_underscores(in, n, buf, sizeof buf, &pn);
	yr_number(plain, pn, v3, r);
	if (plain != buf)
		free(plain);
}

bool yr_base64(const char *s, size_t n, char *dst, size_t *dlen)
{
	size_t bad;
	return b64_decode(s, n, (unsigned char *)dst, dlen, &bad);
}
