/* wh_patch.c: the JSON patch of one injection: adds the rendered sidecar's items and the status annotation (a stand-in until the injector core's patch builder is used). */
#include "wh.h"

#include <string.h>

#include "json.h"

static int add_items(sbuf *b, const char *path, const tv *have, const tv *items, bool *first,
		     tmpl_error *err)
{
	bool empty = !have || have->kind != TV_LIST || have->u.list.len == 0;
	for (size_t i = 0; items && items->kind == TV_LIST && i < items->u.list.len; i++) {
		sbuf_puts(b, *first ? "{" : ",{");
		*first = false;
		sbuf_printf(b, "\"op\":\"add\",\"path\":\"%s%s\",\"value\":", path,
			    empty && i == 0 ? "" : "/-");
		if (empty && i == 0)
			sbuf_putc(b, '[');
		if (json_write(b, items->u.list.items[i], 0, err) != 0)
			return -1;
		sbuf_puts(b, empty && i == 0 ? "]}" : "}");
	}
	return 0;
}

int wh_patch(tmpl_arena *a, const wh_snap *s, const tv *pod, const inj_spec *spec,
	     const char **patch, size_t *patch_len, tmpl_error *err)
{
	const tv *meta = inj_get(pod, "metadata"), *ps = inj_get(pod, "spec");
	sbuf b = SBUF_INIT;
	bool first = true;
	sbuf_putc(&b, '[');
	if (add_items(&b, "/spec/initContainers", inj_get(ps, "initContainers"),
		      spec->init_containers, &first, err) != 0 ||
	    add_items(&b, "/spec/containers", inj_get(ps, "containers"),
		      inj_apply_concurrency(a, spec->containers), &first, err) != 0 ||
	    add_items(&b, "/spec/volumes", inj_get(ps, "volumes"), spec->volumes, &first, err) != 0 ||
	    add_items(&b, "/spec/imagePullSecrets", inj_get(ps, "imagePullSecrets"),
		      spec->pull_secrets, &first, err) != 0)
		goto fail;
	const char *status = inj_status_json(a, s->cfg.version, spec);
	tv sv = {.kind = TV_STRING};
	sv.u.s.ptr = status;
	sv.u.s.len = strlen(status);
	const tv *ann = inj_get(meta, "annotations");
	if (!first)
		sbuf_putc(&b, ',');
	if (!ann || ann->kind != TV_MAP || ann->u.map.len == 0) {
		sbuf_puts(&b, "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":"
			      "{\"sidecar.istio.io/status\":");
		if (json_write(&b, &sv, 0, err) != 0)
			goto fail;
		sbuf_puts(&b, "}}");
	} else {
		const char *old = inj_str(ann, "sidecar.istio.io/status");
		sbuf_printf(&b, "{\"op\":\"%s\",\"path\":\"/metadata/annotations/sidecar.istio.io~1status\","
			    "\"value\":", old && *old ? "replace" : "add");
		if (json_write(&b, &sv, 0, err) != 0)
			goto fail;
		sbuf_putc(&b, '}');
	}
	sbuf_putc(&b, ']');
	*patch = arena_strndup(a, b.buf, b.len);
	*patch_len = b.len;
	sbuf_free(&b);
	return 0;
fail:
	sbuf_free(&b);
	return -1;
}
