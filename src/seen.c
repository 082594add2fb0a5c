/* seen.c: a lossy set of recently seen 64-bit hashes (seen.h), the doorkeeper in front of the webhook's answer memo and Istio 1.1's spec memo. */
#include "seen.h"

void tmpl_seen_init(tmpl_seen *s)
{
	for (int i = 0; i < TMPL_SEEN_SLOTS; i++)
		atomic_store_explicit(&s->slot[i], 0, memory_order_relaxed);
}

bool tmpl_seen_again(tmpl_seen *s, uint64_t h)
{
	/* 0 marks an empty slot: hash 0 is kept as 1 (a collision costs nothing) */
	h = h ? h : 1;
	/* two places, from the low and the high bits */
	_Atomic uint64_t *p = &s->slot[h % TMPL_SEEN_SLOTS];
	_Atomic uint64_t *q = &s->slot[(h >> 32) % TMPL_SEEN_SLOTS];
	uint64_t a = atomic_load_explicit(p, memory_order_relaxed);
	uint64_t b = atomic_load_explicit(q, memory_order_relaxed);
	if (a == h || b == h)
		return true;
	/* an empty place first; else the hash's bits pick which one it pushes out */
	atomic_store_explicit(!a ? p : !b ? q : (h >> 16 & 1) ? q : p, h, memory_order_relaxed);
	return false;
}
