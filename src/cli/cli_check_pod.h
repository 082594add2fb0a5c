/* cli_check_pod.h: tmplrender --check with --types/--pod: render for the sample pod and check what comes out (check_render.c), at the template lines that wrote it. */
#ifndef CLI_CHECK_POD_H
#define CLI_CHECK_POD_H

#include "check.h"
#include "cli_pod.h"

/* Parse files (names[i] the name of files[i]) into set, render names[0]
 * for pod's data within lim, tracing its writes, and add a render error or
 * the checks of its output to cr. Texts that do not parse add nothing (the
 * static checks report them). Returns 0, or 1 when the pod's data cannot be
 * built (the error printed, prefixed with prog). */
int cli_check_pod(check_run *cr, tmpl_set *set, const cli_pod *pod, char **files, int nfiles,
		  const char *const *names, const char *ldelim, const char *rdelim,
		  const tmpl_exec_opts *lim, const char *prog);

#endif
