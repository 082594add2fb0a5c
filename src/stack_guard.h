/* stack_guard.h: whether the calling thread's C stack is nearly used up, so that code recursing over data of any depth (printing, writing JSON) stops with an error instead of overflowing the stack. */
#ifndef TMPL_STACK_GUARD_H
#define TMPL_STACK_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of this thread's stack below the caller's frame, or SIZE_MAX when
 * the thread's stack cannot be learned. The bounds are read once per thread. */
size_t stack_guard_left(void);

/* True when what is left is below the reserve that error reporting and the
 * callers above still need: an eighth of the thread's stack, at least
 * 32 KiB and at most 256 KiB. A recursion that checks this at each level
 * of the data ends cleanly on any thread, however deep the data. */
bool stack_guard_low(void);

#endif
