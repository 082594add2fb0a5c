/* patch_helm.h: Istio 1.1's TestHelmInject steps for the patch test: documents split as its test splits them, pod templates injected through the webhook and patched, Istio's scrubbing, and an RFC 6902 applier. */
#ifndef PATCH_HELM_H
#define PATCH_HELM_H

#include "inject/patch.h"

/* The injectable documents of a YAML stream, as Istio's test finds them:
 * the text split at "\n---", workload kinds kept, Lists expanded (their items
 * in turn); each decoded, whatever its kind, as an extensions/v1beta1
 * Deployment (Go's encoding/json reading), as the test decodes it. */
int ph_split(tmpl_arena *a, const char *name, const char *text, size_t len, const tv ***docs,
	     size_t *ndocs, tmpl_error *err);

/* The pod template of a document (decoded as a Deployment), the object Istio's
 * test sends to the webhook. */
const tv *ph_template(const tv *doc);

/* doc with the JSON patch (a list of operations) applied to its pod template. */
int ph_patched(tmpl_arena *a, const tv *doc, const tv *patch, const tv **out, tmpl_error *err);

/* doc with its pod template sent to the webhook path and the patch applied. */
int ph_inject(tmpl_arena *a, const inj_config *cfg, const tv *mesh, const tv *doc,
	      const tv **out, tmpl_error *err);

/* doc without what Istio's test ignores: the status annotation, istio-certs'
 * defaultMode, the images and termination message settings of istio-init and
 * istio-proxy, istio-init's privileged flag, fieldRef apiVersions and the
 * ISTIO_METAJSON_* env entries (which must hold JSON). */
int ph_scrub(tmpl_arena *a, const tv *doc, const tv **out, tmpl_error *err);

/* RFC 6902: the add, remove and replace operations of patch applied to doc in
 * turn (patch_apply.c). */
int ph_apply(tmpl_arena *a, const tv *doc, const tv *patch, const tv **out, tmpl_error *err);


#endif
