/* overrides_latest.c: the user's own istio-proxy (or other injected container) kept on top of the injected one, recorded in proxy.istio.io/overrides and re-inserted on re-injection (webhook.go reapplyOverwrittenContainers, reinsertOverrides, adjustInitContainerUser). */
#include "inject.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "yaml_load.h"

static const tv *find(const tv *list, const char *name)
{
	for (size_t i = 0; name && list && list->kind == TV_LIST && i < list->u.list.len; i++) {
		const char *cn = inj_str(list->u.list.items[i], "name");
		if (cn && strcmp(cn, name) == 0)
			return list->u.list.items[i];
	}
	return NULL;
}

static const tv *one(tmpl_arena *a, const tv *x)
{
	tv *l = tv_list_new(a, 1);
	l->u.list.items[0] = x;
	return l;
}

/* The proxy.istio.io/overrides annotation as ParsedContainers, or NULL. */
static const tv *parse_overrides(tmpl_arena *a, const tv *ann)
{
	const char *s = inj_str(ann, "proxy.istio.io/overrides");
	const tv *v = NULL;
	tmpl_error e;
	tmpl_error_init(&e);
	if (!s || json_parse(a, s, strlen(s), 0, &v, &e) != 0 || !v || v->kind != TV_MAP)
		v = NULL;
	tmpl_error_clear(&e);
	return v;
}

const tv *inj_latest_reinsert_overrides(tmpl_arena *a, const tv *pod)
{
	const tv *ov = parse_overrides(a, inj_get(inj_get(pod, "metadata"), "annotations"));
	if (!ov)
		return pod;
	const tv *spec = inj_get(pod, "spec");
	const char *lists[] = {"containers", "initContainers"};
	for (size_t li = 0; li < 2; li++) {
		const tv *l = inj_get(ov, lists[li]);
		for (size_t i = 0; l && l->kind == TV_LIST && i < l->u.list.len; i++) {
			const tv *c = l->u.list.items[i];
			if (!find(inj_get(spec, lists[li]), inj_str(c, "name")))
				spec = inj_set(a, spec, lists[li], inj_concat(a, inj_get(spec, lists[li]), one(a, c)));
		}
	}
	return inj_set(a, pod, "spec", spec);
}

/* The names a status annotation lists under key (parseStatus). */
static const tv *status_names(tmpl_arena *a, const tv *ann, const char *key)
{
	return inj_get(inj_status_latest_read(a, ann), key);
}

static bool listed(const tv *names, const char *name)
{
	for (size_t i = 0; name && names && names->kind == TV_LIST && i < names->u.list.len; i++) {
		const tv *n = names->u.list.items[i];
		if (n->kind == TV_STRING && strcmp(n->u.s.ptr, name) == 0)
			return true;
	}
	return false;
}

static const tv *find_in_pod(const tv *spec, const char *name)
{
	const tv *c = find(inj_get(spec, "containers"), name);
	return c ? c : find(inj_get(spec, "initContainers"), name);
}

static const tv *int_of(const tv *sc, const char *k)
{
	const tv *v = inj_get(sc, k);
	return v && v->kind == TV_INT ? v : NULL;
}

/* adjustInitContainerUser */
static const tv *adjust_user(tmpl_arena *a, const tv *final, const tv *orig, const tv *pc)
{
	const tv *user = find_in_pod(inj_get(orig, "spec"), "istio-proxy");
	const tv *usc = inj_get(user, "securityContext");
	const tv *ru = int_of(usc, "runAsUser"), *rg = int_of(usc, "runAsGroup");
	if (!user || (!ru && !rg))
		return final;
	const tv *spec = inj_get(final, "spec");
	const tv *inits = inj_get(spec, "initContainers");
	const char *iname = find(inits, "istio-init") ? "istio-init" :
			    find(inits, "istio-validation") ? "istio-validation" : NULL;
	if (!iname)
		return final;
	const tv *init = find(inits, iname);
	const char *im = inj_str(pc, "interceptionMode");
	const char *am = inj_str(inj_get(inj_get(final, "metadata"), "annotations"),
				 "sidecar.istio.io/interceptionMode");
	bool tproxy = (im && strcmp(im, "TPROXY") == 0) || (am && strcmp(am, "TPROXY") == 0);
	if (tproxy && ru) {
		const tv *sc = inj_latest_sidecar(spec);
		if (sc)
			spec = inj_latest_with_sidecar(a, spec, inj_set(a, sc, "securityContext",
				inj_set(a, inj_get(sc, "securityContext"), "runAsUser", tv_int(a, 0))));
	}
	if (!tproxy && strcmp(iname, "istio-validation") == 0) {
		const tv *isc = inj_get(init, "securityContext");
		if (!isc || isc->kind != TV_MAP)
			isc = tv_map_new(a, 0);
		if (ru)
			isc = inj_set(a, isc, "runAsUser", ru);
		if (rg)
			isc = inj_set(a, isc, "runAsGroup", rg);
		init = inj_set(a, init, "securityContext", isc);
	}
	if (ru && ru->u.i != 0) {
		const tv *args = inj_get(init, "args");
		for (size_t i = 0; args && args->kind == TV_LIST && i + 1 < args->u.list.len; i++) {
			const tv *x = args->u.list.items[i];
			if (x->kind == TV_STRING && strcmp(x->u.s.ptr, "-u") == 0) {
				char buf[32];
				snprintf(buf, sizeof buf, "%lld", (long long)ru->u.i);
				tv *na = tv_list_new(a, args->u.list.len);
				memcpy(na->u.list.items, args->u.list.items, args->u.list.len * sizeof *na->u.list.items);
				na->u.list.items[i + 1] = inj_cstr(a, buf);
				init = inj_set(a, init, "args", na);
				break;
			}
		}
	}
	inits = inj_get(spec, "initContainers");
	tv *ni = tv_list_new(a, inits->u.list.len);
	for (size_t i = 0; i < inits->u.list.len; i++) {
		const char *cn = inj_str(inits->u.list.items[i], "name");
		ni->u.list.items[i] = cn && strcmp(cn, iname) == 0 ? init : inits->u.list.items[i];
	}
	spec = inj_set(a, spec, "initContainers", ni);
	return inj_set(a, final, "spec", spec);
}

int inj_latest_reapply_overrides(tmpl_arena *a, const tv *final, const tv *orig,
				 const tv *tpod, const tv *pc, const tv **out, tmpl_error *err)
{
	const tmpl_type *pod_type = types_lookup("latest/core/v1.Pod");
	const tv *oann = inj_get(inj_get(orig, "metadata"), "annotations");
	const tv *existing = parse_overrides(a, oann);
	bool injected = inj_get(oann, INJ_STATUS_ANNOTATION) != NULL;
	const tv *ospec = inj_get(orig, "spec");
	const char *lists[] = {"containers", "initContainers"};
	const tv *kept[2] = {NULL, NULL};
	for (size_t li = 0; li < 2; li++) {
		const tv *injected_names = injected ? status_names(a, oann, lists[li]) : NULL;
		const tv *tl = inj_get(inj_get(tpod, "spec"), lists[li]);
		for (size_t i = 0; tl && tl->kind == TV_LIST && i < tl->u.list.len; i++) {
			const char *name = inj_str(tl->u.list.items[i], "name");
			if (!name || listed(injected_names, name))
				continue;
			const tv *m = find(inj_get(existing, lists[li]), name);
			if (!m)
				m = li == 0 ? find(inj_get(ospec, "containers"), name) : find_in_pod(ospec, name);
			if (!m)
				continue;
			const char *img = inj_str(m, "image");
			if (img && strcmp(img, "auto") == 0)
				m = inj_without(a, m, "image"); /* keep the injected image */
			/* the overlay as Go marshals a Container, then merged as a Pod */
			const tv *cm;
			if (types_normalize_ex(a, types_lookup("latest/core/v1.Container"), m, 0, &cm, err) != 0)
				return -1;
			kept[li] = inj_concat(a, kept[li], one(a, cm));
			const tv *ps = inj_set(a, tv_map_new(a, 0), lists[li], one(a, cm));
			const tv *patch = inj_set(a, tv_map_new(a, 0), "spec", ps);
			if (types_normalize_ex(a, pod_type, inj_smp_pod(a, final, patch), 0, &final, err) != 0)
				return -1;
		}
	}
	if (!injected && (kept[0] || kept[1])) {
		tv *pc2 = tv_map_new(a, 2);
		if (kept[0])
			tv_map_add(a, pc2, inj_cstr(a, "containers"), kept[0]);
		if (kept[1])
			tv_map_add(a, pc2, inj_cstr(a, "initContainers"), kept[1]);
		tv_map_seal(a, pc2);
		sbuf b = SBUF_INIT;
		tmpl_error e;
		tmpl_error_init(&e);
		json_write(&b, pc2, JSON_ESCAPE_HTML, &e);
		tmpl_error_clear(&e);
		const tv *meta = inj_get(final, "metadata");
		const tv *ann = inj_get(meta, "annotations");
		if (!ann || ann->kind != TV_MAP)
			ann = tv_map_new(a, 0);
		ann = inj_set(a, ann, "proxy.istio.io/overrides", tv_string(a, b.buf ? b.buf : "", b.len));
		sbuf_free(&b);
		final = inj_set(a, final, "metadata", inj_set(a, meta, "annotations", ann));
	}
	*out = adjust_user(a, final, orig, pc);
	return 0;
}
