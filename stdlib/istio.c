/* istio.c: the functions Istio's sidecar injector adds to its templates (1.1's map and the later ones that need no sprig), with Go's behaviour and argument type errors.
 *
 * Parameters that Go types as string, int or map[string]string are checked
 * here as text/template checks them (fnarg.h). Parameters typed
 * as Kubernetes structs (metav1.ObjectMeta, []corev1.Container) take the
 * typed views of types.h and, so that plain YAML can exercise them, plain
 * maps and lists of the same JSON shape; map[string]string parameters also
 * take plain maps whose values are all strings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "fnarg.h"
#include "fmt.h"
#include "gotime.h"
#include "func.h"
#include "json.h"
#include "types.h"
#include "utf8.h"
#include "yaml_emit.h"

/* ---- argument checks ---- */

/* A Go map[string]string parameter: *m is NULL for Go's nil map. */
static int istio_arg_strmap(tmpl_call *c, size_t i, const tv **m)
{
	const tv *v = c->args[i];
	*m = NULL;
	if (!v)
		return 0;
	if (v->type) {
		if (v->kind == TV_NULL && v->type->kind == TK_MAP)
			return 0;
		if (v->kind == TV_MAP && v->type->go_name &&
		    strcmp(v->type->go_name, "map[string]string") == 0) {
			*m = v;
			return 0;
		}
		return fnarg_type_error(c, "map[string]string", v);
	}
	if (v->kind != TV_MAP || (v->flags & TVF_ANYKEYS))
		return fnarg_type_error(c, "map[string]string", v);
	for (size_t k = 0; k < v->u.map.len; k++)
		if (v->u.map.pairs[k].val->kind != TV_STRING)
			return fnarg_type_error(c, "map[string]string", v);
	*m = v;
	return 0;
}

/* The YAML map under a struct view or a plain map; NOVALUE when empty. */
static const tv *istio_raw(const tv *v)
{
	if (v && v->kind == TV_STRUCT)
		return v->u.strct.raw;
	return v;
}

static const tv *istio_result_string(tmpl_call *c, const char *s, size_t len)
{
	return tv_string(c->arena, s ? s : "", len);
}

/* Go's strings.TrimSpace bounds of s[0..len). */
static void istio_trim(const char **s, size_t *len)
{
	const char *p = *s, *e = *s + *len;
	while (p < e) {
		size_t n;
		int32_t r = u8_decode(p, (size_t)(e - p), &n);
		if (!u8_isspace(r) || (r == U8_RUNE_ERROR && n == 1))
			break;
		p += n;
	}
	while (e > p) {
		const char *q = e - 1;
		while (q > p && ((unsigned char)*q & 0xC0) == 0x80 && e - q < 4)
			q--;
		size_t n;
		int32_t r = u8_decode(q, (size_t)(e - q), &n);
		if (q + n != e || !u8_isspace(r) || (r == U8_RUNE_ERROR && n == 1))
			break;
		e = q;
	}
	*s = p;
	*len = (size_t)(e - p);
}


/* fmt.Sprint of one value, with enum names and durations of typed values. */
static void istio_sprint(sbuf *b, const tv *v)
{
	if (v && v->type && v->kind == TV_INT) {
		const tmpl_type *t = v->type;
		if (t->kind == TK_DURATION) {
			gotime_duration_string(b, v->u.i);
			return;
		}
		if (t->kind == TK_ENUM) {
			for (size_t k = 0; k < t->nenum; k++) {
				int64_t num = t->enum_values ? t->enum_values[k] : (int64_t)k;
				if (num == v->u.i) {
					sbuf_puts(b, t->enum_names[k]);
					return;
				}
			}
			sbuf_put_int(b, (long long)v->u.i);
			return;
		}
	}
	fmt_value(b, v);
}

/* ---- 1.1 ---- */

static int64_t istio_num(const tv *v, bool *ok)
{
	if (!v)
		return 0;
	if (v->kind == TV_INT)
		return v->u.i;
	/* range first: converting a float beyond int64 is undefined in C (a finding of fuzz_template) */
	if (v->kind == TV_FLOAT && v->u.f >= -9223372036854775808.0 && v->u.f < 9223372036854775808.0 &&
	    v->u.f == (double)(int64_t)v->u.f)
		return (int64_t)v->u.f;
	*ok = false;
	return 0;
}

/* formatDuration(*types.Duration) string: "1s" for nil or an invalid
 * duration (1.1). Takes a duration view or a plain {seconds, nanos} map. */
static int istio_format_duration(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	sbuf *b = tmpl_call_scratch(c, 0);
	if (!v || (v->kind == TV_NULL && v->type)) {
		sbuf_puts(b, "1s");
	} else if (v->kind == TV_INT && v->type && v->type->kind == TK_DURATION) {
		gotime_duration_string(b, v->u.i);
	} else if (v->kind == TV_MAP && !v->type) {
		bool ok = true;
		int64_t s = istio_num(tv_map_get(v, "seconds", 7), &ok);
		int64_t n = istio_num(tv_map_get(v, "nanos", 5), &ok);
		const int64_t max = 315576000000LL;
		if (!ok || s < -max || s > max || n <= -1000000000LL || n >= 1000000000LL ||
		    (s < 0 && n > 0) || (s > 0 && n < 0) || s > INT64_MAX / 1000000000LL ||
		    s < INT64_MIN / 1000000000LL) {
			sbuf_puts(b, "1s");
		} else {
			int64_t d = s * 1000000000LL;
			if ((n > 0 && d > INT64_MAX - n) || (n < 0 && d < INT64_MIN - n))
				sbuf_puts(b, "1s");
			else
				gotime_duration_string(b, d + n);
		}
	} else {
		return fnarg_type_error(c, "*types.Duration", v);
	}
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* isset(map[string]string, key string) bool */
static int istio_isset(tmpl_call *c, const tv **r)
{
	const tv *m;
	const char *k;
	size_t kn;
	if (istio_arg_strmap(c, 0, &m) < 0 || fnarg_string(c, 1, &k, &kn) < 0)
		return -1;
	*r = tv_bool(m && tv_map_get(m, k, kn) != NULL);
	return 0;
}

/* excludeInboundPort(port any, list string) string: an element equal to the
 * port before trimming leaves the list unchanged (Istio's quirk). */
static int istio_exclude_inbound_port(tmpl_call *c, const tv **r)
{
	const char *list;
	size_t llen;
	if (fnarg_string(c, 1, &list, &llen) < 0)
		return -1;
	sbuf *ps = tmpl_call_scratch(c, 0);
	istio_sprint(ps, c->args[0]);
	const char *port = ps->buf ? ps->buf : "";
	size_t plen = ps->len;
	istio_trim(&port, &plen);
	if (plen == 0 || (plen == 1 && port[0] == '0')) {
		*r = c->args[1];
		return 0;
	}
	sbuf *out = tmpl_call_scratch(c, 1);
	const char *p = list, *end = list + llen;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		if ((size_t)(e - p) == plen && memcmp(p, port, plen) == 0) {
			*r = c->args[1];
			return 0;
		}
		const char *t = p;
		size_t tn = (size_t)(e - p);
		istio_trim(&t, &tn);
		if (tn) {
			if (out->len)
				sbuf_putc(out, ',');
			sbuf_put(out, t, tn);
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	if (out->len)
		sbuf_putc(out, ',');
	sbuf_put(out, port, plen);
	*r = istio_result_string(c, out->buf, out->len);
	return 0;
}

/* The containers of a []corev1.Container argument (typed slice or plain list). */
static int istio_arg_containers(tmpl_call *c, size_t i, const tv **list)
{
	const tv *v = c->args[i];
	*list = NULL;
	if (!v)
		return 0;
	if (v->type) {
		if (v->type->kind == TK_SLICE && v->type->elem && v->type->elem->go_name &&
		    strcmp(v->type->elem->go_name, "v1.Container") == 0) {
			*list = v->kind == TV_LIST ? v : NULL;
			return 0;
		}
		return fnarg_type_error(c, "[]v1.Container", v);
	}
	if (v->kind != TV_LIST)
		return fnarg_type_error(c, "[]v1.Container", v);
	for (size_t k = 0; k < v->u.list.len; k++) {
		const tv *e = istio_raw(v->u.list.items[k]);
		if (e && e->kind != TV_MAP && e->kind != TV_NULL)
			return fnarg_type_error(c, "[]v1.Container", v);
	}
	*list = v;
	return 0;
}

/* Container ports joined by ","; every protocol, as 1.1 does, except over
 * the newest Kubernetes types, where Istio skips UDP and SCTP ports. */
static int istio_ports(tmpl_call *c, const tv **r, bool skip_proxy)
{
	const tv *list;
	if (istio_arg_containers(c, 0, &list) < 0)
		return -1;
	const tv *arg = c->args[0];
	bool newest = arg && arg->type && arg->type->elem &&
		      arg->type->elem == types_lookup("latest/core/v1.Container");
	sbuf *out = tmpl_call_scratch(c, 0);
	for (size_t k = 0; list && k < list->u.list.len; k++) {
		const tv *ctr = istio_raw(list->u.list.items[k]);
		if (!ctr || ctr->kind != TV_MAP)
			continue;
		if (skip_proxy) {
			const tv *name = tv_map_get(ctr, "name", 4);
			if (name && name->kind == TV_STRING && name->u.s.len == 11 &&
			    memcmp(name->u.s.ptr, "istio-proxy", 11) == 0)
				continue;
		}
		const tv *ports = tv_map_get(ctr, "ports", 5);
		if (!ports || ports->kind != TV_LIST)
			continue;
		for (size_t j = 0; j < ports->u.list.len; j++) {
			const tv *p = istio_raw(ports->u.list.items[j]);
			const tv *num = p && p->kind == TV_MAP ? tv_map_get(p, "containerPort", 13) : NULL;
			const tv *proto = p && p->kind == TV_MAP ? tv_map_get(p, "protocol", 8) : NULL;
			if (newest && proto && proto->kind == TV_STRING &&
			    ((proto->u.s.len == 3 && memcmp(proto->u.s.ptr, "UDP", 3) == 0) ||
			     (proto->u.s.len == 4 && memcmp(proto->u.s.ptr, "SCTP", 4) == 0)))
				continue;
			if (out->len)
				sbuf_putc(out, ',');
			if (num && num->kind != TV_NULL)
				istio_sprint(out, num);
			else
				sbuf_putc(out, '0');
		}
	}
	*r = istio_result_string(c, out->buf, out->len);
	return 0;
}

/* includeInboundPorts([]Container) string: every container's ports. */
static int istio_include_inbound_ports(tmpl_call *c, const tv **r)
{
	return istio_ports(c, r, false);
}

/* applicationPorts([]Container) string: all but istio-proxy's. */
static int istio_application_ports(tmpl_call *c, const tv **r)
{
	return istio_ports(c, r, true);
}

/* kubevirtInterfaces(s string) string and excludeInterfaces: identity. */
static int istio_identity_string(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	*r = c->args[0];
	return 0;
}

/* annotation(meta metav1.ObjectMeta, name string, default any) string.
 * meta: an ObjectMeta view (or pointer), or a plain map with `annotations`
 * (or `Annotations`). */
static int istio_annotation(tmpl_call *c, const tv **r)
{
	const tv *meta = c->args[0];
	const char *name;
	size_t nlen;
	const tv *ann = NULL;
	if (!meta)
		return fnarg_type_error(c, "v1.ObjectMeta", meta);
	if (meta->type) {
		const char *tn = meta->type->go_name ? meta->type->go_name : "";
		bool is_meta = strcmp(tn, "v1.ObjectMeta") == 0 || strcmp(tn, "*v1.ObjectMeta") == 0;
		if (!is_meta || (meta->kind != TV_STRUCT && meta->kind != TV_NULL))
			return fnarg_type_error(c, "v1.ObjectMeta", meta);
		if (meta->kind == TV_NULL)
			return tmpl_call_typef(c, "dereference of nil pointer of type v1.ObjectMeta");
		const tv *raw = meta->u.strct.raw;
		if (raw && raw->kind == TV_MAP)
			ann = tv_map_get(raw, "annotations", 11);
	} else if (meta->kind == TV_MAP) {
		ann = tv_map_get(meta, "annotations", 11);
		if (!ann)
			ann = tv_map_get(meta, "Annotations", 11);
	} else {
		return fnarg_type_error(c, "v1.ObjectMeta", meta);
	}
	if (fnarg_string(c, 1, &name, &nlen) < 0)
		return -1;
	const tv *val = ann && ann->kind == TV_MAP ? tv_map_get(ann, name, nlen) : NULL;
	if (val && val->kind == TV_STRING) {
		*r = val->type ? istio_result_string(c, val->u.s.ptr, val->u.s.len) : val;
		return 0;
	}
	sbuf *b = tmpl_call_scratch(c, 0);
	if (val) {
		if (val->kind != TV_NULL)
			istio_sprint(b, val);
	} else {
		istio_sprint(b, c->args[2]);
	}
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* valueOrDefault(value, default any) any: default when value is nil or
 * the string "". (1.1 typed both as string; for strings the results agree,
 * and newer templates pass missing values.) */
static int istio_value_or_default(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	bool empty = !v || v->kind == TV_NULL ||
		     (v->kind == TV_STRING && v->u.s.len == 0 &&
		      (!v->type || (v->type->go_name && strcmp(v->type->go_name, "string") == 0)));
	*r = empty ? c->args[1] : v;
	return 0;
}

/* toJSON(map[string]string) string (alias toJson): "{}" for nil or error. */
static int istio_to_json(tmpl_call *c, const tv **r)
{
	const tv *m;
	if (istio_arg_strmap(c, 0, &m) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	tmpl_error e;
	tmpl_error_init(&e);
	if (!m || json_write(b, m, JSON_ESCAPE_HTML, &e) < 0) {
		b->len = 0;
		sbuf_puts(b, "{}");
	}
	tmpl_error_clear(&e);
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* fromJSON(string) any: numbers as float64; the string "{}" on error. */
static int istio_from_json(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	tmpl_error e;
	tmpl_error_init(&e);
	if (json_parse(c->arena, s, n, JSON_NUMBERS_FLOAT, r, &e) < 0)
		*r = tv_string(c->arena, "{}", 2);
	tmpl_error_clear(&e);
	return 0;
}

/* toYaml(any) string: sigs.k8s.io/yaml's form; "" on error. One set of
 * quoting rules serves every Istio: what a template prints is read back
 * by our YAML reader, which resolves plain scalars as yaml.v3 does, so
 * "1e3" must stay quoted to come back a string, as Istio 1.1's own
 * reader (yaml.v2 2.2.1) takes it plain. */
static int istio_to_yaml(tmpl_call *c, const tv **r)
{
	sbuf *b = tmpl_call_scratch(c, 0);
	tmpl_error e;
	tmpl_error_init(&e);
	const tv *v = c->args[0];
	if (ye_emit(b, v, YE_RULES_CURRENT, &e) < 0)
		b->len = 0;
	tmpl_error_clear(&e);
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* indent(n int, s string) string: n spaces before every line but the first
 * (Istio pads with "% Ns", so a negative n pads |n| spaces, left-justified). */
static int istio_indent(tmpl_call *c, const tv **r)
{
	int64_t n = 0;
	const char *s;
	size_t len;
	if (fnarg_int(c, 0, &n) < 0 || fnarg_string(c, 1, &s, &len) < 0)
		return -1;
	size_t pad = n >= 0 ? (size_t)n : (size_t)0 - (size_t)n;
	/* fmt's parsenum gives up on a width whose leading digits already
	 * exceed 1e6: the verb is lost and both operands are extra. */
	char digits[24];
	snprintf(digits, sizeof(digits), "%zu", pad);
	bool noverb = false;
	for (size_t k = 1, num = (size_t)(digits[0] - '0'); digits[k]; k++) {
		if (num > 1000000) {
			noverb = true;
			break;
		}
		num = num * 10 + (size_t)(digits[k] - '0');
	}
	sbuf *b = tmpl_call_scratch(c, 0);
	const char *p = s, *end = s + len;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (p != s && noverb) {
			sbuf_puts(b, "%!(NOVERB)%!(EXTRA string=, string=");
			sbuf_put(b, p, (size_t)((nl ? nl : end) - p));
			sbuf_putc(b, ')');
		} else {
			if (p != s)
				sbuf_pad(b, ' ', pad);
			sbuf_put(b, p, (size_t)((nl ? nl : end) - p));
		}
		if (!nl)
			break;
		sbuf_putc(b, '\n');
		p = nl + 1;
	}
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* directory(path string) string: path.Split's directory, slash kept. */
static int istio_directory(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	size_t k = n;
	while (k > 0 && s[k - 1] != '/')
		k--;
	*r = istio_result_string(c, s, k);
	return 0;
}

/* contains(needle, haystack string) bool */
static int istio_contains(tmpl_call *c, const tv **r)
{
	const char *needle, *hay;
	size_t nn, hn;
	if (fnarg_string(c, 0, &needle, &nn) < 0 || fnarg_string(c, 1, &hay, &hn) < 0)
		return -1;
	bool found = nn == 0;
	for (size_t i = 0; !found && i + nn <= hn; i++)
		found = memcmp(hay + i, needle, nn) == 0;
	*r = tv_bool(found);
	return 0;
}

/* toLower(string) string: strings.ToLower (invalid bytes become U+FFFD). */
static int istio_to_lower(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	for (size_t i = 0; i < n;) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80) {
			sbuf_putc(b, (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
			i++;
			continue;
		}
		size_t size;
		int32_t rr = u8_decode(s + i, n - i, &size);
		char buf[4];
		sbuf_put(b, buf, u8_encode(buf, u8_tolower_go119(rr)));
		i += size ? size : 1;
	}
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* structToJSON(any) string: json.Marshal; "{}" for nil or error. A typed
 * value (a Go struct such as v1.ContainerPort) is written in its JSON form
 * from the types layer (types_normalize_ex), whose maps keep the struct's
 * declaration order as Go's encoding/json does ({"name":"http",
 * "containerPort":80}), omitempty fields left out; plain maps are sorted. */
static int istio_struct_to_json(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	sbuf *b = tmpl_call_scratch(c, 0);
	tmpl_error e;
	tmpl_error_init(&e);
	const tv *src = v;
	if (v && v->type && types_normalize_ex(c->arena, v->type, istio_raw(v), 0, &src, &e) < 0)
		src = NULL;
	if (!src || (v->kind == TV_NULL && !v->type) || json_write(b, src, JSON_ESCAPE_HTML, &e) < 0) {
		b->len = 0;
		sbuf_puts(b, "{}");
	}
	tmpl_error_clear(&e);
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* Fields of the newest DefaultProxyConfig that protoToJSON leaves out when
 * a ProxyConfig holds them unchanged (JSON name, JSON text of the default). */
static const char *const istio_proxy_defaults[][2] = {
	{"configPath", "\"./etc/istio/proxy\""},
	{"binaryPath", "\"/usr/local/bin/envoy\""},
	{"controlPlaneAuthPolicy", "\"MUTUAL_TLS\""},
	{"serviceCluster", "\"istio-proxy\""},
	{"drainDuration", "\"45s\""},
	{"parentShutdownDuration", "\"60s\""},
	{"terminationDrainDuration", "\"5s\""},
	{"discoveryAddress", "\"istiod.istio-system.svc:15012\""},
	{"proxyAdminPort", "15000"},
	{"statNameLength", "189"},
	{"statusPort", "15020"},
	{"concurrency", "2"},
	{"tracing", "{\"zipkin\":{\"address\":\"zipkin.istio-system:9411\"}}"},
	{"proxyMetadata", "{}"},
};

/* protoToJSON(proto.Message) string: jsonpb's form (camelCase names, zero
 * values omitted, enums by name, compact, HTML-escaped strings) of the
 * message's JSON form (types_normalize);
 * a ProxyConfig loses the fields that equal the newest defaults (Istio's
 * cleanProxyConfig), so a default one prints {}; "{}" for nil or error.
 * A plain map stands for a message already in its JSON form. */
static int istio_proto_to_json(tmpl_call *c, const tv **r)
{
	const tv *v = c->args[0];
	sbuf *b = tmpl_call_scratch(c, 0);
	tmpl_error e;
	tmpl_error_init(&e);
	const tv *src = v;
	if (v && !v->type && v->kind != TV_MAP)
		return fnarg_type_error(c, "proto.Message", v);
	if (v && v->type && v->kind != TV_STRUCT && v->kind != TV_NULL)
		return fnarg_type_error(c, "proto.Message", v);
	if (!v || v->kind == TV_NULL || (v->kind == TV_STRUCT && !v->u.strct.raw)) {
		sbuf_puts(b, "{}");
		goto done;
	}
	if (v->type) {
		/* the message's JSON form, fields in the proto's declaration order */
		if (types_normalize_ex(c->arena, v->type, istio_raw(v), 0, &src, &e) < 0) {
			sbuf_puts(b, "{}");
			goto done;
		}
	} else if (v->kind == TV_STRUCT) {
		src = v->u.strct.raw;
	}
	bool is_pc = v->type && v->type->go_name &&
		     (strcmp(v->type->go_name, "*meshconfig.ProxyConfig") == 0 ||
		      strcmp(v->type->go_name, "meshconfig.ProxyConfig") == 0);
	if (is_pc && src && src->kind == TV_MAP) {
		tv *kept = tv_map_new(c->arena, src->u.map.len);
		sbuf *t = tmpl_call_scratch(c, 1);
		for (size_t k = 0; k < src->u.map.len; k++) {
			const tv_pair *p = &src->u.map.pairs[k];
			bool drop = false;
			for (size_t d = 0; !drop && p->key->kind == TV_STRING &&
					   d < sizeof(istio_proxy_defaults) / sizeof(istio_proxy_defaults[0]);
			     d++) {
				if (strcmp(p->key->u.s.ptr, istio_proxy_defaults[d][0]) != 0)
					continue;
				t->len = 0;
				drop = json_write(t, p->val, 0, &e) == 0 &&
				       strcmp(t->buf ? t->buf : "", istio_proxy_defaults[d][1]) == 0;
				tmpl_error_clear(&e);
			}
			if (!drop)
				tv_map_add(c->arena, kept, p->key, p->val);
		}
		kept->flags |= src->flags & TVF_STRUCTORDER;
		tv_map_seal(c->arena, kept);
		src = kept;
	}
	/* golang/protobuf's jsonpb writes strings with encoding/json: HTML-escaped. */
	if (json_write(b, src, JSON_ESCAPE_HTML, &e) < 0) {
		b->len = 0;
		sbuf_puts(b, "{}");
	}
done:
	tmpl_error_clear(&e);
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* appendMultusNetwork(existing, net string) string (k8s.v1.cni.cncf.io/networks). */
static int istio_append_multus_network(tmpl_call *c, const tv **r)
{
	const char *ex, *net;
	size_t en, nn;
	if (fnarg_string(c, 0, &ex, &en) < 0 || fnarg_string(c, 1, &net, &nn) < 0)
		return -1;
	if (en == 0) {
		*r = c->args[1];
		return 0;
	}
	const char *close = NULL;
	for (size_t i = en; i > 0; i--)
		if (ex[i - 1] == ']') {
			close = ex + i - 1;
			break;
		}
	sbuf *b = tmpl_call_scratch(c, 0);
	if (close) {
		const tv *list;
		tmpl_error e;
		tmpl_error_init(&e);
		int rc = json_parse(c->arena, ex, en, JSON_NUMBERS_FLOAT, &list, &e);
		tmpl_error_clear(&e);
		if (rc < 0 || list->kind != TV_LIST) {
			*r = c->args[0];
			return 0;
		}
		/* Kubernetes' SplitQualifiedName: "ns/name"; parts after a second
		 * slash are ignored. */
		const char *slash = memchr(net, '/', nn);
		const char *name = slash ? slash + 1 : net;
		size_t namen = slash ? nn - (size_t)(slash + 1 - net) : nn;
		size_t nsn = slash ? (size_t)(slash - net) : 0;
		const char *slash2 = slash ? memchr(name, '/', namen) : NULL;
		if (slash2)
			namen = (size_t)(slash2 - name);
		for (size_t i = 0; i < list->u.list.len; i++) {
			const tv *o = list->u.list.items[i];
			if (o->kind == TV_NULL)
				continue;
			if (o->kind != TV_MAP) {
				*r = c->args[0];
				return 0;
			}
		}
		for (size_t i = 0; i < list->u.list.len; i++) {
			const tv *o = list->u.list.items[i];
			if (o->kind != TV_MAP)
				continue;
			const tv *on = tv_map_get(o, "name", 4);
			if (!on || on->kind != TV_STRING || on->u.s.len != namen ||
			    memcmp(on->u.s.ptr, name, namen) != 0)
				continue;
			/* An absent or null namespace counts as "". */
			const tv *ons = tv_map_get(o, "namespace", 9);
			if (ons && ons->kind == TV_NULL)
				ons = NULL;
			if (ons ? ons->kind != TV_STRING || ons->u.s.len != nsn ||
					  memcmp(ons->u.s.ptr, net, nsn) != 0
				: nsn != 0)
				continue;
			*r = c->args[0];
			return 0;
		}
		sbuf_put(b, ex, (size_t)(close - ex));
		sbuf_puts(b, ", {\"name\": \"");
		sbuf_put(b, name, namen);
		sbuf_putc(b, '"');
		if (nsn) {
			sbuf_puts(b, ", \"namespace\": \"");
			sbuf_put(b, net, nsn);
			sbuf_putc(b, '"');
		}
		sbuf_putc(b, '}');
		sbuf_put(b, close, en - (size_t)(close - ex));
		*r = istio_result_string(c, b->buf, b->len);
		return 0;
	}
	const char *p = ex, *end = ex + en;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		const char *t = p;
		size_t tn = (size_t)(e - p);
		istio_trim(&t, &tn);
		if (tn == nn && memcmp(t, net, nn) == 0) {
			*r = c->args[0];
			return 0;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	sbuf_put(b, ex, en);
	sbuf_puts(b, ", ");
	sbuf_put(b, net, nn);
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* env(key, default string) string: the process environment; default when
 * unset or empty. */
static int istio_env(tmpl_call *c, const tv **r)
{
	const char *k, *d;
	size_t kn, dn;
	if (fnarg_string(c, 0, &k, &kn) < 0 || fnarg_string(c, 1, &d, &dn) < 0)
		return -1;
	const char *val = memchr(k, '\0', kn) ? NULL : getenv(k);
	*r = val && *val ? istio_result_string(c, val, strlen(val)) : c->args[1];
	return 0;
}

/* Append "key=" val to an attribute list. */
static void istio_attr(sbuf *b, const char *key, const char *v, size_t n)
{
	if (b->len)
		sbuf_putc(b, ',');
	sbuf_puts(b, key);
	sbuf_putc(b, '=');
	sbuf_put(b, v, n);
}

/* A non-empty string value of m[key], or NULL. */
static const tv *istio_nonempty(const tv *m, const char *key)
{
	const tv *v = m && m->kind == TV_MAP ? tv_map_get(m, key, strlen(key)) : NULL;
	return v && v->kind == TV_STRING && v->u.s.len ? v : NULL;
}

/* otelResourceAttributes(mesh *MeshConfig, annotations, labels
 * map[string]string, namespace string, containers []Container) string:
 * OTEL_RESOURCE_ATTRIBUTES (service.namespace, service.version,
 * service.instance.id), "" unless some OpenTelemetry extension provider asks
 * for OTEL_SEMANTIC_CONVENTIONS. mesh: a MeshConfig view or a plain map. */
static int istio_otel_resource_attributes(tmpl_call *c, const tv **r)
{
	const tv *mc = c->args[0], *ann, *labels, *ctrs;
	const char *ns;
	size_t nsn;
	if (mc && !(mc->type ? (mc->kind == TV_STRUCT || mc->kind == TV_NULL) &&
				       mc->type->go_name && strstr(mc->type->go_name, "MeshConfig")
			     : mc->kind == TV_MAP))
		return fnarg_type_error(c, "*meshconfig.MeshConfig", mc);
	if (istio_arg_strmap(c, 1, &ann) < 0 || istio_arg_strmap(c, 2, &labels) < 0 ||
	    fnarg_string(c, 3, &ns, &nsn) < 0 || istio_arg_containers(c, 4, &ctrs) < 0)
		return -1;
	const tv *raw = istio_raw(mc);
	const tv *eps = raw && raw->kind == TV_MAP ? tv_map_get(raw, "extensionProviders", 18) : NULL;
	bool semconv = false;
	for (size_t i = 0; !semconv && eps && eps->kind == TV_LIST && i < eps->u.list.len; i++) {
		const tv *ep = istio_raw(eps->u.list.items[i]);
		const tv *otel = ep && ep->kind == TV_MAP
					 ? istio_raw(tv_map_get(ep, "opentelemetry", 13))
					 : NULL;
		const tv *en = otel && otel->kind == TV_MAP
				       ? tv_map_get(otel, "serviceAttributeEnrichment", 26)
				       : NULL;
		semconv = en && ((en->kind == TV_STRING && en->u.s.len == 25 &&
				  memcmp(en->u.s.ptr, "OTEL_SEMANTIC_CONVENTIONS", 25) == 0) ||
				 (en->kind == TV_INT && en->u.i == 1));
	}
	sbuf *b = tmpl_call_scratch(c, 0);
	if (!semconv)
		goto done;
	const tv *v;
	if ((v = istio_nonempty(ann, "resource.opentelemetry.io/service.namespace")))
		istio_attr(b, "service.namespace", v->u.s.ptr, v->u.s.len);
	else if (nsn)
		istio_attr(b, "service.namespace", ns, nsn);
	size_t nctr = ctrs ? ctrs->u.list.len : 0;
	if ((v = istio_nonempty(ann, "resource.opentelemetry.io/service.version")) ||
	    (v = istio_nonempty(labels, "app.kubernetes.io/version"))) {
		istio_attr(b, "service.version", v->u.s.ptr, v->u.s.len);
	} else if (nctr == 1) {
		const tv *img = istio_nonempty(istio_raw(ctrs->u.list.items[0]), "image");
		const char *im = img ? img->u.s.ptr : "";
		size_t imn = img ? img->u.s.len : 0;
		const char *at = memchr(im, '@', imn);
		const char *digest = at ? at + 1 : NULL;
		size_t dn = at ? imn - (size_t)(at + 1 - im) : 0;
		size_t base = at ? (size_t)(at - im) : imn;
		const char *slash = NULL, *colon = NULL;
		for (size_t k = 0; k < base; k++) {
			if (im[k] == '/')
				slash = im + k;
			else if (im[k] == ':')
				colon = im + k;
		}
		const char *tag = colon && (!slash || colon > slash) ? colon + 1 : NULL;
		size_t tn = tag ? base - (size_t)(tag - im) : 0;
		if (tn && dn) {
			if (b->len)
				sbuf_putc(b, ',');
			sbuf_puts(b, "service.version=");
			sbuf_put(b, tag, tn);
			sbuf_putc(b, '@');
			sbuf_put(b, digest, dn);
		} else if (dn) {
			istio_attr(b, "service.version", digest, dn);
		} else if (tn) {
			istio_attr(b, "service.version", tag, tn);
		}
	}
	if ((v = istio_nonempty(ann, "resource.opentelemetry.io/service.instance.id"))) {
		istio_attr(b, "service.instance.id", v->u.s.ptr, v->u.s.len);
	} else if (nctr > 0) {
		const tv *name = istio_raw(ctrs->u.list.items[0]);
		name = name && name->kind == TV_MAP ? tv_map_get(name, "name", 4) : NULL;
		if (b->len)
			sbuf_putc(b, ',');
		sbuf_puts(b, "service.instance.id=");
		sbuf_put(b, ns, nsn);
		sbuf_puts(b, ".$(POD_NAME).");
		if (name && name->kind == TV_STRING)
			sbuf_put(b, name->u.s.ptr, name->u.s.len);
	}
done:
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* ---- map[string]string helpers of newer templates ---- */

static tv *istio_new_strmap(tmpl_call *c, size_t cap)
{
	tv *m = tv_map_new(c->arena, cap);
	const tmpl_type *t = types_lookup("map[string]string");
	m->type = t;
	return m;
}

/* Set key to val in an unsealed map, replacing an earlier value. */
static void istio_map_set(tmpl_call *c, tv *m, const tv *key, const tv *val)
{
	long at = tv_map_find_key(m, key);
	if (at >= 0)
		m->u.map.pairs[at].val = val;
	else
		tv_map_add(c->arena, m, key, val);
}

/* omit(m map[string]string, keys ...string) map[string]string */
static int istio_omit(tmpl_call *c, const tv **r)
{
	const tv *m;
	if (istio_arg_strmap(c, 0, &m) < 0)
		return -1;
	for (size_t i = 1; i < c->nargs; i++) {
		const char *s;
		size_t n;
		if (fnarg_string(c, i, &s, &n) < 0)
			return -1;
	}
	tv *out = istio_new_strmap(c, m ? m->u.map.len : 0);
	for (size_t k = 0; m && k < m->u.map.len; k++) {
		const tv *key = m->u.map.pairs[k].key;
		bool drop = false;
		for (size_t i = 1; !drop && i < c->nargs; i++)
			drop = tv_equal(key, c->args[i]);
		if (!drop)
			tv_map_add(c->arena, out, key, m->u.map.pairs[k].val);
	}
	tv_map_seal(c->arena, out);
	*r = out;
	return 0;
}

/* strdict(k1, v1, ...) map[string]string: a trailing key gets "". */
static int istio_strdict(tmpl_call *c, const tv **r)
{
	for (size_t i = 0; i < c->nargs; i++) {
		const char *s;
		size_t n;
		if (fnarg_string(c, i, &s, &n) < 0)
			return -1;
	}
	tv *out = istio_new_strmap(c, (c->nargs + 1) / 2);
	for (size_t i = 0; i < c->nargs; i += 2)
		istio_map_set(c, out, c->args[i],
			      i + 1 < c->nargs ? c->args[i + 1] : tv_string(c->arena, "", 0));
	tv_map_seal(c->arena, out);
	*r = out;
	return 0;
}

/* The merge of map[string]string arguments (later wins); NULL for none. */
static int istio_merge(tmpl_call *c, const tv **out)
{
	*out = NULL;
	size_t total = 0;
	for (size_t i = 0; i < c->nargs; i++) {
		const tv *m;
		if (istio_arg_strmap(c, i, &m) < 0)
			return -1;
		total += m ? m->u.map.len : 0;
	}
	if (c->nargs == 0)
		return 0;
	tv *res = istio_new_strmap(c, total);
	for (size_t i = 0; i < c->nargs; i++) {
		const tv *m = c->args[i];
		for (size_t k = 0; m && m->kind == TV_MAP && k < m->u.map.len; k++)
			istio_map_set(c, res, m->u.map.pairs[k].key, m->u.map.pairs[k].val);
	}
	tv_map_seal(c->arena, res);
	*out = res;
	return 0;
}

/* mergeMaps(maps ...map[string]string) map[string]string: nil for none. */
static int istio_merge_maps(tmpl_call *c, const tv **r)
{
	const tv *m;
	if (istio_merge(c, &m) < 0)
		return -1;
	if (!m) {
		tv *nil = istio_new_strmap(c, 0);
		tv_map_seal(c->arena, nil);
		m = nil;
	}
	*r = m;
	return 0;
}

/* toJsonMap(maps ...map[string]string) string: JSON of the merge; "null"
 * for no maps. */
static int istio_to_json_map(tmpl_call *c, const tv **r)
{
	const tv *m;
	if (istio_merge(c, &m) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	tmpl_error e;
	tmpl_error_init(&e);
	if (!m)
		sbuf_puts(b, "null");
	else if (json_write(b, m, JSON_ESCAPE_HTML, &e) < 0)
		b->len = 0;
	tmpl_error_clear(&e);
	*r = istio_result_string(c, b->buf, b->len);
	return 0;
}

/* omitNil's walk (Istio's omitNilInternal): *changed when some nil was
 * dropped below v. Only plain maps and lists are walked; a container is
 * copied, and becomes nil when left empty, only when something changed. */
static const tv *istio_omit_nil(tmpl_arena *a, const tv *v, bool *changed)
{
	*changed = false;
	if (!v || (v->kind == TV_NULL && !v->type)) {
		*changed = true;
		return NULL;
	}
	if (v->type || (v->kind != TV_MAP && v->kind != TV_LIST) ||
	    (v->kind == TV_MAP && (v->flags & TVF_ANYKEYS)))
		return v;
	size_t n = v->kind == TV_MAP ? v->u.map.len : v->u.list.len;
	const tv **kept = arena_alloc(a, (n + 1) * sizeof(*kept));
	size_t nk = 0;
	bool any = false;
	for (size_t k = 0; k < n; k++) {
		bool ch;
		const tv *e = v->kind == TV_MAP ? v->u.map.pairs[k].val : v->u.list.items[k];
		const tv *x = istio_omit_nil(a, e, &ch);
		any = any || ch;
		kept[k] = x;
		if (x)
			nk++;
	}
	if (!any)
		return v;
	*changed = true;
	if (nk == 0)
		return NULL;
	if (v->kind == TV_MAP) {
		tv *m = tv_map_new(a, nk);
		for (size_t k = 0; k < n; k++)
			if (kept[k])
				tv_map_add(a, m, v->u.map.pairs[k].key, kept[k]);
		tv_map_seal(a, m);
		return m;
	}
	tv *l = tv_list_new(a, nk);
	for (size_t k = 0, j = 0; k < n; k++)
		if (kept[k])
			l->u.list.items[j++] = kept[k];
	return l;
}

/* omitNil(any) any: nil values dropped from maps and lists, recursively;
 * a container left empty by that becomes nil. */
static int istio_omit_nil_fn(tmpl_call *c, const tv **r)
{
	bool changed;
	*r = istio_omit_nil(c->arena, c->args[0], &changed);
	return 0;
}

/* Istio 1.1's injection FuncMap (pilot/pkg/kube/inject/inject.go at 1.1.0). */
const tmpl_func istio_funcs[] = {
	{"annotation", 3, 3, 0, istio_annotation},
	{"applicationPorts", 1, 1, 0, istio_application_ports},
	{"directory", 1, 1, 0, istio_directory},
	{"excludeInboundPort", 2, 2, 0, istio_exclude_inbound_port},
	{"formatDuration", 1, 1, 0, istio_format_duration},
	{"fromJSON", 1, 1, 0, istio_from_json},
	{"includeInboundPorts", 1, 1, 0, istio_include_inbound_ports},
	{"indent", 2, 2, 0, istio_indent},
	{"isset", 2, 2, 0, istio_isset},
	{"kubevirtInterfaces", 1, 1, 0, istio_identity_string},
	{"toJSON", 1, 1, 0, istio_to_json},
	{"toJson", 1, 1, 0, istio_to_json},
	{"toYaml", 1, 1, 0, istio_to_yaml},
	{"valueOrDefault", 2, 2, 0, istio_value_or_default},
	{NULL, 0, 0, 0, NULL}
};

/* The newest Istio's InjectionFuncmap (pkg/kube/inject/template.go), which
 * its injector adds over sprig's TxtFuncMap: toJson is sprig's there. */
const tmpl_func istio_latest_funcs[] = {
	{"annotation", 3, 3, 0, istio_annotation},
	{"appendMultusNetwork", 2, 2, 0, istio_append_multus_network},
	{"applicationPorts", 1, 1, 0, istio_application_ports},
	{"contains", 2, 2, 0, istio_contains},
	{"directory", 1, 1, 0, istio_directory},
	{"env", 2, 2, 0, istio_env},
	{"excludeInboundPort", 2, 2, 0, istio_exclude_inbound_port},
	{"excludeInterfaces", 1, 1, 0, istio_identity_string},
	{"formatDuration", 1, 1, 0, istio_format_duration},
	{"fromJSON", 1, 1, 0, istio_from_json},
	{"includeInboundPorts", 1, 1, 0, istio_include_inbound_ports},
	{"indent", 2, 2, 0, istio_indent},
	{"isset", 2, 2, 0, istio_isset},
	{"kubevirtInterfaces", 1, 1, 0, istio_identity_string},
	{"mergeMaps", 0, -1, 0, istio_merge_maps},
	{"omit", 1, -1, 0, istio_omit},
	{"omitNil", 1, 1, 0, istio_omit_nil_fn},
	{"otelResourceAttributes", 5, 5, 0, istio_otel_resource_attributes},
	{"protoToJSON", 1, 1, 0, istio_proto_to_json},
	{"strdict", 0, -1, 0, istio_strdict},
	{"structToJSON", 1, 1, 0, istio_struct_to_json},
	{"toJSON", 1, 1, 0, istio_to_json},
	{"toJsonMap", 0, -1, 0, istio_to_json_map},
	{"toLower", 1, 1, 0, istio_to_lower},
	{"toYaml", 1, 1, 0, istio_to_yaml},
	{"valueOrDefault", 2, 2, 0, istio_value_or_default},
	{NULL, 0, 0, 0, NULL}
};
