/* gotime_layout.c: Go's reference layouts ("Mon Jan 2 15:04:05 MST 2006"): Time.Format, Time.String, time.Parse / ParseInLocation with their ParseError texts (format.go). */
#include "gotime_impl.h"

#include <stdio.h>
#include <string.h>

enum {
	STD_NEED_DATE = 1 << 8,
	STD_NEED_CLOCK = 1 << 10,
	STD_ARG_SHIFT = 16,
	STD_SEPARATOR_SHIFT = 28,
	STD_MASK = (1 << STD_ARG_SHIFT) - 1,

	STD_LONG_MONTH = 1 + STD_NEED_DATE, /* "January" */
	STD_MONTH,                          /* "Jan" */
	STD_NUM_MONTH,                      /* "1" */
	STD_ZERO_MONTH,                     /* "01" */
	STD_LONG_WEEKDAY,                   /* "Monday" */
	STD_WEEKDAY,                        /* "Mon" */
	STD_DAY,                            /* "2" */
	STD_UNDER_DAY,                      /* "_2" */
	STD_ZERO_DAY,                       /* "02" */
	STD_UNDER_YEARDAY,                  /* "__2" */
	STD_ZERO_YEARDAY,                   /* "002" */
	STD_HOUR = 12 + STD_NEED_CLOCK,     /* "15" */
	STD_HOUR12,                         /* "3" */
	STD_ZERO_HOUR12,                    /* "03" */
	STD_MINUTE,                         /* "4" */
	STD_ZERO_MINUTE,                    /* "04" */
	STD_SECOND,                         /* "5" */
	STD_ZERO_SECOND,                    /* "05" */
	STD_LONG_YEAR = 19 + STD_NEED_DATE, /* "2006" */
	STD_YEAR,                           /* "06" */
	STD_PM = 21 + STD_NEED_CLOCK,       /* "PM" */
	STD_pm,                             /* "pm" */
	STD_TZ = 23,                        /* "MST" */
	STD_ISO8601_TZ,                     /* "Z0700" */
	STD_ISO8601_SECONDS_TZ,             /* "Z070000" */
	STD_ISO8601_SHORT_TZ,               /* "Z07" */
	STD_ISO8601_COLON_TZ,               /* "Z07:00" */
	STD_ISO8601_COLON_SECONDS_TZ,       /* "Z07:00:00" */
	STD_NUM_TZ,                         /* "-0700" */
	STD_NUM_SECONDS_TZ,                 /* "-070000" */
	STD_NUM_SHORT_TZ,                   /* "-07" */
	STD_NUM_COLON_TZ,                   /* "-07:00" */
	STD_NUM_COLON_SECONDS_TZ,           /* "-07:00:00" */
	STD_FRAC_SECOND0,                   /* ".0", ".00", ... trailing zeros kept */
	STD_FRAC_SECOND9,                   /* ".9", ".99", ... trailing zeros dropped */
};

static const int std0x[] = {STD_ZERO_MONTH, STD_ZERO_DAY,    STD_ZERO_HOUR12,
			    STD_ZERO_MINUTE, STD_ZERO_SECOND, STD_YEAR};

static const char *const long_day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
					      "Thursday", "Friday", "Saturday"};
static const char *const short_day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const short_month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
						"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const long_month_names[] = {"January", "February", "March",     "April",
					       "May",     "June",     "July",      "August",
					       "September", "October", "November", "December"};

static bool is_digit(const char *s, size_t len, size_t i)
{
	return i < len && s[i] >= '0' && s[i] <= '9';
}

static bool starts_lower(const char *s, size_t len)
{
	return len > 0 && s[0] >= 'a' && s[0] <= 'z';
}

static bool has(const char *l, size_t len, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	return len >= i + n && memcmp(l + i, lit, n) == 0;
}

static int std_frac(int code, size_t n, char c)
{
	int std = code | (int)((n & 0xfff) << STD_ARG_SHIFT);
	if (c != '.')
		std |= 1 << STD_SEPARATOR_SHIFT;
	return std;
}

/* Jan, January, Mon, Monday or MST at l[i] (Jan and Mon not followed by a
 * lower-case letter: "Janet" is literal), or 0. */
static int name_std(const char *l, size_t len, size_t i, size_t *elen)
{
	if (has(l, len, i, "January") || has(l, len, i, "Monday")) {
		*elen = l[i] == 'J' ? 7 : 6;
		return l[i] == 'J' ? STD_LONG_MONTH : STD_LONG_WEEKDAY;
	}
	if ((has(l, len, i, "Jan") || has(l, len, i, "Mon")) && !starts_lower(l + i + 3, len - i - 3)) {
		*elen = 3;
		return l[i] == 'J' ? STD_MONTH : STD_WEEKDAY;
	}
	if (has(l, len, i, "MST")) {
		*elen = 3;
		return STD_TZ;
	}
	return 0;
}

/* The numeric zone forms, longest first as Go tries them. */
static const struct {
	const char *lit;
	int std;
} zone_forms[] = {
	{"-070000", STD_NUM_SECONDS_TZ},     {"-07:00:00", STD_NUM_COLON_SECONDS_TZ},
	{"-0700", STD_NUM_TZ},               {"-07:00", STD_NUM_COLON_TZ},
	{"-07", STD_NUM_SHORT_TZ},           {"Z070000", STD_ISO8601_SECONDS_TZ},
	{"Z07:00:00", STD_ISO8601_COLON_SECONDS_TZ}, {"Z0700", STD_ISO8601_TZ},
	{"Z07:00", STD_ISO8601_COLON_TZ},    {"Z07", STD_ISO8601_SHORT_TZ},
};

/* The zone form (-0700, Z07:00, ...) at l[i], or 0. */
static int zone_std(const char *l, size_t len, size_t i, size_t *elen)
{
	for (size_t k = 0; k < sizeof zone_forms / sizeof zone_forms[0]; k++)
		if (has(l, len, i, zone_forms[k].lit)) {
			*elen = strlen(zone_forms[k].lit);
			return zone_forms[k].std;
		}
	return 0;
}

/* A fraction (.000, ,999) at l[i], or 0. */
static int frac_std(const char *l, size_t len, size_t i, size_t *elen)
{
	if (i + 1 >= len || (l[i + 1] != '0' && l[i + 1] != '9'))
		return 0;
	char ch = l[i + 1];
	size_t j = i + 1;
	while (j < len && l[j] == ch)
		j++;
	/* the digits must end here: only a fraction is all digits */
	if (is_digit(l, len, j))
		return 0;
	*elen = j - i;
	return std_frac(ch == '9' ? STD_FRAC_SECOND9 : STD_FRAC_SECOND0, j - (i + 1), l[i]);
}

/* Go's nextStdChunk: the first layout element at or after layout[0]: its
 * offset (*pre: the literal text's length), code and length; 0 when none. */
static int next_std(const char *l, size_t len, size_t *pre, size_t *elen)
{
	for (size_t i = 0; i < len; i++) {
		*pre = i;
		switch (l[i]) {
		case 'J':
		case 'M': {
			int std = name_std(l, len, i, elen);
			if (std)
				return std;
			break;
		}
		case '0':
			if (len >= i + 2 && l[i + 1] >= '1' && l[i + 1] <= '6') {
				*elen = 2;
				return std0x[l[i + 1] - '1'];
			}
			if (has(l, len, i, "002")) {
				*elen = 3;
				return STD_ZERO_YEARDAY;
			}
			break;
		case '1':
			if (len >= i + 2 && l[i + 1] == '5') {
				*elen = 2;
				return STD_HOUR;
			}
			*elen = 1;
			return STD_NUM_MONTH;
		case '2':
			if (has(l, len, i, "2006")) {
				*elen = 4;
				return STD_LONG_YEAR;
			}
			*elen = 1;
			return STD_DAY;
		case '_':
			if (len >= i + 2 && l[i + 1] == '2') {
				/* "_2006" is a literal _ and the year */
				if (has(l, len, i + 1, "2006")) {
					*pre = i + 1;
					*elen = 4;
					return STD_LONG_YEAR;
				}
				*elen = 2;
				return STD_UNDER_DAY;
			}
			if (has(l, len, i, "__2")) {
				*elen = 3;
				return STD_UNDER_YEARDAY;
			}
			break;
		case '3':
			*elen = 1;
			return STD_HOUR12;
		case '4':
			*elen = 1;
			return STD_MINUTE;
		case '5':
			*elen = 1;
			return STD_SECOND;
		case 'P':
			if (len >= i + 2 && l[i + 1] == 'M') {
				*elen = 2;
				return STD_PM;
			}
			break;
		case 'p':
			if (len >= i + 2 && l[i + 1] == 'm') {
				*elen = 2;
				return STD_pm;
			}
			break;
		case '-':
		case 'Z': {
			int std = zone_std(l, len, i, elen);
			if (std)
				return std;
			break;
		}
		case '.':
		case ',': {
			int std = frac_std(l, len, i, elen);
			if (std)
				return std;
			break;
		}
		}
	}
	*pre = len;
	*elen = 0;
	return 0;
}

static size_t digits_len(int std)
{
	return (size_t)((std >> STD_ARG_SHIFT) & 0xfff);
}

static char separator(int std)
{
	return (std >> STD_SEPARATOR_SHIFT) == 0 ? '.' : ',';
}

/* Go's appendInt: x in decimal, zero-padded to width digits. */
static void append_int(sbuf *b, int64_t x, int width)
{
	char buf[24];
	int w = (int)sizeof buf;
	uint64_t u = (uint64_t)x;
	if (x < 0) {
		sbuf_putc(b, '-');
		u = -u;
	}
	w = gotime_fmt_int(buf, w, u);
	for (int n = (int)sizeof buf - w; n < width; n++)
		sbuf_putc(b, '0');
	sbuf_put(b, buf + w, sizeof buf - (size_t)w);
}

/* Go's appendNano */
static void append_nano(sbuf *b, int32_t nanosec, int std)
{
	bool trim = (std & STD_MASK) == STD_FRAC_SECOND9;
	size_t n = digits_len(std);
	if (trim && (n == 0 || nanosec == 0))
		return;
	char dot = separator(std);
	char digits[9];
	uint32_t u = (uint32_t)nanosec;
	for (int i = 8; i >= 0; i--) {
		digits[i] = (char)('0' + u % 10);
		u /= 10;
	}
	if (n > 9)
		n = 9;
	if (trim)
		while (n > 0 && digits[n - 1] == '0')
			n--;
	if (trim && n == 0)
		return;
	sbuf_putc(b, dot);
	sbuf_put(b, digits, n);
}

/* Go's locabs: the zone in effect at t and t's absolute seconds there. */
static uint64_t locabs(const gotime *t, gotime_zone_info *z)
{
	int64_t sec = gotime_unix_sec(t);
	if (t->loc) {
		gotime_lookup(t->loc, sec, z);
		sec = gotime_wrap_add(sec, z->offset);
	} else {
		*z = (gotime_zone_info){"UTC", 3, 0, GOTIME_ALPHA, GOTIME_OMEGA, false};
	}
	return (uint64_t)sec + (uint64_t)GOTIME_UNIX_TO_INTERNAL + (uint64_t)GOTIME_INTERNAL_TO_ABSOLUTE;
}

static bool is_iso_tz(int std)
{
	return std == STD_ISO8601_TZ || std == STD_ISO8601_COLON_TZ ||
	       std == STD_ISO8601_SECONDS_TZ || std == STD_ISO8601_SHORT_TZ ||
	       std == STD_ISO8601_COLON_SECONDS_TZ;
}

/* A date element (year, month, weekday, day, day of the year) of c; abs gives
 * the weekday. */
static void gf_date(sbuf *b, const gotime_civil *c, uint64_t abs, int s)
{
	switch (s) {
	case STD_YEAR:
		append_int(b, (c->year < 0 ? -c->year : c->year) % 100, 2);
		break;
	case STD_LONG_YEAR:
		append_int(b, c->year, 4);
		break;
	case STD_MONTH:
		sbuf_puts(b, short_month_names[c->month - 1]);
		break;
	case STD_LONG_MONTH:
		sbuf_puts(b, long_month_names[c->month - 1]);
		break;
	case STD_NUM_MONTH:
	case STD_ZERO_MONTH:
		append_int(b, c->month, s == STD_ZERO_MONTH ? 2 : 0);
		break;
	case STD_WEEKDAY:
	case STD_LONG_WEEKDAY: {
		/* Go's absWeekday: January 1 of the absolute year was a Monday */
		int wd = (int)((abs + 86400) % (7 * 86400) / 86400);
		sbuf_puts(b, s == STD_WEEKDAY ? short_day_names[wd] : long_day_names[wd]);
		break;
	}
	case STD_UNDER_DAY:
		if (c->day < 10)
			sbuf_putc(b, ' ');
		/* fall through */
	case STD_DAY:
	case STD_ZERO_DAY:
		append_int(b, c->day, s == STD_ZERO_DAY ? 2 : 0);
		break;
	case STD_UNDER_YEARDAY:
		if (c->yday < 100)
			sbuf_puts(b, c->yday < 10 ? "  " : " ");
		append_int(b, c->yday, 0);
		break;
	case STD_ZERO_YEARDAY:
		append_int(b, c->yday, 3);
		break;
	}
}

/* A clock element (hour, minute, second, AM/PM). */
static void gf_clock(sbuf *b, int hour, int min, int sec, int s)
{
	switch (s) {
	case STD_HOUR:
		append_int(b, hour, 2);
		break;
	case STD_HOUR12:
	case STD_ZERO_HOUR12:
		append_int(b, hour % 12 == 0 ? 12 : hour % 12, s == STD_ZERO_HOUR12 ? 2 : 0);
		break;
	case STD_MINUTE:
	case STD_ZERO_MINUTE:
		append_int(b, min, s == STD_ZERO_MINUTE ? 2 : 0);
		break;
	case STD_SECOND:
	case STD_ZERO_SECOND:
		append_int(b, sec, s == STD_ZERO_SECOND ? 2 : 0);
		break;
	case STD_PM:
		sbuf_puts(b, hour >= 12 ? "PM" : "AM");
		break;
	case STD_pm:
		sbuf_puts(b, hour >= 12 ? "pm" : "am");
		break;
	}
}

/* A zone element: the name (MST), or the offset in the layout's numeric form
 * (-0700, -07:00:00, Z07:00 with Z for UTC...). */
static void gf_zone(sbuf *b, const gotime_zone_info *z, int std)
{
	if (std == STD_TZ && z->name_len) {
		sbuf_put(b, z->name, z->name_len);
		return;
	}
	/* the Z forms print Z for UTC */
	if (z->offset == 0 && is_iso_tz(std)) {
		sbuf_putc(b, 'Z');
		return;
	}
	int zone = z->offset / 60, absoffset = z->offset;
	if (zone < 0) {
		sbuf_putc(b, '-');
		zone = -zone;
		absoffset = -absoffset;
	} else {
		sbuf_putc(b, '+');
	}
	append_int(b, zone / 60, 2);
	bool colon = std == STD_ISO8601_COLON_TZ || std == STD_NUM_COLON_TZ ||
		     std == STD_ISO8601_COLON_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ;
	bool seconds = std == STD_ISO8601_SECONDS_TZ || std == STD_NUM_SECONDS_TZ ||
		       std == STD_NUM_COLON_SECONDS_TZ || std == STD_ISO8601_COLON_SECONDS_TZ;
	if (colon)
		sbuf_putc(b, ':');
	/* no zone name known (STD_TZ): -0700 */
	if (std != STD_NUM_SHORT_TZ && std != STD_ISO8601_SHORT_TZ)
		append_int(b, zone % 60, 2);
	if (seconds) {
		if (colon)
			sbuf_putc(b, ':');
		append_int(b, absoffset % 60, 2);
	}
}

void gotime_format(sbuf *b, const gotime *t, const char *layout, size_t len)
{
	gotime_zone_info z;
	uint64_t abs = locabs(t, &z);
	gotime_civil c = {0};
	bool have_date = false, have_clock = false;
	int hour = 0, min = 0, sec = 0;
	while (len > 0) {
		size_t pre, elen;
		int std = next_std(layout, len, &pre, &elen);
		if (pre)
			sbuf_put(b, layout, pre);
		if (!std)
			break;
		layout += pre + elen;
		len -= pre + elen;
		if (!have_date && (std & STD_NEED_DATE)) {
			gotime_abs_date(abs, true, &c);
			c.yday++;
			have_date = true;
		}
		if (!have_clock && (std & STD_NEED_CLOCK)) {
			int s = (int)(abs % 86400);
			hour = s / 3600;
			s -= hour * 3600;
			min = s / 60;
			sec = s - min * 60;
			have_clock = true;
		}
		int s = std & STD_MASK;
		switch (s) {
		case STD_HOUR:
		case STD_HOUR12:
		case STD_ZERO_HOUR12:
		case STD_MINUTE:
		case STD_ZERO_MINUTE:
		case STD_SECOND:
		case STD_ZERO_SECOND:
		case STD_PM:
		case STD_pm:
			gf_clock(b, hour, min, sec, s);
			break;
		case STD_ISO8601_TZ:
		case STD_ISO8601_COLON_TZ:
		case STD_ISO8601_SECONDS_TZ:
		case STD_ISO8601_SHORT_TZ:
		case STD_ISO8601_COLON_SECONDS_TZ:
		case STD_NUM_TZ:
		case STD_NUM_COLON_TZ:
		case STD_NUM_SECONDS_TZ:
		case STD_NUM_SHORT_TZ:
		case STD_NUM_COLON_SECONDS_TZ:
		case STD_TZ:
			gf_zone(b, &z, std);
			break;
		case STD_FRAC_SECOND0:
		case STD_FRAC_SECOND9:
			append_nano(b, t->nsec, std);
			break;
		default:
			gf_date(b, &c, abs, s);
			break;
		}
	}
}

uint64_t gotime_format_bound(const gotime *t, const char *layout, size_t len)
{
	/* One pass over the elements, each counted at its widest for t. */
	gotime_zone_info z;
	uint64_t abs = locabs(t, &z);
	gotime_civil c;
	gotime_abs_date(abs, false, &c);
	char ybuf[24];
	int ywidth = (int)sizeof ybuf - gotime_fmt_int(ybuf, (int)sizeof ybuf,
						     c.year < 0 ? (uint64_t)0 - (uint64_t)c.year : (uint64_t)c.year);
	ywidth += c.year < 0;
	uint64_t bound = 0;
	while (len > 0) {
		size_t pre, elen;
		int std = next_std(layout, len, &pre, &elen);
		bound += pre;
		if (!std)
			break;
		layout += pre + elen;
		len -= pre + elen;
		switch (std & STD_MASK) {
		case STD_LONG_MONTH:
		case STD_LONG_WEEKDAY:
			bound += 9;
			break;
		case STD_LONG_YEAR:
			bound += ywidth > 4 ? (uint64_t)ywidth : 4;
			break;
		case STD_TZ:
			bound += z.name_len > 5 ? z.name_len : 5;
			break;
		default: /* numbers, names of 3, zones of up to 9, fractions of up to 10 */
			bound += 10;
			break;
		}
	}
	return bound;
}

void gotime_string(sbuf *out, const gotime *t)
{
	static const char layout[] = "2006-01-02 15:04:05.999999999 -0700 MST";
	gotime_format(out, t, layout, sizeof layout - 1);
	if (t->has_mono) {
		uint64_t m2 = (uint64_t)t->mono;
		char sign = '+';
		if (t->mono < 0) {
			sign = '-';
			m2 = -m2;
		}
		uint64_t m1 = m2 / 1000000000u;
		m2 %= 1000000000u;
		uint64_t m0 = m1 / 1000000000u;
		m1 %= 1000000000u;
		sbuf_puts(out, " m=");
		sbuf_putc(out, sign);
		int wid = 0;
		if (m0 != 0) {
			append_int(out, (int64_t)m0, 0);
			wid = 9;
		}
		append_int(out, (int64_t)m1, wid);
		sbuf_putc(out, '.');
		append_int(out, (int64_t)m2, 9);
	}
}

void gotime_quote(sbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || c < ' ') {
			char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			sbuf_put(out, e, 4);
		} else {
			if (c == '"' || c == '\\')
				sbuf_putc(out, '\\');
			sbuf_putc(out, (char)c);
		}
	}
	sbuf_putc(out, '"');
}

/* ---- Parse ---- */

typedef struct pstr {
	const char *p;
	size_t n;
} pstr;

static void padv(pstr *s, size_t k)
{
	s->p += k;
	s->n -= k;
}

/* Go's leadingInt: false on overflow. */
static bool leading_int(pstr *s, uint64_t *x)
{
	*x = 0;
	size_t i = 0;
	for (; i < s->n && s->p[i] >= '0' && s->p[i] <= '9'; i++) {
		if (*x > (1ull << 63) / 10)
			return false;
		*x = *x * 10 + (uint64_t)(s->p[i] - '0');
		if (*x > 1ull << 63)
			return false;
	}
	padv(s, i);
	return true;
}

/* Go's atoi: an optional sign and digits, nothing else. */
static bool p_atoi(pstr s, int64_t *x)
{
	bool neg = false;
	if (s.n > 0 && (s.p[0] == '-' || s.p[0] == '+')) {
		neg = s.p[0] == '-';
		padv(&s, 1);
	}
	uint64_t q;
	if (!leading_int(&s, &q) || s.n > 0)
		return false;
	*x = neg ? -(int64_t)q : (int64_t)q;
	return true;
}

/* Go's getnum: one or two digits (two when fixed). */
static bool getnum(pstr *s, bool fixed, int64_t *x)
{
	if (!is_digit(s->p, s->n, 0))
		return false;
	if (!is_digit(s->p, s->n, 1)) {
		if (fixed)
			return false;
		*x = s->p[0] - '0';
		padv(s, 1);
		return true;
	}
	*x = (s->p[0] - '0') * 10 + (s->p[1] - '0');
	padv(s, 2);
	return true;
}

static bool getnum3(pstr *s, bool fixed, int64_t *x)
{
	int64_t n = 0;
	size_t i = 0;
	for (; i < 3 && is_digit(s->p, s->n, i); i++)
		n = n * 10 + (s->p[i] - '0');
	if (i == 0 || (fixed && i != 3))
		return false;
	*x = n;
	padv(s, i);
	return true;
}

/* Go's match: equal ignoring ASCII case. */
static bool match_fold(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c1 = (unsigned char)a[i], c2 = (unsigned char)b[i];
		if (c1 != c2) {
			c1 |= 'a' - 'A';
			c2 |= 'a' - 'A';
			if (c1 != c2 || c1 < 'a' || c1 > 'z')
				return false;
		}
	}
	return true;
}

static int lookup_name(const char *const *tab, int n, pstr *s)
{
	for (int i = 0; i < n; i++) {
		size_t l = strlen(tab[i]);
		if (s->n >= l && match_fold(s->p, tab[i], l)) {
			padv(s, l);
			return i;
		}
	}
	return -1;
}

/* Go's skip: the literal prefix, runs of spaces matching runs of spaces. */
static bool skip_prefix(pstr *v, pstr prefix)
{
	while (prefix.n > 0) {
		if (prefix.p[0] == ' ') {
			if (v->n > 0 && v->p[0] != ' ')
				return false;
			while (prefix.n > 0 && prefix.p[0] == ' ')
				padv(&prefix, 1);
			while (v->n > 0 && v->p[0] == ' ')
				padv(v, 1);
			continue;
		}
		if (v->n == 0 || v->p[0] != prefix.p[0])
			return false;
		padv(&prefix, 1);
		padv(v, 1);
	}
	return true;
}

static bool comma_or_period(char c)
{
	return c == '.' || c == ',';
}

/* Go's parseNanoseconds over value[0..nbytes): 0 ok, 1 bad, 2 out of range. */
static int parse_nanoseconds(pstr v, size_t nbytes, int64_t *ns)
{
	if (!comma_or_period(v.p[0]))
		return 1;
	if (nbytes > 10)
		nbytes = 10;
	pstr d = {v.p + 1, nbytes - 1};
	if (!p_atoi(d, ns))
		return 1;
	if (*ns < 0)
		return 2;
	for (size_t i = 0; i < 10 - nbytes; i++)
		*ns *= 10;
	return 0;
}

/* Go's parseSignedOffset: the length of "+03", "-4"; 0 when bad. */
static size_t parse_signed_offset(pstr v)
{
	if (v.n == 0 || (v.p[0] != '-' && v.p[0] != '+'))
		return 0;
	pstr r = {v.p + 1, v.n - 1};
	uint64_t x;
	if (!leading_int(&r, &x) || r.n == v.n - 1)
		return 0;
	if (x > 23)
		return 0;
	return v.n - r.n;
}

/* Go's parseTimeZone: the length of a zone abbreviation at v's start. */
static bool parse_time_zone(pstr v, size_t *len)
{
	if (v.n < 3)
		return false;
	if (v.n >= 4 && (memcmp(v.p, "ChST", 4) == 0 || memcmp(v.p, "MeST", 4) == 0)) {
		*len = 4;
		return true;
	}
	if (memcmp(v.p, "GMT", 3) == 0) {
		pstr rest = {v.p + 3, v.n - 3};
		*len = 3 + (rest.n ? parse_signed_offset(rest) : 0);
		return true;
	}
	if (v.p[0] == '+' || v.p[0] == '-') {
		*len = parse_signed_offset(v);
		return *len > 0;
	}
	size_t up = 0;
	for (; up < 6 && up < v.n && v.p[up] >= 'A' && v.p[up] <= 'Z'; up++)
		;
	switch (up) {
	case 5:
		if (v.p[4] == 'T') {
			*len = 5;
			return true;
		}
		break;
	case 4:
		if (v.p[3] == 'T' || memcmp(v.p, "WITA", 4) == 0) {
			*len = 4;
			return true;
		}
		break;
	case 3:
		*len = 3;
		return true;
	}
	return false;
}

/* Go's ParseError text. */
static int parse_error(sbuf *err, pstr layout, pstr value, pstr lelem, pstr velem, const char *msg,
		       pstr extra)
{
	if (!err)
		return -1;
	sbuf_puts(err, "parsing time ");
	gotime_quote(err, value.p, value.n);
	if (!msg) {
		sbuf_puts(err, " as ");
		gotime_quote(err, layout.p, layout.n);
		sbuf_puts(err, ": cannot parse ");
		gotime_quote(err, velem.p, velem.n);
		sbuf_puts(err, " as ");
		gotime_quote(err, lelem.p, lelem.n);
	} else {
		sbuf_puts(err, msg);
		if (extra.p)
			gotime_quote(err, extra.p, extra.n);
	}
	return -1;
}

/* What Parse has read of the value so far: Go's Parse keeps these as locals. */
typedef struct gp_fields {
	int64_t year, month, day, yday, hour, min, sec, nsec;
	bool am_set, pm_set, z_utc;
	int64_t zone_offset; /* -1: none read */
	pstr zone_name;
	const char *range_err; /* "month", "hour", ...: ": X out of range" */
} gp_fields;

/* The sign, hours, minutes and seconds of a numeric zone (-0700, -07:00:00, ...)
 * at value's start, consumed; false when value is too short or misshapen. */
static bool gp_split_offset(int std, pstr *value, pstr *sign, pstr *hh, pstr *mm, pstr *ss)
{
	const char *p = value->p;
	size_t need;
	*ss = (pstr){"00", 2};
	if (std == STD_ISO8601_COLON_TZ || std == STD_NUM_COLON_TZ) {
		if (value->n < 6 || p[3] != ':')
			return false;
		*hh = (pstr){p + 1, 2};
		*mm = (pstr){p + 4, 2};
		need = 6;
	} else if (std == STD_NUM_SHORT_TZ || std == STD_ISO8601_SHORT_TZ) {
		if (value->n < 3)
			return false;
		*hh = (pstr){p + 1, 2};
		*mm = (pstr){"00", 2};
		need = 3;
	} else if (std == STD_ISO8601_COLON_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ) {
		if (value->n < 9 || p[3] != ':' || p[6] != ':')
			return false;
		*hh = (pstr){p + 1, 2};
		*mm = (pstr){p + 4, 2};
		*ss = (pstr){p + 7, 2};
		need = 9;
	} else if (std == STD_ISO8601_SECONDS_TZ || std == STD_NUM_SECONDS_TZ) {
		if (value->n < 7)
			return false;
		*hh = (pstr){p + 1, 2};
		*mm = (pstr){p + 3, 2};
		*ss = (pstr){p + 5, 2};
		need = 7;
	} else {
		if (value->n < 5)
			return false;
		*hh = (pstr){p + 1, 2};
		*mm = (pstr){p + 3, 2};
		need = 5;
	}
	*sign = (pstr){p, 1};
	padv(value, need);
	return true;
}

/* A numeric zone (Z for the ISO forms): true when bad. */
static bool gp_numeric_zone(gp_fields *f, int std, pstr *value)
{
	if (is_iso_tz(std) && value->n >= 1 && value->p[0] == 'Z') {
		padv(value, 1);
		f->z_utc = true;
		return false;
	}
	pstr sign, hh, mm, ss;
	if (!gp_split_offset(std, value, &sign, &hh, &mm, &ss))
		return true;
	int64_t hr = 0, mn = 0, sc = 0;
	bool bad = !getnum(&hh, true, &hr) || !getnum(&mm, true, &mn) || !getnum(&ss, true, &sc);
	/* > rather than >=: offsets of 24 hours or 60 minutes are written */
	if (hr > 24)
		f->range_err = "time zone offset hour";
	if (mn > 60)
		f->range_err = "time zone offset minute";
	if (sc > 60)
		f->range_err = "time zone offset second";
	f->zone_offset = (hr * 60 + mn) * 60 + sc;
	if (sign.p[0] == '-')
		f->zone_offset = -f->zone_offset;
	else if (sign.p[0] != '+')
		bad = true;
	return bad;
}

/* A zone abbreviation (MST, GMT+3, UTC): true when bad. */
static bool gp_zone_name(gp_fields *f, pstr *value)
{
	if (value->n >= 3 && memcmp(value->p, "UTC", 3) == 0) {
		f->z_utc = true;
		padv(value, 3);
		return false;
	}
	size_t n;
	if (!parse_time_zone(*value, &n))
		return true;
	f->zone_name = (pstr){value->p, n};
	padv(value, n);
	return false;
}

/* parse_nanoseconds over value's first nbytes, consumed: true when bad. */
static bool gp_nanos(gp_fields *f, pstr *value, size_t nbytes)
{
	int rc = parse_nanoseconds(*value, nbytes, &f->nsec);
	if (rc == 2)
		f->range_err = "fractional second";
	padv(value, nbytes);
	return rc == 1;
}

/* A fraction the layout writes: .000 (fixed) or .999 (optional): true when bad. */
static bool gp_fraction(gp_fields *f, int std, pstr *value)
{
	if ((std & STD_MASK) == STD_FRAC_SECOND0) {
		size_t nd = 1 + digits_len(std);
		return value->n < nd || gp_nanos(f, value, nd);
	}
	if (value->n < 2 || !comma_or_period(value->p[0]) || value->p[1] < '0' || value->p[1] > '9')
		return false; /* fraction omitted */
	size_t i = 0;
	while (i + 1 < value->n && value->p[i + 1] >= '0' && value->p[i + 1] <= '9')
		i++;
	return gp_nanos(f, value, 1 + i);
}

/* Seconds, and a fraction after them that the layout does not mention (Go reads
 * it unless the layout's next element is a fraction): true when bad. */
static bool gp_second(gp_fields *f, int std, pstr layout, pstr *value)
{
	if (!getnum(value, std == STD_ZERO_SECOND, &f->sec))
		return true;
	if (f->sec < 0 || 60 <= f->sec) {
		f->range_err = "second";
		return false;
	}
	if (value->n >= 2 && comma_or_period(value->p[0]) && is_digit(value->p, value->n, 1)) {
		size_t p2, e2;
		int next = next_std(layout.p, layout.n, &p2, &e2) & STD_MASK;
		if (next == STD_FRAC_SECOND0 || next == STD_FRAC_SECOND9)
			return false;
		size_t n = 2;
		while (n < value->n && is_digit(value->p, value->n, n))
			n++;
		return gp_nanos(f, value, n);
	}
	return false;
}

/* Two-digit or four-digit year: true when bad. */
static bool gp_year(gp_fields *f, int std, pstr *value)
{
	if (std == STD_YEAR) {
		if (value->n < 2)
			return true;
		bool ok = p_atoi((pstr){value->p, 2}, &f->year);
		padv(value, 2);
		f->year += f->year >= 69 ? 1900 : 2000;
		return !ok;
	}
	if (value->n < 4 || !is_digit(value->p, value->n, 0))
		return true;
	bool ok = p_atoi((pstr){value->p, 4}, &f->year);
	padv(value, 4);
	return !ok;
}

/* AM/PM (PM or pm as the layout has it): true when bad. */
static bool gp_ampm(gp_fields *f, int std, pstr *value)
{
	if (value->n < 2)
		return true;
	bool bad = false;
	if (memcmp(value->p, std == STD_PM ? "PM" : "pm", 2) == 0)
		f->pm_set = true;
	else if (memcmp(value->p, std == STD_PM ? "AM" : "am", 2) == 0)
		f->am_set = true;
	else
		bad = true;
	padv(value, 2);
	return bad;
}

/* A number getnum reads into *x, with the range Go checks ([lo, hi]), else
 * range_err: true when bad. */
static bool gp_num(gp_fields *f, pstr *value, bool fixed, int64_t *x, int64_t lo, int64_t hi,
		   const char *what)
{
	bool bad = !getnum(value, fixed, x);
	if (what && (*x < lo || hi < *x))
		f->range_err = what;
	return bad;
}

/* One element of the layout (std, the rest of the layout after it) read from
 * value, as the switch of Go's Parse: true when the value does not fit. */
static bool gp_chunk(gp_fields *f, int std, pstr layout, pstr *value)
{
	switch (std & STD_MASK) {
	case STD_YEAR:
	case STD_LONG_YEAR:
		return gp_year(f, std & STD_MASK, value);
	case STD_MONTH:
		f->month = lookup_name(short_month_names, 12, value) + 1;
		return f->month == 0;
	case STD_LONG_MONTH:
		f->month = lookup_name(long_month_names, 12, value) + 1;
		return f->month == 0;
	case STD_NUM_MONTH:
	case STD_ZERO_MONTH: {
		bool bad = !getnum(value, std == STD_ZERO_MONTH, &f->month);
		if (!bad && (f->month <= 0 || 12 < f->month))
			f->range_err = "month";
		return bad;
	}
	case STD_WEEKDAY:
		return lookup_name(short_day_names, 7, value) < 0;
	case STD_LONG_WEEKDAY:
		return lookup_name(long_day_names, 7, value) < 0;
	case STD_DAY:
	case STD_UNDER_DAY:
	case STD_ZERO_DAY:
		if (std == STD_UNDER_DAY && value->n > 0 && value->p[0] == ' ')
			padv(value, 1);
		return !getnum(value, std == STD_ZERO_DAY, &f->day);
	case STD_UNDER_YEARDAY:
	case STD_ZERO_YEARDAY:
		for (int i = 0; i < 2; i++)
			if (std == STD_UNDER_YEARDAY && value->n > 0 && value->p[0] == ' ')
				padv(value, 1);
		return !getnum3(value, std == STD_ZERO_YEARDAY, &f->yday);
	case STD_HOUR:
		return gp_num(f, value, false, &f->hour, 0, 23, "hour");
	case STD_HOUR12:
	case STD_ZERO_HOUR12:
		return gp_num(f, value, std == STD_ZERO_HOUR12, &f->hour, 0, 12, "hour");
	case STD_MINUTE:
	case STD_ZERO_MINUTE:
		return gp_num(f, value, std == STD_ZERO_MINUTE, &f->min, 0, 59, "minute");
	case STD_SECOND:
	case STD_ZERO_SECOND:
		return gp_second(f, std, layout, value);
	case STD_PM:
	case STD_pm:
		return gp_ampm(f, std, value);
	case STD_ISO8601_TZ:
	case STD_ISO8601_SHORT_TZ:
	case STD_ISO8601_COLON_TZ:
	case STD_ISO8601_SECONDS_TZ:
	case STD_ISO8601_COLON_SECONDS_TZ:
	case STD_NUM_TZ:
	case STD_NUM_SHORT_TZ:
	case STD_NUM_COLON_TZ:
	case STD_NUM_SECONDS_TZ:
	case STD_NUM_COLON_SECONDS_TZ:
		return gp_numeric_zone(f, std, value);
	case STD_TZ:
		return gp_zone_name(f, value);
	case STD_FRAC_SECOND0:
	case STD_FRAC_SECOND9:
		return gp_fraction(f, std, value);
	}
	return false;
}

/* Month and day from the day of the year (and checked against them), or the
 * defaults: NULL, or Go's message. */
static const char *gp_resolve_day(gp_fields *f)
{
	if (f->yday < 0) {
		if (f->month < 0)
			f->month = 1;
		if (f->day < 0)
			f->day = 1;
		return NULL;
	}
	int64_t yday = f->yday, d = 0, m = 0;
	if (gotime_is_leap(f->year)) {
		if (yday == 31 + 29) {
			m = 2;
			d = 29;
		} else if (yday > 31 + 29) {
			yday--;
		}
	}
	if (yday < 1 || yday > 365)
		return ": day-of-year out of range";
	if (m == 0) {
		m = (yday - 1) / 31 + 1;
		if (gotime_days_before_month((int)m) < yday)
			m++;
		d = yday - gotime_days_before_month((int)m - 1);
	}
	if (f->month >= 0 && f->month != m)
		return ": day-of-year does not match month";
	f->month = m;
	if (f->day >= 0 && f->day != d)
		return ": day-of-year does not match day";
	f->day = d;
	return NULL;
}

/* The time the fields name, in the zone they read (Go's Parse's tail): an
 * offset that loc has at that instant keeps loc, else a fixed zone. */
static gotime gp_build(tmpl_arena *a, const gp_fields *f, const gotime_loc *loc)
{
	if (f->z_utc)
		return gotime_date(f->year, f->month, f->day, f->hour, f->min, f->sec, f->nsec, NULL);
	if (f->zone_offset == -1 && f->zone_name.n == 0)
		return gotime_date(f->year, f->month, f->day, f->hour, f->min, f->sec, f->nsec, loc);
	gotime t = gotime_date(f->year, f->month, f->day, f->hour, f->min, f->sec, f->nsec, NULL);
	const pstr zn = f->zone_name;
	if (f->zone_offset != -1) {
		t.sec = gotime_wrap_add(t.sec, -f->zone_offset);
		gotime_zone_info z;
		gotime_lookup(loc, gotime_unix_sec(&t), &z);
		if (z.offset == f->zone_offset &&
		    (zn.n == 0 || (z.name_len == zn.n && memcmp(z.name, zn.p, zn.n) == 0))) {
			t.loc = loc;
			return t;
		}
		t.loc = gotime_fixed_zone(a, zn.p ? zn.p : "", zn.n, (int32_t)f->zone_offset);
		return t;
	}
	int32_t offset = 0;
	if (gotime_lookup_name(loc, zn.p, zn.n, gotime_unix_sec(&t), &offset)) {
		t.sec = gotime_wrap_add(t.sec, -offset);
		t.loc = loc;
		return t;
	}
	if (zn.n > 3 && memcmp(zn.p, "GMT", 3) == 0) {
		int64_t o = 0;
		p_atoi((pstr){zn.p + 3, zn.n - 3}, &o);
		offset = (int32_t)(o * 3600);
	}
	t.loc = gotime_fixed_zone(a, zn.p, zn.n, offset);
	return t;
}

int gotime_parse(tmpl_arena *a, const char *layout0, size_t llen, const char *value0, size_t vlen,
		 const gotime_loc *loc, gotime *out, sbuf *err)
{
	const pstr alayout = {layout0, llen}, avalue = {value0, vlen}, none = {NULL, 0};
	pstr layout = alayout, value = avalue;
	gp_fields f = {.month = -1, .day = -1, .yday = -1, .zone_offset = -1};

	for (;;) {
		size_t pre, elen;
		int std = next_std(layout.p, layout.n, &pre, &elen);
		pstr prefix = {layout.p, pre};
		pstr stdstr = {layout.p + pre, elen};
		if (!skip_prefix(&value, prefix))
			return parse_error(err, alayout, avalue, prefix, value, NULL, none);
		if (!std) {
			if (value.n != 0)
				return parse_error(err, alayout, avalue, none, value, ": extra text: ", value);
			break;
		}
		padv(&layout, pre + elen);
		pstr hold = value;
		bool bad = gp_chunk(&f, std, layout, &value);
		if (f.range_err) {
			char msg[64];
			snprintf(msg, sizeof msg, ": %s out of range", f.range_err);
			return parse_error(err, alayout, avalue, none, none, msg, none);
		}
		if (bad)
			return parse_error(err, alayout, avalue, stdstr, hold, NULL, none);
	}
	if (f.pm_set && f.hour < 12)
		f.hour += 12;
	else if (f.am_set && f.hour == 12)
		f.hour = 0;

	const char *msg = gp_resolve_day(&f);
	if (!msg && (f.day < 1 || f.day > gotime_days_in((int)f.month, f.year)))
		msg = ": day out of range";
	if (msg)
		return parse_error(err, alayout, avalue, none, value, msg, none);
	*out = gp_build(a, &f, loc);
	return 0;
}
