/* annot_validate.c: the validation of the injection annotations: Istio 1.1's, with its error texts, and the newest Istio's (validate.go), which names the annotation in each error. */
#include "inject.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

/* strconv.ParseUint(s, 10, bits): 0 or an error text in e. */
static int parse_uint(const char *s, size_t len, int bits, sbuf *e)
{
	unsigned long long v = 0;
	bool range = false;
	if (len == 0)
		goto syntax;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			goto syntax;
		if (v > (~0ULL - 9) / 10)
			range = true;
		else
			v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (range || (bits < 64 && v >> bits))
		sbuf_printf(e, "strconv.ParseUint: parsing \"%.*s\": value out of range", (int)len, s);
	else
		return 0;
	return -1;
syntax:
	sbuf_printf(e, "strconv.ParseUint: parsing \"%.*s\": invalid syntax", (int)len, s);
	return -1;
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s))
		(*s)++, (*len)--;
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* parsePorts: a comma list of uint16 ports (trimmed); Go's doubled wrapping
 * of the message is kept ("failed parsing port '0': ..."). */
static int port_list(const char *param, const char *v, sbuf *e)
{
	const char *s = v;
	size_t len = strlen(v);
	trim(&s, &len);
	if (!len)
		return 0;
	const char *end = s + len;
	while (s <= end) {
		const char *c = memchr(s, ',', (size_t)(end - s));
		if (!c)
			c = end;
		const char *p = s;
		size_t pl = (size_t)(c - s);
		trim(&p, &pl);
		sbuf inner = SBUF_INIT;
		if (parse_uint(p, pl, 16, &inner) != 0) {
			sbuf_printf(e, "%s invalid: failed parsing port '0': failed parsing port '0': %s",
				    param, inner.buf);
			sbuf_free(&inner);
			return -1;
		}
		s = c + 1;
	}
	return 0;
}

/* net.ParseCIDR over a comma list (no trimming, as Go). */
static int cidr_list(const char *param, const char *v, sbuf *e)
{
	size_t len = strlen(v);
	if (!len)
		return 0;
	const char *s = v, *end = v + len;
	while (s <= end) {
		const char *c = memchr(s, ',', (size_t)(end - s));
		if (!c)
			c = end;
		char buf[128];
		size_t n = (size_t)(c - s);
		bool ok = false;
		const char *slash = memchr(s, '/', n);
		if (slash && n < sizeof buf) {
			memcpy(buf, s, n);
			buf[n] = 0;
			buf[slash - s] = 0;
			const char *m = buf + (slash - s) + 1;
			unsigned char addr[16];
			int bitsmax = strchr(buf, ':') ? 128 : 32;
			int af = bitsmax == 128 ? AF_INET6 : AF_INET;
			bool digits = *m != 0 && strlen(m) <= 3;
			for (const char *q = m; *q; q++)
				digits = digits && isdigit((unsigned char)*q);
			ok = digits && atoi(m) <= bitsmax && inet_pton(af, buf, addr) == 1;
		}
		if (!ok) {
			sbuf_printf(e, "%s invalid: failed parsing cidr '%.*s': invalid CIDR address: %.*s",
				    param, (int)n, s, (int)n, s);
			return -1;
		}
		s = c + 1;
	}
	return 0;
}

static int check(const char *name, const char *v, sbuf *e)
{
	if (strcmp(name, "sidecar.istio.io/interceptionmode") == 0) {
		if (strcmp(v, "REDIRECT") && strcmp(v, "TPROXY") && strcmp(v, "NONE")) {
			sbuf_printf(e, "interceptionMode invalid: %s", v);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "status.sidecar.istio.io/port") == 0) {
		const char *s = v;
		size_t len = strlen(v);
		trim(&s, &len);
		sbuf inner = SBUF_INIT;
		if (parse_uint(s, len, 16, &inner) != 0) {
			sbuf_printf(e, "excludeInboundPorts invalid: failed parsing port '0': %s", inner.buf);
			sbuf_free(&inner);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "readiness.status.sidecar.istio.io/initialdelayseconds") == 0 ||
	    strcmp(name, "readiness.status.sidecar.istio.io/periodseconds") == 0 ||
	    strcmp(name, "readiness.status.sidecar.istio.io/failurethreshold") == 0)
		return parse_uint(v, strlen(v), 32, e);
	if (strcmp(name, "readiness.status.sidecar.istio.io/applicationports") == 0)
		return strcmp(v, "*") == 0 ? 0 : port_list("readinessApplicationPorts", v, e);
	if (strcmp(name, "traffic.sidecar.istio.io/includeoutboundipranges") == 0)
		return strcmp(v, "*") == 0 ? 0 : cidr_list("includeIPRanges", v, e);
	if (strcmp(name, "traffic.sidecar.istio.io/excludeoutboundipranges") == 0)
		return cidr_list("excludeIPRanges", v, e);
	if (strcmp(name, "traffic.sidecar.istio.io/includeinboundports") == 0)
		return strcmp(v, "*") == 0 ? 0 : port_list("includeInboundPorts", v, e);
	if (strcmp(name, "traffic.sidecar.istio.io/excludeinboundports") == 0)
		return port_list("excludeInboundPorts", v, e);
	return 0;
}

/* Every invalid annotation is reported, joined as Istio 1.1's vendored
 * go-multierror joins them ("1 error occurred:\n\n* ..."). */
int inj_validate_annotations(const tv *annotations, tmpl_error *err)
{
	if (!annotations || annotations->kind != TV_MAP)
		return 0;
	tmpl_arena *a = arena_new();
	const tv_pair *pairs = tv_map_sorted(a, annotations);
	sbuf points = SBUF_INIT;
	int nerr = 0;
	for (size_t i = 0; i < annotations->u.map.len; i++) {
		const tv *k = pairs[i].key, *v = pairs[i].val;
		if (k->kind != TV_STRING || !v || v->kind != TV_STRING)
			continue;
		char *name = arena_strndup(a, k->u.s.ptr, k->u.s.len);
		for (char *p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		sbuf e = SBUF_INIT;
		if (check(name, v->u.s.ptr, &e) != 0) {
			sbuf_printf(&points, "%s* injection failed. Invalid value for annotation %s: %s. Error: %s",
				    nerr ? "\n" : "", name, v->u.s.ptr, e.buf);
			nerr++;
		}
		sbuf_free(&e);
	}
	int rc = 0;
	if (nerr)
		rc = tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "%d error%s occurred:\n\n%s", nerr,
				    nerr == 1 ? "" : "s", points.buf);
	sbuf_free(&points);
	arena_free(a);
	return rc;
}

/* The newest parsePorts: each element is named as written in both wrappings
 * ("failed parsing port ' x': failed parsing port ' x': strconv..."). */
static int port_list_latest(const char *param, const char *v, sbuf *e)
{
	const char *s = v;
	size_t len = strlen(v);
	trim(&s, &len);
	if (!len)
		return 0;
	const char *end = s + len;
	while (s <= end) {
		const char *c = memchr(s, ',', (size_t)(end - s));
		if (!c)
			c = end;
		const char *p = s;
		size_t pl = (size_t)(c - s);
		trim(&p, &pl);
		sbuf inner = SBUF_INIT;
		if (parse_uint(p, pl, 16, &inner) != 0) {
			int n = (int)(c - s);
			sbuf_printf(e, "%s invalid: failed parsing port '%.*s': failed parsing port '%.*s': %s",
				    param, n, s, n, s, inner.buf);
			sbuf_free(&inner);
			return -1;
		}
		s = c + 1;
	}
	return 0;
}

/* validate.go's AnnotationValidation, by exact name. Not yet checked here:
 * excludeInterfaces, kubevirtInterfaces, reroute-virtual-interfaces,
 * proxy.istio.io/config. */
static int check_latest(const char *name, const char *v, sbuf *e)
{
	if (strcmp(name, "sidecar.istio.io/interceptionMode") == 0) {
		if (strcmp(v, "REDIRECT") && strcmp(v, "TPROXY") && strcmp(v, "NONE")) {
			sbuf_printf(e, "interceptionMode invalid, use REDIRECT,TPROXY,NONE: %s", v);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "status.sidecar.istio.io/port") == 0) {
		const char *s = v;
		size_t len = strlen(v);
		trim(&s, &len);
		sbuf inner = SBUF_INIT;
		if (parse_uint(s, len, 16, &inner) != 0) {
			sbuf_printf(e, "excludeInboundPorts invalid: failed parsing port '%s': %s", v, inner.buf);
			sbuf_free(&inner);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "readiness.status.sidecar.istio.io/initialDelaySeconds") == 0 ||
	    strcmp(name, "readiness.status.sidecar.istio.io/periodSeconds") == 0 ||
	    strcmp(name, "readiness.status.sidecar.istio.io/failureThreshold") == 0)
		return parse_uint(v, strlen(v), 32, e);
	if (strcmp(name, "traffic.sidecar.istio.io/includeOutboundIPRanges") == 0)
		return strcmp(v, "*") == 0 ? 0 : cidr_list("includeIPRanges", v, e);
	if (strcmp(name, "traffic.sidecar.istio.io/excludeOutboundIPRanges") == 0)
		return cidr_list("excludeIPRanges", v, e);
	if (strcmp(name, "traffic.sidecar.istio.io/includeInboundPorts") == 0)
		return strcmp(v, "*") == 0 ? 0 : port_list_latest("includeInboundPorts", v, e);
	if (strcmp(name, "traffic.sidecar.istio.io/excludeInboundPorts") == 0)
		return port_list_latest("excludeInboundPorts", v, e);
	if (strcmp(name, "traffic.sidecar.istio.io/excludeOutboundPorts") == 0)
		return port_list_latest("excludeOutboundPorts", v, e);
	if (strcmp(name, "prometheus.istio.io/merge-metrics") == 0) {
		static const char *const ok[] = {"1", "t", "T", "TRUE", "true", "True",
						 "0", "f", "F", "FALSE", "false", "False"};
		for (size_t i = 0; i < 12; i++)
			if (strcmp(v, ok[i]) == 0)
				return 0;
		sbuf_printf(e, "strconv.ParseBool: parsing \"%s\": invalid syntax", v);
		return -1;
	}
	if (strcmp(name, "sidecar.istio.io/proxyCPU") == 0 ||
	    strcmp(name, "sidecar.istio.io/proxyMemory") == 0 ||
	    strcmp(name, "sidecar.istio.io/proxyCPULimit") == 0 ||
	    strcmp(name, "sidecar.istio.io/proxyMemoryLimit") == 0) {
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				sbuf_puts(e, "value contains control characters");
				return -1;
			}
		tmpl_arena *a = arena_new();
		const tv *q;
		tmpl_error qe;
		tmpl_error_init(&qe);
		int rc = types_quantity_canon(a, v, strlen(v), &q, &qe);
		if (rc != 0)
			sbuf_puts(e, qe.msg ? qe.msg : "invalid quantity");
		tmpl_error_clear(&qe);
		arena_free(a);
		return rc != 0 ? -1 : 0;
	}
	return 0;
}

/* Joined as the newest's go-multierror joins them ("1 error occurred:\n\t* ...\n\n"). */
int inj_validate_annotations_latest(const tv *annotations, tmpl_error *err)
{
	if (!annotations || annotations->kind != TV_MAP)
		return 0;
	tmpl_arena *a = arena_new();
	const tv_pair *pairs = tv_map_sorted(a, annotations);
	sbuf points = SBUF_INIT;
	int nerr = 0;
	for (size_t i = 0; i < annotations->u.map.len; i++) {
		const tv *k = pairs[i].key, *v = pairs[i].val;
		if (k->kind != TV_STRING || !v || v->kind != TV_STRING)
			continue;
		sbuf e = SBUF_INIT;
		if (check_latest(k->u.s.ptr, v->u.s.ptr, &e) != 0) {
			sbuf_printf(&points, "\t* invalid value '%s' for annotation '%s': %s\n", v->u.s.ptr,
				    k->u.s.ptr, e.buf ? e.buf : "");
			nerr++;
		}
		sbuf_free(&e);
	}
	int rc = 0;
	if (nerr)
		rc = tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "%d error%s occurred:\n%s\n", nerr,
				    nerr == 1 ? "" : "s", points.buf);
	sbuf_free(&points);
	arena_free(a);
	return rc;
}

/* Does Istio validate the annotation NAME before rendering (1.1's list, or the
 * newest's with latest), so that a template may paste its value as it is?
 * Asked of the validators themselves: a value no validated annotation accepts
 * (a quote, a colon, a newline) is refused exactly when NAME is validated. */
bool inj_annotation_validated(const char *name, size_t len, bool latest)
{
	static const char probe[] = "a\"b: c\n- d";
	char lower[256];
	if (len >= sizeof lower)
		return false;
	for (size_t i = 0; i < len; i++)
		lower[i] = latest ? name[i] : (char)tolower((unsigned char)name[i]);
	lower[len] = '\0';
	sbuf e = SBUF_INIT;
	int rc = latest ? check_latest(lower, probe, &e) : check(lower, probe, &e);
	sbuf_free(&e);
	return rc != 0;
}
