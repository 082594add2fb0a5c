/* patch.h: the sidecar-injector webhook's RFC 6902 JSON patch for one pod, built from the injection itself as Istio 1.1 builds it.
 *
 * Order of the operations (Istio 1.1's createPatch): removal of previously
 * injected entries (names from the pod's sidecar.istio.io/status annotation,
 * else the legacy names), highest index first per list; adds per list
 * (initContainers, containers, volumes, imagePullSecrets: the first add to an
 * empty or absent list adds a one-element array at the list path, the others
 * `<path>/-`); /spec/dnsConfig; /spec/securityContext; the status
 * annotation; the probe rewrite. Values are written as Go's json.Marshal
 * writes the typed Kubernetes structs. The work is linear in the pod's size.
 */
#ifndef INJ_PATCH_H
#define INJ_PATCH_H

#include <stdbool.h>

#include "inject/inject.h"
#include "sbuf.h"

/* The namespaces Istio 1.1 never injects (kube-system, kube-public), NULL-terminated. */
extern const char *const inj_patch_ignored_namespaces[];

/* Inject one pod for the webhook: pod is the AdmissionRequest's object as
 * JSON values (decoded here as a v1.Pod, Go's errors), ns the request's
 * namespace (used when the pod names none). On success returns 0 and either
 * sets *skipped (the policy says no: no patch) or appends the compact JSON
 * patch to out; -1 and err (Istio's message) when injection fails. */
int inj_patch_pod(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *pod,
		  const char *ns, sbuf *out, bool *skipped, tmpl_error *err);

#endif
