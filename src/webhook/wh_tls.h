/* wh_tls.h: the serving certificate as GnuTLS hands it to each handshake, swappable at run time. */
#ifndef WH_TLS_H
#define WH_TLS_H

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "wh.h"

/* GnuTLS's certificate callback: the current certificate chain and key, pinned to the
 * connection whose handshake asks for them. */
int wh_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
		    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
		    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey);

/* libmicrohttpd's connection callback: gives each connection a slot for the certificate
 * its handshake used, and drops that reference when the connection closes. */
void wh_tls_conn_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			enum MHD_ConnectionNotificationCode toe);

/* The next TLS record written on c leaves with the record after it, not alone:
 * libmicrohttpd writes a response's header and body as two records, and the body
 * must follow at once (call it only for a response with a body). */
void wh_tls_hold_next(struct MHD_Connection *c);

/* c will be closed while its client may still be sending: drain it for a while after
 * (wh_linger.c), so that the client reads the answer rather than a reset. */
void wh_tls_linger(struct MHD_Connection *c);

/* c enters phase p of its deadlines (wh_deadline.c). */
void wh_tls_phase(struct MHD_Connection *c, wh_phase p);

/* Free the current certificate at exit (after the daemon has stopped). */
void wh_tls_free(void);

#endif
