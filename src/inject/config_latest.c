/* config_latest.c: the newest Istio's injection Config (named {{ }} templates, default templates, aliases, selectors, injected annotations), each template parsed once as Istio parses it. */
#include "inject.h"

#include <stdlib.h>
#include <string.h>

/* Istio parses every template as template.New("inject") over sprig's map
 * with its own on top (parseDryTemplate): the library "istio". */
static int parse_one(tmpl_arena *a, const char *name, const char *text, size_t len,
		     inj_named_tmpl *t, tmpl_error *err)
{
	t->name = arena_strdup(a, name);
	t->set = tmpl_set_new();
	t->text = arena_strndup(a, text, len);
	t->len = len;
	if (tmpl_set_funcs(t->set, "istio", err) != 0 ||
	    tmpl_set_parse(t->set, "inject", t->text, len, NULL, NULL, err) != 0)
		return -1;
	return 0;
}

static const tv *default_templates(tmpl_arena *a, const tv *v)
{
	if (v && v->kind == TV_LIST && v->u.list.len > 0)
		return v;
	/* UnmarshalConfig: no defaultTemplates means [sidecar] */
	tv *l = tv_list_new(a, 1);
	l->u.list.items[0] = inj_cstr(a, "sidecar");
	return l;
}

int inj_config_latest(tmpl_arena *a, const char *name, const tv *doc, const char *bare,
		      size_t bare_len, inj_config *cfg, tmpl_error *err)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->newest = true;
	cfg->funcs = "istio";
	cfg->policy = "";
	if (!doc) {
		cfg->templates = arena_alloc(a, sizeof *cfg->templates);
		cfg->ntemplates = 1;
		cfg->default_templates = default_templates(a, NULL);
		if (parse_one(a, "sidecar", bare, bare_len, &cfg->templates[0], err) != 0) {
			inj_config_free(cfg);
			return -1;
		}
		return 0;
	}
	/* Go decodes the file into inject.Config (sigs.k8s.io/yaml, then
	 * encoding/json): wrong types are its errors, unknown keys dropped. */
	const tv *c;
	tmpl_error e;
	tmpl_error_init(&e);
	if (types_normalize_ex(a, types_lookup("latest/inject.Config"), doc, 0, &c, &e) != 0) {
		tmpl_error_set(err, TMPL_ERR_DATA, name, 0, 0,
			       "%s: failed to unmarshal injection template: %s", name,
			       e.msg ? e.msg : "error");
		tmpl_error_clear(&e);
		return -1;
	}
	const char *p = inj_str(c, "policy");
	cfg->policy = p ? p : "";
	cfg->default_templates = default_templates(a, inj_get(c, "defaultTemplates"));
	cfg->aliases = inj_get(c, "aliases");
	cfg->never_sel = inj_get(c, "neverInjectSelector");
	cfg->always_sel = inj_get(c, "alwaysInjectSelector");
	cfg->injected_annotations = inj_get(c, "injectedAnnotations");
	const tv *ts = inj_get(c, "templates");
	size_t n = ts && ts->kind == TV_MAP ? ts->u.map.len : 0;
	cfg->templates = arena_alloc(a, (n ? n : 1) * sizeof *cfg->templates);
	memset(cfg->templates, 0, (n ? n : 1) * sizeof *cfg->templates);
	for (size_t i = 0; i < n; i++) {
		const tv_pair *kv = &ts->u.map.pairs[i];
		const tv *t = kv->val;
		cfg->ntemplates = i + 1;
		if (parse_one(a, kv->key->u.s.ptr, t && t->kind == TV_STRING ? t->u.s.ptr : "",
			      t && t->kind == TV_STRING ? t->u.s.len : 0, &cfg->templates[i],
			      err) != 0) {
			inj_config_free(cfg);
			return -1;
		}
	}
	return 0;
}

tmpl_set *inj_config_template(const inj_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ntemplates; i++)
		if (cfg->templates[i].name && strcmp(cfg->templates[i].name, name) == 0)
			return cfg->templates[i].set;
	return NULL;
}

void inj_config_environ(tmpl_arena *a, inj_config *cfg)
{
	const char *ns = getenv("ENABLE_NATIVE_SIDECARS"), *cp = getenv("COMPLIANCE_POLICY");
	cfg->native_sidecars = ns && strcmp(ns, "true") == 0;
	cfg->compliance = cp ? arena_strdup(a, cp) : "";
	/* platform.IsOpenShift: the namespace's UID range gives the proxy's user */
	const char *pl = getenv("PLATFORM");
	cfg->openshift = pl && strcmp(pl, "openshift") == 0;
}
