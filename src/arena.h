/* arena.h: bump allocator; freeing the arena frees everything allocated from it. */
#ifndef TMPL_ARENA_H
#define TMPL_ARENA_H

#include <stddef.h>

typedef struct tmpl_arena tmpl_arena;

tmpl_arena *arena_new(void);
void arena_free(tmpl_arena *a);
/* Forget every allocation but keep the first block, for render loops. */
void arena_reset(tmpl_arena *a);
/* 16-byte aligned, zero-filled memory; never returns NULL (aborts on OOM). */
void *arena_alloc(tmpl_arena *a, size_t size);
/* Copy of s[0..len) plus a terminating NUL. */
char *arena_strndup(tmpl_arena *a, const char *s, size_t len);
char *arena_strdup(tmpl_arena *a, const char *s);
/* Bytes handed out since creation or the last reset (for benchmarks). */
size_t arena_used(const tmpl_arena *a);

#endif
