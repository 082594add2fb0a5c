/* duration_test.c: gotime_parse_duration and gotime_duration_string against Go's own tables (time_test.go: parseDurationTests, parseDurationErrorTests, durationTests); prints TAP. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../runner/tap.h"
#include "gotime.h"

#define SEC 1000000000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)

int main(void)
{
	/* Go's parseDurationTests */
	static const struct { const char *in; int64_t want; } good[] = {
		{"0", 0}, {"5s", 5 * SEC}, {"30s", 30 * SEC}, {"1478s", 1478 * SEC},
		{"-5s", -5 * SEC}, {"+5s", 5 * SEC}, {"-0", 0}, {"+0", 0},
		{"5.0s", 5 * SEC}, {"5.6s", 5 * SEC + 600000000}, {"5.s", 5 * SEC},
		{".5s", 500000000}, {"1.0s", SEC}, {"1.00s", SEC}, {"1.004s", SEC + 4000000},
		{"1.0040s", SEC + 4000000}, {"100.00100s", 100 * SEC + 1000000},
		{"10ns", 10}, {"11us", 11000}, {"12\xc2\xb5s", 12000}, {"12\xce\xbcs", 12000},
		{"13ms", 13000000}, {"14s", 14 * SEC}, {"15m", 15 * MIN}, {"16h", 16 * HOUR},
		{"3h30m", 3 * HOUR + 30 * MIN}, {"10.5s4m", 4 * MIN + 10 * SEC + 500000000},
		{"-2m3.4s", -(2 * MIN + 3 * SEC + 400000000)},
		{"1h2m3s4ms5us6ns", HOUR + 2 * MIN + 3 * SEC + 4000000 + 5000 + 6},
		{"39h9m14.425s", 39 * HOUR + 9 * MIN + 14 * SEC + 425000000},
		{"52763797000ns", 52763797000LL}, {"0.3333333333333333333h", 20 * MIN},
		{"9007199254740993ns", (1LL << 53) + 1},
		{"9223372036854775807ns", INT64_MAX}, {"9223372036854775.807us", INT64_MAX},
		{"9223372036s854ms775us807ns", INT64_MAX},
		{"-9223372036854775808ns", INT64_MIN}, {"-9223372036854775.808us", INT64_MIN},
		{"-9223372036s854ms775us808ns", INT64_MIN},
		{"-2562047h47m16.854775808s", INT64_MIN},
		{"0.100000000000000000000h", 6 * MIN},
		{"0.830103483285477580700h", 49 * MIN + 48 * SEC + 372539827},
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t ns = -42;
		char name[96];
		snprintf(name, sizeof name, "ParseDuration(\"%s\")", good[i].in);
		int rc = gotime_parse_duration(good[i].in, strlen(good[i].in), &ns, NULL);
		tap_ok(rc == 0 && ns == good[i].want, name);
		if (rc != 0 || ns != good[i].want)
			tap_diag("  got rc %d, %" PRId64, rc, ns);
	}
	/* Go's parseDurationErrorTests */
	static const char *const bad[] = {
		"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "\x85\x85", "\xffff",
		"hello \xffff world", "\xef\xbf\xbd", "9223372036854775810ns",
		"9223372036854775808ns", "-9223372036854775809ns", "9223372036854776us",
		"3000000h", "9223372036854775.808us", "9223372036854ms775us808ns",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t ns;
		char name[96], title[64];
		snprintf(name, sizeof name, "ParseDuration(\"%s\") fails",
			 tap_title(title, sizeof title, bad[i], strlen(bad[i])));
		tap_ok(gotime_parse_duration(bad[i], strlen(bad[i]), &ns, NULL) == -1, name);
	}
	/* Go's durationTests */
	static const struct { const char *want; int64_t d; } str[] = {
		{"0s", 0}, {"1ns", 1}, {"1.1\xc2\xb5s", 1100}, {"2.2ms", 2200000},
		{"3.3s", 3300000000LL}, {"4m5s", 4 * MIN + 5 * SEC},
		{"4m5.001s", 4 * MIN + 5001000000LL}, {"5h6m7.001s", 5 * HOUR + 6 * MIN + 7001000000LL},
		{"8m0.000000001s", 8 * MIN + 1}, {"2562047h47m16.854775807s", INT64_MAX},
		{"-2562047h47m16.854775808s", INT64_MIN},
	};
	for (size_t i = 0; i < sizeof str / sizeof str[0]; i++) {
		sbuf b = SBUF_INIT;
		gotime_duration_string(&b, str[i].d);
		char name[96];
		snprintf(name, sizeof name, "Duration(%" PRId64 ").String() is %s", str[i].d, str[i].want);
		tap_ok(b.buf && strcmp(b.buf, str[i].want) == 0, name);
		if (!b.buf || strcmp(b.buf, str[i].want) != 0)
			tap_diag("  got %s", b.buf ? b.buf : "(nothing)");
		sbuf_free(&b);
	}
	return tap_done();
}
