/* patch_latest.c: the newest Istio's webhook injection of one pod (webhook.go inject and injectPod): decode, the Config's policy, the injection kube-inject runs, and the JSON patch from the pod as it came to the injected one. */
#include "inject/patch.h"

#include <ctype.h>
#include <string.h>

#include "json.h"

/* inject.IgnoredNamespaces, as the newest injector's policy reads them. */
static const char *const ignored_ns[] = {"kube-system", "kube-public", "kube-node-lease",
					 "local-path-storage", NULL};

/* A copy of s[0..n) with every "--slash--" as "/". */
static const char *unslash(tmpl_arena *a, const char *s, size_t n)
{
	static const char mark[] = "--slash--";
	char *o = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		if (n - i >= sizeof mark - 1 && memcmp(s + i, mark, sizeof mark - 1) == 0) {
			o[k++] = '/';
			i += sizeof mark - 1;
		} else {
			o[k++] = s[i++];
		}
	}
	o[k] = 0;
	return o;
}

/* One key/value of the URL: the known keys (cluster, net) name Istio's
 * envs, any other is upper-cased; later pairs win, as in a Go map. */
static void put_env(tmpl_arena *a, tv *m, const char *k, size_t kl, const char *v)
{
	const char *env;
	if (kl == 7 && memcmp(k, "cluster", 7) == 0) {
		env = "ISTIO_META_CLUSTER_ID";
	} else if (kl == 3 && memcmp(k, "net", 3) == 0) {
		env = "ISTIO_META_NETWORK";
	} else {
		char *u = arena_alloc(a, kl + 1);
		for (size_t i = 0; i < kl; i++)
			u[i] = (char)toupper((unsigned char)k[i]);
		u[kl] = 0;
		env = u;
	}
	if (!*env)
		return;
	for (size_t i = 0; i < m->u.map.len; i++)
		if (strcmp(m->u.map.pairs[i].key->u.s.ptr, env) == 0) {
			m->u.map.pairs[i].val = inj_cstr(a, v);
			return;
		}
	tv_map_add(a, m, inj_cstr(a, env), inj_cstr(a, v));
}

const tv *inj_latest_inject_envs(tmpl_arena *a, const char *path)
{
	tv *m = tv_map_new(a, 4);
	size_t n = path ? strlen(path) : 0;
	if (n && path[n - 1] == '/') /* strings.TrimSuffix(path, "/") */
		n--;
	/* strings.SplitN(path, "/", 3): the part after the second slash */
	const char *s1 = n ? memchr(path, '/', n) : NULL;
	const char *s2 = s1 ? memchr(s1 + 1, '/', (size_t)(path + n - s1 - 1)) : NULL;
	if (!s2) {
		tv_map_seal(a, m);
		return m;
	}
	const char *rest = s2 + 1, *end = path + n;
	static const char envmark[] = ":ENV:";
	if ((size_t)(end - rest) >= 5 && memcmp(rest, envmark, 5) == 0) {
		/* the deprecated /inject/:ENV:k=v:ENV:k2=v2 (values keep their slashes) */
		const char *p = rest + 5;
		while (p <= end) {
			const char *q = p;
			while (q + 5 <= end && memcmp(q, envmark, 5) != 0)
				q++;
			if (q + 5 > end)
				q = end;
			const char *eq = memchr(p, '=', (size_t)(q - p));
			if (eq && eq > p) {
				const char *v = arena_strndup(a, eq + 1, (size_t)(q - eq - 1));
				put_env(a, m, p, (size_t)(eq - p), v);
			}
			if (q == end)
				break;
			p = q + 5;
		}
		tv_map_seal(a, m);
		return m;
	}
	/* k1/v1/k2/v2 (a last key without a value is ignored) */
	const char *p = rest;
	for (;;) {
		const char *ke = memchr(p, '/', (size_t)(end - p));
		if (!ke)
			break;
		const char *v = ke + 1, *ve = memchr(v, '/', (size_t)(end - v));
		if (!ve)
			ve = end;
		put_env(a, m, p, (size_t)(ke - p), unslash(a, v, (size_t)(ve - v)));
		if (ve == end)
			break;
		p = ve + 1;
	}
	tv_map_seal(a, m);
	return m;
}

int inj_latest_patch_pod(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *raw,
			 const char *ns, const char *path, const tv **patch,
			 inj_patch_info *info, tmpl_error *err)
{
	info->meta = TV_NOVALUE;
	info->skipped = NULL;
	*patch = TV_NOVALUE;
	const tv *pod;
	if (inj_patch_decode_pod(a, types_lookup("latest/core/v1.Pod"), raw, 0, &pod, err) != 0)
		return -1;
	/* managedFields never change the injection and can be large: Istio drops them */
	const tv *meta = inj_without(a, inj_get(pod, "metadata"), "managedFields");
	const tv *spec = inj_get(pod, "spec");
	const char *pns = inj_str(meta, "namespace");
	if ((!pns || !*pns) && ns && *ns)
		meta = inj_set(a, meta, "namespace", inj_cstr(a, ns));
	info->meta = meta;
	if (!inj_policy_required(cfg, ignored_ns, meta, spec)) {
		const tv *hn = inj_get(spec, "hostNetwork");
		const char *n = inj_str(meta, "namespace");
		bool ign = false;
		for (size_t i = 0; ignored_ns[i]; i++)
			ign = ign || strcmp(n ? n : "", ignored_ns[i]) == 0;
		info->skipped = hn && hn->kind == TV_BOOL && hn->u.b ? "host networking enabled"
				: ign ? "ignored namespace" : "injection policy";
		return 0;
	}
	const tv *nsobj;
	spec = inj_latest_openshift(a, cfg, inj_str(meta, "namespace"), spec, &nsobj);
	/* the patch is made against the pod as decoded (json.Marshal(req.pod)),
	 * after OpenShift's change of the proxy's user */
	const tv *orig = inj_set(a, inj_set(a, pod, "metadata", meta), "spec", spec);

	inj_latest_params p = {.values = cfg->values, .revision = cfg->revision,
			       .native_sidecars = cfg->native_sidecars,
			       .compliance = cfg->compliance,
			       .proxy_envs = inj_latest_inject_envs(a, path), .webhook = true,
			       .namespace = nsobj};
	inj_latest_pod_owner(a, meta, &p); /* kube.GetDeployMetaFromPod */
	p.full_name = "";
	sbuf notes = SBUF_INIT;
	const tv *m2, *s2;
	int rc = inj_latest_pod(a, cfg, mesh, &p, meta, spec, &m2, &s2, &notes, err);
	sbuf_free(&notes);
	if (rc != 0)
		return -1;
	*patch = inj_patch_diff(a, orig, inj_set(a, inj_set(a, orig, "metadata", m2), "spec", s2));
	return 0;
}
