#!/bin/sh
# Engine benchmark: render the same templates over the same values with
# tmplrender and with Go's text/template (gorender), and compare.
#
#   bench/run.sh [-s SCALE] [-r RUNS] [-k] TMPLRENDER [CASE...]
#
# TMPLRENDER is the built tmplrender program. gorender is taken from $GORENDER,
# else from PATH. CASE is one of: deployment istio large text (default: all).
# -s SCALE multiplies every iteration count (default 1; e.g. 0.1 for a quick run).
# -r RUNS runs each benchmark RUNS times and keeps the fastest (default 3).
# -k keeps going when the two outputs differ (default: the case is skipped).
#
# For each case the outputs of both engines are compared first; then each
# engine parses once and renders N times into memory ("--bench N"), RUNS times
# over. One line per case: the best ns/op of both, the speed ratio (Go time /
# our time), and the peak resident set size of each benchmark process when
# /usr/bin/time is available.
# Not part of "make check": timings depend on the machine.

set -u
set -f   # the argument lists below are split on spaces, never globbed

usage() {
    echo "usage: $0 [-s SCALE] [-r RUNS] [-k] TMPLRENDER [deployment|istio|large|text]..." >&2
    exit 2
}

scale=1
runs=3
keep=0
while [ $# -gt 0 ]; do
    case $1 in
    -s) [ $# -ge 2 ] || usage; scale=$2; shift 2 ;;
    -r) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    -k) keep=1; shift ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || usage
case $runs in
''|*[!0-9]*|0) usage ;;
esac
ours=$1
shift
case $ours in
*/*) ;;
*) ours=./$ours ;;
esac
[ -x "$ours" ] || { echo "$0: $ours: not an executable" >&2; exit 2; }
gor=${GORENDER:-gorender}
command -v "$gor" >/dev/null 2>&1 || { echo "$0: gorender not found (set GORENDER)" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tmplbench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT HUP INT TERM

timev=
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    timev=/usr/bin/time
fi

cases=${*:-deployment istio large text}

# gorender offers Go's builtin functions only; tmplrender's default library is
# sprig's, whose slice, for one, takes no strings.
ours_opts="--funcs go"

# Arguments shared by both engines, per case; sets args and n.
setup() {
    case $1 in
    deployment)
        n=20000
        args="--values $here/deployment/values.yaml $here/deployment/deployment.tpl $here/deployment/_helpers.tpl"
        ;;
    istio)
        n=20000
        args="--left-delim [[ --right-delim ]] --values $here/istio/pod.yaml --values $here/istio/mesh.yaml $here/istio/injection.tpl"
        ;;
    large)
        n=200
        [ -f "$work/large.yaml" ] || sh "$here/large/gen-values.sh" 2000 >"$work/large.yaml"
        args="--values $work/large.yaml $here/large/endpoints.tpl"
        ;;
    text)
        n=5000
        args="--values $here/text/values.yaml $here/text/page.tpl"
        ;;
    *)
        echo "$0: unknown case: $1" >&2
        return 1
        ;;
    esac
    n=$(awk -v n="$n" -v s="$scale" 'BEGIN { m = int(n * s); print (m < 1) ? 1 : m }')
}

# bench_once PROG [OPTS]: runs PROG OPTS --bench N ARGS once; sets ns and rss (kB, or "-").
bench_once() {
    ns=- rss=-
    # shellcheck disable=SC2086  # args is a word list by design (no spaces in paths)
    if [ -n "$timev" ]; then
        "$timev" -v -o "$work/time" "$1" ${2:-} --bench "$n" $args >"$work/bench" 2>"$work/err" || return 1
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/time")
    else
        "$1" ${2:-} --bench "$n" $args >"$work/bench" 2>"$work/err" || return 1
    fi
    ns=$(sed -n 's/^ns\/op *//p' "$work/bench")
    [ -n "$ns" ] || return 1
}

# run_bench PROG [OPTS]: the fastest of RUNS runs, and the largest peak RSS.
run_bench() {
    best_ns='' best_rss=-
    i=0
    while [ "$i" -lt "$runs" ]; do
        bench_once "$1" "${2:-}" || return 1
        if [ -z "$best_ns" ] || [ "$ns" -lt "$best_ns" ]; then best_ns=$ns; fi
        if [ "$rss" != - ] && { [ "$best_rss" = - ] || [ "$rss" -gt "$best_rss" ]; }; then best_rss=$rss; fi
        i=$((i + 1))
    done
    ns=$best_ns rss=$best_rss
}

printf '%-11s %7s %14s %14s %8s %12s %12s\n' case N "tmplrender" "gorender" "speedup" "rss ours kB" "rss Go kB"
status=0
for c in $cases; do
    setup "$c" || { status=1; continue; }
    # shellcheck disable=SC2086
    if ! "$gor" $args >"$work/go.out" 2>"$work/go.err"; then
        echo "$c: gorender failed: $(head -n 1 "$work/go.err")" >&2
        status=1; continue
    fi
    # shellcheck disable=SC2086
    if ! "$ours" $ours_opts $args >"$work/ours.out" 2>"$work/ours.err"; then
        echo "$c: tmplrender failed: $(head -n 1 "$work/ours.err")" >&2
        status=1; continue
    fi
    if ! cmp -s "$work/go.out" "$work/ours.out"; then
        echo "$c: outputs differ:" >&2
        diff "$work/go.out" "$work/ours.out" | head -n 10 >&2
        status=1
        [ "$keep" = 1 ] || continue
    fi
    if ! run_bench "$ours" "$ours_opts"; then
        echo "$c: tmplrender --bench failed: $(head -n 1 "$work/err")" >&2
        status=1; continue
    fi
    ns_ours=$ns rss_ours=$rss
    if ! run_bench "$gor"; then
        echo "$c: gorender --bench failed: $(head -n 1 "$work/err")" >&2
        status=1; continue
    fi
    ns_go=$ns rss_go=$rss
    ratio=$(awk -v a="$ns_go" -v b="$ns_ours" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
    printf '%-11s %7s %14s %14s %8s %12s %12s\n' "$c" "$n" "$ns_ours" "$ns_go" "$ratio" "$rss_ours" "$rss_go"
done
exit $status
