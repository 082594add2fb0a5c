#!/bin/sh
# Injection benchmark: kube-inject's injections per second in one process on a
# typical Deployment, and its whole-process time on the istioctl CLI test input.
#
#   bench/inject.sh [-n N] [-r RUNS] KUBE_INJECT
#
# KUBE_INJECT is the built kube-inject program; run from the source tree.
# -n N injections per in-process run (default 20000); -r RUNS in-process runs,
# the best is kept (default 3). The whole-process time uses hyperfine when it
# is installed, else a loop of 200 runs timed with date +%s%N.
# Not part of "make check": timings depend on the machine.

set -u

usage() {
    echo "usage: $0 [-n N] [-r RUNS] KUBE_INJECT" >&2
    exit 2
}

n=20000
runs=3
while [ $# -gt 0 ]; do
    case $1 in
    -n) [ $# -ge 2 ] || usage; n=$2; shift 2 ;;
    -r) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -eq 1 ] || usage
prog=$1

cfg=templates/istio-1.1/inject-config.yaml
mesh=templates/istio-1.1/mesh.yaml
sample=templates/examples/deployment-hello.yaml
cli=tests/istio/1.1/istioctl
for f in "$cfg" "$mesh" "$sample" "$cli/hello.yaml"; do
    [ -f "$f" ] || { echo "$0: $f not found (run from the source tree)" >&2; exit 1; }
done

# 1. In one process: the bundled Helm-rendered template over the sample Deployment.
best=
i=0
while [ $i -lt "$runs" ]; do
    line=$("$prog" --bench "$n" -f "$sample" --injectConfigFile "$cfg" --meshConfigFile "$mesh") || exit 1
    us=$(echo "$line" | sed 's/.*us\/op \([0-9.]*\).*/\1/')
    if [ -z "$best" ] || [ "$(echo "$us < $best" | bc)" = 1 ]; then best=$us; fi
    i=$((i + 1))
done
echo "in-process: $(echo "scale=0; 1000000 / $best" | bc) injections/s ($best us per injection, best of $runs x $n, Helm template, sample Deployment)"

# 2. Whole process on the istioctl CLI test input.
set -- "$prog" -f "$cli/hello.yaml" --injectConfigFile "$cli/inject-config.yaml" \
    --meshConfigFile "$cli/mesh-config.yaml"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 20 --runs 500 --style basic --export-json /tmp/inject-bench.$$.json \
        "$*" >/dev/null 2>&1 || { echo "$0: hyperfine failed" >&2; exit 1; }
    mean=$(sed -n 's/.*"mean": *\([0-9.e-]*\).*/\1/p' /tmp/inject-bench.$$.json | head -1)
    sd=$(sed -n 's/.*"stddev": *\([0-9.e-]*\).*/\1/p' /tmp/inject-bench.$$.json | head -1)
    rm -f /tmp/inject-bench.$$.json
    printf 'whole process (hyperfine, 500 runs): %.2f ms +- %.2f ms per kube-inject run (istioctl CLI test input)\n' \
        "$(echo "$mean * 1000" | bc -l)" "$(echo "$sd * 1000" | bc -l)"
else
    k=200
    t0=$(date +%s%N)
    j=0
    while [ $j -lt $k ]; do
        "$@" >/dev/null || exit 1
        j=$((j + 1))
    done
    t1=$(date +%s%N)
    echo "whole process (loop of $k): $(( (t1 - t0) / k / 1000 )) us per kube-inject run (istioctl CLI test input)"
fi
