/* cli_flags.h: the usage errors of the programs with Istio's flags (kube-inject, sidecar-injector), worded once. */
#ifndef CLI_FLAGS_H
#define CLI_FLAGS_H

#define CLI_EXIT_USAGE 2

/* "PROG: MSG" and a pointer to --help on standard error; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *prog, const char *msg);
/* After getopt_long (optstring starting with ':') returned ':' or '?': names the
 * flag that lacks its argument or is unknown; returns CLI_EXIT_USAGE. */
int cli_flag_error(const char *prog, int c, char *const *argv);
/* An operand left after the flags: an error (CLI_EXIT_USAGE); none: 0. */
int cli_no_operands(const char *prog, int argc, char *const *argv);

#endif
