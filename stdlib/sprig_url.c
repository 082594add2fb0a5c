/* sprig_url.c: sprig's urlParse and urlJoin, with Go's net/url parsing (url.Parse), escaping (URL.String) and error texts.
 *
 * urlParse gives the map sprig builds (scheme, host, hostname, path, query,
 * opaque, fragment, userinfo); urlJoin builds a URL from such a map. Both
 * panic in sprig ("unable to parse url: parse \"x\": ..."), which
 * text/template reports as the call's error.
 */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "fmt.h"
#include "fnarg.h"
#include "sprig.h"
#include "types.h"

typedef struct surl_str {
	const char *p;
	size_t n;
} surl_str;

/* net/url's encoding modes */
enum { SURL_PATH = 1, SURL_HOST, SURL_ZONE, SURL_USERPASS, SURL_FRAGMENT };

typedef struct surl {
	surl_str scheme, opaque, host, path, query, fragment;
	bool has_user, has_password;
	surl_str user, password;
} surl;

static bool surl_ishex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned surl_unhex(char c)
{
	return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

/* net/url's shouldEscape */
static bool surl_should_escape(unsigned char c, int mode)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return false;
	if ((mode == SURL_HOST || mode == SURL_ZONE) && c && strchr("!$&'()*+,;=:[]<>\"", c))
		return false;
	if (c == '-' || c == '_' || c == '.' || c == '~')
		return false;
	if (c && strchr("$&+,/:;=?@", c)) {
		switch (mode) {
		case SURL_PATH:
			return c == '?';
		case SURL_USERPASS:
			return c == '@' || c == '/' || c == '?' || c == ':';
		case SURL_FRAGMENT:
			return false;
		default:
			break;
		}
	}
	if (mode == SURL_FRAGMENT && c && strchr("!()*", c))
		return false;
	return true;
}

/* net/url's escape: bytes shouldEscape picks as %XX (upper-case hex). */
static void surl_escape(sbuf *b, surl_str s, int mode)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (surl_should_escape(c, mode)) {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			sbuf_put(b, e, 3);
		} else {
			sbuf_putc(b, (char)c);
		}
	}
}

/* Record Go's error text into err: fmt, or when q is given, fmt's text up to
 * its embedded NUL, q quoted as Go's %q, and the text after that NUL. */
static int surl_fail(sbuf *err, const char *fmt, const char *q, size_t qn)
{
	sbuf_puts(err, fmt);
	if (q) {
		fmt_quote(err, q, qn);
		sbuf_puts(err, fmt + strlen(fmt) + 1); /* the text after the quoted part */
	}
	return -1;
}

/* net/url's unescape into out (allocated in a); -1 with the error in err. */
static int surl_unescape(tmpl_arena *a, surl_str s, int mode, surl_str *out, sbuf *err)
{
	size_t pct = 0;
	for (size_t i = 0; i < s.n;) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '%') {
			pct++;
			if (i + 2 >= s.n || !surl_ishex(s.p[i + 1]) || !surl_ishex(s.p[i + 2])) {
				size_t k = s.n - i > 3 ? 3 : s.n - i;
				return surl_fail(err, "invalid URL escape \0", s.p + i, k);
			}
			if (mode == SURL_HOST && surl_unhex(s.p[i + 1]) < 8 && memcmp(s.p + i, "%25", 3) != 0)
				return surl_fail(err, "invalid URL escape \0", s.p + i, 3);
			if (mode == SURL_ZONE) {
				unsigned v = surl_unhex(s.p[i + 1]) << 4 | surl_unhex(s.p[i + 2]);
				if (memcmp(s.p + i, "%25", 3) != 0 && v != ' ' &&
				    surl_should_escape((unsigned char)v, SURL_HOST))
					return surl_fail(err, "invalid URL escape \0", s.p + i, 3);
			}
			i += 3;
		} else {
			if ((mode == SURL_HOST || mode == SURL_ZONE) && c < 0x80 &&
			    surl_should_escape(c, mode))
				return surl_fail(err, "invalid character \0 in host name", s.p + i, 1);
			i++;
		}
	}
	if (pct == 0) {
		*out = s;
		return 0;
	}
	char *t = arena_alloc(a, s.n + 1);
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '%') {
			t[n++] = (char)(surl_unhex(s.p[i + 1]) << 4 | surl_unhex(s.p[i + 2]));
			i += 2;
		} else {
			t[n++] = s.p[i];
		}
	}
	out->p = t;
	out->n = n;
	return 0;
}

static const char *surl_find(surl_str s, char c)
{
	return s.n ? memchr(s.p, c, s.n) : NULL;
}

static const char *surl_find_last(surl_str s, char c)
{
	for (size_t i = s.n; i > 0; i--)
		if (s.p[i - 1] == c)
			return s.p + i - 1;
	return NULL;
}

static bool surl_valid_port(surl_str port)
{
	if (port.n == 0)
		return true;
	if (port.p[0] != ':')
		return false;
	for (size_t i = 1; i < port.n; i++)
		if (port.p[i] < '0' || port.p[i] > '9')
			return false;
	return true;
}

static int surl_parse_host(tmpl_arena *a, surl_str h, surl_str *out, sbuf *err)
{
	if (h.n && h.p[0] == '[') {
		const char *rb = surl_find_last(h, ']');
		if (!rb)
			return surl_fail(err, "missing ']' in host", NULL, 0);
		surl_str port = {rb + 1, (size_t)(h.p + h.n - rb - 1)};
		if (!surl_valid_port(port))
			return surl_fail(err, "invalid port \0 after host", port.p, port.n);
		size_t i = (size_t)(rb - h.p);
		const char *zone = NULL;
		for (size_t k = 0; k + 3 <= i; k++)
			if (memcmp(h.p + k, "%25", 3) == 0) {
				zone = h.p + k;
				break;
			}
		if (zone) {
			surl_str h1, h2, h3;
			size_t z = (size_t)(zone - h.p);
			if (surl_unescape(a, (surl_str){h.p, z}, SURL_HOST, &h1, err) < 0 ||
			    surl_unescape(a, (surl_str){zone, i - z}, SURL_ZONE, &h2, err) < 0 ||
			    surl_unescape(a, (surl_str){rb, h.n - i}, SURL_HOST, &h3, err) < 0)
				return -1;
			char *t = arena_alloc(a, h1.n + h2.n + h3.n + 1);
			memcpy(t, h1.p, h1.n);
			memcpy(t + h1.n, h2.p, h2.n);
			memcpy(t + h1.n + h2.n, h3.p, h3.n);
			out->p = t;
			out->n = h1.n + h2.n + h3.n;
			return 0;
		}
	} else {
		const char *colon = surl_find_last(h, ':');
		if (colon) {
			surl_str port = {colon, (size_t)(h.p + h.n - colon)};
			if (!surl_valid_port(port))
				return surl_fail(err, "invalid port \0 after host", port.p, port.n);
		}
	}
	return surl_unescape(a, h, SURL_HOST, out, err);
}

/* net/url's validUserinfo: RFC 3986's userinfo characters, by rune. */
static bool surl_valid_userinfo(surl_str s)
{
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			continue;
		if (!c || !strchr("-._:~!$&'()*+,;=%@", c))
			return false; /* non-ASCII runes too */
	}
	return true;
}

static int surl_parse_authority(tmpl_arena *a, surl_str auth, surl *u, sbuf *err)
{
	const char *at = surl_find_last(auth, '@');
	surl_str h = at ? (surl_str){at + 1, (size_t)(auth.p + auth.n - at - 1)} : auth;
	if (surl_parse_host(a, h, &u->host, err) < 0)
		return -1;
	if (!at)
		return 0;
	surl_str ui = {auth.p, (size_t)(at - auth.p)};
	if (!surl_valid_userinfo(ui))
		return surl_fail(err, "net/url: invalid userinfo", NULL, 0);
	const char *colon = surl_find(ui, ':');
	u->has_user = true;
	if (!colon)
		return surl_unescape(a, ui, SURL_USERPASS, &u->user, err);
	u->has_password = true;
	if (surl_unescape(a, (surl_str){ui.p, (size_t)(colon - ui.p)}, SURL_USERPASS, &u->user, err) < 0)
		return -1;
	return surl_unescape(a, (surl_str){colon + 1, (size_t)(ui.p + ui.n - colon - 1)},
			     SURL_USERPASS, &u->password, err);
}

/* net/url's parse(rawURL, viaRequest=false), the fragment already cut off. */
static int surl_parse_nofrag(tmpl_arena *a, surl_str raw, surl *u, sbuf *err)
{
	for (size_t i = 0; i < raw.n; i++)
		if ((unsigned char)raw.p[i] < ' ' || raw.p[i] == 0x7f)
			return surl_fail(err, "net/url: invalid control character in URL", NULL, 0);
	if (raw.n == 1 && raw.p[0] == '*') {
		u->path = raw;
		return 0;
	}
	/* getScheme */
	surl_str rest = raw;
	for (size_t i = 0; i < raw.n; i++) {
		char c = raw.p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				break;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				return surl_fail(err, "missing protocol scheme", NULL, 0);
			char *s = arena_alloc(a, i + 1);
			for (size_t k = 0; k < i; k++)
				s[k] = (raw.p[k] >= 'A' && raw.p[k] <= 'Z') ? (char)(raw.p[k] | 0x20) : raw.p[k];
			u->scheme = (surl_str){s, i};
			rest = (surl_str){raw.p + i + 1, raw.n - i - 1};
		}
		break;
	}
	/* the query: a lone trailing '?' is ForceQuery (not in sprig's map) */
	const char *q = surl_find(rest, '?');
	if (q) {
		u->query = (surl_str){q + 1, (size_t)(rest.p + rest.n - q - 1)};
		rest.n = (size_t)(q - rest.p);
	}
	bool slash = rest.n && rest.p[0] == '/';
	if (!slash) {
		if (u->scheme.n) {
			u->opaque = rest;
			return 0;
		}
		const char *sl = surl_find(rest, '/');
		surl_str seg = {rest.p, sl ? (size_t)(sl - rest.p) : rest.n};
		if (surl_find(seg, ':'))
			return surl_fail(err, "first path segment in URL cannot contain colon", NULL, 0);
	}
	bool three = rest.n >= 3 && memcmp(rest.p, "///", 3) == 0;
	if ((u->scheme.n || !three) && rest.n >= 2 && rest.p[0] == '/' && rest.p[1] == '/') {
		surl_str auth = {rest.p + 2, rest.n - 2};
		const char *sl = surl_find(auth, '/');
		if (sl) {
			rest = (surl_str){sl, (size_t)(auth.p + auth.n - sl)};
			auth.n = (size_t)(sl - auth.p);
		} else {
			rest = (surl_str){rest.p + rest.n, 0};
		}
		if (surl_parse_authority(a, auth, u, err) < 0)
			return -1;
	}
	return surl_unescape(a, rest, SURL_PATH, &u->path, err);
}

/* url.Parse; on error err holds url.Error's text: parse "RAW": MESSAGE. */
static int surl_parse(tmpl_arena *a, surl_str raw, surl *u, sbuf *err)
{
	memset(u, 0, sizeof *u);
	const char *hash = surl_find(raw, '#');
	surl_str head = {raw.p, hash ? (size_t)(hash - raw.p) : raw.n};
	sbuf msg = SBUF_INIT;
	int rc = surl_parse_nofrag(a, head, u, &msg);
	if (rc == 0 && hash) {
		surl_str f = {hash + 1, (size_t)(raw.p + raw.n - hash - 1)};
		rc = surl_unescape(a, f, SURL_FRAGMENT, &u->fragment, &msg);
		head = raw; /* a bad fragment reports the whole text */
	}
	if (rc < 0) {
		sbuf_puts(err, "parse ");
		fmt_quote(err, head.p, head.n);
		sbuf_puts(err, ": ");
		sbuf_put(err, msg.buf, msg.len);
	}
	sbuf_free(&msg);
	return rc;
}

/* net/url's Userinfo.String */
static void surl_put_userinfo(sbuf *b, const surl *u)
{
	surl_escape(b, u->user, SURL_USERPASS);
	if (u->has_password) {
		sbuf_putc(b, ':');
		surl_escape(b, u->password, SURL_USERPASS);
	}
}

/* url.URL.String for a URL built field by field (no RawPath, RawFragment,
 * ForceQuery or OmitHost). */
static void surl_string(sbuf *b, const surl *u)
{
	size_t start = b->len;
	if (u->scheme.n) {
		sbuf_put(b, u->scheme.p, u->scheme.n);
		sbuf_putc(b, ':');
	}
	if (u->opaque.n) {
		sbuf_put(b, u->opaque.p, u->opaque.n);
	} else {
		if (u->scheme.n || u->host.n || u->has_user) {
			if (u->host.n || u->path.n || u->has_user)
				sbuf_puts(b, "//");
			if (u->has_user) {
				surl_put_userinfo(b, u);
				sbuf_putc(b, '@');
			}
			surl_escape(b, u->host, SURL_HOST);
		}
		sbuf path = SBUF_INIT;
		if (u->path.n == 1 && u->path.p[0] == '*')
			sbuf_putc(&path, '*');
		else
			surl_escape(&path, u->path, SURL_PATH);
		if (path.len && path.buf[0] != '/' && u->host.n)
			sbuf_putc(b, '/');
		if (b->len == start) {
			surl_str ps = {path.buf, path.len};
			const char *sl = surl_find(ps, '/');
			surl_str seg = {path.buf, sl ? (size_t)(sl - path.buf) : path.len};
			if (surl_find(seg, ':'))
				sbuf_puts(b, "./");
		}
		sbuf_put(b, path.buf, path.len);
		sbuf_free(&path);
	}
	if (u->query.n) {
		sbuf_putc(b, '?');
		sbuf_put(b, u->query.p, u->query.n);
	}
	if (u->fragment.n) {
		sbuf_putc(b, '#');
		surl_escape(b, u->fragment, SURL_FRAGMENT);
	}
}

static const tv *surl_tv(tmpl_call *c, surl_str s)
{
	return tv_string(c->arena, s.p ? s.p : "", s.n);
}

static void surl_put(tmpl_call *c, tv *m, const char *key, const tv *val)
{
	tv_map_add(c->arena, m, tv_string(c->arena, key, strlen(key)), val);
}

/* URL.Hostname: the host without a valid numeric port and without [ ]. */
static surl_str surl_hostname(surl_str h)
{
	const char *colon = surl_find_last(h, ':');
	if (colon && surl_valid_port((surl_str){colon, (size_t)(h.p + h.n - colon)}))
		h.n = (size_t)(colon - h.p);
	if (h.n >= 2 && h.p[0] == '[' && h.p[h.n - 1] == ']')
		h = (surl_str){h.p + 1, h.n - 2};
	return h;
}

static int surl_url_parse(tmpl_call *c, const tv **r)
{
	surl_str raw;
	if (fnarg_string(c, 0, &raw.p, &raw.n) < 0)
		return -1;
	surl u;
	sbuf *err = tmpl_call_scratch(c, 0);
	if (surl_parse(c->arena, raw, &u, err) < 0)
		return tmpl_call_errorf(c, "unable to parse url: %.*s", (int)err->len, err->buf);
	tv *m = tv_map_new(c->arena, 8);
	surl_put(c, m, "scheme", surl_tv(c, u.scheme));
	surl_put(c, m, "host", surl_tv(c, u.host));
	surl_put(c, m, "hostname", surl_tv(c, surl_hostname(u.host)));
	surl_put(c, m, "path", surl_tv(c, u.path));
	surl_put(c, m, "query", surl_tv(c, u.query));
	surl_put(c, m, "opaque", surl_tv(c, u.opaque));
	surl_put(c, m, "fragment", surl_tv(c, u.fragment));
	sbuf *ui = tmpl_call_scratch(c, 1);
	if (u.has_user)
		surl_put_userinfo(ui, &u);
	surl_put(c, m, "userinfo", tv_string(c->arena, ui->buf ? ui->buf : "", ui->len));
	tv_map_seal(c->arena, m);
	*r = m;
	return 0;
}

/* sprig's dictGetOrEmpty: "" when absent; a panic unless a string. */
static int surl_dict_get(tmpl_call *c, const tv *d, const char *key, surl_str *out)
{
	*out = (surl_str){"", 0};
	long p = d ? tv_map_find_key(d, tv_string(c->arena, key, strlen(key))) : -1;
	if (p < 0)
		return 0;
	const tv *v = d->u.map.pairs[p].val;
	if (sprig_is_nil(v))
		return sprig_nil_panic(c); /* reflect.TypeOf(nil).Kind() */
	if (v->kind != TV_STRING)
		return tmpl_call_errorf(c, "unable to parse %s key, must be of type string, but %s found",
					key, sprig_kind_name(v));
	*out = (surl_str){v->u.s.ptr, v->u.s.len};
	return 0;
}

static int surl_url_join(tmpl_call *c, const tv **r)
{
	const tv *d = c->args[0];
	/* a missing value is a nil map; a nil element is not a map */
	if (d && (d->kind != TV_MAP || (d->flags & TVF_ANYKEYS) ||
		 (d->type && (!d->type->go_name ||
			      strcmp(d->type->go_name, "map[string]interface {}") != 0))))
		return fnarg_type_error(c, "map[string]interface {}", d);
	surl u;
	memset(&u, 0, sizeof u);
	surl_str ui;
	if (surl_dict_get(c, d, "scheme", &u.scheme) < 0 || surl_dict_get(c, d, "host", &u.host) < 0 ||
	    surl_dict_get(c, d, "path", &u.path) < 0 || surl_dict_get(c, d, "query", &u.query) < 0 ||
	    surl_dict_get(c, d, "opaque", &u.opaque) < 0 ||
	    surl_dict_get(c, d, "fragment", &u.fragment) < 0 ||
	    surl_dict_get(c, d, "userinfo", &ui) < 0)
		return -1;
	if (ui.n) {
		/* sprig reads the userinfo back through url.Parse("proto://%s@host") */
		sbuf *t = tmpl_call_scratch(c, 1);
		sbuf_puts(t, "proto://");
		sbuf_put(t, ui.p, ui.n);
		sbuf_puts(t, "@host");
		char *text = arena_alloc(c->arena, t->len + 1);
		memcpy(text, t->buf, t->len + 1);
		surl tmp;
		sbuf *err = tmpl_call_scratch(c, 0);
		if (surl_parse(c->arena, (surl_str){text, t->len}, &tmp, err) < 0)
			return tmpl_call_errorf(c, "unable to parse userinfo in dict: %.*s",
						(int)err->len, err->buf);
		u.has_user = tmp.has_user;
		u.has_password = tmp.has_password;
		u.user = tmp.user;
		u.password = tmp.password;
	}
	sbuf *b = tmpl_call_scratch(c, 0);
	surl_string(b, &u);
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

const tmpl_func sprig_url_funcs[] = {
	{"urlJoin", 1, 1, 0, surl_url_join},
	{"urlParse", 1, 1, 0, surl_url_parse},
	{NULL, 0, 0, 0, NULL}
};
