/* gotime_zone.c: Go's time zones: Local from TZ, LoadLocation from the system's tzdata (TZif files and their POSIX TZ footer), FixedZone, and the lookups of zoneinfo.go. */
#include "gotime_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- lookups (zoneinfo.go) ---- */

static size_t zone_first(const gotime_loc *l)
{
	bool used = false;
	for (size_t i = 0; i < l->ntx && !used; i++)
		used = l->tx[i].index == 0;
	if (!used)
		return 0;
	if (l->ntx > 0 && l->zone[l->tx[0].index].isdst)
		for (long zi = (long)l->tx[0].index - 1; zi >= 0; zi--)
			if (!l->zone[zi].isdst)
				return (size_t)zi;
	for (size_t zi = 0; zi < l->nzone; zi++)
		if (!l->zone[zi].isdst)
			return zi;
	return 0;
}

static bool tz_footer(const char *s, int64_t last_tx, int64_t sec, gotime_zone_info *z);

void gotime_lookup(const gotime_loc *l, int64_t sec, gotime_zone_info *z)
{
	if (!l || l->nzone == 0) {
		*z = (gotime_zone_info){"UTC", 3, 0, GOTIME_ALPHA, GOTIME_OMEGA, false};
		return;
	}
	if (l->ntx == 0 || sec < l->tx[0].when) {
		const gotime_zone *zn = &l->zone[zone_first(l)];
		*z = (gotime_zone_info){zn->name, strlen(zn->name), zn->offset, GOTIME_ALPHA,
					l->ntx > 0 ? l->tx[0].when : GOTIME_OMEGA, zn->isdst};
		return;
	}
	int64_t end = GOTIME_OMEGA;
	size_t lo = 0, hi = l->ntx;
	while (hi - lo > 1) {
		size_t m = lo + (hi - lo) / 2;
		if (sec < l->tx[m].when) {
			end = l->tx[m].when;
			hi = m;
		} else {
			lo = m;
		}
	}
	const gotime_zone *zn = &l->zone[l->tx[lo].index];
	*z = (gotime_zone_info){zn->name, strlen(zn->name), zn->offset, l->tx[lo].when, end, zn->isdst};
	if (lo == l->ntx - 1 && l->extend[0]) {
		gotime_zone_info e;
		if (tz_footer(l->extend, z->start, sec, &e))
			*z = e;
	}
}

bool gotime_lookup_name(const gotime_loc *l, const char *name, size_t len, int64_t unix,
			int32_t *offset)
{
	if (!l)
		return false;
	for (size_t i = 0; i < l->nzone; i++) {
		const gotime_zone *zn = &l->zone[i];
		if (strlen(zn->name) == len && memcmp(zn->name, name, len) == 0) {
			gotime_zone_info z;
			gotime_lookup(l, gotime_wrap_add(unix, -zn->offset), &z);
			if (z.name_len == len && memcmp(z.name, name, len) == 0) {
				*offset = z.offset;
				return true;
			}
		}
	}
	for (size_t i = 0; i < l->nzone; i++) {
		const gotime_zone *zn = &l->zone[i];
		if (strlen(zn->name) == len && memcmp(zn->name, name, len) == 0) {
			*offset = zn->offset;
			return true;
		}
	}
	return false;
}

const gotime_loc *gotime_fixed_zone(tmpl_arena *a, const char *name, size_t len, int32_t offset)
{
	gotime_loc *l = arena_alloc(a, sizeof *l);
	l->zone = arena_alloc(a, sizeof *l->zone);
	l->tx = arena_alloc(a, sizeof *l->tx);
	l->name = arena_strndup(a, name, len);
	l->zone[0] = (gotime_zone){l->name, offset, false};
	l->nzone = 1;
	l->tx[0] = (gotime_trans){GOTIME_ALPHA, 0};
	l->ntx = 1;
	l->extend = "";
	return l;
}

const char *gotime_loc_name(const gotime_loc *loc)
{
	return loc ? loc->name : "UTC";
}

/* ---- the POSIX TZ rule of a TZif footer (tzset and its helpers) ---- */

/* "EST", "<+03>": the name and the rest; false when malformed. */
static bool tzset_name(const char **s, const char **name, size_t *len)
{
	const char *p = *s;
	size_t n = strlen(p);
	if (n == 0)
		return false;
	if (p[0] != '<') {
		for (size_t i = 0; i < n; i++) {
			char c = p[i];
			if ((c >= '0' && c <= '9') || c == ',' || c == '-' || c == '+') {
				if (i < 3)
					return false;
				*name = p;
				*len = i;
				*s = p + i;
				return true;
			}
		}
		if (n < 3)
			return false;
		*name = p;
		*len = n;
		*s = p + n;
		return true;
	}
	const char *gt = strchr(p, '>');
	if (!gt)
		return false;
	*name = p + 1;
	*len = (size_t)(gt - p - 1);
	*s = gt + 1;
	return true;
}

static bool tzset_num(const char **s, int min, int max, int *num)
{
	const char *p = *s;
	int n = 0;
	size_t i = 0;
	if (!*p)
		return false;
	for (; p[i]; i++) {
		if (p[i] < '0' || p[i] > '9')
			break;
		n = n * 10 + (p[i] - '0');
		if (n > max)
			return false;
	}
	if (i == 0 || n < min)
		return false;
	*num = n;
	*s = p + i;
	return true;
}

static bool tzset_offset(const char **s, int *off)
{
	const char *p = *s;
	bool neg = false;
	if (!*p)
		return false;
	if (*p == '+') {
		p++;
	} else if (*p == '-') {
		p++;
		neg = true;
	}
	int hours, mins, secs;
	if (!tzset_num(&p, 0, 24 * 7, &hours))
		return false;
	int o = hours * 3600;
	if (*p == ':') {
		p++;
		if (!tzset_num(&p, 0, 59, &mins))
			return false;
		o += mins * 60;
		if (*p == ':') {
			p++;
			if (!tzset_num(&p, 0, 59, &secs))
				return false;
			o += secs;
		}
	}
	*off = neg ? -o : o;
	*s = p;
	return true;
}

enum { RULE_JULIAN, RULE_DOY, RULE_MWD };
typedef struct tz_rule {
	int kind, day, week, mon, time;
} tz_rule;

static bool tzset_rule(const char **s, tz_rule *r)
{
	const char *p = *s;
	memset(r, 0, sizeof *r);
	if (!*p)
		return false;
	if (*p == 'J') {
		p++;
		if (!tzset_num(&p, 1, 365, &r->day))
			return false;
		r->kind = RULE_JULIAN;
	} else if (*p == 'M') {
		p++;
		if (!tzset_num(&p, 1, 12, &r->mon) || *p != '.')
			return false;
		p++;
		if (!tzset_num(&p, 1, 5, &r->week) || *p != '.')
			return false;
		p++;
		if (!tzset_num(&p, 0, 6, &r->day))
			return false;
		r->kind = RULE_MWD;
	} else {
		if (!tzset_num(&p, 0, 365, &r->day))
			return false;
		r->kind = RULE_DOY;
	}
	if (*p != '/') {
		r->time = 2 * 3600;
		*s = p;
		return true;
	}
	p++;
	if (!tzset_offset(&p, &r->time))
		return false;
	*s = p;
	return true;
}

static int64_t tz_rule_time(int64_t year, const tz_rule *r, int off)
{
	int64_t s = 0;
	switch (r->kind) {
	case RULE_JULIAN:
		s = (int64_t)(r->day - 1) * 86400;
		if (gotime_is_leap(year) && r->day >= 60)
			s += 86400;
		break;
	case RULE_DOY:
		s = (int64_t)r->day * 86400;
		break;
	default: {
		int64_t m1 = (r->mon + 9) % 12 + 1;
		int64_t yy0 = year;
		if (r->mon <= 2)
			yy0--;
		int64_t yy1 = yy0 / 100, yy2 = yy0 % 100;
		int64_t dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
		if (dow < 0)
			dow += 7;
		int64_t d = r->day - dow;
		if (d < 0)
			d += 7;
		for (int i = 1; i < r->week; i++) {
			if (d + 7 >= gotime_days_in(r->mon, year))
				break;
			d += 7;
		}
		d += gotime_days_before_month(r->mon - 1);
		if (gotime_is_leap(year) && r->mon > 2)
			d++;
		s = d * 86400;
		break;
	}
	}
	return s + r->time - off;
}

static bool tz_footer(const char *s, int64_t last_tx, int64_t sec, gotime_zone_info *z)
{
	const char *std_name, *dst_name;
	size_t std_len, dst_len;
	int std_off, dst_off;
	if (!tzset_name(&s, &std_name, &std_len) || !tzset_offset(&s, &std_off))
		return false;
	std_off = -std_off;
	if (*s == '\0' || *s == ',') {
		*z = (gotime_zone_info){std_name, std_len, std_off, last_tx, GOTIME_OMEGA, false};
		return true;
	}
	if (!tzset_name(&s, &dst_name, &dst_len))
		return false;
	if (*s == '\0' || *s == ',') {
		dst_off = std_off + 3600;
	} else {
		if (!tzset_offset(&s, &dst_off))
			return false;
		dst_off = -dst_off;
	}
	if (*s == '\0')
		s = ",M3.2.0,M11.1.0";
	if (*s != ',' && *s != ';')
		return false;
	s++;
	tz_rule start_rule, end_rule;
	if (!tzset_rule(&s, &start_rule) || *s != ',')
		return false;
	s++;
	if (!tzset_rule(&s, &end_rule) || *s)
		return false;
	gotime_civil c;
	gotime_abs_date((uint64_t)sec + (uint64_t)GOTIME_UNIX_TO_INTERNAL +
				(uint64_t)GOTIME_INTERNAL_TO_ABSOLUTE,
			false, &c);
	int64_t ysec = (int64_t)c.yday * 86400 + sec % 86400;
	uint64_t d = gotime_days_since_epoch(c.year);
	int64_t abs = (int64_t)(d * 86400);
	abs = gotime_wrap_add(abs, GOTIME_ABSOLUTE_TO_INTERNAL + GOTIME_INTERNAL_TO_UNIX);
	int64_t start_sec = tz_rule_time(c.year, &start_rule, std_off);
	int64_t end_sec = tz_rule_time(c.year, &end_rule, dst_off);
	bool dst_is_dst = true, std_is_dst = false;
	if (end_sec < start_sec) {
		int64_t t = start_sec;
		start_sec = end_sec;
		end_sec = t;
		const char *tn = std_name;
		std_name = dst_name;
		dst_name = tn;
		size_t tl = std_len;
		std_len = dst_len;
		dst_len = tl;
		int to = std_off;
		std_off = dst_off;
		dst_off = to;
		bool tb = std_is_dst;
		std_is_dst = dst_is_dst;
		dst_is_dst = tb;
	}
	if (ysec < start_sec) {
		*z = (gotime_zone_info){std_name, std_len, std_off, abs,
					gotime_wrap_add(start_sec, abs), std_is_dst};
	} else if (ysec >= end_sec) {
		*z = (gotime_zone_info){std_name, std_len, std_off, gotime_wrap_add(end_sec, abs),
					gotime_wrap_add(abs, 365 * 86400), std_is_dst};
	} else {
		*z = (gotime_zone_info){dst_name, dst_len, dst_off, gotime_wrap_add(start_sec, abs),
					gotime_wrap_add(end_sec, abs), dst_is_dst};
	}
	return true;
}

/* ---- TZif files (zoneinfo_read.go) ---- */

/* Where a location's memory comes from: malloc for the process's cache, or
 * the render's arena. */
typedef struct zalloc {
	tmpl_arena *arena; /* NULL: malloc */
} zalloc;

static void *zalloc_get(zalloc *z, size_t n)
{
	if (z->arena)
		return arena_alloc(z->arena, n);
	void *p = calloc(1, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Go's LoadLocationFromTZData: NULL on bad data. One allocation holds it all. */
static gotime_loc *tzif_parse(zalloc *za, const char *name, const unsigned char *d, size_t n)
{
	size_t pos = 0;
	if (n < 44 || memcmp(d, "TZif", 4) != 0)
		return NULL;
	int version = d[4] == 0 ? 1 : d[4] == '2' ? 2 : d[4] == '3' ? 3 : 0;
	if (!version)
		return NULL;
	pos = 20;
	enum { UTCLOCAL, STDWALL, LEAP, TIME, ZONE, CHAR };
	uint64_t cnt[6];
	for (int i = 0; i < 6; i++)
		cnt[i] = be32(d + pos + 4 * (size_t)i);
	pos += 24;
	size_t size = 4;
	if (version > 1) {
		/* skip the 32-bit data and the second header's magic */
		uint64_t skip = cnt[TIME] * 4 + cnt[TIME] + cnt[ZONE] * 6 + cnt[CHAR] + cnt[LEAP] * 8 +
				cnt[STDWALL] + cnt[UTCLOCAL] + 4 + 16;
		if (skip > n - pos || n - pos - skip < 24)
			return NULL;
		pos += (size_t)skip;
		for (int i = 0; i < 6; i++)
			cnt[i] = be32(d + pos + 4 * (size_t)i);
		pos += 24;
		size = 8;
	}
	uint64_t need = cnt[TIME] * size + cnt[TIME] + cnt[ZONE] * 6 + cnt[CHAR] +
			cnt[LEAP] * (size + 4) + cnt[STDWALL] + cnt[UTCLOCAL];
	if (need > n - pos || cnt[ZONE] == 0)
		return NULL;
	const unsigned char *txtimes = d + pos;
	const unsigned char *txzones = txtimes + cnt[TIME] * size;
	const unsigned char *zonedata = txzones + cnt[TIME];
	const unsigned char *abbrev = zonedata + cnt[ZONE] * 6;
	const unsigned char *rest = abbrev + cnt[CHAR] + cnt[LEAP] * (size + 4) + cnt[STDWALL] +
				    cnt[UTCLOCAL];
	size_t rest_len = n - (size_t)(rest - d);
	const unsigned char *ext = (const unsigned char *)"";
	size_t ext_len = 0;
	if (rest_len > 2 && rest[0] == '\n' && rest[rest_len - 1] == '\n') {
		ext = rest + 1;
		ext_len = rest_len - 2;
	}
	size_t ntx = cnt[TIME] ? (size_t)cnt[TIME] : 1;
	size_t nzone = (size_t)cnt[ZONE];
	size_t name_len = strlen(name);
	size_t total = sizeof(gotime_loc) + nzone * sizeof(gotime_zone) + ntx * sizeof(gotime_trans) +
		       (size_t)cnt[CHAR] + 1 + ext_len + 1 + name_len + 1;
	unsigned char *mem = zalloc_get(za, total);
	gotime_loc *l = (gotime_loc *)(void *)mem;
	mem += sizeof *l;
	l->zone = (gotime_zone *)(void *)mem;
	mem += nzone * sizeof(gotime_zone);
	l->tx = (gotime_trans *)(void *)mem;
	mem += ntx * sizeof(gotime_trans);
	char *abbr = (char *)mem; /* NUL-terminated copy: names end at the first NUL */
	memcpy(abbr, abbrev, (size_t)cnt[CHAR]);
	abbr[cnt[CHAR]] = '\0';
	mem += cnt[CHAR] + 1;
	char *extend = (char *)mem;
	memcpy(extend, ext, ext_len);
	extend[ext_len] = '\0';
	/* a NUL inside the footer would cut it: Go would read the rule past it
	 * and fail to parse it, and so do we (tzset then rejects the rest) */
	mem += ext_len + 1;
	char *lname = (char *)mem;
	memcpy(lname, name, name_len + 1);
	l->name = lname;
	l->extend = extend;
	l->nzone = nzone;
	for (size_t i = 0; i < nzone; i++) {
		const unsigned char *z = zonedata + 6 * i;
		l->zone[i].offset = (int32_t)be32(z);
		l->zone[i].isdst = z[4] != 0;
		if (z[5] >= cnt[CHAR])
			goto bad;
		l->zone[i].name = abbr + z[5];
	}
	l->ntx = ntx;
	if (cnt[TIME] == 0) {
		/* no transitions: a fake one at the beginning of time */
		l->tx[0] = (gotime_trans){GOTIME_ALPHA, 0};
	}
	for (size_t i = 0; i < cnt[TIME]; i++) {
		l->tx[i].when = size == 8 ? (int64_t)be64(txtimes + 8 * i) : (int32_t)be32(txtimes + 4 * i);
		if (txzones[i] >= nzone)
			goto bad;
		l->tx[i].index = txzones[i];
	}
	return l;
bad:
	if (!za->arena)
		free(l);
	return NULL;
}

/* Go's readFile: at most 10 MiB of a regular file. */
static unsigned char *tz_read(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	unsigned char *buf = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (10 << 20)) {
		size_t n = (size_t)st.st_size, got = 0;
		buf = malloc(n + 1);
		if (!buf)
			abort();
		while (got < n) {
			ssize_t r = read(fd, buf + got, n - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		*len = got;
	}
	close(fd);
	return buf;
}

static gotime_loc *tz_load_file(zalloc *za, const char *name, const char *path)
{
	size_t n = 0;
	unsigned char *data = tz_read(path, &n);
	if (!data)
		return NULL;
	gotime_loc *l = tzif_parse(za, name, data, n);
	free(data);
	return l;
}

static const char *const tz_sources[] = {"/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/",
					 "/usr/lib/locale/TZ/", "/etc/zoneinfo/"};

/* Go's loadLocation over $ZONEINFO and the platform's sources. */
static gotime_loc *tz_load(zalloc *za, const char *name)
{
	const char *zi = getenv("ZONEINFO");
	gotime_loc *l = NULL;
	sbuf path = SBUF_INIT;
	if (zi && *zi) {
		sbuf_printf(&path, "%s/%s", zi, name);
		l = tz_load_file(za, name, path.buf);
	}
	for (size_t i = 0; !l && i < sizeof tz_sources / sizeof tz_sources[0]; i++) {
		path.len = 0;
		sbuf_printf(&path, "%s/%s", tz_sources[i], name);
		l = tz_load_file(za, name, path.buf);
	}
	sbuf_free(&path);
	return l;
}

/* ---- Local ---- */

static gotime_loc local_loc;
static gotime_loc *local_block; /* the loaded file's block, which local_loc points into */
static pthread_once_t local_once = PTHREAD_ONCE_INIT;

static void local_init(void)
{
	zalloc za = {NULL};
	const char *tz = getenv("TZ");
	gotime_loc *l = NULL;
	const char *name = "Local";
	if (!tz) {
		l = tz_load_file(&za, "localtime", "/etc/localtime");
	} else if (*tz) {
		if (*tz == ':')
			tz++;
		if (*tz == '/') {
			l = tz_load_file(&za, tz, tz);
			if (l && strcmp(tz, "/etc/localtime") != 0)
				name = l->name; /* the file's path, copied into l */
		} else if (*tz && strcmp(tz, "UTC") != 0) {
			l = tz_load(&za, tz);
			if (l)
				name = l->name;
		}
	}
	if (l) {
		local_block = l;
		local_loc = *l;
		local_loc.name = name;
	} else {
		local_loc.name = "UTC";
		local_loc.extend = "";
	}
}

const gotime_loc *gotime_local(void)
{
	pthread_once(&local_once, local_init);
	return &local_loc;
}

/* ---- LoadLocation, with a small process-wide cache ---- */

#define TZ_CACHE_MAX 32
static struct {
	char *name;
	gotime_loc *loc;
} tz_cache[TZ_CACHE_MAX];
static size_t tz_ncache;
static pthread_mutex_t tz_cache_lock = PTHREAD_MUTEX_INITIALIZER;

int gotime_load_location(tmpl_arena *a, const char *name, size_t len, const gotime_loc **out,
			 sbuf *err)
{
	*out = NULL;
	if (len == 0 || (len == 3 && memcmp(name, "UTC", 3) == 0))
		return 0;
	if (len == 5 && memcmp(name, "Local", 5) == 0) {
		*out = gotime_local();
		return 0;
	}
	bool dotdot = false;
	for (size_t i = 0; i + 1 < len; i++)
		dotdot = dotdot || (name[i] == '.' && name[i + 1] == '.');
	if (dotdot || name[0] == '/' || name[0] == '\\') {
		if (err)
			sbuf_puts(err, "time: invalid location name");
		return -1;
	}
	/* a NUL byte cannot reach a file name; no file has such a name */
	bool nul = memchr(name, '\0', len) != NULL;
	char *cname = nul ? NULL : strndup(name, len);
	gotime_loc *l = NULL;
	if (cname) {
		pthread_mutex_lock(&tz_cache_lock);
		for (size_t i = 0; i < tz_ncache && !l; i++)
			if (strcmp(tz_cache[i].name, cname) == 0)
				l = tz_cache[i].loc;
		if (!l && tz_ncache < TZ_CACHE_MAX) {
			zalloc za = {NULL};
			l = tz_load(&za, cname);
			if (l) {
				tz_cache[tz_ncache].name = cname;
				tz_cache[tz_ncache].loc = l;
				tz_ncache++;
				cname = NULL;
			}
		} else if (!l) {
			zalloc za = {a};
			l = tz_load(&za, cname);
		}
		pthread_mutex_unlock(&tz_cache_lock);
		free(cname);
	}
	if (!l) {
		if (err) {
			sbuf_puts(err, "unknown time zone ");
			sbuf_put(err, name, len);
		}
		return -1;
	}
	*out = l;
	return 0;
}
