/* wh_metrics.c: the webhook's counters and latency histogram, written in Prometheus' text format. */
#include "wh.h"

#include <stdatomic.h>

/* Histogram bounds in microseconds (written in seconds). */
static const uint64_t bounds_us[] = {100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
				     100000, 250000, 500000, 1000000, 2500000, 5000000};
#define NBOUNDS (sizeof bounds_us / sizeof bounds_us[0])

static atomic_ulong requests, injected, skipped, reloads, reload_errors, memo_hits, memo_misses;
static atomic_ulong failures[WH_FAIL_COUNT];
static atomic_ulong buckets[NBOUNDS + 1];
static atomic_ulong sum_us;
static atomic_long inflight, connections;
static atomic_ulong timed_out[WH_PHASE_COUNT], refused;

/* The phases with a deadline, as the label of the timeouts counter. */
static const char *const phase_names[WH_PHASE_COUNT] = {
	[WH_PHASE_HANDSHAKE] = "handshake",
	[WH_PHASE_HEADERS] = "headers",
	[WH_PHASE_BODY] = "request",
	[WH_PHASE_IDLE] = "idle",
};

static const char *const fail_names[WH_FAIL_COUNT] = {
	[WH_FAIL_EMPTY] = "empty_body",
	[WH_FAIL_CONTENT_TYPE] = "content_type",
	[WH_FAIL_TOO_LARGE] = "body_too_large",
	[WH_FAIL_DECODE] = "decode",
	[WH_FAIL_INJECT] = "injection",
	[WH_FAIL_NOT_READY] = "not_ready",
	[WH_FAIL_RENDER_LIMIT] = "render_limit",
	[WH_FAIL_ABANDONED] = "abandoned",
};

void wh_metrics_request(uint64_t us)
{
	atomic_fetch_add_explicit(&requests, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_us, us, memory_order_relaxed);
	size_t i = 0;
	while (i < NBOUNDS && us > bounds_us[i])
		i++;
	atomic_fetch_add_explicit(&buckets[i], 1, memory_order_relaxed);
}

void wh_metrics_injected(void)
{
	atomic_fetch_add_explicit(&injected, 1, memory_order_relaxed);
}

void wh_metrics_skipped(void)
{
	atomic_fetch_add_explicit(&skipped, 1, memory_order_relaxed);
}

void wh_metrics_failed(wh_fail why)
{
	if (why < WH_FAIL_COUNT)
		atomic_fetch_add_explicit(&failures[why], 1, memory_order_relaxed);
}

void wh_metrics_reload(bool ok)
{
	atomic_fetch_add_explicit(ok ? &reloads : &reload_errors, 1, memory_order_relaxed);
}

void wh_metrics_memo(bool hit)
{
	atomic_fetch_add_explicit(hit ? &memo_hits : &memo_misses, 1, memory_order_relaxed);
}

void wh_metrics_inflight(int delta)
{
	atomic_fetch_add_explicit(&inflight, delta, memory_order_relaxed);
}

void wh_metrics_timed_out(wh_phase p)
{
	if (p < WH_PHASE_COUNT)
		atomic_fetch_add_explicit(&timed_out[p], 1, memory_order_relaxed);
}

void wh_metrics_connections(int delta)
{
	atomic_fetch_add_explicit(&connections, delta, memory_order_relaxed);
}

void wh_metrics_refused(void)
{
	atomic_fetch_add_explicit(&refused, 1, memory_order_relaxed);
}

static unsigned long get(atomic_ulong *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

static void counter(sbuf *out, const char *name, const char *help, unsigned long v)
{
	sbuf_printf(out, "# HELP %s %s\n# TYPE %s counter\n%s %lu\n", name, help, name, name, v);
}

void wh_metrics_write(sbuf *out)
{
	counter(out, "sidecar_injection_requests_total", "Total number of injection requests.",
		get(&requests));
	counter(out, "sidecar_injection_success_total", "Total number of successful injections.",
		get(&injected));
	counter(out, "sidecar_injection_skip_total", "Total number of skipped injections.",
		get(&skipped));
	sbuf_puts(out, "# HELP sidecar_injection_failure_total Total number of failed injection "
		       "requests, by reason.\n# TYPE sidecar_injection_failure_total counter\n");
	for (int i = 0; i < WH_FAIL_COUNT; i++)
		sbuf_printf(out, "sidecar_injection_failure_total{reason=\"%s\"} %lu\n",
			    fail_names[i], get(&failures[i]));
	sbuf_puts(out, "# HELP sidecar_injection_time_seconds Time taken to answer an injection "
		       "request.\n# TYPE sidecar_injection_time_seconds histogram\n");
	unsigned long cum = 0;
	for (size_t i = 0; i < NBOUNDS; i++) {
		cum += get(&buckets[i]);
		sbuf_printf(out, "sidecar_injection_time_seconds_bucket{le=\"%g\"} %lu\n",
			    (double)bounds_us[i] / 1e6, cum);
	}
	cum += get(&buckets[NBOUNDS]);
	sbuf_printf(out, "sidecar_injection_time_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
	sbuf_printf(out, "sidecar_injection_time_seconds_sum %.6f\n", (double)get(&sum_us) / 1e6);
	sbuf_printf(out, "sidecar_injection_time_seconds_count %lu\n", cum);
	sbuf_printf(out, "# HELP sidecar_injection_requests_in_flight Injection requests being "
		    "received or answered.\n# TYPE sidecar_injection_requests_in_flight gauge\n"
		    "sidecar_injection_requests_in_flight %ld\n",
		    atomic_load_explicit(&inflight, memory_order_relaxed));
	counter(out, "sidecar_injector_answer_cache_hits_total",
		"Total number of answers taken from the answer cache.", get(&memo_hits));
	counter(out, "sidecar_injector_answer_cache_misses_total",
		"Total number of answers computed and added to the answer cache.", get(&memo_misses));
	counter(out, "sidecar_injector_reloads_total",
		"Total number of successful configuration and certificate reloads.", get(&reloads));
	counter(out, "sidecar_injector_reload_errors_total",
		"Total number of failed reloads (the previous state was kept).",
		get(&reload_errors));
	sbuf_printf(out, "# HELP sidecar_injector_connections Connections open.\n"
		    "# TYPE sidecar_injector_connections gauge\nsidecar_injector_connections %ld\n",
		    atomic_load_explicit(&connections, memory_order_relaxed));
	sbuf_puts(out, "# HELP sidecar_injector_connection_timeouts_total Total number of "
		       "connections closed at the deadline of a phase.\n"
		       "# TYPE sidecar_injector_connection_timeouts_total counter\n");
	for (int i = 0; i < WH_PHASE_COUNT; i++)
		if (phase_names[i])
			sbuf_printf(out, "sidecar_injector_connection_timeouts_total{phase=\"%s\"} %lu\n",
				    phase_names[i], get(&timed_out[i]));
	counter(out, "sidecar_injector_connections_refused_total",
		"Total number of connections closed at once at a connection limit.", get(&refused));
}
