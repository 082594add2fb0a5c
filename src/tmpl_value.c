/* tmpl_value.c: the value model of tmpl_value.h: constructors, map lookup with a hash index, Go's key order and truth. */
#include "tmpl_value.h"
#include "types.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Maps with more pairs than this get a hash index; below it a linear scan is faster. */
#define TV_INDEX_MIN 8

struct tv_index {
	uint32_t mask;   /* slots - 1; slots is a power of two >= 2 * room */
	uint32_t *slots; /* pair index + 1; 0 = empty; NULL for small maps (hashes only) */
	uint32_t *hashes; /* per pair: tv_hash of a string key */
	size_t room;      /* pairs hashes and slots have room for (tv_map_put adds in place) */
};

const tv tv_null_value = {.kind = TV_NULL};
const tv tv_true_value = {.kind = TV_BOOL, .u.b = true};
const tv tv_false_value = {.kind = TV_BOOL, .u.b = false};

const tv *tv_bool(bool b)
{
	return b ? &tv_true_value : &tv_false_value;
}

static tv *tv_alloc(tmpl_arena *a, tv_kind kind)
{
	tv *v = arena_alloc(a, sizeof(*v));
	v->kind = (uint8_t)kind;
	return v;
}

const tv *tv_int(tmpl_arena *a, int64_t i)
{
	tv *v = tv_alloc(a, TV_INT);
	v->u.i = i;
	return v;
}

const tv *tv_uint8(tmpl_arena *a, uint8_t u)
{
	tv *v = tv_alloc(a, TV_UINT8);
	v->u.i = u;
	return v;
}

const tv *tv_float(tmpl_arena *a, double f)
{
	tv *v = tv_alloc(a, TV_FLOAT);
	v->u.f = f;
	return v;
}

const tv *tv_string(tmpl_arena *a, const char *s, size_t len)
{
	return tv_string_ref(a, arena_strndup(a, s, len), len);
}

const tv *tv_string_ref(tmpl_arena *a, const char *s, size_t len)
{
	tv *v = tv_alloc(a, TV_STRING);
	v->u.s.ptr = s;
	v->u.s.len = len;
	return v;
}

const tv *tv_string_hashed(tmpl_arena *a, const char *s, size_t len)
{
	tv *v = tv_alloc(a, TV_STRING);
	v->u.s.ptr = s;
	v->u.s.len = len;
	v->hash = tv_hash(s, len);
	v->flags |= TVF_HASHED;
	return v;
}

tv *tv_list_new(tmpl_arena *a, size_t n)
{
	tv *v = tv_alloc(a, TV_LIST);
	v->u.list.items = n ? arena_alloc(a, n * sizeof(*v->u.list.items)) : NULL;
	v->u.list.len = n;
	return v;
}

/* Map construction: pairs grow by doubling inside the arena; a hidden pair just
 * before the first one holds the capacity while the map is being built. */
tv *tv_map_new(tmpl_arena *a, size_t cap)
{
	tv *v = tv_alloc(a, TV_MAP);
	/* A caller that knows its size gets exactly that: a manifest's many
	 * two-key maps (env entries, ports) are most of its memory. */
	if (cap == 0)
		cap = 4;
	/* One extra pair in front holds the capacity while building. */
	tv_pair *p = arena_alloc(a, (cap + 1) * sizeof(tv_pair));
	p[0].key = (const tv *)(uintptr_t)cap;
	v->u.map.pairs = p + 1;
	v->u.map.len = 0;
	return v;
}

void tv_map_add(tmpl_arena *a, tv *map, const tv *key, const tv *val)
{
	tv_pair *p = map->u.map.pairs;
	size_t cap = (size_t)(uintptr_t)p[-1].key;
	if (map->u.map.len == cap) {
		size_t ncap = cap * 2;
		tv_pair *np = arena_alloc(a, (ncap + 1) * sizeof(tv_pair));
		np[0].key = (const tv *)(uintptr_t)ncap;
		memcpy(np + 1, p, map->u.map.len * sizeof(tv_pair));
		map->u.map.pairs = p = np + 1;
	}
	p[map->u.map.len].key = key;
	p[map->u.map.len].val = val;
	map->u.map.len++;
}

/* Unaligned little reads for tv_hash. */
static inline uint64_t hash_rd8(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t hash_rd4(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Multiply into 128 bits and fold: every input bit reaches every output bit. */
static inline uint64_t hash_mix(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	uint64_t h = (a ^ (b >> 29)) * 0xBF58476D1CE4E5B9u;
	h ^= b * 0x94D049BB133111EBu;
	return h ^ (h >> 31);
#endif
}

uint32_t tv_hash(const char *s, size_t len)
{
	/* Keys are short: up to 16 bytes take two overlapping pairs of reads and one
	 * multiply (a byte at a time cost four instructions a byte). */
	const uint64_t k0 = 0xA0761D6478BD642Fu, k1 = 0xE7037ED1A0B428DBu;
	uint64_t a, b, seed = k0 ^ len;
	if (len <= 16) {
		if (len >= 4) {
			size_t q = (len >> 3) << 2;
			a = hash_rd4(s) << 32 | hash_rd4(s + q);
			b = hash_rd4(s + len - 4) << 32 | hash_rd4(s + len - 4 - q);
		} else if (len) {
			a = (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[len >> 1] << 8 |
			    (unsigned char)s[len - 1];
			b = 0;
		} else {
			a = b = 0;
		}
	} else {
		const char *p = s;
		size_t i = len;
		for (; i > 16; i -= 16, p += 16)
			seed = hash_mix(hash_rd8(p) ^ k1, hash_rd8(p + 8) ^ seed);
		a = hash_rd8(p + i - 16);
		b = hash_rd8(p + i - 8);
	}
	return (uint32_t)hash_mix(a ^ k1, hash_mix(b ^ seed, k0 ^ len));
}

/* The index of map's pairs, with room for `room` pairs (>= len): hashes of
 * string keys, and a hash table once the map is past TV_INDEX_MIN. */
static void tv_index_build(tmpl_arena *a, tv *map, size_t room)
{
	size_t n = map->u.map.len;
	tv_pair *p = map->u.map.pairs;
	map->u.map.index = NULL;
	if (n < 2)
		return;
	tv_index *ix = arena_alloc(a, sizeof(*ix));
	ix->room = room;
	ix->hashes = arena_alloc(a, room * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++) {
		const tv *k = p[i].key;
		if (k->kind == TV_STRING)
			ix->hashes[i] = (k->flags & TVF_HASHED) ? k->hash : tv_hash(k->u.s.ptr, k->u.s.len);
	}
	map->u.map.index = ix;
	if (n <= TV_INDEX_MIN)
		return; /* small: hashes only, scanned linearly without touching the keys */
	size_t slots = 16;
	while (slots < room * 2)
		slots *= 2;
	ix->mask = (uint32_t)(slots - 1);
	ix->slots = arena_alloc(a, slots * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++) {
		if (p[i].key->kind != TV_STRING)
			continue;
		uint32_t h = ix->hashes[i];
		uint32_t s = h & ix->mask;
		while (ix->slots[s])
			s = (s + 1) & ix->mask;
		ix->slots[s] = (uint32_t)(i + 1);
	}
}

void tv_map_seal(tmpl_arena *a, tv *map)
{
	size_t n = map->u.map.len;
	tv_pair *p = map->u.map.pairs;
	for (size_t i = 0; i < n; i++)
		if (p[i].key->kind != TV_STRING)
			map->flags |= TVF_ANYKEYS;
	tv_index_build(a, map, n);
}

/* A copy of map's pairs in a new array (with its hidden capacity pair), so
 * that a change leaves the old array as a running range saw it. */
static void tv_map_own_pairs(tmpl_arena *a, tv *map)
{
	size_t n = map->u.map.len, cap = n < 4 ? 4 : n;
	tv_pair *np = arena_alloc(a, (cap + 1) * sizeof(tv_pair));
	np[0].key = (const tv *)(uintptr_t)cap;
	if (n)
		memcpy(np + 1, map->u.map.pairs, n * sizeof(tv_pair));
	map->u.map.pairs = np + 1;
}

void tv_map_put(tmpl_arena *a, tv *map, const tv *key, const tv *val)
{
	map->flags &= (uint8_t)~TVF_STRUCTORDER; /* now a Go map: no field order */
	long at = tv_map_find_key(map, key);
	if (at >= 0) {
		/* positions stay: the index holds */
		tv_map_own_pairs(a, map);
		map->u.map.pairs[at].val = val;
		return;
	}
	if (key->kind != TV_STRING)
		map->flags |= TVF_ANYKEYS;
	/* appends after the pairs a running range holds, or into a new array */
	tv_map_add(a, map, key, val);
	size_t n = map->u.map.len, i = n - 1;
	tv_index *ix = map->u.map.index;
	if (!ix || n > ix->room || (ix->slots != NULL) != (n > TV_INDEX_MIN)) {
		tv_index_build(a, map, n * 2);
		return;
	}
	if (key->kind != TV_STRING)
		return;
	uint32_t h = (key->flags & TVF_HASHED) ? key->hash : tv_hash(key->u.s.ptr, key->u.s.len);
	ix->hashes[i] = h;
	if (!ix->slots)
		return;
	uint32_t s = h & ix->mask;
	while (ix->slots[s])
		s = (s + 1) & ix->mask;
	ix->slots[s] = (uint32_t)(i + 1);
}

bool tv_map_del(tmpl_arena *a, tv *map, const tv *key)
{
	long at = tv_map_find_key(map, key);
	if (at < 0)
		return false;
	map->flags &= (uint8_t)~TVF_STRUCTORDER;
	tv_map_own_pairs(a, map);
	tv_pair *p = map->u.map.pairs;
	memmove(p + at, p + at + 1, (map->u.map.len - (size_t)at - 1) * sizeof(tv_pair));
	map->u.map.len--;
	tv_index_build(a, map, map->u.map.len);
	return true;
}

/* Equal bytes, for keys whose hashes already matched: short keys (the
 * common field names) are compared by two overlapping word loads inline
 * rather than a call to memcmp. */
static inline bool tv_bytes_eq(const char *a, const char *b, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t x0, y0, x1, y1;
		memcpy(&x0, a, 8);
		memcpy(&y0, b, 8);
		memcpy(&x1, a + n - 8, 8);
		memcpy(&y1, b + n - 8, 8);
		return ((x0 ^ y0) | (x1 ^ y1)) == 0;
	}
	if (n >= 4 && n < 8) {
		uint32_t x0, y0, x1, y1;
		memcpy(&x0, a, 4);
		memcpy(&y0, b, 4);
		memcpy(&x1, a + n - 4, 4);
		memcpy(&y1, b + n - 4, 4);
		return ((x0 ^ y0) | (x1 ^ y1)) == 0;
	}
	return memcmp(a, b, n) == 0;
}

static bool tv_key_is(const tv *k, const char *key, size_t len)
{
	return k->kind == TV_STRING && k->u.s.len == len && tv_bytes_eq(k->u.s.ptr, key, len);
}

const tv *tv_map_get_h(const tv *map, const char *key, size_t len, uint32_t hash)
{
	if (!map || map->kind != TV_MAP)
		return NULL;
	const tv_pair *p = map->u.map.pairs;
	const tv_index *ix = map->u.map.index;
	if (!ix) {
		for (size_t i = 0; i < map->u.map.len; i++)
			if (tv_key_is(p[i].key, key, len))
				return p[i].val;
		return NULL;
	}
	if (!ix->slots) {
		/* Small map: compare hashes first; keys are touched only on a hash match.
		 * The last match wins, as in tv_map_find_key: scan from the end. */
		for (size_t i = map->u.map.len; i-- > 0;)
			if (ix->hashes[i] == hash && tv_key_is(p[i].key, key, len))
				return p[i].val;
		return NULL;
	}
	/* Loaders reject duplicate keys; if a map still has one, the last wins
	 * like a Go map filled in order, so keep probing for later matches. */
	const tv *found = NULL;
	size_t best = 0;
	for (uint32_t s = hash & ix->mask; ix->slots[s]; s = (s + 1) & ix->mask) {
		uint32_t i = ix->slots[s] - 1;
		if (ix->hashes[i] == hash && tv_key_is(p[i].key, key, len) && (!found || i >= best)) {
			found = p[i].val;
			best = i;
		}
	}
	return found;
}

const tv *tv_map_get_str(const tv *map, const tv *k)
{
	uint32_t h = (k->flags & TVF_HASHED) ? k->hash : tv_hash(k->u.s.ptr, k->u.s.len);
	return tv_map_get_h(map, k->u.s.ptr, k->u.s.len, h);
}

const tv *tv_map_get(const tv *map, const char *key, size_t len)
{
	return tv_map_get_h(map, key, len, tv_hash(key, len));
}

bool tv_identical(const tv *x, const tv *y)
{
	if (x == y)
		return true;
	if (!x || !y || x->kind != y->kind || x->flags != y->flags)
		return false;
	switch (x->kind) {
	case TV_STRING:
		return x->u.s.len == y->u.s.len && memcmp(x->u.s.ptr, y->u.s.ptr, x->u.s.len) == 0;
	case TV_INT:
		return x->u.i == y->u.i;
	case TV_FLOAT:
		return memcmp(&x->u.f, &y->u.f, sizeof x->u.f) == 0;
	case TV_BOOL:
		return x->u.b == y->u.b;
	case TV_LIST:
		if (x->u.list.len != y->u.list.len)
			return false;
		for (size_t i = 0; i < x->u.list.len; i++)
			if (!tv_identical(x->u.list.items[i], y->u.list.items[i]))
				return false;
		return true;
	case TV_MAP:
		if (x->u.map.len != y->u.map.len)
			return false;
		for (size_t i = 0; i < x->u.map.len; i++)
			if (!tv_identical(x->u.map.pairs[i].key, y->u.map.pairs[i].key) ||
			    !tv_identical(x->u.map.pairs[i].val, y->u.map.pairs[i].val))
				return false;
		return true;
	default:
		return true;
	}
}

bool tv_equal(const tv *a, const tv *b)
{
	if (a == b)
		return !(a && a->kind == TV_FLOAT && isnan(a->u.f));
	if (!a || !b)
		return false;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case TV_NULL:
		return true;
	case TV_BOOL:
		return a->u.b == b->u.b;
	case TV_INT:
	case TV_UINT8:
		return a->u.i == b->u.i;
	case TV_FLOAT:
		return a->u.f == b->u.f;
	case TV_STRING:
		return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
	default:
		return false;
	}
}

long tv_map_find_key(const tv *map, const tv *key)
{
	if (!map || map->kind != TV_MAP)
		return -1;
	if (key && key->kind == TV_STRING && map->u.map.index && map->u.map.index->slots) {
		const tv_pair *p = map->u.map.pairs;
		const tv_index *ix = map->u.map.index;
		uint32_t h = tv_hash(key->u.s.ptr, key->u.s.len);
		long found = -1;
		for (uint32_t s = h & ix->mask; ix->slots[s]; s = (s + 1) & ix->mask) {
			uint32_t i = ix->slots[s] - 1;
			if (ix->hashes[i] == h && tv_equal(p[i].key, key) && (long)i > found)
				found = (long)i;
		}
		return found;
	}
	long found = -1;
	for (size_t i = 0; i < map->u.map.len; i++)
		if (tv_equal(map->u.map.pairs[i].key, key))
			found = (long)i;
	return found;
}

static int tv_cmp_num(double a, double b)
{
	/* Go's fmtsort: NaN sorts before everything, then numeric order. */
	if (isnan(a))
		return isnan(b) ? 0 : -1;
	if (isnan(b))
		return 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

int tv_key_cmp(const tv *a, const tv *b)
{
	int ka = a ? a->kind : -1, kb = b ? b->kind : -1;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (!a)
		return 0;
	switch (a->kind) {
	case TV_BOOL:
		return (int)a->u.b - (int)b->u.b;
	case TV_INT:
	case TV_UINT8:
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i ? 1 : 0;
	case TV_FLOAT:
		return tv_cmp_num(a->u.f, b->u.f);
	case TV_STRING: {
		size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
		int c = n ? memcmp(a->u.s.ptr, b->u.s.ptr, n) : 0;
		if (c)
			return c < 0 ? -1 : 1;
		return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len ? 1 : 0;
	}
	default:
		return 0;
	}
}

static int tv_pair_cmp(const void *x, const void *y)
{
	const tv_pair *a = x, *b = y;
	int c = tv_key_cmp(a->key, b->key);
	if (c)
		return c;
	return 0;
}

bool tv_map_in_key_order(const tv *map)
{
	size_t n = map->u.map.len;
	const tv_pair *p = map->u.map.pairs;
	for (size_t i = 1; i < n; i++)
		if (tv_key_cmp(p[i - 1].key, p[i].key) > 0)
			return false;
	return true;
}

const tv_pair *tv_map_sorted(tmpl_arena *a, const tv *map)
{
	size_t n = map->u.map.len;
	const tv_pair *p = map->u.map.pairs;
	if (tv_map_in_key_order(map))
		return p;
	tv_pair *s = arena_alloc(a, n * sizeof(*s));
	memcpy(s, p, n * sizeof(*s));
	/* Keys of one map are distinct (loaders reject duplicates), so the
	 * order is total and qsort's instability cannot show. */
	qsort(s, n, sizeof(*s), tv_pair_cmp);
	return s;
}

bool tv_truth(const tv *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case TV_NULL:
		return false;
	case TV_BOOL:
		return v->u.b;
	case TV_INT:
	case TV_UINT8:
		return v->u.i != 0;
	case TV_FLOAT:
		return v->u.f != 0;
	case TV_STRING:
		return v->u.s.len != 0;
	case TV_LIST:
		return v->u.list.len != 0;
	case TV_MAP:
		return v->u.map.len != 0;
	case TV_STRUCT:
		return true; /* Go: a struct is always true, a nil pointer (TV_NULL) false */
	}
	return false;
}

const char *tv_type_name(const tv *v)
{
	if (!v)
		return "<nil>";
	if (v->type)
		return v->type->go_name;
	switch (v->kind) {
	case TV_NULL:
		return "<nil>";
	case TV_BOOL:
		return "bool";
	case TV_INT:
		return "int";
	case TV_UINT8:
		return "uint8";
	case TV_FLOAT:
		return "float64";
	case TV_STRING:
		return "string";
	case TV_LIST:
		return "[]interface {}";
	case TV_MAP:
		return (v->flags & TVF_ANYKEYS) ? "map[interface {}]interface {}"
						: "map[string]interface {}";
	case TV_STRUCT:
		break;
	}
	return "<nil>";
}
