/* patch.h: the sidecar-injector webhook's RFC 6902 JSON patch for one pod, built from the injection itself as Istio 1.1 builds it.
 *
 * Order of the operations (Istio 1.1's createPatch): removal of previously
 * injected entries (the names of the pod's sidecar.istio.io/status annotation
 * as status.c reads it, else the legacy names), highest index first per list;
 * adds per list (initContainers, containers, volumes, imagePullSecrets: the
 * first add to an empty or absent list adds a one-element array at the list
 * path, the others `<path>/-`); /spec/dnsConfig; /spec/securityContext; the status
 * annotation; the probe rewrite. Values are the typed Kubernetes structs in
 * Go's field order. The work is linear in the pod's size.
 */
#ifndef INJ_PATCH_H
#define INJ_PATCH_H

#include "inject/inject.h"

/* The namespaces Istio 1.1 never injects (kube-system, kube-public), NULL-terminated. */
extern const char *const inj_patch_ignored_namespaces[];

/* RFC 6902 operations as they are built (patch.c), for Istio 1.1's patch and
 * the newest's diff alike: {op, path, value} maps in jsonpatch.Operation's
 * field order, value left out when NULL (a remove). */
typedef struct inj_patch_ops {
	tmpl_arena *a;
	const tv **v;
	size_t len, cap;
} inj_patch_ops;
void inj_patch_op(inj_patch_ops *o, const char *name, const char *path, size_t path_len,
		  const tv *value);
/* The operations as one list. */
const tv *inj_patch_ops_list(const inj_patch_ops *o);
/* Bytes [s, s+n) appended to b as a JSON pointer token (RFC 6901): ~ as ~0, / as ~1. */
void inj_patch_pointer_token(sbuf *b, const char *s, size_t n);

/* The AdmissionRequest's object decoded as the Pod type t (Go's errors: null
 * or nothing is "unexpected end of JSON input", another kind cannot be
 * unmarshalled into a v1.Pod); flags as types_normalize_ex's. */
int inj_patch_decode_pod(tmpl_arena *a, const tmpl_type *t, const tv *raw, unsigned flags,
			 const tv **pod, tmpl_error *err);

/* What inj_patch_pod decided, for the caller's answer and logs. */
typedef struct inj_patch_info {
	const tv *meta;      /* the pod's metadata as decoded, namespace filled in;
			      * NOVALUE when the pod could not be decoded */
	const char *skipped; /* NULL when injected, else why not: "host networking
			      * enabled", "ignored namespace" or "injection policy" */
} inj_patch_info;

/* Inject one pod for the webhook (Istio 1.1's inject()): pod is the
 * AdmissionRequest's object as JSON values (decoded here as a v1.Pod, Go's
 * errors; NOVALUE or null is Go's "unexpected end of JSON input"), ns the
 * request's namespace (used when the pod names none). Returns 0 with either
 * info->skipped set (the policy says no; *patch is NOVALUE) or *patch the list
 * of operations, each a map {op, path, value}: json_write(out, patch,
 * JSON_ESCAPE_HTML) writes it as Istio's json.Marshal does. -1 and err
 * (Istio's message) when injection fails. */
int inj_patch_pod(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *pod,
		  const char *ns, const tv **patch, inj_patch_info *info, tmpl_error *err);

/* The newest Istio's webhook (patch_latest.c): the proxy envs of an /inject
 * URL path (webhook.go parseInjectEnvs: /inject/cluster/C/net/N/KEY/VALUE,
 * "--slash--" for / in values, or the deprecated /inject/:ENV:K=V...) as a
 * map of strings. */
const tv *inj_latest_inject_envs(tmpl_arena *a, const char *path);

/* Inject one pod as the newest Istio's webhook does (cfg->newest): raw and ns
 * as for inj_patch_pod, path the request's URL path (its proxy envs). The
 * Config's policy decides (info->skipped); a pod injected before is injected
 * again from its stripped form, so that the same pod comes back and the patch
 * is empty. *patch is the list of operations from the decoded pod (namespace
 * filled in, managedFields dropped) to the injected one. */
int inj_latest_patch_pod(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *raw,
			 const char *ns, const char *path, const tv **patch,
			 inj_patch_info *info, tmpl_error *err);

/* The JSON patch (a list of {op, path, value}) that turns from into to
 * (patch_diff.c): the two walked side by side, each change written at the
 * shallowest node that differs (a list that changed other than at its end is
 * replaced whole); identical subtrees cost one pointer test. */
const tv *inj_patch_diff(tmpl_arena *a, const tv *from, const tv *to);

#endif
