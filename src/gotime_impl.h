/* gotime_impl.h: what the gotime files share and nothing else sees: Go's epoch constants, the calendar, zone lookups and the quoting of time's error texts. */
#ifndef TMPL_GOTIME_IMPL_H
#define TMPL_GOTIME_IMPL_H

#include "gotime.h"

/* Go's constants (time.go). */
#define GOTIME_ABSOLUTE_ZERO_YEAR INT64_C(-292277022399)
#define GOTIME_ABSOLUTE_TO_INTERNAL INT64_C(-9223371966579724800)
#define GOTIME_INTERNAL_TO_ABSOLUTE INT64_C(9223371966579724800)
#define GOTIME_UNIX_TO_INTERNAL INT64_C(62135596800)
#define GOTIME_INTERNAL_TO_UNIX INT64_C(-62135596800)
#define GOTIME_WALL_TO_INTERNAL INT64_C(59453308800)
#define GOTIME_ALPHA INT64_MIN /* Go's alpha and omega: the ends of time */
#define GOTIME_OMEGA INT64_MAX

typedef struct gotime_zone {
	const char *name;
	int32_t offset; /* seconds east of UTC */
	bool isdst;
} gotime_zone;

typedef struct gotime_trans {
	int64_t when; /* Unix seconds */
	uint8_t index;
} gotime_trans;

/* Go's Location; an empty zone list is UTC under another name. */
struct gotime_loc {
	const char *name;
	gotime_zone *zone;
	size_t nzone;
	gotime_trans *tx;
	size_t ntx;
	const char *extend; /* the TZif footer's POSIX TZ rule, or "" */
};

/* Go's Location.lookup at Unix second sec. */
typedef struct gotime_zone_info {
	const char *name; /* not NUL-terminated (a footer rule's name is in the rule) */
	size_t name_len;
	int32_t offset;
	int64_t start, end;
	bool isdst;
} gotime_zone_info;
void gotime_lookup(const gotime_loc *loc, int64_t sec, gotime_zone_info *z);
/* Go's lookupName: the offset of zone abbreviation name at Unix second
 * unix in loc; false when loc has no zone of that name. */
bool gotime_lookup_name(const gotime_loc *loc, const char *name, size_t len, int64_t unix,
			int32_t *offset);
/* Go's FixedZone, from arena a. */
const gotime_loc *gotime_fixed_zone(tmpl_arena *a, const char *name, size_t len, int32_t offset);

typedef struct gotime_civil {
	int64_t year;
	int month, day, yday; /* yday from 0 */
} gotime_civil;
/* Go's absDate: the date of an absolute time; month and day only if full. */
void gotime_abs_date(uint64_t abs, bool full, gotime_civil *c);
uint64_t gotime_days_since_epoch(int64_t year);
bool gotime_is_leap(int64_t year);
int gotime_days_in(int month, int64_t year);
/* days before month m (1..12) of a common year; m = 12: the whole year */
int gotime_days_before_month(int m);

int64_t gotime_wrap_add(int64_t a, int64_t b);
int gotime_fmt_frac(char *buf, int w, uint64_t *v, int prec);
int gotime_fmt_int(char *buf, int w, uint64_t v);
/* Go's time.quote: "s" with non-ASCII and control bytes as \xNN. */
void gotime_quote(sbuf *out, const char *s, size_t len);

#endif
