#!/bin/sh
# Helm chart benchmark: every template of a real chart (bench/helm/
# kube-state-metrics) rendered as `helm template` renders it, by tmplrender
# --funcs helm and by Go's text/template with sprig and Helm 3's functions
# (helmpeer, bench/helm/peer, built here with the system Go), compared byte
# for byte, then timed.
#
#   bench/helm.sh [-s SCALE] [-r RUNS] [-k] [-o FILE] TMPLRENDER
#
# -s SCALE multiplies the iteration count (default 1; e.g. 0.1 for a quick run).
# -r RUNS times each template RUNS times and keeps the fastest (default 3).
# -k keeps going when the two outputs differ (default: nothing is timed).
# -o FILE writes the rendered manifests there, each after a "# Source:" line
# as `helm template` prints them (in file order; Helm sorts them by kind).
# $HELMPEER names a built helmpeer; else it is built from bench/helm/peer with
# $GO (default go) over $GOPATH (default /usr/share/gocode, where Debian's
# golang-github-masterminds-sprig-dev and golang-gopkg-yaml.v2-dev and
# golang-gopkg-yaml.v3-dev put their sources). Without Go or sprig the script
# says so and exits 0: the benchmark is optional.
#
# Each template runs in its own pair of processes, as Helm's engine executes
# it: the chart's files form one set, the template is executed over the dot
# of bench/helm/dot.yaml, the chart's values.yaml and bench/helm/values-bench.yaml
# under .Values, and its own .Template. One line per template, then the chart:
# the sums of the per-template ns/op (one render of the whole chart) and the
# speed ratio (Go's time / ours). Not part of "make check".

set -u
set -f   # the argument lists below are split on spaces, never globbed

usage() {
    echo "usage: $0 [-s SCALE] [-r RUNS] [-k] [-o FILE] TMPLRENDER" >&2
    exit 2
}

scale=1
runs=3
keep=0
manifest=
while [ $# -gt 0 ]; do
    case $1 in
    -s) [ $# -ge 2 ] || usage; scale=$2; shift 2 ;;
    -r) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    -o) [ $# -ge 2 ] || usage; manifest=$2; shift 2 ;;
    -k) keep=1; shift ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -eq 1 ] || usage
case $runs in
''|*[!0-9]*|0) usage ;;
esac
ours=$1
case $ours in
*/*) ;;
*) ours=./$ours ;;
esac
[ -x "$ours" ] || { echo "$0: $ours: not an executable" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
chart=kube-state-metrics
cdir=$here/helm/$chart
work=$(mktemp -d "${TMPDIR:-/tmp}/helmbench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT HUP INT TERM

# The peer: given, or built with the system Go (GOPATH mode: Debian's Go
# packages are sources under /usr/share/gocode, no module proxy involved).
peer=${HELMPEER:-}
if [ -z "$peer" ]; then
    go=${GO:-go}
    if ! command -v "$go" >/dev/null 2>&1; then
        echo "$0: Go not found (set GO or HELMPEER): the Helm benchmark's peer cannot be built; skipped"
        exit 0
    fi
    gopath=${GOPATH:-/usr/share/gocode}
    if ! (cd "$here/helm/peer" && GO111MODULE=off GOPATH=$gopath GOCACHE=$work/gocache \
            "$go" build -o "$work/helmpeer" .) >"$work/build.log" 2>&1; then
        echo "$0: the peer (bench/helm/peer) does not build with $go over GOPATH=$gopath; skipped"
        echo "$0: it needs github.com/Masterminds/sprig, gopkg.in/yaml.v2 and gopkg.in/yaml.v3 there"
        echo "$0: (Debian: golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev):"
        head -n 5 "$work/build.log"
        exit 0
    fi
    peer=$work/helmpeer
fi

# The chart's values (and the benchmark's over them) under "Values:" (a
# first "---" line, which would end the wrapping document, dropped).
wrap() {
    echo "Values:"
    sed -e '1{/^---/d;}' -e 's/^/  /' "$1"
}
wrap "$cdir/values.yaml" >"$work/values.yaml"
wrap "$here/helm/values-bench.yaml" >"$work/values-bench.yaml"

# Templates Helm renders (not partials); verticalpodautoscaler.yaml calls
# .Capabilities.APIVersions.Has, a method of Helm's Go type, which a dot read
# from YAML has not: both engines stop there with the same error, so it is
# checked but not timed.
untimed=verticalpodautoscaler.yaml
all=$(cd "$cdir/templates" && ls)
templates=
for b in $all; do
    case $b in _*) continue ;; esac
    templates="$templates $b"
done

n=$(awk -v s="$scale" 'BEGIN { m = int(2000 * s); print (m < 1) ? 1 : m }')

# setup B: the arguments both engines take for template B; sets args.
setup() {
    name=$chart/templates/$1
    printf 'Template:\n  Name: %s\n  BasePath: %s/templates\n' "$name" "$chart" >"$work/template.yaml"
    rest=
    for o in $all; do
        [ "$o" = "$1" ] || rest="$rest $cdir/templates/$o"
    done
    args="--values $here/helm/dot.yaml --values $work/values.yaml --values $work/values-bench.yaml --values $work/template.yaml --name $name $cdir/templates/$1$rest"
}

# bench_best PROG...: the fastest ns/op of RUNS runs of PROG --bench N ARGS.
bench_best() {
    best=
    i=0
    while [ "$i" -lt "$runs" ]; do
        # shellcheck disable=SC2086
        "$@" --bench "$n" $args >"$work/bench" 2>"$work/err" || return 1
        ns=$(sed -n 's/^ns\/op *//p' "$work/bench")
        [ -n "$ns" ] || return 1
        if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
        i=$((i + 1))
    done
}

status=0
differ=0
[ -z "$manifest" ] || : >"$manifest"
# Check every template first: nothing is timed on a difference.
for t in $templates; do
    setup "$t"
    # shellcheck disable=SC2086
    "$peer" $args >"$work/go.out" 2>"$work/go.err"; grc=$?
    # shellcheck disable=SC2086
    "$ours" --funcs helm --option missingkey=zero $args >"$work/ours.out" 2>"$work/ours.err"; orc=$?
    # On an error Go has printed part of the output, tmplrender nothing (it
    # never leaves a partial render): then only the errors are compared.
    if [ "$grc" = 0 ] && [ "$orc" = 0 ]; then
        cmp -s "$work/go.out" "$work/ours.out"; same=$?
    else
        same=0
    fi
    if [ "$grc" != "$orc" ] || [ "$same" != 0 ] || ! cmp -s "$work/go.err" "$work/ours.err"; then
        echo "$t: outputs differ (exit status Go $grc, ours $orc):" >&2
        diff "$work/go.out" "$work/ours.out" | head -n 10 >&2
        diff "$work/go.err" "$work/ours.err" | head -n 4 >&2
        differ=1
    elif [ "$grc" != 0 ]; then
        case " $untimed " in
        *" $t "*) ;;
        *) echo "$t: both failed: $(head -n 1 "$work/go.err")" >&2; status=1 ;;
        esac
    elif [ -n "$manifest" ] && [ "$t" != NOTES.txt ] && grep -q '[^[:space:]]' "$work/ours.out"; then
        # As helm template: "<no value>" removed, empty manifests and the
        # notes left out (in file order: Helm sorts by kind).
        printf -- '---\n# Source: %s\n' "$name" >>"$manifest"
        sed 's/<no value>//g' "$work/ours.out" >>"$manifest"
    fi
done
if [ "$differ" = 1 ]; then
    status=1
    [ "$keep" = 1 ] || { echo "$0: outputs differ: nothing timed" >&2; exit 1; }
fi

printf '%-32s %6s %8s %12s %12s %8s\n' template N "out B" "tmplrender" "helmpeer" speedup
sum_ours=0 sum_go=0 bytes=0
for t in $templates; do
    case " $untimed " in *" $t "*) continue ;; esac
    setup "$t"
    # shellcheck disable=SC2086
    size=$("$ours" --funcs helm --option missingkey=zero $args | wc -c)
    if ! bench_best "$ours" --funcs helm --option missingkey=zero; then
        echo "$t: tmplrender --bench failed: $(head -n 1 "$work/err")" >&2
        status=1; continue
    fi
    ns_ours=$best
    if ! bench_best "$peer"; then
        echo "$t: helmpeer --bench failed: $(head -n 1 "$work/err")" >&2
        status=1; continue
    fi
    ns_go=$best
    sum_ours=$((sum_ours + ns_ours)) sum_go=$((sum_go + ns_go)) bytes=$((bytes + size))
    ratio=$(awk -v a="$ns_go" -v b="$ns_ours" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
    printf '%-32s %6s %8s %12s %12s %8s\n' "$t" "$n" "$size" "$ns_ours" "$ns_go" "$ratio"
done
ratio=$(awk -v a="$sum_go" -v b="$sum_ours" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
printf '%-32s %6s %8s %12s %12s %8s\n' "chart (sum)" "$n" "$bytes" "$sum_ours" "$sum_go" "$ratio"
exit $status
