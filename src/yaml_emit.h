/* yaml_emit.h: values to YAML text exactly as Go's sigs.k8s.io/yaml (ghodss) writes them (the only user of libyaml's emitter). */
#ifndef TMPL_YAML_EMIT_H
#define TMPL_YAML_EMIT_H

#include "sbuf.h"
#include "tmpl.h"

/* Append v as one YAML document the way Go's yaml.v2 Marshal writes the
 * result of JSON decoding (what sigs.k8s.io/yaml.Marshal and Istio's toYaml
 * produce): map keys sorted, 2-space indent, sequences under a key not
 * indented, strings quoted exactly when yaml.v2 quotes them ("15000", "",
 * '*', "true"), long strings folded as yaml.v2 folds them, a final newline.
 * NOVALUE and TV_NULL write "null\n"; an empty map "{}\n". Typed values
 * (types.h) are written as their JSON form (types_normalize first). */
int ye_emit(sbuf *out, const tv *v, tmpl_error *err);

#endif
