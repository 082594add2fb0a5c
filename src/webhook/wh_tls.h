/* wh_tls.h: the serving certificate as GnuTLS hands it to each handshake, swappable at run time. */
#ifndef WH_TLS_H
#define WH_TLS_H

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

/* GnuTLS's certificate callback: the current certificate chain and key. */
int wh_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
		    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
		    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey);

/* Free the current and retired certificates at exit. */
void wh_tls_free(void);

#endif
