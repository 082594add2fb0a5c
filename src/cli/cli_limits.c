/* cli_limits.c: the render-limit flags every program takes, parsed once for all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_flags.h"
#include "cli_limits.h"
#include "inject/inject.h"
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
		if (inj_quantity_value(arg, &v) != 0 || v > SIZE_MAX)
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
		if (types_parse_duration(arg, strlen(arg), &ns) != 0 || ns < 0)
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

void cli_limits_help(FILE *f, const tmpl_exec_opts *d)
{
	char mem[32], outp[32], tmo[32] = "none";
	size_text(mem, sizeof mem, d->max_memory);
	size_text(outp, sizeof outp, d->max_output);
	if (d->timeout_ms)
		snprintf(tmo, sizeof tmo, d->timeout_ms % 1000 ? "%llums" : "%llus",
			 d->timeout_ms % 1000 ? d->timeout_ms : d->timeout_ms / 1000);
	fprintf(f,
		"      --max-steps N        stop a render after N steps: actions, control\n"
		"                           structures and range iterations (default %llu)\n"
		"      --max-memory SIZE    stop a render whose values and pending output pass\n"
		"                           SIZE, a Kubernetes quantity such as 64Mi (default %s)\n"
		"      --max-output SIZE    stop a render that writes more than SIZE (default %s)\n"
		"      --timeout DURATION   stop a render after DURATION, such as 30s (default %s)\n"
		"                           (0 for any of them: no limit)\n",
		d->max_steps, mem, outp, tmo);
}
