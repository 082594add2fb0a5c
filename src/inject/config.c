/* config.c: the injection config (policy, template, selectors) read from YAML, its template parsed once with the delimiters and functions of the Istio it is written for; a newest Config (templates) or bare {{ }} template handed to config_latest.c. */
#include "inject.h"

#include <stdbool.h>
#include <string.h>

#include "digest.h"
#include "yaml_load.h"

int inj_config_from_template(tmpl_arena *a, const char *tmpl, size_t len, const char *policy,
			     inj_config *cfg, tmpl_error *err)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->policy = policy ? arena_strdup(a, policy) : "";
	cfg->tmpl = arena_strndup(a, tmpl, len);
	cfg->tmpl_len = len;
	digest_hex(DIGEST_SHA256, tmpl, len, cfg->version);
	cfg->set = tmpl_set_new();
	cfg->cache = inj_spec_cache_new(); /* NULL (out of memory) only turns the memo off */
	/* Istio 1.1's injector parses its template with [[ ]], Go's builtins and
	 * its own map; the newest parses Go's {{ }} with sprig's, then its own.
	 * A text with no [[ and some {{ is the newest's; anything else 1.1's. */
	bool newest = !memmem(tmpl, len, "[[", 2) && memmem(tmpl, len, "{{", 2);
	cfg->funcs = newest ? "istio" : "istio-1.1";
	if (tmpl_set_funcs(cfg->set, cfg->funcs, err) != 0 ||
	    tmpl_set_parse(cfg->set, "inject", cfg->tmpl, len, newest ? NULL : "[[",
			   newest ? NULL : "]]", err) != 0) {
		inj_config_free(cfg);
		return -1;
	}
	return 0;
}

int inj_config_load(tmpl_arena *a, const char *name, const char *text, size_t len,
		    inj_config *cfg, tmpl_error *err)
{
	const tv *doc;
	memset(cfg, 0, sizeof *cfg);
	/* istioctl (newest) reads a file that is no Config with templates as one
	 * bare template, "sidecar"; a {{ }} text that is not a YAML map is one. */
	bool curly = memmem(text, len, "{{", 2) != NULL;
	tmpl_error e;
	tmpl_error_init(&e);
	if (yl_load_first(a, name, text, len, &doc, &e) != 0) {
		if (curly) {
			tmpl_error_clear(&e);
			return inj_config_latest(a, name, NULL, text, len, cfg, err);
		}
		*err = e;
		return -1;
	}
	if (doc && doc->kind == TV_NULL)
		doc = TV_NOVALUE;
	if (curly && doc && doc->kind != TV_MAP)
		return inj_config_latest(a, name, NULL, text, len, cfg, err);
	/* A Config with templates is the newest Istio's; one with a lone
	 * `template` keeps Istio 1.1's pipeline. */
	const tv *ts = inj_get(doc, "templates");
	if (ts && ts->kind == TV_MAP && ts->u.map.len > 0)
		return inj_config_latest(a, name, doc, NULL, 0, cfg, err);
	/* A {{ }} text that reads as a map but has neither is a bare template
	 * (istioctl's inject-config-inline.yaml: `spec:` with {{ }} inside). */
	if (curly && !inj_get(doc, "template"))
		return inj_config_latest(a, name, NULL, text, len, cfg, err);
	if (doc && doc->kind != TV_MAP)
		return tmpl_error_set(err, TMPL_ERR_DATA, name, 0, 0,
				      "%s: error unmarshaling JSON: json: cannot unmarshal %s into Go value of type inject.Config",
				      name, doc->kind == TV_LIST ? "array" : "string");
	const tv *t = inj_get(doc, "template");
	const tv *p = inj_get(doc, "policy");
	if (t && t->kind != TV_STRING && t->kind != TV_NULL)
		return tmpl_error_set(err, TMPL_ERR_DATA, name, 0, 0,
				      "%s: error unmarshaling JSON: json: cannot unmarshal non-string into Go struct field Config.template of type string",
				      name);
	const char *tt = t && t->kind == TV_STRING ? t->u.s.ptr : "";
	size_t tl = t && t->kind == TV_STRING ? t->u.s.len : 0;
	if (inj_config_from_template(a, tt, tl, p && p->kind == TV_STRING ? p->u.s.ptr : "", cfg,
				     err) != 0)
		return -1;
	cfg->never_sel = inj_get(doc, "neverInjectSelector");
	cfg->always_sel = inj_get(doc, "alwaysInjectSelector");
	return 0;
}

void inj_config_free(inj_config *cfg)
{
	if (cfg->set)
		tmpl_set_free(cfg->set);
	cfg->set = NULL;
	for (size_t i = 0; i < cfg->ntemplates; i++)
		if (cfg->templates[i].set)
			tmpl_set_free(cfg->templates[i].set);
	cfg->ntemplates = 0;
	inj_spec_cache_free(cfg->cache);
	cfg->cache = NULL;
}
