/* merge.c: the rendered sidecar merged into a pod template as Istio 1.1's kube-inject does (intoObject). */
#include "inject.h"

#include <string.h>

/* Go's append(orig, extra...): orig itself when nothing is added. */
static const tv *append(tmpl_arena *a, const tv *orig, const tv *extra)
{
	if (!extra || extra->kind != TV_LIST || extra->u.list.len == 0)
		return orig;
	return inj_concat(a, orig, extra);
}

static const tv *set_or_drop(tmpl_arena *a, const tv *map, const char *key, const tv *val)
{
	if (!val || val->kind == TV_NULL)
		return inj_without(a, map, key);
	return inj_set(a, map, key, val);
}

int inj_merge(tmpl_arena *a, const inj_spec *s, const tv *mesh, const tv *meta, const tv *spec,
	      const tv **meta_out, const tv **spec_out, tmpl_error *err)
{
	(void)err;
	const tv *sp = spec;
	sp = set_or_drop(a, sp, "initContainers",
			 append(a, inj_get(spec, "initContainers"), s->init_containers));
	const tv *containers = append(a, inj_get(spec, "containers"), s->containers);
	if (s->rewrite_probe)
		containers = inj_rewrite_probes(a, containers);
	sp = inj_set(a, sp, "containers", containers ? containers : &tv_null_value);
	sp = set_or_drop(a, sp, "volumes", append(a, inj_get(spec, "volumes"), s->volumes));
	sp = set_or_drop(a, sp, "dnsConfig", s->dns_config);

	const tv *sds = inj_get(mesh, "enableSdsTokenMount");
	const char *uds = inj_str(mesh, "sdsUdsPath");
	if (sds && sds->kind == TV_BOOL && sds->u.b && uds && *uds) {
		tv *sc = tv_map_new(a, 1);
		tv_map_add(a, sc, inj_cstr(a, "fsGroup"), tv_int(a, 1337));
		tv_map_seal(a, sc);
		sp = inj_set(a, sp, "securityContext", sc);
	}

	*meta_out = inj_set(a, meta, "annotations",
			    inj_status_annotate(a, inj_get(meta, "annotations"), s->status));
	*spec_out = sp;
	return 0;
}
