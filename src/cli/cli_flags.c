/* cli_flags.c: the usage errors of the programs with Istio's flags. */
#include "cli_flags.h"

#include <getopt.h>
#include <stdio.h>

int cli_usage_error(const char *prog, const char *msg)
{
	fprintf(stderr, "%s: %s\nTry '%s --help'.\n", prog, msg, prog);
	return CLI_EXIT_USAGE;
}

int cli_flag_error(const char *prog, int c, char *const *argv)
{
	char msg[256];
	snprintf(msg, sizeof msg, "%s: %s", c == ':' ? "flag needs an argument" : "unknown flag",
		 argv[optind - 1]);
	return cli_usage_error(prog, msg);
}

int cli_no_operands(const char *prog, int argc, char *const *argv)
{
	if (optind >= argc)
		return 0;
	char msg[256];
	snprintf(msg, sizeof msg, "unexpected argument: %s", argv[optind]);
	return cli_usage_error(prog, msg);
}
