/* cli_explain.h: tmplrender --explain: each output line printed beside the template FILE:LINE:COL that wrote it. */
#ifndef CLI_EXPLAIN_H
#define CLI_EXPLAIN_H

#include <stdio.h>

#include "tmpl.h"

/* The template files of a render: names[i] (the name a text was parsed
 * under, as tmpl_span.name gives it) is the file paths[i]. */
typedef struct cli_files {
	const char **names;
	const char **paths;
	int n;
} cli_files;

/* The path of the file parsed under name (name itself when none is). */
const char *cli_files_path(const cli_files *f, const char *name);
/* "FILE:LINE:COL" of output byte off into buf (empty when no span holds it). */
void cli_explain_where(sbuf *buf, const tmpl_trace *t, const cli_files *f, size_t off);
/* Every line of out as "FILE:LINE:COL<TAB>| line": where the line's first
 * byte that is not a space (its first byte, for a blank line) was written. */
void cli_explain_print(FILE *fp, const char *out, size_t len, const tmpl_trace *t,
		       const cli_files *f);

#endif
