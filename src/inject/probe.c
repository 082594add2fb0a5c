/* probe.c: Istio 1.1's kube-inject rewrite of application HTTP probes onto the sidecar's status port (ISTIO_KUBE_APP_PROBERS). */
#include "inject.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* The status port from istio-proxy's args (^-{1,2}statusPort(=N)?$), or -1. */
static long status_port(const tv *args)
{
	if (!args || args->kind != TV_LIST)
		return -1;
	for (size_t i = 0; i < args->u.list.len; i++) {
		const tv *v = args->u.list.items[i];
		if (v->kind != TV_STRING)
			continue;
		const char *s = v->u.s.ptr;
		size_t len = v->u.s.len;
		while (len && isspace((unsigned char)*s))
			s++, len--;
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		size_t d = 0;
		while (d < len && d < 2 && s[d] == '-')
			d++;
		if (d == 0 || len - d < 10 || memcmp(s + d, "statusPort", 10) != 0)
			continue;
		const char *num = s + d + 10;
		size_t nl = len - d - 10;
		if (nl > 0) {
			if (num[0] != '=' || nl < 2)
				continue;
			num++, nl--;
			bool digits = true;
			for (size_t k = 0; k < nl; k++)
				digits = digits && isdigit((unsigned char)num[k]);
			if (!digits)
				continue;
		} else {
			if (i + 1 >= args->u.list.len || args->u.list.items[i + 1]->kind != TV_STRING)
				return -1;
			num = args->u.list.items[i + 1]->u.s.ptr;
			nl = args->u.list.items[i + 1]->u.s.len;
		}
		size_t k = 0;
		bool neg = false;
		if (k < nl && (num[k] == '+' || num[k] == '-'))
			neg = num[k++] == '-';
		if (k == nl || nl - k > 9)
			return -1;
		long p = 0;
		for (; k < nl; k++) {
			if (!isdigit((unsigned char)num[k]))
				return -1;
			p = p * 10 + (num[k] - '0');
		}
		return neg ? -p : p;
	}
	return -1;
}

static const tv *http_get(const tv *c, const char *which)
{
	const tv *h = inj_get(inj_get(c, which), "httpGet");
	return h && h->kind == TV_MAP ? h : TV_NOVALUE;
}

/* The probe's httpGet with a named port resolved, or NOVALUE when it cannot be. */
static const tv *resolved(tmpl_arena *a, const tv *c, const tv *h)
{
	const tv *port = inj_get(h, "port");
	if (!port || port->kind != TV_STRING)
		return h;
	const tv *ports = inj_get(c, "ports");
	const tv *found = TV_NOVALUE;
	for (size_t i = 0; ports && ports->kind == TV_LIST && i < ports->u.list.len; i++) {
		const tv *p = ports->u.list.items[i];
		const char *n = inj_str(p, "name");
		if (n && *n && strcmp(n, port->u.s.ptr) == 0)
			found = inj_get(p, "containerPort"); /* the last one wins, as a Go map */
	}
	if (!found)
		return TV_NOVALUE;
	return inj_set(a, h, "port", found);
}

static void write_obj(sbuf *b, const tv *m)
{
	tmpl_error e;
	tmpl_error_init(&e);
	sbuf_putc(b, '{');
	for (size_t i = 0; i < m->u.map.len; i++) {
		if (i)
			sbuf_putc(b, ',');
		json_write(b, m->u.map.pairs[i].key, JSON_ESCAPE_HTML, &e);
		sbuf_putc(b, ':');
		json_write(b, m->u.map.pairs[i].val, JSON_ESCAPE_HTML, &e);
	}
	sbuf_putc(b, '}');
	tmpl_error_clear(&e);
}

const tv *inj_probe_convert(tmpl_arena *a, const tv *orig, const char *path, long port)
{
	const tv *h = inj_set(a, orig, "path", inj_cstr(a, path));
	h = inj_set(a, h, "port", tv_int(a, port));
	const char *scheme = inj_str(h, "scheme");
	if (scheme && strcmp(scheme, "HTTPS") == 0)
		h = inj_set(a, h, "scheme", inj_cstr(a, "HTTP"));
	return h;
}

static bool is_sidecar(const tv *c)
{
	const char *name = inj_str(c, "name");
	return name && strcmp(name, "istio-proxy") == 0;
}

long inj_probe_status_port(const tv *container)
{
	return status_port(inj_get(container, "args"));
}

const char *inj_probe_url(char *buf, size_t n, const tv *c, int which)
{
	snprintf(buf, n, "/app-health/%s/%s", inj_str(c, "name") ? inj_str(c, "name") : "",
		 which == INJ_PROBE_READINESS ? "readyz" : "livez");
	return buf;
}

const tv *inj_probe_http_get(const tv *c, int which)
{
	return http_get(c, which == INJ_PROBE_READINESS ? "readinessProbe" : "livenessProbe");
}

const tv *inj_probe_dump(tmpl_arena *a, const tv *containers)
{
	tv *probers = tv_map_new(a, 8);
	char url[512];
	size_t n = containers && containers->kind == TV_LIST ? containers->u.list.len : 0;
	for (size_t i = 0; i < n; i++) {
		const tv *c = containers->u.list.items[i];
		if (is_sidecar(c))
			continue;
		for (int w = INJ_PROBE_READINESS; w <= INJ_PROBE_LIVENESS; w++) {
			const tv *h = inj_probe_http_get(c, w);
			const tv *r = h ? resolved(a, c, h) : TV_NOVALUE;
			if (!r)
				continue;
			const tv *k = inj_cstr(a, inj_probe_url(url, sizeof url, c, w));
			long at = tv_map_find_key(probers, k); /* a Go map: the last one wins */
			if (at >= 0)
				probers->u.map.pairs[at].val = r;
			else
				tv_map_add(a, probers, k, r);
		}
	}
	tv_map_seal(a, probers);

	sbuf b = SBUF_INIT;
	const tv_pair *pairs = tv_map_sorted(a, probers);
	tmpl_error e;
	tmpl_error_init(&e);
	sbuf_putc(&b, '{');
	for (size_t i = 0; i < probers->u.map.len; i++) {
		if (i)
			sbuf_putc(&b, ',');
		json_write(&b, pairs[i].key, JSON_ESCAPE_HTML, &e);
		sbuf_putc(&b, ':');
		write_obj(&b, pairs[i].val);
	}
	sbuf_putc(&b, '}');
	tmpl_error_clear(&e);
	const tv *r = tv_string(a, b.buf, b.len);
	sbuf_free(&b);
	return r;
}

const tv *inj_probe_env(tmpl_arena *a, const tv *probers)
{
	tv *env = tv_map_new(a, 2);
	tv_map_add(a, env, inj_cstr(a, "name"), inj_cstr(a, "ISTIO_KUBE_APP_PROBERS"));
	tv_map_add(a, env, inj_cstr(a, "value"), probers);
	tv_map_seal(a, env);
	tv *one = tv_list_new(a, 1);
	one->u.list.items[0] = env;
	return one;
}

const tv *inj_rewrite_probes(tmpl_arena *a, const tv *containers)
{
	if (!containers || containers->kind != TV_LIST)
		return containers;
	size_t n = containers->u.list.len, side = n;
	for (size_t i = 0; i < n && side == n; i++)
		if (is_sidecar(containers->u.list.items[i]))
			side = i;
	if (side == n)
		return containers;
	long port = inj_probe_status_port(containers->u.list.items[side]);
	if (port == -1)
		return containers;

	const tv *probers = inj_probe_dump(a, containers);
	tv *out = tv_list_new(a, n);
	char url[512];
	for (size_t i = 0; i < n; i++) {
		const tv *c = containers->u.list.items[i];
		out->u.list.items[i] = c;
		if (is_sidecar(c))
			continue;
		static const char *const which[2] = {"readinessProbe", "livenessProbe"};
		for (int w = INJ_PROBE_READINESS; w <= INJ_PROBE_LIVENESS; w++) {
			const tv *h = inj_probe_http_get(c, w);
			if (!h)
				continue;
			inj_probe_url(url, sizeof url, c, w);
			const tv *probe = inj_set(a, inj_get(c, which[w]), "httpGet",
						  inj_probe_convert(a, h, url, port));
			c = inj_set(a, c, which[w], probe);
		}
		out->u.list.items[i] = c;
	}
	const tv *sc = out->u.list.items[side];
	out->u.list.items[side] = inj_set(a, sc, "env",
					  inj_concat(a, inj_get(sc, "env"), inj_probe_env(a, probers)));
	return out;
}
