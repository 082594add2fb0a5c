/* status.c: the sidecar.istio.io/status annotation, Istio 1.1's and the newest's: its value built from the injected names, written into a pod or a JSON patch, and read back from a pod injected before. */
#include "inject/patch.h"

#include <string.h>
#include <strings.h>

#include "json.h"

const char *const inj_status_lists[INJ_STATUS_LISTS] = {"initContainers", "containers", "volumes",
							 "imagePullSecrets"};

/* ---- building (SidecarInjectionStatus marshalled) ---- */

/* The names of the list's items as a JSON array; an empty or absent list is
 * null (a nil slice). An item without a name writes absent_name: Go writes
 * its c.Name, "", which the newest's status does; Istio 1.1's here writes null. */
static void names_json(sbuf *b, const tv *list, const char *absent_name)
{
	if (!list || list->kind != TV_LIST || list->u.list.len == 0) {
		sbuf_puts(b, "null");
		return;
	}
	sbuf_putc(b, '[');
	for (size_t i = 0; i < list->u.list.len; i++) {
		const tv *name = inj_get(list->u.list.items[i], "name");
		tmpl_error e;
		tmpl_error_init(&e);
		if (i)
			sbuf_putc(b, ',');
		if (!name)
			sbuf_puts(b, absent_name);
		else if (json_write(b, name, JSON_ESCAPE_HTML, &e) != 0)
			sbuf_puts(b, "\"\"");
		tmpl_error_clear(&e);
	}
	sbuf_putc(b, ']');
}

/* The four lists as "key":names members in the struct's field order, the
 * first one after a comma when comma is true. */
static void lists_json(sbuf *b, const tv *const lists[INJ_STATUS_LISTS], bool comma,
		       const char *absent_name)
{
	for (int l = 0; l < INJ_STATUS_LISTS; l++) {
		sbuf_printf(b, "%s\"%s\":", l || comma ? "," : "", inj_status_lists[l]);
		names_json(b, lists[l], absent_name);
	}
}

const char *inj_status_json(tmpl_arena *a, const char *version, const inj_spec *s)
{
	const tv *lists[INJ_STATUS_LISTS] = {s->init_containers, s->containers, s->volumes,
					     s->pull_secrets};
	sbuf b = SBUF_INIT;
	sbuf_printf(&b, "{\"version\":\"%s\"", version);
	lists_json(&b, lists, true, "null");
	sbuf_putc(&b, '}');
	const char *r = arena_strndup(a, b.buf, b.len);
	sbuf_free(&b);
	return r;
}

const char *inj_status_latest(tmpl_arena *a, const tv *template_spec, const char *revision)
{
	const tv *lists[INJ_STATUS_LISTS];
	for (int l = 0; l < INJ_STATUS_LISTS; l++)
		lists[l] = inj_get(template_spec, inj_status_lists[l]);
	sbuf b = SBUF_INIT;
	/* the newest struct has no version: initContainers comes first */
	sbuf_putc(&b, '{');
	lists_json(&b, lists, false, "\"\"");
	sbuf_puts(&b, ",\"revision\":");
	tmpl_error e;
	tmpl_error_init(&e);
	json_write(&b, inj_cstr(a, revision && *revision ? revision : "default"), JSON_ESCAPE_HTML, &e);
	tmpl_error_clear(&e);
	sbuf_putc(&b, '}');
	const char *r = arena_strndup(a, b.buf, b.len);
	sbuf_free(&b);
	return r;
}

/* ---- writing ---- */

const tv *inj_status_annotate(tmpl_arena *a, const tv *annotations, const char *status)
{
	if (!annotations || annotations->kind != TV_MAP)
		annotations = tv_map_new(a, 0);
	return inj_set(a, annotations, INJ_STATUS_ANNOTATION, inj_cstr(a, status));
}

/* updateAnnotation: the whole map when the pod has none (nil), else the one key. */
void inj_status_patch(inj_patch_ops *o, const tv *raw_meta, const tv *annotations,
		      const char *status)
{
	static const char key[] = INJ_STATUS_ANNOTATION;
	const tv *raw = inj_get(raw_meta, "annotations");
	if (!raw || raw->kind == TV_NULL) {
		tv *m = tv_map_new(o->a, 1);
		tv_map_add(o->a, m, inj_cstr(o->a, key), inj_cstr(o->a, status));
		tv_map_seal(o->a, m);
		inj_patch_op(o, "add", "/metadata/annotations", strlen("/metadata/annotations"), m);
		return;
	}
	const char *old = inj_str(annotations, key);
	sbuf p = SBUF_INIT;
	sbuf_puts(&p, "/metadata/annotations/");
	inj_patch_pointer_token(&p, key, strlen(key));
	inj_patch_op(o, old && *old ? "replace" : "add", p.buf, p.len, inj_cstr(o->a, status));
	sbuf_free(&p);
}

/* ---- reading back ---- */

static const char *const legacy[INJ_STATUS_LISTS][3] = {
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

/* The status as Go decodes it into Istio 1.1's SidecarInjectionStatus; false
 * when Go reports an error (any value of the wrong type fails the whole decode). */
static bool decode(const tv *doc, const tv *lists[INJ_STATUS_LISTS])
{
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
		for (int l = 0; l < INJ_STATUS_LISTS; l++) {
			if (strcasecmp(k->u.s.ptr, inj_status_lists[l]) != 0)
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

void inj_status_prev(tmpl_arena *a, const tv *annotations, const tv *sets[INJ_STATUS_LISTS])
{
	const tv *lists[INJ_STATUS_LISTS] = {NULL};
	const tv *doc = NULL;
	const tv *s = inj_get(annotations, INJ_STATUS_ANNOTATION);
	tmpl_error e;
	tmpl_error_init(&e);
	bool valid = s && s->kind == TV_STRING &&
		     json_parse(a, s->u.s.ptr, s->u.s.len, 0, &doc, &e) == 0 && decode(doc, lists);
	tmpl_error_clear(&e);
	/* Valid only when some list names something. */
	bool any = false;
	for (int l = 0; valid && l < INJ_STATUS_LISTS; l++)
		any = any || (lists[l] && lists[l]->kind == TV_LIST && lists[l]->u.list.len > 0);
	for (int l = 0; l < INJ_STATUS_LISTS; l++) {
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

const tv *inj_status_latest_read(tmpl_arena *a, const tv *annotations)
{
	const char *s = inj_str(annotations, INJ_STATUS_ANNOTATION);
	const tv *status = NULL;
	tmpl_error e;
	tmpl_error_init(&e);
	if (!s || json_parse(a, s, strlen(s), 0, &status, &e) != 0 || !status ||
	    status->kind != TV_MAP)
		status = NULL;
	tmpl_error_clear(&e);
	return status;
}
