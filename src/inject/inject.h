/* inject.h: Istio 1.1 sidecar injection over YAML values: configuration, template data, rendering, merge and policy, shared by kube-inject and the webhook.
 *
 * Every value handed in or out lives in the arena the caller passes; nothing
 * here keeps state between calls, so a loaded config and mesh may be used by
 * many threads at once. Errors follow tmpl.h: 0 on success, -1 and a filled
 * tmpl_error (Istio's own texts where Istio has one).
 */
#ifndef INJ_INJECT_H
#define INJ_INJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tmpl.h"
#include "types.h"

/* The injection config (the ConfigMap key `config`, the --injectConfigFile file). */
typedef struct inj_config {
	const char *policy;      /* "enabled", "disabled" or anything else (= off) */
	const char *tmpl;        /* the unrendered template text */
	size_t tmpl_len;
	char version[65];        /* SHA-256 hex of the template text */
	const tv *never_sel;     /* list of LabelSelectors (raw YAML) or NOVALUE */
	const tv *always_sel;
	tmpl_set *set;           /* the template parsed under the name "inject" */
	const char *funcs;       /* its function library: "istio-1.1" for Istio 1.1's
				  * [[ ]] templates, "istio" for the newest's {{ }} */
	struct inj_spec_cache *cache; /* rendered text -> spec memo (spec_cache.c), or NULL */
	/* The bounds of each render (NULL: none). A front end that needs them per
	 * request (a deadline, a cancel test) renders with a shallow copy of the
	 * config that points at its own. */
	const tmpl_exec_opts *limits;
	/* The newest Istio's Config (config_latest.c): named {{ }} templates
	 * applied by strategic merge. newest is false for Istio 1.1's configs,
	 * whose single template goes through set/tmpl above. */
	bool newest;
	size_t ntemplates;
	struct inj_named_tmpl *templates; /* in the file's order */
	const tv *default_templates;      /* list of strings, ["sidecar"] when unset */
	const tv *aliases;                /* map of name -> list of names, or NOVALUE */
	const tv *injected_annotations;   /* map, or NOVALUE */
	/* What a newest injection reads beside the Config (set by the front end):
	 * the values, the revision ("" = default), native sidecars
	 * (ENABLE_NATIVE_SIDECARS), the compliance policy (COMPLIANCE_POLICY). */
	const tv *values;
	const char *revision;
	bool native_sidecars;
	const char *compliance;
	/* On OpenShift (PLATFORM=openshift): the cluster's namespaces the front
	 * end knows (a map of name -> Namespace object, or NULL), whose UID ranges
	 * give the proxy's UID and GID. */
	bool openshift;
	const tv *namespaces;
} inj_config;

/* The load-time check of a loaded config (config_check.c): every template
 * through --check's structure, function and typed-data checks (doc/check.md's
 * checks 1-3) as that Istio's injector runs it, so that a template the
 * injector cannot execute is refused when it is loaded rather than when pods
 * arrive (the gateway controller's templates, waypoint and kube-gateway, are
 * rendered over other data and left out). -1 and err ("FILE: the injection
 * config is refused: N errors in
 * its templates:" and the diagnostics, FILE[TEMPLATE]:LINE:COL: ... a line)
 * when there is an error; else 0, and any other diagnostics appended to
 * warnings (lines ending in a newline). */
int inj_config_check(const inj_config *cfg, const char *file, sbuf *warnings, tmpl_error *err);

/* What the newest istiod reads from its environment into cfg (config_latest.c):
 * native sidecars (ENABLE_NATIVE_SIDECARS=true), the compliance policy
 * (COMPLIANCE_POLICY) and OpenShift (PLATFORM=openshift); the strings are
 * copied into a. kube-inject, tmplrender --pod and the webhook all read them
 * here. */
void inj_config_environ(tmpl_arena *a, inj_config *cfg);

/* OpenShift (openshift_latest.c). The Namespace objects of a YAML document (a
 * Namespace, or a List of them) as a map from name to object, for
 * cfg->namespaces: 0, or -1 and err. */
int inj_namespaces_load(tmpl_arena *a, const char *path, const char *text, size_t len,
			const tv **out, tmpl_error *err);
/* The pod's spec as webhook.go's inject changes it on OpenShift before
 * injecting (an istio-proxy with the app's user loses runAsUser and
 * runAsGroup), and in *nsobj the namespace ns from cfg->namespaces (NULL when
 * unknown); spec unchanged and *nsobj NULL when cfg is not OpenShift's. */
const tv *inj_latest_openshift(tmpl_arena *a, const inj_config *cfg, const char *ns,
			       const tv *spec, const tv **nsobj);

/* One template of the newest Config, parsed under Istio's name "inject". */
typedef struct inj_named_tmpl {
	const char *name;
	tmpl_set *set;
	const char *text; /* its text, as parsed (for the load-time check) */
	size_t len;
} inj_named_tmpl;

/* Read an injection config YAML text (policy, template, neverInjectSelector,
 * alwaysInjectSelector) and parse its template; strings live in arena a. */
int inj_config_load(tmpl_arena *a, const char *name, const char *text, size_t len,
		    inj_config *cfg, tmpl_error *err);
/* The newest Istio's Config from its decoded YAML doc (policy, defaultTemplates,
 * templates, aliases, selectors, injectedAnnotations; a `template` key is
 * ignored, as Go's struct has no such field), or, when doc is NULL, a bare
 * template text that becomes the template "sidecar" (istioctl's fallback). */
int inj_config_latest(tmpl_arena *a, const char *name, const tv *doc, const char *bare,
		      size_t bare_len, inj_config *cfg, tmpl_error *err);
/* The parsed template of that name, or NULL. */
tmpl_set *inj_config_template(const inj_config *cfg, const char *name);
/* Build a config from a bare template text with the given policy. */
int inj_config_from_template(tmpl_arena *a, const char *tmpl, size_t len, const char *policy,
			     inj_config *cfg, tmpl_error *err);
/* Free the parsed template set (the arena holds the rest). */
void inj_config_free(inj_config *cfg);

/* Istio 1.1's DefaultMeshConfig() as raw YAML values. */
const tv *inj_mesh_default(tmpl_arena *a);
/* The mesh config of a YAML or protobuf-JSON text laid over the defaults as
 * Istio 1.1 does: top-level fields replace the defaults, defaultConfig's
 * non-zero fields replace DefaultProxyConfig's one by one. NULL/0 text = defaults. */
int inj_mesh_load(tmpl_arena *a, const char *name, const char *text, size_t len, const tv **mesh,
		  tmpl_error *err);

/* The newest Istio's mesh config (mesh_latest.c): mesh.go's DefaultMeshConfig
 * beneath a YAML or JSON text as ApplyMeshConfigDefaults lays it: fields
 * replace, messages and maps merge, extensionProviders merge by name. */
const tv *inj_mesh_latest_default(tmpl_arena *a);
int inj_mesh_latest_load(tmpl_arena *a, const char *name, const char *text, size_t len,
			 const tv **mesh, tmpl_error *err);
/* A ProxyConfig YAML text (the proxy.istio.io/config annotation) merged over
 * the mesh's defaultConfig (mesh.ApplyProxyConfig); the new mesh in *out. */
int inj_mesh_latest_apply_proxy(tmpl_arena *a, const tv *mesh, const char *yaml, size_t len,
				const tv **out, tmpl_error *err);
/* Deep merge as protobuf's JSON merge: maps merge key by key, anything else
 * in over replaces; a null in over leaves base (mesh_latest.c). */
const tv *inj_merge_message(tmpl_arena *a, const tv *base, const tv *over);

/* Kubernetes' strategic merge patch of a Pod (smp.c): patch (a Pod's JSON
 * form, e.g. a rendered template) over orig; the result is untyped (the
 * caller decodes it as a Pod). */
const tv *inj_smp_pod(tmpl_arena *a, const tv *orig, const tv *patch);

/* What the newest injection knows beside the pod (inject.go's
 * InjectionParameters as kube-inject fills them). */
typedef struct inj_latest_params {
	const tv *values;          /* the values map, or NOVALUE */
	const char *revision;      /* "" for the default revision */
	bool native_sidecars;      /* ENABLE_NATIVE_SIDECARS / node detection */
	const char *compliance;    /* COMPLIANCE_POLICY, or "" */
	const char *kind, *api_version;   /* TypeMeta of the top-level object */
	const char *deploy_name, *deploy_ns; /* DeploymentMeta */
	const char *full_name;     /* [namespace/]name, for the skip notes */
	/* The webhook's: the proxy envs of its URL (parseInjectEnvs; a map of
	 * strings, or NULL), and true when it has applied the Config's own
	 * policy (kube-inject decides as a Config{Policy: enabled} would). */
	const tv *proxy_envs;
	bool webhook;
	const tv *namespace;       /* the pod's Namespace object (OpenShift), or NULL */
} inj_latest_params;

/* The SidecarTemplateData of one pod (data_latest.c): pod is the stripped
 * Pod (JSON form), mesh the mesh with the pod's proxy config applied. */
const tv *inj_latest_data(tmpl_arena *a, const inj_latest_params *p, const tv *mesh,
			  const tv *pod);
/* inject.go's ProxyImage / ProxyInitImage from the values and annotations. */
const char *inj_latest_proxy_image(tmpl_arena *a, const tv *values, const tv *proxy_config,
				   const tv *annotations, bool init);
/* kube.GetDeployMetaFromPod: a bare pod's deployment name and TypeMeta. */
void inj_latest_pod_owner(tmpl_arena *a, const tv *meta, inj_latest_params *p);

/* The newest injectPod for one pod (inject_latest.c): (meta, spec) of the pod
 * template in, the injected ones out (unchanged when policy says no, with a
 * note). */
int inj_latest_pod(tmpl_arena *a, const inj_config *cfg, const tv *mesh,
		   const inj_latest_params *p, const tv *meta, const tv *spec,
		   const tv **meta_out, const tv **spec_out, sbuf *notes, tmpl_error *err);

/* The first half of inj_latest_pod: the pod as corev1.Pod reads it, the
 * mesh with its proxy.istio.io/config, the policy (skipped when cfg is
 * NULL: then data is always made), the annotations validated, a previous
 * injection stripped, and the SidecarTemplateData (typed) the templates
 * render over. A pod the policy skips has data NULL and a note. */
typedef struct inj_latest_prep {
	const tv *pod;
	const tv *mesh;
	const tv *data;
} inj_latest_prep;
int inj_latest_pod_data(tmpl_arena *a, const inj_config *cfg, const tv *mesh,
			const inj_latest_params *p, const tv *meta, const tv *spec,
			inj_latest_prep *out, sbuf *notes, tmpl_error *err);

/* Post-processing of the merged pod (postproc_latest.c), each as webhook.go
 * does it: container order; Prometheus merge; cluster and network. Pods are
 * JSON forms. */
const tv *inj_latest_reorder(tmpl_arena *a, const tv *spec, bool hold);
const tv *inj_latest_prometheus(tmpl_arena *a, const tv *pod, const tv *mesh, tmpl_error *err);
const tv *inj_latest_secure_prometheus(tmpl_arena *a, const tv *pod);
/* clearPrometheusAnnotations and getPrometheusPort, by Prometheus' sanitised names. */
const tv *inj_latest_prometheus_clear(tmpl_arena *a, const tv *annotations);
const char *inj_latest_prometheus_port(const tv *annotations);
const tv *inj_latest_cluster_info(tmpl_arena *a, const tv *pod, const inj_latest_params *p);
/* The user's containers over the injected ones (overrides_latest.c):
 * reapplyOverwrittenContainers with adjustInitContainerUser on the merged
 * pod final (orig: the pod as given, tpod: the template pod, pc: the proxy
 * config); reinsertOverrides before rendering. */
int inj_latest_reapply_overrides(tmpl_arena *a, const tv *final, const tv *orig,
				 const tv *tpod, const tv *pc, const tv **out, tmpl_error *err);
const tv *inj_latest_reinsert_overrides(tmpl_arena *a, const tv *pod);
/* applyRewrite (probe_latest.c): app probes into ISTIO_KUBE_APP_PROBERS and
 * onto the status port, when the annotation or the values ask for it. */
const tv *inj_latest_rewrite_probes(tmpl_arena *a, const tv *pod, const tv *mesh,
				    const tv *values);
/* FindSidecar: the istio-proxy container (containers first), or NULL; and
 * the spec with it replaced by c. */
const tv *inj_latest_sidecar(const tv *spec);
const tv *inj_latest_with_sidecar(tmpl_arena *a, const tv *spec, const tv *c);

/* The values (values.c): the injector's `values` text, JSON or YAML, as a map
 * (NOVALUE for an empty text); Go's error for anything but a map. */
int inj_values_load(tmpl_arena *a, const char *name, const char *text, size_t len,
		    const tv **values, tmpl_error *err);

/* The validation of the injection annotations (annot_validate.c). Check the
 * pod annotations Istio 1.1 validates before rendering; the error is
 * `injection failed. Invalid value for annotation NAME: VALUE. Error: ...`. */
int inj_validate_annotations(const tv *annotations, tmpl_error *err);
/* The newest Istio's: `invalid value 'V' for annotation 'NAME': ...`. */
int inj_validate_annotations_latest(const tv *annotations, tmpl_error *err);
/* Is the annotation [name, len) one Istio validates before rendering (1.1's,
 * or with latest the newest's)? --check's YAML context check trusts those. */
bool inj_annotation_validated(const char *name, size_t len, bool latest);

/* The rendered template read as SidecarInjectionSpec (normalized maps). */
typedef struct inj_spec {
	bool rewrite_probe;
	const tv *init_containers; /* lists (possibly empty), never NOVALUE */
	const tv *containers;
	const tv *volumes;
	const tv *dns_config;      /* NOVALUE or TV_NULL when the template has none */
	const tv *pull_secrets;
	const char *status;        /* the sidecar.istio.io/status value */
} inj_spec;

/* Istio 1.1's SidecarTemplateData of one pod (typed), the annotations
 * validated first as inj_render does: what its template renders over. */
int inj_template_data(tmpl_arena *a, const tv *mesh, const tv *dmeta, const tv *meta,
		      const tv *spec, const tv **data, tmpl_error *err);
/* Render the template for one pod: dmeta is the top-level object's metadata,
 * meta the pod template's metadata, spec the pod spec (all normalized), mesh
 * the mesh config; fills *out. */
int inj_render(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *dmeta,
	       const tv *meta, const tv *spec, inj_spec *out, tmpl_error *err);

/* The memo of specs read from rendered texts (spec_cache.c), thread-safe
 * and bounded; a config owns one. get fills out on a hit. A reader that
 * misses reserves a place for the text of hash h (false: the cache is full,
 * or h is seen for the first time lately and not worth keeping yet), reads into a fresh
 * arena, then puts it: the cache owns that arena from then on, and out may
 * be replaced by an equal spec another thread put first. */
typedef struct inj_spec_cache inj_spec_cache;
inj_spec_cache *inj_spec_cache_new(void);
void inj_spec_cache_free(inj_spec_cache *c);
uint64_t inj_spec_cache_hash(const char *text, size_t len);
bool inj_spec_cache_get(inj_spec_cache *c, uint64_t h, const char *text, size_t len,
			inj_spec *out);
bool inj_spec_cache_reserve(inj_spec_cache *c, uint64_t h);
void inj_spec_cache_unreserve(inj_spec_cache *c);
void inj_spec_cache_put(inj_spec_cache *c, uint64_t h, const char *text, size_t len,
			tmpl_arena *a, inj_spec *out);

/* The sidecar.istio.io/status annotation (status.c): the names an injection
 * added, so that a later injection can take them out again. Istio 1.1's
 * value is built from the rendered spec and read back by its webhook's
 * patch; the newest's from the template pod, read back by its injector. */
#define INJ_STATUS_ANNOTATION "sidecar.istio.io/status"
/* The pod lists an injection adds to, in SidecarInjectionStatus' field
 * order: initContainers, containers, volumes, imagePullSecrets. */
enum { INJ_STATUS_LISTS = 4 };
extern const char *const inj_status_lists[INJ_STATUS_LISTS];
/* Istio 1.1's value (injectionData): compact JSON, the version first,
 * Istio's key order, empty lists null. */
const char *inj_status_json(tmpl_arena *a, const char *version, const inj_spec *s);
/* The newest's (getInjectionStatus): the names of the template pod's spec,
 * then the revision ("default" for ""), empty lists null. */
const char *inj_status_latest(tmpl_arena *a, const tv *template_spec, const char *revision);
/* annotations (a map; anything else counts as none) with the status set:
 * the injected pod's, for kube-inject and the newest injection. */
const tv *inj_status_annotate(tmpl_arena *a, const tv *annotations, const char *status);
/* The status as Istio 1.1's webhook patches it in (updateAnnotation): the
 * whole annotations map added when the pod came without one (raw_meta: its
 * metadata as it came), else the one key added, or replaced when the decoded
 * annotations have a non-empty status. */
struct inj_patch_ops;
void inj_status_patch(struct inj_patch_ops *o, const tv *raw_meta, const tv *annotations,
		      const char *status);
/* Istio 1.1's injectionStatus: per list, the names an earlier injection
 * added, as a set (a map from name to true): those of the annotation when it
 * decodes and names something, else the legacy names (istio-init,
 * enable-core-dump / istio-proxy / istio-certs, istio-envoy / none). */
void inj_status_prev(tmpl_arena *a, const tv *annotations, const tv *sets[INJ_STATUS_LISTS]);
/* The newest's injectionStatus: the annotation's JSON object, or NULL when
 * there is none or it is not a JSON object (an unreadable status is no status). */
const tv *inj_status_latest_read(tmpl_arena *a, const tv *annotations);

/* Append `--concurrency N` to istio-proxy's args from its CPU limit (else
 * request) rounded up, unless it already has a concurrency flag; returns the
 * new container list. */
const tv *inj_apply_concurrency(tmpl_arena *a, const tv *containers);

/* The kube-inject merge: new (meta, spec) with the sidecar appended, dnsConfig
 * replaced, probes rewritten, SDS securityContext and the status annotation. */
int inj_merge(tmpl_arena *a, const inj_spec *s, const tv *mesh, const tv *meta, const tv *spec,
	      const tv **meta_out, const tv **spec_out, tmpl_error *err);

/* Rewrite application HTTP probes onto the status port (kube-inject 1.1);
 * returns the new container list (unchanged when nothing applies). */
const tv *inj_rewrite_probes(tmpl_arena *a, const tv *containers);

/* The pieces of the probe rewrite, shared with the webhook's patch (probe.c). */
enum { INJ_PROBE_READINESS = 0, INJ_PROBE_LIVENESS = 1 };
/* The status port in a container's args (-{1,2}statusPort[=N], else the next arg), or -1. */
long inj_probe_status_port(const tv *container);
/* The container's readiness or liveness httpGet map, or NOVALUE. */
const tv *inj_probe_http_get(const tv *container, int which);
/* The container's rewritten probe path, /app-health/NAME/readyz|livez, written into buf. */
const char *inj_probe_url(char *buf, size_t n, const tv *container, int which);
/* Istio's DumpAppProbers: the HTTP probes of every container but istio-proxy, keyed
 * by their rewritten path, named ports resolved (unresolvable ones left out), as a
 * JSON string value. */
const tv *inj_probe_dump(tmpl_arena *a, const tv *containers);
/* A one-element env list: ISTIO_KUBE_APP_PROBERS = probers. */
const tv *inj_probe_env(tmpl_arena *a, const tv *probers);
/* Istio's convertAppProber: httpGet aimed at port and path (HTTPS probed as HTTP). */
const tv *inj_probe_convert(tmpl_arena *a, const tv *http_get, const char *path, long port);

/* injectRequired (Istio 1.1's, or the newest's when cfg->newest): hostNetwork, ignored namespaces, the
 * sidecar.istio.io/inject annotation, never/always selectors, the policy. */
bool inj_policy_required(const inj_config *cfg, const char *const *ignored_ns, const tv *meta,
			 const tv *spec);
/* Does a LabelSelector (raw YAML) match the labels map? Invalid ones never match. */
bool inj_selector_matches(const tv *selector, const tv *labels);

/* The documents of a YAML stream as Istio 1.1's kube-inject reads them
 * (docsplit.c): lines end in "\n" (CRLF read as LF, a last line completed), a
 * `---` line ends a document, and one with nothing gathered yet starts the next. */
typedef struct inj_kube_docs {
	const char *text;
	size_t len, pos;
	int line;     /* of the next line */
	int doc_line; /* first line of the document being gathered */
	/* A document whose lines all end in a bare "\n" is the input's own bytes
	 * text[start, start + span) (no copy: a manifest is often one large
	 * document); doc holds it only once a line needed rewriting. */
	size_t start, span;
	sbuf doc;
} inj_kube_docs;
void inj_kube_docs_init(inj_kube_docs *d, const char *text, size_t len);
/* The next document (valid until the next call; not NUL-terminated) and the
 * line it starts on; false at the end of the stream. */
bool inj_kube_docs_next(inj_kube_docs *d, const char **doc, size_t *len, int *line);
void inj_kube_docs_free(inj_kube_docs *d);

/* Where inj_kube_inject_stream hands each finished document's output (with its
 * `---`): write returns 0, or -1 to stop (the error is the sink's to report). */
typedef struct inj_kube_sink {
	int (*write)(const char *buf, size_t len, void *arg);
	void *arg;
} inj_kube_sink;

/* kube-inject over a stream of YAML documents (kube.c): documents split by
 * inj_kube_docs; Pod, Deployment, DaemonSet,
 * StatefulSet, ReplicaSet, ReplicationController, Job, CronJob,
 * DeploymentConfig and List (recursively) injected and re-serialised; every
 * other document copied as read; `---` after each. Notices (host
 * networking skips) are appended to notes. name names the input in errors. */
int inj_kube_inject_stream(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const char *name,
			   const char *text, size_t len, sbuf *out, sbuf *notes, tmpl_error *err);
/* The same, each document's output handed to sink as soon as it is made, and
 * each document's values given back to a before the next: memory per
 * document, not per stream. out is scratch. A sink failure returns -1 with
 * err set to "writing output". */
int inj_kube_inject_stream_to(tmpl_arena *a, const inj_config *cfg, const tv *mesh,
			      const char *name, const char *text, size_t len,
			      const inj_kube_sink *sink, sbuf *out, sbuf *notes, tmpl_error *err);
/* Inject one decoded object of a known kind (normalized); *out is the result. */
int inj_kube_inject_object(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *obj,
			   const tv **out, sbuf *notes, tmpl_error *err);
/* The Go type Istio 1.1 decodes a kind into, or NULL for kinds it leaves alone. */
const tmpl_type *inj_kube_kind_type(const char *kind);
/* The same for the newest Istio (apps/v1, batch/v1, core/v1 of the newest Kubernetes). */
const tmpl_type *inj_kube_kind_type_latest(const char *kind);

/* The template data of the first document of a manifest text that
 * kube-inject would inject (a Pod or a workload; a List does not count), for
 * a template author rendering outside the injection (kube.c): the object
 * read and decoded as kube-inject reads it, its pod template taken as
 * kube-inject takes it, and the data built for the version cfg->newest says
 * (the values, revision... of cfg), whatever the policy would decide. */
int inj_kube_pod_data(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const char *name,
		      const char *text, size_t len, const tv **data, tmpl_error *err);

/* Small helpers over immutable maps (util.c). */
const tv *inj_get(const tv *map, const char *key);
const char *inj_str(const tv *map, const char *key); /* NULL unless a string */
/* A copy of map with key set to val (added at the end when absent). */
const tv *inj_set(tmpl_arena *a, const tv *map, const char *key, const tv *val);
/* A copy of map without key (map itself when it has none). */
const tv *inj_without(tmpl_arena *a, const tv *map, const char *key);
/* A new list of a's items followed by b's (either may be NOVALUE/null). */
const tv *inj_concat(tmpl_arena *a, const tv *x, const tv *y);
const tv *inj_cstr(tmpl_arena *a, const char *s);

#endif
