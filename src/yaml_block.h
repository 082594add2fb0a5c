/* yaml_block.h: the plain block YAML that templates render, scanned into libyaml's event stream without libyaml (anything else is declined, and libyaml reads it). */
#ifndef TMPL_YAML_BLOCK_H
#define TMPL_YAML_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

/* One event, in a quarter of a yaml_event_t's room (a large manifest
 * has millions): yb_event_get gives it as libyaml would. */
typedef struct yb_event {
	const char *s; /* a scalar's value (literal ones: their offset in lit
			* until yb_scan ends and lit stops moving) */
	size_t len;    /* a scalar's length */
	uint32_t line, col; /* low 32 bits of libyaml's marks (yb_event_get) */
	uint8_t type;  /* yaml_event_type_t */
	uint8_t style; /* a scalar's yaml_scalar_style_t */
} yb_event;

/* The events of one document, as yaml_parser_parse would give them (stream
 * and document start and end included); scalar values point into the text
 * or into lit. */
typedef struct yb_events {
	yb_event *ev;
	size_t n, cap;
	char *lit; /* literal block scalars' values, malloc'd */
	size_t litlen, litcap;
} yb_events;

/* Scan text into out: true when the whole text is one document of the
 * subset (block mappings with plain keys, block sequences, one-line plain,
 * single- and double-quoted scalars without escapes, literal block scalars
 * with clip or strip chomping, whole-line comments, flow mappings and
 * sequences of such keys and one-line scalars over any number of lines; ASCII
 * without tabs, comments after content, anchors, tags or document markers),
 * false otherwise (out then holds nothing). Either way yb_free(out) releases it. */
bool yb_scan(const char *text, size_t len, yb_events *out);
void yb_free(yb_events *out);
/* Event i of out (i < out->n) as libyaml's event (no allocations: nothing
 * to delete; its pointers live as long as out and the text). */
void yb_event_get(const yb_events *out, size_t i, yaml_event_t *ev);

#endif
