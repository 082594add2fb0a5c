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

static const tv *convert(tmpl_arena *a, const tv *h, const char *url, long port)
{
	h = inj_set(a, h, "path", inj_cstr(a, url));
	h = inj_set(a, h, "port", tv_int(a, port));
	const char *scheme = inj_str(h, "scheme");
	if (scheme && strcmp(scheme, "HTTPS") == 0)
		h = inj_set(a, h, "scheme", inj_cstr(a, "HTTP"));
	return h;
}

const tv *inj_rewrite_probes(tmpl_arena *a, const tv *containers)
{
	if (!containers || containers->kind != TV_LIST)
		return containers;
	size_t n = containers->u.list.len, side = n;
	for (size_t i = 0; i < n && side == n; i++) {
		const char *name = inj_str(containers->u.list.items[i], "name");
		if (name && strcmp(name, "istio-proxy") == 0)
			side = i;
	}
	if (side == n)
		return containers;
	long port = status_port(inj_get(containers->u.list.items[side], "args"));
	if (port == -1)
		return containers;

	tv *out = tv_list_new(a, n);
	tv *probers = tv_map_new(a, 8);
	char url[512];
	for (size_t i = 0; i < n; i++) {
		const tv *c = containers->u.list.items[i];
		const char *name = inj_str(c, "name");
		out->u.list.items[i] = c;
		if (name && strcmp(name, "istio-proxy") == 0)
			continue;
		static const char *const which[2] = {"readinessProbe", "livenessProbe"};
		static const char *const suffix[2] = {"readyz", "livez"};
		for (int w = 0; w < 2; w++) {
			const tv *h = http_get(c, which[w]);
			if (!h)
				continue;
			snprintf(url, sizeof url, "/app-health/%s/%s", name ? name : "", suffix[w]);
			const tv *r = resolved(a, c, h);
			if (r) {
				const tv *k = inj_cstr(a, url);
				long at = tv_map_find_key(probers, k);
				if (at >= 0)
					probers->u.map.pairs[at].val = r;
				else
					tv_map_add(a, probers, k, r);
			}
			const tv *probe = inj_set(a, inj_get(c, which[w]), "httpGet", convert(a, h, url, port));
			c = inj_set(a, c, which[w], probe);
		}
		out->u.list.items[i] = c;
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

	tv *env = tv_map_new(a, 2);
	tv_map_add(a, env, inj_cstr(a, "name"), inj_cstr(a, "ISTIO_KUBE_APP_PROBERS"));
	tv_map_add(a, env, inj_cstr(a, "value"), tv_string(a, b.buf, b.len));
	tv_map_seal(a, env);
	sbuf_free(&b);
	tv *one = tv_list_new(a, 1);
	one->u.list.items[0] = env;
	const tv *sc = out->u.list.items[side];
	out->u.list.items[side] = inj_set(a, sc, "env", inj_concat(a, inj_get(sc, "env"), one));
	return out;
}
