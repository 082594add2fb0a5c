/* mem_huge.h: asks the kernel for transparent huge pages behind a large buffer. */
#ifndef TMPL_MEM_HUGE_H
#define TMPL_MEM_HUGE_H

#include <stddef.h>

/* Buffers from this size on are worth it: a manifest of tens of MB otherwise
 * spends a quarter of its time in page faults, one per 4 KiB touched. */
#define MEM_HUGE_MIN ((size_t)4 << 20)

/* Advise huge pages for the whole pages inside [p, p + n) when n is at least
 * MEM_HUGE_MIN; a hint only (where the kernel has THP in "madvise" mode), so
 * failure changes nothing. */
void mem_huge(void *p, size_t n);

#endif
