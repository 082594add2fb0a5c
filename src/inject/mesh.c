/* mesh.c: Istio 1.1's mesh config: DefaultMeshConfig() beneath a YAML or protobuf-JSON file, merged as ApplyMeshConfigDefaults does. */
#include "inject.h"

#include <string.h>

#include "yaml_load.h"

/* model.DefaultMeshConfig() of Istio 1.1, written as protobuf JSON writes it. */
static const char mesh_default_text[] =
	"disablePolicyChecks: true\n"
	"proxyListenPort: 15001\n"
	"connectTimeout: 1s\n"
	"ingressService: istio-ingressgateway\n"
	"enableTracing: true\n"
	"accessLogFile: /dev/stdout\n"
	"defaultConfig:\n"
	"  configPath: /etc/istio/proxy\n"
	"  binaryPath: /usr/local/bin/envoy\n"
	"  serviceCluster: istio-proxy\n"
	"  drainDuration: 45s\n"
	"  parentShutdownDuration: 60s\n"
	"  discoveryAddress: istio-pilot:15010\n"
	"  connectTimeout: 1s\n"
	"  proxyAdminPort: 15000\n"
	"  statNameLength: 189\n"
	"outboundTrafficPolicy:\n"
	"  mode: ALLOW_ANY\n"
	"defaultServiceExportTo:\n"
	"- '*'\n"
	"defaultVirtualServiceExportTo:\n"
	"- '*'\n"
	"defaultDestinationRuleExportTo:\n"
	"- '*'\n"
	"rootNamespace: istio-system\n"
	"dnsRefreshRate: 5s\n";

const tv *inj_mesh_default(tmpl_arena *a)
{
	const tv *doc = TV_NOVALUE;
	tmpl_error e;
	tmpl_error_init(&e);
	if (yl_load_first(a, "mesh-default", mesh_default_text, sizeof mesh_default_text - 1, &doc,
			  &e) != 0)
		doc = TV_NOVALUE; /* cannot happen: the text is fixed */
	tmpl_error_clear(&e);
	return doc;
}

/* Protobuf's ToYAML drops zero values, so a zero field in defaultConfig
 * leaves the default in place. */
static bool proto_zero(const tv *v)
{
	if (!v)
		return true;
	switch (v->kind) {
	case TV_NULL: return true;
	case TV_BOOL: return !v->u.b;
	case TV_INT: return v->u.i == 0;
	case TV_FLOAT: return v->u.f == 0;
	case TV_STRING: return v->u.s.len == 0;
	case TV_LIST: return v->u.list.len == 0;
	case TV_MAP: return false; /* a set message is written, even when empty */
	default: return false;
	}
}

int inj_mesh_load(tmpl_arena *a, const char *name, const char *text, size_t len, const tv **mesh,
		  tmpl_error *err)
{
	const tv *def = inj_mesh_default(a);
	const tv *doc = TV_NOVALUE;
	if (text && yl_load_first(a, name, text, len, &doc, err) != 0)
		return -1;
	if (!doc || doc->kind == TV_NULL) {
		*mesh = def;
		return 0;
	}
	if (doc->kind != TV_MAP)
		return tmpl_error_set(err, TMPL_ERR_DATA, name, 0, 0,
				      "failed to convert to proto.: %s: the mesh config is not a map", name);
	const tv *m = def;
	for (size_t i = 0; i < doc->u.map.len; i++) {
		const tv_pair *p = &doc->u.map.pairs[i];
		if (p->key->kind != TV_STRING)
			continue;
		if (strcmp(p->key->u.s.ptr, "defaultConfig") == 0) {
			const tv *pc = inj_get(def, "defaultConfig");
			if (p->val && p->val->kind == TV_MAP) {
				for (size_t j = 0; j < p->val->u.map.len; j++) {
					const tv_pair *q = &p->val->u.map.pairs[j];
					if (q->key->kind == TV_STRING && !proto_zero(q->val))
						pc = inj_set(a, pc, q->key->u.s.ptr, q->val);
				}
			}
			m = inj_set(a, m, "defaultConfig", pc);
		} else if (p->val && p->val->kind != TV_NULL) {
			m = inj_set(a, m, p->key->u.s.ptr, p->val);
		}
	}
	*mesh = m;
	return 0;
}
