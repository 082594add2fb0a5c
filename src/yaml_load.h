/* yaml_load.h: YAML text to values, resolved as Go's yaml.v3 decodes into interface{} (the only user of libyaml's parser). */
#ifndef TMPL_YAML_LOAD_H
#define TMPL_YAML_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sbuf.h"
#include "tmpl_value.h"
#include "yaml_resolve.h"

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

/* How a reader departs from yaml.v3's strict decoding (zero: not at all). */
typedef struct yl_opts {
	/* Repeated mapping keys are accepted, the last value winning, as yaml.v2
	 * (not strict) and so Istio 1.1 and kubectl read manifests. Each repeat is
	 * noted in warnings, when given, as "NAME:LINE:COL: warning: ...\n" with
	 * line_offset added to its line. */
	bool dup_keys_last_wins;
	sbuf *warnings;
	int line_offset;
	/* Whose rules turn plain scalars into values (YR_RULES_V3: yaml.v3's). */
	enum yr_rules rules;
	/* Read with libyaml even when the block reader (yaml_block.c) could: the
	 * tests compare the two. */
	bool libyaml_only;
} yl_opts;
/* yl_load_first with opts (NULL: yaml.v3's defaults). */
int yl_load_first_opts(tmpl_arena *a, const char *name, const char *text, size_t len,
		       const yl_opts *opts, const tv **doc, tmpl_error *err);
/* The block reader's differential check (tests, fuzzers): text's first document
 * read with the block reader allowed and with libyaml only, under yaml.v3's rules
 * and Istio 1.1's yaml.v2 (repeated keys allowed, with warnings): true when both
 * give the same values (tv_identical), errors and warnings; else false, with the
 * difference in why. */
bool yl_readers_agree(const char *text, size_t len, char *why, size_t whysize);

#endif
