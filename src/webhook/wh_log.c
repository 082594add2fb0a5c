/* wh_log.c: one log line per request or server event on standard error, as text or JSON lines. */
#include "wh.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "json.h"

static bool json_lines;

void wh_log_init(bool json)
{
	json_lines = json;
}

static void stamp(sbuf *b)
{
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	char t[32];
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S", &tm);
	sbuf_printf(b, "%s.%06ldZ", t, (long)tv.tv_usec);
}

/* A JSON string (Go's escaping). */
static void jstr(sbuf *b, const char *s)
{
	s = s ? s : "";
	json_write_string(b, s, strlen(s), 0);
}

/* A text value: bare when it has no space, quote or control byte, else JSON-quoted. */
static void tval(sbuf *b, const char *s)
{
	s = s ? s : "";
	bool bare = *s != 0;
	for (const char *p = s; *p && bare; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\\' || *p == '=')
			bare = false;
	if (bare)
		sbuf_puts(b, s);
	else
		jstr(b, s);
}

static void emit(sbuf *b)
{
	sbuf_putc(b, '\n');
	/* One write per line, so lines from many threads never interleave. */
	size_t off = 0;
	while (off < b->len) {
		ssize_t n = write(STDERR_FILENO, b->buf + off, b->len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	sbuf_free(b);
}

void wh_log_request(const char *uid, const char *ns, const char *name, const char *decision,
		    const char *reason, uint64_t us)
{
	sbuf b = SBUF_INIT;
	if (json_lines) {
		sbuf_puts(&b, "{\"time\":\"");
		stamp(&b);
		sbuf_puts(&b, "\",\"uid\":");
		jstr(&b, uid);
		sbuf_puts(&b, ",\"namespace\":");
		jstr(&b, ns);
		sbuf_puts(&b, ",\"name\":");
		jstr(&b, name);
		sbuf_puts(&b, ",\"decision\":");
		jstr(&b, decision);
		sbuf_puts(&b, ",\"reason\":");
		jstr(&b, reason);
		sbuf_printf(&b, ",\"us\":%llu}", (unsigned long long)us);
	} else {
		stamp(&b);
		sbuf_puts(&b, " uid=");
		tval(&b, uid);
		sbuf_puts(&b, " pod=");
		sbuf_printf(&b, "%s/%s", ns && *ns ? ns : "-", name && *name ? name : "-");
		sbuf_printf(&b, " decision=%s reason=", decision);
		tval(&b, reason);
		sbuf_printf(&b, " us=%llu", (unsigned long long)us);
	}
	emit(&b);
}

void wh_log_event(const char *event, const char *fmt, ...)
{
	sbuf msg = SBUF_INIT, b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (json_lines) {
		sbuf_puts(&b, "{\"time\":\"");
		stamp(&b);
		sbuf_puts(&b, "\",\"event\":");
		jstr(&b, event);
		sbuf_puts(&b, ",\"msg\":");
		jstr(&b, msg.buf);
		sbuf_putc(&b, '}');
	} else {
		stamp(&b);
		sbuf_printf(&b, " event=%s msg=", event);
		tval(&b, msg.buf);
	}
	sbuf_free(&msg);
	emit(&b);
}
