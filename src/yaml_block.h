/* yaml_block.h: the plain block YAML that templates render, scanned into libyaml's event stream without libyaml (anything else is declined, and libyaml reads it). */
#ifndef TMPL_YAML_BLOCK_H
#define TMPL_YAML_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

/* The events of one document, as yaml_parser_parse would give them (stream
 * and document start and end included); scalar values point into the text
 * or into lit. */
typedef struct yb_events {
	yaml_event_t *ev;
	size_t n, cap;
	char *lit; /* literal block scalars' values, malloc'd */
	size_t litlen, litcap;
} yb_events;

/* Scan text into out: true when the whole text is one document of the
 * subset (block mappings with plain keys, block sequences, one-line plain,
 * single- and double-quoted scalars without escapes, literal block scalars
 * with clip or strip chomping; ASCII without tabs, comments, anchors, tags,
 * flow collections or document markers), false otherwise (out then holds
 * nothing). Either way yb_free(out) releases it. */
bool yb_scan(const char *text, size_t len, yb_events *out);
void yb_free(yb_events *out);

#endif
