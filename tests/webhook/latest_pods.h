/* latest_pods.h: the newest Istio's TestInjection webhook half for the webhook tests: the pods its test makes of an input or golden file (objectToPod), and its comparison of a patched pod with the golden's (normalizeAndCompareDeployments). */
#ifndef LATEST_PODS_H
#define LATEST_PODS_H

#include "inject/inject.h"

/* The injectable documents of a YAML stream as Istio's test splits them (the
 * text cut at "\n---", workload kinds and Pods kept, Lists expanded), each
 * turned into the Pod its test sends (objectToPod: the pod template with the
 * owner reference a controller would set), typed as the newest core/v1.Pod;
 * ns[i] is the namespace of document i itself (NULL when it names none). */
int lp_pods(tmpl_arena *a, const char *name, const char *text, size_t len, const tv ***pods,
	    const char ***ns, size_t *n, tmpl_error *err);

/* Istio's comparison: got and want as Pods, the status annotation dropped on
 * both sides, got's container fieldRef apiVersions cleared, then written as
 * JSON; 0 when equal, else 1 with the first difference in *where. */
int lp_compare(tmpl_arena *a, const tv *got, const tv *want, sbuf *where, tmpl_error *err);

#endif
