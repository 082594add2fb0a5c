/* wh_linger.c: sockets closed while the client is still sending (a refused oversized body) are drained for a short while before their last close, so that the client reads our answer rather than a reset.
 *
 * TCP answers the close of a socket with unread input by a reset, which
 * can reach the client before it has read the 413 we sent; Go's net/http
 * and nginx ("lingering close") wait the same way. One thread reads and
 * discards for every lingering socket, each for at most WL_SECONDS and
 * WL_BYTES, then closes it.
 */
#include "wh.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#define WL_MAX 64                    /* sockets lingering at once; more are closed at once */
#define WL_SECONDS 2                 /* the longest a socket lingers */
#define WL_BYTES ((size_t)32 << 20)  /* the most drained from one socket */

static pthread_mutex_t wl_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t wl_thread;
static bool wl_running, wl_stop;
static int wl_wake[2] = {-1, -1}; /* a pipe: a new socket or the stop */
static struct {
	int fd;
	uint64_t deadline_ms;
	size_t drained;
} wl_socks[WL_MAX];
static int wl_n;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Read what a socket has; true when it is done (end, error or a limit). */
static bool drain(int i, uint64_t now)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(wl_socks[i].fd, buf, sizeof buf);
		if (n > 0) {
			wl_socks[i].drained += (size_t)n;
			if (wl_socks[i].drained > WL_BYTES)
				return true;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return now >= wl_socks[i].deadline_ms;
		if (n < 0 && errno == EINTR)
			continue;
		return true;
	}
}

static void *wl_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd pf[WL_MAX + 1];
		pthread_mutex_lock(&wl_lock);
		if (wl_stop) {
			for (int i = 0; i < wl_n; i++)
				close(wl_socks[i].fd);
			wl_n = 0;
			pthread_mutex_unlock(&wl_lock);
			return NULL;
		}
		int n = wl_n;
		for (int i = 0; i < n; i++)
			pf[i] = (struct pollfd){.fd = wl_socks[i].fd, .events = POLLIN};
		pthread_mutex_unlock(&wl_lock);
		pf[n] = (struct pollfd){.fd = wl_wake[0], .events = POLLIN};
		poll(pf, (nfds_t)n + 1, n ? 100 : -1);
		if (pf[n].revents) {
			char b[64];
			while (read(wl_wake[0], b, sizeof b) > 0)
				;
		}
		/* Only this thread moves or removes sockets, so the first n stay where they
		 * are while it reads without the lock (new ones are appended). */
		uint64_t now = now_ms();
		bool done[WL_MAX];
		for (int i = 0; i < n; i++)
			done[i] = drain(i, now);
		pthread_mutex_lock(&wl_lock);
		for (int i = n - 1; i >= 0; i--) {
			if (!done[i])
				continue;
			close(wl_socks[i].fd);
			wl_socks[i] = wl_socks[--wl_n];
		}
		pthread_mutex_unlock(&wl_lock);
	}
}

int wh_linger_start(void)
{
	if (pipe(wl_wake) != 0)
		return -1;
	fcntl(wl_wake[0], F_SETFL, O_NONBLOCK);
	fcntl(wl_wake[1], F_SETFL, O_NONBLOCK);
	if (pthread_create(&wl_thread, NULL, wl_main, NULL) != 0) {
		close(wl_wake[0]);
		close(wl_wake[1]);
		wl_wake[0] = wl_wake[1] = -1;
		return -1;
	}
	wl_running = true;
	return 0;
}

void wh_linger_add(int fd)
{
	int own = fd >= 0 ? dup(fd) : -1;
	if (own < 0)
		return;
	pthread_mutex_lock(&wl_lock);
	bool taken = wl_running && !wl_stop && wl_n < WL_MAX;
	if (taken) {
		fcntl(own, F_SETFL, fcntl(own, F_GETFL) | O_NONBLOCK);
		wl_socks[wl_n].fd = own;
		wl_socks[wl_n].deadline_ms = now_ms() + WL_SECONDS * 1000u;
		wl_socks[wl_n].drained = 0;
		wl_n++;
	}
	pthread_mutex_unlock(&wl_lock);
	if (!taken)
		close(own);
	else if (write(wl_wake[1], "", 1) < 0) {
		/* The pipe is full: the thread is awake already. */
	}
}

void wh_linger_stop(void)
{
	if (!wl_running)
		return;
	pthread_mutex_lock(&wl_lock);
	wl_stop = true;
	pthread_mutex_unlock(&wl_lock);
	if (write(wl_wake[1], "", 1) < 0) {
		/* The pipe is full: the thread is awake already. */
	}
	pthread_join(wl_thread, NULL);
	close(wl_wake[0]);
	close(wl_wake[1]);
	wl_wake[0] = wl_wake[1] = -1;
	wl_running = false;
}
