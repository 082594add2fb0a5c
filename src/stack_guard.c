/* stack_guard.c: this thread's stack bounds, read once per thread with pthread_getattr_np, and the test of how much is left. */
#include "stack_guard.h"

#include <pthread.h>
#include <stdint.h>

#define STACK_GUARD_MIN (32u * 1024u)
#define STACK_GUARD_MAX (256u * 1024u)

static _Thread_local char *sg_lo;        /* lowest address of the stack; NULL: unknown */
static _Thread_local size_t sg_reserve;
static _Thread_local bool sg_known;

static void sg_learn(void)
{
	pthread_attr_t attr;
	sg_known = true;
	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return;
	void *addr;
	size_t size;
	if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
		sg_lo = addr;
		size_t r = size / 8;
		sg_reserve = r < STACK_GUARD_MIN ? STACK_GUARD_MIN : r > STACK_GUARD_MAX ? STACK_GUARD_MAX : r;
	}
	pthread_attr_destroy(&attr);
}

size_t stack_guard_left(void)
{
	if (!sg_known)
		sg_learn();
	char *here = __builtin_frame_address(0);
	if (!sg_lo || here <= sg_lo)
		return sg_lo ? 0 : SIZE_MAX;
	return (size_t)(here - sg_lo);
}

bool stack_guard_low(void)
{
	size_t left = stack_guard_left();
	return left != SIZE_MAX && left < sg_reserve;
}
