/* wh_deadline.c: every connection's deadline for its current phase (TLS handshake, request headers, whole request, idle keep-alive) and one thread that closes the connections past theirs.
 *
 * libmicrohttpd's own timeout restarts at every byte received, so a client
 * that drips a byte now and then holds its connection for ever. Here each
 * phase has a fixed end, set when the phase begins; a connection past it is
 * shut down (shutdown(2), both ways): libmicrohttpd then reads the end of
 * the stream in its own thread and closes and frees the connection as for
 * any client that left. The thread sleeps until the earliest deadline (or
 * the shortest timeout, which no new deadline can come before), so waiting
 * connections cost no CPU.
 */
#include "wh.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

/* A watch's state: its deadline in milliseconds and its phase in the low bits. */
#define WD_PHASE_BITS 3
#define WD_PHASE(s) ((unsigned)((s) & ((1u << WD_PHASE_BITS) - 1)))
#define WD_WHEN(s) ((s) >> WD_PHASE_BITS)
#define WD_STATE(when, phase) (((when) << WD_PHASE_BITS) | (uint64_t)(phase))
#define WD_NEVER (UINT64_MAX >> WD_PHASE_BITS)
/* The phase of a connection already shut down for its deadline. */
#define WD_CLOSED 7u

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_wake;
static pthread_t wd_thread;
static bool wd_running, wd_stop;
static wh_watch *wd_head; /* every open connection */
static uint64_t wd_limit_ms[WH_PHASE_COUNT]; /* 0: the phase has no deadline */
static uint64_t wd_shortest_ms;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void wh_deadline_init(const wh_opts *o)
{
	wd_limit_ms[WH_PHASE_HANDSHAKE] = (uint64_t)o->handshake_s * 1000u;
	wd_limit_ms[WH_PHASE_HEADERS] = (uint64_t)o->header_s * 1000u;
	wd_limit_ms[WH_PHASE_BODY] = (uint64_t)o->request_s * 1000u;
	wd_limit_ms[WH_PHASE_IDLE] = (uint64_t)o->idle_s * 1000u;
	wd_limit_ms[WH_PHASE_ANSWER] = 0;
	wd_shortest_ms = 0;
	for (int p = 0; p < WH_PHASE_COUNT; p++)
		if (wd_limit_ms[p] && (!wd_shortest_ms || wd_limit_ms[p] < wd_shortest_ms))
			wd_shortest_ms = wd_limit_ms[p];
}

/* Move w to phase p with deadline when, unless it was shut down already. */
static void wd_set(wh_watch *w, wh_phase p, uint64_t when)
{
	uint64_t old = atomic_load_explicit(&w->state, memory_order_relaxed);
	do {
		if (WD_PHASE(old) == WD_CLOSED)
			return;
	} while (!atomic_compare_exchange_weak_explicit(&w->state, &old, WD_STATE(when, p),
							 memory_order_release, memory_order_relaxed));
}

void wh_watch_phase(wh_watch *w, wh_phase p)
{
	uint64_t now = now_ms();
	wh_phase cur = WD_PHASE(atomic_load_explicit(&w->state, memory_order_relaxed));
	uint64_t when;
	switch (p) {
	case WH_PHASE_HEADERS:
		w->start_ms = now;
		when = now + wd_limit_ms[p];
		break;
	case WH_PHASE_BODY:
		/* A request read from bytes already buffered never had a headers phase. */
		if (cur != WH_PHASE_HEADERS)
			w->start_ms = now;
		when = w->start_ms + wd_limit_ms[p];
		break;
	default:
		when = now + wd_limit_ms[p];
		break;
	}
	wd_set(w, p, wd_limit_ms[p] ? when : WD_NEVER);
}

void wh_watch_bytes(wh_watch *w)
{
	if (WD_PHASE(atomic_load_explicit(&w->state, memory_order_relaxed)) == WH_PHASE_IDLE)
		wh_watch_phase(w, WH_PHASE_HEADERS);
}

wh_phase wh_watch_current(const wh_watch *w)
{
	unsigned p = WD_PHASE(atomic_load_explicit(&w->state, memory_order_relaxed));
	return p < WH_PHASE_COUNT ? (wh_phase)p : WH_PHASE_ANSWER;
}

void wh_watch_add(wh_watch *w, int fd)
{
	w->fd = fd;
	w->start_ms = now_ms();
	uint64_t lim = wd_limit_ms[WH_PHASE_HANDSHAKE];
	atomic_init(&w->state, WD_STATE(lim ? w->start_ms + lim : WD_NEVER, WH_PHASE_HANDSHAKE));
	pthread_mutex_lock(&wd_lock);
	w->prev = NULL;
	w->next = wd_head;
	if (wd_head)
		wd_head->prev = w;
	wd_head = w;
	pthread_mutex_unlock(&wd_lock);
	wh_metrics_connections(1);
}

void wh_watch_remove(wh_watch *w)
{
	/* Under the lock, so the thread never shuts down an fd number that
	 * libmicrohttpd has closed (and may have reused). */
	pthread_mutex_lock(&wd_lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		wd_head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->prev = w->next = NULL;
	pthread_mutex_unlock(&wd_lock);
	wh_metrics_connections(-1);
}

static void *wd_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&wd_lock);
	while (!wd_stop) {
		uint64_t now = now_ms();
		/* No deadline set from now on can fall before now + the shortest timeout. */
		uint64_t next = wd_shortest_ms ? now + wd_shortest_ms : WD_NEVER;
		for (wh_watch *w = wd_head; w; w = w->next) {
			uint64_t s = atomic_load_explicit(&w->state, memory_order_acquire);
			unsigned p = WD_PHASE(s);
			if (p == WD_CLOSED || WD_WHEN(s) == WD_NEVER)
				continue;
			if (WD_WHEN(s) > now) {
				if (WD_WHEN(s) < next)
					next = WD_WHEN(s);
				continue;
			}
			/* The worker may be moving it on right now: only the state seen wins. */
			if (atomic_compare_exchange_strong(&w->state, &s, WD_STATE(0, WD_CLOSED))) {
				shutdown(w->fd, SHUT_RDWR);
				wh_metrics_timed_out((wh_phase)p);
			}
		}
		if (next == WD_NEVER) {
			pthread_cond_wait(&wd_wake, &wd_lock);
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t wait = next - now;
		ts.tv_sec += (time_t)(wait / 1000u);
		ts.tv_nsec += (long)(wait % 1000u) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&wd_wake, &wd_lock, &ts);
	}
	pthread_mutex_unlock(&wd_lock);
	return NULL;
}

int wh_deadline_start(void)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wd_wake, &ca);
	pthread_condattr_destroy(&ca);
	wd_stop = false;
	if (pthread_create(&wd_thread, NULL, wd_main, NULL) != 0)
		return -1;
	wd_running = true;
	return 0;
}

void wh_deadline_stop(void)
{
	if (!wd_running)
		return;
	pthread_mutex_lock(&wd_lock);
	wd_stop = true;
	pthread_cond_signal(&wd_wake);
	pthread_mutex_unlock(&wd_lock);
	pthread_join(wd_thread, NULL);
	pthread_cond_destroy(&wd_wake);
	wd_running = false;
}
