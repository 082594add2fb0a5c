#!/bin/sh
# Webhook benchmark: sidecar-injector's /inject over HTTPS keep-alive on 127.0.0.1, driven
# by wrk with a typical pod's AdmissionReview (bench/webhook/review.json), against nginx
# serving a static answer of the same size over TLS with the same certificate and the
# same wrk settings (the ceiling), then both again at half of nginx's rate. The review is
# the same pod every time, as the replicas of a Deployment arrive, so the webhook answers
# most of them from its answer memo; a second webhook started with --answer-cache 0
# decodes and injects every review. A third webhook, with the default options, gets a
# different pod in every request (post.lua with $VARY changes a label's value each time),
# as a rollout of many workloads sends them: no memo can answer those, so they are
# decoded, rendered, merged and encoded every time. Both loads run by default, for each
# injection config: Istio 1.1's (templates/istio-1.1) and the newest Istio's
# (templates/istio: its Config, values and mesh), nginx serving each config's own answer.
#
#   bench/webhook.sh [-d SECONDS] [-c CONNECTIONS] [-t THREADS] [-k rsa|ec] [-v 1.1|latest|both]
#                    SIDECAR_INJECTOR
#
# SIDECAR_INJECTOR is the built program; run from the source tree. -d is each run's
# length (default 10), -c wrk's connections for the full-speed runs (default 4), -t the
# server threads, nginx's worker processes and wrk's threads (default 2). nginx listens
# on $NGINX_PORT (default 18443). -k is the key of the certificate both serve: rsa (2048
# bits, the default, as Istio's CA issues) or ec (P-256; handshakes cost a fraction, which
# shortens the tail of the paced runs, whose connections all shake hands at the start). Needs wrk, nginx, openssl and curl
# (Debian: apt-get install wrk nginx-light openssl curl).
# -v picks the configs (default both). Prints, per config, one line per run (req/s, p50,
# p99 latency, peak RSS, ratio to nginx) and the goals.
# Not part of "make check": figures depend on the machine.
set -eu

usage() {
	echo "usage: $0 [-d SECONDS] [-c CONNECTIONS] [-t THREADS] [-k rsa|ec] [-v 1.1|latest|both] SIDECAR_INJECTOR" >&2
	exit 2
}
secs=10
conns=4
threads=2
key=rsa
which=both
while getopts d:c:t:k:v: opt; do
	case $opt in
	d) secs=$OPTARG ;;
	c) conns=$OPTARG ;;
	t) threads=$OPTARG ;;
	k) key=$OPTARG ;;
	v) which=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
prog=$1
[ -x "$prog" ] || { echo "$0: $prog is not an executable" >&2; exit 2; }
[ "$conns" -ge "$threads" ] || { echo "$0: -c must be at least -t" >&2; exit 2; }
case $which in 1.1 | latest | both) ;; *) usage ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
nginx_port=${NGINX_PORT:-18443}

missing=
for tool in wrk nginx openssl curl; do
	command -v $tool >/dev/null 2>&1 || [ -x /usr/sbin/$tool ] || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "$0: missing:$missing (Debian: apt-get install -y wrk nginx-light openssl curl)" >&2
	exit 2
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/webhook-bench.XXXXXX")
wh_pid=
nm_pid=
vr_pid=
ng_pid=
# stop PID: SIGTERM, then SIGKILL if it is still there after two seconds.
stop() {
	kill "$1" 2>/dev/null || return 0
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
cleanup() {
	[ -z "$wh_pid" ] || stop "$wh_pid"
	[ -z "$nm_pid" ] || stop "$nm_pid"
	[ -z "$vr_pid" ] || stop "$vr_pid"
	[ -z "$ng_pid" ] || stop "$ng_pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# A self-signed certificate for 127.0.0.1, used by both servers.
case $key in
rsa) newkey=rsa:2048 ;;
ec) newkey=ec:"$tmp/p256.pem"; openssl ecparam -name prime256v1 -out "$tmp/p256.pem" ;;
*) usage ;;
esac
openssl req -x509 -nodes -newkey "$newkey" -sha256 -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

# start_webhook NAME [OPTION...]: a webhook on a free port, logging one line per request to
# $tmp/NAME.log as in production; sets started_pid and started_port.
started_pid='' started_port=''
# shellcheck disable=SC2086 # $config_args: one word per option and file (no spaces in them)
start_webhook() {
	name=$1
	shift
	: >"$tmp/$name.log"
	"$prog" --port 0 --address 127.0.0.1 --threads "$threads" --drain-timeout 1 \
		--tlsCertFile "$tmp/cert.pem" --tlsKeyFile "$tmp/key.pem" \
		$config_args "$@" >"$tmp/$name.log" 2>&1 &
	started_pid=$!
	started_port=
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		started_port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/$name.log")
		[ -z "$started_port" ] || return 0
		sleep 0.1
	done
	echo "$0: the webhook did not start:" >&2
	cat "$tmp/$name.log" >&2
	exit 1
}
# bench_config NAME: every run of the script for the config in $config_args.
bench_config() {
start_webhook webhook
wh_pid=$started_pid wh_port=$started_port
start_webhook webhook-nomemo --answer-cache 0
nm_pid=$started_pid nm_port=$started_port
start_webhook webhook-vary
vr_pid=$started_pid vr_port=$started_port

review=$here/webhook/review.json
curl -sSk -H 'Content-Type: application/json' --data-binary "@$review" \
	-o "$tmp/response.json" "https://127.0.0.1:$wh_port/inject"
grep -q '"allowed":true,"patch":' "$tmp/response.json" ||
	{ echo "$0: the webhook did not inject:" >&2; head -c 500 "$tmp/response.json" >&2; exit 1; }
size=$(wc -c <"$tmp/response.json")
curl -sSk -H 'Content-Type: application/json' --data-binary "@$review" \
	-o "$tmp/response-nomemo.json" "https://127.0.0.1:$nm_port/inject"
cmp -s "$tmp/response.json" "$tmp/response-nomemo.json" ||
	{ echo "$0: the webhooks with and without the memo answered differently" >&2; exit 1; }
# A pod with another label value, as post.lua sends them: the same answer from the webhook
# that will get them and from the one without a memo.
sed 's/"version":"v1"}/"version":"v1-check"}/' "$review" >"$tmp/review-vary.json"
cmp -s "$review" "$tmp/review-vary.json" && { echo "$0: no version label in $review" >&2; exit 1; }
curl -sSk -H 'Content-Type: application/json' --data-binary "@$tmp/review-vary.json" \
	-o "$tmp/response-vary.json" "https://127.0.0.1:$vr_port/inject"
curl -sSk -H 'Content-Type: application/json' --data-binary "@$tmp/review-vary.json" \
	-o "$tmp/response-vary-nomemo.json" "https://127.0.0.1:$nm_port/inject"
grep -q '"allowed":true,"patch":' "$tmp/response-vary.json" &&
	cmp -s "$tmp/response-vary.json" "$tmp/response-vary-nomemo.json" ||
	{ echo "$0: the webhooks answered a varied pod differently" >&2; exit 1; }

# nginx answers a POST to /inject with the webhook's own response (the static handler
# refuses POST with 405; error_page turns that into the file, with status 200).
# (nginx's workers may run as another user: they must be able to read it.)
mkdir -p "$tmp/www"
cp "$tmp/response.json" "$tmp/www/inject"
chmod 755 "$tmp" "$tmp/www"
chmod 644 "$tmp/www/inject"
cat >"$tmp/nginx.conf" <<EOF
worker_processes $threads;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http {
	client_body_temp_path $tmp/body;
	proxy_temp_path $tmp/proxy;
	fastcgi_temp_path $tmp/fastcgi;
	uwsgi_temp_path $tmp/uwsgi;
	scgi_temp_path $tmp/scgi;
	access_log $tmp/nginx-access.log;
	keepalive_requests 1000000;
	server_tokens off;
	server {
		listen 127.0.0.1:$nginx_port ssl;
		ssl_certificate $tmp/cert.pem;
		ssl_certificate_key $tmp/key.pem;
		ssl_protocols TLSv1.2 TLSv1.3;
		root $tmp/www;
		location = /inject {
			default_type application/json;
			etag off;
			error_page 405 =200 \$uri;
		}
	}
}
EOF
"$nginx" -c "$tmp/nginx.conf" -p "$tmp" -g 'daemon off;' 2>"$tmp/nginx.out" &
ng_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	curl -sSk -X POST -H 'Content-Type: application/json' --data-binary "@$review" \
		-o "$tmp/nginx-response.json" "https://127.0.0.1:$nginx_port/inject" 2>/dev/null && break
	sleep 0.1
done
cmp -s "$tmp/response.json" "$tmp/nginx-response.json" ||
	{ echo "$0: nginx did not start on port $nginx_port:" >&2; cat "$tmp/nginx.out" "$tmp/nginx-error.log" >&2; exit 1; }

# peak_kb PID...: the sum of the processes' peak resident set sizes (VmHWM).
peak_kb() {
	for p in "$@"; do
		sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$p/status"
	done | awk '{ s += $1 } END { print s + 0 }'
}

rps='' p50='' p99='' errs=''
# run NAME PORT CONNECTIONS [DELAY_MS [VARY]]: one wrk run; sets rps, p50, p99 (ms), errs.
# With VARY non-empty every request carries a different pod (post.lua).
run() {
	if [ -n "${5:-}" ]; then VARY=1; export VARY; else unset VARY; fi
	BODY=$review DELAY_MS=${4:-} wrk -t "$threads" -c "$3" -d "${secs}s" --latency \
		-s "$here/webhook/post.lua" "https://127.0.0.1:$2/inject" >"$tmp/wrk-$1.out"
	eval "$(awk '
		function ms(v) {
			if (v ~ /us$/) return v / 1000
			if (v ~ /ms$/) return v + 0
			if (v ~ /m$/) return v * 60000
			return v * 1000
		}
		/^ *50%/ { printf "p50=%.3f\n", ms($2) }
		/^ *99%/ { printf "p99=%.3f\n", ms($2) }
		/^Requests\/sec:/ { printf "rps=%.0f\n", $2 }
		/Non-2xx|Socket errors/ { e = 1 }
		END { printf "errs=%d\n", e }' "$tmp/wrk-$1.out")"
	if [ "$errs" -ne 0 ]; then
		echo "$0: $1: wrk reported errors:" >&2
		grep -E 'Non-2xx|Socket errors' "$tmp/wrk-$1.out" >&2
	fi
}

row() { printf '%-26s %11s %8s %8s %8s %9s %7s\n' "$@"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

echo "response $size bytes, request $(wc -c <"$review") bytes; ${secs}s per run," \
	"$threads server threads, $threads wrk threads, $key certificate"
row server connections req/s p50-ms p99-ms RSS /nginx

# nginx first: every other row is compared with its rate.
run nginx "$nginx_port" "$conns"
ng_rps=$rps
# shellcheck disable=SC2046 # one argument per worker
ng_rss=$(peak_kb "$ng_pid" $(ps -o pid= --ppid "$ng_pid"))
row "nginx (ceiling)" "$conns" "$rps" "$p50" "$p99" "$(mb "$ng_rss")" 1.00
of_nginx() { awk -v a="$1" -v n="$ng_rps" 'BEGIN { if (n > 0) printf "%.2f", a / n; else print "-" }'; }

run webhook "$wh_port" "$conns"
wh_rps=$rps
wh_rss=$(peak_kb "$wh_pid")
row "same pod (memo)" "$conns" "$rps" "$p50" "$p99" "$(mb "$wh_rss")" "$(of_nginx "$rps")"

run webhook-nomemo "$nm_port" "$conns"
nm_rps=$rps
row "same pod, --answer-cache 0" "$conns" "$rps" "$p50" "$p99" "$(mb "$(peak_kb "$nm_pid")")" "$(of_nginx "$rps")"
stop "$nm_pid"
nm_pid=

run webhook-vary "$vr_port" "$conns" "" vary
vr_rps=$rps
vr_rss=$(peak_kb "$vr_pid")
row "every pod different" "$conns" "$rps" "$p50" "$p99" "$(mb "$vr_rss")" "$(of_nginx "$rps")"

# Half of nginx's rate, paced: each connection waits 1 ms (wrk's shortest timer) after
# every response, and one cycle takes about 1.75 ms with the timer's slack and the
# answer, so CONNECTIONS = rate x 1.75 ms: few connections, as an API server's keep-alive
# pool, whose handshakes at the start stay out of the tail. nginx runs the same paced
# load: the latency this machine allows.
half_conns=$(( (ng_rps / 2 * 175 + 50000) / 100000 ))
[ "$half_conns" -ge "$threads" ] || half_conns=$threads
run nginx-half "$nginx_port" "$half_conns" 1
ng_half_p99=$p99 ng_half_rps=$rps
row "nginx (half)" "$half_conns" "$rps" "$p50" "$p99" "" "$(of_nginx "$rps")"
stop "$ng_pid"
ng_pid=

run webhook-half "$wh_port" "$half_conns" 1
half_p99=$p99 half_rps=$rps
wh_rss=$(peak_kb "$wh_pid")
row "same pod (half)" "$half_conns" "$rps" "$p50" "$p99" "$(mb "$wh_rss")" "$(of_nginx "$rps")"

run webhook-vary-half "$vr_port" "$half_conns" 1 vary
vr_half_p99=$p99 vr_half_rps=$rps
vr_rss=$(peak_kb "$vr_pid")
row "every pod different (half)" "$half_conns" "$rps" "$p50" "$p99" "$(mb "$vr_rss")" "$(of_nginx "$rps")"

echo
awk -v w="$wh_rps" -v m="$nm_rps" -v v="$vr_rps" -v n="$ng_rps" -v h="$half_rps" \
	-v vh="$vr_half_rps" -v g="$ng_half_rps" -v p="$half_p99" -v vp="$vr_half_p99" \
	-v q="$ng_half_p99" -v r="$wh_rss" -v vr="$vr_rss" 'BEGIN {
	if (h < 0.9 * g)
		printf "half load: nginx reached %d req/s, the same-pod webhook %d: it is saturated there, and p99 includes queueing\n", g, h
	if (vh < 0.9 * g)
		printf "half load: nginx reached %d req/s, the every-pod-different webhook %d: it is saturated there, and p99 includes queueing\n", g, vh
	ratio = n ? 100 * w / n : 0
	printf "same pod: webhook/nginx req/s       %5.1f%%   goal >= 80%%     %s\n", ratio, (ratio >= 80 ? "met" : "missed")
	printf "  --answer-cache 0                  %5.1f%%   goal >= 80%%     %s\n", n ? 100 * m / n : 0, (n && m >= 0.8 * n ? "met" : "missed")
	printf "  p99 at half load                  %5.3f ms  goal < 1 ms     %s (nginx: %.3f ms)\n", p, (p < 1 ? "met" : "missed"), q
	printf "  peak RSS                          %5.1f MB  goal < 20 MB    %s\n", r / 1024, (r < 20480 ? "met" : "missed")
	printf "every pod different: webhook/nginx  %5.1f%%   goal >= 80%%     %s\n", n ? 100 * v / n : 0, (n && v >= 0.8 * n ? "met" : "missed")
	printf "  p99 at half load                  %5.3f ms  goal < 2 ms     %s (nginx: %.3f ms)\n", vp, (vp < 2 ? "met" : "missed"), q
	printf "  peak RSS                          %5.1f MiB goal < 10 MiB   %s\n", vr / 1024, (vr < 10240 ? "met" : "missed")
}'
	stop "$wh_pid"
	stop "$vr_pid"
	wh_pid='' vr_pid=''
}

for v in 1.1 latest; do
	[ "$which" = both ] || [ "$which" = "$v" ] || continue
	case $v in
	1.1) config_args="--injectConfig $top/templates/istio-1.1/inject-config.yaml
		--meshConfig $top/templates/istio-1.1/mesh.yaml" ;;
	latest) config_args="--injectConfig $top/templates/istio/inject-config.yaml
		--meshConfig $top/templates/istio/mesh.yaml --valuesConfig $top/templates/istio/values.yaml" ;;
	esac
	echo
	echo "== $v: $(echo $config_args | tr '\n' ' ')"
	bench_config "$v"
done
