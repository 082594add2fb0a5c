/* prevstatus.c: what an earlier injection left in a pod (Istio 1.1's injectionStatus): the names in its sidecar.istio.io/status annotation, else the legacy names. */
#include "inject/patch.h"

#include <string.h>
#include <strings.h>

#include "json.h"

static const char *const legacy[INJ_PREV_LISTS][3] = {
	{"istio-init", "enable-core-dump", NULL},
	{"istio-proxy", NULL},
	{"istio-certs", "istio-envoy", NULL},
	{NULL},
};

/* Go's json.Unmarshal into []string: null, or an array of strings and nulls. */
static bool string_list(const tv *v)
{
	if (v->kind == TV_NULL)
		return true;
	if (v->kind != TV_LIST)
		return false;
	for (size_t i = 0; i < v->u.list.len; i++)
		if (v->u.list.items[i]->kind != TV_STRING && v->u.list.items[i]->kind != TV_NULL)
			return false;
	return true;
}

/* The status as Go decodes it into SidecarInjectionStatus; false when Go
 * reports an error (any value of the wrong type fails the whole decode). */
static bool decode(const tv *doc, const tv *lists[INJ_PREV_LISTS])
{
	static const char *const keys[INJ_PREV_LISTS] = {"initContainers", "containers", "volumes",
							 "imagePullSecrets"};
	if (doc->kind == TV_NULL)
		return true;
	if (doc->kind != TV_MAP)
		return false;
	for (size_t i = 0; i < doc->u.map.len; i++) {
		const tv *k = doc->u.map.pairs[i].key, *v = doc->u.map.pairs[i].val;
		/* Go matches field names without regard to case; the last key wins. */
		if (strcasecmp(k->u.s.ptr, "version") == 0) {
			if (v->kind != TV_STRING && v->kind != TV_NULL)
				return false;
			continue;
		}
		for (int l = 0; l < INJ_PREV_LISTS; l++) {
			if (strcasecmp(k->u.s.ptr, keys[l]) != 0)
				continue;
			if (!string_list(v))
				return false;
			lists[l] = v;
		}
	}
	return true;
}

/* A set of names, looked up by hash. */
static const tv *name_set(tmpl_arena *a, const tv *list)
{
	size_t n = list && list->kind == TV_LIST ? list->u.list.len : 0;
	tv *m = tv_map_new(a, n);
	for (size_t i = 0; i < n; i++) {
		const tv *s = list->u.list.items[i];
		tv_map_add(a, m, s->kind == TV_STRING ? s : tv_string_ref(a, "", 0), &tv_true_value);
	}
	tv_map_seal(a, m);
	return m;
}

void inj_prev_status(tmpl_arena *a, const tv *annotations, const tv *sets[INJ_PREV_LISTS])
{
	const tv *lists[INJ_PREV_LISTS] = {NULL};
	const tv *doc = NULL;
	const tv *s = inj_get(annotations, "sidecar.istio.io/status");
	tmpl_error e;
	tmpl_error_init(&e);
	bool valid = s && s->kind == TV_STRING &&
		     json_parse(a, s->u.s.ptr, s->u.s.len, 0, &doc, &e) == 0 && decode(doc, lists);
	tmpl_error_clear(&e);
	/* Valid only when some list names something. */
	bool any = false;
	for (int l = 0; valid && l < INJ_PREV_LISTS; l++)
		any = any || (lists[l] && lists[l]->kind == TV_LIST && lists[l]->u.list.len > 0);
	for (int l = 0; l < INJ_PREV_LISTS; l++) {
		if (any) {
			sets[l] = name_set(a, lists[l]);
			continue;
		}
		size_t n = 0;
		while (legacy[l][n])
			n++;
		tv *list = tv_list_new(a, n);
		for (size_t i = 0; i < n; i++)
			list->u.list.items[i] = inj_cstr(a, legacy[l][i]);
		sets[l] = name_set(a, list);
	}
}
