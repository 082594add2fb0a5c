/* wh_memo.c: the answer memo: (request namespace, request.object bytes) to the answer given, bounded in bytes, oldest out first, owned by one configuration snapshot.
 *
 * The answer is a pure function of those bytes and the snapshot's
 * configuration (a reload makes a new snapshot with an empty memo; the
 * template language has no clock or random functions), so a hit
 * is exactly what decoding, injecting and encoding again would give. Keys are
 * compared in full, never by hash alone: a pod crafted to collide gets its
 * own answer.
 */
#include "wh.h"
#include "seen.h"
#include "tmpl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_BUCKETS 4096 /* a power of two */

typedef struct memo_entry {
	struct memo_entry *chain;        /* same bucket */
	struct memo_entry *newer, *older; /* insertion order */
	uint64_t hash;
	size_t size;
	wh_decision decision;
	bool has_ns;
	size_t ns_len, object_len, tail_len;
	const char *reason, *log_ns, *name; /* in data, NUL-terminated */
	char data[];                        /* ns, object, tail, reason, log_ns, name */
} memo_entry;

struct wh_memo {
	pthread_mutex_t lock;
	size_t max, bytes;
	memo_entry *newest, *oldest;
	memo_entry *buckets[MEMO_BUCKETS];
	tmpl_seen seen; /* keys answered once: the second answer is kept */
};

wh_memo *wh_memo_new(size_t max_bytes)
{
	wh_memo *m = calloc(1, sizeof *m);
	if (!m)
		tmpl_out_of_memory();
	pthread_mutex_init(&m->lock, NULL);
	m->max = max_bytes;
	return m;
}

void wh_memo_free(wh_memo *m)
{
	if (!m)
		return;
	for (memo_entry *e = m->newest, *next; e; e = next) {
		next = e->older;
		free(e);
	}
	pthread_mutex_destroy(&m->lock);
	free(m);
}

bool wh_memo_worth(wh_memo *m, uint64_t key)
{
	/* A pod seen once may never come back (every pod of a rollout different):
	 * keeping its answer would push out the answers replicas come back for. */
	return tmpl_seen_again(&m->seen, key);
}

uint64_t wh_memo_key(const wh_envelope *e)
{
	uint64_t h = inj_spec_cache_hash(e->object, e->object_len);
	if (e->ns)
		h ^= inj_spec_cache_hash(e->ns, e->ns_len) * 0x9E3779B97F4A7C15u + 1;
	return h;
}

static bool same_key(const memo_entry *x, uint64_t h, const wh_envelope *e)
{
	return x->hash == h && x->has_ns == (e->ns != NULL) && x->ns_len == e->ns_len &&
	       x->object_len == e->object_len &&
	       (x->ns_len == 0 || memcmp(x->data, e->ns, x->ns_len) == 0) &&
	       memcmp(x->data + x->ns_len, e->object, e->object_len) == 0;
}

/* The entry for e under the lock, or NULL. */
static memo_entry *find(wh_memo *m, uint64_t h, const wh_envelope *e)
{
	for (memo_entry *x = m->buckets[h & (MEMO_BUCKETS - 1)]; x; x = x->chain)
		if (same_key(x, h, e))
			return x;
	return NULL;
}

bool wh_memo_get(wh_memo *m, const wh_envelope *e, uint64_t h, wh_result *r)
{
	pthread_mutex_lock(&m->lock);
	memo_entry *x = find(m, h, e);
	if (x) {
		r->decision = x->decision;
		strcpy(r->reason, x->reason);
		strcpy(r->ns, x->log_ns);
		strcpy(r->name, x->name);
		sbuf_put(&r->body, x->data + x->ns_len + x->object_len, x->tail_len);
	}
	pthread_mutex_unlock(&m->lock);
	return x != NULL;
}

static void unlink_oldest(wh_memo *m)
{
	memo_entry *x = m->oldest;
	memo_entry **p = &m->buckets[x->hash & (MEMO_BUCKETS - 1)];
	while (*p != x)
		p = &(*p)->chain;
	*p = x->chain;
	m->oldest = x->newer;
	if (m->oldest)
		m->oldest->older = NULL;
	else
		m->newest = NULL;
	m->bytes -= x->size;
	free(x);
}

void wh_memo_put(wh_memo *m, const wh_envelope *e, uint64_t key, const wh_result *r)
{
	size_t tail_len = r->body.len - r->tail;
	size_t reason_len = strlen(r->reason), ns_len = strlen(r->ns), name_len = strlen(r->name);
	size_t size = sizeof(memo_entry) + e->ns_len + e->object_len + tail_len + reason_len +
		      ns_len + name_len + 3;
	/* One answer may take a sixteenth of the memo: a few huge pods do not flush it. */
	if (size > m->max / 16)
		return;
	memo_entry *x = malloc(size);
	if (!x)
		return;
	x->hash = key;
	x->size = size;
	x->decision = r->decision;
	x->has_ns = e->ns != NULL;
	x->ns_len = e->ns_len;
	x->object_len = e->object_len;
	x->tail_len = tail_len;
	char *p = x->data;
	memcpy(p, e->ns ? e->ns : "", e->ns_len);
	p += e->ns_len;
	memcpy(p, e->object, e->object_len);
	p += e->object_len;
	memcpy(p, r->body.buf + r->tail, tail_len);
	p += tail_len;
	x->reason = p;
	memcpy(p, r->reason, reason_len + 1);
	p += reason_len + 1;
	x->log_ns = p;
	memcpy(p, r->ns, ns_len + 1);
	p += ns_len + 1;
	x->name = p;
	memcpy(p, r->name, name_len + 1);

	pthread_mutex_lock(&m->lock);
	if (find(m, x->hash, e)) {
		/* Another thread answered the same pod meanwhile. */
		pthread_mutex_unlock(&m->lock);
		free(x);
		return;
	}
	while (m->oldest && m->bytes + size > m->max)
		unlink_oldest(m);
	memo_entry **b = &m->buckets[x->hash & (MEMO_BUCKETS - 1)];
	x->chain = *b;
	*b = x;
	x->older = m->newest;
	x->newer = NULL;
	if (m->newest)
		m->newest->newer = x;
	else
		m->oldest = x;
	m->newest = x;
	m->bytes += size;
	pthread_mutex_unlock(&m->lock);
}
