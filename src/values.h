/* values.h: Helm-style values: deep merge of maps and --set a.b=c expressions. */
#ifndef TMPL_VALUES_H
#define TMPL_VALUES_H

#include "tmpl.h"

/* Helm's coalescing of -f files: maps merge recursively, over's keys win,
 * anything else in over replaces base. Either may be NOVALUE. */
const tv *values_merge(tmpl_arena *a, const tv *base, const tv *over);
/* Apply one --set expression (Helm's strvals: a.b=c, a[0]=x, a={x,y},
 * escaped \, and \.) to *root (a map or NOVALUE), producing a new root. */
int values_set(tmpl_arena *a, const tv **root, const char *expr, tmpl_error *err);

#endif
