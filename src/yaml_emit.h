/* yaml_emit.h: values to YAML text exactly as Go's sigs.k8s.io/yaml (ghodss) writes them (the only user of libyaml's emitter). */
#ifndef TMPL_YAML_EMIT_H
#define TMPL_YAML_EMIT_H

#include "sbuf.h"
#include "error.h"
#include "sbuf.h"
#include "tmpl_value.h"

/* Whose rules decide that a string needs quotes: yaml.v2 quotes a string
 * whose plain form its resolver reads as something else, and that resolver
 * changed between yaml.v2 releases and leans on the strconv and time
 * packages of the Go release it was built with. */
typedef enum ye_rules {
	/* yaml.v2 2.4 on Go >= 1.17 (sigs.k8s.io/yaml: the newest Istio and
	 * Helm): "1e3", "1.", "0o17", "2001-01-02 03:04:05,5" are quoted. */
	YE_RULES_CURRENT,
	/* yaml.v2 2.2.1 (revision 5420a8b, through ghodss/yaml 1.0.0) on
	 * Go 1.11, as istioctl 1.1.0 was built: those four are plain. */
	YE_RULES_ISTIO_1_1
} ye_rules;

/* Append v as one YAML document the way Go's yaml.v2 Marshal writes the
 * result of JSON decoding (what sigs.k8s.io/yaml.Marshal and Istio's toYaml
 * produce): map keys sorted, 2-space indent, sequences under a key not
 * indented, strings quoted exactly when yaml.v2 quotes them under rules
 * ("15000", "", '*', "true"), long strings folded as yaml.v2 folds them, a
 * final newline. NOVALUE and TV_NULL write "null\n"; an empty map "{}\n".
 * Typed values (types.h) are written as their JSON form (types_normalize
 * first). */
int ye_emit(sbuf *out, const tv *v, ye_rules rules, tmpl_error *err);

#endif
