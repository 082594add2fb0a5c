/* yaml_emit.c: values to YAML text as sigs.k8s.io/yaml writes them, through libyaml's emitter with yaml.v2's settings and per-scalar styles.
 *
 * sigs.k8s.io/yaml (ghodss) marshals a value to JSON, decodes the JSON with
 * yaml.v2 into interface{} and writes that with yaml.v2, whose emitter is a
 * port of libyaml's. So the walk below applies the JSON round trip to each
 * node (yaml_emit_scalar.c: string repair and folding, number text, NaN and
 * non-string keys refused) and hands libyaml the events yaml.v2's encoder
 * would: block collections (libyaml writes empty ones as {} and []),
 * implicit tags, keys in yaml.v2's order, and for strings the style yaml.v2
 * asks for (literal when there is a newline, plain when the text reads back
 * as a string, else double-quoted); libyaml then picks single quotes for
 * plain text that needs them ('*', '- a'), as yaml.v2's emitter does.
 * Where libyaml 0.2 writes otherwise than yaml.v2's older copy of it, the
 * text is mended: no "..." line after a final |+ block scalar here, and
 * two rare scalars in yaml_emit_fix.c.
 * The same walk first feeds yaml_emit_block.c, which writes libyaml's text
 * for common documents directly; at its first node it does not mirror
 * (YB_UNSURE) the document is walked again into libyaml.
 */
#include "yaml_emit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "arena.h"
#include "types.h"
#include "utf8.h"
#include "yaml_emit_impl.h"
#include "error.h"

/* yaml.v2's scanner refuses JSON nested deeper than this. */
#define YE_MAX_DEPTH 10000

typedef struct ye_state {
	yaml_emitter_t em;
	tmpl_arena *a;
	tmpl_error *err;
	sbuf text; /* scratch for one scalar */
	int depth;
	size_t nels; /* NELs seen (a count for ye_string's calls; see ye_json_order) */
	bool json_error; /* the error is one in yaml.v2's reading of the JSON text */
	bool keep; /* the last block scalar keeps its final line breaks (|+) */
	const tv *root;
	ye_rules rules; /* whose resolver decides quoting */
	ye_fix fix;
	sbuf mark; /* a marker scalar (yaml_emit_fix.c) */
	ye_block *fast; /* the direct writer instead of libyaml (yaml_emit_block.c) */
} ye_state;

/* A map entry in output order: the key after the JSON round trip. */
typedef struct ye_key {
	const char *s; /* repaired key text */
	size_t len;
	ye_keytext text; /* for the order: runes only when not ASCII */
	const tv *orig; /* the key as given (JSON writes keys in this byte order) */
	const tv *val;
} ye_key;

static int ye_write(void *data, unsigned char *buffer, size_t size)
{
	sbuf_put((sbuf *)data, (const char *)buffer, size);
	return 1;
}

static int ye_fail_emitter(ye_state *S)
{
	return tmpl_error_set(S->err, TMPL_ERR_DATA, NULL, 0, 0, "yaml: %s",
			      S->em.problem ? S->em.problem : "emitter error");
}

static int ye_event(ye_state *S, yaml_event_t *ev, int ok)
{
	if (!ok)
		return tmpl_error_set(S->err, TMPL_ERR_DATA, NULL, 0, 0,
				      "yaml: cannot build an event (out of memory or bad text)");
	if (!yaml_emitter_emit(&S->em, ev))
		return ye_fail_emitter(S);
	return 0;
}

static int ye_scalar(ye_state *S, const char *s, size_t len, yaml_scalar_style_t style)
{
	if (S->fast)
		return yb_scalar(S->fast, s, len,
				 style == YAML_PLAIN_SCALAR_STYLE	 ? YB_STYLE_PLAIN
				 : style == YAML_LITERAL_SCALAR_STYLE ? YB_STYLE_LITERAL
								      : YB_STYLE_DOUBLE);
	yaml_event_t ev;
	int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1,
					      style);
	return ye_event(S, &ev, ok);
}

/* Does the character ending at s[end] (exclusive) break a line, as libyaml's
 * IS_BREAK sees it (CR, LF, NEL, LS, PS)? *start gets its first byte. */
static bool ye_ends_with_break(const char *s, size_t end, size_t *start)
{
	size_t i = end;
	do
		i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
	*start = i;
	const unsigned char *u = (const unsigned char *)s + i;
	return u[0] == '\r' || u[0] == '\n' || (u[0] == 0xC2 && end - i == 2 && u[1] == 0x85) ||
	       (u[0] == 0xE2 && end - i == 3 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9));
}

/* Note the private-use characters of every string in root (to the depth
 * the writer goes). */
static void ye_scan_marks(ye_fix *f, const tv *root)
{
	typedef struct {
		const tv *v;
		size_t depth;
	} item;
	size_t cap = 64, n = 0;
	item *st = malloc(cap * sizeof *st);
	if (!st)
		tmpl_out_of_memory();
	st[n++] = (item){root, 0};
	while (n) {
		item it = st[--n];
		const tv *v = it.v;
		if (!v || it.depth > YE_MAX_DEPTH)
			continue;
		if (v->kind == TV_STRING) {
			ye_fix_mark_used(f, v->u.s.ptr, v->u.s.len);
			continue;
		}
		if (v->kind == TV_STRUCT) { /* its strings are those of its YAML */
			st[n++] = (item){v->u.strct.raw, it.depth + 1};
			continue;
		}
		size_t len = v->kind == TV_LIST ? v->u.list.len : v->kind == TV_MAP ? 2 * v->u.map.len : 0;
		if (n + len > cap) {
			while (n + len > cap)
				cap *= 2;
			st = realloc(st, cap * sizeof *st);
			if (!st)
				tmpl_out_of_memory();
		}
		for (size_t i = 0; i < len; i++) {
			const tv *c = v->kind == TV_LIST ? v->u.list.items[i]
				      : i % 2 ? v->u.map.pairs[i / 2].val
					      : v->u.map.pairs[i / 2].key;
			st[n++] = (item){c, it.depth + 1};
		}
	}
	free(st);
}

/* A string as yaml.v2's encoder (stringv) styles it. */
static int ye_string(ye_state *S, const char *s, size_t len)
{
	yaml_scalar_style_t style;
	bool literal = memchr(s, '\n', len) != NULL;
	if (literal)
		style = YAML_LITERAL_SCALAR_STYLE;
	else if (ye_plain_is_str(s, len, S->rules))
		style = YAML_PLAIN_SCALAR_STYLE;
	else
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	int fix = ye_fix_kind(s, len, style == YAML_PLAIN_SCALAR_STYLE);
	if (fix != YE_FIX_NONE && !S->fix.chosen && !S->fix.failed) {
		ye_scan_marks(&S->fix, S->root);
		S->fix.chosen = ye_fix_choose(&S->fix);
		S->fix.failed = !S->fix.chosen;
	}
	if (fix == YE_FIX_BOM && S->fix.chosen) {
		if (S->fix.nbom == S->fix.cap) {
			S->fix.cap = S->fix.cap ? 2 * S->fix.cap : 8;
			ye_fix_str *n = arena_alloc(S->a, S->fix.cap * sizeof *n);
			if (S->fix.nbom)
				memcpy(n, S->fix.bom, S->fix.nbom * sizeof *n);
			S->fix.bom = n;
		}
		S->fix.bom[S->fix.nbom].s = arena_strndup(S->a, s, len);
		S->fix.bom[S->fix.nbom++].len = len;
		ye_fix_bom_marker(&S->fix, &S->mark, s, len);
		return ye_scalar(S, S->mark.buf, S->mark.len, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	}
	if (fix == YE_FIX_BREAK && S->fix.chosen) {
		S->fix.nbreak++;
		ye_fix_break_marker(&S->fix, &S->mark, s, len);
		return ye_scalar(S, S->mark.buf, S->mark.len, style);
	}
	if (literal) {
		/* libyaml ends the stream with "..." after a |+ block scalar;
		 * yaml.v2's older copy of the emitter does not (see ye_emit). */
		size_t at;
		S->keep = ye_ends_with_break(s, len, &at) &&
			  (at == 0 || ye_ends_with_break(s, at, &at));
	}
	return ye_scalar(S, s, len, style);
}

static int ye_depth_error(ye_state *S)
{
	return tmpl_error_set(S->err, TMPL_ERR_DATA, NULL, 0, 0,
			      "error converting JSON to YAML: yaml: exceeded max depth of %d",
			      YE_MAX_DEPTH);
}

/* Stable merge sort of keys by yaml.v2's order (Go's map order is random,
 * so any order consistent with keyList.Less is Go's). */
static void ye_sort(ye_key *k, ye_key *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	ye_sort(k, tmp, h);
	ye_sort(k + h, tmp, n - h);
	size_t i = 0, j = h, o = 0;
	while (i < h && j < n) {
		if (ye_key_less(&k[j].text, &k[i].text))
			tmp[o++] = k[j++];
		else
			tmp[o++] = k[i++];
	}
	while (i < h)
		tmp[o++] = k[i++];
	while (j < n)
		tmp[o++] = k[j++];
	memcpy(k, tmp, n * sizeof *k);
}

/* A JSON object key with a raw NEL spans two lines of the JSON text, which
 * yaml.v2 cannot take as a key. */
static int ye_key_break_error(tmpl_error *err, size_t line)
{
	return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0,
			      "error converting JSON to YAML: yaml: line %zu: did not find "
			      "expected ',' or '}'",
			      line);
}

/* One string of ye_json_order: refused characters only, or all checks. */
static int ye_json_order_string(ye_state *S, const tv *v, size_t *nels, bool controls_only)
{
	S->text.len = 0;
	if (!controls_only)
		return ye_json_string(&S->text, v->u.s.ptr, v->u.s.len, nels, S->err);
	for (size_t i = 0; i < v->u.s.len;) {
		size_t sz;
		int32_t r = u8_decode(v->u.s.ptr + i, v->u.s.len - i, &sz);
		if (r == 0x7F || (r >= 0x80 && r <= 0x9F && r != 0x85) || r == 0xFFFE || r == 0xFFFF)
			return ye_json_string(&S->text, v->u.s.ptr + i, sz, nels, S->err);
		i += sz;
	}
	return 0;
}

/* After an error in yaml.v2's reading of the JSON text, find the one it
 * meets first: walk v in JSON order (keys in byte order), counting lines.
 * Its reader checks characters ahead of its scanner (512 bytes at a time),
 * so with controls_only the walk first looks for refused characters
 * anywhere (exact for JSON texts up to 512 bytes). Returns -1 with err set
 * when found. */
static int ye_json_order(ye_state *S, const tv *root, size_t *nels, bool controls_only)
{
	typedef struct {
		const tv *v;
		const tv_pair *pairs;
		size_t i;
		bool val; /* a map's next item is the value of pairs[i] */
	} frame;
	size_t cap = 16, n = 0;
	frame *st = malloc(cap * sizeof *st);
	if (!st)
		tmpl_out_of_memory();
	int rc = 0;
	const tv *next = root;
	for (;;) {
		if (next && !next->type) {
			if (next->kind == TV_STRING) {
				if ((rc = ye_json_order_string(S, next, nels, controls_only)))
					break;
			} else if ((next->kind == TV_LIST ||
				    (next->kind == TV_MAP && !(next->flags & TVF_ANYKEYS))) &&
				   n <= YE_MAX_DEPTH) {
				if (n == cap) {
					cap *= 2;
					st = realloc(st, cap * sizeof *st);
					if (!st)
						tmpl_out_of_memory();
				}
				st[n].v = next;
				st[n].i = 0;
				st[n].val = false;
				st[n].pairs = next->kind == TV_MAP ? tv_map_sorted(S->a, next) : NULL;
				n++;
			}
		}
		next = NULL;
		while (n && !next) {
			frame *f = &st[n - 1];
			if (f->v->kind == TV_LIST) {
				if (f->i < f->v->u.list.len)
					next = f->v->u.list.items[f->i++];
				else
					n--;
			} else if (f->val) {
				f->val = false;
				next = f->pairs[f->i++].val;
			} else if (f->i < f->v->u.map.len) {
				const tv *k = f->pairs[f->i].key;
				size_t before = *nels;
				if (k && k->kind == TV_STRING &&
				    (rc = ye_json_order_string(S, k, nels, controls_only)))
					goto out;
				if (*nels != before) {
					rc = ye_key_break_error(S->err, *nels);
					goto out;
				}
				f->val = true;
			} else {
				n--;
			}
		}
		if (!next)
			break;
	}
out:
	free(st);
	return rc;
}

static int ye_orig_cmp(const tv *a, const tv *b)
{
	size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
	int c = memcmp(a->u.s.ptr, b->u.s.ptr, n);
	if (c)
		return c;
	return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len;
}

/* The keys of map v in output order, with keys equal after the repair
 * merged (JSON holds them all, in the byte order of the original keys, and
 * yaml.v2 keeps the last). *keys is malloc'd (NULL when empty). */
static int ye_map_keys(ye_state *S, const tv *v, ye_key **keys_out, size_t *n_out)
{
	size_t n = v->u.map.len;
	*keys_out = NULL;
	*n_out = 0;
	if (v->flags & TVF_ANYKEYS)
		return tmpl_error_set(S->err, TMPL_ERR_DATA, NULL, 0, 0,
				      "error marshaling into JSON: json: unsupported type: "
				      "map[interface {}]interface {}");
	if (!n)
		return 0;
	ye_key *keys = malloc(2 * n * sizeof *keys);
	if (!keys)
		tmpl_out_of_memory();
	for (size_t i = 0; i < n; i++) {
		const tv *k = v->u.map.pairs[i].key;
		if (!k || k->kind != TV_STRING || k->type) {
			free(keys);
			return tmpl_error_set(S->err, TMPL_ERR_DATA, NULL, 0, 0,
					      "error marshaling into JSON: json: unsupported type: "
					      "map[interface {}]interface {}");
		}
		ye_key *e = &keys[i];
		e->orig = k;
		e->val = v->u.map.pairs[i].val;
		if (k->u.s.len && ye_json_kept_end(k->u.s.ptr, 0, k->u.s.len) == k->u.s.len) {
			/* ASCII: its own text, bytes for runes (values outlive the walk) */
			e->s = k->u.s.ptr;
			e->len = k->u.s.len;
			e->text = (ye_keytext){e->s, NULL, e->len};
			continue;
		}
		S->text.len = 0;
		size_t before = S->nels;
		if (ye_json_string(&S->text, k->u.s.ptr, k->u.s.len, &S->nels, S->err) ||
		    (S->nels != before && ye_key_break_error(S->err, S->nels))) {
			S->json_error = true;
			free(keys);
			return -1;
		}
		e->len = S->text.len;
		e->s = arena_strndup(S->a, S->text.buf ? S->text.buf : "", e->len);
		int32_t *r = arena_alloc(S->a, (e->len + 1) * sizeof *r);
		size_t nr = 0;
		for (size_t p = 0; p < e->len;) {
			size_t sz;
			r[nr++] = u8_decode(e->s + p, e->len - p, &sz);
			p += sz;
		}
		e->text = (ye_keytext){e->s, r, nr};
	}
	ye_sort(keys, keys + n, n);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t best = i, j = i + 1;
		while (j < n && keys[j].len == keys[i].len &&
		       memcmp(keys[j].s, keys[i].s, keys[i].len) == 0) {
			if (ye_orig_cmp(keys[j].orig, keys[best].orig) > 0)
				best = j;
			j++;
		}
		keys[o++] = keys[best];
		i = j;
	}
	*keys_out = keys;
	*n_out = o;
	return 0;
}

/* A typed value in its JSON form (types.h): *out is types_normalize's
 * result, read as a plain value (keys are sorted all the same). */
static int ye_typed(ye_state *S, const tv *v, const tv **out)
{
	*out = NULL;
	const tv *raw = v->kind == TV_STRUCT ? v->u.strct.raw : v;
	const tv *norm = NULL;
	if (types_normalize(S->a, v->type, raw, &norm, S->err))
		return -1;
	if (norm && norm->type) {
		tv *plain = arena_alloc(S->a, sizeof *plain);
		*plain = *norm;
		plain->type = NULL;
		norm = plain;
	}
	*out = norm;
	return 0;
}

/* One open collection of the walk. */
typedef struct ye_frame {
	const tv *v;
	size_t i, n;
	ye_key *keys; /* maps: keys in output order */
} ye_frame;

/* Start node v: a scalar is written at once; a collection writes its start
 * event and pushes a frame (*push set). */
static int ye_enter(ye_state *S, const tv *v, ye_frame *fr, bool *push)
{
	char num[32];
	yaml_event_t ev;
	*push = false;
	if (v && v->type && ye_typed(S, v, &v))
		return -1;
	if (!v || v->kind == TV_NULL)
		return ye_scalar(S, "null", 4, YAML_PLAIN_SCALAR_STYLE);
	switch ((tv_kind)v->kind) {
	case TV_NULL:
	case TV_STRUCT:
		break;
	case TV_BOOL:
		return v->u.b ? ye_scalar(S, "true", 4, YAML_PLAIN_SCALAR_STYLE)
			      : ye_scalar(S, "false", 5, YAML_PLAIN_SCALAR_STYLE);
	case TV_INT:
	case TV_UINT8: {
		int n = snprintf(num, sizeof num, "%lld", (long long)v->u.i);
		return ye_scalar(S, num, (size_t)n, YAML_PLAIN_SCALAR_STYLE);
	}
	case TV_FLOAT:
		S->text.len = 0;
		if (ye_float(&S->text, v->u.f, S->err))
			return -1;
		return ye_scalar(S, S->text.buf, S->text.len, YAML_PLAIN_SCALAR_STYLE);
	case TV_STRING:
		if (v->u.s.len && ye_json_kept_end(v->u.s.ptr, 0, v->u.s.len) == v->u.s.len)
			return ye_string(S, v->u.s.ptr, v->u.s.len); /* no copy */
		S->text.len = 0;
		if (ye_json_string(&S->text, v->u.s.ptr, v->u.s.len, &S->nels, S->err)) {
			S->json_error = true;
			return -1;
		}
		return ye_string(S, S->text.buf ? S->text.buf : "", S->text.len);
	case TV_LIST:
	case TV_MAP:
		if (++S->depth > YE_MAX_DEPTH)
			return ye_depth_error(S);
		memset(fr, 0, sizeof *fr);
		fr->v = v;
		if (v->kind == TV_LIST) {
			fr->n = v->u.list.len;
			if (S->fast) {
				*push = !yb_start(S->fast, false, fr->n);
				return *push ? 0 : YB_UNSURE;
			}
			if (ye_event(S, &ev,
				     yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
									  YAML_BLOCK_SEQUENCE_STYLE)))
				return -1;
		} else {
			if (ye_map_keys(S, v, &fr->keys, &fr->n))
				return -1;
			if (S->fast) {
				*push = !yb_start(S->fast, true, fr->n);
				if (!*push)
					free(fr->keys);
				return *push ? 0 : YB_UNSURE;
			}
			if (ye_event(S, &ev,
				     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
									 YAML_BLOCK_MAPPING_STYLE))) {
				free(fr->keys);
				return -1;
			}
		}
		*push = true;
		return 0;
	}
	return tmpl_error_set(S->err, TMPL_ERR_DATA, NULL, 0, 0, "yaml: unknown value kind %d",
			      v->kind);
}

/* Write v depth first with an explicit stack (nesting may reach 10000). */
static int ye_walk(ye_state *S, const tv *v)
{
	size_t cap = 16, n = 0;
	ye_frame *st = malloc(cap * sizeof *st);
	if (!st)
		tmpl_out_of_memory();
	bool push;
	int rc = ye_enter(S, v, &st[0], &push);
	if (!rc && push)
		n = 1;
	while (!rc && n) {
		ye_frame *f = &st[n - 1];
		const tv *child;
		if (f->i == f->n) {
			yaml_event_t ev;
			bool list = f->v->kind == TV_LIST;
			free(f->keys);
			n--;
			S->depth--;
			if (S->fast) {
				rc = yb_end(S->fast);
				continue;
			}
			rc = ye_event(S, &ev,
				      list ? yaml_sequence_end_event_initialize(&ev)
					   : yaml_mapping_end_event_initialize(&ev));
			continue;
		}
		if (f->v->kind == TV_LIST) {
			child = f->v->u.list.items[f->i++];
		} else {
			ye_key *k = &f->keys[f->i++];
			if ((rc = ye_string(S, k->s, k->len)))
				break;
			child = k->val;
		}
		if (n == cap) {
			cap *= 2;
			st = realloc(st, cap * sizeof *st);
			if (!st)
				tmpl_out_of_memory();
		}
		rc = ye_enter(S, child, &st[n], &push);
		if (!rc && push)
			n++;
	}
	while (n)
		free(st[--n].keys);
	free(st);
	return rc;
}

/* The direct writer's pass: the walk's events as text straight into out.
 * YB_UNSURE (out as it was) when a node is one it does not mirror. */
static int ye_emit_block(ye_state *S, sbuf *out, const tv *v)
{
	ye_block b;
	yb_init(&b, out);
	S->fast = &b;
	int rc = ye_walk(S, v);
	if (!rc)
		rc = yb_finish(&b);
	if (rc) /* unsure, or an error: nothing written */
		out->len = b.start;
	if (out->buf)
		out->buf[out->len] = '\0';
	yb_fini(&b);
	return rc;
}

int ye_emit_how(sbuf *out, const tv *v, ye_rules rules, ye_how how, tmpl_error *err)
{
	ye_state S;
	memset(&S, 0, sizeof S);
	sbuf doc = SBUF_INIT;
	S.err = err;
	S.rules = rules;
	S.a = arena_new();
	S.root = v;
	sbuf_reserve(&S.text, 64);
	int rc = -1;
	if (how != YE_HOW_LIBYAML) {
		rc = ye_emit_block(&S, out, v);
		if (rc != YB_UNSURE || how == YE_HOW_BLOCK) {
			if (rc < 0 && S.json_error) { /* the error yaml.v2 meets first */
				size_t nels = 0;
				if (!ye_json_order(&S, v, &nels, true))
					ye_json_order(&S, v, &nels, false);
			}
			goto done;
		}
		/* start again, through libyaml */
		arena_free(S.a);
		sbuf_free(&S.text);
		sbuf_free(&S.mark);
		memset(&S, 0, sizeof S);
		S.err = err;
		S.rules = rules;
		S.a = arena_new();
		S.root = v;
		sbuf_reserve(&S.text, 64);
		rc = -1;
	}
	if (!yaml_emitter_initialize(&S.em)) {
		tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "yaml: cannot start the emitter");
		goto done;
	}
	yaml_emitter_set_output(&S.em, ye_write, &doc);
	yaml_emitter_set_unicode(&S.em, 1);
	yaml_emitter_set_indent(&S.em, 2);
	yaml_emitter_set_width(&S.em, 80);
	yaml_event_t ev;
	if (ye_event(&S, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING)) ||
	    ye_event(&S, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1)) ||
	    ye_walk(&S, v) || ye_event(&S, &ev, yaml_document_end_event_initialize(&ev, 1)) ||
	    ye_event(&S, &ev, yaml_stream_end_event_initialize(&ev))) {
		size_t nels = 0;
		if (S.json_error && !ye_json_order(&S, v, &nels, true))
			ye_json_order(&S, v, &nels, false);
		goto fini;
	}
	if (!yaml_emitter_flush(&S.em)) {
		ye_fail_emitter(&S);
		goto fini;
	}
	/* A final "..." line: libyaml's mark after a |+ block scalar, unless
	 * the document is one plain scalar whose last folded line is "...". */
	bool collection = v && (v->kind == TV_LIST || v->kind == TV_MAP || v->type);
	if ((collection || S.keep) && doc.len >= 5 &&
	    memcmp(doc.buf + doc.len - 5, "\n...\n", 5) == 0)
		doc.len -= 4;
	if (S.fix.nbom || S.fix.nbreak)
		ye_fix_output(&S.fix, &doc);
	sbuf_put(out, doc.buf ? doc.buf : "", doc.len);
	rc = 0;
fini:
	yaml_emitter_delete(&S.em);
done:
	sbuf_free(&S.text);
	sbuf_free(&S.mark);
	sbuf_free(&doc);
	arena_free(S.a);
	return rc;
}

int ye_emit(sbuf *out, const tv *v, ye_rules rules, tmpl_error *err)
{
	return ye_emit_how(out, v, rules, YE_HOW_ANY, err);
}
