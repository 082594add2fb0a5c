/* render.c: one pod's template data, the [[ ]] template rendered over it, and the output read back as a SidecarInjectionSpec. */
#include "inject.h"

#include <string.h>

#include "yaml_load.h"

static const tv *build_data(tmpl_arena *a, const tv *mesh, const tv *dmeta, const tv *meta,
			    const tv *spec)
{
	tv *m = tv_map_new(a, 5);
	tv_map_add(a, m, inj_cstr(a, "DeploymentMeta"), dmeta ? dmeta : &tv_null_value);
	tv_map_add(a, m, inj_cstr(a, "ObjectMeta"), meta ? meta : &tv_null_value);
	tv_map_add(a, m, inj_cstr(a, "Spec"), spec ? spec : &tv_null_value);
	const tv *pc = inj_get(mesh, "defaultConfig");
	tv_map_add(a, m, inj_cstr(a, "ProxyConfig"), pc ? pc : &tv_null_value);
	tv_map_add(a, m, inj_cstr(a, "MeshConfig"), mesh ? mesh : &tv_null_value);
	tv_map_seal(a, m);
	return m;
}

static const tv *list_or_empty(tmpl_arena *a, const tv *v)
{
	return v && v->kind == TV_LIST ? v : tv_list_new(a, 0);
}

/* The rendered text read back as Istio reads it: YAML, decoded into a
 * SidecarInjectionSpec (unknown fields dropped), values in arena a. */
static int read_spec(tmpl_arena *a, const inj_config *cfg, const char *text, size_t len,
		     inj_spec *out, tmpl_error *err)
{
	const tmpl_type *spec_type = types_lookup("inject.SidecarInjectionSpec");
	const tv *doc = TV_NOVALUE, *sic;
	if (yl_load_first(a, "injected template", text, len, &doc, err) != 0 ||
	    types_normalize_ex(a, spec_type, doc, TYPES_NORM_GHODSS | TYPES_NORM_GO111, &sic, err) != 0)
		return -1;
	const tv *rw = inj_get(sic, "rewriteAppHTTPProbe");
	out->rewrite_probe = rw && rw->kind == TV_BOOL && rw->u.b;
	out->init_containers = list_or_empty(a, inj_get(sic, "initContainers"));
	out->containers = inj_apply_concurrency(a, list_or_empty(a, inj_get(sic, "containers")));
	out->volumes = list_or_empty(a, inj_get(sic, "volumes"));
	out->dns_config = inj_get(sic, "dnsConfig");
	out->pull_secrets = list_or_empty(a, inj_get(sic, "imagePullSecrets"));
	out->status = inj_status_json(a, cfg->version, out);
	return 0;
}

/* read_spec through the config's memo: the spec is a function of the text. */
static int read_spec_cached(tmpl_arena *a, const inj_config *cfg, const char *text, size_t len,
			    inj_spec *out, tmpl_error *err)
{
	inj_spec_cache *c = cfg->cache;
	if (!c)
		return read_spec(a, cfg, text, len, out, err);
	uint64_t h = inj_spec_cache_hash(text, len);
	if (inj_spec_cache_get(c, h, text, len, out))
		return 0;
	if (!inj_spec_cache_reserve(c, h))
		return read_spec(a, cfg, text, len, out, err);
	tmpl_arena *own = arena_new();
	if (read_spec(own, cfg, text, len, out, err) != 0) {
		/* errors are not kept (their texts may name the request's data) */
		inj_spec_cache_unreserve(c);
		arena_free(own);
		return -1;
	}
	inj_spec_cache_put(c, h, text, len, own, out);
	return 0;
}

int inj_template_data(tmpl_arena *a, const tv *mesh, const tv *dmeta, const tv *meta,
		      const tv *spec, const tv **data, tmpl_error *err)
{
	const tmpl_type *data_type = types_lookup("inject.SidecarTemplateData");
	if (inj_validate_annotations(inj_get(meta, "annotations"), err) != 0)
		return -1;
	return types_view(a, data_type, build_data(a, mesh, dmeta, meta, spec), data, err);
}

int inj_render(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *dmeta,
	       const tv *meta, const tv *spec, inj_spec *out, tmpl_error *err)
{
	memset(out, 0, sizeof *out);
	const tv *data;
	if (inj_template_data(a, mesh, dmeta, meta, spec, &data, err) != 0)
		return -1;
	sbuf text = SBUF_INIT;
	if (tmpl_execute_opts(cfg->set, "inject", data, cfg->limits, &text, err) != 0) {
		sbuf_free(&text);
		return -1;
	}
	int rc = read_spec_cached(a, cfg, text.buf ? text.buf : "", text.len, out, err);
	sbuf_free(&text);
	return rc;
}
