/* mem_huge.c: asks the kernel for transparent huge pages behind a large buffer. */
#include "mem_huge.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

void mem_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	if (n < MEM_HUGE_MIN)
		return;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(page - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}
