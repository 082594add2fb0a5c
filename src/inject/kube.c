/* kube.c: kube-inject's document handling: kinds by name, injection of each pod template (Istio 1.1's, or the newest's for a newest config), re-serialisation. */
#include "inject.h"

#include <string.h>

#include "yaml_emit.h"
#include "yaml_load.h"

const tmpl_type *inj_kube_kind_type(const char *kind)
{
	static const char *const map[][2] = {
		{"Pod", "v1.Pod"},
		{"ReplicationController", "v1.ReplicationController"},
		{"List", "v1.List"},
		{"Deployment", "extensions/v1beta1.Deployment"},
		{"DaemonSet", "extensions/v1beta1.DaemonSet"},
		{"ReplicaSet", "extensions/v1beta1.ReplicaSet"},
		{"Job", "batch/v1.Job"},
		{"CronJob", "batch/v2alpha1.CronJob"},
		{"StatefulSet", "apps/v1beta1.StatefulSet"},
		{"DeploymentConfig", "apps.openshift.io/v1.DeploymentConfig"},
	};
	if (!kind)
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(kind, map[i][0]) == 0)
			return types_lookup(map[i][1]);
	return NULL;
}

const tmpl_type *inj_kube_kind_type_latest(const char *kind)
{
	/* the newest istioctl decodes the same kind names as apps/v1, batch/v1,
	 * core/v1 and apps.openshift.io/v1 */
	static const char *const map[][2] = {
		{"Pod", "latest/core/v1.Pod"},
		{"ReplicationController", "latest/core/v1.ReplicationController"},
		{"List", "latest/core/v1.List"},
		{"Deployment", "latest/apps/v1.Deployment"},
		{"DaemonSet", "latest/apps/v1.DaemonSet"},
		{"ReplicaSet", "latest/apps/v1.ReplicaSet"},
		{"Job", "latest/batch/v1.Job"},
		{"CronJob", "latest/batch/v1.CronJob"},
		{"StatefulSet", "latest/apps/v1.StatefulSet"},
		{"DeploymentConfig", "latest/apps.openshift.io/v1.DeploymentConfig"},
	};
	if (!kind)
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(kind, map[i][0]) == 0)
			return types_lookup(map[i][1]);
	return NULL;
}

static const tmpl_type *kind_type(const inj_config *cfg, const char *kind)
{
	return cfg->newest ? inj_kube_kind_type_latest(kind) : inj_kube_kind_type(kind);
}

/* How each Istio reads a manifest into its typed object: Istio 1.1 with
 * ghodss/yaml and Go 1.11's errors, the newest as Kubernetes does. */
static unsigned norm_flags(const inj_config *cfg)
{
	return cfg->newest ? 0 : TYPES_NORM_GHODSS | TYPES_NORM_GO111;
}

/* Go's %q of a plain string (names are printable in practice). */
static void quote(sbuf *b, const char *s)
{
	sbuf_putc(b, '"');
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			sbuf_putc(b, '\\');
		sbuf_putc(b, *s);
	}
	sbuf_putc(b, '"');
}

/* IntoObject's names for the newest injection of the pod (meta) of obj:
 * the deployment meta of a bare pod from its owner, else the workload's. */
static void latest_params(tmpl_arena *a, const inj_config *cfg, const tv *obj, const tv *dmeta,
			  const tv *meta, inj_latest_params *out)
{
	inj_latest_params p = {.values = cfg->values, .revision = cfg->revision,
			       .native_sidecars = cfg->native_sidecars,
			       .compliance = cfg->compliance};
	const char *kind = inj_str(obj, "kind");
	if (kind && strcmp(kind, "Pod") == 0) {
		inj_latest_pod_owner(a, meta, &p); /* kube.GetDeployMetaFromPod */
	} else {
		const char *av = inj_str(obj, "apiVersion");
		p.kind = kind ? kind : "";
		p.api_version = av ? av : "";
		p.deploy_name = inj_str(dmeta, "name") ? inj_str(dmeta, "name") : "";
		p.deploy_ns = inj_str(dmeta, "namespace") ? inj_str(dmeta, "namespace") : "";
	}
	/* the name IntoObject's warnings give: [namespace/]name */
	const char *name = inj_str(meta, "name");
	if (!name || !*name)
		name = p.deploy_name;
	sbuf full = SBUF_INIT;
	if (*p.deploy_ns)
		sbuf_printf(&full, "%s/", p.deploy_ns);
	sbuf_puts(&full, name);
	p.full_name = arena_strndup(a, full.buf, full.len);
	sbuf_free(&full);
	*out = p;
}

/* The newest injection of one pod: IntoObject's names, then injectPod. */
static int inject_pod_latest(tmpl_arena *a, const inj_config *cfg, const tv *mesh,
			     const tv *obj, const tv *dmeta, const tv *meta, const tv *spec,
			     const tv **meta_out, const tv **spec_out, sbuf *notes,
			     tmpl_error *err)
{
	inj_latest_params p;
	latest_params(a, cfg, obj, dmeta, meta, &p);
	const tv *hn = inj_get(spec, "hostNetwork");
	if (hn && hn->kind == TV_BOOL && hn->u.b) {
		sbuf_puts(notes, "===> Skipping injection because ");
		if (*p.kind)
			sbuf_printf(notes, "%s ", p.kind);
		sbuf_printf(notes, "\"%s\" has host networking enabled\n", p.full_name);
		*meta_out = meta;
		*spec_out = spec;
		return 0;
	}
	/* on OpenShift, as the webhook would (the namespace: the pod's, else the workload's) */
	const char *ns = inj_str(meta, "namespace");
	spec = inj_latest_openshift(a, cfg, ns && *ns ? ns : p.deploy_ns, spec, &p.namespace);
	return inj_latest_pod(a, cfg, mesh, &p, meta, spec, meta_out, spec_out, notes, err);
}

/* Inject the pod (meta, spec) of obj; path says where the pod template sits. */
static int inject_pod(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *obj,
		      const tv *dmeta, const tv *meta, const tv *spec, const tv **meta_out,
		      const tv **spec_out, sbuf *notes, tmpl_error *err)
{
	if (cfg->newest)
		return inject_pod_latest(a, cfg, mesh, obj, dmeta, meta, spec, meta_out, spec_out,
					 notes, err);
	const tv *hn = inj_get(spec, "hostNetwork");
	if (hn && hn->kind == TV_BOOL && hn->u.b) {
		sbuf_puts(notes, "Skipping injection because ");
		quote(notes, inj_str(meta, "name"));
		sbuf_puts(notes, " has host networking enabled\n");
		*meta_out = meta;
		*spec_out = spec;
		return 0;
	}
	inj_spec s;
	if (inj_render(a, cfg, mesh, dmeta, meta, spec, &s, err) != 0)
		return -1;
	return inj_merge(a, &s, mesh, meta, spec, meta_out, spec_out, err);
}

static int inject_list(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *list,
		       const tv **out, sbuf *notes, tmpl_error *err)
{
	const tv *items = inj_get(list, "items");
	if (!items || items->kind != TV_LIST) {
		*out = list;
		return 0;
	}
	tv *ni = tv_list_new(a, items->u.list.len);
	for (size_t i = 0; i < items->u.list.len; i++) {
		const tv *item = items->u.list.items[i];
		const tmpl_type *t = kind_type(cfg, inj_str(item, "kind"));
		ni->u.list.items[i] = item;
		if (!t)
			continue;
		const tv *norm, *r;
		if (types_normalize_ex(a, t, item, norm_flags(cfg), &norm, err) != 0)
			return -1;
		if (inj_kube_inject_object(a, cfg, mesh, norm, &r, notes, err) != 0)
			return -1;
		ni->u.list.items[i] = r;
	}
	*out = inj_set(a, list, "items", ni);
	return 0;
}

/* Where the pod sits in obj (normalized, not a List): the top-level
 * metadata, the pod's metadata and its spec, as kube-inject hands them to
 * the injection; -1 when a workload has no pod template. */
static int pod_parts(const tv *obj, const tv **dmeta, const tv **meta, const tv **spec,
		     tmpl_error *err)
{
	const char *kind = inj_str(obj, "kind");
	kind = kind ? kind : "";
	const tv *objspec = inj_get(obj, "spec");
	*dmeta = inj_get(obj, "metadata");
	if (strcmp(kind, "Pod") == 0) {
		*meta = *dmeta;
		*spec = objspec;
		return 0;
	}
	if (strcmp(kind, "CronJob") == 0) {
		/* The job template's metadata, not the pod template's (Istio's quirk). */
		const tv *jt = inj_get(objspec, "jobTemplate");
		*meta = inj_get(jt, "metadata");
		*spec = inj_get(inj_get(inj_get(jt, "spec"), "template"), "spec");
		return 0;
	}
	const tv *tmpl = inj_get(objspec, "template");
	if (!tmpl || tmpl->kind != TV_MAP)
		return tmpl_error_set(err, TMPL_ERR_DATA, NULL, 0, 0, "spec.template is required value");
	*meta = inj_get(tmpl, "metadata");
	*spec = inj_get(tmpl, "spec");
	return 0;
}

int inj_kube_inject_object(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *obj,
			   const tv **out, sbuf *notes, tmpl_error *err)
{
	const char *kind = inj_str(obj, "kind");
	kind = kind ? kind : "";
	if (strcmp(kind, "List") == 0)
		return inject_list(a, cfg, mesh, obj, out, notes, err);

	const tv *objspec = inj_get(obj, "spec");
	const tv *dmeta, *meta, *spec, *m2, *s2;
	if (pod_parts(obj, &dmeta, &meta, &spec, err) != 0 ||
	    inject_pod(a, cfg, mesh, obj, dmeta, meta, spec, &m2, &s2, notes, err) != 0)
		return -1;
	if (strcmp(kind, "Pod") == 0) {
		*out = inj_set(a, inj_set(a, obj, "metadata", m2), "spec", s2);
		return 0;
	}
	if (strcmp(kind, "CronJob") == 0) {
		const tv *jt = inj_get(objspec, "jobTemplate");
		const tv *jspec = inj_get(jt, "spec");
		const tv *tmpl = inj_set(a, inj_get(jspec, "template"), "spec", s2);
		jspec = inj_set(a, jspec, "template", tmpl);
		jt = inj_set(a, inj_set(a, jt, "metadata", m2), "spec", jspec);
		*out = inj_set(a, obj, "spec", inj_set(a, objspec, "jobTemplate", jt));
		return 0;
	}
	const tv *tmpl = inj_get(objspec, "template");
	tmpl = inj_set(a, inj_set(a, tmpl, "metadata", m2), "spec", s2);
	*out = inj_set(a, obj, "spec", inj_set(a, objspec, "template", tmpl));
	return 0;
}

/* The error text of a document: "NAME:LINE: KIND NAME: TEXT". */
static int doc_error(tmpl_error *err, const char *name, int line, const tv *doc, const char *pre,
		     const char *msg)
{
	const char *kind = inj_str(doc, "kind");
	const char *oname = inj_str(inj_get(doc, "metadata"), "name");
	return tmpl_error_set(err, TMPL_ERR_DATA, name, line, 0, "%s:%d: %s %s: %s%s", name, line,
			      kind ? kind : "object", oname && *oname ? oname : "(unnamed)", pre,
			      msg ? msg : "error");
}

/* A document of the stream read as Istio reads it; errors at the file's line. */
static int load_doc(tmpl_arena *a, const char *name, const char *chunk, size_t clen, int line,
		    sbuf *notes, const tv **doc, tmpl_error *err)
{
	tmpl_error e;
	tmpl_error_init(&e);
	/* Istio 1.1 reads manifests with yaml.v2 (2.2.1, built with Go 1.11): YAML 1.1's
	 * booleans, its own number syntax, and a repeated key's last value wins. */
	yl_opts opts = {.dup_keys_last_wins = true, .warnings = notes, .line_offset = line - 1,
			.rules = YR_RULES_V2_ISTIO_1_1};
	*doc = TV_NOVALUE;
	if (yl_load_first_opts(a, name, chunk, clen, &opts, doc, &e) != 0) {
		/* The loader counts lines from the document's start: count from the file's. */
		const char *msg = e.msg ? e.msg : "invalid YAML";
		size_t nl = strlen(name);
		if (strncmp(msg, name, nl) == 0 && msg[nl] == ':') {
			const char *p = strchr(msg + nl + 1, ' ');
			msg = p ? p + 1 : msg;
		}
		int l = e.line > 0 ? line + e.line - 1 : line;
		tmpl_error_set(err, TMPL_ERR_DATA, name, l, e.col,
			       "%s:%d:%d: %s (in the document starting at line %d)", name, l,
			       e.col > 0 ? e.col : 1, msg, line);
		tmpl_error_clear(&e);
		return -1;
	}
	return 0;
}

/* One document of the stream: injected, or copied as it is. */
static int one_doc(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const char *name,
		   const char *chunk, size_t clen, int line, sbuf *out, sbuf *notes, tmpl_error *err)
{
	const tv *doc = TV_NOVALUE;
	tmpl_error e;
	tmpl_error_init(&e);
	if (load_doc(a, name, chunk, clen, line, notes, &doc, err) != 0)
		return -1;
	if (doc && doc->kind != TV_MAP && doc->kind != TV_NULL)
		return tmpl_error_set(err, TMPL_ERR_DATA, name, line, 0,
				      "%s:%d: error unmarshaling JSON: json: cannot unmarshal %s into Go value of type v1.TypeMeta",
				      name, line, doc->kind == TV_LIST ? "array" :
						  doc->kind == TV_STRING ? "string" :
						  doc->kind == TV_BOOL ? "bool" : "number");
	const tv *kv = inj_get(doc, "kind");
	if (kv && (kv->kind == TV_LIST || kv->kind == TV_MAP))
		return tmpl_error_set(err, TMPL_ERR_DATA, name, line, 0,
				      "%s:%d: error unmarshaling JSON: json: cannot unmarshal %s into Go struct field TypeMeta.kind of type string",
				      name, line, kv->kind == TV_LIST ? "array" : "object");
	const tmpl_type *t = kind_type(cfg, inj_str(doc, "kind"));
	if (!t) {
		sbuf_put(out, chunk, clen);
		sbuf_puts(out, "---\n");
		return 0;
	}
	const tv *norm, *res;
	if (types_normalize_ex(a, t, doc, norm_flags(cfg), &norm, &e) != 0) {
		doc_error(err, name, line, doc, "error unmarshaling JSON: ", e.msg);
		tmpl_error_clear(&e);
		return -1;
	}
	if (inj_kube_inject_object(a, cfg, mesh, norm, &res, notes, &e) != 0 ||
	    ye_emit(out, res, cfg->newest ? YE_RULES_CURRENT : YE_RULES_ISTIO_1_1, &e) != 0) {
		doc_error(err, name, line, doc, "", e.msg);
		tmpl_error_clear(&e);
		return -1;
	}
	sbuf_puts(out, "---\n");
	return 0;
}

int inj_kube_inject_stream_to(tmpl_arena *a, const inj_config *cfg, const tv *mesh,
			      const char *name, const char *text, size_t len,
			      const inj_kube_sink *sink, sbuf *out, sbuf *notes, tmpl_error *err)
{
	inj_kube_docs d;
	const char *doc;
	size_t dlen;
	int line, rc = 0;
	inj_kube_docs_init(&d, text, len);
	while (rc == 0 && inj_kube_docs_next(&d, &doc, &dlen, &line)) {
		arena_mark m = arena_mark_now(a);
		rc = one_doc(a, cfg, mesh, name, doc, dlen, line, out, notes, err);
		if (rc == 0 && sink) {
			arena_release(a, m); /* nothing of a document outlives its output */
			if (sink->write(out->buf, out->len, sink->arg) != 0)
				rc = tmpl_error_set(err, TMPL_ERR_IO, name, 0, 0, "writing output");
			out->len = 0;
		}
	}
	inj_kube_docs_free(&d);
	return rc;
}

int inj_kube_inject_stream(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const char *name,
			   const char *text, size_t len, sbuf *out, sbuf *notes, tmpl_error *err)
{
	return inj_kube_inject_stream_to(a, cfg, mesh, name, text, len, NULL, out, notes, err);
}

int inj_kube_pod_data(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const char *name,
		      const char *text, size_t len, const tv **data, tmpl_error *err)
{
	/* the first document kube-inject would inject, read as it reads each */
	inj_kube_docs d;
	const char *chunk;
	size_t clen;
	int line, rc = 1;
	const tv *doc = NULL;
	const tmpl_type *t = NULL;
	inj_kube_docs_init(&d, text, len);
	while (rc == 1 && inj_kube_docs_next(&d, &chunk, &clen, &line)) {
		if (load_doc(a, name, chunk, clen, line, NULL, &doc, err) != 0) {
			rc = -1;
			break;
		}
		const char *kind = inj_str(doc, "kind");
		t = kind_type(cfg, kind);
		if (t && strcmp(kind, "List") != 0)
			rc = 0;
	}
	inj_kube_docs_free(&d);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return tmpl_error_set(err, TMPL_ERR_DATA, name, 1, 0,
				      "%s: no Pod or workload kube-inject injects (Pod, Deployment, "
				      "DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job, "
				      "CronJob, DeploymentConfig)", name);
	const tv *obj, *dmeta, *meta, *spec;
	tmpl_error e;
	tmpl_error_init(&e);
	if (types_normalize_ex(a, t, doc, norm_flags(cfg), &obj, &e) != 0 ||
	    pod_parts(obj, &dmeta, &meta, &spec, &e) != 0) {
		doc_error(err, name, line, doc, "", e.msg);
		tmpl_error_clear(&e);
		return -1;
	}
	if (!cfg->newest)
		return inj_template_data(a, mesh, dmeta, meta, spec, data, err);
	inj_latest_params p;
	latest_params(a, cfg, obj, dmeta, meta, &p);
	inj_latest_prep prep;
	if (inj_latest_pod_data(a, NULL, mesh, &p, meta, spec, &prep, NULL, err) != 0)
		return -1;
	*data = prep.data;
	return 0;
}
