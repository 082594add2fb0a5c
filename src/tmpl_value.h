/* tmpl_value.h: the value model: immutable YAML values owned by the arena that made them.
 *
 * Ownership rule (one, like jq's jv.h): a value lives exactly as long as the
 * arena it was allocated from; values are never changed after construction
 * (maps after tv_map_seal), so any number of threads may read them at once.
 * One exception, Go's: a map is a reference, and sprig's set, unset and
 * merge change the map they are given in place (tv_map_put, tv_map_del),
 * dicts a render made and maps of the data it renders alike, so every
 * holder sees the change for the rest of the render. When the render ends,
 * every map it changed is put back as it was (TVF_CHANGED): the data a
 * caller passed is unchanged after the render and can be rendered again
 * (Go's map would stay changed). During the render it is written, so a
 * caller that renders one data tree from several threads at once with such
 * templates gives each render its own copy.
 *
 * Go's two kinds of "nothing" (see the language reference, NOVALUE vs NULL):
 *   NOVALUE  is the NULL pointer (Go's invalid reflect.Value: a missing key,
 *            nil data);
 *   NULL     is a value of kind TV_NULL (a YAML null inside its container).
 */
#ifndef TMPL_VALUE_H
#define TMPL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum tv_kind {
	TV_NULL = 0, /* YAML null; Go's nil interface{} element */
	TV_BOOL,
	TV_INT,      /* Go int (64-bit) */
	TV_UINT8,    /* Go uint8: only from `index` on a string */
	TV_FLOAT,    /* Go float64 */
	TV_STRING,   /* bytes, not necessarily valid UTF-8, may hold NUL */
	TV_LIST,     /* Go []interface {} */
	TV_MAP,      /* Go map[string]interface {} or map[interface {}]interface {} */
	TV_STRUCT    /* a Go struct over a YAML map: always typed (types.h) */
} tv_kind;

/* TV_MAP flag: some key is not a string, so Go sees map[interface {}]interface {}. */
#define TVF_ANYKEYS 0x01u
/* TV_MAP flag: the JSON form of a Go struct (types_normalize): keys are in the
 * struct's field order, which JSON writers keep (Go's json.Marshal does). */
#define TVF_STRUCTORDER 0x02u
/* TV_MAP flag: a render changed this map in place and will put it back as it
 * was when the render ends (see the ownership rule). */
#define TVF_CHANGED 0x08u
/* TV_STRING flag: hash holds tv_hash of the bytes (string constants of a
 * template), so map lookups by this string need not hash it again. */
#define TVF_HASHED 0x04u

typedef struct tv tv;
typedef struct tv_pair {
	const tv *key;
	const tv *val;
} tv_pair;

typedef struct tv_index tv_index; /* hash index of a large map (tmpl_value.c) */
struct tmpl_type;                 /* types.h */

struct tv {
	uint8_t kind;  /* tv_kind */
	uint8_t flags; /* TVF_* */
	uint32_t hash; /* with TVF_HASHED: tv_hash(u.s.ptr, u.s.len) */
	/* The Go type when it is not the one YAML decoding gives (types.h):
	 * NULL for plain YAML values. */
	const struct tmpl_type *type;
	union {
		bool b;
		int64_t i;  /* TV_INT, TV_UINT8 (0..255) */
		double f;
		struct {
			const char *ptr; /* NUL-terminated for convenience; len is authoritative */
			size_t len;
		} s;
		struct {
			const tv **items; /* elements are never NOVALUE: a null element is TV_NULL */
			size_t len;
		} list;
		struct {
			tv_pair *pairs; /* insertion (document) order */
			size_t len;
			tv_index *index; /* key hashes (and a hash table for large maps); NULL for 0-1 pairs */
		} map;
		struct {
			const tv *raw; /* the YAML map, or NOVALUE for the zero struct */
		} strct;
	} u;
};

/* Shared immutable singletons. */
extern const tv tv_null_value;
extern const tv tv_true_value;
extern const tv tv_false_value;
#define TV_NOVALUE ((const tv *)0)

/* Constructors: the result belongs to arena a. */
const tv *tv_bool(bool b);
const tv *tv_int(tmpl_arena *a, int64_t i);
const tv *tv_uint8(tmpl_arena *a, uint8_t u);
const tv *tv_float(tmpl_arena *a, double f);
/* Copies s[0..len). */
const tv *tv_string(tmpl_arena *a, const char *s, size_t len);
/* No copy: s must live as long as a (e.g. allocated from a). */
const tv *tv_string_ref(tmpl_arena *a, const char *s, size_t len);
/* As tv_string_ref, with the hash computed now (TVF_HASHED): for constants. */
const tv *tv_string_hashed(tmpl_arena *a, const char *s, size_t len);

/* A list of n elements; the caller fills items[0..n) before sharing it. */
tv *tv_list_new(tmpl_arena *a, size_t n);

/* Map building: new with room for cap pairs, add pairs, then seal.
 * tv_map_add does not check duplicates (loaders do: see tv_map_find_key).
 * Sealing builds the hash index for large maps and sets TVF_ANYKEYS. */
tv *tv_map_new(tmpl_arena *a, size_t cap);
void tv_map_add(tmpl_arena *a, tv *map, const tv *key, const tv *val);
void tv_map_seal(tmpl_arena *a, tv *map);

/* Go's m[key] = val and delete(m, key) on a sealed map, in place (see the
 * ownership rule): the pairs array a running range holds is never written
 * over (a changed value or a deletion gets a new array; a new key goes after
 * the pairs it holds), keys keep their insertion order, the index follows.
 * tv_map_del returns whether the key was there. Memory comes from arena a. */
void tv_map_put(tmpl_arena *a, tv *map, const tv *key, const tv *val);
bool tv_map_del(tmpl_arena *a, tv *map, const tv *key);

/* Hash of a string key; the parser precomputes it for field names. */
uint32_t tv_hash(const char *s, size_t len);

/* Look up a string key (a field name). Returns NULL (NOVALUE) when absent.
 * On a map[interface {}]interface {} only string keys match. */
const tv *tv_map_get(const tv *map, const char *key, size_t len);
const tv *tv_map_get_h(const tv *map, const char *key, size_t len, uint32_t hash);
/* Look up the string key k (its own hash when it carries one). */
const tv *tv_map_get_str(const tv *map, const tv *k);
/* Look up any key value by Go equality of interface values (int 1 != "1",
 * int 1 != float 1.0). Returns the pair index or -1. */
long tv_map_find_key(const tv *map, const tv *key);

/* Are the map's pairs already in Go's key order (tv_map_sorted would return them)? */
bool tv_map_in_key_order(const tv *map);
/* Pairs in Go's sorted key order (text/template's range and fmt's map
 * printing): strings bytewise, numbers numerically, false < true; mixed key
 * kinds by kind first. Returns a new array from arena a (or the pairs
 * themselves when already sorted). */
const tv_pair *tv_map_sorted(tmpl_arena *a, const tv *map);
/* Go's ordering of two keys of one map: <0, 0, >0. */
int tv_key_cmp(const tv *a, const tv *b);

/* Go's truth (text/template's isTrue): NOVALUE and TV_NULL are false. */
bool tv_truth(const tv *v);
/* Go equality of two interface values (deep for lists and maps is NOT Go:
 * this is used only for keys and basic kinds; lists/maps compare by identity). */
bool tv_equal(const tv *a, const tv *b);
/* Exactly the same value, as two readers of one text must give it: kind, flags,
 * scalars (bytes; floats bit for bit), map pairs in order (tests and fuzzers). */
bool tv_identical(const tv *x, const tv *y);

/* Go's %T name: "int", "float64", "string", "bool", "uint8", "[]interface {}",
 * "map[string]interface {}", "map[interface {}]interface {}"; "<nil>" for
 * NOVALUE and TV_NULL. */
const char *tv_type_name(const tv *v);

#endif
