/* wh_server.c: the HTTPS server (libmicrohttpd over GnuTLS): /inject, /healthz, /readyz and /metrics, request and connection limits, and a graceful stop on SIGTERM. */
#include "wh.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gotime.h"
#include "wh_tls.h"
#include "tmpl.h"

/* TLS 1.2 and 1.3 only. */
#define WH_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

enum route { R_INJECT, R_HEALTHZ, R_READYZ, R_METRICS, R_NOTFOUND };

/* Per-request state, from the first call of the handler to the completion callback. */
typedef struct wh_req {
	enum route route;
	bool too_large; /* body passed WH_MAX_BODY: the rest is discarded */
	bool head;      /* a HEAD request: the answer goes without its body */
	size_t discarded; /* bytes dropped after too_large */
	sbuf body;
	uint64_t t0;
	char *path;     /* an /inject request's URL path (the newest Istio's proxy envs) */
} wh_req;

static atomic_int inflight;
static atomic_bool stopping;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type,
				char *buf, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (strncmp(type, "text/plain", 10) == 0)
		MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (atomic_load(&stopping))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* A plain-text answer as Go's http.Error writes it (text and a newline). */
static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	size_t n = strlen(text);
	char *buf = malloc(n + 2);
	if (!buf)
		tmpl_out_of_memory();
	memcpy(buf, text, n);
	buf[n] = '\n';
	return send_buf(c, status, "text/plain; charset=utf-8", buf, n + 1);
}

/* Log and count one /inject request that ended before admission. */
static void refused(wh_req *q, wh_fail why, const char *reason)
{
	uint64_t us = now_us() - q->t0;
	wh_metrics_request(us);
	wh_metrics_failed(why);
	wh_log_request("", "", "", "error", reason, us);
}

/* Each server thread keeps one arena from request to request: allocating and freeing
 * a few blocks per request made the allocator hand pages back to the kernel (madvise)
 * and fault them in again on every request. */
static pthread_key_t arena_key;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

/* An arena that outgrew this (a very large pod) is freed rather than kept. */
#define WH_ARENA_KEEP ((size_t)1 << 20)

static void arena_key_free(void *a)
{
	arena_free(a);
}

static void arena_key_init(void)
{
	if (pthread_key_create(&arena_key, arena_key_free) != 0)
		tmpl_out_of_memory();
}

static tmpl_arena *thread_arena(void)
{
	pthread_once(&arena_once, arena_key_init);
	tmpl_arena *a = pthread_getspecific(arena_key);
	if (!a) {
		a = arena_new();
		pthread_setspecific(arena_key, a);
	}
	return a;
}

static void release_arena(tmpl_arena *a)
{
	if (arena_used(a) > WH_ARENA_KEEP) {
		arena_free(a);
		pthread_setspecific(arena_key, NULL);
	} else {
		arena_reset(a);
	}
}

/* The deadline the API server gives an answer: the `timeout` parameter it adds to the
 * URL (a Go duration, the webhook's timeoutSeconds; Kubernetes 1.14 and later), from
 * the request's arrival; 0 when it sends none. */
static uint64_t client_deadline(struct MHD_Connection *c, const wh_req *q)
{
	const char *t = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "timeout");
	int64_t ns;
	if (!t || gotime_parse_duration(t, strlen(t), &ns, NULL) != 0 || ns <= 0)
		return 0;
	return q->t0 + (uint64_t)ns / 1000u;
}

/* This review's render bounds: the configured ones, and a cancel test that watches the
 * client's socket and deadline (both live on the handler's stack for the render). */
static void request_limits(struct MHD_Connection *c, const wh_req *q, const wh_opts *o,
			   wh_abandon *ab, tmpl_exec_opts *lim)
{
	const union MHD_ConnectionInfo *fi =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	wh_abandon_init(ab, fi ? fi->connect_fd : -1, client_deadline(c, q));
	*lim = o->limits;
	lim->cancelled = wh_abandon_test;
	lim->cancel_arg = ab;
}

static const wh_fail limit_fail[] = {
	[WH_LIMIT_NONE] = WH_FAIL_INJECT,
	[WH_LIMIT_RENDER] = WH_FAIL_RENDER_LIMIT,
	[WH_LIMIT_ABANDONED] = WH_FAIL_ABANDONED,
};

static enum MHD_Result answer_inject(struct MHD_Connection *c, wh_req *q, const wh_opts *o)
{
	if (q->too_large) {
		refused(q, WH_FAIL_TOO_LARGE, "request body too large");
		/* The client may still be sending what we will not read. */
		wh_tls_linger(c);
		return send_text(c, MHD_HTTP_CONTENT_TOO_LARGE, "request entity is too large");
	}
	if (q->body.len == 0) {
		refused(q, WH_FAIL_EMPTY, "no body found");
		return send_text(c, MHD_HTTP_BAD_REQUEST, "no body found");
	}
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || strcmp(ct, "application/json") != 0) {
		refused(q, WH_FAIL_CONTENT_TYPE, "invalid Content-Type");
		return send_text(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
				 "invalid Content-Type, want `application/json`");
	}
	wh_snap *s = wh_snap_get();
	if (!s) {
		refused(q, WH_FAIL_NOT_READY, "configuration not loaded");
		return send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "injection configuration not loaded");
	}
	/* Istio 1.1 serves /inject alone; the newest also /inject/KEY/VALUE... */
	if (!s->cfg.newest && strcmp(q->path, "/inject") != 0) {
		wh_snap_put(s);
		return send_text(c, MHD_HTTP_NOT_FOUND, "404 page not found");
	}
	tmpl_arena *arena = thread_arena();
	wh_result r = {.body = SBUF_INIT};
	wh_abandon ab;
	tmpl_exec_opts lim;
	request_limits(c, q, o, &ab, &lim);
	wh_admit(s, arena, q->body.buf, q->body.len, q->path, &lim, &r);
	release_arena(arena);
	wh_snap_put(s);
	sbuf_free(&q->body);

	static const char *const names[] = {"inject", "skip", "deny", "invalid"};
	uint64_t us = now_us() - q->t0;
	wh_metrics_request(us);
	if (r.decision == WH_INJECT)
		wh_metrics_injected();
	else if (r.decision == WH_SKIP)
		wh_metrics_skipped();
	else
		wh_metrics_failed(r.decision == WH_DENY ? limit_fail[r.limit] : WH_FAIL_DECODE);
	if (r.limit != WH_LIMIT_NONE) {
		/* The operator's to see: the reason names the bound before the message. */
		char reason[sizeof r.reason + 32];
		snprintf(reason, sizeof reason, "%s: %s",
			 r.limit == WH_LIMIT_RENDER ? "render_limit" : "abandoned", r.reason);
		wh_log_request(r.uid, r.ns, r.name, names[r.decision], reason, us);
	} else {
		wh_log_request(r.uid, r.ns, r.name, names[r.decision], r.reason, us);
	}
	size_t len;
	char *buf = sbuf_detach(&r.body, &len);
	if (!q->head)
		wh_tls_hold_next(c);
	return send_buf(c, MHD_HTTP_OK, "application/json", buf, len);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	(void)version;
	const wh_opts *o = cls;
	wh_req *q = *con_cls;
	if (!q) {
		q = calloc(1, sizeof *q);
		if (!q)
			tmpl_out_of_memory();
		q->t0 = now_us();
		q->head = strcmp(method, "HEAD") == 0;
		*con_cls = q;
		atomic_fetch_add(&inflight, 1);
		/* Headers read: the rest of the request has until the request's deadline. */
		wh_tls_phase(c, WH_PHASE_BODY);
		if (strcmp(url, "/inject") == 0 || strncmp(url, "/inject/", 8) == 0) {
			q->route = R_INJECT;
			q->path = strdup(url);
			if (!q->path)
				tmpl_out_of_memory();
		}
		else if (strcmp(url, "/healthz") == 0)
			q->route = R_HEALTHZ;
		else if (strcmp(url, "/readyz") == 0)
			q->route = R_READYZ;
		else if (strcmp(url, "/metrics") == 0)
			q->route = R_METRICS;
		else
			q->route = R_NOTFOUND;
		if (q->route == R_INJECT) {
			wh_metrics_inflight(1);
			/* Refuse a declared oversized body before reading any of it. */
			const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
								     MHD_HTTP_HEADER_CONTENT_LENGTH);
			if (cl && strtoull(cl, NULL, 10) > WH_MAX_BODY) {
				q->too_large = true;
				wh_tls_phase(c, WH_PHASE_ANSWER);
				return answer_inject(c, q, o);
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (q->route == R_INJECT && !q->too_large) {
			if (q->body.len + *upload_size > WH_MAX_BODY) {
				q->too_large = true;
				sbuf_free(&q->body);
			} else {
				sbuf_put(&q->body, upload, *upload_size);
			}
		}
		/* An oversized body without a Content-Length (chunked) cannot be answered
		 * before it ends (libmicrohttpd queues no response mid-upload): its rest is
		 * dropped unread into memory, and a body that goes on far past the limit
		 * loses its connection. */
		if (q->too_large) {
			q->discarded += *upload_size;
			if (q->discarded > 4 * WH_MAX_BODY) {
				refused(q, WH_FAIL_TOO_LARGE, "request body too large, connection closed");
				wh_tls_linger(c);
				return MHD_NO;
			}
		} else if (q->route != R_INJECT) {
			/* Other paths ignore a body, up to the same limit. */
			q->discarded += *upload_size;
			if (q->discarded > WH_MAX_BODY) {
				wh_tls_linger(c);
				return MHD_NO;
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	/* The request is read: no deadline while it is answered. */
	wh_tls_phase(c, WH_PHASE_ANSWER);
	switch (q->route) {
	case R_INJECT:
		return answer_inject(c, q, o);
	case R_HEALTHZ:
		return send_text(c, MHD_HTTP_OK, "ok");
	case R_READYZ:
		return wh_ready() && !atomic_load(&stopping)
			       ? send_text(c, MHD_HTTP_OK, "ok")
			       : send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "not ready");
	case R_METRICS: {
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
		sbuf m = SBUF_INIT;
		wh_metrics_write(&m);
		size_t len;
		char *buf = sbuf_detach(&m, &len);
		return send_buf(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", buf, len);
	}
	default:
		return send_text(c, MHD_HTTP_NOT_FOUND, "404 page not found");
	}
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)toe;
	/* Answered (or ended): the connection waits for its next request. */
	wh_tls_phase(c, WH_PHASE_IDLE);
	wh_req *q = *con_cls;
	if (!q)
		return;
	if (q->route == R_INJECT)
		wh_metrics_inflight(-1);
	sbuf_free(&q->body);
	free(q->path);
	free(q);
	*con_cls = NULL;
	atomic_fetch_sub(&inflight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	/* Failed handshakes and dropped clients are the client's business, not ours. */
	if (strstr(msg, "handshake") || strstr(msg, "TLS") || strstr(msg, "closed"))
		return;
	/* A connection over --max-connections or --max-connections-per-ip: libmicrohttpd
	 * closes it and says only this. Counted; logged once a minute at most, since a
	 * client that keeps connecting would otherwise fill the log. */
	if (strstr(msg, "reached connection limit")) {
		wh_metrics_refused();
		static atomic_ullong last_log_us;
		unsigned long long now = now_us(), last = atomic_load(&last_log_us);
		if ((last && now - last < 60000000u) ||
		    !atomic_compare_exchange_strong(&last_log_us, &last, now))
			return;
		wh_log_event("http", "connection limit reached: connections refused "
				     "(sidecar_injector_connections_refused_total counts them)");
		return;
	}
	wh_log_event("http", "%s", msg);
}

/* Room for every allowed connection, a lingering copy of some (wh_linger.c) and the
 * files of a reload: without it accept() fails at the descriptor limit and
 * libmicrohttpd stops accepting for everyone. The soft limit is raised as far as the
 * hard one allows; failing that, fewer connections are allowed. */
#define WH_FD_SPARE 192u

static unsigned fit_fd_limit(unsigned want)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return want;
	rlim_t need = (rlim_t)want + WH_FD_SPARE;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rlim_t cur = rl.rlim_cur;
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			rl.rlim_cur = cur;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		unsigned fit = rl.rlim_cur > 2 * WH_FD_SPARE ? (unsigned)(rl.rlim_cur - WH_FD_SPARE)
							    : (unsigned)(rl.rlim_cur / 2);
		wh_log_event("start", "--max-connections %u lowered to %u: open files are limited "
				      "to %llu", want, fit, (unsigned long long)rl.rlim_cur);
		return fit;
	}
	return want;
}

/* SIGTERM, SIGINT and SIGHUP blocked in every thread (the main one takes them
 * with sigwait), SIGPIPE ignored (a client gone mid-answer). */
static void block_signals(sigset_t *sigs)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGINT);
	sigaddset(sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The files at start: a bad one leaves the server up but not ready until a
 * reload succeeds. */
static void load_at_start(const wh_opts *o)
{
	tmpl_error err;
	tmpl_error_init(&err);
	wh_snap *s = wh_snap_load(o, &err);
	if (s)
		wh_snap_install(s);
	else
		wh_log_event("config", "not ready: %s", err.msg);
	tmpl_error_clear(&err);
	if (wh_cert_load(o, &err) != 0)
		wh_log_event("certificate", "not ready: %s", err.msg);
	tmpl_error_clear(&err);
}

/* Where to listen (--address, else every address of both families) and the
 * daemon's flags. */
typedef struct wh_listen {
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr *sa; /* NULL: every address */
	unsigned flags;
} wh_listen;

/* o's address into l: 0, or -1 (logged) when it is not an address. */
static int listen_address(const wh_opts *o, wh_listen *l)
{
	memset(l, 0, sizeof *l);
	/* poll(), not epoll: libmicrohttpd's epoll loop (0.9.75 and since) keeps a
	 * connection whose TLS handshake waits for input marked readable, and so calls
	 * epoll_wait with no timeout in a loop until the handshake ends, at 100% CPU for
	 * a client that stops half-way (or, in turbo mode, sends nothing). Turbo mode
	 * also never frees a connection whose handshake timed out. poll() waits on each
	 * socket's real state. */
	l->flags = MHD_USE_TLS | MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (!o->addr) {
		l->flags |= MHD_USE_DUAL_STACK;
		return 0;
	}
	if (inet_pton(AF_INET, o->addr, &l->sin.sin_addr) == 1) {
		l->sin.sin_family = AF_INET;
		l->sin.sin_port = htons((uint16_t)o->port);
		l->sa = (struct sockaddr *)&l->sin;
	} else if (inet_pton(AF_INET6, o->addr, &l->sin6.sin6_addr) == 1) {
		l->sin6.sin6_family = AF_INET6;
		l->sin6.sin6_port = htons((uint16_t)o->port);
		l->sa = (struct sockaddr *)&l->sin6;
		l->flags |= MHD_USE_IPv6;
	} else {
		wh_log_event("start", "invalid listen address %s", o->addr);
		return -1;
	}
	return 0;
}

/* The daemon listening on l with threads workers, or NULL (errno set). */
static struct MHD_Daemon *start_daemon(const wh_opts *o, const wh_listen *l, unsigned threads)
{
	/* Every worker gets an equal share of the connections. */
	unsigned max_conns = fit_fd_limit(o->max_conns);
	if (max_conns < threads)
		max_conns = threads;
	/* The logger first, so that libmicrohttpd reports everything through it. */
	struct MHD_OptionItem opts[] = {
		{MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL},
		{MHD_OPTION_HTTPS_CERT_CALLBACK, 0, (void *)wh_tls_retrieve},
		{MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)WH_PRIORITIES},
		{MHD_OPTION_THREAD_POOL_SIZE, threads, NULL},
		/* libmicrohttpd's timeout restarts at every byte sent or received: it bounds
		 * how long an answer may stall (a client that does not read), a second after
		 * the idle deadline so that wh_deadline.c closes (and counts) idle ones. */
		{MHD_OPTION_CONNECTION_TIMEOUT, o->idle_s ? o->idle_s + 1 : 0, NULL},
		{MHD_OPTION_CONNECTION_LIMIT, max_conns, NULL},
		{MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_conns_ip, NULL},
		{MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, NULL},
		{MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)wh_tls_conn_notify, NULL},
		{l->sa ? MHD_OPTION_SOCK_ADDR : MHD_OPTION_END, 0, l->sa},
		{MHD_OPTION_END, 0, NULL},
	};
	return MHD_start_daemon(l->flags, (uint16_t)o->port, NULL, NULL, handler, (void *)o,
				MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
}

/* Until SIGTERM or SIGINT, each SIGHUP a reload: the signal that stops. */
static int wait_for_stop(const sigset_t *sigs, const wh_opts *o)
{
	int sig = 0;
	for (;;) {
		if (sigwait(sigs, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			wh_reload_now(o);
			continue;
		}
		return sig;
	}
}

/* Stop accepting, let requests in flight finish (for --drain-timeout at
 * most), then close everything: the number of requests left unfinished. */
static int drain_and_stop(struct MHD_Daemon *d, const wh_opts *o, int sig)
{
	atomic_store(&stopping, true);
	wh_log_event("shutdown", "signal %d: draining %d requests", sig, atomic_load(&inflight));
	MHD_socket ls = MHD_quiesce_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	uint64_t deadline = now_us() + (uint64_t)o->drain_s * 1000000u;
	while (atomic_load(&inflight) > 0 && now_us() < deadline) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	/* Renders still running past the drain time stop at their next cancel test, so
	 * that the workers can be joined. */
	wh_abandon_all();
	int left = atomic_load(&inflight);
	wh_reload_stop();
	MHD_stop_daemon(d);
	wh_deadline_stop();
	wh_linger_stop();
	wh_log_event("shutdown", "stopped (%d requests unfinished)", left);
	return left;
}

int wh_run(const wh_opts *o)
{
	sigset_t sigs;
	block_signals(&sigs);
	load_at_start(o);
	wh_listen l;
	if (listen_address(o, &l) != 0)
		return 1;
	unsigned threads = o->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	int rc = 1;
	wh_deadline_init(o);
	if (wh_deadline_start() != 0) {
		wh_log_event("start", "cannot start the deadline thread: %s", strerror(errno));
		goto out;
	}
	struct MHD_Daemon *d = start_daemon(o, &l, threads);
	if (!d) {
		wh_log_event("start", "cannot listen on port %d: %s", o->port, strerror(errno));
		wh_deadline_stop();
		goto out;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	wh_log_event("start", "listening on port %u with %u threads",
		     info ? (unsigned)info->port : (unsigned)o->port, threads);
	if (wh_linger_start() != 0)
		wh_log_event("start", "lingering close unavailable: %s", strerror(errno));
	if (wh_reload_start(o) != 0)
		wh_log_event("reload", "file watching unavailable: %s", strerror(errno));
	rc = drain_and_stop(d, o, wait_for_stop(&sigs, o)) ? 1 : 0;
out:
	wh_state_free();
	wh_tls_free();
	return rc;
}
