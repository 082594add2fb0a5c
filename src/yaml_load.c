/* yaml_load.c: libyaml's event stream to values, resolved as gopkg.in/yaml.v3 decodes into interface{} (or, when asked, as Istio 1.1's yaml.v2).
 *
 * One pass over the events: finished children wait on one shared item stack
 * until their collection ends, then the collection is built in the arena and
 * sealed once. An alias shares the anchored value (values form a DAG), and
 * yaml.v3's expansion count guards consumers that would walk it as a tree.
 *
 * Decisions where the value model cannot say what yaml.v3 says:
 *   - unquoted timestamps (2001-12-14, ...) stay strings, as Helm's loader
 *     (sigs.k8s.io/yaml) keeps them; as map keys they make the map
 *     map[interface {}]interface {} as time.Time keys would;
 *   - integers in (2^63-1, 2^64-1], uint64 in yaml.v3, become the string of
 *     their decimal digits, so they print as Go prints the uint64; larger
 *     ones are floats as in yaml.v3;
 *   - anchors are scoped to their document (the YAML spec's rule).
 *
 * Errors that yaml.v3 finds while decoding (duplicate keys, bad tagged
 * values, alias cycles, merges) wait until the document has been parsed,
 * so that a syntax error anywhere in the document is reported first, as
 * yaml.v3 does (it parses a whole document before decoding it).
 */
#include "yaml_load.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "file.h"
#include "fmt.h"
#include "sbuf.h"
#include "yaml_block.h"
#include "yaml_resolve.h"
#include "error.h"

#define YL_MAX_DEPTH 10000

/* Node kinds as yaml.v3's duplicate-key check compares them. */
enum { YL_NK_SCALAR = 1, YL_NK_ALIAS, YL_NK_SEQ, YL_NK_MAP };

/* Item flags. */
#define YL_IT_STRTAG 0x01u   /* the node's short tag is !!str or !!merge */
#define YL_IT_MERGE 0x02u    /* a plain `<<` key */
#define YL_IT_CANON 0x04u    /* a string whose value is its text */

/* A finished node waiting for its collection to end. */
typedef struct yl_item {
	const tv *v;
	const char *text; /* yaml.v3's Node.Value: scalar text or alias name (keys only) */
	size_t tlen;
	uint8_t nkind;
	uint8_t flags;
	int line, col;
	uint64_t seq; /* event number of its last event */
} yl_item;

typedef struct yl_frame {
	uint8_t nkind; /* YL_NK_SEQ or YL_NK_MAP */
	size_t base;   /* first item of this collection on the item stack */
	uint64_t size; /* node count with aliases expanded */
	long anchor;   /* anchor entry, or -1 */
	unsigned anchor_id;
	int line, col;
	uint64_t seq; /* event number of its start */
} yl_frame;

typedef struct yl_anchor {
	char *name; /* malloc'd */
	const tv *v;
	uint64_t size;
	unsigned id;
	bool open; /* being built: an alias to it is a cycle */
	bool strtag;
} yl_anchor;

/* A decode error waiting for the end of its document. yaml.v3 decodes top
 * down and stops at the first fatal error; duplicate keys are collected
 * (and a map with them is not decoded further) and reported only when
 * nothing was fatal. order is where yaml.v3's walk meets the error. */
typedef struct yl_perr {
	bool fatal;
	uint64_t order;
	int line, col;
	char *msg; /* malloc'd */
} yl_perr;

typedef struct yl_loader {
	tmpl_arena *a;
	const char *name;
	const char *text;
	size_t len;
	tmpl_error *err;
	yl_perr *perrs;
	size_t nperrs, capperrs;
	uint64_t seq; /* events so far */
	yl_frame *frames;
	size_t nframes, capframes;
	yl_item *items;
	size_t nitems, capitems;
	yl_anchor *anchors;
	size_t nanchors, capanchors;
	uint32_t *aslots; /* anchor hash: index + 1, 0 = empty */
	size_t capaslots;
	unsigned next_anchor_id;
	uint32_t *slots; /* scratch hash table: index + 1, 0 = empty */
	size_t capslots;
	uint64_t decode_count, alias_count; /* yaml.v3's excessive-aliasing counters */
	const tv **docs;
	size_t ndocs, capdocs;
	const tv *root;
	bool have_root;
	yl_opts opts;
	/* Recent plain mapping keys by hash: a manifest repeats a few keys
	 * ("name", "value", ...) hundreds of thousands of times, and one shared,
	 * hashed value per key spares a copy each (values are immutable). */
	const tv *keys[256];
} yl_loader;

static void *yl_grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(p, n * elem);
	if (!q)
		tmpl_out_of_memory();
	*cap = n;
	return q;
}

static uint64_t yl_sat_add(uint64_t x, uint64_t y)
{
	return x > UINT64_MAX - y ? UINT64_MAX : x + y;
}

/* ---- errors ---- */

static void yl_verr(yl_loader *L, int line, int col, const char *fmt, va_list ap)
{
	sbuf b = SBUF_INIT;
	sbuf_printf(&b, "%s:%d:%d: ", L->name, line, col);
	sbuf_vprintf(&b, fmt, ap);
	tmpl_error_set(L->err, TMPL_ERR_DATA, L->name, line, col, "%s", b.buf);
	sbuf_free(&b);
}

/* A syntax-level error: reported at once. */
static int __attribute__((format(printf, 4, 5))) yl_fail(yl_loader *L, int line, int col,
							 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	yl_verr(L, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* A decode-level error: kept until the document ends (see yl_perr). */
static void __attribute__((format(printf, 6, 7)))
yl_defer(yl_loader *L, bool fatal, uint64_t order, int line, int col, const char *fmt, ...)
{
	sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_printf(&b, "%s:%d:%d: ", L->name, line, col);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	L->perrs = yl_grow(L->perrs, &L->capperrs, L->nperrs + 1, sizeof *L->perrs);
	L->perrs[L->nperrs++] = (yl_perr){fatal, order, line, col, sbuf_detach(&b, NULL)};
}

/* Forget the decode errors met after order (inside a map yaml.v3 skips). */
static void yl_perrs_drop(yl_loader *L, uint64_t order)
{
	size_t k = 0;
	for (size_t i = 0; i < L->nperrs; i++) {
		if (L->perrs[i].order > order)
			free(L->perrs[i].msg);
		else
			L->perrs[k++] = L->perrs[i];
	}
	L->nperrs = k;
}

/* Report the error yaml.v3 would: the first fatal one, else the first
 * duplicate key. Returns -1 when there is one. */
static int yl_perrs_report(yl_loader *L)
{
	const yl_perr *best = NULL;
	for (size_t i = 0; i < L->nperrs; i++) {
		const yl_perr *e = &L->perrs[i];
		if (!best || (e->fatal && !best->fatal) ||
		    (e->fatal == best->fatal && e->order < best->order))
			best = e;
	}
	int rc = 0;
	if (best)
		rc = tmpl_error_set(L->err, TMPL_ERR_DATA, L->name, best->line, best->col, "%s",
				    best->msg);
	for (size_t i = 0; i < L->nperrs; i++)
		free(L->perrs[i].msg);
	L->nperrs = 0;
	return rc;
}

/* Line and column (1-based, in characters) of a byte offset, for reader errors. */
static void yl_offset_pos(const yl_loader *L, size_t off, int *line, int *col)
{
	int ln = 1, c = 1;
	if (off > L->len)
		off = L->len;
	for (size_t i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)L->text[i];
		if (ch == '\n') {
			ln++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = ln;
	*col = c;
}

static int yl_parser_error(yl_loader *L, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown problem parsing YAML content";
	int line, col;
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return tmpl_error_set(L->err, TMPL_ERR_DATA, L->name, 0, 0, "%s: out of memory",
				      L->name);
	case YAML_READER_ERROR:
		yl_offset_pos(L, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			return yl_fail(L, line, col, "%s (byte #%02X)", problem, p->problem_value);
		return yl_fail(L, line, col, "%s", problem);
	default:
		line = (int)p->problem_mark.line + 1;
		col = (int)p->problem_mark.column + 1;
		if (p->context)
			return yl_fail(L, line, col, "%s (%s at line %d, column %d)", problem,
				       p->context, (int)p->context_mark.line + 1,
				       (int)p->context_mark.column + 1);
		return yl_fail(L, line, col, "%s", problem);
	}
}

/* A scalar event to its value (yaml.v3's decoder.scalar into interface{}). */
/* A string mapping key: the one made for the same text recently, or a new one
 * (hashed, which the maps it goes into use). Long keys are rare and not shared. */
static const tv *yl_key_string(yl_loader *L, const char *s, size_t n)
{
	if (n > 64)
		return tv_string(L->a, s, n);
	uint32_t h = tv_hash(s, n);
	const tv **slot = &L->keys[h & 255];
	const tv *k = *slot;
	if (k && k->hash == h && k->u.s.len == n && memcmp(k->u.s.ptr, s, n) == 0)
		return k;
	tv *nk = (tv *)tv_string(L->a, s, n);
	nk->hash = h;
	nk->flags |= TVF_HASHED;
	*slot = nk;
	return nk;
}

static const tv *yl_scalar(yl_loader *L, const yaml_event_t *ev, bool key, uint8_t *flags)
{
	const char *in = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	enum yr_tag tag = yr_tag_of((const char *)ev->data.scalar.tag);
	bool quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;

	*flags = 0;
	if (tag == YR_T_STR || (tag == YR_T_NONE && quoted)) {
		*flags = YL_IT_STRTAG | YL_IT_CANON;
		return key ? yl_key_string(L, in, n) : tv_string(L->a, in, n);
	}
	if (tag == YR_T_NONE && n == 2 && in[0] == '<' && in[1] == '<') {
		*flags = YL_IT_STRTAG | YL_IT_CANON | YL_IT_MERGE;
		return tv_string(L->a, in, n);
	}
	if (tag == YR_T_BINARY) {
		char *dst = arena_alloc(L->a, n / 4 * 3 + 4);
		size_t dlen;
		if (!yr_base64(in, n, dst, &dlen)) {
			yl_defer(L, true, L->seq, line, col, "!!binary value contains invalid base64 data");
			return &tv_null_value;
		}
		return tv_string_ref(L->a, dst, dlen);
	}
	if (tag == YR_T_MERGE || tag == YR_T_OTHER) {
		if (tag == YR_T_MERGE) {
			*flags = YL_IT_STRTAG | YL_IT_CANON;
			if (n == 2 && in[0] == '<' && in[1] == '<')
				*flags |= YL_IT_MERGE;
		}
		else
			*flags = YL_IT_CANON;
		return tv_string(L->a, in, n);
	}
	yr_res r;
	yr_resolve_rules(L->opts.rules, tag, in, n, &r);
	if (tag != YR_T_NONE) {
		static const enum yr_rtag want[] = {[YR_T_BOOL] = YR_R_BOOL, [YR_T_INT] = YR_R_INT,
						    [YR_T_FLOAT] = YR_R_FLOAT, [YR_T_NULL] = YR_R_NULL,
						    [YR_T_TIMESTAMP] = YR_R_TIMESTAMP};
		enum yr_rtag w = want[tag];
		bool ok = r.rtag == w || (w == YR_R_INT && r.rtag == YR_R_UINT);
		if (!ok && tag == YR_T_FLOAT && r.rtag == YR_R_INT) {
			r.rtag = YR_R_FLOAT;
			r.f = (double)r.i;
			ok = true;
		}
		if (!ok) {
			yl_defer(L, true, L->seq, line, col, "cannot decode %s `%.*s` as a %s",
				 yr_rtag_names[r.rtag], (int)n, in, yr_tag_names[tag]);
			return &tv_null_value;
		}
	}
	switch (r.rtag) {
	case YR_R_NULL:
		return &tv_null_value;
	case YR_R_BOOL:
		return tv_bool(r.b);
	case YR_R_INT:
		return tv_int(L->a, r.i);
	case YR_R_FLOAT:
		return tv_float(L->a, r.f);
	case YR_R_UINT: {
		char digits[24];
		int k = snprintf(digits, sizeof digits, "%llu", (unsigned long long)r.u);
		return tv_string(L->a, digits, (size_t)k);
	}
	case YR_R_TIMESTAMP:
		return tv_string(L->a, in, n);
	case YR_R_STR:
		break;
	}
	*flags = YL_IT_STRTAG | YL_IT_CANON;
	return key ? yl_key_string(L, in, n) : tv_string(L->a, in, n);
}

/* ---- anchors ---- */

static long yl_anchor_find(const yl_loader *L, const char *name)
{
	if (!L->capaslots)
		return -1;
	size_t mask = L->capaslots - 1;
	for (size_t h = tv_hash(name, strlen(name)) & mask;; h = (h + 1) & mask) {
		uint32_t s = L->aslots[h];
		if (!s)
			return -1;
		if (strcmp(L->anchors[s - 1].name, name) == 0)
			return (long)(s - 1);
	}
}

static void yl_anchor_slot(yl_loader *L, size_t i)
{
	size_t mask = L->capaslots - 1;
	const char *name = L->anchors[i].name;
	size_t h = tv_hash(name, strlen(name)) & mask;
	while (L->aslots[h])
		h = (h + 1) & mask;
	L->aslots[h] = (uint32_t)i + 1;
}

/* A node with this anchor starts: the name now means it (yaml.v3 lets a
 * later anchor of the same name take over). */
static long yl_anchor_open(yl_loader *L, const char *name)
{
	if (!name)
		return -1;
	long i = yl_anchor_find(L, name);
	if (i < 0) {
		if (2 * (L->nanchors + 1) > L->capaslots) {
			size_t cap = L->capaslots ? 2 * L->capaslots : 64;
			free(L->aslots);
			L->aslots = calloc(cap, sizeof *L->aslots);
			if (!L->aslots)
				tmpl_out_of_memory();
			L->capaslots = cap;
			for (size_t j = 0; j < L->nanchors; j++)
				yl_anchor_slot(L, j);
		}
		L->anchors = yl_grow(L->anchors, &L->capanchors, L->nanchors + 1, sizeof *L->anchors);
		i = (long)L->nanchors++;
		L->anchors[i].name = strdup(name);
		if (!L->anchors[i].name)
			tmpl_out_of_memory();
		yl_anchor_slot(L, (size_t)i);
	}
	yl_anchor *an = &L->anchors[i];
	an->v = NULL;
	an->size = 0;
	an->open = true;
	an->strtag = false;
	an->id = ++L->next_anchor_id;
	return i;
}

/* The anchored node is finished, unless a later node took the name over. */
static void yl_anchor_close(yl_loader *L, long i, unsigned id, const tv *v, uint64_t size,
			    bool strtag)
{
	if (i < 0 || L->anchors[i].id != id)
		return;
	L->anchors[i].v = v;
	L->anchors[i].size = size;
	L->anchors[i].open = false;
	L->anchors[i].strtag = strtag;
}

static void yl_anchors_clear(yl_loader *L)
{
	for (size_t i = 0; i < L->nanchors; i++)
		free(L->anchors[i].name);
	L->nanchors = 0;
	if (L->capaslots)
		memset(L->aslots, 0, L->capaslots * sizeof *L->aslots);
}

/* ---- building ---- */

static double yl_allowed_alias_ratio(uint64_t decodes)
{
	/* yaml.v3: 99% of decodes may come from aliases in small documents,
	 * scaling down to 10% from 400,000 to 4,000,000 decodes */
	const double lo = 400000, hi = 4000000;
	if (decodes <= lo)
		return 0.99;
	if (decodes >= hi)
		return 0.10;
	return 0.99 - 0.89 * (((double)decodes - lo) / (hi - lo));
}

/* Hand a finished node to its collection, or make it the document. */
static void yl_finish(yl_loader *L, const yl_item *it, uint64_t size)
{
	if (L->nframes == 0) {
		L->root = it->v;
		L->have_root = true;
		return;
	}
	yl_frame *f = &L->frames[L->nframes - 1];
	f->size = yl_sat_add(f->size, size);
	L->items = yl_grow(L->items, &L->capitems, L->nitems + 1, sizeof *L->items);
	L->items[L->nitems++] = *it;
}

/* Is the next item of the innermost collection a mapping key? */
static bool yl_at_key(const yl_loader *L)
{
	if (L->nframes == 0)
		return false;
	const yl_frame *f = &L->frames[L->nframes - 1];
	return f->nkind == YL_NK_MAP && (L->nitems - f->base) % 2 == 0;
}

static uint32_t yl_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

/* Hash of a key as Go's map would compare it. */
static uint32_t yl_key_hash(const tv *k)
{
	switch (k->kind) {
	case TV_STRING:
		return tv_hash(k->u.s.ptr, k->u.s.len);
	case TV_INT:
		return yl_mix((uint64_t)k->u.i ^ 0x1000);
	case TV_FLOAT: {
		double f = k->u.f == 0 ? 0.0 : k->u.f;
		uint64_t bits;
		memcpy(&bits, &f, sizeof bits);
		return yl_mix(bits ^ 0x2000);
	}
	case TV_BOOL:
		return 0x3000u + k->u.b;
	default:
		return 0x4000u;
	}
}

/* Go's == on two interface values holding scalars. */
static bool yl_key_eq(const tv *x, const tv *y)
{
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case TV_STRING:
		return x->u.s.len == y->u.s.len && memcmp(x->u.s.ptr, y->u.s.ptr, x->u.s.len) == 0;
	case TV_INT:
		return x->u.i == y->u.i;
	case TV_FLOAT:
		return x->u.f == y->u.f;
	case TV_BOOL:
		return x->u.b == y->u.b;
	case TV_NULL:
		return true;
	default:
		return x == y;
	}
}

/* A zeroed scratch table with room for n entries; returns its mask. */
static size_t yl_slots(yl_loader *L, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	if (cap > L->capslots) {
		free(L->slots);
		L->slots = malloc(cap * sizeof *L->slots);
		if (!L->slots)
			tmpl_out_of_memory();
		L->capslots = cap;
	}
	memset(L->slots, 0, cap * sizeof *L->slots);
	return cap - 1;
}

static uint32_t yl_text_hash(uint8_t nkind, const char *s, size_t n)
{
	return tv_hash(s ? s : "", s ? n : 0) * 31u + nkind;
}

static bool yl_text_eq(const yl_item *x, const yl_item *y)
{
	return x->nkind == y->nkind && x->tlen == y->tlen &&
	       (x->tlen == 0 || memcmp(x->text, y->text, x->tlen) == 0);
}

/* The first repeated pair of a small map (its loop's order): *bi, *bj. */
static void yl_dup_pair_small(const yl_item *it, size_t npairs, size_t *bi, size_t *bj)
{
	for (size_t i = 0; i < npairs; i++)
		for (size_t j = i + 1; j < npairs; j++)
			if (yl_text_eq(&it[2 * i], &it[2 * j])) {
				*bi = i;
				*bj = j;
				return;
			}
}

/* The same for a larger map, hashing its keys: the pair with the smallest
 * first key, then second key. */
static void yl_dup_pair_hashed(yl_loader *L, const yl_item *it, size_t npairs, size_t *bi,
			       size_t *bj)
{
	size_t mask = yl_slots(L, npairs);
	for (size_t j = 0; j < npairs; j++) {
		const yl_item *k = &it[2 * j];
		size_t h = yl_text_hash(k->nkind, k->text, k->tlen) & mask;
		uint32_t s;
		while ((s = L->slots[h]) && !yl_text_eq(&it[2 * (s - 1)], k))
			h = (h + 1) & mask;
		if (!s) {
			L->slots[h] = (uint32_t)j + 1;
		} else if (s - 1 < *bi || (s - 1 == *bi && j < *bj)) {
			*bi = s - 1;
			*bj = j;
		}
	}
}

/* yaml.v3's duplicate check: keys of the same node kind and text. Reports
 * the pair its loop meets first (smallest first key, then second key). */
static bool yl_check_dups(yl_loader *L, const yl_frame *f, const yl_item *it, size_t npairs)
{
	size_t bi = SIZE_MAX, bj = SIZE_MAX;
	if (npairs < 2)
		return false;
	if (npairs <= 16)
		yl_dup_pair_small(it, npairs, &bi, &bj);
	else
		yl_dup_pair_hashed(L, it, npairs, &bi, &bj);
	if (bi == SIZE_MAX)
		return false;
	if (L->opts.dup_keys_last_wins)
		return true; /* each repeat is noted while the map is built */
	/* yaml.v3 checks a map's keys before it decodes anything in it */
	yl_perrs_drop(L, f->seq);
	sbuf q = SBUF_INIT;
	fmt_quote(&q, it[2 * bj].text ? it[2 * bj].text : "", it[2 * bj].tlen);
	yl_defer(L, false, f->seq, it[2 * bj].line, it[2 * bj].col,
		 "mapping key %s already defined at line %d", q.buf ? q.buf : "\"\"",
		 it[2 * bi].line);
	sbuf_free(&q);
	return true;
}

/* A repeated key that yaml.v2 lets through: a warning naming it and the line
 * of its first occurrence among the map's first n pairs. */
static void yl_warn_dup(yl_loader *L, const yl_item *it, size_t n, const yl_item *k)
{
	if (!L->opts.warnings)
		return;
	int first = k->line;
	for (size_t i = 0; i < n; i++)
		if (!(it[2 * i].flags & YL_IT_MERGE) && yl_key_eq(it[2 * i].v, k->v)) {
			first = it[2 * i].line;
			break;
		}
	sbuf q = SBUF_INIT;
	fmt_quote(&q, k->text ? k->text : "", k->text ? k->tlen : 0);
	sbuf_printf(L->opts.warnings,
		    "%s:%d:%d: warning: mapping key %s already defined at line %d; the last value wins\n",
		    L->name, k->line + L->opts.line_offset, k->col, q.buf ? q.buf : "\"\"",
		    first + L->opts.line_offset);
	sbuf_free(&q);
}

/* Index of key k among the map's pairs so far, or -1 (slots hash the pairs
 * when useslots). */
static long yl_map_lookup(yl_loader *L, tv *m, const tv *k, bool useslots, size_t mask,
			  bool insert)
{
	tv_pair *p = m->u.map.pairs;
	if (!useslots) {
		for (size_t i = 0; i < m->u.map.len; i++)
			if (yl_key_eq(p[i].key, k))
				return (long)i;
		return -1;
	}
	size_t h = yl_key_hash(k) & mask;
	for (;; h = (h + 1) & mask) {
		uint32_t s = L->slots[h];
		if (!s) {
			if (insert)
				L->slots[h] = (uint32_t)m->u.map.len + 1;
			return -1;
		}
		if (yl_key_eq(p[s - 1].key, k))
			return (long)(s - 1);
	}
}

static void yl_bad_key(yl_loader *L, const yl_item *k)
{
	sbuf b = SBUF_INIT;
	const tv *args[1] = {k->v};
	fmt_sprintf(&b, "%#v", 3, args, 1);
	yl_defer(L, true, k->seq, k->line, k->col, "invalid map key: %s", b.buf ? b.buf : "");
	sbuf_free(&b);
}

/* A merged key as yaml.v3 decodes it into a map[string]interface {}: null
 * keys are dropped (NULL), other scalars become text (Go takes the source
 * spelling, here the value's canonical one). */
static const tv *yl_string_key(yl_loader *L, const tv *k)
{
	sbuf b = SBUF_INIT;
	switch (k->kind) {
	case TV_INT:
		sbuf_put_int(&b, (long long)k->u.i);
		break;
	case TV_FLOAT:
		fmt_float_shortest(&b, k->u.f);
		break;
	case TV_BOOL:
		sbuf_puts(&b, k->u.b ? "true" : "false");
		break;
	default:
		return NULL;
	}
	const tv *s = tv_string(L->a, b.buf, b.len);
	sbuf_free(&b);
	return s;
}

/* yaml.v3 merges after the map's own keys: the error comes at its end. */
static void yl_merge_error(yl_loader *L, const yl_item *v)
{
	yl_defer(L, true, L->seq, v->line, v->col,
		 "map merge requires map or sequence of maps as the value");
}

/* The pairs a `<<` value v brings (a map, or a sequence of maps), for the
 * map's capacity; a value of another shape is an error (when report). */
static size_t yl_merge_cap(yl_loader *L, const yl_item *v, bool report)
{
	if (v->v->kind == TV_MAP)
		return v->v->u.map.len;
	if (v->v->kind != TV_LIST || v->nkind == YL_NK_ALIAS) {
		if (report)
			yl_merge_error(L, v);
		return 0;
	}
	size_t cap = 0;
	for (size_t j = 0; j < v->v->u.list.len; j++) {
		const tv *src = v->v->u.list.items[j];
		if (src->kind != TV_MAP) {
			if (report)
				yl_merge_error(L, v);
			break;
		}
		cap += src->u.map.len;
	}
	return cap;
}

/* The keys of one merge source src that m lacks, added to m. */
static void yl_merge_source(yl_loader *L, tv *m, const tv *src, bool anykeys, bool useslots,
			    size_t mask)
{
	for (size_t j = 0; j < src->u.map.len; j++) {
		const tv_pair *p = &src->u.map.pairs[j];
		const tv *key = p->key;
		if (!anykeys && key->kind != TV_STRING && !(key = yl_string_key(L, key)))
			continue;
		if (yl_map_lookup(L, m, key, useslots, mask, true) < 0)
			tv_map_add(L->a, m, key, p->val);
	}
}

/* A `<<` value's sources (a map, or the maps of a sequence up to the first
 * that is not one) merged into m: never over a key m has; the first source
 * wins over later ones. */
static void yl_merge_into(yl_loader *L, tv *m, const tv *v, bool anykeys, bool useslots,
			  size_t mask)
{
	size_t nsrc = v->kind == TV_LIST ? v->u.list.len : 1;
	for (size_t s = 0; s < nsrc; s++) {
		const tv *src = v->kind == TV_LIST ? v->u.list.items[s] : v;
		if (src->kind != TV_MAP)
			break;
		yl_merge_source(L, m, src, anykeys, useslots, mask);
	}
}

/* Build the map of the innermost frame from its items (yaml.v3's
 * decoder.mapping: own keys, later wins; then `<<` sources, which never
 * override a key already present; the first source wins over later ones). */
static const tv *yl_build_map(yl_loader *L, const yl_frame *f)
{
	const yl_item *it = L->items ? L->items + f->base : NULL; /* NULL + 0 is undefined */
	size_t npairs = (L->nitems - f->base) / 2;
	size_t cap = npairs;
	/* after duplicates yaml.v3 decodes nothing more of the map (yaml.v2, when
	 * asked for, decodes it with the last value of a repeated key) */
	bool dups = yl_check_dups(L, f, it, npairs);
	bool report = !dups || L->opts.dup_keys_last_wins;
	bool slow = dups, anykeys = false;

	for (size_t i = 0; i < npairs; i++) {
		const yl_item *k = &it[2 * i], *v = &it[2 * i + 1];
		if (k->flags & YL_IT_MERGE) {
			slow = true;
			cap += yl_merge_cap(L, v, report);
			continue;
		}
		if (!(k->flags & YL_IT_STRTAG))
			anykeys = true;
		if (!(k->flags & YL_IT_CANON))
			slow = true;
		if ((k->v->kind == TV_LIST || k->v->kind == TV_MAP) && report)
			yl_bad_key(L, k);
	}

	tv *m = tv_map_new(L->a, cap);
	if (!slow) {
		for (size_t i = 0; i < npairs; i++)
			tv_map_add(L->a, m, it[2 * i].v, it[2 * i + 1].v);
	} else {
		bool useslots = cap > 16;
		size_t mask = useslots ? yl_slots(L, cap) : 0;
		for (size_t i = 0; i < npairs; i++) {
			const yl_item *k = &it[2 * i], *v = &it[2 * i + 1];
			if (k->flags & YL_IT_MERGE)
				continue;
			if (k->v->kind == TV_LIST || k->v->kind == TV_MAP)
				continue;
			long at = yl_map_lookup(L, m, k->v, useslots, mask, true);
			if (at >= 0 && L->opts.dup_keys_last_wins)
				yl_warn_dup(L, it, i, k);
			if (at >= 0)
				m->u.map.pairs[at].val = v->v;
			else
				tv_map_add(L->a, m, k->v, v->v);
		}
		for (size_t i = 0; i < npairs; i++)
			if (it[2 * i].flags & YL_IT_MERGE)
				yl_merge_into(L, m, it[2 * i + 1].v, anykeys, useslots, mask);
	}
	tv_map_seal(L->a, m);
	if (anykeys)
		m->flags |= TVF_ANYKEYS;
	return m;
}

static const tv *yl_build_seq(yl_loader *L, const yl_frame *f)
{
	size_t n = L->nitems - f->base;
	tv *l = tv_list_new(L->a, n);
	for (size_t i = 0; i < n; i++)
		l->u.list.items[i] = L->items[f->base + i].v;
	return l;
}

static int yl_open(yl_loader *L, const yaml_event_t *ev, uint8_t nkind, const char *anchor)
{
	int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
	if (L->nframes >= YL_MAX_DEPTH)
		return yl_fail(L, line, col, "exceeded max depth of %d", YL_MAX_DEPTH);
	L->decode_count++;
	L->frames = yl_grow(L->frames, &L->capframes, L->nframes + 1, sizeof *L->frames);
	yl_frame *f = &L->frames[L->nframes++];
	f->nkind = nkind;
	f->base = L->nitems;
	f->size = 1;
	f->line = line;
	f->col = col;
	f->seq = L->seq;
	f->anchor = yl_anchor_open(L, anchor);
	f->anchor_id = f->anchor >= 0 ? L->anchors[f->anchor].id : 0;
	return 0;
}

static void yl_close(yl_loader *L)
{
	yl_frame f = L->frames[--L->nframes];
	const tv *v = f.nkind == YL_NK_MAP ? yl_build_map(L, &f) : yl_build_seq(L, &f);
	L->nitems = f.base;
	yl_anchor_close(L, f.anchor, f.anchor_id, v, f.size, false);
	yl_item it = {v, NULL, 0, f.nkind, 0, f.line, f.col, L->seq};
	yl_finish(L, &it, f.size);
}

static int yl_event(yl_loader *L, const yaml_event_t *ev)
{
	int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
	L->seq++;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		L->have_root = false;
		L->root = NULL;
		L->decode_count = 1;
		L->alias_count = 0;
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		yl_anchors_clear(L);
		if (L->nperrs)
			return yl_perrs_report(L);
		L->docs = yl_grow(L->docs, &L->capdocs, L->ndocs + 1, sizeof *L->docs);
		L->docs[L->ndocs++] = L->have_root ? L->root : &tv_null_value;
		return 0;
	case YAML_SCALAR_EVENT: {
		uint8_t flags;
		bool key = yl_at_key(L);
		long an = yl_anchor_open(L, (const char *)ev->data.scalar.anchor);
		unsigned id = an >= 0 ? L->anchors[an].id : 0;
		const tv *v = yl_scalar(L, ev, key, &flags);
		yl_item it = {v, NULL, 0, YL_NK_SCALAR, flags, line, col, L->seq};
		if (key) {
			if (v->kind == TV_STRING && (flags & YL_IT_CANON)) {
				it.text = v->u.s.ptr;
				it.tlen = v->u.s.len;
			} else {
				it.tlen = ev->data.scalar.length;
				it.text = arena_strndup(L->a, (const char *)ev->data.scalar.value,
							it.tlen);
			}
		}
		L->decode_count++;
		yl_anchor_close(L, an, id, v, 1, flags & YL_IT_STRTAG);
		yl_finish(L, &it, 1);
		return 0;
	}
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		long i = yl_anchor_find(L, name);
		if (i < 0)
			return yl_fail(L, line, col, "unknown anchor '%s' referenced", name);
		const yl_anchor *an = &L->anchors[i];
		yl_item it = {an->v, NULL, 0, YL_NK_ALIAS, an->strtag ? YL_IT_STRTAG : 0, line, col,
			      L->seq};
		uint64_t size = an->size;
		if (an->open) {
			yl_defer(L, true, L->seq, line, col, "anchor '%s' value contains itself", name);
			it.v = &tv_null_value;
			size = 1;
		}
		if (yl_at_key(L)) {
			/* yaml.v3 compares an alias key by its name, so two aliases'
			 * values may still collide: not canonical */
			it.text = arena_strdup(L->a, name);
			it.tlen = strlen(name);
		}
		L->decode_count = yl_sat_add(L->decode_count, yl_sat_add(size, 1));
		L->alias_count = yl_sat_add(L->alias_count, size);
		if (L->alias_count > 100 && L->decode_count > 1000 &&
		    (double)L->alias_count / (double)L->decode_count >
			    yl_allowed_alias_ratio(L->decode_count))
			yl_defer(L, true, L->seq, line, col, "document contains excessive aliasing");
		yl_finish(L, &it, yl_sat_add(size, 1));
		return 0;
	}
	case YAML_SEQUENCE_START_EVENT:
		return yl_open(L, ev, YL_NK_SEQ, (const char *)ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		return yl_open(L, ev, YL_NK_MAP, (const char *)ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (L->nframes > 0)
			yl_close(L);
		return 0;
	default:
		return 0;
	}
}

/* The documents loaded (when rc is 0), and the loader's memory released. */
static int yl_done(yl_loader *L, int rc, const tv ***docs, size_t *ndocs)
{
	if (rc == 0) {
		const tv **out = arena_alloc(L->a, (L->ndocs ? L->ndocs : 1) * sizeof *out);
		if (L->ndocs)
			memcpy(out, L->docs, L->ndocs * sizeof *out);
		*docs = out;
		*ndocs = L->ndocs;
	}
	yl_anchors_clear(L);
	for (size_t i = 0; i < L->nperrs; i++)
		free(L->perrs[i].msg);
	free(L->perrs);
	free(L->anchors);
	free(L->aslots);
	free(L->frames);
	free(L->items);
	free(L->slots);
	free(L->docs);
	return rc;
}

/* Load up to maxdocs documents; the stream after the last one is never parsed. */
static int yl_load_n(tmpl_arena *a, const char *name, const char *text, size_t len,
		     size_t maxdocs, const yl_opts *opts, const tv ***docs, size_t *ndocs,
		     tmpl_error *err)
{
	yl_loader L;
	memset(&L, 0, sizeof L);
	if (opts)
		L.opts = *opts;
	L.a = a;
	L.name = name ? name : "<input>";
	L.text = text;
	L.len = len;
	L.err = err;
	*docs = NULL;
	*ndocs = 0;

	/* Plain block YAML (what templates render) is scanned without libyaml;
	 * the same events come out, so everything below is shared. */
	yb_events fast;
	if (!L.opts.libyaml_only && yb_scan(text, len, &fast)) {
		int rc = 0;
		for (size_t i = 0; i < fast.n && rc == 0 && L.ndocs < maxdocs; i++) {
			yaml_event_t ev;
			yb_event_get(&fast, i, &ev);
			rc = yl_event(&L, &ev);
		}
		yb_free(&fast);
		return yl_done(&L, rc, docs, ndocs);
	}

	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return tmpl_error_set(err, TMPL_ERR_DATA, L.name, 0, 0, "%s: out of memory", L.name);
	/* libyaml asserts on a NULL input */
	yaml_parser_set_input_string(&p, (const unsigned char *)(text ? text : ""), text ? len : 0);
	int rc = 0;
	while (L.ndocs < maxdocs) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = yl_parser_error(&L, &p);
			break;
		}
		yaml_event_type_t type = ev.type;
		rc = yl_event(&L, &ev);
		yaml_event_delete(&ev);
		if (rc < 0 || type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	return yl_done(&L, rc, docs, ndocs);
}

int yl_load(tmpl_arena *a, const char *name, const char *text, size_t len, const tv ***docs,
	    size_t *ndocs, tmpl_error *err)
{
	return yl_load_n(a, name, text, len, SIZE_MAX, NULL, docs, ndocs, err);
}

int yl_load_first_opts(tmpl_arena *a, const char *name, const char *text, size_t len,
		       const yl_opts *opts, const tv **doc, tmpl_error *err)
{
	const tv **docs;
	size_t n;
	*doc = TV_NOVALUE;
	if (yl_load_n(a, name, text, len, 1, opts, &docs, &n, err) < 0)
		return -1;
	*doc = n ? docs[0] : TV_NOVALUE;
	return 0;
}

int yl_load_first(tmpl_arena *a, const char *name, const char *text, size_t len, const tv **doc,
		  tmpl_error *err)
{
	return yl_load_first_opts(a, name, text, len, NULL, doc, err);
}

/* YAML errors name standard input "<stdin>". */
static const char *yl_file_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int yl_load_file(tmpl_arena *a, const char *path, const tv ***docs, size_t *ndocs,
		 tmpl_error *err)
{
	size_t len;
	*docs = NULL;
	*ndocs = 0;
	char *text = file_read(path, &len, FILE_WORDS_C, err);
	if (!text)
		return -1;
	int rc = yl_load(a, yl_file_name(path), text, len, docs, ndocs, err);
	free(text);
	return rc;
}

int yl_load_file_first(tmpl_arena *a, const char *path, const tv **doc, tmpl_error *err)
{
	size_t len;
	*doc = TV_NOVALUE;
	char *text = file_read(path, &len, FILE_WORDS_C, err);
	if (!text)
		return -1;
	int rc = yl_load_first(a, yl_file_name(path), text, len, doc, err);
	free(text);
	return rc;
}

bool yl_readers_agree(const char *text, size_t len, char *why, size_t whysize)
{
	for (int v2 = 0; v2 < 2; v2++) {
		tmpl_arena *a = arena_new();
		const tv *d[2] = {NULL, NULL};
		int rc[2];
		char msg[2][512];
		sbuf warn[2] = {SBUF_INIT, SBUF_INIT};
		for (int k = 0; k < 2; k++) {
			tmpl_error err;
			tmpl_error_init(&err);
			yl_opts o = {.libyaml_only = k == 1, .dup_keys_last_wins = v2,
				     .warnings = v2 ? &warn[k] : NULL, .line_offset = 0,
				     .rules = v2 ? YR_RULES_V2_ISTIO_1_1 : YR_RULES_V3};
			rc[k] = yl_load_first_opts(a, "t", text, len, &o, &d[k], &err);
			snprintf(msg[k], sizeof msg[k], "%s", err.msg ? err.msg : "");
			tmpl_error_clear(&err);
		}
		bool eq = rc[0] == rc[1] && strcmp(msg[0], msg[1]) == 0 &&
			  (rc[0] != 0 || tv_identical(d[0], d[1])) && warn[0].len == warn[1].len &&
			  (!warn[0].len || memcmp(warn[0].buf, warn[1].buf, warn[0].len) == 0);
		sbuf_free(&warn[0]);
		sbuf_free(&warn[1]);
		arena_free(a);
		if (!eq) {
			snprintf(why, whysize, "%s: rc %d/%d, errors \"%s\" / \"%s\"",
				 v2 ? "v2" : "v3", rc[0], rc[1], msg[0], msg[1]);
			return false;
		}
	}
	return true;
}
