/* wh_tls.c: loads the serving certificate and key, checks they match, and swaps them in while every connection keeps the certificate its handshake picked; moves each connection's deadline on at the end of its handshake and at the first byte of a request. */
#include "wh_tls.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "wh.h"
#include "tmpl.h"

#define WH_MAX_CHAIN 16

/* One certificate chain and key: the current one holds a reference, and so does every
 * connection whose handshake used it; the last reference frees it. */
typedef struct wh_cert {
	atomic_uint refs;
	gnutls_pcert_st pcert[WH_MAX_CHAIN];
	unsigned n;
	gnutls_privkey_t key;
} wh_cert;

/* A connection's slot: the certificate its (last) handshake used, its socket as
 * our record reader and writer see it, and its deadline. */
typedef struct wh_conn_tls {
	wh_cert *cert;
	int fd;
	wh_watch watch;
	bool ours;  /* push_records writes this connection's records */
	bool hold; /* the next record waits for the one after it (wh_tls_hold_next) */
	bool linger; /* drain the socket after libmicrohttpd closes it (wh_tls_linger) */
} wh_conn_tls;

static pthread_mutex_t cert_lock = PTHREAD_MUTEX_INITIALIZER;
static wh_cert *cur_cert;
/* Handshakes on connections without a slot (none expected) keep theirs until exit. */
static wh_cert *orphans[64];
static unsigned n_orphans;

static void cert_free(wh_cert *c)
{
	for (unsigned i = 0; i < c->n; i++)
		gnutls_pcert_deinit(&c->pcert[i]);
	if (c->key)
		gnutls_privkey_deinit(c->key);
	free(c);
}

static void cert_put(wh_cert *c)
{
	if (c && atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) == 1)
		cert_free(c);
}

static int read_file(const char *path, gnutls_datum_t *d, tmpl_error *err)
{
	int rc = gnutls_load_file(path, d);
	if (rc < 0)
		return tmpl_error_set(err, TMPL_ERR_IO, path, 0, 0, "open %s: %s", path,
				      gnutls_strerror(rc));
	return 0;
}

int wh_cert_load(const wh_opts *o, tmpl_error *err)
{
	gnutls_datum_t cd = {NULL, 0}, kd = {NULL, 0};
	gnutls_certificate_credentials_t check = NULL;
	wh_cert *c = calloc(1, sizeof *c);
	int rc;
	if (!c)
		tmpl_out_of_memory();
	atomic_init(&c->refs, 1);
	if (read_file(o->cert_file, &cd, err) != 0 || read_file(o->key_file, &kd, err) != 0)
		goto fail;
	/* The credentials call checks that key and certificate belong together. */
	if (gnutls_certificate_allocate_credentials(&check) < 0)
		tmpl_out_of_memory();
	rc = gnutls_certificate_set_x509_key_mem2(check, &cd, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (rc < 0) {
		tmpl_error_set(err, TMPL_ERR_DATA, o->cert_file, 0, 0,
			       "tls: failed to load key pair %s, %s: %s", o->cert_file, o->key_file,
			       gnutls_strerror(rc));
		goto fail;
	}
	c->n = WH_MAX_CHAIN;
	rc = gnutls_pcert_list_import_x509_raw(c->pcert, &c->n, &cd, GNUTLS_X509_FMT_PEM, 0);
	if (rc < 0) {
		c->n = 0;
		tmpl_error_set(err, TMPL_ERR_DATA, o->cert_file, 0, 0, "%s: %s", o->cert_file,
			       gnutls_strerror(rc));
		goto fail;
	}
	if (gnutls_privkey_init(&c->key) < 0)
		tmpl_out_of_memory();
	rc = gnutls_privkey_import_x509_raw(c->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (rc < 0) {
		tmpl_error_set(err, TMPL_ERR_DATA, o->key_file, 0, 0, "%s: %s", o->key_file,
			       gnutls_strerror(rc));
		goto fail;
	}
	gnutls_certificate_free_credentials(check);
	gnutls_free(cd.data);
	gnutls_free(kd.data);

	pthread_mutex_lock(&cert_lock);
	wh_cert *old = cur_cert;
	cur_cert = c;
	pthread_mutex_unlock(&cert_lock);
	/* Connections that shook hands with the old certificate still hold it. */
	cert_put(old);
	return 0;
fail:
	if (check)
		gnutls_certificate_free_credentials(check);
	gnutls_free(cd.data);
	gnutls_free(kd.data);
	cert_free(c);
	return -1;
}

/* GnuTLS's record writer for our connections: as its own, but a held record is sent
 * with MSG_MORE, so that it leaves in one segment with the record after it. */
static ssize_t push_records(gnutls_transport_ptr_t ptr, const giovec_t *iov, int iovcnt)
{
	wh_conn_tls *t = ptr;
	struct msghdr m;
	memset(&m, 0, sizeof m);
	m.msg_iov = (struct iovec *)iov;
	m.msg_iovlen = (size_t)iovcnt;
	int flags = MSG_NOSIGNAL;
	if (t->hold) {
		flags |= MSG_MORE;
		t->hold = false;
	}
	return sendmsg(t->fd, &m, flags);
}

/* GnuTLS's record reader for our connections: as its own, and bytes arriving on an
 * idle connection start the deadline of a new request. */
static ssize_t pull_records(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
	wh_conn_tls *t = ptr;
	ssize_t n = recv(t->fd, buf, len, 0);
	if (n > 0)
		wh_watch_bytes(&t->watch);
	return n;
}

/* GnuTLS's wait for input (its own reads the socket from the transport pointer, which
 * is now the slot). */
static int pull_wait(gnutls_transport_ptr_t ptr, unsigned int ms)
{
	wh_conn_tls *t = ptr;
	struct pollfd pf = {.fd = t->fd, .events = POLLIN};
	return poll(&pf, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int)ms);
}

/* Called after each Finished message: the client's is the last the server waits for
 * (TLS 1.2 and 1.3, full or resumed), so the handshake's deadline ends there. */
static int handshake_hook(gnutls_session_t session, unsigned int htype, unsigned when,
			  unsigned int incoming, const gnutls_datum_t *msg)
{
	(void)htype, (void)when, (void)msg;
	wh_conn_tls *t = gnutls_transport_get_ptr(session);
	if (incoming && t && wh_watch_current(&t->watch) == WH_PHASE_HANDSHAKE)
		wh_watch_phase(&t->watch, WH_PHASE_HEADERS);
	return 0;
}

/* The slot of a connection whose records push_records writes, or NULL. */
static wh_conn_tls *our_slot(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	wh_conn_tls *t = ci ? ci->socket_context : NULL;
	return t && t->ours ? t : NULL;
}

void wh_tls_hold_next(struct MHD_Connection *c)
{
	wh_conn_tls *t = our_slot(c);
	if (t)
		t->hold = true;
}

void wh_tls_linger(struct MHD_Connection *c)
{
	wh_conn_tls *t = our_slot(c);
	if (t)
		t->linger = true;
}

void wh_tls_phase(struct MHD_Connection *c, wh_phase p)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	wh_conn_tls *t = ci ? ci->socket_context : NULL;
	if (t)
		wh_watch_phase(&t->watch, p);
}

void wh_tls_conn_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			enum MHD_ConnectionNotificationCode toe)
{
	(void)cls, (void)c;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		wh_conn_tls *t = calloc(1, sizeof *t);
		if (!t)
			tmpl_out_of_memory();
		*socket_context = t;
		const union MHD_ConnectionInfo *si =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
		const union MHD_ConnectionInfo *fi =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		t->fd = fi ? fi->connect_fd : -1;
		wh_watch_add(&t->watch, t->fd);
		/* Records go in through pull_records and out through push_records. */
		if (si && si->tls_session && fi) {
			gnutls_session_t session = (gnutls_session_t)si->tls_session;
			gnutls_transport_set_ptr2(session, t, t);
			gnutls_transport_set_pull_function(session, pull_records);
			gnutls_transport_set_pull_timeout_function(session, pull_wait);
			gnutls_transport_set_vec_push_function(session, push_records);
			gnutls_handshake_set_hook_function(session, GNUTLS_HANDSHAKE_FINISHED,
							   GNUTLS_HOOK_POST, handshake_hook);
			t->ours = true;
		}
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		/* libmicrohttpd has ended the TLS session by now, and closes the socket next:
		 * the deadline thread lets go of the socket first. */
		wh_conn_tls *t = *socket_context;
		wh_watch_remove(&t->watch);
		if (t->linger)
			wh_linger_add(t->fd);
		cert_put(t->cert);
		free(t);
		*socket_context = NULL;
	}
}

/* The slot of the connection a session belongs to: libmicrohttpd keeps its connection
 * as the session's pointer (it reads it back the same way for PSK). */
static wh_conn_tls *session_slot(gnutls_session_t session)
{
	struct MHD_Connection *conn = gnutls_session_get_ptr(session);
	if (!conn)
		return NULL;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

int wh_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
		    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
		    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey)
{
	(void)req_ca_dn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
	wh_conn_tls *t = session_slot(session);
	wh_cert *prev = NULL;
	pthread_mutex_lock(&cert_lock);
	wh_cert *c = cur_cert;
	if (c) {
		atomic_fetch_add_explicit(&c->refs, 1, memory_order_relaxed);
		if (t) {
			prev = t->cert;
			t->cert = c;
		} else if (n_orphans < sizeof orphans / sizeof orphans[0]) {
			orphans[n_orphans++] = c;
		} else {
			atomic_fetch_sub_explicit(&c->refs, 1, memory_order_relaxed);
			c = NULL;
		}
	}
	pthread_mutex_unlock(&cert_lock);
	/* A second handshake on one connection (TLS 1.2 renegotiation) drops the first's. */
	cert_put(prev);
	if (!c) {
		*pcert_length = 0;
		return -1;
	}
	*pcert = c->pcert;
	*pcert_length = c->n;
	*pkey = c->key;
	return 0;
}

bool wh_ready(void)
{
	pthread_mutex_lock(&cert_lock);
	bool have = cur_cert != NULL;
	pthread_mutex_unlock(&cert_lock);
	wh_snap *s = wh_snap_get();
	bool loaded = s != NULL;
	wh_snap_put(s);
	return have && loaded;
}

void wh_tls_free(void)
{
	pthread_mutex_lock(&cert_lock);
	wh_cert *c = cur_cert;
	cur_cert = NULL;
	unsigned n = n_orphans;
	n_orphans = 0;
	pthread_mutex_unlock(&cert_lock);
	cert_put(c);
	for (unsigned i = 0; i < n; i++)
		cert_put(orphans[i]);
}
