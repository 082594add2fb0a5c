/* arena.h: bump allocator; freeing the arena frees everything allocated from it. */
#ifndef TMPL_ARENA_H
#define TMPL_ARENA_H

#include <stddef.h>
#include <string.h>

typedef struct tmpl_arena tmpl_arena;

/* The layout is public only so that arena_alloc's fast path can be inline:
 * a render makes thousands of small objects, and a call plus a memset of
 * unknown size per object cost more than the object itself. */
typedef struct arena_block {
	struct arena_block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	_Alignas(16) unsigned char data[];
} arena_block;

struct tmpl_arena {
	arena_block *head; /* current block; older blocks follow */
	size_t total;      /* bytes handed out since creation or reset */
};

tmpl_arena *arena_new(void);
void arena_free(tmpl_arena *a);
/* Forget every allocation but keep the first block, for render loops. */
void arena_reset(tmpl_arena *a);
/* size bytes from a new block, not zero-filled (the inline paths' slow path). */
void *arena_alloc_slow(tmpl_arena *a, size_t size);
/* 16-byte aligned memory, not zero-filled, for what the caller writes whole at
 * once (a string's copy: filling it twice would touch every byte twice);
 * never returns NULL (aborts on OOM). */
inline void *arena_alloc_raw(tmpl_arena *a, size_t size)
{
	size_t need = (size + 15) & ~(size_t)15;
	arena_block *b = a->head;
	if (need < size || b->size - b->used < need)
		return arena_alloc_slow(a, size);
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}
/* 16-byte aligned, zero-filled memory; never returns NULL (aborts on OOM). */
inline void *arena_alloc(tmpl_arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);
	memset(p, 0, (size + 15) & ~(size_t)15); /* of a constant size where the caller's is one */
	return p;
}
/* A point to roll the arena back to: everything allocated after it can be
 * given back at once (a range iteration's values that nothing kept). */
typedef struct arena_mark {
	arena_block *head, *next; /* the head then, and the block after it */
	size_t used, total;
} arena_mark;
arena_mark arena_mark_now(const tmpl_arena *a);
/* Forget every allocation made since m (which must still be live: no reset
 * and no release to an earlier mark in between). The newest block is kept
 * for reuse, so a loop that marks and releases stops calling malloc. */
void arena_release(tmpl_arena *a, arena_mark m);
/* Copy of s[0..len) plus a terminating NUL. */
char *arena_strndup(tmpl_arena *a, const char *s, size_t len);
char *arena_strdup(tmpl_arena *a, const char *s);
/* Bytes handed out since creation or the last reset (for benchmarks). */
size_t arena_used(const tmpl_arena *a);

#endif
