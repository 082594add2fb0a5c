/* sprig_dates.c: sprig's date functions (now, date, dateInZone, htmlDate, htmlDateInZone, dateModify, mustDateModify, ago, duration, durationRound, toDate, mustToDate, unixEpoch) over Go's time model (src/gotime.h).
 *
 * sprig switches on the Go type of its interface{} arguments: a time.Time
 * (or *time.Time) is that time; int, int32 and int64 are Unix seconds (ago
 * takes no int32); anything else, nil included, is time.Now(). Zones are
 * loaded as time.LoadLocation loads them, UTC when that fails.
 */
#include <stdint.h>
#include <string.h>

#include "builtin.h"
#include "fnarg.h"
#include "gotime.h"
#include "sprig.h"
#include "types.h"

/* Above this many bytes a formatted date asks the render's memory bound. */
#define SD_BUDGET_FLOOR 4096

/* The Go integer type of v: 'i' int, '3' int32, '6' int64, 0 none. */
static char sd_int_kind(const tv *v)
{
	if (!v || v->kind != TV_INT)
		return 0;
	if (!v->type)
		return 'i';
	const char *n = v->type->go_name ? v->type->go_name : "";
	if (strcmp(n, "int") == 0)
		return 'i';
	if (strcmp(n, "int32") == 0)
		return '3';
	if (strcmp(n, "int64") == 0)
		return '6';
	return 0;
}

/* sprig's switch over a date argument; int32 counts unless no_int32 (ago). */
static gotime sd_time_arg(const tv *v, bool no_int32)
{
	const gotime *t = gotime_of(v);
	if (t)
		return *t;
	char k = sd_int_kind(v);
	if (k && !(k == '3' && no_int32))
		return gotime_unix(v->u.i, 0);
	return gotime_now();
}

/* A Go time.Time parameter. */
static int sd_time_param(tmpl_call *c, size_t i, gotime *out)
{
	const gotime *t = gotime_of(c->args[i]);
	if (!t)
		return fnarg_type_error(c, "time.Time", c->args[i]);
	*out = *t;
	return 0;
}

static const tv *sd_string(tmpl_call *c, const sbuf *b)
{
	return tv_string(c->arena, b->buf ? b->buf : "", b->len);
}

/* dateInZone's body: t.In(LoadLocation(zone) or UTC).Format(layout). */
static int sd_format_in(tmpl_call *c, const char *layout, size_t llen, const tv *date,
			const char *zone, size_t zlen, const tv **r)
{
	gotime t = sd_time_arg(date, false);
	const gotime_loc *loc = NULL;
	if (gotime_load_location(c->arena, zone, zlen, &loc, NULL) != 0)
		loc = NULL; /* sprig: LoadLocation("UTC") */
	t = gotime_in(t, loc);
	uint64_t bound = gotime_format_bound(&t, layout, llen);
	if (bound > SD_BUDGET_FLOOR && tmpl_call_budget(c, bound) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	gotime_format(b, &t, layout, llen);
	*r = sd_string(c, b);
	return 0;
}

static int sd_now(tmpl_call *c, const tv **r)
{
	gotime t = gotime_now();
	*r = gotime_value(c->arena, &t);
	return 0;
}

/* date FORMAT DATE */
static int sd_date(tmpl_call *c, const tv **r)
{
	const char *f;
	size_t fl;
	if (fnarg_string(c, 0, &f, &fl) < 0)
		return -1;
	return sd_format_in(c, f, fl, c->args[1], "Local", 5, r);
}

/* dateInZone FORMAT DATE ZONE */
static int sd_date_in_zone(tmpl_call *c, const tv **r)
{
	const char *f, *z;
	size_t fl, zl;
	if (fnarg_string(c, 0, &f, &fl) < 0 || fnarg_string(c, 2, &z, &zl) < 0)
		return -1;
	return sd_format_in(c, f, fl, c->args[1], z, zl, r);
}

/* htmlDate DATE */
static int sd_html_date(tmpl_call *c, const tv **r)
{
	return sd_format_in(c, "2006-01-02", 10, c->args[0], "Local", 5, r);
}

/* htmlDateInZone DATE ZONE */
static int sd_html_date_in_zone(tmpl_call *c, const tv **r)
{
	const char *z;
	size_t zl;
	if (fnarg_string(c, 1, &z, &zl) < 0)
		return -1;
	return sd_format_in(c, "2006-01-02", 10, c->args[0], z, zl, r);
}

/* dateModify DURATION TIME: the time itself when DURATION does not parse. */
static int sd_modify(tmpl_call *c, const tv **r, bool must)
{
	const char *f;
	size_t fl;
	gotime t;
	if (fnarg_string(c, 0, &f, &fl) < 0 || sd_time_param(c, 1, &t) < 0)
		return -1;
	int64_t d;
	sbuf *err = tmpl_call_scratch(c, 0);
	if (gotime_parse_duration(f, fl, &d, must ? err : NULL) != 0) {
		if (must)
			return tmpl_call_errorf(c, "%s", err->buf);
		*r = c->args[1];
		return 0;
	}
	t = gotime_add(t, d);
	*r = gotime_value(c->arena, &t);
	return 0;
}

static int sd_date_modify(tmpl_call *c, const tv **r)
{
	return sd_modify(c, r, false);
}

static int sd_must_date_modify(tmpl_call *c, const tv **r)
{
	return sd_modify(c, r, true);
}

/* ago DATE: time.Since(t) rounded to the second. */
static int sd_ago(tmpl_call *c, const tv **r)
{
	gotime t = sd_time_arg(c->args[0], true);
	int64_t d = gotime_duration_round(gotime_since(&t), 1000000000);
	sbuf *b = tmpl_call_scratch(c, 0);
	gotime_duration_string(b, d);
	*r = sd_string(c, b);
	return 0;
}

/* strconv.ParseInt(s, 10, 64) as sprig ignores its error: 0 for bad syntax,
 * the clamped value for a number out of range. */
static int64_t sd_parse_int(const char *s, size_t n)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return 0;
	uint64_t u = 0;
	bool range = false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (!range) {
			if (u > (UINT64_MAX - 9) / 10)
				range = true;
			else
				u = u * 10 + (uint64_t)(s[i] - '0');
		}
	}
	if (!neg && (range || u > (uint64_t)INT64_MAX))
		return INT64_MAX;
	if (neg && (range || u > (uint64_t)INT64_MAX + 1))
		return INT64_MIN;
	return neg ? (int64_t)(0 - u) : (int64_t)u;
}

/* duration SECONDS: a string or an int64 of seconds (anything else is 0). */
static int sd_duration(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	int64_t n = 0;
	if (v && v->kind == TV_STRING && (!v->type || strcmp(v->type->go_name, "string") == 0))
		n = sd_parse_int(v->u.s.ptr, v->u.s.len);
	else if (sd_int_kind(v) == '6')
		n = v->u.i;
	sbuf *b = tmpl_call_scratch(c, 0);
	/* time.Duration(n) * time.Second wraps as Go's int64 does */
	gotime_duration_string(b, (int64_t)((uint64_t)n * 1000000000u));
	*r = sd_string(c, b);
	return 0;
}

/* durationRound D: the largest whole unit (y, mo, d, h, m, s) of a duration
 * text, an int64 of nanoseconds, or the time since a time.Time. */
static int sd_duration_round(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	int64_t d = 0;
	const gotime *t = gotime_of(v);
	if (v && v->kind == TV_STRING && (!v->type || strcmp(v->type->go_name, "string") == 0)) {
		if (gotime_parse_duration(v->u.s.ptr, v->u.s.len, &d, NULL) != 0)
			d = 0;
	} else if (sd_int_kind(v) == '6') {
		d = v->u.i;
	} else if (t) {
		d = gotime_since(t);
	}
	uint64_t u = (uint64_t)d;
	if (d < 0)
		u = -u;
	static const struct {
		uint64_t ns;
		const char *unit;
	} units[] = {
		{UINT64_C(3600000000000) * 24 * 365, "y"}, {UINT64_C(3600000000000) * 24 * 30, "mo"},
		{UINT64_C(3600000000000) * 24, "d"},       {UINT64_C(3600000000000), "h"},
		{UINT64_C(60000000000), "m"},              {UINT64_C(1000000000), "s"},
	};
	sbuf *b = tmpl_call_scratch(c, 0);
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (u > units[i].ns) {
			sbuf_printf(b, "%llu%s", (unsigned long long)(u / units[i].ns), units[i].unit);
			*r = sd_string(c, b);
			return 0;
		}
	sbuf_puts(b, "0s");
	*r = sd_string(c, b);
	return 0;
}

/* toDate LAYOUT VALUE: time.ParseInLocation(LAYOUT, VALUE, time.Local). */
static int sd_to_date_ex(tmpl_call *c, const tv **r, bool must)
{
	const char *l, *s;
	size_t ll, sl;
	if (fnarg_string(c, 0, &l, &ll) < 0 || fnarg_string(c, 1, &s, &sl) < 0)
		return -1;
	gotime t;
	sbuf *err = tmpl_call_scratch(c, 0);
	if (gotime_parse(c->arena, l, ll, s, sl, gotime_local(), &t, must ? err : NULL) != 0) {
		if (must)
			return tmpl_call_errorf(c, "%s", err->buf);
		memset(&t, 0, sizeof t); /* Go's zero Time: January 1, year 1, UTC */
	}
	*r = gotime_value(c->arena, &t);
	return 0;
}

static int sd_to_date(tmpl_call *c, const tv **r)
{
	return sd_to_date_ex(c, r, false);
}

static int sd_must_to_date(tmpl_call *c, const tv **r)
{
	return sd_to_date_ex(c, r, true);
}

/* unixEpoch TIME */
static int sd_unix_epoch(tmpl_call *c, const tv **r)
{
	gotime t;
	if (sd_time_param(c, 0, &t) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	sbuf_put_int(b, (long long)gotime_unix_sec(&t));
	*r = sd_string(c, b);
	return 0;
}

const tmpl_func sprig_dates_funcs[] = {
	{"ago", 1, 1, 0, sd_ago},
	{"date", 2, 2, 0, sd_date},
	{"dateInZone", 3, 3, 0, sd_date_in_zone},
	{"dateModify", 2, 2, 0, sd_date_modify},
	{"date_in_zone", 3, 3, 0, sd_date_in_zone},
	{"date_modify", 2, 2, 0, sd_date_modify},
	{"duration", 1, 1, 0, sd_duration},
	{"durationRound", 1, 1, 0, sd_duration_round},
	{"htmlDate", 1, 1, 0, sd_html_date},
	{"htmlDateInZone", 2, 2, 0, sd_html_date_in_zone},
	{"mustDateModify", 2, 2, 0, sd_must_date_modify},
	{"mustToDate", 2, 2, 0, sd_must_to_date},
	{"must_date_modify", 2, 2, 0, sd_must_date_modify},
	{"now", 0, 0, 0, sd_now},
	{"toDate", 2, 2, 0, sd_to_date},
	{"unixEpoch", 1, 1, 0, sd_unix_epoch},
	{NULL, 0, 0, 0, NULL}
};
