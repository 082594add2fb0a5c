#!/bin/sh
# seeds.sh: builds each fuzz target's seed corpus from the test suite's files into OUT/<target>/ (generated at fuzz time, never committed).
# Usage: seeds.sh SRCDIR OUT FUZZ_SEEDS   (FUZZ_SEEDS: the built tests/fuzz/fuzz_seeds)
# shellcheck disable=SC2046,SC2010,SC2012  # lists split on white space: the tree's file names have none
set -eu
src=$1 out=$2 seeds=$3
rm -rf "$out"
for t in template yaml json review kube funcs check; do mkdir -p "$out/$t"; done

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

# funcs: a call of each function that reads a text of its own, with a typical
# argument, for every library (the first byte picks the library: 0 to 5).
# seed NAME ARG...: each ARG is K then text (K "y": read as YAML, else a string).
seed() {
	name=$1
	shift
	for l in 0 1 2 3 4 5; do
		{
			printf "\\$(printf '%03o' "$l")%s" "$name"
			for arg in "$@"; do printf '\000%s' "$arg"; done
		} >"$out/funcs/$name-$l-$#"
	done
}
seed regexMatch 's^[a-z]+(\d{2,3})?$' 'sabc12'
seed regexFindAll 's(?i)a|b*' 'sAbBa' 'y-1'
seed regexReplaceAll 's(?P<x>a+)' 'sbaaac' 's${x}-$1x'
seed regexSplit 's,\s*' 'sa, b,c' 'y2'
seed semverCompare 's^1.2.x || >=2.0.0-0 <3' 'sv2.1.0-rc.1+build'
seed semver 's1.2.3-alpha.1+meta'
seed toDate 's2006-01-02T15:04:05Z07:00' 's2024-02-29T23:59:60+05:30'
seed date 'sMon Jan _2 15:04:05.000 MST 2006' 'y1700000000'
seed dateInZone 's2006-01-02 15:04' 'y0' 'sEurope/Paris'
seed duration 'y3725'
seed fromJson 's{"a":[1,2.5e300,"x",null,true],"b":{"c":"\u00e9"}}'
seed fromYaml 'sa: [1, {b: c}]'
seed b64dec 'saGVsbG8='
seed b32dec 'sNBSWY3DP'
seed urlParse 'shttps://u:p@host:8080/a/b?c=d#e'
seed toJson 'y{a: [1, 2.5, x], b: null}'
seed decryptAES 'sAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' 'skey'
seed dig 'sa' 'sb' 'sdefault' 'y{a: {b: 1}}'
seed toDecimal 's0777'
seed atoi 's-12'
seed printf 's%-08.3x|%v' 'y[1, 2]'

# check: the Istio templates as --check reads them (the first byte: bits 0-1 the
# typed data, 2 the [[ ]] delimiters, 4-6 the library, fuzz_check.c), the
# newest with its values; the golden templates with sprig and no data.
for f in "$src"/tests/unit/data/types/istio-latest-*.yaml; do
	{ printf '\061'; cat "$f"; printf '\0'; cat "$src/templates/istio/values.yaml"; } \
		>"$out/check/$(basename "$f")"
	{ printf '\071'; cat "$f"; } >"$out/check/strict-$(basename "$f")"
done
for f in "$src"/tests/unit/data/types/istio-1.1-*.template; do
	{ printf '\106'; cat "$f"; } >"$out/check/$(basename "$f")"
done
{ printf '\020'; cat "$src/templates/examples/deployment.yaml.tpl"; printf '\0'; cat "$src/templates/examples/values.yaml"; } \
	>"$out/check/example"
for f in "$out"/template/*; do
	{ printf '\020'; cat "$f"; } >"$out/check/t-$(basename "$f")"
done

for t in template yaml json review kube funcs check; do
	echo "seeds: $t: $(ls "$out/$t" | wc -l) inputs"
done
