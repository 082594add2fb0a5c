/* data_latest.c: the newest injector's SidecarTemplateData for one pod, filled as inject.go's RunTemplate fills it (images from the values, proxy IDs, deployment meta, inbound policy). */
#include "inject.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const tv *path(const tv *v, const char *a, const char *b, const char *c)
{
	v = inj_get(v, a);
	if (b)
		v = inj_get(v, b);
	if (c)
		v = inj_get(v, c);
	return v;
}

/* fmt.Sprintf("%v", tag.AsInterface()) of a structpb value: strings as
 * they are, numbers as float64 prints them (shortest text). */
static const char *tag_text(tmpl_arena *a, const tv *t)
{
	char buf[64];
	if (!t || t->kind == TV_NULL)
		return "";
	if (t->kind == TV_STRING)
		return t->u.s.ptr;
	if (t->kind == TV_INT) {
		snprintf(buf, sizeof buf, "%lld", (long long)t->u.i);
		return arena_strdup(a, buf);
	}
	if (t->kind == TV_FLOAT) {
		for (int p = 1; p <= 17; p++) {
			snprintf(buf, sizeof buf, "%.*g", p, t->u.f);
			if (strtod(buf, NULL) == t->u.f)
				break;
		}
		return arena_strdup(a, buf);
	}
	if (t->kind == TV_BOOL)
		return t->u.b ? "true" : "false";
	return "";
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* updateImageTypeIfPresent: a known type suffix (-distroless, -debug) of the
 * tag is replaced by the wanted type; "default" means none. */
static const char *image_tag(tmpl_arena *a, const char *tag, const char *type)
{
	if (!type || !*type)
		return tag;
	static const char *const known[] = {"-distroless", "-debug"};
	size_t n = strlen(tag);
	for (size_t i = 0; i < 2; i++)
		if (has_suffix(tag, known[i])) {
			n -= strlen(known[i]);
			break;
		}
	sbuf b = SBUF_INIT;
	sbuf_put(&b, tag, n);
	if (strcmp(type, "default") != 0)
		sbuf_printf(&b, "-%s", type);
	const char *r = arena_strndup(a, b.buf ? b.buf : "", b.len);
	sbuf_free(&b);
	return r;
}

const char *inj_latest_proxy_image(tmpl_arena *a, const tv *values, const tv *proxy_config,
				   const tv *annotations, bool init)
{
	const char *name = init ? inj_str(path(values, "global", "proxy_init", NULL), "image")
				: inj_str(path(values, "global", "proxy", NULL), "image");
	if (!name || !*name)
		name = "proxyv2";
	const char *type = init ? "" : inj_str(inj_get(proxy_config, "image"), "imageType");
	if (!type || !*type)
		type = inj_str(inj_get(values, "global"), "variant");
	const tv *it = inj_get(annotations, "sidecar.istio.io/proxyImageType");
	if (it && it->kind == TV_STRING)
		type = it->u.s.ptr;
	const char *hub = inj_str(inj_get(values, "global"), "hub");
	const char *tag = tag_text(a, inj_get(inj_get(values, "global"), "tag"));
	sbuf b = SBUF_INIT;
	sbuf_printf(&b, "%s/%s:%s", hub ? hub : "", name, image_tag(a, tag, type ? type : ""));
	const char *r = arena_strndup(a, b.buf, b.len);
	sbuf_free(&b);
	return r;
}

/* A Job name with a -<8 to 10 digit> suffix is a CronJob's (cronJobNameRegexp). */
static size_t cron_prefix(const char *s)
{
	size_t n = strlen(s), d = 0;
	while (d < n && isdigit((unsigned char)s[n - 1 - d]))
		d++;
	if (d < 8 || d > 10 || d + 1 >= n || s[n - 1 - d] != '-')
		return 0;
	return n - 1 - d;
}

/* OpenShift's uid.ParseBlock of s[0..n): "START/SIZE" or "START-END" (uint32s)
 * into [*lo, *hi]; false when it is neither. */
static bool id_block(const char *s, size_t n, long long *lo, long long *hi)
{
	unsigned long long v[2] = {0, 0};
	size_t i = 0;
	char sep = 0;
	for (int k = 0; k < 2; k++) {
		size_t d = 0;
		while (i < n && isdigit((unsigned char)s[i]) && d < 11) {
			v[k] = v[k] * 10 + (unsigned)(s[i++] - '0');
			d++;
		}
		if (!d || v[k] > 0xffffffffull)
			return false;
		if (k == 0) {
			if (i >= n || (s[i] != '/' && s[i] != '-'))
				return false;
			sep = s[i++];
		}
	}
	if (i != n)
		return false;
	if (sep == '/') {
		*lo = (long long)v[0];
		*hi = (long long)((v[0] + v[1] - 1) & 0xffffffffull); /* uint32 arithmetic */
		return true;
	}
	if (v[0] > v[1])
		return false;
	*lo = (long long)v[0];
	*hi = (long long)v[1];
	return true;
}

void inj_latest_pod_owner(tmpl_arena *a, const tv *meta, inj_latest_params *p)
{
	const char *name = inj_str(meta, "name");
	const char *gen = inj_str(meta, "generateName");
	const tv *labels = inj_get(meta, "labels");
	p->deploy_name = name ? name : "";
	p->deploy_ns = inj_str(meta, "namespace") ? inj_str(meta, "namespace") : "";
	p->kind = "Pod";
	p->api_version = "v1";
	const tv *refs = inj_get(meta, "ownerReferences");
	if (gen && *gen && refs && refs->kind == TV_LIST) {
		for (size_t i = 0; i < refs->u.list.len; i++) {
			const tv *r = refs->u.list.items[i];
			const tv *c = inj_get(r, "controller");
			if (!c || c->kind != TV_BOOL || !c->u.b)
				continue;
			const char *rk = inj_str(r, "kind"), *rn = inj_str(r, "name");
			const char *ra = inj_str(r, "apiVersion");
			p->kind = rk ? rk : "";
			p->api_version = ra ? ra : "";
			p->deploy_name = rn ? rn : "";
			const char *h = inj_str(labels, "pod-template-hash");
			const char *rh = inj_str(labels, "rollouts-pod-template-hash");
			const char *dc = inj_str(labels, "deploymentconfig");
			size_t cp;
			if (strcmp(p->kind, "ReplicaSet") == 0 && h && *h && has_suffix(p->deploy_name, h)) {
				size_t n = strlen(p->deploy_name) - strlen(h);
				if (n && p->deploy_name[n - 1] == '-')
					n--; /* TrimSuffix of "-hash" */
				else
					n = strlen(p->deploy_name);
				p->deploy_name = arena_strndup(a, p->deploy_name, n);
				p->kind = "Deployment";
			} else if (strcmp(p->kind, "ReplicaSet") == 0 && rh && *rh &&
				   has_suffix(p->deploy_name, rh)) {
				size_t n = strlen(p->deploy_name) - strlen(rh);
				if (n && p->deploy_name[n - 1] == '-')
					n--;
				else
					n = strlen(p->deploy_name);
				p->deploy_name = arena_strndup(a, p->deploy_name, n);
				p->kind = "Rollout";
				p->api_version = "v1alpha1";
			} else if (strcmp(p->kind, "ReplicationController") == 0 && dc && *dc) {
				p->deploy_name = dc;
				p->kind = "DeploymentConfig";
			} else if (strcmp(p->kind, "Job") == 0 && (cp = cron_prefix(p->deploy_name))) {
				p->deploy_name = arena_strndup(a, p->deploy_name, cp);
				p->kind = "CronJob";
				p->api_version = "batch/v1";
			}
			break;
		}
	}
	if (!*p->deploy_name)
		p->deploy_name = name ? name : "";
}

static void add(tmpl_arena *a, tv *m, const char *k, const tv *v)
{
	tv_map_add(a, m, inj_cstr(a, k), v ? v : &tv_null_value);
}

const tv *inj_latest_data(tmpl_arena *a, const inj_latest_params *p, const tv *mesh,
			  const tv *pod)
{
	const tv *meta = inj_get(pod, "metadata");
	const tv *pc = inj_get(mesh, "defaultConfig");
	const tv *ann = inj_get(meta, "annotations");
	tv *tm = tv_map_new(a, 2);
	add(a, tm, "kind", inj_cstr(a, p->kind ? p->kind : ""));
	add(a, tm, "apiVersion", inj_cstr(a, p->api_version ? p->api_version : ""));
	tv_map_seal(a, tm);
	tv *dm = tv_map_new(a, 2);
	add(a, dm, "Name", inj_cstr(a, p->deploy_name ? p->deploy_name : ""));
	add(a, dm, "Namespace", inj_cstr(a, p->deploy_ns ? p->deploy_ns : ""));
	tv_map_seal(a, dm);
	/* InboundTrafficPolicyMode: LOCALHOST -> "localhost", else "passthrough" */
	const char *mode = inj_str(inj_get(mesh, "inboundTrafficPolicy"), "mode");
	tv *m = tv_map_new(a, 15);
	add(a, m, "TypeMeta", tm);
	add(a, m, "DeploymentMeta", dm);
	add(a, m, "ObjectMeta", meta);
	add(a, m, "Spec", inj_get(pod, "spec"));
	add(a, m, "ProxyConfig", pc);
	add(a, m, "MeshConfig", mesh);
	add(a, m, "Values", p->values);
	add(a, m, "Revision", inj_cstr(a, p->revision ? p->revision : ""));
	add(a, m, "NativeSidecars", tv_bool(p->native_sidecars));
	add(a, m, "ProxyImage", inj_cstr(a, inj_latest_proxy_image(a, p->values, pc, ann, false)));
	add(a, m, "ProxyInitImage", inj_cstr(a, inj_latest_proxy_image(a, p->values, pc, ann, true)));
	/* GetProxyIDs: 1337 unless an OpenShift namespace says otherwise
	 * (kube-inject has no namespace object) */
	long long uid = 1337, gid = 1337, lo, hi;
	const tv *nsann = inj_get(inj_get(p->namespace, "metadata"), "annotations");
	const char *ur = inj_str(nsann, "openshift.io/sa.scc.uid-range");
	const char *sg = inj_str(nsann, "openshift.io/sa.scc.supplemental-groups");
	if (ur && id_block(ur, strlen(ur), &lo, &hi))
		uid = hi;
	if (!sg)
		sg = ur; /* getSupplementalGroupsAnnotation's fallback */
	if (sg && *sg && id_block(sg, strcspn(sg, ","), &lo, &hi))
		gid = hi; /* the first block of the list */
	add(a, m, "ProxyUID", tv_int(a, uid));
	add(a, m, "ProxyGID", tv_int(a, gid));
	add(a, m, "InboundTrafficPolicyMode",
	    inj_cstr(a, mode && strcmp(mode, "LOCALHOST") == 0 ? "localhost" : "passthrough"));
	add(a, m, "CompliancePolicy", inj_cstr(a, p->compliance ? p->compliance : ""));
	tv_map_seal(a, m);
	return m;
}
