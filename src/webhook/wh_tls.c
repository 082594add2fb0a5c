/* wh_tls.c: loads the serving certificate and key, checks they match, and swaps them in without disturbing handshakes or connections in progress. */
#include "wh_tls.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wh.h"

#define WH_MAX_CHAIN 16
/* A replaced certificate stays alive this long for handshakes that picked it. */
#define WH_CERT_GRACE_S 120

typedef struct wh_cert {
	gnutls_pcert_st pcert[WH_MAX_CHAIN];
	unsigned n;
	gnutls_privkey_t key;
	time_t retired;       /* when it stopped being current (0 = current) */
	struct wh_cert *next; /* retired list */
} wh_cert;

static pthread_mutex_t cert_lock = PTHREAD_MUTEX_INITIALIZER;
static wh_cert *cur_cert;
static wh_cert *retired;

static void cert_free(wh_cert *c)
{
	for (unsigned i = 0; i < c->n; i++)
		gnutls_pcert_deinit(&c->pcert[i]);
	if (c->key)
		gnutls_privkey_deinit(c->key);
	free(c);
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
		abort();
	if (read_file(o->cert_file, &cd, err) != 0 || read_file(o->key_file, &kd, err) != 0)
		goto fail;
	/* The credentials call checks that key and certificate belong together. */
	gnutls_certificate_allocate_credentials(&check);
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
	gnutls_privkey_init(&c->key);
	rc = gnutls_privkey_import_x509_raw(c->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (rc < 0) {
		tmpl_error_set(err, TMPL_ERR_DATA, o->key_file, 0, 0, "%s: %s", o->key_file,
			       gnutls_strerror(rc));
		goto fail;
	}
	gnutls_certificate_free_credentials(check);
	gnutls_free(cd.data);
	gnutls_free(kd.data);

	time_t now = time(NULL);
	pthread_mutex_lock(&cert_lock);
	wh_cert *old = cur_cert, *dead = NULL;
	cur_cert = c;
	if (old) {
		old->retired = now;
		old->next = retired;
		retired = old;
	}
	/* Free certificates retired long enough ago that no handshake still uses them. */
	for (wh_cert **p = &retired; *p;) {
		if (now - (*p)->retired > WH_CERT_GRACE_S) {
			wh_cert *d = *p;
			*p = d->next;
			d->next = dead;
			dead = d;
		} else {
			p = &(*p)->next;
		}
	}
	pthread_mutex_unlock(&cert_lock);
	while (dead) {
		wh_cert *n = dead->next;
		cert_free(dead);
		dead = n;
	}
	return 0;
fail:
	if (check)
		gnutls_certificate_free_credentials(check);
	gnutls_free(cd.data);
	gnutls_free(kd.data);
	cert_free(c);
	return -1;
}

int wh_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
		    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
		    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey)
{
	(void)session, (void)req_ca_dn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
	pthread_mutex_lock(&cert_lock);
	wh_cert *c = cur_cert;
	pthread_mutex_unlock(&cert_lock);
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
	while (retired) {
		wh_cert *n = retired->next;
		cert_free(retired);
		retired = n;
	}
	pthread_mutex_unlock(&cert_lock);
	if (c)
		cert_free(c);
}
