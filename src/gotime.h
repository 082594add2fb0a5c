/* gotime.h: Go's time package as templates see it: time.Time values (instant, location, monotonic reading), locations from the system's tzdata, Format and Parse with Go's reference layouts, and time.Duration's text.
 *
 * The arithmetic is Go's, wrap-arounds included: a time holds Go's internal
 * seconds (since January 1 of year 1, UTC) as an int64 that wraps as Go's
 * does for absurd Unix seconds, so what Go prints for them we print too.
 * Locations: NULL is UTC; gotime_local() is Go's Local (from TZ, as Go reads
 * it); others come from gotime_load_location (tzdata files, as LoadLocation)
 * or from Parse (Go's FixedZone for an offset or abbreviation it cannot place).
 */
#ifndef TMPL_GOTIME_H
#define TMPL_GOTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "sbuf.h"
#include "tmpl_value.h"

typedef struct gotime_loc gotime_loc;

typedef struct gotime {
	int64_t sec;           /* Go's internal seconds: since 0001-01-01 00:00:00 UTC */
	int32_t nsec;          /* [0, 1e9) */
	bool has_mono;         /* Go's hasMonotonic: only times from gotime_now */
	int64_t mono;          /* nanoseconds since the process's first reading, plus one */
	const gotime_loc *loc; /* NULL: UTC */
} gotime;

/* Go's Local: TZ unset reads /etc/localtime, TZ="" is UTC, TZ=":name" or
 * TZ="name" a tzdata file (an absolute path as it is); UTC when that fails.
 * Read once per process. */
const gotime_loc *gotime_local(void);
/* time.LoadLocation(name): 0 and *out (NULL for "" and "UTC"), or -1 with
 * Go's error text in err ("unknown time zone Mars/Base"). Files are read
 * from $ZONEINFO (a directory) then the system's tzdata directories; the
 * first few locations are kept for the process, later ones go to arena a. */
int gotime_load_location(tmpl_arena *a, const char *name, size_t len, const gotime_loc **out,
			 sbuf *err);
/* The location's name as Location.String() gives it ("UTC", "Local"...). */
const char *gotime_loc_name(const gotime_loc *loc);

/* time.Now() (in Local, with a monotonic reading). */
gotime gotime_now(void);
/* time.Unix(sec, nsec) (in Local). */
gotime gotime_unix(int64_t sec, int64_t nsec);
/* t.Unix() */
int64_t gotime_unix_sec(const gotime *t);
/* t.In(loc) (the monotonic reading is dropped, as Go drops it). */
gotime gotime_in(gotime t, const gotime_loc *loc);
/* t.Add(d) */
gotime gotime_add(gotime t, int64_t d);
/* t.Sub(u), saturated as Go saturates it. */
int64_t gotime_sub(const gotime *t, const gotime *u);
/* time.Since(t) */
int64_t gotime_since(const gotime *t);
/* time.Date(year, month, day, hour, min, sec, nsec, loc) */
gotime gotime_date(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t min,
		   int64_t sec, int64_t nsec, const gotime_loc *loc);

/* t.Format(layout), appended. */
void gotime_format(sbuf *out, const gotime *t, const char *layout, size_t len);
/* An upper bound of t.Format(layout)'s length, to ask a memory budget first. */
uint64_t gotime_format_bound(const gotime *t, const char *layout, size_t len);
/* t.String(): "2006-01-02 15:04:05.999999999 -0700 MST", then " m=+0.000000001"
 * when t has a monotonic reading. */
void gotime_string(sbuf *out, const gotime *t);
/* time.ParseInLocation(layout, value, loc) (loc both the default and the
 * place zone names and offsets are matched in, as sprig's toDate calls it
 * with Local): 0 and *out, or -1 with Go's ParseError text in err. Zones it
 * makes up are allocated from a. */
int gotime_parse(tmpl_arena *a, const char *layout, size_t llen, const char *value, size_t vlen,
		 const gotime_loc *loc, gotime *out, sbuf *err);

/* time.Duration's String ("1h2m3.5s", "1.5µs", "0s"), appended. */
void gotime_duration_string(sbuf *out, int64_t d);
/* Duration.Round(m) */
int64_t gotime_duration_round(int64_t d, int64_t m);
/* time.ParseDuration: 0 and *ns, or -1 with Go's error text in err (if not
 * NULL): `time: invalid duration "x"`, `time: missing unit in duration "1"`,
 * `time: unknown unit "d" in duration "1d"`. */
int gotime_parse_duration(const char *s, size_t len, int64_t *ns, sbuf *err);

/* A time.Time as a template value: a TV_STRUCT of type gotime_type (Go's
 * %T "time.Time"), printing as String() does, whose JSON form (u.strct.raw)
 * is the RFC 3339 text encoding/json writes. */
extern const struct tmpl_type gotime_type;
const tv *gotime_value(tmpl_arena *a, const gotime *t);
/* The time a value holds, or NULL when v is no time.Time. */
const gotime *gotime_of(const tv *v);
/* A method of time.Time that takes no argument (Year, Month, Day, YearDay,
 * Weekday, Hour, Minute, Second, Nanosecond, Unix, UnixMilli, UnixMicro,
 * UnixNano, IsZero, UTC, Local, String) as a template calls it: 0 and *out,
 * or 1 when time.Time has no such method. */
int gotime_method(tmpl_arena *a, const gotime *t, const char *name, size_t len, const tv **out);

#endif
