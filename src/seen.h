/* seen.h: a lossy set of recently seen 64-bit hashes, so that a cache admits an entry on its second sighting and a stream of keys that never repeat fills nothing. */
#ifndef TMPL_SEEN_H
#define TMPL_SEEN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* 4096 hashes, each with two places it may sit (32 KiB): a newer hash finding
 * both taken pushes an older one out, so a key must come back before a few
 * thousand others have passed (the replicas of one workload arrive together). */
#define TMPL_SEEN_SLOTS 4096

typedef struct tmpl_seen {
	_Atomic uint64_t slot[TMPL_SEEN_SLOTS];
} tmpl_seen;

/* Zero s (a static or calloc'd one is already empty). */
void tmpl_seen_init(tmpl_seen *s);
/* Whether h was recorded since it was last pushed out; records it when not.
 * Thread-safe without a lock: a race loses at most one admission or gives
 * an early one, which a cache that compares whole keys can afford. */
bool tmpl_seen_again(tmpl_seen *s, uint64_t h);

#endif
