/* wh.h: the sidecar-injector webhook: options, shared state snapshots, admission handling, metrics, logging and reload (only src/webhook/ sees libmicrohttpd and GnuTLS). */
#ifndef WH_H
#define WH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inject/inject.h"
#include "sbuf.h"

/* Largest accepted AdmissionReview body (as Istio: 6 MiB). */
#define WH_MAX_BODY ((size_t)6 << 20)

/* Command-line options of the server. */
typedef struct wh_opts {
	const char *addr;        /* listen address (NULL = every address) */
	int port;                /* 0 = any free port (printed at start) */
	const char *cert_file;   /* PEM certificate chain */
	const char *key_file;    /* PEM private key */
	const char *config_file; /* injection config: policy and template */
	const char *mesh_file;   /* mesh config (NULL = Istio's defaults) */
	const char *values_file; /* values (read and checked) */
	const char *namespaces_file; /* Namespace objects for OpenShift's UID ranges (or NULL) */
	bool json_log;           /* log lines as JSON */
	unsigned threads;        /* worker threads (0 = one per CPU) */
	unsigned debounce_ms;    /* reload delay after the last file event */
	unsigned drain_s;        /* longest wait for requests in flight at shutdown */
	size_t cache_bytes;      /* bound of the answer memo (0 = no memo) */
	/* Deadlines in seconds (0 = none), each from the start of its phase. */
	unsigned handshake_s;    /* accept to the end of the TLS handshake */
	unsigned header_s;       /* a request's first byte to the end of its headers */
	unsigned request_s;      /* a request's first byte to the end of its body */
	unsigned idle_s;         /* between requests; also the longest stall of an answer */
	unsigned max_conns;      /* open connections at once */
	unsigned max_conns_ip;   /* open connections from one client address (0 = no limit) */
	/* The bounds of each review's render (steps, memory, output, time from the
	 * render's start); the cancel test is the server's own (wh_abandon.c). */
	tmpl_exec_opts limits;
} wh_opts;

/* ---- the server (wh_server.c) ---- */

/* Run the server until SIGTERM or SIGINT; returns the exit status. */
int wh_run(const wh_opts *o);

/* ---- configuration snapshots (wh_state.c) ---- */

/* One loaded configuration: immutable, shared by requests through a reference count. */
typedef struct wh_snap {
	atomic_uint refs;
	tmpl_arena *arena;
	inj_config cfg;
	const tv *mesh;
	const tv *values;
	struct wh_memo *memo; /* answers already given with this configuration, or NULL */
} wh_snap;

/* Load config, mesh and values files into a new snapshot (one reference); NULL and err on failure. */
wh_snap *wh_snap_load(const wh_opts *o, tmpl_error *err);
/* Take a reference on the current snapshot (NULL when none is loaded yet). */
wh_snap *wh_snap_get(void);
/* Drop a reference; the last one frees the snapshot. */
void wh_snap_put(wh_snap *s);
/* Make s the current snapshot (takes over the caller's reference). */
void wh_snap_install(wh_snap *s);

/* Free everything at exit. */
void wh_state_free(void);

/* ---- the serving certificate, readiness (wh_tls.c) ---- */

/* Load the certificate and key into a new serving credential; -1 and err on failure. */
int wh_cert_load(const wh_opts *o, tmpl_error *err);
/* Are a snapshot and a certificate both loaded? */
bool wh_ready(void);

/* ---- admission (wh_admit.c) ---- */

typedef enum wh_decision {
	WH_INJECT = 0, /* allowed with a patch */
	WH_SKIP,       /* allowed, no patch (policy) */
	WH_DENY,       /* allowed false: injection error */
	WH_INVALID     /* allowed false: undecodable review */
} wh_decision;

/* What one admission request came to. */
typedef struct wh_result {
	wh_decision decision;
	char uid[128];
	char ns[128];
	char name[256];
	char reason[512];   /* the message for deny/invalid, the skip reason, else empty */
	/* A deny because the render passed one of its bounds or was abandoned: counted
	 * apart, and never memoized (a time limit or a cancel may go otherwise next time). */
	enum { WH_LIMIT_NONE = 0, WH_LIMIT_RENDER, WH_LIMIT_ABANDONED } limit;
	sbuf body;          /* the response's JSON text */
	size_t tail;        /* where the part after the echoed uid begins in body */
} wh_result;

/* Answer one AdmissionReview body with snapshot s into r (r->body must be initialised);
 * path is the request's URL path (a newest config reads its proxy envs; NULL is
 * /inject); the render runs within lim (NULL: the snapshot's config as loaded,
 * unbounded). */
void wh_admit(const wh_snap *s, tmpl_arena *a, const char *body, size_t len, const char *path,
	      const tmpl_exec_opts *lim, wh_result *r);
/* As wh_admit; with full, the review is decoded in full and the memo left alone (the
 * reference the scan and the memo are tested against). */
void wh_admit_ex(const wh_snap *s, tmpl_arena *a, const char *body, size_t len, bool full,
		 const char *path, const tmpl_exec_opts *lim, wh_result *r);

/* ---- the answer memo (wh_scan.c, wh_memo.c) ----
 * The answer to a review depends only on its request.object, its
 * request.namespace and the configuration; the replicas of a workload arrive
 * with identical objects (their names are generated after admission). */

/* An AdmissionReview's envelope as wh_scan found it (pointers into the body;
 * NULL when absent). */
typedef struct wh_envelope {
	const char *api, *kind, *uid, *ns, *object;
	size_t api_len, kind_len, uid_len, ns_len, object_len;
} wh_envelope;

/* Read a body within a strict subset of JSON that json_parse reads the same
 * way; true when it is one, with request.object an object and the envelope's
 * strings printable ASCII without escapes. False: decode it in full. */
bool wh_scan(const char *body, size_t len, wh_envelope *e);

/* A bounded, thread-safe map from (namespace, object bytes) to an answer. */
typedef struct wh_memo wh_memo;
wh_memo *wh_memo_new(size_t max_bytes);
void wh_memo_free(wh_memo *m);
/* The hash of e's namespace and object bytes, for wh_memo_get and wh_memo_put. */
uint64_t wh_memo_key(const wh_envelope *e);
/* On a hit: r's decision, reason, ns and name set and the answer's tail
 * appended to r->body; false on a miss. key is wh_memo_key(e). */
bool wh_memo_get(wh_memo *m, const wh_envelope *e, uint64_t key, wh_result *r);
/* Whether an answer for key is worth keeping: the key was seen lately (the
 * memo keeps an answer the second time it is given, so that pods that never
 * repeat fill nothing); records the key when not. */
bool wh_memo_worth(wh_memo *m, uint64_t key);
/* Remember r (its body from r->tail on) as the answer for e. */
void wh_memo_put(wh_memo *m, const wh_envelope *e, uint64_t key, const wh_result *r);

/* ---- metrics (wh_metrics.c) ---- */

typedef enum wh_fail {
	WH_FAIL_EMPTY = 0, WH_FAIL_CONTENT_TYPE, WH_FAIL_TOO_LARGE, WH_FAIL_DECODE,
	WH_FAIL_INJECT, WH_FAIL_NOT_READY, WH_FAIL_RENDER_LIMIT, WH_FAIL_ABANDONED, WH_FAIL_COUNT
} wh_fail;

/* Count one /inject request that took us microseconds. */
void wh_metrics_request(uint64_t us);
void wh_metrics_injected(void);
void wh_metrics_skipped(void);
void wh_metrics_failed(wh_fail why);
void wh_metrics_reload(bool ok);
/* An answer found in the memo (hit) or computed and remembered (miss). */
void wh_metrics_memo(bool hit);
/* An /inject request begins (+1) or ends (-1): the in-flight gauge. */
void wh_metrics_inflight(int delta);
/* A connection opens (+1) or closes (-1): the open connections gauge. */
void wh_metrics_connections(int delta);
/* A connection closed at once because a connection limit was reached. */
void wh_metrics_refused(void);
/* Append the Prometheus text exposition of every metric. */
void wh_metrics_write(sbuf *out);

/* ---- logging (wh_log.c) ---- */

void wh_log_init(bool json);
/* One line per request: uid, namespace/name, decision, reason, microseconds. */
void wh_log_request(const char *uid, const char *ns, const char *name, const char *decision,
		    const char *reason, uint64_t us);
/* A server event (start, reload, shutdown) with a free-form message. */
void wh_log_event(const char *event, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- lingering close (wh_linger.c) ---- */

/* Start the thread that drains sockets closed with input still arriving. */
int wh_linger_start(void);
/* Keep a copy of socket fd open and drain it for a short while (the caller then
 * closes fd as usual). */
void wh_linger_add(int fd);
/* Close every lingering socket and stop the thread. */
void wh_linger_stop(void);

/* ---- connection deadlines (wh_deadline.c, wh_metrics.c) ---- */

/* Where a connection is; each phase but the answer has a deadline from its start. */
typedef enum wh_phase {
	WH_PHASE_HANDSHAKE = 0, /* accepted, the TLS handshake not finished */
	WH_PHASE_HEADERS,       /* a request has begun, its headers not all read */
	WH_PHASE_BODY,          /* headers read, the body not all read */
	WH_PHASE_IDLE,          /* kept alive between requests */
	WH_PHASE_ANSWER,        /* the answer is made and sent (no deadline here) */
	WH_PHASE_COUNT
} wh_phase;

/* One connection as the deadline thread sees it (embedded in its TLS slot). */
typedef struct wh_watch {
	struct wh_watch *prev, *next; /* under the module's lock */
	int fd;
	uint64_t start_ms;            /* when its current request began (its own thread's) */
	_Atomic uint64_t state;       /* deadline and phase, packed */
} wh_watch;

/* Take the timeouts from o (before any connection). */
void wh_deadline_init(const wh_opts *o);
/* Start and stop the thread that shuts down connections past their deadline. */
int wh_deadline_start(void);
void wh_deadline_stop(void);
/* A new connection on socket fd, in its handshake phase; and its end (before
 * the socket is closed). */
void wh_watch_add(wh_watch *w, int fd);
void wh_watch_remove(wh_watch *w);
/* The connection enters phase p; its deadline is set from now (the body's
 * from the request's first byte). A connection already shut down stays so. */
void wh_watch_phase(wh_watch *w, wh_phase p);
/* Bytes arrived: an idle connection's next request has begun. */
void wh_watch_bytes(wh_watch *w);
wh_phase wh_watch_current(const wh_watch *w);
/* Count a connection shut down at the deadline of phase p (wh_metrics.c). */
void wh_metrics_timed_out(wh_phase p);

/* ---- abandoning a render (wh_abandon.c) ---- */

/* Why a review's render is no longer wanted, asked by the engine every thousand
 * steps or so (tmpl_exec_opts.cancelled): the server is stopping past its drain
 * time, the answer's deadline has passed, or its client has hung up. */
typedef struct wh_abandon {
	int fd;                /* the client's socket (-1: not watched) */
	uint64_t deadline_us;  /* CLOCK_MONOTONIC microseconds (0: none) */
	uint64_t next_poll_us; /* the socket is looked at no more often than this */
	bool gone;             /* the test has said yes */
} wh_abandon;

void wh_abandon_init(wh_abandon *w, int fd, uint64_t deadline_us);
/* The cancel test: true once the render should stop. */
bool wh_abandon_test(void *w);
/* Every render in flight stops at its next test (shutdown past the drain time). */
void wh_abandon_all(void);

/* ---- reload (wh_reload.c) ---- */

/* Start watching the directories of the configured files; reloads after a debounce. */
int wh_reload_start(const wh_opts *o);
/* Reload everything now: a failure keeps the old state, logs and counts an error. */
void wh_reload_now(const wh_opts *o);
void wh_reload_stop(void);

#endif
