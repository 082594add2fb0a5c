/* tap.c: TAP result lines, diagnostics and the trailing plan for the C test programs (tap.h). */
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_count, g_failures; /* results so far, failures among them */

/* The name on the result line: a newline or other control byte would end the line
 * or hide in it, so it is printed escaped (\n, \xNN); '#' as TAP's "\#", so that a
 * name holding "# TODO" is not read as a directive. */
static void put_name(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; p && *p; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '#')
			fputs("\\#", stdout);
		else if (*p < 0x20 && *p != '\t')
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
}

int tap_ok(int cond, const char *name)
{
	g_count++;
	if (!cond)
		g_failures++;
	printf("%s %d - ", cond ? "ok" : "not ok", g_count);
	put_name(name);
	putchar('\n');
	return cond;
}

int tap_okf(int cond, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tap_ok(cond, buf);
}

int tap_result(int cond, const char *name, const char *why)
{
	tap_ok(cond, name);
	if (!cond && why)
		printf("#   %s\n", why);
	return cond;
}

int tap_is_bytes(const char *got, size_t got_len, const char *want, size_t want_len,
		 const char *name)
{
	int same = got && want ? got_len == want_len && memcmp(got, want, got_len) == 0
			       : got == want;
	tap_ok(same, name);
	if (!same) {
		if (got)
			tap_show("got ", got, got_len);
		else
			printf("# got : (null)\n");
		if (want)
			tap_show("want", want, want_len);
		else
			printf("# want: (null)\n");
	}
	return same;
}

int tap_is(const char *got, const char *want, const char *name)
{
	return tap_is_bytes(got, got ? strlen(got) : 0, want, want ? strlen(want) : 0, name);
}

void tap_skip(const char *name, const char *why)
{
	g_count++;
	printf("ok %d - ", g_count);
	put_name(name);
	printf(" # SKIP %s\n", why);
}

void tap_diag(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* Each line its own comment, so a message with newlines stays diagnostics. */
	for (const char *p = buf;;) {
		const char *nl = strchr(p, '\n');
		printf("# %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (!nl || !nl[1])
			break;
		p = nl + 1;
	}
}

void tap_show(const char *label, const char *s, size_t len)
{
	printf("# %s: \"", label);
	for (size_t i = 0; i < len && i < 3000; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
			printf("\\x%02X", c);
		else
			putchar(c);
	}
	puts(len > 3000 ? "...\"" : "\"");
}

const char *tap_title(char *buf, size_t size, const char *s, size_t len)
{
	size_t o = 0, i = 0;
	if (size < 8)
		return "";
	for (; i < len && o < 40; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		if (c == '\n')
			snprintf(esc, sizeof esc, "\\n");
		else if (c < 0x20 || c >= 0x7F)
			snprintf(esc, sizeof esc, "\\x%02X", c);
		else
			esc[0] = (char)c, esc[1] = '\0';
		size_t n = strlen(esc);
		if (o + n + 4 > size)
			break;
		memcpy(buf + o, esc, n);
		o += n;
	}
	if (i < len && o + 4 <= size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Length of the valid multi-byte UTF-8 sequence at s, or 0. */
static size_t utf8_seq_len(const char *s, size_t avail)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n;
	unsigned min;
	unsigned cp;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2, min = 0x80, cp = u[0] & 0x1f;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		n = 3, min = 0x800, cp = u[0] & 0x0f;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		n = 4, min = 0x10000, cp = u[0] & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Lines are shown between bars; control bytes and invalid UTF-8 as \xNN. */
void tap_block(const char *label, const char *s, size_t len)
{
	printf("# %s:\n", label);
	if (!s || len == 0) {
		printf("#   (empty)\n");
		return;
	}
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '\n')
			j++;
		printf("#   |");
		for (size_t k = i; k < j;) {
			unsigned char c = (unsigned char)s[k];
			size_t n = utf8_seq_len(s + k, j - k);
			if (c >= 0x80 && n > 0) {
				fwrite(s + k, 1, n, stdout);
				k += n;
				continue;
			}
			if (c == '\t' || (c >= 0x20 && c < 0x7f))
				putchar(c);
			else
				printf("\\x%02x", c);
			k++;
		}
		printf("|\n");
		i = j + 1;
	}
	if (s[len - 1] != '\n')
		printf("#   (no newline at end)\n");
}

void tap_bail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("Bail out! ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(1);
}

int tap_count(void)
{
	return g_count;
}

int tap_failures(void)
{
	return g_failures;
}

int tap_done(void)
{
	printf("1..%d\n", g_count);
	return g_failures ? 1 : 0;
}
