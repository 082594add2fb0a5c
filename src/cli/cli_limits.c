/* cli_limits.c: the render-limit flags every program takes, parsed once for all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_flags.h"
#include "cli_limits.h"
#include "gotime.h"
#include "types.h"

void cli_limits_default(tmpl_exec_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_steps = CLI_DEFAULT_MAX_STEPS;
	o->max_memory = CLI_DEFAULT_MAX_MEMORY;
	o->max_output = CLI_DEFAULT_MAX_OUTPUT;
}

static int bad_value(const char *prog, const char *flag, const char *arg, const char *want)
{
	char msg[512];
	snprintf(msg, sizeof msg, "invalid value \"%.200s\" for --%s: %s", arg, flag, want);
	cli_usage_error(prog, msg);
	return -1;
}

int cli_limit_flag(const char *prog, int c, const char *arg, tmpl_exec_opts *o)
{
	uint64_t v;
	switch (c) {
	case CLI_OPT_MAX_STEPS: {
		char *end;
		if (!*arg || *arg == '-' || *arg == '+')
			return bad_value(prog, "max-steps", arg, "want a count (0: no limit)");
		unsigned long long n = strtoull(arg, &end, 10);
		if (*end)
			return bad_value(prog, "max-steps", arg, "want a count (0: no limit)");
		o->max_steps = n;
		return 1;
	}
	case CLI_OPT_MAX_MEMORY:
	case CLI_OPT_MAX_OUTPUT: {
		const char *flag = c == CLI_OPT_MAX_MEMORY ? "max-memory" : "max-output";
		if (types_quantity_value(arg, strlen(arg), &v) != 0 || v > SIZE_MAX)
			return bad_value(prog, flag, arg,
					 "want a size such as 64Mi, 1G or 1000000 (0: no limit)");
		if (c == CLI_OPT_MAX_MEMORY)
			o->max_memory = (size_t)v;
		else
			o->max_output = (size_t)v;
		return 1;
	}
	case CLI_OPT_TIMEOUT: {
		int64_t ns;
		if (gotime_parse_duration(arg, strlen(arg), &ns, NULL) != 0 || ns < 0)
			return bad_value(prog, "timeout", arg, "want a duration such as 30s or 2m (0: none)");
		/* a positive duration under a millisecond still bounds the render */
		o->timeout_ms = (unsigned long long)(ns / 1000000 + (ns % 1000000 != 0));
		return 1;
	}
	default:
		return 0;
	}
}

/* A size as the flags take it: "1Gi", "64Mi", or bytes; "0" for none. */
static void size_text(char *buf, size_t n, unsigned long long v)
{
	static const char *const sfx[] = {"", "Ki", "Mi", "Gi", "Ti"};
	int k = 0;
	while (v && v % 1024 == 0 && k < 4) {
		v /= 1024;
		k++;
	}
	snprintf(buf, n, "%llu%s", v, sfx[k]);
}

/* One option of the help: its name padded to col, then its lines of text. */
static void help_item(FILE *f, int col, const char *opt, const char *const *lines, size_t n)
{
	fprintf(f, "      %-*s%s\n", col - 6, opt, lines[0]);
	for (size_t i = 1; i < n; i++)
		fprintf(f, "%*s%s\n", col, "", lines[i]);
}

void cli_limits_help(FILE *f, const tmpl_exec_opts *d, int col)
{
	char mem[32], outp[32], tmo[32] = "none", steps[96], memline[96], outline[96], tmoline[96];
	size_text(mem, sizeof mem, d->max_memory);
	size_text(outp, sizeof outp, d->max_output);
	if (d->timeout_ms)
		snprintf(tmo, sizeof tmo, d->timeout_ms % 1000 ? "%llums" : "%llus",
			 d->timeout_ms % 1000 ? d->timeout_ms : d->timeout_ms / 1000);
	snprintf(steps, sizeof steps, "structures and range iterations (default %llu)", d->max_steps);
	snprintf(memline, sizeof memline, "SIZE, a Kubernetes quantity such as 64Mi (default %s)", mem);
	snprintf(outline, sizeof outline, "stop a render that writes more than SIZE (default %s)", outp);
	snprintf(tmoline, sizeof tmoline, "stop a render after DURATION, such as 30s (default %s)", tmo);
	const char *s1[] = {"stop a render after N steps: actions, control", steps};
	const char *s2[] = {"stop a render whose values and pending output pass", memline};
	const char *s3[] = {outline};
	const char *s4[] = {tmoline, "(0 for any of the four: no limit)"};
	help_item(f, col, "--max-steps N", s1, 2);
	help_item(f, col, "--max-memory SIZE", s2, 2);
	help_item(f, col, "--max-output SIZE", s3, 1);
	help_item(f, col, "--timeout DURATION", s4, 2);
}
