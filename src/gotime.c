/* gotime.c: Go's time.Time arithmetic (Now, Unix, Date, Add, Sub, In), time.Duration's String, Round and ParseDuration, and time values as template values. */
#include "gotime.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "gotime_impl.h"
#include "types.h"

/* Go's time.Time is a struct; its JSON form is text, which types_normalize
 * hands on as it is for TK_ANY: the RFC 3339 text in u.strct.raw. */
const tmpl_type gotime_type = {.kind = TK_ANY, .go_name = "time.Time"};

typedef struct gotime_tv {
	tv v; /* first: a gotime_tv is a tv */
	gotime t;
} gotime_tv;

/* ---- arithmetic ---- */

int64_t gotime_wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

int64_t gotime_unix_sec(const gotime *t)
{
	return gotime_wrap_add(t->sec, GOTIME_INTERNAL_TO_UNIX);
}

gotime gotime_unix(int64_t sec, int64_t nsec)
{
	if (nsec < 0 || nsec >= 1000000000) {
		int64_t n = nsec / 1000000000;
		sec = gotime_wrap_add(sec, n);
		nsec -= n * 1000000000;
		if (nsec < 0) {
			nsec += 1000000000;
			sec = gotime_wrap_add(sec, -1);
		}
	}
	gotime t = {0};
	t.sec = gotime_wrap_add(sec, GOTIME_UNIX_TO_INTERNAL);
	t.nsec = (int32_t)nsec;
	t.loc = gotime_local();
	return t;
}

static pthread_once_t gotime_start_once = PTHREAD_ONCE_INIT;
static int64_t gotime_start_nano;

static int64_t gotime_mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Go's startNano: one reading before the first, so the first is +1ns. */
static void gotime_start_init(void)
{
	gotime_start_nano = gotime_mono_now() - 1;
}

static int64_t gotime_mono_since_start(void)
{
	pthread_once(&gotime_start_once, gotime_start_init);
	return gotime_mono_now() - gotime_start_nano;
}

gotime gotime_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	gotime t = gotime_unix((int64_t)ts.tv_sec, ts.tv_nsec);
	/* Go keeps a monotonic reading for wall times of 1885..2157 */
	int64_t wall = t.sec - GOTIME_WALL_TO_INTERNAL;
	if (wall >= 0 && (uint64_t)wall >> 33 == 0) {
		t.has_mono = true;
		t.mono = gotime_mono_since_start();
	}
	return t;
}

gotime gotime_in(gotime t, const gotime_loc *loc)
{
	t.has_mono = false;
	t.mono = 0;
	t.loc = loc;
	return t;
}

gotime gotime_add(gotime t, int64_t d)
{
	int64_t dsec = d / 1000000000;
	int32_t nsec = t.nsec + (int32_t)(d % 1000000000);
	if (nsec >= 1000000000) {
		dsec++;
		nsec -= 1000000000;
	} else if (nsec < 0) {
		dsec--;
		nsec += 1000000000;
	}
	t.nsec = nsec;
	t.sec = gotime_wrap_add(t.sec, dsec);
	if (t.has_mono) {
		int64_t te = gotime_wrap_add(t.mono, d);
		if ((d < 0 && te > t.mono) || (d > 0 && te < t.mono)) {
			t.has_mono = false;
			t.mono = 0;
		} else {
			t.mono = te;
		}
	}
	return t;
}

static bool gotime_equal(const gotime *a, const gotime *b)
{
	return a->sec == b->sec && a->nsec == b->nsec;
}

static bool gotime_before(const gotime *a, const gotime *b)
{
	return a->sec < b->sec || (a->sec == b->sec && a->nsec < b->nsec);
}

int64_t gotime_sub(const gotime *t, const gotime *u)
{
	if (t->has_mono && u->has_mono) {
		int64_t te = t->mono, ue = u->mono;
		int64_t d = gotime_wrap_add(te, -ue);
		if (d < 0 && te > ue)
			return INT64_MAX;
		if (d > 0 && te < ue)
			return INT64_MIN;
		return d;
	}
	int64_t d = (int64_t)((uint64_t)gotime_wrap_add(t->sec, -u->sec) * 1000000000u);
	d = gotime_wrap_add(d, (int64_t)t->nsec - u->nsec);
	gotime back = gotime_add(*u, d);
	if (gotime_equal(&back, t))
		return d;
	return gotime_before(t, u) ? INT64_MIN : INT64_MAX;
}

int64_t gotime_since(const gotime *t)
{
	gotime now;
	if (t->has_mono) {
		memset(&now, 0, sizeof now);
		now.has_mono = true;
		now.mono = gotime_mono_since_start();
	} else {
		now = gotime_now();
	}
	return gotime_sub(&now, t);
}

/* ---- calendar (Go's absolute time: seconds since a year far back) ---- */

static const int32_t gotime_days_before[] = {
	0,
	31,
	31 + 28,
	31 + 28 + 31,
	31 + 28 + 31 + 30,
	31 + 28 + 31 + 30 + 31,
	31 + 28 + 31 + 30 + 31 + 30,
	31 + 28 + 31 + 30 + 31 + 30 + 31,
	31 + 28 + 31 + 30 + 31 + 30 + 31 + 31,
	31 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30,
	31 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31,
	31 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30,
	31 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31,
};

#define DAYS_PER_400 (365 * 400 + 97)
#define DAYS_PER_100 (365 * 100 + 24)
#define DAYS_PER_4 (365 * 4 + 1)

bool gotime_is_leap(int64_t year)
{
	return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int gotime_days_in(int month, int64_t year)
{
	if (month == 2 && gotime_is_leap(year))
		return 29;
	return gotime_days_before[month] - gotime_days_before[month - 1];
}

int gotime_days_before_month(int month)
{
	return gotime_days_before[month];
}

void gotime_abs_date(uint64_t abs, bool full, gotime_civil *c)
{
	uint64_t d = abs / 86400;
	uint64_t n = d / DAYS_PER_400;
	uint64_t y = 400 * n;
	d -= DAYS_PER_400 * n;
	n = d / DAYS_PER_100;
	n -= n >> 2;
	y += 100 * n;
	d -= DAYS_PER_100 * n;
	n = d / DAYS_PER_4;
	y += 4 * n;
	d -= DAYS_PER_4 * n;
	n = d / 365;
	n -= n >> 2;
	y += n;
	d -= 365 * n;
	c->year = (int64_t)((uint64_t)y + (uint64_t)GOTIME_ABSOLUTE_ZERO_YEAR);
	c->yday = (int)d;
	c->month = 0;
	c->day = 0;
	if (!full)
		return;
	int day = c->yday;
	if (gotime_is_leap(c->year)) {
		if (day > 31 + 29 - 1) {
			day--;
		} else if (day == 31 + 29 - 1) {
			c->month = 2;
			c->day = 29;
			return;
		}
	}
	int month = day / 31;
	int end = gotime_days_before[month + 1], begin;
	if (day >= end) {
		month++;
		begin = end;
	} else {
		begin = gotime_days_before[month];
	}
	c->month = month + 1;
	c->day = day - begin + 1;
}

uint64_t gotime_days_since_epoch(int64_t year)
{
	uint64_t y = (uint64_t)year - (uint64_t)GOTIME_ABSOLUTE_ZERO_YEAR;
	uint64_t n = y / 400;
	y -= 400 * n;
	uint64_t d = DAYS_PER_400 * n;
	n = y / 100;
	y -= 100 * n;
	d += DAYS_PER_100 * n;
	n = y / 4;
	y -= 4 * n;
	d += DAYS_PER_4 * n;
	d += 365 * y;
	return d;
}

/* Go's norm: hi, lo with lo in [0, base). */
static void gotime_norm(int64_t *hi, int64_t *lo, int64_t base)
{
	if (*lo < 0) {
		int64_t n = (-*lo - 1) / base + 1;
		*hi -= n;
		*lo += n * base;
	}
	if (*lo >= base) {
		int64_t n = *lo / base;
		*hi += n;
		*lo -= n * base;
	}
}

gotime gotime_date(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t min,
		   int64_t sec, int64_t nsec, const gotime_loc *loc)
{
	int64_t m = month - 1;
	gotime_norm(&year, &m, 12);
	month = m + 1;
	gotime_norm(&sec, &nsec, 1000000000);
	gotime_norm(&min, &sec, 60);
	gotime_norm(&hour, &min, 60);
	gotime_norm(&day, &hour, 24);
	uint64_t d = gotime_days_since_epoch(year);
	d += (uint64_t)gotime_days_before[month - 1];
	if (gotime_is_leap(year) && month >= 3)
		d++;
	d += (uint64_t)(day - 1);
	uint64_t abs = d * 86400;
	abs += (uint64_t)(hour * 3600 + min * 60 + sec);
	int64_t unix = gotime_wrap_add((int64_t)abs, GOTIME_ABSOLUTE_TO_INTERNAL + GOTIME_INTERNAL_TO_UNIX);
	gotime_zone_info z;
	gotime_lookup(loc, unix, &z);
	if (z.offset != 0) {
		int64_t utc = unix - z.offset;
		if (utc < z.start || utc >= z.end)
			gotime_lookup(loc, utc, &z);
		unix -= z.offset;
	}
	gotime t = gotime_unix(unix, nsec);
	t.loc = loc;
	return t;
}

/* ---- durations ---- */

void gotime_duration_string(sbuf *out, int64_t d)
{
	char buf[32];
	int w = (int)sizeof buf;
	uint64_t u = (uint64_t)d;
	bool neg = d < 0;
	if (neg)
		u = -u;
	if (u < 1000000000u) {
		/* under a second: "1.5ms", "12µs", "3ns" */
		int prec = 0;
		w--;
		buf[w] = 's';
		w--;
		if (u == 0) {
			sbuf_puts(out, "0s");
			return;
		} else if (u < 1000u) {
			prec = 0;
			buf[w] = 'n';
		} else if (u < 1000000u) {
			prec = 3;
			/* U+00B5 'µ' micro sign: two bytes */
			w--;
			memcpy(buf + w, "\xc2\xb5", 2);
		} else {
			prec = 6;
			buf[w] = 'm';
		}
		w = gotime_fmt_frac(buf, w, &u, prec);
		w = gotime_fmt_int(buf, w, u);
	} else {
		w--;
		buf[w] = 's';
		w = gotime_fmt_frac(buf, w, &u, 9);
		w = gotime_fmt_int(buf, w, u % 60);
		u /= 60;
		if (u > 0) {
			w--;
			buf[w] = 'm';
			w = gotime_fmt_int(buf, w, u % 60);
			u /= 60;
			if (u > 0) {
				w--;
				buf[w] = 'h';
				w = gotime_fmt_int(buf, w, u);
			}
		}
	}
	if (neg) {
		w--;
		buf[w] = '-';
	}
	sbuf_put(out, buf + w, sizeof buf - (size_t)w);
}

/* Go's fmtFrac: the fraction of *v with prec digits, trailing zeros (and
 * then the point) dropped, written before buf[w]; *v becomes the integer part. */
int gotime_fmt_frac(char *buf, int w, uint64_t *v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		unsigned digit = (unsigned)(*v % 10);
		print = print || digit != 0;
		if (print) {
			w--;
			buf[w] = (char)('0' + digit);
		}
		*v /= 10;
	}
	if (print) {
		w--;
		buf[w] = '.';
	}
	return w;
}

/* Go's fmtInt: v in decimal, written before buf[w]. */
int gotime_fmt_int(char *buf, int w, uint64_t v)
{
	if (v == 0) {
		w--;
		buf[w] = '0';
	} else {
		while (v > 0) {
			w--;
			buf[w] = (char)('0' + v % 10);
			v /= 10;
		}
	}
	return w;
}

int64_t gotime_duration_round(int64_t d, int64_t m)
{
	if (m <= 0)
		return d;
	int64_t r = d % m;
	if (d < 0) {
		r = -r;
		if ((uint64_t)r + (uint64_t)r < (uint64_t)m)
			return d + r;
		int64_t d1 = gotime_wrap_add(gotime_wrap_add(d, -m), r);
		if (d1 < d)
			return d1;
		return INT64_MIN;
	}
	if ((uint64_t)r + (uint64_t)r < (uint64_t)m)
		return d - r;
	int64_t d1 = gotime_wrap_add(gotime_wrap_add(d, m), -r);
	if (d1 > d)
		return d1;
	return INT64_MAX;
}

static int gotime_duration_error(sbuf *err, const char *what, const char *s, size_t len)
{
	if (err) {
		sbuf_puts(err, what);
		gotime_quote(err, s, len);
	}
	return -1;
}

/* Go's leadingInt over s (consumed): false on overflow past 1<<63. */
static bool dur_leading_int(const char **s, size_t *len, uint64_t *v)
{
	size_t i = 0;
	*v = 0;
	for (; i < *len && (*s)[i] >= '0' && (*s)[i] <= '9'; i++) {
		if (*v > (1ull << 63) / 10)
			return false;
		*v = *v * 10 + (uint64_t)((*s)[i] - '0');
		if (*v > 1ull << 63)
			return false;
	}
	*s += i;
	*len -= i;
	return true;
}

/* Go's leadingFraction over s (consumed): the digits as f / scale, which
 * stop gaining precision on overflow; the number of digits. */
static size_t dur_leading_fraction(const char **s, size_t *len, uint64_t *f, double *scale)
{
	bool overflow = false;
	size_t i = 0;
	for (; i < *len && (*s)[i] >= '0' && (*s)[i] <= '9'; i++) {
		if (overflow)
			continue;
		uint64_t y = *f * 10 + (uint64_t)((*s)[i] - '0');
		if (*f > ((1ull << 63) - 1) / 10 || y > 1ull << 63) {
			overflow = true;
			continue;
		}
		*f = y;
		*scale *= 10;
	}
	*s += i;
	*len -= i;
	return i;
}

/* Nanoseconds of the unit s[0..n), or 0 when Go knows no such unit. */
static uint64_t dur_unit(const char *s, size_t n)
{
	static const struct {
		const char *unit;
		uint64_t ns;
	} units[] = {
		{"ns", 1u},
		{"us", 1000u},
		{"\xc2\xb5s", 1000u}, /* U+00B5 micro sign */
		{"\xce\xbcs", 1000u}, /* U+03BC Greek mu */
		{"ms", 1000000u},
		{"s", 1000000000u},
		{"m", 60000000000u},
		{"h", 3600000000000u},
	};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
		if (strlen(units[k].unit) == n && memcmp(units[k].unit, s, n) == 0)
			return units[k].ns;
	return 0;
}

int gotime_parse_duration(const char *s0, size_t len0, int64_t *ns, sbuf *err)
{
	static const char invalid[] = "time: invalid duration ";
	const char *s = s0;
	size_t len = len0;
	uint64_t d = 0;
	bool neg = false;
	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	if (len == 1 && s[0] == '0') {
		*ns = 0;
		return 0;
	}
	if (len == 0)
		return gotime_duration_error(err, invalid, s0, len0);
	while (len > 0) {
		uint64_t v = 0, f = 0;
		double scale = 1;
		if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
			return gotime_duration_error(err, invalid, s0, len0);
		size_t before = len;
		if (!dur_leading_int(&s, &len, &v))
			return gotime_duration_error(err, invalid, s0, len0);
		bool pre = len < before, post = false;
		if (len > 0 && s[0] == '.') {
			s++;
			len--;
			post = dur_leading_fraction(&s, &len, &f, &scale) > 0;
		}
		if (!pre && !post)
			return gotime_duration_error(err, invalid, s0, len0);
		size_t i = 0;
		while (i < len && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9'))
			i++;
		if (i == 0)
			return gotime_duration_error(err, "time: missing unit in duration ", s0, len0);
		uint64_t unit = dur_unit(s, i);
		if (!unit) {
			if (err) {
				sbuf_puts(err, "time: unknown unit ");
				gotime_quote(err, s, i);
				sbuf_puts(err, " in duration ");
				gotime_quote(err, s0, len0);
			}
			return -1;
		}
		s += i;
		len -= i;
		if (v > (1ull << 63) / unit)
			return gotime_duration_error(err, invalid, s0, len0);
		v *= unit;
		if (f > 0) {
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > 1ull << 63)
				return gotime_duration_error(err, invalid, s0, len0);
		}
		d += v;
		if (d > 1ull << 63)
			return gotime_duration_error(err, invalid, s0, len0);
	}
	if (!neg && d > (1ull << 63) - 1)
		return gotime_duration_error(err, invalid, s0, len0);
	*ns = neg ? (int64_t)(0 - d) : (int64_t)d;
	return 0;
}

/* ---- values ---- */

const tv *gotime_value(tmpl_arena *a, const gotime *t)
{
	gotime_tv *g = arena_alloc(a, sizeof *g);
	g->v.kind = TV_STRUCT;
	g->v.type = &gotime_type;
	g->t = *t;
	sbuf b = SBUF_INIT;
	gotime_format(&b, t, "2006-01-02T15:04:05.999999999Z07:00", 35);
	g->v.u.strct.raw = tv_string(a, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return &g->v;
}

const gotime *gotime_of(const tv *v)
{
	if (!v || v->type != &gotime_type || v->kind != TV_STRUCT)
		return NULL;
	return &((const gotime_tv *)(const void *)v)->t;
}

/* ---- methods a template calls without arguments ({{ $t.Year }}) ---- */

static const char *const gotime_month_names[] = {"January", "February", "March",     "April",
						 "May",     "June",     "July",      "August",
						 "September", "October", "November", "December"};
static const int gotime_month_values[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static const char *const gotime_day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
					       "Thursday", "Friday", "Saturday"};
/* time.Month and time.Weekday: ints that print their names */
static const tmpl_type gotime_month_type = {.kind = TK_ENUM, .go_name = "time.Month",
					    .enum_names = gotime_month_names, .nenum = 12,
					    .enum_values = gotime_month_values};
static const tmpl_type gotime_weekday_type = {.kind = TK_ENUM, .go_name = "time.Weekday",
					      .enum_names = gotime_day_names, .nenum = 7};
static const tmpl_type gotime_int64_type = {.kind = TK_INT, .go_name = "int64"};

static const tv *gotime_typed_int(tmpl_arena *a, int64_t i, const tmpl_type *t)
{
	tv *v = (tv *)tv_int(a, i);
	v->type = t;
	return v;
}

int gotime_method(tmpl_arena *a, const gotime *t, const char *name, size_t len, const tv **out)
{
#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
	int64_t unix = gotime_unix_sec(t);
	gotime_zone_info z;
	int64_t sec = unix;
	if (t->loc) {
		gotime_lookup(t->loc, unix, &z);
		sec = gotime_wrap_add(sec, z.offset);
	}
	uint64_t abs = (uint64_t)sec + (uint64_t)GOTIME_UNIX_TO_INTERNAL +
		       (uint64_t)GOTIME_INTERNAL_TO_ABSOLUTE;
	gotime_civil c;
	gotime_abs_date(abs, true, &c);
	int clock = (int)(abs % 86400);
	if (IS("Year"))
		*out = tv_int(a, c.year);
	else if (IS("Month"))
		*out = gotime_typed_int(a, c.month, &gotime_month_type);
	else if (IS("Day"))
		*out = tv_int(a, c.day);
	else if (IS("YearDay"))
		*out = tv_int(a, c.yday + 1);
	else if (IS("Weekday"))
		*out = gotime_typed_int(a, (int64_t)((abs + 86400) % (7 * 86400) / 86400),
					&gotime_weekday_type);
	else if (IS("Hour"))
		*out = tv_int(a, clock / 3600);
	else if (IS("Minute"))
		*out = tv_int(a, clock % 3600 / 60);
	else if (IS("Second"))
		*out = tv_int(a, clock % 60);
	else if (IS("Nanosecond"))
		*out = tv_int(a, t->nsec);
	else if (IS("Unix"))
		*out = gotime_typed_int(a, unix, &gotime_int64_type);
	else if (IS("UnixMilli"))
		*out = gotime_typed_int(a, gotime_wrap_add((int64_t)((uint64_t)unix * 1000u), t->nsec / 1000000),
					&gotime_int64_type);
	else if (IS("UnixMicro"))
		*out = gotime_typed_int(a, gotime_wrap_add((int64_t)((uint64_t)unix * 1000000u), t->nsec / 1000),
					&gotime_int64_type);
	else if (IS("UnixNano"))
		*out = gotime_typed_int(a, gotime_wrap_add((int64_t)((uint64_t)unix * 1000000000u), t->nsec),
					&gotime_int64_type);
	else if (IS("IsZero"))
		*out = tv_bool(t->sec == 0 && t->nsec == 0);
	else if (IS("UTC") || IS("Local")) {
		gotime u = gotime_in(*t, IS("UTC") ? NULL : gotime_local());
		*out = gotime_value(a, &u);
	} else if (IS("String")) {
		sbuf b = SBUF_INIT;
		gotime_string(&b, t);
		*out = tv_string(a, b.buf ? b.buf : "", b.len);
		sbuf_free(&b);
	} else
		return 1;
	return 0;
#undef IS
}
