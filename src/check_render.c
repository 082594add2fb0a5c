/* check_render.c: --check --pod's checks of a rendered injection template: its output read as YAML (syntax, repeated keys) and as the Kubernetes object it must be (unknown fields, a value of the wrong kind), each mistake reported at the template text that wrote the offending bytes (the render's trace).
 *
 * The output is read with libyaml's event parser here, not with
 * yaml_load.c, because these checks need the place of every key and value,
 * which the value loader does not keep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "check.h"
#include "func.h"
#include "types.h"

typedef struct cr_walk {
	check_run *cr;
	const char *out;
	size_t len;
	size_t *bol;        /* byte offset of each output line */
	size_t nlines;
	const tmpl_trace *trace;
	const char *const *names, *const *files;
	size_t nfiles;
	yaml_parser_t p;
	bool failed;        /* the parser stopped (reported once) */
	size_t ndiags_before; /* cr->ndiags when the walk began */
} cr_walk;

/* The byte offset of a libyaml mark (its column counts characters). */
static size_t cr_offset(const cr_walk *w, yaml_mark_t m)
{
	if (m.line >= w->nlines)
		return w->len;
	size_t off = w->bol[m.line];
	for (size_t c = 0; c < m.column && off < w->len && w->out[off] != '\n'; c++) {
		off++;
		while (off < w->len && ((unsigned char)w->out[off] & 0xC0) == 0x80)
			off++; /* a UTF-8 continuation byte */
	}
	return off;
}

/* A diagnostic at the template place that wrote output byte off. */
static void cr_report(cr_walk *w, size_t off, check_severity sev, const char *code,
		      const char *msg, const char *hint)
{
	const tmpl_span *s = tmpl_trace_find(w->trace, off);
	int line = 1, col = 1;
	const char *file = w->nfiles ? w->files[0] : "";
	size_t index = 0;
	if (s) {
		tmpl_trace_where(s, off, &line, &col);
		for (size_t i = 0; i < w->nfiles; i++)
			if (strcmp(w->names[i], s->name) == 0) {
				file = w->files[i];
				index = i;
				break;
			}
	}
	check_add(w->cr, file, index, (uint32_t)line, (uint32_t)col, sev, code, msg,
		  hint ? hint : "");
}

static bool cr_next(cr_walk *w, yaml_event_t *ev)
{
	if (w->failed)
		return false;
	if (yaml_parser_parse(&w->p, ev))
		return true;
	w->failed = true;
	/* what was found before it is read out of a broken text: only this stands */
	w->cr->ndiags = w->ndiags_before;
	char msg[400];
	size_t off = cr_offset(w, w->p.problem_mark);
	if (w->p.context)
		snprintf(msg, sizeof msg, "the output is not YAML: %s (%s, output line %zu)",
			 w->p.problem ? w->p.problem : "error", w->p.context,
			 (size_t)w->p.problem_mark.line + 1);
	else
		snprintf(msg, sizeof msg, "the output is not YAML: %s (output line %zu)",
			 w->p.problem ? w->p.problem : "error", (size_t)w->p.problem_mark.line + 1);
	cr_report(w, off, CHECK_ERROR, "rendered-yaml", msg,
		  "look at what this part of the template writes there: --explain shows it");
	return false;
}

/* What JSON kind a YAML node is, in Go's json error words. */
static const char *cr_kind_word(const yaml_event_t *ev)
{
	if (ev->type == YAML_SEQUENCE_START_EVENT)
		return "array";
	if (ev->type == YAML_MAPPING_START_EVENT)
		return "object";
	return "string";
}

static bool cr_is_null(const yaml_event_t *ev)
{
	if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)ev->data.scalar.value;
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

/* Does the type take a node of this event's kind? (Scalars convert among
 * themselves as sigs.k8s.io/yaml converts them for the target field.) */
static bool cr_fits(const tmpl_type *t, const yaml_event_t *ev)
{
	while (t && t->kind == TK_PTR)
		t = t->elem;
	if (!t || t->kind == TK_ANY || cr_is_null(ev))
		return true;
	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
		return t->kind == TK_SLICE;
	case YAML_MAPPING_START_EVENT:
		return t->kind == TK_STRUCT || t->kind == TK_MAP || t->kind == TK_DURATION;
	default:
		return t->kind != TK_SLICE && t->kind != TK_STRUCT && t->kind != TK_MAP;
	}
}

/* The field of struct t with that JSON name (inline structs searched). */
static const tmpl_field *cr_field(const tmpl_type *t, const char *name)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		if (f->flags & TF_INLINE) {
			const tmpl_type *e = f->type;
			while (e && e->kind == TK_PTR)
				e = e->elem;
			const tmpl_field *g = e && e->kind == TK_STRUCT ? cr_field(e, name) : NULL;
			if (g)
				return g;
		} else if (f->json_name && strcmp(f->json_name, name) == 0) {
			return f;
		}
	}
	return NULL;
}

/* The nearest JSON name of t's fields to name, at most two edits away. */
static void cr_nearest(const tmpl_type *t, const char *name, const char **best, size_t *bd)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const tmpl_field *f = &t->fields[i];
		const tmpl_type *e = f->type;
		if (f->flags & TF_INLINE) {
			while (e && e->kind == TK_PTR)
				e = e->elem;
			if (e && e->kind == TK_STRUCT)
				cr_nearest(e, name, best, bd);
			continue;
		}
		if (!f->json_name)
			continue;
		size_t d = func_distance(name, strlen(name), f->json_name, strlen(f->json_name), 2);
		if (d < *bd) {
			*bd = d;
			*best = f->json_name;
		}
	}
}

/* Go's name of a struct type without its package path ("v1.Container"). */
static const char *cr_type_name(const tmpl_type *t)
{
	const char *s = t->go_name ? t->go_name : "";
	const char *slash = strrchr(s, '/');
	return slash ? slash + 1 : s;
}

static void cr_node(cr_walk *w, yaml_event_t *ev, const tmpl_type *t, const char *where);

/* The rest of a node whose start event ev was read; t NULL: no type to check. */
static void cr_children(cr_walk *w, yaml_event_t *ev, const tmpl_type *t, const char *where)
{
	while (t && t->kind == TK_PTR)
		t = t->elem;
	if (ev->type == YAML_SEQUENCE_START_EVENT) {
		const tmpl_type *e = t && t->kind == TK_SLICE ? t->elem : NULL;
		yaml_event_t c;
		while (cr_next(w, &c)) {
			if (c.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&c);
				return;
			}
			cr_node(w, &c, e, where);
		}
		return;
	}
	if (ev->type != YAML_MAPPING_START_EVENT)
		return;
	/* keys seen so far: their text and output offset, for repeats */
	struct seen { char *key; size_t off; } *seen = NULL;
	size_t nseen = 0, cap = 0;
	yaml_event_t k;
	while (cr_next(w, &k)) {
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			break;
		}
		const tmpl_type *vt = NULL;
		const char *key = k.type == YAML_SCALAR_EVENT ? (const char *)k.data.scalar.value : NULL;
		size_t koff = cr_offset(w, k.start_mark);
		if (key) {
			for (size_t i = 0; i < nseen; i++)
				if (strcmp(seen[i].key, key) == 0) {
					char msg[400];
					int line = 1, col = 1;
					const tmpl_span *s = tmpl_trace_find(w->trace, seen[i].off);
					if (s)
						tmpl_trace_where(s, seen[i].off, &line, &col);
					snprintf(msg, sizeof msg,
						 "mapping key \"%.200s\" written twice in one mapping",
						 key);
					char hint[300];
					snprintf(hint, sizeof hint,
						 "first at line %d, column %d: the injector keeps only "
						 "the last, a strict reader refuses both", line, col);
					cr_report(w, koff, CHECK_ERROR, "duplicate-key", msg, hint);
					break;
				}
			if (nseen == cap) {
				cap = cap ? cap * 2 : 16;
				seen = realloc(seen, cap * sizeof *seen);
				if (!seen)
					tmpl_out_of_memory();
			}
			seen[nseen].key = strdup(key);
			seen[nseen++].off = koff;
			if (t && t->kind == TK_STRUCT) {
				const tmpl_field *f = cr_field(t, key);
				if (f) {
					vt = f->type;
				} else {
					char msg[400], hint[300] = "";
					const char *best = NULL;
					size_t bd = strlen(key) <= 4 ? 2 : 3;
					cr_nearest(t, key, &best, &bd);
					snprintf(msg, sizeof msg, "unknown field \"%.200s\" in %s", key,
						 cr_type_name(t));
					if (best)
						snprintf(hint, sizeof hint, "did you mean \"%s\"?", best);
					/* the injector's decoder drops it: the setting is lost, no more */
					cr_report(w, koff, CHECK_WARNING, "unknown-k8s-field", msg, hint);
				}
			} else if (t && t->kind == TK_MAP) {
				vt = t->elem;
			}
		}
		/* the field's name for a wrong kind below (before the key's event goes) */
		char fw[300];
		if (key && t && t->kind == TK_STRUCT)
			snprintf(fw, sizeof fw, "%s.%.200s", cr_type_name(t), key);
		else
			snprintf(fw, sizeof fw, "%s", where ? where : "");
		cr_node(w, &k, NULL, fw); /* a key: its children, if any, unchecked */
		yaml_event_t v;
		if (!cr_next(w, &v))
			break;
		cr_node(w, &v, vt, fw);
	}
	for (size_t i = 0; i < nseen; i++)
		free(seen[i].key);
	free(seen);
}

/* One node, from its first event ev (consumed), against type t. */
static void cr_node(cr_walk *w, yaml_event_t *ev, const tmpl_type *t, const char *where)
{
	if (t && !cr_fits(t, ev)) {
		char msg[500];
		snprintf(msg, sizeof msg, "cannot unmarshal %s into Go struct field %s of type %s",
			 cr_kind_word(ev), where ? where : "", t->go_name ? t->go_name : "?");
		cr_report(w, cr_offset(w, ev->start_mark), CHECK_ERROR, "wrong-kind", msg,
			  ev->type == YAML_SCALAR_EVENT && t->kind == TK_SLICE
				  ? "write a list: one \"- item\" a line, or [ ]"
				  : "write the value the field's type takes");
		t = NULL; /* nothing below it can be checked */
	}
	cr_children(w, ev, t, where);
	yaml_event_delete(ev);
}

void check_rendered(check_run *cr, const char *out, size_t len, const tmpl_trace *trace,
		    const struct tmpl_type *root, const char *const *names,
		    const char *const *files, size_t nfiles)
{
	cr_walk w = {.cr = cr, .out = out, .len = len, .trace = trace, .names = names,
		     .files = files, .nfiles = nfiles, .ndiags_before = cr->ndiags};
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += out[i] == '\n';
	w.bol = malloc(n * sizeof *w.bol);
	if (!w.bol)
		tmpl_out_of_memory();
	w.bol[w.nlines++] = 0;
	for (size_t i = 0; i < len; i++)
		if (out[i] == '\n')
			w.bol[w.nlines++] = i + 1;
	if (!yaml_parser_initialize(&w.p))
		tmpl_out_of_memory();
	yaml_parser_set_input_string(&w.p, (const unsigned char *)out, len);
	yaml_event_t ev;
	while (cr_next(&w, &ev)) {
		yaml_event_type_t type = ev.type;
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT ||
		    type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT) {
			/* a document's root */
			cr_node(&w, &ev, root, cr_type_name(root));
			continue;
		}
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&w.p);
	free(w.bol);
}
