/* arena.c: bump allocator in growing blocks; one free releases everything. */
#include "arena.h"
#include "error.h"
#include "mem_huge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_MIN_BLOCK 8192

static void *arena_xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		tmpl_out_of_memory();
	return p;
}

static arena_block *arena_block_new(size_t size)
{
	arena_block *b = arena_xmalloc(sizeof(*b) + size);
	mem_huge(b, sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

tmpl_arena *arena_new(void)
{
	tmpl_arena *a = arena_xmalloc(sizeof(*a));
	a->head = arena_block_new(ARENA_MIN_BLOCK);
	a->total = 0;
	return a;
}

void arena_free(tmpl_arena *a)
{
	if (!a)
		return;
	arena_block *b = a->head;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void arena_reset(tmpl_arena *a)
{
	/* Keep the largest block (the head after growth) so a render loop stops allocating. */
	arena_block *keep = a->head, *b = keep->next;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	keep->next = NULL;
	keep->used = 0;
	a->total = 0;
}

arena_mark arena_mark_now(const tmpl_arena *a)
{
	return (arena_mark){a->head, a->head->next, a->head->used, a->total};
}

void arena_release(tmpl_arena *a, arena_mark m)
{
	if (a->head == m.head && m.head->next == m.next) {
		m.head->used = m.used; /* the common case: nothing but bump allocations */
		a->total = m.total;
		return;
	}
	/* Newer heads sit in front of m.head, each with the big blocks made while it
	 * was the head behind it; the big blocks made under m.head follow it. The
	 * current head (the largest block) is kept, empty, in front of m.head. */
	arena_block *keep = a->head != m.head ? a->head : NULL;
	arena_block *b = keep ? keep->next : NULL;
	while (b && b != m.head) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	for (b = m.head->next; b && b != m.next;) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	m.head->next = m.next;
	m.head->used = m.used;
	if (keep) {
		keep->used = 0;
		keep->next = m.head;
		a->head = keep;
	}
	a->total = m.total;
}

extern inline void *arena_alloc(tmpl_arena *a, size_t size);
extern inline void *arena_alloc_raw(tmpl_arena *a, size_t size);

/* The head's room is short: size bytes from a new block, not zeroed. */
void *arena_alloc_slow(tmpl_arena *a, size_t size)
{
	size_t need = (size + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < size)
		tmpl_out_of_memory();
	arena_block *b = a->head;
	if (b->size - b->used < need) {
		size_t bsize = b->size * 2;
		if (bsize < need)
			bsize = need;
		if (need > ARENA_MIN_BLOCK * 16) {
			/* A big object gets a block of its own behind the head, so the
			 * head's free space is not wasted. */
			arena_block *big = arena_block_new(need);
			big->next = b->next;
			b->next = big;
			big->used = need;
			a->total += need;
			return big->data;
		}
		arena_block *nb = arena_block_new(bsize);
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

char *arena_strndup(tmpl_arena *a, const char *s, size_t len)
{
	char *p = arena_alloc_raw(a, len + 1);
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(tmpl_arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

size_t arena_used(const tmpl_arena *a)
{
	return a->total;
}
