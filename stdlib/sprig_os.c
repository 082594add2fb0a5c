/* sprig_os.c: sprig's env, expandenv (Go's os.Getenv and os.ExpandEnv), getHostByName (net.LookupHost through getaddrinfo) and hello.
 *
 * These read the process's environment and the resolver: the only sprig
 * functions whose result depends on the machine, not on the template.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "builtin.h"
#include "fnarg.h"
#include "sprig.h"
#include "tmpl.h"

/* os.Getenv: Go's environment is keyed by the text before the first '=',
 * so a name holding '=' or NUL (or the empty name) is never set. */
static const char *sos_getenv(const char *name, size_t n, size_t *len)
{
	*len = 0;
	if (n == 0 || memchr(name, '=', n) || memchr(name, '\0', n))
		return "";
	char small[256], *key = n < sizeof small ? small : malloc(n + 1);
	if (!key)
		tmpl_out_of_memory();
	memcpy(key, name, n);
	key[n] = '\0';
	const char *v = getenv(key);
	if (key != small)
		free(key);
	if (!v)
		return "";
	*len = strlen(v);
	return v;
}

static int sos_env(tmpl_call *c, const tv **r)
{
	const char *s, *v;
	size_t n, vn;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	v = sos_getenv(s, n, &vn);
	*r = tv_string(c->arena, v, vn);
	return 0;
}

static bool sos_special(char c)
{
	return c && strchr("*#$@!?-0123456789", c);
}

static bool sos_alnum(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* os.Expand's getShellName over s[0..n) (n >= 1): the name's place and
 * length, and how many bytes the reference takes after the '$'. */
static size_t sos_shell_name(const char *s, size_t n, const char **name, size_t *nlen)
{
	*name = s;
	*nlen = 0;
	if (s[0] == '{') {
		if (n > 2 && sos_special(s[1]) && s[2] == '}') {
			*name = s + 1;
			*nlen = 1;
			return 3;
		}
		for (size_t i = 1; i < n; i++)
			if (s[i] == '}') {
				if (i == 1)
					return 2; /* "${}": bad syntax, eaten */
				*name = s + 1;
				*nlen = i - 1;
				return i + 1;
			}
		return 1; /* "${" unterminated: eaten */
	}
	if (sos_special(s[0])) {
		*nlen = 1;
		return 1;
	}
	size_t i = 0;
	while (i < n && sos_alnum(s[i]))
		i++;
	*nlen = i;
	return i;
}

/* os.Expand(s, os.Getenv) into b, or (b NULL) only the result's length. */
static uint64_t sos_expand(sbuf *b, const char *s, size_t n)
{
	uint64_t total = 0;
	size_t i = 0;
	for (size_t j = 0; j < n; j++) {
		if (s[j] != '$' || j + 1 >= n)
			continue;
		total += j - i;
		if (b)
			sbuf_put(b, s + i, j - i);
		const char *name;
		size_t nlen, vn;
		size_t w = sos_shell_name(s + j + 1, n - j - 1, &name, &nlen);
		if (nlen == 0 && w == 0) { /* "$" and no name: kept */
			total++;
			if (b)
				sbuf_putc(b, '$');
		} else if (nlen) {
			const char *v = sos_getenv(name, nlen, &vn);
			total += vn;
			if (b)
				sbuf_put(b, v, vn);
		}
		j += w;
		i = j + 1;
	}
	total += n - i;
	if (b)
		sbuf_put(b, s + i, n - i);
	return total;
}

static int sos_expandenv(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	/* "$A$A$A..." over a long variable: ask before building it */
	if (tmpl_call_budget(c, sos_expand(NULL, s, n)) < 0)
		return -1;
	sbuf *b = tmpl_call_scratch(c, 0);
	sos_expand(b, s, n);
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

/* Is s an IP address as Go's net.ParseIP reads it (IPv6 with an optional
 * %zone)? net.LookupHost returns such a host unchanged, without a lookup. */
static bool sos_is_ip(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, s, buf) == 1)
		return true;
	char six[INET6_ADDRSTRLEN + 1];
	size_t n = strcspn(s, "%");
	if (n >= sizeof six || (s[n] == '%' && s[n + 1] == '\0'))
		return false;
	memcpy(six, s, n);
	six[n] = '\0';
	return inet_pton(AF_INET6, six, buf) == 1;
}

/* One address of getaddrinfo's as Go's IPAddr.String prints it: IPv4-mapped
 * IPv6 as IPv4, a scope as %zone. */
static void sos_addr_string(sbuf *b, const struct sockaddr *sa)
{
	char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
		sbuf_puts(b, text);
		return;
	}
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
	if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		inet_ntop(AF_INET, in6->sin6_addr.s6_addr + 12, text, sizeof text);
		sbuf_puts(b, text);
		return;
	}
	inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
	sbuf_puts(b, text);
	char ifname[IF_NAMESIZE];
	if (in6->sin6_scope_id) {
		sbuf_putc(b, '%');
		if (if_indextoname(in6->sin6_scope_id, ifname))
			sbuf_puts(b, ifname);
		else
			sbuf_printf(b, "%u", (unsigned)in6->sin6_scope_id);
	}
}

/* sprig 3.3.0's getHostByName: one of net.LookupHost(name)'s addresses at
 * random; on a failed lookup sprig's rand.Intn(0) panics. */
static int sos_get_host_by_name(tmpl_call *c, const tv **r)
{
	const char *s;
	size_t n;
	if (fnarg_string(c, 0, &s, &n) < 0)
		return -1;
	if (n == 0 || memchr(s, '\0', n)) /* Go: "no such host" without asking */
		return tmpl_call_errorf(c, "invalid argument to Intn");
	sbuf *name = tmpl_call_scratch(c, 1);
	sbuf_put(name, s, n);
	if (sos_is_ip(name->buf)) {
		*r = tv_string(c->arena, s, n);
		return 0;
	}
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* a fuzzer's names must not reach a DNS server: none is found */
	return tmpl_call_errorf(c, "invalid argument to Intn");
#endif
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name->buf, NULL, &hints, &res) != 0 || !res) {
		if (res)
			freeaddrinfo(res);
		return tmpl_call_errorf(c, "invalid argument to Intn");
	}
	size_t count = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		count += ai->ai_family == AF_INET || ai->ai_family == AF_INET6;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	size_t pick = count ? (size_t)((unsigned long)ts.tv_nsec % count) : 0;
	sbuf *b = tmpl_call_scratch(c, 0);
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (pick-- == 0) {
			sos_addr_string(b, ai->ai_addr);
			break;
		}
	}
	freeaddrinfo(res);
	if (count == 0)
		return tmpl_call_errorf(c, "invalid argument to Intn");
	*r = tv_string(c->arena, b->buf ? b->buf : "", b->len);
	return 0;
}

static int sos_hello(tmpl_call *c, const tv **r)
{
	*r = tv_string(c->arena, "Hello!", 6);
	return 0;
}

const tmpl_func sprig_os_funcs[] = {
	{"env", 1, 1, 0, sos_env},
	{"expandenv", 1, 1, 0, sos_expandenv},
	{"getHostByName", 1, 1, 0, sos_get_host_by_name},
	{"hello", 0, 0, 0, sos_hello},
	{NULL, 0, 0, 0, NULL}
};
