/* policy.c: the injection policy (injectRequired) of Istio 1.1 and, for a newest config, of the newest Istio: host networking, ignored namespaces, the inject label/annotation, never/always selectors, the config policy. */
#include "inject.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool label_is(const tv *labels, const char *key, const char **val)
{
	const tv *v = inj_get(labels, key);
	if (!v || v->kind != TV_STRING)
		return false;
	*val = v->u.s.ptr;
	return true;
}

static bool in_values(const tv *values, const char *s)
{
	for (size_t i = 0; values && values->kind == TV_LIST && i < values->u.list.len; i++) {
		const tv *v = values->u.list.items[i];
		if (v->kind == TV_STRING && strcmp(v->u.s.ptr, s) == 0)
			return true;
	}
	return false;
}

static size_t nvalues(const tv *values)
{
	return values && values->kind == TV_LIST ? values->u.list.len : 0;
}

/* metav1.LabelSelectorAsSelector then Matches; an empty selector (no
 * requirements) matches nothing here, as Istio treats it; invalid ones never match. */
bool inj_selector_matches(const tv *sel, const tv *labels)
{
	if (!sel || sel->kind != TV_MAP)
		return false;
	const tv *ml = inj_get(sel, "matchLabels");
	const tv *me = inj_get(sel, "matchExpressions");
	size_t reqs = 0;
	if (ml && ml->kind == TV_MAP) {
		for (size_t i = 0; i < ml->u.map.len; i++) {
			const tv_pair *p = &ml->u.map.pairs[i];
			const char *have;
			if (p->key->kind != TV_STRING || !p->val || p->val->kind != TV_STRING)
				return false;
			reqs++;
			if (!label_is(labels, p->key->u.s.ptr, &have) || strcmp(have, p->val->u.s.ptr) != 0)
				return false;
		}
	}
	for (size_t i = 0; me && me->kind == TV_LIST && i < me->u.list.len; i++) {
		const tv *r = me->u.list.items[i];
		const char *key = inj_str(r, "key"), *op = inj_str(r, "operator"), *have = NULL;
		const tv *vals = inj_get(r, "values");
		if (!key || !op)
			return false;
		reqs++;
		bool has = label_is(labels, key, &have);
		if (strcmp(op, "In") == 0) {
			if (nvalues(vals) == 0)
				return false;
			if (!has || !in_values(vals, have))
				return false;
		} else if (strcmp(op, "NotIn") == 0) {
			if (nvalues(vals) == 0)
				return false;
			if (has && in_values(vals, have))
				return false;
		} else if (strcmp(op, "Exists") == 0) {
			if (nvalues(vals) != 0)
				return false;
			if (!has)
				return false;
		} else if (strcmp(op, "DoesNotExist") == 0) {
			if (nvalues(vals) != 0)
				return false;
			if (has)
				return false;
		} else {
			return false;
		}
	}
	return reqs > 0;
}

static bool any_match(const tv *sels, const tv *labels)
{
	for (size_t i = 0; sels && sels->kind == TV_LIST && i < sels->u.list.len; i++)
		if (inj_selector_matches(sels->u.list.items[i], labels))
			return true;
	return false;
}

bool inj_policy_required(const inj_config *cfg, const char *const *ignored_ns, const tv *meta,
			 const tv *spec)
{
	const tv *hn = inj_get(spec, "hostNetwork");
	if (hn && hn->kind == TV_BOOL && hn->u.b)
		return false;
	const char *ns = inj_str(meta, "namespace");
	for (size_t i = 0; ignored_ns && ignored_ns[i]; i++)
		if (strcmp(ns ? ns : "", ignored_ns[i]) == 0)
			return false;

	const char *v = inj_str(inj_get(meta, "annotations"), "sidecar.istio.io/inject");
	const tv *labels = inj_get(meta, "labels");
	bool use_default = false, inject = false;
	if (cfg->newest) {
		/* the newest: the label wins over the annotation, and only
		 * "true" and "false" count (anything else falls back to the default) */
		const tv *lv = inj_get(labels, "sidecar.istio.io/inject");
		if (lv && lv->kind == TV_STRING)
			v = lv->u.s.ptr;
		if (v && strcmp(v, "true") == 0)
			inject = true;
		else if (!v || strcmp(v, "false") != 0)
			use_default = true;
	} else if (!v || !*v) {
		use_default = true;
	} else if (!strcasecmp(v, "y") || !strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
		   !strcasecmp(v, "on")) {
		inject = true;
	}

	if (use_default) {
		if (any_match(cfg->never_sel, labels)) {
			inject = false;
			use_default = false;
		} else if (any_match(cfg->always_sel, labels)) {
			inject = true;
			use_default = false;
		}
	}
	const char *policy = cfg->policy ? cfg->policy : "";
	if (strcmp(policy, "disabled") == 0)
		return use_default ? false : inject;
	if (strcmp(policy, "enabled") == 0)
		return use_default ? true : inject;
	return false;
}
