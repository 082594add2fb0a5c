/* concurrency.c: istio-proxy's --concurrency from its CPU limit or request, as Istio 1.1 appends it. */
#include "inject.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A Kubernetes quantity in base units (cores for CPU); -1 when unreadable. */
static double quantity(const char *s)
{
	char *end;
	if (!s || !*s)
		return -1;
	double v = strtod(s, &end);
	if (end == s)
		return -1;
	static const struct {
		const char *sfx;
		double mul;
	} sfx[] = {
		{"", 1}, {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15},
		{"E", 1e18}, {"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0},
		{"Ti", 1099511627776.0}, {"Pi", 1125899906842624.0}, {"Ei", 1152921504606846976.0},
	};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++)
		if (strcmp(end, sfx[i].sfx) == 0)
			return v * sfx[i].mul;
	return -1;
}

/* Cores, rounded up to whole milli-cores as Quantity.MilliValue does. */
static long cpu_cores(const tv *res, const char *which)
{
	const tv *m = inj_get(res, which);
	const char *q = inj_str(m, "cpu");
	double c = quantity(q);
	if (c <= 0)
		return 0;
	double milli = ceil(c * 1000 - 1e-9);
	return (long)ceil(milli / 1000);
}

/* The concurrency the args already set (^-{1,2}concurrency(=N)?$, value in the next arg). */
static long existing(const tv *args)
{
	if (!args || args->kind != TV_LIST)
		return 0;
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
		if (d == 0 || len - d < 11 || memcmp(s + d, "concurrency", 11) != 0)
			continue;
		const char *rest = s + d + 11;
		size_t rl = len - d - 11;
		const char *num;
		size_t nl;
		if (rl == 0) {
			if (i + 1 >= args->u.list.len)
				return 0;
			const tv *n = args->u.list.items[i + 1];
			if (n->kind != TV_STRING)
				return 0;
			num = n->u.s.ptr;
			nl = n->u.s.len;
		} else {
			if (rest[0] != '=' || rl < 2)
				continue;
			num = rest + 1;
			nl = rl - 1;
			bool digits = true;
			for (size_t k = 0; k < nl; k++)
				digits = digits && isdigit((unsigned char)num[k]);
			if (!digits)
				continue;
		}
		/* strconv.Atoi: optional sign, digits */
		size_t k = 0;
		bool neg = false;
		if (k < nl && (num[k] == '+' || num[k] == '-'))
			neg = num[k++] == '-';
		if (k == nl)
			return 0;
		long c = 0;
		for (; k < nl; k++) {
			if (!isdigit((unsigned char)num[k]))
				return 0;
			c = c * 10 + (num[k] - '0');
			if (c > 1000000000L)
				return 0;
		}
		return neg ? -c : c;
	}
	return 0;
}

const tv *inj_apply_concurrency(tmpl_arena *a, const tv *containers)
{
	for (size_t i = 0; i < containers->u.list.len; i++) {
		const tv *c = containers->u.list.items[i];
		const char *name = inj_str(c, "name");
		if (!name || strcmp(name, "istio-proxy") != 0)
			continue;
		const tv *args = inj_get(c, "args");
		if (existing(args) > 0)
			return containers;
		const tv *res = inj_get(c, "resources");
		long n = cpu_cores(res, "limits");
		if (n <= 0)
			n = cpu_cores(res, "requests");
		if (n <= 0)
			return containers;
		char buf[32];
		snprintf(buf, sizeof buf, "%ld", n);
		tv *extra = tv_list_new(a, 2);
		extra->u.list.items[0] = inj_cstr(a, "--concurrency");
		extra->u.list.items[1] = inj_cstr(a, buf);
		tv *out = tv_list_new(a, containers->u.list.len);
		memcpy(out->u.list.items, containers->u.list.items,
		       containers->u.list.len * sizeof(*out->u.list.items));
		out->u.list.items[i] = inj_set(a, c, "args", inj_concat(a, args, extra));
		return out;
	}
	return containers;
}
