#!/bin/sh
# run.sh: runs the fuzz targets for a set time each, then replays the committed regression inputs, printing one TAP result per run and its figures.
# Usage: run.sh SRCDIR SECONDS TARGET...   (from the build directory; the targets
# are tests/fuzz/fuzz_TARGET). Corpora grow in WORK/corpus/TARGET/ over the seeds of
# fuzz-seeds/TARGET/ (seeds.sh); crashers are written to WORK/crashes/TARGET/, logs
# to WORK/logs/. Environment: FUZZ_WORK, the work directory (default: fuzz-out);
# FUZZ_RUNS, a number of executions after which a target stops sooner than SECONDS;
# FUZZ_TIMEOUT, the seconds after which one input is a hang (default 10).
set -u
src=$1 secs=$2
shift 2
w=${FUZZ_WORK:-fuzz-out}
n=0 failed=0
mkdir -p "$w/logs"

# The longest input per target: a template or a YAML file a few KiB long reaches
# every construct; reviews and manifests need room for a pod.
max_len() {
	case $1 in
	review | kube) echo 16384 ;;
	*) echo 8192 ;;
	esac
}

for t in "$@"; do
	bin=tests/fuzz/fuzz_$t
	n=$((n + 1))
	mkdir -p "$w/corpus/$t" "fuzz-seeds/$t" "$w/crashes/$t"
	# the words of each target's language
	case $t in
	template | funcs | check) dict=template ;;
	yaml | kube) dict=yaml ;;
	*) dict=json ;;
	esac
	dict=-dict=$src/tests/fuzz/$dict.dict
	regs=
	[ -d "$src/tests/fuzz/regressions/$t" ] && regs=$src/tests/fuzz/regressions/$t
	log=$w/logs/$t.log
	# -timeout: an input that runs 10 s is a hang (every render is bounded; a
	# long run at low priority beside other work may need more: FUZZ_TIMEOUT);
	# -rss_limit_mb: the bounds keep memory far below this.
	# shellcheck disable=SC2086
	runs_opt=
	[ -n "${FUZZ_RUNS:-}" ] && runs_opt=-runs=$FUZZ_RUNS
	"$bin" -max_total_time="$secs" $runs_opt -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
		-artifact_prefix="$w/crashes/$t/" -print_final_stats=1 $dict \
		"$w/corpus/$t" "fuzz-seeds/$t" $regs >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$log" | tail -n 1)
	cov=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*ft: \([0-9]*\).*corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p')
	crashes=$(find "$w/crashes/$t" -type f | wc -l)
	desc="fuzz_$t: ${secs} s, ${runs:-?} runs, ${cov:-no coverage line}, $crashes crash files"
	if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ]; then
		echo "ok $n - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc (exit $rc, log: $log)"
		grep -E 'ERROR|SUMMARY|runtime error|fuzz_[a-z]*:|Test unit written' "$log" | head -n 20 | sed 's/^/#   /'
	fi
done

# Replay every committed regression input once (it must run clean).
for t in "$@"; do
	dir=$src/tests/fuzz/regressions/$t
	[ -d "$dir" ] || continue
	files=$(find "$dir" -type f ! -name '*.md' | sort)
	[ -n "$files" ] || continue
	n=$((n + 1))
	count=$(printf '%s\n' "$files" | wc -l)
	log=$w/logs/$t.replay.log
	# shellcheck disable=SC2086
	if tests/fuzz/fuzz_$t $files >"$log" 2>&1; then
		echo "ok $n - fuzz_$t: replays $count regression inputs"
	else
		failed=$((failed + 1))
		echo "not ok $n - fuzz_$t: replays $count regression inputs (log: $log)"
		grep -E 'ERROR|SUMMARY|runtime error|Running:' "$log" | tail -n 20 | sed 's/^/#   /'
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
