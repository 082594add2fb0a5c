#!/bin/sh
# Injection benchmark: kube-inject with the bundled newest Istio config and with Istio 1.1's,
# side by side: injections per second in one process (the sample Deployment N times, and a
# manifest of P different pods), and the whole-process time of one small manifest.
#
#   bench/inject.sh [-n N] [-p PODS] [-r RUNS] [-v latest|1.1|both] KUBE_INJECT
#
# KUBE_INJECT is the built kube-inject program; run from the source tree.
# -n N injections per --bench run (default 20000 for 1.1; the newest gets N/5, its
# injection being several times longer); -p PODS different Deployments in the generated
# manifest (default 1000); -r RUNS runs of each in-process figure, the best is kept
# (default 3); -v which configs (default both). The whole-process time uses hyperfine when
# it is installed, else a loop of 200 runs timed with date +%s%N.
# Istio's own istioctl is not measured (not installed here): the figures compare our two
# injection pipelines. Not part of "make check": timings depend on the machine.

set -u

usage() {
    echo "usage: $0 [-n N] [-p PODS] [-r RUNS] [-v latest|1.1|both] KUBE_INJECT" >&2
    exit 2
}

n=20000
pods=1000
runs=3
which=both
while [ $# -gt 0 ]; do
    case $1 in
    -n) [ $# -ge 2 ] || usage; n=$2; shift 2 ;;
    -p) [ $# -ge 2 ] || usage; pods=$2; shift 2 ;;
    -r) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    -v) [ $# -ge 2 ] || usage; which=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -eq 1 ] || usage
case $which in latest|1.1|both) ;; *) usage ;; esac
prog=$1

sample=templates/examples/deployment-hello.yaml
for f in templates/istio/inject-config.yaml templates/istio/values.yaml templates/istio/mesh.yaml \
    templates/istio-1.1/inject-config.yaml templates/istio-1.1/mesh.yaml "$sample"; do
    [ -f "$f" ] || { echo "$0: $f not found (run from the source tree)" >&2; exit 1; }
done
tmp=${TMPDIR:-/tmp}/inject-bench.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

# The manifest of PODS different Deployments: each its own name, labels, image, port,
# readiness probe path, and every third one proxy resource annotations, so no two
# injections render the same pod.
awk -v p="$pods" 'BEGIN {
    for (i = 0; i < p; i++) {
        printf "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\n  namespace: ns-%d\n", i, i % 7
        printf "spec:\n  replicas: %d\n  selector:\n    matchLabels:\n      app: app-%d\n", 1 + i % 3, i
        printf "  template:\n    metadata:\n      labels:\n        app: app-%d\n        version: v%d\n", i, i % 5
        if (i % 3 == 0)
            printf "      annotations:\n        sidecar.istio.io/proxyCPU: %dm\n        sidecar.istio.io/proxyMemory: %dMi\n", 100 + i % 50, 64 + i % 64
        printf "    spec:\n      containers:\n      - name: app-%d\n        image: example.com/app-%d:1.%d\n", i, i, i % 10
        printf "        ports:\n        - name: http\n          containerPort: %d\n", 8000 + i % 1000
        printf "        readinessProbe:\n          httpGet:\n            path: /ready/%d\n            port: http\n---\n", i
    }
}' >"$tmp/pods.yaml"

# cpu_us: user+sys CPU time of this shell's finished children, in microseconds (the
# second line of the times builtin, "XmY.YYYs XmY.YYYs"): on a loaded machine the wall
# time of a short process is mostly waiting for a core, its CPU time is not.
cpu_us() {
    times >"$tmp/times"   # in this shell: a pipe would time a subshell's children
    awk 'NR == 2 {
        t = 0
        for (f = 1; f <= 2; f++) { split($f, a, /[ms]/); t += a[1] * 60 + a[2] }
        printf "%d\n", t * 1000000 }' "$tmp/times"
}

# bench VERSION ARGS...: the three figures for one config.
bench() {
    v=$1; shift
    if [ "$v" = latest ]; then bn=$((n / 5)); else bn=$n; fi
    # 1. In one process: the sample Deployment injected bn times (--bench).
    best= i=0
    while [ $i -lt "$runs" ]; do
        line=$("$prog" --bench "$bn" -f "$sample" "$@") || exit 1
        us=$(echo "$line" | sed 's/.*us\/op \([0-9.]*\).*/\1/')
        if [ -z "$best" ] || [ "$(echo "$us < $best" | bc)" = 1 ]; then best=$us; fi
        i=$((i + 1))
    done
    echo "$v in-process: $(echo "scale=0; 1000000 / $best" | bc) injections/s ($best us per injection, best of $runs x $bn, sample Deployment)"
    # 2. In one process: the manifest of different pods, start to exit.
    best= i=0
    while [ $i -lt "$runs" ]; do
        t0=$(date +%s%N)
        "$prog" -f "$tmp/pods.yaml" "$@" >"$tmp/out" || exit 1
        t1=$(date +%s%N)
        us=$(( (t1 - t0) / 1000 ))
        if [ -z "$best" ] || [ "$us" -lt "$best" ]; then best=$us; fi
        i=$((i + 1))
    done
    got=$(grep -c 'sidecar.istio.io/status' "$tmp/out")
    [ "$got" -eq "$pods" ] || { echo "$0: $v injected $got of $pods pods" >&2; exit 1; }
    echo "$v one process, $pods different pods: $((pods * 1000000 / best)) injections/s ($((best / 1000)) ms for the manifest, best of $runs)"
    # 3. The whole process on the sample (one Deployment, one Service).
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 20 --runs 500 --style basic --export-json "$tmp/h.json" \
            "$prog -f $sample $*" >/dev/null 2>&1 || { echo "$0: hyperfine failed" >&2; exit 1; }
        mean=$(sed -n 's/.*"mean": *\([0-9.e-]*\).*/\1/p' "$tmp/h.json" | head -1)
        sd=$(sed -n 's/.*"stddev": *\([0-9.e-]*\).*/\1/p' "$tmp/h.json" | head -1)
        printf '%s whole process (hyperfine, 500 runs): %.2f ms +- %.2f ms per kube-inject run (sample Deployment)\n' \
            "$v" "$(echo "$mean * 1000" | bc -l)" "$(echo "$sd * 1000" | bc -l)"
    else
        k=200
        cpu_us >"$tmp/c0"
        t0=$(date +%s%N)
        j=0
        while [ $j -lt $k ]; do
            "$prog" -f "$sample" "$@" >/dev/null || exit 1
            j=$((j + 1))
        done
        t1=$(date +%s%N)
        cpu_us >"$tmp/c1"
        c0=$(cat "$tmp/c0") c1=$(cat "$tmp/c1")
        echo "$v whole process (loop of $k): $(( (t1 - t0) / k / 1000 )) us wall, $(( (c1 - c0) / k )) us CPU (user+sys) per kube-inject run (sample Deployment)"
    fi
}

# The floor of the whole-process figure: the program starting (dynamic loading of its
# libraries) and exiting without reading a file.
if ! command -v hyperfine >/dev/null 2>&1; then
    k=200
    cpu_us >"$tmp/c0"
    t0=$(date +%s%N)
    j=0
    while [ $j -lt $k ]; do
        "$prog" --version >/dev/null || exit 1
        j=$((j + 1))
    done
    t1=$(date +%s%N)
    cpu_us >"$tmp/c1"
    c0=$(cat "$tmp/c0") c1=$(cat "$tmp/c1")
    echo "start and exit (--version, loop of $k): $(( (t1 - t0) / k / 1000 )) us wall, $(( (c1 - c0) / k )) us CPU (user+sys) per run"
fi
if [ "$which" != 1.1 ]; then
    bench latest --injectConfigFile templates/istio/inject-config.yaml \
        --valuesFile templates/istio/values.yaml --meshConfigFile templates/istio/mesh.yaml
fi
if [ "$which" != latest ]; then
    bench 1.1 --injectConfigFile templates/istio-1.1/inject-config.yaml \
        --meshConfigFile templates/istio-1.1/mesh.yaml
fi
