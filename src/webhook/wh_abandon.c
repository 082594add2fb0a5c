/* wh_abandon.c: the cancel test of a review's render: the server is stopping past its drain time, the answer's deadline has passed, or the client has hung up.
 *
 * libmicrohttpd calls the handler synchronously on the connection's own
 * thread, so nothing of its own can tell us mid-render that the client left
 * (the completion callback runs only after the handler returns). The socket
 * itself can: a peer that closed its side has it readable-at-end (POLLRDHUP)
 * or in error. Asking takes one poll() with no wait, done at most every
 * WH_ABANDON_POLL_US. A client that half-closes after sending its request
 * (no HTTP client the API server uses does) would be taken as gone.
 */
#include "wh.h"

#include <poll.h>
#include <time.h>

#define WH_ABANDON_POLL_US 20000u

static atomic_bool abandon_all;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void wh_abandon_init(wh_abandon *w, int fd, uint64_t deadline_us)
{
	w->fd = fd;
	w->deadline_us = deadline_us;
	w->next_poll_us = 0;
	w->gone = false;
}

bool wh_abandon_test(void *arg)
{
	wh_abandon *w = arg;
	if (w->gone)
		return true;
	if (atomic_load_explicit(&abandon_all, memory_order_relaxed))
		return w->gone = true;
	uint64_t now = now_us();
	if (w->deadline_us && now >= w->deadline_us)
		return w->gone = true;
	if (w->fd < 0 || now < w->next_poll_us)
		return false;
	w->next_poll_us = now + WH_ABANDON_POLL_US;
	struct pollfd pf = {.fd = w->fd, .events = POLLRDHUP};
	if (poll(&pf, 1, 0) == 1 && (pf.revents & (POLLRDHUP | POLLHUP | POLLERR)))
		return w->gone = true;
	return false;
}

void wh_abandon_all(void)
{
	atomic_store(&abandon_all, true);
}
