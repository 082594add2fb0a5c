/* yaml_load.h: YAML text to values, resolved as Go's yaml.v3 decodes into interface{} (the only user of libyaml's parser). */
#ifndef TMPL_YAML_LOAD_H
#define TMPL_YAML_LOAD_H

#include <stddef.h>

#include "tmpl.h"

/* Load every document of text (named name in errors). *docs is an array of
 * *ndocs values from arena a (an empty stream gives 0 documents; an empty
 * document is TV_NULL). Errors: kind TMPL_ERR_DATA, msg "NAME:LINE:COL: ...". */
int yl_load(tmpl_arena *a, const char *name, const char *text, size_t len, const tv ***docs,
	    size_t *ndocs, tmpl_error *err);
/* Read a file ("-" = standard input) and load it as above. */
int yl_load_file(tmpl_arena *a, const char *path, const tv ***docs, size_t *ndocs,
		 tmpl_error *err);
/* Only the first document, as Go's yaml.Unmarshal and Helm's -f read a
 * file: the stream after it is never parsed, so later documents cannot
 * fail. *doc is NOVALUE for an empty stream. */
int yl_load_first(tmpl_arena *a, const char *name, const char *text, size_t len, const tv **doc,
		  tmpl_error *err);
int yl_load_file_first(tmpl_arena *a, const char *path, const tv **doc, tmpl_error *err);

#endif
