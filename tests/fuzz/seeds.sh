#!/bin/sh
# seeds.sh: builds each fuzz target's seed corpus from the test suite's files into OUT/<target>/ (generated at fuzz time, never committed).
# Usage: seeds.sh SRCDIR OUT FUZZ_SEEDS   (FUZZ_SEEDS: the built tests/fuzz/fuzz_seeds)
# shellcheck disable=SC2046,SC2010,SC2012  # lists split on white space: the tree's file names have none
set -eu
src=$1 out=$2 seeds=$3
rm -rf "$out"
for t in template yaml json review kube; do mkdir -p "$out/$t"; done

# cp_all DIR FILE...: copy each file under a name that keeps its directory (names repeat).
cp_all() {
	dir=$1
	shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		cp "$f" "$dir/$(printf '%s' "${f#"$src"/}" | tr '/' '_')"
	done
}

# template: golden cases, conformance cases, the example template with its values.
"$seeds" tt "$out/template" "$src"/tests/golden/*.tt
"$seeds" conf "$out/template" "$src"/tests/conformance/gotemplate/*.yaml
{ cat "$src/templates/examples/deployment.yaml.tpl"; printf '\0'; cat "$src/templates/examples/values.yaml"; } \
	>"$out/template/example"

# yaml: every YAML file of the tests and the bundled configs.
cp_all "$out/yaml" $(find "$src/tests" "$src/templates" -name '*.yaml' | sort)

# json: the JSON files of the tests, the benchmark's review.
cp_all "$out/json" $(find "$src/tests" "$src/bench" -name '*.json' | sort)

# review: Istio 1.1's webhook pods as reviews, and the benchmark's review.
"$seeds" review "$out/review" $(ls "$src"/tests/istio/1.1/webhook/*.yaml | grep -v '_template\.yaml$')
cp_all "$out/review" "$src/bench/webhook/review.json"
cp "$out"/review/* "$out/json/"

# kube: kube-inject's inputs (Istio 1.1's and the reader's cases), the sample workload.
cp_all "$out/kube" $(find "$src/tests/istio" -name '*.yaml' -not -path '*/webhook/*' \
	-not -path '*/config/*' -not -path '*/mesh/*' | sort) "$src/templates/examples/deployment-hello.yaml"

for t in template yaml json review kube; do
	echo "seeds: $t: $(ls "$out/$t" | wc -l) inputs"
done
