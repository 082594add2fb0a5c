/* spec_cache.c: a bounded memo from rendered template text to the SidecarInjectionSpec read from it, shared by every thread rendering with one config.
 *
 * Reading the rendered YAML back (libyaml, then Go's decode rules) costs
 * several times the render itself, and the replicas of one workload render
 * the same text. The spec is a pure function of that text (and of the
 * config, which owns the cache), so a hit is exactly what a fresh read would
 * give. A text is kept the second time it is read (tmpl_seen), so that texts
 * that never repeat fill nothing. Entries are never evicted: requests keep using a spec without any
 * reference count, and the cache dies with its config. A reader reserves a
 * place before reading into a fresh arena that the cache then owns; once
 * full, callers read into their own arena as before.
 */
#include "inject.h"
#include "seen.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SC_MAX_ENTRIES 256                /* a power of two */
#define SC_SLOTS (2 * SC_MAX_ENTRIES)     /* open addressing, half full at most */
#define SC_MAX_BYTES ((size_t)4 << 20)    /* arena bytes of every entry together */

typedef struct sc_entry {
	uint64_t hash;
	const char *text; /* the rendered text (in arena) */
	size_t len;
	inj_spec spec;    /* its values live in arena */
	tmpl_arena *arena;
} sc_entry;

struct inj_spec_cache {
	pthread_mutex_t lock;
	size_t n, reserved, bytes; /* reserved: places promised to readers in progress */
	sc_entry *slots[SC_SLOTS];
	sc_entry entries[SC_MAX_ENTRIES];
	tmpl_seen seen; /* texts read once: the second reading is kept */
};

uint64_t inj_spec_cache_hash(const char *text, size_t len)
{
	/* Eight bytes a step (the text is a few kilobytes): multiply and fold.
	 * Not for hostile input, but a collision only costs a memcmp. */
	uint64_t h = 0x9E3779B97F4A7C15u ^ len, w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, text + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDu;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, text + i, len - i);
	h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
	return h ^ (h >> 29);
}

inj_spec_cache *inj_spec_cache_new(void)
{
	inj_spec_cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

void inj_spec_cache_free(inj_spec_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		arena_free(c->entries[i].arena);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* The slot holding text, or the empty slot where it belongs; under the lock. */
static sc_entry **sc_slot(inj_spec_cache *c, uint64_t h, const char *text, size_t len)
{
	for (size_t s = (size_t)h & (SC_SLOTS - 1);; s = (s + 1) & (SC_SLOTS - 1)) {
		sc_entry *e = c->slots[s];
		if (!e || (e->hash == h && e->len == len && memcmp(e->text, text, len) == 0))
			return &c->slots[s];
	}
}

bool inj_spec_cache_get(inj_spec_cache *c, uint64_t h, const char *text, size_t len,
			inj_spec *out)
{
	pthread_mutex_lock(&c->lock);
	sc_entry *e = *sc_slot(c, h, text, len);
	if (e)
		*out = e->spec;
	pthread_mutex_unlock(&c->lock);
	return e != NULL;
}

bool inj_spec_cache_reserve(inj_spec_cache *c, uint64_t h)
{
	/* A text seen once may never come back (every pod of a rollout different):
	 * keeping it would fill the cache with texts nobody asks for again. */
	if (!tmpl_seen_again(&c->seen, h))
		return false;
	pthread_mutex_lock(&c->lock);
	bool ok = c->n + c->reserved < SC_MAX_ENTRIES && c->bytes < SC_MAX_BYTES;
	if (ok)
		c->reserved++;
	pthread_mutex_unlock(&c->lock);
	return ok;
}

void inj_spec_cache_unreserve(inj_spec_cache *c)
{
	pthread_mutex_lock(&c->lock);
	c->reserved--;
	pthread_mutex_unlock(&c->lock);
}

void inj_spec_cache_put(inj_spec_cache *c, uint64_t h, const char *text, size_t len,
			tmpl_arena *a, inj_spec *spec)
{
	pthread_mutex_lock(&c->lock);
	c->reserved--;
	sc_entry **slot = sc_slot(c, h, text, len);
	if (*slot) {
		/* Another thread read the same text first: use its spec, drop ours. */
		*spec = (*slot)->spec;
		pthread_mutex_unlock(&c->lock);
		arena_free(a);
		return;
	}
	sc_entry *e = &c->entries[c->n++]; /* the reservation kept a place */
	e->hash = h;
	e->text = arena_strndup(a, text, len);
	e->len = len;
	e->spec = *spec;
	e->arena = a;
	c->bytes += arena_used(a);
	*slot = e;
	pthread_mutex_unlock(&c->lock);
}
