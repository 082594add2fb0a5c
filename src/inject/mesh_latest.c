/* mesh_latest.c: the newest Istio's mesh config: mesh.go's DefaultMeshConfig() beneath a YAML or JSON file (ApplyMeshConfigDefaults), and a pod's proxy.istio.io/config laid over its defaultConfig (ApplyProxyConfig). */
#include "inject.h"

#include <string.h>

#include "yaml_load.h"

/* pkg/config/mesh/mesh.go DefaultMeshConfig() with DefaultProxyConfig(), as
 * protobuf JSON writes it (zero values left out; set messages kept). */
static const char mesh_latest_default_text[] =
	"enableTracing: true\n"
	"protocolDetectionTimeout: 0s\n"
	"ingressService: istio-ingressgateway\n"
	"ingressControllerMode: STRICT\n"
	"ingressClass: istio\n"
	"trustDomain: cluster.local\n"
	"enableAutoMtls: true\n"
	"outboundTrafficPolicy:\n"
	"  mode: ALLOW_ANY\n"
	"inboundTrafficPolicy:\n"
	"  mode: PASSTHROUGH\n"
	"localityLbSetting:\n"
	"  enabled: true\n"
	"defaultConfig:\n"
	"  configPath: ./etc/istio/proxy\n"
	"  serviceCluster: istio-proxy\n"
	"  drainDuration: 45s\n"
	"  terminationDrainDuration: 5s\n"
	"  proxyAdminPort: 15000\n"
	"  controlPlaneAuthPolicy: MUTUAL_TLS\n"
	"  discoveryAddress: istiod.istio-system.svc:15012\n"
	"  binaryPath: /usr/local/bin/envoy\n"
	"  statNameLength: 189\n"
	"  statusPort: 15020\n"
	"rootNamespace: istio-system\n"
	"proxyListenPort: 15001\n"
	"proxyInboundListenPort: 15006\n"
	"connectTimeout: 10s\n"
	"defaultServiceExportTo:\n"
	"- '*'\n"
	"defaultVirtualServiceExportTo:\n"
	"- '*'\n"
	"defaultDestinationRuleExportTo:\n"
	"- '*'\n"
	"dnsRefreshRate: 60s\n"
	"enablePrometheusMerge: true\n"
	"defaultProviders: {}\n"
	"extensionProviders:\n"
	"- name: prometheus\n"
	"  prometheus: {}\n"
	"- name: stackdriver\n"
	"  stackdriver: {}\n"
	"- name: envoy\n"
	"  envoyFileAccessLog:\n"
	"    path: /dev/stdout\n";

const tv *inj_mesh_latest_default(tmpl_arena *a)
{
	const tv *doc = TV_NOVALUE;
	tmpl_error e;
	tmpl_error_init(&e);
	if (yl_load_first(a, "mesh-default", mesh_latest_default_text,
			  sizeof mesh_latest_default_text - 1, &doc, &e) != 0)
		doc = TV_NOVALUE; /* cannot happen: the text is fixed */
	tmpl_error_clear(&e);
	return doc;
}

const tv *inj_merge_message(tmpl_arena *a, const tv *base, const tv *over)
{
	if (!over || over->kind == TV_NULL)
		return base;
	if (!base || base->kind != TV_MAP || over->kind != TV_MAP)
		return over;
	const tv *m = base;
	for (size_t i = 0; i < over->u.map.len; i++) {
		const tv_pair *p = &over->u.map.pairs[i];
		if (p->key->kind != TV_STRING)
			continue;
		m = inj_set(a, m, p->key->u.s.ptr,
			    inj_merge_message(a, inj_get(base, p->key->u.s.ptr), p->val));
	}
	return m;
}

/* ApplyMeshConfig keeps the default providers and replaces the provider of
 * one with the same name, appending the others. */
static const tv *merge_providers(tmpl_arena *a, const tv *base, const tv *over)
{
	if (!over || over->kind != TV_LIST)
		return base;
	size_t nb = base && base->kind == TV_LIST ? base->u.list.len : 0;
	tv *l = tv_list_new(a, nb + over->u.list.len);
	size_t n = 0;
	for (size_t i = 0; i < nb; i++)
		l->u.list.items[n++] = base->u.list.items[i];
	for (size_t j = 0; j < over->u.list.len; j++) {
		const tv *p = over->u.list.items[j];
		const char *name = inj_str(p, "name");
		size_t i = 0;
		for (; i < nb; i++) {
			const char *bn = inj_str(l->u.list.items[i], "name");
			if (name && bn && strcmp(name, bn) == 0)
				break;
		}
		if (i < nb)
			l->u.list.items[i] = p;
		else
			l->u.list.items[n++] = p;
	}
	l->u.list.len = n;
	return l;
}

int inj_mesh_latest_load(tmpl_arena *a, const char *name, const char *text, size_t len,
			 const tv **mesh, tmpl_error *err)
{
	const tv *def = inj_mesh_latest_default(a);
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
		const char *k = p->key->u.s.ptr;
		if (strcmp(k, "extensionProviders") == 0)
			m = inj_set(a, m, k, merge_providers(a, inj_get(def, k), p->val));
		else
			m = inj_set(a, m, k, inj_merge_message(a, inj_get(def, k), p->val));
	}
	*mesh = m;
	return 0;
}

int inj_mesh_latest_apply_proxy(tmpl_arena *a, const tv *mesh, const char *yaml, size_t len,
				const tv **out, tmpl_error *err)
{
	const tv *doc = TV_NOVALUE;
	tmpl_error e;
	tmpl_error_init(&e);
	if (yl_load_first(a, "proxy config", yaml, len, &doc, &e) != 0 ||
	    (doc && doc->kind != TV_MAP && doc->kind != TV_NULL)) {
		tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "could not parse proxy config: %s",
			       e.msg ? e.msg : "not a map");
		tmpl_error_clear(&e);
		return -1;
	}
	const tv *pc = inj_merge_message(a, inj_get(mesh, "defaultConfig"), doc);
	*out = inj_set(a, mesh, "defaultConfig", pc);
	return 0;
}
